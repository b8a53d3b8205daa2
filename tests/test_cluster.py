"""The Ray engine: the same statements as the local engine, on a local Ray instance the tests
start themselves (2 CPUs on 127.0.0.1), with a scoring actor killed half-way."""
from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from tracker import pipeline
from tracker.extract import Gazetteer
from tracker.store import Store

ray = pytest.importorskip("ray", reason="the Ray extra is not installed")
pytestmark = pytest.mark.slow

#: What the export is compared on: every column but the row id (ids follow insertion order).
KEY = ["article_id", "sentence_start", "source", "target"]


@pytest.fixture(scope="module")
def corpus(shared_data, tmp_path_factory) -> Path:
    """The VOA stories, 500 UN General Debate speeches (with their speaker) and 5,000
    Wikipedia Current Events items, in one JSONL file."""
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        out.write((shared_data / "voa" / "voa_stories.jsonl").read_text(encoding="utf-8"))
        with open(shared_data / "ungd" / "index.csv", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["year"] >= "2019"
                    and Gazetteer.default().is_country(r["iso3"])][:500]  # not the EU
        for r in rows:
            out.write(json.dumps({
                "id": r["path"], "published": f"{r['year']}-09-20", "speaker": r["iso3"],
                "text": (shared_data / "ungd" / r["path"]).read_text(encoding="utf-8-sig")})
                + "\n")
        n = 0
        with gzip.open(shared_data / "wcep" / "wcep_2002_2024.jsonl.gz", "rt",
                       encoding="utf-8") as fh:
            for line in fh:
                if n < 5000 and json.loads(line)["published"] >= "2019-01-01":
                    out.write(line)
                    n += 1
    return path


@pytest.fixture(scope="module")
def fp32():
    """Float32 arithmetic on both engines: bf16 rounding depends on what else is in a batch,
    and the engines batch differently."""
    old = os.environ.get("TRACKER_BF16")
    os.environ["TRACKER_BF16"] = "0"
    yield
    if old is None:
        os.environ.pop("TRACKER_BF16", None)
    else:
        os.environ["TRACKER_BF16"] = old


@pytest.fixture(scope="module")
def local(corpus, fp32, tmp_path_factory):
    db = tmp_path_factory.mktemp("local") / "local.db"
    pipeline.run([corpus], db=db, out=db.parent / "out", weeks=[])
    return _export(db)


@pytest.fixture(scope="module")
def cluster(fp32):
    from tracker.cluster import connect

    connect(cpus=2)
    yield
    ray.shutdown()


def _export(db: Path):
    with Store(db, readonly=True) as store:
        frame = pipeline.statements_export(store)
    return frame.drop(columns="statement_id").sort_values(KEY).reset_index(drop=True)


def _same(a, b) -> None:
    assert len(a) == len(b) > 3000
    text = [c for c in a.columns if c not in ("tone", "confidence")]
    assert a[text].equals(b[text])  # the same statements, sentences, spans and labels
    assert (a["tone"] - b["tone"]).abs().max() < 1e-4
    assert (a["confidence"] - b["confidence"]).abs().max() < 1e-4


def test_ray_gives_the_local_engines_statements(corpus, local, cluster, tmp_path):
    db = tmp_path / "ray.db"
    summary = pipeline.run([corpus], db=db, out=tmp_path / "out", ray={"workers": 1},
                           weeks=[])
    assert summary.engine == "Ray (1 scoring actor)"
    first = _export(db)
    _same(local, first)
    assert not Path(f"{db}.shards").exists()  # every shard taken and removed
    again = pipeline.run([corpus], db=db, out=tmp_path / "out", ray={"workers": 1}, weeks=[])
    assert again.articles_extracted == 0 and _export(db).equals(first)


def test_the_reader_on_ray_reads_as_it_does_locally(shared_data, fp32, cluster, tmp_path):
    """Units are read whole by the actors (one input per sentence, its candidates' statements
    with it): the same statements and tones as the local reader on the VOA stories."""
    voa = shared_data / "voa" / "voa_stories.jsonl"
    reader = pipeline.make_extractor(model="fast")
    pipeline.run([voa], db=tmp_path / "local.db", out=tmp_path / "out", weeks=[],
                 extractor=reader)
    pipeline.run([voa], db=tmp_path / "ray.db", out=tmp_path / "out", weeks=[],
                 extractor=pipeline.make_extractor(model="fast"), ray={"workers": 1})
    a, b = _export(tmp_path / "local.db"), _export(tmp_path / "ray.db")
    assert len(a) == len(b) > 100 and set(a["rule"]) == {"reader"}
    text = [c for c in a.columns if c not in ("tone", "confidence")]
    assert a[text].equals(b[text])
    assert (a["tone"] - b["tone"]).abs().max() < 1e-4


def _scoring_actors() -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmd = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
            except OSError:
                continue
            if cmd.startswith("ray::") and "Score" in cmd and "_extract" not in cmd:
                pids.append(int(proc.name))
    return pids


def test_a_scoring_actor_killed_half_way_changes_nothing(corpus, local, cluster, tmp_path):
    db = tmp_path / "killed.db"
    killed, errors = [], []

    def kill_when_busy():
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and not killed:
            time.sleep(0.5)
            try:
                with Store(db, readonly=True) as store:
                    done = store.db.execute("SELECT COUNT(*) FROM extractions").fetchone()[0]
            except Exception:  # the database is not made yet
                continue
            pids = _scoring_actors()
            if done >= 200 and pids:
                os.kill(pids[0], signal.SIGKILL)
                killed.append((pids[0], done))

    watcher = threading.Thread(target=kill_when_busy, daemon=True)
    watcher.start()
    try:
        pipeline.run([corpus], db=db, out=tmp_path / "out", ray={"workers": 1}, weeks=[])
    except Exception as exc:  # pragma: no cover - reported below
        errors.append(exc)
    watcher.join(timeout=5)
    assert not errors, errors
    assert killed, "no scoring actor was found to kill"
    _same(local, _export(db))


def test_a_shard_taken_twice_or_left_by_an_interrupted_run_adds_nothing(tmp_path):
    from tracker.cluster import Plan, RayReport, _take_shards, _write_shard
    from tracker.ingest import read_articles

    src = tmp_path / "a.jsonl"
    src.write_text(json.dumps({"text": "France condemned Russia on Monday.",
                               "published": "2024-02-05"}) + "\n")
    article = next(read_articles([src]))
    statement = {"article_id": article.id, "sentence_index": 0, "sentence_start": 0,
                 "sentence_end": 34, "sentence": article.text, "source": "FRA",
                 "target": "RUS", "source_spans": [[0, 6]], "target_spans": [[17, 23]],
                 "clause_start": 0, "clause_end": 34, "rule": "r", "source_text": "France",
                 "target_text": "Russia", "tone": -0.7, "label": "hostile",
                 "confidence": 0.8, "key": "k1"}
    plan = Plan("tone", "m", "model-1", "rules-1")
    rows = [(article.id, 1, 1, json.dumps([statement]))]
    with Store(tmp_path / "s.db") as store:
        store.add_articles([article])
        folder = tmp_path / "s.db.shards"
        for _ in range(2):  # a retried batch writes the same shard again
            _write_shard(folder, plan, rows)
            _take_shards(store, plan, folder, RayReport())
        other = Plan("tone", "m", "model-2", "rules-1")
        _write_shard(folder, other, rows)  # another plan's shard waits for its own run
        assert _take_shards(store, plan, folder, RayReport()) == 0
        assert store.counts()["statements"] == store.counts()["scores"] == 1
        assert store.counts()["extractions"] == 1
        assert len(list(folder.glob("*.parquet"))) == 1


def test_engine_ray_on_the_command_line(tmp_path, shared_data):
    from typer.testing import CliRunner

    from tracker.cli import app

    runner = CliRunner()
    bad = runner.invoke(app, ["run", str(shared_data / "voa" / "voa_stories.jsonl"), "--db",
                              str(tmp_path / "x.db"), "--address", "auto"])
    assert bad.exit_code == 2 and "--address is for --engine ray" in bad.output
    wrong = runner.invoke(app, ["run", "x.jsonl", "--engine", "spark"])
    assert wrong.exit_code == 2 and "ray" in wrong.output


def test_files_are_read_on_ray_each_whole_or_refused(cluster, tmp_path, shared_data):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "in"
    folder.mkdir()
    lines = (shared_data / "voa" / "voa_stories.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "a.jsonl").write_text("\n".join(lines[:10]) + "\n", encoding="utf-8")
    pq.write_table(pa.Table.from_pylist([json.loads(x) for x in lines[10:20]]),
                   folder / "b.parquet")
    (folder / "bad.jsonl").write_text(lines[20] + "\n{not json\n", encoding="utf-8")
    (folder / "README.md").write_text("About these files.")
    runs = {}
    for name, ray_args in (("local", None), ("ray", {"workers": 1})):
        failed, skipped = [], []
        db = tmp_path / f"{name}.db"
        with Store(db) as store:
            if ray_args is None:
                got = pipeline.ingest(store, [folder], None, failed, skipped)
            else:
                from tracker.cluster import ingest

                got = ingest(store, [folder], None, failed, skipped, **ray_args)
            ids = sorted(r[0] for r in store.db.execute("SELECT id FROM articles"))
        runs[name] = (got, failed, [p.name for p in skipped], ids)
    assert runs["ray"] == runs["local"]
    (added, known), failed, skipped, ids = runs["ray"]
    assert added == len(ids) == 20 and len(failed) == 1 and "bad.jsonl:2" in failed[0]
    assert skipped == ["README.md"]
