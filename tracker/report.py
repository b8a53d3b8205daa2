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

import base64
import html
import io
import math
import re
from collections.abc import Iterable
from pathlib import Path
from string import Template

import numpy as np
import pandas as pd

from tracker import errors
from tracker.alerts import find_alerts
from tracker.atomic import write_atomic
from tracker.periods import infer_period, period_label

#: How many statements are listed under one pair before the rest are summarised.
MAX_STATEMENTS_PER_PAIR = 50
#: How many pairs the chart shows.
CHART_PAIRS = 4

METHOD_NOTES = (
    "Each statement counts with weight equal to the tone model's confidence; near-identical "
    "sentences with the same source and target published within a few days count once, their "
    "weight split among the copies. For each pair and week the index is 100 times a weighted "
    "mean of the statements' tones (from -1 hostile to +1 cooperative), shrunk towards the "
    "pair's baseline by a prior worth a few statements: m = (sum of w*tone + k0*baseline) / "
    "(sum of w + k0). The baseline is the pair's long-run weighted mean, itself shrunk towards "
    "0 (or, with a half-life, an exponentially discounted mean of earlier weeks). The band is "
    "a 95% normal interval from the spread of the tones and the prior, so it is wide when "
    "there are few statements and narrows as agreeing statements accumulate. Weeks without "
    "statements are missing, not neutral. An alert marks a week whose change from the pair's "
    "previous value is larger than the two bands together explain."
)

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:60rem;
color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.hostile{color:#b2182b}.cooperative{color:#2166ac}.neutral{color:#555}
.muted{color:#777;font-size:.9rem}img{max-width:100%}
ul.statements{padding-left:1.2rem}ul.statements li{margin-bottom:.35rem}
"""

_PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$css</style>
</head>
<body>
$body
</body>
</html>
""")


# -- escaping ------------------------------------------------------------------------------------
def _h(value: object) -> str:
    """HTML-escape any value (``None``/NaN become an empty string)."""
    return html.escape(_text(value), quote=True)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value)


# CommonMark/GFM characters that can start markup; escaping them keeps text literal.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")


def md_escape(value: object) -> str:
    """Escape text for a Markdown table cell or paragraph: markup characters and pipes are
    backslash-escaped and line breaks become spaces, so untrusted text stays text.

    >>> md_escape("a|b <script>")
    'a\\\\|b \\\\<script\\\\>'
    """
    text = " ".join(_text(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def _safe_url(url: object) -> str | None:
    text = _text(url).strip()
    if re.match(r"^https?://[^\s<>\"']+$", text, flags=re.IGNORECASE):
        return text
    return None


def _md_url(url: str) -> str:
    return "".join(f"%{ord(c):02X}" if c in "()<> |[]" else c for c in url)


# -- data selection ------------------------------------------------------------------------------
def _fmt(value: float, signed: bool = False) -> str:
    if value is None or not np.isfinite(value):
        return "—"
    return f"{value:+.0f}" if signed else f"{value:.0f}"


def _week_frame(index_df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(index_df, pd.DataFrame):
        raise errors.TrackerError("index_df must be a pandas DataFrame made by RelationshipIndex.")
    needed = ["period", "period_start", "country_a", "country_b", "index", "lower", "upper", "n_statements"]
    missing = [c for c in needed if c not in index_df.columns]
    if missing:
        raise errors.TrackerError(
            f"index DataFrame is missing columns: {', '.join(missing)}; pass the undirected weekly index "
            "from RelationshipIndex(period='W')."
        )
    if index_df.empty:
        raise errors.TrackerError("the index DataFrame is empty; there is no week to report on.")
    if infer_period(index_df["period"].astype(str).unique()) != "W":
        raise errors.TrackerError(
            f"reports are weekly but the index has periods like {str(index_df['period'].iloc[0])!r}; "
            "use RelationshipIndex(period='W')."
        )
    df = index_df.copy()
    df["period"] = df["period"].astype(str)
    df["period_start"] = pd.to_datetime(df["period_start"])
    return df


def _statements_with_keys(statements_df: pd.DataFrame) -> pd.DataFrame:
    needed = ["statement_id", "article_id", "published", "source", "target", "tone", "sentence"]
    missing = [c for c in needed if c not in statements_df.columns]
    if missing:
        raise errors.TrackerError(f"statements DataFrame is missing columns: {', '.join(missing)}.")
    st = statements_df.copy()
    st["published"] = pd.to_datetime(st["published"])
    labels, _ = period_label(st["published"], "W") if len(st) else (pd.Index([], dtype=object), None)
    st["week"] = np.asarray(labels, dtype=object)
    src, tgt = st["source"].astype(str).to_numpy(dtype=object), st["target"].astype(str).to_numpy(dtype=object)
    st["country_a"] = np.where(src <= tgt, src, tgt)
    st["country_b"] = np.where(src <= tgt, tgt, src)
    for col in ("label", "url", "title", "external_id"):
        if col not in st.columns:
            st[col] = None
    return st


def _previous_week(start: pd.Timestamp) -> str:
    labels, _ = period_label([start - pd.Timedelta(days=7)], "W")
    return str(labels[0])


def _week_summary(idx: pd.DataFrame, week: str) -> dict:
    now = idx[idx["period"] == week].copy()
    start = pd.Timestamp(now["period_start"].iloc[0])
    prev = idx[idx["period"] == _previous_week(start)].set_index(["country_a", "country_b"])["index"]
    keys = list(zip(now["country_a"], now["country_b"]))
    now["change"] = [prev.get(k, np.nan) for k in keys]
    now["change"] = now["index"] - now["change"]
    earlier = idx[idx["period_start"] < start]
    seen = set(zip(earlier["country_a"], earlier["country_b"]))
    now["new"] = [k not in seen for k in keys]
    now["pair"] = now["country_a"] + "–" + now["country_b"]
    ranked = now.sort_values(["index", "pair"], kind="stable").reset_index(drop=True)
    movers = ranked[ranked["change"].notna()]
    movers = movers.reindex(movers["change"].abs().sort_values(ascending=False, kind="stable").index).head(5)
    return {"start": start, "end": start + pd.Timedelta(days=6), "ranked": ranked, "movers": movers,
            "new": ranked[ranked["new"]]}


def _chart_png(idx: pd.DataFrame, ranked: pd.DataFrame, start: pd.Timestamp, alerts: pd.DataFrame) -> bytes:
    # A bare Figure (no pyplot) renders with Agg whatever backend the caller uses and leaves
    # no global figure state behind.
    from matplotlib.figure import Figure

    from tracker.plotting import PairsDisplay, TimelineDisplay

    history = idx[idx["period_start"] <= start]
    leaders = ranked.sort_values(["n_statements", "pair"], ascending=[False, True], kind="stable")
    pairs = [(a, b) for a, b in zip(leaders["country_a"], leaders["country_b"])][:CHART_PAIRS]
    fig = Figure(figsize=(8, 4.2), dpi=100, layout="constrained")
    ax = fig.subplots()
    if len(pairs) == 1:
        TimelineDisplay.from_index(history, pairs[0], alerts=alerts).plot(ax=ax)
    else:
        PairsDisplay.from_index(history, pairs=pairs).plot(ax=ax, show_bands=True)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def save_chart(display, path: str | Path, figsize=(8, 4.2), dpi: int = 120) -> Path:
    """Draw a ``*Display`` on a fresh figure and write it to ``path`` (PNG, SVG or PDF).

    The report module is the one place that writes figures to disk.
    """
    from matplotlib.figure import Figure

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    display.plot(ax=fig.subplots())
    buf = io.BytesIO()
    fig.savefig(buf, format=path.suffix.lstrip(".").lower() or "png")
    write_atomic(path, buf.getvalue())
    return path


# -- rendering -----------------------------------------------------------------------------------
def _article_lookup(articles_df: pd.DataFrame | None) -> dict:
    if articles_df is None or len(articles_df) == 0:
        return {}
    return {str(r["article_id"]): r for r in articles_df.to_dict("records")}


def _statement_link(row: dict, articles: dict) -> tuple[str | None, str]:
    art = articles.get(str(row.get("article_id")), {})
    url = _safe_url(row.get("url")) or _safe_url(art.get("url"))
    name = _text(row.get("title")) or _text(art.get("title")) or _text(row.get("external_id")) \
        or _text(art.get("external_id")) or _text(row.get("article_id"))
    return url, name


class _Week:
    """Everything one week's report shows, computed once and rendered twice."""

    def __init__(self, week, idx, st, articles, directed_df, all_alerts):
        self.week = week
        s = _week_summary(idx, week)
        self.start, self.end = s["start"], s["end"]
        self.ranked, self.movers, self.new = s["ranked"], s["movers"], s["new"]
        self.statements = st[st["week"] == week].sort_values(["published", "statement_id"], kind="stable")
        self.alerts = all_alerts[all_alerts["period"] == week]
        art_ids = self.statements["article_id"].astype(str).unique()
        self.articles = articles
        self.article_rows = [(a, articles.get(a, {})) for a in sorted(art_ids)]
        self.countries = sorted(set(self.statements["source"].astype(str)) | set(self.statements["target"].astype(str)))
        self.directed = None
        if directed_df is not None and len(directed_df):
            d = directed_df[directed_df["period"].astype(str) == week]
            self.directed = d.sort_values(["source", "target"]) if len(d) else None
        self.png = _chart_png(idx, self.ranked, self.start, all_alerts)

    @property
    def coverage(self) -> str:
        """Articles, statements, countries, and the share of sentences naming no country."""
        in_week = [a for a in self.articles.values()
                   if self.start <= pd.Timestamp(a.get("published")) <= self.end]
        text = (f"{_count(len(in_week) or len(self.article_rows), 'article')}, "
                f"{_count(len(self.statements), 'statement')}, "
                f"{_count(len(self.countries), 'country')}: {', '.join(self.countries)}.")
        sentences = [a.get("n_sentences") for a in in_week]
        if sentences and all(n is not None and n == n for n in sentences):
            total = int(sum(sentences))
            named = int(sum(a.get("n_sentences_with_country") or 0 for a in in_week))
            if total:
                text += (f" {total - named} of {total} sentences ({(total - named) / total:.0%})"
                         " name no country the tracker could resolve.")
        return text

    def pair_statements(self, a: str, b: str) -> pd.DataFrame:
        s = self.statements
        return s[(s["country_a"] == a) & (s["country_b"] == b)]

    @property
    def title(self) -> str:
        return f"Relationship report {self.week}"

    @property
    def date_range(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"


def _day(value: object) -> str:
    """A date as ``YYYY-MM-DD`` (text that is not a date is shown as given)."""
    if isinstance(value, (pd.Timestamp, np.datetime64)) or hasattr(value, "strftime"):
        return f"{pd.Timestamp(value):%Y-%m-%d}"
    return _text(value)


def _count(n: object, noun: str) -> str:
    n = int(n)
    if n == 1:
        return f"{n} {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def _band(row: dict) -> str:
    return f"[{_fmt(row['lower'])}, {_fmt(row['upper'])}]"


def _tone_text(row: dict) -> str:
    """``+0.62 (cooperative 74%)``; ``-0.02 (mixed: hostile 38%, cooperative 36%)`` when the
    two likeliest labels are within 10 points, so the words never contradict the number."""
    shown = tone_words(row)
    return f"{float(row['tone']):+.2f}" + (f" ({shown[0]})" if shown else "")


def tone_words(row: dict) -> tuple[str, str] | None:
    """(words, css class) of a statement's tone (:func:`tracker.tone.model.describe`)."""
    from tracker.tone.model import describe

    conf = row.get("confidence")
    return describe(float(row["tone"]), _text(row.get("label")),
                    None if conf is None or conf != conf else float(conf))


def _render_html(w: _Week) -> str:
    out: list[str] = []
    add = out.append
    add(f"<h1>{_h(w.title)}</h1>")
    add(f'<p class="muted">ISO week {_h(w.week)}: {_h(w.date_range)}</p>')

    add("<h2>Coverage</h2>")
    add(f"<p>{_h(w.coverage)}</p>")

    add("<h2>Pairs ranked by index</h2>")
    add('<table class="ranking"><thead><tr><th>#</th><th>pair</th><th>index</th><th>band</th>'
        "<th>statements</th><th>change vs previous week</th></tr></thead><tbody>")
    for i, r in enumerate(w.ranked.to_dict("records"), 1):
        add(f'<tr><td class="num">{i}</td><td><a href="#pair-{_h(r["country_a"])}-{_h(r["country_b"])}">'
            f'{_h(r["pair"])}</a></td><td class="num">{_fmt(r["index"])}</td>'
            f'<td class="num">[{_fmt(r["lower"])}, {_fmt(r["upper"])}]</td>'
            f'<td class="num">{int(r["n_statements"])}</td><td class="num">{_fmt(r["change"], True)}</td></tr>')
    add("</tbody></table>")

    add("<h2>Biggest movers</h2>")
    if len(w.movers):
        add("<ul>" + "".join(
            f"<li>{_h(r['pair'])}: {_fmt(r['index'] - r['change'])} → {_fmt(r['index'])} "
            f"({_fmt(r['change'], True)})</li>" for r in w.movers.to_dict("records")) + "</ul>")
    else:
        add('<p class="muted">No pair has a value in the previous week to compare with.</p>')

    add("<h2>New pairs</h2>")
    if len(w.new):
        add("<ul>" + "".join(f"<li>{_h(r['pair'])}: {_fmt(r['index'])} ({_count(r['n_statements'], 'statement')})</li>"
                             for r in w.new.to_dict("records")) + "</ul>")
    else:
        add('<p class="muted">No pair appears for the first time.</p>')

    add("<h2>Alerts</h2>")
    if len(w.alerts):
        add("<ul>")
        for r in w.alerts.to_dict("records"):
            ids = ", ".join(str(i) for i in r["statement_ids"][:10])
            add(f"<li>{_h(r['country_a'])}–{_h(r['country_b'])}: {_fmt(r['previous_index'])} "
                f"({_h(r['previous_period'])}) → {_fmt(r['index'])}, a change of {_fmt(r['change'], True)} "
                f"beyond the ±{_fmt(r['threshold'])} the bands explain; driven by statements {_h(ids)}.</li>")
        add("</ul>")
    else:
        add('<p class="muted">No change this week exceeds what the uncertainty bands explain.</p>')

    add("<h2>Chart</h2>")
    data = base64.b64encode(w.png).decode("ascii")
    add(f'<img src="data:image/png;base64,{data}" alt="Index of the leading pairs up to {_h(w.week)}">')

    if w.directed is not None:
        add("<h2>Directed values</h2>")
        add("<table><thead><tr><th>source → target</th><th>index</th><th>band</th><th>statements</th>"
            "</tr></thead><tbody>")
        for r in w.directed.to_dict("records"):
            add(f"<tr><td>{_h(r['source'])} → {_h(r['target'])}</td><td class=\"num\">{_fmt(r['index'])}</td>"
                f"<td class=\"num\">[{_fmt(r['lower'])}, {_fmt(r['upper'])}]</td>"
                f"<td class=\"num\">{int(r.get('n_statements', 0))}</td></tr>")
        add("</tbody></table>")

    add("<h2>Statements by pair</h2>")
    for r in w.ranked.to_dict("records"):
        rows = w.pair_statements(r["country_a"], r["country_b"]).to_dict("records")
        add(f'<section class="pair" id="pair-{_h(r["country_a"])}-{_h(r["country_b"])}">')
        add(f"<h3>{_h(r['pair'])}: {_fmt(r['index'])} [{_fmt(r['lower'])}, {_fmt(r['upper'])}]</h3>")
        add('<ul class="statements">')
        for s in rows[:MAX_STATEMENTS_PER_PAIR]:
            url, name = _statement_link(s, w.articles)
            link = f'<a href="{_h(url)}" rel="noopener noreferrer">{_h(name)}</a>' if url else _h(name)
            cls = _h((tone_words(s) or ("", "neutral"))[1])
            add(f"<li>“{_h(s['sentence'])}” <span class=\"muted\">{_h(s['source'])} → {_h(s['target'])}, "
                f"{_h(_day(s['published']))}</span> <span class=\"{cls}\">tone {_h(_tone_text(s))}</span> "
                f"— {link}</li>")
        if len(rows) > MAX_STATEMENTS_PER_PAIR:
            add(f'<li class="muted">… and {len(rows) - MAX_STATEMENTS_PER_PAIR} more.</li>')
        add("</ul></section>")

    add("<h2>How each article's date was found</h2>")
    add("<table><thead><tr><th>article</th><th>published</th><th>date method</th></tr></thead><tbody>")
    for art_id, art in w.article_rows:
        name = _text(art.get("title")) or _text(art.get("external_id")) or art_id
        add(f"<tr><td>{_h(name)}</td><td>{_h(_day(art.get('published')))}</td>"
            f"<td>{_h(art.get('date_method') or 'unknown')}</td></tr>")
    add("</tbody></table>")

    add("<h2>Method</h2>")
    add(f"<p>{_h(METHOD_NOTES)}</p>")
    return _PAGE.substitute(title=_h(w.title), css=_CSS, body="\n".join(out))


def _md_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _render_md(w: _Week, png_name: str) -> str:
    out: list[str] = []
    out += [f"# {md_escape(w.title)}", "", f"ISO week {md_escape(w.week)}: {md_escape(w.date_range)}", ""]
    out += ["## Coverage", "",
            md_escape(w.coverage), ""]
    out += ["## Pairs ranked by index", ""]
    out += _md_table(["#", "pair", "index", "band", "statements", "change vs previous week"], (
        [str(i), md_escape(r["pair"]), _fmt(r["index"]), md_escape(_band(r)),
         str(int(r["n_statements"])), md_escape(_fmt(r["change"], True))]
        for i, r in enumerate(w.ranked.to_dict("records"), 1)))
    out += ["", "## Biggest movers", ""]
    out += [f"- {md_escape(r['pair'])}: {_fmt(r['index'] - r['change'])} → {_fmt(r['index'])} "
            f"({md_escape(_fmt(r['change'], True))})" for r in w.movers.to_dict("records")] \
        or ["No pair has a value in the previous week to compare with."]
    out += ["", "## New pairs", ""]
    out += [f"- {md_escape(r['pair'])}: {md_escape(_fmt(r['index']))} ({_count(r['n_statements'], 'statement')})"
            for r in w.new.to_dict("records")] or ["No pair appears for the first time."]
    out += ["", "## Alerts", ""]
    out += [f"- {md_escape(r['country_a'])}–{md_escape(r['country_b'])}: {md_escape(_fmt(r['previous_index']))} "
            f"({md_escape(r['previous_period'])}) → {md_escape(_fmt(r['index']))}, a change of "
            f"{md_escape(_fmt(r['change'], True))} beyond the ±{md_escape(_fmt(r['threshold']))} the bands explain; "
            f"driven by statements {md_escape(', '.join(str(i) for i in r['statement_ids'][:10]))}."
            for r in w.alerts.to_dict("records")] \
        or ["No change this week exceeds what the uncertainty bands explain."]
    out += ["", "## Chart", "", f"![Index of the leading pairs up to {md_escape(w.week)}]({_md_url(png_name)})", ""]
    if w.directed is not None:
        out += ["## Directed values", ""]
        out += _md_table(["source → target", "index", "band", "statements"], (
            [f"{md_escape(r['source'])} → {md_escape(r['target'])}", md_escape(_fmt(r["index"])),
             md_escape(_band(r)), str(int(r.get("n_statements", 0)))]
            for r in w.directed.to_dict("records")))
        out += [""]
    out += ["## Statements by pair", ""]
    for r in w.ranked.to_dict("records"):
        rows = w.pair_statements(r["country_a"], r["country_b"]).to_dict("records")
        out += [f"### {md_escape(r['pair'])}: {md_escape(_fmt(r['index']))} {md_escape(_band(r))}", ""]
        for s in rows[:MAX_STATEMENTS_PER_PAIR]:
            url, name = _statement_link(s, w.articles)
            link = f"[{md_escape(name)}]({_md_url(url)})" if url else md_escape(name)
            out.append(f"- “{md_escape(s['sentence'])}” {md_escape(s['source'])} → {md_escape(s['target'])}, "
                       f"{_day(s['published'])}, tone {md_escape(_tone_text(s))} — {link}")
        if len(rows) > MAX_STATEMENTS_PER_PAIR:
            out.append(f"- … and {len(rows) - MAX_STATEMENTS_PER_PAIR} more.")
        out.append("")
    out += ["## How each article's date was found", ""]
    out += _md_table(["article", "published", "date method"], (
        [md_escape(_text(a.get("title")) or _text(a.get("external_id")) or art_id), md_escape(_day(a.get("published"))),
         md_escape(a.get("date_method") or "unknown")] for art_id, a in w.article_rows))
    out += ["", "## Method", "", md_escape(METHOD_NOTES), ""]
    return "\n".join(out)


def write_reports(index_df: pd.DataFrame, statements_df: pd.DataFrame, articles_df: pd.DataFrame | None,
                  out_dir, weeks: Iterable[str] | None = None,
                  directed_df: pd.DataFrame | None = None) -> list[Path]:
    """Write one HTML and one Markdown report per ISO week (see :func:`write_changed`, which
    also skips the weeks already written); returns the files, per week in week order:
    ``report-<week>.html``, ``report-<week>.md``, ``report-<week>.png``."""
    return write_changed(index_df, statements_df, articles_df, out_dir, weeks, directed_df)[0]


def write_changed(index_df: pd.DataFrame, statements_df: pd.DataFrame,
                  articles_df: pd.DataFrame | None, out_dir, weeks: Iterable[str] | None = None,
                  directed_df: pd.DataFrame | None = None,
                  kept: dict[str, str] | None = None
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
    prints = fingerprints(idx, st, articles_df, directed_df, alerts, available)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    n_kept = 0
    for week in selected:
        stem = f"report-{week}"
        html_path, md_path, png_path = out / f"{stem}.html", out / f"{stem}.md", out / f"{stem}.png"
        paths = [html_path, md_path, png_path]
        unchanged = (kept or {}).get(week) == prints[week] and all(
            p.is_file() and p.stat().st_size > 0 for p in paths)
        if unchanged:
            n_kept += len(paths)
        else:
            w = _Week(week, idx, st, articles, directed_df, alerts)
            write_atomic(png_path, w.png)
            write_atomic(md_path, _render_md(w, png_path.name).encode("utf-8"))
            write_atomic(html_path, _render_html(w).encode("utf-8"))
        written += paths
    return written, {w: prints[w] for w in selected}, n_kept


def fingerprints(idx: pd.DataFrame, st: pd.DataFrame, articles_df, directed_df, alerts,
                 weeks: list[str]) -> dict[str, str]:
    """Per week, a hash of everything its report shows: the undirected index and alerts of
    every week up to it (the chart, the changes), and the week's own statements, articles and
    directed values."""
    import hashlib

    from tracker import __version__

    def rows(frame, column, week):
        if frame is None or not len(frame):
            return ""
        part = frame[frame[column].astype(str) == week]
        return part.sort_index(axis=1).to_csv(index=False, float_format="%.6g")

    art = None
    if articles_df is not None and len(articles_df):
        art = articles_df.assign(week=period_label(pd.to_datetime(articles_df["published"]),
                                                   "W")[0].astype(str))
    chain = hashlib.sha256(__version__.encode())
    out = {}
    for week in weeks:  # in week order: the chain carries the history
        chain.update(rows(idx, "period", week).encode())
        chain.update(rows(alerts, "period", week).encode())
        own = hashlib.sha256(chain.hexdigest().encode())
        for text in (rows(st, "week", week), rows(art, "week", week),
                     rows(directed_df, "period", week)):
            own.update(text.encode())
        out[week] = own.hexdigest()
    return out
