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

from desk.core import backups, dates
from desk.core import db as dbmod
from desk.core import restore as restoring
from desk.core.errors import DeskError

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
    if args.folder is not None:
        reset = args.folder.strip().lower() == "default"
        folder = backups.set_backup_folder(path, None if reset else Path(args.folder))
        print(f"Backups of {path.name} go to {folder}.")
        if not args.now:
            return 0
    if args.now:
        _need_database(path)
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
    if args.json:
        data = {"folder": str(folder), "note": note, "backups": [b.as_json() for b in found]}
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if note:
        print(note)
    if not found:
        print(f"No backups of {path.name} yet in {folder}.")
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
    chosen = restoring.verify(_chosen(path, args.backup))
    when = dates.long_when(chosen.taken_at)
    if not args.yes:
        now = ""
        if path.is_file():
            current = backups.inspect(path)
            if not current.damaged:
                now = f" (now {backups.counts_text(current.counts)})"
        print(
            f"Would replace the records in {path}{now} with the backup taken {when} "
            f"({backups.counts_text(chosen.counts)}). A backup of the database as it is "
            "now is taken first."
        )
        print("Run again with --yes to restore.")
        return 1
    result = restoring.restore(path, chosen.path)
    print(f"Restored the backup taken {when} into {path}.")
    if result.safety is not None:
        damaged = f" (it {result.safety.damaged})" if result.safety.damaged else ""
        print(f"The database as it was{damaged} is saved in {result.safety.path}.")
    return 0
