"""Tone: how a statement addresses its target, in [-1, 1].

Takes :class:`ToneInput` (a sentence or clause, with the character spans of the target's and the
source's mentions) and gives :class:`ToneResult` (tone = P(cooperative) - P(hostile), the most
probable label and its calibrated probability).

The shipped model is all-MiniLM-L6-v2 fine-tuned with LoRA adapters: the target's tokens are
marked with token type 1 inside the encoder, and a linear head reads ``[sentence mean ;
target-span mean]``, so the same sentence scores differently for different targets. Its card,
``models/tone-minilm/README.md``, gives its data and scores.

Modules: ``model`` (:class:`ToneModel`: one load, one save, predict), ``encoder`` (the base
encoder's folder, hash and threads; no torch), ``engine`` (what runs the network: ONNX Runtime
or torch, checked against torch float32 and chosen for the job's size), ``onnx`` (what the tone
model's and the reader's engines share) and ``net`` (the torch network, imported when torch
runs). Training and evaluation are the workbench's (:mod:`tracker.lab`).
"""
from tracker.tone.model import (LABELS, ToneInput, ToneModel, ToneResult, default_model_path,
                                results_from_proba)

__all__ = ["LABELS", "ToneInput", "ToneModel", "ToneResult", "default_model_path",
           "results_from_proba"]
