"""``emocat fmt``: rewrite entry files in canonical key order and quoting, keeping their comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from emocat.catalog.loader import CATALOG_FILE, VOCABULARY_FILE, load
from emocat.errors import Problem, Severity
from emocat.store.save import read_text, save_entry, saved_text


@dataclass
class FormatReport:
    """Files whose text differs from canonical form, and files that could not be read."""

    changed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_catalog(root: Path, *, check: bool = False) -> FormatReport:
    """Rewrite every valid file canonically (only report with ``check``); invalid files are left alone."""
    catalog, problems = load(root)
    report = FormatReport(problems=[p for p in problems if p.severity is Severity.ERROR])
    targets: list[tuple[Path, BaseModel]] = [(catalog.path_of(e.id), e) for e in catalog.entries()]
    if catalog.meta is not None:
        targets.append((root / CATALOG_FILE, catalog.meta))
    if (root / VOCABULARY_FILE).exists() and not any(p.path == str(root / VOCABULARY_FILE) for p in problems):
        targets.append((root / VOCABULARY_FILE, catalog.vocabulary))
    for path, model in sorted(targets, key=lambda target: target[0]):
        if check:
            current = read_text(path)
            if saved_text(model, current) != current:
                report.changed.append(path)
        elif save_entry(path, model):
            report.changed.append(path)
    return report
