"""Dates and times as a U.S. office writes them, in one style everywhere desk shows them.

Long: "Tuesday, April 8, 2025". Short: "4/8/2025". Times: "10:02 AM". Stored values are
ISO-8601; moments (operation times, backups) are stored in UTC and shown in local time.
"""

from __future__ import annotations

import contextlib
import datetime as dt

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10])


def long_date(value: dt.date | str) -> str:
    day = _as_date(value)
    return f"{_DAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}, {day.year}"


def month_name(value: dt.date | str) -> str:
    return _MONTHS[_as_date(value).month - 1]


def weekday_month_day(value: dt.date | str) -> str:
    """'Tuesday, April 8': a day within a trip, where the year goes without saying."""
    day = _as_date(value)
    return f"{_DAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}"


def month_day_year(value: dt.date | str) -> str:
    """'April 8, 2025': a date in running text, without the weekday."""
    day = _as_date(value)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def short_date(value: dt.date | str) -> str:
    day = _as_date(value)
    return f"{day.month}/{day.day}/{day.year}"


def clock(moment: dt.datetime | dt.time) -> str:
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


def local_moment(stamp: str | dt.datetime) -> dt.datetime:
    """A stored UTC moment in this computer's time zone."""
    moment = dt.datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone()


def short_moment(stamp: str | dt.datetime) -> str:
    """'4/8/2025 10:02 AM' in local time."""
    return short_when(local_moment(stamp))


def long_when(moment: dt.datetime) -> str:
    """'Tuesday, April 8, 2025 10:02 AM'."""
    return f"{long_date(moment)} {clock(moment)}"


def short_when(moment: dt.datetime) -> str:
    """'4/8/2025 10:02 AM'."""
    return f"{short_date(moment)} {clock(moment)}"


def stored_moment(text: str | None) -> str:
    """A stored moment (UTC, ISO) as this computer's clock reads it: '4/8/2025 10:02 AM'.
    Empty when there is none; as stored when it cannot be read."""
    if not text:
        return ""
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return short_when(moment.astimezone())


def stored_date(text: str | None) -> dt.date | None:
    """A stored ISO date (or the date of a stored moment); None when empty or unreadable,
    so one odd value from before validation was strict never stops a page."""
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def utc_offset(zone: str, at: dt.datetime) -> str:
    """'UTC+9', 'UTC-3', 'UTC+5:30', 'UTC': the offset of a zone at a moment."""
    from zoneinfo import ZoneInfo

    offset = at.replace(tzinfo=ZoneInfo(zone)).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def short_day_time(moment: dt.datetime) -> str:
    """'Mon, Apr 5, 10:00 AM': a moment within a trip, where the year goes without
    saying."""
    day = f"{_DAYS[moment.weekday()][:3]}, {_MONTHS[moment.month - 1][:3]} {moment.day}"
    return f"{day}, {clock(moment)}"


def local_zone() -> str:
    """This computer's time zone by name (America/Chicago), for a city that has not said
    its own yet; UTC when the system does not say."""
    import os
    from pathlib import Path
    from zoneinfo import ZoneInfo

    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = str(Path("/etc/localtime").resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ValueError, KeyError, OSError):
            continue
        return name
    return "UTC"


def zone_label(zone: str, at: dt.datetime | None = None, place: str | None = None) -> str:
    """'Tokyo (UTC+9)', 'Sao Paulo (UTC-3)': a place and an offset nobody misreads, where
    abbreviations are ambiguous ('CST' is Taipei, Shanghai and Chicago) or absent ('+04').
    `place` names the clock where the zone's own city would mislead (a home city that is
    not Los Angeles)."""
    moment = (at or dt.datetime.now()).replace(tzinfo=None)
    utc = utc_offset(zone, moment)
    place = place or zone.rsplit("/", 1)[-1].replace("_", " ")
    return utc if zone in ("UTC", "Etc/UTC") else f"{place} ({utc})"


# Whole dates as people type them in the U.S. and in partners' own papers. Month first
# for slashes (the U.S. reading); day first for dots, as in Europe.
_TYPED_FORMATS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%m-%d-%Y",
    "%d-%m-%Y",  # only when the first number cannot be a month (21-06-1961)
    "%d.%m.%Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%A %B %d %Y",
    "%a %b %d %Y",
)


def parse_typed(text: str) -> dt.date:
    """A whole date as typed: 2025-04-08, 4/8/2025, 4/8/25, April 8, 2025, 8 April 2025,
    Tuesday, April 8, 2025, 08.04.2025. ValueError when it is none of these."""
    words = " ".join(text.replace(",", " ").replace("Sept ", "Sep ").split())
    for pattern in _TYPED_FORMATS:
        try:
            return dt.datetime.strptime(words, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
