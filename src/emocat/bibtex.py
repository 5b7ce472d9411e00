"""BibTeX in and out: deterministic entries with unique keys for papers, and reading .bib files."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from emocat.catalog.models import Paper
from emocat.errors import EmocatError, Problem, Severity

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: Words that never make a key (articles, prepositions, conjunctions).
STOPWORDS = frozenset({
    "a", "about", "an", "and", "are", "as", "at", "by", "do", "does", "for", "from", "how", "in", "into",
    "is", "it", "its", "of", "on", "or", "the", "this", "to", "toward", "towards", "under", "via", "what",
    "when", "where", "which", "who", "why", "with", "without",
})

_CONFERENCE = re.compile(
    r"\b(proceedings|proc\.|conference|workshop|symposium|meeting|"
    r"cvpr|iccv|eccv|neurips|nips|icml|iclr|aaai|ijcai|acl|emnlp|naacl|coling|eacl|interspeech|icassp|"
    r"acm mm|mm '\d\d|acm multimedia|kdd|www|sigir|icmi|acii|fg)\b",
    re.IGNORECASE,
)

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_LATEX_RE = re.compile("|".join(re.escape(ch) for ch in _LATEX_SPECIAL))


def escape_latex(text: str) -> str:
    """Escape what LaTeX or BibTeX would read as markup; other Unicode stays as it is (UTF-8)."""
    return _LATEX_RE.sub(lambda m: _LATEX_SPECIAL[m.group(0)], text)


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def _surname(paper: Paper) -> str | None:
    if not paper.authors:
        return None
    name = paper.authors[0].strip()
    words = name.split()
    last = name.split(",")[0] if "," in name else words[-1] if words else ""
    return "".join(_ascii_words(last)) or None


def _significant(title: str) -> list[str]:
    return [word for word in _ascii_words(title) if word not in STOPWORDS] or ["untitled"]


def bibtex_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Unique keys (surname + year + first significant title word), by entry id, assigned in id order.

    Without authors, the first significant title word takes the surname's place. On a collision the key
    takes further title words; when the title runs out, a letter.
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in sorted(papers, key=lambda p: p.id):
        words = _significant(paper.title)
        name = _surname(paper)
        if name is None:
            name, words = words[0], words[1:] or ["paper"]
        base = f"{name}{paper.year or ''}"
        key = base + words[0]
        extra = 1
        while key in taken and extra < len(words):
            key += words[extra]
            extra += 1
        if key in taken:
            stem = key
            suffix = 0
            while key in taken:
                key = f"{stem}{_letters(suffix)}"
                suffix += 1
        taken.add(key)
        keys[paper.id] = key
    return keys


def _letters(number: int) -> str:
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def _url_value(url: str) -> str:
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def entry_type(paper: Paper) -> tuple[str, str | None]:
    """The BibTeX type and the field that holds the venue."""
    if paper.venue:
        return ("inproceedings", "booktitle") if _CONFERENCE.search(paper.venue) else ("article", "journal")
    if paper.arxiv:
        return "article", "journal"
    return "misc", None


def paper_bibtex(paper: Paper, key: str) -> str:
    """One ``@type{key, ...}`` block for a paper, fields in a fixed order."""
    kind, venue_field = entry_type(paper)
    fields: list[tuple[str, str]] = [("title", "{" + escape_latex(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(escape_latex(name) for name in paper.authors)))
    if venue_field:
        venue = paper.venue or f"arXiv preprint arXiv:{paper.arxiv}"
        fields.append((venue_field, escape_latex(venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    lines = [f"@{kind}{{{key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    if paper.year and paper.month:
        lines.append(f"  month = {MONTHS[paper.month - 1]},")
    if paper.doi:
        lines.append(f"  doi = {{{_url_value(paper.doi)}}},")
    if paper.arxiv:
        lines.append(f"  eprint = {{{paper.arxiv}}},")
        lines.append("  archiveprefix = {arXiv},")
    url = paper.links.paper or (f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else None)
    if url:
        lines.append(f"  url = {{{_url_value(url)}}},")
    lines[-1] = lines[-1].rstrip(",")
    lines.append("}")
    return "\n".join(lines) + "\n"


def papers_bibtex(papers: Iterable[Paper]) -> str:
    """Every paper as BibTeX, sorted by id, separated by blank lines."""
    items = sorted(papers, key=lambda p: p.id)
    keys = bibtex_keys(items)
    return "\n".join(paper_bibtex(paper, keys[paper.id]) for paper in items)


# --- reading -------------------------------------------------------------------------------------------

#: Entry types that describe a venue rather than a paper; they serve ``crossref`` and are not imported.
CONTAINER_TYPES = frozenset({"proceedings", "book", "collection", "mvproceedings", "mvbook"})


@dataclass(frozen=True)
class BibEntry:
    """One decoded BibTeX entry: plain-text fields (authors as a list), its key and 1-based line."""

    key: str
    type: str
    line: int
    fields: dict[str, Any]


@dataclass
class BibFile:
    """The usable entries of a file and the problems (failed blocks, duplicate keys) found in it."""

    entries: list[BibEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _split_concatenation(raw: str) -> list[str]:
    """Split ``"a" # b # {c}`` at the ``#`` signs that are outside braces and quotes."""
    pieces: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
    for char in raw:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    return [piece.strip() for piece in pieces]


def _resolve(raw: Any, strings: dict[str, str], seen: frozenset[str] = frozenset()) -> str:
    """The text of a raw field value: enclosings removed, ``@string`` macros expanded, ``#`` joined."""
    if not isinstance(raw, str):
        return str(raw)
    out = []
    for piece in _split_concatenation(raw):
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            out.append(piece[1:-1])
        elif piece.lower() in strings and piece.lower() not in seen:
            out.append(_resolve(strings[piece.lower()], strings, seen | {piece.lower()}))
        else:
            out.append(piece)  # a number, a month macro, or an undefined macro kept as written
    return "".join(out)


def read_bibtex(text: str, path: str = "<bibtex>") -> BibFile:
    """Parse BibTeX: macros and ``#`` resolved, LaTeX decoded, months as numbers, ``crossref`` merged.

    Blocks that cannot be parsed and repeated keys become problems at their line; the rest is returned.
    """
    from bibtexparser import middlewares as mw
    from bibtexparser.entrypoint import parse_string
    from bibtexparser.model import DuplicateBlockKeyBlock

    quiet = logging.getLogger("bibtexparser.splitter")
    was_disabled, quiet.disabled = quiet.disabled, True  # failures are reported as problems below
    try:
        library = parse_string(text, parse_stack=[])
    except Exception as exc:  # the parser gave up on the whole file (it calls this a bug of its own)
        raise EmocatError(f"{path}: the BibTeX parser failed on this file: {exc}") from None
    finally:
        quiet.disabled = was_disabled
    result = BibFile()
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = library.entries_dict.get(block.key)
            where = f" (first defined on line {(first.start_line or 0) + 1})" if first is not None else ""
            message = f"the key {block.key!r} is used again{where}; this entry was skipped"
            rule = "bibtex-duplicate-key"
            result.problems.append(Problem(path, line, 1, Severity.ERROR, "", message, rule))
        else:
            reason = " ".join(str(getattr(block.error, "abort_reason", "") or "a syntax error").split())
            message = f"this block could not be parsed ({reason}); it was skipped"
            result.problems.append(Problem(path, line, 1, Severity.ERROR, "", message, "bibtex-syntax"))

    strings = {s.key.lower(): s.value for s in library.strings}
    for entry in library.entries:
        for bib_field in entry.fields:
            bib_field.value = _resolve(bib_field.value, strings)
    for middleware in (mw.LatexDecodingMiddleware(), mw.MonthIntMiddleware(), mw.SeparateCoAuthors()):
        library = middleware.transform(library)

    decoded = {
        entry.key: BibEntry(entry.key, entry.entry_type.lower(), (entry.start_line or 0) + 1,
                            {f.key.lower(): f.value for f in entry.fields})
        for entry in library.entries
    }
    referenced = {str(e.fields["crossref"]).lower() for e in decoded.values() if "crossref" in e.fields}
    by_lower = {key.lower(): item for key, item in decoded.items()}
    for item in decoded.values():
        if item.type in CONTAINER_TYPES and item.key.lower() in referenced:
            continue
        result.entries.append(_with_crossref(item, by_lower, path, result.problems))
    return result


def _with_crossref(entry: BibEntry, by_key: dict[str, BibEntry], path: str,
                   problems: list[Problem]) -> BibEntry:
    target = entry.fields.get("crossref")
    if not target:
        return entry
    parent = by_key.get(str(target).lower())
    if parent is None:
        message = f"crossref {target!r} names no entry of this file; the fields it would give are missing"
        problems.append(Problem(path, entry.line, 1, Severity.WARNING, "crossref", message,
                                "bibtex-crossref"))
        return entry
    merged = dict(parent.fields)
    if "title" in parent.fields and "booktitle" not in parent.fields:
        merged["booktitle"] = parent.fields["title"]
    merged.pop("title", None)
    merged.update(entry.fields)
    return BibEntry(entry.key, entry.type, entry.line, merged)
