"""``iakg case``: adding, checking and editing case entries (YAML) from the command line."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import CONTEXT, handled, project_of, project_option
from .errors import EXIT_CODES_HELP

# ---------------------------------------------------------------------------------------------
# case
# ---------------------------------------------------------------------------------------------


@click.group(context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
def case() -> None:
    """Add, check and edit case entries without writing RDF (YAML entries)."""


@case.command("new", epilog=EXIT_CODES_HELP)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of standard output."
)
@handled
def case_new(out: Path | None) -> None:
    """Write a commented case template (YAML)."""
    from .authoring import template_text
    from .errors import InputError
    from .pipeline import write_atomic

    text = template_text()
    if out is None:
        click.echo(text, nl=False)
        return
    if out.exists():
        raise InputError(f"{out} already exists.", "Choose another file name, or delete the file first.")
    write_atomic(out, text.encode("utf-8"))
    click.echo(f"Wrote the template to {out}. Fill it in, then: iakg case import {out} --dry-run")


@case.command("import", epilog=EXIT_CODES_HELP)
@project_option
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check only; write nothing.")
@click.option("--replace", is_flag=True, help="Overwrite the case's existing data file.")
@handled
def case_import(project: Path | None, file: Path, dry_run: bool, replace: bool) -> None:
    """Check a filled-in case entry and write it to data/<code>.ttl.

    The entry is checked first (structure, shapes, rule queries, quotes against the source, in the
    context of the existing data); if it has any violation, the problems are listed and nothing
    is written.
    """
    from .authoring import import_case
    from .errors import CheckFailed
    from .progress import progress
    from .report import render_text

    proj = project_of(project)
    try:
        with progress() as step:
            checked = import_case(proj, file, dry_run=dry_run, replace=replace, progress=step)
    except CheckFailed as error:
        failed = getattr(error, "checked", None)
        if failed is not None:
            click.echo(render_text(failed.lines, failed.outcome), nl=False, err=True)
        raise
    if checked.lines:
        click.echo(render_text(checked.lines, checked.outcome), nl=False)
    action = "Checked" if dry_run else "Imported"
    where = "" if dry_run else f" into {checked.target}"
    click.echo(f"{action} case {checked.code}{where}: {len(checked.graph)} triples, no violations.")


@case.command("export", epilog=EXIT_CODES_HELP)
@project_option
@click.argument("code")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of standard output."
)
@handled
def case_export(project: Path | None, code: str, out: Path | None) -> None:
    """Write an existing case (for example CS1) as a YAML entry."""
    from .authoring import export_case
    from .pipeline import write_atomic

    text = export_case(project_of(project), code)
    if out is None:
        click.echo(text, nl=False)
    else:
        write_atomic(out, text.encode("utf-8"))
        click.echo(f"Wrote case {code} to {out}.")


@case.command("vocab", epilog=EXIT_CODES_HELP)
@project_option
@click.argument("name", required=False)
@handled
def case_vocab(project: Path | None, name: str | None) -> None:
    """List the values allowed in a case entry (NAME: sectors, barriers, levels, ...).

    Without NAME, lists the names of the lists.
    """
    from .authoring import VOCAB_CHOICES, vocabulary

    if name is None:
        click.echo("Lists: " + ", ".join(VOCAB_CHOICES))
        click.echo("Show one with: iakg case vocab NAME")
        return
    from .progress import progress

    with progress() as step:
        listed = vocabulary(project_of(project), name, step)
    for ident, label in listed:
        click.echo(f"{ident:<45} {label}")
