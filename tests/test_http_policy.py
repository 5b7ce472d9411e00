"""The one HTTP policy (sources/http.py), against a real scripted server on 127.0.0.1, for both transports.

The synchronous client (arXiv, Crossref, GitHub) and the concurrent prober (``emocat links``) must give the same
verdict for the same answers: retries with back-off on 429/5xx, Retry-After honoured but bounded, 401/403/429
blocked, 404/410/persistent 5xx broken, redirects checked, timeouts not retried. Waits are kept tiny through the
policy's own knobs (``backoff``, ``max_wait``, ``timeout``), never by patching.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from emocat.sources.client import HttpClient
from emocat.sources.http import Policy, ServiceError, retry_after, wait_hint
from emocat.sources.probe import AsyncHttp
from scripted_server import Reply, ScriptedServer, in_turn, serving

FAST = Policy(timeout=2.0, retries=3, backoff=0.02, max_wait=2.0)
Outcome = tuple[str, "int | None", str]


def sync_get(url: str, policy: Policy) -> Outcome:
    with HttpClient(policy=policy) as client:
        try:
            client.get(url, service="the stub")
        except ServiceError as exc:
            return exc.verdict, exc.status, str(exc)
    return "ok", 200, ""


def async_probe(url: str, policy: Policy) -> Outcome:
    async def run() -> Any:
        async with AsyncHttp(policy) as http:
            return await http.probe(url)

    probe = asyncio.run(run())
    return probe.verdict, probe.status, probe.message


TRANSPORTS: dict[str, tuple[Callable[[str, Policy], Outcome], str]] = {
    "sync": (sync_get, "GET"),  # each attempt starts with this method
    "async": (async_probe, "HEAD"),
}


@pytest.fixture(params=sorted(TRANSPORTS))
def transport(request: pytest.FixtureRequest) -> tuple[Callable[[str, Policy], Outcome], str]:
    return TRANSPORTS[request.param]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with serving() as stub:
        yield stub


def per_method(*replies: Reply) -> Any:
    """Replies in turn, counted per method: the prober's GET after a refused HEAD does not use up a HEAD answer."""
    turns = {method: in_turn(*replies) for method in ("HEAD", "GET")}
    return lambda request, server: turns[request.method](request, server)


def attempts(server: ScriptedServer, path: str, method: str) -> list[float]:
    return [hit.at for hit in server.hits(path, method)]


def test_429_then_200_waits_as_retry_after_asks(server: ScriptedServer, transport: Any) -> None:
    ask, method = transport
    server.route("/later", Reply(429, headers={"Retry-After": "1"}), Reply(200, b"ok"))
    assert ask(server.url + "/later", FAST)[0] == "ok"
    first, second = attempts(server, "/later", method)
    assert second - first >= 0.95  # Retry-After: 1, although the back-off starts at 0.02 s


def test_503_n_times_is_retried_with_growing_back_off(server: ScriptedServer, transport: Any) -> None:
    ask, method = transport
    server.routes["/flaky"] = per_method(Reply(503), Reply(503), Reply(503), Reply(200, b"ok"))
    policy = Policy(timeout=2.0, retries=3, backoff=0.05, max_wait=2.0)
    assert ask(server.url + "/flaky", policy)[0] == "ok"
    hits = attempts(server, "/flaky", method)
    assert len(hits) == 4
    gaps = [later - earlier for earlier, later in itertools.pairwise(hits)]
    assert gaps[0] >= 0.045 and gaps[1] >= 0.095 and gaps[2] >= 0.195  # 0.05, 0.1, 0.2


def test_503_that_persists_is_broken_after_the_last_retry(server: ScriptedServer, transport: Any) -> None:
    ask, method = transport
    server.route("/down", Reply(503))
    verdict, status, _ = ask(server.url + "/down", Policy(timeout=2.0, retries=2, backoff=0.01))
    assert (verdict, status) == ("broken", 503)
    assert len(attempts(server, "/down", method)) == 3


@pytest.mark.parametrize(("code", "verdict"), [(401, "blocked"), (403, "blocked"), (404, "broken"),
                                               (410, "broken"), (400, "error")])
def test_final_answers_are_classified_without_retry(server: ScriptedServer, transport: Any, code: int,
                                                    verdict: str) -> None:
    ask, method = transport
    server.route("/answer", Reply(code))
    assert ask(server.url + "/answer", FAST)[:2] == (verdict, code)
    assert len(attempts(server, "/answer", method)) == 1


def test_429_that_persists_is_blocked(server: ScriptedServer, transport: Any) -> None:
    ask, method = transport
    server.route("/busy", Reply(429))
    assert ask(server.url + "/busy", Policy(timeout=2.0, retries=2, backoff=0.01))[:2] == ("blocked", 429)
    assert len(attempts(server, "/busy", method)) == 3


def test_403_that_says_when_to_come_back_is_retried(server: ScriptedServer, transport: Any) -> None:
    ask, _ = transport
    server.route("/secondary-limit", Reply(403, headers={"Retry-After": "0"}), Reply(200, b"ok"))
    assert ask(server.url + "/secondary-limit", FAST)[0] == "ok"


def test_a_wait_longer_than_the_cap_is_not_waited_for(server: ScriptedServer, transport: Any) -> None:
    ask, method = transport
    server.route("/tomorrow", Reply(429, headers={"Retry-After": "86400"}), Reply(200))
    started = time.monotonic()
    verdict, status, message = ask(server.url + "/tomorrow", FAST)
    assert (verdict, status) == ("blocked", 429)
    assert "retry after 86400 s, longer than emocat waits (2 s)" in message
    assert time.monotonic() - started < 1.5 and len(attempts(server, "/tomorrow", method)) == 1


# Hostile wait headers on a 429 that is followed by a 200: garbage is ignored (the back-off applies, so the retry
# comes quickly and succeeds); a finite wait beyond the cap is not waited for (blocked, at once). Never a crash,
# never a long sleep.
HOSTILE_WAITS = [
    ({"Retry-After": "nan"}, "ok"),
    ({"Retry-After": "inf"}, "ok"),
    ({"Retry-After": "-5"}, "ok"),
    ({"Retry-After": "1e300"}, "ok"),
    ({"Retry-After": "²"}, "ok"),
    ({"Retry-After": "Mon, 99 Foo 2020 99:99:99 GMT"}, "ok"),
    ({"Retry-After": "99999999999999999999"}, "blocked"),
    ({"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}, "blocked"),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1e300"}, "ok"),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "nan"}, "ok"),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "-inf"}, "ok"),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "soon"}, "ok"),
    ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "99999999999999999999"}, "blocked"),
]


@pytest.mark.parametrize(("headers", "verdict"), HOSTILE_WAITS, ids=[str(h) for h, _ in HOSTILE_WAITS])
def test_waits_from_hostile_headers_are_bounded(server: ScriptedServer, transport: Any, headers: dict[str, str],
                                                verdict: str) -> None:
    ask, method = transport
    server.route("/odd", Reply(429, headers=headers), Reply(200, b"ok"))
    started = time.monotonic()
    assert ask(server.url + "/odd", FAST)[0] == verdict
    assert time.monotonic() - started < 1.5
    assert len(attempts(server, "/odd", method)) == (2 if verdict == "ok" else 1)


def test_header_values_become_finite_waits_or_nothing() -> None:
    now = 1_000_000.0
    for bad in ("nan", "inf", "-1", "1e300", "0x10", "٣", "²", " ", "1" * 25, "Mon, 99 Foo"):
        assert retry_after(bad, now=now) is None, bad
    assert retry_after("120", now=now) == 120.0
    assert wait_hint({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(now + 30)}, now=now) == 31.0
    assert wait_hint({"X-RateLimit-Remaining": "5", "X-RateLimit-Reset": str(now + 30)}, now=now) is None
    assert wait_hint({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "nan"}, now=now) is None
    policy = Policy(backoff=1.0, max_wait=10.0)
    assert [policy.delay(n, None) for n in (0, 1, 2, 3, 4, 500)] == [1, 2, 4, 8, 10, 10]
    assert policy.delay(0, 7.0) == 7.0 and policy.delay(0, 10.5) is None
    assert all(math.isfinite(policy.delay(n, 0.0) or 0) for n in range(2000))


def test_redirect_loop_is_an_error_not_a_hang(server: ScriptedServer, transport: Any) -> None:
    ask, _ = transport
    server.route("/a", Reply(302, headers={"Location": "/b"}))
    server.route("/b", Reply(307, headers={"Location": f"{server.url}/a"}))
    verdict, status, message = ask(server.url + "/a", FAST)
    assert verdict == "error" and status is None and "redirect loop" in message


def test_redirect_chains_are_bounded(server: ScriptedServer, transport: Any) -> None:
    ask, _ = transport
    for n in range(20):
        server.route(f"/hop{n}", Reply(301, headers={"Location": f"/hop{n + 1}"}))
    verdict, _, message = ask(server.url + "/hop0", Policy(timeout=2.0, max_redirects=5))
    assert verdict == "error" and "more than 5 redirects" in message
    assert len(server.hits("/hop7")) == 0


def test_a_slow_server_times_out_and_is_not_asked_again(server: ScriptedServer, transport: Any) -> None:
    ask, method = transport
    server.route("/slow", Reply(200, b"late", delay=2.0))
    started = time.monotonic()
    verdict, status, _ = ask(server.url + "/slow", Policy(timeout=0.3, retries=3, backoff=0.01))
    assert (verdict, status) == ("timeout", None)
    assert time.monotonic() - started < 1.5
    assert len(attempts(server, "/slow", method)) == 1


UNUSABLE = ["https://xn--/", "http://127.0.0.1:99999/", "http://[::1/", "ftp://example.org/", "http://:80/"]


@pytest.mark.parametrize("url", UNUSABLE)
def test_an_unusable_address_is_a_message_and_no_request(transport: Any, url: str) -> None:
    ask, _ = transport
    verdict, status, message = ask(url, FAST)
    assert (verdict, status) == ("error", None)
    assert message and "Traceback" not in message


REDIRECT_TARGETS = {
    "https://xn--/": "unusable address",
    "http://127.0.0.1:99999/": "the port 99999 is outside 1-65535",
    "http://[::1/": "unusable address",
    "ftp://example.org/file": "not an http(s) address",
    "javascript:alert(1)": "not an http(s) address",
    "mailto:someone@example.org": "not an http(s) address",
}


@pytest.mark.parametrize("code", [301, 302, 307, 308])
@pytest.mark.parametrize("target", sorted(REDIRECT_TARGETS))
def test_a_redirect_to_an_unusable_address_is_a_message(server: ScriptedServer, transport: Any, code: int,
                                                        target: str) -> None:
    ask, _ = transport
    server.route("/away", Reply(code, headers={"Location": target}))
    verdict, status, message = ask(server.url + "/away", FAST)
    assert (verdict, status) == ("error", None)
    assert REDIRECT_TARGETS[target] in message


def test_a_redirect_without_location_is_a_message(server: ScriptedServer, transport: Any) -> None:
    ask, _ = transport
    server.route("/nowhere", Reply(302))
    verdict, _, message = ask(server.url + "/nowhere", FAST)
    assert verdict == "error" and "without a Location header" in message


def test_concurrency_is_bounded_overall_and_per_host(server: ScriptedServer) -> None:
    server.route("/wait", Reply(200, delay=0.1))

    async def run(policy: Policy, urls: list[str]) -> list[str]:
        async with AsyncHttp(policy) as http:
            return [p.verdict for p in await asyncio.gather(*(http.probe(u) for u in urls))]

    urls = [f"{server.url}/wait?n={i}" for i in range(8)]
    assert set(asyncio.run(run(Policy(timeout=2.0, concurrency=8, per_host=3), urls))) == {"ok"}
    assert server.max_in_flight == 3
    server.max_in_flight = 0
    assert set(asyncio.run(run(Policy(timeout=2.0, concurrency=2, per_host=8), urls))) == {"ok"}
    assert server.max_in_flight == 2


def test_an_answer_that_is_not_http_is_a_message(transport: Any) -> None:
    """A real socket on 127.0.0.1 that answers garbage and hangs up: retried as a dropped answer, then an error."""
    ask, _ = transport
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    port = listener.getsockname()[1]
    served: list[int] = []
    done = threading.Event()

    def answer_garbage() -> None:
        with listener:
            while not done.is_set():
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    continue
                with connection:
                    connection.recv(65536)
                    connection.sendall(b"\x00\xffNOT HTTP AT ALL\r\n\r\n")
                served.append(1)

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    try:
        verdict, status, message = ask(f"http://127.0.0.1:{port}/x", Policy(timeout=2.0, retries=1, backoff=0.01))
    finally:
        done.set()
        thread.join(timeout=5)
    assert (verdict, status) == ("error", None)
    assert message and len(served) >= 2  # asked once more, as an answer cut short
