"""A partnership's story reads as a person would tell it: what each visit was, once."""

from __future__ import annotations

import datetime as dt

from desk.core.features import story
from desk.core.store import records
from desk.core.store.db import Database


def test_each_visit_says_what_it_was_once(db: Database) -> None:
    today = dt.date(2026, 12, 5)
    kobe = records.create(
        db, "partnership", {"partner_name": "Kobe", "kind": "sister_city", "status": "active"}
    ).id
    for title, direction, start in (
        ("Mission to Kobe", "outgoing", "2027-03-01"),
        ("Spring talks", "outgoing", "2026-04-01"),
        ("Delegation from Kobe", "incoming", "2025-10-01"),
        ("Port tour", "incoming", "2027-05-01"),
    ):
        records.create(
            db,
            "visit",
            {"title": title, "direction": direction, "start_date": start, "partnership_id": kobe},
        )
    said = [e.what for e in story.story(db, kobe, today) if e.open_kind == "visit"]
    assert said == [
        "Coming up: Delegation: Port tour",
        "Coming up: Mission to Kobe",
        "Mission: Spring talks",
        "Delegation from Kobe",
    ]
