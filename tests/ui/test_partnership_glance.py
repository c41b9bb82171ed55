"""A partnership at a glance: the card says where it stands, the timeline tells its story
newest first, and Enter on an entry opens that record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desk.core.store import records
from desk.core.store.db import Database


def test_card_and_timeline(make_window: Any, db: Database, db_path: Path, qtbot: Any) -> None:
    today = dt.date.today()
    kobe = records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "established_date": "1957-06-21"},
    ).id
    records.change_status(db, kobe, "active", "1957-06-21", "Council resolution")
    records.create(
        db,
        "agreement",
        {
            "title": "Port MOU",
            "status": "in_force",
            "partnership_id": kobe,
            "signed_date": "2020-05-01",
            "expiry_date": (today + dt.timedelta(days=200)).isoformat(),
        },
    )
    visit = records.create(
        db,
        "visit",
        {
            "title": "Delegation from Kobe",
            "direction": "incoming",
            "partnership_id": kobe,
            "start_date": "2024-04-02",
        },
    ).id
    records.create(
        db,
        "follow_up",
        {"title": "Send photos", "due_date": "2024-05-01", "partnership_id": kobe},
    )
    window = make_window(db, db_path)
    window.open_record("partnership", kobe)
    page = window.page("partnership")
    card = page.card.text()
    assert "Active since June 21, 1957 (Council resolution)" in card
    assert "Next deadline: Decide on Port MOU, " in card
    assert "Last contact: none recorded" in card
    assert "1 open, here and on its visits and agreements (1 overdue)" in card
    tree = page.timeline.tree
    lines = [tree.topLevelItem(n).text(1) for n in range(tree.topLevelItemCount())]
    assert lines == [
        "Delegation from Kobe",
        "Agreement signed: Port MOU",
        "Status: Active (Council resolution)",
        "Status: Proposed",  # as first entered, the same day
        "Relationship with Kobe established",
    ]
    assert page.links.tabText(0) == "Timeline (5)"
    tree.setFocus()
    tree.setCurrentItem(tree.topLevelItem(0))
    qtbot.keyClick(tree, Qt.Key.Key_Return)
    visits = window.page("visit")
    qtbot.waitUntil(lambda: window.current_page() is visits)
    assert visits.current_id == visit
    window.close()
