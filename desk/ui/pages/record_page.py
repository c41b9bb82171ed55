"""One page per record kind: a list on the left, the selected record on the right."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.kinds import KINDS
from desk.core.errors import DeskError
from desk.core.features import reading
from desk.core.store import queries, records
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui import file_dialogs
from desk.ui.leave import confirm_leave as ask_to_leave
from desk.ui.models.record_table import RecordTableModel
from desk.ui.ops import confirm_delete, operations_for
from desk.ui.settings import settings
from desk.ui.widgets.flow import FlowLayout
from desk.ui.widgets.form import RecordForm
from desk.ui.widgets.links_panel import LinksPanel
from desk.ui.widgets.reader import RecordReader


class _FormScroll(QScrollArea):
    """Makes the form it holds once it is shown and stays shown: a page opening shows
    its empty form for an instant before its first record is read into the page."""

    def __init__(self, make: Callable[[], QWidget], waiting: Callable[[], bool]) -> None:
        super().__init__()
        self._make: Callable[[], QWidget] | None = make
        self._waiting = waiting  # the list is being read: its first record comes next

    def showEvent(self, event: QShowEvent) -> None:
        if self._make is not None:
            QTimer.singleShot(0, self, self._make_if_shown)
        super().showEvent(event)

    def _make_if_shown(self) -> None:
        if self._make is None or not self.isVisible():
            return
        if self._waiting():
            QTimer.singleShot(50, self, self._make_if_shown)
            return
        make, self._make = self._make, None
        make()


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
        # The form (some thirty editors: a third of a page's making) is made when it is
        # first shown or asked for: a record opens as a page to read.
        self._form: RecordForm | None = None
        self._before_new: int | None = None  # the record read before New, for Cancel
        self.locked = db.read_only is not None
        self.form_scroll = form_scroll = _FormScroll(lambda: self.form, self._list_waiting)
        form_scroll.setWidgetResizable(True)
        # A record opens as a page to read; Edit (E, a double-click) turns it into the
        # form, and Save or Cancel back into the page.
        self.reader = RecordReader()
        self.reader.navigate.connect(self.navigate)
        self.reader.edit_requested.connect(self.edit)
        self.view = QStackedWidget()
        self.view.addWidget(self.reader)
        self.view.addWidget(form_scroll)
        self.editing = False
        self.new_button = QPushButton(f"New {self.spec.label.lower()}")
        self.edit_button = QPushButton("Edit")
        self.edit_button.setToolTip("Edit this record (E, or double-click it)")
        self.save_button = QPushButton("Save")
        self.save_button.setToolTip("Save the changes (Ctrl+S)")
        self.revert_button = QPushButton("Cancel")
        self.revert_button.setToolTip("Leave the form without saving (Esc)")
        self.delete_button = QPushButton("Delete…")
        # E on this page only: set apart, since the constructor's context argument is
        # not applied by the binding, and six pages holding E window-wide is no key.
        edit_key = QShortcut(QKeySequence("E"), self)
        edit_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        edit_key.activated.connect(self.edit)

        # One row when there is room, two when the page is narrow: the row of every
        # action at once held the page (and the list beside it) 650 px wide.
        buttons = FlowLayout()
        for button, slot in (
            (self.new_button, self.new_record),
            (self.edit_button, self.edit),
            (self.save_button, self.save),
            (self.revert_button, self.cancel_edit),
            (self.delete_button, self.delete_record),
        ):
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.extra_buttons = buttons  # a page's own actions follow the common ones
        from desk.core.store.merge import mergeable

        self.merge_button: QPushButton | None = None
        if mergeable(self.spec):
            # The same person, body or tie entered twice: folded into this one, links
            # and histories kept, in one step Undo takes back.
            self.merge_button = QPushButton("Merge with…")
            self.merge_button.setToolTip(
                f"Fold a duplicate into this {self.spec.label.lower()}, keeping every link"
            )
            self.merge_button.clicked.connect(self.merge_with)
            self.extra_buttons.addWidget(self.merge_button)
        self.links = LinksPanel(db, kind_name)
        self.links.navigate.connect(self.navigate)

        detail_top = QWidget()
        top_layout = self.top_layout = QVBoxLayout(detail_top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.heading)
        top_layout.addWidget(self.subheading)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.view, 1)
        self.detail_split = QSplitter(Qt.Orientation.Vertical)
        self.detail_split.addWidget(detail_top)
        self.detail_split.addWidget(self.links)
        # The record itself first, its linked records (timeline, itinerary, delegation)
        # below with room to read: at 1280x720 the record kept a strip of five lines.
        self.detail_split.setStretchFactor(0, 2)
        self.detail_split.setStretchFactor(1, 1)
        self._reading_sizes: list[int] | None = None  # the split as read, while editing

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(left)
        self.split.addWidget(self.detail_split)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.split)

        self._resize_timer = QTimer(self, singleShot=True, interval=0)
        self._resize_timer.timeout.connect(self._size_columns)
        self.filter_timer = QTimer(self, singleShot=True, interval=150)
        self.filter_timer.timeout.connect(self._apply_filter)
        self.filter.textChanged.connect(self.filter_timer.start)
        # Typing has begun: the list's order is read meanwhile, for the filter to keep.
        self.filter.textChanged.connect(lambda _text: self.model.prepare_filter())
        self.model.filtered.connect(self._filtered)
        self._restore_layout()
        self._update_count()
        self.new_record(ask=False)
        # A mail (.eml or Outlook .msg) dropped on the page is logged as an interaction
        # with the record shown, after a look at what desk made of it.
        from desk.ui.dialogs.mail_dialog import accept_mail_drops

        accept_mail_drops(
            self,
            db,
            lambda: (self.kind, self.current_id) if self.current_id is not None else None,
        )

    @property
    def form(self) -> RecordForm:
        """The record as a form, made on first use with the record shown loaded."""
        if self._form is None:
            form = self._form = RecordForm(self.db, self.kind)
            self.form_scroll._make = None
            form.dirty_changed.connect(self._dirty_changed)
            self.form_scroll.setWidget(form)
            shown = self.current_id
            form.load(records.get(self.db, self.kind, shown) if shown is not None else None)
        return self._form

    def _list_waiting(self) -> bool:
        return self.model.waiting()

    @property
    def dirty(self) -> bool:
        """Whether the form holds changes not saved (a form never made holds none)."""
        return self._form is not None and self._form.dirty

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
            self._measured_at = self.font().pointSizeF()  # as the person left them
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
        self._measured_at = self.font().pointSizeF()
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(40)
        self.table.resizeColumnsToContents()
        for column in range(header.count()):
            header.resizeSection(column, min(header.sectionSize(column), 220))
        self._sized = True
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Every column in view where it can be: the widest columns (names, titles) give
        up width, down to what still tells rows apart, before a column is pushed out of
        sight. Only once the list has its real width (a page built hidden has none)."""
        if not self.table.isVisible():
            self._fit_when_shown = True
            return
        self._fit_when_shown = False
        header = self.table.horizontalHeader()
        room = self.table.viewport().width()
        widths = [header.sectionSize(c) for c in range(header.count())]
        while room > 0 and sum(widths) > room:
            widest = max(range(len(widths)), key=widths.__getitem__)
            if widths[widest] <= 130:
                break
            widths[widest] = max(130, widths[widest] - (sum(widths) - room))
        if sum(widths) > room:
            # Too many columns to show at once: names and titles keep their width on the
            # left and the rest scroll, rather than every title cut short.
            return
        for column, width in enumerate(widths):
            header.resizeSection(column, width)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if getattr(self, "_fit_when_shown", False):
            QTimer.singleShot(0, self._fit_columns)
        if getattr(self, "_remeasure", False):
            self._remeasure = False
            self._resize_timer.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.FontChange
            and getattr(self, "_sized", False)
            and self.font().pointSizeF() != getattr(self, "_measured_at", None)
        ):
            # Larger text (View > Larger text) in columns measured for the smaller: a
            # date read '3/26/2…'. Measured again for the new size once the list has its
            # new font too; a page out of sight, when it is next shown. (A page put in
            # its place in the window hears of a font too, before it is ever shown.)
            if self.isVisible():
                self._resize_timer.start()
            else:
                self._remeasure = True

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
        if self.current_id is not None and self.model.row_of(self.current_id) is not None:
            self._reselect(self.current_id)
        elif self.current_id is not None and not self.dirty and self.model.rowCount():
            # The filter hid the record shown: show the first match instead, so what is
            # on the right is always one of the rows on the left.
            self.table.selectRow(0)
        elif self.current_id is None and self.isVisible():
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
            if not self.dirty:
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
        if self.current_id is None and not self.dirty and self.model.rowCount():
            self.table.selectRow(0)

    def focus_record(self) -> None:
        """Keyboard focus on the shown record's row in the list."""
        self.show_first()
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_form(self) -> None:
        """Into the form's first field, turning the page into the form."""
        self.set_editing(True)
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
        if self._form is not None:
            self._form.load(row)
        self.reader.show_sections(
            reading.sections(self.db, self.kind, row), "Nothing recorded yet. Press E to edit."
        )
        self.links.load(record_id)
        self._update_heading(row)
        self.set_editing(False)
        self.record_shown(row)

    def set_editing(self, editing: bool) -> None:
        """The form (editing) or the page to read; a new record is always the form, and
        has no linked records yet to show. The form takes most of the height while it is
        open (its fields are what one works on), and the split goes back as it was."""
        editing = editing or self.current_id is None
        was = self.editing
        self.editing = editing
        self.view.setCurrentWidget(self.form_scroll if editing else self.reader)
        self.links.setVisible(self.current_id is not None)
        total = sum(self.detail_split.sizes())
        if editing and not was and total > 0:
            self._reading_sizes = self.detail_split.sizes()
            self.detail_split.setSizes([total * 4 // 5, total - total * 4 // 5])
        elif not editing and was and self._reading_sizes is not None:
            self.detail_split.setSizes(self._reading_sizes)
            self._reading_sizes = None
        self._update_buttons()

    def edit(self) -> None:
        if self.locked or self.editing:
            return
        self.focus_form()

    def record_shown(self, row: dict[str, Any] | None) -> None:
        """For pages that adjust their form to the record (e.g. a partnership's status)."""

    def headline(self, row: dict[str, Any]) -> list[str]:
        """What matters most about a record, in a line or a few, under its name (pages
        of kinds that have something to say say it)."""
        return []

    def _update_heading(self, row: dict[str, Any] | None) -> None:
        lines = [*self.headline(row), *self._policy_lines(row)] if row else []
        self.subheading.setText("\n".join(lines))
        self.subheading.setVisible(bool(self.subheading.text()))
        if row is None:
            self.heading.setText(f"New {self.spec.label.lower()}")
            return
        title = records.title_of(self.db, self.kind, row["id"])
        native = row.get("name_native") or row.get("partner_name_native")
        self.heading.setText(f"{title}   {native}" if native else title)

    def _policy_lines(self, row: dict[str, Any]) -> list[str]:
        """What the rules of the city's state ask of this record, with the notice once."""
        from desk.core.features import policy

        try:
            flags = policy.flags_for(self.db, self.kind, row["id"])
        except DeskError:
            return []
        return [f"⚑ {f.text}" for f in flags] + ([policy.NOTICE] if flags else [])

    def _update_buttons(self) -> None:
        dirty = self.dirty
        writable = not self.locked
        editing = getattr(self, "editing", False)
        self.new_button.setEnabled(writable)
        self.edit_button.setVisible(not editing)
        self.edit_button.setEnabled(writable and self.current_id is not None)
        self.save_button.setVisible(editing)
        self.save_button.setEnabled(writable and (dirty or self.current_id is None))
        self.revert_button.setVisible(editing)
        self.revert_button.setEnabled(
            dirty or self.current_id is not None or self._before_new is not None
        )
        self.delete_button.setEnabled(writable and self.current_id is not None)
        if getattr(self, "merge_button", None) is not None:
            assert self.merge_button is not None
            self.merge_button.setEnabled(writable and self.current_id is not None and not editing)

    def _dirty_changed(self, dirty: bool) -> None:
        if dirty and not self.editing:
            self.set_editing(True)  # typed into: it is the form now
        self._update_buttons()
        window = self.window()
        if window is not None:
            window.setWindowModified(dirty)

    def confirm_leave(self) -> bool:
        """Ask about unsaved changes; False means stay where we are."""
        if self._form is None:
            return True  # never made: nothing typed
        return ask_to_leave(self, self.form, f"this {self.spec.label.lower()}", self.save)

    def new_record(self, ask: bool = True) -> None:
        if ask and not self.confirm_leave():
            return
        self._before_new = self.current_id  # where Cancel goes back to
        self.current_id = None
        self._selecting = True
        self.table.clearSelection()
        self.table.selectionModel().clearCurrentIndex()
        self._selecting = False
        if self._form is not None:
            self._form.load(None)
        self.links.load(None)
        self._update_heading(None)
        self.set_editing(True)
        self.record_shown(None)
        if ask:
            # Asked for (Ctrl+N, the New button): typing goes into the first field.
            self.focus_form()

    def save(self) -> bool:
        if not self.form.picked_all():
            return False
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
            if changes.id is not None:
                self.show_record(changes.id)

        done = operations_for(self.db).run(
            self, write, initiator=self, on_invalid=self.form.show_error, on_done=saved
        )
        if done is not None:
            self.after_save(done)
        return done is not None

    def merge_with(self) -> None:
        if self.current_id is None or not self.confirm_leave():
            return
        from desk.ui.dialogs.merge_dialog import MergeDialog

        dialog = MergeDialog(self.db, self.kind, self.current_id, None, self)
        if dialog.exec() and dialog.comparison is not None:
            self.open_record(dialog.comparison.keep)

    def after_save(self, changes: Changes) -> None:
        """For pages whose kind has more to do once a record is saved (a visit's
        playbook steps follow its dates)."""

    def cancel_edit(self) -> None:
        """Cancel (or Escape): the record as stored, as a page again; typed changes are
        asked about first, never thrown away unasked. A new record given up goes back to
        the record read before it, as the person left it."""
        if self.dirty and not self.confirm_leave():
            return
        if self.current_id is None:
            before = self._before_new
            if before is not None and self.model.row_of(before) is not None:
                self.show_record(before)
                self._reselect(before)
            else:
                self.revert()
            return
        self.show_record(self.current_id)

    def revert(self) -> None:
        """Cancel: the record as stored, read as a page again."""
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
        row = self.model.row_of(record_id)

        def deleted(_changes: Changes) -> None:
            # The row that took its place is shown next (the one above, at the end), as
            # in a mail client; a list left empty offers a new record.
            if self._form is not None:
                self._form.mark_clean()
            self.current_id = None
            self.model.refresh()
            self._update_count()
            left = self.model.rowCount()
            if left and row is not None:
                self.table.selectRow(min(row, left - 1))
            else:
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
