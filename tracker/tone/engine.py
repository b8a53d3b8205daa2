"""How the tone model's network runs: the engines, their one tokenisation, and the agreement
check that tells ``auto`` which to run.

The engines are the reader's (``TRACKER_ENGINE``, :data:`tracker.tone.onnx.ENGINES`): ONNX
Runtime in int8 (``onnx``) or float32 (``onnx-fp32``), torch under bfloat16 autocast
(``torch``) or in float32 (``torch-fp32``, the reference). ``auto`` takes, for the statements
a run has to score, the engine that passed the check and finishes them soonest, start-up
included (:func:`tracker.tone.onnx.choose`): ONNX Runtime in float32 for a run of a few
thousand statements (importing torch and loading the network cost more than torch's faster
batches win back), torch for long ones.

The ONNX files are built from the base encoder and the model's adapter (:func:`prepare`, by
``tracker prepare`` or the first run that needs them) and checked on the model folder's check
set (``check.jsonl``: statements of the corpus's train part): each engine's label (hostile,
neutral, cooperative) and tone against torch float32's.

No torch here: the ONNX engines need only ``onnxruntime``, ``tokenizers`` and numpy.
"""
from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Sequence

import numpy as np

from tracker.errors import TrackerError
from tracker.tone import onnx
from tracker.tone.encoder import (MAX_LENGTH, by_length, n_threads, padded_length,
                                  resolve_encoder_dir, use_bf16)

CHECK_SET = "check.jsonl"


@functools.lru_cache(maxsize=4)
def tokenizer(encoder_dir: str, max_length: int = MAX_LENGTH):
    """The encoder folder's ``tokenizer.json``, without padding (the bundled file pads every
    input to 128 tokens), cut at ``max_length`` tokens: the tokenisation the tone network was
    trained with."""
    from tokenizers import Tokenizer

    path = Path(encoder_dir) / "tokenizer.json"
    if not path.is_file():
        raise TrackerError(f"encoder folder '{encoder_dir}' has no tokenizer.json; the tone "
                           "model's engines need a fast tokenizer file there (pass another "
                           "encoder folder).")
    tok = Tokenizer.from_file(str(path))
    tok.no_padding()
    tok.enable_truncation(max_length)
    return tok


def encode(tok, texts: Sequence[str], target_spans: Sequence[Sequence[tuple[int, int]]]):
    """Per text: (token ids, target-token mask, token types), unpadded; the tokens that overlap
    a target span get mask 1 and token type 1, special tokens never do."""
    out = []
    for spans, enc in zip(target_spans, tok.encode_batch(list(texts))):
        mask = [int(b > a and any(a < te and b > ts for ts, te in spans)) for a, b in enc.offsets]
        out.append((enc.ids, mask, mask))
    return out


def head_logits(head: dict, mean: np.ndarray, target: np.ndarray, has_target: np.ndarray
                ) -> np.ndarray:
    """The tone network's head in numpy: logits ``(n, 3)`` over ``[all-token mean ; target
    mean]``, the all-token mean standing in where no target token was found."""
    x = np.concatenate([mean, np.where(has_target[:, None], target, mean)], axis=1)
    return (x @ head["head.weight"].T + head["head.bias"]).astype(np.float32)


@functools.lru_cache(maxsize=4)
def _read_head(path: str, _mtime: int) -> dict:
    from safetensors.numpy import load_file

    return {k: v.astype(np.float32) for k, v in load_file(path).items()
            if k.startswith("head.")}


class OnnxEngine:
    """The tone network exported to ONNX (:class:`~tracker.tone.net.ToneStates`) on ONNX
    Runtime (CPU, one thread per core), its head in numpy."""

    def __init__(self, path: str | Path, adapter: Path, name: str = "onnx"):
        self.path, self.adapter, self.name = Path(path), Path(adapter), name

    def spec(self) -> tuple[str, str, list]:
        """How to make this engine again (:func:`tracker.tone.onnx.start_up`)."""
        return "tracker.tone.engine", "OnnxEngine", [str(self.path), str(self.adapter), self.name]

    def logits(self, items: Sequence[tuple], batch_size: int = 64) -> np.ndarray:
        """Logits ``(n, 3)`` of encoded statements (:func:`encode`), in input order."""
        from threadpoolctl import threadpool_limits

        out = np.zeros((len(items), 3), dtype=np.float32)
        if not items:
            return out
        session = onnx.session(str(self.path), n_threads())
        head = _read_head(str(self.adapter), self.adapter.stat().st_mtime_ns)
        # numpy's BLAS on one thread: its idle threads would spin and take the cores from the
        # network (as in the reader's engine).
        with threadpool_limits(1, user_api="blas"):
            for sel in by_length(items, batch_size):
                n = padded_length(max(len(items[i][0]) for i in sel))
                ids = np.zeros((len(sel), n), dtype=np.int64)
                mask, att = np.zeros_like(ids), np.zeros_like(ids)
                for k, i in enumerate(sel):
                    m = len(items[i][0])
                    ids[k, :m], mask[k, :m], att[k, :m] = items[i][0], items[i][1], 1
                mean, states = session.run(None, dict(zip(onnx.INPUT_NAMES, (
                    ids, mask, att, mask[:, None, :].astype(np.float32)))))
                out[sel] = head_logits(head, mean, states[:, 0], mask.any(1))
        return out


class TorchEngine:
    """The tone network on torch (bfloat16 autocast on a CPU unless ``fp32``; float16 on a
    GPU)."""

    def __init__(self, adapter: Path, network: dict, encoder=None, fp32: bool = False):
        self.adapter, self.network, self.encoder = Path(adapter), network, encoder
        self.half = use_bf16() and not fp32
        self.name = "torch" if self.half else "torch-fp32"

    def spec(self) -> tuple[str, str, list]:
        """How to make this engine again (:func:`tracker.tone.onnx.start_up`)."""
        encoder = None if self.encoder is None else str(self.encoder)
        return ("tracker.tone.engine", "TorchEngine",
                [str(self.adapter), self.network, encoder, self.name == "torch-fp32"])

    def logits(self, items: Sequence[tuple], batch_size: int = 64) -> np.ndarray:
        """Logits ``(n, 3)`` of encoded statements (:func:`encode`), in input order."""
        from tracker.tone import net

        if not items:
            return np.zeros((0, 3), dtype=np.float32)
        _, model = net.load_tone_net(self.adapter, self.network, self.encoder)
        return net.run_net(model, items, batch_size, self.half)


def onnx_folder(model) -> Path:
    """Where the ONNX files of the tone model ``model`` and their check are cached."""
    return onnx.cache_folder("tone-onnx", model)


def read_check_set(folder: Path) -> tuple[list[str], list[list[tuple[int, int]]]]:
    """The check set of a tone model folder: texts and each one's target spans."""
    path = Path(folder) / CHECK_SET
    texts, spans = [], []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            texts.append(row["text"])
            spans.append([tuple(s) for s in row["target_spans"]])
    return texts, spans


def engine_for(model, name: str | None = None, n: int | None = None, say=None):
    """The engine that runs the tone model ``model``: the one named (or ``$TRACKER_ENGINE``),
    or for ``auto`` the check's choice on this machine for ``n`` statements (building the ONNX
    files and checking them first, once, when no check was made; :func:`tracker.tone.onnx.pick`)."""
    from tracker.tone.model import ADAPTER_FILE

    adapter, network, folder = model.path / ADAPTER_FILE, model.config["network"], \
        onnx_folder(model)
    make = onnx.maker(OnnxEngine, TorchEngine, folder, adapter, network, model.encoder)
    return onnx.pick(name, n, folder, (model.path / CHECK_SET).is_file(),
                     lambda: prepare(model, say=say), make)


# ---------------------------------------------------------------------------------------------
# Building and checking (imports torch and onnx)


def prepare(model, force: bool = False, say=None) -> dict:
    """Build the ONNX files of the tone model ``model`` (unless built) and run the agreement
    check; return the check's record."""
    say = say or (lambda msg: print(msg, file=sys.stderr, flush=True))
    return onnx.prepare(onnx_folder(model), lambda work: build(model, work),
                        lambda work: check(model, work), force, say, model.path.name)


def build(model, out: Path) -> None:
    """``model.fp32.onnx`` and ``model.int8.onnx`` of the tone model in ``out``."""
    from tracker.tone import net
    from tracker.tone.model import ADAPTER_FILE

    _, shared = net.load_tone_net(model.path / ADAPTER_FILE, model.config["network"],
                                  model.encoder, device="cpu")
    onnx.export_copy(shared, net.ToneStates, out)


def decisions(logits: np.ndarray, temperature: float):
    """Labels (0 hostile, 1 neutral, 2 cooperative) and tones, as the tone model decides."""
    from tracker.tone.model import softmax

    p = softmax(logits / temperature)
    return p.argmax(1), p[:, 2] - p[:, 0]


def check(model, folder: Path) -> dict:
    """Every engine against torch float32 on the model's check set, timed in turns."""
    from tracker.tone import net
    from tracker.tone.model import ADAPTER_FILE, ToneInput, around_target

    texts, spans = read_check_set(model.path)
    if not texts:
        raise TrackerError(f"tone model folder '{model.path}' has no check set ({CHECK_SET}); "
                           "without it no engine can be checked: set TRACKER_ENGINE=torch.")
    cut = [around_target(ToneInput(t, tuple(s))) for t, s in zip(texts, spans)]
    items = encode(tokenizer(str(resolve_encoder_dir(model.encoder))), [i.text for i in cut],
                   [i.target_spans for i in cut])
    make = onnx.maker(OnnxEngine, TorchEngine, folder, model.path / ADAPTER_FILE,
                      model.config["network"], model.encoder)
    timed = onnx.timed_engines(onnx.checked_engines(make), items, len)

    def compare(reference, other):
        return onnx.agreement(*decisions(reference, model.temperature),
                              *decisions(other, model.temperature))

    return onnx.check_record(timed, "torch-fp32", compare, net.default_device() == "cuda",
                             model=model.identity, statements=len(items))
