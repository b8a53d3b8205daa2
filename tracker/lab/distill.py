"""Distilling the accurate reader into the fast one (the workbench).

The accurate reader (all-mpnet-base-v2) reads unlabelled units of train-allowed text: Wikipedia
Current Events items of 2002-2022 (the corpus keeps 2023 for dev and 2024 for test), White House
releases and UN General Debate speeches whose documents are not in the corpus's dev or test part.
Its calibrated probabilities for every candidate become soft targets; the fast reader is then
trained on the corpus's train part (gold labels) and these (``python -m tracker.lab
reader-train --soft FILE``). Nothing of an evaluation-only set is read.
"""
from __future__ import annotations

import csv
import gzip
import json
import random
from pathlib import Path

import numpy as np

from tracker.lab.corpus import load_corpus

SOURCES = ("wcep", "whitehouse", "ungd")


def held_out_docs(corpus: str | Path) -> set[str]:
    """The documents of the corpus's dev and test parts (never distilled on)."""
    return {i.doc for split in ("dev", "test") for i in load_corpus(corpus, split=split)}


def documents(data: Path, source: str, exclude: set[str], rng: random.Random, n: int):
    """Up to ``n`` documents of ``source`` as ``(id, text, published, speaker)``, drawn at
    random, none of ``exclude``."""
    if source == "wcep":
        rows = []
        with gzip.open(data / "wcep" / "wcep_2002_2024.jsonl.gz", "rt", encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                if r["published"] < "2023" and r["id"] not in exclude:
                    rows.append((r["id"], r["text"], r["published"], None))
    elif source == "whitehouse":
        rows = []
        for name in ("statements_2021_2026.jsonl.gz", "remarks_briefings_2021_2026.jsonl.gz"):
            with gzip.open(data / "whitehouse" / name, "rt", encoding="utf-8") as fh:
                for line in fh:
                    r = json.loads(line)
                    if r["id"] not in exclude:
                        rows.append((r["id"], r["text"], r["published"], "USA"))
    else:
        with open(data / "ungd" / "index.csv", encoding="utf-8") as fh:
            index = [r for r in csv.DictReader(fh) if r["path"] not in exclude]
        rows = [(r["path"], r, f"{r['year']}-09-20", r["iso3"]) for r in index]
    picked = rng.sample(rows, min(n, len(rows)))
    if source == "ungd":
        picked = [(d, (data / "ungd" / r["path"]).read_text(encoding="utf-8-sig"), p, s)
                  for d, r, p, s in picked]
    return picked


def unlabelled_units(data: str | Path, corpus: str | Path, per_source: int = 2000,
                     random_state: int = 0, extractor=None):
    """About ``per_source`` units with candidates from each source: ``[(unit, [candidate,
    ...]), ...]`` and the counts drawn."""
    from tracker.extract import Extractor
    from tracker.reader.model import article_pairs, by_unit

    extractor = extractor or Extractor()
    data, rng = Path(data), random.Random(random_state)
    exclude = held_out_docs(corpus)
    out, counts = [], {}
    # Documents drawn: WCEP items are one unit each; a release or a speech holds many, of which
    # a few are kept so that no one document dominates.
    wanted = {"wcep": per_source * 5, "whitehouse": per_source // 4, "ungd": per_source // 8}
    for source in SOURCES:
        units = []
        for doc, text, published, speaker in documents(data, source, exclude, rng,
                                                       wanted[source]):
            found = by_unit([(unit, c) for _, unit, c in
                             article_pairs(doc, text, published, speaker, extractor)[2]])
            units += rng.sample(found, min(len(found), 8 if source != "wcep" else 1))
        units = rng.sample(units, min(per_source, len(units)))
        counts[source] = {"units": len(units), "candidates": sum(len(c) for _, c in units)}
        out += units
    return out, counts


def soft_labels(teacher, units) -> list:
    """``(unit, candidate, probabilities)`` for every candidate of ``units``, read by
    ``teacher`` (a :class:`~tracker.reader.model.Reader`; calibrated probabilities)."""
    from tracker.extract import Extractor
    from tracker.reader.model import inputs_of

    pairs = [(u, c) for u, cs in units for c in cs]
    proba = teacher.proba(inputs_of(pairs, Extractor().gaz))
    return [(u, c, p) for (u, c), p in zip(pairs, proba)]


def save_soft(path: str | Path, rows, note: dict) -> None:
    """Soft targets to a JSON-lines file (the workbench's, not committed: it holds text)."""
    from dataclasses import asdict

    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"note": note}) + "\n")
        for u, c, p in rows:
            fh.write(json.dumps({"unit": asdict(u), "candidate": asdict(c),
                                 "p": [round(float(x), 5) for x in p]}) + "\n")


def load_units(path: str | Path):
    """The units of an earlier soft-target file, as :func:`unlabelled_units` gives them, and
    the counts it recorded (its targets are not read)."""
    from tracker.reader.model import by_unit

    rows, note = load_soft(path)
    return by_unit([(u, c) for u, c, _ in rows]), note["sources"]


def save_units(path: str | Path, units, counts: dict, random_state: int) -> None:
    """Units drawn but not yet read (targets all zero), for :func:`load_units`."""
    save_soft(path, [(u, c, np.zeros(4)) for u, cs in units for c in cs],
              {"sources": counts, "random_state": random_state})


def load_soft(path: str | Path):
    """``(rows, note)`` of :func:`save_soft`'s file; one Unit object per unit, so that the
    reader reads it once."""
    from tracker.reader.candidates import Candidate
    from tracker.reader.model import Unit

    rows, units, note = [], {}, {}
    with open(path, encoding="utf-8") as fh:
        for k, line in enumerate(fh):
            r = json.loads(line)
            if k == 0:
                note = r["note"]
                continue
            key = json.dumps(r["unit"], sort_keys=True)
            unit = units.setdefault(key, Unit(**r["unit"]))
            c = r["candidate"]
            rows.append((unit, Candidate(c["source"], c["target"],
                                         tuple(map(tuple, c["source_spans"])),
                                         tuple(map(tuple, c["target_spans"]))),
                         np.array(r["p"], dtype=np.float32)))
    return rows, note


def load_soft_files(paths: list) -> tuple[list, dict]:
    """:func:`load_soft` of several files of one teacher, as one: a unit (the same document,
    text and offset) drawn into more than one file is kept once, from its first file; the
    note counts the units and candidates per source of what is kept."""
    from tracker.errors import TrackerError

    rows, note, seen, states, seconds = [], {}, set(), [], 0.0
    for path in paths:
        part, part_note = load_soft(path)
        states.append(part_note.get("random_state"))
        seconds += part_note.get("seconds") or 0.0
        if note and part_note.get("teacher") != note.get("teacher"):
            raise TrackerError(f"'{path}' holds soft targets of teacher "
                               f"{part_note.get('teacher')}, not {note.get('teacher')}; pass "
                               "files of one teacher (or read them again with it).")
        note = note or {k: v for k, v in part_note.items() if k != "sources"}
        keys = [_key(r[0]) for r in part]
        rows += [r for r, k in zip(part, keys) if k not in seen]
        seen.update(keys)
    units: dict[str, set] = {}
    candidates: dict[str, int] = {}
    for unit, _, _ in rows:
        source = _source_of(unit)
        units.setdefault(source, set()).add(_key(unit))
        candidates[source] = candidates.get(source, 0) + 1
    note["sources"] = {k: {"units": len(units[k]), "candidates": candidates[k]} for k in units}
    if len(paths) > 1:
        note.update(files=len(paths), random_state=states, seconds=round(seconds, 1))
    return rows, note


def _key(unit) -> tuple:
    return unit.id, unit.text, unit.first_offset


def _source_of(unit) -> str:
    """The data set of a distilled unit, from its document id (WCEP items and White House
    documents carry their set's prefix; the rest are UN speeches)."""
    return {"wcep": "wcep", "wh": "whitehouse"}.get(unit.id.split("-")[0], "ungd")
