"""The window used as a person uses it: click, type, save, search, delete, reopen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from desk.core.store import queries, records
from desk.core.store.db import Database, open_database
from desk.ui.dialogs.record_dialog import RecordDialog
from desk.ui.dialogs.search_palette import SearchPalette
from desk.ui.dialogs.status_dialog import StatusDialog
from desk.ui.widgets.links_panel import record_dialog


def type_into(qtbot: Any, form: Any, name: str, text: str) -> None:
    editor = form.editors[name]
    widget = editor.focus_widget()
    if hasattr(editor, "combo"):
        editor.combo.setCurrentIndex(editor.combo.findText(text))
        return
    widget.setFocus()
    if hasattr(widget, "selectAll"):
        widget.selectAll()
    if text.isascii():
        qtbot.keyClicks(widget, text)
    else:
        # Native scripts arrive through an input method, as they do from a real keyboard.
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)


def dispose(qtbot: Any, window: Any) -> None:
    """Close a window, and let it finish painting, before the database under it closes."""
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    qtbot.wait(10)


class _Plain:
    """A bare line edit, typed into like a form field."""

    def __init__(self, widget: Any) -> None:
        self.widget = widget

    def focus_widget(self) -> Any:
        return self.widget


def test_first_run_offers_city_setup_and_demo(
    make_window: Any, db: Database, db_path: Path, qtbot: Any
) -> None:
    window = make_window(db, db_path)
    today = window.page("today")
    assert today.welcome.isVisible() and today.demo_button.isVisible()
    qtbot.mouseClick(today.setup_button, Qt.MouseButton.LeftButton)
    city = window.page("city")
    assert window.current_page() is city
    type_into(qtbot, city.form, "name", "Port Meridian")
    city.form.editors["time_zone"].set_value("America/Los_Angeles")
    city.form.editors["staff_international"].line.setText("three")
    city.form.editors["staff_international"].edited.emit()
    qtbot.mouseClick(city.save_button, Qt.MouseButton.LeftButton)
    assert "must be a whole number" in city.form.error_text("staff_international")
    assert queries.count(db, "city") == 0
    city.form.editors["staff_international"].line.setText("3")
    qtbot.mouseClick(city.save_button, Qt.MouseButton.LeftButton)
    assert records.get(db, "city", 1)["staff_international"] == 3


def test_demo_from_the_welcome_page_opens_in_a_file_of_its_own(
    make_window: Any,
    db: Database,
    db_path: Path,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desk.ui import databases

    demo = tmp_path / "demo" / "Port Meridian demo.sqlite"
    opened: list[Path] = []
    monkeypatch.setattr(databases, "demo_path", lambda: demo)
    monkeypatch.setattr(databases, "open_window", lambda _parent, path: opened.append(path))
    window = make_window(db, db_path)
    today = window.page("today")
    qtbot.mouseClick(today.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=30_000)
    assert opened == [demo]
    assert queries.count(db, "contact") == 0  # the user's own file holds no fiction
    assert today.welcome.isVisible()
    built = open_database(demo, create=False)
    assert queries.count(built, "contact") == 250
    built.close()
    assert databases.recent_files()[0] == demo.resolve()
    window.load_demo()  # a second time: the file is there, it opens at once
    assert opened == [demo, demo]


def test_partnership_agreement_visit_workflow(
    make_window: Any,
    db: Database,
    db_path: Path,
    qtbot: Any,
    answer: list[str],
    choose_file: Any,
    dialogs: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    window = make_window(db, db_path)

    # A partnership, typed in; a bad date is shown next to its field and nothing is stored.
    window.show_page("partnership")
    page = window.page("partnership")
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, page.form, "partner_name", "Kobe")
    type_into(qtbot, page.form, "partner_name_native", "神戸市")
    type_into(qtbot, page.form, "kind", "Sister city")
    page.form.editors["country"].set_value("JP")
    type_into(qtbot, page.form, "established_date", "the sixties")
    qtbot.keyClick(
        page.form.editors["partner_name"].line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert "must be a date like" in page.form.error_text("established_date")
    assert queries.count(db, "partnership") == 0
    type_into(qtbot, page.form, "established_date", "1961-06-21")
    qtbot.keyClick(
        page.form.editors["partner_name"].line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    assert queries.count(db, "partnership") == 1
    pid = page.current_id
    assert page.model.rowCount() == 1 and "神戸市" in page.heading.text()

    # Its status moves with a date and a reason.
    def change(dialog: StatusDialog) -> None:
        dialog.status.setCurrentIndex(dialog.status.findData("active"))
        dialog.date.set_value("1961-07-01")
        dialog.reason.setPlainText("Council resolution 61-12")

    dialogs(StatusDialog, change)
    qtbot.mouseClick(page.status_button, Qt.MouseButton.LeftButton)
    assert records.get(db, "partnership", pid)["status"] == "active"
    assert "Status history (2)" in [page.links.tabText(n) for n in range(page.links.count())]

    # An agreement under it, with its executed copy attached.
    def agreement(dialog: RecordDialog) -> None:
        type_into(qtbot, dialog.form, "title", "Sister City Agreement")
        type_into(qtbot, dialog.form, "signed_date", "1961-06-21")

    dialogs(RecordDialog, agreement)
    qtbot.mouseClick(page.links.tab("Agreements").add_button, Qt.MouseButton.LeftButton)
    aid = db.execute("SELECT id FROM agreements").fetchone()[0]
    assert records.get(db, "agreement", aid)["partnership_id"] == pid
    tab = page.links.tab("Agreements")
    tab.view.selectRow(0)
    qtbot.mouseClick(tab.open_button, Qt.MouseButton.LeftButton)
    agreements = window.page("agreement")
    assert window.current_page() is agreements and agreements.current_id == aid
    scan = tmp_path / "executed.pdf"
    scan.write_bytes(b"%PDF-1.4 signed copy")
    choose_file(scan)
    files = agreements.links.tab("Files")
    files.add()
    assert files.model.rowCount() == 1 and files.model.rows[0]["filename"] == "executed.pdf"

    # A visit with two itinerary items in Tokyo time, shown beside our home time.
    window.show_page("visit")
    visits = window.page("visit")
    qtbot.mouseClick(visits.new_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, visits.form, "title", "Mission to Kobe")
    type_into(qtbot, visits.form, "direction", "Outgoing mission")
    visits.form.editors["time_zone"].set_value("Asia/Tokyo")
    visits.form.editors["partnership_id"].set_value(pid)
    type_into(qtbot, visits.form, "start_date", "2027-04-05")
    type_into(qtbot, visits.form, "end_date", "2027-04-07")
    assert visits.save()
    vid = visits.current_id
    for title, when in (
        ("Courtesy call on the Mayor", "2027-04-05 10:00"),
        ("Welcome dinner", "2027-04-05 19:00"),
    ):

        def item(dialog: RecordDialog, title: str = title, when: str = when) -> None:
            assert dialog.form.editors["time_zone"].value() == "Asia/Tokyo"
            type_into(qtbot, dialog.form, "title", title)
            type_into(qtbot, dialog.form, "starts_at", when)
            assert "At home" in dialog.hint.text()

        dialogs(RecordDialog, item)
        visits.links.tab("Itinerary").add()
    itinerary = visits.links.tab("Itinerary").model
    assert itinerary.rowCount() == 2
    assert itinerary.data(itinerary.index(0, 0)) == "Mon, Apr 5, 10:00 AM (UTC+9)"
    assert itinerary.data(itinerary.index(0, 1)) == "Sun, Apr 4, 6:00 PM (UTC-7)"

    contact = records.create(
        db, "contact", {"family_name": "Kubo", "given_name": "Kazuko", "name_native": "久保和子"}
    ).id

    def member(dialog: RecordDialog) -> None:
        dialog.form.editors["contact_id"].set_value(contact)
        type_into(qtbot, dialog.form, "role", "Principal")

    dialogs(RecordDialog, member)
    visits.links.tab("Delegation").add()

    def gift(dialog: RecordDialog) -> None:
        type_into(qtbot, dialog.form, "direction", "Given")
        type_into(qtbot, dialog.form, "description", "Myrtlewood bowl")
        type_into(qtbot, dialog.form, "value_minor", "95.00")
        dialog.form.editors["currency"].set_value("USD")

    dialogs(RecordDialog, gift)
    visits.links.tab("Gifts").add()
    gifts = visits.links.tab("Gifts").model
    assert gifts.data(gifts.index(0, 2)) == "$95.00"

    # Search finds the native-script name; Enter opens the record.
    palette = SearchPalette(db, window)
    palette.chosen.connect(window.open_record)
    type_into(qtbot, type("Form", (), {"editors": {"q": _Plain(palette.input)}})(), "q", "久保")
    palette.run_search()
    assert palette.results.topLevelItem(0).text(0) == "Contacts"
    qtbot.keyClick(palette.input, Qt.Key.Key_Return)
    contacts = window.page("contact")
    assert window.current_page() is contacts and contacts.current_id == contact
    assert contacts.links.tab("Visits").model.rowCount() == 1

    # Deleting the visit asks first and says what goes with it.
    window.open_record("visit", vid)
    qtbot.mouseClick(visits.delete_button, Qt.MouseButton.LeftButton)
    assert "Also deletes 2 itinerary items, 1 delegation member, 1 gift" in answer[-1]
    assert queries.count(db, "visit") == 0

    # Closing and reopening finds everything as it was.
    dispose(qtbot, window)
    db.close()
    again = open_database(db_path)
    reopened = make_window(again, db_path)
    reopened.show_page("partnership")
    partnerships = reopened.page("partnership")
    assert partnerships.model.rowCount() == 1
    partnerships.open_record(pid)
    assert partnerships.form.editors["partner_name_native"].value() == "神戸市"
    assert "Agreements (1)" in [
        partnerships.links.tabText(n) for n in range(partnerships.links.count())
    ]
    dispose(qtbot, reopened)
    again.close()


def test_unsaved_changes_are_never_lost(
    make_window: Any, demo_db: Database, tmp_path: Path, qtbot: Any, answer: list[str]
) -> None:
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    window.show_page("contact")
    page = window.page("contact")
    page.table.selectRow(0)
    first = page.current_id
    type_into(qtbot, page.form, "dietary", "vegetarian")
    assert page.form.dirty and window.isWindowModified()
    page.table.selectRow(1)  # moving away asks, and the answer here is Save
    assert any("Unsaved changes" in a for a in answer)
    assert records.get(demo_db, "contact", first)["dietary"] == "vegetarian"
    assert page.current_id != first


def test_layout_is_remembered(make_window: Any, demo_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    window = make_window(demo_db, path)
    window.resize(701, 503)
    header = window.page("visit").table.horizontalHeader()
    header.resizeSection(0, 333)
    window.close()
    again = make_window(demo_db, path)
    assert (again.width(), again.height()) == (701, 503)
    assert again.page("visit").table.horizontalHeader().sectionSize(0) == 333


def test_keyboard_switches_pages(
    make_window: Any, demo_db: Database, tmp_path: Path, qtbot: Any
) -> None:
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page() is window.page("contact")
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.page("contact").filter.hasFocus()
    qtbot.keyClicks(window.page("contact").filter, "yamada")
    qtbot.waitUntil(lambda: window.page("contact").model.rowCount() < 250)
    assert all(
        "Yamada" in window.page("contact").model.data(window.page("contact").model.index(r, 0))
        for r in range(window.page("contact").model.rowCount())
    )


def test_an_interactions_participants_are_kept_in_its_dialog(
    qtbot: Any, db: Database, dialogs: Any
) -> None:
    meeting = records.create(
        db, "interaction", {"occurred_on": "2026-03-02", "subject": "Anniversary planning"}
    ).id
    kim = records.create(db, "contact", {"family_name": "Kim", "given_name": "Min-jun"}).id
    dialog = record_dialog(db, "interaction", meeting)
    qtbot.addWidget(dialog)
    assert dialog.links is not None

    def choose(member: RecordDialog) -> None:
        member.form.editors["contact_id"].set_value(kim)

    dialogs(RecordDialog, choose)
    dialog.links.tab("Participants").add()
    assert (
        db.execute(
            "SELECT contact_id FROM interaction_participants WHERE interaction_id = ?", (meeting,)
        ).fetchone()[0]
        == kim
    )
    assert dialog.links.tabText(0) == "Participants (1)"


def test_a_record_without_a_page_opens_on_its_owners(
    make_window: Any, demo_db: Database, tmp_path: Path
) -> None:
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    item, visit = demo_db.execute("SELECT id, visit_id FROM itinerary_items LIMIT 1").fetchone()
    window.open_record("itinerary_item", item)
    assert window.current_page() is window.page("visit")
    assert window.page("visit").current_id == visit


def test_a_file_found_by_search_opens_where_it_is_kept(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    """A search hit on an attached file opens its visit's page with the file selected
    among the visit's files, not a form about the file alone."""
    from desk.core.store import attachments

    visit = records.create(db, "visit", {"title": "Matsue mission", "direction": "outgoing"}).id
    records.create(db, "visit", {"title": "Kobe delegation", "direction": "incoming"})
    kept = attachments.attach_file(db, "visit", visit, b"Minutes", "lantern-minutes.txt").id
    window = make_window(db, db_path)
    palette = SearchPalette(db, window)
    palette.chosen.connect(window.open_record)
    palette.input.setText("lantern")
    palette.run_search()
    qtbot.keyClick(palette.input, Qt.Key.Key_Return)
    visits = window.page("visit")
    assert window.current_page() is visits and visits.current_id == visit
    files = visits.links.tab("Files")
    assert visits.links.currentWidget() is files
    chosen = files.selected_row()
    assert chosen is not None and chosen["id"] == kept
