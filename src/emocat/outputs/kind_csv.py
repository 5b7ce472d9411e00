"""One CSV per entry kind, with that kind's own fields as columns (``papers.csv``, ``datasets.csv``, ...)."""

from __future__ import annotations

import csv
import io
from typing import Any

from emocat.catalog.loader import Catalog
from emocat.catalog.models import KINDS, Benchmark, Entry, Links, Repository
from emocat.outputs.export import _cell

#: Kinds by the singular name ``--kind`` takes.
KIND_NAMES = {"paper": "papers", "dataset": "datasets", "benchmark": "benchmarks", "model": "models"}
#: Fields that are not one value: written as columns of their own below, or summarised.
_NESTED = {"links", "repository", "metrics", "results", "description", "abstract"}
_LINK_COLUMNS = tuple(f"link_{name}" for name in Links.model_fields)
_REPOSITORY_COLUMNS = tuple(f"repository_{name}" for name in Repository.model_fields)


def columns(folder: str) -> tuple[str, ...]:
    """The columns of one kind's CSV: id, the kind's own fields in schema order, then summaries and links."""
    model = KINDS[folder]
    own = [name for name in model.model_fields if name not in _NESTED and name not in ("id", "added")]
    extra: list[str] = []
    if folder == "benchmarks":
        extra = ["main_metric", "higher_is_better", "metrics", "results"]
    if "repository" in model.model_fields:
        extra += _REPOSITORY_COLUMNS
    return ("id", *own, *extra, "description", *(["abstract"] if folder == "papers" else []),
            *_LINK_COLUMNS, "referenced_by", "added")


def _value(catalog: Catalog, entry: Entry, column: str) -> Any:
    if column.startswith("link_"):
        return getattr(entry.links, column.removeprefix("link_"))
    if column.startswith("repository_"):
        repository = getattr(entry, "repository", None)
        return getattr(repository, column.removeprefix("repository_")) if repository else None
    if column == "referenced_by":
        return sorted({source for _, source in catalog.referrers.get(entry.id, [])})
    if isinstance(entry, Benchmark):
        terms = catalog.vocabulary.metrics
        main = terms.get(entry.main_metric) if entry.main_metric else None
        if column == "main_metric":
            return main.name if main else entry.main_metric
        if column == "higher_is_better":
            return main.higher_is_better if main else None
        if column == "metrics":
            return [terms[metric].name if metric in terms else metric for metric in entry.metrics]
        if column == "results":
            return len(entry.results)
    return getattr(entry, column, None)


def export_kind_csv(catalog: Catalog, folder: str) -> str:
    """One kind's entries (sorted by id), lists joined with "; ", UTF-8 with a byte-order mark."""
    if folder not in KINDS:
        raise ValueError(f"unknown kind {folder!r}")
    names = columns(folder)
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(names)
    for entry in sorted(catalog.by_kind(folder).values(), key=lambda e: e.id):
        writer.writerow([_cell(_value(catalog, entry, column)) for column in names])
    return "\ufeff" + buffer.getvalue()


def kind_csv_files(catalog: Catalog) -> dict[str, str]:
    """``papers.csv``, ``datasets.csv``, ``benchmarks.csv`` and ``models.csv`` for the site's downloads."""
    return {f"{folder}.csv": export_kind_csv(catalog, folder) for folder in KINDS}
