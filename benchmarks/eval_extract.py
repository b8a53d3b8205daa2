"""Accuracy of the extraction stage (directed source -> target pairs) on the evaluation sets.

    python benchmarks/eval_extract.py [--data ../shared/data] [--errors N]

The sets are in ``../shared/data`` (see its README): they are **evaluation only**. Nothing here
is tuned on them and no text of theirs is written into the project; PETRARCH2 dictionaries are
converted to temporary TSV files in a temp dir that is removed at the end of the run.

1. **PLOVER GSR** (322 sentences). Gold directed pairs per sentence: every source code x every
   target code (all combinations); actors marked reciprocal in the markup (``(SRC/TAR: ..)``)
   additionally give both directions between each other. Codes that are not countries of the
   packaged gazetteer (IGO, NGO, IMG, ISM ...) are dropped; three typos of the set are mapped
   (JAP->JPN, ITL->ITA, VTN->VNM); self pairs (SDN->SDN, government vs rebels) are dropped
   (the extractor never gives them). The records' dates are all the placeholder 2000-01-01, so
   sentences are extracted with ``published=None`` (officials match on any of their terms).
   Micro P/R/F1 over all sentences, each sentence extracted alone.
2. **UNSCon** (UN Security Council speeches). Items: (sentence, annotated target country) from
   the negative-evaluation target ``A4`` and the challenge/correction target ``B3``; items whose
   target is the speaker itself are left out. The speaker is read from ``file_id`` (the
   sentence file's ``country`` column disagrees with it on most rows). Sentences are detokenised ("Russia 's" ->
   "Russia's", no space before punctuation) and extracted alone. Recall of: the target found
   with any source; found with the known speaker as the source; and, as an upper bound, the
   country mentioned at all in the sentence (gazetteer mention).
3. **PETRARCH2 unit-test records** (fictional countries). The ``PETR.Validate.actors.txt``
   dictionary is converted into a countries TSV and an officials TSV (entries with date
   restrictions become officials with terms); gold = the events' source/target codes cut to
   their first 3 letters (``GONGOV`` -> ``GON``); codes not starting with 3 letters (``---GOV``,
   ``###``) are dropped. Event codes are ignored. Directed-pair micro P/R/F1.
4. **The seed article** (``seeds/000_38975f3c750645bc.txt``): all dyads, for the team to judge.
5. **VOA gold** (``benchmarks/gold/voa_dyads.jsonl``, see its README): the project's own
   sentence-level annotation of whole VOA stories, made by AI annotator sessions that never saw the extractor's
   output. Whole articles are extracted (context matters) and compared sentence by sentence;
   pairs marked "uncertain" count neither way. ``dev`` rows may guide rule changes; ``test``
   rows never have their errors printed.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.extract.actors import Gazetteer  # noqa: E402
from tracker.extract.petrarch import country3, parse_petr_actors, petr_tables  # noqa: E402
from tracker.extract import Extractor  # noqa: E402
from tracker.lab.gold import VOA_DYADS, load_gold  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = ROOT / "seeds" / "000_38975f3c750645bc.txt"

Pair = tuple[str, str]


# ----------------------------------------------------------------------------------------------
# Metrics


@dataclass
class PRF:
    """Micro counts of directed pairs; precision, recall and F1 derived from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: set[Pair], pred: set[Pair]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)


def micro_prf(gold: list[set[Pair]], pred: list[set[Pair]]) -> PRF:
    """Micro P/R/F1 of directed pairs over aligned lists of per-sentence pair sets."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred must have one set per sentence")
    out = PRF()
    for g, p in zip(gold, pred):
        out.add(set(g), set(p))
    return out


def expand_pairs(sources, targets, reciprocal=()) -> set[Pair]:
    """Gold directed pairs: every source x every target, plus both directions between the
    reciprocal parties; self pairs dropped.

    >>> sorted(expand_pairs(["A"], ["B", "C"]))
    [('A', 'B'), ('A', 'C')]
    >>> sorted(expand_pairs([], [], ["A", "B"]))
    [('A', 'B'), ('B', 'A')]
    """
    srcs = set(sources) | set(reciprocal)
    tgts = set(targets) | set(reciprocal)
    return {(s, t) for s in srcs for t in tgts if s != t}


def recall(hits: list[bool]) -> float:
    return sum(hits) / len(hits) if hits else 0.0


# ----------------------------------------------------------------------------------------------
# PLOVER GSR

PLOVER_TYPOS = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
_RECIP = re.compile(r"\(SRC/TAR:\s*([^)]*)\)")


def plover_gold(record: dict, is_country=lambda c: True) -> tuple[set[Pair], list[str]]:
    """Gold pairs of one PLOVER record and the codes dropped as not countries."""
    def actors(key):
        v = record.get(key)
        return v if isinstance(v, list) else []

    info = record.get("textInfo")
    markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")
    recip_texts = [t.strip() for t in _RECIP.findall(markup)]
    srcs, tgts, recip, dropped = [], [], [], []
    for key, bucket in (("source", srcs), ("target", tgts)):
        for a in actors(key):
            code = PLOVER_TYPOS.get(a.get("code") or "", a.get("code") or "")
            if not is_country(code):
                dropped.append(code)
                continue
            text = (a.get("actorText") or "").strip()
            if text and any(text in r or r in text for r in recip_texts):
                recip.append(code)
            else:
                bucket.append(code)
    if recip_texts and not recip and not tgts:
        # Reciprocal markup whose texts do not match the actor texts: all sources are parties.
        recip, srcs = srcs, []
    return expand_pairs(srcs, tgts, recip), dropped


def load_plover(data: Path) -> list[dict]:
    rows = json.loads((data / "plover_gsr" / "PLOVER_GSR_CAMEO.json").read_text("utf-8"))
    return [r for r in rows if r.get("event") != "DOCUMENT" and r.get("text")]


# ----------------------------------------------------------------------------------------------
# UNSCon


def detokenize(text: str) -> str:
    """Undo the corpus' tokenisation: "Russia 's activities ," -> "Russia's activities,"."""
    t = " ".join(text.split())
    t = re.sub(r" (?=[.,;:!?%)\]])", "", t)
    t = re.sub(r"([(\[]) ", r"\1", t)
    t = re.sub(r" (?='s\b|'\s|n't\b)", "", t)
    # Straight quotes: '" bandits "' -> '"bandits"'.
    parts = t.split('"')
    for i in range(1, len(parts), 2):
        parts[i] = parts[i].strip()
    return '"'.join(parts)


def speaker_framed(sentence: str, speaker: str) -> str:
    """``"We condemn Russia."`` -> ``"France said that we condemn Russia."``."""
    first = sentence.split(" ", 1)[0]
    if first in ("We", "I", "It", "This", "That", "These", "Those", "The", "They", "Our", "My",
                 "In", "At", "On", "As", "But", "And", "However", "Today", "There", "What"):
        sentence = sentence[0].lower() + sentence[1:]
    return f"{speaker} said that {sentence}"


def country_key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def unscon_country_map(gaz: Gazetteer) -> dict[str, str]:
    """Normalised country name (``russian_federation`` -> ``russianfederation``) -> ISO3."""
    out = {}
    for iso3, row in gaz.countries.items():
        for name in (row.get("name"), row.get("official_name")):
            if name:
                out.setdefault(country_key(str(name)), iso3)
    for form, (iso3, kind) in gaz._forms.items():  # aliases: "Republic of Korea"
        if kind in ("name", "official_name", "alias"):
            out.setdefault(country_key(form), iso3)
    return out


def unscon_iso3(name: str, cmap: dict[str, str]) -> str | None:
    name = (name or "").strip()
    if not name or name in ("_", "-NONE-") or name.startswith("UNSC_"):
        return None
    key = country_key(name)
    if key in cmap:
        return cmap[key]
    key = country_key(name.split("(")[0])
    return cmap.get(key)


def unscon_speaker(file_id: str) -> str:
    """Speaking country named in ``file_id``: ``UNSC_2014_SPV.7165_spch004_United_Kingdom_Of_
    Great_Britain_And_Northern_Ireland_02.txt`` -> ``United_Kingdom_Of_...``. The sentence file's
    ``country`` column disagrees with ``file_id`` on most rows, so the file id is used."""
    m = re.match(r"UNSC_\d+_SPV\.\d+_spch\d+_(.*)$", file_id)
    part = re.split(r"_neg|_pos|_GD|\d|%|\.txt", m.group(1) if m else file_id)[0].rstrip("_")
    return re.sub(r"(?<=[a-z])A$", "", part)


def unscon_items(rows: list[dict], cmap: dict[str, str]):
    """(row index, speaker ISO3, target ISO3) items; also the count left out as self-targets."""
    items, self_targets = [], 0
    for i, r in enumerate(rows):
        speaker = unscon_iso3(unscon_speaker(r["file_id"]), cmap)
        for col in ("A4", "B3"):
            target = unscon_iso3(r[col], cmap)
            if target is None:
                continue
            if target == speaker:
                self_targets += 1
                continue
            if (i, speaker, target) not in items:
                items.append((i, speaker, target))
    return items, self_targets


def unscon_recalls(items, pred: dict[int, set[Pair]], mentioned: dict[int, set[str]]):
    """Recall of: target with any source, target with the speaker as source, any mention."""
    any_src = [any(t == target for _, t in pred.get(i, ())) for i, _, target in items]
    speaker = [(spk, target) in pred.get(i, ()) for i, spk, target in items]
    mention = [target in mentioned.get(i, ()) for i, _, target in items]
    return recall(any_src), recall(speaker), recall(mention)


# ----------------------------------------------------------------------------------------------
# PETRARCH2

def write_tsv(path: Path, columns, rows) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(columns) + "\n")
        for r in rows:
            fh.write("\t".join(str(r.get(c, "")) for c in columns) + "\n")
    return path


def petr_gazetteer(data: Path, tmp: Path) -> tuple[Gazetteer, dict]:
    from tracker.extract.actors import COUNTRY_COLUMNS, OFFICIAL_COLUMNS

    text = (data / "petrarch2" / "dictionaries" / "PETR.Validate.actors.txt").read_text(
        "utf-8", errors="replace")
    entries = parse_petr_actors(text)
    countries, officials, skipped = petr_tables(entries)
    c = write_tsv(tmp / "petr_countries.tsv", COUNTRY_COLUMNS, countries)
    o = write_tsv(tmp / "petr_officials.tsv", OFFICIAL_COLUMNS, officials)
    info = {"entries": len(entries), "countries": len(countries), "officials": len(officials),
            **skipped}
    return Gazetteer(countries=[c], officials=[o]), info


def load_petr_records(data: Path) -> list[dict]:
    root = ET.parse(data / "petrarch2" / "text" / "PETR.UnitTest.records.xml").getroot()
    out = []
    for s in root.iter("Sentence"):
        text = " ".join((s.findtext("Text") or "").split())
        events = [(e.get("sourcecode") or "", e.get("targetcode") or "")
                  for e in s.findall("EventCoding") if e.get("sourcecode") is not None]
        d = s.get("date") or ""
        date = dt.date(int(d[:4]), int(d[4:6]), int(d[6:8])) if len(d) == 8 else None
        out.append({"id": s.get("id"), "text": text, "date": date, "events": events})
    return out


def petr_gold(events, known: set[str]) -> tuple[set[Pair], int]:
    """Gold pairs (first 3 letters of each code) and the number of codes dropped."""
    gold, dropped = set(), 0
    for src, tgt in events:
        s, t = country3(src), country3(tgt)
        if s is None or t is None or s not in known or t not in known:
            dropped += 1
            continue
        if s != t:
            gold.add((s, t))
    return gold, dropped


# ----------------------------------------------------------------------------------------------
# Running


@dataclass
class Run:
    name: str
    sentences: list[str]
    gold: list[set[Pair]]
    pred: list[set[Pair]]
    statements: list[list]
    seconds: float
    notes: list[str] = field(default_factory=list)


#: The learned reader to measure instead of the rules (``--reader``), or None.
READER: str | None = None


def stage(gaz: Gazetteer | None = None):
    """The rule extractor, or (with ``--reader``) the learned reader on the same gazetteer;
    both answer ``extract(id, text, date, speaker=None)``."""
    rules = Extractor(gaz)
    if READER is None:
        return rules
    from tracker.reader.model import Reader, ReaderStage

    return ReaderStage(Reader.load(READER), rules)


def extract_each(ex: Extractor, texts, dates) -> tuple[list[set[Pair]], list[list], float]:
    preds, sts, total = [], [], 0.0
    for i, (text, date) in enumerate(zip(texts, dates)):
        t = time.perf_counter()
        found = ex.extract(f"s{i}", text, date)
        total += time.perf_counter() - t
        preds.append({(s.source, s.target) for s in found})
        sts.append(found)
    return preds, sts, total


def run_plover(data: Path) -> Run:
    gaz = Gazetteer.default()
    rows = load_plover(data)
    golds, dropped = [], Counter()
    for r in rows:
        g, d = plover_gold(r, gaz.is_country)
        golds.append(g)
        dropped.update(d)
    texts = [r["text"] for r in rows]
    preds, sts, secs = extract_each(stage(gaz), texts, [None] * len(rows))
    no_gold = sum(1 for g in golds if not g)
    notes = [f"{no_gold} of {len(rows)} sentences have no gold country pair",
             "codes dropped as not countries: " + ", ".join(f"{c} {n}" for c, n in
                                                            dropped.most_common())]
    return Run("PLOVER GSR", texts, golds, preds, sts, secs, notes)


def run_petrarch(data: Path) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        gaz, info = petr_gazetteer(data, Path(tmp))
    records = load_petr_records(data)
    known = set(gaz.countries)
    golds, dropped = [], 0
    for r in records:
        g, d = petr_gold(r["events"], known)
        golds.append(g)
        dropped += d
    texts = [r["text"] for r in records]
    preds, sts, secs = extract_each(stage(gaz), texts, [r["date"] for r in records])
    notes = ["dictionary: " + ", ".join(f"{k} {v}" for k, v in info.items()),
             f"gold events dropped (code without a known 3-letter prefix): {dropped}",
             f"{sum(1 for g in golds if not g)} of {len(records)} records have no gold pair"]
    return Run("PETRARCH2 unit tests", texts, golds, preds, sts, secs, notes)


def run_unscon(data: Path):
    gaz = Gazetteer.default()
    cmap = unscon_country_map(gaz)
    with open(data / "unscon" / "conflict_annotations_sentences.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    items, self_targets = unscon_items(rows, cmap)
    wanted = sorted({i for i, _, _ in items})
    texts = [detokenize(rows[i]["sentence_text"]) for i in range(len(rows))]
    ex = stage(gaz)
    preds, sts, secs = extract_each(ex, texts, [None] * len(rows))
    pred = dict(enumerate(preds))
    mentioned = {i: {m.iso3 for m in gaz.find_mentions(texts[i]) if m.iso3} for i in wanted}
    r_any, r_spk, r_men = unscon_recalls(items, pred, mentioned)
    # The speaker made explicit: "Russia said that <sentence>" (first letter lower-cased unless
    # it starts a name), so that the target rules are measured apart from finding the source.
    framed = {}
    for i in wanted:
        spk = unscon_iso3(unscon_speaker(rows[i]["file_id"]), cmap)
        framed[i] = {(s.source, s.target) for s in ex.extract(
            f"f{i}", speaker_framed(texts[i], gaz.country_name(spk) if spk else "It"), None)}
    r_framed = recall([(spk, tgt) in framed.get(i, ()) for i, spk, tgt in items])
    # Speech mode: the extractor is told who speaks, so "we" and "my delegation" resolve to it.
    spoken = {}
    for i in wanted:
        spk = unscon_iso3(unscon_speaker(rows[i]["file_id"]), cmap)
        spoken[i] = {(s.source, s.target) for s in ex.extract(f"p{i}", texts[i], None,
                                                               speaker=spk)}
    r_spoken = recall([(spk, tgt) in spoken.get(i, ()) for i, spk, tgt in items])
    speakers_unmapped = sorted({unscon_speaker(r["file_id"]) for r in rows
                                if unscon_iso3(unscon_speaker(r["file_id"]), cmap) is None})
    disagree = sum(1 for r in rows if unscon_iso3(r["country"], cmap)
                   != unscon_iso3(unscon_speaker(r["file_id"]), cmap))
    return {"rows": rows, "texts": texts, "items": items, "self": self_targets, "pred": pred,
            "statements": sts, "seconds": secs, "recall_any": r_any, "recall_speaker": r_spk,
            "recall_mention": r_men,
            "recall_framed": r_framed, "recall_spoken": r_spoken, "framed": framed, "mentioned": mentioned, "unmapped": speakers_unmapped, "disagree": disagree,
            "n_statements": sum(len(s) for s in sts)}


GOLD_DIR = ROOT / "benchmarks" / "gold"
GOLD_VOA = GOLD_DIR / VOA_DYADS  # one row per sentence: ids, offsets, ``dyads``, ``uncertain``; no text


def voa_gold_sets(rows: list[dict]) -> tuple[list[set[Pair]], list[set[Pair]]]:
    """Gold pairs and "uncertain" pairs (counted neither right nor wrong) per sentence."""
    gold = [{tuple(p) for p in r["dyads"]} for r in rows]
    unsure = [{tuple(p) for p in r.get("uncertain", ())} - g for r, g in zip(rows, gold)]
    return gold, unsure


def run_voa_gold(data: Path, gold_dir: Path = GOLD_DIR, part: str = "all") -> Run:
    """Whole articles extracted (context matters), compared sentence by sentence.

    ``part``: "dev" (rows whose errors the team has read and may change rules for), "test"
    (rows whose errors are never printed: only their totals) or "all".
    """
    gold_set = load_gold(data, gold_dir, part)
    rows, articles = gold_set.rows, gold_set.articles
    keep = set(r["article_id"] for r in rows)
    ex = stage()
    by_sentence, secs = {}, 0.0
    for article_id in dict.fromkeys(r["article_id"] for r in rows):
        art = articles[article_id]
        t = time.perf_counter()
        found = ex.extract(art.id, art.text, art.published)
        secs += time.perf_counter() - t
        for st in found:
            by_sentence.setdefault((art.id, st.sentence_index), []).append(st)
    # (Test sentences that also stand in a dev story are already left out: rules were
    # changed after reading dev errors.)
    texts, sts = [], []
    for r in rows:
        texts.append(r["text"])
        found = by_sentence.get((r["article_id"], r["sentence_index"]), [])
        if found and (found[0].sentence_start, found[0].sentence_end) != (r["start"], r["end"]):
            raise SystemExit(f"{gold_dir}: sentence {r['article_id']}/{r['sentence_index']} no "
                             "longer matches the sentence splitter; re-annotate or re-align.")
        sts.append(found)
    gold, unsure = voa_gold_sets(rows)
    pred = [{(s.source, s.target) for s in found} - u for found, u in zip(sts, unsure)]
    notes = [f"{len(keep)} articles ({part}), {sum(1 for g in gold if g)} sentences with gold "
             f"pairs, {sum(len(u) for u in unsure)} uncertain pairs not counted"]
    return Run(f"VOA gold ({part})", texts, gold, pred, sts, secs, notes)


def run_seed(path: Path = SEED):
    from tracker.ingest import read_articles

    ex = Extractor()
    out = []
    for art in read_articles(path):
        t = time.perf_counter()
        sts = ex.extract(art.id, art.text, art.published)
        out.append((art, sts, time.perf_counter() - t))
    return out


# ----------------------------------------------------------------------------------------------
# Printing


def _short(s: str, n: int = 220) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[:n - 3] + "..."


def print_errors(run: Run, n: int) -> None:
    fps, fns = [], []
    for sent, g, p, sts in zip(run.sentences, run.gold, run.pred, run.statements):
        for pair in sorted(p - g):
            st = next(s for s in sts if (s.source, s.target) == pair)
            fps.append(f"  FP {pair[0]}->{pair[1]} [{st.rule}] '{st.source_text}' -> "
                       f"'{st.target_text}' | gold {sorted(g)} | {_short(sent)}")
        for pair in sorted(g - p):
            fns.append(f"  FN {pair[0]}->{pair[1]} | predicted {sorted(p)} | {_short(sent)}")
    print(f"\n== {run.name}: {len(fps)} false positives, {len(fns)} false negatives "
          f"(first {n} of each)")
    for line in fps[:n] + fns[:n]:
        print(line)


def print_unscon_errors(u: dict, n: int) -> None:
    misses = [(i, spk, tgt) for i, spk, tgt in u["items"]
              if not any(t == tgt for _, t in u["pred"].get(i, ()))]
    wrong_src = [(i, spk, tgt) for i, spk, tgt in u["items"]
                 if any(t == tgt for _, t in u["pred"].get(i, ()))
                 and (spk, tgt) not in u["pred"].get(i, ())]
    print(f"\n== UNSCon: {len(misses)} targets not found, {len(wrong_src)} found with another "
          f"source (first {n} of each)")
    for i, spk, tgt in misses[:n]:
        where = "mentioned" if tgt in u["mentioned"].get(i, ()) else "not mentioned"
        print(f"  FN {spk}->{tgt} ({where}) | predicted {sorted(u['pred'].get(i, ()))} | "
              f"{_short(u['texts'][i])}")
    for i, spk, tgt in wrong_src[:n]:
        sts = [f"{s.source}->{s.target} [{s.rule}] '{s.source_text}'"
               for s in u["statements"][i] if s.target == tgt]
        print(f"  SRC speaker {spk}, got {'; '.join(sts)} | {_short(u['texts'][i])}")
    # False positives: statements in sentences whose annotated target is another country.
    annotated = {}
    for i, _, tgt in u["items"]:
        annotated.setdefault(i, set()).add(tgt)
    fps = [(i, s) for i, tg in annotated.items() for s in u["statements"][i]
           if s.target not in tg]
    print(f"  ({len(fps)} statements in annotated sentences point at a non-annotated target; "
          f"first {n})")
    for i, s in fps[:n]:
        print(f"  FP? {s.source}->{s.target} [{s.rule}] '{s.source_text}' -> '{s.target_text}' "
              f"| {_short(u['texts'][i])}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA,
                        help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="print N false positives and N false negatives per dataset")
    parser.add_argument("--seed", type=Path, default=SEED, help="seed article to list")
    parser.add_argument("--reader", default=None, metavar="MODEL",
                        help="measure the learned reader (fast, accurate or a folder) instead "
                             "of the rules")
    parser.add_argument("--skip-unscon", action="store_true", help="leave UNSCon out")
    args = parser.parse_args(argv)
    global READER
    READER = args.reader

    runs = [run_plover(args.data), run_petrarch(args.data)]
    if GOLD_VOA.is_file():
        runs += [r for r in (run_voa_gold(args.data, part=p) for p in ("dev", "test"))
                 if r.sentences]
    u = None if args.skip_unscon else run_unscon(args.data)

    print("Directed-pair extraction accuracy (micro over sentences; evaluation-only sets)\n")
    head = (f"{'dataset':<22} {'sent':>5} {'gold':>5} {'pred':>5} {'TP':>5} {'FP':>5} "
            f"{'FN':>5} {'P':>6} {'R':>6} {'F1':>6} {'sent/s':>8}")
    print(head)
    print("-" * len(head))
    for r in runs:
        m = micro_prf(r.gold, r.pred)
        print(f"{r.name:<22} {len(r.sentences):>5} {m.tp + m.fn:>5} {m.tp + m.fp:>5} "
              f"{m.tp:>5} {m.fp:>5} {m.fn:>5} {m.precision:>6.3f} {m.recall:>6.3f} "
              f"{m.f1:>6.3f} {len(r.sentences) / r.seconds:>8,.0f}")
    for r in runs:
        for note in r.notes:
            print(f"  {r.name}: {note}")

    if u is None:
        return
    print(f"\nUNSCon: {len(u['rows'])} sentences, {len(u['items'])} (sentence, target) items "
          f"({u['self']} self-targets left out), {u['n_statements']} statements extracted, "
          f"{len(u['rows']) / u['seconds']:,.0f} sent/s")
    print(f"  recall, target found with any source:        {u['recall_any']:.3f}")
    print(f"  recall, target found with the speaker source: {u['recall_speaker']:.3f}")
    print(f"  recall, speaker-framed ('<speaker> said that ...'), speaker->target: "
          f"{u['recall_framed']:.3f}")
    print(f"  recall, speech mode (extract(..., speaker=ISO3)), speaker->target: "
          f"{u['recall_spoken']:.3f}")
    print(f"  upper bound, target country mentioned:       {u['recall_mention']:.3f}")
    print(f"  speaker taken from file_id; the 'country' column disagrees on {u['disagree']} "
          f"of {len(u['rows'])} rows")
    if u["unmapped"]:
        print(f"  speakers without ISO3: {', '.join(u['unmapped'])}")

    for art, sts, secs in run_seed(args.seed):
        print(f"\nSeed article {art.id} ({art.published}): {len(sts)} statements "
              f"({secs * 1000:.1f} ms)")
        for s in sts:
            print(f"  [{s.sentence_index:>2}] {s.source}->{s.target} {s.rule:<24} "
                  f"'{s.source_text}' -> '{s.target_text}'")

    if args.errors:
        for r in runs:
            if r.name != "VOA gold (test)":  # the held-out part: totals only, never its errors
                print_errors(r, args.errors)
        print_unscon_errors(u, args.errors)


if __name__ == "__main__":
    main()
