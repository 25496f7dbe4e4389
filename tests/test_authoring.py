"""Adding a case without writing RDF: the template, import (validate first, write nothing if
invalid), export, and the round trip export -> import for every case in data/."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
import yaml
from click.testing import CliRunner
from rdflib.compare import graph_diff, isomorphic

from iakg.authoring import export_case, import_case, template_text, vocabulary
from iakg.case_import import EntryError, entry_to_graph
from iakg.cli import main
from iakg.errors import CheckFailed
from iakg.project import Project

ROOT = Path(__file__).resolve().parents[1]
HAND_WRITTEN = ROOT / "tests" / "fixtures" / "cases" / "ct1-childrens-trusts.yaml"
CASES = [f"CS{i}" for i in range(1, 9)]


@pytest.mark.parametrize("code", CASES)
def test_export_then_import_gives_an_isomorphic_graph(project: Project, code: str) -> None:
    original = rdflib.Graph().parse(project.data_dir / f"{code.lower()}.ttl", format="turtle")
    entry = yaml.safe_load(export_case(project, code))
    again_code, again = entry_to_graph(entry)
    assert again_code == code
    if not isomorphic(original, again):
        _, only_original, only_again = graph_diff(original, again)
        pytest.fail(
            f"{code}: {len(only_original)} triples lost, {len(only_again)} added, "
            f"e.g. {sorted(only_original)[:2]} {sorted(only_again)[:2]}"
        )


def test_template_is_a_complete_entry_in_structure() -> None:
    code, graph = entry_to_graph(yaml.safe_load(template_text()))
    assert code == "CS9" and len(graph) > 100


def test_hand_written_case_imports_and_validates(project_copy: Project) -> None:
    checked = import_case(project_copy, HAND_WRITTEN)
    assert checked.outcome.conforms
    assert checked.target == project_copy.data_dir / "ct1.ttl" and checked.target.is_file()
    # The written file re-exports to the entry's graph.
    again = entry_to_graph(yaml.safe_load(export_case(project_copy, "CT1")))[1]
    assert isomorphic(again, rdflib.Graph().parse(checked.target, format="turtle"))


def test_invalid_entry_writes_nothing(project_copy: Project, tmp_path: Path) -> None:
    entry = yaml.safe_load(HAND_WRITTEN.read_text(encoding="utf-8"))
    entry["initiative"]["target_groups"][0]["value"] = "no-such-group"
    entry["findings"][0]["evidence"][0]["lines"] = [870, 870]  # the quote runs to line 871
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(entry, allow_unicode=True), encoding="utf-8")
    before = sorted(p.name for p in project_copy.data_dir.iterdir())
    with pytest.raises(CheckFailed) as error:
        import_case(project_copy, bad)
    assert sorted(p.name for p in project_copy.data_dir.iterdir()) == before
    lines = error.value.checked.lines  # type: ignore[attr-defined]
    text = "\n".join(f"{line.case} {line.node} {line.property} {line.message}" for line in lines)
    assert "CT1" in text and "target group" in text and "iakg case vocab target-groups" in text
    assert "lines 870-871" in text  # the report says where the quote really is


def test_structural_problems_name_the_field_and_exit_2(tmp_path: Path) -> None:
    entry = yaml.safe_load(HAND_WRITTEN.read_text(encoding="utf-8"))
    entry["initiative"]["founding_yaer"] = 1999
    entry["findings"][0]["type"] = "obstacle"
    with pytest.raises(EntryError) as error:
        entry_to_graph(entry)
    message = str(error.value)
    assert "initiative.founding_yaer: unknown field" in message and "findings[0].type" in message
    path = tmp_path / "typo.yaml"
    path.write_text(yaml.safe_dump(entry), encoding="utf-8")
    result = CliRunner().invoke(main, ["case", "import", str(path), "--dry-run"])
    assert result.exit_code == 2 and "founding_yaer" in result.output and "Traceback" not in result.output


def _discrepancy_concerning(*refs: dict[str, str]) -> dict[str, object]:
    entry = yaml.safe_load(HAND_WRITTEN.read_text(encoding="utf-8"))
    side = entry["findings"][0]["evidence"][0]
    entry["discrepancies"] = [{
        "id": "fixture", "type": "unsupported-claim", "label": "A fixture discrepancy",
        "description": "The text is silent on it.", "concerns": list(refs), "sides": [side],
        "searched_lines": [1, 9],
    }]  # fmt: skip
    return entry


def test_discrepancy_names_the_findings_it_concerns() -> None:
    code, graph = entry_to_graph(_discrepancy_concerning({"type": "barrier", "concept": "data-sharing-restrictions"}))
    finding = rdflib.URIRef(f"https://w3id.org/iakg/id/finding/{code}-barrier-data-sharing-restrictions")
    concerned = list(graph.objects(None, rdflib.URIRef("https://w3id.org/iakg/ontology#concernsFinding")))
    assert concerned == [finding]


def test_discrepancy_concerning_a_finding_the_entry_lacks_says_what_to_do(tmp_path: Path) -> None:
    entry = _discrepancy_concerning(
        {"type": "facilitator", "concept": "data-sharing-restrictions"},  # a barrier in this entry
        {"type": "obstacle", "concept": "data-sharing-restrictions"},
    )
    with pytest.raises(EntryError) as error:
        entry_to_graph(entry)
    message = str(error.value)
    assert "discrepancies[0].concerns[0]: names no finding of this case: add a facilitator finding" in message
    assert "discrepancies[0].concerns[1].type: must be one of facilitator, barrier" in message
    path = tmp_path / "concerns.yaml"
    path.write_text(yaml.safe_dump(entry), encoding="utf-8")
    result = CliRunner().invoke(main, ["case", "import", str(path), "--dry-run"])
    assert result.exit_code == 2 and "concerns[0]" in result.output and "Traceback" not in result.output


def test_key_given_twice_is_an_error_at_its_line(tmp_path: Path) -> None:
    """Plain YAML keeps the last of two equal keys; a lost quote or locator must not pass silently."""
    lines = HAND_WRITTEN.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("lines: [868, 869]"))
    lines.insert(at + 1, lines[at])
    path = tmp_path / "twice.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["case", "import", str(path), "--dry-run"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}, line {at + 2}, column" in result.output and "'lines' is given twice" in result.output


def test_existing_case_is_not_overwritten_without_replace(project_copy: Project) -> None:
    result = CliRunner().invoke(main, ["case", "import", str(HAND_WRITTEN), "--project", str(project_copy.root)])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["case", "import", str(HAND_WRITTEN), "--project", str(project_copy.root)])
    assert result.exit_code == 2 and "already exists" in result.output and "--replace" in result.output


def test_cli_new_export_vocab(project_copy: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "new.yaml"
    assert runner.invoke(main, ["case", "new", "--out", str(out)]).exit_code == 0
    assert out.read_text(encoding="utf-8") == template_text()
    exported = runner.invoke(main, ["case", "export", "CS1", "--project", str(project_copy.root)])
    assert exported.exit_code == 0 and "code: CS1" in exported.output
    missing = runner.invoke(main, ["case", "export", "CS42", "--project", str(project_copy.root)])
    assert missing.exit_code == 2 and "CS1" in missing.output  # lists the cases there are
    levels = dict(vocabulary(project_copy, "levels"))
    assert (
        levels["frost-2005/collaboration"] == "2. Collaboration"
        and levels["frey-2006/collaboration"] == "5. Collaboration"
    )
    listed = runner.invoke(main, ["case", "vocab", "barriers", "--project", str(project_copy.root)])
    assert "data-sharing-restrictions" in listed.output


def test_vocabulary_lists_equal_a_plain_rdflib_reading_of_the_files(project: Project) -> None:
    """Every list, read through Oxigraph, equals the obvious reading of the files with rdflib."""
    from rdflib import RDF, RDFS, SKOS
    from rdflib.namespace import ORG

    from iakg.authoring import VOCAB_CHOICES
    from iakg.namespaces import IAKG, VOCABULARIES

    graph = rdflib.Graph()
    for path in [*project.ontology_files(), *project.data_files()]:
        graph.parse(path, format="turtle")

    def ident(node: object) -> str:
        return str(node).rsplit("/", 1)[-1]

    def expected(scheme: str) -> list[tuple[str, str]]:
        if scheme in ("organisations", "places"):
            kind = ORG.Organization if scheme == "organisations" else IAKG.Place
            return sorted((ident(n), str(graph.value(n, RDFS.label) or "")) for n in graph.subjects(RDF.type, kind))
        typologies = list(graph.subjects(RDF.type, IAKG.Typology))
        if scheme == "typologies":
            return sorted((ident(t), str(graph.value(t, SKOS.prefLabel))) for t in typologies)
        if scheme == "levels":
            return sorted(
                (
                    f"{ident(t)}/{ident(level)}",
                    f"{graph.value(level, IAKG.levelOrder)}. {graph.value(level, SKOS.prefLabel)}",
                )
                for t in typologies
                for level in graph.subjects(SKOS.inScheme, t)
            )
        namespace = str(VOCABULARIES[scheme])
        return sorted(
            (str(n)[len(namespace) :], str(graph.value(n, SKOS.prefLabel)))
            for n in set(graph.subjects(SKOS.prefLabel, None))
            if str(n).startswith(namespace)
        )

    for scheme in VOCAB_CHOICES:
        listed = vocabulary(project, scheme)
        assert listed, scheme
        assert listed == expected(scheme), scheme


def test_import_without_the_source_texts_writes_nothing(project_copy: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: with IAKG_SOURCES pointing nowhere, quotes went unchecked and the case was written."""
    monkeypatch.setenv("IAKG_SOURCES", str(project_copy.root / "no-such-folder"))
    before = sorted(p.name for p in project_copy.data_dir.iterdir())
    result = CliRunner().invoke(main, ["case", "import", "--project", str(project_copy.root), str(HAND_WRITTEN)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "could not be checked; nothing was written" in result.output and "IAKG_SOURCES" in result.output
    assert sorted(p.name for p in project_copy.data_dir.iterdir()) == before
