"""Stage: publish the built graph to a SPARQL endpoint with the Graph Store HTTP Protocol.

``iakg publish --endpoint URL`` sends the graph (asserted and inferred triples, so that remote
answers equal local ones) as N-Triples in one ``PUT URL?graph=IRI`` request, which replaces the
named graph atomically on the server: if the upload fails, the server keeps the previous graph.
It then counts the triples of that graph through the SPARQL query service and compares.

Credentials come from ``IAKG_ENDPOINT_USER`` and ``IAKG_ENDPOINT_PASSWORD`` (HTTP basic
authentication), never from the command line, and are never printed or logged.

Specification: https://www.w3.org/TR/sparql11-http-rdf-update/ (section 5.3, HTTP PUT).
"""

from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import EndpointError, InputError
from .iris import GRAPH
from .pipeline import INFERRED_GRAPH
from .remote import check_endpoint, credentials, run_remote

DEFAULT_GRAPH = GRAPH + "published"


@dataclass(frozen=True)
class Published:
    """What was uploaded and what the server holds afterwards."""

    graph: str
    sent: int
    on_server: int
    bytes_sent: int


def graph_payload(store: ox.Store, include_inferred: bool = True) -> tuple[bytes, int]:
    """The union of the store's graphs as sorted N-Triples (and the number of triples)."""
    lines: set[str] = set()
    for quad in store:
        if not include_inferred and quad.graph_name == INFERRED_GRAPH:
            continue
        lines.add(f"{quad.subject} {quad.predicate} {quad.object} .")
    ordered = sorted(lines)
    return ("\n".join(ordered) + "\n").encode("utf-8"), len(ordered)


def query_endpoint_for(store_endpoint: str) -> str:
    """The SPARQL query service beside a Graph Store endpoint (Oxigraph: /store -> /query)."""
    if store_endpoint.rstrip("/").endswith("/store"):
        return store_endpoint.rstrip("/")[: -len("store")] + "query"
    raise InputError(
        f"Cannot tell the SPARQL query service of {store_endpoint}.",
        "Pass --query-endpoint URL (for Oxigraph: http://HOST:PORT/query).",
    )


def _auth_headers() -> dict[str, str]:
    login = credentials()
    if login is None:
        return {}
    token = base64.b64encode(":".join(login).encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def _request(url: str, *, method: str, data: bytes | None, headers: dict[str, str], timeout: float) -> bytes:
    request = urllib.request.Request(url, data=data, method=method, headers={**headers, **_auth_headers()})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return bytes(response.read())
    except urllib.error.HTTPError as exc:
        body = exc.read().decode("utf-8", "replace").strip().splitlines()
        detail = f": {body[0][:200]}" if body else ""
        hint = {
            401: "Set IAKG_ENDPOINT_USER and IAKG_ENDPOINT_PASSWORD in the environment.",
            403: "The endpoint refuses writes: check the credentials and that the server is not read-only.",
            404: "Check the URL: it must be the Graph Store endpoint (for Oxigraph: http://HOST:PORT/store).",
        }.get(exc.code, "Check the endpoint and try again; the previous graph on the server is unchanged.")
        raise EndpointError(
            f"The endpoint {url.split('?')[0]} answered HTTP {exc.code} {exc.reason}{detail}.", hint
        ) from None
    except (TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(
            f"Cannot reach the endpoint {url.split('?')[0]}: {reason}.",
            "Check that the server is running and the URL is right; nothing was changed on it.",
        ) from None


def count_triples(query_endpoint: str, graph: str, timeout: float = 60.0) -> int:
    """How many triples the named graph holds on the server (asked through :func:`run_remote`)."""
    answer = run_remote(
        query_endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(graph)} {{ ?s ?p ?o }} }}", timeout
    )
    value = answer.rows[0][0] if answer.rows else None
    return int(value.value) if value is not None else 0


def upload(store_endpoint: str, graph: str, payload: bytes, timeout: float = 300.0) -> None:
    """Replace ``graph`` on the server with the N-Triples ``payload`` (one atomic PUT)."""
    try:
        ox.NamedNode(graph)
    except ValueError:
        raise InputError(f"The graph name {graph!r} is not an IRI.", "Give --graph an absolute IRI.") from None
    url = f"{store_endpoint}?{urllib.parse.urlencode({'graph': graph})}"
    _request(url, method="PUT", data=payload, headers={"Content-Type": "application/n-triples"}, timeout=timeout)


def publish(
    store: ox.Store,
    store_endpoint: str,
    *,
    graph: str = DEFAULT_GRAPH,
    query_endpoint: str | None = None,
    include_inferred: bool = True,
    timeout: float = 300.0,
) -> Published:
    """Upload the graph and verify its triple count on the server."""
    # Both addresses are checked before anything is sent, so a bad query address cannot fail after the upload.
    query_url = check_endpoint(query_endpoint or query_endpoint_for(check_endpoint(store_endpoint)))
    payload, sent = graph_payload(store, include_inferred)
    upload(store_endpoint, graph, payload, timeout)
    on_server = count_triples(query_url, graph)
    if on_server != sent:
        raise EndpointError(
            f"The upload to {store_endpoint} reported success, but the graph <{graph}> holds {on_server} "
            f"triples where {sent} were sent.",
            "Check the server's logs; it may have merged or dropped triples.",
        )
    return Published(graph, sent, on_server, len(payload))
