"""The labelled corpus of who addresses whom (``corpus/dyads/``): items of real text, each with
every directed pair of states the annotators found, its tone and the mentions' spans.

Takes the corpus folder; gives :class:`Item` records, checked: every span lies inside its text
and reads as the words the annotators copied, codes are ISO3, tones are -2..2, and no document
has items in two splits. A failed check is a :class:`~tracker.errors.TrackerError` naming the file,
the line and the fix.

Examples
--------
>>> items = load_corpus("corpus/dyads", split="test")  # doctest: +SKIP
>>> items[0].pairs[0].source, items[0].pairs[0].tone  # doctest: +SKIP
('IRN', 2)
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import TrackerError

LABELS_FILE = "labels.jsonl"      # the first rounds; each further round: labels-<round>.jsonl
SPLITS = ("train", "dev", "test")
SOURCES = ("wcep", "voa", "ungd", "whitehouse", "state_dept", "newsmtsc")


@dataclass(frozen=True)
class Pair:
    """One directed statement or act: ``source`` toward ``target`` with a tone in -2..2.

    ``source_span`` / ``target_span`` are ``(start, end)`` offsets into the item's ``text``, or
    None where the actor is only the speaker or is named in the context alone.
    """

    source: str
    target: str
    tone: int
    source_span: tuple[int, int] | None
    target_span: tuple[int, int] | None

    @property
    def sign(self) -> int:
        return (self.tone > 0) - (self.tone < 0)


@dataclass(frozen=True)
class Item:
    """A sentence or short passage with the context a reader needs, and its pairs."""

    id: str
    source: str            # the data set it was drawn from (one of SOURCES)
    doc: str               # its document (story, speech, release, day's item)
    split: str             # train / dev / test, by document
    published: str         # YYYY-MM-DD, or "" where the set has no date
    speaker: str | None    # ISO3 of the state speaking (speeches, releases, official turns)
    speaker_note: str      # what the annotators were told about the speaker
    title: str
    context: str           # the sentence before, where there is one
    text: str
    pairs: tuple[Pair, ...]
    decision: str          # "agreed" (both annotators) or "adjudicated" (the third's decision)
    annotators: dict       # role -> annotator id


def _fail(path: Path, line: int, what: str) -> TrackerError:
    return TrackerError(f"{path}:{line}: {what}; restore the file from git or rebuild it with "
                        "python -m tracker.lab.annotation merge.")


def _span(value, text: str, copied, path: Path, line: int) -> tuple[int, int] | None:
    if value is None:
        return None
    a, b = value
    if not (0 <= a < b <= len(text)) or (copied is not None and text[a:b] != copied):
        raise _fail(path, line, f"span {value} does not read {copied!r} in the item's text")
    return (a, b)


def parse_item(row: dict, path: Path, line: int, codes: set[str] | None = None) -> Item:
    """One line of ``labels.jsonl`` as an :class:`Item`, checked."""
    try:
        text = row["text"]
        pairs = []
        for p in row["pairs"]:
            if codes is not None and not {p["source"], p["target"]} <= codes:
                raise _fail(path, line, f"unknown code in {p['source']}->{p['target']}")
            if p["source"] == p["target"] or not -2 <= int(p["tone"]) <= 2:
                raise _fail(path, line, f"bad pair {p['source']}->{p['target']} tone {p['tone']}")
            pairs.append(Pair(p["source"], p["target"], int(p["tone"]),
                              _span(p["source_span"], text, p.get("source_text"), path, line),
                              _span(p["target_span"], text, p.get("target_text"), path, line)))
        if row["split"] not in SPLITS or row["source"] not in SOURCES:
            raise _fail(path, line, f"split {row['split']!r} / source {row['source']!r} unknown")
        return Item(row["id"], row["source"], row["doc"], row["split"], row["published"] or "",
                    row.get("speaker"), row.get("speaker_note") or "", row.get("title") or "",
                    row.get("context") or "", text, tuple(pairs), row["decision"],
                    dict(row["annotators"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise _fail(path, line, f"malformed item ({type(exc).__name__}: {exc})") from exc


def load_corpus(folder: str | os.PathLike, split: str | None = None,
                source: str | None = None) -> list[Item]:
    """The corpus items of ``folder`` (optionally one split and one source), checked.

    Parameters
    ----------
    folder : path
        The corpus folder (``corpus/dyads`` of the repository), holding ``labels.jsonl``.
    split : {"train", "dev", "test"}, optional
    source : str, optional
        One of :data:`SOURCES`.

    Returns
    -------
    list of Item, by id (the order of the one file the corpus had before its further
    rounds got files of their own). An item labelled again in a later round (``corpus
    relabel``) is that round's: its later line replaces the earlier.
    """
    if split is not None and split not in SPLITS:
        raise TrackerError(f"split {split!r} is invalid; use one of: {', '.join(SPLITS)}.")
    if source is not None and source not in SOURCES:
        raise TrackerError(f"source {source!r} is invalid; use one of: {', '.join(SOURCES)}.")
    from tracker.lab.annotation import iso3_codes

    codes = iso3_codes()
    items, split_of, where = {}, {}, {}
    for path, n, row in label_rows(folder):
        item = parse_item(row, path, n, codes)
        key = (item.source, item.doc)
        if split_of.setdefault(key, item.split) != item.split:
            raise _fail(path, n, f"document {item.doc} of {item.source} is in two splits")
        if where.get(item.id, (None,))[0] == path:
            raise _fail(path, n, f"item {item.id} is on line {where[item.id][1]} too; keep one")
        where[item.id] = (path, n)
        items[item.id] = item
    return [i for _, i in sorted(items.items()) if (split is None or i.split == split)
            and (source is None or i.source == source)]


def final_rows(folder: str | os.PathLike) -> dict[str, dict]:
    """Item id -> the row of its final labels (a later round's where it was labelled again)."""
    return {row["id"]: row for _, _, row in label_rows(folder)}


def label_files(folder: str | os.PathLike) -> list[Path]:
    """The label files of the corpus in ``folder``: ``labels.jsonl`` (the first rounds), then
    ``labels-<round>.jsonl`` for each further round (``corpus merge --append``), in the order
    of their names (r3, r4, ..., r10: a later round's labels of an item replace an earlier's),
    so that no one file grows with every round."""
    return _round_files(folder, LABELS_FILE)


def label_rows(folder: str | os.PathLike):
    """(file, line number, parsed row) for every item line of the corpus in ``folder``; a
    :class:`~tracker.errors.TrackerError` naming the file and line for one that is not JSON."""
    return _jsonl_rows(label_files(folder))


def _jsonl_rows(paths: list[Path]):
    """(file, line number, parsed row) for every non-empty line of ``paths``; a file that cannot
    be read or a line that is not JSON is a :class:`~tracker.errors.TrackerError` naming it."""
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise TrackerError(f"{path}: cannot read the corpus ({exc.strerror}); pass the "
                               "folder holding labels.jsonl (corpus/dyads of the "
                               "repository).") from exc
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                yield path, n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise _fail(path, n, f"not valid JSON ({exc.msg})") from exc


def annotation_files(folder: str | os.PathLike) -> list[Path]:
    """The raw annotation files of the corpus in ``folder``: ``annotations.jsonl`` (the first
    rounds), then ``annotations-<round>.jsonl`` for each further round, as the labels are
    kept (:func:`label_files`)."""
    return _round_files(folder, "annotations.jsonl")


def _round_files(folder: str | os.PathLike, first: str) -> list[Path]:
    """``first`` (say ``labels.jsonl``) and, after it, ``<its stem>-<round>.jsonl`` of every
    further round."""
    folder = Path(folder)
    stem = Path(first).stem
    return [folder / first] + sorted(folder.glob(f"{stem}-*.jsonl"), key=lambda p: [
        int(x) if x.isdigit() else x for x in re.split(r"(\d+)", p.stem[len(stem) + 1:])])


def annotation_rows(folder: str | os.PathLike) -> list[dict]:
    """Every annotation of the corpus in ``folder`` as given (``id``, ``role``, ``annotator``,
    ``round``, ``pairs``), from all its annotation files; a line that is not JSON is a
    :class:`~tracker.errors.TrackerError` naming its file and line."""
    return [row for _, _, row in _jsonl_rows(annotation_files(folder))]


def round_items(folder: str | os.PathLike, name: str) -> list[Item]:
    """The items of the further round ``name`` of the corpus in ``folder`` (``corpus more``);
    a :class:`~tracker.errors.TrackerError` when there is no such round."""
    ids = {r["id"] for r in annotation_rows(folder) if r["round"] == name}
    if not ids:
        raise TrackerError(f"'{folder}' has no round {name!r} in its annotation files; name "
                           "one added with `corpus merge --append`.")
    return [i for i in load_corpus(folder) if i.id in ids]
