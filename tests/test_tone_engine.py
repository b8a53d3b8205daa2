"""The tone model's engines: one tokenisation, the ONNX files built from the shipped model and
checked against torch, and ``auto``'s choice by the size of the job."""
from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from tracker.tone import ToneInput, ToneModel
from tracker.tone.encoder import resolve_encoder_dir
from tracker.tone.engine import (CHECK_SET, OnnxEngine, TorchEngine, encode, engine_for,
                                 onnx_folder, read_check_set, tokenizer)
from tracker.tone.onnx import choose


@pytest.fixture(scope="module")
def model():
    return ToneModel.load()


@pytest.fixture(scope="module")
def check_set(model):
    return read_check_set(model.path)


@pytest.fixture(scope="module")
def prepared(model):
    from tracker.tone.engine import prepare

    return prepare(model)


def test_the_check_set_is_train_part_statements_of_every_source(model, check_set):
    texts, spans = check_set
    assert 400 <= len(texts) <= 440
    assert all(len(s) == 1 and 0 <= s[0][0] < s[0][1] <= len(t) for t, s in zip(texts, spans))
    rows = [json.loads(line) for line in (model.path / CHECK_SET).read_text().splitlines()]
    assert all(set(r) == {"text", "target_spans", "source_spans"} for r in rows)
    # No item of the corpus's dev or test parts is in it.
    from tracker.lab.corpus import load_corpus

    held_out = {i.text for split in ("dev", "test") for i in load_corpus("corpus/dyads", split)}
    assert not held_out & set(texts)


def test_one_tokenisation_matches_the_one_the_network_was_trained_with(check_set):
    from tracker.tone import net

    texts, spans = check_set[0][:60], check_set[1][:60]
    tok, _ = net.load_encoder()
    assert encode(tokenizer(str(resolve_encoder_dir())), texts, spans) == [
        tuple(list(x) for x in item) for item in net.encode_marked(tok, texts, spans)]


def test_the_numpy_head_is_the_networks_head(model, check_set):
    import torch

    from tracker.tone import net
    from tracker.tone.engine import _read_head, head_logits
    from tracker.tone.model import ADAPTER_FILE

    texts, spans = list(check_set[0][:6]) + ["No state named here."], \
        list(check_set[1][:6]) + [[]]
    items = encode(tokenizer(str(resolve_encoder_dir())), texts, spans)
    _, tone_net = net.load_tone_net(model.path / ADAPTER_FILE, model.config["network"])
    ids, att, tmask, ttype = net.collate(items)
    with torch.inference_mode():
        want = tone_net(ids, att, tmask, ttype).numpy()
        mean, states = net.ToneStates(tone_net)(ids, ttype, att, tmask[:, None, :].float())
    adapter = model.path / ADAPTER_FILE
    got = head_logits(_read_head(str(adapter), adapter.stat().st_mtime_ns), mean.numpy(),
                      states[:, 0].numpy(), tmask.numpy().any(1))
    np.testing.assert_allclose(got, want, atol=1e-4)


def test_auto_takes_the_passing_engine_that_finishes_soonest(monkeypatch):
    record = {"gpu": False, "default": "torch", "engines": {
        "onnx": {"candidates_per_second": 600, "import_seconds": 0.1, "load_seconds": 0.1,
                 "passed": False},
        "onnx-fp32": {"candidates_per_second": 300, "import_seconds": 0.1, "load_seconds": 0.2,
                      "passed": True},
        "torch": {"candidates_per_second": 450, "import_seconds": 1.5, "load_seconds": 2.0,
                  "passed": True}}}
    for name in ("torch", "onnxruntime"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    # 3.2 s of start-up is won back after 3.2 / (1/300 - 1/450) = 2,880 statements.
    assert choose(record, 100) == "onnx-fp32"
    assert choose(record, 2_800) == "onnx-fp32"
    assert choose(record, 3_000) == "torch"
    assert choose(record, None) == "torch"          # size unknown: the highest throughput
    assert choose({**record, "gpu": True}, 100) == "torch"
    # torch imported already: only its load counts (1.7 s more: won back after 1,530).
    monkeypatch.setitem(sys.modules, "torch", object())
    assert choose(record, 1_500) == "onnx-fp32" and choose(record, 1_560) == "torch"
    # A record made before start-ups were measured: its default.
    old = {**record, "engines": {n: {k: v for k, v in e.items() if not k.endswith("seconds")}
                                 for n, e in record["engines"].items()}}
    assert choose(old, 100) == "torch"


@pytest.mark.slow
def test_the_onnx_files_are_built_once_and_checked_against_torch(model, prepared):
    folder = onnx_folder(model)
    assert {"model.fp32.onnx", "model.int8.onnx", "check.json"} <= {p.name for p in
                                                                    folder.iterdir()}
    engines = prepared["engines"]
    assert prepared["model"] == model.identity and prepared["statements"] >= 400
    assert engines["torch-fp32"]["label_agreement"] == 1.0
    # The float32 export computes what torch computes: it passes on any machine.
    assert engines["onnx-fp32"]["passed"] and engines["onnx-fp32"]["tone_diff_p99"] < 0.005
    for e in engines.values():
        assert e["candidates_per_second"] > 0 and e["load_seconds"] > 0
    # Importing torch and transformers takes longer than onnxruntime and tokenizers.
    assert engines["torch-fp32"]["import_seconds"] > engines["onnx-fp32"]["import_seconds"]
    from tracker.tone.engine import prepare

    mtime = (folder / "model.fp32.onnx").stat().st_mtime_ns
    assert prepare(model) == prepared
    assert (folder / "model.fp32.onnx").stat().st_mtime_ns == mtime


@pytest.mark.slow
def test_each_engine_is_what_was_asked_and_scores_like_torch(model, prepared, check_set):
    assert isinstance(engine_for(model, "onnx"), OnnxEngine)
    assert engine_for(model, "onnx").path.name == "model.int8.onnx"
    assert engine_for(model, "onnx-fp32").path.name == "model.fp32.onnx"
    assert isinstance(engine_for(model, "torch-fp32"), TorchEngine)
    assert engine_for(model, "auto").name == prepared["default"]
    assert engine_for(model, "auto", n=10).name == choose(prepared, 10)
    inputs = [ToneInput(t, tuple(s)) for t, s in zip(*check_set)][:80]
    ref = ToneModel.load(engine="torch-fp32").predict_proba(inputs)
    fp32 = ToneModel.load(engine="onnx-fp32")
    np.testing.assert_allclose(fp32.predict_proba(inputs), ref, atol=1e-4)
    assert fp32.engine_used == "onnx-fp32"
    # A text longer than the window is cut around its target the same way on every engine.
    long = ToneInput("Talks went on. " * 120 + "Japan praised Australia.",
                     ((15 * 120 + 14, 15 * 120 + 23),), ((15 * 120, 15 * 120 + 5),))
    np.testing.assert_allclose(fp32.predict_proba([long]),
                               ToneModel.load(engine="torch-fp32").predict_proba([long]),
                               atol=1e-4)


@pytest.mark.slow
def test_the_command_line_shows_the_check_and_runs_the_engine_asked_for(prepared, seed_path,
                                                                        tmp_path):
    import subprocess

    out = subprocess.run([sys.executable, "-m", "tracker", "prepare"], capture_output=True,
                         text=True, check=True).stdout
    assert out.startswith("the tone model: ") and "statements/s" in out
    assert f"auto scores a run's statements with: {choose(prepared, 100)} for 100," in out
    runs = {}
    for engine in ("onnx-fp32", "torch-fp32"):
        done = subprocess.run([sys.executable, "-m", "tracker", "run", str(seed_path), "--engine",
                               engine, "--db", str(tmp_path / f"{engine}.db"), "--out",
                               str(tmp_path / engine)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert f"by the {engine} engine" in done.stdout
        runs[engine] = json.loads(subprocess.run(
            [sys.executable, "-m", "tracker", "export", "statements", "--db",
             str(tmp_path / f"{engine}.db")], capture_output=True, text=True,
            check=True).stdout.splitlines()[0])
    # The same statement, the same tone to four decimals, whichever engine read it.
    assert runs["onnx-fp32"]["tone"] == pytest.approx(runs["torch-fp32"]["tone"], abs=1e-4)
    # Without --engine a small run takes auto's choice for its size.
    done = subprocess.run([sys.executable, "-m", "tracker", "run", str(seed_path), "--db",
                           str(tmp_path / "auto.db"), "--out", str(tmp_path / "auto")],
                          capture_output=True, text=True, check=True)
    assert f"by the {choose(prepared, 20)} engine" in done.stdout
