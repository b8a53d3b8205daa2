"""Sentences: an article's text cut into sentences, as offsets into it."""
from __future__ import annotations

import re

from tracker.extract.lexicon import ABBREVIATIONS


# A boundary opens with one character class, its punctuation or newline, so that the regex
# engine skips ahead to those characters; the look-behinds then tell which it was. (A flat
# alternation "[.!?]...|\n..." gives the engine no first characters: it tries every position.)
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|(?<=\n)\s*\n|"
                       r"(?<=\n)(?=\S))")


_INITIAL = re.compile(r"[A-Z]")
_LONG_WORD = max(map(len, ABBREVIATIONS)) + 2  # (the letters before the full stop, plus it)
_WORD_OR_DOT = re.compile(r"[\w.]*")

#: A "sentence" longer than this (a text without full stops, a table flattened to one line) is
#: cut into pieces of at most this many characters, at a semicolon, comma or space where one
#: lies in the last fifth, so the cost of reading a text grows linearly with its length.
MAX_SENTENCE_CHARS = 2000
_SOFT_BREAK = re.compile(r"[;,]\s|\s")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return ``(start, end)`` offsets, whitespace trimmed.

    Examples
    --------
    >>> t = "Ms. Zakharova spoke. The U.S. replied.\\n\\nA headline"
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Ms. Zakharova spoke.', 'The U.S. replied.', 'A headline']
    """
    spans = []
    start = 0
    backwards = None
    n = len(text)
    for m in _BOUNDARY.finditer(text):
        cut = m.start() + (text[m.start()] in ".!?")
        if "\n" not in text[cut:m.end()] and not (
                cut - _LONG_WORD > start and text[cut - _LONG_WORD:cut - 1].isalpha()):
            # The word before the full stop ("U.S" of "U.S."; a word longer than every
            # abbreviation needs no look): a regex match on the reversed text reads it
            # backwards from the cut at C speed.
            if backwards is None:
                backwards = text[::-1]
            run = _WORD_OR_DOT.match(backwards, n - cut + 1, n - start)
            last = text[cut - 1 - (run.end() - run.start()):cut - 1]
            if last and (last.lower().rstrip(".") in ABBREVIATIONS or _INITIAL.fullmatch(last)):
                continue
        spans.append((start, cut))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.extend(_pieces(text, a, b))
    return out


def _pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """``[a, b)`` cut into pieces of at most :data:`MAX_SENTENCE_CHARS` (see there)."""
    out = []
    while b - a > MAX_SENTENCE_CHARS:
        limit = a + MAX_SENTENCE_CHARS
        window = text[limit - MAX_SENTENCE_CHARS // 5:limit]
        breaks = [m for m in _SOFT_BREAK.finditer(window) if m.group(0)[0] in ";,"] or \
            list(_SOFT_BREAK.finditer(window))
        cut = limit - MAX_SENTENCE_CHARS // 5 + breaks[-1].start() + 1 if breaks else limit
        out.append((a, cut))
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        out.append((a, b))
    return out
