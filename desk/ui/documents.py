"""A document made for the person: laid out in a child process, then offered to open or
save. The briefing packet and the hand-over dossier both go this way."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from desk.core.disk import files
from desk.core.errors import DeskError
from desk.core.paths import viewing_folder
from desk.ui import file_dialogs, tasks


def temporary_pdf(prefix: str, title: str, fallback: str) -> Path:
    """'Briefing - Mission to Kobe.pdf' in a folder of its own: names typed by people
    keep their letters, lose what a file system refuses."""
    slug = re.sub(r"[^\w\- ]+", "", title).strip() or fallback
    return viewing_folder("document") / f"{prefix} - {slug}.pdf"


def make(
    parent: QWidget,
    what: str,
    job: Callable[..., Path | tuple[Path, list[str]]],
    *args: Any,
    ready: Callable[[Path], None] | None = None,
) -> tasks.Task:
    """Lay out a document in a process of its own (reportlab and its fonts load there,
    never in the window) under a progress dialog with Cancel, then offer it, with what
    the job said the reader should know before it goes out (a job returns the file, or
    the file and those remarks)."""
    work = tasks.in_child(job, *args, stay=True)

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, tasks.Cancelled):
            QMessageBox.warning(parent, what, str(exc))

    def done(result: Path | tuple[Path, list[str]]) -> None:
        path, remarks = result if isinstance(result, tuple) else (result, [])
        if ready is not None:
            ready(path)
        offer(parent, path, what, remarks)

    return tasks.run(parent, f"Making the {what.lower()}", work, done, failed)


def offer(parent: QWidget, path: Path, what: str, remarks: Sequence[str] = ()) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(f"{what} ready")
    box.setText(f"The {what.lower()} is ready:\n{path.name}")
    if remarks:
        box.setIcon(QMessageBox.Icon.Information)
        box.setInformativeText("\n\n".join(remarks))
    open_button = box.addButton("Open", QMessageBox.ButtonRole.AcceptRole)
    save_button = box.addButton("Save as…", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    elif box.clickedButton() is save_button:
        kind = path.suffix.lstrip(".").upper() or "File"
        chosen = file_dialogs.save_path(
            parent, f"Save {what.lower()}", path.name, f"{kind} (*{path.suffix})"
        )
        if chosen is not None:
            try:
                # Through the same safe write as every file desk writes: never over the
                # database, its companions or a file being read.
                files.safe_write(chosen, path.read_bytes())
            except (DeskError, OSError) as exc:
                QMessageBox.warning(parent, f"Save {what.lower()}", str(exc))
