"""The torch side of the reader: a transformer reads a unit of text with the two states of a
candidate marked and gives four logits (no statement, hostile, neutral, cooperative).

The input is a pair of segments. The first names the candidate, "@ Russia @ to # Ukraine #"
(and the speaker, where one is known); the second is the context, then the unit with every
mention of the source wrapped in "@ ... @" and every mention of the target in "# ... #". A linear
head reads ``[mean of all tokens ; mean of source tokens ; mean of target tokens]`` (the
marked names of the first segment are always there, so both means exist). The encoder is
adapted with LoRA (shared with the tone network, :mod:`tracker.tone.net`), so an adapter file
of a few MB carries a model.
"""
from __future__ import annotations

import os
from typing import Sequence

import numpy as np
import torch
from torch import nn

from tracker.tone.net import add_lora, load_adapter, run_batches

N_CLASSES = 4
SOURCE_MARK, TARGET_MARK = "@", "#"


def marked_text(text: str, source_spans: Sequence[tuple[int, int]],
                target_spans: Sequence[tuple[int, int]]):
    """``text`` with the marks inserted; returns it and the spans of the marked mentions in it
    (source, target), marks included."""
    edits = sorted([(a, b, SOURCE_MARK) for a, b in source_spans]
                   + [(a, b, TARGET_MARK) for a, b in target_spans])
    out, src, tgt, pos = [], [], [], 0
    for a, b, mark in edits:
        if a < pos:  # overlapping mentions: the first one stands
            continue
        out.append(text[pos:a])
        start = sum(map(len, out))
        piece = f"{mark} {text[a:b]} {mark}"
        out.append(piece)
        (src if mark == SOURCE_MARK else tgt).append((start, start + len(piece)))
        pos = b
    out.append(text[pos:])
    return "".join(out), src, tgt


def first_segment(source_name: str, target_name: str, speaker_name: str | None):
    """The candidate's names, marked; returns the segment and the two spans."""
    head = f"speaker {speaker_name} : " if speaker_name else ""
    s0 = len(head)
    seg = f"{head}{SOURCE_MARK} {source_name} {SOURCE_MARK} to "
    t0 = len(seg)
    seg += f"{TARGET_MARK} {target_name} {TARGET_MARK}"
    return seg, (s0, t0 - 4), (t0, len(seg))


def collate(items, device="cpu"):
    n = max(len(i[0]) for i in items)
    ids = torch.zeros(len(items), n, dtype=torch.long)
    types, att, sm, tm = (torch.zeros_like(ids) for _ in range(4))
    for k, (a, t, s, g) in enumerate(items):
        m = len(a)
        ids[k, :m], types[k, :m], att[k, :m] = torch.tensor(a), torch.tensor(t), 1
        sm[k, :m], tm[k, :m] = torch.tensor(s), torch.tensor(g)
    return tuple(x.to(device) for x in (ids, types, att, sm, tm))


class PairNet(nn.Module):
    """Encoder + linear head over ``[all-token mean ; source mean ; target mean]``."""

    def __init__(self, encoder, head_dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(head_dropout)
        self.head = nn.Linear(3 * encoder.config.hidden_size, N_CLASSES)

    def forward(self, ids, types, att, smask, tmask):
        hs = self.encoder(input_ids=ids, attention_mask=att,
                          token_type_ids=types).last_hidden_state.float()

        def mean(mask):
            m = mask.unsqueeze(-1).float()
            return (hs * m).sum(1) / m.sum(1).clamp(min=1)

        return self.head(self.drop(torch.cat([mean(att), mean(smask), mean(tmask)], dim=1)))


def build_net(encoder, network: dict) -> PairNet:
    """LoRA adapters on the named linear layers of every encoder layer (the rest frozen), the
    token-type embedding open, and the head."""
    return PairNet(add_lora(encoder, network), network["head_dropout"])


def run_net(net, items, batch_size: int, bf16: bool) -> np.ndarray:
    """Logits ``(n, 4)`` for encoded candidates, batched by sorted length, in input order."""
    return run_batches(net, items, batch_size, bf16, collate, N_CLASSES)


def load_pair_net(adapter: str | os.PathLike, network: dict,
                  model_dir: str | os.PathLike | None = None, device: str | None = None):
    """``(tokenizer, net)`` of an adapter file, LoRA merged, eval mode; loaded once per file."""
    return load_adapter(adapter, network, build_net, model_dir, device)
