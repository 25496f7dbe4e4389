"""The competency-question library: every question answers as its expected-results file says.

Data-driven: each ``queries/*.rq`` is paired with ``queries/expected/<name>.tsv`` (the W3C
SPARQL TSV results format). Adding a question needs no new test code.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from iakg.cli import main
from iakg.convert import to_ox_term, to_rdflib_graph
from iakg.errors import QueryError
from iakg.pipeline import GRAPH_FILE, Built
from iakg.query import (
    LibraryQuery,
    bind,
    bindings_for,
    check_given,
    find,
    library,
    run_local,
    term_for,
)
from iakg.results import Results

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = library(ROOT / "queries")


def expected(query: LibraryQuery) -> Results:
    path = ROOT / "queries" / "expected" / f"{query.name}.tsv"
    assert path.is_file(), f"{query.name} has no expected-results file {path}"
    return Results.from_oxigraph(ox.parse_query_results(path.read_bytes(), format=ox.QueryResultsFormat.TSV))


def answer(store: ox.Store, query: LibraryQuery, **params: str) -> Results:
    return run_local(store, bind(query.text, bindings_for(query, params)))


def test_library_has_at_least_25_questions_each_stated_in_plain_words() -> None:
    assert len(QUESTIONS) >= 25
    for query in QUESTIONS.values():
        assert query.question.endswith("?") or query.question.endswith("."), query.name
        assert query.expected and "TBD" not in query.expected, f"{query.name} states no expected answer"
        assert query.text.startswith("# Question:"), query.name


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_question_gives_its_expected_results(store: ox.Store, name: str) -> None:
    query = QUESTIONS[name]
    got = answer(store, query)
    want = expected(query)
    assert got.variables == want.variables
    assert got.canonical(query.lists) == want.canonical(query.lists)
    assert len(got) > 0, f"{name} answers nothing on the eight cases"


@pytest.fixture(scope="session")
def baseline_graph(asserted: list[tuple[object, ...]], owlrl_inferred: set[tuple[object, ...]]) -> rdflib.Graph:
    """The naive baseline: the asserted triples and owlrl's full closure in one rdflib graph."""
    return to_rdflib_graph([*asserted, *owlrl_inferred])  # type: ignore[list-item]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_fast_path_answers_as_rdflib_and_owlrl(store: ox.Store, baseline_graph: rdflib.Graph, name: str) -> None:
    """Oxigraph with our reasoner gives the answers of plain rdflib SPARQL over owlrl's closure."""
    query = QUESTIONS[name]
    text = bind(query.text, bindings_for(query, {}))
    plain = baseline_graph.query(text)
    assert plain.vars is not None
    variables = [str(v) for v in plain.vars]
    rows = [[None if row[v] is None else to_ox_term(row[v]) for v in variables] for row in plain]  # type: ignore[index]
    got = answer(store, query)
    assert got.variables == variables
    assert got.canonical(query.lists) == Results(variables, rows).canonical(query.lists)  # type: ignore[arg-type]


def test_colocated_data_sharing_answered_by_tables_and_by_texts_separately(store: ox.Store) -> None:
    rows = {(r["code"], r["answeredBy"]) for r in answer(store, QUESTIONS["colocated-data-sharing-barriers"]).values()}
    assert rows == {("CS8", "cross-case tables"), ("CS5", "case study texts"), ("CS8", "case study texts")}


def test_parameter_is_bound_not_pasted(store: ox.Store) -> None:
    query = QUESTIONS["cases-reporting-barrier"]
    rows = answer(store, query, barrier="political-climate-change").values()
    table = sorted(r["code"] for r in rows if r["source"] == "cross-case table")
    assert table == ["CS1", "CS2", "CS8"]  # Table 2, row "Political climate change"
    # A value that would break out of an interpolated string is just an IRI that matches nothing.
    with pytest.raises(QueryError):
        bindings_for(query, {"barrier": "x> } ; DROP ALL ; <y"})


def test_at_or_above_compares_positions_not_labels(store: ox.Store) -> None:
    """Frey's 'collaboration' (5th of 5) is at or above Frost's 'Co-ordination'; Frey's
    'coordination' (3rd of 5) is not, although its name is closer."""
    query = QUESTIONS["at-or-above-level"]
    levels = {(r["typology"].split()[0], r["level"]) for r in answer(store, query).values()}
    assert ("Frey", "Collaboration") in levels
    assert ("Frey", "Coordination") not in levels
    highest = {
        (r["typology"].split()[0], r["level"]) for r in answer(store, query, threshold="frey:collaboration").values()
    }
    assert all(level in {"Collaboration", "Unified", "Integrated working"} for _, level in highest)
    assert ("Frost", "Co-ordination") not in highest


def test_unknown_question_suggests_close_names() -> None:
    with pytest.raises(QueryError) as error:
        find(ROOT / "queries", "colocated-data-sharing-barrier")
    assert "colocated-data-sharing-barriers" in str(error.value)


def test_unknown_parameter_and_bad_iri_are_input_errors() -> None:
    query = QUESTIONS["cases-reporting-barrier"]
    with pytest.raises(QueryError, match="has no parameter 'barier'"):
        bindings_for(query, {"barier": "x"})
    with pytest.raises(QueryError, match="Unknown prefix"):
        term_for(query.parameters[0], "nope:x")


@pytest.mark.parametrize("fmt", ["tsv", "json", "xml"])
def test_w3c_formats_parse_back(store: ox.Store, fmt: str) -> None:
    results = answer(store, QUESTIONS["funding-sources"])
    kind = {"tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}[fmt]
    back = Results.from_oxigraph(ox.parse_query_results(results.serialize(fmt).encode(), format=kind))
    assert back.variables == results.variables
    assert back.canonical() == results.canonical()


def test_csv_is_what_oxigraph_writes(store: ox.Store) -> None:
    """W3C CSV results cannot be parsed back (they are lossy): compare with Oxigraph's writer."""
    query = QUESTIONS["funding-sources"]
    text = bind(query.text, bindings_for(query, {}))
    ours = run_local(store, text).serialize("csv")
    solutions = store.query(text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    theirs = solutions.serialize(format=ox.QueryResultsFormat.CSV)
    assert ours.encode() == theirs


def test_on_disk_store_answers_as_the_in_memory_one(built: Built, store: ox.Store) -> None:
    """One question from the command line reads the on-disk store: every answer must be the same."""
    on_disk = built.open_on_disk()
    for name, query in QUESTIONS.items():
        text = bind(query.text, bindings_for(query, {}))
        got, want = run_local(on_disk, text), run_local(store, text)
        assert got.variables == want.variables, name
        assert got.canonical(query.lists) == want.canonical(query.lists), name


def test_cli_one_question_reads_the_on_disk_store(built: Built) -> None:
    (built.path / "store.complete").unlink(missing_ok=True)  # the command must make it
    shutil.rmtree(built.path / "store", ignore_errors=True)
    result = CliRunner().invoke(main, ["query", "colocated-data-sharing-barriers", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (built.path / "store.complete").is_file()
    assert (
        result.output.splitlines()[1:]
        == expected(QUESTIONS["colocated-data-sharing-barriers"]).serialize("csv").splitlines()[1:]
    )


def test_interrupted_on_disk_store_leaves_nothing_half_made(built: Built, tmp_path: Path) -> None:
    copy = dataclasses.replace(built, path=tmp_path / "build")
    copy.path.mkdir()
    (copy.path / GRAPH_FILE).write_text("<urn:a> <urn:b> .\n", encoding="utf-8")  # truncated: no object
    with pytest.raises(SyntaxError):
        copy.disk_store()
    assert sorted(p.name for p in copy.path.iterdir()) == [GRAPH_FILE]
    shutil.copy(built.path / GRAPH_FILE, copy.path / GRAPH_FILE)
    folder = copy.disk_store()
    assert (copy.path / "store.complete").is_file()
    assert len(copy.open_on_disk()) == len(built.open_on_disk())
    assert copy.disk_store() == folder  # made once


def test_cli_list_run_with_parameter_and_csv(project_copy: object) -> None:
    runner = CliRunner()
    listed = runner.invoke(main, ["query", "--list"])
    assert listed.exit_code == 0
    assert "colocated-data-sharing-barriers" in listed.output and "--param barrier=VALUE" in listed.output
    result = runner.invoke(
        main, ["query", "cases-reporting-barrier", "--param", "barrier=unrealistic-expectations", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0] == "code,source,label"
    assert "CS1,cross-case table,Unrealistic expectations" in lines


def test_cli_errors_follow_the_exit_code_contract() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["query", "no-such-question"]).exit_code == 2
    assert runner.invoke(main, ["query", "cases-overview", "--param", "nope"]).exit_code == 2


def test_a_value_naming_nothing_in_the_graph_is_an_input_error(store: ox.Store) -> None:
    """A misspelt id must not give an empty answer that reads as "no case reports this"."""
    query = QUESTIONS["cases-reporting-barrier"]
    ask = lambda text: run_local(store, text)  # noqa: E731
    known = {"barrier": "political-climate-change"}
    check_given(query, known, bindings_for(query, known), ask)  # a known id passes
    check_given(query, {}, bindings_for(query, {}), ask)  # the default is not checked
    typo = {"barrier": "political-climate-chang"}
    with pytest.raises(QueryError) as error:
        check_given(query, typo, bindings_for(query, typo), ask)
    assert "'political-climate-chang' of parameter barrier names nothing in the graph" in error.value.message
    assert "iakg case vocab barriers" in error.value.hint
    result = CliRunner().invoke(main, ["query", "at-or-above-level", "--param", "threshold=frost:nope"])
    assert result.exit_code == 2 and "names nothing in the graph" in result.output
    result = CliRunner().invoke(main, ["query", "partners-of-case", "--param", "code=CS9"])
    assert result.exit_code == 2 and "'CS9' of parameter code names nothing in the graph" in result.output
    assert CliRunner().invoke(main, ["query", "partners-of-case", "--param", "code=CS2"]).exit_code == 0


def test_malformed_query_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(bad)])
    assert result.exit_code == 2
    assert "not valid SPARQL" in result.output


def test_query_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    """Regression: a Latin-1 query file ended in a UnicodeDecodeError traceback."""
    path = tmp_path / "latin1.rq"
    path.write_bytes('SELECT * WHERE { ?s ?p "café" }\n'.encode("latin-1"))
    result = CliRunner().invoke(main, ["query", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}, line 1, column 28: the file is not valid UTF-8 (byte 0xe9)" in result.output


def test_all_with_a_parameter_is_a_usage_error() -> None:
    """Regression: `--all --param ...` answered every question with its defaults and exit code 0."""
    result = CliRunner().invoke(main, ["query", "--all", "--param", "barrier=political-climate-change"])
    assert result.exit_code == 2 and "--param cannot be given with --all" in result.output
