"""Running an import: read the list, plan it against the catalog, write the new entries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from emocat.catalog.loader import load
from emocat.commands.importer.merge import ImportReport, Planned, plan_import
from emocat.errors import ExistsError, Problem, Severity, UsageError
from emocat.store.files import write_new
from emocat.store.writer import dump_entry

MAX_BYTES = 10 * 1024 * 1024


def read_list(path: Path) -> str:
    """The text of a Markdown file, or a UsageError naming the file, line and column of bad bytes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise UsageError(f"{path}: {len(data)} bytes; lists over {MAX_BYTES} bytes are not imported")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise UsageError(
            f"{path}:{line}:{column}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the list as UTF-8"
        ) from None


def import_awesome(path: Path, root: Path, *, dry_run: bool = False, added: dt.date) -> ImportReport:
    """Import an Awesome-style list into the catalog at ``root``; with ``dry_run`` write nothing.

    A write that fails (disk full, a read-only folder) stops the import: the problem names the file, and the
    report's ``created`` lists the entries written before it, which stay (each one whole).
    """
    if not root.is_dir():
        raise UsageError(f"{root}: no such catalog folder")
    text = read_list(path)
    catalog, _ = load(root)
    report = plan_import(text, path, catalog, added=added)
    report.dry_run = dry_run
    if not dry_run:
        report.created = _write(report, path, root)
    return report


def _write(report: ImportReport, source: Path, root: Path) -> list[Planned]:
    """Write the planned entries in order; return those written."""
    written: list[Planned] = []
    for index, planned in enumerate(report.created):
        try:
            write_new(planned.path, dump_entry(planned.entry), inside=root)
        except ExistsError as exc:
            report.problems.append(
                Problem(str(source), planned.line, 1, Severity.ERROR, "", str(exc), "import-exists")
            )
            continue
        except OSError as exc:
            left = len(report.created) - index - 1
            message = (
                f"cannot write {planned.path}: {exc.strerror or exc}; the import stopped there: "
                f"{len(written)} {'entry was' if len(written) == 1 else 'entries were'} written before it "
                f"(listed as created), this one and {left} more were not"
            )
            report.problems.append(Problem(str(source), planned.line, 1, Severity.ERROR, "", message, "import-write"))
            break
        written.append(planned)
    return written
