"""Publish, stage 2: the VoID description of the knowledge graph, counted on the built store.

VoID: https://www.w3.org/TR/void/

:func:`compute_statistics` counts with SPARQL aggregate queries over the union of the store's
graphs (or of the graphs given). Oxigraph's union default graph does not remove a triple stated
in two graphs, so every triple count runs over ``SELECT DISTINCT ?s ?p ?o`` first: a triple counts
once however many graphs hold it. Entities are the distinct IRI subjects (VoID's entities have
IRIs); ``void:distinctSubjects`` also counts blank nodes.

:func:`void_description` writes the counts as a ``void:Dataset`` whose IRI is the DCAT dataset's
(:attr:`iakg.publish_config.PublishConfig.dataset_iri`): the two descriptions are of one resource
and merge into one graph. Partitions get IRIs minted from a digest of their class or property, so
the description has no blank nodes and the same store gives the same graph. When ``base_iri`` is
not the default, the project's own terms are named under it, as the export rewrites them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, VOID

from .dcat import FORMATS, PREFIXES, Distribution, download_url
from .iris import BASE
from .publish_config import PublishConfig

_DISTINCT = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
QUERIES = {
    "triples": f"SELECT (COUNT(*) AS ?n) WHERE {{ {_DISTINCT} }}",
    "entities": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) }",
    "distinct_subjects": "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    "distinct_objects": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
    "properties": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    "classes": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
}
#: Per class (an IRI): its distinct IRI instances.
CLASS_PARTITIONS = """SELECT ?c (SUM(IF(isIRI(?s), 1, 0)) AS ?n)
WHERE { SELECT DISTINCT ?s ?c WHERE { ?s a ?c FILTER(isIRI(?c)) } } GROUP BY ?c"""
#: Per property: its distinct triples.
PROPERTY_PARTITIONS = f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ {_DISTINCT} }} GROUP BY ?p"


@dataclass(frozen=True)
class Statistics:
    """The VoID counts of a graph; partitions sorted by IRI."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    properties: int
    classes: int
    class_partitions: tuple[tuple[str, int], ...]  # (class IRI, entities)
    property_partitions: tuple[tuple[str, int], ...]  # (property IRI, triples)

    def summary(self) -> dict[URIRef, int]:
        """The dataset-level counts by VoID property."""
        return {
            VOID.triples: self.triples,
            VOID.entities: self.entities,
            VOID.distinctSubjects: self.distinct_subjects,
            VOID.distinctObjects: self.distinct_objects,
            VOID.properties: self.properties,
            VOID.classes: self.classes,
        }

    def vocabularies(self) -> tuple[str, ...]:
        """The namespaces of the classes and properties used, sorted: the vocabularies."""
        terms = [iri for iri, _ in (*self.class_partitions, *self.property_partitions)]
        return tuple(sorted({m[1] for t in terms if (m := re.match(r"(.*[#/])[^#/]*$", t))}))


def compute_statistics(store: ox.Store, graphs: Sequence[ox.NamedNode] | None = None) -> Statistics:
    """Count ``store``: the union of all its graphs, or of ``graphs``."""

    def rows(query: str) -> list[ox.QuerySolution]:
        if graphs is None:
            result = store.query(query, use_default_graph_as_union=True)
        else:
            result = store.query(query, default_graph=list(graphs))
        assert isinstance(result, ox.QuerySolutions)
        return list(result)

    def number(term: object) -> int:
        return int(term.value) if isinstance(term, ox.Literal) else 0

    counts = {name: number(rows(query)[0]["n"]) for name, query in QUERIES.items()}

    def partitions(query: str, key: str) -> tuple[tuple[str, int], ...]:
        found = ((row[key], number(row["n"])) for row in rows(query))
        return tuple(sorted((t.value, n) for t, n in found if isinstance(t, ox.NamedNode)))

    return Statistics(
        **counts,
        class_partitions=partitions(CLASS_PARTITIONS, "c"),
        property_partitions=partitions(PROPERTY_PARTITIONS, "p"),
    )


def _partition_iri(dataset: str, kind: str, term: str) -> URIRef:
    return URIRef(f"{dataset}/void/{kind}/{hashlib.sha256(term.encode()).hexdigest()[:16]}")


def void_description(
    store: ox.Store,
    config: PublishConfig,
    *,
    distributions: Sequence[Distribution] = (),
    statistics: Statistics | None = None,
    graphs: Sequence[ox.NamedNode] | None = None,
) -> Graph:
    """The VoID description: counts, partitions, vocabularies, dumps and endpoint.

    ``statistics`` saves counting again when the caller has them (they must be of ``store``);
    ``distributions`` are the dump files (``void:dataDump`` and ``void:feature``).
    """
    stats = statistics or compute_statistics(store, graphs)

    def term(iri: str) -> URIRef:
        return URIRef(config.base_iri + iri[len(BASE) :] if iri.startswith(BASE) else iri)

    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    dataset = URIRef(config.dataset_iri)
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal(config.dataset_title, lang="en")))
    g.add((dataset, DCTERMS.license, URIRef(config.licence)))
    g.add((dataset, DCTERMS.modified, Literal(config.modified.isoformat(), datatype=XSD.date)))
    g.add((dataset, FOAF.homepage, URIRef(config.landing_page)))
    g.add((dataset, VOID.uriSpace, Literal(config.base_iri)))
    for predicate, count in stats.summary().items():
        g.add((dataset, predicate, Literal(count, datatype=XSD.integer)))
    for vocabulary in stats.vocabularies():
        g.add((dataset, VOID.vocabulary, term(vocabulary)))
    for cls, entities in stats.class_partitions:
        part = _partition_iri(config.dataset_iri, "class", term(cls))
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], term(cls)))
        g.add((part, VOID.entities, Literal(entities, datatype=XSD.integer)))
    for prop, triples in stats.property_partitions:
        part = _partition_iri(config.dataset_iri, "property", term(prop))
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, term(prop)))
        g.add((part, VOID.triples, Literal(triples, datatype=XSD.integer)))
    by_media_type = {f.media_type: f for f in FORMATS.values()}
    for distribution in distributions:
        g.add((dataset, VOID.dataDump, download_url(config, distribution)))
        if fmt := by_media_type.get(distribution.media_type):
            g.add((dataset, VOID.feature, URIRef(fmt.w3c)))
    if config.sparql_endpoint:
        g.add((dataset, VOID.sparqlEndpoint, URIRef(config.sparql_endpoint)))
    return g
