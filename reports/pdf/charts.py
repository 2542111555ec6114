"""Bar charts drawn with reportlab.graphics (vector, so they print sharp)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors

BAR = colors.HexColor("#0b5394")
TARGET = colors.HexColor("#c62828")
INK = colors.HexColor("#1f2933")


def column_chart(
    labels: Sequence[str], values: Sequence[float], *, width: float, height: float, percent: bool, target: float | None
) -> Drawing:
    """Vertical bars (one per label); `percent` scales 0-100 and labels each bar with its value."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 28
    chart.width, chart.height = width - 44, height - 40
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = [label[:14] for label in labels]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fontName = "Helvetica"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100 if percent else max([*values, 1]) * 1.15
    if percent:
        chart.valueAxis.valueStep = 20
        chart.valueAxis.labelTextFormat = "%d %%"
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.1f" if percent else "%d"
    chart.barLabels.fontSize = 6.5
    # Inside the top of each bar, in white: above it they would collide with the target line.
    chart.barLabels.nudge = -7
    chart.barLabels.fillColor = colors.white
    drawing.add(chart)
    if target is not None and percent:
        y = chart.y + chart.height * target / 100
        drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=TARGET, strokeWidth=0.8,
                         strokeDashArray=[3, 2]))
        drawing.add(String(chart.x + chart.width, y + 2, f"target {target:g} %", fontSize=6.5, fillColor=TARGET,
                           textAnchor="end"))
    return drawing


def bar_chart(labels: Sequence[str], values: Sequence[int], *, width: float) -> Drawing:
    """Horizontal bars for counts (incidents by type), largest first as given; height follows the rows."""
    row = 14.0
    height = max(60.0, row * len(labels) + 30)
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 120, 18
    chart.width, chart.height = width - 150, height - 26
    # HorizontalBarChart draws the first category at the bottom: reverse so the list reads top-down.
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = [label[:26] for label in reversed(labels)]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max([*values, 1]) * 1.15
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontSize = 6.5
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing
