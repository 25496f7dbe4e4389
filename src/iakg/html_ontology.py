"""Readable documentation of the ontology, generated from the graph: ``ontology/index.html``.

Every class and property of the ontology namespace, then every concept scheme: the typologies
with their levels in order, the crosswalk between them, and the controlled vocabularies. Each term
has an HTML ``id`` (:func:`iakg.html_common.anchor`): ``ontology/index.html#Initiative`` and
``ontology/index.html#level/frost-2005/co-operation`` name terms. The page shows what the files
assert, not what the reasoner adds (direct superclasses only, for example).

The terms and their order come from :mod:`iakg.html_terms`; the reader, lists and tables from
:mod:`iakg.html_common`.
"""

from __future__ import annotations

import re

from .html_common import Facts, Show, Spec, anchor, dl, esc, fields, lines, sort_key, table, texts
from .html_terms import KINDS, OntologyDoc

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
    for kind, (section, heading) in KINDS.items():
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
    entries = [*KINDS.values(), ("sec-typologies", "Typologies"), ("sec-crosswalk", "Crosswalk"),
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
