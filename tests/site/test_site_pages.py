"""Page sources of the site, built in memory (no MkDocs): golden files, ordering, links, escaping."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from catalogs import write_catalog
from conftest import FIXTURE, HOSTILE_TITLE, fixture_catalog
from emocat.catalog import addresses
from emocat.catalog.checks import load_valid
from emocat.catalog.linkset import LINK_LABELS
from emocat.catalog.loader import Catalog
from emocat.outputs.readme.rows import dataset_group
from emocat.outputs.site import charts
from emocat.outputs.site import pages as site
from emocat.outputs.site.feed import render_feed
from emocat.outputs.templating import environment

GOLDEN = Path(__file__).parent / "golden"
GOLDEN_PAGES = [
    "index.md", "papers/index.md", "datasets/index.md", "benchmarks/index.md", "models/index.md",
    "topics/index.md", "downloads.md", "topics/survey/index.md", "papers/alpha-net/index.md",
    "datasets/sound-set/index.md", "benchmarks/sound-bench/index.md", "benchmarks/quiet-bench/index.md",
    "models/alpha-model/index.md", "results/index.md", "search/index.md",
]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    fixture_catalog(root)
    return root


@pytest.fixture(scope="module")
def catalog(project: Path) -> Catalog:
    return load_valid(project / "catalog")


@pytest.fixture(scope="module")
def built(catalog: Catalog, project: Path) -> site.Site:
    return site.build(catalog, project=project)


@pytest.fixture(scope="module")
def pages(built: site.Site) -> dict[str, str]:
    return {page.path: page.content for page in built.pages}


@pytest.fixture(scope="module")
def metas(built: site.Site) -> dict[str, dict[str, object]]:
    return {page.path: page.meta for page in built.pages}


def _golden(name: str, text: str) -> None:
    path = GOLDEN / (name.replace("/", "__"))
    if os.environ.get("EMOCAT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with EMOCAT_UPDATE_GOLDEN=1 and review the diff"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from {path}"


@pytest.mark.parametrize("name", GOLDEN_PAGES)
def test_page_matches_golden(pages: dict[str, str], metas: dict[str, dict[str, object]], name: str) -> None:
    meta = json.dumps(metas[name], ensure_ascii=False, sort_keys=True, indent=1)
    _golden(name, f"<!-- meta\n{meta}\n-->\n{pages[name]}")


def test_a_table_carried_as_data_matches_golden(catalog: Catalog, project: Path) -> None:
    pages = {page.path: page.content for page in site.build(catalog, project=project, large_tables=0).pages}
    _golden("papers/index.large-tables-0.md", pages["papers/index.md"])


def test_feed_matches_golden(built: site.Site) -> None:
    _golden("feed.xml", built.files["feed.xml"])


def test_rendering_is_deterministic(catalog: Catalog, project: Path, pages: dict[str, str]) -> None:
    again = {page.path: page.content for page in site.build(catalog, project=project).pages}
    assert again == pages


def test_every_entry_has_a_page_linked_from_its_index(catalog: Catalog, pages: dict[str, str]) -> None:
    for entry in catalog.entries():
        assert f"{entry.folder}/{entry.id}/index.md" in pages
        assert f'href="../{entry.folder}/{entry.id}/"' in pages[f"{entry.folder}/index.md"], entry.id


def test_only_index_pages_are_in_the_nav(built: site.Site) -> None:
    in_nav = [page.path for page in built.pages if page.in_nav]
    assert in_nav == list(site.INDEX_PAGES)


def test_downloads_are_built(built: site.Site, catalog: Catalog) -> None:
    assert set(built.files) == set(site.DOWNLOADS)
    data = json.loads(built.files["catalog.json"])
    assert {entry["id"] for entry in data["entries"]} == {e.id for e in catalog.entries()}
    assert built.files["catalog.bib"].count("@") == len(catalog.papers)
    assert built.files["catalog.csv"].count("\n") == len(catalog) + 1


def test_hostile_text_is_escaped_everywhere(pages: dict[str, str], metas: dict[str, dict[str, object]]) -> None:
    for path, text in pages.items():
        assert "<img src=x" not in text, path
        assert "<script>alert" not in text, path
        assert "<b>" not in text, path
    assert "<h1>&lt;img src=x onerror=alert(1)&gt;</h1>" in pages["papers/hostile/index.md"]
    # The page title reaches the theme already escaped (MkDocs themes print meta titles as they are).
    assert metas["papers/hostile/index.md"]["title"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert all("<" not in str(meta["title"]) for meta in metas.values())


def test_paper_pages_carry_head_metadata(metas: dict[str, dict[str, object]]) -> None:
    head = metas["papers/hostile/index.md"]["emocat"]
    assert isinstance(head, dict)
    assert dict(head["citation"])["citation_title"] == HOSTILE_TITLE  # escaped by the theme override
    assert head["jsonld"]["@type"] == "ScholarlyArticle"
    assert "citation" not in metas["models/alpha-model/index.md"]["emocat"]
    assert metas["papers/index.md"]["hide"] == ["toc"]


def test_entry_pages_give_the_search_their_kind_and_facets_and_the_lists_stay_out(
        catalog: Catalog, metas: dict[str, dict[str, object]]) -> None:
    alpha = metas["papers/alpha-net/index.md"]["emocat"]["search"]  # type: ignore[index]
    paper = FIXTURE["papers/alpha-net"]
    assert alpha["title"] == paper["title"]
    assert sorted(alpha["filters"]) == sorted([("kind", "Paper"), ("year", str(paper["year"])),
                                               *[("modality", m) for m in paper["modalities"]], ("topic", "Emotion MLLMs")])
    model = dict(metas["models/alpha-model/index.md"]["emocat"]["search"]["filters"])  # type: ignore[index]
    assert model["year"] == FIXTURE["models/alpha-model"]["release"][:4]  # a model's year is its release's
    entry_pages = {addresses.entry_path(entry): entry for entry in catalog.entries()}
    for path, meta in metas.items():
        if path in entry_pages:
            filters = meta["emocat"]["search"]["filters"]  # type: ignore[index]
            assert [value for name, value in filters if name == "kind"] == [entry_pages[path].kind.capitalize()], path
            assert "search" not in meta, path
        else:  # index, author, topic pages and the search page list entries: a search finds the entries instead
            assert meta["search"] == {"exclude": True}, path


def test_paper_page_has_bibtex_related_entries_and_edit_link(pages: dict[str, str]) -> None:
    page = pages["papers/alpha-net/index.md"]
    assert re.search(r'<pre class="emocat-bibtex" data-pagefind-ignore><code class="language-bibtex" id="cite-bibtex">@\w+\{\w+,', page)
    assert 'href="../../models/alpha-model/">Alpha-7B</a>' in page  # introduces
    assert 'href="../../datasets/sound-set/">SoundSet | [v2]</a>' in page  # uses
    assert "https://github.com/example/catalog/edit/main/catalog/papers/alpha-net.yaml" in page
    model = pages["models/alpha-model/index.md"]
    assert "Entries from this paper" not in model
    assert 'href="../../papers/alpha-net/">' in model  # its paper, outgoing
    assert 'href="../../benchmarks/sound-bench/">' in model  # where it has results, incoming


def _board_rows(page: str, board: str) -> list[tuple[str, str, str]]:
    """(rank, model, main-metric value as shown) of each row of a leaderboard table."""
    table = page.split(f'<table id="{board}"')[1].split("</table>")[0]
    rows = re.findall(r"<tr id=\"row-\d+\"[^>]*>\n(.*?)\n</tr>", table, re.S)
    found = []
    for row in rows:
        rank = re.search(r'<td data-sort="[^"]*">([^<]*)</td>', row)
        name = re.search(r"<td>(?:<a [^>]*>)?([^<]*)", row.split("\n")[1])
        value = re.search(r'<td data-sort="[^"]*"><a [^>]*>([^<]*)</a></td>', row)
        assert rank and name
        found.append((rank.group(1), name.group(1).strip(), value.group(1) if value else ""))
    return found


def test_leaderboard_ranks_across_scales_in_the_metric_direction_and_shares_ranks(pages: dict[str, str]) -> None:
    page = pages["benchmarks/sound-bench/index.md"]
    # WER: lower is better; 0.171 and 0.200 (0-1) rank among 12.5, 20.0, 25 and 30.25 (0-100), shown as printed
    assert _board_rows(page, "board-sound-bench") == [
        ("1", "Alpha-7B", "12.5"), ("2", "Alpha-7B", "0.171"), ("3", "Tie A", "20.0"), ("3", "Tie B", "0.200"),
        ("5", "Loner", "25.5"), ("6", "Baseline &lt;b&gt;", "30.25")]
    assert page.count("example/results · README.md @ 0123456") >= 3
    assert "<th data-type=\"number\" data-first-sort=\"ascending\">WER</th>" in page
    assert '<br><small>as printed: Alpha-7B [A]</small>' in page


def test_sources_that_disagree_are_marked_and_shown_together(pages: dict[str, str]) -> None:
    page = pages["benchmarks/sound-bench/index.md"]
    marked = re.findall(r'<tr id="(row-\d+)"[^>]*data-disputed', page)
    assert marked == ["row-1", "row-2"]  # the two Alpha-7B rows, fine-tuned on audio, 12.5 vs 0.171
    disputes = page.split('<table id="disputes-sound-bench"')[1].split("</table>")[0]
    assert disputes.count("<tr><td>") == 1
    assert ">12.5</a>" in disputes and ">0.171</a>" in disputes and "https://example.org/other" in disputes
    assert page.index("## Where sources disagree") > page.index("## Leaderboard")


def test_leaderboard_filters_cover_the_protocol_fields(pages: dict[str, str]) -> None:
    page = pages["benchmarks/sound-bench/index.md"]
    form = page.split('data-emocat-filter="board-sound-bench"')[1].split("</form>")[0]
    assert re.findall(r'<select name="(\w+)"', form) == ["regime", "modalities", "source"]
    assert '<option value="fine-tuned">fine-tuned</option><option value="zero-shot">zero-shot</option>' in form
    assert '<option value="-">not stated</option>' in form
    assert 'data-regime="fine-tuned" data-modalities="audio"' in page


def test_best_score_over_time_chart(pages: dict[str, str]) -> None:
    page = pages["benchmarks/sound-bench/index.md"]
    svg = page[page.index("<svg"): page.index("</svg>") + 6]
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "SoundBench: best WER over time (lower is better)"
    desc = root.findtext("{http://www.w3.org/2000/svg}desc") or ""
    assert "2024-05: Alpha-7B: 12.5" in desc  # the one dated model; baselines and undated models stay off it
    assert "<summary>Data of this chart</summary>" in page


def test_step_chart_geometry() -> None:
    points = [charts.StepPoint("2023-01", Decimal("0.5"), "a"), charts.StepPoint("2024-01", Decimal("0.7"), "b")]
    chart = charts.step_chart("c", "t", "d", points)
    (first, second) = chart.points
    assert Decimal(first.x) < Decimal(second.x) and Decimal(second.y) < Decimal(first.y)  # later and higher
    assert chart.path.startswith(f"M{first.x} {first.y} H{second.x} V{second.y}")
    lower = charts.step_chart("c", "t", "d", points, higher_is_better=False)
    assert Decimal(lower.points[1].y) > Decimal(lower.points[0].y)  # lower is better: better is drawn higher


def test_results_matrix_links_each_best_value_to_its_row(pages: dict[str, str]) -> None:
    page = pages["results/index.md"]
    rows = re.findall(r'<tr data-modalities="([^"]*)" data-text="([^"]*)">', page)
    assert rows == [("text audio", "alpha-7b  alpha-model"), ("text", "loner lone wolf loner")]
    assert '<a href="../benchmarks/sound-bench/#row-1" title="rank 1 of 6; example/results' in page
    assert '<a href="../benchmarks/sound-bench/#row-5" title="rank 5 of 6;' in page
    assert '<select name="modalities" data-match="token">' in page


def test_model_page_lists_results_by_benchmark_with_rank(pages: dict[str, str]) -> None:
    page = pages["models/alpha-model/index.md"]
    section = page.split("## Results")[1]
    assert "### SoundBench" in section
    assert re.findall(r'#row-\d+">(\d+ of \d+)</a>', section) == ["1 of 6", "2 of 6"]


def test_benchmark_index_counts_models_and_sources(pages: dict[str, str]) -> None:
    row = pages["benchmarks/index.md"].split('href="../benchmarks/sound-bench/"')[1].split("</tr>")[0]
    assert '<td data-sort="2">2</td>' in row  # Alpha-7B and Loner; the three baselines are not models
    assert '<td data-sort="3">3</td>' in row  # one repository file and two URLs


def test_papers_table_carries_filter_data(pages: dict[str, str]) -> None:
    page = pages["papers/index.md"]
    rows = re.findall(r'<tr data-modalities="([^"]*)" data-topics="([^"]*)" data-year="([^"]*)"', page)
    assert rows == [("audio text", "emotion-mllm", "2024"), ("image video", "survey", "2023"), ("text", "survey", "2022")]
    assert "<form class=\"emocat-filters\" data-emocat-filter=\"emocat-papers\" hidden>" in page
    assert '<span data-emocat-count="emocat-papers">3</span> of 3 papers' in page


def test_urls_follow_mkdocs(catalog: Catalog, project: Path) -> None:
    assert addresses.page_url("index.md") == ""
    assert addresses.page_url("papers/x/index.md") == "papers/x/"
    assert addresses.page_url("downloads.md") == "downloads/"
    assert addresses.page_url("papers/x/index.md", directory_urls=False) == "papers/x/index.html"
    assert addresses.base_of("papers/x/") == "../../"
    assert addresses.base_of("") == ""
    assert addresses.base_of("papers/x/index.html") == "../../"
    flat = {p.path: p.content for p in site.build_pages(catalog, project=project, directory_urls=False)}
    assert 'href="../papers/alpha-net/index.html"' in flat["papers/index.md"]


def test_feed_is_atom_newest_first(built: site.Site) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(built.files["feed.xml"])
    ids = [e.findtext("a:id", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert ids[:3] == ["https://example.github.io/catalog/benchmarks/sound-bench/",
                       "https://example.github.io/catalog/papers/alpha-net/",
                       "https://example.github.io/catalog/models/alpha-model/"]
    assert len(ids) == len(FIXTURE)
    assert root.findtext("a:updated", namespaces=ns) == "2025-03-02T00:00:00Z"
    titles = [e.findtext("a:title", namespaces=ns) for e in root.findall("a:entry", ns)]
    assert HOSTILE_TITLE in titles


def test_feed_is_limited(catalog: Catalog, project: Path) -> None:
    root = ET.fromstring(render_feed(catalog, environment(project), limit=2))
    assert len(root.findall("{http://www.w3.org/2005/Atom}entry")) == 2


def test_bar_chart_geometry() -> None:
    chart = charts.bar_chart("c", "t", "d", [("a", Decimal("10")), ("b", Decimal("5")), ("c", Decimal("0"))])
    widths = [Decimal(bar.width) for bar in chart.bars]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == Decimal("0.5")  # a zero still shows a sliver
    assert chart.height == 2 * charts.PAD + 3 * charts.ROW
    mixed = charts.bar_chart("m", "t", "d", [("up", Decimal("2")), ("down", Decimal("-2"))])
    assert Decimal(mixed.bars[1].x) < Decimal(mixed.zero_x) == Decimal(mixed.bars[0].x)
    long = charts.bar_chart("l", "t", "d", [("x" * 80, Decimal(1))])
    assert len(long.bars[0].short) == charts.LABEL_CHARS and long.bars[0].short.endswith("…")


def test_recorded_repository_health_shows_on_entry_pages(pages: dict[str, str]) -> None:
    model = pages["models/alpha-model/index.md"]
    facts = re.search(r'<dd class="emocat-repository">(.*?)</dd>', model)
    assert facts is not None
    assert facts.group(1).startswith("87 stars · last push 2023-11-30 <span class=\"emocat-badge emocat-archived\"")
    assert facts.group(1).endswith("(recorded 2025-03-01)</span>")  # dates as recorded, never "3 days ago"
    paper = pages["papers/alpha-net/index.md"]
    assert "12,345 stars · last push 2025-02-10 <span class=\"emocat-muted\">(recorded 2025-03-01)</span>" in paper
    assert "emocat-archived" not in paper  # not archived: no badge
    assert '987 stars <span class="emocat-muted">(recorded 2025-03-01)</span>' in pages["papers/beta-vision/index.md"]
    assert "Code repository" not in pages["papers/hostile/index.md"]  # nothing recorded: nothing shown


def _column(page: str, header: str) -> list[str]:
    """The cells of one column of every table on a page (``data-sort`` and content)."""
    cells = []
    for table in re.findall(r"<table.*?</table>", page, re.S):
        heads = re.findall(r"<th[^>]*>(.*?)</th>", table)
        if header not in heads:
            continue
        index = heads.index(header)
        for row in re.findall(r"<tr[^>]*>\s*(<td.*?)</tr>", table, re.S):
            cells.append(re.findall(r"<td[^>]*?>.*?</td>", row, re.S)[index])
    return cells


def test_papers_and_models_tables_have_a_sortable_stars_column(pages: dict[str, str]) -> None:
    papers = pages["papers/index.md"]
    assert '<th data-type="number" data-first-sort="descending">Stars</th>' in papers
    assert _column(papers, "Stars") == ['<td data-sort="12345">12,345</td>', '<td data-sort="987">987</td>', '<td data-sort=""></td>']
    models = pages["models/index.md"]
    assert _column(models, "Stars") == [
        '<td data-sort="87">87 <span class="emocat-badge emocat-archived">archived</span></td>', '<td data-sort=""></td>']


def test_stars_column_is_left_out_until_something_is_recorded(tmp_path: Path) -> None:
    entries = {name: {k: v for k, v in fields.items() if k != "repository"} for name, fields in FIXTURE.items()}
    catalog = load_valid(write_catalog(tmp_path / "catalog", entries))
    built = {page.path: page.content for page in site.build(catalog, project=tmp_path).pages}
    assert "Stars" not in built["papers/index.md"] and "Stars" not in built["models/index.md"]
    assert "Code repository" not in built["models/alpha-model/index.md"]


def test_a_benchmark_without_results_still_has_its_leaderboard_section(pages: dict[str, str]) -> None:
    page = pages["benchmarks/quiet-bench/index.md"]
    assert "## Leaderboard\n\n<p>No published results yet.</p>" in page
    assert "<table" not in page


def test_site_tables_name_links_as_the_readme_does(catalog: Catalog, pages: dict[str, str]) -> None:
    shown = re.findall(r'<a href="(https://[^"]*)">([^<]*)</a>', pages["papers/index.md"])
    paper = catalog.papers["alpha-net"]
    expected = [(url, LINK_LABELS[name]) for name, url in paper.links.items_present()]
    assert expected == [("https://arxiv.org/abs/2405.00001", "Paper"), ("https://github.com/example/alphanet", "Code")]
    assert all(pair in shown for pair in expected)
    assert "Code: <a href=\"https://github.com/example/alpha-model\">" in pages["models/alpha-model/index.md"]


def _ids_in_order(text: str, folder: str) -> list[str]:
    """The ids of ``folder`` entries in the order ``text`` first links their pages."""
    found: dict[str, None] = {}
    for match in re.finditer(rf"{folder}/([a-z0-9]+(?:-[a-z0-9]+)*)/", text):
        found.setdefault(match.group(1), None)
    return list(found)


@pytest.mark.parametrize("folder", ["datasets", "benchmarks", "models"])
def test_readme_and_site_list_entries_in_the_same_order(folder: str) -> None:
    """The real catalog: every entry the README lists comes in the order of the site's index page."""
    from emocat.outputs.readme.render import render_readme

    repo = Path(__file__).resolve().parents[2]
    catalog = load_valid(repo / "catalog")
    readme = render_readme(catalog, repo)
    index = {page.path: page.content for page in site.build(catalog, project=repo).pages}[f"{folder}/index.md"]
    if folder == "models":  # the trending list comes first; the open LLMs are listed by organisation
        start = readme.index("\n## Open LLMs")
        readme = readme[start:readme.index("\n## ", start + 1)]
    listed = _ids_in_order(readme, folder)
    on_site = [entry_id for entry_id in _ids_in_order(index, folder) if entry_id in set(listed)]
    assert len(listed) > 1
    if folder == "datasets":  # the README splits datasets into tables by label type: each keeps the site order
        groups = {d.id: dataset_group(d) for d in catalog.datasets.values()}
        for group in set(groups.values()):
            assert [i for i in listed if groups[i] == group] == [i for i in on_site if groups[i] == group]
    elif folder == "models":  # both group by organisation: compare within each organisation
        orgs = {m.id: m.organisation or "" for m in catalog.models.values()}
        for org in set(orgs.values()):
            assert [i for i in listed if orgs[i] == org] == [i for i in on_site if orgs[i] == org], org
    else:
        assert listed == on_site
