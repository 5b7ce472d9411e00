"""Geometry of the site's static bar charts; the SVG markup is the template ``site/chart.svg.j2``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

#: Each bar has its label on a line above it, so labels get the whole width and the text keeps its size: the
#: SVG has no viewBox, lengths across are percentages of its width and lengths down are CSS pixels, so the
#: labels are as large on a phone as on a desktop (the stylesheet sets the font size).
ROW = 40
BAR = 18
PAD = 8
LABEL_LINE = 16
#: Share of the width (percent) the longest bar may take; the rest is for its value.
PLOT = Decimal(84)
LABEL_CHARS = 48


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value as written, and where it is drawn (x, width, value_x: percent of the width)."""

    label: str
    short: str
    value: str
    x: str
    y: str
    width: str
    label_y: str
    text_y: str
    value_x: str


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart with a title and a description (its text alternative)."""

    id: str
    title: str
    description: str
    height: int
    zero_x: str
    bars: list[Bar]


def _px(value: Decimal) -> str:
    """Coordinates with one decimal, so output is identical on every machine."""
    return format(value.quantize(Decimal("0.1")), "f")


def _shorten(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, description: str, items: list[tuple[str, Decimal]]) -> BarChart:
    """Lay out one bar per (label, value), in the given order, scaled to the largest magnitude."""
    values = [value for _, value in items]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    span = (high - low) or Decimal(1)

    def x(value: Decimal) -> Decimal:
        return (value - low) / span * PLOT

    bars = []
    for index, (label, value) in enumerate(items):
        top = Decimal(PAD + index * ROW)
        start, end = sorted((x(Decimal(0)), x(value)))
        bar_top = top + LABEL_LINE + 2
        bars.append(Bar(
            label=label,
            short=_shorten(label),
            value=format(value, "f"),
            x=_px(start),
            y=_px(bar_top),
            width=_px(max(end - start, Decimal("0.5"))),
            label_y=_px(top + LABEL_LINE - 3),
            text_y=_px(bar_top + Decimal(BAR) / 2),
            value_x=_px(max(end, x(Decimal(0)))),
        ))
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        height=2 * PAD + ROW * len(items),
        zero_x=_px(x(Decimal(0))),
        bars=bars,
    )


# --- best score over time ----------------------------------------------------------------------------------

#: Width of the best-over-time chart, in SVG units (it scales to the page).
STEP_WIDTH = 640
STEP_HEIGHT = 260
STEP_LEFT = 56
STEP_RIGHT = 24
STEP_TOP = 20
STEP_BOTTOM = 40


@dataclass(frozen=True)
class StepPoint:
    """A model that raised the best score: its date (YYYY-MM), the value on one scale, a label."""

    date: str
    score: Decimal
    label: str


@dataclass(frozen=True)
class PlacedPoint:
    date: str
    label: str
    x: str
    y: str
    anchor: str = "middle"


@dataclass(frozen=True)
class StepChart:
    """The best score over time as a step line with one marked point per improvement."""

    id: str
    title: str
    description: str
    width: int
    height: int
    path: str
    points: list[PlacedPoint]
    axis_y: str
    axis_left: int
    axis_right: int
    ticks: list[PlacedPoint]


def _month(date: str) -> int:
    year, month = date.split("-")
    return int(year) * 12 + int(month) - 1


def step_chart(chart_id: str, title: str, description: str, points: list[StepPoint], *,
               higher_is_better: bool = True) -> StepChart:
    """Lay out ``points`` (oldest first) on a month axis; the line holds each best value until the next."""
    months = [_month(p.date) for p in points]
    first, last = min(months), max(months)
    span_x = Decimal(max(last - first, 1))
    scores = [p.score for p in points]
    low, high = min(scores), max(scores)
    margin = (high - low) / 10 or abs(high) / 10 or Decimal(1)
    low, high = low - margin, high + margin
    left, right = Decimal(STEP_LEFT), Decimal(STEP_WIDTH - STEP_RIGHT)
    top, bottom = Decimal(STEP_TOP), Decimal(STEP_HEIGHT - STEP_BOTTOM)

    def x(month: int) -> Decimal:
        return left + (Decimal(month - first) / span_x) * (right - left) if last > first else (left + right) / 2

    def y(score: Decimal) -> Decimal:
        share = (score - low) / (high - low)
        return bottom - share * (bottom - top) if higher_is_better else top + share * (bottom - top)

    def anchor(month: int) -> str:  # labels right of the middle end at their point, so none runs off the chart
        return "end" if x(month) > (left + right) / 2 else "start"

    placed = [PlacedPoint(p.date, p.label, _px(x(m)), _px(y(p.score)), anchor(m))
              for p, m in zip(points, months, strict=True)]
    path = [f"M{placed[0].x} {placed[0].y}"]
    for point in placed[1:]:
        path.append(f"H{point.x} V{point.y}")
    path.append(f"H{_px(right)}")
    # one tick per year (January) inside the span, or the single date when there is one point
    years = range(first // 12 + (1 if first % 12 else 0), last // 12 + 1)
    ticks = [PlacedPoint(str(year), str(year), _px(x(year * 12)), _px(bottom + 16)) for year in years]
    if not ticks:
        ticks = [PlacedPoint(points[0].date, points[0].date, placed[0].x, _px(bottom + 16))]
    return StepChart(chart_id, title, description, STEP_WIDTH, STEP_HEIGHT, " ".join(path), placed, _px(bottom),
                     STEP_LEFT, STEP_WIDTH - STEP_RIGHT, ticks)
