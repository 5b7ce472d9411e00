"""Compact HTML renders the same page: text white space collapses alike, verbatim elements and tags stay."""

from __future__ import annotations

import re
from typing import Any

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st

from emocat.outputs.site.compact import compact

VERBATIM = {"pre", "textarea", "script", "style"}
NAMESPACE = "{http://www.w3.org/1999/xhtml}"


def rendered(html: str) -> list[Any]:
    """What a browser lays out: each element with its attributes, text runs of white space as one space except
    inside the verbatim elements, where every character counts."""
    def walk(node: Any, verbatim: bool) -> list[Any]:
        tag = node.tag.removeprefix(NAMESPACE) if isinstance(node.tag, str) else "?"
        inside = verbatim or tag in VERBATIM
        def text(value: str | None) -> str:
            return (value or "") if inside else _squash(value or "")
        children = [(walk(child, inside), text(child.tail)) for child in node]
        return [tag, sorted(node.attrib.items()), text(node.text), children]
    return walk(html5lib.parse(html, namespaceHTMLElements=True), False)


def _squash(value: str) -> str:
    """Each run of HTML white space as one space (a no-break space is not white space here)."""
    return re.sub(r"[ \t\n\r\f]+", " ", value)


def test_indentation_goes_and_verbatim_elements_stay() -> None:
    page = ('<div>\n    <p>\n        Two\n\n        lines\u00a0\n    </p>\n<pre><code>  keep\n\n    this\n</code></pre>\n'
            '  <textarea>\n  as typed\n</textarea>\n  <SCRIPT>\n  if (a\n    < b) {}\n</SCRIPT>\n'
            '<style>\n  p { }\n</style>\n</div>')
    out = compact(page)
    assert out == ('<div>\n<p>\nTwo\nlines\u00a0\n</p>\n<pre><code>  keep\n\n    this\n</code></pre>\n'
                   '<textarea>\n  as typed\n</textarea>\n<SCRIPT>\n  if (a\n    < b) {}\n</SCRIPT>\n'
                   '<style>\n  p { }\n</style>\n</div>')
    assert rendered(out) == rendered(page)


def test_a_tag_over_several_lines_keeps_its_attribute_values() -> None:
    page = '<p title="first\n    second"\n   class="x">\n   text\n</p>'
    out = compact(page)
    assert 'title="first\n    second"' in out and out.endswith(">\ntext\n</p>")
    assert rendered(out) == rendered(page)


def test_an_unclosed_verbatim_element_keeps_the_rest_of_the_page() -> None:
    page = "<p>\n   a</p>\n   <pre>\n   b\n\n   c"
    assert compact(page) == "<p>\na</p>\n<pre>\n   b\n\n   c"


def test_hostile_pages_are_compacted_in_one_pass() -> None:
    """Unclosed verbatim tags, stray angle brackets and long white space: each character is read a few times
    (a pattern that rescanned from every ``<`` would not finish on these)."""
    for page in ("<pre " * 100_000, "<" * 200_000 + "\n" * 10, "<p\n" * 100_000, "\n" + " " * 500_000 + "x"):
        out = compact(page)
        assert len(out) <= len(page)
    assert compact("\n" + " " * 500_000 + "x") == "\nx"


fragments = st.lists(st.sampled_from([
    "<p>", "</p>", "<b class=\"c\">", "</b>", "<pre>", "</pre>", "<textarea>", "</textarea>", "<script>",
    "</script>", "<div\n  id=\"d\">", "</div>", "<br>", " ", "\n", "\n    ", "\t", "\u00a0", "word", "&amp;", "<",
    ">",
]), max_size=40).map("".join)


@given(page=fragments)
@settings(max_examples=400, deadline=None)
def test_compact_html_renders_like_the_original(page: str) -> None:
    assert rendered(compact(page)) == rendered(page)
    assert compact(compact(page)) == compact(page)
