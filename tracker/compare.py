"""Comparing country pairs: a table (level, trend, band, biggest move) and a chart.

Takes an Index DataFrame (undirected) and pairs written ``KOR-RUS``; gives a DataFrame with one
row per pair and a :class:`~tracker.plotting.PairsDisplay` ready to draw.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from tracker.errors import TrackerError

COMPARE_COLUMNS = ("pair", "periods", "n_statements", "level", "lower", "upper", "trend",
                   "biggest_move_period", "biggest_move")


def parse_pair(text: str, known=None) -> tuple[str, str]:
    """``"KOR-RUS"`` (or with an en dash, as the reports write it, or ``KOR->RUS``) ->
    ``("KOR", "RUS")`` (sorted); a bad pair is a one-line error.

    Examples
    --------
    >>> parse_pair("RUS-KOR")
    ('KOR', 'RUS')
    """
    m = re.fullmatch(r"([A-Za-z]{3})\s*[-_/:\u2013\u2014>]+\s*([A-Za-z]{3})", text.strip())
    if not m:
        raise TrackerError(f"pair {text!r} is invalid; write two ISO3 codes joined by '-', "
                           "such as KOR-RUS.")
    a, b = m.group(1).upper(), m.group(2).upper()
    for code in (a, b):
        if known is not None and not known(code):
            raise TrackerError(f"pair {text!r}: unknown country code {code!r}; use ISO 3166-1 "
                               "alpha-3 codes such as KOR.")
    if a == b:
        raise TrackerError(f"pair {text!r} names one country twice; give two countries.")
    return tuple(sorted((a, b)))  # type: ignore[return-value]


def compare_table(index_df: pd.DataFrame, pairs: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """One row per pair: its latest level and band, trend and biggest move.

    ``trend`` is the least-squares slope of the index per period over the pair's periods with
    data among the last eight calendar periods up to its latest (time-aware: periods years
    apart are not neighbours; NaN with fewer than two there); ``biggest_move`` the largest
    change between consecutive periods with data. A pair without statements has NaN values
    and ``periods`` 0.
    """
    from tracker.periods import infer_period, period_ordinal

    rows = []
    for a, b in pairs:
        part = index_df[(index_df["country_a"] == a) & (index_df["country_b"] == b)]
        part = part.sort_values("period_start")
        label = f"{a}-{b}"
        if part.empty:
            rows.append({"pair": label, "periods": 0, "n_statements": 0, "level": np.nan,
                         "lower": np.nan, "upper": np.nan, "trend": np.nan,
                         "biggest_move_period": None, "biggest_move": np.nan})
            continue
        last = part.iloc[-1]
        kind = infer_period(part["period"].astype(str).tolist())
        when = np.asarray(period_ordinal(pd.DatetimeIndex(part["period_start"]), kind))
        recent = when > when[-1] - 8
        trend = (float(np.polyfit(when[recent], part["index"].to_numpy(float)[recent], 1)[0])
                 if recent.sum() >= 2 else np.nan)
        moves = part["index"].diff()
        if moves.notna().any():
            i = moves.abs().idxmax()
            move_period, move = part.loc[i, "period"], float(moves.loc[i])
        else:
            move_period, move = part.iloc[0]["period"], np.nan
        rows.append({"pair": label, "periods": len(part),
                     "n_statements": int(part["n_statements"].sum()),
                     "level": float(last["index"]), "lower": float(last["lower"]),
                     "upper": float(last["upper"]), "trend": trend,
                     "biggest_move_period": move_period, "biggest_move": move})
    return pd.DataFrame(rows, columns=list(COMPARE_COLUMNS))


def compare(statements: pd.DataFrame, pairs: Sequence[str], period: str = "W", known=None):
    """Index the statements and compare ``pairs`` in one call.

    Returns
    -------
    table : DataFrame with :data:`COMPARE_COLUMNS`
    display : PairsDisplay (call ``.plot()`` to draw)

    Examples
    --------
    >>> table, display = compare(frame, ["KOR-RUS", "KOR-PRK"])  # doctest: +SKIP
    >>> display.plot()  # doctest: +SKIP
    """
    from tracker.index import RelationshipIndex
    from tracker.plotting import PairsDisplay

    parsed = [parse_pair(p, known) for p in pairs]
    index_df = RelationshipIndex(period=period).fit(statements).results_
    table = compare_table(index_df, parsed)
    present = [p for p in parsed if ((index_df["country_a"] == p[0])
                                     & (index_df["country_b"] == p[1])).any()]
    if not present:
        raise TrackerError(f"none of the pairs {', '.join(pairs)} has statements; list the "
                           "pairs with `tracker export index`.")
    return table, PairsDisplay.from_index(index_df, present)
