"""What one week's report shows, computed once from the index, statements and articles."""
from __future__ import annotations

import numpy as np
import pandas as pd

from tracker import errors
from tracker.periods import infer_period, period_label
from tracker.report.chart import chart_png
from tracker.report.text import _count, _safe_url, _text

#: How many statements are listed under one pair before the rest are summarised.
MAX_STATEMENTS_PER_PAIR = 50
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
        self.png = chart_png(idx, self.ranked, self.start, all_alerts)

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


