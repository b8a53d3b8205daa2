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
    assert tops == sorted(tops) and len(headings) >= 4
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
