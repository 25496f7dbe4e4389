"""The ontology: every term labelled and defined, typologies ordered, the crosswalk without the
label trap, the closed namespace equal to the declared terms, a malformed file reported well."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import OWL, RDF, RDFS, SKOS, Literal, URIRef

from iakg.cli import main
from iakg.errors import SyntaxProblem
from iakg.load import parse_turtle
from iakg.namespaces import IAKG
from iakg.project import Project

ID = "https://w3id.org/iakg/id/"
TYPOLOGIES = {
    "frost-2005": ["Co-operation", "Collaboration", "Co-ordination", "Merger or Integration"],
    "owens-2010": ["Inter-agency working", "Multi-agency working", "Joined-up working", "Integrated working"],
    "frey-2006": ["Networking", "Cooperation", "Coordination", "Coalition", "Collaboration"],
    "atkinson-2005": [
        "Decision making groups",
        "Consultation and training",
        "Centre-based activity",
        "Coordinated delivery",
        "Operational-team delivery",
    ],
    "bertram-2002": ["Coalition", "Co-ordinated", "Unified"],
}


@pytest.fixture(scope="module")
def ontology(project: Project) -> rdflib.Graph:
    graph = rdflib.Graph()
    for path in project.ontology_files():
        graph.parse(path, format="turtle")
    return graph


def terms(graph: rdflib.Graph) -> set[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {
        s
        for k in kinds
        for s in graph.subjects(RDF.type, k)
        if isinstance(s, URIRef) and str(s).startswith(str(IAKG._NS))
    }


def test_every_term_is_labelled_and_defined(ontology: rdflib.Graph) -> None:
    found = terms(ontology)
    assert len(found) > 120
    for term in found:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, SKOS.definition) is not None, term
    for concept in set(ontology.subjects(RDF.type, SKOS.Concept)) | set(ontology.subjects(SKOS.inScheme, None)):
        assert ontology.value(concept, SKOS.prefLabel) is not None, concept
        assert ontology.value(concept, SKOS.definition) is not None, concept


def test_closed_namespace_equals_declared_terms(ontology: rdflib.Graph) -> None:
    declared = {str(t).split("#", 1)[1] for t in terms(ontology)}
    assert declared == set(IAKG.__annotations__)
    with pytest.raises(AttributeError):
        IAKG.Initiativ  # noqa: B018 - a typo must fail


@pytest.mark.parametrize("typology", sorted(TYPOLOGIES))
def test_typology_order_and_positions(ontology: rdflib.Graph, typology: str) -> None:
    scheme = URIRef(f"{ID}scheme/{typology}")
    levels = sorted(ontology.subjects(SKOS.inScheme, scheme), key=lambda lv: int(ontology.value(lv, IAKG.levelOrder)))  # type: ignore[arg-type]
    labels = [str(ontology.value(level, SKOS.prefLabel)) for level in levels]
    assert labels == TYPOLOGIES[typology]
    n = len(levels)
    assert int(ontology.value(scheme, IAKG.levelCount)) == n  # type: ignore[arg-type]
    for i, level in enumerate(levels):
        assert float(ontology.value(level, IAKG.normalisedPosition)) == pytest.approx(i / (n - 1), abs=1e-4)  # type: ignore[arg-type]
        if i + 1 < n:
            assert ontology.value(level, IAKG.nextLevel) == levels[i + 1]


def test_the_collaboration_trap(ontology: rdflib.Graph) -> None:
    """'Collaboration' is 2nd of 4 in Frost and 5th of 5 in Frey: two concepts, never mapped."""
    frost = URIRef(f"{ID}level/frost-2005/collaboration")
    frey = URIRef(f"{ID}level/frey-2006/collaboration")
    assert frost != frey
    assert int(ontology.value(frost, IAKG.levelOrder)) == 2 and int(ontology.value(frey, IAKG.levelOrder)) == 5  # type: ignore[arg-type]
    mappings = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
    for prop in mappings:
        assert (frost, prop, frey) not in ontology and (frey, prop, frost) not in ontology
    # Coalition: 1st of 3 in Bertram, 4th of 5 in Frey: close in meaning, far apart in position.
    bertram, frey_c = URIRef(f"{ID}level/bertram-2002/coalition"), URIRef(f"{ID}level/frey-2006/coalition")
    assert (bertram, SKOS.exactMatch, frey_c) not in ontology
    assert float(ontology.value(bertram, IAKG.normalisedPosition)) < float(
        ontology.value(frey_c, IAKG.normalisedPosition)
    )  # type: ignore[arg-type]


def test_every_mapping_is_recorded_with_its_reason(ontology: rdflib.Graph) -> None:
    mappings = (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch)
    between_levels = {
        (s, p, o) for p in mappings for s, o in ontology.subject_objects(p) if str(s).startswith(f"{ID}level/")
    }
    recorded = {
        (
            ontology.value(m, IAKG.mappingSubject),
            ontology.value(m, IAKG.mappingRelation),
            ontology.value(m, IAKG.mappingObject),
        )
        for m in ontology.subjects(RDF.type, IAKG.CrosswalkMapping)
    }
    assert between_levels == recorded and len(recorded) >= 8
    for m in ontology.subjects(RDF.type, IAKG.CrosswalkMapping):
        assert ontology.value(m, SKOS.editorialNote) is not None


def test_vocabularies_hold_every_table_row_as_printed(ontology: rdflib.Graph) -> None:
    counts = {"facilitators": 18, "barriers": 17, "impacts-on-services": 12}
    for scheme, rows in counts.items():
        concepts = [
            c
            for c in ontology.subjects(SKOS.inScheme, URIRef(f"{ID}scheme/{scheme}"))
            if (c, RDF.type, IAKG.BarrierArea) not in ontology
        ]
        assert len(concepts) == rows
    families = set(ontology.subjects(SKOS.inScheme, URIRef(f"{ID}scheme/impacts-on-families")))
    children = set(ontology.subjects(SKOS.inScheme, URIRef(f"{ID}scheme/impacts-on-children")))
    assert len(families) + len(children) == 11
    assert all(str(ontology.value(c, SKOS.prefLabel)).startswith("Children - ") for c in children)
    assert (
        URIRef(f"{ID}facilitator/shared-values"),
        SKOS.prefLabel,
        Literal("Shared values, commitment to inter-agency", lang="en"),
    ) in ontology


def test_barriers_grouped_in_the_four_statham_areas(ontology: rdflib.Graph) -> None:
    areas = set(ontology.subjects(RDF.type, IAKG.BarrierArea))
    assert len(areas) == 4
    for barrier in ontology.subjects(RDF.type, IAKG.Barrier):
        assert ontology.value(barrier, SKOS.broader) in areas


def test_countries_link_standard_codes(ontology: rdflib.Graph) -> None:
    greece = URIRef(f"{ID}country/EL")
    assert (
        str(ontology.value(greece, IAKG.reportCode)) == "EL" and str(ontology.value(greece, IAKG.iso3166Alpha2)) == "GR"
    )
    assert (greece, SKOS.exactMatch, URIRef("http://publications.europa.eu/resource/authority/country/GRC")) in ontology
    uk = URIRef(f"{ID}country/UK")
    assert str(ontology.value(uk, IAKG.iso3166Alpha2)) == "GB"


def test_malformed_turtle_names_file_line_and_column(tmp_path: Path, project_copy: Project) -> None:
    bad = project_copy.data_dir / "broken.ttl"
    bad.write_text('@prefix x: <https://example.org/> .\nx:a x:b x:c .\nx:a x:b "unterminated .\n', encoding="utf-8")
    with pytest.raises(SyntaxProblem) as error:
        parse_turtle(bad)
    assert error.value.position.line == 3 and error.value.position.column is not None
    result = CliRunner().invoke(main, ["build", "--project", str(project_copy.root)])
    assert result.exit_code == 2
    assert "broken.ttl, line 3, column" in result.output
    assert "Traceback" not in result.output
