# ruff: noqa: F811  (the fixtures imported from test_site_browser are used as parameters)
"""The site as a reader meets it, in Chromium: shareable filters, tables that fit, accessibility (axe-core),
natural order, citations and the BibTeX of the papers shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from test_site_browser import Watch, browser, page, repo_url  # noqa: F401  (fixtures shared with that module)

from conftest import REPO
from emocat.catalog.view import natural_key

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
#: One page of each kind, on the repository's own site.
PAGE_KINDS = {
    "home": "",
    "papers": "papers/",
    "paper": "papers/emotion-llama/",
    "dataset": "datasets/mer2023/",
    "benchmark": "benchmarks/mer2023-mer-semi/",
    "model": "models/emotion-llama-model/",
}
VIEWPORTS = [(1280, 800), (390, 844)]
TABLES = {
    "papers": ("papers/", "#emocat-papers"),
    "datasets": ("datasets/", "#emocat-datasets"),
    "models": ("models/", "table[data-emocat-sortable]"),
    "benchmarks": ("benchmarks/", "#emocat-benchmarks"),
    "leaderboard": ("benchmarks/mer2023-mer-semi/", "table[data-emocat-leaderboard]"),
}


def _rows(tab: Any) -> list[str]:
    return tab.eval_on_selector_all("#emocat-papers tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.year)")


def _search_open(tab: Any) -> bool:
    """The header's search results: open when their panel is shown."""
    return bool(tab.evaluate("() => { const p = document.querySelector('#emocat-search-panel'); return !!(p && !p.hidden); }"))


# --- shareable filters -------------------------------------------------------------------------------------


def test_a_shared_filter_link_restores_the_table_and_leaves_the_search_closed(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/?modality=audio&words=emotion&from=2024")
    tab.wait_for_selector("form.emocat-filters:not([hidden])")
    assert tab.input_value("select[name=modality]") == "audio"
    assert tab.input_value("input[name=words]") == "emotion"
    assert tab.input_value("input[name=from]") == "2024"
    shown = tab.eval_on_selector_all(
        "#emocat-papers tbody tr", "rows => rows.filter(r => !r.hidden).map(r => [r.dataset.modalities, r.dataset.year, r.dataset.text])")
    assert shown, "the shared link shows no paper"
    assert all("audio" in m.split() and int(y) >= 2024 and "emotion" in t for m, y, t in shown)
    assert int(tab.inner_text('[data-emocat-count="emocat-papers"]')) == len(shown)
    tab.wait_for_timeout(500)  # give the search the time it would take to open
    assert not _search_open(tab), "the search results opened on a shared filter link"
    assert tab.query_selector(".emocat-search__result") is None


def test_filter_parameters_are_none_that_the_theme_reads(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/")
    tab.fill("input[name=words]", "llama")
    tab.select_option("select[name=modality]", "video")
    params = tab.evaluate("() => [...new URLSearchParams(location.search).keys()]")
    assert set(params) == {"words", "modality"}
    assert not {"q", "h", "kind"} & set(params)  # the search page reads ?q= and ?kind=; Material highlights on ?h=


def test_back_and_forward_step_through_filter_changes(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/")
    everything = _rows(tab)
    tab.select_option("select[name=modality]", "audio")
    audio = _rows(tab)
    tab.type("input[name=words]", "emotion", delay=10)  # one step for the whole word, not one per key
    audio_emotion = _rows(tab)
    assert len(everything) > len(audio) >= len(audio_emotion) > 0
    assert "words=emotion" in tab.url

    tab.go_back()
    tab.wait_for_function("() => !location.search.includes('words=')")
    assert tab.input_value("input[name=words]") == "" and tab.input_value("select[name=modality]") == "audio"
    assert _rows(tab) == audio
    tab.go_back()
    tab.wait_for_function("() => location.search === ''")
    assert tab.input_value("select[name=modality]") == ""
    assert _rows(tab) == everything
    tab.go_forward()
    tab.wait_for_function("() => location.search === '?modality=audio'")
    assert _rows(tab) == audio
    tab.go_forward()
    tab.wait_for_function("() => location.search.includes('words=emotion')")
    assert tab.input_value("input[name=words]") == "emotion"
    assert _rows(tab) == audio_emotion


# --- natural order -----------------------------------------------------------------------------------------

NAMES = ["Llama 10", "Llama 2", "llama 2.5", "Llama 2-Chat", "GPT-4o", "GPT-4", "Qwen2.5-VL-72B", "Qwen2.5-VL-7B",
         "Qwen2-VL-7B", "Straße 3", "STRASSE 20", "model 007", "model 7b", "Émotion", "emotion", "Zeta", "alpha"]


def test_the_browser_sorts_text_as_the_catalog_does(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "datasets/")
    in_browser = tab.evaluate(
        "names => names.slice().sort((a, b) => { const x = window.emocat.naturalKey(a), y = window.emocat.naturalKey(b);"
        " return x < y ? -1 : x > y ? 1 : 0; })", NAMES)
    assert in_browser == sorted(NAMES, key=natural_key)
    assert in_browser.index("Llama 2") < in_browser.index("Llama 10")
    assert in_browser.index("Qwen2.5-VL-7B") < in_browser.index("Qwen2.5-VL-72B")


def test_sorting_a_table_by_name_is_natural(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "datasets/")
    names = tab.eval_on_selector_all("#emocat-datasets tbody td:first-child", "cells => cells.map(c => c.textContent.trim())")
    assert names == sorted(names, key=natural_key), "the site lists datasets in the catalog's order"
    tab.click("#emocat-datasets th:nth-child(1) button")  # first click: A to Z, as the page already is
    tab.click("#emocat-datasets th:nth-child(1) button")  # Z to A
    backwards = tab.eval_on_selector_all("#emocat-datasets tbody td:first-child", "cells => cells.map(c => c.textContent.trim())")
    assert backwards == sorted(names, key=natural_key, reverse=True)
    tab.set_content("<table data-emocat-sortable id=t><thead><tr><th>Name</th></tr></thead><tbody>"
                    + "".join(f"<tr><td>{name}</td></tr>" for name in NAMES) + "</tbody></table>")
    for script in ("emocat-tables.js", "emocat.js"):
        tab.add_script_tag(path=str(REPO / "src" / "emocat" / "outputs" / "site" / "assets" / script))
    tab.click("#t th button")
    shown = tab.eval_on_selector_all("#t tbody td", "cells => cells.map(c => c.textContent)")
    assert shown == sorted(NAMES, key=natural_key)


# --- tables that fit ---------------------------------------------------------------------------------------


def _clipped_columns(tab: Any, selector: str) -> list[str]:
    """Headers of columns a reader cannot reach: outside the viewport and not inside a scrollable box."""
    return tab.eval_on_selector_all(selector, """tables => tables.flatMap(table => {
        let box = table.parentElement;
        while (box && box !== document.body) {
            const style = getComputedStyle(box);
            if (/(auto|scroll)/.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1) { break; }
            box = box.parentElement;
        }
        const scroller = box && box !== document.body ? box : null;
        const edge = scroller ? scroller.getBoundingClientRect().left + scroller.scrollWidth : window.innerWidth;
        return [...table.tHead.rows[0].cells].filter(th => {
            const r = th.getBoundingClientRect();
            const clipped = r.right > edge + 1 || r.width < 8 || (!scroller && r.right > window.innerWidth + 1);
            return clipped;
        }).map(th => th.textContent.trim());
    })""")


def _scroll_cue(tab: Any, selector: str) -> list[bool]:
    """For each table that needs horizontal scrolling, whether a visible cue says so."""
    return tab.eval_on_selector_all(selector, """tables => tables.filter(t => {
        const wrap = t.closest('.md-typeset__scrollwrap');
        return wrap && wrap.scrollWidth > wrap.clientWidth + 1;
    }).map(t => !!t.closest('[data-emocat-scrolls]'))""")


@pytest.mark.parametrize(("width", "height"), VIEWPORTS)
@pytest.mark.parametrize("name", list(TABLES))
def test_every_column_is_reachable(page: tuple[Any, Watch], repo_url: str, name: str, width: int, height: int) -> None:
    tab, _ = page
    tab.set_viewport_size({"width": width, "height": height})
    path, selector = TABLES[name]
    tab.goto(repo_url + path)
    tab.wait_for_selector(selector)
    assert _clipped_columns(tab, selector) == []
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, "the page scrolls sideways"
    assert all(_scroll_cue(tab, selector)), "a table scrolls sideways without a visible cue"
    # wrapping and compact cells make every table fit its column, so the cue above is never needed here
    widest = tab.eval_on_selector_all(selector, "ts => Math.max(...ts.map(t => t.getBoundingClientRect().width))")
    column = tab.evaluate("() => document.querySelector('.md-content__inner').getBoundingClientRect().width")
    assert widest <= column + 1, f"{name} is {widest:.0f}px wide in a {column:.0f}px column"


# --- accessibility -----------------------------------------------------------------------------------------


def _axe(tab: Any) -> list[dict[str, Any]]:
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                          ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))")
    return [violation for violation in result if violation["impact"] in ("serious", "critical")]


@pytest.fixture
def scheme_page(browser: Any, request: pytest.FixtureRequest) -> Any:
    scheme, width = request.param
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    yield context.new_page()
    context.close()


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (run npm ci)")
@pytest.mark.parametrize("scheme_page", [(scheme, width) for scheme in ("light", "dark") for width in (1280, 390)],
                         indirect=True, ids=lambda param: f"{param[0]}-{param[1]}")
@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_serious_axe_violation(scheme_page: Any, repo_url: str, kind: str) -> None:
    scheme_page.goto(repo_url + PAGE_KINDS[kind])
    scheme = scheme_page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    assert scheme in ("default", "slate")
    violations = _axe(scheme_page)
    assert violations == [], json.dumps(violations, indent=1)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (run npm ci)")
@pytest.mark.parametrize("scheme_page", [(scheme, width) for scheme in ("light", "dark") for width in (1280, 390)],
                         indirect=True, ids=lambda param: f"{param[0]}-{param[1]}")
def test_search_results_have_no_serious_axe_violation(scheme_page: Any, repo_url: str) -> None:
    scheme_page.goto(repo_url + "papers/emotion-llama/")
    scheme_page.click("#emocat-search-query")
    scheme_page.keyboard.type("emotion", delay=20)
    scheme_page.wait_for_selector("#emocat-search-panel .emocat-search__result")
    violations = _axe(scheme_page)
    assert violations == [], json.dumps(violations, indent=1)
    scheme_page.goto(repo_url + "search/?q=emotion")
    scheme_page.wait_for_selector(".emocat-search-page .emocat-search__result")
    violations = _axe(scheme_page)
    assert violations == [], json.dumps(violations, indent=1)


def test_every_control_shows_a_focus_ring(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/")
    controls = ["select[name=modality]", "input[name=from]", "input[name=words]", "form.emocat-filters button[type=reset]",
                "#emocat-papers th:nth-child(1) button", "button[data-emocat-export]", "#emocat-papers tbody a",
                "#emocat-search-query"]
    for selector in controls:
        tab.focus(selector)
        tab.keyboard.press("Shift+Tab")
        tab.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
        ring = tab.eval_on_selector(selector, """el => { const s = getComputedStyle(el);
            return {focused: el === document.activeElement, style: s.outlineStyle, width: parseFloat(s.outlineWidth)}; }""")
        assert ring["focused"], selector
        assert ring["style"] != "none" and ring["width"] >= 2, f"{selector}: {ring}"


def test_chart_labels_are_readable_and_every_chart_has_its_data(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    for path in ("", "benchmarks/mer2023-mer-semi/"):
        for width, height in VIEWPORTS:
            tab.set_viewport_size({"width": width, "height": height})
            tab.goto(repo_url + path)
            charts = tab.query_selector_all("figure.emocat-chart")
            assert charts, path
            sizes = tab.eval_on_selector_all("figure.emocat-chart svg text", """texts => texts.map(t => {
                const box = t.getBoundingClientRect(); return box.height; })""")
            assert sizes and min(sizes) >= 12, f"{path} at {width}px: smallest label {min(sizes):.1f}px"
            for chart in charts:
                # a bar chart has a bar per row of its data table, a best-over-time chart a point per row
                marks = chart.eval_on_selector_all("svg g.emocat-bar-row, svg .emocat-dot", "marks => marks.length")
                assert chart.eval_on_selector_all("table tbody tr", "rows => rows.length") == marks


# --- citations ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "extension"), [("bibtex", "bib"), ("ris", "ris"), ("csl", "json")])
def test_paper_citations_copy_and_download(page: tuple[Any, Watch], repo_url: str, fmt: str, extension: str, tmp_path: Path) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/emotion-llama/")
    text = tab.inner_text(f"#cite-{fmt}")
    tab.click(f"button[data-emocat-source=cite-{fmt}][data-emocat-action=copy]")
    tab.wait_for_function("() => [...document.querySelectorAll('[role=status]')].some(s => s.textContent === 'Copied.')")
    assert tab.evaluate("navigator.clipboard.readText()") == text
    with tab.expect_download() as info:
        tab.click(f"button[data-emocat-source=cite-{fmt}][data-emocat-action=download]")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.suffix == "." + extension
    saved = target.read_text(encoding="utf-8")
    assert saved == text
    if fmt == "bibtex":
        assert len(bibtexparser.parse_string(saved).entries) == 1
    elif fmt == "ris":
        assert rispy.loads(saved)[0]["title"].startswith("Emotion-LLaMA")
    else:
        assert json.loads(saved)[0]["title"].startswith("Emotion-LLaMA")


def test_the_papers_shown_download_as_bibtex(page: tuple[Any, Watch], repo_url: str, tmp_path: Path) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/?modality=audio")
    keys = tab.eval_on_selector_all("#emocat-papers tbody tr", "rows => rows.filter(r => !r.hidden).map(r => r.dataset.bibkey)")
    total = tab.eval_on_selector_all("#emocat-papers tbody tr", "rows => rows.length")
    assert 0 < len(keys) < total
    with tab.expect_download() as info:
        tab.click("button[data-emocat-export]")
    target = tmp_path / "papers.bib"
    info.value.save_as(target)
    library = bibtexparser.parse_string(target.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert [entry.key for entry in library.entries] == keys


def test_a_table_that_still_scrolls_gets_a_visible_cue(page: tuple[Any, Watch], repo_url: str) -> None:
    tab, _ = page
    tab.goto(repo_url + "papers/")
    tab.evaluate("""() => {
        const wrap = document.createElement('div');
        wrap.className = 'md-typeset__scrollwrap';
        wrap.innerHTML = '<div class="md-typeset__table"><table id="wide"><thead><tr><th>A</th></tr></thead>'
            + '<tbody><tr><td><div style="width: 3000px">far too wide</div></td></tr></tbody></table></div>';
        document.querySelector('.md-content__inner').appendChild(wrap);
        window.dispatchEvent(new Event('resize'));
    }""")
    assert _scroll_cue(tab, "#wide") == [True]
    hint = tab.evaluate("() => document.querySelector('#wide').closest('.md-typeset__scrollwrap').previousElementSibling")
    assert hint is not None
    assert "scroll it sideways" in tab.inner_text(".emocat-scroll-hint")
    assert _clipped_columns(tab, "#wide") == []  # reachable by scrolling
    tab.evaluate("() => { document.querySelector('#wide td div').style.width = '10px'; window.dispatchEvent(new Event('resize')); }")
    assert _scroll_cue(tab, "#wide") == []
    assert tab.query_selector(".emocat-scroll-hint") is None


def test_without_javascript_no_control_that_needs_it_shows(browser: Any, repo_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    for path in ("papers/", "papers/emotion-llama/", "results/", "benchmarks/dfew-benchmark/"):
        tab.goto(repo_url + path)
        assert tab.query_selector_all(".md-content [hidden]"), path  # the filters, the export and citation buttons
        shown = tab.eval_on_selector_all(".md-content [hidden]", "els => els.filter(e => e.getClientRects().length)"
                                         ".map(e => e.outerHTML.slice(0, 80))")
        assert shown == [], path
    context.close()
