"""Charts of the relationship index: index DataFrame in, ``*Display`` objects out.

Follows scikit-learn's Display API: ``Display.from_index(index_df, ...)`` only *selects* data
from an index DataFrame made by :class:`tracker.index.RelationshipIndex` (it never computes the
index), and ``display.plot(ax=None)`` draws it, creating a figure only when no ``ax`` is given.
``plot`` stores the axes as ``ax_``, the figure as ``figure_`` and what it drew (``line_``,
``band_``, ...) and returns the display, so one selection can be drawn many times. Nothing
here saves files or calls ``show()``; the report is the one place that writes figures.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from tracker.plotting import TimelineDisplay
>>> idx = pd.DataFrame({"period": ["2024-W05", "2024-W06"],
...     "period_start": pd.to_datetime(["2024-01-29", "2024-02-05"]),
...     "country_a": ["CHN", "CHN"], "country_b": ["USA", "USA"], "index": [-20.0, -45.0],
...     "lower": [-60.0, -70.0], "upper": [20.0, -20.0], "n_statements": [2, 9]})
>>> disp = TimelineDisplay.from_index(idx, ("USA", "CHN")).plot()
>>> disp.line_.get_label()
'CHN-USA'
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from tracker import errors

_UNDIRECTED = ("country_a", "country_b")
_DIRECTED = ("source", "target")


def _keys(index_df: pd.DataFrame) -> tuple[str, str]:
    if not isinstance(index_df, pd.DataFrame):
        raise errors.TrackerError(
            f"index_df must be a pandas DataFrame, got {type(index_df).__name__}; "
            "use RelationshipIndex(...).fit_transform(statements)."
        )
    keys = _UNDIRECTED if "country_a" in index_df.columns else _DIRECTED
    needed = ["period", "period_start", *keys, "index", "lower", "upper"]
    missing = [c for c in needed if c not in index_df.columns]
    if missing:
        raise errors.TrackerError(
            f"index DataFrame is missing columns: {', '.join(missing)}; "
            "use the output of RelationshipIndex."
        )
    return keys


def _pair_rows(index_df: pd.DataFrame, pair: Sequence[str]) -> tuple[pd.DataFrame, tuple[str, str]]:
    a, b = keys = _keys(index_df)
    try:
        x, y = (str(v) for v in pair)
    except (TypeError, ValueError):
        raise errors.TrackerError(f"pair {pair!r} is invalid; give two country codes, e.g. ('CHN', 'USA').")
    if keys == _UNDIRECTED:
        x, y = sorted((x, y))
    rows = index_df[(index_df[a] == x) & (index_df[b] == y)].sort_values("period_start")
    if rows.empty:
        known = sorted({f"{p}-{q}" for p, q in zip(index_df[a], index_df[b])})
        shown = ", ".join(known[:10]) + (", ..." if len(known) > 10 else "")
        raise errors.TrackerError(f"pair {x}-{y} has no index values; pairs available: {shown or 'none'}.")
    return rows.reset_index(drop=True), (x, y)


def _joiner(keys: tuple[str, str]) -> str:
    return "->" if keys == _DIRECTED else "-"


def _get_ax(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax, ax.figure


def _with_gaps(x: np.ndarray, periods: Sequence[str], *columns: np.ndarray):
    """Insert a NaN point between periods that are not adjacent, so lines break at missing periods."""
    from tracker.periods import infer_period, period_ordinal

    if len(x) < 2:
        return (x, *columns)
    kind = infer_period(periods)
    ordinal = period_ordinal(pd.DatetimeIndex(x), kind)
    gap = np.flatnonzero(np.diff(ordinal) > 1)
    if gap.size == 0:
        return (x, *columns)
    xs = pd.DatetimeIndex(x)
    mid = xs[gap] + (xs[gap + 1] - xs[gap]) / 2
    new_x = np.insert(xs.to_numpy(), gap + 1, mid.to_numpy())
    out = [np.insert(np.asarray(c, dtype=float), gap + 1, np.nan) for c in columns]
    return (new_x, *out)


def _period_ticks(ax, starts, labels) -> None:
    """A real date axis: matplotlib's date locator picks a few ticks and the concise formatter
    writes them without repeating what the others say, so labels never crowd or overlap."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    if len(starts):
        first, last = pd.Timestamp(min(starts)), pd.Timestamp(max(starts))
        pad = max(pd.Timedelta(days=4), (last - first) / 30)
        ax.set_xlim(first - pad, last + pad)


def _error_bars(ax, x, y, lo, hi, color) -> None:
    """A period standing alone (no value next to it) has no band area to show: its band is
    drawn as an error bar."""
    y = np.asarray(y, dtype=float)
    has = ~np.isnan(y)
    before = np.concatenate([[False], has[:-1]])
    after = np.concatenate([has[1:], [False]])
    keep = has & ~before & ~after
    if keep.any():
        y, lo, hi = (np.asarray(v, dtype=float)[keep] for v in (y, lo, hi))
        ax.errorbar(np.asarray(x)[keep], y, yerr=[y - lo, hi - y], fmt="none", ecolor=color,
                    alpha=0.45, capsize=3, linewidth=1)


def infer_kind(periods) -> str | None:
    from tracker.periods import infer_period

    try:
        return infer_period(list(map(str, periods)))
    except Exception:  # noqa: BLE001 - a label only
        return None


def _style_index_axis(ax, axis: str = "y") -> None:
    lim = (-105, 105)
    if axis == "y":
        ax.set_ylim(*lim)
        ax.set_yticks([-100, -50, 0, 50, 100])
        ax.axhline(0, color="0.6", linewidth=0.8, zorder=0)
        ax.set_ylabel("index (-100 hostile, +100 cooperative)")
    ax.grid(True, alpha=0.3)


class TimelineDisplay:
    """One pair's index over periods, with its band and alert markers.

    Parameters
    ----------
    period_start : array of datetime64, shape (n_periods,)
    period : array of str, shape (n_periods,)
    index, lower, upper : array of float, shape (n_periods,)
    pair_label : str
        E.g. ``"CHN-USA"`` or ``"USA->CHN"``.
    alert_periods : sequence of str, default=()
        Period labels to mark as alerts.

    Attributes
    ----------
    line_ : matplotlib Line2D
    band_ : matplotlib PolyCollection (``fill_between``)
    alerts_ : matplotlib PathCollection or None
    ax_, figure_ : the axes and figure drawn on
    """

    def __init__(self, period_start, period, index, lower, upper, pair_label, alert_periods=()):
        self.period_start = period_start
        self.period = period
        self.index = index
        self.lower = lower
        self.upper = upper
        self.pair_label = pair_label
        self.alert_periods = alert_periods

    @classmethod
    def from_index(cls, index_df: pd.DataFrame, pair: Sequence[str], alerts=None) -> TimelineDisplay:
        """Select one pair from an index DataFrame.

        Parameters
        ----------
        index_df : DataFrame
            The index DataFrame (undirected or directed).
        pair : tuple of str
            Two countries (any order if undirected; ``(source, target)`` if directed).
        alerts : DataFrame or iterable of str, optional
            Output of :func:`tracker.index.find_alerts` (rows of this pair are used) or period
            labels to mark.
        """
        rows, (x, y) = _pair_rows(index_df, pair)
        keys = _keys(index_df)
        if alerts is None:
            marked: tuple = ()
        elif isinstance(alerts, pd.DataFrame):
            a, b = keys
            if alerts.empty or a not in alerts.columns:
                marked = ()
            else:
                sel = alerts[(alerts[a] == x) & (alerts[b] == y)]
                marked = tuple(sel["period"].astype(str))
        else:
            marked = tuple(str(p) for p in alerts)
        return cls(
            period_start=rows["period_start"].to_numpy(),
            period=rows["period"].astype(str).to_numpy(),
            index=rows["index"].to_numpy(float),
            lower=rows["lower"].to_numpy(float),
            upper=rows["upper"].to_numpy(float),
            pair_label=f"{x}{_joiner(keys)}{y}",
            alert_periods=marked,
        )

    def plot(self, ax=None, *, line_kw=None, band_kw=None) -> TimelineDisplay:
        """Draw the line, the band and the alerts.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Created (with its figure) if not given.
        line_kw, band_kw : dict, optional
            Passed to ``ax.plot`` and ``ax.fill_between``.

        Returns
        -------
        self
        """
        ax, fig = _get_ax(ax)
        x, y, lo, hi = _with_gaps(np.asarray(self.period_start), list(self.period),
                                  self.index, self.lower, self.upper)
        (self.line_,) = ax.plot(x, y, **{"marker": "o", "label": self.pair_label, **(line_kw or {})})
        color = self.line_.get_color()
        self.band_ = ax.fill_between(x, lo, hi, **{"alpha": 0.2, "color": color, "linewidth": 0,
                                                   "label": f"{self.pair_label} band", **(band_kw or {})})
        _error_bars(ax, x, y, lo, hi, color)
        self.alerts_ = None
        is_alert = np.isin(np.asarray(self.period, dtype=object), list(self.alert_periods))
        if is_alert.any():
            self.alerts_ = ax.scatter(np.asarray(self.period_start)[is_alert], np.asarray(self.index)[is_alert],
                                      s=120, facecolors="none", edgecolors="crimson", linewidths=2,
                                      zorder=5, label="alert")
        _style_index_axis(ax)
        _period_ticks(ax, self.period_start, self.period)
        ax.set_title(f"Relationship index {self.pair_label}")
        ax.set_xlabel("week starting" if infer_kind(self.period) == "W" else "period")
        self.ax_, self.figure_ = ax, fig
        return self


class PairsDisplay:
    """Several pairs' index series on one axis.

    Parameters
    ----------
    series : dict of str -> DataFrame
        Pair label to its rows (``period``, ``period_start``, ``index``, ``lower``, ``upper``).

    Attributes
    ----------
    lines_ : list of Line2D, one per pair
    bands_ : list of PolyCollection (empty unless ``show_bands``)
    ax_, figure_
    """

    def __init__(self, series):
        self.series = series

    @classmethod
    def from_index(cls, index_df: pd.DataFrame, pairs: Iterable[Sequence[str]] | None = None,
                   top: int = 5) -> PairsDisplay:
        """Select pairs: the given ones, or the ``top`` pairs with the most statements."""
        a, b = keys = _keys(index_df)
        if pairs is None:
            weight = index_df["n_statements"] if "n_statements" in index_df.columns else 1
            counts = index_df.assign(_n=weight).groupby([a, b], sort=True)["_n"].sum()
            counts = counts.sort_values(ascending=False, kind="stable")
            pairs = list(counts.index[:top])
        series = {}
        for pair in pairs:
            rows, (x, y) = _pair_rows(index_df, pair)
            series[f"{x}{_joiner(keys)}{y}"] = rows[["period", "period_start", "index", "lower", "upper"]]
        if not series:
            raise errors.TrackerError("no pairs to plot; the index DataFrame is empty.")
        return cls(series)

    def plot(self, ax=None, *, show_bands: bool = True,
             max_per_axes: int = 4) -> PairsDisplay:
        """Draw one line per pair with its band (unless ``show_bands=False``); returns self.

        Past ``max_per_axes`` pairs, small multiples: one panel per pair on a shared scale,
        in the figure of ``ax`` (which they replace)."""
        ax, fig = _get_ax(ax)
        self.lines_, self.bands_ = [], []
        kinds = {infer_kind(rows["period"]) for rows in self.series.values()}
        xlabel = "week starting" if kinds == {"W"} else "period"
        if len(self.series) > max_per_axes:
            return self._small_multiples(ax, fig, show_bands, xlabel)
        for label, rows in self.series.items():
            self._draw(ax, label, rows, show_bands)
        _style_index_axis(ax)
        if self.series:
            every = pd.concat(list(self.series.values()))
            _period_ticks(ax, every["period_start"], every["period"].astype(str))
        ax.set_title("Relationship index by pair")
        ax.set_xlabel(xlabel)
        # Beside the plot, never over the lines or the tick labels.
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small",
                  borderaxespad=0)
        self.ax_, self.figure_ = ax, fig
        return self

    def _draw(self, ax, label, rows, show_bands):
        x, y, lo, hi = _with_gaps(rows["period_start"].to_numpy(), list(rows["period"].astype(str)),
                                  rows["index"].to_numpy(float), rows["lower"].to_numpy(float),
                                  rows["upper"].to_numpy(float))
        (line,) = ax.plot(x, y, marker="o", label=label)
        self.lines_.append(line)
        if show_bands:
            self.bands_.append(ax.fill_between(x, lo, hi, alpha=0.15, color=line.get_color(),
                                               linewidth=0))
            _error_bars(ax, x, y, lo, hi, line.get_color())

    def _small_multiples(self, ax, fig, show_bands, xlabel):
        n = len(self.series)
        cols = 2 if n <= 6 else 3
        rows_n = -(-n // cols)
        ax.remove()
        grid = fig.subplots(rows_n, cols, sharex=True, sharey=True, squeeze=False)
        every = pd.concat(list(self.series.values()))
        for k, (label, rows) in enumerate(self.series.items()):
            panel = grid[k // cols][k % cols]
            self._draw(panel, label, rows, show_bands)
            _style_index_axis(panel)
            panel.set_ylabel("")
            panel.set_title(label, fontsize="small")
            _period_ticks(panel, every["period_start"], every["period"].astype(str))
            for tick in panel.get_xticklabels() + panel.get_yticklabels():
                tick.set_fontsize("x-small")
        for k in range(n, rows_n * cols):
            grid[k // cols][k % cols].set_visible(False)
        fig.supylabel("index (-100 hostile, +100 cooperative)", fontsize="small")
        fig.supxlabel(xlabel, fontsize="small")
        self.ax_, self.axes_, self.figure_ = grid[0][0], grid, fig
        return self


class AsymmetryDisplay:
    """How A speaks of B against how B speaks of A, from a directed index.

    Each point is one unordered pair in one period where both directions have a value:
    x is ``A->B``, y is ``B->A`` (``A < B``). Points off the diagonal are asymmetric.

    Attributes
    ----------
    scatter_ : PathCollection
    diagonal_ : Line2D
    annotations_ : list of Text
    ax_, figure_
    """

    def __init__(self, forward, backward, labels):
        self.forward = forward
        self.backward = backward
        self.labels = labels

    @classmethod
    def from_index(cls, directed_df: pd.DataFrame, pairs: Iterable[Sequence[str]] | None = None,
                   period: str | None = None) -> AsymmetryDisplay:
        """Select matching ``A->B`` and ``B->A`` values, optionally for some pairs or one period."""
        if _keys(directed_df) != _DIRECTED:
            raise errors.TrackerError(
                "AsymmetryDisplay needs a directed index (source, target columns); "
                "use RelationshipIndex(directed=True)."
            )
        df = directed_df
        if period is not None:
            df = df[df["period"] == str(period)]
        lo = np.where(df["source"] <= df["target"], df["source"], df["target"])
        hi = np.where(df["source"] <= df["target"], df["target"], df["source"])
        df = df.assign(_a=lo, _b=hi)
        if pairs is not None:
            wanted = {tuple(sorted(str(v) for v in p)) for p in pairs}
            df = df[[(p, q) in wanted for p, q in zip(df["_a"], df["_b"])]]
        fwd = df[df["source"] == df["_a"]].set_index(["_a", "_b", "period"])["index"]
        bwd = df[df["source"] == df["_b"]].set_index(["_a", "_b", "period"])["index"]
        both = pd.concat([fwd.rename("forward"), bwd.rename("backward")], axis=1, join="inner").sort_index()
        if both.empty:
            raise errors.TrackerError(
                "no pair has statements in both directions in the same period"
                + (f" {period!r}" if period is not None else "") + "; pick another period or pairs."
            )
        labels = [f"{p}/{q} {per}" for p, q, per in both.index]
        return cls(both["forward"].to_numpy(float), both["backward"].to_numpy(float), labels)

    def plot(self, ax=None, *, annotate: bool = True) -> AsymmetryDisplay:
        """Draw the points and the diagonal; returns self."""
        ax, fig = _get_ax(ax)
        (self.diagonal_,) = ax.plot([-100, 100], [-100, 100], color="0.6", linestyle="--", linewidth=1)
        self.scatter_ = ax.scatter(self.forward, self.backward, zorder=3)
        self.annotations_ = []
        ax.set_xlim(-105, 105)
        ax.set_ylim(-105, 105)
        ax.set_aspect("equal")
        ax.set_xlabel("A -> B index")
        ax.set_ylabel("B -> A index")
        if annotate:
            # The most asymmetric points first; a label that would cover another is left out.
            order = np.argsort(-np.abs(np.asarray(self.forward) - np.asarray(self.backward)),
                               kind="stable")
            fig.draw_without_rendering()
            taken = [t.get_window_extent() for t in ax.get_xticklabels() + ax.get_yticklabels()
                     + [ax.xaxis.label, ax.yaxis.label] if t.get_text()]
            for k in order:
                note = ax.annotate(self.labels[k], (self.forward[k], self.backward[k]),
                                   textcoords="offset points", xytext=(4, 4),
                                   fontsize="x-small")
                # (with room to spare: the layout may still shrink the axes a little)
                box = note.get_window_extent().expanded(1.4, 1.8)
                if len(self.annotations_) >= 12 or any(box.overlaps(o) for o in taken):
                    note.remove()
                    continue
                taken.append(box)
                self.annotations_.append(note)
        ax.set_title("Asymmetry: how each side speaks of the other")
        ax.grid(True, alpha=0.3)
        self.ax_, self.figure_ = ax, fig
        return self


class HeatmapDisplay:
    """Country x country matrix of the index in one period.

    Parameters
    ----------
    matrix : ndarray, shape (n_countries, n_countries)
        NaN where there is no value. Undirected: symmetric. Directed: row = source,
        column = target.
    countries : list of str
    period : str

    Attributes
    ----------
    im_ : AxesImage
    colorbar_ : Colorbar
    texts_ : ndarray of Text or None, shape (n_countries, n_countries)
    ax_, figure_
    """

    def __init__(self, matrix, countries, period, directed=False):
        self.matrix = matrix
        self.countries = countries
        self.period = period
        self.directed = directed

    @classmethod
    def from_index(cls, index_df: pd.DataFrame, period: str | None = None,
                   countries: Sequence[str] | None = None) -> HeatmapDisplay:
        """Select one period (default: the latest) and lay it out as a matrix."""
        a, b = keys = _keys(index_df)
        if index_df.empty:
            raise errors.TrackerError("the index DataFrame is empty; there is nothing to plot.")
        if period is None:
            period = str(index_df.sort_values("period_start")["period"].iloc[-1])
        rows = index_df[index_df["period"] == str(period)]
        if rows.empty:
            known = ", ".join(sorted(index_df["period"].astype(str).unique())[-8:])
            raise errors.TrackerError(f"period {period!r} has no index values; periods available: {known}.")
        if countries is None:
            countries = sorted(set(rows[a]) | set(rows[b]))
        countries = [str(c) for c in countries]
        pos = {c: i for i, c in enumerate(countries)}
        matrix = np.full((len(countries), len(countries)), np.nan)
        for x, y, v in zip(rows[a], rows[b], rows["index"].astype(float)):
            if x in pos and y in pos:
                matrix[pos[x], pos[y]] = v
                if keys == _UNDIRECTED:
                    matrix[pos[y], pos[x]] = v
        return cls(matrix, countries, str(period), directed=keys == _DIRECTED)

    def plot(self, ax=None, *, annotate: bool = True, cmap: str = "RdBu") -> HeatmapDisplay:
        """Draw the matrix with a diverging colour map fixed to [-100, 100]; returns self."""
        ax, fig = _get_ax(ax)
        n = len(self.countries)
        self.im_ = ax.imshow(np.ma.masked_invalid(self.matrix), cmap=cmap, vmin=-100, vmax=100)
        self.colorbar_ = fig.colorbar(self.im_, ax=ax, label="index")
        self.texts_ = np.empty((n, n), dtype=object)
        if annotate:
            for i in range(n):
                for j in range(n):
                    v = self.matrix[i, j]
                    if np.isfinite(v):
                        color = "white" if abs(v) > 60 else "black"
                        self.texts_[i, j] = ax.text(j, i, f"{v:.0f}", ha="center", va="center",
                                                    color=color, fontsize="small")
        ax.set_xticks(range(n), self.countries, rotation=90)
        ax.set_yticks(range(n), self.countries)
        if self.directed:
            ax.set_xlabel("target")
            ax.set_ylabel("source")
        ax.set_title(f"Relationship index, {self.period}")
        self.ax_, self.figure_ = ax, fig
        return self
