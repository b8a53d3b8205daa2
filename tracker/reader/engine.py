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
  this machine (:mod:`tracker.reader.export` builds the ONNX files and runs the check once per
  reader and machine: ``tracker prepare``, or the first run that needs it).

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
from tracker.tone.encoder import MAX_LENGTH, by_length, n_threads, padded_length

ENGINES = ("auto", "onnx", "onnx-fp32", "torch", "torch-fp32")
INPUT_NAMES = ("input_ids", "token_type_ids", "attention_mask", "state_mask")


def engine_choice(name: str | None = None) -> str:
    """The engine asked for: ``name``, else ``$TRACKER_ENGINE``, else ``auto``."""
    raw = name or os.environ.get("TRACKER_ENGINE", "").strip() or "auto"
    if raw not in ENGINES:
        raise TrackerError(f"TRACKER_ENGINE={raw!r} is not an engine; use one of "
                           f"{', '.join(ENGINES)} (or unset it for auto).")
    return raw


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
    return dict(zip(INPUT_NAMES, (*arr, smask)))


def run_units(items: Sequence[tuple], head: dict, states_of, batch_size: int) -> np.ndarray:
    """Logits ``(P, 4)`` of every pair of every unit, in input order: ``states_of(batch)``
    gives a batch's pooled vectors, :func:`~tracker.reader.net.head_logits` the pairs'.

    numpy's BLAS runs on one thread meanwhile: its idle threads spin between the head's small
    products and take the cores from the network (measured: a unit at a time went from 60 to
    18 ms, batched about +9%)."""
    from threadpoolctl import threadpool_limits

    from tracker.reader.net import head_logits

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

    from tracker.reader.net import head_of

    return head_of(load_file(path))


# ---------------------------------------------------------------------------------------------
# The ONNX Runtime engine


@functools.lru_cache(maxsize=4)
def _session(path: str, threads: int):
    try:
        import onnxruntime as ort
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise TrackerError("the onnx engine needs onnxruntime: run `pip install onnxruntime`, "
                           "or set TRACKER_ENGINE=torch.") from err
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    except Exception as err:  # onnxruntime raises its own exception types
        raise TrackerError(f"'{path}' could not be loaded by onnxruntime ({err}); delete it "
                           "and run `tracker prepare` to build it again.") from err


class OnnxEngine:
    """An exported reader encoder on ONNX Runtime (CPU, one thread per core)."""

    def __init__(self, path: str | os.PathLike, adapter: Path, name: str = "onnx"):
        self.path, self.adapter, self.name = Path(path), Path(adapter), name

    def logits(self, items: Sequence[tuple], batch_size: int = 32) -> np.ndarray:
        """Logits ``(P, 4)`` of every pair of the encoded units, in input order."""
        if not n_pairs(items):
            return np.zeros((0, 4), dtype=np.float32)
        session = _session(str(self.path), n_threads())
        return run_units(items, read_head(self.adapter),
                         lambda batch: session.run(None, padded(batch)), batch_size)


class TorchEngine:
    """The reader's PyTorch encoder (bf16 autocast on a CPU unless ``fp32``; fp16 on a GPU)."""

    def __init__(self, adapter: Path, network: dict, encoder=None, fp32: bool = False):
        from tracker.tone.encoder import use_bf16

        self.adapter, self.network, self.encoder = adapter, network, encoder
        self.half = use_bf16() and not fp32
        self.name = "torch" if self.half else "torch-fp32"

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


#: The operators :mod:`tracker.reader.export` quantises to int8; part of the cache key, so a
#: change gets new files. The fused embedding layer is left out: quantising its tables saves no
#: computation (it is a lookup) and cost agreement (measured in the fast reader's card).
QUANTISED = ("Attention", "MatMul")


def onnx_folder(reader) -> Path:
    """Where the ONNX files of ``reader`` and their check are (or will be) cached: keyed by the
    reader's identity, the encoder's weights, the exporting libraries' versions and
    :data:`QUANTISED`."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    from tracker.tone.encoder import default_cache_dir, weights_sha256

    versions = []
    for package in ("torch", "onnx", "onnxruntime"):
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append(None)
    key = hashlib.sha256(json.dumps([reader.identity, weights_sha256(reader.encoder),
                                     versions, QUANTISED]).encode()).hexdigest()[:16]
    return default_cache_dir() / "reader-onnx" / f"{reader.path.name}-{key}"


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
