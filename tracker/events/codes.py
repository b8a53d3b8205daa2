"""CAMEO and PLOVER event codes: their Goldstein weights, quad classes and descriptions.

Takes the packaged tables ``tracker/data/cameo.tsv`` (GDELT's Goldstein weight per CAMEO code)
and ``tracker/data/plover.tsv`` (a weight per PLOVER event class, derived from CAMEO; see
``tracker/data/EVENTS.md``); gives :class:`Code` records by code. The tables are read once, on
first use.
"""
from __future__ import annotations

import csv
import importlib.resources
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(str(importlib.resources.files("tracker"))) / "data"


@dataclass(frozen=True)
class Code:
    """One event code: ``goldstein`` in [-10, 10], ``quad_class`` 1-4 (or None)."""

    code: str
    goldstein: float
    quad_class: int | None
    description: str


def quad_class(code: str) -> int:
    """GDELT's quad class of a CAMEO code, from its two-digit root.

    Roots 01-05 are verbal cooperation (1), 06-09 material cooperation (2), 10-14 verbal
    conflict (3), 15-20 material conflict (4).

    Examples
    --------
    >>> quad_class("043"), quad_class("0874"), quad_class("190")
    (1, 2, 4)
    """
    root = int(code[:2])
    if not 1 <= root <= 20:
        raise ValueError(f"CAMEO code {code!r} has no root 01-20")
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def _read(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


@lru_cache(maxsize=1)
def cameo_codes() -> dict[str, Code]:
    """Every CAMEO code of GDELT's Goldstein table, by code (a string, leading zeros kept)."""
    return {row["code"]: Code(row["code"], float(row["goldstein"]), int(row["quad_class"]),
                              row["description"]) for row in _read("cameo.tsv")}


@lru_cache(maxsize=1)
def plover_codes() -> dict[str, Code]:
    """Every PLOVER event class (``"AGREE"``, ...), with its weight derived from CAMEO."""
    return {row["event"]: Code(row["event"], float(row["goldstein"]), int(row["quad_class"]),
                               row["event"].capitalize()) for row in _read("plover.tsv")}

