"""The torch side of the tone stage: the encoder, pooled span embeddings, and the fine-tuned tone
network (LoRA adapters + token-type target marking + a linear head).

This is the only runtime module that imports torch and transformers. Nothing imports it at
``import tracker``: :class:`~tracker.tone.ToneModel` loads it when it first scores.

The network reads a text with the target marked by ``token_type_ids = 1`` on the tokens that
overlap the target spans; a linear head over ``[sentence mean ; target-span mean]`` gives three
logits (hostile, neutral, cooperative). Its artefact, ``adapter.safetensors``, holds only what
training changed (LoRA A/B of every adapted linear layer, the token-type embedding, the head),
in fp16; the frozen encoder comes from the encoder folder and is checked by its sha256. On load
the LoRA products are folded into the base weights, so inference costs the same as the plain
encoder.
"""
from __future__ import annotations

import contextlib
import functools
import json
import math
import os
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn
from transformers import AutoModel, AutoTokenizer

from tracker.errors import TrackerError
from tracker.tone.encoder import (MAX_LENGTH, by_length, n_threads, padded_length,
                                   resolve_encoder_dir)

Span = tuple[int, int]


def set_threads() -> int:
    """Apply :func:`~tracker.tone.encoder.n_threads` to torch (more threads than cores only adds
    contention)."""
    n = n_threads()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def default_device() -> str:
    """``"cuda"`` when a GPU is usable, else ``"cpu"``."""
    return "cuda" if torch.cuda.is_available() else "cpu"


# ---------------------------------------------------------------------------------------------
# Loading the encoder: one reader of a model folder, shared (memoised) or fresh


def _read_folder(path: str):
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # its "Loading weights" bar is noise in a run's output
    try:
        return (AutoTokenizer.from_pretrained(path, local_files_only=True),
                AutoModel.from_pretrained(path, local_files_only=True))
    except (OSError, ValueError) as err:
        raise TrackerError(
            f"encoder folder '{path}' could not be loaded ({type(err).__name__}: {err}); pass a "
            "local Hugging Face model folder as model_dir= or in TRACKER_ENCODER.") from err


@functools.lru_cache(maxsize=4)
def _shared_encoder(path: str, device: str):
    if device == "cpu":
        set_threads()
    tokenizer, model = _read_folder(path)
    model.eval().to(device)
    return tokenizer, model


def load_encoder(model_dir: str | os.PathLike | None = None, device: str | None = None,
                 fresh: bool = False):
    """The tokenizer and encoder of a local model folder; nothing is downloaded.

    Parameters
    ----------
    model_dir : path, optional
        Local Hugging Face model folder; default
        :func:`~tracker.tone.encoder.default_encoder_dir`.
    device : str, optional
        ``"cpu"`` or ``"cuda"``; default ``"cuda"`` if available.
    fresh : bool
        A new copy to modify (training, adapters), instead of the one shared copy per folder
        and device, which is in eval mode on ``device``.

    Returns
    -------
    (tokenizer, model)

    Examples
    --------
    >>> tok, enc = load_encoder()  # doctest: +SKIP
    """
    path = str(resolve_encoder_dir(model_dir))
    if fresh:
        return _read_folder(path)
    return _shared_encoder(path, device or default_device())


def embed_spans(
    texts: Sequence[str],
    spans_per_text: Sequence[Sequence[Sequence[Span]]] | None = None,
    batch_size: int = 64,
    model_dir: str | os.PathLike | None = None,
    device: str | None = None,
    bf16: bool = False,
) -> np.ndarray:
    """Mean-pooled token embeddings of the frozen encoder, for whole texts and for span groups.

    Parameters
    ----------
    texts : sequence of str, length n
    spans_per_text : sequence of length n, optional
        For each text, ``G`` groups of character spans ``(start, end)`` (end exclusive), e.g.
        ``[[target spans], [source spans]]``. Every text must have the same number of groups
        (use an empty group for "none").
    batch_size : int
        Texts per forward pass; texts are sorted by length first so padding stays small.
    model_dir, device
        See :func:`load_encoder`.
    bf16 : bool
        Run the encoder under bfloat16 autocast.

    Returns
    -------
    np.ndarray, shape (n, 1 + G, hidden), float32
        ``[:, 0]`` is the mean over all tokens of the text; ``[:, 1 + g]`` the mean over the tokens
        overlapping any span of group ``g``, or the text mean where the group is empty or no
        token overlaps it (e.g. cut off by truncation). In the order of ``texts``.

    Examples
    --------
    >>> v = embed_spans(["Japan praised Australia."], [[[(14, 23)]]])  # doctest: +SKIP
    >>> v.shape  # doctest: +SKIP
    (1, 2, 384)
    """
    texts = list(texts)
    n = len(texts)
    if spans_per_text is None:
        spans_per_text = [[] for _ in texts]
    if len(spans_per_text) != n:
        raise TrackerError(
            f"spans_per_text has {len(spans_per_text)} entries for {n} texts; give one list of "
            "span groups per text.")
    n_groups = {len(g) for g in spans_per_text}
    if len(n_groups) > 1:
        raise TrackerError(
            f"spans_per_text mixes {sorted(n_groups)} groups per text; give every text the same "
            "number of groups (an empty group means 'none').")
    n_groups = n_groups.pop() if n_groups else 0

    tokenizer, model = load_encoder(model_dir, device)
    dev = next(model.parameters()).device
    out = np.zeros((n, 1 + n_groups, model.config.hidden_size), dtype=np.float32)
    if n == 0:
        return out
    # Sorted by length (characters stand in for tokens) so each batch pads little.
    order = sorted(range(n), key=lambda i: len(texts[i]))
    autocast = (torch.autocast(device_type=dev.type, dtype=torch.bfloat16) if bf16
                else contextlib.nullcontext())
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            enc = tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                            max_length=MAX_LENGTH, return_offsets_mapping=True,
                            return_tensors="pt")
            offsets = enc.pop("offset_mapping").numpy()            # (b, t, 2)
            mask = enc["attention_mask"].numpy().astype(bool)       # (b, t)
            with autocast:
                hs = model(**{k: v.to(dev) for k, v in enc.items()}).last_hidden_state
            hs = hs.float().cpu().numpy()                           # (b, t, h)
            weights = mask.astype(np.float32)
            sent = (hs * weights[..., None]).sum(1) / np.maximum(weights.sum(1), 1)[:, None]
            out[idx, 0] = sent
            # Special tokens ([CLS], [SEP], padding) have offset (0, 0): never part of a span.
            real = mask & (offsets[..., 1] > offsets[..., 0])
            for g in range(n_groups):
                sel = np.zeros_like(mask)
                for row, i in enumerate(idx):
                    for s, e in spans_per_text[i][g]:
                        sel[row] |= real[row] & (offsets[row, :, 0] < e) & (offsets[row, :, 1] > s)
                cnt = sel.sum(1)
                pooled = (hs * sel[..., None]).sum(1) / np.maximum(cnt, 1)[:, None]
                out[idx, 1 + g] = np.where(cnt[:, None] > 0, pooled, sent)
    return out


# ---------------------------------------------------------------------------------------------
# The tone network


class LoRALinear(nn.Module):
    """``base(x) + dropout(x) @ A^T @ B^T * alpha / r``; base frozen, B starts at zero."""

    def __init__(self, base: nn.Linear, r: int, alpha: float, dropout: float):
        super().__init__()
        self.base = base
        self.scale = alpha / r
        self.lora_A = nn.Parameter(torch.empty(r, base.in_features))
        self.lora_B = nn.Parameter(torch.zeros(base.out_features, r))
        nn.init.kaiming_uniform_(self.lora_A, a=math.sqrt(5))
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.merged = False

    def forward(self, x):
        y = self.base(x)
        if self.merged:
            return y
        return y + (self.drop(x) @ self.lora_A.t() @ self.lora_B.t()) * self.scale

    @torch.no_grad()
    def merge(self):
        """Fold ``B @ A`` into the base weight (inference then costs no more than the base)."""
        if not self.merged:
            self.base.weight += (self.lora_B @ self.lora_A) * self.scale
            self.merged = True


class ToneNet(nn.Module):
    """Encoder + linear head over ``[sentence mean ; target-span mean]`` (3 logits)."""

    def __init__(self, encoder, n_labels: int = 3, head_dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(head_dropout)
        self.head = nn.Linear(2 * encoder.config.hidden_size, n_labels)

    def pooled(self, ids, att, tmask, ttype):
        hs = self.encoder(input_ids=ids, attention_mask=att,
                          token_type_ids=ttype).last_hidden_state.float()
        a = att.unsqueeze(-1).float()
        sent = (hs * a).sum(1) / a.sum(1).clamp(min=1)
        t = tmask.unsqueeze(-1).float()
        nt = t.sum(1)
        tgt = torch.where(nt > 0, (hs * t).sum(1) / nt.clamp(min=1), sent)
        return torch.cat([sent, tgt], dim=1)

    def forward(self, ids, att, tmask, ttype):
        return self.head(self.drop(self.pooled(ids, att, tmask, ttype)))


def pooled_states(encoder, ids, types, att, smask):
    """The all-token mean ``(b, h)`` and the token mean of each mask of ``smask`` ``(b, S, h)``
    (zero where a mask is empty) of ``encoder``'s last layer: what the ONNX engines export
    (:mod:`tracker.tone.onnx`). Token types go in where the encoder reads them (MPNet has
    none)."""
    typed = ({"token_type_ids": types}
             if getattr(encoder.embeddings, "token_type_embeddings", None) is not None else {})
    hs = encoder(input_ids=ids, attention_mask=att, **typed).last_hidden_state.float()
    a = att.unsqueeze(-1).float()
    mean = (hs * a).sum(1) / a.sum(1).clamp(min=1)
    states = torch.einsum("bst,bth->bsh", smask, hs) / smask.sum(-1, keepdim=True).clamp(min=1)
    return mean, states


class ToneStates(nn.Module):
    """What the tone model's ONNX engines export: ids, token types (1 on the target), attention
    and the target's token mask ``(b, 1, t)`` in; the all-token mean and the target's mean out.
    :func:`tracker.tone.engine.head_logits` finishes in numpy what :class:`ToneNet`'s head
    computes."""

    def __init__(self, net: ToneNet):
        super().__init__()
        self.net = net

    def forward(self, ids, types, att, smask):
        return pooled_states(self.net.encoder, ids, types, att, smask)


def build_net(encoder, network: dict) -> ToneNet:
    """Freeze ``encoder``, add LoRA adapters and open the token-type embedding; wrap in ToneNet.

    ``network`` holds lora_r, lora_alpha, lora_dropout, lora_targets, train_type_embedding and
    head_dropout (the ``network`` entry of a model's ``config.json``).
    """
    return ToneNet(add_lora(encoder, network), head_dropout=network["head_dropout"])


def add_lora(encoder, network: dict):
    """Freeze ``encoder``, wrap the linear layers named in ``network["lora_targets"]`` of every
    layer in LoRA adapters and open the token-type embedding (unless ``train_type_embedding``
    is false); returns the encoder."""
    for p in encoder.parameters():
        p.requires_grad_(False)
    for name, mod in list(encoder.named_modules()):
        if isinstance(mod, nn.Linear) and ".layer." in name and name.endswith(
                tuple(network["lora_targets"])):
            parent, child = name.rsplit(".", 1)
            lora = LoRALinear(mod, network["lora_r"], network["lora_alpha"],
                              network["lora_dropout"])
            setattr(encoder.get_submodule(parent), child, lora)
            lora.lora_A.requires_grad_(True)
            lora.lora_B.requires_grad_(True)
    types = getattr(encoder.embeddings, "token_type_embeddings", None)
    if network.get("train_type_embedding", True) and types is not None:
        types.weight.requires_grad_(True)
    return encoder


def encode_marked(tokenizer, texts: Sequence[str], target_spans: Sequence[Sequence[Span]]):
    """Per text: (token ids, target-token mask, token types) as lists, unpadded.

    Tokens overlapping any target span get mask 1 and token type 1; special tokens never do.
    """
    enc = tokenizer(list(texts), truncation=True, max_length=MAX_LENGTH,
                    return_offsets_mapping=True)
    out = []
    for spans, ids, offs in zip(target_spans, enc["input_ids"], enc["offset_mapping"]):
        m = [int(e > s and any(s < te and e > ts for ts, te in spans)) for s, e in offs]
        out.append((ids, m, m))
    return out


def collate(items, device="cpu"):
    """Encoded items -> padded (ids, attention, target mask, token types) tensors, to a multiple
    of :data:`~tracker.tone.encoder.PAD_MULTIPLE` tokens."""
    n = padded_length(max(len(i[0]) for i in items))
    ids = torch.zeros(len(items), n, dtype=torch.long)
    att, tm, tt = torch.zeros_like(ids), torch.zeros_like(ids), torch.zeros_like(ids)
    for k, (a, m, t) in enumerate(items):
        ids[k, :len(a)] = torch.tensor(a)
        att[k, :len(a)] = 1
        tm[k, :len(a)] = torch.tensor(m)
        tt[k, :len(a)] = torch.tensor(t)
    return ids.to(device), att.to(device), tm.to(device), tt.to(device)


def run_net(net, items, batch_size: int, bf16: bool) -> np.ndarray:
    """Logits ``(n, 3)`` of ``net`` for encoded items, batched by sorted length, input order."""
    return run_batches(net, items, batch_size, bf16, collate, 3)


def run_batches(net, items, batch_size: int, bf16: bool, collate_fn, n_out: int) -> np.ndarray:
    """Outputs ``(n, n_out)`` of ``net`` for encoded items (``collate_fn`` pads a batch of
    them), batched by sorted length, in input order. ``bf16``: bfloat16 autocast on a CPU,
    float16 on a GPU."""
    out = np.zeros((len(items), n_out), dtype=np.float32)
    dev = next(net.parameters()).device
    with torch.inference_mode():
        for sel in by_length(items, batch_size):
            batch = collate_fn([items[i] for i in sel], dev)
            with torch.autocast(dev.type, enabled=bf16, dtype=torch.float16
                                if dev.type == "cuda" else torch.bfloat16):
                out[sel] = net(*batch).float().cpu().numpy()
    return out


def trainable_state(net) -> dict[str, np.ndarray]:
    """The tensors training changes (name -> fp32 array): what an adapter file holds."""
    return {n: p.detach().float().cpu().numpy().copy() for n, p in net.named_parameters()
            if p.requires_grad}


def load_tone_net(adapter: str | os.PathLike, network: dict,
                  model_dir: str | os.PathLike | None = None, device: str | None = None):
    """The fine-tuned network of an adapter file, LoRA merged, in eval mode: ``(tokenizer,
    net)``; loaded once per adapter file (and its modification time), network and encoder.

    The encoder folder must hold the weights the adapter was trained on (callers check the
    sha256, :func:`~tracker.tone.encoder.weights_sha256`).
    """
    return load_adapter(adapter, network, build_net, model_dir, device)


def load_adapter(adapter: str | os.PathLike, network: dict, build, model_dir=None,
                 device: str | None = None):
    """``(tokenizer, net)``: ``build(encoder, network)`` on a fresh encoder, the adapter file's
    tensors loaded into it, LoRA merged, eval mode; memoised per adapter file (and its
    modification time), network, builder and encoder."""
    adapter = Path(adapter).resolve()
    return _load_adapter(str(adapter), adapter.stat().st_mtime_ns,
                         json.dumps(network, sort_keys=True), build,
                         str(resolve_encoder_dir(model_dir)), device or default_device())


@functools.lru_cache(maxsize=4)
def _load_adapter(adapter: str, _mtime: int, network_json: str, build, model_dir: str,
                  device: str):
    from safetensors.numpy import load_file

    if device == "cpu":
        set_threads()
    tok, enc = load_encoder(model_dir, fresh=True)
    net = build(enc, json.loads(network_json))
    state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in load_file(adapter).items()}
    expected = {n for n, p in net.named_parameters() if p.requires_grad}
    if set(state) != expected:
        raise TrackerError(
            f"'{adapter}' does not match its config's network (unexpected "
            f"{sorted(set(state) - expected)[:3]}, missing {sorted(expected - set(state))[:3]}); "
            "retrain it (python -m tracker.lab).")
    net.load_state_dict(state, strict=False)
    for m in net.modules():
        if isinstance(m, LoRALinear):
            m.merge()
    net.eval().to(device)
    return tok, net


def tone_logits(
    adapter: str | os.PathLike,
    network: dict,
    texts: Sequence[str],
    target_spans: Sequence[Sequence[Span]],
    batch_size: int = 64,
    model_dir: str | os.PathLike | None = None,
    bf16: bool = True,
) -> np.ndarray:
    """Logits ``(n, 3)`` (hostile, neutral, cooperative) of the fine-tuned network.

    Examples
    --------
    >>> tone_logits("adapter.safetensors", network, ["Japan praised Australia."],
    ...             [[(14, 23)]])  # doctest: +SKIP
    array([[-2.1, -0.3,  2.4]], dtype=float32)
    """
    if len(texts) != len(target_spans):
        raise TrackerError(f"got {len(texts)} texts and {len(target_spans)} span lists; give "
                           "one list of target spans per text.")
    if not len(texts):
        return np.zeros((0, 3), dtype=np.float32)
    tok, net = load_tone_net(adapter, network, model_dir)
    return run_net(net, encode_marked(tok, texts, target_spans), batch_size, bf16)
