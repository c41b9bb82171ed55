"""The city's work in numbers: every figure counted from records made for the purpose,
the way the national survey counts."""

from __future__ import annotations

import datetime as dt

from desk.core.store import records
from desk.core.store.db import Database
from desk.reports import figures
from desk.reports.survey.data import collect

TODAY = dt.date(2026, 12, 5)


def _city(db: Database) -> dict[str, int]:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    kobe = records.create(
        db,
        "partnership",
        {
            "partner_name": "Kobe",
            "kind": "sister_city",
            "country": "JP",
            "status": "active",
            "established_date": "2024-05-01",
            "priority_areas": ["culture_education"],
            "sdgs": ["4", "17"],
        },
    ).id
    records.create(
        db,
        "partnership",
        {"partner_name": "Lyon", "kind": "friendship_city", "country": "FR", "status": "proposed"},
    )
    for title, direction, status, start in (
        ("Mission to Kobe", "outgoing", "completed", "2025-04-07"),
        ("Delegation from Kobe", "incoming", "completed", "2025-10-01"),
        ("Delegation called off", "incoming", "cancelled", "2025-06-01"),
        ("Delegation asked for", "incoming", "requested", "2025-07-01"),
        ("Mission next spring", "outgoing", "confirmed", "2027-03-01"),
    ):
        records.create(
            db,
            "visit",
            {
                "title": title,
                "direction": direction,
                "status": status,
                "start_date": start,
                "partnership_id": kobe,
                "sdgs": ["4"],
            },
        )
    records.create(
        db,
        "agreement",
        {
            "title": "Port MOU",
            "status": "in_force",
            "partnership_id": kobe,
            "signed_date": "2025-02-01",
            "expiry_date": "2027-02-01",
            "notice_days": 30,
            "sdgs": ["9"],
        },
    )
    for values in (
        {"measure": "students", "amount": 12, "year": 2025},
        {"measure": "students", "amount": 30, "year": 2025, "estimate": True},
        {"measure": "investment", "value_minor": "1,000,000", "currency": "USD", "year": 2025},
        {"measure": "investment", "value_minor": "500,000", "currency": "JPY", "year": 2025},
        {"measure": "investment", "value_minor": "250,000", "currency": "USD", "year": 2024},
        {"measure": "jobs", "amount": 80, "year": None},  # no year: in no year's total
    ):
        records.create(db, "outcome", {**values, "partnership_id": kobe})
    return {"kobe": kobe}


def test_engagements_by_year_count_only_what_took_place(db: Database) -> None:
    _city(db)
    years = {y.year: y for y in figures.by_year(db, 2023, 2027, TODAY)}
    assert list(years) == [2023, 2024, 2025, 2026, 2027]  # empty years kept
    assert years[2024].partnerships == 1 and years[2025].agreements == 1
    assert (years[2025].incoming, years[2025].outgoing) == (1, 1)  # not called off or asked
    assert years[2027].outgoing == 0  # planned, not yet held
    assert years[2023].activity == 0 and years[2025].activity == 3


def test_outcomes_add_up_by_measure_each_currency_apart(db: Database) -> None:
    _city(db)
    found = figures.outcomes(db, 2024, 2025)
    students = found[2025]["students"]
    assert (students.count, students.figures, students.estimated) == (42, 2, True)
    assert found[2025]["investment"].money == {"USD": 100_000_000, "JPY": 500_000}
    assert found[2024]["investment"].money == {"USD": 25_000_000}
    assert "jobs" not in found[2024] and "jobs" not in found[2025]
    whole = figures.over_years(found, "investment")
    assert whole.money == {"USD": 125_000_000, "JPY": 500_000} and whole.figures == 3


def test_goals_count_engagements_not_records(db: Database) -> None:
    _city(db)
    goals = figures.sdgs(db, 2025, 2025, TODAY)
    # One engagement, Kobe: its partnership names 4 and 17, the MOU signed in 2025 names
    # 9, and its two visits held name 4 again. Each goal counts the engagement once.
    assert goals == {"4": 1, "17": 1, "9": 1}
    assert max(goals.values()) <= figures.shares(db, 2025, TODAY, until=2025).engagements
    # Lyon, only proposed, is no engagement: a goal of its own counts nowhere.
    records.update(db, "partnership", _id(db, "Lyon"), {"sdgs": ["11"]})
    assert "11" not in figures.sdgs(db, 2025, 2025, TODAY)


def _id(db: Database, partner: str) -> int:
    return int(
        db.execute("SELECT id FROM partnerships WHERE partner_name = ?", (partner,)).fetchone()[0]
    )


def test_agreements_signed_are_those_the_survey_counts_as_signed() -> None:
    from desk.reports.survey.data import SIGNED

    assert set(figures.SIGNED) == set(SIGNED)


def test_shares_are_the_surveys_own_count(db: Database) -> None:
    _city(db)
    found = figures.shares(db, 2016, TODAY)
    summary = collect(db, 2016, TODAY).summary()
    assert found.engagements == summary["engagements"] == 1  # Kobe; Lyon is only proposed
    assert found.by_method == {"sister_city": 1} and found.share("by_method", "sister_city") == 1
    assert found.national["by_method"]["sister_city"] == 0.54  # the edition's findings


def test_what_comes_next_is_in_date_order(db: Database) -> None:
    _city(db)
    coming = figures.coming(db, TODAY, days=120)
    # Expiring February 1 with 30 days' notice and 30 of margin: the decision was due
    # December 3, two days ago, and the agreement is still in force.
    assert [(c.day.isoformat(), c.what) for c in coming] == [
        ("2026-12-03", "Overdue: decide on Port MOU"),
        ("2027-02-01", "Port MOU expires"),
        ("2027-03-01", "Mission next spring"),
    ]
    assert [c.what for c in figures.coming(db, TODAY, days=30)] == ["Overdue: decide on Port MOU"]


def test_an_agreement_that_renews_by_itself_is_not_said_to_expire(db: Database) -> None:
    _city(db)
    records.update(db, "agreement", _agreement(db, "Port MOU"), {"auto_renew": True})
    coming = figures.coming(db, TODAY, days=120)
    assert ("2027-02-01", "Port MOU renews by itself unless notice is given") in [
        (c.day.isoformat(), c.what) for c in coming
    ]
    assert not any("expires" in c.what for c in coming)


def _agreement(db: Database, title: str) -> int:
    return int(db.execute("SELECT id FROM agreements WHERE title = ?", (title,)).fetchone()[0])


def test_looking_back_lists_what_was_ahead_on_that_day(db: Database) -> None:
    ids = _city(db)
    for title, status, start, asked in (
        ("Mission held since", "completed", "2026-03-01", "2025-11-01"),
        ("Asked for after", "confirmed", "2026-05-01", "2026-02-01"),
    ):
        records.create(
            db,
            "visit",
            {
                "title": title,
                "direction": "outgoing",
                "status": status,
                "start_date": start,
                "request_date": asked,
                "partnership_id": ids["kobe"],
            },
        )
    records.create(
        db,
        "agreement",
        {
            "title": "Signed after",
            "status": "in_force",
            "partnership_id": ids["kobe"],
            "signed_date": "2026-02-01",
            "expiry_date": "2026-09-01",
        },
    )
    # The Port MOU expired since: on January 1, 2026 it still ran to February 2027.
    records.update(db, "agreement", _agreement(db, "Port MOU"), {"status": "expired"})
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    then = [c.what for c in figures.coming(db, start, until=end, looking_back=True)]
    assert then == ["Mission held since", "Decide on Port MOU"]
    # Read from today, the same span leaves out what is done and what has expired.
    now = [c.what for c in figures.coming(db, start, until=end)]
    assert now == ["Asked for after", "Decide on Signed after", "Signed after expires"]


def test_partners_in_force_by_their_standing_on_the_day(db: Database) -> None:
    _city(db)
    kobe = _id(db, "Kobe")
    records.change_status(db, kobe, "suspended", "2026-03-01", "Council resolution")
    names = lambda day: [p["partner_name"] for p in figures.in_force(db, day)]  # noqa: E731
    assert names(dt.date(2024, 4, 30)) == []  # before its founding
    assert names(dt.date(2025, 12, 31)) == ["Kobe"]
    assert names(dt.date(2026, 6, 1)) == []  # suspended by then


def test_a_span_counts_only_what_stood_by_its_end(db: Database) -> None:
    _city(db)  # Kobe established in 2024
    assert figures.shares(db, 2017, TODAY, until=2020).engagements == 0
    assert figures.shares(db, 2017, TODAY, until=2024).engagements == 1
    assert figures.sdgs(db, 2020, 2020, TODAY) == {}  # Kobe's goals count from 2024 on


def test_axis_steps_are_whole_numbers_of_things() -> None:
    assert figures.axis(0) == (1.0, 1.0)
    assert figures.axis(2) == (2.0, 1.0)  # never 0.5 of a visit
    assert figures.axis(37) == (40.0, 10.0)
    assert figures.axis(7600) == (8000.0, 2000.0)


def test_joining_a_network_is_not_a_new_partnership(db: Database) -> None:
    """A network membership is counted one way: as a membership, never as a partnership
    established, whether it was taken in as a partnership or kept on the network pages."""
    _city(db)
    records.create(
        db,
        "partnership",
        {
            "partner_name": "ICLEI",
            "kind": "network_membership",
            "status": "active",
            "established_date": "2024",
        },
    )
    records.create(
        db, "network", {"network_name": "C40", "status": "active", "joined_date": "2024"}
    )
    years = {y.year: y for y in figures.by_year(db, 2024, 2024, TODAY)}
    assert years[2024].partnerships == 1  # Kobe alone


def test_a_countrys_share_is_of_the_engagements_with_a_country(db: Database) -> None:
    _city(db)
    records.create(db, "network", {"network_name": "ICLEI", "status": "active"})
    found = figures.shares(db, 2016, TODAY)
    assert (found.engagements, found.with_country) == (2, 1)
    assert found.share("by_country", "JP") == 1 and found.share("by_method", "sister_city") == 0.5
