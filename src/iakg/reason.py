"""Stage 2, reason: the OWL 2 RL entailments the ontology licenses on the data.

Two engines compute them:

* :func:`reason_in_store` (the default) reads the ontology's axioms once into lookup tables
  (:class:`Tbox`) and applies, as SPARQL updates inside Oxigraph, exactly the OWL 2 RL rules that
  the ontology's constructs trigger, until nothing new follows: ``cax-sco`` (types from
  subclasses), ``prp-spo1`` (sub-properties), ``prp-inv1/2`` (inverses), ``prp-symp`` (symmetric),
  ``prp-trp`` (transitive), and the inconsistency rules ``cax-dw`` / ``cax-adc`` (disjoint
  classes). The ontology uses no other OWL construct that has an OWL 2 RL rule on individuals (no
  domains or ranges, functional properties, equality, restrictions or property chains);
  :func:`unsupported_axioms` finds any that appear, and the build refuses to run on them, so the
  engine can never silently miss an entailment.
* :func:`iakg.reason_owlrl.owlrl_closure` runs owlrl's full OWL 2 RL closure (the baseline).

``tests/test_reason.py`` checks that both give the same entailments about individuals on the
eight real cases and on the inconsistent fixtures; owlrl's closure also contains tautologies
(``x owl:sameAs x``, ``x rdf:type owl:Thing``) and schema-level triples, which are left out of
the comparison (see :func:`comparable`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from .errors import InconsistencyError

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[Term, Term, Term]

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
TYPE = ox.NamedNode(RDF + "type")
FIRST = ox.NamedNode(RDF + "first")
REST = ox.NamedNode(RDF + "rest")
NIL = ox.NamedNode(RDF + "nil")
SUBCLASS = ox.NamedNode(RDFS + "subClassOf")
SUBPROPERTY = ox.NamedNode(RDFS + "subPropertyOf")
INVERSE = ox.NamedNode(OWL + "inverseOf")
EQUIV_CLASS = ox.NamedNode(OWL + "equivalentClass")
EQUIV_PROP = ox.NamedNode(OWL + "equivalentProperty")
SYMMETRIC = ox.NamedNode(OWL + "SymmetricProperty")
TRANSITIVE = ox.NamedNode(OWL + "TransitiveProperty")
DISJOINT = ox.NamedNode(OWL + "disjointWith")
ALL_DISJOINT = ox.NamedNode(OWL + "AllDisjointClasses")
MEMBERS = ox.NamedNode(OWL + "members")
THING = ox.NamedNode(OWL + "Thing")
SAME_AS = ox.NamedNode(OWL + "sameAs")

#: Constructs with OWL 2 RL rules on individuals that :func:`reason_in_store` does not implement.
UNSUPPORTED_PREDICATES = {
    RDFS + "domain",
    RDFS + "range",
    OWL + "propertyChainAxiom",
    OWL + "hasKey",
    OWL + "onProperty",
    OWL + "someValuesFrom",
    OWL + "allValuesFrom",
    OWL + "hasValue",
    OWL + "intersectionOf",
    OWL + "unionOf",
    OWL + "oneOf",
    OWL + "sameAs",
    OWL + "differentFrom",
    OWL + "propertyDisjointWith",
    OWL + "sourceIndividual",
}
UNSUPPORTED_TYPES = {
    OWL + "FunctionalProperty",
    OWL + "InverseFunctionalProperty",
    OWL + "IrreflexiveProperty",
    OWL + "AsymmetricProperty",
    OWL + "AllDifferent",
    OWL + "AllDisjointProperties",
    OWL + "NegativePropertyAssertion",
}


def _closure(edges: dict[Term, set[Term]], start: Term) -> set[Term]:
    """Every node reachable from ``start`` (``start`` included)."""
    seen = {start}
    todo = [start]
    while todo:
        node = todo.pop()
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _rdf_list(triples_by_subject: dict[Term, dict[Term, list[Term]]], head: Term) -> list[Term]:
    items: list[Term] = []
    node = head
    while node != NIL and node in triples_by_subject:
        firsts = triples_by_subject[node].get(FIRST, [])
        items.extend(firsts[:1])
        rests = triples_by_subject[node].get(REST, [])
        if not rests:
            break
        node = rests[0]
    return items


@dataclass
class Tbox:
    """The ontology's axioms, compiled into lookup tables."""

    superclasses: dict[Term, set[Term]] = field(default_factory=dict)
    superproperties: dict[Term, set[Term]] = field(default_factory=dict)
    inverses: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    symmetric: set[Term] = field(default_factory=set)
    transitive: set[Term] = field(default_factory=set)
    disjoint: dict[Term, set[Term]] = field(default_factory=lambda: defaultdict(set))
    labels: dict[Term, str] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, triples: Iterable[Triple]) -> Tbox:
        sub_c: dict[Term, set[Term]] = defaultdict(set)
        sub_p: dict[Term, set[Term]] = defaultdict(set)
        by_subject: dict[Term, dict[Term, list[Term]]] = defaultdict(lambda: defaultdict(list))
        tbox = cls()
        all_disjoint: list[Term] = []
        for s, p, o in triples:
            by_subject[s][p].append(o)
            if p == SUBCLASS:
                sub_c[s].add(o)
            elif p == EQUIV_CLASS:
                sub_c[s].add(o)
                sub_c[o].add(s)
            elif p == SUBPROPERTY:
                sub_p[s].add(o)
            elif p == EQUIV_PROP:
                sub_p[s].add(o)
                sub_p[o].add(s)
            elif p == INVERSE:
                tbox.inverses[s].add(o)
                tbox.inverses[o].add(s)
            elif p == TYPE and o == SYMMETRIC:
                tbox.symmetric.add(s)
            elif p == TYPE and o == TRANSITIVE:
                tbox.transitive.add(s)
            elif p == TYPE and o == ALL_DISJOINT:
                all_disjoint.append(s)
            elif p == DISJOINT:
                tbox.disjoint[s].add(o)
                tbox.disjoint[o].add(s)
            elif p == ox.NamedNode(RDFS + "label") and isinstance(o, ox.Literal):
                tbox.labels.setdefault(s, o.value)
        for node in all_disjoint:
            for members_head in by_subject[node].get(MEMBERS, []):
                members = _rdf_list(by_subject, members_head)
                for a in members:
                    tbox.disjoint[a].update(m for m in members if m != a)
        tbox.superclasses = {c: _closure(sub_c, c) - {c} for c in list(sub_c)}
        tbox.superproperties = {p: _closure(sub_p, p) - {p} for p in list(sub_p)}
        return tbox


def unsupported_axioms(triples: Iterable[Triple]) -> list[Triple]:
    """Axioms with OWL 2 RL rules that :func:`reason_in_store` does not implement."""
    found = []
    for s, p, o in triples:
        if p.value in UNSUPPORTED_PREDICATES or (p == TYPE and o.value in UNSUPPORTED_TYPES):
            found.append((s, p, o))
    return found


@dataclass
class Inference:
    """The result of reasoning: how many new triples, and the inconsistencies found."""

    inferred: int
    inconsistencies: list[str]

    def raise_if_inconsistent(self) -> None:
        if self.inconsistencies:
            raise InconsistencyError(self.inconsistencies)


TBOX_PREDICATES = (SUBCLASS, SUBPROPERTY, INVERSE, EQUIV_CLASS, EQUIV_PROP, DISJOINT, MEMBERS, FIRST, REST)
TBOX_TYPES = (SYMMETRIC, TRANSITIVE, ALL_DISJOINT)


def _match(store: ox.Store, s: Term | None, p: Term | None, o: Term | None) -> list[Triple]:
    """The triples of ``store`` (any graph) matching a pattern, as plain tuples."""
    found = store.quads_for_pattern(s, p, o)  # type: ignore[arg-type]
    return [cast(Triple, (q.subject, q.predicate, q.object)) for q in found]


def tbox_of(store: ox.Store) -> Tbox:
    """The axioms of every graph of ``store``, fetched by predicate (the data is not scanned)."""
    triples: list[Triple] = []
    for predicate in TBOX_PREDICATES:
        triples += _match(store, None, predicate, None)
    for kind in TBOX_TYPES:
        triples += _match(store, None, TYPE, kind)
    labels = ox.NamedNode(RDFS + "label")
    classes = {t[2] for t in triples if t[1] in (DISJOINT,)} | {t[0] for t in triples if t[1] == DISJOINT}
    classes |= {t[2] for t in triples if t[1] == FIRST}
    for node in classes:
        triples += _match(store, node, labels, None)
    return Tbox.from_triples(triples)


def unsupported_in_store(store: ox.Store) -> list[Triple]:
    """Axioms with OWL 2 RL rules on individuals that :func:`reason_in_store` does not implement."""
    found: list[Triple] = []
    for predicate in sorted(UNSUPPORTED_PREDICATES):
        found += _match(store, None, ox.NamedNode(predicate), None)[:3]
    for kind in sorted(UNSUPPORTED_TYPES):
        found += _match(store, None, TYPE, ox.NamedNode(kind))[:3]
    return found


def _values(pairs: Iterable[tuple[Term, Term]]) -> str:
    return " ".join(f"({a} {b})" for a, b in sorted(pairs, key=str))


def _graphs(store: ox.Store, inferred: ox.NamedNode) -> str:
    names = {g for g in store.named_graphs() if isinstance(g, ox.NamedNode)} | {inferred}
    return " ".join(f"USING {g}" for g in sorted(names, key=str))


def derivations(tbox: Tbox) -> dict[Term, set[tuple[Term, bool]]]:
    """For each property p, every (q, flipped) such that ``s p o`` entails ``s q o`` (or ``o q s``).

    Follows prp-spo1 (sub-properties), prp-inv1/2 (inverses, which flip the direction) and
    prp-symp (symmetric properties, likewise) to their closure, on the schema alone.
    """
    properties = set(tbox.superproperties) | set(tbox.inverses) | tbox.symmetric
    found: dict[Term, set[tuple[Term, bool]]] = {}
    for start in properties:
        seen: set[tuple[Term, bool]] = set()
        todo = [(start, False)]
        while todo:
            prop, flipped = todo.pop()
            steps = [(q, flipped) for q in tbox.superproperties.get(prop, ())]
            steps += [(q, not flipped) for q in tbox.inverses.get(prop, ())]
            if prop in tbox.symmetric:
                steps.append((prop, not flipped))
            for step in steps:
                if step not in seen:
                    seen.add(step)
                    todo.append(step)
        seen.discard((start, False))
        if seen:
            found[start] = seen
    return found


def _derive(table: dict[Term, set[tuple[Term, bool]]], inferred: ox.NamedNode, source: str) -> list[str]:
    """Updates applying the derivation table to the triples of ``source`` (a GRAPH pattern name)."""
    straight = [(p, q) for p, steps in table.items() for q, flipped in steps if not flipped]
    reverse = [(p, q) for p, steps in table.items() for q, flipped in steps if flipped]
    updates = []
    if straight:
        updates.append(
            f"INSERT {{ GRAPH {inferred} {{ ?s ?q ?o }} }} WHERE {{ VALUES (?p ?q) {{ {_values(straight)} }} "
            f"GRAPH {source} {{ ?s ?p ?o }} }}"
        )
    if reverse:
        updates.append(
            f"INSERT {{ GRAPH {inferred} {{ ?o ?q ?s }} }} WHERE {{ VALUES (?p ?q) {{ {_values(reverse)} }} "
            f"GRAPH {source} {{ ?s ?p ?o }} FILTER(!isLiteral(?o)) }}"
        )
    return updates


def reason_in_store(store: ox.Store, inferred: ox.NamedNode) -> Inference:
    """Compute the entailments into the named graph ``inferred``, inside Oxigraph.

    1. every asserted triple of a property with sub-properties, inverses or symmetry gives all it
       entails at once (the schema is closed beforehand, see :func:`derivations`);
    2. each transitive property is closed over the union of all graphs (a property path), and the
       new triples give what they entail in turn, until nothing new follows (the transitive
       relations are few: levels, places, concept hierarchies);
    3. every typed node gets the superclasses of its types (cax-sco), in one pass since no rule
       produces types;
    4. what some other graph asserts already is removed from ``inferred``, which so holds exactly
       the new entailments.
    """
    tbox = tbox_of(store)
    table = derivations(tbox)

    def size() -> int:
        solutions = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} }}")
        assert isinstance(solutions, ox.QuerySolutions)
        return int(next(iter(solutions))["n"].value)

    for update in _derive(table, inferred, "?g"):
        store.update(update)
    transitive_table = {p: steps for p, steps in table.items() if p in tbox.transitive}
    before = -1
    while tbox.transitive and before != (now := size()):
        before = now
        using = _graphs(store, inferred)
        for prop in sorted(tbox.transitive, key=str):
            store.update(f"INSERT {{ GRAPH {inferred} {{ ?s {prop} ?o }} }} {using} WHERE {{ ?s {prop}+ ?o }}")
        for update in _derive(transitive_table, inferred, str(inferred)):
            store.update(update)
    sub_c = [(c, d) for c, supers in tbox.superclasses.items() for d in supers]
    if sub_c:
        store.update(
            f"INSERT {{ GRAPH {inferred} {{ ?s a ?d }} }} WHERE {{ VALUES (?c ?d) {{ {_values(sub_c)} }} "
            f"GRAPH ?g {{ ?s a ?c }} }}"
        )
    store.update(
        f"DELETE {{ GRAPH {inferred} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {inferred} {{ ?s ?p ?o }} "
        f"GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != {inferred}) }}"
    )
    return Inference(size(), _disjoint_in_store(store, tbox))


def _disjoint_in_store(store: ox.Store, tbox: Tbox) -> list[str]:
    """Nodes typed with two classes the ontology declares disjoint (cax-dw, cax-adc).

    One scan per group of mutually disjoint classes finds the nodes with two or more of them;
    only those few are then looked at class by class.
    """
    groups: dict[frozenset[Term], None] = {}
    for a, others in tbox.disjoint.items():
        groups[frozenset({a, *others})] = None
    suspects: set[Term] = set()
    for group in groups:
        members = " ".join(sorted(map(str, group)))
        query = f"SELECT ?x WHERE {{ VALUES ?t {{ {members} }} ?x a ?t }} GROUP BY ?x HAVING (COUNT(DISTINCT ?t) > 1)"
        solutions = store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        suspects.update(cast(Term, row["x"]) for row in solutions)
    problems = set()
    for node in suspects:
        types = {t[2] for t in _match(store, node, TYPE, None)}
        for a in types:
            for b in tbox.disjoint.get(a, set()) & types:
                if str(a) < str(b):
                    problems.add(
                        f"{getattr(node, 'value', node)} is both a {tbox.labels.get(a, str(a))} and a "
                        f"{tbox.labels.get(b, str(b))}, which the ontology declares disjoint"
                    )
    return sorted(problems)


BUILT_IN = (RDF, RDFS, OWL, "http://www.w3.org/2001/XMLSchema#")
SCHEMA_PREDICATES = {
    SUBCLASS.value, SUBPROPERTY.value, EQUIV_CLASS.value, EQUIV_PROP.value, DISJOINT.value,
}  # fmt: skip


def comparable(triple: Triple) -> bool:
    """Whether an OWL 2 RL entailment says something about the data, for comparing engines.

    owlrl's closure also holds what OWL 2 RL entails of everything: every resource is the same as
    itself and an owl:Thing, every literal is of its datatype, the built-in vocabulary is typed,
    and schema axioms are closed (subClassOf itself, equivalences). None of it bears on the data
    or on any query; :func:`reason_in_store` leaves it out, and the equivalence test compares the rest.
    """
    s, p, o = triple
    if isinstance(s, ox.Literal):
        return False
    if p == SAME_AS and s == o:
        return False
    if p == TYPE and o == THING:
        return False
    if p.value in SCHEMA_PREDICATES:
        return False
    return not (isinstance(s, ox.NamedNode) and s.value.startswith(BUILT_IN))
