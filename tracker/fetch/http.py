"""A polite, robust HTTP fetcher for feeds and news pages.

Takes URLs (with the ETag and Last-Modified of a cached copy, when there is one) and gives
:class:`Fetched` records: the decompressed body, its media type and charset, the validators for
the next conditional GET, and, instead of an exception, a one-line error a user can act on when
the network or the server fails. :class:`Fetcher` obeys robots.txt, spaces its requests to each
host, limits how many run at once per host and in all, retries what may pass (timeouts, refused
connections, 429, 5xx) with exponential backoff, and cuts bodies at a size cap while streaming.
:func:`decode` turns a body into text, trusting a charset only when the bytes agree with it.
``requests`` and ``charset_normalizer`` are imported when first needed.
"""
from __future__ import annotations

import codecs
import email.utils
import re
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

from tracker import __version__
from tracker.errors import TrackerError
from tracker.fetch.urls import host_of

DEFAULT_USER_AGENT = f"tracker/{__version__} (+news reader for international relations research)"
#: A server's Retry-After is honoured up to this many seconds.
RETRY_AFTER_CAP = 60.0
#: RFC 9309 asks crawlers to read at least the first 500 KiB of a robots.txt.
ROBOTS_MAX_BYTES = 512_000
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8")
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536


@dataclass(frozen=True)
class Fetched:
    """What one fetch gave: the body and its metadata, or in ``error`` one line saying why it
    failed (``"HTTP 404 Not Found"``; the body is then empty). A 304 to a conditional GET is a
    success with ``not_modified`` set and an empty body."""

    url: str
    final_url: str | None
    status: int | None
    body: bytes
    content_type: str | None
    charset: str | None
    etag: str | None
    last_modified: str | None
    not_modified: bool
    error: str | None
    attempts: int  # 1 + the retries made (redirects are not retries); 0 if nothing was sent
    seconds: float
    fetched_at: str

    @property
    def ok(self) -> bool:
        """True when the fetch succeeded (a 2xx with its body, or a 304)."""
        return self.error is None


_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
_META = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def _codec(name: str | None) -> str | None:
    """Python's name for a charset label, with the WHATWG rule that Latin-1 and ASCII mean
    windows-1252; None for an unknown label."""
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name if name else None
    except LookupError:
        return None
    return "cp1252" if codec in {"latin-1", "iso8859-1", "ascii"} else codec


def _declared(body: bytes, content_type: str | None) -> str | None:
    """The charset the document declares in its first bytes (XML declaration or meta tag)."""
    patterns = (_XML_DECL, _META) if content_type and "xml" in content_type else (_META, _XML_DECL)
    for pattern in patterns:
        if m := pattern.search(body[:4096]):
            codec = _codec(m.group(1).decode("ascii"))
            # A document that could be read to find this label is not UTF-16 (WHATWG).
            return "utf-8" if codec and codec.startswith(("utf-16", "utf-32")) else codec
    return None


def decode(body: bytes, charset: str | None, content_type: str | None = None) -> tuple[str, str]:
    """The text of a body, in the first charset its bytes agree with.

    In order: a byte-order mark; the header's charset if the bytes decode strictly in it; the
    document's own (``<meta charset>``, ``<meta http-equiv>``, ``<?xml encoding?>``) if they
    do; strict UTF-8; charset-normalizer's guess; windows-1252 with replacement characters.
    Latin-1 and ASCII mean windows-1252 (WHATWG). Servers send that family by default whatever
    the page holds, so a header naming it is tried after the document's charset and UTF-8.

    Parameters
    ----------
    body : bytes
        The (decompressed) body.
    charset : str or None
        The charset from the Content-Type header.
    content_type : str or None
        The media type; for XML types the XML declaration is looked for before a meta tag.

    Returns
    -------
    tuple of (str, str)
        The text and the Python name of the charset used (``"utf-8"``, ``"cp1252"``, ...).

    Examples
    --------
    >>> decode("<meta charset=windows-1252>caf\\xe9".encode("cp1252"), "utf-8")
    ('<meta charset=windows-1252>café', 'cp1252')
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace"), codec
    header = _codec(charset)
    candidates = [header] if header != "cp1252" else []  # a server's default: see above
    candidates += [_declared(body, content_type), "utf-8", header]
    for codec in dict.fromkeys(c for c in candidates if c):
        try:
            return body.decode(codec), codec
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    matches = list(from_bytes(body))
    best = matches[0] if matches else None
    # Ties go to windows-1252, the charset of most undeclared pages (cp1250 reads "ñ" as "ń").
    if best is None or any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos
                           and m.coherence >= best.coherence for m in matches):
        return body.decode("cp1252", "replace"), "cp1252"
    codec = _codec(best.encoding) or "cp1252"
    return body.decode(codec, "replace"), codec


class _Failure(Exception):
    """One attempt failed: ``message`` for the user; ``retry`` whether trying again may help."""

    def __init__(self, message: str, retry: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message, self.retry, self.status = message, retry, status


def _http_error(status: int, reason: str | None) -> str:
    phrases = {s.value: s.phrase for s in HTTPStatus}
    return f"HTTP {status} {reason or phrases.get(status, '')}".rstrip()


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and every exception it wraps (requests and urllib3 nest them several deep)."""
    seen, todo = set(), [exc]
    while todo:
        e = todo.pop()
        if id(e) not in seen:
            seen.add(id(e))
            yield e
            todo += [x for x in (e.__cause__, e.__context__, getattr(e, "reason", None), *e.args)
                     if isinstance(x, BaseException)]


# Network exceptions as data: (class names anywhere in the chain, message, retry?); first match.
_NETWORK = (
    ({"ConnectTimeout", "ConnectTimeoutError"}, "could not connect within {t:g} s (connect "
     "timeout)", True),
    ({"ReadTimeout", "ReadTimeoutError", "TimeoutError", "timeout"},
     "no answer within {t:g} s (read timeout)", True),
    ({"ContentDecodingError", "DecodeError"},
     "could not decompress the body (corrupt Content-Encoding)", False),
    ({"InvalidURL", "MissingSchema", "InvalidSchema", "LocationParseError", "LocationValueError",
      "URLSchemeUnknown"}, "not a valid URL", False),
    ({"SSLError", "SSLCertVerificationError"}, "TLS error with {host} (certificate or protocol)",
     True),
    ({"ConnectionRefusedError"}, "connection refused", True),
    ({"NameResolutionError", "gaierror"}, "host not found ({host})", True),
    ({"ConnectionResetError"}, "connection reset by the server", True),
    ({"ChunkedEncodingError", "ProtocolError", "IncompleteRead"},
     "connection broken while reading the answer", True),
)


def _describe(exc: BaseException, timeout: float, host: str) -> _Failure:
    """The one-line message for a network exception, and whether to retry."""
    names = {type(e).__name__ for e in _chain(exc)}
    for kinds, message, retry in _NETWORK:
        if names & kinds:
            return _Failure(message.format(t=timeout, host=host), retry)
    return _Failure(f"connection failed ({type(exc).__name__})", True)


def _retry_after(value: str | None) -> float:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), capped; 0 if none."""
    value = (value or "").strip()
    if value.isdigit():
        return min(float(value), RETRY_AFTER_CAP)
    parsed = email.utils.parsedate_tz(value)
    seconds = email.utils.mktime_tz(parsed) - time.time() if parsed else 0.0
    return min(max(0.0, seconds), RETRY_AFTER_CAP)


def _media(headers) -> tuple[str | None, str | None]:
    """(media type, charset) from a Content-Type header."""
    media, *params = (headers.get("Content-Type") or "").split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower() or None, charset


class _Host:
    """One host's turn-taking: a slot per concurrent request, and the earliest next start."""

    def __init__(self, per_host: int, delay: float) -> None:
        self.slots = threading.BoundedSemaphore(per_host)
        self.delay, self.next_at, self.lock = delay, 0.0, threading.Lock()

    def wait_turn(self) -> None:
        """Book the next start time (under the lock) and sleep until it (outside it)."""
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_at)
            self.next_at = start + self.delay
        time.sleep(max(0.0, start - now))

    def hold_off(self, seconds: float) -> None:
        with self.lock:
            self.next_at = max(self.next_at, time.monotonic() + seconds)


@dataclass
class _Answer:
    status: int
    reason: str
    headers: object
    body: bytes = b""


class Fetcher:
    """Fetches URLs politely and never raises for network or HTTP trouble.

    Parameters
    ----------
    user_agent : str
        Sent with every request, and the name robots.txt rules are matched against.
    polite : bool
        Obey robots.txt and space requests to each host. False (timing runs, trusted local
        servers) skips both; the per-host and global concurrency limits still hold.
    delay : float
        Seconds between the starts of two requests to one host; a longer robots.txt
        Crawl-delay or Request-rate wins.
    per_host, workers : int
        Requests running at once to one host, and in all (the threads of :meth:`fetch_many`).
    timeout : float
        Seconds to connect, and to wait between bytes; each request is also cut at 4x this.
    retries : int
        Extra attempts after a timeout, a failed connection, a 429 or a 5xx (not 501).
    backoff : float
        Seconds before the first retry, doubling for each next one; a server's Retry-After
        wins when longer (up to :data:`RETRY_AFTER_CAP`).
    max_bytes : int
        Largest body kept, counted after decompression while it streams in.
    max_redirects : int
        Redirects followed before giving up.

    Examples
    --------
    >>> with Fetcher() as fetcher:  # doctest: +SKIP
    ...     page = fetcher.fetch("https://example.com/feed.xml")
    ...     text, charset = decode(page.body, page.charset, page.content_type)
    """

    def __init__(self, *, user_agent: str = DEFAULT_USER_AGENT, polite: bool = True,
                 delay: float = 1.0, per_host: int = 2, workers: int = 8, timeout: float = 15.0,
                 retries: int = 2, backoff: float = 0.5, max_bytes: int = 10_000_000,
                 max_redirects: int = 5) -> None:
        for name, value, least in (
                ("delay", delay, 0), ("per_host", per_host, 1), ("workers", workers, 1),
                ("timeout", timeout, 0.001), ("retries", retries, 0), ("backoff", backoff, 0),
                ("max_bytes", max_bytes, 1), ("max_redirects", max_redirects, 0)):
            if value < least:
                raise TrackerError(f"Fetcher {name}={value!r} is invalid; use {least} or more.")
        self.user_agent = user_agent
        self.polite = polite
        self.delay = delay
        self.per_host = per_host
        self.workers = workers
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self._lock = threading.Lock()
        self._hosts: dict[str, _Host] = {}
        self._robots: dict[str, tuple[object | None, str | None]] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._local = threading.local()
        self._sessions: list = []
        self._pool = None
        self._stats = {"requests": {}, "bytes": 0, "retries": 0, "not_modified": 0,
                       "robots_refused": 0, "errors": 0}

    @property
    def stats(self) -> dict:
        """A snapshot of ``requests`` (host -> requests sent, robots.txt included), ``bytes``
        (body bytes kept), ``retries``, ``not_modified`` (304s), ``robots_refused``, ``errors``."""
        with self._lock:
            return {**self._stats, "requests": dict(self._stats["requests"])}

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None, *,
              max_bytes: int | None = None) -> Fetched:
        """Fetch one URL, following redirects and retrying what may pass.

        Parameters
        ----------
        url : str
            An http or https URL.
        etag, last_modified : str or None
            Validators of a cached copy: sent as If-None-Match / If-Modified-Since, so an
            unchanged page comes back as a 304 (``not_modified``, empty body).
        max_bytes : int or None
            This fetch's size cap, instead of the Fetcher's (a large data file).

        Returns
        -------
        Fetched
            Never raises for network or HTTP problems: they come back in ``error``.
        """
        return self._get(url, etag, last_modified, max_bytes or self.max_bytes, self.polite)

    def fetch_many(self, requests: Iterable[str | tuple[str, str | None, str | None]], *,
                   max_bytes: int | None = None) -> Iterator[Fetched]:
        """Fetch many URLs on threads, yielding each as it completes.

        A host's URLs go to a worker only when the host has a free slot and its turn has
        come, so one slow or rate-limited host leaves the workers to the others. One URL's
        failure never stops the others.

        Parameters
        ----------
        requests : iterable of str or (url, etag, last_modified)
            What to fetch; a tuple makes a conditional GET.
        max_bytes : int or None
            The size cap for these fetches, instead of the Fetcher's.

        Yields
        ------
        Fetched
            In order of completion, not of input (``Fetched.url`` says which is which).
        """
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        queues: dict[str, deque] = {}
        for item in requests:
            url, etag, last_modified = (item, None, None) if isinstance(item, str) else item
            queues.setdefault(host_of(url), deque()).append((url, etag, last_modified))
        with self._lock:
            pool = self._pool = self._pool or ThreadPoolExecutor(self.workers, "tracker-fetch")
        running: dict = {}
        active: dict[str, int] = {}
        while queues or running:
            now, soonest = time.monotonic(), []
            for host in list(queues):
                while (host in queues and len(running) < self.workers
                       and active.get(host, 0) < self.per_host):
                    ready_at = self._host(host).next_at if self.polite else now
                    if ready_at > now + 0.005:
                        soonest.append(ready_at)
                        break
                    running[pool.submit(self.fetch, *queues[host].popleft(),
                                        max_bytes=max_bytes)] = host
                    active[host] = active.get(host, 0) + 1
                    if not queues[host]:
                        del queues[host]
                    elif self.polite:  # look again once the worker has booked its turn
                        soonest.append(now + 0.02)
                        break
            timeout = max(0.0, min(soonest) - now) if soonest else None
            if not running:  # every queued host is waiting for its turn
                time.sleep(timeout or 0.0)
                continue
            done, _ = wait(running, timeout=timeout, return_when=FIRST_COMPLETED)
            for future in done:
                active[running.pop(future)] -= 1
                yield future.result()

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets this fetcher's user agent fetch ``url``.

        The host's robots.txt is fetched once per Fetcher, politely, as any request. Per
        RFC 9309: a 4xx means everything is allowed; a 5xx or no answer means nothing on that
        host is, for the life of this Fetcher. Always True when ``polite`` is False.
        """
        if not self.polite:
            return True
        parser, _ = self._robots_for(url)
        return parser is not None and parser.can_fetch(self.user_agent, url)

    def close(self) -> None:
        """Stop the worker threads and close the connections."""
        with self._lock:
            pool, self._pool = self._pool, None
            sessions, self._sessions = self._sessions, []
            self._local = threading.local()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        for session in sessions:
            session.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _host(self, host: str) -> _Host:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = _Host(self.per_host, self.delay)
            return self._hosts[host]

    def _tally(self, key: str, n: int = 1, host: str | None = None) -> None:
        with self._lock:
            counts, key = (self._stats[key], host) if host else (self._stats, key)
            counts[key] = counts.get(key, 0) + n

    def _session(self):
        """This thread's session: requests' sessions are not safe to share between threads."""
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = self._local.session = requests.Session()
            session.headers.update({"User-Agent": self.user_agent, "Accept": ACCEPT,
                                    "Accept-Encoding": "gzip, deflate"})
            with self._lock:
                self._sessions.append(session)
        return session

    def _robots_for(self, url: str) -> tuple[object | None, str | None]:
        """(parser, None), or (None, why) when robots.txt could not be had; fetched once."""
        origin = f"{urlsplit(url).scheme.lower()}://{host_of(url)}"
        with self._lock:
            if origin in self._robots:
                return self._robots[origin]
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:  # one thread fetches; the others for this host wait for its answer
            if origin not in self._robots:
                entry = self._read_robots(origin)
                with self._lock:
                    self._robots[origin] = entry
        return self._robots[origin]

    def _read_robots(self, origin: str) -> tuple[object | None, str | None]:
        from urllib.robotparser import RobotFileParser

        got = self._get(origin + "/robots.txt", None, None, ROBOTS_MAX_BYTES, robots=False,
                        truncate=True)
        parser = RobotFileParser(origin + "/robots.txt")
        if got.ok and got.status is not None and got.status < 300:
            parser.parse(decode(got.body, got.charset, "text/plain")[0].splitlines())
            delay, rate = parser.crawl_delay(self.user_agent), parser.request_rate(self.user_agent)
            slowest = max(float(delay or 0), rate.seconds / rate.requests if rate else 0.0)
            host = self._host(host_of(origin))
            host.delay = max(host.delay, slowest)  # written once, by the one robots reader
            host.hold_off(host.delay)  # the robots.txt request itself counts
            return parser, None
        if got.status is not None and 400 <= got.status < 500 and got.status != 429:
            parser.allow_all = True
            return parser, None
        if got.status is None:  # no answer at all: the host is down, not its robots.txt
            return None, f"{got.error} (the host did not answer); try later"
        why = f"HTTP {got.status}" if got.status >= 400 else got.error
        return None, f"robots.txt unavailable ({why}); try later"

    def _get(self, url: str, etag: str | None, last_modified: str | None, max_bytes: int,
             robots: bool, truncate: bool = False) -> Fetched:
        """Fetch with redirects and retries; the one place a :class:`Fetched` is built."""
        started = time.monotonic()
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified))
                   if v}
        current, sent, retried, redirects = url, 0, 0, 0

        def done(answer: _Answer | None, error: str | None, status: int | None = None) -> Fetched:
            got = answer.headers if answer is not None else {}
            media, charset = _media(got)
            not_modified = error is None and answer is not None and answer.status == 304
            body = answer.body if error is None and answer is not None else b""
            self._tally("errors" if error else "not_modified" if not_modified else "bytes",
                        len(body) if error is None and not not_modified else 1)
            return Fetched(
                url=url, final_url=current if sent else None,
                status=answer.status if answer is not None else status, body=body,
                content_type=media, charset=charset,
                etag=got.get("ETag") or (etag if not_modified else None),
                last_modified=got.get("Last-Modified") or (last_modified if not_modified
                                                           else None),
                not_modified=not_modified, error=error, attempts=retried + 1 if sent else 0,
                seconds=round(time.monotonic() - started, 4),
                fetched_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))

        while True:
            if urlsplit(current).scheme.lower() not in ("http", "https") or not host_of(current):
                return done(None, f"not an http(s) URL: {current!r}")
            if robots and not self.allowed(current):
                self._tally("robots_refused")
                return done(None, self._robots_for(current)[1] or "disallowed by robots.txt")
            for k in range(self.retries + 1):
                sent += 1
                answer, failure, wait = None, None, 0.0
                try:
                    answer = self._once(current, headers, max_bytes, truncate)
                except _Failure as exc:
                    failure = exc
                if answer is not None and (answer.status == 429 or answer.status >= 500
                                           and answer.status != 501):
                    failure = _Failure(_http_error(answer.status, answer.reason), True,
                                       answer.status)
                    wait = _retry_after(answer.headers.get("Retry-After"))
                if failure is None or not failure.retry or k == self.retries:
                    break
                wait = max(wait, self.backoff * 2 ** k)
                if self.polite:  # the host asked everyone to wait, not only this request
                    self._host(host_of(current)).hold_off(wait)
                self._tally("retries")
                retried += 1
                time.sleep(wait)
            if failure is not None:
                return done(None, failure.message, failure.status)
            if answer.status in REDIRECTS:
                location = answer.headers.get("Location", "").strip()
                if not location:
                    return done(answer, f"{_http_error(answer.status, answer.reason)} "
                                        "without a Location header")
                if redirects >= self.max_redirects:
                    return done(answer, f"too many redirects (more than {self.max_redirects})")
                redirects += 1
                current = urljoin(current, location)
                continue
            if answer.status >= 300 and not (answer.status == 304 and headers):
                return done(answer, _http_error(answer.status, answer.reason))
            return done(answer, None)

    def _once(self, url: str, headers: dict, max_bytes: int, truncate: bool) -> _Answer:
        """One request, in the host's slot and turn: the answer, or a :class:`_Failure`."""
        host = host_of(url)
        state = self._host(host)
        with state.slots:
            if self.polite:
                state.wait_turn()
            self._tally("requests", host=host)
            deadline = time.monotonic() + 4 * self.timeout
            try:
                response = self._session().get(url, headers=headers, stream=True,
                                               allow_redirects=False,
                                               timeout=(self.timeout, self.timeout))
                with response:  # closes the connection when the body was not read to the end
                    answer = _Answer(response.status_code, response.reason, response.headers)
                    if answer.status < 300:
                        answer.body = self._read(response.raw, answer, max_bytes, truncate,
                                                 deadline)
                    return answer
            except (_Failure, TypeError, AttributeError, NameError):
                raise
            except Exception as exc:  # requests and urllib3 raise many kinds; all are network
                raise _describe(exc, self.timeout, host) from None

    def _read(self, raw, answer: _Answer, max_bytes: int, truncate: bool,
              deadline: float) -> bytes:
        """The decompressed body, streamed: cut at ``max_bytes`` (kept or failed) and failed
        at the whole-request ``deadline``."""
        size = f"{max_bytes / 1e6:g} MB" if max_bytes >= 1_000_000 else f"{max_bytes / 1e3:g} kB"
        cap = _Failure(f"larger than the {size} cap", False, answer.status)
        length = answer.headers.get("Content-Length", "")
        if (length.isdigit() and int(length) > max_bytes and not truncate
                and not answer.headers.get("Content-Encoding")):
            raise cap
        body = bytearray()
        # read1 returns after each network read (decompressing at most _CHUNK bytes), so the
        # cap and the deadline are checked however slowly or densely the bytes come.
        while chunk := raw.read1(_CHUNK, decode_content=True):
            body += chunk
            if len(body) > max_bytes:
                if not truncate:
                    raise cap
                del body[max_bytes:]
                break
            if time.monotonic() > deadline:
                raise _Failure(f"no complete answer within {4 * self.timeout:g} s "
                               "(4x the timeout)", True, answer.status)
        return bytes(body)
