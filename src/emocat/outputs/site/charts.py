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
