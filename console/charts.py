"""Server-rendered SVG charts: the geometry is computed here, `console/_chart.html` draws it.

No JavaScript and no chart library: a chart is rectangles, polylines and text, so it
shows on a closed network and under the console's strict Content-Security-Policy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 36

Series = tuple[str, str, Sequence[float]]  # label, colour, one value per x label


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Line:
    points: str
    colour: str
    title: str
    dots: list[tuple[float, float, str]]


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    rects: list[Rect] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def empty(self) -> bool:
        return not self.rects and not any(line.dots for line in self.lines)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _frame(labels: Sequence[str], top_value: float) -> tuple[Chart, float, float]:
    chart = Chart()
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    scale = plot_height / top_value
    for i, label in enumerate(labels):
        chart.x_ticks.append(Tick(LEFT + slot * (i + 0.5), label))
    for n in range(5):
        value = top_value * n / 4
        chart.y_ticks.append(Tick(HEIGHT - BOTTOM - value * scale, f"{value:g}"))
    return chart, slot, scale


def bar_chart(*, labels: Sequence[str], series: Sequence[Series]) -> Chart:
    """Stacked bars, one per label, one segment per series."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(labels))]
    chart, slot, scale = _frame(labels, _nice_max(max(totals, default=0)))
    chart.legend = [(label, colour) for label, colour, _ in series]
    for i, label in enumerate(labels):
        base = float(HEIGHT - BOTTOM)
        for name, colour, values in series:
            if values[i] <= 0:
                continue
            height = values[i] * scale
            base -= height
            chart.rects.append(
                Rect(LEFT + slot * i + slot * 0.15, base, slot * 0.7, height, colour, f"{label}: {name} {values[i]:g}")
            )
    return chart


def line_chart(*, labels: Sequence[str], series: Sequence[Series]) -> Chart:
    """One polyline per series over the labels."""
    top = max((max(values, default=0) for _, _, values in series), default=0)
    chart, slot, scale = _frame(labels, _nice_max(top))
    chart.legend = [(label, colour) for label, colour, _ in series]
    for name, colour, values in series:
        dots = [
            (
                round(LEFT + slot * (i + 0.5), 1),
                round(HEIGHT - BOTTOM - value * scale, 1),
                f"{labels[i]}: {name} {value:g}",
            )
            for i, value in enumerate(values)
        ]
        chart.lines.append(Line(" ".join(f"{x},{y}" for x, y, _ in dots), colour, name, dots))
    return chart
