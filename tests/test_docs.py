"""The generated documentation in the repository is current: docs/ (the pages for people, linked
from the README) and the generated sections of data/README.md."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from iakg.datadoc import render
from iakg.html import write_site
from iakg.project import Project


def test_docs_folder_matches_the_graph(store: ox.Store, project: Project, tmp_path: Path) -> None:
    write_site(store, tmp_path)
    docs = project.root / "docs"
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(docs): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
    stale = sorted(str(name) for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))
    assert stale == [], f"docs/ is out of date ({stale[:5]}): run iakg export --pages-only"


def test_data_readme_lists_every_row_and_discrepancy(store: ox.Store, project: Project) -> None:
    readme = (project.data_dir / "README.md").read_text(encoding="utf-8")
    assert render(readme, store) == readme, "data/README.md is out of date: run python -m iakg.datadoc"
    labels = store.query(
        "SELECT ?l WHERE { ?d a <https://w3id.org/iakg/ontology#Discrepancy> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?l }",
        use_default_graph_as_union=True,
    )
    assert isinstance(labels, ox.QuerySolutions)
    for row in labels:
        assert row["l"].value in readme  # type: ignore[union-attr]
