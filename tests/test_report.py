"""Tests for tracker/report.py: weekly HTML and Markdown reports."""
from __future__ import annotations

import base64
import re

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from tracker.errors import TrackerError  # noqa: E402
from tracker.index import RelationshipIndex  # noqa: E402
from tracker.report import md_escape, write_reports  # noqa: E402

MALICIOUS = "<script>alert(1)</script> Russia | denounced Ukraine **loudly**"


def _statements() -> pd.DataFrame:
    rows = [
        # (article, day, source, target, tone, label, sentence)
        ("a1", "2024-01-29", "USA", "CHN", -0.6, "hostile", "Washington warned Beijing over Taiwan."),
        ("a1", "2024-01-30", "CHN", "USA", -0.5, "hostile", "Beijing rebuked Washington."),
        ("a2", "2024-01-31", "RUS", "UKR", -0.9, "hostile", "Moscow threatened Kyiv."),
        ("a3", "2024-02-05", "USA", "CHN", -0.8, "hostile", "US sanctions Chinese firms."),
        ("a3", "2024-02-06", "CHN", "USA", -0.7, "hostile", "China vows retaliation against US."),
        ("a4", "2024-02-07", "RUS", "UKR", -0.95, "hostile", MALICIOUS),
        ("a5", "2024-02-08", "FRA", "DEU", 0.8, "cooperative", "Paris and Berlin signed a pact."),
    ]
    return pd.DataFrame({
        "statement_id": range(1, len(rows) + 1),
        "article_id": [r[0] for r in rows],
        "published": pd.to_datetime([r[1] for r in rows]),
        "source": [r[2] for r in rows], "target": [r[3] for r in rows],
        "tone": [r[4] for r in rows], "label": [r[5] for r in rows],
        "confidence": [0.9] * len(rows),
        "sentence": [r[6] for r in rows],
        "rule": ["speech:said"] * len(rows),
        "url": ["https://news.example/a1", "https://news.example/a1", None, "https://news.example/a3",
                "https://news.example/a3", "javascript:alert(2)", None],
        "title": ["Tensions <rise>", "Tensions <rise>", None, "Sanctions", "Sanctions", "Evil | title", None],
        "external_id": ["x1", "x1", "x2", "x3", "x3", "x4", "feed-5.txt"],
    })


def _articles() -> pd.DataFrame:
    return pd.DataFrame({
        "article_id": ["a1", "a2", "a3", "a4", "a5"],
        "external_id": ["x1", "x2", "x3", "x4", "feed-5.txt"],
        "url": ["https://news.example/a1", "https://news.example/a2", "https://news.example/a3",
                "javascript:alert(2)", None],
        "title": ["Tensions <rise>", "Kyiv", "Sanctions", "Evil | title", None],
        "published": ["2024-01-29", "2024-01-31", "2024-02-05", "2024-02-07", "2024-02-08"],
        "date_method": ["metadata", "option --date", "metadata", "metadata",
                        "text: weekday 'Thursday February 8' matched year 2024"],
    })


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    st = _statements()
    idx = RelationshipIndex(period="W").fit_transform(st)
    directed = RelationshipIndex(period="W", directed=True).fit_transform(st)
    out = tmp_path_factory.mktemp("reports")
    # (A few statements a pair: every pair counts as evidenced here; the default is tested apart.)
    paths = write_reports(idx, st, _articles(), out, directed_df=directed, min_statements=1)
    return {"paths": paths, "out": out, "index": idx, "st": st,
            "html": (out / "report-2024-W06.html").read_text(encoding="utf-8"),
            "md": (out / "report-2024-W06.md").read_text(encoding="utf-8")}


def test_files_written_per_week(reports):
    names = [p.name for p in reports["paths"]]
    assert names == ["report-2024-W05.html", "report-2024-W05.md", "report-2024-W05.png",
                     "report-2024-W06.html", "report-2024-W06.md", "report-2024-W06.png"]
    assert all(p.exists() and p.stat().st_size > 0 for p in reports["paths"])


def test_header_and_coverage(reports):
    html = reports["html"]
    assert "<h1>Relationship report 2024-W06</h1>" in html
    assert "2024-02-05 to 2024-02-11" in html
    assert "3 articles, 4 statements, 6 countries: CHN, DEU, FRA, RUS, UKR, USA." in html


def test_html_embeds_chart_and_is_self_contained(reports):
    html = reports["html"]
    match = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert match
    assert base64.b64decode(match.group(1)).startswith(b"\x89PNG")
    assert "<style>" in html
    assert not re.search(r'<(link|script)\b', html, flags=re.I)
    assert 'src="http' not in html


def test_untrusted_text_is_escaped(reports):
    html = reports["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    earlier = (reports["out"] / "report-2024-W05.html").read_text(encoding="utf-8")
    assert "Tensions &lt;rise&gt;" in earlier and "<rise>" not in earlier
    assert 'href="javascript:' not in html  # unsafe links stay text
    assert "Evil | title" in html
    md = reports["md"]
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\>" in md
    assert r"Russia \| denounced Ukraine \*\*loudly\*\*" in md
    assert "](javascript:" not in md


def _section(html: str, pair_id: str) -> str:
    start = html.index(f'id="pair-{pair_id}"')
    return html[start:html.index("</section>", start)]


def test_statements_appear_under_their_pair(reports):
    html = reports["html"]
    rus = _section(html, "RUS-UKR")
    chn = _section(html, "CHN-USA")
    assert "alert(1)" in rus and "alert(1)" not in chn
    assert "US sanctions Chinese firms." in chn and "China vows retaliation against US." in chn
    assert "RUS → UKR" in rus and "tone -0.95 (hostile 90%)" in rus
    assert '<a href="https://news.example/a3" rel="noopener noreferrer">Sanctions</a>' in chn
    # a statement of another week is not listed
    assert "Washington warned Beijing" not in html
    assert "feed-5.txt" in _section(html, "DEU-FRA")


def test_thin_pairs_are_listed_apart_not_ranked(reports, tmp_path):
    write_reports(reports["index"], reports["st"], _articles(), tmp_path)  # default: 3
    html = (tmp_path / "report-2024-W06.html").read_text(encoding="utf-8")
    md = (tmp_path / "report-2024-W06.md").read_text(encoding="utf-8")
    assert 'class="ranking"' not in html and "No pair has 3 statements this week." in html
    thin = html[html.index("Thin evidence"):]
    assert all(p in thin for p in ("CHN–USA", "DEU–FRA", "RUS–UKR"))
    assert "Thin evidence (fewer than 3 statements, not ranked)" in md
    # Their statements are still there, folded.
    assert "<details><summary>Statements of the thin pairs (3 pairs)</summary>" in html
    # Numbers are not escaped in Markdown; a headline and its link are given once.
    assert "\\[" not in md.split("## Statements by pair")[0]
    assert md.count("https://news.example/a3") == 1


def _ranking(text: str, pattern: str) -> list[str]:
    return re.findall(pattern, text)


def test_markdown_twin_has_the_same_ranking(reports):
    html_pairs = _ranking(reports["html"], r'<tr><td class="num">\d+</td><td><a href="#pair-[^"]+">([^<]+)</a>')
    md_pairs = [p.strip().removesuffix(" (new)")
                for p in re.findall(r"(?m)^\| \d+ \| ([^|]+?) \|", reports["md"])]
    week = reports["index"][reports["index"]["period"] == "2024-W06"].sort_values("index")
    expected = [f"{a}–{b}" for a, b in zip(week["country_a"], week["country_b"])]
    assert html_pairs == expected and len(expected) == 3  # most hostile first
    assert html_pairs[-1] == "DEU–FRA"
    assert md_pairs == html_pairs
    assert ("![The index of this week's most relevant pairs over the 12 weeks to 2024-W06]"
            "(report-2024-W06.png)") in reports["md"]


def test_change_movers_new_pairs_and_date_methods(reports):
    html, idx = reports["html"], reports["index"]
    v = idx.set_index(["period", "country_a", "country_b"])["index"]
    change = v[("2024-W06", "CHN", "USA")] - v[("2024-W05", "CHN", "USA")]
    row = re.search(r'CHN–USA</a></td>.*?</tr>', html).group(0)
    assert f"{change:+.0f}" in row
    assert 'DEU–FRA</a> <span class="tag">new</span>' in html
    assert 'CHN–USA</a> <span class="tag">new</span>' not in html
    movers = html[html.index("<h2>What moved</h2>"):html.index("<h2>Pairs this week</h2>")]
    assert "CHN–USA" in movers and "DEU–FRA" not in movers
    assert "text: weekday &#x27;Thursday February 8&#x27; matched year 2024" in html
    assert "Directed values" in html and "CHN → USA" in html
    assert "Method" in html and "shrunk towards" in html


def test_requested_week_without_data(reports, tmp_path):
    with pytest.raises(TrackerError, match="week '2024-W09' has no index values; weeks with data: 2024-W05, 2024-W06"):
        write_reports(reports["index"], reports["st"], _articles(), tmp_path, weeks=["2024-W09"])
    assert list(tmp_path.iterdir()) == []
    only = write_reports(reports["index"], reports["st"], _articles(), tmp_path, weeks=["2024-W05"])
    assert [p.name for p in only][:2] == ["report-2024-W05.html", "report-2024-W05.md"]


def test_empty_or_non_weekly_index_is_an_error(reports, tmp_path):
    with pytest.raises(TrackerError, match="empty"):
        write_reports(reports["index"].iloc[0:0], reports["st"], _articles(), tmp_path)
    monthly = RelationshipIndex(period="M").fit_transform(reports["st"])
    with pytest.raises(TrackerError, match="period='W'"):
        write_reports(monthly, reports["st"], _articles(), tmp_path)


def test_md_escape():
    assert md_escape("a|b") == r"a\|b"
    assert md_escape("line\nbreak *x*") == r"line break \*x\*"
    assert md_escape(None) == ""


from hypothesis import given, strategies as hyp  # noqa: E402


@given(hyp.floats(0, 1), hyp.floats(0, 1), hyp.floats(0, 1))
def test_the_words_of_a_tone_never_contradict_its_number(h, n, c):
    from tracker.tone.model import LABELS, describe

    total = h + n + c
    if total < 1e-6:
        return
    p = [h / total, n / total, c / total]
    k = max(range(3), key=p.__getitem__)
    tone = p[2] - p[0]
    words, css = describe(tone, LABELS[k], p[k])
    if words.startswith("hostile"):
        assert tone <= -0.1 + 1e-9 and css == "hostile"
    elif words.startswith("cooperative"):
        assert tone >= 0.1 - 1e-9 and css == "cooperative"
    elif words.startswith("neutral") and "leaning" not in words:
        assert abs(tone) < 0.2 + 1e-9
    # The label shown is the likeliest, with its own probability.
    shown = words.removeprefix("mixed: ").split()[0].rstrip(",")
    assert shown == LABELS[k] or abs(p[LABELS.index(shown)] - p[k]) < 0.005 + 1e-9
