"""What every ``iakg`` command shares: error handling, the --project option, help settings."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import IakgError

F = TypeVar("F", bound=Callable[..., Any])

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(error: IakgError) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(error.exit_code)


def handled(func: F) -> F:
    """Run a command, turning :class:`IakgError` into a message and its exit code."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IakgError as error:
            _fail(error)
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def project_of(path: Path | None) -> Any:
    """The :class:`iakg.project.Project` of ``--project`` (or found from the current folder)."""
    from .project import Project

    return Project.at(path)


def timeout_option(default: float, help: str) -> Callable[[Any], Any]:
    """``--timeout S``: whole seconds from 1 up (SPARQLWrapper and the server round to seconds)."""
    return click.option(
        "--timeout", type=click.FloatRange(min=1.0), default=default, show_default=True, metavar="S", help=help
    )


project_option = click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder (holds ontology/ and data/). Default: found from the current folder.",
)
