"""Real MkDocs builds of the repository's site and of the fixture catalog: strict, complete, no broken link."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import rispy
import yaml
from click.testing import CliRunner
from linkcheck import broken_links

from conftest import REPO, fixture_catalog
from emocat.catalog.checks import load_valid
from emocat.cli import cli
from emocat.commands.build import build_site
from emocat.errors import EmocatError

pytestmark = pytest.mark.slow  # builds the site with mkdocs


def test_repository_site_builds_strict_with_every_page(repo_site: Path) -> None:
    catalog = load_valid(REPO / "catalog")
    for entry in catalog.entries():
        assert (repo_site / entry.folder / entry.id / "index.html").is_file(), entry.id
        index = (repo_site / entry.folder / "index.html").read_text(encoding="utf-8")
        assert f'href="../{entry.folder}/{entry.id}/"' in index, f"{entry.id} is not linked from its index"
    for name in ("catalog.json", "catalog.bib", "catalog.csv", "feed.xml", "assets/emocat.js", "assets/emocat.css",
                 "assets/search.js", "assets/search.css", "pagefind/pagefind.js"):
        assert (repo_site / name).is_file(), name


def test_no_internal_link_is_broken(repo_site: Path) -> None:
    meta = yaml.safe_load((REPO / "catalog" / "catalog.yaml").read_text(encoding="utf-8"))
    assert broken_links(repo_site, urlsplit(meta["site_url"]).path) == []


def test_the_link_walker_finds_a_broken_link(fixture_site: Path, tmp_path: Path) -> None:
    page = tmp_path / "index.html"
    page.write_text('<a href="papers/">x</a><a href="missing/">y</a><a href="#nowhere">z</a><p id="here"></p>'
                    '<a href="#here">ok</a><a href="https://example.org/">out</a>'
                    '<a href="/base/papers/">abs</a><a href="/other/">abs</a>', encoding="utf-8")
    (tmp_path / "papers").mkdir()
    (tmp_path / "papers" / "index.html").write_text("<p>papers</p>", encoding="utf-8")
    assert broken_links(tmp_path, "/base/") == [
        "index.html: missing/", "index.html: #nowhere (no such anchor)", "index.html: /other/ (outside the site)"]


def test_entry_pages_stay_out_of_the_navigation(repo_site: Path) -> None:
    for page in ("index.html", "papers/emotion-llama/index.html"):
        html = (repo_site / page).read_text(encoding="utf-8")
        nav = re.findall(r'<a href="([^"#]*)" class="md-nav__link', html)
        here = "http://site/" + page.removesuffix("index.html")
        targets = {urlsplit(urljoin(here, href)).path.strip("/") for href in nav}
        assert {"papers", "datasets", "benchmarks", "models", "topics", "downloads"} <= targets, page
        assert not [t for t in targets if t.count("/") >= 1], f"entry pages in the nav of {page}"


class _Resources(HTMLParser):
    """Collects the addresses a page makes the browser load (scripts, stylesheets, icons, images)."""

    LOADED_RELS = frozenset({"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"})

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("script", "img", "iframe", "source", "audio", "video") and values.get("src"):
            self.loaded.append(values["src"])
        if tag == "link" and set(values.get("rel", "").split()) & self.LOADED_RELS:
            self.loaded.append(values.get("href", ""))


def test_site_is_self_contained(repo_site: Path) -> None:
    """No page loads a script, stylesheet, font or image from another host."""
    checked = 0
    for path in repo_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, path
        parser = _Resources()
        parser.feed(text)
        for address in parser.loaded:
            assert not urlsplit(address).netloc, f"{path}: {address}"
        checked += len(parser.loaded)
    assert checked > 0
    css = "".join(p.read_text(encoding="utf-8") for p in repo_site.rglob("*.css"))
    assert "@import url(http" not in css and "fonts.googleapis" not in css


def test_paper_page_head_has_scholar_tags_and_json_ld(repo_site: Path) -> None:
    html = (repo_site / "papers" / "emotion-llama" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="citation_title" content="Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning' in html
    assert '<meta name="citation_arxiv_id" content="2406.11161">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "ScholarlyArticle" and data["url"].endswith("/papers/emotion-llama/")
    # the feed is announced on the downloads page only (the theme fetches sitemap.xml for each rel=alternate)
    assert 'rel="alternate"' not in html
    downloads = (repo_site / "downloads" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="application/atom+xml"' in downloads


def test_downloads_parse(repo_site: Path) -> None:
    catalog = load_valid(REPO / "catalog")
    data = json.loads((repo_site / "catalog.json").read_text(encoding="utf-8"))
    assert len(data["entries"]) == len(catalog)
    assert any(entry["referenced_by"] for entry in data["entries"])
    rows = list(csv.DictReader(io.StringIO((repo_site / "catalog.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(catalog)
    with (repo_site / "results.csv").open(encoding="utf-8-sig", newline="") as handle:
        results = list(csv.DictReader(handle))
    assert len(results) == sum(len(b.results) for b in catalog.benchmarks.values()) == 551
    feed = ET.parse(repo_site / "feed.xml").getroot()
    assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
    assert (repo_site / "catalog.bib").read_text(encoding="utf-8").count("\n@") + 1 == len(catalog.papers)
    assert len(rispy.loads((repo_site / "catalog.ris").read_text(encoding="utf-8"))) == len(catalog.papers)
    assert len(json.loads((repo_site / "catalog.csl.json").read_text(encoding="utf-8"))) == len(catalog.papers)
    for folder in ("papers", "datasets", "benchmarks", "models"):
        kind_rows = list(csv.DictReader(io.StringIO((repo_site / f"{folder}.csv").read_text(encoding="utf-8-sig"))))
        assert sorted(row["id"] for row in kind_rows) == sorted(catalog.by_kind(folder)), folder
    downloads = (repo_site / "downloads" / "index.html").read_text(encoding="utf-8")
    for name in ("catalog.bib", "catalog.ris", "catalog.csl.json", "papers.csv", "benchmarks.csv", "catalog.csv"):
        assert f'href="../{name}"' in downloads, name


def test_hostile_titles_stay_text_in_built_html(fixture_site: Path) -> None:
    for path in fixture_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<img src=x" not in text, path
        assert "<script>alert" not in text, path
        assert "</title><script>" not in text, path


def test_site_url_matches_the_catalog() -> None:
    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_constructor("!ENV", lambda loader, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    meta = yaml.safe_load((REPO / "catalog" / "catalog.yaml").read_text(encoding="utf-8"))
    assert config["site_url"] == meta["site_url"]
    assert config["repo_url"] == meta["repository"]
    assert config["theme"]["font"] is False
    assert [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]] == ["emocat"]  # no lunr search
    for forbidden in ("info", "privacy", "social"):
        assert forbidden not in str(config["plugins"])


def test_a_bad_catalog_fails_the_plugin_naming_the_file(tmp_path: Path) -> None:
    catalog = fixture_catalog(tmp_path)
    (catalog / "papers" / "broken.yaml").write_text("title: Broken\nyear: 3000\nadded: 2025-01-01\n", encoding="utf-8")
    with pytest.raises(EmocatError) as info:
        build_site(REPO / "mkdocs.yml", tmp_path / "site", catalog)
    message = str(info.value)
    assert "broken.yaml:2:7: error: year:" in message
    assert "Traceback" not in message
    assert not (tmp_path / "site" / "index.html").exists()


def test_emocat_build_stops_on_catalog_errors(tmp_path: Path) -> None:
    catalog = fixture_catalog(tmp_path)
    (catalog / "papers" / "broken.yaml").write_text("title: [\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--catalog", str(catalog), "build", "--site-dir", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "broken.yaml:2:1: error:" in result.output
    assert not (tmp_path / "out").exists()


def test_emocat_build_needs_mkdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = fixture_catalog(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--catalog", str(catalog), "build"])
    assert result.exit_code == 2
    assert "no MkDocs configuration at mkdocs.yml" in result.output


def test_mkdocs_alone_builds_the_repository_site(tmp_path: Path) -> None:
    """Plain `mkdocs build --strict` (what the CI workflow runs) works without emocat build."""
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                          cwd=REPO, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "site" / "papers" / "emotion-llama" / "index.html").is_file()


def test_every_paper_page_links_its_authors_pages(repo_site: Path) -> None:
    catalog = load_valid(REPO / "catalog")
    with_authors = [paper for paper in catalog.papers.values() if paper.authors]
    assert with_authors
    for paper in with_authors:
        html = (repo_site / "papers" / paper.id / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'<a href="\.\./\.\./authors/([a-z0-9-]+)/">', html)
        assert len(links) == len(paper.authors), paper.id
        for slug in links:
            page = (repo_site / "authors" / slug / "index.html").read_text(encoding="utf-8")
            assert f'href="../../papers/{paper.id}/"' in page, slug
    index = (repo_site / "authors" / "index.html").read_text(encoding="utf-8")
    # the index has more rows than a page shows: the rest travel as the table's JSON data
    rows = index + "".join(_strings(json.loads(data)) for data in re.findall(
        r'<script type="application/json"[^>]*>(.*?)</script>', index, re.S))
    assert all(f'href="../authors/{slug}/"' in rows for slug in links)


def _strings(value: object) -> str:
    """Every string inside a JSON value, joined."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(_strings(item) for item in value)
    if isinstance(value, dict):
        return "".join(_strings(item) for item in value.values())
    return ""
