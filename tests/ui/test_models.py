from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from desk.core.domain.dates import parse_partial
from desk.core.domain.kinds import KINDS
from desk.core.store import queries
from desk.core.store.db import Database
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
    # Shown as 4/8/2025 (a year joined alone as 2009); sorted by the date itself, not by
    # the text.
    filled = [parse_partial(d) for d in dates if d]
    assert "2009" in filled
    assert filled == sorted(filled) and dates[-1] == ""  # empty dates last
    model.set_filter("Matsue")
    assert model.rowCount() == 1
    assert model.data(model.index(0, 0)) == "Matsue"
    record_id = model.data(model.index(0, 0), ID_ROLE)
    assert model.row_of(record_id) == 0


@pytest.mark.parametrize("kind_name", sorted(k.name for k in KINDS.values() if k.links))
def test_linked_row_models(
    qtmodeltester: Any, qtbot: Any, demo_db: Database, kind_name: str
) -> None:
    panel = LinksPanel(demo_db, kind_name)
    qtbot.addWidget(panel)
    panel.load(1)
    for tab in panel.tabs:
        qtmodeltester.check(tab.model)


def test_home_time_follows_the_city_time_zone(qtbot: Any, db: Database) -> None:
    from desk.core.store import records

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


def _filtered_soon(qtbot: Any, model: RecordTableModel, text: str) -> list[int]:
    with qtbot.waitSignal(model.filtered, timeout=10_000):
        model.set_filter_soon(text)
    return [model.id_at(r) or 0 for r in range(model.rowCount())]


@pytest.mark.parametrize(
    ("kind_name", "column"),
    [("contact", "family_name"), ("contact", "organisation"), ("agreement", "partner")],
)
def test_a_filter_read_on_its_own_thread_matches_the_database(
    qtbot: Any, demo_db: Database, kind_name: str, column: str
) -> None:
    model = RecordTableModel(demo_db, kind_name)
    model.sort(model.columns.index(column), Qt.SortOrder.DescendingOrder)
    model.prepare_filter()
    try:
        for text in ("m", "ma", "mat", "", "kyoto", "zzzz", "Đặng", "山"):
            soon = _filtered_soon(qtbot, model, text)
            model.set_filter(text)  # the same, asked on this thread
            assert soon == [model.id_at(r) for r in range(model.rowCount())], text
    finally:
        model.stop_reading()


def test_a_filter_sees_what_another_connection_wrote(qtbot: Any, demo_db: Database) -> None:
    from desk.core.store import records
    from desk.core.store.db import open_database

    model = RecordTableModel(demo_db, "contact")
    try:
        before = _filtered_soon(qtbot, model, "Zebulon")
        assert before == []
        other = open_database(demo_db.file or "")
        added = records.create(other, "contact", {"family_name": "Zebulon"}).id
        other.close()
        assert _filtered_soon(qtbot, model, "Zebulon") == [added]
    finally:
        model.stop_reading()


def test_only_the_latest_filter_is_shown(qtbot: Any, demo_db: Database) -> None:
    model = RecordTableModel(demo_db, "contact")
    shown: list[str] = []
    model.filtered.connect(lambda: shown.append(model.query.text))
    try:
        for text in ("m", "ma", "mar", "mari"):
            model.set_filter_soon(text)
        qtbot.waitUntil(lambda: bool(shown))
        qtbot.wait(300)  # any older answer still on its way is dropped
        assert shown == ["mari"]
        ids = [model.id_at(r) for r in range(model.rowCount())]
        model.set_filter("mari")
        assert ids == [model.id_at(r) for r in range(model.rowCount())]
    finally:
        model.stop_reading()


def test_a_long_list_is_read_apart_and_the_page_fills_when_it_arrives(
    qtbot: Any, demo_db: Database, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At scale a page opens before its list is read: it says so, then shows the list,
    selects the first record and shows it; a header click sorts the same way."""
    from desk.ui.models import record_table

    monkeypatch.setattr(record_table, "READ_APART_FROM_ROWS", 50)
    window = make_window(demo_db, demo_db.file)
    window.show_page("contact")
    page = window.page("contact")
    if page.model.waiting():
        assert page.count_label.text() == "Reading the contacts…"
    qtbot.waitUntil(lambda: not page.model.waiting() and page.current_id is not None)
    ids = [page.model.id_at(r) for r in range(page.model.rowCount())]
    assert ids == queries.ids(demo_db, page.model.query)  # as read here, at once
    assert len(ids) > 50 and page.count_label.text() == f"{len(ids):,} contacts"
    assert page.current_id == ids[0] and page.form.editors["family_name"].value()

    # Sorting by another column: read apart too, the shown record kept and selected.
    shown = page.current_id
    page.table.sortByColumn(page.model.columns.index("country"), Qt.SortOrder.DescendingOrder)
    assert page.model.waiting()
    qtbot.waitUntil(lambda: not page.model.waiting())
    by_country = [page.model.id_at(r) for r in range(page.model.rowCount())]
    assert page.model.query.sort == "country" and page.model.query.descending
    assert by_country == queries.ids(demo_db, page.model.query)
    assert page.current_id == shown
    assert page.table.currentIndex().row() == by_country.index(shown)
    window.close()


# Names from many places, in the order a person looks for them (the people's alphabet:
# accents and case after the letters, other scripts after Latin), and as stored.
_PEOPLE_IN_ORDER = [
    ("Dang", "Thu"),
    ("Đặng", "Văn"),
    ("Gómez", "Luis"),
    ("Gross", "Anna"),
    ("Groß", "Bernd"),
    ("Müller", "Anna"),
    ("Muller", "Zoe"),
    ("O'Brien", "Siobhan"),
    ("Oakley", "Ray"),
    ("Øster", "Lars"),
    ("Sören", "Kai"),
    ("Stefan", "Ion"),
    ("Иванов", "Иван"),
    ("李", "娜"),
]


def test_the_contact_list_sorts_names_in_the_peoples_alphabet(db: Database) -> None:
    from desk.core.store import records

    for family_name, given_name in reversed(_PEOPLE_IN_ORDER):
        records.create(db, "contact", {"family_name": family_name, "given_name": given_name})
    model = RecordTableModel(db, "contact")
    family, given = model.columns.index("family_name"), model.columns.index("given_name")

    def shown() -> list[tuple[str, str]]:
        return [
            (model.data(model.index(r, family)), model.data(model.index(r, given)))
            for r in range(model.rowCount())
        ]

    assert shown() == _PEOPLE_IN_ORDER
    model.sort(family, Qt.SortOrder.DescendingOrder)
    assert shown() == _PEOPLE_IN_ORDER[::-1]
    model.sort(given, Qt.SortOrder.AscendingOrder)
    assert [g for _f, g in shown()] == [
        "Anna",
        "Anna",
        "Bernd",
        "Ion",
        "Kai",
        "Lars",
        "Luis",
        "Ray",
        "Siobhan",
        "Thu",
        "Văn",
        "Zoe",
        "Иван",
        "娜",
    ]
    assert shown()[:2] == [("Gross", "Anna"), ("Müller", "Anna")]  # then by family name


def test_the_partnership_list_sorts_partners_in_the_peoples_alphabet(db: Database) -> None:
    from desk.core.store import records

    partners = [
        "Århus",
        "Aarhus",
        "Pécs",
        "Perugia",
        "Łódź",
        "Lyon",
        "Zürich",
        "Zug",
        "서울",
        "Ōsaka",
    ]
    for name in partners:
        records.create(db, "partnership", {"partner_name": name, "kind": "sister_city"})
    model = RecordTableModel(db, "partnership")
    column = model.columns.index("partner_name")
    shown = [model.data(model.index(r, column)) for r in range(model.rowCount())]
    assert shown == [
        "Aarhus",
        "Århus",
        "Łódź",
        "Lyon",
        "Ōsaka",
        "Pécs",
        "Perugia",
        "Zug",
        "Zürich",
        "서울",
    ]
    assert shown != sorted(shown)  # not the order of code points
