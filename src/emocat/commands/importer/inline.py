"""Inline Markdown: the inline tokens of a bullet, heading or cell -> plain text and links.

markdown-it-py parses the inline content (links, images, emphasis, code spans, inline HTML, escapes) in linear
time; :func:`spans_of` flattens its tokens into spans of text, breaks and links.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token


class _Parser(MarkdownIt):
    """CommonMark with tables and HTML that keeps every link target as written."""

    def validateLink(self, url: str) -> bool:
        return True  # the importer itself reports what is not an http(s) URL

    def normalizeLink(self, url: str) -> str:
        return url


MD = _Parser("commonmark", {"html": True}).enable("table")
# inline content is parsed only where an item needs it (not for prose), without joining backslash escapes to
# the text around them: ``\(`` and ``\)`` (math delimiters) are dropped
MD.disable(["inline", "text_join"])
_MATH_ESCAPES = frozenset({"\\(", "\\)", "\\[", "\\]"})
_BARE_URL = re.compile(r"(?<![(\[<\"'=])\bhttps?://[^\s<>|)\]]+")
_HREF = re.compile(r"""\shref\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_BADGE_HOSTS = ("img.shields.io", "badgen.net", "awesome.re/badge", "badge.fury.io", "api.star-history.com")
_NOTE_SPLIT = re.compile(r"\s+[-–—]\s+|:\s+")
_NOTE_LEAD = re.compile(r"^[-–—:]\s*")


@dataclass(frozen=True)
class Link:
    """A Markdown or HTML link found in an item."""

    text: str
    url: str
    badge: bool = False


@dataclass(slots=True)
class Span:
    """A piece of inline content: ``text``, ``space`` (break, image, tag), ``mark`` (emphasis) or ``link``."""

    kind: str
    text: str = ""
    link: Link | None = None
    markdown: bool = False  # a Markdown link (not an HTML <a> or a bare URL)


def _is_badge(url: str, image: bool, markup: str) -> bool:
    return image or "<img" in markup.lower() or any(host in url for host in _BADGE_HOSTS)


def _clean(text: str) -> str:
    if not text.isprintable():  # control characters and line or paragraph separators become spaces
        text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(text.split())


def _join(spans: list[Span]) -> str:
    return _clean("".join(span.text for span in spans if span.kind != "mark"))


def _texts(children: list[Token], start: int, stop: int) -> tuple[list[Span], bool, str]:
    """Spans of ``children[start:stop]`` (no links inside), whether it starts with an image, its raw HTML."""
    spans: list[Span] = []
    image, words, markup = False, False, []
    for index in range(start, stop):
        token = children[index]
        kind = token.type
        if kind in ("text", "code_inline"):
            spans.append(Span("text", token.content))
            words = words or bool(token.content.strip())
        elif kind == "text_special":
            words = True
            if token.markup not in _MATH_ESCAPES:
                spans.append(Span("text", token.content))
        elif kind == "image":
            image = image or not words  # an image before any text: the label is a picture
            spans.append(Span("space", " "))
        elif kind == "html_inline":
            markup.append(token.content)
            spans.append(Span("space", " "))
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span("space", " "))
        else:
            spans.append(Span("mark"))
    return spans, image, "".join(markup)


def _closings(children: list[Token], closes: Any) -> list[int]:
    """For each token, the index of the next closing token at or after it (``len`` when none): one pass."""
    found = [len(children)] * (len(children) + 1)
    for index in range(len(children) - 1, -1, -1):
        found[index] = index if closes(children[index]) else found[index + 1]
    return found


def _link_close(token: Token) -> bool:
    return token.type == "link_close"


def _anchor_close(token: Token) -> bool:
    return token.type == "html_inline" and token.content[:3].lower() == "</a"


def spans_of(children: list[Token]) -> list[Span]:
    """The inline tokens of a paragraph, heading or cell as spans; bare URLs in text become link spans."""
    spans: list[Span] = []
    link_ends, anchor_ends = _closings(children, _link_close), _closings(children, _anchor_close)
    index = 0
    while index < len(children):
        token = children[index]
        href = None
        end = (link_ends if token.type == "link_open" else anchor_ends)[index + 1]
        if token.type == "link_open":
            href = str(token.attrs.get("href", ""))
        elif token.type == "html_inline" and token.content[:3].lower() in ("<a ", "<a\t", "<a\n"):
            match = _HREF.search(token.content)
            if match and end < len(children):  # an <a> never closed is not a link
                href = html.unescape(match.group(1))
        if href is None:
            piece, _, _ = _texts(children, index, index + 1)
            for span in piece:
                spans.extend(_bare_urls(span) if span.kind == "text" else [span])
            index += 1
            continue
        label, image, markup = _texts(children, index + 1, end)
        text = _join(label)
        link = Link(text, href.strip(), _is_badge(href, image, markup))
        spans.append(Span("link", text, link, token.type == "link_open"))
        index = end + 1
    return spans


def _bare_urls(span: Span) -> list[Span]:
    found: list[Span] = [span]
    for match in _BARE_URL.finditer(span.text):
        url = match.group(0).rstrip(".,;:")
        found.append(Span("url", "", Link(url, url, _is_badge(url, False, ""))))
    return found


def links_of(spans: list[Span]) -> list[Link]:
    return [span.link for span in spans if span.link is not None]


def plain_of(spans: list[Span]) -> str:
    """Spans as one line of plain text (link labels kept, images and tags dropped, whitespace collapsed)."""
    return _join(spans)


def inline(text: str, env: dict[str, Any] | None = None) -> list[Span]:
    """Spans of a piece of Markdown read as inline content (``env`` holds the link references of the file)."""
    tokens: list[Token] = []
    MD.inline.parse(text, MD, {} if env is None else env, tokens)
    return spans_of(tokens)


def plain(text: str) -> str:
    """Markdown/HTML text as one line of plain text."""
    return plain_of(inline(text))


def find_links(text: str) -> list[Link]:
    """Links of a piece of Markdown, in order; image-only links are marked as badges."""
    return links_of(inline(text))


def bullet_parts(spans: list[Span]) -> tuple[str, str, str]:
    """Split ``[Name](url) - text`` into the name, the note and any text glued to the link."""
    first = next(
        (i for i, s in enumerate(spans) if s.markdown and s.link is not None and not s.link.badge), None
    )
    if first is None:
        parts = _NOTE_SPLIT.split(plain_of(spans), maxsplit=1)
        return parts[0], parts[1] if len(parts) > 1 else "", ""
    before = plain_of(spans[:first])
    after = spans[first + 1 :]
    start = 0
    while start < len(after) and after[start].kind == "mark":
        start += 1
    after = after[start:]
    junk = ""
    if after and after[0].kind == "text" and after[0].text[:1] and after[0].text[0] not in " \t\n[(*_:,.;<":
        head = after[0].text
        cut = next((i for i, ch in enumerate(head) if ch.isspace()), len(head))
        junk = head[:cut]
        after = [Span("text", head[cut:]), *after[1:]]
    name = spans[first].text or before
    note = _NOTE_LEAD.sub("", plain_of(after))
    return name, note, junk
