"""Reading rows from the raw pages of damaged SQLite files.

Every database here is built by SQLite itself and damaged with plain byte writes. What
should come back is worked out independently of `pagescan`: SQLite's `dbstat` table says
which leaf page holds which cells (in rowid order) and which overflow pages belong to which
cell, so the rows on the pages that survive a given damage are known exactly.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import struct
import subprocess
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk.core.safety.pagescan import Column, ScanResult, expected_schema, scan

SEED = 20240611
TABLES = ("notes", "partners", "tags", "visits")
SCRIPTS = (
    "神戸市役所",
    "القاهرة الجديدة",
    "Львівська міська рада",
    "Ciudad de México",
    "🎌🤝🌍",
    "Zürich Straße",
    "서울특별시",
    "Αθήνα",
    "मुंबई",
)
BIG_NOTE = 77
SCHEMA = """
CREATE TABLE partners(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT,
                      country TEXT NOT NULL, founded INTEGER, note TEXT);
CREATE TABLE visits(id INTEGER PRIMARY KEY, partner_id INTEGER NOT NULL, day TEXT NOT NULL,
                    guests INTEGER NOT NULL, cost REAL);
CREATE INDEX visits_day ON visits(day);
CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL, data BLOB);
CREATE INDEX notes_body ON notes(body);  -- long keys: index pages with overflow chains
CREATE TABLE tags(name TEXT NOT NULL, weight REAL);
"""

Rows = dict[str, dict[int, tuple[object, ...]]]


def _text(rng: random.Random, low: int, high: int) -> str:
    words: list[str] = []
    length, target = 0, rng.randint(low, high)
    while length < target:
        words.append(rng.choice(SCRIPTS))
        length += len(words[-1]) + 1
    return " ".join(words)


def _partner(rng: random.Random, i: int) -> tuple[object, ...]:
    founded = rng.choice([None, rng.randint(1800, 2024), 2**40 + i, -i, 2**62])
    note = rng.choice([None, _text(rng, 20, 80), _text(rng, 200, 600)])
    city = rng.choice([None, rng.choice(SCRIPTS)])
    return (
        i,
        f"{rng.choice(SCRIPTS)} P{i:05d}",
        city,
        rng.choice(["JP", "EG", "UA"]),
        founded,
        note,
    )


def _fill(conn: sqlite3.Connection, rng: random.Random) -> None:
    """Four tables of different shapes; rows before and after ALTER TABLE ADD COLUMN; long
    texts on overflow chains; scattered deletes (freeblocks) and a deleted range (freed pages)."""
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO partners VALUES (?,?,?,?,?,?)", (_partner(rng, i) for i in range(1, 3001))
    )
    conn.executemany(
        "INSERT INTO visits VALUES (?,?,?,?,?)",
        (
            (
                i,
                rng.randint(1, 3000),
                f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                rng.randint(1, 50),
                rng.choice([None, float(rng.randint(1, 999)), rng.random() * 1e3]),
            )
            for i in range(1, 5001)
        ),
    )
    notes = [
        (i, _text(rng, 50, 300), rng.choice([None, rng.randbytes(rng.randint(0, 40))]))
        for i in range(1, 201)
    ]
    notes[BIG_NOTE - 1] = (BIG_NOTE, ("東京🗼Київ القاهرة mixed text " * 2000)[:50_000], None)
    notes[11] = (12, _text(rng, 6000, 9000), rng.randbytes(3000))
    conn.executemany("INSERT INTO notes VALUES (?,?,?)", notes)
    conn.executemany(
        "INSERT INTO tags VALUES (?,?)",
        (
            (f"{rng.choice(SCRIPTS)} T{i}", rng.choice([None, 0.5 * i, float(i)]))
            for i in range(300)
        ),
    )
    conn.commit()
    conn.execute("ALTER TABLE partners ADD COLUMN score REAL")
    conn.execute("ALTER TABLE partners ADD COLUMN region TEXT DEFAULT 'Europe'")
    conn.executemany(
        "INSERT INTO partners VALUES (?,?,?,?,?,?,?,?)",
        (
            (*_partner(rng, i), rng.choice([None, 2.0, 0.25]), rng.choice([None, "Asia"]))
            for i in range(3001, 3201)
        ),
    )
    conn.commit()
    conn.execute("DELETE FROM partners WHERE id % 7 = 0")
    conn.execute("DELETE FROM visits WHERE id BETWEEN 1500 AND 3200")
    conn.execute(f"DELETE FROM notes WHERE id % 5 = 0 AND id != {BIG_NOTE}")
    conn.execute("DELETE FROM tags WHERE rowid % 3 = 0")
    conn.commit()


def _rows(conn: sqlite3.Connection) -> Rows:
    return {
        t: {r[0]: tuple(r[1:]) for r in conn.execute(f"SELECT rowid, * FROM {t}")} for t in TABLES
    }


@dataclass
class Built:
    path: Path
    page_size: int
    pages: int
    freelist: list[int]
    rows: Rows
    expected: dict[str, list[Column]]
    leaves: dict[int, tuple[str, list[int]]]  # leaf page -> its table, rowids in order
    leaf_paths: dict[str, dict[str, int]]  # table -> dbstat path -> leaf page
    interior: dict[str, list[tuple[int, str]]]  # table -> interior pages and their paths
    overflow: dict[tuple[str, int], list[int]]  # (table, rowid) -> chain in order
    roots: dict[str, int]

    def copy(self, to: Path) -> Path:
        shutil.copyfile(self.path, to)
        return to

    def surviving(self, alive: Callable[[int], bool]) -> tuple[Rows, dict[str, int]]:
        """The rows on leaf pages that survive, and per table those whose chain does not."""
        rows: Rows = {t: {} for t in TABLES}
        broken: dict[str, int] = dict.fromkeys(TABLES, 0)
        for page, (table, rowids) in self.leaves.items():
            if not alive(page):
                continue
            for rowid in rowids:
                if all(alive(p) for p in self.overflow.get((table, rowid), [])):
                    rows[table][rowid] = self.rows[table][rowid]
                else:
                    broken[table] += 1
        return rows, broken


def _layout(path: Path) -> Built:
    conn = sqlite3.connect(path)
    leaves: dict[int, tuple[str, list[int]]] = {}
    leaf_paths: dict[str, dict[str, int]] = defaultdict(dict)
    interior: dict[str, list[tuple[int, str]]] = defaultdict(list)
    overflow: dict[tuple[str, int], list[int]] = defaultdict(list)
    for table in TABLES:
        rowids = [r[0] for r in conn.execute(f"SELECT rowid FROM {table} ORDER BY rowid")]
        stats = conn.execute(
            "SELECT pageno, pagetype, path, ncell FROM dbstat WHERE name = ? ORDER BY path",
            (table,),
        ).fetchall()
        on_leaf: dict[str, list[int]] = {}
        taken = 0
        for page, kind, where, cells in stats:
            if kind == "leaf":
                on_leaf[where] = rowids[taken : taken + cells]
                leaves[page] = (table, on_leaf[where])
                leaf_paths[table][where] = page
                taken += cells
            elif kind == "internal":
                interior[table].append((page, where))
        assert taken == len(rowids)
        for page, kind, where, _ in stats:
            if kind == "overflow":
                cell = where.split("+")[0]
                overflow[(table, on_leaf[cell[:-3]][int(cell[-3:], 16)])].append(page)
    freelist = []
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    with path.open("rb") as f:
        trunk = int.from_bytes(f.read(40)[32:36], "big")
        while trunk:
            f.seek((trunk - 1) * page_size)
            nxt, count = struct.unpack(">II", f.read(8))
            freelist += [trunk, *struct.unpack(f">{count}I", f.read(4 * count))]
            trunk = nxt
    assert len(freelist) == conn.execute("PRAGMA freelist_count").fetchone()[0] > 0
    built = Built(
        path=path,
        page_size=page_size,
        pages=conn.execute("PRAGMA page_count").fetchone()[0],
        freelist=freelist,
        rows=_rows(conn),
        expected=expected_schema(conn),
        leaves=leaves,
        leaf_paths=dict(leaf_paths),
        interior=dict(interior),
        overflow=dict(overflow),
        roots=dict(
            conn.execute("SELECT name, rootpage FROM sqlite_schema WHERE type = 'table'").fetchall()
        ),
    )
    conn.close()
    return built


@pytest.fixture(scope="module")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Built]:
    """Databases built once per module, by page size and whether deletes scrub their bytes."""
    cache: dict[tuple[int, bool], Built] = {}

    def build(page_size: int = 4096, secure: bool = True) -> Built:
        if (page_size, secure) not in cache:
            path = tmp_path_factory.mktemp("built") / f"p{page_size}-{secure}.sqlite"
            conn = sqlite3.connect(path)
            conn.execute(f"PRAGMA page_size = {page_size}")
            conn.execute(f"PRAGMA secure_delete = {int(secure)}")
            _fill(conn, random.Random(SEED + page_size))
            conn.close()
            cache[(page_size, secure)] = _layout(path)
        return cache[(page_size, secure)]

    return build


def _write(path: Path, offset: int, data: bytes) -> None:
    with path.open("r+b") as f:
        f.seek(offset)
        f.write(data)


def _page(built: Built, number: int) -> int:
    return (number - 1) * built.page_size


def _typed(row: Iterable[object]) -> tuple[tuple[str, object], ...]:
    return tuple((type(value).__name__, value) for value in row)


def _assert_rows(result: ScanResult, want: Rows, context: str) -> None:
    for table in TABLES:
        got = result.tables[table].rows
        missing, extra = want[table].keys() - got.keys(), got.keys() - want[table].keys()
        assert not missing and not extra, (
            f"{context}: {table}: missing {sorted(missing)[:10]}, extra {sorted(extra)[:10]}"
        )
        # Compared with types too: 5 == 5.0, but SQLite gives a REAL column's 5 as 5.0.
        wrong = [r for r in got if _typed(got[r]) != _typed(want[table][r])]
        assert not wrong, (
            f"{context}: {table}: {wrong[:5]} differ, "
            f"e.g. {got[wrong[0]]!r} != {want[table][wrong[0]]!r}"
        )


def _leaves_of(built: Built, table: str) -> list[int]:
    return sorted(p for p, (t, _) in built.leaves.items() if t == table)


# 1. Healthy files ---------------------------------------------------------------------


@pytest.mark.parametrize("secure", [True, False])
def test_a_healthy_file_gives_back_every_live_row_and_nothing_deleted(
    databases: Callable[..., Built], secure: bool
) -> None:
    built = databases(secure=secure)
    raw = built.path.read_bytes()
    # Without secure_delete the deleted rows' bytes are still in the file (in freeblocks of
    # live pages and on freed pages), so they could come back if the scan read them.
    assert (b"P00014" in raw) is not secure
    if not secure:
        assert any(raw[_page(built, p)] == 0x0D for p in built.freelist[1:])
    result = scan(built.path, None, built.expected)
    _assert_rows(result, built.rows, f"healthy secure={secure}")
    deleted = {7 * k for k in range(1, 458)}
    assert not deleted & result.tables["partners"].rows.keys()
    assert not set(range(1500, 3201)) & result.tables["visits"].rows.keys()
    assert result.tables["partners"].rows[3][6:] == (None, "Europe")  # written before ALTER
    assert result.tables["notes"].rows[BIG_NOTE] == built.rows["notes"][BIG_NOTE]
    assert result.freed_pages == len(built.freelist)
    assert (result.unreadable_pages, result.unplaced_pages, result.notes) == (0, [], [])
    assert (result.page_size, result.page_count_in_header, result.pages_in_file) == (
        4096,
        built.pages,
        built.pages,
    )
    for table in TABLES:
        scanned = result.tables[table]
        assert scanned.pages == _leaves_of(built, table)
        assert (scanned.placed_by_shape, scanned.conflicts, scanned.unreadable_rows) == ([], 0, 0)
        assert scanned.root_page == built.roots[table]


@pytest.mark.parametrize(
    ("page_size", "encoding", "auto_vacuum", "damaged"),
    [
        (512, "UTF-8", 0, False),
        (65536, "UTF-16le", 0, False),
        (1024, "UTF-16be", 0, True),
        (4096, "UTF-8", 1, False),
        (2048, "UTF-16le", 2, True),
    ],
)
def test_page_sizes_text_encodings_and_pointer_maps(
    tmp_path: Path, page_size: int, encoding: str, auto_vacuum: int, damaged: bool
) -> None:
    path = tmp_path / "small.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA page_size = {page_size}")
    conn.execute(f"PRAGMA encoding = '{encoding}'")
    conn.execute(f"PRAGMA auto_vacuum = {auto_vacuum}")
    conn.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, amount NUMERIC, raw BLOB)")
    rng = random.Random(SEED)
    conn.executemany(
        "INSERT INTO t VALUES (?,?,?,?)",
        (
            (i, _text(rng, 5, 3000), rng.choice([1, 2.5, "n/a", None]), rng.randbytes(i % 50))
            for i in range(1, 400)
        ),
    )
    conn.execute("DELETE FROM t WHERE id % 3 = 0")
    conn.commit()
    want = {r[0]: _typed(r) for r in conn.execute("SELECT * FROM t")}
    expected = expected_schema(conn)
    conn.close()
    if damaged:  # the encoding is then the one under which the schema reads
        _write(path, 0, random.Random(SEED).randbytes(100))
    result = scan(path, None, expected)
    assert result.encoding == encoding.lower().replace("utf-16", "utf-16-")
    got = {rowid: _typed(row) for rowid, row in result.tables["t"].rows.items()}
    assert got == want, f"seed {SEED}"
    assert (result.page_size, result.header_damaged) == (page_size, damaged)
    if not damaged:
        assert result.unreadable_pages == 0


# 2. Truncated ---------------------------------------------------------------------------


@pytest.mark.parametrize(("page_size", "secure"), [(4096, True), (1024, False)])
def test_a_file_cut_to_half_its_pages_gives_back_the_rows_on_the_surviving_half(
    databases: Callable[..., Built], tmp_path: Path, page_size: int, secure: bool
) -> None:
    built = databases(page_size=page_size, secure=secure)
    path = built.copy(tmp_path / "cut.sqlite")
    kept = built.pages // 2
    with path.open("r+b") as f:
        f.truncate(kept * built.page_size)
    want, broken = built.surviving(lambda page: page <= kept)
    assert any(want.values()) and any(len(want[t]) < len(built.rows[t]) for t in TABLES)
    result = scan(path, None, built.expected)
    _assert_rows(result, want, f"cut in half, {page_size}-byte pages")
    assert {t: result.tables[t].unreadable_rows for t in TABLES} == broken
    note = f"The file is shorter than its header says: {kept} of {built.pages} pages are present."
    assert note in result.notes
    assert (result.page_count_in_header, result.pages_in_file) == (built.pages, kept)
    assert result.unplaced_pages == []
    # With 1 KB pages the trees have three levels: leaves whose parent was cut off are
    # placed by their shape, while freed pages whose freelist entry was cut off (their old
    # cells still legible without secure_delete) are told apart by where their rows fall.
    placed = sum(len(result.tables[t].placed_by_shape) for t in TABLES)
    assert (placed > 0) is (page_size == 1024)


# 3 and 4. A root or an interior page zeroed ------------------------------------------------


@pytest.mark.parametrize("table", TABLES)
def test_a_zeroed_root_page_leaves_its_rows_to_be_placed_by_shape(
    databases: Callable[..., Built], tmp_path: Path, table: str
) -> None:
    built = databases(secure=False)  # freed pages still hold old cells: they must stay out
    path = built.copy(tmp_path / "root.sqlite")
    root = built.roots[table]
    _write(path, _page(built, root), bytes(built.page_size))
    want, _ = built.surviving(lambda page: page != root)
    result = scan(path, None, built.expected)
    _assert_rows(result, want, f"root of {table} zeroed")
    leaves = [p for p in _leaves_of(built, table) if p != root]
    assert result.tables[table].placed_by_shape == leaves
    assert result.unreadable_pages == 1
    assert any(f"root page ({root}) of table {table}" in note for note in result.notes)


def test_a_zeroed_interior_page_leaves_its_leaves_to_be_placed_by_shape(
    databases: Callable[..., Built], tmp_path: Path
) -> None:
    built = databases(page_size=1024, secure=False)
    inner = [(p, where) for p, where in built.interior["partners"] if where != "/"]
    assert inner, "the partners tree should have three levels with 1 KB pages"
    page, where = inner[len(inner) // 2]
    path = built.copy(tmp_path / "interior.sqlite")
    _write(path, _page(built, page), bytes(built.page_size))
    result = scan(path, None, built.expected)
    _assert_rows(result, built.rows, "interior page zeroed")
    under = sorted(p for w, p in built.leaf_paths["partners"].items() if w.startswith(where))
    assert result.tables["partners"].placed_by_shape == under
    assert result.unreadable_pages == 1


# 5. The header overwritten --------------------------------------------------------------


@pytest.mark.parametrize(("page_size", "secure"), [(4096, True), (1024, False)])
def test_random_bytes_over_the_header_the_page_size_is_found(
    databases: Callable[..., Built], tmp_path: Path, page_size: int, secure: bool
) -> None:
    built = databases(page_size=page_size, secure=secure)
    path = built.copy(tmp_path / "header.sqlite")
    _write(path, 0, random.Random(SEED).randbytes(100))
    result = scan(path, None, built.expected)
    assert result.header_damaged and result.page_size == page_size, f"seed {SEED}"
    # The freed pages are recognized by the trunk pages listing them, so their old cells
    # (still there without secure_delete) do not come back.
    _assert_rows(result, built.rows, f"header overwritten, seed {SEED}")
    assert result.freed_pages == len(built.freelist)
    assert result.page_count_in_header is None


# 6. Garbage ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_random_garbage_pages_cost_only_their_own_rows(
    databases: Callable[..., Built], tmp_path: Path, seed: int
) -> None:
    built = databases()
    rng = random.Random(SEED + seed)
    spoiled = set(rng.sample(range(1 if seed == 0 else 2, built.pages + 1), 12))
    path = built.copy(tmp_path / "garbage.sqlite")
    for page in spoiled:
        _write(path, _page(built, page), rng.randbytes(built.page_size))
    want, broken = built.surviving(lambda page: page not in spoiled)
    result = scan(path, None, built.expected)
    _assert_rows(result, want, f"seed {SEED + seed}, garbage on {sorted(spoiled)}")
    assert {t: result.tables[t].unreadable_rows for t in TABLES} == broken, f"seed {SEED + seed}"


@pytest.mark.parametrize("seed", range(4))
def test_nothing_raises_on_damage_of_any_kind(
    databases: Callable[..., Built], tmp_path: Path, seed: int
) -> None:
    built = databases()
    rng = random.Random(SEED * 7 + seed)
    raw = bytearray(built.path.read_bytes())
    for _ in range(300):
        raw[rng.randrange(len(raw))] = rng.randrange(256)
    cut = rng.randrange(len(raw))
    cases = {
        "flipped": bytes(raw),
        "flipped-and-cut": bytes(raw[:cut]),
        "empty": b"",
        "tiny": bytes(raw[:50]),
        "noise": rng.randbytes(rng.randint(1, 300_000)),
        "header only": built.path.read_bytes()[:100],
        "absurd header": _absurd_header(built.path.read_bytes()),
    }
    for name, data in cases.items():
        path = tmp_path / f"{name}.sqlite"
        wal = tmp_path / f"{name}.sqlite-wal"
        path.write_bytes(data)
        wal.write_bytes(rng.randbytes(rng.randint(0, 9000)))
        result = scan(path, wal, built.expected)
        assert isinstance(result, ScanResult), f"seed {SEED * 7 + seed}, {name}"
        assert "The write-ahead log was ignored because its header is damaged." in result.notes


def _absurd_header(raw: bytes) -> bytes:
    """A header that still looks valid but claims 2**32 - 1 pages, freelist pages and an
    auto-vacuum file, with a freelist trunk far past the end."""
    header = bytearray(raw[:100])
    header[28:40] = b"\xff\xff\xff\xff\x7f\xff\xff\xff\xff\xff\xff\xff"
    header[52:56] = b"\x00\x00\x00\x05"
    header[92:96] = header[24:28]  # so the page count is believed
    return bytes(header) + raw[100:]


# 7. Write-ahead log -----------------------------------------------------------------------


@dataclass
class WalCopies:
    first: tuple[Path, Path]  # database and log after the first commit
    last: tuple[Path, Path]  # after the second, with a third transaction still open
    expected: dict[str, list[Column]]


@pytest.fixture(scope="module")
def wal_files(tmp_path_factory: pytest.TempPathFactory) -> WalCopies:
    """A database in WAL mode copied, with its log, after one commit, after a second, and
    in the middle of a third transaction whose pages have spilled into the log."""
    base = tmp_path_factory.mktemp("wal")
    path = base / "live.sqlite"
    conn = sqlite3.connect(path)
    rng = random.Random(SEED + 1)
    _fill(conn, rng)
    expected = expected_schema(conn)
    conn.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO partners VALUES (?,?,?,?,?,?,?,?)",
        ((*_partner(rng, i), 1.0, "Africa") for i in range(5001, 5051)),
    )
    conn.execute("UPDATE visits SET cost = 1.25 WHERE id % 10 = 1")
    conn.execute("DELETE FROM tags WHERE rowid < 50")
    conn.execute("COMMIT")

    def snapshot(name: str) -> tuple[Path, Path]:
        copy = base / f"{name}.sqlite"
        shutil.copyfile(path, copy)
        shutil.copyfile(base / "live.sqlite-wal", base / f"{name}.sqlite-wal")
        return copy, base / f"{name}.sqlite-wal"

    first = snapshot("first")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO visits VALUES (?,?,?,?,?)",
        ((i, 1, "2025-01-01", 2, 3.5) for i in range(10001, 10301)),
    )
    conn.execute("DELETE FROM partners WHERE id BETWEEN 100 AND 400")
    conn.execute("COMMIT")
    conn.execute("PRAGMA cache_size = 5")  # so the open transaction's pages spill into the log
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO tags VALUES (?, ?)", ((f"UNCOMMITTED {i}", 1.0) for i in range(3000))
    )
    conn.execute("DELETE FROM visits WHERE id < 1000")
    last = snapshot("last")
    conn.execute("ROLLBACK")
    conn.close()
    return WalCopies(first, last, expected)


def _committed(db: Path, wal: Path | None, where: Path) -> Rows:
    """What SQLite itself reads from copies of these files."""
    where.mkdir()
    shutil.copyfile(db, where / "x.sqlite")
    if wal is not None:
        shutil.copyfile(wal, where / "x.sqlite-wal")
    conn = sqlite3.connect(where / "x.sqlite")
    rows = _rows(conn)
    conn.close()
    return rows


def test_a_write_ahead_log_gives_committed_rows_only(wal_files: WalCopies, tmp_path: Path) -> None:
    db, wal = wal_files.last
    want = _committed(db, wal, tmp_path / "check")
    assert len(want["partners"]) and not any(
        str(name).startswith("UNCOMMITTED") for name, _ in want["tags"].values()
    )
    result = scan(db, wal, wal_files.expected)
    assert result.wal_used and result.wal_frames_ignored > 0
    _assert_rows(result, want, "log with an open transaction")
    assert not any(
        str(name).startswith("UNCOMMITTED") for name, _ in result.tables["tags"].rows.values()
    )
    assert 10300 in result.tables["visits"].rows and 200 not in result.tables["partners"].rows


def test_a_write_ahead_log_over_a_zeroed_root_page(wal_files: WalCopies, tmp_path: Path) -> None:
    db, wal = wal_files.last
    want = _committed(db, wal, tmp_path / "check")
    damaged = shutil.copyfile(db, tmp_path / "d.sqlite")
    conn = sqlite3.connect(f"file:{db}?mode=ro&immutable=1", uri=True)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_schema WHERE name = 'notes'").fetchone()[0]
    conn.close()
    _write(damaged, (root - 1) * size, bytes(size))  # notes is not touched after the log began
    result = scan(damaged, wal, wal_files.expected)
    _assert_rows(result, want, "log over a zeroed root")
    assert result.tables["notes"].placed_by_shape


def test_a_write_ahead_log_with_a_bad_header_is_ignored(
    wal_files: WalCopies, tmp_path: Path
) -> None:
    db, wal = wal_files.last
    want = _committed(db, None, tmp_path / "check")
    bad = shutil.copyfile(wal, tmp_path / "bad.sqlite-wal")
    # A salt byte flipped (never set to a value it may already hold): the header's
    # checksum no longer matches.
    _write(bad, 17, bytes([bad.read_bytes()[17] ^ 0xFF]))
    result = scan(db, bad, wal_files.expected)
    assert not result.wal_used
    assert "The write-ahead log was ignored because its header is damaged." in result.notes
    _assert_rows(result, want, "bad log header")


def test_a_bad_frame_ends_the_log(wal_files: WalCopies, tmp_path: Path) -> None:
    first_db, first_wal = wal_files.first
    db, wal = wal_files.last
    want = _committed(first_db, first_wal, tmp_path / "check")
    bad = shutil.copyfile(wal, tmp_path / "bad.sqlite-wal")
    frames_before = (first_wal.stat().st_size - 32) // (24 + 4096)
    second_commit = first_wal.stat().st_size  # where the second commit's first frame starts
    _write(bad, second_commit + 24 + 100, b"\x01\x02\x03")
    result = scan(db, bad, wal_files.expected)
    assert result.wal_frames_used == frames_before
    _assert_rows(result, want, "bad frame")


@pytest.mark.parametrize("seed", range(3))
def test_a_log_with_random_damage_never_raises(
    wal_files: WalCopies, tmp_path: Path, seed: int
) -> None:
    db, wal = wal_files.last
    rng = random.Random(SEED + 100 + seed)
    raw = bytearray(wal.read_bytes())
    for _ in range(20):
        raw[rng.randrange(32, len(raw))] ^= 1 << rng.randrange(8)
    bad = tmp_path / "bad.sqlite-wal"
    bad.write_bytes(bytes(raw))
    result = scan(db, bad, wal_files.expected)
    healthy = scan(db, wal, wal_files.expected)
    assert result.wal_used and result.wal_frames_used <= healthy.wal_frames_used, f"seed {seed}"


# 8. Overflow chains ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        "loop",
        "out of range",
        "ends early",
        "goes on too long",
        "through a freed page",
    ],
)
def test_a_broken_overflow_chain_costs_that_row_only(
    databases: Callable[..., Built], tmp_path: Path, damage: str
) -> None:
    built = databases()
    chain = built.overflow[("notes", BIG_NOTE)]
    assert len(chain) >= 12
    path = built.copy(tmp_path / "overflow.sqlite")
    raw = path.read_bytes()
    last_page = raw[_page(built, chain[-1]) : _page(built, chain[-1] + 1)]
    freed = built.freelist[-1]
    # The last moves the chain's last page, intact, onto a page of the freelist: the bytes
    # read back fine, but a freed page cannot be part of a live chain.
    writes = {
        "loop": [(chain[4], chain[1].to_bytes(4, "big"))],
        "out of range": [(chain[2], (0x7FFFFF00).to_bytes(4, "big"))],
        "ends early": [(chain[3], bytes(4))],
        "goes on too long": [(chain[-1], chain[0].to_bytes(4, "big"))],
        "through a freed page": [(chain[-2], freed.to_bytes(4, "big")), (freed, last_page)],
    }[damage]
    for page, data in writes:
        _write(path, _page(built, page), data)
    want = {t: dict(rows) for t, rows in built.rows.items()}
    del want["notes"][BIG_NOTE]
    result = scan(path, None, built.expected)
    _assert_rows(result, want, f"overflow chain {damage}")
    assert {t: result.tables[t].unreadable_rows for t in TABLES} == {
        t: int(t == "notes") for t in TABLES
    }


# Stale copies and the expected schema ---------------------------------------------------------


def test_a_stale_copy_of_a_leaf_loses_to_the_page_reached_from_the_root(
    databases: Callable[..., Built], tmp_path: Path
) -> None:
    built = databases()
    leaf = _leaves_of(built, "tags")[0]
    path = built.copy(tmp_path / "stale.sqlite")
    stale = bytearray(path.read_bytes()[_page(built, leaf) : _page(built, leaf + 1)])
    at = stale.index(b" T", 200)  # change a tag's text in the copy, keeping its length
    stale[at + 1 : at + 2] = b"X"
    with path.open("ab") as f:
        f.write(bytes(stale))
    result = scan(path, None, built.expected)
    _assert_rows(result, built.rows, "stale copy appended")
    assert result.tables["tags"].conflicts == len(built.leaves[leaf][1])
    assert result.tables["tags"].stale_pages == [built.pages + 1]
    assert result.tables["tags"].placed_by_shape == []


def test_of_two_unreached_copies_the_higher_page_wins(
    databases: Callable[..., Built], tmp_path: Path
) -> None:
    built = databases()
    leaf = _leaves_of(built, "tags")[1]
    path = built.copy(tmp_path / "two.sqlite")
    copy = bytearray(path.read_bytes()[_page(built, leaf) : _page(built, leaf + 1)])
    for rowid in built.leaves[leaf][1]:  # keep each name's length, change its marker
        name = str(built.rows["tags"][rowid][0]).encode()
        at = copy.index(name)
        copy[at + len(name) - len(f"{rowid - 1}") - 1] = ord("Q")
    with path.open("ab") as f:
        f.write(bytes(copy))
    _write(path, _page(built, built.roots["tags"]), bytes(built.page_size))  # nothing is reached
    want = {t: dict(rows) for t, rows in built.rows.items()}
    for rowid in built.leaves[leaf][1]:
        text, weight = want["tags"][rowid]
        want["tags"][rowid] = (str(text).replace(" T", " Q"), weight)
    result = scan(path, None, built.expected)
    _assert_rows(result, want, "two unreached copies")
    assert result.tables["tags"].conflicts == len(built.leaves[leaf][1])
    assert result.tables["tags"].placed_by_shape == [*_leaves_of(built, "tags"), built.pages + 1]


def test_a_page_two_tables_fit_is_left_unplaced(
    databases: Callable[..., Built], tmp_path: Path
) -> None:
    built = databases()
    path = built.copy(tmp_path / "twins.sqlite")
    _write(path, _page(built, built.roots["tags"]), bytes(built.page_size))
    expected = {**built.expected, "tags_twin": built.expected["tags"]}
    result = scan(path, None, expected)
    want = {t: (rows if t != "tags" else {}) for t, rows in built.rows.items()}
    _assert_rows(result, want, "tags and its twin")
    leaves = _leaves_of(built, "tags")
    assert [(u.page, u.records, u.candidates) for u in result.unplaced_pages] == [
        (p, len(built.leaves[p][1]), ("tags", "tags_twin")) for p in leaves
    ]
    assert result.tables["tags_twin"].rows == {}


def test_freed_pages_whose_freelist_entry_is_lost_stay_freed(
    databases: Callable[..., Built], tmp_path: Path
) -> None:
    built = databases(secure=False)
    trunk = built.freelist[0]
    path = built.copy(tmp_path / "trunk.sqlite")
    _write(path, _page(built, trunk), bytes(built.page_size))
    raw = path.read_bytes()
    old = [p for p in built.freelist[1:] if raw[_page(built, p)] == 0x0D]
    assert old, "freed leaf pages should still hold their old cells"
    result = scan(path, None, built.expected)
    _assert_rows(result, built.rows, "freelist trunk zeroed")
    stale = sorted(p for t in TABLES for p in result.tables[t].stale_pages)
    assert stale == sorted(old)
    assert result.freed_pages == 1 and result.unplaced_pages == []  # the zeroed trunk
    assert any(note.startswith("The list of freed pages is damaged") for note in result.notes)


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 shell")
def test_reserved_bytes_at_the_end_of_each_page_shrink_the_usable_size(tmp_path: Path) -> None:
    path = tmp_path / "reserved.sqlite"
    script = [".filectrl reserve_bytes 32", "CREATE TABLE t(id INTEGER PRIMARY KEY, body TEXT)"]
    subprocess.run(["sqlite3", str(path), *script], check=True, capture_output=True)
    conn = sqlite3.connect(path)
    rng = random.Random(SEED)
    conn.executemany(
        "INSERT INTO t(body) VALUES (?)", ((_text(rng, 10, 9000),) for _ in range(300))
    )
    conn.commit()
    want = {r[0]: r for r in conn.execute("SELECT * FROM t")}
    expected = expected_schema(conn)
    conn.close()
    assert path.read_bytes()[20] == 32
    result = scan(path, None, expected)
    assert result.tables["t"].rows == want, f"seed {SEED}"
    assert result.tables["t"].unreadable_rows == result.unreadable_pages == 0


def test_expected_schema_reads_columns_and_skips_internal_tables(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "s.sqlite")
    conn.executescript(
        """
        CREATE TABLE a(id INTEGER PRIMARY KEY, name TEXT NOT NULL, n INT DEFAULT 3);
        CREATE TABLE b(code TEXT PRIMARY KEY, v);
        CREATE TABLE c(x INT, y INT, PRIMARY KEY (x, y));
        CREATE TABLE w(k TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE VIRTUAL TABLE search_index USING fts5(title, body);
        CREATE TABLE search_index_extra(x);
        """
    )
    got = expected_schema(conn)
    assert got == {
        "a": [
            Column("id", "INTEGER", False, True, None),
            Column("name", "TEXT", True, False, None),
            Column("n", "INT", False, False, "3"),
        ],
        "b": [Column("code", "TEXT"), Column("v", "")],
        "c": [Column("x", "INT"), Column("y", "INT")],
    }
