"""Namespaces: the project's closed ontology namespace and the IRI patterns of its resources.

``IAKG`` is a closed :class:`rdflib.namespace.DefinedNamespace`: a typo in a term is an
``AttributeError`` at import time. ``tests/test_ontology.py`` checks that its members are exactly the
terms the ontology declares.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .iris import BASE, ID, ONTOLOGY_IRI, PREFIXES

__all__ = ["BASE", "ID", "ONTOLOGY_IRI", "PREFIXES"]


class IAKG(DefinedNamespace):
    """Terms of the Inter-Agency Working ontology (``ontology/iakg.ttl``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI + "#")

    AlternativeReading: URIRef
    Arrangement: URIRef
    Barrier: URIRef
    BarrierArea: URIRef
    BarrierFinding: URIRef
    CaseStudy: URIRef
    ChildImpact: URIRef
    ChildImpactFinding: URIRef
    Claim: URIRef
    Collaboration: URIRef
    CollaborationLevel: URIRef
    ConfidenceLevel: URIRef
    Country: URIRef
    CrossCaseTable: URIRef
    CrosswalkMapping: URIRef
    DataCollection: URIRef
    Discrepancy: URIRef
    DiscrepancyType: URIRef
    EvidenceKind: URIRef
    Facilitator: URIRef
    FacilitatorFinding: URIRef
    FamilyImpact: URIRef
    FamilyImpactFinding: URIRef
    Finding: URIRef
    Formality: URIRef
    FundingSource: URIRef
    FundingStability: URIRef
    Initiative: URIRef
    LevelClassification: URIRef
    Place: URIRef
    ResearchMethod: URIRef
    ResearchStudy: URIRef
    Sector: URIRef
    ServiceImpact: URIRef
    ServiceImpactFinding: URIRef
    SourceDocument: URIRef
    TableMark: URIRef
    TableRow: URIRef
    TargetGroup: URIRef
    Typology: URIRef
    Voice: URIRef
    aboutCase: URIRef
    above: URIRef
    alternativeReading: URIRef
    amount: URIRef
    amountValue: URIRef
    arrangement: URIRef
    attributedCitation: URIRef
    attributedTypology: URIRef
    below: URIRef
    caseCode: URIRef
    childAgeMax: URIRef
    childAgeMin: URIRef
    classifiedBy: URIRef
    classifies: URIRef
    country: URIRef
    currency: URIRef
    describedBy: URIRef
    describes: URIRef
    discrepancyType: URIRef
    englishName: URIRef
    evidenceKind: URIRef
    findingConcept: URIRef
    formality: URIRef
    foundingYear: URIRef
    fromLine: URIRef
    funder: URIRef
    fundingStability: URIRef
    hasCollaboration: URIRef
    hasDataCollection: URIRef
    hasFunding: URIRef
    hasRow: URIRef
    hasSide: URIRef
    concernsFinding: URIRef
    inInitiative: URIRef
    inRow: URIRef
    inTable: URIRef
    intervieweeRole: URIRef
    involvesOrganisation: URIRef
    iso3166Alpha2: URIRef
    iso3166Subdivision: URIRef
    leadOrganisation: URIRef
    level: URIRef
    levelCount: URIRef
    levelOrder: URIRef
    lineCount: URIRef
    location: URIRef
    mappingObject: URIRef
    mappingRelation: URIRef
    mappingSubject: URIRef
    markedCase: URIRef
    measure: URIRef
    method: URIRef
    nextLevel: URIRef
    normalisedPosition: URIRef
    offersService: URIRef
    originalName: URIRef
    partOfDocument: URIRef
    participantCount: URIRef
    participantRole: URIRef
    partnerRole: URIRef
    party: URIRef
    partyTo: URIRef
    period: URIRef
    printedLabel: URIRef
    printedTotal: URIRef
    quote: URIRef
    readingCase: URIRef
    reconstructionConfidence: URIRef
    reconstructionNote: URIRef
    reportCode: URIRef
    reportedIn: URIRef
    reportsFinding: URIRef
    requiresEvidence: URIRef
    rowConcept: URIRef
    rowNumber: URIRef
    searchedFromLine: URIRef
    searchedToLine: URIRef
    section: URIRef
    sector: URIRef
    source: URIRef
    sourceFile: URIRef
    statedBy: URIRef
    statedLevelLabel: URIRef
    studyCountry: URIRef
    tableNumber: URIRef
    tableScheme: URIRef
    targetGroup: URIRef
    toLine: URIRef
    usesMethod: URIRef
    withinPlace: URIRef
    writtenBy: URIRef
    yearsRunning: URIRef


def _ns(path: str) -> Namespace:
    return Namespace(ID + path + "/")


CASE = _ns("case")
INITIATIVE = _ns("initiative")
ORGANISATION = _ns("organisation")
PLACE = _ns("place")
COLLABORATION = _ns("collaboration")
LEVEL_CLASSIFICATION = _ns("level-classification")
FINDING = _ns("finding")
FUNDING = _ns("funding")
DATA_COLLECTION = _ns("data-collection")
CLAIM = _ns("claim")
DISCREPANCY = _ns("discrepancy")
TABLE = _ns("table")
SOURCE = _ns("source")
SCHEME = _ns("scheme")
LEVEL = _ns("level")
COUNTRY = _ns("country")
STUDY = _ns("study")

#: Concept-scheme identifiers used in case files, with the namespace of their concepts.
VOCABULARIES: dict[str, Namespace] = {
    "facilitators": _ns("facilitator"),
    "barriers": _ns("barrier"),
    "barrier-areas": _ns("barrier-area"),
    "impacts-on-services": _ns("impact-on-services"),
    "impacts-on-families": _ns("impact-on-families"),
    "impacts-on-children": _ns("impact-on-children"),
    "sectors": _ns("sector"),
    "target-groups": _ns("target-group"),
    "formality": _ns("formality"),
    "arrangements": _ns("arrangement"),
    "funding-stability": _ns("funding-stability"),
    "research-methods": _ns("method"),
    "evidence-kinds": _ns("evidence-kind"),
    "voices": _ns("voice"),
    "discrepancy-types": _ns("discrepancy-type"),
    "confidence": _ns("confidence"),
    "countries": COUNTRY,
}

#: Named graphs of the built dataset.
from .iris import GRAPH  # noqa: E402

ONTOLOGY_GRAPH = URIRef(GRAPH + "ontology")
DATA_GRAPH = URIRef(GRAPH + "data")
INFERRED_GRAPH = URIRef(GRAPH + "inferred")

#: Where owlrl writes inconsistency messages.
OWLRL_ERRORS = Namespace("http://www.daml.org/2002/03/agents/agent-ont#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
VANN = Namespace("http://purl.org/vocab/vann/")
