"""The workbench (tracker.lab): metrics, the baseline head, data loaders and the training path."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tracker.lab import datasets, metrics
from tracker.lab.evaluate import HeadModel
from tracker.lab.datasets import split_corpus
from tracker.tone import LABELS, ToneInput
from tracker.tone.model import softmax

GOLD = Path(__file__).resolve().parents[1] / "benchmarks" / "gold"


def test_expected_calibration_error_math():
    y = np.array([0, 1, 2, 0])
    perfect = np.eye(3)[y]
    assert metrics.expected_calibration_error(perfect, y) == 0.0
    wrong = np.eye(3)[(y + 1) % 3]
    assert metrics.expected_calibration_error(wrong, y) == pytest.approx(1.0)


def test_temperature_fit_recovers_scale():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4000, 3)) * 2
    y = np.array([rng.choice(3, p=p) for p in softmax(logits)])
    assert metrics.fit_temperature(logits * 3, y) == pytest.approx(3.0, rel=0.15)


def test_baseline_head_math():
    rng = np.random.default_rng(1)
    d = 6
    m = HeadModel(rng.normal(size=(3, d)), rng.normal(size=3), rng.normal(size=d),
                        rng.uniform(0.5, 2, size=d), 2.0)
    X = rng.normal(size=(5, d)).astype(np.float32)
    Z = (X - m.scaler_mean) / m.scaler_scale
    np.testing.assert_allclose(m.predict_proba_features(X),
                               softmax((Z @ m.coef.T + m.intercept) / 2.0), rtol=1e-5)


def test_corpus_split_keeps_sentences_together():
    inputs = [ToneInput(f"s{k // 2}") for k in range(40)]
    tr, ho = split_corpus(inputs, np.zeros(40), frac=0.1, random_state=0)
    assert len(ho) == 4 and len(tr) == 36
    assert not {inputs[i].text for i in tr} & {inputs[i].text for i in ho}
    again = split_corpus(inputs, np.zeros(40), frac=0.1, random_state=0)
    assert (again[1] == ho).all()


def test_corpus_loader_marks_every_mention_and_skips_bad_lines(tmp_path):
    path = tmp_path / "statements.jsonl"
    rows = [{"text": "Seoul said Tokyo must apologise; Tokyo refused.", "source": "KOR",
             "target": "JPN", "target_mentions": ["Tokyo"], "source_mentions": ["Seoul"],
             "label": "hostile", "tone": -0.6},
            {"text": "x", "label": "unknown"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{\"text\": \"partial")
    inputs, y = datasets.load_corpus(path)
    assert len(inputs) == 1 and y.tolist() == [0]
    t = inputs[0]
    assert [t.text[s:e] for s, e in t.target_spans] == ["Tokyo", "Tokyo"]
    assert [t.text[s:e] for s, e in t.source_spans] == ["Seoul"]
    assert datasets.load_corpus(tmp_path / "absent.jsonl")[0] == []


def test_voa_tone_labels_load_with_their_mentions_marked(shared_data):
    inputs, labels, ratings = datasets.load_voa_tone(shared_data, GOLD, "dev")
    assert len(inputs) == len(labels) == len(ratings) > 300
    # Ratings agree with the labels: hostile < 0, neutral 0, cooperative > 0.
    assert set(np.sign(ratings[labels == 0])) == {-1}
    assert set(np.sign(ratings[labels == 2])) == {1}
    assert (ratings[labels == 1] == 0).all()
    marked = [i for i in inputs if i.target_spans]
    assert len(marked) > 0.7 * len(inputs)
    assert all(0 <= a < b <= len(i.text) for i in marked for a, b in i.target_spans)
    test_inputs, _, _ = datasets.load_voa_tone(shared_data, GOLD, "test")
    assert not {i.text for i in test_inputs} & {i.text for i in inputs}


def test_shipped_model_reads_the_news_register(tone_model, shared_data):
    """The in-domain dev part (country-to-country statements in VOA stories) is far above
    chance for the shipped model."""
    inputs, labels, _ = datasets.load_voa_tone(shared_data, GOLD, "dev")
    pred = np.array([LABELS.index(r.label) for r in tone_model.predict(inputs)])
    assert metrics.macro_f1(labels, pred) > 0.5


@pytest.mark.slow
def test_a_short_training_run_makes_a_model_that_loads_and_scores(tmp_path):
    from tracker.lab.train import NETWORK_KEYS, RECIPE, train_tone_net
    from tracker.tone import ToneModel
    from tracker.tone.encoder import weights_sha256

    texts = ["Russia threatened Ukraine.", "Japan praised Australia.",
             "Iran condemned Israel.", "Canada and Mexico signed a trade deal."] * 4
    spans = [[(t.index(" ") + 1, t.index(" ") + 6)] for t in texts]
    labels = np.array([0, 2, 0, 2] * 4)
    recipe = dict(RECIPE, epochs=1, batch_size=8, bf16=False)
    history, states = train_tone_net({"toy": (texts, spans, labels)}, {"toy": 16},
                                     {"dev": (texts[:4], spans[:4])}, recipe, log=lambda m: None)
    assert [h["epoch"] for h in history] == [1] and history[0]["rows"] == 16
    assert history[0]["logits"]["dev"].shape == (4, 3)
    config = {"format_version": 3, "kind": "lora", "labels": list(LABELS),
              "encoder": {"weights_sha256": weights_sha256()},
              "network": {k: recipe[k] for k in NETWORK_KEYS}, "temperature": 1.0}
    model = ToneModel.load(ToneModel.save(tmp_path / "m", states[0], config))
    results = model.predict([ToneInput(texts[0], tuple(spans[0]))])
    assert len(results) == 1 and -1 <= results[0].tone <= 1
    assert model.identity.startswith("tone-")


@pytest.mark.slow
def test_a_short_reader_training_run_makes_a_reader_that_loads_and_reads(tmp_path):
    from tracker.lab.reader_train import train_reader
    from tracker.reader import Reader, Unit

    corpus = Path(__file__).resolve().parents[1] / "corpus" / "dyads"
    info = train_reader(corpus, tmp_path / "r", epochs=1, limit=40)
    (epoch,) = info["metrics"]["epochs"]
    assert epoch["epoch"] == 1 and 0 <= epoch["dev_f1"] <= 1
    reader = Reader.load(tmp_path / "r")
    assert 0 < reader.threshold < 1 and reader.identity.startswith("reader-")
    (pairs,) = reader.read([Unit("x", "Iran and Saudi Arabia agree to resume relations.", 0,
                                 "2023-03-10")])
    assert {(p.source, p.target) for p in pairs} == {("IRN", "SAU"), ("SAU", "IRN")}
    assert all(0 <= p.p_statement <= 1 and -1 <= p.tone <= 1 for p in pairs)
