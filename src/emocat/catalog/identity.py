"""Identity of entries: the keys no two entries may share, and one index of them for check, add and import.

A paper is the same paper whatever form its identifiers take: an arXiv id given as a field or inside any
arXiv URL (``abs``, ``pdf`` or ``html``, with a version, ``http`` or ``https``, a trailing slash or ``.pdf``,
also on ar5iv), a DOI in any case, with a ``doi:`` prefix or as a (percent-escaped) ``doi.org`` URL, a title after Unicode normalisation (compatibility forms, case, accents,
punctuation, and letters of other scripts that look like Latin ones).
"""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from emocat.catalog.models import Entry, Paper

_ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:(?:www\.|export\.|ar5iv\.labs\.)?arxiv\.org|(?:www\.)?ar5iv\.org)/(?:abs|pdf|html)/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_DOI_URL = re.compile(r"^(?:https?://)?(?:dx\.|www\.)?doi\.org/(?P<doi>10\.\S+)$", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^doi:\s*", re.IGNORECASE)
_VERSION = re.compile(r"v\d+$")


def arxiv_key(arxiv_id: str) -> str:
    """An arXiv id without its version, lower case (``2406.11161v2`` -> ``2406.11161``)."""
    return _VERSION.sub("", arxiv_id.strip()).lower()


def doi_key(doi: str) -> str:
    """A DOI in lower case without a ``doi:`` / ``DOI:`` or ``https://(www.|dx.)doi.org/`` prefix, with
    percent-escapes of a URL decoded (DOIs are case-insensitive; ``10.1145%2Fx`` is ``10.1145/x``)."""
    text = doi.strip()
    match = _DOI_URL.match(text)
    if match is not None:
        text = urllib.parse.unquote(match.group("doi"))
    return _DOI_PREFIX.sub("", text).lower()


def url_key(url: str) -> tuple[str, str]:
    """(kind, key) of a URL: an arXiv URL is its arXiv id, a doi.org URL its DOI, anything else the URL
    without scheme, ``www.``, case of the host, trailing slash or ``.pdf``."""
    text = url.strip()
    arxiv = _ARXIV_URL.match(text)
    if arxiv is not None:
        return "arXiv id", arxiv_key(arxiv.group("id"))
    doi = _DOI_URL.match(text)
    if doi is not None:
        return "DOI", doi_key(text)
    rest = re.sub(r"^https?://(?:www\.)?", "", text, flags=re.IGNORECASE)
    host, slash, path = rest.partition("/")
    return "URL", (host.lower() + slash + path).removesuffix("/").removesuffix(".pdf")


@lru_cache(maxsize=1)
def _homoglyphs() -> object:
    from confusable_homoglyphs import confusables  # about 0.2 s to load: only for titles that need it

    return confusables


def _latin_skeleton(text: str) -> str:
    """Letters of other scripts that look like Latin letters (Cyrillic ``о``, Greek ``ο``) become those letters."""
    found = _homoglyphs().is_confusable(text, greedy=True, preferred_aliases=["latin"])  # type: ignore[attr-defined]
    if not found:
        return text
    swaps = {}
    for item in found:
        latin = next((g["c"] for g in item["homoglyphs"] if len(g["c"]) == 1 and g["c"].isascii()), None)
        if latin is not None:
            swaps[item["character"]] = latin
    return "".join(swaps.get(char, char) for char in text)


@lru_cache(maxsize=1 << 16)
def title_key(title: str) -> str:
    """A title reduced for duplicate detection: compatibility forms folded (NFKC), case folded, accents and
    punctuation dropped, look-alike letters of other scripts mapped to Latin; words of every script kept
    (remembered: the preview checks every title again at each build)."""
    text = unicodedata.normalize("NFKC", title).casefold()
    if not text.isascii():
        text = _latin_skeleton(text)
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = unicodedata.normalize("NFKC", text)
    words, word = [], []
    for char in text:
        if char.isalnum():
            word.append(char)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return " ".join(words)


def identity_keys(entry: Entry) -> list[tuple[str, str, str]]:
    """(field, kind of identity, key) that no two entries may share."""
    keys: list[tuple[str, str, str]] = []
    if isinstance(entry, Paper):
        if entry.arxiv:
            keys.append(("arxiv", "arXiv id", arxiv_key(entry.arxiv)))
        if entry.doi:
            keys.append(("doi", "DOI", doi_key(entry.doi)))
        keys.append(("title", "title", title_key(entry.title)))
    # A paper's links identify the paper; a model's or dataset's links.paper may well point at the paper
    # that introduced it, so those links are compared only with entries of the same kind.
    scope = "" if isinstance(entry, Paper) else f"{entry.kind} "
    for name in ("paper", "pdf"):
        url = getattr(entry.links, name)
        if url:
            kind, key = url_key(url)
            keys.append((f"links.{name}", scope + kind, key))
    return keys


@dataclass
class IdentityIndex:
    """Who holds each identity key, and which ids are taken (also by files that failed to load)."""

    owners: dict[tuple[str, str], str] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, entries: Iterable[Entry], taken: Iterable[str] = ()) -> IdentityIndex:
        index = cls(taken=set(taken))
        for entry in entries:
            index.add(entry)
        return index

    def add(self, entry: Entry) -> None:
        self.taken.add(entry.id)
        for _, what, key in identity_keys(entry):
            if key:
                self.owners.setdefault((what, key), entry.id)

    def clashes(self, entry: Entry) -> Iterator[tuple[str, str, str]]:
        """(field, kind of identity, owner id) for every key of ``entry`` another entry already holds."""
        seen: set[tuple[str, str]] = set()
        for name, what, key in identity_keys(entry):
            owner = self.owners.get((what, key)) if key else None
            if owner is not None and owner != entry.id and (what, owner) not in seen:
                seen.add((what, owner))
                yield name, what, owner
