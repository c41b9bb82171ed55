"""Dates and times as a U.S. office writes them, in one style everywhere desk shows them.

Long: "Tuesday, April 8, 2025". Short: "4/8/2025". Times: "10:02 AM". Stored values are
ISO-8601; moments (operation times, backups) are stored in UTC and shown in local time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from desk.core.domain import when

# One spelling of the months and days, the reader's and the writer's.
_MONTHS = when.MONTHS
_DAYS = when.WEEKDAYS


# A date the office knows only to its year or month ("1961", "June 1961") is stored in
# ISO-8601's reduced precision ("1961", "1961-06"): it sorts among whole dates, and no
# made-up January 1 ever reaches a page, a count or an anniversary.
_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?")


def partial_parts(stored: object) -> tuple[int, int | None] | None:
    """(1961, None) for '1961', (1961, 6) for '1961-06'; None for anything else,
    a whole date included."""
    if not isinstance(stored, str):
        return None
    found = _PARTIAL.fullmatch(stored.strip())
    if found is None:
        return None
    month = int(found[2]) if found[2] else None
    if month is not None and not 1 <= month <= 12:
        return None
    return int(found[1]), month


def is_partial(stored: object) -> bool:
    return partial_parts(stored) is not None


def _partial_text(value: object, *, short: bool = False) -> str | None:
    parts = partial_parts(value)
    if parts is None:
        return None
    year, month = parts
    if month is None:
        return str(year)
    return f"{month}/{year}" if short else f"{_MONTHS[month - 1]} {year}"


def first_day(stored: str) -> dt.date:
    """The earliest day a stored date can mean: 1961-01-01 for '1961'."""
    parts = partial_parts(stored)
    if parts is None:
        return dt.date.fromisoformat(stored[:10])
    return dt.date(parts[0], parts[1] or 1, 1)


def last_day(stored: str) -> dt.date:
    """The latest day a stored date can mean: 1961-12-31 for '1961'."""
    parts = partial_parts(stored)
    if parts is None:
        return dt.date.fromisoformat(stored[:10])
    year, month = parts
    following = dt.date(year + (month or 12) // 12, (month or 12) % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def year_of(stored: str | None) -> int | None:
    """The year of a stored date, whole or partial; None when empty or unreadable."""
    if not stored or not stored[:4].isdigit():
        return None
    return int(stored[:4])


def first_day_sql(column: str) -> str:
    """SQL for the earliest day a stored date can mean, for comparisons with a day:
    '1961' alone sorts before '1961-01-01' and would fall outside its own year."""
    return f"substr({column} || '-01-01', 1, 10)"


def last_day_sql(column: str) -> str:
    """SQL for the latest day a stored date can mean ('1961-06' reads as '1961-06-31',
    which sorts after every day of that June and before July)."""
    return f"({column} || substr('-12-31', length({column}) - 3))"


def years_since(stored: str | None, on: dt.date) -> int | None:
    """Whole years from a stored date to `on`; for a date known only to its year, the
    years counted by calendar year (1961 to 2026 is 65). None when it cannot be read."""
    parts = partial_parts(stored)
    if parts is not None:
        year, month = parts
        return on.year - year - (month is not None and on.month < month)
    start = stored_date(stored)
    if start is None:
        return None
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def anniversary(stored: str | None, on: dt.date) -> tuple[str, int] | None:
    """The first anniversary on or after `on` (within its year or month for a partial
    date): ('April 8, 2026', 65), ('June 2026', 65), ('2026', 65). None before the
    first one or when the date cannot be read."""
    parts = partial_parts(stored)
    if parts is not None:
        year, month = parts
        if month is None:
            when_year, text = on.year, str(on.year)
        else:
            when_year = on.year if month >= on.month else on.year + 1
            text = f"{_MONTHS[month - 1]} {when_year}"
        return (text, when_year - year) if when_year > year else None
    start = stored_date(stored)
    if start is None:
        return None
    for year in (on.year, on.year + 1):
        day = anniversary_day(start, year)
        if day >= on and year > start.year:
            return month_day_year(day), year - start.year
    return None


def anniversary_day(start: dt.date, year: int) -> dt.date:
    """The day a date comes round in `year`: 29 February is kept on 28 February in
    common years."""
    try:
        return start.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def in_year(stored: str | None, year: int) -> str | None:
    """Where a stored date comes round in `year`, as a stored date: the day ('2026-06-21'),
    or the year or month alone for a date known only to that ('2026', '2026-06'). None
    when it cannot be read."""
    parts = partial_parts(stored)
    if parts is not None:
        return f"{year:04d}" + (f"-{parts[1]:02d}" if parts[1] else "")
    start = stored_date(stored)
    return None if start is None else anniversary_day(start, year).isoformat()


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value[:10])


def long_date(value: dt.date | str) -> str:
    if (partial := _partial_text(value)) is not None:
        return partial
    day = _as_date(value)
    return f"{_DAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}, {day.year}"


def month_year(year: int, month: int) -> str:
    """'June 2026'."""
    return f"{_MONTHS[month - 1]} {year}"


def month_name(value: dt.date | str) -> str:
    return _MONTHS[_as_date(value).month - 1]


def weekday_month_day(value: dt.date | str) -> str:
    """'Tuesday, April 8': a day within a trip, where the year goes without saying."""
    if (partial := _partial_text(value)) is not None:
        return partial
    day = _as_date(value)
    return f"{_DAYS[day.weekday()]}, {_MONTHS[day.month - 1]} {day.day}"


def month_day(value: dt.date | str) -> str:
    """'March 14': a day within a visit, where the year goes without saying."""
    day = _as_date(value)
    return f"{_MONTHS[day.month - 1]} {day.day}"


def month_day_year(value: dt.date | str) -> str:
    """'April 8, 2025' in running text, without the weekday; 'June 1961' or '1961' for a
    date known only to its month or year."""
    if (partial := _partial_text(value)) is not None:
        return partial
    day = _as_date(value)
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def short_date(value: dt.date | str) -> str:
    """'4/8/2025'; '6/1961' and '1961' for dates known only to their month or year."""
    if (partial := _partial_text(value, short=True)) is not None:
        return partial
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


def readable(stored: str | None) -> str:
    """A stored date, whole or partial, in running text ('April 8, 2025', 'June 1961',
    '1961'); empty when there is none, and as stored when it cannot be read."""
    if not stored:
        return ""
    try:
        return month_day_year(stored)
    except ValueError:
        return stored


def on_date(stored: str | None) -> str:
    """'on April 8, 2025', or 'in June 1961' and 'in 1961' for a date known only to its
    month or year; empty when there is none."""
    if not stored:
        return ""
    return f"{'in' if is_partial(stored) else 'on'} {readable(stored)}"


def utc_offset(zone: str, at: dt.datetime) -> str:
    """'UTC+9', 'UTC-3', 'UTC+5:30', 'UTC': the offset of a zone at a moment."""
    from zoneinfo import ZoneInfo

    # An aware moment (a repeated hour stored with its offset) is the one it names; a
    # naive one is the wall clock's first.
    there = ZoneInfo(zone)
    moment = at.astimezone(there) if at.tzinfo is not None else at.replace(tzinfo=there)
    return _utc_words(moment.utcoffset())


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
    # An aware moment (a repeated hour kept with its offset) keeps the offset it names.
    moment = at or dt.datetime.now()
    utc = utc_offset(zone, moment)
    place = place or zone_city(zone)
    return utc if zone in ("UTC", "Etc/UTC") else f"{place} ({utc})"


# Dates as people type them are read by one reader, `when`, everywhere: forms, the
# command line, imports.


def parse_typed(text: str) -> dt.date:
    """A whole date as typed: 2025-04-08, 4/8/2025, 4/8/25, April 8, 2025, 8 April 2025,
    Tuesday, April 8, 2025, 08.04.2025, tomorrow, next friday, in 2 weeks. ValueError
    (when.Unreadable, which says why where it can) when it is none of these."""
    return when.read_day(text)


def _century(year: int) -> int:
    return when.century(year)


def parse_partial(text: str) -> str:
    """A date as typed where the office may know only its year or month: '1961',
    'June 1961', 'Jun 1961', '6/1961', '1961-06', or any whole date parse_typed reads.
    Stored form: '1961', '1961-06' or '1961-06-21'. ValueError when it is none of these."""
    reading = when.read(text, partial=True)
    if reading.time not in (None, dt.time()):
        raise when.Unreadable(text, "a date is asked for here, without a time")
    return reading.stored_date


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), or the month's last day where it has
    none: a month after January 31 is the last day of February."""
    return when.add_months(day, months)


# -- local times and clock changes ---------------------------------------------------------
#
# An itinerary time is a wall-clock time in its zone, stored without an offset
# ("2027-03-08T13:00"): what the program says, whatever the zone's rules do later. Only
# the hour a clock change makes happen twice keeps its offset ("2026-11-01T01:30-08:00",
# the second 1:30 AM), so that it is one moment; every reader goes through wall_clock.


def stored_wall(stored: str) -> dt.datetime:
    """The wall-clock time a stored local time says, without its offset."""
    return dt.datetime.fromisoformat(stored).replace(tzinfo=None)


def wall_clock(stored: str, zone: str | None) -> dt.datetime:
    """A stored local time as a moment in its zone (aware), the one of a repeated hour
    its offset names; naive when there is no zone."""
    moment = dt.datetime.fromisoformat(stored)
    if not zone:
        return moment.replace(tzinfo=None)
    from zoneinfo import ZoneInfo

    there = ZoneInfo(zone)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=there)
    return moment.astimezone(there)


def moments_at(wall: dt.datetime, zone: str) -> list[dt.datetime]:
    """Every moment a wall-clock time names in a zone: one; two in the hour a clock
    change repeats (the earlier first); none in the hour it skips."""
    from zoneinfo import ZoneInfo

    there = ZoneInfo(zone)
    found: list[dt.datetime] = []
    for fold in (0, 1):
        moment = wall.replace(tzinfo=there, fold=fold).astimezone(dt.UTC).astimezone(there)
        if moment.replace(tzinfo=None, fold=0) != wall.replace(tzinfo=None, fold=0):
            continue  # a time the clock skips comes back as another
        if all(moment.utcoffset() != other.utcoffset() for other in found):
            found.append(moment)
    return sorted(found, key=lambda m: m.astimezone(dt.UTC))


def offset_text(offset: dt.timedelta | None) -> str:
    """'-08:00', '+05:30': an offset as ISO writes it after a time."""
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _utc_words(offset: dt.timedelta | None) -> str:
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def clock_mark(moment: dt.datetime) -> str:
    """How a moment's offset is said after its time: 'PST' where the zone has a name
    for it, 'UTC+4' where it has none ('+04')."""
    name = moment.tzname() or ""
    return name if name.isalpha() and name.isupper() else _utc_words(moment.utcoffset())


def zone_city(zone: str) -> str:
    """'Los Angeles' for America/Los_Angeles: how a zone is named in a sentence."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def _clock_change(wall: dt.datetime, zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The wall-clock times on either side of the change nearest `wall`: (2:00 AM,
    3:00 AM) for the spring change, (2:00 AM, 1:00 AM) for the fall one."""
    from zoneinfo import ZoneInfo

    there = ZoneInfo(zone)
    start = (wall - dt.timedelta(hours=3)).replace(tzinfo=there).astimezone(dt.UTC)
    before = start.astimezone(there).utcoffset()
    for minute in range(0, 6 * 60 + 1, 15):
        instant = start + dt.timedelta(minutes=minute)
        after = instant.astimezone(there).utcoffset()
        if after != before:
            naive = instant.replace(tzinfo=None)
            return naive + (before or dt.timedelta()), naive + (after or dt.timedelta())
    raise ValueError(f"no clock change near {wall} in {zone}")


def _hour_words(moment: dt.datetime, other: dt.datetime) -> str:
    """'2:00' beside '3:00 AM': the half of the day said once when both share it."""
    text = clock(moment)
    return text[:-3] if text[-2:] == clock(other)[-2:] else text


def place_in_zone(wall: dt.datetime, zone: str, mark: str | None = None) -> str:
    """The stored form of a wall-clock time in a zone ('2027-03-08T13:00', or with the
    offset for a repeated hour), or ValueError saying in words why it cannot be: a time
    the clock skips, a repeated hour without a mark saying which, a mark that is not the
    zone's."""
    wall = wall.replace(tzinfo=None, fold=0, second=0, microsecond=0)
    plain = wall.strftime("%Y-%m-%dT%H:%M")
    every = found = moments_at(wall, zone)
    where = zone_city(zone)
    said = f"{clock(wall)} on {month_day_year(wall)}"
    if not found:
        skipped, landed = _clock_change(wall, zone)
        raise ValueError(
            f"{clock(wall)} does not exist on {month_day_year(wall)} in {where}: clocks go "
            f"forward from {_hour_words(skipped, landed)} to {clock(landed)}"
        )
    if mark:
        wanted = when.offset_of(mark)
        chosen = [
            m
            for m in found
            if (m.utcoffset() == wanted if wanted is not None else m.tzname() == mark.upper())
        ]
        if not chosen:
            kept = " or ".join(f"{clock_mark(m)} ({offset_text(m.utcoffset())})" for m in found)
            raise ValueError(
                f"{said} in {where} is {kept}, not {mark}; give the time without it, or "
                "with the zone's own"
            )
        found = chosen[:1]
    if len(found) == 1:
        return plain if len(every) == 1 else plain + offset_text(found[0].utcoffset())
    first, second = found
    back_from, back_to = _clock_change(wall, zone)
    raise ValueError(
        f"{said} happens twice in {where}: clocks go back from "
        f"{_hour_words(back_from, back_to)} to {clock(back_to)}. Say which: "
        f"{clock(wall)} {clock_mark(first)} ({offset_text(first.utcoffset())}) for the "
        f"first, {clock(wall)} {clock_mark(second)} ({offset_text(second.utcoffset())}) "
        "for the second"
    )


def stored_text(stored: str | None, zone: str | None = None) -> str:
    """A stored date or local time as a person reads and types it back, the U.S. way:
    '4/13/2027', '6/1961', '4/13/2027 12:00 PM', '11/1/2026 1:30 AM PST' (a repeated
    hour with its offset, named by `zone` when it has a name for it, else
    '(UTC-8)'). Empty for none; as stored when it cannot be read."""
    if not stored:
        return ""
    try:
        if is_partial(stored) or len(stored) <= 10:
            return short_date(stored)
        moment = dt.datetime.fromisoformat(stored)
    except ValueError:
        return stored
    text = short_when(moment)
    if moment.tzinfo is None:
        return text
    if zone:
        try:
            return f"{text} {clock_mark(wall_clock(stored, zone))}"
        except (ValueError, KeyError, OSError):
            pass
    return f"{text} ({_utc_words(moment.utcoffset())})"


def in_words(stored: str, zone: str | None = None) -> str:
    """A stored date or local time in words, as a form says back what it understood:
    'Friday, December 11, 2026', 'June 1961', 'Friday, December 11, 2026, 3:00 PM',
    'Sunday, November 1, 2026, 1:30 AM PST'."""
    if is_partial(stored) or len(stored) <= 10:
        return long_date(stored)
    moment = dt.datetime.fromisoformat(stored)
    text = f"{long_date(moment)}, {clock(moment)}"
    if moment.tzinfo is None:
        return text
    if zone:
        return f"{text} {clock_mark(wall_clock(stored, zone))}"
    return f"{text} ({_utc_words(moment.utcoffset())})"
