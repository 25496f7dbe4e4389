"""The ``iakg`` command line: thin wrappers over the library, one exit-code contract.

Every subcommand parses its options, calls one library function, prints the outcome and maps it
to an exit code (see :mod:`iakg.errors`). Errors a user can fix are printed as one message with
what to do, never as a traceback. The commands live in small modules: this one (build, validate),
:mod:`iakg.cli_query`, :mod:`iakg.cli_case` and :mod:`iakg.cli_publish`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_case import case
from .cli_common import CONTEXT, handled, project_of, project_option
from .cli_publish import export, publish, serve
from .cli_query import query
from .errors import EXIT_CHECK_FAILED, EXIT_CODES_HELP, EXIT_OK

if TYPE_CHECKING:  # imported when needed, to keep the command line's start fast
    from .report import Line
    from .validate import Outcome


@click.group(context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
@click.version_option(version("interagency-kg"), "--version", prog_name="iakg")
def main() -> None:
    """The Inter-Agency Working knowledge graph: build, check, query and publish it.

    \b
    Typical use:
      iakg build                       build the graph (load, reason, validate)
      iakg query --list                list the ready-made questions
      iakg query NAME --format csv     answer one
      iakg case new > my-case.yaml     start a new case entry
    """


# ---------------------------------------------------------------------------------------------
# build
# ---------------------------------------------------------------------------------------------


@main.command(epilog=EXIT_CODES_HELP)
@project_option
@click.option(
    "--reasoner",
    type=click.Choice(["fast", "owlrl"]),
    default="fast",
    show_default=True,
    help="fast: the compiled OWL 2 RL rules the ontology needs (proven equal to owlrl on the "
    "data); owlrl: owlrl's full OWL 2 RL closure (slow).",
)
@click.option("--no-validate", is_flag=True, help="Only load and reason; skip the checks.")
@click.option("--no-cache", is_flag=True, help="Build even if a build of the same inputs exists.")
@handled
def build(project: Path | None, reasoner: str, no_validate: bool, no_cache: bool) -> None:
    """Load the ontology and data, compute inferences, validate, and cache the result.

    The build is written to build/ and reused by every later command while the inputs are
    unchanged. Asserted and inferred triples are kept in separate named graphs.
    """
    from .pipeline import build as run_build
    from .progress import progress

    proj = project_of(project)
    with progress() as step:
        built = run_build(proj, reasoner=reasoner, use_cache=not no_cache, progress=step)
        checked = None if no_validate else _check(proj, built.open(step), "text", "fast", step)
    cached = " (cached)" if built.cached else ""
    timing = ", ".join(f"{k} {v:.2f} s" for k, v in built.seconds.items())
    click.echo(
        f"Built {built.files} files{cached}: {built.asserted} asserted triples, "
        f"{built.inferred} inferred ({built.reasoner} reasoner; {timing})."
    )
    if checked is not None:
        code = _report(checked, "text", quiet_ok=True)
        if code:
            sys.exit(code)


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------


@dataclass
class _Checked:
    """A validation outcome, with its report lines (text and json) and how long it took."""

    outcome: Outcome
    lines: list[Line]
    seconds: float


def _check(
    proj: Any, store: Any, fmt: str, engine: str, step: Callable[[str], None], keep: set[str] | None = None
) -> _Checked:
    """Validate ``store`` (shown as a step of the progress display), ready to report."""
    import time

    from .report import describe
    from .validate import validate_store

    step("Validating: shapes, rule queries, quotes against the sources")
    start = time.perf_counter()
    outcome = validate_store(store, proj, engine=engine, focus=keep)
    elapsed = time.perf_counter() - start
    return _Checked(outcome, [] if fmt == "turtle" else describe(store, outcome), elapsed)


def _report(checked: _Checked, fmt: str, quiet_ok: bool = False) -> int:
    """Print a validation outcome in ``fmt``; its exit code."""
    from .report import render_json, render_text, render_turtle

    outcome = checked.outcome
    if fmt == "turtle":
        click.echo(render_turtle(outcome), nl=False)
    elif fmt == "json":
        click.echo(render_json(checked.lines, outcome), nl=False)
    elif checked.lines or not quiet_ok:
        click.echo(render_text(checked.lines, outcome), nl=False)
    else:
        quotes = outcome.quotes_checked
        click.echo(f"Valid: no problems; {quotes} quotes checked against the sources ({checked.seconds:.2f} s).")
        for name in outcome.sources_missing:
            click.echo(f"Note: source file {name} not found, its quotes were not checked.")
    return EXIT_OK if outcome.conforms else EXIT_CHECK_FAILED


@main.command(epilog=EXIT_CODES_HELP)
@project_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="text: one sentence per problem, grouped by case; json: the same as records; "
    "turtle: the SHACL validation report graph.",
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: the shapes compiled to SPARQL on Oxigraph; pyshacl: pySHACL (slow, the reference).",
)
@handled
def validate(project: Path | None, files: tuple[Path, ...], fmt: str, engine: str) -> None:
    """Check case entries against the shapes, the rule queries and the sources.

    FILES are Turtle files (.ttl) or case entries (.yaml): they are checked in the context of the
    ontology and the existing data, so references to existing organisations resolve; a file named
    like an existing data file replaces it for the check. With no FILES, all of data/ is checked.
    """
    from .pipeline import build as run_build
    from .pipeline import scratch_store
    from .progress import progress

    proj = project_of(project)
    extra, keep = _read_entries(proj, files) if files else ([], None)
    with progress() as step:
        store = scratch_store(proj, extra, step) if files else run_build(proj, progress=step).open(step)
        checked = _check(proj, store, fmt, engine, step, keep)
    sys.exit(_report(checked, fmt))


def _read_entries(proj: Any, files: tuple[Path, ...]) -> tuple[list[tuple[str, bytes]], set[str]]:
    from .authoring import case_file, case_turtle
    from .case_import import entry_to_graph, read_entry
    from .errors import InputError
    from .load import parse_turtle

    extra: list[tuple[str, bytes]] = []
    keep: set[str] = set()
    for path in files:
        if path.suffix.lower() in (".yaml", ".yml"):
            code, graph = entry_to_graph(read_entry(path), path)
            extra.append((case_file(proj, code).name, case_turtle(graph, code).encode("utf-8")))
            keep |= {str(s) for s in graph.subjects()}
        elif path.suffix.lower() == ".ttl":
            triples = parse_turtle(path)
            extra.append((path.name, path.read_bytes()))
            keep |= {t[0].value for t in triples}
        else:
            raise InputError(f"{path}: not a .ttl or .yaml file.", "Give Turtle (.ttl) or case entry (.yaml) files.")
    return extra, keep


for command in (query, case, export, publish, serve):
    main.add_command(command)

__all__ = ["main"]
