"""Transcript turns: who speaks each part of a briefing, press conference or set of remarks.

Takes an article's text (and the state whose document it is, if known) and gives its turns:
a line that begins with a speaker's label in capitals ("MS. PSAKI:", "Q:", "PRESIDENT
ZELENSKYY:") starts one, and a text with at least :data:`MIN_TURNS` of them is a transcript.
Each turn speaks for a state or for none (:func:`turn_speaker`): a journalist's question, a
moderator or an international organisation's official speaks for no state; an official the
gazetteer knows in office ("PRIME MINISTER KISHIDA") or a role with a nationality ("POLISH
AIDE") for theirs; a head of state or government, a minister or a monarch the gazetteer does not
know for the state the transcript names beside them ("Moldovan President Maia Sandu", "Prime
Minister Bennett of Israel"), or for none when it names none; anyone else in a state's
transcript (its spokespeople, secretaries, ambassadors) for the document's state, and for none
where the document's state is not known.
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
                      r"CROWD|STAFF|VOICE|VOICES|UNIDENTIFIED\b.*)\.?$|SECRETARY[- ]GENERAL|"
                      r"HIGH REPRESENTATIVE")
#: Labels of a head of state or government, a minister or a monarch, by name: the document's
#: own spokespeople are never these, so one the gazetteer does not know speaks for the state
#: the transcript names beside them (:func:`named_state`), not for the document's.
LEADER = re.compile(r"^(?:(?:ACTING|DEPUTY|FORMER|INTERIM)\s+)*(?:PRIME MINISTER|PREMIER|"
                    r"(?:VICE\s+)?PRESIDENT|(?:[A-Z]+\s+)?MINISTER|KING|QUEEN|CROWN PRINCE|"
                    r"PRINCE|EMIR|SHEIKH|SULTAN|CHANCELLOR|TAOISEACH)\s+(?P<name>[A-Z][A-Z'\-]+"
                    r"(?:\s+[A-Z][A-Z'\-]+)*)$")
_ROMAN = re.compile(r"^[IVX]+$")


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
                 gazetteer=None, document: str | None = None, title: str | None = None
                 ) -> str | None:
    """The state (ISO3) that the turn labelled ``who`` speaks for, in a transcript of
    ``speaker``'s (the document's state, or None when not known) whose text is ``document``
    and whose title is ``title`` (where a leader the gazetteer does not know is named beside
    their state; without the text, such a leader speaks for ``speaker``).

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
    >>> turn_speaker("PRESIDENT SANDU", "2021-12-01", "USA",
    ...              document="Blinken and Moldovan President Maia Sandu at a Joint Press")
    'MDA'
    >>> turn_speaker("PRIME MINISTER XU", "2021-12-01", "USA", document="") is None
    True
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
    leader = LEADER.match(who)
    if leader and document is not None:
        return named_state(leader.group("name"), f"{title}.\n{document}" if title else document,
                           on, gaz)
    return speaker


def named_state(name: str, document: str, on: dt.date | None = None, gazetteer=None
                ) -> str | None:
    """The state that ``document`` names beside the person ``name`` (their surname, in any
    case): "Moldovan President Maia Sandu", "Prime Minister Bennett of Israel". Each mention of
    the surname votes for the state of the official the gazetteer knows by the full name there
    ("Kamala Harris", while in office), else for the state that "of" or "from" joins right
    after it (a given name or two between), else for the one named just before it with only
    capitalised words between; the state with more than half of the votes; else, where the
    surname is named beside no state, the state of the officials in office the gazetteer knows
    by that surname, if they are of one; else None.

    Examples
    --------
    >>> named_state("RAU", "Secretary Blinken and Polish Foreign Minister Zbigniew Rau met.")
    'POL'
    >>> named_state("MODI", "President Biden and Prime Minister Narendra Modi of India")
    'IND'
    >>> named_state("SMITH", "Mr. Smith said so.") is None
    True
    >>> named_state("HARRIS", "Remarks by Vice President Kamala Harris", dt.date(2022, 5, 1))
    'USA'
    """
    from tracker.extract.actors import Gazetteer

    gaz = gazetteer or Gazetteer.default()
    words = [w for w in name.split() if not _ROMAN.match(w)]
    if not words or len(words[-1]) < 3:
        return None
    surname = words[-1].title()
    votes: dict[str, int] = {}
    for hit in re.finditer(rf"\b{re.escape(surname)}\b", document):
        before = re.split(r"[.\n:;!?]\s", document[max(0, hit.start() - 70):hit.start()])[-1]
        after = document[hit.end():hit.end() + 60]
        start = max(0, hit.start() - 40)
        person = [m for m in gaz.find_mentions(document[start:hit.end() + 30], on)
                  if m.kind == "official" and m.start <= hit.start() - start < m.end]
        joined = _OF.match(after)
        if person:
            states = [m.iso3 for m in person if m.iso3]
        elif joined:
            states = [m.iso3 for m in gaz.find_mentions(after[joined.end():], on)
                      if m.iso3 and m.start == 0]
        else:
            states = []
        if not states:
            # The last state before the name, with only capitalised words (a role, given
            # names) between: "Moldovan President Maia", not "Australia, and Vice President".
            states = [m.iso3 for m in gaz.find_mentions(before, on)[-1:]
                      if m.iso3 and m.kind in ("adjective", "name", "alias")
                      and _TITLED.match(before[m.end:])]
        for iso3 in states:
            votes[iso3] = votes.get(iso3, 0) + 1
    if not votes:
        # Named nowhere with a state: an official in office the gazetteer knows by this
        # surname ("Vice President Harris" is Kamala Harris), when only one state has one.
        votes = {t.iso3: 1 for full, terms in gaz.officials.items()
                 if full.split()[-1] == surname for t in terms if t.in_office(on)}
        if len(votes) != 1:
            return None
    best = max(votes, key=votes.get)
    return best if 2 * votes[best] > sum(votes.values()) else None


#: Between a state and a surname: capitalised words only ("President Maia ").
_TITLED = re.compile(r"(?:[ \t]+[A-Z][\w.'\-]*)*[ \t]+$")
#: After a surname: up to two more names, then "of" or "from" (and "the") before the state.
_OF = re.compile(r"(?:[ \t]+[A-Z][\w'\-]*){0,2}[ \t]*,?[ \t]+(?:of|from)[ \t]+(?:the[ \t]+)?")
