"""Recovering what can still be read from a damaged database into a new file.

SQLite stores each table as a tree of pages keyed by row id. When some pages are
damaged, the rows on the others can still be read by asking for row ids past the bad
ones: this walks every table that way first. Rows on pages the tree no longer reaches
(a zeroed root or interior page, a file cut short) are then read straight from the
file's bytes (`pagescan`), which tells live pages from freed ones so nothing deleted
comes back. What both find goes into a fresh database of this desk's schema; links left
pointing at lost records are mended, the search index rebuilt, and the losses said
table by table. The damaged file is only read.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from desk.core.domain.kinds import KINDS
from desk.core.domain.words import counted

_FIRST_ROWID = -(2**63)
_LARGEST_SKIP = 2**62
_BATCH = 512

# How internal tables are named to a user; record tables are named by their kind.
_TABLE_WORDS = {
    "history": "history entries",
    "operations": "undo steps",
    "import_batches": "import records",
    "column_mappings": "remembered column mappings",
}


# The file's own facts, not records: never counted as lost (a fresh file makes its own).
_OWN_FACTS = ("file_meta",)


@dataclass
class TableSalvage:
    table: str
    recovered: int = 0
    expected: int | None = None  # None: the damaged file could not even count them
    unreadable: list[tuple[int, int | None]] = field(default_factory=list)  # id ranges
    from_pages: int = 0  # of `recovered`, read from pages the table's tree lost
    damaged_rows: int = 0  # found on the pages, too damaged to read
    failed_rows: int = 0  # read, but refused by this desk's schema
    orphans_dropped: int = 0
    missing: bool = False  # the file's list of tables is readable and lacks this one
    unknown: bool = False  # the file's list of tables could not be read for this one

    def lost(self) -> list[str]:
        """What was certainly lost, in words; empty when nothing was."""
        if self.table in _OWN_FACTS:
            return []
        if self.missing:
            return ["the table was missing from the file; it starts empty"]
        parts = []
        if self.expected is not None and self.expected > self.recovered:
            parts.append(f"{self.recovered:,} of {self.expected:,} recovered")
            for first, last in self.unreadable:
                if last is None:
                    parts.append(f"ids from {max(first, 1):,} on could not be read")
                elif first == last:
                    parts.append(f"id {first:,} could not be read")
                else:
                    parts.append(f"ids {max(first, 1):,}–{last:,} could not be read")
        if self.damaged_rows:
            parts.append(f"{self.damaged_rows:,} too damaged to read")
        if self.failed_rows:
            parts.append(f"{self.failed_rows:,} read but not valid")
        if self.orphans_dropped:
            parts.append(f"{self.orphans_dropped:,} belonged to lost records")
        return parts

    @property
    def uncertain(self) -> bool:
        """Whether desk cannot tell if rows are missing: the file could not count them,
        and part of the table could not be read by SQLite."""
        if self.table in _OWN_FACTS or self.missing:
            return False
        return self.expected is None and bool(self.unreadable or self.unknown)

    @property
    def complete(self) -> bool:
        return not self.lost() and not self.uncertain


@dataclass
class Salvage:
    path: Path
    tables: list[TableSalvage]
    links_cleared: int = 0
    unplaced_rows: int = 0  # rows on pages no table could be told from their shape
    notes: list[str] = field(default_factory=list)  # what the file itself showed

    @property
    def complete(self) -> bool:
        return (
            all(t.complete for t in self.tables)
            and not self.links_cleared
            and not self.unplaced_rows
        )

    def recovered(self) -> int:
        return sum(t.recovered for t in self.tables)

    def losses(self) -> list[str]:
        """One line per table that certainly lost something, in words a user can act on."""
        lines = []
        for table in self.tables:
            parts = table.lost()
            if parts:
                lines.append(f"{table_words(table.table)}: " + "; ".join(parts) + ".")
        if self.unplaced_rows:
            lines.append(
                f"{counted(self.unplaced_rows, 'row')} on pages that could not be told "
                "apart as one table's or another's were left out."
            )
        if self.links_cleared:
            lines.append(
                f"{counted(self.links_cleared, 'link')} to lost records "
                f"{'was' if self.links_cleared == 1 else 'were'} cleared "
                "(the records that held them are kept)."
            )
        return lines

    def uncertain(self) -> str | None:
        """One line for the tables whose losses cannot be known (the file could not say
        how many rows they held), or None."""
        tables = [t for t in self.tables if t.uncertain and not t.lost()]
        if not tables:
            return None
        listed = ", ".join(
            f"{table_words(t.table)} ({t.recovered:,} recovered)"
            if t.recovered
            else f"{table_words(t.table)} (none found; it may have been empty)"
            for t in tables
        )
        return (
            "The file could not say how many rows these held, so desk cannot tell whether "
            f"any are missing: {listed}. Compare with a backup ('desk backups')."
        )


def table_words(table: str) -> str:
    for spec in KINDS.values():
        if spec.table == table:
            return spec.plural
    return _TABLE_WORDS.get(table, table.replace("_", " "))


def salvage(source: Path, destination: Path) -> Salvage:
    """Read what can be read of `source` into a new database at `destination` (which
    must not exist). `source` is opened read-only and never changed."""
    from desk.core.store import index
    from desk.core.store.db import open_database

    destination = Path(destination)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        fresh = open_database(partial, create=True)
        try:
            result = _copy_all(Path(source), fresh.conn)
            index.rebuild(fresh)
        finally:
            fresh.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        raise
    # Whole on disk before it takes the finished name: a recovery stopped midway leaves
    # only a `.partial`, never a half file that reads as the recovered one.
    fd = os.open(partial, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    partial.replace(destination)
    from desk.core.disk.files import sync_folder

    sync_folder(destination.parent)
    result.path = destination
    return result


def recovered_name(path: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.recovered-{stamp}.sqlite")


def _copy_all(source: Path, dest: sqlite3.Connection) -> Salvage:
    from desk.core.store.db import connect_read_only

    tables = [
        name
        for (name,) in dest.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_index%' ORDER BY rowid"
        )
    ]
    result = Salvage(path=Path(), tables=[])
    dest.execute("PRAGMA foreign_keys = OFF")
    dest.execute("BEGIN IMMEDIATE")
    try:
        src = connect_read_only(source, past_damage=True)
        try:
            for table in tables:
                result.tables.append(_copy_table(src, dest, table))
            _keep_id_counters(src, dest)
        finally:
            src.close()  # the page scan reads the file's bytes: no connection may be open
        _add_scanned(source, dest, result)
        result.links_cleared = _mend_links(dest, {t.table: t for t in result.tables})
        dest.execute("COMMIT")
    except BaseException:
        dest.execute("ROLLBACK")
        raise
    dest.execute("PRAGMA foreign_keys = ON")
    return result


def _copy_table(src: sqlite3.Connection, dest: sqlite3.Connection, table: str) -> TableSalvage:
    found = TableSalvage(table)
    wanted = [row[1] for row in dest.execute(f'PRAGMA table_info("{table}")')]
    try:
        present = {row[1] for row in src.execute(f'PRAGMA table_info("{table}")')}
    except sqlite3.DatabaseError:
        present = set()
        found.unknown = True
    columns = [c for c in wanted if c in present]
    if not columns:
        found.missing = not found.unknown
        return found
    try:
        found.expected = int(src.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    except sqlite3.DatabaseError:
        found.expected = None
    # Rows the fresh schema made for itself (such as the one city profile) give way.
    dest.execute(f'DELETE FROM "{table}"')
    names = ", ".join(f'"{c}"' for c in columns)
    insert = (
        f'INSERT OR REPLACE INTO "{table}" (rowid, {names}) '
        f"VALUES (?, {', '.join('?' for _ in columns)})"
    )
    for rows in _readable_rows(src, table, names, found):
        for row in rows:
            try:
                dest.execute(insert, row)
                found.recovered += 1
            except sqlite3.DatabaseError:
                found.failed_rows += 1
    return found


def _add_scanned(source: Path, dest: sqlite3.Connection, result: Salvage) -> None:
    """Rows on pages the tables' trees no longer reach, read from the file's bytes; the
    rows SQLite read itself win over a page's copy of the same row."""
    from desk.core.safety import pagescan

    expected = pagescan.expected_schema(dest)
    wal = Path(f"{source}-wal")
    scanned = pagescan.scan(source, wal if wal.exists() else None, expected)
    result.notes = list(scanned.notes)
    result.unplaced_rows = sum(page.records for page in scanned.unplaced_pages)
    found = {t.table: t for t in result.tables}
    for table, pages in scanned.tables.items():
        salvage = found.get(table)
        if salvage is None:
            continue
        salvage.damaged_rows = pages.unreadable_rows
        if not pages.rows:
            continue
        if salvage.missing or salvage.unknown:  # the fresh file's own rows give way
            dest.execute(f'DELETE FROM "{table}"')
            salvage.missing = False
        have = {row[0] for row in dest.execute(f'SELECT rowid FROM "{table}"')}
        names = [column.name for column in expected[table]]
        quoted = ", ".join(f'"{name}"' for name in names)
        marks = ", ".join("?" * len(names))
        insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})'
        for rowid, values in sorted(pages.rows.items()):
            if rowid in have:
                continue
            try:
                dest.execute(insert, values)
            except sqlite3.DatabaseError:
                salvage.failed_rows += 1
                continue
            salvage.recovered += 1
            salvage.from_pages += 1


def _readable_rows(
    src: sqlite3.Connection, table: str, names: str, found: TableSalvage
) -> Iterator[list[tuple[object, ...]]]:
    query = f'SELECT rowid, {names} FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT ?'
    last, batch = _FIRST_ROWID, _BATCH
    while True:
        try:
            rows = src.execute(query, (last, batch)).fetchall()
        except sqlite3.DatabaseError:
            if batch > 1:
                batch = 1  # read up to the bad row one by one
                continue
            following = _next_readable(src, table, last)
            found.unreadable.append((last + 1, None if following is None else following - 1))
            if following is None:
                return
            last, batch = following - 1, _BATCH
            continue
        if not rows:
            return
        yield rows
        last = int(rows[-1][0])
        batch = _BATCH


def _next_readable(src: sqlite3.Connection, table: str, after: int) -> int | None:
    """The first row id past a damaged stretch that can be reached again, looking
    further ahead each time (a damaged page holds a run of neighbouring ids)."""
    step = 1
    while step <= _LARGEST_SKIP:
        probe = after + step
        try:
            row = src.execute(
                f'SELECT rowid FROM "{table}" WHERE rowid > ? ORDER BY rowid LIMIT 1', (probe,)
            ).fetchone()
        except sqlite3.DatabaseError:
            step *= 2
            continue
        if row is None:
            return None
        try:
            src.execute(f'SELECT * FROM "{table}" WHERE rowid = ?', (row[0],)).fetchone()
        except sqlite3.DatabaseError:
            after = int(row[0])
            step = 1
            continue
        return int(row[0])
    return None


def _keep_id_counters(src: sqlite3.Connection, dest: sqlite3.Connection) -> None:
    """Ids are never reused, not even for records lost here: their history may survive."""
    try:
        counters = src.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
    except sqlite3.DatabaseError:
        return
    for name, seq in counters:
        dest.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (int(seq or 0), name)
        )
        dest.execute(
            "INSERT INTO sqlite_sequence (name, seq) SELECT ?, ? "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)",
            (name, int(seq or 0), name),
        )


def _mend_links(dest: sqlite3.Connection, found: dict[str, TableSalvage]) -> int:
    """Links to records that were lost: an optional one is cleared, a row that cannot
    exist without its parent goes (and is counted as lost)."""
    cleared = 0
    for _round in range(10):  # dropping a row can orphan its own children
        broken = dest.execute("PRAGMA foreign_key_check").fetchall()
        if not broken:
            break
        for table, rowid, _parent, fk_id in broken:
            column = _fk_column(dest, table, fk_id)
            if column is not None and not _not_null(dest, table, column):
                try:
                    dest.execute(
                        f'UPDATE "{table}" SET "{column}" = NULL WHERE rowid = ?', (rowid,)
                    )
                    cleared += 1
                    continue
                except sqlite3.IntegrityError:
                    pass  # the row means nothing without the link (a check says so)
            gone = dest.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
            if gone.rowcount and table in found:
                found[table].recovered -= 1
                found[table].orphans_dropped += 1
    return cleared


def _fk_column(dest: sqlite3.Connection, table: str, fk_id: int) -> str | None:
    for row in dest.execute(f'PRAGMA foreign_key_list("{table}")'):
        if row[0] == fk_id:
            return str(row[3])
    return None


def _not_null(dest: sqlite3.Connection, table: str, column: str) -> bool:
    for row in dest.execute(f'PRAGMA table_info("{table}")'):
        if row[1] == column:
            return bool(row[3])
    return False
