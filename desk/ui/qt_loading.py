"""Loading Qt for the window, without PySide6 reading desk's source as it goes.

PySide6 has optional features (snake_case names, true properties) that a module turns
on with `from __feature__ import ...`. To know which modules might, it reads the source
of every module named in an import after it loads, and looks for the word "PySide6":
at startup some 120 modules, 14 ms of the window's first paint. desk turns on no
feature, so each of its modules, and every module already loaded, is entered in
PySide6's table ahead: 0 ("uses PySide6, with no feature") for the window's modules,
-1 ("not a PySide6 module") for the rest. Where a later PySide6 keeps the table
elsewhere, nothing is entered and it reads the source as before.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import PySide6.QtCore  # noqa: F401  (loads PySide6's import hook and its table)

import desk


def _desk_modules() -> list[str]:
    root = Path(desk.__file__).parent
    names = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [s for s in subfolders if not s.startswith(("_", "."))]
        package = ".".join(Path(folder).relative_to(root.parent).parts)
        names.append(package)
        names += [f"{package}.{f[:-3]}" for f in files if f.endswith(".py") and f != "__init__.py"]
    return names


def enter_modules_ahead() -> int:
    """Enter desk's modules and those already loaded in PySide6's feature table; the
    number entered (0 where the table is not found)."""
    feature = sys.modules.get("shibokensupport.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return 0
    before = len(table)
    for name in _desk_modules():
        table.setdefault(name, 0 if name == "desk.ui" or name.startswith("desk.ui.") else -1)
    for name in list(sys.modules):
        if not name.startswith(("PySide6", "shiboken", "__feature__")):
            table.setdefault(name, -1)
    return len(table) - before
