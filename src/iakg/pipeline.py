"""The build: load every input into an on-disk Oxigraph store, reason, and cache the result.

A build is keyed by a hash of its inputs (every ontology, shape, data and check file) and the
reasoner. It is written to ``build/stores/<key>.tmp-<pid>`` and renamed to ``build/stores/<key>``
only when complete, so a failed build never replaces a good one; ``build/current.json`` then
points at it (written to a temporary file and renamed). A later command whose inputs hash to the
same key opens the cached store read-only instead of building again.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import iris
from .errors import InconsistencyError, InputError
from .load import file_graph, load_files, store_triples
from .project import Project
from .reason import Tbox, infer, unsupported_axioms

REASONERS = ("fast", "owlrl")
#: The named graph holding inferred triples (asserted triples stay in one graph per file).
INFERRED_GRAPH = ox.NamedNode(iris.INFERRED_GRAPH)
KEEP_BUILDS = 3

Progress = Callable[[str], None]


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

    def open(self) -> ox.Store:
        """The store, opened read-only (many processes may read it at once)."""
        return ox.Store.read_only(str(self.path / "store"))

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
    if not manifest.is_file() or not (path / "store").is_dir():
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
    """Load, reason and store; or return the cached build of the same inputs."""
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
        built = _build_into(project, tmp, key, reasoner, progress)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(final, ignore_errors=True)
    os.replace(tmp, final)
    built.path = final
    _point_at(project, built)
    _prune(project.build_dir / "stores", keep=final)
    return built


def _build_into(project: Project, path: Path, key: str, reasoner: str, progress: Progress) -> Built:
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    store = ox.Store(str(path / "store"))
    files = [(p, "ontology") for p in project.ontology_files()]
    files += [(p, "data") for p in project.data_files()]
    progress(f"Loading {len(files)} files")
    load_files(store, files)
    seconds["load"] = time.perf_counter() - start

    start = time.perf_counter()
    progress(f"Reasoning ({reasoner})")
    triples = store_triples(store)
    asserted = len(triples)
    unsupported = unsupported_axioms(triples)
    if unsupported:
        where = ", ".join(f"{s} {p} {o}" for s, p, o in unsupported[:3])
        raise InputError(
            f"The ontology or data uses OWL constructs the reasoner does not handle: {where}.",
            "Remove them, or extend iakg.reason (and its equivalence test) first.",
        )
    if reasoner == "fast":
        result = infer(triples, Tbox.from_triples(triples))
        inferred, problems = result.triples, result.inconsistencies
    else:
        inferred, problems = _owlrl(triples)
    if problems:
        raise InconsistencyError(problems)
    store.bulk_extend(ox.Quad(s, p, o, INFERRED_GRAPH) for s, p, o in inferred)  # type: ignore[arg-type]
    seconds["reason"] = time.perf_counter() - start
    store.flush()
    del store
    built = Built(path, key, reasoner, asserted, len(inferred), len(files), seconds)
    write_atomic(path / "manifest.json", json.dumps(built.to_json(), indent=2).encode())
    return built


def _owlrl(triples: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal, ...]]) -> tuple[set, list[str]]:  # type: ignore[type-arg]
    from .convert import to_ox_term, to_rdflib_graph
    from .reason import owlrl_closure

    new, errors = owlrl_closure(to_rdflib_graph(triples))  # type: ignore[arg-type]
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


def data_graph_of(path: Path) -> ox.NamedNode:
    """The named graph a data file is loaded into."""
    return file_graph(path, "data")


def scratch_store(
    project: Project,
    extra: list[tuple[str, bytes]],
    progress: Progress = _quiet,
) -> ox.Store:
    """An in-memory store of the ontology, the data and ``extra`` Turtle documents, reasoned.

    ``extra`` holds ``(file name, Turtle bytes)``; a data file of the same name is replaced, so
    that a changed case file is checked instead of its old version. Used to check entries in the
    context of the existing data before they are written.
    """
    from .load import _syntax_problem  # noqa: PLC0415 - shared error formatting

    store = ox.Store()
    names = {name for name, _ in extra}
    files = [(p, "ontology") for p in project.ontology_files()]
    files += [(p, "data") for p in project.data_files() if p.name not in names]
    progress(f"Loading {len(files) + len(extra)} files")
    load_files(store, files)
    for name, data in extra:
        try:
            store.load(input=data, format=ox.RdfFormat.TURTLE, to_graph=file_graph(Path(name), "data"))
        except SyntaxError as exc:
            raise _syntax_problem(Path(name), exc) from None
    progress("Reasoning")
    triples = store_triples(store)
    result = infer(triples, Tbox.from_triples(triples))
    result.raise_if_inconsistent()
    store.extend(ox.Quad(s, p, o, INFERRED_GRAPH) for s, p, o in result.triples)  # type: ignore[arg-type]
    return store
