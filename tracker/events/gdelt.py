"""GDELT 2.0 event exports -> directed state-to-state events.

Takes a GDELT 2.0 export file (61 tab-separated columns, no header; plain, ``.gz`` or the
``.export.CSV.zip`` GDELT distributes); gives an :class:`~tracker.events.EventFile` with one
:class:`~tracker.events.Event` per row whose two actors have different state country codes.
The Goldstein weight comes from the packaged CAMEO table (it equals the file's GoldsteinScale
column, which is a property of the code), ``published`` is SQLDATE and ``url`` is SOURCEURL.
"""
from __future__ import annotations

from pathlib import Path

from tracker.events.codes import cameo_codes
from tracker.events.countries import cameo_state
from tracker.events.inputs import Malformed, format_fix, open_lines, parse_date
from tracker.events.records import EventFile, cameo_event

#: The 61 columns of a GDELT 2.0 export, in order (GDELT 2.0 Event Codebook).
COLUMNS = (
    "GLOBALEVENTID SQLDATE MonthYear Year FractionDate "
    "Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode Actor1EthnicCode "
    "Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code "
    "Actor2Code Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode "
    "Actor2Religion1Code Actor2Religion2Code Actor2Type1Code Actor2Type2Code Actor2Type3Code "
    "IsRootEvent EventCode EventBaseCode EventRootCode QuadClass GoldsteinScale NumMentions "
    "NumSources NumArticles AvgTone "
    "Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode Actor1Geo_ADM1Code Actor1Geo_ADM2Code "
    "Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID "
    "Actor2Geo_Type Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code "
    "Actor2Geo_Lat Actor2Geo_Long Actor2Geo_FeatureID "
    "ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code "
    "ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL").split()
COL = {name: i for i, name in enumerate(COLUMNS)}


def actor_states(fields: list[str]) -> tuple[tuple[str | None, str | None], ...]:
    """``((source, reason), (target, reason))`` of an export row (see ``cameo_state``)."""
    return (cameo_state(fields[COL["Actor1CountryCode"]], "source"),
            cameo_state(fields[COL["Actor2CountryCode"]], "target"))


def read_gdelt(path: str | Path, looks: str | None = None) -> EventFile:
    """Read a GDELT 2.0 export file.

    Parameters
    ----------
    path : the export file (plain, ``.gz`` or ``.zip`` holding one file).
    looks : the format the file's head looks like, to name the fix if it is not an export.

    Returns
    -------
    EventFile with format ``"gdelt"``.

    Examples
    --------
    >>> read_gdelt("20150218230000.export.CSV.zip").events[0].code  # doctest: +SKIP
    '190'
    """
    out = EventFile(path=Path(path), format="gdelt")
    bad = Malformed(path, format_fix(looks, "a GDELT 2.0 export"))
    codes, seen = cameo_codes(), set()
    with open_lines(path) as lines:
        for number, line in lines:
            if not line.strip():
                continue
            out.add(*_row(line, number, path, codes, seen, bad))
            bad.check(out.rows)
    bad.check(out.rows, final=True)
    return out


def _row(line: str, number: int, path, codes, seen: set[str], bad: Malformed):
    fields = line.split("\t")
    if len(fields) != len(COLUMNS):
        bad.note(number, f"has {len(fields)} fields, a GDELT 2.0 export has {len(COLUMNS)}")
        return [], "wrong number of fields"
    published = parse_date(fields[COL["SQLDATE"]])
    if published is None:
        bad.note(number, f"SQLDATE {fields[COL['SQLDATE']]!r} is not a date YYYYMMDD")
        return [], "bad date"
    return cameo_event("gdelt", fields[COL["GLOBALEVENTID"]], published, actor_states(fields),
                       fields[COL["EventCode"]],
                       (fields[COL["Actor1Name"]], fields[COL["Actor2Name"]]),
                       fields[COL["SOURCEURL"]].strip() or None, f"{path}:{number}", codes,
                       seen)
