"""Soft-target files of the distillation (the workbench): written, read back, and several files
of one teacher read as one."""
import numpy as np
import pytest

from tracker.errors import TrackerError
from tracker.lab.distill import load_soft, load_soft_files, save_soft
from tracker.reader.candidates import Candidate
from tracker.reader.model import Unit

WCEP = Unit("wcep-2016-04-08-021", "Iran and Saudi Arabia agree to resume relations.", 0,
            "2016-04-08", None)
SPEECH = Unit("speeches/2015/UKR.txt", "We condemn Russia.", 0, "2015-09-20", "UKR")
SPEECH_2 = Unit("speeches/2015/UKR.txt", "We thank Poland and condemn Russia.", 0,
                "2015-09-20", "UKR")
RELEASE = Unit("wh-2022-03-01-7", "The United States stands with Ukraine.", 0, "2022-03-01",
               "USA")


def _rows(*units):
    out = []
    for u in units:
        for s, t in (("IRN", "SAU"), ("SAU", "IRN")) if u is WCEP else ((u.speaker, "RUS"),):
            out.append((u, Candidate(s, t, ((0, 4),), ((9, 15),)), np.array([.1, .2, .3, .4])))
    return out


def test_a_soft_file_reads_back(tmp_path):
    save_soft(tmp_path / "a.jsonl", _rows(WCEP, SPEECH), {"teacher": "t1", "sources": {}})
    rows, note = load_soft(tmp_path / "a.jsonl")
    assert note["teacher"] == "t1"
    assert [(u.id, c.source, c.target) for u, c, _ in rows] == [
        (WCEP.id, "IRN", "SAU"), (WCEP.id, "SAU", "IRN"), (SPEECH.id, "UKR", "RUS")]
    assert rows[0][0] is rows[1][0]          # one Unit object per unit: read once
    np.testing.assert_allclose(rows[2][2], [.1, .2, .3, .4])


def test_several_files_keep_each_unit_once_and_count_per_source(tmp_path):
    save_soft(tmp_path / "a.jsonl", _rows(WCEP, SPEECH),
              {"teacher": "t1", "random_state": 0, "seconds": 10.0, "sources": {}})
    save_soft(tmp_path / "b.jsonl", _rows(WCEP, SPEECH_2, RELEASE),
              {"teacher": "t1", "random_state": 1, "seconds": 5.5, "sources": {}})
    rows, note = load_soft_files([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
    # The WCEP unit is in both files: kept once. The second speech unit shares its document
    # with the first but not its text: kept.
    assert len(rows) == 2 + 1 + 1 + 1
    assert note["sources"] == {"wcep": {"units": 1, "candidates": 2},
                               "ungd": {"units": 2, "candidates": 2},
                               "whitehouse": {"units": 1, "candidates": 1}}
    assert note["random_state"] == [0, 1] and note["seconds"] == 15.5 and note["files"] == 2


def test_files_of_two_teachers_are_refused(tmp_path):
    save_soft(tmp_path / "a.jsonl", _rows(WCEP), {"teacher": "t1", "sources": {}})
    save_soft(tmp_path / "b.jsonl", _rows(SPEECH), {"teacher": "t2", "sources": {}})
    with pytest.raises(TrackerError, match="b.jsonl.*teacher t2, not t1"):
        load_soft_files([tmp_path / "a.jsonl", tmp_path / "b.jsonl"])
