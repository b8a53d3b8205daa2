"""How the reader's network runs: the engines, and the one tokenisation they share.

Engines (``TRACKER_ENGINE``, default ``auto``):

- ``onnx``: ONNX Runtime on the CPU, the network exported with its LoRA merged, fused and
  quantised to int8 (per-channel weights, dynamic activations);
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
from tracker.tone.encoder import MAX_LENGTH, n_threads

ENGINES = ("auto", "onnx", "onnx-fp32", "torch", "torch-fp32")
INPUT_NAMES = ("input_ids", "token_type_ids", "attention_mask", "source_mask", "target_mask")


def engine_choice(name: str | None = None) -> str:
    """The engine asked for: ``name``, else ``$TRACKER_ENGINE``, else ``auto``."""
    raw = name or os.environ.get("TRACKER_ENGINE", "").strip() or "auto"
    if raw not in ENGINES:
        raise TrackerError(f"TRACKER_ENGINE={raw!r} is not an engine; use one of "
                           f"{', '.join(ENGINES)} (or unset it for auto).")
    return raw


# ---------------------------------------------------------------------------------------------
# Tokenisation: the two segments of a candidate, with its source and target tokens flagged


@functools.lru_cache(maxsize=4)
def pair_tokenizer(encoder_dir: str, max_length: int = MAX_LENGTH):
    """The encoder folder's ``tokenizer.json`` for candidate pairs: no padding (the bundled
    file pads every input to 128 tokens), the second segment cut at ``max_length``."""
    from tokenizers import Tokenizer

    path = Path(encoder_dir) / "tokenizer.json"
    if not path.is_file():
        raise TrackerError(f"encoder folder '{encoder_dir}' has no tokenizer.json; the reader "
                           "needs a fast tokenizer file there (pass another encoder folder).")
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length, strategy="only_second")
    return tok


def encode(tokenizer, firsts: Sequence[tuple[str, tuple, tuple]],
           seconds: Sequence[tuple[str, list, list]]):
    """Per candidate: (token ids, token types, source mask, target mask), unpadded.

    ``firsts`` are the candidates' first segments with the spans of the two names
    (:func:`~tracker.reader.net.first_segment`), ``seconds`` the marked texts with the spans of
    the marked mentions (:func:`~tracker.reader.net.marked_text`). A token belongs to the
    source (target) when it overlaps one of the source (target) spans of its segment.
    """
    encodings = tokenizer.encode_batch([(f[0], s[0]) for f, s in zip(firsts, seconds)])
    out = []
    for (_, fs, ft), (_, ss, st), enc in zip(firsts, seconds, encodings):
        spans = {0: ([fs], [ft]), 1: (ss, st)}
        smask, tmask = [], []
        for kind, (a, b) in zip(enc.type_ids, enc.offsets):
            src, tgt = spans[kind]
            smask.append(int(b > a and any(a < e and b > s for s, e in src)))
            tmask.append(int(b > a and any(a < e and b > s for s, e in tgt)))
        out.append((enc.ids, enc.type_ids, smask, tmask))
    return out


def padded(items: Sequence[tuple]) -> dict[str, np.ndarray]:
    """A batch of encoded candidates as the network's int64 inputs, padded to the longest."""
    n = max(len(i[0]) for i in items)
    arr = np.zeros((len(INPUT_NAMES), len(items), n), dtype=np.int64)
    for k, (ids, types, smask, tmask) in enumerate(items):
        m = len(ids)
        arr[0, k, :m], arr[1, k, :m], arr[2, k, :m] = ids, types, 1
        arr[3, k, :m], arr[4, k, :m] = smask, tmask
    return dict(zip(INPUT_NAMES, arr))


def by_length(items: Sequence[tuple], batch_size: int):
    """Index batches of ``items`` sorted by length (padding falls to about 1%)."""
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    return [order[b:b + batch_size] for b in range(0, len(order), batch_size)]


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
    """An exported reader network on ONNX Runtime (CPU, one thread per core)."""

    def __init__(self, path: str | os.PathLike, name: str = "onnx"):
        self.path, self.name = Path(path), name

    def logits(self, items: Sequence[tuple], batch_size: int = 16) -> np.ndarray:
        """Logits ``(n, 4)`` for encoded candidates, batched by sorted length, input order."""
        out = np.zeros((len(items), 4), dtype=np.float32)
        if not len(items):
            return out
        session = _session(str(self.path), n_threads())
        for sel in by_length(items, batch_size):
            out[sel] = session.run(None, padded([items[i] for i in sel]))[0]
        return out


class TorchEngine:
    """The reader's PyTorch network (bf16 autocast on a CPU unless ``fp32``; fp16 on a GPU)."""

    def __init__(self, adapter: Path, network: dict, encoder=None, fp32: bool = False):
        from tracker.tone.encoder import use_bf16

        self.adapter, self.network, self.encoder = adapter, network, encoder
        self.half = use_bf16() and not fp32
        self.name = "torch" if self.half else "torch-fp32"

    def logits(self, items: Sequence[tuple], batch_size: int = 64) -> np.ndarray:
        from tracker.reader import net

        if not len(items):
            return np.zeros((0, 4), dtype=np.float32)
        _, model = net.load_pair_net(self.adapter, self.network, self.encoder)
        return net.run_net(model, items, batch_size, self.half)


# ---------------------------------------------------------------------------------------------
# Which engine: the ONNX files and the agreement check live in the cache, per reader and machine

CHECK_SET = "check.jsonl"


def onnx_folder(reader) -> Path:
    """Where the ONNX files of ``reader`` and their check are (or will be) cached: keyed by the
    reader's identity, the encoder's weights and the exporting libraries' versions."""
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
                                     versions]).encode()).hexdigest()[:16]
    return default_cache_dir() / "reader-onnx" / f"{reader.path.name}-{key}"


def read_check_set(folder: Path) -> list[tuple]:
    """The check set of a reader folder: ``(first, second)`` segments per candidate."""
    path = Path(folder) / CHECK_SET
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        (f, fs, ft), (s, ss, st) = row["first"], row["second"]
        out.append(((f, tuple(fs), tuple(ft)),
                    (s, [tuple(x) for x in ss], [tuple(x) for x in st])))
    return out
