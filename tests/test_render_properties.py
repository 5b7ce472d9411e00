"""Property: the README renderer never fails on valid entries and its Markdown stays well formed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from emocat.loader import Catalog
from emocat.models import KIND_BY_NAME, CatalogMeta, Term, Vocabulary
from emocat.render import render_readme
from strategies import ENTRIES

REPO = Path(__file__).resolve().parents[1]
TOPICS = ("milestone", "survey", "emotion-mllm", "open-llm")
ORGANISATIONS = ("alibaba", "google")
# The only HTML the README template itself writes: collapsible groups and line breaks in cells.
TEMPLATE_HTML = re.compile(r"^</?(details|summary)>$|^<br>$")


def _with_vocabulary(kind: str, data: dict[str, Any], draw: st.DrawFn) -> dict[str, Any]:
    data = dict(data)
    if kind == "paper":
        data["topics"] = draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=2))
        data["institutions"] = draw(st.lists(st.sampled_from(ORGANISATIONS), unique=True, max_size=2))
    if kind == "model":
        data["organisation"] = draw(st.sampled_from(ORGANISATIONS))
        data["topics"] = draw(st.lists(st.sampled_from(TOPICS), unique=True, max_size=1))
    return data


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    vocabulary = Vocabulary(
        topics={t: Term(name=t.title()) for t in TOPICS},
        organisations={o: Term(name=o.title()) for o in ORGANISATIONS},
    )
    meta = CatalogMeta(title="T", description="D", repository="https://github.com/o/r", site_url="https://o.org/r/")
    catalog = Catalog(root=REPO / "catalog", meta=meta, vocabulary=vocabulary)
    for kind, strategy in ENTRIES.items():
        cls = KIND_BY_NAME[kind]
        for index, data in enumerate(draw(st.lists(strategy, max_size=3))):
            entry_id = f"{kind}-{index}"
            catalog.by_kind(cls.folder)[entry_id] = cls.model_validate({**_with_vocabulary(kind, data, draw), "id": entry_id})
            catalog.paths[entry_id] = REPO / "catalog" / cls.folder / f"{entry_id}.yaml"
    return catalog


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


@given(catalogs())
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
