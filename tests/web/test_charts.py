"""The server-side SVG chart: every point drawn inside the picture, text escaped."""

from __future__ import annotations

import re

from execrank.web._charts import HEIGHT, MARGIN_BOTTOM, MARGIN_TOP, Point, line_chart


def test_every_point_is_a_dot_inside_the_plot_and_labels_are_escaped() -> None:
    points = [Point("<i>w1</i>", -3.0), Point("w2", 0.0), Point("w3", 43.8)]
    svg = str(line_chart(points, "Heat & <trend>", "none"))
    ys = [float(y) for y in re.findall(r'<circle class="dot" cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert len(ys) == 3
    # y grows downwards: 43.8 highest, -3 lowest, all within the plot's margins
    assert MARGIN_TOP <= ys[2] < ys[1] < ys[0] <= HEIGHT - MARGIN_BOTTOM
    assert "<i>" not in svg and "&lt;i&gt;w1&lt;/i&gt;" in svg
    assert "Heat &amp; &lt;trend&gt;" in svg


def test_no_points_says_so() -> None:
    svg = str(line_chart([], "trend", "No snapshots <yet>"))
    assert "circle" not in svg and "No snapshots &lt;yet&gt;" in svg


def test_many_points_get_at_most_twelve_labels() -> None:
    svg = str(line_chart([Point(f"d{i}", i) for i in range(30)], "t", "none"))
    assert svg.count('<circle class="dot"') == 30
    assert len(re.findall(r'text-anchor="middle">d\d+<', svg)) <= 12
