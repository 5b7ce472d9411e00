"""A small valid catalog, written into a folder from dicts, for tests that need a known baseline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

META: dict[str, Any] = {
    "title": "Test catalog",
    "description": "A catalog for tests.",
    "repository": "https://github.com/example/catalog",
    "site_url": "https://example.github.io/catalog/",
    "survey": "base-paper",
}
VOCABULARY: dict[str, Any] = {
    "topics": {"emotion-mllm": {"name": "Emotion MLLMs"}, "survey": {"name": "Surveys"}},
    "tasks": {"emotion-recognition": {"name": "Emotion recognition"}},
    "organisations": {"alibaba": {"name": "Alibaba"}},
    "languages": {"en": {"name": "English"}},
}
ENTRIES: dict[str, dict[str, Any]] = {
    "papers/base-paper.yaml": {
        "title": "Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning",
        "year": 2024,
        "arxiv": "2406.11161",
        "doi": "10.1145/3664647.3680570",
        "topics": ["emotion-mllm"],
        "uses": ["meld"],
        "links": {"paper": "https://arxiv.org/abs/2406.11161"},
        "added": "2025-01-31",
    },
    "datasets/meld.yaml": {
        "name": "MELD",
        "modalities": ["audio", "video", "text"],
        "samples": 13708,
        "languages": ["en"],
        "added": "2025-01-31",
    },
    "models/base-model.yaml": {
        "name": "Emotion-LLaMA",
        "organisation": "alibaba",
        "paper": "base-paper",
        "added": "2025-01-31",
    },
    "benchmarks/base-bench.yaml": {
        "name": "MELD test",
        "datasets": ["meld"],
        "metrics": [{"name": "WF1"}],
        "results": [
            {"model": "Emotion-LLaMA", "model_id": "base-model", "metric": "WF1", "value": 0.5,
             "source": {"url": "https://example.org/results"}},
        ],
        "added": "2025-01-31",
    },
}


def write_catalog(root: Path, extra: dict[str, str | bytes] | None = None) -> Path:
    """Write the baseline catalog into ``root`` (plus ``extra`` files by relative path); return ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    files: dict[str, Any] = {"catalog.yaml": META, "vocabulary.yaml": VOCABULARY, **ENTRIES}
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    for relative, content in (extra or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root
