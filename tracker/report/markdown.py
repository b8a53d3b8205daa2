"""The weekly report's Markdown twin."""
from __future__ import annotations

from collections.abc import Iterable

from tracker.report.text import _band, _count, _day, _fmt, _md_url, _tone_text, md_escape
from tracker.report.week import MAX_STATEMENTS_PER_PAIR, METHOD_NOTES, _statement_link, _Week

def _md_table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _render_md(w: _Week, png_name: str) -> str:
    """The report in Markdown: numbers as plain text (they are ours), article text escaped,
    each article's headline and link given once, in a numbered list the statements refer to."""
    out: list[str] = []
    refs: dict[str, int] = {}

    def ref(s: dict) -> str:
        key = str(s.get("article_id"))
        refs.setdefault(key, len(refs) + 1)
        return f"[{refs[key]}]"

    out += [f"# {md_escape(w.title)}", "", f"ISO week {w.week}: {w.date_range}. "
            f"{md_escape(w.coverage)}", "", "## What moved", ""]
    out += [f"- **{r['pair']}**{' (new)' if r.get('new') else ''}: {_fmt(r['index'])} {_band(r)}, "
            f"{'up' if r['change'] > 0 else 'down'} {_fmt(abs(r['change']))} from its recent mean of "
            f"{_fmt(r['baseline'])} ({_count(r['baseline_weeks'], 'earlier week')}); "
            f"{_count(r['n_statements'], 'statement')}" for r in w.movers.to_dict("records")] \
        or ["No well-evidenced pair has values in the 12 weeks before to compare with."]
    if len(w.alerts):
        out += ["", "Moves larger than the two weeks' bands explain:", ""]
        out += [f"- {r['country_a']}–{r['country_b']}: {_fmt(r['previous_index'])} "
                f"({r['previous_period']}) → {_fmt(r['index'])} ({_fmt(r['change'], True)}, beyond "
                f"±{_fmt(r['threshold'])})" for r in w.alerts.to_dict("records")]
    out += ["", f"![The index of this week's most relevant pairs over the 12 weeks to {w.week}]"
            f"({_md_url(png_name)})", "", "## Pairs this week", ""]
    if len(w.ranked):
        out += _md_table(["#", "pair", "index", "band", "statements", "vs baseline"], (
            [str(i), r["pair"] + (" (new)" if r.get("new") else ""), _fmt(r["index"]), _band(r),
             str(int(r["n_statements"])), _fmt(r["change"], True)]
            for i, r in enumerate(w.ranked.to_dict("records"), 1)))
    else:
        out.append(f"No pair has {_count(w.min_statements, 'statement')} this week.")
    if len(w.thin):
        out += ["", f"Thin evidence (fewer than {w.min_statements} statements, not ranked): "
                + ", ".join(f"{r['pair']} {_fmt(r['index'])} ({int(r['n_statements'])})"
                            for r in w.thin.sort_values("pair").to_dict("records")) + "."]
    out += ["", "## Statements by pair", ""]
    for r in list(w.ranked.to_dict("records")) + list(w.thin.sort_values("pair").to_dict("records")):
        rows = w.pair_statements(r["country_a"], r["country_b"])
        out += [f"### {r['pair']}: {_fmt(r['index'])} {_band(r)}", ""]
        for s in rows[:MAX_STATEMENTS_PER_PAIR]:
            out.append(f"- “{md_escape(s['sentence'])}” ({s['source']} → {s['target']}, "
                       f"{_day(s['published'])}, tone {md_escape(_tone_text(s))}) {ref(s)}")
        if len(rows) > MAX_STATEMENTS_PER_PAIR:
            out.append(f"- … and {len(rows) - MAX_STATEMENTS_PER_PAIR} more.")
        out.append("")
    out += ["## Articles", ""]
    for key, n in refs.items():
        s = {"article_id": key}
        url, name = _statement_link(s, w.articles)
        date = _day(w.articles.get(key, {}).get("published"))
        out.append(f"{n}. " + (f"[{md_escape(name)}]({_md_url(url)})" if url else md_escape(name))
                   + f", {date}")
    out += ["", "## Method", "", md_escape(METHOD_NOTES), "", "---", "", md_escape(w.footer), ""]
    return "\n".join(out)
