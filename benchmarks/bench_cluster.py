"""The Ray engine against the local one on this machine, and a projection past it.

    python benchmarks/bench_cluster.py [--speeches 200] [--wcep 2000] [--gpu]

Each run is a fresh process on a new database over the same input (the VOA stories, UN
General Debate speeches of 2019 on with their speaker, Wikipedia Current Events items of 2019
on), rules and tone model, float32 arithmetic on both engines:

1. statements per second through extraction and scoring: the local engine (extraction over
   the CPU cores, scoring in the process), Ray with 1 scoring actor (2 CPU slots: the
   rules run in tasks beside it) and Ray with 2 scoring actors (3 slots on 2 cores);
2. Ray's overhead on a small input (the 89 VOA stories): the same, wall clock, start included;
3. a projection (not a measurement) of throughput for N nodes of a stated size, from the
   per-actor rate measured here;
4. ``--gpu``: one run with the network on the GPU (when Ray sees one).
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def corpus(path: Path, speeches: int, wcep: int, voa_only: bool = False) -> Path:
    from tracker.extract import Gazetteer

    with open(path, "w", encoding="utf-8") as out:
        out.write((DATA / "voa" / "voa_stories.jsonl").read_text(encoding="utf-8"))
        if voa_only:
            return path
        with open(DATA / "ungd" / "index.csv", encoding="utf-8") as fh:
            rows = [r for r in csv.DictReader(fh) if r["year"] >= "2019"
                    and Gazetteer.default().is_country(r["iso3"])][:speeches]
        for r in rows:
            out.write(json.dumps({"id": r["path"], "published": f"{r['year']}-09-20",
                                  "speaker": r["iso3"], "text": (DATA / "ungd" / r["path"])
                                  .read_text(encoding="utf-8-sig")}) + "\n")
        n = 0
        with gzip.open(DATA / "wcep" / "wcep_2002_2024.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                if n < wcep and json.loads(line)["published"] >= "2019-01-01":
                    out.write(line)
                    n += 1
    return path


def one(src: str, engine: str, workers: int) -> dict:
    """One run in this process (called in a fresh process by :func:`measure`)."""
    from tracker import pipeline

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        kwargs = {"ray": {"workers": workers}} if engine == "ray" else {}
        summary = pipeline.run([src], db=Path(tmp) / "t.db", out=Path(tmp) / "out",
                               weeks=[], **kwargs)
        total = time.perf_counter() - t
    work = summary.seconds["extract"] + summary.seconds["score"]
    return {"statements": summary.statements_added, "articles": summary.articles_extracted,
            "work_s": work, "total_s": total, "engine": summary.engine}


def measure(src: Path, engine: str, workers: int) -> dict:
    env = dict(os.environ, TRACKER_BF16="0")
    done = subprocess.run([sys.executable, __file__, "--one", str(src), engine, str(workers)],
                          capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeches", type=int, default=200)
    parser.add_argument("--wcep", type=int, default=2000)
    parser.add_argument("--gpu", action="store_true")
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], int(args.one[2]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        big = corpus(Path(tmp) / "big.jsonl", args.speeches, args.wcep)
        small = corpus(Path(tmp) / "small.jsonl", 0, 0, voa_only=True)
        print(f"# Extraction and scoring on {os.cpu_count()} cores: 89 VOA stories, "
              f"{args.speeches} UN speeches, {args.wcep} WCEP items\n")
        print("| engine | statements | extract + score s | statements/s | x local |")
        print("|---|---|---|---|---|")
        runs = [("local", 0), ("ray", 1), ("ray", 2)]
        got = {}
        for engine, workers in runs:
            r = measure(big, engine, workers)
            got[(engine, workers)] = r
            base = got[("local", 0)]["work_s"]
            print(f"| {r['engine'] or 'local'} | {r['statements']} | {r['work_s']:.1f} | "
                  f"{r['statements'] / r['work_s']:.1f} | {base / r['work_s']:.2f} |")
        print("\n# Overhead on a small input (89 VOA stories), whole run in a fresh process\n")
        print("| engine | extract + score s | whole run s |\n|---|---|---|")
        for engine, workers in [("local", 0), ("ray", 1)]:
            r = measure(small, engine, workers)
            print(f"| {r['engine'] or 'local'} | {r['work_s']:.1f} | {r['total_s']:.1f} |")
        one_actor = got[("ray", 1)]
        per_actor = one_actor["statements"] / one_actor["work_s"]
        articles = one_actor["articles"] / one_actor["work_s"]
        print("\n# Projection (not measured): N nodes of 16 cores, CPU only\n")
        print(f"From the rate of one scoring actor here ({per_actor:.1f} statements/s, "
              f"{articles:.1f} articles/s of this mix, with one core for the rules beside it), "
              "taking one actor per 2 cores and no loss to coordination; real clusters lose "
              "some to scheduling and to the driver taking the shards in.\n")
        print("| nodes | actors | statements/s | articles/s | articles/day |")
        print("|---|---|---|---|---|")
        for nodes in (1, 4, 16, 64):
            actors = nodes * 8
            print(f"| {nodes} | {actors} | {per_actor * actors:,.0f} | "
                  f"{articles * actors:,.0f} | {articles * actors * 86400:,.0f} |")
        if args.gpu:
            r = measure(big, "ray", 1)
            print(f"\nGPU run: {r['engine']}: {r['statements'] / r['work_s']:.1f} "
                  "statements/s")


if __name__ == "__main__":
    main()
