"""Fingerprints that prove a refused command changed nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

from desk.core.store import db as dbmod


def dump_digest(path: Path) -> str:
    """The database's contents, whatever SQLite did to its pages."""
    db = dbmod.open_database(path)
    try:
        return hashlib.sha256("\n".join(db.conn.iterdump()).encode()).hexdigest()
    finally:
        db.close()


def file_digest(path: Path) -> str:
    """The file's bytes: for files desk must not even open for writing."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
