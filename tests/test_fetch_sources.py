"""sources.toml: what to fetch, checked with one-line errors; feeds read into items."""
from __future__ import annotations

import pytest

from tracker.errors import TrackerError
from tracker.fetch.feeds import looks_like_feed, read_feed
from tracker.fetch.sources import SETTINGS, is_url, load_sources


def write(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_full_sources_file_is_read(tmp_path):
    gdelt = tmp_path / "events.tsv"
    gdelt.write_text("x")
    path = write(tmp_path, """
[fetch]
delay = 0.5
per_host = 1
max_mb = 20

[[source]]
name = "world"
feed = "https://news.example/world.rss"
max_items = 30

[[source]]
page = "https://news.example/a.html"

[[source]]
name = "gdelt"
gdelt = "events.tsv"
countries = ["rus", "UKR"]
since = 2024-02-01
until = "2024-02-07"
""")
    got = load_sources(path)
    assert got.settings["delay"] == 0.5 and got.settings["per_host"] == 1
    assert got.settings["max_mb"] == 20 and got.settings["timeout"] == SETTINGS["timeout"]
    kinds = [(s.kind, s.name) for s in got.sources]
    assert kinds == [("feed", "world"), ("page", "https://news.example/a.html"),
                     ("gdelt", "gdelt")]
    assert got.sources[0].options == {"max_items": 30}
    g = got.sources[2]
    assert g.url == str(gdelt)  # relative to the sources file
    assert g.options["countries"] == ["RUS", "UKR"] and g.options["kind"] == "export"
    assert (g.options["since"], g.options["until"]) == ("2024-02-01", "2024-02-07")


@pytest.mark.parametrize("text, expected", [
    ("[[source]]\nfeed = 'ftp://x/y'\n", "is not an http(s) URL"),
    ("[[source]]\nfeed = 'https://a/b'\npage = 'https://a/c'\n", "exactly one of"),
    ("[[source]]\nfeed = 'https://a/b'\nmax_item = 3\n", "no option 'max_item'"),
    ("[[source]]\nfeed = 'https://a/b'\nmax_items = 0\n", "max_items = 0 is invalid"),
    ("[fetch]\ndelay = -1\n[[source]]\npage = 'https://a/b'\n", "delay = -1 is invalid"),
    ("[fetch]\nspeed = 3\n[[source]]\npage = 'https://a/b'\n", "no setting 'speed'"),
    ("[[source]]\ngdelt = 'missing.zip'\n", "neither a URL nor an existing file"),
    ("[[source]]\ngdelt = 'https://a/b.zip'\nkind = 'events'\n", "kind = 'events' is invalid"),
    ("[[source]]\ngdelt = 'https://a/b.zip'\ncountries = ['XXX']\n", "not a known ISO3"),
    ("[[source]]\ngdelt = 'https://a/b.zip'\nsince = 'monday'\n", "not a date"),
    ("[[source]]\nname = 'a'\npage = 'https://a/b'\n[[source]]\nname = 'a'\npage = 'https://a/c'\n",
     "named twice"),
    ("[fetch]\n", "lists no sources"),
    ("[[source]\n", "not valid TOML"),
])
def test_bad_sources_give_one_line_naming_the_file(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(TrackerError) as err:
        load_sources(path)
    message = str(err.value)
    assert expected in message and str(path) in message and "\n" not in message


def test_urls_and_paths_are_told_apart():
    assert is_url("https://a.example/x") and is_url("HTTP://a.example")
    assert not is_url("seeds/") and not is_url("http.txt")


RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>World</title>
<item><title>One</title><link>/2025/03/one.html</link><pubDate>Fri, 14 Mar 2025 23:30:26 -0500</pubDate></item>
<item><title>No link</title></item>
<item><title>One again</title><link>https://news.example/2025/03/one.html</link></item>
</channel></rss>"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Politics</title><entry><title>Two</title><link href="https://news.example/two"/>
<updated>2025-03-15T10:00:00Z</updated><published>2025-03-14T09:00:00Z</published></entry></feed>"""


def test_feeds_give_absolute_links_dates_and_stamps():
    items = read_feed(RSS, "https://news.example/feeds/world.rss")
    assert [i.url for i in items] == ["https://news.example/2025/03/one.html"]
    assert items[0].published == "2025-03-15"  # 23:30 at -05:00 is the 15th in UTC
    atom = read_feed(ATOM, "https://news.example/feeds/p.atom")
    assert atom[0].published == "2025-03-14" and atom[0].stamp.startswith("2025-03-15T10:00:00Z|")
    changed = read_feed(ATOM.replace(b"<title>Two", b"<title>Two, updated"), "https://x/p")
    assert changed[0].stamp != atom[0].stamp and changed[0].url == atom[0].url
    assert looks_like_feed(RSS, "text/xml") and looks_like_feed(ATOM, None)
    assert not looks_like_feed(b"<!DOCTYPE html><html><body>rss</body></html>", "text/html")


def test_the_documented_example_is_valid():
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "docs" / "sources.example.toml"
    got = load_sources(example)
    assert [s.kind for s in got.sources] == ["feed", "page", "gdelt"]
    assert got.settings == SETTINGS
