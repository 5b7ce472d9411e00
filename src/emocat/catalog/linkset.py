"""An entry's external links in display order, and the ledger that links each URL of a document once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from urllib.parse import unquote

from emocat.catalog.models import Entry, Paper

#: Labels of external links, in the order they are shown.


LINK_LABELS: dict[str, str] = {
    "paper": "Paper",
    "pdf": "PDF",
    "arxiv": "arXiv",
    "doi": "DOI",
    "code": "Code",
    "project": "Project",
    "huggingface": "Hugging Face",
    "data": "Data",
    "demo": "Demo",
    "blog": "Blog",
}


#: Which link is an entry's "main" external link (trending list, paper cells), by kind.


PRIMARY_ORDER: dict[str, tuple[str, ...]] = {
    "paper": ("paper", "pdf", "arxiv", "doi", "project", "code", "huggingface", "blog", "demo", "data"),
    "model": ("code", "huggingface", "project", "blog", "paper", "demo", "pdf", "data"),
    "dataset": ("data", "project", "code", "huggingface", "paper", "pdf", "blog", "demo"),
    "benchmark": ("project", "code", "data", "paper", "huggingface", "pdf", "blog", "demo"),
}


@dataclass(slots=True)


class Link:
    """A labelled URL; ``url`` is empty when the target is already linked earlier in the document.

    A code link carries what ``emocat enrich`` last recorded about its repository (``stars``, ``archived``),
    so the README can mark it; ``None``/``False`` when unknown. Not frozen (a frozen dataclass is several
    times slower to create, and a README makes tens of thousands); nothing changes a link once made.
    """

    label: str
    url: str
    stars: int | None = None
    archived: bool = False


#: Position of each link name in :data:`LINK_LABELS`.


_LINK_RANK = {name: rank for rank, name in enumerate(LINK_LABELS)}


def _link_map(entry: Entry) -> dict[str, Link]:
    """The entry's external links by name, in :data:`LINK_LABELS` order; papers gain arXiv and DOI links."""
    # Plain reads of the set links only, ranked as (rank, name, url) so that the sort compares plain ints:
    # this runs for every entry of the README.
    found = [(_LINK_RANK[name], name, url) for name, url in entry.links.__dict__.items() if url]
    if isinstance(entry, Paper) and (entry.arxiv or entry.doi):
        # Add an arXiv/DOI link unless a given link already points at it (abs, pdf, doi.org ...).
        given = " ".join([url for _, _, url in found]).lower()
        if entry.arxiv and entry.arxiv.lower() not in given:
            found.append((_LINK_RANK["arxiv"], "arxiv", f"https://arxiv.org/abs/{entry.arxiv}"))
        if entry.doi and entry.doi.lower() not in given:
            found.append((_LINK_RANK["doi"], "doi", f"https://doi.org/{entry.doi}"))
    if len(found) > 1:
        found.sort()
    links = {name: Link(LINK_LABELS[name], url) for _, name, url in found}
    repository = entry.__dict__.get("repository")  # papers and models have one (getattr on others is slow)
    if repository is not None and "code" in links and (repository.stars is not None or repository.archived):
        links["code"] = replace(links["code"], stars=repository.stars, archived=bool(repository.archived))
    return links


def external_links(entry: Entry) -> list[Link]:
    """The entry's external links in :data:`LINK_LABELS` order (papers: with arXiv/DOI links they lack)."""
    return list(_link_map(entry).values())


def primary_link(entry: Entry) -> Link | None:
    """The one external link that best stands for the entry (see :data:`PRIMARY_ORDER`)."""
    links = _link_map(entry)
    return next((links[name] for name in PRIMARY_ORDER[entry.kind] if name in links), None)


_SCHEME_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(?:www\.)?([^/?#]*)")


_DIRECTORY_INDEX = re.compile(r"/index\.[a-z]+$")


def link_key(url: str) -> str:
    """A URL reduced the way awesome-lint compares links (ignores scheme, ``www.``, case, trailing slash).

    Plain string operations: this runs once per link of the README, 10,000s of times for a large catalog.
    """
    text = url.strip().lower()
    # Most links are plain ``https://host/path``: nothing to drop but the scheme, ``www.`` and a trailing slash.
    rest = text[8:] if text.startswith("https://") else text[7:] if text.startswith("http://") else ""
    # Plain ``in`` tests (several times faster than a regex search): user info, a port, an escape, a query,
    # a fragment, an empty path segment or a directory index need the full rules.
    if rest and not (
        "@" in rest or ":" in rest or "%" in rest or "?" in rest or "#" in rest or "//" in rest or "/index." in rest
    ):
        return rest.removeprefix("www.").rstrip("/") + "?#"
    return _link_key(text)


def _link_key(text: str) -> str:
    """:func:`link_key` of a stripped, lower-case URL, whatever its form."""
    match = _SCHEME_HOST.match(text)
    if match is None:
        return text
    host = match.group(1).removesuffix(":80").removesuffix(":443")
    rest, _, fragment = text[match.end():].partition("#")
    path, _, query = rest.partition("?")
    if "%" in path:
        path = unquote(path)
    while "//" in path:
        path = path.replace("//", "/")
    if "/index." in path:
        path = _DIRECTORY_INDEX.sub("/", path)
    path = path.rstrip("/")
    if query:
        query = "&".join(sorted(q for q in query.split("&") if q and not q.startswith("utm_")))
    return f"{host}{path}?{query}#{fragment}"


class LinkLedger:
    """The URLs a document has linked so far, so that each is linked once (awesome-lint's double-link rule).

    A reader loses nothing: the first link to a URL is kept, later ones fall back to plain text.
    Without a ledger (``None`` in the builders) every link is kept, as the site wants.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._seen = {link_key(url) for url in reserved}

    def claim(self, url: str) -> bool:
        """True (and remember it) if ``url`` was not linked before."""
        seen = self._seen
        before = len(seen)
        seen.add(link_key(url))
        return len(seen) > before  # one hash lookup where `in` then `add` take two


def claim_url(ledger: LinkLedger | None, url: str | None) -> str | None:
    if url is None:
        return None
    return url if ledger is None or ledger.claim(url) else None


def claim_links(ledger: LinkLedger | None, links: list[Link]) -> list[Link]:
    return links if ledger is None else [link for link in links if ledger.claim(link.url)]
