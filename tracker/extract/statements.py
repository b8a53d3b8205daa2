"""What extraction gives: directed statements with their evidence."""
from __future__ import annotations

from dataclasses import dataclass, field


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
class StateMention:
    """A mention of a state in a sentence as the rules resolved it: a name, an official, a
    capital, or a back-reference ("she", "the ministry", "the two countries"). Offsets index into
    the article's text; ``start == end`` for a state the text implies without naming it (the
    speaker of a speech). ``excluded`` says why the rules would not take it as an actor
    ("place", "group", ...), ``resolved`` how a back-reference was resolved."""

    iso3: str
    start: int
    end: int
    text: str
    excluded: str = ""
    resolved: str = ""


@dataclass(frozen=True)
class SentenceMentions:
    """The state mentions of one sentence (``[start, end)`` in the article); the state that
    speaks in it (``speaker``: the article's, or in a transcript its turn's), and where the
    words of its turn begin (``turn_start``: 0 outside a transcript; the speaker's label, "MS.
    PSAKI:", lies before it)."""

    index: int
    start: int
    end: int
    mentions: tuple[StateMention, ...]
    speaker: str | None = None
    turn_start: int = 0


@dataclass(frozen=True)
class Extraction:
    """What extracting one article gives: its statements and its coverage (and, when asked,
    the state mentions of every sentence)."""

    statements: list[Statement]
    n_sentences: int
    n_sentences_with_country: int
    sentences: list[SentenceMentions] = field(default_factory=list)
    #: (tone, label, confidence) per statement, when the stage that made them also read their
    #: tone (the learned reader); empty for the rules, whose tones the tone model gives later.
    tones: list[tuple[float, str, float]] = field(default_factory=list)
