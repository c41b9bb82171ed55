"""The main window: a thin shell of navigation, pages, menus and background tasks."""

from __future__ import annotations

import contextlib
import functools
import importlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desk import __version__
from desk.core.domain.kinds import KINDS
from desk.core.errors import DeskError
from desk.core.store.db import Database
from desk.ui import databases, tasks
from desk.ui.file_actions import FileActions
from desk.ui.keys import SHEET_TEXT
from desk.ui.ops import operations_for
from desk.ui.pages.today_page import TodayPage
from desk.ui.screen import fit
from desk.ui.settings import settings
from desk.ui.wheel import guard_wheel

if TYPE_CHECKING:
    from desk.core.store.operations import Changes
    from desk.ui.agenda_ahead import AgendaAhead
    from desk.ui.pages.city_page import CityPage
    from desk.ui.pages.dashboard_page import DashboardPage
    from desk.ui.pages.map_page import MapPage
    from desk.ui.pages.record_page import RecordPage

    # What the window shows in its stack: built on first use, refreshed when stale.
    Page = TodayPage | RecordPage | CityPage | DashboardPage | MapPage


# What the window loads after its first paint, in this order: the lists and forms every
# record page shares, the country, time-zone and currency lists of their pickers, then
# the pages people open first, then search. "module:function" also calls the function.
WARM_UP_MODULES = (
    "sqlite_utils",  # transactions within transactions and table-level work
    "desk.core.store.queries:prepare",
    "desk.ui.widgets.form",
    "desk.ui.widgets.editors:prepare_long_lists",
    "desk.ui.pages.record_page",
    "desk.core.store.merge",  # every record page asks whether it offers Merge with…
    "desk.ui.kind_pages",
    "desk.ui.pages.partnership_page",
    "desk.ui.dialogs.mail_dialog",
    "desk.ui.pages.agreement_page",
    "desk.ui.pages.visit_page",
    "desk.core.features.holidays",  # a visit's days are read against them
    "desk.ui.pages.contact_page",
    "desk.ui.pages.city_page",
    "desk.ui.pages.dashboard_page",
    "desk.ui.pages.map_page",
    "desk.ui.dialogs.search_palette",
    "desk.core.reference.geo:countries",  # the map's shapes, then its drawing of them
    "desk.ui.widgets.world_map:land_paths",
)
WARM_UP_AFTER_MS = 400


def redo_keys() -> list[QKeySequence]:
    """The platform's redo keys and the two people try, each once."""
    keys: list[QKeySequence] = []
    for key in (
        *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
        QKeySequence("Ctrl+Shift+Z"),
        QKeySequence("Ctrl+Y"),
    ):
        if key not in keys:
            keys.append(key)
    return keys


def _application() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def build_page(db: Database, path: Path, key: str) -> Page:
    """A page other than Today. Each is imported when first opened: the window's first
    paint waits only for Today's code, never for the forms, lists and dialogs."""
    if key == "dashboard":
        from desk.ui.pages.dashboard_page import DashboardPage

        return DashboardPage(db)
    if key == "map":
        from desk.ui.pages.map_page import MapPage

        return MapPage(db)
    from desk.ui import kind_pages

    return kind_pages.page(db, path, key)


def watched_kinds(page_key: str) -> set[str]:
    """The kinds of record a page shows: its own, those in its tabs and those its fields
    name (a contact's organization). Today shows a little of everything."""
    if page_key in ("today", "dashboard"):
        return set(KINDS)
    if page_key == "map":
        return {"partnership", "city"}
    spec = KINDS[page_key]
    kinds = {page_key, "attachment"} | {link.kind for link in KINDS[page_key].links}
    kinds |= {f.ref for f in spec.fields if f.ref}
    return kinds


def read_only_banner(reason: str) -> QLabel:
    """The strip across the top of a read-only window: nothing typed here can be saved,
    so say so before the user types, not when Save is refused."""
    from html import escape  # 2 ms of the start of every window that is not read-only

    banner = QLabel(
        f"<b>Read-only</b>: {escape(reason)}. You can look, search, print and export, "
        "but changes cannot be saved."
    )
    banner.setObjectName("readOnlyBanner")
    banner.setWordWrap(True)
    banner.setMargin(8)
    banner.setAccessibleName("Read-only")
    # The palette's tooltip colors stay readable in light and dark themes alike.
    banner.setAutoFillBackground(True)
    banner.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
    banner.setForegroundRole(QPalette.ColorRole.ToolTipText)
    return banner


class MainWindow(FileActions):
    def __init__(self, db: Database, path: Path, ahead: AgendaAhead | None = None) -> None:
        super().__init__()
        self.db = db
        self.path = path
        self._ahead = ahead  # Today's first reading, begun while the window loaded
        self.ops = operations_for(db)
        self.ops.did_execute.connect(self._on_executed)
        # A command or script writing to the same file moves SQLite's data_version for
        # this connection; our own writes do not. Checked every two seconds (a pragma,
        # microseconds), so the window never shows stale records or a wrong Undo label.
        self._data_version = self._read_data_version()
        self._watch = QTimer(self)
        self._watch.timeout.connect(self._check_outside_changes)
        self._watch.start(2000)
        self._tasks: list[tasks.Task] = []
        self._back: list[tuple[str, int | None]] = []
        self._shown = False
        self._opening = False
        mode = " (read-only)" if db.read_only else ""
        self.setWindowTitle(f"desk - {path.name}{mode}[*]")

        self.nav = QListWidget()
        self.nav.setAccessibleName("Pages")
        self.nav.setMaximumWidth(180)
        self.stack = QStackedWidget()
        # Pages are built when first shown, so start-up reads one page's data, not all.
        # Today first, then each kind with a page of its own in its declared place, then
        # the pages over all of them.
        kind_pages = sorted((k for k in KINDS.values() if k.page), key=lambda k: k.page)
        self.factories: dict[str, Callable[[], Page]] = {
            "today": self._make_today,
            **{
                key: functools.partial(build_page, db, path, key)
                for key in (*(k.name for k in kind_pages), "dashboard", "map")
            },
        }
        labels = {
            "today": "Today",
            **{k.name: k.page_label or k.plural for k in kind_pages},
            "dashboard": "Dashboard",
            "map": "Map",
        }
        self.pages: dict[str, Page] = {}
        self.slots: dict[str, QWidget] = {}
        for key in self.factories:
            self.slots[key] = QWidget()
            self.stack.addWidget(self.slots[key])
            self.nav.addItem(labels[key])
        self.stale: set[str] = set()
        self.nav.currentRowChanged.connect(self._nav_changed)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([150, 1100])
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        if db.read_only:
            column.addWidget(read_only_banner(db.read_only))
        column.addWidget(split, 1)  # the pages take the height; the banner its lines
        self.setCentralWidget(central)
        self._build_menus()
        self._restore_window()
        self.nav.setCurrentRow(0)
        self._update_status()

    # -- pages -------------------------------------------------------------------------
    def _make_today(self) -> TodayPage:
        ahead, self._ahead = self._ahead, None
        today = TodayPage(self.db, ahead=ahead)
        today.set_up_city.connect(lambda: self.show_page("city"))
        today.load_demo.connect(self.load_demo)
        today.import_files.connect(self.open_import)
        return today

    def page(self, key: str) -> Any:
        """The page for a key, built on first use."""
        built = self.pages.get(key)
        if built is None:
            built = self.factories[key]()
            # A page's own choices and numbers (a dashboard's years, the map's kinds)
            # take the wheel only with focus, as the forms' editors do. Guarded page by
            # page: a filter on the whole application made every event of every widget
            # call into Python, a fifth of the window's making.
            guard_wheel(built)
            if hasattr(built, "navigate"):
                built.navigate.connect(self.open_record)
            slot = self.slots[key]
            index = self.stack.indexOf(slot)
            self.stack.insertWidget(index, built)
            self.stack.removeWidget(slot)
            slot.deleteLater()
            self.slots[key] = built
            self.pages[key] = built
            self.stale.discard(key)
        return built

    def current_page(self) -> Any:
        return self.stack.currentWidget()

    def show_page(self, key: str) -> bool:
        row = list(self.factories).index(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)
        return self.stack.currentWidget() is self.pages.get(key)

    def _nav_changed(self, row: int) -> None:
        key = list(self.factories)[row]
        current = self.current_page()
        if (
            current is not self.pages.get(key)
            and hasattr(current, "confirm_leave")
            and not (current.confirm_leave())
        ):
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(self.stack.currentIndex())
            self.nav.blockSignals(False)
            return
        target = self.page(key)
        self.stack.setCurrentWidget(target)
        if key in self.stale:
            self.stale.discard(key)
            target.refresh()
        if self._opening:
            return  # open_record shows its own record: showing the first one is wasted
        # Chosen from the keyboard (Ctrl+1...) or at start: the keys go on in the page.
        if not self.nav.hasFocus() and hasattr(target, "focus_record"):
            target.focus_record()
        elif hasattr(target, "show_first"):
            target.show_first()

    def open_record(self, kind: str, record_id: int, select: tuple[str, int] | None = None) -> None:
        """Go to a record wherever it lives: its page, its owner's page, or a dialog;
        `select` names a linked record to show selected on it (a follow-up on its visit)."""
        # A record without a page of its own (an itinerary item) shows on its owner's.
        from desk.core.store import records

        if select is None:
            # A file found by search opens where it is kept, selected among its files.
            from desk.core.store.attachments import owner_of

            owner = owner_of(self.db, kind, record_id)
            if owner is not None:
                self.open_record(*owner, select=(kind, record_id))
                return
        owner_field = KINDS[kind].parent
        while kind not in self.factories and owner_field:
            owner_id = records.get(self.db, kind, record_id)[owner_field]
            if owner_id is None:
                break
            kind, record_id = KINDS[kind].field_map[owner_field].ref or kind, owner_id
            owner_field = KINDS[kind].parent
        if kind not in self.factories:
            from desk.ui.widgets.links_panel import record_dialog

            record_dialog(self.db, kind, record_id, parent=self).exec()
            return
        here = self._place()
        self._opening = True
        try:
            shown = self.show_page(kind)
        finally:
            self._opening = False
        if shown:
            page = self.page(kind)
            page.open_record(record_id)
            if here is not None and here != self._place():
                self._back.append(here)
                del self._back[:-50]
            # Focus on the record opened, so the keyboard carries on from there (or on
            # the linked record asked for, selected in its list).
            links = getattr(page, "links", None)
            if select is not None and links is not None and links.select(*select):
                return
            if hasattr(page, "focus_record"):
                page.focus_record()

    def _place(self) -> tuple[str, int | None] | None:
        """Where the user is: the page and the record on it."""
        page = self.current_page()
        key = getattr(page, "kind", None)
        if key not in self.factories:
            return None
        return (key, getattr(page, "current_id", None))

    def go_back(self) -> None:
        """Back to where the user was before the last record they opened (Alt+Left or
        Escape), as in a browser. Escape in a record's form leaves the form first."""
        page = self.current_page()
        if getattr(page, "editing", False):
            page.cancel_edit()  # a new record given up goes back to the one read before
            return
        while self._back:
            key, record_id = self._back.pop()
            if not self.show_page(key):
                return  # the page kept the user: unsaved changes
            page = self.page(key)
            if record_id is not None and hasattr(page, "open_record"):
                page.open_record(record_id)
            if hasattr(page, "focus_record"):
                page.focus_record()
            return

    # -- changes -----------------------------------------------------------------------
    def _on_executed(self, changes: Changes, _initiator: object) -> None:
        # Pages that show none of the changed kinds are left alone; of the others, the
        # one on screen refreshes now and the rest when next shown. Work done in a child
        # process (an import) is told here too, so the watch for outside changes need
        # not read everything again.
        self._data_version = self._read_data_version()
        current = self.current_page()
        for key, page in self.pages.items():
            if not self._shows(key, page, changes):
                continue
            if page is current:
                page.refresh()
            else:
                self.stale.add(key)
        self._update_status()
        self._update_undo_actions()

    @staticmethod
    def _shows(key: str, page: Any, changes: Changes) -> bool:
        """Whether a page shows anything these changes touched."""
        kinds = changes.kinds
        # Today names contacts only as follow-ups' counterparts, by name: a contact just
        # added is nobody's counterpart yet, and one deleted is unlinked from its
        # follow-ups first, which are changes to follow-ups. So only a contact changed
        # can change Today; an import of 100,000 contacts, or its undoing, leaves it as
        # it was (it read again for a tenth of a second), unless it is still welcoming
        # an empty database.
        if key == "today" and not page.welcome.isVisibleTo(page):
            changed = {kind for kind, _id in changes.updated}
            kinds = kinds - ({"contact", "organisation"} - changed)
        return bool(kinds & watched_kinds(key))

    def refresh_all(self) -> None:
        """After a bulk load (the demo, a dump) or changes made outside this window: the
        page on screen reads again now, the others when next shown (each is a list of up
        to 100,000 rows to read; all at once held the window for a third of a second)."""
        current = self.current_page()
        for key, page in self.pages.items():
            if page is current:
                page.refresh()
            else:
                self.stale.add(key)
        self._update_status()
        self._update_undo_actions()

    def _update_status(self) -> None:
        counts = []
        for spec in sorted((k for k in KINDS.values() if k.counted), key=lambda k: k.page):
            (number,) = self.db.execute(f"SELECT count(*) FROM {spec.table}").fetchone()
            counts.append(spec.count(number))
        self.statusBar().showMessage(f"{self.path}   ·   {', '.join(counts)}")

    # -- menus -------------------------------------------------------------------------
    def _action(self, menu: Any, text: str, slot: Any, shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            shortcuts = shortcut if isinstance(shortcut, list) else [shortcut]
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "New database…", self.new_database, "Ctrl+Shift+N")
        self._action(file_menu, "Open database…", self.open_database, QKeySequence.StandardKey.Open)
        self.recent_menu = file_menu.addMenu("Open recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "Open the demo city", self.load_demo)
        file_menu.addSeparator()
        edit_menu = bar.addMenu("&Edit")
        # In a text box Ctrl+Z undoes typing (the box takes the shortcut first);
        # elsewhere it undoes the last change to the records.
        self.undo_action = self._action(edit_menu, "Undo", self.undo, QKeySequence.StandardKey.Undo)
        # Ctrl+Y and Ctrl+Shift+Z both redo, each once: the platform's own redo keys
        # already hold one of them on some systems, and a key held twice does nothing.
        self.redo_action = self._action(edit_menu, "Redo", self.redo, redo_keys())
        # Their text names the change at hand; the shortcut sheet names what they do.
        self.undo_action.setProperty(SHEET_TEXT, "Undo the last change")
        self.redo_action.setProperty(SHEET_TEXT, "Redo what was undone")
        edit_menu.addSeparator()
        self._action(edit_menu, "Trash…", self.open_trash)
        self._update_undo_actions()
        self._action(file_menu, "Import a spreadsheet or address book…", self.open_import, "Ctrl+I")
        self._action(file_menu, "Past imports…", self.open_imports)
        file_menu.addSeparator()
        self._action(file_menu, "Export calendar (iCalendar)…", self.export_calendar)
        self._action(file_menu, "Export contacts (vCard)…", self.export_cards)
        self._action(file_menu, "Export everything (JSON)…", self.export_json)
        self._action(file_menu, "Import a dump (JSON)…", self.import_json)
        self._action(file_menu, "Back up the database…", self.backup)
        self._action(file_menu, "Restore a backup…", self.restore_backup)
        file_menu.addSeparator()
        self._action(file_menu, "Survey workbook…", self.open_survey)
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu("&Record")
        self._action(edit, "New", lambda: self._on_page("new_record"), QKeySequence.StandardKey.New)
        self._action(edit, "Save", lambda: self._on_page("save"), QKeySequence.StandardKey.Save)
        self._action(
            edit,
            "Delete…",
            lambda: self._on_page("delete_record"),
            ["Ctrl+Delete", "Ctrl+Backspace"],
        )
        self._action(edit, "Filter this list", lambda: self._on_page("focus_filter"), "Ctrl+L")
        self._action(edit, "Search everything…", self.open_search, ["Ctrl+K", "Ctrl+F"])
        self._action(edit, "Find duplicates…", self.find_duplicates)
        go = bar.addMenu("&Go")
        self._action(go, "Back", self.go_back, ["Alt+Left", "Escape"])
        go.addSeparator()
        for n, key in enumerate(self.factories):
            label = self.nav.item(n).text()
            keys = f"Ctrl+{n + 1}" if n < 9 else ("Ctrl+0" if n == 9 else [])
            self._action(go, label, lambda _=False, k=key: self.show_page(k), keys)
        view = bar.addMenu("&View")
        self._action(view, "Larger text", lambda: self._zoom(1), ["Ctrl+=", "Ctrl++"])
        self._action(view, "Smaller text", lambda: self._zoom(-1), "Ctrl+-")
        # Ctrl+0 stays the tenth page (the map), as it always was.
        self._action(view, "Actual size", lambda: self._zoom(0), "Ctrl+Alt+0")
        themes = view.addMenu("Theme")
        from desk.ui import appearance

        for key, label in appearance.THEMES.items():
            action = self._action(themes, label, lambda _=False, k=key: self._theme(k))
            action.setCheckable(True)
            action.setChecked(key == appearance.theme())
            action.setData(key)
        self.theme_menu = themes
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "Keyboard shortcuts", self.show_shortcuts, ["F1", "Ctrl+/"])
        self._action(help_menu, "About desk", self.about)

    def new_database(self) -> None:
        databases.new_database(self)

    def open_database(self) -> None:
        databases.open_database_file(self, self.path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        shown = [p for p in databases.recent_files() if p.resolve() != self.path.resolve()]
        for path in shown:
            action = self.recent_menu.addAction(f"{path.name}   ({path.parent})")
            action.triggered.connect(
                lambda _checked=False, p=path: databases.open_recent(self, self.path, p)
            )
        if not shown:
            self.recent_menu.addAction("No other databases yet").setEnabled(False)

    def _on_page(self, method: str) -> None:
        page = self.current_page()
        if hasattr(page, method):
            getattr(page, method)()

    def open_search(self) -> None:
        from desk.ui.dialogs.search_palette import SearchPalette

        palette = SearchPalette(self.db, self)
        palette.chosen.connect(self.open_record)
        palette.exec()

    def open_import(self) -> None:
        from desk.ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.db, self.path, self)
        wizard.imported.connect(self._imported)
        wizard.exec()

    def _imported(self, batch: int) -> None:
        # The import ran on a connection of its own; tell the views what it added.
        op_id = self.db.execute("SELECT op_id FROM import_batches WHERE id = ?", (batch,))
        found = op_id.fetchone()
        if found and found[0]:
            from desk.core.store import operations

            changes = operations.touched(self.db, found[0])
            # Told on the next turn of the event loop: reading what the import touched
            # and refreshing the page on screen are each well under 100 ms at 100,000
            # rows, together not always, and the window paints in between.
            QTimer.singleShot(0, lambda: self.ops.announce(changes))

    def undo(self) -> None:
        if self._settle_page():
            self._after_undo(self.ops.undo(self), "Undone")

    def redo(self) -> None:
        if self._settle_page():
            self._after_undo(self.ops.redo(self), "Redone")

    def _after_undo(self, changes: Changes | None, verb: str) -> None:
        if changes is None:
            return
        from desk.core.store import records

        what = changes.label.split(" ", 1)[1] if " " in changes.label else changes.label
        self.statusBar().showMessage(f"{verb}: {what}", 8000)
        # Show the record that came back or changed, or the one a removed record belonged
        # to (an itinerary item taken out of its visit shows its visit).
        for kind, record_id in (*changes.created, *changes.updated, *self._owners(changes)):
            if self._has_page(kind):
                with contextlib.suppress(DeskError):
                    records.get(self.db, kind, record_id)
                    self.open_record(kind, record_id)
                    return

    def _has_page(self, kind: str) -> bool:
        """Whether a record of this kind shows on a page (its own or an owner's)."""
        while kind not in self.factories:
            parent = KINDS[kind].parent
            if not parent:
                return False
            kind = KINDS[kind].field_map[parent].ref or ""
        return kind != "today"

    def _owners(self, changes: Changes) -> list[tuple[str, int]]:
        """The records that the records an operation removed belonged to."""
        import json

        owners = []
        for kind, record_id in changes.deleted:
            parent = KINDS[kind].parent
            if not parent:
                continue
            row = self.db.execute(
                "SELECT changes FROM history WHERE op_id = ? AND kind = ? AND record_id = ? "
                "AND action = 'delete'",
                (changes.op_id, kind, record_id),
            ).fetchone()
            owner = json.loads(row[0]).get(parent) if row else None
            target = KINDS[kind].field_map[parent].ref
            if isinstance(owner, int) and target:
                owners.append((target, owner))
        return owners

    def _read_data_version(self) -> int:
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def _check_outside_changes(self) -> None:
        try:
            version = self._read_data_version()
        except sqlite3.ProgrammingError:  # the database was closed under a closing window
            self._watch.stop()
            return
        if version == self._data_version:
            return
        from desk.ui import tasks

        if tasks.busy():
            return  # work of this window's own; it says what it changed when it ends
        self._data_version = version
        page = self.current_page()
        if getattr(page, "dirty", False):
            return  # never pull a form out from under someone typing; next tick
        self.refresh_all()
        self.statusBar().showMessage("Updated with changes made outside this window", 8000)

    def _settle_page(self) -> bool:
        """Unsaved edits on screen come first: undo acts on what is stored."""
        page = self.current_page()
        return not hasattr(page, "confirm_leave") or page.confirm_leave()

    def _update_undo_actions(self) -> None:
        undo_label, redo_label = self.ops.undo_label(), self.ops.redo_label()
        if undo_label is not None and self.ops.undo_blocked():
            # Said, not hidden: the person learns why undo stops here.
            self.undo_action.setText(f"Can't Undo {undo_label}")
            self.undo_action.setEnabled(False)
        else:
            self.undo_action.setText(f"Undo {undo_label}" if undo_label else "Undo")
            self.undo_action.setEnabled(undo_label is not None)
        self.redo_action.setText(f"Redo {redo_label}" if redo_label else "Redo")
        self.redo_action.setEnabled(redo_label is not None)

    def open_trash(self) -> None:
        from desk.ui.dialogs.trash_dialog import TrashDialog

        TrashDialog(self.db, self).exec()

    def open_imports(self) -> None:
        from desk.ui.dialogs.undo_imports import UndoImportsDialog

        UndoImportsDialog(self.db, self).exec()

    def open_survey(self) -> None:
        from desk.ui.dialogs.survey_wizard import SurveyWizard

        SurveyWizard(self.db, self.path, self).exec()

    def find_duplicates(self) -> None:
        from desk.core.store.merge import mergeable
        from desk.ui.dialogs.merge_dialog import DuplicatesDialog

        kind = str(getattr(self.current_page(), "kind", ""))
        if kind not in KINDS or not mergeable(KINDS[kind]):
            kind = "contact"
        DuplicatesDialog(self.db, kind, self).exec()
        self.refresh_all()

    def show_shortcuts(self) -> None:
        from desk.ui.dialogs.shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self.menuBar(), self).exec()

    def _zoom(self, step: int) -> None:
        from desk.ui import appearance

        steps = appearance.change_zoom(_application(), step)
        self.statusBar().showMessage(f"Text size {100 + 10 * steps}%", 4000)

    def _theme(self, name: str) -> None:
        from desk.ui import appearance

        appearance.set_theme(_application(), name)
        for action in self.theme_menu.actions():
            action.setChecked(action.data() == appearance.theme())

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About desk",
            f"desk {__version__}\n\nThe offline desk for a "
            "city's international affairs.\n\nDatabase: " + str(self.path),
        )

    # -- window state ------------------------------------------------------------------
    def _restore_window(self) -> None:
        geometry = settings().value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            fit(self, 1440, 900, share=0.9, guard=False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:
            # The keyboard starts in the first page's list, not nowhere.
            self._shown = True
            page = self.current_page()
            if hasattr(page, "focus_record"):
                QTimer.singleShot(0, page.focus_record)
            QTimer.singleShot(WARM_UP_AFTER_MS, lambda: self._warm_up(list(WARM_UP_MODULES)))

    def _warm_up(self, pending: list[str]) -> None:
        """Load the other pages' code once the window is up, one module per idle moment
        (each well under 100 ms), so the first visit to a page does not wait for it."""
        if pending:
            name, _, function = pending.pop(0).partition(":")
            module = importlib.import_module(name)
            if function:
                getattr(module, function)()
            QTimer.singleShot(0, lambda: self._warm_up(pending))

    def closeEvent(self, event: QCloseEvent) -> None:
        page = self.current_page()
        if hasattr(page, "confirm_leave") and not page.confirm_leave():
            event.ignore()
            return
        store = settings()
        store.setValue("window/geometry", self.saveGeometry())
        for widget in self.pages.values():
            if hasattr(widget, "save_layout"):
                widget.save_layout()
            stop_reading = getattr(getattr(widget, "model", None), "stop_reading", None)
            if stop_reading is not None:
                stop_reading()
        store.sync()
        self._watch.stop()
        event.accept()
