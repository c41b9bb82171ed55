"""`desk person`: a person's data on request. `export` writes everything desk holds about
a contact; `erase` removes it for good (saying first what goes, and which backups still
hold it); `retention` lists the visitors whose passport and health details the city's
retention period clears, and `--run` clears them; `compact` clears the file's free space
and log, should an erase not have managed it."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from desk.cli.args import day, out_path

if TYPE_CHECKING:
    from desk.core.store.db import Database

COMMANDS = frozenset({"person"})
# `person export` and `person retention` only read, but share the command with `erase`.
READING: frozenset[str] = frozenset()


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    person = sub.add_parser(
        "person",
        help="a person's data on request: export it, erase it, clear visitors' details",
        description="Everything desk holds about one person: write it out for them "
        "(export), remove it for good (erase), or clear visitors' passport and health "
        "details the city's retention period says go (retention).",
    )
    actions = person.add_subparsers(dest="action", metavar="ACTION", required=True)

    export = actions.add_parser(
        "export",
        help="write everything desk holds about a contact to a file",
        description="Write the contact, their own records and files, every record that "
        "links to them or names them, and every change desk remembers of these: "
        "Markdown a person can read in any text editor, or JSON with --json.",
    )
    export.add_argument("contact", help="the contact: id, uid or name")
    export.add_argument("--out", type=out_path, required=True, help="the file to write")
    export.add_argument("--json", action="store_true", help="write JSON instead of Markdown")
    export.add_argument(
        "--files", type=out_path, default=None, metavar="FOLDER", help="also save their files here"
    )

    erase = actions.add_parser(
        "erase",
        help="remove a contact and every trace of them from the database, for good",
        description="Remove the contact, their own records and files, their name from "
        "every record and from the history, then clear the file's free space. It cannot "
        "be undone. Without --yes, only says what would go and which backups still hold "
        "them.",
    )
    erase.add_argument("contact", help="the contact: id, uid or name")
    erase.add_argument("--yes", action="store_true", help="erase (without: only say what)")

    keep = actions.add_parser(
        "retention",
        help="visitors whose passport and health details the retention period clears",
        description="List the visitors whose passport, date of birth, nationality and "
        "dietary needs are cleared a set number of days after their last completed visit "
        "(the city profile's retention period), and when; --run clears those due.",
    )
    keep.add_argument("--run", action="store_true", help="clear those due now")
    keep.add_argument("--date", type=day, default=None, help="as on this day (default: today)")
    keep.add_argument("--json", action="store_true", help="print JSON")

    actions.add_parser(
        "compact",
        help="clear the file's free space and empty its log",
        description="Rewrite the database file so no free page keeps removed data, and "
        "empty its log: what an erase does last, for when another desk was busy.",
    )


def run(db: Database, args: argparse.Namespace) -> int:
    if args.action == "export":
        return _export(db, args)
    if args.action == "erase":
        return _erase(db, args)
    if args.action == "retention":
        return _retention(db, args)
    return _compact(db)


def _export(db: Database, args: argparse.Namespace) -> int:
    from desk.core.domain.words import counted
    from desk.core.safety import person

    done = person.export(db, args.contact, args.out, as_json=args.json, files_to=args.files)
    found = done.holdings
    print(
        f"Wrote what desk holds about {found.names.title} to {done.path}: the contact, "
        f"{counted(len(found.owned), 'record')} of their own, "
        f"{counted(len(found.files), 'file')}, "
        f"{counted(len(found.linked) + len(found.named), 'record')} that name them, "
        f"{counted(len(found.mentions), 'mention')} in text and "
        f"{counted(len(found.history), 'change')} in the history."
    )
    for path in done.files:
        print(f"Saved {path}")
    return 0


def _erase(db: Database, args: argparse.Namespace) -> int:
    from desk.core.safety import person

    if not args.yes:
        for line in person.plan_lines(person.plan_erase(db, args.contact)):
            print(line)
        print("Nothing was changed. Run again with --yes to erase.")
        return 0
    done = person.erase(db, args.contact)
    for line in person.erased_lines(done):
        print(line)
    return 0


def _retention(db: Database, args: argparse.Namespace) -> int:
    import datetime as dt

    from desk.core.domain.dates import short_date
    from desk.core.safety import person

    today = args.date or dt.date.today()
    days = person.retention_days(db)
    found = person.retention(db, today)
    if args.run:
        cleared = person.run_retention(db, today)
        if args.json:
            _dump(
                {
                    "retention_days": days,
                    "today": today.isoformat(),
                    "cleared": [r.as_json(today) for r in cleared.people],
                    "operation": cleared.changes.op_id,
                }
            )
            return 0
        if not cleared.people:
            print("Nobody's details are due to be cleared.")
            return 0
        for r in cleared.people:
            print(f"Cleared #{r.contact_id} {r.name}: {', '.join(r.fields)}")
        print(
            f"Cleared the details of {len(cleared.people):,} visitor"
            f"{'' if len(cleared.people) == 1 else 's'}, from the records and the history. "
            "This cannot be undone."
        )
        if cleared.swept and cleared.swept.note:
            print(cleared.swept.note)
        return 0
    if args.json:
        _dump(
            {
                "retention_days": days,
                "today": today.isoformat(),
                "people": [r.as_json(today) for r in found],
            }
        )
        return 0
    if days is None:
        print(
            "No retention period is set: visitors' passport and health details are kept "
            "until erased by hand. Set one in the city profile ('Clear visitors' passport "
            "and health details after (days)')."
        )
        return 0
    if not found:
        print(f"No visitor holds details the {days}-day retention period would clear.")
        return 0
    print(f"Cleared {days:,} days after the visitor's last completed visit:")
    for r in found:
        if r.held_by:
            when = f"kept while on “{r.held_by}”"
        elif r.due(today):
            when = f"due now (since {short_date(r.clear_on)})"
        else:
            when = f"on {short_date(r.clear_on)}"
        print(
            f"  #{r.contact_id} {r.name}: {when}; last visit {short_date(r.last_visit)}; "
            f"{', '.join(r.fields)}"
        )
    due = sum(1 for r in found if r.due(today))
    if due:
        print(f"'desk person retention --run' clears the {due:,} due now; it cannot be undone.")
    return 0


def _compact(db: Database) -> int:
    from desk.core.safety import person

    swept = person.sweep(db)
    print(swept.note or "The file was rewritten and its log emptied.")
    return 0 if swept.compacted else 1


def _dump(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
