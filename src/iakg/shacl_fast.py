"""A SHACL validator that compiles shapes to SPARQL and runs them on Oxigraph.

Specification: https://www.w3.org/TR/shacl/ (sections 2.1.3 targets, 4 core constraint
components, 5 SPARQL-based constraints). pySHACL walks the data graph in Python, focus node by
focus node; on a portal-sized graph that takes minutes. Here every constraint becomes one SPARQL
query that finds all its violations at once, run by Oxigraph.

The validator runs on the built graph, where the reasoner has already materialised every type a
node has through rdfs:subClassOf; so "an instance of C" (targets, sh:class) is a plain ``rdf:type C``
lookup, which gives what SHACL's ``rdf:type/rdfs:subClassOf*`` gives on that graph. Anti-joins are
written with MINUS, which Oxigraph evaluates once per query instead of once per row.

Only the subset of SHACL that ``ontology/shapes.ttl`` uses is supported: node shapes targeting a
class; property shapes whose path is a single predicate; the components ``minCount``,
``maxCount``, ``datatype``, ``class``, ``nodeKind`` (IRI), ``pattern`` (with ``flags``),
``minLength``, ``minInclusive``, ``maxInclusive``, ``lessThanOrEquals``, ``or`` (of shapes
that each have one ``class``); and SPARQL-based constraints (``sh:sparql`` with ``sh:select``).
:func:`compile_shapes` raises :class:`UnsupportedShape` on anything else, so a shape can never be
silently skipped. ``tests/test_validate.py`` checks that the results equal pySHACL's on every
fixture and on the real data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

FOCUS = "?this <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> {cls} ."

#: XSD lexical forms (XML Schema 1.1 Part 2) of the datatypes the shapes use.
LEXICAL = {
    str(XSD.integer): r"^[+-]?[0-9]+$",
    str(XSD.positiveInteger): r"^\+?0*[1-9][0-9]*$",
    str(XSD.nonNegativeInteger): r"^(\+?[0-9]+|-0+)$",
    str(XSD.decimal): r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
    str(XSD.gYear): r"^-?([1-9][0-9]{3,}|0[0-9]{3})(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?$",
    str(XSD.boolean): r"^(true|false|1|0)$",
}
NUMERIC = {str(XSD.integer), str(XSD.decimal)}
SUPPORTED = {
    SH.path, SH.minCount, SH.maxCount, SH.datatype, SH["class"], SH.nodeKind, SH.pattern, SH.flags,
    SH.minLength, SH.minInclusive, SH.maxInclusive, SH.lessThanOrEquals, SH["or"], SH.message,
    SH.severity, SH.name, SH.description, RDFS.comment, RDF.type,
}  # fmt: skip


class UnsupportedShape(ValueError):
    """A shape uses a SHACL feature the compiler does not implement."""


@dataclass(frozen=True)
class Constraint:
    """One compiled constraint: a SPARQL query whose rows are violations."""

    shape: str
    target: str
    path: str | None
    component: str
    severity: str
    message: str
    sparql: str
    has_value: bool


@dataclass(frozen=True)
class Result:
    """One validation result, as SHACL reports it."""

    focus: str
    path: str | None
    value: str | None
    component: str
    severity: str
    message: str
    shape: str


def _n3(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        return str(term.n3())
    raise UnsupportedShape(f"unsupported term {term!r}")


def _msg(graph: Graph, node: Node, default: str) -> str:
    message = graph.value(node, SH.message)
    return str(message) if message is not None else default


def _severity(graph: Graph, node: Node) -> str:
    severity = graph.value(node, SH.severity)
    return str(severity or SH.Violation)


def compile_shapes(shapes: Graph) -> list[Constraint]:
    """Every constraint of every node shape, as SPARQL."""
    compiled: list[Constraint] = []
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        targets = list(shapes.objects(shape, SH.targetClass))
        extra = set(shapes.predicates(shape)) - {
            RDF.type, SH.targetClass, SH.property, SH.sparql, RDFS.label, RDFS.comment, SH.declare, SH.severity,
        }  # fmt: skip
        if extra:
            raise UnsupportedShape(f"{shape}: unsupported {sorted(map(str, extra))}")
        for target in targets:
            focus = FOCUS.format(cls=_n3(target))
            for prop in shapes.objects(shape, SH.property):
                compiled.extend(_property(shapes, shape, target, prop, focus))
            for sparql in shapes.objects(shape, SH.sparql):
                compiled.append(_sparql(shapes, shape, target, sparql, focus, _severity(shapes, shape)))
    return compiled


def _property(shapes: Graph, shape: Node, target: Node, prop: Node, focus: str) -> Iterator[Constraint]:
    unknown = set(shapes.predicates(prop)) - SUPPORTED
    if unknown:
        raise UnsupportedShape(f"{shape}: unsupported {sorted(map(str, unknown))}")
    path = shapes.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedShape(f"{shape}: only single-predicate paths are supported")
    p = _n3(path)
    severity = _severity(shapes, prop)
    message = _msg(shapes, prop, f"Constraint on {path} not met.")

    def make(component: str, sparql: str, has_value: bool = True) -> Constraint:
        return Constraint(str(shape), str(target), str(path), str(SH[component]), severity, message, sparql, has_value)

    each = f"SELECT ?this ?value WHERE {{ {focus} ?this {p} ?value . FILTER({{cond}}) }}"
    value = shapes.value(prop, SH.minCount)
    if value is not None:
        if int(str(value)) == 1:
            sparql = f"SELECT ?this WHERE {{ {focus} MINUS {{ ?this {p} ?v }} }}"
        else:
            sparql = (
                f"SELECT ?this (COUNT(DISTINCT ?v) AS ?count) WHERE {{ {focus} OPTIONAL {{ ?this {p} ?v }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) < {int(str(value))})"
            )
        yield make("MinCountConstraintComponent", sparql, has_value=False)
    value = shapes.value(prop, SH.maxCount)
    if value is not None:
        if int(str(value)) == 1:
            sparql = (
                f"SELECT DISTINCT ?this WHERE {{ {focus} ?this {p} ?v1 . ?this {p} ?v2 . FILTER(!sameTerm(?v1, ?v2)) }}"
            )
        else:
            sparql = (
                f"SELECT ?this (COUNT(DISTINCT ?v) AS ?count) WHERE {{ {focus} ?this {p} ?v }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) > {int(str(value))})"
            )
        yield make("MaxCountConstraintComponent", sparql, has_value=False)
    value = shapes.value(prop, SH.datatype)
    if value is not None:
        dt = str(value)
        if dt == str(RDF.langString):
            ok = 'isLiteral(?value) && lang(?value) != ""'
        else:
            ok = f'isLiteral(?value) && lang(?value) = "" && datatype(?value) = <{dt}>'
            if dt in NUMERIC:
                ok += " && isNumeric(?value)"  # false for an ill-formed number: no regex needed
            elif dt in LEXICAL:
                ok += f" && REGEX(STR(?value), {Literal(LEXICAL[dt]).n3()})"
        yield make("DatatypeConstraintComponent", each.replace("{cond}", f"!({ok})"))
    value = shapes.value(prop, SH["class"])
    if value is not None:
        yield make(
            "ClassConstraintComponent",
            f"SELECT ?this ?value WHERE {{ {focus} ?this {p} ?value . MINUS {{ ?value <{RDF.type}> {_n3(value)} }} }}",
        )
    value = shapes.value(prop, SH.nodeKind)
    if value is not None:
        if value != SH.IRI:
            raise UnsupportedShape(f"{shape}: only sh:nodeKind sh:IRI is supported")
        yield make("NodeKindConstraintComponent", each.replace("{cond}", "!isIRI(?value)"))
    value = shapes.value(prop, SH.pattern)
    if value is not None:
        flags = shapes.value(prop, SH.flags)
        args = f"{Literal(str(value)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
        yield make(
            "PatternConstraintComponent", each.replace("{cond}", f"isBlank(?value) || !REGEX(STR(?value), {args})")
        )
    value = shapes.value(prop, SH.minLength)
    if value is not None:
        yield make(
            "MinLengthConstraintComponent",
            each.replace("{cond}", f"isBlank(?value) || STRLEN(STR(?value)) < {int(str(value))}"),
        )
    for key, op, component in (
        (SH.minInclusive, ">=", "MinInclusiveConstraintComponent"),
        (SH.maxInclusive, "<=", "MaxInclusiveConstraintComponent"),
    ):
        value = shapes.value(prop, key)
        if value is not None:
            yield make(component, each.replace("{cond}", f"!COALESCE(?value {op} {_n3(value)}, false)"))
    value = shapes.value(prop, SH.lessThanOrEquals)
    if value is not None:
        yield make(
            "LessThanOrEqualsConstraintComponent",
            f"SELECT ?this ?value WHERE {{ {focus} ?this {p} ?value . ?this {_n3(value)} ?other . "
            f"FILTER(!COALESCE(?value <= ?other, false)) }}",
        )
    value = shapes.value(prop, SH["or"])
    if value is not None:
        classes = []
        for member in Collection(shapes, value):
            if set(shapes.predicates(member)) != {SH["class"]}:
                raise UnsupportedShape(f"{shape}: sh:or is supported only over shapes with one sh:class")
            classes.append(_n3(shapes.value(member, SH["class"])))  # type: ignore[arg-type]
        minus = " ".join(f"MINUS {{ ?value <{RDF.type}> {k} }}" for k in classes)
        yield make("OrConstraintComponent", f"SELECT ?this ?value WHERE {{ {focus} ?this {p} ?value . {minus} }}")


_NOT_EXISTS = re.compile(r"FILTER\s+NOT\s+EXISTS\s*\{", re.IGNORECASE)


def _sparql(shapes: Graph, shape: Node, target: Node, node: Node, focus: str, severity: str) -> Constraint:
    """A SPARQL-based constraint, run once for all focus nodes.

    SHACL forbids MINUS in these queries (pre-binding of $this); once $this is a variable bound by
    the focus pattern, ``FILTER NOT EXISTS { P }`` and ``MINUS { P }`` agree whenever P shares a
    variable with the rest of the query, as every constraint in the shapes does; MINUS is one
    anti-join, NOT EXISTS one lookup per row, so the query is rewritten. The severity is the
    shape's (SHACL section 5.3.2), not the constraint's.
    """
    select = shapes.value(node, SH.select)
    if select is None:
        raise UnsupportedShape(f"{shape}: SPARQL constraints need sh:select")
    prefixes = []
    for decl_node in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(decl_node, SH.declare):
            prefixes.append(f"PREFIX {shapes.value(decl, SH.prefix)}: <{shapes.value(decl, SH.namespace)}>")
    text = _NOT_EXISTS.sub("MINUS {", str(select).replace("$this", "?this"))
    match = re.search(r"WHERE\s*\{", text, flags=re.IGNORECASE)
    if match is None:
        raise UnsupportedShape(f"{shape}: cannot find WHERE in its SPARQL constraint")
    text = text[: match.end()] + f" {focus} " + text[match.end() :]
    return Constraint(
        str(shape),
        str(target),
        None,
        str(SH.SPARQLConstraintComponent),
        severity,
        _msg(shapes, node, "SPARQL constraint not met."),
        "\n".join([*prefixes, text]),
        has_value=False,
    )


def run(store: ox.Store, constraints: list[Constraint], workers: int | None = None) -> list[Result]:
    """Every violation of every constraint in ``store`` (union of its graphs).

    The queries run on several threads (Oxigraph releases the interpreter lock while it
    evaluates), one per core by default.
    """
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        answers = list(pool.map(lambda c: _run_one(store, c), constraints))
    results: dict[Result, None] = {}
    for found in answers:
        results.update(dict.fromkeys(found))
    return list(results)


def _run_one(store: ox.Store, constraint: Constraint) -> list[Result]:
    solutions = store.query(constraint.sparql, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    results = []
    for row in solutions:
        bindings = {name: row[name] for name in variables if row[name] is not None}
        message = constraint.message
        for name, term in bindings.items():
            message = message.replace(f"{{?{name}}}", _plain(term)).replace(f"{{${name}}}", _plain(term))
        value = bindings.get("value") if constraint.has_value else None
        results.append(
            Result(
                focus=_plain(bindings["this"]),
                path=constraint.path,
                value=_plain(value) if value is not None else None,
                component=constraint.component,
                severity=constraint.severity,
                message=message,
                shape=constraint.shape,
            )
        )
    return results


def _plain(term: object) -> str:
    return str(getattr(term, "value", term))
