"""Candidates: every ordered pair of states that a sentence could hold a statement between.

The rule extractor finds the state mentions (names, officials in office, capitals, people and
pronouns followed through the article, the speaker of a speech); every ordered pair of two
different states mentioned in the sentence is a candidate, and so is the speaker (when one is
known) with each state the sentence mentions, both ways. Mentions the rules would set aside
(a place, a group's nationality) stay in: the reader decides. In a transcript the speaker is
the turn's (:mod:`tracker.extract.turns`), and a turn's label and the turns before it are not
its sentences' context.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

Span = tuple[int, int]


@dataclass(frozen=True)
class Candidate:
    """One ordered pair of states in a unit of text (a sentence, or a short item of a few), with
    the spans (offsets into the text) of every mention of each side in the unit; no span for a
    speaker or a state of the context that the unit does not name."""

    source: str
    target: str
    source_spans: tuple[Span, ...]
    target_spans: tuple[Span, ...]


def candidates(text: str, published: dt.date | str | None = None, speaker: str | None = None,
               extractor=None, first_offset: int = 0):
    """The candidates of the unit ``text[first_offset:]`` (the sentences before it are read as
    context only), and the rules' own statements of the unit.

    Returns
    -------
    (list of Candidate, list of Statement)

    Examples
    --------
    >>> cands, _ = candidates("Iran and Saudi Arabia agree to resume relations.", "2023-03-10")
    >>> sorted((c.source, c.target) for c in cands)
    [('IRN', 'SAU'), ('SAU', 'IRN')]
    """
    from tracker.extract import Extractor

    extractor = extractor or Extractor()
    on = dt.date.fromisoformat(published) if isinstance(published, str) else published
    result = extractor.analyse("candidates", text, published, speaker, mentions=True)
    # States named only before ``first_offset`` (the context) may be what "the two countries",
    # "our sister country" or a bare target refers to: candidates too, with no span.
    earlier = {m.iso3 for s in result.sentences if s.start < first_offset for m in s.mentions}
    unit = [s for s in result.sentences if s.start >= first_offset]
    out = _unit_candidates(text, unit, earlier, speaker, extractor.gaz, on)
    statements = [s for s in result.statements if s.sentence_start >= first_offset]
    return out, statements


def article_units(text: str, published: dt.date | str | None = None,
                  speaker: str | None = None, extractor=None, title: str | None = None):
    """An article read sentence by sentence, each with the sentence before it as context (as
    the corpus items are): ``(sentence, context_start, candidates)`` per sentence that has
    candidates, and the extraction (coverage figures) of the whole article, from one pass of
    the rules, so that people and pronouns resolve across the article."""
    from tracker.extract import Extractor

    extractor = extractor or Extractor()
    on = dt.date.fromisoformat(published) if isinstance(published, str) else published
    result = extractor.analyse("article", text, published, speaker, mentions=True, title=title)
    units = []
    for k, sent in enumerate(result.sentences):
        before = result.sentences[k - 1] if k else None
        if before is not None and before.turn_start != sent.turn_start:
            before = None  # another turn of a transcript: not this speaker's context
        earlier = {m.iso3 for m in before.mentions} if before else set()
        found = _unit_candidates(text, [sent], earlier, sent.speaker, extractor.gaz, on)
        if found:
            start = before.start if before else sent.start
            units.append((sent, max(start, sent.turn_start), found))
    return units, result


def _unit_candidates(text, sentences, earlier, speaker, gaz, on) -> list[Candidate]:
    spans: dict[str, list[Span]] = {}
    for sent in sentences:
        # A transcript turn's label ("PRESIDENT ZELENSKYY:") says who speaks, not whom of.
        begin = max(sent.start, sent.turn_start)
        for m in sent.mentions:
            if m.end > m.start and m.start < begin:
                continue
            spans.setdefault(m.iso3, [])
            if m.end > m.start:
                spans[m.iso3].append((m.start, m.end))
        # The gazetteer's own mentions too, where the rules dropped one (a compound such as
        # "U.S.-Canada", a name the rules read as a place).
        sentence = text[begin:sent.end]
        found = [m for m in gaz.find_mentions(sentence, on) if m.iso3]
        found += [m for pair in gaz.compounds(sentence) for m in pair if m.iso3]
        for m in found:
            spans.setdefault(m.iso3, []).append((begin + m.start, begin + m.end))
    states = list(spans)
    if states or speaker:
        for iso3 in sorted(earlier - set(spans)):
            spans[iso3] = []
            states.append(iso3)
    if speaker and states and speaker not in spans:
        spans[speaker] = []
        states.append(speaker)
    return [Candidate(s, t, tuple(sorted(set(spans[s]))), tuple(sorted(set(spans[t]))))
            for s in states for t in states if s != t]
