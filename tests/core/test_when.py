"""One reader of dates and times for every surface: U.S. and ISO forms, days said
relative to today, a time after or before the day, and nothing guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from desk.core.domain import dates, when

# A Sunday, so that 'friday' and 'next friday' are days ahead of it.
TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("typed", "day", "time"),
    [
        ("3/24/1972", "1972-03-24", None),
        ("3/24/72", "1972-03-24", None),
        ("March 24, 1972", "1972-03-24", None),
        ("Mar 24 1972", "1972-03-24", None),
        ("Mar. 24, 1972", "1972-03-24", None),
        ("Friday, March 24, 1972", "1972-03-24", None),
        ("24th of March 1972", "1972-03-24", None),
        ("1972-03-24", "1972-03-24", None),
        ("24.03.1972", "1972-03-24", None),
        ("2027-03-08T13:00", "2027-03-08", "13:00"),
        ("2027-03-08 13:00", "2027-03-08", "13:00"),
        ("2027-03-08T13:00:00", "2027-03-08", "13:00"),
        ("3/8/2027 1:00 PM", "2027-03-08", "13:00"),
        ("3/8/2027 1:00 p.m.", "2027-03-08", "13:00"),
        ("today", "2026-12-06", None),
        ("tomorrow", "2026-12-07", None),
        ("yesterday", "2026-12-05", None),
        ("friday", "2026-12-11", None),
        ("next friday", "2026-12-11", None),
        ("last friday", "2026-12-04", None),
        ("sunday", "2026-12-06", None),
        ("next sunday", "2026-12-13", None),
        ("in 2 weeks", "2026-12-20", None),
        ("in 3 days", "2026-12-09", None),
        ("in a month", "2027-01-06", None),
        ("2 weeks ago", "2026-11-22", None),
        ("tomorrow 3pm", "2026-12-07", "15:00"),
        ("tomorrow at 3 PM", "2026-12-07", "15:00"),
        ("3pm tomorrow", "2026-12-07", "15:00"),
        ("next friday 9:30 am", "2026-12-11", "09:30"),
        ("1 PM", "2026-12-06", "13:00"),
        ("12 AM", "2026-12-06", "00:00"),
        ("noon friday", "2026-12-11", "12:00"),
        ("March 24", "2026-03-24", None),
    ],
)
def test_what_is_read(typed: str, day: str, time: str | None) -> None:
    reading = when.read(typed, today=TODAY)
    assert reading.stored_date == day
    assert (reading.time.strftime("%H:%M") if reading.time else None) == time
    assert reading.mark is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1961", "1961"), ("June 1961", "1961-06"), ("Jun-61", "1961-06"), ("6/1961", "1961-06")],
)
def test_a_year_or_month_alone_where_a_field_takes_one(typed: str, stored: str) -> None:
    assert when.read(typed, today=TODAY).stored_date == stored
    with pytest.raises(when.Unreadable) as caught:
        when.read(typed, today=TODAY, partial=False)
    assert "the day is needed" in caught.value.why


@pytest.mark.parametrize(
    ("typed", "mark", "offset"),
    [
        ("11/1/2026 1:30 AM PST", "PST", None),
        ("2026-11-01T01:30-08:00", "-08:00", dt.timedelta(hours=-8)),
        ("2026-11-01 01:30 -0700", "-0700", dt.timedelta(hours=-7)),
        ("11/1/2026 1:30 AM (UTC-8)", "UTC-8", dt.timedelta(hours=-8)),
        ("2026-11-01T09:30Z", "Z", dt.timedelta()),
    ],
)
def test_an_offset_or_abbreviation_after_the_time(
    typed: str, mark: str, offset: dt.timedelta | None
) -> None:
    reading = when.read(typed, today=TODAY)
    assert reading.mark == mark
    assert when.offset_of(mark) == offset


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("the sixties", ""),
        ("next blursday", ""),
        ("in 2 blursdays", ""),
        ("sometime", ""),
        ("3", ""),
        ("1 2 3", ""),
        ("spring 1972", ""),
        ("2/30/2027", "February 2027 has no day 30"),
        ("13/1972", "there is no month 13"),
        ("24/3/1972", "slashes read the month first, as in 3/24/1972"),
        ("Monday, March 24, 1972", "March 24, 1972 is a Friday, not a Monday"),
        ("13 PM", "13 PM is no hour on a clock"),
        ("2024-05-31T25:00", "the time is not one a clock shows"),
    ],
)
def test_what_is_not_a_date_is_refused_never_guessed(typed: str, why: str) -> None:
    with pytest.raises(when.Unreadable) as caught:
        when.read(typed, today=TODAY)
    assert caught.value.why == why


def test_a_two_digit_year_is_never_more_than_twenty_years_ahead() -> None:
    assert when.read("6/21/61", today=TODAY).stored_date == "1961-06-21"
    assert when.read("4/8/27", today=TODAY).stored_date == "2027-04-08"


def test_a_date_field_refuses_a_time_but_takes_a_spreadsheets_midnight() -> None:
    assert dates.parse_typed("2024-05-31 00:00:00") == dt.date(2024, 5, 31)
    with pytest.raises(ValueError):
        dates.parse_typed("2024-05-31 14:30")
    with pytest.raises(ValueError):
        dates.parse_partial("tomorrow 3pm")


def test_month_names_do_not_depend_on_the_computers_language() -> None:
    import locale

    before = locale.setlocale(locale.LC_TIME)
    for name in ("de_DE.UTF-8", "fr_FR.UTF-8", "es_ES.UTF-8"):
        try:
            locale.setlocale(locale.LC_TIME, name)
            break
        except locale.Error:
            continue
    else:
        pytest.skip("no other language installed to try")
    try:
        assert dates.parse_typed("Friday, March 24, 1972") == dt.date(1972, 3, 24)
    finally:
        locale.setlocale(locale.LC_TIME, before)


# -- clock changes ------------------------------------------------------------------------

LA = "America/Los_Angeles"


def test_a_time_the_clock_skips_is_refused_in_words() -> None:
    with pytest.raises(ValueError) as caught:
        dates.place_in_zone(dt.datetime(2027, 3, 14, 2, 30), LA)
    assert str(caught.value) == (
        "2:30 AM does not exist on March 14, 2027 in Los Angeles: clocks go forward from "
        "2:00 to 3:00 AM"
    )


def test_a_repeated_hour_is_refused_unsaid_naming_both_offsets() -> None:
    with pytest.raises(ValueError) as caught:
        dates.place_in_zone(dt.datetime(2026, 11, 1, 1, 30), LA)
    said = str(caught.value)
    assert said.startswith("1:30 AM on November 1, 2026 happens twice in Los Angeles")
    assert "clocks go back from 2:00 to 1:00 AM" in said
    assert "1:30 AM PDT (-07:00) for the first" in said
    assert "1:30 AM PST (-08:00) for the second" in said


@pytest.mark.parametrize(
    ("mark", "stored"),
    [
        ("PDT", "2026-11-01T01:30-07:00"),
        ("PST", "2026-11-01T01:30-08:00"),
        ("-08:00", "2026-11-01T01:30-08:00"),
        ("UTC-7", "2026-11-01T01:30-07:00"),
    ],
)
def test_a_repeated_hour_said_which_keeps_its_offset(mark: str, stored: str) -> None:
    wall = dt.datetime(2026, 11, 1, 1, 30)
    assert dates.place_in_zone(wall, LA, mark) == stored
    # ...and every reader takes it as that moment, not the wall clock's first.
    moment = dates.wall_clock(stored, LA)
    assert moment.utcoffset() == when.offset_of(dates.offset_text(moment.utcoffset()))
    assert dates.offset_text(moment.utcoffset()) == stored[-6:]
    assert dates.utc_offset(LA, dt.datetime.fromisoformat(stored)) == (
        "UTC-7" if stored.endswith("-07:00") else "UTC-8"
    )


def test_an_ordinary_time_is_stored_without_an_offset_and_a_wrong_one_is_refused() -> None:
    wall = dt.datetime(2027, 3, 8, 13, 0)
    assert dates.place_in_zone(wall, LA) == "2027-03-08T13:00"
    assert dates.place_in_zone(wall, LA, "PST") == "2027-03-08T13:00"
    with pytest.raises(ValueError, match=r"is PST \(-08:00\), not EST"):
        dates.place_in_zone(wall, LA, "EST")


def test_a_zone_east_of_greenwich_and_a_half_hour_change() -> None:
    berlin = dates.place_in_zone(dt.datetime(2026, 10, 25, 2, 30), "Europe/Berlin", "CET")
    assert berlin == "2026-10-25T02:30+01:00"
    with pytest.raises(ValueError, match="clocks go forward from 2:00 to 2:30 AM"):
        dates.place_in_zone(dt.datetime(2026, 10, 4, 2, 15), "Australia/Lord_Howe")


@pytest.mark.parametrize(
    ("stored", "zone", "short", "words"),
    [
        ("2027-04-13T12:00", LA, "4/13/2027 12:00 PM", "Tuesday, April 13, 2027, 12:00 PM"),
        (
            "2026-11-01T01:30-08:00",
            LA,
            "11/1/2026 1:30 AM PST",
            "Sunday, November 1, 2026, 1:30 AM PST",
        ),
        ("2026-11-01T01:30-08:00", None, "11/1/2026 1:30 AM (UTC-8)", None),
        ("2026-12-11", None, "12/11/2026", "Friday, December 11, 2026"),
        ("1961-06", None, "6/1961", "June 1961"),
    ],
)
def test_stored_values_read_the_us_way_never_iso(
    stored: str, zone: str | None, short: str, words: str | None
) -> None:
    assert dates.stored_text(stored, zone) == short
    assert when.read(short).stored_date == stored[:10]  # and read back as typed
    if words is not None:
        assert dates.in_words(stored, zone) == words


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("next week", "2026-12-07"),  # a Sunday: next week begins tomorrow
        ("this week", "2026-12-11"),  # its Friday
        ("end of the week", "2026-12-11"),
        ("last week", "2026-11-23"),
        ("next month", "2027-01-01"),
        ("end of month", "2026-12-31"),
        ("end of the month", "2026-12-31"),
        ("end of next month", "2027-01-31"),
        ("next year", "2027-01-01"),
        ("end of year", "2026-12-31"),
    ],
)
def test_weeks_months_and_their_ends_as_an_office_says_them(typed: str, day: str) -> None:
    assert when.read_day(typed, today=dt.date(2026, 12, 6)).isoformat() == day
