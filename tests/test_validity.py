"""The pure functions of ``benchmarks/validity_ungd.py``: vote agreement, pairing, statistics.

The benchmark itself (extraction and scoring of thousands of speeches) is not run here; the
reader mode runs on one short speech.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def validity():
    spec = importlib.util.spec_from_file_location(
        "validity_ungd", ROOT / "benchmarks" / "validity_ungd.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def roll_calls(rows):
    """``rows``: (rcid, session, iso3, vote)."""
    return pd.DataFrame(rows, columns=["rcid", "session", "iso3", "vote"])


def test_vote_agreement_counts_only_roll_calls_where_both_voted(validity):
    v = roll_calls([
        (1, 65, "USA", "yes"), (1, 65, "CHN", "yes"), (1, 65, "RUS", "no"),
        (2, 65, "USA", "no"), (2, 65, "CHN", "yes"), (2, 65, "RUS", "abstain"),
        (3, 65, "USA", "abstain"), (3, 65, "CHN", "abstain"),  # RUS absent
        (4, 65, "USA", "yes"), (4, 65, "RUS", "absent"),        # not a cast vote
    ])
    out = validity.vote_agreement(v, min_votes=1).set_index(["country_a", "country_b"])
    assert set(out["year"]) == {2010}                     # session 65 -> 2010 debate
    assert out.loc[("CHN", "USA"), "n_votes"] == 3
    assert out.loc[("CHN", "USA"), "agreement"] == pytest.approx(2 / 3)
    assert out.loc[("RUS", "USA"), "n_votes"] == 2         # rcid 3 absent, rcid 4 "absent"
    assert out.loc[("RUS", "USA"), "agreement"] == 0.0
    assert out.loc[("CHN", "RUS"), "agreement"] == 0.0


def test_vote_agreement_splits_sessions_and_drops_thin_pairs(validity):
    v = roll_calls([(1, 65, "FRA", "yes"), (1, 65, "GBR", "yes"),
                    (2, 66, "FRA", "yes"), (2, 66, "GBR", "no"),
                    (3, 66, "FRA", "no"), (3, 66, "GBR", "no")])
    out = validity.vote_agreement(v, min_votes=2)
    assert out[["year", "country_a", "country_b", "n_votes", "agreement"]].values.tolist() == [
        [2011, "FRA", "GBR", 2, 0.5]]


def test_namibia_is_not_a_missing_code(validity):
    assert validity.iso2_to_iso3()["NA"] == "NAM"


def test_merge_reference_matches_pairs_in_either_order(validity):
    index = pd.DataFrame({"period": ["2010", "2010", "2011"], "country_a": ["CHN", "FRA", "CHN"],
                          "country_b": ["USA", "GBR", "USA"], "index": [-20.0, 40.0, -10.0],
                          "n_statements": [3, 1, 2]})
    ref = pd.DataFrame({"year": [2010, 2010, 2012], "country_a": ["USA", "FRA", "CHN"],
                        "country_b": ["CHN", "GBR", "USA"], "agreement": [0.4, 0.9, 0.5]})
    out = validity.merge_reference(index, ref).sort_values("index")
    assert out[["year", "country_a", "country_b", "index", "agreement"]].values.tolist() == [
        [2010, "CHN", "USA", -20.0, 0.4], [2010, "FRA", "GBR", 40.0, 0.9]]


def test_spearman_and_pair_bootstrap(validity):
    x = np.arange(20.0)
    assert validity.spearman(x, x ** 3) == pytest.approx(1.0)
    assert validity.spearman(x, -x) == pytest.approx(-1.0)
    assert np.isnan(validity.spearman([1, 2], [3, 4]))
    rng = np.random.default_rng(1)
    y = x + rng.normal(0, 5, len(x))
    rho = validity.spearman(x, y)
    lo, hi = validity.bootstrap_ci(x, y, groups=[f"p{i // 2}" for i in range(20)], n_boot=200)
    assert lo <= rho <= hi and hi - lo > 0


def test_within_pair_demeans_and_keeps_long_pairs(validity):
    f = pd.DataFrame({"country_a": ["A"] * 3 + ["B"] * 2, "country_b": ["X"] * 5,
                      "year": [1, 2, 3, 1, 2], "v": [1.0, 2.0, 6.0, 5.0, 5.0]})
    out = validity.within_pair(f, ["v"], min_years=3)
    assert out["v"].tolist() == [-2.0, -1.0, 3.0]


class _Extractor:
    """Stands in for tracker.extract.Extractor: fixed statements for the second sentence."""

    def __init__(self, statements):
        self.statements = statements

    def extract(self, article_id, text, published):
        return self.statements


def test_speech_mode_attributes_mentions_to_the_speaker(validity):
    from tracker.extract.actors import Gazetteer
    from tracker.extract import Statement, split_sentences

    text = ("We thank Japan and Brazil for their support. Russia attacked Ukraine. "
            "France is our friend.")
    article = type("A", (), {"id": "a1", "external_id": "KEN_2015", "text": text,
                             "published": "2015-09-25"})()
    a, b = split_sentences(text)[1]
    third = Statement("a1", 1, a, b, text[a:b], "RUS", "UKR", ((a, a + 6),), ((b - 8, b - 1),),
                      a, b, "action:attacked", "Russia", "Ukraine")
    rows = validity.speech_statements(article, "KEN", _Extractor([third]), Gazetteer.default())
    got = [(r["source"], r["target"], r["rule"]) for r in rows]
    # the third-state sentence gives nothing; the others give speaker -> each mentioned country
    assert got == [("KEN", "JPN", "speech:mention"), ("KEN", "BRA", "speech:mention"),
                   ("KEN", "FRA", "speech:mention")]
    first = rows[0]
    (s, e), = json.loads(first["target_spans"])
    assert first["clause"][s:e] == "Japan"
    assert dt.date.fromisoformat(first["published"]).year == 2015


def test_filtered_mode_drops_treaties_and_venues(validity):
    from tracker.extract.actors import Gazetteer

    text = ("We are bound by the Paris Climate Change Agreement. The summit was held in Nairobi. "
            "We thank Japan.")
    article = type("A", (), {"id": "a1", "external_id": "KEN_2016", "text": text,
                             "published": "2016-09-25"})()
    args = (article, "BGR", _Extractor([]), Gazetteer.default())
    kept = [r["target"] for r in validity.speech_statements(*args, mode="filtered")]
    assert kept == ["JPN"]
    assert [r["target"] for r in validity.speech_statements(*args, mode="all")] == [
        "FRA", "KEN", "JPN"]


def test_country_adjusted_removes_what_the_countries_explain(validity):
    rng = np.random.default_rng(0)
    codes = ["A", "B", "C", "D", "E", "F"]
    effect = dict(zip(codes, rng.normal(size=6)))
    rows = [(a, b, y) for y in (2010, 2011) for i, a in enumerate(codes) for b in codes[i + 1:]]
    f = pd.DataFrame(rows, columns=["country_a", "country_b", "year"])
    pair = rng.normal(size=len(f))
    f["additive"] = f["country_a"].map(effect) + f["country_b"].map(effect)
    f["mixed"] = f["additive"] + pair
    out = validity.country_adjusted(f, ["additive", "mixed"])
    assert out["additive"].isna().all()          # nothing pair-specific left
    assert np.corrcoef(out["mixed"], pair)[0, 1] > 0.8


def test_reader_mode_keeps_the_speakers_own_statements(validity, tmp_path):
    """``--reader``: the fast reader reads each speech with its speaker; only the speaker's
    statements are kept, with the reader's tones, and a second call reads the year's cache."""
    from tracker.reader import Reader, ReaderStage

    (tmp_path / "ungd").mkdir()
    (tmp_path / "ungd" / "KEN_70_2015.txt").write_text(
        "We thank Japan for its generous support to our refugees. Russia attacked Ukraine "
        "last year.", encoding="utf-8")
    (tmp_path / "ungd" / "index.csv").write_text("path,iso3,year\nKEN_70_2015.txt,KEN,2015\n",
                                                 encoding="utf-8")
    stage = ReaderStage(Reader.load("fast"))
    cache = tmp_path / "cache"
    cache.mkdir()
    frame = validity.reader_year(tmp_path, 2015, cache, stage)
    assert len(frame) and set(frame["source"]) == {"KEN"}
    assert "JPN" in set(frame["target"])
    row = frame[frame["target"] == "JPN"].iloc[0]
    (s, e), = json.loads(row["target_spans"])
    assert row["clause"][s:e] == "Japan" and row["tone"] > 0
    assert len(list(cache.glob("reader-*-2015.csv.gz"))) == 1
    again = validity.reader_year(tmp_path, 2015, cache, stage)
    assert again[["source", "target"]].values.tolist() == frame[["source", "target"]].values.tolist()
