"""Databases written by earlier releases of desk, and what each becomes when upgraded.

`tests/data/old-schemas/schema-N.sqlite.gz` was written once by the release of desk whose
schema was N (its own demo city, then an edit, a delete to the trash, an import and a
vCard through its own command line, so every table holds rows), and is never
regenerated: it is what an office's file of that time looks like. `upgraded.json` holds,
for each file, a fingerprint of what it becomes after each migration since; an edit to a
migration that has shipped changes those and fails the tests. After adding a migration,
record what the files become with it: `python -m tests.old_files --freeze` (earlier
levels must come out unchanged, and the command refuses to move them).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

FOLDER = Path(__file__).parent / "data" / "old-schemas"
FINGERPRINTS = FOLDER / "upgraded.json"
VERSIONS = tuple(range(1, 9))  # the schemas releases shipped before this one's


def old_file(version: int, folder: Path) -> Path:
    """A fresh copy of the file schema `version`'s release wrote, in `folder`."""
    target = folder / f"schema-{version}.sqlite"
    with (
        gzip.open(FOLDER / f"schema-{version}.sqlite.gz", "rb") as packed,
        target.open("wb") as out,
    ):
        shutil.copyfileobj(packed, out)
    return target


def fingerprint(conn: sqlite3.Connection) -> str:
    """Everything a migration can change in the records: each table's shape and rows and
    the indexes. Not the search index, which is derived from the records and rebuilt
    whenever its design changes (tests check it finds what it should), and not the
    file's identity, which is new in every file."""
    digest = hashlib.sha256()
    for kind, name, sql in conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE 'search_index%' ORDER BY type, name"
    ):
        digest.update(f"{kind} {name} {' '.join((sql or '').split())}\n".encode())
        if kind != "table":
            continue
        if name == "file_meta":
            keys = [row[0] for row in conn.execute("SELECT key FROM file_meta ORDER BY key")]
            digest.update(json.dumps(keys).encode())
            continue
        columns = [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')]
        for row in conn.execute(f'SELECT {", ".join(columns)} FROM "{name}" ORDER BY rowid'):
            digest.update(json.dumps(row, default=lambda b: b.hex()).encode())
    return digest.hexdigest()


def upgrade_step_by_step(path: Path) -> dict[int, str]:
    """Bring the file up one migration at a time, as desk does, and fingerprint it after
    each: schema level -> fingerprint."""
    from desk.core.store import db as dbmod
    from desk.core.store import schema

    database = dbmod.open_database(path, migrate=False)
    try:
        start = dbmod.schema_version(database)
        levels = {}
        for number, (_name, apply) in enumerate(schema.MIGRATIONS[start:], start=start + 1):
            with dbmod.transaction(database):
                apply(database.conn)
                database.conn.execute(f"PRAGMA user_version = {number}")
                if number >= schema.META_SINCE:
                    database.conn.execute(
                        "INSERT OR REPLACE INTO file_meta (key, value) "
                        "VALUES ('schema_version', ?)",
                        (str(number),),
                    )
            levels[number] = fingerprint(database.conn)
        return levels
    finally:
        database.close()


def frozen() -> dict[str, dict[str, str]]:
    return json.loads(FINGERPRINTS.read_text(encoding="utf-8"))


def _freeze(work: Path) -> None:
    known = frozen() if FINGERPRINTS.exists() else {}
    for version in VERSIONS:
        levels = upgrade_step_by_step(old_file(version, work))
        recorded = known.setdefault(f"schema-{version}", {})
        for level, print_ in levels.items():
            was = recorded.get(str(level))
            if was is not None and was != print_:
                raise SystemExit(
                    f"schema-{version} upgraded to {level} no longer comes out as it did: a "
                    "migration that shipped was changed. Undo that change; add a new "
                    "migration instead."
                )
            recorded[str(level)] = print_
    FINGERPRINTS.write_text(json.dumps(known, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"Recorded {FINGERPRINTS}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--freeze", action="store_true", required=True)
    parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        _freeze(Path(folder))
