"""Leaderboards: a benchmark's results as ranked lines, the places where sources disagree, best scores over time,
and the models x benchmarks matrix. Every output (README, site, exports) reads boards from here.

A *line* is what a source printed for one model (or baseline) under one protocol: its values on the
benchmark's metrics, side by side. Lines are ranked by the main metric after dividing each value by the
top of its scale, so 0.570 (0-1) and 49.83 (0-100) compare correctly while both are shown as printed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from emocat.catalog.loader import Catalog
from emocat.catalog.models import Benchmark, MetricTerm, Model, Result, Source

_NO_TERM = MetricTerm(name="?")


@dataclass(frozen=True)
class MetricView:
    """A metric of a board: its canonical id and name, description and direction."""

    id: str
    name: str
    higher_is_better: bool
    description: str | None


@dataclass
class Line:
    """One row of a leaderboard."""

    subject: str
    model_id: str | None
    name: str
    variant: str | None
    modalities: tuple[str, ...]
    regime: str | None
    split: str | None
    source: Source
    tables: list[str]
    values: dict[str, Result]
    printed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    anchor: str = ""
    rank: int | None = None
    disputed_by: list[Line] = field(default_factory=list)

    def value(self, metric: str) -> Result | None:
        return self.values.get(metric)

    @property
    def origin(self) -> str:
        """Where the line was read, for the source filter: the repository, or the URL."""
        return self.source.repository or self.source.url or ""

    @property
    def protocol(self) -> str:
        """The protocol fields as one short text, for tables and chart labels."""
        return protocol_text(self.variant, self.modalities, self.regime, self.split)


@dataclass(frozen=True)
class Dispute:
    """Two lines about the same model, protocol and metric whose published values differ."""

    metric: MetricView
    lines: tuple[Line, Line]


@dataclass
class Board:
    """A benchmark's leaderboard: its metrics, ranked lines, disagreements, best score over time."""

    benchmark: Benchmark
    metrics: list[MetricView]
    lines: list[Line]
    disputes: list[Dispute]
    history: list[Line]

    @property
    def main(self) -> MetricView | None:
        return self.metrics[0] if self.metrics else None

    @property
    def ranked(self) -> list[Line]:
        """The lines that have a value on the main metric, best first."""
        return [line for line in self.lines if line.rank is not None]

    @property
    def models(self) -> int:
        """How many model entries the board holds (baseline rows not counted)."""
        return len({line.model_id for line in self.lines if line.model_id})

    @property
    def sources(self) -> int:
        return len({(line.source.repository, line.source.path, line.source.url) for line in self.lines})



def metric_view(catalog: Catalog, metric_id: str) -> MetricView:
    term = catalog.vocabulary.metrics.get(metric_id, _NO_TERM)
    name = metric_id if term is _NO_TERM else term.name
    return MetricView(metric_id, name, term.higher_is_better, term.description)


def _line_key(result: Result) -> tuple[object, ...]:
    src = result.source
    return (result.subject, result.variant, tuple(result.modalities), result.regime, result.split,
            src.repository, src.path, src.commit, src.url, result.table)


def _name(catalog: Catalog, result: Result) -> str:
    model = catalog.models.get(result.model_id) if result.model_id else None
    return model.name if model else (result.baseline or result.as_printed)


def _lines(catalog: Catalog, results: Iterable[Result]) -> list[Line]:
    """Results grouped into lines; a line holds one value per metric."""
    open_lines: dict[tuple[object, ...], list[Line]] = defaultdict(list)
    lines: list[Line] = []
    for result in results:
        key = _line_key(result)
        line = next((c for c in open_lines[key] if result.metric not in c.values), None)
        if line is None:
            line = Line(result.subject, result.model_id, _name(catalog, result), result.variant,
                        tuple(result.modalities), result.regime, result.split, result.source,
                        [result.table] if result.table else [], {})
            open_lines[key].append(line)
            lines.append(line)
        line.values[result.metric] = result
        if result.as_printed not in line.printed:
            line.printed.append(result.as_printed)
        if result.note and result.note not in line.notes:
            line.notes.append(result.note)
    return _merge_tables(lines)


def _merge_tables(lines: list[Line]) -> list[Line]:
    """A line printed identically in several tables of one source is shown once, naming the tables."""
    kept: dict[tuple[object, ...], Line] = {}
    out = []
    for line in lines:
        values = tuple(sorted((m, str(r.value)) for m, r in line.values.items()))
        src = line.source
        key = (line.subject, line.variant, line.modalities, line.regime, line.split, src.repository, src.path,
               src.commit, src.url, values)
        first = kept.get(key)
        if first is None or not line.tables or not first.tables:
            kept.setdefault(key, line)
            out.append(line)
            continue
        first.tables.extend(t for t in line.tables if t not in first.tables)
        first.printed.extend(p for p in line.printed if p not in first.printed)
    return out


def agree(a: Result, b: Result) -> bool:
    """Whether two values are the same number once on one scale, to the precision of the coarser one."""
    x, y = a.normalised, b.normalised
    exponent = max(int(x.as_tuple().exponent), int(y.as_tuple().exponent))
    step = Decimal(1).scaleb(exponent)
    return x.quantize(step) == y.quantize(step)


def _comparable(a: Line, b: Line) -> bool:
    """Same model and protocol, from another source or table (an unstated variant matches any)."""
    return (a.subject == b.subject and a.modalities == b.modalities and a.regime == b.regime
            and a.split == b.split and (a.variant == b.variant or a.variant is None or b.variant is None)
            and (a.source != b.source or a.tables != b.tables))


def _disputes(lines: list[Line], metrics: list[MetricView]) -> list[Dispute]:
    found = []
    by_subject: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        by_subject[line.subject].append(line)
    for group in by_subject.values():
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if not _comparable(a, b):
                    continue
                for metric in metrics:
                    x, y = a.value(metric.id), b.value(metric.id)
                    if x is not None and y is not None and not agree(x, y):
                        found.append(Dispute(metric, (a, b)))
                        if b not in a.disputed_by:
                            a.disputed_by.append(b)
                        if a not in b.disputed_by:
                            b.disputed_by.append(a)
    return found


def protocol_text(variant: str | None, modalities: Sequence[str], regime: str | None, split: str | None) -> str:
    """A line's protocol fields as one short text, for tables, chart labels and ranking ties."""
    parts = [variant, ", ".join(modalities) or None, regime, split]
    return "; ".join(part for part in parts if part)


def _rank_key(main: MetricView, result: Result, name: str) -> tuple[object, ...]:
    """Where a value on the main metric ranks: best first, then by name, protocol and source.

    Remaining ties keep the order of the benchmark's results (sorts are stable). :func:`_order` and
    :func:`podium` both rank by this key, so the README's podium is the top of the site's board.
    """
    value = result.normalised if not main.higher_is_better else -result.normalised
    protocol = protocol_text(result.variant, result.modalities, result.regime, result.split)
    return (value, name.casefold(), protocol, result.source.href)


def _order(lines: list[Line], main: MetricView | None, results: Sequence[Result]) -> list[Line]:
    """Lines with a main value ranked by :func:`_rank_key` (ties: their value's place in ``results``), then the rest."""
    place = {id(result): index for index, result in enumerate(results)}

    def key(item: tuple[int, Line]) -> tuple[object, ...]:
        index, line = item
        result = line.value(main.id) if main else None
        if main is None or result is None:
            return (1, (), index)
        return (0, _rank_key(main, result, line.name), place[id(result)])

    ordered = [line for _, line in sorted(enumerate(lines), key=key)]
    previous: tuple[Decimal, int] | None = None
    for position, line in enumerate(ordered, start=1):
        line.anchor = f"row-{position}"
        result = line.value(main.id) if main else None
        if result is None:
            continue
        if previous is not None and previous[0] == result.normalised:
            line.rank = previous[1]
        else:
            line.rank = position
            previous = (result.normalised, position)
    return ordered


def model_date(catalog: Catalog, model: Model | None) -> str | None:
    """A model's release (YYYY-MM), else the year and month of its paper."""
    if model is None:
        return None
    if model.release:
        return model.release
    paper = catalog.papers.get(model.paper) if model.paper else None
    if paper and paper.year and paper.month:
        return f"{paper.year}-{paper.month:02d}"
    return None


def _history(catalog: Catalog, lines: list[Line], main: MetricView | None) -> list[Line]:
    """The lines that raised the best published score on the main metric, oldest first."""
    if main is None:
        return []
    dated = []
    for line in lines:
        result = line.value(main.id)
        date = model_date(catalog, catalog.models.get(line.model_id)) if line.model_id else None
        if result is not None and date:
            dated.append((date, result.normalised if main.higher_is_better else -result.normalised, line))
    dated.sort(key=lambda item: (item[0], -item[1]))
    best: Decimal | None = None
    steps = []
    for _, score, line in dated:
        if best is None or score > best:
            best = score
            steps.append(line)
    return steps


def board(catalog: Catalog, benchmark: Benchmark) -> Board:
    metrics = [metric_view(catalog, m) for m in benchmark.metrics]
    main = metrics[0] if metrics else None
    lines = _order(_lines(catalog, benchmark.results), main, benchmark.results)
    return Board(benchmark, metrics, lines, _disputes(lines, metrics), _history(catalog, lines, main))


@dataclass(frozen=True)
class Place:
    """One model's (or baseline's) best value on a benchmark's main metric, for a short ranking."""

    name: str
    variant: str | None
    result: Result


def podium(catalog: Catalog, benchmark: Benchmark, count: int = 3) -> list[Place]:
    """The best value of each of the ``count`` best models (baselines included): the top of :func:`board`'s
    ranking, read off the results alone (the README shows it for every benchmark, so it skips the lines)."""
    if not benchmark.metrics:
        return []
    main = metric_view(catalog, benchmark.metrics[0])
    ranked = sorted(
        ((_rank_key(main, result, name), index, result, name)
         for index, result in enumerate(benchmark.results) if result.metric == main.id
         for name in (_name(catalog, result),)),
        key=lambda item: (item[0], item[1]),
    )
    seen: set[str] = set()
    places = []
    for _, _, result, name in ranked:
        if result.subject not in seen:
            seen.add(result.subject)
            places.append(Place(name, result.variant, result))
            if len(places) == count:
                break
    return places


def boards(catalog: Catalog) -> dict[str, Board]:
    return {bench_id: board(catalog, bench) for bench_id, bench in sorted(catalog.benchmarks.items())}


@dataclass(frozen=True)
class Cell:
    """The best line of one model on one board's main metric."""

    board: Board
    line: Line
    result: Result


@dataclass(frozen=True)
class MatrixRow:
    """One model's row of the matrix: its cells by benchmark id, and the same cells in column order, each with
    the number of empty columns before it (``runs``), then the number of empty columns after the last one."""

    model: Model
    modalities: tuple[str, ...]
    cells: dict[str, Cell]
    runs: tuple[tuple[int, Cell], ...]
    empty_after: int


def matrix(catalog: Catalog, all_boards: dict[str, Board]) -> tuple[list[Board], list[MatrixRow]]:
    """Models with results as rows, boards with ranked results as columns, each cell the model's best line."""
    columns = [b for b in all_boards.values() if b.ranked]
    cells: dict[str, dict[str, Cell]] = defaultdict(dict)
    for column in columns:
        assert column.main is not None
        for line in column.ranked:
            if line.model_id and column.benchmark.id not in cells[line.model_id]:
                result = line.value(column.main.id)
                assert result is not None
                cells[line.model_id][column.benchmark.id] = Cell(column, line, result)
    position = {column.benchmark.id: index for index, column in enumerate(columns)}
    rows = []
    for model_id, found in cells.items():
        model = catalog.models[model_id]
        seen: set[str] = set(model.modalities)
        for cell in found.values():
            seen.update(cell.line.modalities)
        order = ("text", "image", "audio", "video")
        runs, next_column = [], 0
        for index, cell in sorted((position[bench_id], cell) for bench_id, cell in found.items()):
            runs.append((index - next_column, cell))
            next_column = index + 1
        rows.append(MatrixRow(model, tuple(m for m in order if m in seen), found, tuple(runs),
                              len(columns) - next_column))
    rows.sort(key=lambda row: (-len(row.cells), row.model.name.casefold(), row.model.id))
    return columns, rows
