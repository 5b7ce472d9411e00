"""Every #fragment the README and the site link to exists on its target page (real catalog and fixture)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from linkcheck import broken_links, broken_markdown_links, markdown_anchors_and_links, parse_html

from conftest import REPO
from emocat.catalog import addresses
from emocat.catalog.checks import load_valid
from emocat.catalog.loader import Catalog
from emocat.outputs.readme import render


def _built(request: pytest.FixtureRequest, which: str) -> tuple[Catalog, Path, Path]:
    """(catalog, project folder, built site) of the repository or of the fixture catalog."""
    if which == "repository":
        return load_valid(REPO / "catalog"), REPO, request.getfixturevalue("repo_site")
    site_dir: Path = request.getfixturevalue("fixture_site")
    return load_valid(site_dir.parent / "catalog"), site_dir.parent, site_dir


@pytest.mark.parametrize("which", [pytest.param("repository", marks=pytest.mark.slow), "fixture"])
def test_readme_links_lead_to_existing_headings_and_site_anchors(request: pytest.FixtureRequest, which: str) -> None:
    catalog, project, site_dir = _built(request, which)
    assert catalog.meta is not None
    text = render.render_readme(catalog, project)
    _, links = markdown_anchors_and_links(text)
    assert any("#leaderboard" in link for link in links), "the README should link some leaderboards"
    assert broken_markdown_links(text, addresses.site_base(catalog.meta), site_dir) == []


@pytest.mark.parametrize("which", [pytest.param("repository", marks=pytest.mark.slow), "fixture"])
def test_every_benchmark_page_has_the_section_its_leaderboard_url_names(
    request: pytest.FixtureRequest, which: str
) -> None:
    catalog, _, site_dir = _built(request, which)
    assert catalog.meta is not None
    base = addresses.site_base(catalog.meta)
    for bench in catalog.benchmarks.values():
        url = addresses.leaderboard_url(catalog.meta, bench)
        parts = urlsplit(url[len(base):])
        ids = parse_html(site_dir / parts.path / "index.html").ids
        assert parts.fragment in ids, f"{bench.id}: {url} has no #{parts.fragment} on its page"


def test_fixture_site_has_no_broken_internal_link_or_anchor(fixture_site: Path) -> None:
    meta = load_valid(REPO / "catalog").meta  # the site is built with the repository's mkdocs.yml and its site_url
    assert meta is not None
    assert broken_links(fixture_site, urlsplit(meta.site_url).path) == []


def test_the_markdown_checker_finds_dead_anchors(tmp_path: Path) -> None:
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text('<h2 id="here">Here</h2>', encoding="utf-8")
    text = (
        "# Title\n\n## A `code` | heading\n\n## Repeat\n\n## Repeat\n\n"
        "[ok](#a-code--heading) [ok](#repeat-1) [dead](#repeat-2) [dead](#title-1)\n\n"
        "[ok](https://x.org/s/page/#here) [ok](https://x.org/s/page/) [dead](https://x.org/s/page/#gone)\n"
        "[dead](https://x.org/s/missing/) [elsewhere](https://example.org/#anything)\n"
    )
    assert broken_markdown_links(text, "https://x.org/s/", tmp_path) == [
        "#repeat-2 (no such heading)",
        "#title-1 (no such heading)",
        "https://x.org/s/page/#gone (no such anchor)",
        "https://x.org/s/missing/ (no such page)",
    ]
