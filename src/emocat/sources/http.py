"""The one HTTP policy: timeouts, bounded concurrency, retries, checked redirects, one verdict per answer.

Every request goes through :class:`HttpClient` (the arXiv, Crossref and GitHub clients) or :class:`AsyncHttp`
(``emocat links``), both under one :class:`Policy`. A slow server is not asked again. A 429 or 5xx (or a 403
that says when to come back) is retried ``retries`` times after ``backoff * 2**attempt`` seconds, or the
``Retry-After`` / ``X-RateLimit-Reset`` wait when longer; no wait exceeds ``max_wait``, an answer asking for
more is final, and nan, infinite or garbage waits are ignored. Redirects are followed by hand: a loop, too many,
a non-http(s) or unusable target is a message, never an exception. Bodies are capped at ``max_body``. Verdicts:
``blocked`` (401, 403, 429), ``broken`` (404, 410, a persistent 5xx, an unknown name, a refused connection),
``timeout``, ``error`` (anything else) or ``ok``.
"""

from __future__ import annotations

import asyncio
import email.utils
import errno
import math
import os
import re
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal
from urllib.parse import urljoin, urlsplit

import httpx

from emocat import __version__
from emocat.errors import NetworkError, UsageError

USER_AGENT = f"emocat/{__version__} (research catalog tool; +https://github.com/yuntaoshou/Awesome-Emotion-Reasoning)"
TIMEOUT_ENV = "EMOCAT_HTTP_TIMEOUT"
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
DEFAULT_MAX_WAIT = 30.0
MAX_BODY = 16 * 1024 * 1024

Verdict = Literal["ok", "blocked", "broken", "timeout", "error"]
BLOCKED_STATUSES = frozenset({401, 403, 429})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
NO_SUCH_HOST = "no such host"
#: Lost connections and answers cut short are worth another try; a timeout or a refusal is not.
DROPPED = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)
#: What the HTTP library raises for an address it cannot request (IDNA errors are ValueErrors).
UNUSABLE = (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, OverflowError)


def classify(status: int) -> Verdict:
    """The verdict on a final HTTP status (after redirects and retries)."""
    if status < 400:
        return "ok"
    if status in BLOCKED_STATUSES:
        return "blocked"
    if status in (404, 410) or status >= 500:
        return "broken"
    return "error"


class ServiceError(NetworkError):
    """A request failed; ``status`` is None without an answer, ``retry_in`` the wait asked and refused."""

    def __init__(self, message: str, *, url: str, status: int | None = None, blocked: bool = False,
                 verdict: Verdict | None = None, retry_in: float | None = None,
                 headers: Mapping[str, str] | None = None, unreachable: bool = False) -> None:
        super().__init__(message)
        self.unreachable = unreachable  # no connection at all (refused, unknown name, unusable address)
        self.url = url
        self.status = status
        self.verdict: Verdict = verdict or ("blocked" if blocked else classify(status) if status else "error")
        self.blocked = blocked or self.verdict == "blocked"
        self.retry_in = retry_in
        self.headers: Mapping[str, str] = headers or {}


class NotFoundError(ServiceError):
    """The service has no such record (HTTP 404, or an empty answer to a lookup)."""


def timeout_from_env(default: float = DEFAULT_TIMEOUT) -> float:
    """The timeout in seconds from ``EMOCAT_HTTP_TIMEOUT``, or ``default`` when unset."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise NetworkError(f"{TIMEOUT_ENV}={raw!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise NetworkError(f"{TIMEOUT_ENV}={raw!r} must be a positive number of seconds")
    return value


def _seconds(text: str) -> float | None:
    """ASCII digits with an optional fraction, finite: anything else (``nan``, ``1e300``, ``٣``) is None."""
    if len(text) > 20 or not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait by a ``Retry-After`` header (seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    seconds = _seconds(value)
    if seconds is not None or value[:1].isdigit():
        return seconds
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            return None
        return max(0.0, when.timestamp() - (time.time() if now is None else now))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def wait_hint(headers: Mapping[str, str], *, now: float | None = None) -> float | None:
    """The wait a server asks for: ``Retry-After``, else an exhausted ``X-RateLimit-Reset`` (epoch seconds)."""
    asked = retry_after(headers.get("Retry-After"), now=now)
    if asked is not None:
        return asked
    if (headers.get("X-RateLimit-Remaining") or "").strip() == "0":
        reset = _seconds((headers.get("X-RateLimit-Reset") or "").strip())
        if reset is not None:
            return max(0.0, reset - (time.time() if now is None else now) + 1)
    return None


@dataclass(frozen=True)
class Policy:
    """The rules of every request; the defaults suit real services, tests pass tiny waits."""

    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    backoff: float = DEFAULT_BACKOFF
    max_wait: float = DEFAULT_MAX_WAIT
    max_redirects: int = 10
    max_body: int = MAX_BODY
    concurrency: int = 16
    per_host: int = 4

    def retryable(self, status: int, hint: float | None) -> bool:
        """Whether an answer is worth asking again: 429, 5xx, or a 403 that says when to come back."""
        return status in RETRY_STATUSES or (status == 403 and hint is not None)

    def __post_init__(self) -> None:
        for name in ("timeout", "backoff", "max_wait"):
            value = getattr(self, name)
            if not math.isfinite(value) or value < 0 or (name == "timeout" and value == 0):
                raise UsageError(f"the HTTP {name.replace('_', ' ')} must be a finite number of seconds"
                                 f"{' above 0' if name == 'timeout' else ''}, not {value}")
        if self.retries < 0 or self.max_redirects < 0 or self.max_body < 0 or min(self.concurrency, self.per_host) < 1:
            raise UsageError("HTTP retries, redirects and body size must be at least 0, concurrency at least 1")

    def after(self, attempt: int, status: int | None, hint: float | None) -> tuple[float | None, str]:
        """After attempt ``attempt`` (from 0) got ``status`` (None: a dropped connection): the seconds to wait
        before asking again, or None when the outcome is final, with the reason when a wait was refused."""
        if attempt >= self.retries or (status is not None and not self.retryable(status, hint)):
            return None, ""
        delay = self.delay(attempt, hint)
        if delay is None:
            return None, f"it asks to retry after {hint:g} s, longer than emocat waits ({self.max_wait:g} s)"
        return delay, ""

    def delay(self, attempt: int, hint: float | None) -> float | None:
        """Seconds before retry ``attempt + 1``; None when the server asks for longer than ``max_wait``."""
        if hint is not None and hint > self.max_wait:
            return None
        return min(max(self.backoff * (1 << min(attempt, 30)), hint or 0.0), self.max_wait)


def policy_of(timeout: float | None = None, retries: int = DEFAULT_RETRIES, backoff: float = DEFAULT_BACKOFF,
              max_wait: float = DEFAULT_MAX_WAIT, max_body: int = MAX_BODY) -> Policy:
    """A :class:`Policy` from keyword knobs (the timeout from the environment when not given)."""
    def finite(value: float, floor: float = 0.0) -> float:
        return max(floor, value) if math.isfinite(value) else floor
    return Policy(timeout=finite(timeout_from_env() if timeout is None else timeout, 0.001),
                  retries=max(0, retries), backoff=finite(backoff), max_wait=finite(max_wait),
                  max_body=max(0, max_body))


def reason(status: int) -> str:
    """``503 Service Unavailable``; the bare number for a status without a name."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def unusable(url: str) -> str | None:
    """Why ``url`` cannot be requested (scheme, host, port, IDNA), or None when it can."""
    try:
        parsed = httpx.URL(url)
        host = parsed.host
    except UNUSABLE as exc:
        return str(exc) or type(exc).__name__
    if parsed.scheme not in ("http", "https"):
        return "not an http(s) address"
    if not host:
        return "no host name"
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        return f"the port {parsed.port} is outside 1-65535"
    return None


_LOCATION = "emocat.location"


def _hold_location(response: httpx.Response) -> None:
    """Take a redirect's Location out of the headers, so that the HTTP library, which would parse it (and raise on
    a bad one) before any code of ours sees it, leaves redirects to :func:`next_hop`."""
    if response.status_code in REDIRECT_STATUSES and "Location" in response.headers:
        response.extensions[_LOCATION] = response.headers["Location"]
        del response.headers["Location"]


async def hold_location_async(response: httpx.Response) -> None:
    _hold_location(response)


def location(response: httpx.Response) -> str | None:
    """The Location of a redirect answer, as the server sent it."""
    held = response.extensions.get(_LOCATION)
    return held if isinstance(held, str) else response.headers.get("Location")


class Slots:
    """Bounded concurrency: at most ``policy.concurrency`` requests at once, ``policy.per_host`` per host.

    ``host(name)`` is held for the whole of one address (its retries included); ``overall`` only while a request
    is on the wire, so a retry's wait frees the slot for others.
    """

    def __init__(self, policy: Policy) -> None:
        self.overall = asyncio.Semaphore(max(1, policy.concurrency))
        self._per_host = max(1, policy.per_host)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def host(self, url: str) -> asyncio.Semaphore:
        name = (urlsplit(url).hostname or "").lower()
        return self._hosts.setdefault(name, asyncio.Semaphore(self._per_host))


class RedirectError(Exception):
    """A redirect that cannot be followed: a loop, too many, a non-http(s) or unusable target."""


def next_hop(current: str, location: str | None, seen: set[str], policy: Policy) -> str:
    """The address a redirect points to, checked; raise :class:`RedirectError` when it cannot be followed."""
    if not location:
        raise RedirectError("a redirect without a Location header")
    try:
        target = urljoin(current, location.strip())
    except ValueError as exc:  # the standard library refuses e.g. an unclosed IPv6 bracket
        raise RedirectError(f"redirected to an unusable address {location[:200]!r}: {exc}") from None
    problem = unusable(target)
    if problem:
        raise RedirectError(f"redirected to an unusable address {target[:200]!r}: {problem}")
    if target in seen:
        raise RedirectError(f"a redirect loop back to {target[:200]}")
    if len(seen) > policy.max_redirects:
        raise RedirectError(f"more than {policy.max_redirects} redirects")
    seen.add(target)
    return target


def failure(exc: BaseException, timeout: float) -> tuple[Verdict, str]:
    """The verdict and a short message for a request that got no usable answer."""
    if isinstance(exc, (httpx.TimeoutException, asyncio.TimeoutError)):
        return "timeout", f"no answer within {timeout:g} s"
    if isinstance(exc, RedirectError):
        return "error", str(exc)
    if isinstance(exc, httpx.ConnectError):
        return _connect_failure(exc)
    if isinstance(exc, UNUSABLE):
        return "error", f"unusable URL: {exc or type(exc).__name__}"
    return "error", f"{type(exc).__name__}: {exc}".rstrip(": ")


def _connect_failure(exc: BaseException) -> tuple[Verdict, str]:
    """Names that do not exist and refused connections are broken; other network trouble is an error."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, socket.gaierror):
            if cause.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
                return "broken", f"{NO_SUCH_HOST} ({cause.strerror})"
            return "error", f"name lookup failed ({cause.strerror})"
        if isinstance(cause, ConnectionRefusedError) or getattr(cause, "errno", None) == errno.ECONNREFUSED:
            return "broken", "connection refused"
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "broken", NO_SUCH_HOST
    if "Connection refused" in text or "[Errno 111]" in text:
        return "broken", "connection refused"
    return "error", f"cannot connect: {text or type(exc).__name__}"


