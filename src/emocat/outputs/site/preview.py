"""The site of a catalog kept between the builds of the preview, so that each build costs what changed.

``Preview.update()`` reloads the catalog (``catalog.live``: only the files that changed are read), works out
the pages the change can alter (``affected``), renders only those, and keeps every other page as it was. A
change of ``catalog.yaml``, ``vocabulary.yaml`` or a template renders everything. The downloads (the exports
of the whole catalog, several seconds at 10,000 entries) are made again only when everything is; between two
such builds they are the catalog's as the preview last built everything, and ``stale_downloads`` says so.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from emocat.catalog import addresses, view
from emocat.catalog.live import LiveCatalog
from emocat.outputs.site import pages as site
from emocat.outputs.site import tables
from emocat.outputs.site.affected import affected
from emocat.outputs.site.authors import INDEX as AUTHORS_INDEX
from emocat.outputs.site.authors import author_path
from emocat.outputs.site.data import SiteData


@dataclass(frozen=True)
class Update:
    """What one build of the preview changed: ``everything``, or the pages ``rendered`` and ``removed``."""

    everything: bool
    rendered: frozenset[str]
    removed: frozenset[str]


def page_paths(data: SiteData) -> list[str]:
    """Every generated page of the site, in the order of ``pages.build_pages``."""
    catalog = data.catalog
    paths = [*site.INDEX_PAGES[:-2], AUTHORS_INDEX, *(author_path(author) for author in data.authors),
             site.INDEX_PAGES[-1], "search/index.md"]
    paths += [f"{vocabulary}/{slug}/index.md" for vocabulary in ("topics", "tasks")
              for slug in getattr(catalog.vocabulary, vocabulary)]
    paths += [addresses.entry_path(entry) for entry in view.by_kind(catalog.entries())]
    return paths


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

    def __init__(self, root: Path, *, project: Path, template_dirs: list[Path], directory_urls: bool = True,
                 large_tables: int = tables.DEFAULT_THRESHOLD) -> None:
        self.settings = (root, project, directory_urls, large_tables)
        self.project = project
        self.directory_urls = directory_urls
        self.large_tables = large_tables
        self.template_dirs = template_dirs
        self.live = LiveCatalog(root)
        self.data: SiteData | None = None
        self.pages: dict[str, site.SitePage] = {}
        self.files: dict[str, str] = {}
        self.stale_downloads = False
        self._templates: tuple[tuple[str, int, int], ...] = ()

    def update(self) -> Update:
        """Bring the site up to date with the catalog; raises ``CatalogError`` (and keeps the last site) on errors."""
        reload = self.live.reload()
        templates = _fingerprint(self.template_dirs)
        before = self.data
        if before is None or reload.changed is None or templates != self._templates:
            self._templates = templates
            self.data = SiteData(reload.catalog, project=self.project, directory_urls=self.directory_urls)
            built = site.build(reload.catalog, project=self.project, directory_urls=self.directory_urls,
                               large_tables=self.large_tables, data=self.data)
            removed = frozenset(self.pages.keys() - {page.path for page in built.pages})
            self.pages = {page.path: page for page in built.pages}
            self.files = built.files
            self.stale_downloads = False
            return Update(True, frozenset(self.pages), removed)
        if not reload.changed:
            return Update(False, frozenset(), frozenset())
        after = SiteData(reload.catalog, project=self.project, directory_urls=self.directory_urls)
        change = affected(before, after, reload.changed)
        after.keep_boards(before, change.entries)
        rendered = site.build_pages(reload.catalog, project=self.project, directory_urls=self.directory_urls,
                                    large_tables=self.large_tables, data=after, only=change.pages)
        paths = page_paths(after)
        removed = frozenset(self.pages.keys() - set(paths))
        fresh = {page.path: page for page in rendered}
        new = frozenset(path for path in paths if path not in fresh and path not in self.pages)
        if new:  # a page no rule foresaw (tests/site/test_affected.py finds none): rendered all the same
            rendered = site.build_pages(reload.catalog, project=self.project, directory_urls=self.directory_urls,
                                        large_tables=self.large_tables, data=after, only=new)
            fresh.update((page.path, page) for page in rendered)
        self.pages = {path: fresh.get(path) or self.pages[path] for path in paths}
        self.data = after
        self.stale_downloads = True
        return Update(False, frozenset(fresh), removed)
