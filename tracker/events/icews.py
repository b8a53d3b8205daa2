"""ICEWS coded event files -> directed state-to-state events.

Takes an ICEWS events file (tab-separated with a header: ``Event ID``, ``Event Date``,
``Source Name``, ``Source Country``, ``CAMEO Code``, ``Target Name``, ``Target Country``, ...;
plain, ``.gz`` or ``.zip``); gives an :class:`~tracker.events.EventFile` with one
:class:`~tracker.events.Event` per row whose source and target countries are different states.
Countries are names, mapped through ``countries.tsv`` and a few explicit ICEWS aliases; a name
that maps nowhere is a skip reason, never a guess. The Goldstein weight comes from the packaged
(GDELT) CAMEO table, not from the file's ``Intensity``, which uses ICEWS's slightly different
weights for four codes (016, 022, 164, 165).
"""
from __future__ import annotations

from pathlib import Path

from tracker.errors import bad_input
from tracker.events.codes import cameo_codes
from tracker.events.countries import icews_state
from tracker.events.inputs import Malformed, format_fix, open_lines, parse_date
from tracker.events.records import EventFile, cameo_event

#: The columns the reader needs; an ICEWS file has more.
REQUIRED = ("Event ID", "Event Date", "Source Name", "Source Country", "CAMEO Code",
            "Target Name", "Target Country")


def read_icews(path: str | Path, looks: str | None = None) -> EventFile:
    """Read an ICEWS events file.

    Parameters
    ----------
    path : the events file (plain, ``.gz`` or ``.zip`` holding one file).
    looks : the format the file's head looks like, to name the fix if it is not ICEWS.

    Returns
    -------
    EventFile with format ``"icews"``.

    Examples
    --------
    >>> read_icews("events.2018.tab").events[0].source  # doctest: +SKIP
    'BGD'
    """
    out = EventFile(path=Path(path), format="icews")
    fix = format_fix(looks, "an ICEWS event file")
    bad = Malformed(path, fix)
    codes, seen = cameo_codes(), set()
    with open_lines(path) as lines:
        header = None
        for number, line in lines:
            if not line.strip():
                continue
            fields = line.split("\t")
            if header is None:
                missing = [name for name in REQUIRED if name not in fields]
                if missing:
                    raise bad_input(path, number, "no ICEWS header (it lacks the columns "
                                    + ", ".join(missing) + ")", fix)
                header = {name: fields.index(name) for name in REQUIRED}
                width = len(fields)
                continue
            if len(fields) != width:
                bad.note(number, f"has {len(fields)} fields, the header has {width}")
                out.add([], "wrong number of fields")
            else:
                out.add(*_row({k: fields[i] for k, i in header.items()}, number, path, codes,
                              seen, bad))
            bad.check(out.rows)
    if header is None:
        raise bad_input(path, None, "the file is empty", "pass an ICEWS events file")
    bad.check(out.rows, final=True)
    return out


def _row(row: dict[str, str], number: int, path, codes, seen: set[str], bad: Malformed):
    published = parse_date(row["Event Date"])
    if published is None:
        bad.note(number, f"Event Date {row['Event Date']!r} is not a date YYYY-MM-DD")
        return [], "bad date"
    return cameo_event("icews", row["Event ID"], published,
                       (icews_state(row["Source Country"], "source"),
                        icews_state(row["Target Country"], "target")),
                       row["CAMEO Code"], (row["Source Name"], row["Target Name"]), None,
                       f"{path}:{number}", codes, seen)
