"""Itinerary times: local wall-clock time in the item's zone, and the same moment at home."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from desk.core.domain.dates import local_zone, short_day_time, utc_offset, wall_clock
from desk.core.store.db import Database


def home_zone(db: Database) -> str:
    """The city's home time zone; this computer's until the city has said its own."""
    row = db.execute("SELECT time_zone FROM city_profile LIMIT 1").fetchone()
    return row[0] if row and row[0] else local_zone()


def local_text(starts_at: str | None, zone: str | None) -> str:
    """'Mon, Apr 5, 10:00 AM (UTC+9)': the wall clock where it happens, with an offset
    nobody misreads ('CST' is Chicago, Shanghai and Taipei)."""
    if not starts_at:
        return ""
    moment = dt.datetime.fromisoformat(starts_at)
    offset = f" ({utc_offset(zone, moment)})" if zone else ""
    return f"{short_day_time(moment)}{offset}"


def home_text(starts_at: str | None, zone: str | None, home: str) -> str:
    """The same moment on the clock at home: 'Sun, Apr 4, 6:00 PM (UTC-7)'."""
    if not starts_at or not zone:
        return ""
    moment = wall_clock(starts_at, zone)
    there = moment.astimezone(ZoneInfo(home)).replace(tzinfo=None)
    return f"{short_day_time(there)} ({utc_offset(home, there)})"
