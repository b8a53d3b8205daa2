"""The tone stage (tracker.tone): the shipped model's behaviour, calibration, files, identity and
errors."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tracker.errors import TrackerError
from tracker.tone import LABELS, ToneInput, ToneModel, ToneResult, default_model_path

#: ECE (15 bins) of the shipped model on NewsMTSC rw_dev, measured 0.039 after temperature
#: scaling (see the model card); the bound leaves room for CPU numeric noise, not for a regression.
ECE_BOUND = 0.06


def span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return (start, start + len(word))


def statement(text: str, target: str, source: str | None = None) -> ToneInput:
    return ToneInput(text, (span(text, target),), (span(text, source),) if source else ())


# The shipped model comes from the session fixture ``tone_model`` in conftest.py (loaded once;
# the network itself is memoised in tracker.tone.net).


def test_model_dir_holds_only_safe_small_files():
    path = default_model_path()
    names = {p.name for p in path.iterdir() if p.name != "__pycache__"}
    assert names == {"adapter.safetensors", "config.json", "recipe.json", "metrics.json",
                     "check.jsonl", "README.md"}
    assert sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) < 10 * 2**20
    config = json.loads((path / "config.json").read_text())
    assert config["kind"] == "lora" and config["labels"] == list(LABELS)
    # How it was made and how it scored stay out of what predicting reads.
    assert not {"data", "epochs", "evaluation", "recipe"} & set(config)
    made = json.loads((path / "recipe.json").read_text())
    for name, info in made["data"].items():
        assert len(info["sha256"]) == 64 and info["rows"] > 0, name
    assert not any("test" in info["path"] for info in made["data"].values())
    measured = json.loads((path / "metrics.json").read_text())
    assert measured["selected_epoch"] in [e["epoch"] for e in measured["epochs"]]
    card = (path / "README.md").read_text()
    first = measured["evaluation"][0]
    assert first["dataset"] in card and f"{first['model']:.3f}" in card


def test_loading_and_scoring_work_with_the_network_blocked(monkeypatch):
    import socket

    from tracker.tone import net

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    net._load_adapter.cache_clear()
    m = ToneModel.load()
    r = m.predict([statement("Russia threatened Ukraine with a full-scale invasion.",
                             "Ukraine", "Russia")])
    assert r[0].label == "hostile"


def test_model_identity_covers_weights_and_config_but_not_measurements(tone_model, tmp_path):
    import shutil

    assert ToneModel.load().identity == tone_model.identity
    copy = tmp_path / "m"
    shutil.copytree(tone_model.path, copy)
    assert ToneModel.load(copy).identity == tone_model.identity
    # New measurements or a new card keep the identity...
    (copy / "metrics.json").write_text("{}")
    (copy / "README.md").write_text("# re-measured")
    assert ToneModel.load(copy).identity == tone_model.identity
    # ...changed weights or a new temperature do not.
    weights = bytearray((copy / "adapter.safetensors").read_bytes())
    weights[-1] ^= 1
    (copy / "adapter.safetensors").write_bytes(bytes(weights))
    changed = ToneModel.load(copy).identity
    assert changed != tone_model.identity
    config = json.loads((copy / "config.json").read_text())
    (copy / "config.json").write_text(json.dumps({**config, "temperature": 2.0}))
    assert ToneModel.load(copy).identity not in (changed, tone_model.identity)


def test_results_follow_the_contract(tone_model):
    results = tone_model.predict([
        statement("Russia threatened Ukraine with a full-scale invasion.", "Ukraine", "Russia"),
        ToneInput("The talks were held in Geneva."),
    ])
    assert len(results) == 2
    for r in results:
        assert isinstance(r, ToneResult)
        assert -1.0 <= r.tone <= 1.0
        assert 0.0 <= r.confidence <= 1.0
        assert r.label in LABELS
    assert tone_model.predict([]) == []


def test_label_is_argmax_and_tone_is_coop_minus_hostile(tone_model):
    inputs = [statement("Canada and Mexico signed a free-trade agreement.", "Mexico", "Canada"),
              statement("Iran accused Israel of sabotage.", "Israel", "Iran")]
    proba = tone_model.predict_proba(inputs)
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-5)
    for p, r in zip(proba, tone_model.predict(inputs)):
        assert r.label == LABELS[int(p.argmax())]
        assert r.confidence == pytest.approx(p.max(), abs=1e-6)
        assert r.tone == pytest.approx(p[2] - p[0], abs=1e-6)


HOSTILE = [
    ("Russia threatened Ukraine with a full-scale invasion.", "Russia", "Ukraine"),
    ("China condemned Japan for its provocative military drills.", "China", "Japan"),
    ("North Korea fired missiles toward South Korea and vowed to destroy it.",
     "North Korea", "South Korea"),
    ("India accused Pakistan of sponsoring terrorist attacks.", "India", "Pakistan"),
]
COOPERATIVE = [
    ("Canada and Mexico signed a free-trade agreement.", "Canada", "Mexico"),
    ("Germany pledged billions in aid to help Poland rebuild.", "Germany", "Poland"),
    ("France praised Italy for its generous support and strong partnership.", "France", "Italy"),
    ("Japan and Australia agreed to deepen their security cooperation.", "Japan", "Australia"),
]


@pytest.mark.parametrize("text,source,target", HOSTILE)
def test_unambiguous_hostile_statements(tone_model, text, source, target):
    r = tone_model.predict([statement(text, target, source)])[0]
    assert r.tone < -0.2, r
    assert r.label == "hostile", r


@pytest.mark.parametrize("text,source,target", COOPERATIVE)
def test_unambiguous_cooperative_statements_both_directions(tone_model, text, source, target):
    forward, backward = tone_model.predict([statement(text, target, source),
                                            statement(text, source, target)])
    for r in (forward, backward):
        assert r.tone > 0.2, r
        assert r.label == "cooperative", r


def test_a_threat_reads_hostile_whichever_country_is_marked(tone_model):
    # Only the target is marked: the model reads the relation the sentence portrays, not who
    # acts (a limit stated in its card; the extractor decides the direction).
    text = "Russia threatened Ukraine with a full-scale invasion."
    toward_ukraine, toward_russia = tone_model.predict([
        statement(text, "Ukraine", "Russia"), statement(text, "Russia", "Ukraine")])
    assert toward_ukraine.label == toward_russia.label == "hostile"
    assert toward_ukraine.tone < -0.2 and toward_russia.tone < -0.2


@pytest.mark.parametrize("text,good,bad", [
    ("Japan praised Australia for its support and accused China of coercion.",
     "Australia", "China"),
    ("Japan praised Australia's support but accused China of coercion.", "Australia", "China"),
    ("Brazil thanked Argentina for its help, while it condemned Venezuela's crackdown.",
     "Argentina", "Venezuela"),
])
def test_target_marking_changes_the_tone(tone_model, text, good, bad):
    source = text.split()[0]
    to_good, to_bad = tone_model.predict([statement(text, good, source),
                                          statement(text, bad, source)])
    assert to_good.tone > to_bad.tone + 0.5, (to_good, to_bad)
    assert (to_good.label, to_bad.label) == ("cooperative", "hostile")


def test_calibration_on_newsmtsc_rw_dev(tone_model, shared_data):
    from tracker.lab.datasets import load_newsmtsc
    from tracker.lab.metrics import expected_calibration_error

    inputs, y = load_newsmtsc(shared_data / "newsmtsc" / "splits_eval" / "rw_dev.jsonl")
    proba = tone_model.predict_proba(inputs)
    conf = proba.max(1)
    assert ((conf >= 1 / 3 - 1e-6) & (conf <= 1)).all()
    assert expected_calibration_error(proba, y) < ECE_BOUND
    assert (proba.argmax(1) == y).mean() > 0.6


def test_bad_model_dir_errors_name_the_folder_and_the_fix(tmp_path, monkeypatch):
    with pytest.raises(TrackerError, match="absent' does not exist.*lab train"):
        ToneModel.load(tmp_path / "absent")
    monkeypatch.setenv("TRACKER_TONE_MODEL", str(tmp_path))
    with pytest.raises(TrackerError, match="has no adapter.safetensors.*TRACKER_TONE_MODEL"):
        ToneModel.load()
    (tmp_path / "adapter.safetensors").write_bytes(b"")
    (tmp_path / "config.json").write_text(json.dumps({"kind": "head", "labels": list(LABELS)}))
    with pytest.raises(TrackerError, match="kind 'head'.*retrain it with `python -m tracker.lab"):
        ToneModel.load()
    (tmp_path / "config.json").write_text("{oops")
    with pytest.raises(TrackerError, match="config.json' is not valid JSON"):
        ToneModel.load()


def test_wrong_encoder_is_refused(tone_model, tmp_path, monkeypatch):
    from tracker.tone.encoder import weights_sha256

    m = ToneModel.load(default_model_path())
    m.config = dict(m.config, encoder=dict(m.config["encoder"], weights_sha256="0" * 64))
    with pytest.raises(TrackerError, match="was trained on 000000000000.*retrain the model"):
        m.predict([ToneInput("x")])
    assert weights_sha256() == tone_model.config["encoder"]["weights_sha256"]
