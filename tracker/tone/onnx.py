"""The fine-tuned encoder networks (the tone model's and the reader's) on ONNX Runtime: the
export, the cache of built files, the sessions, the agreement check's measure and which engine
``auto`` runs.

Both networks are exported the same way: ids, token types, attention and one token mask per
pooled span go in; the all-token mean and each span's token mean come out (the heads are small
and run in numpy, the same for every engine). The file is float32 with attention and layer
norms fused by ONNX Runtime's transformer optimiser, plus an int8 copy (attention and dense
layers, per-channel weights, dynamic activations; the embeddings stay float32,
:data:`QUANTISED`). Files go to the cache (``$TRACKER_CACHE``, default ``~/.cache/tracker``)
under a key made of the model's identity, the encoder's weights hash, the exporting libraries'
versions and :data:`QUANTISED`; they are never committed.

Which engine ``auto`` runs: each engine's throughput and start-up (in a fresh interpreter:
importing its libraries, then loading the network) are measured once per model and machine by
the agreement check, and for a job of ``n`` items ``auto`` takes the passing engine that
finishes soonest, start-up included (:func:`choose`): torch in bfloat16 is the fastest per item
on a CPU with bfloat16 instructions, but importing torch and loading the network cost seconds
that a small job never wins back.

No torch here (:func:`export` imports it when it builds).
"""
from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import shutil
import sys
import time
import warnings
from pathlib import Path

import numpy as np

from tracker.errors import TrackerError

#: What can run a network (``TRACKER_ENGINE``): ONNX Runtime in int8 or float32, torch (bfloat16
#: autocast on a CPU, float16 on a GPU) or torch in float32 (the reference), or ``auto``.
ENGINES = ("auto", "onnx", "onnx-fp32", "torch", "torch-fp32")


def engine_choice(name: str | None = None) -> str:
    """The engine asked for: ``name``, else ``$TRACKER_ENGINE``, else ``auto``."""
    raw = name or os.environ.get("TRACKER_ENGINE", "").strip() or "auto"
    if raw not in ENGINES:
        raise TrackerError(f"TRACKER_ENGINE={raw!r} is not an engine; use one of "
                           f"{', '.join(ENGINES)} (or unset it for auto).")
    return raw


INPUT_NAMES = ("input_ids", "token_type_ids", "attention_mask", "state_mask")
OUTPUT_NAMES = ("mean", "states")
CHECK_RECORD = "check.json"

#: The operators quantised to int8; part of the cache key, so a change gets new files. The
#: fused embedding layer is left out: quantising its tables saves no computation (it is a
#: lookup) and cost agreement (measured in the fast reader's card).
QUANTISED = ("Attention", "MatMul")

#: An engine passes the check when it gives torch float32's label on at least this share of the
#: check set and its tone is within :data:`MAX_TONE_P99` on 99% of the statements.
MIN_AGREEMENT = 0.99
MAX_TONE_P99 = 0.05

#: What each family of engines imports before it can load; ``auto`` counts that part of an
#: engine's start-up only while the first module is not imported yet.
IMPORTS = {"onnx": ("onnxruntime", "tokenizers"), "torch": ("torch", "transformers")}

def family(engine: str) -> str:
    return "torch" if engine.startswith("torch") else "onnx"


def cache_folder(kind: str, model) -> Path:
    """Where the ONNX files of ``model`` (its ``identity``, ``path`` and ``encoder``) and their
    check are (or will be) cached, under ``kind`` (``"reader-onnx"``, ``"tone-onnx"``)."""
    import hashlib
    from importlib.metadata import PackageNotFoundError, version

    from tracker.tone.encoder import default_cache_dir, weights_sha256

    versions = []
    for package in ("torch", "onnx", "onnxruntime"):
        try:
            versions.append(version(package))
        except PackageNotFoundError:
            versions.append(None)
    key = hashlib.sha256(json.dumps([model.identity, weights_sha256(model.encoder),
                                     versions, QUANTISED]).encode()).hexdigest()[:16]
    return default_cache_dir() / kind / f"{Path(model.path).name}-{key}"


@functools.lru_cache(maxsize=8)
def session(path: str, threads: int):
    """An ONNX Runtime session of ``path`` on the CPU (``threads`` intra-op threads)."""
    try:
        import onnxruntime as ort
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise TrackerError("the onnx engines need onnxruntime: run `pip install onnxruntime`, "
                           "or set TRACKER_ENGINE=torch.") from err
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    except Exception as err:  # onnxruntime raises its own exception types
        raise TrackerError(f"'{path}' could not be loaded by onnxruntime ({err}); delete it "
                           "and run `tracker prepare` to build it again.") from err


def export(module, config, out: Path) -> None:
    """``model.fp32.onnx`` and ``model.int8.onnx`` in ``out`` from ``module``, a float32 torch
    module taking :data:`INPUT_NAMES` and giving :data:`OUTPUT_NAMES`; ``config`` is its
    encoder's (heads and hidden size, for the fusion)."""
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    example = (*(torch.ones(2, 8, dtype=torch.long) for _ in range(3)), torch.ones(2, 3, 8))
    axes = {k: {0: "batch", 1: "tokens"} for k in INPUT_NAMES[:3]}
    axes |= {"state_mask": {0: "batch", 1: "states", 2: "tokens"}, "mean": {0: "batch"},
             "states": {0: "batch", 1: "states"}}
    raw = out / "model.raw.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, example, str(raw), dynamo=False,
                          input_names=list(INPUT_NAMES), output_names=list(OUTPUT_NAMES),
                          dynamic_axes=axes, opset_version=17)
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


def export_copy(shared, wrap, out: Path) -> None:
    """:func:`export` a float32, eval-mode copy of the loaded network ``shared`` (left as it
    is), wrapped by ``wrap`` into a module of :data:`INPUT_NAMES` -> :data:`OUTPUT_NAMES`."""
    import copy

    net = copy.deepcopy(shared).float().eval()
    # The optimiser fuses the attention of the plain ("eager") implementation.
    net.encoder.set_attn_implementation("eager")
    export(wrap(net), net.encoder.config, out)


def checked_engines(make) -> list:
    """The engines the agreement check compares, ONNX Runtime first (it slows down once torch
    has computed in the process): int8, float32, torch bf16 where it is on, and torch float32,
    the reference. ``make`` as for :func:`pick` (:func:`maker`)."""
    from tracker.tone.encoder import use_bf16

    names = ("onnx", "onnx-fp32", *(("torch",) if use_bf16() else ()), "torch-fp32")
    return [make(name) for name in names]


def agreement(ref_labels, ref_tone, labels, tone, statements=None) -> dict:
    """Label agreement with a reference, and the tone differences over ``statements`` (a mask:
    the items either takes for a statement; default every item)."""
    ref_labels, labels = np.asarray(ref_labels), np.asarray(labels)
    diff = np.abs(np.asarray(tone) - np.asarray(ref_tone))
    if statements is not None:
        diff = diff[np.asarray(statements, dtype=bool)]
    share = float((labels == ref_labels).mean()) if len(labels) else 1.0
    p99 = float(np.percentile(diff, 99)) if len(diff) else 0.0
    return {"label_agreement": round(share, 4), "tone_diff_p99": round(p99, 4),
            "tone_diff_max": round(float(diff.max()) if len(diff) else 0.0, 4),
            "statements": int(len(diff)),
            "passed": bool(share >= MIN_AGREEMENT and p99 <= MAX_TONE_P99)}


def start_up(engine, items) -> tuple[float, float]:
    """Seconds a fresh interpreter takes to import ``engine``'s libraries, and then to make it
    and run it on a few of ``items`` (loading its network). An engine describes how to make it
    again by ``spec()``: its module, class name and arguments."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    module, name, args = engine.spec()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        imported, loaded = pool.submit(_start_up, IMPORTS[family(engine.name)], module, name,
                                       args, list(items[:8])).result()
    return round(imported, 2), round(loaded, 2)


def _start_up(imports, module: str, name: str, args, items) -> tuple[float, float]:
    import importlib

    t0 = time.perf_counter()
    for library in imports:
        importlib.import_module(library)
    t1 = time.perf_counter()
    getattr(importlib.import_module(module), name)(*args).logits(items)
    return t1 - t0, time.perf_counter() - t1


def timed_engines(engines, items, count) -> dict:
    """Outputs, items per second and start-up (:func:`start_up`) of each engine on ``items``
    (``count(items)`` of them), in turns: a first call on a few items, then all of them, timed.
    ONNX Runtime first: it slows down once torch has computed in the process."""
    out = {}
    for engine in engines:
        engine.logits(items[:8])
        t = time.perf_counter()
        result = engine.logits(items)
        out[engine.name] = (result, count(items) / (time.perf_counter() - t),
                            start_up(engine, items))
    return out


def check_record(timed: dict, reference: str, compare, gpu: bool, **about) -> dict:
    """The check's record from :func:`timed_engines`' results: each engine's speed, start-up
    and agreement with ``reference`` (``compare(reference_out, out)`` gives
    :func:`agreement`'s dict), and ``default``, the passing engine with the highest throughput
    (on a GPU, ``torch``)."""
    engines = {}
    for name, (out, rate, (imported, loaded)) in timed.items():
        engines[name] = {"candidates_per_second": round(rate, 1), "import_seconds": imported,
                         "load_seconds": loaded, **compare(timed[reference][0], out)}
    passing = [n for n, e in engines.items() if e["passed"]]
    default = "torch" if gpu else max(passing, key=lambda n: engines[n]["candidates_per_second"])
    return {**about, "gpu": gpu,
            "thresholds": {"label_agreement": MIN_AGREEMENT, "tone_diff_p99": MAX_TONE_P99},
            "engines": engines, "default": default,
            "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def prepare(folder: Path, build, check, force: bool = False, say=None,
            what: str = "model") -> dict:
    """Build the files of ``folder`` (``build(work)``) and run the check (``check(work)`` gives
    the record), unless done; return the record. Built in a work folder renamed into place, so
    an interrupted build leaves nothing half made."""
    record = folder / CHECK_RECORD
    if record.is_file() and not force:
        return json.loads(record.read_text(encoding="utf-8"))
    say = say or (lambda _msg: None)
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = folder.parent / f".{folder.name}.{os.getpid()}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        t = time.perf_counter()
        say(f"building the ONNX engines of {what} for this machine (once) ...")
        build(work)
        built_s = time.perf_counter() - t
        say("checking each engine against torch float32 ...")
        result = check(work)
        result["build_seconds"] = round(built_s, 1)
        (work / CHECK_RECORD).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        if force:
            shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):  # another process may have finished first
            work.rename(folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return json.loads(record.read_text(encoding="utf-8"))


def choose(record: dict, n: int | None = None) -> str:
    """The engine ``auto`` runs for ``n`` items: of the engines that passed, the one whose
    start-up (not counting libraries this process has imported already) plus ``n`` over its
    throughput is least; the record's ``default`` (the highest throughput) when ``n`` is
    unknown, on a GPU, or for a record made before start-ups were measured."""
    engines = record["engines"]
    if n is None or record.get("gpu") or any("load_seconds" not in e
                                             for e in engines.values()):
        return record["default"]

    def seconds(name: str) -> float:
        e = engines[name]
        imported = IMPORTS[family(name)][0] in sys.modules
        return (e["load_seconds"] + (0.0 if imported else e["import_seconds"])
                + n / e["candidates_per_second"])

    return min((name for name, e in engines.items() if e["passed"]), key=seconds)


def pick(name: str | None, n: int | None, folder: Path, can_check: bool, prepare, make):
    """The engine named (or ``$TRACKER_ENGINE``), or for ``auto`` the check's choice on this
    machine for ``n`` items (:func:`choose`): ``prepare()`` builds the files in ``folder`` and
    checks them first, once, when no check was made (for ``auto`` only where ``can_check``:
    without a check set it runs ``torch``). ``make(engine)`` makes the engine of that name."""
    choice = engine_choice(name)
    if not choice.startswith("torch"):
        if not (folder / CHECK_RECORD).is_file():
            if choice == "auto" and not can_check:
                return make("torch")
            prepare()
        if choice == "auto":
            choice = choose(json.loads((folder / CHECK_RECORD).read_text(encoding="utf-8")), n)
    return make(choice)


def maker(onnx_engine, torch_engine, folder: Path, adapter: Path, network: dict, encoder):
    """``make(engine)`` for :func:`pick`: an engine of the classes given (ONNX Runtime on the
    files of ``folder``, or torch) for a network's adapter file, network and encoder."""
    def make(engine: str):
        if engine.startswith("torch"):
            return torch_engine(adapter, network, encoder, fp32=engine == "torch-fp32")
        return onnx_engine(folder / ("model.int8.onnx" if engine == "onnx" else
                                     "model.fp32.onnx"), adapter, engine)

    return make
