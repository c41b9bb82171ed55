"""Errors a user can act on. Every message names the field, row or file at fault."""

from __future__ import annotations


class DeskError(Exception):
    """Base for every error desk reports to a person rather than as a traceback."""


class ValidationError(DeskError):
    """Input that cannot be stored. `field` names the field at fault (None: the record)."""

    def __init__(self, message: str, field: str | None = None, row: int | None = None):
        self.field = field
        self.row = row
        self.bare_message = message
        prefix = f"Row {row}: " if row is not None else ""
        super().__init__(prefix + message)


class NotFound(DeskError):
    pass


class DatabaseTooNew(DeskError):
    pass


class DatabaseDamaged(DeskError):
    pass


class DumpError(DeskError):
    """A dump file that is malformed, foreign or from a newer desk."""


class DatabaseBusy(DeskError):
    """Another process holds the write lock for too long, or the file is read-only."""


class ReadOnlyDatabase(DeskError):
    """A write to a database that is open read-only; the message says why it is."""


class HoldLost(DeskError):
    """The database's files on disk are no longer the ones this connection opened; the
    write was refused before anything was written."""


class UndoConflict(DeskError):
    """An operation cannot be undone or redone because later work depends on it."""


class OutputPathError(DeskError):
    """A file desk was asked to write cannot be written there; nothing was changed."""
