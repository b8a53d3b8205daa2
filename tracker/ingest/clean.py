"""Cleaning: page furniture removed, quotes and spaces normalised, paragraphs kept apart.

The cleaned text is what the store keeps and what every later stage indexes into, so all cleaning
happens here and nowhere else.
"""
from __future__ import annotations

import hashlib
import re

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc\u2039\u203a`\u00b4"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u300c\u300d"
_QUOTE_TABLE = str.maketrans({**{c: "'" for c in _SINGLE_QUOTES}, **{c: '"' for c in _DOUBLE_QUOTES}})
# Non-breaking and other odd spaces (French typography puts them inside guillemets).
_SPACE_TABLE = str.maketrans({c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                              "\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"})
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_quotes(text: str) -> str:
    """Map curly quotes, guillemets and primes to ASCII ``'`` and ``"``.

    Examples
    --------
    >>> normalise_quotes("Seoul\u2019s \u201cmain enemy\u201d \u00ab here \u00bb")
    'Seoul\\'s "main enemy" " here "'
    """
    return text.translate(_QUOTE_TABLE)


def fix_quote_spacing(paragraph: str) -> str:
    """Tidy the spaces inside double quotes in one paragraph.

    Quotes pair up in order (first opens, second closes, ...). Spaces are only removed, never
    added, and only where the quote's other side fits its role (an opening quote after a space,
    a closing one before a space or punctuation). With an odd count, a last quote followed by
    punctuation or the paragraph's end counts as closing; otherwise it is left alone. A single
    quote at the very start or end of a paragraph is dropped as a layout leftover.

    Examples
    --------
    >>> fix_quote_spacing('urged Russia to have " responsible actions ", it said')
    'urged Russia to have "responsible actions", it said'
    """
    positions = [m.start() for m in re.finditer('"', paragraph)]
    if not positions:
        return paragraph
    if len(positions) == 1 and positions[0] in (0, len(paragraph) - 1):
        # a lone quote at the edge of a paragraph quotes nothing: a leftover of the page layout
        return paragraph.replace('"', "").strip()
    roles = ["open" if i % 2 == 0 else "close" for i in range(len(positions))]
    if len(positions) % 2:
        last = positions[-1]
        rest = paragraph[last + 1:].strip()
        roles[-1] = "close" if rest == "" or rest[0] in ".,;:!?)" else "keep"
    drop: list[tuple[int, int]] = []  # runs of spaces to delete, in order
    for pos, role in zip(positions, roles):
        prev = paragraph[pos - 1] if pos > 0 else " "
        nxt = paragraph[pos + 1] if pos + 1 < len(paragraph) else " "
        # Only ever delete spaces, and only where the quote's other side agrees with its role,
        # so a wrongly paired quote cannot glue it to a neighbouring word.
        if role == "open" and (prev.isspace() or prev in "([") and nxt == " ":
            end = pos + 1
            while end < len(paragraph) and paragraph[end] == " ":
                end += 1
            drop.append((pos + 1, end))
        elif role == "close" and (nxt.isspace() or nxt in ".,;:!?)]") and prev == " ":
            start = pos
            while start > 0 and paragraph[start - 1] == " ":
                start -= 1
            drop.append((start, pos))
    pieces, cursor = [], 0
    for start, end in drop:
        pieces.append(paragraph[cursor:start])
        cursor = end
    pieces.append(paragraph[cursor:])
    return "".join(pieces)


_FURNITURE = [
    # reading time: "2 mins", "3 min read", "Reading time: 4 minutes"
    re.compile(r"(?:(?:estimated\s+)?read(?:ing)?\s+time\s*:?\s*)?\d+\s*(?:-\s*\d+\s*)?"
               r"(?:mins?|minutes?)\.?(?:\s+(?:read|reading|listen))?", re.I),
    re.compile(r"read(?:ing)?\s+time\s*:?.{0,20}", re.I),
    # cross links, often glued to the linked headline: "Read alsoNorth Korea launches ..."
    re.compile(r"(?:read|see)\s*(?:also|more)(?:\b|(?=[A-Z])).*|also\s+read\b.*"
               r"|related\s*(?::|articles?\b|stories\b|coverage\b).*|more\s+on\s+this\s+(?:story|topic)\b.*",
               re.I),
    # a wire credit or photo credit alone on a line: "(With AFP)", "(Reuters)", "(Photo: AP)"
    re.compile(r"\([^()\n]{1,100}\)\.?"),
    re.compile(r"(?:skip\s+)?advertisement|sponsored(?:\s+content)?|ad", re.I),
    re.compile(r"(?:(?:share|follow)(?:\s+(?:on|us\s+on))?\s*:?\s*)?"
               r"(?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit|email)"
               r"(?:\s*[|,/\u00b7\u2022]?\s*(?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit|email))*", re.I),
]
# These also start real sentences ("Share prices fell."), so they count only on short lines
# without a full stop.
_SHORT_FURNITURE = [
    re.compile(r"(?:share|subscribe|sign\s+up|follow\s+us|click\s+here|print|copy\s+link|tweet)\b.*", re.I),
    re.compile(r".*\bnewsletters?\b.*", re.I),
]


def is_furniture(line: str) -> bool:
    """Whether a whole line is page furniture rather than article text.

    Furniture is reading-time lines, "Read also/Read more/See also/Related" links, a wire or
    photo credit alone in parentheses, "Advertisement", and short share/subscribe/newsletter
    lines. Sentences that merely start with "Share" (``"Share prices fell."``) are kept, since
    furniture lines are short and have no full stop.

    Examples
    --------
    >>> [is_furniture(s) for s in ["2 mins", "(With AFP)", "Read alsoNorth Korea fires", "Seoul said no."]]
    [True, True, True, False]
    """
    line = line.strip()
    if not line or len(line) > 200:
        return False
    if any(pattern.fullmatch(line) for pattern in _FURNITURE):
        return True
    short = len(line.split()) <= 10 and not line.endswith(".")
    return short and any(pattern.fullmatch(line) for pattern in _SHORT_FURNITURE)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def looks_like_headline(line: str) -> bool:
    """Whether a line reads as a headline: short, with no final full stop.

    Examples
    --------
    >>> looks_like_headline("Russian diplomacy visits South Korea"), looks_like_headline("He left.")
    (True, False)
    """
    line = line.strip()
    return (
        0 < len(line) <= 200 and len(line.split()) <= 30 and not line.endswith((".", ",", ";", ":"))
        and any(c.isalpha() for c in line)
    )


def drop_repeated_headline(paragraphs: list[str]) -> list[str]:
    """Drop a headline that repeats the one before it, in full or as a truncated copy.

    Words are compared without punctuation and case, since the copy often loses a comma.

    Examples
    --------
    >>> drop_repeated_headline(["A, B visits C", "A B visits", "Body."])
    ['A, B visits C', 'Body.']
    """
    out: list[str] = []
    for para in paragraphs:
        if out and looks_like_headline(para) and looks_like_headline(out[-1]):
            new, old = _words(para), _words(out[-1])
            if new and new == old[: len(new)]:
                continue
            if old and len(old) < len(new) and new[: len(old)] == old:
                out[-1] = para  # the first was the truncated copy: keep the full one
                continue
        out.append(para)
    return out


def _tidy_spaces(paragraph: str) -> str:
    paragraph = re.sub(r" {2,}", " ", paragraph).strip()
    # 'affairs , indicated' -> 'affairs, indicated'; only before a space or the end, so
    # decimals (' .5') and ellipses are left alone
    return re.sub(r"(?<=[\w\"')\]]) +([,;:!?.])(?=\s|$)", r"\1", paragraph)


def clean_text(text: str) -> str:
    """Clean raw article text into the form stored and indexed downstream.

    Steps: unify line ends and odd spaces, drop invisible characters, normalise quotes
    (:func:`normalise_quotes`), drop furniture lines (:func:`is_furniture`), join lines into
    paragraphs (blank lines separate paragraphs; a text without blank lines has one paragraph
    per line), drop a repeated headline (:func:`drop_repeated_headline`), tidy spaces and
    quote spacing (:func:`fix_quote_spacing`). Paragraphs are joined with ``"\\n\\n"``.

    Examples
    --------
    >>> clean_text("Title\\n\\n2 mins\\n\\nSeoul\u2019s  view , it said.\\n\\n(With AFP)")
    "Title\\n\\nSeoul's view, it said."
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACE_TABLE)
    text = normalise_quotes(_INVISIBLE.sub("", text))
    lines = [line.strip() for line in text.strip().split("\n")]
    # Blank lines mark paragraphs when the text has any; otherwise each line is one.
    has_blank = "" in lines
    # Dropped rather than blanked, so an ad line inside a wrapped paragraph does not split it.
    lines = [line for line in lines if not is_furniture(line)]
    paragraphs: list[str] = []
    if has_blank:
        block: list[str] = []
        for line in [*lines, ""]:
            if line:
                block.append(line)
            elif block:
                paragraphs.append(" ".join(block))
                block = []
    else:
        paragraphs = [line for line in lines if line]
    paragraphs = [fix_quote_spacing(_tidy_spaces(p)) for p in paragraphs]
    paragraphs = drop_repeated_headline([p for p in paragraphs if p])
    return "\n\n".join(paragraphs)


def content_id(text: str) -> str:
    """First 16 hex characters of the sha256 of ``text`` (UTF-8).

    Examples
    --------
    >>> content_id("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
