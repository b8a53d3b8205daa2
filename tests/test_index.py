"""Tests for tracker/index.py: the relationship index and its properties."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from tracker.errors import TrackerError
from tracker.alerts import find_alerts
from tracker.index import RelationshipIndex
from tracker.periods import PERIODS, period_label

COUNTRIES = ["CHN", "RUS", "UKR", "USA"]
FAST = settings(max_examples=30, deadline=None)


def make_statements(rows) -> pd.DataFrame:
    """rows: iterable of (source, target, day offset, tone, confidence)."""
    rows = list(rows)
    start = pd.Timestamp("2024-01-01")
    return pd.DataFrame({
        "statement_id": np.arange(1, len(rows) + 1),
        "article_id": [f"a{i}" for i in range(len(rows))],
        "published": [start + pd.Timedelta(days=int(r[2])) for r in rows],
        "source": [r[0] for r in rows],
        "target": [r[1] for r in rows],
        "tone": [float(r[3]) for r in rows],
        "label": ["neutral"] * len(rows),
        "confidence": [float(r[4]) for r in rows],
        # distinct texts, so nothing counts as a syndicated copy unless a test says so
        "sentence": [f"statement {i} about {r[0]} and {r[1]} number {i * 7}" for i, r in enumerate(rows)],
        "rule": ["speech:said"] * len(rows),
        "url": [None] * len(rows),
        "title": [None] * len(rows),
        "external_id": [f"e{i}" for i in range(len(rows))],
    })


pairs = st.sampled_from([(a, b) for a in COUNTRIES for b in COUNTRIES if a != b])
tones = st.floats(-1, 1, allow_nan=False)
rows_strategy = st.lists(
    st.tuples(pairs, st.integers(0, 40), tones, st.floats(0.05, 1.0)).map(
        lambda t: (t[0][0], t[0][1], t[1], t[2], t[3])
    ),
    min_size=1,
    max_size=25,
)


def key_frame(df: pd.DataFrame, keys=("country_a", "country_b")) -> pd.DataFrame:
    return df.sort_values(["period", *keys]).reset_index(drop=True)


# -- period labels -------------------------------------------------------------------------------
def test_period_labels_and_starts():
    dates = pd.to_datetime(["2024-02-01", "2024-12-30", "2023-01-01"])
    labels, starts = period_label(dates, "W")
    assert list(labels) == ["2024-W05", "2025-W01", "2022-W52"]
    assert [str(d.date()) for d in starts] == ["2024-01-29", "2024-12-30", "2022-12-26"]
    assert list(period_label(dates, "M")[0]) == ["2024-02", "2024-12", "2023-01"]
    labels, starts = period_label(dates, "Q")
    assert list(labels) == ["2024-Q1", "2024-Q4", "2023-Q1"]
    assert str(starts[1].date()) == "2024-10-01"
    assert list(period_label(dates, "Y")[0]) == ["2024", "2024", "2023"]


def test_invalid_period_message():
    with pytest.raises(TrackerError, match=r"--period 'fortnight' is invalid; use one of: W, M, Q, Y\."):
        period_label(["2024-01-01"], "fortnight")
    with pytest.raises(TrackerError, match="--period 'D' is invalid"):
        RelationshipIndex(period="D").fit(make_statements([("USA", "CHN", 0, 0.5, 1.0)]))


def test_missing_columns_are_named():
    df = make_statements([("USA", "CHN", 0, 0.5, 1.0)]).drop(columns=["tone", "published"])
    with pytest.raises(TrackerError, match="missing columns: published, tone"):
        RelationshipIndex().fit(df)


def test_bad_tone_and_empty_input():
    df = make_statements([("USA", "CHN", 0, 0.5, 1.0)])
    df.loc[0, "tone"] = 3.0
    with pytest.raises(TrackerError, match=r"tone 3.0 is not in \[-1, 1\]"):
        RelationshipIndex().fit(df)
    with pytest.raises(TrackerError, match="empty"):
        RelationshipIndex().fit(make_statements([]).iloc[0:0])


def test_bad_parameters():
    df = make_statements([("USA", "CHN", 0, 0.5, 1.0)])
    with pytest.raises(TrackerError, match="prior_strength"):
        RelationshipIndex(prior_strength=0).fit(df)
    with pytest.raises(TrackerError, match="alpha"):
        RelationshipIndex(alpha=2).fit(df)


# -- output contract -----------------------------------------------------------------------------
def test_output_columns_and_types():
    df = make_statements([("USA", "CHN", 0, -0.5, 0.9), ("CHN", "USA", 1, -0.2, 0.8), ("RUS", "UKR", 9, -0.9, 1.0)])
    out = RelationshipIndex().fit_transform(df)
    assert list(out.columns) == ["period", "period_start", "country_a", "country_b", "index", "lower",
                                 "upper", "n_statements"]
    assert out["period_start"].dtype.kind == "M"
    assert out["n_statements"].dtype == np.int64
    assert (out["country_a"] < out["country_b"]).all()
    assert list(out["period"]) == ["2024-W01", "2024-W02"]
    assert out.loc[0, "n_statements"] == 2

    directed = RelationshipIndex(directed=True).fit_transform(df)
    assert list(directed.columns[2:4]) == ["source", "target"]
    assert len(directed) == 3


def test_empty_periods_are_missing_not_neutral():
    df = make_statements([("USA", "CHN", 0, -0.5, 1.0), ("USA", "CHN", 30, -0.5, 1.0)])
    out = RelationshipIndex(period="W").fit_transform(df)
    assert list(out["period"]) == ["2024-W01", "2024-W05"]


# -- properties ----------------------------------------------------------------------------------
@FAST
@given(rows_strategy, st.sampled_from(PERIODS), st.booleans(), st.sampled_from([None, 2.0]))
def test_bounds(rows, period, directed, half_life):
    out = RelationshipIndex(period=period, directed=directed, half_life=half_life).fit_transform(
        make_statements(rows))
    for col in ("index", "lower", "upper"):
        assert out[col].between(-100, 100).all()
    assert (out["lower"] <= out["index"] + 1e-9).all()
    assert (out["index"] <= out["upper"] + 1e-9).all()
    assert out["n_statements"].sum() == len(rows)


@FAST
@given(rows_strategy, st.sampled_from([None, 1.5]))
def test_undirected_is_symmetric(rows, half_life):
    df = make_statements(rows)
    swapped = df.assign(source=df["target"], target=df["source"])
    est = RelationshipIndex(half_life=half_life)
    a = key_frame(est.fit_transform(df))
    b = key_frame(clone(est).fit_transform(swapped))
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-9)


@FAST
@given(rows_strategy, st.randoms(use_true_random=False), st.booleans())
def test_invariant_to_row_order(rows, rnd, directed):
    df = make_statements(rows)
    order = list(range(len(df)))
    rnd.shuffle(order)
    est = RelationshipIndex(directed=directed)
    a = est.fit_transform(df)
    b = clone(est).fit_transform(df.iloc[order].reset_index(drop=True))
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9, atol=1e-9)


@FAST
@given(rows_strategy, st.data(), st.sampled_from([None, 2.0]))
def test_monotone_in_tone(rows, data, half_life):
    df = make_statements(rows)
    i = data.draw(st.integers(0, len(df) - 1))
    new_tone = data.draw(st.floats(float(df.loc[i, "tone"]), 1.0))
    raised = df.copy()
    raised.loc[i, "tone"] = new_tone
    est = RelationshipIndex(half_life=half_life)
    before = est.fit_transform(df).set_index(["period", "country_a", "country_b"])["index"]
    after = clone(est).fit_transform(raised).set_index(["period", "country_a", "country_b"])["index"]
    # no pair-period may go down, in particular not the one holding the statement
    assert (after - before >= -1e-9).all()


@FAST
@given(st.integers(1, 15), tones, st.floats(0.1, 1.0))
def test_band_shrinks_with_more_agreeing_statements(n, tone, conf):
    few = make_statements([("USA", "CHN", 0, tone, conf)] * n)
    more = make_statements([("USA", "CHN", 0, tone, conf)] * (n + 1))
    a = RelationshipIndex(period="M").fit(few).aggregates_["sd"].iloc[0]
    b = RelationshipIndex(period="M").fit(more).aggregates_["sd"].iloc[0]
    assert b < a


def test_band_width_few_versus_many():
    one = RelationshipIndex().fit_transform(make_statements([("USA", "CHN", 0, -0.6, 1.0)]))
    many = RelationshipIndex().fit_transform(make_statements([("USA", "CHN", 0, -0.6, 1.0)] * 30))
    width = lambda out: float(out["upper"].iloc[0] - out["lower"].iloc[0])  # noqa: E731
    assert width(one) > 3 * width(many)
    assert many["index"].iloc[0] == pytest.approx(-60, abs=2)


def test_single_statement_is_pulled_towards_baseline():
    out = RelationshipIndex().fit_transform(make_statements([("USA", "CHN", 0, -1.0, 1.0)]))
    # b = -1/4, m = (-1 + 3 b) / 4
    assert out["index"].iloc[0] == pytest.approx(-43.75)
    assert out["index"].iloc[0] > -60


def test_half_life_baseline_uses_previous_periods_only():
    rows = [("USA", "CHN", 0, -1.0, 1.0)] * 5 + [("USA", "CHN", 14, 0.0, 1.0)]
    est = RelationshipIndex(half_life=1.0).fit(make_statements(rows))
    agg = est.aggregates_
    assert agg["baseline"].iloc[0] == 0.0  # a new pair starts neutral
    # two weeks later, the first week's mass is discounted by 2**-2
    expected_b = (0.25 * -5) / (0.25 * 5 + 3)
    assert agg["baseline"].iloc[1] == pytest.approx(expected_b)
    assert agg["index"].iloc[1] == pytest.approx(100 * 3 * expected_b / 4)


def test_syndicated_duplicates_count_once():
    base = [("USA", "CHN", 0, -0.9, 1.0), ("USA", "CHN", 2, 0.5, 1.0)]
    df = make_statements(base)
    copies = make_statements(base + [("USA", "CHN", 1, -0.9, 1.0)] * 4)
    copies.loc[2:, "sentence"] = df.loc[0, "sentence"].upper() + "!"  # same text, other outlets
    est = RelationshipIndex(period="M")
    a = est.fit_transform(df)
    b = clone(est).fit_transform(copies)
    assert b["index"].iloc[0] == pytest.approx(a["index"].iloc[0])
    assert b["n_statements"].iloc[0] == 6
    ev = clone(est).fit(copies).evidence(("CHN", "USA"), "2024-01")
    assert ev["weight"].sum() == pytest.approx(2.0)
    assert ev.set_index("statement_id").loc[1, "weight"] == pytest.approx(0.2)
    # outside the window they are separate reports again
    far = copies.copy()
    far.loc[2:, "published"] = pd.Timestamp("2024-01-20")
    c = clone(est).fit_transform(far)
    assert c["index"].iloc[0] < a["index"].iloc[0] - 5


def test_near_identical_by_jaccard():
    df = make_statements([("USA", "CHN", 0, -0.9, 1.0), ("USA", "CHN", 1, -0.9, 1.0)])
    words = " ".join(f"w{i}" for i in range(20))
    df["sentence"] = [words, words + " extra"]  # Jaccard 20/21
    ev = RelationshipIndex().fit(df).evidence(("USA", "CHN"), "2024-W01")
    assert list(ev["weight"]) == [0.5, 0.5]


@FAST
@given(rows_strategy)
def test_evidence_reproduces_each_value(rows):
    df = make_statements(rows)
    est = RelationshipIndex(period="M").fit(df)
    k0 = est.prior_strength
    tone = df.set_index("statement_id")["tone"]
    total = 0
    for rec in est.aggregates_.itertuples():
        ev = est.evidence((rec.country_b, rec.country_a), rec.period)  # order does not matter
        assert len(ev) == rec.n_statements
        assert ev["weight"].sum() == pytest.approx(rec.sum_w)
        m = ((ev["weight"] * tone.loc[ev["statement_id"]].to_numpy()).sum() + k0 * rec.baseline) / (
            ev["weight"].sum() + k0)
        assert 100 * m == pytest.approx(rec.index, abs=1e-9)
        total += len(ev)
    assert total == len(df)
    # without copies and without confidence weighting every weight is 1
    plain = RelationshipIndex(period="M", confidence_weighting=False).fit(df)
    assert (plain.weights_["weight"] == 1.0).all()


def test_evidence_unknown_pair():
    est = RelationshipIndex().fit(make_statements([("USA", "CHN", 0, -1.0, 1.0)]))
    with pytest.raises(TrackerError, match="no index value for pair RUS-USA"):
        est.evidence(("USA", "RUS"), "2024-W01")


# -- scikit-learn conventions --------------------------------------------------------------------
def test_params_round_trip_and_clone():
    est = RelationshipIndex(period="Q", directed=True, half_life=4, alpha=0.1)
    params = est.get_params()
    assert params == {"period": "Q", "directed": True, "prior_strength": 3.0, "half_life": 4,
                      "syndication_days": 3, "confidence_weighting": True, "alpha": 0.1}
    est.set_params(period="Y")
    assert clone(est).get_params()["period"] == "Y"
    df = make_statements([("USA", "CHN", 0, -1.0, 1.0)])
    assert clone(est.fit(df)).__dict__.get("results_") is None


def test_transform_uses_learned_baselines():
    history = make_statements([("USA", "CHN", d, -0.8, 1.0) for d in range(10)])
    est = RelationshipIndex().fit(history)
    new = make_statements([("USA", "CHN", 60, 0.0, 1.0), ("RUS", "UKR", 60, 0.0, 1.0)])
    out = est.transform(new).set_index("country_a")
    assert out.loc["CHN", "index"] < -30  # neutral news read against a hostile history
    assert out.loc["RUS", "index"] == pytest.approx(0.0)  # a new pair starts at 0
    pd.testing.assert_frame_equal(est.transform(history), est.results_)


def test_transform_before_fit():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        RelationshipIndex().transform(make_statements([("USA", "CHN", 0, -1.0, 1.0)]))


# -- alerts --------------------------------------------------------------------------------------
def test_alerts_flag_a_real_shift_only():
    calm = [("USA", "CHN", d, 0.6, 1.0) for d in range(0, 7)]
    calm2 = [("USA", "CHN", d, 0.55, 1.0) for d in range(7, 14)]
    crisis = [("CHN", "USA", d, -0.9, 1.0) for d in range(14, 21)]
    df = make_statements(calm + calm2 + crisis)
    est = RelationshipIndex(half_life=2.0).fit(df)
    alerts = est.alerts()
    assert list(alerts["period"]) == ["2024-W03"]
    alert = alerts.iloc[0]
    assert alert["change"] < -alert["threshold"] < 0
    assert set(alert["statement_ids"]) == set(range(15, 22))
    # the same from the index DataFrame and statements alone
    again = find_alerts(est.results_, df)
    assert list(again["period"]) == ["2024-W03"]
    assert set(again.iloc[0]["statement_ids"]) == set(range(15, 22))


def test_no_alert_for_noise_with_few_statements():
    df = make_statements([("USA", "CHN", 0, 0.3, 1.0), ("USA", "CHN", 8, -0.3, 1.0)])
    assert RelationshipIndex().fit(df).alerts().empty


def test_duplicate_statement_ids_are_a_clear_error():
    import pandas as pd

    from tracker.errors import TrackerError
    from tracker.index import RelationshipIndex

    st = pd.DataFrame({"statement_id": [7, 7], "published": pd.to_datetime(["2024-02-01"] * 2),
                       "source": ["USA", "CHN"], "target": ["CHN", "USA"], "tone": [-0.5, 0.2],
                       "confidence": [0.9, 0.8], "sentence": ["a", "b"]})
    with pytest.raises(TrackerError, match="statement_id 7 occurs more than once"):
        RelationshipIndex().fit(st)
