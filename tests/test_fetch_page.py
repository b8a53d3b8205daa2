"""Page extraction (tracker/fetch/page.py) on a local news site built from real articles."""
from __future__ import annotations

import email.utils
import gzip
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from html import unescape

import newssite as news_site
import pytest

from tracker.fetch import page as page_module
from tracker.fetch.page import Page, extract_page, guess_language, is_english
from tracker.ingest.clean import normalise_quotes




def _norm(text: str) -> str:
    return " ".join(normalise_quotes(text).split())


def _get(url: str, headers: dict | None = None, method: str = "GET", timeout: float = 5):
    """(status, headers, body) of one request, without raising on 3xx-5xx; gzip undone."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, head, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        status, head, body = err.code, err.headers, err.read()
    if head.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return status, head, body


def _decode(body: bytes, content_type: str) -> str:
    """The header's charset if the bytes are valid in it, else the page's <meta charset>."""
    declared = re.search(r"charset=([\w-]+)", content_type or "")
    meta = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", body[:4096], re.I)
    for charset in (declared and declared.group(1), meta and meta.group(1).decode()):
        if charset:
            try:
                return body.decode(charset)
            except (UnicodeDecodeError, LookupError):
                continue
    return body.decode("utf-8", errors="replace")


@pytest.fixture(scope="module")
def site(shared_data):
    with news_site.Site(news_site.voa_articles(20) + news_site.official_articles(5)) as running:
        yield running


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Page]:
    """Every article page, fetched over HTTP (half of them gzipped) and extracted."""
    found = {}
    for i, article in enumerate(site.articles):
        url = site.url(article["path"])
        if article["private"]:  # robots.txt forbids it: read it from the site, not over HTTP
            html = site.page_html(article["path"])
        else:
            status, head, body = _get(url, {"Accept-Encoding": "gzip"} if i % 2 else {})
            if status == 503:  # /flaky
                status, head, body = _get(url)
            assert status == 200, (url, status)
            html = _decode(body, head.get("Content-Type"))
        found[article["path"]] = extract_page(html, url, head.get("Content-Language"))
    return found


def _problems(site, pages, check) -> list[str]:
    return [f"{path}: {msg}" for path, page in pages.items()
            for msg in check(site.article(path), page)]


# ---------------------------------------------------------------------------------------------
# Extraction on every fixture page

def test_the_fixture_has_every_kind_of_page(site):
    articles = site.articles
    assert len(articles) == 29
    assert {a["template"] for a in articles} == {"wire", "magazine", "gov", "french"}
    assert {a["date_style"] for a in articles} == {"meta", "jsonld", "time", "url", "none"}
    assert {a["outlet"] for a in articles} >= {"Voice of America", "The White House",
                                               "U.S. Department of State"}


def test_every_page_gives_its_title_date_outlet_and_canonical_url(site, pages):
    def check(article, page):
        for field, want in (("title", article["title"]), ("published", article["published"]),
                            ("outlet", article["outlet"]),
                            ("canonical_url", site.url(article["path"]))):
            if getattr(page, field) != want:
                yield f"{field} {getattr(page, field)!r}, want {want!r}"

    assert _problems(site, pages, check) == []


def test_every_page_gives_every_paragraph_of_its_article(site, pages):
    def check(article, page):
        text = _norm(page.text)
        for paragraph in article["text"].split("\n\n"):
            if _norm(paragraph) not in text:
                yield f"missing paragraph {paragraph[:60]!r}"
        if page.method != "trafilatura":
            yield f"method {page.method}"

    assert _problems(site, pages, check) == []


def _furniture(article, page):
    text = _norm(page.text)
    for phrase in news_site.FURNITURE_PHRASES:
        if phrase in text and phrase not in article["text"]:
            yield f"furniture {phrase!r}"
    for headline, _ in article["related"]:
        if _norm(headline) in text:
            yield f"related headline {headline!r}"
    for paragraph in page.text.split("\n\n"):
        if paragraph.strip() in news_site.NAV_LABELS + news_site.SHARE_LABELS + (article["title"],):
            yield f"menu, share or headline line {paragraph!r}"


def test_no_page_text_has_menus_related_links_share_buttons_cookies_or_footer(site, pages):
    # the furniture is on every English page, so the check below can fail
    for article in site.articles:
        html = unescape(site.page_html(article["path"]))
        if article["language"] == "en":
            for phrase in ("Related stories", "Share on Facebook", "We use cookies",
                           "All rights reserved", "Subscribe"):
                assert phrase in html, (article["path"], phrase)
        assert all(headline in html for headline, _ in article["related"])
    assert _problems(site, pages, _furniture) == []


def test_languages_and_the_french_page_is_not_english(site, pages):
    french = pages[site.french_path]
    assert (french.language, is_english(french)) == ("fr", False)
    others = [p for path, p in pages.items() if path != site.french_path]
    assert [p.language for p in others] == ["en"] * len(others)
    assert all(is_english(p) for p in others)


def test_charset_pages_keep_their_accents(site, pages):
    readout = pages["/wrong-charset"]
    assert "Andrés Manuel López Obrador" in readout.title
    assert "López Obrador" in readout.text and "Ã" not in readout.text
    assert "Chargé d’" in pages["/no-charset"].title


def test_fallback_reads_every_page_when_trafilatura_gives_nothing(site, monkeypatch):
    monkeypatch.setattr(page_module, "_trafilatura", lambda tree, url: None)
    problems = []
    for article in site.articles:
        page = extract_page(site.page_html(article["path"]), site.url(article["path"]))
        text = _norm(page.text)
        problems += [f"{article['path']}: missing {p[:50]!r}" for p in article["text"].split("\n\n")
                     if _norm(p) not in text]
        problems += [f"{article['path']}: {m}" for m in _furniture(article, page)]
        if (page.method, page.title, page.published) != ("fallback", article["title"],
                                                         article["published"]):
            problems.append(f"{article['path']}: {page.method}, {page.title!r}, {page.published}")
    assert problems == []


def test_fallback_takes_over_from_a_table_layout():
    # tables are left out of trafilatura's text, so an old table-laid page gives it nothing
    paragraphs = [f"The foreign ministers met on Tuesday to discuss the border dispute, round {i}."
                  for i in range(4)]
    html = ("<html><head><title>Border talks</title></head><body><table><tr><td><h1>Border talks"
            "</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</td></tr></table></body></html>")
    page = extract_page(html, "https://old.example/news/border")
    assert page.method == "fallback"
    assert page.text.split("\n\n") == paragraphs
    assert (page.title, page.outlet, page.language) == ("Border talks", "old.example", "en")


def test_no_date_is_invented(site, pages):
    undated = [a["path"] for a in site.articles if a["date_style"] == "none"]
    assert undated and [pages[path].published for path in undated] == [None] * len(undated)
    # dates in the text, the footer and a related story's <time> are not the page's date
    html = ("<html><head><title>Envoys meet</title></head><body><article><h1>Envoys meet</h1>"
            "<p>On Sunday, March 3, 2024, the envoys met in Doha, as agreed on 2024-02-28.</p>"
            "<p>They will meet again before the end of the year, officials said on Monday.</p>"
            "</article><aside><a href='/b'>Other story</a> <time datetime='2023-05-01'>May 1</time>"
            "</aside><footer>Copyright 2025</footer></body></html>")
    assert extract_page(html, "https://news.example/world/envoys-meet").published is None
    assert extract_page(html, "https://news.example/2024/03/04/envoys").published == "2024-03-04"


def test_published_time_wins_over_modified_time_and_json_ld(site):
    html = ('<html><head><meta property="article:modified_time" content="2025-03-20T08:00:00Z">'
            '<meta property="article:published_time" content="2025-03-14T23:30:00-04:00">'
            '<script type="application/ld+json">{"@graph": [{"@type": "NewsArticle", '
            '"datePublished": "2025-03-10"}]}</script></head><body><p>Text.</p></body></html>')
    assert extract_page(html, "https://n.example/2025/01/01/x").published == "2025-03-14"
    json_ld = html.replace("article:published_time", "article:other")
    assert extract_page(json_ld, "https://n.example/x").published == "2025-03-10"
    # a changed page keeps its publication date
    path = site.changing_path
    before = extract_page(site.page_html(path), site.url(path)).published
    site_copy = news_site.Site(news_site.voa_articles(6))
    site_copy.change(site_copy.changing_path, "A new first paragraph.\n\nA new second one.")
    changed = extract_page(site_copy.page_html(site_copy.changing_path),
                           site_copy.url(site_copy.changing_path))
    site_copy.stop()
    assert before == site.article(path)["published"]
    assert changed.published == site_copy.article(site_copy.changing_path)["published"]


def test_language_from_header_locale_or_a_guess():
    body = ("<p>Le ministre a rencontré son homologue pour parler de la paix et des sanctions, "
            "mais les deux pays ne sont pas d'accord sur le calendrier de la suite des "
            "discussions, a indiqué un porte-parole.</p>")
    html = f"<html><head><title>T</title></head><body><article>{body}</article></body></html>"
    assert extract_page(html, "https://n.example/a").language == "fr"
    assert extract_page(html, "https://n.example/a", content_language="de-DE").language == "de"
    with_locale = html.replace("<title>", '<meta property="og:locale" content="es_ES"><title>')
    assert extract_page(with_locale, "https://n.example/a").language == "es"
    assert guess_language("Too short to tell.") is None


def test_importing_the_module_does_not_import_trafilatura():
    code = "import sys, tracker.fetch.page; print('trafilatura' in sys.modules, 'lxml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------------------------------------
# The site itself

def test_feeds_parse_and_list_the_expected_links(site):
    import feedparser

    links = {}
    for feed in ("world.rss", "politics.atom"):
        status, _, body = _get(site.url(f"/feeds/{feed}"), {"Accept-Encoding": "gzip"})
        parsed = feedparser.parse(body)
        assert status == 200 and not parsed.bozo, feed
        links[feed] = [entry.link for entry in parsed.entries]
        assert links[feed] == site.feed_links(feed)
        assert all(entry.get("published_parsed") or entry.get("updated_parsed")
                   for entry in parsed.entries)
    shared = site.url(site.shared_path)
    assert shared in links["world.rss"]
    assert any(link.startswith(shared + "?utm_source=") for link in links["politics.atom"])
    assert site.url(site.private_path) in links["world.rss"]
    assert site.url(site.changing_path) in links["world.rss"]
    assert site.url("/moved") in links["politics.atom"]
    assert site.url(site.french_path) in links["politics.atom"]


def test_etag_and_last_modified_give_304_and_change_gives_a_new_page(site):
    url = site.url(site.changing_path)
    status, head, body = _get(url)
    etag, modified = head["ETag"], head["Last-Modified"]
    assert status == 200 and etag and modified
    assert _get(url, {"If-None-Match": etag})[0] == 304
    assert _get(url, {"If-Modified-Since": modified})[0] == 304
    feed = site.url("/feeds/world.rss")
    feed_etag = _get(feed)[1]["ETag"]
    assert _get(feed, {"If-None-Match": feed_etag})[0] == 304

    site.change(site.changing_path, "Officials announced a new round of talks.\n\nMore later.")
    status, head, body = _get(url, {"If-None-Match": etag})
    assert status == 200 and head["ETag"] != etag
    assert (email.utils.parsedate_to_datetime(head["Last-Modified"])
            > email.utils.parsedate_to_datetime(modified))
    assert b"Officials announced a new round of talks." in body
    assert _get(feed, {"If-None-Match": feed_etag})[0] == 200
    assert extract_page(body.decode(), url).text.startswith("Officials announced")


def test_gzip_is_given_to_clients_that_ask(site):
    url = site.url(site.articles[3]["path"])
    plain = urllib.request.urlopen(url, timeout=5)
    zipped = urllib.request.urlopen(urllib.request.Request(
        url, headers={"Accept-Encoding": "gzip"}), timeout=5)
    assert plain.headers.get("Content-Encoding") is None
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.read()) == plain.read()


def test_error_redirect_and_charset_scenarios(site):
    before = len(site.requests)
    status, head, _ = _get(site.url("/moved"))
    assert status == 200
    assert [entry[2] for entry in site.requests[before:]] == ["/moved", "/moved-2",
                                                                site.redirect_target]
    assert _get(site.url("/missing"))[0] == 404
    assert [_get(site.url("/broken"))[0] for _ in range(2)] == [500, 500]
    robots = _get(site.url("/robots.txt"))[2].decode()
    assert "Disallow: /private/" in robots

    status, head, body = _get(site.url("/wrong-charset"))
    assert head["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert b'charset="windows-1252"' in body and "López" in body.decode("cp1252")
    status, head, body = _get(site.url("/no-charset"))
    assert head["Content-Type"] == "text/html" and "Chargé d’" in body.decode("utf-8")

    status, head, _ = _get(site.url("/huge"), method="HEAD")
    assert status == 200 and int(head["Content-Length"]) == news_site.HUGE_BYTES
    assert _get(site.url("/feeds/nothing.rss"))[0] == 404


def test_flaky_fails_once_then_answers(shared_data):
    with news_site.Site(news_site.voa_articles(6), huge_bytes=1000) as fresh:
        statuses = [_get(fresh.url("/flaky"))[0] for _ in range(3)]
        assert statuses == [503, 200, 200]
        assert fresh.fetches("/flaky") == 3
        assert [e[3]["user-agent"].startswith("Python-urllib") for e in fresh.requests] == [True] * 3


def test_hang_does_not_block_stop(shared_data):
    fresh = news_site.Site(news_site.voa_articles(6)).start()
    with pytest.raises((TimeoutError, urllib.error.URLError)):
        urllib.request.urlopen(fresh.url("/hang"), timeout=0.3)
    waiting = threading.Thread(target=lambda: _get_quietly(fresh.url("/hang")), daemon=True)
    waiting.start()
    time.sleep(0.2)
    started = time.monotonic()
    fresh.stop()
    assert time.monotonic() - started < 2
    waiting.join(timeout=3)
    assert not waiting.is_alive()


def _get_quietly(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=30).read()
    except (OSError, urllib.error.URLError):
        pass
