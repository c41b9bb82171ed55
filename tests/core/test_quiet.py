"""Relationships that go quiet: each partnership's rhythm by kind and status or its own,
its last contact (an interaction, a letter or mail logged, a visit completed or under
way), which have gone longer than their rhythm, and the dashboard's list of them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from desk.core.domain.dates import add_months
from desk.core.domain.vocab import PARTNERSHIP_KINDS, PARTNERSHIP_STATUSES
from desk.core.features import quiet
from desk.core.store import records
from desk.core.store.db import Database

TODAY = dt.date(2026, 12, 5)


def _months_ago(months: int, days: int = 0) -> str:
    return (add_months(TODAY, -months) - dt.timedelta(days=days)).isoformat()


def _partner(db: Database, name: str, **values: Any) -> int:
    fields = {"partner_name": name, "kind": "sister_city", "status": "active", **values}
    return records.create(db, "partnership", fields).id


def _quiet(db: Database, today: dt.date = TODAY) -> dict[str, quiet.Silence]:
    count, found = quiet.going_quiet(db, today, 500)
    assert count == len(found)
    return {s.partner: s for s in found}


# What the office expects when a partnership sets no rhythm of its own, by kind and
# status: decided once in quiet.BY_STATUS and quiet.BY_KIND, written out here by hand.
RHYTHMS = [
    ("sister_city", "active", 6),
    ("sister_city", "friendship", 6),
    ("friendship_city", "active", 6),
    ("sector_partnership", "active", 6),
    ("network_membership", "active", 12),
    ("other", "active", 12),
    ("sister_city", "proposed", 3),
    ("network_membership", "proposed", 3),
    ("sister_city", "dormant", 12),
    ("sector_partnership", "dormant", 12),
    ("sister_city", "suspended", None),
    ("friendship_city", "lapsed", None),
    ("network_membership", "ended", None),
]


@pytest.mark.parametrize(("kind", "status", "months"), RHYTHMS)
def test_the_usual_rhythm_by_kind_and_status(kind: str, status: str, months: int | None) -> None:
    assert quiet.rhythm(kind, status) == months


def test_every_kind_and_status_has_a_rhythm_and_its_own_overrides_it() -> None:
    for kind in PARTNERSHIP_KINDS:
        for status in PARTNERSHIP_STATUSES:
            assert quiet.rhythm(kind, status) in (3, 6, 12, None), (kind, status)
    assert quiet.rhythm("sister_city", "active", 4) == 4
    assert quiet.rhythm("sister_city", "dormant", 24) == 24
    # Quiet on purpose: never chased, whatever rhythm it once set.
    assert quiet.rhythm("sister_city", "suspended", 4) is None
    assert quiet.rhythm_words("sister_city", "active") == (
        "every 6 months (the usual for a sister city)"
    )
    assert (
        quiet.rhythm_words("sister_city", "active", 4) == "every 4 months (set on the partnership)"
    )
    assert quiet.rhythm_words("network_membership", "dormant") == (
        "every 12 months (the usual while dormant)"
    )
    assert quiet.rhythm_words("sister_city", "ended") == "not chased while ended"


def test_the_database_judges_each_kind_and_status_as_the_rhythm_says(db: Database) -> None:
    """For every kind and status, one partnership founded exactly its rhythm ago (not
    quiet: the rhythm runs out today) and one founded a day before that (quiet)."""
    expected = set()
    for kind in PARTNERSHIP_KINDS:
        for status in PARTNERSHIP_STATUSES:
            months = quiet.rhythm(kind, status)
            if months is None:
                _partner(db, f"{kind} {status}", kind=kind, status=status, established_date="1990")
                continue
            on_time, late = f"{kind} {status} on time", f"{kind} {status} late"
            _partner(db, on_time, kind=kind, status=status, established_date=_months_ago(months))
            _partner(db, late, kind=kind, status=status, established_date=_months_ago(months, 1))
            expected.add(late)
    found = _quiet(db)
    assert set(found) == expected
    for silence in found.values():
        assert silence.every == quiet.rhythm(silence.kind, silence.status)
        assert silence.due == TODAY - dt.timedelta(days=1)


def test_its_own_rhythm_overrides_the_usual(db: Database) -> None:
    turku = _partner(db, "Turku", established_date="2001-04-01")
    records.create(
        db,
        "interaction",
        {"occurred_on": _months_ago(3), "subject": "Call about the choir", "partnership_id": turku},
    )
    assert _quiet(db) == {}  # three months: within the usual six
    records.update(db, "partnership", turku, {"contact_every_months": 2})
    found = _quiet(db)["Turku"]
    assert found.title(TODAY) == "Going quiet: no contact with Turku for 3 months"
    assert found.rhythm_words() == "every 2 months (set on the partnership)"
    assert found.due == add_months(dt.date.fromisoformat(_months_ago(3)), 2)


def test_a_partnership_never_contacted_counts_from_the_day_it_began(db: Database) -> None:
    _partner(db, "Turku", established_date="2026-07-10")  # five months: not yet
    _partner(db, "Lahti", established_date="2026-05-10")
    _partner(db, "Oulu", established_date="2025")  # its last possible day: 12/31/2025
    _partner(db, "Pori", established_date="2026-05")  # 5/31/2026
    found = _quiet(db)
    assert set(found) == {"Lahti", "Oulu", "Pori"}
    assert found["Lahti"].title(TODAY) == (
        "Going quiet: no contact with Lahti recorded since it began in May 2026"
    )
    assert found["Oulu"].title(TODAY) == (
        "Going quiet: no contact with Oulu recorded since it began in 2025"
    )
    assert found["Oulu"].due == dt.date(2026, 6, 30)
    assert "Pori" in _quiet(db, dt.date(2026, 12, 1))  # 5/31 + 6 months is 11/30
    assert "Pori" not in _quiet(db, dt.date(2026, 11, 30))
    # No founding date: counted from the day it was entered.
    vaasa = _partner(db, "Vaasa")
    entered = dt.date.fromisoformat(records.get(db, "partnership", vaasa)["created_at"][:10])
    later = entered + dt.timedelta(days=200)
    assert (
        _quiet(db, later)["Vaasa"]
        .title(later)
        .endswith(f"recorded since it was entered in {entered:%B} {entered.year}")
    )
    assert "Vaasa" not in _quiet(db, entered + dt.timedelta(days=150))


def test_contact_by_a_visit_or_an_interaction(db: Database) -> None:
    """An interaction (a letter or mail logged counts as one), one logged on a visit
    alone, a visit completed or under way: each is contact. A visit canceled, only
    confirmed and never marked completed, or still to come is not; nor is an
    interaction dated after the day asked about."""
    made = {
        name: _partner(db, name, established_date="2000-01-01")
        for name in ("Kobe", "Lyon", "Turku", "Matsue", "Lviv", "Suzhou", "Bonn", "Perth")
    }

    def visit(name: str, status: str, start: str, end: str | None = None) -> int:
        values = {"title": f"Visit with {name}", "direction": "incoming", "status": status}
        values |= {"start_date": start, "end_date": end, "partnership_id": made[name]}
        return records.create(db, "visit", values).id

    records.create(
        db,
        "interaction",
        {
            "occurred_on": _months_ago(14),
            "kind": "email",
            "subject": "Letter from the mayor",
            "partnership_id": made["Kobe"],
            "message_id": "<a1@city.example>",
            "mail_from": "mayor@city.example",
        },
    )
    records.create(
        db,
        "interaction",
        {
            "occurred_on": _months_ago(1),
            "kind": "email",
            "subject": "Mail sent",
            "partnership_id": made["Lyon"],
        },
    )
    turku_visit = visit("Turku", "completed", _months_ago(3), _months_ago(3))
    visit("Matsue", "confirmed", _months_ago(0, 2), _months_ago(0, -2))  # under way
    lviv = visit("Lviv", "completed", _months_ago(30))
    records.create(
        db,
        "interaction",
        {"occurred_on": _months_ago(2), "subject": "Thank-you call", "visit_id": lviv},
    )
    visit("Suzhou", "cancelled", _months_ago(1))
    visit("Bonn", "confirmed", _months_ago(2))  # its dates passed: never marked completed
    visit("Perth", "planned", _months_ago(-2))
    records.create(
        db,
        "interaction",
        {
            "occurred_on": _months_ago(-1),
            "subject": "Call planned",
            "partnership_id": made["Perth"],
        },
    )
    found = _quiet(db)
    assert set(found) == {"Kobe", "Suzhou", "Bonn", "Perth"}
    assert found["Kobe"].title(TODAY) == "Going quiet: no contact with Kobe for 14 months"
    assert found["Suzhou"].last is None and "recorded since it began" in found["Suzhou"].title(
        TODAY
    )
    # What the last contact was, for the item's detail.
    kobe = quiet.last_contact(db, made["Kobe"], TODAY)
    assert kobe is not None and kobe.what == "Email / letter: Letter from the mayor"
    turku = quiet.last_contact(db, made["Turku"], TODAY)
    assert turku is not None and (turku.what, turku.opens) == (
        "Visit: Visit with Turku",
        ("visit", turku_visit),
    )
    lviv_contact = quiet.last_contact(db, made["Lviv"], TODAY)
    assert lviv_contact is not None and lviv_contact.what == "Meeting: Thank-you call"
    matsue = quiet.last_contact(db, made["Matsue"], TODAY)
    assert matsue is not None and matsue.on == TODAY
    assert quiet.last_contact(db, made["Perth"], TODAY) is None
    # The one partnership's reading agrees with the whole list's.
    for name, pid in made.items():
        one = quiet.of_partnership(db, pid, TODAY)
        assert one is not None and one.overdue(TODAY) == (name in found), name


def test_a_contact_before_the_founding_does_not_make_it_quiet(db: Database) -> None:
    bonn = _partner(db, "Bonn", established_date=_months_ago(1))
    records.create(
        db,
        "interaction",
        {"occurred_on": _months_ago(30), "subject": "First talks", "partnership_id": bonn},
    )
    assert _quiet(db) == {}


def test_dormant_partnerships_are_kept_warm_yearly_and_suspended_ones_never(db: Database) -> None:
    for name, status, months in (
        ("Kobe", "dormant", 8),
        ("Lyon", "dormant", 13),
        ("Irkutsk", "suspended", 200),
        ("Lviv", "lapsed", 200),
        ("Perm", "ended", 200),
    ):
        pid = _partner(db, name, status=status, established_date="1980-05-05")
        records.create(
            db,
            "interaction",
            {"occurred_on": _months_ago(months), "subject": "Letter", "partnership_id": pid},
        )
    records.update(db, "partnership", 3, {"contact_every_months": 3})
    found = _quiet(db)
    assert set(found) == {"Lyon"}
    assert found["Lyon"].title(TODAY) == "Going quiet: no contact with Lyon for 13 months"
    assert found["Lyon"].rhythm_words() == "every 12 months (the usual while dormant)"


def test_a_month_runs_out_on_the_last_day_of_a_shorter_month(db: Database) -> None:
    kobe = _partner(db, "Kobe", established_date="1990-01-01")
    records.create(
        db,
        "interaction",
        {"occurred_on": "2026-08-31", "subject": "Call", "partnership_id": kobe},
    )
    # Six months after August 31 is February 28: quiet from March 1.
    assert _quiet(db, dt.date(2027, 2, 28)) == {}
    assert _quiet(db, dt.date(2027, 3, 1))["Kobe"].due == dt.date(2027, 2, 28)
    assert quiet.cutoff(dt.date(2027, 3, 1), 6) == dt.date(2026, 9, 1)


def test_the_list_by_time_since_last_contact(db: Database) -> None:
    kobe = _partner(db, "Kobe", established_date="1990-01-01")
    lyon = _partner(db, "Lyon", established_date="1995-01-01")
    _partner(db, "Turku", established_date="2010-01-01")
    _partner(db, "Irkutsk", status="suspended", established_date="1960")
    for pid, months in ((kobe, 2), (lyon, 9)):
        records.create(
            db,
            "interaction",
            {"occurred_on": _months_ago(months), "subject": "Call", "partnership_id": pid},
        )
    roster = quiet.by_silence(db, TODAY, 10)
    assert (roster.total, roster.overdue) == (3, 2)
    assert [(s.partner, s.quiet_for(TODAY), s.overdue(TODAY)) for s in roster.listed] == [
        ("Turku", "over 16 years", True),
        ("Lyon", "9 months", True),
        ("Kobe", "2 months", False),
    ]
    assert [s.partner for s in quiet.by_silence(db, TODAY, 2).listed] == ["Turku", "Lyon"]
    assert quiet.by_silence(db, TODAY, 2).total == 3


def test_words_for_how_long() -> None:
    assert quiet.months_between(dt.date(2026, 3, 20), dt.date(2026, 5, 19)) == 1
    assert quiet.months_between(dt.date(2026, 3, 20), dt.date(2026, 5, 20)) == 2
    assert [quiet.span(m) for m in (1, 14, 23, 24, 31)] == [
        "1 month",
        "14 months",
        "23 months",
        "2 years",
        "over 2 years",
    ]


def test_the_dashboard_lists_relationships_longest_quiet_first(db: Database, qapp: Any) -> None:
    from desk.ui.pages.dashboard_page import DashboardPage

    today = dt.date.today()
    kobe = _partner(db, "Kobe", established_date="1990-01-01")
    _partner(db, "Turku", established_date="2001-06-01", contact_every_months=24)
    _partner(db, "Irkutsk", status="suspended", established_date="1960")
    records.create(
        db,
        "interaction",
        {"occurred_on": today.isoformat(), "subject": "Call", "partnership_id": kobe},
    )
    page = DashboardPage(db)
    table = page.touch
    rows = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
    assert [row[0] for row in rows] == ["Turku", "Kobe"]
    since_2001 = quiet.span(quiet.months_between(dt.date(2001, 6, 1), today))
    assert rows[0][1:] == [
        "None recorded",
        since_2001,
        "24 months (its own)",
        "Overdue since 6/1/2003",
    ]
    assert rows[1][1:4] == [f"{today.month}/{today.day}/{today.year}", "0 months", "6 months"]
    assert rows[1][4].startswith("Due by ")
    assert page.touch_note.text().startswith(
        "2 relationships to keep in touch with, 1 of them overdue; all are listed."
    )
    assert table.item(0, 3).toolTip() == "Keep in touch every 24 months (set on the partnership)"
    page.deleteLater()


def test_a_partnership_entered_after_its_last_contact_counts_from_that_contact(
    db: Database,
) -> None:
    """Fez, typed in today with no founding date and a call logged five months ago, has
    gone quiet two months ago: the day it was entered says nothing about the relationship
    once a contact shows it was there before. Never contacted, it counts from that day."""
    fez = _partner(db, "Fez", status="proposed")  # every 3 months
    records.create(
        db,
        "interaction",
        {"occurred_on": _months_ago(5), "subject": "Call with the mayor", "partnership_id": fez},
    )
    _partner(db, "Saint-Louis", status="proposed")  # entered today, never contacted
    found = _quiet(db)
    assert set(found) == {"Fez"}
    assert found["Fez"].due == add_months(dt.date.fromisoformat(_months_ago(5)), 3)
    assert found["Fez"].title(TODAY) == "Going quiet: no contact with Fez for 5 months"
    roster = quiet.by_silence(db, TODAY, 10)
    fez_line = next(s for s in roster.listed if s.partner == "Fez")
    assert fez_line.overdue(TODAY) and roster.overdue == 1


def test_a_visit_being_prepared_keeps_a_relationship_from_going_quiet(db: Database) -> None:
    """Sharjah, last called 14 months ago on a six-month rhythm, has a mission accepted
    for three weeks from now: not quiet, and the roster says why. A declined visit, or
    one years away, does not count."""
    sharjah = _partner(db, "Sharjah")
    turku = _partner(db, "Turku")
    for pid in (sharjah, turku):
        records.create(
            db,
            "interaction",
            {"occurred_on": _months_ago(14), "subject": "Call", "partnership_id": pid},
        )
    soon = (TODAY + dt.timedelta(days=21)).isoformat()
    records.create(
        db,
        "visit",
        {
            "title": "Mission to Sharjah",
            "direction": "outgoing",
            "status": "accepted",
            "start_date": soon,
            "partnership_id": sharjah,
        },
    )
    records.create(
        db,
        "visit",
        {
            "title": "Mission to Turku",
            "direction": "outgoing",
            "status": "declined",
            "start_date": soon,
            "partnership_id": turku,
        },
    )
    assert set(_quiet(db)) == {"Turku"}
    roster = quiet.by_silence(db, TODAY, 10)
    held = next(s for s in roster.listed if s.partner == "Sharjah")
    assert held.preparing and not held.overdue(TODAY) and roster.overdue == 1
