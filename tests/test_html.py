"""The static site (iakg.html): every page, every link, the content of the pages, determinism,
and the pages as headless Chromium renders them.

Expected content is read from the Turtle files with rdflib, not from the store the site is made
from, so that a query that loses rows makes a test fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from iakg.errors import InputError
from iakg.html import write_site
from iakg.pipeline import build
from iakg.project import Project

IAKG = Namespace("https://w3id.org/iakg/ontology#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
ID = "https://w3id.org/iakg/id/"
CHROMIUM = Path("/usr/bin/chromium")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


# ---------------------------------------------------------------------------------------------
# A small DOM, built with html.parser, that fails on tags that do not nest
# ---------------------------------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find(self, tag: str) -> list[Element]:
        return [e for e in self.iter() if e.tag == tag]

    def by_id(self, ident: str) -> Element:
        found = [e for e in self.iter() if e.attrs.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]


class Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(text: str) -> Element:
    builder = Builder()
    builder.feed(text)
    builder.close()
    assert [e.tag for e in builder.stack] == ["#document"], "unclosed elements"
    builder.root.attrs["doctype"] = builder.doctype
    return builder.root


# ---------------------------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.at()


@pytest.fixture(scope="module")
def site(project: Project, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("site")
    return out, write_site(build(project).open(), out)


@pytest.fixture(scope="module")
def pages(site: tuple[Path, list[Path]]) -> dict[str, Element]:
    out, _ = site
    return {p.relative_to(out).as_posix(): parse(p.read_text("utf-8")) for p in out.rglob("*.html")}


@pytest.fixture(scope="module")
def data(project: Project) -> Graph:
    graph = Graph()
    for path in [*project.ontology_files(), *project.data_files()]:
        graph.parse(path, format="turtle")
    return graph


def quotes_about(graph: Graph, subject: Node) -> set[str]:
    """The quotes of the claims whose rdf:subject is ``subject``."""
    claims = graph.subjects(RDF.subject, subject)
    return {str(q) for c in claims for q in graph.objects(c, IAKG.quote)}


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


def test_writes_a_page_per_case_study_and_returns_every_file(site: tuple[Path, list[Path]], data: Graph) -> None:
    out, written = site
    codes = {str(code) for code in data.objects(None, IAKG.caseCode)}
    assert len(codes) == 8
    expected = {"index.html", "site.css", "ontology/index.html"}
    expected |= {f"cases/{c}.html" for c in codes}
    assert [p.relative_to(out).as_posix() for p in written] == sorted(expected)
    assert {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()} == expected


def test_every_page_is_html5_with_charset_title_and_stylesheet(
    site: tuple[Path, list[Path]], pages: dict[str, Element]
) -> None:
    out, _ = site
    for name, root in pages.items():
        assert root.attrs["doctype"] == "DOCTYPE html", name
        (html,) = root.find("html")
        assert html.attrs.get("lang") == "en", name
        assert root.find("meta")[0].attrs == {"charset": "utf-8"}, name
        (title,) = root.find("title")
        assert title.text().strip(), name
        sheets = [e.attrs["href"] for e in root.find("link") if e.attrs.get("rel") == "stylesheet"]
        assert [(out / name).parent.joinpath(h).resolve() for h in sheets] == [out / "site.css"]
        ids = [e.attrs["id"] for e in root.iter() if "id" in e.attrs]
        assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
        assert not root.find("script"), f"{name}: pages need no JavaScript"
        assert len(root.find("h1")) == 1, name


def test_every_relative_link_and_fragment_resolves(site: tuple[Path, list[Path]], pages: dict[str, Element]) -> None:
    out, _ = site
    ids = {n: {e.attrs["id"] for e in root.iter() if "id" in e.attrs} for n, root in pages.items()}
    checked = 0
    for name, root in pages.items():
        for element in root.iter():
            for attr in ("href", "src"):
                url = urlsplit(element.attrs.get(attr, ""))
                if attr not in element.attrs or url.scheme or url.netloc:
                    continue
                target = (out / name).parent.joinpath(unquote(url.path)) if url.path else out / name
                target = target.resolve()
                assert target.is_file(), f"{name}: {element.attrs[attr]} does not exist"
                if url.fragment:
                    where = target.relative_to(out).as_posix()
                    assert unquote(url.fragment) in ids[where], f"{name}: no {url.geturl()}"
                checked += 1
    assert checked > 4000  # the site has about 4,800 internal links: make sure they were seen


def test_index_lists_every_case_with_country_and_initiative(pages: dict[str, Element]) -> None:
    rows = pages["index.html"].find("tbody")[0].find("tr")
    cells = [[td.text() for td in row.find("td")] for row in rows]
    assert [c[0] for c in cells] == [f"CS{i}" for i in range(1, 9)]
    assert cells[0][2:4] == ["Belgium", "De Sloep"]
    links = {a.attrs["href"] for a in pages["index.html"].find("a")}
    assert {"ontology/index.html", "cases/CS1.html", "ontology/index.html#country/BE"} <= links


def test_ontology_page_documents_every_class_property_and_concept(pages: dict[str, Element], data: Graph) -> None:
    root = pages["ontology/index.html"]
    ids = {e.attrs["id"] for e in root.iter() if "id" in e.attrs}
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    terms = {str(t) for k in kinds for t in data.subjects(RDF.type, k) if str(t).startswith(IAKG)}
    assert {t.removeprefix(str(IAKG)) for t in terms} <= ids
    assert {"Initiative", "CaseStudy", "describes", "quote", "requiresEvidence"} <= ids
    concepts = {str(c) for c in data.subjects(SKOS.inScheme, None)}
    schemes = {str(s) for s in data.subjects(RDF.type, SKOS.ConceptScheme)}
    assert {c.removeprefix(ID) for c in concepts | schemes} <= ids
    assert root.find("a")[0].attrs["href"] == "../index.html"


def test_ontology_page_lists_the_levels_of_every_typology_in_order(pages: dict[str, Element], data: Graph) -> None:
    root = pages["ontology/index.html"]
    typologies = set(data.subjects(RDF.type, IAKG.Typology))
    assert len(typologies) == 5
    for typology in typologies:
        levels = sorted(data.subjects(SKOS.inScheme, typology),
                        key=lambda lv: int(str(data.value(lv, IAKG.levelOrder))))  # fmt: skip
        expected = [str(data.value(lv, SKOS.prefLabel)) for lv in levels]
        section = root.by_id(str(typology).removeprefix(ID))
        assert [h.text() for h in section.find("h4")] == expected
    frost = root.by_id("scheme/frost-2005")
    assert [h.text() for h in frost.find("h4")] == [
        "Co-operation", "Collaboration", "Co-ordination", "Merger or Integration"]  # fmt: skip


def test_ontology_page_shows_the_crosswalk_with_its_notes(pages: dict[str, Element], data: Graph) -> None:
    section = pages["ontology/index.html"].by_id("sec-crosswalk")
    rows = section.find("tbody")[0].find("tr")
    mappings = set(data.subjects(RDF.type, IAKG.CrosswalkMapping))
    assert {r.attrs["id"] for r in rows} == {str(m).removeprefix(ID) for m in mappings}
    notes = {str(data.value(m, SKOS.editorialNote)) for m in mappings}
    assert {r.find("td")[3].text() for r in rows} == notes


def test_barriers_are_grouped_under_their_statham_area(pages: dict[str, Element], data: Graph) -> None:
    root = pages["ontology/index.html"]
    areas = set(data.subjects(RDF.type, IAKG.BarrierArea))
    assert len(areas) == 4
    for area in areas:
        section = root.by_id(str(area).removeprefix(ID))
        nested = {e.attrs["id"] for e in section.iter() if "id" in e.attrs} - {section.attrs["id"]}
        barriers = {str(b).removeprefix(ID) for b in data.subjects(SKOS.broader, area)}
        assert nested == barriers


def test_case_page_shows_every_finding_with_every_quote(pages: dict[str, Element], data: Graph) -> None:
    section = pages["cases/CS1.html"].by_id("findings")
    findings = set(data.subjects(IAKG.aboutCase, URIRef(ID + "case/CS1"))) & {
        f for cls in (IAKG.FacilitatorFinding, IAKG.BarrierFinding, IAKG.ServiceImpactFinding,
                      IAKG.FamilyImpactFinding, IAKG.ChildImpactFinding)
        for f in data.subjects(RDF.type, cls)
    }  # fmt: skip
    articles = {a.attrs["id"] for a in section.find("article")}
    assert articles == {str(f).removeprefix(ID) for f in findings}
    for finding in findings:
        article = section.by_id(str(finding).removeprefix(ID))
        concept = data.value(finding, IAKG.findingConcept)
        (link,) = article.find("h4")[0].find("a")
        assert link.attrs["href"] == "../ontology/index.html#" + str(concept).removeprefix(ID)
        assert {q.text() for q in article.find("blockquote")} == quotes_about(data, finding)


def test_case_page_shows_levels_and_links_them_to_the_ontology(pages: dict[str, Element]) -> None:
    root = pages["cases/CS1.html"]
    section = root.by_id("collaborations")
    hrefs = {a.attrs["href"] for a in section.find("a")}
    assert "../ontology/index.html#level/frey-2006/cooperation" in hrefs
    assert "../ontology/index.html#scheme/frey-2006" in hrefs
    cells = [[td.text() for td in tr.find("td")] for tr in section.find("tbody")[0].find("tr")]
    assert cells[0][:4] == [
        "Cooperation (Frey-2)",
        "Frey et al. (2006) Levels of Collaboration Scale",
        "cooperation/coordination",
        "Frey and colleagues' model (2016)",
    ]


def test_case_page_keeps_table_marks_apart_from_findings(pages: dict[str, Element], data: Graph) -> None:
    section = pages["cases/CS1.html"].by_id("table-marks")
    marks = data.subjects(IAKG.markedCase, URIRef(ID + "case/CS1"))
    marked = {data.value(m, IAKG.inRow) for m in marks}
    expected = {(str(data.value(r, IAKG.printedLabel)), "marked") for r in marked}
    shown = {(tr.find("td")[1].text(), tr.find("td")[5].text())
             for body in section.find("tbody") for tr in body.find("tr")}  # fmt: skip
    assert shown == expected
    assert not section.find("blockquote")


def test_case_page_quotes_both_sides_of_each_discrepancy(pages: dict[str, Element], data: Graph) -> None:
    root = pages["cases/CS1.html"]
    found = set(data.subjects(IAKG.aboutCase, URIRef(ID + "case/CS1"))) & set(
        data.subjects(RDF.type, IAKG.Discrepancy))  # fmt: skip
    assert len(found) >= 6
    for disc in found:
        article = root.by_id(str(disc).removeprefix(ID))
        claims = data.objects(disc, IAKG.hasSide)
        sides = [str(q) for c in claims for q in data.objects(c, IAKG.quote)]
        assert sorted(q.text() for q in article.find("blockquote")) == sorted(sides)
        if len(sides) == 1:  # the other side is the silence of the searched lines
            searched = data.value(disc, IAKG.searchedFromLine)
            assert searched is not None
            assert f"lines {searched}" in article.text()
        else:
            assert len(sides) >= 2


def test_same_store_gives_the_same_bytes_in_another_process(site: tuple[Path, list[Path]], tmp_path: Path) -> None:
    """Another process has another string hash seed: set order must not reach the pages."""
    out, written = site
    script = ("import sys; from pathlib import Path; from iakg.html import write_site; "
              "from iakg.pipeline import build; from iakg.project import Project; "
              "write_site(build(Project.at()).open(), Path(sys.argv[1]))")  # fmt: skip
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env, timeout=600)
    again = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(out) for p in written]
    for first, second in zip(written, again, strict=True):
        assert first.read_bytes() == second.read_bytes(), first.name


def test_base_iri_must_be_an_iri_ending_in_a_slash(project: Project, tmp_path: Path) -> None:
    store = small_store(project, "")
    with pytest.raises(InputError, match="not an IRI"):
        write_site(store, tmp_path, base_iri="not an iri")
    with pytest.raises(InputError, match="does not end with"):
        write_site(store, tmp_path, base_iri="https://w3id.org/iakg")


# ---------------------------------------------------------------------------------------------
# A new case, text that needs escaping, and codes that clash
# ---------------------------------------------------------------------------------------------

NEW_CASE = """
@prefix iakg: <https://w3id.org/iakg/ontology#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/iakg/id/case/CS10> a iakg:CaseStudy ; iakg:caseCode "CS10" ;
    rdfs:label "Kids & <script>alert('x')</script> \\"centre\\"" ;
    iakg:describes <https://w3id.org/iakg/id/initiative/new> .
<https://w3id.org/iakg/id/initiative/new> a iakg:Initiative ; rdfs:label "New <b>initiative</b>" .
<https://w3id.org/iakg/id/case/CS9> a iakg:CaseStudy ; iakg:caseCode "CS9" .
<https://w3id.org/iakg/id/finding/CS10-trust> a iakg:FacilitatorFinding ;
    iakg:aboutCase <https://w3id.org/iakg/id/case/CS10> ;
    iakg:findingConcept <https://w3id.org/iakg/id/facilitator/trust> .
<https://w3id.org/iakg/id/claim/x> a iakg:Claim ; iakg:quote "we trust <each> other & more" ;
    rdf:subject <https://w3id.org/iakg/id/finding/CS10-trust> ;
    rdf:predicate iakg:findingConcept ; rdf:object <https://w3id.org/iakg/id/facilitator/trust> ;
    iakg:fromLine 3 ; iakg:toLine 4 .
"""


def small_store(project: Project, turtle: str) -> ox.Store:
    store = ox.Store()
    for path in project.ontology_files():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(path.as_uri()))
    store.load(input=turtle.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x"))
    return store


def test_new_cases_get_pages_with_escaped_text(project: Project, tmp_path: Path) -> None:
    written = write_site(small_store(project, NEW_CASE), tmp_path)
    assert {p.name for p in written if p.parent.name == "cases"} == {"CS9.html", "CS10.html"}
    page = (tmp_path / "cases" / "CS10.html").read_text("utf-8")
    assert "<script" not in page and "<b>" not in page
    assert "Kids &amp; &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &quot;centre&quot;" in page
    root = parse(page)
    assert [q.text() for q in root.find("blockquote")] == ["we trust <each> other & more"]
    assert root.find("title")[0].text() == "CS10: Kids & <script>alert('x')</script> \"centre\""
    index = parse((tmp_path / "index.html").read_text("utf-8"))
    assert [tr.find("td")[0].text() for tr in index.find("tbody")[0].find("tr")] == ["CS9", "CS10"]


def test_two_cases_with_one_code_are_an_input_error(project: Project, tmp_path: Path) -> None:
    clash = """@prefix iakg: <https://w3id.org/iakg/ontology#> .
    <urn:case:a> a iakg:CaseStudy ; iakg:caseCode "CS1" .
    <urn:case:b> a iakg:CaseStudy ; iakg:caseCode "CS1" ."""
    with pytest.raises(InputError, match=r"cases/CS1\.html"):
        write_site(small_store(project, clash), tmp_path)


# ---------------------------------------------------------------------------------------------
# In a browser
# ---------------------------------------------------------------------------------------------


def chromium(tmp: Path, *args: str) -> str:
    """Run headless Chromium with no network, sync or updates; return what it prints."""
    if not CHROMIUM.is_file():
        pytest.skip("Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)")
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", f"--user-data-dir={tmp / 'profile'}", *args,
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=True)
    return done.stdout


def dom_text(tmp: Path, page: Path) -> tuple[Element, str]:
    dom = parse(chromium(tmp, "--dump-dom", page.as_uri()))
    return dom, " ".join(dom.text().split())


@pytest.mark.browser
def test_pages_render_in_chromium(site: tuple[Path, list[Path]], data: Graph, tmp_path: Path) -> None:
    out, _ = site
    index, text = dom_text(tmp_path, out / "index.html")
    assert "De Sloep" in text and "BAZA" in text
    assert len(index.find("tbody")[0].find("tr")) == 8

    case, text = dom_text(tmp_path, out / "cases" / "CS1.html")
    assert "De Sloep" in text
    trust = URIRef(ID + "finding/CS1-facilitator-trust")
    quotes = quotes_about(data, trust)
    assert quotes
    assert all(" ".join(q.split()) in text for q in quotes)
    assert case.by_id("finding/CS1-facilitator-trust")

    ontology, text = dom_text(tmp_path, out / "ontology" / "index.html")
    frost = ontology.by_id("scheme/frost-2005")
    assert [h.text() for h in frost.find("h4")] == [
        "Co-operation", "Collaboration", "Co-ordination", "Merger or Integration"]  # fmt: skip
    assert ontology.by_id("Initiative")

    shot = tmp_path / "cs1.png"
    page = (out / "cases" / "CS1.html").as_uri()
    chromium(tmp_path, "--window-size=1280,2000", f"--screenshot={shot}", page)
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1280, 2000)
    # A blank page of this size compresses to about 10 KB; the rendered case page is far larger.
    assert len(png) > 50_000


def test_chromium_helper_skips_cleanly_without_a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(f"{__name__}.CHROMIUM", Path("/nonexistent/chromium"))
    with pytest.raises(pytest.skip.Exception, match="apt-get install -y chromium"):
        chromium(Path("/tmp"))
