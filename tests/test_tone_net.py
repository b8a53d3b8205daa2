"""The tone stage's encoder and network (tracker.tone.encoder, tracker.tone.net): offline loading,
span pooling, threads, the LoRA tone network, errors."""
from __future__ import annotations

import socket

import numpy as np
import pytest

from tracker.tone import encoder as folder
from tracker.tone import net
from tracker.tone.model import ADAPTER_FILE, ToneModel
from tracker.errors import TrackerError

pytestmark = pytest.mark.slow

TEXT = "Japan praised Australia's support but accused China of coercion."


@pytest.fixture(scope="module")
def encoder():
    """The default encoder, loaded once for this module with all network access refused."""
    mp = pytest.MonkeyPatch()
    mp.setenv("HF_HUB_OFFLINE", "1")
    mp.setenv("TRANSFORMERS_OFFLINE", "1")
    mp.delenv("TRACKER_ENCODER", raising=False)

    def no_network(*args, **kwargs):
        raise AssertionError(f"network access attempted while loading the encoder: {args}")

    mp.setattr(socket.socket, "connect", no_network)
    mp.setattr(socket, "create_connection", no_network)
    net._shared_encoder.cache_clear()
    try:
        tok, enc = net.load_encoder(device="cpu")
    finally:
        mp.undo()
    return tok, enc


def test_default_model_dir_is_the_bundled_minilm():
    path = folder.default_encoder_dir()
    assert (path / "config.json").is_file()
    assert (path / "model.safetensors").is_file()


def test_load_is_offline_and_memoised(encoder):
    tok, enc = encoder
    assert enc.config.hidden_size == 384
    assert not enc.training
    assert net.load_encoder(device="cpu")[1] is enc
    assert net.load_encoder(fresh=True)[1] is not enc


def test_missing_model_dir_raises_actionable_error(tmp_path):
    with pytest.raises(TrackerError, match="does not exist.*TRACKER_ENCODER"):
        folder.resolve_encoder_dir(tmp_path / "nope")
    (tmp_path / "empty").mkdir()
    with pytest.raises(TrackerError, match="config.json"):
        net.load_encoder(tmp_path / "empty")


def test_env_var_selects_encoder(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_ENCODER", str(tmp_path / "elsewhere"))
    assert folder.default_encoder_dir() == tmp_path / "elsewhere"
    with pytest.raises(TrackerError, match="elsewhere"):
        net.embed_spans(["x"])


def _hidden(encoder, text):
    import torch

    tok, enc = encoder
    batch = tok([text], return_offsets_mapping=True, return_tensors="pt")
    offsets = batch.pop("offset_mapping")[0].numpy()
    with torch.inference_mode():
        hs = enc(**batch).last_hidden_state[0].numpy()
    return hs, offsets, tok.convert_ids_to_tokens(batch["input_ids"][0])


def test_span_pooling_averages_the_tokens_of_the_span(encoder):
    start = TEXT.index("Australia")
    span = (start, start + len("Australia"))
    china = (TEXT.index("China"), TEXT.index("China") + 5)
    vec = net.embed_spans([TEXT], [[[span], [china], []]])
    assert vec.shape == (1, 4, 384)

    hs, offsets, tokens = _hidden(encoder, TEXT)
    inside = [i for i, (s, e) in enumerate(offsets) if e > s and s < span[1] and e > span[0]]
    assert "".join(tokens[i].lstrip("#") for i in inside) == "australia"
    np.testing.assert_allclose(vec[0, 1], hs[inside].mean(0), atol=1e-4)
    np.testing.assert_allclose(vec[0, 0], hs.mean(0), atol=1e-4)  # CLS/SEP included, as ST does
    assert not np.allclose(vec[0, 1], vec[0, 2], atol=1e-2)
    # An empty group falls back to the sentence mean.
    np.testing.assert_allclose(vec[0, 3], vec[0, 0])


def test_partial_token_overlap_and_out_of_range_spans(encoder):
    # A span covering part of a word takes the whole word's tokens; a span past the end
    # (e.g. truncated away) falls back to the sentence mean.
    start = TEXT.index("Australia")
    vec = net.embed_spans([TEXT], [[[(start + 2, start + 4)], [(10_000, 10_010)]]])
    full = net.embed_spans([TEXT], [[[(start, start + 9)], []]])
    np.testing.assert_allclose(vec[0, 1], full[0, 1], atol=1e-5)
    np.testing.assert_allclose(vec[0, 2], vec[0, 0])


def test_batching_and_sorting_keep_order_and_values(encoder):
    texts = [TEXT, "Short one.", "A much longer sentence " * 12 + "ends here.", "Mid length text."]
    spans = [[[(0, 5)]], [[(0, 5)]], [[(2, 8)]], []]
    spans[3] = [[]]
    together = net.embed_spans(texts, spans, batch_size=3)
    for i, t in enumerate(texts):
        alone = net.embed_spans([t], [spans[i]])
        np.testing.assert_allclose(together[i], alone[0], atol=2e-4)


def test_bf16_stays_close_to_fp32(encoder):
    texts = [TEXT, "Russia threatened Ukraine with a full-scale invasion."]
    a = net.embed_spans(texts, bf16=False)[:, 0]
    b = net.embed_spans(texts, bf16=True)[:, 0]
    cos = (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    assert cos.min() > 0.99


def test_inconsistent_groups_raise():
    with pytest.raises(TrackerError, match="same number of groups"):
        net.embed_spans(["a", "b"], [[[]], [[], []]])
    with pytest.raises(TrackerError, match="one list of span groups per text"):
        net.embed_spans(["a", "b"], [[[]]])


def test_empty_input_gives_empty_array(encoder):
    assert net.embed_spans([], []).shape == (0, 1, 384)


def test_threads_default_to_all_cores_and_env_overrides(monkeypatch):
    import os

    monkeypatch.delenv("TRACKER_THREADS", raising=False)
    assert folder.n_threads() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("TRACKER_THREADS", "3")
    assert folder.n_threads() == 3
    monkeypatch.setenv("TRACKER_THREADS", "many")
    with pytest.raises(TrackerError, match="TRACKER_THREADS='many' is invalid"):
        folder.n_threads()


def test_target_marking_sets_token_type_on_target_tokens_only(encoder):
    tok, _ = encoder
    start = TEXT.index("Australia")
    (ids, mask, types), = net.encode_marked(tok, [TEXT], [[(start, start + 9)]])
    marked = tok.convert_ids_to_tokens([i for i, m in zip(ids, mask) if m])
    assert "".join(t.lstrip("#") for t in marked) == "australia"
    assert types == mask
    (_, none, _), = net.encode_marked(tok, [TEXT], [[]])
    assert sum(none) == 0


LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense",
                "output.dense")
RECIPE = {"lora_r": 4, "lora_alpha": 8.0, "lora_dropout": 0.0,
          "lora_targets": list(LORA_TARGETS), "train_type_embedding": True,
          "head_dropout": 0.0}


def test_lora_merge_gives_the_same_output_and_adapter_round_trips(encoder, tmp_path):
    import torch

    tok, _ = encoder
    _, enc = net.load_encoder(fresh=True)
    tone_net = net.build_net(enc, RECIPE).eval()
    loras = [m for m in tone_net.modules() if isinstance(m, net.LoRALinear)]
    assert len(loras) == 6 * len(LORA_TARGETS)
    torch.manual_seed(0)
    for m in loras:
        torch.nn.init.normal_(m.lora_B, std=0.02)
    items = net.encode_marked(tok, [TEXT, "Short one."], [[(0, 5)], []])
    before = net.run_net(tone_net, items, 8, bf16=False)
    state = net.trainable_state(tone_net)
    assert set(state) == {n for n, p in tone_net.named_parameters() if p.requires_grad}
    for m in loras:
        m.merge()
    np.testing.assert_allclose(net.run_net(tone_net, items, 8, bf16=False), before, atol=1e-4)

    ToneModel.save(tmp_path, state, {"network": RECIPE})
    got = net.tone_logits(tmp_path / ADAPTER_FILE, RECIPE, [TEXT, "Short one."],
                          [[(0, 5)], []])
    np.testing.assert_allclose(got, before, atol=0.1)  # bf16 autocast and fp16 storage


def test_adapter_not_matching_the_recipe_raises(tmp_path):
    ToneModel.save(tmp_path, {"head.weight": np.zeros((3, 768)), "head.bias": np.zeros(3)},
                   {"network": RECIPE})
    with pytest.raises(TrackerError, match="does not match its config's network.*tracker.lab"):
        net.tone_logits(tmp_path / ADAPTER_FILE, RECIPE, ["x"], [[]])
    with pytest.raises(TrackerError, match="one list of target spans per text"):
        net.tone_logits(tmp_path / ADAPTER_FILE, RECIPE, ["x"], [])


def test_long_clauses_go_in_smaller_batches():
    from tracker.tone.encoder import TOKEN_BUDGET, batches, padded_length

    lengths = [12] * 150 + [130] * 40 + [512] * 9
    order = list(range(len(lengths)))
    got = list(batches(order, lengths, 64))
    assert [i for b in got for i in b] == order  # every item once, in order
    assert all(len(b) <= 64 for b in got)
    # The budget counts the padded length (a multiple of 8: 12 -> 16, 130 -> 136).
    assert all(len(b) == 1 or len(b) * padded_length(max(lengths[i] for i in b))
               <= TOKEN_BUDGET for b in got)
    assert len(got[0]) == 64 and len(got[-1]) <= 4  # short ones fill, the longest are few
    assert [len(b) for b in got if lengths[b[0]] == 130][0] == TOKEN_BUDGET // 136


def test_batches_are_padded_to_a_multiple_of_eight_tokens():
    """Few distinct input shapes: the tone network's and the reader's batches are padded to a
    multiple of 8 tokens, with the padding masked."""
    from tracker.reader import net as reader_net
    from tracker.reader.engine import padded
    from tracker.tone.encoder import padded_length

    assert [padded_length(n) for n in (1, 8, 9, 17, 256)] == [8, 8, 16, 24, 256]
    ids, att, tm, tt = net.collate([([101, 7, 102], [0, 1, 0], [0, 0, 0]),
                                    ([101] + [5] * 9 + [102], [0] * 11, [0] * 11)])
    assert ids.shape == (2, 16) and att.sum().item() == 3 + 11
    unit = ([101, 7, 102], [0, 0, 0], [[0, 1, 0]], [(0, 0)])
    assert reader_net.collate([unit])[0].shape == (1, 8)
    arrays = padded([unit])
    assert arrays["input_ids"].shape == (1, 8) and arrays["attention_mask"].sum() == 3
    assert arrays["state_mask"].shape == (1, 1, 8)
