"""The `desk` command's commands: its parser and what each command does. Every change
the window can make to records, these can make too (`desk.cli` starts them)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from desk import __version__
from desk.cli.args import count, day, number, out_path
from desk.cli.backups import BACKUP_COMMANDS, add_backup_parsers, run_backups
from desk.cli.check import add_check_parser, run_check
from desk.cli.reports import REPORT_COMMANDS, add_report_parsers, run_report
from desk.cli.today import TODAY_COMMANDS, add_today_parsers, run_today
from desk.cli.transfer import TRANSFER_COMMANDS, add_transfer_parsers, import_dump, run_transfer
from desk.cli.undo import UNDO_COMMANDS, add_undo_parsers, run_undo
from desk.cli.window import open_window
from desk.core.disk import files
from desk.core.domain.dates import month_day_year, short_moment
from desk.core.domain.kinds import KINDS, Kind, kind
from desk.core.domain.vocab import PARTNERSHIP_STATUSES
from desk.core.errors import DeskError, ReadOnlyDatabase
from desk.core.features import search
from desk.core.store import attachments, queries, records
from desk.core.store import db as dbmod


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk",
        description="The offline desk for a city's international affairs. With no command, "
        "opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this desk from the inside (resources, fonts, a database, documents, "
        "the window); exit status 0 only when all hold",
    )
    parser.add_argument(
        "--db",
        type=Path,
        default=None,
        help="database file (default: $DESK_DB, else desk.sqlite in the user data folder)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="open the database for reading only; commands that would change it are refused",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the window (the default)")

    demo = sub.add_parser("demo", help="write the demo city into an empty database")
    demo.add_argument(
        "--scale",
        type=count,
        default=250,
        metavar="N",
        help="number of contacts, other records in proportion (default 250)",
    )
    demo.add_argument(
        "--today",
        type=day,
        default=None,
        metavar="DATE",
        help="lay the demo out around this date (default: today)",
    )
    demo.add_argument("--open", action="store_true", help="open the window afterwards")

    lister = sub.add_parser("list", help="list records of a kind")
    lister.add_argument("kind", help="e.g. partnerships, agreements, visits, contacts")
    lister.add_argument("--sort", help="field to sort by")
    lister.add_argument("--desc", action="store_true", help="sort descending")
    lister.add_argument("--filter", default="", help="only records matching this text")
    lister.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="FIELD=VALUE",
        help="only records whose field equals the value (repeatable)",
    )
    lister.add_argument("--limit", type=count, default=None)
    lister.add_argument("--json", action="store_true", help="print JSON")

    show = sub.add_parser("show", help="show one record and what links to it")
    show.add_argument("kind")
    show.add_argument("id", help="id, uid or name")
    show.add_argument("--json", action="store_true")

    finder = sub.add_parser("search", help="search every kind of record")
    finder.add_argument("text")
    finder.add_argument("--kind", action="append", default=None, help="limit to a kind")
    finder.add_argument("--limit", type=count, default=50)
    finder.add_argument("--json", action="store_true")

    add = sub.add_parser("add", help="create a record: desk add contact family_name=Sato ...")
    add.add_argument("kind")
    add.add_argument("values", nargs="*", metavar="FIELD=VALUE")
    add.add_argument("--json", action="store_true")

    edit = sub.add_parser("edit", help="change fields: desk edit contact 12 email=a@b.org")
    edit.add_argument("kind")
    edit.add_argument("id", help="id, uid or name")
    edit.add_argument("values", nargs="+", metavar="FIELD=VALUE")

    delete = sub.add_parser("delete", help="delete a record and what depends on it")
    delete.add_argument("kind")
    delete.add_argument("id", help="id, uid or name")
    delete.add_argument(
        "--yes", action="store_true", help="do it (without: only say what would go)"
    )

    status = sub.add_parser("status", help="change a partnership's status, dated, with a reason")
    status.add_argument("partnership", help="id, uid or name")
    status.add_argument(
        "status", help="proposed, friendship, active, dormant, suspended, lapsed or ended"
    )
    status.add_argument("--on", default=None, help="date of the change (default: today)")
    status.add_argument("--reason", required=True)

    attach = sub.add_parser("attach", help="attach a file to a record")
    attach.add_argument("kind", help="agreement, partnership, visit, contact or organization")
    attach.add_argument("id", help="id, uid or name")
    attach.add_argument("file", type=Path)
    attach.add_argument("--description", default=None)

    fetch = sub.add_parser("save-attachment", help="write an attached file out")
    fetch.add_argument("id", type=number)
    fetch.add_argument("--out", type=out_path, required=True)

    hist = sub.add_parser("history", help="what changed in a record, and when")
    hist.add_argument("kind")
    hist.add_argument("id", help="id, uid or name")
    hist.add_argument("--json", action="store_true")

    add_report_parsers(sub)
    add_transfer_parsers(sub)
    add_backup_parsers(sub)

    add_undo_parsers(sub)
    add_today_parsers(sub)

    backup = sub.add_parser("backup", help="write a consistent copy of the database")
    backup.add_argument("--out", type=out_path, required=True)

    add_check_parser(sub)
    from desk.cli.groups import groups

    for group in groups():
        group.add_parsers(sub)
    return parser


def _values(pairs: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise DeskError(f"'{pair}' is not FIELD=VALUE.")
        values[name.strip()] = value
    return values


def field_guide(spec: Kind) -> str:
    """What `desk add KIND` takes: each field as typed, its label, type and choices."""
    lines = [f"desk add {spec.name} FIELD=VALUE ...  ({spec.label.lower()}; * is required)"]
    for field in spec.fields:
        kind_text = f"number of a {field.ref}" if field.ref else field.type
        choices = f": {', '.join(field.vocab)}" if field.vocab else ""
        mark = "*" if field.required else " "
        lines.append(f" {mark} {field.name:<24} {field.label} ({kind_text}){choices}")
    return "\n".join(lines)


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit(text: str, width: int) -> str:
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - _width(text))


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [
        min(40, max([_width(h), *(_width(r[i]) for r in rows)])) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        return "  ".join(_fit(c, w) for c, w in zip(cells, widths, strict=True)).rstrip()

    print(line(headers))
    print(line(["-" * w for w in widths]))
    for row in rows:
        print(line(row))


def _cmd_list(db: dbmod.Database, args: argparse.Namespace) -> int:
    spec = kind(args.kind)
    equals = tuple((k, v) for k, v in _values(args.where).items())
    query = queries.ListQuery(spec.name, args.sort, args.desc, args.filter, equals)
    rows = queries.list_records(db, query, limit=args.limit)
    if args.json:
        _print_json(rows)
        return 0
    columns = list(spec.list_columns) or [f.name for f in spec.fields[:5]]
    headers = ["id", *[queries.column_label(spec, c) for c in columns]]
    body = [[str(r["id"]), *[queries.column_text(spec, c, r, db) for c in columns]] for r in rows]
    _table(headers, body)
    print(f"\n{spec.count(len(rows))}")
    return 0


def _cmd_show(db: dbmod.Database, args: argparse.Namespace) -> int:
    spec = kind(args.kind)
    if args.json:
        row = records.get(db, spec.name, records.resolve_named(db, spec.name, args.id))
        _print_json({"record": row, **queries.describe(db, spec.name, row["id"])})
        return 0
    described = queries.describe(db, spec.name, records.resolve_named(db, spec.name, args.id))
    print(f"{spec.label} #{described['id']}  ({described['uid']})")
    width = max((len(k) for k in described["fields"]), default=0)
    for label, value in described["fields"].items():
        text = str(value).replace("\n", "\n" + " " * (width + 2))
        print(f"{label.ljust(width)}  {text}")
    for label, lines in described["links"].items():
        print(f"\n{label}:")
        for entry in lines:
            print(f"  {entry}")
    return 0


def _cmd_search(db: dbmod.Database, args: argparse.Namespace) -> int:
    kinds = [kind(k).name for k in args.kind] if args.kind else None
    hits = search.search(db, args.text, limit=args.limit, kinds=kinds)
    if args.json:
        _print_json([hit.__dict__ for hit in hits])
        return 0
    if not hits:
        print("No matches.")
        return 0
    current = None
    for hit in sorted(hits, key=lambda h: search.shown_order().index(h.kind)):
        if hit.kind != current:
            current = hit.kind
            print(f"\n{KINDS[hit.kind].plural}")
        inside = f"  ({hit.parent})" if hit.parent else ""
        around = f"  -  {hit.snippet}" if hit.snippet else ""
        print(f"  #{hit.record_id}  {hit.title}{inside}{around}")
    return 0


def _cmd_delete(db: dbmod.Database, args: argparse.Namespace) -> int:
    spec = kind(args.kind)
    rid = records.resolve_named(db, spec.name, args.id)
    impact = records.delete_impact(db, spec.name, rid)
    title = records.title_of(db, spec.name, rid)
    if not args.yes:
        print(f"Would delete {spec.label.lower()} #{rid} {title}. {impact.describe()}")
        print("Run again with --yes to delete.")
        return 1
    records.delete(db, spec.name, rid)
    print(f"Deleted {spec.label.lower()} #{rid} {title}. {impact.describe()}")
    print("It is in the trash: 'desk undo' or 'desk trash' brings it back.")
    return 0


def _cmd_history(db: dbmod.Database, args: argparse.Namespace) -> int:
    spec = kind(args.kind)
    uid = records.get(db, spec.name, records.resolve_named(db, spec.name, args.id))["uid"]
    # By uid: an id could once have named another record, the uid never.
    rows = [
        {"at": at, "action": action, "operation": label, "changes": json.loads(changes)}
        for at, action, label, changes in db.execute(
            "SELECT h.at, h.action, o.label, h.changes FROM history h "
            "LEFT JOIN operations o ON o.id = h.op_id WHERE h.record_uid = ? ORDER BY h.id",
            (uid,),
        ).fetchall()
    ]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        print(f"{short_moment(row['at'])}  {row['operation'] or row['action']}")
        if row["action"] == "update":
            for name, (old, new) in row["changes"].items():
                if name != "updated_at":
                    field = spec.field_map.get(name)
                    words = (field.vocab or {}) if field else {}
                    label = field.label if field else name
                    print(f"    {label}: {words.get(old, old)!r} -> {words.get(new, new)!r}")
    return 0


def run(args: argparse.Namespace, path: Path, named_db: bool = True) -> int:
    # One command per process: no file it writes may replace one it reads.
    files.track_inputs()
    if args.command == "survey" and (args.check or args.compare or args.aggregate):
        return run_report(None, args)  # reads workbooks only; no database needed
    if args.read_only and (
        args.command == "restore" or (args.command == "import" and args.what == "json")
    ):
        raise ReadOnlyDatabase(
            f"'desk {args.command}' changes the database; it was opened with --read-only."
        )
    if args.command == "import" and args.what == "json":
        return import_dump(args, path)
    if args.command in BACKUP_COMMANDS:
        return run_backups(None, args, path)  # work on the file, not an open database
    read_only = "opened with --read-only" if args.read_only else None
    if args.command == "check":
        return run_check(args, path, read_only)
    # Only a command that makes a database may make one where none is; a mistyped --db
    # must not leave a new empty database behind.
    creates = args.command in ("demo", "import")  # moving in starts a database
    if read_only is None and _only_reads(args) and path.is_file() and not dbmod.needs_upgrade(path):
        # A reader opens the file read-only: it can never checkpoint the log or remove it
        # when it closes, whatever a window holding the file is doing.
        read_only = f"'desk {args.command}' only reads"
    database = dbmod.open_database(path, create=creates or not named_db, read_only=read_only)
    if not database.read_only:
        database.before_first_write = lambda: _before_first_write(database, path)
    try:
        return _dispatch(database, args, path)
    finally:
        database.close()


def _backup_in_background(path: Path) -> None:
    """`desk backups --auto` in a process of its own that outlives this command."""
    import subprocess

    from desk.core.paths import desk_command

    detached: dict[str, Any] = {"start_new_session": True}
    if sys.platform == "win32":  # pragma: no cover - Windows only
        detached = {
            "creationflags": subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
        }
    subprocess.Popen(
        [*desk_command(), "--db", str(path), "backups", "--auto"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        close_fds=True,
        **detached,
    )


# Commands that never change the database. (`desk undo --list` and a bare `desk trash`
# read too, but share their command with ones that write.)
READING_COMMANDS = frozenset(
    {
        "list",
        "show",
        "search",
        "history",
        "briefing",
        "report",
        "survey",
        "today",
        "timeline",
        "imports",
        "export",
        "backup",
        "save-attachment",
    }
)


def _only_reads(args: argparse.Namespace) -> bool:
    from desk.cli.groups import reading

    return args.command in READING_COMMANDS or reading(args.command)


# A file up to this size is backed up before the command's first write (about 0.1 s);
# a larger one in a process of its own, so the command does not wait: checking a copy of
# a 375 MB database takes 4 s.
INLINE_BACKUP_BYTES = 32 * 1024 * 1024


def _before_first_write(database: dbmod.Database, path: Path) -> None:
    _daily_backup(database, path)
    # A status change planned for a day that has come takes effect before anything
    # else is written, as it does when the window opens the file.
    from desk.core.store.hooks.partnerships import statuses_come_due

    statuses_come_due(database)


def _daily_backup(database: dbmod.Database, path: Path) -> None:
    """The first write of a day from the command line backs the file up, as the window
    does while it is open: people who only use the command line are kept too. A backup
    that fails is said and does not stop the change asked for."""
    from desk.core.safety import backups
    from desk.core.store.db import holds_records

    try:
        note = backups.claim_identity(database)
        if note:
            print(f"desk: {note}", file=sys.stderr)
        if not holds_records(database) or not backups.backup_due(path):
            return
        size = sum(
            candidate.stat().st_size
            for candidate in (path, Path(f"{path}-wal"))
            if candidate.exists()
        )
        if size <= INLINE_BACKUP_BYTES:
            backups.maybe_backup(path)
        else:
            _backup_in_background(path)
    except (DeskError, OSError) as exc:
        print(f"desk: the day's automatic backup was not taken: {exc}", file=sys.stderr)


def _dispatch(db: dbmod.Database, args: argparse.Namespace, path: Path) -> int:
    command = args.command
    if command == "demo":
        from desk.core.demo import build_demo, holds_records

        if args.open and holds_records(db):
            print(f"{path} already holds records; opening it as it is.")
            db.close()
            return open_window(path)
        summary = build_demo(db, scale=args.scale, today=args.today)
        # Named as the window names them (Organizations, in U.S. spelling), not by table.
        shown = ("organisation", "contact", "partnership", "agreement", "visit")
        print(
            f"Demo city written to {path}: "
            + ", ".join(KINDS[k].count(summary.counts.get(KINDS[k].table, 0)) for k in shown)
        )
        if args.open:
            db.close()
            return open_window(path)
        return 0
    if command == "list":
        return _cmd_list(db, args)
    if command == "show":
        return _cmd_show(db, args)
    if command == "search":
        return _cmd_search(db, args)
    if command == "add":
        spec = kind(args.kind)
        if not args.values:
            print(field_guide(spec))
            return 0
        new_id = records.create(db, spec.name, _values(args.values)).id
        assert new_id is not None  # create() reports the new record's id
        if args.json:
            _print_json(records.get(db, spec.name, new_id))
        else:
            print(f"Created {spec.label.lower()} #{new_id}.")
        return 0
    if command == "edit":
        spec = kind(args.kind)
        record_id = records.resolve_named(db, spec.name, args.id)
        result = records.update(db, spec.name, record_id, _values(args.values))
        names = [spec.field_map[n].label if n in spec.field_map else n for n in result.fields]
        print(f"Changed {', '.join(names) or 'nothing'}.")
        from desk.cli.groups.playbooks import report_follow

        report_follow(db, result)  # a visit's playbook steps follow its dates
        return 0
    if command == "delete":
        return _cmd_delete(db, args)
    if command == "status":
        pid = records.resolve_named(db, "partnership", args.partnership)
        records.change_status(
            db, pid, args.status, args.on or dt.date.today().isoformat(), args.reason
        )
        # The day as stored ("in 2 weeks" is read by the status's own cleaner).
        (on,) = db.execute(
            "SELECT changed_on FROM partnership_status_changes WHERE partnership_id = ? "
            "ORDER BY id DESC LIMIT 1",
            (pid,),
        ).fetchone()
        name = records.title_of(db, "partnership", pid)
        status = PARTNERSHIP_STATUSES.get(args.status, args.status).lower()
        if str(on) > dt.date.today().isoformat():
            # A change dated ahead is planned: the status holds until its day.
            print(f"Partnership {name} becomes {status} on {month_day_year(str(on))} (planned).")
        else:
            print(f"Partnership {name} is now {status}.")
        return 0
    if command == "attach":
        new_id = attachments.attach_file(
            db,
            kind(args.kind).name,
            records.resolve_named(db, kind(args.kind).name, args.id),
            args.file,
            description=args.description,
        ).id
        print(f"Attached {args.file.name} as attachment #{new_id}.")
        return 0
    if command == "save-attachment":
        print(f"Wrote {attachments.save_copy(db, args.id, args.out)}")
        return 0
    if command == "history":
        return _cmd_history(db, args)
    from desk.cli.groups import group_of

    group = group_of(command)
    if group is not None:
        return int(group.run(db, args))
    if command in REPORT_COMMANDS:
        return run_report(db, args)
    if command in UNDO_COMMANDS:
        return run_undo(db, args)
    if command in TODAY_COMMANDS:
        return run_today(db, args)
    if command in TRANSFER_COMMANDS:
        return run_transfer(db, args)
    if command == "backup":
        print(f"Backup written to {dbmod.backup(db, args.out)}")
        return 0
    raise AssertionError(command)
