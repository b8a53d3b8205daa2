"""Statements per second of the shipped (LoRA fine-tuned) tone model on each engine: one at a
time vs batched and sorted by length, and each engine's agreement with torch float32.

Runs every engine (ONNX Runtime int8 and float32, torch bf16 autocast and float32) in the same
process on real sentences from the VOA stories (crudely split; the first capitalised word after
the sentence start is marked as the target), and prints a table with the speed-ups. Threads:
all cores, or ``TRACKER_THREADS``. Each engine's start-up in a fresh process, which decides
what ``auto`` runs for a job's size, is in ``tracker prepare``'s table.

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

    from tracker.tone.engine import decisions
    from tracker.tone.onnx import agreement

    texts = sentences(args.data, args.n)
    inputs = [ToneInput(t, target(t)) for t in texts]
    rows, logits = [], {}
    # ONNX Runtime first: it slows down once torch has computed in the process.
    for name in ("onnx", "onnx-fp32", "torch", "torch-fp32"):
        model = ToneModel.load(engine=name)
        model.predict(inputs[:8])  # load the network and warm up
        single = rate(lambda: [model.predict([x]) for x in inputs], len(inputs))
        batched = rate(lambda: model.predict(inputs, batch_size=64), len(inputs))
        logits[name] = model.logits(inputs)
        rows.append((name, single, batched))
    n_tok = sum(len(t.split()) for t in texts) / len(texts)
    from tracker.tone.encoder import n_threads

    load = os.getloadavg()[0]
    print(f"{len(texts)} VOA sentences, {n_tok:.1f} words on average, model "
          f"{model.config.get('kind')} (epoch {model.config.get('selected_epoch')}), "
          f"{n_threads()} threads on {os.cpu_count()} CPUs, load average {load:.1f} at the end "
          f"(other processes slow small batches most)\n")
    print("| engine | one at a time (stmt/s) | batch 64, sorted (stmt/s) | ratio | labels as "
          "torch-fp32 | tone p99 diff |")
    print("|---|---|---|---|---|---|")
    ref = decisions(logits["torch-fp32"], model.temperature)
    for name, single, batched in rows:
        a = agreement(*ref, *decisions(logits[name], model.temperature))
        print(f"| {name} | {single:.0f} | {batched:.0f} | {batched / single:.1f}x | "
              f"{a['label_agreement']:.4f} | {a['tone_diff_p99']:.4f} |")
    fp32_single = dict((r[0], r[1]) for r in rows)["torch-fp32"]
    print("\nbatched against torch-fp32 one at a time: "
          + ", ".join(f"{name} {batched / fp32_single:.1f}x" for name, _, batched in rows))


if __name__ == "__main__":
    main()
