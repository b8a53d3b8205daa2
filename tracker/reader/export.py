"""Building the ONNX engines of a reader and checking them on this machine.

From the base encoder and the reader's adapter: the network with its LoRA merged is exported to
ONNX (float32), its attention and layer norms fused by ONNX Runtime's transformer optimiser, and
its attention and dense layers quantised to int8 (per-channel weights, dynamic activations); the
embeddings stay float32 (:data:`~tracker.reader.engine.QUANTISED`). The files go to the cache
(``$TRACKER_CACHE``, default ``~/.cache/tracker``) under a key made of the reader's identity,
the encoder's weights hash, the versions of the exporting libraries and the operators
quantised; they are never committed, and a changed adapter, encoder or build gets new files.

The agreement check then reads the reader folder's check set (``check.jsonl``: candidates from
train-allowed text) with every engine and compares each with torch in float32: the share of
candidates given the same label (none, hostile, neutral, cooperative) and the 99th percentile
of the tone difference over the candidates either engine takes for a statement. An engine
passes with agreement >= 0.99 and that percentile <= 0.05; the fastest engine that passes
becomes ``auto``'s choice (on a GPU, ``torch``). The figures are kept in ``check.json`` beside
the files and shown by ``tracker prepare``.

This module imports torch and onnx; the runtime loads it only to build.
"""
from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import shutil
import time
import warnings
from pathlib import Path

import numpy as np

from tracker.errors import TrackerError
from tracker.reader.engine import (INPUT_NAMES, QUANTISED, OnnxEngine, TorchEngine, encode,
                                   n_pairs, onnx_folder, pair_tokenizer, read_check_set)
from tracker.tone.encoder import resolve_encoder_dir, use_bf16

MIN_AGREEMENT = 0.99
MAX_TONE_P99 = 0.05


def prepare(reader, force: bool = False, say=None) -> dict:
    """Build the ONNX files of ``reader`` (unless built) and run the agreement check; return
    the check's record (``check.json``)."""
    folder = onnx_folder(reader)
    record = folder / "check.json"
    if record.is_file() and not force:
        return json.loads(record.read_text(encoding="utf-8"))
    say = say or (lambda _msg: None)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        t = time.perf_counter()
        say(f"building the ONNX engines of {reader.path.name} for this machine (once) ...")
        build(reader, work)
        built_s = time.perf_counter() - t
        say("checking each engine against torch float32 ...")
        result = check(reader, work)
        result["build_seconds"] = round(built_s, 1)
        (work / "check.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        if force:
            shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):  # another process may have finished first
            work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return json.loads(record.read_text(encoding="utf-8"))


def build(reader, out: Path) -> None:
    """``model.fp32.onnx`` and ``model.int8.onnx`` of ``reader`` in ``out``."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    from tracker.reader import net
    from tracker.tone.model import ADAPTER_FILE

    _, shared = net.load_unit_net(reader.path / ADAPTER_FILE, reader.config["network"],
                                  reader.encoder, device="cpu")
    unit_net = copy.deepcopy(shared).float().eval()
    # The optimiser fuses the attention of the plain ("eager") implementation.
    unit_net.encoder.set_attn_implementation("eager")
    model = net.StatesOnly(unit_net)
    example = (*(torch.ones(2, 8, dtype=torch.long) for _ in range(3)), torch.ones(2, 3, 8))
    axes = {k: {0: "batch", 1: "tokens"} for k in INPUT_NAMES[:3]}
    axes |= {"state_mask": {0: "batch", 1: "states", 2: "tokens"}, "mean": {0: "batch"},
             "states": {0: "batch", 1: "states"}}
    raw = out / "model.raw.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, example, str(raw), dynamo=False, input_names=list(INPUT_NAMES),
                          output_names=["mean", "states"], dynamic_axes=axes, opset_version=17)
    config = unit_net.encoder.config
    quiet = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)
    try:
        fused = optimize_model(str(raw), model_type="bert", num_heads=config.num_attention_heads,
                               hidden_size=config.hidden_size)
        fused.save_model_to_file(str(out / "model.fp32.onnx"))
        quantize_dynamic(out / "model.fp32.onnx", out / "model.int8.onnx", per_channel=True,
                         weight_type=QuantType.QInt8, op_types_to_quantize=list(QUANTISED),
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        logging.getLogger().setLevel(quiet)
    raw.unlink()


def decisions(logits: np.ndarray, temperature: float, threshold: float):
    """Labels (0 none, 1 hostile, 2 neutral, 3 cooperative) and tones, as the reader decides."""
    from tracker.tone.model import softmax

    p = softmax(logits / temperature)
    stance = p[:, 1:] / np.maximum(p[:, 1:].sum(1, keepdims=True), 1e-12)
    labels = np.where(p[:, 0] < threshold, 1 + stance.argmax(1), 0)
    return labels, stance[:, 2] - stance[:, 0]


def compare(reference: np.ndarray, other: np.ndarray, temperature: float,
            threshold: float) -> dict:
    """Label agreement and tone differences of ``other`` against ``reference`` logits."""
    ref_labels, ref_tone = decisions(reference, temperature, threshold)
    labels, tone = decisions(other, temperature, threshold)
    either = (ref_labels > 0) | (labels > 0)
    diff = np.abs(tone - ref_tone)[either]
    agreement = float((labels == ref_labels).mean()) if len(labels) else 1.0
    p99 = float(np.percentile(diff, 99)) if len(diff) else 0.0
    return {"label_agreement": round(agreement, 4), "tone_diff_p99": round(p99, 4),
            "tone_diff_max": round(float(diff.max()) if len(diff) else 0.0, 4),
            "statements": int(either.sum()),
            "passed": bool(agreement >= MIN_AGREEMENT and p99 <= MAX_TONE_P99)}


def check(reader, folder: Path) -> dict:
    """Every engine against torch float32 on the reader's check set, timed in turns."""
    import torch

    from tracker.tone.model import ADAPTER_FILE

    inputs = read_check_set(reader.path)
    if not inputs:
        raise TrackerError(f"reader folder '{reader.path}' has no check set (check.jsonl); "
                           "without it no engine can be checked: set TRACKER_ENGINE=torch.")
    tok = pair_tokenizer(str(resolve_encoder_dir(reader.encoder)))
    items = encode(tok, inputs)
    adapter, network = reader.path / ADAPTER_FILE, reader.config["network"]
    engines = [OnnxEngine(folder / "model.int8.onnx", adapter, "onnx"),
               OnnxEngine(folder / "model.fp32.onnx", adapter, "onnx-fp32")]
    if use_bf16():
        engines.append(TorchEngine(adapter, network, reader.encoder))
    engines.append(TorchEngine(adapter, network, reader.encoder, fp32=True))
    logits, rates = {}, {}
    for engine in engines:  # ONNX Runtime first: it slows down once torch has computed
        engine.logits(items[:8])
        t = time.perf_counter()
        logits[engine.name] = engine.logits(items)
        rates[engine.name] = n_pairs(items) / (time.perf_counter() - t)
    reference = logits["torch-fp32"]
    engines_out = {}
    for name, out in logits.items():
        engines_out[name] = {"candidates_per_second": round(rates[name], 1),
                             **compare(reference, out, reader.temperature, reader.threshold)}
    gpu = bool(torch.cuda.is_available())
    passing = [n for n, e in engines_out.items() if e["passed"]]
    default = "torch" if gpu else max(passing, key=lambda n: rates[n])
    return {"reader": reader.identity, "units": len(items), "candidates": n_pairs(items),
            "gpu": gpu,
            "thresholds": {"label_agreement": MIN_AGREEMENT, "tone_diff_p99": MAX_TONE_P99},
            "engines": engines_out, "default": default,
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
