"""Validation reports for people: one sentence per problem, grouped by case.

Each line names the case, the node by its label (or, for a piece of evidence, by its lines and
what it supports), the property in words, the value found, and what is expected or what to do.
``--format json`` gives the same as records; ``--format turtle`` gives a SHACL validation report
graph (``sh:ValidationReport``) holding every problem, including rule-query and quote problems.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from .iris import ID, ONTOLOGY_NS, PREFIXES
from .validate import Outcome, Problem

SEVERITY_ORDER = {"violation": 0, "warning": 1, "info": 2}

_KIND_WORDS = {
    ONTOLOGY_NS + "CaseStudy": "case study",
    ONTOLOGY_NS + "Initiative": "initiative",
    ONTOLOGY_NS + "Collaboration": "collaboration",
    ONTOLOGY_NS + "LevelClassification": "level classification",
    ONTOLOGY_NS + "Finding": "finding",
    ONTOLOGY_NS + "TableMark": "table mark",
    ONTOLOGY_NS + "Claim": "evidence",
    ONTOLOGY_NS + "Discrepancy": "discrepancy",
    ONTOLOGY_NS + "TableRow": "table row",
    ONTOLOGY_NS + "CrossCaseTable": "table",
    ONTOLOGY_NS + "FundingSource": "funding source",
    ONTOLOGY_NS + "DataCollection": "data collection",
    ONTOLOGY_NS + "Place": "place",
    ONTOLOGY_NS + "SourceDocument": "source document",
    PREFIXES["org"] + "Organization": "organisation",
    PREFIXES["skos"] + "Concept": "concept",
}

_INFO = """
PREFIX iakg: <https://w3id.org/iakg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?node ?type ?label ?graph ?code ?subject ?subjectLabel ?predicate ?predicateLabel ?first ?last ?concept
WHERE {
    OPTIONAL { ?node rdf:type ?type }
    OPTIONAL { ?node rdfs:label|skos:prefLabel ?label }
    OPTIONAL { GRAPH ?graph { ?node ?anyp ?anyo } FILTER(STRSTARTS(STR(?graph), "https://w3id.org/iakg/graph/data/"))
               OPTIONAL { GRAPH ?graph { ?case iakg:caseCode ?code } } }
    OPTIONAL { ?node iakg:aboutCase/iakg:caseCode ?code }
    OPTIONAL { ?node rdf:subject ?subject ; rdf:predicate ?predicate .
               OPTIONAL { ?subject rdfs:label|skos:prefLabel ?subjectLabel }
               OPTIONAL { ?subject iakg:findingConcept/skos:prefLabel ?subjectLabel }
               OPTIONAL { ?predicate rdfs:label ?predicateLabel } }
    OPTIONAL { ?node iakg:fromLine ?first ; iakg:toLine ?last }
    OPTIONAL { ?node iakg:findingConcept/skos:prefLabel ?concept }
}"""


@dataclass
class Line:
    """One problem, described for people."""

    severity: str
    case: str
    file: str
    node: str
    node_iri: str
    property: str | None
    value: str | None
    message: str
    check: str


def _first(rows: list[dict[str, str]], key: str) -> str | None:
    for row in rows:
        if key in row:
            return row[key]
    return None


def describe(store: ox.Store, outcome: Outcome) -> list[Line]:
    """Every problem of ``outcome`` as a :class:`Line`, in report order."""
    labels = _property_labels(store)
    cache: dict[str, dict[str, str | None]] = {}
    lines = []
    for problem in outcome.problems:
        info = cache.get(problem.focus)
        if info is None:
            info = cache[problem.focus] = _node_info(store, problem.focus)
        prop = labels.get(problem.path or "", _short(problem.path)) if problem.path else None
        lines.append(
            Line(
                severity=problem.severity,
                case=info["case"] or "shared data",
                file=info["file"] or "",
                node=info["node"] or _short(problem.focus) or "",
                node_iri=problem.focus,
                property=prop,
                value=problem.value,
                message=problem.message,
                check=problem.check,
            )
        )
    lines.sort(key=lambda x: (x.case, SEVERITY_ORDER.get(x.severity, 3), x.node, x.property or ""))
    return lines


def _property_labels(store: ox.Store) -> dict[str, str]:
    query = "SELECT ?p ?l WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l . FILTER(isIRI(?p)) }"
    solutions = store.query(query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    return {row["p"].value: row["l"].value for row in solutions}


def _node_info(store: ox.Store, iri: str) -> dict[str, str | None]:
    if not iri.startswith(("http://", "https://")):
        return {"case": None, "file": None, "node": iri}
    node = ox.NamedNode(iri)
    solutions = store.query(_INFO, use_default_graph_as_union=True, substitutions={ox.Variable("node"): node})
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    rows = [{n: row[n].value for n in names if row[n] is not None} for row in solutions]
    types = {r["type"] for r in rows if "type" in r}
    kind = next((word for cls, word in _KIND_WORDS.items() if cls in types), "node")
    label = _first(rows, "label")
    graph = _first(rows, "graph")
    file = f"data/{graph.rsplit('/', 1)[-1]}" if graph else None
    if kind == "evidence":
        first, last = _first(rows, "first"), _first(rows, "last")
        where = f"the evidence at lines {first}-{last}" if first else "a piece of evidence"
        subject, predicate = _first(rows, "subjectLabel"), _first(rows, "predicateLabel")
        if predicate:
            where += f" for the {predicate} of {subject or _short(_first(rows, 'subject'))!s}"
        text = where
    elif kind == "finding":
        text = f"finding '{_first(rows, 'concept') or _short(iri)}'"
    elif label:
        text = f"{kind} '{label}'"
    else:
        text = f"{kind} {_short(iri)}"
    return {"case": _first(rows, "code"), "file": file, "node": text}


def _short(iri: str | None) -> str | None:
    if not iri:
        return iri
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def render_text(lines: list[Line], outcome: Outcome) -> str:
    """The report as text: a heading per case, one line per problem, a summary."""
    out: list[str] = []
    by_case: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        by_case[line.case].append(line)
    for case, items in by_case.items():
        files = sorted({i.file for i in items if i.file})
        out.append(f"{case}" + (f" ({', '.join(files)})" if files else ""))
        for item in items:
            sentence = item.node[0].upper() + item.node[1:]
            if item.property:
                sentence += f", {item.property}"
            if item.value is not None:
                shown = (_short(item.value) or item.value) if item.value.startswith(ID) else item.value  # as written
                shown = shown if len(shown) <= 70 else shown[:67] + "..."
                sentence += f': found "{shown}"'
            sentence += f". {item.message}"
            out.append(f"  {item.severity:<9} {sentence}")
    counts = {s: sum(1 for x in lines if x.severity == s) for s in ("violation", "warning", "info")}
    counts["info"] += len(outcome.sources_missing)  # the notes printed below the summary
    summary = ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items())
    out.append(f"{summary}; {outcome.quotes_checked} quotes checked against the sources.")
    for name in outcome.sources_missing:
        out.append(f"info      Source file {name} not found: its quotes were not checked (set IAKG_SOURCES).")
    return "\n".join(out) + "\n"


def render_json(lines: list[Line], outcome: Outcome) -> str:
    return (
        json.dumps(
            {
                "conforms": outcome.conforms,
                "quotes_checked": outcome.quotes_checked,
                "sources_missing": outcome.sources_missing,
                "problems": [asdict(line) for line in lines],
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def render_turtle(outcome: Outcome) -> str:
    """A SHACL validation report graph of every problem."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import RDF, SH

    graph = Graph()
    graph.bind("sh", SH)
    report = URIRef("urn:iakg:validation-report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(outcome.conforms)))
    severities = {"violation": SH.Violation, "warning": SH.Warning, "info": SH.Info}
    for problem in sorted(outcome.problems, key=lambda p: (p.focus, p.check, p.path or "", p.value or "")):
        result = BNode()
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add(
            (
                result,
                SH.focusNode,
                URIRef(problem.focus) if problem.focus.startswith("http") else Literal(problem.focus),
            )
        )
        graph.add((result, SH.resultSeverity, severities.get(problem.severity, SH.Violation)))
        graph.add((result, SH.resultMessage, Literal(problem.message)))
        component = problem.component or "SPARQLConstraintComponent"
        graph.add((result, SH.sourceConstraintComponent, SH[component]))
        if problem.check.startswith("http"):
            graph.add((result, SH.sourceShape, URIRef(problem.check)))
        else:
            graph.add((result, SH.sourceShape, URIRef(f"urn:iakg:check:{problem.check}")))
        if problem.path:
            graph.add((result, SH.resultPath, URIRef(problem.path)))
        if problem.value is not None:
            graph.add((result, SH.value, Literal(problem.value)))
    return str(graph.serialize(format="turtle"))


def problem_key(problem: Problem) -> tuple[str, str | None, str | None, str | None, str]:
    """What identifies a problem when two validators are compared."""
    return (problem.focus, problem.path, problem.component, problem.value, problem.severity)
