"""The weekly report as one self-contained HTML page (inline CSS, the chart embedded)."""
from __future__ import annotations

import base64
from string import Template

from tracker.report.text import (_band, _count, _day, _fmt, _h, _text, _tone_text,
                                 tone_words)
from tracker.report.week import (MAX_STATEMENTS_PER_PAIR, METHOD_NOTES, SHOWN_STATEMENTS,
                                 _statement_link, _Week)

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
details{margin:.3rem 0 .8rem}summary{cursor:pointer;color:#444}
.tag{font-size:.75rem;background:#eef;border-radius:3px;padding:0 .3rem}
footer{margin-top:2rem;border-top:1px solid #ddd;padding-top:.5rem}
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


def _pair_link(r: dict) -> str:
    return (f'<a href="#pair-{_h(r["country_a"])}-{_h(r["country_b"])}">{_h(r["pair"])}</a>'
            + (' <span class="tag">new</span>' if r.get("new") else ""))


def _mover_text(r: dict) -> str:
    way = "up" if r["change"] > 0 else "down"
    return (f"{_fmt(r['index'])} {_h(_band(r))}, {way} {_fmt(abs(r['change']))} from its "
            f"recent mean of {_fmt(r['baseline'])} ({_count(r['baseline_weeks'], 'earlier week')}); "
            f"{_count(r['n_statements'], 'statement')}")


def _statement_li(s: dict, w: _Week) -> str:
    url, name = _statement_link(s, w.articles)
    link = f'<a href="{_h(url)}" rel="noopener noreferrer">{_h(name)}</a>' if url else _h(name)
    cls = _h((tone_words(s) or ("", "neutral"))[1])
    return (f"<li>“{_h(s['sentence'])}” <span class=\"muted\">{_h(s['source'])} → "
            f"{_h(s['target'])}, {_h(_day(s['published']))}</span> <span class=\"{cls}\">tone "
            f"{_h(_tone_text(s))}</span> — {link}</li>")


def _statements(rows: list[dict], w: _Week, shown: int) -> list[str]:
    """The top ``shown`` statements, the rest folded (no scripts: HTML's own <details>)."""
    out = ['<ul class="statements">'] + [_statement_li(s, w) for s in rows[:shown]] + ["</ul>"]
    rest = rows[shown:MAX_STATEMENTS_PER_PAIR]
    if rest:
        out += [f"<details><summary>{_count(len(rows) - shown, 'more statement')}</summary>",
                '<ul class="statements">'] + [_statement_li(s, w) for s in rest] + ["</ul>"]
        if len(rows) > MAX_STATEMENTS_PER_PAIR:
            out.append(f'<p class="muted">… and {len(rows) - MAX_STATEMENTS_PER_PAIR} more '
                       "(tracker export statements).</p>")
        out.append("</details>")
    return out


def _render_html(w: _Week) -> str:
    out: list[str] = []
    add = out.append
    add(f"<h1>{_h(w.title)}</h1>")
    add(f'<p class="muted">ISO week {_h(w.week)}: {_h(w.date_range)}. {_h(w.coverage)}</p>')

    add("<h2>What moved</h2>")
    if len(w.movers):
        add("<p class=\"muted\">Pairs with at least "
            f"{_count(w.min_statements, 'statement')} this week, against the mean of their values "
            "in the 12 weeks before.</p>")
        add("<ul>" + "".join(f"<li>{_pair_link(r)}: {_mover_text(r)}</li>"
                             for r in w.movers.to_dict("records")) + "</ul>")
    else:
        add('<p class="muted">No well-evidenced pair has values in the 12 weeks before to '
            "compare with.</p>")
    if len(w.alerts):
        add("<p>Moves larger than the two weeks' bands explain:</p><ul>")
        for r in w.alerts.to_dict("records"):
            add(f"<li>{_h(r['country_a'])}–{_h(r['country_b'])}: {_fmt(r['previous_index'])} "
                f"({_h(r['previous_period'])}) → {_fmt(r['index'])} "
                f"({_fmt(r['change'], True)}, beyond ±{_fmt(r['threshold'])}).</li>")
        add("</ul>")

    data = base64.b64encode(w.png).decode("ascii")
    add(f'<img src="data:image/png;base64,{data}" alt="The index of this week\'s most relevant '
        f'pairs over the 12 weeks to {_h(w.week)}, with their bands">')

    add("<h2>Pairs this week</h2>")
    if len(w.ranked):
        add('<table class="ranking"><thead><tr><th>#</th><th>pair</th><th>index</th>'
            "<th>band</th><th>statements</th><th>vs baseline</th></tr></thead><tbody>")
        for i, r in enumerate(w.ranked.to_dict("records"), 1):
            add(f'<tr><td class="num">{i}</td><td>{_pair_link(r)}</td>'
                f'<td class="num">{_fmt(r["index"])}</td><td class="num">{_h(_band(r))}</td>'
                f'<td class="num">{int(r["n_statements"])}</td>'
                f'<td class="num">{_fmt(r["change"], True)}</td></tr>')
        add("</tbody></table>")
    else:
        add(f'<p class="muted">No pair has {_count(w.min_statements, "statement")} this week.</p>')
    if len(w.thin):
        add(f'<p class="muted">Thin evidence (fewer than {w.min_statements} statements, not '
            "ranked): " + ", ".join(
                f"{_pair_link(r)} {_fmt(r['index'])} ({int(r['n_statements'])})"
                for r in w.thin.sort_values("pair").to_dict("records")) + ".</p>")

    add("<h2>Statements by pair</h2>")
    for r in w.ranked.to_dict("records"):
        rows = w.pair_statements(r["country_a"], r["country_b"])
        add(f'<section class="pair" id="pair-{_h(r["country_a"])}-{_h(r["country_b"])}">')
        add(f"<h3>{_h(r['pair'])}: {_fmt(r['index'])} {_h(_band(r))}</h3>")
        out.extend(_statements(rows, w, SHOWN_STATEMENTS))
        add("</section>")
    if len(w.thin):
        add(f"<details><summary>Statements of the thin pairs ({len(w.thin)} pairs)</summary>")
        for r in w.thin.sort_values("pair").to_dict("records"):
            rows = w.pair_statements(r["country_a"], r["country_b"])
            add(f'<section class="pair" id="pair-{_h(r["country_a"])}-{_h(r["country_b"])}">')
            add(f"<h3>{_h(r['pair'])}: {_fmt(r['index'])} {_h(_band(r))}</h3>")
            out.extend(_statements(rows, w, MAX_STATEMENTS_PER_PAIR))
            add("</section>")
        add("</details>")

    if w.directed is not None:
        add("<details><summary>Directed values (source → target)</summary>")
        add("<table><thead><tr><th>source → target</th><th>index</th><th>band</th>"
            "<th>statements</th></tr></thead><tbody>")
        for r in w.directed.to_dict("records"):
            add(f"<tr><td>{_h(r['source'])} → {_h(r['target'])}</td><td class=\"num\">"
                f"{_fmt(r['index'])}</td><td class=\"num\">{_h(_band(r))}</td>"
                f"<td class=\"num\">{int(r.get('n_statements', 0))}</td></tr>")
        add("</tbody></table></details>")

    add("<details><summary>How each article's date was found</summary>")
    add("<table><thead><tr><th>article</th><th>published</th><th>date method</th></tr></thead>"
        "<tbody>")
    for art_id, art in w.article_rows:
        name = _text(art.get("title")) or _text(art.get("external_id")) or art_id
        add(f"<tr><td>{_h(name)}</td><td>{_h(_day(art.get('published')))}</td>"
            f"<td>{_h(art.get('date_method') or 'unknown')}</td></tr>")
    add("</tbody></table></details>")
    add(f"<details><summary>Method</summary><p>{_h(METHOD_NOTES)}</p></details>")
    add(f'<footer class="muted">{_h(w.footer)}</footer>')
    return _PAGE.substitute(title=_h(w.title), css=_CSS, body="\n".join(out))
