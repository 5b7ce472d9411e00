"""Markdown scanning: a list's text -> items (one per bullet or table row) with their context.

The text is parsed by markdown-it-py (CommonMark with tables and inline HTML), which runs in linear time on any
input; the scan reads block tokens for structure (headings, lists, tables, HTML blocks with ``<summary>`` group
labels) and :mod:`.inline` reads the inline content of items. No regular expression runs over a whole line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markdown_it.token import Token

from emocat.catalog.values import URL_PATTERN
from emocat.commands.importer.inline import (
    MD,
    Link,
    Span,
    bullet_parts,
    inline,
    links_of,
    plain,
    plain_of,
)
from emocat.errors import Severity

_URL_RE = re.compile(URL_PATTERN)
_CELL_MARK = re.compile(r"\\.|[`\[\]|]", re.DOTALL)


@dataclass
class Item:
    """One bullet or table row, with the headings and group label above it; cells hold plain text."""

    line: int
    section: tuple[str, ...]
    group: str | None
    cells: dict[str, str]
    links: list[Link]
    main: str
    note: str = ""


@dataclass
class Scan:
    items: list[Item] = field(default_factory=list)
    problems: list[tuple[int, int, str, str, Severity]] = field(default_factory=list)


def split_cells(line: str) -> list[str]:
    """Split a table row on pipes that are outside links, code spans and escapes."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    cells: list[str] = []
    start = depth = 0
    code = False
    for match in _CELL_MARK.finditer(body):
        char = match.group()
        if char == "`":
            code = not code
        elif code or len(char) > 1:  # inside a code span, or an escaped character
            continue
        elif char == "[":
            depth += 1
        elif char == "]":
            depth = max(0, depth - 1)
        elif depth == 0:
            cells.append(body[start : match.start()])
            start = match.end()
    tail = body[start:]
    if tail.strip():
        cells.append(tail)
    return [cell.strip() for cell in cells]


def _header_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9#?]+", plain(text).lower()))


@dataclass
class _State:
    """What the scan knows at a point of the document: headings above, the ``<summary>`` group label."""

    out: Scan
    headings: list[tuple[int, str]] = field(default_factory=list)
    group: str | None = None

    @property
    def section(self) -> tuple[str, ...]:
        return tuple(title for _, title in self.headings)


@dataclass(frozen=True)
class _Source:
    """The lines of the text being parsed and the line number of its first line in the file."""

    lines: list[str]
    offset: int
    nested: bool = False  # the text of an HTML block, parsed again: its own HTML blocks are not (linear time)
    env: dict[str, Any] = field(default_factory=dict)  # what markdown-it learns while parsing: link references


def scan(text: str) -> Scan:
    """Find every bullet and table row of a Markdown list, with headings and group labels as context."""
    state = _State(Scan())
    _scan_text(text, 0, state)
    return state.out


def _scan_text(text: str, offset: int, state: _State, parent: _Source | None = None) -> None:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    source = _Source(lines, offset, parent is not None, {} if parent is None else parent.env)
    _blocks(_tree(MD.parse(text, source.env)), source, state, [])


class _Node:
    """A block of the document: its type (``bullet_list``, ``heading``, ...), tag, lines, content, children."""

    __slots__ = ("children", "content", "map", "tag", "type")

    def __init__(self, token: Token, kind: str) -> None:
        self.type, self.tag, self.map, self.content = kind, token.tag, token.map, token.content
        self.children: list[_Node] = []


def _tree(tokens: list[Token]) -> list[_Node]:
    """markdown-it's flat block tokens as a tree (opening and closing tokens become one node)."""
    top: list[_Node] = []
    stack: list[list[_Node]] = [top]
    for token in tokens:
        if token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
            continue
        node = _Node(token, token.type[:-5] if token.nesting == 1 else token.type)  # "..._open" -> "..."
        stack[-1].append(node)
        if token.nesting == 1:
            stack.append(node.children)
    return top


def _blocks(nodes: list[_Node], source: _Source, state: _State, labels: list[str]) -> None:
    for node in nodes:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1:])
            title = plain_of(_node_spans(node, source))
            state.headings = [(lvl, t) for lvl, t in state.headings if lvl < level] + [(level, title)]
            state.group = None
            labels.clear()
        elif kind == "html_block":
            _html_block(node, source, state, labels)
        elif kind == "table":
            _table(node, source, state, labels)
        elif kind in ("bullet_list", "ordered_list"):
            for item in node.children:
                _list_item(item, source, state, labels)
        elif kind == "blockquote":
            _blocks(node.children, source, state, labels)


def _node_spans(node: _Node, source: _Source) -> list[Span]:
    """Spans of a paragraph or heading node (its one inline child)."""
    child = node.children[0] if node.children else None
    return inline(child.content, source.env) if child is not None else []


def _line(node: _Node) -> int:
    return node.map[0] if node.map else 0


def _html_block(node: _Node, source: _Source, state: _State, labels: list[str]) -> None:
    """``<summary>`` sets the group label, ``</details>`` ends it; Markdown lines between tags are scanned."""
    if node.content.lstrip().startswith("<!--"):
        return
    first = _line(node)
    pending: list[str] = []
    pending_at = first
    for number, line in enumerate(node.content.rstrip("\n").split("\n"), start=first):
        stripped = line.strip()
        if not stripped.startswith("<"):
            if source.nested or (not pending and not stripped):
                continue
            if not pending:
                pending_at = number
            pending.append(line)
            continue
        if pending:
            _scan_text("\n".join(pending), source.offset + pending_at, state, source)
            pending = []
        lowered = stripped.lower()
        opening = lowered.find("<summary")
        if opening >= 0:
            start = lowered.find(">", opening)
            end = lowered.find("</summary>", start) if start >= 0 else -1
            inner = stripped[start + 1 : end if end >= 0 else len(stripped)] if start >= 0 else ""
            state.group = plain(inner) or None
            labels.clear()
        elif lowered.startswith("</details") and lowered[9:10] in ("", ">", " ", "\t"):
            state.group = None
    if pending:
        _scan_text("\n".join(pending), source.offset + pending_at, state, source)


def _table(node: _Node, source: _Source, state: _State, labels: list[str]) -> None:
    """Rows of a pipe table, cells named by the header row (cells split as written, pipes in links kept)."""
    first = _line(node)
    header = [_header_key(c) for c in split_cells(source.lines[first])]
    body = next((child for child in node.children if child.type == "tbody"), None)
    for row in body.children if body is not None else []:
        index = _line(row)
        line = source.lines[index] if index < len(source.lines) else ""
        if "|" not in line:
            break
        number = source.offset + index + 1
        raw = split_cells(line)
        cells = [inline(cell, source.env) for cell in raw]
        texts = [plain_of(spans) for spans in cells]
        if not any(texts):
            continue
        if len(raw) > len(header):
            extra = " | ".join(c for c in raw[len(header) :] if c)
            if extra:
                message = f"{len(raw)} cells under {len(header)} headers; ignored the extra cells: {extra[:80]}"
                state.out.problems.append((number, 1, message, "import-table", Severity.WARNING))
        named = {header[i]: texts[i] if i < len(texts) else "" for i in range(len(header))}
        links = [link for spans in cells for link in links_of(spans)]
        state.out.items.append(Item(number, state.section, _context(state, labels), named, links, ""))


def _context(state: _State, labels: list[str]) -> str | None:
    return " / ".join(labels) if labels else state.group


def _list_item(node: _Node, source: _Source, state: _State, labels: list[str]) -> None:
    index = _line(node)
    number = source.offset + index + 1
    line = (source.lines[index] if index < len(source.lines) else "").expandtabs(4)
    indent = len(line) - len(line.lstrip())
    children = list(node.children)
    if not children:
        state.out.problems.append((number, indent + 1, "an empty list item", "import-empty", Severity.WARNING))
        return
    rest = children
    if children[0].type in ("paragraph", "heading"):
        spans, rest = _node_spans(children[0], source), children[1:]
    elif children[0].type == "html_block":
        spans, rest = inline(children[0].content.strip(), source.env), children[1:]
    else:
        _blocks(children, source, state, labels)
        return
    links = links_of(spans)
    nested = any(child.type in ("bullet_list", "ordered_list") for child in rest)
    if nested and not any(_URL_RE.match(link.url) and not link.badge for link in links):
        _blocks(rest, source, state, [*labels, plain_of(spans).rstrip(":")])
        return
    main, note, junk = bullet_parts(spans)
    if junk:
        message = f"text stuck to the end of the link ignored: {junk[:60]!r}"
        state.out.problems.append((number, indent + 1, message, "import-link", Severity.WARNING))
    state.out.items.append(Item(number, state.section, _context(state, labels), {}, links, main, note))
    _blocks(rest, source, state, labels)

