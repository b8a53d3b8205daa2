"""The package as a user installs it: a wheel built from the checkout, installed into a fresh
virtual environment, run from another folder with no checkout on the Python path."""
from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(args, **kwargs):
    out = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert out.returncode == 0, (args, out.stdout[-2000:], out.stderr[-2000:])
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python, tracker script) of a fresh environment holding only the wheel; the third-party
    dependencies (torch, transformers, ...) are lent from this environment's site-packages, so
    that the test needs no download. A path line in a .pth file adds that folder without
    reading the .pth files inside it, so this environment's editable install of the checkout
    stays out."""
    base = tmp_path_factory.mktemp("install")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
          str(ROOT), "-w", str(base / "dist")])
    (wheel,) = (base / "dist").glob("tracker-*.whl")
    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
                     ).stdout.strip())
    (site / "_lent_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q",
          str(wheel)])
    return python, env_dir / "bin" / "tracker", base


def test_the_wheel_runs_outside_the_checkout(installed, seed_path):
    python, tracker, base = installed
    where = base / "elsewhere"
    (where / "news").mkdir(parents=True)
    (where / "news" / "story.txt").write_bytes(seed_path.read_bytes())
    clean_env = {"PATH": "/usr/bin:/bin", "HOME": str(base), "HF_HUB_OFFLINE": "1",
                 "TRANSFORMERS_OFFLINE": "1", "MPLBACKEND": "Agg"}
    # The package, its data and its model come from the environment, not from the checkout.
    probe = _run([str(python), "-c", "import sys, tracker, tracker.tone as t; "
                  "print(tracker.__file__); print(t.default_model_path()); print(sys.path)"],
                 cwd=where, env=clean_env).stdout.splitlines()
    assert probe[0].startswith(str(base / "venv")) and probe[1].startswith(str(base / "venv"))
    path = eval(probe[2])  # sys.path as printed
    assert str(ROOT) not in path and "" not in path[1:], path
    out = _run([str(tracker), "run", "news", "--db", "x.db", "--out", "reports"], cwd=where,
               env=clean_env)
    assert "statements" in out.stdout
    report = where / "reports" / "report-2024-W05.html"
    assert report.is_file() and "KOR" in report.read_text(encoding="utf-8")
    # Without an input and without a seeds/ folder here, one line says what to pass.
    bare = subprocess.run([str(tracker), "run", "--db", "y.db"], cwd=where, env=clean_env,
                          capture_output=True, text=True, timeout=300)
    assert bare.returncode == 2 and "no PATH given" in bare.stderr
    assert "Traceback" not in bare.stderr


def test_the_workbench_ships_beside_the_runtime_but_is_its_own_command(installed):
    python, tracker, base = installed
    assert (tracker.parent / "tracker-lab").is_file()
    listed = _run([str(tracker), "--help"]).stdout
    assert "run" in listed and "train" not in listed
