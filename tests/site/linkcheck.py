"""Link checking for built sites and generated Markdown: every internal link and #anchor must lead somewhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt


class _Links(HTMLParser):
    """Collects link targets (href/src) and element ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif (name == "href" and tag in ("a", "link")) or (name == "src" and tag in ("script", "img")):
                self.links.append(value)


def parse_html(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site_dir: Path, root_path: str = "/") -> list[str]:
    """Every internal link (and #anchor) of every HTML page that leads nowhere.

    ``root_path`` is the path of the site URL: absolute links (the 404 page uses them) start with it.
    """
    parsed = {path: parse_html(path) for path in site_dir.rglob("*.html")}
    broken = []
    for page, found in parsed.items():
        for link in found.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "data:")):
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                if not path.startswith(root_path):
                    broken.append(f"{page.relative_to(site_dir)}: {link} (outside the site)")
                    continue
                target = (site_dir / path[len(root_path):]).resolve()
            else:
                target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or site_dir.resolve() not in target.parents:
                broken.append(f"{page.relative_to(site_dir)}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse_html(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site_dir)}: {link} (no such anchor)")
    return broken


def github_anchor(text: str) -> str:
    """GitHub's id for a heading's rendered text: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def markdown_anchors_and_links(text: str) -> tuple[set[str], list[str]]:
    """The heading anchors GitHub gives a Markdown document (repeats numbered), and its link targets."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    anchors: set[str] = set()
    counts: dict[str, int] = {}
    links: list[str] = []
    for index, token in enumerate(tokens):
        if token.type != "inline":
            continue
        children = token.children or []
        links += [str(child.attrs["href"]) for child in children if child.type == "link_open"]
        if index and tokens[index - 1].type == "heading_open":
            # What GitHub slugs is the heading as rendered: text and code, without Markdown escapes or tags.
            words = "".join(child.content for child in children if child.type in ("text", "code_inline"))
            base = github_anchor(words)
            anchor = base
            while anchor in counts:
                counts[base] += 1
                anchor = f"{base}-{counts[base]}"
            counts[anchor] = 0
            anchors.add(anchor)
    return anchors, links


def broken_markdown_links(text: str, site_url: str, site_dir: Path) -> list[str]:
    """Links of a Markdown document that lead nowhere: ``#anchors`` of the document itself, and links into
    the site at ``site_url`` (built in ``site_dir``) whose page or ``#anchor`` is missing."""
    anchors, links = markdown_anchors_and_links(text)
    pages: dict[Path, set[str]] = {}
    broken = []
    for link in links:
        if link.startswith("#"):
            if unquote(link[1:]) not in anchors:
                broken.append(f"{link} (no such heading)")
            continue
        if not link.startswith(site_url):
            continue
        parts = urlsplit(link[len(site_url):])
        target = site_dir / unquote(parts.path)
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{link} (no such page)")
        elif parts.fragment and target.suffix == ".html":
            if target not in pages:
                pages[target] = parse_html(target).ids
            if unquote(parts.fragment) not in pages[target]:
                broken.append(f"{link} (no such anchor)")
    return broken
