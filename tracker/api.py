"""The Python entry point: a tracker database as DataFrames.

>>> import tracker
>>> t = tracker.open("tracker.db")                       # doctest: +SKIP
>>> t.index(period="W").tail()                           # doctest: +SKIP
>>> t.evidence("IRN-USA", period="2025-W11")             # doctest: +SKIP

Every method reads the database afresh (a run may have added to it) and returns a DataFrame;
nothing here writes to the database.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from tracker.errors import TrackerError


class Tracker:
    """A tracker database, read-only.

    Parameters
    ----------
    db : path
        A database written by ``tracker run`` (or :func:`tracker.pipeline.run`).
    """

    def __init__(self, db: str | os.PathLike = "tracker.db"):
        self.db = Path(db)
        if not self.db.is_file():
            raise TrackerError(f"{self.db}: no such database; create it with `tracker run PATH "
                               f"--db {self.db}`.")

    def _store(self):
        from tracker.pipeline import open_store

        return open_store(self.db, readonly=True)

    def __repr__(self) -> str:
        return f"Tracker({str(self.db)!r})"

    def statements(self, basis: str = "text"):
        """Every scored statement: its article, date, dyad, tone, label, sentence and spans.
        ``basis="events"`` gives the imported coded events in the same shape (negative ids,
        the event's description as sentence), ``"both"`` both."""
        from tracker.pipeline import statements_export

        with self._store() as store:
            return statements_export(store, basis)

    def index(self, period: str = "W", directed: bool = False, basis: str = "text"):
        """The relationship index per pair (or ``source -> target``) and period, with its band
        (``lower``, ``upper``) and the number of statements behind it; built from the text's
        statements (``basis="text"``), the imported coded events (``"events"``) or both."""
        from tracker.pipeline import build_index

        with self._store() as store:
            return build_index(store, period, directed, basis=basis).results_.reset_index(
                drop=True)

    def evidence(self, pair: str | Sequence[str], period: str | None = None,
                 grain: str = "W", directed: bool = False, basis: str = "text"):
        """The statements behind a pair's index values, strongest weight first: their
        sentences, tones, URLs and titles, and the weight each has in its period's value.

        ``pair`` is ``"IRN-USA"`` (or a tuple; ``source -> target`` when ``directed``);
        ``period`` a label such as ``"2025-W11"`` (default: every period of the pair);
        ``grain`` the index's period (W, M, Q, Y); ``basis`` as in :meth:`index`.
        """
        from tracker.compare import parse_pair
        from tracker.pipeline import build_index

        a, b = parse_pair(pair) if isinstance(pair, str) else tuple(pair)
        if isinstance(pair, str) and directed:
            a, b = (s.strip().upper() for s in pair.replace("\u2013", "-").split("-")[:2])
        from tracker.pipeline import statements_for

        with self._store() as store:
            frame = statements_for(store, basis)
            est = build_index(store, grain, directed, frame=frame)
        keys = ("source", "target") if directed else ("country_a", "country_b")
        w = est.weights_
        key = (a, b) if directed else tuple(sorted((a, b)))
        rows = w[(w[keys[0]] == key[0]) & (w[keys[1]] == key[1])]
        if period is not None:
            rows = rows[rows["period"].astype(str) == str(period)]
        if rows.empty:
            where = f" in {period}" if period else ""
            raise TrackerError(f"no statements for {key[0]}-{key[1]}{where}; list the pairs and "
                               "periods with .index().")
        cols = ["statement_id", "published", "source", "target", "tone", "label",
                "confidence", "sentence", "url", "title", "article_id"]
        out = rows[["statement_id", "period", "weight"]].merge(frame[cols], on="statement_id")
        return out.sort_values(["period", "weight", "statement_id"],
                               ascending=[True, False, True], kind="stable"
                               ).reset_index(drop=True)

    def alerts(self, week: str | None = None, directed: bool = False):
        """Weekly moves larger than the two weeks' bands explain (``tracker alerts``)."""
        from tracker.pipeline import alerts_export

        with self._store() as store:
            return alerts_export(store, week, directed)

    def compare(self, pairs: Sequence[str], period: str = "W", out=None):
        """One row per pair: level, band, trend and biggest move (``tracker compare``); with
        ``out``, the chart is written there too."""
        from tracker.pipeline import compare_pairs

        with self._store() as store:
            return compare_pairs(store, list(pairs), period, out)[0]

    def report(self, week: str, out: str | os.PathLike = "out"):
        """Write ``week``'s HTML and Markdown report into ``out``; returns the files."""
        from tracker.pipeline import write_reports

        with self._store() as store:
            return write_reports(store, out, weeks=[week], force=True)[0]

