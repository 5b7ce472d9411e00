"""Values: numbers, hours, dates, sizes, yes/no, venues and vocabulary terms read from cell and bullet text."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from emocat.catalog.identity import title_key as normalise_title
from emocat.catalog.models import Vocabulary

ANNOTATION = {
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



def whole_number(text: str) -> int | None:
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
    text = text.lower()
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



_normalised = functools.lru_cache(maxsize=4096)(normalise_title)  # vocabulary names are looked up again and again


def vocab_lookup(vocab: dict[str, Any], text: str) -> str | None:
    key = slugify(text)
    wanted = _normalised(text)
    for slug, term in vocab.items():
        names = [slug, term.name, *term.aliases]
        if key == slug or any(_normalised(n) == wanted for n in names):
            return slug
    return None


def institutions(text: str, vocabulary: Vocabulary, notes: list[tuple[str, str]]) -> list[str]:
    found: list[str] = []
    cleaned = re.sub(r"\bet al\.?", "", text, flags=re.IGNORECASE)
    for part in re.split(r"\s*(?:&|,|;|/|\band\b)\s*", cleaned):
        part = part.strip(" .")
        if not part or part in {"-", "–"}:
            continue
        slug = vocab_lookup(vocabulary.organisations, part)
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


def yes_no(text: str) -> bool | None:
    value = text.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    return None



def languages(text: str, vocabulary: Vocabulary) -> tuple[list[str], list[str]]:
    """Language slugs named by ``text`` (``EN, ZH``) and the names that are not in the vocabulary."""
    found: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"\s*(?:,|/|;|&|\band\b)\s*", text):
        if not part.strip():
            continue
        slug = vocab_lookup(vocabulary.languages, part.strip())
        if slug is None:
            unknown.append(part.strip())
        elif slug not in found:
            found.append(slug)
    return found, unknown


_VENUE = r"[A-Za-z][\w&.'’+/-]*(?: [A-Za-z][\w&.'’+/-]*){0,5}"
_YEAR = r"(?:19|20)\d{2}"
#: ``, ACL 2019``, ``(CVPR 2024)``, ``[arXiv 2023]`` (the venue may be left out: ``(2024)``), at the start of a note
_VENUE_YEAR = re.compile(
    rf"[,;] ?(?:(?P<v1>{_VENUE}) )?(?P<y1>{_YEAR})\b"
    rf"|\( ?(?:(?P<v2>{_VENUE}),? )?(?P<y2>{_YEAR}) ?\)"
    rf"|\[ ?(?:(?P<v3>{_VENUE}),? )?(?P<y3>{_YEAR}) ?\]"
)
_REST_LEAD = re.compile(r"[\s,;:.\-–—]+")


def venue_year(note: str) -> tuple[str | None, int | None, str]:
    """The venue and year a bullet gives after its link (``, ACL 2019``, ``(CVPR 2024)``, ``[arXiv 2023]``)
    and the rest of the note; ``(None, None, note)`` when the note does not start with one."""
    match = _VENUE_YEAR.match(note[:300])
    if match is None:
        return None, None, note
    venue = match.group("v1") or match.group("v2") or match.group("v3")
    year = int(match.group("y1") or match.group("y2") or match.group("y3"))
    rest = note[match.end() :]
    lead = _REST_LEAD.match(rest)
    return venue, year, rest[lead.end() :] if lead else rest
