"""Files written whole or not at all: through a temporary file in the same folder and a rename,
so a run killed while writing, or a full disk, leaves the old file or the new one, never a
part."""
from __future__ import annotations

import contextlib
import os
from pathlib import Path


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` (see the module)."""
    with open_atomic(path, "wb") as fh:
        fh.write(data)


@contextlib.contextmanager
def open_atomic(path: str | os.PathLike, mode: str = "w", **kwargs):
    """A file object for ``path`` that takes its place, flushed to disk, only when the block
    ends normally."""
    path = Path(path)
    tmp = _temporary(path)
    fh = open(tmp, mode, **kwargs)
    try:
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
