"""The SQLite store: de-duplication, one transaction per unit of work, resumable state."""
from __future__ import annotations

import sqlite3

import pytest

from tracker.errors import TrackerError
from tracker.extract import Statement
from tracker.ingest import Article
from tracker.store import Store


def article(text="Seoul summoned the Russian ambassador.", ident="a1"):
    return Article(id=ident, external_id=f"{ident}.txt", url=None, title=None, outlet=None,
                   published="2024-02-04", date_method="metadata", text=text, origin="x")


def statement(article_id="a1", index=0, source="KOR", target="RUS"):
    return Statement(article_id=article_id, sentence_index=index, sentence_start=0,
                     sentence_end=39, sentence="Seoul summoned the Russian ambassador.",
                     source=source, target=target, source_spans=((0, 5),),
                     target_spans=((19, 26),), clause_start=6, clause_end=39,
                     rule="action:summoned", source_text="Seoul", target_text="Russian")


def test_same_article_is_stored_once(tmp_path):
    store = Store(tmp_path / "t.db")
    assert store.add_articles([article(), article()]) == (1, 1)
    assert store.add_articles([article()]) == (0, 1)
    assert store.counts()["articles"] == 1


def test_statements_and_extraction_mark_commit_together(tmp_path):
    store = Store(tmp_path / "t.db")
    store.add_articles([article()])
    assert [r[0] for r in store.articles_to_extract("v1")] == ["a1"]

    # The second row cannot be stored: the insert fails half-way through the article.
    bad = [statement(), Statement(**{**statement().__dict__, "sentence_index": 1,
                                     "sentence": ["not", "text"]})]
    with pytest.raises(sqlite3.Error):
        store.save_statements("a1", "v1", bad)
    assert store.counts()["statements"] == 0
    assert [r[0] for r in store.articles_to_extract("v1")] == ["a1"]

    store.save_statements("a1", "v1", [statement()])
    assert store.counts()["statements"] == 1
    assert list(store.articles_to_extract("v1")) == []
    assert [r[0] for r in store.articles_to_extract("v2")] == ["a1"]


def test_statements_to_score_give_clause_relative_spans(tmp_path):
    store = Store(tmp_path / "t.db")
    store.add_articles([article()])
    store.save_statements("a1", "v1", [statement()])
    (row,) = store.statements_to_score("v1", "m1")
    assert row["text"] == "summoned the Russian ambassador."
    assert row["text"][slice(*row["target_spans"][0])] == "Russian"
    assert row["source_spans"] == ()  # the source lies outside the clause
    store.save_scores("m1", [(row["statement_id"], "k", -0.7, "hostile", 0.8)])
    assert store.statements_to_score("v1", "m1") == []
    assert store.cached_tones(["k", "other"]) == {"k": (-0.7, "hostile", 0.8)}
    store.set_meta("extractor", "v1")
    store.set_meta("tone_model", "m1")
    frame = store.statements_frame()
    assert frame.loc[0, ["source", "target", "label"]].tolist() == ["KOR", "RUS", "hostile"]
    assert str(frame["published"].dtype).startswith("datetime64")


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not SQLite " * 100)
    with pytest.raises(TrackerError, match="notes.txt.*--db"):
        Store(path)


def test_existing_data_survives_reopening(tmp_path):
    Store(tmp_path / "t.db").add_articles([article()])
    again = Store(tmp_path / "t.db")
    assert again.counts()["articles"] == 1
    assert sqlite3.connect(tmp_path / "t.db").execute("PRAGMA integrity_check").fetchone() == ("ok",)
