"""``iakg query``: the question library, from the command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .cli_common import handled, project_option, timeout_option
from .errors import EXIT_CODES_HELP

# ---------------------------------------------------------------------------------------------
# query
# ---------------------------------------------------------------------------------------------


def _parse_params(params: tuple[str, ...]) -> dict[str, str]:
    from .errors import QueryError

    parsed: dict[str, str] = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(
                f"Cannot read --param {item!r}.",
                "Write it as --param NAME=VALUE, for example --param barrier=funding-uncertainty.",
            )
        parsed[name.strip()] = value
    return parsed


@click.command(epilog=EXIT_CODES_HELP)
@project_option
@click.argument("name", required=False)
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="Bind a parameter of the question (repeatable)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml"]),
    default="table",
    show_default=True,
    help="table: readable in a terminal; csv, tsv, json, xml: the W3C SPARQL results formats.",
)
@click.option("--endpoint", metavar="URL", help="Ask a SPARQL 1.1 endpoint instead of the embedded store.")
@timeout_option(30.0, "Seconds to wait for a remote endpoint.")
@click.option("--list", "list_", is_flag=True, help="List the questions of the library, with their parameters.")
@click.option("--all", "all_", is_flag=True, help="Answer every question of the library.")
@handled
def query(
    project: Path | None,
    name: str | None,
    params: tuple[str, ...],
    fmt: str,
    endpoint: str | None,
    timeout: float,
    list_: bool,
    all_: bool,
) -> None:
    """Answer a question of the library (by NAME) or run a SPARQL query FILE.

    \b
    Examples:
      iakg query --list
      iakg query colocated-data-sharing-barriers
      iakg query cases-reporting-barrier --param barrier=funding-uncertainty --format csv
      iakg query my-question.rq --endpoint http://127.0.0.1:7878/query
    """
    from .errors import QueryError
    from .project import Project
    from .query import find, library, prepared

    proj = Project.at(project)
    if list_:
        for q in library(proj.queries_dir).values():
            click.echo(f"{q.name}\n    {q.question}")
            for p in q.parameters:
                click.echo(
                    f"    --param {p.name}=VALUE   default {p.default}"
                    + (f": {p.description}" if p.description else "")
                )
        return
    if all_ and params:
        raise QueryError(
            "--param cannot be given with --all: each question is answered with its own defaults.",
            "Ask the one question with its parameters: iakg query NAME --param NAME=VALUE.",
        )
    questions = list(library(proj.queries_dir).values()) if all_ else None
    if questions is None:
        if not name:
            raise QueryError("Give a question NAME or a query FILE, or --list or --all.", "See: iakg query --help")
        questions = [find(proj.queries_dir, name)]
    given = _parse_params(params)
    run = _runner(proj, endpoint, timeout, on_disk=not all_)
    for q in questions:
        results = run(prepared(q, given if not all_ else {}, run))
        if all_:
            click.echo(f"\n== {q.name}: {q.question}")
        click.echo(results.serialize(fmt), nl=False)


def _runner(proj: Any, endpoint: str | None, timeout: float, *, on_disk: bool) -> Callable[[str], Any]:
    """How questions are answered: by the endpoint, or by the embedded store of the build.

    One question in a new process reads the build's on-disk store, which opens in milliseconds;
    ``--all`` loads the graph in memory once, where the many questions answer faster. In the
    benchmark at 10,000 cases, loading in memory took 5.3 s before any question; on disk, the
    median question took 0.42 s end to end and the slowest 3.8 s (see benchmarks/README.md).
    """
    if endpoint:
        from .remote import run_remote

        return lambda text: run_remote(endpoint, text, timeout)
    from .pipeline import build as run_build
    from .progress import progress
    from .query import run_local

    with progress() as step:
        built = run_build(proj, progress=step)
        store = built.open_on_disk(step) if on_disk else built.open(step)
    return lambda text: run_local(store, text)
