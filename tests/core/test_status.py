"""One way to change a partnership's status, and its current status always the latest
change by date."""

from __future__ import annotations

import pytest

from desk.core.errors import ValidationError
from desk.core.store import records
from desk.core.store.db import Database


def _kobe(db: Database) -> int:
    return records.create(
        db, "partnership", {"partner_name": "Kobe", "kind": "sister_city", "status": "active"}
    ).id


def _statuses(db: Database, partnership: int) -> list[tuple[str, str]]:
    return db.execute(
        "SELECT changed_on, status FROM partnership_status_changes WHERE partnership_id = ? "
        "ORDER BY changed_on, id",
        (partnership,),
    ).fetchall()


def test_adding_a_status_row_changes_the_partnership(db: Database) -> None:
    kobe = _kobe(db)
    records.create(
        db,
        "status_change",
        {"partnership_id": kobe, "status": "ended", "changed_on": "2199-01-01", "reason": "Vote"},
    )
    assert records.get(db, "partnership", kobe)["status"] == "ended"


def test_a_change_dated_before_the_last_one_is_refused(db: Database) -> None:
    kobe = _kobe(db)
    records.change_status(db, kobe, "suspended", "2199-03-03", "Council resolution")
    with pytest.raises(ValidationError, match="before the last status change") as caught:
        records.change_status(db, kobe, "ended", "1800-01-01", "Old news")
    assert caught.value.field == "changed_on"
    assert records.get(db, "partnership", kobe)["status"] == "suspended"


def test_history_typed_in_later_moves_the_recorded_row_back(db: Database) -> None:
    """A partnership entered today, then its 1972 signing recorded: the row desk wrote
    on entry moves back to 1972, so the latest row is still the current status."""
    kobe = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id
    records.change_status(db, kobe, "active", "1972-06-12", "Agreement signed")
    rows = _statuses(db, kobe)
    assert rows[-1] == ("1972-06-12", "active")
    assert records.get(db, "partnership", kobe)["status"] == "active"
    assert all(day == "1972-06-12" for day, _status in rows)


def test_removing_or_redating_a_change_keeps_the_status_the_latest_by_date(db: Database) -> None:
    from desk.core.store import undo

    kobe = _kobe(db)
    records.change_status(db, kobe, "suspended", "2199-01-01", "Council vote")
    latest = db.execute(
        "SELECT id FROM partnership_status_changes WHERE status = 'suspended'"
    ).fetchone()[0]
    records.delete(db, "status_change", latest)
    assert records.get(db, "partnership", kobe)["status"] == "active"
    undo.undo(db)
    assert records.get(db, "partnership", kobe)["status"] == "suspended"
    first = db.execute(
        "SELECT id FROM partnership_status_changes WHERE status = 'active'"
    ).fetchone()[0]
    records.update(db, "status_change", first, {"changed_on": "2199-06-01"})
    assert records.get(db, "partnership", kobe)["status"] == "active"  # now the latest
    with pytest.raises(ValidationError, match="keeps its status"):
        records.update(db, "status_change", first, {"status": "ended"})
    records.delete(db, "status_change", latest)
    with pytest.raises(ValidationError, match="at least one status change"):
        records.delete(db, "status_change", first)
    assert records.get(db, "partnership", kobe)["status"] == "active"
