"""What one week's report shows, computed once from the index, statements and articles."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from tracker import errors
from tracker.periods import infer_period, period_label
from tracker.report.chart import chart_png
from tracker.report.text import _count, _safe_url, _text

#: Statements a pair needs in a week to be ranked (fewer: listed apart as thin).
MIN_STATEMENTS = 3
#: The weeks before the reported one whose values make a pair's baseline.
BASELINE_WEEKS = 12
#: How many pairs the chart shows, and how many weeks it spans (ending with the reported one).
CHART_PAIRS, CHART_WEEKS = 4, 12
#: Statements shown under a pair before the rest are folded.
SHOWN_STATEMENTS = 2
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


def _week_summary(idx: pd.DataFrame, week: str, min_statements: int = MIN_STATEMENTS) -> dict:
    """This week's pairs against their recent baseline: the mean of the pair's index over the
    :data:`BASELINE_WEEKS` weeks before with statements. Pairs with fewer than
    ``min_statements`` statements this week are thin: listed apart, never ranked."""
    now = idx[idx["period"] == week].copy()
    start = pd.Timestamp(now["period_start"].iloc[0])
    recent = idx[(idx["period_start"] < start)
                 & (idx["period_start"] >= start - pd.Timedelta(weeks=BASELINE_WEEKS))]
    base = recent.groupby(["country_a", "country_b"])["index"].agg(["mean", "size"])
    keys = list(zip(now["country_a"], now["country_b"]))
    now["baseline"] = [base["mean"].get(k, np.nan) for k in keys]
    now["baseline_weeks"] = [int(base["size"].get(k, 0)) for k in keys]
    now["change"] = now["index"] - now["baseline"]
    earlier = idx[idx["period_start"] < start]
    seen = set(zip(earlier["country_a"], earlier["country_b"]))
    now["new"] = [k not in seen for k in keys]
    now["pair"] = now["country_a"] + "–" + now["country_b"]
    now = now.sort_values(["index", "pair"], kind="stable").reset_index(drop=True)
    evidenced = now["n_statements"] >= min_statements
    ranked, thin = now[evidenced].reset_index(drop=True), now[~evidenced].reset_index(drop=True)
    movers = ranked[ranked["change"].notna()]
    movers = movers.reindex(movers["change"].abs().sort_values(ascending=False,
                                                               kind="stable").index).head(5)
    return {"start": start, "end": start + pd.Timedelta(days=6), "ranked": ranked,
            "thin": thin, "movers": movers, "chart_pairs": chart_pairs(ranked, movers, thin)}


def chart_pairs(ranked: pd.DataFrame, movers: pd.DataFrame, thin: pd.DataFrame,
                n: int = CHART_PAIRS) -> list[tuple[str, str]]:
    """The pairs the chart shows, by this week's relevance: the two biggest movers, the most
    hostile and the most cooperative well-evidenced pairs, then the best-evidenced others (thin
    pairs only when nothing else is there)."""
    out: list[tuple[str, str]] = []

    def add(frame):
        for a, b in zip(frame["country_a"], frame["country_b"]):
            if (a, b) not in out and len(out) < n:
                out.append((a, b))

    add(movers.head(2))
    add(ranked.head(1))
    add(ranked.tail(1))
    add(ranked.sort_values(["n_statements", "pair"], ascending=[False, True], kind="stable"))
    if not out:
        add(thin.sort_values(["n_statements", "pair"], ascending=[False, True], kind="stable"))
    return out


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

    def __init__(self, week, idx, st, articles, directed_df, all_alerts,
                 min_statements: int = MIN_STATEMENTS, about: dict | None = None):
        self.week, self.min_statements, self.about = week, min_statements, dict(about or {})
        s = _week_summary(idx, week, min_statements)
        self.start, self.end = s["start"], s["end"]
        self.ranked, self.movers, self.thin = s["ranked"], s["movers"], s["thin"]
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
        window = idx[(idx["period_start"] <= self.start) & (
            idx["period_start"] > self.start - pd.Timedelta(weeks=CHART_WEEKS))]
        self.png = chart_png(window, s["chart_pairs"], all_alerts)

    @property
    def footer(self) -> str:
        """When and by what the report was made, and where its statements came from."""
        import collections
        import datetime as dt

        from tracker import __version__

        outlets = collections.Counter(
            _text(a.get("outlet")) or "no outlet named" for _, a in self.article_rows)
        sources = ", ".join(f"{name} ({n})" for name, n in sorted(
            outlets.items(), key=lambda kv: (-kv[1], kv[0]))[:12])
        more = f" and {len(outlets) - 12} more" if len(outlets) > 12 else ""
        made = self.about.get("generated") or dt.date.today().isoformat()
        parts = [f"Generated {made} by tracker {__version__}"]
        if self.about.get("model"):
            parts.append(f"tones by model {self.about['model'][:16]}")
        if self.about.get("extractor"):
            parts.append(f"statements by {self.about['extractor'][:40]}")
        return ("; ".join(parts) + f". Sources this week: {_count(len(self.article_rows), 'article')}"
                + (f" from {sources}{more}." if sources else "."))

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

    def pair_statements(self, a: str, b: str) -> list[dict]:
        """The pair's statements this week as rows, strongest first (|tone| times confidence)."""
        return self._by_pair.get((a, b), [])

    @functools.cached_property
    def _by_pair(self) -> dict[tuple[str, str], list[dict]]:
        # One sort and one conversion for the week, not one per pair and renderer: a stable sort
        # keeps each pair's rows in the order its own sort gave them.
        s = self.statements
        conf = s["confidence"].fillna(1.0) if "confidence" in s else 1.0
        ordered = s.assign(_strength=s["tone"].abs() * conf).sort_values(
            ["_strength", "statement_id"], ascending=[False, True], kind="stable")
        out: dict[tuple[str, str], list[dict]] = {}
        for row in ordered.to_dict("records"):
            out.setdefault((row["country_a"], row["country_b"]), []).append(row)
        return out

    @property
    def title(self) -> str:
        return f"Relationship report {self.week}"

    @property
    def date_range(self) -> str:
        return f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"


