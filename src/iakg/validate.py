"""Stage 3, validate: SHACL shapes, rule queries and quotes, on a built store.

Three kinds of check, each yielding :class:`Problem` records:

* the SHACL shapes of ``ontology/shapes.ttl``, run by the compiled fast validator
  (:mod:`iakg.shacl_fast`) or by pySHACL (``engine="pyshacl"``, the baseline);
* the rule queries ``queries/checks/*-violation.rq``: each row is a problem with the query's
  header message (ROBOT ``verify`` style);
* every quote, checked word for word against its source file at its locator, where the source
  file is found (``../shared/sources`` or ``$IAKG_SOURCES``).

:mod:`iakg.report` turns the problems into sentences for people.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import pyoxigraph as ox

from .project import Project
from .quotes import SourceText

if TYPE_CHECKING:
    from rdflib import Graph

T = TypeVar("T")

SEVERITIES = {
    "http://www.w3.org/ns/shacl#Violation": "violation",
    "http://www.w3.org/ns/shacl#Warning": "warning",
    "http://www.w3.org/ns/shacl#Info": "info",
}


@dataclass(frozen=True)
class Problem:
    """One problem found in the data."""

    severity: str  # violation | warning | info
    focus: str
    message: str
    check: str  # the shape, check query or "quote" that found it
    path: str | None = None
    value: str | None = None
    component: str | None = None


@dataclass
class Outcome:
    """All problems of one validation run."""

    problems: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    quotes_checked: int = 0
    sources_missing: list[str] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations


def shacl_problems(store: ox.Store, shapes_file: Path, engine: str = "fast") -> list[Problem]:
    """SHACL results as problems."""
    from rdflib import Graph

    shapes = Graph().parse(shapes_file, format="turtle")
    if engine == "pyshacl":
        return _pyshacl(store, shapes)
    from .shacl_fast import compile_shapes, run

    return [
        Problem(
            severity=SEVERITIES.get(r.severity, "violation"),
            focus=r.focus,
            message=r.message,
            check=r.shape,
            path=r.path,
            value=r.value,
            component=r.component.rsplit("#", 1)[-1],
        )
        for r in run(store, compile_shapes(shapes))
    ]


def _pyshacl(store: ox.Store, shapes: Graph) -> list[Problem]:
    import pyshacl
    from rdflib import Graph as _Graph
    from rdflib.namespace import SH

    from .convert import to_rdflib_graph
    from .load import store_triples

    data: _Graph = to_rdflib_graph(store_triples(store))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    problems = []
    for result in report.subjects(predicate=SH.focusNode):
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        value = report.value(result, SH.value)
        path = report.value(result, SH.resultPath)
        problems.append(
            Problem(
                severity=SEVERITIES.get(str(report.value(result, SH.resultSeverity)), "violation"),
                focus=str(report.value(result, SH.focusNode)),
                message=str(report.value(result, SH.resultMessage) or ""),
                check=str(report.value(result, SH.sourceShape)),
                path=str(path) if path is not None else None,
                value=str(value) if value is not None and component != "SPARQLConstraintComponent" else None,
                component=component,
            )
        )
    return problems


_HEADER = re.compile(r"^#\s*(\w[\w ]*?):\s*(.*)$")


def check_header(path: Path) -> dict[str, str]:
    """The ``# Key: value`` lines at the top of a query file, lower-cased keys."""
    header: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            header[match.group(1).strip().lower()] = match.group(2).strip()
    return header


def check_problems(store: ox.Store, checks: list[Path]) -> list[Problem]:
    """Rows of every ``*-violation.rq`` rule query, as problems."""
    problems = []
    for path in checks:
        header = check_header(path)
        severity = header.get("severity", "violation").lower()
        solutions = store.query(path.read_text(encoding="utf-8"), use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            values = {n: row[n].value for n in names if row[n] is not None}
            message = header.get("message", header.get("rule", path.stem))
            for name, value in values.items():
                message = message.replace(f"{{?{name}}}", value)
            problems.append(
                Problem(
                    severity=severity,
                    focus=values.get("focus", ""),
                    message=message,
                    check=path.name,
                    path=values.get("property"),
                    value=values.get("value"),
                )
            )
    return problems


_QUOTES = """
PREFIX iakg: <https://w3id.org/iakg/ontology#>
SELECT ?quote ?first ?last ?file (COUNT(DISTINCT ?claim) AS ?claims) WHERE {
    ?claim iakg:quote ?quote ; iakg:fromLine ?first ; iakg:toLine ?last ; iakg:source ?doc .
    ?doc iakg:sourceFile ?file .
} GROUP BY ?quote ?first ?last ?file"""

_CLAIMS_WITH = """
PREFIX iakg: <https://w3id.org/iakg/ontology#>
SELECT DISTINCT ?claim WHERE {
    ?claim iakg:quote ?quote ; iakg:fromLine ?first ; iakg:toLine ?last ; iakg:source ?doc .
    ?doc iakg:sourceFile ?file .
}"""


def quote_problems(store: ox.Store, project: Project) -> tuple[list[Problem], int, list[str]]:
    """Quotes not found at their locator, and locators wider than their quote (a warning); also
    (number of claims checked, source files not found).

    Each distinct (quote, lines, file) is checked once, however many claims repeat it. Claims whose
    lines are not whole numbers are left to the shapes, which report them.
    """
    texts: dict[str, SourceText | None] = {}
    problems: list[Problem] = []
    checked = 0
    solutions = store.query(_QUOTES, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    for row in list(solutions):
        name = row["file"].value
        if name not in texts:
            path = project.source_file(name)
            texts[name] = SourceText.read(path) if path.is_file() else None
        text = texts[name]
        if text is None:
            continue
        try:
            first, last = int(row["first"].value), int(row["last"].value)
        except ValueError:
            continue
        checked += int(row["claims"].value)
        quote = row["quote"].value
        if text.contains(quote, first, last):
            narrow = text.narrowest(quote, first, last)
            if narrow == (first, last):
                continue
            severity = "warning"
            message = (
                f"The lines {first}-{last} are wider than the quote, which is at lines {narrow[0]}-{narrow[1]}"
                f" of {name}: give the quote's first and last line."
            )
        else:
            found = text.locate(quote)
            hint = (
                "it is at lines " + ", ".join(f"{a}-{b}" for a, b in found[:3]) + ": correct lines"
                if found
                else "it is nowhere in the source: copy the quote word for word from the source"
            )
            severity, message = "violation", f"The quote is not in {name} at lines {first}-{last}; {hint}."
        bindings = {ox.Variable(v): row[v] for v in ("quote", "first", "last", "file")}
        claims = store.query(
            _CLAIMS_WITH.replace("SELECT DISTINCT ?claim", "SELECT DISTINCT ?claim ?quote ?first ?last ?file"),
            use_default_graph_as_union=True,
            substitutions=bindings,
        )
        assert isinstance(claims, ox.QuerySolutions)
        for claim in claims:
            problems.append(
                Problem(severity=severity, focus=claim["claim"].value, message=message, check="quote", value=quote)
            )
    missing = sorted(name for name, text in texts.items() if text is None)
    return problems, checked, missing


def validate_store(store: ox.Store, project: Project, engine: str = "fast", focus: set[str] | None = None) -> Outcome:
    """Every check on a built store: shapes, rule queries and quotes, the three side by side.

    With ``focus`` (the nodes of the entries being checked), only the problems about those nodes
    are kept: the rest of the graph is context.
    """
    outcome = Outcome()

    def timed(name: str, work: Callable[[], T]) -> T:
        start = time.perf_counter()
        result = work()
        outcome.seconds[name] = time.perf_counter() - start
        return result

    with ThreadPoolExecutor(max_workers=2) as pool:
        checks = pool.submit(timed, "checks", lambda: check_problems(store, project.check_files()))
        quotes = pool.submit(timed, "quotes", lambda: quote_problems(store, project))
        shacl = timed("shacl", lambda: shacl_problems(store, project.shapes_file, engine))
        outcome.problems += shacl + checks.result()
        found, outcome.quotes_checked, outcome.sources_missing = quotes.result()
        outcome.problems += found
    outcome.problems = without_repeats(outcome.problems)
    if focus is not None:
        outcome.problems = [p for p in outcome.problems if p.focus in focus]
    return outcome


DANGLING = "dangling-reference-violation.rq"


def without_repeats(problems: list[Problem]) -> list[Problem]:
    """The problems, less a dangling reference that a shape already reports for the same value.

    A misspelt vocabulary id is both outside its vocabulary (the shape says where the ids are)
    and a reference to nothing (the rule query): one mistake, reported once, by the more helpful
    message.
    """
    shaped = {(p.focus, p.path, p.value) for p in problems if p.severity == "violation" and p.check != DANGLING}
    return [p for p in problems if p.check != DANGLING or (p.focus, p.path, p.value) not in shaped]
