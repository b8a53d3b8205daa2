"""Phrase and clause helpers the rules use: names before a verb, determiners, prepositions,
quotations, coordination, clauses."""
from __future__ import annotations

import functools
import itertools
import re

from tracker.extract.lexicon import (ATTRIBUTION, CLAUSE_PUNCT, CLAUSE_WORD, PREPOSITION_BEFORE,
                                     SUBORDINATE_START, TRIGGER, _PREPOSITIONS)
from tracker.extract.context import _Actor


#: Lower-case stems one of which NONSTATE needs.
_NONSTATE_STEMS = ("analyst", "expert", "observer", "commentator", "scholar", "researcher",
                   "academic", "think", "activist", "critic", "ngo", "rights group", "witnesses",
                   "residents", "sources", "journalist", "reporter", "paper", "report", "poll",
                   "survey", "rebel", "militant", "guerrilla", "separatist", "insurgent",
                   "protester", "demonstrator")
#: Words one of which NONSTATE_SAYS needs (a C-level substring test before the regex).
_NONSTATE_KEYS = ("nalyst", "xpert", "bserver", "ommentator", "cholar", "esearcher", "ritic",
                  "iplomat", "ources")


def _name_before(s: str, v: int) -> tuple[str, int] | None:
    """The capitalised name (up to four words) that speaks with the verb at ``v``: right
    before it ("Bagci said") or before an apposition ("Ali Wyne, a senior adviser at ...,
    describes"); it must open the sentence or follow a comma or a quotation mark. Returns
    ``(name, start)`` or None."""
    end = v - 1
    while end > 0 and s[end - 1] == " ":
        end -= 1
    if end > 0 and s[end - 1] == ",":
        # An apposition: the name ends at the comma that opens it.
        opening = s.rfind(",", max(0, end - 122), end - 1)
        if opening < 0 or '"' in s[opening:end]:
            return None
        end = opening
    words = s[max(0, end - 80):end].split(" ")
    start, taken = end, 0
    for w in reversed(words):
        if taken == 4 or not w or not w[0].isupper() or not w[0].isalpha():
            break
        start -= len(w) + (1 if taken else 0)
        taken += 1
    if not taken:
        return None
    before = s[:start].rstrip()
    if before and before[-1] not in ',"”':
        return None
    return s[start:end], start


def _whole_words(s: str, word: str) -> list[tuple[int, int]]:
    """Spans of ``word`` in ``s`` as a whole word: no letter, digit, underscore or hyphen on
    either side. (A substring search: cheaper than a regex opening with a look-behind,
    which the regex engine tries at every position.)"""
    out: list[tuple[int, int]] = []
    n = len(word)
    i = s.find(word) if n else -1
    while i >= 0:
        j = i + n
        if not (i and (s[i - 1].isalnum() or s[i - 1] in "_-")) and not (
                j < len(s) and (s[j].isalnum() or s[j] in "_-")):
            out.append((i, j))
            i = s.find(word, j)
        else:
            i = s.find(word, i + 1)
    return out


def _may_hold(text: str, keys) -> bool:
    """Whether ``text`` holds one of ``keys``: a necessary condition checked before a regex
    that needs one of them (substring search is far cheaper than a regex scan)."""
    for k in keys:
        if k in text:
            return True
    return False


#: Countries whose officials' names are written family name first in English news ("Kim Jong
#: Un" is "Kim" on second mention, "Xi Jinping" is "Xi").
FAMILY_NAME_FIRST = {"CHN", "PRK", "KOR", "TWN", "HKG", "MAC"}


@functools.lru_cache(maxsize=4096)
def _family_name(name: str, iso3: str) -> str:
    """The part of a person's name used on second mention."""
    parts = name.split()
    return parts[0] if iso3 in FAMILY_NAME_FIRST and len(parts) > 1 else parts[-1]


_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "my", "your", "this",
                "these", "those", "whose", "any", "some", "no", "every", "each", "such"}


def _after_determiner(s: str, i: int) -> bool:
    """Whether the word at ``i`` follows a determiner or a possessive, as a noun does ("the
    attack", "Washington's support")."""
    j = i
    while j > 0 and s[j - 1] == " ":
        j -= 1
    if j == i:
        return False
    if s.endswith(("'s", "\u2019s", "s'"), 0, j):
        return True
    return _last_word(s, i) in _DETERMINERS


def _last_word(s: str, i: int) -> str:
    """The lower-cased word before position ``i`` (a cheap test before an anchored regex)."""
    j = i
    while j > 0 and s[j - 1].isspace():
        j -= 1
    k = j
    while k > 0 and s[k - 1].isalpha():
        k -= 1
    return s[k:j].lower()


# The last word before a mention that TOPIC_BEFORE or PREPOSITION_BEFORE can end with.
_TOPIC_LAST = {"in", "of", "on", "over", "with", "at", "near", "across", "inside", "outside",
               "throughout", "the", "capital", "regarding", "concerning", "from"}


def _after_preposition(s: str, i: int) -> bool:
    """Whether the mention at ``i`` is a preposition's object ("ambassador to Kenya")."""
    word = _last_word(s, i)
    return (word == "the" or word in _PREPOSITIONS) and bool(
        PREPOSITION_BEFORE.search(s[max(0, i - 12):i]))


@functools.lru_cache(maxsize=16)
def _quote_spans(s: str) -> list[tuple[int, int]]:
    """Spans between pairs of straight double quotes (ingest normalises curly ones)."""
    marks, i = [], s.find('"')
    while i >= 0:
        marks.append(i)
        i = s.find('"', i + 1)
    return [(marks[i], marks[i + 1]) for i in range(0, len(marks) - 1, 2)]


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a < pos < b for a, b in spans)


_TO_WORD = re.compile(r"\bto\s")
_JOINED = re.compile(r"\s*(?:,|,?\s*and|,?\s*as well as|,?\s*along with|,?\s*together with)\s*")


def _coordinated(s: str, first: _Actor, actors: list[_Actor]) -> list[_Actor]:
    """``first`` and the actors joined to it by "and" or commas ("South Korea and Washington")."""
    group = [first]
    for a in actors:
        if a.start < group[-1].end:
            if first.resolved == "pair" and a.resolved == "pair" and a is not first \
                    and a.start == first.start:
                group.append(a)  # "The two allies warned ...": both countries speak
            continue
        if _JOINED.fullmatch(s, group[-1].end, a.start) and (a.is_actor or a.person):
            group.append(a)
        elif a.start > group[-1].end:
            break
    return group


def _implicit_speaker(iso3: str, at: int) -> _Actor:
    """The speaking state of a speech, named nowhere in the clause at ``at`` (no span)."""
    return _Actor(at, at, iso3, "", True, resolved="speaker-implicit")


def _rank(rule: str) -> int:
    """Order of preference when one dyad is found by several rules in one sentence."""
    order = ("speech", "action", "passive", "nominal", "according", "relation")
    head = rule.split(":")[0]
    return order.index(head) if head in order else len(order)


def _gender(title: str) -> str | None:
    return {"Ms": "f", "Mrs": "f", "Mr": "m"}.get(title)


def _skip_space(s: str, i: int) -> int:
    while i < len(s) and s[i] == " ":
        i += 1
    return i


def _np_start(s: str, i: int) -> int:
    """Start of the noun phrase ending at ``i`` ("growing military cooperation")."""
    m = re.search(r"(?:\b(?:of|the|a|an|and|to|after|with|for|amid|,)\s+)([\w\s-]*)$", s[:i])
    return m.start(1) if m else i


def _phrase_end(s: str, i: int) -> int:
    m = re.match(r"[^,;]*", s[i:])
    return i + (m.end() if m else 0)


# A tail that reports content ("..., said in October that the deal ...", "..., Rubio said
# Washington backed Bosnia") is no attribution: it has "that", a quote, or a second verb.
_REPORTED = re.compile(r"\bthat\b|\"")


def _reports_content(s: str, start: int) -> bool:
    if _REPORTED.search(s, start):
        return True
    return len(list(itertools.islice(TRIGGER.finditer(s, start), 2))) > 1


def _clauses(s: str):
    """Cut a sentence into clauses: a list of ((start, end), kind)."""
    # Leading adjunct and trailing attribution.
    c0, c1 = 0, len(s)
    out = []
    m = SUBORDINATE_START.match(s)
    if m and m.end() < len(s):
        out.append(((0, m.end()), "adjunct"))
        c0 = m.end()
    # ATTRIBUTION can only start at the last comma (nothing after it may hold another).
    last_comma = s.rfind(",", c0)
    tail = ATTRIBUTION.match(s, last_comma) if last_comma >= 0 else None
    if tail and tail.start() > c0 and not _reports_content(s, tail.start()):
        out.append(((tail.start(), len(s)), "attribution"))
        c1 = tail.start()
    cuts = [c0]
    kinds = ["main"]
    starts = [b.end() for b in CLAUSE_PUNCT.finditer(s, c0, c1)]
    if _may_hold(s, ("while", "whereas", "after")):
        starts = sorted(set(starts).union(
            w.start() for w in CLAUSE_WORD.finditer(s, c0, c1)
            if w.start() > c0 and s[w.start() - 1].isspace()))
    for k, start in enumerate(starts):
        nxt = s[start:start + 10].split(" ")[0].lower()
        cuts.append(start)
        kinds.append({"which": "which", "who": "who", "whom": "which", "after": "after"}
                     .get(nxt, "continued"))
        if kinds[-1] in ("which", "who"):
            # "China, which has been North Korea's closest ally, expressed concern": a verb
            # after the comma that closes the relative clause goes on with the main subject.
            end = starts[k + 1] if k + 1 < len(starts) else c1
            close = s.find(",", start, end)
            if close > 0 and TRIGGER.match(s, _skip_space(s, close + 1), end):
                cuts.append(close + 1)
                kinds.append("continued")
    cuts.append(c1)
    for i, kind in enumerate(kinds):
        a, b = cuts[i], cuts[i + 1]
        # Trim the separator at the end of a clause.
        while b > a and s[b - 1] in " ,;":
            b -= 1
        out.append(((a, b), kind))
    return out
