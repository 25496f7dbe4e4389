"""Errors a person can act on, and the exit-code contract.

Exit codes (the same for every ``iakg`` command, and printed by ``iakg --help``):

====  ===========================================================================
0     success
1     the data fails a check: a SHACL violation, a ``queries/checks/*-violation.rq`` rule
      returned rows, or the reasoner found an inconsistency
2     bad input or usage: a file that cannot be read or parsed, an unknown query or
      parameter, a malformed query, an invalid option
3     a remote SPARQL endpoint failed: refused connection, HTTP 4xx or 5xx, timeout
====  ===========================================================================

Every error has one ``__str__`` that says what happened, where, and what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_ENDPOINT = 3

EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 the data fails a check (SHACL violation, a check query returned rows, "
    "or an inconsistency); 2 bad input or usage; 3 a remote endpoint failed."
)


class IakgError(Exception):
    """Base of every error the command line reports without a traceback."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  What to do: {self.hint}"


class InputError(IakgError):
    """A file, option or parameter the user gave cannot be used."""

    exit_code = EXIT_BAD_INPUT


@dataclass
class Position:
    """Where in a file a problem is (1-based line and column)."""

    path: Path
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return where


class SyntaxProblem(InputError):
    """A file that cannot be parsed: names file, line and column."""

    def __init__(self, position: Position, detail: str, hint: str | None = None) -> None:
        super().__init__(
            f"{position}: {detail}",
            hint or "Fix the syntax at that position and run the command again.",
        )
        self.position = position
        self.detail = detail


class CheckFailed(IakgError):
    """The data fails a check (validation, rule query, inconsistency)."""

    exit_code = EXIT_CHECK_FAILED


class InconsistencyError(CheckFailed):
    """The reasoner found that the data contradicts the ontology."""

    def __init__(self, messages: list[str]) -> None:
        listed = "\n".join(f"  - {m}" for m in messages)
        super().__init__(
            f"The reasoner found {len(messages)} inconsistenc{'y' if len(messages) == 1 else 'ies'} "
            f"between the data and the ontology:\n{listed}",
            "A node is typed with two classes the ontology declares disjoint. Correct the type "
            "of the node named in the message in its data file.",
        )
        self.messages = messages


class EndpointError(IakgError):
    """A remote SPARQL endpoint failed."""

    exit_code = EXIT_ENDPOINT


class QueryError(InputError):
    """A query that cannot be run: unknown name, malformed text, bad parameter."""
