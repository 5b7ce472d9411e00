"""Check every URL of the catalog concurrently and classify it without crying wolf."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from emocat.catalog.loader import Catalog, Locator, load, parse_path
from emocat.catalog.models import KINDS
from emocat.errors import CatalogError, EmocatError, NetworkError, Problem, Severity, UsageError
from emocat.sources.http import NO_SUCH_HOST, Policy, reason
from emocat.sources.probe import AsyncHttp, Probe
from emocat.store.files import atomic_write

Status = Literal["ok", "redirect", "broken", "blocked", "timeout", "error"]
STATUSES: tuple[Status, ...] = ("ok", "redirect", "broken", "blocked", "timeout", "error")

DEFAULT_CONCURRENCY = 16
DEFAULT_PER_HOST = 4
DEFAULT_TIMEOUT = 10.0
CACHE_FILE = Path(".emocat-cache") / "links.json"
CACHE_VERSION = 1
DAY = 86_400.0
#: How long a result stays fresh in the cache: good answers for a week, failures for a day.
TTL: dict[str, float] = {
    "ok": 7 * DAY,
    "redirect": 7 * DAY,
    "blocked": 1 * DAY,
    "broken": 1 * DAY,
    "timeout": 1 * DAY,
    "error": 1 * DAY,
}
PERMANENT = frozenset({301, 308})


@dataclass
class LinkResult:
    """The verdict on one URL, and every entry field that uses it."""

    url: str
    status: Status
    code: int | None = None
    final_url: str | None = None
    message: str = ""
    suggestion: str | None = None
    entries: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)
    checked: float = 0.0
    cached: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "status": self.status,
            "code": self.code,
            "final_url": self.final_url,
            "suggestion": self.suggestion,
            "message": self.message,
            "entries": self.entries,
            "fields": self.fields,
            "cached": self.cached,
        }


@dataclass
class LinkReport:
    """All results of one run, sorted by URL."""

    results: list[LinkResult]
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def broken(self) -> list[LinkResult]:
        return [r for r in self.results if r.status == "broken"]

    def counts(self) -> dict[str, int]:
        return {status: sum(1 for r in self.results if r.status == status) for status in STATUSES}

    @property
    def from_cache(self) -> int:
        return sum(1 for r in self.results if r.cached)


Progress = Callable[[LinkResult, int, int], None]


@dataclass(frozen=True)
class Settings(Policy):
    """The HTTP policy of one run (:class:`~emocat.sources.http.Policy`) with defaults for link checking."""

    concurrency: int = DEFAULT_CONCURRENCY
    per_host: int = DEFAULT_PER_HOST
    timeout: float = DEFAULT_TIMEOUT
    retries: int = 2


def collect_urls(catalog: Catalog, only: Iterable[str] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Map each URL to the sorted (entry id, field) pairs that use it (all entries, or those in ``only``)."""
    wanted = set(only) if only is not None else None
    found: dict[str, set[tuple[str, str]]] = {}
    for entry in catalog.entries():
        if wanted is not None and entry.id not in wanted:
            continue
        for field_path, url in entry.urls():
            found.setdefault(url, set()).add((entry.id, field_path))
    return {url: sorted(found[url]) for url in sorted(found)}


def changed_entries(root: Path, revision: str) -> set[str]:
    """Ids of entries whose files differ from ``revision`` (committed, staged, unstaged or untracked)."""
    root = Path(root)

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
        except FileNotFoundError:
            raise UsageError("--changed-since needs git, and git was not found on PATH") from None

    if git("rev-parse", "--is-inside-work-tree").returncode != 0:
        raise UsageError(f"--changed-since: {root} is not inside a git repository")
    if git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode != 0:
        raise UsageError(f"--changed-since: unknown git revision {revision!r}")
    diff = git("diff", "--name-only", "--relative", revision, "--", ".")
    if diff.returncode != 0:
        raise UsageError(f"--changed-since: git diff failed: {diff.stderr.strip()}")
    untracked = git("ls-files", "--others", "--exclude-standard", "--", ".")
    ids = set()
    for name in diff.stdout.splitlines() + untracked.stdout.splitlines():
        parts = Path(name).parts
        if len(parts) == 2 and parts[0] in KINDS and parts[1].endswith(".yaml"):
            ids.add(parts[1][: -len(".yaml")])
    return ids


def check_links(
    root: Path | str,
    *,
    changed_since: str | None = None,
    json_file: Path | str | None = None,
    cache_file: Path | str | None = CACHE_FILE,
    settings: Settings | None = None,
    progress: Progress | None = None,
    now: Callable[[], float] = time.time,
) -> LinkReport:
    """Check the catalog's URLs (fresh cached verdicts are reused), write the JSON report if asked."""
    root = Path(root)
    settings = settings or Settings()
    if settings.concurrency < 1 or settings.per_host < 1:
        raise UsageError("--concurrency must be at least 1")
    catalog, problems = load(root)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise CatalogError(errors)
    only = changed_entries(root, changed_since) if changed_since is not None else None
    urls = collect_urls(catalog, only)

    cache = LinkCache(Path(cache_file)) if cache_file is not None else None
    warnings = cache.load(now()) if cache is not None else []
    results: dict[str, LinkResult] = {}
    todo: list[str] = []
    for url in urls:
        hit = cache.get(url) if cache is not None else None
        if hit is not None:
            results[url] = hit
        else:
            todo.append(url)

    total = len(urls)
    done = 0
    for url in urls:
        if url in results and progress is not None:
            done += 1
            progress(_with_users(results[url], urls[url]), done, total)

    def finished(result: LinkResult) -> None:
        nonlocal done
        done += 1
        results[result.url] = result
        if progress is not None:
            progress(_with_users(result, urls[result.url]), done, total)

    fresh = asyncio.run(check_urls(todo, settings, on_result=finished, now=now)) if todo else []
    _refuse_if_offline(fresh)
    if cache is not None:
        for result in fresh:
            cache.put(result)
        cache.save()
    ordered = [_with_users(results[url], urls[url]) for url in urls]
    report = LinkReport(ordered, link_problems(catalog, ordered, urls), warnings)
    if json_file is not None:
        write_json(report, Path(json_file))
    return report


def _refuse_if_offline(results: list[LinkResult]) -> None:
    """When no host answered at all and names did not resolve, the network is down: say so, record nothing."""
    hosts = {urlsplit(r.url).hostname for r in results}
    unresolved = {urlsplit(r.url).hostname for r in results if r.message.startswith(NO_SUCH_HOST)}
    answered = any(r.code is not None or "refused" in r.message for r in results)
    if len(hosts) >= 2 and unresolved and not answered:
        raise NetworkError(
            f"none of the {len(hosts)} hosts answered and {len(unresolved)} could not be resolved; "
            "is this machine offline? nothing was recorded"
        )


def _with_users(result: LinkResult, users: list[tuple[str, str]]) -> LinkResult:
    result.entries = sorted({entry_id for entry_id, _ in users})
    result.fields = [f"{entry_id}: {field_path}" for entry_id, field_path in users]
    return result


def link_problems(
    catalog: Catalog, results: list[LinkResult], urls: dict[str, list[tuple[str, str]]]
) -> list[Problem]:
    """One located problem per use of a URL that is not ``ok``: broken is an error, the rest warnings."""
    locator = Locator()
    problems = []
    for result in results:
        if result.status == "ok":
            continue
        severity = Severity.ERROR if result.status == "broken" else Severity.WARNING
        message = f"{result.url} is {result.status}"
        if result.message:
            message += f": {result.message}"
        if result.suggestion:
            message += f"; update it to {result.suggestion}"
        for entry_id, field_path in urls[result.url]:
            loc = parse_path(field_path)
            rule = f"link-{result.status}"
            problems.append(locator.problem(catalog.path_of(entry_id), loc, message, rule, severity))
    return sorted(problems)


def write_json(report: LinkReport, path: Path) -> None:
    """Write the report as a JSON list, one object per URL, atomically."""
    data = [result.as_dict() for result in report.results]
    atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


class LinkCache:
    """Verdicts by URL in a JSON file, each with the time it was checked; stale ones are dropped on load."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}

    def load(self, now: float) -> list[str]:
        """Read the file, keep fresh verdicts; return warnings (an unreadable cache is started afresh)."""
        if not self.path.exists():
            return []
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
                raise ValueError("unknown format")
            items = data["results"]
            if not isinstance(items, dict):
                raise ValueError("unknown format")
        except (OSError, ValueError, KeyError) as exc:
            return [f"{self.path}: unreadable link cache ({exc}); every URL is checked again"]
        for url, item in items.items():
            try:
                status, checked = item["status"], float(item["checked"])
            except (KeyError, TypeError, ValueError):
                continue
            if status in TTL and 0 <= now - checked < TTL[status]:
                self.entries[url] = item
        return []

    def get(self, url: str) -> LinkResult | None:
        item = self.entries.get(url)
        if item is None:
            return None
        return LinkResult(
            url=url,
            status=item["status"],
            code=item.get("code"),
            final_url=item.get("final_url"),
            message=item.get("message", ""),
            suggestion=item.get("suggestion"),
            checked=float(item["checked"]),
            cached=True,
        )

    def put(self, result: LinkResult) -> None:
        self.entries[result.url] = {
            "status": result.status,
            "code": result.code,
            "final_url": result.final_url,
            "message": result.message,
            "suggestion": result.suggestion,
            "checked": result.checked,
        }

    def save(self) -> None:
        data = {"version": CACHE_VERSION, "results": {url: self.entries[url] for url in sorted(self.entries)}}
        try:
            atomic_write(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise EmocatError(f"cannot write the link cache {self.path}: {exc}") from exc


async def check_urls(
    urls: Iterable[str],
    settings: Settings | None = None,
    *,
    on_result: Callable[[LinkResult], None] | None = None,
    now: Callable[[], float] = time.time,
) -> list[LinkResult]:
    """Check URLs concurrently under the HTTP policy: at most ``concurrency`` at once and ``per_host`` per host."""
    settings = settings or Settings()
    async with AsyncHttp(settings) as http:

        async def one(url: str) -> LinkResult:
            result = _verdict(await http.probe(url))
            result.checked = now()
            if on_result is not None:
                on_result(result)
            return result

        return list(await asyncio.gather(*(one(url) for url in urls)))


def _verdict(probe: Probe) -> LinkResult:
    """A link status from the policy's verdict; a working address reached through redirects is a redirect."""
    url, code, final, hops = probe.url, probe.status, probe.final_url, probe.hops
    if code is None:
        return LinkResult(url, probe.verdict, message=probe.message)
    moved = final != url and bool(hops)
    tried = f" after {probe.retries} retr{'y' if probe.retries == 1 else 'ies'}" if probe.retries else ""
    extra = f"; {probe.message}" if probe.message else ""
    if probe.verdict == "ok":
        if not moved:
            return LinkResult(url, "ok", code, final)
        permanent = all(hop in PERMANENT for hop in hops)
        kind = "permanent" if permanent else "temporary"
        return LinkResult(
            url,
            "redirect",
            code,
            final,
            message=f"{kind} redirect ({' -> '.join(map(str, hops))}) to {final}",
            suggestion=final if permanent else None,
        )
    via = f" (redirected to {final})" if moved else ""
    if probe.verdict == "blocked":
        return LinkResult(url, "blocked", code, final, message=f"HTTP {code}: reachable but refusing robots{tried}{via}{extra}")
    return LinkResult(url, probe.verdict, code, final, message=f"HTTP {reason(code)}{tried}{via}{extra}")
