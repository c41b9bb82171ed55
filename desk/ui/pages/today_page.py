"""Today: the morning's inbox. What is overdue, due today, this week and later, each row
with its type and what it belongs to, narrowed to one type at a key; the selected item in
full beside the list; follow-ups captured in a line, ticked done and snoozed in place,
each time saying what was done with an Undo for exactly that."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.dates import long_date, weekday_month_day
from desk.core.domain.kinds import KINDS
from desk.core.domain.words import due_in
from desk.core.errors import DeskError
from desk.core.features import agenda
from desk.core.store.db import Database, holds_records
from desk.core.store.operations import Changes
from desk.ui.colors import tone
from desk.ui.ops import operations_for
from desk.ui.settings import settings
from desk.ui.widgets.agenda_detail import ItemDetail
from desk.ui.widgets.notice_bar import NoticeBar

if TYPE_CHECKING:
    from desk.ui.agenda_ahead import AgendaAhead

_ITEM = Qt.ItemDataRole.UserRole
_MORE = Qt.ItemDataRole.UserRole + 1  # on a section's "Show more" row: the section
MORE_STEP = 200  # items a "Show more" adds to each section

# Every key Today answers, as its tooltips and menus say them (and a sheet of shortcuts
# can list them): (what, keys).
KEYS = (
    ("Open the item: a follow-up in its place, anything else its record", "Enter"),
    ("Mark the follow-up done", "Ctrl+D"),
    ("Snooze the follow-up (then T, M, W, O or P)", "S"),
    ("Edit the follow-up", "E, F2"),
    ("New follow-up (quick capture)", "Ctrl+N"),
    (
        "Show everything / only " + ", ".join(t.plural.lower() for t in agenda.TYPES),
        f"Alt+1 ... Alt+{len(agenda.TYPES) + 1}",
    ),
    ("Undo what was just done", "Alt+U"),
    ("The filters", "Ctrl+L"),
)
# The filters, in order, each on Alt and its number: everything, then each type.
FILTERS: tuple[str | None, ...] = (None, *(t.key for t in agenda.TYPES))

Key = tuple[str, str, int, int | None]


class _AgendaTree(QTreeWidget):
    """The agenda's list, saying when it is next painted (`announce`): the detail beside
    it waits for that. Watching its viewport's events instead would hand that widget to
    Python, and PySide6 then sets up every widget class it knows: 6 ms of the window's
    first paint."""

    painted = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.announce = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.announce:
            self.announce = False
            self.painted.emit()


class TodayPage(QWidget):
    navigate = Signal(str, int)
    set_up_city = Signal()
    load_demo = Signal()
    import_files = Signal()
    kind = "today"

    def __init__(
        self, db: Database, parent: QWidget | None = None, ahead: AgendaAhead | None = None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self._ahead = ahead  # the first reading, begun while the window was loading
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
        # What the rules of the city's state ask of its ties (policy flags), if anything.
        self.policy = QLabel()
        self.policy.setAccessibleName("Policy flags")
        self.policy.setWordWrap(True)
        self.policy.setTextFormat(Qt.TextFormat.PlainText)
        self.policy.hide()
        self.new_button = QPushButton("New follow-up…")
        self.new_button.setToolTip(
            "Add a follow-up in a line, due friday, in 2 weeks or 12/15, for the selected "
            "item's record or on its own (Ctrl+N)"
        )
        self.new_button.clicked.connect(self.new_record)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.date_label)
        heading.addWidget(self.summary)
        heading.addWidget(self.policy)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignBottom)
        board.addLayout(top)

        # One type at a time, or all: a row of buttons that say how many each lists.
        filters = QHBoxLayout()
        filters.setSpacing(4)
        show = QLabel("Show:")
        filters.addWidget(show)
        self.filter_group = QButtonGroup(self)
        self.filter_group.setExclusive(True)
        self.filter_buttons: dict[str | None, QToolButton] = {}
        self.filter_actions: list[QAction] = []
        for number, key in enumerate(FILTERS, 1):
            chip = QToolButton()
            chip.setCheckable(True)
            chip.setAutoRaise(False)
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            about = "Every type of item" if key is None else agenda.item_type(key).about
            chip.setToolTip(f"{about} (Alt+{number})")
            chip.clicked.connect(lambda _checked=False, k=key: self.set_filter(k))
            self.filter_group.addButton(chip)
            self.filter_buttons[key] = chip
            filters.addWidget(chip)
            action = QAction(self._filter_name(key), self)
            action.setShortcut(QKeySequence(f"Alt+{number}"))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, k=key: self.set_filter(k))
            self.addAction(action)
            self.filter_actions.append(action)
        filters.addStretch(1)
        board.addLayout(filters)

        self.notice = NoticeBar()
        board.addWidget(self.notice)

        self.tree = _AgendaTree()
        self.tree.painted.connect(self._list_painted)
        self.tree.setAccessibleName("Agenda")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["When", "Type", "What", "For"])
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setTabKeyNavigation(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        header = self.tree.header()
        # Widths worked out from the words once per reading, not measured row by row at
        # every layout (tens of milliseconds of the first paint at 100,000 contacts).
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self._size_type_column()
        # What and For share the width left: the detail beside the list shows both whole.
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemActivated.connect(lambda item, _column: self._open(item))
        self.tree.currentItemChanged.connect(lambda *_: self._show_current())

        self.detail = ItemDetail()
        self.detail.navigate.connect(self.navigate)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(lambda: self._open(self.tree.currentItem()))
        self.done_button = QPushButton("Mark done")
        self.done_button.setToolTip("Tick this follow-up done today (Ctrl+D)")
        self.done_button.clicked.connect(self.mark_done)
        self.snooze_button = QToolButton()
        self.snooze_button.setText("Snooze")
        self.snooze_button.setToolTip(
            "Put this follow-up off: tomorrow, next Monday, a week, a month or a day you pick (S)"
        )
        self.snooze_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.snooze_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.snooze_menu = QMenu(self.snooze_button)
        self.snooze_menu.aboutToShow.connect(self._fill_snooze_menu)
        self.snooze_button.setMenu(self.snooze_menu)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Edit this follow-up: what, due, for, notes (E or F2)")
        self.edit_button.clicked.connect(self.edit_follow_up)
        for index, control in enumerate(
            (self.open_button, self.edit_button, self.done_button, self.snooze_button)
        ):
            control.setMinimumWidth(110)
            self.detail.buttons.addWidget(control, index // 2, index % 2)
        self.detail.buttons.setColumnStretch(2, 1)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.addWidget(self.tree)
        self.split.addWidget(self.detail)
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 0)
        self.split.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(260)
        self.split.setSizes([760, 340])
        state = settings().value("splitters/today/split")
        if state is not None:
            self.split.restoreState(state)
        board.addWidget(self.split, 1)
        layout.addWidget(self.board, 1)

        # The keys, each where the page is (the list, the detail, the buttons).
        def act(text: str, keys: list[str], slot: Callable[[], None]) -> QAction:
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            return action

        self.done_action = act("Mark done", ["Ctrl+D"], self.mark_done)
        self.snooze_action = act("Snooze…", ["S"], self.show_snooze_menu)
        self.edit_action = act("Edit follow-up…", ["E", "F2"], self.edit_follow_up)

        self.agenda: agenda.Agenda | None = None
        self._tones: dict[str, QColor] = {}  # the colors rows are shown in, per reading
        # Each section lists its first few (the window's first paint waits for them);
        # "Show more" asks for more, and they stay shown until the page is made again.
        self.shown = agenda.SHOWN_PER_SECTION
        self.only: str | None = None  # the type listed, None for every type
        self.keep: set[int] = set()  # follow-ups added here: listed wherever they fall
        self.reads = 0  # how many times the list was read (a write refreshes it once)
        # What the next reading selects: an item that answers `_want`, else the row at
        # position `_at` (the one that took the place of an item done or snoozed).
        self._want: Callable[[agenda.Item], bool] | None = None
        self._at: int | None = None
        # The detail of the first item waits for the list's first paint (it lays out
        # rich text: a few milliseconds the window's first paint need not wait for).
        self._painted = False
        self.tree.announce = True
        # The operation the bar offers to undo, and what it says once that is undone.
        self._offered: tuple[int | None, str, str] | None = None
        operations_for(db).did_execute.connect(self._heard)
        self.filter_buttons[None].setChecked(True)
        self.refresh()

    # -- filling -----------------------------------------------------------------------
    def refresh(self) -> None:
        self.reads += 1
        empty = not holds_records(self.db)
        self.welcome.setVisible(empty)
        self.board.setVisible(not empty)
        if empty:
            return
        chosen = self._selected()
        want, at = self._want, self._at
        self._want = self._at = None
        ahead, self._ahead = self._ahead, None
        found = ahead.take() if ahead is not None else None
        if found is None or (found.shown, found.only, found.keep) != (
            self.shown,
            self.only,
            frozenset(self.keep),
        ):
            found = agenda.build(self.db, shown=self.shown, only=self.only, keep=self.keep)
        self.agenda = found
        self.date_label.setText(long_date(found.today))
        self.summary.setText(self._summary_text(found))
        if self._painted:
            self._show_policy()  # else once the list is painted: its modules can wait
        self._name_filters(found)
        # Filled quietly: the detail beside the list is read once, for the row chosen.
        self.tree.blockSignals(True)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        self._tones = {name: tone(name, self.palette()) for name in ("muted", "danger", "warning")}
        heads = []
        for section in agenda.SECTIONS:
            total = found.counts[section]
            shown = found.sections[section]
            title = agenda.SECTION_TITLES[section]
            more = f" ({len(shown):,} shown)" if total > len(shown) else ""
            head = QTreeWidgetItem([f"{title} · {total:,}{more}"])
            head.setFont(0, bold)
            if section == "overdue" and total:
                head.setForeground(0, self._tones["danger"])
            head.setFlags(Qt.ItemFlag.ItemIsEnabled)
            rows = [self._row(entry, section) for entry in shown]
            if total > len(shown):
                rows.append(self._more_row(section, total - len(shown)))
            if not shown:
                nothing = (
                    "Nothing here." if self.only is None else agenda.item_type(self.only).nothing
                )
                quiet = QTreeWidgetItem(["", "", nothing])
                quiet.setFlags(Qt.ItemFlag.ItemIsEnabled)
                quiet.setForeground(2, self._tones["muted"])
                rows = [quiet]
            head.addChildren(rows)
            heads.append((head, section != "later" or total <= 60))
        # Rows are put in whole, then spanned and opened: each of those on a filled tree
        # lays the tree out again.
        self.tree.addTopLevelItems([head for head, _ in heads])
        for head, expanded in heads:
            head.setFirstColumnSpanned(True)
            head.setExpanded(expanded)
        self._size_when_column()
        self._select_after_reading(chosen, want, at)
        self.tree.blockSignals(False)
        self._show_current()

    def _select_after_reading(
        self, chosen: Key | None, want: Callable[[agenda.Item], bool] | None, at: int | None
    ) -> None:
        rows = self.entry_rows()
        entries = [row.data(0, _ITEM) for row in rows]
        target = None
        if want is not None:
            target = next((r for r, e in zip(rows, entries, strict=True) if want(e)), None)
        if target is None and at is not None and rows:
            target = rows[min(at, len(rows) - 1)]
        if target is None and chosen is not None:
            target = next(
                (r for r, e in zip(rows, entries, strict=True) if e.key() == chosen), None
            )
        if target is None and rows:
            target = rows[0]
        if target is not None:
            parent = target.parent()
            if parent is not None and not parent.isExpanded():
                parent.setExpanded(True)
            self.tree.setCurrentItem(target)
            self.tree.scrollToItem(target)

    def _name_filters(self, found: agenda.Agenda) -> None:
        whole = sum(found.totals.values())
        for key, button in self.filter_buttons.items():
            number = whole if key is None else found.by_type.get(key, 0)
            button.setText(f"{self._filter_name(key)} {number:,}")
            button.setAccessibleName(f"Show {self._filter_name(key).lower()}: {number:,}")
            button.setChecked(key == self.only)
        for key, action in zip(FILTERS, self.filter_actions, strict=True):
            action.setChecked(key == self.only)

    @staticmethod
    def _filter_name(key: str | None) -> str:
        return "All" if key is None else agenda.item_type(key).plural

    def set_filter(self, key: str | None) -> None:
        """List one type only (an agenda.TYPES key), or every type (None)."""
        if key != self.only:
            self.only = key
            self.refresh()
        else:
            self.filter_buttons[key].setChecked(True)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _more_row(self, section: str, unlisted: int) -> QTreeWidgetItem:
        text = (
            f"Show {MORE_STEP:,} more ({unlisted:,} not listed)"
            if unlisted > MORE_STEP
            else f"Show the other {unlisted:,}"
        )
        row = QTreeWidgetItem(["", "", text, ""])
        row.setData(0, _MORE, section)
        row.setToolTip(2, "List more of this section (Enter or double-click)")
        font = QFont(self.tree.font())
        font.setItalic(True)
        row.setFont(2, font)
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
        if not any(found.totals.values()):
            return "Nothing is due: no follow-ups, decisions or visits in the next 90 days."
        return found.headline().capitalize() + "."

    def _row(self, entry: agenda.Item, section: str) -> QTreeWidgetItem:
        context = entry.parent
        if entry.warning:
            context = f"⚠ {entry.warning} · {context}" if context else f"⚠ {entry.warning}"
        # Beside its Type, a title need not begin by saying it again ("Going quiet: no
        # contact with Turku..." reads "No contact with Turku..."); the command line,
        # which has no Type column, keeps it.
        title = entry.title
        if title.startswith(f"{entry.type_label}: "):
            rest = title[len(entry.type_label) + 2 :]
            title = rest[:1].upper() + rest[1:]
        row = QTreeWidgetItem([entry.when, entry.type_label, title, context])
        row.setData(0, _ITEM, entry)
        row.setToolTip(2, entry.title)
        row.setToolTip(3, context)
        row.setForeground(1, self._tones["muted"])
        if section == "overdue":
            row.setForeground(0, self._tones["danger"])
        if entry.warning:
            row.setForeground(3, self._tones["warning"])
        return row

    def _selected(self) -> Key | None:
        entry = self.current_entry()
        return None if entry is None else entry.key()

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

    def current_entry(self) -> agenda.Item | None:
        item = self.tree.currentItem()
        entry = item.data(0, _ITEM) if item is not None else None
        return entry if isinstance(entry, agenda.Item) else None

    def _position(self) -> int | None:
        current = self.tree.currentItem()
        rows = self.entry_rows()
        return rows.index(current) if current in rows else None

    def _size_type_column(self) -> None:
        # The page's font: on a change of text size the page hears of it first.
        metrics = self.fontMetrics()
        self.tree.setColumnWidth(
            1, 16 + max(metrics.horizontalAdvance(t.label) for t in agenda.TYPES)
        )

    def _size_when_column(self) -> None:
        metrics = self.fontMetrics()
        found = self.agenda
        widest = (
            max(
                (
                    metrics.horizontalAdvance(e.when)
                    for items in found.sections.values()
                    for e in items
                ),
                default=60,
            )
            if found is not None
            else 60
        )
        # Items sit one level in, under their section.
        self.tree.setColumnWidth(0, 2 * self.tree.indentation() + widest + 12)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "tree"):
            # Larger text: the columns measured in words are measured again.
            self._size_type_column()
            self._size_when_column()

    def _list_painted(self) -> None:
        if not self._painted:
            # The list is on screen: the detail, held back so as not to delay that, now.
            self._painted = True
            QTimer.singleShot(0, self._show_painted)

    def _show_policy(self) -> None:
        """Ties the state's rules flag, in a line or a few, with the notice once."""
        from desk.core.features import policy

        try:
            checked = policy.check(self.db)
        except DeskError:
            self.policy.hide()
            return
        lines = [f"⚑ {f.title}: {f.line}" for f in checked.flags[:5]]
        if len(checked.flags) > 5:
            lines.append(f"and {len(checked.flags) - 5:,} more (desk policy lists them all)")
        if lines:
            lines.append(policy.NOTICE)
        # Visitors' passport and health details the retention rule is about to clear,
        # said before it runs ('desk person retention --run' clears them).
        from desk.core.safety import person

        kept = person.retention_notice(self.db, dt.date.today())
        if kept:
            lines.append(kept)
        self.policy.setText("\n".join(lines))
        self.policy.setStyleSheet(f"color: {tone('warning', self.palette()).name()}")
        self.policy.setVisible(bool(lines))

    def _show_painted(self) -> None:
        if self.db.closed:
            return  # the window closed, its database with it, before this turn came
        if self.isVisible():
            self._show_policy()
            self._show_current()
        else:
            # Left (or the window closed, its database with it) before this turn came:
            # the detail waits for the list to be painted again.
            self._painted = False
            self.tree.announce = True

    def _show_current(self) -> None:
        """The selected item in the detail beside the list, and the buttons for it."""
        entry = self.current_entry()
        if not self._painted:
            self._update_buttons()
            return
        if entry is None:
            self.detail.show_detail(None)
        else:
            overdue = entry.due is not None and entry.due < dt.date.today()
            self.detail.show_detail(agenda.detail(self.db, entry), overdue)
        self._update_buttons()

    def _update_buttons(self) -> None:
        entry = self.current_entry()
        writable = not self.db.read_only
        self.open_button.setEnabled(entry is not None)
        if entry is not None and entry.follow_up_id is not None:
            self.open_button.setToolTip(
                "Open this follow-up where it belongs, selected (Enter)"
                if self._opener() is not None and KINDS[entry.open_kind].page
                else "Open this follow-up to read and change it (Enter)"
            )
        elif entry is not None:
            label = KINDS[entry.open_kind].label.lower()
            self.open_button.setToolTip(f"Open the {label} on its page (Enter)")
        ticks = entry is not None and entry.follow_up_id is not None and writable
        self.done_button.setEnabled(ticks)
        self.snooze_button.setEnabled(ticks)
        self.edit_button.setEnabled(ticks)
        self.new_button.setEnabled(writable)

    # -- acting ------------------------------------------------------------------------
    def _open(self, item: QTreeWidgetItem | None) -> None:
        section = item.data(0, _MORE) if item is not None else None
        if section:
            self.show_more(section)
            return
        entry = item.data(0, _ITEM) if item is not None else None
        if isinstance(entry, agenda.Item):
            self.open_entry(entry)

    def _opener(self) -> Callable[..., Any] | None:
        """The window's way to open a record with one of its linked records selected
        (`open_record(kind, id, select=(kind, id))`); none when Today stands alone."""
        return getattr(self.window(), "open_record", None)

    def open_entry(self, entry: agenda.Item) -> None:
        """A follow-up opens as itself: on its record's page with it selected where the
        window can do that, else in its own dialog. Anything else opens its record."""
        fid = entry.follow_up_id
        if fid is None:
            self.navigate.emit(entry.open_kind, entry.open_id)
            return
        opener = self._opener()
        if opener is not None and KINDS[entry.open_kind].page:
            opener(entry.open_kind, entry.open_id, select=("follow_up", fid))
            return
        self.edit_follow_up()

    def edit_follow_up(self) -> None:
        entry = self.current_entry()
        if entry is None or entry.follow_up_id is None:
            self._not_a_follow_up(entry, "edited")
            return
        from desk.ui.widgets.links_panel import record_dialog

        fid = entry.follow_up_id
        self._want = lambda e: e.follow_up_id == fid
        record_dialog(self.db, "follow_up", fid, parent=self).exec()
        self._want = None

    def _not_a_follow_up(self, entry: agenda.Item | None, verb: str) -> bool:
        """Say, in the bar, why nothing was done to this item; False when it can be."""
        if entry is None:
            self.notice.say(
                f"Nothing was {verb}: choose an item in the list first.", mood="warning"
            )
            return True
        if entry.follow_up_id is None:
            self.notice.say(
                f"Nothing was {verb}: “{entry.title}” is {agenda.item_type(entry.what).a_one}, "
                "not a follow-up. " + agenda.next_step(entry),
                mood="warning",
            )
            return True
        if self.db.read_only:
            self.notice.say(f"Nothing was {verb}: {self.db.read_only}.", mood="warning")
            return True
        return False

    def _write(
        self, write: Callable[[Database], Changes], title: str, *, at: int | None = None
    ) -> Changes | None:
        """Run one write; the list reads again (the window refreshes the page it shows,
        or the page does) with the cursor where it should go."""
        reads = self.reads
        if at is not None:
            self._at = at
        changes = operations_for(self.db).run(self, write, initiator=self, title=title)
        if changes is not None and self.reads == reads:
            self.refresh()
        self._want = self._at = None
        return changes

    def mark_done(self) -> None:
        entry = self.current_entry()
        if self._not_a_follow_up(entry, "marked done"):
            return
        assert entry is not None and entry.follow_up_id is not None
        fid = entry.follow_up_id
        changes = self._write(
            lambda db: agenda.mark_done(db, fid), "Not marked done", at=self._position()
        )
        if changes is None:
            return
        words = f"Marked done: follow-up “{entry.title}”"
        words += f" ({entry.parent})." if entry.parent and entry.decision == "" else "."
        if entry.decision:
            standing = self._decision_listed(entry.agreement_id)
            words += (
                f" Its agreement's decision is still to be made: it is now listed as "
                f"“{standing.title}”."
                if standing is not None
                else f" Its agreement's decision is still to be made ({entry.decision})."
            )
        again = f"Undone: “{entry.title}” is open again."
        self._offer_undo(words, again, changes, lambda e: e.follow_up_id == fid)

    def _decision_listed(self, agreement_id: int | None) -> agenda.Item | None:
        if self.agenda is None or agreement_id is None:
            return None
        for items in self.agenda.sections.values():
            for item in items:
                if item.what == "decision" and item.open_id == agreement_id:
                    return item
        return None

    def snooze(self, until: dt.date) -> None:
        entry = self.current_entry()
        if self._not_a_follow_up(entry, "snoozed"):
            return
        assert entry is not None and entry.follow_up_id is not None
        fid = entry.follow_up_id
        changes = self._write(
            lambda db: agenda.snooze(db, fid, until), "Not snoozed", at=self._position()
        )
        if changes is None:
            return
        days = (until - dt.date.today()).days
        words = f"Snoozed “{entry.title}” to {weekday_month_day(until)} ({due_in(days)})."
        was = f"due {weekday_month_day(entry.due)}" if entry.due else "undated"
        again = f"Undone: “{entry.title}” is {was} again."
        self._offer_undo(words, again, changes, lambda e: e.follow_up_id == fid)

    def _offer_undo(
        self,
        words: str,
        undone: str,
        changes: Changes,
        reselect: Callable[[agenda.Item], bool] | None,
    ) -> None:
        """Say what was done, with an Undo that takes back that operation and no other
        (`undone` is what the bar says once it is taken back)."""
        op_id = changes.op_id
        done = words.rstrip(".")

        def take_back() -> None:
            from desk.core.store import undo

            if op_id is None or op_id not in {i.id for i in undo.undoable(self.db, 500)}:
                self.notice.say(f"Already undone, or too long ago: {done}.", mood="warning")
                return
            self._want = reselect
            back = self._write(lambda db: undo.undo(db, op_id), "Cannot undo", at=self._position())
            if back is not None:
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

        self.notice.say(words, take_back)
        self._offered = (op_id, words, undone)

    def _heard(self, _changes: Changes, _initiator: object) -> None:
        """Whoever undid what the bar offers to undo (its button, Edit > Undo, a command
        in a terminal), the bar stops offering it and says it is undone."""
        if self._offered is None:
            return
        op_id, offered, words = self._offered
        if self.notice.text() != offered:
            return  # the bar has moved on to something else
        found = self.db.execute("SELECT undone_by FROM operations WHERE id = ?", (op_id,))
        row = found.fetchone()
        if row is not None and row[0] is not None:
            self._offered = None
            self.notice.say(words)

    def new_record(self) -> None:
        """Quick capture (Ctrl+N on Today): a follow-up in a line, listed and selected at
        once."""
        if self.db.read_only:
            self.notice.say(f"Nothing was added: {self.db.read_only}.", mood="warning")
            return
        from desk.ui.dialogs.capture_dialog import CaptureDialog

        entry = self.current_entry()
        reads = self.reads

        def made(changes: Changes) -> None:
            fid = changes.id
            if fid is None:
                return
            self.keep.add(fid)
            if self.only != "follow_up":
                self.only = None  # the new follow-up is listed whatever was filtered out
            self._want = lambda e: e.follow_up_id == fid

        dialog = CaptureDialog(self.db, agenda.capture_targets(self.db, entry), self, on_done=made)
        dialog.exec()
        changes = dialog.changes
        if changes is None or changes.id is None:
            self._want = None
            return
        if self.reads == reads:
            self.refresh()
        self._want = None
        added = self.current_entry()
        if added is not None and added.follow_up_id == changes.id:
            due = f"due {added.when}" if added.due is not None else "with no due date"
            parent = f", for {added.parent}" if added.parent else ""
            words = f"Added follow-up “{added.title}”, {due}{parent}."
        else:
            words = f"Added {changes.label.removeprefix('Add ')}."
        title = dialog.what.text().strip()
        self._offer_undo(words, f"Undone: follow-up “{title}” removed.", changes, None)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_snooze_menu(self) -> None:
        entry = self.current_entry()
        if self._not_a_follow_up(entry, "snoozed"):
            return
        row = self.tree.currentItem()
        place = (
            self.tree.viewport().mapToGlobal(self.tree.visualItemRect(row).bottomLeft())
            if row is not None
            else self.snooze_button.mapToGlobal(QPoint(0, self.snooze_button.height()))
        )
        self.snooze_menu.popup(place)

    def _fill_snooze_menu(self) -> None:
        self.snooze_menu.clear()
        today = dt.date.today()
        keys = {"Tomorrow": "&Tomorrow", "Next Monday": "Next &Monday"}
        keys |= {"In a week": "In a &week", "In a month": "In a m&onth"}
        for label, day in agenda.snooze_choices(today):
            action = self.snooze_menu.addAction(
                f"{keys.get(label, label)}  ({day.strftime('%a')} {day.month}/{day.day})"
            )
            action.triggered.connect(lambda _checked=False, d=day: self.snooze(d))
        self.snooze_menu.addSeparator()
        pick = self.snooze_menu.addAction("&Pick a date…")
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

    def _context_menu(self, position: QPoint) -> None:
        """Every action on the item, with its key."""
        row = self.tree.itemAt(position)
        if row is not None:
            self.tree.setCurrentItem(row)
        entry = self.current_entry()
        menu = QMenu(self)
        opening = menu.addAction("Open\tEnter")
        opening.setEnabled(entry is not None)
        opening.triggered.connect(lambda: self._open(self.tree.currentItem()))
        if entry is not None and entry.follow_up_id is not None:
            menu.addAction(self.edit_action)
            menu.addAction(self.done_action)
            snooze = menu.addMenu("Snooze")
            snooze.aboutToShow.connect(lambda: self._fill_into(snooze))
        if entry is not None:
            detail = agenda.detail(self.db, entry)
            for fact in detail.facts:
                if fact.opens is not None:
                    go = menu.addAction(f"Go to {fact.label.lower()} “{fact.text}”")
                    go.triggered.connect(
                        lambda _checked=False, o=fact.opens: self.navigate.emit(o[0], o[1])
                    )
        menu.addSeparator()
        new = menu.addAction("New follow-up…\tCtrl+N")
        new.setEnabled(not self.db.read_only)
        new.triggered.connect(self.new_record)
        show = menu.addMenu("Show")
        for action in self.filter_actions:
            show.addAction(action)
        menu.popup(self.tree.viewport().mapToGlobal(position))

    def _fill_into(self, menu: QMenu) -> None:
        self._fill_snooze_menu()
        menu.clear()
        for action in self.snooze_menu.actions():
            menu.addAction(action)

    def focus_record(self) -> None:
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_filter(self) -> None:
        """Ctrl+L on Today: the type filters (arrows move, Space chooses)."""
        self.filter_buttons[self.only].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def save_layout(self) -> None:
        settings().setValue("splitters/today/split", self.split.saveState())
