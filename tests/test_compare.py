"""Comparing pairs: the trend counts time, not rows."""
from __future__ import annotations

import numpy as np
import pandas as pd

from tracker.compare import compare_table, parse_pair


def _rows(pair, weeks_and_values):
    a, b = pair
    out = []
    for start, value in weeks_and_values:
        s = pd.Timestamp(start)
        iso = s.isocalendar()
        out.append({"period": f"{iso.year}-W{iso.week:02d}", "period_start": s,
                    "country_a": a, "country_b": b, "index": value, "lower": value - 10,
                    "upper": value + 10, "n_statements": 3})
    return out


def test_the_trend_does_not_treat_weeks_years_apart_as_neighbours():
    idx = pd.DataFrame(
        _rows(("CHN", "USA"), [("2019-11-25", 60.0), ("2025-03-03", -20.0),
                               ("2025-03-10", -10.0)])
        + _rows(("IRN", "USA"), [("2019-11-25", 60.0), ("2025-03-10", -10.0)]))
    table = compare_table(idx, [("CHN", "USA"), ("IRN", "USA")]).set_index("pair")
    # Only the two weeks of 2025 are recent: +10 a week, not the fall since 2019.
    assert np.isclose(table.loc["CHN-USA", "trend"], 10.0)
    assert np.isnan(table.loc["IRN-USA", "trend"])


def test_pairs_are_written_as_the_reports_write_them():
    assert parse_pair("KOR\u2013RUS") == parse_pair("RUS-KOR") == ("KOR", "RUS")
