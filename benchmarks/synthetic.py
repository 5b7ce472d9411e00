"""Synthetic catalogs of any size, with entries of every kind at realistic sizes (for the benchmarks).

``generate(root, n)`` writes ``root/catalog.yaml``, ``root/vocabulary.yaml`` and ``n`` entries in total,
split across kinds roughly as in the real catalog (papers 50 %, models 25 %, datasets 15 %, benchmarks
10 %), cross-referenced, deterministic for a given ``n``.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from emocat.writer import dump_yaml

SHARES = (("papers", 0.50), ("models", 0.25), ("datasets", 0.15), ("benchmarks", 0.10))
WORDS = ["emotion", "recognition", "reasoning", "multimodal", "large", "language", "model", "audio", "visual", "speech", "affective", "instruction", "tuning", "benchmark", "dataset", "conversation", "facial", "expression", "sentiment", "analysis", "explainable", "open", "vocabulary", "zero", "shot", "video", "understanding", "empathy", "dialogue", "cues", "prosody"]
MODALITIES = ("text", "image", "audio", "video")
TOPICS = ("emotion-mllm", "milestone", "survey", "open-llm")
TASKS = ("emotion-recognition", "emotion-reasoning", "sentiment-analysis")
ORGS = tuple(f"org-{i}" for i in range(22))


def _words(rng: random.Random, count: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(count))


def _counts(n: int) -> dict[str, int]:
    counts = {folder: max(1, int(n * share)) for folder, share in SHARES}
    counts["papers"] += n - sum(counts.values())
    return counts


def generate(root: Path, n: int) -> Path:
    """Write a catalog of ``n`` entries under ``root`` and return ``root``."""
    rng = random.Random(n)
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalog.yaml").write_text(dump_yaml({
        "title": "Synthetic catalog", "description": f"{n} generated entries for benchmarks.",
        "repository": "https://github.com/example/synthetic", "site_url": "https://example.github.io/synthetic/",
    }), encoding="utf-8")
    vocabulary = {
        "topics": {slug: {"name": slug.replace("-", " ").title()} for slug in TOPICS},
        "tasks": {slug: {"name": slug.replace("-", " ").capitalize()} for slug in TASKS},
        "organisations": {slug: {"name": f"Organisation {slug[4:]}"} for slug in ORGS},
        "languages": {"en": {"name": "English"}, "zh": {"name": "Chinese"}},
    }
    (root / "vocabulary.yaml").write_text(dump_yaml(vocabulary), encoding="utf-8")
    counts = _counts(n)
    ids = {folder: [f"{folder[:-1]}-{i:05d}" for i in range(count)] for folder, count in counts.items()}
    for folder in ids:
        (root / folder).mkdir(exist_ok=True)

    def write(folder: str, entry_id: str, data: dict[str, Any]) -> None:
        data["added"] = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        (root / folder / f"{entry_id}.yaml").write_text(dump_yaml(data), encoding="utf-8")

    for index, entry_id in enumerate(ids["papers"]):
        year = rng.randint(2017, 2025)
        write("papers", entry_id, {
            "title": f"{_words(rng, 3).title()} {index}: {_words(rng, 8)}",
            "authors": [f"Author {rng.randint(1, 5000)} {_words(rng, 1).title()}" for _ in range(rng.randint(2, 8))],
            "year": year, "month": rng.randint(1, 12), "venue": rng.choice(["ACL", "CVPR", "ACM MM", "NeurIPS", "arXiv"]),
            "arxiv": f"{year % 100:02d}{rng.randint(1, 12):02d}.{index:05d}",
            "modalities": sorted(rng.sample(MODALITIES, rng.randint(1, 3))),
            "topics": sorted(rng.sample(TOPICS, rng.randint(1, 2))), "tasks": [rng.choice(TASKS)],
            "uses": sorted(set(rng.sample(ids["datasets"], min(2, len(ids["datasets"]))))),
            "links": {"paper": f"https://arxiv.org/abs/{year % 100:02d}01.{index:05d}",
                      "code": f"https://github.com/example/{entry_id}"},
            "abstract": _words(rng, 150),
        })
    for index, entry_id in enumerate(ids["datasets"]):
        write("datasets", entry_id, {
            "name": f"{_words(rng, 1).title()}Set-{index}", "modalities": sorted(rng.sample(MODALITIES, 2)),
            "samples": rng.randint(500, 200000), "emotion_classes": rng.randint(2, 12), "label_type": "categorical",
            "annotation": "human", "hours": f"{rng.randint(1, 900)}.{rng.randint(0, 9)}", "languages": ["en"],
            "paper": ids["papers"][index % len(ids["papers"])],
            "links": {"data": f"https://example.org/data/{entry_id}"}, "description": _words(rng, 30),
        })
    for index, entry_id in enumerate(ids["models"]):
        write("models", entry_id, {
            "name": f"Model-{index} {_words(rng, 1).title()}", "organisation": rng.choice(ORGS),
            "family": _words(rng, 1).title(), "sizes": ["7B", "13B"][: rng.randint(1, 2)],
            "modalities": sorted(rng.sample(MODALITIES, 2)), "open_weights": rng.random() < 0.7,
            "release": f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}",
            "links": {"code": f"https://github.com/example/{entry_id}"},
        })
    for index, entry_id in enumerate(ids["benchmarks"]):
        results = []
        for _ in range(rng.randint(5, 25)):
            model = rng.choice(ids["models"])
            results.append({"model": f"{model} [A, V]", "model_id": model, "metric": rng.choice(["F1", "Accuracy"]),
                            "value": f"{rng.randint(10, 99)}.{rng.randint(0, 99):02d}", "setting": "zero-shot",
                            "source": {"repository": "example/results", "path": f"tables/{entry_id}.md",
                                       "commit": f"{index:040x}"}})
        write("benchmarks", entry_id, {
            "name": f"Bench {index} ({_words(rng, 2)})", "datasets": [ids["datasets"][index % len(ids["datasets"])]],
            "split": "test", "samples": rng.randint(100, 5000), "task": rng.choice(TASKS),
            "metrics": [{"name": "F1", "scale": "0-100"}, {"name": "Accuracy", "scale": "0-100"}],
            "results": results,
        })
    return root


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("synthetic-catalog")
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(generate(target, size))
