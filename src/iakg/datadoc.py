"""The generated parts of ``data/README.md``: the tables' rows with their confidence, and every
discrepancy, written from the graph so that the README cannot drift from the data.

    python -m iakg.datadoc          # rewrites the generated sections of data/README.md

``tests/test_data.py`` fails when the README's sections differ from what this module writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pyoxigraph as ox

from .pipeline import build, write_atomic
from .project import Project

PREFIX = "PREFIX iakg: <https://w3id.org/iakg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
SECTION = re.compile(r"(<!-- generated:(?P<name>[a-z-]+) -->\n).*?(<!-- /generated:(?P=name) -->)", re.DOTALL)


def _rows(store: ox.Store, query: str) -> list[dict[str, str]]:
    solutions = store.query(PREFIX + query, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def table_rows(store: ox.Store) -> str:
    rows = _rows(
        store,
        """SELECT ?table ?row ?label ?total ?confidence (GROUP_CONCAT(DISTINCT ?code; separator=" ") AS ?marked)
        ?first ?last WHERE {
            ?r iakg:inTable/iakg:tableNumber ?table ; iakg:rowNumber ?row ; iakg:printedLabel ?label ;
               iakg:printedTotal ?total ; iakg:fromLine ?first ; iakg:toLine ?last ;
               iakg:reconstructionConfidence/<http://www.w3.org/2004/02/skos/core#prefLabel> ?confidence .
            OPTIONAL { ?m iakg:inRow ?r ; iakg:markedCase/iakg:caseCode ?code }
        } GROUP BY ?table ?row ?label ?total ?confidence ?first ?last""",
    )
    rows.sort(key=lambda r: (int(r["table"]), int(r["row"])))
    lines = ["| table | row | label as printed | lines | marks | total | confidence |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        marked = " ".join(sorted(r.get("marked", "").split()))
        lines.append(
            f"| {r['table']} | {r['row']} | {r['label']} | {r['first']}-{r['last']} | {marked} | {r['total']} | "
            f"{r['confidence'].lower()} |"
        )
    return "\n".join(lines) + "\n"


def discrepancies(store: ox.Store) -> str:
    rows = _rows(
        store,
        """SELECT ?d ?label ?type ?description (GROUP_CONCAT(DISTINCT ?code; separator=" ") AS ?cases) WHERE {
            ?d a iakg:Discrepancy ; rdfs:label ?label ; rdfs:comment ?description ;
               iakg:discrepancyType/<http://www.w3.org/2004/02/skos/core#prefLabel> ?type .
            OPTIONAL { ?d iakg:aboutCase/iakg:caseCode ?code }
        } GROUP BY ?d ?label ?type ?description""",
    )
    sides = _rows(
        store,
        """SELECT ?d ?first ?last ?voice WHERE {
            ?d iakg:hasSide ?s . ?s iakg:fromLine ?first ; iakg:toLine ?last ;
               iakg:statedBy/<http://www.w3.org/2004/02/skos/core#prefLabel> ?voice }""",
    )
    concerned = _rows(
        store,
        """SELECT ?d ?code ?label WHERE {
            ?d iakg:concernsFinding ?f . ?f iakg:aboutCase/iakg:caseCode ?code ;
               iakg:findingConcept/<http://www.w3.org/2004/02/skos/core#prefLabel> ?label }""",
    )
    findings: dict[str, list[str]] = {}
    for f in sorted(concerned, key=lambda f: (f["code"], f["label"])):
        findings.setdefault(f["d"], []).append(f"{f['code']} '{f['label']}'")
    where: dict[str, list[str]] = {}
    for side in sorted(sides, key=lambda s: (int(s["first"]), s["voice"])):
        span = side["first"] if side["first"] == side["last"] else f"{side['first']}-{side['last']}"
        where.setdefault(side["d"], []).append(f"{span} ({side['voice'].lower()})")
    rows.sort(key=lambda r: (r["type"], " ".join(sorted(r.get("cases", "").split())), r["label"]))
    lines = []
    current = None
    for r in rows:
        if r["type"] != current:
            current = r["type"]
            count = sum(1 for x in rows if x["type"] == current)
            lines += ["", f"### {current} ({count})", ""]
        cases = " ".join(sorted(r.get("cases", "").split())) or "no case"
        names = findings.get(r["d"], [])
        about = f" Concerns {'the findings' if len(names) > 1 else 'the finding'} {'; '.join(names)}." if names else ""
        lines.append(
            f"- **{cases}: {r['label']}.** {r['description']} Lines: {', '.join(where.get(r['d'], []))}.{about}"
        )
    return f"{len(rows)} discrepancies, by type.\n" + "\n".join(lines) + "\n"


SECTIONS = {"table-rows": table_rows, "discrepancies": discrepancies}


def render(readme: str, store: ox.Store) -> str:
    """The README text with every generated section rewritten from ``store``."""

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + SECTIONS[match.group("name")](store) + match.group(3)

    return SECTION.sub(replace, readme)


def main() -> None:
    project = Project.at()
    path = project.data_dir / "README.md"
    text = render(path.read_text(encoding="utf-8"), build(project).open())
    write_atomic(path, text.encode("utf-8"))
    print(f"Rewrote the generated sections of {path}.", file=sys.stderr)


if __name__ == "__main__":
    main()

__all__ = ["Path", "render"]
