# ruff: noqa: F811  (the fixtures imported from test_site_browser are used as parameters)
"""Large tables in Chromium: one generated catalog built twice, its tables in the document (DOM path) and as
data shown a page at a time (data path); the same filters and sorts give the same rows in the same order."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import bibtexparser
import pytest
from test_reader_browser import AXE, _axe
from test_site_browser import Watch, browser, page  # noqa: F401  (fixtures shared with that module)

from catalogs import ADDED
from conftest import REPO, build_with_options
from emocat.catalog.models import KINDS
from emocat.store.writer import dump_entry

sys.path.insert(0, str(REPO / "benchmarks"))

import table_browser
from synthetic import generate

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SIZE = 500  # 250 papers: three pages of 100
THRESHOLD = 60  # papers, datasets, authors, the results matrix and the big board are carried as data
HOSTILE = "</script><!--<script>alert(1)</script><img src=x onerror=alert(2)>"
BIG_BOARD = 150


def _add(catalog: Path, name: str, fields: dict[str, Any]) -> None:
    folder, entry_id = name.split("/")
    entry = KINDS[folder].model_validate({"added": ADDED, **fields, "id": entry_id})
    (catalog / folder / f"{entry_id}.yaml").write_text(dump_entry(entry), encoding="utf-8")


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic catalog, with a hostile title among the oldest papers (past the first page) and a board of
    more rows than a page."""
    folder = generate(tmp_path_factory.mktemp("large-catalog") / "catalog", SIZE)
    _add(folder, "papers/hostile-paper", {"title": HOSTILE, "authors": ["A <b>B</b>"], "year": 2018,
                                          "modalities": ["text"], "topics": ["survey"], "venue": "arXiv"})
    results = [{"model_id": f"model-{n % 100}", "as_printed": f"Model {n}", "metric": "accuracy",
                "value": Decimal(n * 37 % 1000) / 10, "scale": "0-100",
                "regime": ("zero-shot", "fine-tuned")[n % 2], "source": {"url": f"https://example.org/{n % 3}"}}
               for n in range(BIG_BOARD)]
    _add(folder, "benchmarks/big-bench", {"name": "Big Bench", "datasets": ["dataset-0"], "task": "emotion-recognition",
                                          "metrics": ["accuracy"], "results": results})
    return folder


@pytest.fixture(scope="module")
def site_dirs(catalog: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The two builds: every table in the document ("dom"), large tables as data ("data")."""
    return {"dom": build_with_options(catalog, tmp_path_factory.mktemp("dom-site"), large_tables=100_000),
            "data": build_with_options(catalog, tmp_path_factory.mktemp("data-site"), large_tables=THRESHOLD)}


@pytest.fixture(scope="module")
def sites(site_dirs: dict[str, Path], serve: Any) -> dict[str, str]:
    """Base URLs of the two builds."""
    return {name: serve(folder) for name, folder in site_dirs.items()}


ROWS = """table => Array.from(table.tBodies[0].rows).filter(r => !r.hidden).map(r =>
  Array.from(r.attributes).filter(a => a.name !== 'hidden').map(a => a.name + '=' + a.value).join(' ')
  + ' | ' + Array.from(r.cells).map(c => c.outerHTML).join(''))"""


def _pager(tab: Any, table: str) -> str:
    return f"[data-emocat-pager='{tab.get_attribute(table, 'data-emocat-rows')}']"


def _every_row(tab: Any, table: str) -> list[str]:
    """The rows the table shows, in order; on the data path page by page, with Next."""
    rows: list[str] = tab.eval_on_selector(table, ROWS)
    if tab.get_attribute(table, "data-emocat-rows") is None:
        return rows
    following = f"{_pager(tab, table)} [data-emocat-page=next] >> nth=0"
    while tab.get_attribute(following, "aria-disabled") != "true":
        tab.click(following)
        rows += tab.eval_on_selector(table, ROWS)
    return rows


def _shown(tab: Any, base: str, path: str, table: str, clicks: list[int]) -> tuple[list[str], str | None]:
    tab.goto(base + path)
    tab.wait_for_selector(f"{table}[data-emocat-ready]")
    for column in clicks:
        tab.click(f"{table} thead th:nth-child({column}) button")
    count = tab.query_selector(f"[data-emocat-count='{table[1:]}']")
    return _every_row(tab, table), count.text_content() if count else None


SCENARIOS = [
    ("papers/", "#emocat-papers", []),
    ("papers/?modality=audio", "#emocat-papers", []),
    ("papers/?topic=survey&from=2020&to=2022", "#emocat-papers", [2]),  # date, oldest first
    (f"papers/?venue={quote('CVPR 2025')}", "#emocat-papers", [1, 1]),  # title, Z to A
    ("papers/?words=emotion+reasoning", "#emocat-papers", [3]),  # venue: empty venues last
    ("papers/", "#emocat-papers", [3, 3]),  # venue, Z to A, empty venues still last
    ("papers/?modality=video&from=2023", "#emocat-papers", [2, 2]),  # date, newest first
    ("datasets/", "#emocat-datasets", [3]),  # samples
    ("datasets/", "#emocat-datasets", [7, 7]),  # hours, most first, unknown last
    ("datasets/", "#emocat-datasets", [1, 1]),  # name, Z to A
    ("authors/", "#emocat-authors", [2]),  # papers: most first on the first click
    ("authors/", "#emocat-authors", [2, 2, 1]),
    ("results/?modalities=audio", "#emocat-results", [4]),  # a benchmark's values, models without one last
    ("results/?words=qwen", "#emocat-results", [5, 5]),
    ("benchmarks/big-bench/?regime=zero-shot", "#board-big-bench", [2]),
    ("benchmarks/big-bench/", "#board-big-bench", [4, 4]),
]


@pytest.mark.parametrize(("path", "table", "clicks"), SCENARIOS)
def test_both_paths_show_the_same_rows_in_the_same_order(page: tuple[Any, Watch], sites: dict[str, str],
                                                         path: str, table: str, clicks: list[int]) -> None:
    tab, _ = page
    dom, dom_count = _shown(tab, sites["dom"], path, table, clicks)
    data, data_count = _shown(tab, sites["data"], path, table, clicks)
    assert tab.get_attribute(table, "data-emocat-rows"), "the data build carries this table as data"
    assert dom, path
    assert data == dom
    assert data_count == dom_count and (dom_count is None or int(dom_count) == len(dom))


def test_typing_into_the_filters_pages_the_data(page: tuple[Any, Watch], sites: dict[str, str]) -> None:
    tab, _ = page
    found = {}
    for name, base in sites.items():
        tab.goto(base + "papers/")
        tab.select_option("select[name=modality]", "image")
        tab.fill("input[name=from]", "2021")
        tab.type("input[name=words]", "visual", delay=10)
        found[name] = _every_row(tab, "#emocat-papers")
    assert found["dom"] and found["data"] == found["dom"]
    assert "modality=image" in tab.url and "words=visual" in tab.url


def _range(tab: Any) -> str:
    return str(tab.text_content("[data-emocat-pager] [data-emocat-range]"))


def test_the_pager_is_keyboard_usable_announced_and_kept_in_the_address(page: tuple[Any, Watch],
                                                                        sites: dict[str, str]) -> None:
    tab, _ = page
    tab.goto(sites["data"] + "papers/")
    total = int(tab.text_content("[data-emocat-count='emocat-papers']") or 0)
    assert total > 200 and _range(tab) == f"Rows 1–100 of {total}"
    assert tab.get_attribute("[data-emocat-pager] [data-emocat-range]", "role") == "status"
    assert tab.is_hidden("[data-emocat-note]") and tab.is_visible("[data-emocat-pager]")
    top = "[data-emocat-pager] [data-emocat-page=next] >> nth=0"
    assert tab.get_attribute("[data-emocat-pager] [data-emocat-page=previous] >> nth=0", "aria-disabled") == "true"
    first = tab.eval_on_selector("#emocat-papers", ROWS)
    tab.focus(top)
    tab.keyboard.press("Enter")
    assert _range(tab) == f"Rows 101–200 of {total}" and tab.url.endswith("?page=2")
    second = tab.eval_on_selector("#emocat-papers", ROWS)
    assert len(second) == 100 and not set(first) & set(second)
    tab.keyboard.press(" ")
    assert _range(tab) == f"Rows 201–{total} of {total}"
    assert tab.get_attribute(top, "aria-disabled") == "true"
    tab.keyboard.press("Enter")  # on the last page Next does nothing, and keeps the focus
    assert _range(tab) == f"Rows 201–{total} of {total}"
    assert tab.evaluate("document.activeElement.dataset.emocatPage") == "next"
    tab.go_back()
    tab.wait_for_function("() => location.search === '?page=2'")
    assert tab.eval_on_selector("#emocat-papers", ROWS) == second
    tab.reload()
    assert _range(tab) == f"Rows 101–200 of {total}"
    tab.click("[data-emocat-pager] [data-emocat-page=previous] >> nth=1")  # the pager below the table ...
    assert _range(tab) == f"Rows 1–100 of {total}"
    assert tab.evaluate("document.activeElement.closest('[data-emocat-pager]').getAttribute('aria-label')") == \
        "Pages of the table"  # ... takes the focus to the one above it
    tab.click(top)
    tab.select_option("select[name=modality]", "audio")  # a filter starts again on the first page
    assert _range(tab).startswith("Rows 1–") and "page=" not in tab.url


def test_without_javascript_the_first_rows_and_the_note_show(browser: Any, sites: dict[str, str]) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(sites["data"] + "papers/")
    assert tab.eval_on_selector_all("#emocat-papers tbody tr", "rows => rows.length") == 100
    note = tab.inner_text("[data-emocat-note]")
    assert "the first 100 are shown here" in note and "papers.csv" in note
    assert tab.get_attribute("[data-emocat-note] a", "href") == "../papers.csv"
    assert tab.is_hidden("[data-emocat-pager]")
    context.close()


def test_the_bibtex_export_saves_every_filtered_row_not_only_the_page(page: tuple[Any, Watch], sites: dict[str, str],
                                                                      tmp_path: Path) -> None:
    tab, _ = page
    keys = {}
    for name, base in sites.items():
        tab.goto(base + "papers/?modality=text")
        with tab.expect_download() as info:
            tab.click("button[data-emocat-export]")
        info.value.save_as(tmp_path / f"{name}.bib")
        library = bibtexparser.parse_string((tmp_path / f"{name}.bib").read_text(encoding="utf-8"))
        keys[name] = [entry.key for entry in library.entries]
    assert len(keys["dom"]) > 100 and keys["data"] == keys["dom"]


def test_on_a_phone_every_page_of_rows_is_cards(page: tuple[Any, Watch], sites: dict[str, str]) -> None:
    tab, _ = page
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(sites["data"] + "papers/")
    tab.wait_for_selector("#emocat-papers[data-emocat-stacked]")
    tab.click("[data-emocat-pager] [data-emocat-page=next] >> nth=0")
    tab.click("#emocat-papers thead th:nth-child(2) button")
    labels = tab.eval_on_selector_all("#emocat-papers tbody td:not(:first-child)", "cells => cells.map(c => c.dataset.label)")
    assert len(labels) == 100 * 5 and all(labels)
    assert tab.eval_on_selector("#emocat-papers tbody tr", "r => getComputedStyle(r).display") == "block"
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_link_to_a_row_on_another_page_turns_to_it(page: tuple[Any, Watch], sites: dict[str, str]) -> None:
    tab, _ = page
    tab.goto(sites["data"] + "benchmarks/big-bench/#row-140")
    tab.wait_for_selector("#board-big-bench tr[id='row-140']", state="visible")
    assert _range(tab) == f"Rows 101–{BIG_BOARD} of {BIG_BOARD}"
    assert tab.evaluate("() => { const r = document.getElementById('row-140').getBoundingClientRect();"
                        " return r.top >= 0 && r.bottom <= window.innerHeight; }")


def test_a_hostile_title_in_the_data_shows_as_text(page: tuple[Any, Watch], sites: dict[str, str]) -> None:
    tab, watch = page
    tab.goto(sites["data"] + "papers/?words=hostile-paper")  # its row is made from the data, not the page's HTML
    assert tab.eval_on_selector_all("#emocat-papers tbody td:first-child", "cells => cells.map(c => c.textContent)") \
        == [HOSTILE]
    assert tab.query_selector("img[src=x]") is None and watch.dialogs == []


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (run npm ci)")
@pytest.mark.parametrize("width", [1280, 390])
def test_a_paged_table_has_no_serious_axe_violation(page: tuple[Any, Watch], sites: dict[str, str], width: int) -> None:
    tab, _ = page
    tab.set_viewport_size({"width": width, "height": 844})
    tab.goto(sites["data"] + "papers/?page=2")
    assert _axe(tab) == []


def test_the_table_benchmark_measures_a_built_site(site_dirs: dict[str, Path]) -> None:
    """benchmarks/table_browser.py, in its own process (this one already drives a browser)."""
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / "table_browser.py"), "--site", str(site_dirs["data"]),
                           "--tries", "1"], capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    figures = dict(re.findall(r"(\w+_(?:ms|kb)) ([\d,]+)", done.stdout))
    assert set(figures) == {*table_browser.TARGETS, "dom_content_loaded_ms", "html_kb"}, done.stdout
    assert all(int(value.replace(",", "")) > 0 for value in figures.values()), done.stdout
