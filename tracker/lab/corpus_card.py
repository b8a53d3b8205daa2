"""The corpus card: ``corpus/dyads/README.md``, written from the corpus files themselves
(``labels.jsonl`` and ``labels-<round>.jsonl``, ``annotations.jsonl`` and
``annotations-<round>.jsonl``, ``agreement.json`` and ``baseline-test.json``), so that every
figure in it is the files' own."""
from __future__ import annotations

import collections
import json
import os
from pathlib import Path

from tracker.extract.lexicon import RULES_VERSION
from tracker.lab.corpus import SOURCES, SPLITS, annotation_rows, final_rows, load_corpus

SOURCE_NAMES = {
    "wcep": "Wikipedia Current Events portal items 2002-2024 (`wcep/`), CC BY-SA 4.0",
    "voa": "Voice of America stories (`voa/`), public domain",
    "ungd": "UN General Debate speeches 2000-2024 (`ungd/`), speaker known, CC0",
    "whitehouse": "White House statements, readouts and briefing turns 2021-2026 "
                  "(`whitehouse/`), public domain",
    "state_dept": "State Department press releases 2021-2022 and posts 2008-2025 "
                  "(`state_dept/`), public domain",
    "newsmtsc": "NewsMTSC train sentences that name a country (`newsmtsc/train.jsonl`), MIT",
}


def _table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _further_rounds(folder: Path, agreement: dict, raw: list[dict], header, rows,
                    notes: dict) -> str:
    """The card's section on the rounds added with ``corpus more`` or ``corpus relabel`` (each
    as its own label file holds it, with its agreement table and the notes of
    ``rounds.json``)."""
    text = ""
    seen = {r["id"] for r in raw if r["round"] in (1, 2)}
    for name, table in agreement.items():
        if name in ("round_1", "round_2", "final"):
            continue
        its = [json.loads(x) for x in (folder / f"labels-{name}.jsonl").read_text(
            encoding="utf-8").splitlines() if x.strip()]
        ids = {r["id"] for r in its}
        by_source = ", ".join(f"{s} {n:,}" for s, n in
                              sorted(collections.Counter(r["source"] for r in its).items()))
        who = sorted({r["annotator"] for r in raw if r["round"] == name},
                     key=lambda a: (len(a), a))
        pairs = sum(len(r["pairs"]) for r in its)
        third = sum(1 for r in its if r["decision"] == "adjudicated")
        note = (" " + notes[name]) if notes.get(name) else ""
        if ids <= seen:
            splits = collections.Counter(r["split"] for r in its)
            text += f"""Relabelling round `{name}`: {len(its):,} items of the corpus labelled again
from scratch ({by_source}; {", ".join(f"{s} {splits[s]:,}" for s in SPLITS if splits[s])}) by
{len(who)} new annotator sessions ({who[0]} to {who[-1]}), guideline version 2, two per item and a third where
they differed ({third:,} items); {pairs:,} pairs. These labels replace the items' earlier ones,
which stay in their label and annotation files.{note}
"""
        else:
            text += f"""Further round `{name}` (more training text: train-part items not in the corpus before,
drawn as the first round drew, guideline version 2, {len(who)} new annotator sessions,
{who[0]} to {who[-1]}): {len(its):,} items ({by_source}), {pairs:,} pairs, {third:,} items decided
by the third annotator. The dev and test parts are unchanged.{note}
"""
        text += f"""
{_table(header, rows(table))}

"""
        seen |= ids
    return text


def write_card(folder: str | os.PathLike) -> Path:
    """Write ``README.md`` of the corpus folder from its files; returns its path."""
    folder = Path(folder)
    items = load_corpus(folder)
    agreement = json.loads((folder / "agreement.json").read_text())
    baseline_path = folder / "baseline-test.json"
    baseline = json.loads(baseline_path.read_text()) if baseline_path.is_file() else {}
    raw = annotation_rows(folder)
    notes_path = folder / "rounds.json"
    notes = json.loads(notes_path.read_text(encoding="utf-8")) if notes_path.is_file() else {}

    n = len(items)
    by_source = collections.Counter(i.source for i in items)
    negatives = sum(1 for i in items if not i.pairs)
    pairs = [p for i in items for p in i.pairs]
    split_rows = []
    for s in SOURCES:
        its = [i for i in items if i.source == s]
        docs = {sp: {i.doc for i in its if i.split == sp} for sp in SPLITS}
        all_docs = set().union(*docs.values())
        split_rows.append([s] + [sum(1 for i in its if i.split == sp) for sp in SPLITS]
                          + [f"{len(all_docs):,}", _pct(len(docs["test"]) / max(1, len(all_docs)))])
    count_rows = [[f"`{s}`", SOURCE_NAMES[s], f"{by_source[s]:,}", _pct(by_source[s] / n),
                   f"{sum(1 for i in items if i.source == s and not i.pairs):,}",
                   f"{sum(len(i.pairs) for i in items if i.source == s):,}"] for s in SOURCES]
    tones = collections.Counter(p.tone for p in pairs)
    strata = collections.Counter(r["stratum"] for r in final_rows(folder).values())
    decisions = collections.Counter(i.decision for i in items)
    annotators = {r["annotator"] for r in raw}

    def agree_rows(table: dict) -> list[list]:
        def num(v: dict, key: str) -> str:
            # No pair from either annotator (a set of single-state sentences): nothing to score.
            x = v[key]
            return "n/a" if not v["pairs_a"] + v["pairs_b"] or x != x else f"{x:.3f}"

        return [[k, f"{v['items']:,}", *(num(v, key) for key in (
                 "pair_f1", "sign_agreement", "tone_exact_agreement", "alpha_interval",
                 "alpha_ordinal")), f"{v['items_to_third_annotator']:,}"]
                for k, v in table.items()]

    agree_header = ["source", "items", "pair F1", "sign agreement", "tone exact",
                    "alpha (interval)", "alpha (ordinal)", "items to the third annotator"]
    base_rows = [[k, f"{v['items']:,}", f"{v['gold_pairs']:,}", f"{v['predicted_pairs']:,}",
                  f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}",
                  f"{v['sign_accuracy_found']:.3f}", f"{v['pair_and_sign_accuracy']:.3f}"]
                 for k, v in baseline.items()]
    round2 = agreement.get("round_2") or {}

    card = f"""# `corpus/dyads/`: who addresses whom, and how, in real text

{n:,} items of real text (a sentence, or a short world-event item, with the sentence before it
as context and, for speeches, releases and transcript turns, who is speaking), each with
**every** directed pair of states such that the source says or does something toward the
target, the tone of that statement or act on -2..+2, and the spans of the two mentions where the
text names them. {negatives:,} items ({_pct(negatives / n)}) have no pair and stay in as
negatives. {len(pairs):,} pairs in all. The guideline is `docs/ANNOTATION.md`; it builds on the
project's statement definition.

**This is a silver standard.** The annotators were {len(annotators)} separate AI assistant
sessions (language-model agents), not human experts. Each was given the guideline and a batch of
items (text, context, title, date, speaker note) and nothing else: never the tracker's output,
its rules, or another annotator's labels. Every item was labelled by two of them independently;
where the two differed in any pair or tone, a third session saw the guideline, the item and the
two readings (unnamed, in random order) and decided. Who labelled what is in the annotation
files (`annotations.jsonl`, `annotations-<round>.jsonl`) and in each item's `annotators`.
Use it to train and compare readers; do not read its figures as expert agreement.

## Sources and counts

{_table(["source", "what", "items", "share", "items without a pair", "pairs"], count_rows)}

Items per stratum (how they were drawn; the gazetteer only chose what to draw, annotators never
saw it): {", ".join(f"{k} {v:,}" for k, v in sorted(strata.items()))}. "multi": two or more states
named; "speaker+state": a known speaker and another state; "single": one state; "none": no
state found (negatives by construction, and a check on false positives). Hard cases were drawn
with more weight: joint subjects, passives, negation, non-state speakers, reported speech.

Tones of the {len(pairs):,} pairs: {", ".join(f"{t:+d}: {tones[t]:,}" for t in range(-2, 3))}.
Decisions: {decisions['agreed']:,} items where both annotators agreed,
{decisions['adjudicated']:,} decided by the third.

## Agreement between the two annotators

First round (for VOA, replaced by the second round below). Shards 1-16 of the first round were
labelled under version 1 of the guideline, shards 17-20 under version 2 (section 9 was added
while the first round ran); every third-annotator decision was made under version 2. The
roster (`roster.tsv`) names the annotator of each shard and role.

{_table(agree_header, agree_rows(agreement["round_1"]))}

"""
    if round2:
        card += f"""Second round, VOA only (guideline version 2, new annotators): after the first
round the VOA items' pair F1 was below 0.90 for a time (0.89 on the first 677 items), so section 9
of the guideline decided the cases behind it (background acts, opinions of non-state people,
gatherings, measures on travellers) and every VOA item was labelled again by two new
annotators:

{_table(agree_header, agree_rows(round2))}

"""
    card += f"""The final corpus rests on the second round for VOA and the first for the other sources
(the further rounds below excepted):

{_table(agree_header, agree_rows(agreement["final"]))}

{_further_rounds(folder, agreement, raw, agree_header, agree_rows, notes)}Pair F1: 2|A and B| / (|A| + |B|) over directed pairs. Sign agreement, exact tone
agreement and Krippendorff's alpha: on the pairs both annotators gave.

## Splits

By document, never one document on two sides: WCEP by time (2024 test, 2023 dev, 2002-2022
train); VOA: the stories of the test part of `benchmarks/gold` are test, the others train or
dev; the other sources by a hash of the document id. The test part is read only for totals.

{_table(["source", *SPLITS, "documents", "test share of documents"], split_rows)}

## Baseline: today's reader on the test part

The rule extractor (`{RULES_VERSION}`) and the shipped tone model (`models/tone-minilm`), as the
pipeline runs them (context and text read together, speech mode where a speaker is known; a
statement's sign is its tone label's). Directed-pair precision, recall and F1; sign accuracy on
the pairs found; pair-and-sign accuracy = gold pairs found with the right sign / gold pairs.
`python -m tracker.lab corpus baseline` measures it.

{_table(["source", "items", "gold pairs", "predicted", "P", "R", "F1", "sign on found",
         "pair and sign"], base_rows) if base_rows else "(not measured yet)"}

## Files and fields

- `labels.jsonl` (the first rounds) and `labels-<round>.jsonl` (each further round, in a file
  of its own so that no file grows with every round): one item per line: `id`, `source` (data
  set), `doc`, `split`, `published`, `title`, `speaker` (ISO3 or null: the state a reader is
  told speaks), `speaker_note`, `context`, `text`, `url`, `stratum`, `pairs` (each `source`,
  `target`, `tone` -2..2, `source_text`/`target_text` as copied by the annotators,
  `source_span`/`target_span` as `[start, end]` into `text` or null), `decision` (`agreed`,
  `adjudicated`), `annotators` (role -> session).
- Correction of 2026-12-07: the sampler gave no `speaker` to State Department transcript turns
  of the Department's spokespeople written without a full stop ("MR PRICE", "MS PORTER") and
  to foreign officials' turns ("FOREIGN MINISTER BAERBOCK"); 249 items (27 of the test part,
  16 of dev) now carry USA or the official's state, as the speaker note always said. The
  annotators read the note, so no label changed.
- Second correction of 2026-12-07: every White House and State Department transcript turn
  now carries the speaker the tracker itself gives that turn when it reads a whole transcript
  (`tracker.extract.turns`): no state for questions, moderators and officials of international
  organisations ("SECRETARY GENERAL STOLTENBERG"); the state of an official the gazetteer
  knows in office ("PRIME MINISTER KISHIDA": JPN) or of a role with a nationality ("POLISH
  AIDE"); else the United States, whose transcript it is ("MS. DALTON", "SECRETARY
  MAYORKAS"). The sampler had also missed the White House's bare "Q" lines (no colon), so a
  journalist's question was an item of the official's turn before it, with that official's
  label in its speaker note; such items are now the question's, with no speaker. 425 items
  changed (344 train, 37 dev, 44 test): White House 263 from USA to none, 84 from none to USA
  and 21 from none to another state; State Department 56 from none to USA and one from USA to
  none. No label changed then: the labels of the 263 questions had been given under a note
  naming the official before them, and some of them read the question as that state's; the
  relabelling round `r7` (below the agreement tables) labelled them again.
- Third correction of 2026-12-07: a head of state or government, minister or monarch whom the
  gazetteer does not know ("PRESIDENT SANDU", "FOREIGN MINISTER HAYASHI") no longer speaks for
  the United States but for the state the transcript's title or text names beside them
  ("Moldovan President Maia Sandu"), or for none; an EU "HIGH REPRESENTATIVE" for none (the
  tracker's `rules-8`). 41 items changed (25 train, 7 dev, 9 test), all from USA: 33 to the
  leader's state, 8 to none. Their speaker notes named the turn's label, and the annotators
  had read the state from the title, so no label changed. The speaker notes of the 285 White
  House items that are a journalist's question (the 263 above and 22 that already had no
  speaker) now name the question's turn ("turn of speaker 'Q' (a journalist's question: no
  state speaks in it ...)"), the note the relabelling round `r7` was labelled under.
- `annotations.jsonl` (the first rounds; each further round in `annotations-<round>.jsonl`):
  every annotation as given: `id`, `role` (A, B, C; A1/B1 for VOA's first round),
  `annotator`, `round`, `pairs`.
- `agreement.json`: the agreement tables above. `baseline-test.json`: the baseline table.
  `rounds.json`: how each further round was made, in words; `prompt-<round>.md`: what each
  annotator session of rounds r3 to r6 was told (its shard and role in place of SHARD and
  ROLE; the third annotators' prompt differed only in its batch, whose items carried the two
  readings to decide between). Later rounds' prompts are written by `python -m tracker.lab
  corpus prompts` from `tracker/lab/annotator_prompt.md`, which tells the third annotator of
  the readings.
- Loader: `tracker.lab.corpus.load_corpus(folder, split=None, source=None)` checks that every
  span lies in its text and reads as copied, codes and tones are valid and no document is in
  two splits.

Rebuild: `python -m tracker.lab corpus sample` (the items, deterministic), `batches`, then the
annotation, `adjudication`, `merge`, `baseline`, `card`. A further round: `corpus more --take
SOURCE=N ...` (train-part items not in the corpus yet), `batches`, the annotation,
`adjudication`, `merge --append NAME`, `card`.

## Licences and attribution

The item texts keep their sources' licences: Wikipedia Current Events text is CC BY-SA 4.0
(earlier revisions CC BY-SA 3.0) by Wikipedia's contributors, from the portal day pages named in
each item's `url`, so this folder as a whole is shared under CC BY-SA 4.0; VOA, White House and
State Department text is public domain; UN General Debate speeches CC0; NewsMTSC sentences
(Hamborg & Donnay 2021) MIT. The labels are the project's (MIT, and CC BY-SA 4.0 where they
travel with Wikipedia text).
"""
    path = folder / "README.md"
    path.write_text(card, encoding="utf-8")
    return path
