"""Fetching speed against a local news site of real articles, and the weekly job end to end,
each against its baseline in the same run.

    python benchmarks/bench_fetch.py [--articles 200] [--polite-pages 10]

The site is the test suite's (``tests/newssite.py``: real VOA, White House and State
Department texts as realistic pages, gzipped, with RSS and Atom feeds), served on 127.0.0.1.

1. Fetch throughput of every article page: one request at a time with urllib (the baseline),
   the fetcher one at a time and with politeness off (8 workers, 8 per host), and the fetcher
   with its polite defaults (1 s between requests to a host, robots.txt) over
   ``--polite-pages`` pages; once with the site answering at once, once with ``--latency``
   seconds per answer (a distant server). The site runs in the benchmark's own process, so
   at no latency it shares the two cores with the fetcher.
2. Collection: feeds -> pages -> articles into a new database (fetching and reading the pages),
   politeness off; then the same again on that database (nothing new).
3. ``tracker weekly`` in a fresh process: a new database (fetch, read, extract, score and the
   week's report), then the same command again.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import newssite  # noqa: E402  (the test suite's fixture site)


def sequential(urls: list[str]) -> float:
    t = time.perf_counter()
    for url in urls:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
    return time.perf_counter() - t


def with_fetcher(urls: list[str], **kwargs) -> tuple[float, int]:
    from tracker.fetch.http import Fetcher

    t = time.perf_counter()
    with Fetcher(**kwargs) as fetcher:
        got = list(fetcher.fetch_many(urls))
    seconds = time.perf_counter() - t
    assert all(f.ok for f in got), [f.error for f in got if not f.ok][:3]
    return seconds, sum(len(f.body) for f in got)


def sources_file(folder: Path, site, delay: float) -> Path:
    path = folder / "sources.toml"
    path.write_text(f"""[fetch]
delay = {delay}
per_host = 8
[[source]]
feed = "{site.url('/feeds/world.rss')}"
[[source]]
feed = "{site.url('/feeds/politics.atom')}"
""", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--polite-pages", type=int, default=5)
    parser.add_argument("--latency", type=float, default=0.05,
                        help="seconds each answer waits in the second table (a distant site)")
    args = parser.parse_args()
    from tracker.fetch.collect import collect
    from tracker.fetch.sources import load_sources
    from tracker.store import Store

    voa = min(80, args.articles // 2)  # the VOA file holds 89 stories
    articles = newssite.voa_articles(voa) + newssite.official_articles(args.articles - voa)
    for latency in (0.0, args.latency):
        with newssite.Site(articles, latency=latency) as site:
            urls = [site.url(a["path"]) for a in site.articles
                    if not a["private"] and a["path"] != site.flaky_path]
            n = len(urls)
            print(f"# Fetching {n} article pages from a local site (127.0.0.1, "
                  f"{latency * 1000:.0f} ms per answer)\n")
            print("| how | pages/s | x one at a time |\n|---|---|---|")
            base = statistics.median(sequential(urls) for _ in range(3))
            print(f"| one request at a time (urllib) | {n / base:.0f} | 1.0 |")
            one, _ = with_fetcher(urls, polite=False, workers=1, per_host=1)
            print(f"| fetcher, politeness off, 1 at a time | {n / one:.0f} | {base / one:.1f} |")
            fast = statistics.median(with_fetcher(urls, polite=False, workers=8,
                                                  per_host=8)[0] for _ in range(3))
            print(f"| fetcher, politeness off, 8 at once | {n / fast:.0f} | {base / fast:.1f} |")
            some = urls[:args.polite_pages]
            polite, _ = with_fetcher(some)
            print(f"| fetcher, polite defaults (1 s per host, robots.txt), {len(some)} pages "
                  f"| {len(some) / polite:.2f} | {(base / n) / (polite / len(some)):.3f} |\n")
    with newssite.Site(articles) as site, tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print("\n# Collection: feeds -> pages -> articles (politeness off)\n")
        sources = load_sources(sources_file(tmp, site, 0))
        from tracker.fetch.collect import make_fetcher

        for label in ("new database", "again, nothing new"):
            with Store(tmp / "c.db") as store:
                fetcher = make_fetcher(sources.settings, polite=False)
                t = time.perf_counter()
                report = collect(store, sources, fetcher=fetcher)
                seconds = time.perf_counter() - t
                fetcher.close()
            print(f"- {label}: {seconds:.2f} s, {report.downloaded} downloaded, "
                  f"{report.articles_added} articles, {report.not_modified} answered 304, "
                  f"{report.requests} requests")

        print("\n# tracker weekly, each in a fresh process\n")
        toml = sources_file(tmp, site, 0)
        import collections
        import datetime as dt

        days = [dt.date.fromisoformat(a["published"]) for a in site.articles
                if a.get("published")]
        week = collections.Counter(f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}"
                                   for d in days).most_common(1)[0][0]
        for label in ("new database", "again, nothing new"):
            t = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "tracker", "weekly", "--sources",
                                   str(toml), "--db", str(tmp / "w.db"), "--out",
                                   str(tmp / "out"), "--week", week],
                                  capture_output=True, text=True)
            seconds = time.perf_counter() - t
            lines = [x for x in done.stdout.splitlines() if x.startswith(("fetch", "pages",
                                                                          "extract"))]
            print(f"- {label} ({week}): {seconds:.1f} s, exit {done.returncode}; "
                  + "; ".join(re.sub(r" \(\d+\.\ds\)$", "", x).strip() for x in lines))


if __name__ == "__main__":
    main()
