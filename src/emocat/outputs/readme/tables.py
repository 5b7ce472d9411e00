"""Markdown tables padded so their columns line up in the README's source."""

from __future__ import annotations

import re
from collections.abc import Sequence

#: A table: a header line, a delimiter row (``[^\S\n]`` is whitespace within the line), then its ``|`` lines.


_TABLE = re.compile(r"^\|[^\n]*\n\|(?:[^\S\n]*:?-+:?[^\S\n]*\|)+[^\S\n]*$(?:\n\|[^\n]*)*", re.MULTILINE)


_CELL_SPLIT = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def _width(text: str) -> int:
    """Length in UTF-16 code units: the unit remark-lint measures table cells in."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    if "\\" in body:
        parts = _CELL_SPLIT.split(body)
        # split() with one group yields [cell, escapes, cell, ...]; glue the backslashes back on.
        cells = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    else:
        cells = body.split("|")
    if cells and not cells[-1].strip():
        cells.pop()
    return list(map(str.strip, cells))


def align_tables(markdown: str) -> str:
    """Pad the cells of every GFM table so its pipes line up (awesome-lint's table-pipe-alignment).

    A table is a line starting with ``|``, a delimiter row, and the ``|`` lines after them. Only whitespace
    and the dashes of the delimiter row change; cell contents stay as rendered. Columns whose delimiter
    ends in ``:`` are right-aligned.
    """
    return _TABLE.sub(_align_table, markdown)  # text between tables is copied as it is, never split into lines


def _align_table(match: re.Match[str]) -> str:
    table = match.group()
    header, separator, *body = table.split("\n")
    return "\n".join(_align(header, separator, body, narrow=_width(table) == len(table)))


def _align(header: str, separator: str, body: Sequence[str], *, narrow: bool = False) -> list[str]:
    """The table's lines, padded; ``narrow``: known to hold no character beyond the BMP (saves a test per line)."""
    head = _cells(header)
    columns = len(head)
    right = [c.endswith(":") and not c.startswith(":") for c in _cells(separator)]
    right = (right + [False] * columns)[:columns]
    rows = [head, *map(_cells, body)]
    # Cells beyond the header's are dropped (GitHub ignores them too); missing ones are empty.
    rows = [row[:columns] if len(row) >= columns else row + [""] * (columns - len(row)) for row in rows]
    # A character beyond the BMP is one character but two UTF-16 units; most rows have none, and then
    # str.ljust/rjust pad them right.
    astral = [False] * len(rows) if narrow else [_width(line) != len(line) for line in (header, *body)]
    sizes = [list(map(_width if wide else len, row)) for row, wide in zip(rows, astral, strict=True)]
    widths = [max(3, *column) for column in zip(*sizes, strict=True)]
    right_columns = [column for column, at_right in enumerate(right) if at_right]
    out = []
    for row, row_sizes, wide in zip(rows, sizes, astral, strict=True):
        if wide:
            padded = [
                " " * (width - size) + cell if at_right else cell + " " * (width - size)
                for cell, size, width, at_right in zip(row, row_sizes, widths, right, strict=True)
            ]
        else:
            padded = list(map(str.ljust, row, widths))
            for column in right_columns:
                padded[column] = row[column].rjust(widths[column])
        out.append("| " + " | ".join(padded) + " |")
    rule = [("-" * (w - 1) + ":") if r else "-" * w for w, r in zip(widths, right, strict=True)]
    out.insert(1, "| " + " | ".join(rule) + " |")
    return out
