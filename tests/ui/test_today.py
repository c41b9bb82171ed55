"""Today as a person uses it in the morning: read the date and the counts, capture a
follow-up in a line, open an item and see that item, tick one done and snooze another
with an Undo right there, narrow the list to one type, all from the keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from desk.core.domain import dates
from desk.core.domain.dates import long_date
from desk.core.store import queries, records, undo
from desk.core.store.db import Database

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _day(offset: int) -> str:
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()


def _seed(db: Database) -> int:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    visit = records.create(
        db,
        "visit",
        {"title": "Mission to Kobe", "direction": "outgoing", "start_date": _day(2)},
    ).id
    records.create(
        db,
        "follow_up",
        {
            "title": "Send thank-you letters",
            "due_date": _day(-20),
            "visit_id": visit,
            "notes": "Mayor Hisamoto and the chamber; letters signed by our mayor.",
        },
    )
    records.create(db, "follow_up", {"title": "Call the consulate", "due_date": _day(0)})
    return visit


def _titles(today: Any) -> list[str]:
    return [row.text(2) for row in today.entry_rows()]


def _select(today: Any, title: str) -> None:
    today.tree.setCurrentItem(next(r for r in today.entry_rows() if r.text(2) == title))
    today.tree.setFocus()


def _operations(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM operations").fetchone()[0])


def _press(qtbot: Any, key: Qt.Key, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def test_today_triages_and_acts_from_the_keyboard(
    make_window: Any, db: Database, db_path: Path, qtbot: Any
) -> None:
    visit = _seed(db)
    window = make_window(db, db_path)
    today = window.page("today")
    assert today.date_label.text() == long_date(dt.date.today())
    assert today.summary.text() == "1 overdue, 1 today, 1 this week, 0 later."
    heads = [today.tree.topLevelItem(n).text(0) for n in range(today.tree.topLevelItemCount())]
    assert heads == ["Overdue · 1", "Today · 1", "This week · 1", "Later · 0"]

    # The first item is selected; its row says its type, what it is for and how late.
    today.tree.setFocus()
    entry = today.current_entry()
    assert entry.title == "Send thank-you letters" and entry.when == "3 weeks overdue"
    row = today.tree.currentItem()
    assert [row.text(n) for n in range(4)] == [
        "3 weeks overdue",
        "Follow-up",
        "Send thank-you letters",
        "Visit: Mission to Kobe",
    ]

    # Ctrl+D ticks it done and says so with an Undo; the cursor moves to the next item.
    qtbot.keyClick(today.tree, Qt.Key.Key_D, CTRL)
    assert records.get(db, "follow_up", 1)["done_on"] == dt.date.today().isoformat()
    assert today.summary.text() == "0 overdue, 1 today, 1 this week, 0 later."
    assert today.notice.text() == (
        "Marked done: follow-up “Send thank-you letters” (Visit: Mission to Kobe)."
    )
    assert today.notice.undo_button.isVisible()
    assert today.current_entry().title == "Call the consulate"
    assert "Mark done" in window.undo_action.text()

    # S opens the snooze menu on the row; T puts it off to tomorrow.
    qtbot.keyClick(today.tree, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: today.snooze_menu.isVisible())
    qtbot.keyClick(today.snooze_menu, Qt.Key.Key_T)
    qtbot.waitUntil(lambda: records.get(db, "follow_up", 2)["due_date"] == _day(1))
    assert today.summary.text() == "0 overdue, 0 today, 2 this week, 0 later."
    assert today.notice.text().startswith("Snoozed “Call the consulate” to ")
    assert today.notice.text().endswith("(tomorrow).")

    # Alt+U takes back exactly the snooze, and the item comes back selected.
    qtbot.keyClick(today.tree, Qt.Key.Key_U, ALT)  # the button's click is animated
    qtbot.waitUntil(lambda: records.get(db, "follow_up", 2)["due_date"] == _day(0))
    assert records.get(db, "follow_up", 1)["done_on"] is not None  # the tick stays
    assert today.notice.text() == "Undone: “Call the consulate” is due " + (
        f"{long_date(dt.date.today()).rsplit(',', 1)[0]} again."
    )
    assert today.current_entry().title == "Call the consulate"

    # Enter on the visit opens it on its own page, focus on the record.
    _select(today, "Mission to Kobe")
    qtbot.keyClick(today.tree, Qt.Key.Key_Return)
    page = window.page("visit")
    qtbot.waitUntil(lambda: window.current_page() is page)
    assert page.current_id == visit
    assert queries.count(db, "follow_up") == 2
    window.close()


def _next_weekday(weekday: int) -> str:
    """The day 'friday' (weekday 4) is read as: today when it is one, else the next."""
    today = dt.date.today()
    return (today + dt.timedelta(days=(weekday - today.weekday()) % 7)).isoformat()


def test_quick_capture_adds_a_follow_up_for_the_selected_items_record(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, dialogs: Any
) -> None:
    from desk.ui.dialogs.capture_dialog import CaptureDialog

    visit = _seed(db)
    window = make_window(db, db_path)
    today = window.page("today")
    _select(today, "Send thank-you letters")
    shown: list[Any] = []

    def fill(dialog: CaptureDialog) -> None:
        shown.append(dialog)
        assert dialog.about.currentText() == "Visit: Mission to Kobe"
        qtbot.keyClicks(dialog.what, "Send the program to the consulate")
        qtbot.keyClicks(dialog.due, "friday")
        assert dialog.due_words.text().startswith(long_date(_next_weekday(4)))

    dialogs(CaptureDialog, fill)
    before = _operations(db)
    # Ctrl+N while Today is shown: the window's New asks the page, which captures.
    qtbot.keyClick(today.tree, Qt.Key.Key_N, CTRL)
    assert len(shown) == 1
    assert _operations(db) == before + 1  # one operation
    (added,) = queries.fetch(db, "SELECT * FROM follow_ups WHERE title LIKE 'Send the program%'")
    assert added["due_date"] == _next_weekday(4) and added["visit_id"] == visit
    # Listed at once, and selected.
    assert today.current_entry().follow_up_id == added["id"]
    assert today.notice.text().startswith("Added follow-up “Send the program to the consulate”")
    assert today.notice.text().endswith(", for Visit: Mission to Kobe.")
    # The bar's Undo takes it back.
    qtbot.mouseClick(today.notice.undo_button, Qt.MouseButton.LeftButton)
    assert not queries.fetch(db, "SELECT id FROM follow_ups WHERE id = ?", (added["id"],))
    assert today.notice.text() == "Undone: follow-up “Send the program to the consulate” removed."
    assert "Send the program to the consulate" not in _titles(today)
    window.close()


def test_quick_capture_reads_days_as_typed_and_refuses_what_it_cannot_read(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, dialogs: Any
) -> None:
    from desk.ui.dialogs.capture_dialog import CaptureDialog, read_due

    start = dt.date(2026, 12, 6)  # a Sunday
    assert read_due("friday", start) == dt.date(2026, 12, 11)
    assert read_due("in 2 weeks", start) == dt.date(2026, 12, 20)
    assert read_due("12/15", start) == dt.date(2026, 12, 15)
    assert read_due("  ", start) is None
    with pytest.raises(ValueError, match="not a day desk can read"):
        read_due("fridya", start)

    _seed(db)
    window = make_window(db, db_path)
    today = window.page("today")
    # A visit filter in force: the new follow-up is listed anyway (the filter gives way).
    today.tree.setFocus()
    qtbot.keyClick(today.tree, Qt.Key.Key_4, ALT)
    assert _titles(today) == ["Mission to Kobe"]
    refused: list[str] = []

    def fill(dialog: CaptureDialog) -> None:
        qtbot.keyClicks(dialog.what, "Book the interpreters")
        qtbot.keyClicks(dialog.due, "in two weks")
        dialog.save()  # refused: says why under the form, stores nothing
        refused.append(dialog.error.text())
        dialog.due.clear()
        qtbot.keyClicks(dialog.due, "in 2 weeks")
        dialog.about.setCurrentIndex(dialog.about.count() - 1)  # for nothing else

    dialogs(CaptureDialog, fill)
    today.new_button.click()
    assert refused and "“in two weks” is not a day desk can read" in refused[0]
    (added,) = queries.fetch(db, "SELECT * FROM follow_ups WHERE title = 'Book the interpreters'")
    assert added["due_date"] == _day(14) and added["visit_id"] is None
    assert today.only is None and today.filter_buttons[None].isChecked()
    assert today.current_entry().follow_up_id == added["id"]
    window.close()


def test_a_captured_follow_up_is_listed_even_past_the_first_of_its_section(
    make_window: Any,
    db: Database,
    db_path: Path,
    qtbot: Any,
    dialogs: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desk.core.features import agenda
    from desk.ui.dialogs.capture_dialog import CaptureDialog

    monkeypatch.setattr(agenda, "SHOWN_PER_SECTION", 3)
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    for n in range(6):
        records.create(db, "follow_up", {"title": f"Later {n}", "due_date": _day(20 + n)})
    window = make_window(db, db_path)
    today = window.page("today")

    def fill(dialog: CaptureDialog) -> None:
        qtbot.keyClicks(dialog.what, "Plan the 2030 anniversary")
        qtbot.keyClicks(dialog.due, "in 6 months")

    dialogs(CaptureDialog, fill)
    qtbot.keyClick(today.tree, Qt.Key.Key_N, CTRL)
    assert today.current_entry().title == "Plan the 2030 anniversary"
    head = today.tree.topLevelItem(3)
    assert head.text(0) == "Later · 7 (4 shown)"
    window.close()


def test_opening_a_follow_up_shows_that_follow_up(
    make_window: Any,
    db: Database,
    db_path: Path,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desk.ui.dialogs.record_dialog import RecordDialog

    visit = _seed(db)
    window = make_window(db, db_path)
    today = window.page("today")
    _select(today, "Send thank-you letters")

    # The detail beside the list (filled once the list is painted): what, due, for which
    # record (a link), notes, actions.
    detail = today.detail
    qtbot.waitUntil(lambda: detail.title.text() == "Send thank-you letters")
    assert detail.kind_label.text() == "Follow-up"
    assert detail.title.text() == "Send thank-you letters"
    assert detail.when.text().endswith("(3 weeks overdue)")
    assert "Mission to Kobe" in detail.facts.text() and f"open:visit:{visit}" in detail.facts.text()
    assert detail.notes.text().startswith("Mayor Hisamoto")
    assert today.done_button.isEnabled() and today.edit_button.isEnabled()

    # Enter opens the follow-up itself, not its visit's first tab: on its visit's page,
    # on the follow-ups tab, selected, with the keyboard on it.
    opened: list[tuple[str, int | None]] = []

    def look(dialog: RecordDialog) -> int:
        opened.append((dialog.spec.name, dialog.record_id))
        return 0

    with monkeypatch.context() as patch:
        patch.setattr(RecordDialog, "exec", look)
        qtbot.keyClick(today.tree, Qt.Key.Key_Return)
        visits = window.page("visit")
        assert window.current_page() is visits and visits.current_id == visit
        tab = visits.links.currentWidget()
        assert tab.link.kind == "follow_up" and tab.selected_row()["id"] == 1
        assert opened == []
        window.show_page("today")

    # The record named in the detail opens its page.
    detail.facts.linkActivated.emit(f"open:visit:{visit}")
    page = window.page("visit")
    qtbot.waitUntil(lambda: window.current_page() is page)
    assert page.current_id == visit
    window.close()


def test_ctrl_d_on_a_decision_says_why_and_ticks_nothing(
    make_window: Any, db: Database, db_path: Path, qtbot: Any
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    kobe = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id
    for title in ("Cultural MOU", "Trade MOU"):
        records.create(
            db,
            "agreement",
            {
                "title": title,
                "status": "in_force",
                "partnership_id": kobe,
                "expiry_date": _day(40),
                "notice_days": 0,
                "buffer_days": 30,
            },
        )
    # A follow-up kept for the trade MOU's decision stands for it on Today.
    records.create(
        db,
        "follow_up",
        {"title": "Memo on renewing trade MOU", "due_date": _day(3), "agreement_id": 2},
    )
    window = make_window(db, db_path)
    today = window.page("today")
    assert _titles(today) == ["Memo on renewing trade MOU", "Decide on Cultural MOU"]

    _select(today, "Decide on Cultural MOU")
    assert today.tree.currentItem().text(1) == "Decision"
    assert "Decide by" in today.detail.facts.text()
    assert not today.done_button.isEnabled()
    before = _operations(db)
    qtbot.keyClick(today.tree, Qt.Key.Key_D, CTRL)
    assert _operations(db) == before
    assert today.notice.text().startswith(
        "Nothing was marked done: “Decide on Cultural MOU” is a decision, not a follow-up. "
        "A decision is recorded on its agreement"
    )
    assert not today.notice.undo_button.isVisible()

    # The follow-up kept for a decision is ticked, and the bar says the decision stays.
    _select(today, "Memo on renewing trade MOU")
    qtbot.keyClick(today.tree, Qt.Key.Key_D, CTRL)
    assert records.get(db, "follow_up", 1)["done_on"] is not None
    assert today.notice.text() == (
        "Marked done: follow-up “Memo on renewing trade MOU”. Its agreement's decision "
        "is still to be made: it is now listed as “Decide on Trade MOU”."
    )
    assert "Decide on Trade MOU" in _titles(today)
    window.close()


def test_filters_by_type_each_on_a_key(
    make_window: Any, db: Database, db_path: Path, qtbot: Any
) -> None:
    _seed(db)
    founded = dt.date.today() - dt.timedelta(days=365 * 25 - 40)
    matsue = records.create(
        db,
        "partnership",
        {
            "partner_name": "Matsue",
            "kind": "sister_city",
            "status": "active",
            "established_date": founded.isoformat(),
        },
    ).id
    window = make_window(db, db_path)
    today = window.page("today")
    buttons = {key: button.text() for key, button in today.filter_buttons.items()}
    # Matsue has not heard from us since its founding 25 years ago: going quiet.
    assert buttons == {
        None: "All 5",
        "follow_up": "Follow-ups 2",
        "decision": "Decisions 0",
        "visit": "Visits 1",
        "anniversary": "Anniversaries 1",
        "quiet": "Going quiet 1",
    }
    today.tree.setFocus()
    types = {r.text(1) for r in today.entry_rows()}
    assert types == {"Follow-up", "Visit", "Anniversary", "Going quiet"}

    qtbot.keyClick(today.tree, Qt.Key.Key_5, ALT)
    assert [r.text(1) for r in today.entry_rows()] == ["Anniversary"]
    assert today.tree.topLevelItem(3).text(0) == "Later · 1"
    assert today.filter_buttons["anniversary"].isChecked()
    assert today.summary.text() == "2 overdue, 1 today, 1 this week, 1 later."  # all, still
    assert today.detail.kind_label.text() == "Anniversary"
    assert "Founded" in today.detail.facts.text()

    qtbot.keyClick(today.tree, Qt.Key.Key_6, ALT)
    assert today.filter_buttons["quiet"].isChecked()
    began = f"{dates.month_name(founded)} {founded.year}"
    assert [(r.text(1), r.text(2)) for r in today.entry_rows()] == [
        ("Going quiet", f"No contact with Matsue recorded since it began in {began}")
    ]
    assert today.entry_rows()[0].text(3) == "Partnership: Matsue"
    assert today.tree.topLevelItem(0).text(0) == "Overdue · 1"
    assert today.tree.topLevelItem(3).child(0).text(2) == "No relationships going quiet here."
    assert today.detail.kind_label.text() == "Going quiet"
    assert "Every 6 months (the usual for a sister city)" in today.detail.facts.text()
    assert "log a call, meeting or letter" in today.detail.next_step.text()
    qtbot.keyClick(today.tree, Qt.Key.Key_Return)
    assert window.current_page() is window.page("partnership")
    assert window.page("partnership").current_id == matsue
    window.show_page("today")

    qtbot.keyClick(today.tree, Qt.Key.Key_2, ALT)
    assert {r.text(1) for r in today.entry_rows()} == {"Follow-up"}
    assert today.tree.topLevelItem(2).child(0).text(2) == "No follow-ups here."
    qtbot.keyClick(today.tree, Qt.Key.Key_1, ALT)
    assert len(today.entry_rows()) == 5

    # Ctrl+L (Record > Filter this list) goes to the filters.
    qtbot.keyClick(today.tree, Qt.Key.Key_L, CTRL)
    assert QApplication.focusWidget() is today.filter_buttons[None]
    window.close()


def test_the_bar_undoes_its_own_operation_not_the_latest(
    make_window: Any, db: Database, db_path: Path, qtbot: Any
) -> None:
    from desk.ui.ops import operations_for

    _seed(db)
    window = make_window(db, db_path)
    today = window.page("today")
    today.tree.setFocus()
    qtbot.keyClick(today.tree, Qt.Key.Key_D, CTRL)  # the thank-you letters
    assert records.get(db, "follow_up", 1)["done_on"] is not None
    # Other work happens meanwhile; the bar still offers to undo the tick.
    operations_for(db).run(window, lambda d: records.create(d, "contact", {"family_name": "Sato"}))
    qtbot.mouseClick(today.notice.undo_button, Qt.MouseButton.LeftButton)
    assert records.get(db, "follow_up", 1)["done_on"] is None
    assert queries.count(db, "contact") == 1
    assert today.current_entry().title == "Send thank-you letters"
    # Undone elsewhere (Edit > Undo): the bar says so and offers nothing more.
    qtbot.keyClick(today.tree, Qt.Key.Key_D, CTRL)
    assert today.notice.undo_button.isVisible()
    window.undo()
    assert records.get(db, "follow_up", 1)["done_on"] is None
    assert today.notice.text() == "Undone: “Send thank-you letters” is open again."
    assert not today.notice.undo_button.isVisible()
    # Undone already: the bar says so rather than undo anything else.
    ito = records.create(db, "contact", {"family_name": "Ito"})
    today._offer_undo("Added a contact.", "Undone.", ito, None)
    undo.undo(db)
    assert queries.count(db, "contact") == 1
    qtbot.mouseClick(today.notice.undo_button, Qt.MouseButton.LeftButton)
    assert today.notice.text().startswith("Already undone")
    assert queries.count(db, "contact") == 1
    window.close()


def test_every_action_says_its_key(make_window: Any, db: Database, db_path: Path) -> None:
    from desk.ui.pages import today_page

    _seed(db)
    window = make_window(db, db_path)
    today = window.page("today")
    assert "(Ctrl+D)" in today.done_button.toolTip()
    assert "(S)" in today.snooze_button.toolTip()
    assert "(E or F2)" in today.edit_button.toolTip()
    assert "(Ctrl+N)" in today.new_button.toolTip()
    assert "(Enter)" in today.open_button.toolTip()
    assert [today.filter_buttons[k].toolTip()[-7:] for k in today_page.FILTERS] == [
        f"(Alt+{n})" for n in range(1, 7)
    ]
    today._context_menu(today.tree.visualItemRect(today.tree.currentItem()).center())
    menu = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMenu) and w.isVisible())
    texts = [a.text() for a in menu.actions() if a.text()]
    shortcuts = {a.text(): ", ".join(k.toString() for k in a.shortcuts()) for a in menu.actions()}
    assert "Open\tEnter" in texts and "New follow-up…\tCtrl+N" in texts
    assert shortcuts["Mark done"] == "Ctrl+D" and shortcuts["Edit follow-up…"] == "E, F2"
    assert "Go to visit “Mission to Kobe”" in texts
    menu.close()
    assert {keys for _what, keys in today_page.KEYS} >= {"Enter", "Ctrl+D", "S", "Ctrl+N"}
    window.close()


def test_today_says_when_nothing_is_due(
    make_window: Any, db: Database, db_path: Path, qtbot: Any
) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    window = make_window(db, db_path)
    today = window.page("today")
    assert today.summary.text().startswith("Nothing is due")
    assert not today.done_button.isEnabled() and not today.open_button.isEnabled()
    qtbot.waitUntil(lambda: today.detail.title.text() == "Nothing selected")
    window.close()


def test_today_reads_again_only_what_can_change_it(
    make_window: Any, db: Database, db_path: Path
) -> None:
    from desk.ui.ops import operations_for

    _seed(db)
    window = make_window(db, db_path)
    today = window.page("today")
    reads: list[int] = []
    original = today.refresh
    today.refresh = lambda: (reads.append(1), original())  # type: ignore[method-assign]
    ops = operations_for(db)
    # Contacts added (an import) name no follow-up yet: Today stays as it was.
    ops.run(window, lambda d: records.create(d, "contact", {"family_name": "Sato"}))
    assert reads == []
    ops.run(
        window,
        lambda d: records.create(
            d, "follow_up", {"title": "Send the program", "due_date": _day(1)}
        ),
    )
    assert len(reads) == 1
    assert "Send the program" in _titles(today)
    # A contact renamed may be a follow-up's counterpart: read again.
    sato = queries.list_records(db, queries.ListQuery("contact", text="Sato"))[0]["id"]
    ops.run(window, lambda d: records.update(d, "contact", sato, {"given_name": "Aiko"}))
    assert len(reads) == 2
    # A contact deleted (or an import taken back): nobody's counterpart, nothing to read.
    kato = ops.run(window, lambda d: records.create(d, "contact", {"family_name": "Kato"})).id
    ops.run(window, lambda d: records.delete(d, "contact", kato))
    assert len(reads) == 2
    # One who was a counterpart: unlinking the follow-up is a change Today shows.
    follow_up = queries.list_records(db, queries.ListQuery("follow_up", text="program"))[0]
    ops.run(window, lambda d: records.update(d, "follow_up", follow_up["id"], {"contact_id": sato}))
    assert len(reads) == 3
    ops.run(window, lambda d: records.delete(d, "contact", sato))
    assert len(reads) == 4
    assert "Send the program" in _titles(today)


def test_an_empty_database_leaves_the_welcome_when_contacts_arrive(
    make_window: Any, db: Database, db_path: Path
) -> None:
    from desk.ui.ops import operations_for

    window = make_window(db, db_path)
    today = window.page("today")
    assert today.welcome.isVisibleTo(today)
    operations_for(db).run(window, lambda d: records.create(d, "contact", {"family_name": "Sato"}))
    assert not today.welcome.isVisibleTo(today)


def test_a_long_section_lists_its_first_items_and_shows_more_on_enter(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, monkeypatch: Any
) -> None:
    from desk.core.features import agenda
    from desk.ui.pages import today_page

    monkeypatch.setattr(agenda, "SHOWN_PER_SECTION", 4)
    monkeypatch.setattr(today_page, "MORE_STEP", 5)
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    for n in range(12):
        records.create(db, "follow_up", {"title": f"Late {n:02}", "due_date": _day(-30 + n)})
    window = make_window(db, db_path)
    today = window.page("today")
    head = today.tree.topLevelItem(0)
    assert head.text(0) == "Overdue · 12 (4 shown)"
    assert [head.child(k).text(2) for k in range(head.childCount())] == [
        "Late 00",
        "Late 01",
        "Late 02",
        "Late 03",
        "Show 5 more (8 not listed)",
    ]
    # Enter on the last row lists five more and puts the cursor on the first of them.
    today.tree.setFocus()
    today.tree.setCurrentItem(head.child(4))
    assert today.current_entry() is None and not today.done_button.isEnabled()
    qtbot.keyClick(today.tree, Qt.Key.Key_Return)
    head = today.tree.topLevelItem(0)
    assert head.text(0) == "Overdue · 12 (9 shown)"
    assert today.current_entry().title == "Late 04"
    assert head.child(head.childCount() - 1).text(2) == "Show the other 3"
    # What is listed stays listed when the page reads again after a change.
    records.create(db, "follow_up", {"title": "Later still", "due_date": _day(40)})
    today.refresh()
    assert today.tree.topLevelItem(0).text(0) == "Overdue · 12 (9 shown)"
    window.close()
