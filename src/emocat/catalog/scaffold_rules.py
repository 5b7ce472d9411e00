"""Leftovers of ``emocat new``: the placeholder title or name it writes, and its hint comments (warnings)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from emocat.catalog.loader import Catalog, Locator
from emocat.catalog.models import KIND_BY_NAME, Paper
from emocat.errors import Problem, Severity
from emocat.store.templates import template_dirs

_SCHEMA_LINE = "# yaml-language-server:"
_FULL_LINE = re.compile(r"^\s*#(?P<text>.*)$")
_INLINE = re.compile(r"\s#(?P<text>.*)$")


def placeholder_name(entry_id: str) -> str:
    """The title or name ``emocat new`` writes until the contributor gives the real one (``Some Id``)."""
    return entry_id.replace("-", " ").title()


def _normal(text: str) -> str:
    return " ".join(text.split())


@lru_cache(maxsize=8)
def scaffold_comments(dirs: tuple[Path, ...]) -> frozenset[str]:
    """Every comment the ``new`` templates write (whole lines and the hints at their ends), whitespace evened."""
    found: set[str] = set()
    for kind in KIND_BY_NAME:
        path = next((d / "new" / f"{kind}.yaml.j2" for d in dirs if (d / "new" / f"{kind}.yaml.j2").is_file()), None)
        if path is None:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            whole = _FULL_LINE.match(line)
            if whole is None:
                continue
            found.add(_normal(whole.group("text")))
            hint = _INLINE.search(whole.group("text"))
            if hint is not None:
                found.add(_normal(hint.group("text")))
    found.discard("")
    return frozenset(found)


def leftover_lines(text: str, known: frozenset[str]) -> list[int]:
    """The numbers of the lines whose comment is one the scaffold wrote."""
    numbers = []
    for number, line in enumerate(text.split("\n"), start=1):
        if "#" not in line or line.startswith(_SCHEMA_LINE):
            continue
        match = _FULL_LINE.match(line) or _INLINE.search(line)
        if match is not None and _normal(match.group("text")) in known:
            numbers.append(number)
    return numbers


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def check_scaffold_leftovers(catalog: Catalog, locator: Locator) -> list[Problem]:
    """Warn about the hint comments and the placeholder title that ``emocat new`` wrote and that are still there.

    A title or name equal to the id in capitals is the placeholder only while the scaffold's comments are still
    in the file or nothing else is filled in: many real names are just that (``Qwen``, ``Mistral 7B``).
    """
    problems = []
    known = scaffold_comments(tuple(template_dirs(catalog.root.resolve().parent)))
    warn = Severity.WARNING
    for entry in catalog.entries():
        path = catalog.path_of(entry.id)
        text = locator.text(path)
        lines = leftover_lines(text, known) if text.count("#") > text.startswith(_SCHEMA_LINE) else []
        for first, last in _runs(lines):
            if first == last:
                message = "a comment left from emocat new; delete it once the entry is filled in"
            else:
                message = (f"lines {first}-{last}: {last - first + 1} comments left from emocat new (hints and "
                           "commented-out example fields); delete them once the entry is filled in")
            problems.append(Problem(str(path), first, 1, warn, "", message, "scaffold-comment"))
        field = "title" if isinstance(entry, Paper) else "name"
        value = getattr(entry, field)
        bare = entry.model_fields_set <= {"id", field, "added"}
        if value == placeholder_name(entry.id) and (lines or bare):
            what = "title" if isinstance(entry, Paper) else "name"
            problems.append(locator.problem(path, [field], f"{value!r} is the placeholder emocat new writes (the id "
                                            f"in capitals); give the {entry.kind}'s real {what}",
                                            "scaffold-placeholder", warn))
    return problems


RULES = (check_scaffold_leftovers,)
