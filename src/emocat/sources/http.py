"""The one HTTP policy of emocat: timeouts, bounded concurrency, retries, redirects, and one verdict per answer.

Every request emocat makes goes through :class:`HttpClient` (the arXiv, Crossref and GitHub clients) or
:class:`AsyncHttp` (``emocat links``), and both follow the rules of one :class:`Policy`:

- each request has a timeout; a slow server is not asked again (it would only double the wait);
- a 429 or 5xx answer (and a 403 that says when to come back) is retried up to ``retries`` times with
  exponential back-off (``backoff * 2**attempt`` seconds), or after the wait the server asks for in
  ``Retry-After`` or ``X-RateLimit-Reset`` when that is longer; no wait exceeds ``max_wait``, and an
  answer asking for more is final (emocat does not wait an hour); ``nan``, infinite or garbage values are
  ignored;
- redirects are followed by hand, at most ``max_redirects``: a loop, a non-http(s) target or an address
  that cannot be requested ends the request with a message, never an exception from the HTTP library;
- a body larger than ``max_body`` bytes is refused;
- the verdict: ``ok``; ``blocked`` for 401, 403 and 429 (the service refuses us; the address is probably
  fine); ``broken`` for 404, 410, a 5xx that persists, a name that does not exist and a refused connection;
  ``timeout``; ``error`` for anything else (an unusable address, a redirect loop, another 4xx).
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
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

from emocat import __version__
from emocat.errors import NetworkError

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
_DROPPED = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)
#: What the HTTP library raises for an address it cannot request (IDNA errors are ValueErrors).
_UNUSABLE = (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError, OverflowError)


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
    except _UNUSABLE as exc:
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


async def _hold_location_async(response: httpx.Response) -> None:
    _hold_location(response)


def location(response: httpx.Response) -> str | None:
    """The Location of a redirect answer, as the server sent it."""
    held = response.extensions.get(_LOCATION)
    return held if isinstance(held, str) else response.headers.get("Location")


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
    if isinstance(exc, _UNUSABLE):
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


class HttpClient:
    """Synchronous GET under a :class:`Policy`; use as a context manager or call :meth:`close`.

    Knobs may be given one by one (``timeout`` defaults to ``EMOCAT_HTTP_TIMEOUT`` or 30) or as ``policy``.
    """

    def __init__(self, *, timeout: float | None = None, retries: int = DEFAULT_RETRIES,
                 backoff: float = DEFAULT_BACKOFF, max_wait: float = DEFAULT_MAX_WAIT,
                 headers: Mapping[str, str] | None = None, max_body: int = MAX_BODY,
                 policy: Policy | None = None) -> None:
        self.policy = policy or policy_of(timeout, retries, backoff, max_wait, max_body)
        self.timeout, self.max_wait = self.policy.timeout, self.policy.max_wait
        self.headers = {"User-Agent": USER_AGENT, **(headers or {})}
        self._client = httpx.Client(timeout=httpx.Timeout(self.policy.timeout), headers=self.headers,
                                    event_hooks={"response": [_hold_location]})

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(self, url: str, *, params: Mapping[str, str] | None = None, service: str = "the server",
            accept: str | None = None) -> bytes:
        """Return the body of a successful GET of ``url``; raise :class:`ServiceError` otherwise."""
        policy = self.policy
        headers = {"Accept": accept} if accept else {}
        shown = describe_params(url, params)
        problem = unusable(shown)
        if problem:
            raise ServiceError(f"cannot ask {service}: {shown} is not a usable address ({problem})", url=shown,
                               unreachable=True)
        attempt = 0
        while True:
            hint: float | None = None
            try:
                status, body, answer_headers = self._follow(shown, headers, service)
            except ServiceError:
                raise
            except (httpx.HTTPError, RedirectError, *_UNUSABLE) as exc:
                verdict, detail = failure(exc, policy.timeout)
                if verdict == "timeout":
                    detail = f"did not answer within {policy.timeout:g} s"
                    error = ServiceError(f"{service} {detail} at {shown}", url=shown, verdict=verdict)
                else:
                    error = ServiceError(f"could not reach {service} at {shown}: {detail}", url=shown,
                                         verdict=verdict, unreachable=isinstance(exc, (httpx.ConnectError, *_UNUSABLE)))
                if not isinstance(exc, _DROPPED) or attempt >= policy.retries:
                    raise error from None
            else:
                if status < 400:
                    return body
                hint = wait_hint(answer_headers)
                error = _status_error(service, shown, status, attempt + 1, answer_headers)
                if not policy.retryable(status, hint) or attempt >= policy.retries:
                    raise error
            delay = policy.delay(attempt, hint)
            if delay is None:
                raise ServiceError(
                    f"{error}; it asks to retry after {hint:g} s, longer than emocat waits ({policy.max_wait:g} s)",
                    url=shown, status=error.status, verdict=error.verdict, retry_in=hint, headers=error.headers)
            time.sleep(delay)
            attempt += 1

    def _follow(self, url: str, headers: dict[str, str], service: str) -> tuple[int, bytes, httpx.Headers]:
        """One attempt: follow redirects by hand, read the body within the timeout and size cap."""
        seen = {url}
        deadline = time.monotonic() + self.policy.timeout * 3
        while True:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code in REDIRECT_STATUSES:
                    url = next_hop(url, location(response), seen, self.policy)
                    continue
                if response.status_code >= 400:
                    return response.status_code, b"", response.headers
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.policy.max_body:
                        raise ServiceError(f"{service} sent more than {self.policy.max_body} bytes at {url}",
                                           url=url)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("the answer took too long", request=response.request)
                    chunks.append(chunk)
                return response.status_code, b"".join(chunks), response.headers


def _status_error(service: str, url: str, status: int, attempts: int, headers: httpx.Headers) -> ServiceError:
    tries = f" after {attempts} attempt{'s' if attempts != 1 else ''}" if attempts > 1 else ""
    if status == 404:
        return NotFoundError(f"{service} has no such record (HTTP 404) at {url}", url=url, status=status,
                             headers=headers)
    if status in BLOCKED_STATUSES:
        return ServiceError(f"{service} blocked the request (HTTP {reason(status)}{tries}) at {url}",
                            url=url, status=status, headers=headers)
    return ServiceError(f"{service} failed (HTTP {reason(status)}{tries}) at {url}", url=url, status=status,
                        headers=headers)


def malformed(service: str, url: str, detail: str) -> ServiceError:
    """The error for an answer that cannot be understood."""
    return ServiceError(f"{service} sent a malformed answer ({detail}) at {url}", url=url)


def describe_params(url: str, params: Mapping[str, Any] | None) -> str:
    """``url?a=b`` as it is requested, for messages."""
    if not params:
        return url
    try:
        return str(httpx.URL(url, params=dict(params)))
    except _UNUSABLE:
        return f"{url}{'&' if '?' in url else '?'}{urlencode(dict(params))}"


@dataclass
class Probe:
    """What became of one address: the verdict, the final status and address, the redirects, the retries."""

    url: str
    verdict: Verdict
    status: int | None = None
    final_url: str | None = None
    hops: tuple[int, ...] = ()
    retries: int = 0
    message: str = ""


class AsyncHttp:
    """Probes many addresses at once: at most ``concurrency`` requests, ``per_host`` per host; waits free a slot."""

    def __init__(self, policy: Policy, headers: Mapping[str, str] | None = None) -> None:
        self.policy = policy
        self._overall = asyncio.Semaphore(max(1, policy.concurrency))
        self._hosts: dict[str, asyncio.Semaphore] = {}
        slots = max(1, policy.concurrency)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(policy.timeout, pool=None),
            limits=httpx.Limits(max_connections=slots, max_keepalive_connections=slots),
            headers={"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})},
            event_hooks={"response": [_hold_location_async]},
        )

    async def __aenter__(self) -> AsyncHttp:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    async def probe(self, url: str) -> Probe:
        """HEAD ``url`` (GET when HEAD is refused), with the policy's redirects and retries; never raises."""
        problem = unusable(url)
        if problem:
            return Probe(url, "error", message=f"unusable URL: {problem}")
        host = (urlsplit(url).hostname or "").lower()
        per_host = self._hosts.setdefault(host, asyncio.Semaphore(max(1, self.policy.per_host)))
        async with per_host:
            attempt = 0
            while True:
                try:
                    async with self._overall:
                        status, final, hops, headers = await asyncio.wait_for(
                            self._head_or_get(url), timeout=self.policy.timeout * 3)
                except (httpx.HTTPError, RedirectError, asyncio.TimeoutError, *_UNUSABLE) as exc:
                    if not isinstance(exc, _DROPPED) or attempt >= self.policy.retries:
                        verdict, message = failure(exc, self.policy.timeout)
                        return Probe(url, verdict, retries=attempt, message=message)
                    await asyncio.sleep(self.policy.delay(attempt, None) or 0.0)
                    attempt += 1
                    continue
                hint = wait_hint(headers)
                if not self.policy.retryable(status, hint) or attempt >= self.policy.retries:
                    return Probe(url, classify(status), status, final, hops, attempt)
                delay = self.policy.delay(attempt, hint)
                if delay is None:
                    message = f"it asks to retry after {hint:g} s, longer than emocat waits ({self.policy.max_wait:g} s)"
                    return Probe(url, classify(status), status, final, hops, attempt, message)
                await asyncio.sleep(delay)
                attempt += 1

    async def _head_or_get(self, url: str) -> tuple[int, str, tuple[int, ...], httpx.Headers]:
        """HEAD; after an answer of 400 or more (but not 429, which is waited out) ask again with GET."""
        found = await self._follow("HEAD", url)
        if found[0] >= 400 and found[0] != 429:
            found = await self._follow("GET", url)
        return found

    async def _follow(self, method: str, url: str) -> tuple[int, str, tuple[int, ...], httpx.Headers]:
        seen, current = {url}, url
        hops: list[int] = []
        while True:
            async with self._client.stream(method, current) as response:  # the body is never read
                if response.status_code not in REDIRECT_STATUSES:
                    return response.status_code, current, tuple(hops), response.headers
                hops.append(response.status_code)
                current = next_hop(current, location(response), seen, self.policy)
