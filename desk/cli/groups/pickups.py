"""`desk pickups VISIT`: the pickup sheet, who arrives when, where and who meets them, in
the order of the day; a PDF with --out, else printed."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from desk.cli.args import out_path

if TYPE_CHECKING:
    from desk.core.features.travel import Pickup, TravelPlan
    from desk.core.store.db import Database

COMMANDS = frozenset({"pickups"})
READING = frozenset({"pickups"})


def add_parsers(sub: Any) -> None:
    sheet = sub.add_parser(
        "pickups",
        help="the pickup sheet for a visit: who arrives when, where, met by whom (PDF)",
        description="Each delegate's arrival and departure in the order of the day, with "
        "who meets them, their transport, hotel and room, and what to check: a delegate "
        "who lands after their first program item, one with no flight recorded, one who "
        "leaves early, a time without its zone. Written as a landscape PDF with --out; "
        "printed otherwise.",
    )
    sheet.add_argument("visit", help="the visit's id, uid or title")
    sheet.add_argument("--out", type=out_path, help="write the sheet here (PDF)")
    sheet.add_argument(
        "--marking",
        default="SENSITIVE - NOT FOR DISTRIBUTION",
        help='handling marking for the header ("" for none)',
    )


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.features import travel
    from desk.core.store.records import resolve_named

    visit = resolve_named(db, "visit", args.visit)
    if args.out:
        from desk.reports.briefing.pickups import build_pickups

        build_pickups(db, visit, args.out, marking=args.marking)
        print(f"Pickup sheet written to {args.out}")
        return 0
    for line in lines(travel.read(db, visit)):
        print(line)
    return 0


def lines(plan: TravelPlan) -> list[str]:
    """The sheet as a terminal prints it: a heading per day, a block per leg."""
    from desk.core.domain.dates import long_date
    from desk.core.features import travel

    title = str(plan.visit.get("title") or "Visit")
    what = "Airport pickups" if plan.incoming else "Arrivals"
    out = [f"{what}: {title} (#{plan.visit.get('id')})", *plan.notes]
    for heading, rows, about in (
        ("", plan.arrivals, travel.IN),
        ("Departures", plan.departures, travel.OUT),
    ):
        missing = travel.missing(plan, about)
        if heading and (rows or missing):
            out += ["", heading]
        day = None
        for row in rows:
            when = row.when
            if (when.day if when else None) != day or day is None:
                day = when.day if when else None
                out += ["", long_date(day) if day else "Time not recorded"]
            out += _block(row, about)
        if missing:
            noun = "arrival" if about == travel.IN else "departure"
            names = "; ".join(t.named_with_role for t in missing)
            out += ["", f"No {noun} recorded: {names}"]
    if not plan.arrivals and not plan.departures:
        out += ["", "No travel is recorded for this visit yet."]
    return out


def _block(row: Pickup, about: str) -> list[str]:
    from desk.core.features import travel

    leg = row.leg
    when = row.when.clock() if row.when else "time not recorded"
    route = " → ".join(p for p in (leg.from_place, leg.to_place) if p)
    out = [f"  {when}  {leg.described}" + (f"  {route}" if route else "")]
    out += [
        f"    via {g.service}" + (f" from {g.from_place}" if g.from_place else "") for g in row.via
    ]
    out += [
        f"    then {g.service}" + (f" to {g.to_place}" if g.to_place else "") for g in row.onward
    ]
    for traveler in row.travelers:
        room = f" · {travel.room_words(traveler.room)}" if traveler.room else ""
        out.append(f"    {traveler.named_with_role}{room}")
    verb = "Met by" if about == travel.IN else "Taken by"
    for name, phone in row.greeters():
        out.append(f"    {verb} {name}" + (f" ({phone})" if phone else ""))
    out += [f"    {line}" for line in row.shared("transport")]
    out += [f"    Hotel: {line}" for line in row.shared("hotel")]
    out += [f"    CHECK: {text}" for text in row.checks]
    return out
