"""PETRARCH / TABARI actor dictionaries ("NAME [CODE]", "+SYNONYM", "[CODE <yymmdd]" limits) read
as gazetteer rows, so that a user can pass one as an extra actor file."""
from __future__ import annotations

import collections
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from tracker.errors import TrackerError


_CODE = re.compile(r"\[\s*([^\]\s<>]+)\s*(?:([<>])\s*(\d+)|(\d+)\s*-\s*(\d+))?\s*\]")
SMALL_WORDS = {"of", "the", "and", "de", "la"}


@dataclass
class DictEntry:
    names: list[str]
    codes: list[tuple[str, dt.date | None, dt.date | None]] = field(default_factory=list)


def _petr_date(s: str) -> dt.date:
    if len(s) == 6:  # yymmdd
        yy = int(s[:2])
        s = f"{1900 + yy if yy > 30 else 2000 + yy}{s[2:]}"
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:8]))


def parse_petr_actors(text: str) -> list[DictEntry]:
    """Entries of a PETRARCH actor dictionary: names (first = the entry, then ``+`` synonyms)
    and codes with date restrictions (``[HOB <950601]``, ``[HOBGOV 19950601-19990815]``)."""
    text = re.sub(r"<!.*?>", "", text, flags=re.S)
    entries: list[DictEntry] = []
    cur: DictEntry | None = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        head = line.strip()
        if head.startswith("+") and cur is not None:
            cur.names.append(head[1:].strip())
            continue
        name = head.split("[", 1)[0].strip()
        if name and not raw[:1].isspace():
            cur = DictEntry([name])
            entries.append(cur)
        if cur is None:
            continue
        for m in _CODE.finditer(line):
            code, op, d1, a, b = m.groups()
            start = end = None
            if op == "<":
                end = _petr_date(d1) - dt.timedelta(days=1)
            elif op == ">":
                start = _petr_date(d1)
            elif a:
                start, end = _petr_date(a), _petr_date(b)
            cur.codes.append((code, start, end))
    return [e for e in entries if e.codes]


def petr_surface_forms(name: str) -> list[str]:
    """``MINAS_TIRITH`` -> ``Minas Tirith``; short codes and dotted forms are also kept upper."""
    plain = " ".join(name.replace("_", " ").split())
    words = plain.split(" ")
    titled = " ".join(w if "." in w else (w.lower() if i and w.lower() in SMALL_WORDS
                                           else w[:1] + w[1:].lower())
                      for i, w in enumerate(words))
    forms = [titled]
    if titled.startswith("The "):
        forms.append("the " + titled[4:])
    if len(words) == 1 and (len(plain) <= 5 or "." in plain):
        forms.append(plain)
    return list(dict.fromkeys(f for f in forms if f))


def country3(code: str) -> str | None:
    """First 3 letters of an actor code if they are letters (``GONGOV`` -> ``GON``)."""
    c = code.strip().strip("'\"").upper()
    return c[:3] if re.fullmatch(r"[A-Z]{3}", c[:3]) else None


_ADJ = re.compile(r"(?:an|ian|ese|ish|i|ans|ians)$")


def petr_tables(entries: list[DictEntry]) -> tuple[list[dict], list[dict], dict[str, int]]:
    """Rows for a countries TSV and an officials TSV, and counts of what was skipped.

    Undated entries become country forms of their code's first 3 letters (the entry with the bare
    3-letter code gives the name; synonyms that look like demonyms of another form become
    adjectives; entries with a longer code such as ``WASHINGTON [USAGOV]`` become metonyms).
    Entries with date restrictions become officials, one row per dated code, the undated default
    last. Compound codes (``FRO/BIL/SAM``) keep their first code only.
    """
    skipped = collections.Counter()
    forms: dict[str, dict[str, list[str]]] = {}
    officials: list[dict] = []
    used: set[str] = set()

    def bucket(iso3):
        return forms.setdefault(iso3, {"name": [], "aliases": [], "adjectives": [],
                                       "metonyms": []})

    for e in entries:
        codes = []
        for code, start, end in e.codes:
            if "/" in code:
                skipped["compound code (first kept)"] += 1
                code = code.split("/")[0]
            c3 = country3(code)
            if c3 is None:
                skipped["code not 3 letters"] += 1
                continue
            codes.append((code.upper(), c3, start, end))
        if not codes:
            continue
        names = [f for n in e.names for f in petr_surface_forms(n)]
        names = [n for n in dict.fromkeys(names) if n not in used]
        if not names:
            continue
        dated = [c for c in codes if c[2] or c[3]]
        if dated:
            rows = dated + [c for c in codes if not (c[2] or c[3])]
            for _, c3, start, end in rows:
                officials.append({"name": names[0], "aliases": "|".join(names[1:]), "iso3": c3,
                                  "role": "leader", "start": start.isoformat() if start else "",
                                  "end": end.isoformat() if end else "", "gender": ""})
                bucket(c3)
            used.update(names)
            continue
        code, c3, _, _ = codes[0]
        b = bucket(c3)
        for n in names:
            stem_of_other = any(o != n and len(o) < len(n) and o[:4].lower() == n[:4].lower()
                                for o in b["name"] + b["aliases"] + names)
            if len(code) > 3:
                b["metonyms"].append(n)
            elif _ADJ.search(n) and stem_of_other:
                b["adjectives"].append(n)
            elif not b["name"]:
                b["name"].append(n)
            else:
                b["aliases"].append(n)
        used.update(names)
    countries = []
    for iso3, b in sorted(forms.items()):
        countries.append({"iso3": iso3, "iso2": "", "name": (b["name"] or [""])[0],
                          "official_name": "", "aliases": "|".join(b["aliases"]),
                          "adjectives": "|".join(b["adjectives"]), "capital": "",
                          "metonyms": "|".join(b["metonyms"])})
    return countries, officials, dict(skipped)

def petrarch_rows(path: Path) -> tuple[list[dict], list[dict]]:
    """Country rows and officials rows (the TSV columns) from a PETRARCH actor dictionary."""
    try:
        text = Path(path).read_text("utf-8", errors="replace")
    except OSError as exc:
        raise TrackerError(f"{path}: cannot read actor dictionary ({exc.strerror}); check the "
                           "path.") from exc
    countries, officials, _ = petr_tables(parse_petr_actors(text))
    return countries, officials


