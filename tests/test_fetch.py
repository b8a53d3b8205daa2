"""Feeds and pages end to end: a local news site of real articles (tests/newssite.py) fetched
into a real store, politely, once, and read into articles; then the run and the weekly job."""
from __future__ import annotations

import datetime as dt
import re

import newssite
import pytest
from typer.testing import CliRunner

from tracker.cli import app
from tracker.fetch import collect as collect_module
from tracker.fetch.collect import collect, read_pages
from tracker.fetch.sources import load_sources
from tracker.ingest.clean import normalise_quotes
from tracker.store import Store

DELAY = 0.15


def _norm(text: str) -> str:
    return " ".join(normalise_quotes(text).split())


def _words(text: str) -> str:
    """Letters and digits only: cleaning may tidy quotes and spaces around them."""
    return " ".join(re.findall(r"\w+", text))


def _sources(tmp_path, site, extra: str = "", delay: float = DELAY):
    path = tmp_path / "sources.toml"
    path.write_text(f"""
[fetch]
delay = {delay}
per_host = 1
timeout = 1
retries = 1
max_mb = 10

[[source]]
name = "world"
feed = "{site.url('/feeds/world.rss')}"

[[source]]
name = "politics"
feed = "{site.url('/feeds/politics.atom')}"

[[source]]
name = "never answers"
page = "{site.url('/hang')}"

[[source]]
name = "huge"
page = "{site.url('/huge')}"
{extra}""", encoding="utf-8")
    return load_sources(path)


@pytest.fixture(scope="module")
def fetched(shared_data, tmp_path_factory):
    """One polite collection of the whole site into a new store, and what it reported."""
    tmp = tmp_path_factory.mktemp("fetch")
    site = newssite.Site(newssite.voa_articles(12, seed=3) + newssite.official_articles(3))
    site.start()
    store = Store(tmp / "t.db")
    sources = _sources(tmp, site)
    report = collect(store, sources)
    yield site, store, report, sources, tmp
    store.close()
    site.stop()


def _expected(site):
    """The fixture articles that must arrive: English, public."""
    return [a for a in site.articles if a["language"] == "en" and not a["private"]]


def _stored(store):
    return {r[0]: r for r in store.db.execute(
        "SELECT url, title, published, text, id FROM articles")}


def test_every_article_arrives_once_with_its_title_date_and_text(fetched):
    site, store, report, _, _ = fetched
    articles = _stored(store)
    expected = _expected(site)
    assert len(articles) == len(expected) == report.articles_added
    by_title = {}
    for url, title, published, text, _ in articles.values():
        by_title.setdefault(_norm(title), []).append((url, published, text))
    for article in expected:
        found = by_title.get(_norm(article["title"]))
        assert found and len(found) == 1, article["title"]
        url, published, text = found[0]
        assert published == article["published"], (article["path"], published)
        paragraphs = [p for p in article["text"].split("\n\n") if p.strip()]
        assert _words(paragraphs[0])[:80] in _words(text)
        assert _words(paragraphs[-1])[-80:] in _words(text)
        for phrase in newssite.FURNITURE_PHRASES:
            assert phrase not in text, (article["path"], phrase)
        assert "utm_" not in url


def test_the_story_in_two_feeds_is_fetched_and_stored_once(fetched):
    site, store, report, _, _ = fetched
    assert site.fetches(site.shared_path) == 1
    assert not any("utm_" in r[2] for r in site.requests)  # canonical URLs only
    assert report.items > len(_stored(store))


def test_failures_are_reported_per_url_and_never_stop_the_others(fetched):
    site, _, report, _, _ = fetched
    failed = {line.split(": ", 1)[0].rsplit("/", 1)[-1]: line for line in report.failed}
    assert set(failed) == {"missing", "broken", "hang", "huge"}, report.failed
    assert "HTTP 404" in failed["missing"] and "HTTP 500" in failed["broken"]
    assert "timeout" in failed["hang"] and "10 MB cap" in failed["huge"]
    assert site.fetches("/broken") == 2  # one retry
    assert site.fetches(site.flaky_path) == 2  # a 503, then the article
    assert site.fetches("/moved") == 1 and site.fetches(site.redirect_target) == 1


def test_robots_txt_is_honoured(fetched):
    site, _, report, _, _ = fetched
    assert site.fetches(site.private_path) == 0 and report.refused == 1
    assert site.fetches("/robots.txt") == 1


def test_non_english_pages_are_counted_and_skipped(fetched):
    site, store, report, _, _ = fetched
    assert report.not_english == {"fr": 1}
    rec = store.page(site.url(site.french_path))
    assert rec["outcome"] == "not English (fr)" and rec["article_id"] is None


def test_charsets_from_headers_and_meta_tags_give_the_right_text(fetched):
    site, store, _, _, _ = fetched
    for path in ("/wrong-charset", "/no-charset"):
        article_id = store.page(site.url(path))["article_id"]
        text = store.article_text(article_id)
        assert "\u00e9" in text and "\u00c3" not in text and "\ufffd" not in text


def test_the_rate_limit_is_honoured_measured_at_the_server(fetched):
    site, _, report, _, _ = fetched
    starts = sorted(t for t, _, _, _ in site.requests)
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(starts) == report.requests >= 20
    assert min(gaps) >= DELAY * 0.9, min(gaps)


def test_a_rerun_fetches_nothing_and_adds_nothing(fetched):
    site, store, _, sources, _ = fetched
    before = store.counts()
    n = len(site.requests)
    again = collect(store, sources)
    new = site.requests[n:]
    pages = [p for _, m, p, _ in new if m == "GET" and not p.startswith(("/feeds/", "/robots"))]
    # the feeds answer 304; only what failed before is asked again
    assert sorted(pages) == ["/broken", "/broken", "/hang", "/hang", "/huge", "/missing"]
    assert again.not_modified == 2 and again.downloaded == 0
    assert again.articles_added == 0 and store.counts() == before


def test_a_changed_page_replaces_its_article(fetched):
    site, store, _, sources, _ = fetched
    path = site.changing_path
    old_id = store.page(site.url(path))["article_id"]
    new_text = ("Diplomats from France and Germany met on Tuesday to settle their dispute. "
                "The two countries agreed to work together on energy.\n\n"
                "Officials said a joint statement would follow next week.")
    site.change(path, new_text)
    before = store.counts()["articles"]
    report = collect(store, sources)
    rec = store.page(site.url(path))
    assert site.fetches(path) == 2 and report.articles_added == 1
    assert rec["article_id"] != old_id and "joint statement" in store.article_text(
        rec["article_id"])
    assert store.counts()["articles"] == before  # the old version went
    assert not store.db.execute("SELECT 1 FROM articles WHERE id = ?", (old_id,)).fetchone()


def test_stored_pages_are_read_again_without_the_network(fetched, monkeypatch):
    site, store, _, _, tmp = fetched
    copy = tmp / "copy.db"
    store.db.execute(f"VACUUM INTO '{copy}'")
    with Store(copy) as offline:
        before = _stored(offline)
        monkeypatch.setattr(collect_module, "PAGE_READER", "page-next")
        n = len(site.requests)
        read_pages(offline)
        assert len(site.requests) == n  # no request
        assert _stored(offline) == before


def test_gdelt_links_are_fetched_like_pages(shared_data, tmp_path):
    site = newssite.Site(newssite.voa_articles(8, seed=5))
    with site:
        rows = (shared_data / "gdelt" / "gdelt2_events_20150218230000.export.tsv").read_text(
            encoding="utf-8").splitlines()
        wanted = [r.split("\t") for r in rows if r.split("\t")[7] == "EGY"
                  and r.split("\t")[17] == "LBY"][:2]
        other = [r.split("\t") for r in rows if r.split("\t")[7] == "USA"][:1]
        links = [site.url(a["path"]) for a in site.articles[:3]]
        for fields, link in zip(wanted + other, links):
            fields[-1] = link
        path = tmp_path / "events.tsv"
        path.write_text("\n".join("\t".join(f) for f in wanted + other) + "\n")
        sources = _sources(tmp_path, site, f"""
[[source]]
name = "gdelt"
gdelt = "{path}"
countries = ["LBY"]
""")
        sources.sources[:] = sources.sources[-1:]
        with Store(tmp_path / "g.db") as store:
            report = collect(store, sources)
            assert report.items == 2 and report.articles_added == 2
            assert site.fetches(site.articles[2]["path"]) == 0  # not about Libya


def test_tracker_run_and_weekly_from_sources(fetched, tmp_path):
    site, _, _, sources, tmp = fetched
    toml = tmp / "sources.toml"
    db, out = tmp_path / "w.db", tmp_path / "out"
    runner = CliRunner()
    weeks = {}
    for article in _expected(site):
        day = dt.date.fromisoformat(article["published"])
        weeks[f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}"] = day
    result = runner.invoke(app, ["weekly", "--sources", str(toml), "--db", str(db), "--out",
                                 str(out), "--week", "1999-W01"])
    assert result.exit_code == 4, result.output  # no statements that week
    assert "fetch:" in result.output and "/missing: HTTP 404" in result.output
    with Store(db) as store:
        frame = store.statements_frame()
    week = frame["published"].dt.strftime("%G-W%V").value_counts().index[0]
    result = runner.invoke(app, ["weekly", "--sources", str(toml), "--db", str(db), "--out",
                                 str(out), "--week", week])
    assert result.exit_code == 3, result.output  # written, but some pages failed
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        f"report-{week}.{ext}" for ext in ("html", "md", "png")]
    assert "0 new articles" in result.output


def test_tracker_run_takes_a_feed_url(shared_data, tmp_path):
    site = newssite.Site(newssite.voa_articles(6, seed=7))
    with site:
        runner = CliRunner()
        result = runner.invoke(app, ["run", site.url("/feeds/politics.atom"), "--db",
                                     str(tmp_path / "r.db"), "--out", str(tmp_path / "out")])
        assert result.exit_code == 0, result.output
        assert "feeds with" in result.output and "1 failed" in result.output  # /broken
        with Store(tmp_path / "r.db") as store:
            assert store.counts()["articles"] == len([
                a for a in site.articles if "politics.atom" in a["feeds"]
                and a["language"] == "en"])


def test_bad_sources_file_is_one_line(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text("[[source]]\nfeed = 'nope'\n")
    result = CliRunner().invoke(app, ["weekly", "--sources", str(bad), "--db",
                                      str(tmp_path / "x.db")])
    assert result.exit_code == 2 and "is not an http(s) URL" in result.output
    assert not (tmp_path / "x.db").exists()


def test_run_fails_when_nothing_could_be_fetched(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = CliRunner().invoke(app, ["run", f"http://127.0.0.1:{port}/feed.rss", "--db",
                                      str(tmp_path / "t.db"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert "connection refused (the host did not answer)" in result.output
    assert "nothing could be fetched" in result.output
