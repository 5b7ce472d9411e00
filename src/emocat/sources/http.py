"""A small HTTP layer shared by the source clients: timeouts, bounded retries, one clear error.

Every request goes through :class:`HttpClient`. It retries a 429 or a 5xx answer, a timeout and a
refused connection with exponential back-off (``backoff * 2**attempt`` seconds), honours a
``Retry-After`` header up to ``max_wait`` seconds, caps the size of a body, and turns every failure
into a :class:`emocat.errors.NetworkError` whose message says which service failed, how, and at
which address. 401, 403 and a 429 that persists are reported as "blocked" (the service refuses us;
the address is probably fine), which link checkers and enrichers need to tell apart from "broken".
"""

from __future__ import annotations

import email.utils
import math
import os
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

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

BLOCKED_STATUSES = frozenset({401, 403, 429})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ServiceError(NetworkError):
    """A service answered with an error status (or not at all); ``status`` is None without an answer."""

    def __init__(self, message: str, *, url: str, status: int | None = None, blocked: bool = False) -> None:
        super().__init__(message)
        self.url = url
        self.status = status
        self.blocked = blocked


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


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait by a ``Retry-After`` header (seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus

        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


class HttpClient:
    """GET with timeouts and bounded retries; use as a context manager or call :meth:`close`.

    ``timeout`` (seconds) defaults to ``EMOCAT_HTTP_TIMEOUT`` or 30; ``retries`` is the number of
    extra attempts after the first; ``backoff`` is the first back-off delay in seconds (tests pass a
    small one); no single wait exceeds ``max_wait``, and a ``Retry-After`` beyond it is not waited for.
    """

    def __init__(
        self,
        *,
        timeout: float | None = None,
        retries: int = DEFAULT_RETRIES,
        backoff: float = DEFAULT_BACKOFF,
        max_wait: float = DEFAULT_MAX_WAIT,
        headers: Mapping[str, str] | None = None,
        max_body: int = MAX_BODY,
    ) -> None:
        self.timeout = timeout_from_env() if timeout is None else timeout
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.max_wait = max(0.0, max_wait)
        self.max_body = max_body
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.timeout),
            headers={"User-Agent": USER_AGENT, **(headers or {})},
            follow_redirects=True,
        )

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
        headers = {"Accept": accept} if accept else {}
        shown = describe_params(url, params)
        attempt = timeouts = 0
        while True:
            status: int | None = None
            wait_hint: float | None = None
            try:
                status, body, wait_hint = self._once(url, params, headers, service, shown)
            except httpx.TimeoutException:
                failure = ServiceError(f"{service} did not answer within {self.timeout:g} s at {shown}",
                                       url=shown)
                timeouts += 1
            except httpx.HTTPError as exc:
                failure = ServiceError(f"could not reach {service} at {shown}: {_describe(exc)}", url=shown)
            else:
                if status < 400:
                    return body
                failure = _status_error(service, shown, status, attempt + 1)
                if status not in RETRY_STATUSES:
                    raise failure
            if attempt >= self.retries or timeouts > 1:  # a slow server gets one second chance, not several
                raise failure
            delay = min(self.backoff * 2**attempt, self.max_wait)
            if wait_hint is not None:
                if wait_hint > self.max_wait:
                    raise ServiceError(
                        f"{failure}; it asks to retry after {wait_hint:g} s, "
                        f"longer than emocat waits ({self.max_wait:g} s)",
                        url=shown, status=status, blocked=status in BLOCKED_STATUSES,
                    )
                delay = max(delay, wait_hint)
            time.sleep(delay)
            attempt += 1

    def _once(self, url: str, params: Mapping[str, str] | None, headers: dict[str, str], service: str,
              shown: str) -> tuple[int, bytes, float | None]:
        deadline = time.monotonic() + self.timeout
        with self._client.stream("GET", url, params=params, headers=headers) as response:
            if response.status_code >= 400:
                return response.status_code, b"", retry_after(response.headers.get("Retry-After"))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_body:
                    message = f"{service} sent more than {self.max_body} bytes at {shown}"
                    raise ServiceError(message, url=shown)
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("the answer took too long", request=response.request)
                chunks.append(chunk)
            return response.status_code, b"".join(chunks), None


def _status_error(service: str, url: str, status: int, attempts: int) -> ServiceError:
    tries = f" after {attempts} attempt{'s' if attempts != 1 else ''}" if attempts > 1 else ""
    if status == 404:
        return NotFoundError(f"{service} has no such record (HTTP 404) at {url}", url=url, status=status)
    if status in BLOCKED_STATUSES:
        return ServiceError(f"{service} blocked the request (HTTP {_reason(status)}{tries}) at {url}",
                            url=url, status=status, blocked=True)
    return ServiceError(f"{service} failed (HTTP {_reason(status)}{tries}) at {url}", url=url, status=status)


def _describe(exc: httpx.HTTPError) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def malformed(service: str, url: str, detail: str) -> ServiceError:
    """The error for an answer that cannot be understood."""
    return ServiceError(f"{service} sent a malformed answer ({detail}) at {url}", url=url)


def describe_params(url: str, params: Mapping[str, Any] | None) -> str:
    """``url?a=b`` as it is requested, for messages."""
    return str(httpx.URL(url, params=dict(params or {})))
