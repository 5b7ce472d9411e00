"""Render context shared by the README and the site (what is listed where, in which order), and the README."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from emocat import boards
from emocat.boards import Line, MetricView
from emocat.errors import CatalogError, UsageError
from emocat.files import atomic_write
from emocat.loader import Catalog, Locator, without_cyclic_gc
from emocat.models import (
    MODALITIES,
    Benchmark,
    CatalogMeta,
    Dataset,
    Entry,
    Model,
    Paper,
    Section,
    Vocabulary,
)
from emocat.templating import environment

# Templates only lay out what the builders below decide (templates/README.md.j2, templates/readme/<section>.md.j2,
# entry partials in templates/partials/). Sort keys; every tie ends on the entry id, so output never depends
# on file-system order:
# - papers: date (year, month; unknown dates first), then title, compared naturally (2 < 10);
#   sorted_papers(newest_first=True) reverses the date but keeps titles A-Z.
# - models, datasets: name, compared naturally and case-insensitively.
# - benchmarks: task name, then benchmark name.
# - organisations: display name; models without one come last, under "Other".
# - results (leaderboard): value of the metric, best first (respecting higher_is_better), then model name
#   (case-insensitive), setting and source.

README_TEMPLATE = "README.md.j2"
README_FILE = "README.md"

#: The README's sections when ``catalog.yaml`` has no ``sections``: (id, title), in upstream order.
#: Each entry is listed in the first section that claims it: papers by topic (``milestone``, ``survey``;
#: the catalog's own survey goes to the citation), the rest to ``papers``; models with the topic
#: ``emotion-mllm`` to ``emotion-llms``, the rest to ``open-llm`` (closed-weight ones only when the trending
#: list does not show them); datasets and benchmarks to their own.
DEFAULT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("trending", "Trending projects"),
    ("milestone-papers", "Milestone papers"),
    ("open-llm", "Open LLMs"),
    ("emotion-llms", "LLMs for emotion recognition"),
    ("papers", "Emotion papers"),
    ("datasets", "Datasets"),
    ("benchmarks", "Benchmarks"),
    ("other-surveys", "Other surveys"),
    ("citation", "Citation"),
)
CITATION = DEFAULT_SECTIONS[-1]
SECTION_IDS = tuple(section_id for section_id, _ in DEFAULT_SECTIONS)

#: Headings the template adds after the catalog's sections (awesome-lint keeps "Contributing" out of the ToC).
CONTRIBUTING_TITLE = "Contributing"
QUICK_START_TITLE = "Quick start"

#: Labels of external links, in the order they are shown.
LINK_LABELS: dict[str, str] = {
    "paper": "Paper",
    "pdf": "PDF",
    "arxiv": "arXiv",
    "doi": "DOI",
    "code": "Code",
    "project": "Project",
    "huggingface": "Hugging Face",
    "data": "Data",
    "demo": "Demo",
    "blog": "Blog",
}

#: Which link is an entry's "main" external link (trending list, paper cells), by kind.
PRIMARY_ORDER: dict[str, tuple[str, ...]] = {
    "paper": ("paper", "pdf", "arxiv", "doi", "project", "code", "huggingface", "blog", "demo", "data"),
    "model": ("code", "huggingface", "project", "blog", "paper", "demo", "pdf", "data"),
    "dataset": ("data", "project", "code", "huggingface", "paper", "pdf", "blog", "demo"),
    "benchmark": ("project", "code", "data", "paper", "huggingface", "pdf", "blog", "demo"),
}

#: Dataset groups of the README: (key, title). See :func:`dataset_group`.
DATASET_GROUPS: tuple[tuple[str, str], ...] = (
    ("categorical", "Emotion category datasets"),
    ("descriptive", "Emotion description datasets"),
    ("in-the-wild", "Sentiment, dialogue and egocentric datasets"),
)

BADGE_COLOURS = {"papers": "blue", "datasets": "green", "benchmarks": "orange", "models": "blueviolet"}


# --- small values the templates use -------------------------------------------------------------


@dataclass(slots=True)
class Link:
    """A labelled URL; ``url`` is empty when the target is already linked earlier in the document.

    A code link carries what ``emocat enrich`` last recorded about its repository (``stars``, ``archived``),
    so the README can mark it; ``None``/``False`` when unknown. Not frozen (a frozen dataclass is several
    times slower to create, and a README makes tens of thousands); nothing changes a link once made.
    """

    label: str
    url: str
    stars: int | None = None
    archived: bool = False


@dataclass(frozen=True, slots=True)
class Badge:
    """A shields-style count badge: a static image URL and the page it links to."""

    label: str
    count: int
    image: str
    target: str


@dataclass
class Heading:
    """A heading of the README with its GitHub anchor (``#...``) and its sub-headings."""

    title: str
    anchor: str
    children: list[Heading] = field(default_factory=list)


@dataclass(slots=True)
class Row:
    """One entry as shown in a list or table, with everything derived that the partials need.

    ``label`` is the entry's title or name. ``page`` is its site page; ``links`` its external links. Either may be
    left out (``None`` / missing) when the same URL was linked earlier in the document (see :class:`LinkLedger`).
    Only what the README shows is claimed in the ledger: ``paper``/``paper_links`` only for models in tables.
    """

    entry: Any
    label: str = ""
    page: str | None = None
    main: Link | None = None
    links: list[Link] = field(default_factory=list)
    date: str = ""
    modalities: Sequence[str] = ()
    institutions: Sequence[str] = ()
    facts: str = ""
    languages: Sequence[str] = ()
    task: str = ""
    datasets: Sequence[str] = ()
    paper: Link | None = None
    paper_links: list[Link] = field(default_factory=list)
    metric: MetricView | None = None
    top: Sequence[Line] = ()
    results: int = 0
    leaderboard: str | None = None


@dataclass
class Group:
    """Rows under one label (an organisation, a kind of dataset)."""

    key: str
    title: str
    rows: list[Row]
    anchor: str = ""


@dataclass
class RenderedSection:
    """A README section: heading, optional intro, rows or groups, and the template that lays it out."""

    id: str
    title: str
    anchor: str
    intro: str | None
    template: str
    rows: list[Row] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    text: str = ""
    fence: str = "```"

    @property
    def empty(self) -> bool:
        return not (self.rows or self.groups or self.text)


# --- addresses ----------------------------------------------------------------------------------


def site_base(meta: CatalogMeta) -> str:
    """The site URL, ending in exactly one slash."""
    return meta.site_url.rstrip("/") + "/"


def entry_url(meta: CatalogMeta, entry: Entry) -> str:
    """The entry's page on the site: ``{site_url}{folder}/{id}/``."""
    return f"{site_base(meta)}{entry.folder}/{entry.id}/"


def index_url(meta: CatalogMeta, folder: str) -> str:
    """The site's index page of one kind (``papers``, ``datasets``, ``benchmarks``, ``models``)."""
    return f"{site_base(meta)}{folder}/"


def leaderboard_url(meta: CatalogMeta, benchmark: Benchmark) -> str:
    """The full leaderboard: the ``#leaderboard`` section of the benchmark's page."""
    return entry_url(meta, benchmark) + "#leaderboard"


def badge_image(label: str, message: str, colour: str) -> str:
    """A static shields.io badge URL (nothing is fetched at build time); ``-``, ``_``, space escaped."""

    def part(text: str) -> str:
        return text.replace("-", "--").replace("_", "__").replace(" ", "_")

    return f"https://img.shields.io/badge/{part(label)}-{part(message)}-{colour}"


#: Position of each link name in :data:`LINK_LABELS`.
_LINK_RANK = {name: rank for rank, name in enumerate(LINK_LABELS)}


def _link_map(entry: Entry) -> dict[str, Link]:
    """The entry's external links by name, in :data:`LINK_LABELS` order; papers gain arXiv and DOI links."""
    # Plain reads of the set links only, ranked as (rank, name, url) so that the sort compares plain ints:
    # this runs for every entry of the README.
    found = [(_LINK_RANK[name], name, url) for name, url in entry.links.__dict__.items() if url]
    if isinstance(entry, Paper) and (entry.arxiv or entry.doi):
        # Add an arXiv/DOI link unless a given link already points at it (abs, pdf, doi.org ...).
        given = " ".join([url for _, _, url in found]).lower()
        if entry.arxiv and entry.arxiv.lower() not in given:
            found.append((_LINK_RANK["arxiv"], "arxiv", f"https://arxiv.org/abs/{entry.arxiv}"))
        if entry.doi and entry.doi.lower() not in given:
            found.append((_LINK_RANK["doi"], "doi", f"https://doi.org/{entry.doi}"))
    if len(found) > 1:
        found.sort()
    links = {name: Link(LINK_LABELS[name], url) for _, name, url in found}
    repository = entry.__dict__.get("repository")  # papers and models have one (getattr on others is slow)
    if repository is not None and "code" in links and (repository.stars is not None or repository.archived):
        links["code"] = replace(links["code"], stars=repository.stars, archived=bool(repository.archived))
    return links


def external_links(entry: Entry) -> list[Link]:
    """The entry's external links in :data:`LINK_LABELS` order (papers: with arXiv/DOI links they lack)."""
    return list(_link_map(entry).values())


def primary_link(entry: Entry) -> Link | None:
    """The one external link that best stands for the entry (see :data:`PRIMARY_ORDER`)."""
    links = _link_map(entry)
    return next((links[name] for name in PRIMARY_ORDER[entry.kind] if name in links), None)


_SCHEME_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^/?#@]*@)?(?:www\.)?([^/?#]*)")
_DIRECTORY_INDEX = re.compile(r"/index\.[a-z]+$")



def link_key(url: str) -> str:
    """A URL reduced the way awesome-lint compares links (ignores scheme, ``www.``, case, trailing slash).

    Plain string operations: this runs once per link of the README, 10,000s of times for a large catalog.
    """
    text = url.strip().lower()
    # Most links are plain ``https://host/path``: nothing to drop but the scheme, ``www.`` and a trailing slash.
    rest = text[8:] if text.startswith("https://") else text[7:] if text.startswith("http://") else ""
    # Plain ``in`` tests (several times faster than a regex search): user info, a port, an escape, a query,
    # a fragment, an empty path segment or a directory index need the full rules.
    if rest and not (
        "@" in rest or ":" in rest or "%" in rest or "?" in rest or "#" in rest or "//" in rest or "/index." in rest
    ):
        return rest.removeprefix("www.").rstrip("/") + "?#"
    return _link_key(text)


def _link_key(text: str) -> str:
    """:func:`link_key` of a stripped, lower-case URL, whatever its form."""
    match = _SCHEME_HOST.match(text)
    if match is None:
        return text
    host = match.group(1).removesuffix(":80").removesuffix(":443")
    rest, _, fragment = text[match.end():].partition("#")
    path, _, query = rest.partition("?")
    if "%" in path:
        path = unquote(path)
    while "//" in path:
        path = path.replace("//", "/")
    if "/index." in path:
        path = _DIRECTORY_INDEX.sub("/", path)
    path = path.rstrip("/")
    if query:
        query = "&".join(sorted(q for q in query.split("&") if q and not q.startswith("utm_")))
    return f"{host}{path}?{query}#{fragment}"


class LinkLedger:
    """The URLs a document has linked so far, so that each is linked once (awesome-lint's double-link rule).

    A reader loses nothing: the first link to a URL is kept, later ones fall back to plain text.
    Without a ledger (``None`` in the builders) every link is kept, as the site wants.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._seen = {link_key(url) for url in reserved}

    def claim(self, url: str) -> bool:
        """True (and remember it) if ``url`` was not linked before."""
        seen = self._seen
        before = len(seen)
        seen.add(link_key(url))
        return len(seen) > before  # one hash lookup where `in` then `add` take two


def _claim(ledger: LinkLedger | None, url: str | None) -> str | None:
    if url is None:
        return None
    return url if ledger is None or ledger.claim(url) else None


def _claim_links(ledger: LinkLedger | None, links: list[Link]) -> list[Link]:
    return links if ledger is None else [link for link in links if ledger.claim(link.url)]


# --- ordering -----------------------------------------------------------------------------------


_DIGIT_RUNS = re.compile(r"[0-9]+")


def _digit_run(match: re.Match[str]) -> str:
    # A digit run sorts before any text at the same place (no valid text holds U+0000), then by value:
    # shorter runs (leading zeros dropped) are smaller, equal lengths compare digit by digit.
    digits = match.group().lstrip("0")
    return f"\x00{chr(len(digits) + 1)}{digits}"


def natural_key(text: str) -> str:
    """Case-insensitive key that orders digit runs by value (``Llama 2`` < ``Llama 10``).

    One string rather than a tuple of parts: sorting thousands of titles compares keys often, and
    strings compare far faster than nested tuples.
    """
    return _DIGIT_RUNS.sub(_digit_run, text.casefold())


def paper_date(paper: Paper) -> str:
    """``YYYY-MM``, ``YYYY`` or ``""``."""
    if paper.year is None:
        return ""
    return f"{paper.year}-{paper.month:02d}" if paper.month else str(paper.year)


def _paper_key(paper: Paper) -> tuple[Any, ...]:
    return (paper.year or 0, paper.month or 0, natural_key(paper.title), paper.id)


def sorted_papers(catalog: Catalog, *, newest_first: bool = False) -> list[Paper]:
    """Papers by date (unknown first), then title; ``newest_first`` reverses the date only."""
    papers = sorted(catalog.papers.values(), key=_paper_key)
    if newest_first:
        papers.sort(key=lambda p: (p.year or 0, p.month or 0), reverse=True)  # stable: titles stay A→Z
    return papers


def sorted_models(catalog: Catalog) -> list[Model]:
    """Models by name."""
    return sorted(catalog.models.values(), key=lambda m: (natural_key(m.name), m.id))


def sorted_datasets(catalog: Catalog) -> list[Dataset]:
    """Datasets by name."""
    return sorted(catalog.datasets.values(), key=lambda d: (natural_key(d.name), d.id))


def sorted_benchmarks(catalog: Catalog) -> list[Benchmark]:
    """Benchmarks by task name, then name."""

    def key(bench: Benchmark) -> tuple[Any, ...]:
        return (
            natural_key(term_name(catalog.vocabulary, "tasks", bench.task)),
            natural_key(bench.name),
            bench.id,
        )

    return sorted(catalog.benchmarks.values(), key=key)


def term_name(vocabulary: Vocabulary, kind: str, slug: str | None) -> str:
    """The display name of a vocabulary slug (``organisations``, ``tasks``, ...); else the slug itself."""
    if not slug:
        return ""
    terms = getattr(vocabulary, kind)
    term = terms.get(slug)
    return term.name if term is not None else slug


_WEIGHTS = {True: "open weights", False: "closed weights", None: ""}


def model_facts(model: Model, modalities: Sequence[str]) -> str:
    """What the model lists say after a model's name, as plain text: modalities, sizes, weights, release.

    For example ``text, video; 7B, 72B; open weights; released 2024-01`` (the template makes it a sentence).
    """
    parts = (", ".join(modalities).lower(), ", ".join(model.sizes), _WEIGHTS[model.open_weights],
             f"released {model.release}" if model.release else "")
    return "; ".join(part for part in parts if part) or "listed without further details"


def modality_names(modalities: Iterable[str]) -> tuple[str, ...]:
    """Modalities in the canonical order (text, image, audio, video), capitalised."""
    return _modality_names(tuple(modalities))


@cache
def _modality_names(modalities: tuple[str, ...]) -> tuple[str, ...]:
    # At most a few dozen distinct lists, met once per entry of the README.
    return tuple(m.capitalize() for m in MODALITIES if m in modalities)


def models_by_organisation(catalog: Catalog, models: Iterable[Model]) -> list[tuple[str, str, list[Model]]]:
    """Group models as (organisation slug, display name, models), by display name; "Other" last."""
    groups: dict[str, list[Model]] = {}
    for model in models:
        groups.setdefault(model.organisation or "", []).append(model)
    named = sorted(
        (k for k in groups if k),
        key=lambda k: (natural_key(term_name(catalog.vocabulary, "organisations", k)), k),
    )
    out = [(k, term_name(catalog.vocabulary, "organisations", k), groups[k]) for k in named]
    if "" in groups:
        out.append(("", "Other", groups[""]))
    return out


def counts(catalog: Catalog) -> dict[str, int]:
    """Number of entries of each kind, and of published results."""
    return {
        "papers": len(catalog.papers),
        "datasets": len(catalog.datasets),
        "benchmarks": len(catalog.benchmarks),
        "models": len(catalog.models),
        "results": sum(len(b.results) for b in catalog.benchmarks.values()),
    }


def dataset_group(dataset: Dataset) -> str:
    """Which README table a dataset belongs to, by what readers compare it on.

    ``descriptive``: free-text emotion descriptions (label type ``descriptive`` or ``descriptions: true``);
    ``categorical``: emotion categories or dimensions, not egocentric; ``in-the-wild``: the rest
    (sentiment intensity, egocentric video, datasets without a label type).
    """
    if dataset.label_type == "descriptive" or dataset.descriptions:
        return "descriptive"
    if dataset.label_type in ("categorical", "dimensional") and not dataset.egocentric:
        return "categorical"
    return "in-the-wild"


# --- rows ---------------------------------------------------------------------------------------


def entry_row(
    catalog: Catalog,
    entry: Entry,
    ledger: LinkLedger | None = None,
    *,
    main_external: bool = False,
    list_item: bool = False,
) -> Row:
    """Everything a partial shows about ``entry``.

    In a list item only the first (main) link counts as a link of the document: awesome-lint ignores
    the links after it. So with ``list_item`` the external links are kept even if linked before, and
    with ``main_external`` the main link is the primary external link (trending list), the site page
    following it.
    """
    meta = _meta(catalog)
    vocab = catalog.vocabulary
    row = Row(entry=entry, label=entry.label)
    if isinstance(entry, (Paper, Model, Dataset)):
        row.modalities = modality_names(entry.modalities)
    if isinstance(entry, Model):
        row.facts = model_facts(entry, row.modalities)
    if main_external:
        primary = primary_link(entry)
        row.page = entry_url(meta, entry)
        if primary is not None and _claim(ledger, primary.url):
            row.main = primary
        else:
            row.main = Link(entry.label, row.page) if _claim(ledger, row.page) else None
        return row
    row.page = _claim(ledger, entry_url(meta, entry))
    row.links = external_links(entry) if list_item else _claim_links(ledger, external_links(entry))
    if isinstance(entry, Paper):
        row.date = paper_date(entry)
        row.institutions = [term_name(vocab, "organisations", slug) for slug in entry.institutions]
    elif isinstance(entry, Model):
        if not list_item:  # the open-LLM list does not show papers, so nothing is claimed for them
            row.paper, row.paper_links = _paper_links(catalog, entry.paper, ledger)
    elif isinstance(entry, Dataset):
        row.languages = [term_name(vocab, "languages", slug) for slug in entry.languages]
    elif isinstance(entry, Benchmark):
        row.task = term_name(vocab, "tasks", entry.task)
        row.datasets = [catalog.datasets[d].name if d in catalog.datasets else d for d in entry.datasets]
        board = boards.board(catalog, entry)
        row.metric = board.main
        row.top = board.top()
        row.results = len(entry.results)
        # Linked only when there is something to see there (the page always has the section).
        row.leaderboard = _claim(ledger, leaderboard_url(meta, entry)) if entry.results else None
    return row


def _paper_links(catalog: Catalog, paper_id: str | None, ledger: LinkLedger | None) -> tuple[Link | None, list[Link]]:
    """The paper an entry comes from: its title linked to its site page, and its main external link.

    Either URL is dropped (title as plain text, no external link) when already linked in the document.
    """
    paper = catalog.papers.get(paper_id) if paper_id else None
    if paper is None:
        return None, []
    page = _claim(ledger, entry_url(_meta(catalog), paper))
    primary = primary_link(paper)
    external = [primary] if primary is not None and _claim(ledger, primary.url) else []
    return Link(paper.title, page or ""), external


def _meta(catalog: Catalog) -> CatalogMeta:
    if catalog.meta is None:
        raise UsageError(
            f"{catalog.root / 'catalog.yaml'}: the catalog has no valid catalog.yaml; run emocat check"
        )
    return catalog.meta


# --- sections -----------------------------------------------------------------------------------


@dataclass
class _Plan:
    """Which entries each section lists: every entry has one home section (the first that claims it)."""

    papers: dict[str, list[Paper]] = field(default_factory=dict)
    models: dict[str, list[Model]] = field(default_factory=dict)


def _plan(catalog: Catalog, present: set[str]) -> _Plan:
    meta = _meta(catalog)
    plan = _Plan()
    citing = "citation" in present and meta.survey in catalog.papers
    for paper in sorted_papers(catalog):
        if citing and paper.id == meta.survey:
            continue
        if "milestone" in paper.topics and "milestone-papers" in present:
            plan.papers.setdefault("milestone-papers", []).append(paper)
        elif "survey" in paper.topics and "other-surveys" in present:
            plan.papers.setdefault("other-surveys", []).append(paper)
        elif "papers" in present:
            plan.papers.setdefault("papers", []).append(paper)
    trending = set(meta.trending) if "trending" in present else set()
    for model in sorted_models(catalog):
        if "emotion-mllm" in model.topics and "emotion-llms" in present:
            plan.models.setdefault("emotion-llms", []).append(model)
        elif model.open_weights is False and model.id in trending:
            continue  # a closed model does not belong under open LLMs when the trending list shows it
        elif "open-llm" in present:
            plan.models.setdefault("open-llm", []).append(model)
    return plan


_Builder = Callable[[Catalog, RenderedSection, _Plan, LinkLedger], None]


def _build_trending(catalog: Catalog, section: RenderedSection, plan: _Plan, ledger: LinkLedger) -> None:
    for entry_id in _meta(catalog).trending:
        entry = catalog.get(entry_id)
        if entry is not None:
            section.rows.append(entry_row(catalog, entry, ledger, main_external=True))


def _build_papers(key: str, newest_first: bool) -> _Builder:
    def build(catalog: Catalog, section: RenderedSection, plan: _Plan, ledger: LinkLedger) -> None:
        papers = plan.papers.get(key, [])
        if newest_first:
            papers = sorted(papers, key=lambda p: (p.year or 0, p.month or 0), reverse=True)
        section.rows = [entry_row(catalog, paper, ledger) for paper in papers]

    return build


def _build_open_llms(catalog: Catalog, section: RenderedSection, plan: _Plan, ledger: LinkLedger) -> None:
    for slug, name, models in models_by_organisation(catalog, plan.models.get("open-llm", [])):
        section.groups.append(
            Group(slug or "other", name, [entry_row(catalog, m, ledger, list_item=True) for m in models])
        )


def _build_emotion_llms(catalog: Catalog, section: RenderedSection, plan: _Plan, ledger: LinkLedger) -> None:
    section.rows = [entry_row(catalog, model, ledger) for model in plan.models.get("emotion-llms", [])]


def _build_datasets(catalog: Catalog, section: RenderedSection, plan: _Plan, ledger: LinkLedger) -> None:
    by_group: dict[str, list[Dataset]] = {}
    for dataset in sorted_datasets(catalog):
        by_group.setdefault(dataset_group(dataset), []).append(dataset)
    for key, title in DATASET_GROUPS:
        if key in by_group:
            section.groups.append(Group(key, title, [entry_row(catalog, d, ledger) for d in by_group[key]]))


def _build_benchmarks(catalog: Catalog, section: RenderedSection, plan: _Plan, ledger: LinkLedger) -> None:
    section.rows = [entry_row(catalog, bench, ledger) for bench in sorted_benchmarks(catalog)]


def _build_citation(catalog: Catalog, section: RenderedSection, plan: _Plan, ledger: LinkLedger) -> None:
    meta = _meta(catalog)
    section.text = meta.citation or ""
    longest = max((len(run) for run in re.findall(r"`+", section.text)), default=0)
    section.fence = "`" * max(3, longest + 1)  # a fence the citation cannot close
    survey = catalog.papers.get(meta.survey) if meta.survey else None
    if survey is not None:
        section.rows = [entry_row(catalog, survey, ledger)]


SECTION_BUILDERS: dict[str, _Builder] = {
    "trending": _build_trending,
    "milestone-papers": _build_papers("milestone-papers", newest_first=False),
    "open-llm": _build_open_llms,
    "emotion-llms": _build_emotion_llms,
    "papers": _build_papers("papers", newest_first=True),
    "datasets": _build_datasets,
    "benchmarks": _build_benchmarks,
    "other-surveys": _build_papers("other-surveys", newest_first=True),
    "citation": _build_citation,
}


def configured_sections(catalog: Catalog) -> list[Section]:
    """The README's sections: ``catalog.yaml`` ``sections`` if given, else :data:`DEFAULT_SECTIONS`.

    The citation comes last when ``sections`` does not place it. An unknown or repeated section id
    is an error located in ``catalog.yaml``.
    """
    meta = _meta(catalog)
    if not meta.sections:
        return [Section(id=section_id, title=title) for section_id, title in DEFAULT_SECTIONS]
    problems = []
    locator = Locator()
    path = catalog.root / "catalog.yaml"
    seen: set[str] = set()
    for index, section in enumerate(meta.sections):
        if section.id not in SECTION_BUILDERS:
            close = difflib.get_close_matches(section.id, SECTION_IDS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            problems.append(
                locator.problem(
                    path,
                    ["sections", index, "id"],
                    f"unknown section {section.id!r}{hint} (known: {', '.join(SECTION_IDS)})",
                    "unknown-section",
                )
            )
        elif section.id in seen:
            problems.append(
                locator.problem(
                    path,
                    ["sections", index, "id"],
                    f"the section {section.id!r} is listed twice",
                    "duplicate-section",
                )
            )
        seen.add(section.id)
    if problems:
        raise CatalogError(problems)
    sections = list(meta.sections)
    if CITATION[0] not in seen:
        sections.append(Section(id=CITATION[0], title=CITATION[1]))
    return sections


class Slugger:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def slug(self, title: str) -> str:
        base = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        slug = base
        while slug in self._counts:
            self._counts[base] += 1
            slug = f"{base}-{self._counts[base]}"
        self._counts[slug] = 0
        return slug


def readme_context(catalog: Catalog) -> dict[str, Any]:
    """Everything ``README.md.j2`` needs; sections are built in page order so each URL is linked once."""
    meta = _meta(catalog)
    numbers = counts(catalog)
    badges = [
        Badge(kind, numbers[kind], badge_image(kind, str(numbers[kind]), colour), index_url(meta, kind))
        for kind, colour in BADGE_COLOURS.items()
    ]
    ledger = LinkLedger(
        ["https://awesome.re", site_base(meta), "CONTRIBUTING.md", *(b.target for b in badges)]
    )
    slugger = Slugger()
    slugger.slug(meta.title)
    slugger.slug("Contents")
    configured = configured_sections(catalog)
    plan = _plan(catalog, {s.id for s in configured})
    sections: list[RenderedSection] = []
    for config in configured:
        section = RenderedSection(config.id, config.title, "", config.intro, f"readme/{config.id}.md.j2")
        SECTION_BUILDERS[config.id](catalog, section, plan, ledger)
        if section.empty:
            continue
        section.anchor = slugger.slug(section.title)
        for group in section.groups:
            if config.id != "open-llm":  # organisations are <details> blocks, not headings
                group.anchor = slugger.slug(group.title)
        sections.append(section)
    contributing = Heading(CONTRIBUTING_TITLE, slugger.slug(CONTRIBUTING_TITLE))
    quick_start = Heading(QUICK_START_TITLE, slugger.slug(QUICK_START_TITLE))
    toc = [
        Heading(s.title, s.anchor, [Heading(g.title, g.anchor) for g in s.groups if g.anchor])
        for s in sections
    ]
    return {
        "meta": meta,
        "site": site_base(meta),
        "counts": numbers,
        "badges": badges,
        "sections": sections,
        "toc": [*toc, quick_start],
        "contributing": contributing,
        "quick_start": quick_start,
    }


# --- tables -------------------------------------------------------------------------------------

#: A table: a header line, a delimiter row (``[^\S\n]`` is whitespace within the line), then its ``|`` lines.
_TABLE = re.compile(r"^\|[^\n]*\n\|(?:[^\S\n]*:?-+:?[^\S\n]*\|)+[^\S\n]*$(?:\n\|[^\n]*)*", re.MULTILINE)
_CELL_SPLIT = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def _width(text: str) -> int:
    """Length in UTF-16 code units: the unit remark-lint measures table cells in."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    if "\\" in body:
        parts = _CELL_SPLIT.split(body)
        # split() with one group yields [cell, escapes, cell, ...]; glue the backslashes back on.
        cells = [parts[i] + (parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    else:
        cells = body.split("|")
    if cells and not cells[-1].strip():
        cells.pop()
    return list(map(str.strip, cells))


def align_tables(markdown: str) -> str:
    """Pad the cells of every GFM table so its pipes line up (awesome-lint's table-pipe-alignment).

    A table is a line starting with ``|``, a delimiter row, and the ``|`` lines after them. Only whitespace
    and the dashes of the delimiter row change; cell contents stay as rendered. Columns whose delimiter
    ends in ``:`` are right-aligned.
    """
    return _TABLE.sub(_align_table, markdown)  # text between tables is copied as it is, never split into lines


def _align_table(match: re.Match[str]) -> str:
    table = match.group()
    header, separator, *body = table.split("\n")
    return "\n".join(_align(header, separator, body, narrow=_width(table) == len(table)))


def _align(header: str, separator: str, body: Sequence[str], *, narrow: bool = False) -> list[str]:
    """The table's lines, padded; ``narrow``: known to hold no character beyond the BMP (saves a test per line)."""
    head = _cells(header)
    columns = len(head)
    right = [c.endswith(":") and not c.startswith(":") for c in _cells(separator)]
    right = (right + [False] * columns)[:columns]
    rows = [head, *map(_cells, body)]
    # Cells beyond the header's are dropped (GitHub ignores them too); missing ones are empty.
    rows = [row[:columns] if len(row) >= columns else row + [""] * (columns - len(row)) for row in rows]
    # A character beyond the BMP is one character but two UTF-16 units; most rows have none, and then
    # str.ljust/rjust pad them right.
    astral = [False] * len(rows) if narrow else [_width(line) != len(line) for line in (header, *body)]
    sizes = [list(map(_width if wide else len, row)) for row, wide in zip(rows, astral, strict=True)]
    widths = [max(3, *column) for column in zip(*sizes, strict=True)]
    right_columns = [column for column, at_right in enumerate(right) if at_right]
    out = []
    for row, row_sizes, wide in zip(rows, sizes, astral, strict=True):
        if wide:
            padded = [
                " " * (width - size) + cell if at_right else cell + " " * (width - size)
                for cell, size, width, at_right in zip(row, row_sizes, widths, right, strict=True)
            ]
        else:
            padded = list(map(str.ljust, row, widths))
            for column in right_columns:
                padded[column] = row[column].rjust(widths[column])
        out.append("| " + " | ".join(padded) + " |")
    rule = [("-" * (w - 1) + ":") if r else "-" * w for w, r in zip(widths, right, strict=True)]
    out.insert(1, "| " + " | ".join(rule) + " |")
    return out


# --- README ---------------------------------------------------------------------------------------


def render_readme(catalog: Catalog, project_dir: Path | None = None) -> str:
    """The README text for ``catalog``, using the templates of ``project_dir`` (or the packaged ones).

    The cycle collector is paused meanwhile: the rows and strings built here are acyclic, and at 10,000
    entries the collector spent more time walking the loaded catalog than rendering took.
    """
    template = environment(project_dir).get_template(README_TEMPLATE)
    with without_cyclic_gc():
        text = template.render(readme_context(catalog))
        while "\n\n\n" in text:  # templates may leave blank runs where optional parts are absent
            text = text.replace("\n\n\n", "\n\n")  # (plain replace: a regex scan of megabytes is slower)
        return align_tables(text).rstrip("\n") + "\n"


def readme_path(project_dir: Path, output: Path | None = None) -> Path:
    return output if output is not None else project_dir / README_FILE


def write_readme(catalog: Catalog, project_dir: Path, output: Path | None = None) -> Path:
    """Render and write the README atomically; return where it was written."""
    path = readme_path(project_dir, output)
    atomic_write(path, render_readme(catalog, project_dir))
    return path


def readme_diff(catalog: Catalog, project_dir: Path, output: Path | None = None) -> str:
    """A unified diff from the README on disk to the one the catalog renders; empty when current."""
    path = readme_path(project_dir, output)
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        current = ""
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read it ({exc})") from None
    expected = render_readme(catalog, project_dir)
    if current == expected:
        return ""
    name = str(path)
    diff = difflib.unified_diff(
        current.splitlines(keepends=True),
        expected.splitlines(keepends=True),
        fromfile=f"{name} (on disk)",
        tofile=f"{name} (from the catalog)",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in diff
    )
