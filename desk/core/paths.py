"""Where desk keeps its data and finds the files it ships."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "desk"


def data_dir() -> Path:
    """Backups, logs and the demo city (`DESK_DATA_DIR` overrides, for a portable desk
    and for tests)."""
    override = os.environ.get("DESK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    """Files desk makes to be opened and then forgotten: a packet to look at, an
    attachment to view (`DESK_CACHE_DIR` overrides)."""
    override = os.environ.get("DESK_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def viewing_folder(prefix: str = "view") -> Path:
    """A new folder under the cache for a file handed to another program to show; those
    older than a day are cleared first (the viewer has long read them by then)."""
    import shutil
    import tempfile
    import time

    root = cache_dir() / "viewing"
    root.mkdir(parents=True, exist_ok=True)
    day_ago = time.time() - 24 * 3600
    for old in root.iterdir():
        try:
            if old.stat().st_mtime < day_ago:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=root))


def config_dir() -> Path:
    """Per-user settings desk keeps outside any database (`DESK_CONFIG_DIR` overrides)."""
    override = os.environ.get("DESK_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    import platformdirs

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
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def desk_command() -> list[str]:
    """How to start desk again: the frozen app itself, or this Python with the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-m", "desk"]
