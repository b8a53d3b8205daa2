"""The workbench's command line (``python -m tracker.lab`` or ``tracker-lab``): train and evaluate
the tone model, rewrite its card, build the statements corpus.

Run it from the repository root: the default paths (``../shared/data``, ``benchmarks/gold``,
``corpus/``, ``models/``) are relative to the current folder, and every one is an option.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Optional

import typer

from tracker.cli import friendly

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="The workbench: train and evaluate models, build the corpus.")

DATA = typer.Option(Path("../shared/data"), "--data-dir",
                    help="The shared data folder (train-allowed and evaluation-only sets).")
GOLD = typer.Option(Path("benchmarks/gold"), "--gold-dir",
                    help="The project's gold folder (VOA dyads and tone labels).")
CORPUS = typer.Option(Path("corpus/statements.jsonl"), "--corpus",
                      help="The project's statements corpus used in training.")
MODEL = typer.Option(Path("models/tone-minilm"), "--model", help="Model folder.")


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")


@app.command()
@friendly
def train(out: Path = MODEL, data_dir: Path = DATA, gold_dir: Path = GOLD,
          corpus: Path = CORPUS, seed: int = typer.Option(0, "--seed"),
          epochs: Optional[int] = typer.Option(None, "--epochs",
                                               help="Override the recipe's epochs.")) -> None:
    """Train the tone model from scratch on the train-allowed data, evaluate it, write its card."""
    from tracker.lab.train import train as train_model

    _logging()
    info = train_model(out, data_dir=data_dir, corpus=corpus, gold_dir=gold_dir,
                       random_state=seed, epochs=epochs)
    typer.echo(json.dumps({k: info["metrics"][k] for k in ("epochs", "selected_epoch",
                                                            "seconds", "calibration")},
                          indent=2, default=float))


@app.command()
@friendly
def evaluate(model: Path = MODEL, data_dir: Path = DATA, gold_dir: Path = GOLD,
             corpus: Path = CORPUS) -> None:
    """The tone model and its baselines on the evaluation-only sets, measured in one run."""
    import pandas as pd

    from tracker.lab.evaluate import evaluate as evaluate_model

    table = evaluate_model(model, data_dir=data_dir, gold_dir=gold_dir, corpus=corpus)
    with pd.option_context("display.width", 160, "display.max_colwidth", 60):
        typer.echo(table.to_string())


@app.command()
@friendly
def card(model: Path = MODEL,
         measure: bool = typer.Option(False, "--measure",
                                      help="Evaluate again first and store the new figures."),
         data_dir: Path = DATA, gold_dir: Path = GOLD, corpus: Path = CORPUS) -> None:
    """Rewrite a model's card from its config, recipe and measurements."""
    from tracker.lab.card import write_card

    if measure:
        from tracker.lab.evaluate import evaluate as evaluate_model
        from tracker.lab.train import read_json, write_json
        from tracker.tone.model import METRICS_FILE

        table, info = evaluate_model(model, data_dir=data_dir, gold_dir=gold_dir,
                                     corpus=corpus, with_info=True)
        metrics = read_json(model / METRICS_FILE)
        metrics.update(baseline=info, evaluation=table.reset_index().to_dict("records"))
        write_json(model / METRICS_FILE, metrics)
    typer.echo(str(write_card(model)))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
