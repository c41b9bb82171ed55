"""One page per record kind: a list on the left, the selected record on the right."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS
from desk.core.errors import DeskError
from desk.core.store import queries, records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui import file_dialogs
from desk.ui.leave import confirm_leave as ask_to_leave
from desk.ui.models.record_table import RecordTableModel
from desk.ui.ops import confirm_delete, operations_for
from desk.ui.settings import settings
from desk.ui.widgets.form import RecordForm
from desk.ui.widgets.links_panel import LinksPanel


class RecordPage(QWidget):
    """Everything about one kind. Writes through the window's operations runner and
    emits `navigate` to follow a link to another page."""

    navigate = Signal(str, int)

    def __init__(self, db: Database, kind_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.kind = kind_name
        self.spec = KINDS[kind_name]
        self.current_id: int | None = None
        self._selecting = False

        self.filter = QLineEdit()
        self.filter.setPlaceholderText(f"Filter {self.spec.plural.lower()}…  (Ctrl+L)")
        self.filter.setAccessibleName(f"Filter {self.spec.plural.lower()}")
        self.filter.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.export_button = QPushButton("Export list…")
        self.export_button.setToolTip("This list, as filtered and sorted, to CSV or Excel")
        self.export_button.clicked.connect(self.export_list)
        self.model = RecordTableModel(db, kind_name, load=False)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(f"{self.spec.plural} list")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        # Tab leaves the list for the form; Enter on a row goes into its first field.
        self.table.setTabKeyNavigation(False)
        self.table.activated.connect(lambda _index: self.focus_form())
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setSectionsMovable(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Start in the kind's natural order; newest first where time matters most.
        default = self.spec.default_sort
        column = self.model.columns.index(default) if default in self.model.columns else 0
        descending = KINDS[kind_name].newest_first
        self.table.horizontalHeader().setSortIndicator(
            column, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.table, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.count_label, 1)
        footer.addWidget(self.export_button)
        left_layout.addLayout(footer)

        self.heading = QLabel()
        heading_font = QFont(self.heading.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.4)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.subheading = QLabel()
        self.subheading.setTextFormat(Qt.TextFormat.PlainText)
        self.subheading.setWordWrap(True)
        self.form = RecordForm(db, kind_name)
        self.form.dirty_changed.connect(self._dirty_changed)
        form_scroll = QScrollArea()
        form_scroll.setWidgetResizable(True)
        form_scroll.setWidget(self.form)
        self.new_button = QPushButton(f"New {self.spec.label.lower()}")
        self.save_button = QPushButton("Save")
        self.revert_button = QPushButton("Revert")
        self.delete_button = QPushButton("Delete…")

        buttons = QHBoxLayout()
        for button, slot in (
            (self.new_button, self.new_record),
            (self.save_button, self.save),
            (self.revert_button, self.revert),
            (self.delete_button, self.delete_record),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.extra_buttons = QHBoxLayout()
        buttons.addLayout(self.extra_buttons)
        buttons.addStretch(1)
        self.links = LinksPanel(db, kind_name)
        self.links.navigate.connect(self.navigate)

        detail_top = QWidget()
        top_layout = self.top_layout = QVBoxLayout(detail_top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.heading)
        top_layout.addWidget(self.subheading)
        top_layout.addLayout(buttons)
        top_layout.addWidget(form_scroll, 1)
        self.detail_split = QSplitter(Qt.Orientation.Vertical)
        self.detail_split.addWidget(detail_top)
        self.detail_split.addWidget(self.links)
        self.detail_split.setStretchFactor(0, 3)
        self.detail_split.setStretchFactor(1, 2)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(self.detail_split)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.split)

        self.filter_timer = QTimer(self, singleShot=True, interval=150)
        self.filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(self.filter_timer.start)
        # Typing has begun: the list's order is read meanwhile, for the filter to keep.
        self.filter.textChanged.connect(lambda _text: self.model.prepare_filter())
        self.model.filtered.connect(self._filtered)
        self._restore_layout()
        self._update_count()
        self.new_record(ask=False)

    # -- layout memory -----------------------------------------------------------------
    def _columns_key(self) -> str:
        # Widths belong to one set of columns: a desk that lists other columns starts
        # afresh rather than putting old widths on new columns.
        return f"columns/{self.kind}/{'-'.join(self.model.columns)}"

    def _restore_layout(self) -> None:
        store = settings()
        header_state = store.value(self._columns_key())
        self._sized = header_state is not None
        if header_state is not None:
            self.table.horizontalHeader().restoreState(header_state)
        else:
            self._size_columns()
        # The list gets the larger share: it is where records are told apart.
        self.split.setSizes([660, 540])
        for name, splitter in (("split", self.split), ("detail", self.detail_split)):
            state = store.value(f"splitters/{self.kind}/{name}")
            if state is not None:
                splitter.restoreState(state)

    def _size_columns(self) -> None:
        """Columns as wide as what they show, measured on the first screenful (measuring
        a thousand rows is slow at scale); an empty list is measured when rows come."""
        if self.model.rowCount() == 0:
            return
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(40)
        self.table.resizeColumnsToContents()
        for column in range(header.count()):
            header.resizeSection(column, min(header.sectionSize(column), 220))
        self._sized = True

    def save_layout(self) -> None:
        store = settings()
        if self._sized:
            store.setValue(self._columns_key(), self.table.horizontalHeader().saveState())
        store.setValue(f"splitters/{self.kind}/split", self.split.saveState())
        store.setValue(f"splitters/{self.kind}/detail", self.detail_split.saveState())

    # -- the list ----------------------------------------------------------------------
    def _apply_filter(self) -> None:
        self.model.set_filter_soon(self.filter.text())

    def _filtered(self) -> None:
        """A filter's matches, or a long list's order read apart, have arrived."""
        self._update_count()
        if not self._sized:
            self._size_columns()
        if self.current_id is not None:
            self._reselect(self.current_id)
        elif self.isVisible():
            self.show_first()

    def _update_count(self) -> None:
        shown = self.model.rowCount()
        noun = self.spec.plural.lower()
        if self.model.waiting() and not shown:
            self.count_label.setText(f"Reading the {noun}…")
        elif self.model.query.text.strip():
            # A filtered list says so: "3,683 of 100,000 contacts".
            total = queries.count(self.db, self.kind)
            self.count_label.setText(f"{shown:,} of {self.spec.count(total)}")
        else:
            self.count_label.setText(self.spec.count(shown))

    def refresh(self) -> None:
        current = self.current_id
        self.model.refresh()
        self._update_count()
        if not self._sized:
            self._size_columns()
        if current is not None:
            try:
                records.get(self.db, self.kind, current)
            except DeskError:
                self.new_record(ask=False)
                return
            self._reselect(current)
            if not self.form.dirty:
                self.show_record(current)

    def _reselect(self, record_id: int) -> None:
        row = self.model.row_of(record_id)
        self._selecting = True
        try:
            if row is None:
                self.table.clearSelection()
                return
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        finally:
            self._selecting = False

    def _row_changed(self, current: Any, previous: Any) -> None:
        if self._selecting:
            return
        record_id = self.model.id_at(current.row()) if current.isValid() else None
        if record_id is None or record_id == self.current_id:
            return
        if not self.confirm_leave():
            if self.current_id is not None:
                self._reselect(self.current_id)
            return
        self.show_record(record_id)

    # -- the detail --------------------------------------------------------------------
    def show_first(self) -> None:
        """A page opened with nothing chosen shows its first record, not an empty form."""
        if self.current_id is None and not self.form.dirty and self.model.rowCount():
            self.table.selectRow(0)

    def focus_record(self) -> None:
        """Keyboard focus on the shown record's row in the list."""
        self.show_first()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_form(self) -> None:
        for editor in self.form.editors.values():
            widget = editor.focus_widget()
            if widget.isEnabled() and widget.isVisible():
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def open_record(self, record_id: int) -> None:
        """Select and show a record (from search or a link), even if the filter hid it."""
        if not self.confirm_leave():
            return
        if self.model.row_of(record_id) is None and self.filter.text():
            self.filter.blockSignals(True)
            self.filter.clear()
            self.filter.blockSignals(False)
            self.model.set_filter("")
            self._update_count()
        self.show_record(record_id)
        self._reselect(record_id)

    def show_record(self, record_id: int) -> None:
        row = records.get(self.db, self.kind, record_id)
        self.current_id = record_id
        self.form.load(row)
        self.links.load(record_id)
        self._update_heading(row)
        self._update_buttons()
        self.record_shown(row)

    def record_shown(self, row: dict[str, Any] | None) -> None:
        """For pages that adjust their form to the record (e.g. a partnership's status)."""

    def headline(self, row: dict[str, Any]) -> list[str]:
        """What matters most about a record, in a line or a few, under its name (pages
        of kinds that have something to say say it)."""
        return []

    def _update_heading(self, row: dict[str, Any] | None) -> None:
        self.subheading.setText("\n".join(self.headline(row)) if row else "")
        self.subheading.setVisible(bool(self.subheading.text()))
        if row is None:
            self.heading.setText(f"New {self.spec.label.lower()}")
            return
        title = records.title_of(self.db, self.kind, row["id"])
        native = row.get("name_native") or row.get("partner_name_native")
        self.heading.setText(f"{title}   {native}" if native else title)

    def _update_buttons(self) -> None:
        dirty = self.form.dirty
        writable = not self.form.locked
        self.new_button.setEnabled(writable)
        self.save_button.setEnabled(writable and (dirty or self.current_id is None))
        self.revert_button.setEnabled(dirty)
        self.delete_button.setEnabled(writable and self.current_id is not None)

    def _dirty_changed(self, dirty: bool) -> None:
        self._update_buttons()
        window = self.window()
        if window is not None:
            window.setWindowModified(dirty)

    def confirm_leave(self) -> bool:
        """Ask about unsaved changes; False means stay where we are."""
        return ask_to_leave(self, self.form, f"this {self.spec.label.lower()}", self.save)

    def new_record(self, ask: bool = True) -> None:
        if ask and not self.confirm_leave():
            return
        self.current_id = None
        self._selecting = True
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        self._selecting = False
        self.form.load(None)
        self.links.load(None)
        self._update_heading(None)
        self._update_buttons()
        self.record_shown(None)

    def save(self) -> bool:
        record_id = self.current_id
        if record_id is None:
            values = self.form.values()

            def write(db: Database) -> Changes:
                return records.create(db, self.kind, values)
        else:
            values = self.form.changed_values()

            def write(db: Database) -> Changes:
                return records.update(db, self.kind, record_id, values)

        def saved(changes: Changes) -> None:
            self.current_id = changes.id
            self.form.mark_clean()

        done = operations_for(self.db).run(
            self, write, initiator=self, on_invalid=self.form.show_error, on_done=saved
        )
        return done is not None

    def revert(self) -> None:
        if self.current_id is None:
            self.form.load(None)
        else:
            self.show_record(self.current_id)

    def delete_record(self) -> None:
        if self.current_id is None:
            return
        title = records.title_of(self.db, self.kind, self.current_id)
        impact = records.delete_impact(self.db, self.kind, self.current_id)
        if not confirm_delete(self, self.spec.label.lower(), title, impact.describe()):
            return
        record_id = self.current_id

        def deleted(_changes: Changes) -> None:
            self.form.mark_clean()
            self.new_record(ask=False)

        operations_for(self.db).run(
            self,
            lambda db: records.delete(db, self.kind, record_id),
            initiator=self,
            title="Not deleted",
            on_done=deleted,
        )

    def export_list(self) -> None:
        from desk.io.list_export import export_list

        path, chosen = file_dialogs.save_path_and_filter(
            self,
            f"Export {self.spec.plural.lower()}",
            f"{self.spec.plural.lower()}.xlsx",
            "Excel workbook (*.xlsx);;CSV (*.csv)",
        )
        if path is None:
            return
        target = path
        if target.suffix.lower() not in (".xlsx", ".csv"):
            target = target.with_suffix(".csv" if "CSV" in chosen else ".xlsx")
        try:
            count = export_list(self.db, self.model.query, target)
        except (DeskError, OSError) as exc:
            QMessageBox.warning(self, "Export list", str(exc))
            return
        self.count_label.setText(f"{self.spec.count(count)} written to {target.name}")

    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()
