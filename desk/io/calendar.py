"""The desk's dates as an iCalendar file for the calendar the person already uses:
visits, itinerary items in their own time zones, agreement decision deadlines and
partnership anniversaries."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar, Event, vRecur

from desk import __version__
from desk.core.disk.files import safe_write
from desk.core.domain.dates import month_day_year, stored_date, wall_clock
from desk.core.domain.vocab import VISIT_DIRECTIONS, label
from desk.core.features import sides
from desk.core.store.db import Database
from desk.core.store.queries import fetch
from desk.io.text import interchange_text


def _event(
    uid: str,
    summary: str,
    stamp: dt.datetime,
    start: dt.date | dt.datetime,
    end: dt.date | dt.datetime,
    *,
    location: str = "",
    description: str | None = None,
) -> Event:
    """An event; a date-only `end` is the last day, made exclusive as iCalendar wants."""
    event = Event()
    event.add("uid", f"{uid}@desk")
    event.add("dtstamp", stamp)
    event.add("summary", interchange_text(summary))
    event.add("dtstart", start)
    all_day = not isinstance(end, dt.datetime)
    event.add("dtend", end + dt.timedelta(days=1) if all_day else end)
    if location:
        event.add("location", interchange_text(location))
    if description:
        event.add("description", interchange_text(description))
    return event


def _place(*parts: str | None) -> str:
    return ", ".join(p for p in parts if p)


def build_calendar(db: Database, since: dt.date | None = None) -> Calendar:
    """Everything dated from `since` on (default: a year ago)."""
    since = since or (dt.date.today() - dt.timedelta(days=365))
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", f"-//desk//desk {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "desk")
    first = since.isoformat()
    home = next(iter(fetch(db, "SELECT name, state FROM city_profile LIMIT 1")), {})
    for visit in fetch(
        db,
        "SELECT * FROM visits WHERE start_date >= ? AND status NOT IN "
        "('declined', 'cancelled') ORDER BY start_date",
        (first,),
    ):
        event = _event(
            visit["uid"],
            visit["title"],
            stamp,
            dt.date.fromisoformat(visit["start_date"]),
            dt.date.fromisoformat(visit.get("end_date") or visit["start_date"]),
            # Where it happens: here for a delegation, there for a mission.
            location=sides.venue_with_country(visit, home),
            description=visit.get("purpose"),
        )
        event.add("categories", [label(VISIT_DIRECTIONS, visit["direction"])])
        calendar.add_component(event)
    for item in fetch(
        db,
        "SELECT i.*, v.title AS visit_title FROM itinerary_items i JOIN "
        "visits v ON v.id = i.visit_id WHERE i.starts_at >= ? AND v.status "
        "NOT IN ('declined', 'cancelled') ORDER BY i.starts_at",
        (first,),
    ):
        start = wall_clock(item["starts_at"], item["time_zone"])
        end = (
            wall_clock(item["ends_at"], item["time_zone"])
            if item.get("ends_at")
            else start + dt.timedelta(hours=1)
        )
        calendar.add_component(
            _event(
                item["uid"],
                f"{item['title']} ({item['visit_title']})",
                stamp,
                start,
                end,
                location=_place(item.get("place"), item.get("address")),
                description=item.get("notes"),
            )
        )
    for agreement in fetch(
        db,
        "SELECT * FROM agreements WHERE decision_deadline >= ? ORDER BY decision_deadline",
        (first,),
    ):
        day = dt.date.fromisoformat(agreement["decision_deadline"])
        calendar.add_component(
            _event(
                f"{agreement['uid']}-deadline",
                f"Decision due: renew or give notice on {agreement['title']}",
                stamp,
                day,
                day,
                description=f"Expires {month_day_year(agreement['expiry_date'])}; notice period "
                f"{agreement.get('notice_days') or 0} days.",
            )
        )
    for partnership in fetch(
        db,
        "SELECT * FROM partnerships WHERE established_date IS NOT "
        "NULL AND status IN ('active', 'friendship', 'proposed')",
    ):
        # A founding known only to its year or month has no day to recur on; a calendar
        # event on a made-up January 1 would be worse than none.
        established = stored_date(partnership["established_date"])
        if established is None:
            continue
        event = _event(
            f"{partnership['uid']}-anniversary",
            f"Anniversary: {partnership['partner_name']} (since {established.year})",
            stamp,
            established,
            established,
        )
        event.add("rrule", vRecur(freq="yearly"))
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def export_ics(db: Database, path: Path, since: dt.date | None = None) -> int:
    calendar = build_calendar(db, since)
    safe_write(path, calendar.to_ical())
    return len(calendar.walk("VEVENT"))
