"""Whole transcripts read turn by turn, against one voice for the whole text.

    python benchmarks/eval_transcripts.py [--model fast|accurate|PATH] [--split dev|test]
                                          [--rules] [--json FILE]

The corpus's White House and State Department items that are transcript turns were drawn from
whole briefings, press conferences and remarks. Here each of their documents is cleaned and read
whole, as `tracker run` stores and reads an article with its title (the files wrap their lines
at about 70 characters; cleaning joins them), and the pairs the reader takes in an item's sentences are
scored against the item's gold pairs (`tracker.lab.dyads_eval.score`: pair P/R/F1, sign
accuracy on the pairs found, pair-and-sign accuracy). Same reader, same run, four readings of
each document:

- turns, USA: each turn speaks for its speaker (`tracker.extract.turns`), the document's state
  being the United States (how a White House or State Department file is loaded);
- one voice, USA: the whole text is the United States' (speech mode as it was before rules-7);
- turns, no speaker: the document's state not known (a page fetched from the web);
- one voice, no speaker.

And, for reference, each item read alone with the speaker it carries (what `reader-eval`
measures); with ``--rules``, the rule extractor and the tone model on the whole documents, turns
and one voice. Only the corpus part named is read; choose on dev, report test.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
import time
from pathlib import Path

from tracker.ingest.clean import normalise_quotes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FILES = {"whitehouse": DATA / "whitehouse" / "remarks_briefings_2021_2026.jsonl.gz",
         "state_dept": DATA / "state_dept" / "press_releases_2021_2022.jsonl.gz"}
TURN_NOTE = re.compile(r"(?:Transcript turn of|turn of speaker) '([^']*)'")
SIGN = {"hostile": -1, "neutral": 0, "cooperative": 1}


def transcript_items(split: str):
    """The corpus items of ``split`` that are transcript turns, and their documents' texts."""
    from tracker.ingest.clean import clean_text
    from tracker.lab.corpus import load_corpus

    items = [i for i in load_corpus(ROOT / "corpus" / "dyads", split=split)
             if i.source in FILES and TURN_NOTE.search(i.speaker_note or "")]
    wanted = {i.doc for i in items}
    docs = {}
    for path in FILES.values():
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row["id"] in wanted:
                    # As `tracker run` stores it: the lines of a paragraph joined, quotes
                    # normalised (the files wrap their lines at about 70 characters).
                    docs[row["id"]] = (clean_text(row["text"]), row["published"],
                                       row.get("title"))
    return items, docs


def where(item, text: str) -> tuple[int, int] | None:
    """The item's span in its document (its words, whatever the spacing between them)."""
    words = normalise_quotes(item.text).split()
    first = re.search(r"\s+".join(map(re.escape, words[:12])), text)
    if not first:
        return None
    last = re.compile(r"\s+".join(map(re.escape, words[-6:])))
    end = last.search(text, first.start())
    return first.start(), end.end() if end else first.start() + len(item.text)


def read_documents(docs: dict, reader, extractor, speaker):
    """Per document, the statements the reader takes: ``[(start, end, source, target, sign)]``
    with the sentence's span."""
    from tracker.reader.model import article_pairs, inputs_of, pair_from_proba

    out, n = {}, 0
    for doc, (text, published, title) in docs.items():
        _, _, pairs = article_pairs(doc, text, published, speaker, extractor, title)
        found = []
        if pairs:
            proba = reader.proba(inputs_of([(u, c) for _, u, c in pairs], extractor.gaz))
            for (sent, _, c), p in zip(pairs, proba):
                read = pair_from_proba(c, p, reader.threshold)
                if read.is_statement:
                    found.append((sent.start, sent.end, c.source, c.target, SIGN[read.label]))
        out[doc] = found
        n += len(pairs)
    return out, n


def rules_documents(docs: dict, extractor, tone_model, speaker):
    """As :func:`read_documents` for the rule extractor, each statement's sign from the tone
    model (its clause, the target marked: as the pipeline scores it)."""
    from tracker.lab.dyads_eval import tone_input

    found, inputs = {}, []
    for doc, (text, published, title) in docs.items():
        found[doc] = []
        for st in extractor.extract(doc, text, published, speaker, title):
            inputs.append(tone_input(text, st))
            found[doc].append([st.sentence_start, st.sentence_end, st.source, st.target, None])
    results = tone_model.predict(inputs, batch_size=64) if inputs else []
    flat = [row for rows in found.values() for row in rows]
    for row, result in zip(flat, results):
        row[4] = SIGN[result.label]
    return found, len(flat)


def question_items(items, docs, spans) -> list[bool]:
    """Whether each item lies in a journalist's turn ("Q", "QUESTION"): the sampler missed the
    White House's bare "Q" lines until 2026-12-07, so those items were first labelled under a
    speaker note naming the official whose turn came before (labelled again in the corpus's
    relabelling round r7)."""
    from tracker.extract.turns import turn_marks, turn_speaker

    out = []
    for item, span in zip(items, spans):
        text = docs[item.doc][0]
        whos = [t.who for t in turn_marks(text) if span and t.body <= span[0]]
        out.append(bool(whos) and turn_speaker(whos[-1], None, "USA") is None
                   and whos[-1].startswith("Q"))
    return out


def scored(items, preds, questions) -> dict:
    """``score``'s figures over all items, and apart for the questions' and the others'."""
    from tracker.lab.dyads_eval import score

    out = score(items, preds)["all"]
    for name, keep in (("questions", True), ("other turns", False)):
        part = [(i, p) for i, p, q in zip(items, preds, questions) if q == keep]
        if part:
            out[name] = score([i for i, _ in part], [p for _, p in part])["all"]
    return out


def predictions(items, spans, read) -> list[dict]:
    """Per item, the pairs taken in the sentences its span (:func:`where`) overlaps."""
    out = []
    for item, span in zip(items, spans):
        got: dict = {}
        if span:
            for start, end, source, target, sign in read[item.doc]:
                if start < span[1] and end > span[0]:
                    got.setdefault((source, target), sign)
        out.append(got)
    return out


def measure(model: str, split: str, rules: bool = False) -> dict:
    from tracker.extract import Extractor
    from tracker.lab.reader_train import reader_predictions
    from tracker.reader.model import Reader

    items, docs = transcript_items(split)
    spans = [where(i, docs[i.doc][0]) for i in items]
    located = sum(span is not None for span in spans)
    questions = question_items(items, docs, spans)
    reader = Reader.load(model)
    table = {"items": len(items), "located": located, "documents": len(docs),
             "question_items": sum(questions),
             "gold_pairs": sum(len(i.pairs) for i in items), "readings": {}}
    for name, turns, speaker in (("turns, USA", True, "USA"), ("one voice, USA", False, "USA"),
                                 ("turns, no speaker", True, None),
                                 ("one voice, no speaker", False, None)):
        t0 = time.perf_counter()
        read, n = read_documents(docs, reader, Extractor(turns=turns), speaker)
        table["readings"][name] = {**scored(items, predictions(items, spans, read), questions),
                                   "candidates": n,
                                   "seconds": round(time.perf_counter() - t0, 1)}
    table["readings"]["item alone (reader-eval)"] = scored(
        items, reader_predictions(items, reader), questions)
    if rules:
        from tracker.tone import ToneModel

        tone = ToneModel.load()
        for name, turns in (("rules: turns, USA", True), ("rules: one voice, USA", False)):
            t0 = time.perf_counter()
            read, n = rules_documents(docs, Extractor(turns=turns), tone, "USA")
            table["readings"][name] = {**scored(items, predictions(items, spans, read),
                                               questions),
                                       "statements": n,
                                       "seconds": round(time.perf_counter() - t0, 1)}
    table["model"] = reader.identity
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="fast")
    ap.add_argument("--split", default="dev", choices=["dev", "test"])
    ap.add_argument("--json", type=Path)
    ap.add_argument("--rules", action="store_true",
                    help="Also the rule extractor and the tone model, turns and one voice.")
    args = ap.parse_args()
    table = measure(args.model, args.split, args.rules)
    print(f"{args.split}: {table['items']} transcript items ({table['located']} found in "
          f"their documents; {table['question_items']} of journalists' turns), "
          f"{table['documents']} documents, {table['gold_pairs']} gold pairs; "
          f"reader {table['model']}")
    print(f"{'reading':28} {'P':>6} {'R':>6} {'F1':>6} {'sign':>6} {'P&S':>6} {'cands':>7} "
          f"{'s':>6}")
    for name, r in table["readings"].items():
        print(f"{name:28} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
              f"{r['sign_accuracy_found']:6.3f} {r['pair_and_sign_accuracy']:6.3f} "
              f"{r.get('candidates', r.get('statements', '')):>7} {r.get('seconds', ''):>6}")
    for part in ("questions", "other turns"):
        print(f"\n{part} only (the last two columns: items, gold pairs):")
        for name, r in table["readings"].items():
            if part in r:
                r = r[part]
                print(f"{name:28} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                      f"{r['sign_accuracy_found']:6.3f} {r['pair_and_sign_accuracy']:6.3f} "
                      f"{r['items']:>7} {r['gold_pairs']:>6}")
    if args.json:
        args.json.write_text(json.dumps(table, indent=1) + "\n")


if __name__ == "__main__":
    main()
