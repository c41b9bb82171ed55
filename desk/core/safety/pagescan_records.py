"""The pieces of SQLite's file format that `pagescan` reads: the database header, the
write-ahead log, b-tree page headers, cells, overflow chains, varints and records, and how
a record's fields fit a table's columns.

Everything here looks at one page's bytes (or one row's payload) and raises `Damaged` or
returns None as soon as something does not add up, so the caller counts the page or the
row as unreadable rather than handing back a value made of garbage.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, TypeAlias

Value: TypeAlias = int | float | str | bytes | None

INDEX_INTERIOR = 0x02
TABLE_INTERIOR = 0x05
INDEX_LEAF = 0x0A
TABLE_LEAF = 0x0D
_KINDS = {INDEX_INTERIOR, TABLE_INTERIOR, INDEX_LEAF, TABLE_LEAF}
# SQLite refuses rows larger than this (SQLITE_MAX_LENGTH); a bigger size is garbage.
_MAX_PAYLOAD = 1_000_000_000
# Content sizes of serial types 0..9 (10 and 11 are reserved and never written).
_FIXED_SIZES = (0, 1, 2, 3, 4, 6, 8, 8, 0, 0)
_MAGIC = b"SQLite format 3\x00"
_WAL_MAGICS = (0x377F0682, 0x377F0683)  # the low bit says the checksums use big-endian words
PAGE_SIZES = tuple(512 << shift for shift in range(8))
ENCODINGS = {1: "utf-8", 2: "utf-16-le", 3: "utf-16-be"}
_SCHEMA_TYPES = ("table", "index", "view", "trigger")
# With a damaged header the page size is guessed from this much of the file, so a file of
# hundreds of megabytes is not read eight times over.
_GUESS_BYTES = 4 << 20
_NUMBER = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*")


class Damaged(Exception):
    """Bytes that do not form what they should; counted by the caller, never shown."""


@dataclass(frozen=True)
class Column:
    """One column of a table as the caller expects it (see `pagescan.expected_schema`)."""

    name: str
    type: str
    notnull: bool = False
    rowid_alias: bool = False  # the INTEGER PRIMARY KEY: stored as NULL, the rowid is the value
    default: str | None = None  # the default's SQL text, as PRAGMA table_info gives it


@dataclass(frozen=True)
class PageHeader:
    kind: int
    cells: tuple[int, ...]  # offsets of the cells from the start of the page
    right: int  # the right-most child of an interior page, 0 on a leaf


def u32(buf: bytes, pos: int, end: int) -> int:
    if pos < 0 or pos + 4 > min(end, len(buf)):
        raise Damaged("a page number runs past its page")
    return int.from_bytes(buf[pos : pos + 4], "big")


def varint(buf: bytes, pos: int, end: int) -> tuple[int, int]:
    """SQLite's varint: up to eight 7-bit groups, then a ninth byte with all eight bits."""
    end = min(end, len(buf))
    value = 0
    for i in range(9):
        if pos >= end:
            raise Damaged("a varint runs past its page")
        byte = buf[pos]
        pos += 1
        if i == 8:
            return (value << 8) | byte, pos
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos
    raise Damaged("unreachable")  # pragma: no cover


def page_header(page: bytes, number: int, usable: int, last_page: int) -> PageHeader | None:
    """The b-tree header of a page, or None when the page cannot be a b-tree page.

    The checks are the ones that garbage and zeroed pages fail: a known page type, a cell
    pointer array that ends before the cell content area, and every cell inside that area.
    """
    start = 100 if number == 1 else 0
    if len(page) < usable or start + 12 > usable or page[start] not in _KINDS:
        return None
    kind = page[start]
    interior = kind in (INDEX_INTERIOR, TABLE_INTERIOR)
    first_free, count, content, fragmented = struct.unpack_from(">HHHB", page, start + 1)
    content = content or 65536
    pointers_end = start + (12 if interior else 8) + 2 * count
    if not pointers_end <= content <= usable or fragmented > 60:
        return None
    if first_free and not content <= first_free <= usable - 4:
        return None
    right = u32(page, start + 8, usable) if interior else 0
    if interior and not 2 <= right <= last_page:
        return None
    cells = struct.unpack_from(f">{count}H", page, pointers_end - 2 * count)
    if any(not content <= cell < usable for cell in cells) or len(set(cells)) != count:
        return None
    return PageHeader(kind, cells, right)


def local_size(size: int, usable: int, max_local: int) -> int:
    """How much of a payload is kept on the b-tree page itself; the rest overflows."""
    if size <= max_local:
        return size
    min_local = (usable - 12) * 32 // 255 - 23
    kept = min_local + (size - min_local) % (usable - 4)
    return kept if kept <= max_local else min_local


def table_leaf_cell(page: bytes, offset: int, usable: int) -> tuple[int, int, bytes, int]:
    """A table leaf cell: rowid, payload size, the part kept here, first overflow page or 0."""
    size, pos = varint(page, offset, usable)
    rowid, pos = varint(page, pos, usable)
    if size > _MAX_PAYLOAD:
        raise Damaged("payload size out of range")
    kept = local_size(size, usable, usable - 35)
    end = pos + kept
    if end + (4 if kept < size else 0) > usable:
        raise Damaged("cell runs past its page")
    first = u32(page, end, usable) if kept < size else 0
    return signed(rowid), size, page[pos:end], first


def index_cell_overflow(page: bytes, offset: int, usable: int, interior: bool) -> tuple[int, int]:
    """An index cell's first overflow page (0: none) and how many bytes overflow."""
    pos = offset + 4 if interior else offset
    size, pos = varint(page, pos, usable)
    if size > _MAX_PAYLOAD:
        raise Damaged("payload size out of range")
    kept = local_size(size, usable, (usable - 12) * 64 // 255 - 23)
    return (u32(page, pos + kept, usable), size - kept) if kept < size else (0, 0)


def follow_overflow(
    first: int, need: int, usable: int, fetch: Callable[[int], bytes | None]
) -> tuple[bytes, list[int]]:
    """The overflowing part of a payload and the pages it was on.

    `fetch` gives a page's bytes, or None when that page cannot be part of a chain (out of
    range, missing, freed, already used). A loop, or a chain that ends early or goes on past
    the payload, means the row's value cannot be trusted.
    """
    parts: list[bytes] = []
    chain: list[int] = []
    number = first
    while need > 0:
        page = None if number in chain else fetch(number)
        if page is None or len(page) < usable:
            raise Damaged(f"broken overflow chain at page {number}")
        parts.append(page[4 : 4 + min(need, usable - 4)])
        need -= len(parts[-1])
        chain.append(number)
        number = u32(page, 0, usable)
    if number != 0:
        raise Damaged("overflow chain longer than its payload")
    return b"".join(parts), chain


def decode_record(payload: bytes, encoding: str) -> list[Value]:
    """The fields of a record; the header and body must account for every byte."""
    header_size, pos = varint(payload, 0, len(payload))
    if not pos <= header_size <= len(payload):
        raise Damaged("record header out of range")
    types: list[int] = []
    while pos < header_size:
        serial, pos = varint(payload, pos, header_size)
        types.append(serial)
    values: list[Value] = []
    for serial in types:
        if serial in (10, 11):
            raise Damaged("reserved serial type")
        end = pos + (_FIXED_SIZES[serial] if serial < 12 else (serial - 12) // 2)
        if end > len(payload):
            raise Damaged("record body too short")
        chunk = payload[pos:end]
        pos = end
        if serial == 0:
            values.append(None)
        elif serial <= 6:
            values.append(int.from_bytes(chunk, "big", signed=True))
        elif serial == 7:
            values.append(struct.unpack(">d", chunk)[0])
        elif serial <= 9:
            values.append(serial - 8)
        elif serial % 2 == 0:
            values.append(bytes(chunk))
        else:
            try:
                values.append(chunk.decode(encoding))
            except UnicodeDecodeError as error:
                raise Damaged("text not in the database's encoding") from error
    if pos != len(payload):
        raise Damaged("record body too long")
    return values


def affinity(declared: str) -> str:
    """SQLite's rules for a column's affinity from its declared type, in their order."""
    text = declared.upper()
    if "INT" in text:
        return "INTEGER"
    if any(word in text for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if "BLOB" in text or not text:
        return "BLOB"
    if any(word in text for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def fits(values: Sequence[Value], columns: Sequence[Column]) -> bool:
    """Whether a record could be a row of a table with these columns.

    Fewer fields than columns is a row written before ALTER TABLE ADD COLUMN, which needs
    the missing columns to allow NULL or have a default. A TEXT column never holds a number
    (SQLite turns numbers into text there); the rowid alias is always stored as NULL.
    """
    if not 0 < len(values) <= len(columns):
        return False
    for index, column in enumerate(columns):
        if index >= len(values):
            if column.notnull and column.default is None and not column.rowid_alias:
                return False
            continue
        value = values[index]
        if column.rowid_alias or value is None:
            if value is not None or (column.notnull and not column.rowid_alias):
                return False
        elif affinity(column.type) == "TEXT" and isinstance(value, int | float):
            return False
    return True


def to_row(values: Sequence[Value], rowid: int, columns: Sequence[Column]) -> tuple[Value, ...]:
    """A record as SQLite would return it: the rowid in its alias column, integers stored
    for whole REAL values read back as floats, missing trailing columns as their default."""
    row: list[Value] = []
    for index, column in enumerate(columns):
        if column.rowid_alias:
            row.append(rowid)
        elif index < len(values):
            value = values[index]
            real = isinstance(value, int) and affinity(column.type) == "REAL"
            row.append(float(value) if real and value is not None else value)
        else:
            row.append(default_value(column))
    return tuple(row)


def default_value(column: Column) -> Value:
    """A column's default when it is a literal (the only kind ALTER TABLE ADD COLUMN allows
    besides NULL), with the column's affinity applied as SQLite applies it."""
    text = (column.default or "").strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    value: Value = None
    if len(text) >= 2 and text[0] == text[-1] == "'":
        value = text[1:-1].replace("''", "'")
    elif text[:2].upper() == "X'" and text.endswith("'"):
        try:
            value = bytes.fromhex(text[2:-1])
        except ValueError:
            return None
    elif text.upper() in ("TRUE", "FALSE"):
        value = int(text.upper() == "TRUE")
    elif _NUMBER.fullmatch(text):
        value = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
    kind = affinity(column.type)
    numeric = isinstance(value, int | float) or (
        isinstance(value, str) and _NUMBER.fullmatch(value)
    )
    if kind in ("INTEGER", "NUMERIC", "REAL") and numeric:
        value = _number(str(value), whole=kind != "REAL")
    elif kind == "TEXT" and isinstance(value, int | float):
        value = str(value)
    return value


def _number(text: str, whole: bool) -> int | float:
    """A numeric literal as SQLite's numeric affinities keep it: whole values as integers."""
    text = text.strip()
    if whole and re.fullmatch(r"[+-]?\d+", text) and abs(int(text)) < 2**63:
        return int(text)
    number = float(text)
    return int(number) if whole and number.is_integer() and abs(number) < 2**63 else number


def signed(value: int) -> int:
    """Rowids are stored as unsigned varints of their two's complement."""
    return value - (1 << 64) if value >= 1 << 63 else value


def is_schema_row(values: Sequence[Value]) -> bool:
    """Whether a record is a row of sqlite_schema (type, name, tbl_name, rootpage, sql)."""
    return (
        len(values) == 5
        and values[0] in _SCHEMA_TYPES
        and isinstance(values[1], str)
        and isinstance(values[3], int | None)
    )


def as_trunk(page: bytes, usable: int, last: int) -> tuple[int, ...] | None:
    """The pages a freelist trunk page lists, or None when the page is not shaped like one:
    a next-trunk number and a count, then that many distinct page numbers in range."""
    following, count = struct.unpack_from(">II", page)
    if following == 1 or following > last or not 1 <= count <= usable // 4 - 2:
        return None
    leaves: tuple[int, ...] = struct.unpack_from(f">{count}I", page, 8)
    if any(not 2 <= leaf <= last for leaf in leaves) or len(set(leaves)) != count:
        return None
    return leaves


@dataclass
class Header:
    valid: bool
    page_size: int = 0
    reserved: int = 0
    encoding: str | None = None
    page_count: int | None = None
    free_trunk: int = 0
    free_count: int = 0
    autovacuum: bool = False


def parse_header(raw: bytes) -> Header:
    """The 100-byte database header; `valid` is False when it cannot be trusted at all."""
    # Bytes 21-23 are fixed by the format (payload fractions 64, 32, 32).
    if len(raw) < 100 or raw[:16] != _MAGIC or raw[21:24] != b"\x40\x20\x20":
        return Header(False)
    size = int.from_bytes(raw[16:18], "big")
    size = 65536 if size == 1 else size
    if size not in PAGE_SIZES or size - raw[20] < 480:
        return Header(False)
    counter, count, trunk, free = struct.unpack_from(">IIII", raw, 24)
    # The page count is only trusted when the version that wrote the change counter also
    # wrote it (offset 92); older writers did not keep it up to date.
    trusted = count if count and counter == int.from_bytes(raw[92:96], "big") else None
    encoding = ENCODINGS.get(int.from_bytes(raw[56:60], "big"))
    return Header(True, size, raw[20], encoding, trusted, trunk, free, any(raw[52:56]))


def guess_page_size(db: BinaryIO, file_size: int) -> int:
    """The page size under which the most pages parse as b-tree pages.

    A wrong smaller size cuts pages apart (their cells point past the end); a wrong larger
    size sees only every second (fourth, ...) page, so the true size wins the count.
    """
    best, best_count = 4096, 0
    span = min(file_size, _GUESS_BYTES)
    for size in PAGE_SIZES:
        count = 0
        for number in range(1, span // size + 1):
            db.seek((number - 1) * size)
            if page_header(db.read(size), number, size, max(file_size // size, 1)):
                count += 1
        if count > best_count:
            best, best_count = size, count
    return best


@dataclass
class Wal:
    page_size: int
    frames: dict[int, int]  # page number -> offset of its newest committed image in the log
    db_pages: int  # the database's size in pages after the last commit
    used: int  # frames up to the last commit
    ignored: int  # frames after it: uncommitted, or past a bad checksum


def _checksum(data: bytes, s0: int, s1: int, big: bool) -> tuple[int, int]:
    words = struct.unpack(f"{'>' if big else '<'}{len(data) // 4}I", data)
    for i in range(0, len(words) - 1, 2):
        s0 = (s0 + words[i] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[i + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def read_wal(log: BinaryIO) -> Wal | None:
    """Index the log's committed frames; None when its header is not valid.

    Frames are read one at a time. The first whose salt or running checksum is wrong ends
    the log (it is left from an older generation, or damaged), and frames after the last
    commit frame belong to a transaction that never committed.
    """
    header = log.read(32)
    if len(header) < 32:
        return None
    magic, _version, size, _seq, salt1, salt2, s0, s1 = struct.unpack(">8I", header)
    big = magic == _WAL_MAGICS[1]
    if magic not in _WAL_MAGICS or size not in PAGE_SIZES:
        return None
    if _checksum(header[:24], 0, 0, big) != (s0, s1):
        return None
    frames: dict[int, int] = {}
    pending: dict[int, int] = {}
    db_pages = used = seen = 0
    offset = 32
    while True:
        head, data = log.read(24), log.read(size)
        if len(head) < 24 or len(data) < size:
            break
        number, commit, frame_salt1, frame_salt2, c0, c1 = struct.unpack(">6I", head)
        if number == 0 or (frame_salt1, frame_salt2) != (salt1, salt2):
            break
        s0, s1 = _checksum(data, *_checksum(head[:8], s0, s1, big), big)
        if (s0, s1) != (c0, c1):
            break
        seen += 1
        pending[number] = offset + 24
        offset += 24 + size
        if commit:
            frames.update(pending)
            pending.clear()
            db_pages, used = commit, seen
    total = (log.seek(0, 2) - 32) // (24 + size)
    kept = {number: at for number, at in frames.items() if number <= db_pages}
    return Wal(size, kept, db_pages, used, max(total - used, 0))


def commits_past_damage(log: BinaryIO) -> int:
    """Commits a log holds after a frame that fails its checksum: changes SQLite will
    never read, since a log ends at its first bad frame. Frames of an older generation
    (other salts) are what a log normally holds past its end, and are not counted."""
    log.seek(0)
    wal = read_wal(log)
    if wal is None:
        return 0
    log.seek(0)
    header = log.read(32)
    size = struct.unpack(">I", header[8:12])[0]
    salts = header[16:24]
    log.seek(32 + wal.used * (24 + size))
    # Past the last commit SQLite reads: the rest of that frame's transaction, the bad
    # frame, then whatever follows.
    commits = 0
    damaged = False
    while True:
        head = log.read(24)
        if len(head) < 24 or len(log.read(size)) < size:
            break
        if head[8:16] != salts:
            damaged = damaged or any(head)  # a frame of no generation at all
            continue
        commit = struct.unpack(">I", head[4:8])[0]
        if commit:
            commits += 1
    return commits if commits and (damaged or wal.ignored) else 0
