"""The page of one case study, ``cases/<code>.html``: the study, its initiative, organisations,
collaborations and their levels, findings with the verbatim quotes that support them, the marks of
the cross-case tables and the discrepancies. Concepts and levels link to the ontology page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .html_case_fields import (
    COLLABORATION,
    DATA_COLLECTION,
    DISCREPANCY,
    FINDING_GROUPS,
    FUNDING,
    INITIATIVE,
    LEVEL,
    ORGANISATION,
    ROW,
    STUDY,
    ages,
    names,
    silence,
)
from .html_common import Facts, Reader, Show, Spec, anchor, dl, esc, fields, lines, sort_key, table, texts
from .html_terms import OntologyDoc

_ABOUT = "SELECT ?x ?case ?type WHERE { ?x iakg:aboutCase ?case ; a/rdfs:subClassOf* ?type }"
_CLAIMS = "SELECT ?claim ?s WHERE { ?claim rdf:subject ?s }"
_COLLABS = "SELECT ?c ?i WHERE { ?c iakg:inInitiative ?i }"
_CLASSIFIED = "SELECT ?lc ?x WHERE { ?lc iakg:classifies ?x }"
_MARKS = "SELECT ?row ?case WHERE { [] a iakg:TableMark ; iakg:markedCase ?case ; iakg:inRow ?row }"
_READINGS = "SELECT ?row ?case WHERE { ?row iakg:alternativeReading/iakg:readingCase ?case }"


@dataclass(frozen=True)
class Case:
    """A case study and the file name of its page."""

    iri: str
    code: str

    @property
    def file(self) -> str:
        return re.sub(r"[^A-Za-z0-9_-]", "_", self.code) + ".html"


def _by_code(case: Case) -> list[tuple[int, int, str]]:
    return natural(case.code)


def natural(text: str) -> list[tuple[int, int, str]]:
    """A sort key in which the numbers of ``text`` compare as numbers."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text)]


class CasePage:
    """The page of one case study: the study, its initiative, organisations, collaborations and
    levels, findings with their evidence, the cross-case table marks and the discrepancies."""

    def __init__(self, reader: Reader, doc: OntologyDoc, case: Case, cases: dict[str, Case]):
        self.reader, self.doc, self.case, self.cases = reader, doc, case, cases
        self.facts = reader.facts(case.iri)
        self.title = f"{case.code}: {self.facts.first('rdfs:label') or case.code}"
        self.initiatives = doc.by_label(self.facts.texts("iakg:describes"))
        found = [reader.rows(_COLLABS, i=ox.NamedNode(i)) for i in self.initiatives]
        self.collabs = doc.by_label(r["c"] for rows in found for r in rows)
        self.findings = self.about("Finding")
        self.finding_set = set(self.findings)
        self.discrepancy_list = self.about("Discrepancy")
        self.disputes: dict[str, list[str]] = {}
        for d in self.discrepancy_list:
            for f in reader.facts(d).texts("iakg:concernsFinding"):
                self.disputes.setdefault(f, []).append(d)
        self.organisations = self._organisations()
        shown = [*self.initiatives, *self.collabs, *self.findings, *self.discrepancy_list, *self.organisations]
        self.ids = {anchor(i, reader.base_iri) for i in shown}
        self.shows: dict[str, Show] = {
            "text": texts, "names": names, "ages": ages, "silence": silence,
            "label": lambda f, ps: ", ".join(esc(doc.label(i)) for i in doc.by_label(f.texts(*ps))),
            "term": lambda f, ps: self.terms(f.texts(*ps)),
            "local": lambda f, ps: self.locals(f.texts(*ps)),
            "typology": lambda f, ps: self.terms(
                [s for lv in f.texts(*ps) for s in reader.facts(lv).texts("skos:inScheme")]),
            "readings": lambda f, ps: "; ".join(
                self.locals(reader.facts(r).texts("iakg:readingCase")) for r in f.texts(*ps)),
            "evidence": lambda f, ps: self.evidence(f.texts("@id")),
        }  # fmt: skip

    # -- links and lists -----------------------------------------------------------------------

    def about(self, cls: str) -> list[str]:
        """What is about this case and of class ``cls``."""
        case, kind = ox.NamedNode(self.case.iri), ox.NamedNode(self.reader.iakg(cls))
        return self.doc.by_label(r["x"] for r in self.reader.rows(_ABOUT, case=case, type=kind))

    def terms(self, iris: Iterable[str]) -> str:
        """Links to the entries of the ontology page."""
        ordered = self.doc.by_label(iris)
        return ", ".join(self.doc.link(i, "../ontology/index.html") for i in ordered)

    def locals(self, iris: Iterable[str]) -> str:
        """Links to the sections of this page or to other cases' pages, else labels."""
        iris = set(iris)  # each set operation below runs over these few IRIs, never over every case
        cases = sorted((self.cases[i] for i in iris if i in self.cases), key=_by_code)
        links = [f'<a href="{c.file}">{esc(c.code)}</a>' if c != self.case else esc(c.code)
                 for c in cases]  # fmt: skip
        for iri in self.doc.by_label(i for i in iris if i not in self.cases):
            concept = self.reader.facts(iri).first("iakg:findingConcept") if iri in self.finding_set else None
            a, text = anchor(iri, self.reader.base_iri), esc(self.doc.label(concept or iri))
            links.append(f'<a href="#{esc(a)}">{text}</a>' if a in self.ids else text)
        return ", ".join(links)

    def describe(self, iri: str, spec: Spec) -> str:
        return dl(fields(self.reader.facts(iri), spec, self.shows))

    def table(self, spec: Spec, iris: list[str], *, ids: bool = False, quotes: bool = False) -> str:
        """A table with a row per resource and a column per field of ``spec``."""
        full: Spec = (*spec, ("Evidence", (), "evidence")) if quotes else spec
        rows = [[v for _, v in fields(self.reader.facts(i), full, self.shows)] for i in iris]
        row_ids = [anchor(i, self.reader.base_iri) for i in iris] if ids else None
        return table([title for title, _, _ in full], rows, row_ids)

    def header(self, iri: str, tag: str, heading: str) -> str:
        return f'<{tag} id="{esc(anchor(iri, self.reader.base_iri))}">\n{heading}'

    # -- sections ------------------------------------------------------------------------------

    def body(self) -> str:
        parts = [f"<h1>{esc(self.title)}</h1>", self.study()]
        parts += [self.initiative(i) for i in self.initiatives]
        parts += [self.organisation_table(), self.collaborations(), self.findings_section()]
        parts += [self.marks(), self.discrepancies()]
        return "\n".join(p for p in parts if p)

    def study(self) -> str:
        f = self.facts
        where = lines(f.first("iakg:fromLine"), f.first("iakg:toLine"))
        printed = [f"{esc(self.doc.label(s))}, {where}" for s in f.texts("iakg:partOfDocument")]
        about = dl([("Case code", esc(self.case.code)), *fields(f, STUDY, self.shows),
                    ("Printed in", "<br>".join(printed))])  # fmt: skip
        collections = self.doc.by_label(f.texts("iakg:hasDataCollection"))
        return "\n".join(['<section id="study">', "<h2>The case study</h2>", about,
                          "<h3>Data collection</h3>" if collections else "",
                          self.table(DATA_COLLECTION, collections), "</section>"])  # fmt: skip

    def initiative(self, iri: str) -> str:
        f = self.reader.facts(iri)
        funding = self.doc.by_label(f.texts("iakg:hasFunding"))
        services = sorted(f.texts("iakg:offersService"), key=sort_key)
        listed = "\n".join(f"<li>{esc(s)}</li>" for s in services)
        return "\n".join([
            self.header(iri, "section", f"<h2>Initiative: {esc(self.doc.label(iri))}</h2>"),
            self.describe(iri, INITIATIVE),
            "<h3>Funding</h3>" if funding else "", self.table(FUNDING, funding),
            f"<h3>Services</h3>\n<ul>\n{listed}\n</ul>" if services else "", "</section>",
        ])  # fmt: skip

    def _organisations(self) -> list[str]:
        """Organisations of the collaborations, funding, lead and findings (not initiatives)."""
        facts = self.reader.facts
        found = [o for c in self.collabs for o in facts(c).texts("iakg:party")]
        for i in self.initiatives:
            found += facts(i).texts("iakg:leadOrganisation")
            funding = facts(i).texts("iakg:hasFunding")
            found += [o for s in funding for o in facts(s).texts("iakg:funder")]
        found += [o for x in self.findings for o in facts(x).texts("iakg:involvesOrganisation")]
        initiative = self.reader.iakg("Initiative")
        return self.doc.by_label(o for o in found if initiative not in facts(o).texts("rdf:type"))

    def organisation_table(self) -> str:
        if not self.organisations:
            return ""
        body = self.table(ORGANISATION, self.organisations, ids=True)
        return f'<section id="organisations">\n<h2>Organisations</h2>\n{body}\n</section>'

    def collaborations(self) -> str:
        parts = ['<section id="collaborations">', "<h2>Collaborations and their levels</h2>"]
        for i in self.initiatives:
            levels = self.levels(i)
            parts += [f"<h3>{esc(self.doc.label(i))} as a whole</h3>", levels] if levels else []
        for c in self.collabs:
            parts += [self.header(c, "article", f"<h3>{esc(self.doc.label(c))}</h3>"),
                      self.describe(c, COLLABORATION), self.levels(c), "</article>"]  # fmt: skip
        return "\n".join([*parts, "</section>"]) if len(parts) > 2 else ""

    def levels(self, iri: str) -> str:
        """The level classifications of a collaboration or an initiative."""
        found = sorted(r["lc"] for r in self.reader.rows(_CLASSIFIED, x=ox.NamedNode(iri)))
        return self.table(LEVEL, found, quotes=True)

    def findings_section(self) -> str:
        if not self.findings:
            return ""
        parts = ['<section id="findings">', "<h2>Findings</h2>",
                 "<p>What the case study, or the report's text about it, states.</p>"]  # fmt: skip
        for cls, heading in FINDING_GROUPS:
            kind = self.reader.iakg(cls)
            group = [x for x in self.findings if kind in self.reader.facts(x).texts("rdf:type")]
            if group:
                parts += [f"<h3>{esc(heading)}</h3>", *map(self.finding, self.by_concept(group))]
        return "\n".join([*parts, "</section>"])

    def by_concept(self, findings: list[str]) -> list[str]:
        def key(x: str) -> tuple[str, str, str]:
            concept = self.reader.facts(x).first("iakg:findingConcept") or x
            return sort_key(self.doc.label(concept), x)

        return sorted(findings, key=key)

    def finding(self, iri: str) -> str:
        f = self.reader.facts(iri)
        concept = self.terms(f.texts("iakg:findingConcept"))
        heading = self.header(iri, "article", f"<h4>{concept}</h4>")
        involved = self.locals(f.texts("iakg:involvesOrganisation"))
        concerned = f'<p class="involved">Organisations concerned: {involved}</p>'
        concerned = concerned if involved else ""
        parts = [heading, concerned]
        if disputed := self.locals(self.disputes.get(iri, [])):
            parts.append(f'<p class="involved">The sources disagree about it: {disputed}</p>')
        return "\n".join([*parts, self.evidence([iri]), "</article>"])

    def evidence(self, subjects: list[str]) -> str:
        """Every claim whose rdf:subject is one of ``subjects``."""
        rows = [r for s in subjects for r in self.reader.rows(_CLAIMS, s=ox.NamedNode(s))]
        return self.claims([r["claim"] for r in rows])

    def claims(self, claims: list[str]) -> str:
        """Quotes, each with its locator, who states it and the kind of evidence."""

        def key(c: str) -> tuple[int, str, str]:
            f = self.reader.facts(c)
            return (int(f.first("iakg:fromLine") or 0), f.first("iakg:quote") or "", c)

        items = [self.claim(self.reader.facts(c)) for c in sorted(set(claims), key=key)]
        return '<ul class="evidence">\n' + "\n".join(items) + "\n</ul>" if items else ""

    def claim(self, f: Facts) -> str:
        sources = [self.reader.facts(s) for s in f.texts("iakg:source")]
        where = [", ".join(s.first("iakg:sourceFile") or self.doc.label(s.texts("@id")[0])
                           for s in sources)]  # fmt: skip
        where += [lines(f.first("iakg:fromLine"), f.first("iakg:toLine"))]
        where += [f"section “{s}”" for s in f.texts("iakg:section")]
        meta = [esc(", ".join(w for w in where if w))]
        voice, kind = self.terms(f.texts("iakg:statedBy")), self.terms(f.texts("iakg:evidenceKind"))
        roles = "".join(f" ({esc(r)})" for r in f.texts("iakg:intervieweeRole"))
        meta += [f"stated by {voice}{roles}"] if voice else []
        meta += [f"evidence: {kind}"] if kind else []
        meta += [f"measure: {esc(m)}" for m in f.texts("iakg:measure")]
        quotes = "".join(f"<blockquote>{esc(q)}</blockquote>" for q in f.texts("iakg:quote"))
        comment = "".join(f'<p class="reading">{esc(c)}</p>' for c in f.texts("rdfs:comment"))
        return f'<li>{quotes}<p class="locator">{"; ".join(meta)}</p>{comment}</li>'

    def marks(self) -> str:
        """The rows of the cross-case tables that mark this case, table by table."""
        case = ox.NamedNode(self.case.iri)
        marked = {r["row"]: "marked" for r in self.reader.rows(_MARKS, case=case)}
        for r in self.reader.rows(_READINGS, case=case):
            marked.setdefault(r["row"], "only in another reading")
        by_table: dict[str, list[str]] = {}
        for row in marked:
            for t in self.reader.facts(row).texts("iakg:inTable"):
                by_table.setdefault(t, []).append(row)
        parts = [
            '<section id="table-marks">',
            "<h2>Cross-case table marks</h2>",
            "<p>How the cross-case tables in Part 1 of the report code this case: claims "
            "of the tables, kept apart from what the case study's own text states.</p>",
        ]
        for t in sorted(by_table, key=lambda t: (self.number(t, "iakg:tableNumber"), t)):
            rows = sorted(by_table[t], key=lambda r: (self.number(r, "iakg:rowNumber"), r))
            parts += [f"<h3>{esc(self.doc.label(t))}</h3>", self.mark_table(rows, marked)]
        return "\n".join([*parts, "</section>"]) if by_table else ""

    def number(self, iri: str, prop: str) -> int:
        return int(self.reader.facts(iri).first(prop) or 0)

    def mark_table(self, rows: list[str], marked: dict[str, str]) -> str:
        concepts = {self.reader.facts(x).first("iakg:findingConcept"): x for x in self.findings}
        cells = []
        for row in rows:
            f = self.reader.facts(row)
            found = [concepts[c] for c in f.texts("iakg:rowConcept") if c in concepts]
            also = [f'<a href="#{esc(anchor(x, self.reader.base_iri))}">yes</a>' for x in found]
            shown = [value for _, value in fields(f, ROW, self.shows)]
            cells.append([*shown, esc(marked[row]), ", ".join(also) or "no"])
        heads = [title for title, _, _ in ROW] + ["Mark", "A finding of the case text"]
        return table(heads, cells)

    def discrepancies(self) -> str:
        parts = ['<section id="discrepancies">', "<h2>Discrepancies</h2>"]
        for d in self.discrepancy_list:
            sides = self.claims(self.reader.facts(d).texts("iakg:hasSide"))
            parts += [self.header(d, "article", f"<h3>{esc(self.doc.label(d))}</h3>"),
                      self.describe(d, DISCREPANCY), "<h4>The sides</h4>", sides,
                      "</article>"]  # fmt: skip
        return "\n".join([*parts, "</section>"]) if self.discrepancy_list else ""
