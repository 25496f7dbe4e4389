"""The DCAT-AP 3.0.1 record and the VoID description (iakg.publish_config, iakg.dcat, iakg.dcat_check,
iakg.void).

The record is validated with pySHACL against the official DCAT-AP 3.0.1 shapes, found in
``../shared/standards/dcat-ap-3.0.1`` beside the repository or in ``$IAKG_STANDARDS/dcat-ap-3.0.1``:
``dcat-ap-SHACL.ttl`` with ``ranges.ttl`` (zero violations; the five property-shape links that
neither file defines are dropped, see iakg.dcat_check.DcatApShapes) and ``shapes_recommended.ttl``
(zero warnings). The VoID counts are checked against counts made in Python over the store's quads.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from iakg.dcat import DCAT, SPDX, VCARD, Distribution, dataset_record, to_turtle
from iakg.dcat_check import DcatApShapes, check_record, load_dcat_ap_shapes
from iakg.errors import InputError
from iakg.pipeline import build
from iakg.project import Project
from iakg.publish_config import COUNTRY, PublishConfig, config_path, load_config, placeholders
from iakg.void import compute_statistics, void_description

# Plain namespaces: pytest probes module globals, and rdflib's closed namespaces warn on that.
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
VOID = Namespace("http://rdfs.org/ns/void#")
IAKG = "https://w3id.org/iakg/ontology#"

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "dcat" / "publish.toml"
DOWNLOADS = "https://downloads.iakg.test/v1.2.3/"
DCAT_AP = "https://semiceu.github.io/DCAT-AP/releases/3.0.1#"
UNDEFINED_PROPERTY_SHAPES = {
    ("dcat:DatasetShape", "4918ff7a6c1c4b0eea6403dca4b992b87ee1f4ab"),
    ("dcat:DatasetShape", "95c69c99a1e3ade043911b51b942f206dea0e68d"),
    ("dcat:DistributionShape", "653804840386e33525b3d39d205c174780be414b"),
    ("dcat:DistributionShape", "a07d6e7a0a1790b89a1ce7ff602cbbd9ea835282"),
    ("dcat:RelationshipShape", "b7aa98e1befa5130659568aa62e7f38575dc17c1"),
}


def _standards() -> Path:
    base = Path(os.environ.get("IAKG_STANDARDS", ROOT.parent / "shared" / "standards"))
    return base / "dcat-ap-3.0.1"


@pytest.fixture(scope="module")
def shapes() -> DcatApShapes:
    folder = _standards()
    if not (folder / "dcat-ap-SHACL.ttl").is_file():
        pytest.skip(
            f"the official DCAT-AP 3.0.1 shapes are not in {folder}: set $IAKG_STANDARDS "
            "to the folder holding dcat-ap-3.0.1/"
        )
    return load_dcat_ap_shapes(folder)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return build(Project.at(ROOT)).open()


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, bytes]]:
    folder = tmp_path_factory.mktemp("dumps")
    case = f"<https://w3id.org/iakg/id/case/CS1> a <{IAKG}CaseStudy> .\n"
    quads = "<urn:a> <urn:b> <urn:c> <urn:g> .\n<urn:a> <urn:b> <urn:d> <urn:g> .\n"
    files = {"iakg.ttl": case.encode(), "iakg-full.nq": quads.encode()}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return [(folder / name, data) for name, data in files.items()]


@pytest.fixture(scope="module")
def distributions(dumps: list[tuple[Path, bytes]]) -> list[Distribution]:
    return [Distribution.of_file(path) for path, _ in dumps]


@pytest.fixture(scope="module")
def config() -> PublishConfig:
    return load_config(FIXTURE)


def repo_config() -> PublishConfig:
    """The repository's publish.toml with version and dates pinned (they change at each release)."""
    loaded = load_config(config_path(Project.at(ROOT)))
    return dataclasses.replace(loaded, version="9.9.9", issued=date(2026, 1, 1), modified=date(2026, 1, 2))


# ---------------------------------------------------------------------------------------------
# The record conforms to DCAT-AP 3.0.1
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", [None, "https://w3id.org/iakg/sparql"])
def test_repo_record_has_no_violation_and_no_warning(
    shapes: DcatApShapes, store: ox.Store, distributions: list[Distribution], endpoint: str | None
) -> None:
    config = dataclasses.replace(repo_config(), sparql_endpoint=endpoint)
    record = dataset_record(config, distributions, compute_statistics(store))
    assert check_record(record, shapes) == []
    assert ((None, RDF.type, DCAT.DataService) in record) is (endpoint is not None)


def test_record_merged_with_void_still_conforms(
    shapes: DcatApShapes, store: ox.Store, config: PublishConfig, distributions: list[Distribution]
) -> None:
    void = void_description(store, config, distributions=distributions)
    assert check_record(dataset_record(config, distributions) + void, shapes) == []


def test_the_workaround_drops_exactly_the_five_undefined_property_shapes(
    shapes: DcatApShapes, config: PublishConfig
) -> None:
    """ranges.ttl links five property shapes defined in neither file; pySHACL refuses them."""
    dropped = {(shape.removeprefix(DCAT_AP), prop.rsplit("/", 1)[1]) for shape, prop in shapes.dropped}
    assert dropped == UNDEFINED_PROPERTY_SHAPES
    from pyshacl import validate

    raw = Graph()
    for name in ("dcat-ap-SHACL.ttl", "ranges.ttl"):
        raw.parse(_standards() / name)
    with pytest.raises(Exception, match="well-formed"):
        validate(dataset_record(config, []), shacl_graph=raw)


def test_ranges_class_constraints_are_in_force(
    shapes: DcatApShapes, config: PublishConfig, distributions: list[Distribution]
) -> None:
    """sh:class rdfs:Resource on the endpoint exists only in ranges.ttl: it must be checked."""
    record = dataset_record(config, distributions)
    record.remove((URIRef("https://iakg.test/sparql"), RDF.type, None))
    service = "https://w3id.org/iakg/id/dataset/sparql-service"
    found = {(severity, focus, path) for severity, focus, path, _ in check_record(record, shapes)}
    assert found == {
        ("Violation", service, str(DCAT.endpointURL)),
        ("Violation", service, str(DCAT.endpointDescription)),
    }


@pytest.mark.parametrize(
    ("predicate", "severity"),
    [
        (DCTERMS.title, "Violation"),  # mandatory
        (DCAT.keyword, "Warning"),  # recommended
        (DCAT.theme, "Warning"),
        (DCAT.distribution, "Warning"),
    ],
)
def test_a_missing_property_is_reported_on_the_dataset(
    shapes: DcatApShapes, config: PublishConfig, distributions: list[Distribution],
    predicate: URIRef, severity: str,
) -> None:  # fmt: skip
    record = dataset_record(config, distributions)
    dataset = URIRef(config.dataset_iri)
    record.remove((dataset, predicate, None))
    results = check_record(record, shapes)
    assert [(s, path) for s, focus, path, _ in results if focus == str(dataset)] == [(severity, str(predicate))]


def test_an_untyped_country_breaks_the_class_constraint(
    shapes: DcatApShapes, config: PublishConfig, distributions: list[Distribution]
) -> None:
    record = dataset_record(config, distributions)
    record.remove((URIRef(COUNTRY + "BEL"), RDF.type, None))
    found = {(s, focus, path) for s, focus, path, _ in check_record(record, shapes)}
    assert found == {
        ("Violation", str(node), str(DCTERMS.spatial))
        for node in (config.dataset_iri, "https://w3id.org/iakg/id/catalogue")
    }


# ---------------------------------------------------------------------------------------------
# What the record says
# ---------------------------------------------------------------------------------------------


def test_distributions_carry_url_size_format_and_checksum(
    config: PublishConfig, dumps: list[tuple[Path, bytes]]
) -> None:
    record = dataset_record(config, [Distribution.of_file(path) for path, _ in dumps])
    for path, data in dumps:
        node = URIRef(f"{config.dataset_iri}/distribution/{path.name}")
        url = URIRef(DOWNLOADS + path.name)
        assert record.value(node, DCAT.downloadURL) == url == record.value(node, DCAT.accessURL)
        size = Literal(len(data), datatype=XSD.nonNegativeInteger)
        assert record.value(node, DCAT.byteSize) == size
        checksum = record.value(node, SPDX.checksum)
        digest = Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)
        assert record.value(checksum, SPDX.checksumValue) == digest
        assert record.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
    ttl = URIRef(f"{config.dataset_iri}/distribution/iakg.ttl")
    assert record.value(ttl, DCAT.mediaType) == URIRef("http://www.iana.org/assignments/media-types/text/turtle")
    assert record.value(ttl, DCTERMS["format"]) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/RDF_TURTLE"
    )


def test_record_contact_period_provenance_and_no_blank_nodes(config: PublishConfig) -> None:
    record = dataset_record(config, [])
    dataset = URIRef(config.dataset_iri)
    contact = record.value(dataset, DCAT.contactPoint)
    assert record.value(contact, VCARD.hasEmail) == URIRef("mailto:data@iakg.test")
    period = record.value(dataset, DCTERMS.temporal)
    assert record.value(period, DCAT.startDate) == Literal("2017", datatype=XSD.gYear)
    assert record.value(period, DCAT.endDate) == Literal("2018-03-31", datatype=XSD.date)
    report = URIRef("https://w3id.org/iakg/id/source/isotis-report")
    assert record.value(dataset, PROV.wasDerivedFrom) == report
    assert record.value(dataset, DCTERMS.source) is None  # its range is dcat:Dataset
    assert record.value(dataset, DCAT.version) == Literal("1.2.3")
    assert record.value(dataset, DCTERMS.issued) == Literal("2026-01-15", datatype=XSD.date)
    assert not [t for triple in record for t in triple if isinstance(t, BNode)]


def test_record_is_deterministic(config: PublishConfig, distributions: list[Distribution]) -> None:
    one = dataset_record(config, distributions)
    two = dataset_record(config, list(reversed(distributions)))
    if not isomorphic(one, two):
        _, only_one, only_two = graph_diff(to_isomorphic(one), to_isomorphic(two))
        pytest.fail(f"only in one:\n{only_one.serialize()}\nonly in two:\n{only_two.serialize()}")
    assert to_turtle(one) == to_turtle(two)
    assert isomorphic(Graph().parse(data=to_turtle(one), format="turtle"), one)


def test_repo_coverage_matches_the_data(store: ox.Store) -> None:
    """publish.toml's countries are the case countries; its period holds every dated collection."""
    config = repo_config()
    rows = store.query(
        "SELECT DISTINCT ?eu WHERE { ?case a iakg:CaseStudy ; iakg:country/skos:exactMatch ?eu "
        f'FILTER(STRSTARTS(STR(?eu), "{COUNTRY}")) }}',
        prefixes={"iakg": IAKG, "skos": str(SKOS)},
        use_default_graph_as_union=True,
    )
    assert {p.iri for p in config.spatial} == {row["eu"].value for row in rows}  # type: ignore[union-attr]
    assert len(config.spatial) == 8
    months = "January February March April May June July August September October November December"
    stated = []
    periods = store.query(f"SELECT ?p WHERE {{ ?dc <{IAKG}period> ?p }}", use_default_graph_as_union=True)
    for row in periods:  # type: ignore[union-attr]
        for month, year in re.findall(rf"\b({months.replace(' ', '|')}) (\d{{4}})", row["p"].value):
            stated.append((int(year), months.split().index(month) + 1))
    start, end = config.temporal_start.bounds()[0][:2], config.temporal_end.bounds()[1][:2]
    assert len(stated) >= 6
    assert all(start <= when <= end for when in stated), (start, end, sorted(stated))


# ---------------------------------------------------------------------------------------------
# VoID
# ---------------------------------------------------------------------------------------------


def _independent_counts(store: ox.Store) -> dict[str, object]:
    triples = {(q.subject, q.predicate, q.object) for q in store}
    typed = {(s, o) for s, p, o in triples if p == ox.NamedNode(str(RDF.type))}
    classes = {o for _, o in typed if isinstance(o, ox.NamedNode)}
    iri_instances = {c: {s for s, o in typed if o == c and isinstance(s, ox.NamedNode)} for c in classes}
    per_property: dict[str, int] = {}
    for _, p, _ in triples:
        per_property[p.value] = per_property.get(p.value, 0) + 1
    return {
        "triples": len(triples),
        "entities": len({s for s, _, _ in triples if isinstance(s, ox.NamedNode)}),
        "distinct_subjects": len({s for s, _, _ in triples}),
        "distinct_objects": len({o for _, _, o in triples}),
        "properties": len({p for _, p, _ in triples}),
        "classes": len({o for _, o in typed}),
        "class_partitions": tuple(sorted((c.value, len(s)) for c, s in iri_instances.items())),
        "property_partitions": tuple(sorted(per_property.items())),
    }


def test_void_statistics_equal_independent_counts(store: ox.Store) -> None:
    stats = compute_statistics(store)
    assert dataclasses.asdict(stats) == _independent_counts(store)
    assert stats.triples == len(store)  # the build keeps each triple in one graph only
    assert stats.triples == sum(n for _, n in stats.property_partitions)


def test_void_counts_a_triple_in_two_graphs_once() -> None:
    """Oxigraph's union default graph repeats a triple held by two graphs; VoID must not."""
    store = ox.Store()
    a, b, c = (ox.NamedNode(f"https://iakg.test/{n}") for n in "abc")
    for graph in ("https://iakg.test/g1", "https://iakg.test/g2"):
        store.add(ox.Quad(a, b, c, ox.NamedNode(graph)))
    store.add(ox.Quad(a, ox.NamedNode(str(RDF.type)), c, ox.NamedNode("https://iakg.test/g2")))
    stats = compute_statistics(store)
    assert (stats.triples, stats.entities, stats.properties, stats.classes) == (2, 1, 2, 1)
    assert stats.property_partitions == ((str(RDF.type), 1), ("https://iakg.test/b", 1))
    assert stats.class_partitions == (("https://iakg.test/c", 1),)
    only_g1 = compute_statistics(store, [ox.NamedNode("https://iakg.test/g1")])
    assert (only_g1.triples, only_g1.classes) == (1, 0)


def test_void_description_links_dumps_endpoint_and_dcat_dataset(
    store: ox.Store, config: PublishConfig, distributions: list[Distribution]
) -> None:
    stats = compute_statistics(store)
    void = void_description(store, config, distributions=distributions, statistics=stats)
    dataset = URIRef(config.dataset_iri)
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert (dataset, RDF.type, DCAT.Dataset) in dataset_record(config, distributions)
    assert set(void.objects(dataset, VOID.dataDump)) == {
        URIRef(DOWNLOADS + "iakg.ttl"),
        URIRef(DOWNLOADS + "iakg-full.nq"),
    }
    assert void.value(dataset, VOID.sparqlEndpoint) == URIRef("https://iakg.test/sparql")
    assert void.value(dataset, VOID.triples) == Literal(stats.triples, datatype=XSD.integer)
    assert void.value(dataset, VOID.uriSpace) == Literal("https://w3id.org/iakg/")
    classes = {
        void.value(p, VOID["class"]): void.value(p, VOID.entities) for p in void.objects(dataset, VOID.classPartition)
    }
    assert len(classes) == stats.classes
    assert classes[URIRef(IAKG + "CaseStudy")] == Literal(8, datatype=XSD.integer)
    properties = {
        void.value(p, VOID.property): int(str(void.value(p, VOID.triples)))
        for p in void.objects(dataset, VOID.propertyPartition)
    }
    assert len(properties) == stats.properties
    assert sum(properties.values()) == stats.triples
    vocabularies = set(void.objects(dataset, VOID.vocabulary))
    assert {URIRef(str(SKOS)), URIRef(IAKG), URIRef(str(DCTERMS))} <= vocabularies
    again = void_description(store, config, distributions=distributions[::-1])
    assert to_turtle(void) == to_turtle(again)


# ---------------------------------------------------------------------------------------------
# Configuration errors name the key
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "key"), [
    ('email = "data@iakg.test"', 'email = "data at iakg"', "contact.email"),
    ("issued = 2026-01-15", 'issued = "15 January 2026"', "issued"),
    ("modified = 2026-02-01", "modified = 2025-12-31", "modified"),
    ('base_iri = "https://w3id.org/iakg/"', 'base_iri = "https://w3id.org/iakg"', "base_iri"),
    (f'download_base = "{DOWNLOADS}"', 'download_base = "ftp://x/"', "download_base"),
    ("data-theme/EDUC", "data-theme/FOOD", "dataset.themes"),
    ("country/POL", "country/PL", "dataset.spatial[1].iri"),
    ("bbox = [2.525, 49.511, 6.364, 51.491]", "bbox = [6.364, 49.511, 2.525, 51.491]",
     "dataset.spatial[0].bbox"),
    ("centroid = [4.58, 50.65]", "centroid = [50.65, 4.58]", "dataset.spatial[0].centroid"),
    ('start = "2017"', 'start = "2017-13"', "dataset.temporal.start"),
    ("end = 2018-03-31", 'end = "2016"', "dataset.temporal.end"),
    ('iri = "https://creativecommons.org/licenses/by/4.0/"', 'iri = "https://x.test/licence"',
     "licence.iri"),
    ('type = "http://purl.org/adms/publishertype/NonProfitOrganisation"', 'type = "NGO"',
     "publisher.type"),
    ('keywords = ["inter-agency working", "tests"]', "keywords = []", "dataset.keywords"),
    ('title = "Test catalogue"', 'titel = "Test catalogue"', "catalogue.titel"),
    ('name = "Test contact"\n', "", "contact.name"),
])  # fmt: skip
def test_a_bad_value_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "publish.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(bad)
    assert f"{bad}: key '{key}': expected " in str(caught.value)


def test_a_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "publish.toml"
    text = FIXTURE.read_text(encoding="utf-8")
    bad.write_text(text.replace('version = "1.2.3"', "version = 1.2.3"), encoding="utf-8")
    where = re.escape(str(bad))
    with pytest.raises(InputError, match=rf"{where}, line 4, column \d+: TOML syntax error"):
        load_config(bad)


def test_placeholders_are_listed_by_key(config: PublishConfig) -> None:
    assert placeholders(config) == []
    draft = dataclasses.replace(
        config,
        contact=dataclasses.replace(config.contact, email="x@example.org"),
        download_base="https://example.com/dumps/",
    )
    assert placeholders(draft) == ["download_base", "contact.email"]
    assert set(placeholders(load_config(FIXTURE.parents[3] / "publish.toml"))) <= {"publisher.iri", "contact.email"}


def test_distribution_inputs_are_checked(tmp_path: Path) -> None:
    odd = tmp_path / "graph.xyz"
    odd.write_text("x")
    with pytest.raises(InputError, match=r"graph\.xyz: no known RDF format"):
        Distribution.of_file(odd)
    with pytest.raises(InputError, match="not a relative file path"):
        Distribution("../iakg.ttl", "m", "f", 1, "0" * 64, "d")
    with pytest.raises(InputError, match="lower-case hexadecimal SHA-256"):
        Distribution("iakg.ttl", "m", "f", 1, "ABC", "d")


def test_a_dump_in_a_subfolder_keeps_its_path_in_the_urls(
    config: PublishConfig, dumps: list[tuple[Path, bytes]]
) -> None:
    path, _ = dumps[0]
    distribution = Distribution.of_file(path, name="v1/full graph.ttl", description="All of it.")
    record = dataset_record(config, [distribution])
    node = URIRef(f"{config.dataset_iri}/distribution/v1/full%20graph.ttl")
    assert record.value(node, DCAT.downloadURL) == URIRef(DOWNLOADS + "v1/full%20graph.ttl")
    assert record.value(node, DCTERMS.description) == Literal("All of it.", lang="en")


def test_void_names_the_project_terms_under_a_new_base(store: ox.Store, config: PublishConfig) -> None:
    """The export rewrites every IRI under the default base; VoID must name the same terms."""
    moved = dataclasses.replace(config, base_iri="https://data.iakg.test/kg/")
    void = void_description(store, moved)
    dataset = URIRef("https://data.iakg.test/kg/id/dataset")
    classes = {void.value(p, VOID["class"]) for p in void.objects(dataset, VOID.classPartition)}
    assert URIRef("https://data.iakg.test/kg/ontology#CaseStudy") in classes
    assert URIRef(SKOS.Concept) in classes
    assert not [t for t in void.all_nodes() if str(t).startswith("https://w3id.org/iakg/")]
