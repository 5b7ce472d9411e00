"""The job summary of a pull request's CI run: the entries it changes with their preview pages, and what
changes in README.md once it is regenerated on main.

Usage (in the workflow, after the site is built and uploaded)::

    git diff --name-status "$BASE"...HEAD > changes.txt
    emocat readme --output after.md
    python tools/pr_summary.py --changes changes.txt --before README.md --after after.md \\
        --artifact-url "$URL" >> "$GITHUB_STEP_SUMMARY"
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

from emocat.catalog.addresses import entry_url
from emocat.catalog.loader import Catalog, load
from emocat.catalog.models import KINDS

STATUS = {"A": "added", "M": "changed", "D": "removed", "R": "renamed", "C": "copied", "T": "changed"}
MAX_DIFF_LINES = 200
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: str) -> str:
    """Plain text for a Markdown table cell: every character Markdown could read as syntax is escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def parse_changes(text: str) -> list[tuple[str, str]]:
    """(status word, path) for each line of ``git diff --name-status`` (a rename counts as its new path)."""
    changes = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0]:
            changes.append((STATUS.get(parts[0][0], "changed"), parts[-1]))
    return changes


def entry_rows(catalog: Catalog, catalog_dir: str, changes: list[tuple[str, str]]) -> list[str]:
    """One table row per changed file of the catalog."""
    rows = []
    prefix = catalog_dir.rstrip("/") + "/"
    for status, path in changes:
        if not path.startswith(prefix):
            continue
        folder, _, name = path[len(prefix):].partition("/")
        entry = catalog.get(name.removesuffix(".yaml")) if folder in KINDS and name.endswith(".yaml") else None
        if entry is None or status == "removed":
            rows.append(f"| {status} | `{escape(path)}` | | |")
            continue
        title = getattr(entry, "title", None) or getattr(entry, "name", entry.id)
        published = entry_url(catalog.meta, entry) if catalog.meta else ""
        rows.append(f"| {status} | {entry.kind} `{entry.id}`: {escape(title)} | `{entry.folder}/{entry.id}/index.html` "
                    f"| {published} |")
    return rows


def readme_changes(before: str, after: str) -> list[str]:
    """The changed lines of README.md (a unified diff without context), at most ``MAX_DIFF_LINES``."""
    diff = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    if len(diff) > MAX_DIFF_LINES:
        diff = [*diff[:MAX_DIFF_LINES], f"… and {len(diff) - MAX_DIFF_LINES} more changed lines"]
    return diff


def summary(catalog: Catalog, catalog_dir: str, changes: list[tuple[str, str]], before: str, after: str,
            artifact_url: str | None = None) -> str:
    """The whole summary as Markdown."""
    out = ["## Catalog preview", ""]
    if artifact_url:
        out += [f"The built site is the [site preview artifact]({artifact_url}): download it, unzip it and open "
                "the pages below.", ""]
    rows = entry_rows(catalog, catalog_dir, changes)
    if rows:
        out += ["| Change | Entry | Page in the preview | Page once published |", "|---|---|---|---|", *rows, ""]
    else:
        out += ["This pull request changes no catalog file.", ""]
    diff = readme_changes(before, after)
    out += ["### README.md after merge", ""]
    if diff:
        added = sum(1 for line in diff if line.startswith("+"))
        removed = sum(1 for line in diff if line.startswith("-"))
        out += [f"{added} lines added and {removed} removed when README.md is regenerated on main after merge "
                "(a pull request does not need to change it):", "", "```diff", *diff, "```"]
    else:
        out += ["README.md stays as it is."]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalog", default="catalog", help="the catalog folder (default: catalog)")
    parser.add_argument("--changes", type=Path, required=True, help="output of git diff --name-status")
    parser.add_argument("--before", type=Path, required=True, help="README.md as committed")
    parser.add_argument("--after", type=Path, required=True, help="README.md as the catalog renders it")
    parser.add_argument("--artifact-url", help="where the built site can be downloaded")
    args = parser.parse_args(argv)
    catalog, _ = load(args.catalog)
    before = args.before.read_text(encoding="utf-8") if args.before.exists() else ""
    text = summary(catalog, args.catalog, parse_changes(args.changes.read_text(encoding="utf-8")), before,
                   args.after.read_text(encoding="utf-8"), args.artifact_url or None)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
