"""The ``iakg`` command line: thin wrappers over the library, one exit-code contract.

Every subcommand parses its options, calls one library function, prints the outcome and maps it
to an exit code (see :mod:`iakg.errors`). Errors a user can fix are printed as one message with
what to do, never as a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from importlib.metadata import version
from pathlib import Path
from typing import Any, TypeVar

import click

from .errors import EXIT_CHECK_FAILED, EXIT_CODES_HELP, EXIT_OK, IakgError

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


def _project(path: Path | None) -> Any:
    from .project import Project

    return Project.at(path)


project_option = click.option(
    "--project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The project folder (holds ontology/ and data/). Default: found from the current folder.",
)


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

    proj = _project(project)
    with progress() as step:
        built = run_build(proj, reasoner=reasoner, use_cache=not no_cache, progress=step)
    cached = " (cached)" if built.cached else ""
    timing = ", ".join(f"{k} {v:.2f} s" for k, v in built.seconds.items())
    click.echo(
        f"Built {built.files} files{cached}: {built.asserted} asserted triples, "
        f"{built.inferred} inferred ({built.reasoner} reasoner; {timing})."
    )
    if not no_validate:
        code = _run_validation(proj, built.open(), "text", engine="fast", quiet_ok=True)
        if code:
            sys.exit(code)


# ---------------------------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------------------------


def _run_validation(
    proj: Any, store: Any, fmt: str, engine: str, quiet_ok: bool = False, keep: set[str] | None = None
) -> int:
    import time

    from .report import describe, render_json, render_text, render_turtle
    from .validate import validate_store

    start = time.perf_counter()
    outcome = validate_store(store, proj, engine=engine)
    if keep is not None:
        outcome.problems = [p for p in outcome.problems if p.focus in keep]
    elapsed = time.perf_counter() - start
    if fmt == "turtle":
        click.echo(render_turtle(outcome), nl=False)
    elif fmt == "json":
        click.echo(render_json(describe(store, outcome), outcome), nl=False)
    else:
        lines = describe(store, outcome)
        if lines or not quiet_ok:
            click.echo(render_text(lines, outcome), nl=False)
        else:
            click.echo(
                f"Valid: no problems; {outcome.quotes_checked} quotes checked against the sources ({elapsed:.2f} s)."
            )
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
    from .progress import progress

    proj = _project(project)
    if not files:
        with progress() as step:
            store = run_build(proj, progress=step).open()
        sys.exit(_run_validation(proj, store, fmt, engine))
    extra, keep = _read_entries(proj, files)
    from .pipeline import scratch_store

    with progress() as step:
        store = scratch_store(proj, extra, step)
    sys.exit(_run_validation(proj, store, fmt, engine, keep=keep))


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


@main.command(epilog=EXIT_CODES_HELP)
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
@click.option(
    "--timeout", type=float, default=30.0, show_default=True, metavar="S", help="Seconds to wait for a remote endpoint."
)
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
    from .query import bind, bindings_for, find, library

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
    questions = list(library(proj.queries_dir).values()) if all_ else None
    if questions is None:
        if not name:
            raise QueryError("Give a question NAME or a query FILE, or --list or --all.", "See: iakg query --help")
        questions = [find(proj.queries_dir, name)]
    given = _parse_params(params)
    run = _runner(proj, endpoint, timeout)
    for q in questions:
        text = bind(q.text, bindings_for(q, given if not all_ else {}))
        results = run(text)
        if all_:
            click.echo(f"\n== {q.name}: {q.question}")
        click.echo(results.serialize(fmt), nl=False)


def _runner(proj: Any, endpoint: str | None, timeout: float) -> Callable[[str], Any]:
    if endpoint:
        from .remote import run_remote

        return lambda text: run_remote(endpoint, text, timeout)
    from .pipeline import build as run_build
    from .progress import progress
    from .query import run_local

    with progress() as step:
        store = run_build(proj, progress=step).open()
    return lambda text: run_local(store, text)


# ---------------------------------------------------------------------------------------------
# case
# ---------------------------------------------------------------------------------------------


@main.group(context_settings=CONTEXT, epilog=EXIT_CODES_HELP)
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

    proj = _project(project)
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

    text = export_case(_project(project), code)
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
    for ident, label in vocabulary(_project(project), name):
        click.echo(f"{ident:<45} {label}")


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


@main.command(epilog=EXIT_CODES_HELP)
@project_option
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["turtle", "ntriples", "jsonld", "rdfxml", "trig"]),
    help="Dump formats (repeatable). Default: all five.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder. Default: dist/ in the project.",
)
@click.option(
    "--inferred",
    is_flag=True,
    help="Include the inferred triples in the single-graph dumps (TriG always has them, in their own graph).",
)
@click.option(
    "--html",
    "html_site",
    is_flag=True,
    help="Also write the pages for people (DIR/site): one per case study, and the ontology documentation.",
)
@click.option(
    "--pages-only",
    is_flag=True,
    help="Write only the pages, straight into --out (as the docs/ folder of the repository is made).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The publisher's configuration. Default: publish.toml in the project.",
)
@click.option(
    "--draft", is_flag=True, help="Write the DCAT-AP record even while publish.toml still holds placeholders."
)
@click.option(
    "--check-dcat-ap",
    "check_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Validate the record with the official DCAT-AP shapes in this folder (holding dcat-ap-3.0.1/).",
)
@handled
def export(
    project: Path | None,
    formats: tuple[str, ...],
    out: Path | None,
    inferred: bool,
    html_site: bool,
    pages_only: bool,
    config_file: Path | None,
    draft: bool,
    check_dir: Path | None,
) -> None:
    """Write standard RDF dumps, a DCAT-AP 3.0.1 record and a VoID description, and pages.

    Dumps are deterministic (same inputs, same bytes) and re-import to the same graph. TriG keeps
    the ontology, the data and the inferred triples in three named graphs. The DCAT-AP record
    (dcat.ttl) lists one distribution per dump with its media type, size and SHA-256 checksum;
    void.ttl holds statistics counted on the graph. What only the publisher knows comes from
    publish.toml.
    """
    from .dcat import Distribution, check_record, dataset_record, load_dcat_ap_shapes, to_turtle
    from .errors import CheckFailed, InputError
    from .export import FORMATS
    from .export import export as write_dumps
    from .pipeline import INFERRED_GRAPH, write_atomic
    from .pipeline import build as run_build
    from .progress import progress
    from .publish_config import config_path, load_config, placeholders
    from .void import compute_statistics, void_description

    proj = _project(project)
    if pages_only:
        from .html import write_site

        target = out or proj.root / "docs"
        with progress() as step:
            pages = write_site(run_build(proj, progress=step).open(), target)
        click.echo(f"Wrote {len(pages)} pages to {target}; open {target / 'index.html'}.")
        return
    config = load_config(config_file or config_path(proj))
    unfilled = placeholders(config)
    if unfilled and not draft:
        raise InputError(
            f"{config.path}: {', '.join(unfilled)} still hold placeholder values (example.org).",
            "Fill them in with the publisher's details, or pass --draft for a trial export.",
        )
    target = out or proj.root / "dist"
    with progress() as step:
        store = run_build(proj, progress=step).open()
        step("Writing dumps")
        dumps = write_dumps(store, target, formats or tuple(FORMATS), include_inferred=inferred, base=config.base_iri)
        step("Writing the DCAT-AP record and the VoID description")
        distributions = [Distribution.of_file(d.path, name=d.path.relative_to(target).as_posix()) for d in dumps]
        graphs = None if inferred else [g for g in store.named_graphs() if g != INFERRED_GRAPH]
        statistics = compute_statistics(store, graphs)  # type: ignore[arg-type]
        record = dataset_record(config, distributions, statistics)
        write_atomic(target / "dcat.ttl", to_turtle(record).encode("utf-8"))
        void = void_description(store, config, distributions=distributions, statistics=statistics, graphs=graphs)  # type: ignore[arg-type]
        write_atomic(target / "void.ttl", to_turtle(void).encode("utf-8"))
        written = [d.path for d in dumps] + [target / "dcat.ttl", target / "void.ttl"]
        if html_site:
            from .html import write_site

            step("Writing the pages")
            pages = write_site(store, target / "site", base_iri=config.base_iri)
            written.append(target / "site" / "index.html")
            click.echo(f"Wrote {len(pages)} pages; open {target / 'site' / 'index.html'}.")
    for path in written:
        click.echo(f"  {path}")
    click.echo(
        f"Exported {len(dumps)} dumps, dcat.ttl and void.ttl to {target}"
        + (" (draft: placeholders remain)" if unfilled else "")
        + "."
    )
    if check_dir is not None:
        results = check_record(record, load_dcat_ap_shapes(check_dir / "dcat-ap-3.0.1"))
        violations = [r for r in results if "Violation" in r[0]]
        for result in results:
            click.echo("  " + " | ".join(result))
        if violations:
            raise CheckFailed(
                f"The DCAT-AP record has {len(violations)} violation(s) of the official shapes.",
                "Correct publish.toml as listed.",
            )
        click.echo(f"The DCAT-AP record conforms to the official shapes ({len(results)} warnings).")


# ---------------------------------------------------------------------------------------------
# publish and serve
# ---------------------------------------------------------------------------------------------


@main.command(epilog=EXIT_CODES_HELP)
@project_option
@click.option(
    "--endpoint", required=True, metavar="URL", help="The Graph Store endpoint (Oxigraph: http://HOST:PORT/store)."
)
@click.option(
    "--graph",
    default=None,
    metavar="IRI",
    help="The named graph to replace. Default: https://w3id.org/iakg/graph/published.",
)
@click.option(
    "--query-endpoint",
    default=None,
    metavar="URL",
    help="The SPARQL query service used to check the upload. Default: beside --endpoint.",
)
@click.option("--no-inferred", is_flag=True, help="Upload only the asserted triples.")
@click.option(
    "--timeout", type=float, default=300.0, show_default=True, metavar="S", help="Seconds to wait for the upload."
)
@handled
def publish(
    project: Path | None,
    endpoint: str,
    graph: str | None,
    query_endpoint: str | None,
    no_inferred: bool,
    timeout: float,
) -> None:
    """Upload the graph to a SPARQL endpoint, replacing a named graph, and check it there.

    Uses the SPARQL 1.1 Graph Store HTTP Protocol (one atomic PUT: if it fails, the server keeps
    the previous graph). Credentials are read from the environment variables
    IAKG_ENDPOINT_USER and IAKG_ENDPOINT_PASSWORD, never from the command line.
    """
    from .pipeline import build as run_build
    from .progress import progress
    from .publish import DEFAULT_GRAPH
    from .publish import publish as run_publish

    proj = _project(project)
    with progress() as step:
        store = run_build(proj, progress=step).open()
        step(f"Uploading to {endpoint}")
        done = run_publish(
            store,
            endpoint,
            graph=graph or DEFAULT_GRAPH,
            query_endpoint=query_endpoint,
            include_inferred=not no_inferred,
            timeout=timeout,
        )
    click.echo(
        f"Published {done.sent} triples ({done.bytes_sent} bytes) to <{done.graph}> at {endpoint}; "
        f"the server holds {done.on_server}."
    )


@main.command(epilog=EXIT_CODES_HELP)
@project_option
@click.option("--port", type=int, default=7878, show_default=True, help="The port on 127.0.0.1.")
@click.option(
    "--timeout", type=float, default=30.0, show_default=True, metavar="S", help="Stop queries that run longer."
)
@handled
def serve(project: Path | None, port: int, timeout: float) -> None:
    """Serve the built graph read-only on 127.0.0.1: SPARQL at /query, IRIs at /id/... .

    SPARQL queries (GET or POST, SPARQL 1.1 Protocol) are answered by the Oxigraph server and
    stopped after --timeout seconds; updates are refused. The project's IRIs dereference with
    content negotiation: Turtle, JSON-LD or HTML (for example /id/case/CS1). Stop with Ctrl-C.
    """
    from .pipeline import build as run_build
    from .progress import progress
    from .serve import Server

    proj = _project(project)
    with progress() as step:
        built = run_build(proj, progress=step)
    server = Server(built.disk_store(), port, timeout)
    click.echo(
        f"Serving {built.asserted + built.inferred} triples at {server.url}/query (read-only); "
        f"try {server.url}/id/case/CS1. Ctrl-C stops."
    )
    try:
        server.serve_forever()
    finally:
        server.stop()


def run() -> None:  # pragma: no cover - console entry point alias
    main()


__all__ = ["main"]
