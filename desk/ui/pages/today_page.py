"""Today: what is overdue, due today, this week and later, each item with what it
belongs to; Enter opens it, follow-ups are ticked done or snoozed in place."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.dates import long_date
from desk.core.features import agenda
from desk.core.store.db import Database, holds_records
from desk.ui.colors import tone
from desk.ui.ops import operations_for

_ITEM = Qt.ItemDataRole.UserRole
_MORE = Qt.ItemDataRole.UserRole + 1  # on a section's "Show more" row: the section
MORE_STEP = 200  # items a "Show more" adds to each section


class TodayPage(QWidget):
    navigate = Signal(str, int)
    set_up_city = Signal()
    load_demo = Signal()
    import_files = Signal()
    kind = "today"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        layout = QVBoxLayout(self)
        self.welcome = QWidget()
        welcome_layout = QVBoxLayout(self.welcome)
        welcome_layout.setContentsMargins(24, 24, 24, 24)
        welcome_layout.setSpacing(14)
        title = QLabel("Welcome to desk")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        welcome_layout.addWidget(title)
        intro = QLabel(
            "This database is empty. Three ways to begin; you can do all three, in any order."
        )
        intro.setWordWrap(True)
        welcome_layout.addWidget(intro)
        self.setup_button = QPushButton("Set up our city…")
        self.import_button = QPushButton("Import your spreadsheets…")
        self.demo_button = QPushButton("Open the demo city")
        choices = (
            (
                self.setup_button,
                self.set_up_city,
                "Your city's name, state and home time zone: every itinerary shows times "
                "at home beside local time, and the survey and packets start from here.",
            ),
            (
                self.import_button,
                self.import_files,
                "Bring in the partner cities, agreements, visits and contacts you keep in "
                "Excel or CSV files, or address cards (vCard). You see every row before "
                "anything is stored, and one Undo takes an import back.",
            ),
            (
                self.demo_button,
                self.load_demo,
                "Look around first: Port Meridian, Oregon, with partners from Matsue to "
                "Guadalajara. It opens in a file and window of its own; nothing is added "
                "to this database.",
            ),
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(12)
        for row, (button, signal, text) in enumerate(choices):
            button.clicked.connect(signal)
            button.setMinimumWidth(240)
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            words = QLabel(text)
            words.setWordWrap(True)
            words.setMinimumWidth(420)
            words.setMaximumWidth(640)
            grid.addWidget(words, row, 1)
        grid.setColumnStretch(1, 1)
        holder = QHBoxLayout()
        holder.addLayout(grid)
        holder.addStretch(1)
        welcome_layout.addLayout(holder)
        welcome_layout.addStretch(1)
        layout.addWidget(self.welcome)

        self.board = QWidget()
        board = QVBoxLayout(self.board)
        board.setContentsMargins(0, 0, 0, 0)
        self.date_label = QLabel()
        font = self.date_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.date_label.setFont(font)
        self.summary = QLabel()
        self.summary.setAccessibleName("Summary")
        board.addWidget(self.date_label)
        board.addWidget(self.summary)

        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Agenda")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["When", "What", "For"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTabKeyNavigation(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.tree.itemActivated.connect(lambda item, _column: self._open(item))
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        board.addWidget(self.tree, 1)

        buttons = QHBoxLayout()
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Open what this belongs to (Enter)")
        self.open_button.clicked.connect(lambda: self._open(self.tree.currentItem()))
        self.done_button = QPushButton("Mark done")
        self.done_button.setToolTip("Tick this follow-up done today (Ctrl+D)")
        self.done_button.clicked.connect(self.mark_done)
        self.snooze_button = QToolButton()
        self.snooze_button.setText("Snooze")
        self.snooze_button.setToolTip("Put this follow-up off to a later day")
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_menu = QMenu(self.snooze_button)
        self.snooze_menu.aboutToShow.connect(self._fill_snooze_menu)
        self.snooze_button.setMenu(self.snooze_menu)
        for control in (self.open_button, self.done_button, self.snooze_button):
            buttons.addWidget(control)
        buttons.addStretch(1)
        board.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+D"), self.tree, self.mark_done)
        layout.addWidget(self.board, 1)
        self.agenda: agenda.Agenda | None = None
        # Each section lists its first few (the window's first paint waits for them);
        # "Show more" asks for more, and they stay shown until the page is made again.
        self.shown = agenda.SHOWN_PER_SECTION
        self.refresh()

    # -- filling -----------------------------------------------------------------------
    def refresh(self) -> None:
        empty = not holds_records(self.db)
        self.welcome.setVisible(empty)
        self.board.setVisible(not empty)
        if empty:
            return
        chosen = self._selected()
        found = agenda.build(self.db, shown=self.shown)
        self.agenda = found
        self.date_label.setText(long_date(found.today))
        self.summary.setText(self._summary_text(found))
        self.tree.clear()
        reselect = None
        bold = QFont(self.tree.font())
        bold.setBold(True)
        heads = []
        for section in agenda.SECTIONS:
            total = found.counts[section]
            shown = found.sections[section]
            title = agenda.SECTION_TITLES[section]
            more = f" ({len(shown):,} shown)" if total > len(shown) else ""
            head = QTreeWidgetItem([f"{title} · {total:,}{more}"])
            head.setFont(0, bold)
            if section == "overdue" and total:
                head.setForeground(0, tone("danger", self.palette()))
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            rows = [self._row(entry, section) for entry in shown]
            for entry, row in zip(shown, rows, strict=True):
                if chosen is not None and self._key(entry) == chosen:
                    reselect = row
            if total > len(shown):
                rows.append(self._more_row(section, total - len(shown)))
            if not shown:
                quiet = QTreeWidgetItem(["", "Nothing here."])
                quiet.setFlags(Qt.ItemFlag.ItemIsEnabled)
                quiet.setForeground(1, tone("muted", self.palette()))
                rows = [quiet]
            head.addChildren(rows)
            heads.append((head, section != "later" or total <= 60))
        # Rows are put in whole, then spanned and opened: each of those on a filled tree
        # lays the tree out again.
        self.tree.addTopLevelItems([head for head, _ in heads])
        for head, expanded in heads:
            head.setFirstColumnSpanned(True)
            head.setExpanded(expanded)
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(1, max(320, min(560, self.tree.sizeHintForColumn(1))))
        if reselect is not None:
            self.tree.setCurrentItem(reselect)
        else:
            self._select_first()
        self._update_buttons()

    def _more_row(self, section: str, unlisted: int) -> QTreeWidgetItem:
        text = (
            f"Show {MORE_STEP:,} more ({unlisted:,} not listed)"
            if unlisted > MORE_STEP
            else f"Show the other {unlisted:,}"
        )
        row = QTreeWidgetItem(["", text, ""])
        row.setData(0, _MORE, section)
        row.setToolTip(1, "List more of this section (Enter or double-click)")
        font = QFont(self.tree.font())
        font.setItalic(True)
        row.setFont(1, font)
        return row

    def show_more(self, section: str) -> None:
        """List MORE_STEP more items in every section, and put the cursor on the first
        one this section did not list before."""
        first_new = self.shown
        self.shown += MORE_STEP
        self.refresh()
        head = self.tree.topLevelItem(agenda.SECTIONS.index(section))
        row = head.child(first_new) if head is not None else None
        if head is not None and row is not None:
            head.setExpanded(True)
            self.tree.setCurrentItem(row)
            self.tree.scrollToItem(row)

    @staticmethod
    def _summary_text(found: agenda.Agenda) -> str:
        if not any(found.counts.values()):
            return "Nothing is due: no follow-ups, decisions or visits in the next 90 days."
        return found.headline().capitalize() + "."

    def _row(self, entry: agenda.Item, section: str) -> QTreeWidgetItem:
        context = entry.parent
        if entry.warning:
            context = f"⚠ {entry.warning} · {context}" if context else f"⚠ {entry.warning}"
        row = QTreeWidgetItem([entry.when, entry.title, context])
        row.setData(0, _ITEM, entry)
        row.setToolTip(1, entry.title)
        row.setToolTip(2, context)
        if section == "overdue":
            row.setForeground(0, tone("danger", self.palette()))
        if entry.warning:
            row.setForeground(2, tone("warning", self.palette()))
        return row

    @staticmethod
    def _key(entry: agenda.Item) -> tuple[str, int, int | None]:
        return (entry.open_kind, entry.open_id, entry.follow_up_id)

    def _selected(self) -> tuple[str, int, int | None] | None:
        entry = self.current_entry()
        return None if entry is None else self._key(entry)

    def entry_rows(self) -> list[QTreeWidgetItem]:
        """Every row that stands for an item, top to bottom (section heads left out)."""
        rows = []
        for n in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(n)
            if head is None:
                continue
            for k in range(head.childCount()):
                child = head.child(k)
                if child is not None and child.data(0, _ITEM) is not None:
                    rows.append(child)
        return rows

    def _select_first(self) -> None:
        rows = self.entry_rows()
        if rows:
            self.tree.setCurrentItem(rows[0])

    def current_entry(self) -> agenda.Item | None:
        item = self.tree.currentItem()
        entry = item.data(0, _ITEM) if item is not None else None
        return entry if isinstance(entry, agenda.Item) else None

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        self.open_button.setEnabled(entry is not None)
        ticks = entry is not None and entry.follow_up_id is not None and not self.db.read_only
        self.done_button.setEnabled(ticks)
        self.snooze_button.setEnabled(ticks)

    # -- acting ------------------------------------------------------------------------
    def _open(self, item: QTreeWidgetItem | None) -> None:
        section = item.data(0, _MORE) if item is not None else None
        if section:
            self.show_more(section)
            return
        entry = item.data(0, _ITEM) if item is not None else None
        if isinstance(entry, agenda.Item):
            self.navigate.emit(entry.open_kind, entry.open_id)

    def mark_done(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.follow_up_id is None:
            return
        fid = entry.follow_up_id
        operations_for(self.db).run(
            self, lambda db: agenda.mark_done(db, fid), title="Not marked done"
        )

    def snooze(self, until: dt.date) -> None:
        entry = self.current_entry()
        if entry is None or entry.follow_up_id is None:
            return
        fid = entry.follow_up_id
        operations_for(self.db).run(
            self, lambda db: agenda.snooze(db, fid, until), title="Not snoozed"
        )

    def _fill_snooze_menu(self) -> None:
        self.snooze_menu.clear()
        today = dt.date.today()
        for label, day in agenda.snooze_choices(today):
            action = self.snooze_menu.addAction(
                f"{label}  ({day.strftime('%a')} {day.month}/{day.day})"
            )
            action.triggered.connect(lambda _checked=False, d=day: self.snooze(d))
        self.snooze_menu.addSeparator()
        pick = self.snooze_menu.addAction("Pick a date…")
        pick.triggered.connect(self._pick_snooze_date)

    def _pick_snooze_date(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Snooze until")
        calendar = QCalendarWidget(dialog)
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        calendar.setMinimumDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        calendar.setSelectedDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Snooze")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        calendar.activated.connect(lambda _date: dialog.accept())
        column = QVBoxLayout(dialog)
        column.addWidget(calendar)
        column.addWidget(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            chosen = calendar.selectedDate()
            self.snooze(dt.date(chosen.year(), chosen.month(), chosen.day()))

    def focus_record(self) -> None:
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
