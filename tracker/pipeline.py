"""The pipeline: calls the stages in order, incrementally, through the store.

ingest -> extract -> score -> index -> report. Each step does only the work not yet in the
database: known articles (same content hash) are skipped, an article is extracted once per
extractor version, a statement is scored once per tone model (and identical clauses once per
model, through a cache keyed by content hash). Index and reports are recomputed from the store.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import TrackerError, check_interrupted
from tracker.tone import ToneModel

DEFAULT_DB = "tracker.db"
DEFAULT_OUT = "out"


@dataclass
class RunSummary:
    """What one ``run`` did, with the seconds each step took."""

    articles_added: int = 0
    articles_known: int = 0
    articles_extracted: int = 0
    statements_added: int = 0
    statements_scored: int = 0
    scores_from_cache: int = 0
    reports: list[Path] = field(default_factory=list)
    reports_kept: int = 0
    engine: str | None = None
    score_engine: str | None = None
    failed: list[str] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    fetch: object = None  # the FetchReport when URLs or sources were fetched

    def lines(self) -> list[str]:
        s = self.seconds
        return (self.fetch.lines() if self.fetch is not None else []) + [
            f"ingest:  {self.articles_added} new articles, {self.articles_known} already stored"
            + (f", {len(self.failed)} files refused (see above)" if self.failed else "")
            + (f", {len(self.skipped)} skipped as not articles ("
               + ", ".join(sorted({p.name for p in self.skipped})[:4]) + ")"
               if self.skipped else "")
            + f" ({s.get('ingest', 0):.1f}s)",
            f"extract: {self.articles_extracted} articles, {self.statements_added} statements"
            + (f", read by the {self.engine} engine" if self.engine else "")
            + f" ({s.get('extract', 0):.1f}s)",
            f"score:   {self.statements_scored} statements scored, {self.scores_from_cache} from"
            " cache" + (f", by the {self.score_engine} engine" if self.score_engine else "")
            + f" ({s.get('score', 0):.1f}s)",
            f"report:  {len(self.reports)} files, {self.reports_kept} of them unchanged and kept"
            f" ({s.get('report', 0):.1f}s)",
        ]


@contextlib.contextmanager
def one_writer(db: str | Path):
    """Hold the database's run lock (``<db>.lock``) for the whole run, from before the file is
    opened (or made): a second run on the same database waits, says so, and then finds the
    first one's work done (reads need no lock)."""
    if str(db) == ":memory:":
        yield
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking only
        yield
        return
    lock_path = Path(f"{db}.lock")
    made = not lock_path.exists()
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(lock_path, "a+")
    except OSError as exc:
        raise TrackerError(f"--db {db}: cannot create its lock file {lock_path} "
                           f"({exc.strerror}); check the folder's permissions.") from None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another run on {db} to finish ...", file=sys.stderr,
                  flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        except TrackerError:
            if made and (not Path(db).exists() or _refused(db)):
                lock_path.unlink(missing_ok=True)  # leave nothing beside a file we refused
            raise
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _refused(db: str | Path) -> bool:
    """Whether ``db`` is a file the store refuses (not the tracker's): nothing of ours belongs
    beside it."""
    from tracker.store import _check_foreign

    try:
        _check_foreign(Path(db))
    except TrackerError:
        return True
    return False


def open_store(db: str | Path, readonly: bool = False):
    from tracker.store import Store

    return Store(db, readonly=readonly)


def ingest(store, paths: Iterable[str | Path], date: str | None = None,
           failed: list[str] | None = None, skipped: list | None = None) -> tuple[int, int]:
    """Read ``paths`` and store new articles; return ``(added, already_stored)``.

    Each file is stored whole or not at all. With ``failed``, a file that cannot be read is
    reported there (one line naming it, its line and the fix) and the others are still
    stored; without it, the first bad file raises. Files about the data in a folder (README,
    SOURCE.md, LICENSE ...) are not read; ``skipped`` receives them.
    """
    from tracker.ingest import read_articles
    from tracker.ingest.readers import collect_files

    added = known = 0
    read_articles([], date=date)  # a bad --date fails before any file is read
    for path in collect_files(list(paths), skipped=skipped):
        check_interrupted()
        try:
            a, k = store.add_articles(read_articles([path], date=date), atomic=True)
        except TrackerError as exc:
            if failed is None:
                raise
            failed.append(str(exc))
            continue
        added, known = added + a, known + k
    return added, known


def default_workers() -> int:
    """Extraction processes: ``TRACKER_WORKERS`` if set, else the CPU count."""
    raw = os.environ.get("TRACKER_WORKERS", "").strip()
    if not raw:
        return os.cpu_count() or 1
    if not raw.isdigit() or int(raw) < 1:
        raise TrackerError(f"TRACKER_WORKERS={raw!r} is not a positive whole number; set it to "
                           "the number of extraction processes (e.g. 2) or unset it.")
    return int(raw)


#: Below this many articles extraction stays in one process (starting workers costs more).
PARALLEL_FROM = 200


def extract(store, extractor=None, workers: int | None = None,
            progress=None) -> tuple[int, int]:
    """Extract statements from articles not yet extracted; return ``(articles, statements)``.

    ``workers``: processes to spread the articles over; default ``TRACKER_WORKERS`` or the CPU
    count when at least :data:`PARALLEL_FROM` articles wait, else 1. Each article is stored in
    its own transaction as it comes back.
    """
    from tracker.extract import Extractor

    extractor = extractor or Extractor()
    version = extractor.version
    total = store.n_articles_to_extract(version)
    if workers is None:
        workers = default_workers() if total >= PARALLEL_FROM else 1
    getattr(extractor, "plan", lambda _: None)(total)  # the reader sizes its engine to the job
    n_articles = n_statements = 0
    # Articles stream from the store in batches; results are stored as they come back.
    todo = store.articles_to_extract(version)
    for article_id, result in extractor.analyse_many(todo, workers=workers):
        store.save_statements(article_id, version, result.statements, result.n_sentences,
                              result.n_sentences_with_country, result.tones,
                              getattr(extractor, "model_id", None))
        n_articles += 1
        n_statements += len(result.statements)
        if progress is not None:
            progress("extract", n_articles, total)
        check_interrupted()
    store.set_meta("extractor", version)
    return n_articles, n_statements


def score(store, model=None, batch_size: int = 64, chunk: int = 2048,
          progress=None) -> tuple[int, int]:
    """Score the statements without a tone from ``model``; return ``(scored, from_cache)``.

    Works in chunks, each stored in one transaction: an interrupted run keeps what it scored.
    """
    from tracker.tone import ToneInput
    from tracker.tone.model import cache_key

    model = model or ToneModel.load()
    model_id = model.identity
    extractor = store.get_meta("extractor")
    if extractor is None:
        return 0, 0
    scored = cached = 0
    for part in store.statements_to_score(extractor, model_id, batch=chunk):
        keys = [cache_key(model_id, r["text"], r["target_spans"], r["source_spans"])
                for r in part]
        hits = store.cached_tones(keys)
        missing = [j for j, k in enumerate(keys) if k not in hits]
        # Identical clauses (syndicated copies) are scored once.
        unique = {keys[j]: j for j in missing}
        inputs = [ToneInput(part[j]["text"], part[j]["target_spans"], part[j]["source_spans"])
                  for j in unique.values()]
        if inputs and getattr(model, "engine_used", 0) is None:  # chosen once, for the job
            model.plan(store.n_statements_to_score(extractor, model_id))
        results = model.predict(inputs, batch_size=batch_size)
        fresh = {k: (r.tone, r.label, r.confidence) for k, r in zip(unique, results)}
        rows = []
        for r, k in zip(part, keys):
            tone, label, conf = hits.get(k) or fresh[k]
            rows.append((r["statement_id"], k, tone, label, conf))
        store.save_scores(model_id, rows)
        scored += len(part)
        cached += len(part) - len(unique)
        if progress is not None:
            progress("score", scored, None)
        check_interrupted()
    store.set_meta("tone_model", model_id)
    return scored, cached


#: What an index is built from: the statements read in text, coded events, or both.
BASES = ("text", "events", "both")


def statements_for(store, basis: str = "text"):
    """The statements DataFrame of ``basis``: text statements, coded events (as statements,
    negative ids) or both together."""
    from tracker.errors import invalid_choice

    if basis not in BASES:
        raise invalid_choice("--from", basis, BASES)
    if basis == "text":
        return store.statements_frame()
    events = store.events_frame()
    if events.empty:
        raise TrackerError(f"--db {store.path}: holds no coded events; import them with "
                           "`tracker events FILE --format gdelt|icews|plover`.")
    if basis == "events":
        return events
    import pandas as pd

    text = store.statements_frame()
    return pd.concat([text, events[[c for c in text.columns if c in events.columns]]],
                     ignore_index=True) if not text.empty else events


def build_index(store, period: str = "W", directed: bool = False, frame=None,
                basis: str = "text", **params):
    """Fit a :class:`~tracker.index.RelationshipIndex` on the stored statements.

    ``frame`` is the statements DataFrame if the caller already read it from ``store``;
    ``basis`` what to read otherwise (:data:`BASES`).
    Returns the fitted estimator; its ``results_`` is the Index DataFrame.
    """
    from tracker.index import RelationshipIndex
    from tracker.periods import check_period

    check_period(period)
    frame = statements_for(store, basis) if frame is None else frame
    if frame.empty:
        raise TrackerError(f"--db {store.path}: no scored statements yet; run `tracker run "
                           "PATH` first.")
    return RelationshipIndex(period=period, directed=directed, **params).fit(frame)


def write_reports(store, out_dir: str | Path, weeks: Sequence[str] | None = None,
                  force: bool = False, min_statements: int | None = None
                  ) -> tuple[list[Path], int]:
    """Write the weekly HTML and Markdown reports; return ``(files, files kept)``.

    A week's files are rewritten only when what its report shows changed (or ``force``); when
    nothing in the store changed since the last run, nothing is computed at all.
    """
    out = Path(out_dir)
    frame = store.statements_frame()
    if frame.empty:
        return [], 0
    state = hashlib.sha256(json.dumps([
        store.get_meta("extractor"), store.get_meta("tone_model"), list(weeks or []),
        min_statements,
        frame[["statement_id", "tone"]].round(6).values.tolist()]).encode()).hexdigest()
    manifest = out / ".tracker-reports.json"
    old = {} if force else _read_manifest(manifest)
    hashes = old.get("hashes") or {}
    intact = {name for name, digest in hashes.items() if _file_hash(out / name) == digest}
    files = [out / f for f in old.get("files", [])]
    if old.get("state") == state and files and all(f.name in intact for f in files):
        return files, len(files)
    from tracker.atomic import write_atomic
    from tracker.report import write_changed

    undirected = build_index(store, "W", frame=frame).results_
    directed = build_index(store, "W", directed=True, frame=frame).results_
    # A week counts as written only if its files are still what the manifest recorded.
    kept = {week: fp for week, fp in (old.get("weeks") or {}).items()
            if all(f"report-{week}.{ext}" in intact for ext in ("html", "md", "png"))}
    about = {"model": store.get_meta("tone_model"), "extractor": store.get_meta("extractor")}
    files, prints, n_kept = write_changed(undirected, frame, store.articles_frame(), out,
                                          weeks=weeks, directed_df=directed, kept=kept,
                                          about=about, min_statements=min_statements)
    names = [str(Path(f).relative_to(out)) for f in files]
    write_atomic(manifest, json.dumps({
        "state": state, "files": names, "weeks": prints,
        "hashes": {n: _file_hash(out / n) for n in names}}).encode("utf-8"))
    return [Path(f) for f in files], n_kept


def _file_hash(path: Path) -> str | None:
    from tracker.tone.encoder import sha256_file

    with contextlib.suppress(OSError):
        return sha256_file(path)


def _check_writable(out: Path) -> None:
    """Fail before any database work when the reports cannot be written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".tracker-probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise TrackerError(f"--out {out}: cannot write reports there ({exc.strerror}); pass a "
                           "writable folder with --out.") from None


def _read_manifest(path: Path) -> dict:
    """The last run's record of its reports; an unreadable one (a full disk, a killed write)
    counts as none, so every report is checked again."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def make_extractor(actors: Sequence[str | Path] = (), include_nonstate: bool = False,
                   model: str = "rules", engine: str | None = None):
    """The extract stage over the packaged actors plus user files: the rule
    :class:`~tracker.extract.Extractor` (``model="rules"``; the tone model scores its
    statements), or the learned reader that decides the statements and their tone from the
    rules' candidates (``"fast"``, ``"accurate"`` or a reader folder)."""
    from tracker.extract import Extractor, Gazetteer

    gazetteer = Gazetteer.with_user_files([Path(a) for a in actors]) if actors else None
    rules = Extractor(gazetteer, include_nonstate=include_nonstate)
    if model == "rules":
        return rules
    from tracker.reader.model import Reader, ReaderStage

    return ReaderStage(Reader.load(model, engine=engine), rules)


def fetch(store, sources, fetcher=None, refresh: bool = False, progress=None):
    """Fetch ``sources`` (a :class:`~tracker.fetch.sources.Sources`) into the store and read
    the new pages into articles; return the :class:`~tracker.fetch.collect.FetchReport`."""
    from tracker.fetch.collect import collect

    return collect(store, sources, fetcher=fetcher, refresh=refresh, progress=progress)


def split_inputs(paths: Sequence[str | Path]) -> tuple[list[str | Path], list[str]]:
    """Command-line inputs as ``(paths, urls)``."""
    from tracker.fetch.sources import is_url

    urls = [str(p) for p in paths if is_url(str(p))]
    return [p for p in paths if not is_url(str(p))], urls


def run(paths: Sequence[str | Path], db: str | Path = DEFAULT_DB,
        out: str | Path = DEFAULT_OUT, date: str | None = None, model=None,
        extractor=None, progress=None, sources=None, fetcher=None, refresh: bool = False,
        weeks: Sequence[str] | None = None, ray: dict | None = None) -> RunSummary:
    """Fetch, ingest ``paths``, extract, score, index and report.

    ``paths`` are files, folders and http(s) URLs (a feed or a page each); ``sources`` a
    :class:`~tracker.fetch.sources.Sources` to fetch as well; ``fetcher`` the
    :class:`~tracker.fetch.http.Fetcher` to use (made from the sources' settings otherwise).
    ``weeks``: write only these weeks' reports. ``ray``: extract and score on Ray
    (:func:`tracker.cluster.extract_and_score`; its keyword arguments, such as ``address``
    and ``workers``) instead of in this process.

    ``progress``, if given, is called as ``progress(stage, done, total)`` while the long stages
    run (``total`` None where unknown); the command line draws a bar from it.

    Examples
    --------
    >>> summary = run(["seeds/"], db="tracker.db", out="out")  # doctest: +SKIP
    >>> print("\\n".join(summary.lines()))  # doctest: +SKIP
    """
    summary = RunSummary()
    paths, urls = split_inputs(list(paths))
    if urls:
        from tracker.fetch.sources import Sources, from_urls

        extra = from_urls(urls, sources.settings if sources else None)
        sources = Sources(extra.settings, (sources.sources if sources else []) + extra.sources)
    if not paths and not sources:
        raise TrackerError("no input given; pass the files, folders or URLs to read.")
    _check_writable(Path(out))
    with one_writer(db), open_store(db) as store:
        if sources:
            summary.fetch = fetch(store, sources, fetcher, refresh, progress)
            summary.articles_added += summary.fetch.articles_added
        t = time.perf_counter()
        if not paths:
            added, summary.articles_known = 0, 0
        elif ray is not None:
            from tracker.cluster import ingest as ingest_on_ray

            added, summary.articles_known = ingest_on_ray(store, paths, date, summary.failed,
                                                          summary.skipped, **ray)
        else:
            added, summary.articles_known = ingest(store, paths, date, summary.failed,
                                                   summary.skipped)
        summary.articles_added += added
        if paths and summary.failed and not added + summary.articles_known:
            more = len(summary.failed) - 1
            raise TrackerError(summary.failed[0] + (f" ({more} more files refused too)"
                                                    if more else ""))
        summary.seconds["ingest"] = time.perf_counter() - t

        t = time.perf_counter()
        if ray is not None:
            from tracker.cluster import extract_and_score

            done = extract_and_score(store, extractor, model, progress=progress, **ray)
            summary.articles_extracted, summary.statements_added = done.articles, done.statements
            plural = "s" if done.workers > 1 else ""
            summary.engine = (f"Ray ({done.workers} scoring actor{plural}"
                              + (f", {done.gpus:g} GPUs" if done.gpus else "") + ")")
        else:
            summary.articles_extracted, summary.statements_added = extract(store, extractor,
                                                                           progress=progress)
            summary.engine = getattr(extractor, "engine_used", None)
        summary.seconds["extract"] = time.perf_counter() - t

        t = time.perf_counter()
        # The reader stored each statement's tone with it, under its own id: scoring with it
        # finds nothing left to score and records it as the tone model.
        reader = getattr(extractor, "reads_pairs", False)
        model = extractor if reader else model or ToneModel.load()
        summary.statements_scored, summary.scores_from_cache = score(store, model,
                                                                     progress=progress)
        summary.score_engine = None if reader else getattr(model, "engine_used", None)
        summary.seconds["score"] = time.perf_counter() - t

        t = time.perf_counter()
        if weeks is None or weeks:
            summary.reports, summary.reports_kept = write_reports(store, out, weeks=weeks)
        summary.seconds["report"] = time.perf_counter() - t
    return summary


EXPORT_STATEMENT_COLUMNS = ("statement_id", "article_id", "external_id", "url", "title",
                            "published", "source", "target", "sentence", "tone", "label",
                            "confidence", "rule", "source_text", "target_text",
                            "sentence_start", "sentence_end", "source_spans", "target_spans")


def statements_export(store, basis: str = "text"):
    """The rows of ``tracker export statements`` (a DataFrame)."""
    frame = statements_for(store, basis)
    frame = frame.assign(published=frame["published"].dt.strftime("%Y-%m-%d"),
                         source_spans=frame["source_spans"].map(json.loads),
                         target_spans=frame["target_spans"].map(json.loads))
    return frame[list(EXPORT_STATEMENT_COLUMNS)]


def index_export(store, period: str = "W", directed: bool = False, basis: str = "text"):
    """The rows of ``tracker export index`` (a DataFrame)."""
    frame = build_index(store, period, directed, basis=basis).results_.copy()
    frame["period_start"] = frame["period_start"].dt.strftime("%Y-%m-%d")
    keys = ["source", "target"] if directed else ["country_a", "country_b"]
    cols = ["period", *keys, "index", "lower", "upper", "n_statements", "period_start"]
    return frame[cols].round({"index": 2, "lower": 2, "upper": 2})


def alerts_export(store, week: str | None = None, directed: bool = False):
    """The weekly alerts (moves larger than both weeks' bands explain), one row each, with the
    ids of the statements behind; only ``week``'s when given."""
    est = build_index(store, "W", directed=directed)
    table = est.alerts()
    if week is not None:
        if week not in set(est.results_["period"].astype(str)):
            weeks = sorted(set(est.results_["period"].astype(str)))[-6:]
            raise TrackerError(f"--week {week!r} has no index values; weeks with data: "
                               f"{', '.join(weeks)}.")
        table = table[table["period"].astype(str) == week]
    table = table.assign(statement_ids=table["statement_ids"].map(
        lambda ids: " ".join(str(i) for i in ids)))
    return table.reset_index(drop=True)


def compare_pairs(store, pairs: Sequence[str], period: str = "W", out: str | Path | None = None):
    """Compare pairs from the store; return ``(table, chart path or None)``.

    The chart is written only when ``out`` is given.
    """
    from tracker.compare import compare
    from tracker.extract import Gazetteer

    frame = store.statements_frame()
    if frame.empty:
        raise TrackerError(f"--db {store.path}: no scored statements yet; run `tracker run "
                           "PATH` first.")
    table, display = compare(frame, pairs, period, known=Gazetteer.default().is_country)
    if out is None:
        return table, None
    from tracker.report import save_chart

    return table, save_chart(display, out)


def import_events(db: str | Path, paths: Sequence[str | Path], fmt: str | None = None
                  ) -> list[tuple[object, int, int]]:
    """Import coded event files (GDELT, ICEWS, PLOVER) into the store, each file in one
    transaction; return ``(EventFile, added, already_stored)`` per file. Every row of a file
    is either an event or counted as skipped with its reason (``EventFile.skipped``)."""
    from tracker.events import FORMATS, read_events

    if fmt is not None and fmt not in FORMATS:
        from tracker.errors import invalid_choice

        raise invalid_choice("--format", fmt, FORMATS)
    if not paths:
        raise TrackerError("no event file given; pass GDELT, ICEWS or PLOVER files.")
    files = [read_events(p, fmt) for p in paths]  # every file checked before any is stored
    out = []
    with one_writer(db), open_store(db) as store:
        for f in files:
            check_interrupted()
            added, known = store.add_events(f.events)
            out.append((f, added, known))
    return out


def last_complete_week(today=None) -> str:
    """The ISO week before the one ``today`` (default: today, UTC) falls in: ``2024-W05``."""
    import datetime as dt

    today = today or dt.datetime.now(dt.timezone.utc).date()
    year, week, _ = (today - dt.timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


def weekly(sources=None, paths: Sequence[str | Path] = (), week: str = "last",
           db: str | Path = DEFAULT_DB, out: str | Path = DEFAULT_OUT, extractor=None,
           fetcher=None, progress=None, today=None, ray: dict | None = None, model=None
           ) -> tuple[RunSummary, str, list[Path]]:
    """The weekly job: fetch ``sources`` (and read ``paths``), process what is new (tone
    ``model`` as for :func:`run`) and write the report of ``week`` (``"last"``: the last
    complete ISO week).

    Returns ``(summary, week, files)``; ``files`` is empty when the week has no statements.
    """
    week = last_complete_week(today) if week in (None, "", "last") else _check_week(week)
    summary = run(list(paths), db=db, out=out, model=model, extractor=extractor,
                  sources=sources, fetcher=fetcher, progress=progress, weeks=[], ray=ray)
    import datetime as dt

    year, number = (int(x) for x in week.split("-W"))
    try:
        monday = dt.date.fromisocalendar(year, number, 1)
    except ValueError:  # a week 53 in a year of 52: no statements in it either
        return summary, week, []
    with open_store(db, readonly=True) as store:
        if not store.n_statements_between(monday.isoformat(),
                                          (monday + dt.timedelta(days=6)).isoformat()):
            return summary, week, []
        files, _ = write_reports(store, out, weeks=[week])
    return summary, week, [f for f in files if f.name.startswith(f"report-{week}")]


def _check_week(week: str) -> str:
    import re

    m = re.fullmatch(r"(\d{4})-W(\d{2})", week.strip())
    if not m or not 1 <= int(m.group(2)) <= 53:
        raise TrackerError(f"--week {week!r} is invalid; write an ISO week such as 2024-W05, "
                           "or last.")
    return week.strip()
