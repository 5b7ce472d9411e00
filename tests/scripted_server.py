"""A real HTTP server on 127.0.0.1 whose answers are scripted per path, and which records every request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    at: float


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0


Route = Callable[[Request, "ScriptedServer"], Reply]


class ScriptedServer:
    """``routes`` maps a path to a function of the request; unknown paths answer 404."""

    def __init__(self, routes: dict[str, Route] | None = None) -> None:
        self.routes: dict[str, Route] = dict(routes or {})
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def hits(self, path: str, method: str | None = None) -> list[Request]:
        with self.lock:
            return [r for r in self.requests if r.path == path and (method is None or r.method == method)]

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
                    route = server.routes.get(parts.path)
                    reply = route(request, server) if route else Reply(404, body=b"not found")
                    if reply.delay:
                        time.sleep(reply.delay)
                finally:
                    with server.lock:
                        server.in_flight -= 1
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = do_HEAD = do_POST = _answer

        return Handler

    def start(self) -> ScriptedServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serving(routes: dict[str, Route] | None = None) -> Iterator[ScriptedServer]:
    server = ScriptedServer(routes).start()
    try:
        yield server
    finally:
        server.stop()


def always(
    status: int = 200, headers: dict[str, str] | None = None, body: bytes = b"", delay: float = 0.0
) -> Route:
    """A route that gives the same answer to every request."""
    return lambda request, server: Reply(status, dict(headers or {}), body, delay)


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
