"""The store's coded events: GDELT, ICEWS and PLOVER rows kept apart from the text's
statements, and read back in the statements' shape."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from tracker.events import Event


class EventTables:
    """The ``events`` table (mixed into :class:`~tracker.store.Store`)."""

    def add_events(self, events: Sequence["Event"]) -> tuple[int, int]:
        """Store coded events in one transaction; return ``(added, already_stored)``: an event
        (dataset and event id) is stored once, so importing a file again adds nothing."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self.db:
            before = self.db.total_changes
            self.db.executemany(
                "INSERT OR IGNORE INTO events (dataset, event_id, published, source, target, "
                "code, goldstein, tone, quad_class, description, url, origin, imported_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(e.dataset, e.event_id, e.published, e.source, e.target, e.code, e.goldstein,
                  e.tone, e.quad_class, e.description, e.url, e.origin, now) for e in events])
            added = self.db.total_changes - before
        return added, len(events) - added

    def events_frame(self, datasets: Sequence[str] | None = None) -> "pd.DataFrame":
        """Coded events as a Statements DataFrame (same columns as :meth:`statements_frame`),
        so the index takes them alone or beside text. An event's ``statement_id`` is minus its
        row id (text statements are positive), its ``sentence`` is the event's description,
        its ``rule`` ``"event:<dataset>:<code>"``, its tone the Goldstein weight / 10 with
        confidence 1 and a label from the weight's sign (|weight| < 1: neutral)."""
        import pandas as pd

        where, params = "", ()
        if datasets:
            where = f"WHERE dataset IN ({','.join('?' * len(datasets))})"
            params = tuple(datasets)
        frame = pd.read_sql_query(
            "SELECT -id AS statement_id, NULL AS article_id, published, source, target, tone, "
            "CASE WHEN goldstein >= 1 THEN 'cooperative' WHEN goldstein <= -1 THEN 'hostile' "
            "ELSE 'neutral' END AS label, 1.0 AS confidence, description AS sentence, "
            "'event:' || dataset || ':' || code AS rule, url, NULL AS title, "
            "event_id AS external_id, 0 AS sentence_index, 0 AS sentence_start, "
            "0 AS sentence_end, 0 AS clause_start, 0 AS clause_end, '[]' AS source_spans, "
            "'[]' AS target_spans, source AS source_text, target AS target_text, "
            "'event data' AS date_method, upper(dataset) AS outlet, origin "
            f"FROM events {where} ORDER BY published, id", self.db, params=params)
        return self._dated(frame, "events")

    def event_datasets(self) -> dict[str, int]:
        """Events stored per dataset."""
        return dict(self.db.execute(
            "SELECT dataset, COUNT(*) FROM events GROUP BY dataset ORDER BY dataset"))
