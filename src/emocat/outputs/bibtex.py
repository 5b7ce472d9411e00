"""BibTeX out: deterministic entries with unique keys for papers, whose braces and names parse back the same."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from emocat.catalog.models import Paper

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
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "<": r"\textless{}", ">": r"\textgreater{}",
}
#: Braces without a partner: BibTeX counts every brace, escaped or not, so these are written as commands.
_LONE_BRACE = {"{": r"\textbraceleft{}", "}": r"\textbraceright{}"}
#: Pairs that TeX would join into one sign (``--`` into a dash, two quotes into a curly quote): kept apart.
_LIGATURES = frozenset({"--", "``", "''", "!`", "?`"})
_SPECIAL = frozenset(_LATEX_SPECIAL) | {"{", "}", "-", "`", "'", "!", "?"}
_AND = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)


def _partnered(text: str) -> set[int]:
    """Positions of the braces of ``text`` that pair up (``{`` before its ``}``, properly nested)."""
    pairs: set[int] = set()
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "{":
            opened.append(index)
        elif char == "}" and opened:
            pairs.update((opened.pop(), index))
    return pairs


def escape_latex(text: str) -> str:
    """Escape what LaTeX or BibTeX would read as markup; other Unicode stays as it is (UTF-8).

    The result has balanced braces under BibTeX's rule (a backslash does not escape a brace), so no text can
    end a field or an entry early: braces that pair up are written ``\\{ \\}``, the others as commands.
    """
    if not _SPECIAL.intersection(text):
        return text
    partnered = _partnered(text) if "{" in text or "}" in text else set()
    out: list[str] = []
    for index, char in enumerate(text):
        if char in "{}":
            out.append("\\" + char if index in partnered else _LONE_BRACE[char])
        else:
            out.append(_LATEX_SPECIAL.get(char, char))
            if text[index : index + 2] in _LIGATURES:
                out.append("{}")
    return "".join(out)


def escape_name(name: str) -> str:
    """An author name for ``author = {...}``, escaped; braced (one name as it is) when BibTeX would otherwise read
    it as two names (the word "and"), lose its outer spaces, or refuse it (more than two commas)."""
    escaped = escape_latex(name)
    protect = _AND.search(name) or name != name.strip() or name.count(",") > 2
    return "{" + escaped + "}" if protect else escaped


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
        names = [escape_name(name) for name in paper.authors] + (["others"] if paper.et_al else [])
        fields.append(("author", " and ".join(names)))
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


