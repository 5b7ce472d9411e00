"""Where each entry lives on the published site, as absolute URLs."""

from __future__ import annotations

import posixpath

from emocat.catalog.models import Benchmark, CatalogMeta, Entry


def site_base(meta: CatalogMeta) -> str:
    """The site URL, ending in exactly one slash."""
    return meta.site_url.rstrip("/") + "/"


def entry_url(meta: CatalogMeta, entry: Entry) -> str:
    """The entry's page on the site: ``{site_url}{folder}/{id}/``."""
    return f"{site_base(meta)}{entry.folder}/{entry.id}/"


def index_url(meta: CatalogMeta, folder: str) -> str:
    """The site's index page of one kind (``papers``, ``datasets``, ``benchmarks``, ``models``)."""
    return f"{site_base(meta)}{folder}/"


def leaderboard_url(meta: CatalogMeta, benchmark: Benchmark) -> str:
    """The full leaderboard: the ``#leaderboard`` section of the benchmark's page."""
    return entry_url(meta, benchmark) + "#leaderboard"


def entry_path(entry: Entry) -> str:
    """The Markdown source path of an entry's page (``papers/emotion-llama/index.md``)."""
    return f"{entry.folder}/{entry.id}/index.md"

def page_url(path: str, directory_urls: bool = True) -> str:
    """The address of a page relative to the site root, as MkDocs computes it from the source path."""
    stem = posixpath.splitext(path)[0]
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        folder = posixpath.dirname(stem)
        return folder + "/" if folder else ""
    return stem + "/"

def base_of(url: str) -> str:
    """The relative prefix that leads from the page at ``url`` back to the site root."""
    folder = url if url.endswith("/") else posixpath.dirname(url)
    depth = len([part for part in folder.split("/") if part])
    return "../" * depth
