"""The compiled copies of the extraction modules: used only when built from the current source,
and giving exactly the statements of the Python modules."""
from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys

import pytest

from tracker import speedups

# Extracts the VOA stories and some UN General Debate speeches (in speech mode) and prints the
# statements as JSON, with the file the extraction module was imported from.
_SCRIPT = r"""
import json, sys
from pathlib import Path
import tracker.extract as E
from tracker.ingest import read_articles
data = Path(sys.argv[1])
ex = E.Extractor()
out = []
for a in read_articles([data / "voa" / "voa_stories.jsonl"]):
    out += [list(map(str, (s.article_id, s.sentence_index, s.source, s.target, s.rule,
                           s.source_spans, s.target_spans, s.clause_start, s.clause_end)))
            for s in ex.extract(a.id, a.text, a.published)]
speeches = sorted((data / "ungd").rglob("*.txt"))[:40]
for f in speeches:
    out += [[f.name, s.sentence_index, s.source, s.target, s.rule]
            for s in ex.extract(f.name, f.read_text(errors="replace"), None, speaker=f.name[:3])]
print(json.dumps({"file": E.__file__, "statements": out}))
"""


@pytest.fixture
def finder(tmp_path, monkeypatch):
    monkeypatch.setattr(speedups, "COMPILED_DIR", tmp_path)
    monkeypatch.delenv("TRACKER_PURE_PYTHON", raising=False)
    return speedups._Finder()


def test_a_copy_built_from_other_source_is_never_used(finder, tmp_path):
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    (tmp_path / f"extract-0123456789abcdef{suffix}").write_bytes(b"stale")
    assert finder.find_spec("tracker.extract") is None


def test_a_copy_of_the_current_source_is_used_unless_turned_off(finder, monkeypatch):
    path = speedups.compiled_path("extract")
    path.write_bytes(b"not loaded here")
    spec = finder.find_spec("tracker.extract")
    assert spec is not None and spec.origin == str(path)
    assert isinstance(spec.loader, importlib.machinery.ExtensionFileLoader)
    assert finder.find_spec("tracker.actors") is None  # (not built)
    assert finder.find_spec("tracker.score") is None   # (never compiled)
    monkeypatch.setenv("TRACKER_PURE_PYTHON", "1")
    assert finder.find_spec("tracker.extract") is None


def test_compiled_copy_gives_the_same_statements(shared_data):
    if not all(speedups.compiled_path(m).is_file() for m in speedups.MODULES):
        pytest.skip("no compiled copy of the current source: run `tracker compile`")

    base = {k: v for k, v in os.environ.items() if k != "TRACKER_PURE_PYTHON"}

    def run(**env):
        out = subprocess.run([sys.executable, "-c", _SCRIPT, str(shared_data)], check=True,
                             capture_output=True, text=True, env={**base, **env})
        return json.loads(out.stdout)

    compiled, python = run(), run(TRACKER_PURE_PYTHON="1")
    assert compiled["file"].endswith(speedups._SUFFIX) and python["file"].endswith(".py")
    assert len(python["statements"]) > 1000
    assert compiled["statements"] == python["statements"]
