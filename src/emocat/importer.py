"""``emocat import awesome``: turn an Awesome-style Markdown list into catalog entries."""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from emocat.catalog.identity import identity_keys
from emocat.catalog.identity import title_key as normalise_title
from emocat.catalog.loader import Catalog, load
from emocat.catalog.modalities import normalise_modalities
from emocat.catalog.models import Dataset, Entry, Model, Paper, Vocabulary
from emocat.catalog.values import ID_MAX, URL_PATTERN
from emocat.errors import ExistsError, Problem, Severity, UsageError
from emocat.store.files import write_new
from emocat.store.writer import dump_entry, free_id

MAX_BYTES = 10 * 1024 * 1024

# --------------------------------------------------------------------------------------------------
# Markdown scanning: lines -> items (one per bullet or table row) with their context.


@dataclass(frozen=True)
class Link:
    """A Markdown or HTML link found in an item."""

    text: str
    url: str
    badge: bool = False


@dataclass
class Item:
    """One bullet or table row, with the headings and group label above it."""

    line: int
    section: tuple[str, ...]
    group: str | None
    cells: dict[str, str]
    links: list[Link]
    main: str
    note: str = ""


_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])(?:\s+(.*)|\s*)$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")
_SUMMARY = re.compile(r"<summary[^>]*>(.*?)(?:</summary>|$)", re.IGNORECASE)
_LINK = re.compile(
    r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\]|!\[[^\]]*\]\([^)]*\))*)\]\(\s*<?([^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+\"[^\"]*\")?\s*\)"
)
_HTML_LINK = re.compile(r"<a\s[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_BARE_URL = re.compile(r"(?<![(\[<\"'=])\bhttps?://[^\s<>|)\]]+")
_URL_RE = re.compile(URL_PATTERN)
_BADGE_HOSTS = ("img.shields.io", "badgen.net", "awesome.re/badge", "badge.fury.io", "api.star-history.com")


def _split_cells(line: str) -> list[str]:
    """Split a table row on pipes that are outside links, code spans and escapes."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    cells: list[str] = []
    current: list[str] = []
    depth = 0
    code = False
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            current.append(body[index : index + 2])
            index += 2
            continue
        if char == "`":
            code = not code
        elif not code and char == "[":
            depth += 1
        elif not code and char == "]":
            depth = max(0, depth - 1)
        if char == "|" and depth == 0 and not code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    tail = "".join(current)
    if tail.strip():
        cells.append(tail)
    return [cell.strip() for cell in cells]


def _is_badge(text: str, url: str) -> bool:
    return (
        text.lstrip().startswith("![") or "<img" in text.lower() or any(host in url for host in _BADGE_HOSTS)
    )


def find_links(text: str) -> list[Link]:
    """Links of a piece of Markdown, in order; image-only links are marked as badges."""
    found: list[tuple[int, Link]] = []
    for match in _LINK.finditer(text):
        if match.group(1):  # a bare image: ![alt](src)
            continue
        label, url = match.group(2), match.group(3)
        found.append((match.start(), Link(plain(label), url.strip(), _is_badge(label, url))))
    for match in _HTML_LINK.finditer(text):
        found.append(
            (
                match.start(),
                Link(
                    plain(match.group(2)),
                    html.unescape(match.group(1)).strip(),
                    _is_badge(match.group(2), match.group(1)),
                ),
            )
        )
    stripped = _LINK.sub(" ", _HTML_LINK.sub(" ", text))
    for match in _BARE_URL.finditer(stripped):
        url = match.group(0).rstrip(".,;:")
        found.append((text.find(url), Link(url, url, _is_badge("", url))))
    return [link for _, link in sorted(found, key=lambda pair: pair[0])]


def plain(text: str) -> str:
    """Markdown/HTML cell text as one line of plain text."""
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", " ", text)
    text = _LINK.sub(lambda m: "" if m.group(1) else m.group(2), text)
    text = _LINK.sub(lambda m: "" if m.group(1) else m.group(2), text)
    text = re.sub(r"<[^>]{0,200}>", " ", text)
    text = re.sub(r"\\\(|\\\)|\\\[|\\\]", "", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|~<>])", r"\1", text)
    text = re.sub(r"(\*\*|__|~~|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S(?:.*?\S)?)[*_](?!\w)", r"\1", text)
    text = html.unescape(text)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())


def _header_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9#?]+", plain(text).lower()))


@dataclass
class _Scan:
    items: list[Item] = field(default_factory=list)
    problems: list[tuple[int, int, str, str, Severity]] = field(default_factory=list)


def scan(text: str) -> _Scan:
    """Find every bullet and table row of a Markdown list, with headings and group labels as context."""
    out = _Scan()
    lines = text.split("\n")
    headings: list[tuple[int, str]] = []
    group: str | None = None
    bullet_groups: list[tuple[int, str]] = []
    header: list[str] | None = None
    fence: str | None = None
    in_comment = False
    index = 0
    while index < len(lines):
        number, line = index + 1, lines[index].rstrip("\r")
        index += 1
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if stripped.startswith(("```", "~~~")):
            fence, header = stripped[:3], None
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if header is not None and "|" in stripped and not _HEADING.match(line):
            cells = _split_cells(line)
            if not any(plain(c) for c in cells):
                continue
            if len(cells) > len(header):
                extra = " | ".join(c for c in cells[len(header) :] if c)
                if extra:
                    out.problems.append(
                        (
                            number,
                            1,
                            f"{len(cells)} cells under {len(header)} headers; "
                            f"ignored the extra cells: {extra[:80]}",
                            "import-table",
                            Severity.WARNING,
                        )
                    )
            named = {header[i]: cells[i] if i < len(cells) else "" for i in range(len(header))}
            links = [link for cell in cells for link in find_links(cell)]
            out.items.append(Item(number, tuple(h for _, h in headings), group, named, links, ""))
            continue
        header = None
        if not stripped:
            continue
        heading = _HEADING.match(line)
        if heading:
            level, title = len(heading.group(1)), plain(heading.group(2))
            headings = [(lvl, t) for lvl, t in headings if lvl < level] + [(level, title)]
            group, bullet_groups = None, []
            continue
        summary = _SUMMARY.search(stripped)
        if summary:
            group = plain(summary.group(1)) or None
            bullet_groups = []
            continue
        if re.match(r"^</?details\b", stripped, re.IGNORECASE):
            if stripped.lower().startswith("</details"):
                group = None
            continue
        if "|" in stripped and index < len(lines) and _SEPARATOR.match(lines[index]) and "-" in lines[index]:
            header = [_header_key(c) for c in _split_cells(line)]
            index += 1
            continue
        bullet = _BULLET.match(line)
        if bullet:
            indent, body = len(bullet.group(1).expandtabs(4)), (bullet.group(2) or "").strip()
            bullet_groups = [(ind, label) for ind, label in bullet_groups if ind < indent]
            if not body:
                out.problems.append(
                    (number, indent + 1, "an empty list item", "import-empty", Severity.WARNING)
                )
                continue
            links = find_links(body)
            following = _BULLET.match(lines[index]) if index < len(lines) else None
            nested = following is not None and len(following.group(1).expandtabs(4)) > indent
            if nested and not any(_URL_RE.match(link.url) and not link.badge for link in links):
                bullet_groups.append((indent, plain(body).rstrip(":")))
                continue
            context = group if not bullet_groups else " / ".join(label for _, label in bullet_groups)
            main, note, junk = _bullet_parts(body)
            if junk:
                out.problems.append(
                    (
                        number,
                        indent + 1,
                        f"text stuck to the end of the link ignored: {junk[:60]!r}",
                        "import-link",
                        Severity.WARNING,
                    )
                )
            out.items.append(Item(number, tuple(h for _, h in headings), context, {}, links, main, note))
    return out


def _bullet_parts(body: str) -> tuple[str, str, str]:
    """Split ``[Name](url) - text`` into the name, the note and any text glued to the link."""
    match = _LINK.search(body)
    while match is not None and _is_badge(match.group(2), match.group(3)):
        match = _LINK.search(body, match.end())
    if match is None:
        text = plain(body)
        parts = re.split(r"\s+[-–—]\s+|:\s+", text, maxsplit=1)
        return parts[0], parts[1] if len(parts) > 1 else "", ""
    before = plain(body[: match.start()])
    after = re.sub(r"^[*_]+", "", body[match.end() :])
    junk = ""
    glued = re.match(r"[^\s\[(*_:,.;<]\S*", after)
    if glued:
        junk, after = glued.group(0), after[glued.end() :]
    name = plain(match.group(2)) or before
    note = re.sub(r"^\s*(?:[-–—:]\s*)", "", after)
    return name, plain(note), junk


# --------------------------------------------------------------------------------------------------
# Items -> entries.

PAPER_HOSTS = (
    "arxiv.org",
    "doi.org",
    "openreview.net",
    "aclanthology.org",
    "aclweb.org/anthology",
    "papers.nips.cc",
    "proceedings.neurips.cc",
    "proceedings.mlr.press",
    "jmlr.org",
    "openaccess.thecvf.com",
    "ieeexplore.ieee.org",
    "dl.acm.org",
    "link.springer.com",
    "semanticscholar.org",
    "ojs.aaai.org",
    "ijcai.org/proceedings",
    "biorxiv.org",
    "medrxiv.org",
)
MODEL_HOSTS = ("huggingface.co", "hf.co", "modelscope.cn", "ollama.com", "replicate.com", "civitai.com")
DATASET_HOSTS = ("huggingface.co/datasets", "kaggle.com/datasets", "zenodo.org", "paperswithcode.com/dataset")
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org")

_ARXIV = re.compile(
    r"arxiv\.org/(?:abs|pdf|html)/((?:\d{4}\.\d{4,5})|(?:[a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}))(v\d+)?", re.I
)
_DOI = re.compile(r"(?:doi\.org/|dl\.acm\.org/doi/(?:abs/|pdf/)?)(10\.\d{4,9}/[^\s?#]+)", re.I)

_KIND_WORDS = (
    ("dataset", ("dataset", "datasets", "corpus", "corpora", "data", "benchmark", "benchmarks")),
    (
        "paper",
        (
            "paper",
            "papers",
            "survey",
            "surveys",
            "publication",
            "publications",
            "reading",
            "milestone",
            "review",
            "reviews",
            "article",
            "articles",
            "research",
        ),
    ),
    (
        "model",
        (
            "model",
            "models",
            "llm",
            "llms",
            "mllm",
            "mllms",
            "checkpoint",
            "checkpoints",
            "weights",
            "project",
            "projects",
            "tool",
            "tools",
        ),
    ),
)
_SKIP_SECTIONS = (
    "contents",
    "table of contents",
    "contributing",
    "contribute",
    "license",
    "citation",
    "acknowledgement",
    "acknowledgements",
    "acknowledgment",
    "star history",
    "contributors",
    "related",
    "sponsors",
)

# column role -> words that name it (a header matches when it equals or starts with one of them)
_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("paper", "title", "paper title", "publication"),
    "name": ("name", "model", "dataset", "project", "method", "benchmark", "models", "datasets"),
    "date": ("date", "year", "published", "time", "release", "released"),
    "keyword": ("keyword", "keywords", "short name", "abbr", "abbreviation", "alias"),
    "institution": (
        "institute",
        "institution",
        "institutions",
        "affiliation",
        "organisation",
        "organization",
        "org",
        "lab",
        "company",
    ),
    "modality": ("modality", "modalities", "supported modality", "modal", "mod"),
    "venue": ("venue", "conference", "journal", "pub", "publisher"),
    "samples": ("samples", "# samples", "#samples", "size", "# clips", "clips", "utterances", "instances"),
    "labelled": ("#labels", "# labels", "labels", "labelled", "labeled"),
    "classes": ("emotions", "classes", "# classes", "#classes", "categories", "# emotions"),
    "descriptions": ("description", "descriptions", "desc"),
    "annotation": ("annotation manner", "annotation", "annotated by", "labelling"),
    "domain": ("domain", "source domain", "scenario"),
    "hours": ("dur hrs", "dur", "duration", "hours", "hrs", "duration h", "duration hours"),
    "language": ("language", "languages", "lang"),
    "emotion": ("emotion?", "emotion", "emotional"),
    "egocentric": ("ego?", "ego", "egocentric"),
    "description_text": ("summary", "notes", "note", "remarks", "comment", "comments", "highlights"),
    "link": (
        "link",
        "links",
        "url",
        "urls",
        "code",
        "source",
        "github",
        "repo",
        "repository",
        "project page",
        "homepage",
        "download",
        "resources",
        "resource",
    ),
}
_ANNOTATION = {
    "human": "human",
    "manual": "human",
    "crowd": "human",
    "crowdsourced": "human",
    "expert": "human",
    "model": "model",
    "automatic": "model",
    "auto": "model",
    "llm": "model",
    "gpt": "model",
    "human led model assisted": "human-led-model-assisted",
    "model led human assisted": "model-led-human-assisted",
}
_YES = {"✓", "✔", "✅", "yes", "y", "true", "x", "☑", "√"}
_NO = {"✗", "✘", "❌", "no", "n", "false", "×", "☐"}
_MONTHS = {
    name: i
    for i, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}


def slugify(text: str, limit: int = 60) -> str:
    """A lowercase kebab-case id for a name (``Qwen2.5-VL`` -> ``qwen2-5-vl``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    ascii_text = ascii_text.replace("+", " plus ").replace("&", " and ")
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > limit:
            break
        slug = candidate
    return slug or (words[0][:limit] if words else "")


def _column_roles(cells: dict[str, str]) -> dict[str, str]:
    """Map header -> role for the headers of a table row (first matching role wins per header)."""
    roles: dict[str, str] = {}
    taken: set[str] = set()
    for header in cells:
        for role, words in _COLUMNS.items():
            if role in taken and role not in ("link",):
                continue
            if header in words or any(header.startswith(word + " ") for word in words if len(word) > 3):
                roles[header] = role
                taken.add(role)
                break
    return roles


def _host_kind(url: str) -> str:
    lowered = url.lower()
    if any(host in lowered for host in DATASET_HOSTS):
        return "dataset"
    if any(host in lowered for host in PAPER_HOSTS) or re.search(r"\.pdf(?:$|[?#])", lowered):
        return "paper"
    if any(re.search(rf"//(?:www\.)?{re.escape(host)}/", lowered) for host in MODEL_HOSTS):
        return "model"
    if any(host in lowered for host in CODE_HOSTS):
        return "code"
    return "other"


def _context_kind(texts: list[str]) -> str | None:
    """The kind the nearest group label or heading names (datasets before papers before models)."""
    for text in texts:
        tokens = set(re.findall(r"[a-z0-9]+", text.lower()))
        for kind, words in _KIND_WORDS:
            if tokens & set(words):
                return kind
    return None


def _number(text: str) -> int | None:
    cleaned = text.replace(",", "").replace("_", "").replace("\u202f", "").replace(" ", "").strip()
    if re.fullmatch(r"\d+", cleaned):
        return int(cleaned)
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM])", cleaned)
    if match:
        value = Decimal(match.group(1)) * (1000 if match.group(2).lower() == "k" else 1_000_000)
        return int(value) if value == value.to_integral_value() else None
    return None


def hours_value(text: str) -> Decimal | None:
    """Hours from ``HH:MM`` (exact when the minutes divide evenly, else rounded to 2 places) or a number."""
    cleaned = text.strip().replace(",", "")
    match = re.fullmatch(r"(\d+):([0-5]\d)", cleaned)
    if match:
        minutes = int(match.group(2))
        if minutes * 100 % 60 == 0:  # 06:30 -> 6.5 exactly
            return Decimal(match.group(1)) + Decimal(minutes * 100 // 60) / 100
        return (Decimal(match.group(1)) + Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


def parse_date(text: str) -> tuple[int | None, int | None]:
    """Year and month from ``2024-05``, ``2024/5``, ``May 2024``, ``2024`` (None when absent)."""
    text = plain(text).lower()
    match = re.search(r"\b((?:19|20)\d{2})[-/.](\d{1,2})\b", text)
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2))
    match = re.search(r"\b(\d{1,2})[-/.]((?:19|20)\d{2})\b", text)
    if match and 1 <= int(match.group(1)) <= 12:
        return int(match.group(2)), int(match.group(1))
    match = re.search(
        r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+((?:19|20)\d{2})\b", text
    )
    if match:
        return int(match.group(2)), _MONTHS[match.group(1)]
    match = re.search(r"\b((?:19|20)\d{2})\b", text)
    return (int(match.group(1)), None) if match else (None, None)


def arxiv_date(arxiv: str) -> tuple[int, int] | None:
    """Year and month encoded in a new-style arXiv id (``2405.04434`` -> 2024, 5)."""
    match = re.match(r"(\d{2})(\d{2})\.", arxiv)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return 2000 + int(match.group(1)), int(match.group(2))


_SIZE_UNIT = re.compile(r"^[\d.]+([A-Za-z]+)")


def split_sizes(name: str) -> tuple[str, list[str]]:
    """``Qwen2-0.5B|1.5B|72B`` -> (``Qwen2``, [0.5B, 1.5B, 72B]); ``Mistral-7B`` -> (``Mistral-7B``, [7B])."""
    if "|" not in name:
        match = re.search(r"[- ]((?:\d+x)?\d+(?:\.\d+)?[BMT])$", name)
        return name, [match.group(1)] if match else []
    parts = [part.strip() for part in name.split("|")]
    base, _, first = parts[0].rpartition("-")
    if not base or not re.match(r"\d", first) or not all(re.match(r"[\dA-Za-z]", p) for p in parts[1:]):
        return name, []
    sizes = [first, *parts[1:]]
    unit_match = next((m for m in (_SIZE_UNIT.match(p) for p in reversed(sizes)) if m), None)
    unit = unit_match.group(1) if unit_match else ""
    if unit.lower() not in ("b", "m", "t"):
        unit = ""
    return base.strip(), [size + unit if re.fullmatch(r"[\d.]+", size) else size for size in sizes]


@dataclass
class Candidate:
    """An entry built from one item, before duplicates are resolved."""

    item: Item
    kind: str
    data: dict[str, Any]
    id_hint: str
    notes: list[tuple[str, str]] = field(default_factory=list)  # (message, rule) warnings


def _vocab_lookup(vocab: dict[str, Any], text: str) -> str | None:
    key = slugify(text)
    wanted = normalise_title(text)
    for slug, term in vocab.items():
        names = [slug, term.name, *term.aliases]
        if key == slug or any(normalise_title(n) == wanted for n in names):
            return slug
    return None


def _institutions(text: str, vocabulary: Vocabulary, notes: list[tuple[str, str]]) -> list[str]:
    found: list[str] = []
    cleaned = re.sub(r"\bet al\.?", "", plain(text), flags=re.IGNORECASE)
    for part in re.split(r"\s*(?:&|,|;|/|\band\b)\s*", cleaned):
        part = part.strip(" .")
        if not part or part in {"-", "–"}:
            continue
        slug = _vocab_lookup(vocabulary.organisations, part)
        if slug is None:
            notes.append(
                (
                    f"organisation {part!r} is not in vocabulary.yaml (add it, e.g. as {slugify(part)!r}); "
                    "left out",
                    "import-vocabulary",
                )
            )
        elif slug not in found:
            found.append(slug)
    return found


def _bool(text: str) -> bool | None:
    value = plain(text).strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None


def _put_link(links: dict[str, str], url: str, host: str, kind: str) -> None:
    if host == "paper":
        arxiv = _ARXIV.search(url)
        if arxiv and "/pdf/" in url:
            links.setdefault("pdf", url)
            links.setdefault("paper", f"https://arxiv.org/abs/{arxiv.group(1)}")
        elif re.search(r"\.pdf(?:$|[?#])", url.lower()) and "paper" in links:
            links.setdefault("pdf", url)
        else:
            links.setdefault("paper", url)
    elif host == "model" or (host == "dataset" and "huggingface" in url):
        links.setdefault("huggingface", url)
    elif host == "dataset":
        links.setdefault("data", url)
    elif host == "code":
        links.setdefault("code", url)
    elif kind == "dataset":
        links.setdefault("data", url)
    else:
        links.setdefault("project", url)


def build_candidate(item: Item, vocabulary: Vocabulary) -> Candidate | str:
    """Turn one item into a candidate entry, or return why it cannot be mapped."""
    notes: list[tuple[str, str]] = []
    roles = _column_roles(item.cells)
    by_role: dict[str, str] = {}
    for header, role in roles.items():
        by_role.setdefault(role, item.cells[header])
    good_links: list[tuple[Link, str]] = []
    for link in item.links:
        if link.badge:
            continue
        if not _URL_RE.match(link.url):
            if not link.url.startswith("#"):
                notes.append(
                    (
                        f"link target {link.url!r} of {link.text!r} is not an http(s) URL; dropped",
                        "import-link",
                    )
                )
            continue
        good_links.append((link, _host_kind(link.url)))

    title_cell = plain(by_role.get("title", ""))
    name_cell = plain(by_role.get("name", ""))
    keyword = plain(by_role.get("keyword", ""))
    main = item.main or title_cell or name_cell
    if not main and item.cells:
        main = next((plain(v) for v in item.cells.values() if plain(v) and not _URL_RE.match(plain(v))), "")
    if not main and good_links:
        main = good_links[0][0].text
    if main in {"-", "–", "—"}:
        main = ""
    if not main:
        return "no name or title; nothing to import"
    if not good_links and not item.cells:
        bad = [link.url for link in item.links if not link.badge and not _URL_RE.match(link.url)]
        reason = f"its link target {bad[0]!r} is not an http(s) URL" if bad else "it has no http(s) link"
        return f"{main[:60]!r}: {reason}; cannot tell what it is"

    headers = " ".join(item.cells)
    context = _context_kind([item.group or "", *reversed(item.section)])
    column_kind = (
        "dataset"
        if "dataset" in roles.values()
        and any(h.startswith("dataset") for h, r in roles.items() if r == "name")
        else None
    )
    hosts = {host for _, host in good_links}
    if column_kind or context == "dataset":
        kind = "dataset"
    elif context == "paper" or "title" in roles.values():
        kind = "paper"
    elif context == "model":
        kind = "model"
    elif "paper" in hosts:
        kind = "paper"
    elif "model" in hosts:
        kind = "model"
    elif "dataset" in hosts:
        kind = "dataset"
    elif "code" in hosts:
        kind = "model"
    else:
        known = headers or "none"
        return f"{main[:60]!r}: cannot tell whether it is a paper, dataset or model (headers: {known})"

    links: dict[str, str] = {}
    for link, host in good_links:
        _put_link(links, link.url, host, kind)
    data: dict[str, Any] = {}
    modalities_text = by_role.get("modality", "")
    if modalities_text and plain(modalities_text) not in {"-", ""}:
        modalities, unknown = normalise_modalities(plain(modalities_text))
        data["modalities"] = modalities
        if unknown:
            notes.append(
                (
                    f"unknown modality notation {', '.join(unknown)!r} in {plain(modalities_text)!r}; "
                    "left out",
                    "import-modality",
                )
            )
    description = item.note or plain(by_role.get("description_text", ""))
    if description:
        data["description"] = description

    if kind == "paper":
        data["title"] = title_cell or main
        _paper_fields(by_role, [link.url for link, _ in good_links], data, notes, vocabulary)
        topic = _topic_for(item, vocabulary)
        if topic:
            data["topics"] = [topic]
        hint = keyword or _short_title(str(data["title"]))
    elif kind == "model":
        raw_name = name_cell or main
        name, sizes = split_sizes(raw_name)
        if sizes and any(re.fullmatch(r"[\d.]+", s) for s in sizes):
            notes.append((f"sizes of {raw_name!r} have no unit; kept as printed", "import-number"))
        data["name"] = name
        if sizes:
            data["sizes"] = sizes
        hint = _short_title(name)
        org_text = by_role.get("institution") or item.group or ""
        if org_text:
            orgs = _institutions(org_text, vocabulary, notes)
            if orgs:
                data["organisation"] = orgs[0]
    else:
        name = name_cell or main
        data["name"] = name
        _dataset_fields(by_role, data, notes)
        hint = _short_title(name)
    if links:
        data["links"] = links
    return Candidate(item, kind, data, slugify(hint), notes)


def _paper_fields(
    by_role: dict[str, str],
    urls: list[str],
    data: dict[str, Any],
    notes: list[tuple[str, str]],
    vocabulary: Vocabulary,
) -> None:
    """arXiv id, DOI, year and month (the arXiv id wins over a date column), keyword, venue, institutions."""
    arxiv = next((m.group(1) for m in (_ARXIV.search(u) for u in urls) if m), None)
    doi = next((m.group(1) for m in (_DOI.search(u) for u in urls) if m), None)
    if arxiv:
        data["arxiv"] = arxiv
    if doi:
        data["doi"] = doi.rstrip(".")
    year, month = parse_date(by_role.get("date", ""))
    from_id = arxiv_date(arxiv) if arxiv else None
    if from_id:
        if year is not None and (year, month or from_id[1]) != from_id:
            printed = f"{year}-{month:02d}" if month else str(year)
            notes.append(
                (
                    f"the date column says {printed} but the arXiv id {arxiv} says "
                    f"{from_id[0]}-{from_id[1]:02d}; kept the arXiv date",
                    "import-date",
                )
            )
        year, month = from_id
    if year is not None:
        data["year"] = year
    if month is not None:
        data["month"] = month
    keyword = plain(by_role.get("keyword", ""))
    if keyword:
        data["keyword"] = keyword
    venue = plain(by_role.get("venue", ""))
    if venue and venue not in {"-", "–"}:
        data["venue"] = venue
    if by_role.get("institution"):
        data["institutions"] = _institutions(by_role["institution"], vocabulary, notes)


def _short_title(title: str) -> str:
    head = title.split(":", 1)[0]
    return head if len(head.split()) <= 5 else " ".join(title.split()[:8])


def _topic_for(item: Item, vocabulary: Vocabulary) -> str | None:
    texts = [item.group or "", *item.section[-1:]]
    for text in texts:
        words = {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower())}
        for slug, term in vocabulary.topics.items():
            if slug.rstrip("s") in words or normalise_title(term.name) == normalise_title(text):
                return slug
    return None


def _dataset_fields(by_role: dict[str, str], data: dict[str, Any], notes: list[tuple[str, str]]) -> None:
    def value(role: str) -> str:
        text = plain(by_role.get(role, ""))
        return "" if text in {"-", "–", "—", "?", "n/a", "N/A"} else text

    for role, target in (
        ("samples", "samples"),
        ("labelled", "labelled_samples"),
        ("classes", "emotion_classes"),
    ):
        text = value(role)
        if text:
            number = _number(text)
            if number is None:
                notes.append((f"{target}: {text!r} is not a whole number; left out", "import-number"))
            else:
                data[target] = number
    for role, target in (
        ("descriptions", "descriptions"),
        ("emotion", "emotion_labels"),
        ("egocentric", "egocentric"),
    ):
        text = value(role)
        if text:
            flag = _bool(text)
            if flag is None and role == "descriptions":
                data.setdefault("description", text)
            elif flag is None:
                notes.append((f"{target}: {text!r} is neither yes nor no; left out", "import-number"))
            else:
                data[target] = flag
    text = value("annotation")
    if text:
        key = " ".join(re.findall(r"[a-z]+", text.lower()))
        if key in _ANNOTATION:
            data["annotation"] = _ANNOTATION[key]
        else:
            notes.append(
                (
                    f"annotation manner {text!r} is not one of human, model, human-led-model-assisted, "
                    "model-led-human-assisted; left out",
                    "import-vocabulary",
                )
            )
    text = value("hours")
    if text:
        hours = hours_value(text)
        if hours is None:
            notes.append((f"hours: {text!r} is not a duration; left out", "import-number"))
        else:
            data["hours"] = hours
            hh, _, mm = text.partition(":")
            if mm and hours != Decimal(hh) + Decimal(mm) / 60:
                notes.append((f"hours: {text} (hours:minutes) rounded to {hours}", "import-number"))
    if value("domain"):
        data["domain"] = value("domain")
    text = value("language")
    if text:
        data["_languages"] = text


# --------------------------------------------------------------------------------------------------
# Duplicates, ids, writing.


@dataclass
class Planned:
    """An entry that will be (or was) written."""

    entry: Entry
    path: Path
    line: int


@dataclass
class ImportReport:
    """What an import did: entries created (or that would be), and every row it reported."""

    source: Path
    created: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items: int = 0
    dry_run: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


_CLASSES: dict[str, type[Entry]] = {"paper": Paper, "model": Model, "dataset": Dataset}
_SUFFIX = {"paper": "paper", "model": "model", "dataset": "dataset"}
#: When a paper and a model share a name, the paper keeps it and the model gets ``-model`` (docs/ids.md).
_ID_PRIORITY = {"paper": 0, "dataset": 1, "model": 2}


def _keys(kind: str, entry: Entry) -> list[tuple[str, str]]:
    keys = [(what, value) for _, what, value in identity_keys(entry) if value]
    if kind != "paper":
        # "OV-MERD+" and "OV-MERD" are different datasets: keep the plus in the name key
        keys.append((f"{kind} name", normalise_title(getattr(entry, "name", "").replace("+", " plus "))))
    return keys


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> list[str]:
    """Fill what ``into`` lacks from ``extra``; return the fields that were added."""
    added = []
    for key, value in extra.items():
        if key == "links":
            links = into.setdefault("links", {})
            for name, url in value.items():
                if name not in links:
                    links[name] = url
                    added.append(f"links.{name}")
        elif isinstance(value, list):
            current = into.setdefault(key, [])
            new = [v for v in value if v not in current]
            if new:
                current.extend(new)
                added.append(key)
        elif key not in into:
            into[key] = value
            added.append(key)
    return added


def plan_import(text: str, source: Path, catalog: Catalog, *, added: dt.date) -> ImportReport:
    """Parse a Markdown list and decide which entries to create; write nothing."""
    report = ImportReport(source)

    def problem(
        line: int, message: str, rule: str, severity: Severity = Severity.WARNING, column: int = 1
    ) -> None:
        report.problems.append(Problem(str(source), line, column, severity, "", message, rule))

    scanned = scan(text)
    for line, column, message, rule, severity in scanned.problems:
        problem(line, message, rule, severity, column)
    report.items = len(scanned.items)
    existing: dict[tuple[str, str], str] = {}
    for entry in catalog.entries():
        for key in _keys(entry.kind, entry):
            existing.setdefault(key, entry.id)
    taken = set(catalog.paths)
    accepted: list[tuple[Candidate, dict[str, Any]]] = []
    seen: dict[tuple[str, str], int] = {}
    for item in scanned.items:
        if item.section and plain(item.section[-1]).lower().strip(" :") in _SKIP_SECTIONS:
            continue
        built = build_candidate(item, catalog.vocabulary)
        if isinstance(built, str):
            problem(item.line, f"not imported: {built}", "import-unmapped", Severity.ERROR)
            continue
        for message, rule in built.notes:
            problem(item.line, message, rule)
        languages = built.data.pop("_languages", None)
        if languages:
            built.data["languages"] = _languages(languages, catalog.vocabulary, built, problem)
        try:
            entry = _CLASSES[built.kind].model_validate({**built.data, "added": added})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            problem(item.line, f"not imported: {where}: {first['msg']}", "import-invalid", Severity.ERROR)
            continue
        keys = _keys(built.kind, entry)
        owner = next((existing[k] for k in keys if k in existing), None)
        if owner is not None:
            kind_owner = catalog.get(owner)
            if kind_owner is not None and kind_owner.kind == built.kind:
                known = canonical(kind_owner)
                missing = sorted(f for f in _merge(dict(known), built.data) if f not in ("description",))
                extra = f"; the list also gives {', '.join(missing)} (add by hand)" if missing else ""
                problem(
                    item.line,
                    f"already in the catalog as {owner} ({catalog.path_of(owner)}); not written{extra}",
                    "import-duplicate",
                )
                continue
        twin = next((seen[k] for k in keys if k in seen), None)
        if twin is not None and accepted[twin][0].kind == built.kind:
            first_candidate, data = accepted[twin]
            fields = _merge(data, built.data)
            merged = f"; took {', '.join(fields)} from it" if fields else ""
            problem(
                item.line,
                f"the same {built.kind} as line {first_candidate.item.line}; merged{merged}",
                "import-duplicate",
            )
            continue
        for key in keys:
            seen.setdefault(key, len(accepted))
        accepted.append((built, built.data))
    _link_models_to_papers(accepted, catalog)
    ids: dict[int, str] = {}
    for candidate, _ in sorted(accepted, key=lambda pair: _ID_PRIORITY[pair[0].kind]):
        ids[id(candidate)] = _free_id(candidate, taken)
        taken.add(ids[id(candidate)])
    for candidate, data in accepted:
        owner = data.pop("_paper", None)
        if owner is not None:
            data["paper"] = owner if isinstance(owner, str) else ids[id(owner)]
        try:
            entry = _CLASSES[candidate.kind].model_validate({**data, "added": added})
        except ValidationError as exc:
            first = exc.errors()[0]
            problem(
                candidate.item.line,
                f"not imported: {'.'.join(map(str, first['loc']))}: {first['msg']}",
                "import-invalid",
                Severity.ERROR,
            )
            continue
        entry.id = ids[id(candidate)]
        report.created.append(
            Planned(entry, catalog.root / entry.folder / f"{entry.id}.yaml", candidate.item.line)
        )
    report.problems.sort()
    return report


def canonical(entry: Entry) -> dict[str, Any]:
    return entry.model_dump(mode="python", exclude_none=True, exclude={"id"})


def _languages(text: str, vocabulary: Vocabulary, candidate: Candidate, problem: Any) -> list[str]:
    found: list[str] = []
    for part in re.split(r"\s*(?:,|/|;|&|\band\b)\s*", text):
        if not part.strip():
            continue
        slug = _vocab_lookup(vocabulary.languages, part.strip())
        if slug is None:
            problem(
                candidate.item.line,
                f"language {part.strip()!r} is not in vocabulary.yaml; left out",
                "import-vocabulary",
            )
        elif slug not in found:
            found.append(slug)
    return found


def _link_models_to_papers(accepted: list[tuple[Candidate, dict[str, Any]]], catalog: Catalog) -> None:
    """A model whose only paper link is a paper already imported or catalogued points at it by id instead."""
    by_url: dict[str, Candidate | str] = {}
    for entry in catalog.papers.values():
        for _, what, value in identity_keys(entry):
            if what == "URL":
                by_url[value] = entry.id
    for candidate, data in accepted:
        if candidate.kind == "paper":
            for _, what, value in identity_keys(Paper.model_validate({**data, "added": dt.date(2000, 1, 1)})):
                if what == "URL":
                    by_url.setdefault(value, candidate)
    for candidate, data in accepted:
        if candidate.kind == "paper":
            continue
        links = data.get("links", {})
        for field_name in ("paper", "pdf"):
            url = links.get(field_name)
            owner = by_url.get(_norm(url)) if url else None
            if owner is not None:
                data["_paper"] = owner
                del links[field_name]
        if not links:
            data.pop("links", None)


def _norm(url: str) -> str:
    from emocat.catalog.identity import url_key

    return url_key(url)[1]


def _free_id(candidate: Candidate, taken: set[str]) -> str:
    base = candidate.id_hint or candidate.kind
    base = base[: ID_MAX - 10].strip("-")
    suffixed = f"{base}-{_SUFFIX[candidate.kind]}"
    return free_id([base, suffixed], taken, numbered=suffixed)


def read_list(path: Path) -> str:
    """The text of a Markdown file, or a UsageError naming the file, line and column of bad bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path}: {len(data)} bytes; lists over {MAX_BYTES} bytes are not imported")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UsageError(
            f"{path}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the list as UTF-8"
        ) from None


def import_awesome(path: Path, root: Path, *, dry_run: bool = False, added: dt.date) -> ImportReport:
    """Import an Awesome-style list into the catalog at ``root``; with ``dry_run`` write nothing."""
    if not root.is_dir():
        raise UsageError(f"{root}: no such catalog folder")
    text = read_list(path)
    catalog, _ = load(root)
    report = plan_import(text, path, catalog, added=added)
    report.dry_run = dry_run
    if not dry_run:
        written: list[Planned] = []
        for planned in report.created:
            try:
                write_new(planned.path, dump_entry(planned.entry))
            except ExistsError as exc:
                report.problems.append(
                    Problem(str(path), planned.line, 1, Severity.ERROR, "", str(exc), "import-exists")
                )
                continue
            written.append(planned)
        report.created = written
    return report
