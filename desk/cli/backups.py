"""The `desk` commands for automatic backups: list, take one, choose the folder, restore.

They work on the file, not through an open database: listing must not create a missing
database, and restoring must not upgrade the file it is about to replace.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desk.core.disk import holder
from desk.core.domain import dates
from desk.core.errors import DeskError
from desk.core.safety import backups
from desk.core.safety import restore as restoring
from desk.core.store import db as dbmod

BACKUP_COMMANDS = {"backups", "restore"}


def add_backup_parsers(sub: Any) -> None:
    lister = sub.add_parser(
        "backups", help="list the automatic backups; take one now; choose their folder"
    )
    lister.add_argument("--now", action="store_true", help="take a backup now")
    lister.add_argument(
        "--folder",
        metavar="PATH",
        default=None,
        help="keep this database's backups in PATH ('default' for the usual place)",
    )
    lister.add_argument("--json", action="store_true", help="print JSON")
    # The command line's daily backup of a large file, run in a process of its own.
    lister.add_argument("--auto", action="store_true", help=argparse.SUPPRESS)

    restore = sub.add_parser("restore", help="put a backup's records back into the database")
    restore.add_argument(
        "backup", help="a backup file, or its number in 'desk backups' (1 is the newest)"
    )
    restore.add_argument(
        "--yes", action="store_true", help="do it (without: only say what would happen)"
    )


def run_backups(db: dbmod.Database | None, args: argparse.Namespace, path: Path) -> int:
    """`db` is unused (None): these commands open the file themselves."""
    if args.command == "restore":
        return _restore(args, path)
    if args.auto:
        backups.maybe_backup(path)
        return 0
    if args.folder is not None:
        reset = args.folder.strip().lower() == "default"
        folder = backups.set_backup_folder(path, None if reset else Path(args.folder))
        print(f"Backups of {path.name} go to {folder}.")
        if not args.now:
            return 0
    if args.now:
        _need_database(path)
        if not args.read_only and not dbmod.needs_upgrade(path):
            try:
                with dbmod.open_database(path, create=False) as database:
                    if not database.read_only:
                        claim_and_say(database)
            except DeskError:
                pass  # a file desk cannot open to write is still backed up as it is
        info = backups.make_backup(path, reason="manual")
        if info.note:
            print(info.note)
        print(f"Backed up to {info.path} ({backups.size_text(info.size)}).")
        return 0
    return _list(args, path)


def _need_database(path: Path) -> None:
    if not path.is_file():
        raise DeskError(f"No database at {path}.")


def _list(args: argparse.Namespace, path: Path) -> int:
    folder, note = backups.folder_status(path)
    found = backups.list_backups(path)
    others = backups.others_note(path)
    if args.json:
        data = {
            "folder": str(folder),
            "note": note,
            "backups": [b.as_json() for b in found],
            "taken_elsewhere": [str(p) for p in backups.made_elsewhere(path)],
            "unattributed": [str(p) for p in backups.unattributed(path)],
        }
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if note:
        print(note)
    if not found:
        print(f"No backups of {path.name} yet in {folder}.")
        if others:
            print(others)
        return 0
    headers = ["#", "When", "Reason", "Size", *backups.counted_headers()]
    rows = [
        [
            str(number),
            dates.short_when(info.taken_at),
            backups.REASON_WORDS.get(info.reason, info.reason),
            backups.size_text(info.size),
            *(
                [f"damaged: {info.damaged}", *[""] * (len(backups.COUNTED) - 1)]
                if info.damaged
                else [f"{info.counts.get(t, 0):,}" for t in backups.COUNTED]
            ),
        ]
        for number, info in enumerate(found, start=1)
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    for cells in [headers, ["-" * w for w in widths], *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip())
    print(f"\n{len(found)} backup{'' if len(found) == 1 else 's'} in {folder}")
    if others:
        print(others)
    return 0


def _chosen(path: Path, which: str) -> Path:
    if which.isascii() and which.isdigit():
        found = backups.list_backups(path)
        number = int(which)
        if not 1 <= number <= len(found):
            raise DeskError(
                f"There is no backup number {number}; 'desk backups' lists {len(found)}."
            )
        return found[number - 1].path
    candidate = Path(which).expanduser()
    if not candidate.exists() and candidate.parent == Path("."):
        in_folder = backups.backup_folder(path) / candidate.name
        if in_folder.exists():
            return in_folder
    return candidate


def _restore(args: argparse.Namespace, path: Path) -> int:
    _need_database(path)
    window = holder.current(path)
    if window is not None:
        raise DeskError(
            f"{holder.describe(window)} Restore from that window (File > Restore a "
            "backup…), or close it first; nothing was restored."
        )
    try:
        database = dbmod.open_database(path, create=False)
    except dbmod.DatabaseDamaged as exc:
        raise DeskError(
            f"{exc} It cannot be restored into; with desk closed, copy the backup you want "
            f"over it by hand (for example: cp BACKUP {path})."
        ) from exc
    try:
        claim_and_say(database)
        return _restore_into(database, args, path)
    finally:
        database.close()


def claim_and_say(database: dbmod.Database) -> None:
    """A copy beside its original takes an identity of its own before its backups are
    named or listed (see backups.claim_identity)."""
    note = backups.claim_identity(database)
    if note:
        print(f"desk: {note}", file=sys.stderr)


def _restore_into(database: dbmod.Database, args: argparse.Namespace, path: Path) -> int:
    chosen = restoring.verify(_chosen(path, args.backup), database)
    when = dates.long_when(chosen.taken_at)
    other = restoring.other_database(chosen, database)
    if other:
        print(
            f"Note: {chosen.path.name} is a backup of another database, not of {path.name}. "
            f"Restoring puts its records into {path.name}, which keeps its own backups."
        )
    if not args.yes:
        current = backups.counts_text(restoring.counts(database))
        print(
            f"Would replace the records in {path} (now {current}) with the backup taken "
            f"{when} ({backups.counts_text(chosen.counts)}). A backup of the database as "
            "it is now is taken first."
        )
        print("Run again with --yes to restore.")
        return 1
    result = restoring.restore(database, chosen.path)
    print(
        f"Restored the backup taken {when} into {path}: it held "
        f"{backups.counts_text(result.replaced)}; it now holds "
        f"{backups.counts_text(chosen.counts)}."
    )
    if result.safety is not None:
        damaged = f" (it {result.safety.damaged})" if result.safety.damaged else ""
        print(f"The database as it was{damaged} is saved in {result.safety.path}.")
    print("Undo does not reach across a restore; to go back, restore that copy.")
    return 0
