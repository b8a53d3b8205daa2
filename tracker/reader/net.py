"""The torch side of the reader: a transformer reads a unit of text once, with every state
mention marked, and gives four logits (no statement, hostile, neutral, cooperative) for every
ordered pair of its states.

The input is a pair of segments. The first lists the unit's states by name ("Russia ; Ukraine
; speaker France"); the second is the context, then the unit, with every state mention wrapped
in "@ ... @". A state's vector is the mean of its tokens (its name in the first segment and its
mentions in the second); a pair's features are ``[all-token mean ; source ; target ; source *
target]``, and a small head (linear, GELU, linear) gives its logits. One pass of the encoder
serves every pair of the unit (a unit holds three to four pairs on average), and the pooling
and the head are cheap, so they run in numpy at inference
(:func:`tracker.reader.engine.head_logits`), the same for every engine. The encoder is adapted with LoRA (shared with the tone network,
:mod:`tracker.tone.net`), so an adapter file of a few MB carries a model.
"""
from __future__ import annotations

import os
from typing import Sequence

import torch
from torch import nn

from tracker.tone.encoder import padded_length
from tracker.tone.net import add_lora, load_adapter, pooled_states

N_CLASSES = 4
MARK = "@"


def marked_text(text: str, spans_per_state: Sequence[Sequence[tuple[int, int]]]):
    """``text`` with every mention wrapped in marks; returns it and, per state, the spans of
    its marked mentions in it (marks included). Of overlapping mentions the first stands."""
    edits = sorted((a, b, k) for k, spans in enumerate(spans_per_state) for a, b in spans)
    out, found, pos, length = [], [[] for _ in spans_per_state], 0, 0
    for a, b, k in edits:
        if a < pos:
            continue
        out.append(text[pos:a])
        length += a - pos
        piece = f"{MARK} {text[a:b]} {MARK}"
        out.append(piece)
        found[k].append((length, length + len(piece)))
        length += len(piece)
        pos = b
    out.append(text[pos:])
    return "".join(out), found


def first_segment(names: Sequence[str], speaker: int | None = None):
    """The unit's states by name, the speaker's (index ``speaker``) flagged; returns the
    segment and the span of each name."""
    seg, spans = "", []
    for k, name in enumerate(names):
        if k:
            seg += " ; "
        if k == speaker:
            seg += "speaker "
        spans.append((len(seg), len(seg) + len(name)))
        seg += name
    return seg, spans


def collate(items, device="cpu"):
    """Encoded units -> padded tensors: ids, types, attention, state masks ``(b, S, t)``
    and, for every pair of every unit, its unit, source state and target state; padded to a
    multiple of :data:`~tracker.tone.encoder.PAD_MULTIPLE` tokens."""
    n = padded_length(max(len(i[0]) for i in items))
    s = max(len(i[2]) for i in items)
    ids = torch.zeros(len(items), n, dtype=torch.long)
    types, att = torch.zeros_like(ids), torch.zeros_like(ids)
    smask = torch.zeros(len(items), s, n)
    pb, ps, pt = [], [], []
    for k, (a, t, masks, pairs) in enumerate(items):
        m = len(a)
        ids[k, :m], types[k, :m], att[k, :m] = torch.tensor(a), torch.tensor(t), 1
        if masks:
            smask[k, :len(masks), :m] = torch.tensor(masks, dtype=torch.float32)
        for i, j in pairs:
            pb.append(k), ps.append(i), pt.append(j)
    return tuple(x.to(device) for x in (ids, types, att, smask, torch.tensor(pb),
                                        torch.tensor(ps), torch.tensor(pt)))


class UnitNet(nn.Module):
    """Encoder, state pooling and a pair head over ``[mean ; source ; target ; source *
    target]``."""

    def __init__(self, encoder, head_dropout: float = 0.1, head_hidden: int | None = None):
        super().__init__()
        self.encoder = encoder
        h = encoder.config.hidden_size
        k = head_hidden or h
        self.drop = nn.Dropout(head_dropout)
        self.head = nn.Sequential(nn.Linear(4 * h, k), nn.GELU(approximate="tanh"),
                                  nn.Dropout(head_dropout), nn.Linear(k, N_CLASSES))

    def states(self, ids, types, att, smask):
        """The all-token mean ``(b, h)`` and each state's token mean ``(b, S, h)``."""
        return pooled_states(self.encoder, ids, types, att, smask)

    def forward(self, ids, types, att, smask, pb, ps, pt):
        mean, states = self.states(ids, types, att, smask)
        s, t = states[pb, ps], states[pb, pt]
        return self.head(self.drop(torch.cat([mean[pb], s, t, s * t], dim=1)))


#: LoRA targets per encoder family (the names of the adapted linear layers in each layer).
LORA_TARGETS = {
    "bert": ["query", "key", "value", "attention.output.dense", "intermediate.dense",
             "output.dense"],
    "mpnet": ["attn.q", "attn.k", "attn.v", "attn.o", "intermediate.dense", "output.dense"],
}


class StatesOnly(nn.Module):
    """What the engines export: ids, types, attention and state masks in; the all-token mean
    and the state vectors out."""

    def __init__(self, net: UnitNet):
        super().__init__()
        self.net = net

    def forward(self, ids, types, att, smask):
        return self.net.states(ids, types, att, smask)


def build_net(encoder, network: dict) -> UnitNet:
    """LoRA adapters on the named linear layers of every encoder layer (the rest frozen), the
    token-type embedding open, and the head."""
    return UnitNet(add_lora(encoder, network), network["head_dropout"],
                   network.get("head_hidden"))


def run_states(net: UnitNet, batch, half: bool):
    """The pooled vectors ``(mean (b, h), states (b, S, h))`` of a batch of encoded units, as
    float32 arrays. ``half``: bfloat16 autocast on a CPU, float16 on a GPU."""
    dev = next(net.parameters()).device
    ids, types, att, smask = collate(batch, dev)[:4]
    if smask.shape[1] == 0:
        smask = torch.zeros(len(batch), 1, ids.shape[1], device=dev)
    with torch.inference_mode(), torch.autocast(
            dev.type, enabled=half, dtype=torch.float16 if dev.type == "cuda" else torch.bfloat16):
        mean, states = net.states(ids, types, att, smask)
    return mean.float().cpu().numpy(), states.float().cpu().numpy()


def load_unit_net(adapter: str | os.PathLike, network: dict,
                  model_dir: str | os.PathLike | None = None, device: str | None = None):
    """``(tokenizer, net)`` of an adapter file, LoRA merged, eval mode; loaded once per file."""
    return load_adapter(adapter, network, build_net, model_dir, device)
