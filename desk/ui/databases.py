"""Which database a window shows: File > New, Open, Open Recent, and the demo city in a
file of its own (never written into the user's own records).

Each database opens in a window of its own process, as `desk --db FILE` would: one
window per database is what the lock in `core.holder` keeps, and a second process
keeps a slow import in one city from freezing another.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.core.errors import DeskError
from desk.core.paths import data_dir, desk_command
from desk.core.store import db as dbmod
from desk.ui.settings import settings

RECENT_KEY = "files/recent"
RECENT_COUNT = 8
FILE_FILTER = "desk databases (*.sqlite *.desk);;All files (*)"


def demo_path() -> Path:
    return data_dir() / "demo" / "Port Meridian demo.sqlite"


def recent_files() -> list[Path]:
    stored = settings().value(RECENT_KEY) or []
    names = [stored] if isinstance(stored, str) else list(stored)
    return [Path(name) for name in names if name]


def remember(path: Path) -> None:
    """Put a database at the top of File > Open Recent. Where it is there already (most
    starts open the file opened last), the settings file is not written again."""
    resolved = str(Path(path).resolve())
    known = [str(p) for p in recent_files()]
    names = ([resolved] + [name for name in known if name != resolved])[:RECENT_COUNT]
    if names != known:
        settings().setValue(RECENT_KEY, names)


def open_window(parent: QWidget | None, path: Path) -> bool:
    """A window on `path`, in a process of its own."""
    from PySide6.QtCore import QProcess  # not loaded for the first paint

    program, *arguments = desk_command()
    started = QProcess.startDetached(program, [*arguments, "--db", str(path)])
    ok = bool(started[0] if isinstance(started, tuple) else started)
    if not ok:
        QMessageBox.warning(parent, "desk", f"desk could not open a window on {path}.")
    return ok


def new_database(parent: QWidget | None) -> Path | None:
    """Ask where, make an empty desk database there, and open it."""
    from desk.ui import file_dialogs  # its Qt classes load when a dialog is first asked for

    path = file_dialogs.save_path(
        parent, "New database", data_dir() / "My city.sqlite", FILE_FILTER
    )
    if path is None:
        return None
    if path.suffix == "":
        path = path.with_suffix(".sqlite")
    if path.exists():
        QMessageBox.warning(
            parent,
            "New database",
            f"{path} already exists; choose File > Open to open it, or another name.",
        )
        return None
    try:
        dbmod.open_database(path, create=True).close()
    except (DeskError, OSError) as exc:
        QMessageBox.warning(parent, "New database", f"{path} could not be made: {exc}")
        return None
    remember(path)
    open_window(parent, path)
    return path


def open_database_file(parent: QWidget | None, current: Path) -> Path | None:
    from desk.ui import file_dialogs

    chosen = file_dialogs.open_path(parent, "Open a database", FILE_FILTER, current.parent)
    if chosen is None:
        return None
    return open_recent(parent, current, chosen)


def open_recent(parent: QWidget | None, current: Path, path: Path) -> Path | None:
    if path.resolve() == current.resolve():
        return None  # already open here
    if not path.is_file():
        QMessageBox.warning(parent, "desk", f"There is no database at {path} any more.")
        return None
    remember(path)
    open_window(parent, path)
    return path
