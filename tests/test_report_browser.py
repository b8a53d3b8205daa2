"""The weekly report in a real browser (headless Chromium): images load, layout holds."""
from __future__ import annotations

import shutil
import struct
import zlib

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                 "(.ci/run installs it)")]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def page(seed_run):
    from playwright.sync_api import sync_playwright

    _, out, _ = seed_run
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        failed = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.goto((out / "report-2024-W05.html").as_uri())
        page.wait_for_load_state("load")
        page.failed_requests = failed
        yield page
        browser.close()


def test_every_image_loads(page):
    images = page.evaluate("Array.from(document.images).map(i => ({ok: i.complete && "
                           "i.naturalWidth > 0, src: i.src.slice(0, 22), w: i.clientWidth}))")
    assert images, "the report has no chart"
    assert all(i["ok"] for i in images), images
    assert all(i["src"].startswith("data:image/png") for i in images)
    assert page.failed_requests == []


def test_layout_fits_the_window_and_reads_in_order(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    headings = page.evaluate("Array.from(document.querySelectorAll('h2')).map(h => "
                             "[h.textContent.trim(), h.getBoundingClientRect().top])")
    tops = [top for _, top in headings]
    assert tops == sorted(tops) and len(headings) >= 3
    table = page.evaluate("(() => { const r = document.querySelector('table')"
                          ".getBoundingClientRect(); return [r.left, r.right, r.height]; })()")
    assert 0 <= table[0] and table[1] <= 1200 and table[2] > 100
    assert page.evaluate("document.querySelectorAll('script').length") == 0


def _png_rows(data: bytes):
    """Decode an 8-bit RGB(A) PNG (what Chromium writes) into rows of bytes."""
    pos, chunks, width, height, channels = 8, [], 0, 0, 3
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, color = struct.unpack(">IIBB", body[:10])
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride, rows, prev = width * channels, [], bytearray(width * channels)
    for y in range(height):
        ftype, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b, c = prev[i], prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return rows, width, channels


def test_screenshot_shows_the_chart(page, tmp_path):
    """A broken layout (chart missing, collapsed or off-screen) fails here."""
    chart = page.locator("img").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box["width"] >= 400 and box["height"] >= 200
    shot = chart.screenshot(path=str(tmp_path / "chart.png"))
    rows, width, channels = _png_rows(shot)
    colours = {row[i:i + 3] for row in rows[::4] for i in range(0, width * channels, channels * 4)}
    # A rendered chart has axes, text, lines and a band: many distinct colours, not a blank box.
    assert len(colours) > 20
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    assert (tmp_path / "page.png").stat().st_size > 20_000


@pytest.fixture(scope="module")
def wcep_week(tmp_path_factory, shared_data, tone_model):
    """A dense real week: Wikipedia Current Events, 2022-W10, with the 12 weeks before."""
    from conftest import wcep_items
    from tracker import pipeline

    tmp = tmp_path_factory.mktemp("wcep-week")
    src = wcep_items(tmp / "wcep.jsonl", "2021-12-13", "2022-03-14")
    pipeline.run([src], db=tmp / "w.db", out=tmp / "out", model=tone_model)
    return tmp / "out" / "report-2022-W10.html", tmp / "w.db"


def test_a_dense_week_reads_in_one_screenful_of_sections(wcep_week, page):
    report, db = wcep_week
    dense = page.context.browser.new_page(viewport={"width": 1280, "height": 900})
    dense.goto(report.as_uri())
    dense.wait_for_load_state("load")
    height = dense.evaluate("document.documentElement.scrollHeight")
    open_folds = dense.evaluate("document.querySelectorAll('details[open]').length")
    ranked = dense.evaluate("Array.from(document.querySelectorAll('table.ranking tbody tr'))"
                            ".map(r => Number(r.children[4].textContent))")
    footer = dense.evaluate("document.querySelector('footer').textContent")
    dense.close()
    assert open_folds == 0 and height <= 6000, height
    # Pairs with fewer than 3 statements are listed apart, never ranked.
    assert ranked and min(ranked) >= 3
    assert "Generated" in footer and "tracker" in footer and "Sources this week" in footer


def test_the_chart_shows_the_twelve_weeks_to_the_reported_one(wcep_week):
    from tracker.report.week import CHART_WEEKS
    from tracker.store import Store
    from tracker.index import RelationshipIndex
    from tracker.report.week import _week_frame, _week_summary

    _, db = wcep_week
    with Store(db) as store:
        idx = _week_frame(RelationshipIndex(period="W").fit(store.statements_frame()).results_)
    summary = _week_summary(idx, "2022-W10")
    assert CHART_WEEKS == 12 and 1 <= len(summary["chart_pairs"]) <= 4
    movers = list(zip(summary["movers"]["country_a"], summary["movers"]["country_b"]))
    assert movers[:2] == summary["chart_pairs"][:2]
