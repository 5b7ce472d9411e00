"""Merge: candidates -> the entries to create, duplicates within the list and against the catalog resolved, ids given."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from emocat.catalog.identity import identity_keys, url_key
from emocat.catalog.identity import title_key as normalise_title
from emocat.catalog.loader import Catalog
from emocat.catalog.models import Dataset, Entry, Model, Paper
from emocat.catalog.values import ID_MAX
from emocat.commands.importer.candidates import Candidate, build_candidate
from emocat.commands.importer.classify import SKIP_SECTIONS
from emocat.commands.importer.markdown import scan
from emocat.commands.importer.values import languages
from emocat.errors import Problem, Severity
from emocat.store.writer import free_id


@dataclass
class Planned:
    """An entry that will be (or was) written."""

    entry: Entry
    path: Path
    line: int


@dataclass
class ImportReport:
    """What an import did: entries created (or that would be), and every row it reported."""

    source: Path
    created: list[Planned] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items: int = 0
    dry_run: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


_CLASSES: dict[str, type[Entry]] = {"paper": Paper, "model": Model, "dataset": Dataset}
_SUFFIX = {"paper": "paper", "model": "model", "dataset": "dataset"}
#: When a paper and a model share a name, the paper keeps it and the model gets ``-model`` (docs/ids.md).
_ID_PRIORITY = {"paper": 0, "dataset": 1, "model": 2}


def _keys(kind: str, entry: Entry) -> list[tuple[str, str]]:
    keys = [(what, value) for _, what, value in identity_keys(entry) if value]
    if kind != "paper":
        # "OV-MERD+" and "OV-MERD" are different datasets: keep the plus in the name key
        keys.append((f"{kind} name", normalise_title(getattr(entry, "name", "").replace("+", " plus "))))
    return keys


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> list[str]:
    """Fill what ``into`` lacks from ``extra``; return the fields that were added."""
    added = []
    for key, value in extra.items():
        if key == "links":
            links = into.setdefault("links", {})
            for name, url in value.items():
                if name not in links:
                    links[name] = url
                    added.append(f"links.{name}")
        elif isinstance(value, list):
            current = into.setdefault(key, [])
            new = [v for v in value if v not in current]
            if new:
                current.extend(new)
                added.append(key)
        elif key not in into:
            into[key] = value
            added.append(key)
    return added


def plan_import(text: str, source: Path, catalog: Catalog, *, added: dt.date) -> ImportReport:
    """Parse a Markdown list and decide which entries to create; write nothing."""
    report = ImportReport(source)

    def problem(
        line: int, message: str, rule: str, severity: Severity = Severity.WARNING, column: int = 1
    ) -> None:
        report.problems.append(Problem(str(source), line, column, severity, "", message, rule))

    scanned = scan(text)
    for line, column, message, rule, severity in scanned.problems:
        problem(line, message, rule, severity, column)
    report.items = len(scanned.items)
    existing: dict[tuple[str, str], str] = {}
    for entry in catalog.entries():
        for key in _keys(entry.kind, entry):
            existing.setdefault(key, entry.id)
    taken = set(catalog.paths)
    accepted: list[tuple[Candidate, dict[str, Any]]] = []
    seen: dict[tuple[str, str], int] = {}
    for item in scanned.items:
        if item.section and item.section[-1].lower().strip(" :") in SKIP_SECTIONS:
            continue
        built = build_candidate(item, catalog.vocabulary)
        if isinstance(built, str):
            problem(item.line, f"not imported: {built}", "import-unmapped", Severity.ERROR)
            continue
        for message, rule in built.notes:
            problem(item.line, message, rule)
        spoken = built.data.pop("_languages", None)
        if spoken:
            built.data["languages"], unknown = languages(spoken, catalog.vocabulary)
            for name in unknown:
                problem(item.line, f"language {name!r} is not in vocabulary.yaml; left out", "import-vocabulary")
        try:
            entry = _CLASSES[built.kind].model_validate({**built.data, "added": added})
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            problem(item.line, f"not imported: {where}: {first['msg']}", "import-invalid", Severity.ERROR)
            continue
        keys = _keys(built.kind, entry)
        owner = next((existing[k] for k in keys if k in existing), None)
        if owner is not None:
            kind_owner = catalog.get(owner)
            if kind_owner is not None and kind_owner.kind == built.kind:
                known = canonical(kind_owner)
                missing = sorted(f for f in _merge(dict(known), built.data) if f not in ("description",))
                extra = f"; the list also gives {', '.join(missing)} (add by hand)" if missing else ""
                problem(
                    item.line,
                    f"already in the catalog as {owner} ({catalog.path_of(owner)}); not written{extra}",
                    "import-duplicate",
                )
                continue
        twin = next((seen[k] for k in keys if k in seen), None)
        if twin is not None and accepted[twin][0].kind == built.kind:
            first_candidate, data = accepted[twin]
            fields = _merge(data, built.data)
            merged = f"; took {', '.join(fields)} from it" if fields else ""
            problem(
                item.line,
                f"the same {built.kind} as line {first_candidate.item.line}; merged{merged}",
                "import-duplicate",
            )
            continue
        for key in keys:
            seen.setdefault(key, len(accepted))
        accepted.append((built, built.data))
    _link_models_to_papers(accepted, catalog)
    ids: dict[int, str] = {}
    for candidate, _ in sorted(accepted, key=lambda pair: _ID_PRIORITY[pair[0].kind]):
        ids[id(candidate)] = _free_id(candidate, taken)
        taken.add(ids[id(candidate)])
    for candidate, data in accepted:
        owner = data.pop("_paper", None)
        if owner is not None:
            data["paper"] = owner if isinstance(owner, str) else ids[id(owner)]
        try:
            entry = _CLASSES[candidate.kind].model_validate({**data, "added": added})
        except ValidationError as exc:
            first = exc.errors()[0]
            problem(
                candidate.item.line,
                f"not imported: {'.'.join(map(str, first['loc']))}: {first['msg']}",
                "import-invalid",
                Severity.ERROR,
            )
            continue
        entry.id = ids[id(candidate)]
        report.created.append(
            Planned(entry, catalog.root / entry.folder / f"{entry.id}.yaml", candidate.item.line)
        )
    report.problems.sort()
    return report


def canonical(entry: Entry) -> dict[str, Any]:
    return entry.model_dump(mode="python", exclude_none=True, exclude={"id"})


def _link_models_to_papers(accepted: list[tuple[Candidate, dict[str, Any]]], catalog: Catalog) -> None:
    """A model whose only paper link is a paper already imported or catalogued points at it by id instead."""
    by_url: dict[tuple[str, str], Candidate | str] = {}
    for entry in catalog.papers.values():
        for name, what, value in identity_keys(entry):
            if name.startswith("links."):
                by_url[what, value] = entry.id
    for candidate, data in accepted:
        if candidate.kind == "paper":
            for name, what, value in identity_keys(Paper.model_validate({**data, "added": dt.date(2000, 1, 1)})):
                if name.startswith("links."):
                    by_url.setdefault((what, value), candidate)
    for candidate, data in accepted:
        if candidate.kind == "paper":
            continue
        links = data.get("links", {})
        for field_name in ("paper", "pdf"):
            url = links.get(field_name)
            owner = by_url.get(url_key(url)) if url else None
            if owner is not None:
                data["_paper"] = owner
                del links[field_name]
        if not links:
            data.pop("links", None)




def _free_id(candidate: Candidate, taken: set[str]) -> str:
    base = candidate.id_hint or candidate.kind
    base = base[: ID_MAX - 10].strip("-")
    suffixed = f"{base}-{_SUFFIX[candidate.kind]}"
    return free_id([base, suffixed], taken, numbered=suffixed)

