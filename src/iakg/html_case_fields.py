"""What a case page shows of each kind of resource: the fields of the descriptions and the
columns of the tables (:data:`iakg.html_common.Spec`), the groups of findings, and the ways of
showing a value that only case pages need (names with their language, age ranges, searched lines).
"""

from __future__ import annotations

from .html_common import Facts, Spec, esc, lines

FINDING_GROUPS = (
    ("FacilitatorFinding", "Facilitators"),
    ("BarrierFinding", "Barriers"),
    ("ServiceImpactFinding", "Impacts on services"),
    ("FamilyImpactFinding", "Impacts on families"),
    ("ChildImpactFinding", "Impacts on children"),
)
# Fields of description lists: a heading, the properties and how to show them.
STUDY: Spec = (
    ("Title", ("rdfs:label",), "text"),
    ("Country", ("iakg:country",), "term"),
    ("Written by", ("iakg:writtenBy",), "label"),
    ("Describes", ("iakg:describes",), "local"),
    ("Methods", ("iakg:usesMethod",), "term"),
)
INITIATIVE: Spec = (
    ("Name", ("rdfs:label",), "text"),
    ("Original name", ("iakg:originalName",), "names"),
    ("English name", ("iakg:englishName",), "names"),
    ("Place", ("iakg:location",), "label"),
    ("Country", ("iakg:country",), "term"),
    ("Founded", ("iakg:foundingYear",), "text"),
    ("Years running", ("iakg:yearsRunning",), "text"),
    ("Lead organisation", ("iakg:leadOrganisation",), "local"),
    ("Formality", ("iakg:formality",), "term"),
    ("Arrangement", ("iakg:arrangement",), "term"),
    ("Funding stability", ("iakg:fundingStability",), "term"),
    ("Target groups", ("iakg:targetGroup",), "term"),
    ("Children's ages", ("iakg:childAgeMin", "iakg:childAgeMax"), "ages"),
)
COLLABORATION: Spec = (
    ("Parties", ("iakg:party",), "local"),
    ("Role", ("iakg:partnerRole",), "text"),
    ("Formality", ("iakg:formality",), "term"),
    ("Arrangement", ("iakg:arrangement",), "term"),
)
DISCREPANCY: Spec = (
    ("Type", ("iakg:discrepancyType",), "term"),
    ("Cases", ("iakg:aboutCase",), "local"),
    ("Findings concerned", ("iakg:concernsFinding",), "local"),
    ("Explanation", ("rdfs:comment",), "text"),
    ("Searched", ("iakg:searchedFromLine", "iakg:searchedToLine"), "silence"),
)
# Columns of tables: a heading, the properties and how to show them.
DATA_COLLECTION: Spec = (
    ("Activity", ("rdfs:label",), "text"),
    ("Method", ("iakg:method",), "term"),
    ("Participants", ("iakg:participantCount",), "text"),
    ("Roles", ("iakg:participantRole",), "text"),
    ("When", ("iakg:period",), "text"),
)
FUNDING: Spec = (
    ("Source", ("rdfs:label",), "text"),
    ("Funder", ("iakg:funder",), "local"),
    ("Amount as printed", ("iakg:amount",), "text"),
    ("Stability", ("iakg:fundingStability",), "term"),
)
ORGANISATION: Spec = (
    ("Organisation", ("rdfs:label",), "text"),
    ("Original name", ("iakg:originalName",), "names"),
    ("Sectors", ("iakg:sector",), "term"),
    ("Place", ("iakg:location",), "label"),
)
LEVEL: Spec = (
    ("Level", ("iakg:level",), "term"),
    ("Typology", ("iakg:level",), "typology"),
    ("Stated label", ("iakg:statedLevelLabel",), "text"),
    ("Citation as printed", ("iakg:attributedCitation",), "text"),
    ("Typology the source names", ("iakg:attributedTypology",), "term"),
)
ROW: Spec = (
    ("Row", ("iakg:rowNumber",), "text"),
    ("Row label as printed", ("iakg:printedLabel",), "text"),
    ("Concept", ("iakg:rowConcept",), "term"),
    ("Reconstruction confidence", ("iakg:reconstructionConfidence",), "term"),
    ("Other readings", ("iakg:alternativeReading",), "readings"),
)


def names(f: Facts, props: tuple[str, ...]) -> str:
    """Names with their language: ``<span lang="nl">De Sloep</span> (nl)``."""
    return ", ".join(
        f'<span lang="{esc(v.lang)}">{esc(v.text)}</span> ({esc(v.lang)})' if v.lang else esc(v.text)
        for v in f.all(*props)
    )


def ages(f: Facts, props: tuple[str, ...]) -> str:
    """An age range in years: ``0–6 years``, ``from 3 years``, ``up to 6 years``."""
    low, high = f.first(props[0]), f.first(props[1])
    if low and high:
        return esc(f"{low}–{high} years")
    return esc(f"from {low} years" if low else f"up to {high} years") if low or high else ""


def silence(f: Facts, props: tuple[str, ...]) -> str:
    """Where a text was searched for what it does not say."""
    searched = lines(f.first(props[0]), f.first(props[1]))
    said = f"The case text at {searched} was searched and does not say this."
    return esc(said) if searched else ""
