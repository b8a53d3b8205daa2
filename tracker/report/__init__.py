"""Weekly reports: index, statements and articles DataFrames in, HTML and Markdown files out.

For each ISO week :func:`write_reports` writes ``report-2024-W05.html`` (self-contained: inline
CSS, the chart embedded as a base64 PNG) and ``report-2024-W05.md`` (with the chart saved beside
it as ``report-2024-W05.png``). A report shows coverage, the pairs ranked by index with their
bands and change against the previous week, the biggest movers, new pairs, alerts, a chart,
the statements behind each pair, how each article's date was found, and how the index is made.

All article text is untrusted: every string is passed through :func:`html.escape` in HTML and
backslash-escaped in Markdown, and only ``http(s)`` links become links.

Examples
--------
>>> import tempfile, pandas as pd
>>> from tracker.index import RelationshipIndex
>>> st = pd.DataFrame({"statement_id": [1], "article_id": ["a1"],
...     "published": pd.to_datetime(["2024-02-01"]), "source": ["USA"], "target": ["CHN"],
...     "tone": [-0.6], "label": ["hostile"], "confidence": [0.9], "sentence": ["US warns China."],
...     "rule": ["speech:said"], "url": ["https://example.org/1"], "title": ["T"], "external_id": ["x1"]})
>>> arts = pd.DataFrame({"article_id": ["a1"], "external_id": ["x1"], "url": ["https://example.org/1"],
...     "title": ["T"], "published": ["2024-02-01"], "date_method": ["metadata"]})
>>> idx = RelationshipIndex().fit_transform(st)
>>> [p.name for p in write_reports(idx, st, arts, tempfile.mkdtemp())]
['report-2024-W05.html', 'report-2024-W05.md', 'report-2024-W05.png']
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from tracker import errors
from tracker.alerts import find_alerts
from tracker.atomic import write_atomic
from tracker.periods import period_label
from tracker.report.chart import save_chart
from tracker.report.html import _render_html
from tracker.report.markdown import _render_md
from tracker.report.text import md_escape
from tracker.report.week import (MIN_STATEMENTS, _Week, _article_lookup, _statements_with_keys,
                                 _week_frame)

__all__ = ["write_reports", "write_changed", "fingerprints", "save_chart", "md_escape"]


def write_reports(index_df: pd.DataFrame, statements_df: pd.DataFrame, articles_df: pd.DataFrame | None,
                  out_dir, weeks: Iterable[str] | None = None,
                  directed_df: pd.DataFrame | None = None,
                  min_statements: int | None = None) -> list[Path]:
    """Write one HTML and one Markdown report per ISO week (see :func:`write_changed`, which
    also skips the weeks already written); returns the files, per week in week order:
    ``report-<week>.html``, ``report-<week>.md``, ``report-<week>.png``."""
    return write_changed(index_df, statements_df, articles_df, out_dir, weeks, directed_df,
                         min_statements=min_statements)[0]


def write_changed(index_df: pd.DataFrame, statements_df: pd.DataFrame,
                  articles_df: pd.DataFrame | None, out_dir, weeks: Iterable[str] | None = None,
                  directed_df: pd.DataFrame | None = None,
                  kept: dict[str, str] | None = None, about: dict | None = None,
                  min_statements: int | None = None
                  ) -> tuple[list[Path], dict[str, str], int]:
    """Write one HTML and one Markdown report per ISO week, except weeks already written.

    Parameters
    ----------
    index_df : DataFrame
        Undirected weekly index DataFrame (``RelationshipIndex(period="W")``), all weeks: earlier
        weeks give the changes, movers and new pairs.
    statements_df : DataFrame
        Statements DataFrame (``statement_id``, ``article_id``, ``published``, ``source``,
        ``target``, ``tone``, ``label``, ``sentence``, ``url``, ``title``, ``external_id``).
    articles_df : DataFrame or None
        ``article_id``, ``external_id``, ``url``, ``title``, ``published``, ``date_method``.
    out_dir : str or Path
        Created if missing.
    weeks : iterable of str, optional
        Labels like ``"2024-W05"``; default: every week with index values. A week without
        index values is an error.
    directed_df : DataFrame, optional
        Directed weekly index; adds a table of ``source -> target`` values.
    kept : dict, optional
        Week -> fingerprint of the reports already in ``out_dir`` (as returned before): a week
        whose fingerprint is unchanged and whose three files are there is not drawn again.
    about : dict, optional
        ``model`` and ``extractor`` (ids) for the footer.
    min_statements : int, optional
        Statements a pair needs in a week to be ranked (default 3); fewer: thin, listed apart.

    Returns
    -------
    (list of Path, dict, int)
        Per week, in week order: ``report-<week>.html``, ``report-<week>.md``,
        ``report-<week>.png``; each week's fingerprint (what its report shows: the index up
        to that week, the week's statements, articles and directed values); and how many of
        the files were kept as they were.
    """
    idx = _week_frame(index_df)
    st = _statements_with_keys(statements_df)
    articles = _article_lookup(articles_df)
    available = list(idx.sort_values("period_start")["period"].drop_duplicates())
    if weeks is None:
        selected = available
    else:
        selected = [str(w) for w in weeks]
        unknown = [w for w in selected if w not in set(available)]
        if unknown:
            shown = ", ".join(available[-8:])
            raise errors.TrackerError(
                f"week {unknown[0]!r} has no index values; weeks with data: {shown}."
            )
    alerts = find_alerts(idx, st)
    prints = fingerprints(idx, st, articles_df, directed_df, alerts, available,
                          [about or {}, min_statements])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    n_kept = 0
    for week in selected:
        errors.check_interrupted()
        stem = f"report-{week}"
        html_path, md_path, png_path = out / f"{stem}.html", out / f"{stem}.md", out / f"{stem}.png"
        paths = [html_path, md_path, png_path]
        unchanged = (kept or {}).get(week) == prints[week] and all(
            p.is_file() and p.stat().st_size > 0 for p in paths)
        if unchanged:
            n_kept += len(paths)
        else:
            w = _Week(week, idx, st, articles, directed_df, alerts,
                      MIN_STATEMENTS if min_statements is None else min_statements, about)
            write_atomic(png_path, w.png)
            write_atomic(md_path, _render_md(w, png_path.name).encode("utf-8"))
            write_atomic(html_path, _render_html(w).encode("utf-8"))
        written += paths
    return written, {w: prints[w] for w in selected}, n_kept


def fingerprints(idx: pd.DataFrame, st: pd.DataFrame, articles_df, directed_df, alerts,
                 weeks: list[str], settings=None) -> dict[str, str]:
    """Per week, a hash of everything its report shows: the undirected index and alerts of
    every week up to it (the chart, the changes), and the week's own statements, articles and
    directed values."""
    import collections
    import hashlib
    import json

    from tracker import __version__

    def by_week(frame, column) -> collections.defaultdict:
        """Each week's rows of ``frame`` as CSV (columns sorted), grouped in one pass; a week
        without rows gives the header alone (no frame: nothing)."""
        if frame is None or not len(frame):
            return collections.defaultdict(str)
        cols = sorted(frame.columns)
        header = frame.iloc[0:0][cols].to_csv(index=False)
        return collections.defaultdict(lambda: header, {
            str(k): g[cols].to_csv(index=False, float_format="%.6g")
            for k, g in frame.groupby(frame[column].astype(str), sort=False)})

    art = None
    if articles_df is not None and len(articles_df):
        art = articles_df.assign(week=period_label(pd.to_datetime(articles_df["published"]),
                                                   "W")[0].astype(str))
    index_rows, alert_rows = by_week(idx, "period"), by_week(alerts, "period")
    own_rows = [by_week(st, "week"), by_week(art, "week"), by_week(directed_df, "period")]
    chain = hashlib.sha256(json.dumps([__version__, settings], sort_keys=True,
                                      default=str).encode())
    out = {}
    for week in weeks:  # in week order: the chain carries the history
        chain.update(index_rows[week].encode())
        chain.update(alert_rows[week].encode())
        own = hashlib.sha256(chain.hexdigest().encode())
        for rows in own_rows:
            own.update(rows[week].encode())
        out[week] = own.hexdigest()
    return out
