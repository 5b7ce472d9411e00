"""Compact HTML: the indentation and blank lines the templates leave after each line break, cut.

A page renders the same: outside ``<pre>``, ``<textarea>``, ``<script>`` and ``<style>`` a run of white space
shows as one space whatever its length, so a line break and the white space after it become one line break.
Tags (and so attribute values) and those four elements are kept byte for byte; an element of the four that is
never closed keeps the rest of the page as it is. Every pattern scans each character a bounded number of times,
so the work is linear in the page, whatever it holds.
"""

from __future__ import annotations

import re

_VERBATIM = ("pre", "textarea", "script", "style")
_OPEN = re.compile(r"<(" + "|".join(_VERBATIM) + r")\b", re.I)
_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in _VERBATIM}
_TAG = re.compile(r"(<[^<>]*>)")
_TAG_WITH_BREAK = re.compile(r"<[^<>]*\n")
_BREAK = re.compile(r"\n[ \t\r\n\f]+")  # HTML white space only: a no-break or ideographic space is text


def _compact_text(html: str) -> str:
    if not _TAG_WITH_BREAK.search(html):  # the usual case: no tag spans lines, so every break is in text
        return _BREAK.sub("\n", html)
    parts = _TAG.split(html)
    parts[::2] = [_BREAK.sub("\n", text) for text in parts[::2]]
    return "".join(parts)


def compact(html: str) -> str:
    """``html`` with every line break and the white space after it, outside tags and verbatim elements, cut to
    one line break."""
    out = []
    start = 0
    while (opening := _OPEN.search(html, start)) is not None:
        closing = _CLOSE[opening.group(1).lower()].search(html, opening.end())
        if closing is None:
            break
        out.append(_compact_text(html[start:opening.start()]))
        out.append(html[opening.start():closing.end()])
        start = closing.end()
    else:
        return "".join(out) + _compact_text(html[start:])
    return "".join(out) + _compact_text(html[start:opening.start()]) + html[opening.start():]
