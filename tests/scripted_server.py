"""A real HTTP server on 127.0.0.1 (a thread) whose answers are scripted per path, and which records every request.

Network code is tested against it, never against the internet::

    with serving() as server:
        server.route("/api/query", Reply(429, headers={"Retry-After": "1"}), Reply(200, b"<feed/>"))
        server.routes["/echo"] = lambda request, server: Reply(200, request.path.encode())
        ...
        first, second = server.hits("/api/query")   # what arrived, with arrival times

A path answers with a :class:`Reply` (the same one every time) or a :data:`Route` (a function of the request);
unknown paths answer 404. GET, HEAD and POST are answered; HEAD without a body.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """One scripted answer.

    ``delay`` is how long the server thinks before answering at all (a slow server: counted as in flight);
    ``body_delay`` is how long it waits between sending the headers and the body (a slow download).
    ``length`` announces a Content-Length other than the body's; the connection is closed after the body
    (a truncated answer when it is larger).
    """

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    body_delay: float = 0.0
    length: int | None = None


@dataclass
class Request:
    """One request as it arrived: ``at`` is its ``time.monotonic()`` arrival time."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


Route = Callable[[Request, "ScriptedServer"], Reply]


class _QuietServer(ThreadingHTTPServer):
    """Prints no traceback when a client hangs up, as the timeout tests make clients do.

    Such a traceback comes from a thread, late, into whatever ``sys.stderr`` is then: often the ``CliRunner``
    output of a later test, which then fails to match.
    """

    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class ScriptedServer:
    """``routes`` maps a path to a :class:`Reply` or a :data:`Route`; ``requests`` lists every request received.

    ``in_flight`` counts the requests being answered right now (until their status line is sent) and
    ``max_in_flight`` the most there ever were at once, for tests of bounded concurrency.
    """

    def __init__(self, routes: dict[str, Reply | Route] | None = None) -> None:
        self.routes: dict[str, Reply | Route] = dict(routes or {})
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self._httpd = _QuietServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def route(self, path: str, *replies: Reply) -> None:
        """Answer ``path`` with ``replies`` in order, then keep repeating the last one."""
        self.routes[path] = replies[0] if len(replies) == 1 else in_turn(*replies)

    def hits(self, path: str, method: str | None = None) -> list[Request]:
        """The requests received for ``path`` (of ``method``, if given), in order of arrival."""
        with self.lock:
            return [r for r in self.requests if r.path == path and (method is None or r.method == method)]

    def _reply(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"not found")
        return route if isinstance(route, Reply) else route(request, self)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _answer(self) -> None:
                parts = urlsplit(self.path)
                request = Request(
                    self.command, parts.path, parse_qs(parts.query), dict(self.headers), time.monotonic()
                )
                with server.lock:
                    server.requests.append(request)
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    reply = server._reply(request)
                    if reply.delay:
                        time.sleep(reply.delay)
                finally:
                    with server.lock:
                        server.in_flight -= 1
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body) if reply.length is None else reply.length))
                    if reply.length is not None:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    self.end_headers()
                    if reply.body_delay:
                        time.sleep(reply.body_delay)
                    if self.command != "HEAD":
                        self.wfile.write(reply.body)
                except ConnectionError:
                    self.close_connection = True  # the client gave up (a timeout test); nothing to answer

            do_GET = do_HEAD = do_POST = _answer

        return Handler

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@contextmanager
def serving(routes: dict[str, Reply | Route] | None = None) -> Iterator[ScriptedServer]:
    """A started :class:`ScriptedServer`, stopped on leaving the block."""
    server = ScriptedServer(routes).start()
    try:
        yield server
    finally:
        server.stop()


def by_method(**answers: Reply) -> Route:
    """A route whose answer depends on the method: ``by_method(HEAD=Reply(405), GET=Reply(200))``."""
    return lambda request, server: answers[request.method]


def in_turn(*replies: Reply) -> Route:
    """A route that gives the replies in order, then repeats the last one."""
    count = {"n": 0}

    def route(request: Request, server: ScriptedServer) -> Reply:
        with server.lock:
            index = min(count["n"], len(replies) - 1)
            count["n"] += 1
        return replies[index]

    return route
