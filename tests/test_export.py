"""Exports: standard formats, byte-for-byte deterministic, each re-importing to the exported graph;
TriG keeps ontology, data and inferred triples in three named graphs; a configured base IRI."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from iakg.cli import main
from iakg.convert import to_rdflib_graph
from iakg.export import FORMATS, export, parts
from iakg.project import Project

RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "rdfxml": "xml"}


@pytest.fixture(scope="module")
def dumps(store: ox.Store, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dumps")
    return {d.format: d.path for d in export(store, out, FORMATS)}


def test_same_input_same_bytes(store: ox.Store, dumps: dict[str, Path], tmp_path: Path) -> None:
    again = {d.format: d.path for d in export(store, tmp_path, FORMATS)}
    for fmt, path in dumps.items():
        assert path.read_bytes() == again[fmt].read_bytes(), fmt


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_every_format_reimports_to_the_exported_graph(store: ox.Store, dumps: dict[str, Path], fmt: str) -> None:
    split = parts(store)
    expected = to_rdflib_graph(split["ontology"] | split["data"])  # type: ignore[arg-type]
    reimported = rdflib.Graph().parse(dumps[fmt], format=RDFLIB_FORMATS[fmt])
    assert len(reimported) == len(expected)
    assert isomorphic(reimported, expected)


def test_trig_keeps_ontology_data_and_inferred_apart(store: ox.Store, dumps: dict[str, Path]) -> None:
    dataset = rdflib.Dataset()
    dataset.parse(dumps["trig"], format="trig")
    split = parts(store)
    for part, iri in (
        ("ontology", "https://w3id.org/iakg/graph/ontology"),
        ("data", "https://w3id.org/iakg/graph/data"),
        ("inferred", "https://w3id.org/iakg/graph/inferred"),
    ):
        graph = dataset.graph(rdflib.URIRef(iri))
        assert isomorphic(graph, to_rdflib_graph(split[part])), part  # type: ignore[arg-type]
    # One block per graph, in that order, so a reader sees each part whole.
    blocks = [line for line in dumps["trig"].read_text(encoding="utf-8").splitlines() if line.endswith("{")]
    assert blocks == [f"<https://w3id.org/iakg/graph/{part}> {{" for part in ("ontology", "data", "inferred")]


def test_inferred_triples_on_request(store: ox.Store, tmp_path: Path) -> None:
    (dump,) = export(store, tmp_path, ["ntriples"], include_inferred=True)
    split = parts(store)
    assert dump.triples == len(split["ontology"] | split["data"] | split["inferred"])


def test_base_iri_is_rebased(store: ox.Store, tmp_path: Path) -> None:
    (dump,) = export(store, tmp_path, ["ntriples"], base="https://example.org/kg/")
    text = dump.path.read_text(encoding="utf-8")
    assert "https://w3id.org/iakg/" not in text
    assert "<https://example.org/kg/id/case/CS1>" in text and "<https://example.org/kg/ontology#Initiative>" in text


def test_cli_export_writes_dumps_record_and_void(project_copy: Project, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["export", "--project", str(project_copy.root), "--out", str(out), "--draft"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["dcat.ttl", "void.ttl", "iakg.jsonld", "iakg.nt", "iakg.rdf", "iakg.trig", "iakg.ttl"]
    )
    record = rdflib.Graph().parse(out / "dcat.ttl")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert len(set(record.subjects(rdflib.RDF.type, dcat.Distribution))) == 5


def test_cli_export_refuses_placeholders_without_draft(project_copy: Project, tmp_path: Path) -> None:
    (project_copy.root / "publish.toml").write_bytes((Path(__file__).parents[1] / "publish.toml").read_bytes())
    result = CliRunner().invoke(main, ["export", "--project", str(project_copy.root), "--out", str(tmp_path / "d")])
    assert result.exit_code == 2 and "placeholder" in result.output and "--draft" in result.output
    assert not (tmp_path / "d").exists()


def test_cli_export_html_site_under_another_base_iri(project_copy: Project, tmp_path: Path) -> None:
    """A publisher's base IRI renames the site's IRIs as it renames the dumps', and loses no page."""
    config = project_copy.root / "publish.toml"
    text = config.read_text(encoding="utf-8")
    assert 'base_iri = "https://w3id.org/iakg/"' in text
    config.write_text(text.replace('base_iri = "https://w3id.org/iakg/"', 'base_iri = "https://example.org/kg/"'))
    out = tmp_path / "dist"
    result = CliRunner().invoke(
        main, ["export", "--project", str(project_copy.root), "--out", str(out), "--draft", "--html"]
    )
    assert result.exit_code == 0, result.output
    site = out / "site"
    cases = sorted(p.name for p in (site / "cases").iterdir())
    assert cases == [f"CS{i}.html" for i in range(1, 9)]
    assert "Wrote 11 pages" in result.output
    ontology = (site / "ontology" / "index.html").read_text(encoding="utf-8")
    assert "https://example.org/kg/ontology#" in ontology and "https://w3id.org/iakg/" not in ontology
    assert '<article class="term" id="Initiative">' in ontology  # the terms are found under the new base
