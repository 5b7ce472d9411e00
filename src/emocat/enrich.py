"""Fill missing paper metadata from arXiv and record repository health from GitHub, file by file."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from emocat import clock
from emocat.catalog.loader import Catalog, load
from emocat.catalog.models import Entry, Paper, Repository
from emocat.errors import CatalogError, NetworkError, Severity, UsageError
from emocat.sources import arxiv
from emocat.sources.client import HttpClient
from emocat.sources.github import GitHub, GitHubStopped, parse_repository
from emocat.store.comments import carry
from emocat.store.files import atomic_write
from emocat.store.writer import dump_entry

Service = Literal["arxiv", "github"]
SERVICES: tuple[Service, ...] = ("arxiv", "github")
#: Paper fields arXiv can fill, in the order they are reported.
ARXIV_FIELDS = ("authors", "year", "month", "venue", "abstract")


@dataclass(frozen=True)
class Change:
    """One field of one entry: the value it had and the value the source gives."""

    entry: str
    field: str
    old: Any
    new: Any

    def describe(self, width: int = 60) -> str:
        return f"{self.entry}: {self.field}: {_short(self.old, width)} -> {_short(self.new, width)}"

    def describe_kept(self, width: int = 60) -> str:
        return f"{self.entry}: {self.field}: {_short(self.old, width)} (source says {_short(self.new, width)})"


@dataclass
class EnrichReport:
    """What a run changed (or would change), kept, failed to look up, and why it stopped early."""

    changes: list[Change] = field(default_factory=list)
    kept: list[Change] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.failures and not self.stopped


@dataclass
class _Lookups:
    """Values offered per entry and field, and the entries whose lookup failed."""

    offers: dict[str, dict[str, Any]] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)
    stopped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def offer(self, entry_id: str, name: str, value: Any) -> None:
        self.offers.setdefault(entry_id, {})[name] = value

    def fail(self, entry_id: str, message: str) -> None:
        self.failed.setdefault(entry_id, []).append(message)


def enrich(
    root: Path | str,
    *,
    only: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    today: dt.date | None = None,
    http: HttpClient | None = None,
    github: GitHub | None = None,
    batch_size: int = arxiv.BATCH_SIZE,
    pause: float = arxiv.PAUSE,
) -> EnrichReport:
    """Look entries up and write what is missing; curated values stay unless ``force``.

    An entry any of whose lookups failed is left untouched. Repository health (stars, last push,
    archived, date checked) is an observation, so it is always refreshed.
    """
    if only is not None and only not in SERVICES:
        raise UsageError(f"--only takes one of {', '.join(SERVICES)}, not {only!r}")
    catalog, problems = load(root)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise CatalogError(errors)
    lookups = _Lookups()
    if only in (None, "arxiv"):
        own = http is None
        client = http or HttpClient()
        try:
            _from_arxiv(catalog, lookups, client, batch_size, pause)
        finally:
            if own:
                client.close()
    if only in (None, "github"):
        own = github is None
        hub = github or GitHub()
        try:
            _from_github(catalog, lookups, hub, today or clock.today())
        finally:
            if own:
                hub.close()
    return _apply(catalog, lookups, dry_run=dry_run, force=force)


def _from_arxiv(catalog: Catalog, lookups: _Lookups, client: HttpClient, batch_size: int, pause: float) -> None:
    papers = sorted((p for p in catalog.papers.values() if p.arxiv), key=lambda p: p.id)
    by_id: dict[str, list[Paper]] = {}
    for paper in papers:
        by_id.setdefault(str(paper.arxiv), []).append(paper)
    ids = list(by_id)
    size = max(1, batch_size)
    for start in range(0, len(ids), size):
        if start and pause > 0:
            time.sleep(pause)
        batch = ids[start : start + size]
        try:
            records = {_arxiv_key(record.id): record for record in arxiv.fetch(batch, client=client, pause=0)}
        except NetworkError as exc:
            for arxiv_id in batch:
                for paper in by_id[arxiv_id]:
                    lookups.fail(paper.id, f"arXiv lookup failed: {exc}")
            continue
        for arxiv_id in batch:
            record = records.get(_arxiv_key(arxiv_id))
            for paper in by_id[arxiv_id]:
                if record is None:
                    lookups.fail(paper.id, f"arXiv has no paper with the id {arxiv_id}")
                    continue
                offered: dict[str, Any] = {
                    "authors": list(record.authors),
                    "year": record.published.year,
                    "month": record.published.month,
                    "venue": record.journal_ref or "arXiv",
                    "abstract": record.abstract,
                }
                for name in ARXIV_FIELDS:
                    if offered[name] not in (None, "", []):
                        lookups.offer(paper.id, name, offered[name])


def _arxiv_key(identifier: str) -> str:
    """arXiv answers ``math/0309136`` for ``math.GT/0309136``: compare old-style ids without the subject class."""
    return re.sub(r"^([a-z-]+)\.[A-Za-z]{2}/", r"\1/", identifier)


def _from_github(catalog: Catalog, lookups: _Lookups, hub: GitHub, today: dt.date) -> None:
    users: dict[tuple[str, str], list[Entry]] = {}
    for entry in sorted(catalog.entries(), key=lambda e: e.id):
        if "repository" not in type(entry).model_fields or not entry.links.code:
            continue
        repo = parse_repository(entry.links.code)
        if repo is not None:
            users.setdefault((repo[0].lower(), repo[1].lower()), []).append(entry)
    pending = sorted(users)
    for index, key in enumerate(pending):
        entries = users[key]
        owner, name = parse_repository(str(entries[0].links.code)) or key
        try:
            info = hub.repository(owner, name)
        except GitHubStopped as exc:
            left = sum(len(users[k]) for k in pending[index:])
            lookups.stopped.append(f"{exc}; {left} entr{'y' if left == 1 else 'ies'} not checked")
            return
        except NetworkError as exc:
            for entry in entries:
                lookups.fail(entry.id, str(exc))
            continue
        record = Repository(stars=info.stars, pushed=info.pushed, archived=info.archived, checked=today)
        for entry in entries:
            lookups.offer(entry.id, "repository", record)
            if info.full_name.lower() != f"{owner}/{name}".lower():
                lookups.notes.append(f"{entry.id}: links.code: GitHub says the repository is now {info.full_name}")


def _apply(catalog: Catalog, lookups: _Lookups, *, dry_run: bool, force: bool) -> EnrichReport:
    report = EnrichReport(dry_run=dry_run, stopped=list(lookups.stopped), notes=list(lookups.notes))
    for entry_id in sorted(lookups.failed):
        for message in lookups.failed[entry_id]:
            report.failures.append((entry_id, message))
    for entry_id in sorted(lookups.offers):
        if entry_id in lookups.failed:
            continue
        entry = catalog.get(entry_id)
        if entry is None:
            continue
        updates: dict[str, Any] = {}
        changes: list[Change] = []
        for name, new in lookups.offers[entry_id].items():
            old = getattr(entry, name)
            if isinstance(new, Repository):
                found = _repository_changes(entry_id, old, new)
                if found:
                    updates[name] = new
                    changes += found
            elif old == new:
                continue
            elif old in (None, "", []) or force:
                updates[name] = new
                changes.append(Change(entry_id, name, old, new))
            else:
                report.kept.append(Change(entry_id, name, old, new))
        if not updates:
            continue
        updated, rejected = _validated(entry, updates)
        for name, message in rejected:
            report.failures.append((entry_id, f"the value offered for {name} does not fit: {message}"))
            changes = [c for c in changes if c.field.split(".")[0] != name]
        if updated is None or not changes:
            continue
        report.changes += changes
        path = catalog.path_of(entry_id)
        if not dry_run:
            atomic_write(path, carry(path.read_bytes().decode("utf-8"), dump_entry(updated)))
            report.written.append(path)
    return report


def _repository_changes(entry_id: str, old: Repository | None, new: Repository) -> list[Change]:
    before = old or Repository()
    return [
        Change(entry_id, f"repository.{name}", getattr(before, name), getattr(new, name))
        for name in ("stars", "pushed", "archived", "checked")
        if getattr(before, name) != getattr(new, name)
    ]


def _validated(entry: Entry, updates: dict[str, Any]) -> tuple[Entry | None, list[tuple[str, str]]]:
    """The entry with ``updates`` applied and re-validated; fields whose value does not fit are dropped."""
    rejected: list[tuple[str, str]] = []
    for _ in range(len(updates) + 1):
        data = entry.model_dump(mode="python", exclude_none=True)
        data.update({k: v.model_dump(exclude_none=True) if isinstance(v, Repository) else v for k, v in updates.items()})
        data["id"] = entry.id
        try:
            return type(entry).model_validate(data), rejected
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"] and str(err["loc"][0]) in updates}
            if not bad:
                return None, [*rejected, ("entry", str(exc.errors()[0]["msg"]))]
            for name in sorted(bad):
                message = next(str(e["msg"]) for e in exc.errors() if e["loc"] and e["loc"][0] == name)
                rejected.append((name, message))
                del updates[name]
            if not updates:
                return None, rejected
    return None, rejected


def _short(value: Any, width: int) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, bool):
        text = str(value).lower()
    else:
        text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"

