"""The full-fidelity JSON dump: every record, its history and every attached file.

Format (documented in docs/dump-format.md):

    {"format": "desk-dump", "format_version": 1, "schema_version": N,
     "tables": {"contacts": {"columns": [...], "rows": [[...], ...]}, ...},
     "blobs": [{"sha256": ..., "size": ..., "base64": ...}, ...]}

Rows keep their ids and uids, so exporting, importing into an empty database and
exporting again gives the same file byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, TextIO

from desk.core.disk.files import check_output_path, input_file, safe_write_text
from desk.core.domain.kinds import kind_of_table
from desk.core.domain.validate import clean_values
from desk.core.errors import DumpError, ValidationError
from desk.core.progress import Progress
from desk.core.store import index
from desk.core.store.db import Database, schema_version
from desk.core.store.records import stored_columns
from desk.core.store.rows import refresh_sort_keys
from desk.core.store.schema import SCHEMA_VERSION

FORMAT = "desk-dump"
FORMAT_VERSION = 1

# Rebuilt from the records on import; never dumped.
_DERIVED_TABLES = ("search_index",)
# Facts about one file (its identity, its schema version), not records: a dump loaded
# into another file makes records of that database, which keeps its own.
_FILE_TABLES = ("file_meta",)


def _tables(db: Database) -> list[str]:
    return sorted(
        name
        for name in db.utils.table_names()
        if not name.startswith(("sqlite_", "search_index"))
        and name != "blobs"
        and name not in _DERIVED_TABLES
        and name not in _FILE_TABLES
    )


def _columns(db: Database, table: str) -> list[str]:
    # Generated columns are left out: they are recomputed, never stored.
    return stored_columns(db, table)


def dump(db: Database, progress: Progress | None = None) -> dict[str, Any]:
    tables = _tables(db)
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": schema_version(db),
        "tables": {},
        "blobs": [],
    }
    for done, table in enumerate(tables):
        if progress:
            progress(done, len(tables) + 1, f"Reading {table}")
        columns = _columns(db, table)
        rows = db.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id").fetchall()
        document["tables"][table] = {"columns": columns, "rows": [list(r) for r in rows]}
    for sha, size, content in db.execute(
        # Files of deleted attachments wait in the trash of this database only.
        "SELECT sha256, size, content FROM blobs "
        "WHERE sha256 IN (SELECT sha256 FROM attachments) ORDER BY sha256"
    ).fetchall():
        document["blobs"].append(
            {"sha256": sha, "size": size, "base64": base64.b64encode(content).decode("ascii")}
        )
    if progress:
        progress(len(tables) + 1, len(tables) + 1, "Done")
    return document


def export_json(db: Database, path: Path, progress: Progress | None = None) -> Path:
    check_output_path(path)
    document = dump(db, progress)

    def write(out: TextIO) -> None:
        json.dump(document, out, ensure_ascii=False, indent=1)
        out.write("\n")

    safe_write_text(path, write, encoding="utf-8", newline="\n")
    return path


def _load(path: Path) -> dict[str, Any]:
    input_file(path, "a desk dump (.json)", DumpError)
    try:
        with open(path, encoding="utf-8") as source:
            document = json.load(source)
    except FileNotFoundError:
        raise DumpError(f"No file at {path}.") from None
    except UnicodeDecodeError:
        raise DumpError(f"{path} is not a desk dump: it is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise DumpError(
            f"{path} is not a desk dump: invalid JSON at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise DumpError(f"{path} is not a desk dump: it is nested too deeply to read.") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise DumpError(f'{path} is not a desk dump (no "format": "{FORMAT}").')
    version = document.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise DumpError(
            f"{path} is dump format {version}; this desk reads up to {FORMAT_VERSION}. "
            "Update desk to import it."
        )
    if document.get("schema_version", 0) > SCHEMA_VERSION:
        raise DumpError(
            f"{path} was written by a newer desk (schema "
            f"{document.get('schema_version')}). Update desk to import it."
        )
    if not isinstance(document.get("tables"), dict) or not isinstance(
        document.get("blobs", []), list
    ):
        raise DumpError(f"{path} is damaged: 'tables' or 'blobs' is missing or malformed.")
    return document


def _is_empty(db: Database) -> bool:
    return all(
        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None for table in _tables(db)
    )


def import_json(
    db: Database, path: Path, *, replace: bool = False, progress: Progress | None = None
) -> dict[str, int]:
    """Load a dump; all or nothing. Returns rows loaded per table."""
    document = _load(path)
    if not replace and not _is_empty(db):
        raise DumpError(
            "This database already holds records. Import into a new database, or pass "
            "--replace to replace everything in it (a backup is taken first)."
        )
    known = set(_tables(db))
    plan: list[tuple[str, list[str], list[list[Any]]]] = []
    for table, body in document["tables"].items():
        if table not in known:
            raise DumpError(f"{path}: unknown table '{table}'; this is not a desk dump.")
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("columns"), list)
            or not (isinstance(body.get("rows"), list))
        ):
            raise DumpError(f"{path}: table '{table}' is malformed.")
        columns = body["columns"]
        allowed = set(_columns(db, table))
        strays = [c for c in columns if c not in allowed]
        if strays or "id" not in columns:
            raise DumpError(
                f"{path}: table '{table}' has unknown column '{strays[0]}'."
                if strays
                else f"{path}: table '{table}' has no id column."
            )
        plan.append((table, columns, body["rows"]))
    blobs = _decode_blobs(path, document.get("blobs", []))
    total = sum(len(rows) for _, _, rows in plan) or 1
    loaded: dict[str, int] = {}
    done = 0
    with db.utils.atomic():
        # Rows arrive table by table; references are checked once everything is in.
        db.execute("PRAGMA defer_foreign_keys = ON")
        if replace:
            for table in _deletion_order(db):
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM blobs")
            # The dump's operations replace ours: numbering goes on from the dump's.
            db.execute("DELETE FROM sqlite_sequence")
        db.conn.executemany("INSERT INTO blobs(sha256, size, content) VALUES (?, ?, ?)", blobs)
        for table, columns, rows in plan:
            _validate_rows(path, table, columns, rows)
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' * len(columns))})"
            )
            for number, row in enumerate(rows, start=1):
                try:
                    db.execute(sql, row)
                except (sqlite3.Error, ValueError, TypeError) as exc:
                    raise DumpError(f"{path}: table '{table}', row {number}: {exc}.") from None
            done += len(rows)
            loaded[table] = len(rows)
            if progress:
                progress(done, total, f"Loaded {table}")
        problems = db.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            table, rowid, parent, _ = problems[0]
            raise DumpError(
                f"{path}: table '{table}', id {rowid} refers to a missing {parent} record."
            )
        # A dump of an earlier desk holds no sort keys, or those of an earlier key.
        refresh_sort_keys(db)
        index.rebuild(db)
    return loaded


def _deletion_order(db: Database) -> list[str]:
    """Tables with the referring ones first, so no delete sets off a cascade or SET NULL."""
    remaining = _tables(db)
    refers = {
        t: {fk[2] for fk in db.execute(f"PRAGMA foreign_key_list({t})").fetchall()} - {t}
        for t in remaining
    }
    order: list[str] = []
    while remaining:
        free = [t for t in remaining if not any(t in refers[o] for o in remaining if o != t)]
        if not free:  # a cycle: deferred checks still keep the transaction sound
            free = remaining
        order += free
        remaining = [t for t in remaining if t not in free]
    return order


def _validate_rows(path: Path, table: str, columns: list[str], rows: list[Any]) -> None:
    try:
        spec = kind_of_table(table)
    except KeyError:
        spec = None
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, list) or len(row) != len(columns):
            raise DumpError(f"{path}: table '{table}', row {number} has the wrong shape.")
        if spec is None:
            continue
        values = {c: v for c, v in zip(columns, row, strict=True) if c in spec.field_map}
        try:
            cleaned = clean_values(spec, values, partial=True)
        except ValidationError as exc:
            raise DumpError(f"{path}: table '{table}', row {number}: {exc}") from None
        # A dump holds stored values; anything validation would change was not stored by
        # desk (or was edited by hand into something desk would not store).
        for name, value in values.items():
            if cleaned[name] != value and not (value is None and cleaned[name] in (0, "[]")):
                raise DumpError(
                    f"{path}: table '{table}', row {number}: '{name}' holds {value!r}, "
                    f"which desk would store as {cleaned[name]!r}."
                )


def _decode_blobs(path: Path, entries: list[Any]) -> list[tuple[str, int, bytes]]:
    decoded = []
    for number, entry in enumerate(entries, start=1):
        try:
            data = base64.b64decode(entry["base64"], validate=True)
            sha = entry["sha256"]
        except (KeyError, TypeError, ValueError):
            raise DumpError(f"{path}: attached file {number} is malformed.") from None
        if hashlib.sha256(data).hexdigest() != sha:
            raise DumpError(f"{path}: attached file {number} is damaged (checksum differs).")
        decoded.append((sha, len(data), data))
    return decoded
