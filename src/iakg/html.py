"""Pages for people: a static HTML site of the case studies and the ontology.

``write_site(store, out_dir)`` writes ``index.html`` (the cases), ``cases/<code>.html`` (one page
per ``iakg:CaseStudy`` in the store), ``ontology/index.html`` (:mod:`iakg.html_ontology`) and
``site.css``. Pages need no JavaScript; every text is escaped; the same store gives the same bytes.
Case pages link each concept and level to its anchor in the ontology page, so that a reader can
look up what "Co-ordination (Frost-3)" or "Trust between partners" means.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .html_ontology import (
    DEFAULT_BASE, Facts, OntologyDoc, Reader, anchor, collect, dl, esc, lines, ontology_body,
    sort_key,
)  # fmt: skip

FINDING_GROUPS = (
    ("FacilitatorFinding", "Facilitators"), ("BarrierFinding", "Barriers"),
    ("ServiceImpactFinding", "Impacts on services"), ("FamilyImpactFinding", "Impacts on families"),
    ("ChildImpactFinding", "Impacts on children"),
)  # fmt: skip
_CASES = "SELECT ?case ?code WHERE { ?case a iakg:CaseStudy . OPTIONAL { ?case iakg:caseCode ?code } }"
_ABOUT = "SELECT ?x ?case ?type WHERE { ?x iakg:aboutCase ?case ; a ?type }"
_CLAIMS = "SELECT ?claim ?s WHERE { ?claim rdf:subject ?s }"
_COLLABS = "SELECT ?c ?i WHERE { ?c iakg:inInitiative ?i }"
_CLASSIFIED = "SELECT ?lc ?x WHERE { ?lc iakg:classifies ?x }"
_MARKS = "SELECT ?row ?case WHERE { ?mark a iakg:TableMark ; iakg:markedCase ?case ; iakg:inRow ?row }"
_READINGS = "SELECT ?row ?case WHERE { ?row iakg:alternativeReading/iakg:readingCase ?case }"


@dataclass(frozen=True)
class Case:
    """A case study and the file of its page."""

    iri: str
    code: str

    @property
    def file(self) -> str:
        return re.sub(r"[^A-Za-z0-9_-]", "_", self.code) + ".html"


def write_site(store: ox.Store, out_dir: Path, *, base_iri: str = DEFAULT_BASE) -> list[Path]:
    """Write the site into ``out_dir``; return the files written, sorted.

    >>> # write_site(build(Project.at()).open(), Path("build/site"))
    """
    reader = Reader(store, base_iri)
    labels = reader.labels()
    doc = collect(reader, labels)
    cases = find_cases(reader)
    title, body = ontology_body(doc)
    pages = {
        "site.css": resources.files("iakg").joinpath("resources/site.css").read_text("utf-8"),
        "index.html": page("Inter-agency working: case studies", index_body(reader, doc, cases), ""),
        "ontology/index.html": page(title, body, "../"),
    }
    for case in cases:
        view = CasePage(reader, doc, case, {c.iri: c for c in cases})
        pages[f"cases/{case.file}"] = page(view.title(), view.body(), "../")
    written = []
    for name, text in sorted(pages.items()):
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def find_cases(reader: Reader) -> list[Case]:
    """Every case study, by code in natural order (CS2 before CS10)."""
    cases = [Case(r["case"], r.get("code") or r["case"].rsplit("/", 1)[-1]) for r in reader.rows(_CASES)]
    files: dict[str, str] = {}
    for case in cases:
        if files.setdefault(case.file, case.iri) != case.iri:
            raise InputError(
                f"Two case studies would share the page {case.file}: {files[case.file]} and {case.iri}.",
                "Give each case study its own iakg:caseCode.",
            )
    return sorted(cases, key=lambda c: (_natural(c.code), c.iri))


def _natural(text: str) -> list[tuple[int, int, str]]:
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text)]


def page(title: str, main: str, root: str) -> str:
    """A complete HTML5 page; ``root`` leads from the page to the top of the site."""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title>
<link rel="stylesheet" href="{root}site.css">
</head>
<body>
<header><nav aria-label="Site"><a href="{root}index.html">Case studies</a> <a href="{root}ontology/index.html">Ontology</a></nav></header>
<main>
{main}
</main>
<footer><p>Generated from the Inter-Agency Working knowledge graph. Quotes are verbatim; line numbers refer to the plain-text file of the source.</p></footer>
</body>
</html>
"""


def term_link(doc: OntologyDoc, iri: str, root: str) -> str:
    """A link to the term's entry in the ontology page, or its label if it has none."""
    a = anchor(iri, doc.reader.base_iri)
    text = esc(doc.name(iri))
    return f'<a href="{root}ontology/index.html#{esc(a)}">{text}</a>' if a in doc.ids else text


def index_body(reader: Reader, doc: OntologyDoc, cases: list[Case]) -> str:
    rows = []
    for case in cases:
        f = reader.facts(case.iri)
        countries = ", ".join(term_link(doc, c, "") for c in f.texts("iakg:country"))
        initiatives = ", ".join(esc(doc.label(i)) for i in f.texts("iakg:describes"))
        writers = ", ".join(esc(doc.label(w)) for w in f.texts("iakg:writtenBy"))
        rows.append(
            f'<tr><td><a href="cases/{esc(case.file)}">{esc(case.code)}</a></td>'
            f"<td>{esc(f.first('rdfs:label') or '')}</td><td>{countries}</td>"
            f"<td>{initiatives}</td><td>{writers}</td></tr>"
        )
    head = "<tr><th>Case</th><th>Title</th><th>Country</th><th>Initiative</th><th>Written by</th></tr>"
    return "\n".join([
        "<h1>Inter-agency working: case studies</h1>",
        "<p>Each case study describes one initiative in which several agencies serve young children "
        "and families. Every statement on the case pages carries its verbatim quote and locator. "
        '<a href="ontology/index.html">The ontology</a> defines the terms, typologies and vocabularies.</p>',
        f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>",
    ])  # fmt: skip


class CasePage:
    """The page of one case study: the study, its initiative, organisations, collaborations and
    levels, findings with their evidence, the cross-case table marks and the discrepancies."""

    def __init__(self, reader: Reader, doc: OntologyDoc, case: Case, cases: dict[str, Case]) -> None:
        self.reader, self.doc, self.case, self.cases = reader, doc, case, cases
        self.facts = reader.facts(case.iri)
        self.initiatives = self.sorted(self.facts.texts("iakg:describes"))
        self.collabs = self.sorted(
            r["c"] for i in self.initiatives for r in reader.rows(_COLLABS, i=ox.NamedNode(i))
        )
        self.findings = self.about("Finding")
        self.organisations = self._organisations()
        self.ids = {anchor(i, reader.base_iri) for i in [*self.initiatives, *self.collabs,
                    *self.findings, *self.organisations]}  # fmt: skip

    # -- helpers -------------------------------------------------------------------------------

    def label(self, iri: str) -> str:
        return self.doc.label(iri)

    def sorted(self, iris: Iterable[str]) -> list[str]:
        return sorted(set(iris), key=lambda i: sort_key(self.label(i), i))

    def by_code(self, iris: Iterable[str]) -> list[str]:
        return sorted(set(iris), key=lambda c: (_natural(self.cases[c].code) if c in self.cases else [], c))

    def about(self, cls: str) -> list[str]:
        rows = self.reader.rows(_ABOUT, case=ox.NamedNode(self.case.iri), type=ox.NamedNode(self.reader.iakg(cls)))
        return self.sorted(r["x"] for r in rows)

    def term(self, iri: str) -> str:
        return term_link(self.doc, iri, "../")

    def terms(self, iris: list[str]) -> str:
        return ", ".join(self.term(i) for i in self.sorted(iris))

    def local(self, iri: str) -> str:
        """A link to the thing's section on this page, to another case's page, or its label."""
        if iri in self.cases:
            other = self.cases[iri]
            return esc(other.code) if other == self.case else f'<a href="{esc(other.file)}">{esc(other.code)}</a>'
        a = anchor(iri, self.reader.base_iri)
        return f'<a href="#{esc(a)}">{esc(self.label(iri))}</a>' if a in self.ids else esc(self.label(iri))

    def locals(self, iris: list[str]) -> str:
        return ", ".join(self.local(i) for i in self.sorted(iris))

    def id(self, iri: str) -> str:
        return f'id="{esc(anchor(iri, self.reader.base_iri))}"'

    def title(self) -> str:
        return f"{self.case.code}: {self.facts.first('rdfs:label') or self.case.code}"

    # -- sections ------------------------------------------------------------------------------

    def body(self) -> str:
        parts = [f"<h1>{esc(self.title())}</h1>", self.study()]
        parts += [self.initiative(i) for i in self.initiatives]
        parts += [self.organisation_table(), self.collaborations(), self.findings_section()]
        parts += [self.marks(), self.discrepancies()]
        return "\n".join(p for p in parts if p)

    def study(self) -> str:
        f = self.facts
        printed = [f"{esc(self.label(s))}, {lines(f.first('iakg:fromLine'), f.first('iakg:toLine'))}"
                   for s in f.texts("iakg:partOfDocument")]  # fmt: skip
        about = dl([
            ("Case code", esc(self.case.code)),
            ("Title", esc(f.first("rdfs:label") or "")),
            ("Country", self.terms(f.texts("iakg:country"))),
            ("Written by", ", ".join(esc(self.label(w)) for w in self.sorted(f.texts("iakg:writtenBy")))),
            ("Describes", self.locals(f.texts("iakg:describes"))),
            ("Printed in", "<br>".join(printed)),
            ("Methods", self.terms(f.texts("iakg:usesMethod"))),
        ])  # fmt: skip
        rows = []
        for dc in self.sorted(f.texts("iakg:hasDataCollection")):
            d = self.reader.facts(dc)
            cells = [esc(self.label(dc)), self.terms(d.texts("iakg:method")),
                     esc(d.first("iakg:participantCount") or ""),
                     esc("; ".join(d.texts("iakg:participantRole"))), esc("; ".join(d.texts("iakg:period")))]  # fmt: skip
            rows.append(cells)
        heads = ["Activity", "Method", "Participants", "Roles", "When"]
        return "\n".join(['<section id="study">', "<h2>The case study</h2>", about,
                          "<h3>Data collection</h3>" if rows else "", table(heads, rows), "</section>"])  # fmt: skip

    def initiative(self, iri: str) -> str:
        f = self.reader.facts(iri)
        low, high = f.first("iakg:childAgeMin"), f.first("iakg:childAgeMax")
        ages = f"{low}–{high} years" if low and high else (f"from {low} years" if low else (f"up to {high} years" if high else ""))
        about = dl([
            ("Name", esc(f.first("rdfs:label") or "")),
            ("Original name", names(f, "iakg:originalName")),
            ("English name", names(f, "iakg:englishName")),
            ("Place", ", ".join(esc(self.label(p)) for p in self.sorted(f.texts("iakg:location")))),
            ("Country", self.terms(f.texts("iakg:country"))),
            ("Founded", esc(", ".join(f.texts("iakg:foundingYear")))),
            ("Years running", esc(", ".join(f.texts("iakg:yearsRunning")))),
            ("Lead organisation", self.locals(f.texts("iakg:leadOrganisation"))),
            ("Formality", self.terms(f.texts("iakg:formality"))),
            ("Arrangement", self.terms(f.texts("iakg:arrangement"))),
            ("Funding stability", self.terms(f.texts("iakg:fundingStability"))),
            ("Target groups", self.terms(f.texts("iakg:targetGroup"))),
            ("Children's ages", esc(ages)),
        ])  # fmt: skip
        funding = []
        for source in self.sorted(f.texts("iakg:hasFunding")):
            s = self.reader.facts(source)
            funding.append([esc(self.label(source)), self.locals(s.texts("iakg:funder")),
                            esc("; ".join(s.texts("iakg:amount"))), self.terms(s.texts("iakg:fundingStability"))])  # fmt: skip
        services = "".join(f"<li>{esc(s)}</li>" for s in sorted(f.texts("iakg:offersService"), key=sort_key))
        return "\n".join([
            f'<section {self.id(iri)}>', f"<h2>Initiative: {esc(self.label(iri))}</h2>", about,
            "<h3>Funding</h3>" if funding else "", table(["Source", "Funder", "Amount as printed", "Stability"], funding),
            f"<h3>Services</h3>\n<ul>{services}</ul>" if services else "", "</section>",
        ])  # fmt: skip

    def _organisations(self) -> list[str]:
        found = [o for c in self.collabs for o in self.reader.facts(c).texts("iakg:party")]
        for i in self.initiatives:
            f = self.reader.facts(i)
            found += f.texts("iakg:leadOrganisation")
            found += [o for s in f.texts("iakg:hasFunding") for o in self.reader.facts(s).texts("iakg:funder")]
        found += [o for x in self.findings for o in self.reader.facts(x).texts("iakg:involvesOrganisation")]
        initiative = self.reader.iakg("Initiative")
        return self.sorted(o for o in found if initiative not in self.reader.facts(o).texts("rdf:type"))

    def organisation_table(self) -> str:
        rows = []
        for o in self.organisations:
            f = self.reader.facts(o)
            rows.append([f"<span {self.id(o)}>{esc(self.label(o))}</span>", names(f, "iakg:originalName"),
                         self.terms(f.texts("iakg:sector")),
                         ", ".join(esc(self.label(p)) for p in self.sorted(f.texts("iakg:location")))])  # fmt: skip
        if not rows:
            return ""
        heads = ["Organisation", "Original name", "Sectors", "Place"]
        return f'<section id="organisations">\n<h2>Organisations</h2>\n{table(heads, rows)}\n</section>'

    def collaborations(self) -> str:
        parts = ['<section id="collaborations">', "<h2>Collaborations and their levels</h2>"]
        for i in self.initiatives:
            levels = self.levels(i)
            if levels:
                parts += [f"<h3>{esc(self.label(i))} as a whole</h3>", levels]
        for c in self.collabs:
            f = self.reader.facts(c)
            about = dl([
                ("Parties", self.locals(f.texts("iakg:party"))),
                ("Role", "<br>".join(esc(r) for r in f.texts("iakg:partnerRole"))),
                ("Formality", self.terms(f.texts("iakg:formality"))),
                ("Arrangement", self.terms(f.texts("iakg:arrangement"))),
            ])  # fmt: skip
            parts += [f"<article {self.id(c)}>", f"<h3>{esc(self.label(c))}</h3>", about, self.levels(c), "</article>"]
        return "\n".join(parts + ["</section>"]) if len(parts) > 2 else ""

    def levels(self, iri: str) -> str:
        """The level classifications of a collaboration or initiative, as a table."""
        rows = []
        for lc in sorted(r["lc"] for r in self.reader.rows(_CLASSIFIED, x=ox.NamedNode(iri))):
            f = self.reader.facts(lc)
            schemes = [s for lv in f.texts("iakg:level") for s in self.reader.facts(lv).texts("skos:inScheme")]
            rows.append([self.terms(f.texts("iakg:level")), self.terms(schemes),
                         esc("; ".join(f.texts("iakg:statedLevelLabel"))),
                         esc("; ".join(f.texts("iakg:attributedCitation"))),
                         self.terms(f.texts("iakg:attributedTypology")), self.evidence(lc)])  # fmt: skip
        heads = ["Level", "Typology", "Stated label", "Citation as printed", "Typology the source names", "Evidence"]
        return table(heads, rows)

    def findings_section(self) -> str:
        parts = ['<section id="findings">', "<h2>Findings</h2>",
                 "<p>What the case study (or the report's text about it) states, each with its quotes.</p>"]  # fmt: skip
        for cls, heading in FINDING_GROUPS:
            group = [x for x in self.findings if self.reader.iakg(cls) in self.reader.facts(x).texts("rdf:type")]
            if group:
                parts += [f"<h3>{esc(heading)}</h3>", *[self.finding(x) for x in self.by_concept(group)]]
        return "\n".join(parts + ["</section>"]) if self.findings else ""

    def by_concept(self, findings: list[str]) -> list[str]:
        concept = lambda x: self.label(self.reader.facts(x).first("iakg:findingConcept") or x)  # noqa: E731
        return sorted(findings, key=lambda x: sort_key(concept(x), x))

    def finding(self, iri: str) -> str:
        f = self.reader.facts(iri)
        heading = self.terms(f.texts("iakg:findingConcept")) or esc(self.label(iri))
        involved = self.locals(f.texts("iakg:involvesOrganisation"))
        concerned = f'<p class="involved">Organisations concerned: {involved}</p>' if involved else ""
        return "\n".join([f"<article {self.id(iri)}>", f"<h4>{heading}</h4>", concerned, self.evidence(iri), "</article>"])

    def evidence(self, subject: str) -> str:
        """Every claim whose rdf:subject is ``subject``, with quote, locator, voice and kind."""
        claims = [r["claim"] for r in self.reader.rows(_CLAIMS, s=ox.NamedNode(subject))]
        return claim_list(self, claims)

    def marks(self) -> str:
        case = ox.NamedNode(self.case.iri)
        marked = {r["row"] for r in self.reader.rows(_MARKS, case=case)}
        readings = {r["row"] for r in self.reader.rows(_READINGS, case=case)} - marked
        concepts = {self.reader.facts(x).first("iakg:findingConcept"): x for x in self.findings}
        by_table: dict[str, list[tuple[str, str]]] = {}
        for row, mark in [(r, "marked") for r in marked] + [(r, "only in another reading") for r in readings]:
            for t in self.reader.facts(row).texts("iakg:inTable"):
                by_table.setdefault(t, []).append((row, mark))
        if not by_table:
            return ""
        heads = ["Row", "Row label as printed", "Concept", "Mark", "Reconstruction confidence",
                 "Other readings", "In the case text"]  # fmt: skip
        parts = ['<section id="table-marks">', "<h2>Cross-case table marks</h2>",
                 "<p>How the cross-case tables in Part 1 of the report code this case: the tables' "
                 "claims, kept apart from what the case study's own text states.</p>"]  # fmt: skip
        for t in sorted(by_table, key=lambda t: (int(self.reader.facts(t).first("iakg:tableNumber") or 0), t)):
            rows = [self.mark_row(r, m, concepts) for r, m in sorted(by_table[t], key=self.row_order)]
            parts += [f"<h3>{esc(self.label(t))}</h3>", table(heads, rows)]
        return "\n".join([*parts, "</section>"])

    def row_order(self, item: tuple[str, str]) -> tuple[int, str]:
        return (int(self.reader.facts(item[0]).first("iakg:rowNumber") or 0), item[0])

    def mark_row(self, row: str, mark: str, concepts: dict[str | None, str]) -> list[str]:
        f = self.reader.facts(row)
        readings = ["; ".join(", ".join(self.local(c) for c in self.by_code(self.reader.facts(r).texts("iakg:readingCase")))
                              for r in sorted(f.texts("iakg:alternativeReading")))]  # fmt: skip
        also = [f'<a href="#{esc(anchor(concepts[c], self.reader.base_iri))}">also a finding</a>'
                for c in f.texts("iakg:rowConcept") if c in concepts]  # fmt: skip
        return [esc(f.first("iakg:rowNumber") or ""), esc(f.first("iakg:printedLabel") or ""),
                self.terms(f.texts("iakg:rowConcept")), esc(mark),
                self.terms(f.texts("iakg:reconstructionConfidence")), *readings, ", ".join(also) or "no"]  # fmt: skip

    def discrepancies(self) -> str:
        found = self.about("Discrepancy")
        parts = ['<section id="discrepancies">', "<h2>Discrepancies</h2>"]
        for d in found:
            f = self.reader.facts(d)
            searched = lines(f.first("iakg:searchedFromLine"), f.first("iakg:searchedToLine"))
            about = dl([
                ("Type", self.terms(f.texts("iakg:discrepancyType"))),
                ("Cases", ", ".join(self.local(c) for c in self.by_code(f.texts("iakg:aboutCase")))),
                ("Explanation", "<br>".join(esc(c) for c in f.texts("rdfs:comment"))),
                ("Silence", esc(f"The case text was searched at {searched} and does not state this.") if searched else ""),
            ])  # fmt: skip
            parts += [f"<article {self.id(d)}>", f"<h3>{esc(self.label(d))}</h3>", about,
                      "<h4>The sides</h4>", claim_list(self, f.texts("iakg:hasSide")), "</article>"]  # fmt: skip
        return "\n".join(parts + ["</section>"]) if found else ""


def claim_list(view: CasePage, claims: list[str]) -> str:
    """Claims as quotes, each with its locator, who states it and the kind of evidence."""
    items = []
    order = lambda c: (int(view.reader.facts(c).first("iakg:fromLine") or 0), view.reader.facts(c).first("iakg:quote") or "", c)  # noqa: E731
    for claim in sorted(set(claims), key=order):
        f = view.reader.facts(claim)
        files = [view.reader.facts(s).first("iakg:sourceFile") or view.label(s) for s in f.texts("iakg:source")]
        where = [esc(", ".join(files)), esc(lines(f.first("iakg:fromLine"), f.first("iakg:toLine")))]
        where += [esc(f"section “{s}”") for s in f.texts("iakg:section")]
        voice = view.terms(f.texts("iakg:statedBy")) + "".join(f" ({esc(r)})" for r in f.texts("iakg:intervieweeRole"))
        said = [f"stated by {voice}" if voice else "", f"evidence: {view.terms(f.texts('iakg:evidenceKind'))}" if f.texts("iakg:evidenceKind") else ""]
        said += [f"measure: {esc(m)}" for m in f.texts("iakg:measure")]
        comment = "".join(f'<p class="reading">{esc(c)}</p>' for c in f.texts("rdfs:comment"))
        quote = "".join(f"<blockquote>{esc(q)}</blockquote>" for q in f.texts("iakg:quote"))
        meta = "; ".join(x for x in [", ".join(w for w in where if w), *said] if x)
        items.append(f'<li>{quote}<p class="locator">{meta}</p>{comment}</li>')
    return '<ul class="evidence">\n' + "\n".join(items) + "\n</ul>" if items else ""


def names(f: Facts, prop: str) -> str:
    """Names with their language: ``<span lang="nl">De Sloep</span> (nl)``."""
    return ", ".join(f'<span lang="{esc(v.lang)}">{esc(v.text)}</span> ({esc(v.lang)})' if v.lang else esc(v.text)
                     for v in f.all(prop))  # fmt: skip


def table(heads: list[str], rows: list[list[str]]) -> str:
    """A table of HTML cells; nothing when there are no rows."""
    if not rows:
        return ""
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"
