"""kill -9 at any moment of a restore, a backup rotation or a repair costs nothing kept.

Each test runs the operation in a child process, kills it with SIGKILL at a random moment
(a few right after it says "ready", the rest anywhere in the time a whole run takes),
then checks from this process what a person would find: the database sound and holding
the whole old state or the whole new one, and every backup or copy that was there
before byte for byte as it was (bar those a rotation is meant to delete).

Every random choice comes from one seed, printed in every assertion message; replay a
failure with `DESK_TEST_SEED=<seed>`. The seed fixes the data and the kill offsets, not
the scheduler: a failure that depends on where a kill landed to the millisecond may need
a few runs with that seed to show again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk import cli
from desk.core.safety import backup_rules, backups
from desk.core.safety import restore as restoring
from desk.core.store import attachments, records
from desk.core.store.db import Database, database_uid, open_database

pytestmark = pytest.mark.skipif(os.name == "nt", reason="kill -9 is POSIX")

SEED = int(os.environ.get("DESK_TEST_SEED", "0")) or random.randrange(2**32)

RESTORE_TRIALS = 10
ROTATION_TRIALS = 12
REPAIR_TRIALS = 10
# Kills that land the moment the child is ready, before the operation has done anything:
# the cheapest moment to get wrong (a lock half taken, a file opened but not written).
AT_ONCE = 2
# Tries at killing a repair inside its first copy (each lands there nearly always).
COPY_KILL_ATTEMPTS = 5


# -- the child and its killing ---------------------------------------------------------------


@dataclass
class Killed:
    offset: float  # seconds between "ready" and the kill
    finished: bool  # the operation ran to its end before the kill landed


def _start(
    script: str, args: Iterable[str], env: Mapping[str, str] | None
) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=None if env is None else {**os.environ, **env},
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if line.strip() != "ready":
        _out, err = child.communicate()
        raise AssertionError(f"seed={SEED}: the child did not start: {line!r} {err}")
    return child


def run_to_end(
    script: str, args: Iterable[str], env: Mapping[str, str] | None = None
) -> tuple[float, str]:
    """The operation run whole: how long it takes from "ready", and what it printed."""
    child = _start(script, args, env)
    began = time.monotonic()
    out, err = child.communicate()
    took = time.monotonic() - began
    assert child.returncode == 0 and "done" in out, f"seed={SEED}: {out}\n{err}"
    return took, out


def run_and_kill(
    script: str, args: Iterable[str], offset: float, env: Mapping[str, str] | None = None
) -> Killed:
    child = _start(script, args, env)
    time.sleep(offset)
    # Not yet reaped, so the pid is still this child's even when it has just finished.
    with contextlib.suppress(ProcessLookupError):
        os.kill(child.pid, signal.SIGKILL)
    out, err = child.communicate()
    # A child that failed on its own would make every later check meaningless.
    assert child.returncode in (0, -signal.SIGKILL), f"seed={SEED}: {out}\n{err}"
    return Killed(offset, child.returncode == 0)


def offsets(chance: random.Random, trials: int, whole: float) -> list[float]:
    return [0.0] * AT_ONCE + [chance.uniform(0, whole) for _ in range(trials - AT_ONCE)]


# -- what files and databases hold -------------------------------------------------------------


def file_digest(path: Path) -> str:
    return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()


def table_digest(conn: sqlite3.Connection, table: str, where: str = "") -> str:
    """A table's rows as a set, whatever their rowids and the order they were put in: a
    restore inserts the backup's rows anew, and a blob's rowid is not its identity."""
    width = len(conn.execute(f'PRAGMA table_info("{table}")').fetchall())
    order = ", ".join(str(n) for n in range(1, width + 1))
    digest = hashlib.blake2b(digest_size=16)
    for row in conn.execute(f'SELECT * FROM "{table}" {where} ORDER BY {order}'):
        values = tuple(hashlib.blake2b(v).hexdigest() if isinstance(v, bytes) else v for v in row)
        digest.update(repr(values).encode())
    return digest.hexdigest()


def snapshot(conn: sqlite3.Connection) -> dict[str, str]:
    """Every table's digest, bar the search index (derived, rebuilt by every restore and
    repair); the id counters as one more entry per table counted."""
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_index%'"
        )
    ]
    found = {table: table_digest(conn, table) for table in tables}
    for name, seq in conn.execute("SELECT name, seq FROM sqlite_sequence"):
        found[f"sqlite_sequence:{name}"] = str(seq)
    return found


# What a restore is meant to leave different from the backup: the file keeps its own
# identity (file_meta), and undo's log gains the one final operation that says a restore
# happened (operations, its id counter). `history` is the backup's whole, but is compared
# on its own so that a state is told apart from the undo log that goes with it.
NOT_RECORDS = ("operations", "history", "file_meta", "sqlite_sequence:operations")


def records_of(state: Mapping[str, str]) -> dict[str, str]:
    return {table: digest for table, digest in state.items() if table not in NOT_RECORDS}


def read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def integrity(conn: sqlite3.Connection) -> str:
    try:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    except sqlite3.DatabaseError as exc:
        return str(exc)


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


# -- restore -------------------------------------------------------------------------------

RESTORE_CHILD = """
import sys
from desk.core.store.db import open_database
from desk.core.safety.restore import restore
db = open_database(sys.argv[1])
print("ready", flush=True)
restore(db, sys.argv[2])
db.close()
print("done", flush=True)
"""

MiB = 1024 * 1024


@dataclass
class RestoreCase:
    city: Path
    pristine: Path  # the city as it stands before every trial
    chosen: Path  # the backup every trial restores
    folder: Path
    uid: str
    before: dict[str, str]
    backup: dict[str, str]
    backup_last_operation: int


def restore_case(demo_template: Path, tmp_path: Path, chance: random.Random) -> RestoreCase:
    city = tmp_path / "office" / "city.sqlite"
    city.parent.mkdir()
    shutil.copyfile(demo_template, city)
    backups.set_backup_folder(city, tmp_path / "backups")
    db = open_database(city)
    try:
        # A scan big enough that a restore takes a while: its bytes are copied into the
        # safety backup, into the temporary copy and back into the database.
        agreement = db.execute("SELECT id FROM agreements ORDER BY id LIMIT 1").fetchone()[0]
        scan = chance.randbytes(10 * MiB)
        attachments.attach_file(db, "agreement", agreement, scan, filename="signed.pdf")
        backups.make_backup(city, reason="manual", now=dt.datetime(2026, 10, 1, 9, 0))
        records.create(db, "organisation", {"name": "Between the backups"})
        chosen = backups.make_backup(city, now=dt.datetime(2026, 11, 1, 9, 0))
        records.create(db, "organisation", {"name": "After the backup"})
        records.create(db, "contact", {"family_name": "Afterwards"})
        uid = database_uid(db.conn)
        before = snapshot(db.conn)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    assert uid is not None
    pristine = tmp_path / "pristine.sqlite"
    shutil.copyfile(city, pristine)
    with contextlib.closing(read_only(chosen.path)) as conn:
        backup = snapshot(conn)
        last = conn.execute("SELECT max(id) FROM operations").fetchone()[0]
    return RestoreCase(city, pristine, chosen.path, chosen.path.parent, uid, before, backup, last)


def check_restored(case: RestoreCase, conn: sqlite3.Connection, why: str) -> None:
    """The whole of the backup's records, its undo log, and the one final operation."""
    state = snapshot(conn)
    assert records_of(state) == records_of(case.backup), why
    assert state["history"] == case.backup["history"], why
    last = case.backup_last_operation
    kept = table_digest(conn, "operations", f"WHERE id <= {last}")
    assert kept == case.backup["operations"], why
    added = conn.execute(f"SELECT final, label FROM operations WHERE id > {last}").fetchall()
    assert len(added) == 1 and added[0][0] == 1, f"{why}: {added}"
    assert added[0][1].startswith("Restore the backup taken"), f"{why}: {added}"


def check_city_after_kill(case: RestoreCase, why: str) -> str:
    """Opened as desk opens it (which replays the write-ahead log): sound, and either the
    state before the restore, undo log and all, or the backup's. Says which."""
    db = open_database(case.city, create=False)
    try:
        assert integrity(db.conn) == "ok", why
        state = snapshot(db.conn)
        assert database_uid(db) == case.uid, f"{why}: the file lost its identity"
        if records_of(state) == records_of(case.before):
            # Not one half-recorded step either: the undo log is the one that was.
            assert state == case.before, why
            return "before"
        check_restored(case, db.conn, f"{why}: neither the old records nor the backup's")
        return "after"
    finally:
        db.close()


def restore_again(case: RestoreCase, why: str) -> None:
    """A restore after the kill runs through whatever the kill left (a `.partial`, a
    stale lock, a write-ahead log) and leaves the backup's records."""
    db = open_database(case.city, create=False)
    try:
        result = restoring.restore(db, case.chosen)
        check_restored(case, db.conn, f"{why}: the restore after the kill")
    finally:
        db.close()
    assert result.safety is not None, why
    # Ours, not the killed run's: dropped so the folder does not grow by 10 MB a trial.
    result.safety.path.unlink()
    assert not [p.name for p in case.folder.iterdir() if ".partial" in p.name], why


def check_backup_folder(case: RestoreCase, kept: dict[str, str], why: str) -> None:
    """Every backup there was, byte for byte; a new backup under a finished name is a
    whole copy of the database as it was before the restore (the safety copy)."""
    present = {p.name: p for p in case.folder.iterdir()}
    for name, digest in kept.items():
        assert name in present, f"{why}: {name} is gone"
        assert file_digest(present[name]) == digest, f"{why}: {name} changed"
    for name, path in present.items():
        if name in kept or name == backups.LOCK_NAME:
            continue
        named = backup_rules.parse_name(name)
        if named is None:
            # A leftover of the copy the kill interrupted; the next backup removes it.
            assert backups.PARTIAL in name, f"{why}: unexpected {name}"
            continue
        assert named.reason == "before-restore", f"{why}: {name}"
        with contextlib.closing(read_only(path)) as conn:
            assert integrity(conn) == "ok", f"{why}: {name} is a finished name"
            assert snapshot(conn) == case.before, f"{why}: {name} is not the old state"
        kept[name] = file_digest(path)


def test_a_killed_restore_leaves_the_old_or_the_restored_records_whole_and_every_backup_as_it_was(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chance = random.Random(SEED)
    case = restore_case(demo_template, tmp_path, chance)
    assert records_of(case.before) != records_of(case.backup), f"seed={SEED}"
    # The child's working copy goes in a folder of desk's data folder that we can see:
    # one left behind means the kill landed inside restore() itself, not before it
    # began or after it ended (the next restore clears it).
    data = tmp_path / "child-data"
    child_tmp = data / "restoring"
    child_tmp.mkdir(parents=True)
    env = {"DESK_DATA_DIR": str(data)}
    args = [str(case.city), str(case.chosen)]

    whole, _out = run_to_end(RESTORE_CHILD, args, env)
    kept = {p.name: file_digest(p) for p in case.folder.glob("*.sqlite")}
    assert check_city_after_kill(case, f"seed={SEED} whole run") == "after"

    seen = {"before": 0, "after": 0, "inside": 0}
    own_data = os.environ["DESK_DATA_DIR"]
    for trial, offset in enumerate(offsets(chance, RESTORE_TRIALS, whole), start=1):
        why = f"seed={SEED} trial={trial} kill={offset:.3f}s of {whole:.3f}s"
        remove_database(case.city)
        shutil.copyfile(case.pristine, case.city)
        shutil.rmtree(child_tmp)
        child_tmp.mkdir()

        killed = run_and_kill(RESTORE_CHILD, args, offset, env)
        if any(child_tmp.iterdir()):
            seen["inside"] += 1
        # The next restore clears what the stopped one left (a whole copy each time).
        monkeypatch.setenv("DESK_DATA_DIR", str(data))
        check_backup_folder(case, kept, why)
        outcome = check_city_after_kill(case, why)
        seen[outcome] += 1
        assert outcome == "after" or not killed.finished, why
        restore_again(case, why)
        assert not any(child_tmp.iterdir()), f"{why}: the stopped restore's copy is still there"
        monkeypatch.setenv("DESK_DATA_DIR", own_data)
        check_backup_folder(case, kept, why)

    # Or the campaign proved nothing: some kills must land inside the restore.
    assert seen["inside"] >= 1, f"seed={SEED}: {seen}"
    assert seen["before"] >= AT_ONCE, f"seed={SEED}: {seen}"


# -- rotation ------------------------------------------------------------------------------

# Rotation deletes some thirty files in a millisecond, far too fast for a kill sent from
# another process to land between two of them. Each deletion is followed by a pause, so
# kills spread over the whole loop; what rotation deletes, and in what order, is its own.
ROTATE_CHILD = """
import datetime as dt, pathlib, sys, time
from desk.core.safety import backups

real_unlink = pathlib.Path.unlink

def unlink_then_pause(self, missing_ok=False):
    real_unlink(self, missing_ok=missing_ok)
    time.sleep(0.006)

pathlib.Path.unlink = unlink_then_pause
now = dt.datetime.fromisoformat(sys.argv[2])
print("ready", flush=True)
backups.rotate(sys.argv[1], now)
print("done", flush=True)
"""

NOW = dt.datetime(2026, 11, 23, 17, 30)
TWO_YEARS = dt.timedelta(days=730)


def new_city(path: Path, folder: Path) -> Database:
    path.parent.mkdir(parents=True)
    db = open_database(path)
    backups.set_backup_folder(path, folder)
    return db


def take_backups(
    db: Database, path: Path, times: list[dt.datetime], chance: random.Random
) -> list[str]:
    """Backups of `path` taken at `times`, each of a database one record bigger, so no
    two are alike and a file swapped for another would show."""
    made = []
    for number, when in enumerate(times):
        records.create(db, "organisation", {"name": f"{path.parent.name} {number}"})
        reason = chance.choices(backup_rules.REASONS, weights=(8, 2, 1))[0]
        info = backups.make_backup(path, reason=reason, now=when, rotate_after=False)
        made.append(info.path.name)
    return made


def spread(
    chance: random.Random, count: int, start: dt.datetime, span: dt.timedelta
) -> list[dt.datetime]:
    seconds = chance.sample(range(int(span.total_seconds())), count)
    return sorted(start + dt.timedelta(seconds=s) for s in seconds)


def test_a_rotation_killed_at_any_moment_deletes_only_what_it_would_not_keep(
    tmp_path: Path,
) -> None:
    chance = random.Random(SEED)
    stick = tmp_path / "stick"
    # Two databases of one name, on two laptops, backing up to one stick: told apart by
    # identity alone.
    ours_path, theirs_path = tmp_path / "laptop" / "city.sqlite", tmp_path / "other" / "city.sqlite"
    ours, theirs = new_city(ours_path, stick), new_city(theirs_path, stick)
    try:
        times = spread(chance, 39, NOW - TWO_YEARS, TWO_YEARS)
        # One from a clock set ahead: never deleted, whatever `now` the trial picks.
        times.append(NOW + dt.timedelta(days=200))
        ours_names = take_backups(ours, ours_path, times, chance)
        theirs_names = take_backups(
            theirs, theirs_path, spread(chance, 10, NOW - TWO_YEARS, TWO_YEARS), chance
        )
    finally:
        ours.close()
        theirs.close()
    owner = backup_rules.owner_of(backups.identity_of(ours_path))
    assert owner is not None and owner != backup_rules.owner_of(backups.identity_of(theirs_path))
    # Files rotation must not touch either: a backup of the same name from before
    # identities (it cannot be told whose it is) and a person's own file.
    legacy = backup_rules.backup_name("city", NOW - dt.timedelta(days=400), "auto")
    shutil.copyfile(stick / theirs_names[0], stick / legacy)
    (stick / "read me.txt").write_text("The office's backups.\n", encoding="utf-8")

    pristine = tmp_path / "stick-as-filled"
    shutil.copytree(stick, pristine)
    digests = {p.name: file_digest(p) for p in stick.iterdir()}
    others = set(digests) - set(ours_names)
    assert len(ours_names) == 40 and len(others) == 13, f"seed={SEED}"

    named = [n for n in map(backup_rules.parse_name, ours_names) if n is not None]
    assert len(named) == len(ours_names), f"seed={SEED}"

    def kept_at(now: dt.datetime) -> set[str]:
        return {ours_names[p] for p in backup_rules.keep(named, now)}

    def refill() -> None:
        for name in set(digests) - {p.name for p in stick.iterdir()}:
            shutil.copy2(pristine / name, stick / name)

    def check_finished(now: dt.datetime, why: str) -> None:
        left = {p.name for p in stick.iterdir()}
        assert left == others | kept_at(now), why
        assert all(file_digest(stick / name) == digests[name] for name in left), why

    first = NOW + dt.timedelta(days=chance.uniform(0, 45))
    whole, _out = run_to_end(ROTATE_CHILD, [str(ours_path), first.isoformat()])
    check_finished(first, f"seed={SEED} whole run")

    midway = 0
    for trial, offset in enumerate(offsets(chance, ROTATION_TRIALS, whole), start=1):
        refill()
        # A `now` of its own each trial: a different set to keep and to delete.
        now = NOW + dt.timedelta(days=chance.uniform(0, 45))
        keep = kept_at(now)
        doomed = set(ours_names) - keep
        why = f"seed={SEED} trial={trial} now={now:%Y-%m-%d %H:%M} kill={offset:.3f}s"
        assert len(doomed) >= 10, why

        run_and_kill(ROTATE_CHILD, [str(ours_path), now.isoformat()], offset)

        left = {p.name for p in stick.iterdir()}
        assert left <= set(digests), f"{why}: new files {left - set(digests)}"
        for name in left:
            assert file_digest(stick / name) == digests[name], f"{why}: {name} changed"
        assert others <= left, f"{why}: lost {others - left}"
        assert keep <= left, f"{why}: deleted what it keeps: {keep - left}"
        gone = set(digests) - left
        assert gone <= doomed, why
        midway += 0 < len(gone) < len(doomed)

        backups.rotate(ours_path, now)  # run to its end after the kill
        check_finished(now, f"{why}: the rotation after the kill")

    assert midway >= 1, f"seed={SEED}: no kill landed between two deletions"


# -- repair --------------------------------------------------------------------------------

REPAIR_CHILD = """
import sys
from desk.cli.main import main
print("ready", flush=True)
code = main(["--db", sys.argv[1], "check", "--repair"])
print("done", code, flush=True)
"""

RECOVERED = re.compile(r"^city\.recovered-\d{8}-\d{6}\.sqlite$")
COPY_FIRST = re.compile(r"^city\.before-repair-\d{8}-\d{6}\.sqlite$")
# Everything a killed repair may leave beside the damaged file, `.partial` files aside
# (unfinished, allowed, whatever their name): the file's own journal files, copies taken
# first (with a copy of the log), recoveries and their journal files.
LEFTOVER = re.compile(
    r"^city(\.sqlite|\.before-repair-\d{8}-\d{6}\.sqlite|\.recovered-\d{8}-\d{6}\.sqlite"
    r"(\.partial)?)(-wal|-shm|-journal|\.lock)?$"
)


def damaged_copy(undamaged: Path, damaged: Path, table: str) -> None:
    """`undamaged` copied to `damaged` with the root page of `table` zeroed: the table's
    tree is gone, its rows still sit on their leaf pages."""
    with contextlib.closing(sqlite3.connect(undamaged)) as conn:
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
    shutil.copyfile(undamaged, damaged)
    with damaged.open("r+b") as file:
        file.seek((root - 1) * size)
        file.write(bytes(size))


def as_reopened(path: Path, scratch: Path) -> str:
    """The damaged file's bytes once SQLite has replayed its write-ahead log, read from a
    copy: the repair must not have committed anything there either (an in-place rebuild
    of the search index). A checkpoint copies committed pages only; none, no change."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    copy = scratch / path.name
    shutil.copyfile(path, copy)
    wal = Path(f"{path}-wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{copy}-wal"))
    with contextlib.closing(sqlite3.connect(copy)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return file_digest(copy)


def test_a_repair_killed_at_any_moment_never_changes_the_damaged_file_nor_leaves_half_a_recovery(
    demo_template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chance = random.Random(SEED)
    # Read from a copy: opening the shared template, even read-only, leaves files beside it.
    undamaged = tmp_path / "undamaged.sqlite"
    shutil.copyfile(demo_template, undamaged)
    with contextlib.closing(sqlite3.connect(undamaged)) as conn:
        whole_records = snapshot(conn)
        assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 250
    folder = tmp_path / "office"
    folder.mkdir()
    damaged = folder / "city.sqlite"
    damaged_copy(undamaged, damaged, "contacts")
    as_it_was = file_digest(damaged)
    scratch = tmp_path / "reopened"
    assert as_reopened(damaged, scratch) == as_it_was, f"seed={SEED}"

    def check_recovery(path: Path, why: str) -> None:
        # The page scanner reads the contacts back from their leaf pages: all 250, and
        # every other record as the undamaged file held it. Opened as desk would open it
        # (a killed run may have left its log beside it).
        with contextlib.closing(sqlite3.connect(path)) as conn:
            assert integrity(conn) == "ok", f"{why}: {path.name}"
            assert conn.execute("SELECT count(*) FROM contacts").fetchone()[0] == 250, why
            assert snapshot(conn) == whole_records, f"{why}: {path.name}"

    def check_folder(why: str) -> None:
        assert file_digest(damaged) == as_it_was, f"{why}: the damaged file changed"
        assert as_reopened(damaged, scratch) == as_it_was, f"{why}: a commit in its log"
        for path in folder.iterdir():
            if ".partial" in path.name:
                continue
            assert LEFTOVER.match(path.name), f"{why}: unexpected {path.name}"
            if RECOVERED.match(path.name):  # a finished name is a finished recovery
                check_recovery(path, why)
            if COPY_FIRST.match(path.name):  # the copy to go back to is the file as it was
                assert file_digest(path) == as_it_was, f"{why}: {path.name} is not whole"

    whole, out = run_to_end(REPAIR_CHILD, [str(damaged)])
    assert "done 0" in out and "Nothing was lost." in out, f"seed={SEED}: {out}"
    check_folder(f"seed={SEED} whole run")

    inside = 0
    for trial, offset in enumerate(offsets(chance, REPAIR_TRIALS, whole), start=1):
        why = f"seed={SEED} trial={trial} kill={offset:.3f}s of {whole:.3f}s"
        began = time.time()
        killed = run_and_kill(REPAIR_CHILD, [str(damaged)], offset)
        # Told by the copy taken first, not by what the child printed: a pipe's buffer
        # dies with the child.
        copied = any(
            COPY_FIRST.match(p.name) and p.stat().st_mtime >= began for p in folder.iterdir()
        )
        inside += copied and not killed.finished
        check_folder(why)
    assert inside >= 1, f"seed={SEED}: no kill landed inside a repair"

    capsys.readouterr()
    assert cli.main(["--db", str(damaged), "check", "--repair"]) == 0, f"seed={SEED}"
    out = capsys.readouterr().out
    made = re.search(r"^Recovered [\d,]+ rows into (.+)\.$", out, re.MULTILINE)
    assert made is not None, f"seed={SEED}: {out}"
    check_recovery(Path(made[1]), f"seed={SEED} the repair after the kills")
    check_folder(f"seed={SEED} the repair after the kills")


def test_a_repair_killed_while_it_takes_its_first_copy_leaves_no_half_copy_under_a_finished_name(
    demo_template: Path, tmp_path: Path
) -> None:
    """The copy `--repair` takes first is what a person goes back to when a repair goes
    wrong: a file under that name must be the whole file. The random kills above land in
    its millisecond too rarely to tell, so here each kill is sent the moment any file of
    the copy shows in the folder (its temporary file, or its finished name), while it is
    being written."""
    undamaged = tmp_path / "undamaged.sqlite"
    shutil.copyfile(demo_template, undamaged)
    folder = tmp_path / "office"
    folder.mkdir()
    damaged = folder / "city.sqlite"
    damaged_copy(undamaged, damaged, "contacts")
    as_it_was, size = file_digest(damaged), damaged.stat().st_size
    midway = 0
    for attempt in range(1, COPY_KILL_ATTEMPTS + 1):
        why = f"seed={SEED} attempt={attempt}"
        child = _start(REPAIR_CHILD, [str(damaged)], None)
        deadline = time.monotonic() + 20
        while child.poll() is None and time.monotonic() < deadline:
            if any("before-repair-" in p.name for p in folder.iterdir()):
                os.kill(child.pid, signal.SIGKILL)
                break
        child.communicate()
        assert child.returncode in (0, -signal.SIGKILL), why
        assert file_digest(damaged) == as_it_was, f"{why}: the damaged file changed"
        copies = list(folder.glob("*before-repair-*"))  # hidden temporary files too
        for path in copies:
            if COPY_FIRST.match(path.name):
                held = path.stat().st_size
                assert file_digest(path) == as_it_was, (
                    f"{why}: {path.name} holds {held:,} of the file's {size:,} bytes under "
                    "the name of a finished copy"
                )
            else:
                midway += ".partial" in path.name
            path.unlink()
    # Or every kill came after the copy was whole, and the test proved nothing.
    assert midway >= 1, f"seed={SEED}: no kill landed while the copy was written"
