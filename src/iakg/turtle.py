"""A deterministic, readable Turtle writer for the files the project generates.

rdflib's serialisers sort subjects by IRI, which scatters a case over the file (its claims, named
by hashes, come first). This writer takes the order from the caller, as titled sections, writes
``rdf:type`` first and the other predicates and objects sorted, and abbreviates with the project's
prefixes. Same graph and sections in, same bytes out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from .namespaces import PREFIXES


def namespace_manager() -> NamespaceManager:
    manager = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, iri in PREFIXES.items():
        manager.bind(prefix, iri, override=True, replace=True)
    return manager


def _term(term: Node, manager: NamespaceManager) -> str:
    if isinstance(term, BNode):
        raise ValueError("the Turtle writer does not write blank nodes")
    if term == RDF.type:
        return "a"
    return str(term.n3(manager))


def write_turtle(
    graph: Graph,
    sections: Sequence[tuple[str, Iterable[URIRef]]],
    header: str = "",
) -> str:
    """Turtle for ``graph``, subjects in the order of ``sections`` (each with a comment title).

    Subjects of ``graph`` left out of every section are written last, sorted, under "Other".
    """
    manager = namespace_manager()
    used = {str(t) for triple in graph for t in triple if isinstance(t, URIRef)} | {
        str(t.datatype) for triple in graph for t in triple if isinstance(t, Literal) and t.datatype
    }
    lines = [f"# {line}".rstrip() for line in header.splitlines()] if header else []
    for prefix, iri in sorted(PREFIXES.items()):
        if any(u.startswith(iri) for u in used):
            lines.append(f"@prefix {prefix}: <{iri}> .")
    written: set[Node] = set()
    remaining = set(graph.subjects()) - {s for _, subjects in sections for s in subjects}
    for title, subjects in [*sections, ("Other", sorted(remaining, key=str))]:
        block = [s for s in subjects if s not in written and (s, None, None) in graph]
        if not block:
            continue
        lines += ["", f"# {'-' * 93}", f"# {title}", f"# {'-' * 93}"]
        for subject in block:
            written.add(subject)
            lines.append("")
            lines.extend(_subject(graph, subject, manager))  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def _subject(graph: Graph, subject: URIRef, manager: NamespaceManager) -> list[str]:
    by_predicate: dict[Node, list[Node]] = {}
    for _, p, o in graph.triples((subject, None, None)):
        by_predicate.setdefault(p, []).append(o)
    order = sorted(by_predicate, key=lambda p: (p != RDF.type, _term(p, manager)))
    out = [_term(subject, manager)]
    for i, predicate in enumerate(order):
        objects = sorted(by_predicate[predicate], key=lambda o: _term(o, manager))
        text = " , ".join(_term(o, manager) for o in objects)
        end = " ." if i == len(order) - 1 else " ;"
        out.append(f"    {_term(predicate, manager)} {text}{end}")
    return out
