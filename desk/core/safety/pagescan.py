"""Reading table rows straight from the bytes of a damaged SQLite file (`desk check --repair`).

When SQLite can no longer walk a table (the file was cut short, a root or an interior page
was overwritten), the rows on the surviving leaf pages are still there. This reads the
file page by page without SQLite: each page's newest committed image (from the write-ahead
log when it has a valid one), the freelist (freed pages may still hold legible old cells,
which must never come back), every table's tree from its root in the schema, and then
every page of the file for table leaves no root reaches any more, which are placed by the
shape of their records. Only cells listed in a page's cell pointer array are read, so rows
deleted from a live page (left behind in its freeblocks) stay deleted.

An unreached leaf is only taken as live when its rowids fall where its table's tree has
lost a page above the leaves; where the tree is intact, the page can only be an old copy
(a freed page whose freelist entry was lost, say), and its rows are not returned.
"""

from __future__ import annotations

import re
import sqlite3
import struct
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from desk.core.domain.words import counted
from desk.core.safety.pagescan_records import (
    ENCODINGS,
    INDEX_INTERIOR,
    INDEX_LEAF,
    TABLE_INTERIOR,
    TABLE_LEAF,
    Column,
    Damaged,
    PageHeader,
    Value,
    Wal,
    as_trunk,
    decode_record,
    fits,
    follow_overflow,
    guess_page_size,
    index_cell_overflow,
    is_schema_row,
    page_header,
    parse_header,
    read_wal,
    signed,
    table_leaf_cell,
    to_row,
    u32,
    varint,
)

__all__ = ["Column", "ScanResult", "TableScan", "UnplacedPage", "expected_schema", "scan"]

Records = list[tuple[int, list[Value] | None]]  # rowid and fields; None: unreadable
_ALL = (-(1 << 63) - 1, (1 << 63) - 1)  # the rowid range (low, high] under a root


@dataclass
class TableScan:
    name: str
    rows: dict[int, tuple[Value, ...]] = field(default_factory=dict)  # rowid -> values
    unreadable_rows: int = 0  # cells on its pages that could not be decoded
    pages: list[int] = field(default_factory=list)  # leaf pages its rows came from
    placed_by_shape: list[int] = field(default_factory=list)  # of those, the unreached ones
    # Unreached copies lying where the table's tree is intact: old, so not used.
    stale_pages: list[int] = field(default_factory=list)
    conflicts: int = 0  # rowids met on more than one page
    root_page: int | None = None  # None: the file's schema does not name it


@dataclass(frozen=True)
class UnplacedPage:
    page: int
    records: int
    candidates: tuple[str, ...]  # tables every record fits: none, or more than one


@dataclass
class ScanResult:
    tables: dict[str, TableScan]
    unplaced_pages: list[UnplacedPage]
    freed_pages: int
    unreadable_pages: int
    page_size: int
    page_count_in_header: int | None  # None when the header is damaged
    pages_in_file: int
    encoding: str
    header_damaged: bool
    wal_used: bool
    wal_frames_used: int
    wal_frames_ignored: int
    notes: list[str]


class _Pages:
    """Each page's current image: the log's newest committed frame, else the file's."""

    def __init__(self, db: BinaryIO, log: BinaryIO | None, wal: Wal | None, size: int) -> None:
        self.db, self.log, self.size = db, log, size
        self.frames = wal.frames if wal and log else {}
        self.file_pages = db.seek(0, 2) // size
        self.last = 0  # set once the database's size is known

    def get(self, number: int) -> bytes | None:
        if not 1 <= number <= self.last:
            return None
        at = self.frames.get(number)
        if at is not None and self.log is not None:
            source, offset = self.log, at
        elif number <= self.file_pages:
            source, offset = self.db, (number - 1) * self.size
        else:
            return None  # cut off the end of the file
        source.seek(offset)
        data = source.read(self.size)
        return data if len(data) == self.size else None


class _Scanner:
    def __init__(self, db: BinaryIO, log: BinaryIO | None, expected: dict[str, list[Column]]):
        self.notes: list[str] = []
        self.expected = expected
        self.tables = {name: TableScan(name) for name in expected}
        # The rank of the page each kept row came from (see `_place`), one int per row.
        self.rank: dict[str, dict[int, int]] = {name: {} for name in expected}
        # Per table walked from a readable root: rowid ranges under pages that could not be
        # read (with their depth), and the depth of its leaves.
        self.gaps: dict[str, list[tuple[int, int, int]]] = {}
        self.leaf_depth: dict[str, int] = {}
        self.spans: dict[str, tuple[list[int], list[int]]] = {}  # lows, highs
        wal = read_wal(log) if log is not None else None
        if log is not None and wal is None and log.seek(0, 2) > 0:
            self.notes.append("The write-ahead log was ignored because its header is damaged.")
        db.seek(0)
        header = parse_header(db.read(100))
        if wal is not None and header.valid and wal.page_size != header.page_size:
            self.notes.append("The write-ahead log was ignored: its page size is not the file's.")
            wal = None
        if log is not None and wal is not None and 1 in wal.frames:
            log.seek(wal.frames[1])  # the header as the last committed transaction left it
            header = parse_header(log.read(100))
        self.header = header
        file_size = db.seek(0, 2)
        if header.valid:
            size = header.page_size
        else:
            size = wal.page_size if wal else guess_page_size(db, file_size)
            self.notes.append(
                f"The file's header is damaged; its page size ({size} bytes) was taken from "
                + ("the write-ahead log." if wal else "the pages themselves.")
            )
        self.wal = wal
        self.usable = size - header.reserved
        self.pages = pages = _Pages(db, log, wal, size)
        if file_size % size:
            self.notes.append(f"The file ends partway through page {pages.file_pages + 1}.")
        pages.last = (
            wal.db_pages if wal and wal.db_pages else max(pages.file_pages, header.page_count or 0)
        )
        self.last = pages.last
        # Pages past the end of the file exist only in the log; a damaged header may claim
        # billions of pages, so loops run over the pages there are, not over that count.
        beyond = sorted(n for n in pages.frames if n > pages.file_pages)
        self.present = (range(1, min(pages.file_pages, self.last) + 1), beyond)
        present = len(self.present[0]) + len(beyond)
        if header.page_count is not None and present < self.last:
            self.notes.append(
                f"The file is shorter than its header says: {present} of {self.last} pages "
                "are present."
            )
        self.encoding = header.encoding or "utf-8"
        self.freed: set[int] = set()
        self.claimed: set[int] = set()  # pages of a tree walked from a root in the schema
        self.overflow: set[int] = set()
        self.special: set[int] = {(1 << 30) // size + 1}  # the lock-byte page, pointer maps
        if header.valid and header.autovacuum:  # pointer maps: page 2, then every U/5 + 1
            top = max(self.present[0].stop, *self.present[1], 1)
            self.special.update(range(2, top + 1, self.usable // 5 + 1))
        self.unplaced: list[UnplacedPage] = []

    def run(self) -> ScanResult:
        if self.header.valid:
            self._walk_freelist(self.header.free_trunk, self.header.free_count)
        self._walk_roots(self._read_schema())
        orphans, unknown = self._scan_all()
        self._place_orphans(orphans)
        unreadable = len(unknown - self.overflow - self.freed)
        self._summarize(unreadable)
        return ScanResult(
            tables=self.tables,
            unplaced_pages=self.unplaced,
            freed_pages=len(self.freed),
            unreadable_pages=unreadable,
            page_size=self.pages.size,
            page_count_in_header=self.header.page_count,
            pages_in_file=self.pages.file_pages,
            encoding=self.encoding,
            header_damaged=not self.header.valid,
            wal_used=self.wal is not None,
            wal_frames_used=self.wal.used if self.wal else 0,
            wal_frames_ignored=self.wal.ignored if self.wal else 0,
            notes=self.notes,
        )

    def _walk_freelist(self, trunk: int, count: int) -> None:
        """Mark every trunk and leaf page of the freelist, stopping at anything that is not
        shaped like a trunk (out of range, seen before, a b-tree page, too many leaves)."""
        damaged = False
        while trunk and not damaged:
            page = self.pages.get(trunk) if trunk not in self.freed and trunk > 1 else None
            if page is None or page_header(page, trunk, self.usable, self.last):
                damaged = True
                break
            self.freed.add(trunk)
            trunk, leaves = struct.unpack_from(">II", page)
            if leaves > self.usable // 4 - 2:
                damaged = True
                break
            for leaf in struct.unpack_from(f">{leaves}I", page, 8):
                damaged |= not 2 <= leaf <= self.last
                if 2 <= leaf <= self.last:
                    self.freed.add(leaf)
        if damaged or len(self.freed) != count:
            self.notes.append(
                f"The list of freed pages is damaged: {len(self.freed)} of the {count} freed "
                "pages the header counts were found."
            )

    def _walk(
        self, root: int, interior: int, gaps: list[tuple[int, int, int]] | None = None
    ) -> Iterator[tuple[int, bytes, PageHeader, int]]:
        """Every page of a tree (table or index, by `interior` kind) with its depth, parents
        first. Only pages of the right kind are claimed; anything else is left to the full
        scan, and for a table the rowid range below it is noted in `gaps`."""
        stack, seen = [(root, *_ALL, 0)], set()
        while stack:
            number, low, high, depth = stack.pop()
            page = None
            if number not in seen and number not in self.claimed and number not in self.freed:
                page = self.pages.get(number)
            seen.add(number)
            hdr = page_header(page, number, self.usable, self.last) if page else None
            if page is None or hdr is None or hdr.kind not in (interior, interior + 8):
                if gaps is not None:
                    gaps.append((low, high, depth))
                continue
            self.claimed.add(number)
            if hdr.kind == interior:
                for cell in hdr.cells:
                    try:
                        child = u32(page, cell, self.usable)
                        key = high  # index cells hold no rowid; their ranges are not needed
                        if gaps is not None:
                            key = signed(varint(page, cell + 4, self.usable)[0])
                    except Damaged:
                        if gaps is not None:
                            gaps.append((low, high, depth + 1))
                        continue
                    stack.append((child, low, min(key, high), depth + 1))
                    low = max(low, key)
                stack.append((hdr.right, low, high, depth + 1))
            yield number, page, hdr, depth

    def _read_schema(self) -> list[tuple[str, str, int]]:
        payloads: list[bytes] = []
        for _, page, hdr, _ in self._walk(1, TABLE_INTERIOR):
            for cell in hdr.cells if hdr.kind == TABLE_LEAF else ():
                try:
                    payloads.append(self._payload(page, cell)[1])
                except Damaged:
                    continue
        best: list[tuple[str, str, int]] = []
        # With a damaged header the encoding is the one under which the schema reads.
        for encoding in [self.encoding] if self.header.valid else list(ENCODINGS.values()):
            entries = []
            for payload in payloads:
                try:
                    values = decode_record(payload, encoding)
                except Damaged:
                    continue
                if is_schema_row(values):
                    entries.append((str(values[0]), str(values[1]), int(values[3] or 0)))
            if len(entries) > len(best):
                best, self.encoding = entries, encoding
        if not best:
            self.notes.append("The file's schema could not be read; rows were placed by shape.")
        return best

    def _walk_roots(self, schema: list[tuple[str, str, int]]) -> None:
        by_name = {name.casefold(): name for name in self.expected}
        for kind, name, root in schema:
            if kind == "index" and root > 1:
                for _, page, hdr, _ in self._walk(root, INDEX_INTERIOR):
                    self._mark_index_overflow(page, hdr)
            if kind != "table" or root < 2:
                continue
            table = by_name.get(name.casefold())
            gaps: list[tuple[int, int, int]] = []
            for number, page, hdr, depth in self._walk(root, TABLE_INTERIOR, gaps):
                if hdr.kind == TABLE_LEAF:
                    records = self._records(page, hdr)
                    if table is not None:
                        self._place(table, number, records, reached=True)
                        self.leaf_depth[table] = depth
            if table is None:
                continue
            self.tables[table].root_page = root
            if root in self.claimed:
                self.gaps[table] = gaps
            else:
                self.notes.append(
                    f"The root page ({root}) of table {table} could not be read; its rows "
                    "were placed by their shape."
                )
        missing = [name for name, table_scan in self.tables.items() if table_scan.root_page is None]
        if schema and missing:
            self.notes.append(
                "These tables are not in the file's schema, so their rows could only be placed "
                f"by their shape: {', '.join(missing)}."
            )

    def _scan_all(self) -> tuple[list[tuple[int, Records]], set[int]]:
        """Every page no tree claimed: table leaves are kept for placing by shape; pages
        that are no b-tree page are unreadable unless they turn out to be overflow pages."""
        orphans: list[tuple[int, Records]] = []
        unknown: set[int] = set()
        trunks: list[tuple[int, tuple[int, ...]]] = []
        skip = self.claimed | self.freed | self.special
        for number in chain.from_iterable(self.present):
            page = None if number in skip or number in self.overflow else self.pages.get(number)
            if page is None:
                continue
            hdr = page_header(page, number, self.usable, self.last)
            if hdr is None:
                unknown.add(number)
                leaves = None if self.header.valid else as_trunk(page, self.usable, self.last)
                if leaves is not None:
                    trunks.append((number, leaves))
            elif hdr.kind == TABLE_LEAF and hdr.cells:
                orphans.append((number, self._records(page, hdr)))
            elif hdr.kind in (INDEX_INTERIOR, INDEX_LEAF):
                self._mark_index_overflow(page, hdr)
        # With the header damaged, freelist trunks are recognized by their shape, as long
        # as none of the pages they list is one some tree still uses.
        found = [(n, leaves) for n, leaves in trunks if not self.claimed.intersection(leaves)]
        for number, leaves in found:
            self.freed.add(number)
            self.freed.update(leaves)
        if found:
            self.notes.append(
                f"The header is damaged, so the {len(self.freed)} freed pages were found by "
                "the freelist pages that list them."
            )
        return [(n, records) for n, records in orphans if n not in self.freed], unknown

    def _place_orphans(self, orphans: list[tuple[int, Records]]) -> None:
        """Give each unreached leaf page to the one table that every record on it fits."""
        for number, records in orphans:
            readable = [(rowid, values) for rowid, values in records if values is not None]
            if readable and all(is_schema_row(values) for _, values in readable):
                continue  # a page of sqlite_schema itself
            fitting = tuple(
                name
                for name, columns in self.expected.items()
                if readable and all(fits(values, columns) for _, values in readable)
            )
            if len(fitting) != 1:
                self.unplaced.append(UnplacedPage(number, len(records), fitting))
            elif self._in_gaps(fitting[0], [rowid for rowid, _ in readable]):
                self._place(fitting[0], number, records, reached=False)
                self.tables[fitting[0]].placed_by_shape.append(number)
            else:
                table = self.tables[fitting[0]]
                table.stale_pages.append(number)
                table.conflicts += sum(rowid in table.rows for rowid, _ in readable)

    def _in_gaps(self, table: str, rowids: list[int]) -> bool:
        """Whether a leaf could hang below a page of the table's tree that was lost. All
        leaves are at one depth, so a lost leaf leaves room for no other page."""
        if table not in self.gaps:
            return True  # no readable root: nothing says where its pages belong
        if table not in self.spans:  # the lost ranges above leaf depth, merged and sorted
            depth = self.leaf_depth.get(table)
            spans: list[tuple[int, int]] = []
            for low, high, at in sorted(self.gaps[table]):
                if depth is not None and at >= depth:
                    continue
                if spans and low <= spans[-1][1]:
                    spans[-1] = (spans[-1][0], max(spans[-1][1], high))
                else:
                    spans.append((low, high))
            self.spans[table] = ([low for low, _ in spans], [high for _, high in spans])
        lows, highs = self.spans[table]
        for rowid in rowids:
            at = bisect_left(highs, rowid)
            if at == len(highs) or not lows[at] < rowid:
                return False
        return True

    def _place(self, table: str, number: int, records: Records, reached: bool) -> None:
        """Keep a page's rows; of two copies of a rowid, the one reached from the root wins,
        else the one from the write-ahead log, else the one on the higher page."""
        scan, columns, ranks = self.tables[table], self.expected[table], self.rank[table]
        scan.pages.append(number)
        rank = (reached << 33) | ((number in self.pages.frames) << 32) | number
        for rowid, values in records:
            if values is None or len(values) > len(columns):
                scan.unreadable_rows += 1
                continue
            if rowid in ranks:
                scan.conflicts += 1
                if ranks[rowid] > rank:
                    continue
            ranks[rowid] = rank
            scan.rows[rowid] = to_row(values, rowid, columns)

    def _records(self, page: bytes, hdr: PageHeader) -> Records:
        records: Records = []
        for cell in hdr.cells:
            rowid = 0
            try:
                rowid, payload = self._payload(page, cell)
                records.append((rowid, decode_record(payload, self.encoding)))
            except Damaged:
                records.append((rowid, None))
        return records

    def _payload(self, page: bytes, cell: int) -> tuple[int, bytes]:
        rowid, size, local, first = table_leaf_cell(page, cell, self.usable)
        if not first:
            return rowid, local
        rest, chain = follow_overflow(first, size - len(local), self.usable, self._chain_page)
        self.overflow.update(chain)
        return rowid, local + rest

    def _chain_page(self, number: int) -> bytes | None:
        """A page that may be part of an overflow chain: not one that a tree, the freelist
        or another chain already uses."""
        taken = (self.claimed, self.freed, self.overflow, self.special)
        return None if any(number in pages for pages in taken) else self.pages.get(number)

    def _mark_index_overflow(self, page: bytes, hdr: PageHeader) -> None:
        for cell in hdr.cells:
            try:
                interior = hdr.kind == INDEX_INTERIOR
                first, need = index_cell_overflow(page, cell, self.usable, interior)
                if first:
                    _, chain = follow_overflow(first, need, self.usable, self._chain_page)
                    self.overflow.update(chain)
            except Damaged:
                continue

    def _summarize(self, unreadable: int) -> None:
        if unreadable:
            self.notes.append(
                f"{counted(unreadable, 'page')} could not be read as any kind of page."
            )
        rows = sum(scan.unreadable_rows for scan in self.tables.values())
        if rows:
            self.notes.append(
                f"{counted(rows, 'row')} could not be read (a broken overflow chain or a "
                "damaged record)."
            )
        if self.unplaced:
            records = sum(page.records for page in self.unplaced)
            self.notes.append(
                f"{counted(len(self.unplaced), 'leaf page')} holding {counted(records, 'row')} "
                "fit no single table and were left unplaced."
            )
        stale = sum(len(scan.stale_pages) for scan in self.tables.values())
        if stale:
            self.notes.append(
                f"{counted(stale, 'leaf page')} held old copies (their table's tree is intact "
                "where their rows would go); their rows were not used."
            )
        conflicts = sum(scan.conflicts for scan in self.tables.values())
        if conflicts:
            self.notes.append(
                f"{counted(conflicts, 'row')} were found on two pages; one copy was kept."
            )
        for scan in self.tables.values():
            scan.pages.sort()
            scan.placed_by_shape.sort()


def scan(db_path: Path, wal_path: Path | None, expected: dict[str, list[Column]]) -> ScanResult:
    """Read every row that survives in a (possibly damaged) database file.

    `expected` names the tables to recover and their columns, in order (see
    `expected_schema`); other tables' pages are walked only to know they are in use.
    No SQLite connection to the file may be open in this process.
    """
    with ExitStack() as stack:
        db = stack.enter_context(open(db_path, "rb"))
        log = None
        if wal_path is not None and wal_path.exists():
            log = stack.enter_context(open(wal_path, "rb"))
        return _Scanner(db, log, expected).run()


def expected_schema(conn: sqlite3.Connection) -> dict[str, list[Column]]:
    """The tables and columns of a healthy database of the same schema, for `scan`.

    SQLite's own tables and the search index's shadow tables are left out (the index is
    rebuilt, not recovered), and so are WITHOUT ROWID tables, which are stored as indexes.
    """
    tables: dict[str, list[Column]] = {}
    listed = conn.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name"
    ).fetchall()
    for name, sql in listed:
        if str(name).lower().startswith(("sqlite_", "search_index")):
            continue
        if re.search(r"\bWITHOUT\s+ROWID\b", sql or "", re.IGNORECASE):
            continue
        info = conn.execute("SELECT * FROM pragma_table_info(?)", (name,)).fetchall()
        keys = [row for row in info if row[5]]
        alias = keys[0][1] if len(keys) == 1 and str(keys[0][2]).upper() == "INTEGER" else None
        tables[name] = [
            Column(column, declared or "", bool(notnull), column == alias, default)
            for _, column, declared, notnull, default, _ in info
        ]
    return tables
