"""What every page of the site shares about the catalog, computed once per build: order, addresses, groups."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Container
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from emocat.catalog import addresses, authors, view
from emocat.catalog.authors import Author
from emocat.catalog.loader import Catalog, references_of
from emocat.catalog.models import Benchmark, CatalogMeta, Dataset, Entry, Model, Paper, Repository
from emocat.outputs import leaderboard
from emocat.outputs.bibtex import bibtex_keys
from emocat.outputs.site import authors as author_site

#: How many entries the home page lists as newest additions.
NEWEST = 10

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
    def citation_keys(self) -> dict[str, str]:
        """Each paper's BibTeX key, unique across the catalog (``bibtex.bibtex_keys``)."""
        return bibtex_keys(self.catalog.papers.values())

    @cached_property
    def boards(self) -> dict[str, leaderboard.Board]:
        return leaderboard.boards(self.catalog)

    def keep_boards(self, previous: SiteData, stale: Container[str]) -> None:
        """Take ``previous``'s leaderboards of the benchmarks that are the same objects and not in ``stale`` (the
        preview: see ``affected``, whose entries hold every benchmark a change can re-rank)."""
        old = previous.boards
        self.__dict__["boards"] = {
            bench_id: old[bench_id] if bench_id not in stale and previous.catalog.benchmarks.get(bench_id) is bench
            else leaderboard.board(self.catalog, bench)
            for bench_id, bench in sorted(self.catalog.benchmarks.items())
        }

    def keep_authors(self, previous: SiteData, changed: Collection[str]) -> None:
        """Take ``previous``'s authors, co-authors, author addresses and citation keys where a change of the
        entries ``changed`` leaves them as they were (the preview): when no paper is added, removed, moved in
        the order of the papers or given other authors, only the authors of the changed papers are made again
        (they hold the new paper). Anything else is worked out anew, when asked for."""
        papers = {entry_id for entry_id in changed
                  if entry_id in previous.catalog.papers or entry_id in self.catalog.papers}
        for paper_id in papers:
            old, new = previous.catalog.papers.get(paper_id), self.catalog.papers.get(paper_id)
            if old is None or new is None or old.authors != new.authors:
                return
        if papers and [paper.id for paper in previous.papers] != [paper.id for paper in self.papers]:
            return
        kept = self.__dict__
        kept["author_urls"] = previous.author_urls  # by the names' keys and the slugs, which are the same
        if not papers:
            kept["authors"], kept["coauthors"] = previous.authors, previous.coauthors
            kept["citation_keys"] = previous.citation_keys
            return
        new_papers = {paper_id: self.catalog.papers[paper_id] for paper_id in papers}
        kept["authors"] = [
            dataclasses.replace(author, papers=tuple(new_papers.get(paper.id, paper) for paper in author.papers))
            if any(paper.id in new_papers for paper in author.papers) else author for author in previous.authors]
        by_slug = {author.slug: author for author in kept["authors"]}
        kept["coauthors"] = {slug: [by_slug[other.slug] for other in others]
                             for slug, others in previous.coauthors.items()}

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
    def coauthors(self) -> dict[str, list[Author]]:
        """Each author's co-authors (by slug), in the order of their page."""
        return author_site.coauthor_lists(self.authors)

    @cached_property
    def author_pages_shown(self) -> dict[str, tuple[object, ...]]:
        """What each author's page shows (by slug): the author, the slugs and names of the co-authors it names,
        and how many it has (the preview compares these between two versions of the catalog)."""
        shown = author_site.COAUTHORS_SHOWN
        return {author.slug: (author, tuple((other.slug, other.name) for other in self.coauthors[author.slug][:shown]),
                              len(self.coauthors[author.slug])) for author in self.authors}

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

    @cached_property
    def emotion_papers(self) -> list[Paper]:
        """The newest papers on emotion (topics emotion-mllm and emotion-benchmark), surveys aside."""
        emotion = [p for p in self.papers if {"emotion-mllm", "emotion-benchmark"} & set(p.topics)
                   and "survey" not in p.topics]
        return emotion[:NEWEST]

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
