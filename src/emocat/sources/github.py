"""GitHub REST client for repository health (stars, last push, archived), aware of rate limits."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from emocat.errors import NetworkError
from emocat.sources.http import USER_AGENT, retry_after

DEFAULT_URL = "https://api.github.com"
URL_ENV = "EMOCAT_GITHUB_URL"
TOKEN_ENV = "GITHUB_TOKEN"

_REPO_URL = re.compile(r"^https?://(?:www\.)?github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)(?:\.git)?/?(?:[/?#].*)?$")
#: First path parts of github.com that are pages, not owners.
_NOT_OWNERS = frozenset({
    "about", "apps", "collections", "customer-stories", "enterprise", "events", "explore", "features",
    "marketplace", "orgs", "pricing", "settings", "site", "sponsors", "topics", "trending", "users",
})


def parse_repository(url: str) -> tuple[str, str] | None:
    """``https://github.com/owner/name/tree/main`` -> ``("owner", "name")``; None for other addresses."""
    match = _REPO_URL.match(url)
    if not match or match.group(1).lower() in _NOT_OWNERS or match.group(2) in (".", ".."):
        return None
    return match.group(1), match.group(2)


@dataclass(frozen=True)
class RepoInfo:
    """What GitHub says about one repository."""

    full_name: str
    stars: int
    pushed: dt.date | None
    archived: bool


class RepoNotFound(NetworkError):
    """GitHub has no such repository (deleted, renamed away, or private)."""


class GitHubStopped(NetworkError):
    """GitHub cannot be used for the rest of this run (unreachable or rate-limited); stop asking."""


class RateLimited(GitHubStopped):
    """GitHub refuses further queries for longer than we are willing to wait."""

    def __init__(self, message: str, reset: float | None = None) -> None:
        super().__init__(message)
        self.reset = reset


class GitHub:
    """A small client: ``repository(owner, name)``; waits out short rate limits, stops on long ones."""

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = (base_url or os.environ.get(URL_ENV) or DEFAULT_URL).rstrip("/")
        token = token if token is not None else os.environ.get(TOKEN_ENV)
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": USER_AGENT,
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = httpx.Client(headers=headers, timeout=timeout, follow_redirects=True)
        self.retries, self.backoff, self.max_wait = retries, backoff, max_wait
        self.sleep, self.clock = sleep, clock
        self.stopped: GitHubStopped | None = None

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def repository(self, owner: str, name: str) -> RepoInfo:
        """Stars, last push and archived state; raises RepoNotFound, GitHubStopped or NetworkError."""
        data = self._get_json(f"/repos/{owner}/{name}", f"{owner}/{name}")
        try:
            pushed = data.get("pushed_at")
            return RepoInfo(
                full_name=str(data.get("full_name") or f"{owner}/{name}"),
                stars=int(data["stargazers_count"]),
                pushed=dt.datetime.fromisoformat(pushed.replace("Z", "+00:00")).date() if pushed else None,
                archived=bool(data.get("archived", False)),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise NetworkError(f"GitHub gave an unexpected answer for {owner}/{name}: {exc!r}") from exc

    def _get_json(self, path: str, what: str) -> dict[str, Any]:
        if self.stopped is not None:
            raise self.stopped
        failures = waits = 0
        while True:
            try:
                response = self.client.get(self.base_url + path)
            except httpx.TimeoutException as exc:
                raise NetworkError(f"GitHub did not answer in time for {what}") from exc
            except httpx.TransportError as exc:
                self.stopped = GitHubStopped(f"cannot reach GitHub at {self.base_url}: {exc or type(exc).__name__}")
                raise self.stopped from exc
            code = response.status_code
            if code == 200:
                try:
                    data = response.json()
                except ValueError as exc:
                    raise NetworkError(f"GitHub answered {what} with something that is not JSON") from exc
                if not isinstance(data, dict):
                    raise NetworkError(f"GitHub answered {what} with something that is not an object")
                return data
            if code == 404:
                raise RepoNotFound(f"GitHub has no repository {what} (HTTP 404)")
            wait = self._rate_limit_wait(response)
            if wait is not None:
                waits += 1
                if waits > self.retries + 1:
                    raise self._stop(response, f"GitHub still refuses after {waits - 1} waits")
                self.sleep(wait)
                continue
            if code >= 500 and failures < self.retries:
                failures += 1
                self.sleep(self.backoff * 2 ** (failures - 1))
                continue
            raise NetworkError(f"GitHub answered HTTP {code} for {what}")

    def _rate_limit_wait(self, response: httpx.Response) -> float | None:
        """Seconds to wait before asking again when rate-limited (None if not); stop if longer than the cap."""
        if response.status_code not in (403, 429):
            return None
        headers = response.headers
        asked = retry_after(headers.get("Retry-After"), now=self.clock())
        if headers.get("X-RateLimit-Remaining") == "0":
            reset = _number(headers.get("X-RateLimit-Reset"))
            wait = reset - self.clock() + 1 if reset is not None else None
            if asked is not None:
                wait = asked
            if wait is None or wait > self.max_wait:
                raise self._stop(response, "GitHub API rate limit reached")
            return max(wait, 0.0)
        if asked is not None or response.status_code == 429:
            wait = asked if asked is not None else self.backoff
            if wait > self.max_wait:
                raise self._stop(response, "GitHub asks to slow down")
            return max(wait, 0.0)
        return None

    def _stop(self, response: httpx.Response, reason: str) -> RateLimited:
        reset = _number(response.headers.get("X-RateLimit-Reset"))
        when = ""
        if reset is not None:
            when = f"; it resets at {dt.datetime.fromtimestamp(reset, dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
        hint = "" if "Authorization" in self.client.headers else "; set GITHUB_TOKEN for a higher limit"
        limited = RateLimited(f"{reason} (HTTP {response.status_code}){when}{hint}", reset)
        self.stopped = limited
        return limited


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None
