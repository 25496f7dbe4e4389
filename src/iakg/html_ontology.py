"""Readable documentation of the ontology, generated from the graph: ``ontology/index.html``.

Every class and property of the ontology namespace, then every concept scheme: the typologies
with their levels in order, the crosswalk between them, and the controlled vocabularies. Each term
has an HTML ``id`` (:func:`anchor`): ``ontology/index.html#Initiative`` and
``ontology/index.html#level/frost-2005/co-operation`` name terms. The page shows what the files
assert, not what the reasoner adds (direct superclasses only, for example).

It also holds what the case pages (:mod:`iakg.html`) share with it: :class:`Reader`, which runs
SPARQL over the store, and the anchors, lists and tables of both pages.
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
from .pipeline import INFERRED_GRAPH

DEFAULT_BASE = "https://w3id.org/iakg/"
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
#: Vocabularies shown right after the typologies and the crosswalk, in this order.
LEADING_SCHEMES = ("facilitators", "barriers", "impacts-on-services", "impacts-on-families",
                   "impacts-on-children", "sectors", "target-groups", "countries")  # fmt: skip
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


# ---------------------------------------------------------------------------------------------
# What the page shows
# ---------------------------------------------------------------------------------------------

_KINDS = {
    "owl:Class": ("sec-classes", "Classes"),
    "owl:ObjectProperty": ("sec-object-properties", "Object properties"),
    "owl:DatatypeProperty": ("sec-datatype-properties", "Datatype properties"),
    "owl:AnnotationProperty": ("sec-annotation-properties", "Annotation properties"),
}
SECTION_IDS = {"sec-typologies", "sec-crosswalk", "sec-vocabularies"}
SECTION_IDS |= {section for section, _ in _KINDS.values()}
_TERMS = """SELECT ?term ?kind ?ns WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty }
  ?term a ?kind . FILTER(isIRI(?term) && STRSTARTS(STR(?term), STR(?ns))) }"""
_SCHEMES = """SELECT ?scheme ?typology WHERE {
  { ?scheme a skos:ConceptScheme } UNION { ?scheme a iakg:Typology }
  BIND(EXISTS { ?scheme a iakg:Typology } AS ?typology) FILTER(isIRI(?scheme)) }"""
_MEMBERS = """SELECT ?scheme ?concept WHERE {
  ?concept skos:inScheme|skos:topConceptOf ?scheme . FILTER(isIRI(?concept)) }"""
_MAPPINGS = "SELECT ?m WHERE { ?m a iakg:CrosswalkMapping . FILTER(isIRI(?m)) }"
_ONTOLOGY = "SELECT ?o ?base WHERE { ?o a owl:Ontology . FILTER(STRSTARTS(STR(?o), STR(?base))) }"


@dataclass
class OntologyDoc:
    """What the ontology page shows, read from the store's asserted graphs."""

    reader: Reader
    labels: dict[str, str]
    ontology: list[str]
    terms: dict[str, list[str]]  # owl:Class, owl:ObjectProperty ... -> term IRIs
    typologies: list[str]
    vocabularies: list[str]  # in page order
    members: dict[str, list[str]]  # scheme -> the concepts shown under it
    mappings: list[str]
    ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        iris = [*self.typologies, *self.vocabularies, *self.mappings]
        iris += [i for group in [*self.terms.values(), *self.members.values()] for i in group]
        self.ids = {anchor(i, self.reader.base_iri) for i in iris} | SECTION_IDS

    def facts(self, iri: str) -> Facts:
        return self.reader.facts(iri, asserted=True, inverse=True)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or self.reader.curie(iri)

    def name(self, iri: str) -> str:
        """The label, with the notation where there is one: ``Coalition (Bertram-1)``."""
        return self.label(iri) + "".join(f" ({n})" for n in self.facts(iri).texts("skos:notation"))

    def by_label(self, iris: Iterable[str]) -> list[str]:
        return sorted(set(iris), key=lambda i: sort_key(self.label(i), i))

    def link(self, iri: str, page: str = "") -> str:
        """A link to the term's entry on this page (from ``page``), or to an outside
        vocabulary's term, or the term's label."""
        a = anchor(iri, self.reader.base_iri)
        if a in self.ids:
            curie = self.reader.curie(iri)
            ours = curie.startswith("iakg:")
            text = f"<code>{esc(curie)}</code>" if ours else esc(self.name(iri))
            return f'<a href="{page}#{esc(a)}">{text}</a>'
        if iri.startswith(self.reader.base_iri):
            return esc(self.label(iri))
        return f'<a href="{esc(iri)}"><code>{esc(self.reader.curie(iri))}</code></a>'

    def links(self, facts: Facts, props: tuple[str, ...]) -> str:
        return ", ".join(self.link(i) for i in self.by_label(facts.texts(*props)))


def collect(reader: Reader, labels: dict[str, str]) -> OntologyDoc:
    """Read the ontology, its typologies and its vocabularies from the store."""
    terms: dict[str, list[str]] = defaultdict(list)
    for row in reader.rows(_TERMS, asserted=True, ns=ox.Literal(reader.iakg(""))):
        terms[reader.curie(row["kind"])].append(row["term"])
    rows = reader.rows(_SCHEMES, asserted=True)
    typologies = {r["scheme"] for r in rows if r["typology"] == "true"}
    others = {r["scheme"] for r in rows} - typologies
    leading = [reader.base_iri + "id/scheme/" + name for name in LEADING_SCHEMES]

    def order(iris: Iterable[str]) -> list[str]:
        return sorted(iris, key=lambda i: sort_key(labels.get(i) or i, i))

    vocabularies = [s for s in leading if s in others] + order(others - set(leading))
    members: dict[str, set[str]] = defaultdict(set)
    for row in reader.rows(_MEMBERS, asserted=True):
        members[row["scheme"]].add(row["concept"])
    shown: dict[str, list[str]] = {}
    for scheme in [*order(typologies), *vocabularies]:  # a concept goes under its first scheme
        shown[scheme] = order(members[scheme] - {c for cs in shown.values() for c in cs})
    base = ox.Literal(reader.base_iri)
    return OntologyDoc(
        reader,
        labels,
        [r["o"] for r in reader.rows(_ONTOLOGY, asserted=True, base=base)],
        {kind: sorted(iris) for kind, iris in terms.items()},
        order(typologies),
        vocabularies,
        shown,
        order(r["m"] for r in reader.rows(_MAPPINGS, asserted=True)),
    )


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------

_TERM: Spec = (
    ("Label", ("rdfs:label",), "text"),
    ("Definition", ("skos:definition",), "text"),
    ("Scope note", ("skos:scopeNote",), "text"),
    ("Characteristics", ("rdf:type",), "traits"),
    ("Subclass of", ("rdfs:subClassOf",), "links"),
    ("Superclass of", ("^rdfs:subClassOf",), "links"),
    ("Subproperty of", ("rdfs:subPropertyOf",), "links"),
    ("Superproperty of", ("^rdfs:subPropertyOf",), "links"),
    ("Inverse of", ("owl:inverseOf", "^owl:inverseOf"), "links"),
    ("Domain includes", ("schema:domainIncludes",), "links"),
    ("Range includes", ("schema:rangeIncludes",), "links"),
    ("In the domain of", ("^schema:domainIncludes",), "links"),
    ("In the range of", ("^schema:rangeIncludes",), "links"),
    ("Source", ("dcterms:source",), "source"),
    ("Requires evidence", ("iakg:requiresEvidence",), "evidence"),
)
_SCHEME: Spec = (
    ("Definition", ("skos:definition",), "text"),
    ("Citation", ("dcterms:bibliographicCitation",), "text"),
    ("Source", ("dcterms:source",), "source"),
    ("Number of levels", ("iakg:levelCount",), "text"),
    ("Scope note", ("skos:scopeNote",), "text"),
)
_CONCEPT: Spec = (
    ("Notation", ("skos:notation",), "text"),
    ("Order", ("iakg:levelOrder",), "text"),
    ("Normalised position", ("iakg:normalisedPosition",), "text"),
    ("Also called", ("skos:altLabel",), "text"),
    ("Definition", ("skos:definition",), "text"),
    ("Source", ("dcterms:source",), "source"),
    ("Citation", ("dcterms:bibliographicCitation",), "text"),
    ("Scope note", ("skos:scopeNote",), "text"),
    ("Editorial note", ("skos:editorialNote",), "text"),
    ("Broader", ("skos:broader",), "links"),
    ("Report code", ("iakg:reportCode",), "text"),
    ("ISO 3166-1 alpha-2", ("iakg:iso3166Alpha2",), "text"),
    ("Exact match", ("skos:exactMatch", "^skos:exactMatch"), "links"),
    ("Close match", ("skos:closeMatch", "^skos:closeMatch"), "links"),
    ("Broad match", ("skos:broadMatch", "^skos:narrowMatch"), "links"),
    ("Narrow match", ("skos:narrowMatch", "^skos:broadMatch"), "links"),
    ("Related match", ("skos:relatedMatch", "^skos:relatedMatch"), "links"),
)
_TRAITS = {"owl:TransitiveProperty": "transitive", "owl:SymmetricProperty": "symmetric",
           "owl:FunctionalProperty": "functional"}  # fmt: skip


def ontology_body(doc: OntologyDoc) -> tuple[str, str]:
    """The title and the ``<main>`` content of the ontology page."""
    title = doc.label(doc.ontology[0]) if doc.ontology else "Ontology"
    parts = [f"<h1>{esc(title)}</h1>", _about(doc), _contents()]
    for kind, (section, heading) in _KINDS.items():
        parts.append(_section(section, heading, [_term(doc, t) for t in doc.terms.get(kind, [])]))
    typologies = [_scheme(doc, s) for s in doc.typologies]
    parts.append(_section("sec-typologies", "Typologies of collaboration levels", typologies))
    parts.append(_section("sec-crosswalk", "Crosswalk", [_crosswalk(doc)]))
    vocabularies = [_scheme(doc, s) for s in doc.vocabularies]
    parts.append(_section("sec-vocabularies", "Controlled vocabularies", vocabularies))
    return title, "\n".join(p for p in parts if p)


def _shows(doc: OntologyDoc) -> dict[str, Show]:
    def source(f: Facts, props: tuple[str, ...]) -> str:
        """A source document with the lines of the definition, or a source named in words."""
        where = lines(f.first("iakg:fromLine"), f.first("iakg:toLine"))
        return "<br>".join(
            esc(doc.label(s) + (f", {where}" if where else "")) if s in doc.labels else esc(s) for s in f.texts(*props)
        )

    def traits(f: Facts, props: tuple[str, ...]) -> str:
        found = [_TRAITS.get(doc.reader.curie(t), "") for t in f.texts(*props)]
        return esc(", ".join(t for t in found if t))

    def evidence(f: Facts, props: tuple[str, ...]) -> str:
        return "yes: every use needs a supporting claim" if "true" in f.texts(*props) else ""

    return {"text": texts, "links": doc.links, "source": source, "traits": traits,
            "evidence": evidence}  # fmt: skip


def _section(section: str, heading: str, body: list[str]) -> str:
    inner = "\n".join(b for b in body if b) or "<p>None.</p>"
    return f'<section id="{section}">\n<h2>{esc(heading)}</h2>\n{inner}\n</section>'


def _about(doc: OntologyDoc) -> str:
    if not doc.ontology:
        return ""
    spec: Spec = (
        ("Version", ("owl:versionInfo",), "text"),
        ("Preferred prefix", ("vann:preferredNamespacePrefix",), "text"),
        ("Namespace", ("vann:preferredNamespaceUri",), "text"),
        ("Description", ("dcterms:description",), "text"),
        ("Licence", ("dcterms:license",), "links"),
    )
    return dl([_iri(doc.ontology[0]), *fields(doc.facts(doc.ontology[0]), spec, _shows(doc))])


def _contents() -> str:
    entries = [*_KINDS.values(), ("sec-typologies", "Typologies"), ("sec-crosswalk", "Crosswalk"),
               ("sec-vocabularies", "Controlled vocabularies")]  # fmt: skip
    items = "".join(f'<li><a href="#{a}">{esc(title)}</a></li>' for a, title in entries)
    return f'<nav class="toc" aria-label="Contents"><h2>Contents</h2><ul>{items}</ul></nav>'


def _term(doc: OntologyDoc, iri: str) -> str:
    about = dl([_iri(iri), *fields(doc.facts(iri), _TERM, _shows(doc))])
    name = esc(doc.reader.curie(iri))
    ident = esc(anchor(iri, doc.reader.base_iri))
    return f'<article class="term" id="{ident}">\n<h3><code>{name}</code></h3>\n{about}\n</article>'


def _scheme(doc: OntologyDoc, scheme: str) -> str:
    about = dl([*fields(doc.facts(scheme), _SCHEME, _shows(doc)), _iri(scheme)])
    concepts = doc.members.get(scheme, [])
    if scheme in doc.typologies:
        body = [_concept(doc, c, 4, []) for c in sorted(concepts, key=lambda c: _order(doc, c))]
    else:
        body = _hierarchy(doc, concepts)
    head = f'<section class="scheme" id="{esc(anchor(scheme, doc.reader.base_iri))}">'
    return "\n".join([head, f"<h3>{esc(doc.label(scheme))}</h3>", about, *body, "</section>"])


def _order(doc: OntologyDoc, level: str) -> tuple[int, tuple[str, str, str]]:
    order = doc.facts(level).first("iakg:levelOrder")
    return (int(order) if order else 0, sort_key(doc.label(level), level))


def _hierarchy(doc: OntologyDoc, concepts: list[str]) -> list[str]:
    """Concepts that have narrower concepts in the scheme first, each with those under it."""
    inside = set(concepts)
    narrower = {c: [n for n in doc.facts(c).texts("^skos:broader") if n in inside] for c in inside}
    nested = {n for ns in narrower.values() for n in ns}
    tops = sorted(inside - nested, key=lambda c: (not narrower[c], sort_key(doc.label(c), c)))
    return [_concept(doc, c, 4, doc.by_label(narrower[c])) for c in tops]


def _concept(doc: OntologyDoc, iri: str, level: int, children: list[str]) -> str:
    about = dl([*fields(doc.facts(iri), _CONCEPT, _shows(doc)), _iri(iri)])
    inner = [_concept(doc, c, level + 1, []) for c in children]
    head = f'<section class="concept" id="{esc(anchor(iri, doc.reader.base_iri))}">'
    title = f"<h{level}>{esc(doc.label(iri))}</h{level}>"
    return "\n".join([head, title, about, *inner, "</section>"])


def _crosswalk(doc: OntologyDoc) -> str:
    rows = []
    for m in doc.mappings:
        f = doc.facts(m)
        relation = [_words(r.rsplit("#", 1)[-1]) for r in f.texts("iakg:mappingRelation")]
        ends = [doc.links(f, (p,)) for p in ("iakg:mappingSubject", "iakg:mappingObject")]
        why = texts(f, ("skos:editorialNote",))
        rows.append([ends[0], esc(", ".join(relation)), ends[1], why])
    intro = "<p>Mappings between levels of different typologies, with the reason for each.</p>"
    ids = [anchor(m, doc.reader.base_iri) for m in doc.mappings]
    return intro + "\n" + table(["From level", "Relation", "To level", "Why"], rows, ids)


def _words(name: str) -> str:
    """``closeMatch`` as ``close match``."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _iri(iri: str) -> tuple[str, str]:
    return ("IRI", f"<code>{esc(iri)}</code>")
