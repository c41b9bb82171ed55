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
    assert years[2023].engagements == 0 and years[2025].engagements == 3


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


def test_goals_count_engagements_in_force_held_or_signed(db: Database) -> None:
    _city(db)
    goals = figures.sdgs(db, 2025, 2025, TODAY)
    # Kobe (in force): 4 and 17; two visits held in 2025: 4 each; the MOU signed: 9.
    assert goals == {"4": 3, "17": 1, "9": 1}


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
