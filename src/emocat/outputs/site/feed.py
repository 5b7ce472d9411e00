"""The Atom feed of the newest catalog entries (by ``added``; no clock involved)."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from emocat.catalog import addresses, view
from emocat.catalog.loader import Catalog
from emocat.catalog.models import CatalogMeta, Entry

#: How many entries the feed carries.
FEED_SIZE = 50


@dataclass(frozen=True)
class FeedItem:
    """One Atom entry."""

    entry: Entry
    url: str
    updated: str


def feed_items(catalog: Catalog, meta: CatalogMeta, limit: int = FEED_SIZE) -> list[FeedItem]:
    return [
        FeedItem(entry, addresses.entry_url(meta, entry), f"{entry.added.isoformat()}T00:00:00Z")
        for entry in view.newest(catalog, limit)
    ]


def render_feed(catalog: Catalog, env: jinja2.Environment, limit: int = FEED_SIZE) -> str:
    """Atom XML of the newest entries; ``updated`` is the date of the newest one."""
    if catalog.meta is None:
        raise ValueError("a catalog without catalog.yaml has no feed")
    site_url = addresses.site_base(catalog.meta)
    items = feed_items(catalog, catalog.meta, limit)
    updated = items[0].updated if items else "1970-01-01T00:00:00Z"
    return env.get_template("site/feed.xml.j2").render(meta=catalog.meta, site_url=site_url, items=items, updated=updated)
