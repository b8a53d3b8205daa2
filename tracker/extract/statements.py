"""What extraction gives: directed statements with their evidence."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    """One directed statement: ``source`` says or does something toward ``target``.

    Offsets index into the article's stored text; see ``docs/ARCHITECTURE.md``.
    """

    article_id: str
    sentence_index: int
    sentence_start: int
    sentence_end: int
    sentence: str
    source: str
    target: str
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    clause_start: int
    clause_end: int
    rule: str
    source_text: str
    target_text: str


@dataclass(frozen=True)
class Extraction:
    """What extracting one article gives: its statements and its coverage."""

    statements: list[Statement]
    n_sentences: int
    n_sentences_with_country: int
