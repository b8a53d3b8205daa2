"""The store's fetched pages: raw bodies by canonical URL, what each gave, and the articles
they gave, replaced together when a page changes."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from tracker.ingest import Article


class PageTables:
    """The ``pages`` table (mixed into :class:`~tracker.store.Store`)."""

    def page(self, url: str) -> dict | None:
        """The stored record of a fetched URL (canonical), body decompressed; None if never
        fetched."""
        import zlib

        cur = self.db.execute("SELECT * FROM pages WHERE url = ?", (url,))
        row = cur.fetchone()
        if row is None:
            return None
        rec = dict(zip([c[0] for c in cur.description], row))
        rec["body"] = zlib.decompress(rec["body"]) if rec["body"] is not None else None
        return rec

    def page_state(self, url: str) -> dict | None:
        """What a fetch needs to know of a stored URL, without its body: ``has_body``,
        ``stamp``, ``etag``, ``last_modified``; None if never fetched."""
        row = self.db.execute("SELECT body IS NOT NULL, stamp, etag, last_modified FROM pages "
                              "WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None
        return dict(zip(("has_body", "stamp", "etag", "last_modified"), row))

    def save_page(self, url: str, kind: str, fetched, via: str | None = None,
                  stamp: str | None = None) -> bool:
        """Record a fetch of ``url`` (canonical) from a :class:`~tracker.fetch.http.Fetched`:
        a new body replaces the stored one and marks the page to be read again (the article
        it gave is replaced when it is); a 304 or a failure only updates when it was asked for, keeping the stored body.
        Returns whether the stored body changed."""
        import hashlib
        import zlib

        old = self.db.execute("SELECT body_hash FROM pages WHERE url = ?", (url,)).fetchone()
        now = fetched.fetched_at
        with self.db:
            if fetched.ok and not fetched.not_modified:
                digest = hashlib.sha256(fetched.body).hexdigest()
                changed = old is None or old[0] != digest
                self.db.execute(
                    "INSERT INTO pages (url, kind, final_url, status, content_type, charset, "
                    "etag, last_modified, body, body_hash, fetched_at, checked_at, stamp, via, "
                    "outcome) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL) ON CONFLICT (url) DO "
                    "UPDATE SET kind=excluded.kind, final_url=excluded.final_url, "
                    "status=excluded.status, content_type=excluded.content_type, "
                    "charset=excluded.charset, etag=excluded.etag, "
                    "last_modified=excluded.last_modified, body=excluded.body, "
                    "body_hash=excluded.body_hash, fetched_at=excluded.fetched_at, "
                    "checked_at=excluded.checked_at, stamp=excluded.stamp, "
                    "via=coalesce(pages.via, excluded.via)"
                    + (", outcome=NULL, reader=NULL" if changed else ""),
                    (url, kind, fetched.final_url, fetched.status, fetched.content_type,
                     fetched.charset, fetched.etag, fetched.last_modified,
                     zlib.compress(fetched.body, 6), digest, now, now, stamp, via))
                return changed
            if old is None:  # a failure before anything was stored: remember why
                self.db.execute(
                    "INSERT INTO pages (url, kind, final_url, status, fetched_at, checked_at, "
                    "stamp, via, outcome) VALUES (?,?,?,?,?,?,?,?,?)",
                    (url, kind, fetched.final_url, fetched.status, now, now, stamp, via,
                     fetched.error))
            else:
                self.db.execute("UPDATE pages SET checked_at = ?, stamp = coalesce(?, stamp)"
                                + ("" if fetched.ok else ", outcome = coalesce(outcome, ?)")
                                + " WHERE url = ?",
                                (now, stamp, url) if fetched.ok else (now, stamp,
                                                                      fetched.error, url))
        return False

    def set_page_kind(self, url: str, kind: str) -> None:
        """Record what a URL turned out to be (``"page"`` or ``"feed"``)."""
        with self.db:
            self.db.execute("UPDATE pages SET kind = ? WHERE url = ?", (kind, url))

    def page_giving(self, article_id: str, other_than: str) -> str | None:
        """Another stored page (URL) that gives ``article_id``, if any."""
        row = self.db.execute("SELECT url FROM pages WHERE article_id = ? AND url != ? "
                              "ORDER BY fetched_at, url LIMIT 1",
                              (article_id, other_than)).fetchone()
        return row[0] if row else None

    def pages_to_read(self, reader: str) -> list[str]:
        """URLs of stored page bodies not yet read by page reader ``reader`` (new or changed
        pages, or all of them after the reader changed)."""
        return [r[0] for r in self.db.execute(
            "SELECT url FROM pages WHERE kind = 'page' AND body IS NOT NULL AND "
            "(reader IS NULL OR reader != ?) ORDER BY fetched_at, url", (reader,))]

    def set_page_article(self, url: str, reader: str, outcome: str,
                         article: "Article | None" = None) -> bool:
        """Record what reading the page gave, in one transaction with its article: a page's
        earlier article (an older version of a changed page) goes, with its statements and
        scores, unless another page still gives it. Returns whether the article was new."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self.db:
            old = self.db.execute("SELECT article_id FROM pages WHERE url = ?",
                                  (url,)).fetchone()
            old_id = old[0] if old else None
            added = False
            if article is not None:
                before = self.db.total_changes
                self.db.execute(
                    "INSERT OR IGNORE INTO articles (id, external_id, url, title, outlet, "
                    "published, date_method, text, origin, ingested_at, speaker) VALUES "
                    "(?,?,?,?,?,?,?,?,?,?,?)",
                    (article.id, article.external_id, article.url, article.title,
                     article.outlet, article.published, article.date_method, article.text,
                     article.origin, now, article.speaker))
                added = self.db.total_changes > before
            new_id = article.id if article is not None else None
            self.db.execute("UPDATE pages SET article_id = ?, outcome = ?, reader = ? "
                            "WHERE url = ?", (new_id, outcome, reader, url))
            if old_id and old_id != new_id and not self.db.execute(
                    "SELECT 1 FROM pages WHERE article_id = ?", (old_id,)).fetchone():
                self._drop_article(old_id)
        return added

    def _drop_article(self, article_id: str) -> None:
        """Remove an article and everything derived from it (inside the caller's
        transaction)."""
        self.db.execute("DELETE FROM scores WHERE statement_id IN (SELECT id FROM statements "
                        "WHERE article_id = ?)", (article_id,))
        for table in ("statements", "extractions"):
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
        self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
