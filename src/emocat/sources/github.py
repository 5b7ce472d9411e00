"""GitHub REST client for repository health (stars, last push, archived), aware of rate limits."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

from emocat.errors import NetworkError
from emocat.sources.client import HttpClient, malformed
from emocat.sources.http import NotFoundError, ServiceError, policy_of, wait_hint

DEFAULT_URL = "https://api.github.com"
URL_ENV = "EMOCAT_GITHUB_URL"
TOKEN_ENV = "GITHUB_TOKEN"
SERVICE = "GitHub"
#: The most stars a repository is believed to have; a larger (or fractional, negative, textual) count is malformed.
MAX_STARS = 10**9
_FULL_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")

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
    """A small client: ``repository(owner, name)``; waits out short rate limits, stops on long ones.

    Requests, retries and waits follow the one HTTP policy (:mod:`emocat.sources.http`); a rate limit that
    outlasts ``max_wait`` stops the run instead of waiting.
    """

    def __init__(
        self,
        base_url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 10.0,
        retries: int = 2,
        backoff: float = 1.0,
        max_wait: float = 60.0,
        max_body: int = 1024 * 1024,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = (base_url or os.environ.get(URL_ENV) or DEFAULT_URL).rstrip("/")
        token = token if token is not None else os.environ.get(TOKEN_ENV)
        headers = {"X-GitHub-Api-Version": "2022-11-28"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.has_token = bool(token)
        self.http = HttpClient(policy=policy_of(timeout, retries, backoff, max_wait, max_body), headers=headers)
        self.clock = clock
        self.stopped: GitHubStopped | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> GitHub:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def repository(self, owner: str, name: str) -> RepoInfo:
        """Stars, last push and archived state; raises RepoNotFound, GitHubStopped or NetworkError."""
        if self.stopped is not None:
            raise self.stopped
        what = f"{owner}/{name}"
        address = f"{self.base_url}/repos/{owner}/{name}"
        try:
            body = self.http.get(address, service=SERVICE, accept="application/vnd.github+json")
        except NotFoundError:
            raise RepoNotFound(f"GitHub has no repository {what} (HTTP 404)") from None
        except ServiceError as exc:
            self._give_up(exc, what)
        return repo_info(body, what, address)

    def _give_up(self, exc: ServiceError, what: str) -> NoReturn:
        """Stop the run on a rate limit or an unreachable GitHub; otherwise fail this one lookup."""
        exhausted = (exc.headers.get("X-RateLimit-Remaining") or "").strip() == "0"
        if exc.status in (403, 429) and (exc.status == 429 or exhausted or exc.retry_in is not None
                                         or wait_hint(exc.headers, now=self.clock()) is not None):
            raise self._stop(exc) from None
        if exc.unreachable:
            self.stopped = GitHubStopped(f"cannot reach GitHub at {self.base_url}: {exc}")
            raise self.stopped from None
        raise NetworkError(f"GitHub lookup of {what} failed: {exc}") from None

    def _stop(self, exc: ServiceError) -> RateLimited:
        exhausted = (exc.headers.get("X-RateLimit-Remaining") or "").strip() == "0"
        reason = "GitHub API rate limit reached" if exhausted else "GitHub asks to slow down"
        wait = exc.retry_in if exc.retry_in is not None else wait_hint(exc.headers, now=self.clock())
        reset = self.clock() + wait if wait is not None else None
        when = ""
        if reset is not None and math.isfinite(reset) and wait is not None and wait <= 366 * 86_400:
            when = f"; it resets at {dt.datetime.fromtimestamp(reset, dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
        elif wait is not None:
            when = "; it asks to wait more than a year"
        hint = "" if self.has_token else "; set GITHUB_TOKEN for a higher limit"
        limited = RateLimited(f"{reason} (HTTP {exc.status}){when}{hint}", reset)
        self.stopped = limited
        return limited


def repo_info(body: bytes, what: str, where: str) -> RepoInfo:
    """Read ``/repos/{owner}/{name}``; anything outside the expected shapes and bounds is malformed."""
    try:
        data = json.loads(body, parse_constant=_not_json)
    except (ValueError, RecursionError) as exc:
        raise malformed(SERVICE, where, f"not JSON: {str(exc)[:100]}") from None
    if not isinstance(data, dict):
        raise malformed(SERVICE, where, "not a JSON object")
    stars = data.get("stargazers_count")
    if type(stars) is not int or not 0 <= stars <= MAX_STARS:
        raise malformed(SERVICE, where, f"stargazers_count is {_brief(stars)}, not a whole number from 0 to {MAX_STARS}")
    archived = data.get("archived", False)
    if not isinstance(archived, bool):
        raise malformed(SERVICE, where, f"archived is {_brief(archived)}, not true or false")
    full_name = data.get("full_name") or what
    if not isinstance(full_name, str) or not _FULL_NAME.fullmatch(full_name):
        raise malformed(SERVICE, where, f"full_name is {_brief(full_name)}, not owner/name")
    return RepoInfo(full_name=full_name, stars=stars, pushed=_pushed(data.get("pushed_at"), where), archived=archived)


def _pushed(value: Any, where: str) -> dt.date | None:
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) > 40:
            raise ValueError
        pushed = dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        raise malformed(SERVICE, where, f"pushed_at is {_brief(value)}, not a date and time") from None
    if not dt.date(2000, 1, 1) <= pushed <= dt.date.today() + dt.timedelta(days=2):
        raise malformed(SERVICE, where, f"pushed_at {pushed} is not a plausible date")
    return pushed


def _not_json(constant: str) -> NoReturn:
    raise ValueError(f"{constant} is not a JSON number")


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
