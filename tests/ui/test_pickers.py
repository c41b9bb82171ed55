"""Link and time zone fields used as a person uses them: type, pick from the list with
the keyboard or the mouse, save, reopen; Escape puts back; a partnership picked fills
the visit's place; several delegation members added in one go and undone in one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import Qt

from desk.core.features import pick
from desk.core.store import records, undo
from desk.core.store.db import Database
from desk.ui.widgets import zone_picker
from desk.ui.widgets.add_several import AddSeveralDialog
from desk.ui.widgets.form import RecordForm
from desk.ui.widgets.links_panel import record_dialog
from desk.ui.widgets.ref_picker import RefEditor, is_filled
from desk.ui.widgets.typeahead import TypeAhead
from desk.ui.widgets.zone_picker import ZoneEditor


@dataclass
class World:
    matsue: int
    guadalajara: int
    visit: int
    people: dict[str, int]


@pytest.fixture
def world(db: Database) -> World:
    def made(kind: str, values: dict[str, Any]) -> int:
        created = records.create(db, kind, values)
        assert created.id is not None
        return created.id

    hall = made("organisation", {"name": "City of Matsue", "country": "JP"})
    freiburg = made("organisation", {"name": "City of Freiburg im Breisgau", "country": "DE"})
    matsue = made(
        "partnership",
        {
            "partner_name": "Matsue",
            "country": "JP",
            "kind": "sister_city",
            "partner_organisation_id": hall,
        },
    )
    guadalajara = made(
        "partnership", {"partner_name": "Guadalajara", "country": "MX", "kind": "sister_city"}
    )

    def person(given: str, family: str, **values: Any) -> int:
        return made("contact", {"given_name": given, "family_name": family, **values})

    people = {
        "Suzuki": person("Shota", "Suzuki", organisation_id=hall, country="JP"),
        "Gross": person(
            "Sören",
            "Groß",
            job_title="Director of International Relations",
            organisation_id=freiburg,
            country="DE",
        ),
        "Weiss": person("Sören", "Weiß", job_title="Professor", country="DE"),
        "Abe": person("Aaron", "Abe", country="US"),
    }
    visit = made(
        "visit",
        {"title": "Mission to Matsue", "direction": "outgoing", "partnership_id": matsue},
    )
    return World(matsue, guadalajara, visit, people)


@pytest.fixture(scope="module")
def cities() -> pick.Cities:
    return pick.Cities(pick.city_lines())


@pytest.fixture
def gazetteer(cities: pick.Cities) -> Iterator[zone_picker.Gazetteer]:
    """The zone pickers' gazetteer, its cities at hand (no child process in a test)."""
    source = zone_picker.gazetteer()
    source.set(cities)
    yield source
    source.cities = None


def typed(qtbot: Any, line: TypeAhead, text: str) -> list[str]:
    """Type into a line as a person does and wait for its list; the list's rows."""
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.waitUntil(lambda: line.popup_visible() and not line.timer.isActive())
    model = line.model
    return [model.data(model.index(n, 0)) for n in range(model.rowCount())]


def test_a_delegation_member_is_typed_picked_saved_and_reopened(
    qtbot: Any, db: Database, world: World
) -> None:
    dialog = record_dialog(db, "participant", None, {"visit_id": world.visit})
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.form.editors["contact_id"]
    assert isinstance(editor, RefEditor)
    rows = typed(qtbot, editor.line, "sor")
    # Namesakes told apart by job, organization and country.
    assert rows == [
        "Sören Groß — Director of International Relations · City of Freiburg im Breisgau · Germany",
        "Sören Weiß — Professor · Germany",
    ]
    qtbot.keyClick(editor.line, Qt.Key.Key_Down)
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert not editor.line.popup_visible()
    assert editor.line.text() == "Sören Weiß"
    assert editor.value() == world.people["Weiss"]
    dialog.save()
    stored = db.execute(
        "SELECT id, contact_id FROM visit_participants WHERE visit_id = ?", (world.visit,)
    ).fetchall()
    assert [row[1] for row in stored] == [world.people["Weiss"]]

    again = record_dialog(db, "participant", stored[0][0])
    qtbot.addWidget(again)

    again.show()
    shown = again.form.editors["contact_id"]
    assert isinstance(shown, RefEditor)
    assert shown.line.text() == "Sören Weiß" and shown.value() == world.people["Weiss"]


def test_the_list_opens_on_the_partnerships_people_and_a_click_picks(
    qtbot: Any, db: Database, world: World
) -> None:
    dialog = record_dialog(db, "participant", None, {"visit_id": world.visit})
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.form.editors["contact_id"]
    assert isinstance(editor, RefEditor)
    qtbot.mouseClick(editor.list_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.line.popup_visible)
    first = editor.line.rows[0]
    assert (first.key, first.why) == (world.people["Suzuki"], "Organization: City of Matsue")
    view = editor.line.popup
    index = view.model().index(1, 0)  # the list shows the rows through a model of its own
    qtbot.waitUntil(lambda: not view.visualRect(index).isEmpty())
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )
    assert editor.value() == editor.line.rows[1].key != world.people["Suzuki"]


def test_escape_puts_back_what_was_there_and_keeps_the_dialog(
    qtbot: Any, db: Database, world: World
) -> None:
    dialog = record_dialog(db, "participant", None, {"visit_id": world.visit})
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.form.editors["contact_id"]
    assert isinstance(editor, RefEditor)
    editor.set_value(world.people["Gross"])
    typed(qtbot, editor.line, "abe")
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)  # closes the list, puts the name back
    assert not editor.line.popup_visible()
    assert editor.line.text() == "Sören Groß" and editor.value() == world.people["Gross"]
    qtbot.keyClicks(editor.line, "x")
    qtbot.keyClick(editor.line, Qt.Key.Key_Escape)  # typing undone, the dialog stays
    assert editor.line.text() == "Sören Groß"
    assert dialog.isVisible()


def test_a_name_typed_and_not_picked_is_not_saved_as_what_was_there(
    qtbot: Any, db: Database, world: World
) -> None:
    dialog = record_dialog(db, "participant", None, {"visit_id": world.visit})
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.form.editors["contact_id"]
    assert isinstance(editor, RefEditor)
    typed(qtbot, editor.line, "soren")
    editor.line.popup.hide()
    dialog.save()
    assert dialog.form.error_text("contact_id").startswith("No contact picked")
    assert db.execute("SELECT count(*) FROM visit_participants").fetchone()[0] == 0
    # A name only one person has is that person when the field is left.
    typed(qtbot, editor.line, "suzuki shota")
    editor.line.popup.hide()
    dialog.form.editors["notes"].focus_widget().setFocus()
    editor.line.left.emit()
    assert editor.value() == world.people["Suzuki"]


def test_a_partnership_picked_fills_the_visits_place_and_says_so(
    qtbot: Any, db: Database, world: World, gazetteer: zone_picker.Gazetteer
) -> None:
    dialog = record_dialog(db, "visit")
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    form.editors["title"].set_value("Mission to Matsue, 2027")
    form.editors["direction"].set_value("outgoing")
    editor = form.editors["partnership_id"]
    assert isinstance(editor, RefEditor)
    typed(qtbot, editor.line, "mats")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert form.editors["country"].value() == "JP"
    assert form.editors["city"].value() == "Matsue"
    assert form.editors["time_zone"].value() == "Asia/Tokyo"
    assert editor.note.text() == (
        "Filled in from Matsue: Country (Japan), City (Matsue), Local time zone (Asia/Tokyo)."
    )
    assert is_filled(form.editors["city"]) and is_filled(form.editors["country"])
    assert not is_filled(form.editors["title"])
    # Typed into afterwards, a field is the person's own again.
    form.editors["city"].edited.emit()
    assert not is_filled(form.editors["city"]) and is_filled(form.editors["country"])
    dialog.save()
    row = db.execute(
        "SELECT id, partnership_id, country, city, time_zone FROM visits WHERE title = ?",
        ("Mission to Matsue, 2027",),
    ).fetchone()
    assert row[1:] == (world.matsue, "JP", "Matsue", "Asia/Tokyo")
    again = record_dialog(db, "visit", row[0])
    qtbot.addWidget(again)
    again.show()
    assert again.form.editors["partnership_id"].focus_widget().text() == "Matsue"  # type: ignore[attr-defined]
    assert again.form.editors["time_zone"].focus_widget().text() == (  # type: ignore[attr-defined]
        "Asia/Tokyo — Tokyo, Japan (UTC+9)"
    )


def test_a_partnership_picked_never_overwrites_what_was_typed(
    qtbot: Any, db: Database, world: World, gazetteer: zone_picker.Gazetteer
) -> None:
    form = RecordForm(db, "visit")  # as on the visits page
    qtbot.addWidget(form)
    form.show()
    form.load(None)
    form.editors["city"].set_value("Izumo")
    form.editors["time_zone"].set_value("Asia/Seoul")
    editor = form.editors["partnership_id"]
    assert isinstance(editor, RefEditor)
    typed(qtbot, editor.line, "matsue")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert form.editors["city"].value() == "Izumo"
    assert form.editors["time_zone"].value() == "Asia/Seoul"
    assert form.editors["country"].value() == "JP"
    assert editor.note.text() == "Filled in from Matsue: Country (Japan)."


def test_a_time_zone_that_needs_the_gazetteer_is_filled_when_it_arrives(
    qtbot: Any,
    db: Database,
    world: World,
    cities: pick.Cities,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = zone_picker.gazetteer()
    source.cities = None
    waiting: list[Callable[[pick.Cities], None]] = []
    monkeypatch.setattr(source, "load", lambda then=None: waiting.append(then) if then else None)
    form = RecordForm(db, "visit")
    qtbot.addWidget(form)
    form.show()
    form.load(None)
    editor = form.editors["partnership_id"]
    assert isinstance(editor, RefEditor)
    typed(qtbot, editor.line, "guad")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert form.editors["country"].value() == "MX"
    assert form.editors["time_zone"].value() is None  # Mexico has several zones
    assert waiting
    for then in waiting:
        then(cities)
    assert form.editors["time_zone"].value() == "America/Mexico_City"
    assert "Local time zone (America/Mexico_City)" in editor.note.text()


def test_a_time_zone_is_typed_as_a_city_or_a_country(
    qtbot: Any, db: Database, world: World, gazetteer: zone_picker.Gazetteer
) -> None:
    dialog = record_dialog(db, "visit", world.visit)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form
    zone = form.editors["time_zone"]
    assert isinstance(zone, ZoneEditor)
    rows = typed(qtbot, zone.line, "Los Ang")
    assert rows[0].startswith("America/Los_Angeles — Los Angeles, United States (UTC-")
    qtbot.keyClick(zone.line, Qt.Key.Key_Return)
    assert zone.value() == "America/Los_Angeles"
    assert typed(qtbot, zone.line, "japan")[0] == "Asia/Tokyo — Tokyo, Japan (UTC+9)"
    # Cities of the visit's own country first: Spain's Valencia, not Venezuela's.
    form.editors["country"].set_value("ES")
    assert typed(qtbot, zone.line, "valencia")[0].startswith(
        "Europe/Madrid — Valencia, Spain (UTC+"
    )
    qtbot.keyClick(zone.line, Qt.Key.Key_Return)
    dialog.save()
    assert records.get(db, "visit", world.visit)["time_zone"] == "Europe/Madrid"


def test_several_delegation_members_are_added_at_once_and_undone_at_once(
    qtbot: Any, db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = record_dialog(db, "visit", world.visit)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.links is not None
    delegation = dialog.links.tab("Delegation")
    assert getattr(delegation, "several_button", None) is not None
    assert getattr(dialog.links.tab("Itinerary"), "several_button", "none") is None

    def fill(several: AddSeveralDialog) -> int:
        # The partnership's people first; tick the first, then type two more names.
        assert several.found.item(0).text().startswith("Shota Suzuki")
        several.found.item(0).setCheckState(Qt.CheckState.Checked)
        role = several.defaults[1]
        assert role.combo is not None
        role.combo.setCurrentIndex(role.combo.findData("interpreter"))
        qtbot.keyClicks(several.search, "gross")
        qtbot.waitUntil(lambda: not several.timer.isActive())
        qtbot.keyClick(several.search, Qt.Key.Key_Return)
        qtbot.keyClicks(several.search, "Chiara Rossi")
        qtbot.waitUntil(lambda: not several.by_name.isHidden())
        qtbot.mouseClick(several.by_name, Qt.MouseButton.LeftButton)
        assert several.add_button.text() == "Add 3 delegation members"
        several.save()
        return int(several.result())

    monkeypatch.setattr(AddSeveralDialog, "exec", fill)
    qtbot.mouseClick(delegation.several_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    members = db.execute(
        "SELECT contact_id, name, role FROM visit_participants WHERE visit_id = ? ORDER BY id",
        (world.visit,),
    ).fetchall()
    assert members == [
        (world.people["Suzuki"], None, "delegate"),
        (world.people["Gross"], None, "interpreter"),
        (None, "Chiara Rossi", "interpreter"),
    ]
    assert dialog.links.tabText(dialog.links.indexOf(delegation)) == "Delegation (3)"
    undo.undo(db)
    assert db.execute("SELECT count(*) FROM visit_participants").fetchone()[0] == 0


def test_namesakes_in_a_delegation_list_say_what_they_are(
    qtbot: Any, db: Database, world: World
) -> None:
    for job in ("Mayor", "Director of International Relations"):
        person = records.create(
            db, "contact", {"given_name": "Layla", "family_name": "Al-Mansouri", "job_title": job}
        ).id
        records.create(db, "participant", {"visit_id": world.visit, "contact_id": person})
    records.create(
        db, "participant", {"visit_id": world.visit, "contact_id": world.people["Suzuki"]}
    )
    dialog = record_dialog(db, "visit", world.visit)
    qtbot.addWidget(dialog)
    assert dialog.links is not None
    model = dialog.links.tab("Delegation").model
    names = sorted(model.data(model.index(n, 0)) for n in range(model.rowCount()))
    assert names == [
        "Layla Al-Mansouri — Director of International Relations",
        "Layla Al-Mansouri — Mayor",
        "Shota Suzuki",
    ]


def test_an_agreements_country_follows_its_partnership(
    qtbot: Any, db: Database, world: World
) -> None:
    dialog = record_dialog(db, "agreement")
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.form.editors["partnership_id"]
    assert isinstance(editor, RefEditor)
    typed(qtbot, editor.line, "guadalajara")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert dialog.form.editors["country"].value() == "MX"
    assert editor.note.text() == "Filled in from Guadalajara: Partner country (Mexico)."


def test_the_gazetteer_is_read_in_a_child_process(qtbot: Any) -> None:
    source = zone_picker.Gazetteer()
    arrived: list[pick.Cities] = []
    source.load(arrived.append)
    source.load()  # asked again while on its way: one child, not two
    qtbot.waitUntil(lambda: bool(arrived), timeout=60_000)
    assert source.cities is arrived[0]
    assert arrived[0].zone_of("Kobe", "JP") == "Asia/Tokyo"


def test_several_members_take_their_own_side_and_a_member_twice_is_said(
    qtbot: Any, db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Our own people go in on our side whatever the default says; Enter on someone
    already in the delegation says so and leaves the typed name ready to be replaced."""
    records.create(
        db, "participant", {"visit_id": world.visit, "contact_id": world.people["Suzuki"]}
    )
    dialog = record_dialog(db, "visit", world.visit)
    qtbot.addWidget(dialog)
    assert dialog.links is not None
    delegation = dialog.links.tab("Delegation")

    def fill(several: AddSeveralDialog) -> int:
        side = several.defaults[0]
        assert side.field.name == "side" and side.value() == "theirs"
        for name in ("Aaron Abe", "Gross"):
            qtbot.keyClicks(several.search, name)
            several.refresh()
            qtbot.keyClick(several.search, Qt.Key.Key_Return)
        qtbot.keyClicks(several.search, "Suzuki")
        several.refresh()
        qtbot.keyClick(several.search, Qt.Key.Key_Return)
        assert several.error.text() == "Shota Suzuki is already in the delegation."
        assert several.search.selectedText() == "Suzuki"
        several.save()
        return int(several.result())

    monkeypatch.setattr(AddSeveralDialog, "exec", fill)
    qtbot.mouseClick(delegation.several_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    sides_now = dict(
        db.execute(
            "SELECT contact_id, side FROM visit_participants WHERE visit_id = ?", (world.visit,)
        ).fetchall()
    )
    assert sides_now[world.people["Abe"]] == "ours"
    assert sides_now[world.people["Gross"]] == "theirs"


def test_enter_on_a_name_already_in_the_delegation_never_ticks_a_namesake(
    qtbot: Any, db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two Sören Groß: the one in the delegation typed again, Enter says so and ticks
    neither, rather than add the other one without a word."""
    twin = records.create(
        db, "contact", {"given_name": "Sören", "family_name": "Groß", "country": "DE"}
    ).id
    records.create(
        db, "participant", {"visit_id": world.visit, "contact_id": world.people["Gross"]}
    )
    dialog = record_dialog(db, "visit", world.visit)
    qtbot.addWidget(dialog)
    assert dialog.links is not None
    delegation = dialog.links.tab("Delegation")

    def fill(several: AddSeveralDialog) -> int:
        several.search.setText("Sören Groß")  # typed letters QTest cannot press
        several.refresh()
        qtbot.keyClick(several.search, Qt.Key.Key_Return)
        assert several.error.text() == (
            "Sören Groß is already in the delegation. Another of that name is listed: "
            "tick them if you mean them."
        )
        assert several.chosen == []
        several.reject()
        return int(several.result())

    monkeypatch.setattr(AddSeveralDialog, "exec", fill)
    qtbot.mouseClick(delegation.several_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    members = db.execute(
        "SELECT contact_id FROM visit_participants WHERE visit_id = ?", (world.visit,)
    ).fetchall()
    assert members == [(world.people["Gross"],)] and twin


def test_a_long_name_never_pushes_a_delegations_side_and_role_out_of_sight(
    qtbot: Any, db: Database, world: World
) -> None:
    long_one = records.create(
        db,
        "contact",
        {
            "given_name": "Maximiliane Alexandra",
            "family_name": "von Hohenzollern-Sigmaringen-Württemberg",
            "job_title": "Deputy Director General for International Economic Cooperation",
        },
    ).id
    records.create(db, "participant", {"visit_id": world.visit, "contact_id": long_one})
    dialog = record_dialog(db, "visit", world.visit)
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    assert dialog.links is not None
    tab = dialog.links.tab("Delegation")
    dialog.links.setCurrentWidget(tab)
    tab.load(world.visit)
    header = tab.view.horizontalHeader()
    room = max(tab.view.viewport().width(), 600)
    assert all(header.sectionSize(c) <= max(160, room * 2 // 5) for c in range(header.count() - 1))
