"""Where desk keeps its data and finds the files it ships."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "desk"


def data_dir() -> Path:
    """Backups, logs and the demo city (`DESK_DATA_DIR` overrides, for a portable desk
    and for tests)."""
    override = os.environ.get("DESK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    """Per-user settings desk keeps outside any database (`DESK_CONFIG_DIR` overrides)."""
    override = os.environ.get("DESK_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    """The database used when none is named: `DESK_DB`, else the user data dir."""
    override = os.environ.get("DESK_DB")
    if override:
        return Path(override).expanduser()
    return data_dir() / "desk.sqlite"


def resources_dir() -> Path:
    # A frozen build unpacks `resources/` beside the code; a checkout keeps it at the top.
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def desk_command() -> list[str]:
    """How to start desk again: the frozen app itself, or this Python with the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desk"]
