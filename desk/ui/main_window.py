"""The main window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QMainWindow

from desk.core import queries
from desk.core.db import Database
from desk.core.kinds import KINDS


class MainWindow(QMainWindow):
    def __init__(self, db: Database, path: Path) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"desk - {path.name}")
        counts = [
            f"{queries.count(db, k)} {KINDS[k].plural.lower()}"
            for k in ("partnership", "agreement", "visit", "contact", "organisation")
        ]
        self.setCentralWidget(QLabel("  " + ", ".join(counts)))
        self.resize(900, 600)
