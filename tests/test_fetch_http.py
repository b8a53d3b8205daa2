"""The fetcher against real local servers (127.0.0.1 only): redirects, retries, timeouts,
charsets, compression, the size cap, robots.txt, conditional GETs, and politeness measured on
the server's side."""
from __future__ import annotations

import gzip
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from tracker.fetch.http import Fetcher, decode
from tracker.fetch.urls import canonical_url, host_of

FRENCH = "Le président a déclaré l’accord « historique » – c’est un été décisif."


class Gauge:
    """Requests in progress, and the most there ever were at once (shared between servers)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = self.peak = 0

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc):
        with self.lock:
            self.now -= 1


class Server:
    """A threaded HTTP/1.1 server on 127.0.0.1; ``routes`` maps a path to a handler function,
    ``log`` records (start time, path, headers) of every request as it arrives."""

    def __init__(self, gauge: Gauge | None = None) -> None:
        self.routes: dict = {}
        self.log: list[tuple[float, str, dict]] = []
        self.gauge = gauge or Gauge()
        self.release = threading.Event()  # set at teardown: slow handlers stop waiting
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                server.log.append((time.monotonic(), self.path, dict(self.headers)))
                route = server.routes.get(urlsplit(self.path).path)
                with server.gauge:
                    try:
                        route(self) if route else respond(self, 404, b"not here")
                    except (BrokenPipeError, ConnectionResetError):
                        pass

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_port}{path}"

    def paths(self) -> list[str]:
        return [path for _, path, _ in self.log]

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def respond(h, status: int = 200, body: bytes = b"", headers: dict | None = None,
            content_type: str | None = "text/html; charset=utf-8") -> None:
    h.send_response(status)
    if content_type:
        h.send_header("Content-Type", content_type)
    for key, value in (headers or {}).items():
        h.send_header(key, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    h.wfile.write(body)


def page(body: bytes, status: int = 200, **kwargs):
    return lambda h: respond(h, status, body, **kwargs)


@pytest.fixture
def serve():
    servers = []

    def make(gauge: Gauge | None = None) -> Server:
        servers.append(Server(gauge))
        return servers[-1]

    yield make
    for s in servers:
        s.stop()


@pytest.fixture
def server(serve) -> Server:
    return serve()


def quick(**kwargs) -> Fetcher:
    """A fetcher with test-sized waits."""
    return Fetcher(**{"delay": 0.0, "timeout": 2.0, "backoff": 0.01, **kwargs})


# --- URLs ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url, expected", [
    ("HTTPS://Example.COM:443/news?utm_source=rss&utm_medium=feed&id=7#comments",
     "https://example.com/news?id=7"),
    ("http://example.com:80", "http://example.com/"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),
    ("https://example.com/story?fbclid=x&gclid=y&dclid=z&msclkid=m&mc_cid=1&mc_eid=2&igshid=3"
     "&_ga=4&ref_src=twsrc&cmpid=5&ocid=6&ns_mchannel=social&ns_source=tw&page=2&p=3",
     "https://example.com/story?p=3&page=2"),
    ("https://example.com/search?q=b&id=2&a=1", "https://example.com/search?a=1&id=2&q=b"),
    ("https://example.com/a/./b/../c", "https://example.com/a/c"),
    ("https://example.com/caf%c3%a9/%7Euser/a b", "https://example.com/caf%C3%A9/~user/a%20b"),
    ("https://example.com/été", "https://example.com/%C3%A9t%C3%A9"),
    ("https://example.com/?", "https://example.com/"),
])
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # idempotent


def test_one_story_shared_two_ways_has_one_canonical_url():
    from_feed = "https://www.example.com/world/2024/05/talks.html?utm_source=rss&utm_campaign=x"
    from_share = ("HTTPS://WWW.EXAMPLE.COM:443/world/2024/05/%74alks.html"
                  "?fbclid=IwAR0abc&ocid=socialflow#top")
    assert canonical_url(from_feed) == canonical_url(from_share)
    assert canonical_url(from_feed) == "https://www.example.com/world/2024/05/talks.html"
    # ...and real parameters still tell two stories apart.
    assert canonical_url("https://e.com/a?id=1") != canonical_url("https://e.com/a?id=2")


def test_host_of():
    assert host_of("https://WWW.Example.com:443/a") == "www.example.com"
    assert host_of("http://127.0.0.1:8080/feed") == "127.0.0.1:8080"
    assert host_of("not a url") == ""


# --- redirects, statuses, retries ----------------------------------------------------------

def test_a_redirect_chain_gives_the_final_url(server):
    server.routes["/a"] = page(b"", 301, headers={"Location": "/b"})
    server.routes["/b"] = page(b"", 302, headers={"Location": server.url("/c")})
    server.routes["/c"] = page(b"<p>here</p>")
    got = quick(polite=False).fetch(server.url("/a"))
    assert got.ok and got.status == 200 and got.body == b"<p>here</p>"
    assert got.url == server.url("/a") and got.final_url == server.url("/c")
    assert got.attempts == 1  # redirects are not retries


def test_a_redirect_loop_is_an_error_not_a_hang(server):
    server.routes["/x"] = page(b"", 302, headers={"Location": "/y"})
    server.routes["/y"] = page(b"", 302, headers={"Location": "/x"})
    got = quick(polite=False, max_redirects=5).fetch(server.url("/x"))
    assert not got.ok and got.body == b""
    assert got.error == "too many redirects (more than 5)"
    assert len(server.log) == 6  # the first request and 5 redirects followed


def test_404_is_an_error_and_is_not_retried(server):
    got = quick(polite=False, retries=2).fetch(server.url("/missing"))
    assert got.error == "HTTP 404 Not Found" and got.status == 404 and not got.ok
    assert got.attempts == 1 and server.paths() == ["/missing"]


def test_500_is_retried_then_reported(server):
    server.routes["/down"] = page(b"oops", 500)
    fetcher = quick(polite=False, retries=2)
    got = fetcher.fetch(server.url("/down"))
    assert got.error == "HTTP 500 Internal Server Error" and got.status == 500
    assert got.attempts == 3 and server.paths() == ["/down"] * 3
    assert fetcher.stats["retries"] == 2 and fetcher.stats["errors"] == 1


def test_a_503_then_200_succeeds_on_the_second_attempt(server):
    answers = iter([page(b"busy", 503), page(b"fine")])
    server.routes["/flaky"] = lambda h: next(answers)(h)
    got = quick(polite=False, retries=2).fetch(server.url("/flaky"))
    assert got.ok and got.body == b"fine" and got.attempts == 2


def test_retry_after_is_honoured(server):
    answers = iter([page(b"slow down", 429, headers={"Retry-After": "1"}), page(b"fine")])
    server.routes["/busy"] = lambda h: next(answers)(h)
    got = quick(polite=False, retries=1, backoff=0.01).fetch(server.url("/busy"))
    assert got.ok and got.attempts == 2
    assert server.log[1][0] - server.log[0][0] >= 0.95


def test_a_server_that_never_answers_times_out_and_others_still_succeed(server):
    def silent(h):
        server.release.wait(5)

    server.routes["/silent"] = silent
    server.routes["/a"] = page(b"a")
    server.routes["/b"] = page(b"b")
    fetcher = quick(polite=False, timeout=0.5, retries=1, backoff=0.05)
    started = time.monotonic()
    got = {f.url.rsplit("/", 1)[1]: f for f in fetcher.fetch_many(
        [server.url("/silent"), server.url("/a"), server.url("/b")])}
    elapsed = time.monotonic() - started
    assert got["silent"].error == "no answer within 0.5 s (read timeout)"
    assert got["silent"].status is None and got["silent"].attempts == 2
    assert 0.9 <= elapsed < 3.0
    assert got["a"].body == b"a" and got["b"].body == b"b"
    fetcher.close()


def test_a_trickling_server_is_cut_at_four_times_the_timeout(server):
    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        for _ in range(1000):
            h.wfile.write(b"x")
            h.wfile.flush()
            if server.release.wait(0.05):
                return

    server.routes["/trickle"] = trickle
    started = time.monotonic()
    got = quick(polite=False, timeout=0.25, retries=0).fetch(server.url("/trickle"))
    assert got.error == "no complete answer within 1 s (4x the timeout)"
    assert time.monotonic() - started < 2.0


def test_connection_refused():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    got = quick(polite=False, retries=1).fetch(f"http://127.0.0.1:{port}/feed")
    assert got.error == "connection refused" and got.status is None and got.attempts == 2


def test_a_url_that_is_not_http_is_an_error_not_an_exception():
    got = quick().fetch("ftp://example.com/file")
    assert got.error == "not an http(s) URL: 'ftp://example.com/file'" and got.attempts == 0


# --- charsets and bodies -------------------------------------------------------------------

def test_a_wrong_charset_header_still_gives_the_right_text(server):
    html = f'<html><head><meta charset="windows-1252"></head><body>{FRENCH}</body></html>'
    server.routes["/p"] = page(html.encode("cp1252"), content_type="text/html; charset=utf-8")
    got = quick(polite=False).fetch(server.url("/p"))
    assert got.content_type == "text/html" and got.charset == "utf-8"
    text, used = decode(got.body, got.charset, got.content_type)
    assert FRENCH in text and used == "cp1252"


@pytest.mark.parametrize("body, header, expected", [
    # Declared only in the document, by either meta form or the XML declaration.
    (f"<meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>{FRENCH}"
     .encode("cp1252"), None, "cp1252"),
    (f'<?xml version="1.0" encoding="ISO-8859-1"?><rss>{FRENCH}</rss>'.encode("cp1252"), None,
     "cp1252"),
    # Declared nowhere.
    (FRENCH.encode("utf-8"), None, "utf-8"),
    (f"<p>{FRENCH} El señor presidente dijo que la reunión fue un éxito.</p>".encode("cp1252"),
     None, "cp1252"),
    # A server's default Latin-1 on a UTF-8 page.
    (FRENCH.encode("utf-8"), "iso-8859-1", "utf-8"),
    (b"\xef\xbb\xbf" + FRENCH.encode("utf-8"), "windows-1252", "utf-8"),
])
def test_decode_finds_the_charset(body, header, expected):
    text, used = decode(body, header)
    assert FRENCH in text and used == expected


def test_the_documents_charset_beats_a_guess():
    # Latin-9's euro sign is cp1252's currency sign: only the declaration tells them apart.
    body = "<meta charset='iso-8859-15'><p>Prix : 5 €</p>".encode("iso-8859-15")
    assert decode(body, "utf-8") == ("<meta charset='iso-8859-15'><p>Prix : 5 €</p>",
                                     "iso8859-15")
    # Bytes that are valid UTF-8 too ("é") are read as the page says they are.
    body = "<meta http-equiv=content-type content='text/html;charset=windows-1252'>Ã©"
    assert decode(body.encode("cp1252"), None) == (body, "cp1252")


def test_latin1_means_windows_1252():
    assert decode("l’été".encode("cp1252"), "ISO-8859-1") == ("l’été", "cp1252")


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_compressed_bodies_come_back_decompressed(server, encoding):
    raw = ("<p>" + FRENCH * 200 + "</p>").encode("utf-8")
    packed = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)
    server.routes["/z"] = page(packed, headers={"Content-Encoding": encoding})
    fetcher = quick(polite=False)
    got = fetcher.fetch(server.url("/z"))
    assert got.ok and got.body == raw
    assert "gzip" in server.log[0][2]["Accept-Encoding"]
    assert fetcher.stats["bytes"] == len(raw)


def _stream(server: Server, chunks, headers: dict) -> None:
    def handler(h):
        h.send_response(200)
        for key, value in headers.items():
            h.send_header(key, value)
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        for chunk in chunks:
            h.wfile.write(chunk)

    server.routes["/big"] = handler


def test_a_20_mb_page_is_cut_at_a_10_mb_cap_without_keeping_it(server):
    megabyte = b"<p>" + b"x" * 999_993 + b"</p>\n"
    _stream(server, [megabyte] * 20, {"Content-Type": "text/html"})  # no Content-Length
    fetcher = quick(polite=False, max_bytes=10_000_000, retries=2)
    tracemalloc.start()
    try:
        got = fetcher.fetch(server.url("/big"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert got.error == "larger than the 10 MB cap" and got.body == b"" and got.status == 200
    assert got.attempts == 1  # a size cap is not worth retrying
    assert peak < 16_000_000, peak


def test_the_cap_counts_decompressed_bytes(server):
    bomb = gzip.compress(b"\0" * 20_000_000)
    assert len(bomb) < 100_000
    _stream(server, [bomb], {"Content-Encoding": "gzip"})
    got = quick(polite=False, max_bytes=10_000_000).fetch(server.url("/big"))
    assert got.error == "larger than the 10 MB cap" and got.body == b""


def test_a_declared_length_over_the_cap_is_refused_before_reading(server):
    _stream(server, [b"x" * 1000], {"Content-Length": "50000000"})
    got = quick(polite=False, max_bytes=1_000_000).fetch(server.url("/big"))
    assert got.error == "larger than the 1 MB cap"


# --- robots.txt ----------------------------------------------------------------------------

ROBOTS = b"User-agent: *\nDisallow: /private/\n"


def test_robots_txt_refuses_disallowed_urls_without_requesting_them(server):
    server.routes["/robots.txt"] = page(ROBOTS, content_type="text/plain")
    server.routes["/public"] = page(b"ok")
    server.routes["/private/a"] = page(b"secret")
    fetcher = quick()
    got = {f.url: f for f in fetcher.fetch_many(
        [server.url("/public"), server.url("/private/a"), server.url("/private/b?x=1")])}
    assert got[server.url("/public")].body == b"ok"
    assert got[server.url("/private/a")].error == "disallowed by robots.txt"
    assert got[server.url("/private/b?x=1")].error == "disallowed by robots.txt"
    assert sorted(server.paths()) == ["/public", "/robots.txt"]  # robots.txt read once
    assert not fetcher.allowed(server.url("/private/c")) and fetcher.allowed(server.url("/x"))
    assert fetcher.stats["robots_refused"] == 2
    fetcher.close()


def test_robots_txt_is_skipped_when_not_polite(server):
    server.routes["/robots.txt"] = page(ROBOTS, content_type="text/plain")
    server.routes["/private/a"] = page(b"secret")
    assert quick(polite=False).fetch(server.url("/private/a")).body == b"secret"
    assert server.paths() == ["/private/a"]


def test_robots_404_allows_everything(server):
    server.routes["/private/a"] = page(b"secret")
    fetcher = quick()
    assert fetcher.fetch(server.url("/private/a")).body == b"secret"
    assert server.paths() == ["/robots.txt", "/private/a"]


def test_robots_500_refuses_the_whole_host(server):
    server.routes["/robots.txt"] = page(b"", 500)
    server.routes["/news"] = page(b"news")
    fetcher = quick(retries=1)
    got = fetcher.fetch(server.url("/news"))
    assert got.error == "robots.txt unavailable (HTTP 500); try later"
    assert not fetcher.allowed(server.url("/other"))
    assert "/news" not in server.paths()


def test_robots_txt_of_a_redirect_target_is_obeyed(serve):
    origin, target = serve(), serve()
    origin.routes["/go"] = page(b"", 301, headers={"Location": target.url("/private/x")})
    target.routes["/robots.txt"] = page(ROBOTS, content_type="text/plain")
    target.routes["/private/x"] = page(b"secret")
    got = quick().fetch(origin.url("/go"))
    assert got.error == "disallowed by robots.txt"
    assert target.paths() == ["/robots.txt"]


def test_a_robots_crawl_delay_longer_than_ours_wins(server):
    server.routes["/robots.txt"] = page(b"User-agent: *\nCrawl-delay: 1\n",
                                        content_type="text/plain")
    server.routes["/a"] = page(b"a")
    assert quick(delay=0.05).fetch(server.url("/a")).ok
    assert server.log[1][0] - server.log[0][0] >= 0.95


# --- conditional GET -----------------------------------------------------------------------

def test_conditional_get_with_etag_and_last_modified(server):
    stamp = "Wed, 01 May 2024 10:00:00 GMT"

    def feed(h):
        if h.headers.get("If-None-Match") == '"v1"' or h.headers.get("If-Modified-Since") == stamp:
            respond(h, 304, content_type=None, headers={"ETag": '"v1"'})
        else:
            respond(h, 200, b"<rss/>", {"ETag": '"v1"', "Last-Modified": stamp},
                    "application/rss+xml")

    server.routes["/feed"] = feed
    fetcher = quick(polite=False)
    first = fetcher.fetch(server.url("/feed"))
    assert first.body == b"<rss/>" and not first.not_modified
    assert (first.etag, first.last_modified) == ('"v1"', stamp)
    by_etag = fetcher.fetch(server.url("/feed"), etag=first.etag)
    by_date = fetcher.fetch(server.url("/feed"), last_modified=first.last_modified)
    for again in (by_etag, by_date):
        assert again.ok and again.not_modified and again.status == 304 and again.body == b""
    assert by_date.last_modified == stamp
    assert server.log[1][2]["If-None-Match"] == '"v1"'
    assert server.log[2][2]["If-Modified-Since"] == stamp
    assert fetcher.stats["not_modified"] == 2


# --- politeness, measured on the server's side ---------------------------------------------

def test_the_per_host_delay_is_kept(server):
    for i in range(6):
        server.routes[f"/{i}"] = page(b"ok")
    fetcher = Fetcher(delay=0.2, per_host=1, timeout=2.0)
    started = time.monotonic()
    results = list(fetcher.fetch_many(server.url(f"/{i}") for i in range(6)))
    elapsed = time.monotonic() - started
    assert all(r.ok for r in results) and len(results) == 6
    starts = [t for t, path, _ in server.log]
    assert server.paths()[0] == "/robots.txt" and len(starts) == 7
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    # Measured where the server receives each request: its thread's scheduling on a loaded
    # machine shifts a timestamp by a few ms either way, so the sum is held to the delay too.
    assert min(gaps) >= 0.9 * 0.2 and sum(gaps) >= 6 * 0.2 - 0.01, gaps
    assert elapsed >= 1.0
    assert fetcher.stats["requests"] == {host_of(server.url("/")): 7}
    fetcher.close()


def test_impolite_is_much_faster(server):
    for i in range(6):
        server.routes[f"/{i}"] = page(b"ok")
    started = time.monotonic()
    results = list(Fetcher(polite=False, delay=0.2, per_host=1).fetch_many(
        server.url(f"/{i}") for i in range(6)))
    assert all(r.ok for r in results)
    assert time.monotonic() - started < 0.5
    assert "/robots.txt" not in server.paths()


def _slow(server: Server, n: int) -> list[str]:
    def handler(h):
        server.release.wait(0.3)
        respond(h, 200, b"done")

    for i in range(n):
        server.routes[f"/{i}"] = handler
    return [server.url(f"/{i}") for i in range(n)]


def test_per_host_concurrency_is_never_exceeded(server):
    urls = _slow(server, 8)
    with Fetcher(polite=False, per_host=2, workers=8) as fetcher:
        assert all(r.ok for r in fetcher.fetch_many(urls))
    assert server.gauge.peak == 2


def test_the_global_worker_limit_holds_across_hosts(serve):
    gauge = Gauge()
    one, two = serve(gauge), serve(gauge)
    urls = _slow(one, 4) + _slow(two, 4)
    started = time.monotonic()
    with Fetcher(polite=False, per_host=4, workers=3) as fetcher:
        assert all(r.ok for r in fetcher.fetch_many(urls))
    assert gauge.peak == 3
    assert time.monotonic() - started >= 0.85  # 8 slow requests, 3 at a time: 3 rounds


def test_importing_the_fetcher_is_cheap():
    code = ("import sys, tracker.fetch; "
            "print(sorted({'requests', 'urllib3', 'charset_normalizer'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
