"""Saying "indentation" when a YAML error comes from a key or list item at the wrong depth.

libyaml reports a mis-indented line as a syntax error ("mapping values are not allowed here", "did not find
expected key"), which reads as if the text were wrong. These helpers look at the lines around the error and,
when the cause is the indentation, say which line it should line up with.
"""

from __future__ import annotations

import re

RULE = "yaml-indentation"

_KEY = re.compile(r"^(?P<indent> *)(?P<dash>- +)?(?P<key>[A-Za-z_][\w-]*):(?: +(?P<value>\S.*)?)?$")
_BLOCK_ERRORS = ("did not find expected key", "did not find expected '-' indicator", "expected <block end>")
_ITEM = re.compile(r"^(?P<indent> *)- +(?P<value>.*)$")
#: A plain list item followed by a deeper one, which YAML reads as more words of the first (``- A`` then
#: ``  - B`` is the one item 'A - B'). Each try spans two lines and cannot backtrack across more.
_DEEPER_ITEM = re.compile(r"^( *)- +[^\s\-\[\]{}'\"|>&*!#%@`][^\n:#]*\n(\1 +)- ", re.MULTILINE)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous(lines: list[str], number: int) -> tuple[int, str] | None:
    """The nearest line above ``number`` (1-based) that is neither blank nor a comment."""
    for index in range(number - 2, -1, -1):
        text = lines[index]
        if text.strip() and not text.lstrip().startswith("#"):
            return index + 1, text
    return None


def _sibling(lines: list[str], number: int, pattern: re.Pattern[str], *, any_depth: bool = False
             ) -> tuple[int, str] | None:
    """The nearest line above ``number`` matching ``pattern`` (with no more indentation, unless ``any_depth``)."""
    indent = _indent(lines[number - 1])
    for index in range(number - 2, -1, -1):
        text = lines[index]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if pattern.match(text) and (any_depth or _indent(text) <= indent):
            return index + 1, text
        if _indent(text) == 0:
            break
    return None


def _keys_above(lines: list[str], number: int) -> list[tuple[int, str, int]]:
    """(line, key, column) of the nearest keys above ``number`` at two different columns at most."""
    found: list[tuple[int, str, int]] = []
    for index in range(number - 2, -1, -1):
        match = _KEY.match(lines[index])
        if match is None:
            continue
        column = len(match.group("indent")) + len(match.group("dash") or "") + 1
        if all(column != seen for _, _, seen in found):
            found.append((index + 1, match.group("key"), column))
        if len(found) == 2 or column == 1:
            break
    return found


def explain(text: str, line: int, problem: str) -> str | None:
    """An indentation message for the libyaml error ``problem`` at ``line``, or None if it is another one."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return None
    here = lines[line - 1]
    key, item = _KEY.match(here), _ITEM.match(here)
    column = _indent(here) + 1
    if "mapping values are not allowed" in problem and key and not key.group("dash"):
        above = _previous(lines, line)
        if above is None or _indent(above[1]) >= _indent(here):
            return None
        parent = _KEY.match(above[1])
        if parent and parent.group("value"):
            return (f"indentation: '{key.group('key')}' (column {column}) is indented under "
                    f"'{parent.group('key')}' on line {above[0]}, which has a value and cannot hold fields; "
                    f"line '{key.group('key')}' up with the keys it belongs with")
        if _ITEM.match(above[1]):
            return (f"indentation: '{key.group('key')}' (column {column}) is indented under the list item on "
                    f"line {above[0]}, which is a value and cannot hold fields; line it up with its keys")
        return None
    if "document start" in problem and line > 1 and _KEY.match(lines[0]) and _indent(lines[0]) > 0:
        return "indentation: the first line is indented; top-level keys start in column 1"
    if not any(block in problem for block in _BLOCK_ERRORS):  # a flow list or mapping left open is not one
        return None
    if item and (key is None or key.group("dash")):
        peer = _sibling(lines, line, _ITEM, any_depth=True)
        where = f"; line it up with the item on line {peer[0]} (column {_indent(peer[1]) + 1})" if peer else ""
        return f"indentation: the list item '- {item.group('value')}' (column {column}) is at the wrong depth{where}"
    if key:
        name = key.group("key")
        columns = ", ".join(f"'{k}' at line {n}, column {c}" for n, k, c in _keys_above(lines, line))
        return (f"indentation: '{name}' (column {column}) lines up with no key above it"
                + (f" ({columns})" if columns else "") + "; keys of one mapping start in the same column")
    return None


def deeper_item(text: str) -> tuple[int, int, str] | None:
    """(line, column, message) of a list item indented under a plain list item above it, if there is one."""
    match = _DEEPER_ITEM.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start(2)) + 1
    column = len(match.group(2)) + 1
    return line, column, (f"indentation: the list item at column {column} is indented under the item on line "
                          f"{line - 1}, so YAML reads it as more words of that item; line it up with the item "
                          f"above (column {len(match.group(1)) + 1})")
