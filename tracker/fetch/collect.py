"""Collect: sources in, stored pages and articles out.

Takes :class:`~tracker.fetch.sources.Source` records and the store, and fetches, politely and
incrementally: a feed is asked for with a conditional GET (nothing comes back when it did not
change) and its items' pages are fetched only when new, when the feed says the item changed,
or when an earlier try failed; GDELT files give the links of the articles behind their
events; every body is kept raw in the store by canonical URL and content hash. Then each new
or changed page is read (main text, title, date, outlet, language) into an article through
the same cleaning as files, so re-reading stored pages with a better page reader needs no
network. One URL's failure never stops the others: it is reported, one line each.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from tracker.errors import check_interrupted
from tracker.fetch.sources import Source, Sources, is_url

#: The page reader's version: stored pages are read again (offline) when it changes.
PAGE_READER = "page-1"
#: GDELT files are data, not pages: a GKG file of 15 minutes is tens of MB unzipped.
GDELT_MAX_BYTES = 500_000_000


@dataclass
class FetchReport:
    """What one collection did."""

    sources: int = 0
    feeds: int = 0
    items: int = 0               # feed items and GDELT links seen
    requests: int = 0            # HTTP requests sent (robots.txt included)
    downloaded: int = 0          # bodies that came back (new or changed)
    bytes: int = 0
    not_modified: int = 0        # conditional GETs answered 304
    known: int = 0               # pages already stored and not asked for again
    refused: int = 0             # disallowed by robots.txt
    articles_added: int = 0
    duplicates: int = 0          # pages whose text another page already gave
    not_english: Counter = field(default_factory=Counter)
    unread: Counter = field(default_factory=Counter)   # pages that gave no article, and why
    failed: list[str] = field(default_factory=list)    # "URL: why", one per failed URL
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [f"fetch:   {self.sources} sources, {self.feeds} feeds with {self.items} items; "
               f"{self.downloaded} downloaded ({self.bytes / 1e6:.1f} MB), {self.not_modified} "
               f"unchanged (304), {self.known} already stored, {len(self.failed)} failed"
               + (f", {self.refused} refused by robots.txt" if self.refused else "")
               + f" ({self.seconds:.1f}s)",
               f"pages:   {self.articles_added} new articles, {self.duplicates} duplicates"]
        if self.not_english:
            out[-1] += ", not English (skipped for now): " + ", ".join(
                f"{n} {lang}" for lang, n in self.not_english.most_common())
        if self.unread:
            out[-1] += ", no article: " + ", ".join(
                f"{n} {why}" for why, n in self.unread.most_common())
        return out


def make_fetcher(settings: dict, polite: bool = True):
    """A :class:`~tracker.fetch.http.Fetcher` with the ``[fetch]`` settings."""
    from tracker.fetch.http import Fetcher

    kwargs = {"polite": polite, "delay": settings["delay"], "per_host": settings["per_host"],
              "workers": settings["workers"], "timeout": settings["timeout"],
              "retries": settings["retries"], "max_bytes": int(settings["max_mb"] * 1e6)}
    if settings.get("user_agent"):
        kwargs["user_agent"] = settings["user_agent"]
    return Fetcher(**kwargs)


def collect(store, sources: Sources, fetcher=None, refresh: bool = False,
            progress=None) -> FetchReport:
    """Fetch ``sources`` into ``store`` and read the new pages into articles.

    Parameters
    ----------
    store : Store
    sources : Sources
    fetcher : Fetcher, optional
        Made from ``sources.settings`` when not given.
    refresh : bool
        Ask again (conditionally) for pages already stored.
    progress : callable, optional
        ``progress(stage, done, total)``.

    Returns
    -------
    FetchReport
    """
    report = FetchReport(sources=len(sources.sources))
    own = fetcher is None
    fetcher = fetcher or make_fetcher(sources.settings)
    t = time.perf_counter()
    try:
        pages: dict[str, tuple[str, str | None, str | None]] = {}  # url -> (via, stamp, date)
        remote = [s for s in sources.sources if s.kind != "gdelt" or is_url(s.url)]
        for s in sources.sources:
            if s.kind == "gdelt" and not is_url(s.url):
                _gdelt_file(store, s, None, report, pages, fetcher)
        for big in (False, True):  # pages and feeds, then GDELT files (larger cap)
            todo = [(s.url, s) for s in remote if (s.kind == "gdelt") == big]
            for s, fetched in _fetch_all(store, fetcher, todo, "feed", report,
                                         GDELT_MAX_BYTES if big else None):
                _first_level(store, s, fetched, report, pages, fetcher)
        todo = []
        for url, (via, stamp, day) in pages.items():
            old = store.page_state(url)
            if old is not None and old["has_body"] and not refresh and (
                    stamp is None or old["stamp"] == stamp):
                report.known += 1
                continue
            todo.append((url, (via, stamp, day)))
        done = 0
        for _ in _fetch_all(store, fetcher, todo, "page", report):
            done += 1
            if progress is not None:
                progress("fetch", done, len(todo))
        report.articles_added += read_pages(store, report, pages)
    finally:
        report.requests = sum(fetcher.stats["requests"].values())
        if own:
            fetcher.close()
    report.seconds = time.perf_counter() - t
    return report


def _fetch_all(store, fetcher, todo, kind: str, report: FetchReport,
               max_bytes: int | None = None):
    """Fetch ``(url, payload)`` pairs (conditionally when stored), store each result, and
    yield ``(payload, fetched)`` for the successes."""
    from tracker.fetch.urls import canonical_url

    if not todo:
        return
    payload = {}
    requests = []
    for url, data in todo:
        payload[url] = data
        old = store.page_state(canonical_url(url))
        if old is not None and old["has_body"]:
            requests.append((url, old["etag"], old["last_modified"]))
        else:
            requests.append((url, None, None))
    for fetched in fetcher.fetch_many(requests, max_bytes=max_bytes):
        check_interrupted()
        data = payload[fetched.url]
        key = canonical_url(fetched.url)
        via, stamp = ((data.name, None) if isinstance(data, Source) else (data[0], data[1]))
        record_kind = kind if not isinstance(data, Source) else (
            "page" if data.kind == "page" else "feed")
        if fetched.error and "robots.txt" in fetched.error and "disallow" in fetched.error:
            report.refused += 1
            store.save_page(key, record_kind, fetched, via=via, stamp=stamp)
            continue
        if not fetched.ok:
            report.failed.append(f"{fetched.url}: {fetched.error}")
            store.save_page(key, record_kind, fetched, via=via, stamp=stamp)
            continue
        if fetched.not_modified:
            report.not_modified += 1
        else:
            report.downloaded += 1
            report.bytes += len(fetched.body)
        store.save_page(key, record_kind, fetched, via=via, stamp=stamp)
        yield data, fetched


def _first_level(store, source: Source, fetched, report, pages, fetcher) -> None:
    """A source's own document: a feed gives its items, a GDELT file its links, a page is a
    page (already stored)."""
    from tracker.fetch.feeds import looks_like_feed, read_feed
    from tracker.fetch.urls import canonical_url

    key = canonical_url(source.url)
    body, content_type = fetched.body, fetched.content_type
    if fetched.not_modified:  # a 304: the stored copy
        stored = store.page(key) or {}
        body, content_type = stored.get("body"), stored.get("content_type")
    if body is None:
        return
    if source.kind == "gdelt":
        _gdelt_file(store, source, body, report, pages, fetcher)
        return
    if source.kind == "page" or (source.kind == "auto" and not looks_like_feed(
            body, content_type)):
        if source.kind == "auto":
            store.set_page_kind(key, "page")
        return
    report.feeds += 1
    items = read_feed(body, fetched.final_url or source.url)
    limit = source.options.get("max_items")
    for item in items[:limit] if limit else items:
        report.items += 1
        url = canonical_url(item.url)
        if url not in pages:
            pages[url] = (source.name, item.stamp, item.published)


def _gdelt_file(store, source: Source, body, report, pages, fetcher) -> None:
    """A GDELT file (or a list of them, such as ``lastupdate.txt``) gives article links."""
    from tracker.errors import TrackerError
    from tracker.events import gdelt_links
    from tracker.fetch.urls import canonical_url

    opts = source.options
    files = [(source.url, body)]
    if body is not None and _is_file_list(body):
        listed = [line.split()[-1] for line in body.decode("utf-8", "replace").splitlines()
                  if line.strip() and f".{opts['kind']}." in line.lower()]
        listed = sorted(listed)[-opts.get("files", 1):]
        # GDELT's files never change once published: one already stored is not asked again.
        files = [(u, store.page(canonical_url(u))["body"]) for u in listed
                 if (store.page_state(canonical_url(u)) or {}).get("has_body")]
        todo = [(u, (source.name, None)) for u in listed if u not in dict(files)]
        files += [(f.url, f.body) for _, f in _fetch_all(store, fetcher, todo, "data", report,
                                                         GDELT_MAX_BYTES)]
    links = []
    for name, data in files:
        try:
            links += gdelt_links(data if data is not None else name, kind=opts["kind"],
                                 countries=set(opts.get("countries") or []) or None,
                                 start=opts.get("since"), end=opts.get("until"),
                                 themes=set(opts.get("themes") or []) or None, name=name)
        except TrackerError as exc:
            report.failed.append(f"{name}: {exc}")
    limit = opts.get("max_links")
    for link in links[:limit] if limit else links:
        report.items += 1
        url = canonical_url(link.url)
        if url not in pages:
            pages[url] = (source.name, None, link.published)


def _is_file_list(body: bytes) -> bool:
    """GDELT's ``lastupdate.txt`` / ``masterfilelist.txt``: lines of size, hash, URL."""
    head = body[:400].decode("utf-8", "replace").strip().splitlines()[:3]
    return bool(head) and all(len(line.split()) == 3 and line.split()[-1].startswith("http")
                              for line in head)


def read_pages(store, report: FetchReport | None = None,
               dates: dict | None = None) -> int:
    """Read every stored page not yet read by this page reader into an article (no network:
    the raw bodies are in the store). Returns the number of new articles."""
    from tracker.errors import TrackerError
    from tracker.fetch.http import decode
    from tracker.fetch.page import extract_page, is_english
    from tracker.ingest.articles import page_article

    report = report if report is not None else FetchReport()
    added = 0
    for url in store.pages_to_read(PAGE_READER):
        check_interrupted()
        rec = store.page(url)
        text, _ = decode(rec["body"], rec["charset"], rec["content_type"])
        page = extract_page(text, rec["final_url"] or url)
        if not page.text.strip():
            report.unread["no text"] += 1
            store.set_page_article(url, PAGE_READER, "no text")
            continue
        if not is_english(page):
            lang = page.language or "unknown language"
            report.not_english[lang] += 1
            store.set_page_article(url, PAGE_READER, f"not English ({lang})")
            continue
        feed_date = (dates or {}).get(url, (None, None, None))[2] or _stamp_day(rec["stamp"])
        try:
            article = page_article(page, url, feed_date)
        except TrackerError as exc:
            why = str(exc).split(": ", 1)[-1].split(";")[0]
            report.unread[why] += 1
            store.set_page_article(url, PAGE_READER, why)
            continue
        other = store.page_giving(article.id, url)
        if other:
            report.duplicates += 1
            store.set_page_article(url, PAGE_READER, f"same text as {other}", article)
            continue
        if store.set_page_article(url, PAGE_READER, "article", article):
            added += 1
        else:
            report.duplicates += 1
    return added


def _stamp_day(stamp: str | None) -> str | None:
    from tracker.ingest.dates import parse_date

    if not stamp:
        return None
    try:
        return parse_date(stamp).isoformat()
    except (ValueError, OverflowError):
        return None
