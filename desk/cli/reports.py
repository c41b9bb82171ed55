"""The `desk` commands that make documents: the briefing packet, the survey workbook,
and (`desk report ...`) a partnership's hand-over dossier."""

from __future__ import annotations

import argparse
import json
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
        "--check", type=Path, metavar="FILE", help="check a filled workbook against its edition"
    )
    survey.add_argument(
        "--summary",
        action="store_true",
        help="print the counts the national findings publish (with --json: for scripts)",
    )
    survey.add_argument(
        "--json", action="store_true", help="with --summary or --aggregate: print JSON"
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

    build_briefing(db, resolve_named(db, "visit", args.visit), args.out, options)
    print(f"Briefing packet written to {args.out}")
    return 0


def _survey(db: dbmod.Database | None, args: argparse.Namespace) -> int:
    from desk.reports.survey import check as survey_check
    from desk.reports.survey import compare as survey_compare
    from desk.reports.survey.data import collect, preflight
    from desk.reports.survey.edition import load
    from desk.reports.survey.workbook import write_workbook

    if args.check:
        found = survey_check.check(args.check, args.edition)
        for message in found:
            print(message)
        noun = "problem" if len(found) == 1 else "problems"
        print(f"{len(found)} {noun} to fix." if found else f"{args.check} is ready to send.")
        return 1 if found else 0
    if args.compare:
        last, this = args.compare  # nargs=2
        for line in survey_compare.compare(last, this, edition=args.edition).lines():
            print(line)
        return 0
    if args.aggregate:
        return _aggregate(args)
    assert db is not None
    spec = load(args.edition)
    data = collect(db, args.since or spec.default_since)
    if args.summary:
        return _print_summary(data, as_json=args.json)
    problems = preflight(data)
    counts = {key: len(rows) for key, rows in data.engagements.items()}
    print(
        f"{spec.title}: {len(data.unique)} unique engagements; since {data.since}, "
        + ", ".join(f"{n} {key}" for key, n in counts.items() if key != "networks")
        + f"; {counts.get('networks', 0)} network membership"
        + ("" if counts.get("networks", 0) == 1 else "s")
    )
    for problem in problems:
        print(
            f"  missing: {problem} (desk edit {problem.kind} {problem.record_id} "
            f"{problem.field}=...)"
        )
    if not args.out:
        return 1 if problems else 0
    if problems and not args.anyway:
        noun = "gap" if len(problems) == 1 else "gaps"
        print(f"{len(problems)} {noun} to fill first, or pass --anyway.")
        return 1
    write_workbook(spec, data, args.out)
    print(f"Survey workbook written to {args.out}")
    return 0


def _print_summary(data: Any, *, as_json: bool) -> int:
    from desk.core.domain import vocab as v
    from desk.core.reference import countries

    summary = data.summary()
    if as_json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
        return 0
    total = summary["engagements"]
    print(f"Unique engagements: {total}")

    def block(title: str, counts: dict[str, int], name: Any) -> None:
        print(f"\n{title}")
        for code, n in counts.items():
            print(f"  {name(code):<40} {n:>4}  {n / total:>6.1%}")

    block("By method", summary["by_method"], lambda c: v.ENGAGEMENT_METHODS[c])
    block("By priority area", summary["by_area"], lambda c: v.PRIORITY_AREAS[c])
    block("By partner country", summary["by_country"], countries.country_name)
    return 0


def _aggregate(args: argparse.Namespace) -> int:
    from desk.reports.survey.aggregate import aggregate, write_national

    national = aggregate(args.aggregate, anyway=args.anyway, edition=args.edition)
    for source, problems in national.skipped.items():
        print(
            f"Left out {source}: {problems[0]}"
            + (
                f" (and {len(problems) - 1} more; 'desk survey --check' lists them)"
                if len(problems) > 1
                else ""
            )
        )
    if args.out:
        write_national(national, args.out, args.edition)
    if args.json:
        print(json.dumps(national.as_json(), ensure_ascii=False, indent=1))
    else:
        summary = national.as_json()
        cities = summary["cities"]
        print(
            f"{cities} {'city' if cities == 1 else 'cities'}, "
            f"{summary['engagements']} unique engagements"
            + (f"; national findings written to {args.out}" if args.out else "")
        )
    return 1 if national.skipped else 0
