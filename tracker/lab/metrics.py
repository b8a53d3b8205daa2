"""Metrics and calibration for the workbench: macro-F1, expected calibration error, temperature."""
from __future__ import annotations

import numpy as np

from tracker.tone.model import softmax


def macro_f1(y, pred) -> float:
    """Macro-F1 over the three tone labels (0, 1, 2)."""
    from sklearn.metrics import f1_score

    return float(f1_score(y, pred, average="macro", labels=[0, 1, 2]))


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """Temperature minimising the negative log-likelihood of ``softmax(logits / T)``."""
    from scipy.optimize import minimize_scalar

    def nll(log_t):
        p = softmax(logits / np.exp(log_t))
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
