"""Every file dialog of the window: one place, made never to read the database's files.

To show a file's type and icon, Qt's dialog reads the start of each file in the folder
(QMimeDatabase), and a platform dialog may do the same inside this process. On POSIX
systems closing that one read drops every lock the process holds on the file, so a
glance into the database's folder would unlock the window's database in silence (see
`desk.core.live`). These dialogs are Qt's own, with an icon provider that looks at names
only, and they hide the files nobody picks by hand: a database's -wal, -shm and
-journal files, its .lock, and half-written .partial files. Windows keeps its own
dialog: its locks belong to a handle and are not dropped by another one closing.

They also remember the last folder used, so a second export opens where the first went.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QFileInfo, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFileIconProvider,
    QFileSystemModel,
    QStyle,
    QWidget,
)

from desk.core.disk.live import COMPANIONS
from desk.ui.settings import settings

LAST_FOLDER_KEY = "files/last_folder"
_HIDDEN_ENDINGS = (*COMPANIONS, ".partial")
# Windows' locks are not dropped when another handle closes; elsewhere they are.
USE_QT_DIALOG = sys.platform != "win32"


class NameOnlyIcons(QFileIconProvider):
    """Icons and type names from a file's name alone: never opens the file."""

    def icon(self, what: object) -> QIcon:
        style = QApplication.style()
        if isinstance(what, QFileInfo):
            if what.isRoot():
                return style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
            if what.isDir():
                return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
            return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)
        if what == QFileIconProvider.IconType.Folder:
            return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon)
        if what == QFileIconProvider.IconType.Drive:
            return style.standardIcon(QStyle.StandardPixmap.SP_DriveHDIcon)
        return style.standardIcon(QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        suffix = info.suffix()
        return f"{suffix.upper()} file" if suffix else "File"


class _HideCompanions(QSortFilterProxyModel):
    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        if isinstance(model, QFileSystemModel):
            name = model.fileName(model.index(source_row, 0, source_parent))
            if name.endswith(_HIDDEN_ENDINGS):
                return False
        return True


def last_folder() -> Path:
    stored = settings().value(LAST_FOLDER_KEY)
    if isinstance(stored, str) and stored and Path(stored).is_dir():
        return Path(stored)
    return Path.home()


def _remember(chosen: Path) -> None:
    settings().setValue(LAST_FOLDER_KEY, str(chosen.parent))


def make_dialog(
    parent: QWidget | None, title: str, start: Path, filters: str, *, saving: bool
) -> QFileDialog:
    """The dialog as the window shows it; tests open it without exec()."""
    dialog = QFileDialog(parent, title, str(start), filters)
    dialog.setAcceptMode(
        QFileDialog.AcceptMode.AcceptSave if saving else QFileDialog.AcceptMode.AcceptOpen
    )
    dialog.setFileMode(
        QFileDialog.FileMode.AnyFile if saving else QFileDialog.FileMode.ExistingFile
    )
    if USE_QT_DIALOG:
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setIconProvider(NameOnlyIcons())
        dialog.setProxyModel(_HideCompanions(dialog))
    return dialog


def _start(suggested: str | Path | None) -> Path:
    if suggested is None or str(suggested) == "":
        return last_folder()
    given = Path(suggested)
    if given.is_absolute():
        return given
    return last_folder() / given  # a bare file name goes in the last folder used


def _ask(dialog: QFileDialog) -> Path | None:
    if not dialog.exec():
        return None
    chosen = dialog.selectedFiles()
    if not chosen or not chosen[0]:
        return None
    path = Path(os.path.abspath(chosen[0]))
    _remember(path)
    return path


def save_path(
    parent: QWidget | None, title: str, suggested: str | Path, filters: str
) -> Path | None:
    """Where to write a file, or None when the person cancels."""
    return _ask(make_dialog(parent, title, _start(suggested), filters, saving=True))


def save_path_and_filter(
    parent: QWidget | None, title: str, suggested: str | Path, filters: str
) -> tuple[Path | None, str]:
    """As `save_path`, with the file type the person picked (for charts: PNG or SVG)."""
    dialog = make_dialog(parent, title, _start(suggested), filters, saving=True)
    path = _ask(dialog)
    return path, dialog.selectedNameFilter()


def open_path(
    parent: QWidget | None, title: str, filters: str = "", folder: str | Path | None = None
) -> Path | None:
    """A file to read, or None when the person cancels."""
    return _ask(make_dialog(parent, title, _start(folder), filters, saving=False))
