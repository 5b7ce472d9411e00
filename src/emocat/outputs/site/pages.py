"""The website's pages and downloads, built in memory from a catalog (the MkDocs plugin only adds them)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from emocat.catalog import addresses, linkset, view
from emocat.catalog.loader import Catalog
from emocat.catalog.models import (
    MODALITIES,
    Benchmark,
    Entry,
    Paper,
)
from emocat.errors import UsageError
from emocat.outputs import citations, export, kind_csv, leaderboard, templating
from emocat.outputs.site import authors as author_site
from emocat.outputs.site import charts, feed, search, tables
from emocat.outputs.site.data import SiteData, code_health, number, sort_value
from emocat.outputs.site.head import citation_tags, json_ld

ASSETS = Path(__file__).parent / "assets"
#: Static files every site needs: (path in the site, file in the package); the table model before its users.
ASSET_FILES = {"assets/emocat-tables.js": ASSETS / "emocat-tables.js", "assets/emocat.js": ASSETS / "emocat.js",
               "assets/emocat.css": ASSETS / "emocat.css", "assets/search.js": ASSETS / "search.js",
               "assets/search.css": ASSETS / "search.css"}

#: Index pages in the order of the navigation; every other generated page stays out of it.
INDEX_PAGES = (
    "index.md",
    "papers/index.md",
    "datasets/index.md",
    "benchmarks/index.md",
    "models/index.md",
    "topics/index.md",
    "results/index.md",
    "authors/index.md",
    "downloads.md",
)
DOWNLOADS = ("catalog.json", "catalog.bib", "catalog.ris", "catalog.csl.json", "catalog.csv", "results.csv",
             "papers.csv", "datasets.csv", "benchmarks.csv", "models.csv", "feed.xml")


#: How a page is made: its template, its title, and the options and context of ``build_pages``' ``page``.
PageSpec = tuple[str, str, dict[str, Any]]


@dataclass(frozen=True)
class SitePage:
    """One generated Markdown page: its path under the docs folder, its source and its metadata.

    ``meta`` is what a front matter would hold (``title`` already HTML-escaped, since MkDocs themes print
    it as it is; ``hide``; ``emocat`` with the head tags of paper pages). The plugin hands it to MkDocs
    directly instead of making it parse YAML for every page.
    """

    path: str
    source: str
    in_nav: bool
    meta: dict[str, Any] = field(default_factory=dict)
    #: The large tables of the page (``tables.large_tables``): each is a placeholder line in ``source`` and
    #: goes in after the Markdown pass (``content`` has them in place, for a Markdown file of the page).
    blocks: dict[str, str] = field(default_factory=dict)

    @property
    def content(self) -> str:
        """The page's Markdown with its large tables in place."""
        return tables.insert_blocks(self.source, self.blocks, self.path)


@dataclass(frozen=True)
class Site:
    """Everything the plugin adds to a MkDocs build."""

    pages: list[SitePage]
    files: dict[str, str]
    assets: dict[str, Path] = field(default_factory=lambda: dict(ASSET_FILES))


# --- addresses -------------------------------------------------------------------------------------------


# --- context ---------------------------------------------------------------------------------------------


# --- head metadata (Google Scholar tags and schema.org JSON-LD) -------------------------------------------


# --- pages -----------------------------------------------------------------------------------------------


class _Renderer:
    """Renders the site templates with the shared data and per-page link base."""

    def __init__(self, env: jinja2.Environment, data: SiteData, cited: dict[str, dict[str, str]]) -> None:
        self.env = env
        self.data = data
        self.cited = cited
        # link_labels: the README's names for links ("Hugging Face", "arXiv"), so both say the same (a dict
        # lookup per link; the README's partial macros emit Markdown and would cost a call per row).
        self.helpers = {"number": number, "sort_value": sort_value, "modalities": MODALITIES,
                        "code_health": code_health, "link_labels": linkset.LINK_LABELS}
        self._templates: dict[str, jinja2.Template] = {}

    def render(self, template: str, path: str, **context: Any) -> str:
        if template not in self._templates:
            self._templates[template] = self.env.get_template(template)
        url = self.data.url(path)
        return self._templates[template].render(
            data=self.data, meta=self.data.meta, base=addresses.base_of(url), page_url=url, h=self.helpers, **context
        )


def build_pages(catalog: Catalog, *, project: Path, directory_urls: bool = True,
                large_tables: int = tables.DEFAULT_THRESHOLD,
                data: SiteData | None = None, only: Container[str] | None = None) -> list[SitePage]:
    """Every generated page of the site, index pages first, then authors, then one page per topic, task and entry.

    Sortable tables of more than ``large_tables`` rows carry their rows as data (``tables.large_tables``).
    ``only``: render just these paths (the preview's pages a change can alter, ``affected.pages``); ``data``:
    the catalog's ``SiteData``, if the caller keeps it.
    """
    data = data or SiteData(catalog, project=project, directory_urls=directory_urls)

    def wanted(path: str) -> bool:
        return only is None or path in only

    keys = data.citation_keys
    cited = citations.citations_by_id((paper for paper in catalog.papers.values()
                                       if wanted(addresses.entry_path(paper))), keys)
    renderer = _Renderer(templating.environment(project), data, cited)
    large = renderer.env.get_template(tables.TEMPLATE)
    pages: list[SitePage] = []

    def page(path: str, template: str, title: str, *, in_nav: bool = False, hide: tuple[str, ...] = (),
             head: dict[str, Any] | None = None, record: dict[str, Any] | None = None, **context: Any) -> None:
        """``record``: the page's search record (entry pages); every other generated page stays out of the index."""
        meta: dict[str, Any] = {"title": templating.html_escape(title)}
        if hide:
            meta["hide"] = list(hide)
        if head or record:
            meta["emocat"] = {**(head or {}), **({"search": record} if record else {})}
        if not record:
            meta["search"] = dict(search.NOT_INDEXED)
        source, blocks = tables.large_tables(renderer.render(template, path, **context), threshold=large_tables,
                                             template=large, where=path, context={"number": number})
        pages.append(SitePage(path, source, in_nav, meta, blocks))

    for path, make in page_plan(data, keys, renderer.cited).items():
        if wanted(path):
            template, title, options = make()
            page(path, template, title, **options)
    return pages


def page_plan(data: SiteData, keys: Mapping[str, str] | None = None,
              cited: dict[str, dict[str, str]] | None = None) -> dict[str, Callable[[], PageSpec]]:
    """Every generated page of the site by path, in the site's order (index pages, authors, downloads, search,
    topics and tasks, entries), each with what makes it; a page's context is computed when its maker is called.

    ``keys`` and ``cited``: the papers' citation keys and citations, for the pages that show them.
    """
    catalog = data.catalog
    wide = ("toc",)
    plan: dict[str, Callable[[], PageSpec]] = {
        "index.md": lambda: ("site/home.md.j2", data.meta.title, {"in_nav": True, "charts": home_charts(data)}),
        "papers/index.md": lambda: ("site/papers.md.j2", "Papers", {"in_nav": True, "hide": wide, "keys": keys}),
        "datasets/index.md": lambda: ("site/datasets.md.j2", "Datasets", {"in_nav": True, "hide": wide}),
        "benchmarks/index.md": lambda: ("site/benchmarks.md.j2", "Benchmarks", {"in_nav": True, "hide": wide}),
        "models/index.md": lambda: ("site/models.md.j2", "Models", {"in_nav": True}),
        "topics/index.md": lambda: ("site/topics.md.j2", "Topics and tasks", {"in_nav": True}),
        "results/index.md": lambda: ("site/results.md.j2", "Results matrix", {"in_nav": True, "hide": wide}),
    }
    plan.update(author_site.author_plan(data.authors, data.coauthors))
    plan["downloads.md"] = lambda: ("site/downloads.md.j2", "Downloads", {"in_nav": True})
    plan["search/index.md"] = lambda: ("site/search.md.j2", "Search", {
        "hide": wide, "facets": search.facets(search.entry_search(entry, data) for entry in catalog.entries())})
    for vocabulary in ("topics", "tasks"):
        for slug, term in getattr(catalog.vocabulary, vocabulary).items():
            plan[f"{vocabulary}/{slug}/index.md"] = functools.partial(_term_page, data, vocabulary, slug, term)
    for entry in view.by_kind(catalog.entries()):
        plan[addresses.entry_path(entry)] = functools.partial(_entry_page, entry, data, cited or {})
    return plan


def _term_page(data: SiteData, vocabulary: str, slug: str, term: Any) -> PageSpec:
    return ("site/term.md.j2", term.name, {"vocabulary": vocabulary, "slug": slug, "term": term,
                                           "entries": data.tagged.get((vocabulary, slug), [])})


def _entry_page(entry: Entry, data: SiteData, cited: dict[str, dict[str, str]]) -> PageSpec:
    context = entry_context(entry, data, cited)
    return ("site/entry.md.j2", entry.label, {"head": context.pop("head"), "record": search.entry_search(entry, data),
                                               **context})


def entry_context(entry: Entry, data: SiteData, cited: dict[str, dict[str, str]]) -> dict[str, Any]:
    """What an entry page shows beyond the entry itself (``cited``: ``citations.citations_by_id``)."""
    context: dict[str, Any] = {
        "entry": entry,
        "outgoing": data.outgoing(entry),
        "incoming": data.incoming(entry),
        "cite": cited.get(entry.id),
        "head": None,
        "chart": None,
        "board": None,
        "results": data.results_by_model.get(entry.id, []),
    }
    if isinstance(entry, Paper):
        context["head"] = {"citation": citation_tags(entry, data), "jsonld": json_ld(entry, data)}
    if isinstance(entry, Benchmark):
        board = data.boards[entry.id]
        context["board"] = board
        context["suite"] = [b for b in data.benchmarks if b.suite == entry.id]
        if board.history:
            context["chart"] = history_chart(data, board)
    return context


# --- charts ----------------------------------------------------------------------------------------------


def history_chart(data: SiteData, board: leaderboard.Board) -> charts.StepChart:
    """The best published score on the main metric over time, by the date of each model's paper or release."""
    main = board.main
    assert main is not None
    points = []
    for line in board.history:
        result = line.values[main.id]
        model = data.catalog.models.get(line.model_id or "")
        date = leaderboard.model_date(data.catalog, model) or ""
        label = f"{line.name} ({line.variant})" if line.variant else line.name
        points.append(charts.StepPoint(date, result.normalised, f"{label}: {number(result.value)}"))
    direction = "higher is better" if main.higher_is_better else "lower is better"
    steps = "; ".join(f"{p.date}: {p.label}" for p in points)
    return charts.step_chart(
        f"chart-{board.benchmark.id}",
        f"{board.benchmark.name}: best {main.name} over time ({direction})",
        f"Each step is a model that raised the best published {main.name}, dated by its paper or release: "
        f"{steps}. Values as published; the height compares them on one scale.",
        points,
        higher_is_better=main.higher_is_better,
    )


def home_charts(data: SiteData) -> list[charts.BarChart]:
    """Charts of the home page: papers per year and entries per modality."""
    per_year: dict[int, int] = defaultdict(int)
    for paper in data.papers:
        if paper.year:
            per_year[paper.year] += 1
    per_modality: dict[str, int] = defaultdict(int)
    for entry in data.catalog.entries():
        for modality in getattr(entry, "modalities", ()):
            per_modality[modality] += 1
    found = []
    if per_year:
        found.append(charts.bar_chart(
            "chart-papers-per-year", "Papers per year",
            f"Number of papers in the catalog for each publication year, {min(per_year)} to {max(per_year)}.",
            [(str(year), Decimal(per_year[year])) for year in sorted(per_year)],
        ))
    if per_modality:
        found.append(charts.bar_chart(
            "chart-modalities", "Entries per modality",
            "Number of papers, datasets and models that cover each modality.",
            [(name, Decimal(per_modality[name])) for name in MODALITIES if per_modality.get(name)],
        ))
    return found


# --- downloads -------------------------------------------------------------------------------------------


def build_downloads(catalog: Catalog, *, project: Path, exporters: Mapping[str, Callable[[Catalog], str]]) -> dict[str, str]:
    """The downloadable files: the catalog as JSON, BibTeX, RIS, CSL-JSON and CSV (all kinds, and one per
    kind), and the Atom feed."""
    files = {name: export(catalog) for name, export in exporters.items()}
    files.update(kind_csv.kind_csv_files(catalog))
    files["feed.xml"] = feed.render_feed(catalog, templating.environment(project))
    return files


def theme_dir(template_dirs: Iterable[Path]) -> Path | None:
    """The first ``site/theme`` folder among the template folders (the MkDocs theme override)."""
    for folder in template_dirs:
        if (folder / "site" / "theme").is_dir():
            return folder / "site" / "theme"
    return None


def build(catalog: Catalog, *, project: Path, directory_urls: bool = True,
          large_tables: int = tables.DEFAULT_THRESHOLD, data: SiteData | None = None) -> Site:
    """Pages and downloads of the whole site; sortable tables of more than ``large_tables`` rows carry their
    rows as data."""
    if large_tables < 0:
        raise UsageError(f"large_tables is {large_tables}: give 0 or more rows (0 carries every table as data)")
    exporters = {"catalog.json": export.export_json, "catalog.bib": export.export_bibtex,
                 "catalog.ris": export.export_ris, "catalog.csl.json": export.export_csl_json,
                 "catalog.csv": export.export_csv, "results.csv": export.export_results_csv}
    pages = build_pages(catalog, project=project, directory_urls=directory_urls, large_tables=large_tables, data=data)
    return Site(pages, build_downloads(catalog, project=project, exporters=exporters))
