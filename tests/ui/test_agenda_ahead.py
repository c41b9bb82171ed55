"""Today read ahead while the window loads: used only while it is still the truth."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from desk.core.features import agenda
from desk.core.store import records
from desk.core.store.db import Database, open_database
from desk.ui.agenda_ahead import AgendaAhead

TODAY = dt.date.today()


def _city(path: Path) -> int:
    db = open_database(path)
    kobe = records.create(
        db, "partnership", {"partner_name": "Kobe", "kind": "sister_city", "status": "active"}
    ).id
    records.create(
        db,
        "follow_up",
        {"title": "Send the minutes", "due_date": TODAY.isoformat(), "partnership_id": kobe},
    )
    db.close()
    return kobe


def _titles(found: agenda.Agenda) -> dict[str, list[str]]:
    return {section: [i.title for i in items] for section, items in found.sections.items()}


def test_what_is_read_ahead_is_what_the_page_would_read(db_path: Path) -> None:
    _city(db_path)
    ahead = AgendaAhead(db_path)
    db = open_database(db_path)
    try:
        assert ahead.any_due(db) is False
        found = ahead.take()
        assert found is not None
        assert _titles(found) == _titles(agenda.build(db))
        assert "Send the minutes" in _titles(found)["today"]
        assert ahead.take() is None  # once
    finally:
        db.close()


def test_a_write_after_the_reading_began_sets_it_aside(db_path: Path) -> None:
    kobe = _city(db_path)
    ahead = AgendaAhead(db_path)
    db = open_database(db_path)
    try:
        ahead.any_due(db)
        records.create(
            db,
            "follow_up",
            {"title": "Call the consul", "due_date": TODAY.isoformat(), "partnership_id": kobe},
        )
        assert ahead.take() is None
    finally:
        db.close()


def test_a_planned_change_come_due_is_seen_and_applied_before_today_is_read(
    db_path: Path, qtbot: QtBot
) -> None:
    kobe = _city(db_path)
    db = open_database(db_path)
    records.change_status(db, kobe, "ended", (TODAY + dt.timedelta(days=30)).isoformat(), "Vote")
    # Its day has come since (the file kept on a laptop for a month).
    db.execute(
        "UPDATE partnership_status_changes SET changed_on = ? WHERE status = 'ended'",
        (TODAY.isoformat(),),
    )
    # Ten years next week: an anniversary Today lists while the tie is in force only.
    soon = TODAY + dt.timedelta(days=7)
    founded = soon.replace(year=soon.year - 10, day=min(soon.day, 28))
    db.execute("UPDATE partnerships SET established_date = ?", (founded.isoformat(),))
    db.close()
    from desk.ui.main_window import MainWindow

    ahead = AgendaAhead(db_path)
    database = open_database(db_path)
    try:
        assert ahead.any_due(database) is True
        from desk.core.store.hooks.partnerships import statuses_come_due

        statuses_come_due(database)  # as the window does when told
        window = MainWindow(database, db_path, ahead)
        qtbot.addWidget(window)
        today = window.page("today")
        assert today.agenda is not None
        # Read anew after the write: the ended tie's anniversary is gone, its
        # follow-up stands.
        listed = [t for titles in _titles(today.agenda).values() for t in titles]
        assert "Send the minutes" in listed
        assert not [t for t in listed if "10 years" in t], listed
        assert records.get(database, "partnership", kobe)["status"] == "ended"
    finally:
        database.close()


def test_a_file_it_cannot_read_leaves_the_asking_to_the_window(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.sqlite"
    ahead = AgendaAhead(missing)
    db = open_database(tmp_path / "other.sqlite")
    try:
        assert ahead.any_due(db) is True
        assert ahead.take() is None
    finally:
        db.close()
    assert not missing.exists()  # read-only: nothing made where nothing was


def test_a_file_from_an_older_desk_is_not_read_before_its_upgrade(tmp_path: Path) -> None:
    old = tmp_path / "schema-8.sqlite"
    folder = Path(__file__).parents[1] / "data" / "old-schemas"
    with gzip.open(folder / "schema-8.sqlite.gz", "rb") as packed, old.open("wb") as out:
        shutil.copyfileobj(packed, out)
    before = old.read_bytes()
    ahead = AgendaAhead(old)
    db: Database = open_database(tmp_path / "other.sqlite")
    try:
        assert ahead.any_due(db) is True  # the window asks itself, after the upgrade
        assert ahead.take() is None
    finally:
        db.close()
    assert old.read_bytes() == before
