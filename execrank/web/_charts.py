"""Line charts drawn on the server as SVG: no script, nothing fetched from anywhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
HEIGHT = 220
MARGIN_LEFT = 48
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
GRID_LINES = 4  # horizontal lines between zero and the top value
DOT_RADIUS = 3.5
LABELS_AT_MOST = 12  # x labels shown; with more points every n-th is labelled


@dataclass(frozen=True)
class Point:
    label: str  # shown under the x axis (a date)
    value: float


def _round_up(value: float) -> float:
    """A round number at or above value (>= 0): 7.3 -> 8, 43 -> 50, 0 -> 0."""
    if value <= 0:
        return 0.0
    step = 10 ** (len(str(int(value))) - 1)
    return float(-(-value // step) * step)


@dataclass(frozen=True)
class _Frame:
    """The plotting area and the y range it shows (zero always included)."""

    low: float
    high: float

    @classmethod
    def around(cls, values: Sequence[float]) -> _Frame:
        high = max(_round_up(max(values)), 1.0)
        return cls(-_round_up(-min(values)), high)

    def y(self, value: float) -> float:
        inner_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
        return MARGIN_TOP + inner_height * (self.high - value) / (self.high - self.low)

    def x(self, index: int, count: int) -> float:
        inner_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
        return MARGIN_LEFT + (inner_width * index / (count - 1) if count > 1 else inner_width / 2)


def _grid(frame: _Frame) -> list[str]:
    lines = []
    for line in range(GRID_LINES + 1):
        value = frame.low + (frame.high - frame.low) * line / GRID_LINES
        y = frame.y(value)
        lines.append(
            f'<line class="grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" '
            f'y2="{y:.1f}"/><text class="axis" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{value:g}</text>'
        )
    return lines


def _dots(frame: _Frame, points: Sequence[Point]) -> list[str]:
    """A dot per point with its value as a tooltip, and at most LABELS_AT_MOST x labels."""
    every = -(-len(points) // LABELS_AT_MOST)
    parts = []
    for index, point in enumerate(points):
        x, y = frame.x(index, len(points)), frame.y(point.value)
        parts.append(
            f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="{DOT_RADIUS}">'
            f"<title>{escape(point.label)}: {point.value:.2f}</title></circle>"
        )
        if index % every == 0:
            parts.append(
                f'<text class="axis" x="{x:.1f}" y="{HEIGHT - MARGIN_BOTTOM + 16}" '
                f'text-anchor="middle">{escape(point.label)}</text>'
            )
    return parts


def line_chart(points: Sequence[Point], title: str, empty: str) -> Markup:
    """An SVG line chart of points in order, zero on the y axis; `empty` is shown when there
    are none. `title` and labels are escaped."""
    opening = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )
    if not points:
        message = f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">{escape(empty)}'
        return Markup(f"{opening}{message}</text></svg>")
    frame = _Frame.around([p.value for p in points])
    path = " ".join(
        f"{frame.x(i, len(points)):.1f},{frame.y(p.value):.1f}" for i, p in enumerate(points)
    )
    line = f'<polyline class="line" fill="none" points="{path}"/>'
    return Markup("".join([opening, *_grid(frame), line, *_dots(frame, points), "</svg>"]))
