"""Today as a person uses it in the morning: read the date and the counts, open an item
with Enter, tick a follow-up done, snooze another, all from the keyboard."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from desk.core.domain.dates import long_date
from desk.core.store import queries, records
from desk.core.store.db import Database


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
        {"title": "Send thank-you letters", "due_date": _day(-20), "visit_id": visit},
    )
    records.create(db, "follow_up", {"title": "Call the consulate", "due_date": _day(0)})
    return visit


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

    # The first item is selected; it says what it belongs to and how late it is.
    today.tree.setFocus()
    entry = today.current_entry()
    assert entry.title == "Send thank-you letters" and entry.when == "3 weeks overdue"
    assert today.tree.currentItem().text(2) == "Visit: Mission to Kobe"

    # Ctrl+D ticks it done; the list moves on and Undo is offered by name.
    qtbot.keyClick(today.tree, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: today.summary.text().startswith("0 overdue"))
    assert records.get(db, "follow_up", 1)["done_on"] == dt.date.today().isoformat()
    assert "Mark done" in window.undo_action.text()

    # Snooze the consulate call to tomorrow from the menu.
    rows = today.entry_rows()
    today.tree.setCurrentItem(next(r for r in rows if r.text(1) == "Call the consulate"))
    today._fill_snooze_menu()
    tomorrow = next(a for a in today.snooze_menu.actions() if a.text().startswith("Tomorrow"))
    tomorrow.trigger()
    assert records.get(db, "follow_up", 2)["due_date"] == _day(1)
    assert today.summary.text() == "0 overdue, 0 today, 2 this week, 0 later."

    # Enter on the visit opens it on its own page, focus on the record.
    rows = today.entry_rows()
    today.tree.setCurrentItem(next(r for r in rows if r.text(1) == "Mission to Kobe"))
    qtbot.keyClick(today.tree, Qt.Key.Key_Return)
    page = window.page("visit")
    qtbot.waitUntil(lambda: window.current_page() is page)
    assert page.current_id == visit
    assert queries.count(db, "follow_up") == 2
    window.close()


def test_today_says_when_nothing_is_due(make_window: Any, db: Database, db_path: Path) -> None:
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    window = make_window(db, db_path)
    today = window.page("today")
    assert today.summary.text().startswith("Nothing is due")
    assert not today.done_button.isEnabled() and not today.open_button.isEnabled()
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
    assert "Send the program" in [r.text(1) for r in today.entry_rows()]
    # A contact renamed may be a follow-up's counterpart: read again.
    sato = queries.list_records(db, queries.ListQuery("contact", text="Sato"))[0]["id"]
    ops.run(window, lambda d: records.update(d, "contact", sato, {"given_name": "Aiko"}))
    assert len(reads) == 2


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
    assert [head.child(k).text(1) for k in range(head.childCount())] == [
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
    assert head.child(head.childCount() - 1).text(1) == "Show the other 3"
    # What is listed stays listed when the page reads again after a change.
    records.create(db, "follow_up", {"title": "Later still", "due_date": _day(40)})
    today.refresh()
    assert today.tree.topLevelItem(0).text(0) == "Overdue · 12 (9 shown)"
    window.close()
