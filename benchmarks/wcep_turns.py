"""Does the weekly index move the right way at well-known turns in bilateral relations?

    python benchmarks/wcep_turns.py [--model rules|fast|PATH] [--weeks-before 12]

The ten turns below were written down before any index was computed on Wikipedia Current
Events: summits, normalisations, wars, expulsions, each with its ISO week and the direction an
analyst would expect the pair's index to move. For each, the WCEP items of the twelve weeks
before the turn to two weeks after it go through the whole pipeline (ingest, extract, tone,
index); the pair's index in the turn's week and the week after is compared with its mean over the
weeks before that have statements. The turn is called right when the move has the expected sign,
and "clear" when it is also larger than the band of the turn's week.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WCEP = ROOT.parent / "shared" / "data" / "wcep" / "wcep_2002_2024.jsonl.gz"

#: (label, pair, ISO week of the turn, expected direction: +1 warming, -1 souring)
TURNS = [
    ("Iran nuclear deal (JCPOA) agreed in Vienna", ("IRN", "USA"), "2015-W29", +1),
    ("US withdraws from the JCPOA", ("IRN", "USA"), "2018-W19", -1),
    ("Iran and Saudi Arabia agree to restore relations", ("IRN", "SAU"), "2023-W10", +1),
    ("Russia invades Ukraine", ("RUS", "UKR"), "2022-W08", -1),
    ("Israel and the UAE agree to normalise relations", ("ARE", "ISR"), "2020-W33", +1),
    ("Trump-Kim summit in Singapore", ("PRK", "USA"), "2018-W24", +1),
    ("US and Cuba announce the restoring of relations", ("CUB", "USA"), "2014-W51", +1),
    ("Saudi Arabia and allies cut ties with Qatar", ("QAT", "SAU"), "2017-W23", -1),
    ("Galwan Valley clash between China and India", ("CHN", "IND"), "2020-W25", -1),
    ("Britain expels Russian diplomats after the Skripal poisoning", ("GBR", "RUS"),
     "2018-W11", -1),
]


def monday(week: str) -> dt.date:
    year, w = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(w), 1)


def window(rows, week: str, before: int, after: int = 2):
    start = monday(week) - dt.timedelta(weeks=before)
    end = monday(week) + dt.timedelta(weeks=after)
    return [r for r in rows if start.isoformat() <= r["published"] < end.isoformat()]


def measure(model: str, before: int) -> list[dict]:
    from tracker import pipeline

    with gzip.open(WCEP, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, pair, week, expected in TURNS:
            items = window(rows, week, before)
            src = Path(tmp) / f"{week}.jsonl"
            src.write_text("".join(json.dumps({k: r[k] for k in ("id", "url", "title",
                                                                 "published", "outlet",
                                                                 "text")}) + "\n"
                                   for r in items))
            db = Path(tmp) / f"{week}.db"
            t = time.perf_counter()
            extractor = pipeline.make_extractor(model=model)
            with pipeline.open_store(db) as store:
                pipeline.ingest(store, [src])
                pipeline.extract(store, extractor, workers=1)
                pipeline.score(store, extractor if model != "rules" else None)
                index = pipeline.build_index(store, "W").results_
            seconds = time.perf_counter() - t
            a, b = sorted(pair)
            mine = index[(index["country_a"] == a) & (index["country_b"] == b)]
            pre = mine[mine["period"] < week]
            turn = mine[mine["period"].isin([week, _next(week)])]
            row = {"turn": label, "pair": f"{a}-{b}", "week": week, "expected": expected,
                   "items": len(items), "seconds": round(seconds, 1),
                   "weeks_before_with_statements": len(pre),
                   "statements_turn": int(turn["n_statements"].sum()) if len(turn) else 0}
            if len(turn):
                # The turn's week, or the week after when the turn's own week is silent.
                at = turn.iloc[0]
                base = float(pre["index"].mean()) if len(pre) else 0.0
                change = float(at["index"]) - base
                row.update(baseline=round(base, 1), index=round(float(at["index"]), 1),
                           band=[round(float(at["lower"]), 1), round(float(at["upper"]), 1)],
                           change=round(change, 1), right=bool(change * expected > 0),
                           clear=bool(change * expected > 0 and (
                               (expected > 0 and at["lower"] > base)
                               or (expected < 0 and at["upper"] < base))))
            else:
                row.update(baseline=None, index=None, band=None, change=None, right=False,
                           clear=False)
            out.append(row)
    return out


def _next(week: str) -> str:
    y, w, _ = (monday(week) + dt.timedelta(weeks=1)).isocalendar()
    return f"{y}-W{w:02d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="rules")
    parser.add_argument("--weeks-before", type=int, default=12)
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    rows = measure(args.model, args.weeks_before)
    print(f"model: {args.model}")
    print(f"{'turn':<58} {'pair':<8} {'week':<9} {'exp':>3} {'base':>6} {'index':>6} "
          f"{'change':>7} {'n':>3} verdict")
    for r in rows:
        verdict = "clear" if r["clear"] else "right" if r["right"] else "wrong"
        if r["index"] is None:
            verdict = "no statement"
        print(f"{r['turn'][:58]:<58} {r['pair']:<8} {r['week']:<9} {r['expected']:>+3d} "
              f"{r['baseline'] if r['baseline'] is not None else '':>6} "
              f"{r['index'] if r['index'] is not None else '':>6} "
              f"{r['change'] if r['change'] is not None else '':>7} "
              f"{r['statements_turn']:>3} {verdict}")
    print(f"right: {sum(r['right'] for r in rows)} of {len(rows)}; clear: "
          f"{sum(r['clear'] for r in rows)}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
