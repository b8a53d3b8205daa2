"""End to end on the seed article with the real tone model, and incremental, resumable runs."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tracker import pipeline
from tracker.store import Store

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def mean_tone(frame, source, target):
    part = frame[(frame["source"] == source) & (frame["target"] == target)]
    assert len(part), f"no {source}->{target} statement"
    return part["tone"].mean()


def test_seed_end_to_end(seed_run):
    db, out, summary = seed_run
    assert summary.articles_added == 1
    assert summary.statements_scored == summary.statements_added > 10
    with Store(db) as store:
        frame = store.statements_frame()
        articles = store.articles_frame()
    assert articles["published"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-04"]
    assert mean_tone(frame, "KOR", "RUS") < 0
    assert mean_tone(frame, "RUS", "KOR") < 0
    assert mean_tone(frame, "PRK", "KOR") < -0.4
    rus_prk = frame[frame[["source", "target"]].apply(set, axis=1) == {"RUS", "PRK"}]
    assert rus_prk["tone"].mean() > 0
    assert not frame["sentence"].str.contains("Read also").any()
    names = sorted(p.name for p in summary.reports)
    assert "report-2024-W05.html" in names and "report-2024-W05.md" in names


def test_second_run_does_no_work(seed_run, tone_model):
    db, out, _ = seed_run
    again = pipeline.run([ROOT / "seeds"], db=db, out=out, model=tone_model)
    assert (again.articles_added, again.articles_known) == (0, 1)
    assert (again.articles_extracted, again.statements_scored) == (0, 0)
    assert again.reports_kept == len(again.reports) > 0


def test_interrupted_scoring_resumes(tmp_path, tone_model, seed_path):
    db = tmp_path / "t.db"
    with Store(db) as store:
        pipeline.ingest(store, [seed_path])
        pipeline.extract(store)
        n = store.counts()["statements"]

    class Interrupted(Exception):
        pass

    class FailsAfterFirstChunk:
        identity = tone_model.identity
        calls = 0

        def predict(self, inputs, batch_size=64):
            FailsAfterFirstChunk.calls += 1
            if FailsAfterFirstChunk.calls > 1:
                raise Interrupted
            return tone_model.predict(inputs, batch_size)

    with Store(db) as store, pytest.raises(Interrupted):
        pipeline.score(store, FailsAfterFirstChunk(), chunk=5)
    assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with Store(db) as store:
        assert store.counts()["scores"] == 5
        scored, _ = pipeline.score(store, tone_model, chunk=5)
        assert scored == n - 5
        assert store.counts()["scores"] == n


def test_bad_input_keeps_what_is_stored(tmp_path, seed_path, tone_model):
    from tracker.errors import TrackerError

    db = tmp_path / "t.db"
    pipeline.run([seed_path], db=db, out=tmp_path / "out", model=tone_model)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Seoul protested to Tokyo.", "published": "2024-02-05"}\n{oops\n')
    with pytest.raises(TrackerError, match=r"bad.jsonl:2"):
        pipeline.run([bad], db=db, out=tmp_path / "out", model=tone_model)
    with Store(db) as store:
        assert store.counts()["articles"] >= 1
        assert len(store.statements_frame()) > 10


def test_whole_voa_file_gives_a_report_per_week(tmp_path, tone_model, shared_data):
    voa = shared_data / "voa" / "voa_stories.jsonl"
    summary = pipeline.run([voa], db=tmp_path / "voa.db", out=tmp_path / "out", model=tone_model)
    assert summary.articles_added == 89
    with Store(tmp_path / "voa.db") as store:
        frame = store.statements_frame()
    weeks = set(frame["published"].dt.strftime("%G-W%V"))
    html = {p.stem.removeprefix("report-") for p in summary.reports if p.suffix == ".html"}
    assert html == weeks and len(weeks) > 10
    report = (tmp_path / "out" / "report-2025-W11.html").read_text()
    assert "voanews.com" in report


def test_report_shows_coverage(seed_run):
    _, out, _ = seed_run
    md = (out / "report-2024-W05.md").read_text()
    coverage = md.split("\n\n", 2)[1]  # the paragraph under the title
    assert re.search(r"1 article, \d+ statements, 5 countries", coverage)
    assert re.search(r"\d+ of \d+ sentences \(\d+%\) name no country", coverage)


def test_bad_worker_count_is_one_clear_error(monkeypatch):
    monkeypatch.setenv("TRACKER_WORKERS", "two")
    with pytest.raises(pipeline.TrackerError, match="TRACKER_WORKERS='two'"):
        pipeline.default_workers()
    monkeypatch.setenv("TRACKER_WORKERS", "3")
    assert pipeline.default_workers() == 3


def test_extraction_streams_from_the_store_over_workers(tmp_path, shared_data):
    # Articles come from the store in small batches and over two processes (the windows of
    # articles are read in this thread), with the same statements as one process.
    from tracker.extract import Extractor
    from tracker.ingest import read_articles

    articles = list(read_articles([shared_data / "voa" / "voa_stories.jsonl"]))[:30]
    counts = []
    for workers, name in ((1, "one.db"), (2, "two.db")):
        with Store(tmp_path / name) as store:
            store.add_articles(articles)
            ex = Extractor()
            assert store.n_articles_to_extract(ex.version) == 30
            assert [r[0] for r in store.articles_to_extract(ex.version, batch=7)] == [
                r[0] for r in store.articles_to_extract(ex.version)]
            counts.append(pipeline.extract(store, ex, workers=workers))
            assert store.n_articles_to_extract(ex.version) == 0
            counts.append(sorted(store.db.execute(
                "SELECT article_id, sentence_index, source, target, rule FROM statements "
                "WHERE extractor = ?", (ex.version,))))
    assert counts[0] == counts[2] and counts[0][0] == 30 and counts[0][1] > 20
    assert counts[1] == counts[3] and len(counts[1]) == counts[0][1]


def test_a_new_week_leaves_the_reports_of_other_weeks_alone(tmp_path, tone_model):
    import json

    inputs, db, out = tmp_path / "in", tmp_path / "t.db", tmp_path / "out"
    inputs.mkdir()
    (inputs / "jan.jsonl").write_text(json.dumps({
        "id": "jan", "published": "2024-01-10",
        "text": "Japan praised Australia for its help after the floods."}) + "\n")
    first = pipeline.run([inputs], db=db, out=out, model=tone_model)
    assert [p.name for p in first.reports][0] == "report-2024-W02.html"
    jan = [out / f"report-2024-W02.{ext}" for ext in ("html", "md", "png")]
    stamps = [p.stat().st_mtime_ns for p in jan]
    (inputs / "mar.jsonl").write_text(json.dumps({
        "id": "mar", "published": "2024-03-06",
        "text": "Russia condemned Norway for expelling its diplomats."}) + "\n")
    second = pipeline.run([inputs], db=db, out=out, model=tone_model)
    assert second.statements_added > 0 and second.reports_kept == 3
    assert [p.stat().st_mtime_ns for p in jan] == stamps
    assert (out / "report-2024-W10.html").stat().st_size > 0
    # A report cut off by a killed run, or changed since, is written again, and only that
    # week's: a report counts as unchanged only if its content hash matches the manifest.
    original = jan[0].read_bytes()
    for damage in (b"", original[:100], original + b"<!-- edited -->"):
        jan[0].write_bytes(damage)
        third = pipeline.run([inputs], db=db, out=out, model=tone_model)
        assert third.reports_kept == 3 and jan[0].read_bytes() == original
    # A damaged record of the reports (a full disk) means every week is written again.
    (out / ".tracker-reports.json").write_text("")
    fourth = pipeline.run([inputs], db=db, out=out, model=tone_model)
    assert fourth.reports_kept == 0 and len(fourth.reports) == 6
    assert not list(out.glob(".*.tmp"))


def test_a_run_reports_its_progress(tmp_path, tone_model, shared_data):
    calls = []
    voa = shared_data / "voa" / "voa_stories.jsonl"
    pipeline.run([voa], db=tmp_path / "t.db", out=tmp_path / "out", model=tone_model,
                 progress=lambda stage, done, total: calls.append((stage, done, total)))
    extract = [c for c in calls if c[0] == "extract"]
    assert [c[1] for c in extract] == list(range(1, len(extract) + 1))
    assert extract[-1][1] == extract[-1][2] == 89
    score = [c[1] for c in calls if c[0] == "score"]
    assert score and score == sorted(score)


def test_un_speeches_through_run_read_like_extract_with_their_speaker(tmp_path, shared_data,
                                                                       tone_model):
    import collections
    import csv
    import json

    from typer.testing import CliRunner

    from tracker.cli import app

    index = shared_data / "ungd" / "index.csv"
    with open(index, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["year"] == "2023"][:6]
    src = tmp_path / "ungd.jsonl"
    src.write_text("".join(json.dumps({
        "id": r["path"], "published": "2023-09-20", "speaker": r["iso3"],
        "text": (shared_data / "ungd" / r["path"]).read_text(encoding="utf-8-sig")}) + "\n"
        for r in rows))
    pipeline.run([src], db=tmp_path / "u.db", out=tmp_path / "out", model=tone_model)
    with Store(tmp_path / "u.db") as store:
        ran = collections.Counter(zip(*(store.statements_frame()[c] for c in
                                         ("external_id", "source", "target"))))
    out = CliRunner().invoke(app, ["extract", "--input", str(src)]).output
    extracted = collections.Counter((r["id"], r["source"], r["target"])
                                    for r in map(json.loads, out.splitlines()))
    assert sum(ran.values()) > 40 and ran == extracted
    # Every speech speaks: "we" is its state.
    assert {k[0] for k in ran} == {r["path"] for r in rows}


def test_the_weekly_job_takes_the_last_complete_iso_week():
    import datetime as dt

    from tracker.errors import TrackerError
    from tracker.pipeline import _check_week, last_complete_week

    assert last_complete_week(dt.date(2024, 2, 7)) == "2024-W05"   # a Wednesday of W06
    assert last_complete_week(dt.date(2024, 2, 5)) == "2024-W05"   # the Monday after it
    assert last_complete_week(dt.date(2024, 1, 3)) == "2023-W52"   # across the year
    assert last_complete_week(dt.date(2021, 1, 6)) == "2020-W53"   # a 53-week year
    assert _check_week(" 2024-W05 ") == "2024-W05"
    with pytest.raises(TrackerError, match="--week '2024-5' is invalid"):
        _check_week("2024-5")
