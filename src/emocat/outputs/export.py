"""The whole catalog as JSON, CSV or BibTeX (``emocat export`` and the site's downloads)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Any

from emocat.catalog.loader import Catalog
from emocat.catalog.models import KINDS, Entry
from emocat.outputs.bibtex import papers_bibtex
from emocat.outputs.citations import papers_csl, papers_ris
from emocat.store.writer import canonical_data

FORMATS = ("bibtex", "json", "csv", "results-csv", "ris", "csl-json")

# Decimals travel through json.dumps as marked strings and are put back as bare numbers, so that a
# value is written exactly as the YAML had it (0.9036 stays 0.9036, 1.50 stays 1.50). The marker starts
# with a NUL, which JSON escapes and which no catalog text may contain.
_MARK = "\x00decimal:"
_MARKED = re.compile(r'"\\u0000decimal:([-+0-9.eE]+)"')

#: CSV columns, in order. A column an entry kind does not have stays empty.
CSV_COLUMNS = (
    "id", "kind", "name", "year", "month", "venue", "authors", "organisation", "family", "modalities",
    "tasks", "topics", "institutions", "arxiv", "doi", "samples", "emotion_classes", "label_type",
    "languages", "datasets", "paper", "release", "open_weights", "introduces", "uses", "referenced_by",
    "link_paper", "link_pdf", "link_code", "link_project", "link_huggingface", "link_data", "added",
)


def _entries(catalog: Catalog) -> list[Entry]:
    """Entries in a fixed order: by kind (papers, datasets, benchmarks, models), then id."""
    order = {folder: index for index, folder in enumerate(KINDS)}
    return sorted(catalog.entries(), key=lambda e: (order[e.folder], e.id))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return _MARK + str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value


def entry_record(catalog: Catalog, entry: Entry) -> dict[str, Any]:
    """One entry as plain data: id, kind, file, its fields, and who refers to it."""
    return {
        "id": entry.id,
        "kind": entry.kind,
        "file": f"{entry.folder}/{entry.id}.yaml",
        **canonical_data(entry),
        "referenced_by": [
            {"field": field, "id": source} for field, source in catalog.referrers.get(entry.id, [])
        ],
    }


def export_json(catalog: Catalog) -> str:
    """The catalog as one JSON document; numbers keep the digits they were written with."""
    meta = catalog.meta.model_dump(mode="python", exclude_none=True) if catalog.meta else {}
    document = {
        "catalog": meta,
        "vocabulary": catalog.vocabulary.model_dump(mode="python", exclude_none=True),
        "counts": {folder: len(catalog.by_kind(folder)) for folder in KINDS},
        "entries": [entry_record(catalog, entry) for entry in _entries(catalog)],
    }
    text = json.dumps(_jsonable(document), ensure_ascii=False, indent=2)
    return _MARKED.sub(lambda m: m.group(1), text) + "\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(item) for item in value)
    text = str(value)
    # A spreadsheet runs a cell that starts like a formula; a leading apostrophe keeps it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _row(catalog: Catalog, entry: Entry) -> list[str]:
    row = []
    for column in CSV_COLUMNS:
        if column == "name":
            value: Any = entry.label
        elif column == "kind":
            value = entry.kind
        elif column == "referenced_by":
            value = sorted({source for _, source in catalog.referrers.get(entry.id, [])})
        elif column.startswith("link_"):
            value = getattr(entry.links, column.removeprefix("link_"))
        else:
            value = getattr(entry, column, None)
        row.append(_cell(value))
    return row


def export_csv(catalog: Catalog) -> str:
    """One row per entry, lists joined with "; ", UTF-8 with a byte-order mark so spreadsheets detect it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in _entries(catalog):
        writer.writerow(_row(catalog, entry))
    return "\ufeff" + buffer.getvalue()


#: results.csv columns, in order: one row per published result.
RESULT_COLUMNS = (
    "benchmark", "benchmark_name", "datasets", "model_id", "baseline", "name_as_printed", "variant", "modalities",
    "regime", "split", "table", "metric", "metric_name", "value", "scale", "higher_is_better", "note",
    "source_repository", "source_path", "source_commit", "source_url",
)


def export_results_csv(catalog: Catalog) -> str:
    """Every published result with its benchmark, model, protocol and source; values exactly as printed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS)
    metrics = catalog.vocabulary.metrics
    for bench_id in sorted(catalog.benchmarks):
        bench = catalog.benchmarks[bench_id]
        for result in bench.results:
            term = metrics.get(result.metric)
            source = result.source
            row: list[Any] = [
                bench.id, bench.name, bench.datasets, result.model_id, result.baseline, result.as_printed,
                result.variant, result.modalities, result.regime, result.split, result.table, result.metric,
                term.name if term else None, result.value, result.scale,
                term.higher_is_better if term else None, result.note, source.repository, source.path,
                source.commit, source.href,
            ]
            writer.writerow([_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()


def export_bibtex(catalog: Catalog) -> str:
    """Every paper as BibTeX with unique, deterministic keys."""
    return papers_bibtex(catalog.papers.values())


def export_ris(catalog: Catalog) -> str:
    """Every paper as a RIS record, with the BibTeX keys as ``ID``."""
    return papers_ris(catalog.papers.values())


def export_csl_json(catalog: Catalog) -> str:
    """Every paper as CSL-JSON (one array), with the BibTeX keys as ``id``."""
    return papers_csl(catalog.papers.values())


def export(catalog: Catalog, fmt: str) -> str:
    """Dispatch on ``fmt`` (one of :data:`FORMATS`)."""
    exporters = {"bibtex": export_bibtex, "json": export_json, "csv": export_csv, "results-csv": export_results_csv,
                 "ris": export_ris, "csl-json": export_csl_json}
    return exporters[fmt](catalog)
