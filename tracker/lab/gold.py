"""The project's annotated VOA sentences (``benchmarks/gold`` of the repository), for evaluation
and selection.

Takes a gold file (JSON lines: ids, offsets and labels, never text) and the VOA stories of the
shared data; gives the rows of one part with their sentence text cut from the stories. Used
by the tone evaluation (:func:`tracker.lab.datasets.load_voa_tone`) and the extraction benchmark
(``benchmarks/eval_extract.py``), so both select and clean the rows the same way. The command
line passes the gold folder in (``--gold-dir``, default ``benchmarks/gold``).

Parts: ``dev`` rows may be read, error by error, to choose rules and recipes; ``test`` rows
are only ever totalled. A test sentence that also stands in a dev story (a syndicated copy)
is left out of ``test``, so that nothing chosen on dev is scored again on test.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import TrackerError

#: File names inside the gold folder.
VOA_DYADS = "voa_dyads.jsonl"
VOA_TONE = "voa_tone.jsonl"
PARTS = ("dev", "test", "all")


@dataclass(frozen=True)
class GoldSet:
    """Rows of one part, each with ``text`` (its sentence), and the stories they come from."""

    rows: list[dict]
    articles: dict  # article id -> tracker.ingest.Article


def read_rows(path: str | os.PathLike) -> list[dict]:
    """The rows of a gold file as they are stored (no text)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read the gold file ({exc.strerror}); it ships in "
                           "benchmarks/gold of the repository.") from exc
    rows = []
    for i, line in enumerate(lines, start=1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise TrackerError(f"{path}:{i}: not valid JSON ({exc.msg}); restore the file "
                                   "from git.") from exc
    return rows


def load_gold(data_dir: str | os.PathLike, gold_dir: str | os.PathLike, part: str = "all",
              name: str = VOA_DYADS) -> GoldSet:
    """Rows of the gold file ``gold_dir/name`` in ``part`` ("dev", "test" or "all"), each with
    its sentence ``text``.

    Rows that carry no offsets (the tone labels) take them from the dyad file of the same
    folder by (article id, sentence index).

    Examples
    --------
    >>> gold = load_gold("../shared/data", "benchmarks/gold", "dev")  # doctest: +SKIP
    >>> gold.rows[0]["text"][:40], gold.rows[0]["dyads"]  # doctest: +SKIP
    """
    if part not in PARTS:
        raise TrackerError(f"part {part!r} is invalid; use one of: {', '.join(PARTS)}.")
    from tracker.ingest import read_articles

    voa = Path(data_dir) / "voa" / "voa_stories.jsonl"
    if not voa.is_file():
        raise TrackerError(f"{voa}: the VOA stories file is missing; pass the shared data "
                           "folder that holds voa/voa_stories.jsonl.")
    all_rows = read_rows(Path(gold_dir) / name)
    offsets = {}
    if any("start" not in r for r in all_rows):
        offsets = {(r["article_id"], r["sentence_index"]): (r["start"], r["end"])
                   for r in read_rows(Path(gold_dir) / VOA_DYADS)}
    articles = {a.id: a for a in read_articles([voa])}

    def text(r: dict) -> str:
        a, b = (r["start"], r["end"]) if "start" in r else \
            offsets[(r["article_id"], r["sentence_index"])]
        return articles[r["article_id"]].text[a:b]

    dev_texts = {text(r) for r in all_rows if r["part"] == "dev"} if part == "test" else set()
    rows = []
    for r in all_rows:
        if part in ("all", r["part"]):
            t = text(r)
            if t not in dev_texts:
                rows.append({**r, "text": t})
    return GoldSet(rows, articles)
