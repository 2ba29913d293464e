"""Geometry for the server-drawn SVG chart (the template only places it).

The chart is drawn as wide as a phone's screen, so that its labels show at
:data:`FONT_SIZE` pixels or more there, and grows with the screen elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_percent

from awareness.reporting.trend import Point

#: The size of every label, in the chart's units: one CSS pixel or more on any screen.
FONT_SIZE = 12


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float | None
    month: str
    labelled: bool = True


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    ticks: list[Tick]
    points: list[Mark]
    font_size: int = FONT_SIZE

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points if p.y is not None)


def line_chart(points: list[Point], width: int = 340, height: int = 200) -> LineChart:
    """Coverage (0-100%) over months: x spread evenly, y from the bottom.

    Every other month is labelled, counting back from the last, so labels never crowd.
    """
    left, right, top, bottom = 40, width - 12, 10, height - 26
    span = bottom - top
    step = (right - left - 16) / max(len(points) - 1, 1)

    def y_of(ratio: float) -> float:
        return round(bottom - ratio * span, 1)

    ticks = [Tick(y_of(value / 100), format_percent(value / 100)) for value in (0, 25, 50, 75, 100)]
    last = len(points) - 1
    marks = [
        Mark(
            round(left + 8 + step * index, 1),
            None if p.coverage is None else y_of(p.coverage),
            p.month,
            labelled=(last - index) % 2 == 0,
        )
        for index, p in enumerate(points)
    ]
    return LineChart(width, height, left, right, ticks, marks)
