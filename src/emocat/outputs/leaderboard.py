"""Results of a benchmark ranked on one metric, as every output shows them."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from emocat.catalog.models import Benchmark, Metric, Result


def leaderboard(benchmark: Benchmark, metric: str | None = None) -> list[Result]:
    """Results on ``metric`` (default: the main metric, the first declared), best first."""
    chosen = _metric(benchmark, metric)
    return list(_ranked(benchmark, chosen)) if chosen is not None else []


def top_results(benchmark: Benchmark, count: int = 3, metric: str | None = None) -> list[Result]:
    """The best ``count`` results on the main metric, one per model (its best)."""
    chosen = _metric(benchmark, metric)
    best: list[Result] = []
    if chosen is None:
        return best
    seen: set[str] = set()
    for result in _ranked(benchmark, chosen):
        who = result.model_id or result.model.casefold()
        if who in seen:
            continue
        seen.add(who)
        best.append(result)
        if len(best) == count:
            break
    return best


_VALUE = attrgetter("value")


def _tie_order(result: Result) -> tuple[str, str, str]:
    return (result.model.casefold(), result.setting or "", result.source.href)


def _ranked(benchmark: Benchmark, chosen: Metric) -> Iterator[Result]:
    """Results on ``chosen``, best value first (respecting ``higher_is_better``); equal values by model
    (case-insensitive), setting and source.

    The values are sorted alone and only runs of equal values by the longer key: a README shows the top
    three of every benchmark, and most values are unique.
    """
    name = chosen.name
    results = [r for r in benchmark.results if r.metric == name]
    results.sort(key=_VALUE, reverse=chosen.higher_is_better)
    start, end = 0, len(results)
    while start < end:
        stop = start + 1
        while stop < end and results[stop].value == results[start].value:
            stop += 1
        if stop - start == 1:
            yield results[start]
        else:
            yield from sorted(results[start:stop], key=_tie_order)
        start = stop


def _metric(benchmark: Benchmark, name: str | None) -> Metric | None:
    if name is None:
        return benchmark.main_metric
    return next((m for m in benchmark.metrics if m.name == name), None)
