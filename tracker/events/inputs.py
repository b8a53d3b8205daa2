"""Opening coded-event files: plain, ``.gz`` or ``.zip`` (one file inside), or raw bytes.

Takes a path (or the bytes of a file as downloaded, with a name for messages); gives its text
line by line with 1-based line numbers, a peek at its head, a guess at its format from the head,
and :class:`Malformed`, which turns a file that is mostly malformed rows into one
:class:`~tracker.errors.TrackerError` naming the file, the line and the fix. Compression is
recognised by its magic bytes, not by the file name.
"""
from __future__ import annotations

import datetime
import gzip
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tracker.errors import bad_input

#: How much of the head :func:`peek` decodes to recognise a file.
HEAD_BYTES = 1 << 16
#: A file whose first rows are mostly malformed is stopped here rather than read to its end.
EARLY_CHECK = 1000
#: Field counts of GDELT 2.0's three tab-separated tables.
GDELT_FIELDS = {"export": 61, "mentions": 16, "gkg": 27}
DAMAGED = (EOFError, zlib.error, gzip.BadGzipFile, zipfile.BadZipFile)
FORMAT_FIX = "pass --format gdelt|icews|plover"


def _name(source: str | Path | bytes, name: str) -> str:
    return name if isinstance(source, bytes) else str(source)


@contextmanager
def open_binary(source: str | Path | bytes, name: str = "input") -> Iterator[io.BufferedIOBase]:
    """The decompressed bytes of ``source`` (a path or raw bytes) as a binary stream."""
    where = _name(source, name)
    try:
        raw = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")
    except OSError as err:
        raise bad_input(where, None, f"cannot read it ({err.strerror or err})",
                        "check the path and that you may read the file") from None
    with raw:
        magic = raw.read(4)
        raw.seek(0)
        if magic[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=raw) as fh:
                yield fh
        elif magic == b"PK\x03\x04":
            try:
                archive = zipfile.ZipFile(raw)
                members = [m for m in archive.infolist() if not m.is_dir()]
            except DAMAGED as err:
                raise bad_input(where, None, f"not a readable zip archive ({err})",
                                "download it again") from None
            if len(members) != 1:
                raise bad_input(where, None, f"the zip archive holds {len(members)} files, not 1",
                                "unzip it and pass the event file itself")
            with archive, archive.open(members[0]) as fh:
                yield fh
        else:
            yield raw


@contextmanager
def open_lines(source: str | Path | bytes, name: str = "input"
               ) -> Iterator[Iterator[tuple[int, str]]]:
    """``(line_number, line)`` pairs of ``source``'s text (UTF-8, bad bytes replaced), without
    line ends; a damaged compressed stream raises a one-line ``TrackerError`` at that line."""
    where = _name(source, name)
    with open_binary(source, name) as fh:
        text = io.TextIOWrapper(fh, encoding="utf-8", errors="replace", newline="\n")

        def lines() -> Iterator[tuple[int, str]]:
            number = 0
            try:
                for number, line in enumerate(text, start=1):
                    yield number, line.rstrip("\r\n")
            except DAMAGED as err:
                raise bad_input(where, number + 1, f"the compressed data is damaged ({err})",
                                "download the file again") from None

        yield lines()


def peek(source: str | Path | bytes, name: str = "input") -> str:
    """The decoded head of ``source``; raises ``TrackerError`` if it is empty or not text."""
    where = _name(source, name)
    with open_binary(source, name) as fh:
        try:
            head = fh.read(HEAD_BYTES)
        except DAMAGED as err:
            raise bad_input(where, None, f"the compressed data is damaged ({err})",
                            "download the file again") from None
    text = head.decode("utf-8", errors="replace")
    if not text.strip():
        raise bad_input(where, None, "the file is empty",
                        "pass a GDELT 2.0 export, an ICEWS event file or PLOVER records")
    if "\x00" in text or text.count("\ufffd") > max(8, len(text) // 100):
        raise bad_input(where, None, "not a text file (binary data)",
                        "pass a GDELT, ICEWS or PLOVER event file (plain, .gz or .zip)")
    return text


def first_line(head: str) -> str:
    """The first non-blank line of ``head`` (a byte-order mark dropped)."""
    for line in head.lstrip("\ufeff").split("\n"):
        if line.strip():
            return line.rstrip("\r")
    return ""


def detect(head: str) -> str | None:
    """``"gdelt"``, ``"icews"`` or ``"plover"`` from a file's head, or None if it is none of them.

    Examples
    --------
    >>> detect("Event ID\\tEvent Date\\tCAMEO Code\\n"), detect('[{"event": "AGREE"}]')
    ('icews', 'plover')
    """
    start = head.lstrip("\ufeff \t\r\n")[:1]
    if start in ("[", "{") and '"event"' in head:
        return "plover"
    fields = first_line(head).split("\t")
    if "Event ID" in fields and "CAMEO Code" in fields:
        return "icews"
    if len(fields) == GDELT_FIELDS["export"]:
        return "gdelt"
    return None


def gdelt_kind(head: str) -> str | None:
    """``"export"``, ``"mentions"`` or ``"gkg"`` from the field count of the first line."""
    count = len(first_line(head).split("\t"))
    return next((kind for kind, n in GDELT_FIELDS.items() if n == count), None)


def format_fix(looks: str | None, wanted: str) -> str:
    """The fix to offer when a file read as ``wanted`` turns out not to be one."""
    if looks and looks != wanted:
        return f"it looks like {looks}: pass --format {looks}"
    return f"check that it is {wanted}, or {FORMAT_FIX}"


class Malformed:
    """Counts malformed rows; :meth:`check` raises once they are most of the rows read.

    A few bad rows in a large file are skipped with a reason; a file where most rows are bad is
    probably in another format, and one clear error helps more than thousands of skips.
    """

    def __init__(self, path: object, fix: str) -> None:
        self.path = path
        self.fix = fix
        self.count = 0
        self.first: tuple[int, str] | None = None

    def note(self, line: int, problem: str) -> None:
        self.count += 1
        if self.first is None:
            self.first = (line, problem)

    def check(self, rows: int, final: bool = False) -> None:
        """Raise if most of ``rows`` were malformed (at the early check or at the end)."""
        if (final or rows == EARLY_CHECK) and self.first and self.count * 2 > rows:
            line, problem = self.first
            raise bad_input(self.path, line, problem, self.fix)


def parse_date(text: str) -> str | None:
    """``"YYYY-MM-DD"`` from ``YYYYMMDD[...]`` or ``YYYY-MM-DD[...]``, or None if not a date.

    Examples
    --------
    >>> parse_date("20150218"), parse_date("2018-06-01")
    ('2015-02-18', '2018-06-01')
    >>> parse_date("2015021"), parse_date("20151341")
    (None, None)
    """
    text = text.strip()
    digits = text[:10].replace("-", "") if text[4:5] == "-" else text[:8]
    if len(digits) != 8 or not digits.isdigit():
        return None
    try:
        return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).isoformat()
    except ValueError:
        return None

