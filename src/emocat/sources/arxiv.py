"""arXiv API client: look papers up by id (new- or old-style, with or without version), in batches.

The API answers an Atom feed (https://info.arxiv.org/help/api/user-manual.html). The base URL comes
from ``EMOCAT_ARXIV_URL`` (default ``http://export.arxiv.org/api/query``) so tests and mirrors can
replace it. The feed is parsed with the standard library's ElementTree (expat: no external entities
are fetched, and entity-expansion bombs are refused).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass

from emocat.errors import UsageError
from emocat.sources.client import HttpClient, describe_params, malformed
from emocat.sources.http import NotFoundError, ServiceError

URL_ENV = "EMOCAT_ARXIV_URL"
DEFAULT_URL = "http://export.arxiv.org/api/query"
SERVICE = "arXiv"
BATCH_SIZE = 50
#: arXiv asks API users to leave about three seconds between requests.
PAUSE = 3.0

_NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
_NEW = r"\d{4}\.\d{4,5}"
_OLD = r"[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7}"
_ID_RE = re.compile(rf"^(?P<id>{_NEW}|{_OLD})(?:v(?P<version>\d+))?$")
_PREFIX_RE = re.compile(r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE)


@dataclass(frozen=True)
class ArxivId:
    """An arXiv identifier split into the id proper and an optional version."""

    id: str
    version: int | None = None

    def __str__(self) -> str:
        return f"{self.id}v{self.version}" if self.version else self.id


def parse_id(text: str) -> ArxivId:
    """Read ``2406.11161``, ``2406.11161v2``, ``hep-th/9901001v1``, ``arXiv:…`` or an abs/pdf URL."""
    raw = text.strip()
    candidate = _PREFIX_RE.sub("", raw)
    candidate = re.sub(r"\.pdf$", "", candidate).rstrip("/")
    match = _ID_RE.match(candidate)
    if not match:
        raise UsageError(
            f"{text!r} is not an arXiv id; expected e.g. 2406.11161, 2406.11161v2 or hep-th/9901001"
        )
    version = match.group("version")
    return ArxivId(match.group("id"), int(version) if version else None)


@dataclass(frozen=True)
class ArxivRecord:
    """What arXiv says about one paper. Text fields have their whitespace collapsed to single spaces."""

    id: str
    version: int | None
    title: str
    authors: tuple[str, ...]
    abstract: str
    published: dt.date
    updated: dt.date | None
    journal_ref: str | None = None
    doi: str | None = None
    comment: str | None = None
    primary_category: str | None = None
    categories: tuple[str, ...] = ()

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.id}"


def base_url() -> str:
    """The API address: ``EMOCAT_ARXIV_URL`` or the public default."""
    return os.environ.get(URL_ENV, "").strip() or DEFAULT_URL


def fetch(
    ids: Iterable[str | ArxivId],
    *,
    client: HttpClient | None = None,
    url: str | None = None,
    batch_size: int = BATCH_SIZE,
    pause: float = PAUSE,
) -> list[ArxivRecord]:
    """Look up ``ids`` in batches; return the records found, in the order asked (unknown ids are left out).

    Raises :class:`~emocat.sources.http.ServiceError` (a ``NetworkError``) when the service fails or
    answers something that is not an arXiv feed, and ``UsageError`` for a string that is not an id.
    """
    wanted = [item if isinstance(item, ArxivId) else parse_id(item) for item in ids]
    if not wanted:
        return []
    endpoint = url or base_url()
    own = client is None
    http = client or HttpClient()
    found: dict[str, ArxivRecord] = {}
    try:
        for start in range(0, len(wanted), max(1, batch_size)):
            if start and pause > 0:
                time.sleep(pause)
            batch = wanted[start:start + max(1, batch_size)]
            params = {"id_list": ",".join(str(item) for item in batch), "max_results": str(len(batch))}
            body = http.get(endpoint, params=params, service=SERVICE, accept="application/atom+xml")
            for record in parse_feed(body, describe_params(endpoint, params)):
                found.setdefault(_key(record.id), record)
    finally:
        if own:
            http.close()
    return [found[_key(item.id)] for item in wanted if _key(item.id) in found]


def fetch_one(identifier: str | ArxivId, *, client: HttpClient | None = None,
              url: str | None = None) -> ArxivRecord:
    """Look up one id; raise :class:`~emocat.sources.http.NotFoundError` when arXiv does not know it."""
    wanted = identifier if isinstance(identifier, ArxivId) else parse_id(identifier)
    records = fetch([wanted], client=client, url=url)
    if not records:
        endpoint = url or base_url()
        raise NotFoundError(f"{SERVICE} has no paper with the id {wanted} ({endpoint})", url=endpoint)
    return records[0]


def parse_feed(body: bytes, where: str = SERVICE) -> list[ArxivRecord]:
    """Parse an arXiv Atom feed; raise a ``ServiceError`` for anything that is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise malformed(SERVICE, where, f"not XML: {exc}") from None
    if root.tag != f"{{{_NS['atom']}}}feed":
        raise malformed(SERVICE, where, f"expected an Atom feed, got <{_local(root.tag)}>")
    records = []
    for entry in root.findall("atom:entry", _NS):
        entry_id = _text(entry, "atom:id")
        if "/api/errors" in entry_id:
            message = _text(entry, "atom:summary") or entry_id
            raise ServiceError(f"{SERVICE} refused the request: {message} ({where})", url=where, status=400)
        record = _record(entry, where)
        if record is not None:
            records.append(record)
    return records


def _record(entry: ET.Element, where: str) -> ArxivRecord | None:
    match = re.search(rf"/abs/((?:{_NEW}|{_OLD}))(?:v(\d+))?$", _text(entry, "atom:id"))
    title = _text(entry, "atom:title")
    published = _text(entry, "atom:published")
    if not match or not title or not published:
        return None  # arXiv answers an empty entry for an id it does not know
    updated = _text(entry, "atom:updated")
    primary = entry.find("arxiv:primary_category", _NS)
    return ArxivRecord(
        id=match.group(1),
        version=int(match.group(2)) if match.group(2) else None,
        title=title,
        authors=tuple(name for a in entry.findall("atom:author", _NS) if (name := _text(a, "atom:name"))),
        abstract=_text(entry, "atom:summary"),
        published=_date(published, where),
        updated=_date(updated, where) if updated else None,
        journal_ref=_text(entry, "arxiv:journal_ref") or None,
        doi=_text(entry, "arxiv:doi") or None,
        comment=_text(entry, "arxiv:comment") or None,
        primary_category=primary.get("term") if primary is not None else None,
        categories=tuple(term for c in entry.findall("atom:category", _NS) if (term := c.get("term"))),
    )


def _key(identifier: str) -> str:
    """Old-style ids may name a subject class (``math.GT/0309136``) that arXiv's answer leaves out."""
    return re.sub(r"^([a-z-]+)\.[A-Za-z]{2}/", r"\1/", identifier)


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path, _NS)
    return " ".join("".join(found.itertext()).split()) if found is not None else ""


def _date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise malformed(SERVICE, where, f"the date {text!r} is not ISO 8601") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
