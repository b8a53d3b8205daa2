"""The weekly report's Markdown twin."""
from __future__ import annotations

from collections.abc import Iterable

from tracker.report.text import (_band, _count, _day, _fmt, _md_url, _text, _tone_text,
                                 md_escape)
from tracker.report.week import MAX_STATEMENTS_PER_PAIR, METHOD_NOTES, _statement_link, _Week

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


