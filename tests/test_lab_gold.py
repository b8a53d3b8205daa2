"""The project's gold VOA rows: parts, sentence text, and no test sentence that dev also holds."""
from __future__ import annotations

from pathlib import Path

import pytest

from tracker.errors import TrackerError
from tracker.lab.gold import VOA_DYADS, VOA_TONE, load_gold, read_rows

GOLD = Path(__file__).resolve().parents[1] / "benchmarks" / "gold"


def test_parts_and_text(shared_data):
    dev, test = load_gold(shared_data, GOLD, "dev"), load_gold(shared_data, GOLD, "test")
    assert {r["part"] for r in dev.rows} == {"dev"} and {r["part"] for r in test.rows} == {"test"}
    # Syndicated copies: a test sentence that a dev story holds is left out of test.
    raw_test = [r for r in read_rows(GOLD / VOA_DYADS) if r["part"] == "test"]
    assert len(test.rows) < len(raw_test)
    assert not {r["text"] for r in test.rows} & {r["text"] for r in dev.rows}
    for r in dev.rows[:50]:
        assert r["text"] == dev.articles[r["article_id"]].text[r["start"]:r["end"]]


def test_tone_rows_take_offsets_from_the_dyad_file(shared_data):
    tone = load_gold(shared_data, GOLD, "dev", VOA_TONE)
    assert tone.rows and all(r["text"] and "start" not in r for r in tone.rows)


def test_errors_are_one_line(tmp_path, shared_data):
    with pytest.raises(TrackerError, match="part 'train' is invalid"):
        load_gold(shared_data, GOLD, "train")
    with pytest.raises(TrackerError, match="voa_stories.jsonl: the VOA stories file is missing"):
        load_gold(tmp_path, GOLD, "dev")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"part": "dev"}\nnot json\n')
    with pytest.raises(TrackerError, match=r"bad.jsonl:2: not valid JSON"):
        read_rows(bad)
