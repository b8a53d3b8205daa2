"""Transcript turns: who speaks each part of a briefing, press conference or set of remarks.

Takes an article's text (and the state whose document it is, if known) and gives its turns:
a line that begins with a speaker's label in capitals ("MS. PSAKI:", "Q:", "PRESIDENT
ZELENSKYY:") starts one, and a text with at least :data:`MIN_TURNS` of them is a transcript.
Each turn speaks for a state or for none (:func:`turn_speaker`): a journalist's question, a
moderator or an international organisation's official speaks for no state; an official the
gazetteer knows in office ("PRIME MINISTER KISHIDA") or a role with a nationality ("POLISH
AIDE") for theirs; anyone else in a state's transcript (its spokespeople, secretaries,
ambassadors) for the document's state, and for none where the document's state is not known.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: A turn's label: a line starting with up to 41 capitals, full stops, apostrophes, hyphens and
#: spaces, then a colon; or a journalist's bare "Q" (the White House writes "Q    Mr. President").
TURN = re.compile(r"(?m)^(?:(?P<q>Q)\b[ \t]*[–:]?|(?P<who>[A-Z][A-Z.'\- ]{0,40}):)\s")
#: Fewer labels than this and the text is not read as a transcript ("NOTE: ..." in a release).
MIN_TURNS = 3
#: Labels that speak for no state: questions from the press, moderators and operators,
#: interpreters, the audience, and officials of international organisations.
NO_STATE = re.compile(r"^(?:Q|QUESTION|QUESTIONER|REPORTER|JOURNALIST|PRESS|AUDIENCE(?: MEMBER)?|"
                      r"PARTICIPANTS?|MODERATOR|OPERATOR|INTERPRETER|TRANSLATOR|NARRATOR|"
                      r"CROWD|STAFF|VOICE|VOICES|UNIDENTIFIED\b.*)\.?$|SECRETARY[- ]GENERAL")


@dataclass(frozen=True)
class Turn:
    """One turn of a transcript: its label ``who`` at ``text[start:body]``, its words from
    ``body`` up to the next turn's ``start`` (or the end)."""

    start: int
    body: int
    end: int
    who: str


def transcript_turns(text: str) -> list[Turn]:
    """The turns of ``text``, or ``[]`` when it is not a transcript (fewer than
    :data:`MIN_TURNS` labels).

    Examples
    --------
    >>> t = transcript_turns("MS. PSAKI: Hi.\\nQ    And China?\\nMS. PSAKI: No comment.\\n")
    >>> [(x.who, x.body, x.end) for x in t]
    [('MS. PSAKI', 11, 15), ('Q', 20, 31), ('MS. PSAKI', 42, 54)]
    """
    turns = turn_marks(text)
    return turns if len(turns) >= MIN_TURNS else []


def turn_marks(text: str) -> list[Turn]:
    """Every turn of ``text`` that a label starts, however few."""
    marks = list(TURN.finditer(text))
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [Turn(m.start(), m.end(), end, (m.group("who") or m.group("q")).strip())
            for m, end in zip(marks, ends)]


def turn_speaker(who: str, published: dt.date | str | None = None, speaker: str | None = None,
                 gazetteer=None) -> str | None:
    """The state (ISO3) that the turn labelled ``who`` speaks for, in a transcript of
    ``speaker``'s (the document's state, or None when not known).

    Examples
    --------
    >>> turn_speaker("Q", "2022-05-23", "USA") is None
    True
    >>> turn_speaker("PRIME MINISTER KISHIDA", "2022-05-23", "USA")
    'JPN'
    >>> turn_speaker("MR PRICE", "2022-05-23", "USA")
    'USA'
    >>> turn_speaker("SECRETARY GENERAL STOLTENBERG", "2022-05-23", "USA") is None
    True
    >>> turn_speaker("SECRETARY BLINKEN", "2022-05-23"), turn_speaker("RUSSIA", None, "USA")
    ('USA', 'USA')
    """
    from tracker.extract.actors import Gazetteer

    who = " ".join(who.split()).upper()
    if not who or NO_STATE.search(who):
        return None
    on = dt.date.fromisoformat(published) if isinstance(published, str) and published \
        else published or None
    gaz = gazetteer or Gazetteer.default()
    # A person in office ("Kishida"), or a nationality before a role ("Polish aide"); not a
    # bare place ("RUSSIA:" heading a paragraph), which names no speaker.
    label = who.title()
    found = {m.iso3 for m in gaz.find_mentions(label, on) if m.iso3 and (
        m.kind == "official" or (m.kind == "adjective" and label[m.end:].strip()))}
    if len(found) == 1:
        return found.pop()
    return speaker
