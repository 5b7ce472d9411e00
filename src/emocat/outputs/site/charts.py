"""Geometry of the site's static bar charts; the SVG markup is the template ``site/chart.svg.j2``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
ROW = 26
BAR = 18
PAD = 8
LABEL_WIDTH = 230
VALUE_WIDTH = 70
LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value as written, and where it is drawn."""

    label: str
    short: str
    value: str
    x: str
    y: str
    width: str
    text_y: str
    value_x: str


@dataclass(frozen=True)
class BarChart:
    """A horizontal bar chart with a title and a description (its text alternative)."""

    id: str
    title: str
    description: str
    width: int
    height: int
    label_x: int
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
    left = Decimal(LABEL_WIDTH)
    plot = Decimal(WIDTH - LABEL_WIDTH - VALUE_WIDTH)

    def x(value: Decimal) -> Decimal:
        return left + (value - low) / span * plot

    bars = []
    for index, (label, value) in enumerate(items):
        top = Decimal(PAD + index * ROW)
        start, end = sorted((x(Decimal(0)), x(value)))
        bars.append(Bar(
            label=label,
            short=_shorten(label),
            value=format(value, "f"),
            x=_px(start),
            y=_px(top),
            width=_px(max(end - start, Decimal("0.5"))),
            text_y=_px(top + Decimal(BAR) / 2),
            value_x=_px(max(end, x(Decimal(0))) + 4),
        ))
    return BarChart(
        id=chart_id,
        title=title,
        description=description,
        width=WIDTH,
        height=2 * PAD + ROW * len(items),
        label_x=LABEL_WIDTH - 6,
        zero_x=_px(x(Decimal(0))),
        bars=bars,
    )
