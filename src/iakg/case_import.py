"""Turning a case entry (YAML, format ``iakg-case/1``) into RDF.

The importer is strict about the *shape* of the entry (unknown keys, a list where one value is
expected, a missing identifier): such problems raise :class:`EntryError` (exit code 2) with the
case, the field and what to do. It is lenient about *values*: an unknown sector or level still
becomes an IRI, and the SHACL shapes then say, in the validation report, that it is not in the
vocabulary. Nothing is written by this module; :mod:`iakg.authoring` validates and writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import ORG, XSD

from . import casefile as cf
from .case_entry import EntryBuilder, EntryError, read_entry
from .namespaces import IAKG, VOCABULARIES

TOP_KEYS = {
    "format", "case", "initiative", "places", "organisations", "collaborations",
    "findings", "discrepancies", "new_concepts",
}  # fmt: skip
CASE_KEYS = {"code", "label", "source", "lines", "country", "data_collection"} | {f.name for f in cf.CASE_FIELDS}
INITIATIVE_KEYS = {"id", "label", "funding", "levels"} | {f.name for f in cf.INITIATIVE_FIELDS}
FUNDING_KEYS = {"id", "label"} | {f.name for f in cf.FUNDING_FIELDS}
DATA_COLLECTION_KEYS = {"id", "label"} | {f.name for f in cf.DATA_COLLECTION_FIELDS}
PLACE_KEYS = {"id", "label"} | {f.name for f in cf.PLACE_FIELDS}
ORGANISATION_KEYS = {"id", "label"} | {f.name for f in cf.ORGANISATION_FIELDS}
COLLABORATION_KEYS = {"id", "label", "parties", "evidence", "levels"} | {f.name for f in cf.COLLABORATION_FIELDS}
LEVEL_KEYS = {"level", "evidence"} | {f.name for f in cf.LEVEL_FIELDS}
FINDING_KEYS = {"type", "concept", "evidence"} | {f.name for f in cf.FINDING_FIELDS}
DISCREPANCY_KEYS = {"id", "type", "label", "description", "sides", "searched_lines", "concerns"}
CONCERNS_KEYS = {"type", "concept"}
CONCEPT_KEYS = {"scheme", "id", "label", "definition", "area"}


class _Builder(EntryBuilder):
    """Builds the graph of one entry, section by section."""

    # -- sections --------------------------------------------------------------------------

    def build(self) -> Graph:
        entry = self.mapping(self.entry, "entry", TOP_KEYS)
        if entry.get("format") != cf.FORMAT:
            self.problem("format", f"must be {cf.FORMAT} (the first line of the template)")
        for key in ("case", "initiative"):
            if key not in entry:
                self.problem(key, "this section is required")
        case = self.mapping(entry.get("case", {}), "case", CASE_KEYS)
        initiative = self.mapping(entry.get("initiative", {}), "initiative", INITIATIVE_KEYS)
        case_node = self.case(case, initiative)
        ini = self.initiative(initiative, case_node)
        for i, place in enumerate(self.items(entry.get("places"), "places")):
            self.place(place, f"places[{i}]")
        for i, org in enumerate(self.items(entry.get("organisations"), "organisations")):
            self.organisation(org, f"organisations[{i}]")
        for i, collab in enumerate(self.items(entry.get("collaborations"), "collaborations")):
            self.collaboration(collab, ini, f"collaborations[{i}]")
        seen: set[URIRef] = set()
        for i, finding in enumerate(self.items(entry.get("findings"), "findings")):
            self.finding(finding, case_node, seen, f"findings[{i}]")
        for i, disc in enumerate(self.items(entry.get("discrepancies"), "discrepancies")):
            self.discrepancy(disc, case_node, seen, f"discrepancies[{i}]")
        for i, concept in enumerate(self.items(entry.get("new_concepts"), "new_concepts")):
            self.concept(concept, f"new_concepts[{i}]")
        return self.g

    def case(self, case: dict[str, Any], initiative: dict[str, Any]) -> URIRef:
        code = case.get("code")
        if not isinstance(code, str) or not code:
            self.problem("case.code", "needs a code such as CS9")
        node = cf.case_iri(self.code)
        g = self.g
        g.add((node, RDF.type, IAKG.CaseStudy))
        g.add((node, IAKG.caseCode, Literal(self.code)))
        self.label(node, case, "case")
        g.add((node, IAKG.partOfDocument, cf.source_iri(self.ident(self.source, "case.source"))))
        if "country" in case:
            g.add((node, IAKG.country, self.term("ref:country", case["country"], "case.country")))
        else:
            self.problem("case.country", "needs the country code, such as BE")
        if "lines" in case:
            first, last = self.lines(case["lines"], "case.lines")
            g.add((node, IAKG.fromLine, Literal(str(first), datatype=XSD.integer)))
            g.add((node, IAKG.toLine, Literal(str(last), datatype=XSD.integer)))
        if self.initiative_id:
            g.add((node, IAKG.describes, cf.initiative_iri(self.ident(self.initiative_id, "initiative.id"))))
        self.fields(node, case, cf.CASE_FIELDS, "case")
        for i, dc in enumerate(self.items(case.get("data_collection"), "case.data_collection")):
            where = f"case.data_collection[{i}]"
            dc = self.mapping(dc, where, DATA_COLLECTION_KEYS)
            dc_node = cf.data_collection_iri(self.code, self.ident(dc.get("id"), f"{where}.id"))
            g.add((node, IAKG.hasDataCollection, dc_node))
            g.add((dc_node, RDF.type, IAKG.DataCollection))
            self.label(dc_node, dc, where)
            self.fields(dc_node, dc, cf.DATA_COLLECTION_FIELDS, where)
        return node

    def initiative(self, data: dict[str, Any], case_node: URIRef) -> URIRef:
        node = cf.initiative_iri(self.ident(data.get("id"), "initiative.id"))
        self.g.add((node, RDF.type, IAKG.Initiative))
        self.label(node, data, "initiative")
        self.fields(node, data, cf.INITIATIVE_FIELDS, "initiative")
        for i, item in enumerate(self.items(data.get("funding"), "initiative.funding")):
            where = f"initiative.funding[{i}]"
            item = self.mapping(item, where, FUNDING_KEYS)
            fnode = cf.funding_iri(self.code, self.ident(item.get("id"), f"{where}.id"))
            self.g.add((node, IAKG.hasFunding, fnode))
            self.g.add((fnode, RDF.type, IAKG.FundingSource))
            self.label(fnode, item, where)
            self.fields(fnode, item, cf.FUNDING_FIELDS, where)
        self.levels(data.get("levels"), node, "initiative", "initiative.levels")
        return node

    def levels(self, raw: Any, owner: URIRef, owner_id: str, where: str) -> None:
        items = [self.mapping(item, f"{where}[{i}]", LEVEL_KEYS) for i, item in enumerate(self.items(raw, where))]
        per_level: dict[str, int] = {}
        for item in items:
            per_level[str(item.get("level"))] = per_level.get(str(item.get("level")), 0) + 1
        for i, item in enumerate(items):
            at = f"{where}[{i}]"
            level = item.get("level")
            level_term = self.term("ref:level", level, f"{at}.level")
            # Several sources may place the same collaboration at the same level in their own
            # words: each statement is its own classification, told apart by what it says.
            said = "|".join(
                str(item.get(k, "")) for k in ("stated_label", "attributed_typology", "attributed_citation")
            )
            node = cf.level_classification_iri(
                self.code, owner_id, str(level), said if per_level[str(level)] > 1 else None
            )
            self.g.add((node, RDF.type, IAKG.LevelClassification))
            self.g.add((node, IAKG.classifies, owner))
            self.g.add((node, IAKG.level, level_term))
            self.fields(node, item, cf.LEVEL_FIELDS, at)
            evidence = self.items(item.get("evidence"), f"{at}.evidence")
            for j, ev in enumerate(evidence):
                self.claim((node, IAKG.level, level_term), ev, f"{at}.evidence[{j}]")

    def place(self, data: Any, where: str) -> None:
        data = self.mapping(data, where, PLACE_KEYS)
        node = cf.place_iri(self.ident(data.get("id"), f"{where}.id"))
        self.g.add((node, RDF.type, IAKG.Place))
        self.label(node, data, where)
        self.fields(node, data, cf.PLACE_FIELDS, where)

    def organisation(self, data: Any, where: str) -> None:
        data = self.mapping(data, where, ORGANISATION_KEYS)
        ident = self.ident(data.get("id"), f"{where}.id")
        if ident == self.initiative_id:
            self.problem(f"{where}.id", "is the initiative's id; give the organisation its own id")
        node = cf.organisation_iri(ident)
        self.g.add((node, RDF.type, ORG.Organization))
        self.label(node, data, where)
        self.fields(node, data, cf.ORGANISATION_FIELDS, where)

    def collaboration(self, data: Any, initiative: URIRef, where: str) -> None:
        data = self.mapping(data, where, COLLABORATION_KEYS)
        ident = self.ident(data.get("id"), f"{where}.id")
        node = cf.collaboration_iri(self.code, ident)
        g = self.g
        g.add((node, RDF.type, IAKG.Collaboration))
        g.add((node, IAKG.inInitiative, initiative))
        self.label(node, data, where)
        shared = self.items(data.get("evidence"), f"{where}.evidence")
        for i, party in enumerate(self.items(data.get("parties"), f"{where}.parties")):
            at = f"{where}.parties[{i}]"
            own: list[Any] = []
            if isinstance(party, dict):
                party = self.mapping(party, at, {"value", "evidence"})
                own = self.items(party.get("evidence"), f"{at}.evidence")
                party = party.get("value")
            target = self.agent(self.ident(party, at))
            g.add((node, IAKG.party, target))
            for j, ev in enumerate([*shared, *own]):
                self.claim((node, IAKG.party, target), ev, f"{at}.evidence[{j}]")
        self.fields(node, data, cf.COLLABORATION_FIELDS, where)
        self.levels(data.get("levels"), node, ident, f"{where}.levels")

    def finding(self, data: Any, case_node: URIRef, seen: set[URIRef], where: str) -> None:
        data = self.mapping(data, where, FINDING_KEYS)
        kind = data.get("type")
        if kind not in cf.FINDING_TYPES:
            self.problem(f"{where}.type", f"must be one of {', '.join(cf.FINDING_TYPES)}")
            return
        cls, scheme = cf.FINDING_TYPES[kind]
        concept_id = self.ident(data.get("concept"), f"{where}.concept")
        node = cf.finding_iri(self.code, kind, concept_id)
        if node in seen:
            self.problem(where, f"a second {kind} finding for {concept_id}: merge its evidence into the first")
        seen.add(node)
        concept = cf.concept_iri(scheme, concept_id)
        g = self.g
        g.add((node, RDF.type, cls))
        g.add((node, IAKG.aboutCase, case_node))
        g.add((node, IAKG.findingConcept, concept))
        self.fields(node, data, cf.FINDING_FIELDS, where)
        for j, ev in enumerate(self.items(data.get("evidence"), f"{where}.evidence")):
            self.claim((node, IAKG.findingConcept, concept), ev, f"{where}.evidence[{j}]")

    def discrepancy(self, data: Any, case_node: URIRef, findings: set[URIRef], where: str) -> None:
        data = self.mapping(data, where, DISCREPANCY_KEYS)
        node = cf.discrepancy_iri(self.code, self.ident(data.get("id"), f"{where}.id"))
        g = self.g
        g.add((node, RDF.type, IAKG.Discrepancy))
        g.add((node, IAKG.aboutCase, case_node))
        self.label(node, data, where)
        description = data.get("description")
        if isinstance(description, str) and description.strip():
            g.add((node, RDFS.comment, Literal(description)))
        else:
            self.problem(f"{where}.description", "say in one or two sentences what disagrees with what")
        kind = self.ident(data.get("type"), f"{where}.type")
        g.add((node, IAKG.discrepancyType, VOCABULARIES["discrepancy-types"][kind]))
        for j, side in enumerate(self.items(data.get("sides"), f"{where}.sides")):
            claim = self.claim(None, side, f"{where}.sides[{j}]")
            if claim is not None:
                g.add((node, IAKG.hasSide, claim))
        if data.get("searched_lines") is not None:
            first, last = self.lines(data["searched_lines"], f"{where}.searched_lines")
            g.add((node, IAKG.searchedFromLine, Literal(str(first), datatype=XSD.integer)))
            g.add((node, IAKG.searchedToLine, Literal(str(last), datatype=XSD.integer)))
        for j, ref in enumerate(self.items(data.get("concerns"), f"{where}.concerns")):
            finding = self.concerned(ref, findings, f"{where}.concerns[{j}]")
            if finding is not None:
                g.add((node, IAKG.concernsFinding, finding))

    def concerned(self, data: Any, findings: set[URIRef], where: str) -> URIRef | None:
        """The finding of this entry that a discrepancy puts in doubt (``{type, concept}``)."""
        data = self.mapping(data, where, CONCERNS_KEYS)
        kind = data.get("type")
        if kind not in cf.FINDING_TYPES:
            self.problem(f"{where}.type", f"must be one of {', '.join(cf.FINDING_TYPES)}")
            return None
        node = cf.finding_iri(self.code, kind, self.ident(data.get("concept"), f"{where}.concept"))
        if node not in findings:
            self.problem(
                where,
                f"names no finding of this case: add a {kind} finding for {data.get('concept')} under findings,"
                " or correct the type or the concept",
            )
            return None
        return node

    def concept(self, data: Any, where: str) -> None:
        data = self.mapping(data, where, CONCEPT_KEYS)
        scheme = data.get("scheme")
        if scheme not in cf.EXTENSIBLE_SCHEMES:
            self.problem(f"{where}.scheme", f"must be one of {', '.join(cf.EXTENSIBLE_SCHEMES)}")
            return
        node = cf.concept_iri(scheme, self.ident(data.get("id"), f"{where}.id"))
        g = self.g
        g.add((node, RDF.type, cf.EXTENSIBLE_SCHEMES[scheme]))
        g.add((node, SKOS.inScheme, cf.scheme_iri(scheme)))
        for key, prop in (("label", SKOS.prefLabel), ("definition", SKOS.definition)):
            if isinstance(data.get(key), str) and data[key].strip():
                g.add((node, prop, Literal(data[key], lang="en")))
            else:
                self.problem(f"{where}.{key}", "is required, in plain words")
        if data.get("area") is not None:
            g.add((node, SKOS.broader, cf.concept_iri("barrier-areas", self.ident(data["area"], f"{where}.area"))))


def entry_to_graph(entry: dict[str, Any], path: Path | None = None) -> tuple[str, Graph]:
    """The case code and RDF graph of a case entry; :class:`EntryError` if its shape is wrong."""
    builder = _Builder(entry)
    graph = builder.build()
    if builder.problems:
        raise EntryError(path, builder.code if builder.code != "UNKNOWN" else None, builder.problems)
    return builder.code, graph


__all__ = ["EntryError", "entry_to_graph", "read_entry"]
