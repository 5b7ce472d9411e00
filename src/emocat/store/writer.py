"""Canonical YAML for entries (what ``emocat fmt`` writes), and the first free id for a new entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml
from pydantic import BaseModel

from emocat.catalog.models import Entry
from emocat.store.yamlio import StrictResolver

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


#: A number whose positional form would be longer than this keeps its exponent (``1.0e+99``), so that
#: formatting never turns a valid value into one the reader refuses (see ``yamlio.MAX_NUMBER_CHARS``).
_POSITIONAL_MAX = 30


def _represent_decimal(dumper: _Dumper, value: Decimal) -> yaml.Node:
    text = str(value)
    if "E" in text:
        positional = format(value, "f")
        if len(positional) <= _POSITIONAL_MAX:
            text = positional
        else:
            mantissa, _, exponent = text.partition("E")
            text = f"{mantissa if '.' in mantissa else mantissa + '.0'}e{exponent}"
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


def free_id(candidates: list[str], taken: set[str], *, numbered: str) -> str:
    """The first of ``candidates`` not in ``taken``, else ``numbered-2``, ``numbered-3``, …"""
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    number = 2
    while f"{numbered}-{number}" in taken:
        number += 1
    return f"{numbered}-{number}"
