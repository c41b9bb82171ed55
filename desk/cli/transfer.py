"""The `desk` commands that move records in and out: imports (with preview and undo),
exports, calendars and address cards."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from desk.cli.args import day, number, out_path
from desk.core.domain.dates import short_moment
from desk.core.domain.kinds import kind
from desk.core.domain.words import counted
from desk.core.errors import DeskError
from desk.core.store import db as dbmod
from desk.core.store import queries
from desk.io.mapping import importable, importable_plurals, split_value_option, value_option

TRANSFER_COMMANDS = {"import", "imports", "undo-import", "export"}


def add_transfer_parsers(sub: Any) -> None:
    importer = sub.add_parser(
        "import",
        help="import records: json (a desk dump), vcard, or a spreadsheet of "
        f"{importable_plurals()} (CSV or XLSX)",
    )
    importer.add_argument("what", help=f"json, vcard, {importable_plurals()}")
    importer.add_argument("file", type=Path)
    importer.add_argument(
        "--dry-run", action="store_true", help="show what would happen; write nothing"
    )
    importer.add_argument(
        "--skip-problems",
        action="store_true",
        help="import the good rows even if some have problems",
    )
    importer.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a column to a field (FIELD empty: leave it aside)",
    )
    importer.add_argument(
        "--value",
        action="append",
        default=[],
        metavar="COLUMN:TEXT=CODE",
        help="read a value the file writes its own way as one of desk's "
        "('Type:Trade agreement=sector_partnership'); remembered for next time. The code "
        "follows the last '='; a column whose name holds ':' may go in double quotes "
        """('"Region: Asia":Pacific=asia')""",
    )
    importer.add_argument(
        "--matched",
        choices=("leave", "fill", "update"),
        default="leave",
        help="rows already in desk: leave them (default), fill their empty fields, or "
        "also update the values that differ; in the same batch, undone with it",
    )
    importer.add_argument(
        "--replace",
        action="store_true",
        help="json only: replace everything (a backup is taken first)",
    )

    sub.add_parser("imports", help="list past imports (batches)")
    undo = sub.add_parser("undo-import", help="undo an import batch in one step")
    undo.add_argument("batch", type=number)
    undo.add_argument(
        "--force",
        action="store_true",
        help="undo even if its records were edited or extended since",
    )

    export = sub.add_parser(
        "export",
        help="export: json (everything), ics (calendar), vcard (contacts), csv or xlsx (a list)",
    )
    export.add_argument("format", choices=["json", "ics", "vcard", "csv", "xlsx"])
    export.add_argument("--out", type=out_path, required=True)
    export.add_argument("--kind", help="csv/xlsx: which list (e.g. partnerships)")
    export.add_argument("--filter", default="", help="csv/xlsx: only records matching")
    export.add_argument(
        "--since",
        type=day,
        default=None,
        help="ics: from this date (default: a year ago)",
    )


def import_dump(args: argparse.Namespace, path: Path) -> int:
    from desk.io.dump import import_json

    database = dbmod.open_database(path)
    try:
        from desk.cli.backups import claim_and_say

        claim_and_say(database)
        if args.replace:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            saved = dbmod.backup(
                database, path.with_name(f"{path.stem}.before-import-{stamp}.sqlite")
            )
            print(f"Backup written to {saved}")
        loaded = import_json(database, args.file, replace=args.replace)
    finally:
        database.close()
    print(f"Imported {sum(loaded.values())} rows from {args.file}.")
    return 0


def _mapping(
    args: argparse.Namespace,
    plan_headers: list[str],
    guessed: dict[int, str | None],
    target_kind: str,
) -> dict[int, str | None]:
    """--map COLUMN=FIELD over the guessed mapping; the field by its name or its label
    ('kind' or 'Kind'), empty to leave the column aside."""
    spec = kind(target_kind)
    mapping = dict(guessed)
    for pair in args.map:
        # No field's name holds '=', so a column's name may.
        column, sep, wanted = pair.rpartition("=")
        if not sep or column not in plan_headers:
            raise DeskError(
                f"--map {pair}: no column '{column}'. Columns: "
                + ", ".join(f"'{h}'" for h in plan_headers)
                + "."
            )
        wanted = wanted.strip()
        field_name = next(
            (
                f.name
                for f in spec.fields
                if wanted.casefold() in (f.name.casefold(), f.label.casefold())
            ),
            None,
        )
        if wanted and field_name is None:
            raise DeskError(
                f"--map {pair}: {spec.label.lower()} has no field '{wanted}'. Fields: "
                + ", ".join(f.name for f in spec.fields)
                + "."
            )
        index = plan_headers.index(column)
        for other, field in list(mapping.items()):
            if field == field_name and other != index:
                mapping[other] = None
        mapping[index] = field_name
    return mapping


def _values(
    args: argparse.Namespace, target: str, headers: list[str], mapping: dict[int, str | None]
) -> dict[tuple[str, str], str]:
    """--value COLUMN:TEXT=CODE as (field, text) -> code, each checked before any row."""
    from desk.core.domain.validate import clean

    found: dict[tuple[str, str], str] = {}
    for given in args.value:
        parts = split_value_option(given, headers)
        if parts is None or not parts[1].strip():
            raise DeskError(
                f"--value {given}: write it as COLUMN:TEXT=CODE, with the column in double "
                """quotes if its name holds ':' (--value '"Region: Asia":Pacific=CODE')."""
            )
        column, text, code = parts
        if column not in headers:
            raise DeskError(
                f"--value {given}: no column '{column}'. Columns: "
                + ", ".join(f"'{h}'" for h in headers)
                + "."
            )
        field_name = mapping.get(headers.index(column))
        if not field_name:
            raise DeskError(f"--value {given}: column '{column}' is not imported.")
        spec = kind(target).field_map[field_name]
        found[(field_name, text.strip())] = clean(spec, code.strip())  # names the field
    return found


def _import_records(db: dbmod.Database, args: argparse.Namespace) -> int:
    from desk.io import importer
    from desk.io.mapping import guess_mapping
    from desk.io.tabular import read_table
    from desk.io.vcard import read_vcards

    if args.what == "vcard":
        plan = importer.plan_rows(db, "contact", read_vcards(args.file), args.file.name, "vCard")
    else:
        target = kind(args.what).name
        if target not in importable():
            raise DeskError(
                f"desk imports json, vcard, or spreadsheets of "
                f"{', '.join(importable())}; not '{args.what}'."
            )
        headers = read_table(args.file).headers
        mapping = _mapping(args, headers, guess_mapping(db, target, headers), target)
        values = _values(args, target, headers, mapping)
        plan = importer.plan_file(db, target, args.file, mapping, values=values)
    print(importer.describe(plan))
    gains = plan.gains()
    if gains["fill"] or gains["change"]:
        would = []
        if gains["fill"]:
            would.append(
                f"{counted(gains['fill'], 'row')} would fill "
                f"{counted(gains['fields'], 'empty field')}"
            )
        if gains["change"]:
            would.append(
                f"{counted(gains['change'], 'row')} would change "
                f"{counted(gains['changed'], 'value')}"
            )
        print(
            f"Of the rows already in desk, {' and '.join(would)}; --matched {args.matched} "
            + {
                "leave": "leaves them (--matched fill or update to take them).",
                "fill": "fills the empty fields.",
                "update": "fills and changes them.",
            }[args.matched]
        )
    _print_some(plan.matched_changes())
    _print_some(plan.look_alikes())
    _print_some(plan.problems())
    _print_some(plan.notes())
    for value in plan.unknown_values():
        spec = kind(plan.kind).field_map[value.field]
        codes = ", ".join(spec.vocab or {})
        if value.guess is not None:
            # Never a silent guess: what desk read, and how to read it otherwise.
            print(
                f"Read '{value.text}' in column '{value.column}' "
                f"({counted(value.rows, 'row')}) as {(spec.vocab or {})[value.guess]}; "
                f"{value_option(value.column, value.text, columns=plan.headers)} reads it "
                "otherwise."
            )
            continue
        print(
            f"'{value.text}' in column '{value.column}' ({counted(value.rows, 'row')}) is not "
            f"a {spec.label.lower()} desk knows; say which with "
            f"{value_option(value.column, value.text, columns=plan.headers)}, CODE one of "
            f"{codes}."
        )
    if args.dry_run:
        print("Dry run: nothing was written.")
        return 1 if plan.counts()["problem"] else 0
    counts = plan.counts()
    if not counts["new"] and (args.matched == "leave" or not plan.gains()["touched"]):
        # No batch for an import that writes nothing: there would be nothing to undo.
        if not args.skip_problems:
            importer.refuse_problems(plan)
        print(
            f"Nothing to import: every {plan.unit} is already in desk"
            + (
                f" or has a problem ({counted(counts['problem'], plan.unit)})."
                if counts["problem"]
                else "."
            )
        )
        return 0
    batch = importer.apply_plan(db, plan, skip_problems=args.skip_problems, matched=args.matched)
    noun = kind(plan.kind)
    filled = importer.filled_note(plan.gains(), args.matched)
    print(
        f"Imported {noun.count(counts['new']).replace(' ', ' new ', 1)} as batch {batch}; "
        f"{counts['match']:,} already in desk. "
        + (f"{filled} " if filled else "")
        + f"Undo with: desk undo-import {batch}"
    )
    return 0


def _print_some(lines: list[str], shown: int = 50) -> None:
    for line in lines[:shown]:
        print(f"  {line}")
    if len(lines) > shown:
        print(f"  ... and {len(lines) - shown:,} more")


def run_transfer(db: dbmod.Database, args: argparse.Namespace) -> int:
    from desk.io import importer

    if args.command == "import":
        return _import_records(db, args)
    if args.command == "imports":
        batches = importer.batches(db)
        if not batches:
            print("No imports yet. 'desk import KIND FILE' brings in a spreadsheet.")
        for batch in batches:
            undone = batch["undone_at"]
            state = f"undone {short_moment(undone)}" if undone else "in place"
            print(
                f"#{batch['id']}  {short_moment(batch['created_at'])}  {batch['kind']:<12} "
                f"{batch['source']}: {batch['created']} new, {batch['matched']} matched "
                f"({state})"
            )
        return 0
    if args.command == "undo-import":
        filled = importer.records_filled(db, args.batch)
        try:
            removed = importer.undo_batch(db, args.batch, force=args.force)
        except importer.BuiltOn as exc:
            raise DeskError(f"{exc} Undo it anyway with --force.") from None
        done = [f"{counted(removed, 'record')} removed"] if removed or not filled else []
        if filled:
            was = "it was" if filled == 1 else "they were"
            done.append(f"{counted(filled, 'record')} put back as {was}")
        # Undone as the import's own operation, it comes back with redo; forced, the
        # undoing is an operation of its own, which undo takes back.
        again = "desk undo" if args.force else "desk redo"
        print(f"Import {args.batch} undone: {' and '.join(done)} ('{again}' brings it back).")
        return 0
    return _export(db, args)


def _export(db: dbmod.Database, args: argparse.Namespace) -> int:
    if args.format == "json":
        from desk.io.dump import export_json

        export_json(db, args.out)
        print(f"Exported to {args.out}")
    elif args.format == "ics":
        from desk.io.calendar import export_ics

        print(f"{export_ics(db, args.out, args.since)} events written to {args.out}")
    elif args.format == "vcard":
        from desk.io.vcard import export_vcards

        print(f"{export_vcards(db, args.out)} contacts written to {args.out}")
    else:
        from desk.io.list_export import export_list

        if not args.kind:
            raise DeskError("Name the list to export with --kind (e.g. --kind partnerships).")
        out = args.out if args.out.suffix else args.out.with_suffix(f".{args.format}")
        if out.suffix.lower() != f".{args.format}":
            raise DeskError(f"--out {out.name} does not end in .{args.format}.")
        query = queries.ListQuery(kind(args.kind).name, text=args.filter)
        print(f"{export_list(db, query, out)} rows written to {out}")
    return 0
