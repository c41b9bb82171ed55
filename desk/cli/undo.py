"""`desk undo`, `desk redo` and `desk trash`: the same operations the window's Edit menu
and Trash use."""

from __future__ import annotations

import argparse
import json
from typing import Any

from desk.cli.args import count, number
from desk.core.domain.dates import short_moment
from desk.core.store import undo
from desk.core.store.db import Database

UNDO_COMMANDS = ("undo", "redo", "trash")


def add_undo_parsers(sub: Any) -> None:
    undoer = sub.add_parser(
        "undo", help="take back the latest change (or operation OP); --list shows them"
    )
    undoer.add_argument("op", nargs="?", type=number, help="operation number (default: latest)")
    undoer.add_argument("--list", action="store_true", help="list recent operations")
    undoer.add_argument("--json", action="store_true")

    redoer = sub.add_parser("redo", help="put back what the latest undo took back")
    redoer.add_argument("op", nargs="?", type=number, help="operation number (default: latest)")

    trash = sub.add_parser("trash", help="list deleted records; restore one or empty the trash")
    trash.add_argument("--restore", type=number, metavar="N", help="bring entry N back")
    trash.add_argument(
        "--empty", action="store_true", help="remove everything in the trash for good"
    )
    trash.add_argument(
        "--older-than", type=count, metavar="DAYS", help="with --empty: only entries this old"
    )
    trash.add_argument("--yes", action="store_true", help="with --empty: do it")
    trash.add_argument("--json", action="store_true")


def run_undo(db: Database, args: argparse.Namespace) -> int:
    if args.command == "undo":
        if args.list:
            return _list(db, args.json)
        changes = undo.undo(db, args.op)
        print(f"Undone: {changes.label.removeprefix('Undo ')}.")
        return 0
    if args.command == "redo":
        changes = undo.redo(db, args.op)
        print(f"Redone: {changes.label.removeprefix('Redo ')}.")
        return 0
    return _trash(db, args)


def _list(db: Database, as_json: bool) -> int:
    undoable = {info.id for info in undo.undoable(db)}
    redoable = {info.id for info in undo.redoable(db)}
    final = {row[0] for row in db.execute("SELECT id FROM operations WHERE final = 1")}
    operations = undo.recent(db)
    if as_json:
        return _print_json(
            [
                {"op": i.id, "at": i.at, "label": i.label, "kind": i.kind, "undone": i.undone}
                for i in operations
            ]
        )
    if not operations:
        print("No changes recorded yet.")
        return 0
    for info in operations:
        state = (
            "cannot be undone"
            if info.id in final
            else "can undo"
            if info.id in undoable
            else "can redo"
            if info.id in redoable
            else "undone"
            if info.undone
            else ""
        )
        print(f"{info.id:>6}  {short_moment(info.at):<20}  {info.label}  {state}".rstrip())
    return 0


def _trash(db: Database, args: argparse.Namespace) -> int:
    if args.restore is not None:
        changes = undo.restore(db, args.restore)
        taken_back = changes.label.removeprefix("Undo ")
        print(f"Restored from the trash (taking back {taken_back}).")
        return 0
    if args.empty:
        if not args.yes:
            waiting = undo.trash(db)
            print(
                f"Would remove {len(waiting)} entr{'y' if len(waiting) == 1 else 'ies'} from "
                "the trash for good (they can no longer be restored or undone)."
            )
            print("Run again with --yes to empty the trash.")
            return 1
        removed = undo.empty_trash(db, args.older_than)
        noun = "entry" if removed == 1 else "entries"
        print(f"Removed {removed} {noun} from the trash for good.")
        return 0
    entries = undo.trash(db)
    if args.json:
        return _print_json(
            [
                {
                    "entry": e.op_id,
                    "kind": e.kind,
                    "title": e.title,
                    "deleted_at": e.deleted_at,
                    "linked": e.linked,
                }
                for e in entries
            ]
        )
    if not entries:
        print("The trash is empty.")
        return 0
    for entry in entries:
        extra = ""
        if entry.linked:
            extra = f" (with {entry.linked} linked record{'s' if entry.linked != 1 else ''})"
        print(
            f"{entry.op_id:>6}  {short_moment(entry.deleted_at):<20}  "
            f"{entry.label}: {entry.title}{extra}"
        )
    print("Bring one back with 'desk trash --restore N'.")
    return 0


def _print_json(rows: list[dict[str, object]]) -> int:
    print(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0
