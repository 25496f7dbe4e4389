"""Checking that a quote appears verbatim in its source at its locator.

The sources are plain-text extractions of PDFs: lines break mid-sentence, words are hyphenated
across lines, and typographic quotes sit beside straight ones. A quote matches when the words of
the quote appear, in order, in the given line range, where

* any run of white space (including line breaks) equals any other run;
* a hyphen at the end of a line may be kept or dropped (``co-\\nordination`` matches both
  ``co-ordination`` and ``coordination``);
* typographic quotes and apostrophes equal their straight forms.

Nothing else is forgiven.

>>> lines = ["services become one", "organisation to en-", "hance service delivery."]
>>> quote_in_lines("one organisation to enhance service", lines)
True
>>> quote_in_lines("one organization", lines)
False
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2011": "-",
    }
)
_SPACE = re.compile(r"\s+")
#: A hyphen that ends a line, with the line break and indentation after it.
_BREAK_HYPHEN = re.compile(r"-\s*\n\s*")


def normalise(text: str) -> str:
    """Fold typographic quotes and collapse white space (the forgiving parts of a match)."""
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()


def word_count(text: str) -> int:
    """Number of words in a quote, as a reader would count them."""
    return len(normalise(text).split(" ")) if text.strip() else 0


def _variants(block: str) -> list[str]:
    """The block with line-break hyphens kept and with them dropped."""
    text = block.translate(_TRANSLATE)
    kept = normalise(_BREAK_HYPHEN.sub("-", text))
    joined = normalise(_BREAK_HYPHEN.sub("", text))
    return [kept, joined]


def quote_in_lines(quote: str, lines: Sequence[str]) -> bool:
    """True if ``quote`` appears in the text made of ``lines`` (see the module docstring)."""
    wanted = normalise(quote)
    if not wanted:
        return False
    block = "\n".join(lines)
    if _plainly_in(wanted, block):
        return True
    # A quote may keep one line-break hyphen and drop another: fall back to a pattern in which
    # every hyphen of the quote may be followed by a line break, and any two letters may be
    # separated by a dropped line-break hyphen.
    pattern = _quote_pattern(wanted)
    return pattern.search(block.translate(_TRANSLATE)) is not None


def _plainly_in(wanted: str, block: str) -> bool:
    """The cheap part of a match: ``wanted`` (normalised) in a variant of the block, no pattern."""
    return any(wanted in variant for variant in _variants(block))


@lru_cache(maxsize=4096)
def _quote_pattern(wanted: str) -> re.Pattern[str]:
    parts: list[str] = []
    for char in wanted:
        if char == " ":
            parts.append(r"\s+")
        elif char == "-":
            parts.append(r"-\s*")
        else:
            parts.append(re.escape(char) + r"(?:-\s*\n\s*)?")
    return re.compile("".join(parts))


@dataclass(frozen=True)
class SourceText:
    """A source file split into lines, addressed 1-based as locators are."""

    path: Path
    lines: tuple[str, ...]

    @classmethod
    def read(cls, path: Path) -> SourceText:
        return cls(path, tuple(path.read_text(encoding="utf-8").splitlines()))

    def __len__(self) -> int:
        return len(self.lines)

    def span(self, first: int, last: int) -> list[str]:
        """Lines ``first`` to ``last`` inclusive (1-based)."""
        return list(self.lines[first - 1 : last])

    def contains(self, quote: str, first: int, last: int) -> bool:
        """True if ``quote`` appears within lines ``first``..``last``."""
        if first < 1 or last < first or last > len(self.lines):
            return False
        return quote_in_lines(quote, self.span(first, last))

    def narrowest(self, quote: str, first: int, last: int) -> tuple[int, int]:
        """The smallest range within ``first``..``last`` that still holds ``quote`` (which it must).

        Each smaller range tried is one that fails to match, and a failed match runs the slow
        pattern. So where the whole range holds the quote without the pattern, the smaller ranges
        are tried without it too: a range around that match holds it the same way.
        """
        wanted = normalise(quote)

        def plain(a: int, b: int) -> bool:
            return _plainly_in(wanted, "\n".join(self.span(a, b)))

        def full(a: int, b: int) -> bool:
            return self.contains(quote, a, b)

        held = plain if plain(first, last) else full
        while first < last and held(first + 1, last):
            first += 1
        while last > first and held(first, last - 1):
            last -= 1
        return first, last

    def locate(self, quote: str, max_lines: int = 12) -> list[tuple[int, int]]:
        """Every smallest (first, last) line range that holds ``quote``.

        Used to suggest the right locator when a quote is not where its locator says.
        """
        wanted = normalise(quote)
        if not wanted:
            return []
        head = wanted.split(" ")[0].strip(",.;:()\"'").lower()[:6]
        hits: list[tuple[int, int]] = []
        for first in range(1, len(self.lines) + 1):
            if head and head not in self.lines[first - 1].translate(_TRANSLATE).lower():
                continue
            for last in range(first, min(first + max_lines, len(self.lines)) + 1):
                if quote_in_lines(wanted, self.span(first, last)):
                    if not self.contains(wanted, first + 1, last):
                        hits.append((first, last))
                    break
        return hits
