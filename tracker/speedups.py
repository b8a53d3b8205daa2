"""Compiled copies of the extraction stage's hot modules: optional, for speed, never stale.

Extraction is rule code in plain Python (``extract.py``) over the gazetteer (``actors.py``).
``tracker compile`` compiles both, unchanged, with Cython into ``tracker/_compiled/``
(``make setup`` does it; about a minute). The statements are the same either way (tested);
the compiled modules run about 1.3x faster.

Each compiled file is named after the SHA-256 of the source it was built from, and
``tracker`` imports it in place of the Python module only while that source is unchanged: an
edited module runs as plain Python until it is rebuilt, never as a stale copy. Set
``TRACKER_PURE_PYTHON=1`` to run the Python modules regardless.
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from tracker.errors import TrackerError

PACKAGE_DIR = Path(__file__).resolve().parent
COMPILED_DIR = PACKAGE_DIR / "_compiled"
#: The modules worth compiling: nearly all of extraction's time is spent in them.
MODULES = ("extract", "actors")
_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]


def _digest(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()[:16]


def compiled_path(module: str) -> Path:
    """Where the compiled copy of ``tracker.<module>``'s current source is (or would be)."""
    source = (PACKAGE_DIR / f"{module}.py").read_bytes()
    return COMPILED_DIR / f"{module}-{_digest(source)}{_SUFFIX}"


class _Finder(importlib.abc.MetaPathFinder):
    """Finds ``tracker.extract`` and ``tracker.actors`` in ``_compiled/`` when a copy built
    from their current source is there; otherwise leaves them to the usual import."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, module = fullname.rpartition(".")
        if package != __package__ or module not in MODULES \
                or os.environ.get("TRACKER_PURE_PYTHON"):
            return None
        try:
            so = compiled_path(module)
        except OSError:
            return None
        if not so.is_file():
            return None
        # (An extension module's init function is named after the last part of the module
        # name, not after its file, so the digest in the file name is harmless.)
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(so))
        return importlib.util.spec_from_file_location(fullname, so, loader=loader)


def install() -> None:
    """Let ``import tracker.extract`` take a compiled copy when one matches the source."""
    if not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())


def toolchain_missing() -> str | None:
    """What compiling would need and this machine lacks (None: nothing)."""
    if importlib.util.find_spec("Cython") is None:
        return "Cython is not installed: pip install 'cython>=3'"
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed: pip install setuptools"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").is_file():
        return "Python's C headers are missing: install the python3-dev package"
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        return f"no C compiler ({cc}) on this machine: install one"
    return None


def build(modules=MODULES) -> list[Path]:
    """Compile ``modules`` with Cython into ``_compiled/``; remove their older copies.

    Returns the paths written. Raises TrackerError (one line) when Cython or a C compiler is
    missing, or when compiling fails.
    """
    missing = toolchain_missing()
    if missing:
        raise TrackerError(f"{missing} (extraction runs as plain Python meanwhile).")
    with tempfile.TemporaryDirectory() as tmp:
        # Compiled inside a package named like ours, so that the compiled module is
        # "tracker.extract" (its classes pickle and unpickle under that name).
        package = Path(tmp) / "tracker"
        package.mkdir()
        (package / "__init__.py").write_text("")
        sources = {}
        for module in modules:
            sources[module] = (PACKAGE_DIR / f"{module}.py").read_bytes()
            (package / f"{module}.py").write_bytes(sources[module])
        run = subprocess.run(
            [sys.executable, "-m", "Cython.Build.Cythonize", "-i", "-3", "-q",
             "-j", str(min(len(modules), os.cpu_count() or 1)),
             *(f"tracker/{module}.py" for module in modules)],
            cwd=tmp, capture_output=True, text=True)
        if run.returncode != 0:
            last = (run.stderr.strip() or run.stdout.strip() or "no output").splitlines()[-1]
            raise TrackerError(f"compiling {', '.join(modules)} failed: {last}")
        try:
            COMPILED_DIR.mkdir(exist_ok=True)
            written = [_install(package, module, sources[module]) for module in modules]
        except OSError as exc:
            raise TrackerError(f"{COMPILED_DIR}: cannot write the compiled modules "
                               f"({exc.strerror}); run `tracker compile` as a user who can "
                               "write the package folder.") from exc
    return written


def _install(package: Path, module: str, source: bytes) -> Path:
    """Move one freshly built module into ``_compiled/`` under its source's digest."""
    built = package / f"{module}{_SUFFIX}"
    if not built.is_file():
        raise TrackerError(f"compiling {module} wrote no {built.name}; run "
                           f"cythonize -i tracker/{module}.py by hand to see why.")
    for old in COMPILED_DIR.glob(f"{module}-*{_SUFFIX}"):
        old.unlink()
    target = COMPILED_DIR / f"{module}-{_digest(source)}{_SUFFIX}"
    shutil.copyfile(built, target.with_suffix(".tmp"))
    os.replace(target.with_suffix(".tmp"), target)  # (atomic: no half-written module)
    return target
