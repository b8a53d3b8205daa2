"""A local news site for the fetch tests, built from real articles.

The articles come from ``../shared/data`` (Voice of America stories, White House statements, State
Department press releases), read when a test runs; none of their text lives in the repository.
Each is served as a realistic page (menus, related stories, share buttons, a cookie banner, a
footer around the article body) in one of three templates, with its date in a different place
(``article:published_time``, JSON-LD, ``<time datetime>``, the URL path, or nowhere), and listed
in an RSS and an Atom feed. Beside them the site has the paths a crawler must survive:

==========================  =====================================================================
``/feeds/world.rss``        RSS 2.0: about half the articles, ``/flaky``, ``/wrong-charset``,
                            ``/no-charset``, the page that changes, the private article (that
                            robots.txt forbids) and ``/missing`` (a stale item, 404)
``/feeds/politics.atom``    Atom: the other half, ``/moved``, ``/broken`` (500), the French page,
                            and the first article again with ``utm_*`` tracking parameters
``/robots.txt``             ``Disallow: /private/``
``/private/...``            a real article that a polite crawler never fetches
``/moved``                  301 (absolute Location) -> ``/moved-2``, 302 (relative) -> an article
``/missing``                404
``/broken``                 500, every time
``/flaky``                  503 (``Retry-After: 1``) on the first request, then the article
``/hang``                   never answers (until :meth:`Site.stop`, which does not wait for it)
``/wrong-charset``          header says utf-8, bytes are cp1252 (``<meta charset=windows-1252>``)
``/no-charset``             utf-8 bytes, no charset in the header, only ``<meta charset>``
``/huge``                   a 20 MB page, streamed, never gzipped
``/fr/...``                 a French article (``<html lang="fr">``), for the non-English skip
==========================  =====================================================================

Articles and feeds carry an ETag and a Last-Modified and answer 304 to ``If-None-Match`` /
``If-Modified-Since``; they are gzipped for clients that accept it (``Site(gzip=False)`` turns that
off). :meth:`Site.change` gives a page new text, a new ETag and a later Last-Modified.

Tests import it as ``newssite`` (pytest puts ``tests/`` on the path).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import gzip as gzip_module
import hashlib
import html
import json
import random
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

NAV_LABELS = ("Home", "World", "Politics", "Business", "Technology", "Science", "Health",
              "Opinion", "Video", "Podcasts", "Newsletters", "Subscribe", "Sign in")
SHARE_LABELS = ("Share on Facebook", "Share on X", "Share on LinkedIn", "Email this story",
                "Copy link", "Print this page")
#: Text of the page furniture that must never reach an article's extracted text.
FURNITURE_PHRASES = (
    "We use cookies to improve your experience on our site",
    "Accept all cookies", "Manage preferences",
    "Related stories", "Subscribe to our daily briefing for the top stories in your inbox",
    "All rights reserved", "Terms of use", "Privacy policy", "Contact us",
    "An official website of the United States government", "Here is how you know",
    "Skip to main content", "Most read this week",
) + SHARE_LABELS
HUGE_BYTES = 20 * 2**20
HANG_SECONDS = 120.0  # far past any client timeout; stop() ends it at once
DATE_STYLES = ("meta", "jsonld", "time", "url", "none")

# Written for these tests (not a real article): the French page of the non-English skip.
FRENCH_ARTICLE = {
    "title": "Les ministres européens relancent le dialogue avec leurs voisins du Sud",
    "text": (
        "Les ministres des Affaires étrangères de l'Union européenne se sont réunis mardi à "
        "Bruxelles pour discuter d'un nouveau cadre de coopération avec les pays de la rive sud "
        "de la Méditerranée. Plusieurs délégations ont insisté sur la nécessité de renouer un "
        "dialogue politique interrompu depuis plusieurs mois.\n\n"
        "Selon un diplomate présent à la réunion, les discussions ont porté sur la sécurité "
        "régionale, la gestion des frontières et les échanges commerciaux. « Nous voulons des "
        "engagements concrets, pas seulement des déclarations », a-t-il déclaré à la presse à "
        "l'issue de la séance.\n\n"
        "Les ministres doivent se retrouver le mois prochain afin de préparer un sommet qui "
        "réunira les chefs d'État et de gouvernement. D'ici là, les ambassadeurs poursuivront "
        "les consultations avec leurs homologues, dans un climat que tous décrivent comme plus "
        "apaisé qu'au début de l'année."
    ),
    "published": "2025-03-11",
    "datetime": "2025-03-11T16:05:00+01:00",
    "path": "/fr/2025/03/11/dialogue-mediterranee.html",
    "outlet": "Le Courrier diplomatique",
    "template": "french",
    "language": "fr",
    "date_style": "meta",
}


# ---------------------------------------------------------------------------------------------
# Articles from ../shared/data

def _slug(title: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:limit].strip("-")


def _voa_paragraphs(text: str, per: int = 3) -> str:
    """VOA stories come as one block: give them paragraphs of ``per`` sentences."""
    sentences = re.split(r"(?:(?<=[.!?])|(?<=[.!?][\"”’]))\s+(?=[\"“‘A-Z])", " ".join(text.split()))
    return "\n\n".join(" ".join(sentences[i:i + per]) for i in range(0, len(sentences), per))


def _dated_path(prefix: str, day: str, slug: str, style: str, suffix: str = ".html") -> str:
    if style == "url":
        return f"{prefix}/{day.replace('-', '/')}/{slug}{suffix}"
    return f"{prefix}/{slug}{suffix}"


def voa_articles(n: int, seed: int = 0, *, min_words: int = 250) -> list[dict]:
    """``n`` real Voice of America stories of at least ``min_words`` words, in a seeded order.

    Each is a dict with ``title``, ``text`` (paragraphs of three sentences, as the stories come
    without breaks), ``published`` (``YYYY-MM-DD``), ``datetime`` (as the metadata gives it),
    ``path``, ``outlet``, ``author``, ``section``, ``template`` and ``date_style`` (cycling through
    ``meta``, ``jsonld``, ``time``, ``url``).
    """
    with open(SHARED_DATA / "voa" / "voa_stories.jsonl", encoding="utf-8") as fh:
        stories = [json.loads(line) for line in fh]
    stories = [s for s in stories if len(s["text"].split()) >= min_words]
    random.Random(seed).shuffle(stories)
    if n > len(stories):
        raise ValueError(f"n={n}: only {len(stories)} VOA stories have {min_words}+ words")
    articles = []
    for i, story in enumerate(stories[:n]):
        style = DATE_STYLES[i % 4]
        day = story["published"][:10]
        articles.append({
            "title": story["title"],
            "text": _voa_paragraphs(story["text"]),
            "published": day,
            "datetime": story["published"].replace(" ", "T"),
            "path": _dated_path("/a", day, f"{_slug(story['title'])}-{story['id']}", style),
            "outlet": "Voice of America",
            "author": story.get("author") or "",
            "section": story.get("section") or "World",
            "template": ("wire", "magazine")[i % 2],
            "date_style": style,
        })
    return articles


_LIST_LIKE = re.compile(r"\s*(?:[-+#|>]|\*\s|\d+\.\s)")


def _official_paragraphs(text: str) -> list[str] | None:
    paragraphs = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    if paragraphs and paragraphs[0] == "Office of the Spokesperson":  # the byline, shown as such
        paragraphs = paragraphs[1:]
    if any(_LIST_LIKE.match(p) or "[" in p for p in paragraphs):
        return None
    paragraphs = [re.sub(r"\*+", "", p).strip() for p in paragraphs]  # markdown emphasis
    if len(paragraphs) < 3 or any(len(p.split()) < 6 for p in paragraphs):
        return None
    return paragraphs


def _official_items(name: str, wanted: int) -> list[dict]:
    """Every 50th statement of ``name`` fit for a page (prose paragraphs, 150-700 words)."""
    found, seen = [], 0
    with gzip_module.open(SHARED_DATA / name, "rt", encoding="utf-8") as fh:
        for line in fh:
            item = json.loads(line)
            if "emergency" in item["title"].lower():  # yearly, formulaic notices
                continue
            paragraphs = _official_paragraphs(item["text"])
            if not paragraphs or not 150 <= sum(len(p.split()) for p in paragraphs) <= 700:
                continue
            seen += 1
            if seen % 50 == 1:
                found.append({**item, "paragraphs": paragraphs})
                if len(found) == wanted:
                    break
    return found


def official_articles(n: int) -> list[dict]:
    """``n`` real White House statements and State Department press releases (alternating).

    Same fields as :func:`voa_articles`, template ``gov``; the fourth of every five has no date
    anywhere on its page (``date_style`` ``none``, ``published`` None: the expected answer).
    """
    house = _official_items("whitehouse/statements_2021_2026.jsonl.gz", (n + 1) // 2)
    state = _official_items("state_dept/press_releases_2021_2022.jsonl.gz", n // 2)
    items = [x for pair in zip(house, state + [None]) for x in pair if x is not None][:n]
    articles = []
    for i, item in enumerate(items):
        style = ("meta", "jsonld", "time", "none", "url")[i % 5]
        white_house = item["id"].startswith("wh-")
        prefix = "/briefing-room/statements-releases" if white_house else "/press-releases"
        articles.append({
            "title": " ".join(item["title"].split()),
            "text": "\n\n".join(item["paragraphs"]),
            "published": item["published"] if style != "none" else None,
            "datetime": f"{item['published']}T10:00:00-05:00",
            "path": _dated_path(prefix, item["published"], _slug(item["title"]), style, "/"),
            "outlet": "The White House" if white_house else "U.S. Department of State",
            "author": "" if white_house else "Office of the Spokesperson",
            "section": "Statements and Releases" if white_house else "Press Releases",
            "template": "gov",
            "date_style": style,
        })
    return articles


def _scenario_articles(taken: set[str]) -> dict[str, dict]:
    """The real articles behind ``/wrong-charset``, ``/no-charset`` and ``/private/``; the private
    one is the last VOA story whose title is not in ``taken``."""
    readout = ("wh-2021-01-23-readout-of-president-joe-biden-call-with-president-andres-manuel-"
               "lopez-obrador-of-mexico")
    appointment = "statepr-246642"  # "... Charge d'affaires ...": an accent and a curly quote
    picked = {}
    for name, wanted in (("whitehouse/statements_2021_2026.jsonl.gz", readout),
                         ("state_dept/press_releases_2021_2022.jsonl.gz", appointment)):
        with gzip_module.open(SHARED_DATA / name, "rt", encoding="utf-8") as fh:
            for line in fh:
                if f'"id": "{wanted}"' in line:
                    picked[wanted] = json.loads(line)
                    break
    scenarios = {}
    for key, item, extra in (
        ("wrong-charset", picked[readout],
         {"encoding": "windows-1252", "content_type": "text/html; charset=utf-8"}),
        ("no-charset", picked[appointment], {"encoding": "utf-8", "content_type": "text/html"}),
    ):
        paragraphs = [" ".join(p.split()) for p in item["text"].split("\n\n") if p.strip()]
        white_house = item["id"].startswith("wh-")
        if not white_house and paragraphs[0] == "Office of the Spokesperson":
            paragraphs = paragraphs[1:]
        scenarios[key] = {
            "title": " ".join(item["title"].split()), "text": "\n\n".join(paragraphs),
            "published": item["published"], "datetime": f"{item['published']}T09:30:00-05:00",
            "path": f"/{key}", "outlet": "The White House" if white_house
            else "U.S. Department of State", "author": "" if white_house
            else "Office of the Spokesperson", "section": "Statements and Releases",
            "template": "gov", "date_style": "meta", **extra,
        }
    with open(SHARED_DATA / "voa" / "voa_stories.jsonl", encoding="utf-8") as fh:
        stories = [json.loads(line) for line in fh]
    story = next(s for s in reversed(stories)
                 if s["title"] not in taken and len(s["text"].split()) >= 200)
    scenarios["private"] = {
        "title": story["title"], "text": _voa_paragraphs(story["text"]),
        "published": story["published"][:10], "datetime": story["published"].replace(" ", "T"),
        "path": f"/private/{_slug(story['title'])}.html", "outlet": "Voice of America",
        "author": story.get("author") or "", "section": story.get("section") or "World",
        "template": "wire", "date_style": "meta",
    }
    return scenarios


# ---------------------------------------------------------------------------------------------
# Pages

def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _date_head(article: dict) -> str:
    style, stamp = article.get("date_style", "meta"), article.get("datetime")
    if style == "meta":
        modified = article.get("modified") or stamp
        return (f'<meta property="article:published_time" content="{_e(stamp)}">\n'
                f'<meta property="article:modified_time" content="{_e(modified)}">')
    if style == "jsonld":
        data = {"@context": "https://schema.org", "@type": "NewsArticle",
                "headline": article["title"], "datePublished": stamp,
                "author": {"@type": "Person", "name": article.get("author") or article["outlet"]},
                "publisher": {"@type": "Organization", "name": article["outlet"]}}
        return f'<script type="application/ld+json">{json.dumps(data)}</script>'
    return ""


def _visible_date(article: dict) -> str:
    if article.get("date_style") != "time":
        return ""
    day = dt.date.fromisoformat(article["published"])
    return f'<time datetime="{_e(article["datetime"])}">{day:%B} {day.day}, {day.year}</time>'


def _body(article: dict) -> str:
    return "\n".join(f"<p>{_e(p)}</p>" for p in article["text"].split("\n\n"))


def _related(article: dict) -> str:
    return "\n".join(f'<li><a href="{_e(path)}">{_e(title)}</a></li>'
                     for title, path in article["related"])


def _nav(tag: str = "nav", cls: str = "main-nav") -> str:
    links = "".join(f'<li><a href="/{label.lower().replace(" ", "-")}/">{label}</a></li>'
                    for label in NAV_LABELS)
    return f'<{tag} class="{cls}"><ul>{links}</ul></{tag}>'


def _share(tag: str = "div") -> str:
    items = "".join(f'<a class="share-button" href="#share">{label}</a>' for label in SHARE_LABELS)
    return f'<{tag} class="share-tools">{items}</{tag}>'


_COOKIES = ('<div id="cookie-banner" class="cookie-consent" role="dialog"><p>We use cookies to '
            'improve your experience on our site. By continuing to browse, you agree to our use '
            'of cookies.</p><button>Accept all cookies</button><button>Manage preferences</button>'
            '</div>')


def _footer(outlet: str) -> str:
    return (f'<footer class="site-footer"><ul><li><a href="/about/">About {_e(outlet)}</a></li>'
            '<li><a href="/contact/">Contact us</a></li><li><a href="/terms/">Terms of use</a></li>'
            '<li><a href="/privacy/">Privacy policy</a></li></ul>'
            f'<p>&copy; 2025 {_e(outlet)}. All rights reserved.</p></footer>')


def _head(article: dict, url: str, canonical: str) -> str:
    charset = article.get("encoding", "utf-8")
    return f"""<head>
<meta charset="{charset}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(article['title'])} | {_e(article['outlet'])}</title>
<meta property="og:site_name" content="{_e(article['outlet'])}">
<meta property="og:title" content="{_e(article['title'])}">
<meta property="og:type" content="article">
<meta property="og:url" content="{_e(url)}">
<meta name="description" content="{_e(article['text'][:150])}">
{_date_head(article)}
<link rel="canonical" href="{_e(canonical)}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"page": "article"}});</script>
</head>"""


def _wire(article: dict, url: str) -> str:
    """A wire-service layout: <nav> in a <header>, <main><article>, related stories in <aside>."""
    author = f'<p class="byline">By {_e(article["author"])}</p>' if article.get("author") else ""
    return f"""<!DOCTYPE html>
<html lang="{article.get('language', 'en')}">
{_head(article, url, url)}
<body>
{_COOKIES}
<a class="skip" href="#content">Skip to main content</a>
<header class="site-header"><a class="logo" href="/">{_e(article['outlet'])}</a>{_nav()}</header>
<main id="content">
<article>
<header><p class="section"><a href="/{_slug(article.get('section', 'world'))}/">{_e(article.get('section', ''))}</a></p>
<h1>{_e(article['title'])}</h1>{author}{_visible_date(article)}</header>
{_share()}
<div class="article-body">
{_body(article)}
</div>
</article>
<aside class="related"><h2>Related stories</h2><ul>{_related(article)}</ul></aside>
</main>
{_footer(article['outlet'])}
</body>
</html>"""


def _magazine(article: dict, url: str) -> str:
    """A magazine layout: divs only, a menu that is not a <nav>, a newsletter box inside the story,
    share links below it, a relative canonical link."""
    path = urlsplit(url).path
    paragraphs = article["text"].split("\n\n")
    middle = max(1, len(paragraphs) // 2)
    promo = ('<div class="inline-promo newsletter-signup"><p>Subscribe to our daily briefing for '
             'the top stories in your inbox.</p><a href="/newsletters/">Sign up</a></div>')
    body = ("\n".join(f"<p>{_e(p)}</p>" for p in paragraphs[:middle]) + promo
            + "\n".join(f"<p>{_e(p)}</p>" for p in paragraphs[middle:]))
    author = f'<span class="author">{_e(article["author"])}</span>' if article.get("author") else ""
    most_read = "".join(f'<li><a href="{_e(p)}">{_e(t)}</a></li>' for t, p in article["related"][:3])
    return f"""<!DOCTYPE html>
<html lang="{article.get('language', 'en')}">
{_head(article, url, path)}
<body class="story-page">
<div class="top-bar"><a href="/">{_e(article['outlet'])}</a>{_nav('div', 'top-menu')}</div>
<div class="page-wrap">
<div class="story">
<div class="story-header"><h1 class="headline">{_e(article['title'])}</h1>
<div class="meta">{author} {_visible_date(article)}</div></div>
<div class="story-body">
{body}
</div>
{_share('ul')}
<section class="related-coverage"><h3>Related stories</h3><ul>{_related(article)}</ul></section>
</div>
<div class="sidebar"><h3>Most read this week</h3><ol>{most_read}</ol></div>
</div>
{_footer(article['outlet'])}
{_COOKIES}
</body>
</html>"""


def _gov(article: dict, url: str) -> str:
    """A government layout: the official-site banner, breadcrumbs, <main> with a page title."""
    kicker = f'<p class="kicker">{_e(article["author"])}</p>' if article.get("author") else ""
    return f"""<!DOCTYPE html>
<html lang="{article.get('language', 'en-US')}">
{_head(article, url, url)}
<body>
<section class="usa-banner"><p>An official website of the United States government</p>
<button>Here is how you know</button></section>
<header class="header"><a href="/">{_e(article['outlet'])}</a>{_nav()}</header>
<div class="breadcrumbs"><a href="/">Home</a> &rsaquo; <a href="/briefing-room/">{_e(article.get('section', ''))}</a></div>
<main id="main-content">
<article class="post">
<h1 class="page-title">{_e(article['title'])}</h1>
{kicker}{_visible_date(article)}
<section class="body-content">
{_body(article)}
</section>
{_share()}
</article>
<section class="related-posts"><h2>Related stories</h2><ul>{_related(article)}</ul></section>
</main>
{_footer(article['outlet'])}
{_COOKIES}
</body>
</html>"""


def _french(article: dict, url: str) -> str:
    links = "".join(f'<li><a href="/{w.lower()}/">{w}</a></li>'
                    for w in ("Accueil", "Monde", "Politique", "Économie", "Culture", "S'abonner"))
    return f"""<!DOCTYPE html>
<html lang="fr">
{_head(article, url, url)}
<body>
<div class="bandeau-cookies"><p>Nous utilisons des cookies pour améliorer votre expérience.</p>
<button>Tout accepter</button></div>
<header><nav><ul>{links}</ul></nav></header>
<main><article><h1>{_e(article['title'])}</h1>
{_body(article)}
</article>
<aside><h2>À lire aussi</h2><ul>{_related(article)}</ul></aside></main>
<footer><p>&copy; 2025 {_e(article['outlet'])}. Tous droits réservés.</p></footer>
</body>
</html>"""


TEMPLATES = {"wire": _wire, "magazine": _magazine, "gov": _gov, "french": _french}


def _huge_page(size: int) -> bytes:
    head = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>A very long page'
            '</title></head><body><article><h1>A very long page</h1>')
    filler = ("<p>This paragraph is one of many that make this page far larger than any news "
              "article, so that a client must stop reading it at its size limit.</p>\n")
    count = max(0, size - len(head) - 30) // len(filler) + 1
    page = (head + filler * count + "</article></body></html>").encode("ascii")
    return page[:size] if len(page) > size else page


# ---------------------------------------------------------------------------------------------
# The server

class _Resource:
    """One response body with its validators."""

    def __init__(self, body: bytes, content_type: str, modified: float, compress: bool = True):
        self.body = body
        self.content_type = content_type
        self.modified = int(modified)
        self.etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        self.gzipped = gzip_module.compress(body, mtime=0) if compress else None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a request stuck in /hang must not hold up stop()
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that went away
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without this, Nagle's algorithm and the
    # client's delayed ACK hold every kept-alive response back by 40 ms.
    disable_nagle_algorithm = True
    site: Site  # set on the per-site subclass

    def log_message(self, format, *args):  # the request log is Site.requests
        pass

    def do_GET(self):
        self.site._answer(self, head=False)

    def do_HEAD(self):
        self.site._answer(self, head=True)


class Site:
    """A news site on 127.0.0.1 (``http.server`` in a thread), built from real articles.

    Parameters
    ----------
    articles : list of dict
        Each with ``title``, ``text`` (paragraphs separated by ``"\\n\\n"``), ``published``
        (``YYYY-MM-DD``, or None when the page shows no date), ``path`` and ``outlet``; optional
        ``datetime`` (the metadata's timestamp), ``date_style`` (``meta``, ``jsonld``, ``time``,
        ``url``, ``none``), ``template`` (``wire``, ``magazine``, ``gov``), ``author``,
        ``section``. At least six, so that each page has five related stories. The scenario
        pages (``/flaky``, the redirect target, the charset pages, the private and the French
        article) are added from ``articles`` and ``../shared/data``.
    gzip : bool
        Gzip articles and feeds for clients that send ``Accept-Encoding: gzip``.
    huge_bytes : int
        Size of ``/huge``.

    Attributes
    ----------
    articles : list of dict
        Every article page with what an extractor should find on it: ``title``, ``text``,
        ``published`` (None where the page has no date), ``outlet``, ``language``, ``path``,
        plus ``related`` ((headline, path) pairs shown beside it), ``template``,
        ``date_style``, ``feeds`` (the feeds listing it) and ``private``.
    requests : list of (float, str, str, dict)
        ``(time.monotonic(), method, path with query, headers with lower-case names)`` of every
        request, in arrival order.
    flaky_path, redirect_target, changing_path, private_path, french_path, shared_path : str
        The paths of the scenario articles (``shared_path``: the story in both feeds).
    """

    def __init__(self, articles: list[dict], *, gzip: bool = True, huge_bytes: int = HUGE_BYTES,
                 latency: float = 0.0):
        if len(articles) < 6:
            raise ValueError(f"articles: {len(articles)} given; a site needs at least 6")
        self.gzip = gzip
        self.huge_bytes = huge_bytes
        self.latency = latency  # seconds each answer waits, as a distant server would
        self.requests: list[tuple[float, str, str, dict]] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._flaky_failures = 1
        self._huge: bytes | None = None

        main = [dict(a) for a in articles]
        for article in main:
            article.setdefault("date_style", "meta")
            article.setdefault("template", "wire")
            article.setdefault("language", "en")
            article.setdefault("datetime", f"{article['published']}T12:00:00Z"
                               if article.get("published") else None)
        main[-2]["path"] = "/flaky"
        if main[-2]["date_style"] == "url":
            main[-2]["date_style"] = "meta"
        scenarios = _scenario_articles({a['title'] for a in main})
        self.shared_path = main[0]["path"]
        self.changing_path = main[1]["path"]
        self.flaky_path = main[-2]["path"]
        self.redirect_target = main[-1]["path"]
        self.private_path = scenarios["private"]["path"]
        self.french_path = FRENCH_ARTICLE["path"]
        extra = [scenarios["wrong-charset"], scenarios["no-charset"], scenarios["private"],
                 dict(FRENCH_ARTICLE)]
        self.articles = main + extra
        for i, article in enumerate(self.articles):
            others = [a for a in main if a["path"] != article["path"]]
            start = i % len(others)
            article["related"] = [(a["title"], a["path"]) for a in (others[start:] + others)[:5]]
            article["private"] = article["path"] == self.private_path
            article.setdefault("encoding", "utf-8")
            article.setdefault("language", "en")
            article["version"] = 0
            article["modified_at"] = self._timestamp(article)
        # feeds: alternate halves; the first article in both; the scenario pages spread out
        for i, article in enumerate(main):
            article["feeds"] = ["world.rss"] if i % 2 == 0 else ["politics.atom"]
        main[0]["feeds"] = ["world.rss", "politics.atom"]
        main[1]["feeds"] = ["world.rss"]
        main[-2]["feeds"] = ["world.rss"]
        main[-1]["feeds"] = ["politics.atom"]  # listed as /moved
        for article in extra:
            article["feeds"] = ["politics.atom"] if article["language"] == "fr" else ["world.rss"]
        self._pages: dict[str, _Resource] = {}
        self._render_all()

    # -- public ---------------------------------------------------------------------------------

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this site (its port is bound when the site is made;
        a site serves once: after :meth:`stop` it cannot start again)."""
        if self._server is None:
            self._bind()
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def start(self) -> Site:
        if self._stopping.is_set():
            raise RuntimeError("this Site was stopped; make a new one")
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            kwargs={"poll_interval": 0.05}, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests still waiting in ``/hang`` are released, not waited for."""
        self._stopping.set()
        if self._server is not None:
            if self._thread is not None:
                self._server.shutdown()
                self._thread.join(timeout=5)
            self._server.server_close()
        self._thread = None

    def __enter__(self) -> Site:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def article(self, path: str) -> dict:
        """The fixture article served at ``path``."""
        for article in self.articles:
            if article["path"] == path:
                return article
        raise KeyError(path)

    def page_html(self, path: str) -> str:
        """The current HTML of an article page, decoded (what a correct client reads)."""
        article = self.article(path)
        return self._pages[path].body.decode(article["encoding"])

    def change(self, path: str, new_text: str) -> None:
        """Give the article at ``path`` new text: the next GET gets the new page, a new ETag and
        a later Last-Modified, and the feeds listing it show it as updated."""
        with self._lock:
            article = self.article(path)
            article["text"] = new_text
            article["version"] += 1
            article["modified_at"] = max(int(time.time()), article["modified_at"] + 1)
            article["modified"] = _iso(article["modified_at"])
            self._render_all()

    def feed_links(self, feed: str) -> list[str]:
        """The item links of ``feed`` (``"world.rss"`` or ``"politics.atom"``), absolute."""
        return [self.url(path) for path, _ in self._feed_items(feed)]

    def fetches(self, path: str) -> int:
        """How many GET requests ``path`` (query included, if given) has had."""
        with self._lock:
            return sum(1 for _, method, p, _ in self.requests
                       if method == "GET" and (p == path or p.split("?")[0] == path))

    # -- rendering ------------------------------------------------------------------------------

    @staticmethod
    def _timestamp(article: dict) -> int:
        stamp = article.get("datetime") or "2025-01-01T00:00:00Z"
        return int(dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp())

    def _bind(self) -> None:
        handler = type("SiteHandler", (_Handler,), {"site": self})
        self._server = _Server(("127.0.0.1", 0), handler)

    def _render_all(self) -> None:
        # absolute URLs need the port: bind before rendering
        pages = {}
        for article in self.articles:
            url = self.url(article["path"])
            text = TEMPLATES[article["template"]](article, url)
            body = text.encode(article["encoding"], errors="xmlcharrefreplace")
            content_type = article.get("content_type") or f"text/html; charset={article['encoding']}"
            pages[article["path"]] = _Resource(body, content_type, article["modified_at"])
        for feed, kind in (("world.rss", "application/rss+xml"),
                           ("politics.atom", "application/atom+xml")):
            items = self._feed_items(feed)
            modified = max(article.get("modified_at", 0) for _, article in items)
            body = (self._rss(items) if feed.endswith(".rss") else self._atom(items))
            pages[f"/feeds/{feed}"] = _Resource(body.encode("utf-8"), f"{kind}; charset=utf-8",
                                                modified)
        self._pages = pages

    def _feed_items(self, feed: str) -> list[tuple[str, dict]]:
        items = []
        for article in self.articles:
            if feed not in article.get("feeds", ()):
                continue
            path = article["path"]
            if path == self.redirect_target:
                path = "/moved"
            elif path == self.shared_path and feed == "politics.atom":
                path += "?utm_source=newsletter&utm_medium=email&utm_campaign=politics"
            items.append((path, article))
        stale = {"title": "A story that was taken down", "text": "Removed.", "datetime":
                 "2025-03-01T08:00:00Z", "modified_at": 0}
        broken = {"title": "A story on a failing server", "text": "Error.", "datetime":
                  "2025-03-02T08:00:00Z", "modified_at": 0}
        items.append(("/missing", stale) if feed == "world.rss" else ("/broken", broken))
        return items

    def _rss(self, items) -> str:
        entries = []
        for path, article in items:
            stamp = article.get("datetime") or "2025-01-01T00:00:00Z"
            when = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            entries.append(
                f"<item><title>{_e(article['title'])}</title><link>{_e(self.url(path))}</link>"
                f"<guid isPermaLink=\"true\">{_e(self.url(path))}</guid>"
                f"<pubDate>{email.utils.format_datetime(when)}</pubDate>"
                f"<description>{_e(article['text'][:200])}</description></item>")
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
                f"<title>World</title><link>{_e(self.url('/'))}</link>"
                "<description>World news</description>" + "".join(entries) + "</channel></rss>")

    def _atom(self, items) -> str:
        entries, latest = [], "2025-01-01T00:00:00Z"
        for path, article in items:
            published = article.get("datetime") or "2025-01-01T00:00:00Z"
            updated = article.get("modified") or published
            latest = max(latest, updated)
            entries.append(
                f"<entry><title>{_e(article['title'])}</title>"
                f'<link rel="alternate" href="{_e(self.url(path))}"/>'
                f"<id>{_e(self.url(path))}</id><published>{_e(published)}</published>"
                f"<updated>{_e(updated)}</updated>"
                f"<summary>{_e(article['text'][:200])}</summary></entry>")
        return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>Politics</title><id>{_e(self.url('/feeds/politics.atom'))}</id>"
                f"<updated>{_e(latest)}</updated>"
                f'<link rel="self" href="{_e(self.url("/feeds/politics.atom"))}"/>'
                + "".join(entries) + "</feed>")

    # -- answering ------------------------------------------------------------------------------

    def _answer(self, handler: _Handler, head: bool) -> None:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append((time.monotonic(), handler.command, handler.path, headers))
        if self.latency:
            time.sleep(self.latency)
        path = urlsplit(handler.path).path
        try:
            if path == "/hang":
                self._stopping.wait(HANG_SECONDS)
                handler.close_connection = True
                return
            if path == "/robots.txt":
                return self._send(handler, 200, b"User-agent: *\nDisallow: /private/\n",
                                  {"Content-Type": "text/plain"}, head)
            if path == "/moved":
                return self._send(handler, 301, b"", {"Location": self.url("/moved-2")}, head)
            if path == "/moved-2":
                return self._send(handler, 302, b"", {"Location": self.redirect_target}, head)
            if path == "/broken":
                return self._send(handler, 500, b"Internal Server Error",
                                  {"Content-Type": "text/plain"}, head)
            if path == "/huge":
                return self._send_huge(handler, head)
            if path == self.flaky_path:
                with self._lock:
                    failing, self._flaky_failures = self._flaky_failures > 0, self._flaky_failures - 1
                if failing:
                    return self._send(handler, 503, b"Service Unavailable",
                                      {"Content-Type": "text/plain", "Retry-After": "1"}, head)
            with self._lock:
                resource = self._pages.get(path)
            if resource is None:
                return self._send(handler, 404, b"Not Found", {"Content-Type": "text/plain"}, head)
            self._send_resource(handler, resource, headers, head)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True  # the client gave up: nothing to do

    def _send_resource(self, handler, resource: _Resource, headers: dict, head: bool) -> None:
        validators = {"ETag": resource.etag,
                      "Last-Modified": email.utils.formatdate(resource.modified, usegmt=True)}
        if _not_modified(resource, headers):
            return self._send(handler, 304, b"", validators, head)
        out = {"Content-Type": resource.content_type, "Vary": "Accept-Encoding", **validators}
        body = resource.body
        if self.gzip and resource.gzipped and "gzip" in headers.get("accept-encoding", ""):
            body, out["Content-Encoding"] = resource.gzipped, "gzip"
        self._send(handler, 200, body, out, head)

    @staticmethod
    def _send(handler, status: int, body: bytes, headers: dict, head: bool) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        if status != 304:
            handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if not head and status != 304:
            handler.wfile.write(body)

    def _send_huge(self, handler, head: bool) -> None:
        with self._lock:
            if self._huge is None:
                self._huge = _huge_page(self.huge_bytes)
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(self._huge)))
        handler.end_headers()
        if head:
            return
        view = memoryview(self._huge)
        for start in range(0, len(view), 2**20):
            if self._stopping.is_set():
                handler.close_connection = True
                return
            handler.wfile.write(view[start:start + 2**20])


def _iso(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _not_modified(resource: _Resource, headers: dict) -> bool:
    if "if-none-match" in headers:  # it wins over If-Modified-Since (RFC 9110, 13.2.2)
        tags = [t.strip().removeprefix("W/") for t in headers["if-none-match"].split(",")]
        return "*" in tags or resource.etag in tags
    if "if-modified-since" in headers:
        try:
            since = email.utils.parsedate_to_datetime(headers["if-modified-since"]).timestamp()
        except (TypeError, ValueError, IndexError):
            return False
        return resource.modified <= since
    return False
