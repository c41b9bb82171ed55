from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from desk.core.domain import dates
from desk.core.errors import DeskError, UndoConflict
from desk.core.safety import backups, sync_folders, userconfig
from desk.core.safety import restore as restoring
from desk.core.store import queries, records, undo
from desk.core.store.db import Database, open_database
from desk.io.dump import dump
from tests.digests import dump_digest
from tests.makers import newer_desk_file

pytestmark = pytest.mark.usefixtures("backup_home")

NOW = dt.datetime(2025, 4, 8, 10, 2)  # a Tuesday


def _name(moment: dt.datetime, reason: str = "auto") -> str:
    return backups.backup_name("desk", moment, reason)


def _dump_of(path: Path) -> dict:
    database = Database(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True))
    try:
        return dump(database)
    finally:
        database.close()


@pytest.fixture
def city(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "city" / "desk.sqlite"
    path.parent.mkdir()
    shutil.copyfile(demo_template, path)
    return path


# -- rotation --------------------------------------------------------------------------


def test_names_round_trip() -> None:
    name = backups.backup_name("desk", NOW, "before-restore", "0a1b2c3d")
    assert name == "desk-20250408-100200-before-restore.0a1b2c3d.sqlite"
    assert backups.parse_name(name) == ("desk", NOW, "before-restore", "0a1b2c3d", None)
    made = backups.backup_name("desk", NOW, "auto", "0a1b2c3d", "7b4e")
    assert made == "desk-20250408-100200.0a1b2c3d-7b4e.sqlite"
    assert backups.parse_name(made) == ("desk", NOW, "auto", "0a1b2c3d", "7b4e")
    # Names from before databases carried an identity still read.
    assert backups.parse_name("my-city-2024-20250408-100200.sqlite") == (
        "my-city-2024",
        NOW,
        "auto",
        None,
        None,
    )
    assert backups.parse_name("desk-20250408-100200-manual.sqlite").reason == "manual"
    for other in (
        "desk.sqlite",
        "desk-20250408-100200.sqlite.partial",
        "desk-2025-10.sqlite",
        "desk-20250408-100200.XYZ.sqlite",
    ):
        assert backups.parse_name(other) is None


def test_many_in_one_day_keeps_the_newest_five() -> None:
    names = [_name(NOW.replace(hour=h, minute=0)) for h in range(10)]
    assert backups.keep_set(names, NOW) == set(names[-5:])


def test_daily_backups_thin_out_to_days_weeks_and_months() -> None:
    days = [dt.datetime(2025, 1, 1, 9) + dt.timedelta(days=n) for n in range(98)]
    assert days[-1].date() == dt.date(2025, 4, 8)
    kept = backups.keep_set([_name(d) for d in days], NOW)
    expected_days = [(4, d) for d in range(2, 9)]  # the last 7 days (and the newest 5)
    expected_weeks = [(3, 30), (3, 23), (3, 16)]  # Sundays ending ISO weeks 13, 12, 11
    expected_months = [(3, 31), (2, 28), (1, 31)]
    expected = {
        _name(dt.datetime(2025, m, d, 9))
        for m, d in expected_days + expected_weeks + expected_months
    }
    assert kept == expected


def test_months_reach_back_twelve_months_that_have_backups_across_new_year() -> None:
    now = dt.datetime(2025, 1, 10, 12)
    monthly = [_name(dt.datetime(2023 + (m // 12), m % 12 + 1, 15, 9)) for m in range(11, 24)]
    recent = [_name(now - dt.timedelta(hours=n)) for n in range(1, 6)]
    kept = backups.keep_set([*monthly, *recent], now)
    # Monthly backups from December 2023 to December 2024, and January 2025's: the
    # newest twelve months that have backups (February 2024 on) keep one each.
    assert set(monthly[2:]) <= kept and not set(monthly[:2]) & kept


def test_a_file_left_alone_or_a_clock_that_jumps_keeps_its_history() -> None:
    """Counted over the backups there are, not the calendar: a database nobody opened
    for a year, or a clock that jumped two years ahead for one backup, does not lose
    every older backup at the next rotation."""
    history = [_name(dt.datetime(2024, m, 1, 9)) for m in range(1, 13)]
    for later in (dt.datetime(2025, 12, 20, 9), dt.datetime(2027, 1, 1, 9)):
        kept = backups.keep_set([*history, _name(later)], later)
        assert set(history[1:]) <= kept, later  # eleven months plus the new one: twelve


def test_before_restore_copies_are_kept_thirty_days_outside_the_count() -> None:
    young = _name(NOW - dt.timedelta(days=29), "before-restore")
    old = _name(NOW - dt.timedelta(days=31), "before-restore")
    newest = _name(NOW, "before-restore")
    ordinary = [_name(NOW - dt.timedelta(minutes=n)) for n in range(1, 6)]
    kept = backups.keep_set([young, old, newest, *ordinary], NOW)
    assert kept == {young, newest, *ordinary}


def _new_city(path: Path) -> Path:
    """A database of its own (an identity of its own), with a record in it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(path)
    records.create(database, "organisation", {"name": f"City hall of {path.parent.name}"})
    database.close()
    return path


def test_two_namesakes_sharing_a_folder_never_touch_each_others_backups(
    tmp_path: Path,
) -> None:
    """Two laptops back up 'city.sqlite' to one USB stick: each lists, rotates and
    restores only its own backups."""
    x = _new_city(tmp_path / "x" / "city.sqlite")
    y = _new_city(tmp_path / "y" / "city.sqlite")
    stick = tmp_path / "usb"
    backups.set_backup_folder(x, stick)
    backups.set_backup_folder(y, stick)
    only_of_x = backups.make_backup(x, now=NOW - dt.timedelta(days=400))
    of_y = [backups.make_backup(y, now=NOW - dt.timedelta(hours=n)) for n in range(8)]
    (stick / "notes.txt").write_text("not a backup")
    assert [b.path for b in backups.list_backups(x)] == [only_of_x.path]
    assert {b.path for b in backups.list_backups(y)} == {b.path for b in of_y}
    # y's rotation thins y's backups out, and leaves x's only backup, a year old, alone.
    deleted = backups.rotate(y, NOW)
    assert sorted(deleted) == sorted(b.path for b in of_y[5:])
    assert only_of_x.path.exists() and (stick / "notes.txt").exists()
    # x's rotation keeps its only backup even at a year old: the newest five stay.
    assert backups.rotate(x, NOW) == []
    assert backups.newest(x) == NOW - dt.timedelta(days=400)


def test_a_backup_names_its_database_and_moving_the_file_keeps_its_backups(
    tmp_path: Path,
) -> None:
    city = _new_city(tmp_path / "a" / "desk.sqlite")
    taken = backups.make_backup(city, now=NOW)
    uid = backups.identity_of(city)
    assert uid and taken.database_uid == uid
    maker = userconfig.installation_id().replace("-", "")[:4]
    owner = uid.replace("-", "")[:8]
    assert taken.path.name == f"desk-20250408-100200.{owner}-{maker}.sqlite"
    # Moved and renamed, it is the same database, with the same backups.
    moved = tmp_path / "b" / "town.sqlite"
    moved.parent.mkdir()
    city.rename(moved)
    assert [b.path for b in backups.list_backups(moved)] == [taken.path]
    assert backups.make_backup(moved, now=NOW).path.parent == taken.path.parent


def test_backups_from_before_identities_stay_reachable_and_unclaimed_ones_alone(
    tmp_path: Path,
) -> None:
    city = _new_city(tmp_path / "a" / "city.sqlite")
    # Made for this very path before identities: kept in the folder named for the path.
    legacy = backups.legacy_folder(city)
    legacy.mkdir(parents=True)
    old = legacy / "city-20250101-090000.sqlite"
    shutil.copyfile(city, old)
    # And one in a shared folder, which could be anybody's 'city.sqlite'.
    stick = tmp_path / "usb"
    backups.set_backup_folder(city, stick)
    stray = stick / "city-20240101-090000.sqlite"
    shutil.copyfile(city, stray)
    new = backups.make_backup(city, now=NOW)
    assert [b.path for b in backups.list_backups(city)] == [new.path, old]
    assert backups.unattributed(city) == [stray]
    for _ in range(7):
        backups.make_backup(city, now=NOW)
    backups.rotate(city, NOW + dt.timedelta(days=800))
    assert stray.exists()


# -- taking one ----------------------------------------------------------------------------


def test_a_backup_is_a_verified_standalone_copy(city: Path, backup_home: Path) -> None:
    database = open_database(city)
    records.create(database, "organisation", {"name": "Written just now"})  # still in the WAL
    info = backups.make_backup(database, reason="manual", now=NOW)
    owner = backups.identity_of(city).replace("-", "")[:8]
    maker = userconfig.installation_id().replace("-", "")[:4]
    assert info.path.name == f"desk-20250408-100200-manual.{owner}-{maker}.sqlite"
    assert info.path.parent == backups.default_backup_folder(city)
    assert info.path.parent.parent == backup_home / "data" / "backups"
    assert info.reason == "manual" and info.taken_at == NOW
    assert info.counts["organisations"] == queries.count(database, "organisation")
    assert _dump_of(info.path) == dump(database)
    database.close()
    copy = sqlite3.connect(info.path)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert [p.name for p in info.path.parent.iterdir() if "partial" in p.name] == []


def test_two_backups_in_one_second_do_not_collide(city: Path) -> None:
    first = backups.make_backup(city, now=NOW)
    second = backups.make_backup(city, now=NOW)
    assert first.path != second.path and first.path.exists() and second.path.exists()


def test_a_copy_failing_its_integrity_check_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.execute("CREATE INDEX t_x ON t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(f"row {n:05}",) for n in range(3000)])
    conn.commit()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 't_x'").fetchone()[0]
    conn.close()
    earlier = backups.make_backup(path, now=NOW - dt.timedelta(days=1))
    before = earlier.path.read_bytes()
    with path.open("r+b") as stream:  # scribble over the index's root page
        stream.seek((root - 1) * page_size)
        stream.write(b"\xff" * page_size)
    with pytest.raises(backups.BackupError, match="integrity check"):
        backups.make_backup(path, now=NOW)
    assert sorted(p.name for p in earlier.path.parent.iterdir()) == sorted(
        [earlier.path.name, backups.LOCK_NAME]
    )
    assert earlier.path.read_bytes() == before


def test_leftover_partials_are_cleared_by_the_next_backup(city: Path) -> None:
    folder = backups.backup_folder(city)
    folder.mkdir(parents=True)
    (folder / "desk-20250101-000000.sqlite.partial").write_bytes(b"half")
    (folder / "desk-20250101-000000.sqlite.partial-journal").write_bytes(b"half")
    backups.make_backup(city, now=NOW)
    assert [p.name for p in folder.iterdir() if "partial" in p.name] == []


def test_missing_database_is_refused(tmp_path: Path) -> None:
    with pytest.raises(backups.BackupError, match="No database"):
        backups.make_backup(tmp_path / "nowhere.sqlite")
    assert not (tmp_path / "nowhere.sqlite").exists()


# -- where they go ---------------------------------------------------------------------


def test_a_chosen_folder_is_remembered_per_database_and_falls_back(
    city: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick" / "desk backups"
    assert backups.set_backup_folder(city, stick) == stick.resolve()
    config = json.loads(userconfig.config_path().read_text())
    assert config["databases"][str(city.resolve())]["backup_folder"] == str(stick.resolve())
    info = backups.make_backup(city, now=NOW)
    assert info.path.parent == stick.resolve() and info.note is None
    shutil.rmtree(stick)  # the stick is unplugged
    info = backups.make_backup(city, now=NOW)
    assert info.path.parent == backups.default_backup_folder(city)
    assert info.note and "missing" in info.note and str(stick.resolve()) in info.note
    assert backups.set_backup_folder(city, None) == backups.default_backup_folder(city)
    assert userconfig.for_database(city) == {}


def test_the_folder_beside_the_database_is_refused(city: Path) -> None:
    with pytest.raises(DeskError, match="folder of their own"):
        backups.set_backup_folder(city, city.parent)


def test_the_default_folder_is_named_for_the_database_and_its_identity(tmp_path: Path) -> None:
    one = backups.default_backup_folder(_new_city(tmp_path / "a" / "desk.sqlite"))
    two = backups.default_backup_folder(_new_city(tmp_path / "b" / "desk.sqlite"))
    assert one != two and one.name.startswith("desk-") and len(one.name) == len("desk-") + 8
    owner = backups.identity_of(tmp_path / "a" / "desk.sqlite").replace("-", "")[:8]
    assert one.name == f"desk-{owner}"


def test_config_writes_leave_no_temp_files(city: Path) -> None:
    sync_folders.mark_sync_warning_shown(city)
    userconfig.update_database(city, backup_folder="/somewhere")
    folder = userconfig.config_path().parent
    assert [p.name for p in folder.iterdir()] == ["config.json"]
    assert userconfig.for_database(city) == {
        "sync_warning_shown": True,
        "backup_folder": "/somewhere",
    }
    userconfig.config_path().write_text("{not json")
    assert userconfig.for_database(city) == {}


# -- the automatic policy ----------------------------------------------------------------


def test_automatic_backups_daily_and_after_changes_on_opening(city: Path) -> None:
    real_now = dt.datetime.now().replace(microsecond=0)
    first = backups.maybe_backup(city, now=real_now - dt.timedelta(hours=2))
    assert first is not None and first.reason == "auto"
    # The file changed (it was copied in) after that backup: opening backs up again...
    assert backups.maybe_backup(city, now=real_now - dt.timedelta(hours=1)) is None
    second = backups.maybe_backup(city, now=real_now - dt.timedelta(hours=1), opening=True)
    assert second is not None
    # ...but not when nothing changed since.
    later = real_now + dt.timedelta(minutes=5)
    os.utime(city, (city.stat().st_atime, (real_now - dt.timedelta(hours=3)).timestamp()))
    assert backups.maybe_backup(city, now=later, opening=True) is None
    assert backups.maybe_backup(city, now=later) is None
    day_later = backups.maybe_backup(city, now=real_now + dt.timedelta(hours=25))
    assert day_later is not None
    assert len(backups.list_backups(city)) == 3


def test_a_write_in_the_wal_counts_as_a_change(city: Path) -> None:
    real_now = dt.datetime.now().replace(microsecond=0)
    os.utime(city, (city.stat().st_atime, (real_now - dt.timedelta(hours=3)).timestamp()))
    database = open_database(city)
    assert backups.maybe_backup(city, now=real_now - dt.timedelta(hours=2)) is not None
    assert backups.maybe_backup(city, now=real_now - dt.timedelta(hours=2), opening=True) is None
    records.create(database, "organisation", {"name": "New"})
    assert city.with_name(city.name + "-wal").stat().st_size > 0
    assert backups.maybe_backup(city, now=real_now - dt.timedelta(hours=1), opening=True)
    database.close()


# -- listing ---------------------------------------------------------------------------


def test_list_backups_counts_records_and_survives_damage(city: Path) -> None:
    database = open_database(city)
    expected = {
        "partnerships": queries.count(database, "partnership"),
        "agreements": queries.count(database, "agreement"),
        "visits": queries.count(database, "visit"),
        "contacts": queries.count(database, "contact"),
        "organisations": queries.count(database, "organisation"),
    }
    backups.make_backup(database, now=NOW - dt.timedelta(hours=1))
    records.create(database, "organisation", {"name": "One more"})
    backups.make_backup(database, reason="manual", now=NOW)
    database.close()
    folder = backups.backup_folder(city)
    owner = backups.identity_of(city).replace("-", "")[:8]
    maker = userconfig.installation_id().replace("-", "")[:4]
    damaged_name = backups.backup_name("desk", NOW + dt.timedelta(minutes=1), "auto", owner, maker)
    (folder / damaged_name).write_bytes(b"not a database at all" * 100)
    found = backups.list_backups(city)
    assert [b.reason for b in found] == ["auto", "manual", "auto"]
    damaged, newest, oldest = found
    assert damaged.damaged and damaged.counts == {}
    assert oldest.counts == expected and oldest.schema_version
    assert newest.counts == {**expected, "organisations": expected["organisations"] + 1}
    assert newest.taken_at == NOW and newest.size == newest.path.stat().st_size


def test_words_for_times_and_sizes() -> None:
    assert dates.long_when(NOW) == "Tuesday, April 8, 2025 10:02 AM"
    assert dates.short_when(NOW) == "4/8/2025 10:02 AM"
    assert dates.clock(dt.datetime(2025, 1, 1, 0, 5)) == "12:05 AM"
    assert dates.clock(dt.datetime(2025, 1, 1, 12, 30)) == "12:30 PM"
    assert dates.clock(dt.datetime(2025, 1, 1, 23, 59)) == "11:59 PM"
    assert backups.size_text(512) == "512 bytes"
    assert backups.size_text(20 * 1024 * 1024) == "20.0 MB"


# -- restoring -------------------------------------------------------------------------


def test_restore_round_trips_and_keeps_the_replaced_data(city: Path) -> None:
    database = open_database(city)
    taken = backups.make_backup(database, reason="manual", now=NOW)
    before = dump(database)
    partnership = database.execute("SELECT id FROM partnerships LIMIT 1").fetchone()[0]
    records.update(database, "partnership", partnership, {"notes": "Changed after the backup"})
    records.create(database, "organisation", {"name": "Added after the backup"})
    changed = dump(database)
    assert changed != before

    result = restoring.restore(database, taken.path)

    # The connection, open all along, sees the restored records, and the restore itself
    # is on record as an operation that cannot be undone.
    after = dump(database)
    operations = after["tables"].pop("operations")
    before_operations = before["tables"].pop("operations")
    assert after == before
    assert operations["rows"][:-1] == before_operations["rows"]
    last = dict(zip(operations["columns"], operations["rows"][-1], strict=True))
    assert last["label"].startswith("Restore the backup taken ") and last["final"] == 1
    assert result.restored.path == taken.path and result.database == city
    assert result.safety is not None and result.safety.reason == "before-restore"
    assert _dump_of(result.safety.path) == changed
    assert result.replaced["organisations"] == result.restored.counts["organisations"] + 1
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Undo stops at the restore and says how to go back, rather than reaching into
    # the history the backup replaced.
    with pytest.raises(UndoConflict, match=r"cannot be undone.*Before a restore"):
        undo.undo(database)
    database.close()
    assert open_database(city).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_restoring_an_old_backup_keeps_it_while_it_is_needed(city: Path) -> None:
    old = backups.make_backup(city, now=dt.datetime(2020, 1, 1, 9))
    with open_database(city) as database:
        assert restoring.restore(database, old.path).restored.path == old.path
    assert old.path.exists()


def test_a_damaged_database_can_still_be_restored_and_its_copy_is_kept(city: Path) -> None:
    good = backups.make_backup(city, now=NOW)
    conn = sqlite3.connect(city)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'"
    ).fetchone()[0]
    conn.close()
    with city.open("r+b") as stream:
        stream.seek((root - 1) * page_size)
        stream.write(b"\xff" * page_size)
    with open_database(city) as database:
        result = restoring.restore(database, good.path)
    assert result.safety is not None and result.safety.damaged
    assert "integrity check" in result.safety.damaged and result.safety.path.exists()
    restored, backed_up = _dump_of(city), _dump_of(good.path)
    operations = restored["tables"].pop("operations")["rows"]
    assert operations[:-1] == backed_up["tables"].pop("operations")["rows"]
    assert restored == backed_up
    with open_database(city) as database:
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The file is the same database as before, not the backup's namesake.
        assert backups.identity_of(city) == good.database_uid


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"\x00garbage" * 500), "not a desk backup"),
        (
            lambda p: sqlite3.connect(p).execute("CREATE TABLE t (x)").connection.close(),
            "not a desk",
        ),
        (lambda p: newer_desk_file(p, 99), "newer version of desk"),
        (
            lambda p: sqlite3.connect(p).execute("PRAGMA user_version = 99").connection.close(),
            "damaged",
        ),
        (lambda p: None, "No backup at"),
    ],
)
def test_restore_refuses_what_is_not_a_sound_desk_backup(
    city: Path, tmp_path: Path, make, message: str
) -> None:
    candidate = tmp_path / "candidate.sqlite"
    make(candidate)
    original = dump_digest(city)
    with (
        open_database(city) as database,
        pytest.raises(backups.RestoreRefused, match=message) as caught,
    ):
        restoring.restore(database, candidate)
    assert "nothing was restored" in str(caught.value).lower()
    assert dump_digest(city) == original
    assert backups.list_backups(city) == []  # refused before any safety copy


# -- sync folders ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("folder", "client"),
    [
        ("Dropbox/International", "Dropbox"),
        ("Dropbox (City of Port Meridian)/desk", "Dropbox"),
        ("OneDrive - City of Port Meridian/Documents", "OneDrive"),
        ("OneDrive", "OneDrive"),
        ("Library/Mobile Documents/com~apple~CloudDocs", "iCloud Drive"),
        ("iCloudDrive", "iCloud Drive"),
        ("Library/CloudStorage/GoogleDrive-ann@example.org/My Drive", "Google Drive"),
        ("Google Drive/desk", "Google Drive"),
        ("Box", "Box"),
        ("pCloud Drive", "pCloud"),
        ("Nextcloud/Documents", "Nextcloud"),
        ("ownCloud", "ownCloud"),
        ("Documents/desk", None),
        ("Dropboxes are boxes", None),
        ("Boxes", None),
    ],
)
def test_sync_folders_are_recognised(tmp_path: Path, folder: str, client: str | None) -> None:
    assert sync_folders.sync_folder(tmp_path / folder / "desk.sqlite") == client


def test_sync_com_only_at_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    assert sync_folders.sync_folder(tmp_path / "Sync" / "desk.sqlite") == "Sync.com"
    assert sync_folders.sync_folder(tmp_path / "work" / "Sync" / "desk.sqlite") is None


def test_the_sync_warning_is_due_once_per_database(tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox" / "desk.sqlite"
    other = tmp_path / "Dropbox" / "other.sqlite"
    assert sync_folders.sync_warning_due(synced) == "Dropbox"
    assert "Dropbox" in sync_folders.sync_warning_text("Dropbox", synced)
    sync_folders.mark_sync_warning_shown(synced)
    assert sync_folders.sync_warning_due(synced) is None
    assert sync_folders.sync_warning_due(other) == "Dropbox"
    assert sync_folders.sync_warning_due(tmp_path / "plain" / "desk.sqlite") is None


def test_rotation_never_deletes_a_backup_someone_opened_as_a_database(tmp_path: Path) -> None:
    city = _new_city(tmp_path / "a" / "city.sqlite")
    first = backups.make_backup(city, now=NOW - dt.timedelta(days=400))
    second = backups.make_backup(city, now=NOW - dt.timedelta(days=399))
    # Somebody opens the old backups as databases: one is open right now (its log
    # beside it), the other was written to and became a database of its own.
    working = open_database(first.path)
    records.create(working, "organisation", {"name": "Typed into a backup"})
    with open_database(second.path) as claimed:
        claimed.execute("UPDATE file_meta SET value = 'another' WHERE key = 'database_uid'")
    for n in range(8):
        backups.make_backup(city, now=NOW - dt.timedelta(minutes=n))
    backups.rotate(city, NOW + dt.timedelta(days=3000))
    assert first.path.exists() and second.path.exists()
    records.create(working, "organisation", {"name": "And still writing"})
    working.close()


def test_two_laptops_working_on_copies_of_one_file_keep_their_own_backups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One database, copied to a second laptop, both used since, backing up to one
    stick: each laptop lists and rotates only the backups it took."""
    a = _new_city(tmp_path / "laptop-a" / "desk.sqlite")
    b = tmp_path / "laptop-b" / "desk.sqlite"
    b.parent.mkdir()
    shutil.copyfile(a, b)
    stick = tmp_path / "usb"

    def on_laptop(name: str) -> None:
        monkeypatch.setenv("DESK_CONFIG_DIR", str(tmp_path / f"config-{name}"))

    on_laptop("a")
    backups.set_backup_folder(a, stick)
    taken_by_a = [backups.make_backup(a, now=NOW - dt.timedelta(days=300 + n)) for n in range(3)]
    on_laptop("b")
    backups.set_backup_folder(b, stick)
    taken_by_b = [backups.make_backup(b, now=NOW - dt.timedelta(hours=n)) for n in range(8)]
    assert {i.path for i in backups.list_backups(b)} == {i.path for i in taken_by_b}
    assert set(backups.made_elsewhere(b)) == {i.path for i in taken_by_a}
    assert all(i.path.exists() for i in taken_by_a)  # b's rotation left them alone
    on_laptop("a")
    assert {i.path for i in backups.list_backups(a)} == {i.path for i in taken_by_a}
    assert "taken by desk on another computer" in (backups.others_note(a) or "")


def test_a_backup_dated_in_the_future_does_not_stop_the_next(city: Path) -> None:
    real_now = dt.datetime.now().replace(microsecond=0)
    ahead = backups.make_backup(city, now=real_now + dt.timedelta(days=700))
    assert backups.backup_due(city, real_now)  # the clock was wrong then, not now
    taken = backups.maybe_backup(city, now=real_now)
    assert taken is not None
    assert [b.path for b in backups.list_backups(city)] == [taken.path, ahead.path]
