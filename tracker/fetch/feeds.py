"""Feeds: an RSS or Atom document in, the links of its items out.

Takes the bytes of a feed as fetched (feedparser reads RSS 0.9x-2.0, RSS 1.0 and Atom, and
copes with the usual breakage) and gives :class:`FeedItem` records: the item's link made
absolute, its title, its date and a stamp that changes when the publisher updates the item
(Atom ``updated``, else the date), so a changed item is fetched again and an unchanged one
never is.
"""
from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from urllib.parse import urljoin


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed.

    Attributes
    ----------
    url : str
        The item's link, absolute.
    title : str or None
    published : str or None
        ``YYYY-MM-DD`` (UTC) of the item's publication date, where the feed gives one.
    stamp : str
        The item's ``updated`` (else ``published``) as the feed writes it and a hash of its
        title and summary: a change means the publisher changed the item (RSS has no
        ``updated``; a changed story usually has a changed summary).
    """

    url: str
    title: str | None
    published: str | None
    stamp: str | None


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml",
               "application/xml", "text/xml", "application/feed+json")


def looks_like_feed(body: bytes, content_type: str | None) -> bool:
    """Whether a fetched document is a feed rather than a page: a feed media type, or an XML
    document whose root is ``rss``, ``feed`` or ``RDF``."""
    if content_type and content_type.lower() in _FEED_TYPES[:3]:
        return True
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<!doctype html") or head.startswith(b"<html"):
        return False
    if content_type and content_type.lower() not in _FEED_TYPES:
        return False
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def read_feed(body: bytes, url: str) -> list[FeedItem]:
    """The items of a feed, in the feed's order, one per link.

    Parameters
    ----------
    body : bytes
        The feed as fetched.
    url : str
        Where it came from (relative links are resolved against it).

    Returns
    -------
    list of FeedItem
        Empty for a feed without items; items without a link are left out.

    Examples
    --------
    >>> rss = (b'<rss version="2.0"><channel><title>t</title><item><title>A</title>'
    ...        b'<link>/a</link><pubDate>Fri, 14 Mar 2025 20:30:26 GMT</pubDate></item>'
    ...        b'</channel></rss>')
    >>> read_feed(rss, "https://news.example/feed")[0].url
    'https://news.example/a'
    """
    import feedparser

    parsed = feedparser.parse(body)
    items, seen = [], set()
    for entry in parsed.entries:
        link = entry.get("link") or next(
            (x.get("href") for x in entry.get("links", []) if x.get("href")), None)
        if not link:
            continue
        link = urljoin(url, link.strip())
        if link in seen:
            continue
        seen.add(link)
        # Plain dict reads: feedparser's own mapping of a missing "updated" to "published"
        # warns on every item.
        when = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
        published = (dt.datetime.fromtimestamp(calendar.timegm(when), dt.timezone.utc)
                     .date().isoformat() if when else None)
        items.append(FeedItem(url=link, title=(entry.get("title") or "").strip() or None,
                              published=published,
                              stamp=_stamp(entry)))
    return items


def _stamp(entry) -> str:
    import hashlib

    when = dict.get(entry, "updated") or dict.get(entry, "published") or ""
    said = f"{entry.get('title', '')}\n{entry.get('summary', '')}".encode("utf-8", "replace")
    return f"{when}|{hashlib.sha256(said).hexdigest()[:12]}"
