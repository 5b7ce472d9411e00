"""A catalog kept loaded between builds (the preview): a reload reads and validates only the files that changed.

Each entry file's model is remembered with the file's size, modification time and inode; a file whose three
are the same is not read again and the loader takes its model as it is, so an unchanged entry is the same
object before and after a reload; the texts the rules read (``loader.Locator``) are kept the same way. Every
cross-entry rule still runs on the whole catalog (``load_valid``), so a reload finds every error a full check
finds. ``catalog.yaml`` and ``vocabulary.yaml`` are read every time (they are small); a change to either is
reported as a change of everything.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from emocat.catalog.checks import load_valid
from emocat.catalog.loader import Catalog, EntryFile, Locator, Parsed, parse_file
from emocat.catalog.models import Entry

#: what tells a file's version apart without reading it: (size, modification time in ns, inode)
Signature = tuple[int, int, int]


@dataclass(frozen=True)
class Reload:
    """A reloaded catalog and what differs from the previous load: ids added, changed or removed, or ``None``
    when everything may differ (the first load, or ``catalog.yaml`` or ``vocabulary.yaml`` changed)."""

    catalog: Catalog
    changed: frozenset[str] | None


def _signature(path: Path) -> Signature | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino


class LiveCatalog:
    """One catalog folder, loaded again and again; ``reload`` raises ``CatalogError`` on a catalog with errors."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[Path, tuple[Signature, Entry]] = {}
        self._previous: Catalog | None = None
        #: the files' texts as the cross-entry rules read them, kept for the files that did not change
        self._locator = Locator()

    def reload(self) -> Reload:
        """Load the catalog again, reading only the entry files whose signature changed."""
        read: dict[Path, Signature | None] = {}
        catalog = load_valid(self.root, parser=lambda jobs: self._parse(jobs, read), locator=self._locator)
        # only a catalog without errors is remembered: after errors, the files read are read again next time
        known: dict[Path, tuple[Signature, Entry]] = {}
        for entry_id, path in catalog.paths.items():
            entry = catalog.get(entry_id)
            signature = read[path] if path in read else self._known[path][0]
            if entry is not None and signature is not None:
                known[path] = (signature, entry)
        self._known = known
        changed = self._changes(catalog)
        self._previous = catalog
        return Reload(catalog, changed)

    def _parse(self, jobs: Sequence[EntryFile], read: dict[Path, Signature | None]) -> list[Parsed | Entry]:
        """The remembered model of a file whose signature is the remembered one; the others parsed, their
        signature (taken before reading, so that a write during the read is seen next time) put in ``read``."""
        found: list[Parsed | Entry] = []
        for job in jobs:
            signature = _signature(job.path)
            known = self._known.get(job.path)
            if known is not None and signature is not None and known[0] == signature:
                found.append(known[1])
                continue
            read[job.path] = signature
            self._locator.forget(job.path)  # before the rules read it
            found.append(parse_file(job.path))
        return found

    def _changes(self, catalog: Catalog) -> frozenset[str] | None:
        previous = self._previous
        if previous is None or (previous.meta, previous.vocabulary) != (catalog.meta, catalog.vocabulary):
            return None
        changed = set(previous.paths.keys() ^ catalog.paths.keys())
        for entry_id in previous.paths.keys() & catalog.paths.keys():
            before, now = previous.get(entry_id), catalog.get(entry_id)
            if before is not now and (before != now or previous.paths[entry_id] != catalog.paths[entry_id]):
                changed.add(entry_id)
        return frozenset(changed)
