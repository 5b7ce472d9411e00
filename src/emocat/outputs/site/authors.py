"""The author index and one page per author (their papers and co-authors) of the site."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from emocat.catalog.authors import Author, name_key

INDEX = "authors/index.md"
#: Co-authors named on an author's page: the most frequent first; a 400-author paper would otherwise list the
#: same 399 names on each of its authors' pages (they are all on the paper's page).
COAUTHORS_SHOWN = 24


def author_path(author: Author) -> str:
    return f"authors/{author.slug}/index.md"


def author_plan(authors: Sequence[Author],
                coauthors: dict[str, list[Author]]) -> dict[str, Callable[[], tuple[str, str, dict[str, Any]]]]:
    """The index (in the navigation) and a page per author, by path, each with what makes it (template, title,
    options; see ``pages.page_plan``); ``coauthors``: ``coauthor_lists(authors)``."""
    plan: dict[str, Callable[[], tuple[str, str, dict[str, Any]]]] = {
        INDEX: lambda: ("site/authors.md.j2", "Authors", {"in_nav": True, "authors": authors})}
    for author in authors:
        plan[author_path(author)] = functools.partial(_author_page, author, coauthors[author.slug])
    return plan


def _author_page(author: Author, others: list[Author]) -> tuple[str, str, dict[str, Any]]:
    return ("site/author.md.j2", author.name,
            {"author": author, "coauthors": others[:COAUTHORS_SHOWN], "more": len(others) - COAUTHORS_SHOWN})


def coauthor_lists(authors: Sequence[Author]) -> dict[str, list[Author]]:
    """Each author's co-authors (by slug) in the order of their page: those who share the most papers first."""
    by_slug = {author.slug: author for author in authors}
    by_key = {name_key(form): author.slug for author in authors for form in author.forms}
    return {author.slug: [by_slug[slug] for slug in frequent_coauthors(author, by_key)] for author in authors}


def frequent_coauthors(author: Author, by_key: dict[str, str]) -> list[str]:
    """The author's co-authors, those who share the most papers with them first (ties in index order)."""
    shared = Counter(by_key[name_key(name)] for paper in author.papers for name in paper.authors
                     if by_key.get(name_key(name)) not in (None, author.slug))
    return sorted(author.coauthors, key=lambda slug: -shared[slug])  # a stable sort keeps the index order


def author_urls(authors: Sequence[Author], url: Callable[[str], str]) -> dict[str, Any]:
    """Address of each author's page by every name key of theirs (see ``catalog.authors.name_key``)."""
    return {name_key(form): url(author_path(author)) for author in authors for form in author.forms}
