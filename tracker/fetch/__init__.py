"""Fetching: sources in, fetched feeds and pages out.

One file per idea: ``sources`` (what to fetch), ``http`` (the polite fetcher: :class:`Fetcher`,
:class:`Fetched`, :func:`decode`), ``urls`` (:func:`canonical_url`, :func:`host_of`),
``feeds`` (a feed's items), ``page`` (a page's article text) and ``collect`` (all of them,
through the store). Importing the package is cheap: ``requests`` loads on the first fetch.
"""
from tracker.fetch.http import Fetched, Fetcher, decode
from tracker.fetch.urls import canonical_url, host_of

__all__ = ["Fetched", "Fetcher", "canonical_url", "decode", "host_of"]
