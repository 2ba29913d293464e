"""Geometry for the server-drawn SVG charts (the templates only place it)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_percent

from awareness.reporting.trend import Point


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float | None
    month: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    ticks: list[Tick]
    points: list[Mark]

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points if p.y is not None)


def line_chart(points: list[Point], width: int = 640, height: int = 240) -> LineChart:
    """Coverage (0-100%) over months: x spread evenly, y from the bottom."""
    left, right, top, bottom = 50, width - 20, 10, height - 30
    span = bottom - top
    step = (right - left - 20) / max(len(points) - 1, 1)

    def y_of(ratio: float) -> float:
        return round(bottom - ratio * span, 1)

    ticks = [Tick(y_of(value / 100), format_percent(value / 100)) for value in (0, 25, 50, 75, 100)]
    marks = [
        Mark(
            round(left + 10 + step * index, 1),
            None if p.coverage is None else y_of(p.coverage),
            p.month,
        )
        for index, p in enumerate(points)
    ]
    return LineChart(width, height, left, right, ticks, marks)
