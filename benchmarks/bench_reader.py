"""Speed of the reader against today's rules + tone model, measured in the same run.

    python benchmarks/bench_reader.py [--model fast] [--repeat 3]

1. Candidate pairs per second through the reader's network (the VOA stories' candidates,
   batched and sorted by length), in fp32 and under bf16 autocast, against the tone model's
   statements per second on the statements of the rules (the same machine, the same turn).
2. A whole cold ``tracker run`` over the VOA stories with ``--model rules`` and with the reader,
   each in a fresh database and a fresh process, in turns.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VOA = Path(__file__).resolve().parents[2] / "shared" / "data" / "voa" / "voa_stories.jsonl"


def network_rates(model: str, repeat: int) -> dict:
    from tracker.extract import Extractor
    from tracker.ingest import read_articles
    from tracker.reader.model import Reader, article_pairs, inputs_of
    from tracker.tone import ToneInput, ToneModel

    articles = list(read_articles([VOA]))
    extractor = Extractor()
    reader = Reader.load(model)
    flat = []
    for a in articles:
        flat += [(unit, c) for _, unit, c in article_pairs(a.id, a.text, a.published, None,
                                                           extractor)[2]]
    inputs = inputs_of(flat, extractor.gaz)
    statements = [s for a in articles for s in extractor.extract(a.id, a.text, a.published)]
    by_id = {a.id: a.text for a in articles}
    tone_inputs = [ToneInput(by_id[s.article_id][s.clause_start:s.clause_end],
                             tuple((x - s.clause_start, y - s.clause_start)
                                   for x, y in s.target_spans)) for s in statements]
    tone = ToneModel.load()
    reader.proba(inputs[:32])
    tone.predict(tone_inputs[:32])
    out = {"candidates": len(inputs), "tone_statements": len(tone_inputs)}
    times = {"reader fp32": [], "reader bf16": [], "tone model bf16": []}
    for _ in range(repeat):
        for key in times:
            os.environ["TRACKER_BF16"] = "0" if key == "reader fp32" else "1"
            t = time.perf_counter()
            if key.startswith("reader"):
                reader.proba(inputs)
            else:
                tone.predict(tone_inputs)
            times[key].append(time.perf_counter() - t)
    os.environ.pop("TRACKER_BF16", None)
    for key, secs in times.items():
        n = len(tone_inputs) if key.startswith("tone") else len(inputs)
        out[key] = round(n / statistics.median(secs), 1)
    return out


def cold_runs(model: str, repeat: int) -> dict:
    times = {"rules": [], model: []}
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(repeat):
            for which in times:
                db = Path(tmp) / f"{which.replace('/', '_')}-{k}.db"
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "tracker", "run", str(VOA), "--db",
                                str(db), "--out", str(Path(tmp) / f"out-{k}"), "--model", which],
                               check=True, capture_output=True)
                times[which].append(time.perf_counter() - t)
    return {k: round(statistics.median(v), 1) for k, v in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="fast")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rates = network_rates(args.model, args.repeat)
    print(f"VOA stories: {rates['candidates']} candidate pairs, {rates['tone_statements']} "
          f"statements of the rules")
    for key in ("reader fp32", "reader bf16", "tone model bf16"):
        unit = "statements" if key.startswith("tone") else "candidate pairs"
        print(f"  {key:<16} {rates[key]:>8,.1f} {unit}/s (median of {args.repeat})")
    runs = cold_runs(args.model, args.repeat)
    print(f"cold `tracker run` over the VOA stories (median of {args.repeat}, in turns): "
          + ", ".join(f"{k} {v:.1f} s" for k, v in runs.items())
          + f"; ratio {runs[args.model] / runs['rules']:.2f}")


if __name__ == "__main__":
    main()
