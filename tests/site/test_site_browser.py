"""The built site in a real headless Chromium: search (Pagefind), filters, sorting, copy, leaderboards, isolation."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from conftest import HOSTILE_TITLE, REPO
from emocat.catalog.view import natural_key

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = os.environ.get("EMOCAT_CHROMIUM") or shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps"]
SHOTS = REPO / "test-output"

if CHROMIUM is None:
    pytest.skip("no chromium executable (install Debian's chromium package to run the browser tests)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Watch:
    """What a page did: every request, console errors, uncaught errors and dialogs."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []


@pytest.fixture
def page(browser: Any) -> Iterator[tuple[Any, Watch]]:
    """A fresh page that may talk to 127.0.0.1 only; at teardown nothing else was asked, nothing failed."""
    context = browser.new_context(viewport={"width": 1280, "height": 800},
                                  permissions=["clipboard-read", "clipboard-write"])
    watch = Watch()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        watch.requests.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            watch.outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("console", lambda message: watch.errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: watch.errors.append(str(error)))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    yield tab, watch
    context.close()
    assert watch.requests, "the page made no request at all"
    assert watch.outside == [], f"requests left 127.0.0.1: {watch.outside}"
    assert watch.errors == [], f"console errors: {watch.errors}"
    assert watch.dialogs == [], f"dialogs opened: {watch.dialogs}"


@pytest.fixture(scope="module")
def repo_url(repo_site: Path, serve: Any) -> str:
    return str(serve(repo_site))


FIELD = "#emocat-search-query"
RESULT_LINKS = "#emocat-search-panel .emocat-search__result a"


def _search(tab: Any, query: str) -> list[str]:
    """Type ``query`` into the header's search field (clicked unless it has the focus), key by key as a reader
    types; the result addresses.

    Results of the first keys may show first; the list belongs to the whole query once the status names it.
    """
    if tab.evaluate("document.activeElement.id") != FIELD.lstrip("#"):
        tab.click(FIELD)
    tab.keyboard.type(query, delay=20)
    tab.wait_for_function("words => (document.querySelector('#emocat-search-panel .emocat-search__status')"
                          " .textContent || '').includes('\u201c' + words + '\u201d')", arg=query, timeout=30000)
    links: list[str] = tab.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => a.href)")
    return links


def _kinds(tab: Any) -> list[str]:
    kinds: list[str] = tab.eval_on_selector_all("#emocat-search-panel .emocat-search__result",
                                                "items => items.map(i => i.querySelector('.emocat-search__kind').textContent)")
    return kinds


def test_search_finds_emotion_llama_offline_in_a_chunked_index(page: tuple[Any, Watch], repo_url: str,
                                                                repo_site: Path) -> None:
    tab, watch = page
    tab.goto(repo_url)
    hrefs = _search(tab, "Emotion-LLaMA instruction tuning")
    assert "/papers/emotion-llama/" in [urlsplit(href).path for href in hrefs], hrefs
    fetched = [urlsplit(url).path for url in watch.requests]
    assert "/search/search_index.json" not in fetched  # no lunr index of every page
    chunks = [path for path in fetched if path.startswith("/pagefind/index/")]
    fragments = [path for path in fetched if path.startswith("/pagefind/fragment/")]
    on_disk = list((repo_site / "pagefind" / "fragment").iterdir())
    assert chunks and 0 < len(fragments) < len(on_disk)  # only the results shown, not every page's record
    biggest = max((repo_site / path.lstrip("/")).stat().st_size for path in chunks + fragments)
    assert biggest < 200_000, f"a search file of {biggest} bytes"
    tab.click(f"{RESULT_LINKS}[href$='/papers/emotion-llama/']")
    tab.wait_for_url("**/papers/emotion-llama/")
    assert "Emotion-LLaMA" in tab.inner_text("h1")


def test_a_kind_filter_narrows_the_results(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "about/")
    _search(tab, "emotion")
    everything = _kinds(tab)
    assert len(set(everything)) > 1, everything
    tab.select_option("#emocat-search-panel select[name=kind]", "Dataset")
    tab.wait_for_function("() => [...document.querySelectorAll('#emocat-search-panel .emocat-search__kind')]"
                          ".every(k => k.textContent === 'Dataset')")
    datasets = _kinds(tab)
    assert datasets and set(datasets) == {"Dataset"}
    assert "kind=Dataset" in tab.get_attribute("#emocat-search-panel .emocat-search__more a", "href")
    hrefs = tab.eval_on_selector_all(RESULT_LINKS, "links => links.map(a => new URL(a.href).pathname)")
    assert all(href.startswith("/datasets/") for href in hrefs), hrefs


def test_the_search_works_from_the_keyboard(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/")
    assert tab.eval_on_selector(FIELD, "f => f.labels[0].textContent") == "Search the site"
    tab.keyboard.press("/")  # the theme's shortcut to the search field
    assert tab.evaluate("document.activeElement.id") == "emocat-search-query"
    _search(tab, "emotion")
    tab.keyboard.press("ArrowDown")
    first = tab.eval_on_selector(RESULT_LINKS, "a => a.href")
    assert tab.evaluate("document.activeElement.href") == first
    tab.keyboard.press("Escape")
    assert tab.is_hidden("#emocat-search-panel")
    assert tab.evaluate("document.activeElement.id") == "emocat-search-query"
    assert tab.input_value(FIELD) == "emotion"  # Escape closed the results, it did not clear the words
    tab.keyboard.press("Enter")  # the search page, with the same words
    tab.wait_for_url("**/search/?q=emotion*")
    tab.wait_for_selector(".emocat-search-page .emocat-search__result")
    assert tab.input_value(".emocat-search-page input[name=q]") == "emotion"


def test_the_search_page_reads_its_address_and_keeps_it(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "search/?q=emotion&kind=Paper&modality=audio")
    tab.wait_for_selector(".emocat-search-page .emocat-search__result")
    hrefs = tab.eval_on_selector_all(".emocat-search-page .emocat-search__result a",
                                     "links => links.map(a => new URL(a.href).pathname)")
    assert hrefs and all(href.startswith("/papers/") for href in hrefs), hrefs
    tab.select_option(".emocat-search-page select[name=kind]", "Model")
    tab.wait_for_function("() => location.search.includes('kind=Model')")
    tab.wait_for_function("() => [...document.querySelectorAll('.emocat-search-page .emocat-search__result a')]"
                          ".every(a => new URL(a.href).pathname.startsWith('/models/'))")


def test_search_results_show_hostile_titles_as_text_under_a_sub_path(page: tuple[Any, Watch], fixture_site: Path,
                                                                     serve: Any) -> None:
    tab, watch = page
    base = serve(fixture_site.parent) + fixture_site.name + "/"  # the site under /site/, as on GitHub Pages
    tab.goto(base)
    hrefs = _search(tab, "onerror")
    assert [urlsplit(href).path for href in hrefs] == [f"/{fixture_site.name}/papers/hostile/"]
    assert tab.inner_text(RESULT_LINKS) == HOSTILE_TITLE
    assert tab.query_selector("img[src=x]") is None and watch.dialogs == []
    tab.click(RESULT_LINKS)
    tab.wait_for_url("**/papers/hostile/")


def _visible_rows(tab: Any) -> list[dict[str, str]]:
    return tab.eval_on_selector_all(
        "#emocat-papers tbody tr",
        "rows => rows.filter(r => !r.hidden && r.offsetParent !== null)"
        ".map(r => ({modalities: r.dataset.modalities, year: r.dataset.year, date: r.cells[1].dataset.sort}))",
    )


def _count(tab: Any) -> int:
    return int(tab.inner_text('[data-emocat-count="emocat-papers"]'))


def test_filtering_papers_to_audio_updates_rows_and_count(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/")
    total = _count(tab)
    assert len(_visible_rows(tab)) == total
    tab.select_option("select[name=modality]", "audio")
    rows = _visible_rows(tab)
    assert rows, "no audio paper is shown"
    assert all("audio" in row["modalities"].split() for row in rows)
    assert _count(tab) == len(rows) < total
    assert "modality=audio" in tab.url
    tab.fill("input[name=from]", "2025")
    rows_2025 = _visible_rows(tab)
    assert all(int(row["year"]) >= 2025 and "audio" in row["modalities"].split() for row in rows_2025)
    assert _count(tab) == len(rows_2025) <= len(rows)
    tab.click("form.emocat-filters button[type=reset]")
    tab.wait_for_function("total => document.querySelector('[data-emocat-count]').textContent == total", arg=str(total))


def test_free_text_filter(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/?words=emotion-llama")
    titles = tab.eval_on_selector_all("#emocat-papers tbody tr:not([hidden]) td:first-child",
                                      "cells => cells.map(c => c.textContent)")
    assert titles and all("emotion-llama" in t.lower() or "emotion" in t.lower() for t in titles)
    assert _count(tab) == len(titles)


def test_sorting_papers_by_date(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/")
    tab.click("#emocat-papers th:nth-child(2) button")
    ascending = [int(row["date"]) for row in _visible_rows(tab)]
    assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
    assert tab.get_attribute("#emocat-papers th:nth-child(2)", "aria-sort") == "ascending"
    tab.click("#emocat-papers th:nth-child(2) button")
    descending = [int(row["date"]) for row in _visible_rows(tab)]
    assert descending == sorted(ascending, reverse=True)
    tab.click("#emocat-papers th:nth-child(1) button")
    titles = tab.eval_on_selector_all("#emocat-papers tbody tr td:first-child", "cells => cells.map(c => c.textContent.trim())")
    assert titles == sorted(titles, key=natural_key)  # the catalog's collation (catalog.view.natural_key)


def test_stars_sort_most_starred_first_then_fewest(page: tuple[Any, Watch], fixture_site: Path, serve: Any) -> None:
    tab, _ = page
    tab.goto(serve(fixture_site) + "papers/")
    header = "#emocat-papers th[data-first-sort=descending]"
    column = tab.eval_on_selector(header, "th => th.cellIndex") + 1
    stars = f"#emocat-papers tbody tr td:nth-child({column})"
    read = "cells => cells.map(c => c.dataset.sort || '')"
    tab.click(header + " button")
    assert tab.get_attribute(header, "aria-sort") == "descending"
    first = [int(v) for v in tab.eval_on_selector_all(stars, read) if v]
    assert len(first) >= 2 and first == sorted(first, reverse=True)
    tab.click(header + " button")
    assert [int(v) for v in tab.eval_on_selector_all(stars, read) if v] == sorted(first)


def test_bibtex_copy_button_fills_the_clipboard(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/emotion-llama/")
    bibtex = tab.inner_text("pre.emocat-bibtex code")
    assert bibtex.startswith("@") and "Emotion-LLaMA" in bibtex and "2406.11161" in bibtex
    tab.click("pre.emocat-bibtex button")
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == bibtex.strip()


_BOARD_ROWS = """table => {
  const heads = Array.from(table.tHead.rows[0].cells).map(th => th.textContent.trim());
  const main = 3, source = heads.indexOf('Source');
  return Array.from(table.tBodies[0].rows).filter(r => !r.hidden).map(r => ({
    id: r.id, rank: r.cells[0].textContent.trim(), value: r.cells[main].dataset.sort,
    name: r.cells[1].textContent, regime: r.dataset.regime, source: r.dataset.source,
    href: r.cells[source].querySelector('a') && r.cells[source].querySelector('a').href,
    disputed: r.hasAttribute('data-disputed')}));
}"""


def _board_rows(tab: Any, selector: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = tab.eval_on_selector(selector, _BOARD_ROWS)
    return rows


def test_mer2023_leaderboards_are_sorted_with_sources(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "benchmarks/")
    links = tab.eval_on_selector_all(
        "#emocat-benchmarks tbody tr td:first-child a",
        "links => links.filter(a => a.textContent.startsWith('MER2023')).map(a => a.href)")
    checked = 0
    for link in links:
        tab.goto(link)
        table = tab.query_selector("table[data-emocat-leaderboard]")
        if table is None:
            continue
        higher = table.get_attribute("data-higher-is-better") == "true"
        rows = _board_rows(tab, "table[data-emocat-leaderboard]")
        values = [float(row["value"]) for row in rows if row["rank"]]
        assert values == sorted(values, reverse=higher), link
        assert rows[0]["rank"] == "1"
        assert all(row["href"] and row["href"].startswith("https://github.com/") for row in rows), link
        checked += 1
    assert checked, "no MER2023 benchmark with results"


def test_results_matrix_sorts_by_a_benchmark_and_filters_by_modality(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "results/")
    tab.wait_for_selector("form[data-emocat-filter='emocat-results']:not([hidden])")
    column = tab.eval_on_selector("#emocat-results thead", "h => Array.from(h.rows[0].cells).findIndex("
                                  "th => th.dataset.benchmark === 'dfew-benchmark')")
    assert column > 2
    tab.click(f"#emocat-results thead th:nth-child({column + 1}) button")
    cells = tab.eval_on_selector_all(f"#emocat-results tbody tr td:nth-child({column + 1})",
                                     "cells => cells.map(c => c.dataset.sort || '')")
    values = [float(v) for v in cells if v]
    assert len(values) >= 5 and values == sorted(values, reverse=True)  # UAR: best first on the first click
    assert all(v == "" for v in cells[len(values):])  # models without a DFEW result stay last
    first = tab.eval_on_selector(f"#emocat-results tbody tr td:nth-child({column + 1}) a", "a => a.href")
    assert "/benchmarks/dfew-benchmark/#row-1" in first
    total = tab.eval_on_selector_all("#emocat-results tbody tr", "rows => rows.length")
    tab.select_option("form[data-emocat-filter='emocat-results'] select[name=modalities]", "audio")
    shown = tab.eval_on_selector_all("#emocat-results tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.modalities)")
    assert 0 < len(shown) < total and all("audio" in m.split() for m in shown)
    assert tab.text_content("[data-emocat-count='emocat-results']") == str(len(shown))
    assert "modalities=audio" in tab.url


def test_merged_dfew_board_filters_by_regime_and_source(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "benchmarks/dfew-benchmark/")
    tab.wait_for_selector("form[data-emocat-filter='board-dfew-benchmark']:not([hidden])")
    everything = _board_rows(tab, "#board-dfew-benchmark")
    assert len({row["source"] for row in everything}) >= 3  # HumanOmni, R1-Omni and Emotion-LLaMA on one board
    form = "form[data-emocat-filter='board-dfew-benchmark']"
    tab.select_option(f"{form} select[name=regime]", "zero-shot")
    rows = _board_rows(tab, "#board-dfew-benchmark")
    assert [row["name"].strip() for row in rows] == ["Emotion-LLaMA"]
    assert rows[0]["source"] == "ZebangCheng/Emotion-LLaMA"
    tab.select_option(f"{form} select[name=regime]", "")
    tab.select_option(f"{form} select[name=source]", "HumanMLLM/R1-Omni")
    rows = _board_rows(tab, "#board-dfew-benchmark")
    assert len(rows) == 4 and all(row["regime"] == "in-distribution" for row in rows)
    assert tab.text_content("[data-emocat-count='board-dfew-benchmark']") == "4"
    tab.click(f"{form} button[type=reset]")
    tab.wait_for_function("document.querySelector(\"[data-emocat-count='board-dfew-benchmark']\").textContent"
                          f" === '{len(everything)}'")


def test_meld_marks_where_qwen2_5_omni_sources_disagree(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "benchmarks/meld-ser/")
    rows = _board_rows(tab, "#board-meld-ser")
    qwen = [row for row in rows if row["name"].startswith("Qwen2.5-Omni")]
    assert len(qwen) == 2 and all(row["disputed"] for row in qwen)
    assert {row["source"] for row in qwen} == {"QwenLM/Qwen2.5-Omni", "MoonshotAI/Kimi-Audio"}
    mark = tab.query_selector(f"#{qwen[0]['id']} a.emocat-disputed")
    assert mark is not None and mark.is_visible() and mark.text_content() == "≠"
    together = tab.eval_on_selector_all(
        "table[data-emocat-disputes] tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))")
    pair = [cells for cells in together if cells[0] == "Qwen2.5-Omni"]
    assert pair and {pair[0][3], pair[0][5]} == {"0.570", "49.83"}
    mark.click()
    assert tab.url.endswith("#disagreements")


def test_over_time_chart_has_a_title_and_text_alternative(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "benchmarks/dfew-benchmark/")
    svg = tab.query_selector("figure[data-emocat-history] svg")
    assert svg is not None and svg.is_visible() and svg.get_attribute("role") == "img"
    title_id, desc_id = (svg.get_attribute("aria-labelledby") or "").split()
    title = tab.text_content(f"[id='{title_id}']") or ""
    desc = tab.text_content(f"[id='{desc_id}']") or ""
    assert title.startswith("DFEW: best UAR over time")
    assert "raised the best published UAR" in desc and "HumanOmni" in desc
    points = tab.eval_on_selector_all("figure[data-emocat-history] svg circle", "c => c.length")
    assert points >= 2
    tab.click("figure[data-emocat-history] summary")
    assert tab.is_visible("figure[data-emocat-history] details table")


def test_model_page_ranks_link_to_their_leaderboard_rows(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "models/emotion-llama-model/")
    headings = tab.eval_on_selector_all("h3", "hs => hs.map(h => h.textContent.replace('¶', '').trim())")
    assert "DFEW" in headings and "MER2023 MER-SEMI" in headings
    rank = tab.query_selector("table[data-emocat-model-results='dfew-benchmark'] tbody tr td a")
    assert rank is not None and " of " in (rank.text_content() or "")
    rank.click()
    tab.wait_for_url("**/benchmarks/dfew-benchmark/#row-*")
    anchor = tab.url.split("#")[1]
    tab.wait_for_selector(f"#board-dfew-benchmark tr[id='{anchor}']", state="visible")
    assert "Emotion-LLaMA" in (tab.text_content(f"tr[id='{anchor}']") or "")


def test_hostile_title_shows_as_text(page: tuple[Any, Watch], fixture_site: Path, serve: Any) -> None:
    tab, watch = page
    base = serve(fixture_site)
    for path in ("papers/hostile/", "papers/", "", "topics/survey/"):
        tab.goto(base + path)
        assert tab.query_selector("img[src=x]") is None, path
        assert tab.query_selector("text=" + HOSTILE_TITLE) is not None or HOSTILE_TITLE in tab.content().replace(
            "&lt;", "<").replace("&gt;", ">"), path
    tab.goto(base + "papers/hostile/")
    assert tab.inner_text("h1") == HOSTILE_TITLE
    assert tab.title().startswith(HOSTILE_TITLE)
    assert watch.dialogs == []


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_screenshots(page: tuple[Any, Watch], repo_url: str, width: int, height: int) -> None:
    tab, _ = page
    tab.set_viewport_size({"width": width, "height": height})
    SHOTS.mkdir(exist_ok=True)
    for name, path in (("home", ""), ("paper", "papers/emotion-llama/")):
        tab.goto(repo_url + path)
        target = SHOTS / f"site-{name}-{width}x{height}.png"
        tab.screenshot(path=str(target))
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways at {width}px"


def test_the_search_benchmark_measures_a_built_site(browser: Any, fixture_site: Path) -> None:
    """``benchmarks/search_browser.py`` runs (its figures are printed by the benchmark, never asserted here)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    import search_browser

    figures = search_browser.measure(fixture_site, "emotion", runs=1, browser=browser)
    assert set(figures) == {"first_result_s", "full_query_s", "query_bytes", "query_requests",
                            "largest_file_bytes", "worst_first_result_s"}
    assert figures["query_requests"] >= 4 and figures["largest_file_bytes"] <= figures["query_bytes"]


def test_reading_pages_never_fetch_the_sitemap(page: tuple[Any, Watch], repo_url: str) -> None:
    """The theme downloads sitemap.xml for every rel=alternate link; only the downloads page has one (the feed)."""
    tab, watch = page
    for path in ("", "papers/", "papers/emotion-llama/", "authors/"):
        tab.goto(repo_url + path)
        tab.wait_for_load_state("networkidle")
    assert not [url for url in watch.requests if url.endswith("sitemap.xml")], watch.requests
    tab.goto(repo_url + "downloads/")
    feed = tab.get_attribute('link[rel=alternate][type="application/atom+xml"]', "href")
    assert feed and feed.endswith("feed.xml")
