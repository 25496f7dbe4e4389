"""The case-entry format (YAML, ``iakg-case/1``): its fields, and how each maps to RDF.

One declarative table, :data:`FIELDS`, drives both :mod:`iakg.case_import` and
:mod:`iakg.case_export`, so that the two stay exact inverses: importing an exported case gives an
isomorphic graph (``tests/test_authoring.py`` checks this for every case in ``data/``).

A *fact* is a field whose value is backed by evidence. In YAML it is written
``{value: V, evidence: [ITEM, ...]}``; in RDF it is the triple ``(node, predicate, V)`` plus one
:class:`iakg:Claim` per evidence item that reifies the triple (``rdf:subject``, ``rdf:predicate``,
``rdf:object``) and carries the quote and locator.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .namespaces import (
    CASE,
    CLAIM,
    COLLABORATION,
    COUNTRY,
    DATA_COLLECTION,
    DISCREPANCY,
    FINDING,
    FUNDING,
    IAKG,
    INITIATIVE,
    LEVEL,
    LEVEL_CLASSIFICATION,
    ORGANISATION,
    PLACE,
    SCHEME,
    SOURCE,
    VOCABULARIES,
)

FORMAT = "iakg-case/1"
DEFAULT_SOURCE = "isotis-report"

#: Finding types in YAML -> (finding class, concept scheme id).
FINDING_TYPES: dict[str, tuple[URIRef, str]] = {
    "facilitator": (IAKG.FacilitatorFinding, "facilitators"),
    "barrier": (IAKG.BarrierFinding, "barriers"),
    "impact-on-services": (IAKG.ServiceImpactFinding, "impacts-on-services"),
    "impact-on-families": (IAKG.FamilyImpactFinding, "impacts-on-families"),
    "impact-on-children": (IAKG.ChildImpactFinding, "impacts-on-children"),
}

#: Schemes to which a case file may add concepts -> the class of their concepts.
EXTENSIBLE_SCHEMES: dict[str, URIRef] = {
    "facilitators": IAKG.Facilitator,
    "barriers": IAKG.Barrier,
    "impacts-on-services": IAKG.ServiceImpact,
    "impacts-on-families": IAKG.FamilyImpact,
    "impacts-on-children": IAKG.ChildImpact,
    "sectors": IAKG.Sector,
    "target-groups": IAKG.TargetGroup,
}

EVIDENCE_KEYS = ("quote", "lines", "section", "stated_by", "role", "kind", "measure", "source")


@dataclass(frozen=True)
class Field:
    """One YAML field of a node and the RDF it maps to.

    ``kind`` says how a YAML value becomes an RDF term: ``text``, ``lang`` (text with a ``lang``
    key beside ``value``), ``en`` (English text), ``year``, ``count`` (whole number 0 or more),
    ``decimal``, or ``ref:<what>`` for a reference: ``ref:agent`` (an organisation or the
    initiative), ``ref:place``, ``ref:country``, ``ref:source``, ``ref:typology``, ``ref:level``,
    or ``ref:<scheme id>`` for a concept of a controlled vocabulary.
    ``evidence`` says whether the value is written as a fact (``{value, evidence}``).
    """

    name: str
    predicate: URIRef
    kind: str
    many: bool = False
    evidence: bool = True


F = Field
CASE_FIELDS = (
    F("written_by", IAKG.writtenBy, "ref:agent", many=True),
    F("methods", IAKG.usesMethod, "ref:research-methods", many=True),
)
DATA_COLLECTION_FIELDS = (
    F("method", IAKG.method, "ref:research-methods"),
    F("participants", IAKG.participantCount, "count"),
    F("roles", IAKG.participantRole, "text", many=True),
    F("period", IAKG.period, "text"),
)
INITIATIVE_FIELDS = (
    F("original_name", IAKG.originalName, "lang", many=True),
    F("english_name", IAKG.englishName, "en", many=True),
    F("locations", IAKG.location, "ref:place", many=True),
    F("founding_year", IAKG.foundingYear, "year"),
    F("years_running", IAKG.yearsRunning, "count"),
    F("lead_organisation", IAKG.leadOrganisation, "ref:agent", many=True),
    F("target_groups", IAKG.targetGroup, "ref:target-groups", many=True),
    F("child_age_min", IAKG.childAgeMin, "decimal"),
    F("child_age_max", IAKG.childAgeMax, "decimal"),
    F("services", IAKG.offersService, "text", many=True),
    F("formality", IAKG.formality, "ref:formality"),
    F("arrangement", IAKG.arrangement, "ref:arrangements"),
    F("funding_stability", IAKG.fundingStability, "ref:funding-stability"),
)
FUNDING_FIELDS = (
    F("funder", IAKG.funder, "ref:agent", many=True),
    F("amount", IAKG.amount, "text"),
    F("amount_value", IAKG.amountValue, "decimal"),
    F("currency", IAKG.currency, "text", evidence=False),
    F("stability", IAKG.fundingStability, "ref:funding-stability"),
)
PLACE_FIELDS = (
    F("country", IAKG.country, "ref:country", evidence=False),
    F("within", IAKG.withinPlace, "ref:place", many=True, evidence=False),
    F("iso3166_2", IAKG.iso3166Subdivision, "text", evidence=False),
)
ORGANISATION_FIELDS = (
    F("sectors", IAKG.sector, "ref:sectors", many=True, evidence=False),
    F("country", IAKG.country, "ref:country", evidence=False),
    F("locations", IAKG.location, "ref:place", many=True, evidence=False),
    F("original_name", IAKG.originalName, "lang", many=True),
    F("english_name", IAKG.englishName, "en", many=True),
    F("founding_year", IAKG.foundingYear, "year"),
)
COLLABORATION_FIELDS = (
    F("role", IAKG.partnerRole, "text", many=True),
    F("formality", IAKG.formality, "ref:formality"),
    F("arrangement", IAKG.arrangement, "ref:arrangements"),
)
LEVEL_FIELDS = (
    F("stated_label", IAKG.statedLevelLabel, "text", evidence=False),
    F("attributed_typology", IAKG.attributedTypology, "ref:typology", evidence=False),
    F("attributed_citation", IAKG.attributedCitation, "text", evidence=False),
)
FINDING_FIELDS = (F("involves", IAKG.involvesOrganisation, "ref:agent", many=True, evidence=False),)


def slug_ok(value: object) -> bool:
    """True for identifiers of lower-case letters, digits and single hyphens (``city-of-ghent``)."""
    if not isinstance(value, str) or not value:
        return False
    allowed = set("abcdefghijklmnopqrstuvwxyz0123456789-")
    return set(value) <= allowed and not value.startswith("-") and "--" not in value


# ---------------------------------------------------------------------------------------------
# IRIs
# ---------------------------------------------------------------------------------------------


def case_iri(code: str) -> URIRef:
    return CASE[code]


def initiative_iri(ident: str) -> URIRef:
    return INITIATIVE[ident]


def organisation_iri(ident: str) -> URIRef:
    return ORGANISATION[ident]


def place_iri(ident: str) -> URIRef:
    return PLACE[ident]


def collaboration_iri(code: str, ident: str) -> URIRef:
    return COLLABORATION[f"{code}-{ident}"]


def data_collection_iri(code: str, ident: str) -> URIRef:
    return DATA_COLLECTION[f"{code}-{ident}"]


def funding_iri(code: str, ident: str) -> URIRef:
    return FUNDING[f"{code}-{ident}"]


def finding_iri(code: str, finding_type: str, concept: str) -> URIRef:
    return FINDING[f"{code}-{finding_type}-{concept}"]


def level_classification_iri(code: str, owner: str, level: str, distinct: str | None = None) -> URIRef:
    """The IRI of a level classification; ``distinct`` tells apart several of the same level."""
    local = f"{code}-{owner}-{level.replace('/', '-')}"
    if distinct is not None:
        local += "-" + hashlib.sha1(distinct.encode("utf-8")).hexdigest()[:6]
    return LEVEL_CLASSIFICATION[local]


def discrepancy_iri(code: str, ident: str) -> URIRef:
    return DISCREPANCY[f"{code}-{ident}"]


def concept_iri(scheme: str, ident: str) -> URIRef:
    return VOCABULARIES[scheme][ident]


def scheme_iri(scheme: str) -> URIRef:
    return SCHEME[scheme]


def level_iri(level: str) -> URIRef:
    return URIRef(f"{LEVEL}{level}")


def country_iri(code: str) -> URIRef:
    return COUNTRY[code]


def source_iri(ident: str) -> URIRef:
    return SOURCE[ident]


def claim_iri(code: str, parts: tuple[str, ...]) -> URIRef:
    """A claim's IRI: the case code and a hash of everything the claim says."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return CLAIM[f"{code}-{digest}"]


def literal_for(kind: str, value: object, lang: str | None = None) -> Literal:
    """The RDF literal for a YAML value of a literal ``kind`` (see :class:`Field`)."""
    if kind == "lang":
        return Literal(str(value), lang=lang)
    if kind == "en":
        return Literal(str(value), lang="en")
    if kind == "year":
        return Literal(str(value), datatype=XSD.gYear)
    if kind == "count":
        return Literal(str(value), datatype=XSD.integer)
    if kind == "decimal":
        return Literal(_decimal_text(value), datatype=XSD.decimal)
    return Literal(str(value))


def _decimal_text(value: object) -> str:
    text = str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return text


def yaml_value(kind: str, literal: Literal) -> object:
    """The YAML value for a literal of ``kind`` (the inverse of :func:`literal_for`)."""
    text = str(literal)
    if kind in ("year", "count"):
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "decimal":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() and "." not in text else number
    return text
