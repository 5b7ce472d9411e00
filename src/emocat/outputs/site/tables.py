"""Large sortable tables: the first rows stay HTML, and every row travels as JSON data beside the table.

A sortable table (``<table data-emocat-sortable>``) of more rows than the threshold keeps its header and its
first ``PAGE_SIZE`` rows, so the page reads without JavaScript, and gets a ``<script type="application/json">``
with all its rows, which emocat-tables.js filters, sorts and pages through without holding them in the document
(DESIGN §8). The data is read from the one rendered table, so both paths show the same cells.

The reader expects the markup of emocat's own templates, where text and attribute values are HTML-escaped
(so a ``<`` always starts a tag) and attribute values are double-quoted; anything else is an error that
names the page, never a silently different table.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jinja2

from emocat.errors import EmocatError

#: Tables with more rows than this are carried as data (the ``large_tables`` option of the plugin).
DEFAULT_THRESHOLD = 1000
#: Rows in the HTML of a large table, and rows per page in the browser.
PAGE_SIZE = 100
TEMPLATE = "site/large_table.html.j2"

_TABLE = re.compile(r"<table\b([^>]*)>")
_ROW_START = re.compile(r"\s*<tr\b([^>]*)>")
_CELL = re.compile(r"\s*<(td|th)\b([^>]*)>(.*?)</\1>", re.S)
_ATTRIBUTE = re.compile(r"\s+([^\s=\"'<>/]+)(?:=\"([^\"]*)\")?")
_TAG = re.compile(r"<[^>]*>")
_REST_IS_SPACE = re.compile(r"\s*\Z")
_NESTED = re.compile(r"</?(?:table|thead|tbody|tfoot|tr|td|th)\b")
#: What JavaScript's String.prototype.trim removes (WhiteSpace and LineTerminator), which str.strip() does not
#: match exactly (it strips U+001C..U+001F and U+0085, and keeps U+FEFF).
JS_SPACE = "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
#: In a script, only ``</`` (an end tag such as ``</script>``) and ``<!`` (a comment, inside which ``<script``
#: nests) leave the script's text (HTML's script data state); both occur only inside JSON strings, where ``\/``
#: and ``\u003c`` mean the same. U+2028 and U+2029 end a line in older script parsers.
_SCRIPT_SAFE = (("</", "<\\/"), ("<!", "\\u003c!"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


@dataclass(frozen=True)
class Row:
    """One ``<tr>``: its attributes (values unescaped, as ``getAttribute`` returns them), its cells' HTML as
    written, and each cell's sort string (its ``data-sort``, or its text as ``textContent.trim()`` reads it)."""

    attributes: dict[str, str]
    cells: list[str]
    sorts: list[str]

    @functools.cached_property
    def data(self) -> tuple[list[str | list[str]], dict[str, str]]:
        """The row's cells and sort strings as ``table_data`` carries them (worked out once per row read)."""
        cells: list[str | list[str]] = []
        sorts: dict[str, str] = {}
        for index, (cell, sort) in enumerate(zip(self.cells, self.sorts, strict=True)):
            plain = cell[len("<td>"):-len("</td>")] if cell.startswith("<td>") else None
            cells.append(plain if plain is not None else [cell])
            if plain != sort:
                sorts[str(index)] = sort
        return cells, sorts

    def record(self, attributes: Sequence[str]) -> list[Any]:
        """The row in ``table_data``, for a table whose rows have these attributes."""
        return [[self.attributes.get(name) for name in attributes], *self.data]

    def json(self, attributes: tuple[str, ...]) -> str:
        """The row's record as ``table_json`` writes it (kept for each tuple of attributes)."""
        known = self._json
        if attributes not in known:
            known[attributes] = script_json(self.record(attributes))
        return known[attributes]

    @functools.cached_property
    def _json(self) -> dict[tuple[str, ...], str]:
        return {}


@dataclass(frozen=True)
class Table:
    """A sortable table split at its rows: ``start``/``end`` delimit it in the page, ``head`` runs from after
    the opening tag to ``<tbody>`` included, ``tail`` from ``</tbody>`` to ``</table>`` included."""

    start: int
    end: int
    attributes: str
    head: str
    body: str
    tail: str


def script_json(value: Any) -> str:
    """``value`` as compact JSON that is safe as the whole content of a ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for unsafe, safe in _SCRIPT_SAFE:
        text = text.replace(unsafe, safe)
    return text


def attributes_of(text: str, where: str) -> dict[str, str]:
    """The attributes of a start tag (the text between its name and ``>``), values unescaped."""
    found: dict[str, str] = {}
    position, end = 0, len(text.rstrip())
    while position < end:
        match = _ATTRIBUTE.match(text, position)
        if match is None:
            raise EmocatError(f"{where}: cannot read the attributes {text.strip()!r} (write name=\"value\")")
        found[match.group(1)] = html.unescape(match.group(2) or "")
        position = match.end()
    return found


def cell_sort(attributes: dict[str, str], inner: str) -> str:
    """What the sorter compares for a cell: its ``data-sort``, else its text without surrounding space."""
    if "data-sort" in attributes:
        return attributes["data-sort"]
    return html.unescape(_TAG.sub("", inner)).strip(JS_SPACE)


def read_rows(body: str, where: str) -> list[Row]:
    """The rows of a ``<tbody>``'s content, in order."""
    rows: list[Row] = []
    position = 0
    while not _REST_IS_SPACE.match(body, position):
        match = _ROW_START.match(body, position)
        end = body.find("</tr>", match.end()) if match is not None else -1  # a row ends at the first </tr>
        if match is None or end < 0:
            raise EmocatError(f"{where}: row {len(rows) + 1}: expected <tr>...</tr>")
        rows.append(_row(match.group(1), body[match.end():end], f"{where}: row {len(rows) + 1}"))
        position = end + len("</tr>")
    return rows


#: Rows read, by their markup: a row reads the same wherever it is, and the preview renders the same index
#: pages again and again with most rows unchanged (rows are never changed once read).
_READ: dict[tuple[str, str], Row] = {}
_READ_LIMIT = 1 << 16


def _row(attribute_text: str, inner: str, where: str) -> Row:
    found = _READ.get((attribute_text, inner))
    if found is None:
        if len(_READ) >= _READ_LIMIT:
            _READ.clear()
        found = _READ[attribute_text, inner] = _read_row(attribute_text, inner, where)
    return found


def _read_row(attribute_text: str, inner: str, where: str) -> Row:
    cells: list[str] = []
    sorts: list[str] = []
    position = 0
    while not _REST_IS_SPACE.match(inner, position):
        match = _CELL.match(inner, position)
        if match is None:
            raise EmocatError(f"{where}: expected <td>...</td> after {len(cells)} cells")
        if _NESTED.search(match.group(3)):
            raise EmocatError(f"{where}: cell {len(cells) + 1}: a table inside a cell cannot be carried as data")
        cells.append(match.group().strip())
        sorts.append(cell_sort(attributes_of(match.group(2), where), match.group(3)))
        position = match.end()
    return Row(attributes_of(attribute_text, where), cells, sorts)


def find_tables(content: str, where: str) -> list[Table]:
    """The sortable tables of a page, split at their rows."""
    found = []
    for match in _TABLE.finditer(content):
        if "data-emocat-sortable" not in attributes_of(match.group(1), where):
            continue
        body_start = content.find("<tbody>", match.end())
        body_end = content.find("</tbody>", body_start)
        end = content.find("</table>", body_end)
        if min(body_start, body_end, end) < 0:
            raise EmocatError(f"{where}: a sortable table needs <tbody>...</tbody></table>")
        body_start += len("<tbody>")
        found.append(Table(match.start(), end + len("</table>"), match.group(1), content[match.end():body_start],
                           content[body_start:body_end], content[body_end:end + len("</table>")]))
    return found


def table_json(rows: list[Row]) -> str:
    """``script_json(table_data(rows))``, from each row's record as it was written the last time (a row read
    again from the same markup is the same ``Row``: the preview writes only the records of changed rows)."""
    attributes = _attribute_names(rows)
    # a record starts with "[" and ends with "]": made script-safe one by one, they are safe joined
    return f'{{"attributes":{script_json(list(attributes))},"rows":[{",".join(row.json(attributes) for row in rows)}]}}'


def table_data(rows: list[Row]) -> dict[str, Any]:
    """The rows as compact data, ``{"attributes": [name, ...], "rows": [[values, cells, sorts], ...]}``.

    - ``values``: the row's value of each attribute named, ``None`` where it has none;
    - ``cells``: each cell as a string, the content of a plain ``<td>``, or as ``[html]``, any other cell as
      written (with its attributes);
    - ``sorts``: ``{"index": sort string}`` for every cell whose sort string is not the string in ``cells``
      (a plain cell whose content is text sorts by that text, and an empty one costs two characters).
    """
    attributes = _attribute_names(rows)
    return {"attributes": list(attributes), "rows": [row.record(attributes) for row in rows]}


def _attribute_names(rows: list[Row]) -> tuple[str, ...]:
    """Every attribute name of the rows, in the order they first appear."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row.attributes))
    return tuple(names)


def first_rows(body: str, count: int) -> str:
    """The markup of the first ``count`` rows of a ``<tbody>``'s content, as written."""
    position = 0
    for _ in range(count):
        end = body.find("</tr>", position)
        if end < 0:
            return body
        position = end + len("</tr>")
    return body[:position] + "\n"


def large_tables(content: str, *, threshold: int, template: jinja2.Template, where: str,
                 context: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """``content`` with every sortable table replaced by a placeholder, and the HTML each placeholder stands
    for: the table as it is, or, for a table of more than ``threshold`` rows, the table cut to its first
    ``PAGE_SIZE`` rows followed by all of its rows as data (rendered with ``template`` and ``context``).

    The tables go in after the Markdown pass (``insert_blocks``): they are HTML already, which Markdown would
    only copy, at the cost of parsing every tag of them (and megabytes of data) to find where they end.
    """
    if "data-emocat-sortable" not in content:
        return content, {}
    parts = []
    blocks: dict[str, str] = {}
    position = 0
    for index, table in enumerate(find_tables(content, where), start=1):
        placeholder = f'<div data-emocat-table="{index}"></div>'
        rows = read_rows(table.body, where) if table.body.count("<tr") > threshold else []
        if len(rows) > threshold:
            own = attributes_of(table.attributes, where)
            name = f"{own.get('id') or f'emocat-table-{index}'}-rows"  # the index among the page's sortable tables
            blocks[placeholder] = template.render(
                **context, table=table, rows_id=name, total=len(rows), shown=min(PAGE_SIZE, len(rows)),
                page_size=PAGE_SIZE, first=first_rows(table.body, PAGE_SIZE),
                download=own.get("data-emocat-download"), data=table_json(rows))
        else:
            blocks[placeholder] = content[table.start:table.end]
        parts += [content[position:table.start], placeholder]
        position = table.end
    return "".join(parts) + content[position:], blocks


def insert_blocks(text: str, blocks: dict[str, str], where: str) -> str:
    """``text`` (a page's Markdown, or the HTML made of it) with each placeholder replaced by its block."""
    for placeholder, block in blocks.items():
        if text.count(placeholder) != 1:
            raise EmocatError(f"{where}: the place of a large table ({placeholder}) was lost in the page")
        text = text.replace(placeholder, block)
    return text
