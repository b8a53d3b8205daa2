"""Periods of the index: ISO weeks, months, quarters and years, their labels and start dates."""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from tracker import errors

PERIODS = ("W", "M", "Q", "Y")

_WEEK_EPOCH = pd.Timestamp("1970-01-05")  # a Monday: ISO weeks count from here
_LABEL_PATTERNS = {
    "W": re.compile(r"^\d{4}-W\d{2}$"),
    "M": re.compile(r"^\d{4}-\d{2}$"),
    "Q": re.compile(r"^\d{4}-Q[1-4]$"),
    "Y": re.compile(r"^\d{4}$"),
}


def check_period(period: object) -> str:
    """``period`` if it is one of W, M, Q, Y; else a one-line error naming ``--period``."""
    if period not in PERIODS:
        raise errors.invalid_choice("--period", period, PERIODS)
    return str(period)


def period_label(dates, period: str = "W") -> tuple[pd.Index, pd.DatetimeIndex]:
    """Label dates with their calendar period and give each period's first day.

    Parameters
    ----------
    dates : array-like of datetime-like, shape (n,)
    period : {"W", "M", "Q", "Y"}
        ISO week (``2024-W05``), month (``2024-02``), quarter (``2024-Q1``) or year (``2024``).

    Returns
    -------
    labels : pandas.Index of str, shape (n,)
    starts : pandas.DatetimeIndex, shape (n,)
        The Monday of the ISO week, or the first day of the month, quarter or year.

    Examples
    --------
    >>> labels, starts = period_label(["2024-02-01"], "W")
    >>> labels[0], str(starts[0].date())
    ('2024-W05', '2024-01-29')
    """
    period = check_period(period)
    d = pd.DatetimeIndex(pd.to_datetime(dates)).normalize()
    if period == "W":
        iso = d.isocalendar()
        labels = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])]
        starts = d - pd.to_timedelta(np.asarray(iso["day"], dtype="int64") - 1, unit="D")
    elif period == "M":
        labels = [f"{y}-{m:02d}" for y, m in zip(d.year, d.month)]
        starts = d.to_period("M").to_timestamp()
    elif period == "Q":
        labels = [f"{y}-Q{q}" for y, q in zip(d.year, d.quarter)]
        starts = d.to_period("Q").to_timestamp()
    else:
        labels = [f"{y}" for y in d.year]
        starts = d.to_period("Y").to_timestamp()
    return pd.Index(labels, dtype=object), pd.DatetimeIndex(starts).astype("datetime64[ns]")


def infer_period(labels: Iterable[str]) -> str:
    """Which of ``PERIODS`` a set of period labels uses (``"2024-W05"`` -> ``"W"``)."""
    labels = [str(x) for x in labels]
    for p, pattern in _LABEL_PATTERNS.items():
        if labels and all(pattern.match(x) for x in labels):
            return p
    example = labels[0] if labels else ""
    raise errors.TrackerError(
        f"period label {example!r} is not a week (2024-W05), month (2024-02), quarter (2024-Q1) "
        "or year (2024); pass an index DataFrame made by RelationshipIndex."
    )


def period_ordinal(starts: pd.DatetimeIndex, period: str) -> np.ndarray:
    """Integer position of each period on the calendar, so distances count periods.

    Parameters
    ----------
    starts : DatetimeIndex, shape (n,)
        Period start dates, as given by :func:`period_label`.
    period : {"W", "M", "Q", "Y"}

    Returns
    -------
    ndarray of int64, shape (n,)
        Adjacent periods differ by 1.
    """
    if period == "W":
        return np.asarray((starts - _WEEK_EPOCH).days // 7, dtype="int64")
    if period == "M":
        return np.asarray(starts.year * 12 + starts.month - 1, dtype="int64")
    if period == "Q":
        return np.asarray(starts.year * 4 + starts.quarter - 1, dtype="int64")
    return np.asarray(starts.year, dtype="int64")
