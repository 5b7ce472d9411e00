"""JSON Schema (draft 2020-12) of each entry kind, for editors and CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from emocat.catalog.models import KIND_BY_NAME, CatalogMeta, Vocabulary
from emocat.store.files import atomic_write

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def kind_schema(kind: str) -> dict[str, Any]:
    """The schema of one entry file of ``kind`` (paper, dataset, benchmark, model).

    The id comes from the file name, so it is not a property of the file.
    """
    schema: dict[str, Any] = KIND_BY_NAME[kind].model_json_schema(mode="validation")
    schema["properties"].pop("id", None)
    return {"$schema": DIALECT, "$id": f"{kind}.schema.json", **schema}


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema by file stem: one per entry kind plus catalog and vocabulary."""
    schemas = {kind: kind_schema(kind) for kind in KIND_BY_NAME}
    for name, cls in (("catalog", CatalogMeta), ("vocabulary", Vocabulary)):
        schemas[name] = {"$schema": DIALECT, "$id": f"{name}.schema.json", **cls.model_json_schema()}
    return schemas


def combined_schema() -> dict[str, Any]:
    """One document: any catalog entry, with each kind under ``$defs``."""
    kinds = {kind: kind_schema(kind) for kind in KIND_BY_NAME}
    defs: dict[str, Any] = {}
    for kind, schema in kinds.items():
        defs.update(schema.pop("$defs", {}))
        schema.pop("$schema")
        schema.pop("$id")
        defs[kind] = schema
    return {"$schema": DIALECT, "title": "emocat entry", "anyOf": [{"$ref": f"#/$defs/{k}"} for k in kinds], "$defs": defs}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def write_schemas(directory: Path) -> list[Path]:
    """Write ``<kind>.schema.json`` for every kind into ``directory``."""
    written = []
    for name, schema in all_schemas().items():
        path = directory / f"{name}.schema.json"
        atomic_write(path, render(schema))
        written.append(path)
    return written
