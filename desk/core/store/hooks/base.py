"""What a kind does that its declaration cannot say: the procedural rest of its rules,
one hooks object per kind, called by the write path (`records`) and by imports.

Every method here does nothing by default, so a kind with no procedure of its own needs
no hooks at all; one that has some overrides only those."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from desk.core.domain.kinds import Kind
from desk.core.domain.names import normalise
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.core.store.rows import resolve_named


class Writes(Protocol):
    """The write path (`records`), handed to hooks that write other records: hooks sit
    below it, so they are given it rather than import it."""

    def create(self, db: Database, kind_name: str, values: Mapping[str, Any]) -> Changes: ...

    def create_many(
        self, db: Database, kind_name: str, rows: Sequence[Mapping[str, Any]]
    ) -> Changes: ...

    def update(
        self,
        db: Database,
        kind_name: str,
        record_id: int | str,
        values: Mapping[str, Any],
        *,
        verb: str | None = None,
    ) -> Changes: ...


# Names a record desk has that a new row's name may be another form of ('Freiburg' for
# 'Freiburg im Breisgau'), or None.
LookAlike = Callable[[Mapping[str, Any]], str | None]


class KindHooks:
    # -- writing ------------------------------------------------------------------------

    def create(self, db: Database, values: Mapping[str, Any]) -> Changes | None:
        """Make the record some other way than the usual one (None: the usual way)."""
        return None

    def before_create(self, db: Database, values: Mapping[str, Any]) -> Mapping[str, Any]:
        """Refuse a new record, or fill what it needs, before its values are cleaned."""
        return values

    def derive(self, spec: Kind, row: Mapping[str, Any]) -> dict[str, Any]:
        """Stored values worked out from others (kept where lists sort by them or a
        field is given by default from others); raise where one would be out of bounds."""
        return {}

    def check(self, db: Database, spec: Kind, row: Mapping[str, Any]) -> None:
        """Rules across fields beyond the declared ones, on the record as it would be
        stored."""

    def after_create(self, db: Database, record_id: int, row: Mapping[str, Any]) -> None:
        """What a new record brings with it, in the same operation."""

    def after_update(
        self, db: Database, row: Mapping[str, Any], changed: Mapping[str, tuple[Any, Any]]
    ) -> None:
        """What a change moves elsewhere, in the same operation."""

    def after_delete(self, db: Database, row: Mapping[str, Any], *, on_its_own: bool) -> None:
        """What a record's going moves elsewhere; `on_its_own`: not inside a larger
        operation (an import taken back) that sets it itself."""

    # -- importing ----------------------------------------------------------------------

    def import_row(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
        """A sheet's row as this kind reads it, and the fields whose values are left
        aside rather than refused when they cannot be read."""
        return dict(raw), frozenset()

    def match_key(self, spec: Kind, values: Mapping[str, Any]) -> tuple[str, ...]:
        """What makes a row the same record as one already in desk (normalized)."""
        keys = spec.imports.match if spec.imports else ("id",)
        return tuple(normalise(str(values.get(name) or "")) for name in keys)

    def look_alike(self, db: Database) -> LookAlike | None:
        """How to find a record a new row may be under another form of its name."""
        return None

    def named(self, db: Database, spec: Kind, name: str) -> int:
        """The record a sheet names by its name (NotFound: none has it)."""
        return resolve_named(db, spec.name, name.strip())

    # Whether a sheet may name a record of this kind that desk does not have yet, which
    # the import then makes (an organization in a list of contacts).
    makes_named = False

    def make_named(self, db: Database, name: str, row: Mapping[str, Any], write: Writes) -> int:
        """Make the record a sheet's row names that desk does not have (only where
        `makes_named`; the import finds those it has by name, and makes each once)."""
        raise NotImplementedError

    def after_import(
        self, db: Database, rows: list[dict[str, Any]], ids: list[int], write: Writes
    ) -> None:
        """What a file's new records bring with them, in the import's operation."""
