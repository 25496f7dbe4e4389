"""What every page of the static site shares: :class:`Reader`, which runs SPARQL over the store
and gives the :class:`Facts` of a resource; the HTML ``id`` of a resource (:func:`anchor`);
escaping, line locators, description lists and tables; and :func:`page`, the template of every page.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import pyoxigraph as ox

from .errors import InputError
from .iris import BASE
from .pipeline import INFERRED_GRAPH

DEFAULT_BASE = BASE
STANDARD_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "vann": "http://purl.org/vocab/vann/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9._~/-]")


def esc(text: str) -> str:
    """Text escaped for HTML content and attribute values."""
    return html.escape(text, quote=True)


def sort_key(label: str, iri: str = "") -> tuple[str, str, str]:
    """Label without regard to case, then exactly, then IRI: a total, stable order."""
    return (label.casefold(), label, iri)


def anchor(iri: str, base_iri: str) -> str:
    """The HTML id of a resource: its name in the ontology (``Initiative``) or its path under
    ``id/`` (``level/frost-2005/co-operation``); other IRIs get a prefixed, sanitised form."""
    for ns in (base_iri + "ontology#", base_iri + "id/"):
        if iri.startswith(ns) and len(iri) > len(ns):
            return _UNSAFE.sub("_", iri[len(ns) :])
    return "iri-" + _UNSAFE.sub("_", iri)


def lines(first: str | None, last: str | None) -> str:
    """A line locator in words: ``line 12`` or ``lines 12–14``."""
    if not first:
        return ""
    return f"line {first}" if not last or last == first else f"lines {first}–{last}"


class Value(NamedTuple):
    """One value of a property: an IRI, or a literal's lexical form and language tag."""

    text: str
    lang: str = ""


@dataclass(frozen=True)
class Facts:
    """The values of each property of one resource, keyed by prefixed property name.

    ``@id`` holds the resource itself; ``^p`` the subjects that have it as value of ``p``.
    """

    values: dict[str, tuple[Value, ...]]

    def all(self, *props: str) -> list[Value]:
        return sorted({v for p in props for v in self.values.get(p, ())})

    def texts(self, *props: str) -> list[str]:
        return [v.text for v in self.all(*props)]

    def first(self, prop: str) -> str | None:
        found = self.texts(prop)
        return found[0] if found else None


#: How a page shows a field: a function of the resource's facts and the field's properties.
Show = Callable[[Facts, tuple[str, ...]], str]
#: A field of a description list: its title, the properties whose values it shows, and how.
Spec = tuple[tuple[str, tuple[str, ...], str], ...]


def fields(facts: Facts, spec: Spec, shows: dict[str, Show]) -> list[tuple[str, str]]:
    """The (title, HTML) pairs of the fields of ``spec``."""
    return [(title, shows[how](facts, props)) for title, props, how in spec]


def dl(pairs: Iterable[tuple[str, str]]) -> str:
    """A description list of (title, HTML) pairs, leaving out empty ones."""
    items = [f"<dt>{esc(title)}</dt><dd>{value}</dd>" for title, value in pairs if value]
    return "<dl>\n" + "\n".join(items) + "\n</dl>" if items else ""


def table(heads: list[str], rows: list[list[str]], ids: list[str] | None = None) -> str:
    """A table of HTML cells, with an id on each row if given; nothing when there are no rows."""
    if not rows:
        return ""
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    opens = [f'<tr id="{esc(i)}">' for i in ids] if ids else ["<tr>"] * len(rows)
    cells = ["".join(f"<td>{c}</td>" for c in row) for row in rows]
    body = "\n".join(f"{o}{c}</tr>" for o, c in zip(opens, cells, strict=True))
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def texts(facts: Facts, props: tuple[str, ...]) -> str:
    return "<br>".join(esc(t) for t in facts.texts(*props))


_FACTS = "SELECT ?s ?p ?o (LANG(?o) AS ?lang) WHERE { ?s ?p ?o }"
_INVERSE = """SELECT ?s ?p ?o WHERE {
  VALUES ?p { rdfs:subClassOf rdfs:subPropertyOf owl:inverseOf schema:domainIncludes skos:broader
              schema:rangeIncludes skos:exactMatch skos:closeMatch skos:relatedMatch
              skos:broadMatch skos:narrowMatch }
  ?s ?p ?o FILTER(isIRI(?s)) }"""
_LABELS = """SELECT ?s ?label (LANG(?label) AS ?lang) ?rank WHERE {
  { ?s skos:prefLabel ?label BIND(0 AS ?rank) } UNION { ?s rdfs:label ?label BIND(1 AS ?rank) }
  FILTER(isIRI(?s)) }"""


@dataclass
class Reader:
    """SPARQL over one store; ``iakg:`` is the ontology namespace under ``base_iri``."""

    store: ox.Store
    base_iri: str = DEFAULT_BASE
    _cache: dict[tuple[str, bool, bool], Facts] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        try:
            ox.NamedNode(self.base_iri)
        except ValueError as exc:
            raise InputError(
                f"The base IRI {self.base_iri!r} is not an IRI: {exc}.",
                "Give an absolute IRI such as https://w3id.org/iakg/.",
            ) from None
        if not self.base_iri.endswith("/"):
            raise InputError(
                f"The base IRI {self.base_iri!r} does not end with '/'.",
                "Give the base that the ontology and id/ IRIs extend, ending in /.",
            )

    @property
    def prefixes(self) -> dict[str, str]:
        return {**STANDARD_PREFIXES, "iakg": self.iakg("")}

    def iakg(self, name: str) -> str:
        """The IRI of an ontology term."""
        return self.base_iri + "ontology#" + name

    def rows(
        self, query: str, *, asserted: bool = False, **bindings: ox.NamedNode | ox.Literal
    ) -> list[dict[str, str]]:
        """Distinct solutions of a SELECT query, sorted, as dicts of variable to text.

        ``asserted`` leaves the reasoner's graph out. Parameters go in through ``bindings``
        (each must be a variable of the SELECT clause).
        """
        graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        if asserted:
            named = sorted((g for g in self.store.named_graphs() if g != INFERRED_GRAPH), key=str)
            graphs = [ox.DefaultGraph(), *named]
        solutions = self.store.query(
            query,
            prefixes=self.prefixes,
            use_default_graph_as_union=not asserted,
            default_graph=graphs,
            substitutions={ox.Variable(k): v for k, v in bindings.items()},
        )
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        found = {
            tuple((n, term.value) for n in names if (term := solution[n]) is not None)
            for solution in solutions  # type: ignore[union-attr]
        }
        return [dict(r) for r in sorted(found)]

    def facts(self, iri: str, *, asserted: bool = False, inverse: bool = False) -> Facts:
        """Every property value of ``iri`` (cached); ``inverse`` adds ``^p`` keys for the
        properties that structure the ontology (subclass, domain, broader, mappings ...)."""
        key = (iri, asserted, inverse)
        if key not in self._cache:
            found: dict[str, set[Value]] = defaultdict(set)
            for row in self.rows(_FACTS, asserted=asserted, s=ox.NamedNode(iri)):
                found[self.curie(row["p"])].add(Value(row["o"], row.get("lang", "")))
            if inverse:
                for row in self.rows(_INVERSE, asserted=asserted, o=ox.NamedNode(iri)):
                    found["^" + self.curie(row["p"])].add(Value(row["s"]))
            found["@id"] = {Value(iri)}
            self._cache[key] = Facts({p: tuple(sorted(vs)) for p, vs in sorted(found.items())})
        return self._cache[key]

    def curie(self, iri: str) -> str:
        """``iri`` as a prefixed name where a prefix fits, else unchanged."""
        for prefix, ns in sorted(self.prefixes.items()):
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def labels(self) -> dict[str, str]:
        """A label for every labelled IRI: skos:prefLabel before rdfs:label, English first."""
        best: dict[str, tuple[int, int, str]] = {}
        for row in self.rows(_LABELS):
            english = row.get("lang", "") in ("", "en")
            rank = (int(row["rank"]), 0 if english else 1, row["label"])
            best[row["s"]] = min(rank, best.get(row["s"], rank))
        return {iri: rank[2] for iri, rank in best.items()}


def page(title: str, main: str, root: str) -> str:
    """A complete HTML5 page; ``root`` leads from the page to the top of the site."""
    nav = (f'<a href="{root}index.html">Case studies</a> '
           f'<a href="{root}ontology/index.html">Ontology</a>')  # fmt: skip
    note = ("Generated from the Inter-Agency Working knowledge graph. Quotes are verbatim; "
            "line numbers refer to the plain-text file of the source.")  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="{root}site.css">
</head>
<body>
<header><nav aria-label="Site">{nav}</nav></header>
<main>
{main}
</main>
<footer><p>{note}</p></footer>
</body>
</html>
"""
