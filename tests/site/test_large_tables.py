"""Large tables carried as data (outputs/site/tables.py): the data read from our markup is what a browser reads
from the same table, the threshold is exact, the page keeps its first rows, and no text can leave the script."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from catalogs import write_catalog
from conftest import fixture_catalog
from emocat.catalog.checks import load_valid
from emocat.errors import EmocatError, UsageError
from emocat.outputs.site import pages as site
from emocat.outputs.site import tables

INDEX_TABLES = ["papers/index.md", "datasets/index.md", "benchmarks/index.md", "models/index.md",
                "results/index.md", "authors/index.md", "benchmarks/sound-bench/index.md"]
SCRIPT = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


class _Browserish(HTMLParser):
    """The sortable tables of a page as a browser's DOM gives them: per row its attributes (getAttribute) and
    per cell its ``data-sort`` or its text (textContent; trimmed by the test)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[dict[str, Any]]] = []
        self._sortable = self._in_body = False
        self._cell: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        if tag == "table":
            self._sortable = "data-emocat-sortable" in named
            if self._sortable:
                self.tables.append([])
        elif tag == "tbody" and self._sortable:
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self.tables[-1].append({"attributes": named, "cells": []})
        elif tag in ("td", "th") and self._in_body:
            self._cell = {"sort": named.get("data-sort"), "text": []}
            self.tables[-1][-1]["cells"].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("tbody", "table"):
            self._in_body = False
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"].append(data)


def _browser_tables(markup: str) -> list[list[dict[str, Any]]]:
    reader = _Browserish()
    reader.feed(markup)
    reader.close()
    return reader.tables


def _sort_strings(row: dict[str, Any]) -> list[str]:
    # " \t\n" is all the whitespace around the text of the fixture's cells, which JavaScript's trim() also removes
    return [cell["sort"] if cell["sort"] is not None else "".join(cell["text"]).strip(" \t\n") for cell in row["cells"]]


def _decoded_cells(cells: list[Any]) -> str:
    """The cells' HTML from the data: a string is the content of a plain <td>, [html] a cell as written."""
    return "".join(f"<td>{cell}</td>" if isinstance(cell, str) else cell[0] for cell in cells)


def _decoded_sorts(cells: list[Any], sorts: dict[str, str]) -> list[str]:
    """The cells' sort strings from the data: those given, else the content of the plain cell."""
    return [sorts.get(str(index), cell if isinstance(cell, str) else None) for index, cell in enumerate(cells)]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("large-tables")
    fixture_catalog(root)
    return root


def _pages(project: Path, catalog: Path, large_tables: int) -> dict[str, str]:
    built = site.build(load_valid(catalog), project=project, large_tables=large_tables)
    return {page.path: page.content for page in built.pages}


@pytest.fixture(scope="module")
def dom_pages(project: Path) -> dict[str, str]:
    return _pages(project, project / "catalog", tables.DEFAULT_THRESHOLD)


@pytest.fixture(scope="module")
def data_pages(project: Path) -> dict[str, str]:
    return _pages(project, project / "catalog", 0)


def _data(page: str) -> list[dict[str, Any]]:
    """Every table's JSON data on a page, parsed."""
    return [json.loads(text) for _, text in SCRIPT.findall(page)]


@pytest.mark.parametrize("path", INDEX_TABLES)
def test_the_data_holds_what_the_browser_reads_from_the_table(dom_pages: dict[str, str], data_pages: dict[str, str],
                                                              path: str) -> None:
    in_browser = _browser_tables(dom_pages[path])
    carried = _data(data_pages[path])
    assert in_browser and len(carried) == len(in_browser), path
    for rows, data in zip(in_browser, carried, strict=True):
        assert len(data["rows"]) == len(rows) > 0
        for row, (values, cells, sorts) in zip(rows, data["rows"], strict=True):
            attributes = {name: value for name, value in zip(data["attributes"], values, strict=True) if value is not None}
            assert attributes == row["attributes"]
            assert _decoded_sorts(cells, sorts) == _sort_strings(row)
            again = _browser_tables(f"<table data-emocat-sortable><tbody><tr>{_decoded_cells(cells)}</tr></tbody></table>")
            assert _sort_strings(again[0][0]) == _sort_strings(row)  # the cells' HTML is the cells themselves


def test_a_table_of_exactly_the_threshold_stays_in_the_document(project: Path) -> None:
    papers = len(load_valid(project / "catalog").papers)
    at = _pages(project, project / "catalog", papers)["papers/index.md"]
    above = _pages(project, project / "catalog", papers - 1)["papers/index.md"]
    assert "data-emocat-rows" not in at and not _data(at)
    assert 'data-emocat-rows="emocat-papers-rows"' in above
    assert [len(data["rows"]) for data in _data(above)] == [papers]


def test_plain_cells_are_their_content_and_sort_by_it() -> None:
    body = ('<tr data-x="1"><td>ACM MM</td><td></td><td data-sort="202405">2024-05</td><td><a href="x">A</a></td>'
            '<td> spaced </td><td>a &amp; b</td></tr>')
    (row,) = tables.table_data(tables.read_rows(body, "p"))["rows"]
    assert row == [["1"], ["ACM MM", "", ['<td data-sort="202405">2024-05</td>'], '<a href="x">A</a>', " spaced ",
                          "a &amp; b"], {"2": "202405", "3": "A", "4": "spaced", "5": "a & b"}]


def test_tables_without_an_id_get_one_for_their_data(data_pages: dict[str, str]) -> None:
    ids = [name for name, _ in SCRIPT.findall(data_pages["models/index.md"])]
    assert ids == [f"emocat-table-{n}-rows" for n in range(1, len(ids) + 1)] and len(ids) >= 2
    for name in ids:
        assert f'data-emocat-rows="{name}"' in data_pages["models/index.md"]


@pytest.fixture(scope="module")
def many_papers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog with more papers than fit on one page of a large table."""
    root = tmp_path_factory.mktemp("many-papers")
    entries = {f"papers/paper-{n}": {"title": f"Paper {n}: listening", "authors": [f"Ada Author{n}"],
                                     "year": 2000 + n % 25, "modalities": ["text"], "topics": ["survey"]}
               for n in range(tables.PAGE_SIZE + 20)}
    write_catalog(root / "catalog", entries)
    return root


def test_a_large_table_keeps_its_first_rows_a_note_and_all_rows_as_data(many_papers: Path) -> None:
    total = tables.PAGE_SIZE + 20
    dom = _pages(many_papers, many_papers / "catalog", total)["papers/index.md"]
    page = _pages(many_papers, many_papers / "catalog", total - 1)["papers/index.md"]
    dom_body = dom.split("<tbody>")[1].split("</tbody>")[0]
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr\b.*?</tr>", dom_body, re.S)
    assert len(rows) == total
    assert re.findall(r"<tr\b.*?</tr>", body, re.S) == rows[:tables.PAGE_SIZE]  # as written, for readers without JS
    attributes, head = dom.split("<table")[1].split("<tbody>")[0].split(">", 1)
    assert f'<table{attributes} data-emocat-rows="emocat-papers-rows" data-emocat-page-size="{tables.PAGE_SIZE}">{head}' in page
    note = re.search(r'<p class="emocat-large-note"[^>]*>(.*?)</p>', page, re.S)
    assert note is not None
    assert f"{total} rows" in note.group(1) and f"first {tables.PAGE_SIZE}" in note.group(1)
    assert '<a href="../papers.csv">papers.csv</a>' in note.group(1)
    (data,) = _data(page)
    assert data == tables.table_data(tables.read_rows(dom_body, "papers/index.md"))
    assert page.count('data-emocat-pager="emocat-papers-rows"') == 2


HOSTILE = "</script><!--<script>alert(1)</script> </SCRIPT >"


def test_no_title_can_leave_the_data_script(tmp_path: Path) -> None:
    write_catalog(tmp_path / "catalog", {
        "papers/hostile": {"title": HOSTILE, "authors": ["A <b>B</b>"], "year": 2024, "modalities": ["text"]},
        "papers/plain": {"title": "Plain", "year": 2023, "modalities": ["text"]},
    })
    page = _pages(tmp_path, tmp_path / "catalog", 0)["papers/index.md"]
    start = page.index('<script type="application/json"')
    script = page[start:page.index("</script>", start) + len("</script>")]
    assert script.lower().count("</script") == 1 and "<!--" not in script  # the end tag is its own
    (data,) = _data(page)
    titles = [sorts["0"] for _, _, sorts in data["rows"]]
    assert HOSTILE in titles


@pytest.mark.parametrize("text", [HOSTILE, "a\u2028b\u2029c", "<!-- x -->", "&amp; &lt;", "\\ \" '"])
def test_script_json_reads_back_and_keeps_the_script_open(text: str) -> None:
    written = tables.script_json({"rows": [[text]]})
    assert json.loads(written) == {"rows": [[text]]}
    assert "</" not in written and "<!" not in written and "\u2028" not in written and "\u2029" not in written


@pytest.mark.parametrize(("inner", "expected"), [
    ("<a href=\"x\">Title <b>bold</b></a>", "Title bold"),
    ("\xa0 &lt;b&gt; &amp; x\ufeff\n", "<b> & x"),  # JavaScript's trim() removes NBSP and U+FEFF
    ("x\x85", "x\x85"),  # ... but not U+0085, which str.strip() would
    ("", ""),
])
def test_the_sort_string_is_the_text_as_the_browser_trims_it(inner: str, expected: str) -> None:
    assert tables.cell_sort({}, inner) == expected
    assert tables.cell_sort({"data-sort": "202405"}, inner) == "202405"


@pytest.mark.parametrize(("body", "message"), [
    ("<tr><td>a</td>", "row 1: expected <tr>"),
    ("<tr><td>a</td><p>b</p></tr>", "expected <td>...</td> after 1 cells"),
    ("<tr data-x='1'><td>a</td></tr>", "cannot read the attributes"),
    ("<tr><td><table><tr><td>a</td></tr></table></td></tr>", "a table inside a cell"),
])
def test_markup_it_cannot_carry_is_an_error_that_names_the_page(body: str, message: str) -> None:
    with pytest.raises(EmocatError, match=re.escape(message)) as error:
        tables.read_rows(body, "papers/index.md")
    assert str(error.value).startswith("papers/index.md: ")


def test_a_negative_threshold_is_refused(project: Path) -> None:
    with pytest.raises(UsageError, match="large_tables is -1"):
        site.build(load_valid(project / "catalog"), project=project, large_tables=-1)


@pytest.mark.parametrize("text", [HOSTILE, "a\u2028b\u2029c", "<!-- x -->", "&amp; &lt;", "\\ \" '", "</tr></td>"])
def test_the_data_written_row_by_row_is_the_data_written_at_once(text: str) -> None:
    """``table_json`` joins each row's record, kept between builds, into what ``script_json`` writes of the
    whole table, whatever the rows' attributes (a row's record depends on the attributes of every row)."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    body = (f'<tr data-a="{escaped}"><td>{escaped}</td><td data-sort="{escaped}"><a href="x">{escaped}</a></td></tr>'
            f'<tr><td></td><td>plain</td></tr>')
    rows = tables.read_rows(body, "p")
    alone = tables.read_rows(body.split("</tr>", 1)[1], "p")
    assert tables.table_json(alone) == tables.script_json(tables.table_data(alone))  # no attributes at all
    assert tables.table_json(rows) == tables.script_json(tables.table_data(rows))
    assert tables.table_json(rows) == tables.script_json(tables.table_data(rows))  # again, from the kept records
    assert json.loads(tables.table_json(rows))["rows"][0][0] == [text]
