"""The Python entry point (``tracker.open``) and the command line's analyst conveniences, on a
real database: the seed article, and six weeks of Wikipedia Current Events around the Russian
invasion of Ukraine."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

import tracker
from tracker.cli import app
from tracker.errors import TrackerError

from conftest import wcep_items

runner = CliRunner()
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wcep_db(tmp_path_factory, shared_data, tone_model):
    tmp = tmp_path_factory.mktemp("wcep22")
    src = wcep_items(tmp / "wcep.jsonl", "2022-01-24", "2022-03-07")
    result = runner.invoke(app, ["-q", "run", str(src), "--db", str(tmp / "w.db"), "--out",
                                 str(tmp / "out")])
    assert result.exit_code == 0, result.output
    return tmp / "w.db"


def test_the_api_gives_dataframes(wcep_db):
    t = tracker.open(wcep_db)
    st = t.statements()
    idx = t.index()
    assert len(st) > 100 and {"source", "target", "tone", "sentence", "url"} <= set(st.columns)
    assert {"period", "country_a", "country_b", "index", "lower", "upper"} <= set(idx.columns)
    assert set(t.index(period="M")["period"]) >= {"2022-02"}
    directed = t.index(directed=True)
    assert {"source", "target"} <= set(directed.columns)


def test_evidence_traces_an_index_value_to_its_sentences(wcep_db):
    t = tracker.open(wcep_db)
    idx = t.index()
    row = idx[(idx["country_a"] == "RUS") & (idx["country_b"] == "UKR")
              & (idx["period"] == "2022-W08")].iloc[0]
    ev = t.evidence("UKR\u2013RUS", period="2022-W08")  # an en dash, as the reports write it
    assert len(ev) == row["n_statements"]
    assert ev["weight"].is_monotonic_decreasing
    assert ev["sentence"].str.len().gt(0).all() and ev["url"].notna().all()
    # The value is the shrunk weighted mean of these tones (see tracker.index).
    every = t.evidence("RUS-UKR")
    assert set(every["period"]) >= {"2022-W08", "2022-W09"}
    with pytest.raises(TrackerError, match="no statements for"):
        t.evidence("RUS-UKR", period="2019-W01")


def test_alerts_compare_and_report_from_python(wcep_db, tmp_path):
    t = tracker.open(wcep_db)
    alerts = t.alerts()
    assert len(alerts) and {"period", "change", "threshold", "statement_ids"} <= set(
        alerts.columns)
    assert (alerts["change"].abs() > alerts["threshold"]).all()
    table = t.compare(["RUS-UKR", "RUS-USA"])
    assert list(table["pair"]) == ["RUS-UKR", "RUS-USA"]
    files = t.report("2022-W08", out=tmp_path)
    assert {p.name for p in files} == {"report-2022-W08.html", "report-2022-W08.md",
                                       "report-2022-W08.png"}
    with pytest.raises(TrackerError, match="no such database"):
        tracker.open(tmp_path / "absent.db")


def test_the_alerts_command(wcep_db):
    result = runner.invoke(app, ["alerts", "--db", str(wcep_db)])
    assert result.exit_code == 0, result.output
    rows = list(pd.read_csv(pd.io.common.StringIO(result.output))["period"])
    assert rows
    week = rows[0]
    one = runner.invoke(app, ["alerts", "--db", str(wcep_db), "--week", week, "--format",
                              "jsonl"])
    assert one.exit_code == 0
    assert {json.loads(line)["period"] for line in one.output.splitlines()} == {week}
    bad = runner.invoke(app, ["alerts", "--db", str(wcep_db), "--week", "2019-W01"])
    assert bad.exit_code == 2 and "has no index values" in bad.output


def test_parquet_exports(wcep_db, tmp_path):
    out = tmp_path / "s.parquet"
    assert runner.invoke(app, ["export", "statements", "--db", str(wcep_db), "--format",
                               "parquet", "-o", str(out)]).exit_code == 0
    assert len(pd.read_parquet(out)) == len(tracker.open(wcep_db).statements())
    idx = tmp_path / "i.parquet"
    assert runner.invoke(app, ["export", "index", "--db", str(wcep_db), "--directed",
                               "--format", "parquet", "-o", str(idx)]).exit_code == 0
    assert {"source", "target"} <= set(pd.read_parquet(idx).columns)
    no_file = runner.invoke(app, ["export", "index", "--db", str(wcep_db), "--format",
                                  "parquet"])
    assert no_file.exit_code == 2 and "--output" in no_file.output


def test_version_quiet_and_pairs_with_an_en_dash(wcep_db, seed_path, tmp_path):
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.output.strip() == f"tracker {tracker.__version__}"
    quiet = runner.invoke(app, ["-q", "run", str(seed_path), "--db", str(tmp_path / "t.db"),
                                "--out", str(tmp_path / "out")])
    assert quiet.exit_code == 0 and quiet.output.strip() == ""
    loud = runner.invoke(app, ["-v", "run", str(seed_path), "--db", str(tmp_path / "t.db"),
                               "--out", str(tmp_path / "out")])
    assert "report-2024-W05.png" in loud.output
    dash = runner.invoke(app, ["compare", "RUS\u2013UKR", "--db", str(wcep_db)])
    assert dash.exit_code == 0 and "RUS-UKR" in dash.output
