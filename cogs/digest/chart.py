"""The digest's chart: messages per day, this week against the week before, as a PNG.

Drawn with matplotlib's Agg canvas (no display, no pyplot state, safe off the event loop).
Its own mid-grey card with light text and mid-tone bars reads the same on a dark or a light
theme."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH_PX = 800
HEIGHT_PX = 400
DPI = 100
BACKGROUND = "#4A4F5A"
TEXT = "#F2F2F2"
GRID = "#6B7180"
THIS_WEEK = "#5DADE2"
WEEK_BEFORE = "#F5B041"


@dataclass(frozen=True, slots=True)
class ChartText:
    """Everything the chart writes, already translated."""

    title: str
    day_labels: tuple[str, ...]
    this_week: str
    week_before: str
    y_label: str
    x_label: str


def activity_chart(labels: ChartText, now: Sequence[int], before: Sequence[int]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_facecolor(BACKGROUND)
    positions = list(range(len(now)))
    width = 0.38
    axes.bar(
        [p - width / 2 for p in positions],
        before,
        width,
        color=WEEK_BEFORE,
        label=labels.week_before,
    )
    axes.bar(
        [p + width / 2 for p in positions], now, width, color=THIS_WEEK, label=labels.this_week
    )
    axes.set_xticks(positions, labels.day_labels)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0, top=max([*now, *before, 1]) * 1.15)
    axes.set_title(labels.title, color=TEXT)
    axes.set_ylabel(labels.y_label, color=TEXT)
    axes.set_xlabel(labels.x_label, color=TEXT)
    axes.tick_params(colors=TEXT)
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    for spine in axes.spines.values():
        spine.set_color(GRID)
    legend = axes.legend(facecolor=BACKGROUND, edgecolor=GRID, loc="upper left")
    for text in legend.get_texts():
        text.set_color(TEXT)
    # Fixed margins: tight_layout measures every text and costs more than the drawing.
    figure.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=0.14)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor=BACKGROUND)
    return buffer.getvalue()
