"""The competency-question library and running queries on the embedded store.

Every ``queries/*.rq`` file is one question. Its header comment states it in plain words::

    # Question: Which co-located cases report barriers to data sharing?
    # Parameter: barrier = bar:data-sharing-restrictions | the barrier (see `iakg case vocab barriers`)
    # Expected: by the cross-case tables, CS8; by the case texts, CS4, CS5 and CS8.

Parameters are *bound*, never pasted into the query text as strings: each value becomes an RDF
term (an IRI checked by Oxigraph, or a literal) and is joined to the query as a SPARQL ``VALUES``
block at the start of its outermost ``WHERE`` group. The same binding is sent to remote
endpoints, so a question means the same thing locally and remotely.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError
from .iris import PREFIXES
from .load import read_checked
from .results import Results

_HEADER = re.compile(r"^#\s*(Question|Parameter|Expected|Notes?|Lists)\s*:\s*(.*)$", re.IGNORECASE)
_PARAM = re.compile(r"^(\w+)\s*=\s*(\S+)\s*(?:\|\s*(.*))?$")


@dataclass(frozen=True)
class Parameter:
    """A parameter of a library query: a variable of the query, with a default value."""

    name: str
    default: str
    description: str = ""

    @property
    def is_iri(self) -> bool:
        return not (self.default.startswith('"') or _is_number(self.default))


@dataclass(frozen=True)
class LibraryQuery:
    """One question of the library."""

    name: str
    path: Path
    question: str
    expected: str
    text: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    notes: str = ""
    #: Variables whose values are lists joined with "; " (GROUP_CONCAT), in no particular order.
    lists: tuple[str, ...] = field(default_factory=tuple)

    def parameter(self, name: str) -> Parameter:
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        known = ", ".join(p.name for p in self.parameters) or "none"
        raise QueryError(
            f"The question {self.name} has no parameter {name!r} (its parameters: {known}).",
            f"See the question's header: iakg query --list, or open {self.path}.",
        )


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[+-]?\d+(\.\d+)?", text) is not None


def read_query(path: Path) -> LibraryQuery:
    """A library query from its ``.rq`` file."""
    text = read_checked(path).decode("utf-8")
    parts: dict[str, list[str]] = {"question": [], "expected": [], "notes": []}
    parameters = []
    lists: list[str] = []
    current = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match:
            key, value = match.group(1).lower(), match.group(2).strip()
            current = None
            if key == "parameter":
                pm = _PARAM.match(value)
                if not pm:
                    raise QueryError(
                        f"{path}: cannot read the parameter line {line!r}.",
                        "Write it as: # Parameter: name = default | description",
                    )
                parameters.append(Parameter(pm.group(1), pm.group(2), (pm.group(3) or "").strip()))
            elif key == "lists":
                lists += [v.lstrip("?") for v in value.split()]
            else:
                current = "notes" if key.startswith("note") else key
                parts[current].append(value)
        elif current and line.strip("# ").strip():
            parts[current].append(line.lstrip("#").strip())
    return LibraryQuery(
        name=path.stem,
        path=path,
        question=" ".join(parts["question"]),
        expected=" ".join(parts["expected"]),
        text=text,
        parameters=tuple(parameters),
        notes=" ".join(parts["notes"]),
        lists=tuple(lists),
    )


def library(queries_dir: Path) -> dict[str, LibraryQuery]:
    """Every question in ``queries_dir`` (not its ``checks/``), by name."""
    return {p.stem: read_query(p) for p in sorted(queries_dir.glob("*.rq"))}


def find(queries_dir: Path, name_or_file: str) -> LibraryQuery:
    """A library question by name, or a query file by path."""
    path = Path(name_or_file)
    if path.suffix == ".rq" and path.is_file():
        return read_query(path)
    questions = library(queries_dir)
    if name_or_file in questions:
        return questions[name_or_file]
    close = difflib.get_close_matches(name_or_file, questions, n=3)
    hint = f"Did you mean {' or '.join(close)}? " if close else ""
    raise QueryError(
        f"There is no question named {name_or_file!r} and no query file at that path.",
        f"{hint}List the questions with: iakg query --list",
    )


# ---------------------------------------------------------------------------------------------
# Binding parameters
# ---------------------------------------------------------------------------------------------


def term_for(parameter: Parameter, value: str) -> ox.NamedNode | ox.Literal:
    """The RDF term for a parameter value given on the command line or in Python.

    IRIs may be written in full (``https://...`` or ``<https://...>``), as a prefixed name
    (``bar:funding-uncertainty``), or as a bare id in the namespace of the default
    (``funding-uncertainty`` for a barrier). Numbers stay numbers; anything else is a string.
    """
    value = value.strip()
    if not parameter.is_iri:
        if _is_number(value) and _is_number(parameter.default):
            kind = "decimal" if "." in value else "integer"
            return ox.Literal(value, datatype=ox.NamedNode(f"http://www.w3.org/2001/XMLSchema#{kind}"))
        return ox.Literal(value.strip('"'))
    iri = _expand(value, parameter)
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise QueryError(
            f"The value {value!r} of parameter {parameter.name} is not a valid IRI ({exc}).",
            f"Give an id such as {parameter.default.split(':')[-1]}, a prefixed name such as "
            f"{parameter.default}, or a full IRI.",
        ) from None


def _expand(value: str, parameter: Parameter) -> str:
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    if value.startswith(("http://", "https://", "urn:")):
        return value
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    if sep:
        raise QueryError(
            f"Unknown prefix {prefix!r} in the value {value!r} of parameter {parameter.name}.",
            f"Known prefixes: {', '.join(sorted(PREFIXES))}; or give the full IRI.",
        )
    default_prefix = parameter.default.partition(":")[0]
    if default_prefix in PREFIXES:
        return PREFIXES[default_prefix] + value
    raise QueryError(f"Cannot tell which IRI {value!r} means for parameter {parameter.name}.", "Give the full IRI.")


def bindings_for(query: LibraryQuery, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
    """Every parameter of ``query`` bound: the given values, else the defaults."""
    for name in given:
        query.parameter(name)
    return {p.name: term_for(p, given.get(p.name, p.default)) for p in query.parameters}


def check_given(
    query: LibraryQuery,
    given: dict[str, str],
    bindings: dict[str, ox.NamedNode | ox.Literal],
    run: Callable[[str], Results],
) -> None:
    """Raise :class:`QueryError` when a value given for a parameter names nothing in the graph.

    A misspelt id would otherwise give an empty answer that reads as "no case reports this".
    ``run`` answers an ASK query (on the embedded store or the endpoint).
    """
    for parameter in query.parameters:
        term = bindings.get(parameter.name)
        if parameter.name not in given or term is None:
            continue
        if isinstance(term, ox.NamedNode):
            ask, found = f"ASK {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} }}", f" ({term.value})"
        elif _is_number(term.value):  # a number need not occur in the graph (a threshold, a count)
            continue
        else:
            ask, found = f"ASK {{ ?s ?p {term} }}", ""
        if run(ask).boolean:
            continue
        what = f"Give {parameter.description}" if parameter.description else "Give a value of the graph"
        example = parameter.default.strip('"')
        raise QueryError(
            f"The value {given[parameter.name]!r} of parameter {parameter.name} names nothing in the graph{found}.",
            f"{what}, for example {parameter.name}={example}.",
        )


def prepared(query: LibraryQuery, given: dict[str, str], run: Callable[[str], Results]) -> str:
    """The text of ``query`` with every parameter bound: the given values, checked against the
    graph by ``run`` (see :func:`check_given`), and the defaults for the rest."""
    bindings = bindings_for(query, given)
    check_given(query, given, bindings, run)
    return bind(query.text, bindings)


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def bind(text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with a ``VALUES`` block binding each variable, at the start of its outer WHERE."""
    if not bindings:
        return text
    body = _strip_comments(text)
    match = _WHERE.search(body)
    if match is None:
        raise QueryError(
            "A query with parameters needs a WHERE clause.", "Write the query as SELECT ... WHERE { ... }."
        )
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"{body[: match.end()]}\n  VALUES ({names}) {{ ({values}) }}\n{body[match.end() :]}"


def _strip_comments(text: str) -> str:
    """The query without full-line comments (so that a WHERE in a comment is not matched)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def run_local(store: ox.Store, text: str) -> Results:
    """Run a SELECT or ASK query on the embedded store (union of its named graphs)."""
    try:
        answer = store.query(text, use_default_graph_as_union=True)
    except SyntaxError as exc:
        raise QueryError(
            f"The query is not valid SPARQL: {exc.msg or exc}.", "Correct the query text at that position."
        ) from None
    if isinstance(answer, ox.QueryTriples):
        raise QueryError("CONSTRUCT and DESCRIBE queries are not supported here.", "Use a SELECT or ASK query.")
    return Results.from_oxigraph(answer)
