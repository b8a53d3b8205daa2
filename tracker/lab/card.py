"""The model card: ``README.md`` of a model folder, written from its ``config.json`` (what
predicting needs), ``recipe.json`` (how it was made) and ``metrics.json`` (how it scored)."""
from __future__ import annotations

import os
from pathlib import Path

from tracker.lab.files import read_json
from tracker.tone.model import ADAPTER_FILE, CONFIG_FILE, METRICS_FILE, RECIPE_FILE


def card_inputs(out_dir: str | os.PathLike):
    """The three files of a model folder merged into the card's view, and the evaluation table."""
    import pandas as pd

    out_dir = Path(out_dir)
    config, made = read_json(out_dir / CONFIG_FILE), read_json(out_dir / RECIPE_FILE)
    metrics = read_json(out_dir / METRICS_FILE)
    view = {**made, **metrics, **config, "recipe": {**made["recipe"], **config["network"]}}
    table = pd.DataFrame(metrics.get("evaluation", []))
    if len(table):
        table = table.set_index(["dataset", "metric"])[["model", "baseline", "vader", "n"]]
    return view, table


def write_card(out_dir: str | os.PathLike) -> Path:
    """Write the model card ``README.md`` into the model folder ``out_dir``."""
    out_dir = Path(out_dir)
    config, table = card_inputs(out_dir)
    check = (" + `check.jsonl` (statements of the corpus's train part on which `tracker prepare`"
             " checks each engine against torch float32)" if (out_dir / "check.jsonl").is_file()
             else "")
    data_rows = "\n".join(
        f"| `{d['path']}` | {d['use']} | {d['rows']:,} | "
        + ", ".join(f"{k} {v:,}" for k, v in d["classes"].items())
        + f" | `{d['sha256']}` |"
        for d in config["data"].values())
    tab = table.copy()
    for col in ("model", "baseline", "vader"):
        tab[col] = tab[col].map(lambda v: "n/a" if v != v else f"{v:.3f}")
    tab["n"] = tab["n"].map(lambda v: f"{int(v):,}")
    lines = ["| dataset | metric | **tone-minilm (LoRA fine-tuned)** | baseline: base encoder + "
             "LR head, no fine-tuning | VADER | n |", "|---|---|---|---|---|---|"]
    for (ds, metric), r in tab.iterrows():
        lines.append(f"| {ds} | {metric} | **{r['model']}** | {r['baseline']} | {r['vader']} "
                     f"| {r['n']} |")
    dev_names = [k for k in ("rw_dev", "mt_dev", "corpus_heldout") if k in config["epochs"][0]]
    ep_lines = ["| epoch | train loss | " + " | ".join(dev_names) + " | mean | train s |",
                "|---|---|" + "---|" * len(dev_names) + "---|---|"]
    for e in config["epochs"]:
        mark = "**" if e["epoch"] == config["selected_epoch"] else ""
        ep_lines.append(f"| {mark}{e['epoch']}{mark} | {e['train_loss']:.3f} | "
                        + " | ".join(f"{e[n]:.3f}" for n in dev_names)
                        + f" | {mark}{e['mean_dev']:.3f}{mark} | {e['train_seconds']:.0f} |")
    r = config["recipe"]
    cal = config["calibration"]
    base = config.get("baseline", {})
    sec = config["seconds"]
    worse = [f"{ds} ({metric}: {row['model']:.3f} vs {row['baseline']:.3f})"
             for (ds, metric), row in table.iterrows()
             if not metric.startswith("ECE") and row["model"] < row["baseline"]]
    worse_text = ("- Rows where the no-fine-tuning baseline scores higher: " + "; ".join(worse)
                  + "." if worse else "- The fine-tuned model scores at least as well as the "
                  "baseline on every row except possibly ECE.")
    adapter_kb = (out_dir / ADAPTER_FILE).stat().st_size / 1024
    notes = "".join(f"- {n}\n" for n in config.get("notes", []))
    card = f"""# tone-minilm: tone of a statement toward its target country

Tone model of `tracker` (score stage). Input: a sentence with the character spans of the target's
mentions. Output: P(hostile), P(neutral), P(cooperative); `tone = P(cooperative) - P(hostile)` in
[-1, 1]; `confidence` = calibrated probability of the label.

- **Base encoder** (not included): {config['encoder']['name']}, weights sha256
  `{config['encoder']['weights_sha256']}` (checked on first use), max
  {config['encoder']['max_length']} tokens.
- **Fine-tuning**: LoRA r={r['lora_r']}, alpha={r['lora_alpha']:g}, dropout {r['lora_dropout']}
  on {', '.join(r['lora_targets'])} of all 6 layers, plus the token-type embedding (trainable).
  Target marking: {r['target_marking']}. Head: {r['head']} (dropout {r['head_dropout']}).
  AdamW lr {r['lr']:g} (head {r['head_lr']:g}), weight decay {r['weight_decay']}, warmup
  {r['warmup']:.0%} + linear decay, gradient clip {r['clip']}, batch {r['batch_size']}
  ({r['batching']}), bf16 autocast, {r['epochs']} epochs x {sum(config['rows_per_epoch'].values()):,}
  rows (per epoch: {', '.join(f"{k} {v:,}" for k, v in config['rows_per_epoch'].items())};
  fresh draws each epoch), seed {config['random_state']}.
- **Files**: `adapter.safetensors` ({adapter_kb:.0f} KiB, fp16: LoRA A/B, token-type
  embedding, head; LoRA is merged into the base weights on load) + `config.json` (what
  predicting needs) + `recipe.json` (how it was made) + `metrics.json` (how it scored){check}
  + this card, written from those three. No pickle.
- **Made by**: `{config['code']}`, code version `{config['code_version']}`,
  trained {config['trained_at']}. **Time to train**: {sec['finetune'] / 60:.1f} min fine-tuning
  + {sec['calibrate']:.0f} s calibration ({sec['total_train'] / 60:.1f} min in all) on
  {config['speed']['threads']} CPU threads (shared machine){'; evaluation ' + f"{sec['evaluate'] / 60:.1f} min" if 'evaluate' in sec else ''}.

## Training data

| file | use | rows | classes | sha256 |
|---|---|---|---|---|
{data_rows}

Corpus: {config['data'].get('corpus', {}).get('train_rows', 0):,} rows (90% of its sentences)
train, {config['data'].get('corpus', {}).get('heldout_rows', 0):,} rows held out for epoch
selection. Label mapping: NewsMTSC polarity 2/4/6 -> hostile/neutral/cooperative (one row per
target, spans = the target mention and its `further_mentions`); UN QuadClass 1-2 (verbal/material
conflict) -> hostile, 3-4 -> cooperative, 0 -> neutral, no spans; corpus: its `label`, spans =
every occurrence of `target_mentions`. Licences: NewsMTSC (Hamborg & Donnay 2021) MIT; UN
QuadClass (Osorio et al. 2024) MIT.

## Epochs (macro-F1 on dev data and the corpus hold-out; the kept epoch in bold)

{chr(10).join(ep_lines)}

## Evaluation (held-out sets, evaluation only; all columns measured in the same run)

{chr(10).join(lines)}

- *baseline*: the same encoder frozen, logistic regression (C = {base.get('C')}, sample weights
  QuadClass {base.get('quad_weight')}, corpus {base.get('corpus_weight')}) on the target-aware
  features {', '.join(base.get('features', []))}, trained in the evaluation run on the same
  training rows ({base.get('training_rows', 0):,}), temperature-scaled on NewsMTSC dev
  (T = {base.get('temperature', float('nan')):.3f}); dev macro-F1 rw
  {base.get('dev_macro_f1', {}).get('rw_dev', float('nan')):.3f} / mt
  {base.get('dev_macro_f1', {}).get('mt_dev', float('nan')):.3f}. This was the shipped model
  before fine-tuning.
- *VADER*: compound score as tone; label by thresholds ±0.05.
{notes}- NewsMTSC: one row per target; published RoBERTa GRU-TSC scores 83.1 / 82.5 macro-F1 (rw/mt).
- UN QuadClass: sign of tone vs conflict (1-2) / cooperation (3-4) on relevant sentences; tone 0
  counts as wrong.
- CAMEO: the 277 CAMEO-manual example sentences (no target marked), Spearman of tone vs the
  code's Goldstein value.
- UNSCon: all sentences; positive = a negative-evaluation label (Direct/Indirect); target spans
  = mentions of the annotated target country (Russia, Ukraine, USA, Egypt).
- PLOVER GSR: sign of tone vs event class (cooperative: AGREE, CONSULT, SUPPORT, CONCEDE,
  COOPERATE, AID, RETREAT; conflictual: DEMAND, DISAPPROVE, REJECT, THREATEN, PROTEST, MOBILIZE,
  SANCTION, COERCE, ASSAULT, FIGHT; INVESTIGATE left out); TAR spans from the markup.
  Licences of the evaluation sets: UNSCon and PLOVER GSR CC BY-SA (only scores are reported here).

## Calibration

Temperature scaling of the shipped (fp16, merged) artefact's logits on NewsMTSC rw_dev + mt_dev:
T = {cal['temperature']:.3f}. ECE (15 bins) before -> after: rw_dev
{cal['ece_dev_before']['rw_dev']:.3f} -> {cal['ece_dev_after']['rw_dev']:.3f}, mt_dev
{cal['ece_dev_before']['mt_dev']:.3f} -> {cal['ece_dev_after']['mt_dev']:.3f}. Test ECE: see the
table. Dev macro-F1 of the shipped artefact: rw {cal['macro_f1_shipped_artefact']['rw_dev']:.3f},
mt {cal['macro_f1_shipped_artefact']['mt_dev']:.3f}.

## Speed

Batched (batch 64, sorted by length, bf16 autocast, {config['speed']['threads']} CPU threads of a
shared machine): {config['speed']['dev_statements_per_s_batched']:.0f} statements/s on the NewsMTSC
dev sentences when calibrating{config['speed'].get('note', '')}{', ' + f"{base['model_eval_statements_per_s']:.0f} statements/s over all evaluation sets (same run as the table)" if 'model_eval_statements_per_s' in base else ''}.
One at a time vs batched: `python benchmarks/bench_score.py`{config['speed'].get('bench', '')}.
Inference costs the same as the plain MiniLM encoder (LoRA merged).
{config['speed'].get('engines', '')}

{_experiments_text(config)}## Limits

- Country-to-country statements in the training data are the project's own corpus only
  (largely template-generated, so its hold-out score above is optimistic for real news);
  NewsMTSC targets are mostly persons in US political news; QuadClass sentences are UN
  documents without actor annotation. Expect lower accuracy on other registers.
- Only the target is marked; the source is not an input of the fine-tuned model. Tone is how
  the sentence portrays the relation with the target, not a measure of its truth.
- The epoch and temperature were chosen on NewsMTSC dev and the corpus hold-out; the small dev
  sets (343 / 442 rows) make differences of ~0.02 macro-F1 between epochs noise-level.
{worse_text}
- English only; sentences over {config['encoder']['max_length']} tokens are truncated.
"""
    (out_dir / "README.md").write_text(card)
    return out_dir / "README.md"


def _experiments_text(config: dict) -> str:
    """The card section on recipes that were trained, measured and not shipped."""
    runs = config.get("experiments") or []
    if not runs:
        return ""
    sets = list(dict.fromkeys(k for r in runs for k in r["scores"]))
    lines = ["## Recipes tried and not shipped", "", config.get("experiments_note", ""), "",
             "| recipe | " + " | ".join(sets) + " |", "|---|" + "---|" * len(sets)]
    for r in runs:
        lines.append(f"| {r['recipe']} | " + " | ".join(
            f"{r['scores'][k]:.3f}" if k in r["scores"] else "" for k in sets) + " |")
    return "\n".join(lines) + "\n\n"
