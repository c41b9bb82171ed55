"""The list of one record kind: sorted and filtered by the database, rows read lazily.

The model holds only the ordered ids (a few hundred kilobytes at 100,000 records); the
view asks for the rows it shows, which are read a page at a time and cached.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from desk.core.domain.kinds import KINDS
from desk.core.store import queries
from desk.core.store.db import Database
from desk.ui.colors import status_color
from desk.ui.models.list_reader import ListReader

PAGE = 200
MAX_PAGES = 40
# A list this long is read and sorted on the reader's thread: at 100,000 contacts reading
# the order takes 30 to 50 ms, which the window would otherwise stand still for.
READ_APART_FROM_ROWS = 20_000
ID_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    filtered = Signal()  # a filter's matches are in the list

    def __init__(
        self, db: Database, kind_name: str, columns: list[str] | None = None, *, load: bool = True
    ) -> None:
        super().__init__()
        self.db = db
        self.spec = KINDS[kind_name]
        self.columns = columns or list(self.spec.list_columns)
        self.fields = [self.spec.field_map.get(c) for c in self.columns]
        self.query = queries.ListQuery(kind_name)
        self._ids: list[int] = []
        self._pages: OrderedDict[int, dict[int, dict[str, Any]]] = OrderedDict()
        self._reader: ListReader | None = None
        self._awaited: queries.ListQuery | None = None  # asked of the reader, not yet shown
        if load:  # a sorting view loads it through sort() instead
            self.refresh()

    # -- what the list shows -------------------------------------------------------
    def refresh(self) -> None:
        self._awaited = None  # read here and now: an answer still on its way is older
        self.beginResetModel()
        self._ids = queries.ids(self.db, self.query)
        self._pages.clear()
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        self.query = self._filtered_by(text)
        self.refresh()
        self.filtered.emit()

    def set_filter_soon(self, text: str) -> None:
        """Filter as typed: the matches are read on a thread of their own and shown when
        they arrive (`filtered`), so the next keystroke never waits for this one. A
        database in memory has no file for that thread to open, and filters at once."""
        query = self._filtered_by(text)
        reader = self._list_reader()
        if reader is None:
            self.set_filter(text)
            return
        self.query = self._awaited = query
        reader.ask(query)

    def prepare_filter(self) -> None:
        """Typing has begun: read the list's order on the reader's thread meanwhile."""
        reader = self._list_reader()
        if reader is not None:
            reader.prepare(self.query)

    def _list_reader(self) -> ListReader | None:
        if self.db.file is None:
            return None
        if self._reader is None:
            self._reader = ListReader(self.db.file)
            self._reader.read.connect(self._read)
            self._reader.failed.connect(self._read_failed)
        return self._reader

    def _read(self, query: queries.ListQuery, ids: list[int]) -> None:
        if query != self._awaited or query != self.query:
            return  # answered after the list moved on (read again, sorted, filtered)
        self._awaited = None
        self.beginResetModel()
        self._ids = ids
        self._pages.clear()
        self.endResetModel()
        self.filtered.emit()

    def _read_failed(self, query: queries.ListQuery, _message: str) -> None:
        if query == self._awaited and query == self.query:
            self.refresh()  # read here instead, where an error reaches the person
            self.filtered.emit()

    def stop_reading(self) -> None:
        if self._reader is not None:
            self._reader.stop()
            self._reader = None

    def _filtered_by(self, text: str) -> queries.ListQuery:
        return queries.ListQuery(
            self.query.kind, self.query.sort, self.query.descending, text, self.query.equals
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (also how a page first fills its list). A long list is read
        on the reader's thread and shown when it arrives (`filtered`), the rows on
        screen staying until then."""
        if not 0 <= column < len(self.columns):
            return
        query = queries.ListQuery(
            self.query.kind,
            self.columns[column],
            order == Qt.SortOrder.DescendingOrder,
            self.query.text,
            self.query.equals,
        )
        reader = self._list_reader() if self._long() else None
        if reader is None:
            self.query = query
            self.refresh()
            return
        self.query = self._awaited = query
        reader.ask(query)

    def _long(self) -> bool:
        if self._ids:
            return len(self._ids) >= READ_APART_FROM_ROWS
        # Not read yet: the largest id is one step down the table's b-tree.
        (top,) = self.db.execute(f"SELECT max(rowid) FROM {self.spec.table}").fetchone()
        return (top or 0) >= READ_APART_FROM_ROWS

    def waiting(self) -> bool:
        """Whether an order asked of the reader has yet to arrive."""
        return self._awaited is not None

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int | None:
        # One record's row at a time (to select it again): a scan in C takes a
        # millisecond at 200,000 rows, where a map of every row took forty.
        try:
            return self._ids.index(record_id)
        except ValueError:
            return None

    def _row(self, row: int) -> dict[str, Any] | None:
        page_no = row // PAGE
        page = self._pages.get(page_no)
        if page is None:
            wanted = self._ids[page_no * PAGE : (page_no + 1) * PAGE]
            page = queries.rows_by_id(self.db, self.spec.name, wanted, self.columns)
            self._pages[page_no] = page
            if len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        return page.get(self._ids[row])

    # -- Qt's side -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._status_tone(index)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._row(index.row())
        if row is None:  # deleted since the ids were read; a refresh follows
            return ""
        return queries.column_text(self.spec, self.columns[index.column()], row)

    def _status_tone(self, index: Index) -> Any:
        if self.columns[index.column()] != "status":
            return None
        row = self._row(index.row())
        return status_color(row.get("status") if row else None)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if not 0 <= section < len(self.columns):
            return None
        return queries.column_label(self.spec, self.columns[section])
