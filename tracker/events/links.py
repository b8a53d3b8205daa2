"""GDELT files as a source of article URLs: :func:`gdelt_links`.

Takes a GDELT 2.0 export (61 columns), mentions (16) or GKG 2.1 (27) file, as a path or as the
raw bytes of the file as downloaded (plain, ``.gz`` or ``.zip``); gives one
:class:`~tracker.events.GdeltLink` per distinct web URL, in the order of first occurrence, with
its date, the ISO3 states it involves and (GKG) its themes:

- export: SOURCEURL, the date GDELT added it (DATEADDED: when the article was seen; SQLDATE is
  the date of the event it reports, sometimes years earlier), the actors' countries;
- mentions: MentionIdentifier of web mentions (MentionType 1), MentionTimeDate; no countries;
- GKG: DocumentIdentifier of web documents (SourceCollectionIdentifier 1), DATE, the states of
  the FIPS 10-4 country codes in V2EnhancedLocations (else V1Locations) and V1Counts, and the
  themes of V2EnhancedThemes (else V1Themes).

A URL seen in several rows keeps its first date and gathers the states of all its rows.
"""
from __future__ import annotations

from pathlib import Path

from tracker.errors import TrackerError, bad_input, invalid_choice
from tracker.events.countries import cameo_state, fips_state
from tracker.events.gdelt import COL
from tracker.events.inputs import GDELT_FIELDS, Malformed, gdelt_kind, open_lines, parse_date, peek
from tracker.events.records import GdeltLink

KINDS = tuple(GDELT_FIELDS)
# Columns of the mentions and GKG 2.1 tables (GDELT codebooks).
MENTION_TIME, MENTION_TYPE, MENTION_ID = 2, 3, 5
GKG_DATE, GKG_COLLECTION, GKG_URL = 1, 2, 4
GKG_COUNTS, GKG_THEMES, GKG_THEMES2, GKG_LOCATIONS, GKG_LOCATIONS2 = 5, 7, 8, 9, 10
WEB = "1"


def _export(fields: list[str]) -> tuple[str, str | None, list[str], list[str]]:
    states = [cameo_state(fields[COL[c]], "actor")[0]
              for c in ("Actor1CountryCode", "Actor2CountryCode")]
    return (fields[COL["SOURCEURL"]], parse_date(fields[COL["DATEADDED"]]),
            [s for s in states if s], [])


def _mention(fields: list[str]) -> tuple[str, str | None, list[str], list[str]]:
    url = fields[MENTION_ID] if fields[MENTION_TYPE].strip() == WEB else ""
    return url, parse_date(fields[MENTION_TIME]), [], []


def _blocks(field: str) -> list[list[str]]:
    return [block.split("#") for block in field.split(";") if block]


def _gkg(fields: list[str]) -> tuple[str, str | None, list[str], list[str]]:
    url = fields[GKG_URL] if fields[GKG_COLLECTION].strip() == WEB else ""
    locations = _blocks(fields[GKG_LOCATIONS2]) or _blocks(fields[GKG_LOCATIONS])
    codes = [b[2] for b in locations if len(b) > 2]
    codes += [b[5] for b in _blocks(fields[GKG_COUNTS]) if len(b) > 5]
    states = [s for s in map(fips_state, codes) if s]
    themes = [t.split(",")[0] for t in fields[GKG_THEMES2].split(";") if t]
    themes = themes or [t for t in fields[GKG_THEMES].split(";") if t]
    return url, parse_date(fields[GKG_DATE]), states, themes


ROWS = {"export": _export, "mentions": _mention, "gkg": _gkg}


def _day(name: str, value: str | None) -> str | None:
    if value is not None and (len(value) != 10 or parse_date(value) != value):
        raise TrackerError(f"{name} {value!r} is invalid; use a date YYYY-MM-DD.")
    return value


def gdelt_links(source: str | Path | bytes, kind: str | None = None,
                countries: set[str] | None = None, start: str | None = None,
                end: str | None = None, themes: set[str] | None = None,
                name: str = "gdelt") -> list[GdeltLink]:
    """Article URLs of a GDELT export, mentions or GKG file, filtered.

    Parameters
    ----------
    source : a path, or the raw bytes of a file as downloaded (plain, ``.gz`` or ``.zip``).
    kind : ``"export"``, ``"mentions"`` or ``"gkg"``; None recognises it by the number of
        columns (61, 16, 27).
    countries : ISO3 codes; a link passes when it involves any of them. Mentions files name
        no countries, so this is refused for them.
    start, end : ``YYYY-MM-DD``, inclusive bounds on the link's date.
    themes : GKG theme prefixes (``"TAX_FNCACT"`` matches ``"TAX_FNCACT_PRESIDENT"``); a link
        passes when it has a theme starting with any of them. GKG files only.
    name : names a ``bytes`` source in error messages.

    Returns
    -------
    list of GdeltLink, one per distinct URL, in the order of first occurrence.

    Examples
    --------
    >>> links = gdelt_links("20150218230000.export.CSV.zip", countries={"UKR"})  # doctest: +SKIP
    >>> links[0].countries  # doctest: +SKIP
    ('RUS', 'UKR')
    """
    where = name if isinstance(source, bytes) else str(source)
    if kind is not None and kind not in KINDS:
        raise invalid_choice("kind", kind, KINDS)
    start, end = _day("start", start), _day("end", end)
    kind = kind or gdelt_kind(peek(source, name))
    if kind is None:
        raise bad_input(where, 1, "not a GDELT 2.0 export, mentions or GKG file (those have 61, "
                        "16 and 27 tab-separated columns)", "pass a GDELT file as downloaded")
    if countries and kind == "mentions":
        raise bad_input(where, None, "a mentions file names no countries",
                        "filter by country on the export file of the same update")
    if themes and kind != "gkg":
        raise bad_input(where, None, f"an {kind} file has no themes", "filter themes on a GKG file")
    width, row = GDELT_FIELDS[kind], ROWS[kind]
    bad = Malformed(where, f"pass a GDELT {kind} file, or the right kind")
    found: dict[str, tuple[str, list[str], list[str]]] = {}
    rows = 0
    with open_lines(source, name) as lines:
        for number, line in lines:
            if not line.strip():
                continue
            rows += 1
            fields = line.split("\t")
            if len(fields) != width:
                bad.note(number, f"has {len(fields)} fields, a GDELT {kind} file has {width}")
            else:
                url, published, states, row_themes = row(fields)
                url = url.strip()
                if published and url.startswith(("http://", "https://")):
                    if url in found:
                        found[url][1].extend(s for s in states if s not in found[url][1])
                    else:
                        found[url] = (published, list(dict.fromkeys(states)),
                                      list(dict.fromkeys(row_themes)))
            bad.check(rows)
    bad.check(rows, final=True)
    links = [GdeltLink(url, published, tuple(states), tuple(row_themes))
             for url, (published, states, row_themes) in found.items()]
    return [link for link in links
            if (not countries or set(link.countries) & set(countries))
            and (start is None or link.published >= start)
            and (end is None or link.published <= end)
            and (not themes or any(t.startswith(tuple(themes)) for t in link.themes))]
