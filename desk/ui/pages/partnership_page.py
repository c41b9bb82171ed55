"""Partnerships: a card that says where the relationship stands, its whole story as a
timeline, and a status that walks its lifecycle through a dated, reasoned change."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.dates import short_date
from desk.core.features import story
from desk.core.store import records
from desk.core.store.db import Database
from desk.ui import documents, jobs, tasks
from desk.ui.colors import status_color, tone
from desk.ui.dialogs.status_dialog import StatusDialog
from desk.ui.pages.record_page import RecordPage

_EVENT = Qt.ItemDataRole.UserRole


class StandingCard(QLabel):
    """Status in color and words with since when and why; next deadline; last contact;
    open follow-ups. The first thing read on a partnership."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("standingCard")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setMargin(6)
        self.setAccessibleName("Where the partnership stands")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def show_standing(self, found: story.Standing | None) -> None:
        if found is None:
            self.clear()
            self.hide()
            return
        lines = found.lines()
        color = status_color(found.status, self.palette()) or tone("muted", self.palette())
        status = f"<b style='color:{color.name()}'>● {escape(lines[0])}</b>"
        rest = "<br>".join(escape(line) for line in lines[1:])
        if found.overdue_follow_ups:
            rest = rest.replace(
                escape(lines[3]),
                f"<span style='color:{tone('danger', self.palette()).name()}'>"
                f"{escape(lines[3])}</span>",
            )
        self.setText(f"{status}<br>{rest}")
        self.show()


class TimelineTab(QWidget):
    """Everything that happened, newest first; Enter or a double-click opens it."""

    navigate = Signal(str, int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Timeline")
        self.tree.setHeaderLabels(["Date", "What happened"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTabKeyNavigation(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.itemActivated.connect(self._open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)

    def load(self, partnership_id: int | None) -> int:
        self.tree.clear()
        if partnership_id is None:
            return 0
        events = story.story(self.db, partnership_id)
        for event in events:
            item = QTreeWidgetItem([short_date(event.on), event.what])
            item.setData(0, _EVENT, (event.open_kind, event.open_id))
            item.setToolTip(1, event.what)
            if event.what.startswith("Coming up"):
                item.setForeground(1, tone("info", self.palette()))
            self.tree.addTopLevelItem(item)
        return len(events)

    def _open(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        target = item.data(0, _EVENT)
        if target:
            self.navigate.emit(target[0], int(target[1]))


class PartnershipPage(RecordPage):
    dossier_ready = Signal(Path)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "partnership", parent)
        self.status_button = QPushButton("Change status…")
        self.status_button.clicked.connect(self.change_status)
        self.extra_buttons.addWidget(self.status_button)
        self.dossier_button = QPushButton("Hand-over dossier…")
        self.dossier_button.setToolTip(
            "Everything a successor needs on day one, as a PDF: where it stands, its story, "
            "agreements, who is who, visits, outcomes, gifts, open promises and files"
        )
        self.dossier_button.clicked.connect(self.make_dossier)
        self.extra_buttons.addWidget(self.dossier_button)
        self._task: tasks.Task | None = None
        self.card = StandingCard()
        self.top_layout.insertWidget(2, self.card)
        self.timeline = TimelineTab(db)
        self.timeline.navigate.connect(self.navigate)
        self.links.insertTab(0, self.timeline, "Timeline")
        self.links.setCurrentIndex(0)
        self.record_shown(None)

    def headline(self, row: dict[str, Any]) -> list[str]:
        from desk.core.store.hooks.partnerships import planned_changes, planned_text

        line = story.anniversary_line(row)
        # A change dated ahead is said as planned, beside the status it does not yet change.
        planned = [planned_text(c) for c in planned_changes(self.db, row["id"])]
        return ([line] if line else []) + planned

    def record_shown(self, row: dict[str, Any] | None) -> None:
        if not hasattr(self, "card"):
            return  # called by the base class before this page has built its parts
        self.status_button.setEnabled(row is not None and not self.locked)
        # Made from the file in a process of its own: a database in memory has none.
        self.dossier_button.setEnabled(row is not None and self.db.file is not None)
        self.card.show_standing(story.standing(self.db, row["id"]) if row else None)
        count = self.timeline.load(row["id"] if row else None)
        self.links.setTabText(
            self.links.indexOf(self.timeline), f"Timeline ({count})" if count else "Timeline"
        )

    def make_dossier(self) -> None:
        if self.current_id is None or self.db.file is None or not self.confirm_leave():
            return
        row = records.get(self.db, "partnership", self.current_id)
        target = documents.temporary_pdf(
            "Hand-over dossier", row["partner_name"], f"partnership-{row['id']}"
        )
        self._task = documents.make(
            self,
            "Hand-over dossier",
            jobs.make_document,
            self.db.file,
            self.db.read_only,
            "dossier",
            row["id"],
            target,
            ready=self.dossier_ready.emit,
        )

    def change_status(self) -> None:
        if self.current_id is None or not self.confirm_leave():
            return
        StatusDialog(self.db, self.current_id, self).exec()
