"""`desk today`, `desk done` and `desk snooze`: the window's Today page on the command
line, and ticking off or putting off a follow-up from it."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from desk.cli.args import day, days_ahead, number
from desk.core.domain.dates import long_date, month_day_year
from desk.core.errors import ValidationError
from desk.core.features import agenda
from desk.core.store.db import Database

TODAY_COMMANDS = ("today", "done", "snooze", "timeline")


def add_today_parsers(sub: Any) -> None:
    today = sub.add_parser("today", help="what is overdue, due today, this week and later")
    today.add_argument("--date", type=day, default=None, help="as seen on this day")
    today.add_argument("--json", action="store_true")

    done = sub.add_parser("done", help="tick a follow-up done")
    done.add_argument("follow_up", type=number, help="the follow-up's number (see 'desk today')")
    done.add_argument("--on", type=day, default=None, help="the day it was done (default today)")

    timeline = sub.add_parser(
        "timeline", help="a partnership at a glance: where it stands, and its story"
    )
    timeline.add_argument("partnership", help="the partnership's id, uid or partner name")
    timeline.add_argument("--json", action="store_true")

    snooze = sub.add_parser("snooze", help="put a follow-up off to a later day")
    snooze.add_argument("follow_up", type=number, help="the follow-up's number (see 'desk today')")
    when = snooze.add_mutually_exclusive_group(required=True)
    when.add_argument("--until", type=day, help="the new due date")
    when.add_argument("--days", type=days_ahead, help="this many days from today")


def _timeline(db: Database, args: argparse.Namespace) -> int:
    from desk.core.domain.dates import short_date
    from desk.core.features import story
    from desk.core.store import records

    pid = records.resolve_named(db, "partnership", args.partnership)
    found = story.standing(db, pid)
    events = story.story(db, pid)
    if args.json:
        print(
            json.dumps(
                {
                    "standing": found.lines(),
                    "events": [
                        {"on": e.on, "what": e.what, "open": {"kind": e.open_kind, "id": e.open_id}}
                        for e in events
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(records.title_of(db, "partnership", pid))
    for line in found.lines():
        print(f"  {line}")
    print()
    for event in events:
        print(f"  {short_date(event.on):>10}  {event.what}")
    return 0


def run_today(db: Database, args: argparse.Namespace) -> int:
    if args.command == "timeline":
        return _timeline(db, args)
    if args.command == "done":
        changes = agenda.mark_done(db, args.follow_up, args.on)
        done = changes.label.removeprefix("Mark done ")
        print(f"Marked done: {done}." if changes.fields else "It was already marked done that day.")
        return 0
    if args.command == "snooze":
        until = args.until or dt.date.today() + dt.timedelta(days=args.days)
        if until < dt.date.today():
            raise ValidationError(
                f"--until {month_day_year(until)} is in the past; give a later day.",
                field="due_date",
            )
        changes = agenda.snooze(db, args.follow_up, until)
        print(f"Snoozed {changes.label.removeprefix('Snooze ')}: now due {month_day_year(until)}.")
        return 0
    return _show(agenda.build(db, args.date), args.json)


def _show(found: agenda.Agenda, as_json: bool) -> int:
    if as_json:
        print(
            json.dumps(
                {
                    "today": found.today.isoformat(),
                    "counts": found.counts,
                    "sections": {
                        section: [
                            {
                                "what": item.what,
                                "title": item.title,
                                "due": item.due.isoformat() if item.due else None,
                                "when": item.when,
                                "parent": item.parent,
                                "warning": item.warning,
                                "open": {"kind": item.open_kind, "id": item.open_id},
                                "follow_up": item.follow_up_id,
                            }
                            for item in items
                        ]
                        for section, items in found.sections.items()
                    },
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{long_date(found.today)}: {found.headline()}.")
    shown = [item for items in found.sections.values() for item in items]
    width = max((len(item.when) for item in shown), default=0)
    for section in agenda.SECTIONS:
        items = found.sections[section]
        if not items:
            continue
        total = found.counts[section]
        more = f", {len(items):,} shown" if total > len(items) else ""
        print(f"\n{agenda.SECTION_TITLES[section].upper()} ({total:,}{more})")
        for item in items:
            tag = f"  [follow-up {item.follow_up_id}]" if item.follow_up_id else ""
            print(f"  {item.when:<{width}}  {item.title}{tag}")
            for line in (item.parent, f"⚠ {item.warning}" if item.warning else ""):
                if line:
                    print(f"  {'':<{width}}  {line}")
    return 0
