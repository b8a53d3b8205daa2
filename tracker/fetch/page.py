"""A fetched web page -> its article text and metadata (title, date, outlet, language, URL).

Takes the decoded HTML of one page and the URL it was fetched from; gives a :class:`Page`. The
text is the article's main text only, as paragraphs separated by ``"\\n\\n"``; it is not cleaned
here: the caller passes it through :func:`tracker.ingest.clean_text` like any other article.

The main text comes from trafilatura (precision first, no comments, no tables, no links); when it
finds nothing usable, from the tracker's own :func:`tracker.ingest.html.html_to_text` run on the
page's ``<article>`` (or ``<main>``) with obvious furniture pruned. The publication date comes only
from the page's metadata or its URL, never from its text and never from the clock: a news page
whose date cannot be read is better left undated (ingest then asks for ``--date`` or reads the
date from the text, saying so) than dated today.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

#: ``<meta>`` names (property, name or itemprop, lower case) that carry a publication date, tried
#: in order after ``article:published_time``, JSON-LD and ``<time datetime>``.
DATE_META = ("og:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
             "dcterms.created", "dcterms.date", "pubdate", "publishdate", "publish-date",
             "publish_date", "publication_date", "article.published", "parsely-pub-date",
             "sailthru.date", "cxenseparse:recs:publishtime")
#: Elements with one of these words in their class or id (``share-tools``, ``main_nav``) are
#: page furniture, dropped before the fallback reads the article (trafilatura has its own list).
FURNITURE_WORDS = frozenset((
    "share", "sharing", "social", "related", "recommended", "cookie", "cookies", "consent",
    "newsletter", "subscribe", "comment", "comments", "promo", "ad", "ads", "advert", "sidebar",
    "breadcrumb", "breadcrumbs", "byline", "tags", "footer", "nav", "navbar", "menu"))
#: Common short words per language, for a guess when the page does not say its language.
STOPWORDS = {
    "en": "the of and to in a is that for on with as was by it said at from his be have has are "
          "an not were this which but who its their they had been after will would",
    "fr": "le la les de des du et un une est que qui dans pour sur au aux par pas avec il elle "
          "ne se sont ont été cette ces son sa ses leur nous vous mais",
    "es": "el la los las de del y que en un una es por con para no se su al lo como más pero "
          "sus le ha fue este esta entre",
    "de": "der die das und ist nicht mit von zu den des dem ein eine im auf für sich auch es "
          "wird bei als nach aus wie dass",
    "it": "il lo la gli le di del della e che è un una per con non si da al dei nel sono ha "
          "anche come più",
    "pt": "o a os as de do da dos das e que em um uma para com não por se na no ao mais foi "
          "como mas",
}
_STOPWORDS = {lang: frozenset(words.split()) for lang, words in STOPWORDS.items()}
#: Pages longer than this are cut before parsing: a 20 MB page took 25 s to extract, 5 MB
#: take about 3 s, and a news article's HTML, scripts included, is far shorter.
MAX_HTML_CHARS = 5_000_000
_MIN_TEXT = 80          # characters: shorter than this, trafilatura's text is not trusted
_MIN_GUESS_WORDS = 20   # fewer words than this: too little text to guess a language from
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]([01]?\d)[/-]([0-3]?\d)(?=[/._-]|$)")
_LANG = re.compile(r"[a-z]{2,3}(?=$|[-_])")
_NAME_WORDS = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Page:
    """One web page's article, as extracted by :func:`extract_page`.

    Attributes
    ----------
    title : str or None
    text : str
        The article's main text, paragraphs separated by ``"\\n\\n"``; not yet cleaned.
    published : str or None
        ``"YYYY-MM-DD"`` from the page's metadata or URL, as written (not shifted to UTC).
    outlet : str or None
        ``og:site_name``, else the host name.
    language : str or None
        ISO 639-1 code (``"en"``, ``"fr"``), declared by the page or guessed from its text.
    canonical_url : str or None
        ``<link rel="canonical">`` or ``og:url``, made absolute.
    method : str
        ``"trafilatura"`` or ``"fallback"`` (the tracker's own HTML reader).
    """

    title: str | None
    text: str
    published: str | None
    outlet: str | None
    language: str | None
    canonical_url: str | None
    method: str


def extract_page(html: str, url: str, content_language: str | None = None) -> Page:
    """Extract the article and its metadata from one HTML page.

    Parameters
    ----------
    html : str
        The page, already decoded; only its first :data:`MAX_HTML_CHARS` characters are read.
    url : str
        The URL the page was fetched from (after redirects); relative canonical links are
        resolved against it, and its path is the last place a date is looked for.
    content_language : str, optional
        The response's ``Content-Language`` header.

    Returns
    -------
    Page

    Examples
    --------
    >>> html = ('<html lang="en"><head><title>Talks resume</title>'
    ...         '<meta property="article:published_time" content="2025-03-14T20:30:26Z"></head>'
    ...         '<body><nav><a href="/">Home</a></nav><article><h1>Talks resume</h1>'
    ...         '<p>Negotiators from both countries met again on Friday in Geneva.</p>'
    ...         '</article></body></html>')
    >>> page = extract_page(html, "https://news.example/a/1.html")
    >>> page.title, page.published, page.outlet, page.language
    ('Talks resume', '2025-03-14', 'news.example', 'en')
    >>> page.text, page.method
    ('Negotiators from both countries met again on Friday in Geneva.', 'trafilatura')
    """
    html = html[:MAX_HTML_CHARS]
    tree = _parse(html)
    meta = _meta(tree) if tree is not None else {}
    document = _trafilatura(tree, url) if tree is not None else None
    title = (getattr(document, "title", None) or meta.get("og:title") or meta.get("h1")
             or meta.get("title"))
    title = " ".join(title.split()) if title else None
    headlines = {title, meta.get("h1")}
    text = _without_headline(_paragraphs(getattr(document, "text", None) or ""), headlines)
    method = "trafilatura"
    if len(text) < _MIN_TEXT:
        fallback = _fallback_text(tree, html)
        if len(fallback) > len(text):
            text, method = fallback, "fallback"
    canonical = meta.get("canonical") or meta.get("og:url")
    canonical = urljoin(url, canonical) if canonical else None
    return Page(
        title=title,
        text=text,
        published=_published(tree, meta, url, canonical) if tree is not None else _url_date(url),
        outlet=meta.get("og:site_name") or urlsplit(url).hostname,
        language=(_language_code(meta.get("html_lang")) or _language_code(content_language)
                  or _language_code(meta.get("og:locale")) or guess_language(text)),
        canonical_url=canonical,
        method=method,
    )


def is_english(page: Page) -> bool:
    """Whether the page is in English (the only language the extractors read).

    Examples
    --------
    >>> is_english(Page(None, "", None, None, "fr", None, "fallback"))
    False
    """
    return page.language == "en"


def guess_language(text: str) -> str | None:
    """The language whose common short words make up most of ``text``, or None.

    A cheap guess for pages that do not declare their language: at least 20 words, and the
    winning language's stopwords at least 15% of them.

    Examples
    --------
    >>> guess_language("Le ministre a rencontré son homologue pour parler de la paix et des "
    ...                "sanctions, mais les deux pays ne sont pas d'accord sur le calendrier.")
    'fr'
    """
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < _MIN_GUESS_WORDS:
        return None
    counts = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    best = max(counts, key=counts.get)
    return best if counts[best] >= 0.15 * len(words) else None


def _parse(html: str):
    from trafilatura.utils import load_html

    return load_html(html)


def _trafilatura(tree, url: str):
    from trafilatura import bare_extraction

    # The date trafilatura finds is not used (see _published): htmldate falls back to dates
    # written in the text even without its extensive search. Its cheapest search is asked for.
    return bare_extraction(
        tree, url=url, favor_precision=True, include_comments=False, include_tables=False,
        include_links=False, include_images=False, with_metadata=True, deduplicate=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def _without_headline(text: str, headlines: set[str | None]) -> str:
    first, _, rest = text.partition("\n\n")
    return rest if rest and first in headlines else text


def _fallback_text(tree, html: str) -> str:
    from tracker.ingest.html import html_to_text

    if tree is not None:
        import lxml.html

        body = next((found[0] for path in ("//article", "//main", "//*[@role='main']", "//body")
                     if (found := tree.xpath(path))), tree)
        # copy: the tree is shared with the metadata readers
        body = lxml.html.fromstring(lxml.html.tostring(body, encoding="unicode"))
        # the headline is the page's title, not its text
        furniture = [element for element in body.iter("*")
                     if element.tag == "h1" or FURNITURE_WORDS.intersection(_NAME_WORDS.findall(
                         f"{element.get('class', '')} {element.get('id', '')}".lower()))]
        for element in furniture:
            if element.getparent() is not None:
                element.drop_tree()  # keeps the text that follows the element
        html = lxml.html.tostring(body, encoding="unicode")
    text, _ = html_to_text(html)
    return _paragraphs(text.replace("\n\n", "\n"))


def _meta(tree) -> dict[str, str]:
    """The metadata fields the page declares, first occurrence of each (lower-case keys)."""
    found: dict[str, str] = {}

    def keep(key: str, value: str | None) -> None:
        if key and value and value.strip():
            found.setdefault(key, value.strip())

    for element in tree.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "")
        keep(key.strip().lower(), element.get("content"))
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split():
            keep("canonical", element.get("href"))
    root = tree.getroottree().getroot()
    keep("html_lang", root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang"))
    for tag in ("title", "h1"):
        element = next(tree.iter(tag), None)
        if element is not None:
            keep(tag, " ".join(element.text_content().split()))
    return found


def _published(tree, meta: dict[str, str], url: str, canonical: str | None) -> str | None:
    candidates = [meta.get("article:published_time"), _json_ld_date(tree), _time_date(tree)]
    candidates += [meta.get(key) for key in DATE_META]
    for value in candidates:
        if value and (day := _parse_date(value)):
            return day
    return _url_date(url) or (_url_date(canonical) if canonical else None)


def _parse_date(value: str) -> str | None:
    from tracker.ingest.dates import parse_date

    try:
        return parse_date(value).isoformat()
    except (ValueError, OverflowError):
        return None


def _json_ld_date(tree) -> str | None:
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text_content())
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if isinstance(item.get("datePublished"), str):
                    return item["datePublished"]
                stack.extend(v for v in item.values() if isinstance(v, (list, dict)))
    return None


def _time_date(tree) -> str | None:
    # A <time> marked as the publication date wins; else the first one in the article; else the
    # first outside the page's navigation, asides and footer (those date other stories).
    for path in ("//time[@datetime][@itemprop='datePublished' or @pubdate]",
                 "//article//time[@datetime]",
                 "//time[@datetime][not(ancestor::nav or ancestor::aside or ancestor::footer)]"):
        for element in tree.xpath(path):
            return element.get("datetime")
    return None


def _url_date(url: str) -> str | None:
    match = _URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    return _parse_date("{}-{:0>2}-{:0>2}".format(*match.groups()))


def _language_code(value: str | None) -> str | None:
    if not value:
        return None
    match = _LANG.match(value.split(",")[0].strip().lower())
    return match.group(0) if match else None
