"""The blocking HTTP client of the metadata sources (arXiv, Crossref, GitHub), under the one policy of sources.http."""

from __future__ import annotations

import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import httpx

from emocat.sources.http import (
    BLOCKED_STATUSES,
    DEFAULT_BACKOFF,
    DEFAULT_MAX_WAIT,
    DEFAULT_RETRIES,
    DROPPED,
    MAX_BODY,
    REDIRECT_STATUSES,
    UNUSABLE,
    USER_AGENT,
    NotFoundError,
    Policy,
    RedirectError,
    ServiceError,
    _hold_location,
    failure,
    location,
    next_hop,
    policy_of,
    reason,
    unusable,
    wait_hint,
)


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
            status: int | None = None
            hint: float | None = None
            try:
                status, body, answer_headers = self._follow(shown, headers, service)
            except ServiceError:
                raise
            except (httpx.HTTPError, RedirectError, *UNUSABLE) as exc:
                verdict, detail = failure(exc, policy.timeout)
                if verdict == "timeout":
                    error = ServiceError(f"{service} did not answer within {policy.timeout:g} s at {shown}",
                                         url=shown, verdict=verdict)
                else:
                    error = ServiceError(f"could not reach {service} at {shown}: {detail}", url=shown, verdict=verdict,
                                         unreachable=isinstance(exc, (httpx.ConnectError, *UNUSABLE)))
                if not isinstance(exc, DROPPED):
                    raise error from None
            else:
                if status < 400:
                    return body
                hint = wait_hint(answer_headers)
                error = _status_error(service, shown, status, attempt + 1, answer_headers)
            delay, refused = policy.after(attempt, status, hint)
            if refused:
                raise ServiceError(f"{error}; {refused}", url=shown, status=error.status, verdict=error.verdict,
                                   retry_in=hint, headers=error.headers)
            if delay is None:
                raise error
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
    except UNUSABLE:
        return f"{url}{'&' if '?' in url else '?'}{urlencode(dict(params))}"
