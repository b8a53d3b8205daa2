"""The records the event readers give (:class:`Event`, :class:`EventFile`, :class:`GdeltLink`),
and :func:`cameo_event`, the one place a CAMEO-coded row becomes an event or a skip reason."""
from __future__ import annotations

import collections
from dataclasses import dataclass, field
from pathlib import Path

from tracker.events.codes import Code
from tracker.events.countries import state_names

FORMATS = ("gdelt", "icews", "plover")


@dataclass(frozen=True)
class Event:
    """One directed state-to-state event from a coded event file.

    ``event_id`` is unique per ``(dataset, event_id)``; a row that gives several directed events
    gives them ids with suffixes ``#1``, ``#2``... ``code`` is the CAMEO code as a string (leading
    zeros kept) or the PLOVER event class; ``goldstein`` (-10..10) comes from the packaged table
    for that code and ``tone`` is ``goldstein / 10``. ``origin`` is ``path:line`` (1-based) or,
    for a JSON array, ``path:#N`` (the record's 0-based index in the array).
    """

    dataset: str
    event_id: str
    published: str
    source: str
    target: str
    code: str
    goldstein: float
    tone: float
    quad_class: int | None
    description: str
    url: str | None
    origin: str


@dataclass
class EventFile:
    """What one file gave: its events, and every row it did not use counted under a reason.

    ``rows == rows_used + sum(skipped.values())`` always holds.
    """

    path: Path
    format: str
    rows: int = 0
    rows_used: int = 0
    skipped: collections.Counter = field(default_factory=collections.Counter)
    events: list[Event] = field(default_factory=list)

    def add(self, events: list[Event], reason: str | None) -> None:
        """Count one row: it gave ``events``, or none for ``reason``."""
        self.rows += 1
        if events:
            self.rows_used += 1
            self.events.extend(events)
        else:
            self.skipped[reason or "no event"] += 1


@dataclass(frozen=True)
class GdeltLink:
    """An article URL from a GDELT file, with its date, the ISO3 states it involves and (GKG
    only) its themes."""

    url: str
    published: str
    countries: tuple[str, ...]
    themes: tuple[str, ...]


def describe(source: str, source_name: str, target: str, target_name: str, code: str,
             description: str, goldstein: float, family: str = "CAMEO") -> str:
    """One line of evidence:

    ``EGYPT (EGY) -> LIBYA (LBY): Use conventional military force [CAMEO 190, Goldstein -10.0]``
    """
    names = state_names()
    return (f"{source_name.strip() or names[source]} ({source}) -> "
            f"{target_name.strip() or names[target]} ({target}): {description} "
            f"[{family} {code}, Goldstein {goldstein:.1f}]")


def cameo_event(dataset: str, event_id: str, published: str, states, code: str,
                names: tuple[str, str], url: str | None, origin: str, codes: dict[str, Code],
                seen: set[str]):
    """The event of one CAMEO-coded row (GDELT, ICEWS), or why the row gives none:
    ``([Event], None)`` or ``([], reason)``. ``states`` is ``((source, why not),
    (target, why not))`` as the country mappings give them; ``seen`` the event ids taken so far
    (this one is added)."""
    event_id = event_id.strip()
    if not event_id:
        return [], "no event id"
    (source, why_not_source), (target, why_not_target) = states
    if source is None or target is None:
        return [], why_not_source or why_not_target
    if source == target:
        return [], "same state on both sides"
    code = code.strip()
    if code not in codes:
        return [], f"unknown CAMEO code {code}"
    if event_id in seen:
        return [], "duplicate event id"
    seen.add(event_id)
    entry = codes[code]
    return [Event(
        dataset=dataset, event_id=event_id, published=published, source=source, target=target,
        code=code, goldstein=entry.goldstein, tone=entry.goldstein / 10,
        quad_class=entry.quad_class,
        description=describe(source, names[0], target, names[1], code, entry.description,
                             entry.goldstein),
        url=url, origin=origin)], None
