"""Speed and fidelity of the reader's engines, and whole runs, each against its baseline in the
same run.

    python benchmarks/bench_reader.py [--candidates 5000] [--corpus] [--runs] [--repeat 3]
    python benchmarks/bench_reader.py --memory 0 [--repeat 1]  # every text: 79,940 statements
    python benchmarks/bench_reader.py --memory 0 --again 0.3 --only tracker  # past 100,000

1. Candidates per second through the reader's network on the candidates of real text (VOA
   stories, WCEP items and UN General Debate speeches of 2023, a third each), batched and
   sorted by length: ONNX int8, ONNX float32, torch bf16, torch float32; and torch float32 one
   candidate at a time. Agreement of each engine with torch float32 on the same candidates:
   labels (none / hostile / neutral / cooperative) and the 99th percentile of the tone
   difference over the candidates either takes for a statement.
2. ``--corpus``: the corpus test part's figures (pair P/R/F1, sign, pair and sign) with each
   engine (the same candidates; measuring the engines, not choosing a model).
3. ``--runs``: whole ``tracker run`` commands, each in a fresh process, in turns: cold over
   the seed article, the VOA stories and 2,000 WCEP items, with the rules + tone model and
   with the reader, each on ``auto`` and on torch bf16 (the baseline: what ``auto`` ran before
   it counted start-ups); then a second run on the same data.
4. ``--memory N``: peak resident memory of a process that ingests N WCEP items (0: every text
   below), extracts their statements with the rules and scores them with the tone model
   (streamed in chunks), against the same process's memory once the tone model is loaded; each
   measure in a fresh process, in turns with two baselines: the tracker's token budget
   without padding to a multiple of 8 tokens ("unpadded"), and batches of 64 up to 8,192
   tokens, unpadded (before the token budget). ``--again F`` adds a share F of those documents a
   second time under new ids (all the text there is gives 79,940 statements); ``--only NAME``
   runs one setting.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
VOA = DATA / "voa" / "voa_stories.jsonl"
WCEP = DATA / "wcep" / "wcep_2002_2024.jsonl.gz"
UNGD = DATA / "ungd"
ENGINES = ("onnx", "onnx-fp32", "torch", "torch-fp32")


def wcep_rows(n: int | None = None, year: str | None = None) -> list[dict]:
    rows = []
    with gzip.open(WCEP, "rt", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if year is None or r["published"].startswith(year):
                rows.append({k: r[k] for k in ("id", "url", "title", "published", "outlet",
                                               "text")})
    return rows if n is None else rows[-n:]


def real_candidates(n: int, seed: int = 0):
    """``n`` candidates, a third each from VOA, WCEP 2023 and UN speeches of 2023."""
    import csv

    from tracker.extract import Extractor
    from tracker.ingest import read_articles
    from tracker.reader.model import article_pairs, by_unit, inputs_of

    ex = Extractor()
    pools = {}
    voa = list(read_articles([VOA]))
    pools["voa"] = [(u, c) for a in voa
                    for _, u, c in article_pairs(a.id, a.text, a.published, None, ex)[2]]
    pools["wcep"] = [(u, c) for r in wcep_rows(year="2023")[:3000]
                     for _, u, c in article_pairs(r["id"], r["text"], r["published"], None,
                                                  ex)[2]]
    with open(UNGD / "index.csv", encoding="utf-8") as fh:
        speeches = [r for r in csv.DictReader(fh) if r["year"] == "2023"][:40]
    pools["ungd"] = [(u, c) for r in speeches for _, u, c in article_pairs(
        r["path"], (UNGD / r["path"]).read_text(encoding="utf-8-sig"), "2023-09-20",
        r["iso3"], ex)[2]]
    rng = random.Random(seed)
    chosen = []
    for name, pool in pools.items():
        # Whole units (the reader reads a unit once for all its candidates), drawn until the
        # source's share of candidates is reached.
        units = by_unit(pool)
        want, got = n // 3 + (name == "voa") * (n % 3), 0
        for unit, cands in rng.sample(units, len(units)):
            if got >= want:
                break
            chosen += [(unit, c) for c in cands]
            got += len(cands)
    return inputs_of(chosen, ex.gaz), {k: len(v) for k, v in pools.items()}


def engine_table(n: int, repeat: int) -> dict:
    from tracker.reader.engine import encode, n_pairs, pair_tokenizer
    from tracker.reader.model import engine_for
    from tracker.reader.export import compare, prepare
    from tracker.reader.model import Reader
    from tracker.tone.encoder import resolve_encoder_dir

    reader = Reader.load("fast")
    check = prepare(reader)
    inputs, pools = real_candidates(n)
    tok = pair_tokenizer(str(resolve_encoder_dir()))
    items = encode(tok, inputs)
    engines = {name: engine_for(reader, name) for name in ENGINES}
    for e in engines.values():
        e.logits(items[:8])
    secs = {name: [] for name in ENGINES}
    logits = {}
    for _ in range(repeat):  # in turns, ONNX Runtime first in each turn
        for name, e in engines.items():
            t = time.perf_counter()
            logits[name] = e.logits(items)
            secs[name].append(time.perf_counter() - t)
    # Baselines: one unit at a time, and one candidate at a time (each candidate read as a
    # unit of its own, as a reader of one pair per pass must).
    # Every twelfth unit, so the sample spans the three sources as the whole set does.
    spread = inputs[::12][:100]
    one = encode(tok, spread)
    t = time.perf_counter()
    engines["torch-fp32"].logits(one, batch_size=1)
    unit_rate = n_pairs(one) / (time.perf_counter() - t)
    single = encode(tok, [(f, s, [p]) for f, s, pairs in spread for p in pairs][:300])
    t = time.perf_counter()
    engines["torch-fp32"].logits(single, batch_size=1)
    one_rate = len(single) / (time.perf_counter() - t)
    total = n_pairs(items)
    accurate = accurate_rates(inputs, repeat) if ACCURATE else None
    rows = {}
    for name in ENGINES:
        rows[name] = {"candidates_per_second": round(total / statistics.median(secs[name]), 1),
                      **compare(logits["torch-fp32"], logits[name], reader.temperature,
                                reader.threshold)}
    tokens = [len(i[0]) for i in items]
    return {"candidates": total, "units": len(items), "pools": pools,
            "tokens_mean": round(statistics.mean(tokens), 1), "engines": rows,
            "torch-fp32 one candidate at a time": round(one_rate, 1),
            "torch-fp32 one unit at a time": round(unit_rate, 1), "auto": check["default"],
            "accurate": accurate}


#: Also time the accurate reader on the same units (``--accurate``).
ACCURATE = False


def accurate_rates(inputs, repeat: int) -> dict:
    """Candidates per second of the accurate reader (torch bf16 and float32) on the same
    units, and the agreement of bf16 with float32."""
    from tracker.reader.engine import TorchEngine, encode, n_pairs, pair_tokenizer
    from tracker.reader.model import Reader
    from tracker.tone.model import ADAPTER_FILE

    from tracker.reader.export import compare

    reader = Reader.load("accurate")
    items = encode(pair_tokenizer(str(reader.encoder)), inputs)
    out, logits = {}, {}
    for fp32 in (False, True):
        engine = TorchEngine(reader.path / ADAPTER_FILE, reader.config["network"],
                             reader.encoder, fp32=fp32)
        engine.logits(items[:8])
        secs = []
        for _ in range(repeat):
            t = time.perf_counter()
            logits[engine.name] = engine.logits(items)
            secs.append(time.perf_counter() - t)
        out[engine.name] = round(n_pairs(items) / statistics.median(secs), 1)
    if "torch" in logits:  # bf16 against float32
        out["torch agreement"] = compare(logits["torch-fp32"], logits["torch"],
                                         reader.temperature, reader.threshold)
    return out


def corpus_table() -> dict:
    from tracker.extract import Extractor
    from tracker.lab.corpus import load_corpus
    from tracker.lab.dyads_eval import score
    from tracker.lab.reader_train import reader_predictions
    from tracker.reader.model import Reader

    items = load_corpus(ROOT / "corpus" / "dyads", split="test")
    ex = Extractor()
    out = {}
    for name in ENGINES:
        preds = reader_predictions(items, Reader.load("fast", engine=name), ex)
        out[name] = score(items, preds)["all"]
    return out


def tracker_run(inputs: Path, db: Path, out: Path, model: str, engine: str | None = None
                ) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tracker", "run", str(inputs), "--db", str(db),
                    "--out", str(out), "--model", model]
                   + (["--engine", engine] if engine else []), check=True, capture_output=True)
    return time.perf_counter() - t


def whole_runs(repeat: int) -> dict:
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        wcep = tmp / "wcep-2000.jsonl"
        wcep.write_text("".join(json.dumps(r) + "\n" for r in wcep_rows(2000)))
        for k in range(repeat):
            for data, name in ((ROOT / "seeds", "seed"), (VOA, "voa"), (wcep, "wcep")):
                for model, engine in (("rules", None), ("rules", "torch"), ("fast", None),
                                      ("fast", "torch")):
                    key = f"{name} {model}" + (f" {engine}" if engine else "")
                    db = tmp / f"{key.replace(' ', '-')}-{k}.db"
                    times.setdefault(f"cold {key}", []).append(
                        tracker_run(data, db, tmp / f"out-{key}-{k}", model, engine))
                    times.setdefault(f"again {key}", []).append(
                        tracker_run(data, db, tmp / f"out-{key}-{k}", model, engine))
    out = {key: round(statistics.median(v), 2) for key, v in times.items()}
    out["seed articles"] = 1
    out["voa articles"] = sum(1 for _ in open(VOA, encoding="utf-8"))
    out["wcep items"] = 2000
    return out


def _everything(path: Path, again: float = 0.0) -> None:
    """Every text of the train-allowed and unlabelled sets in one JSONL file, streamed: all
    WCEP items, all UN General Debate speeches (with their speaker), the White House
    statements, remarks and briefings, the State Department's press releases and posts, and
    the VOA stories; with each document whose id hashes below ``again`` written a second time
    after it, under a new id, its sentences ending in "!" instead of "." (other text, so that
    neither ingest nor the tone cache takes it for the first)."""
    import csv
    import zlib

    from tracker.extract import Gazetteer
    from tracker.ingest.clean import clean_text

    keep = ("id", "url", "title", "published", "outlet", "text")
    with open(path, "w", encoding="utf-8") as out:
        def write(r: dict) -> None:
            out.write(json.dumps(r) + "\n")
            if again and zlib.crc32(r["id"].encode()) / 2 ** 32 < again:
                out.write(json.dumps({**r, "id": r["id"] + "#again",
                                      "text": r["text"].replace(". ", "! ")}) + "\n")

        for name in (WCEP, DATA / "whitehouse" / "statements_2021_2026.jsonl.gz",
                     DATA / "whitehouse" / "remarks_briefings_2021_2026.jsonl.gz",
                     DATA / "state_dept" / "press_releases_2021_2022.jsonl.gz",
                     DATA / "state_dept" / "tweets_2008_2026.jsonl.gz", VOA):
            with (gzip.open if name.suffix == ".gz" else open)(name, "rt", encoding="utf-8") as fh:
                for line in fh:
                    r = json.loads(line)
                    if clean_text(r["text"]):  # a post may be a bare link
                        write({f: r[f] for f in keep if r.get(f)})
        with open(DATA / "ungd" / "index.csv", encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if Gazetteer.default().is_country(r["iso3"]):
                    write({"id": r["path"], "published": f"{r['year']}-09-20",
                           "speaker": r["iso3"],
                           "text": (DATA / "ungd" / r["path"]).read_text(encoding="utf-8-sig")})


#: The baseline of the memory measure: batches of 64 up to this many tokens (before the
#: tracker's token budget of :data:`tracker.tone.encoder.TOKEN_BUDGET`).
BASELINE_TOKENS = 64 * 128


def memory(n: int, repeat: int, again: float = 0.0, only: str | None = None) -> dict:
    """:func:`memory_child` in fresh processes, in turns: with the tracker's batches, with
    them unpadded (lengths not rounded up to a multiple of 8), and with batches of 64 up to
    :data:`BASELINE_TOKENS`, unpadded; the median of ``repeat`` each."""
    from tracker.tone.encoder import PAD_MULTIPLE, TOKEN_BUDGET

    settings = {"tracker": (TOKEN_BUDGET, PAD_MULTIPLE), "unpadded": (TOKEN_BUDGET, 1),
                "baseline": (BASELINE_TOKENS, 1)}
    settings = {k: v for k, v in settings.items() if only in (None, k)}
    runs: dict[str, list[dict]] = {name: [] for name in settings}
    for _ in range(repeat):
        for name, (tokens, pad) in settings.items():
            done = subprocess.run([sys.executable, __file__, "--memory-child", str(n),
                                   "--tokens", str(tokens), "--pad", str(pad),
                                   "--again", str(again)],
                                  check=True, capture_output=True, text=True)
            runs[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    out = {}
    for name, rows in runs.items():
        out[name] = {k: (round(statistics.median(r[k] for r in rows), 1)
                         if k.startswith("peak") or k.endswith("seconds") else rows[0][k])
                     for k in rows[0]}
        out[name]["runs"] = len(rows)
    return out


def memory_child(n: int, tokens: int, pad: int, again: float = 0.0) -> dict:
    """In this process: ingest, extract and score ``n`` WCEP items (0: every text of
    :func:`_everything`) in batches of at most ``tokens`` tokens, padded to a multiple of
    ``pad``; peak RSS in MB."""
    from tracker import pipeline
    from tracker.tone import ToneInput, ToneModel, encoder

    encoder.TOKEN_BUDGET, encoder.PAD_MULTIPLE = tokens, pad

    def peak_mb() -> float:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "wcep.jsonl"
        if n == 0:
            _everything(src, again)
        else:
            with gzip.open(WCEP, "rt", encoding="utf-8") as fh:
                total = sum(1 for _ in fh)
            with gzip.open(WCEP, "rt", encoding="utf-8") as fh, open(src, "w") as out:
                for k, line in enumerate(fh):  # streamed: never all in memory here
                    if k >= total - n:
                        r = json.loads(line)
                        out.write(json.dumps({f: r[f] for f in (
                            "id", "url", "title", "published", "outlet", "text")}) + "\n")
        model = ToneModel.load()
        model.predict([ToneInput("Japan praised Australia.", ((14, 23),))])  # loaded
        loaded = peak_mb()
        t = time.perf_counter()
        with pipeline.open_store(Path(tmp) / "m.db") as store:
            pipeline.ingest(store, [src])
            ingested = peak_mb()
            pipeline.extract(store)
            extracted = peak_mb()
            n_statements = store.counts()["statements"]
            t_score = time.perf_counter()
            scored, cached = pipeline.score(store, model)
            t_end = time.perf_counter()
        seconds = t_end - t
        return {"items": n, "statements": n_statements, "scored": scored, "from_cache": cached,
                "peak_mb_model_loaded": round(loaded), "peak_mb_after_ingest": round(ingested), "peak_mb_after_extract":
                round(extracted), "peak_mb_after_scoring": round(peak_mb()),
                "peak_mb_extraction_workers": round(resource.getrusage(
                    resource.RUSAGE_CHILDREN).ru_maxrss / 1024),
                "seconds": round(seconds, 1), "scoring_seconds": round(t_end - t_score, 1),
                "batch_tokens": tokens, "pad_multiple": pad}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--candidates", type=int, default=5000,
                        help="0: no engine table (with --runs, --corpus: only those)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--corpus", action="store_true")
    parser.add_argument("--runs", action="store_true")
    parser.add_argument("--memory", type=int, default=None,
                        help="WCEP items to ingest, extract and score in one process, with "
                             "its peak memory; 0: every text of WCEP, the UN speeches, the "
                             "White House, the State Department and VOA")
    parser.add_argument("--memory-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--tokens", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--pad", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--again", type=float, default=0.0,
                        help="with --memory 0: this share of the documents a second time")
    parser.add_argument("--only", default=None, choices=("tracker", "unpadded", "baseline"),
                        help="with --memory: run this setting only")
    parser.add_argument("--accurate", action="store_true",
                        help="also time the accurate reader on the same units")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    args = parser.parse_args()
    global ACCURATE
    ACCURATE = args.accurate
    result = {"cores": len(os.sched_getaffinity(0))}
    if args.memory_child is not None:
        print(json.dumps(memory_child(args.memory_child, args.tokens, args.pad, args.again)))
        return
    if args.memory is not None:
        result["memory"] = memory(args.memory, args.repeat, args.again, args.only)
        for name, m in result["memory"].items():
            print(name, json.dumps(m))
    elif args.candidates:
        t = engine_table(args.candidates, args.repeat)
        result["engines"] = t
        base = t["torch-fp32 one candidate at a time"]
        print(f"{t['candidates']} candidates in {t['units']} units ({t['tokens_mean']} tokens "
              f"a unit on average; pools {t['pools']}); median of {args.repeat}, in turns; "
              f"auto = {t['auto']}")
        print(f"{'engine':<12} {'cand/s':>8} {'x one-at-a-time':>16} {'agreement':>10} "
              f"{'tone p99':>9} {'statements':>10}")
        for name, e in t["engines"].items():
            print(f"{name:<12} {e['candidates_per_second']:>8.1f} "
                  f"{e['candidates_per_second'] / base:>16.1f} {e['label_agreement']:>10.4f} "
                  f"{e['tone_diff_p99']:>9.4f} {e['statements']:>10}")
        print(f"{'torch-fp32, one candidate at a time':<36} {base:>8.1f}")
        print(f"{'torch-fp32, one unit at a time':<36} "
              f"{t['torch-fp32 one unit at a time']:>8.1f}")
        for name, rate in (t["accurate"] or {}).items():
            if isinstance(rate, dict):
                print(f"{'accurate reader, ' + name:<36} labels {rate['label_agreement']:.4f}"
                      f" tone p99 {rate['tone_diff_p99']:.4f}")
            else:
                print(f"{'accurate reader, ' + name:<36} {rate:>8.1f}")
    if args.memory is None:
        if args.corpus:
            result["corpus_test"] = corpus_table()
            for name, s in result["corpus_test"].items():
                print(f"corpus test, {name:<11} F1 {s['f1']:.4f} P {s['precision']:.4f} "
                      f"R {s['recall']:.4f} sign {s['sign_accuracy_found']:.4f} "
                      f"pair+sign {s['pair_and_sign_accuracy']:.4f}")
        if args.runs:
            result["runs"] = r = whole_runs(args.repeat)
            for key, v in r.items():
                print(f"{key:<20} {v}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
