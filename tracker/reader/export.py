"""Building the ONNX engines of a reader and checking them on this machine.

From the base encoder and the reader's adapter: the network with its LoRA merged is exported
(:func:`tracker.tone.onnx.export`: float32 with fused attention, and an int8 copy) into the
cache (:func:`tracker.reader.engine.onnx_folder`).

The agreement check then reads the reader folder's check set (``check.jsonl``: candidates from
train-allowed text) with every engine and compares each with torch in float32: the share of
candidates given the same label (none, hostile, neutral, cooperative) and the 99th percentile
of the tone difference over the candidates either engine takes for a statement
(:func:`tracker.tone.onnx.agreement`). Each engine's throughput and start-up are recorded too,
and ``auto`` runs the passing engine that finishes a job soonest
(:func:`tracker.tone.onnx.choose`; on a GPU, ``torch``). The figures are kept in ``check.json``
beside the files and shown by ``tracker prepare``.

This module imports torch and onnx; the runtime loads it only to build.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from tracker.errors import TrackerError
from tracker.reader.engine import (OnnxEngine, TorchEngine, encode, n_pairs, onnx_folder,
                                   pair_tokenizer, read_check_set)
from tracker.tone import onnx
from tracker.tone.encoder import resolve_encoder_dir


def prepare(reader, force: bool = False, say=None) -> dict:
    """Build the ONNX files of ``reader`` (unless built) and run the agreement check; return
    the check's record (``check.json``)."""
    return onnx.prepare(onnx_folder(reader), lambda work: build(reader, work),
                        lambda work: check(reader, work), force, say, reader.path.name)


def build(reader, out: Path) -> None:
    """``model.fp32.onnx`` and ``model.int8.onnx`` of ``reader`` in ``out``."""
    from tracker.reader import net
    from tracker.tone.model import ADAPTER_FILE

    _, shared = net.load_unit_net(reader.path / ADAPTER_FILE, reader.config["network"],
                                  reader.encoder, device="cpu")
    onnx.export_copy(shared, net.StatesOnly, out)


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
    return onnx.agreement(ref_labels, ref_tone, labels, tone, (ref_labels > 0) | (labels > 0))


def check(reader, folder: Path) -> dict:
    """Every engine against torch float32 on the reader's check set, timed in turns."""
    from tracker.tone import net
    from tracker.tone.model import ADAPTER_FILE

    inputs = read_check_set(reader.path)
    if not inputs:
        raise TrackerError(f"reader folder '{reader.path}' has no check set (check.jsonl); "
                           "without it no engine can be checked: set TRACKER_ENGINE=torch.")
    tok = pair_tokenizer(str(resolve_encoder_dir(reader.encoder)))
    items = encode(tok, inputs)
    make = onnx.maker(OnnxEngine, TorchEngine, folder, reader.path / ADAPTER_FILE,
                      reader.config["network"], reader.encoder)
    timed = onnx.timed_engines(onnx.checked_engines(make), items, n_pairs)
    return onnx.check_record(
        timed, "torch-fp32",
        lambda ref, out: compare(ref, out, reader.temperature, reader.threshold),
        net.default_device() == "cuda", reader=reader.identity, units=len(items),
        candidates=n_pairs(items))
