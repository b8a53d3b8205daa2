"""The corpus of labelled statements (``corpus/dyads``): validating the annotators' labels, batches
for the third annotator, merging the labels into the corpus, and measuring agreement. Choosing
the items is :mod:`tracker.lab.sampling`.

Workbench code: the runtime never imports it. Paths to the shared data come in as arguments.

Steps, each a sub-command of ``python -m tracker.lab corpus``:

``sample``
    Draws items (a sentence or a short world-event item, with the context a reader needs) from
    six train-allowed sources of the shared data, stratified so that hard cases (two or more
    states, one state plus a known speaker, joint subjects, passives, negation, non-state
    speakers) are well represented and items with no state pair stay in as negatives. Splits by
    document (WCEP by year: 2024 is the test part, 2023 dev). Writes ``items.jsonl``.
``batches``
    Cuts the items into shards of a few hundred for the annotators (text, context and speaker
    only: nothing of the tracker's output).
``validate``
    Checks one annotator's label file against its shard: one line per item in order, known
    ISO3 codes, tones in -2..2, spans that occur in the text.
``prompts``
    Writes what each annotator session is told (``annotator_prompt.md`` filled in for its
    batch and role); run once after ``batches`` and again after ``adjudication``.
``adjudication``
    Cuts the items whose two annotations differ into batches for a third annotator, who sees
    both readings unnamed.
``merge``
    Joins the two (or three) annotations per item into the corpus: pairs both annotators gave
    stand; disagreements go to the third annotator's decision. Writes ``labels.jsonl``, the
    raw ``annotations.jsonl`` (who labelled what) and the agreement table; with ``--append``, a
    further round in files of its own.
``relabel``
    Items already in the corpus, to be labelled again by new annotators (when what they were
    told was wrong: a speaker note naming the wrong speaker); ``merge --append NAME --relabel``
    then puts their new labels in place of the earlier, which stay in their files.
"""
from __future__ import annotations

import collections
import json
import random
from pathlib import Path


def iso3_codes() -> set[str]:
    """The codes an annotator may use: the gazetteer's countries and territories."""
    from importlib.resources import files

    text = files("tracker").joinpath("data", "countries.tsv").read_text(encoding="utf-8")
    return {line.split("\t", 1)[0] for line in text.splitlines()[1:] if line.strip()}


def validate(shard: Path, labels: Path) -> list[str]:
    """Problems of one label file against its shard, one line each (empty when valid)."""
    items = [json.loads(x) for x in shard.read_text(encoding="utf-8").splitlines() if x.strip()]
    codes = iso3_codes()
    problems = []
    try:
        lines = labels.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return [f"{labels}: cannot read ({exc.strerror})"]
    lines = [x for x in lines if x.strip()]
    if len(lines) != len(items):
        problems.append(f"{labels}: {len(lines)} lines for {len(items)} items")
    for n, (line, item) in enumerate(zip(lines, items), start=1):
        where = f"{labels.name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(row, dict) or row.get("id") != item["id"]:
            problems.append(f"{where}: id {row.get('id') if isinstance(row, dict) else row!r} "
                            f"but item {n} of the shard is {item['id']}")
            continue
        pairs = row.get("pairs")
        if not isinstance(pairs, list):
            problems.append(f"{where}: 'pairs' must be a list")
            continue
        seen = set()
        for p in pairs:
            if not isinstance(p, dict):
                problems.append(f"{where}: each pair must be an object")
                continue
            src, tgt, tone = p.get("source"), p.get("target"), p.get("tone")
            for key, code in (("source", src), ("target", tgt)):
                if code not in codes:
                    problems.append(f"{where}: {key} {code!r} is not a known ISO3 code")
            if src == tgt:
                problems.append(f"{where}: source and target are both {src}")
            if (src, tgt) in seen:
                problems.append(f"{where}: pair {src}->{tgt} listed twice")
            seen.add((src, tgt))
            if not isinstance(tone, int) or isinstance(tone, bool) or not -2 <= tone <= 2:
                problems.append(f"{where}: tone {tone!r} must be an integer in -2..2")
            for key in ("source_span", "target_span"):
                span = p.get(key, "missing")
                if span == "missing":
                    problems.append(f"{where}: {key} missing (use null when not in the text)")
                elif span is not None and (not isinstance(span, str) or span not in item["text"]):
                    problems.append(f"{where}: {key} {span!r} does not occur in the item's text")
    return problems


def read_labels(path: Path) -> dict[str, list[dict]]:
    """An annotator's label file: item id -> its pairs."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[row["id"]] = row["pairs"]
    return out


def _pair_set(pairs: list[dict]) -> dict[tuple[str, str], int]:
    return {(p["source"], p["target"]): int(p["tone"]) for p in pairs}


def differ(a: list[dict], b: list[dict]) -> bool:
    """Whether two annotations of an item disagree: another set of pairs or another tone."""
    return _pair_set(a) != _pair_set(b)


#: Shards of the second labelling round (guideline version 2) start with this; their labels
#: replace the first round's for the same items.
ROUND_2 = "voa2-"


def collect(labels_dir: Path, roster: Path
            ) -> tuple[dict[str, dict[str, tuple[str, list[dict]]]], set[str]]:
    """Item id -> role ("A", "B", and "C" for the third annotator) -> (annotator, pairs), and
    the items of the second round: for those, the second round's A and B (the first's are kept
    as "A1", "B1")."""
    rounds: dict[str, dict[str, tuple[str, list[dict]]]] = collections.defaultdict(dict)
    for shard, role, annotator in read_roster(roster):
        path = labels_dir / f"{shard}.{role}.jsonl"
        if not path.is_file():
            continue
        key = f"{role}2" if shard.startswith(ROUND_2) else role
        for item_id, pairs in read_labels(path).items():
            rounds[item_id][key] = (annotator, pairs)
    out, round_two = {}, set()
    for item_id, got in rounds.items():
        if "A2" in got and "B2" in got:
            round_two.add(item_id)
            got = {**{k: v for k, v in got.items() if k in ("C",)},
                   "A": got["A2"], "B": got["B2"], "A1": got.get("A"), "B1": got.get("B")}
            got = {k: v for k, v in got.items() if v is not None}
        elif "A2" in got or "B2" in got:
            got = {k: v for k, v in got.items() if k not in ("A2", "B2")}
        out[item_id] = got
    return out, round_two


def adjudication_batches(items_path: Path, labels_dir: Path, roster: Path, out_dir: Path,
                         size: int = 300, skip: set[str] = frozenset(),
                         prefix: str = "adj") -> list[Path]:
    """The items whose two annotations differ (and that no third annotator has decided yet, nor
    are in ``skip``), with both readings (unnamed, in a random order per item), in batches for a
    third annotator."""
    items = {json.loads(x)["id"]: json.loads(x)
             for x in items_path.read_text(encoding="utf-8").splitlines()}
    labels, _ = collect(labels_dir, roster)
    rng = random.Random(11)
    rows = []
    keys = ("source", "target", "tone", "source_span", "target_span")
    for item_id in sorted(labels):
        got = labels[item_id]
        if "A" not in got or "B" not in got or "C" in got or item_id in skip:
            continue
        a, b = got["A"][1], got["B"][1]
        if differ(a, b):
            first, second = (a, b) if rng.random() < 0.5 else (b, a)
            it = items[item_id]
            rows.append({"id": item_id, "date": it["published"] or None,
                         "speaker_note": it["speaker_note"] or None,
                         "title": it["title"] or None, "context": it["context"] or None,
                         "text": it["text"],
                         "reading_1": [{k: p.get(k) for k in keys} for p in first],
                         "reading_2": [{k: p.get(k) for k in keys} for p in second]})
    out_dir.mkdir(parents=True, exist_ok=True)
    start = len(list(out_dir.glob(f"{prefix}-*.jsonl")))
    paths = []
    for k in range(0, len(rows), size):
        path = out_dir / f"{prefix}-{start + k // size + 1:02d}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in rows[k:k + size]), encoding="utf-8")
        paths.append(path)
    return paths


def read_roster(path: Path) -> list[tuple[str, str, str]]:
    """Who labelled what: (shard, role, annotator) rows of the roster TSV."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if n == 0 or not line.strip():
            continue
        shard, role, who = line.split("\t")
        rows.append((shard, role, who))
    return rows


def _spans(text: str, phrase: str | None) -> list[int] | None:
    if not phrase:
        return None
    at = text.find(phrase)
    return [at, at + len(phrase)] if at >= 0 else None


def merge(items_path: Path, labels_dir: Path, roster: Path, out_dir: Path) -> dict:
    """The corpus: every item with its final pairs (both annotators agree, or the third
    annotator's decision), the raw annotations with who made them, and the agreement table
    (first round, and the second round where there was one)."""
    items = [json.loads(x) for x in items_path.read_text(encoding="utf-8").splitlines()]
    by_item, round_two = collect(labels_dir, roster)
    final, raw = [], []
    for it in items:
        got = by_item.get(it["id"], {})
        if "A" not in got or "B" not in got:
            continue
        a, b = got["A"][1], got["B"][1]
        if not differ(a, b):
            chosen, how = a, "agreed"
        elif "C" in got:
            chosen, how = got["C"][1], "adjudicated"
        else:
            continue  # waiting for the third annotator
        pairs = []
        for p in chosen:
            # Tones of agreeing annotators are equal; spans may differ: A's where both exist.
            pairs.append({"source": p["source"], "target": p["target"], "tone": int(p["tone"]),
                          "source_text": p.get("source_span"),
                          "source_span": _spans(it["text"], p.get("source_span")),
                          "target_text": p.get("target_span"),
                          "target_span": _spans(it["text"], p.get("target_span"))})
        pairs.sort(key=lambda p: (p["source"], p["target"]))
        final.append({"id": it["id"], "source": it["source"], "doc": it["doc"],
                      "split": it["split"], "published": it["published"], "title": it["title"],
                      "speaker": it["speaker"], "speaker_note": it["speaker_note"],
                      "context": it["context"], "text": it["text"], "url": it.get("url"),
                      "stratum": it["stratum"], "pairs": pairs, "decision": how,
                      "annotators": {role: got[role][0] for role in sorted(got)
                                     if role in ("A", "B", "C")}})
        for role in sorted(got):
            raw.append({"id": it["id"], "role": role, "annotator": got[role][0],
                        "round": 1 if role in ("A1", "B1") or (role in ("A", "B") and
                                                               it["id"] not in round_two)
                        else 2, "pairs": got[role][1]})
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "labels.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in final), encoding="utf-8")
    (out_dir / "annotations.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in raw), encoding="utf-8")
    first = {k: {"A": v.get("A1", v.get("A") if k not in round_two else None),
                 "B": v.get("B1", v.get("B") if k not in round_two else None)}
             for k, v in by_item.items()}
    first = {k: {r: x for r, x in v.items() if x is not None} for k, v in first.items()}
    second = {k: {"A": v["A"], "B": v["B"]} for k, v in by_item.items() if k in round_two}
    table = {"round_1": agreement(items, first), "round_2": agreement(items, second),
             "final": agreement(items, by_item)}
    (out_dir / "agreement.json").write_text(json.dumps(table, indent=2) + "\n")
    return table


def _sign(t: int) -> int:
    return (t > 0) - (t < 0)


def krippendorff_alpha(units: list[tuple[int, int]], metric: str = "interval") -> float:
    """Krippendorff's alpha for two coders on units with both values (a list of pairs)."""
    if not units:
        return float("nan")
    values = [v for u in units for v in u]
    cats = sorted(set(values))
    if metric == "interval":
        def delta(c, k):
            return (c - k) ** 2
    elif metric == "ordinal":
        freq = collections.Counter(values)

        def delta(c, k):
            lo, hi = min(c, k), max(c, k)
            inner = sum(freq[g] for g in cats if lo <= g <= hi)
            return (inner - (freq[c] + freq[k]) / 2) ** 2
    else:
        def delta(c, k):
            return float(c != k)
    # Coincidences: each unit of two values adds (a, b) and (b, a).
    n = 2 * len(units)
    d_o = sum(2 * delta(a, b) for a, b in units) / n
    freq = collections.Counter(values)
    d_e = sum(freq[c] * freq[k] * delta(c, k) for c in cats for k in cats) / (n * (n - 1))
    return float("nan") if d_e == 0 else 1.0 - d_o / d_e


def agreement(items: list[dict], by_item: dict) -> dict:
    """Per source and overall: pair F1 between the two annotators, sign agreement and exact
    tone agreement on the pairs both gave, Krippendorff's alpha (interval and ordinal) of the
    -2..2 tone on those pairs, and the share of items that went to the third annotator."""
    groups = collections.defaultdict(list)
    for it in items:
        got = by_item.get(it["id"], {})
        if "A" in got and "B" in got:
            groups[it["source"]].append((got["A"][1], got["B"][1]))
            groups["all"].append((got["A"][1], got["B"][1]))
    out = {}
    for name, rows in sorted(groups.items()):
        both = only = 0
        units = []
        items_differ = 0
        for a, b in rows:
            pa, pb = _pair_set(a), _pair_set(b)
            common = pa.keys() & pb.keys()
            both += len(common)
            only += len(pa.keys() ^ pb.keys())
            units += [(pa[k], pb[k]) for k in common]
            items_differ += pa != pb
        out[name] = {
            "items": len(rows),
            "pairs_a": sum(len(a) for a, _ in rows), "pairs_b": sum(len(b) for _, b in rows),
            "pair_f1": round(2 * both / max(1, 2 * both + only), 4),
            "sign_agreement": round(sum(_sign(x) == _sign(y) for x, y in units)
                                    / max(1, len(units)), 4),
            "tone_exact_agreement": round(sum(x == y for x, y in units) / max(1, len(units)), 4),
            "alpha_interval": round(krippendorff_alpha(units, "interval"), 4),
            "alpha_ordinal": round(krippendorff_alpha(units, "ordinal"), 4),
            "items_to_third_annotator": items_differ,
        }
    return out


#: The fields of a corpus item that its annotators' work folder keeps (``items.jsonl``).
ITEM_FIELDS = ("id", "source", "doc", "split", "published", "title", "speaker", "speaker_note",
               "context", "text", "url", "stratum")


def relabel_items(corpus: Path, ids: list[str], out: Path) -> list[dict]:
    """The work folder's ``items.jsonl`` (``out``) for labelling the corpus items ``ids`` again
    (a relabelling round: ``corpus merge --append NAME --relabel``), each as the corpus holds it
    now (its speaker and speaker note as corrected); an id not in the corpus is refused."""
    from tracker.errors import TrackerError
    from tracker.lab.corpus import final_rows

    rows = final_rows(corpus)
    unknown = [i for i in ids if i not in rows]
    if unknown:
        raise TrackerError(f"{len(unknown)} ids are not items of '{corpus}' (first: "
                           f"{unknown[0]}); list ids of its labels files.")
    chosen = [{k: rows[i].get(k) for k in ITEM_FIELDS} for i in sorted(set(ids))]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen),
                   encoding="utf-8")
    return chosen


def append_round(items_path: Path, labels_dir: Path, roster: Path, out_dir: Path,
                 name: str, note: str = "", relabel: bool = False) -> dict:
    """A further round of items (``corpus more``) added to the corpus in ``out_dir``: its items
    with their final pairs in a label file of its own (``labels-<name>.jsonl``), its
    annotations (``round`` = ``name``) in one of their own (``annotations-<name>.jsonl``;
    ``annotations.jsonl`` holds the first rounds' and stops growing), its roster to ``roster.tsv``
    and its agreement to ``agreement.json`` under ``name``, and ``note`` (how the round was
    made, in words) to ``rounds.json``. Refused while an item of the round waits for its third
    annotator, or when an item or a shard is in the corpus already; with ``relabel``, the
    round labels items of the corpus again (:func:`relabel_items`): each must be in the corpus
    with the same text, and its new labels replace the earlier (which stay in their files)."""
    import tempfile

    from tracker.errors import TrackerError

    items = [json.loads(x) for x in items_path.read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        table = merge(items_path, labels_dir, roster, Path(tmp))
        new = [json.loads(x) for x in (Path(tmp) / "labels.jsonl").read_text().splitlines()]
        raw = [json.loads(x) for x in (Path(tmp) / "annotations.jsonl").read_text().splitlines()]
    if len(new) != len(items):
        raise TrackerError(f"{len(items) - len(new)} items of '{items_path}' have no final "
                           "labels yet (two annotations, and the third's where they differ); "
                           "run `corpus adjudication` and label its batches first.")
    from tracker.lab.corpus import final_rows

    labels_path, raw_path = out_dir / f"labels-{name}.jsonl", out_dir / f"annotations-{name}.jsonl"
    old = final_rows(out_dir)
    agreement_table = json.loads((out_dir / "agreement.json").read_text(encoding="utf-8"))
    old_roster, new_roster = read_roster(out_dir / "roster.tsv"), read_roster(roster)
    shards = {s for s, _, _ in new_roster}
    if relabel:
        strays = [r["id"] for r in new if r["id"] not in old or old[r["id"]]["text"] != r["text"]]
        if strays:
            raise TrackerError(f"{len(strays)} items of '{items_path}' (first: {strays[0]}) are "
                               "not in the corpus with that text; a relabelling round labels "
                               "corpus items again (`corpus relabel`). Nothing was changed.")
    if (not relabel and old.keys() & {r["id"] for r in new}) or name in agreement_table or \
            labels_path.exists() or raw_path.exists() or \
            shards & {s for s, _, _ in old_roster}:
        raise TrackerError(f"'{items_path}' (round {name!r}) is in the corpus already; nothing "
                           "was changed.")
    for r in raw:
        r["round"] = name

    def write(path: Path, rows: list[dict]) -> None:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                        encoding="utf-8")

    write(labels_path, sorted(new, key=lambda r: r["id"]))
    write(raw_path, sorted(raw, key=lambda r: (r["id"], r["role"])))
    with open(out_dir / "roster.tsv", "a", encoding="utf-8") as fh:
        fh.writelines(f"{s}\t{role}\t{who}\n" for s, role, who in new_roster)
    agreement_table[name] = table["round_1"]
    (out_dir / "agreement.json").write_text(json.dumps(agreement_table, indent=2) + "\n")
    notes_path = out_dir / "rounds.json"
    notes = json.loads(notes_path.read_text(encoding="utf-8")) if notes_path.is_file() else {}
    notes[name] = note
    notes_path.write_text(json.dumps(notes, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    return table["round_1"]


#: What every annotator session is told (:func:`write_prompts` fills it in).
PROMPT_TEMPLATE = Path(__file__).with_name("annotator_prompt.md")

_READINGS = (
    "\nEach item of your batch also carries `reading_1` and `reading_2`: the pairs two other "
    "annotators gave it, unnamed and in random order. They differed, and you decide. Read the "
    "item and decide its pairs yourself by the guideline, as if the readings were not there; "
    "then look at where they differ, and re-read the guideline on that point. Your answer may "
    "be either reading, a mix of the two, or neither.\n")


def write_prompts(work: Path, repo: Path, python: str) -> list[Path]:
    """The prompt of every batch of the work folder ``work``: ``prompt-<shard>.A.md`` and
    ``.B.md`` for each shard (``shards/``), ``prompt-<batch>.C.md`` for each third-annotator
    batch (``adjudication/``), from :data:`PROMPT_TEMPLATE`. The third annotator's prompt says
    that its batch carries the two readings to decide between (the only labels it sees); the
    others', that an annotator never sees another's labels."""
    template = PROMPT_TEMPLATE.read_text(encoding="utf-8")
    jobs = [(p, role) for p in sorted((work / "shards").glob("*.jsonl")) for role in "AB"]
    jobs += [(p, "C") for p in sorted((work / "adjudication").glob("*.jsonl"))]
    paths = []
    for batch, role in jobs:
        n = sum(1 for line in batch.read_text(encoding="utf-8").splitlines() if line.strip())
        third = role == "C"
        text = template.format(
            work=work.parent, repo=repo, labels=work / "labels", batch=batch, n=n,
            name=batch.stem, role=role, python=python,
            out=work / "labels" / f"{batch.stem}.{role}.jsonl",
            scratch=work / "scratch" / f"{batch.stem}.{role}",
            fields="id, date, speaker_note, title, context, text"
            + (", reading_1, reading_2" if third else ""),
            unseen=("apart from the two readings in your batch, you must never see another "
                    "annotator's labels or any program's output" if third else
                    "you must never see another annotator's labels or any program's output"),
            readings=_READINGS if third else "")
        path = work / f"prompt-{batch.stem}.{role}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
