"""Words and numbers as the reports print them: escaping (HTML, Markdown), links, tones."""
from __future__ import annotations

import html
import math
import re

import numpy as np
import pandas as pd

# -- escaping ------------------------------------------------------------------------------------
def _h(value: object) -> str:
    """HTML-escape any value (``None``/NaN become an empty string)."""
    return html.escape(_text(value), quote=True)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


# CommonMark/GFM characters that can start markup; escaping them keeps text literal.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md_escape(value: object) -> str:
    """Escape text for a Markdown table cell or paragraph: markup characters and pipes are
    backslash-escaped and line breaks become spaces, so untrusted text stays text.

    >>> md_escape("a|b <script>")
    'a\\\\|b \\\\<script\\\\>'
    """
    text = " ".join(_text(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _safe_url(url: object) -> str | None:
    text = _text(url).strip()
    if re.match(r"^https?://[^\s<>\"']+$", text, flags=re.IGNORECASE):
        return text
    return None


def _md_url(url: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in "()<> |[]" else c for c in url)


# -- numbers and words -------------------------------------------------------------------------
def _fmt(value: float, signed: bool = False) -> str:
    if value is None or not np.isfinite(value):
        return "—"
    return f"{value:+.0f}" if signed else f"{value:.0f}"


def _day(value: object) -> str:
    """A date as ``YYYY-MM-DD`` (text that is not a date is shown as given)."""
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "strftime"):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    return _text(value)


def _count(n: object, noun: str) -> str:
    n = int(n)
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def _band(row: dict) -> str:
    return f"[{_fmt(row['lower'])}, {_fmt(row['upper'])}]"


def _tone_text(row: dict) -> str:
    """``+0.62 (cooperative 74%)``; ``-0.02 (mixed: hostile 38%, cooperative 36%)`` when the
    two likeliest labels are within 10 points, so the words never contradict the number."""
    shown = tone_words(row)
    return f"{float(row['tone']):+.2f}" + (f" ({shown[0]})" if shown else "")


def tone_words(row: dict) -> tuple[str, str] | None:
    """(words, css class) of a statement's tone (:func:`tracker.tone.model.describe`)."""
    from tracker.tone.model import describe

    conf = row.get("confidence")
    return describe(float(row["tone"]), _text(row.get("label")),
                    None if conf is None or conf != conf else float(conf))


