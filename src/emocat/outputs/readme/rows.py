"""What a README partial shows about one entry (a row), and the groups and sections that hold rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from emocat.catalog.addresses import entry_url, leaderboard_url
from emocat.catalog.linkset import Link, LinkLedger, claim_links, claim_url, external_links, primary_link
from emocat.catalog.loader import Catalog
from emocat.catalog.models import Benchmark, CatalogMeta, Dataset, Entry, Model, Paper
from emocat.catalog.view import modality_names, model_facts, paper_date, term_name
from emocat.errors import UsageError
from emocat.outputs.leaderboard import MetricView, Place, metric_view, podium

#: Dataset groups of the README: (key, title). See :func:`dataset_group`.


DATASET_GROUPS: tuple[tuple[str, str], ...] = (
    ("categorical", "Emotion category datasets"),
    ("descriptive", "Emotion description datasets"),
    ("in-the-wild", "Sentiment, dialogue and egocentric datasets"),
    ("other", "Other datasets"),
)


BADGE_COLOURS = {"papers": "blue", "datasets": "green", "benchmarks": "orange", "models": "blueviolet"}


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
    top: Sequence[Place] = ()
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


def badge_image(label: str, message: str, colour: str) -> str:
    """A static shields.io badge URL (nothing is fetched at build time); ``-``, ``_``, space escaped."""

    def part(text: str) -> str:
        return text.replace("-", "--").replace("_", "__").replace(" ", "_")

    return f"https://img.shields.io/badge/{part(label)}-{part(message)}-{colour}"


def dataset_group(dataset: Dataset) -> str:
    """Which README table a dataset belongs to, by what readers compare it on.

    ``descriptive``: free-text emotion descriptions (label type ``descriptive`` or ``descriptions: true``);
    ``categorical``: emotion categories or dimensions, not egocentric; ``in-the-wild``: the rest
    (sentiment intensity, egocentric video, datasets without a label type); ``other``: a dataset with none
    of these emotion-specific fields (a catalog on another topic), compared on modalities and size only.
    """
    if dataset.label_type == "descriptive" or dataset.descriptions:
        return "descriptive"
    if dataset.label_type in ("categorical", "dimensional") and not dataset.egocentric:
        return "categorical"
    if (dataset.label_type is None and dataset.emotion_labels is None and dataset.egocentric is None
            and dataset.domain is None and dataset.hours is None and dataset.labelled_samples is None
            and dataset.annotation is None and dataset.emotion_classes is None):
        return "other"
    return "in-the-wild"


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
    meta = catalog_meta(catalog)
    vocab = catalog.vocabulary
    row = Row(entry=entry, label=entry.label)
    if isinstance(entry, (Paper, Model, Dataset)):
        row.modalities = modality_names(entry.modalities)
    if isinstance(entry, Model):
        row.facts = model_facts(entry, row.modalities)
    if main_external:
        primary = primary_link(entry)
        row.page = entry_url(meta, entry)
        if primary is not None and claim_url(ledger, primary.url):
            row.main = primary
        else:
            row.main = Link(entry.label, row.page) if claim_url(ledger, row.page) else None
        return row
    row.page = claim_url(ledger, entry_url(meta, entry))
    row.links = external_links(entry) if list_item else claim_links(ledger, external_links(entry))
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
        row.metric = metric_view(catalog, entry.metrics[0]) if entry.metrics else None
        row.top = podium(catalog, entry)
        row.results = len(entry.results)
        # Linked only when there is something to see there (the page always has the section).
        row.leaderboard = claim_url(ledger, leaderboard_url(meta, entry)) if entry.results else None
    return row


def _paper_links(catalog: Catalog, paper_id: str | None, ledger: LinkLedger | None) -> tuple[Link | None, list[Link]]:
    """The paper an entry comes from: its title linked to its site page, and its main external link.

    Either URL is dropped (title as plain text, no external link) when already linked in the document.
    """
    paper = catalog.papers.get(paper_id) if paper_id else None
    if paper is None:
        return None, []
    page = claim_url(ledger, entry_url(catalog_meta(catalog), paper))
    primary = primary_link(paper)
    external = [primary] if primary is not None and claim_url(ledger, primary.url) else []
    return Link(paper.title, page or ""), external


def catalog_meta(catalog: Catalog) -> CatalogMeta:
    if catalog.meta is None:
        raise UsageError(
            f"{catalog.root / 'catalog.yaml'}: the catalog has no valid catalog.yaml; run emocat check"
        )
    return catalog.meta
