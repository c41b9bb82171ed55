"""Dates and times as a U.S. office writes them, in one style everywhere desk shows them.

Long: "Tuesday, April 8, 2025". Short: "4/8/2025". Times: "10:02 AM". Stored values are
ISO-8601; moments (operation times, backups) are stored in UTC and shown in local time.
"""

from __future__ import annotations

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


def relative_days(days: int) -> str:
    """'today', 'tomorrow', 'in 3 days', 'yesterday', '12 days ago'."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days:,} days" if days > 0 else f"{-days:,} days ago"


def zone_label(zone: str, at: dt.datetime | None = None, place: str | None = None) -> str:
    """'Tokyo (UTC+9)', 'Sao Paulo (UTC-3)': a place and an offset nobody misreads, where
    abbreviations are ambiguous ('CST' is Taipei, Shanghai and Chicago) or absent ('+04').
    `place` names the clock where the zone's own city would mislead (a home city that is
    not Los Angeles)."""
    from zoneinfo import ZoneInfo

    moment = (at or dt.datetime.now()).replace(tzinfo=None)
    offset = moment.replace(tzinfo=ZoneInfo(zone)).utcoffset() or dt.timedelta()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "") if minutes else "UTC"
    place = place or zone.rsplit("/", 1)[-1].replace("_", " ")
    return utc if zone in ("UTC", "Etc/UTC") else f"{place} ({utc})"
