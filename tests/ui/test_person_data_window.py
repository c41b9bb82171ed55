"""A person's data on request, from the contact's page: exported to a file they can
read, or erased for good after saying what goes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from desk.core.store import queries, records
from desk.core.store.db import Database


def _people(db: Database) -> tuple[int, int]:
    sato = records.create(
        db, "contact", {"family_name": "Sato", "given_name": "Emi", "email": "emi@matsue.jp"}
    ).id
    other = records.create(db, "contact", {"family_name": "Okada", "given_name": "Jun"}).id
    visit = records.create(
        db, "visit", {"title": "Matsue mission", "direction": "outgoing", "notes": "Met Emi Sato"}
    ).id
    records.create(db, "participant", {"visit_id": visit, "contact_id": sato})
    return sato, other


def test_export_writes_what_desk_holds_about_them(
    db: Database,
    db_path: Path,
    make_window: Any,
    choose_file: Callable[[Path], Any],
    tmp_path: Path,
) -> None:
    sato, _other = _people(db)
    window = make_window(db, db_path)
    window.open_record("contact", sato)
    page = window.page("contact")
    assert page.person_button.isEnabled()
    target = tmp_path / "emi.md"
    choose_file(target)
    page.export_action.trigger()
    text = target.read_text("utf-8")
    assert "Sato" in text and "emi@matsue.jp" in text and "Matsue mission" in text
    assert "Okada" not in text
    assert str(target) in window.statusBar().currentMessage()


def test_erase_says_what_goes_and_then_erases_everywhere(
    db: Database, db_path: Path, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sato, other = _people(db)
    window = make_window(db, db_path)
    window.open_record("contact", sato)
    page = window.page("contact")
    told: list[str] = []

    def press_erase(box: QMessageBox) -> int:
        told.append(f"{box.text()}\n{box.informativeText()}")
        erase = next(b for b in box.buttons() if b.text() == "Erase for good")
        erase.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", press_erase)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **_k: told.append(str(a[2])))
    page.erase_action.trigger()
    assert told[0].startswith("Erasing Emi Sato") and "cannot be undone" in told[0]
    assert "Erased" in told[-1] or "erased" in told[-1]
    assert queries.count(db, "contact") == 1
    assert records.get(db, "contact", other)["family_name"] == "Okada"
    visit_notes = db.execute("SELECT notes FROM visits").fetchone()[0]
    assert "Sato" not in visit_notes
    # The page no longer shows them.
    assert page.current_id != sato
    assert "Sato" not in page.heading.text()


def test_cancel_erases_nothing(
    db: Database, db_path: Path, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sato, _other = _people(db)
    window = make_window(db, db_path)
    window.open_record("contact", sato)
    page = window.page("contact")
    monkeypatch.setattr(QMessageBox, "exec", lambda _box: 0)  # closed without a choice
    page.erase_action.trigger()
    assert records.get(db, "contact", sato)["family_name"] == "Sato"


def test_the_erase_question_says_which_person_and_counts_nothing_twice(db: Database) -> None:
    from desk.core.safety import person

    sato, _other = _people(db)
    records.update(db, "contact", sato, {"job_title": "Protocol Officer"})
    lines = person.plan_lines(person.plan_erase(db, sato))
    assert lines[0] == f"Erasing Emi Sato (Protocol Officer; contact #{sato}) removes for good:"
    assert not [line for line in lines if " 0 changes" in line]
