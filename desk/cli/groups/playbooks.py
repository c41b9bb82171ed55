"""`desk playbook`: the checklists a visit's follow-ups are made from (an incoming
delegation, an outgoing mission, a virtual meeting, and the office's own), applied to a
visit, moved with its dates, and taken out and back in as files to edit."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desk.core.store.db import Database

if TYPE_CHECKING:
    from desk.core.store.operations import Changes

COMMANDS = frozenset({"playbook"})
# apply and move write; the rest only read, but a group is opened one way for all.
READING: frozenset[str] = frozenset()


def add_parsers(sub: Any) -> None:
    from desk.cli.args import out_path

    playbook = sub.add_parser(
        "playbook",
        help="checklists for visits: list, show, apply to a visit, move with its dates, "
        "export and import to edit",
        description="A playbook is a checklist for a kind of visit whose steps fall due "
        "before or after the visit's dates, each with who does it. desk ships one for an "
        "incoming delegation, an outgoing mission and a virtual meeting; the office's own "
        "(<data folder>/playbooks/NAME.json) replace those of the same name.",
    )
    action = playbook.add_subparsers(dest="playbook_command", metavar="ACTION", required=True)
    listing = action.add_parser("list", help="the playbooks there are, and where each comes from")
    listing.add_argument("--json", action="store_true")
    show = action.add_parser("show", help="a playbook's steps: when, what and who")
    show.add_argument("name", help="its name or title")
    show.add_argument("--json", action="store_true")
    apply = action.add_parser(
        "apply", help="make a visit's follow-ups from a playbook, with real due dates"
    )
    apply.add_argument("visit", help="the visit's id, uid or title")
    apply.add_argument(
        "--playbook", default=None, help="its name (default: the one that fits the visit)"
    )
    apply.add_argument("--dry-run", action="store_true", help="say what it would make, only")
    move = action.add_parser(
        "move", help="move a visit's playbook follow-ups to the days its dates now give"
    )
    move.add_argument("visit", help="the visit's id, uid or title")
    move.add_argument(
        "--all",
        action="store_true",
        help="move those done or changed by hand too (without: they stay, and are named)",
    )
    move.add_argument("--dry-run", action="store_true", help="say what it would move, only")
    export = action.add_parser("export", help="write a playbook as a file, to edit")
    export.add_argument("name", help="its name or title")
    export.add_argument("--out", type=out_path, required=True, help="the file: NAME.json")
    bring = action.add_parser("import", help="keep a playbook file as the office's (checked first)")
    bring.add_argument("file", type=Path)
    bring.add_argument("--name", default=None, help="its name (default: the file's, without .json)")


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.features import playbooks

    command = args.playbook_command
    if command == "list":
        return _list(playbooks.load(), args.json)
    if command == "show":
        return _show(playbooks.load().get(args.name), args.json)
    if command == "apply":
        if args.dry_run:
            planned = playbooks.plan(db, args.visit, args.playbook)
            _print(planned.lines(done=False))
            return 0
        _print(playbooks.apply(db, args.visit, args.playbook).lines())
        return 0
    if command == "move":
        return _move(db, args)
    if command == "export":
        found = playbooks.load().get(args.name)
        path = playbooks.export(found, args.out)
        print(f"Wrote the playbook {found.title!r} to {path}.")
        print(f"Edit it, then keep it as the office's: desk playbook import {path}")
        return 0
    kept = playbooks.import_file(args.file, name=args.name)
    print(
        f"Kept the playbook {kept.title!r} ({kept.name}, {len(kept.steps)} steps) as "
        f"{kept.source}: {kept.path}"
    )
    return 0


def _print(lines: list[str]) -> None:
    for line in lines:
        print(line)


def _list(library: Any, as_json: bool) -> int:
    if as_json:
        rows = [
            {
                "name": p.name,
                "title": p.title,
                "steps": len(p.steps),
                "fits": p.fit_words(),
                "source": p.source,
                "path": str(p.path) if p.path else None,
            }
            for p in library.playbooks
        ]
        print(json.dumps({"playbooks": rows, "problems": list(library.problems)}, indent=2))
        return 0
    print(f"Playbooks (the office's own are kept in {library.folder}):")
    width = max((len(p.name) for p in library.playbooks), default=0)
    for playbook in library.playbooks:
        count = len(playbook.steps)
        print(
            f"  {playbook.name.ljust(width)}  {playbook.title}: {count} step"
            f"{'s' if count != 1 else ''}, for {playbook.fit_words()}; {playbook.source}"
        )
    for problem in library.problems:
        print(f"⚠ Not read: {problem} desk's own of that name serves meanwhile.")
    return 0


def _show(playbook: Any, as_json: bool) -> int:
    if as_json:
        print(json.dumps({"name": playbook.name, **playbook.as_json()}, indent=2))
        return 0
    print(f"{playbook.title} ({playbook.name}), {playbook.source}")
    print(f"For {playbook.fit_words()}; {len(playbook.steps)} steps.")
    if playbook.description:
        print(playbook.description)
    print()
    whens = [step.when() for step in playbook.steps]
    width = max(len(w) for w in whens)
    for step, when in zip(playbook.steps, whens, strict=True):
        print(f"  {when.ljust(width)}  {step.title}")
        print(f"  {' ' * width}  {'Who: ' + step.who + '. ' if step.who else ''}Key: {step.key}")
    if playbook.sources:
        print()
        print("Drawn from:")
        for source in playbook.sources:
            print(f"  {source}")
    return 0


def _move(db: Database, args: argparse.Namespace) -> int:
    from desk.core.features import playbooks

    followed = playbooks.follow_visit(db, args.visit, move_edited=args.all, dry_run=args.dry_run)
    _print(followed.lines(done=not args.dry_run))
    if followed.held:
        print(f"To move them too: desk playbook move {followed.visit_id} --all")
    return 0


def report_follow(db: Database, changes: Changes) -> None:
    """After `desk edit` of a visit's dates: its playbook steps follow, and those done or
    changed by hand are named with the command that moves them too."""
    from desk.core.features import playbooks

    followed = playbooks.after_edit(db, changes)
    if followed is None:
        return
    _print(followed.lines())
    if followed.held:
        print(f"{followed.question()} If so: desk playbook move {followed.visit_id} --all")
