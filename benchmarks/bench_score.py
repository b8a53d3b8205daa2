"""Statements per second of the shipped (LoRA fine-tuned) tone model: one at a time vs batched
and sorted by length.

Runs both ways in the same process on real sentences from the VOA stories (crudely split; the
first capitalised word after the sentence start is marked as the target), with the network in
fp32 and in bf16 autocast, and prints a table with the speed-up. Threads: all cores, or
``TRACKER_THREADS``.

    python benchmarks/bench_score.py [--n 256] [--data ../shared/data/voa/voa_stories.jsonl]
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

from tracker.tone import ToneInput, ToneModel  # noqa: E402

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


def target(text: str) -> tuple[tuple[int, int], ...]:
    hit = re.search(r"(?<=\s)[A-Z][a-z]{2,}", text)
    return ((hit.start(), hit.end()),) if hit else ()


def rate(fn, n: int) -> float:
    t0 = time.perf_counter()
    fn()
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=256, help="number of sentences")
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = ap.parse_args()

    texts = sentences(args.data, args.n)
    inputs = [ToneInput(t, target(t)) for t in texts]
    model = ToneModel.load()
    model.predict(inputs[:8])  # load the encoder and warm up
    rows = []
    for bf16 in ("0", "1"):
        os.environ["TRACKER_BF16"] = bf16
        single = rate(lambda: [model.predict([x]) for x in inputs], len(inputs))
        batched = rate(lambda: model.predict(inputs, batch_size=64), len(inputs))
        rows.append(("bf16 autocast" if bf16 == "1" else "fp32", single, batched))
    n_tok = sum(len(t.split()) for t in texts) / len(texts)
    from tracker.tone.encoder import n_threads

    load = os.getloadavg()[0]
    print(f"{len(texts)} VOA sentences, {n_tok:.1f} words on average, model "
          f"{model.config.get('kind')} (epoch {model.config.get('selected_epoch')}), "
          f"{n_threads()} threads on {os.cpu_count()} CPUs, load average {load:.1f} at the end "
          f"(other processes slow small batches most)\n")
    print("| network | one at a time (stmt/s) | batch 64, sorted (stmt/s) | ratio |")
    print("|---|---|---|---|")
    for name, single, batched in rows:
        print(f"| {name} | {single:.0f} | {batched:.0f} | {batched / single:.1f}x |")
    print(f"\nbf16 batched vs fp32 one at a time: {rows[1][2] / rows[0][1]:.1f}x")


if __name__ == "__main__":
    main()
