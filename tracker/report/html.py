"""The weekly report as one self-contained HTML page (inline CSS, the chart embedded)."""
from __future__ import annotations

import base64
from string import Template

from tracker.report.text import (_count, _day, _fmt, _h, _text, _tone_text,
                                 tone_words)
from tracker.report.week import MAX_STATEMENTS_PER_PAIR, METHOD_NOTES, _statement_link, _Week

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


