"""Build small catalogs in a temporary folder from plain dicts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emocat.writer import dump_yaml

META: dict[str, Any] = {
    "title": "Test catalog",
    "description": "A catalog made by a test.",
    "repository": "https://github.com/example/catalog",
    "site_url": "https://example.github.io/catalog/",
}
VOCABULARY: dict[str, Any] = {
    "topics": {"survey": {"name": "Surveys"}, "emotion-mllm": {"name": "Emotion MLLMs"}},
    "tasks": {"emotion-recognition": {"name": "Emotion recognition"}},
    "organisations": {"example-lab": {"name": "Example Lab"}},
}


def make_catalog(root: Path, entries: dict[str, dict[str, Any]]) -> Path:
    """Write ``catalog.yaml``, ``vocabulary.yaml`` and one file per ``"folder/id": fields`` item."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalog.yaml").write_text(dump_yaml(META), encoding="utf-8")
    (root / "vocabulary.yaml").write_text(dump_yaml(VOCABULARY), encoding="utf-8")
    for name, fields in entries.items():
        path = root / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_yaml({"added": "2025-01-01", **fields}), encoding="utf-8")
    return root
