"""A deterministic synthetic catalog of any size, valid and realistic, for measuring emocat.

``generate(root, n, seed=0)`` writes ``n`` entries in total into ``root`` (a catalog folder), spread over the
kinds in proportions close to the real list: half papers, a quarter models, 15 % datasets and 10 %
benchmarks (each with a table of results). Cross-references point at existing entries of the right kind,
vocabulary values come from the generated ``vocabulary.yaml``, and the files are written in canonical form,
as ``emocat fmt`` would leave them.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from emocat.store.writer import dump_yaml, schema_comment

SHARES = (("paper", 0.50), ("model", 0.25), ("dataset", 0.15), ("benchmark", 0.10))
FOLDERS = {"paper": "papers", "model": "models", "dataset": "datasets", "benchmark": "benchmarks"}

WORDS = ["emotion", "recognition", "reasoning", "multimodal", "large", "language", "model", "video", "audio", "speech", "facial", "expression", "affective", "computing", "instruction", "tuning", "benchmark", "dataset", "conversational", "sentiment", "analysis", "visual", "grounding", "explainable", "open", "vocabulary", "zero-shot", "fine-grained", "cues", "contrastive", "pretraining", "alignment", "transformer", "temporal", "egocentric", "empathy", "dialogue", "micro-expression", "prosody", "robust", "noisy", "weakly", "supervised"]
SURNAMES = ["Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Smith", "Müller", "García", "Rossi", "Kowalski", "Tanaka", "Kim", "Nguyen", "Silva", "Ivanova", "Ørsted", "Dubois"]
GIVEN = ["Wei", "Jing", "Yuki", "Anna", "Omar", "Lucas", "Priya", "Elena", "Hao", "Sofia", "Mateo", "Noor", "Zoë", "Jürgen"]
VENUES = ("ACM MM 2024", "CVPR 2025", "NeurIPS 2024", "ICLR 2025", "ACL 2024", "AAAI 2025", "IEEE TAFFC",
          "Interspeech 2024", "ICASSP 2025", "arXiv")
TOPICS = ("emotion-mllm", "milestone", "survey", "dataset-paper", "benchmark-paper", "reasoning", "audio-llm",
          "video-llm")
TASKS = ("emotion-recognition", "emotion-reasoning", "sentiment-analysis", "emotion-captioning",
         "facial-expression-recognition", "speech-emotion-recognition")
ORGANISATIONS = ("alibaba", "deepseek", "meta", "google", "microsoft", "openai", "mistral", "tsinghua", "xjtu",
                 "cas", "ntu", "cmu", "stanford", "baidu", "tencent", "zhipu")
LANGUAGES = ("en", "zh", "de", "fr", "ja", "es")
MODALITIES = ("text", "image", "audio", "video")
METRICS = ("waf", "accuracy", "uar", "war", "f1", "clue-overlap", "label-overlap", "mae")


def _counts(n: int) -> dict[str, int]:
    counts = {kind: int(n * share) for kind, share in SHARES}
    counts["paper"] += n - sum(counts.values())
    return counts


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _title(rng: random.Random, index: int) -> str:
    head = _words(rng, 1, 3).title().replace(" ", "-")
    return f"{head} {index}: {_words(rng, 5, 12).capitalize()}"


def _sentence(rng: random.Random, low: int, high: int) -> str:
    return _words(rng, low, high).capitalize() + "."


def _date(rng: random.Random) -> dt.date:
    return dt.date(2000 + rng.randint(20, 25), rng.randint(1, 12), rng.randint(1, 28))


def _handle(rng: random.Random) -> str:
    """An ASCII user or organisation name, as in GitHub and Hugging Face addresses."""
    return rng.choice(SURNAMES).lower().encode("ascii", "ignore").decode() or "lab"


def _links(rng: random.Random, slug: str, arxiv: str | None) -> dict[str, str]:
    links: dict[str, str] = {}
    if arxiv:
        links["paper"] = f"https://arxiv.org/abs/{arxiv}"
        if rng.random() < 0.5:
            links["pdf"] = f"https://arxiv.org/pdf/{arxiv}"
    if rng.random() < 0.7:
        links["code"] = f"https://github.com/{_handle(rng)}-lab/{slug}"
    if rng.random() < 0.2:
        links["huggingface"] = f"https://huggingface.co/{_handle(rng)}/{slug}"
    if rng.random() < 0.15:
        links["project"] = f"https://{slug}.github.io/"
    return links


def _sample(rng: random.Random, pool: tuple[str, ...] | list[str], low: int, high: int) -> list[str]:
    return rng.sample(list(pool), min(len(pool), rng.randint(low, high)))


def _paper(rng: random.Random, index: int, ids: dict[str, list[str]]) -> dict[str, Any]:
    arxiv = f"{rng.randint(20, 25)}{rng.randint(1, 12):02d}.{index:05d}"
    data: dict[str, Any] = {"title": _title(rng, index)}
    data["authors"] = [f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}" for _ in range(rng.randint(1, 8))]
    data["year"] = rng.randint(2018, 2025)
    data["month"] = rng.randint(1, 12)
    if rng.random() < 0.6:
        data["venue"] = rng.choice(VENUES)
    data["arxiv"] = arxiv
    if rng.random() < 0.3:
        data["doi"] = f"10.{rng.randint(1000, 9999)}/synthetic.{index}"
    if rng.random() < 0.3:
        data["keyword"] = _words(rng, 1, 2).title()
    data["modalities"] = _sample(rng, MODALITIES, 1, 4)
    data["tasks"] = _sample(rng, TASKS, 1, 2)
    data["topics"] = _sample(rng, TOPICS, 1, 2)
    if rng.random() < 0.5:
        data["institutions"] = _sample(rng, ORGANISATIONS, 1, 3)
    if rng.random() < 0.3 and ids["dataset"]:
        data["introduces"] = _sample(rng, ids["dataset"] + ids["model"], 1, 2)
    if rng.random() < 0.5 and ids["dataset"]:
        data["uses"] = _sample(rng, ids["dataset"] + ids["benchmark"], 1, 4)
    if rng.random() < 0.4:
        data["abstract"] = " ".join(_sentence(rng, 12, 30) for _ in range(rng.randint(4, 8)))
    data["links"] = _links(rng, f"paper-{index}", arxiv)
    if rng.random() < 0.5:
        data["description"] = _sentence(rng, 10, 25)
    data["added"] = _date(rng)
    return data


def _model(rng: random.Random, index: int, ids: dict[str, list[str]]) -> dict[str, Any]:
    family = rng.choice(("Qwen", "LLaMA", "DeepSeek", "Gemma", "Mistral", "GLM", "InternVL", "MiniCPM"))
    data: dict[str, Any] = {"name": f"{family}-{index}-{_words(rng, 1, 1).title()}"}
    data["organisation"] = rng.choice(ORGANISATIONS)
    data["family"] = family
    data["sizes"] = sorted({f"{rng.choice((0.5, 1.5, 3, 7, 8, 14, 32, 70, 72))}B" for _ in range(rng.randint(1, 4))})
    data["modalities"] = _sample(rng, MODALITIES, 1, 4)
    data["open_weights"] = rng.random() < 0.8
    data["release"] = f"20{rng.randint(20, 25)}-{rng.randint(1, 12):02d}"
    if rng.random() < 0.6:
        data["paper"] = rng.choice(ids["paper"])
    data["topics"] = _sample(rng, TOPICS, 0, 2)
    data["links"] = _links(rng, f"model-{index}", None)
    if rng.random() < 0.5:
        data["description"] = _sentence(rng, 10, 25)
    data["added"] = _date(rng)
    return data


def _dataset(rng: random.Random, index: int, ids: dict[str, list[str]]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": f"{_words(rng, 1, 2).title().replace(' ', '')}-{index}"}
    data["modalities"] = _sample(rng, MODALITIES, 1, 4)
    data["samples"] = rng.randint(100, 500_000)
    data["emotion_classes"] = rng.randint(2, 30)
    data["label_type"] = rng.choice(("categorical", "dimensional", "descriptive", "sentiment-intensity"))
    data["annotation"] = rng.choice(("human", "model", "human-led-model-assisted", "model-led-human-assisted"))
    data["descriptions"] = rng.random() < 0.3
    data["egocentric"] = rng.random() < 0.1
    data["domain"] = rng.choice(("movie", "TV series", "in the wild", "interview", "social media", "lab"))
    if rng.random() < 0.6:
        data["hours"] = Decimal(rng.randint(1, 20000)) / 10
    data["languages"] = _sample(rng, LANGUAGES, 1, 2)
    data["tasks"] = _sample(rng, TASKS, 1, 2)
    if rng.random() < 0.7:
        data["paper"] = rng.choice(ids["paper"])
    data["license"] = rng.choice(("CC BY 4.0", "CC BY-NC 4.0", "MIT", "research only"))
    data["links"] = _links(rng, f"dataset-{index}", None)
    data["description"] = _sentence(rng, 10, 25)
    data["added"] = _date(rng)
    return data


def _benchmark(rng: random.Random, index: int, ids: dict[str, list[str]]) -> dict[str, Any]:
    metrics = _sample(rng, METRICS, 1, 3)
    data: dict[str, Any] = {"name": f"Bench-{index} {_words(rng, 1, 2).title()}"}
    data["datasets"] = _sample(rng, ids["dataset"], 1, 2)
    data["split"] = rng.choice(("test", "MER-MULTI", "zero-shot", "in-distribution", "unspecified"))
    data["samples"] = rng.randint(100, 20_000)
    data["task"] = rng.choice(TASKS)
    data["label_description"] = _sentence(rng, 4, 10)
    if rng.random() < 0.7:
        data["paper"] = rng.choice(ids["paper"])
    data["metrics"] = metrics
    commit = "".join(rng.choice("0123456789abcdef") for _ in range(40))
    results = []
    for _ in range(rng.randint(5, 40)):
        printed = f"{rng.choice(('Qwen', 'GPT', 'LLaMA', 'Emotion'))}-{rng.randint(1, 999)}"
        result: dict[str, Any] = {}
        if rng.random() < 0.8:
            result["model_id"] = rng.choice(ids["model"])
        else:
            result["baseline"] = printed
        result["as_printed"] = printed
        if rng.random() < 0.3:
            result["variant"] = rng.choice(("7B", "72B", "LoRA", "all parameters"))
        if rng.random() < 0.5:
            result["regime"] = rng.choice(("zero-shot", "fine-tuned", "in-distribution", "out-of-distribution"))
        result["metric"] = rng.choice(metrics)
        result["value"] = Decimal(rng.randint(0, 10000)) / 100
        result["scale"] = "0-100"
        result["source"] = {"repository": f"{_handle(rng)}/bench-{index}", "path": "README.md",
                            "commit": commit}
        results.append(result)
    data["results"] = results
    data["links"] = _links(rng, f"benchmark-{index}", None)
    data["added"] = _date(rng)
    return data


BUILDERS = {"paper": _paper, "model": _model, "dataset": _dataset, "benchmark": _benchmark}


def _vocabulary() -> dict[str, Any]:
    def terms(slugs: tuple[str, ...]) -> dict[str, Any]:
        return {slug: {"name": slug.replace("-", " ").title()} for slug in slugs}

    metrics = {slug: {"name": slug.upper(), "higher_is_better": slug != "mae"} for slug in METRICS}
    return {"topics": terms(TOPICS), "tasks": terms(TASKS), "organisations": terms(ORGANISATIONS),
            "languages": terms(LANGUAGES), "metrics": metrics}


def generate(root: Path | str, n: int, seed: int = 0) -> Path:
    """Write a valid catalog of ``n`` entries into ``root`` (created if missing); return ``root``."""
    root = Path(root)
    rng = random.Random(seed)
    counts = _counts(n)
    ids = {kind: [f"{kind}-{index}" for index in range(counts[kind])] for kind in FOLDERS}
    meta = {"title": "Synthetic catalog", "description": f"{n} generated entries for measurements.",
            "repository": "https://github.com/example/synthetic", "site_url": "https://example.github.io/synthetic/"}
    root.mkdir(parents=True, exist_ok=True)
    (root / "catalog.yaml").write_text(dump_yaml(meta), encoding="utf-8")
    (root / "vocabulary.yaml").write_text(dump_yaml(_vocabulary()), encoding="utf-8")
    for kind in ("paper", "model", "dataset", "benchmark"):
        folder = root / FOLDERS[kind]
        folder.mkdir(exist_ok=True)
        for index, entry_id in enumerate(ids[kind]):
            data = BUILDERS[kind](rng, index, ids)
            (folder / f"{entry_id}.yaml").write_text(schema_comment(kind) + dump_yaml(data), encoding="utf-8")
    return root


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("synthetic-catalog")
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    print(generate(target, size))
