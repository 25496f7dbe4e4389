"""Query results: a small table of RDF terms, and its W3C and terminal formats.

The same :class:`Results` comes back from the embedded store and from a remote endpoint, so that
both can be compared and printed alike. ``csv``, ``tsv``, ``json`` and ``xml`` are the W3C SPARQL
1.1 query results formats (the tests parse each back with Oxigraph's own parser); ``table`` is for
reading in a terminal, with IRIs shortened by the project's prefixes.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from .iris import PREFIXES

Term = ox.NamedNode | ox.BlankNode | ox.Literal
FORMATS = ("table", "csv", "tsv", "json", "xml")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass
class Results:
    """The solutions of a SELECT query (or the answer of an ASK query)."""

    variables: list[str]
    rows: list[list[Term | None]]
    boolean: bool | None = None

    @classmethod
    def from_oxigraph(cls, answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> Results:
        if isinstance(answer, ox.QueryBoolean):
            return cls([], [], bool(answer))
        if not isinstance(answer, ox.QuerySolutions):
            raise TypeError("only SELECT and ASK queries are supported")
        variables = [v.value for v in answer.variables]
        rows = [list(solution) for solution in answer]  # in the order of variables; 25 % faster than by name
        return cls(variables, rows)

    def __len__(self) -> int:
        return len(self.rows)

    def values(self) -> list[dict[str, str]]:
        """Rows as plain strings (IRIs, literal values), keyed by variable: the Python API's view."""
        return [{v: t.value for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows]

    def canonical(self, lists: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        """Rows as sorted tuples of N-Triples terms, list cells sorted: for comparing two answers.

        Two answers to the same question are equal when they hold the same rows in any order, and
        the same items in any order in the cells of ``lists`` variables (GROUP_CONCAT gives no order).
        """
        positions = {self.variables.index(v) for v in lists if v in self.variables}

        def cell(i: int, term: Term | None) -> str:
            if i in positions and isinstance(term, ox.Literal):
                return "; ".join(sorted(term.value.split("; ")))
            return _nt(term)

        return sorted(tuple(cell(i, term) for i, term in enumerate(row)) for row in self.rows)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of :meth:`values` (requires pandas)."""
        try:
            import pandas
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError("to_dataframe needs pandas: pip install 'interagency-kg[pandas]'") from exc
        return pandas.DataFrame(self.values(), columns=self.variables)

    def serialize(self, fmt: str) -> str:
        if fmt == "table":
            return self.table()
        if fmt == "csv":
            return self._csv()
        if fmt == "tsv":
            return self._tsv()
        if fmt == "json":
            return self._json()
        if fmt == "xml":
            return self._xml()
        raise ValueError(f"unknown format {fmt!r}")

    # -- W3C formats ------------------------------------------------------------------------

    def _csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        if self.boolean is not None:
            writer.writerow(["boolean"])
            writer.writerow(["true" if self.boolean else "false"])
            return out.getvalue()
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(
                ["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value) for t in row]
            )
        return out.getvalue()

    def _tsv(self) -> str:
        if self.boolean is not None:
            return f"?boolean\n{'true' if self.boolean else 'false'}\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join("" if t is None else _nt(t) for t in row))
        return "\n".join(lines) + "\n"

    def _json(self) -> str:
        if self.boolean is not None:
            return json.dumps({"head": {}, "boolean": self.boolean}, indent=2) + "\n"
        bindings = [
            {v: _json_term(t) for v, t in zip(self.variables, row, strict=True) if t is not None} for row in self.rows
        ]
        document = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    def _xml(self) -> str:
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if self.boolean is not None:
            lines += ["  <head/>", f"  <boolean>{'true' if self.boolean else 'false'}</boolean>", "</sparql>"]
            return "\n".join(lines) + "\n"
        lines.append("  <head>")
        lines += [f"    <variable name={quoteattr(v)}/>" for v in self.variables]
        lines += ["  </head>", "  <results>"]
        for row in self.rows:
            lines.append("    <result>")
            for v, t in zip(self.variables, row, strict=True):
                if t is not None:
                    lines.append(f"      <binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
            lines.append("    </result>")
        lines += ["  </results>", "</sparql>"]
        return "\n".join(lines) + "\n"

    # -- terminal -----------------------------------------------------------------------------

    def table(self) -> str:
        """A plain-text table for reading in a terminal."""
        if self.boolean is not None:
            return ("yes" if self.boolean else "no") + "\n"
        cells = [[short(t) for t in row] for row in self.rows]
        widths = [len(v) for v in self.variables]
        for row in cells:
            widths = [max(w, min(len(c), 60)) for w, c in zip(widths, row, strict=True)]

        def fit(text: str, width: int) -> str:
            return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)

        lines = ["  ".join(fit(v, w) for v, w in zip(self.variables, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for row in cells:
            lines.append("  ".join(fit(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines) + "\n"


def short(term: Term | None) -> str:
    """A term as a person reads it: a prefixed name for known namespaces, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = ""
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
                best = prefix
        return f"{best}:{term.value[len(PREFIXES[best]) :]}" if best else term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _nt(term: Term | None) -> str:
    return "" if term is None else str(term)


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"
