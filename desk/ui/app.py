"""Starting the window: the Qt application, fonts, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desk.core import db as dbmod
from desk.core.errors import DeskError


def run(path: Path) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("desk")
    app.setOrganizationName("desk")
    from desk.ui.main_window import MainWindow

    try:
        database = dbmod.open_database(path)
    except DeskError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "desk cannot open the database", str(exc))
        return 1
    window = MainWindow(database, path)
    window.show()
    return app.exec()
