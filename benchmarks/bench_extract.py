"""Extraction speed against tone scoring, per statement, on the VOA stories (same run).

    python benchmarks/bench_extract.py [--repeat 5] [--workers 2]

Prints sentences/s and statements/s of extraction in one process and spread over ``--workers``
processes, statements/s of tone scoring (batched, sorted by length, all threads), and the
ratios. All are timed in turns, ``--repeat`` rounds, and compared two ways: the medians of each,
and each round's own ratio (median and range over rounds). On a shared machine the
speed of each drifts by tens of percent between minutes. The issue's budget: extraction at
least 10x faster than scoring per statement, on the same cores.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from tracker.extract import Extractor, split_sentences
from tracker.ingest import read_articles
from tracker.tone import ToneInput, ToneModel

VOA = Path(__file__).resolve().parents[2] / "shared" / "data" / "voa" / "voa_stories.jsonl"


def _interleaved(fns: dict, repeat: int) -> tuple[dict, dict]:
    """Seconds of each function per round, run in turns (a, b, c, a, b, c, ...), so that all
    of them share the machine's changing load; and each one's last output."""
    times: dict = {k: [] for k in fns}
    out: dict = {}
    for _ in range(repeat):
        for k, fn in fns.items():
            t = time.perf_counter()
            out[k] = fn()
            times[k].append(time.perf_counter() - t)
    return times, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--copies", type=int, default=8,
                        help="Feed the corpus this many times (distinct ids), so that starting "
                             "the worker processes is a fair share of the run.")
    args = parser.parse_args()
    articles = list(read_articles([VOA]))
    items = [(f"{a.id}#{k}", a.text, a.published) for k in range(args.copies) for a in articles]
    n_sentences = args.copies * sum(len(split_sentences(a.text)) for a in articles)
    extractor = Extractor()
    extractor.extract("warm-up", articles[0].text, articles[0].published)

    def run(workers):
        return [s for _, r in extractor.analyse_many(items, workers=workers)
                for s in r.statements]

    by_id = {a.id: a.text for a in articles}
    first = [s for s in run(1) if s.article_id.endswith("#0")]
    inputs = [ToneInput(by_id[s.article_id[:-2]][s.clause_start:s.clause_end],
                        tuple((a - s.clause_start, b - s.clause_start) for a, b in s.target_spans
                              if s.clause_start <= a and b <= s.clause_end))
              for s in first]
    model = ToneModel.load()
    model.predict(inputs[:32])
    fns = {"one": lambda: run(1), "par": lambda: run(args.workers),
           "score": lambda: model.predict(inputs, batch_size=64)}
    times, out = _interleaved(fns, args.repeat)
    one_s, par_s, score_s = (statistics.median(times[k]) for k in ("one", "par", "score"))
    statements = out["one"]
    assert len(out["par"]) == len(statements)
    score_rate = len(first) / score_s

    n = len(statements)
    print(f"VOA x{args.copies}: {len(items)} articles, {n_sentences} sentences, {n} statements")
    for label, secs in (("extract, 1 process", one_s), (f"extract, {args.workers} processes",
                                                          par_s)):
        print(f"{label:<24} {secs:.3f} s (median of {args.repeat}) = "
              f"{n_sentences / secs:,.0f} sentences/s = {n / secs:,.0f} statements/s")
    print(f"{'score (batch 64, sorted)':<24} {score_s:.3f} s (median) for {len(first)} = "
          f"{score_rate:,.0f} statements/s")
    print(f"per statement, extraction is {n / one_s / score_rate:.1f}x faster than scoring in "
          f"one process, {n / par_s / score_rate:.1f}x with {args.workers} processes")
    # Each round's ratio uses that round's own timings, which cancels slow drifts of the
    # machine's speed between rounds.
    for label, key in (("one process", "one"), (f"{args.workers} processes", "par")):
        ratios = sorted((n / e) / (len(first) / c) for e, c in zip(times[key], times["score"]))
        print(f"per round, {label}: median {statistics.median(ratios):.1f}x "
              f"(rounds {ratios[0]:.1f}x to {ratios[-1]:.1f}x)")


if __name__ == "__main__":
    main()
