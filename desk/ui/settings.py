"""Window state remembered between runs (geometry, splitters, columns)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings


def settings() -> QSettings:
    # DESK_SETTINGS lets tests and portable installs keep state in a file of their own.
    override = os.environ.get("DESK_SETTINGS")
    if override:
        path = Path(override)
    else:
        import platformdirs  # only here: its import is felt in the window's start-up

        path = Path(platformdirs.user_config_dir("desk", appauthor=False)) / "desk.ini"
    return QSettings(str(path), QSettings.Format.IniFormat)
