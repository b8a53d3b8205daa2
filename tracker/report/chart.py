"""The charts of the reports, drawn on bare matplotlib figures (no pyplot state)."""
from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from tracker.atomic import write_atomic

def chart_png(window: pd.DataFrame, pairs: list[tuple[str, str]], alerts: pd.DataFrame) -> bytes:
    """The report's chart: ``pairs`` over the weeks of ``window`` (the index rows of the weeks
    shown), with their bands; one pair gets its alerts marked."""
    # A bare Figure (no pyplot) renders with Agg whatever backend the caller uses and leaves
    # no global figure state behind.
    from matplotlib.figure import Figure

    from tracker.plotting import PairsDisplay, TimelineDisplay

    fig = Figure(figsize=(9, 4.2), dpi=100)
    ax = fig.subplots()
    if len(pairs) == 1:
        TimelineDisplay.from_index(window, pairs[0], alerts=alerts).plot(ax=ax)
    else:
        PairsDisplay.from_index(window, pairs=pairs).plot(ax=ax, show_bands=True)
    if len(fig.axes) == 1:
        # Fixed margins (room on the right for a legend beside the plot): half the time of
        # the constrained layout, which the small multiples of many pairs still need.
        fig.subplots_adjust(left=0.085, right=0.83 if ax.get_legend() is not None else 0.975,
                            bottom=0.14, top=0.92)
    else:
        fig.set_layout_engine("constrained")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def save_chart(display, path: str | Path, figsize=(8, 4.2), dpi: int = 120) -> Path:
    """Draw a ``*Display`` on a fresh figure and write it to ``path`` (PNG, SVG or PDF).

    The report module is the one place that writes figures to disk.
    """
    from matplotlib.figure import Figure

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    display.plot(ax=fig.subplots())
    buf = io.BytesIO()
    fig.savefig(buf, format=path.suffix.lstrip(".").lower() or "png")
    write_atomic(path, buf.getvalue())
    return path


