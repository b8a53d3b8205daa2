"""The shape of the package: the runtime never imports the workbench, never names a path outside
the installed package, and no module outgrows its idea."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tracker"
RUNTIME = sorted(p for p in PACKAGE.rglob("*.py") if "lab" not in p.relative_to(PACKAGE).parts)
#: The extractor's rule file may run longer: its rules read best together.
LONG_ALLOWED = {"extract/rules.py"}


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules ``path`` imports, wherever the import stands."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if path.name != "__init__.py":
        package = package.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[:len(parts) - node.level + 1] + ([base] if base else []))
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)
    return out


def test_the_runtime_never_imports_the_workbench():
    assert len(RUNTIME) > 20
    offenders = {str(p.relative_to(PACKAGE)): sorted(m for m in _imports(p)
                                                     if m == "tracker.lab"
                                                     or m.startswith("tracker.lab."))
                 for p in RUNTIME}
    assert not {k: v for k, v in offenders.items() if v}


def test_the_import_checker_sees_every_form_of_import(tmp_path, monkeypatch):
    # A checker that cannot fail is no check: these forms must all be caught.
    pkg = tmp_path / "tracker"
    (pkg / "sub").mkdir(parents=True)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", pkg)
    cases = {"a.py": "import tracker.lab.train\n",
             "b.py": "def f():\n    from tracker.lab import cli\n",
             "sub/c.py": "from ..lab import gold\n"}
    for name, text in cases.items():
        (pkg / name).write_text(text)
        assert any(m.startswith("tracker.lab") for m in _imports(pkg / name)), name


def test_only_the_network_modules_and_the_onnx_builder_import_torch():
    heavy = {str(p.relative_to(PACKAGE)) for p in RUNTIME
             if {m.split(".")[0] for m in _imports(p)} & {"torch", "transformers"}}
    assert heavy == {"tone/net.py", "reader/net.py", "tone/onnx.py"}
    # ...and nothing imports them at `import tracker` or at the import of a stage.
    for p in RUNTIME:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        names = {a.name for n in top for a in n.names} | {
            f"{n.module}.{a.name}" for n in top if isinstance(n, ast.ImportFrom) and n.module
            for a in n.names}
        if p.name != "net.py":
            assert not {"tracker.tone.net", "tracker.reader.net", "torch"} & names, p


# What a runtime module may not do to find its files: walk up from its own file, name the
# checkout's folders, or ask git.
OUTSIDE = re.compile(r"__file__|\.parents\[|\bshared[/\"']|\bbenchmarks\b|[\"']seeds[/\"']|"
                     r"\bcorpus/|\bsubprocess\b|[\"']git[\"']")


#: The command line resolves its defaults relative to the current folder, as a user types them.
ALLOWED = {"cli.py": ('seeds = Path("seeds")',)}


@pytest.mark.parametrize("path", RUNTIME, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_runtime_module_names_a_path_outside_the_package(path):
    hits = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        code = line.split("#", 1)[0].strip()
        if code.startswith(('"', "'", ">>>", "...")) or code in ALLOWED.get(path.name, ()):
            continue
        if OUTSIDE.search(code):
            hits.append(f"{n}: {code}")
    assert not hits


def test_modules_stay_small():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert set(long) <= LONG_ALLOWED, long
