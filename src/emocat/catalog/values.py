"""Value types of the data model: text, ids, URLs (with their host rules), DOIs, dates and exact numbers, and the hints that explain their patterns."""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
from decimal import Decimal
from typing import Annotated

from pydantic import BeforeValidator, Field, Strict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

ID_MAX = 80


def as_id(value: str) -> str:
    """The id a value written as words stands for: ``Emotion Recognition`` / ``emotion_recognition`` ->
    ``emotion-recognition``."""
    return re.sub(r"[^0-9a-z]+", "-", value.strip().lower()).strip("-")

# Text, URLs and DOIs exclude control characters and the Unicode noncharacters of the first plane: U+FFFE and
# U+FFFF cannot be written in XML at all (they would break the Atom feed and the SVG charts), and HTML calls
# every noncharacter a parse error.
_CONTROL = r"\x00-\x1f\x7f-\x9f"

_NONCHARACTERS = r"\ufdd0-\ufdef\ufffe\uffff"

# Bidirectional embeddings, overrides and isolates reorder the text around them on screen (a title could
# show other words than it holds); the marks U+200E/U+200F stay allowed.
_BIDI = r"\u202a-\u202e\u2066-\u2069"

# Characters that take no visible space: zero-width ones, the word joiner and BOM, Hangul fillers, the
# Mongolian vowel separator and the blank Braille pattern. Text made only of these looks empty.
_INVISIBLE = r"\u200b-\u200d\u2060\ufeff\u115f\u1160\u3164\uffa0\u180e\u2800"

_NOT_TEXT = rf"{_CONTROL}\u2028\u2029{_NONCHARACTERS}{_BIDI}"

_NOT_IN_URL = _CONTROL + _NONCHARACTERS + _BIDI  # besides whitespace, which URLs and DOIs exclude as a whole

#: One line, at least one visible character, no control, bidirectional-override or noncharacters.
TEXT_PATTERN = rf"^[^{_NOT_TEXT}]*[^\s{_NOT_TEXT}{_INVISIBLE}][^{_NOT_TEXT}]*$"

#: Several lines (a BibTeX citation): tabs and line feeds allowed, otherwise as text.
BLOCK_PATTERN = rf"^[^\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_NONCHARACTERS}{_BIDI}]*$"

#: Scheme, then a host (a name, or an IPv6 address in brackets) with an optional numeric port, then the rest.
#: No alternative overlaps another, so matching is linear; :func:`_url_host` checks what a pattern cannot.
URL_PATTERN = (
    rf"^https?://(?:\[[0-9A-Fa-f:.]+\]|[^\s/?#@\[\]:{_NOT_IN_URL}]+)(?::[0-9]{{1,5}})?"
    rf"(?:[/?#][^\s{_NOT_IN_URL}]*)?$"
)

ARXIV_PATTERN = r"^(?:\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})$"

DOI_PATTERN = rf"^10\.\d{{4,9}}/[^\s{_NOT_IN_URL}]+$"

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"

COMMIT_PATTERN = r"^[0-9a-f]{40}$"

REPOSITORY_PATTERN = r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

#: A human-readable description of each pattern, used in error messages.
PATTERN_HINTS = {
    ID_PATTERN: "an id: lowercase letters and digits joined by single hyphens, e.g. emotion-llama",
    TEXT_PATTERN: "one line of visible text (no control characters, bidirectional overrides or Unicode noncharacters)",
    BLOCK_PATTERN: "text without control characters (tabs and line breaks aside), bidirectional overrides or "
    "noncharacters",
    URL_PATTERN: "an http(s) URL without spaces or credentials, e.g. https://arxiv.org/abs/2406.11161",
    ARXIV_PATTERN: "an arXiv id without version, e.g. 2406.11161 or hep-th/9901001",
    DOI_PATTERN: "a DOI such as 10.1145/3581783.3612000 (without https://doi.org/)",
    MONTH_PATTERN: "a year and month such as '2024-06'",
    COMMIT_PATTERN: "a full 40-character lowercase commit hash",
    REPOSITORY_PATTERN: "a GitHub repository as owner/name",
}

Id = Annotated[str, Strict(), StringConstraints(pattern=ID_PATTERN, max_length=ID_MAX)]

Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_PATTERN, max_length=ID_MAX)]

Text = Annotated[str, Strict(), StringConstraints(pattern=TEXT_PATTERN, min_length=1, max_length=500)]

Name = Annotated[str, Strict(), StringConstraints(pattern=TEXT_PATTERN, min_length=1, max_length=200)]

LongText = Annotated[str, Strict(), StringConstraints(pattern=TEXT_PATTERN, min_length=1, max_length=5000)]

#: Host name characters besides letters and digits (RFC 3986 reg-name without percent-encoding).
_HOST_PUNCTUATION = frozenset("-._~!$&'()*+,;=")

_AUTHORITY = re.compile(r"https?://([^/?#]*)")

_LEFT_TO_PATTERN = re.compile(rf"[\s@{_NOT_IN_URL}]")  # credentials, spaces, controls: the pattern's hint says it

_COMMON_HOST = re.compile(r"(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{0,62}[A-Za-z-]\.?(?::([1-9][0-9]{0,4}))?")

def _host_problem(authority: str) -> str | None:
    """Why ``authority`` (host and optional port) cannot be requested, or None when it can."""
    host, port = authority, None
    if authority.startswith("["):
        close = authority.find("]")
        if close < 0:
            return "the '[' of an IPv6 address is never closed"
        host, rest = authority[1:close], authority[close + 1 :]
        if rest and not rest.startswith(":"):
            return f"{rest[:20]!r} follows the IPv6 address; only ':port' may"
        port = rest[1:] if rest else None
        if not re.fullmatch(r"[0-9A-Fa-f:.]{2,45}", host) or not _is_address(ipaddress.IPv6Address, host):
            return f"[{host[:45]}] is not an IPv6 address"
    elif "[" in authority or "]" in authority:
        return "brackets may only enclose an IPv6 address, as in http://[::1]/"
    elif authority.count(":") > 1:
        return "a host has at most one ':port' (an IPv6 address goes in brackets)"
    else:
        host, colon, port_text = authority.partition(":")
        port = port_text if colon else None
        problem = _name_problem(host)
        if problem:
            return problem
    if port is not None and not (port.isascii() and port.isdigit()):
        return f"the port {port[:20]!r} is not a number" if port else "the port after ':' is empty"
    if port is not None and (len(port) > 5 or not 1 <= int(port) <= 65535):
        return f"the port {port[:12]} is outside 1-65535"
    return None

def _is_address(kind: type[ipaddress.IPv4Address | ipaddress.IPv6Address], text: str) -> bool:
    try:
        kind(text)
    except ValueError:
        return False
    return True

def _name_problem(host: str) -> str | None:
    """Why a host name (or IPv4 address) is unusable: empty parts, bad characters, invalid IDNA labels."""
    if not host:
        return "it has no host name"
    if len(host) > 253:
        return "the host name is longer than 253 characters"
    labels = host.removesuffix(".").split(".")
    if all(label.isascii() and label.isdigit() for label in labels):
        return None if _is_address(ipaddress.IPv4Address, ".".join(labels)) else f"{host!r} is not an IPv4 address"
    for label in labels:
        if not label:
            return f"the host name {host[:80]!r} has an empty part between dots"
        bad = next((c for c in label if c.isascii() and not c.isalnum() and c not in _HOST_PUNCTUATION), None)
        if bad is not None:
            return f"{bad!r} is not allowed in a host name"
        if label.isascii() and len(label) > 63:
            return f"the host name part {label[:20]!r}… is longer than 63 characters"
        if not label.isascii() or label[:4].lower() == "xn--":
            import idna  # the rules of the HTTP client (httpx depends on idna); only for such rare labels

            try:
                idna.decode(label) if label.isascii() else idna.encode(label, uts46=True)
            except (UnicodeError, ValueError) as exc:
                return f"the host name part {label[:40]!r} is not a valid internationalised (IDNA) name: {exc}"
    return None

def _url_host(value: object) -> object:
    """Refuse a URL whose host or port cannot be requested (``xn--``, port 99999, ``[::1``, ``:80``); values of
    another shape (credentials, spaces, other schemes) are left to the pattern and its hint."""
    if not isinstance(value, str) or len(value) > 2000:
        return value
    found = _AUTHORITY.match(value)
    if found is None or _LEFT_TO_PATTERN.search(authority := found.group(1)):
        return value
    common = _COMMON_HOST.fullmatch(authority)  # the usual case: a plain name (no A-label), a port in range
    if common and len(authority) <= 253 and "--" not in authority and int(common.group(1) or 1) <= 65535:
        return value
    problem = _host_problem(authority)
    if problem is None:
        return value
    shown = repr(value) if len(value) < 120 else "the value"
    raise PydanticCustomError("url_host", "{shown} is not a usable http(s) URL: {problem}",
                              {"shown": shown, "problem": problem})

Url = Annotated[
    str, Strict(), StringConstraints(pattern=URL_PATTERN, max_length=2000), BeforeValidator(_url_host)
]

ArxivId = Annotated[str, Strict(), StringConstraints(pattern=ARXIV_PATTERN)]

Doi = Annotated[str, Strict(), StringConstraints(pattern=DOI_PATTERN, max_length=300)]

YearMonth = Annotated[str, Strict(), StringConstraints(pattern=MONTH_PATTERN)]

Year = Annotated[int, Strict(), Field(ge=1900, le=2100)]

Month = Annotated[int, Strict(), Field(ge=1, le=12)]

Count = Annotated[int, Strict(), Field(ge=0)]

def _iso_date(value: object) -> object:
    """Accept only a date or ISO ``YYYY-MM-DD`` text, never a number of seconds or a date-time."""
    if isinstance(value, dt.datetime) or not isinstance(value, (str, dt.date)):
        raise PydanticCustomError("date_type", "Input should be a valid date")
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise PydanticCustomError("date_parsing", "Input should be a valid date in the format YYYY-MM-DD")
    return value

def _exact_number(value: object) -> object:
    """Whole numbers (and floats from Python callers) become exact decimals; text and true/false fail."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return value

Day = Annotated[dt.date, BeforeValidator(_iso_date), Strict(False)]

Number = Annotated[
    Decimal, BeforeValidator(_exact_number), Strict(), Field(allow_inf_nan=False), WithJsonSchema({"type": "number"})
]

Hours = Annotated[
    Decimal,
    BeforeValidator(_exact_number),
    Strict(),
    Field(ge=0, allow_inf_nan=False),
    WithJsonSchema({"type": "number", "minimum": 0}),
]
