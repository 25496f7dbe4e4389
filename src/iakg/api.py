"""The Python API: the same questions as ``iakg query``, answered in Python.

>>> from iakg.api import KnowledgeGraph
>>> kg = KnowledgeGraph.open()                       # the embedded store (built if needed)
>>> answer = kg.ask("colocated-data-sharing-barriers")
>>> sorted((row["code"], row["answeredBy"]) for row in answer.values())
[('CS5', 'case study texts'), ('CS8', 'case study texts'), ('CS8', 'cross-case tables')]
>>> rows = kg.ask("cases-reporting-barrier", barrier="political-climate-change").values()
>>> sorted(r["code"] for r in rows if r["source"] == "cross-case table")
['CS1', 'CS2', 'CS8']

``answer.to_dataframe()`` gives a pandas DataFrame (with ``pip install 'interagency-kg[pandas]'``).
``KnowledgeGraph.remote(url)`` asks any SPARQL 1.1 endpoint the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .project import Project
from .query import LibraryQuery, find, library, prepared, run_local
from .results import Results


@dataclass
class KnowledgeGraph:
    """The graph, embedded or behind an endpoint, and the library of questions."""

    project: Project
    store: ox.Store | None = None
    endpoint: str | None = None
    timeout: float = 30.0

    @classmethod
    def open(cls, project: Path | None = None) -> KnowledgeGraph:
        """The embedded store of the project's built graph (building it if the inputs changed)."""
        from .pipeline import build

        proj = Project.at(project)
        return cls(proj, store=build(proj).open())

    @classmethod
    def remote(cls, endpoint: str, project: Path | None = None, timeout: float = 30.0) -> KnowledgeGraph:
        """A SPARQL 1.1 endpoint serving the graph (the library comes from the project)."""
        return cls(Project.at(project), endpoint=endpoint, timeout=timeout)

    def questions(self) -> list[LibraryQuery]:
        """Every question of the library, with its parameters and expected answer."""
        return list(library(self.project.queries_dir).values())

    def ask(self, name: str, **parameters: str) -> Results:
        """Answer a library question (or run a ``.rq`` file) with the given parameters."""
        query = find(self.project.queries_dir, name)
        return self.sparql(prepared(query, parameters, self.sparql))

    def sparql(self, text: str) -> Results:
        """Run any SELECT or ASK query."""
        if self.endpoint is not None:
            from .remote import run_remote

            return run_remote(self.endpoint, text, self.timeout)
        assert self.store is not None
        return run_local(self.store, text)
