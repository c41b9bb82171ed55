"""Merging in the window: two contacts side by side, a field taken from the other, one
Merge, and Edit > Undo giving both back."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desk.core.store import records
from desk.core.store.db import Database
from desk.ui.dialogs.merge_dialog import DuplicatesDialog, MergeDialog
from desk.ui.ops import operations_for
from tests.core.test_merge import records_dump


def _two_contacts(db: Database) -> tuple[int, int, int]:
    keep = records.create(
        db,
        "contact",
        {"family_name": "García", "given_name": "José", "email": "jose@cdmx.example"},
    ).id
    other = records.create(
        db,
        "contact",
        {
            "family_name": "GARCIA",
            "given_name": "jose",
            "email": "jgarcia@example.mx",
            "phone": "+52 55 5345 8000",
        },
    ).id
    assert keep is not None and other is not None
    follow_up = records.create(db, "follow_up", {"title": "Send photos", "contact_id": other}).id
    assert follow_up is not None
    return keep, other, follow_up


def test_two_contacts_side_by_side_merged_with_a_field_from_the_other_and_undone(
    qtbot: Any, db: Database
) -> None:
    keep, other, follow_up = _two_contacts(db)
    before = records_dump(db)
    heard: list[Any] = []
    operations_for(db).did_execute.connect(lambda changes, _by: heard.append(changes))

    dialog = MergeDialog(db, "contact", keep, other)
    qtbot.addWidget(dialog)
    dialog.show()
    # The kept record's values by default, its empty ones filled from the other.
    assert dialog.choices() == {
        "given_name": "keep",
        "family_name": "keep",
        "email": "keep",
        "phone": "other",
    }
    assert "Follow-ups (1)" in dialog.moving.text()
    keep_email, other_email = dialog.radios["email"]
    assert keep_email.text() == "jose@cdmx.example" and other_email.text() == "jgarcia@example.mx"
    qtbot.mouseClick(other_email, Qt.MouseButton.LeftButton)
    assert dialog.choices()["email"] == "other"

    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    kept = records.get(db, "contact", keep)
    assert (kept["given_name"], kept["email"], kept["phone"]) == (
        "José",
        "jgarcia@example.mx",
        "+52 55 5345 8000",
    )
    assert records.get(db, "follow_up", follow_up)["contact_id"] == keep
    assert db.execute("SELECT 1 FROM contacts WHERE id = ?", (other,)).fetchone() is None
    # One operation, heard by the window like any other write.
    assert len(heard) == 1 and heard[0].label == "Merge contact “jose GARCIA” into “José García”"
    assert operations_for(db).undo_label() == heard[0].label

    operations_for(db).undo(None)
    assert records_dump(db) == before


def test_swapping_and_picking_the_record_to_merge(qtbot: Any, db: Database) -> None:
    keep, other, _follow_up = _two_contacts(db)
    dialog = MergeDialog(db, "contact", keep)
    qtbot.addWidget(dialog)
    assert dialog.comparison is None and not dialog.merge_button.isEnabled()
    # Picking the record itself is refused in words, not merged.
    dialog.picker.set_value(keep)
    dialog.picker.edited.emit()
    assert dialog.comparison is None and "cannot be merged with itself" in dialog.problem.text()
    dialog.picker.set_value(other)
    dialog.picker.edited.emit()
    assert dialog.comparison is not None and dialog.merge_button.isEnabled()
    dialog.swap()
    assert (dialog.keep_id, dialog.other_id) == (other, keep)
    assert dialog.choices()["email"] == "keep" and "jgarcia" in dialog.keep_label.text() + str(
        dialog.radios["email"][0].text()
    )


def test_the_duplicates_list_opens_a_pair_and_drops_it_once_merged(
    qtbot: Any, db: Database, dialogs: Any
) -> None:
    keep, other, _follow_up = _two_contacts(db)
    # Emails differ, but nobody else has the name: likely one, said with the caveat.
    listing = DuplicatesDialog(db, "contact")
    qtbot.addWidget(listing)
    qtbot.waitUntil(lambda: listing.found is not None, timeout=10_000)
    assert listing.model.rowCount() == 1
    why = listing.model.cells[0][2]
    assert "accents, case or punctuation aside" in why and "emails or phone numbers differ" in why
    # The fuller record (it has a phone too) is the one offered to keep.
    assert (listing.model.rows[0].keep, listing.model.rows[0].other) == (other, keep)

    dialogs(MergeDialog, lambda dialog: dialog.choose("email", "other"))
    listing.open_pair()
    assert listing.model.rowCount() == 0
    assert records.get(db, "contact", other)["email"] == "jose@cdmx.example"
    assert db.execute("SELECT 1 FROM contacts WHERE id = ?", (keep,)).fetchone() is None
