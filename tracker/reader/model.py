"""The reader: units of text in, directed statements with their tone out.

A unit is a sentence (or a short item of a few) with the text before it as context, its date
and, for a speech or an official release, its speaker. The rule extractor proposes the candidates
(:mod:`tracker.reader.candidates`); a transformer decides for each whether the source says or does
something toward the target, and in what tone, giving calibrated P(none), P(hostile),
P(neutral), P(cooperative). A candidate is a statement when P(none) is below the model's
threshold (chosen on dev data); its tone is P(cooperative) - P(hostile) among the statement
classes, its label the likeliest of them, its confidence that label's probability.

A model folder holds ``adapter.safetensors``, ``config.json`` (what predicting needs),
``recipe.json`` and ``metrics.json`` (how it was made and how it scored) and a card.
"""
from __future__ import annotations

import functools
import importlib.resources
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from tracker.errors import TrackerError
from tracker.reader.candidates import Candidate, candidates
from tracker.tone import encoder as encoder_folder
from tracker.tone.model import (check_encoder, folder_identity, read_config,
                                save_folder, softmax)

CLASSES = ("none", "hostile", "neutral", "cooperative")
KIND = "pair-reader"
FORMAT_VERSION = 2
SHIPPED = {"fast": "reader-minilm", "accurate": "reader-mpnet"}


def model_path(name: str | os.PathLike | None = None) -> Path:
    """A model folder: ``fast`` (the default) or ``accurate`` by name, or a path."""
    name = "fast" if name is None else name
    if str(name) in SHIPPED:
        return Path(str(importlib.resources.files("tracker.models").joinpath(SHIPPED[str(name)])))
    return Path(name).expanduser()


@dataclass(frozen=True)
class Unit:
    """What the reader reads: ``text[first_offset:]`` is the unit, the text before is context."""

    id: str
    text: str
    first_offset: int = 0
    published: str | None = None
    speaker: str | None = None


@dataclass(frozen=True)
class ReadPair:
    """A candidate as the reader read it."""

    source: str
    target: str
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    p_statement: float
    is_statement: bool
    tone: float
    label: str
    confidence: float


class Reader:
    """A pair reader loaded from its folder (cheap; the network loads on first use)."""

    def __init__(self, path: Path, config: dict, encoder=None, engine: str | None = None):
        self.path, self.config, self.encoder = Path(path), dict(config), encoder
        self.engine_name = engine
        self.temperature = float(config.get("temperature", 1.0))
        self.threshold = float(config.get("threshold", 0.5))
        self._engine, self._used, self._read, self._planned = None, [], 0, 0

    @classmethod
    def load(cls, name: str | os.PathLike | None = None, encoder=None,
             engine: str | None = None) -> "Reader":
        """The reader ``name`` (see :func:`model_path`); ``engine`` as ``TRACKER_ENGINE``."""
        path = model_path(name)
        fix = "pass --model fast, or a folder made by python -m tracker.lab reader-train"
        config = read_config(path, "reader", fix)
        if config.get("kind") != KIND or config.get("format_version") != FORMAT_VERSION:
            raise TrackerError(f"'{path}' is not a reader of format {FORMAT_VERSION}; {fix}.")
        if encoder is None and config.get("encoder", {}).get("install"):
            from tracker.reader import accurate

            encoder = accurate.encoder_dir()
        return cls(path, config, encoder, engine)

    @staticmethod
    def save(path: str | os.PathLike, tensors: dict, config: dict) -> Path:
        """Write a reader folder's weights and ``config.json``."""
        return save_folder(path, tensors, config)

    @functools.cached_property
    def identity(self) -> str:
        return folder_identity(self.path, "reader")

    # -- reading ---------------------------------------------------------------------------
    @property
    def engine(self):
        """What runs the network (:mod:`tracker.reader.engine`; ``TRACKER_ENGINE``): the
        engine of the last read, else the one a job of unknown size gets."""
        if self._engine is None:
            self._engine = self._engine_for(None)
        return self._engine

    @property
    def engine_used(self) -> str | None:
        """The engines that ran the network, in order (``"onnx-fp32, then torch"``)."""
        return ", then ".join(self._used) or None

    def _engine_for(self, n: int | None):
        check_encoder(self.config, self.encoder, self.path, "reader")
        return engine_for(self, self.engine_name, n,
                          say=lambda msg: print(msg, file=sys.stderr, flush=True))

    def plan(self, n: int) -> None:
        """Expect a job of about ``n`` candidates: ``auto`` chooses for it (see
        :meth:`logits`)."""
        self._planned = int(n)

    def logits(self, inputs: Sequence[tuple]) -> np.ndarray:
        """Logits ``(n, 4)`` for the pairs of the units of :func:`inputs_of`.

        ``auto`` chooses the engine at every call for the job's size as far as it is known:
        the size planned (:meth:`plan`), or the candidates read so far (these included) when
        more. So a job of unknown size starts on the engine that starts fastest and moves to
        the fastest once it has grown past the size at which that one's start-up pays."""
        from tracker.reader.engine import encode, pair_tokenizer

        n = sum(len(i[2]) for i in inputs)
        if not n:
            return np.zeros((0, len(CLASSES)), dtype=np.float32)
        self._read += n
        engine = self._engine_for(max(self._read, self._planned))
        if self._engine is None or engine.name != self._engine.name:
            self._engine = engine
        if not self._used or self._used[-1] != self._engine.name:
            self._used.append(self._engine.name)
        tok = pair_tokenizer(str(encoder_folder.resolve_encoder_dir(self.encoder)))
        return self._engine.logits(encode(tok, inputs))

    def read(self, units: Sequence[Unit], extractor=None) -> list[list[ReadPair]]:
        """Every candidate of every unit with its probabilities, in unit order."""
        from tracker.extract import Extractor

        extractor = extractor or Extractor()
        per_unit = [candidates(u.text, u.published, u.speaker, extractor, u.first_offset)[0]
                    for u in units]
        flat = [(u, c) for u, cs in zip(units, per_unit) for c in cs]
        proba = self.proba(inputs_of(flat, extractor.gaz))
        out, k = [], 0
        for cs in per_unit:
            out.append([self._pair(c, p) for c, p in zip(cs, proba[k:k + len(cs)])])
            k += len(cs)
        return out

    def proba(self, inputs: Sequence[tuple]) -> np.ndarray:
        """Calibrated probabilities ``(n, 4)`` in the order of :data:`CLASSES`."""
        return softmax(self.logits(inputs) / self.temperature)

    def _pair(self, c: Candidate, p: np.ndarray) -> ReadPair:
        return pair_from_proba(c, p, self.threshold)


def pair_from_proba(c: Candidate, p: np.ndarray, threshold: float) -> ReadPair:
    """A :class:`ReadPair` from a candidate and its four probabilities."""
    stance = p[1:] / max(float(p[1:].sum()), 1e-12)
    k = int(stance.argmax())
    return ReadPair(c.source, c.target, c.source_spans, c.target_spans, float(1 - p[0]),
                    bool(p[0] < threshold), float(stance[2] - stance[0]), CLASSES[1 + k],
                    float(stance[k]))


def by_unit(pairs: Sequence[tuple[Unit, Candidate]]) -> list[tuple[Unit, list[Candidate]]]:
    """Consecutive ``(unit, candidate)`` of one unit gathered: ``(unit, [candidate, ...])``
    per unit, in order."""
    groups: list[tuple[Unit, list[Candidate]]] = []
    for unit, c in pairs:
        if groups and (groups[-1][0] is unit or groups[-1][0] == unit):
            groups[-1][1].append(c)
        else:
            groups.append((unit, [c]))
    return groups


def inputs_of(pairs: Sequence[tuple[Unit, Candidate]], gazetteer) -> list[tuple]:
    """The input of each unit, ready for :func:`~tracker.reader.engine.encode`: consecutive
    ``(unit, candidate)`` of one unit make one input ``(first, second, pairs)`` (its states'
    names, its marked text, and its candidates as ``(source state, target state)``), so the
    network reads each unit once; the logits come back in the order of ``pairs``."""
    from tracker.reader.net import first_segment, marked_text

    out = []
    for unit, cands in by_unit(pairs):
        spans: dict[str, tuple] = {}
        for c in cands:
            spans.setdefault(c.source, c.source_spans)
            spans.setdefault(c.target, c.target_spans)
        states = list(spans)
        speaker = states.index(unit.speaker) if unit.speaker in spans else None
        first = first_segment([gazetteer.country_name(s) for s in states], speaker)
        second = marked_text(unit.text, [spans[s] for s in states])
        out.append((first, second,
                    [(states.index(c.source), states.index(c.target)) for c in cands]))
    return out


class ReaderStage:
    """The reader as the pipeline's extract stage: an article's statements and their tones in
    one pass. Articles are read sentence by sentence, each with the sentence before it as
    context; the rules resolve the mentions over the whole article first.

    ``version`` names what stored statements came from (the reader and the rules that found its
    candidates); ``model_id`` is the reader's identity, under which their tones are stored.
    """

    reads_pairs = True

    def __init__(self, reader: Reader, extractor=None, batch_articles: int = 32):
        from tracker.extract import Extractor

        self.reader = reader
        self.extractor = extractor or Extractor()
        self.batch_articles = batch_articles
        self._articles = 0

    @property
    def version(self) -> str:
        return f"{self.reader.identity}+{self.extractor.version}"

    @property
    def model_id(self) -> str:
        return self.reader.identity

    @property
    def identity(self) -> str:
        return self.reader.identity

    @property
    def engine_used(self) -> str | None:
        """The engines that ran the network, if it ran."""
        return self.reader.engine_used

    def extract(self, article_id: str, text: str, published=None, speaker: str | None = None,
                title: str | None = None):
        """The statements of one article (the rule extractor's signature)."""
        ((_, result),) = self._read([(article_id, text, published, speaker, title)])
        return result.statements

    def plan(self, articles: int) -> None:
        """Expect a job of ``articles`` articles: the first batch's candidates per article
        give the reader the job's size (:meth:`Reader.plan`)."""
        self._articles = articles

    def analyse_many(self, items, workers: int = 1):
        """``(article_id, Extraction)`` for each ``(article_id, text, published)`` (or with a
        fourth element, the speaker's ISO3, and a fifth, the title), in order; the network
        reads the candidates of several articles at once."""
        batch = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.batch_articles:
                yield from self._read(batch)
                batch = []
        if batch:
            yield from self._read(batch)

    def _read(self, batch):
        from tracker.extract import Extraction
        from tracker.extract.extractor import speaker_and_title

        gaz = self.extractor.gaz
        articles, flat = [], []
        for article_id, text, published, *rest in batch:
            speaker, title = speaker_and_title(rest)
            units, result, pairs = article_pairs(article_id, text, published, speaker,
                                                 self.extractor, title)
            articles.append((article_id, text, units, result))
            flat += [(unit, c) for _, unit, c in pairs]
        if self._articles > len(batch) and not self.reader._read:
            self.reader.plan(len(flat) * self._articles / len(batch))
        proba = self.reader.proba(inputs_of(flat, gaz)) if flat else []
        k = 0
        for article_id, text, units, result in articles:
            statements, tones = [], []
            for sent, _, found in units:
                for c in found:
                    read = pair_from_proba(c, proba[k], self.reader.threshold)
                    k += 1
                    if not read.is_statement:
                        continue
                    statements.append(reader_statement(article_id, text, sent, c, gaz))
                    tones.append((read.tone, read.label, read.confidence))
            yield article_id, Extraction(statements, result.n_sentences,
                                         result.n_sentences_with_country, tones=tones)


def reader_statement(article_id: str, text: str, sent, c: Candidate, gazetteer):
    """The statement of a candidate the reader took: the whole sentence is its clause; ``c``'s
    spans are article offsets."""
    from tracker.extract import Statement

    return Statement(
        article_id=article_id, sentence_index=sent.index, sentence_start=sent.start,
        sentence_end=sent.end, sentence=text[sent.start:sent.end], source=c.source,
        target=c.target, source_spans=c.source_spans, target_spans=c.target_spans,
        clause_start=sent.start, clause_end=sent.end, rule="reader",
        source_text=_words(text, c.source_spans, c.source, gazetteer),
        target_text=_words(text, c.target_spans, c.target, gazetteer))


def article_pairs(article_id: str, text: str, published=None, speaker: str | None = None,
                  extractor=None, title: str | None = None):
    """An article read as the reader reads it: its units (:func:`~tracker.reader.candidates.
    article_units`), the rules' extraction, and every ``(sentence, unit, candidate)`` of every
    sentence, each unit the sentence with the one before it and the candidate's spans relative
    to the unit."""
    from tracker.reader.candidates import article_units

    units, result = article_units(text, published, speaker, extractor, title)
    pairs = []
    for sent, start, found in units:
        unit = Unit(article_id, text[start:sent.end], max(0, sent.start - start), published,
                    sent.speaker)
        pairs += [(sent, unit, _shift(c, -start)) for c in found]
    return units, result, pairs


def _shift(c: Candidate, by: int) -> Candidate:
    return Candidate(c.source, c.target, tuple((a + by, b + by) for a, b in c.source_spans),
                     tuple((a + by, b + by) for a, b in c.target_spans))


def _words(text: str, spans, iso3: str, gaz) -> str:
    return text[spans[0][0]:spans[0][1]] if spans else gaz.country_name(iso3)


def engine_for(reader, name: str | None = None, n: int | None = None, say=None):
    """The engine that runs ``reader``: the one named (or ``$TRACKER_ENGINE``), or for ``auto``
    the check's choice on this machine for ``n`` candidates (building the ONNX files and
    checking them first, once, when no check was made; :func:`tracker.tone.onnx.pick`)."""
    from tracker.reader.engine import CHECK_SET, OnnxEngine, TorchEngine, onnx_folder
    from tracker.tone.model import ADAPTER_FILE
    from tracker.tone.onnx import maker, pick

    adapter, network, folder = reader.path / ADAPTER_FILE, reader.config["network"], \
        onnx_folder(reader)

    def prepare():
        from tracker.reader.export import prepare as build_and_check

        build_and_check(reader, say=say)

    make = maker(OnnxEngine, TorchEngine, folder, adapter, network, reader.encoder)
    return pick(name, n, folder, (Path(reader.path) / CHECK_SET).is_file(), prepare, make)
