"""The long reliability loops: kills at random moments, Ctrl-C, and concurrent runs on one
database, each ending with the export of a clean sequential run.

    python benchmarks/reliability_loops.py [--kills 12] [--rounds 2] [--out results.json]

1. Kills: ``tracker run`` over the VOA stories is killed (SIGKILL) at a random moment (ingest,
   extraction, scoring or reports), then run again to the end; the sorted statement export must
   equal that of an uninterrupted run, ``PRAGMA integrity_check`` must say ok, and no statement
   may be lost or doubled. Half the interruptions are Ctrl-C (SIGINT), which must exit 130 with
   one line.
2. Concurrency: four runs at once on one database, each on a quarter of the stories, in
   ``--rounds`` rounds; every run must exit 0 and the export must equal four runs in a row.
"""
from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOA = ROOT.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"


def run(args, **kw):
    return subprocess.run([sys.executable, "-m", "tracker", *map(str, args)],
                          capture_output=True, text=True, **kw)


def export(db: Path) -> list[str]:
    out = run(["export", "statements", "--db", db])
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    for r in rows:
        r.pop("statement_id")
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def kills(tmp: Path, n: int, rng: random.Random, reference: list[str]) -> dict:
    events = []
    for k in range(n):
        db = tmp / f"killed-{k}.db"
        sig = "SIGKILL" if k % 2 == 0 else "SIGINT"
        # (A shell's background job ignores SIGINT, and its children inherit that.)
        proc = subprocess.Popen([sys.executable, "-m", "tracker", "run", str(VOA), "--db",
                                 str(db), "--out", str(tmp / f"out-killed-{k}")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        wait = rng.uniform(0.5, 14.0)
        time.sleep(wait)
        proc.send_signal(9 if sig == "SIGKILL" else 2)
        _, err = proc.communicate(timeout=300)
        said = [line for line in err.splitlines() if line.startswith(("error", "interrupted"))]
        final = run(["run", VOA, "--db", db, "--out", tmp / f"out-killed-{k}"])
        got = export(db)
        events.append({"signal": sig, "after_s": round(wait, 1), "exit": proc.returncode,
                       "said": said[-1] if said else "", "traceback": "Traceback" in err,
                       "resumed_exit": final.returncode, "integrity": integrity(db),
                       "identical_export": got == reference,
                       "lost": len(set(reference) - set(got)),
                       "doubled": len(got) - len(set(got))})
    return {"runs": events, "reference_statements": len(reference)}


def concurrent(tmp: Path, rounds: int) -> list[dict]:
    rows = VOA.read_text(encoding="utf-8").splitlines()
    quarter = -(-len(rows) // 4)
    parts = []
    for k in range(4):
        p = tmp / f"part{k}.jsonl"
        p.write_text("\n".join(rows[k * quarter:(k + 1) * quarter]) + "\n", encoding="utf-8")
        parts.append(p)
    seq = tmp / "seq.db"
    t = time.perf_counter()
    for p in parts:
        assert run(["run", p, "--db", seq, "--out", tmp / "out-seq"]).returncode == 0
    seq_s = time.perf_counter() - t
    reference = export(seq)
    out = []
    for r in range(rounds):
        db = tmp / f"par{r}.db"
        t = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, "-m", "tracker", "run", str(p), "--db",
                                   str(db), "--out", str(tmp / f"out-par{r}-{k}")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for k, p in enumerate(parts)]
        errs = [p.communicate(timeout=900)[1] for p in procs]
        got = export(db)
        out.append({"round": r + 1, "exits": [p.returncode for p in procs],
                    "tracebacks": sum("Traceback" in e for e in errs),
                    "waited": sum("waiting for another run" in e for e in errs),
                    "seconds": round(time.perf_counter() - t, 1),
                    "sequential_seconds": round(seq_s, 1), "integrity": integrity(db),
                    "identical_export": got == reference, "statements": len(got)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        clean = tmp / "clean.db"
        assert run(["run", VOA, "--db", clean, "--out", tmp / "out-clean"]).returncode == 0
        reference = export(clean)
        result = {"kills": kills(tmp, args.kills, rng, reference),
                  "concurrent": concurrent(tmp, args.rounds)}
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
