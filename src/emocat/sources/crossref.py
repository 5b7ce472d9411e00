"""Crossref REST API client: look a work up by DOI (``GET {base}/works/{doi}``).

The base URL comes from ``EMOCAT_CROSSREF_URL`` (default ``https://api.crossref.org``).
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

from emocat.errors import UsageError
from emocat.sources.client import HttpClient, malformed

URL_ENV = "EMOCAT_CROSSREF_URL"
DEFAULT_URL = "https://api.crossref.org"
SERVICE = "Crossref"

_DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_PREFIX_RE = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)


def parse_doi(text: str) -> str:
    """Read ``10.1145/…``, ``doi:10.1145/…`` or ``https://doi.org/10.1145/…``; return the bare DOI."""
    candidate = urllib.parse.unquote(_PREFIX_RE.sub("", text.strip()))
    if not _DOI_RE.match(candidate):
        raise UsageError(f"{text!r} is not a DOI; expected e.g. 10.1145/3581783.3612000")
    return candidate


@dataclass(frozen=True)
class CrossrefRecord:
    """What Crossref says about one work. Text fields have their whitespace collapsed."""

    doi: str
    title: str
    authors: tuple[str, ...]
    year: int | None
    month: int | None
    venue: str | None
    url: str | None
    abstract: str | None
    type: str | None
    publisher: str | None


def base_url() -> str:
    """The API address: ``EMOCAT_CROSSREF_URL`` or the public default."""
    return (os.environ.get(URL_ENV, "").strip() or DEFAULT_URL).rstrip("/")


def fetch(doi: str, *, client: HttpClient | None = None, url: str | None = None) -> CrossrefRecord:
    """Look up one DOI; raise ``NotFoundError`` for an unknown DOI, ``ServiceError`` for any other failure."""
    bare = parse_doi(doi)
    address = f"{(url or base_url()).rstrip('/')}/works/{urllib.parse.quote(bare, safe='/')}"
    own = client is None
    http = client or HttpClient()
    try:
        body = http.get(address, service=SERVICE, accept="application/json")
    finally:
        if own:
            http.close()
    return parse_work(body, address)


def parse_work(body: bytes, where: str = SERVICE) -> CrossrefRecord:
    """Parse the JSON of ``/works/{doi}``; raise a ``ServiceError`` for anything else."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise malformed(SERVICE, where, f"not JSON: {exc}") from None
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        raise malformed(SERVICE, where, "no 'message' object")
    doi = message.get("DOI")
    title = _first(message.get("title"))
    if not isinstance(doi, str) or not doi or not title:
        raise malformed(SERVICE, where, "the work has no DOI or no title")
    year, month = _date(message)
    return CrossrefRecord(
        doi=doi,
        title=title,
        authors=tuple(name for person in _list(message.get("author")) if (name := _person(person))),
        year=year,
        month=month,
        venue=_first(message.get("container-title")) or _text(_dict(message.get("event")).get("name")),
        url=_text(message.get("URL")),
        abstract=_abstract(message.get("abstract")),
        type=_text(message.get("type")),
        publisher=_text(message.get("publisher")),
    )


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        for item in value:
            text = _text(item)
            if text:
                return text
        return None
    return _text(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _person(value: Any) -> str | None:
    person = _dict(value)
    parts = [_text(person.get("given")), _text(person.get("family"))]
    name = " ".join(part for part in parts if part)
    return name or _text(person.get("name"))


def _date(message: dict[str, Any]) -> tuple[int | None, int | None]:
    """Year and month of first publication, from the most specific date field Crossref gives."""
    for key in ("published", "published-print", "published-online", "issued", "created"):
        parts = _list(_dict(message.get(key)).get("date-parts"))
        first = parts[0] if parts and isinstance(parts[0], list) else []
        numbers = [p for p in first if isinstance(p, int) and not isinstance(p, bool)]
        if numbers and 1000 <= numbers[0] <= 9999:
            month = numbers[1] if len(numbers) > 1 and 1 <= numbers[1] <= 12 else None
            return numbers[0], month
    return None, None


def _abstract(value: Any) -> str | None:
    """Crossref abstracts are JATS XML; keep the words, drop the markup and a leading "Abstract"."""
    if not isinstance(value, str):
        return None
    text = html.unescape(re.sub(r"<[^>]*>", " ", value))
    text = " ".join(text.split())
    text = re.sub(r"^abstract\b[\s:.]*", "", text, flags=re.IGNORECASE)
    return text or None
