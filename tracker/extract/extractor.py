"""The extractor: an article's text -> its directed statements, one article or many (over
processes)."""
from __future__ import annotations

import datetime as dt
import itertools

from tracker.extract.actors import Gazetteer
from tracker.extract.lexicon import RULES_VERSION
from tracker.extract.context import _Context
from tracker.extract.rules import SentenceRules, _Quotation, _statement
from tracker.extract.sentences import split_sentences
from tracker.extract.statements import (Extraction, SentenceMentions, Statement,
                                         StateMention)
from tracker.extract.turns import transcript_turns, turn_speaker


class Extractor(SentenceRules):
    """Directed statements from article text, with provenance.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to the packaged gazetteer.
    include_nonstate : bool
        Keep statements whose speaker is not a state (analysts, experts...). Off by default.
    turns : bool
        Read a transcript turn by turn, each turn as its speaker's (:mod:`tracker.extract.turns`);
        on by default. Off, the whole text is the article's speaker's, as before rules-7.

    Examples
    --------
    >>> ex = Extractor()
    >>> [(s.source, s.target) for s in ex.extract("a1", "Seoul summoned the Russian ambassador.")]
    [('KOR', 'RUS')]
    """

    def __init__(self, gazetteer: Gazetteer | None = None, include_nonstate: bool = False,
                 turns: bool = True) -> None:
        self.gazetteer = gazetteer
        self.include_nonstate = include_nonstate
        self.turns = turns

    @property
    def gaz(self) -> Gazetteer:
        return self.gazetteer or Gazetteer.default()

    @property
    def version(self) -> str:
        """Identifies the rules and actor data: equal versions give equal statements."""
        return (f"{RULES_VERSION}+{self.gaz.fingerprint}"
                + ("+nonstate" if self.include_nonstate else "")
                + ("" if self.turns else "+one-voice"))

    # -- public ---------------------------------------------------------------------------------
    def extract(self, article_id: str, text: str, published: dt.date | str | None = None,
                speaker: str | None = None, title: str | None = None) -> list[Statement]:
        """All statements of one article, in reading order.

        ``speaker`` (ISO3) is the state speaking in a speech or statement: "we", "our country"
        and "my delegation" then resolve to it. In a transcript (:mod:`tracker.extract.turns`)
        each turn is read as its own speaker's (``title``, the article's, may name a foreign
        leader's state).
        """
        return self.analyse(article_id, text, published, speaker, title=title).statements

    def analyse(self, article_id: str, text: str, published: dt.date | str | None = None,
                speaker: str | None = None, mentions: bool = False,
                title: str | None = None) -> "Extraction":
        """Statements of one article plus its coverage (sentences, sentences naming a country);
        with ``mentions``, also every sentence's state mentions as the rules resolved them (the
        candidates of a learned reader)."""
        on = dt.date.fromisoformat(published) if isinstance(published, str) else published
        ctx = _Context(speaker=speaker, gaz=self.gaz, low_forms=self.gaz.low_forms_in(text))
        out: list[Statement] = []
        sentences = split_sentences(text)
        quoted = _Quotation()
        resolved: list[SentenceMentions] = []
        # A transcript speaks with many voices: each turn's sentences are read as its speaker's.
        turns = transcript_turns(text) if self.turns else []
        voices = {who: turn_speaker(who, on, speaker, self.gaz, text, title)
                  for who in {t.who for t in turns}}
        turn, body = -1, 0
        for index, (a, b) in enumerate(sentences):
            while turn + 1 < len(turns) and turns[turn + 1].start <= a:
                turn += 1
                ctx.speaker, body = voices[turns[turn].who], turns[turn].body
            sentence = text[a:b]
            found = self._sentence(sentence, on, ctx)
            if mentions:
                resolved.append(SentenceMentions(index, a, b, tuple(
                    StateMention(x.iso3, a + x.start, a + x.end, x.text, x.excluded, x.resolved)
                    for x in ctx.actors if x.iso3), ctx.speaker, body))
            out += quoted.follow(article_id, index, a, b, sentence, bool(found), ctx)
            seen: set[tuple[str, str]] = set()
            for src, tgt, clause, rule in found:
                if src.iso3 == tgt[0].iso3 or (src.iso3, tgt[0].iso3) in seen:
                    continue
                seen.add((src.iso3, tgt[0].iso3))
                out.append(_statement(article_id, index, a, b, sentence, src, a, tgt, clause,
                                      rule))
            if found:
                src, tgt = found[0][0], found[0][1][0]
                ctx.last_pair = (src.iso3, tgt.iso3)
            for src, tgt, _, _ in found:
                ctx.pair_counts[frozenset((src.iso3, tgt[0].iso3))] += 1
        if quoted.emitted:
            out.sort(key=lambda st: st.sentence_index)  # (stable: reading order within each)
        return Extraction(out, len(sentences), ctx.sentences_with_country, resolved)

    def analyse_many(self, items, workers: int = 1, chunksize: int = 32):
        """``(article_id, Extraction)`` for each ``(article_id, text, published)`` of ``items``
        (or with a fourth element, the speaker's ISO3: a speech, read in speech mode; and a
        fifth, the article's title), in order.

        With ``workers`` > 1 the articles are spread over that many processes (articles are
        independent; the gazetteer is shared by fork where the platform has it). The caller
        stores results as they come, so an interrupted run keeps every article already
        yielded. ``items`` may be a lazy iterator (articles streamed from the store): it is
        only ever advanced in the calling thread, one window of articles at a time, with two
        windows in flight so that the workers never wait for the next.
        """
        if workers <= 1:
            for article_id, text, published, *rest in items:
                speaker, title = speaker_and_title(rest)
                yield article_id, self.analyse(article_id, text, published, speaker, title=title)
            return
        import multiprocessing as mp

        items = iter(items)
        size = max(64, 16 * workers * chunksize)
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        with mp.get_context(method).Pool(workers, initializer=_set_worker,
                                         initargs=(self,)) as pool:

            def submit():
                window = list(itertools.islice(items, size))
                return pool.imap(_analyse_item, window, chunksize) if window else None

            pending = submit()
            while pending is not None:
                following = submit()
                yield from pending
                pending = following


def _set_worker(extractor: Extractor) -> None:
    global _WORKER
    _WORKER = extractor


def _analyse_item(item) -> tuple[str, Extraction]:
    article_id, text, published, *rest = item
    speaker, title = speaker_and_title(rest)
    return article_id, _WORKER.analyse(article_id, text, published, speaker, title=title)


def speaker_and_title(rest) -> tuple[str | None, str | None]:
    """``(speaker, title)`` of an article item's optional elements after ``(article_id, text,
    published)`` (:meth:`Extractor.analyse_many`), None where absent."""
    return (rest[0] if rest else None), (rest[1] if len(rest) > 1 else None)


def extract_statements(article_id: str, text: str, published: dt.date | str | None = None,
                       gazetteer: Gazetteer | None = None) -> list[Statement]:
    """Directed statements of one article (see :class:`Extractor`).

    Examples
    --------
    >>> sts = extract_statements("x", "North Korea declared Seoul its main enemy.", "2024-01-20")
    >>> [(s.source, s.target, s.rule) for s in sts]
    [('PRK', 'KOR', 'speech:declared')]
    """
    return Extractor(gazetteer).extract(article_id, text, published)
