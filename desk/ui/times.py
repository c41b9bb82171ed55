"""Itinerary times: local wall-clock time in the item's zone, and the same moment at home."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from desk.core.db import Database

DEFAULT_HOME_ZONE = "America/New_York"


def home_zone(db: Database) -> str:
    row = db.execute("SELECT time_zone FROM city_profile LIMIT 1").fetchone()
    return row[0] if row and row[0] else DEFAULT_HOME_ZONE


def local_text(starts_at: str | None, zone: str | None) -> str:
    if not starts_at:
        return ""
    moment = dt.datetime.fromisoformat(starts_at)
    abbreviation = moment.replace(tzinfo=ZoneInfo(zone)).tzname() if zone else ""
    return f"{moment:%a %d %b %H:%M} {abbreviation}".strip()


def home_text(starts_at: str | None, zone: str | None, home: str) -> str:
    """The same moment on the clock at home, e.g. 'Mon 02 Dec 16:00 PST'."""
    if not starts_at or not zone:
        return ""
    moment = dt.datetime.fromisoformat(starts_at).replace(tzinfo=ZoneInfo(zone))
    there = moment.astimezone(ZoneInfo(home))
    return f"{there:%a %d %b %H:%M} {there.tzname()}"
