"""Publication dates: from metadata, from the ``--date`` option, or inferred from the text."""
from __future__ import annotations

import datetime as dt
import email.utils
import os
import re

from tracker.errors import TrackerError, bad_input

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
             r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
               r"|Mon\.|Tue\.|Tues\.|Wed\.|Thu\.|Thur\.|Thurs\.|Fri\.|Sat\.|Sun\.)")
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_TAIL = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b"
_WEEKDAY_DATES = [
    re.compile(rf"\b(?P<wd>{_WEEKDAY_RE}),?\s+(?:the\s+)?(?P<mon>{_MONTH_RE})\s+{_DAY_RE}\b{_YEAR_TAIL}"),
    re.compile(rf"\b(?P<wd>{_WEEKDAY_RE}),?\s+(?:the\s+)?{_DAY_RE}(?:\s+of)?\s+(?P<mon>{_MONTH_RE})"
               rf"(?!\w){_YEAR_TAIL}"),
]
_FULL_DATES = [
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\s+{_DAY_RE},?\s+(?P<year>(?:19|20)\d{{2}})\b"),
    re.compile(rf"\b{_DAY_RE}(?:\s+of)?\s+(?P<mon>{_MONTH_RE}),?\s+(?P<year>(?:19|20)\d{{2}})\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"),
]
_YEAR = re.compile(r"(?<![\w.,/-])(19\d{2}|20\d{2}|2100)(?![\w/]|[.,]\d)")
# A year after these words is a deadline or plan, not something that has happened.
_FUTURE_BEFORE = re.compile(r"\b(?:by|until|till|through|ahead\s+of|by\s+the\s+end\s+of)\s+$", re.I)
_MAX_YEARS_AHEAD = 11  # the longest gap before a (non-29-Feb) weekday/month/day repeats


def _month_number(name: str) -> int:
    return int(name) if name.isdigit() else _MONTHS[name[:3].lower()]


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: str) -> dt.date:
    """Parse a metadata date or datetime.

    Accepts ISO dates and datetimes (``"2024-02-04"``, ``"2025-03-14 20:30:26Z"``, compact
    ``"20240204"`` and GDELT's ``"20240204T091500Z"``,
    ``"2024-02-04T09:00:00+09:00"``; the date is taken as written, not shifted to UTC),
    RFC 2822 (``"Sun, 04 Feb 2024 09:00:00 +0900"``) and written dates (``"February 4, 2024"``,
    ``"4 Feb 2024"``).

    Raises
    ------
    ValueError
        If ``value`` is not one of those forms or not a real date.

    Examples
    --------
    >>> parse_date("2025-03-14 20:30:26Z"), parse_date("February 4, 2024")
    (datetime.date(2025, 3, 14), datetime.date(2024, 2, 4))
    """
    value = value.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                       r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?", value, re.I)
    if iso:
        found = _make_date(*(int(g) for g in iso.groups()))
        if found:
            return found
        raise ValueError(f"{value!r} is not a real date")
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T?\d{6}Z?)?", value)  # 20240204, GDELT's
    if compact:                                                          # 20240204T091500Z
        found = _make_date(*(int(g) for g in compact.groups()))
        if found:
            return found
        raise ValueError(f"{value!r} is not a real date")
    slashed = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", value)
    if slashed and (found := _make_date(*(int(g) for g in slashed.groups()))):
        return found
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date()
    for pattern in _FULL_DATES[:2]:
        match = re.fullmatch(rf"(?:{_WEEKDAY_RE},?\s+)?{pattern.pattern}", value)
        if match and (found := _make_date(int(match["year"]), _month_number(match["mon"]), int(match["day"]))):
            return found
    raise ValueError(f"{value!r} is not a recognised date")


def _mentioned_years(text: str) -> list[int]:
    years = []
    for match in _YEAR.finditer(text):
        if _FUTURE_BEFORE.search(text[max(0, match.start() - 20): match.start()]):
            continue
        years.append(int(match.group(1)))
    return years


def infer_date(text: str) -> tuple[dt.date, str] | None:
    """Infer a publication date from the article text, saying how.

    In order of trust:

    1. a date written with weekday and year (``"Sunday, February 4, 2024"``) whose weekday fits;
    2. a date with weekday only (``"on Sunday February 4"``, ``"Sunday 4 February"``): the year is
       the first one, not before the latest year the text mentions (deadlines such as "by 2030"
       aside), in which that month and day fall on that weekday, looking at most 11 years ahead;
       without any year mentioned there is no lower bound, so this step gives nothing;
    3. the first full date with a year (``"February 4, 2024"``, ``"2024-02-04"``).

    Within each step the first match in the text wins, as datelines and ledes come first.

    Returns
    -------
    (date, method) or None
        ``method`` is a one-line explanation for ``Article.date_method``.

    Examples
    --------
    >>> day, how = infer_date("Since 2022 ... announced on Sunday February 4 that ...")
    >>> day.isoformat()
    '2024-02-04'
    >>> how  # doctest: +NORMALIZE_WHITESPACE
    "text: 'Sunday February 4' is a Sunday in 2024, the first such year not before 2022
    (latest year mentioned)"
    """
    weekday_dates = sorted(
        (m for pattern in _WEEKDAY_DATES for m in pattern.finditer(text)), key=lambda m: m.start()
    )
    for match in weekday_dates:
        if match["year"]:
            day = _make_date(int(match["year"]), _month_number(match["mon"]), int(match["day"]))
            if day and _WEEKDAYS[day.weekday()].startswith(match["wd"].rstrip(".").lower()[:3]):
                phrase = " ".join(match.group(0).split())
                return day, f"text: full date with weekday '{phrase}'"
    years = _mentioned_years(text)
    if years:
        floor = max(years)
        for match in weekday_dates:
            weekday = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(match["wd"].rstrip(".").lower()[:3]))
            month, day_of_month = _month_number(match["mon"]), int(match["day"])
            for year in range(floor, floor + _MAX_YEARS_AHEAD + 1):
                day = _make_date(year, month, day_of_month)
                if day and day.weekday() == weekday:
                    phrase = " ".join(text[match.start("wd"): max(match.end("day"), match.end("mon"))].split())
                    return day, (
                        f"text: '{phrase}' is a {_WEEKDAYS[weekday].capitalize()} in {year}, "
                        f"the first such year not before {floor} (latest year mentioned)"
                    )
    for match in sorted((m for p in _FULL_DATES for m in p.finditer(text)), key=lambda m: m.start()):
        day = _make_date(int(match["year"]), _month_number(match["mon"]), int(match["day"]))
        if day:
            return day, f"text: full date '{' '.join(match.group(0).split())}'"
    return None


#: The widest range a user may allow: within pandas' timestamps, with a week to spare at each end.
WIDEST = (dt.date(1677, 10, 1), dt.date(2262, 3, 1))


def date_range() -> tuple[dt.date, dt.date]:
    """The publication dates accepted: 1900-01-01 to a year after today, or
    ``$TRACKER_DATE_RANGE`` (``FIRST:LAST``, each YYYY-MM-DD, within :data:`WIDEST`: the
    index and the charts compute with pandas timestamps, which end there)."""
    raw = os.environ.get("TRACKER_DATE_RANGE", "").strip()
    if not raw:
        return dt.date(1900, 1, 1), dt.date.today() + dt.timedelta(days=366)
    try:
        first, last = (dt.date.fromisoformat(x.strip()) for x in raw.split(":"))
    except ValueError:
        raise TrackerError(f"TRACKER_DATE_RANGE={raw!r} is invalid; write FIRST:LAST as "
                           "YYYY-MM-DD:YYYY-MM-DD, e.g. 1900-01-01:2030-12-31.") from None
    if not first <= last or first < WIDEST[0] or last > WIDEST[1]:
        raise TrackerError(f"TRACKER_DATE_RANGE={raw!r} is invalid; the first date must come "
                           f"before the last, both within {WIDEST[0]} to {WIDEST[1]}.")
    return first, last


def in_range(day: dt.date, where_from: str, raw=None) -> dt.date:
    """``day`` if it lies in :func:`date_range`, else a one-line error naming the file/line."""
    first, last = date_range()
    if first <= day <= last:
        return day
    problem = f"{where_from} {day.isoformat()} is outside the dates the tracker accepts " \
              f"({first.isoformat()} to {last.isoformat()})"
    fix = "correct the date, or widen the range with TRACKER_DATE_RANGE=FIRST:LAST"
    if raw is None:
        raise TrackerError(f"{problem}; {fix}.")
    raise bad_input(raw.path, raw.line, problem, fix)


def resolve_date(raw, text: str, fallback: dt.date | None) -> tuple[str, str]:
    if raw.published:
        try:
            day = parse_date(raw.published)
        except (ValueError, OverflowError):
            raise bad_input(
                raw.path, raw.line, f"{raw.published_field} {raw.published!r} is not a date",
                "write it as YYYY-MM-DD (or an ISO/RFC 2822 datetime) or leave it empty",
            ) from None
        return in_range(day, raw.published_field, raw).isoformat(), "metadata"
    if fallback is not None:
        return in_range(fallback, "--date", raw).isoformat(), "option --date"
    inferred = infer_date(text)
    if inferred is None:
        raise bad_input(
            raw.path, raw.line,
            "no publication date (no date metadata, and no weekday or full date in the text)",
            "pass --date YYYY-MM-DD, or add a 'published' value",
        )
    day, method = inferred
    return in_range(day, 'the date found in the text', raw).isoformat(), method
