"""The website's pages and downloads, built in memory from a catalog (the MkDocs plugin only adds them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2

from emocat.catalog import addresses, authors, linkset, view
from emocat.catalog.loader import Catalog, references_of
from emocat.catalog.models import (
    MODALITIES,
    Benchmark,
    CatalogMeta,
    Dataset,
    Entry,
    Model,
    Paper,
    Repository,
)
from emocat.outputs import bibtex, citations, export, kind_csv, leaderboard, templating
from emocat.outputs.site import authors as author_site
from emocat.outputs.site import charts, feed

#: How many entries the home page lists as newest additions.
NEWEST = 10

ASSETS = Path(__file__).parent / "assets"
#: Static files every site needs: (path in the site, file in the package).
ASSET_FILES = {"assets/emocat.js": ASSETS / "emocat.js", "assets/emocat.css": ASSETS / "emocat.css"}

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


@dataclass(frozen=True)
class SitePage:
    """One generated Markdown page: its path under the docs folder, its source and its metadata.

    ``meta`` is what a front matter would hold (``title`` already HTML-escaped, since MkDocs themes print
    it as it is; ``hide``; ``emocat`` with the head tags of paper pages). The plugin hands it to MkDocs
    directly instead of making it parse YAML for every page.
    """

    path: str
    content: str
    in_nav: bool
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """Everything the plugin adds to a MkDocs build."""

    pages: list[SitePage]
    files: dict[str, str]
    assets: dict[str, Path] = field(default_factory=lambda: dict(ASSET_FILES))


# --- addresses -------------------------------------------------------------------------------------------


# --- context ---------------------------------------------------------------------------------------------


def number(value: int | Decimal | None) -> str:
    """A count or measurement as written, without exponent; counts get thousands separators."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return f"{value:,}"


def sort_value(value: int | Decimal | None) -> str:
    """A machine-readable value for the table sorter (empty when unknown)."""
    return "" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def code_health(entry: Entry) -> Repository | None:
    """What ``emocat enrich`` recorded about the entry's code repository, if it has a code link and the record
    says something (stars, last push or archived); dates are shown as recorded, never relative to today."""
    repository: Repository | None = getattr(entry, "repository", None)
    if repository is None or not entry.links.code:
        return None
    if repository.stars is None and repository.pushed is None and not repository.archived:
        return None
    return repository




class SiteData:
    """Catalog-wide facts that pages share, computed once per build."""

    def __init__(self, catalog: Catalog, *, project: Path, directory_urls: bool = True) -> None:
        if catalog.meta is None:
            raise ValueError("a catalog without catalog.yaml cannot be rendered")
        self.catalog = catalog
        self.meta: CatalogMeta = catalog.meta
        self.vocabulary = catalog.vocabulary
        self.project = project
        self.directory_urls = directory_urls
        self.urls = {entry.id: addresses.page_url(addresses.entry_path(entry), directory_urls) for entry in catalog.entries()}
        self.term_urls = {
            vocabulary: {slug: self.url(f"{vocabulary}/{slug}/index.md") for slug in getattr(catalog.vocabulary, vocabulary)}
            for vocabulary in ("topics", "tasks")
        }
        self.repository = self.meta.repository.rstrip("/")
        try:
            self.catalog_prefix = catalog.root.resolve().relative_to(project.resolve()).as_posix()
        except ValueError:
            self.catalog_prefix = "catalog"
        self.site_url = addresses.site_base(self.meta)

    def url(self, path: str) -> str:
        """Address (relative to the site root) of a generated or hand-written page."""
        return addresses.page_url(path, self.directory_urls)

    def absolute(self, entry: Entry) -> str:
        return self.site_url + self.urls[entry.id]

    def source_path(self, entry: Entry) -> str:
        """The entry's YAML file relative to the project (repository) root, with forward slashes."""
        return f"{self.catalog_prefix}/{entry.folder}/{entry.id}.yaml"

    def edit_url(self, entry: Entry) -> str:
        return f"{self.repository}/edit/{self.meta.branch}/{self.source_path(entry)}"

    def term(self, vocabulary: str, slug: str) -> str:
        return view.term_name(self.vocabulary, vocabulary, slug)

    @cached_property
    def papers(self) -> list[Paper]:
        return view.sorted_papers(self.catalog, newest_first=True)

    @cached_property
    def datasets(self) -> list[Dataset]:
        return view.sorted_datasets(self.catalog)

    @cached_property
    def benchmarks(self) -> list[Benchmark]:
        return view.sorted_benchmarks(self.catalog)

    @cached_property
    def models(self) -> list[Model]:
        return view.sorted_models(self.catalog)

    @cached_property
    def models_by_organisation(self) -> list[tuple[str, str, list[Model]]]:
        """Models grouped as (organisation slug, display name, models); models without one come last."""
        return view.models_by_organisation(self.catalog, self.models)

    @cached_property
    def stars_columns(self) -> dict[str, bool]:
        """Whether the papers and models tables get a Stars column: only if one of their entries has a record."""
        return {
            "papers": any(code_health(paper) for paper in self.papers),
            "models": any(code_health(model) for model in self.models),
        }

    @cached_property
    def boards(self) -> dict[str, leaderboard.Board]:
        return leaderboard.boards(self.catalog)

    @cached_property
    def results_by_model(self) -> dict[str, list[tuple[leaderboard.Board, list[leaderboard.Line]]]]:
        """Each model's lines, grouped by board (in the order of the benchmarks index), best first."""
        found: dict[str, list[tuple[leaderboard.Board, list[leaderboard.Line]]]] = defaultdict(list)
        for bench in self.benchmarks:
            board = self.boards[bench.id]
            mine: dict[str, list[leaderboard.Line]] = defaultdict(list)
            for line in board.lines:
                if line.model_id:
                    mine[line.model_id].append(line)
            for model_id, lines in mine.items():
                found[model_id].append((board, lines))
        return found

    @cached_property
    def matrix(self) -> tuple[list[leaderboard.Board], list[leaderboard.MatrixRow]]:
        return leaderboard.matrix(self.catalog, self.boards)

    @cached_property
    def tagged(self) -> dict[tuple[str, str], list[Entry]]:
        """(vocabulary, slug) -> entries that carry it, in the order of their index pages."""
        found: dict[tuple[str, str], list[Entry]] = defaultdict(list)
        ordered: list[Entry] = [*self.papers, *self.datasets, *self.benchmarks, *self.models]
        for entry in ordered:
            for slug in getattr(entry, "topics", ()):
                found["topics", slug].append(entry)
            tasks = list(getattr(entry, "tasks", ()))
            if isinstance(entry, Benchmark) and entry.task:
                tasks.append(entry.task)
            for slug in tasks:
                found["tasks", slug].append(entry)
        return found

    @cached_property
    def venues(self) -> list[str]:
        return sorted({p.venue for p in self.papers if p.venue}, key=view.natural_key)

    @cached_property
    def authors(self) -> list[authors.Author]:
        return authors.authors_of(self.papers)

    @cached_property
    def author_urls(self) -> dict[str, str]:
        return author_site.author_urls(self.authors, self.url)

    def author_url(self, name: str) -> str | None:
        """The page of the author written ``name`` (any of their written forms)."""
        return self.author_urls.get(authors.name_key(name))

    @cached_property
    def years(self) -> list[int]:
        return sorted({p.year for p in self.papers if p.year})

    @cached_property
    def newest(self) -> list[Entry]:
        return view.newest(self.catalog, NEWEST)

    def outgoing(self, entry: Entry) -> list[tuple[str, list[Entry]]]:
        """The entries this one points to, grouped by field, in field order."""
        groups: dict[str, dict[str, Entry]] = {}
        for field_path, target in references_of(entry):
            name = field_path.split("[")[0].split(".")[0]
            found = self.catalog.get(target)
            if found is not None:
                groups.setdefault(name, {}).setdefault(found.id, found)
        return [(name, list(found.values())) for name, found in groups.items()]

    def incoming(self, entry: Entry) -> list[tuple[str, list[Entry]]]:
        """The entries that point to this one, grouped by the field they use."""
        groups: dict[str, dict[str, Entry]] = {}
        for name, source in self.catalog.referrers.get(entry.id, ()):
            found = self.catalog.get(source)
            if found is not None:
                groups.setdefault(name, {}).setdefault(found.id, found)
        return [(name, list(groups[name].values())) for name in sorted(groups)]

    def counts(self) -> dict[str, int]:
        return view.counts(self.catalog)


# --- head metadata (Google Scholar tags and schema.org JSON-LD) -------------------------------------------


def citation_tags(paper: Paper, data: SiteData) -> list[tuple[str, str]]:
    """``citation_*`` meta tags of a paper, in the order Google Scholar documents them."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", author) for author in paper.authors]
    if paper.year:
        date = f"{paper.year}/{paper.month:02d}" if paper.month else str(paper.year)
        tags.append(("citation_publication_date", date))
    if paper.venue:
        tags.append(("citation_journal_title", paper.venue))
    if paper.doi:
        tags.append(("citation_doi", paper.doi))
    if paper.arxiv:
        tags.append(("citation_arxiv_id", paper.arxiv))
    pdf = paper.links.pdf or (f"https://arxiv.org/pdf/{paper.arxiv}" if paper.arxiv else None)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    if paper.links.paper:
        tags.append(("citation_abstract_html_url", paper.links.paper))
    if paper.abstract:
        tags.append(("citation_abstract", paper.abstract))
    return tags


def json_ld(paper: Paper, data: SiteData) -> dict[str, Any]:
    """A schema.org ScholarlyArticle describing a paper."""
    item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "name": paper.title,
        "headline": paper.title[:110],
        "url": data.absolute(paper),
    }
    if paper.authors:
        item["author"] = [{"@type": "Person", "name": name} for name in paper.authors]
    if paper.year:
        item["datePublished"] = view.paper_date(paper)
    if paper.venue:
        item["isPartOf"] = {"@type": "Periodical", "name": paper.venue}
    identifiers = []
    if paper.doi:
        identifiers.append({"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi})
    if paper.arxiv:
        identifiers.append({"@type": "PropertyValue", "propertyID": "arXiv", "value": paper.arxiv})
    if identifiers:
        item["identifier"] = identifiers
    same = [url for _, url in paper.links.items_present()]
    if same:
        item["sameAs"] = same
    if paper.abstract:
        item["abstract"] = paper.abstract
    keywords = [data.term("topics", t) for t in paper.topics] + [data.term("tasks", t) for t in paper.tasks]
    if keywords:
        item["keywords"] = keywords
    return item


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
                bibtex: dict[str, str] | None = None) -> list[SitePage]:
    """Every generated page of the site, index pages first, then authors, then one page per topic, task and entry."""
    data = SiteData(catalog, project=project, directory_urls=directory_urls)
    renderer = _Renderer(templating.environment(project), data,
                         citations.citations_by_id(catalog.papers.values(), bibtex))
    def page(path: str, template: str, title: str, *, in_nav: bool = False, hide: tuple[str, ...] = (),
             head: dict[str, Any] | None = None, **context: Any) -> SitePage:
        meta: dict[str, Any] = {"title": templating.html_escape(title)}
        if hide:
            meta["hide"] = list(hide)
        if head:
            meta["emocat"] = head
        return SitePage(path, renderer.render(template, path, **context), in_nav, meta)

    wide = ("toc",)
    pages = [
        page("index.md", "site/home.md.j2", data.meta.title, in_nav=True, charts=home_charts(data)),
        page("papers/index.md", "site/papers.md.j2", "Papers", in_nav=True, hide=wide, cited=renderer.cited),
        page("datasets/index.md", "site/datasets.md.j2", "Datasets", in_nav=True, hide=wide),
        page("benchmarks/index.md", "site/benchmarks.md.j2", "Benchmarks", in_nav=True, hide=wide),
        page("models/index.md", "site/models.md.j2", "Models", in_nav=True),
        page("topics/index.md", "site/topics.md.j2", "Topics and tasks", in_nav=True),
        page("results/index.md", "site/results.md.j2", "Results matrix", in_nav=True, hide=wide),
        *author_site.author_pages(data.authors, page),
        page("downloads.md", "site/downloads.md.j2", "Downloads", in_nav=True),
    ]
    for vocabulary in ("topics", "tasks"):
        for slug, term in getattr(catalog.vocabulary, vocabulary).items():
            entries = data.tagged.get((vocabulary, slug), [])
            pages.append(page(f"{vocabulary}/{slug}/index.md", "site/term.md.j2", term.name, vocabulary=vocabulary,
                              slug=slug, term=term, entries=entries))
    for entry in view.by_kind(catalog.entries()):
        context = entry_context(entry, data, renderer.cited)
        pages.append(page(addresses.entry_path(entry), "site/entry.md.j2", entry.label, head=context.pop("head"), **context))
    return pages


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


def build(catalog: Catalog, *, project: Path, directory_urls: bool = True) -> Site:
    """Pages and downloads of the whole site."""
    exporters = {"catalog.json": export.export_json, "catalog.bib": export.export_bibtex,
                 "catalog.ris": export.export_ris, "catalog.csl.json": export.export_csl_json,
                 "catalog.csv": export.export_csv, "results.csv": export.export_results_csv}
    pages = build_pages(catalog, project=project, directory_urls=directory_urls, bibtex=bibtex_by_id(catalog))
    return Site(pages, build_downloads(catalog, project=project, exporters=exporters))


def bibtex_by_id(catalog: Catalog) -> dict[str, str]:
    """Each paper's BibTeX block, with the same key as in ``catalog.bib``."""
    keys = bibtex.bibtex_keys(catalog.papers.values())
    return {paper_id: bibtex.paper_bibtex(paper, keys[paper_id]) for paper_id, paper in catalog.papers.items()}
