"""Carry hand-written YAML comments over when a file is rewritten in canonical form.

PyYAML drops comments, so a rewrite (``emocat fmt``, ``emocat enrich``) would lose them. Each comment is tied
to the mapping key it stands above (a comment at the end of a line to the key of that line) and written
back above the same key in the new text, at that key's indentation. A comment whose key is gone moves
to the nearest surviving parent key, or to the end of the file. Nothing written by hand is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

Path_ = tuple[str | int, ...]
_END: Path_ = ()
_SCHEMA_LINE = "# yaml-language-server:"
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]{0,2}")


@dataclass(frozen=True)
class Comment:
    """One comment line (``text`` starts with ``#``), anchored to the key path it belongs to."""

    anchor: Path_
    text: str


def extract(text: str) -> list[Comment]:
    """The comments of ``text`` (except the schema line that ``emocat`` writes itself), in order."""
    if text.count("#") == text.startswith(_SCHEMA_LINE):
        return []
    lines = text.split("\n")
    found = list(_comment_lines(text, lines))
    found = [(number, column, inline) for number, column, inline in found
             if not lines[number][column:].startswith(_SCHEMA_LINE)]
    if not found:
        return []
    keys = _key_lines(text)
    comments = []
    for number, column, inline in found:
        comments.append(Comment(_anchor(keys, number, inline), lines[number][column:].rstrip()))
    return comments


def restore(text: str, comments: list[Comment]) -> str:
    """``text`` with ``comments`` put back above their keys (or at the end when no key is left)."""
    if not comments:
        return text
    keys = dict((path, line) for line, path in _key_lines(text))
    lines = text.split("\n")
    above: dict[int, list[str]] = {}
    at_end: list[str] = []
    for comment in comments:
        path = comment.anchor
        while path and path not in keys:
            path = path[:-1]
        if not path:
            at_end.append(comment.text)
            continue
        line = keys[path]
        indent = len(lines[line]) - len(lines[line].lstrip(" "))
        above.setdefault(line, []).append(" " * indent + comment.text)
    out: list[str] = []
    for number, text_line in enumerate(lines):
        out += above.get(number, [])
        out.append(text_line)
    if at_end:
        if out and out[-1] == "":
            out.pop()
        out += [*at_end, ""]
    return "\n".join(out)


def carry(old: str, new: str) -> str:
    """The canonical ``new`` text with the hand-written comments of ``old``."""
    return restore(new, extract(old))


def _comment_lines(text: str, lines: list[str]) -> Iterator[tuple[int, int, bool]]:
    """(line, column of ``#``, whether code precedes it) for every comment, skipping text inside scalars."""
    inside: set[int] = set()
    code_end: dict[int, int] = {}
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        start, end = token.start_mark, token.end_mark
        inside.update(range(start.line + 1, end.line))
        code_end[end.line] = max(code_end.get(end.line, 0), end.column)
        if start.line != end.line:
            line = lines[start.line]
            header = _BLOCK_HEADER.match(line, start.column) if getattr(token, "style", None) in ("|", ">") else None
            code_end[start.line] = max(code_end.get(start.line, 0), header.end() if header else len(line))
    for number, line in enumerate(lines):
        if number in inside:
            continue
        start = code_end.get(number, 0)
        rest = line[start:]
        stripped = rest.lstrip()
        if stripped.startswith("#"):
            yield number, start + len(rest) - len(stripped), start > 0


def _key_lines(text: str) -> list[tuple[int, Path_]]:
    """(line, key path) of every mapping key, in document order."""
    found: list[tuple[int, Path_]] = []

    def walk(node: yaml.Node, path: Path_) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                found.append((key.start_mark.line, child))
                walk(value, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                found.append((item.start_mark.line, (*path, index)))
                walk(item, (*path, index))

    root = yaml.compose(text, Loader=yaml.CSafeLoader)
    if root is not None:
        walk(root, ())
    found.sort(key=lambda item: item[0])
    return found


def _anchor(keys: list[tuple[int, Path_]], line: int, inline: bool) -> Path_:
    """The key a comment on ``line`` belongs to: the key of that line for an end-of-line comment, else the next key."""
    if inline:
        on_or_before = [path for number, path in keys if number <= line]
        return on_or_before[-1] if on_or_before else _END
    for number, path in keys:
        if number > line:
            return path
    return _END
