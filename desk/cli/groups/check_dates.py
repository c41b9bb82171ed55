"""`desk check-dates VISIT`: the public holidays, festivals, periods and national days
that fall on a visit's days, on our side and theirs, with whether each is a day off."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desk.core.features.holidays import DateCheck
    from desk.core.store.db import Database

COMMANDS = frozenset({"check-dates"})
READING = frozenset({"check-dates"})


def add_parsers(sub: Any) -> None:
    check = sub.add_parser(
        "check-dates",
        help="holidays and national days on a visit's days, ours and theirs",
        description="List each public holiday, festival, period (Golden Week, Ramadan) and "
        "national day that falls on the visit's days (start to end, and each itinerary "
        "item's day): our side is U.S. federal and our state's, theirs the visit's country "
        "and the partner's region.",
    )
    check.add_argument("visit", help="the visit's id, uid or title")
    check.add_argument("--json", action="store_true", help="print only JSON")


def run(db: Database, args: argparse.Namespace) -> int:
    from desk.core.features import holidays
    from desk.core.store.records import resolve_named

    found = holidays.check(db, resolve_named(db, "visit", args.visit))
    if args.json:
        print(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return 0
    for line in lines(found):
        print(line)
    return 0


def lines(found: DateCheck) -> list[str]:
    """The check as a person reads it: the visit and its sides, then a row per clash
    (date, side, name and whose, day off or not)."""
    from desk.core.domain.dates import long_date

    v = found.visit
    title = f"{v.get('title') or 'Visit'} (#{v.get('id')})"
    if not found.days:
        return [*found.notes, found.message or ""]
    first, last = found.days[0], found.days[-1]
    count = len(found.days)
    when = long_date(first) if first == last else f"{long_date(first)} to {long_date(last)}"
    out = [f"{title}: {when} ({count} day{'' if count == 1 else 's'})"]
    sides = f"Our side: {found.ours.place}."
    if found.theirs is not None:
        sides += f" Their side: {found.theirs.place}."
    out.append(sides)
    out += found.notes
    out.append("")
    if not found.clashes:
        out.append(found.message or "")
        return out
    rows = [(c.when(), c.side, f"{c.name} ({c.place})", c.status()) for c in found.clashes]
    wide = [max(len(row[n]) for row in rows) for n in range(3)]
    for when_text, side, name, status in rows:
        out.append(
            f"{when_text.ljust(wide[0])}  {side.ljust(wide[1])}  {name.ljust(wide[2])}  {status}"
        )
    return out
