"""Running queries against any SPARQL 1.1 endpoint, through SPARQLWrapper.

Failures become :class:`EndpointError` (exit code 3) with a sentence per cause: the endpoint
cannot be reached, it timed out, it answered 4xx or 5xx. A query the endpoint rejects as
malformed (HTTP 400) is a :class:`QueryError` (exit code 2), as it is locally.
"""

from __future__ import annotations

import os
import socket
import urllib.error
import urllib.parse

import pyoxigraph as ox

from .errors import EndpointError, InputError, QueryError
from .results import Results

USER_AGENT = "iakg (interagency-kg) SPARQLWrapper"


def credentials() -> tuple[str, str] | None:
    """HTTP basic credentials from ``IAKG_ENDPOINT_USER`` and ``IAKG_ENDPOINT_PASSWORD`` (both, or none).

    Read from the environment only, never from the command line, and never logged.
    """
    user, password = os.environ.get("IAKG_ENDPOINT_USER"), os.environ.get("IAKG_ENDPOINT_PASSWORD")
    return (user, password) if user and password else None


def _timed_out(endpoint: str, timeout: float) -> EndpointError:
    """The one message for an endpoint that does not answer in time, however the socket reports it."""
    return EndpointError(
        f"The endpoint {endpoint} did not answer within {timeout:g} s.",
        "Try again, raise --timeout, or simplify the query.",
    )


def check_endpoint(url: str) -> str:
    """``url`` if it is an http(s) address; else :class:`InputError` (exit 2) saying what to give."""
    hint = "Give a full http:// or https:// address, such as http://127.0.0.1:7878/query."
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError as exc:
        raise InputError(f"The endpoint {url!r} is not a valid address: {exc}.", hint) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"The endpoint {url!r} is not an http:// or https:// address.", hint)
    return url


def run_remote(endpoint: str, text: str, timeout: float = 30.0) -> Results:
    """Run a SELECT or ASK query on ``endpoint`` and parse the SPARQL JSON results."""
    from SPARQLWrapper import JSON, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import (
        EndPointInternalError,
        EndPointNotFound,
        QueryBadFormed,
        SPARQLWrapperException,
        Unauthorized,
        URITooLong,
    )

    client = SPARQLWrapper(check_endpoint(endpoint), agent=USER_AGENT)
    # SPARQLWrapper guesses the query form from keywords anywhere in the text, comments
    # included (a header comment mentioning "added" made it send an update); send the query
    # without its full-line comments, which changes nothing for the endpoint.
    client.setQuery("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#")))
    client.setMethod(POST)
    client.setReturnFormat(JSON)
    client.setTimeout(int(max(1, timeout)))
    if login := credentials():
        client.setCredentials(*login)
    try:
        response = client.query().response
        body = response.read()
    except QueryBadFormed as exc:
        raise QueryError(
            f"The endpoint {endpoint} rejected the query as malformed: {_detail(exc)}",
            "Correct the query; check it locally first with: iakg query FILE",
        ) from None
    except EndPointNotFound:
        raise EndpointError(
            f"The endpoint {endpoint} answered 404 Not Found.",
            "Check the URL: it must be the SPARQL query service (for Oxigraph: http://HOST:PORT/query).",
        ) from None
    except Unauthorized:
        raise EndpointError(
            f"The endpoint {endpoint} answered 401 Unauthorized.",
            "Set IAKG_ENDPOINT_USER and IAKG_ENDPOINT_PASSWORD in the environment.",
        ) from None
    except URITooLong:
        raise EndpointError(
            f"The endpoint {endpoint} answered 414 URI Too Long.", "Use an endpoint that accepts POST."
        ) from None
    except EndPointInternalError as exc:
        raise EndpointError(
            f"The endpoint {endpoint} failed with a server error (5xx): {_detail(exc)}",
            "Try again later, or ask the endpoint's administrator.",
        ) from None
    except urllib.error.HTTPError as exc:
        raise EndpointError(
            f"The endpoint {endpoint} answered HTTP {exc.code} {exc.reason}.",
            "Check the URL and the endpoint's status.",
        ) from None
    except TimeoutError:
        raise _timed_out(endpoint, timeout) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise _timed_out(endpoint, timeout) from None
        raise EndpointError(
            f"Cannot reach the endpoint {endpoint}: {exc.reason}.",
            "Check that the server is running and the URL (host and port) is right.",
        ) from None
    except SPARQLWrapperException as exc:
        raise EndpointError(f"The endpoint {endpoint} failed: {_detail(exc)}", "Check the endpoint.") from None
    except (ConnectionError, OSError) as exc:
        raise EndpointError(
            f"Cannot reach the endpoint {endpoint}: {exc}.", "Check that the server is running."
        ) from None
    try:
        answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    except SyntaxError as exc:
        raise EndpointError(
            f"The endpoint {endpoint} did not return SPARQL JSON results ({exc.msg}).",
            "Check that the URL is a SPARQL query endpoint.",
        ) from None
    return Results.from_oxigraph(answer)


def _detail(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return " ".join(text[:3])[:300]
