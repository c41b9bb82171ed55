"""Today: what is coming up and what is due, with a way into each record."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.db import Database
from desk.core.demo import holds_records


class TodayPage(QWidget):
    navigate = Signal(str, int)
    set_up_city = Signal()
    load_demo = Signal()
    kind = "today"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        self.welcome = QWidget()
        welcome_layout = QVBoxLayout(self.welcome)
        title = QLabel("Welcome to desk")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        welcome_layout.addWidget(title)
        welcome_layout.addWidget(
            QLabel(
                "This database is empty. Start with your own city, or look around a demo city "
                "first (Port Meridian, Oregon, with partners from Matsue to Guadalajara)."
            )
        )
        self.setup_button = QPushButton("Set up our city’s profile")
        self.demo_button = QPushButton("Open the demo city")
        self.setup_button.clicked.connect(self.set_up_city)
        self.demo_button.clicked.connect(self.load_demo)
        welcome_layout.addWidget(self.setup_button)
        welcome_layout.addWidget(self.demo_button)
        welcome_layout.addStretch(1)
        layout.addWidget(self.welcome)

        self.board = QWidget()
        grid = QGridLayout(self.board)
        self.lists: dict[str, QListWidget] = {}
        for n, (key, label) in enumerate(
            (
                ("visits", "Visits in the next 60 days"),
                ("deadlines", "Agreement decisions due in the next 120 days"),
                ("follow_ups", "Open follow-ups, overdue first"),
                ("anniversaries", "Partnership anniversaries in the next 12 months"),
            )
        ):
            box = QGroupBox(label)
            box_layout = QVBoxLayout(box)
            listing = QListWidget()
            listing.setAccessibleName(label)
            listing.itemActivated.connect(self._open)
            box_layout.addWidget(listing)
            grid.addWidget(box, n // 2, n % 2)
            self.lists[key] = listing
        layout.addWidget(self.board, 1)
        self.refresh()

    def refresh(self) -> None:
        empty = not holds_records(self.db)
        self.welcome.setVisible(empty)
        self.board.setVisible(not empty)
        if empty:
            return
        today = dt.date.today()
        self._fill(
            "visits",
            "visit",
            self.db.execute(
                "SELECT id, start_date || '  ' || title || '  (' || status || ')' FROM visits "
                "WHERE start_date BETWEEN ? AND ? AND status NOT IN ('cancelled', 'declined') "
                "ORDER BY start_date",
                (today.isoformat(), (today + dt.timedelta(60)).isoformat()),
            ),
        )
        self._fill(
            "deadlines",
            "agreement",
            self.db.execute(
                "SELECT id, decision_deadline || '  ' || title FROM agreements "
                "WHERE decision_deadline BETWEEN ? AND ? ORDER BY decision_deadline",
                ((today - dt.timedelta(30)).isoformat(), (today + dt.timedelta(120)).isoformat()),
            ),
        )
        self._fill(
            "follow_ups",
            "follow_up",
            self.db.execute(
                "SELECT coalesce(visit_id, partnership_id, agreement_id, id), "
                "coalesce(due_date, 'no date') || '  ' || title, "
                "CASE WHEN visit_id IS NOT NULL THEN 'visit' WHEN partnership_id IS NOT NULL "
                "THEN 'partnership' WHEN agreement_id IS NOT NULL THEN 'agreement' END "
                "FROM follow_ups WHERE done_on IS NULL ORDER BY due_date IS NULL, due_date "
                "LIMIT 200"
            ),
        )
        self._fill("anniversaries", "partnership", self._anniversaries(today))

    def _anniversaries(self, today: dt.date) -> list[tuple[int, str]]:
        rows = []
        for pid, name, established in self.db.execute(
            "SELECT id, partner_name, established_date FROM partnerships "
            "WHERE established_date IS NOT NULL AND status IN ('active', 'friendship')"
        ).fetchall():
            start = dt.date.fromisoformat(established)
            years = today.year - start.year
            try:
                next_day = start.replace(year=today.year)
            except ValueError:  # 29 February
                next_day = dt.date(today.year, 3, 1)
            if next_day < today:
                next_day, years = next_day.replace(year=today.year + 1), years + 1
            rows.append((next_day, pid, f"{next_day}  {name}: {years} years"))
        return [(pid, text) for _day, pid, text in sorted(rows)][:50]

    def _fill(self, key: str, kind_name: str, rows: object) -> None:
        listing = self.lists[key]
        listing.clear()
        for row in rows:  # type: ignore[attr-defined]
            item = QListWidgetItem(str(row[1]))
            target_kind = row[2] if len(row) > 2 and row[2] else kind_name
            item.setData(Qt.ItemDataRole.UserRole, (target_kind, row[0]))
            listing.addItem(item)
        if listing.count() == 0:
            listing.addItem(QListWidgetItem("Nothing here."))

    def _open(self, item: QListWidgetItem) -> None:
        target = item.data(Qt.ItemDataRole.UserRole)
        if target:
            self.navigate.emit(target[0], int(target[1]))
