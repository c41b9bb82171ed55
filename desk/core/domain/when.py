"""Reading a date, or a date and a time, as people in a U.S. office type them: the one
reader behind every form, the command line and imports.

What it reads: U.S. dates (3/24/1972, 3/24/72, March 24, 1972, Mar 24 1972, Friday,
March 24, 1972), ISO (1972-03-24, 2027-03-08T13:00, 2027-03-08 13:00), day-first dates
with dots as partners' papers write them (24.03.1972), a year or month alone where a
field allows it (1961, June 1961, 6/1961), and days said relative to today (today,
tomorrow, yesterday, friday, next friday, last friday, in 2 weeks, 3 days ago, next
week (its Monday), next month (its first day), end of month, end of the week), each
with an optional time (1 PM, 1:00 PM, 13:00, noon) and, after the time, a UTC offset or
a zone's abbreviation (-07:00, PDT) for the hour a clock change makes happen twice.

It guesses nothing: what is none of these is refused (`Unreadable`), so a typo never
becomes a date nobody meant. Slashes read month first, as in the U.S.; dots day first.
English month and day names are spelled out here rather than taken from the locale, so
the window reads 'March' whatever language the computer is set to.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = (
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
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_MONTH = (
    {name.casefold(): i for i, name in enumerate(MONTHS, 1)}
    | {name[:3].casefold(): i for i, name in enumerate(MONTHS, 1)}
    | {"sept": 9}
)
_WEEKDAY = (
    {name.casefold(): i for i, name in enumerate(WEEKDAYS)}
    | {name[:3].casefold(): i for i, name in enumerate(WEEKDAYS)}
    | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
)
_COUNT = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_RELATIVE_DAYS = {"today": 0, "tomorrow": 1, "yesterday": -1}
# Words that are a day or a date, never a zone's abbreviation after a time.
_DATE_WORDS = set(_MONTH) | set(_WEEKDAY) | set(_RELATIVE_DAYS) | {"next", "last", "this"}

_MONTH_RE = "|".join(sorted(_MONTH, key=len, reverse=True))
_WEEKDAY_RE = "|".join(sorted(_WEEKDAY, key=len, reverse=True))
_COUNT_RE = r"\d{1,4}|" + "|".join(_COUNT)
_UNIT_RE = r"day|week|fortnight|month|year"

# A time: needs a colon, AM/PM or a word, so that a year (1972) is never read as one.
_TIME = (
    r"(?:(?P<hour>\d{1,2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?)?"
    r"\s*(?P<half>am|pm)?|(?P<word>noon|midnight))"
)
# After a time: an offset (-07:00, -0700, Z, UTC-7) or an abbreviation (PDT), which is
# only taken to choose between the two moments a clock change gives one hour.
_MARK = r"(?P<mark>z|[+-]\d{2}(?::?\d{2})?|(?:utc|gmt)\s*[+-]\d{1,2}(?::?\d{2})?|[a-z]{2,5})"
_TIME_AT_END = re.compile(rf"^(?:(?P<date>.*?)\s+(?:at\s+)?|at\s+)?{_TIME}\s*{_MARK}?$")
_TIME_FIRST = re.compile(rf"^(?:at\s+)?{_TIME}\s*{_MARK}?\s+(?:on\s+)?(?P<date>.+)$")


class Unreadable(ValueError):
    """What was typed is none of the forms desk reads. `why` says what in particular was
    wrong, in words, when something was ('February 2027 has no day 30')."""

    def __init__(self, text: str, why: str = "") -> None:
        super().__init__(text)
        self.text = text
        self.why = why


@dataclass(frozen=True)
class Reading:
    """What was understood: a day (or a year, or a month of a year, alone), the time
    when one was typed, and the offset or abbreviation typed after it."""

    year: int
    month: int | None
    day_of_month: int | None
    time: dt.time | None = None
    mark: str | None = None

    @property
    def whole(self) -> bool:
        return self.day_of_month is not None

    @property
    def day(self) -> dt.date:
        if self.month is None or self.day_of_month is None:
            raise ValueError("a year or month alone has no day")
        return dt.date(self.year, self.month, self.day_of_month)

    @property
    def stored_date(self) -> str:
        """'1961', '1961-06' or '1961-06-21'."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day_of_month is None:
            return f"{self.year:04d}-{self.month:02d}"
        return self.day.isoformat()

    @property
    def moment(self) -> dt.datetime:
        """The day at the time typed (a naive wall-clock time)."""
        return dt.datetime.combine(self.day, self.time or dt.time())


def read(text: str, *, today: dt.date | None = None, partial: bool = True) -> Reading:
    """What `text` says, or Unreadable. `partial`: a year or month alone is read as such
    (the caller decides whether a field may hold one)."""
    today = today or dt.date.today()
    words = _normal(text)
    if not words:
        raise Unreadable(text)
    time, mark, date_part = None, None, words
    found = next(
        (m for m in (_TIME_AT_END.match(words), _TIME_FIRST.match(words)) if m and _is_time(m)),
        None,
    )
    if found:
        time = _time(found, text)
        mark = _mark(found["mark"])
        if found["mark"] and mark is None:
            # 'at 3pm fri': a day after the time, not a zone.
            found = _TIME_FIRST.match(words)
            time = _time(found, text) if found and _is_time(found) else None
            mark = None
            if found is None or time is None:
                raise Unreadable(text)
        date_part = (found["date"] or "").strip()
    if not date_part:
        if time is None:
            raise Unreadable(text)
        return Reading(today.year, today.month, today.day, time, mark)
    reading = _date(date_part, text, today, partial=partial)
    if time is not None and not reading.whole:
        raise Unreadable(text, "a time needs a whole date before it")
    return Reading(reading.year, reading.month, reading.day_of_month, time, mark)


def read_day(text: str, *, today: dt.date | None = None) -> dt.date:
    """A whole date, without a time (a midnight exported by a spreadsheet aside)."""
    reading = read(text, today=today, partial=False)
    if reading.time not in (None, dt.time()):
        raise Unreadable(text, "a date is asked for here, without a time")
    return reading.day


def _normal(text: str) -> str:
    words = str(text).strip().casefold()
    words = re.sub(r"\b([ap])\.\s*m\.?", r"\1m", words)  # a.m., p.m.
    words = re.sub(r"(?<=[a-z])\.", " ", words)  # 'Mar. 24', 'Sept. 1961'
    # ISO's 'T' between a date and its time; its 'Z' stays a mark of its own.
    words = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", words)
    words = words.replace(",", " ").replace("(", " ").replace(")", " ")  # '1:30 AM (UTC-8)'
    return " ".join(words.split())


def _is_time(found: re.Match[str]) -> bool:
    return bool(found["word"] or found["half"] or found["minute"] is not None)


def _time(found: re.Match[str], text: str) -> dt.time:
    if found["word"]:
        return dt.time(12) if found["word"] == "noon" else dt.time(0)
    hour = int(found["hour"])
    minute = int(found["minute"] or 0)
    second = int(found["second"] or 0)
    if found["half"]:
        if not 1 <= hour <= 12:
            raise Unreadable(text, f"{hour} {found['half'].upper()} is no hour on a clock")
        hour = hour % 12 + (12 if found["half"] == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise Unreadable(text, "the time is not one a clock shows")
    return dt.time(hour, minute, second)


def _mark(mark: str | None) -> str | None:
    """A mark after a time, tidied ('-07:00', 'UTC', 'PDT'); None when it is a word of a
    date instead."""
    if mark is None:
        return None
    if mark in _DATE_WORDS or mark in ("at", "on", "am", "pm"):
        return None
    return mark.upper()


def offset_of(mark: str) -> dt.timedelta | None:
    """The offset a mark gives in itself (-07:00, -0700, UTC-7, Z); None for an
    abbreviation, which only a zone can say the meaning of."""
    text = mark.strip().upper().replace(" ", "")
    if text in ("Z", "UTC", "GMT"):
        return dt.timedelta()
    found = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?", text)
    if found is None:
        return None
    hours, minutes = int(found[2]), int(found[3] or 0)
    if hours > 14 or minutes > 59:
        return None
    size = dt.timedelta(hours=hours, minutes=minutes)
    return -size if found[1] == "-" else size


def _date(words: str, text: str, today: dt.date, *, partial: bool) -> Reading:
    for reader in (_relative, _numeric, _named, _partial):
        found = reader(words, text, today)
        if found is not None:
            if not found.whole and not partial:
                raise Unreadable(text, "the day is needed here, not only the year or month")
            return found
    raise Unreadable(text)


def _whole(day: dt.date) -> Reading:
    return Reading(day.year, day.month, day.day)


def _relative(words: str, text: str, today: dt.date) -> Reading | None:
    if words in _RELATIVE_DAYS:
        return _whole(today + dt.timedelta(days=_RELATIVE_DAYS[words]))
    found = re.fullmatch(rf"(?:(this|next|last|coming)\s+)?({_WEEKDAY_RE})", words)
    if found:
        which, weekday = found[1], _WEEKDAY[found[2]]
        ahead = (weekday - today.weekday()) % 7
        if which == "last":
            return _whole(today - dt.timedelta(days=(today.weekday() - weekday) % 7 or 7))
        if which in ("next", "coming"):
            return _whole(today + dt.timedelta(days=ahead or 7))
        return _whole(today + dt.timedelta(days=ahead))  # this Friday, Friday: today on one
    found = re.fullmatch(r"(next|this|coming|last)\s+(week|month|year)", words)
    if found:
        # Next week: its Monday; next month, next year: their first day; "this week":
        # the coming Friday, what an office means by getting something done this week.
        which, unit = found[1], found[2]
        step = {"next": 1, "coming": 1, "last": -1, "this": 0}[which]
        if unit == "week":
            if which == "this":
                return _whole(today + dt.timedelta(days=(4 - today.weekday()) % 7))
            monday = today - dt.timedelta(days=today.weekday())
            return _whole(monday + dt.timedelta(weeks=step))
        if unit == "month":
            first = add_months(today.replace(day=1), step)
            return _whole(first if which != "this" else _month_end(today))
        return _whole(
            dt.date(today.year + step, 1, 1) if which != "this" else dt.date(today.year, 12, 31)
        )
    if re.fullmatch(r"(?:the\s+)?end\s+of\s+(?:the\s+)?month", words):
        return _whole(_month_end(today))
    if re.fullmatch(r"(?:the\s+)?end\s+of\s+(?:the\s+)?(?:next|coming)\s+month", words):
        return _whole(_month_end(add_months(today.replace(day=1), 1)))
    if re.fullmatch(r"(?:the\s+)?end\s+of\s+(?:the\s+)?week", words):
        return _whole(today + dt.timedelta(days=(4 - today.weekday()) % 7))
    if re.fullmatch(r"(?:the\s+)?end\s+of\s+(?:the\s+)?year", words):
        return _whole(dt.date(today.year, 12, 31))
    found = re.fullmatch(rf"in\s+({_COUNT_RE})\s+({_UNIT_RE})s?", words) or re.fullmatch(
        rf"({_COUNT_RE})\s+({_UNIT_RE})s?\s+(from\s+(?:now|today)|later|ago|before)", words
    )
    if found:
        count = int(found[1]) if found[1].isdigit() else _COUNT[found[1]]
        sign = -1 if found.lastindex == 3 and found[3] in ("ago", "before") else 1
        try:
            return _whole(_shift(today, sign * count, found[2]))
        except (OverflowError, ValueError):
            raise Unreadable(text, "that is further than any calendar goes") from None
    return None


def _month_end(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1) - dt.timedelta(days=1)


def _shift(day: dt.date, count: int, unit: str) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(weeks=count)
    if unit == "fortnight":
        return day + dt.timedelta(weeks=2 * count)
    return add_months(day, count * (12 if unit == "year" else 1))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), or the month's last day where it has
    none: a month after January 31 is the last day of February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def century(year: int, today: dt.date | None = None) -> int:
    """A two-digit year's century: the one that does not put it more than 20 years
    ahead. '6/21/61' is a founding in 1961, not 2061; '4/8/27' a visit in 2027."""
    full = 2000 + year if year < 100 else year
    return full - 100 if full > (today or dt.date.today()).year + 20 else full


def _year(digits: str, today: dt.date) -> int:
    return century(int(digits), today) if len(digits) <= 2 else int(digits)


def _day(text: str, year: int, month: int, day: int) -> Reading:
    if not 1 <= month <= 12:
        raise Unreadable(text, f"there is no month {month}")
    try:
        return _whole(dt.date(year, month, day))
    except ValueError:
        raise Unreadable(text, f"{MONTHS[month - 1]} {year} has no day {day}") from None


def _numeric(words: str, text: str, today: dt.date) -> Reading | None:
    found = re.fullmatch(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})", words)
    if found:
        return _day(text, int(found[1]), int(found[2]), int(found[3]))
    found = re.fullmatch(r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?", words)
    if found:
        year = _year(found[3], today) if found[3] else today.year
        month, day = int(found[1]), int(found[2])
        if month > 12 and 1 <= day <= 12:
            raise Unreadable(text, f"slashes read the month first, as in {day}/{month}/{year}")
        return _day(text, year, month, day)
    found = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{4})", words)
    if found:
        first, second = int(found[1]), int(found[2])
        # Month first, as with slashes; day first only where the first cannot be a month
        # (21-06-1961).
        month, day = (second, first) if first > 12 else (first, second)
        return _day(text, int(found[3]), month, day)
    found = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", words)
    if found:  # dots: day first, as in partners' papers
        return _day(text, int(found[3]), int(found[2]), int(found[1]))
    return None


_ORDINAL = r"(\d{1,2})(?:st|nd|rd|th)?"


def _named(words: str, text: str, today: dt.date) -> Reading | None:
    weekday = rf"(?:({_WEEKDAY_RE})\s+)?"
    found = re.fullmatch(rf"{weekday}({_MONTH_RE})\s+{_ORDINAL}(?:\s+(\d{{4}}|'\d{{2}}))?", words)
    if found:
        named_day, month, day, year = found[1], found[2], found[3], found[4]
        if year is None and int(day) > 31:
            return None  # 'June 61': a month of a year, read below
    else:
        found = re.fullmatch(
            rf"{weekday}(?:the\s+)?{_ORDINAL}\s+(?:of\s+)?({_MONTH_RE})(?:\s+(\d{{4}}))?", words
        )
        if found is None:
            return None
        named_day, day, month, year = found[1], found[2], found[3], found[4]
    reading = _day(
        text,
        _year(year.lstrip("'"), today) if year else today.year,
        _MONTH[month],
        int(day),
    )
    if named_day is not None and reading.day.weekday() != _WEEKDAY[named_day]:
        said = f"{MONTHS[reading.day.month - 1]} {reading.day.day}, {reading.day.year}"
        raise Unreadable(
            text,
            f"{said} is a {WEEKDAYS[reading.day.weekday()]}, not a {WEEKDAYS[_WEEKDAY[named_day]]}",
        )
    return reading


def _partial(words: str, text: str, today: dt.date) -> Reading | None:
    if re.fullmatch(r"\d{4}", words):
        return Reading(int(words), None, None)
    found = re.fullmatch(r"(\d{4})[-/](\d{1,2})", words) or re.fullmatch(
        r"(\d{1,2})[-/](\d{4})", words
    )
    if found:
        year, month = (found[1], found[2]) if len(found[1]) == 4 else (found[2], found[1])
        if not 1 <= int(month) <= 12:
            raise Unreadable(text, f"there is no month {int(month)}")
        return Reading(int(year), int(month), None)
    # 'June 1961', 'June of 1961', and 'Jun-61' as a spreadsheet shows a month ('June 24'
    # is a day of this year, read above).
    found = re.fullmatch(rf"({_MONTH_RE})(?:\s+of)?\s+(\d{{4}})", words) or re.fullmatch(
        rf"({_MONTH_RE})\s*[-'\s]\s*(\d{{2}}|\d{{4}})", words
    )
    if found:
        return Reading(_year(found[2], today), _MONTH[found[1]], None)
    return None
