"""Coded event data: GDELT 2.0 exports, ICEWS event files and PLOVER records.

Takes a file of coded events (plain, ``.gz`` or a ``.zip`` holding one file) and gives directed
state-to-state :class:`Event` records with a tone from the Goldstein weight of their CAMEO code
or PLOVER event class (``tone = goldstein / 10``), in an :class:`EventFile` that also counts the
rows it skipped and why. :func:`gdelt_links` reads GDELT export, mentions and GKG files as a
source of article URLs.
"""
from tracker.events.records import FORMATS, Event, EventFile, GdeltLink
from tracker.events.files import read_events
from tracker.events.links import gdelt_links

__all__ = ["FORMATS", "Event", "EventFile", "GdeltLink", "read_events", "gdelt_links"]
