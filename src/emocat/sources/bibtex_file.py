"""Reading .bib files into entries for `emocat add --bibtex`: BibTeX's own brace and name rules, bounded @string expansion, every block written or reported with its line."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from emocat.errors import EmocatError, Problem, Severity

#: Where a name list may be split: braces, and the word "and".
_NAME_MARK = re.compile(r"[{}]|\sand(?=\s)", re.IGNORECASE)

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

#: What one field may expand to through ``@string`` macros, and how many expansions one file may make.
MAX_EXPANSION = 100_000

MAX_EXPANSIONS = 100_000

#: How deep braces may nest in a field (the LaTeX decoder recurses once per level).
MAX_DEPTH = 100

class _Unreadable(Exception):
    """A field emocat will not read (its expansion is too large, its braces too deep); says why."""

class _Expander:
    """Expands ``@string`` macros with a bounded result and a bounded amount of work."""

    def __init__(self, strings: dict[str, tuple[str, int]]) -> None:
        self.strings = strings
        self.cache: dict[str, str] = {}
        self.steps = 0

    def resolve(self, raw: Any, seen: frozenset[str] = frozenset()) -> tuple[str, bool]:
        """A raw value's text (enclosings removed, macros expanded, ``#`` joined); whether a loop was cut."""
        if not isinstance(raw, str):
            return str(raw), False
        out: list[str] = []
        size, looped = 0, False
        for piece in _split_concatenation(raw):
            name = piece.lower()
            if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
                text = piece[1:-1]
            elif name in self.strings and name not in seen:
                text, inner = self._macro(name, seen)
                looped = looped or inner
            else:
                text = piece  # a number, a month macro, or an undefined macro kept as written
                looped = looped or name in seen
            size += len(text)
            if size > MAX_EXPANSION:
                line = self.strings[name][1] if name in self.strings else None
                where = f" (@string {piece} on line {line})" if line else ""
                raise _Unreadable(f"it expands to more than {MAX_EXPANSION:,} characters{where}")
            out.append(text)
        return "".join(out), looped

    def _macro(self, name: str, seen: frozenset[str]) -> tuple[str, bool]:
        if name in self.cache:
            return self.cache[name], False
        self.steps += 1
        if self.steps > MAX_EXPANSIONS:
            raise _Unreadable(f"its @string macros need more than {MAX_EXPANSIONS:,} expansions")
        text, looped = self.resolve(self.strings[name][0], seen | {name})
        if not looped:
            self.cache[name] = text
        return text, looped

def _depth(text: str) -> int:
    deepest = depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        deepest = max(deepest, depth)
    return deepest

#: Fields that hold names separated by "and".
NAME_FIELDS = frozenset({"author", "editor"})

def split_names(value: str) -> list[str]:
    """Split a name list on "and" between spaces outside braces, as BibTeX does (any letter case)."""
    found: list[str] = []
    depth = start = 0
    for match in _NAME_MARK.finditer(value):
        mark = match.group()
        if mark == "{":
            depth += 1
        elif mark == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            found.append(value[start : match.start()])
            start = match.end()
    found.append(value[start:])
    return [name.strip() for name in found if name.strip()]

def _decoder() -> Any:
    """pylatexenc's decoder as bibtexparser sets it up, knowing also the commands :func:`escape_latex` writes."""
    from pylatexenc import latex2text

    context = latex2text.get_default_latex_context_db()
    commands = {"url": "%s", "textbraceleft": "{", "textbraceright": "}", "textless": "<", "textgreater": ">",
                "textasciicircum": "^", "textasciitilde": "~", "textbackslash": "\\"}
    context.add_context_category(
        "emocat", prepend=True,
        macros=[latex2text.MacroTextSpec(name, simplify_repl=text) for name, text in commands.items()],
    )
    return latex2text.LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="verbatim")

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
        if isinstance(block, DuplicateBlockKeyBlock):
            first = library.entries_dict.get(block.key)
            where = f" (first defined on line {(first.start_line or 0) + 1})" if first is not None else ""
            message = f"the key {block.key!r} is used again{where}; this entry was skipped"
            result.problems.append(_problem(path, block, message, "bibtex-duplicate-key"))
        else:
            reason = " ".join(str(getattr(block.error, "abort_reason", "") or "a syntax error").split())
            message = f"this block could not be parsed ({reason}); it was skipped"
            result.problems.append(_problem(path, block, message, "bibtex-syntax"))

    expander = _Expander({s.key.lower(): (s.value, (s.start_line or 0) + 1) for s in library.strings})
    unreadable: list[Any] = []
    for entry in library.entries:
        try:
            for bib_field in entry.fields:
                bib_field.value = expander.resolve(bib_field.value)[0]
                if "{" in bib_field.value and _depth(bib_field.value) > MAX_DEPTH:
                    raise _Unreadable(f"its braces nest {_depth(bib_field.value)} deep (at most {MAX_DEPTH})")
        except _Unreadable as exc:
            unreadable.append(entry)
            message = f"@{entry.entry_type}{{{entry.key}}}: {bib_field.key}: {exc}; this entry was skipped"
            result.problems.append(_problem(path, entry, message, "bibtex-unreadable"))
    library.remove(unreadable)
    reported = {id(block) for block in library.failed_blocks}
    # names are split by BibTeX's rule before decoding, so that a braced "{A and B}" stays one name
    decoder = _decoder()
    names: dict[int, list[str]] = {}
    for entry in library.entries:
        for bib_field in entry.fields:
            if bib_field.key.lower() in NAME_FIELDS and isinstance(bib_field.value, str):
                names[id(bib_field)] = [decoder.latex_to_text(name) for name in split_names(bib_field.value)]
    for middleware in (mw.LatexDecodingMiddleware(decoder=decoder), mw.MonthIntMiddleware()):
        library = middleware.transform(library)
    for block in library.failed_blocks:  # what a middleware could not handle: reported, never dropped silently
        if id(block) not in reported:
            reason = " ".join(str(getattr(block, "error", "") or "it could not be decoded").split())
            message = f"this entry could not be read ({reason}); it was skipped"
            result.problems.append(_problem(path, block, message, "bibtex-unreadable"))
    for entry in library.entries:
        for bib_field in entry.fields:
            if id(bib_field) in names:
                bib_field.value = names[id(bib_field)]

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

def _problem(path: str, block: Any, message: str, rule: str) -> Problem:
    return Problem(path, (block.start_line or 0) + 1, 1, Severity.ERROR, "", message, rule)

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


