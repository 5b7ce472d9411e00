"""Catalogs for tests: one builder that writes a catalog folder from dicts, and the catalogs several tests share.

``write_catalog(root, {"papers/some-id": {...}}, meta=..., vocabulary=..., files=...)`` builds a catalog for a
test; :func:`baseline_catalog` and :func:`readme_catalog` are two named catalogs built with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from emocat.catalog.models import KINDS, CatalogMeta, Vocabulary
from emocat.store.writer import dump_entry, dump_yaml

#: The ``added`` date of every entry that does not give its own.
ADDED = dt.date(2025, 1, 1)

#: ``catalog.yaml`` of every test catalog; ``meta=`` is merged over it.
META: dict[str, Any] = {
    "title": "Test catalog",
    "description": "A catalog made by a test.",
    "repository": "https://github.com/example/catalog",
    "site_url": "https://example.github.io/catalog/",
}

#: ``vocabulary.yaml`` of every test catalog; ``vocabulary=`` adds terms to it, list by list.
VOCABULARY: dict[str, dict[str, dict[str, Any]]] = {
    "topics": {"emotion-mllm": {"name": "Emotion MLLMs"}, "survey": {"name": "Surveys"}},
    "tasks": {"emotion-recognition": {"name": "Emotion recognition"}},
    "organisations": {"alibaba": {"name": "Alibaba"}, "example-lab": {"name": "Example Lab"}},
    "languages": {"en": {"name": "English"}},
    "metrics": {"wf1": {"name": "WF1"}, "waf": {"name": "WAF"}, "acc": {"name": "ACC"},
                "mae": {"name": "MAE", "higher_is_better": False},
                "wer": {"name": "WER", "higher_is_better": False}, "accuracy": {"name": "Accuracy"}},
}


def write_catalog(
    root: Path,
    entries: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    meta: Mapping[str, Any] | None = None,
    vocabulary: Mapping[str, Mapping[str, Any]] | None = None,
    files: Mapping[str, str | bytes] | None = None,
) -> Path:
    """Write a catalog into the folder ``root`` (created if needed) and return ``root``.

    - ``entries``: ``{"FOLDER/ID": fields}``, e.g. ``{"papers/emotion-llama": {"title": ..., "year": 2024}}``.
      Each entry is validated by its model, so a typo in a test fails here, loudly, and is written in canonical
      form (what ``emocat fmt`` writes); ``added`` defaults to :data:`ADDED`.
    - ``meta``: fields of ``catalog.yaml``, merged over :data:`META`.
    - ``vocabulary``: ``{"topics": {slug: term}, ...}``; the terms are added to those of :data:`VOCABULARY`.
    - ``files``: ``{"RELATIVE/PATH": text or bytes}`` written as they are, after everything else, so they can
      add broken or odd files, or replace any file written above (``vocabulary.yaml``, ``datasets/meld.yaml``).
    """
    root.mkdir(parents=True, exist_ok=True)
    meta_data = {**META, **(meta or {})}
    CatalogMeta.model_validate(meta_data)
    (root / "catalog.yaml").write_text(dump_yaml(meta_data), encoding="utf-8")
    terms = vocabulary or {}
    vocabulary_data = {name: {**VOCABULARY.get(name, {}), **terms.get(name, {})} for name in {**VOCABULARY, **terms}}
    Vocabulary.model_validate(vocabulary_data)
    (root / "vocabulary.yaml").write_text(dump_yaml(vocabulary_data), encoding="utf-8")
    for name, fields in (entries or {}).items():
        folder, entry_id = name.split("/")
        entry = KINDS[folder].model_validate({"added": ADDED, **fields, "id": entry_id})
        path = root / folder / f"{entry_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_entry(entry), encoding="utf-8")
    for relative, content in (files or {}).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


# --- the baseline: a small valid catalog in which every kind refers to another ---

BASELINE: dict[str, dict[str, Any]] = {
    "papers/base-paper": {
        "title": "Emotion-LLaMA: Multimodal Emotion Recognition and Reasoning with Instruction Tuning",
        "authors": ["Zebang Cheng", "Zhi-Qi Cheng"],
        "et_al": True,
        "venue": "NeurIPS 2024",
        "year": 2024,
        "arxiv": "2406.11161",
        "doi": "10.1145/3664647.3680570",
        "topics": ["emotion-mllm"],
        "uses": ["meld"],
        "links": {"paper": "https://arxiv.org/abs/2406.11161"},
        "added": "2025-01-31",
    },
    "datasets/meld": {
        "name": "MELD",
        "modalities": ["audio", "video", "text"],
        "samples": 13708,
        "languages": ["en"],
        "links": {"project": "https://example.org/meld"},
        "added": "2025-01-31",
    },
    "models/base-model": {
        "name": "Emotion-LLaMA",
        "organisation": "alibaba",
        "paper": "base-paper",
        "added": "2025-01-31",
    },
    "benchmarks/base-bench": {
        "name": "MELD test",
        "datasets": ["meld"],
        "metrics": ["wf1"],
        "results": [
            {"model_id": "base-model", "as_printed": "Emotion-LLaMA", "metric": "wf1", "value": Decimal("0.5"),
             "scale": "0-1", "source": {"url": "https://example.org/results"}},
        ],
        "added": "2025-01-31",
    },
}


def baseline_catalog(root: Path, files: Mapping[str, str | bytes] | None = None) -> Path:
    """Write the clean :data:`BASELINE` catalog (its survey is ``base-paper``) into ``root``, plus ``files``."""
    return write_catalog(root, BASELINE, meta={"survey": "base-paper"}, files=files)


# --- the README fixture: every README section, shared URLs, and hostile text ---

HOSTILE = [
    "<script>alert(1)</script>",
    "a | b [c]",
    "Back`ticks` and a \\ backslash",
    "*stars* and _underscores_ ~~strike~~",
    "<img src=x onerror=alert(1)>",
]


def source(path: str = "README.md") -> dict[str, str]:
    """A result source in a repository at a fixed commit."""
    return {
        "repository": "example/results",
        "path": path,
        "commit": "0123456789abcdef0123456789abcdef01234567",
    }


README_META: dict[str, Any] = {
    "title": "Awesome Test Catalog",
    "description": "A small catalog used by the tests.",
    "repository": "https://github.com/example/awesome-test",
    "site_url": "https://example.org/awesome-test/",
    "survey": "our-survey",
    "trending": ["closed-model", "qwen-omni"],
    "citation": "@article{test2025,\n  title={A Test Survey},\n  year={2025}\n}",
}

README_VOCABULARY: dict[str, dict[str, Any]] = {
    "topics": {"milestone": {"name": "Milestone papers"}},
    "tasks": {"sentiment-analysis": {"name": "Sentiment analysis"}},
    "organisations": {"google": {"name": "Google"}, "meta": {"name": "Meta"}},
    "languages": {"zh": {"name": "Chinese"}},
}

README_ENTRIES: dict[str, dict[str, Any]] = {
    "papers/attention": {
        "title": "Attention Is All You Need",
        "year": 2017,
        "month": 6,
        "keyword": "Transformers",
        "institutions": ["google"],
        "topics": ["milestone"],
        "links": {"paper": "https://arxiv.org/pdf/1706.03762.pdf"},
    },
    "papers/script-title": {
        "title": HOSTILE[0],
        "year": 2020,
        "month": 1,
        "keyword": "`rm` | *x*",
        "institutions": ["meta", "google"],
        "topics": ["milestone"],
        "links": {"paper": "https://example.org/paper(1)"},
    },
    "papers/pipes": {
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
    "papers/old-survey": {
        "title": "An Older Survey",
        "year": 2023,
        "topics": ["survey"],
        "arxiv": "2301.00001",
    },
    "papers/backticks": {
        "title": HOSTILE[2],
        "year": 2024,
        "month": 11,
        "modalities": ["video", "text"],
        "doi": "10.1000/xyz",
    },
    "papers/stars": {
        "title": HOSTILE[3],
        "year": 2024,
        "month": 11,
        "modalities": ["audio"],
        "arxiv": "2411.00002",
        "topics": ["emotion-mllm"],
    },
    "papers/img-title": {
        "title": HOSTILE[4],
        "year": 2023,
        "month": 5,
        "arxiv": "2305.00003",
        "links": {"code": "https://github.com/example/shared"},
    },
    "papers/our-survey": {
        "title": "Our Survey of Emotion Models",
        "year": 2025,
        "month": 9,
        "topics": ["survey"],
        "arxiv": "2509.24322",
    },
    "models/qwen-omni": {
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
    "models/llama-3-1": {
        "name": "Llama 3.1",
        "organisation": "meta",
        "sizes": ["8B", "70B", "405B"],
        "open_weights": True,
        "links": {"project": "https://llama.meta.com/"},
    },
    "models/llama-3-2": {
        "name": "Llama 3.2",
        "organisation": "meta",
        "links": {"project": "https://llama.meta.com/"},
    },
    "models/orphan-model": {"name": "Orphan Model", "links": {"demo": "https://example.com/orphan"}},
    "models/closed-google": {"name": "Gemini Test", "organisation": "google", "open_weights": False},
    "models/closed-model": {
        "name": "Closed <b>Model</b>",
        "open_weights": False,
        "links": {"blog": "https://example.com/closed"},
    },
    "models/hostile-model": {
        "name": "a | b [c] *model*",
        "topics": ["emotion-mllm"],
        "modalities": ["audio", "text"],
        "paper": "img-title",
        "links": {"code": "https://github.com/example/shared"},
        "repository": {"archived": True, "checked": dt.date(2026, 1, 10)},
    },
    "models/emotion-model": {
        "name": "Emotion Model 2",
        "topics": ["emotion-mllm"],
        "modalities": ["video"],
        "links": {"code": "https://github.com/example/emotion-2"},
        "repository": {"stars": 12, "pushed": dt.date(2023, 2, 3), "archived": True},
    },
    "models/emotion-model-10": {
        "name": "Emotion Model 10",
        "topics": ["emotion-mllm"],
        "links": {"code": "http://www.github.com/example/emotion-2/"},
        "repository": {"checked": dt.date(2026, 1, 10)},
    },
    "datasets/meld": {
        "name": "MELD",
        "modalities": ["audio", "video", "text"],
        "samples": 13708,
        "emotion_classes": 7,
        "label_type": "categorical",
        "annotation": "human",
        "languages": ["en"],
    },
    "datasets/merr-fine": {
        "name": "MERR-Fine",
        "modalities": ["audio", "video", "text"],
        "samples": 4487,
        "emotion_classes": 484,
        "label_type": "descriptive",
        "annotation": "human-led-model-assisted",
        "descriptions": True,
        "links": {"data": "https://example.org/merr"},
    },
    "datasets/ego": {
        "name": "<b>Ego</b> | data",
        "domain": "kitchen",
        "hours": Decimal("100.5"),
        "labelled_samples": 90000,
        "modalities": ["video", "audio", "text"],
        "languages": ["en", "zh"],
        "emotion_labels": False,
        "egocentric": True,
    },
    "benchmarks/bench-f1": {
        "name": "Bench F1",
        "datasets": ["meld"],
        "split": "Test",
        "samples": 2610,
        "task": "emotion-recognition",
        "metrics": ["waf", "acc"],
        "results": [
            {"baseline": "Model A", "as_printed": "Model A", "metric": "waf", "value": Decimal("55.10"),
             "scale": "0-100", "source": source()},
            {"baseline": "`x` | y", "as_printed": "`x` | y", "metric": "waf", "value": Decimal("60.00"),
             "scale": "0-100", "source": source()},
            {
                "baseline": "Model A",
                "as_printed": "Model A (fine-tuned)",
                "metric": "waf",
                "value": Decimal("58.5"),
                "scale": "0-100",
                "regime": "fine-tuned",
                "source": source("other.md"),
            },
            {"baseline": "Model C", "as_printed": "Model C", "metric": "waf", "value": Decimal("0.40"),
             "scale": "0-1", "source": source()},
            {"baseline": "Model D", "as_printed": "Model D", "metric": "waf", "value": Decimal("39.99"),
             "scale": "0-100", "source": source()},
            {"baseline": "Best On ACC", "as_printed": "Best On ACC", "metric": "acc", "value": Decimal("99"),
             "source": source()},
        ],
    },
    "benchmarks/bench-mae": {
        "name": "Bench MAE",
        "datasets": ["ego"],
        "task": "sentiment-analysis",
        "metrics": ["mae"],
        "results": [
            {"baseline": "High", "as_printed": "High", "metric": "mae", "value": Decimal("0.9"), "source": source()},
            {"baseline": "Low", "as_printed": "Low", "metric": "mae", "value": Decimal("0.45"), "source": source()},
        ],
    },
    "benchmarks/bench-empty": {"name": "Bench Without Results", "task": "emotion-recognition"},
}


def readme_catalog(root: Path) -> Path:
    """Write the README fixture (:data:`README_ENTRIES`, with its own title and site) into ``root``."""
    return write_catalog(root, README_ENTRIES, meta=README_META, vocabulary=README_VOCABULARY)
