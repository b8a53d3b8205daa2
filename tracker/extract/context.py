"""Actors of a sentence and what an article has established so far (who is who)."""
from __future__ import annotations

import collections
from dataclasses import dataclass, field

from tracker.extract.actors import Gazetteer


@dataclass(slots=True)
class _Actor:
    """A country actor phrase in a sentence (sentence-relative offsets)."""

    start: int
    end: int
    iso3: str
    text: str
    is_actor: bool          # an agent (official, institution, country name), not just a modifier
    person: str | None = None
    gender: str | None = None
    resolved: str = ""      # how a back-reference was resolved, for the rule name
    excluded: str = ""      # why this mention is neither source nor target ("place", "group")


@dataclass
class _Context:
    """What the article has established so far (who is who)."""

    persons: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> iso3, gender
    # (name, family name, iso3, gender) of each person, in the order of ``persons``.
    family_names: list[tuple[str, str, str, str | None]] = field(default_factory=list)
    last_person: list[tuple[str, str, str | None]] = field(default_factory=list)  # name, iso3, g
    # The latest person who spoke (name, iso3 or "" for no state, gender): '"...," he added'.
    last_speaker: tuple[str, str, str | None] | None = None
    last_ministry: str | None = None
    last_subject_country: str | None = None
    last_pair: tuple[str, str] | None = None
    seen_countries: set[str] = field(default_factory=set)
    south_north: dict[str, str] = field(default_factory=dict)
    speaker: str | None = None
    sentences_with_country: int = 0
    gaz: Gazetteer | None = None
    low_forms: tuple[str, ...] | None = None  # the gazetteer's lower-case forms in the article
    actors: list = field(default_factory=list)  # the actors of the sentence being read
    # Statements so far per country pair: the story's main pair gives an implied target.
    pair_counts: collections.Counter = field(default_factory=collections.Counter)

    def counterpart(self, iso3: str) -> str | None:
        """The other country of the story's main pair (the pair with most statements so far,
        at least two), if ``iso3`` is in it."""
        if not self.pair_counts:
            return None
        pair, n = self.pair_counts.most_common(1)[0]
        if n < 2 or iso3 not in pair:
            return None
        return next(iter(pair - {iso3}), None)
