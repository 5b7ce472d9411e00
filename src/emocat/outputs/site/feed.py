"""The Atom feed of the newest catalog entries (by ``added``; no clock involved)."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from emocat.catalog.loader import Catalog
from emocat.catalog.models import KINDS, Entry

#: How many entries the feed carries.
FEED_SIZE = 50
_KIND_ORDER = {cls.kind: index for index, cls in enumerate(KINDS.values())}


@dataclass(frozen=True)
class FeedItem:
    """One Atom entry."""

    entry: Entry
    url: str
    updated: str


def newest(catalog: Catalog, limit: int = FEED_SIZE) -> list[Entry]:
    """The most recently added entries, newest first; ties by kind, then id."""
    return sorted(catalog.entries(), key=lambda e: (-e.added.toordinal(), _KIND_ORDER[e.kind], e.id))[:limit]


def feed_items(catalog: Catalog, site_url: str, limit: int = FEED_SIZE) -> list[FeedItem]:
    return [
        FeedItem(entry, f"{site_url}{entry.folder}/{entry.id}/", f"{entry.added.isoformat()}T00:00:00Z")
        for entry in newest(catalog, limit)
    ]


def render_feed(catalog: Catalog, env: jinja2.Environment, limit: int = FEED_SIZE) -> str:
    """Atom XML of the newest entries; ``updated`` is the date of the newest one."""
    if catalog.meta is None:
        raise ValueError("a catalog without catalog.yaml has no feed")
    site_url = catalog.meta.site_url if catalog.meta.site_url.endswith("/") else catalog.meta.site_url + "/"
    items = feed_items(catalog, site_url, limit)
    updated = items[0].updated if items else "1970-01-01T00:00:00Z"
    return env.get_template("site/feed.xml.j2").render(meta=catalog.meta, site_url=site_url, items=items, updated=updated)
