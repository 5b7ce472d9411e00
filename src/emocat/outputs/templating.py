"""The Jinja environment: project templates override the packaged defaults, found by name."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2
import markupsafe

from emocat.store.templates import template_dirs

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]|~"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


# GitHub turns bare ``www.host``, ``scheme://host`` and ``name@host`` into links (the GFM autolink extension).
# Writing the character that triggers each as an HTML character reference keeps the text as it is but never
# starts a link: the ``w`` of ``www.``, the ``:`` of ``://``, the ``@`` of an address.
_AUTOLINK = re.compile(r"(?i)\bw(?=ww\.)|:(?=//)|@")
_AUTOLINK_REFERENCE = {"w": "&#119;", "W": "&#87;", ":": "&#58;", "@": "&#64;"}


def _no_autolink(match: re.Match[str]) -> str:
    return _AUTOLINK_REFERENCE[match.group()]


def md_escape(value: object) -> str:
    """Escape plain text for GitHub Markdown so it renders literally, inside or outside tables."""
    text = str(value)
    # Most text has nothing to escape. Substring tests for the characters of _MD_SPECIAL are faster than a
    # regex scan, and both several times faster than translate(); a README calls this 50,000 times.
    if (
        "\\" in text or "`" in text or "*" in text or "_" in text or "[" in text or "]" in text or "|" in text
        or "~" in text or "<" in text or ">" in text or "&" in text
    ):
        text = text.translate(_MD_SPECIAL)
    if "." in text and ("@" in text or "://" in text or "ww." in text or "WW." in text or "wW." in text or "Ww." in text):
        text = _AUTOLINK.sub(_no_autolink, text)
    return text


# What makes a line of text something else in Markdown: an ATX heading, a block quote, a list item (bullet or
# number), a thematic break, an indented code block, a table's pipe, an HTML block. (One line: no setext.)
_BLOCK_START = re.compile(r"^(?: {0,3}(?:#{1,6}(?=[ \t]|$)|>|[-+*](?=[ \t]|$)|\d{1,9}(?=[.)](?:[ \t]|$))|(?:[-*_][ \t]*){3,}$)|[ \t]+)")


def md_block(value: object) -> str:
    """Escape plain text that starts a line of the README, so it stays a paragraph (see :func:`md_escape`)."""
    text = md_escape(value)
    match = _BLOCK_START.match(text)
    if match is None:
        return text
    start = match.group()
    if not start.strip():  # leading spaces would make it code: drop them
        return md_block(text.lstrip(" \t"))
    stripped = text.lstrip(" ")
    if stripped[0].isdigit():  # "2024. x" -> "2024\. x"
        digits = len(stripped) - len(stripped.lstrip("0123456789"))
        return stripped[:digits] + "\\" + stripped[digits:]
    return "\\" + stripped


# Python-Markdown (the site) un-escapes a fixed set of characters; ``~`` is not one of them, so GitHub's
# escaping would leave a visible backslash there. ``#`` is escaped so a heading cannot end in its own closing hashes.
_PYMD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|"} | {"<": "&lt;", ">": "&gt;", "&": "&amp;"})


def site_md_escape(value: object) -> str:
    """Escape plain text for the site's Python-Markdown (headings), so it renders literally."""
    return str(value).translate(_PYMD_SPECIAL)


_URL_ESCAPES = str.maketrans({"\\": "%5C", "(": "%28", ")": "%29", "|": "%7C", "<": "%3C", ">": "%3E"})


def md_url(value: object) -> str:
    """A URL safe inside ``(...)`` of a Markdown link (validated URLs have no spaces)."""
    text = str(value)
    if "\\" in text or "(" in text or ")" in text or "|" in text or "<" in text or ">" in text:  # as md_escape
        return text.translate(_URL_ESCAPES)
    return text


def html_escape(value: object) -> str:
    return str(markupsafe.escape(str(value)))


def thousands(value: object) -> str:
    """A count with thousands separators (``29672`` -> ``29,672``)."""
    return f"{value:,}" if isinstance(value, int) else str(value)


def sentence(value: object) -> str:
    """Plain text as a sentence: first letter upper-case, ending in ``.``, ``!``, ``?`` or ``…``."""
    text = str(value).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def cell(value: object, empty: str = "—") -> str:
    """A plain value for a table cell: ``empty`` when missing, lists joined, counts with separators, ✓/✗."""
    if type(value) is str:  # the common case first: a README has tens of thousands of cells
        return md_escape(value) if value else empty
    if value is None or value == "" or value == [] or value == ():
        return empty
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (list, tuple)):
        return md_escape(", ".join(map(str, value)))
    return md_escape(value)


FILTERS = {
    "md": md_escape,
    "md_block": md_block,
    "site_md": site_md_escape,
    "md_url": md_url,
    "html": html_escape,
    "thousands": thousands,
    "sentence": sentence,
    "cell": cell,
}


@lru_cache(maxsize=8)
def _environment(dirs: tuple[Path, ...]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def environment(project: Path | None = None) -> jinja2.Environment:
    """A shared environment for ``project`` (the folder that holds catalog/ and templates/)."""
    return _environment(tuple(template_dirs(project.resolve() if project else None)))
