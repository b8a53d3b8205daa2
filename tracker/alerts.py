"""Alerts from an index DataFrame alone (one read back from the store or a file): moves of a pair's
index between consecutive periods larger than both periods' bands explain, with the statements
behind them. A fitted :class:`~tracker.index.RelationshipIndex` gives the same through
``alerts()``."""
from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from tracker import errors
from tracker.index import ALERT_COLUMNS, DIRECTED_KEYS, UNDIRECTED_KEYS, alerts_of
from tracker.periods import infer_period, period_label


def find_alerts(index_df: pd.DataFrame, statements_df: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Alerts from an index DataFrame alone (e.g. one read back from the store).

    The standard deviation of each value is recovered from its band as
    ``max(index - lower, upper - index) / (100 z)`` (the unclipped side). Statement ids are
    attached when ``statements_df`` is given, weighted by ``confidence`` if present.

    Parameters
    ----------
    index_df : DataFrame
        The index DataFrame (undirected or directed).
    statements_df : DataFrame, optional
        The statements DataFrame, to name the statements that drove each alert.
    alpha : float, default=0.05
        Must match the ``alpha`` the band was computed with.

    Returns
    -------
    DataFrame
        Columns ``period``, ``period_start``, the two key columns, ``previous_period``,
        ``previous_index``, ``index``, ``change`` (index points), ``threshold`` (index points),
        ``statement_ids`` (tuple, strongest pull first).
    """
    keys = DIRECTED_KEYS if "country_a" not in index_df.columns else UNDIRECTED_KEYS
    missing = [c for c in ("period", "period_start", *keys, "index", "lower", "upper") if c not in index_df.columns]
    if missing:
        raise errors.TrackerError(f"index DataFrame is missing columns: {', '.join(missing)}.")
    a, b = keys
    z = NormalDist().inv_cdf(1 - alpha / 2)
    if index_df.empty:
        return pd.DataFrame(columns=[c.format(a=a, b=b) for c in ALERT_COLUMNS])
    half = np.maximum(index_df["index"] - index_df["lower"], index_df["upper"] - index_df["index"])
    agg = index_df.assign(m=index_df["index"] / 100.0, sd=half.to_numpy(float) / (100.0 * z))
    weights = pd.DataFrame(columns=["statement_id", a, b, "period", "tone", "weight"])
    if statements_df is not None and len(statements_df):
        period = infer_period(index_df["period"].unique())
        s = statements_df
        labels, _ = period_label(s["published"], period)
        if keys == DIRECTED_KEYS:
            ka, kb = s["source"].astype(str), s["target"].astype(str)
        else:
            src, tgt = s["source"].astype(str).to_numpy(), s["target"].astype(str).to_numpy()
            ka, kb = np.where(src <= tgt, src, tgt), np.where(src <= tgt, tgt, src)
        conf = s["confidence"].astype(float) if "confidence" in s.columns else 1.0
        weights = pd.DataFrame({
            "statement_id": s["statement_id"].to_numpy(), a: np.asarray(ka, dtype=object),
            b: np.asarray(kb, dtype=object), "period": np.asarray(labels, dtype=object),
            "tone": s["tone"].astype(float).to_numpy(), "weight": np.asarray(conf * np.ones(len(s)), dtype=float),
        })
    return alerts_of(agg, weights, keys, z)
