"""The one view of a catalog that every output shows: order, display names, dates, groups and counts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from emocat.catalog.loader import Catalog
from emocat.catalog.models import KINDS, MODALITIES, Benchmark, Dataset, Entry, Model, Paper, Vocabulary

# Sort keys of every output (README, site, feed, exports); every tie ends on the entry id, so output never depends
# on file-system order:
# - papers: date (year, month; unknown dates first), then title, compared naturally (2 < 10);
#   sorted_papers(newest_first=True) reverses the date but keeps titles A-Z.
# - models, datasets: name, compared naturally and case-insensitively.
# - benchmarks: task name, then benchmark name.
# - organisations: display name; models without one come last, under "Other".
# - results (leaderboard): value of the metric, best first (respecting higher_is_better), then model name
#   (case-insensitive), setting and source.

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


#: Order of kinds wherever several kinds are listed together.
KIND_ORDER = {cls.kind: index for index, cls in enumerate(KINDS.values())}

def newest(catalog: Catalog, limit: int) -> list[Entry]:
    """The most recently added entries, newest first; ties by kind, then id."""
    return sorted(catalog.entries(), key=lambda e: (-e.added.toordinal(), KIND_ORDER[e.kind], e.id))[:limit]


def by_kind(entries: Iterable[Entry]) -> list[Entry]:
    """Entries in kind order (papers, datasets, benchmarks, models), then by id."""
    return sorted(entries, key=lambda e: (KIND_ORDER[e.kind], e.id))
