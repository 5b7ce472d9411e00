"""Probe many addresses at once (``emocat links``) under the one HTTP policy of :mod:`emocat.sources.http`.

The rules (retries, waits, redirects, verdicts, concurrency slots) are the policy's; this is only their
asynchronous transport: HEAD, and GET when a server refuses or mishandles HEAD.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from emocat.sources.http import (
    DROPPED,
    REDIRECT_STATUSES,
    UNUSABLE,
    USER_AGENT,
    Policy,
    RedirectError,
    Slots,
    Verdict,
    classify,
    failure,
    hold_location_async,
    location,
    next_hop,
    unusable,
    wait_hint,
)


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
        self.slots = Slots(policy)
        slots = max(1, policy.concurrency)
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(policy.timeout, pool=None),
            limits=httpx.Limits(max_connections=slots, max_keepalive_connections=slots),
            headers={"User-Agent": USER_AGENT, "Accept": "*/*", **(headers or {})},
            event_hooks={"response": [hold_location_async]},
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
        async with self.slots.host(url):
            attempt = 0
            while True:
                status: int | None = None
                try:
                    async with self.slots.overall:
                        status, final, hops, headers = await asyncio.wait_for(
                            self._head_or_get(url), timeout=self.policy.timeout * 3)
                except (httpx.HTTPError, RedirectError, asyncio.TimeoutError, *UNUSABLE) as exc:
                    if not isinstance(exc, DROPPED) or self.policy.after(attempt, None, None)[0] is None:
                        verdict, message = failure(exc, self.policy.timeout)
                        return Probe(url, verdict, retries=attempt, message=message)
                    hint = None
                else:
                    hint = wait_hint(headers)
                delay, refused = self.policy.after(attempt, status, hint)
                if delay is None and status is not None:
                    return Probe(url, classify(status), status, final, hops, attempt, refused)
                await asyncio.sleep(delay or 0.0)
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
