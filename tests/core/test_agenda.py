"""Today's agenda: sections by date, relative days, each item's parent, warnings for a
troubled partnership, round anniversaries a year ahead, relationships going quiet, and
ticking off in place."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import random

import pytest

from desk import cli
from desk.core.domain.words import ago, counted, due_in
from desk.core.features import agenda
from desk.core.store import records, undo
from desk.core.store.db import Database

TODAY = dt.date(2026, 12, 5)


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def city(db: Database) -> Database:
    kobe = records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": "2002-03-20"},
    ).id
    records.create(
        db,
        "status_change",
        {
            "partnership_id": kobe,
            "status": "active",
            "changed_on": "2002-03-20",
            "reason": "Signed",
        },
    )
    # In touch: a call last month, so Kobe is not going quiet.
    records.create(
        db,
        "interaction",
        {"occurred_on": _day(-30), "kind": "call", "subject": "Budget", "partnership_id": kobe},
    )
    lviv = records.create(db, "partnership", {"partner_name": "Lviv", "kind": "sister_city"}).id
    records.create(
        db,
        "status_change",
        {
            "partnership_id": lviv,
            "status": "suspended",
            "changed_on": "2025-03-02",
            "reason": "Council vote",
        },
    )
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Kobe",
            "direction": "outgoing",
            "partnership_id": kobe,
            "start_date": _day(3),
            "end_date": _day(6),
        },
    ).id
    for title, due, link in (
        ("Send thank-you letters", _day(-173), {"visit_id": visit}),
        ("Call the consulate", _day(0), {}),
        ("Book interpreters", _day(2), {"visit_id": visit}),
        ("Plan the youth exchange", _day(40), {"partnership_id": kobe}),
        ("Write the annual letter", None, {"partnership_id": lviv}),
    ):
        records.create(db, "follow_up", {"title": title, "due_date": due, **link})
    records.create(
        db,
        "agreement",
        {
            "title": "Cultural MOU",
            "status": "in_force",
            "partnership_id": lviv,
            "expiry_date": _day(60),
            "notice_days": 0,
            "buffer_days": 30,
        },
    )
    return db


def test_items_fall_into_sections_with_counts_and_relative_days(city: Database) -> None:
    found = agenda.build(city, TODAY)
    titles = {s: [i.title for i in items] for s, items in found.sections.items()}
    assert titles["overdue"] == ["Send thank-you letters"]
    assert titles["today"] == ["Call the consulate"]
    assert titles["week"] == ["Book interpreters", "Mission to Kobe"]
    assert "Plan the youth exchange" in titles["later"]
    assert found.counts == {"overdue": 1, "today": 1, "week": 2, "later": 4}
    assert found.headline() == "1 overdue, 1 today, 2 this week, 4 later"
    overdue = found.sections["overdue"][0]
    assert overdue.when == "6 months overdue"
    assert overdue.parent == "Visit: Mission to Kobe" and overdue.open_kind == "visit"
    assert found.sections["week"][1].when == "in 3 days"


def test_a_troubled_partnership_is_called_out_on_its_business(city: Database) -> None:
    found = agenda.build(city, TODAY)
    later = {i.title: i for i in found.sections["later"]}
    decision = later["Decide on Cultural MOU"]
    assert decision.warning == "Partnership suspended since March 2, 2025"
    assert "Expires February 3, 2027" in decision.parent
    assert later["Write the annual letter"].warning.startswith("Partnership suspended")
    assert later["Write the annual letter"].when == "no date set"
    assert later["Plan the youth exchange"].warning == ""


def test_round_anniversaries_come_a_year_ahead_and_plain_ones_a_month(city: Database) -> None:
    found = agenda.build(city, TODAY)
    later = {i.title: i for i in found.sections["later"]}
    assert "Kobe: 25 years since 2002" in later  # March 20, 2027: three and a half months
    kobe = later["Kobe: 25 years since 2002"]
    # For whom in the For column, as every item says; why it matters in its detail.
    assert kobe.parent == "Partnership: Kobe" and "plan how to mark it" in kobe.note
    facts = [(f.label, f.text) for f in agenda.detail(city, kobe, TODAY).facts]
    assert ("Note", "A round anniversary: time to plan how to mark it") in facts
    records.update(city, "partnership", 1, {"established_date": "2003-03-20"})
    assert not any("Kobe:" in i.title for i in agenda.build(city, TODAY).sections["later"])
    assert any(
        "Kobe: 23 years" in i.title
        for i in agenda.build(city, dt.date(2026, 3, 1)).sections["later"]
    )


def test_a_leap_day_founding_is_marked_on_february_28_in_common_years(db: Database) -> None:
    records.create(
        db,
        "partnership",
        {"partner_name": "Leapton", "kind": "sister_city", "established_date": "1996-02-29"},
    )
    records.create(
        db,
        "status_change",
        {"partnership_id": 1, "status": "active", "changed_on": "1996-02-29", "reason": "Signed"},
    )
    found = agenda.build(db, dt.date(2027, 2, 10))
    (item,) = found.sections["later"]
    assert (item.title, item.due) == ("Leapton: 31 years since 1996", dt.date(2027, 2, 28))
    assert not agenda.build(db, dt.date(2027, 1, 10)).sections["later"]  # 49 days off


D = dt.date
# (founded, today, what the agenda shows): the anniversary's title and the day it falls
# on, or for a founding known only to its year or month, the "in ..." it waits under;
# None where nothing is due. Round anniversaries (5, 10, 25, 50...) come a year ahead,
# others 30 days ahead; 29 February is marked on 28 February in common years; a
# founding still to come, or in its first year, has nothing to mark. Worked out by hand.
ANNIVERSARIES: list[tuple[str, dt.date, tuple[str, dt.date | str] | None]] = [
    # Founded on 29 February: the day itself in a leap year, 28 February in others.
    ("1996-02-29", D(2028, 2, 10), ("32 years since 1996", D(2028, 2, 29))),
    ("1996-02-29", D(2028, 1, 30), ("32 years since 1996", D(2028, 2, 29))),  # 30 days
    ("1996-02-29", D(2028, 1, 29), None),  # 31 days
    ("1996-02-29", D(2027, 2, 10), ("31 years since 1996", D(2027, 2, 28))),
    ("1996-02-29", D(2027, 1, 29), ("31 years since 1996", D(2027, 2, 28))),  # 30 days
    ("1996-02-29", D(2027, 1, 28), None),  # 31 days
    ("1996-02-29", D(2027, 2, 28), ("31 years since 1996", D(2027, 2, 28))),  # today
    ("1996-02-29", D(2027, 3, 1), None),  # 32 years on February 29, 2028: not round
    ("2004-02-29", D(2028, 6, 1), ("25 years since 2004", D(2029, 2, 28))),
    # Round anniversaries a year ahead.
    ("2022-09-01", D(2026, 9, 15), ("5 years since 2022", D(2027, 9, 1))),
    ("2018-06-15", D(2027, 6, 16), ("10 years since 2018", D(2028, 6, 15))),  # 365 days
    ("2016-06-15", D(2025, 6, 14), ("9 years since 2016", D(2025, 6, 15))),  # the 9th first
    ("2001-03-01", D(2025, 3, 2), ("25 years since 2001", D(2026, 3, 1))),
    ("1976-07-04", D(2025, 7, 5), ("50 years since 1976", D(2026, 7, 4))),
    # Today exactly, and yesterday.
    ("1976-07-04", D(2025, 7, 4), ("49 years since 1976", D(2025, 7, 4))),
    ("2003-03-20", D(2026, 3, 21), None),  # yesterday; the 24th is a year off
    ("2002-03-20", D(2026, 3, 21), ("25 years since 2002", D(2027, 3, 20))),  # yesterday
    # Plain anniversaries 30 days ahead, not 31.
    ("2003-03-20", D(2026, 2, 18), ("23 years since 2003", D(2026, 3, 20))),
    ("2003-03-20", D(2026, 2, 17), None),
    # Across the end of the year.
    ("2010-01-05", D(2026, 12, 20), ("17 years since 2010", D(2027, 1, 5))),
    ("2017-12-31", D(2026, 12, 31), ("9 years since 2017", D(2026, 12, 31))),
    ("2017-12-31", D(2027, 1, 1), ("10 years since 2017", D(2027, 12, 31))),
    ("2018-01-01", D(2026, 12, 31), ("9 years since 2018", D(2027, 1, 1))),
    # The first anniversary; a founding still to come.
    ("2025-12-01", D(2026, 11, 20), ("1 year since 2025", D(2026, 12, 1))),
    ("2026-12-01", D(2026, 11, 20), None),
    # Known only to the year: round ones this year or next; plain ones never.
    ("2001", D(2026, 5, 1), ("25 years since 2001", "in 2026")),
    ("2002", D(2026, 5, 1), ("25 years since 2002", "in 2027")),
    ("2003", D(2026, 5, 1), None),
    ("1976", D(2026, 12, 31), ("50 years since 1976", "in 2026")),
    # Known only to the month: round ones within the year; plain ones this month or next.
    ("2003-06", D(2026, 5, 20), ("23 years since 2003", "in June 2026")),
    ("2003-05", D(2026, 5, 31), ("23 years since 2003", "in May 2026")),
    ("2003-07", D(2026, 5, 20), None),
    ("1976-09", D(2026, 5, 20), ("50 years since 1976", "in September 2026")),
    ("2001-04", D(2025, 5, 10), ("25 years since 2001", "in April 2026")),
    ("2003-01", D(2026, 12, 15), ("24 years since 2003", "in January 2027")),
]


def test_the_sql_that_narrows_anniversaries_never_drops_one_that_is_due(db: Database) -> None:
    """Foundings on the edges of months and years, round and plain, whole dates and
    dates known only to their year or month, against the table above."""
    partner = records.create(
        db, "partnership", {"partner_name": "Partner", "kind": "sister_city", "status": "active"}
    ).id
    wrong: list[tuple[str, str, list[tuple[str, dt.date | str]], object]] = []
    # One partnership, its founding changed case by case: the agenda shows only it.
    for founded, today, expected in ANNIVERSARIES:
        records.update(db, "partnership", partner, {"established_date": founded})
        found = agenda.build(db, today)
        shown = [
            (i.title.removeprefix("Partner: "), i.due or i.when)
            for items in found.sections.values()
            for i in items
            if i.what == "anniversary"
        ]
        if shown != ([expected] if expected else []):
            wrong.append((founded, today.isoformat(), shown, expected))
    assert wrong == []


def _coming_anniversary(founded: dt.date, today: dt.date) -> tuple[dt.date, int] | None:
    """The rule, written plainly: the next time the founding comes round (29 February
    on the 28th in a common year), if within the notice its number of years gives."""

    def on(year: int) -> dt.date:
        if (founded.month, founded.day) == (2, 29) and not calendar.isleap(year):
            return dt.date(year, 2, 28)
        return founded.replace(year=year)

    day = on(today.year) if on(today.year) >= today else on(today.year + 1)
    years = day.year - founded.year
    notice = agenda.ROUND_NOTICE_DAYS if years in agenda.ROUND_YEARS else agenda.PLAIN_NOTICE_DAYS
    return (day, years) if years > 0 and (day - today).days <= notice else None


def test_anniversaries_worked_out_in_sql_follow_the_plain_rule(db: Database) -> None:
    """Two hundred foundings (29 Februaries, year ends, round and plain distances) on
    days across three years, leap days among them: each section counts and lists what
    the rule says, earliest first."""
    rng = random.Random(7)
    foundings: dict[int, dt.date] = {}
    for n in range(200):
        if n % 10 == 0:
            founded = dt.date(rng.choice([1960, 1976, 1996, 2000, 2004, 2016, 2020]), 2, 29)
        elif n % 10 == 1:
            founded = dt.date(rng.randint(1950, 2026), rng.choice([1, 12]), rng.choice([1, 31]))
        else:
            founded = dt.date(rng.randint(1926, 2027), 1, 1) + dt.timedelta(
                days=rng.randint(0, 364)
            )
        pid = records.create(
            db,
            "partnership",
            {
                "partner_name": f"Partner {n}",
                "kind": "sister_city",
                "status": rng.choice(["active", "friendship"]),
                "established_date": founded.isoformat(),
            },
        ).id
        foundings[pid] = founded
    days = [dt.date(2027, 1, 1) + dt.timedelta(days=n) for n in range(0, 3 * 366, 11)]
    days += [
        dt.date(2028, 2, 28),
        dt.date(2028, 2, 29),
        dt.date(2027, 2, 28),
        dt.date(2027, 12, 31),
    ]
    wrong = []
    for today in days:
        expected = sorted(
            (due, pid, years)
            for pid, founded in foundings.items()
            if (coming := _coming_anniversary(founded, today)) is not None
            for due, years in [coming]
        )
        found = agenda.build(db, today, shown=3, only="anniversary")
        listed = [
            (i.due, i.open_id, int(i.title.split(": ")[1].split(" ")[0]))
            for items in found.sections.values()
            for i in items
        ]
        counts = {s: 0 for s in agenda.SECTIONS}
        firsts: dict[str, list[tuple[dt.date, int, int]]] = {s: [] for s in agenda.SECTIONS}
        for entry in expected:
            section = agenda.section_of(entry[0], today)
            counts[section] += 1
            if len(firsts[section]) < 3:
                firsts[section].append(entry)
        if (
            sorted(listed) != sorted(e for f in firsts.values() for e in f)
            or found.counts != counts
        ):
            wrong.append(today)
    assert wrong == []


def test_each_section_counts_everything_and_shows_the_earliest(db: Database) -> None:
    for n in (30, 12, 50, 21, 9):
        records.create(
            db,
            "visit",
            {"title": f"Visit in {n} days", "direction": "incoming", "start_date": _day(n)},
        )
    for n in (-40, -3, -10, -1):
        records.create(db, "follow_up", {"title": f"Late by {-n}", "due_date": _day(n)})
    found = agenda.build(db, TODAY, shown=3)
    assert found.counts == {"overdue": 4, "today": 0, "week": 0, "later": 5}
    assert [i.title for i in found.sections["later"]] == [
        "Visit in 9 days",
        "Visit in 12 days",
        "Visit in 21 days",
    ]
    assert [i.title for i in found.sections["overdue"]] == ["Late by 40", "Late by 10", "Late by 3"]
    assert all(i.when for items in found.sections.values() for i in items)
    more = agenda.build(db, TODAY, shown=4)  # asked for more: the next one of each comes
    assert more.counts == found.counts
    assert [i.title for i in more.sections["later"]][-1] == "Visit in 30 days"
    assert [i.title for i in more.sections["overdue"]][-1] == "Late by 1"


def test_done_and_snooze_are_single_undoable_operations(city: Database) -> None:
    found = agenda.build(city, TODAY)
    overdue = found.sections["overdue"][0]
    assert overdue.follow_up_id is not None
    changes = agenda.mark_done(city, overdue.follow_up_id, TODAY)
    assert changes.label == "Mark done “Send thank-you letters”"
    assert agenda.build(city, TODAY).counts["overdue"] == 0
    undo.undo(city)
    assert agenda.build(city, TODAY).counts["overdue"] == 1
    agenda.snooze(city, overdue.follow_up_id, TODAY + dt.timedelta(days=7))
    moved = agenda.build(city, TODAY)
    assert moved.counts["overdue"] == 0
    assert "Send thank-you letters" in [i.title for i in moved.sections["week"]]


def test_words_for_spans_and_counts() -> None:
    assert [due_in(d) for d in (0, 1, -1, 3, -5, 20, -20, 90, -173, 800)] == [
        "today",
        "tomorrow",
        "1 day overdue",
        "in 3 days",
        "5 days overdue",
        "in 3 weeks",
        "3 weeks overdue",
        "in 3 months",
        "6 months overdue",
        "in 2 years",
    ]
    assert [ago(d) for d in (0, 1, 10, 45)] == ["today", "yesterday", "10 days ago", "6 weeks ago"]
    assert counted(1, "visit") == "1 visit" and counted(2, "office held") == "2 offices held"
    assert counted(1204, "entry") == "1,204 entries" and counted(0, "visit") == "0 visits"


def test_the_command_line_shows_ticks_and_snoozes(
    city: Database, db_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    city.close()
    assert cli.main(["--db", str(db_path), "today", "--date", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Saturday, December 5, 2026: 1 overdue, 1 today, 2 this week, 4 later.")
    assert "OVERDUE (1)" in out and "6 months overdue  Send thank-you letters  [follow-up 1]" in out
    assert "⚠ Partnership suspended since March 2, 2025" in out
    assert cli.main(["--db", str(db_path), "done", "1"]) == 0
    assert "Marked done: “Send thank-you letters”." in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "snooze", "2", "--days", "3"]) == 0
    assert "now due" in capsys.readouterr().out
    assert cli.main(["--db", str(db_path), "snooze", "2", "--until", "2001-01-01"]) == 1
    assert "in the past" in capsys.readouterr().err
    assert cli.main(["--db", str(db_path), "done", "999"]) == 1
    assert "999" in capsys.readouterr().err


def test_each_type_is_counted_and_one_type_can_be_listed_alone(city: Database) -> None:
    # A follow-up kept for the Cultural MOU's decision stands for it.
    records.create(
        city,
        "follow_up",
        {"title": "Memo on the MOU", "due_date": _day(10), "agreement_id": 1},
    )
    found = agenda.build(city, TODAY)
    assert found.by_type == {
        "follow_up": 6,
        "decision": 1,
        "visit": 1,
        "anniversary": 1,
        "quiet": 0,
    }
    # The decision is told once: by its follow-up, which carries it.
    memo = next(i for i in found.sections["later"] if i.title == "Memo on the MOU")
    assert memo.decision == "Expires February 3, 2027: renew or let it end"
    assert not any(i.what == "decision" for items in found.sections.values() for i in items)
    assert sum(found.counts.values()) == 6 + 1 + 1  # follow-ups, the visit, Kobe's 25th

    decisions = agenda.build(city, TODAY, only="decision")
    listed = [i for items in decisions.sections.values() for i in items]
    assert [(i.what, i.title) for i in listed] == [("follow_up", "Memo on the MOU")]
    assert decisions.counts == {"overdue": 0, "today": 0, "week": 0, "later": 1}
    assert decisions.totals == found.totals and decisions.headline() == found.headline()

    visits = agenda.build(city, TODAY, only="visit")
    assert [i.title for items in visits.sections.values() for i in items] == ["Mission to Kobe"]
    assert visits.counts == {"overdue": 0, "today": 0, "week": 1, "later": 0}
    follow_ups = agenda.build(city, TODAY, only="follow_up")
    assert {i.what for items in follow_ups.sections.values() for i in items} == {"follow_up"}
    assert sum(follow_ups.counts.values()) == 6
    anniversaries = agenda.build(city, TODAY, only="anniversary")
    assert [i.type_label for i in anniversaries.sections["later"]] == ["Anniversary"]
    with pytest.raises(KeyError):
        agenda.build(city, TODAY, only="gift")

    # Once the memo is done, the decision is listed on its own again.
    agenda.mark_done(city, memo.follow_up_id or 0, TODAY)
    again = agenda.build(city, TODAY, only="decision")
    assert [i.title for i in again.sections["later"]] == ["Decide on Cultural MOU"]


def test_a_follow_up_kept_is_listed_past_the_first_of_its_section(db: Database) -> None:
    for n in range(5):
        records.create(db, "follow_up", {"title": f"Later {n}", "due_date": _day(30 + n)})
    far = records.create(db, "follow_up", {"title": "Far off", "due_date": _day(300)}).id
    found = agenda.build(db, TODAY, shown=2)
    assert [i.title for i in found.sections["later"]] == ["Later 0", "Later 1"]
    kept = agenda.build(db, TODAY, shown=2, keep={far})
    assert [i.title for i in kept.sections["later"]] == ["Later 0", "Later 1", "Far off"]
    assert kept.counts == found.counts
    # Kept but filtered out: a visits-only agenda lists no follow-up.
    assert not agenda.build(db, TODAY, shown=2, only="visit", keep={far}).sections["later"]


def test_an_item_in_full_names_its_records_dates_and_what_to_do(city: Database) -> None:
    contact = records.create(city, "contact", {"given_name": "Aiko", "family_name": "Sato"}).id
    records.update(city, "follow_up", 1, {"notes": "Letters to the mayor", "contact_id": contact})
    found = agenda.build(city, TODAY)
    letters = found.sections["overdue"][0]
    full = agenda.detail(city, letters, TODAY)
    assert (full.type_label, full.title) == ("Follow-up", "Send thank-you letters")
    assert full.when == "Monday, June 15, 2026 (6 months overdue)"
    assert [(f.label, f.text, f.opens) for f in full.facts] == [
        ("Visit", "Mission to Kobe", ("visit", 1)),
        ("Contact", "Aiko Sato", ("contact", contact)),
    ]
    assert full.notes == "Letters to the mayor" and full.next_step == ""

    later = {i.title: i for i in found.sections["later"]}
    decision = agenda.detail(city, later["Decide on Cultural MOU"], TODAY)
    assert decision.type_label == "Decision"
    assert [(f.label, f.text) for f in decision.facts] == [
        ("Agreement", "Cultural MOU"),
        ("Partnership", "Lviv"),
        ("Decide by", "January 4, 2027"),
        ("Expires", "February 3, 2027"),
        ("Renews by itself", "No"),
    ]
    assert decision.warning == "Partnership suspended since March 2, 2025"
    assert decision.next_step.startswith("A decision is recorded on its agreement")

    visit = agenda.detail(city, found.sections["week"][1], TODAY)
    assert [(f.label, f.text) for f in visit.facts] == [
        ("Visit", "Mission to Kobe"),
        ("Direction", "Outgoing mission"),
        ("Dates", "December 8, 2026 to December 11, 2026"),
        ("Status", "Requested"),
        ("Partnership", "Kobe"),
        ("Follow-ups", "2 open"),
    ]
    anniversary = agenda.detail(city, later["Kobe: 25 years since 2002"], TODAY)
    assert ("Founded", "March 20, 2002") in [(f.label, f.text) for f in anniversary.facts]
    assert "leaves Today once its day has passed" in anniversary.next_step


def test_capture_makes_one_follow_up_for_a_record_in_one_operation(city: Database) -> None:
    found = agenda.build(city, TODAY)
    letters = found.sections["overdue"][0]
    targets = agenda.capture_targets(city, letters)
    assert [(t.label, t.text, t.opens) for t in targets] == [
        ("Visit", "Mission to Kobe", ("visit", 1)),
        ("Partnership", "Kobe", ("partnership", 1)),
    ]
    assert agenda.capture_targets(city, None) == []
    before = city.execute("SELECT count(*) FROM operations").fetchone()[0]
    changes = agenda.capture(city, "Send the program", TODAY + dt.timedelta(days=6), ("visit", 1))
    assert city.execute("SELECT count(*) FROM operations").fetchone()[0] == before + 1
    row = records.get(city, "follow_up", changes.id or 0)
    assert (row["title"], row["due_date"], row["visit_id"]) == ("Send the program", _day(6), 1)
    undone = agenda.capture(city, "On its own", None)
    assert records.get(city, "follow_up", undone.id or 0)["due_date"] is None
    undo.undo(city)
    assert city.execute(
        "SELECT count(*) FROM follow_ups WHERE title = 'On its own'"
    ).fetchone() == (0,)
    with pytest.raises(ValueError, match="cannot be for"):
        agenda.capture(city, "A gift note", None, ("gift", 1))


def _gone_quiet(db: Database) -> dict[str, int]:
    """Turku, active, last heard from 14 months ago; Bonn, dormant, 13 months ago;
    Oulu, proposed, never since it began in 2025; Irkutsk, suspended, long silent."""
    made = {}
    for name, status, established, called in (
        ("Turku", "active", "2001-06-01", "2025-10-05"),
        ("Bonn", "dormant", "1990-02-02", "2025-11-04"),
        ("Oulu", "proposed", "2025", None),
        ("Irkutsk", "suspended", "1970", "1990-01-01"),
    ):
        made[name] = records.create(
            db,
            "partnership",
            {"partner_name": name, "kind": "sister_city", "status": status},
        ).id
        records.update(db, "partnership", made[name], {"established_date": established})
        if called is not None:
            records.create(
                db,
                "interaction",
                {
                    "occurred_on": called,
                    "kind": "call",
                    "subject": f"Call with {name}",
                    "partnership_id": made[name],
                },
            )
    return made


def test_relationships_going_quiet_are_overdue_with_their_rhythm(city: Database) -> None:
    made = _gone_quiet(city)
    found = agenda.build(city, TODAY)
    assert found.by_type["quiet"] == 3
    quiet = [i for i in found.sections["overdue"] if i.what == "quiet"]
    # Earliest first by the day contact fell due: Oulu (3 months from 12/31/2025), Turku
    # (6 months after a call 14 months ago), Bonn (12 months after 13). Irkutsk is
    # suspended: not chased.
    assert [(i.title, i.when, i.parent) for i in quiet] == [
        (
            "Going quiet: no contact with Oulu recorded since it began in 2025",
            "8 months overdue",
            "Partnership: Oulu",
        ),
        (
            "Going quiet: no contact with Turku for 14 months",
            "8 months overdue",
            "Partnership: Turku",
        ),
        (
            "Going quiet: no contact with Bonn for 13 months",
            "4 weeks overdue",
            "Partnership: Bonn",
        ),
    ]
    assert [(i.type_label, i.open_kind, i.open_id) for i in quiet][1] == (
        "Going quiet",
        "partnership",
        made["Turku"],
    )
    assert quiet[2].warning.startswith("Partnership dormant")  # its standing, as on any item
    # The work that is overdue comes first, however long ago a relationship went quiet.
    kinds = [i.what for i in found.sections["overdue"]]
    assert kinds == sorted(kinds, key=lambda what: what == "quiet") and "quiet" in kinds
    assert found.counts["overdue"] == 1 + 3  # the thank-you letters and the three

    only = agenda.build(city, TODAY, only="quiet")
    assert [i.what for items in only.sections.values() for i in items] == ["quiet"] * 3
    assert only.counts == {"overdue": 3, "today": 0, "week": 0, "later": 0}
    assert only.headline() == found.headline()
    first = agenda.build(city, TODAY, shown=1, only="quiet")
    assert [i.title for i in first.sections["overdue"]] == [quiet[0].title]
    assert first.counts["overdue"] == 3
    assert agenda.item_type("quiet").nothing == "No relationships going quiet here."

    full = agenda.detail(city, quiet[1], TODAY)
    assert (full.type_label, full.when) == (
        "Going quiet",
        "Sunday, April 5, 2026 (8 months overdue)",
    )
    assert [(f.label, f.text) for f in full.facts] == [
        ("Partnership", "Turku"),
        ("Last contact", "Call: Call with Turku, October 5, 2025 (14 months ago)"),
        ("Keep in touch", "Every 6 months (the usual for a sister city)"),
        ("Contact was due", "April 5, 2026"),
    ]
    assert full.next_step.startswith("A relationship leaves Today once a contact is recorded")
    oulu = agenda.detail(city, quiet[0], TODAY)
    assert ("Last contact", "None recorded since it began in 2025") in [
        (f.label, f.text) for f in oulu.facts
    ]

    # A call logged today: Turku leaves Today.
    records.create(
        city,
        "interaction",
        {"occurred_on": TODAY.isoformat(), "subject": "Call", "partnership_id": made["Turku"]},
    )
    again = agenda.build(city, TODAY, only="quiet")
    assert [i.open_id for i in again.sections["overdue"]] == [made["Oulu"], made["Bonn"]]
    assert again.by_type["quiet"] == 2


def test_the_command_line_lists_relationships_going_quiet(
    city: Database, db_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    _gone_quiet(city)
    city.close()
    assert cli.main(["--db", str(db_path), "today", "--date", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Saturday, December 5, 2026: 4 overdue, 1 today, 2 this week, 4 later.")
    assert "8 months overdue  Going quiet: no contact with Turku for 14 months" in out
    assert "Partnership: Turku" in out
    assert "Irkutsk" not in out
    assert cli.main(["--db", str(db_path), "today", "--date", TODAY.isoformat(), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["sections"]["overdue"]
    assert [i["what"] for i in listed].count("quiet") == 3


def test_each_type_of_item_is_named_in_a_sentence() -> None:
    """'... is a relationship going quiet, not a follow-up', never 'a going quiet'."""
    from desk.core.features import agenda

    said = {t.key: t.a_one for t in agenda.TYPES}
    assert said == {
        "follow_up": "a follow-up",
        "decision": "a decision",
        "visit": "a visit",
        "anniversary": "an anniversary",
        "quiet": "a relationship going quiet",
    }


def test_a_follow_up_about_an_agreement_that_expired_says_so(db: Database) -> None:
    """'Decide on renewal' left open past the agreement's end is no decision the agenda
    still counts (the Decisions filter leaves it out); the follow-up says why."""
    from desk.core.features import agenda

    lapsed = records.create(
        db,
        "agreement",
        {"title": "MOU on governance", "status": "expired", "expiry_date": "2026-10-14"},
    ).id
    records.create(
        db,
        "follow_up",
        {"title": "Decide on renewal", "due_date": "2026-06-16", "agreement_id": lapsed},
    )
    found = agenda.build(db, dt.date(2026, 12, 6))
    (item,) = found.sections["overdue"]
    assert item.warning == "Agreement expired on October 14, 2026"
    assert not agenda.build(db, dt.date(2026, 12, 6), only="decision").sections["overdue"]


def test_next_monday_is_never_tomorrow() -> None:
    """On a Sunday 'Tomorrow' and 'Next Monday' were the same day; next Monday is then
    the Monday of next week."""
    from desk.core.features import agenda

    sunday = dt.date(2026, 12, 6)
    for offset in range(7):
        today = sunday + dt.timedelta(days=offset)
        choices = dict(agenda.snooze_choices(today))
        monday = choices["Next Monday"]
        assert monday.weekday() == 0 and monday != choices["Tomorrow"], today
    assert dict(agenda.snooze_choices(sunday))["Next Monday"] == dt.date(2026, 12, 14)
