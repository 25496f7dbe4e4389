"""``iakg serve``: the built graph, read-only, over the SPARQL 1.1 Protocol on 127.0.0.1.

SPARQL is answered by the Oxigraph server (``oxigraph serve-read-only``, from the ``oxigraph``
package) on the built store, with a query timeout. In front of it, a small HTTP server on the
public port

* forwards ``/query`` and ``/sparql`` (GET and POST, as the SPARQL 1.1 Protocol says) to Oxigraph,
* refuses every update (``/update``, ``/store`` writes, ``update=`` forms) with 403,
* dereferences the project's IRIs: ``/id/...`` and ``/ontology`` answer with the triples about
  the resource, as Turtle, JSON-LD or HTML by content negotiation (``Accept``).

The IRI ``https://w3id.org/iakg/id/case/CS1`` is served at ``http://127.0.0.1:PORT/id/case/CS1``:
a permanent-identifier redirect (w3id.org) sends the first to the second once the server is
hosted (see the README).
"""

from __future__ import annotations

import html
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError
from .iris import BASE, ONTOLOGY_IRI
from .results import short

TURTLE, JSONLD, HTML = "text/turtle", "application/ld+json", "text/html"


def oxigraph_binary() -> str:
    """The ``oxigraph`` server program installed with the package."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if not found:
        raise InputError(
            "The Oxigraph server program is not installed.",
            "Install it with: pip install oxigraph (it is a dependency of interagency-kg).",
        )
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise InputError(
                f"The Oxigraph server stopped at start (exit {process.returncode}).", "Run iakg build, then try again."
            )
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise InputError(
        f"The Oxigraph server did not start within {seconds:g} s.", "Try again; check that the port is free."
    )


def start_oxigraph(store_dir: Path, port: int, timeout: float, read_only: bool = True) -> subprocess.Popen[bytes]:
    """Start ``oxigraph serve-read-only`` on ``store_dir`` at 127.0.0.1:``port``."""
    command = [
        oxigraph_binary(),
        "serve-read-only" if read_only else "serve",
        "--location", str(store_dir),
        "--bind", f"127.0.0.1:{port}",
        "--timeout-s", str(max(1, int(timeout))),
        "--union-default-graph",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port, process)
    return process


def negotiate(accept: str, query_format: str | None) -> str:
    """The media type to answer with: ``?format=`` first, then the Accept header, HTML last."""
    wanted = {"ttl": TURTLE, "turtle": TURTLE, "jsonld": JSONLD, "json": JSONLD, "html": HTML}
    if query_format in wanted:
        return wanted[query_format]
    ranked = []
    for part in accept.split(","):
        media, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranked.append((q, media.strip().lower()))
    for _, media in sorted(ranked, key=lambda x: -x[0]):
        if media in (TURTLE, "application/x-turtle"):
            return TURTLE
        if media in (JSONLD, "application/json"):
            return JSONLD
        if media in (HTML, "application/xhtml+xml", "*/*", "text/*"):
            return HTML
    return HTML


class Describer:
    """The triples about a resource, from the built store, in three representations."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def triples(self, iri: str) -> list[ox.Triple]:
        node = ox.NamedNode(iri)
        seen: set[ox.Triple] = set()
        for quad in self.store.quads_for_pattern(node, None, None):
            seen.add(quad.triple)
        if iri == ONTOLOGY_IRI:
            graph_prefix = BASE + "graph/ontology/"
            for graph in self.store.named_graphs():
                if isinstance(graph, ox.NamedNode) and graph.value.startswith(graph_prefix):
                    seen.update(q.triple for q in self.store.quads_for_pattern(None, None, None, graph))
        return sorted(seen, key=str)

    def label(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        if isinstance(term, ox.NamedNode):
            for predicate in (
                "http://www.w3.org/2000/01/rdf-schema#label",
                "http://www.w3.org/2004/02/skos/core#prefLabel",
            ):
                for quad in self.store.quads_for_pattern(term, ox.NamedNode(predicate), None):
                    return str(getattr(quad.object, "value", quad.object))
        return short(term)

    def render(self, iri: str, media: str, link: Callable[[str], str | None]) -> bytes:
        triples = self.triples(iri)
        if media in (TURTLE, JSONLD):
            kind = ox.RdfFormat.TURTLE if media == TURTLE else ox.RdfFormat.JSON_LD
            data = ox.serialize(triples, format=kind, prefixes=_prefixes() if media == TURTLE else None)
            assert data is not None
            return data
        rows = []
        for triple in triples:
            if triple.subject != ox.NamedNode(iri):
                continue
            rows.append(
                f"<tr><th>{html.escape(self.label(triple.predicate))}</th>"
                f"<td>{self._cell(triple.object, link)}</td></tr>"  # type: ignore[arg-type]
            )
        title = html.escape(self.label(ox.NamedNode(iri)))
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{title}</title></head><body><h1>{title}</h1><p><code>{html.escape(iri)}</code></p>"
            f"<table>{''.join(rows)}</table>"
            f'<p>Also as <a href="?format=ttl">Turtle</a> and <a href="?format=jsonld">JSON-LD</a>.</p>'
            "</body></html>"
        ).encode()

    def _cell(self, term: ox.NamedNode | ox.BlankNode | ox.Literal, link: Callable[[str], str | None]) -> str:
        if isinstance(term, ox.NamedNode):
            href = link(term.value)
            text = html.escape(self.label(term))
            return (
                f'<a href="{html.escape(href)}">{text}</a>'
                if href
                else f"{text} <code>{html.escape(term.value)}</code>"
            )
        return html.escape(short(term))


def _prefixes() -> dict[str, str]:
    from .iris import PREFIXES

    return dict(PREFIXES)


CANCELLED = b"The SPARQL operation has been cancelled"


def make_handler(
    describer: Describer, sparql_port: int, base_iri: str, timeout: float, restart: Callable[[], None]
) -> type[BaseHTTPRequestHandler]:
    """The request handler of the front server.

    Oxigraph stops most queries at its timeout, ending the streamed answer with a cancellation
    note; a few (a bare cross product under COUNT) it does not interrupt. The front turns the
    first into a 503 and, for the second, answers 503 after the timeout and restarts Oxigraph so
    that the query stops using the machine.
    """
    upstream = f"http://127.0.0.1:{sparql_port}/query"
    stopped = f"The query ran longer than {timeout:g} s and was stopped. Simplify it or add LIMIT.\n".encode()

    def local_link(iri: str) -> str | None:
        if iri.startswith(base_iri + "id/"):
            return "/" + iri[len(base_iri) :]
        if iri.startswith(ONTOLOGY_IRI):
            return "/ontology" + iri[len(ONTOLOGY_IRI) :]
        return None

    class Handler(BaseHTTPRequestHandler):
        server_version = "iakg-serve"

        def log_message(self, format: str, *args: object) -> None:
            return None

        def _send(self, status: int, body: bytes, media: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", f"{media}; charset=utf-8" if media.startswith("text/") else media)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _refuse(self) -> None:
            self._send(403, b"This endpoint is read-only: updates are refused.\n", "text/plain")

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query)
            if url.path in ("/query", "/sparql"):
                if "update" in params:
                    self._refuse()
                    return
                self._proxy("GET", f"{upstream}?{url.query}", None)
            elif url.path in ("/update", "/store"):
                self._refuse()
            elif url.path.startswith("/id/") or url.path == "/ontology":
                iri = ONTOLOGY_IRI if url.path == "/ontology" else base_iri + url.path.lstrip("/")
                if not describer.triples(iri):
                    self._send(404, f"Nothing is known about <{iri}>.\n".encode(), "text/plain")
                    return
                media = negotiate(self.headers.get("Accept", ""), next(iter(params.get("format") or []), None))
                self._send(
                    200,
                    describer.render(iri, media, local_link),
                    media,
                    {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'},
                )
            elif url.path == "/":
                page = (
                    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                    "<title>Inter-Agency Working knowledge graph</title></head>"
                    "<body><h1>Inter-Agency Working knowledge graph</h1>"
                    "<p>SPARQL endpoint (read-only): <code>/query</code>. "
                    'The <a href="/ontology">ontology</a>; the cases: '
                    + ", ".join(f'<a href="/id/case/CS{i}">CS{i}</a>' for i in range(1, 9))
                    + "</p></body></html>"
                )
                self._send(200, page.encode(), HTML)
            else:
                self._send(404, b"Not found. Try /query, /ontology or /id/case/CS1.\n", "text/plain")

        def do_POST(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            is_update = kind == "application/sparql-update" or (
                kind == "application/x-www-form-urlencoded"
                and "update" in urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            )
            if url.path not in ("/query", "/sparql") or is_update:
                self._refuse()
                return
            self._proxy("POST", upstream, body)

        def do_PUT(self) -> None:
            self._refuse()

        def do_DELETE(self) -> None:
            self._refuse()

        def _proxy(self, method: str, target: str, body: bytes | None) -> None:
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("accept", "content-type")}
            request = urllib.request.Request(target, data=body, method=method, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=timeout + 2) as response:
                    answer = response.read()
                    media = response.headers.get("Content-Type", "application/octet-stream")
            except urllib.error.HTTPError as exc:
                self._send(exc.code, exc.read(), exc.headers.get("Content-Type", "text/plain"))
                return
            except (TimeoutError, urllib.error.URLError, OSError):
                restart()
                self._send(503, stopped, "text/plain")
                return
            if answer.rstrip().endswith(CANCELLED):
                self._send(503, stopped, "text/plain")
                return
            self._send(200, answer, media)

    return Handler


class Server:
    """The running pair: Oxigraph on an internal port, the front on the public one."""

    def __init__(self, store_dir: Path, port: int, timeout: float = 30.0, base_iri: str = BASE) -> None:
        self.store_dir = store_dir
        self.timeout = timeout
        self.sparql_port = free_port()
        self.process = start_oxigraph(store_dir, self.sparql_port, timeout)
        self._lock = threading.Lock()
        self.store = ox.Store.read_only(str(store_dir))
        handler = make_handler(Describer(self.store), self.sparql_port, base_iri, timeout, self.restart_sparql)
        try:
            self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError as exc:
            self.process.terminate()
            raise InputError(
                f"Cannot listen on 127.0.0.1:{port}: {exc.strerror}.", "Choose another port with --port."
            ) from None
        self.port = int(self.httpd.server_address[1])
        self.thread: threading.Thread | None = None

    def restart_sparql(self) -> None:
        """Stop the Oxigraph server (and the query that overran) and start it again."""
        with self._lock:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = start_oxigraph(self.store_dir, self.sparql_port, self.timeout)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
