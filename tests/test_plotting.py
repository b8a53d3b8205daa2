"""Tests for tracker/plotting.py: structure of what each Display draws."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402

from tracker.errors import TrackerError  # noqa: E402
from tracker.index import RelationshipIndex  # noqa: E402
from tracker.plotting import AsymmetryDisplay, HeatmapDisplay, PairsDisplay, TimelineDisplay  # noqa: E402


@pytest.fixture
def pyplot():
    """Give pyplot and close every figure a test opened."""
    yield plt
    plt.close("all")


def _index(rows, directed=False):
    period = [r[0] for r in rows]
    from tracker.periods import period_label

    weeks = pd.to_datetime([pd.Timestamp.fromisocalendar(int(p[:4]), int(p[6:]), 1) for p in period])
    labels, starts = period_label(weeks, "W")
    keys = ("source", "target") if directed else ("country_a", "country_b")
    return pd.DataFrame({
        "period": list(labels), "period_start": starts,
        keys[0]: [r[1] for r in rows], keys[1]: [r[2] for r in rows],
        "index": [float(r[3]) for r in rows],
        "lower": [max(-100.0, r[3] - 20) for r in rows], "upper": [min(100.0, r[3] + 20) for r in rows],
        "n_statements": [r[4] for r in rows],
    })


@pytest.fixture
def index_df():
    return _index([
        ("2024-W01", "CHN", "USA", -20, 5), ("2024-W02", "CHN", "USA", -30, 4), ("2024-W03", "CHN", "USA", -70, 9),
        ("2024-W01", "RUS", "UKR", -90, 12), ("2024-W03", "RUS", "UKR", -80, 10),
        ("2024-W03", "FRA", "GER", 60, 2),
    ])


@pytest.fixture
def directed_df():
    return _index([
        ("2024-W01", "USA", "CHN", -40, 3), ("2024-W01", "CHN", "USA", -10, 3),
        ("2024-W02", "USA", "CHN", -50, 3), ("2024-W02", "CHN", "USA", -60, 2),
        ("2024-W02", "RUS", "UKR", -90, 5),
    ], directed=True)


def test_timeline_structure(pyplot, index_df):
    disp = TimelineDisplay.from_index(index_df, ("USA", "CHN"), alerts=["2024-W03"])
    assert list(disp.index) == [-20, -30, -70]
    assert disp.plot() is disp
    assert disp.line_.get_label() == "CHN-USA"
    assert isinstance(disp.band_, PolyCollection)
    assert disp.band_ in disp.ax_.collections
    assert disp.alerts_ is not None and disp.alerts_.get_offsets().shape == (1, 2)
    assert disp.alerts_.get_offsets()[0, 1] == -70
    assert disp.ax_.get_title() == "Relationship index CHN-USA"
    assert "index" in disp.ax_.get_ylabel()
    assert disp.figure_ is disp.ax_.figure
    assert len(disp.ax_.get_lines()) == 2  # the series and the neutral line
    np.testing.assert_array_equal(disp.line_.get_ydata(), [-20, -30, -70])


def test_timeline_breaks_line_at_missing_period(pyplot, index_df):
    disp = TimelineDisplay.from_index(index_df, ("RUS", "UKR")).plot()
    y = np.asarray(disp.line_.get_ydata(), dtype=float)
    assert len(y) == 3 and np.isnan(y[1])  # W02 is missing, not interpolated
    assert disp.alerts_ is None


def test_timeline_draws_on_given_axes_and_twice(pyplot, index_df):
    fig, (ax1, ax2) = pyplot.subplots(1, 2)
    n_figs = len(pyplot.get_fignums())
    disp = TimelineDisplay.from_index(index_df, ("CHN", "USA"))
    disp.plot(ax=ax1)
    assert disp.ax_ is ax1 and disp.figure_ is fig
    disp.plot(ax=ax2)
    assert disp.ax_ is ax2
    assert len(pyplot.get_fignums()) == n_figs  # no new figure when an ax is given


def test_timeline_alerts_from_dataframe(pyplot, index_df):
    alerts = pd.DataFrame({"period": ["2024-W03", "2024-W03"], "country_a": ["CHN", "RUS"],
                           "country_b": ["USA", "UKR"]})
    disp = TimelineDisplay.from_index(index_df, ("CHN", "USA"), alerts=alerts)
    assert disp.alert_periods == ("2024-W03",)


def test_unknown_pair_is_a_clear_error(index_df):
    with pytest.raises(TrackerError, match="pair ARG-BRA has no index values; pairs available: CHN-USA"):
        TimelineDisplay.from_index(index_df, ("BRA", "ARG"))


def test_pairs_display(pyplot, index_df):
    disp = PairsDisplay.from_index(index_df, top=2)
    assert list(disp.series) == ["RUS-UKR", "CHN-USA"]  # most statements first
    disp.plot(show_bands=True)
    assert len(disp.lines_) == 2 and len(disp.bands_) == 2
    legend = [t.get_text() for t in disp.ax_.get_legend().get_texts()]
    assert legend == ["RUS-UKR", "CHN-USA"]
    chosen = PairsDisplay.from_index(index_df, pairs=[("GER", "FRA")]).plot(show_bands=False)
    assert len(chosen.lines_) == 1 and chosen.bands_ == []


def test_asymmetry_display(pyplot, directed_df):
    disp = AsymmetryDisplay.from_index(directed_df)
    # CHN/USA: x = CHN->USA, y = USA->CHN; RUS->UKR has no reverse, so it is left out
    np.testing.assert_array_equal(disp.forward, [-10, -60])
    np.testing.assert_array_equal(disp.backward, [-40, -50])
    disp.plot()
    assert disp.scatter_.get_offsets().shape == (2, 2)
    assert len(disp.annotations_) == 2
    assert disp.ax_.get_xlabel() == "A -> B index"
    one = AsymmetryDisplay.from_index(directed_df, period="2024-W02")
    assert list(one.labels) == ["CHN/USA 2024-W02"]


def test_asymmetry_needs_directed_index(index_df):
    with pytest.raises(TrackerError, match="directed"):
        AsymmetryDisplay.from_index(index_df)


def test_heatmap_values(pyplot, index_df, directed_df):
    disp = HeatmapDisplay.from_index(index_df)  # latest period: W03
    assert disp.period == "2024-W03"
    assert disp.countries == ["CHN", "FRA", "GER", "RUS", "UKR", "USA"]
    m = disp.matrix
    assert m[0, 5] == m[5, 0] == -70
    assert m[3, 4] == -80 and m[1, 2] == 60
    assert np.isnan(m[0, 1])
    disp.plot()
    np.testing.assert_array_equal(np.ma.filled(disp.im_.get_array(), np.nan)[0, 5], -70)
    assert disp.im_.get_clim() == (-100, 100)
    assert disp.texts_[0, 5].get_text() == "-70"
    assert disp.texts_[0, 1] is None
    assert [t.get_text() for t in disp.ax_.get_yticklabels()] == disp.countries

    d = HeatmapDisplay.from_index(directed_df, period="2024-W01")
    assert d.directed and d.countries == ["CHN", "USA"]
    np.testing.assert_array_equal(d.matrix, [[np.nan, -10], [-40, np.nan]])
    with pytest.raises(TrackerError, match="period '2020-W01' has no index values"):
        HeatmapDisplay.from_index(index_df, period="2020-W01")


def test_displays_work_on_estimator_output(pyplot):
    st = pd.DataFrame({
        "statement_id": [1, 2, 3], "published": pd.to_datetime(["2024-02-01", "2024-02-08", "2024-02-09"]),
        "source": ["USA", "CHN", "USA"], "target": ["CHN", "USA", "CHN"], "tone": [-0.5, -0.7, 0.2],
        "confidence": [0.9, 0.8, 0.7], "sentence": ["a b", "c d", "e f"]})
    out = RelationshipIndex().fit_transform(st)
    disp = TimelineDisplay.from_index(out, ("CHN", "USA")).plot()
    assert len(disp.line_.get_xdata()) == 2


def _overlaps(fig) -> list[tuple[str, str]]:
    """Pairs of visible, non-empty texts of a drawn figure whose boxes intersect."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = []
    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip():
            bb = t.get_window_extent(renderer)
            if bb.width > 0 and bb.height > 0:
                boxes.append((t.get_text(), bb))
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            if ba.overlaps(bb) and ba.intersection(ba, bb).width * ba.intersection(
                    ba, bb).height > 4:
                out.append((a, b))
    return out


@pytest.mark.parametrize("weeks", [12, 120])
def test_no_text_overlaps_in_a_chart_of_pairs(weeks):
    from matplotlib.figure import Figure

    rng = np.random.default_rng(0)
    starts = pd.date_range("2021-01-04", periods=weeks, freq="7D")
    rows = []
    for a, b in [("RUS", "UKR"), ("RUS", "USA"), ("CHN", "USA"), ("IRN", "USA")]:
        for s in starts[rng.random(weeks) > 0.3]:
            v = rng.uniform(-80, 80)
            rows.append({"period": f"{s.isocalendar().year}-W{s.isocalendar().week:02d}",
                         "period_start": s, "country_a": a, "country_b": b, "index": v,
                         "lower": v - 20, "upper": v + 20, "n_statements": 3})
    idx = pd.DataFrame(rows)
    for draw in (lambda ax: PairsDisplay.from_index(idx).plot(ax=ax, show_bands=True),
                 lambda ax: TimelineDisplay.from_index(idx, ("RUS", "UKR")).plot(ax=ax)):
        fig = Figure(figsize=(9, 4.2), dpi=100, layout="constrained")
        draw(fig.subplots())
        assert _overlaps(fig) == []


def test_the_overlap_check_sees_an_overlap():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    fig.text(0.5, 0.5, "2019-W48")
    fig.text(0.52, 0.5, "2019-W52")
    assert _overlaps(fig) == [("2019-W48", "2019-W52")]


def test_no_text_overlaps_in_the_heatmap_and_asymmetry_charts():
    from matplotlib.figure import Figure

    rng = np.random.default_rng(1)
    codes = ["CHN", "DEU", "FRA", "GBR", "IND", "IRN", "ISR", "JPN", "KOR", "PRK", "RUS", "SAU",
             "TUR", "UKR", "USA"]
    rows = [{"period": "2022-W08", "period_start": pd.Timestamp("2022-02-21"), "source": a,
             "target": b, "index": v, "lower": v - 20, "upper": v + 20, "n_statements": 2}
            for a in codes for b in codes if a != b and rng.random() < 0.4
            for v in [rng.uniform(-90, 90)]]
    directed = pd.DataFrame(rows)
    und = directed.rename(columns={"source": "country_a", "target": "country_b"})
    und = und[und["country_a"] < und["country_b"]]
    for draw in (lambda ax: HeatmapDisplay.from_index(und).plot(ax=ax),
                 lambda ax: AsymmetryDisplay.from_index(directed).plot(ax=ax)):
        fig = Figure(figsize=(9, 6), dpi=100, layout="constrained")
        draw(fig.subplots())
        assert _overlaps(fig) == []


def test_past_four_pairs_the_chart_becomes_small_multiples():
    from matplotlib.figure import Figure

    rng = np.random.default_rng(2)
    starts = pd.date_range("2024-01-01", periods=12, freq="7D")
    pairs = [("RUS", "UKR"), ("RUS", "USA"), ("CHN", "USA"), ("IRN", "USA"), ("ISR", "PSE"),
             ("IND", "PAK")]
    rows = [{"period": f"{s.isocalendar().year}-W{s.isocalendar().week:02d}",
             "period_start": s, "country_a": a, "country_b": b, "index": v, "lower": v - 15,
             "upper": v + 15, "n_statements": 4}
            for a, b in pairs for s in starts for v in [rng.uniform(-80, 80)]]
    fig = Figure(figsize=(9, 6), dpi=100, layout="constrained")
    disp = PairsDisplay.from_index(pd.DataFrame(rows), pairs=pairs).plot(ax=fig.subplots())
    panels = [a for a in fig.axes if a.get_visible()]
    assert len(panels) == 6 and sorted(a.get_title() for a in panels) == sorted(
        f"{a}-{b}" for a, b in pairs)
    assert len(disp.bands_) == 6
    assert _overlaps(fig) == []
