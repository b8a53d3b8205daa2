"""Ingest: read news files and give cleaned, dated, content-addressed articles.

Takes paths to files or folders of ``.txt``, ``.md``, ``.html``/``.htm``, ``.jsonl`` and ``.csv``;
gives :class:`Article` records. The cleaned ``Article.text`` is what the store keeps and what every
later stage indexes into, so all cleaning happens here and nowhere else.

Cleaning (see :func:`clean_text`) removes page furniture (reading-time lines, "Read also" links,
wire credits, share/subscribe lines), normalises curly and guillemet quotes to ASCII, tidies the
spaces around quotes and punctuation, drops a repeated headline and keeps paragraphs apart with
``"\\n\\n"``. ``Article.id`` is a hash of the cleaned text, so one story read from two files (even
with different furniture around it) gets one id.

The publication date comes from metadata if there is any, else from the ``date`` argument (the
CLI's ``--date``), else from the text itself (see :func:`infer_date`); ``Article.date_method`` says
which.
"""
from __future__ import annotations

import csv
import datetime as dt
import email.utils
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from tracker.errors import TrackerError, bad_input, where

__all__ = [
    "Article",
    "SUPPORTED_SUFFIXES",
    "read_articles",
    "clean_text",
    "normalise_quotes",
    "fix_quote_spacing",
    "is_furniture",
    "drop_repeated_headline",
    "looks_like_headline",
    "content_id",
    "parse_date",
    "infer_date",
    "html_to_text",
]

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".csv")

# Column names accepted in JSONL/CSV, first match wins. Synonyms cover common scraper exports.
_COLUMNS = {
    "text": ("text", "body", "content", "article", "story"),
    "id": ("id", "external_id", "article_id", "guid"),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datetime"),
    "outlet": ("outlet", "publisher", "source", "site"),
}


@dataclass(frozen=True)
class Article:
    """One cleaned news article.

    Attributes
    ----------
    id : str
        First 16 hex characters of the sha256 of ``text``: identical text gives the same id.
    external_id : str
        The input's ``id`` column, or the file name (``name:line`` for id-less JSONL/CSV rows).
    url, title, outlet : str or None
        Metadata where known; ``outlet`` falls back to the URL's host name.
    published : str
        Publication date, ``"YYYY-MM-DD"``.
    date_method : str
        How ``published`` was obtained: ``"metadata"``, ``"option --date"`` or ``"text: ..."``.
    text : str
        Cleaned text; paragraphs are separated by ``"\\n\\n"``. All offsets downstream index into it.
    origin : str
        ``"path"`` or ``"path:line"`` the article came from.
    """

    id: str
    external_id: str
    url: str | None
    title: str | None
    outlet: str | None
    published: str
    date_method: str
    text: str
    origin: str


# A record as read from a file, before cleaning and dating.
@dataclass(frozen=True)
class _Raw:
    text: str
    path: Path
    line: int | None
    external_id: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_field: str = "published"
    title_from_text: bool = False


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------

def read_articles(
    paths: str | Path | Iterable[str | Path],
    date: dt.date | str | None = None,
) -> Iterator[Article]:
    """Read articles from files and folders.

    Parameters
    ----------
    paths : str, Path or iterable of them
        Files or folders. Folders are searched recursively in sorted order; files with other
        suffixes and hidden files are skipped there. A named file must have a supported suffix
        (``.txt``, ``.md``, ``.html``, ``.htm``, ``.jsonl``, ``.csv``).
    date : datetime.date or "YYYY-MM-DD", optional
        Publication date for articles whose metadata has none (the CLI's ``--date``). Without it,
        the date is inferred from the text.

    Returns
    -------
    Iterator[Article]
        Lazily read: JSONL and CSV files are streamed row by row.

    Raises
    ------
    TrackerError
        A path is missing or unsupported or ``date`` is malformed (raised at once); a file is
        unreadable, not UTF-8, has a bad row or bad date, or an article has no date at all
        (raised while iterating, naming file and line).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Seoul protested.\\n\\n2 mins", encoding="utf-8")
    >>> [(a.text, a.published, a.date_method) for a in read_articles(folder, date="2024-02-04")]
    [('Seoul protested.', '2024-02-04', 'option --date')]
    """
    fallback = _option_date(date)
    files = _collect_files(paths)  # eager, so a typo in a path fails before any work is done
    return _generate(files, fallback)


def _generate(files: list[Path], fallback: dt.date | None) -> Iterator[Article]:
    for path in files:
        for raw in _read_file(path):
            yield _make_article(raw, fallback)


def _option_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise TrackerError(
            f"--date {value!r} is invalid; use a date written YYYY-MM-DD, e.g. 2024-02-04."
        ) from None


def _collect_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = [
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            files.extend(sorted(found, key=lambda p: p.relative_to(path).parts))
        elif path.is_file():
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise TrackerError(
                    f"{path}: unsupported file type {path.suffix or '(no suffix)'!r}; "
                    f"use one of: {', '.join(SUPPORTED_SUFFIXES)}."
                )
            files.append(path)
        else:
            raise TrackerError(f"{path}: no such file or folder; check the path.")
    return files


# --------------------------------------------------------------------------------------------
# Reading files into raw records
# --------------------------------------------------------------------------------------------

def _read_file(path: Path) -> Iterator[_Raw]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path)
    elif suffix == ".csv":
        yield from _read_csv(path)
    elif suffix in (".html", ".htm"):
        yield _read_html(path)
    else:
        yield _read_plain(path, markdown=suffix == ".md")


def _unreadable(path: Path, err: OSError) -> TrackerError:
    return TrackerError(f"{path}: cannot be read ({err.strerror or err}); check the file and its permissions.")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise _unreadable(path, err) from None


def _decode(data: bytes, path: Path, line: int | None = None) -> str:
    try:
        return data.decode("utf-8-sig" if line in (None, 1) else "utf-8")
    except UnicodeDecodeError as err:
        bad_line = line if line is not None else data.count(b"\n", 0, err.start) + 1
        raise bad_input(
            path, bad_line, f"not UTF-8 (byte 0x{data[err.start]:02x})", "re-save the file as UTF-8"
        ) from None


def _byte_lines(path: Path) -> Iterator[tuple[int, bytes]]:
    # Binary line iteration streams the file and lets a decoding error name its exact line;
    # splitting on b"\n" is safe because no UTF-8 multi-byte sequence contains that byte.
    try:
        handle = path.open("rb")
    except OSError as err:
        raise _unreadable(path, err) from None
    with handle:
        yield from enumerate(handle, start=1)


def _pick(row: dict, field: str) -> tuple[str | None, str | None]:
    """Return ``(value, column name)`` of the first non-empty synonym of ``field`` in ``row``."""
    for name in _COLUMNS[field]:
        value = row.get(name)
        if value is not None and str(value).strip() != "":
            return str(value).strip() if field != "text" else str(value), name
    return None, None


def _raw_from_row(row: dict, path: Path, line: int) -> _Raw:
    row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    text, _ = _pick(row, "text")
    if text is None:
        raise bad_input(
            path, line, "row has no text (expected a 'text', 'body' or 'content' column)",
            "add the article text or remove that row",
        )
    external_id, _ = _pick(row, "id")
    published, field = _pick(row, "published")
    return _Raw(
        text=text, path=path, line=line,
        external_id=external_id or f"{path.name}:{line}",
        url=_pick(row, "url")[0], title=_pick(row, "title")[0], outlet=_pick(row, "outlet")[0],
        published=published, published_field=field or "published",
    )


def _read_jsonl(path: Path) -> Iterator[_Raw]:
    for number, data in _byte_lines(path):
        line = _decode(data, path, number)
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise bad_input(path, number, f"not valid JSON ({err.msg})", "fix or remove that line") from None
        if not isinstance(row, dict):
            raise bad_input(
                path, number, f"expected a JSON object, got {type(row).__name__}",
                'write one object per line, e.g. {"text": "..."}',
            )
        yield _raw_from_row(row, path, number)


def _read_csv(path: Path) -> Iterator[_Raw]:
    # The default 128 KiB field limit is smaller than some long articles. The setting is
    # process-wide, so it is raised here, when a CSV is read, rather than at import.
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    lines = (_decode(data, path, number) for number, data in _byte_lines(path))
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as err:
        raise bad_input(path, 1, f"not valid CSV ({err})", "fix the header line") from None
    header = [name.strip().lower() for name in header]
    if not any(name in header for name in _COLUMNS["text"]):
        raise bad_input(
            path, 1, f"no text column in the header {header}",
            "name the article text column 'text' (or 'body'/'content')",
        )
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise bad_input(path, start, f"not valid CSV ({err})", "fix or remove that row") from None
        if not any(v.strip() for v in values):
            continue
        yield _raw_from_row(dict(zip(header, values)), path, start)


def _read_plain(path: Path, markdown: bool) -> _Raw:
    text = _decode(_read_bytes(path), path)
    meta: dict[str, str] = {}
    if markdown:
        meta, text = _front_matter(text)
        text = _strip_markdown(text)
    published, field = _pick(meta, "published")
    return _Raw(
        text=text, path=path, line=None,
        external_id=_pick(meta, "id")[0] or path.name,
        url=_pick(meta, "url")[0], title=_pick(meta, "title")[0], outlet=_pick(meta, "outlet")[0],
        published=published, published_field=field or "published", title_from_text=True,
    )


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split simple ``---``-fenced ``key: value`` front matter off a Markdown file."""
    match = re.match(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", text, re.S)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).splitlines():
        key, sep, value = line.partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, text[match.end():]


def _strip_markdown(text: str) -> str:
    """Reduce Markdown markup to the words a reader sees."""
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)             # images carry no article text
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)          # keep link text, drop the target
    text = re.sub(r"^[ \t]{0,3}(?:#{1,6}|>+)[ \t]*", "", text, flags=re.M)
    text = re.sub(r"^[ \t]*(?:[-*_][ \t]*){3,}$", "", text, flags=re.M)   # horizontal rules
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)


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


def _read_html(path: Path) -> _Raw:
    text, meta = html_to_text(_decode(_read_bytes(path), path))
    return _Raw(
        text=text, path=path, line=None, external_id=path.name,
        url=meta["url"], title=meta["title"], outlet=meta["outlet"], published=meta["published"],
    )


# --------------------------------------------------------------------------------------------
# Cleaning
# --------------------------------------------------------------------------------------------

_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u02bc\u2039\u203a`\u00b4"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u300c\u300d"
_QUOTE_TABLE = str.maketrans({**{c: "'" for c in _SINGLE_QUOTES}, **{c: '"' for c in _DOUBLE_QUOTES}})
# Non-breaking and other odd spaces (French typography puts them inside guillemets).
_SPACE_TABLE = str.maketrans({c: " " for c in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                              "\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\f\v"})
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_quotes(text: str) -> str:
    """Map curly quotes, guillemets and primes to ASCII ``'`` and ``"``.

    Examples
    --------
    >>> normalise_quotes("Seoul\u2019s \u201cmain enemy\u201d \u00ab here \u00bb")
    'Seoul\\'s "main enemy" " here "'
    """
    return text.translate(_QUOTE_TABLE)


def fix_quote_spacing(paragraph: str) -> str:
    """Tidy the spaces inside double quotes in one paragraph.

    Quotes pair up in order (first opens, second closes, ...). Spaces are only removed, never
    added, and only where the quote's other side fits its role (an opening quote after a space,
    a closing one before a space or punctuation). With an odd count, a last quote followed by
    punctuation or the paragraph's end counts as closing; otherwise it is left alone. A single
    quote at the very start or end of a paragraph is dropped as a layout leftover.

    Examples
    --------
    >>> fix_quote_spacing('urged Russia to have " responsible actions ", it said')
    'urged Russia to have "responsible actions", it said'
    """
    positions = [m.start() for m in re.finditer('"', paragraph)]
    if not positions:
        return paragraph
    if len(positions) == 1 and positions[0] in (0, len(paragraph) - 1):
        # a lone quote at the edge of a paragraph quotes nothing: a leftover of the page layout
        return paragraph.replace('"', "").strip()
    roles = ["open" if i % 2 == 0 else "close" for i in range(len(positions))]
    if len(positions) % 2:
        last = positions[-1]
        rest = paragraph[last + 1:].strip()
        roles[-1] = "close" if rest == "" or rest[0] in ".,;:!?)" else "keep"
    drop: list[tuple[int, int]] = []  # runs of spaces to delete, in order
    for pos, role in zip(positions, roles):
        prev = paragraph[pos - 1] if pos > 0 else " "
        nxt = paragraph[pos + 1] if pos + 1 < len(paragraph) else " "
        # Only ever delete spaces, and only where the quote's other side agrees with its role,
        # so a wrongly paired quote cannot glue it to a neighbouring word.
        if role == "open" and (prev.isspace() or prev in "([") and nxt == " ":
            end = pos + 1
            while end < len(paragraph) and paragraph[end] == " ":
                end += 1
            drop.append((pos + 1, end))
        elif role == "close" and (nxt.isspace() or nxt in ".,;:!?)]") and prev == " ":
            start = pos
            while start > 0 and paragraph[start - 1] == " ":
                start -= 1
            drop.append((start, pos))
    pieces, cursor = [], 0
    for start, end in drop:
        pieces.append(paragraph[cursor:start])
        cursor = end
    pieces.append(paragraph[cursor:])
    return "".join(pieces)


_FURNITURE = [
    # reading time: "2 mins", "3 min read", "Reading time: 4 minutes"
    re.compile(r"(?:(?:estimated\s+)?read(?:ing)?\s+time\s*:?\s*)?\d+\s*(?:-\s*\d+\s*)?"
               r"(?:mins?|minutes?)\.?(?:\s+(?:read|reading|listen))?", re.I),
    re.compile(r"read(?:ing)?\s+time\s*:?.{0,20}", re.I),
    # cross links, often glued to the linked headline: "Read alsoNorth Korea launches ..."
    re.compile(r"(?:read|see)\s*(?:also|more)(?:\b|(?=[A-Z])).*|also\s+read\b.*"
               r"|related\s*(?::|articles?\b|stories\b|coverage\b).*|more\s+on\s+this\s+(?:story|topic)\b.*",
               re.I),
    # a wire credit or photo credit alone on a line: "(With AFP)", "(Reuters)", "(Photo: AP)"
    re.compile(r"\([^()\n]{1,100}\)\.?"),
    re.compile(r"(?:skip\s+)?advertisement|sponsored(?:\s+content)?|ad", re.I),
    re.compile(r"(?:(?:share|follow)(?:\s+(?:on|us\s+on))?\s*:?\s*)?"
               r"(?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit|email)"
               r"(?:\s*[|,/\u00b7\u2022]?\s*(?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit|email))*", re.I),
]
# These also start real sentences ("Share prices fell."), so they count only on short lines
# without a full stop.
_SHORT_FURNITURE = [
    re.compile(r"(?:share|subscribe|sign\s+up|follow\s+us|click\s+here|print|copy\s+link|tweet)\b.*", re.I),
    re.compile(r".*\bnewsletters?\b.*", re.I),
]


def is_furniture(line: str) -> bool:
    """Whether a whole line is page furniture rather than article text.

    Furniture is reading-time lines, "Read also/Read more/See also/Related" links, a wire or
    photo credit alone in parentheses, "Advertisement", and short share/subscribe/newsletter
    lines. Sentences that merely start with "Share" (``"Share prices fell."``) are kept, since
    furniture lines are short and have no full stop.

    Examples
    --------
    >>> [is_furniture(s) for s in ["2 mins", "(With AFP)", "Read alsoNorth Korea fires", "Seoul said no."]]
    [True, True, True, False]
    """
    line = line.strip()
    if not line or len(line) > 200:
        return False
    if any(pattern.fullmatch(line) for pattern in _FURNITURE):
        return True
    short = len(line.split()) <= 10 and not line.endswith(".")
    return short and any(pattern.fullmatch(line) for pattern in _SHORT_FURNITURE)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def looks_like_headline(line: str) -> bool:
    """Whether a line reads as a headline: short, with no final full stop.

    Examples
    --------
    >>> looks_like_headline("Russian diplomacy visits South Korea"), looks_like_headline("He left.")
    (True, False)
    """
    line = line.strip()
    return (
        0 < len(line) <= 200 and len(line.split()) <= 30 and not line.endswith((".", ",", ";", ":"))
        and any(c.isalpha() for c in line)
    )


def drop_repeated_headline(paragraphs: list[str]) -> list[str]:
    """Drop a headline that repeats the one before it, in full or as a truncated copy.

    Words are compared without punctuation and case, since the copy often loses a comma.

    Examples
    --------
    >>> drop_repeated_headline(["A, B visits C", "A B visits", "Body."])
    ['A, B visits C', 'Body.']
    """
    out: list[str] = []
    for para in paragraphs:
        if out and looks_like_headline(para) and looks_like_headline(out[-1]):
            new, old = _words(para), _words(out[-1])
            if new and new == old[: len(new)]:
                continue
            if old and len(old) < len(new) and new[: len(old)] == old:
                out[-1] = para  # the first was the truncated copy: keep the full one
                continue
        out.append(para)
    return out


def _tidy_spaces(paragraph: str) -> str:
    paragraph = re.sub(r" {2,}", " ", paragraph).strip()
    # 'affairs , indicated' -> 'affairs, indicated'; only before a space or the end, so
    # decimals (' .5') and ellipses are left alone
    return re.sub(r"(?<=[\w\"')\]]) +([,;:!?.])(?=\s|$)", r"\1", paragraph)


def clean_text(text: str) -> str:
    """Clean raw article text into the form stored and indexed downstream.

    Steps: unify line ends and odd spaces, drop invisible characters, normalise quotes
    (:func:`normalise_quotes`), drop furniture lines (:func:`is_furniture`), join lines into
    paragraphs (blank lines separate paragraphs; a text without blank lines has one paragraph
    per line), drop a repeated headline (:func:`drop_repeated_headline`), tidy spaces and
    quote spacing (:func:`fix_quote_spacing`). Paragraphs are joined with ``"\\n\\n"``.

    Examples
    --------
    >>> clean_text("Title\\n\\n2 mins\\n\\nSeoul\u2019s  view , it said.\\n\\n(With AFP)")
    "Title\\n\\nSeoul's view, it said."
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_SPACE_TABLE)
    text = normalise_quotes(_INVISIBLE.sub("", text))
    lines = [line.strip() for line in text.strip().split("\n")]
    # Blank lines mark paragraphs when the text has any; otherwise each line is one.
    has_blank = "" in lines
    # Dropped rather than blanked, so an ad line inside a wrapped paragraph does not split it.
    lines = [line for line in lines if not is_furniture(line)]
    paragraphs: list[str] = []
    if has_blank:
        block: list[str] = []
        for line in [*lines, ""]:
            if line:
                block.append(line)
            elif block:
                paragraphs.append(" ".join(block))
                block = []
    else:
        paragraphs = [line for line in lines if line]
    paragraphs = [fix_quote_spacing(_tidy_spaces(p)) for p in paragraphs]
    paragraphs = drop_repeated_headline([p for p in paragraphs if p])
    return "\n\n".join(paragraphs)


def content_id(text: str) -> str:
    """First 16 hex characters of the sha256 of ``text`` (UTF-8).

    Examples
    --------
    >>> content_id("abc")
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
             r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
               r"|Mon\.|Tue\.|Tues\.|Wed\.|Thu\.|Thur\.|Thurs\.|Fri\.|Sat\.|Sun\.)")
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_TAIL = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?\b"
_WEEKDAY_DATES = [
    re.compile(rf"\b(?P<wd>{_WEEKDAY_RE}),?\s+(?:the\s+)?(?P<mon>{_MONTH_RE})\s+{_DAY_RE}\b{_YEAR_TAIL}"),
    re.compile(rf"\b(?P<wd>{_WEEKDAY_RE}),?\s+(?:the\s+)?{_DAY_RE}(?:\s+of)?\s+(?P<mon>{_MONTH_RE})"
               rf"(?!\w){_YEAR_TAIL}"),
]
_FULL_DATES = [
    re.compile(rf"\b(?P<mon>{_MONTH_RE})\s+{_DAY_RE},?\s+(?P<year>(?:19|20)\d{{2}})\b"),
    re.compile(rf"\b{_DAY_RE}(?:\s+of)?\s+(?P<mon>{_MONTH_RE}),?\s+(?P<year>(?:19|20)\d{{2}})\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"),
]
_YEAR = re.compile(r"(?<![\w.,/-])(19\d{2}|20\d{2}|2100)(?![\w/]|[.,]\d)")
# A year after these words is a deadline or plan, not something that has happened.
_FUTURE_BEFORE = re.compile(r"\b(?:by|until|till|through|ahead\s+of|by\s+the\s+end\s+of)\s+$", re.I)
_MAX_YEARS_AHEAD = 11  # the longest gap before a (non-29-Feb) weekday/month/day repeats


def _month_number(name: str) -> int:
    return int(name) if name.isdigit() else _MONTHS[name[:3].lower()]


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: str) -> dt.date:
    """Parse a metadata date or datetime.

    Accepts ISO dates and datetimes (``"2024-02-04"``, ``"2025-03-14 20:30:26Z"``,
    ``"2024-02-04T09:00:00+09:00"``; the date is taken as written, not shifted to UTC),
    RFC 2822 (``"Sun, 04 Feb 2024 09:00:00 +0900"``) and written dates (``"February 4, 2024"``,
    ``"4 Feb 2024"``).

    Raises
    ------
    ValueError
        If ``value`` is not one of those forms or not a real date.

    Examples
    --------
    >>> parse_date("2025-03-14 20:30:26Z"), parse_date("February 4, 2024")
    (datetime.date(2025, 3, 14), datetime.date(2024, 2, 4))
    """
    value = value.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                       r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?", value, re.I)
    if iso:
        found = _make_date(*(int(g) for g in iso.groups()))
        if found:
            return found
        raise ValueError(f"{value!r} is not a real date")
    slashed = re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", value)
    if slashed and (found := _make_date(*(int(g) for g in slashed.groups()))):
        return found
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date()
    for pattern in _FULL_DATES[:2]:
        match = re.fullmatch(rf"(?:{_WEEKDAY_RE},?\s+)?{pattern.pattern}", value)
        if match and (found := _make_date(int(match["year"]), _month_number(match["mon"]), int(match["day"]))):
            return found
    raise ValueError(f"{value!r} is not a recognised date")


def _mentioned_years(text: str) -> list[int]:
    years = []
    for match in _YEAR.finditer(text):
        if _FUTURE_BEFORE.search(text[max(0, match.start() - 20): match.start()]):
            continue
        years.append(int(match.group(1)))
    return years


def infer_date(text: str) -> tuple[dt.date, str] | None:
    """Infer a publication date from the article text, saying how.

    In order of trust:

    1. a date written with weekday and year (``"Sunday, February 4, 2024"``) whose weekday fits;
    2. a date with weekday only (``"on Sunday February 4"``, ``"Sunday 4 February"``): the year is
       the first one, not before the latest year the text mentions (deadlines such as "by 2030"
       aside), in which that month and day fall on that weekday, looking at most 11 years ahead;
       without any year mentioned there is no lower bound, so this step gives nothing;
    3. the first full date with a year (``"February 4, 2024"``, ``"2024-02-04"``).

    Within each step the first match in the text wins, as datelines and ledes come first.

    Returns
    -------
    (date, method) or None
        ``method`` is a one-line explanation for ``Article.date_method``.

    Examples
    --------
    >>> day, how = infer_date("Since 2022 ... announced on Sunday February 4 that ...")
    >>> day.isoformat()
    '2024-02-04'
    >>> how  # doctest: +NORMALIZE_WHITESPACE
    "text: 'Sunday February 4' is a Sunday in 2024, the first such year not before 2022
    (latest year mentioned)"
    """
    weekday_dates = sorted(
        (m for pattern in _WEEKDAY_DATES for m in pattern.finditer(text)), key=lambda m: m.start()
    )
    for match in weekday_dates:
        if match["year"]:
            day = _make_date(int(match["year"]), _month_number(match["mon"]), int(match["day"]))
            if day and _WEEKDAYS[day.weekday()].startswith(match["wd"].rstrip(".").lower()[:3]):
                phrase = " ".join(match.group(0).split())
                return day, f"text: full date with weekday '{phrase}'"
    years = _mentioned_years(text)
    if years:
        floor = max(years)
        for match in weekday_dates:
            weekday = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(match["wd"].rstrip(".").lower()[:3]))
            month, day_of_month = _month_number(match["mon"]), int(match["day"])
            for year in range(floor, floor + _MAX_YEARS_AHEAD + 1):
                day = _make_date(year, month, day_of_month)
                if day and day.weekday() == weekday:
                    phrase = " ".join(text[match.start("wd"): max(match.end("day"), match.end("mon"))].split())
                    return day, (
                        f"text: '{phrase}' is a {_WEEKDAYS[weekday].capitalize()} in {year}, "
                        f"the first such year not before {floor} (latest year mentioned)"
                    )
    for match in sorted((m for p in _FULL_DATES for m in p.finditer(text)), key=lambda m: m.start()):
        day = _make_date(int(match["year"]), _month_number(match["mon"]), int(match["day"]))
        if day:
            return day, f"text: full date '{' '.join(match.group(0).split())}'"
    return None


def _resolve_date(raw: _Raw, text: str, fallback: dt.date | None) -> tuple[str, str]:
    if raw.published:
        try:
            return parse_date(raw.published).isoformat(), "metadata"
        except ValueError:
            raise bad_input(
                raw.path, raw.line, f"{raw.published_field} {raw.published!r} is not a date",
                "write it as YYYY-MM-DD (or an ISO/RFC 2822 datetime) or leave it empty",
            ) from None
    if fallback is not None:
        return fallback.isoformat(), "option --date"
    inferred = infer_date(text)
    if inferred is None:
        raise bad_input(
            raw.path, raw.line,
            "no publication date (no date metadata, and no weekday or full date in the text)",
            "pass --date YYYY-MM-DD, or add a 'published' value",
        )
    day, method = inferred
    return day.isoformat(), method


# --------------------------------------------------------------------------------------------
# Records to articles
# --------------------------------------------------------------------------------------------

def _make_article(raw: _Raw, fallback: dt.date | None) -> Article:
    text = clean_text(raw.text)
    if not text:
        raise bad_input(raw.path, raw.line, "no article text left after cleaning", "check that it holds the article")
    title = clean_text(raw.title) if raw.title else None
    if title is None and raw.title_from_text:
        first, sep, _ = text.partition("\n\n")
        title = first if sep and looks_like_headline(first) else None
    published, method = _resolve_date(raw, text, fallback)
    outlet = raw.outlet
    if outlet is None and raw.url:
        host = urlsplit(raw.url).hostname or ""
        outlet = host.removeprefix("www.") or None
    return Article(
        id=content_id(text),
        external_id=raw.external_id,
        url=raw.url,
        title=title or None,
        outlet=outlet,
        published=published,
        date_method=method,
        text=text,
        origin=where(raw.path, raw.line),
    )
