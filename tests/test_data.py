"""The case data: every quote verbatim at its locator, the four tables reproduced by SPARQL,
the tables' coding and the case texts kept apart, the files canonical and complete."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from iakg.project import Project
from iakg.quotes import SourceText, word_count
from iakg.tables import CASES, column_sums, read_tables

IAKG = "https://w3id.org/iakg/ontology#"
PREFIX = f"PREFIX iakg: <{IAKG}>\n"


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PREFIX + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]  # type: ignore[union-attr]


def test_every_quote_is_verbatim_at_its_locator(store: ox.Store, project: Project, report_path: Path) -> None:
    texts: dict[str, SourceText] = {}
    rows = select(
        store,
        """SELECT ?claim ?quote ?first ?last ?file WHERE {
        ?claim iakg:quote ?quote ; iakg:fromLine ?first ; iakg:toLine ?last ; iakg:source/iakg:sourceFile ?file }""",
    )
    assert len(rows) > 2500
    missing = []
    for row in rows:
        text = texts.setdefault(row["file"], SourceText.read(project.source_file(row["file"])))
        if not text.contains(row["quote"], int(row["first"]), int(row["last"])):
            missing.append((row["claim"], row["first"], row["quote"][:60]))
    assert missing == []


def test_definitions_with_line_numbers_are_verbatim(store: ox.Store, project: Project, report_path: Path) -> None:
    text = SourceText.read(report_path)
    rows = select(
        store,
        """SELECT ?c ?d ?a ?b WHERE {
        ?c <http://www.w3.org/2004/02/skos/core#definition> ?d ; iakg:fromLine ?a ; iakg:toLine ?b }""",
    )
    assert len(rows) >= 20
    for row in rows:
        assert text.contains(row["d"], int(row["a"]), int(row["b"])), row["c"]


def test_quotes_are_short(store: ox.Store) -> None:
    quotes = [r["q"] for r in select(store, "SELECT ?q WHERE { ?c iakg:quote ?q }")]
    too_long = [q for q in quotes if word_count(q) > 40]
    assert too_long == []
    assert sum(word_count(q) > 30 for q in quotes) / len(quotes) < 0.05


@pytest.fixture(scope="module")
def printed(report_path: Path) -> dict[int, list]:  # type: ignore[type-arg]
    return read_tables(report_path)


def test_sparql_reproduces_every_row_total(store: ox.Store, printed: dict[int, list]) -> None:  # type: ignore[type-arg]
    rows = select(
        store,
        """SELECT ?table ?row ?label ?total (COUNT(DISTINCT ?case) AS ?marks) WHERE {
        ?r iakg:inTable/iakg:tableNumber ?table ; iakg:rowNumber ?row ;
           iakg:printedLabel ?label ; iakg:printedTotal ?total .
        OPTIONAL { ?m iakg:inRow ?r ; iakg:markedCase ?case } } GROUP BY ?table ?row ?label ?total""",
    )
    got = {(int(r["table"]), int(r["row"])): (r["label"], int(r["total"]), int(r["marks"])) for r in rows}
    want = {(t, row.number): (row.label, row.total, row.total) for t, table in printed.items() for row in table}
    assert got == want
    assert len(got) == 18 + 17 + 12 + 11


def test_sparql_reproduces_every_column_sum(store: ox.Store, printed: dict[int, list]) -> None:  # type: ignore[type-arg]
    rows = select(
        store,
        """SELECT ?table ?code (COUNT(DISTINCT ?m) AS ?n) WHERE {
        ?m a iakg:TableMark ; iakg:markedCase/iakg:caseCode ?code ; iakg:inRow/iakg:inTable/iakg:tableNumber ?table }
        GROUP BY ?table ?code""",
    )
    got = {(int(r["table"]), r["code"]): int(r["n"]) for r in rows}
    for table, table_rows in printed.items():
        for case, total in column_sums(table_rows).items():
            assert got.get((table, case), 0) == total, (table, case)
    assert sum(got.values()) == sum(row.total for rows in printed.values() for row in rows)


def test_marks_follow_the_spacing_of_the_printed_rows(store: ox.Store, printed: dict[int, list]) -> None:  # type: ignore[type-arg]
    rows = select(
        store,
        """SELECT ?table ?row ?code ?confidence WHERE {
        ?r iakg:inTable/iakg:tableNumber ?table ; iakg:rowNumber ?row ; iakg:reconstructionConfidence ?confidence .
        OPTIONAL { ?m iakg:inRow ?r ; iakg:markedCase/iakg:caseCode ?code } }""",
    )
    marks: dict[tuple[int, int], set[str]] = {}
    confidence = {}
    for r in rows:
        key = (int(r["table"]), int(r["row"]))
        marks.setdefault(key, set()).add(r.get("code", ""))
        confidence[key] = r["confidence"].rsplit("/", 1)[-1]
    for table, table_rows in printed.items():
        for row in table_rows:
            assert marks[(table, row.number)] - {""} == set(row.marked)
            if not row.consistent:
                assert confidence[(table, row.number)] == "low" and len(row.alternatives) >= 2
            else:
                assert confidence[(table, row.number)] in ("high", "medium")


def test_uncertain_row_records_its_alternatives(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?alt ?code WHERE {
        ?r iakg:printedLabel "Better and/or more specialized services" ; iakg:alternativeReading ?alt .
        ?alt iakg:readingCase/iakg:caseCode ?code }""",
    )
    readings: dict[str, set[str]] = {}
    for r in rows:
        readings.setdefault(r["alt"], set()).add(r["code"])
    assert sorted(map(sorted, readings.values())) == [["CS4", "CS6"], ["CS5", "CS6"]]


def test_tables_and_case_texts_are_distinct_claims(store: ox.Store) -> None:
    """Table marks are claims by the tables; findings rest on case texts or Part 1, never on a table."""
    voices = select(store, """SELECT DISTINCT ?voice WHERE { ?m a iakg:TableMark ; iakg:statedBy ?voice }""")
    assert [v["voice"].rsplit("/", 1)[-1] for v in voices] == ["cross-case-table"]
    table_in_findings = select(
        store,
        """SELECT ?c WHERE { ?c iakg:statedBy <https://w3id.org/iakg/id/voice/cross-case-table> ;
        <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> iakg:findingConcept }""",
    )
    assert table_in_findings == []
    # And they do disagree in places: some marks have no case-text finding, some findings no mark.
    disagreements = select(
        store,
        """SELECT ?d WHERE {
            ?d iakg:discrepancyType <https://w3id.org/iakg/id/discrepancy-type/table-text-disagreement> }""",
    )
    assert len(disagreements) >= 5


def test_each_case_is_complete(store: ox.Store) -> None:
    rows = select(
        store,
        """SELECT ?code (COUNT(DISTINCT ?o) AS ?orgs) (COUNT(DISTINCT ?col) AS ?collabs)
        (COUNT(DISTINCT ?f) AS ?findings) (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
        ?case iakg:caseCode ?code ; iakg:describes ?ini ; iakg:writtenBy ?author .
        ?col iakg:inInitiative ?ini ; iakg:party ?o .
        ?f iakg:aboutCase ?case ; iakg:findingConcept ?concept .
        ?claim <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?f .
    } GROUP BY ?code""",
    )
    by_case = {r["code"]: r for r in rows}
    assert sorted(by_case) == list(CASES)
    for code, r in by_case.items():
        assert int(r["orgs"]) >= 5 and int(r["collabs"]) >= 5 and int(r["findings"]) >= 10, code


def test_every_case_records_discrepancies_and_part1_ones_are_central(store: ox.Store) -> None:
    rows = select(store, "SELECT ?d ?type WHERE { ?d a iakg:Discrepancy ; iakg:discrepancyType ?type }")
    kinds = Counter(r["type"].rsplit("/", 1)[-1] for r in rows)
    for kind in (
        "wrong-case-code",
        "count-mismatch",
        "wrong-attribution",
        "unsupported-claim",
        "internal-contradiction",
        "table-text-disagreement",
    ):
        assert kinds[kind] >= 1, kind


def test_data_files_are_canonical(project: Project) -> None:
    """Every literal is already in the form Oxigraph stores, so exports re-import identically."""
    for path in [*project.data_files(), *project.ontology_files()]:
        parsed = {
            q.triple
            for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
            if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
        }
        stored = ox.Store()
        stored.extend(ox.Quad(t.subject, t.predicate, t.object) for t in parsed)
        assert {q.triple for q in stored} == parsed, path.name
