"""The records the event readers give: :class:`Event`, :class:`EventFile`, :class:`GdeltLink`."""
from __future__ import annotations

import collections
from dataclasses import dataclass, field
from pathlib import Path

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
