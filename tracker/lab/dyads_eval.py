"""Scoring a reader of directed pairs on the labelled corpus (``corpus/dyads``).

A reader maps an :class:`~tracker.lab.corpus.Item` to its predicted pairs with a sign (-1, 0,
+1). The measures, per source and over all items: directed-pair precision, recall and F1;
sign accuracy on the pairs found (right pair, right sign / right pairs); and pair-and-sign
accuracy (right pair with the right sign / gold pairs), the share of the annotators' pairs a
reader gets entirely right.

:func:`rules_reader` is the tracker's reader before a learned one: the rule extractor decides
the pairs, the tone model their sign.
"""
from __future__ import annotations

import collections
from typing import Callable, Iterable

from tracker.lab.corpus import Item

Prediction = dict[tuple[str, str], int]
_SIGN = {"hostile": -1, "neutral": 0, "cooperative": 1}


def rules_reader(items: Iterable[Item], extractor=None, model=None) -> list[Prediction]:
    """Predictions of the rule extractor and the tone model, one dict per item.

    The extractor reads the item's context and text together (as it reads an article, so that
    "he" and "the ministry" resolve), in speech mode when the item has a speaker; only the
    statements of the text's own sentences count. Each statement is scored as the pipeline
    scores it (its clause, the target's spans marked) and its sign is its label's.
    """
    from tracker.extract import Extractor
    from tracker.tone import ToneModel

    extractor = extractor or Extractor()
    model = model or ToneModel.load()
    found, inputs = [], []
    for item in items:
        prefix = item.context + "\n\n" if item.context else ""
        full = prefix + item.text
        statements = [s for s in extractor.extract(item.id, full, item.published or None,
                                                   speaker=item.speaker)
                      if s.sentence_start >= len(prefix)]
        keep = {}
        for s in statements:
            key = (s.source, s.target)
            if key in keep:
                continue
            keep[key] = len(inputs)
            inputs.append(tone_input(full, s))
        found.append(keep)
    results = model.predict(inputs, batch_size=64) if inputs else []
    return [{key: _SIGN[results[k].label] for key, k in keep.items()} for keep in found]


def tone_input(text: str, statement):
    """What the tone model reads of a statement of ``text``, as the pipeline scores it: its
    clause, with the target's and the source's spans inside it marked."""
    from tracker.store import clause_relative
    from tracker.tone import ToneInput

    a, b = statement.clause_start, statement.clause_end
    return ToneInput(text[a:b], clause_relative(statement.target_spans, a, b),
                     clause_relative(statement.source_spans, a, b))


def score(items: list[Item], predictions: list[Prediction]) -> dict[str, dict]:
    """Per source and ``"all"``: gold and predicted pair counts, P, R, F1, sign accuracy on
    found pairs and pair-and-sign accuracy."""
    counts = collections.defaultdict(collections.Counter)
    for item, pred in zip(items, predictions, strict=True):
        gold = {(p.source, p.target): p.sign for p in item.pairs}
        for group in (item.source, "all"):
            c = counts[group]
            c["items"] += 1
            c["gold"] += len(gold)
            c["predicted"] += len(pred)
            hits = gold.keys() & pred.keys()
            c["found"] += len(hits)
            c["found_sign"] += sum(gold[k] == pred[k] for k in hits)
    out = {}
    for group, c in counts.items():
        p = c["found"] / c["predicted"] if c["predicted"] else 0.0
        r = c["found"] / c["gold"] if c["gold"] else 0.0
        out[group] = {
            "items": c["items"], "gold_pairs": c["gold"], "predicted_pairs": c["predicted"],
            "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
            "sign_accuracy_found": round(c["found_sign"] / c["found"], 4) if c["found"] else 0.0,
            "pair_and_sign_accuracy": round(c["found_sign"] / c["gold"], 4) if c["gold"] else 0.0,
        }
    return dict(sorted(out.items()))


def evaluate(items: list[Item], reader: Callable[[list[Item]], list[Prediction]] = rules_reader
             ) -> dict[str, dict]:
    """:func:`score` of ``reader`` on ``items``."""
    items = list(items)
    return score(items, reader(items))


def voa_tone_given_pairs(data_dir, gold_dir, reader, part: str = "test") -> dict:
    """Tone of given pairs: the project's VOA tone labels (``benchmarks/gold/voa_tone.jsonl``)
    read by ``reader`` through the same path as its candidates (the story read sentence by
    sentence, the row's pair looked up among the sentence's candidates; a pair that is not a
    candidate counts as wrong). Returns macro-F1 over hostile / neutral / cooperative and the
    share of rows whose pair was a candidate."""
    import numpy as np

    from tracker.extract import Extractor
    from tracker.lab.gold import VOA_TONE, load_gold
    from tracker.lab.metrics import macro_f1
    from tracker.reader.model import article_pairs, inputs_of

    gold = load_gold(data_dir, gold_dir, part, VOA_TONE)
    extractor = Extractor()
    found, flat = {}, []
    for article_id in dict.fromkeys(r["article_id"] for r in gold.rows):
        art = gold.articles[article_id]
        _, _, pairs = article_pairs(art.id, art.text, art.published, None, extractor)
        for sent, unit, c in pairs:
            found[(art.id, sent.index, c.source, c.target)] = len(flat)
            flat.append((unit, c))
    proba = reader.proba(inputs_of(flat, extractor.gaz)) if flat else np.zeros((0, 4))
    labels = ("hostile", "neutral", "cooperative")
    y, pred, hit = [], [], 0
    for r in gold.rows:
        y.append(labels.index(r["label"]))
        k = found.get((r["article_id"], r["sentence_index"], r["source"], r["target"]))
        if k is None:
            pred.append(-1)
            continue
        hit += 1
        pred.append(int(proba[k][1:].argmax()))
    return {"rows": len(y), "pairs_among_candidates": hit,
            "macro_f1": round(macro_f1(np.array(y), np.array(pred)), 4)}
