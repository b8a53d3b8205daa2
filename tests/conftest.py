"""Shared fixtures: paths, the real data folder, and expensive objects built once per session."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
# What the tracker builds from its models on this machine (the reader's ONNX files) goes to a
# folder of this test session, not to the user's cache.
os.environ.setdefault("TRACKER_CACHE", tempfile.mkdtemp(prefix="tracker-test-cache-"))

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return ROOT / "seeds" / "000_38975f3c750645bc.txt"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not beside the checkout")
    return SHARED_DATA


@pytest.fixture(scope="session")
def press_conference(shared_data):
    """A real White House transcript: President Biden and Prime Minister Suga with the press,
    2021-04-16 (turns "PRESIDENT BIDEN:", "PRIME MINISTER SUGA:" and bare "Q" questions)."""
    import gzip
    import json

    wanted = ("wh-2021-04-16-remarks-by-president-biden-and-prime-minister-suga-of-japan-at-"
              "press-conference")
    path = shared_data / "whitehouse" / "remarks_briefings_2021_2026.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        row = next(r for r in map(json.loads, fh) if r["id"] == wanted)
    return row["text"], row["published"]


@pytest.fixture(scope="session")
def tone_model():
    """The shipped tone model with its real encoder, loaded once per session."""
    from tracker.tone import ToneModel

    return ToneModel.load()


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory, tone_model):
    """The whole pipeline on the seed article, once per session: (db path, out dir, summary)."""
    from tracker.pipeline import run

    base = tmp_path_factory.mktemp("seed-run")
    db, out = base / "tracker.db", base / "out"
    summary = run([ROOT / "seeds"], db=db, out=out, model=tone_model)
    return db, out, summary


@pytest.fixture
def pyplot():
    """matplotlib.pyplot, with every figure closed after the test."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def wcep_items(path: Path, first: str, before: str) -> Path:
    """Write the Wikipedia Current Events items dated ``first`` <= published < ``before`` to
    ``path`` (JSONL, as the tracker reads them)."""
    import gzip

    with gzip.open(SHARED_DATA / "wcep" / "wcep_2002_2024.jsonl.gz", "rt",
                   encoding="utf-8") as fh, open(path, "w", encoding="utf-8") as out:
        for line in fh:
            if first <= json.loads(line)["published"] < before:
                out.write(line)
    return path

