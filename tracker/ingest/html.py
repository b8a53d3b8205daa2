"""HTML pages -> visible article text and a few metadata fields (title, date, URL, outlet)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

class _HTMLText(HTMLParser):
    """Collect the visible article text and a few metadata fields from an HTML page."""

    SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "template",
            "svg", "form", "button", "iframe"}
    BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
             "article", "main", "blockquote", "pre", "table", "tr", "figure", "figcaption",
             "dl", "dt", "dd", "hr", "body", "title"}
    DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate",
                 "publish-date", "date", "dc.date", "dc.date.issued", "parsely-pub-date")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities come out unescaped
        self.parts: list[str] = []
        self.skip_depth = 0
        self.in_title = False
        self.in_h1 = False
        self.page_title = ""
        self.h1 = ""
        self.h1_done = False
        self.meta: dict[str, str] = {}
        self.time_datetime: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag in self.SKIP:
            self.skip_depth += 1
        elif tag == "meta":
            key = (attr.get("property") or attr.get("name") or attr.get("itemprop") or "").lower()
            if key and attr.get("content"):
                self.meta.setdefault(key, attr["content"].strip())
        elif tag == "link" and attr.get("rel", "").lower() == "canonical" and attr.get("href"):
            self.meta.setdefault("canonical", attr["href"].strip())
        elif tag == "time" and attr.get("datetime") and self.time_datetime is None and not self.skip_depth:
            self.time_datetime = attr["datetime"].strip()
        if tag == "title":
            self.in_title = True
        elif tag == "h1" and not self.skip_depth:
            self.in_h1 = True
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <meta/>: never opens a skipped region, so only its other effects apply
        if tag in self.SKIP:
            return
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        if tag == "title":
            self.in_title = False
        elif tag == "h1" and self.in_h1:
            self.in_h1 = False
            self.h1_done = bool(self.h1.strip())
        if tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page_title += data
            return
        if self.skip_depth:
            return
        if self.in_h1 and not self.h1_done:
            self.h1 += data
        # whitespace inside HTML text is layout, not structure; blocks make the paragraphs
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> tuple[str, dict[str, str | None]]:
    """Extract visible text and metadata from an HTML page.

    Parameters
    ----------
    html : str
        The page.

    Returns
    -------
    text : str
        Visible text without script, style, nav, header, footer and aside; block elements become
        blank-line paragraph breaks; entities are unescaped. Not yet cleaned (see :func:`clean_text`).
    meta : dict
        ``title`` (first ``<h1>``, else ``<title>``), ``published`` (``article:published_time``
        or similar ``<meta>``, else the first ``<time datetime>``), ``url`` and ``outlet``.

    Examples
    --------
    >>> text, meta = html_to_text("<title>T</title><nav>Home</nav><p>Hi &amp; bye</p>")
    >>> text.strip(), meta["title"]
    ('Hi & bye', 'T')
    """
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    published = next((parser.meta[k] for k in _HTMLText.DATE_META if parser.meta.get(k)), None)
    title = " ".join(parser.h1.split()) or " ".join(parser.page_title.split()) or None
    meta = {
        "title": title,
        "published": published or parser.time_datetime,
        "url": parser.meta.get("og:url") or parser.meta.get("canonical"),
        "outlet": parser.meta.get("og:site_name"),
    }
    return "".join(parser.parts), meta
