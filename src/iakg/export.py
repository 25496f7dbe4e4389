"""Stage: export the built graph as standard RDF dumps, byte for byte deterministic.

Formats: Turtle, N-Triples, JSON-LD, RDF/XML (the ontology and the data merged, with the inferred
triples if asked) and TriG (the ontology, the data and the inferred triples as three named graphs,
one block each). The same inputs give the same bytes: triples are sorted, and blank nodes (only
the ontology has them, for its class lists) get labels computed from what they contain instead of
Oxigraph's random ones. Every file re-imports to a graph isomorphic to the export (tests/test_export.py).

A publisher may serve the graph under another base IRI than ``https://w3id.org/iakg/``: every IRI
under the default base is then rewritten under the configured one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .errors import InputError
from .pipeline import write_atomic

FORMATS: dict[str, tuple[ox.RdfFormat, str, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "ttl", "text/turtle"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "nt", "application/n-triples"),
    "jsonld": (ox.RdfFormat.JSON_LD, "jsonld", "application/ld+json"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "rdf", "application/rdf+xml"),
    "trig": (ox.RdfFormat.TRIG, "trig", "application/trig"),
}
PART_GRAPHS = {
    "ontology": ox.NamedNode(iris.ONTOLOGY_GRAPH),
    "data": ox.NamedNode(iris.DATA_GRAPH),
    "inferred": ox.NamedNode(iris.INFERRED_GRAPH),
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Dump:
    """One written file."""

    path: Path
    format: str
    media_type: str
    triples: int


def _part(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str | None:
    value = getattr(graph, "value", "")
    if value == iris.INFERRED_GRAPH:
        return "inferred"
    if value.startswith(iris.GRAPH + "ontology/"):
        return "ontology"
    if value.startswith(iris.GRAPH + "data/"):
        return "data"
    return None


def parts(store: ox.Store) -> dict[str, set[ox.Triple]]:
    """The store's triples split into ontology, data and inferred (duplicates merged)."""
    split: dict[str, set[ox.Triple]] = {"ontology": set(), "data": set(), "inferred": set()}
    for quad in store:
        part = _part(quad.graph_name)
        if part is not None:
            split[part].add(quad.triple)
    return split


def _canonical_blank_nodes(triples: set[ox.Triple]) -> dict[ox.BlankNode, ox.BlankNode]:
    """A label for each blank node, computed from the triples below it (the graph's bnodes form trees)."""
    outgoing: dict[ox.BlankNode, list[ox.Triple]] = defaultdict(list)
    nodes: set[ox.BlankNode] = set()
    for triple in triples:  # one pass: at portal scale, each pass over the triples takes seconds
        subject, obj = triple.subject, triple.object
        if isinstance(subject, ox.BlankNode):
            outgoing[subject].append(triple)
            nodes.add(subject)
        if isinstance(obj, ox.BlankNode):
            nodes.add(obj)
    labels: dict[ox.BlankNode, str] = {}

    def label(node: ox.BlankNode, depth: int = 0) -> str:
        if node in labels:
            return labels[node]
        if depth > 200:
            raise InputError(
                "The graph has a cycle of blank nodes, which the exporter cannot label.", "Give the nodes IRIs."
            )
        parts = sorted(
            f"{t.predicate} {label(t.object, depth + 1) if isinstance(t.object, ox.BlankNode) else t.object}"
            for t in outgoing[node]
        )
        labels[node] = hashlib.sha1("\n".join(parts).encode("utf-8")).hexdigest()[:16]
        return labels[node]

    for node in nodes:
        label(node)
    seen: dict[str, int] = defaultdict(int)
    mapping = {}
    for node in sorted(nodes, key=lambda n: (labels[n], n.value)):
        seen[labels[node]] += 1
        suffix = "" if seen[labels[node]] == 1 else f"x{seen[labels[node]]}"
        mapping[node] = ox.BlankNode(f"b{labels[node]}{suffix}")
    return mapping


def _rebase(term: Term, base: str) -> Term:
    """``term`` under ``base``: IRIs, and literals that spell an IRI (vann:preferredNamespaceUri)."""
    if base == iris.BASE or not term.value.startswith(iris.BASE):
        return term
    if isinstance(term, ox.NamedNode):
        return ox.NamedNode(base + term.value[len(iris.BASE) :])
    if isinstance(term, ox.Literal) and " " not in term.value and not term.language:
        return ox.Literal(base + term.value[len(iris.BASE) :], datatype=term.datatype)
    return term


def rebased(store: ox.Store, base: str) -> ox.Store:
    """The graph with its IRIs under ``base``, as the dumps have them (the store itself for the default base).

    Graph names are left as they are: they are the build's own bookkeeping (which triples were
    inferred), never published as IRIs of the dataset.
    """
    if base == iris.BASE:
        return store
    copy = ox.Store()
    copy.bulk_extend(
        ox.Quad(_rebase(q.subject, base), _rebase(q.predicate, base), _rebase(q.object, base), q.graph_name)  # type: ignore[arg-type]
        for q in store
    )
    return copy


def _fixer(mapping: dict[ox.BlankNode, ox.BlankNode], base: str) -> Callable[[ox.Triple], ox.Triple]:
    """A function giving a triple its canonical blank-node labels and the base IRI ``base``.

    Only the triples it changes are rebuilt: with the default base, those with a blank node (a
    few dozen, all in the ontology), so that an export at portal scale does not re-create a
    million triples that stay the same.
    """

    def term(x: Term) -> Term:
        return _rebase(mapping.get(x, x) if isinstance(x, ox.BlankNode) else x, base)

    def fix(t: ox.Triple) -> ox.Triple:
        if base == iris.BASE and not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode):
            return t
        return ox.Triple(term(t.subject), term(t.predicate), term(t.object))  # type: ignore[arg-type]

    return fix


def normalised(triples: set[ox.Triple], base: str = iris.BASE) -> list[ox.Triple]:
    """The triples with deterministic blank-node labels, rebased, sorted."""
    fix = _fixer(_canonical_blank_nodes(triples), base)
    return sorted({fix(t) for t in triples}, key=str)


def export(
    store: ox.Store,
    out_dir: Path,
    formats: Iterable[str],
    *,
    include_inferred: bool = False,
    base: str = iris.BASE,
    name: str = "iakg",
) -> list[Dump]:
    """Write one dump per format into ``out_dir`` (through temporary files and renames)."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise InputError(f"Unknown export format {', '.join(unknown)}.", f"Use one of: {', '.join(FORMATS)}.")
    if not base.endswith(("/", "#")):
        raise InputError(f"The base IRI {base!r} must end with '/' or '#'.", "Correct base_iri in publish.toml.")
    split = parts(store)
    everything = split["ontology"] | split["data"] | (split["inferred"] if include_inferred else set())
    merged = normalised(everything, base) if set(formats) - {"trig"} else []
    dumps = []
    prefixes = {p: _rebase(ox.NamedNode(ns), base).value for p, ns in iris.PREFIXES.items()}
    for fmt in formats:
        rdf_format, extension, media = FORMATS[fmt]
        path = out_dir / f"{name}.{extension}"
        if fmt == "trig":
            # One canonical labelling for the whole dataset, so a blank node keeps its label
            # across graphs; the inferred graph is always included in TriG. One block per graph,
            # in the order ontology, data, inferred, each sorted.
            fix = _fixer(_canonical_blank_nodes(split["ontology"] | split["data"] | split["inferred"]), base)
            quads = []
            for part, graph in PART_GRAPHS.items():
                name_of = ox.NamedNode(_rebase(graph, base).value)
                ordered = sorted({fix(t) for t in split[part]}, key=str)
                quads += [ox.Quad(t.subject, t.predicate, t.object, name_of) for t in ordered]
            data = ox.serialize(quads, format=rdf_format, prefixes=prefixes)
            count = len(quads)
        else:
            data = ox.serialize(merged, format=rdf_format, prefixes=prefixes if fmt in ("turtle", "rdfxml") else None)
            count = len(merged)
        assert isinstance(data, bytes)
        write_atomic(path, data)
        dumps.append(Dump(path, fmt, media, count))
    return dumps
