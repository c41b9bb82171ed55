from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desk.core.db import Database
from desk.core.kinds import KINDS
from desk.ui.links import LINKS
from desk.ui.models.record_table import ID_ROLE, RecordTableModel
from desk.ui.widgets.links_panel import LinksPanel

LISTED = [k for k in KINDS.values() if k.list_columns]


@pytest.mark.parametrize("kind_name", [k.name for k in LISTED])
def test_record_table_models(qtmodeltester: Any, demo_db: Database, kind_name: str) -> None:
    model = RecordTableModel(demo_db, kind_name)
    qtmodeltester.check(model)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    model.set_filter("a")
    qtmodeltester.check(model)


def test_the_database_sorts_and_filters(demo_db: Database) -> None:
    model = RecordTableModel(demo_db, "partnership")
    model.sort(model.columns.index("established_date"), Qt.SortOrder.AscendingOrder)
    dates = [
        model.data(model.index(r, model.columns.index("established_date")))
        for r in range(model.rowCount())
    ]
    # Shown as 4/8/2025; sorted by the date itself, not by the text.
    filled = [dt.datetime.strptime(d, "%m/%d/%Y").date() for d in dates if d]
    assert filled == sorted(filled) and dates[-1] == ""  # empty dates last
    model.set_filter("Matsue")
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)) == "Matsue"
    record_id = model.data(model.index(0, 0), ID_ROLE)
    assert model.row_of(record_id) == 0


@pytest.mark.parametrize("kind_name", sorted(LINKS))
def test_linked_row_models(
    qtmodeltester: Any, qtbot: Any, demo_db: Database, kind_name: str
) -> None:
    panel = LinksPanel(demo_db, kind_name)
    qtbot.addWidget(panel)
    panel.load(1)
    for tab in panel.tabs:
        qtmodeltester.check(tab.model)


def test_home_time_follows_the_city_time_zone(qtbot: Any, db: Database) -> None:
    from desk.core import records

    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    visit = records.create(db, "visit", {"title": "Mission", "direction": "outgoing"}).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Call",
            "starts_at": "2027-04-05 10:00",
            "time_zone": "Asia/Tokyo",
        },
    )
    panel = LinksPanel(db, "visit")
    qtbot.addWidget(panel)
    panel.load(visit)
    itinerary = panel.tab("Itinerary").model
    assert itinerary.data(itinerary.index(0, 1)) == "Sun, Apr 4, 6:00 PM (UTC-7)"
    records.update(db, "city", 1, {"time_zone": "America/New_York"})
    panel.load(visit)
    assert itinerary.data(itinerary.index(0, 1)) == "Sun, Apr 4, 9:00 PM (UTC-4)"
