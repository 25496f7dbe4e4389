"""Stage 2, reason: the OWL 2 RL entailments the ontology licenses on the data.

Two engines compute them:

* :func:`infer` (the default) compiles the ontology's axioms once into lookup tables and applies
  exactly the OWL 2 RL rules that the ontology's constructs trigger, with a worklist until nothing
  new follows: ``cax-sco`` (types from subclasses), ``prp-spo1`` (sub-properties), ``prp-inv1/2``
  (inverses), ``prp-symp`` (symmetric), ``prp-trp`` (transitive), and the inconsistency rules
  ``cax-dw`` / ``cax-adc`` (disjoint classes). The ontology uses no other OWL construct that has
  an OWL 2 RL rule on individuals (no domains or ranges, functional properties, equality,
  restrictions or property chains); :func:`unsupported_axioms` finds any that appear, and
  :func:`infer` refuses to run on them, so the engine can never silently miss an entailment.
* :func:`owlrl_closure` runs owlrl's full OWL 2 RL closure (the baseline).

``tests/test_reason.py`` checks that both give the same entailments about individuals on the
eight real cases and on the inconsistent fixtures; owlrl's closure also contains tautologies
(``x owl:sameAs x``, ``x rdf:type owl:Thing``) and schema-level triples, which are left out of
the comparison (see :func:`comparable`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .errors import InconsistencyError

if TYPE_CHECKING:
    import rdflib

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

#: Constructs with OWL 2 RL rules on individuals that :func:`infer` does not implement.
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
    """Axioms with OWL 2 RL rules that :func:`infer` does not implement."""
    found = []
    for s, p, o in triples:
        if p.value in UNSUPPORTED_PREDICATES or (p == TYPE and o.value in UNSUPPORTED_TYPES):
            found.append((s, p, o))
    return found


@dataclass
class Inference:
    """The result of reasoning: new triples, and inconsistencies found."""

    triples: set[Triple]
    inconsistencies: list[str]

    def raise_if_inconsistent(self) -> None:
        if self.inconsistencies:
            raise InconsistencyError(self.inconsistencies)


def infer(asserted: Iterable[Triple], tbox: Tbox) -> Inference:
    """The OWL 2 RL entailments of ``asserted`` under ``tbox`` that are not already asserted."""
    facts: set[Triple] = set()
    queue: list[Triple] = []
    succ: dict[Term, dict[Term, set[Term]]] = defaultdict(lambda: defaultdict(set))
    pred: dict[Term, dict[Term, set[Term]]] = defaultdict(lambda: defaultdict(set))
    supers_c = tbox.superclasses
    supers_p = tbox.superproperties
    inverses = tbox.inverses
    symmetric = tbox.symmetric
    transitive = tbox.transitive

    def add(triple: Triple) -> None:
        if triple not in facts:
            facts.add(triple)
            queue.append(triple)

    for triple in asserted:
        add(triple)
    given = set(facts)
    while queue:
        s, p, o = queue.pop()
        if p == TYPE:
            for c in supers_c.get(o, ()):
                add((s, TYPE, c))
            continue
        for q in supers_p.get(p, ()):
            add((s, q, o))
        if isinstance(o, ox.Literal):
            continue
        for q in inverses.get(p, ()):
            add((o, q, s))
        if p in symmetric:
            add((o, p, s))
        if p in transitive:
            succ[p][s].add(o)
            pred[p][o].add(s)
            for x in list(succ[p].get(o, ())):
                add((s, p, x))
            for y in list(pred[p].get(s, ())):
                add((y, p, o))
    inferred = facts - given
    return Inference(inferred, _disjointness(facts, tbox))


def _disjointness(facts: set[Triple], tbox: Tbox) -> list[str]:
    if not tbox.disjoint:
        return []
    types: dict[Term, set[Term]] = defaultdict(set)
    for s, p, o in facts:
        if p == TYPE and o in tbox.disjoint:
            types[s].add(o)
    problems = []
    for node, classes in types.items():
        for a in classes:
            for b in tbox.disjoint[a] & classes:
                if str(a) < str(b):
                    problems.append(
                        f"{node} is both a {tbox.labels.get(a, str(a))} and a "
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
    or on any query; :func:`infer` leaves it out, and the equivalence test compares the rest.
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


# ---------------------------------------------------------------------------------------------
# The baseline: owlrl's full closure over an rdflib graph.
# ---------------------------------------------------------------------------------------------


def owlrl_closure(graph: rdflib.Graph) -> tuple[rdflib.Graph, list[str]]:
    """owlrl's OWL 2 RL closure of ``graph``: (the new triples, owlrl's error messages)."""
    import owlrl
    import rdflib

    from .namespaces import OWLRL_ERRORS

    closed = rdflib.Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(closed)
    errors = sorted(
        str(message)
        for node in closed.subjects(rdflib.RDF.type, OWLRL_ERRORS.ErrorMessage)
        for message in closed.objects(node, OWLRL_ERRORS.error)
    )
    new = rdflib.Graph()
    for triple in closed:
        if triple not in graph:
            new.add(triple)
    return new, errors
