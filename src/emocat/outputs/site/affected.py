"""The pages of the site that a change of some entries can alter, so that the preview renders only those.

A page shows more than its own entry: the labels of the entries it links to and of those linking to it, its
authors' pages, its citation key (keys are unique across papers), the ranks of a leaderboard, a model's date
from its paper. ``affected(before, after, changed)`` follows each of these from the entries added, edited or
removed, in the catalog as it was and as it is, and gives every page of ``after`` whose content can differ
from its content in ``before``; a change of ``catalog.yaml`` or ``vocabulary.yaml`` is a change of every page
(the caller builds everything). ``tests/site/test_affected.py`` holds it to that: on random edits, every page
a full build changes is in the set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from emocat.catalog import addresses
from emocat.catalog.loader import references_of
from emocat.catalog.models import Benchmark, Entry, Paper
from emocat.outputs.site import authors as author_site
from emocat.outputs.site.data import SiteData

#: Pages with counts, newest entries or facets of the whole catalog: any change can alter them.
ALWAYS = ("index.md", "topics/index.md", "search/index.md")
#: The index pages that show entries of a kind, or their names (a benchmark's datasets, a board's models).
KIND_PAGES = {
    "papers": ("papers/index.md", author_site.INDEX),
    "datasets": ("datasets/index.md", "benchmarks/index.md"),
    "benchmarks": ("benchmarks/index.md", "results/index.md"),
    "models": ("models/index.md", "benchmarks/index.md", "results/index.md"),
}


@dataclass(frozen=True)
class Affected:
    """The pages to render again, and the entries whose own pages (and leaderboards) are among them."""

    pages: frozenset[str]
    entries: frozenset[str]


def affected(before: SiteData, after: SiteData, changed: Iterable[str]) -> Affected:
    """What a change of the entries ``changed`` (added, edited or removed) can alter, from ``before`` to ``after``."""
    changed = set(changed)
    pages = set(ALWAYS)
    entries = set(changed)
    for data in (before, after):
        for entry_id in changed:
            entry = data.catalog.get(entry_id)
            if entry is None:
                continue
            pages.update(KIND_PAGES[entry.folder])
            pages.update(f"{vocabulary}/{slug}/index.md" for vocabulary, slug in _tags(entry))
            entries.update(target for _, target in references_of(entry))
            entries.update(_referrers(data, entry_id))
            if isinstance(entry, Paper):  # models dated by this paper: the history charts of their boards
                for model_id in _referrers(data, entry_id, "paper"):
                    if model_id in data.catalog.models:
                        entries.update(_referrers(data, model_id, "results"))
    entries.update(_rekeyed(before, after))
    entries.update(_relinked(before, after))
    pages.update(_author_pages(before, after))
    pages.update(addresses.entry_path(entry) for entry_id in entries
                 if (entry := after.catalog.get(entry_id)) is not None)
    return Affected(frozenset(pages), frozenset(entries))


def _referrers(data: SiteData, entry_id: str, relation: str | None = None) -> Iterator[str]:
    for name, source in data.catalog.referrers.get(entry_id, ()):
        if relation is None or name == relation:
            yield source


def _tags(entry: Entry) -> Iterator[tuple[str, str]]:
    for slug in getattr(entry, "topics", ()):
        yield "topics", slug
    for slug in getattr(entry, "tasks", ()):
        yield "tasks", slug
    if isinstance(entry, Benchmark) and entry.task:
        yield "tasks", entry.task


def _rekeyed(before: SiteData, after: SiteData) -> Iterator[str]:
    """Papers whose citation key differs (a new paper can take the key another one had)."""
    old = before.citation_keys
    return (paper_id for paper_id, key in after.citation_keys.items() if old.get(paper_id) != key)


def _relinked(before: SiteData, after: SiteData) -> Iterator[str]:
    """Papers whose authors' pages moved (an author's address comes from all the papers' names)."""
    if before.author_urls == after.author_urls:
        return iter(())
    return (paper.id for paper in after.papers
            if [before.author_url(name) for name in paper.authors] != [after.author_url(name) for name in paper.authors])


def _author_pages(before: SiteData, after: SiteData) -> Iterator[str]:
    """Author pages whose author, papers or named co-authors differ."""
    old, new = before.author_pages_shown, after.author_pages_shown
    for author in after.authors:
        if old.get(author.slug) != new[author.slug]:
            yield author_site.author_path(author)
