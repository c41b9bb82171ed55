"""One way to change a partnership's status, and its current status always the latest
change dated today or earlier: a change dated later is planned, and takes effect on its
day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.errors import ValidationError
from desk.core.store import records
from desk.core.store.db import Database, open_database
from desk.core.store.hooks.partnerships import planned_changes, statuses_come_due

TODAY = dt.date.today()


def _days(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


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
        {"partnership_id": kobe, "status": "ended", "changed_on": "2025-01-01", "reason": "Vote"},
    )
    assert records.get(db, "partnership", kobe)["status"] == "ended"


def test_a_change_dated_before_the_last_one_is_refused(db: Database) -> None:
    kobe = _kobe(db)
    records.change_status(db, kobe, "suspended", "2025-03-03", "Council resolution")
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
    records.change_status(db, kobe, "suspended", "2025-01-01", "Council vote")
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
    records.update(db, "status_change", first, {"changed_on": "2025-06-01"})
    assert records.get(db, "partnership", kobe)["status"] == "active"  # now the latest
    with pytest.raises(ValidationError, match="keeps its status"):
        records.update(db, "status_change", first, {"status": "ended"})
    records.delete(db, "status_change", latest)
    with pytest.raises(ValidationError, match="at least one status change"):
        records.delete(db, "status_change", first)
    assert records.get(db, "partnership", kobe)["status"] == "active"


# -- planned changes -----------------------------------------------------------------------


def test_a_change_dated_after_today_is_planned_not_current(db: Database) -> None:
    kobe = _kobe(db)
    changes = records.change_status(db, kobe, "ended", _days(30), "Council ends the tie")
    assert changes.label.startswith("Plan status of “Kobe” to be Ended on ")
    assert records.get(db, "partnership", kobe)["status"] == "active"
    assert [(c["changed_on"], c["status"]) for c in planned_changes(db, kobe)] == [
        (_days(30), "ended")
    ]
    # A change dated today, before the planned one, is the status now; the plan stands.
    records.change_status(db, kobe, "suspended", _days(0), "Exchanges paused")
    assert records.get(db, "partnership", kobe)["status"] == "suspended"
    assert len(planned_changes(db, kobe)) == 1
    # Planned already: saying it twice is refused.
    with pytest.raises(ValidationError, match="will already be 'Ended' on "):
        records.change_status(db, kobe, "ended", _days(40), "Again")


def test_a_planned_change_takes_effect_on_its_day(db: Database) -> None:
    kobe = _kobe(db)
    records.change_status(db, kobe, "ended", _days(30), "Council ends the tie")
    assert statuses_come_due(db, TODAY + dt.timedelta(days=29)) is None
    assert records.get(db, "partnership", kobe)["status"] == "active"
    done = statuses_come_due(db, TODAY + dt.timedelta(days=30))
    assert done is not None and done.label == "Planned status change of “Kobe” takes effect"
    assert records.get(db, "partnership", kobe)["status"] == "ended"
    assert statuses_come_due(db, TODAY + dt.timedelta(days=31)) is None  # nothing twice


def test_a_status_row_dated_later_and_a_year_still_to_come_are_planned(db: Database) -> None:
    kobe = _kobe(db)
    records.create(
        db,
        "status_change",
        {"partnership_id": kobe, "status": "dormant", "changed_on": _days(3), "reason": "Plan"},
    )
    assert records.get(db, "partnership", kobe)["status"] == "active"
    next_year = str(TODAY.year + 1)
    records.change_status(db, kobe, "ended", next_year, "Term ends that year")
    assert records.get(db, "partnership", kobe)["status"] == "active"
    assert [c["changed_on"] for c in planned_changes(db, kobe)] == [_days(3), next_year]
    # Re-dated to today, the first plan is the status now.
    row = planned_changes(db, kobe)[0]["id"]
    records.update(db, "status_change", row, {"changed_on": "today"})
    assert records.get(db, "partnership", kobe)["status"] == "dormant"


def test_the_command_line_plans_a_change_dated_later(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "city.sqlite"
    db = open_database(path)
    kobe = _kobe(db)
    db.close()
    code = main(
        ["--db", str(path), "status", str(kobe), "ended", "--on", "in 2 weeks", "--reason", "Vote"]
    )
    assert code == 0, capsys.readouterr()
    db = open_database(path)
    assert records.get(db, "partnership", kobe)["status"] == "active"
    assert [c["changed_on"] for c in planned_changes(db, kobe)] == [_days(14)]
    db.close()


@pytest.mark.parametrize("stored", ["month", "year"])
def test_a_change_known_only_to_its_month_or_year_takes_effect_on_its_first_day(
    db: Database, stored: str
) -> None:
    """'2027-03' is in force from March 1, '2028' from January 1: the day before, not."""
    kobe = _kobe(db)
    year = TODAY.year + 2
    first = dt.date(year, 3, 1) if stored == "month" else dt.date(year, 1, 1)
    when = first.isoformat()[:7] if stored == "month" else str(year)
    records.create(
        db,
        "status_change",
        {"partnership_id": kobe, "status": "dormant", "changed_on": when, "reason": "Plan"},
    )
    assert records.get(db, "partnership", kobe)["status"] == "active"
    assert statuses_come_due(db, first - dt.timedelta(days=1)) is None
    assert statuses_come_due(db, first) is not None
    assert records.get(db, "partnership", kobe)["status"] == "dormant"
