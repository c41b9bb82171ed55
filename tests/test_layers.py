"""The layers: core, io and reports never import Qt; every import points down the house's
arrows; no module imports itself by way of others."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import desk


def _modules(package: str) -> list[str]:
    found = [package]
    path = [str(p) for p in __import__(package, fromlist=["x"]).__path__]
    found += [f"{package}.{m.name}" for m in pkgutil.walk_packages(path)]
    return found


def test_lower_layers_never_import_qt() -> None:
    names = [m for layer in ("desk.core", "desk.io", "desk.reports") for m in _modules(layer)]
    # jobs runs in a child process that must start without Qt.
    names += ["desk.cli.main", "desk.core.paths", "desk.ui.jobs"]
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
    offenders += [name for name in ("ui/jobs.py",) if "PySide6" in (root / name).read_text("utf-8")]
    assert offenders == []


# -- the house's arrows --------------------------------------------------------------------
#
# Each room of the package and the rooms it may import from (beside itself and the
# `desk` package's own version). Arrows only point down: a new import against them, or
# any import circle between modules, fails here, with the imports at fault named.

_CORE = {
    "core.base",  # errors, paths: what everything uses
    "core.disk",
    "core.reference",
    "core.text",
    "core.domain",
    "core.store",
    "core.features",
    "core.safety",
    "core.demo",
}
ALLOWED: dict[str, set[str]] = {
    "core.base": set(),
    "core.disk": {"core.base"},
    "core.reference": {"core.base"},
    "core.text": {"core.base"},
    "core.domain": {"core.base", "core.reference"},
    "core.store": {"core.base", "core.disk", "core.reference", "core.text", "core.domain"},
    "core.features": {"core.base", "core.disk", "core.reference", "core.domain", "core.store"},
    "core.safety": {"core.base", "core.disk", "core.reference", "core.domain", "core.store"},
    "core.demo": {"core.base", "core.reference", "core.domain", "core.store", "core.features"},
    "io": _CORE - {"core.demo"},
    "reports.writers": _CORE - {"core.demo", "core.safety"},
    "reports.survey": _CORE - {"core.demo"} | {"reports.writers"},
    "reports.briefing": _CORE - {"core.demo"} | {"reports.writers"},
    "reports.dossier": _CORE - {"core.demo"} | {"reports.writers"},
    "reports.letters": _CORE - {"core.demo"} | {"reports.writers"},
    "reports.renewal": _CORE - {"core.demo"} | {"reports.writers", "reports.base"},
    # figures.py counts for the dashboard and the annual report, as the survey counts.
    "reports.base": _CORE - {"core.demo"} | {"reports.survey"},
    "reports.annual": _CORE - {"core.demo"} | {"reports.writers", "reports.base", "reports.survey"},
    "ui": _CORE
    | {"io", "reports.writers", "reports.survey", "reports.briefing"}
    | {"reports.dossier", "reports.annual", "reports.base", "reports.letters", "reports.renewal"},
    "cli": _CORE
    | {"io", "ui", "reports.writers", "reports.survey", "reports.briefing"}
    | {"reports.dossier", "reports.annual", "reports.base", "reports.letters", "reports.renewal"},
    "main": {"cli"},
}


def _room(module: str) -> str:
    parts = module.split(".")[1:]
    if not parts or parts == ["__main__"]:
        return "main" if parts else "desk"
    if parts[0] in ("core", "reports"):
        folder = Path(desk.__file__).parent / parts[0] / parts[1] if len(parts) > 1 else None
        return f"{parts[0]}.{parts[1]}" if folder and folder.is_dir() else f"{parts[0]}.base"
    return parts[0]


def _imports() -> dict[str, set[str]]:
    """Module -> the desk modules it imports, anywhere in it (inside functions too)."""
    root = Path(desk.__file__).parent
    modules: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    found: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [f"{node.module}.{alias.name}" for alias in node.names]
            for target in targets:
                resolved = known(target) if target.startswith("desk") else None
                if resolved and resolved != name:
                    found[name].add(resolved)
    return found


def test_every_import_points_down_the_house() -> None:
    against = sorted(
        f"{module} -> {target}"
        for module, targets in _imports().items()
        for target in targets
        if _room(target) not in {_room(module), "desk"}
        and _room(target) not in ALLOWED[_room(module)]
    )
    assert against == []


def test_no_module_imports_itself_by_way_of_others() -> None:
    imports = _imports()
    circles = []
    for start in imports:
        # A path back to `start` through what it imports is a circle.
        seen, stack = set(), [(start, [start])]
        while stack:
            module, path = stack.pop()
            for target in imports[module]:
                if target == start:
                    circles.append(" -> ".join([*path, start]))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, [*path, target]))
    assert circles == []


def test_every_room_is_declared() -> None:
    rooms = {_room(module) for module in _imports()} - {"desk"}
    assert rooms <= set(ALLOWED), rooms - set(ALLOWED)


def test_one_rule_keeps_every_cell_desk_writes_from_becoming_a_formula() -> None:
    """The rule is declared once (core/text/cells) and no module keeps its own."""
    root = Path(desk.__file__).parent
    own = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "cells.py" and "FORMULA_START = " in path.read_text("utf-8")
    ]
    assert own == []
    from desk.core.text.cells import FORMULA_START, csv_safe

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert start in FORMULA_START
        assert csv_safe(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
