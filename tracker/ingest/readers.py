"""Readers: files and folders -> raw records (text and metadata as found, before cleaning).

One reader per file type: ``.txt`` and ``.md`` (with simple front matter), ``.html``/``.htm``
(see :mod:`tracker.ingest.html`), ``.jsonl``, ``.json``, ``.csv`` and ``.parquet`` (a ``text``
column and optional metadata columns, with common synonyms; Parquet row numbers stand for
lines in messages).
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tracker.errors import TrackerError, bad_input
from tracker.ingest.html import html_to_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".json", ".csv", ".parquet",
                      ".gz")
#: Files in an input folder that are about the data, not articles: skipped with a note.
NOT_ARTICLES = re.compile(r"(?i)^(readme|source|license|licence|changelog|contributing|notice)"
                          r"(\.[a-z]+)?$")

# Column names accepted in JSONL/CSV, first match wins. Synonyms cover common scraper exports.
_COLUMNS = {
    "text": ("text", "body", "content", "article", "story"),
    "id": ("id", "external_id", "article_id", "guid"),
    "url": ("url", "link"),
    "title": ("title", "headline"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate", "datetime",
                  "seendate"),
    "outlet": ("outlet", "publisher", "source", "site"),
    "speaker": ("speaker",),
}


@dataclass(frozen=True)
class Raw:
    """A record as read from a file, before cleaning and dating."""

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
    speaker: str | None = None


def collect_files(paths: str | Path | Iterable[str | Path],
                  follow_links: bool = False, skipped: list[Path] | None = None) -> list[Path]:
    """The article files of ``paths`` (files, and folders searched recursively, hidden names
    skipped). In a folder, a symbolic link whose target lies outside that folder is not
    followed unless ``follow_links`` (``TRACKER_FOLLOW_LINKS=1``)."""
    import os

    if isinstance(paths, (str, Path)):
        paths = [paths]
    follow_links = follow_links or os.environ.get("TRACKER_FOLLOW_LINKS", "") in ("1", "yes")
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            top = path.resolve()
            found = [
                p for p in path.rglob("*")
                if p.is_file() and _inner_suffix(p) in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and (follow_links or p.resolve().is_relative_to(top))
            ]
            notes = [p for p in found if NOT_ARTICLES.match(p.name)]
            if skipped is not None:
                skipped.extend(notes)
            found = [p for p in found if p not in notes]
            files.extend(sorted(found, key=lambda p: p.relative_to(path).parts))
        elif path.is_file():
            if _inner_suffix(path) not in SUPPORTED_SUFFIXES or _inner_suffix(path) == ".gz":
                raise TrackerError(
                    f"{path}: unsupported file type {path.suffix or '(no suffix)'!r}; "
                    f"use one of: {', '.join(SUPPORTED_SUFFIXES)}."
                )
            files.append(path)
        else:
            raise TrackerError(f"{path}: no such file or folder; check the path.")
    return files


def read_file(path: Path) -> Iterator[Raw]:
    suffix = _inner_suffix(path)
    if suffix == ".jsonl":
        yield from _read_jsonl(path)
    elif suffix == ".json":
        yield from _read_json(path)
    elif suffix == ".csv":
        yield from _read_csv(path)
    elif suffix == ".parquet":
        yield from _read_parquet(path)
    elif suffix in (".html", ".htm"):
        yield _read_html(path)
    else:
        yield _read_plain(path, markdown=suffix == ".md")


def _inner_suffix(path: Path) -> str:
    """``.jsonl`` for ``x.jsonl.gz``: what a gzipped file holds."""
    suffixes = [x.lower() for x in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) > 1 else ".txt"
    return path.suffix.lower()


def _open_binary(path: Path):
    if path.suffix.lower() == ".gz":
        import gzip

        return gzip.open(path, "rb")
    return path.open("rb")


def _read_json(path: Path) -> Iterator[Raw]:
    """A JSON file: an array of article objects (or one object)."""
    try:
        data = json.loads(_decode(_read_bytes(path), path))
    except json.JSONDecodeError as err:
        raise bad_input(path, err.lineno, f"not valid JSON ({err.msg})",
                        "fix the file, or write one object per line as .jsonl") from None
    except RecursionError:
        raise bad_input(path, None, "JSON nested too deeply", "write a flat array of objects") \
            from None
    rows = data if isinstance(data, list) else [data]
    for k, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise bad_input(path, None, f"item {k} is a {type(row).__name__}, not an object",
                            'write an array of objects, e.g. [{"text": "..."}]')
        yield _raw_from_row(row, path, k)


def _unreadable(path: Path, err: OSError) -> TrackerError:
    return TrackerError(f"{path}: cannot be read ({err.strerror or err}); check the file and its permissions.")


def _read_bytes(path: Path) -> bytes:
    try:
        with _open_binary(path) as fh:
            return fh.read()
    except (OSError, EOFError) as err:
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
        handle = _open_binary(path)
    except OSError as err:
        raise _unreadable(path, err) from None
    with handle:
        try:
            yield from enumerate(handle, start=1)
        except (OSError, EOFError) as err:  # a damaged .gz
            raise _unreadable(path, err) from None


def _pick(row: dict, field: str) -> tuple[str | None, str | None]:
    """Return ``(value, column name)`` of the first non-empty synonym of ``field`` in ``row``."""
    for name in _COLUMNS[field]:
        value = row.get(name)
        if value is not None and str(value).strip() != "":
            return str(value).strip() if field != "text" else str(value), name
    return None, None


def _raw_from_row(row: dict, path: Path, line: int) -> Raw:
    row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for name in _COLUMNS["text"]:
        if row.get(name) is not None and not isinstance(row[name], str):
            raise bad_input(path, line, f"'{name}' is a {type(row[name]).__name__}, not text",
                            "give the article text as one string")
    text, _ = _pick(row, "text")
    if text is None:
        raise bad_input(
            path, line, "row has no text (expected a 'text', 'body' or 'content' column)",
            "add the article text or remove that row",
        )
    external_id, _ = _pick(row, "id")
    published, field = _pick(row, "published")
    return Raw(
        text=text, path=path, line=line,
        external_id=external_id or f"{path.name}:{line}",
        url=_pick(row, "url")[0], title=_pick(row, "title")[0], outlet=_pick(row, "outlet")[0],
        published=published, published_field=field or "published",
        speaker=_pick(row, "speaker")[0],
    )


def _read_jsonl(path: Path) -> Iterator[Raw]:
    for number, data in _byte_lines(path):
        line = _decode(data, path, number)
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise bad_input(path, number, f"not valid JSON ({err.msg})", "fix or remove that line") from None
        except RecursionError:
            raise bad_input(path, number, "JSON nested too deeply",
                            "write one flat object per line") from None
        if not isinstance(row, dict):
            raise bad_input(
                path, number, f"expected a JSON object, got {type(row).__name__}",
                'write one object per line, e.g. {"text": "..."}',
            )
        yield _raw_from_row(row, path, number)


def _read_csv(path: Path) -> Iterator[Raw]:
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


def _read_parquet(path: Path) -> Iterator[Raw]:
    """A Parquet file (or shard): one article per row, read a batch of rows at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
        names = [n.strip().lower() for n in table.schema_arrow.names]
    except (pa.ArrowException, OSError) as err:
        raise bad_input(path, None, f"not a readable Parquet file ({err})",
                        "check the file, or export the articles as JSONL") from None
    if not any(name in names for name in _COLUMNS["text"]):
        raise bad_input(path, None, f"no text column in {names}",
                        "name the article text column 'text' (or 'body'/'content')")
    row = 0
    for batch in table.iter_batches(batch_size=1000):
        for values in batch.to_pylist():
            row += 1
            values = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                      for k, v in values.items()}
            yield _raw_from_row(values, path, row)


def _read_plain(path: Path, markdown: bool) -> Raw:
    text = _decode(_read_bytes(path), path)
    meta: dict[str, str] = {}
    if markdown:
        meta, text = _front_matter(text)
        text = _strip_markdown(text)
    published, field = _pick(meta, "published")
    return Raw(
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


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)


def _decode_html(data: bytes, path: Path) -> str:
    """A page in the charset its ``<meta>`` declares (UTF-8 when it declares none)."""
    import codecs

    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            codecs.lookup(name)
        except LookupError:
            raise bad_input(path, None, f"declares an unknown charset {name!r}",
                            "re-save the page as UTF-8") from None
        if name.replace("-", "").replace("_", "") not in ("utf8", "utf8sig"):
            # Browsers read a page declared Latin-1 as Windows-1252 (the WHATWG rule).
            name = "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii",
                                        "ascii") else name
            return data.decode(name, errors="replace")
    return _decode(data, path)


def _read_html(path: Path) -> Raw:
    text, meta = html_to_text(_decode_html(_read_bytes(path), path))
    return Raw(
        text=text, path=path, line=None, external_id=path.name,
        url=meta["url"], title=meta["title"], outlet=meta["outlet"], published=meta["published"],
    )
