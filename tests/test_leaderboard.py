"""Leaderboards: lines, ranks across scales, one row for a number printed in several tables, disagreements,
best score over time, the results matrix; and the checks on results (did-you-mean, unknown model)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalogs import write_catalog
from emocat.catalog.checks import check, load_valid
from emocat.catalog.loader import Catalog
from emocat.catalog.models import Benchmark, Result
from emocat.errors import Severity
from emocat.outputs.leaderboard import agree, board, boards, matrix, podium

REPO_CATALOG = Path(__file__).resolve().parent.parent / "catalog"
URL = {"url": "https://example.org/r"}


def result(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"as_printed": fields.get("baseline") or fields.get("model_id") or "x", "metric": "waf",
                            "source": URL}
    return {**base, **fields}


@pytest.fixture(scope="module")
def repo() -> Catalog:
    return load_valid(REPO_CATALOG)


def test_values_agree_to_the_precision_of_the_coarser_one() -> None:
    def r(value: str, scale: str) -> Result:
        return Result.model_validate({"baseline": "b", "as_printed": "b", "metric": "f1", "value": Decimal(value),
                                      "scale": scale, "source": URL})
    assert agree(r("0.9036", "0-1"), r("0.9035772", "0-1"))  # the README rounds the evaluation output
    assert agree(r("90.36", "0-100"), r("0.9036", "0-1"))
    assert not agree(r("0.570", "0-1"), r("49.83", "0-100"))


def test_a_number_printed_in_several_tables_is_one_row_naming_them(repo: Catalog) -> None:
    meld = board(repo, repo.benchmarks["meld-erc"])
    llama2 = [line for line in meld.lines if line.variant == "Llama2 backbone, LoRA"]
    assert len(llama2) == 1 and llama2[0].tables == ["Table1", "Table2"]
    assert not llama2[0].disputed_by
    # the same source prints two different numbers for LoRA Llama in its two tables: both rows, marked
    llama = [line for line in meld.lines if line.variant == "Llama backbone, LoRA"]
    assert [line.tables for line in llama] in (
        [["Table1"], ["Table2"]], [["Table2"], ["Table1"]]) and all(line.disputed_by for line in llama)


def test_meld_speech_emotion_board_merges_three_sources_and_marks_qwen2_5_omni(repo: Catalog) -> None:
    meld = board(repo, repo.benchmarks["meld-ser"])
    assert meld.sources == 3
    pairs = {(d.lines[0].model_id, d.metric.id) for d in meld.disputes}
    assert ("qwen2-5-omni-model", "unnamed-score") in pairs
    values = {str(line.values["unnamed-score"].value) for line in meld.lines
              if line.model_id == "qwen2-5-omni-model"}
    assert values == {"0.570", "49.83"}
    # 59.13 (0-100) ranks above 0.570 (0-1): compared on one scale, shown as printed
    assert [line.model_id for line in meld.ranked[:2]] == ["kimi-audio-model", "qwen2-5-omni-model"]


def test_every_board_ranks_its_lines_by_the_main_metric_on_one_scale(repo: Catalog) -> None:
    for found in boards(repo).values():
        if found.main is None:
            continue
        scores = [line.values[found.main.id].normalised for line in found.ranked]
        assert scores == sorted(scores, reverse=found.main.higher_is_better), found.benchmark.id
        assert len(found.ranked) + sum(1 for line in found.lines if line.rank is None) == len(found.lines)


def test_dfew_holds_three_sources_and_its_history_only_rises(repo: Catalog) -> None:
    dfew = board(repo, repo.benchmarks["dfew-benchmark"])
    assert dfew.sources >= 3 and {line.regime for line in dfew.lines} >= {"zero-shot", "in-distribution", None}
    scores = [line.values["uar"].normalised for line in dfew.history]
    assert len(scores) >= 2 and scores == sorted(scores) and len(set(scores)) == len(scores)
    assert all(line.model_id for line in dfew.history)  # baselines have no date


def test_results_matrix_holds_each_models_best_line(repo: Catalog) -> None:
    every = boards(repo)
    columns, rows = matrix(repo, every)
    assert {c.benchmark.id for c in columns} >= {"dfew-benchmark", "mafw-benchmark", "meld-ser", "mmla-benchmark"}
    by_model = {row.model.id: row for row in rows}
    cell = by_model["humanomni-model"].cells["dfew-benchmark"]
    assert cell.line.rank == 1 and str(cell.result.value) == "74.86"
    assert "audio" in by_model["wav2vec-2-0"].modalities


def test_a_baseline_named_like_a_model_gets_a_did_you_mean_warning(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", {
        "models/gpt-4o": {"name": "GPT-4o", "aliases": ["GPT4-O"], "organisation": "alibaba"},
        "benchmarks/b": {"name": "B", "metrics": ["waf"], "results": [
            result(baseline="GPT4-O", as_printed="GPT4-O [AV]", value=Decimal("1")),
            result(baseline="Human", value=Decimal("2")),
            result(baseline="Chance", as_printed="gpt 4o (zero-shot)", value=Decimal("3")),
        ]},
    })
    _, problems = check(root)
    found = [(p.field, p.rule, p.severity) for p in problems]
    assert found == [("results[0].baseline", "result-model-name", Severity.WARNING),
                     ("results[2].as_printed", "result-model-name", Severity.WARNING)]
    first = problems[0]
    assert first.path.endswith("benchmarks/b.yaml") and first.line > 0 and first.column > 0
    assert "did you mean model_id: gpt-4o?" in first.message


def test_an_unknown_model_id_is_a_located_error(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "catalog", {
        "models/gpt-4o": {"name": "GPT-4o", "organisation": "alibaba"},
        "benchmarks/b": {"name": "B", "metrics": ["waf"], "results": [
            result(model_id="gpt-4", as_printed="GPT-4", value=Decimal("1"))]},
    })
    _, problems = check(root)
    (problem,) = problems
    assert (problem.field, problem.rule, problem.severity) == ("results[0].model_id", "unknown-reference", Severity.ERROR)
    assert "did you mean 'gpt-4o'?" in problem.message and problem.line > 0


@pytest.fixture(scope="module")
def tied(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Two models whose names collide with baselines, and a metric ranked lowest first."""
    root = write_catalog(tmp_path_factory.mktemp("tied") / "catalog", {
        "models/m-one": {"name": "One", "organisation": "alibaba"},
        "models/m-two": {"name": "Two", "organisation": "alibaba"},
    }, vocabulary={"metrics": {"low": {"name": "Low", "higher_is_better": False}}})
    return load_valid(root)


values = st.sampled_from(["1", "1.0", "2", "0.01", "0.02"])
results = st.lists(st.fixed_dictionaries({
    "who": st.sampled_from([("model_id", "m-one"), ("model_id", "m-two"), ("baseline", "One"), ("baseline", "Z")]),
    "metric": st.sampled_from(["waf", "low"]),
    "value": values,
    "scale": st.sampled_from([None, "0-1", "0-100"]),
    "variant": st.sampled_from([None, "a", "b"]),
    "table": st.sampled_from([None, "T1", "T2"]),
    "url": st.sampled_from(["https://example.org/r", "https://example.org/s"]),
}), max_size=12)


@given(drawn=results, main=st.sampled_from(["waf", "low"]))
@settings(max_examples=300, deadline=None)
def test_the_podium_is_the_top_of_the_board(tied: Catalog, drawn: list[dict[str, Any]], main: str) -> None:
    """The README's podium (read off the results) names what the site's board ranks first, model by model."""
    other = "low" if main == "waf" else "waf"
    bench = Benchmark.model_validate({"name": "B", "added": "2024-01-01", "metrics": [main, other], "results": [
        {item["who"][0]: item["who"][1], "as_printed": item["who"][1], "metric": item["metric"],
         "value": Decimal(item["value"]), "scale": item["scale"], "variant": item["variant"],
         "table": item["table"], "source": {"url": item["url"]}}
        for item in drawn]})
    seen: set[str] = set()
    expected = []
    for line in board(tied, bench).ranked:
        if line.subject not in seen:
            seen.add(line.subject)
            expected.append((line.name, line.variant, line.values[main]))
    got = [(place.name, place.variant, place.result) for place in podium(tied, bench, count=len(drawn))]
    assert [(n, v) for n, v, _ in got] == [(n, v) for n, v, _ in expected]
    assert all(mine is theirs for (_, _, mine), (_, _, theirs) in zip(got, expected, strict=True))
    assert [p.name for p in podium(tied, bench)] == [n for n, _, _ in expected[:3]]
