"""Property: the README renderer never fails on valid entries and its Markdown stays well formed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from emocat.catalog.linkset import _link_key, link_key
from emocat.catalog.loader import Catalog
from emocat.catalog.view import natural_key
from emocat.outputs.readme.render import render_readme
from emocat.outputs.readme.tables import _align, align_tables
from emocat.outputs.templating import _MD_SPECIAL, _URL_ESCAPES, md_escape, md_url
from strategies import catalogs

pytestmark = pytest.mark.slow  # property runs over whole READMEs

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


def _reference_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """Natural order spelt out: text parts and digit runs in turn, a digit run before any text, runs by value."""
    parts = re.split(r"([0-9]+)", text.casefold())
    return tuple((0, int(part), "") if position % 2 else (1, 0, part) for position, part in enumerate(parts) if part)


_NATURAL_TEXT = st.text(st.sampled_from("aAbZ-_ .é0123456789²"), max_size=12)


@given(_NATURAL_TEXT, _NATURAL_TEXT)
def test_natural_key_orders_like_its_definition(left: str, right: str) -> None:
    """``natural_key`` is one string for speed; it must order any two texts as the parts-and-values tuple does."""
    reference = (_reference_key(left) > _reference_key(right)) - (_reference_key(left) < _reference_key(right))
    assert (natural_key(left) > natural_key(right)) - (natural_key(left) < natural_key(right)) == reference


def test_natural_key_examples() -> None:
    titles = ["Llama 10", "llama 2", "Llama 2b", "Llama", "7B model", "Llama 02", "Llama-2"]
    assert sorted(titles, key=lambda t: (natural_key(t), t)) == [
        "7B model", "Llama", "Llama 02", "llama 2", "Llama 2b", "Llama 10", "Llama-2",
    ]


_URL_PART = st.text(st.sampled_from("aB0-._~/:@%?#&=+"), max_size=10)


@given(
    st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "", " https://"]),
    st.sampled_from(["", "www.", "user@", "WWW."]),
    st.sampled_from(["example.org", "GitHub.com", "x.org:443", "x.org:80", ""]),
    _URL_PART,
)
def test_link_key_shortcut_agrees_with_the_full_rules(scheme: str, prefix: str, host: str, tail: str) -> None:
    """The fast path for plain ``https://host/path`` links keys them exactly as the general rules do."""
    url = f"{scheme}{prefix}{host}/{tail}"
    assert link_key(url) == _link_key(url.strip().lower())


_SEPARATOR_LINE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+\s*$")


def _reference_align(markdown: str) -> str:
    """Table finding spelt out line by line: a ``|`` line, a delimiter row, then every ``|`` line after them."""
    lines = markdown.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        if lines[index].startswith("|") and index + 1 < len(lines) and _SEPARATOR_LINE.match(lines[index + 1]):
            end = index + 2
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            out.extend(_align(lines[index], lines[index + 1], lines[index + 2 : end]))
            index = end
        else:
            out.append(lines[index])
            index += 1
    return "\n".join(out)


_TABLE_LINE = st.text(st.sampled_from("|-: a\\é\u00a0\t\r𝄞"), max_size=14).map(lambda line: line.lstrip("\n"))


_SPACE = st.text(st.sampled_from(" \t\u00a0\r\x0b"), max_size=2)
_DELIMITER_CELL = st.tuples(_SPACE, st.sampled_from(["", ":"]), st.integers(1, 3), st.sampled_from(["", ":"]), _SPACE).map(
    lambda p: f"{p[0]}{p[1]}{'-' * p[2]}{p[3]}{p[4]}|"
)
_DELIMITER = st.tuples(st.lists(_DELIMITER_CELL, min_size=1, max_size=3), _SPACE).map(lambda p: "|" + "".join(p[0]) + p[1])


@given(st.lists(st.one_of(_TABLE_LINE, _DELIMITER, st.sampled_from(["| a | b |", "| é | 𝄞 |", "", "x"])), max_size=12))
def test_align_tables_finds_the_tables_a_line_scan_finds(lines: list[str]) -> None:
    markdown = "\n".join(lines)
    assert align_tables(markdown) == _reference_align(markdown)


_ESCAPE_TEXT = st.text(st.one_of(st.sampled_from("\\`*_[]|~<>&(){}#+-.! aé"), st.characters()), max_size=8)


@given(_ESCAPE_TEXT)
def test_escape_shortcuts_agree_with_their_tables(text: str) -> None:
    """The filters skip translate() when no special character is in the text; the tables decide alone."""
    assert md_escape(text) == text.translate(_MD_SPECIAL)
    assert md_url(text) == text.translate(_URL_ESCAPES)


def test_escape_shortcuts_know_every_special_character() -> None:
    for table, escape in ((_MD_SPECIAL, md_escape), (_URL_ESCAPES, md_url)):
        for code in table:
            text = f"a{chr(code)}b"
            assert escape(text) == text.translate(table) != text
