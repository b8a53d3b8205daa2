"""Files of the workbench: JSON of model folders, paths as a reader of a card sees them, the code
version a model was made with."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path


def read_json(path: str | os.PathLike) -> dict:
    """A JSON file of a model folder (recipe or measurements)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_json(path: str | os.PathLike, obj: dict) -> None:
    Path(path).write_text(json.dumps(obj, indent=2, default=float) + "\n", encoding="utf-8")


def display_path(path: Path) -> str:
    """``path`` relative to the current folder (the repository root, when run from there)."""
    path = Path(path).resolve()
    here = Path.cwd().resolve()
    for root, prefix in ((here, ""), (here.parent, "../")):
        try:
            return prefix + str(path.relative_to(root))
        except ValueError:
            continue
    return str(path)


def code_version() -> str:
    """The git commit of the current folder's checkout (``+uncommitted-changes`` if the package
    differs from it), or ``"unknown"`` outside a checkout."""
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10)
        if out.returncode == 0 and out.stdout.strip():
            dirty = subprocess.run(["git", "status", "--porcelain", "--", "tracker"],
                                   capture_output=True, text=True, timeout=10).stdout.strip()
            return out.stdout.strip() + ("+uncommitted-changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return "unknown"
