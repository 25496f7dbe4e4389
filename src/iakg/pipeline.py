"""The build: load every input, reason, and cache the result keyed by a hash of the inputs.

The graph is built in an in-memory Oxigraph store (measured: writing to the on-disk store costs
four times as much) and saved as one N-Quads file, ``build/stores/<key>/graph.nq``, with a
``manifest.json`` of counts and timings. ``<key>`` is a hash of every input file (ontology, shapes,
data, check queries) and the reasoner, so a later command with unchanged inputs loads the saved
graph instead of building again: the cache is never stale.

Every build is written to ``build/stores/<key>.tmp-<pid>`` and renamed only when complete, so a
failed build leaves the earlier ones intact; ``build/current.json`` (written through a temporary
file and a rename) then points at the new one. Asserted triples stay in one named graph per input
file, inferred triples go to ``https://w3id.org/iakg/graph/inferred``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .errors import InconsistencyError, InputError
from .load import OxTerm, _syntax_problem, file_graph, load_files, store_triples
from .project import Project
from .reason import reason_in_store, unsupported_in_store

REASONERS = ("fast", "owlrl")
#: The named graph holding inferred triples (asserted triples stay in one graph per file).
INFERRED_GRAPH = ox.NamedNode(iris.INFERRED_GRAPH)
KEEP_BUILDS = 3
GRAPH_FILE = "graph.nq"

Progress = Callable[[str], None]
_OPEN: dict[Path, ox.Store] = {}


def _quiet(_: str) -> None:
    return None


@dataclass
class Built:
    """A complete build in the cache."""

    path: Path
    key: str
    reasoner: str
    asserted: int
    inferred: int
    files: int
    seconds: dict[str, float] = field(default_factory=dict)
    cached: bool = False

    def open(self, progress: Progress = _quiet) -> ox.Store:
        """The built graph in an in-memory store (loaded once per process)."""
        store = _OPEN.get(self.path)
        if store is None:
            progress(f"Loading the built graph ({self.asserted + self.inferred:,} triples)")
            store = ox.Store()
            store.bulk_load(path=str(self.path / GRAPH_FILE), format=ox.RdfFormat.N_QUADS)
            _OPEN.clear()  # keep one graph in memory, the latest
            _OPEN[self.path] = store
        return store

    def open_on_disk(self, progress: Progress = _quiet) -> ox.Store:
        """The built graph in the on-disk store, read-only (see :meth:`disk_store`)."""
        return ox.Store.read_only(str(self.disk_store(progress)))

    def disk_store(self, progress: Progress = _quiet) -> Path:
        """An on-disk Oxigraph store of the graph, made on first use (once per build).

        It opens in milliseconds where :meth:`open` parses the whole graph (seconds at portal
        scale), and answers queries a few times slower: right for one question in a new process
        (``iakg query NAME``) and for the Oxigraph server. It is written to a temporary folder and
        renamed when complete, so an interrupted or concurrent first use leaves no half store.
        """
        folder = self.path / "store"
        done = self.path / "store.complete"
        if done.is_file():
            return folder
        progress("Indexing the graph on disk for fast starts (once per build)")
        tmp = self.path / f"store.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            store = ox.Store(str(tmp))
            store.bulk_load(path=str(self.path / GRAPH_FILE), format=ox.RdfFormat.N_QUADS)
            store.flush()
            del store  # closes the store before the rename
            if done.is_file():  # another process finished first: keep its store
                shutil.rmtree(tmp, ignore_errors=True)
                return folder
            shutil.rmtree(folder, ignore_errors=True)  # left by an interrupted first use
            os.rename(tmp, folder)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        write_atomic(done, b"")
        return folder

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["path"] = str(self.path)
        data.pop("cached")
        return data


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _manifest(path: Path) -> Built | None:
    manifest = path / "manifest.json"
    if not manifest.is_file() or not (path / GRAPH_FILE).is_file():
        return None
    data = json.loads(manifest.read_text())
    data["path"] = path
    return Built(**data, cached=True)


def current(project: Project) -> Built | None:
    """The build ``build/current.json`` points at, if it still exists."""
    pointer = project.build_dir / "current.json"
    if not pointer.is_file():
        return None
    key = json.loads(pointer.read_text()).get("key")
    return _manifest(project.build_dir / "stores" / str(key)) if key else None


def build(
    project: Project,
    *,
    reasoner: str = "fast",
    use_cache: bool = True,
    progress: Progress = _quiet,
) -> Built:
    """Load, reason and save; or return the cached build of the same inputs."""
    if reasoner not in REASONERS:
        raise InputError(f"Unknown reasoner {reasoner!r}.", f"Use one of: {', '.join(REASONERS)}.")
    key = f"{project.inputs_hash()}-{reasoner}"
    final = project.build_dir / "stores" / key
    if use_cache and (cached := _manifest(final)):
        _point_at(project, cached)
        return cached

    tmp = final.with_name(f"{key}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        built, store = _build_into(project, tmp, key, reasoner, progress)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    built.path = final
    _OPEN.clear()
    _OPEN[final] = store
    _point_at(project, built)
    _prune(project.build_dir / "stores", keep=final)
    return built


def load_project(
    project: Project, extra: list[tuple[str, bytes]] | None = None, progress: Progress = _quiet
) -> ox.Store:
    """An in-memory store of the ontology and data files (and ``extra`` Turtle documents).

    ``extra`` holds ``(file name, Turtle bytes)``; a data file of the same name is replaced by it.
    """
    store = ox.Store()
    names = {name for name, _ in extra or []}
    files = [(p, "ontology") for p in project.ontology_files()]
    files += [(p, "data") for p in project.data_files() if p.name not in names]
    progress(f"Loading {len(files) + len(names)} files")
    load_files(store, files)
    for name, data in extra or []:
        try:
            store.load(input=data, format=ox.RdfFormat.TURTLE, to_graph=file_graph(Path(name), "data"))
        except SyntaxError as exc:
            raise _syntax_problem(Path(name), exc) from None
    return store


def _build_into(project: Project, path: Path, key: str, reasoner: str, progress: Progress) -> tuple[Built, ox.Store]:
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    store = load_project(project, progress=progress)
    seconds["load"] = time.perf_counter() - start

    start = time.perf_counter()
    progress(f"Reasoning ({reasoner})")
    unsupported = unsupported_in_store(store)
    if unsupported:
        where = ", ".join(f"{s} {p} {o}" for s, p, o in unsupported[:3])
        raise InputError(
            f"The ontology or data uses OWL constructs the reasoner does not handle: {where}.",
            "Remove them, or extend iakg.reason (and its equivalence test) first.",
        )
    asserted = _count(store)
    if reasoner == "fast":
        result = reason_in_store(store, INFERRED_GRAPH)
        inferred, problems = result.inferred, result.inconsistencies
    else:
        new, problems = _owlrl(store_triples(store))
        store.bulk_extend(ox.Quad(s, p, o, INFERRED_GRAPH) for s, p, o in new)  # type: ignore[arg-type]
        inferred = len(new)
    if problems:
        raise InconsistencyError(problems)
    seconds["reason"] = time.perf_counter() - start

    start = time.perf_counter()
    progress("Saving the graph")
    store.dump(output=str(path / GRAPH_FILE), format=ox.RdfFormat.N_QUADS)
    seconds["save"] = time.perf_counter() - start
    files = len(project.ontology_files()) + len(project.data_files())
    built = Built(path, key, reasoner, asserted, inferred, files, seconds)
    write_atomic(path / "manifest.json", json.dumps(built.to_json(), indent=2).encode())
    return built, store


def _count(store: ox.Store) -> int:
    """Distinct triples across all graphs (a triple asserted in two files counts once)."""
    solutions = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


def _owlrl(triples: Sequence[tuple[OxTerm, OxTerm, OxTerm]]) -> tuple[set[tuple[OxTerm, OxTerm, OxTerm]], list[str]]:
    from .convert import to_ox_term, to_rdflib_graph
    from .reason_owlrl import owlrl_closure

    new, errors = owlrl_closure(to_rdflib_graph(triples))
    # owlrl also types literals ("1996"^^xsd:gYear a xsd:gYear): not storable as RDF triples.
    converted = {(to_ox_term(s), to_ox_term(p), to_ox_term(o)) for s, p, o in new}
    return {t for t in converted if not isinstance(t[0], ox.Literal)}, errors


def _point_at(project: Project, built: Built) -> None:
    write_atomic(project.build_dir / "current.json", json.dumps({"key": built.key}).encode())


def _prune(stores: Path, keep: Path) -> None:
    builds = sorted(
        (p for p in stores.iterdir() if p.is_dir() and ".tmp-" not in p.name and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[KEEP_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def scratch_store(project: Project, extra: list[tuple[str, bytes]], progress: Progress = _quiet) -> ox.Store:
    """An in-memory store of the ontology, the data and ``extra`` Turtle documents, reasoned.

    Used to check entries in the context of the existing data before they are written.
    """
    store = load_project(project, extra, progress)
    progress("Reasoning")
    reason_in_store(store, INFERRED_GRAPH).raise_if_inconsistent()
    return store
