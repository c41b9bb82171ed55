"""Dates as people type them are taken everywhere a date is asked for; what is shown
back is the U.S. short style, one style everywhere."""

from __future__ import annotations

import pytest

from desk.core.domain.kinds import KINDS
from desk.core.errors import ValidationError
from desk.core.store import queries, records
from desk.core.store.db import Database


@pytest.mark.parametrize(
    "typed",
    [
        "1972-03-24",
        "3/24/1972",
        "03/24/1972",
        "3/24/72",
        "March 24, 1972",
        "March 24 1972",
        "Mar 24, 1972",
        "24 March 1972",
        "Friday, March 24, 1972",
        "24.03.1972",
        "  3/24/1972 ",
    ],
)
def test_a_date_typed_any_usual_way_is_stored_the_same(db: Database, typed: str) -> None:
    rid = records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": typed},
    ).id
    assert records.get(db, "partnership", rid)["established_date"] == "1972-03-24"


@pytest.mark.parametrize("typed", ["24/3/1972", "the sixties", "March 1972", "2/30/2024"])
def test_what_is_not_a_whole_date_is_refused_with_examples(db: Database, typed: str) -> None:
    with pytest.raises(ValidationError, match=r"like 5/31/2024, May 31, 2024 or 2024-05-31"):
        records.create(db, "follow_up", {"title": "Send the letters", "due_date": typed})


def test_a_month_alone_where_a_day_is_needed_says_so(db: Database) -> None:
    with pytest.raises(ValidationError, match="the day is needed here"):
        records.create(db, "follow_up", {"title": "Send the letters", "due_date": "June 2026"})


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("1972", "1972", "1972"),
        ("March 1972", "1972-03", "3/1972"),
        ("Mar. 1972", "1972-03", "3/1972"),
        ("3/1972", "1972-03", "3/1972"),
        ("1972-03", "1972-03", "3/1972"),
    ],
)
def test_a_founding_known_to_its_year_or_month_stays_so(
    db: Database, typed: str, stored: str, shown: str
) -> None:
    rid = records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": typed},
    ).id
    assert records.get(db, "partnership", rid)["established_date"] == stored
    assert queries.describe(db, "partnership", rid)["fields"]["Established"] == shown
    # The founding status change takes the same date, not a made-up January 1.
    assert (
        db.execute(
            "SELECT changed_on FROM partnership_status_changes WHERE partnership_id = ?", (rid,)
        ).fetchone()[0]
        == stored
    )


@pytest.mark.parametrize("typed", ["the sixties", "13/1972", "1700", "spring 1972"])
def test_what_is_no_date_at_all_is_refused_where_a_year_would_do(db: Database, typed: str) -> None:
    with pytest.raises(ValidationError, match="Established"):
        records.create(
            db,
            "partnership",
            {"partner_name": "Kobe", "kind": "sister_city", "established_date": typed},
        )


def test_lists_and_records_show_dates_in_one_us_style(db: Database) -> None:
    records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": "1972-03-24"},
    )
    field = KINDS["partnership"].field_map["established_date"]
    assert queries.display(db, field, "1972-03-24") == "3/24/1972"
    assert queries.describe(db, "partnership", 1)["fields"]["Established"] == "3/24/1972"
