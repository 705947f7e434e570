"""Accessible SVG charts, drawn on the server: one KPI of one municipality over time.

The chart is a line of the measurements with the baseline and the target as labelled
horizontal lines. It carries `role="img"` with a `<title>` and a `<desc>` that says what the
numbers show, and the page puts a data table beside it (`benefits/_chart.html`), so nothing
depends on seeing the picture or on JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 560, 220
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36


@dataclass
class Chart:
    points: list[tuple[float, float, date, float]]  # x, y, period, value
    baseline_y: float | None
    target_y: float | None
    ticks: list[tuple[float, float]]  # y, value
    x_labels: list[tuple[float, date]]
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y, _, _) in enumerate(self.points))


def _nice_range(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if low == high:
        low, high = low - 1, high + 1
    margin = (high - low) * 0.1
    low = low - margin if low - margin < 0 or low >= 0 else low - margin
    if min(values) >= 0:
        low = max(low, 0.0)
    return low, high + margin


def build(baseline: float | None, target: float | None, measurements: list[tuple[date, float]]) -> Chart | None:
    """Coordinates for the chart, or None when there is nothing to draw."""
    values = [v for _, v in measurements] + [v for v in (baseline, target) if v is not None]
    if not values:
        return None
    low, high = _nice_range(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) / (high - low) * plot_h

    count = len(measurements)
    step = plot_w / (count - 1) if count > 1 else 0
    points = [(LEFT + (i * step if count > 1 else plot_w / 2), y_of(v), p, v) for i, (p, v) in enumerate(measurements)]
    ticks = [(y_of(low + (high - low) * i / 4), low + (high - low) * i / 4) for i in range(5)]
    every = max(1, count // 6)
    x_labels = [(x, p) for i, (x, _, p, _) in enumerate(points) if i % every == 0 or i == count - 1]
    return Chart(points, y_of(baseline) if baseline is not None else None,
                 y_of(target) if target is not None else None, ticks, x_labels)

