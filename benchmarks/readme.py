"""Benchmark of ``emocat readme``: render the README of a synthetic catalog (DESIGN §8: 10,000 entries < 0.5 s).

Not a test: it prints the best of a few CPU times for the render alone (context, templates, table
alignment) at N and 2N entries, and their ratio (about 2 when the renderer is linear). The catalog is
built in memory, a quarter of each kind, shaped like the real one: milestone papers and surveys, models
in 22 organisations, datasets of every group, benchmarks with ten results each.

Run: .venv/bin/python benchmarks/readme.py [--entries 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
from decimal import Decimal
from pathlib import Path

from emocat.loader import Catalog
from emocat.models import (
    Benchmark,
    CatalogMeta,
    Dataset,
    Links,
    Metric,
    Model,
    Paper,
    Result,
    Source,
    Term,
    Vocabulary,
)
from emocat.render import render_readme

PROJECT = Path(__file__).resolve().parents[1]
LABELS = ("categorical", "descriptive", "sentiment-intensity", None)


def synthetic(entries: int) -> Catalog:
    rnd = random.Random(1)
    added = dt.date(2026, 1, 1)
    vocabulary = Vocabulary(
        topics={slug: Term(name=slug) for slug in ("milestone", "survey", "emotion-mllm", "open-llm")},
        tasks={"emotion-recognition": Term(name="Emotion recognition"), "sentiment-analysis": Term(name="Sentiment")},
        organisations={f"org-{i}": Term(name=f"Organisation {i}") for i in range(22)},
        languages={"en": Term(name="English")},
    )
    meta = CatalogMeta(
        title="Awesome Synthetic Catalog", description="A synthetic catalog.", repository="https://github.com/x/y",
        site_url="https://x.github.io/y/", survey="paper-0", citation="@article{x,\n  title={X}\n}",
        trending=[f"model-{i}" for i in range(7)],
    )
    catalog = Catalog(root=PROJECT / "catalog", meta=meta, vocabulary=vocabulary)
    for i in range(entries // 4):
        org = f"org-{i % 22}"
        topics = ["milestone"] if i % 3 == 0 else ["survey"] if i % 7 == 0 else ["emotion-mllm"]
        catalog.papers[f"paper-{i}"] = Paper(
            id=f"paper-{i}", title=f"Paper {i}: emotion | reasoning [{i}]", year=2000 + i % 26, month=1 + i % 12,
            keyword=f"K{i}", institutions=[org], topics=topics, arxiv=f"{2400 + i % 99}.{i:05d}",
            links=Links(code=f"https://github.com/org/paper-{i}"), added=added,
        )
        catalog.models[f"model-{i}"] = Model(
            id=f"model-{i}", name=f"Model {i}", organisation=org, sizes=["7B", "72B"], modalities=["text", "video"],
            open_weights=True, topics=["emotion-mllm"] if i % 10 == 0 else ["open-llm"], paper=f"paper-{i}",
            links=Links(code=f"https://github.com/org/model-{i}"), added=added,
        )
        catalog.datasets[f"data-{i}"] = Dataset(
            id=f"data-{i}", name=f"Data {i}", modalities=["audio", "video"], samples=i * 13, emotion_classes=7,
            label_type=LABELS[i % 4], annotation="human", hours=Decimal(i) / 4, domain="movie", added=added,
        )
        results = [
            Result(model=f"Model {j}", model_id=f"model-{j}", metric="F1", value=Decimal(rnd.randint(0, 10000)) / 100,
                   source=Source(repository="org/results", path="README.md", commit="0" * 40))
            for j in range(10)
        ]
        catalog.benchmarks[f"bench-{i}"] = Benchmark(
            id=f"bench-{i}", name=f"Bench {i}", datasets=[f"data-{i}"], task="emotion-recognition",
            metrics=[Metric(name="F1")], results=results, added=added,
        )
    return catalog


def render_times(catalog: Catalog, repeat: int) -> tuple[float, float, int]:
    """Best CPU and best wall time of ``render_readme(catalog)`` over ``repeat`` runs, and the README's length.

    One untimed render comes first: it compiles the templates, which a process does once whatever the size.
    """
    size = len(render_readme(catalog, PROJECT))
    cpu = wall = float("inf")
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        render_readme(catalog, PROJECT)
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start_wall)
    return cpu, wall, size


def best_time(catalog: Catalog, repeat: int) -> tuple[float, int]:
    cpu, _, size = render_times(catalog, repeat)
    return cpu, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    half, size_half = best_time(synthetic(args.entries // 2), args.repeat)
    full, size_full = best_time(synthetic(args.entries), args.repeat)
    print(f"{args.entries // 2:>6} entries: {half:.3f} s CPU ({size_half / 1e6:.1f} MB)")
    print(f"{args.entries:>6} entries: {full:.3f} s CPU ({size_full / 1e6:.1f} MB); target < 0.5 s")
    print(f"ratio {args.entries} / {args.entries // 2}: {full / half:.2f} (linear: about 2)")


if __name__ == "__main__":
    main()
