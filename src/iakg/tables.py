"""Reading the four cross-case tables of the report back from their extracted text.

The PDF extraction kept each table row as one line: the label, then an ``x`` (or ``X``) for every
case with a mark, then the row total. Empty cells collapsed, but not without trace: the cells were
separated by single spaces and an empty cell left its separator behind, so a row is
``label`` + 8 cells + total, each followed by one space, with an empty cell printed as nothing:

    "Regular meetings   x x x X  x 5"  ->  _ _ x x x X _ x  ->  CS3 CS4 CS5 CS6 CS8

(two empty cells before the first mark give three spaces after the label). A label that wraps
puts its last words on the marks line; where a label wraps completely, the marks line starts with
the first mark and the line break stands for the separator.

:func:`read_rows` applies this rule to every row of a table and reports, per row, the marks,
the printed total, and whether the rule yields exactly 8 cells with as many marks as the total.
``data/cross-case-tables.ttl`` records the reconstruction with a confidence per row; the tests
re-derive it from the source with this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

CASES = tuple(f"CS{i}" for i in range(1, 9))

#: Line ranges (1-based, inclusive) of the body of each table in the report.
TABLE_BODIES: dict[int, tuple[int, int]] = {1: (517, 541), 2: (772, 797), 3: (1011, 1030), 4: (1121, 1148)}

_ROW_END = re.compile(r"^(?P<label>.*?)(?P<marks>(?:^| +)[xX](?: +[xX])*)(?P<trail> +)(?P<total>\d) *$")


@dataclass
class Row:
    """One printed table row and its reconstruction."""

    table: int
    number: int
    first_line: int
    last_line: int
    label: str
    text: str
    total: int
    cells: list[str | None]
    marked: list[str] = field(default_factory=list)
    consistent: bool = False
    alternatives: list[list[str]] = field(default_factory=list)


def _cells(marks: str, trail: str, label_tail: str) -> list[str | None]:
    lead = len(marks) - len(marks.lstrip(" "))
    if not label_tail and lead == 0:
        lead = 1  # the line break stands for the separator after the label
    cells: list[str | None] = [None] * (lead - 1)
    for part in re.findall(r"[xX]| +", marks.strip()):
        cells.extend([part] if part.strip() else [None] * (len(part) - 1))
    cells.extend([None] * (len(trail) - 1))
    return cells


def join_label(parts: list[str]) -> str:
    """A wrapped label joined as printed: hyphens at line ends kept, white space collapsed."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        text = part if not text else (text + part if text.endswith("-") else f"{text} {part}")
    return re.sub(r"\s+", " ", text)


def read_rows(lines: list[str], table: int) -> list[Row]:
    """Every row of ``table``, reconstructed by the spacing rule (see the module docstring)."""
    first, last = TABLE_BODIES[table]
    rows: list[Row] = []
    pending: list[tuple[int, str]] = []
    for number in range(first, last + 1):
        line = lines[number - 1]
        if not line.strip():
            continue
        match = _ROW_END.match(line.rstrip("\n"))
        if not match:
            pending.append((number, line))
            continue
        label_tail = match.group("label").strip()
        parts = [text for _, text in pending] + [label_tail]
        start = pending[0][0] if pending else number
        cells = _cells(match.group("marks"), match.group("trail"), label_tail)
        total = int(match.group("total"))
        marked = [CASES[i] for i, c in enumerate(cells[:8]) if c]
        row = Row(
            table=table,
            number=len(rows) + 1,
            first_line=start,
            last_line=number,
            label=join_label(parts),
            text=" ".join(t.strip() for _, t in [*pending, (number, line)] if t.strip()),
            total=total,
            cells=cells,
            marked=marked,
            consistent=len(cells) == 8 and len(marked) == total,
        )
        if not row.consistent:
            row.alternatives = _alternatives(row)
        rows.append(row)
        pending = []
    return rows


def _alternatives(row: Row) -> list[list[str]]:
    """Readings with exactly 8 cells and ``total`` marks, one space added or removed anywhere."""
    gaps = _gap_sizes(row.cells)
    readings: set[tuple[str, ...]] = set()
    for i in range(len(gaps)):
        for delta in (-1, 1):
            sizes = list(gaps)
            sizes[i] += delta
            if sizes[i] < 0:
                continue
            cells = _rebuild(sizes)
            if len(cells) == 8:
                readings.add(tuple(CASES[j] for j, c in enumerate(cells) if c))
    return [list(r) for r in sorted(readings) if len(r) == row.total]


def _gap_sizes(cells: list[str | None]) -> list[int]:
    """Number of empty cells before each mark and after the last one."""
    sizes, run = [], 0
    for cell in cells:
        if cell:
            sizes.append(run)
            run = 0
        else:
            run += 1
    return [*sizes, run]


def _rebuild(sizes: list[int]) -> list[str | None]:
    cells: list[str | None] = []
    for i, size in enumerate(sizes):
        cells.extend([None] * size)
        if i < len(sizes) - 1:
            cells.append("x")
    return cells


def read_tables(source: Path) -> dict[int, list[Row]]:
    """All four tables of the report at ``source``."""
    lines = source.read_text(encoding="utf-8").splitlines()
    return {table: read_rows(lines, table) for table in TABLE_BODIES}


def column_sums(rows: list[Row]) -> dict[str, int]:
    """How many marks each case has in the given rows."""
    return {case: sum(case in row.marked for row in rows) for case in CASES}


__all__ = ["CASES", "TABLE_BODIES", "Row", "column_sums", "read_rows", "read_tables"]
