"""Ingest: read news files and give cleaned, dated, content-addressed articles.

Takes paths to files or folders of ``.txt``, ``.md``, ``.html``/``.htm``, ``.jsonl`` and ``.csv``;
gives :class:`Article` records. The cleaned ``Article.text`` is what the store keeps and what every
later stage indexes into, so all cleaning happens here and nowhere else.

Cleaning (see :func:`clean_text`) removes page furniture (reading-time lines, "Read also" links,
wire credits, share/subscribe lines), normalises curly and guillemet quotes to ASCII, tidies the
spaces around quotes and punctuation, drops a repeated headline and keeps paragraphs apart with
``"\\n\\n"``. ``Article.id`` is a hash of the cleaned text, so one story read from two files (even
with different furniture around it) gets one id.

The publication date comes from metadata if there is any, else from the ``date`` argument (the
CLI's ``--date``), else from the text itself (see :func:`infer_date`); ``Article.date_method`` says
which.
"""
from tracker.ingest.articles import Article, read_articles
from tracker.ingest.clean import (clean_text, content_id, drop_repeated_headline, fix_quote_spacing,
                                  is_furniture, looks_like_headline, normalise_quotes)
from tracker.ingest.dates import infer_date, parse_date
from tracker.ingest.html import html_to_text
from tracker.ingest.readers import SUPPORTED_SUFFIXES

__all__ = [
    "Article",
    "SUPPORTED_SUFFIXES",
    "read_articles",
    "clean_text",
    "normalise_quotes",
    "fix_quote_spacing",
    "is_furniture",
    "drop_repeated_headline",
    "looks_like_headline",
    "content_id",
    "parse_date",
    "infer_date",
    "html_to_text",
]
