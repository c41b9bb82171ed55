from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desk.core.store.db import Database
from desk.ui.dialogs.briefing_dialog import BriefingDialog


def test_visit_page_makes_a_packet_in_the_background(
    make_window: Any,
    demo_db: Database,
    tmp_path: Path,
    qtbot: Any,
    dialogs: Any,
    monkeypatch: Any,
) -> None:
    path = Path(demo_db.conn.execute("PRAGMA database_list").fetchone()[2])
    window = make_window(demo_db, path)
    window.show_page("visit")
    page = window.page("visit")
    # The page opens on its first visit, not on an empty form.
    assert page.current_id is not None and page.packet_button.isEnabled()
    page.new_record()
    assert not page.packet_button.isEnabled()  # a visit not yet saved has no packet
    page.table.selectRow(0)
    assert page.packet_button.isEnabled()

    def choose(dialog: BriefingDialog) -> None:
        dialog.marking.setCurrentText("FOR OFFICIAL USE ONLY")
        dialog.personal.setChecked(False)
        dialog.sections["briefs"].setChecked(False)

    dialogs(BriefingDialog, choose)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)  # the "ready" box
    with qtbot.waitSignal(page.packet_ready, timeout=20_000) as ready:
        qtbot.mouseClick(page.packet_button, Qt.MouseButton.LeftButton)
    packet = ready.args[0]
    text = " ".join(p.extract_text() for p in PdfReader(packet).pages)
    assert "FOR OFFICIAL USE ONLY" in text
    assert "Meeting briefs" not in text


def test_partnership_page_makes_a_hand_over_dossier_in_the_background(
    make_window: Any, demo_db: Database, qtbot: Any, monkeypatch: Any
) -> None:
    window = make_window(demo_db, demo_db.file)
    window.show_page("partnership")
    page = window.page("partnership")
    assert page.current_id is not None and page.dossier_button.isEnabled()
    name = page.form.editors["partner_name"].value()
    page.new_record()
    assert not page.dossier_button.isEnabled()  # nothing saved yet, nothing to hand over
    page.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)  # the "ready" box
    with qtbot.waitSignal(page.dossier_ready, timeout=20_000) as ready:
        qtbot.mouseClick(page.dossier_button, Qt.MouseButton.LeftButton)
    dossier = ready.args[0]
    assert dossier.name == f"Hand-over dossier - {name}.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(dossier).pages)
    assert "Hand-over dossier" in text and name in text and "Who is who" in text
