"""Publishing to a real Oxigraph server with the Graph Store protocol, and serving the graph."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from iakg.cli import main
from iakg.errors import EndpointError
from iakg.pipeline import Built
from iakg.publish import count_triples, graph_payload, publish, upload
from iakg.serve import Server, negotiate

from .servers import failing_server, oxigraph_server

pytestmark = pytest.mark.server


@pytest.fixture
def server() -> Iterator[str]:
    with oxigraph_server() as url:
        yield url


def test_publish_replaces_the_graph_and_checks_the_count(store: ox.Store, server: str) -> None:
    graph = "https://example.org/graph/iakg"
    first = publish(store, f"{server}/store", graph=graph)
    _, sent = graph_payload(store)
    assert first.sent == sent == first.on_server == count_triples(f"{server}/query", graph)
    # Publishing again replaces rather than adds.
    again = publish(store, f"{server}/store", graph=graph)
    assert again.on_server == sent
    asserted_only = publish(store, f"{server}/store", graph=graph, include_inferred=False)
    assert asserted_only.on_server < sent


def test_failed_upload_leaves_the_previous_graph_intact(store: ox.Store, server: str) -> None:
    graph = "https://example.org/graph/iakg"
    publish(store, f"{server}/store", graph=graph)
    before = count_triples(f"{server}/query", graph)
    payload, _ = graph_payload(store)
    broken = payload + b'<https://example.org/s> <https://example.org/p> "unterminated .\n'
    with pytest.raises(EndpointError, match="400"):
        upload(f"{server}/store", graph, broken)
    assert count_triples(f"{server}/query", graph) == before


def test_cli_publish_reports_and_reads_credentials_from_the_environment(server: str) -> None:
    env = {"IAKG_ENDPOINT_USER": "alice", "IAKG_ENDPOINT_PASSWORD": "s3cret-value"}
    result = CliRunner(env=env).invoke(main, ["publish", "--endpoint", f"{server}/store"])
    assert result.exit_code == 0, result.output
    assert "the server holds" in result.output
    assert "s3cret-value" not in result.output


def test_publish_to_unreachable_or_failing_endpoint_exits_3() -> None:
    result = CliRunner().invoke(main, ["publish", "--endpoint", "http://127.0.0.1:9/store"])
    assert result.exit_code == 3
    assert "Cannot reach" in result.output
    with failing_server(500) as url:
        result = CliRunner().invoke(main, ["publish", "--endpoint", f"{url}/store"])
    assert result.exit_code == 3
    assert "500" in result.output


# ---------------------------------------------------------------------------------------------
# iakg serve
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(built: Built) -> Iterator[Server]:
    server = Server(built.disk_store(), 0, timeout=5).start()
    yield server
    server.stop()


def _get(url: str, accept: str = "") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def test_served_sparql_answers_like_the_embedded_store(served: Server, store: ox.Store) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/iakg/ontology#CaseStudy> }"
    status, media, body = _get(
        f"{served.url}/query?{urllib.parse.urlencode({'query': query})}", "application/sparql-results+json"
    )
    assert status == 200 and "json" in media
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "8"


def test_served_endpoint_refuses_updates(served: Server) -> None:
    data = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    for path in ("/query", "/update"):
        request = urllib.request.Request(
            served.url + path, data=data, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=10)
        assert error.value.code == 403
    status, _, _ = _get(f"{served.url}/query?{urllib.parse.urlencode({'query': 'ASK {?s ?p ?o}'})}")
    assert status == 200  # still serving, nothing was dropped


@pytest.mark.parametrize(
    ("accept", "media"),
    [("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"), ("text/html", "text/html")],
)
def test_iris_dereference_with_content_negotiation(served: Server, accept: str, media: str) -> None:
    status, got, body = _get(f"{served.url}/id/case/CS1", accept)
    assert status == 200 and got.startswith(media)
    if media == "text/turtle":
        graph = {str(t.predicate) for t in ox.parse(input=body, format=ox.RdfFormat.TURTLE)}
        assert "<https://w3id.org/iakg/ontology#caseCode>" in graph
    elif media == "text/html":
        assert b"De Sloep" in body
    else:
        triples = list(ox.parse(input=body, format=ox.RdfFormat.JSON_LD))
        assert any(t.object == ox.Literal("CS1") for t in triples)


def test_ontology_terms_and_concepts_dereference(served: Server) -> None:
    assert _get(f"{served.url}/ontology", "text/turtle")[0] == 200
    assert _get(f"{served.url}/id/level/frost-2005/co-ordination", "text/html")[0] == 200
    assert _get(f"{served.url}/id/case/CS99")[0] == 404


def test_long_queries_are_stopped(served: Server) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"
    status, _, _ = _get(f"{served.url}/query?{urllib.parse.urlencode({'query': slow})}")
    assert status >= 500  # the server's 5-second timeout stopped it


def test_content_negotiation_rules() -> None:
    assert negotiate("text/turtle;q=0.9, text/html;q=0.5", None) == "text/turtle"
    assert negotiate("", None) == "text/html"
    assert negotiate("text/html", "ttl") == "text/turtle"


def test_cli_serve_help_names_the_contract() -> None:
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "Exit codes" in result.output
    _ = Path, os
