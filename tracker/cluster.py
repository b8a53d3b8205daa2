"""Extract and score on Ray: the local engine's stages spread over a Ray cluster.

Takes input files (read and cleaned in Ray tasks, then stored as ``pipeline.ingest`` does)
and the store's articles not yet extracted, and gives what ``pipeline.extract`` and
``pipeline.score`` give (statements with their tones, stored), computed on Ray: the rules run
in CPU tasks (Ray Data ``map_batches``), the network (the tone model, or the learned reader)
in a pool of actors that load it once each (one GPU per actor when the cluster has GPUs, CPUs
otherwise). The driver streams the results back, writes them as Parquet shards named by their
content beside the database, and the store takes each shard in one transaction, skipping the
articles it already holds: a task or actor that Ray retries after a crash, a shard taken twice
and a rerun after an interruption neither lose nor double a statement. Articles go to Ray a
window at a time, so the driver's memory stays bounded on any corpus.

Ray is an optional extra (``pip install 'tracker[ray]'``); nothing imports it unless
``--engine ray`` is asked for. The default engine stays the embedded one (SQLite, one machine).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from tracker.errors import TrackerError, check_interrupted

#: Articles handed to Ray at a time (bounds the driver's memory; a shard per result batch).
WINDOW = 2000
#: Articles per extraction task and per scoring call.
EXTRACT_BATCH = 16
SCORE_BATCH = 64
#: Memory an extraction task reserves (the gazetteer and one batch of articles).
RULES_MEMORY = 400 * 2**20


def _ray():
    try:
        import ray
    except ImportError:
        raise TrackerError("--engine ray needs Ray: install it with `pip install "
                           "'tracker[ray]'` (or `pip install 'ray[data]'`), or run without "
                           "--engine ray.") from None
    return ray


def connect(address: str | None = None, cpus: int | None = None) -> dict:
    """Join the Ray cluster at ``address`` (``auto``: the one running on this machine,
    ``ray://host:10001``: a remote one) or, without one, start a local instance; return its
    resources. The tracker's settings (``TRACKER_*``) travel to the workers."""
    import logging

    ray = _ray()
    # Ray's own notices (set-up, deprecations) are not the analyst's business: errors only.
    logging.getLogger("ray").setLevel(logging.ERROR)
    if not ray.is_initialized():
        env = {k: v for k, v in os.environ.items() if k.startswith(("TRACKER_", "HF_"))}
        # Ray's C++ core logs notices at error level (such as every actor restarting from
        # arguments in the object store): only fatal ones unless the user asks for more.
        os.environ.setdefault("RAY_BACKEND_LOG_LEVEL", "fatal")
        kwargs = {"include_dashboard": False, "log_to_driver": False,
                  "runtime_env": {"env_vars": env}, "configure_logging": False}
        if address:
            kwargs["address"] = address
        elif cpus:
            kwargs["num_cpus"] = cpus
        try:
            with _quiet_fd2():
                ray.init(**kwargs)
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise TrackerError(f"--address {address}: cannot join that Ray cluster ({exc}); "
                               "check it runs (`ray status`), or leave --address out to start "
                               "a local one.") from None
    _quiet(ray)
    return ray.cluster_resources()


@contextlib.contextmanager
def _quiet_fd2():
    """Standard error closed at the file-descriptor level while Ray starts (its C++ core says
    how it set its log level there); failures still raise."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _quiet(ray) -> None:
    import logging

    from ray.data import DataContext

    ctx = DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False
    ctx.verbose_stats_logs = False
    logging.getLogger("ray.data").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Plan:
    """What the workers run: the rules (an :class:`~tracker.extract.Extractor`, pickled to
    them) and the network (``kind`` ``"tone"``: the tone model folder; ``"reader"``: the reader
    folder and its engine)."""

    kind: str
    model_path: str
    model_id: str
    version: str
    engine: str | None = None

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.version}|{self.model_id}".encode()).hexdigest()[:12]


def plan_for(extractor, model=None) -> tuple[Plan, object]:
    """The plan of a local extractor (rules, or the reader stage) and its tone model; returns
    ``(plan, rules)``, the rule extractor the tasks run."""
    if getattr(extractor, "reads_pairs", False):
        reader = extractor.reader
        return Plan("reader", str(reader.path), extractor.model_id, extractor.version,
                    reader.engine_name), extractor.extractor
    from tracker.tone import ToneModel

    model = model or ToneModel.load()
    return Plan("tone", str(model.path), model.identity, extractor.version), extractor


# -- the workers ------------------------------------------------------------------------------
def _read_batch(batch: dict, date) -> dict:
    """A CPU task: input files read, cleaned and dated (each file whole, or its error)."""
    from tracker.ingest import read_articles

    out = {"path": [], "articles": [], "error": []}
    for path in batch["path"]:
        try:
            articles, error = [asdict(a) for a in read_articles([Path(path)], date=date)], ""
        except TrackerError as exc:
            articles, error = [], str(exc)
        out["path"].append(path)
        out["articles"].append(json.dumps(articles))
        out["error"].append(error)
    return out


def _extract_batch(batch: dict, rules, kind: str) -> dict:
    """A CPU task: the rules over a batch of articles. Gives per article the statements (the
    rules') or the candidate pairs (the reader's), each with the text the network reads."""
    out = {"article_id": [], "n_sentences": [], "n_country": [], "work": []}
    for article_id, text, published, speaker, title in zip(
            batch["article_id"], batch["text"], batch["published"], batch["speaker"],
            batch["title"]):
        speaker, title = speaker or None, title or None
        if kind == "reader":
            n, n_country, work = _reader_work(article_id, text, published, speaker, rules,
                                              title)
        else:
            result = rules.analyse(article_id, text, published, speaker, title=title)
            n, n_country = result.n_sentences, result.n_sentences_with_country
            work = [_tone_work(s, text) for s in result.statements]
        out["article_id"].append(article_id)
        out["n_sentences"].append(n)
        out["n_country"].append(n_country)
        out["work"].append(json.dumps(work))
    return out


def _tone_work(statement, text: str) -> dict:
    from tracker.store import clause_relative

    c0, c1 = statement.clause_start, statement.clause_end
    return {"statement": asdict(statement), "text": text[c0:c1],
            "target_spans": clause_relative(statement.target_spans, c0, c1),
            "source_spans": clause_relative(statement.source_spans, c0, c1)}


def _reader_work(article_id, text, published, speaker, rules, title=None):
    from tracker.reader.model import article_pairs, inputs_of, reader_statement

    units, result, pairs = article_pairs(article_id, text, published, speaker, rules, title)
    inputs = inputs_of([(unit, c) for _, unit, c in pairs], rules.gaz)
    # One work item per unit (its input, read once), with the statement each of its candidates
    # would make, with article offsets (as statements keep them), in the same order.
    work = [{"input": list(unit_input),
             "statements": [asdict(reader_statement(article_id, text, sent, c, rules.gaz))
                            for c in candidates]}
            for (sent, _, candidates), unit_input in zip(units, inputs, strict=True)]
    return result.n_sentences, result.n_sentences_with_country, work


class _Score:
    """An actor: loads the network once, then scores batches (the rules' statements with the
    tone model, or the reader's candidate pairs). The plan is a class attribute of a subclass
    made per run (:func:`_scorer`), so a restarted actor needs nothing from the object store."""

    plan: Plan

    def __init__(self) -> None:
        plan = self.plan
        if plan.kind == "reader":
            from tracker.reader.model import Reader

            self.model = Reader.load(plan.model_path, engine=plan.engine)
        else:
            from tracker.tone import ToneModel

            self.model = ToneModel.load(plan.model_path)

    def __call__(self, batch: dict) -> dict:
        works = [json.loads(w) for w in batch["work"]]
        flat = [w for ws in works for w in ws]
        if self.plan.kind == "reader":
            scored = self._read(flat)
        else:
            scored = self._tone(flat)
        out, k = [], 0
        for ws in works:
            out.append(json.dumps([s for got in scored[k:k + len(ws)] for s in got]))
            k += len(ws)
        return {"article_id": batch["article_id"], "n_sentences": batch["n_sentences"],
                "n_country": batch["n_country"], "statements": out}

    def _tone(self, flat: list[dict]) -> list[dict]:
        from tracker.tone import ToneInput
        from tracker.tone.model import cache_key

        keys = [cache_key(self.plan.model_id, w["text"],
                               [tuple(x) for x in w["target_spans"]],
                               [tuple(x) for x in w["source_spans"]]) for w in flat]
        unique = {k: w for k, w in zip(keys, flat)}
        results = self.model.predict([ToneInput(w["text"], tuple(map(tuple, w["target_spans"])),
                                                tuple(map(tuple, w["source_spans"])))
                                      for w in unique.values()])
        got = dict(zip(unique, results))
        return [[dict(w["statement"], tone=got[k].tone, label=got[k].label,
                      confidence=got[k].confidence, key=k)] for k, w in zip(keys, flat)]

    def _read(self, flat: list[dict]) -> list[list[dict]]:
        """Per unit, the statements its candidates make."""
        from tracker.reader.candidates import Candidate
        from tracker.reader.model import pair_from_proba

        if not flat:
            return []
        proba = iter(self.model.proba([tuple(w["input"]) for w in flat]))
        out = []
        for w in flat:
            taken = []
            for s in w["statements"]:
                read = pair_from_proba(Candidate(s["source"], s["target"], (), ()), next(proba),
                                       self.model.threshold)
                if read.is_statement:
                    taken.append(dict(s, tone=read.tone, label=read.label,
                                      confidence=read.confidence, key=None))
            out.append(taken)
        return out


def _scorer(plan: Plan) -> type:
    return type("Score", (_Score,), {"plan": plan, "__module__": __name__})


# -- the driver -------------------------------------------------------------------------------
@dataclass
class RayReport:
    articles: int = 0
    statements: int = 0
    shards: int = 0
    resumed_shards: int = 0
    workers: int = 0
    gpus: float = 0.0
    seconds: float = 0.0


def ingest(store, paths, date: str | None = None, failed: list[str] | None = None,
           skipped: list | None = None, address: str | None = None,
           workers: int | None = None) -> tuple[int, int]:
    """``pipeline.ingest`` with the files read and cleaned in Ray tasks (on the nodes, which
    must see the paths: a shared file system on a cluster). Each file is stored whole or not
    at all, as it comes back; a bad file goes to ``failed`` (or raises without it)."""
    from tracker.ingest import Article, read_articles
    from tracker.ingest.readers import collect_files

    read_articles([], date=date)  # a bad --date fails before any file is read
    files = collect_files(list(paths), skipped=skipped)
    if not files:
        return 0, 0
    ray = _ray()
    connect(address, cpus=workers and workers + 1)
    import ray.data

    ds = ray.data.from_items([{"path": str(f)} for f in files],
                             override_num_blocks=min(len(files), 200))
    ds = ds.map_batches(_read_batch, fn_kwargs={"date": date}, batch_size=1, num_cpus=1,
                        memory=RULES_MEMORY)
    added = known = 0
    for batch in ds.iter_batches(batch_size=1, batch_format="numpy"):
        check_interrupted()
        path, articles, error = (str(batch[k][0]) for k in ("path", "articles", "error"))
        if error:
            if failed is None:
                raise TrackerError(error)
            failed.append(error)
            continue
        a, k = store.add_articles([Article(**d) for d in json.loads(articles)], atomic=True)
        added, known = added + a, known + k
    return added, known


def extract_and_score(store, extractor, model=None, address: str | None = None,
                      workers: int | None = None, window: int = WINDOW,
                      progress=None) -> RayReport:
    """Extract and score the store's new articles on Ray; return a :class:`RayReport`.

    Parameters
    ----------
    store : Store
    extractor : Extractor or ReaderStage, optional
        What decides the statements (as for the local engine; default: the rules).
    model : ToneModel, optional
        The tone model for the rules' statements (default: the shipped one).
    address : str, optional
        A running cluster (``auto``, ``ray://host:10001``); default: a local instance.
    workers : int, optional
        Scoring actors (default: one per GPU when the cluster has GPUs, else half its CPUs,
        at least 1); extraction tasks take the other CPUs.
    """
    t = time.perf_counter()
    if extractor is None:
        from tracker.extract import Extractor

        extractor = Extractor()
    plan, rules = plan_for(extractor, model)
    resources = connect(address, cpus=workers and workers + 1)
    gpus = float(resources.get("GPU", 0))
    cpus = int(resources.get("CPU", 1))
    actors = workers or (int(gpus) if gpus >= 1 else max(1, cpus // 2))
    if gpus < 1 and actors >= cpus:
        raise TrackerError(f"--engine ray: {actors} scoring actors leave none of the cluster's "
                           f"{cpus} CPUs to the rules; use fewer workers or a larger cluster.")
    report = RayReport(workers=actors, gpus=gpus)
    shards = Path(f"{store.path}.shards")
    report.resumed_shards = _take_shards(store, plan, shards, report)
    total = store.n_articles_to_extract(plan.version)
    pending = store.articles_to_extract(plan.version)
    while True:
        check_interrupted()
        chunk = [next(pending, None) for _ in range(window)]
        chunk = [c for c in chunk if c is not None]
        if not chunk:
            break
        for rows in _run_window(chunk, plan, rules, actors, gpus):
            _write_shard(shards, plan, rows)
            _take_shards(store, plan, shards, report)
            if progress is not None:
                progress("extract", report.articles, total)
            check_interrupted()
    store.set_meta("extractor", plan.version)
    store.set_meta("tone_model", plan.model_id)
    report.seconds = time.perf_counter() - t
    return report


def _run_window(chunk, plan: Plan, rules, actors: int, gpus: float):
    """Yield the scored rows of a window of articles, batch by batch, as Ray computes them."""
    ray = _ray()
    import ray.data

    items = [{"article_id": a, "text": text, "published": str(published),
              "speaker": speaker or "", "title": title or ""}
             for a, text, published, speaker, title in chunk]
    blocks = max(1, min(len(items) // EXTRACT_BATCH, 64))
    ds = ray.data.from_items(items, override_num_blocks=blocks)
    # Ray Data retries a failed task, and restarts a dead actor and retries its batch, by
    # default (max_retries, max_restarts and max_task_retries of -1).
    # The rules' memory reservation also keeps them in tasks of their own: with the same
    # resources Ray Data would fuse them into the scoring actors (on a GPU cluster, CPU work
    # held on the GPU actors).
    ds = ds.map_batches(_extract_batch, fn_kwargs={"rules": rules, "kind": plan.kind},
                        batch_size=EXTRACT_BATCH, num_cpus=1, memory=RULES_MEMORY)
    ds = ds.map_batches(_scorer(plan), batch_size=SCORE_BATCH,
                        compute=ray.data.ActorPoolStrategy(size=actors),
                        num_gpus=1 if gpus >= 1 else 0, num_cpus=0 if gpus >= 1 else 1)
    for batch in ds.iter_batches(batch_size=256, batch_format="numpy"):
        yield [(str(a), int(n), int(c), s) for a, n, c, s in zip(
            batch["article_id"], batch["n_sentences"], batch["n_country"],
            batch["statements"])]


def _write_shard(folder: Path, plan: Plan, rows: list) -> Path:
    """One batch of results as a Parquet shard named by the plan and its content."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from tracker.atomic import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256("\n".join(r[0] for r in sorted(rows)).encode()).hexdigest()[:16]
    table = pa.table({"article_id": [r[0] for r in rows], "n_sentences": [r[1] for r in rows],
                      "n_country": [r[2] for r in rows], "statements": [r[3] for r in rows]})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    path = folder / f"{plan.key}-{digest}.parquet"
    write_atomic(path, buf.getvalue())
    return path


def _take_shards(store, plan: Plan, folder: Path, report: RayReport) -> int:
    """Take every shard of this plan waiting in ``folder`` into the store (each in one
    transaction; articles already stored are skipped), then delete it. Returns the shards
    taken."""
    import pyarrow.parquet as pq

    from tracker.extract import Statement

    if not folder.is_dir():
        return 0
    taken = 0
    for path in sorted(folder.glob(f"{plan.key}-*.parquet")):
        rows = pq.read_table(path).to_pylist()
        items, cache, n_statements = [], [], 0
        for row in rows:
            found = json.loads(row["statements"])
            statements = [Statement(**{k: (tuple(map(tuple, v)) if k.endswith("_spans") else v)
                                       for k, v in s.items()
                                       if k not in ("tone", "label", "confidence", "key")})
                          for s in found]
            tones = [(s["tone"], s["label"], s["confidence"]) for s in found]
            cache += [(s["key"], s["tone"], s["label"], s["confidence"]) for s in found
                      if s.get("key")]
            items.append((row["article_id"], statements, row["n_sentences"], row["n_country"],
                          tones))
            n_statements += len(statements)
        report.articles += store.save_extractions(plan.version, plan.model_id, items, cache)
        report.statements += n_statements
        report.shards += 1
        path.unlink()
        taken += 1
    try:
        folder.rmdir()
    except OSError:
        pass
    return taken
