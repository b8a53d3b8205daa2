"""Tests of tracker.score: the shipped tone model's behaviour, calibration, files and errors."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tracker import score
from tracker.errors import TrackerError
from tracker.score import LABELS, ToneInput, ToneModel, ToneResult

DATA = score.DEFAULT_DATA_DIR

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
# the network itself is memoised in tracker.model).


def test_model_dir_holds_only_safe_small_files():
    path = score.default_model_path()
    names = {p.name for p in path.iterdir()}
    assert names == {"adapter.safetensors", "config.json", "README.md"}
    assert sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) < 10 * 2**20
    config = json.loads((path / "config.json").read_text())
    assert config["kind"] == "lora" and config["labels"] == list(LABELS)
    for name, info in config["data"].items():
        assert len(info["sha256"]) == 64 and info["rows"] > 0, name
    assert not any("test" in info["path"] for info in config["data"].values())
    assert config["selected_epoch"] in [e["epoch"] for e in config["epochs"]]
    assert "tracker train" in (path / "README.md").read_text()


def test_loading_and_scoring_work_with_the_network_blocked(monkeypatch):
    import socket

    from tracker import model

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    model._load_tone_net.cache_clear()
    m = ToneModel.load()
    r = m.predict([statement("Russia threatened Ukraine with a full-scale invasion.",
                             "Ukraine", "Russia")])
    assert r[0].label == "hostile"


def test_model_identity_is_stable_and_uses_the_head(tone_model):
    from tracker.pipeline import model_identity

    assert tone_model.coef.shape == (3, 768) and tone_model.intercept.shape == (3,)
    again = ToneModel.load()
    assert model_identity(again) == model_identity(tone_model)
    again.coef = again.coef + 1e-3
    assert model_identity(again) != model_identity(tone_model)
    # A new measurement written into the card keeps the identity; a new temperature does not.
    import copy

    measured = copy.copy(tone_model)
    measured.config = {**tone_model.config, "evaluation": [], "speed": {"note": "re-run"}}
    assert model_identity(measured) == model_identity(tone_model)
    measured.config = {**tone_model.config, "temperature": 2.0}
    assert model_identity(measured) != model_identity(tone_model)


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


def test_hostility_is_directional_when_roles_swap(tone_model):
    text = "Russia threatened Ukraine with a full-scale invasion."
    toward_ukraine, toward_russia = tone_model.predict([
        statement(text, "Ukraine", "Russia"), statement(text, "Russia", "Ukraine")])
    assert toward_ukraine.tone < 0
    assert toward_russia.tone < 0  # a threat is a hostile relation both ways


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


def test_calibration_on_newsmtsc_rw_dev(tone_model):
    path = DATA / "newsmtsc" / "splits_eval" / "rw_dev.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not available")
    inputs, y = score.load_newsmtsc(path)
    proba = tone_model.predict_proba(inputs)
    conf = proba.max(1)
    assert ((conf >= 1 / 3 - 1e-6) & (conf <= 1)).all()
    assert score.expected_calibration_error(proba, y) < ECE_BOUND
    assert (proba.argmax(1) == y).mean() > 0.6


def test_expected_calibration_error_math():
    y = np.array([0, 1, 2, 0])
    perfect = np.eye(3)[y]
    assert score.expected_calibration_error(perfect, y) == 0.0
    wrong = np.eye(3)[(y + 1) % 3]
    assert score.expected_calibration_error(wrong, y) == pytest.approx(1.0)


def test_temperature_fit_recovers_scale():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 3)) * 2
    y = np.array([rng.choice(3, p=p) for p in score._softmax(logits)])
    assert score.fit_temperature(logits * 3, y) == pytest.approx(3.0, rel=0.15)


def test_bad_model_dir_errors_name_the_folder_and_the_fix(tmp_path, monkeypatch):
    with pytest.raises(TrackerError, match="absent' does not exist.*tracker train"):
        ToneModel.load(tmp_path / "absent")
    monkeypatch.setenv("TRACKER_TONE_MODEL", str(tmp_path))
    with pytest.raises(TrackerError, match="has no adapter.safetensors.*TRACKER_TONE_MODEL"):
        ToneModel.load()
    (tmp_path / "adapter.safetensors").write_bytes(b"")
    (tmp_path / "config.json").write_text(json.dumps({"kind": "head", "labels": list(LABELS)}))
    with pytest.raises(TrackerError, match="kind 'head'.*retrain it with `tracker train`"):
        ToneModel.load()
    (tmp_path / "config.json").write_text("{oops")
    with pytest.raises(TrackerError, match="config.json' is not valid JSON"):
        ToneModel.load()


def test_wrong_encoder_is_refused(tone_model, tmp_path, monkeypatch):
    from tracker import model

    m = ToneModel.load(score.default_model_path())
    m.config = dict(m.config, encoder=dict(m.config["encoder"], weights_sha256="0" * 64))
    with pytest.raises(TrackerError, match="was trained on 000000000000.*tracker train"):
        m.predict([ToneInput("x")])
    assert model.weights_sha256() == tone_model.config["encoder"]["weights_sha256"]


def test_baseline_head_math():
    rng = np.random.default_rng(1)
    d = 6
    m = score.HeadModel(rng.normal(size=(3, d)), rng.normal(size=3), rng.normal(size=d),
                        rng.uniform(0.5, 2, size=d), 2.0)
    X = rng.normal(size=(5, d)).astype(np.float32)
    Z = (X - m.scaler_mean) / m.scaler_scale
    np.testing.assert_allclose(m.predict_proba_features(X),
                               score._softmax((Z @ m.coef.T + m.intercept) / 2.0), rtol=1e-5)


def test_corpus_split_keeps_sentences_together():
    inputs = [ToneInput(f"s{k // 2}") for k in range(40)]
    tr, ho = score.split_corpus(inputs, np.zeros(40), frac=0.1, random_state=0)
    assert len(ho) == 4 and len(tr) == 36
    assert not {inputs[i].text for i in tr} & {inputs[i].text for i in ho}
    again = score.split_corpus(inputs, np.zeros(40), frac=0.1, random_state=0)
    assert (again[1] == ho).all()


def test_corpus_loader_marks_every_mention_and_skips_bad_lines(tmp_path):
    path = tmp_path / "statements.jsonl"
    rows = [{"text": "Seoul said Tokyo must apologise; Tokyo refused.", "source": "KOR",
             "target": "JPN", "target_mentions": ["Tokyo"], "source_mentions": ["Seoul"],
             "label": "hostile", "tone": -0.6},
            {"text": "x", "label": "unknown"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{\"text\": \"partial")
    inputs, y = score.load_corpus(path)
    assert len(inputs) == 1 and y.tolist() == [0]
    t = inputs[0]
    assert [t.text[s:e] for s, e in t.target_spans] == ["Tokyo", "Tokyo"]
    assert [t.text[s:e] for s, e in t.source_spans] == ["Seoul"]
    assert score.load_corpus(tmp_path / "absent.jsonl")[0] == []


def test_voa_tone_labels_load_with_their_mentions_marked(shared_data):
    from tracker.score import load_voa_tone

    inputs, labels, ratings = load_voa_tone(shared_data, "dev")
    assert len(inputs) == len(labels) == len(ratings) > 300
    # Ratings agree with the labels: hostile < 0, neutral 0, cooperative > 0.
    assert set(np.sign(ratings[labels == 0])) == {-1}
    assert set(np.sign(ratings[labels == 2])) == {1}
    assert (ratings[labels == 1] == 0).all()
    marked = [i for i in inputs if i.target_spans]
    assert len(marked) > 0.7 * len(inputs)
    assert all(0 <= a < b <= len(i.text) for i in marked for a, b in i.target_spans)
    test_inputs, _, _ = load_voa_tone(shared_data, "test")
    assert not {i.text for i in test_inputs} & {i.text for i in inputs}


def test_shipped_model_reads_the_news_register(tone_model, shared_data):
    """The in-domain dev part (country-to-country statements in VOA stories) is far above
    chance for the shipped model."""
    from tracker.score import _macro_f1, load_voa_tone

    inputs, labels, _ = load_voa_tone(shared_data, "dev")
    pred = np.array([LABELS.index(r.label) for r in tone_model.predict(inputs)])
    assert _macro_f1(labels, pred) > 0.5
