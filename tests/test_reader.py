"""The reader's parts that need no trained model: candidates, marking, decisions, errors."""
from __future__ import annotations

import numpy as np
import pytest

from tracker.errors import TrackerError
from tracker.reader.candidates import Candidate, candidates
from tracker.reader.model import Reader, pair_from_proba


def pairs(found):
    return sorted((c.source, c.target) for c in found)


def test_joint_subjects_give_both_directions_as_candidates():
    found, rules = candidates("Iran and Saudi Arabia agree to resume diplomatic relations.",
                              "2023-03-10")
    assert pairs(found) == [("IRN", "SAU"), ("SAU", "IRN")]
    text = "Iran and Saudi Arabia agree to resume diplomatic relations."
    by = {(c.source, c.target): c for c in found}
    assert [text[a:b] for a, b in by[("IRN", "SAU")].source_spans] == ["Iran"]
    assert [text[a:b] for a, b in by[("IRN", "SAU")].target_spans] == ["Saudi Arabia"]


def test_people_and_pronouns_resolve_through_the_context():
    context = "Russian Foreign Ministry spokeswoman Maria Zakharova spoke on Friday.\n\n"
    text = context + "She said Japan must apologise."
    found, _ = candidates(text, "2024-02-04", first_offset=len(context))
    by = {(c.source, c.target): c for c in found}
    assert set(by) == {("RUS", "JPN"), ("JPN", "RUS")}
    assert [text[a:b] for a, b in by[("RUS", "JPN")].source_spans] == ["She"]
    # Nothing of the context sentence itself is a candidate span.
    assert all(a >= len(context) for c in found for a, _ in c.source_spans + c.target_spans)


def test_the_speaker_pairs_with_each_state_both_ways():
    found, _ = candidates("The blockade of Qatar must end.", None, speaker="TUR")
    assert pairs(found) == [("QAT", "TUR"), ("TUR", "QAT")]
    speaker_side = next(c for c in found if c.source == "TUR")
    assert speaker_side.source_spans == ()
    # A sentence that names no state gives no candidate, speaker or not.
    assert candidates("We thank the Assembly.", None, speaker="TUR")[0] == []


def test_a_compound_and_a_state_named_only_in_the_context_are_candidates():
    found, _ = candidates("The U.S.-Canada Partnership Roadmap was unveiled.", "2021-02-23")
    assert ("USA", "CAN") in pairs(found)
    context = "Haiti has seized our attention once again.\n\n"
    found, _ = candidates(context + "Belize will stand with our sister country.", None,
                          speaker="BLZ", first_offset=len(context))
    assert ("BLZ", "HTI") in pairs(found)


def test_marks_wrap_every_mention_and_report_their_spans():
    from tracker.reader.net import first_segment, marked_text

    text = "Russia told Ukraine that Moscow would not wait."
    marked, spans = marked_text(text, [[(0, 6), (25, 31)], [(12, 19)], []])
    assert marked == "@ Russia @ told @ Ukraine @ that @ Moscow @ would not wait."
    assert [[marked[a:b] for a, b in s] for s in spans] == [
        ["@ Russia @", "@ Moscow @"], ["@ Ukraine @"], []]
    seg, names = first_segment(["Russia", "Ukraine", "France"], speaker=2)
    assert seg == "Russia ; Ukraine ; speaker France"
    assert [seg[a:b] for a, b in names] == ["Russia", "Ukraine", "France"]


def test_a_unit_is_read_once_for_all_its_candidates():
    from tracker.extract import Extractor
    from tracker.reader import Unit
    from tracker.reader.model import inputs_of

    ex = Extractor()
    text = "Russia told Ukraine and Poland that Moscow would not wait."
    found, _ = candidates(text, "2024-01-01", extractor=ex)
    unit, other = Unit("a", text, 0, "2024-01-01"), Unit("b", "Peru thanked Chile.", 0)
    more, _ = candidates(other.text, extractor=ex)
    inputs = inputs_of([(unit, c) for c in found] + [(other, c) for c in more], ex.gaz)
    assert len(inputs) == 2 and [len(i[2]) for i in inputs] == [6, 2]
    (first, names), (marked, spans), pairs = inputs[0]
    states = [first[a:b] for a, b in names]
    assert sorted(states) == ["Poland", "Russia", "Ukraine"]
    # The pairs come back in the candidates' order, as (source state, target state).
    assert [(states[i], states[j]) for i, j in pairs] == [
        (ex.gaz.country_name(c.source), ex.gaz.country_name(c.target)) for c in found]
    assert [marked[a:b] for a, b in spans[states.index("Russia")]] == ["@ Russia @",
                                                                       "@ Moscow @"]


def test_decisions_follow_the_probabilities():
    c = Candidate("RUS", "UKR", ((0, 6),), ((12, 19),))
    hostile = pair_from_proba(c, np.array([0.1, 0.7, 0.15, 0.05]), threshold=0.5)
    assert hostile.is_statement and hostile.label == "hostile"
    assert hostile.tone == pytest.approx((0.05 - 0.7) / 0.9)
    assert hostile.confidence == pytest.approx(0.7 / 0.9)
    assert hostile.p_statement == pytest.approx(0.9)
    none = pair_from_proba(c, np.array([0.6, 0.1, 0.1, 0.2]), threshold=0.5)
    assert not none.is_statement and none.label == "cooperative" and none.tone > 0


def test_a_folder_that_is_no_reader_is_refused(tmp_path):
    with pytest.raises(TrackerError, match="has no adapter.safetensors"):
        Reader.load(tmp_path)
    with pytest.raises(TrackerError, match="reader folder '.*absent' does not exist"):
        Reader.load(tmp_path / "absent")
    (tmp_path / "adapter.safetensors").write_bytes(b"")
    (tmp_path / "config.json").write_text("{oops")
    with pytest.raises(TrackerError, match="config.json' is not valid JSON"):
        Reader.load(tmp_path)
    (tmp_path / "config.json").write_text('{"kind": "lora", "format_version": 3}')
    with pytest.raises(TrackerError, match="is not a reader of format 2"):
        Reader.load(tmp_path)


# The shipped fast reader (models/reader-minilm), on behaviour an analyst would check.

@pytest.fixture(scope="module")
def reader():
    return Reader.load("fast")


@pytest.mark.slow
def test_the_shipped_reader_sees_joint_acts_of_cooperation(reader):
    from tracker.reader import Unit

    text = "Iran and Saudi Arabia agree to resume diplomatic relations and reopen their embassies."
    (pairs,) = reader.read([Unit("x", text, 0, "2023-03-10")])
    got = {(p.source, p.target): p for p in pairs if p.is_statement}
    assert set(got) == {("IRN", "SAU"), ("SAU", "IRN")}
    assert all(p.label == "cooperative" and p.tone > 0.5 for p in got.values())


@pytest.mark.slow
def test_the_shipped_reader_reads_an_attack_one_way(reader):
    from tracker.reader import Unit

    (pairs,) = reader.read([Unit("x", "Russia launches a missile strike on Kyiv.", 0,
                                 "2023-03-10")])
    got = {(p.source, p.target): p for p in pairs if p.is_statement}
    assert set(got) == {("RUS", "UKR")} and got[("RUS", "UKR")].label == "hostile"


def test_the_shipped_reader_folder_is_small_and_safe():
    folder = Reader.load("fast").path
    names = {p.name for p in folder.iterdir() if p.name != "__pycache__"}
    assert names == {"adapter.safetensors", "config.json", "recipe.json", "metrics.json",
                     "check.jsonl", "README.md"}
    assert sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) < 10 * 2**20
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "corpus test part" in card and "silver standard" in card


@pytest.mark.slow
def test_a_run_with_the_reader_stores_statements_with_their_tone(tmp_path, seed_path):
    from tracker import pipeline
    from tracker.store import Store

    extractor = pipeline.make_extractor(model="fast")
    summary = pipeline.run([seed_path], db=tmp_path / "r.db", out=tmp_path / "out",
                           extractor=extractor)
    assert summary.statements_added > 0 and summary.statements_scored == 0
    with Store(tmp_path / "r.db") as store:
        frame = store.statements_frame()
        assert store.get_meta("tone_model") == extractor.model_id
    assert len(frame) == summary.statements_added
    assert set(frame["rule"]) == {"reader"} and frame["tone"].between(-1, 1).all()
    assert {("KOR", "RUS"), ("RUS", "KOR")} <= set(zip(frame["source"], frame["target"]))
    assert (tmp_path / "out" / "report-2024-W05.html").is_file()
    # A second run does no work.
    again = pipeline.run([seed_path], db=tmp_path / "r.db", out=tmp_path / "out",
                         extractor=pipeline.make_extractor(model="fast"))
    assert (again.articles_extracted, again.statements_added) == (0, 0)


def test_a_transcript_is_read_turn_by_turn(press_conference):
    from tracker.extract.turns import TURN, transcript_turns
    from tracker.reader.model import article_pairs

    text, published = press_conference
    units, _, pairs = article_pairs("pc", text, published, "USA")
    speakers = {u.speaker for _, u, _ in pairs}
    assert speakers == {"USA", "JPN", None}
    suga = next(u for _, u, _ in pairs if "We also had serious talks on China" in u.text)
    assert suga.speaker == "JPN"
    assert {(c.source, c.target) for _, u, c in pairs if u is suga} >= {("JPN", "CHN")}
    turns = transcript_turns(text)
    for sent, unit, _ in pairs:
        # A journalist's question speaks for no state, each leader's words for theirs.
        who = [t.who for t in turns if t.start <= sent.start][-1:] or ["(before the turns)"]
        assert (unit.speaker is None) == (who[0] == "Q"), (who, unit.text)
    for _, unit, c in pairs:
        # A unit holds neither a turn's label nor words of another turn; spans fall inside it.
        assert not TURN.search(unit.text), unit.text
        assert all(0 <= a < b <= len(unit.text) for a, b in c.source_spans + c.target_spans)
