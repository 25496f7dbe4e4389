"""Turning the RDF of one case file back into a case entry (YAML, format ``iakg-case/1``).

The inverse of :mod:`iakg.case_import` for every file that import wrote: importing the exported
entry gives an isomorphic graph.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import yaml
from rdflib import RDF, RDFS, SKOS, Graph, Literal
from rdflib.namespace import ORG
from rdflib.term import Node

from . import casefile as cf
from .errors import InputError
from .namespaces import (
    COLLABORATION,
    DATA_COLLECTION,
    DISCREPANCY,
    FUNDING,
    IAKG,
    INITIATIVE,
    LEVEL,
    ORGANISATION,
    PLACE,
    SCHEME,
    SOURCE,
    VOCABULARIES,
)

Triple = tuple[Node, Node, Node]


def _local(term: Any, namespace: str) -> str:
    text = str(term)
    return text[len(namespace) :] if text.startswith(namespace) else text


#: A finding's class -> its type in a case entry ("facilitator", "barrier", ...).
_FINDING_TYPE_OF: dict[Node, str] = {cls: name for name, (cls, _) in cf.FINDING_TYPES.items()}


def _scheme_of(iri: Node) -> tuple[str, str] | None:
    """(scheme id, local id) of a concept IRI of a controlled vocabulary."""
    text = str(iri)
    for scheme, ns in VOCABULARIES.items():
        if text.startswith(str(ns)):
            return scheme, text[len(str(ns)) :]
    return None


class _Exporter:
    def __init__(self, graph: Graph) -> None:
        self.g = graph
        cases = list(graph.subjects(RDF.type, IAKG.CaseStudy))
        if len(cases) != 1:
            raise InputError(
                f"A case file holds exactly one case study; this graph holds {len(cases)}.",
                "Export one case at a time: iakg case export CODE.",
            )
        self.case = cases[0]
        self.code = str(graph.value(self.case, IAKG.caseCode))
        self.initiative = graph.value(self.case, IAKG.describes)
        self.source = _local(graph.value(self.case, IAKG.partOfDocument), str(SOURCE))
        self.evidence: dict[Triple, list[dict[str, Any]]] = defaultdict(list)
        self.sides: dict[Node, dict[str, Any]] = {}
        for claim in graph.subjects(RDF.type, IAKG.Claim):
            item = self.evidence_item(claim)
            subject = graph.value(claim, RDF.subject)
            if subject is None:
                item["says"] = str(graph.value(claim, RDFS.comment))
                self.sides[claim] = item
            else:
                key = (subject, graph.value(claim, RDF.predicate), graph.value(claim, RDF.object))
                self.evidence[key].append(item)  # type: ignore[index]
        for items in self.evidence.values():
            items.sort(key=_evidence_key)

    def evidence_item(self, claim: Node) -> dict[str, Any]:
        g = self.g
        item: dict[str, Any] = {
            "quote": str(g.value(claim, IAKG.quote)),
            "lines": [_int(g.value(claim, IAKG.fromLine)), _int(g.value(claim, IAKG.toLine))],
        }
        for key, prop in (("section", IAKG.section), ("role", IAKG.intervieweeRole), ("measure", IAKG.measure)):
            value = g.value(claim, prop)
            if value is not None:
                item[key] = str(value)
        for key, prop, scheme in (
            ("stated_by", IAKG.statedBy, "voices"),
            ("kind", IAKG.evidenceKind, "evidence-kinds"),
        ):
            value = g.value(claim, prop)
            if value is not None:
                item[key] = _local(value, str(VOCABULARIES[scheme]))
        source = _local(g.value(claim, IAKG.source), str(SOURCE))
        if source != self.source:
            item["source"] = source
        return _ordered(item, (*cf.EVIDENCE_KEYS, "says"))

    # -- values ----------------------------------------------------------------------------

    def value_of(self, kind: str, term: Any) -> Any:
        if kind.startswith("ref:"):
            what = kind[4:]
            if what == "agent":
                if str(term).startswith(str(INITIATIVE)):
                    return _local(term, str(INITIATIVE))
                return _local(term, str(ORGANISATION))
            namespaces = {
                "place": str(PLACE), "country": str(VOCABULARIES["countries"]), "source": str(SOURCE),
                "typology": str(SCHEME), "level": str(LEVEL),
            }  # fmt: skip
            return _local(term, namespaces.get(what) or str(VOCABULARIES[what]))
        return cf.yaml_value(kind, term)

    def fields(self, node: Node, fields: tuple[cf.Field, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in fields:
            values = []
            for term in sorted(self.g.objects(node, field.predicate), key=_sort_key):
                value = self.value_of(field.kind, term)
                evidence = self.evidence.get((node, field.predicate, term), [])
                if field.evidence and (evidence or field.kind == "lang"):
                    fact: dict[str, Any] = {"value": value}
                    if field.kind == "lang" and isinstance(term, Literal) and term.language:
                        fact["lang"] = term.language
                    if evidence:
                        fact["evidence"] = evidence
                    values.append(fact)
                else:
                    values.append(value)
            if values:
                out[field.name] = values if field.many else values[0]
        return out

    def labelled(self, node: Node, ident: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": ident}
        label = self.g.value(node, RDFS.label)
        if label is not None:
            out["label"] = str(label)
        return out

    def prefixed(self, node: Node, namespace: str) -> str:
        return _local(node, f"{namespace}{self.code}-")

    # -- sections --------------------------------------------------------------------------

    def export(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"format": cf.FORMAT, "case": self.case_section()}
        entry["initiative"] = self.initiative_section()
        sections = {
            "places": self.places(),
            "organisations": self.organisations(),
            "collaborations": self.collaborations(),
            "findings": self.findings(),
            "discrepancies": self.discrepancies(),
            "new_concepts": self.concepts(),
        }
        entry.update({k: v for k, v in sections.items() if v})
        return entry

    def case_section(self) -> dict[str, Any]:
        g, node = self.g, self.case
        out: dict[str, Any] = {"code": self.code}
        label = g.value(node, RDFS.label)
        if label is not None:
            out["label"] = str(label)
        out["source"] = self.source
        first, last = g.value(node, IAKG.fromLine), g.value(node, IAKG.toLine)
        if first is not None and last is not None:
            out["lines"] = [int(first), int(last)]  # type: ignore[call-overload]
        country = g.value(node, IAKG.country)
        if country is not None:
            out["country"] = _local(country, str(VOCABULARIES["countries"]))
        out.update(self.fields(node, cf.CASE_FIELDS))
        collections = []
        for dc in sorted(g.objects(node, IAKG.hasDataCollection), key=str):
            item = self.labelled(dc, self.prefixed(dc, str(DATA_COLLECTION)))
            item.update(self.fields(dc, cf.DATA_COLLECTION_FIELDS))
            collections.append(item)
        if collections:
            out["data_collection"] = collections
        return out

    def initiative_section(self) -> dict[str, Any]:
        node = self.initiative
        if node is None:
            return {}
        out = self.labelled(node, _local(node, str(INITIATIVE)))
        out.update(self.fields(node, cf.INITIATIVE_FIELDS))
        funding = []
        for fnode in sorted(self.g.objects(node, IAKG.hasFunding), key=str):
            item = self.labelled(fnode, self.prefixed(fnode, str(FUNDING)))
            item.update(self.fields(fnode, cf.FUNDING_FIELDS))
            funding.append(item)
        if funding:
            out["funding"] = funding
        levels = self.levels(node)
        if levels:
            out["levels"] = levels
        return out

    def levels(self, owner: Node) -> list[dict[str, Any]]:
        out = []
        for node in sorted(self.g.subjects(IAKG.classifies, owner), key=str):
            level = self.g.value(node, IAKG.level)
            item: dict[str, Any] = {"level": _local(level, str(LEVEL))}
            item.update(self.fields(node, cf.LEVEL_FIELDS))
            evidence = self.evidence.get((node, IAKG.level, level), [])  # type: ignore[arg-type]
            if evidence:
                item["evidence"] = evidence
            out.append(item)
        return out

    def places(self) -> list[dict[str, Any]]:
        out = []
        for node in sorted(self.g.subjects(RDF.type, IAKG.Place), key=str):
            item = self.labelled(node, _local(node, str(PLACE)))
            item.update(self.fields(node, cf.PLACE_FIELDS))
            out.append(item)
        return out

    def organisations(self) -> list[dict[str, Any]]:
        out = []
        for node in sorted(self.g.subjects(RDF.type, ORG.Organization), key=str):
            item = self.labelled(node, _local(node, str(ORGANISATION)))
            item.update(self.fields(node, cf.ORGANISATION_FIELDS))
            out.append(item)
        return out

    def collaborations(self) -> list[dict[str, Any]]:
        out = []
        for node in sorted(self.g.subjects(RDF.type, IAKG.Collaboration), key=str):
            item = self.labelled(node, self.prefixed(node, str(COLLABORATION)))
            parties = sorted(self.g.objects(node, IAKG.party), key=str)
            per_party = {p: self.evidence.get((node, IAKG.party, p), []) for p in parties}
            shared = [e for e in next(iter(per_party.values()), []) if all(e in v for v in per_party.values())]
            listed: list[Any] = []
            for party in parties:
                ident = self.value_of("ref:agent", party)
                own = [e for e in per_party[party] if e not in shared]
                listed.append({"value": ident, "evidence": own} if own else ident)
            item["parties"] = listed
            if shared:
                item["evidence"] = shared
            item.update(self.fields(node, cf.COLLABORATION_FIELDS))
            levels = self.levels(node)
            if levels:
                item["levels"] = levels
            out.append(item)
        return out

    def findings(self) -> list[dict[str, Any]]:
        out = []
        for node in sorted(self.g.subjects(IAKG.aboutCase, self.case), key=str):
            item: dict[str, Any] = self.finding_ref(node)
            if not item["type"]:
                continue
            concept = self.g.value(node, IAKG.findingConcept)
            item.update(self.fields(node, cf.FINDING_FIELDS))
            evidence = self.evidence.get((node, IAKG.findingConcept, concept), [])  # type: ignore[arg-type]
            if evidence:
                item["evidence"] = evidence
            out.append(item)
        return out

    def finding_ref(self, node: Node) -> dict[str, str]:
        """A finding as a discrepancy's ``concerns`` names it: its type and concept id."""
        kinds = [_FINDING_TYPE_OF[c] for c in self.g.objects(node, RDF.type) if c in _FINDING_TYPE_OF]
        concept = self.g.value(node, IAKG.findingConcept)
        located = _scheme_of(concept) if concept is not None else None
        return {"type": kinds[0] if kinds else "", "concept": located[1] if located else str(concept)}

    def discrepancies(self) -> list[dict[str, Any]]:
        out = []
        kinds = str(VOCABULARIES["discrepancy-types"])
        for node in sorted(self.g.subjects(RDF.type, IAKG.Discrepancy), key=str):
            item = self.labelled(node, self.prefixed(node, str(DISCREPANCY)))
            item["type"] = _local(self.g.value(node, IAKG.discrepancyType), kinds)
            item["description"] = str(self.g.value(node, RDFS.comment))
            sides = [self.sides[c] for c in self.g.objects(node, IAKG.hasSide) if c in self.sides]
            item["sides"] = sorted(sides, key=_evidence_key)
            first = self.g.value(node, IAKG.searchedFromLine)
            last = self.g.value(node, IAKG.searchedToLine)
            if first is not None and last is not None:
                item["searched_lines"] = [int(first), int(last)]  # type: ignore[call-overload]
            concerns = [self.finding_ref(f) for f in sorted(self.g.objects(node, IAKG.concernsFinding), key=str)]
            if concerns:
                item["concerns"] = concerns
            keys = ("id", "type", "label", "description", "concerns", "sides", "searched_lines")
            out.append(_ordered(item, keys))
        return out

    def concepts(self) -> list[dict[str, Any]]:
        out = []
        for node in sorted(set(self.g.subjects(SKOS.inScheme, None)), key=str):
            located = _scheme_of(node)
            if located is None:
                continue
            item: dict[str, Any] = {"scheme": located[0], "id": located[1]}
            for key, prop in (("label", SKOS.prefLabel), ("definition", SKOS.definition)):
                value = self.g.value(node, prop)
                if value is not None:
                    item[key] = str(value)
            area = self.g.value(node, SKOS.broader)
            if area is not None:
                item["area"] = _local(area, str(VOCABULARIES["barrier-areas"]))
            out.append(item)
        return out


def _int(term: Node | None) -> int:
    return int(str(term))


def _evidence_key(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["lines"], item["quote"], str(sorted(item.items())))


def _sort_key(term: Any) -> tuple[str, str]:
    return (str(term), getattr(term, "language", None) or "")


def _ordered(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: item[k] for k in keys if k in item}


def graph_to_entry(graph: Graph) -> dict[str, Any]:
    """The case entry for the RDF of one case file."""
    return _Exporter(graph).export()


class _Dumper(yaml.SafeDumper):
    """Block style for structure, flow style for evidence items and short lists."""


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = "value" in data and "evidence" not in data
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(isinstance(x, int | str) for x in data) and len(str(data)) < 60
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def dump_entry(entry: dict[str, Any]) -> str:
    """The entry as YAML, with the format's header comment."""
    body = yaml.dump(entry, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return (
        "# Case entry exported from the Inter-Agency Working knowledge graph (format iakg-case/1).\n"
        "# Edit, then check with: iakg case import THIS-FILE --dry-run\n" + body
    )
