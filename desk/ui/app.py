"""Starting the window: the Qt application, fonts, the database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from desk.core import db as dbmod
from desk.core.errors import DeskError
from desk.ui.fonts import load_fonts


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("desk")
    app.setOrganizationName("desk")
    load_fonts(app)
    return app


def run(path: Path) -> int:
    app = application()
    from desk.ui.main_window import MainWindow

    try:
        database = dbmod.open_database(path)
    except DeskError as exc:
        QMessageBox.critical(None, "desk cannot open the database", str(exc))
        return 1
    window = MainWindow(database, path)
    window.show()
    code = app.exec()
    database.close()
    return code
