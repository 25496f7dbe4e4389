"""Pages for people: a static HTML site of the case studies and the ontology.

``write_site(store, out_dir)`` writes ``index.html`` (the cases), ``cases/<code>.html`` (one page
per ``iakg:CaseStudy`` in the store, :mod:`iakg.html_case`), ``ontology/index.html``
(:mod:`iakg.html_ontology`) and ``site.css``. The pages need no JavaScript, every text is escaped,
and the same store gives the same bytes. Case pages link each concept and level to its entry in
the ontology page.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .html_case import Case, CasePage, natural
from .html_common import DEFAULT_BASE, Reader, esc, page, table, texts
from .html_ontology import ontology_body
from .html_terms import OntologyDoc, collect
from .pipeline import write_atomic

SITE_TITLE = "Inter-agency working: case studies"
_CASES = "SELECT ?case ?code WHERE { ?case a iakg:CaseStudy OPTIONAL { ?case iakg:caseCode ?code }}"


def write_site(store: ox.Store, out_dir: Path, *, base_iri: str = DEFAULT_BASE) -> list[Path]:
    """Write the site into ``out_dir`` and return the files written, sorted.

    Files of an earlier site that no longer have a case are left in place.
    """
    reader = Reader(store, base_iri)
    doc = collect(reader, reader.labels())
    cases = find_cases(reader)
    title, body = ontology_body(doc)
    pages = {
        "site.css": resources.files("iakg").joinpath("resources/site.css").read_text("utf-8"),
        "index.html": page(SITE_TITLE, index_body(reader, doc, cases), ""),
        "ontology/index.html": page(title, body, "../"),
    }
    by_iri = {c.iri: c for c in cases}
    for case in cases:
        view = CasePage(reader, doc, case, by_iri)
        pages[f"cases/{case.file}"] = page(view.title, view.body(), "../")
    written = []
    for name, text in sorted(pages.items()):
        path = out_dir / name
        write_atomic(path, text.encode("utf-8"))
        written.append(path)
    return written


def find_cases(reader: Reader) -> list[Case]:
    """Every case study, by code in natural order (CS2 before CS10)."""
    rows = reader.rows(_CASES)
    cases = [Case(r["case"], r.get("code") or r["case"].rsplit("/", 1)[-1]) for r in rows]
    files: dict[str, str] = {}
    for case in cases:
        if files.setdefault(case.file, case.iri) != case.iri:
            raise InputError(
                f"The case studies {files[case.file]} and {case.iri} would share the page cases/{case.file}.",
                "Give each case study its own iakg:caseCode.",
            )
    return sorted(cases, key=lambda c: (natural(c.code), c.iri))


def index_body(reader: Reader, doc: OntologyDoc, cases: list[Case]) -> str:
    rows = []
    for case in cases:
        f = reader.facts(case.iri)
        rows.append([
            f'<a href="cases/{esc(case.file)}">{esc(case.code)}</a>', texts(f, ("rdfs:label",)),
            ", ".join(doc.link(c, "ontology/index.html") for c in f.texts("iakg:country")),
            ", ".join(esc(doc.label(i)) for i in doc.by_label(f.texts("iakg:describes"))),
            ", ".join(esc(doc.label(w)) for w in doc.by_label(f.texts("iakg:writtenBy"))),
        ])  # fmt: skip
    intro = ("<p>Each case study describes an initiative in which several agencies serve young "
             "children and families. Every statement on a case page comes with its verbatim quote "
             'and where to find it. <a href="ontology/index.html">The ontology</a> defines the '
             "terms, typologies and vocabularies.</p>")  # fmt: skip
    heads = ["Case", "Title", "Country", "Initiative", "Written by"]
    return "\n".join([f"<h1>{esc(SITE_TITLE)}</h1>", intro, table(heads, rows)])
