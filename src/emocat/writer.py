"""Canonical YAML for entries, and atomic, never-overwriting file writes."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from emocat.errors import ExistsError
from emocat.models import Entry
from emocat.yamlio import StrictResolver

SCHEMA_DIR = "schema"


class _Dumper(yaml.CSafeDumper):
    """Block style, unicode kept, lines never folded; short scalar lists in flow style.

    A string is quoted when either YAML 1.1 (other tools) or emocat's strict reader would read it as
    something other than text, so the file means the same to both.
    """

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
        if kind is yaml.ScalarNode and implicit[0] and tag == "tag:yaml.org,2002:str":
            strict: str = _STRICT.resolve(kind, value, implicit)
            return strict
        return tag


_STRICT = StrictResolver()


def _represent_decimal(dumper: _Dumper, value: Decimal) -> yaml.Node:
    text = str(value)
    if "E" in text or "e" in text:
        text = format(value, "f")
    if "." not in text:
        text += ".0"
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_date(dumper: _Dumper, value: dt.date) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _represent_list(dumper: _Dumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, str) for item in value) and sum(len(item) + 2 for item in value) < 70
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_str(dumper: _Dumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(dt.date, _represent_date)
_Dumper.add_representer(list, _represent_list)


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {}, "")}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


def canonical_data(model: BaseModel) -> dict[str, Any]:
    """Fields in canonical order (own fields first, then links, description, added), empties dropped."""
    data = model.model_dump(mode="python", exclude_none=True)
    data.pop("id", None)
    if isinstance(model, Entry):
        shared = ("links", "description", "added")
        ordered = {k: v for k, v in data.items() if k not in shared}
        ordered.update({k: data[k] for k in shared if k in data})
        data = ordered
    return dict(_prune(data))


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False)


def schema_comment(kind: str) -> str:
    return f"# yaml-language-server: $schema=../../{SCHEMA_DIR}/{kind}.schema.json\n"


def dump_entry(entry: Entry) -> str:
    """The canonical text of an entry file (what ``emocat fmt`` writes)."""
    return schema_comment(entry.kind) + dump_yaml(canonical_data(entry))


_TMP_SUFFIX = ".emocat-tmp"
_swept: set[Path] = set()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(directory: Path) -> list[Path]:
    """Remove temporary files left in ``directory`` by writers that were killed mid-write."""
    removed = []
    for leftover in directory.glob(f".*{_TMP_SUFFIX}"):
        pid = leftover.name.rsplit(".", 2)[-2] if leftover.name.count(".") >= 3 else ""
        if pid.isdigit() and not _pid_alive(int(pid)):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def atomic_write(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write ``text`` to ``path`` completely or not at all, even if the process is killed.

    The data goes to a hidden temporary file in the same folder, is flushed to disk, and only then gets its
    name: by a rename over the old file, or by a link that fails if ``overwrite`` is false and the file
    exists. A temporary file left by a killed writer is removed by the next write to that folder.
    """
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    if directory not in _swept:
        sweep_stale(directory)
        _swept.add(directory)
    tmp = directory / f".{path.name}.{os.getpid()}{_TMP_SUFFIX}"
    try:
        with open(tmp, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise ExistsError(f"{path} already exists; it was left untouched") from None
            finally:
                tmp.unlink(missing_ok=True)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def free_id(candidates: list[str], taken: set[str], *, numbered: str) -> str:
    """The first of ``candidates`` not in ``taken``, else ``numbered-2``, ``numbered-3``, …"""
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{numbered}-{number}" in taken:
        number += 1
    return f"{numbered}-{number}"


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; refuse if it exists."""
    atomic_write(path, text, overwrite=False)


def write_all(files: Iterable[tuple[Path, str]]) -> None:
    for path, text in files:
        atomic_write(path, text)
