"""How the reader's network runs: the engines, and the one tokenisation they share.

Engines (``TRACKER_ENGINE``, default ``auto``):

- ``onnx``: ONNX Runtime on the CPU, the network exported with its LoRA merged and fused, its
  attention and dense layers quantised to int8 (per-channel weights, dynamic activations) and
  its embeddings left in float32;
- ``onnx-fp32``: the same exported network, unquantised;
- ``torch``: the PyTorch network, under bfloat16 autocast on a CPU (``TRACKER_BF16=0`` turns it
  off) and float16 on a GPU;
- ``torch-fp32``: the PyTorch network in float32, the reference the others are checked against;
- ``auto``: on a GPU ``torch``; on a CPU the fastest engine that passed the agreement check on
  this machine for the job's size, start-up included (:func:`tracker.tone.onnx.choose`;
  :mod:`tracker.reader.export` builds the ONNX files and runs the check once per reader and
  machine: ``tracker prepare``, or the first run that needs it).

No torch here: the ONNX engines need only ``onnxruntime``, ``tokenizers`` and numpy.
"""
from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from tracker.errors import TrackerError
from tracker.tone import onnx
from tracker.tone.encoder import MAX_LENGTH, by_length, n_threads, padded_length

# ---------------------------------------------------------------------------------------------
# Tokenisation: the two segments of a unit, with each state's tokens flagged


@functools.lru_cache(maxsize=4)
def pair_tokenizer(encoder_dir: str, max_length: int = MAX_LENGTH):
    """The encoder folder's ``tokenizer.json`` for the reader's two segments: no padding (the
    bundled file pads every input to 128 tokens), the second segment cut at ``max_length``."""
    from tokenizers import Tokenizer

    path = Path(encoder_dir) / "tokenizer.json"
    if not path.is_file():
        raise TrackerError(f"encoder folder '{encoder_dir}' has no tokenizer.json; the reader "
                           "needs a fast tokenizer file there (pass another encoder folder).")
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length, strategy="only_second")
    return tok


def encode(tokenizer, inputs: Sequence[tuple]):
    """Per unit: (token ids, token types, one token mask per state, pairs), unpadded.

    ``inputs`` are :func:`~tracker.reader.model.inputs_of`'s ``(first, second, pairs)``: the
    first segment with the span of each state's name
    (:func:`~tracker.reader.net.first_segment`), the marked text with each state's marked
    mentions (:func:`~tracker.reader.net.marked_text`), and the unit's pairs as ``(source
    state, target state)``. A token belongs to a state when it overlaps one of that state's
    spans of its segment.
    """
    encodings = tokenizer.encode_batch([(f[0], s[0]) for f, s, _ in inputs])
    out = []
    for ((_, first), (_, second), pairs), enc in zip(inputs, encodings):
        masks = [[0] * len(enc.ids) for _ in first]
        for i, (kind, (a, b)) in enumerate(zip(enc.sequence_ids, enc.offsets)):
            if kind is None or b <= a:
                continue
            for k in range(len(first)):
                spans = second[k] if kind else (first[k],)
                if any(a < e and b > s for s, e in spans):
                    masks[k][i] = 1
        # Type 1 on the second segment's own tokens (its closing separator keeps type 0).
        types = [int(k == 1) for k in enc.sequence_ids]
        out.append((enc.ids, types, masks, [tuple(p) for p in pairs]))
    return out


def n_pairs(items: Sequence[tuple]) -> int:
    return sum(len(i[3]) for i in items)


def padded(items: Sequence[tuple]) -> dict[str, np.ndarray]:
    """A batch of encoded units as the exported network's inputs, padded to the longest (to a
    multiple of :data:`~tracker.tone.encoder.PAD_MULTIPLE` tokens)."""
    n = padded_length(max(len(i[0]) for i in items))
    s = max(1, max(len(i[2]) for i in items))
    arr = np.zeros((3, len(items), n), dtype=np.int64)
    smask = np.zeros((len(items), s, n), dtype=np.float32)
    for k, (ids, types, masks, _) in enumerate(items):
        m = len(ids)
        arr[0, k, :m], arr[1, k, :m], arr[2, k, :m] = ids, types, 1
        if masks:
            smask[k, :len(masks), :m] = masks
    return dict(zip(onnx.INPUT_NAMES, (*arr, smask)))


def head_of(tensors: dict) -> dict[str, np.ndarray]:
    """The head's weights (float32) from an adapter's tensors."""
    return {k: np.asarray(v, dtype=np.float32) for k, v in tensors.items()
            if k.startswith("head.")}


def head_logits(head: dict, mean: np.ndarray, states: np.ndarray, pairs) -> np.ndarray:
    """Logits ``(P, 4)`` for ``pairs`` (unit in the batch, source state, target state) from the
    pooled vectors: what :class:`~tracker.reader.net.UnitNet`'s head computes, in numpy."""
    pb, ps, pt = (np.array([p[k] for p in pairs], dtype=np.int64) for k in range(3))
    s, t = states[pb, ps], states[pb, pt]
    x = np.concatenate([mean[pb], s, t, s * t], axis=1)
    x = x @ head["head.0.weight"].T + head["head.0.bias"]
    x = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    return (x @ head["head.3.weight"].T + head["head.3.bias"]).astype(np.float32)


def run_units(items: Sequence[tuple], head: dict, states_of, batch_size: int) -> np.ndarray:
    """Logits ``(P, 4)`` of every pair of every unit, in input order: ``states_of(batch)``
    gives a batch's pooled vectors, :func:`head_logits` the pairs'.

    numpy's BLAS runs on one thread meanwhile: its idle threads spin between the head's small
    products and take the cores from the network (measured: a unit at a time went from 60 to
    18 ms, batched about +9%)."""
    from threadpoolctl import threadpool_limits

    starts = np.cumsum([0] + [len(i[3]) for i in items])
    out = np.zeros((int(starts[-1]), 4), dtype=np.float32)
    with threadpool_limits(1, user_api="blas"):
        for sel in by_length(items, batch_size):
            batch = [items[i] for i in sel]
            pairs = [(k, s, t) for k, item in enumerate(batch) for s, t in item[3]]
            if not pairs:
                continue
            mean, states = states_of(batch)
            rows = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in sel])
            out[rows] = head_logits(head, mean, states, pairs)
    return out


def read_head(adapter: Path) -> dict:
    """The head of an adapter file, memoised per file."""
    return _read_head(str(adapter), Path(adapter).stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _read_head(path: str, _mtime: int) -> dict:
    from safetensors.numpy import load_file

    return head_of(load_file(path))


# ---------------------------------------------------------------------------------------------
# The ONNX Runtime engine


class OnnxEngine:
    """An exported reader encoder on ONNX Runtime (CPU, one thread per core)."""

    def __init__(self, path: str | os.PathLike, adapter: Path, name: str = "onnx"):
        self.path, self.adapter, self.name = Path(path), Path(adapter), name

    def spec(self) -> tuple[str, str, list]:
        """How to make this engine again (:func:`tracker.tone.onnx.start_up`)."""
        return "tracker.reader.engine", "OnnxEngine", [str(self.path), str(self.adapter), self.name]

    def logits(self, items: Sequence[tuple], batch_size: int = 32) -> np.ndarray:
        """Logits ``(P, 4)`` of every pair of the encoded units, in input order."""
        if not n_pairs(items):
            return np.zeros((0, 4), dtype=np.float32)
        session = onnx.session(str(self.path), n_threads())
        return run_units(items, read_head(self.adapter),
                         lambda batch: session.run(None, padded(batch)), batch_size)


class TorchEngine:
    """The reader's PyTorch encoder (bf16 autocast on a CPU unless ``fp32``; fp16 on a GPU)."""

    def __init__(self, adapter: Path, network: dict, encoder=None, fp32: bool = False):
        from tracker.tone.encoder import use_bf16

        self.adapter, self.network, self.encoder = adapter, network, encoder
        self.half = use_bf16() and not fp32
        self.name = "torch" if self.half else "torch-fp32"

    def spec(self) -> tuple[str, str, list]:
        """How to make this engine again (:func:`tracker.tone.onnx.start_up`)."""
        encoder = None if self.encoder is None else str(self.encoder)
        return ("tracker.reader.engine", "TorchEngine",
                [str(self.adapter), self.network, encoder, self.name == "torch-fp32"])

    def logits(self, items: Sequence[tuple], batch_size: int = 32) -> np.ndarray:
        """Logits ``(P, 4)`` of every pair of the encoded units, in input order."""
        from tracker.reader import net

        if not n_pairs(items):
            return np.zeros((0, 4), dtype=np.float32)
        _, model = net.load_unit_net(self.adapter, self.network, self.encoder)
        return run_units(items, read_head(self.adapter),
                         lambda batch: net.run_states(model, batch, self.half), batch_size)


# ---------------------------------------------------------------------------------------------
# Which engine: the ONNX files and the agreement check live in the cache, per reader and machine

CHECK_SET = "check.jsonl"


def onnx_folder(reader) -> Path:
    """Where the ONNX files of ``reader`` and their check are (or will be) cached
    (:func:`tracker.tone.onnx.cache_folder`)."""
    return onnx.cache_folder("reader-onnx", reader)


def read_check_set(folder: Path) -> list[tuple]:
    """The check set of a reader folder: ``(first, second, pairs)`` per unit."""
    path = Path(folder) / CHECK_SET
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        (f, fs), (s, ss), pairs = row["first"], row["second"], row["pairs"]
        out.append(((f, [tuple(x) for x in fs]), (s, [[tuple(x) for x in spans] for spans in ss]),
                    [tuple(p) for p in pairs]))
    return out
