"""Reasoning: the fast engine gives exactly owlrl's entailments about the data, and both detect
inconsistencies; asserted and inferred triples are kept apart."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from iakg.cli import main
from iakg.convert import to_rdflib_graph
from iakg.errors import InconsistencyError, InputError
from iakg.pipeline import INFERRED_GRAPH, Built, build, scratch_store
from iakg.project import Project
from iakg.reason import comparable, unsupported_axioms
from iakg.reason_owlrl import owlrl_closure

IAKG = "https://w3id.org/iakg/ontology#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@pytest.mark.slow
def test_fast_reasoner_equals_owlrl_on_the_eight_cases(
    store: ox.Store, owlrl_inferred: set[tuple[object, object, object]]
) -> None:
    """owlrl takes about a minute on the real data; the fast engine well under a second."""
    fast = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, INFERRED_GRAPH)}
    baseline = {t for t in owlrl_inferred if comparable(t)}  # type: ignore[arg-type]
    assert fast == baseline, (sorted(map(str, fast - baseline))[:5], sorted(map(str, baseline - fast))[:5])


def test_inferences_are_stored_apart_and_counted(
    built: Built, store: ox.Store, asserted: list[tuple[object, ...]]
) -> None:
    inferred = list(store.quads_for_pattern(None, None, None, INFERRED_GRAPH))
    assert len(inferred) == built.inferred > 0
    assert built.asserted == len(asserted)
    # Every asserted triple stays in its file's graph; no inferred triple repeats an asserted one.
    asserted_set = set(asserted)
    assert not any((q.subject, q.predicate, q.object) in asserted_set for q in inferred)


def test_typical_entailments(store: ox.Store) -> None:
    def has(s: str, p: str, o: str) -> bool:
        return any(store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o)))

    cs1 = "https://w3id.org/iakg/id/case/CS1"
    ini = "https://w3id.org/iakg/id/initiative/de-sloep"
    assert has(ini, IAKG + "describedBy", cs1)  # inverse
    assert has(ini, str(TYPE.value), "http://www.w3.org/ns/org#Organization")  # subclass
    frost = "https://w3id.org/iakg/id/level/frost-2005/"
    assert has(frost + "co-operation", IAKG + "below", frost + "merger-or-integration")  # transitive
    assert has(frost + "merger-or-integration", IAKG + "above", frost + "co-operation")  # inverse of transitive
    assert has(
        "https://w3id.org/iakg/id/level/frey-2006/cooperation",
        "http://www.w3.org/2004/02/skos/core#closeMatch",
        frost + "co-operation",
    )  # symmetric


DISJOINT_DATA = b"""
@prefix iakg: <https://w3id.org/iakg/ontology#> .
<https://w3id.org/iakg/id/case/CSX9> a iakg:CaseStudy , iakg:Initiative .
"""


def test_inconsistency_is_detected_by_both_engines(project: Project) -> None:
    with pytest.raises(InconsistencyError) as error:
        scratch_store(project, [("bad.ttl", DISJOINT_DATA)])
    assert "CSX9" in str(error.value) and "disjoint" in str(error.value)
    triples = list(ox.parse(input=DISJOINT_DATA, format=ox.RdfFormat.TURTLE))
    ontology = [q.triple for p in project.ontology_files() for q in ox.parse(path=str(p), format=ox.RdfFormat.TURTLE)]
    all_triples = [(t.subject, t.predicate, t.object) for t in [*ontology, *(q.triple for q in triples)]]
    _, errors = owlrl_closure(to_rdflib_graph(all_triples))  # type: ignore[arg-type]
    assert errors and any("CSX9" in e for e in errors)


def test_cli_build_exits_1_on_inconsistency(project_copy: Project) -> None:
    (project_copy.data_dir / "bad.ttl").write_bytes(DISJOINT_DATA)
    result = CliRunner().invoke(main, ["build", "--project", str(project_copy.root)])
    assert result.exit_code == 1
    assert "inconsistenc" in result.output and "CSX9" in result.output


def test_constructs_the_fast_engine_lacks_are_refused(project_copy: Project) -> None:
    extra = (
        b"<https://w3id.org/iakg/ontology#p> <http://www.w3.org/2000/01/rdf-schema#domain> "
        b"<https://w3id.org/iakg/ontology#Initiative> .\n"
    )
    assert unsupported_axioms(
        list((q.subject, q.predicate, q.object) for q in ox.parse(input=extra, format=ox.RdfFormat.N_TRIPLES))
    )
    (project_copy.data_dir / "axiom.ttl").write_bytes(extra)
    with pytest.raises(InputError, match="does not handle"):
        build(project_copy)


def test_owlrl_reasoner_option_builds_the_same_answers(project_copy: Project) -> None:
    """--reasoner owlrl runs the baseline inside the pipeline (slow); checked on a small graph."""
    for path in project_copy.data_files():
        path.unlink()
    fast = build(project_copy, reasoner="fast")
    slow = build(project_copy, reasoner="owlrl")
    fast_inferred = set(fast.open().quads_for_pattern(None, None, None, INFERRED_GRAPH))
    slow_inferred = {
        q
        for q in slow.open().quads_for_pattern(None, None, None, INFERRED_GRAPH)
        if comparable((q.subject, q.predicate, q.object))
    }  # type: ignore[arg-type]
    assert {q.triple for q in fast_inferred} == {q.triple for q in slow_inferred}
