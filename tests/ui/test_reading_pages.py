"""Records open as pages to read and turn into forms on Edit; every key is held once;
undo shows what it changed; text size and theme follow the person's choice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import QApplication

from desk.core.store import records
from desk.core.store.db import Database
from desk.ui import appearance


def _partnership(db: Database) -> int:
    return records.create(
        db,
        "partnership",
        {"partner_name": "Matsue", "country": "JP", "kind": "sister_city", "notes": "Lanterns"},
    ).id


def test_a_record_opens_as_a_page_and_edits_as_a_form(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    matsue = _partnership(db)
    window = make_window(db, db_path)
    window.open_record("partnership", matsue)
    page = window.page("partnership")
    assert not page.editing and page.view.currentWidget() is page.reader
    text = page.reader.text_shown()
    assert "Matsue" in text and "Japan" in text and "Lanterns" in text
    # Only what is filled: an empty field has no line of its own.
    assert "Region / province" not in text and "Lead department" not in text

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_E)
    assert page.editing and page.view.currentWidget() is page.form_scroll
    assert page.save_button.isVisible() and not page.edit_button.isVisible()
    notes = page.form.editors["notes"]
    notes.set_value("Lanterns and youth exchange")
    page.save()
    assert not page.editing
    assert "youth exchange" in page.reader.text_shown()
    assert records.get(db, "partnership", matsue)["notes"] == "Lanterns and youth exchange"


def test_the_form_is_made_only_when_the_record_is_edited(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    """A page read is not a form built: the thirty editors wait for Edit, and then hold
    the record shown, not an empty one."""
    matsue = _partnership(db)
    window = make_window(db, db_path)
    window.show_page("partnership")
    page = window.page("partnership")
    qtbot.waitUntil(lambda: page.current_id == matsue, timeout=2000)
    qtbot.wait(100)  # a pass of the event loop or two: nothing makes it meanwhile
    assert page._form is None and not page.dirty
    assert page.confirm_leave()  # nothing typed, nothing asked
    page.edit()
    assert page._form is not None
    assert page.form.editors["partner_name"].value() == "Matsue"
    assert page.form_scroll.widget() is page.form


def test_an_empty_list_opens_on_a_new_record_form(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    window = make_window(db, db_path)
    window.show_page("agreement")
    page = window.page("agreement")
    qtbot.waitUntil(lambda: page._form is not None, timeout=2000)
    assert page.view.currentWidget() is page.form_scroll
    assert page.form_scroll.widget() is page.form
    assert page.form.values().get("title") in (None, "")


def test_cancel_and_double_click(db: Database, db_path: Path, make_window: Any, qtbot: Any) -> None:
    matsue = _partnership(db)
    window = make_window(db, db_path)
    window.open_record("partnership", matsue)
    page = window.page("partnership")
    qtbot.mouseDClick(page.reader.viewport(), Qt.MouseButton.LeftButton)
    assert page.editing
    page.cancel_edit()
    assert not page.editing and page.view.currentWidget() is page.reader


def test_new_puts_the_cursor_in_the_first_field(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    _partnership(db)
    window = make_window(db, db_path)
    window.show_page("partnership")
    page = window.page("partnership")
    page.new_record()
    first = next(iter(page.form.editors.values())).focus_widget()
    qtbot.waitUntil(first.hasFocus, timeout=2000)
    qtbot.keyClicks(first, "Kobe")
    assert page.form.values()["partner_name"] == "Kobe"
    page.form.mark_clean()  # nothing to ask about when the window closes


def _keys(window: Any) -> tuple[dict[str, list[str]], list[set[str]]]:
    """Keys held window-wide (each by what holds it), and the keys each page holds for
    itself: a page's key held window-wide too is as ambiguous as one held twice."""
    for key in window.factories:
        window.page(key)  # build every page, so its own shortcuts exist
    local = (Qt.ShortcutContext.WidgetShortcut, Qt.ShortcutContext.WidgetWithChildrenShortcut)
    held: list[tuple[Any, str, Any, Any]] = []
    for action in window.findChildren(QAction):
        context = action.shortcutContext()
        held += [(s, action.text(), action, context) for s in action.shortcuts()]
    for shortcut in window.findChildren(QShortcut):
        held.append(
            (shortcut.key(), f"shortcut on {shortcut.parent()}", shortcut, shortcut.context())
        )
    wide: dict[str, list[str]] = {}
    pages: dict[Any, set[str]] = {}
    for sequence, name, owner, context in held:
        text = sequence.toString()
        parent = owner.parent()
        # A dialog's own keys (a progress dialog's Escape) live in its own window.
        if not text or not hasattr(parent, "window") or parent.window() is not window:
            continue
        if context in local:
            page = next((p for p in window.pages.values() if p.isAncestorOf(parent)), None)
            pages.setdefault(page, set()).add(text)
        else:
            wide.setdefault(text, []).append(name)
    return wide, list(pages.values())


def test_no_key_is_held_twice(db: Database, db_path: Path, make_window: Any) -> None:
    window = make_window(db, db_path)
    wide, pages = _keys(window)
    twice = {key: names for key, names in wide.items() if len(names) > 1}
    assert twice == {}
    assert [sorted(keys & set(wide)) for keys in pages if keys & set(wide)] == []
    assert "Ctrl+Shift+Z" in wide and "Ctrl+Y" in wide and "F1" in wide


def test_undo_shows_the_record_it_changed(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    visit = records.create(db, "visit", {"title": "Mission to Kobe", "direction": "outgoing"}).id
    window = make_window(db, db_path)
    window.show_page("partnership")
    window.ops.run(
        window,
        lambda d: records.create(
            d,
            "itinerary_item",
            {
                "visit_id": visit,
                "title": "Courtesy call",
                "starts_at": "2026-05-11T10:00",
                "time_zone": "Asia/Tokyo",
            },
        ),
    )
    window.show_page("partnership")
    window.undo()  # takes the item out of its visit
    assert window.current_page() is window.page("visit")
    assert window.page("visit").current_id == visit
    assert "Courtesy call" in window.statusBar().currentMessage()


def test_text_size_and_theme_are_the_persons(
    db: Database, db_path: Path, make_window: Any, qapp: QApplication
) -> None:
    window = make_window(db, db_path)
    before = qapp.font().pointSizeF()
    try:
        window._zoom(1)
        assert qapp.font().pointSizeF() > before
        window._theme("dark")
        palette = qapp.palette()
        assert palette.color(QPalette.ColorRole.Base).lightness() < 128
        # A greyed-out button is dark too, its words dimmer than a working one's.
        disabled, active = QPalette.ColorGroup.Disabled, QPalette.ColorGroup.Active
        button = QPalette.ColorRole.Button
        assert palette.color(disabled, button).lightness() < 128
        words = QPalette.ColorRole.ButtonText
        assert (
            palette.color(disabled, button).lightness()
            < palette.color(disabled, words).lightness()
            < palette.color(active, words).lightness()
        )
        window._theme("light")
        assert qapp.palette().color(QPalette.ColorRole.Base).lightness() > 128
    finally:
        window._zoom(0)
        window._theme("system")
    assert abs(qapp.font().pointSizeF() - before) < 0.01
    assert appearance.theme() == "system"


def test_the_shortcut_sheet_lists_the_menus(db: Database, db_path: Path, make_window: Any) -> None:
    from desk.ui.dialogs.shortcuts_dialog import ShortcutsDialog

    window = make_window(db, db_path)
    sheet = ShortcutsDialog(window.menuBar(), window)
    rows = [
        " | ".join(sheet.table.item(r, c).text() for c in range(3))
        for r in range(sheet.table.rowCount())
    ]
    assert any("Search everything" in row for row in rows)
    assert any(QKeySequence("F1").toString() in row for row in rows)
    assert any("Edit the record shown" in row for row in rows)
    # Undo is named for what it does, not for the change at hand; every key is whole.
    records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"})
    window.ops.announce(records.delete(db, "partnership", 1))
    assert window.undo_action.text().startswith("Undo Delete")
    sheet = ShortcutsDialog(window.menuBar(), window)
    whats = [sheet.table.item(r, 1).text() for r in range(sheet.table.rowCount())]
    assert "Undo the last change" in whats and not [w for w in whats if "Kobe" in w]
    sheet.show()
    keys = sheet.table.horizontalHeader()
    widest = max(
        sheet.table.fontMetrics().horizontalAdvance(sheet.table.item(r, 2).text())
        for r in range(sheet.table.rowCount())
    )
    assert keys.sectionSize(2) >= widest
    sheet.close()


def test_every_page_fits_a_small_laptop_screen(
    demo_db: Database, tmp_path: Path, make_window: Any, qapp: QApplication
) -> None:
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    window.resize(1280, 720)
    for key in window.factories:
        window.show_page(key)
        qapp.processEvents()
        assert window.minimumSizeHint().width() <= 1280, key
        assert window.width() <= 1280, key


def test_a_delete_shows_the_next_row_and_a_filter_never_hides_the_record_shown(
    db: Database, db_path: Path, make_window: Any, qtbot: Any, answer: list[str]
) -> None:
    ids = [
        records.create(db, "partnership", {"partner_name": name, "kind": "sister_city"}).id
        for name in ("Kobe", "Lyon", "Matsue", "Suzhou")
    ]
    window = make_window(db, db_path)
    window.open_record("partnership", ids[1])
    page = window.page("partnership")
    page.delete_record()
    assert page.current_id == ids[2]  # Matsue took Lyon's row
    page.filter.setText("Suz")
    qtbot.waitUntil(lambda: page.current_id == ids[3], timeout=3000)


def test_a_program_here_shows_the_guests_clock_beside_ours(
    db: Database, db_path: Path, make_window: Any
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    visit = records.create(
        db,
        "visit",
        {"title": "Delegation from Kobe", "direction": "incoming", "time_zone": "Asia/Tokyo"},
    ).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call",
            "starts_at": "2026-05-11T10:00",
            "time_zone": "America/Los_Angeles",
        },
    )
    window = make_window(db, db_path)
    window.open_record("visit", visit)
    tab = window.page("visit").links.tab("Itinerary")
    headers = [c.header for c in tab.model.columns]
    assert "Their home time" in headers and "At home" not in headers
    second = headers.index("Their home time")
    assert tab.model.cells[0][second].startswith("Tue, May 12, 2:00 AM")  # Tokyo, next day


def test_the_states_rules_are_said_on_the_record_and_on_today(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    from desk.core.features.policy import NOTICE

    records.create(
        db, "city", {"name": "Port Meridian", "state": "Texas", "time_zone": "America/Chicago"}
    )
    suzhou = records.create(
        db,
        "partnership",
        {
            "partner_name": "Suzhou",
            "country": "CN",
            "kind": "sister_city",
            "status": "active",
            "established_date": "1988",
        },
    ).id
    window = make_window(db, db_path)
    today = window.page("today")
    qtbot.waitUntil(today.policy.isVisible, timeout=5000)  # once the list is painted
    assert "Suzhou" in today.policy.text()
    assert today.policy.text().count(NOTICE) == 1
    window.open_record("partnership", suzhou)
    heading = window.page("partnership").subheading.text()
    assert "⚑" in heading and "Gov't Code" in heading and NOTICE in heading


def test_letters_are_written_and_kept_with_the_visit(
    demo_db: Database, tmp_path: Path, make_window: Any, qtbot: Any, monkeypatch: Any
) -> None:
    from desk.ui import documents

    offered: list[Path] = []
    monkeypatch.setattr(
        documents, "offer", lambda _parent, path, _what, *_remarks: offered.append(path)
    )
    visit = demo_db.execute(
        "SELECT id FROM visits WHERE title = 'Delegation from València'"
    ).fetchone()[0]
    before = demo_db.execute(
        "SELECT count(*) FROM attachments WHERE visit_id = ?", (visit,)
    ).fetchone()[0]
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    window.open_record("visit", visit)
    page = window.page("visit")
    page.make_letters("thank-you")
    qtbot.waitUntil(lambda: bool(offered), timeout=60_000)
    assert offered[0].suffix == ".docx" and offered[0].stat().st_size > 0
    kept = demo_db.execute(
        "SELECT count(*) FROM attachments WHERE visit_id = ?", (visit,)
    ).fetchone()[0]
    assert kept == before + 1
    assert window.undo_action.text() == "Undo Keep thank you letters for “Delegation from València”"


def test_visa_letters_say_who_has_none_and_who_needs_no_visa(
    demo_db: Database, tmp_path: Path, make_window: Any, qtbot: Any, monkeypatch: Any
) -> None:
    """What the command line prints beside the letters, the window says when it offers
    them: a delegate with no letter and why, a passport that needs no visa."""
    from desk.ui import documents

    said: list[list[str]] = []
    monkeypatch.setattr(
        documents, "offer", lambda _parent, _path, _what, remarks=(): said.append(list(remarks))
    )
    visit = demo_db.execute(
        "SELECT id FROM visits WHERE title = 'Delegation from València'"
    ).fetchone()[0]
    delegate = demo_db.execute(
        "SELECT contact_id FROM visit_participants WHERE visit_id = ? AND side = 'theirs' "
        "AND contact_id IS NOT NULL ORDER BY id LIMIT 1",
        (visit,),
    ).fetchone()[0]
    demo_db.execute("UPDATE contacts SET passport_country = 'ES' WHERE id = ?", (delegate,))
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    window.open_record("visit", visit)
    window.page("visit").make_letters("visa")
    qtbot.waitUntil(lambda: bool(said), timeout=60_000)
    assert any(r.startswith("No letter: Interpreter (agency booking)") for r in said[0])
    assert any("Visa Waiver Program" in r for r in said[0])


def test_the_renewal_memo_is_made_from_the_agreement_page(
    demo_db: Database, tmp_path: Path, make_window: Any, qtbot: Any, monkeypatch: Any
) -> None:
    from desk.ui import documents

    offered: list[Path] = []
    monkeypatch.setattr(
        documents, "offer", lambda _parent, path, _what, *_remarks: offered.append(path)
    )
    agreement = demo_db.execute("SELECT id FROM agreements ORDER BY id LIMIT 1").fetchone()[0]
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    window.open_record("agreement", agreement)
    page = window.page("agreement")
    assert page.memo_button.isEnabled()
    page.make_memo()
    qtbot.waitUntil(lambda: bool(offered), timeout=60_000)
    assert offered[0].read_bytes().startswith(b"%PDF-")


def test_a_visit_page_names_the_holidays_inside_the_visit(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    records.create(
        db, "city", {"name": "Port Meridian", "state": "Oregon", "time_zone": "America/Los_Angeles"}
    )
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Kobe",
            "direction": "outgoing",
            "country": "JP",
            "start_date": "2030-04-28",
            "end_date": "2030-05-01",
        },
    ).id
    window = make_window(db, db_path)
    window.open_record("visit", visit)
    page = window.page("visit")
    qtbot.waitUntil(lambda: "Showa Day" in page.subheading.text(), timeout=5000)


def test_today_says_before_visitors_details_are_cleared(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    records.create(
        db,
        "city",
        {"name": "Port Meridian", "time_zone": "America/Los_Angeles", "retention_days": 30},
    )
    guest = records.create(
        db, "contact", {"family_name": "Sato", "passport_number": "TK1234567"}
    ).id
    visit = records.create(
        db,
        "visit",
        {
            "title": "Delegation from Kobe",
            "direction": "incoming",
            "status": "completed",
            "start_date": "2024-05-01",
            "end_date": "2024-05-03",
        },
    ).id
    records.create(db, "participant", {"visit_id": visit, "contact_id": guest})
    window = make_window(db, db_path)
    today = window.page("today")
    qtbot.waitUntil(today.policy.isVisible, timeout=5000)  # once the list is painted
    assert "cleared" in today.policy.text()


def test_a_time_zone_reads_as_its_form_says_it_at_the_records_own_time(db: Database) -> None:
    """As the form's zone field writes it, with the offset of the visit's own days: a
    June mission to Freiburg is in summer time (UTC+2) whenever it is read."""
    from desk.core.features import reading

    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Freiburg",
            "direction": "outgoing",
            "time_zone": "Europe/Berlin",
            "start_date": "2027-06-19",
        },
    ).id
    lines = [
        line
        for section in reading.sections(db, "visit", records.get(db, "visit", visit))
        for line in section.lines
    ]
    shown = next(line.text for line in lines if line.field == "time_zone")
    assert shown == "Europe/Berlin — Berlin, Germany (UTC+2)"


def test_the_record_has_room_at_1280_by_720(
    db: Database, db_path: Path, make_window: Any, qtbot: Any
) -> None:
    """The record reads with more room than its linked lists; editing gives the form
    most of the height and gives it back; a new record has no linked lists to show; and
    the row of actions wraps rather than squeeze the list beside it."""
    matsue = _partnership(db)
    window = make_window(db, db_path)
    window.resize(1280, 720)
    window.open_record("partnership", matsue)
    page = window.page("partnership")
    qtbot.wait(50)
    top, links = page.detail_split.sizes()
    assert top > links > 0
    page.edit()
    qtbot.wait(20)
    editing_top, editing_links = page.detail_split.sizes()
    assert editing_top >= 3 * editing_links
    page.cancel_edit()
    assert page.detail_split.sizes() == [top, links]
    page.new_record(ask=False)
    assert not page.links.isVisible()
    page.form.mark_clean()
    # Every column of the list that tells rows apart is in view beside the record.
    page.open_record(matsue)
    status = page.model.columns.index("status")
    header = page.table.horizontalHeader()
    assert header.sectionViewportPosition(status) + header.sectionSize(status) <= (
        page.table.viewport().width()
    )


def test_a_long_title_opens_from_its_beginning_in_its_dialog(db: Database, qtbot: Any) -> None:
    from desk.ui.widgets.links_panel import record_dialog

    long = "Ask the embassy or consulate for the delegation's visa appointments " * 3
    task = records.create(db, "follow_up", {"title": long.strip(), "due_date": "2027-01-04"}).id
    dialog = record_dialog(db, "follow_up", task)
    qtbot.addWidget(dialog)
    dialog.show()
    line = dialog.form.editors["title"].focus_widget()
    assert line.hasSelectedText() and line.cursorPosition() == 0


def test_an_amount_reads_with_its_currency(db: Database) -> None:
    from desk.core.features import reading

    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Matsue",
            "direction": "outgoing",
            "budget_minor": 1_250_000,
            "budget_currency": "JPY",
        },
    ).id
    lines = {
        line.field: line.text
        for section in reading.sections(db, "visit", records.get(db, "visit", visit))
        for line in section.lines
    }
    assert lines["budget_minor"] == "1,250,000 JPY"
    assert "budget_currency" not in lines


def test_larger_text_widens_the_columns_that_were_measured(
    db: Database, db_path: Path, make_window: Any, qapp: QApplication, qtbot: Any
) -> None:
    """At 130% a visit's start date read '3/26/2…' and Today's 'When' '16 years ov…':
    columns measured in words are measured again when the text grows."""
    records.create(
        db,
        "visit",
        {"title": "Mission to Matsue", "direction": "outgoing", "start_date": "2027-03-26"},
    )
    window = make_window(db, db_path)
    window.resize(1280, 720)
    window.show_page("visit")
    visits = window.page("visit")
    qtbot.wait(50)
    starts = visits.model.columns.index("start_date")
    today_type = window.page("today").tree.columnWidth(1)
    before = visits.table.columnWidth(starts)
    try:
        window._zoom(3)
        qtbot.waitUntil(lambda: visits.table.columnWidth(starts) > before, timeout=2000)
        assert window.page("today").tree.columnWidth(1) > today_type
    finally:
        window._zoom(0)


def test_a_new_record_given_up_goes_back_to_the_one_read_before(
    db: Database, db_path: Path, make_window: Any, qtbot: Any, answer: list[str]
) -> None:
    """New, then Cancel or Escape: the partnership read before is shown again, as a page;
    typed changes are asked about first."""
    matsue = _partnership(db)
    window = make_window(db, db_path)
    window.open_record("partnership", matsue)
    page = window.page("partnership")
    page.new_record()
    assert page.current_id is None and page.revert_button.isEnabled()
    page.cancel_edit()
    assert page.current_id == matsue and not page.editing
    page.new_record()
    page.form.editors["partner_name"].set_value("Kobe")
    page.form.editors["partner_name"].edited.emit()
    window.go_back()  # Escape
    assert answer and "Save the changes" in answer[-1]
