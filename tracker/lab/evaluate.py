"""Evaluation of the tone model on the evaluation-only sets, against baselines measured in the same
run: the base encoder with a logistic-regression head and no fine-tuning (:class:`HeadModel` on
:func:`features` of the frozen encoder, trained here on the model's training data), and VADER.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from pathlib import Path
from typing import Sequence

import numpy as np

from tracker.lab.datasets import (cameo_inputs, load_newsmtsc, load_quadclass, load_voa_tone,
                                  plover_inputs, unscon_inputs)
from tracker.lab.metrics import expected_calibration_error, fit_temperature, macro_f1
from tracker.lab.datasets import training_data
from tracker.lab.files import read_json
from tracker.tone import encoder as encoder_folder
from tracker.tone.encoder import default_cache_dir
from tracker.tone.model import RECIPE_FILE, ToneInput, ToneModel, softmax

log = logging.getLogger(__name__)

FEATURES = ("sentence_mean", "target_mean", "source_mean", "target_minus_sentence",
            "target_window_mean")
#: Characters either side of each target mention pooled into the "target window" vector (the
#: width was chosen on dev data; the model card of the frozen-head model gives the comparison).
TARGET_WINDOW = 20
#: Baseline head hyper-parameters (C and sample weights chosen by mean dev/hold-out macro-F1 on a
#: grid when the frozen head was the shipped model; refitted here, not searched again).
BASELINE_HEAD = {"C": 0.03, "quad_weight": 1.0, "corpus_weight": 3.0}


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
    from tracker.tone import net

    if bf16 is None:
        bf16 = encoder_folder.use_bf16()
    texts = [i.text for i in inputs]
    spans = [[list(i.target_spans), list(i.source_spans), target_window(i, window)] for i in inputs]
    path = None
    if cache_dir is not None:
        digest = hashlib.sha256()
        digest.update(encoder_folder.weights_sha256(encoder).encode())
        digest.update(f"bf16={bool(bf16)};max={encoder_folder.MAX_LENGTH}".encode())
        for t, s in zip(texts, spans):
            digest.update(json.dumps([t, s]).encode())
        path = Path(cache_dir) / f"emb-{digest.hexdigest()[:32]}.npy"
        if path.is_file():
            return np.load(path)
    vecs = net.embed_spans(texts, spans, batch_size=batch_size, model_dir=encoder,
                                   bf16=bf16)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npy")
        np.save(tmp, vecs)
        tmp.replace(path)
    return vecs


def target_window(inp: ToneInput, width: int) -> list[tuple[int, int]]:
    n = len(inp.text)
    return [(max(0, s - width), min(n, e + width)) for s, e in inp.target_spans]


def features(vecs: np.ndarray) -> np.ndarray:
    """``(n, 4, h)`` pooled vectors -> ``(n, 5h)`` features in the order of :data:`FEATURES`."""
    sent, tgt, src, win = vecs[:, 0], vecs[:, 1], vecs[:, 2], vecs[:, 3]
    return np.concatenate([sent, tgt, src, tgt - sent, win], axis=1).astype(np.float32)


class HeadModel:
    """The baseline: a logistic-regression head on frozen-encoder :func:`features` (in memory).

    ``coef (3, d)``, ``intercept (3,)``, ``scaler_mean``/``scaler_scale (d,)``, ``temperature``.
    """

    def __init__(self, coef, intercept, scaler_mean, scaler_scale, temperature=1.0):
        self.coef = np.ascontiguousarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.scaler_mean = np.asarray(scaler_mean, dtype=np.float32)
        self.scaler_scale = np.asarray(scaler_scale, dtype=np.float32)
        self.temperature = float(temperature)

    def logits(self, X: np.ndarray) -> np.ndarray:
        """Uncalibrated logits ``(n, 3)`` for features ``X`` ``(n, d)``."""
        Z = (np.asarray(X, dtype=np.float32) - self.scaler_mean) / self.scaler_scale
        return Z @ self.coef.T + self.intercept

    def predict_proba_features(self, X: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities ``(n, 3)``."""
        return softmax(self.logits(X) / self.temperature)


def fit_head(X, y, C, sample_weight=None, random_state=0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    clf = LogisticRegression(C=C, max_iter=3000, random_state=random_state)
    clf.fit(scaler.transform(X), y, sample_weight=sample_weight)
    return scaler, clf


def vader(texts: Sequence[str]) -> np.ndarray:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return np.full(len(texts), np.nan)
    sia = SentimentIntensityAnalyzer()
    return np.array([sia.polarity_scores(t)["compound"] for t in texts])


def vader_proba(compound: np.ndarray) -> np.ndarray:
    """One-hot 'probabilities' from VADER's compound with the usual +-0.05 thresholds."""
    lab = np.where(compound >= 0.05, 2, np.where(compound <= -0.05, 0, 1))
    return np.eye(3)[lab]



def baseline(data_dir: Path, cache_dir, encoder, corpus, random_state: int = 0):
    """"Base encoder + logistic-regression head, no fine-tuning": target-aware frozen features
    (:data:`FEATURES`), trained on the fine-tuned model's training rows (NewsMTSC train, QuadClass
    train, the corpus's 90% train sentences), temperature-scaled on NewsMTSC dev."""
    _, sets, (c_train, _) = training_data(data_dir, corpus, random_state)
    parts = [("newsmtsc_train", 1.0, None),
             ("quadclass_train", BASELINE_HEAD["quad_weight"], None)]
    if "corpus" in sets:
        parts.append(("corpus", BASELINE_HEAD["corpus_weight"], c_train))
    t0 = time.time()
    Xs, ys, ws = [], [], []
    for name, weight, idx in parts:
        inputs, y = sets[name]
        X = features(embed_inputs(inputs, encoder=encoder, cache_dir=cache_dir))
        if idx is not None:
            X, y = X[idx], y[idx]
        Xs.append(X)
        ys.append(y)
        ws.append(np.full(len(y), weight))
    scaler, clf = fit_head(np.concatenate(Xs), np.concatenate(ys), BASELINE_HEAD["C"],
                            np.concatenate(ws), random_state)
    m = HeadModel(clf.coef_, clf.intercept_, scaler.mean_, scaler.scale_)
    dev_inp = sets["newsmtsc_rw_dev"][0] + sets["newsmtsc_mt_dev"][0]
    dev_y = np.concatenate([sets["newsmtsc_rw_dev"][1], sets["newsmtsc_mt_dev"][1]])
    dev_logits = m.logits(features(embed_inputs(dev_inp, encoder=encoder, cache_dir=cache_dir)))
    m.temperature = fit_temperature(dev_logits, dev_y)
    n_rw = len(sets["newsmtsc_rw_dev"][1])
    info = {**BASELINE_HEAD, "features": list(FEATURES), "temperature": m.temperature,
            "training_rows": int(sum(len(y) for y in ys)),
            "dev_macro_f1": {"rw_dev": macro_f1(dev_y[:n_rw], dev_logits[:n_rw].argmax(1)),
                             "mt_dev": macro_f1(dev_y[n_rw:], dev_logits[n_rw:].argmax(1))},
            "seconds": round(time.time() - t0, 1)}
    log.info("baseline head: %s", info)
    return m, info


def evaluate(
    model: ToneModel | str | os.PathLike | None = None,
    *,
    data_dir: str | os.PathLike,
    gold_dir: str | os.PathLike | None = None,
    corpus: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    encoder: str | os.PathLike | None = None,
    with_info: bool = False,
):
    """Score the shipped model, the no-fine-tuning baseline and VADER on held-out sets, in one run.

    Parameters
    ----------
    model : ToneModel or path, optional
        Default: the shipped model (:func:`~tracker.tone.default_model_path`).
    data_dir : path
        The shared data folder.
    gold_dir : path, optional
        The project's gold folder (``benchmarks/gold``); the test part of its VOA tone labels is
        scored (skipped without it).
    corpus : path or None
        The corpus the baseline trains on (as :func:`~tracker.lab.train.train`).
    cache_dir : path, optional
        Frozen-encoder embedding cache for the baseline (default :func:`default_cache_dir`).
    with_info : bool
        Also return the baseline's fitted settings and dev scores.

    Returns
    -------
    pandas.DataFrame (and dict with ``with_info``)
        Index ``(dataset, metric)``; columns ``model`` (the fine-tuned model), ``baseline``
        (base encoder + logistic-regression head on target-aware features, no fine-tuning,
        trained in this call on the same training data) and ``vader`` (VADER compound, +-0.05
        thresholds), plus ``n`` (rows scored).
    """
    import pandas as pd
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score, roc_auc_score

    data_dir = Path(data_dir)
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if not isinstance(model, ToneModel):
        model = ToneModel.load(model, encoder=encoder)
    encoder = model.encoder if model.encoder is not None else encoder
    recipe = read_json(model.path / RECIPE_FILE) if (model.path / RECIPE_FILE).is_file() else {}
    base, base_info = baseline(data_dir, cache_dir, encoder, corpus,
                               int(recipe.get("random_state", 0)))
    seconds = {"model": 0.0, "rows": 0}

    def score(inputs):
        t0 = time.perf_counter()
        p_model = model.predict_proba(inputs)
        seconds["model"] += time.perf_counter() - t0
        seconds["rows"] += len(inputs)
        p_base = base.predict_proba_features(features(
            embed_inputs(inputs, encoder=encoder, cache_dir=cache_dir)))
        compound = vader([i.text for i in inputs])
        return {"model": p_model, "baseline": p_base, "vader": compound}

    def tone(p):
        return p if p.ndim == 1 else p[:, 2] - p[:, 0]

    def proba(p):
        return vader_proba(p) if p.ndim == 1 else p

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
            lambda c, p: macro_f1(y, proba(p).argmax(1)))
        add(f"NewsMTSC {part}", "accuracy", len(y),
            lambda c, p: float((proba(p).argmax(1) == y).mean()))
        add(f"NewsMTSC {part}", "ECE (15 bins)", len(y),
            lambda c, p: np.nan if c == "vader" else expected_calibration_error(p, y))

    inp, codes = load_quadclass(data_dir / "un_quadclass" / "split" / "quad_test.tsv", raw=True)
    keep = codes > 0
    inp = [i for i, k in zip(inp, keep) if k]
    sign = np.where(codes[keep] <= 2, -1, 1)
    preds = score(inp)
    add("UN QuadClass quad_test (labels 1-4)", "sign accuracy", len(sign),
        lambda c, p: float((np.sign(tone(p)) == sign).mean()))

    inp, goldstein = cameo_inputs(data_dir)
    preds = score(inp)
    add("CAMEO manual examples", "Spearman vs Goldstein", len(goldstein),
        lambda c, p: float(spearmanr(tone(p), goldstein).statistic))

    inp, y = unscon_inputs(data_dir)
    preds = score(inp)
    add("UNSCon sentences (neg. evaluation)", "F1 of hostile", len(y),
        lambda c, p: float(f1_score(y, proba(p).argmax(1) == 0)))
    add("UNSCon sentences (neg. evaluation)", "ROC AUC of -tone", len(y),
        lambda c, p: float(roc_auc_score(y, -tone(p))))

    inp, sign = plover_inputs(data_dir)
    preds = score(inp)
    add("PLOVER GSR (coop. vs conflict events)", "sign accuracy", len(sign),
        lambda c, p: float((np.sign(tone(p)) == sign).mean()))

    if gold_dir is not None and (data_dir / "voa" / "voa_stories.jsonl").is_file():
        inp, y, rating = load_voa_tone(data_dir, gold_dir, "test")
        preds = score(inp)
        name = "VOA statements, project annotators (test part)"
        add(name, "macro-F1", len(y), lambda c, p: macro_f1(y, proba(p).argmax(1)))
        add(name, "Spearman vs rating -2..2", len(y),
            lambda c, p: float(spearmanr(tone(p), rating).statistic))

    table = pd.DataFrame(rows).set_index(["dataset", "metric"])[["model", "baseline", "vader",
                                                                 "n"]]
    base_info["model_eval_statements_per_s"] = round(seconds["rows"] / max(seconds["model"],
                                                                         1e-9), 1)
    return (table, base_info) if with_info else table
