"""Shared fixtures: the project, one build of the real graph per test session, the sources."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from iakg.convert import to_ox_term, to_rdflib_graph
from iakg.load import store_triples
from iakg.pipeline import INFERRED_GRAPH, Built, build
from iakg.project import Project
from iakg.reason_owlrl import owlrl_closure

ROOT = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    # Tests never write into the repository's build/ folder; their builds are cached between runs.
    os.environ.setdefault("IAKG_BUILD", str(ROOT / ".pytest_cache" / "iakg-build"))


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.at(ROOT)


@pytest.fixture(scope="session")
def built(project: Project) -> Built:
    return build(project)


@pytest.fixture(scope="session")
def store(built: Built) -> ox.Store:
    return built.open()


@pytest.fixture(scope="session")
def asserted(store: ox.Store) -> list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal, ...]]:
    """The asserted triples of the built store: every named graph but the inferred one."""
    graphs = [g for g in store.named_graphs() if g != INFERRED_GRAPH]
    return store_triples(store, graphs)  # type: ignore[return-value]


@pytest.fixture(scope="session")
def owlrl_inferred(asserted: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal, ...]]) -> set[tuple[object, ...]]:
    """The baseline: owlrl's full OWL 2 RL closure of the asserted triples (about a minute)."""
    new, errors = owlrl_closure(to_rdflib_graph(asserted))  # type: ignore[arg-type]
    assert errors == []
    return {(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in new}


@pytest.fixture(scope="session")
def report_path(project: Project) -> Path:
    path = project.source_file("isotis-inter-agency-report.txt")
    if not path.is_file():
        pytest.skip(f"The source report is not at {path}: set IAKG_SOURCES to the folder that holds it.")
    return path


@pytest.fixture
def project_copy(tmp_path: Path) -> Iterator[Project]:
    """A throw-away copy of the project (ontology, data, queries), so tests can write data/."""
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    shutil.copy(ROOT / "publish.toml", tmp_path / "publish.toml")
    sources = Project.at(ROOT).sources_dir
    previous = os.environ.get("IAKG_SOURCES")
    os.environ["IAKG_SOURCES"] = str(sources)
    yield Project.at(tmp_path)
    if previous is None:
        os.environ.pop("IAKG_SOURCES", None)
    else:
        os.environ["IAKG_SOURCES"] = previous
