"""The records linked to the selected one, as tabs: add, open and remove them in place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain import money
from desk.core.domain.dates import local_moment, short_date
from desk.core.domain.kinds import KINDS, SELF, Field, Link
from desk.core.errors import DeskError
from desk.core.features import pick, sides
from desk.core.paths import viewing_folder
from desk.core.store import attachments, queries, records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui import file_dialogs, kind_dialogs, times
from desk.ui.dialogs.record_dialog import RecordDialog
from desk.ui.models.rows import Column, RowsModel
from desk.ui.ops import confirm_delete, operations_for
from desk.ui.widgets.add_several import AddSeveralDialog, several_of
from desk.ui.widgets.views import row_table

PAGE_KINDS = {"partnership", "agreement", "visit", "contact", "organisation", "network"}


def _columns(panel: LinksPanel, link: Link) -> list[Column]:
    db = panel.db
    spec = KINDS[link.kind]
    out: list[Column] = []
    for name in link.columns:
        if name == "_local_start":
            out.append(
                Column("Local time", lambda r: times.local_text(r["starts_at"], r["time_zone"]))
            )
        elif name in _DATED:
            table, column, key = _DATED[name]
            out.append(Column("Date", _date_of(db, table, column, key)))
        elif name == "_home_start":
            out.append(
                Column(
                    "At home",
                    # Read at each load: the city's time zone may have changed since. A
                    # program here is already on our clock: it shows the guests' instead.
                    lambda r: times.home_text(r["starts_at"], r["time_zone"], panel.other_zone),
                )
            )
        else:
            field = spec.field_map.get(name)
            header = field.label if field else name.replace("_", " ").capitalize()
            if field is not None and field.currency_field:
                out.append(Column(header, _money_value(field)))
            else:
                out.append(Column(header, _display_value(db, field, name)))
    return out


# Dates of the record a link row points at, so two rows with one title can be told apart:
# column name -> (table, date column, the row's link to it).
_DATED = {
    "_interaction_on": ("interactions", "occurred_on", "interaction_id"),
    "_visit_start": ("visits", "start_date", "visit_id"),
}


def _date_of(db: Database, table: str, column: str, key: str) -> Callable[[Any], str]:
    def text(row: Any) -> str:
        found = db.execute(f"SELECT {column} FROM {table} WHERE id = ?", (row.get(key),))
        value = found.fetchone()
        return short_date(value[0]) if value and value[0] else ""

    return text


def _money_value(field: Field) -> Callable[[Any], str]:
    return lambda r: money.text(r.get(field.name), r.get(field.currency_field or ""))


def _display_value(db: Database, field: Field | None, name: str) -> Callable[[Any], str]:
    if field is None:
        return lambda r: str(r.get(name) or "")
    return lambda r: queries.display(db, field, r.get(name))


class _RowsTab(QWidget):
    """A read-only table of rows with a row of buttons under it; Enter or a double-click
    opens."""

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
        self.view.activated.connect(lambda _i: opener())
        row = QHBoxLayout()
        self.button_row = row
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

    def writing_buttons(self) -> list[QPushButton]:
        """The buttons that add or take away (a read-only window greys them)."""
        raise NotImplementedError


class LinkTab(_RowsTab):
    def __init__(self, panel: LinksPanel, link: Link) -> None:
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
        self.add_button, self.open_button, self.remove_button = self.buttons[:3]
        self.several_button: QPushButton | None = None
        if several_of(link) is not None:
            # A delegation is several people: ticked or typed in one dialog, one undo.
            self.several_button = QPushButton("Add several…")
            self.several_button.setToolTip(
                f"Add several {KINDS[link.kind].plural.lower()} at once, closest first"
            )
            self.several_button.clicked.connect(self.add_several)
            self.buttons.insert(1, self.several_button)
            self.button_row.insertWidget(1, self.several_button)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def writing_buttons(self) -> list[QPushButton]:
        adding = [self.add_button, self.several_button, self.remove_button]
        return [button for button in adding if button is not None]

    def load(self, record_id: int) -> int:
        spec = KINDS[self.link.kind]
        self.model.set_rows(
            queries.fetch(
                self.panel.db,
                f"SELECT * FROM {spec.table} WHERE {self.link.via} = ? "
                f"ORDER BY {queries.order_terms(spec, spec.default_sort)}",
                (record_id,),
            )
        )
        self._tell_namesakes_apart()
        self._size_columns()
        return self.model.rowCount()

    def _size_columns(self) -> None:
        """Each column as wide as what it shows, but none wider than two fifths of the
        list: a delegate's name with their job and organization pushed Side and Role
        out of sight."""
        header = self.view.horizontalHeader()
        self.view.resizeColumnsToContents()
        room = max(self.view.viewport().width(), 600)
        widest = max(160, room * 2 // 5)
        for column in range(header.count() - 1):
            header.resizeSection(column, min(header.sectionSize(column), widest))

    def _tell_namesakes_apart(self) -> None:
        """Two people of one name in a list (a mayor and a director, both Layla
        Al-Mansouri) each say what they are, as the pickers do."""
        spec = KINDS[self.link.kind]
        model = self.model
        for column, name in enumerate(self.link.columns):
            field = spec.field_map.get(name)
            if field is None or not field.ref:
                continue
            ids_by_text: dict[str, set[Any]] = {}
            for row, cells in zip(model.rows, model.cells, strict=True):
                if row.get(name) is not None:
                    ids_by_text.setdefault(cells[column], set()).add(row[name])
            for row, cells in zip(model.rows, model.cells, strict=True):
                if row.get(name) is not None and len(ids_by_text[cells[column]]) > 1:
                    choice = pick.describe(self.panel.db, field.ref, row[name])
                    if choice is not None and choice.context:
                        cells[column] = f"{cells[column]} — {choice.context}"

    def add(self) -> None:
        dialog = record_dialog(
            self.panel.db, self.link.kind, preset={self.link.via: self.panel.record_id}, parent=self
        )
        dialog.exec()

    def add_several(self) -> None:
        if self.panel.record_id is None:
            return
        AddSeveralDialog(self.panel.db, self.link, self.panel.record_id, self).exec()

    def open(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if self.link.opens == SELF:
            if not self.panel.in_dialog:
                self.panel.navigate.emit(self.link.kind, row["id"])
                return
            record_dialog(self.panel.db, self.link.kind, row["id"], parent=self).exec()
            return
        if self.link.opens is not None:
            target_kind = KINDS[self.link.kind].field_map[self.link.opens].ref or ""
            target_id = row.get(self.link.opens)
            if target_id is None:
                return
            if target_kind in PAGE_KINDS and not self.panel.in_dialog:
                self.panel.navigate.emit(target_kind, target_id)
                return
            record_dialog(self.panel.db, target_kind, target_id, parent=self).exec()
            return
        dialog = record_dialog(
            self.panel.db,
            self.link.kind,
            row["id"],
            preset={self.link.via: self.panel.record_id},
            parent=self,
        )
        dialog.exec()

    def remove(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        spec = KINDS[self.link.kind]
        title = records.title_of(self.panel.db, spec.name, row["id"]) or spec.label.lower()
        via = self.link.via
        if self.link.opens == SELF:
            operations_for(self.panel.db).run(
                self, lambda db: records.update(db, spec.name, row["id"], {via: None})
            )
            return
        impact = records.delete_impact(self.panel.db, spec.name, row["id"])
        if confirm_delete(self, spec.label.lower(), title, impact.describe()):
            operations_for(self.panel.db).run(
                self, lambda db: records.delete(db, spec.name, row["id"]), title="Not deleted"
            )


class AttachmentsTab(_RowsTab):
    def __init__(self, panel: LinksPanel) -> None:
        self.panel = panel
        columns = [
            Column("File", lambda r: r["filename"]),
            Column("Size", lambda r: f"{r['size'] / 1024:,.0f} KB"),
            Column("Description", lambda r: r.get("description") or ""),
            Column("Added", lambda r: short_date(local_moment(r["created_at"]).date())),
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
        self.add_button, _open, _save_as, self.remove_button = self.buttons

    def writing_buttons(self) -> list[QPushButton]:
        return [self.add_button, self.remove_button]

    def load(self, record_id: int) -> int:
        self.model.set_rows(attachments.list_for(self.panel.db, self.panel.kind, record_id))
        return self.model.rowCount()

    def add(self) -> None:
        path = file_dialogs.open_path(self, "Attach a file")
        if path is not None:
            kind, record_id = self.panel.kind, self.panel.record_id
            assert record_id is not None  # the panel is disabled while no record is shown
            operations_for(self.panel.db).run(
                self,
                lambda db: attachments.attach_file(db, kind, record_id, path),
                title="Not attached",
            )

    def open(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        folder = viewing_folder("attachment")
        target = attachments.save_copy(self.panel.db, row["id"], folder / row["filename"])
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def save_as(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        path = file_dialogs.save_path(self, "Save attachment as", row["filename"], "")
        if path is not None:
            try:
                attachments.save_copy(self.panel.db, row["id"], path)
            except (DeskError, OSError) as exc:
                QMessageBox.warning(self, "Save attachment", str(exc))

    def remove(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if confirm_delete(self, "file", row["filename"], "It is removed from this record."):
            operations_for(self.panel.db).run(
                self, lambda db: attachments.remove(db, row["id"]), title="Not removed"
            )


class LinksPanel(QTabWidget):
    navigate = Signal(str, int)

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
        # The second clock of a program: home's, or the guests' for a visit to us.
        self.other_zone = self.home_zone
        self.tabs: list[LinkTab | AttachmentsTab] = [
            LinkTab(self, link) for link in KINDS[kind_name].links
        ]
        if KINDS[kind_name].attachable:
            self.tabs.append(AttachmentsTab(self))
        for tab in self.tabs:
            self.addTab(tab, tab.link.label if isinstance(tab, LinkTab) else "Files")
            if db.read_only:
                # Nothing can be added or taken away: said by the buttons beforehand,
                # not by a refusal after a form was filled in.
                for button in tab.writing_buttons():
                    button.setEnabled(False)
                    button.setToolTip(f"Read-only: {db.read_only}")
        self.setVisible(bool(self.tabs))
        # On a page, the page reloads the panel with the record; in a dialog the panel
        # follows changes itself (a participant added from inside the dialog, say).
        if in_dialog:
            operations_for(db).did_execute.connect(self._changed)

    def shown_kinds(self) -> set[str]:
        kinds = {tab.link.kind for tab in self.tabs if isinstance(tab, LinkTab)}
        return kinds | ({"attachment"} if len(kinds) < len(self.tabs) else set())

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if self.record_id is not None and changes.kinds & (self.shown_kinds() | {self.kind}):
            self.load(self.record_id)

    def tab(self, label: str) -> LinkTab | AttachmentsTab:
        for tab in self.tabs:
            if self.tabText(self.indexOf(tab)).split(" (")[0] == label:
                return tab
        raise KeyError(label)

    def select(self, kind: str, record_id: int) -> bool:
        """Show the tab that lists records of `kind` with that record selected and the
        keyboard on it (a follow-up opened from Today shows on its visit, selected)."""
        for tab in self.tabs:
            if (isinstance(tab, LinkTab) and tab.link.kind == kind) or (
                isinstance(tab, AttachmentsTab) and attachments.keeps(kind)
            ):
                row = next(
                    (n for n, r in enumerate(tab.model.rows) if r.get("id") == record_id), None
                )
                if row is None:
                    continue
                self.setCurrentWidget(tab)
                index = tab.model.index(row, 0)
                tab.view.setCurrentIndex(index)
                tab.view.scrollTo(index)
                tab.view.setFocus()
                return True
        return False

    def load(self, record_id: int | None) -> None:
        self.record_id = record_id
        self.home_zone = times.home_zone(self.db)
        self.other_zone, other = self.home_zone, "At home"
        owner = records.get(self.db, self.kind, record_id) if record_id is not None else {}
        if sides.incoming(owner) and owner.get("time_zone") not in (None, self.home_zone):
            self.other_zone, other = str(owner["time_zone"]), "Their home time"
        for tab in self.tabs:
            for n, column in enumerate(tab.model.columns):
                if column.header in ("At home", "Their home time"):
                    tab.model.columns[n] = replace(column, header=other)
        self.setEnabled(record_id is not None)
        for tab in self.tabs:
            if record_id is None:
                tab.model.set_rows([])  # no record: nothing of the last one lingers
            count = tab.load(record_id) if record_id is not None else 0
            base = tab.link.label if isinstance(tab, LinkTab) else "Files"
            # By the tab itself, not its position: a page may put tabs of its own first.
            self.setTabText(self.indexOf(tab), f"{base} ({count})" if count else base)


def record_dialog(
    db: Database,
    kind_name: str,
    record_id: int | None = None,
    preset: dict[str, Any] | None = None,
    parent: QWidget | None = None,
) -> RecordDialog:
    """A record in a dialog, with the records linked to it underneath (which open in
    dialogs of their own in their turn)."""
    return kind_dialogs.dialog(
        db,
        kind_name,
        record_id,
        preset,
        parent,
        links=lambda db, kind: LinksPanel(db, kind, in_dialog=True),
    )
