"""Does the relationship index track something real? UN General Debate speeches vs UN votes.

For every General Debate speech of the chosen years (default 2010-2019) the tracker's own stages
run unchanged: ``tracker.ingest.read_articles`` reads them (from a temporary JSONL written at run
time, outside the repository), ``tracker.extract.Extractor`` extracts statements,
``tracker.tone.ToneModel.load().predict`` scores them in batches and
``tracker.index.RelationshipIndex(period="Y")`` gives one undirected index value per country pair
and year. The index is then compared, pair-year by pair-year, with how often the two countries
voted the same way in the UN General Assembly that session.

``--reader fast|accurate|FOLDER`` reads the speeches with a learned reader instead
(``tracker.reader.ReaderStage``, each speech with its speaker, as ``tracker run`` reads a speech
with ``speaker``): its statements whose source is the speaker, with the reader's own tones, stand
in for the speech mode and the tone model below; the index, VADER and the statistics are the
same.

Speech mode (this script only, not the package)
-----------------------------------------------
In a General Debate speech the speaker is "we", "my country", "my delegation", so the package's
extractor attributes a statement to the speaking country only about 0.6 times per speech (2010-2019).
The speaking country is known from the file name, so the statements of a speech by country S are:

1. the extractor's statements whose source is S (rule kept, prefixed ``pkg:``);
2. in every sentence where the extractor attributes *no* statement to a third state (a source
   other than S, with a target other than S), each country mentioned in the sentence (gazetteer
   mentions, S itself excluded) that (1) did not already cover, as target with source S
   (rule ``speech:mention``). The tone model reads the whole sentence with the target mentions
   marked and no source span (the speaker is not in the sentence).
3. ``--mode filtered`` (default) drops mentions that name a treaty, conference or process rather
   than the state ("the Paris Agreement", "Kyoto Protocol", "Doha Round", "Sendai Framework",
   "Minsk agreements": a country word followed by one of :data:`TOPIC_NOUNS`) and capitals used
   as venues ("held in Nairobi", "at Copenhagen"). ``--mode all`` keeps every mention.

Sentences where the extractor found a third state acting ("Russia attacked Ukraine") are left
out: they are the speaker's report of others, not the speaker's stance, and the index of that
third pair would be fed by every speaker that mentions it.

Reference series
----------------
* **Vote agreement** (main): for pair (a, b) and session year y (session = y - 1945, so the
  September debate opens the session whose votes follow), the share of roll calls where a and b
  cast the same vote among roll calls where both voted yes, no or abstain (absent/non-voting is
  not in the data). From ``un_votes`` (sessions up to 74 = 2019), so years <= 2019.
* **Ideal-point distance** (second check): ``-|IdealPointAll_a - IdealPointAll_b|`` from Bailey,
  Strezhnev & Voeten (sessions up to 78 = 2023), higher = closer.

Methods compared (same statements, same pair-years)
---------------------------------------------------
* ``index (tone model)``: RelationshipIndex over our model's tone and confidence (defaults).
* ``index (VADER)``: the same index with tone = VADER compound of the same clause, confidence 1.
* ``log count``: log(1 + number of statements) of the pair-year (attention only, no tone).
* ``doc tone (VADER)``: GDELT-like: each speech gets one tone, the mean VADER compound of all its
  sentences; a pair-year is the mean of that tone over the speeches of a or b that mention the
  other.
* ``country tone (no pair info)``: a control, not a method: the mean of the two countries'
  average speech tone (all years). It knows who is in the pair but nothing about the pair, so
  whatever it matches is composition (which countries), not relationship.

Spearman's rho is computed across pair-years with ``n_statements >= k`` (k = 1, 3, 5), with a
95% bootstrap interval that resamples *pairs* (all years of a pair together: pair-years of one
pair are not independent). ``within-pair`` demeans both series per pair first (pairs with >= 3
pair-years), so it asks whether changes over time agree, not only differences between pairs.
``country-adjusted`` first replaces both series by their residuals from an additive model
(one effect per country, one per year; least squares), so it asks whether the index knows
something about the *pair* beyond which two countries are in it (US and Israel vote against most
states, whatever is said about them); its interval resamples the residuals, computed once.

Subset: all speeches of the chosen years, every statement scored (about 30k statements for
2010-2019, ~280 statements/s batched on 2 shared CPU cores, so no further subset was needed). The
default years stop at 2019 because roll-call votes do; ``--years 2010-2023`` adds four years that
only the ideal-point comparison can use.

Caches (outside the repository, default ``~/.cache/tracker/validity``; ``--cache``): extracted
statements per year, tones per (model id, clause, spans) key, VADER per text and document tone per
speech, so a rerun only redoes the index and the statistics (~4 min, mostly the bootstrap).
``--tones-from-cache MODEL_ID`` reuses the tones of a model that can no longer be loaded (e.g. after
the shipped model changed format) and leaves out statements it never scored.

    .venv/bin/python benchmarks/validity_ungd.py [--years 2010-2019] [--out results.json]
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SPEECH_MODE_VERSION = "speech-1"
#: The General Debate opens in the second half of September; the exact day does not matter for a
#: yearly index, only the year does.
DEBATE_DAY = "09-25"
VOTE_VALUES = ("yes", "no", "abstain")
THRESHOLDS = (1, 3, 5)
SANITY_DYADS = ("UKR>RUS", "GEO>RUS", "AZE>ARM", "ARM>AZE", "PAK>IND", "IND>PAK", "PSE>ISR",
                "SYR>ISR", "IRN>ISR", "CUB>USA", "PRK>USA", "IRN>USA", "USA>IRN")
MODES = ("filtered", "all")
#: After a country word these make it the name of a treaty, meeting or process, not the state.
TOPIC_NOUNS = ("agreement", "agreements", "accord", "accords", "protocol", "declaration",
               "conference", "programme", "program", "framework", "round", "summit", "agenda",
               "consensus", "principles", "plan", "process", "pathway", "commitment",
               "commitments", "convention", "outcome", "document", "goals", "initiative",
               "platform", "call", "strategy", "mandate", "forum", "group", "format", "talks",
               "action", "development", "climate", "peace")
_TOPIC_AFTER = re.compile(r"\s*(?:\+\s*\d+\s*)?(?:" + "|".join(TOPIC_NOUNS) + r")\b",
                          re.IGNORECASE)
_VENUE_BEFORE = re.compile(r"\b(?:in|at|to|from)\s+(?:the\s+)?$", re.IGNORECASE)
STATEMENT_COLUMNS = ("statement_id", "article_id", "external_id", "published", "source",
                     "target", "sentence", "clause", "target_spans", "source_spans", "rule")


# ----------------------------------------------------------------------------------------------
# Speeches -> articles -> statements


def speeches(data_dir: Path, years: range) -> pd.DataFrame:
    """``path, iso3, year, external_id`` of the UNGD speeches of ``years``."""
    idx = pd.read_csv(data_dir / "ungd" / "index.csv", keep_default_na=False)
    idx = idx[idx["year"].isin(list(years))].copy()
    idx["external_id"] = idx["iso3"] + "_" + idx["year"].astype(str)
    return idx[["path", "iso3", "year", "external_id"]].reset_index(drop=True)


def read_speech_articles(data_dir: Path, rows: pd.DataFrame) -> list:
    """Articles of the speeches in ``rows``, through ``tracker.ingest.read_articles``.

    The speeches are plain text files with the country and year in the file name, so they are
    written to a temporary JSONL (id, text, published) that the library reads.
    """
    from tracker.ingest import read_articles

    with tempfile.TemporaryDirectory(prefix="validity-ungd-") as tmp:
        path = Path(tmp) / "speeches.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for r in rows.itertuples(index=False):
                text = (data_dir / "ungd" / r.path).read_text(encoding="utf-8-sig")
                fh.write(json.dumps({"id": r.external_id, "text": text,
                                     "published": f"{r.year}-{DEBATE_DAY}"}) + "\n")
        return list(read_articles([path]))


def topic_mention(sentence: str, mention) -> bool:
    """True when a mention names a treaty/meeting ("Paris Agreement") or a venue ("in Nairobi")."""
    if _TOPIC_AFTER.match(sentence, mention.end):
        return True
    return mention.kind == "capital" and bool(_VENUE_BEFORE.search(sentence[:mention.start]))


def speech_statements(article, speaker: str, extractor, gazetteer,
                      mode: str = "filtered") -> list[dict]:
    """Directed statements of one speech by ``speaker`` (see "Speech mode" above).

    Returns dict rows with the STATEMENT_COLUMNS (except ``statement_id``); ``clause`` is the text
    the tone model reads, spans are relative to it.
    """
    from tracker.extract import split_sentences

    text = article.text
    on = dt.date.fromisoformat(article.published)
    found = extractor.extract(article.id, text, article.published)
    by_sentence: dict[int, list] = {}
    for s in found:
        by_sentence.setdefault(s.sentence_index, []).append(s)
    rows = []

    def row(sentence, c0, c1, target, tspans, sspans, rule):
        rel = lambda spans: [[a - c0, b - c0] for a, b in spans if c0 <= a and b <= c1]  # noqa
        rows.append({"article_id": article.id, "external_id": article.external_id,
                     "published": article.published, "source": speaker, "target": target,
                     "sentence": sentence, "clause": text[c0:c1],
                     "target_spans": json.dumps(rel(tspans)),
                     "source_spans": json.dumps(rel(sspans)), "rule": rule})

    for index, (a, b) in enumerate(split_sentences(text)):
        sentence = text[a:b]
        pkg = by_sentence.get(index, [])
        if any(s.source != speaker and s.target != speaker for s in pkg):
            continue  # a third state acts here: the speaker reports, does not address
        covered = set()
        for s in pkg:
            if s.source == speaker and s.target not in covered:
                covered.add(s.target)
                row(sentence, s.clause_start, s.clause_end, s.target, s.target_spans,
                    s.source_spans, "pkg:" + s.rule)
        spans: dict[str, list] = {}
        for m in gazetteer.find_mentions(sentence, on):
            if m.iso3 and m.iso3 != speaker and m.iso3 not in covered \
                    and gazetteer.is_country(m.iso3) \
                    and not (mode == "filtered" and topic_mention(sentence, m)):
                spans.setdefault(m.iso3, []).append((a + m.start, a + m.end))
        for target, tspans in spans.items():
            row(sentence, a, b, target, tspans, (), "speech:mention")
    return rows


def cached_year(data_dir: Path, year: int, cache: Path, name: str, version: str,
                statements, columns) -> pd.DataFrame:
    """One year's statement rows, cached as CSV per (``name``, ``version``, year):
    ``statements(articles, speaker)`` makes them from the year's speech articles and each
    speech's speaker (external id -> ISO3)."""
    key = hashlib.sha256(version.encode()).hexdigest()[:12]
    path = cache / f"{name}-{key}-{year}.csv.gz"
    if path.is_file():
        return pd.read_csv(path, keep_default_na=False)
    rows = speeches(data_dir, range(year, year + 1))
    speaker = dict(zip(rows["external_id"], rows["iso3"]))
    frame = pd.DataFrame(statements(read_speech_articles(data_dir, rows), speaker),
                         columns=columns)
    tmp = path.with_suffix(".tmp")
    frame.to_csv(tmp, index=False, compression="gzip")
    tmp.replace(path)
    return frame


def extract_year(data_dir: Path, year: int, cache: Path, extractor, gazetteer,
                 mode: str = "filtered") -> pd.DataFrame:
    """Speech-mode statements of one year, cached per (extractor, speech mode, year)."""
    def statements(articles, speaker):
        return [row for art in articles for row in speech_statements(
            art, speaker[art.external_id], extractor, gazetteer, mode)]

    return cached_year(data_dir, year, cache, "statements",
                       f"{extractor.version}|{SPEECH_MODE_VERSION}|{mode}", statements,
                       [c for c in STATEMENT_COLUMNS if c != "statement_id"])


def reader_year(data_dir: Path, year: int, cache: Path, stage) -> pd.DataFrame:
    """The statements a reader (:class:`tracker.reader.ReaderStage`) finds in one year's
    speeches, each speech read with its speaker, keeping those whose source is the speaker
    (what a third state does is reported, not the speaker's stance); with their tones. Cached
    per (reader and rules, year)."""
    def statements(articles, speaker):
        articles = {a.id: a for a in articles}
        items = ((a.id, a.text, a.published, speaker[a.external_id]) for a in articles.values())
        out = []
        for article_id, result in stage.analyse_many(items):
            art = articles[article_id]
            for s, (tone, label, confidence) in zip(result.statements, result.tones):
                if s.source != speaker[art.external_id]:
                    continue
                rel = lambda spans: [[a - s.clause_start, b - s.clause_start]  # noqa: E731
                                     for a, b in spans]
                out.append({"article_id": art.id, "external_id": art.external_id,
                            "published": art.published, "source": s.source,
                            "target": s.target, "sentence": s.sentence, "clause": s.sentence,
                            "target_spans": json.dumps(rel(s.target_spans)),
                            "source_spans": json.dumps(rel(s.source_spans)), "rule": "reader",
                            "tone": tone, "label": label, "confidence": confidence})
        return out

    return cached_year(data_dir, year, cache, "reader",
                       f"{stage.version}|{SPEECH_MODE_VERSION}|reader", statements,
                       [c for c in STATEMENT_COLUMNS if c != "statement_id"]
                       + ["tone", "label", "confidence"])


# ----------------------------------------------------------------------------------------------
# Tone (cached per key)


def _spans(value: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(a), int(b)) for a, b in json.loads(value))


def tone_keys(frame: pd.DataFrame, model_id: str) -> list[str]:
    from tracker.tone.model import cache_key

    return [cache_key(model_id, c, _spans(t), _spans(s))
            for c, t, s in zip(frame["clause"], frame["target_spans"], frame["source_spans"])]


def _read_tone_cache(path: Path) -> dict[str, tuple[float, str, float]]:
    if not path.is_file():
        return {}
    df = pd.read_csv(path, keep_default_na=False)
    return {k: (t, lab, c) for k, t, lab, c in zip(df["key"], df["tone"], df["label"],
                                                   df["confidence"])}


def score_model(frame: pd.DataFrame, cache: Path, batch_size: int = 64,
                chunk: int = 512, log=print) -> tuple[pd.DataFrame, str]:
    """``tone, label, confidence`` of our tone model for each row (cache-backed, chunked), and
    the model's id (:attr:`tracker.tone.ToneModel.identity`)."""
    from tracker.tone import ToneInput, ToneModel

    model = ToneModel.load()
    model_id = model.identity
    path = cache / f"tones-{model_id}.csv"
    known = _read_tone_cache(path)
    keys = tone_keys(frame, model_id)
    todo = {}
    for k, c, t, s in zip(keys, frame["clause"], frame["target_spans"], frame["source_spans"]):
        if k not in known and k not in todo:
            todo[k] = ToneInput(c, _spans(t), _spans(s))
    log(f"  tone model {model_id}: {len(keys)} statements, {len(keys) - len(todo)} cached, "
        f"{len(todo)} to score")
    items = list(todo.items())
    t0 = time.perf_counter()
    for i in range(0, len(items), chunk):
        part = items[i:i + chunk]
        res = model.predict([inp for _, inp in part], batch_size=batch_size)
        new = pd.DataFrame({"key": [k for k, _ in part], "tone": [r.tone for r in res],
                            "label": [r.label for r in res],
                            "confidence": [r.confidence for r in res]})
        new.to_csv(path, mode="a", header=not path.is_file(), index=False)
        known.update({k: (r.tone, r.label, r.confidence) for (k, _), r in zip(part, res)})
        done = i + len(part)
        rate = done / (time.perf_counter() - t0)
        log(f"  scored {done}/{len(items)} ({rate:.1f} statements/s)")
    vals = [known[k] for k in keys]
    return pd.DataFrame(vals, columns=["tone", "label", "confidence"], index=frame.index), model_id


def cached_tones(frame: pd.DataFrame, cache: Path, model_id: str, log=print) -> pd.DataFrame:
    """Tones of a model that can no longer be loaded, from ``cache/tones-{model_id}.csv`` only.

    Rows whose (clause, spans) that model never scored get NaN (the caller drops them).
    """
    path = cache / f"tones-{model_id}.csv"
    if not path.is_file():
        have = sorted(p.stem[len("tones-"):] for p in cache.glob("tones-*.csv"))
        raise SystemExit(f"--tones-from-cache {model_id!r}: no {path}; cached models: "
                         f"{', '.join(have) or 'none'}.")
    known = _read_tone_cache(path)
    vals = [known.get(k, (np.nan, "", np.nan)) for k in tone_keys(frame, model_id)]
    out = pd.DataFrame(vals, columns=["tone", "label", "confidence"], index=frame.index)
    log(f"  tones from the cache of {model_id}: {out['tone'].notna().sum()} of {len(out)} "
        "statements found, the rest left out")
    return out


def vader_compound(texts, cache: Path, name: str) -> np.ndarray:
    """VADER compound of each text, cached by text hash in ``cache/vader-{name}.csv``."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    path = cache / f"vader-{name}.csv"
    known = {}
    if path.is_file():
        df = pd.read_csv(path, keep_default_na=False)
        known = dict(zip(df["key"], df["compound"]))
    keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
    sia = None
    new = {}
    for k, t in zip(keys, texts):
        if k not in known and k not in new:
            sia = sia or SentimentIntensityAnalyzer()
            new[k] = sia.polarity_scores(t)["compound"]
    if new:
        pd.DataFrame({"key": list(new), "compound": list(new.values())}).to_csv(
            path, mode="a", header=not path.is_file(), index=False)
        known.update(new)
    return np.array([known[k] for k in keys], dtype=float)


def speech_doc_tone(data_dir: Path, years: range, cache: Path) -> pd.DataFrame:
    """``external_id, doc_tone``: mean VADER compound over all sentences of each speech.

    Cached per year in ``cache/doctone-{year}.csv``, keyed by the sha1 of the speech file.
    """
    from tracker.extract import split_sentences

    out = []
    for year in years:
        rows = speeches(data_dir, range(year, year + 1))
        sha = {r.external_id: hashlib.sha1((data_dir / "ungd" / r.path).read_bytes()).hexdigest()
               for r in rows.itertuples(index=False)}
        path = cache / f"doctone-{year}.csv"
        if path.is_file():
            old = pd.read_csv(path, keep_default_na=False)
            if dict(zip(old["external_id"], old["sha1"])) == sha:
                out.append(old[["external_id", "doc_tone"]])
                continue
        tones = []
        for art in read_speech_articles(data_dir, rows):
            sents = [art.text[a:b] for a, b in split_sentences(art.text)]
            comp = vader_compound(sents, cache, f"sentences-{year}") if sents else np.array([0.])
            tones.append((art.external_id, sha[art.external_id], float(np.mean(comp))))
        frame = pd.DataFrame(tones, columns=["external_id", "sha1", "doc_tone"])
        frame.to_csv(path, index=False)
        out.append(frame[["external_id", "doc_tone"]])
    return pd.concat(out, ignore_index=True)


# ----------------------------------------------------------------------------------------------
# Reference series (pure functions, tested in tests/test_validity.py)


def iso2_to_iso3(countries_tsv: Path | None = None) -> dict[str, str]:
    """ISO alpha-2 -> alpha-3 from the package's ``countries.tsv``."""
    path = countries_tsv or REPO / "tracker" / "data" / "countries.tsv"
    df = pd.read_csv(path, sep="\t", keep_default_na=False, dtype=str)
    return {a: b for a, b in zip(df["iso2"], df["iso3"]) if a and b}


def load_votes(data_dir: Path) -> pd.DataFrame:
    """``rcid, session, iso3, vote`` of the unvotes data ("NA" is Namibia, not missing)."""
    votes = pd.read_csv(data_dir / "un_votes" / "un_votes.csv.gz", keep_default_na=False,
                        dtype={"country_code": str})
    calls = pd.read_csv(data_dir / "un_votes" / "un_roll_calls.csv",
                        usecols=["rcid", "session"])
    votes["iso3"] = votes["country_code"].map(iso2_to_iso3())
    votes = votes.dropna(subset=["iso3"])
    return votes.merge(calls, on="rcid")[["rcid", "session", "iso3", "vote"]]


def vote_agreement(votes: pd.DataFrame, min_votes: int = 10) -> pd.DataFrame:
    """Share of identical votes per undirected pair and session year.

    Parameters
    ----------
    votes : DataFrame with ``rcid``, ``session``, ``iso3``, ``vote`` (yes / no / abstain)
        One row per country and roll call; other vote values (absent) are ignored.
    min_votes : int
        Pair-years with fewer roll calls where both voted are dropped.

    Returns
    -------
    DataFrame ``year, country_a, country_b, n_votes, agreement`` (a < b; year = session + 1945);
    ``agreement`` = identical votes / roll calls where both voted yes, no or abstain.

    Examples
    --------
    >>> v = pd.DataFrame({"rcid": [1, 1, 2, 2], "session": [65] * 4,
    ...                   "iso3": ["USA", "CHN"] * 2, "vote": ["yes", "yes", "no", "yes"]})
    >>> vote_agreement(v, min_votes=1)[["year", "country_a", "country_b", "agreement"]].values.tolist()
    [[2010, 'CHN', 'USA', 0.5]]
    """
    v = votes[votes["vote"].isin(VOTE_VALUES)].drop_duplicates(["rcid", "iso3"])
    out = []
    for session, g in v.groupby("session", sort=True):
        wide = g.pivot(index="rcid", columns="iso3", values="vote")
        codes = np.array(sorted(wide.columns))
        wide = wide[codes]
        present = wide.notna().to_numpy(float)
        both = present.T @ present
        same = np.zeros_like(both)
        for value in VOTE_VALUES:
            m = (wide == value).to_numpy(float)
            same += m.T @ m
        i, j = np.triu_indices(len(codes), k=1)
        n = both[i, j]
        keep = n >= min_votes
        out.append(pd.DataFrame({
            "year": int(session) + 1945, "country_a": codes[i][keep], "country_b": codes[j][keep],
            "n_votes": n[keep].astype(int), "agreement": same[i, j][keep] / n[keep]}))
    cols = ["year", "country_a", "country_b", "n_votes", "agreement"]
    return pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)


def ideal_point_closeness(ideal: pd.DataFrame) -> pd.DataFrame:
    """``year, country_a, country_b, ip_closeness`` = ``-|ideal point a - ideal point b|``."""
    d = ideal[["session", "iso3c", "IdealPointAll"]].dropna()
    d = d[d["iso3c"].astype(str).str.len() == 3]
    out = []
    for session, g in d.groupby("session", sort=True):
        g = g.drop_duplicates("iso3c").sort_values("iso3c")
        codes = g["iso3c"].to_numpy(dtype=object)
        x = g["IdealPointAll"].to_numpy(float)
        i, j = np.triu_indices(len(codes), k=1)
        out.append(pd.DataFrame({"year": int(session) + 1945, "country_a": codes[i],
                                 "country_b": codes[j], "ip_closeness": -np.abs(x[i] - x[j])}))
    return pd.concat(out, ignore_index=True)


def index_years(index_df: pd.DataFrame) -> pd.DataFrame:
    """An undirected yearly index DataFrame with an integer ``year`` column."""
    return index_df.assign(year=index_df["period"].astype(str).str[:4].astype(int))


def merge_reference(index_df: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Inner-join a yearly index (``period`` "2015") and a reference on pair and year.

    Pairs are matched whatever their order in either frame (both are put in a < b order).
    """
    idx = index_years(index_df)
    ref = reference.copy()
    a, b = ref["country_a"].astype(str), ref["country_b"].astype(str)
    ref["country_a"], ref["country_b"] = np.where(a <= b, a, b), np.where(a <= b, b, a)
    ref = ref.drop_duplicates(["year", "country_a", "country_b"])
    return idx.merge(ref, on=["year", "country_a", "country_b"], how="inner")


def spearman(x, y) -> float:
    """Spearman's rho (average ranks for ties); nan for fewer than 3 points or a constant."""
    from scipy.stats import rankdata

    x, y = np.asarray(x, float), np.asarray(y, float)
    if len(x) < 3:
        return float("nan")
    rx, ry = rankdata(x), rankdata(y)
    if rx.std() == 0 or ry.std() == 0:
        return float("nan")
    return float(np.corrcoef(rx, ry)[0, 1])


def bootstrap_ci(x, y, groups, n_boot: int = 1000, seed: int = 0,
                 alpha: float = 0.05) -> tuple[float, float]:
    """Percentile interval of Spearman's rho, resampling whole ``groups`` (pairs)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    codes, inverse = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    members = [np.flatnonzero(inverse == g) for g in range(len(codes))]
    rng = np.random.default_rng(seed)
    stats = []
    for _ in range(n_boot):
        pick = rng.integers(0, len(members), len(members))
        rows = np.concatenate([members[p] for p in pick])
        r = spearman(x[rows], y[rows])
        if not np.isnan(r):
            stats.append(r)
    if not stats:
        return float("nan"), float("nan")
    return (float(np.quantile(stats, alpha / 2)), float(np.quantile(stats, 1 - alpha / 2)))


def within_pair(frame: pd.DataFrame, cols, min_years: int = 3) -> pd.DataFrame:
    """``frame`` restricted to pairs with >= ``min_years`` rows, ``cols`` demeaned per pair."""
    g = frame.groupby(["country_a", "country_b"])
    keep = g["year"].transform("size") >= min_years
    f = frame[keep].copy()
    for c in cols:
        f[c] = f[c] - f.groupby(["country_a", "country_b"])[c].transform("mean")
    return f


def country_adjusted(frame: pd.DataFrame, cols) -> pd.DataFrame:
    """``frame`` with ``cols`` replaced by residuals of an additive country + year model.

    Each value is regressed (least squares) on a dummy per country (1 for both countries of
    the pair) and a dummy per year; what is left is pair-specific. A column that is itself
    additive in the two countries (e.g. the "no pair info" control) becomes NaN.
    """
    codes = sorted(set(frame["country_a"]) | set(frame["country_b"]))
    pos = {c: i for i, c in enumerate(codes)}
    years = sorted(set(frame["year"]))
    ypos = {y: len(codes) + i for i, y in enumerate(years[1:])}
    X = np.zeros((len(frame), len(codes) + len(years) - 1))
    rows = np.arange(len(frame))
    X[rows, frame["country_a"].map(pos).to_numpy()] = 1.0
    X[rows, frame["country_b"].map(pos).to_numpy()] = 1.0
    for r, y in zip(rows, frame["year"]):
        if y in ypos:
            X[r, ypos[y]] = 1.0
    out = frame.copy()
    for c in cols:
        y = frame[c].to_numpy(float)
        ok = ~np.isnan(y)
        beta, *_ = np.linalg.lstsq(X[ok], y[ok], rcond=None)
        resid = np.full(len(y), np.nan)
        resid[ok] = y[ok] - X[ok] @ beta
        if np.nanstd(resid) <= 1e-9 * max(np.nanstd(y), 1e-12):
            resid[:] = np.nan
        out[c] = resid
    return out


# ----------------------------------------------------------------------------------------------
# Run


def _plain(value):
    """JSON-safe copy: numpy scalars as Python numbers, NaN as null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def parse_years(text: str) -> range:
    a, _, b = text.partition("-")
    return range(int(a), int(b or a) + 1)


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", default="2010-2019",
                    help="speech years, e.g. 2010-2019 (roll-call votes end with 2019)")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--cache", type=Path,
                    default=Path.home() / ".cache" / "tracker" / "validity")
    ap.add_argument("--mode", choices=MODES, default="filtered",
                    help="speech mode: drop treaty/venue mentions (filtered) or keep all")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    ap.add_argument("--tones-from-cache", metavar="MODEL_ID", default=None,
                    help="do not load the tone model; use the tones cached for MODEL_ID "
                         "(e.g. tone-ec0de80672bb) and leave out statements it never scored")
    ap.add_argument("--boot", type=int, default=1000, help="bootstrap resamples")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--reader", default=None, metavar="MODEL",
                    help="read the speeches with a reader (fast, accurate or a folder) instead "
                         "of the rules' speech mode and the tone model")
    args = ap.parse_args(argv)
    years = parse_years(args.years)
    args.cache.mkdir(parents=True, exist_ok=True)
    log = lambda *a: print(*a, flush=True)  # noqa: E731
    seconds: dict[str, float] = {}

    from tracker.extract.actors import Gazetteer
    from tracker.errors import TrackerError
    from tracker.extract import Extractor
    from tracker.index import RelationshipIndex

    # 1. extract (speech mode), per year, cached
    t = time.perf_counter()
    extractor, gazetteer = Extractor(), Gazetteer.default()
    if args.reader:
        from tracker.reader import Reader, ReaderStage

        stage = ReaderStage(Reader.load(args.reader), extractor)
        frames = []
        for y in years:
            frames.append(reader_year(args.data, y, args.cache, stage))
            log(f"  {y}: {len(frames[-1])} statements of the speakers "
                f"({time.perf_counter() - t:.0f}s)")
    else:
        frames = [extract_year(args.data, y, args.cache, extractor, gazetteer, args.mode)
                  for y in years]
    st = pd.concat(frames, ignore_index=True)
    st["statement_id"] = np.arange(len(st))
    st["published"] = pd.to_datetime(st["published"])
    n_speeches = len(speeches(args.data, years))
    seconds["extract"] = time.perf_counter() - t
    how = (f"the {args.reader} reader, the speakers' own statements" if args.reader else
           f"speech mode {args.mode}, {st['rule'].str.startswith('pkg:').sum()} from the "
           "package's rules, the rest speech:mention")
    log(f"extract: {n_speeches} speeches {years.start}-{years.stop - 1}, {len(st)} statements "
        f"({how}) ({seconds['extract']:.1f}s)")

    # 2. tone: our model (cached), VADER on the same clause
    t = time.perf_counter()
    if args.reader:
        tone_model_id = stage.model_id
    elif args.tones_from_cache:
        tone_model_id = args.tones_from_cache
        st[["tone", "label", "confidence"]] = cached_tones(st, args.cache, args.tones_from_cache,
                                                           log=log)
        st = st[st["tone"].notna()].reset_index(drop=True)
    else:
        try:
            tones, tone_model_id = score_model(st, args.cache, args.batch_size, log=log)
            st[["tone", "label", "confidence"]] = tones
        except TrackerError as err:
            have = sorted(p.stem[len("tones-"):] for p in args.cache.glob("tones-*.csv"))
            raise SystemExit(f"{err}\n(tones cached for: {', '.join(have) or 'none'}; "
                             "--tones-from-cache MODEL_ID uses them without the model)")
    seconds["score (tone model)"] = time.perf_counter() - t
    t = time.perf_counter()
    st["vader"] = vader_compound(st["clause"].tolist(), args.cache, "clauses")
    seconds["score (VADER)"] = time.perf_counter() - t
    t = time.perf_counter()
    docs = speech_doc_tone(args.data, years, args.cache)
    seconds["doc tone (VADER, all sentences)"] = time.perf_counter() - t
    log(f"score: tone model {seconds['score (tone model)']:.1f}s, VADER "
        f"{seconds['score (VADER)']:.1f}s, document tone {seconds['doc tone (VADER, all sentences)']:.1f}s")

    # 3. indices
    t = time.perf_counter()
    ours = RelationshipIndex(period="Y").fit(st).results_
    vader = RelationshipIndex(period="Y", confidence_weighting=False).fit(
        st.assign(tone=st["vader"], confidence=1.0)).results_
    base = index_years(ours)[["year", "country_a", "country_b", "n_statements", "index"]]
    base = base.rename(columns={"index": "index (tone model)"})
    base = base.merge(index_years(vader)[["year", "country_a", "country_b", "index"]].rename(
        columns={"index": "index (VADER)"}), on=["year", "country_a", "country_b"])
    base["log count"] = np.log1p(base["n_statements"])
    # Document tone: the speeches of a or b that mention the other, each with its whole tone.
    pairs = st[["external_id", "source", "target", "published"]].drop_duplicates(
        ["external_id", "target"]).merge(docs, on="external_id")
    s, tg = pairs["source"].to_numpy(str), pairs["target"].to_numpy(str)
    pairs = pairs.assign(country_a=np.where(s <= tg, s, tg), country_b=np.where(s <= tg, tg, s),
                         year=pairs["published"].dt.year)
    doc = pairs.groupby(["year", "country_a", "country_b"])["doc_tone"].mean().rename(
        "doc tone (VADER)").reset_index()
    base = base.merge(doc, on=["year", "country_a", "country_b"], how="left")
    # Control with no pair information at all: each country's mean speech tone over all years,
    # averaged over the two countries. What it matches is composition (who is in the pair).
    country = docs.assign(iso3=docs["external_id"].str[:3]).groupby("iso3")["doc_tone"].mean()
    base["country tone (no pair info)"] = (base["country_a"].map(country)
                                           + base["country_b"].map(country)) / 2
    base["period"] = base["year"].astype(str)
    seconds["index"] = time.perf_counter() - t

    # 4. references and correlations
    t = time.perf_counter()
    agree = vote_agreement(load_votes(args.data))
    ideal = ideal_point_closeness(pd.read_csv(
        args.data / "un_votes" / "IdealpointestimatesAll_Jun2024.csv"))
    seconds["votes"] = time.perf_counter() - t
    methods = ["index (tone model)", "index (VADER)", "log count", "doc tone (VADER)",
               "country tone (no pair info)"]
    t = time.perf_counter()
    results = []
    for ref_name, ref, col in (("vote agreement", agree, "agreement"),
                               ("ideal-point closeness", ideal, "ip_closeness")):
        merged = merge_reference(base.drop(columns=["year"]), ref)
        for k in THRESHOLDS:
            sub = merged[merged["n_statements"] >= k]
            groups = sub["country_a"] + "-" + sub["country_b"]
            wp = within_pair(sub, methods + [col])
            adj = country_adjusted(sub, methods + [col])
            for m in methods:
                ok = sub[m].notna()
                rho = spearman(sub.loc[ok, m], sub.loc[ok, col])
                lo, hi = bootstrap_ci(sub.loc[ok, m], sub.loc[ok, col], groups[ok], args.boot)
                aok = adj[m].notna() & adj[col].notna()
                arho = spearman(adj.loc[aok, m], adj.loc[aok, col])
                alo, ahi = (bootstrap_ci(adj.loc[aok, m], adj.loc[aok, col], groups[aok],
                                         args.boot) if aok.any() else (np.nan, np.nan))
                results.append({
                    "reference": ref_name, "min_statements": k, "method": m,
                    "n_pair_years": int(ok.sum()), "n_pairs": int(groups[ok].nunique()),
                    "rho": rho, "ci_low": lo, "ci_high": hi,
                    "rho_country_adjusted": arho, "ci_country_adjusted": [alo, ahi],
                    "rho_within_pair": spearman(wp[m], wp[col]) if len(wp) else float("nan"),
                    "n_within_pair": int(len(wp))})
    seconds["correlations"] = time.perf_counter() - t

    ref_years = sorted(set(agree["year"]) & set(years))
    log(f"\nSpeech years {years.start}-{years.stop - 1}; vote agreement exists for "
        f"{ref_years[0] if ref_years else '-'}-{ref_years[-1] if ref_years else '-'} "
        f"(un_votes ends with session 74 = 2019), ideal points to 2023.")
    log("Spearman rho across pair-years; 95% CI: bootstrap over pairs "
        f"({args.boot} resamples); within: demeaned per pair (pairs with >= 3 pair-years).\n")
    log("| reference | n_statements >= | method | n pair-years | n pairs | Spearman rho | 95% CI "
        "| country-adjusted rho [95% CI] | within-pair rho (n) |")
    log("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        alo, ahi = r["ci_country_adjusted"]
        log(f"| {r['reference']} | {r['min_statements']} | {r['method']} | {r['n_pair_years']} | "
            f"{r['n_pairs']} | {r['rho']:+.3f} | [{r['ci_low']:+.3f}, {r['ci_high']:+.3f}] | "
            + (f"{r['rho_country_adjusted']:+.3f} [{alo:+.3f}, {ahi:+.3f}] | "
               if not np.isnan(r["rho_country_adjusted"]) else "n/a (additive in countries) | ")
            + f"{r['rho_within_pair']:+.3f} ({r['n_within_pair']}) |")
    # Sanity: directed dyads with a well-known dispute, fixed before looking at the results.
    log("\nSanity: mean statement tone of disputing dyads (source -> target) vs all statements")
    log("| dyad | n | tone model | VADER |")
    log("|---|---|---|---|")
    sanity = {}
    for dyad in SANITY_DYADS:
        src, tgt = dyad.split(">")
        g = st[(st["source"] == src) & (st["target"] == tgt)]
        sanity[dyad] = {"n": int(len(g)), "tone": float(g["tone"].mean()),
                        "vader": float(g["vader"].mean())}
        log(f"| {src} -> {tgt} | {len(g)} | {g['tone'].mean():+.2f} | {g['vader'].mean():+.2f} |")
    log(f"| all | {len(st)} | {st['tone'].mean():+.2f} | {st['vader'].mean():+.2f} |")
    log("\nseconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))
    report = {
        "years": [years.start, years.stop - 1], "speeches": n_speeches,
        "statements": int(len(st)), "speech_mode": f"{SPEECH_MODE_VERSION} {args.mode}",
        "extractor": extractor.version, "reader": args.reader, "tone_model": tone_model_id, "rules": {k: int(v) for k, v in st["rule"].value_counts().head(20).items()},
        "pair_years_indexed": int(len(base)), "results": results, "sanity": sanity, "seconds": seconds,
        "command": " ".join([sys.executable, *sys.argv]),
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(_plain(report), indent=2, allow_nan=False) + "\n")
        log(f"wrote {args.out}")
    return report


if __name__ == "__main__":
    main()
