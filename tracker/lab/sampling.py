"""Choosing the corpus items (the workbench): sentences and short world-event items drawn from six
train-allowed sources of the shared data, stratified so that hard cases (two or more states, one
state plus a known speaker, joint subjects, passives, negation, non-state speakers) are well
represented and items with no state pair stay in as negatives; split by document (WCEP by year:
2024 is the test part, 2023 dev); and cut into shards for the annotators, holding what an
annotator may see only. Deterministic: the same data and seed give the same items.
"""
from __future__ import annotations

import collections
import gzip
import hashlib
import json
import random
import re
import sys
from pathlib import Path

from tracker.extract.turns import NO_STATE, turn_marks, turn_speaker
from tracker.ingest.clean import clean_text

SOURCES = ("wcep", "voa", "ungd", "whitehouse", "state_dept", "newsmtsc")
# Items to draw per source: every source at least 10% of the corpus.
QUOTA = {"wcep": 3000, "voa": 1000, "ungd": 1300, "whitehouse": 1300, "state_dept": 1100,
         "newsmtsc": 900}
# WCEP is split by time (the corpus issue: the whole of 2024 is test); 2023 is dev.
WCEP_YEARS = {"test": 550, "dev": 300, "train": 2150}

_HARD = {
    "joint": re.compile(r"\b(?:and|with|between)\b[^.;]{0,60}\b(?:agree|sign|meet|met|talks|"
                        r"hold|held|resume|restore|establish|normali[sz]e|exchange|clash|"
                        r"joint|both|bilateral|treaty|accord|deal|summit)", re.I),
    "passive": re.compile(r"\b(?:was|were|is|are|been|being)\s+\w+(?:ed|en)\s+by\b", re.I),
    "negation": re.compile(r"\b(?:not|no|never|denies|denied|deny|refuses?|refused|rejects?|"
                           r"rejected|without|fails?|failed)\b", re.I),
    "nonstate": re.compile(r"\b(?:analysts?|experts?|rebels?|militants?|insurgents?|Hamas|"
                           r"Hezbollah|Houthis?|Taliban|Islamic State|ISIS|al-Qaeda|company|"
                           r"companies|NGO|Amnesty|Human Rights Watch|United Nations|U\.N\.|"
                           r"UN |EU |European Union|NATO|IAEA|opposition|protesters|"
                           r"activists)\b"),
    "quote": re.compile(r"\b(?:said|says|told|stated|warned|accused|called|urged|announced)\b"),
}


def _h(*parts: str) -> int:
    return int(hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest(), 16)


def _doc_split(source: str, doc: str) -> str:
    v = _h(source, doc) % 100
    return "test" if v < 17 else "dev" if v < 27 else "train"


def _sentences(text: str) -> list[str]:
    from tracker.extract import split_sentences

    return [text[a:b] for a, b in split_sentences(text)]


class _Features:
    """States a gazetteer finds in a text, and the hard-case flags: for stratified sampling
    only (annotators never see them)."""

    def __init__(self):
        from tracker.extract.actors import Gazetteer

        self.gz = Gazetteer.default()

    def __call__(self, text: str, date, speaker: str | None = None) -> dict:
        import datetime as dt

        on = dt.date.fromisoformat(date[:10]) if date else None
        states = {m.iso3 for m in self.gz.find_mentions(text, on) if m.iso3}
        for a, b in self.gz.compounds(text):
            states.update(x.iso3 for x in (a, b) if x.iso3)
        others = states - {speaker} if speaker else states
        flags = [k for k, rx in _HARD.items() if rx.search(text)]
        if len(states) >= 2:
            stratum = "multi"
        elif speaker and others:
            stratum = "speaker+state"
        elif states:
            stratum = "single"
        else:
            stratum = "none"
        return {"n_states": len(states), "stratum": stratum, "flags": flags}


def _ok_length(text: str) -> bool:
    n = len(text.split())
    return 6 <= n <= 90


# ----------------------------------------------------------------------------- readers

def _read_jsonl_gz(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _wcep(data: Path):
    for row in _read_jsonl_gz(data / "wcep" / "wcep_2002_2024.jsonl.gz"):
        text = " ".join(row["text"].split())
        if not _ok_length(text):
            continue
        year = int(row["published"][:4])
        split = "test" if year == 2024 else "dev" if year == 2023 else "train"
        yield {"source": "wcep", "doc": row["id"], "published": row["published"],
               "title": row.get("title") or "", "speaker": None, "speaker_note": "",
               "context": "", "text": text, "split": split, "url": row.get("url")}


def _gold_parts(gold_dir: Path) -> dict[str, str]:
    parts = {}
    gold = gold_dir / "voa_dyads.jsonl"
    for line in gold.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        parts[r["article_id"]] = r["part"]
    return parts


def _unwrap(text: str) -> str:
    """Joins hard-wrapped lines (the White House and State Department texts wrap at ~70
    characters); blank lines stay paragraph breaks."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)


def _sentence_items(source, doc, published, title, text, split, speaker, speaker_note, url):
    sents = _sentences(_unwrap(text))
    for i, s in enumerate(sents):
        s1 = " ".join(s.split())
        if not _ok_length(s1):
            continue
        ctx = " ".join(sents[i - 1].split()) if i > 0 else ""
        yield {"source": source, "doc": doc, "published": published, "title": title or "",
               "speaker": speaker, "speaker_note": speaker_note, "context": ctx[-600:],
               "text": s1, "split": split, "url": url, "position": i}


def _voa(data: Path, gold_dir: Path):
    from tracker.ingest import read_articles

    parts = _gold_parts(gold_dir)
    for a in read_articles([data / "voa" / "voa_stories.jsonl"]):
        # The gold stories' test part stays test; no other VOA story is (the gold dev stories
        # were read while writing rules, so they may train).
        if parts.get(a.id) == "test":
            split = "test"
        else:
            split = "dev" if _h("voa", a.external_id) % 100 < 15 else "train"
        yield from _sentence_items("voa", a.external_id, a.published, a.title, a.text, split,
                                   None, "", a.url)


def _ungd(data: Path):
    import csv

    with open(data / "ungd" / "index.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        year = int(r["year"])
        if year < 2000:
            continue
        path = data / "ungd" / r["path"]
        text = path.read_text(encoding="utf-8", errors="replace")
        who = (r.get("speaker") or "").strip().title()
        post = (r.get("post") or "").strip()
        note = (f"UN General Assembly general debate, {year}: speech by the delegation of "
                f"{r['country']} ({r['iso3']})" + (f", delivered by {who}" if who else "")
                + (f", {post}" if post else "") + ". 'We', 'my country', 'my Government' = "
                f"{r['iso3']}.")
        yield from _sentence_items("ungd", r["path"], f"{year}-09-20", "", text,
                                   _doc_split("ungd", r["path"]), r["iso3"], note, None)


def _turns(text: str):
    """(label, words) of every turn of a transcript, however few (:mod:`tracker.extract.turns`
    reads a text as one only from three on)."""
    for turn in turn_marks(text):
        yield turn.who, text[turn.body:turn.end]


def turn_note(who: str, voice: str | None) -> str:
    """What the annotators are told of the speaker of a transcript turn labelled ``who``, whom
    the tracker reads as speaking for ``voice`` (:func:`~tracker.extract.turns.turn_speaker`).

    Examples
    --------
    >>> turn_note("Q", None)
    "turn of speaker 'Q' (a journalist's question: no state speaks in it; a state is a source \
only where the question reports what that state said or did)"
    """
    if voice is not None:
        return f"turn of speaker '{who}' (an official: the speaker is {voice})"
    if NO_STATE.search(" ".join(who.split()).upper()):
        what = ("a journalist's question" if who.rstrip(".") in ("Q", "QUESTION") else
                "a moderator, a member of the audience or an official of an international "
                "organisation")
        return (f"turn of speaker '{who}' ({what}: no state speaks in it; a state is a source "
                f"only where the {'question' if 'question' in what else 'turn'} reports what "
                "that state said or did)")
    return (f"turn of speaker '{who}' (a leader or minister whose state the transcript does not "
            "name beside them: decide from the title and the text which state speaks, if any)")


def _whitehouse(data: Path):
    folder = data / "whitehouse"
    for row in _read_jsonl_gz(folder / "statements_2021_2026.jsonl.gz"):
        text = row["text"]
        if len(text) > 40000 or "national emergency" in row.get("title", "").lower():
            continue
        note = (f"White House release '{row.get('title', '')[:140]}'. The issuing voice "
                "(statement, readout, fact sheet) is the United States (USA) unless the text says "
                "it is a joint statement or quotes someone else.")
        yield from _sentence_items("whitehouse", row["id"], row["published"], row.get("title"),
                                   text, _doc_split("whitehouse", row["id"]), "USA", note,
                                   row.get("url"))
    for row in _read_jsonl_gz(folder / "remarks_briefings_2021_2026.jsonl.gz"):
        for k, (who, turn) in enumerate(_turns(row["text"])):
            if len(turn) < 80:
                continue
            # The leader's state as `tracker run` finds it: in the cleaned text (the files
            # wrap their lines), and the title.
            voice = turn_speaker(who, row["published"], "USA", document=clean_text(row["text"]),
                                 title=row.get("title"))
            note = (f"White House transcript '{row.get('title', '')[:140]}', "
                    + turn_note(who, voice))
            yield from _sentence_items("whitehouse", row["id"], row["published"],
                                       row.get("title"), turn, _doc_split("whitehouse", row["id"]),
                                       voice, note, row.get("url"))


def _state_dept(data: Path):
    folder = data / "state_dept"
    for row in _read_jsonl_gz(folder / "press_releases_2021_2022.jsonl.gz"):
        text = row["text"]
        turns = list(_turns(text))
        note = (f"US State Department press release '{row.get('title', '')[:140]}'. The issuing "
                "voice is the United States (USA) unless a transcript turn or quotation says "
                "otherwise.")
        if len(turns) >= 3:
            for who, turn in turns:
                voice = turn_speaker(who, row["published"], "USA", document=clean_text(text),
                                     title=row.get("title"))
                n2 = note + f" Transcript {turn_note(who, voice)}."
                yield from _sentence_items("state_dept", row["id"], row["published"],
                                           row.get("title"), turn,
                                           _doc_split("state_dept", row["id"]), voice, n2,
                                           row.get("url"))
        else:
            yield from _sentence_items("state_dept", row["id"], row["published"],
                                       row.get("title"), text,
                                       _doc_split("state_dept", row["id"]), "USA", note,
                                       row.get("url"))
    for row in _read_jsonl_gz(folder / "tweets_2008_2026.jsonl.gz"):
        text = re.sub(r"https?://\S+", "", row["text"])
        text = " ".join(text.split())
        if not _ok_length(text):
            continue
        yield {"source": "state_dept", "doc": row["id"], "published": row["published"],
               "title": "", "speaker": "USA",
               "speaker_note": "Post of the US State Department's official account (USA).",
               "context": "", "text": text, "split": _doc_split("state_dept", row["id"]),
               "url": row.get("url")}


def _newsmtsc(data: Path):
    for line in (data / "newsmtsc" / "train.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gid = row["primary_gid"]
        doc = "_".join(gid.split("_")[:3])
        text = " ".join(row["sentence_normalized"].split())
        if not _ok_length(text):
            continue
        yield {"source": "newsmtsc", "doc": doc, "published": "", "title": "", "speaker": None,
               "speaker_note": "", "context": "", "text": text,
               "split": _doc_split("newsmtsc", doc), "url": None}


# ----------------------------------------------------------------------------- sampling

# Shares of each source's items by stratum; "none" items are kept as negatives.
STRATA = {"multi": 0.50, "speaker+state": 0.22, "single": 0.16, "none": 0.12}
PER_DOC = {"wcep": 1, "voa": 25, "ungd": 5, "whitehouse": 4, "state_dept": 4, "newsmtsc": 3}


def _draw(pool: list[dict], n: int, rng: random.Random, per_doc: int) -> list[dict]:
    """``n`` items from ``pool``, by stratum shares, hard cases weighted up, at most
    ``per_doc`` from one document."""
    by = collections.defaultdict(list)
    for it in pool:
        by[it["_f"]["stratum"]].append(it)
    want = {s: int(round(n * share)) for s, share in STRATA.items()}
    # A stratum short of items gives its share to "multi", then "speaker+state", "single".
    spare = 0
    for s in ("none", "single", "speaker+state", "multi"):
        have = len(by[s])
        if want[s] > have:
            spare += want[s] - have
            want[s] = have
    for s in ("multi", "speaker+state", "single", "none"):
        room = len(by[s]) - want[s]
        take = min(room, spare)
        want[s] += take
        spare -= take
    out, used = [], collections.Counter()
    for s, k in want.items():
        items = by[s]
        # Weighted sampling without replacement (Efraimidis-Spirakis keys).
        keyed = sorted(items, key=lambda it: -rng.random() ** (1.0 / (1 + len(it["_f"]["flags"]))))
        got = 0
        for it in keyed:
            if got >= k:
                break
            if used[it["doc"]] >= per_doc:
                continue
            used[it["doc"]] += 1
            out.append(it)
            got += 1
    return out


def _readers(data_dir: Path, gold_dir: Path) -> dict:
    return {"wcep": lambda: _wcep(data_dir), "voa": lambda: _voa(data_dir, gold_dir),
            "ungd": lambda: _ungd(data_dir), "whitehouse": lambda: _whitehouse(data_dir),
            "state_dept": lambda: _state_dept(data_dir), "newsmtsc": lambda: _newsmtsc(data_dir)}


def sample(data_dir: Path, gold_dir: Path, out: Path, seed: int = 13, exclude: set[str] = frozenset()
           ) -> list[dict]:
    feats = _Features()
    rng = random.Random(seed)
    readers = _readers(data_dir, gold_dir)
    chosen = []
    for source in SOURCES:
        pool = _pool(source, readers[source](), feats, lambda it: it["doc"] in exclude)
        if source == "wcep":
            picked = []
            for split, n in WCEP_YEARS.items():
                picked += _draw([it for it in pool if it["split"] == split], n, rng, 1)
        else:
            picked = _draw(pool, QUOTA[source], rng, PER_DOC[source])
        print(f"{source}: pool {len(pool)}, drawn {len(picked)}", file=sys.stderr)
        chosen += picked
    return _write(chosen, out)


def _pool(source: str, items, feats, skip) -> list[dict]:
    """The items of ``source`` that may be drawn (not ``skip``-ped, each text once), with their
    strata and flags."""
    pool, seen = [], set()
    for it in items:
        if skip(it) or it["text"] in seen:
            continue
        seen.add(it["text"])
        # Long-document sources: a random sixth of their sentences is plenty to draw from.
        if source in ("ungd", "whitehouse", "state_dept") and _h(it["doc"], it["text"]) % 6:
            continue
        it["_f"] = feats(it["text"], it["published"], it["speaker"])
        if source == "newsmtsc" and it["_f"]["n_states"] == 0:
            continue  # only its sentences that name a country
        pool.append(it)
    return pool


def more(data_dir: Path, gold_dir: Path, out: Path, wanted: dict[str, int], taken: set[str],
         seed: int) -> list[dict]:
    """A further round: ``wanted[source]`` items of each source, drawn as :func:`sample` draws
    them (strata, hard cases weighted up, at most so many per document) from the train part
    only, none whose text is in ``taken`` (the corpus's texts): more training text, the dev
    and test parts unchanged."""
    readers, feats, rng = _readers(data_dir, gold_dir), _Features(), random.Random(seed)
    chosen = []
    for source in SOURCES:
        if source not in wanted:
            continue
        pool = _pool(source, readers[source](), feats,
                     lambda it: it["split"] != "train" or it["text"] in taken)
        picked = _draw(pool, wanted[source], rng, PER_DOC[source])
        print(f"{source}: pool {len(pool)}, drawn {len(picked)}", file=sys.stderr)
        chosen += picked
    return _write(chosen, out)


def _write(chosen: list[dict], out: Path) -> list[dict]:
    rows = []
    for it in chosen:
        f = it.pop("_f")
        key = f"{it['source']}:{it['doc']}:{it['text']}"
        it["id"] = f"{it['source']}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"
        it["stratum"] = f["stratum"]
        it["flags"] = f["flags"]
        rows.append(it)
    rows.sort(key=lambda r: r["id"])
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def batches(items_path: Path, out_dir: Path, size: int, seed: int = 7,
            prefix: str = "shard") -> list[Path]:
    """Shuffled shards of ``size`` items each (``<prefix>-01.jsonl`` ...), holding what an
    annotator may see."""
    rows = [json.loads(x) for x in items_path.read_text(encoding="utf-8").splitlines()]
    random.Random(seed).shuffle(rows)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(0, len(rows), size):
        p = out_dir / f"{prefix}-{k // size + 1:02d}.jsonl"
        with open(p, "w", encoding="utf-8") as fh:
            for r in rows[k:k + size]:
                view = {"id": r["id"], "date": r["published"] or None,
                        "speaker_note": r["speaker_note"] or None,
                        "title": r["title"] or None, "context": r["context"] or None,
                        "text": r["text"]}
                fh.write(json.dumps(view, ensure_ascii=False) + "\n")
        paths.append(p)
    return paths
