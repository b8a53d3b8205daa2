"""The notebooks run top to bottom."""
from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))

pytestmark = pytest.mark.slow


#: What each notebook must show a reader (text of its outputs).
SHOWS = {
    "01_seed_week.ipynb": ["statements", "KOR", "RUS", "speech:"],
    "02_weekly_report.ipynb": ["statements", "2025-W11", "# "],
    "03_compare_pairs.ipynb": ["n_statements"],
    "04_one_pair_in_depth.ipynb": ["2022-W08", "sentence", "weight"],
    "05_events_beside_text.ipynb": ["2018-W22", "pair-weeks in both", "in the events"],
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_shows_its_results(path, shared_data, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    # The kernel draws inline, as in Jupyter (the test session itself draws with Agg).
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(path, as_version=4)
    # Run from the notebook's own folder, as a reader would (it finds ../seeds there); a
    # failing cell raises here.
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    shown = "\n".join(
        o.get("text", "") if o.get("output_type") == "stream"
        else "\n".join(o.get("data", {}).get("text/plain", ""))
        if isinstance(o.get("data", {}).get("text/plain"), list)
        else o.get("data", {}).get("text/plain", "")
        for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    for expected in SHOWS[path.name]:
        assert expected in shown, (path.name, expected)
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert images, f"{path.name} shows no chart"


def test_there_are_notebooks():
    assert NOTEBOOKS
