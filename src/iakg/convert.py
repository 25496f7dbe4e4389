"""Moving triples between Oxigraph (the fast store) and rdflib (owlrl, pySHACL, serialisers)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import rdflib

from .load import OxTerm, OxTriple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib_term(term: OxTerm | ox.Triple | ox.DefaultGraph) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(datatype))
    raise TypeError(f"cannot convert {term!r}")


def to_ox_term(term: rdflib.term.Node) -> OxTerm:
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def to_rdflib_graph(triples: Iterable[OxTriple | ox.Triple]) -> rdflib.Graph:
    graph = rdflib.Graph()
    for triple in triples:
        s, p, o = (triple.subject, triple.predicate, triple.object) if isinstance(triple, ox.Triple) else triple
        graph.add((to_rdflib_term(s), to_rdflib_term(p), to_rdflib_term(o)))
    return graph
