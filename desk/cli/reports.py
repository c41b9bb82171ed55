"""The `desk` commands that make documents: the briefing packet, the survey workbook,
and (`desk report ...`) a partnership's hand-over dossier."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from desk.cli.args import out_path, year
from desk.core.errors import DeskError
from desk.core.store import db as dbmod

REPORT_COMMANDS = {"briefing", "survey", "report"}


def add_report_parsers(sub: Any) -> None:
    brief = sub.add_parser("briefing", help="write the briefing packet (PDF) for a visit")
    brief.add_argument("visit", help="the visit's id, uid or title")
    brief.add_argument("--out", type=out_path, required=True)
    brief.add_argument(
        "--marking",
        default="SENSITIVE - NOT FOR DISTRIBUTION",
        help='handling marking for the header ("" for none)',
    )
    brief.add_argument(
        "--sections",
        default=None,
        help="comma-separated sections to include (default: all): "
        "objectives, itinerary, delegation, profile, history, briefs, gifts, "
        "agreements, press, contacts, follow_ups",
    )
    brief.add_argument(
        "--shareable",
        action="store_true",
        help="the copy for the partner: the program and their delegation, nothing internal",
    )
    brief.add_argument(
        "--phone",
        action="store_true",
        help="the trip pack for a phone instead (90 x 160 mm): the program by day, "
        "who to call, the travel plan and the delegation; same options",
    )

    report = sub.add_parser(
        "report",
        help="documents about the city's work: the annual report, a partnership's dossier",
    )
    documents = report.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    dossier = documents.add_parser(
        "dossier",
        help="a partnership's hand-over dossier (PDF): everything a successor needs",
    )
    dossier.add_argument("partnership", help="the partnership's id, uid or partner name")
    annual = documents.add_parser(
        "annual",
        help="the year's international work (PDF): for the mayor, council or a transition team",
    )
    annual.add_argument("--year", type=year, required=True)
    annual.add_argument("--out", type=out_path, required=True)
    annual.add_argument("--marking", default="", help="handling marking for the header")
    from desk.cli.groups import renewal

    renewal.add_arguments(
        documents.add_parser(
            "renewal",
            help="an agreement's renewal memo (PDF, one page): renew, renegotiate or let lapse",
        )
    )
    pickups = documents.add_parser(
        "pickups", help="a visit's pickup sheet (PDF): who arrives when, met by whom"
    )
    pickups.add_argument("visit", help="the visit's id, uid or title")
    pickups.add_argument("--out", type=out_path, required=True)
    pickups.add_argument(
        "--marking",
        default="SENSITIVE - NOT FOR DISTRIBUTION",
        help='handling marking for the header ("" for none)',
    )
    dossier.add_argument("--out", type=out_path, required=True)
    dossier.add_argument(
        "--marking",
        default="SENSITIVE - NOT FOR DISTRIBUTION",
        help='handling marking for the header ("" for none)',
    )

    survey = sub.add_parser(
        "survey", help="the national survey workbook: write, check or compare (.xlsx)"
    )
    survey.add_argument("--out", type=out_path, help="write the workbook here")
    survey.add_argument("--edition", default=None, help="survey edition (default: newest)")
    survey.add_argument(
        "--since",
        type=year,
        default=None,
        help="count agreements and meetings from this year (edition default)",
    )
    survey.add_argument(
        "--anyway", action="store_true", help="write even though the pre-flight check found gaps"
    )
    survey.add_argument(
        "--strict",
        action="store_true",
        help="with --aggregate: leave out workbooks whose check finds problems "
        "(by default they are counted, their gaps listed)",
    )
    survey.add_argument(
        "--keep-copies",
        action="store_true",
        help="with --aggregate: count workbooks that look like copies of another (the same "
        "city, or the same Engagement IDs) as workbooks of their own",
    )
    survey.add_argument(
        "--check", type=Path, metavar="FILE", help="check a filled workbook against its edition"
    )
    survey.add_argument(
        "--summary",
        action="store_true",
        help="print the counts the national findings publish (with --json: for scripts)",
    )
    survey.add_argument(
        "--json",
        action="store_true",
        help="print only JSON on standard output (notes go into it and to standard error)",
    )
    survey.add_argument(
        "--aggregate",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="add up many cities' workbooks into the national findings (with --out, a workbook)",
    )
    survey.add_argument(
        "--compare",
        type=Path,
        nargs=2,
        metavar=("LAST", "THIS"),
        help="what changed between last year's submission and this one",
    )


def run_report(db: dbmod.Database | None, args: argparse.Namespace) -> int:
    if args.command == "survey":
        return _survey(db, args)
    assert db is not None
    if args.command == "report" and args.document == "annual":
        from desk.reports.annual.document import build_annual

        build_annual(db, args.year, args.out, marking=args.marking)
        print(f"Annual report for {args.year} written to {args.out}")
        return 0
    if args.command == "report" and args.document == "renewal":
        from desk.cli.groups import renewal

        return renewal.run(db, args)
    if args.command == "report" and args.document == "pickups":
        from desk.cli.groups import pickups

        return pickups.run(db, args)
    if args.command == "report":
        return _dossier(db, args)
    return _briefing(db, args)


def _dossier(db: dbmod.Database, args: argparse.Namespace) -> int:
    from desk.core.store.records import resolve_named
    from desk.reports.dossier.document import build_dossier

    partnership = resolve_named(db, "partnership", args.partnership)
    build_dossier(db, partnership, args.out, marking=args.marking)
    print(f"Hand-over dossier written to {args.out}")
    return 0


def _briefing(db: dbmod.Database, args: argparse.Namespace) -> int:
    from desk.reports.briefing.options import SECTIONS, BriefingOptions
    from desk.reports.briefing.packet import build_briefing

    chosen = frozenset(SECTIONS)
    if args.sections:
        chosen = frozenset(part.strip() for part in args.sections.split(",") if part.strip())
        unknown = sorted(chosen - set(SECTIONS))
        if unknown:
            raise DeskError(
                f"Unknown section '{unknown[0]}'. Sections: " + ", ".join(SECTIONS) + "."
            )
    options = BriefingOptions(
        sections=chosen,
        marking=args.marking,
        include_personal=not args.shareable,
        shareable=args.shareable,
    )
    from desk.core.store.records import resolve_named

    visit = resolve_named(db, "visit", args.visit)
    if args.phone:
        from desk.reports.briefing.phone import build_phone_pack

        build_phone_pack(db, visit, args.out, options)
        print(f"Trip pack for a phone written to {args.out}")
        return 0
    build_briefing(db, visit, args.out, options)
    print(f"Briefing packet written to {args.out}")
    return 0


def _survey(db: dbmod.Database | None, args: argparse.Namespace) -> int:
    try:
        return _survey_command(db, args)
    except (DeskError, OSError) as exc:
        if args.json:
            # A script reads standard output: it gets an answer there too, and the person
            # running it the same sentence on standard error (desk's own handler).
            from desk.core.disk.files import explain

            message = str(exc)
            if isinstance(exc, OSError) and exc.filename is not None:
                message = str(explain(exc, exc.filename))
            _json({"error": message})
        raise


def _survey_command(db: dbmod.Database | None, args: argparse.Namespace) -> int:
    from desk.core.domain.dates import month_day_year
    from desk.reports.survey import check as survey_check
    from desk.reports.survey import compare as survey_compare
    from desk.reports.survey.data import collect, preflight
    from desk.reports.survey.edition import load
    from desk.reports.survey.workbook import write_workbook

    if args.check:
        found = survey_check.check(args.check, args.edition)
        if args.json:
            _json({"workbook": str(args.check), "ready": not found, "problems": found})
            return 1 if found else 0
        for message in found:
            print(message)
        noun = "problem" if len(found) == 1 else "problems"
        print(f"{len(found)} {noun} to fix." if found else f"{args.check} is ready to send.")
        return 1 if found else 0
    if args.compare:
        last, this = args.compare  # nargs=2
        comparison = survey_compare.compare(last, this, edition=args.edition)
        if args.json:
            _json(
                {"added": comparison.added, "gone": comparison.ended, "changed": comparison.changed}
            )
            return 0
        for line in comparison.lines():
            print(line)
        return 0
    if args.aggregate:
        return _aggregate(args)
    assert db is not None
    spec = load(args.edition)
    data = collect(db, args.since or spec.default_since, domestic_networks=spec.domestic_networks)
    if args.summary:
        return _print_summary(data, as_json=args.json)
    problems = preflight(data)
    counts = {key: len(rows) for key, rows in data.engagements.items()}
    written = bool(args.out) and (not problems or args.anyway)
    if written:
        write_workbook(spec, data, args.out)
    if args.json:
        _json(
            {
                "edition": spec.name,
                "since": data.since,
                "as_of": data.as_of.isoformat(),
                "engagements": len(data.unique),
                "records": counts,
                "gaps": [
                    {
                        "kind": p.kind,
                        "id": p.record_id,
                        "title": p.title,
                        "field": p.field,
                        "message": p.message,
                    }
                    for p in problems
                ],
                "not_counted": [{"name": n, "why": why} for n, why in data.not_counted],
                "written": str(args.out) if written else None,
            }
        )
    else:
        print(
            f"{spec.title}: {len(data.unique)} unique engagements as of "
            f"{month_day_year(data.as_of)} (window {data.window()}); "
            + ", ".join(f"{n} {key}" for key, n in counts.items() if key != "networks")
            + f"; {counts.get('networks', 0)} network membership"
            + ("" if counts.get("networks", 0) == 1 else "s")
        )
        for name, why in data.not_counted:
            print(f"  not counted: {name}: {why}")
        for problem in problems:
            print(
                f"  missing: {problem} (desk edit {problem.kind} {problem.record_id} "
                f"{problem.field}=...)"
            )
        if args.out and not written:
            noun = "gap" if len(problems) == 1 else "gaps"
            print(f"{len(problems)} {noun} to fill first, or pass --anyway.")
        elif written:
            print(f"Survey workbook written to {args.out}")
    if not args.out:
        return 1 if problems else 0
    return 0 if written else 1


def _json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


def _print_summary(data: Any, *, as_json: bool) -> int:
    from desk.core.domain import vocab as v
    from desk.core.domain.dates import month_day_year
    from desk.core.reference import countries
    from desk.reports.survey.workbook import percent

    summary = data.summary()
    if as_json:
        _json(summary)
        return 0
    total, with_country = summary["engagements"], summary["with_country"]
    print(f"Unique engagements: {total}")
    print(f"As of {month_day_year(data.as_of)}; survey window {data.window()}")

    def block(title: str, counts: dict[str, int], name: Any, of: int) -> None:
        print(f"\n{title}")
        for code, n in counts.items():
            # The share from the exact counts, as the workbook shows it.
            print(f"  {name(code):<40} {n:>4}  {percent(n, of):>6}")

    block("By method", summary["by_method"], lambda c: v.ENGAGEMENT_METHODS[c], total)
    block("By priority area", summary["by_area"], lambda c: v.PRIORITY_AREAS[c], total)
    block(
        f"By partner country (shares of the {with_country} engagements with a country)",
        summary["by_country"],
        countries.country_name,
        with_country,
    )
    if data.not_counted:
        print("\nNot counted")
        for name, why in data.not_counted:
            print(f"  {name}: {why}")
    return 0


def _aggregate(args: argparse.Namespace) -> int:
    from desk.reports.survey.aggregate import aggregate, write_national

    national = aggregate(
        args.aggregate, strict=args.strict, keep_copies=args.keep_copies, edition=args.edition
    )
    if args.out:
        write_national(national, args.out, args.edition)
    notes = national.notes()
    if args.json:
        # Standard output is for the script: the notes are in the JSON, and on standard
        # error for the person who runs it.
        for line in notes:
            print(line, file=sys.stderr)
        _json(national.as_json())
    else:
        for line in notes:
            print(line)
        summary = national.as_json()
        cities = summary["cities"]
        print(
            f"{cities} {'city' if cities == 1 else 'cities'}, "
            f"{summary['engagements']} unique engagements"
            + (f"; national findings written to {args.out}" if args.out else "")
        )
    return 1 if national.left_out else 0
