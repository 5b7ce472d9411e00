"""The author index and one page per author (their papers and co-authors) of the site."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from emocat.catalog.authors import Author, name_key

Page = TypeVar("Page")

INDEX = "authors/index.md"


def author_path(author: Author) -> str:
    return f"authors/{author.slug}/index.md"


def author_pages(authors: Sequence[Author], page: Callable[..., Page]) -> list[Page]:
    """The index (in the navigation) and a page per author, made by ``page(path, template, title, ...)``."""
    by_slug = {author.slug: author for author in authors}
    found = [page(INDEX, "site/authors.md.j2", "Authors", in_nav=True, authors=authors)]
    for author in authors:
        coauthors = [by_slug[slug] for slug in author.coauthors]
        found.append(page(author_path(author), "site/author.md.j2", author.name, author=author, coauthors=coauthors))
    return found


def author_urls(authors: Sequence[Author], url: Callable[[str], str]) -> dict[str, Any]:
    """Address of each author's page by every name key of theirs (see ``catalog.authors.name_key``)."""
    return {name_key(form): url(author_path(author)) for author in authors for form in author.forms}
