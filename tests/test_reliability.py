"""What a hostile user feeds the tracker: every case ends with exit 0, or a one-line error and
exit 2, and the database stays sound. Real files, a real database, the real tone model."""
from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli import app

runner = CliRunner()
pytestmark = pytest.mark.slow


def tracker(*args, cwd=None, env=None, timeout=600):
    return subprocess.run([sys.executable, "-m", "tracker", *map(str, args)], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=timeout)


def one_line(result, *needles):
    """A CliRunner result or a finished process: exit 2 and one line naming the problem."""
    code = getattr(result, "exit_code", getattr(result, "returncode", None))
    text = result.output if hasattr(result, "output") else result.stderr
    lines = [line for line in text.strip().splitlines() if line.startswith("error: ")]
    assert code == 2, text
    assert "Traceback" not in text and len(lines) >= 1, text
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def jsonl(path: Path, *rows) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
                    encoding="utf-8")
    return path


GOOD = {"id": "good", "published": "2024-01-10",
        "text": "Japan praised Australia for its help after the floods."}


# -- dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "1500-06-01", "2300-01-01"])
def test_a_date_outside_the_range_is_refused_at_ingest(tmp_path, date, tone_model):
    src = jsonl(tmp_path / "bad.jsonl", GOOD, {"text": "Russia condemned South Korea for its "
                                                       "stance.", "published": date})
    result = runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "t.db"),
                                 "--out", str(tmp_path / "out")])
    one_line(result, "bad.jsonl:2", date, "outside", "TRACKER_DATE_RANGE")
    # The file is refused whole: its good first line is not stored either.
    assert sqlite3.connect(tmp_path / "t.db").execute(
        "SELECT COUNT(*) FROM articles").fetchone()[0] == 0


def test_front_matter_and_option_dates_are_checked_too(tmp_path):
    md = tmp_path / "a.md"
    md.write_text("---\npublished: 9999-12-31\n---\nRussia condemned Japan.\n")
    one_line(runner.invoke(app, ["run", str(md), "--db", str(tmp_path / "t.db")]), "a.md",
             "9999-12-31")
    txt = tmp_path / "b.txt"
    txt.write_text("Russia condemned Japan.\n")
    one_line(runner.invoke(app, ["run", str(txt), "--db", str(tmp_path / "u.db"), "--date",
                                 "2400-01-01"]), "--date 2400-01-01")


def test_the_range_can_be_widened(tmp_path, monkeypatch, tone_model):
    monkeypatch.setenv("TRACKER_DATE_RANGE", "1700-01-01:2100-12-31")
    src = jsonl(tmp_path / "old.jsonl", dict(GOOD, published="1713-04-11"))
    result = runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "t.db"),
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    for bad in ("2100:1500", "1500-01-01:2100-12-31", "1900-01-01:2300-01-01"):
        monkeypatch.setenv("TRACKER_DATE_RANGE", bad)
        one_line(runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "u.db")]),
                 "TRACKER_DATE_RANGE")


def test_a_database_holding_a_bad_date_still_opens_and_reports(tmp_path, seed_path,
                                                               tone_model):
    db = tmp_path / "t.db"
    assert runner.invoke(app, ["run", str(seed_path), "--db", str(db), "--out",
                               str(tmp_path / "out")]).exit_code == 0
    con = sqlite3.connect(db)  # as an older tracker, which took any date, would have left it
    with con:
        con.execute("UPDATE articles SET published = '9999-12-31'")
        con.execute("INSERT INTO articles SELECT 'x' || id, external_id, url, title, outlet, "
                    "'2024-02-01', date_method, text || ' ', origin, ingested_at, speaker "
                    "FROM articles")
    con.close()
    for args in (["export", "index"], ["export", "statements"], ["report", "--out",
                                                                  str(tmp_path / "r")],
                 ["compare", "KOR-RUS"], ["run", str(seed_path), "--out",
                                          str(tmp_path / "o2")]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 2), (args, result.output)
        assert "9999-12-31" in result.output and "left out" in result.output, args
    assert integrity(db) == "ok"


# -- foreign and damaged files ----------------------------------------------------------------

@pytest.mark.parametrize("kind", ["other sqlite", "empty", "text", "folder"])
def test_a_file_that_is_not_a_tracker_database_is_left_untouched(tmp_path, kind, seed_path):
    db = tmp_path / "other.db"
    if kind == "other sqlite":
        con = sqlite3.connect(db)
        with con:
            con.execute("CREATE TABLE notes (x)")
            con.execute("INSERT INTO notes VALUES ('mine')")
        con.close()
    elif kind == "empty":
        db.write_bytes(b"")
    elif kind == "text":
        db.write_text("just some notes\n")
    else:
        db.mkdir()
    before = sha(db) if db.is_file() else None
    for args in (["export", "statements"], ["run", str(seed_path)], ["export", "index"]):
        one_line(runner.invoke(app, [*args, "--db", str(db)]), str(db))
    if before is not None:
        assert sha(db) == before
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    assert not Path(f"{db}.lock").exists()


def test_a_database_whose_first_run_failed_is_taken_up_again(tmp_path, seed_path, tone_model):
    db = tmp_path / "t.db"
    con = sqlite3.connect(db)  # a disk that filled while the tables were being made
    with con:
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.close()
    one_line(runner.invoke(app, ["export", "statements", "--db", str(db)]), "no data yet",
             "tracker run")
    result = runner.invoke(app, ["run", str(seed_path), "--db", str(db), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["export", "statements", "--db", str(db)]).exit_code == 0


def test_an_export_to_an_unwritable_place_is_one_line(tmp_path, seed_run):
    db = seed_run[0]
    one_line(runner.invoke(app, ["export", "statements", "--db", str(db), "-o",
                                 str(tmp_path / "no" / "such" / "dir" / "x.jsonl")]), "--output")
    one_line(runner.invoke(app, ["compare", "KOR-RUS", "--db", str(db), "--out",
                                 "/proc/version/x.png"]))


def test_an_unwritable_out_folder_is_refused_before_any_database_work(tmp_path, seed_path):
    db = tmp_path / "t.db"
    one_line(runner.invoke(app, ["run", str(seed_path), "--db", str(db), "--out",
                                 "/proc/version/out"]), "--out /proc/version/out")
    assert not db.exists()


def test_the_jsonl_export_is_valid_json_on_every_line(seed_run):
    result = runner.invoke(app, ["export", "statements", "--db", str(seed_run[0])])
    assert result.exit_code == 0

    def refuse(name):
        raise ValueError(name)

    lines = result.output.strip().splitlines()
    assert lines and all(json.loads(line, parse_constant=refuse) for line in lines)


# -- inputs -----------------------------------------------------------------------------------

def test_one_bad_file_in_a_folder_does_not_stop_the_others(tmp_path, tone_model):
    folder = tmp_path / "in"
    folder.mkdir()
    jsonl(folder / "a-good.jsonl", GOOD)
    jsonl(folder / "b-bad.jsonl", dict(GOOD, id="first", text="Russia warned Norway."),
          "{not json")
    jsonl(folder / "c-good.jsonl", dict(GOOD, id="c", text="India thanked Nepal for the aid."))
    db = tmp_path / "t.db"
    result = tracker("run", folder, "--db", db, "--out", tmp_path / "out")
    lines = one_line(result, "b-bad.jsonl:2", "not valid JSON")
    assert len(lines) == 1 and "1 files refused" in result.stderr
    ids = {r[0] for r in sqlite3.connect(db).execute("SELECT external_id FROM articles")}
    assert ids == {"good", "c"}  # the bad file's good first line is not stored either
    assert "2 new articles" in result.stdout
    # Fixed, the file goes in and nothing else is done twice.
    jsonl(folder / "b-bad.jsonl", dict(GOOD, id="first", text="Russia warned Norway."))
    again = tracker("run", folder, "--db", db, "--out", tmp_path / "out")
    assert again.returncode == 0 and "1 new articles, 2 already stored" in again.stdout


@pytest.mark.parametrize("line, needle", [
    ('{"text": ["Russia", "condemned", "Japan"], "published": "2024-01-10"}', "not text"),
    ('{"text": 42, "published": "2024-01-10"}', "not text"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ('{"text": "Russia condemned Japan.", "published": "2024-99-99"}', "not a date"),
])
def test_bad_rows_are_line_errors(tmp_path, line, needle):
    src = tmp_path / "x.jsonl"
    src.write_text(line + "\n")
    one_line(runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "t.db")]), "x.jsonl:1",
             needle)


def test_invalid_utf8_is_a_line_error(tmp_path):
    src = tmp_path / "x.jsonl"
    src.write_bytes(json.dumps(GOOD).encode() + b"\n" + b'{"text": "caf\xe9"}\n')
    one_line(runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "t.db")]), "x.jsonl:2",
             "not UTF-8")


def test_null_bytes_and_lone_surrogates_are_dropped_not_stored(tmp_path, tone_model):
    src = tmp_path / "x.jsonl"
    src.write_text(json.dumps(dict(GOOD, text="Japan praised\u0000 Australia for its help "
                                               "\ud800 after the floods.")) + "\n")
    result = runner.invoke(app, ["run", str(src), "--db", str(tmp_path / "t.db"), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    (text,) = sqlite3.connect(tmp_path / "t.db").execute("SELECT text FROM articles").fetchone()
    assert "\x00" not in text and "Japan praised Australia" in text


def test_a_page_is_read_in_the_charset_it_declares(tmp_path, tone_model):
    page = tmp_path / "p.html"
    page.write_bytes('<html><head><meta charset="iso-8859-1"><title>Caf\xe9 talks</title>'
                     '<meta name="date" content="2024-01-10"></head><body><p>Japan praised '
                     'Australia at the caf\xe9 summit in Montr\xe9al, a \u201chistoric\u201d '
                     'day.</p></body></html>'.encode("cp1252"))
    result = runner.invoke(app, ["run", str(page), "--db", str(tmp_path / "t.db"), "--out",
                                 str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    (text,) = sqlite3.connect(tmp_path / "t.db").execute("SELECT text FROM articles").fetchone()
    assert "café summit in Montréal" in text


def test_links_out_of_the_input_folder_are_not_followed(tmp_path, tone_model):
    outside = jsonl(tmp_path / "secret.jsonl", dict(GOOD, id="secret"))
    folder = tmp_path / "in"
    folder.mkdir()
    jsonl(folder / "mine.jsonl", GOOD)
    (folder / "link.jsonl").symlink_to(outside)
    db = tmp_path / "t.db"
    assert runner.invoke(app, ["run", str(folder), "--db", str(db), "--out",
                               str(tmp_path / "o")]).exit_code == 0
    ids = {r[0] for r in sqlite3.connect(db).execute("SELECT external_id FROM articles")}
    assert ids == {"good"}


# -- time that grows with the input -----------------------------------------------------------

def test_extraction_time_grows_linearly_with_a_sentence_without_stops():
    from tracker.extract import Extractor

    ex = Extractor()
    words = "Russia condemned Japan and the talks went on and on without end "

    def seconds(n):
        text = (words * (n // len(words) + 1))[:n]
        t = time.perf_counter()
        ex.extract("x", text, "2024-01-10")
        return time.perf_counter() - t

    seconds(20_000)
    small, large = seconds(200_000), seconds(800_000)
    assert large <= 5 * small + 0.5, (small, large)


def test_a_target_past_the_token_window_is_still_read(tmp_path, tone_model):
    from tracker.tone import ToneInput

    filler = "The delegates discussed the weather and the agenda at length. " * 60
    short = "Russia strongly condemned Japan for the provocation."
    long = filler + short
    start = len(filler) + short.index("Japan")
    a, b = tone_model.predict([ToneInput(short, ((short.index("Japan"),
                                                  short.index("Japan") + 5),)),
                               ToneInput(long, ((start, start + 5),))])
    assert a.label == b.label == "hostile" and abs(a.tone - b.tone) < 0.2


def test_a_target_code_missing_from_the_text_is_an_error(tmp_path):
    src = jsonl(tmp_path / "t.jsonl", {"text": "Russia condemned Japan.", "target": "BRA"})
    one_line(runner.invoke(app, ["tone", "--input", str(src)]), "t.jsonl:1", "BRA",
             "not mentioned")
    src = jsonl(tmp_path / "u.jsonl", {"text": "Russia condemned Japan.",
                                       "target_spans": [[0, float("inf")]]})
    one_line(runner.invoke(app, ["tone", "--input", str(src)]), "u.jsonl:1")


# -- concurrent and interrupted runs ----------------------------------------------------------

def _voa_parts(shared_data, tmp_path, n=4, per=6):
    rows = [json.loads(line) for line in
            (shared_data / "voa" / "voa_stories.jsonl").read_text().splitlines()][:n * per]
    return [jsonl(tmp_path / f"part{k}.jsonl", *rows[k * per:(k + 1) * per]) for k in range(n)]


def _export(db: Path) -> list[dict]:
    out = tracker("export", "statements", "--db", db)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    for r in rows:
        r.pop("statement_id")
    return sorted(rows, key=lambda r: (r["article_id"], r["sentence_start"], r["source"],
                                       r["target"]))


def test_four_runs_at_once_on_one_database_finish_like_four_in_a_row(tmp_path, shared_data):
    parts = _voa_parts(shared_data, tmp_path)
    seq = tmp_path / "seq.db"
    for p in parts:
        assert tracker("run", p, "--db", seq, "--out", tmp_path / "o-seq").returncode == 0
    par = tmp_path / "par.db"
    procs = [subprocess.Popen([sys.executable, "-m", "tracker", "run", str(p), "--db", str(par),
                               "--out", str(tmp_path / f"o-par{k}")], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k, p in enumerate(parts)]
    outs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [o[1][-400:] for o in outs]
    assert not any("Traceback" in err for _, err in outs)
    assert any("waiting for another run" in err for _, err in outs)
    assert _export(par) == _export(seq)
    assert integrity(par) == "ok"


def _articles(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1) as con:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:  # not made yet, or locked
        return 0


def test_ctrl_c_stops_with_a_word_and_a_rerun_resumes(tmp_path, shared_data):
    voa = shared_data / "voa" / "voa_stories.jsonl"
    db = tmp_path / "t.db"
    # (Under a shell's background job SIGINT is ignored, and children inherit that.)
    proc = subprocess.Popen([sys.executable, "-m", "tracker", "run", str(voa), "--db", str(db),
                             "--out", str(tmp_path / "o")], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # Interrupted once the first articles are stored, while the later stages run.
    for _ in range(600):
        if proc.poll() is None and db.exists() and _articles(db):
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "interrupted" in err and "rerun" in err, err
    assert "Traceback" not in err and integrity(db) == "ok"
    assert tracker("run", voa, "--db", db, "--out", tmp_path / "o").returncode == 0
    clean = tmp_path / "clean.db"
    assert tracker("run", voa, "--db", clean, "--out", tmp_path / "o2").returncode == 0
    assert _export(db) == _export(clean)


def test_a_statements_tone_hardly_depends_on_what_else_is_in_its_batch(tone_model, seed_run):
    from tracker.store import Store
    from tracker.tone import ToneInput

    with Store(seed_run[0]) as store:
        rows = store.statements_to_score(store.get_meta("extractor"), "none")
    inputs = [ToneInput(r["text"], r["target_spans"], r["source_spans"]) for r in rows]
    together = tone_model.predict(inputs + inputs[::-1], batch_size=64)[:len(inputs)]
    alone = [tone_model.predict([i], batch_size=1)[0] for i in inputs]
    diffs = [abs(a.tone - b.tone) for a, b in zip(together, alone)]
    # The documented tolerance (bf16 arithmetic): far below the distance between labels.
    assert max(diffs) < 0.02, max(diffs)
