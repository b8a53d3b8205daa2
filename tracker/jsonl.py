"""Line-oriented access to the stages: JSONL records in, JSONL records out.

``tracker tone`` and ``tracker extract`` are thin shells over :func:`tone_records` and
:func:`extract_records`; both stream, so a file of any size goes through in batches.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import IO

from tracker.errors import TrackerError, bad_input


def read_jsonl(stream: IO[str], name: str) -> Iterator[tuple[int, dict]]:
    """``(line number, object)`` for each non-empty line; a bad line is a one-line error."""
    for i, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise bad_input(name, i, f"not valid JSON ({exc.msg})", "fix or remove that line.")
        except RecursionError:
            raise bad_input(name, i, "JSON nested too deeply", "write one flat object per line.")
        if not isinstance(obj, dict):
            raise bad_input(name, i, "expected a JSON object", 'write {"text": "..."} lines.')
        yield i, obj


def _text(obj: dict, name: str, line: int) -> str:
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        raise bad_input(name, line, 'no "text" field', 'add "text": "..." to that line.')
    return text


def _spans(value, text: str, name: str, line: int, field: str) -> tuple[tuple[int, int], ...]:
    try:
        spans = tuple((int(a), int(b)) for a, b in value)
    except (TypeError, ValueError, OverflowError):
        raise bad_input(name, line, f'"{field}" is {value!r}', 'give [[from, to], ...] offsets.')
    for a, b in spans:
        if not 0 <= a < b <= len(text):
            raise bad_input(name, line, f'"{field}" span [{a}, {b}] is outside the text '
                            f'(length {len(text)})', "give offsets into \"text\".")
    return spans


def _find_target(text: str, target: str, gazetteer, name: str, line: int):
    """Spans of ``target`` (an ISO3 code or the mention text) in ``text``."""
    if re.fullmatch(r"[A-Z]{3}", target):
        if not gazetteer.is_country(target):
            raise bad_input(name, line, f"unknown country code {target!r}",
                            "use an ISO 3166-1 alpha-3 code such as KOR, or the mention text.")
        found = tuple((m.start, m.end) for m in gazetteer.find_mentions(text)
                      if m.iso3 == target)
        if not found:
            raise bad_input(name, line, f"{target} is not mentioned in \"text\" (no name, "
                            "capital or people of it found)",
                            "give the exact mention text as target, or target_spans.")
        return found
    spans = tuple((m.start(), m.end()) for m in re.finditer(re.escape(target), text))
    if not spans:
        raise bad_input(name, line, f'target {target!r} does not occur in "text"',
                        "give an ISO3 code or the exact mention text.")
    return spans


def tone_records(records: Iterable[tuple[int, dict]], name: str = "<stdin>", model=None,
                 batch_size: int = 64, chunk: int = 1024) -> Iterator[dict]:
    """Add ``tone``, ``label`` and ``confidence`` to each record.

    Each record has ``text`` and optionally ``target`` (ISO3 or mention text), ``target_spans``
    and ``source`` (likewise, or ``source_spans``); without a target, the sentence as a whole.
    """
    from tracker.extract.actors import Gazetteer
    from tracker.tone import ToneInput, ToneModel

    gazetteer = None
    model = model or ToneModel.load()
    pending: list[tuple[dict, ToneInput]] = []

    def flush() -> Iterator[dict]:
        results = model.predict([inp for _, inp in pending], batch_size=batch_size)
        for (obj, _), r in zip(pending, results):
            yield {**obj, "tone": round(r.tone, 4), "label": r.label,
                   "confidence": round(r.confidence, 4)}
        pending.clear()

    for line, obj in records:
        text = _text(obj, name, line)
        spans = {}
        for role in ("target", "source"):
            if obj.get(f"{role}_spans") is not None:
                spans[role] = _spans(obj[f"{role}_spans"], text, name, line, f"{role}_spans")
            elif obj.get(role):
                if not isinstance(obj[role], str):
                    raise bad_input(name, line, f'"{role}" is {obj[role]!r}',
                                    "give an ISO3 code or the mention text.")
                gazetteer = gazetteer or Gazetteer.default()
                spans[role] = _find_target(text, obj[role], gazetteer, name, line)
            else:
                spans[role] = ()
        pending.append((obj, ToneInput(text, spans["target"], spans["source"])))
        if len(pending) >= chunk:
            yield from flush()
    if pending:
        yield from flush()


def extract_records(records: Iterable[tuple[int, dict]], name: str = "<stdin>",
                    extractor=None) -> Iterator[dict]:
    """One output record per statement found in each input record's ``text``.

    An optional ``speaker`` (ISO3) marks the text as that state's speech ("we" is the speaker).
    Output fields: ``id``, ``source``, ``target``, ``sentence``, ``start``, ``end`` (the
    sentence's offsets in ``text``), and the evidence: ``source_text``, ``target_text``,
    ``source_spans``, ``target_spans``, ``clause`` and ``rule``.
    """
    from tracker.extract import Extractor
    from tracker.ingest import parse_date

    extractor = extractor or Extractor()
    for line, obj in records:
        text = _text(obj, name, line)
        published = obj.get("published")
        if published:
            try:
                published = parse_date(str(published))
            except (TrackerError, ValueError):
                raise bad_input(name, line, f'"published" {published!r} is not a date',
                                "write it as YYYY-MM-DD.")
        ident = obj.get("id", line)
        speaker = obj.get("speaker")
        if speaker is not None and not (isinstance(speaker, str) and extractor.gaz.is_country(speaker)):
            raise bad_input(name, line, f'"speaker" {speaker!r} is not a known ISO3 code',
                            "give the speaking country as an ISO 3166-1 alpha-3 code.")
        for st in extractor.extract(str(ident), text, published, speaker=speaker):
            yield {"id": ident, "source": st.source, "target": st.target,
                   "sentence": st.sentence, "start": st.sentence_start, "end": st.sentence_end,
                   "source_text": st.source_text, "target_text": st.target_text,
                   "source_spans": [list(s) for s in st.source_spans],
                   "target_spans": [list(s) for s in st.target_spans],
                   "clause": text[st.clause_start:st.clause_end], "rule": st.rule}
