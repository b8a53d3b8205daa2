"""The tone model: a model folder in, tones out.

A model folder holds ``adapter.safetensors`` (what fine-tuning changed, fp16), ``config.json``
(what predicting needs: labels, the base encoder's hash, the network's shape, the temperature),
``recipe.json`` (how it was made) and ``metrics.json`` (how it scored), plus the model card
``README.md`` written from them. No pickle. The shipped model is package data
(``tracker.models``, the repository's ``models/`` folder).
"""
from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from tracker.errors import TrackerError
from tracker.tone import encoder as encoder_folder

LABELS = ("hostile", "neutral", "cooperative")
ADAPTER_FILE = "adapter.safetensors"
CONFIG_FILE = "config.json"
RECIPE_FILE = "recipe.json"
METRICS_FILE = "metrics.json"
FORMAT_VERSION = 3
#: ``config.json`` "kind" of a fine-tuned model folder.
KIND = "lora"
SHIPPED = "tone-minilm"


def default_model_path() -> Path:
    """``$TRACKER_TONE_MODEL`` if set, else the shipped model (package data)."""
    env = os.environ.get("TRACKER_TONE_MODEL")
    if env:
        return Path(env).expanduser()
    return Path(str(importlib.resources.files("tracker.models").joinpath(SHIPPED)))


@dataclass(frozen=True)
class ToneInput:
    """A statement to score: its text and where the target and source are mentioned in it."""

    text: str
    target_spans: tuple[tuple[int, int], ...] = ()   # offsets into `text`
    source_spans: tuple[tuple[int, int], ...] = ()


#: Characters the tone model reads of a long text: about its 256-token window.
WINDOW_CHARS = 1000


def around_target(item: ToneInput, width: int = WINDOW_CHARS) -> ToneInput:
    """A text longer than the model's window, cut to ``width`` characters centred on the first
    target mention (at word boundaries), so the target is always read; shorter texts as they
    are. The cost of scoring never grows with the text's length."""
    text = item.text
    if len(text) <= width:
        return item
    spans = item.target_spans or item.source_spans
    centre = (spans[0][0] + spans[0][1]) // 2 if spans else 0
    start = max(0, min(centre - width // 2, len(text) - width))
    if start > 0:
        space = text.find(" ", start, start + 50)
        start = space + 1 if space >= 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", end - 50, end)
        end = space if space > start else end

    def inside(group):
        return tuple((a - start, b - start) for a, b in group if start <= a and b <= end)

    return ToneInput(text[start:end], inside(item.target_spans), inside(item.source_spans))


@dataclass(frozen=True)
class ToneResult:
    """Tone of a statement toward its target."""

    tone: float        # P(cooperative) - P(hostile), in [-1, 1]
    label: str         # "hostile" | "neutral" | "cooperative"
    confidence: float  # calibrated probability of `label`


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of ``(n, k)`` logits."""
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def cache_key(model_id: str, text: str, target_spans, source_spans) -> str:
    """The tone cache's key of one scored clause: the model, the text and the spans, so a
    syndicated copy is scored once and a changed model scores again."""
    payload = json.dumps([model_id, text, list(target_spans), list(source_spans)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def describe(tone: float, label: str, confidence: float | None) -> tuple[str, str] | None:
    """A tone in words that never contradict its number: ``("hostile 70%", "hostile")``, or
    ``("mixed: hostile 38%, cooperative 36%", "neutral")`` when the two likeliest labels are
    within 10 points, and a neutral label's lean when the tone is 0.2 or more away from zero.
    The three probabilities come back from the stored tone (P(cooperative) -
    P(hostile)), label and confidence (the label's probability). Returns (words, class)."""
    if label not in LABELS or confidence is None:
        return (label, label) if label else None
    if label == "hostile":
        p = {"hostile": confidence, "cooperative": confidence + tone}
    elif label == "cooperative":
        p = {"cooperative": confidence, "hostile": confidence - tone}
    else:
        p = {"cooperative": (1 - confidence + tone) / 2, "hostile": (1 - confidence - tone) / 2}
    p[label] = confidence
    p.setdefault("neutral", 1 - p["hostile"] - p["cooperative"])
    ranked = sorted(((min(max(v, 0.0), 1.0), k) for k, v in p.items()), reverse=True)
    (p1, first), (p2, second) = ranked[0], ranked[1]
    if p1 - p2 < 0.10:
        return f"mixed: {first} {p1:.0%}, {second} {p2:.0%}", "neutral"
    if first == "neutral" and abs(tone) >= 0.2:
        return f"neutral {p1:.0%}, leaning {second} {p2:.0%}", "neutral"
    return f"{first} {p1:.0%}", first


def results_from_proba(proba: np.ndarray) -> list[ToneResult]:
    """Turn ``(n, 3)`` probabilities into :class:`ToneResult` objects."""
    tone = np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0)
    arg = proba.argmax(1)
    return [ToneResult(float(t), LABELS[a], float(p[a])) for t, a, p in zip(tone, arg, proba)]


def save_folder(path: str | os.PathLike, tensors: dict, config: dict) -> Path:
    """Write a model folder's weights (``tensors``: name -> array, stored as fp16 safetensors)
    and its ``config.json``; returns the folder. ``recipe.json``, ``metrics.json`` and the card
    are the workbench's to add."""
    from safetensors.numpy import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(np.asarray(v), dtype=np.float16)
               for k, v in tensors.items()}, str(path / ADAPTER_FILE))
    (path / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    return path


def folder_identity(path: Path, prefix: str) -> str:
    """``prefix-`` and a hash of a model folder's ``config.json`` and weights: what stored
    results carry, so that a changed model never mixes with old ones while new measurements
    (recipe, metrics, card) change nothing."""
    digest = hashlib.sha256((Path(path) / CONFIG_FILE).read_bytes())
    digest.update(encoder_folder.sha256_file(Path(path) / ADAPTER_FILE).encode())
    return f"{prefix}-" + digest.hexdigest()[:12]


def read_config(path: Path, what: str, fix: str) -> dict:
    """The ``config.json`` of a model folder that holds its weights too; a missing folder or
    file, or JSON that does not parse, is a :class:`~tracker.errors.TrackerError` naming the
    folder and ``fix``."""
    if not path.is_dir():
        raise TrackerError(f"{what} folder '{path}' does not exist; {fix}.")
    for name in (ADAPTER_FILE, CONFIG_FILE):
        if not (path / name).is_file():
            raise TrackerError(f"{what} folder '{path}' has no {name}; {fix}.")
    try:
        return json.loads((path / CONFIG_FILE).read_text())
    except ValueError as err:
        raise TrackerError(f"'{path / CONFIG_FILE}' is not valid JSON ({err}); {fix}.") from err


def check_encoder(config: dict, encoder, path: Path, what: str) -> None:
    """Refuse an encoder whose weights are not those the model at ``path`` was trained on."""
    want = config.get("encoder", {}).get("weights_sha256")
    got = encoder_folder.weights_sha256(encoder)
    if want and got != want:
        raise TrackerError(
            f"encoder '{encoder_folder.resolve_encoder_dir(encoder)}' has weights sha256 "
            f"{got[:12]}…, the {what} '{path}' was trained on {want[:12]}…; use the bundled "
            "all-MiniLM-L6-v2 (unset TRACKER_ENCODER) or retrain the model.")


class ToneModel:
    """The fine-tuned tone model of a model folder.

    Parameters
    ----------
    path : path
        The model folder.
    config : dict
        Its ``config.json``.
    encoder : path, optional
        The base encoder folder (default: bundled all-MiniLM-L6-v2 or ``$TRACKER_ENCODER``); its
        weights must be those the adapter was trained on (checked by sha256 on first use).

    Attributes
    ----------
    identity : str
        ``"tone-"`` and a hash of ``config.json`` and the adapter's bytes: stored tones carry
        it, so a changed model never mixes with old scores.
    temperature : float
        Logits are divided by it before the softmax.

    Examples
    --------
    >>> m = ToneModel.load()  # doctest: +SKIP
    >>> m.predict([ToneInput("Russia threatened Ukraine.", ((18, 25),), ((0, 6),))])  # doctest: +SKIP
    [ToneResult(tone=-0.9..., label='hostile', confidence=0.9...)]
    """

    def __init__(self, path, config, encoder=None, engine: str | None = None):
        self.path = Path(path)
        self.config = dict(config)
        self.encoder = encoder
        self.engine_name = engine
        self.temperature = float(self.config.get("temperature", 1.0))
        self._checked = False
        self._engine = None

    @classmethod
    def load(cls, path: str | os.PathLike | None = None,
             encoder: str | os.PathLike | None = None,
             engine: str | None = None) -> "ToneModel":
        """Load a model folder (default :func:`default_model_path`); cheap, the engine comes
        later. ``engine``: what runs the network (default ``$TRACKER_ENGINE``, else ``auto``;
        :mod:`tracker.tone.engine`).

        Raises :class:`~tracker.errors.TrackerError` naming the folder and the fix when it is
        missing, incomplete or made by an incompatible version.
        """
        path = Path(path).expanduser() if path is not None else default_model_path()
        fix = (f"pass a model folder holding {ADAPTER_FILE} and {CONFIG_FILE} (as made by "
               "`python -m tracker.lab train`) as path= or in TRACKER_TONE_MODEL")
        config = read_config(path, "tone model", fix)
        if (config.get("kind") != KIND or tuple(config.get("labels", ())) != LABELS
                or config.get("format_version") != FORMAT_VERSION):
            raise TrackerError(
                f"tone model folder '{path}' is of kind {config.get('kind')!r}, format "
                f"{config.get('format_version')!r}, with labels {config.get('labels')}; this code "
                f"expects kind {KIND!r}, format {FORMAT_VERSION}, labels {list(LABELS)}; retrain "
                "it with `python -m tracker.lab train`.")
        return cls(path, config, encoder, engine)

    @staticmethod
    def save(path: str | os.PathLike, tensors: dict, config: dict) -> Path:
        """Write a model folder's weights and ``config.json`` (:func:`save_folder`)."""
        return save_folder(path, tensors, config)

    @functools.cached_property
    def identity(self) -> str:
        return folder_identity(self.path, "tone")

    def _check_encoder(self) -> None:
        if not self._checked:
            check_encoder(self.config, self.encoder, self.path, "tone model")
            self._checked = True

    def plan(self, n: int | None = None):
        """Pick the engine for a job of ``n`` statements (:func:`tracker.tone.engine.engine_for`:
        for ``auto``, the passing engine that finishes ``n`` soonest); later calls of
        :meth:`predict` use it. Returns the engine."""
        from tracker.tone.engine import engine_for

        self._check_encoder()
        self._engine = engine_for(self, self.engine_name, n)
        return self._engine

    @property
    def engine_used(self) -> str | None:
        """The engine that runs the network, once chosen."""
        return self._engine.name if self._engine is not None else None

    def logits(self, inputs: Sequence[ToneInput], batch_size: int = 64) -> np.ndarray:
        """Uncalibrated logits ``(n, 3)`` in the order of :data:`LABELS`."""
        from tracker.tone.engine import encode, tokenizer

        inputs = list(inputs)
        if not inputs:
            return np.zeros((0, 3), dtype=np.float32)
        engine = self._engine or self.plan(len(inputs))
        inputs = [around_target(i) for i in inputs]
        tok = tokenizer(str(encoder_folder.resolve_encoder_dir(self.encoder)))
        items = encode(tok, [i.text for i in inputs], [list(i.target_spans) for i in inputs])
        return engine.logits(items, batch_size=batch_size)

    def predict_proba(self, inputs: Sequence[ToneInput], batch_size: int = 64) -> np.ndarray:
        """Calibrated class probabilities ``(n, 3)`` in the order of :data:`LABELS`."""
        return softmax(self.logits(inputs, batch_size) / self.temperature)

    def predict(self, inputs: Sequence[ToneInput], batch_size: int = 64) -> list[ToneResult]:
        """Score statements.

        Parameters
        ----------
        inputs : sequence of ToneInput
        batch_size : int
            Statements per forward pass (sorted by length internally).

        Returns
        -------
        list of ToneResult, in the order of ``inputs``.
        """
        inputs = list(inputs)
        if not inputs:
            return []
        return results_from_proba(self.predict_proba(inputs, batch_size=batch_size))
