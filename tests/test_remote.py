"""Queries against a real SPARQL endpoint: the Oxigraph server, started on 127.0.0.1.

The built graph is published to it with ``iakg publish`` (the Graph Store protocol), then every
library question must give the same answer remotely as locally; failures map to exit code 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from iakg.cli import main
from iakg.errors import EndpointError, QueryError
from iakg.publish import publish
from iakg.query import bind, bindings_for, library, run_local
from iakg.remote import run_remote
from iakg.serve import free_port

from .servers import failing_server, oxigraph_server

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = library(ROOT / "queries")


@pytest.fixture(scope="module")
def endpoint(store: ox.Store) -> Iterator[str]:
    with oxigraph_server() as url:
        publish(store, f"{url}/store")
        yield f"{url}/query"


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_remote_answer_equals_local(store: ox.Store, endpoint: str, name: str) -> None:
    query = QUESTIONS[name]
    text = bind(query.text, bindings_for(query, {}))
    local = run_local(store, text)
    remote = run_remote(endpoint, text)
    assert remote.variables == local.variables
    assert remote.canonical(query.lists) == local.canonical(query.lists)


def test_cli_query_with_endpoint_and_parameter(endpoint: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "query",
            "cases-reporting-barrier",
            "--param",
            "barrier=agencies-resistant",
            "--endpoint",
            endpoint,
            "--format",
            "csv",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "CS2,cross-case table,Some agencies resistant" in result.output
    typo = CliRunner().invoke(
        main, ["query", "cases-reporting-barrier", "--param", "barrier=agencies-resistent", "--endpoint", endpoint]
    )
    assert typo.exit_code == 2 and "names nothing in the graph" in typo.output, typo.output


def test_refused_connection_exits_3() -> None:
    port = free_port()  # nothing listens there
    result = CliRunner().invoke(main, ["query", "cases-overview", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert result.exit_code == 3
    assert "Cannot reach the endpoint" in result.output


def test_not_found_exits_3(endpoint: str) -> None:
    wrong = endpoint.replace("/query", "/no-such-path")
    result = CliRunner().invoke(main, ["query", "cases-overview", "--endpoint", wrong])
    assert result.exit_code == 3
    assert "404" in result.output


def test_server_error_exits_3() -> None:
    with failing_server(500) as url:
        result = CliRunner().invoke(main, ["query", "cases-overview", "--endpoint", f"{url}/query"])
    assert result.exit_code == 3
    assert "server error" in result.output


def test_client_error_exits_3() -> None:
    with failing_server(403) as url, pytest.raises(EndpointError, match="403"):
        run_remote(f"{url}/query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_timeout_exits_3() -> None:
    with failing_server(200, delay=3.0) as url:
        result = CliRunner().invoke(main, ["query", "cases-overview", "--endpoint", f"{url}/query", "--timeout", "1"])
    assert result.exit_code == 3
    assert "did not answer within 1 s" in result.output


def test_malformed_query_exits_2(endpoint: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }", encoding="utf-8")
    with pytest.raises(QueryError, match="malformed"):
        run_remote(endpoint, bad.read_text())
    result = CliRunner().invoke(main, ["query", str(bad), "--endpoint", endpoint])
    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["query", "cases-overview", "--endpoint", "notaurl"], "is not an http:// or https:// address"),
        (["query", "cases-overview", "--endpoint", "http://[::1"], "is not a valid address"),
        (["query", "cases-overview", "--endpoint", "http://127.0.0.1:99999/query"], "is not a valid address"),
        (["publish", "--endpoint", "notaurl/store"], "is not an http:// or https:// address"),
        (["query", "cases-overview", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "0"], "--timeout"),
        (["serve", "--port", "99999"], "--port"),
    ],
)
def test_bad_endpoint_port_or_timeout_is_a_usage_error(args: list[str], said: str) -> None:
    """Regression: these ended in tracebacks (ValueError, OverflowError) with exit code 1."""
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output
