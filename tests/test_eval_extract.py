"""The metric code of ``benchmarks/eval_extract.py`` on hand-made toy inputs (no real data, no
dependence on extraction quality)."""
from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from tracker.extract.petrarch import petr_surface_forms
from tracker.lab.gold import VOA_DYADS, read_rows

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "eval_extract.py"
_spec = importlib.util.spec_from_file_location("eval_extract", _PATH)
ev = importlib.util.module_from_spec(_spec)
sys.modules["eval_extract"] = ev
_spec.loader.exec_module(ev)


def test_micro_prf_arithmetic():
    gold = [{("AAA", "BBB"), ("BBB", "AAA")}, {("CCC", "DDD")}, set()]
    pred = [{("AAA", "BBB")}, {("DDD", "CCC")}, {("EEE", "FFF")}]
    m = ev.micro_prf(gold, pred)
    assert (m.tp, m.fp, m.fn) == (1, 2, 2)
    assert m.precision == pytest.approx(1 / 3)
    assert m.recall == pytest.approx(1 / 3)
    assert m.f1 == pytest.approx(1 / 3)


def test_micro_prf_empty_and_perfect():
    assert ev.micro_prf([set()], [set()]).f1 == 0.0
    m = ev.micro_prf([{("A", "B")}], [{("A", "B")}])
    assert (m.precision, m.recall, m.f1) == (1.0, 1.0, 1.0)
    with pytest.raises(ValueError):
        ev.micro_prf([set()], [])


def test_direction_matters():
    m = ev.micro_prf([{("USA", "RUS")}], [{("RUS", "USA")}])
    assert (m.tp, m.fp, m.fn) == (0, 1, 1)


def test_expand_pairs_combinations_and_reciprocal():
    assert ev.expand_pairs(["A", "B"], ["C", "D"]) == {("A", "C"), ("A", "D"), ("B", "C"),
                                                       ("B", "D")}
    assert ev.expand_pairs([], [], ["A", "B", "C"]) == {
        (x, y) for x in "ABC" for y in "ABC" if x != y}
    # Reciprocal parties and a plain target: both directions between the parties, each -> C.
    assert ev.expand_pairs([], ["C"], ["A", "B"]) == {("A", "B"), ("B", "A"), ("A", "C"),
                                                      ("B", "C")}
    assert ev.expand_pairs(["A"], ["A"]) == set()


def _plover(markup, source, target):
    return {"textInfo": {"markup": markup}, "source": source, "target": target}


def test_plover_gold_reciprocal_markup():
    rec = _plover("(SRC/TAR: Xland) and (SRC/TAR: Yland) (EVT: agreed).",
                  [{"actorText": "Xland", "code": "XXX"}, {"actorText": "Yland", "code": "YYY"}],
                  "")
    gold, dropped = ev.plover_gold(rec)
    assert gold == {("XXX", "YYY"), ("YYY", "XXX")} and dropped == []


def test_plover_gold_plain_drops_non_countries_and_maps_typos():
    rec = _plover("(SRC: Xland) (EVT: hit) (TAR: Japan) and (TAR: the UN).",
                  [{"actorText": "Xland", "code": "XXX"}],
                  [{"actorText": "Japan", "code": "JAP"}, {"actorText": "the UN", "code": "IGO"}])
    gold, dropped = ev.plover_gold(rec, is_country=lambda c: c != "IGO")
    assert gold == {("XXX", "JPN")}
    assert dropped == ["IGO"]


def test_recall_and_unscon_recalls():
    items = [(0, "AAA", "BBB"), (1, "AAA", "CCC"), (2, "DDD", "AAA")]
    pred = {0: {("AAA", "BBB")}, 1: {("EEE", "CCC")}}
    mentioned = {0: {"BBB"}, 1: {"CCC"}, 2: {"AAA"}}
    r_any, r_spk, r_men = ev.unscon_recalls(items, pred, mentioned)
    assert r_any == pytest.approx(2 / 3)
    assert r_spk == pytest.approx(1 / 3)
    assert r_men == 1.0
    assert ev.recall([]) == 0.0


def test_unscon_speaker_from_file_id():
    assert ev.unscon_speaker("UNSC_2014_SPV.7219_spch015_Russian_Federation_neg_03.txt") == \
        "Russian_Federation"
    assert ev.unscon_speaker("UNSC_2016_SPV.7643_spch002_United_States_Of_AmericaA2_01_GD.txt") \
        == "United_States_Of_America"
    assert ev.unscon_speaker("UNSC_2016_SPV.7658_spch003_Ukraine2_00_GD.txt") == "Ukraine"
    cmap = {"russianfederation": "RUS", "venezuela": "VEN"}
    assert ev.unscon_iso3("Russian_Federation", cmap) == "RUS"
    assert ev.unscon_iso3("Venezuela_(Bolivarian_Republic_Of)", cmap) == "VEN"
    assert ev.unscon_iso3("-NONE-", cmap) is None


def test_detokenize():
    assert ev.detokenize("As a result of Russia 's activities ,  there is ( OSCE ) .  ") == \
        "As a result of Russia's activities, there is (OSCE)."
    assert ev.detokenize('Kyiv began to call dissenters " bandits " .') == \
        'Kyiv began to call dissenters "bandits".'


def test_petr_dictionary_conversion():
    text = """<!-- comment
    # with lines -->
ARNOR_  [ARN]
+ARNORIAN
GONDOR [GON]
+MINAS_TIRITH
WHITE_HOUSE  [USAGOV] # note
GOLLUM
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
BOROMIR  [---]
THE_SHIRE  [FRO/BIL/SAM]
"""
    entries = ev.parse_petr_actors(text)
    assert [e.names[0] for e in entries] == ["ARNOR_", "GONDOR", "WHITE_HOUSE", "GOLLUM",
                                             "BOROMIR", "THE_SHIRE"]
    gollum = entries[3]
    assert gollum.names == ["GOLLUM", "SMEAGOL"]
    assert gollum.codes == [("HOB", None, dt.date(1995, 5, 31)),
                            ("HOBGOV", dt.date(1995, 6, 1), dt.date(1999, 8, 15))]
    countries, officials, skipped = ev.petr_tables(entries)
    by = {c["iso3"]: c for c in countries}
    assert by["ARN"]["name"] == "Arnor" and by["ARN"]["adjectives"] == "Arnorian"
    assert by["GON"]["aliases"] == "Minas Tirith"
    assert by["USA"]["metonyms"] == "White House"
    assert "FRO" in by and "HOB" in by
    assert {o["name"] for o in officials} == {"Gollum"}
    assert skipped["code not 3 letters"] == 1
    assert petr_surface_forms("THE_HERMIT_KINGDOM") == ["The Hermit Kingdom",
                                                           "the Hermit Kingdom"]


def test_petr_gold_first_three_letters():
    gold, dropped = ev.petr_gold([("GONGOV", "ARN"), ("---GOV", "ARN"), ("ARNMIL", "ARN"),
                                  ("XYZ", "ARN")], known={"GON", "ARN"})
    assert gold == {("GON", "ARN")}
    assert dropped == 2


def test_petr_tables_load_as_gazetteer(tmp_path):
    from tracker.extract.actors import COUNTRY_COLUMNS, OFFICIAL_COLUMNS, Gazetteer

    entries = ev.parse_petr_actors("ARNOR [ARN]\nGONDOR [GON]\nGOLLUM\n\t[HOB <950601]\n")
    countries, officials, _ = ev.petr_tables(entries)
    c = ev.write_tsv(tmp_path / "c.tsv", COUNTRY_COLUMNS, countries)
    o = ev.write_tsv(tmp_path / "o.tsv", OFFICIAL_COLUMNS, officials)
    gaz = Gazetteer(countries=[c], officials=[o])
    found = [(m.text, m.iso3) for m in gaz.find_mentions("Arnor met Gondor and Gollum.",
                                                        dt.date(1990, 1, 1))]
    assert found == [("Arnor", "ARN"), ("Gondor", "GON"), ("Gollum", "HOB")]


def test_voa_gold_rows_match_the_sentence_splitter(shared_data):
    from tracker.extract import split_sentences
    from tracker.ingest import read_articles

    rows = read_rows(ev.GOLD_DIR / VOA_DYADS)
    articles = {a.id: a for a in read_articles([shared_data / "voa" / "voa_stories.jsonl"])}
    by_article = {}
    for r in rows:
        by_article.setdefault(r["article_id"], []).append(r)
    assert len(by_article) >= 12
    for article_id, article_rows in by_article.items():
        spans = split_sentences(articles[article_id].text)
        assert [(r["start"], r["end"]) for r in article_rows] == spans
        assert [r["sentence_index"] for r in article_rows] == list(range(len(spans)))
    for r in rows:
        assert r["part"] in ("dev", "test")
        for src, tgt in r["dyads"] + r.get("uncertain", []):
            assert len(src) == len(tgt) == 3 and src != tgt
