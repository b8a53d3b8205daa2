"""Articles: raw records cleaned, dated and content-addressed."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tracker.errors import TrackerError, bad_input, where
from tracker.ingest.clean import clean_text, content_id, looks_like_headline
from tracker.ingest.dates import in_range, resolve_date
from tracker.ingest.readers import Raw, collect_files, read_file

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
    speaker : str or None
        ISO3 of the state speaking (a speech, a briefing, an official release: "we" and "my
        country" are that state), from a ``speaker`` field or column.
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
    speaker: str | None = None



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
    files = collect_files(paths)  # eager, so a typo in a path fails before any work is done
    return _generate(files, fallback)


def _generate(files: list[Path], fallback: dt.date | None) -> Iterator[Article]:
    for path in files:
        for raw in read_file(path):
            yield _make_article(raw, fallback)


def _option_date(value: dt.date | str | None) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return in_range(value.date(), "--date")
    if isinstance(value, dt.date):
        return in_range(value, "--date")
    try:
        day = dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise TrackerError(
            f"--date {value!r} is invalid; use a date written YYYY-MM-DD, e.g. 2024-02-04."
        ) from None
    return in_range(day, "--date")


def _storable(text: str) -> str:
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _make_article(raw: Raw, fallback: dt.date | None) -> Article:
    # Null bytes and lone surrogates (JSON "\ud800") cannot be stored as text: dropped.
    text = clean_text(_storable(raw.text))
    if not text:
        raise bad_input(raw.path, raw.line, "no article text left after cleaning", "check that it holds the article")
    title = clean_text(_storable(raw.title)) if raw.title else None
    if title is None and raw.title_from_text:
        first, sep, _ = text.partition("\n\n")
        title = first if sep and looks_like_headline(first) else None
    published, method = resolve_date(raw, text, fallback)
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
        speaker=_speaker(raw),
    )


def _speaker(raw: Raw) -> str | None:
    if not raw.speaker:
        return None
    from tracker.extract import Gazetteer

    code = raw.speaker.strip().upper()
    if not Gazetteer.default().is_country(code):
        raise bad_input(raw.path, raw.line, f"speaker {raw.speaker!r} is not a known ISO3 code",
                        "write the speaking state's ISO 3166-1 alpha-3 code, e.g. USA")
    return code


def page_article(page, url: str, feed_date: str | None = None) -> Article:
    """An article from a fetched page (:class:`tracker.fetch.page.Page`), cleaned and dated
    like a file's: the page's own date, else its feed item's, else one in its text.

    Raises
    ------
    TrackerError
        ``URL: no publication date ...`` or ``URL: no article text left after cleaning``.
    """
    published, field_name = ((page.published, "page date") if page.published else
                             (feed_date, "feed item date") if feed_date else (None, "published"))
    raw = Raw(text=page.text, path=url, line=None, external_id=url, url=url,
              title=page.title, outlet=page.outlet, published=published,
              published_field=field_name)
    return _make_article(raw, None)
