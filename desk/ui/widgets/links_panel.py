"""The records linked to the selected one, as tabs: add, open and remove them in place."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core import attachments, money, queries, records
from desk.core.db import Database
from desk.core.kinds import KINDS
from desk.ui import times
from desk.ui.dialogs.record_dialog import RecordDialog
from desk.ui.links import LINKS, SELF, WITH_ATTACHMENTS, LinkSpec
from desk.ui.models.rows import Column, RowsModel
from desk.ui.widgets.views import row_table

PAGE_KINDS = {"partnership", "agreement", "visit", "contact", "organisation", "network"}


def _columns(panel: LinksPanel, link: LinkSpec) -> list[Column]:
    db = panel.db
    spec = KINDS[link.kind]
    out: list[Column] = []
    for name in link.columns:
        if name == "_local_start":
            out.append(
                Column("Local time", lambda r: times.local_text(r["starts_at"], r["time_zone"]))
            )
        elif name == "_home_start":
            out.append(
                Column(
                    "At home",
                    # Read at each load: the city's time zone may have changed since.
                    lambda r: times.home_text(r["starts_at"], r["time_zone"], panel.home_zone),
                )
            )
        else:
            field = spec.field_map.get(name)
            header = field.label if field else name.replace("_", " ").capitalize()
            if field is not None and field.type == "money":
                out.append(
                    Column(
                        header,
                        lambda r, f=field: money.text(r.get(f.name), r.get(f.currency_field or "")),
                    )
                )
            else:
                out.append(
                    Column(
                        header,
                        lambda r, f=field, n=name: (
                            queries.display(db, f, r.get(n)) if f else str(r.get(n) or "")
                        ),
                    )
                )
    return out


class _RowsTab(QWidget):
    """A read-only table of rows with a row of buttons under it; a double-click opens."""

    def __init__(
        self,
        model: RowsModel,
        name: str,
        buttons: list[tuple[str, Callable[[], None]]],
        opener: Callable[[], None],
    ) -> None:
        super().__init__()
        self.model = model
        self.view = row_table(model, name)
        self.view.doubleClicked.connect(lambda _i: opener())
        row = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        for text, slot in buttons:
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(row)

    def selected_row(self) -> dict[str, Any] | None:
        index = self.view.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None


class LinkTab(_RowsTab):
    def __init__(self, panel: LinksPanel, link: LinkSpec) -> None:
        self.panel = panel
        self.link = link
        super().__init__(
            RowsModel(_columns(panel, link)),
            link.label,
            [
                (f"Add {KINDS[link.kind].label.lower()}…", self.add),
                ("Open", self.open),
                ("Unlink" if link.opens == SELF else "Remove", self.remove),
            ],
            self.open,
        )
        self.add_button, self.open_button, self.remove_button = self.buttons
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def load(self, record_id: int) -> int:
        spec = KINDS[self.link.kind]
        self.model.set_rows(
            queries.fetch(
                self.panel.db,
                f"SELECT * FROM {spec.table} WHERE {self.link.via} = ? "
                f"ORDER BY {spec.default_sort} IS NULL, {spec.default_sort}, id",
                (record_id,),
            )
        )
        return self.model.rowCount()

    def add(self) -> None:
        dialog = RecordDialog(
            self.panel.db, self.link.kind, preset={self.link.via: self.panel.record_id}, parent=self
        )
        if dialog.exec():
            self.panel.announce({self.link.kind, self.panel.kind})

    def open(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if self.link.opens == SELF:
            if not self.panel.in_dialog:
                self.panel.navigate.emit(self.link.kind, row["id"])
                return
            if RecordDialog(self.panel.db, self.link.kind, row["id"], parent=self).exec():
                self.panel.announce({self.link.kind})
            return
        if self.link.opens is not None:
            target_kind = KINDS[self.link.kind].field_map[self.link.opens].ref or ""
            target_id = row.get(self.link.opens)
            if target_id is None:
                return
            if target_kind in PAGE_KINDS and not self.panel.in_dialog:
                self.panel.navigate.emit(target_kind, target_id)
                return
            dialog = RecordDialog(self.panel.db, target_kind, target_id, parent=self)
            if dialog.exec():
                self.panel.announce({target_kind})
            return
        dialog = RecordDialog(
            self.panel.db,
            self.link.kind,
            row["id"],
            preset={self.link.via: self.panel.record_id},
            parent=self,
        )
        if dialog.exec():
            self.panel.announce({self.link.kind, self.panel.kind})

    def remove(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        spec = KINDS[self.link.kind]
        title = records.title_of(self.panel.db, spec.name, row["id"]) or spec.label.lower()
        if self.link.opens == SELF:
            records.update(self.panel.db, spec.name, row["id"], {self.link.via: None})
        else:
            impact = records.delete_impact(self.panel.db, spec.name, row["id"])
            answer = QMessageBox.question(
                self,
                f"Remove {spec.label.lower()}",
                f"Remove {spec.label.lower()} “{title}”? {impact.describe()}",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            records.delete(self.panel.db, spec.name, row["id"])
        self.panel.announce({spec.name, self.panel.kind})


class AttachmentsTab(_RowsTab):
    def __init__(self, panel: LinksPanel) -> None:
        self.panel = panel
        columns = [
            Column("File", lambda r: r["filename"]),
            Column("Size", lambda r: f"{r['size'] / 1024:,.0f} KB"),
            Column("Description", lambda r: r.get("description") or ""),
            Column("Added", lambda r: r["created_at"][:10]),
        ]
        super().__init__(
            RowsModel(columns),
            "Attached files",
            [
                ("Add file…", self.add),
                ("Open", self.open),
                ("Save as…", self.save_as),
                ("Remove", self.remove),
            ],
            self.open,
        )

    def load(self, record_id: int) -> int:
        self.model.set_rows(attachments.list_for(self.panel.db, self.panel.kind, record_id))
        return self.model.rowCount()

    def add(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Attach a file")
        if path:
            attachments.attach_file(
                self.panel.db, self.panel.kind, self.panel.record_id, Path(path)
            )
            self.panel.announce({"attachment"})

    def open(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        folder = Path(tempfile.mkdtemp(prefix="desk-"))
        target = attachments.save_copy(self.panel.db, row["id"], folder / row["filename"])
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def save_as(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save attachment as", row["filename"])
        if path:
            attachments.save_copy(self.panel.db, row["id"], Path(path))

    def remove(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        answer = QMessageBox.question(
            self, "Remove file", f"Remove “{row['filename']}” from this record?"
        )
        if answer == QMessageBox.StandardButton.Yes:
            attachments.remove(self.panel.db, row["id"])
            self.panel.announce({"attachment"})


class LinksPanel(QTabWidget):
    navigate = Signal(str, int)
    changed = Signal(set)

    def __init__(
        self,
        db: Database,
        kind_name: str,
        parent: QWidget | None = None,
        *,
        in_dialog: bool = False,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind_name
        # Inside a dialog there is no page to go to: linked records open in a dialog too.
        self.in_dialog = in_dialog
        self.record_id: int | None = None
        self.home_zone = times.home_zone(db)
        self.tabs: list[LinkTab | AttachmentsTab] = [
            LinkTab(self, link) for link in LINKS.get(kind_name, ())
        ]
        if kind_name in WITH_ATTACHMENTS:
            self.tabs.append(AttachmentsTab(self))
        for tab in self.tabs:
            self.addTab(tab, tab.link.label if isinstance(tab, LinkTab) else "Files")
        self.setVisible(bool(self.tabs))

    def tab(self, label: str) -> LinkTab | AttachmentsTab:
        for n, tab in enumerate(self.tabs):
            if self.tabText(n).split(" (")[0] == label:
                return tab
        raise KeyError(label)

    def load(self, record_id: int | None) -> None:
        self.record_id = record_id
        self.home_zone = times.home_zone(self.db)
        self.setEnabled(record_id is not None)
        for n, tab in enumerate(self.tabs):
            count = tab.load(record_id) if record_id is not None else 0
            base = tab.link.label if isinstance(tab, LinkTab) else "Files"
            self.setTabText(n, f"{base} ({count})" if count else base)

    def announce(self, kinds: set[str]) -> None:
        self.load(self.record_id)
        self.changed.emit(kinds)
