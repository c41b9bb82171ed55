"""The layers: core, io and reports never import Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import desk


def _modules(package: str) -> list[str]:
    found = [package]
    path = [str(p) for p in __import__(package, fromlist=["x"]).__path__]
    found += [f"{package}.{m.name}" for m in pkgutil.walk_packages(path)]
    return found


def test_lower_layers_never_import_qt() -> None:
    names = [m for layer in ("desk.core", "desk.io", "desk.reports") for m in _modules(layer)]
    # jobs runs in a child process that must start without Qt.
    names += ["desk.cli", "desk.paths", "desk.jobs"]
    assert len(names) > 8
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}: importlib.import_module(name)\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(qt))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"Qt imported below the UI layer: {result.stdout}"


def test_only_ui_mentions_qt_in_source() -> None:
    root = __import__("pathlib").Path(desk.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for layer in ("core", "io", "reports")
        for path in (root / layer).rglob("*.py")
        if "PySide6" in path.read_text("utf-8")
    ]
    offenders += [name for name in ("jobs.py",) if "PySide6" in (root / name).read_text("utf-8")]
    assert offenders == []
