"""Property: for any valid catalog the site renders, and its pages, charts, feed and head metadata stay well formed.

What is checked is what would be served, without a MkDocs build per example: every generated page's Markdown is
converted by python-markdown with the extensions of mkdocs.yml (read through MkDocs' own config loader, so its
built-in extensions come too), and put into a document whose head is rendered by MkDocs' Jinja environment from
the site's theme override (``main.html``: citation tags, JSON-LD, feed link) and Material's ``<title>`` block.

HTML is checked by two parsers, because neither alone catches everything:

- html5lib (the WHATWG parsing algorithm) with ``strict=True`` raises on the first parse error the HTML standard
  defines: a stray end tag, an unclosed comment, a character reference without ``;``, a control character...
- ``html.parser`` with a tag stack: every non-void element is closed explicitly and in order (HTML lets the end
  tags of ``<li>``, ``<td>`` or ``<p>`` be implied, so html5lib does not call a missing one an error).

Then the parsed tree: only elements and attributes the templates write (nothing injected by entry text), no
event-handler attribute, every ``<script>`` is JSON-LD or a large table's data (which parses whole: no text ended
the script), every table row has as many cells as its header, in the document and in the data, and entry
text comes back exactly as text (page heading, ``<title>``, meta tags, JSON-LD, chart titles, feed titles).

One allowance: the catalog accepts the noncharacters outside the Basic Multilingual Plane (U+1FFFE...; XML allows
them, unlike U+FFFE/U+FFFF which the models reject); the HTML standard lists them as a parse error that every
parser recovers from by keeping the character, so they are replaced by U+FFFD before html5lib sees a page.
"""

from __future__ import annotations

import html.parser
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import html5lib
import jinja2
import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from pydantic import ValidationError

from emocat.catalog import addresses, view
from emocat.catalog.checks import RULES
from emocat.catalog.loader import Catalog, Locator
from emocat.catalog.models import Benchmark, Paper
from emocat.errors import Severity
from emocat.outputs.site import data as site_data
from emocat.outputs.site import feed, tables
from emocat.outputs.site import head as site_head
from emocat.outputs.site import pages as site
from emocat.outputs.templating import environment
from strategies import catalogs

pytestmark = pytest.mark.slow  # property runs over whole sites

REPO = Path(__file__).resolve().parents[2]
ROOT = REPO / "catalog"
SVG = "{http://www.w3.org/2000/svg}"
ATOM = "{http://www.w3.org/2005/Atom}"
#: Elements the site templates, python-markdown and the head template write (html5lib names SVG ones with a namespace).
ELEMENTS = {
    "html", "head", "body", "title", "meta", "link", "script", "article",
    "h1", "h2", "h3", "p", "a", "ul", "li", "dl", "dt", "dd", "strong", "span", "div", "code", "pre",
    "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption", "details", "summary",
    "form", "label", "select", "option", "input", "button", "small", "br", "nav", "ol", "noscript",
    *(SVG + name for name in ("svg", "title", "desc", "g", "text", "rect", "line", "path", "circle")),
}
ATTRIBUTES = {
    "lang", "charset", "name", "content", "rel", "type", "title", "href", "id", "class", "hidden", "download", "value",
    "min", "max", "placeholder", "inputmode", "role", "aria-labelledby", "aria-live", "viewbox", "xmlns",
    "x", "y", "x1", "y1", "x2", "y2", "width", "height", "rx", "text-anchor", "dominant-baseline",
    "data-emocat-sortable", "data-emocat-filter", "data-emocat-count", "data-emocat-leaderboard", "data-type",
    "data-sort", "data-metric", "data-higher-is-better", "data-modalities", "data-topics", "data-year",
    "data-venue", "data-text", "data-first-sort", "aria-label", "dy", "d", "fill", "cx", "cy", "r",
    # leaderboards and the results matrix: protocol filters, disagreement marks, chart and table markers
    "data-regime", "data-split", "data-source", "data-disputed", "data-emocat-match", "data-match", "data-benchmark",
    "data-emocat-model-results", "data-emocat-disputes", "data-emocat-history",
    "data-bibkey", "data-emocat-export", "data-bibtex", "data-filename",
    "data-emocat-source", "data-emocat-action", "dx",
    # large tables carried as data (outputs/site/tables.py): their data, note, pagers and CSV link
    "data-emocat-download", "data-emocat-rows", "data-emocat-page-size", "data-emocat-note", "data-emocat-pager",
    "data-emocat-page", "data-emocat-range",
    # the search page, and what the search index leaves out
    "method", "autocomplete", "spellcheck", "data-emocat-search", "data-emocat-limit", "data-emocat-more",
    "data-pagefind-ignore",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ASTRAL_NONCHARACTER = re.compile("[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe"
                                 "\U0004ffff\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff"
                                 "\U0008fffe\U0008ffff\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe"
                                 "\U000bffff\U000cfffe\U000cffff\U000dfffe\U000dffff\U000efffe\U000effff"
                                 "\U000ffffe\U000fffff\U0010fffe\U0010ffff]")


# --- what MkDocs would do with a page ----------------------------------------------------------------------


@cache
def _mkdocs() -> tuple[MkDocsConfig, jinja2.Environment]:
    """The repository's mkdocs.yml, validated by MkDocs, and the theme's Jinja environment with our override."""
    config = load_config(str(REPO / "mkdocs.yml"))
    config.plugins["emocat"].on_config(config)
    return config, config.theme.get_env()


def _markdown() -> markdown.Markdown:
    config, _ = _mkdocs()
    return markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def _head(page: site.SitePage) -> str:
    """The ``<title>`` of Material's base.html and the ``extrahead`` block of the site's main.html."""
    config, env = _mkdocs()
    main, base = env.get_template("main.html"), env.get_template("base.html")
    url = addresses.page_url(page.path)
    context = main.new_context({
        "config": config, "base_url": addresses.base_of(url).rstrip("/") or ".",
        "page": SimpleNamespace(meta=page.meta, title=page.meta.get("title"), url=url, is_homepage=url == ""),
    })
    context.blocks.setdefault("extrahead", []).append(base.blocks["extrahead"])  # what {% extends %} does
    return "".join(base.blocks["htmltitle"](context)) + "".join(main.blocks["extrahead"](context))


def served_pages(built: site.Site) -> Iterator[tuple[site.SitePage, str]]:
    """Each generated page with the HTML document it becomes."""
    converter = _markdown()
    for page in built.pages:
        body = converter.reset().convert(page.content)
        yield page, f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">{_head(page)}</head>' \
                    f"<body><article>{body}</article></body></html>"


# --- checks ------------------------------------------------------------------------------------------------


class _TagBalance(html.parser.HTMLParser):
    """Fails on an end tag that does not close the innermost open element, and on elements left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, tuple[int, int]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append((tag, self.getpos()))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> at {self.getpos()} closes nothing"
        open_tag, where = self.stack.pop()
        assert open_tag == tag, f"</{tag}> at {self.getpos()} closes <{open_tag}> opened at {where}"

    def close(self) -> None:
        super().close()
        assert not self.stack, f"left open: {self.stack}"


def parse_html(document: str) -> ET.Element:
    """The document's tree; raises on any parse error of the HTML standard or any unbalanced tag."""
    balance = _TagBalance()
    balance.feed(document)
    balance.close()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    tree: ET.Element = parser.parse(ASTRAL_NONCHARACTER.sub("\ufffd", document))
    return tree


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def shown(text: str) -> str:
    """Entry text as the tree holds it (astral noncharacters were replaced before parsing, see above)."""
    return ASTRAL_NONCHARACTER.sub("\ufffd", text)


def check_tree(tree: ET.Element, path: str) -> None:
    """Only the site's own elements and attributes; scripts are JSON-LD or the whole JSON data of a large table;
    tables keep their cell count, in the document and in their data."""
    carried = {}
    for element in tree.iter():
        assert element.tag in ELEMENTS, f"{path}: unexpected element <{element.tag}>"
        for name in element.attrib:
            assert name.rpartition("}")[2].lower() in ATTRIBUTES, f"{path}: unexpected attribute {name!r} on <{element.tag}>"
        if element.tag == "script" and element.get("type") == "application/json":
            assert set(element.attrib) == {"type", "id"}, f"{path}: {element.attrib}"
            carried[element.get("id")] = json.loads(element.text or "")["rows"]  # nothing ended the script early
        elif element.tag == "script":
            assert element.attrib == {"type": "application/ld+json"}, f"{path}: {element.attrib}"
        for name in ("href", "src"):
            assert not element.get(name, "").strip().lower().startswith(("javascript:", "data:")), path
    for table in tree.iter("table"):
        header = table.findall("thead/tr")
        assert len(header) == 1, path
        width = len(header[0])
        assert width and all(cell.tag == "th" for cell in header[0]), path
        rows = table.findall("tbody/tr")
        for row in rows:
            assert [cell.tag for cell in row] == ["td"] * width, f"{path}: a row of {len(row)} cells, header {width}"
        if "data-emocat-rows" in table.attrib:
            data = carried[table.get("data-emocat-rows")]
            assert len(rows) == min(tables.PAGE_SIZE, len(data)), path
            assert all(len(cells) == width for _, cells, _ in data), path


def check_entry_page(entry: Any, tree: ET.Element, page: site.SitePage, data: site_data.SiteData) -> None:
    """The entry's own text comes back exactly, wherever the page shows it."""
    path = page.path
    head = tree.find("head")
    assert head is not None
    assert [text_of(h) for h in tree.iter("h1")] == [shown(entry.label)], path
    assert text_of(head.find("title")) == shown(f"{entry.label} - {_mkdocs()[0].site_name}"), path  # type: ignore[arg-type]
    scripts = tree.findall("head/script")
    if isinstance(entry, Paper):
        metas = [(m.get("name"), m.get("content")) for m in head.iter("meta") if m.get("name", "").startswith("citation_")]
        assert metas == [(name, shown(value)) for name, value in site_head.citation_tags(entry, data)], path
        assert len(scripts) == 1
        item = json.loads(scripts[0].text or "")
        assert item["name"] == entry.title
        assert item == site_head.json_ld(entry, data), path
    else:
        assert not scripts, path
    if isinstance(entry, Benchmark):
        board = data.boards[entry.id]
        for table in tree.iter("table"):
            if "data-emocat-leaderboard" in table.attrib:
                assert table.get("data-metric") == entry.metrics[0], path
                rows = table.findall("tbody/tr")
                assert len(rows) == len(board.lines), path
                for row, line in zip(rows, board.lines, strict=True):
                    cell = text_of(row[1])  # the model's or baseline's name first, then what the source printed
                    assert cell.startswith(shown(line.name)), path
                    assert all(shown(name) in cell for name in line.printed), path
        svgs = re.findall(r"<svg .*?</svg>", page.content, re.S)
        assert len(svgs) == (1 if board.history else 0), path
        for svg in svgs:
            check_chart(ET.fromstring(svg), path)


def check_chart(svg: ET.Element, path: str) -> None:
    """A chart parses as XML on its own and labels each bar with its value, each point of a history with its label."""
    assert svg.tag == SVG + "svg" and svg.get("role") == "img", path
    assert svg.findtext(SVG + "title") and svg.findtext(SVG + "desc"), path
    history = "emocat-history" in (svg.get("class") or "").split()
    for group in svg.findall(SVG + "g"):
        title = group.findtext(SVG + "title") or ""
        if history:  # "date: label" over the point's label
            assert title.split(": ", 1)[1] == group.findall(SVG + "text")[0].text
        else:  # "label: value" over the bar's value
            assert title.rsplit(": ", 1)[1] == group.findall(SVG + "text")[1].text


# --- the properties ----------------------------------------------------------------------------------------

def _valid(catalog: Catalog) -> Catalog:
    errors = [p for rule in RULES for p in rule(catalog, Locator()) if p.severity is Severity.ERROR]
    assert not errors, [p.format() for p in errors]
    return catalog


@given(catalogs(ROOT, max_per_kind=2).map(_valid), st.sampled_from([0, tables.DEFAULT_THRESHOLD]))
def test_site_is_well_formed(catalog: Catalog, large_tables: int) -> None:
    built = site.build(catalog, project=REPO, large_tables=large_tables)
    data = site_data.SiteData(catalog, project=REPO)
    seen = set()
    for page, document in served_pages(built):
        tree = parse_html(document)
        check_tree(tree, page.path)
        entry = next((e for e in catalog.entries() if addresses.entry_path(e) == page.path), None)
        if entry is not None:
            seen.add(entry.id)
            check_entry_page(entry, tree, page, data)
        if page.path == "index.md":
            assert [text_of(h) for h in tree.iter("h1")] == [shown(catalog.meta.title)]  # type: ignore[union-attr]
            for svg in re.findall(r"<svg .*?</svg>", page.content, re.S):
                check_chart(ET.fromstring(svg), page.path)
        if page.path == "models/index.md":
            groups = [data.term("organisations", slug) if slug else "Other organisations"
                      for slug, _, _ in data.models_by_organisation]
            headings = [" ".join(text_of(h).removesuffix("¶").split()) for h in tree.iter("h2")]  # spacing aside
            assert headings == [" ".join(shown(name).split()) for name in groups], page.path
        for kind in ("papers", "datasets", "benchmarks"):
            if page.path == f"{kind}/index.md":
                rows = tree.findall("body/article/table/tbody/tr")
                assert len(rows) == len(catalog.by_kind(kind)), page.path
    assert seen == {e.id for e in catalog.entries()}
    check_feed(built.files["feed.xml"], catalog)


def check_feed(text: str, catalog: Catalog) -> None:
    """The Atom feed parses as XML (no DTD or entity smuggled in) and carries every title exactly."""
    assert "<!DOCTYPE" not in text and "<!ENTITY" not in text
    root = ET.fromstring(text)
    assert root.tag == ATOM + "feed"
    assert root.findtext(ATOM + "title") == f"{catalog.meta.title}: newest entries"  # type: ignore[union-attr]
    assert root.findtext(ATOM + "subtitle") == catalog.meta.description  # type: ignore[union-attr]
    entries = root.findall(ATOM + "entry")
    assert [e.findtext(ATOM + "title") for e in entries] == [e.label for e in view.newest(catalog, feed.FEED_SIZE)]
    for item, entry in zip(entries, view.newest(catalog, feed.FEED_SIZE), strict=True):
        summary = item.findtext(ATOM + "summary") or ""
        assert entry.description is None or summary.endswith(entry.description)


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ufdd0", "\x85"])
def test_text_that_xml_or_html_cannot_carry_is_rejected(char: str) -> None:
    """Regression: a title with U+FFFF (loadable from YAML as "\\uffff") made feed.xml unreadable XML."""
    for field, value in (("title", f"Feelings{char}"), ("doi", f"10.1234/x{char}")):
        with pytest.raises(ValidationError):
            Paper.model_validate({"title": "T", field: value, "added": "2025-01-01"})
    with pytest.raises(ValidationError):
        Paper.model_validate({"title": "T", "links": {"paper": f"https://example.org/{char}"}, "added": "2025-01-01"})


@pytest.mark.parametrize("name", ["~", "a ~~struck~~ b", "x | y", "#1 & <b>", "\\ *a* _b_ `c` [d](e) {f} 1. +-!", "C#"])
def test_a_heading_shows_its_text_literally_on_the_site(name: str) -> None:
    """Headings are Markdown for Python-Markdown, which un-escapes a different set of characters than GitHub."""
    env = environment(REPO)
    heading = env.from_string('{% import "site/_macros.j2" as m %}## {{ m.heading(name) }}').render(name=name)
    tree = parse_html(f"<!DOCTYPE html><html><head><title>t</title></head><body>{_markdown().convert(heading)}</body></html>")
    assert [text_of(h).removesuffix("¶") for h in tree.iter("h2")] == [name]
