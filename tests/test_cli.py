"""Every command through typer's runner: output fields, help text, one-line errors."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from tracker.cli import app

runner = CliRunner()
COMMANDS = [["run"], ["export", "statements"], ["export", "index"], ["tone"], ["extract"],
            ["prepare"], ["alerts"],
            ["compare"], ["report"]]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) > 3


def one_line_error(result, *needles):
    assert result.exit_code == 2, result.output
    lines = [l for l in result.output.strip().splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture(scope="module")
def db(seed_run):
    return str(seed_run[0])


@pytest.mark.slow
def test_run_twice_does_no_work(tmp_path, seed_path, tone_model):
    args = ["run", str(seed_path), "--db", str(tmp_path / "t.db"), "--out", str(tmp_path / "o")]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "1 new articles" in first.output and "report-2024-W05.html" in first.output
    second = runner.invoke(app, args)
    assert "0 new articles, 1 already stored" in second.output
    assert "0 statements scored" in second.output and "unchanged" in second.output


def test_export_statements_jsonl(db):
    result = runner.invoke(app, ["export", "statements", "--db", db])
    assert result.exit_code == 0, result.output
    rows = [json.loads(l) for l in result.output.splitlines()]
    fields = {"article_id", "external_id", "url", "title", "published", "source", "target",
              "sentence", "tone", "label", "confidence"}
    assert fields <= set(rows[0])
    assert {r["published"] for r in rows} == {"2024-02-04"}
    assert {r["external_id"] for r in rows} == {"000_38975f3c750645bc.txt"}
    assert all(-1 <= r["tone"] <= 1 and r["label"] in ("hostile", "neutral", "cooperative")
               for r in rows)


def test_export_statements_csv(db):
    result = runner.invoke(app, ["export", "statements", "--db", db, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and rows[0]["source"] and rows[0]["target"]


@pytest.mark.parametrize("directed,keys", [(False, ("country_a", "country_b")),
                                           (True, ("source", "target"))])
def test_export_index(db, directed, keys):
    args = ["export", "index", "--db", db] + (["--directed"] if directed else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {"period", *keys, "index", "lower", "upper", "n_statements"} <= set(rows[0])
    assert {r["period"] for r in rows} == {"2024-W05"}
    for r in rows:
        assert -100 <= float(r["lower"]) <= float(r["index"]) <= float(r["upper"]) <= 100
    if not directed:
        pair = next(r for r in rows if (r["country_a"], r["country_b"]) == ("KOR", "RUS"))
        assert float(pair["index"]) < 0


def test_export_index_bad_period(db):
    result = runner.invoke(app, ["export", "index", "--db", db, "--period", "fortnight"])
    one_line_error(result, "--period", "fortnight", "W, M, Q, Y")


def test_missing_db(tmp_path):
    result = runner.invoke(app, ["export", "statements", "--db", str(tmp_path / "none.db")])
    one_line_error(result, "none.db", "tracker run")


def test_tone_command(tmp_path, tone_model):
    lines = [{"text": "North Korea declared Seoul its main enemy and threatened war.",
              "target": "KOR"},
             {"text": "Japan praised Australia for its support.", "target": "Australia",
              "source": "JPN"},
             {"text": "The two leaders agreed to deepen cooperation."}]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(l) for l in lines) + "\n")
    result = runner.invoke(app, ["tone", "--input", str(src)])
    assert result.exit_code == 0, result.output
    out = [json.loads(l) for l in result.output.splitlines()]
    assert len(out) == 3 and all({"tone", "label", "confidence"} <= set(o) for o in out)
    assert out[0]["tone"] < 0 < out[1]["tone"]


@pytest.mark.parametrize("content,needles", [
    ('{"text": "Seoul protested."}\n{not json\n', ("in.jsonl:2", "not valid JSON")),
    ('{"text": "Seoul protested.", "target": "XYZ"}\n', ("in.jsonl:1", "XYZ", "ISO")),
    ('{"title": "no text"}\n', ("in.jsonl:1", "text")),
])
def test_tone_bad_input(tmp_path, content, needles):
    src = tmp_path / "in.jsonl"
    src.write_text(content)
    one_line_error(runner.invoke(app, ["tone", "--input", str(src)]), *needles)


def test_extract_command(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "x1", "text": "Intro line. Seoul summoned the Russian "
                                                   "ambassador.", "published": "2024-02-03"}))
    result = runner.invoke(app, ["extract", "--input", str(src)])
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(l) for l in result.output.splitlines()]
    assert (row["id"], row["source"], row["target"]) == ("x1", "KOR", "RUS")
    text = json.loads(src.read_text())["text"]
    assert text[row["start"]:row["end"]] == row["sentence"] == "Seoul summoned the Russian ambassador."
    assert row["rule"] == "action:summoned"


def test_extract_unreadable_file(tmp_path):
    one_line_error(runner.invoke(app, ["extract", "--input", str(tmp_path / "nope.jsonl")]),
                   "nope.jsonl")


def test_compare(db, tmp_path):
    png = tmp_path / "cmp.png"
    result = runner.invoke(app, ["compare", "KOR-RUS", "PRK-RUS", "--db", db, "--out", str(png)])
    assert result.exit_code == 0, result.output
    assert "KOR-RUS" in result.output and "PRK-RUS" in result.output
    assert png.stat().st_size > 1000


def test_compare_bad_pair(db):
    one_line_error(runner.invoke(app, ["compare", "KOREA", "--db", db]), "KOREA", "KOR-RUS")


def test_report_for_one_week(db, tmp_path):
    result = runner.invoke(app, ["report", "--week", "2024-W05", "--db", db, "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "report-2024-W05.html").read_text()
    assert "KOR" in html and "data:image/png;base64," in html


def test_run_without_date_suggests_option(tmp_path):
    src = tmp_path / "nodate.txt"
    src.write_text("Seoul protested to Tokyo about the islands.\n")
    result = runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "t.db")])
    one_line_error(result, "nodate.txt", "--date")


def test_python_dash_m_tracker():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "tracker", "--help"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "export" in result.stdout


def test_import_is_cheap():
    import subprocess
    import sys

    code = "import sys, tracker.cli, tracker.pipeline; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "False"


def test_extract_speech_mode_and_bad_speaker(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "s", "speaker": "FRA",
                               "text": "We condemn the actions of the Russian Federation."}) + "\n")
    result = runner.invoke(app, ["extract", "--input", str(src)])
    rows = [json.loads(l) for l in result.output.splitlines()]
    assert [(r["source"], r["target"]) for r in rows] == [("FRA", "RUS")]
    src.write_text(json.dumps({"speaker": "France", "text": "We condemn Russia."}) + "\n")
    one_line_error(runner.invoke(app, ["extract", "--input", str(src)]), "in.jsonl:1", "speaker")
