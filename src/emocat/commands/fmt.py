"""``emocat fmt``: rewrite entry files in canonical key order and quoting, keeping their comments."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from emocat.catalog.loader import CATALOG_FILE, VOCABULARY_FILE, load
from emocat.errors import Problem, Severity
from emocat.store.comments import carry
from emocat.store.files import atomic_write
from emocat.store.writer import canonical_data, dump_entry, dump_yaml


@dataclass
class FormatReport:
    """Files whose text differs from canonical form, and files that could not be read."""

    changed: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def format_catalog(root: Path, *, check: bool = False) -> FormatReport:
    """Rewrite every valid file canonically (only report with ``check``); invalid files are left alone."""
    catalog, problems = load(root)
    report = FormatReport(problems=[p for p in problems if p.severity is Severity.ERROR])
    targets: list[tuple[Path, str]] = [(catalog.path_of(e.id), dump_entry(e)) for e in catalog.entries()]
    if catalog.meta is not None:
        targets.append((root / CATALOG_FILE, dump_yaml(canonical_data(catalog.meta))))
    if (root / VOCABULARY_FILE).exists() and not any(p.path == str(root / VOCABULARY_FILE) for p in problems):
        targets.append((root / VOCABULARY_FILE, dump_yaml(canonical_data(catalog.vocabulary))))
    for path, canonical in sorted(targets):
        current = path.read_bytes().decode("utf-8")
        text = carry(current, canonical)
        if current != text:
            report.changed.append(path)
            if not check:
                atomic_write(path, text)
    return report
