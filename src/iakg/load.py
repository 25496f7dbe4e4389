"""Stage 1, load: read Turtle files into an Oxigraph store, one named graph per file.

Every file is checked before it is parsed, so that a bad file gives one clear message naming the
file (and the line and column where there is one) and nothing is loaded from it:
a missing or empty file, a file over the size limit, bytes that are not UTF-8, a Turtle syntax
error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError, Position, SyntaxProblem
from .iris import GRAPH

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
OxTriple = tuple[OxTerm, OxTerm, OxTerm]

#: Largest input file accepted, in bytes. Larger files are refused with exit code 2.
MAX_FILE_BYTES = 50 * 1024 * 1024


def file_graph(path: Path, kind: str) -> ox.NamedNode:
    """The named graph a file is loaded into: ``<base>graph/<kind>/<file name>``."""
    return ox.NamedNode(f"{GRAPH}{kind}/{path.name}")


def read_checked(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a text input file, or an :class:`InputError` saying what is wrong with it."""
    if not path.exists():
        raise InputError(f"{path}: no such file.", "Check the path and try again.")
    if not path.is_file():
        raise InputError(f"{path}: not a file.", "Give the path of a file, not a folder.")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path}: the file is {size / 1024 / 1024:.1f} MB, over the limit of {max_bytes / 1024 / 1024:.0f} MB.",
            "Split the file into several smaller files (one case per file).",
        )
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty.", "Fill the file in, or remove it.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SyntaxProblem(
            Position(path, line, column),
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}).",
            "Save the file with UTF-8 encoding (in most editors: Save as..., Encoding: UTF-8).",
        ) from None
    return data


def _syntax_problem(path: Path, exc: SyntaxError) -> SyntaxProblem:
    detail = exc.msg or str(exc)
    # Oxigraph says "Parser error between line 3 column 9 and line 4 column 1: <reason>";
    # the position goes in front of our message, so keep only the reason.
    if ": " in detail and detail.startswith("Parser error"):
        detail = detail.split(": ", 1)[1]
    return SyntaxProblem(
        Position(path, exc.lineno, exc.offset),
        f"Turtle syntax error: {detail}.",
        "Fix the Turtle at that position (a missing '.', ';' or quote is the usual cause).",
    )


def parse_turtle(path: Path) -> list[ox.Triple]:
    """All triples of a Turtle file, or a :class:`SyntaxProblem` naming file, line and column."""
    data = read_checked(path)
    try:
        return [quad.triple for quad in ox.parse(input=data, format=ox.RdfFormat.TURTLE)]
    except SyntaxError as exc:
        raise _syntax_problem(path, exc) from None


def load_files(store: ox.Store, files: Iterable[tuple[Path, str]]) -> None:
    """Load each ``(path, kind)`` into its own named graph (see :func:`file_graph`)."""
    for path, kind in files:
        data = read_checked(path)
        try:
            store.load(input=data, format=ox.RdfFormat.TURTLE, to_graph=file_graph(path, kind))
        except SyntaxError as exc:
            raise _syntax_problem(path, exc) from None


def store_triples(store: ox.Store, graphs: Iterable[ox.NamedNode] | None = None) -> list[OxTriple]:
    """The triples of ``graphs`` (every named graph if None), duplicates across graphs removed."""
    seen: set[OxTriple] = set()
    targets = list(graphs) if graphs is not None else list(store.named_graphs())
    for graph in targets:
        for quad in store.quads_for_pattern(None, None, None, graph):
            seen.add((quad.subject, quad.predicate, quad.object))  # type: ignore[arg-type]
    return list(seen)
