"""The store: one SQLite database, the only place state lives between runs.

Takes articles, statements and tone scores from the stages and gives them back as plain data
(dataclass rows or DataFrames with the columns of ``docs/ARCHITECTURE.md``).

Every write is one transaction per unit of work (an article's statements, a batch of scores), so
a run interrupted half-way leaves the database consistent, and the next run resumes where it
stopped: articles are keyed by a hash of their cleaned text, an article is extracted once per
extractor version, and a statement is scored once per tone model (scores are also cached by a
hash of the scored text, so syndicated copies are scored once).
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import TrackerError
from tracker.store.events import EventTables
from tracker.store.pages import PageTables

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from tracker.extract import Statement
    from tracker.ingest import Article

SCHEMA_VERSION = "2"
# The articles an extractor (the one parameter) has not extracted yet.
_NOT_EXTRACTED = ("FROM articles a WHERE NOT EXISTS (SELECT 1 FROM extractions e WHERE "
                  "e.article_id = a.id AND e.extractor = ?)")
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,            -- sha256 of the cleaned text (16 hex)
    external_id TEXT, url TEXT, title TEXT, outlet TEXT,
    published TEXT NOT NULL,        -- YYYY-MM-DD
    date_method TEXT NOT NULL,
    text TEXT NOT NULL,
    origin TEXT,
    ingested_at TEXT NOT NULL,
    speaker TEXT                    -- ISO3 of the state speaking (speeches, releases), or NULL
);
CREATE INDEX IF NOT EXISTS articles_published ON articles (published);
CREATE TABLE IF NOT EXISTS extractions (
    article_id TEXT NOT NULL REFERENCES articles (id),
    extractor TEXT NOT NULL,
    n_statements INTEGER NOT NULL,
    done_at TEXT NOT NULL,
    n_sentences INTEGER,               -- coverage: sentences, and those naming a country
    n_sentences_with_country INTEGER,
    PRIMARY KEY (article_id, extractor)
);
CREATE TABLE IF NOT EXISTS statements (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles (id),
    extractor TEXT NOT NULL,
    sentence_index INTEGER NOT NULL,
    sentence_start INTEGER NOT NULL, sentence_end INTEGER NOT NULL,
    sentence TEXT NOT NULL,
    source TEXT NOT NULL, target TEXT NOT NULL,
    source_spans TEXT NOT NULL, target_spans TEXT NOT NULL,   -- JSON [[start, end], ...]
    clause_start INTEGER NOT NULL, clause_end INTEGER NOT NULL,
    rule TEXT NOT NULL, source_text TEXT NOT NULL, target_text TEXT NOT NULL,
    UNIQUE (article_id, extractor, sentence_index, source, target)
);
CREATE INDEX IF NOT EXISTS statements_extractor ON statements (extractor);
CREATE TABLE IF NOT EXISTS scores (
    statement_id INTEGER NOT NULL REFERENCES statements (id),
    model TEXT NOT NULL,
    tone REAL NOT NULL, label TEXT NOT NULL, confidence REAL NOT NULL,
    PRIMARY KEY (statement_id, model)
);
CREATE TABLE IF NOT EXISTS tone_cache (
    key TEXT PRIMARY KEY,           -- sha256 of (model, text, spans)
    tone REAL NOT NULL, label TEXT NOT NULL, confidence REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS events (  -- coded event data (GDELT, ICEWS, PLOVER): not text
    id INTEGER PRIMARY KEY,
    dataset TEXT NOT NULL, event_id TEXT NOT NULL,
    published TEXT NOT NULL,        -- YYYY-MM-DD
    source TEXT NOT NULL, target TEXT NOT NULL,
    code TEXT NOT NULL,             -- CAMEO code or PLOVER event class
    goldstein REAL NOT NULL, tone REAL NOT NULL, quad_class INTEGER,
    description TEXT NOT NULL, url TEXT,
    origin TEXT NOT NULL,           -- file:line
    imported_at TEXT NOT NULL,
    UNIQUE (dataset, event_id)
);
CREATE INDEX IF NOT EXISTS events_published ON events (published);
CREATE TABLE IF NOT EXISTS pages (  -- fetched feeds and pages, raw, by canonical URL
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,             -- "page" or "feed"
    final_url TEXT, status INTEGER, content_type TEXT, charset TEXT,
    etag TEXT, last_modified TEXT,
    body BLOB,                      -- zlib-compressed bytes as served (decompressed transfer)
    body_hash TEXT,                 -- sha256 of those bytes
    fetched_at TEXT NOT NULL,       -- when the body was last downloaded
    checked_at TEXT NOT NULL,       -- when the URL was last asked for (304s included)
    stamp TEXT,                     -- the feed entry's updated/published when it was fetched
    via TEXT,                       -- the source (feed URL, sources.toml name, command line)
    article_id TEXT,                -- the article it gave, if any
    outcome TEXT,                   -- "article", "not English (fr)", "no text", an error ...
    reader TEXT                     -- the page reader's version that made article_id/outcome
);
"""

TABLES = {"meta", "articles", "extractions", "statements", "scores", "tone_cache", "events",
          "pages"}

#: How long a write waits for another process's write to finish before giving up.
BUSY_SECONDS = 120.0


def _check_foreign(path: Path) -> None:
    """Refuse, untouched, a file that exists but is not a tracker database: it is opened
    read-only and its tables are checked before anything is written."""
    if not path.exists():
        return
    if path.is_dir():
        raise TrackerError(f"--db {path}: is a folder; pass a database file.")
    if path.stat().st_size == 0:
        raise TrackerError(f"--db {path}: is an empty file, not a tracker database; pass a new "
                           "or existing tracker database (the file is left as it is).")
    try:
        with open(path, "rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise TrackerError(f"--db {path}: cannot read it ({exc.strerror}); check its "
                           "permissions.") from None
    fix = "it was left untouched; pass a tracker database or a new file with --db."
    if header != b"SQLite format 3\x00":
        raise TrackerError(f"--db {path}: not an SQLite database; {fix}")
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            schema = (con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
                      if "meta" in tables else None)
            unfinished = tables <= TABLES and not any(
                con.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()
                for t in tables - {"meta"})
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise TrackerError(f"--db {path}: not a readable SQLite database ({exc}); {fix}") \
            from None
    if unfinished:
        return  # no table but the tracker's, all empty (a first run that failed): nothing to lose
    if schema is None or not {"articles", "statements", "scores"} <= tables:
        raise TrackerError(f"--db {path}: an SQLite database, but not the tracker's; {fix}")


STATEMENT_COLUMNS = ("statement_id", "article_id", "published", "source", "target", "tone",
                     "label", "confidence", "sentence", "rule", "url", "title", "external_id")


class Store(EventTables, PageTables):
    """The tracker's SQLite database.

    Parameters
    ----------
    path : str or Path
        Database file; created (with its folder) if missing. ``":memory:"`` works for tests.

    Examples
    --------
    >>> store = Store(":memory:")
    >>> store.counts()["articles"]
    0
    """

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            _check_foreign(Path(self.path))
            if not readonly:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                self.db = sqlite3.connect(f"{Path(self.path).resolve().as_uri()}?mode=ro",
                                          uri=True, timeout=BUSY_SECONDS)
            else:
                self.db = sqlite3.connect(self.path, timeout=BUSY_SECONDS)
            self.db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self.db.execute("PRAGMA journal_mode = WAL" if self.path != ":memory:" else
                                "PRAGMA journal_mode = MEMORY")
                with self.db:
                    self.db.executescript(SCHEMA)
                    self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)",
                                    (SCHEMA_VERSION,))
                    columns = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
                    if "speaker" not in columns:  # a database of an earlier version
                        self.db.execute("ALTER TABLE articles ADD COLUMN speaker TEXT")
            version = self.db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                raise TrackerError(f"--db {self.path}: holds no data yet (its first run did "
                                   f"not finish); run `tracker run PATH --db {self.path}`.") \
                    from None
            if "readonly" in str(exc) or "read-only" in str(exc) or "unable to open" in str(exc):
                raise TrackerError(f"--db {self.path}: cannot write to this database or its "
                                   f"folder ({exc}); check its permissions, or copy it to a "
                                   "writable place.") from None
            raise TrackerError(f"--db {self.path}: {exc}; check the file and rerun.") from None
        except sqlite3.DatabaseError as exc:
            raise TrackerError(f"--db {self.path}: not a tracker database ({exc}); "
                               "pass another file with --db.") from None
        if version is None:
            raise TrackerError(f"--db {self.path}: holds no data yet (its first run did not "
                               f"finish); run `tracker run PATH --db {self.path}`.")
        if version[0] != SCHEMA_VERSION:
            raise TrackerError(f"--db {self.path}: schema version {version[0]}, "
                               f"this tracker reads {SCHEMA_VERSION}; use a new --db file.")

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles -----------------------------------------------------------------------------
    def add_articles(self, articles: Iterable["Article"], batch: int = 500,
                     atomic: bool = False) -> tuple[int, int]:
        """Insert articles not yet stored; return ``(added, already_stored)``.

        Commits every ``batch`` articles, so a long ingest interrupted half-way keeps what it
        read; with ``atomic``, one transaction for all (a file's articles are stored all or
        none: an error while reading them rolls back the file). The same text (same content
        hash) is never stored twice.
        """
        added = skipped = 0
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        rows = []

        def flush() -> int:
            before = self.db.total_changes
            self.db.executemany(
                "INSERT OR IGNORE INTO articles (id, external_id, url, title, outlet, published, "
                "date_method, text, origin, ingested_at, speaker) VALUES "
                "(?,?,?,?,?,?,?,?,?,?,?)", rows)
            n = self.db.total_changes - before
            if not atomic:
                self.db.commit()
            added_now = n, len(rows) - n
            rows.clear()
            return added_now

        try:
            for a in articles:
                rows.append((a.id, a.external_id, a.url, a.title, a.outlet, a.published,
                             a.date_method, a.text, a.origin, now, a.speaker))
                if len(rows) >= batch:
                    n, k = flush()
                    added, skipped = added + n, skipped + k
            if rows:
                n, k = flush()
                added, skipped = added + n, skipped + k
        except BaseException:
            self.db.rollback()
            raise
        self.db.commit()
        return added, skipped

    def article_text(self, article_id: str) -> str:
        row = self.db.execute("SELECT text FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            raise TrackerError(f"article {article_id!r} is not in {self.path}; "
                               "list articles with `tracker export statements`.")
        return row[0]

    def articles_to_extract(self, extractor: str, batch: int = 500
                            ) -> Iterator[tuple[str, str, str, str | None, str | None]]:
        """``(id, text, published, speaker, title)`` of the articles not yet extracted by
        ``extractor``, oldest first. Only the ids are read at once; texts come ``batch`` articles
        at a time, so a corpus of millions of articles is never held in memory (and the caller
        may store results between batches)."""
        ids = [r[0] for r in self.db.execute(
            f"SELECT id {_NOT_EXTRACTED} ORDER BY published, id", (extractor,))]
        for i in range(0, len(ids), batch):
            chunk = ids[i:i + batch]
            rows = {r[0]: r for r in self.db.execute(
                f"SELECT id, text, published, speaker, title FROM articles WHERE id IN "
                f"({','.join('?' * len(chunk))})", chunk)}
            yield from (rows[k] for k in chunk if k in rows)

    def n_articles_to_extract(self, extractor: str) -> int:
        """How many articles ``extractor`` has not extracted yet."""
        return self.db.execute(f"SELECT COUNT(*) {_NOT_EXTRACTED}", (extractor,)).fetchone()[0]

    # -- statements ---------------------------------------------------------------------------
    def save_statements(self, article_id: str, extractor: str,
                        statements: Sequence["Statement"], n_sentences: int | None = None,
                        n_sentences_with_country: int | None = None,
                        tones: Sequence[tuple[float, str, float]] = (),
                        model: str | None = None) -> None:
        """Store one article's statements and mark it extracted, in one transaction; with
        ``tones`` (one per statement) and ``model``, their scores too."""
        with self.db:
            self._save_one(article_id, extractor, statements, n_sentences,
                           n_sentences_with_country, tones, model)

    def save_extractions(self, extractor: str, model: str,
                         items: Sequence[tuple], cache: Sequence[tuple] = ()) -> int:
        """Store many articles' statements with their tones in one transaction (a shard of a
        distributed run): ``items`` are ``(article_id, statements, n_sentences,
        n_sentences_with_country, tones)``; ``cache`` ``(key, tone, label, confidence)`` rows of
        the tone cache. An article already extracted by ``extractor`` is left as it is, so
        taking a shard twice changes nothing. Returns the articles stored."""
        done = 0
        with self.db:
            for article_id, statements, n_sent, n_country, tones in items:
                if self.db.execute("SELECT 1 FROM extractions WHERE article_id = ? AND "
                                   "extractor = ?", (article_id, extractor)).fetchone():
                    continue
                self._save_one(article_id, extractor, statements, n_sent, n_country, tones,
                               model)
                done += 1
            self.db.executemany("INSERT OR REPLACE INTO tone_cache VALUES (?,?,?,?)", cache)
        return done

    def _save_one(self, article_id, extractor, statements, n_sentences,
                  n_sentences_with_country, tones, model) -> None:
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self.db.execute("DELETE FROM statements WHERE article_id=? AND extractor=? AND id "
                        "NOT IN (SELECT statement_id FROM scores)", (article_id, extractor))
        self.db.executemany(
            "INSERT OR IGNORE INTO statements (article_id, extractor, sentence_index, "
            "sentence_start, sentence_end, sentence, source, target, source_spans, "
            "target_spans, clause_start, clause_end, rule, source_text, target_text) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(article_id, extractor, s.sentence_index, s.sentence_start, s.sentence_end,
              s.sentence, s.source, s.target, json.dumps(s.source_spans),
              json.dumps(s.target_spans), s.clause_start, s.clause_end, s.rule,
              s.source_text, s.target_text) for s in statements])
        if tones:
            ids = {(i, src, tgt): sid for sid, i, src, tgt in self.db.execute(
                "SELECT id, sentence_index, source, target FROM statements WHERE "
                "article_id=? AND extractor=?", (article_id, extractor))}
            self.db.executemany(
                "INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?)",
                [(ids[(s.sentence_index, s.source, s.target)], model, t, lab, c)
                 for s, (t, lab, c) in zip(statements, tones, strict=True)])
        self.db.execute("INSERT OR REPLACE INTO extractions VALUES (?,?,?,?,?,?)",
                        (article_id, extractor, len(statements), now, n_sentences,
                         n_sentences_with_country))

    def statements_to_score(self, extractor: str, model: str, batch: int | None = None
                            ) -> Iterator[list[dict]] | list[dict]:
        """Statements of ``extractor`` without a score from ``model``, with their clause text and
        spans relative to the clause (what the tone model reads), in statement order.

        With ``batch``, an iterator of lists of at most ``batch`` statements: only the ids are
        read at once, and each article's text is read once per batch, so the memory stays
        bounded on any corpus. Without it, one list.
        """
        ids = [r[0] for r in self.db.execute(
            "SELECT s.id FROM statements s WHERE s.extractor = ? AND NOT EXISTS (SELECT 1 FROM "
            "scores c WHERE c.statement_id = s.id AND c.model = ?) ORDER BY s.id",
            (extractor, model))]
        if not batch:
            return self._clauses(ids)
        return (self._clauses(ids[i:i + batch]) for i in range(0, len(ids), batch))

    def n_statements_to_score(self, extractor: str, model: str) -> int:
        """How many statements of ``extractor`` have no score from ``model`` yet."""
        return self.db.execute(
            "SELECT COUNT(*) FROM statements s WHERE s.extractor = ? AND NOT EXISTS (SELECT 1 "
            "FROM scores c WHERE c.statement_id = s.id AND c.model = ?)",
            (extractor, model)).fetchone()[0]

    def _clauses(self, ids: Sequence[int]) -> list[dict]:
        out = []
        for i in range(0, len(ids), 500):
            chunk = list(ids[i:i + 500])
            rows = self.db.execute(
                "SELECT s.id, s.article_id, s.clause_start, s.clause_end, s.target_spans, "
                f"s.source_spans FROM statements s WHERE s.id IN ({','.join('?' * len(chunk))}) "
                "ORDER BY s.id", chunk).fetchall()
            need = sorted({r[1] for r in rows})
            texts = dict(self.db.execute(
                f"SELECT id, text FROM articles WHERE id IN ({','.join('?' * len(need))})",
                need)) if need else {}
            for sid, article_id, c0, c1, tspans, sspans in rows:
                out.append({"statement_id": sid, "text": texts[article_id][c0:c1],
                            "target_spans": clause_relative(json.loads(tspans), c0, c1),
                            "source_spans": clause_relative(json.loads(sspans), c0, c1)})
        return out

    def cached_tones(self, keys: Sequence[str]) -> dict[str, tuple[float, str, float]]:
        out = {}
        for i in range(0, len(keys), 500):
            chunk = list(keys[i:i + 500])
            q = ",".join("?" * len(chunk))
            for key, tone, label, conf in self.db.execute(
                    f"SELECT key, tone, label, confidence FROM tone_cache WHERE key IN ({q})",
                    chunk):
                out[key] = (tone, label, conf)
        return out

    def save_scores(self, model: str, rows: Sequence[tuple[int, str, float, str, float]]) -> None:
        """Store ``(statement_id, cache_key, tone, label, confidence)`` rows in one transaction."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO tone_cache VALUES (?,?,?,?)",
                                [(k, t, lab, c) for _, k, t, lab, c in rows])
            self.db.executemany("INSERT OR REPLACE INTO scores VALUES (?,?,?,?,?)",
                                [(sid, model, t, lab, c) for sid, _, t, lab, c in rows])

    # -- frames -------------------------------------------------------------------------------
    def statements_frame(self, extractor: str | None = None,
                         model: str | None = None) -> "pd.DataFrame":
        """Scored statements as the Statements DataFrame of ``docs/ARCHITECTURE.md``.

        With ``extractor``/``model`` None, the latest used (recorded by the pipeline).
        """
        import pandas as pd

        extractor = extractor or self.get_meta("extractor")
        model = model or self.get_meta("tone_model")
        cols = list(STATEMENT_COLUMNS) + ["sentence_index", "sentence_start", "sentence_end",
                                          "clause_start", "clause_end", "source_spans",
                                          "target_spans", "source_text", "target_text",
                                          "date_method", "outlet"]
        if extractor is None or model is None:
            return pd.DataFrame(columns=cols)
        frame = pd.read_sql_query(
            "SELECT s.id AS statement_id, s.article_id, a.published, s.source, s.target, "
            "c.tone, c.label, c.confidence, s.sentence, s.rule, a.url, a.title, a.external_id, "
            "s.sentence_index, s.sentence_start, s.sentence_end, s.clause_start, s.clause_end, "
            "s.source_spans, s.target_spans, s.source_text, s.target_text, a.date_method, "
            "a.outlet FROM statements s JOIN articles a ON a.id = s.article_id "
            "JOIN scores c ON c.statement_id = s.id AND c.model = ? WHERE s.extractor = ? "
            "ORDER BY a.published, s.article_id, s.sentence_index, s.id",
            self.db, params=(model, extractor))
        return self._dated(frame, "statements")

    def n_statements_between(self, first: str, last: str) -> int:
        """Scored statements (of the latest extractor and tone model) published from ``first``
        to ``last`` (``YYYY-MM-DD``, inclusive), counted without reading them."""
        extractor, model = self.get_meta("extractor"), self.get_meta("tone_model")
        if extractor is None or model is None:
            return 0
        return self.db.execute(
            "SELECT COUNT(*) FROM statements s JOIN articles a ON a.id = s.article_id "
            "JOIN scores c ON c.statement_id = s.id AND c.model = ? WHERE s.extractor = ? "
            "AND a.published BETWEEN ? AND ?", (model, extractor, first, last)).fetchone()[0]

    def articles_frame(self) -> "pd.DataFrame":
        """``article_id, external_id, url, title, outlet, published, date_method, origin,
        n_sentences, n_sentences_with_country`` (coverage under the latest extractor)."""
        import pandas as pd

        frame = pd.read_sql_query(
            "SELECT a.id AS article_id, a.external_id, a.url, a.title, a.outlet, a.published, "
            "a.date_method, a.origin, e.n_sentences, e.n_sentences_with_country FROM articles a "
            "LEFT JOIN extractions e ON e.article_id = a.id AND e.extractor = "
            "(SELECT value FROM meta WHERE key = 'extractor') ORDER BY a.published, a.id",
            self.db)
        return self._dated(frame, "articles")

    def _dated(self, frame, what: str):
        """``published`` as timestamps; rows whose stored date is outside the accepted range
        (stored by an older version, which took any date) are left out with a one-line
        warning, so such a database still opens and reports."""
        import sys

        import pandas as pd

        from tracker.ingest.dates import date_range

        first, last = date_range()
        text = frame["published"].astype(str)
        ok = text.between(first.isoformat(), last.isoformat()) & text.str.fullmatch(
            r"\d{4}-\d{2}-\d{2}")
        if not ok.all():
            bad = sorted(set(text[~ok]))
            print(f"warning: --db {self.path}: {int((~ok).sum())} {what} left out, dated "
                  f"{', '.join(bad[:3])}{' ...' if len(bad) > 3 else ''} (outside "
                  f"{first} to {last}); ingest those articles again with a correct date.",
                  file=sys.stderr)
            frame = frame[ok].reset_index(drop=True)
        frame["published"] = pd.to_datetime(frame["published"], format="%Y-%m-%d")
        return frame

    # -- bookkeeping --------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables."""
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("articles", "statements", "scores", "extractions", "events",
                          "pages")}


def clause_relative(spans: Sequence, c0: int, c1: int) -> tuple[tuple[int, int], ...]:
    """Article offsets ``[[start, end], ...]`` inside the clause ``[c0, c1)``, made
    clause-relative: what the tone model reads."""
    return tuple((a - c0, b - c0) for a, b in spans if c0 <= a and b <= c1)
