"""Extraction speed against tone scoring, per statement, on the VOA stories (same run).

    python benchmarks/bench_extract.py [--repeat 3]

Prints sentences/s and statements/s of extraction, statements/s of tone scoring (batched,
sorted by length), and the ratio. The issue's budget: extraction at least 10x faster than
scoring per statement.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from tracker.extract import Extractor, split_sentences
from tracker.ingest import read_articles
from tracker.score import ToneInput, ToneModel

VOA = Path(__file__).resolve().parents[2] / "shared" / "data" / "voa" / "voa_stories.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    articles = list(read_articles([VOA]))
    n_sentences = sum(len(split_sentences(a.text)) for a in articles)
    extractor = Extractor()
    extractor.extract("warm-up", articles[0].text, articles[0].published)

    times, statements = [], []
    for _ in range(args.repeat):
        t = time.perf_counter()
        statements = [s for a in articles for s in extractor.extract(a.id, a.text, a.published)]
        times.append(time.perf_counter() - t)
    extract_s = statistics.median(times)

    by_id = {a.id: a.text for a in articles}
    inputs = [ToneInput(by_id[s.article_id][s.clause_start:s.clause_end],
                        tuple((a - s.clause_start, b - s.clause_start) for a, b in s.target_spans
                              if s.clause_start <= a and b <= s.clause_end))
              for s in statements]
    model = ToneModel.load()
    model.predict(inputs[:32])
    t = time.perf_counter()
    model.predict(inputs, batch_size=64)
    score_s = time.perf_counter() - t

    n = len(statements)
    print(f"VOA: {len(articles)} articles, {n_sentences} sentences, {n} statements")
    print(f"extract: {extract_s:.3f} s (median of {args.repeat}) = {n_sentences / extract_s:,.0f} "
          f"sentences/s = {n / extract_s:,.0f} statements/s")
    print(f"score:   {score_s:.3f} s = {n / score_s:,.0f} statements/s (batch 64, sorted)")
    print(f"extraction is {score_s / extract_s:.1f}x faster than scoring per statement")


if __name__ == "__main__":
    main()
