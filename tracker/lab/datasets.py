"""Data sets for training and evaluating the tone model, read from the shared data folder that the
command line passes in. Each loader returns ``(inputs, labels)`` with labels as indices into
:data:`~tracker.tone.LABELS` (or the set's own scale where said).
"""
from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Iterable

import numpy as np

from tracker.errors import TrackerError
from tracker.lab.gold import VOA_TONE, load_gold
from tracker.tone.model import LABELS, ToneInput

log = logging.getLogger(__name__)


def require(path: Path, what: str) -> Path:
    if not path.is_file():
        raise TrackerError(f"{what} '{path}' not found; pass data_dir= pointing at the shared "
                           "data folder (the one holding newsmtsc/ and un_quadclass/).")
    return path


NEWSMTSC_LABEL = {2.0: 0, 4.0: 1, 6.0: 2}


def load_newsmtsc(path: str | os.PathLike) -> tuple[list[ToneInput], np.ndarray]:
    """NewsMTSC JSONL: one row per target; spans = the target mention plus its further mentions."""
    path = require(Path(path), "NewsMTSC file")
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
                labels.append(NEWSMTSC_LABEL[float(t["polarity"])])
    return inputs, np.array(labels, dtype=np.int64)


QUAD_LABEL = {0: 1, 1: 0, 2: 0, 3: 2, 4: 2}


def load_quadclass(path: str | os.PathLike, raw: bool = False):
    """UN QuadClass TSV: 1/2 conflict -> hostile, 3/4 cooperation -> cooperative, 0 -> neutral.

    No actor annotation, so no spans. With ``raw=True`` the labels are the original 0-4 codes.
    """
    import pandas as pd

    path = require(Path(path), "UN QuadClass file")
    df = pd.read_csv(path, sep="\t")
    inputs = [ToneInput(str(t)) for t in df["en"]]
    codes = df["QuadClass"].astype(int).to_numpy()
    return inputs, (codes if raw else np.array([QUAD_LABEL[c] for c in codes], dtype=np.int64))


def occurrences(text: str, mentions: Iterable[str]) -> tuple[tuple[int, int], ...]:
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
            inputs.append(ToneInput(text, occurrences(text, row.get("target_mentions") or []),
                                    occurrences(text, row.get("source_mentions") or [])))
            labels.append(label)
    if skipped:
        log.warning("%s: skipped %d unreadable or unlabelled lines", path, skipped)
    return inputs, np.array(labels, dtype=np.int64)


def load_voa_tone(data_dir: str | os.PathLike, gold_dir: str | os.PathLike, part: str = "dev"):
    """The project's tone labels of gold VOA dyads (``benchmarks/gold``): one row per (sentence,
    source, target), labelled by AI annotator sessions that never saw the model
    (see ``benchmarks/gold/README.md``). The text is read from the VOA
    stories in ``data_dir``; the target's mentions in the sentence are marked (gazetteer, on the
    story's date) and so are the source's.

    Returns ``(inputs, labels, scores)``; ``scores`` are the annotators' -2..2 ratings.
    """
    import datetime as dt

    from tracker.extract import Gazetteer

    gold = load_gold(data_dir, gold_dir, part, VOA_TONE)
    gaz = Gazetteer.default()
    inputs, labels, scores = [], [], []
    for r in gold.rows:
        art = gold.articles[r["article_id"]]
        mentions = gaz.find_mentions(r["text"], dt.date.fromisoformat(art.published)
                                     if art.published else None)
        marks = {iso: tuple((m.start, m.end) for m in mentions if m.iso3 == iso)
                 for iso in (r["target"], r["source"])}
        inputs.append(ToneInput(r["text"], marks[r["target"]], marks[r["source"]]))
        labels.append(LABELS.index(r["label"]))
        scores.append(int(r["score"]))
    return inputs, np.array(labels, dtype=np.int64), np.array(scores)


# ---------------------------------------------------------------------------------------------
# Training


# Evaluation


def plover_inputs(data_dir: Path):
    """PLOVER GSR sentences with SRC/TAR spans recovered from the inline markup."""
    cooperative = {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT"}
    conflictual = {"DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE",
                   "SANCTION", "COERCE", "ASSAULT", "FIGHT"}
    records = json.loads(require(data_dir / "plover_gsr" / "PLOVER_GSR_CAMEO.json",
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
UNSCON_ALIASES = {
    "russian_federation": ["Russian Federation", "Russia", "Moscow", "Kremlin"],
    "ukraine": ["Ukraine", "Kyiv", "Kiev"],
    "united_states_of_america": ["United States", "America", "Washington"],
    "egypt": ["Egypt", "Cairo"],
}


def unscon_inputs(data_dir: Path, with_speakers: bool = False):
    """UNSCon's sentences with their target (and the speaker, where named) marked, and 1 for
    a negative evaluation; with ``with_speakers``, also each speaking country's name."""
    import pandas as pd

    df = pd.read_csv(require(data_dir / "unscon" / "conflict_annotations_sentences.csv",
                              "UNSCon file"))
    inputs, y, speakers = [], [], []
    for text, a0, a4, country in zip(df["sentence_text"], df["A0"], df["A4"], df["country"]):
        text = " ".join(str(text).split())
        target = occurrences(text, UNSCON_ALIASES.get(str(a4), []))
        speaker = str(country).replace("_", " ").split(" (")[0]
        source = occurrences(text, [speaker, speaker.title()])
        inputs.append(ToneInput(text, target, source))
        y.append(int(str(a0) != "_"))
        speakers.append(speaker.title())
    return (inputs, np.array(y), speakers) if with_speakers else (inputs, np.array(y))


def cameo_inputs(data_dir: Path):
    import pandas as pd

    df = pd.read_csv(require(data_dir / "cameo_goldstein" /
                              "icews_cameo_codes_with_goldstein_and_examples.csv",
                              "CAMEO file"), encoding="cp1252", dtype={"code": str})
    df = df[df["example"].notna()]
    return [ToneInput(" ".join(str(t).split())) for t in df["example"]], \
        df["goldstein"].astype(float).to_numpy()


# ---------------------------------------------------------------------------------------------
# The tone model's training data

CORPUS_HOLDOUT = 0.1


def split_corpus(inputs, labels, frac: float = CORPUS_HOLDOUT, random_state: int = 0):
    """Hold out ``frac`` of the distinct corpus texts (all rows of a text on one side).

    Returns ``(train_index, heldout_index)`` arrays.
    """
    import random

    texts = sorted({i.text for i in inputs})
    random.Random(random_state).shuffle(texts)
    held = set(texts[:max(1, round(frac * len(texts)))]) if texts else set()
    ho = np.array([i.text in held for i in inputs], dtype=bool)
    return np.flatnonzero(~ho), np.flatnonzero(ho)


def training_data(data_dir: Path, corpus, random_state: int):
    """Files, (inputs, labels) per set, and the corpus split; train-allowed + dev files only."""
    files = {
        "newsmtsc_train": data_dir / "newsmtsc" / "train.jsonl",
        "quadclass_train": data_dir / "un_quadclass" / "split" / "quad_train.tsv",
        "newsmtsc_rw_dev": data_dir / "newsmtsc" / "splits_eval" / "rw_dev.jsonl",
        "newsmtsc_mt_dev": data_dir / "newsmtsc" / "splits_eval" / "mt_dev.jsonl",
    }
    sets = {
        "newsmtsc_train": load_newsmtsc(files["newsmtsc_train"]),
        "quadclass_train": load_quadclass(files["quadclass_train"]),
        "newsmtsc_rw_dev": load_newsmtsc(files["newsmtsc_rw_dev"]),
        "newsmtsc_mt_dev": load_newsmtsc(files["newsmtsc_mt_dev"]),
    }
    if corpus is not None and Path(corpus).is_file() and len(load_corpus(corpus)[0]):
        files["corpus"] = Path(corpus)
        sets["corpus"] = load_corpus(corpus)
    else:
        log.warning("corpus %s not found or empty: training without the project's statements",
                    corpus)
    split = split_corpus(*sets["corpus"], random_state=random_state) if "corpus" in sets \
        else (np.zeros(0, int), np.zeros(0, int))
    return files, sets, split


def subset(pair, idx):
    inputs, y = pair
    return [inputs[i] for i in idx], y[idx]
