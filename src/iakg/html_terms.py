"""The terms the pages show, read from the store's asserted graphs: :class:`OntologyDoc` holds
the classes and properties of the ontology namespace, the typologies with their levels, the
controlled vocabularies, the crosswalk mappings and a label for every labelled IRI, and links a
term to its entry on the ontology page (:mod:`iakg.html_ontology`). :func:`collect` reads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from .html_common import Facts, Reader, anchor, esc, sort_key

#: Vocabularies shown right after the typologies and the crosswalk, in this order.
LEADING_SCHEMES = ("facilitators", "barriers", "impacts-on-services", "impacts-on-families",
                   "impacts-on-children", "sectors", "target-groups", "countries")  # fmt: skip
KINDS = {
    "owl:Class": ("sec-classes", "Classes"),
    "owl:ObjectProperty": ("sec-object-properties", "Object properties"),
    "owl:DatatypeProperty": ("sec-datatype-properties", "Datatype properties"),
    "owl:AnnotationProperty": ("sec-annotation-properties", "Annotation properties"),
}
SECTION_IDS = {"sec-typologies", "sec-crosswalk", "sec-vocabularies"}
SECTION_IDS |= {section for section, _ in KINDS.values()}
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
