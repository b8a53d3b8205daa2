"""The reader's engines: one tokenisation, the ONNX files built from the shipped reader, and the
agreement check that picks what ``auto`` runs."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tracker.errors import TrackerError
from tracker.reader.engine import (OnnxEngine, TorchEngine, encode, onnx_folder,
                                   pair_tokenizer, read_check_set)
from tracker.reader.model import Reader, engine_for
from tracker.tone.encoder import resolve_encoder_dir
from tracker.tone.onnx import ENGINES, choose, engine_choice


@pytest.fixture(scope="module")
def reader():
    return Reader.load("fast")


@pytest.fixture(scope="module")
def check_inputs(reader):
    return read_check_set(reader.path)


@pytest.fixture(scope="module")
def prepared(reader):
    from tracker.reader.export import prepare

    return prepare(reader)


def test_engine_names_are_checked(monkeypatch):
    assert engine_choice() in ENGINES
    monkeypatch.setenv("TRACKER_ENGINE", "onnx")
    assert engine_choice() == "onnx"
    monkeypatch.setenv("TRACKER_ENGINE", "tensorrt")
    with pytest.raises(TrackerError, match="TRACKER_ENGINE='tensorrt'.*auto"):
        engine_choice()


def test_the_check_set_is_real_text_with_marked_units(check_inputs):
    assert 100 <= len(check_inputs) <= 200
    assert 400 <= sum(len(pairs) for _, _, pairs in check_inputs) <= 460
    for (first, names), (text, spans), pairs in check_inputs:
        assert len(names) == len(spans) >= 2
        assert all(first[a:b].strip() == first[a:b] and b > a for a, b in names)
        assert all(text[a] == "@" and text[b - 1] == "@" for s in spans for a, b in s)
        assert all(i != j and max(i, j) < len(names) for i, j in pairs)
    # (a speaker, or a state named only by a pronoun or an official, has no marked mention)
    assert sum(all(spans) for _, (_, spans), _ in check_inputs) > len(check_inputs) / 2


def test_one_tokenisation_matches_the_encoders_own_tokenizer(check_inputs):
    from transformers import AutoTokenizer

    folder = str(resolve_encoder_dir())
    items = encode(pair_tokenizer(folder), check_inputs[:50])
    hf = AutoTokenizer.from_pretrained(folder, local_files_only=True)(
        [f[0] for f, _, _ in check_inputs[:50]], [s[0] for _, s, _ in check_inputs[:50]],
        truncation="only_second", max_length=256, return_token_type_ids=True)
    assert [i[0] for i in items] == hf["input_ids"]
    # Token type 1 marks the tokens of the second segment, its closing separator excepted.
    assert [list(i[1]) for i in items] == [t[:-1] + [0] for t in hf["token_type_ids"]]
    (_, names), (_, spans), _ = check_inputs[0]
    tokens = pair_tokenizer(folder).encode(check_inputs[0][0][0], check_inputs[0][1][0]).tokens
    ids, types, masks, pairs = items[0]
    assert len(masks) == len(names) and pairs == [tuple(p) for p in check_inputs[0][2]]
    second = types.index(1)
    for k, mask in enumerate(masks):
        # Each state has its name in the first segment, and its marked mentions in the second.
        assert any(mask[:second])
        assert any(mask[second:]) == bool(spans[k])
        assert all(tokens[i] not in ("[CLS]", "[SEP]") for i, m in enumerate(mask) if m)
    # No token belongs to two states.
    assert all(sum(col) <= 1 for col in zip(*masks))


def test_the_numpy_head_is_the_networks_head(reader, check_inputs):
    import torch

    from tracker.reader import net
    from tracker.reader.engine import head_logits, read_head
    from tracker.tone.model import ADAPTER_FILE

    items = encode(pair_tokenizer(str(resolve_encoder_dir())), check_inputs[:8])
    _, model = net.load_unit_net(reader.path / ADAPTER_FILE, reader.config["network"])
    batch = net.collate(items)
    with torch.inference_mode():
        want = model(*batch).numpy()
    mean, states = net.run_states(model, items, half=False)
    got = head_logits(read_head(reader.path / ADAPTER_FILE), mean, states,
                          list(zip(*(x.tolist() for x in batch[4:]))))
    np.testing.assert_allclose(got, want, atol=1e-4)


@pytest.mark.slow
def test_the_onnx_files_are_built_once_and_checked_against_torch(reader, prepared):
    folder = onnx_folder(reader)
    assert {"model.fp32.onnx", "model.int8.onnx", "check.json"} <= {p.name for p in
                                                                    folder.iterdir()}
    engines = prepared["engines"]
    assert set(engines) >= {"onnx", "onnx-fp32", "torch-fp32"}
    assert engines["torch-fp32"]["label_agreement"] == 1.0
    # The float32 export computes what torch computes: it must pass on any machine.
    assert engines["onnx-fp32"]["passed"] and engines["onnx-fp32"]["tone_diff_p99"] < 0.005
    assert prepared["default"] in {n for n, e in engines.items() if e["passed"]}
    rates = {n: e["candidates_per_second"] for n, e in engines.items() if e["passed"]}
    assert prepared["gpu"] or rates[prepared["default"]] == max(rates.values())
    # In the int8 file the attention and dense layers are int8 and the embeddings float.
    import onnx

    ops = {n.op_type for n in onnx.load(str(folder / "model.int8.onnx")).graph.node}
    assert {"QAttention", "MatMulInteger", "EmbedLayerNormalization"} <= ops
    assert not ops & {"Attention", "MatMul", "QEmbedLayerNormalization"}
    # Built once: asking again reads the record, it does not build.
    from tracker.reader.export import prepare

    mtime = (folder / "model.int8.onnx").stat().st_mtime_ns
    assert prepare(reader) == prepared
    assert (folder / "model.int8.onnx").stat().st_mtime_ns == mtime


@pytest.mark.slow
def test_each_engine_is_what_was_asked_and_reads_like_torch(reader, prepared, check_inputs):
    assert isinstance(engine_for(reader, "onnx"), OnnxEngine)
    assert engine_for(reader, "onnx").path.name == "model.int8.onnx"
    assert engine_for(reader, "onnx-fp32").path.name == "model.fp32.onnx"
    assert isinstance(engine_for(reader, "torch-fp32"), TorchEngine)
    assert engine_for(reader, "auto").name == prepared["default"]
    items = encode(pair_tokenizer(str(resolve_encoder_dir())), check_inputs[:64])
    ref = engine_for(reader, "torch-fp32").logits(items)
    got = engine_for(reader, "onnx-fp32").logits(items)
    assert np.abs(ref - got).max() < 1e-3
    int8 = engine_for(reader, "onnx").logits(items)
    assert np.abs(ref - int8).max() < 2.0 and (ref.argmax(1) == int8.argmax(1)).mean() > 0.9


@pytest.mark.slow
def test_a_reader_with_another_engine_finds_the_same_statements(prepared):
    from tracker.reader import Unit

    text = ("Iran and Saudi Arabia agree to resume diplomatic relations. Russia launches a "
            "missile strike on Kyiv, and Ukraine condemns Moscow.")
    units = [Unit("x", text, 0, "2023-03-10")]
    read = {name: Reader.load("fast", engine=name).read(units)[0]
            for name in ("torch-fp32", "onnx-fp32")}
    keys = {n: [(p.source, p.target, p.is_statement, p.label) for p in r]
            for n, r in read.items()}
    assert keys["torch-fp32"] == keys["onnx-fp32"]
    assert max(abs(a.tone - b.tone) for a, b in zip(*read.values())) < 0.005


def test_a_changed_adapter_gets_its_own_onnx_files(reader, tmp_path):
    import shutil

    copy = tmp_path / "reader"
    shutil.copytree(reader.path, copy)
    assert onnx_folder(Reader.load(copy)) == onnx_folder(Reader.load(copy))
    data = bytearray((copy / "adapter.safetensors").read_bytes())
    data[-1] ^= 1
    (copy / "adapter.safetensors").write_bytes(bytes(data))
    assert onnx_folder(Reader.load(copy)) != onnx_folder(reader)


def test_a_reader_without_a_check_set_runs_on_torch_unless_told(reader, tmp_path):
    import shutil

    copy = tmp_path / "reader"
    shutil.copytree(reader.path, copy)
    (copy / "check.jsonl").unlink()
    assert isinstance(engine_for(Reader.load(copy), "auto"), TorchEngine)
    with pytest.raises(TrackerError, match="no check set.*TRACKER_ENGINE=torch"):
        engine_for(Reader.load(copy), "onnx")


@pytest.mark.slow
def test_the_command_line_shows_the_check_and_refuses_unknown_engines(prepared, seed_path,
                                                                      tmp_path):
    out = subprocess.run([sys.executable, "-m", "tracker", "prepare"], capture_output=True,
                         text=True, check=True).stdout
    assert "onnx-fp32" in out and f"auto runs fast with: {choose(prepared, 100)} for 100," in out
    bad = subprocess.run([sys.executable, "-m", "tracker", "run", str(seed_path), "--model",
                          "fast", "--engine", "cuda", "--db", str(tmp_path / "t.db")],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--engine" in bad.stderr
    ok = subprocess.run([sys.executable, "-m", "tracker", "run", str(seed_path), "--model",
                         "fast", "--engine", "onnx-fp32", "--db", str(tmp_path / "t.db"),
                         "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "read by the onnx-fp32 engine" in ok.stdout
    assert not (tmp_path / "t.db").with_suffix(".db-journal").exists()
    json.loads((onnx_folder(Reader.load("fast")) / "check.json").read_text())


@pytest.mark.slow
def test_auto_reads_on_the_quick_starter_and_moves_on_once_a_run_grows(prepared, check_inputs,
                                                                       monkeypatch):
    monkeypatch.delenv("TRACKER_ENGINE", raising=False)
    reader = Reader.load("fast")
    reader.logits(check_inputs[:4])
    first = choose(prepared, reader._read)
    assert reader.engine_used == first
    # The same reader, once a run has read a million candidates: the fastest per candidate.
    reader._read = 1_000_000
    reader.logits(check_inputs[4:8])
    last = choose(prepared, 1_000_000)
    assert last == prepared["default"]
    assert reader.engine_used == (first if first == last else f"{first}, then {last}")
    assert reader.engine.name == last


@pytest.mark.slow
def test_a_run_sizes_the_readers_engine_from_its_first_batch(prepared, seed_path, monkeypatch):
    from tracker.reader.model import ReaderStage, article_pairs

    monkeypatch.delenv("TRACKER_ENGINE", raising=False)
    text = seed_path.read_text(encoding="utf-8")
    stage = ReaderStage(Reader.load("fast"), batch_articles=2)
    per_article = len(article_pairs("a", text, "2024-02-01", None, stage.extractor)[2])
    stage.plan(2_000)  # articles the run will read
    list(stage.analyse_many([(k, text, "2024-02-01") for k in ("a", "b")]))
    assert stage.reader._planned == per_article * 2_000
    assert stage.engine_used == choose(prepared, per_article * 2_000)
