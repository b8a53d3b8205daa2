"""The reader on the tone model's evaluation-only sets (the workbench).

These sets give a sentence and its target (and sometimes its source), not a unit of candidates:
NewsMTSC (sentiment toward a person), UN QuadClass (conflict or cooperation), the CAMEO manual's
example sentences (against their Goldstein weights) and UNSCon (a Security Council speaker's
negative evaluation of a state). The reader scores the given pair through the same path as its
candidates: a unit of two states, the source (its mentions marked, or the speaker, or an unnamed
"source") and the target (its mentions marked), read once; its stance probabilities among the
statement classes (hostile, neutral, cooperative) are compared with the tone model's, in the same
run.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from tracker.tone.model import ToneInput


def unit_inputs(inputs: list[ToneInput], speakers: list[str | None] | None = None):
    """Reader inputs (:func:`~tracker.reader.model.inputs_of`'s shape) of given pairs: the
    source is state 0, the target state 1, and the one pair is 0 -> 1."""
    from tracker.reader.net import first_segment, marked_text

    out = []
    for k, inp in enumerate(inputs):
        speaker = speakers[k] if speakers else None
        source = (inp.text[slice(*inp.source_spans[0])] if inp.source_spans
                  else speaker or "source")
        target = inp.text[slice(*inp.target_spans[0])] if inp.target_spans else "target"
        first = first_segment([source, target], 0 if speaker and not inp.source_spans else None)
        out.append((first, marked_text(inp.text, [inp.source_spans, inp.target_spans]),
                    [(0, 1)]))
    return out


def stance(reader, inputs: list[ToneInput], speakers=None) -> np.ndarray:
    """``(n, 3)`` hostile, neutral, cooperative among the statement classes."""
    p = reader.proba(unit_inputs(inputs, speakers))[:, 1:]
    return p / np.maximum(p.sum(1, keepdims=True), 1e-12)


def table(reader, data_dir: str | Path) -> list[dict]:
    """Rows ``{set, metric, n, reader, tone_model}`` measured in one run."""
    from scipy.stats import spearmanr
    from sklearn.metrics import f1_score, roc_auc_score

    from tracker.lab.datasets import cameo_inputs, load_newsmtsc, load_quadclass, unscon_inputs
    from tracker.lab.metrics import macro_f1
    from tracker.tone import ToneModel

    data_dir = Path(data_dir)
    tone_model = ToneModel.load()
    rows = []

    def both(inputs, speakers=None):
        return {"reader": stance(reader, inputs, speakers),
                "tone_model": tone_model.predict_proba(inputs)}

    def add(name, metric, n, preds, fn):
        rows.append({"set": name, "metric": metric, "n": n,
                     **{k: round(float(fn(p)), 4) for k, p in preds.items()}})

    for part in ("rw_test", "mt_test"):
        inp, y = load_newsmtsc(data_dir / "newsmtsc" / "splits_eval" / f"{part}.jsonl")
        add(f"NewsMTSC {part}", "macro-F1", len(y), both(inp),
            lambda p: macro_f1(y, p.argmax(1)))
    inp, codes = load_quadclass(data_dir / "un_quadclass" / "split" / "quad_test.tsv", raw=True)
    keep = codes > 0
    sign = np.where(codes[keep] <= 2, -1, 1)
    add("UN QuadClass quad_test", "sign accuracy", len(sign),
        both([i for i, k in zip(inp, keep) if k]),
        lambda p: (np.sign(p[:, 2] - p[:, 0]) == sign).mean())
    inp, goldstein = cameo_inputs(data_dir)
    add("CAMEO manual examples", "Spearman vs Goldstein", len(goldstein), both(inp),
        lambda p: spearmanr(p[:, 2] - p[:, 0], goldstein).statistic)
    inp, y, speakers = unscon_inputs(data_dir, with_speakers=True)
    preds = both(inp, speakers)
    add("UNSCon", "F1 of hostile", len(y), preds, lambda p: f1_score(y, p.argmax(1) == 0))
    add("UNSCon", "ROC AUC of -tone", len(y), preds,
        lambda p: roc_auc_score(y, p[:, 0] - p[:, 2]))
    return rows
