"""Statements per second of the tone model: one at a time vs batched and sorted by length.

Runs both ways in the same process on real sentences from the VOA stories (crudely split), with
the encoder in fp32 and in bf16 autocast, and prints a table with the speed-up.

    python benchmarks/bench_score.py [--n 512] [--data ../shared/data/voa/voa_stories.jsonl]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from tracker.score import ToneInput, ToneModel  # noqa: E402

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "voa" / "voa_stories.jsonl"


def sentences(path: Path, n: int) -> list[str]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            # Crude: split after . ! ? followed by a space and a capital letter or a quote.
            for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text):
                s = s.strip()
                if 20 <= len(s) <= 600:
                    out.append(s)
                    if len(out) >= n:
                        return out
    return out


def rate(fn, n: int) -> float:
    t0 = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=512, help="number of sentences")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()

    texts = sentences(args.data, args.n)
    inputs = [ToneInput(t) for t in texts]
    model = ToneModel.load()
    model.predict(inputs[:8])  # load the encoder and warm up
    rows = []
    for bf16 in ("0", "1"):
        os.environ["TRACKER_BF16"] = bf16
        single = rate(lambda: [model.predict([x]) for x in inputs], len(inputs))
        batched = rate(lambda: model.predict(inputs, batch_size=64), len(inputs))
        rows.append(("bf16 autocast" if bf16 == "1" else "fp32", single, batched))
    n_tok = sum(len(t.split()) for t in texts) / len(texts)
    load = os.getloadavg()[0]
    print(f"{len(texts)} VOA sentences, {n_tok:.1f} words on average, "
          f"{os.cpu_count()} CPUs, load average {load:.1f} at the end (other processes slow "
          f"small batches most)\n")
    print(f"| encoder | one at a time (stmt/s) | batch 64, sorted (stmt/s) | ratio |")
    print(f"|---|---|---|---|")
    for name, single, batched in rows:
        print(f"| {name} | {single:.0f} | {batched:.0f} | {batched / single:.1f}x |")
    print(f"\nbf16 batched vs fp32 one at a time: {rows[1][2] / rows[0][1]:.1f}x")


if __name__ == "__main__":
    main()
