"""The landed catalog: checks pass, the upstream list is complete, every published result is carried over exactly."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import bibtexparser
import pytest

from emocat.catalog.checks import check
from emocat.catalog.loader import Catalog
from emocat.catalog.models import Paper
from emocat.commands.fmt import format_catalog
from emocat.errors import Severity
from emocat.outputs.export import export

REPO = Path(__file__).resolve().parent.parent
CATALOG = REPO / "catalog"
DATA_CANDIDATES = (Path("/work/shared/data"), REPO.parent / "shared" / "data")
DATA = next((path for path in DATA_CANDIDATES if (path / "results.csv").exists()), None)
UPSTREAM = DATA / "upstream" / "Awesome-Emotion-Reasoning-README.md" if DATA else None

needs_data = pytest.mark.skipif(DATA is None, reason="../shared/data/results.csv is not available on this machine")
needs_upstream = pytest.mark.skipif(UPSTREAM is None or not UPSTREAM.exists(),
                                    reason="../shared/data/upstream/Awesome-Emotion-Reasoning-README.md is not available")

#: Upstream URLs that are deliberately in no entry, and why.
DROPPED_URLS = {
    "https://img.shields.io/github/stars/yuntaoshou/Awesome-Emotion-Reasoning?color=yellow": "star-count badge image",
    "https://github.com/yuntaoshou/Awesome-Emotion-Reasoning/stargazers": "target of the star badge",
    "https://img.shields.io/github/forks/yuntaoshou/Awesome-Emotion-Reasoning?color=lightblue&label=fork": "fork badge image",
    "https://github.com/yuntaoshou/Awesome-Emotion-Reasoning/network/members": "target of the fork badge",
    "https://awesome.re/badge.svg": "Awesome badge image",
    "https://awesome.re": "target of the Awesome badge",
    "https://api.star-history.com/svg?repos=yuntaoshou/Awesome-Emotion-Reasoning&type=Date": "star-history chart",
    "https://star-history.com/#yuntaoshou/Awesome-Emotion-Reasoning&Date": "target of the star-history chart",
    "https://github.com/Hannibal046/Awesome-LLM": "acknowledgement of the list the general sections follow; "
                                                  "a credit, not a catalog item (named in the section intros)",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    loaded, problems = check(CATALOG, strict=True)
    assert [p.format() for p in problems] == []
    return loaded


def with_topic(catalog: Catalog, topic: str) -> list[Paper]:
    return [paper for paper in catalog.papers.values() if topic in paper.topics]


def test_check_strict_and_fmt_are_clean(catalog: Catalog) -> None:
    _, problems = check(CATALOG, strict=True)
    assert not [p for p in problems if p.severity is Severity.ERROR]
    report = format_catalog(CATALOG, check=True)
    assert (report.changed, report.problems) == ([], [])


def test_upstream_sections_are_complete(catalog: Catalog) -> None:
    assert catalog.meta is not None
    assert len(catalog.meta.trending) == 7
    assert all(t in catalog.models for t in catalog.meta.trending)
    assert [s.id for s in catalog.meta.sections] == [
        "trending", "papers", "milestone-papers", "open-llm", "emotion-llms", "datasets", "benchmarks", "other-surveys"]
    milestone = with_topic(catalog, "milestone")
    assert len(milestone) == 75
    assert all(p.year and p.month and p.keyword and p.institutions and p.links.items_present() for p in milestone)
    open_llm = [m for m in catalog.models.values() if "open-llm" in m.topics]
    assert len(open_llm) == 99  # 101 linked items, two of them listed twice
    assert len({m.organisation for m in open_llm}) == 22
    emotion = [p for p in with_topic(catalog, "emotion-mllm") if "survey" not in p.topics]
    upstream = [p for p in emotion if p.added == dt.date(2026, 11, 25)]
    assert len(upstream) == 15  # the emotion papers of the upstream list: each with its code and its model
    for paper in upstream:
        assert paper.modalities and paper.links.code and paper.arxiv
        assert "model" in [catalog.get(i).kind for i in paper.introduces]  # type: ignore[union-attr]
    assert len(emotion) >= 45  # and the emotion work added since, each with what a reader filters on
    for paper in emotion:
        assert paper.modalities and paper.tasks and paper.authors and paper.venue and paper.year, paper.id
    surveys = [p for p in with_topic(catalog, "survey") if p.id != catalog.meta.survey]
    assert len(surveys) == 11
    assert all(p.links.pdf for p in surveys)
    assert sum(1 for p in surveys if p.links.code) == 4
    assert catalog.meta.survey == "mllm-meet-emotion-survey" and catalog.meta.citation
    assert len(catalog.datasets) >= 39
    unibench = [b for b in catalog.benchmarks.values() if b.suite == "mer-unibench"]
    assert len(unibench) == 9 and all(b.samples and b.split and b.datasets for b in unibench)
    assert not catalog.benchmarks["mer-unibench"].results


def test_inventory_fixes_hold(catalog: Catalog) -> None:
    names = {m.name for m in catalog.models.values()}
    assert {"OmniLMM-12B", "DeepSeek-VL2-Tiny", "DeepSeek-VL2-Small", "DeepSeek-VL2"} <= names
    assert "OmniLLM-12B" not in names and not any(n.startswith("Deepseek-Vl2") for n in names)
    assert catalog.models["internvl"].sizes == ["2B", "6B", "14B", "26B"]
    assert catalog.vocabulary.organisations["eleutherai"].name == "EleutherAI"
    assert "allenai" in catalog.papers["olmo"].institutions and catalog.models["olmo-7b"].organisation == "allenai"
    assert catalog.papers["megatron-turing-nlg"].title.startswith("Using DeepSpeed and Megatron")
    assert catalog.papers["otter"].title.startswith("Otter: ")
    assert catalog.papers["video-llama"].title.startswith("Video-LLaMA: ")
    assert catalog.models["video-llama-model"].modalities == ["text", "audio", "video"]
    assert catalog.datasets["emovit"].name == "EmoVIT"
    assert catalog.benchmarks["iemocap-session5"].split == "Session5"
    assert str(catalog.datasets["semaine"].hours) == "6.5"
    # where the Date column and the arXiv id disagree, the arXiv id wins
    assert (catalog.papers["codex"].year, catalog.papers["codex"].month) == (2021, 7)
    assert (catalog.papers["llama3"].year, catalog.papers["llama3"].month) == (2024, 7)
    all_text = " ".join(str(e.model_dump()) for e in catalog.entries())
    assert "](-)" not in all_text and "minicpm-2b-65d48bf958302b9fd25b698f)" not in all_text


@needs_upstream
def test_every_upstream_url_is_in_an_entry_or_dropped_for_a_reason(catalog: Catalog) -> None:
    assert UPSTREAM is not None
    text = UPSTREAM.read_text(encoding="utf-8")
    upstream = list(dict.fromkeys(re.findall(r"https?://[^\s)\]>]+", text)))
    present = {url for entry in catalog.entries() for _, url in entry.urls()}
    missing = [url for url in upstream if url not in present and url not in DROPPED_URLS]
    assert missing == []
    assert set(DROPPED_URLS) <= set(upstream), "the allow-list names only URLs the upstream has"
    assert not set(DROPPED_URLS) & present, "a dropped URL is in fact present; remove it from the allow-list"


#: the source data's metric column -> the canonical metric of catalog/vocabulary.yaml
METRIC_OF = {
    "F1 Score": "f1", "Accuracy": "accuracy", "Precision": "precision", "Recall": "recall", "UAR": "uar",
    "WAR": "war", "W-F1": "weighted-f1", "ACC": "accuracy", "ACC (speech emotion recognition)": "accuracy",
    "Performance (SER; metric not named in table)": "unnamed-score",
    "Performance↑ (Audio Understanding table; metric not named)": "unnamed-score",
    "Score (weighted average F-score per README citation abstract)": "waf",
    "Clue Overlap (0-10)": "clue-overlap", "Label Overlap (0-10)": "label-overlap", "Correctness": "correctness",
    "Detail": "detail", "Context": "context", "Temporal": "temporal", "CIDEr": "cider", "Rouge-L": "rouge-l",
    "AutoDQ": "autodq", "leaderboard score (Avg.)": "emobench-avg", "leaderboard score (FER)": "emobench-fer",
    "leaderboard score (CEU)": "emobench-ceu", "leaderboard score (SCEA)": "emobench-scea",
    "S_{rege}": "s-rege", "S_{re}": "s-re", "S_{ge}": "s-ge",
}


@needs_data
def test_every_result_row_is_present_exactly_once_with_its_source(catalog: Catalog) -> None:
    assert DATA is not None
    with (DATA / "results.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 551
    expected = Counter((r["model"], METRIC_OF[r["metric"]], r["value"], r["source_repo"], r["source_path"],
                        r["source_commit"]) for r in rows)
    found = Counter(
        (res.as_printed, res.metric, str(res.value), res.source.repository, res.source.path, res.source.commit)
        for bench in catalog.benchmarks.values() for res in bench.results
    )
    assert found == expected


def test_results_name_a_model_or_are_baselines(catalog: Catalog) -> None:
    results = [r for bench in catalog.benchmarks.values() for r in bench.results]
    named = [r for r in results if r.model_id]
    assert len(named) / len(results) >= 0.8
    assert all(r.model_id in catalog.models for r in named)
    assert all(r.baseline for r in results if not r.model_id)


def test_merged_boards_hold_every_source(catalog: Catalog) -> None:
    def sources(bench_id: str) -> set[str | None]:
        return {r.source.repository for r in catalog.benchmarks[bench_id].results}
    assert len(sources("dfew-benchmark")) >= 3
    assert sources("meld-ser") == {"QwenLM/Qwen-Audio", "QwenLM/Qwen2.5-Omni", "MoonshotAI/Kimi-Audio"}
    assert sources("mafw-benchmark") == {"HumanMLLM/HumanOmni", "HumanMLLM/R1-Omni"}


@needs_data
def test_result_values_survive_formatting_as_printed() -> None:
    """`emocat fmt` writes every value with the digits it was read with (25.00 stays 25.00)."""
    assert DATA is not None
    with (DATA / "results.csv").open(encoding="utf-8", newline="") as handle:
        printed = {r["value"] for r in csv.DictReader(handle)}
    texts = " ".join(path.read_text(encoding="utf-8") for path in (CATALOG / "benchmarks").glob("*.yaml"))
    written = set(re.findall(r"^\s+value: (\S+)$", texts, flags=re.MULTILINE))
    assert printed <= written
    assert any(value.endswith("0") for value in printed), "the data has trailing zeros to protect"


def test_every_result_has_a_scale_and_a_pinned_source(catalog: Catalog) -> None:
    for bench in catalog.benchmarks.values():
        if bench.results:
            assert bench.metrics, bench.id
        for result in bench.results:
            assert result.source.repository and result.source.commit and len(result.source.commit) == 40
        if len({r.source.repository for r in bench.results}) > 1:  # several sources compare only on a scale
            assert all(r.scale for r in bench.results), bench.id


def test_bibliographic_data_is_complete(catalog: Catalog) -> None:
    """Authors for nearly every paper (all but written-down gaps), every paper in catalog.bib with an author."""
    papers = list(catalog.papers.values())
    assert sum(1 for p in papers if p.authors) / len(papers) >= 0.95
    assert all(p.authors or "authors" in p.missing for p in papers)
    assert all(d.paper or d.links.items_present() or "links" in d.missing for d in catalog.datasets.values())
    library = bibtexparser.parse_string(export(catalog, "bibtex"))
    assert len(library.entries) == len(papers) and not library.failed_blocks
    assert all("author" in entry.fields_dict for entry in library.entries)
