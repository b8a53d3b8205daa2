"""Reading a coded event file whatever its format: :func:`read_events`.

Takes a path and an optional format; recognises the format from the content when none is given
(61 tab-separated fields: a GDELT 2.0 export; a header with ``Event ID`` and ``CAMEO Code``:
ICEWS; a JSON array of records with ``event``: PLOVER) and gives the reader's
:class:`~tracker.events.EventFile`.
"""
from __future__ import annotations

from pathlib import Path

from tracker.errors import bad_input, invalid_choice
from tracker.events.gdelt import read_gdelt
from tracker.events.icews import read_icews
from tracker.events.inputs import FORMAT_FIX, detect, peek
from tracker.events.plover import read_plover
from tracker.events.records import FORMATS, EventFile

READERS = {"gdelt": read_gdelt, "icews": read_icews, "plover": read_plover}


def read_events(path: str | Path, format: str | None = None) -> EventFile:
    """Read a file of coded events into directed state-to-state events.

    Parameters
    ----------
    path : a GDELT 2.0 export, an ICEWS events file or PLOVER records; plain, ``.gz``, or a
        ``.zip`` holding one file.
    format : ``"gdelt"``, ``"icews"`` or ``"plover"``; None recognises it from the content.

    Returns
    -------
    EventFile
        ``events`` and, for every row that gave none, a count under a short reason in
        ``skipped``: ``rows == rows_used + sum(skipped.values())``.

    Raises
    ------
    TrackerError
        One line naming the file (and line) and the fix: the file is unreadable, empty, not
        text, of a format that cannot be told, or mostly malformed for the format asked for.

    Examples
    --------
    >>> from collections import Counter
    >>> got = read_events("20150218230000.export.CSV.zip")  # doctest: +SKIP
    >>> got.rows, got.rows_used, got.skipped.most_common(1)  # doctest: +SKIP
    (2271, 490, [('no target state', 1004)])
    """
    if format is not None and format not in FORMATS:
        raise invalid_choice("--format", format, FORMATS)
    looks = detect(peek(path))
    chosen = format or looks
    if chosen is None:
        raise bad_input(path, None, "cannot tell whether it is a GDELT 2.0 export, an ICEWS "
                        "event file or PLOVER records", FORMAT_FIX)
    return READERS[chosen](path, looks)
