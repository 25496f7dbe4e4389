"""``iakg export``, ``iakg publish`` and ``iakg serve``: getting the graph out."""

from __future__ import annotations

from pathlib import Path

import click

from .cli_common import handled, project_of, project_option, timeout_option
from .errors import EXIT_CODES_HELP

# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------


@click.command(epilog=EXIT_CODES_HELP)
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
    from .dcat import Distribution, dataset_record, to_turtle
    from .dcat_check import check_record, load_dcat_ap_shapes
    from .errors import CheckFailed, InputError
    from .export import FORMATS, rebased
    from .export import export as write_dumps
    from .pipeline import INFERRED_GRAPH, write_atomic
    from .pipeline import build as run_build
    from .progress import progress
    from .publish_config import config_path, load_config, placeholders
    from .void import compute_statistics, void_description

    proj = project_of(project)
    if pages_only:
        from .html import write_site

        target = out or proj.root / "docs"
        with progress() as step:
            pages = write_site(run_build(proj, progress=step).open(step), target)
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
        store = run_build(proj, progress=step).open(step)
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
            pages = write_site(rebased(store, config.base_iri), target / "site", base_iri=config.base_iri)
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


@click.command(epilog=EXIT_CODES_HELP)
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
@timeout_option(300.0, "Seconds to wait for the upload.")
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

    proj = project_of(project)
    with progress() as step:
        store = run_build(proj, progress=step).open(step)
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


@click.command(epilog=EXIT_CODES_HELP)
@project_option
@click.option("--port", type=click.IntRange(1, 65535), default=7878, show_default=True, help="The port on 127.0.0.1.")
@timeout_option(30.0, "Stop queries that run longer.")
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

    proj = project_of(project)
    with progress() as step:
        built = run_build(proj, progress=step)
        store_dir = built.disk_store(step)
    server = Server(store_dir, port, timeout)
    click.echo(
        f"Serving {built.asserted + built.inferred} triples at {server.url}/query (read-only); "
        f"try {server.url}/id/case/CS1. Ctrl-C stops."
    )
    try:
        server.serve_forever()
    finally:
        server.stop()
