"""The committed JSON Schemas are current, valid 2020-12 schemas, and accept every file of the catalog."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from emocat.catalog.models import KINDS
from emocat.catalog.schema import all_schemas, render
from emocat.store import yamlio

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "schema"
CATALOG = REPO / "catalog"
FILES = sorted(CATALOG.glob("*.yaml")) + sorted(CATALOG.glob("*/*.yaml"))


def _schema_name(path: Path) -> str:
    return KINDS[path.parent.name].kind if path.parent != CATALOG else path.stem


def _as_json(value: Any) -> Any:
    """Data from emocat's strict reader as JSON sees it: exact decimals become floats."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


@pytest.fixture(scope="module")
def validators() -> dict[str, jsonschema.Draft202012Validator]:
    found = {}
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        found[path.name.removesuffix(".schema.json")] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return found


def test_committed_schemas_are_current() -> None:
    expected = {f"{name}.schema.json": render(schema) for name, schema in all_schemas().items()}
    committed = {path.name: path.read_text(encoding="utf-8") for path in SCHEMA_DIR.glob("*.schema.json")}
    assert committed == expected, "the schemas are stale; run: emocat schema -o schema/"


def test_every_catalog_file_is_valid_against_its_schema(validators: dict[str, jsonschema.Draft202012Validator]) -> None:
    assert len(FILES) > 10
    for path in FILES:
        errors = list(validators[_schema_name(path)].iter_errors(_as_json(yamlio.read(path))))
        assert not errors, f"{path.relative_to(REPO)}: {errors[0].message}"


def test_entries_point_editors_at_their_schema() -> None:
    for path in FILES:
        if path.parent == CATALOG:
            continue
        first = path.read_text(encoding="utf-8").splitlines()[0]
        prefix = "# yaml-language-server: $schema="
        assert first.startswith(prefix), f"{path.relative_to(REPO)} lacks the schema comment"
        target = (path.parent / first.removeprefix(prefix)).resolve()
        assert target == SCHEMA_DIR / f"{_schema_name(path)}.schema.json", path


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("paper", {"title": "x", "added": "2025-01-31", "colour": "red"}),
        ("paper", {"title": "x"}),
        ("paper", {"title": "x", "added": "2025-01-31", "year": "2024"}),
        ("paper", {"title": "x", "added": "2025-01-31", "links": {"paper": "javascript:alert(1)"}}),
        ("dataset", {"name": "x", "added": "2025-01-31", "samples": -1}),
        ("dataset", {"name": "x", "added": "2025-01-31", "modalities": ["smell"]}),
        ("benchmark", {"name": "x", "added": "2025-01-31",
                       "results": [{"model": "m", "metric": "a", "value": "0.5", "source": {"url": "https://e.org"}}]}),
    ],
)
def test_schemas_reject_what_check_rejects(validators: dict[str, jsonschema.Draft202012Validator], kind: str,
                                           data: dict[str, Any]) -> None:
    assert not validators[kind].is_valid(data)
