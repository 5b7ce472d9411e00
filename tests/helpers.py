"""Test helpers: build small catalogs in a temporary folder from dicts, written by the canonical writer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from emocat.models import Benchmark, CatalogMeta, Dataset, Entry, Model, Paper, Vocabulary
from emocat.writer import dump_entry, dump_yaml

ADDED = dt.date(2026, 1, 15)

DEFAULT_META: dict[str, Any] = {
    "title": "Awesome Test Catalog",
    "description": "A small catalog used by the tests.",
    "repository": "https://github.com/example/awesome-test",
    "site_url": "https://example.org/awesome-test/",
}

DEFAULT_VOCABULARY: dict[str, Any] = {
    "topics": {
        "milestone": {"name": "Milestone papers"},
        "survey": {"name": "Surveys"},
        "emotion-mllm": {"name": "Emotion MLLMs"},
    },
    "tasks": {
        "emotion-recognition": {"name": "Emotion recognition"},
        "sentiment-analysis": {"name": "Sentiment analysis"},
    },
    "organisations": {
        "alibaba": {"name": "Alibaba"},
        "google": {"name": "Google"},
        "meta": {"name": "Meta"},
    },
    "languages": {"en": {"name": "English"}, "zh": {"name": "Chinese"}},
}

EntryDicts = Mapping[str, Mapping[str, Any]]


def _write_entries(root: Path, cls: type[Entry], entries: EntryDicts | None) -> None:
    for entry_id, fields in (entries or {}).items():
        data = {"added": ADDED, **fields, "id": entry_id}
        entry = cls.model_validate(data)  # a typo in a test fixture fails here, loudly
        path = root / cls.folder / f"{entry_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_entry(entry), encoding="utf-8")


def make_catalog(
    tmp_path: Path,
    *,
    papers: EntryDicts | None = None,
    datasets: EntryDicts | None = None,
    benchmarks: EntryDicts | None = None,
    models: EntryDicts | None = None,
    meta: Mapping[str, Any] | None = None,
    vocabulary: Mapping[str, Any] | None = None,
) -> Path:
    """Write ``tmp_path/catalog`` (catalog.yaml, vocabulary.yaml, one file per entry); return its path.

    Entries are ``{id: {field: value}}``; ``added`` defaults to a fixed date. ``meta`` is merged over
    :data:`DEFAULT_META`, ``vocabulary`` replaces :data:`DEFAULT_VOCABULARY` section by section.
    """
    root = tmp_path / "catalog"
    root.mkdir(parents=True, exist_ok=True)
    meta_data = CatalogMeta.model_validate({**DEFAULT_META, **(meta or {})}).model_dump(
        mode="python", exclude_none=True
    )
    meta_data = {k: v for k, v in meta_data.items() if v not in ([], {}, "")}
    (root / "catalog.yaml").write_text(dump_yaml(meta_data), encoding="utf-8")
    vocab = Vocabulary.model_validate({**DEFAULT_VOCABULARY, **(vocabulary or {})})
    (root / "vocabulary.yaml").write_text(
        dump_yaml(vocab.model_dump(mode="python", exclude_none=True)), encoding="utf-8"
    )
    _write_entries(root, Paper, papers)
    _write_entries(root, Dataset, datasets)
    _write_entries(root, Benchmark, benchmarks)
    _write_entries(root, Model, models)
    return root


def source(path: str = "README.md") -> dict[str, str]:
    """A result source in a repository at a fixed commit."""
    return {
        "repository": "example/results",
        "path": path,
        "commit": "0123456789abcdef0123456789abcdef01234567",
    }


HOSTILE = [
    "<script>alert(1)</script>",
    "a | b [c]",
    "Back`ticks` and a \\ backslash",
    "*stars* and _underscores_ ~~strike~~",
    "<img src=x onerror=alert(1)>",
]


def fixture_catalog(tmp_path: Path) -> Path:
    """A catalog that exercises every README section, shared URLs, and hostile text."""
    return make_catalog(
        tmp_path,
        meta={
            "survey": "our-survey",
            "trending": ["closed-model", "qwen-omni"],
            "citation": "@article{test2025,\n  title={A Test Survey},\n  year={2025}\n}",
        },
        papers={
            "attention": {
                "title": "Attention Is All You Need",
                "year": 2017,
                "month": 6,
                "keyword": "Transformers",
                "institutions": ["google"],
                "topics": ["milestone"],
                "links": {"paper": "https://arxiv.org/pdf/1706.03762.pdf"},
            },
            "script-title": {
                "title": HOSTILE[0],
                "year": 2020,
                "month": 1,
                "keyword": "`rm` | *x*",
                "institutions": ["meta", "google"],
                "topics": ["milestone"],
                "links": {"paper": "https://example.org/paper(1)"},
            },
            "pipes": {
                "title": HOSTILE[1],
                "year": 2024,
                "month": 3,
                "venue": "ACL",
                "topics": ["survey"],
                "links": {
                    "paper": "https://arxiv.org/abs/2403.00001",
                    "code": "https://github.com/example/pipes",
                },
                "repository": {"stars": 1234567, "pushed": dt.date(2025, 12, 1), "archived": False},
            },
            "old-survey": {
                "title": "An Older Survey",
                "year": 2023,
                "topics": ["survey"],
                "arxiv": "2301.00001",
            },
            "backticks": {
                "title": HOSTILE[2],
                "year": 2024,
                "month": 11,
                "modalities": ["video", "text"],
                "doi": "10.1000/xyz",
            },
            "stars": {
                "title": HOSTILE[3],
                "year": 2024,
                "month": 11,
                "modalities": ["audio"],
                "arxiv": "2411.00002",
                "topics": ["emotion-mllm"],
            },
            "img-title": {
                "title": HOSTILE[4],
                "year": 2023,
                "month": 5,
                "arxiv": "2305.00003",
                "links": {"code": "https://github.com/example/shared"},
            },
            "our-survey": {
                "title": "Our Survey of Emotion Models",
                "year": 2025,
                "month": 9,
                "topics": ["survey"],
                "arxiv": "2509.24322",
            },
        },
        models={
            "qwen-omni": {
                "name": "Qwen2.5-Omni",
                "organisation": "alibaba",
                "sizes": ["3B", "7B"],
                "modalities": ["video", "audio", "image", "text"],
                "open_weights": True,
                "release": "2025-03",
                "description": "one model that listens, watches and talks back",
                "links": {
                    "code": "https://github.com/QwenLM/Qwen2.5-Omni",
                    "huggingface": "https://huggingface.co/Qwen/Qwen2.5-Omni-7B",
                },
                "repository": {"stars": 3456, "pushed": dt.date(2025, 11, 30), "archived": False},
            },
            "llama-3-1": {
                "name": "Llama 3.1",
                "organisation": "meta",
                "sizes": ["8B", "70B", "405B"],
                "open_weights": True,
                "links": {"project": "https://llama.meta.com/"},
            },
            "llama-3-2": {
                "name": "Llama 3.2",
                "organisation": "meta",
                "links": {"project": "https://llama.meta.com/"},
            },
            "orphan-model": {"name": "Orphan Model", "links": {"demo": "https://example.com/orphan"}},
            "closed-google": {"name": "Gemini Test", "organisation": "google", "open_weights": False},
            "closed-model": {
                "name": "Closed <b>Model</b>",
                "open_weights": False,
                "links": {"blog": "https://example.com/closed"},
            },
            "hostile-model": {
                "name": "a | b [c] *model*",
                "topics": ["emotion-mllm"],
                "modalities": ["audio", "text"],
                "paper": "img-title",
                "links": {"code": "https://github.com/example/shared"},
                "repository": {"archived": True, "checked": dt.date(2026, 1, 10)},
            },
            "emotion-model": {
                "name": "Emotion Model 2",
                "topics": ["emotion-mllm"],
                "modalities": ["video"],
                "links": {"code": "https://github.com/example/emotion-2"},
                "repository": {"stars": 12, "pushed": dt.date(2023, 2, 3), "archived": True},
            },
            "emotion-model-10": {
                "name": "Emotion Model 10",
                "topics": ["emotion-mllm"],
                "links": {"code": "http://www.github.com/example/emotion-2/"},
                "repository": {"checked": dt.date(2026, 1, 10)},
            },
        },
        datasets={
            "meld": {
                "name": "MELD",
                "modalities": ["audio", "video", "text"],
                "samples": 13708,
                "emotion_classes": 7,
                "label_type": "categorical",
                "annotation": "human",
                "languages": ["en"],
            },
            "merr-fine": {
                "name": "MERR-Fine",
                "modalities": ["audio", "video", "text"],
                "samples": 4487,
                "emotion_classes": 484,
                "label_type": "descriptive",
                "annotation": "human-led-model-assisted",
                "descriptions": True,
                "links": {"data": "https://example.org/merr"},
            },
            "ego": {
                "name": "<b>Ego</b> | data",
                "domain": "kitchen",
                "hours": Decimal("100.5"),
                "labelled_samples": 90000,
                "modalities": ["video", "audio", "text"],
                "languages": ["en", "zh"],
                "emotion_labels": False,
                "egocentric": True,
            },
        },
        benchmarks={
            "bench-f1": {
                "name": "Bench F1",
                "datasets": ["meld"],
                "split": "Test",
                "samples": 2610,
                "task": "emotion-recognition",
                "metrics": [
                    {"name": "WAF", "higher_is_better": True, "scale": "0-100"},
                    {"name": "ACC", "higher_is_better": True},
                ],
                "results": [
                    {"model": "Model A", "metric": "WAF", "value": Decimal("55.10"), "source": source()},
                    {"model": "`x` | y", "metric": "WAF", "value": Decimal("60.00"), "source": source()},
                    {
                        "model": "Model A",
                        "metric": "WAF",
                        "value": Decimal("58.5"),
                        "setting": "fine-tuned",
                        "source": source("other.md"),
                    },
                    {"model": "Model C", "metric": "WAF", "value": Decimal("40"), "source": source()},
                    {"model": "Model D", "metric": "WAF", "value": Decimal("39.99"), "source": source()},
                    {"model": "Best On ACC", "metric": "ACC", "value": Decimal("99"), "source": source()},
                ],
            },
            "bench-mae": {
                "name": "Bench MAE",
                "datasets": ["ego"],
                "task": "sentiment-analysis",
                "metrics": [{"name": "MAE", "higher_is_better": False}],
                "results": [
                    {"model": "High", "metric": "MAE", "value": Decimal("0.9"), "source": source()},
                    {"model": "Low", "metric": "MAE", "value": Decimal("0.45"), "source": source()},
                ],
            },
            "bench-empty": {"name": "Bench Without Results", "task": "emotion-recognition"},
        },
    )
