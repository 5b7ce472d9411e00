"""Property: the README renderer never fails on valid entries and its Markdown stays well formed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hypothesis import given
from markdown_it import MarkdownIt

from emocat.loader import Catalog
from emocat.render import render_readme
from strategies import catalogs

REPO = Path(__file__).resolve().parents[1]
# The only HTML the README template itself writes: collapsible groups and line breaks in cells.
TEMPLATE_HTML = re.compile(r"^</?(details|summary)>$|^<br>$")


def _table_rows(tokens: list[Any]) -> list[tuple[int, int]]:
    """(header cells, row cells) for every row of every table."""
    rows, header, cells, in_head = [], 0, 0, False
    for token in tokens:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            cells = 0
        elif token.type in ("th_open", "td_open"):
            cells += 1
        elif token.type == "tr_close":
            if in_head:
                header = cells
            else:
                rows.append((header, cells))
    return rows


@given(catalogs(REPO / "catalog"))
def test_readme_renders_and_stays_well_formed(catalog: Catalog) -> None:
    text = render_readme(catalog, REPO)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    for header, cells in _table_rows(tokens):
        assert cells == header
    lines = text.splitlines()
    for token in tokens:
        for child in [token, *(token.children or [])]:
            if child.type in ("html_inline", "html_block"):
                assert all(TEMPLATE_HTML.match(tag) for tag in re.findall(r"<[^>]*>", child.content)), child.content
    table_lines = [line for line in lines if line.startswith("|")]
    for line in table_lines:
        assert "\n" not in line
