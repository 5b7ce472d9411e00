"""The site of a catalog kept between the builds of the preview, so that each build costs what changed.

``Preview.update()`` reloads the catalog (``catalog.live``: only the files that changed are read), works out
the pages the change can alter (``affected``), renders only those, and keeps every other page as it was. A
change of ``catalog.yaml``, ``vocabulary.yaml`` or a template renders everything. The downloads (the exports
of the whole catalog, several seconds at 10,000 entries) are made again only when everything is; between two
such builds they are the catalog's as the preview last built everything.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from emocat.catalog.live import LiveCatalog
from emocat.outputs.site import pages as site
from emocat.outputs.site import tables
from emocat.outputs.site.affected import affected
from emocat.outputs.site.data import SiteData
from emocat.store.templates import template_dirs


@dataclass(frozen=True)
class Update:
    """What one build of the preview changed: ``everything``, or the pages ``rendered`` and ``removed``."""

    everything: bool
    rendered: frozenset[str]
    removed: frozenset[str]


def _fingerprint(folders: Iterable[Path]) -> tuple[tuple[str, int, int], ...]:
    """Every file under the template folders, with its size and modification time."""
    found = []
    for folder in folders:
        for where, _, names in os.walk(folder):
            for name in names:
                try:
                    status = os.stat(os.path.join(where, name))
                except OSError:
                    continue
                found.append((os.path.join(where, name), status.st_size, status.st_mtime_ns))
    return tuple(sorted(found))


class Preview:
    """The pages and downloads of one catalog's site, brought up to date by ``update``."""

    def __init__(self, root: Path, *, project: Path, directory_urls: bool = True,
                 large_tables: int = tables.DEFAULT_THRESHOLD) -> None:
        self.project = project
        self.directory_urls = directory_urls
        self.large_tables = large_tables
        self.live = LiveCatalog(root)
        self.data: SiteData | None = None
        self.pages: dict[str, site.SitePage] = {}
        self.files: dict[str, str] = {}
        self._templates: tuple[tuple[str, int, int], ...] = ()

    def update(self) -> Update:
        """Bring the site up to date with the catalog; raises ``CatalogError`` (and keeps the last site) on errors."""
        reload = self.live.reload()
        templates = _fingerprint(template_dirs(self.project))
        before = self.data
        if before is None or reload.changed is None or templates != self._templates:
            self._templates = templates
            self.data = SiteData(reload.catalog, project=self.project, directory_urls=self.directory_urls)
            built = site.build(reload.catalog, project=self.project, directory_urls=self.directory_urls,
                               large_tables=self.large_tables, data=self.data)
            removed = frozenset(self.pages.keys() - {page.path for page in built.pages})
            self.pages = {page.path: page for page in built.pages}
            self.files = built.files
            return Update(True, frozenset(self.pages), removed)
        if not reload.changed:
            return Update(False, frozenset(), frozenset())
        after = SiteData(reload.catalog, project=self.project, directory_urls=self.directory_urls)
        after.keep_authors(before, reload.changed)
        change = affected(before, after, reload.changed)
        after.keep_boards(before, change.entries)
        paths = list(site.page_plan(after))
        # and any new page no rule foresaw (tests/site/test_affected.py finds none)
        wanted = change.pages | (set(paths) - self.pages.keys())
        fresh = {page.path: page for page in site.build_pages(
            reload.catalog, project=self.project, directory_urls=self.directory_urls, large_tables=self.large_tables,
            data=after, only=wanted)}
        removed = frozenset(self.pages.keys() - set(paths))
        self.pages = {path: fresh.get(path) or self.pages[path] for path in paths}
        self.data = after
        return Update(False, frozenset(fresh), removed)
