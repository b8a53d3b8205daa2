"""PLOVER event records (JSON) -> directed state-to-state events.

Takes a JSON array of PLOVER records (or JSON lines, one record a line), each with ``id``,
``date``, ``event`` (the PLOVER event class), ``source`` and ``target`` (lists of
``{actorText, code, sector}``; ``target`` may be ``""`` or absent) and ``text``; gives an
:class:`~tracker.events.EventFile` with an :class:`~tracker.events.Event` per ordered pair of
different states: every source state acts on every target state, and where the markup
(``textInfo.markup``) marks actors ``(SRC/TAR: ...)`` the source actors are reciprocal and act on
each other too. A record giving several events numbers their ids ``ID#1``, ``ID#2``... The
Goldstein weight of an event class is derived from CAMEO (``tracker/data/plover.tsv``).
"""
from __future__ import annotations

import json
from pathlib import Path

from tracker.errors import bad_input
from tracker.events.codes import plover_codes
from tracker.events.countries import PLOVER_ALIASES, cameo_state
from tracker.events.inputs import Malformed, format_fix, open_lines, parse_date
from tracker.events.records import Event, EventFile

#: Records that document the file rather than code an event.
NOT_EVENTS = {"DOCUMENT"}


def _records(path, fix: str) -> list[tuple[str, object]]:
    """``(origin, record)`` for each record of a JSON array (``path:#N``, N the 0-based index)
    or of JSON lines (``path:LINE``)."""
    with open_lines(path) as lines:
        numbered = list(lines)
    text = "\n".join(line for _, line in numbered).lstrip("\ufeff")
    if text.lstrip().startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise bad_input(path, err.lineno, f"not valid JSON ({err.msg})", fix) from None
        return [(f"{path}:#{i}", record) for i, record in enumerate(data)]
    out = []
    for number, line in numbered:
        if line.strip():
            try:
                out.append((f"{path}:{number}", json.loads(line)))
            except json.JSONDecodeError as err:
                out.append((f"{path}:{number}", err))
    return out


def read_plover(path: str | Path, looks: str | None = None) -> EventFile:
    """Read PLOVER records.

    Parameters
    ----------
    path : a JSON array (or JSON lines) of PLOVER records; plain, ``.gz`` or ``.zip``.
    looks : the format the file's head looks like, to name the fix if it is not PLOVER.

    Returns
    -------
    EventFile with format ``"plover"``.

    Examples
    --------
    >>> [e.event_id for e in read_plover("PLOVER_GSR_CAMEO.json").events][:2]  # doctest: +SKIP
    ['PLOVER-GSR01-AGREE-0001#1', 'PLOVER-GSR01-AGREE-0001#2']
    """
    out = EventFile(path=Path(path), format="plover")
    fix = format_fix(looks, "PLOVER records")
    bad = Malformed(path, fix)
    codes, seen = plover_codes(), set()
    for origin, record in _records(path, fix):
        if isinstance(record, json.JSONDecodeError):
            bad.note(int(origin.rsplit(":", 1)[1]), f"not valid JSON ({record.msg})")
            out.add([], "not valid JSON")
        else:
            out.add(*_record(record, origin, codes, seen))
        bad.check(out.rows)
    if not out.rows:
        raise bad_input(path, None, "holds no records", fix)
    bad.check(out.rows, final=True)
    return out


def _actors(value: object) -> list[dict]:
    return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []


def _states(actors: list[dict], side: str) -> tuple[list[str], str]:
    """The distinct states among ``actors`` and the reason for the first actor that is none."""
    states, reasons = [], []
    for actor in actors:
        state, reason = cameo_state(str(actor.get("code", "")), side, PLOVER_ALIASES)
        if state is None:
            reasons.append(reason)
        elif state not in states:
            states.append(state)
    return states, reasons[0] if reasons else f"no {side} state"


def _record(record: object, origin: str, codes, seen: set[str]):
    if not isinstance(record, dict) or "event" not in record or record["event"] in NOT_EVENTS:
        return [], "not an event record"
    event_class = str(record["event"]).strip().upper()
    if event_class not in codes:
        return [], f"unknown PLOVER event {event_class}"
    published = parse_date(str(record.get("date", "")))
    if published is None:
        return [], "bad date"
    record_id = str(record.get("id", "")).strip()
    if not record_id:
        return [], "no event id"
    if record_id in seen:
        return [], "duplicate event id"
    sources, why_not_source = _states(_actors(record.get("source")), "source")
    targets, why_not_target = _states(_actors(record.get("target")), "target")
    info = record.get("textInfo")
    markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")
    reciprocal = "(SRC/TAR:" in markup
    pairs = [(s, t) for s in sources for t in targets if s != t]
    if reciprocal:
        pairs += [(a, b) for a in sources for b in sources if a != b and (a, b) not in pairs]
    if not pairs:
        if not sources:
            return [], why_not_source
        if not targets and not reciprocal:
            return [], why_not_target
        return [], "same state on both sides"
    seen.add(record_id)
    entry = codes[event_class]
    text = " ".join(str(record.get("text") or "").split())
    return [Event(
        dataset="plover",
        event_id=record_id if len(pairs) == 1 else f"{record_id}#{k}",
        published=published, source=source, target=target, code=event_class,
        goldstein=entry.goldstein, tone=entry.goldstein / 10, quad_class=entry.quad_class,
        description=text or f"{source} -> {target}: {event_class}",
        url=None, origin=origin) for k, (source, target) in enumerate(pairs, start=1)], None
