from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from PySide6.QtWidgets import QWizard

from desk.core.store import records
from desk.core.store.db import Database, open_database
from desk.ui.dialogs.record_dialog import RecordDialog
from desk.ui.dialogs.survey_wizard import SurveyWizard


def test_wizard_finds_gaps_fixes_them_and_writes(
    qtbot: Any, db_path: Path, tmp_path: Path, dialogs: Any, qtmodeltester: Any
) -> None:
    db = open_database(db_path)
    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "state": "Oregon",
            "time_zone": "UTC",
            "respondent_name": "Dana",
            "respondent_email": "d@x.org",
            "staff_international": 3,
        },
    )
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Busan",
            "direction": "outgoing",
            "status": "completed",
            "start_date": "2024-04-01",
            "country": "KR",
        },
    ).id
    wizard = SurveyWizard(db, db_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.choose.since.setValue(2020)
    wizard.next()
    gaps = wizard.gaps
    assert [p.message for p in gaps.problems] == ["no priority area"]
    qtmodeltester.check(gaps.model)

    def fill(dialog: RecordDialog) -> None:
        assert dialog.record_id == visit
        dialog.form.editors["priority_areas"].set_value(["economic_development"])

    dialogs(RecordDialog, fill)
    gaps.view.selectRow(0)
    gaps.fix()
    assert gaps.problems == []
    wizard.next()
    assert "and 1 meeting." in wizard.preview.text.text()
    wizard.next()
    out = tmp_path / "survey.xlsx"
    wizard.export.path.setText(str(out))
    with qtbot.waitSignal(wizard.written, timeout=20_000):
        wizard.export.write_button.click()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    sheet = load_workbook(out)["Meetings"]
    assert sheet["B2"].value == "Mission to Busan"
    assert sheet["A2"].value in [c.value for c in load_workbook(out)["Engagements"]["A"]]
    db.close()


def test_wizard_from_the_window(
    make_window: Any, demo_db: Database, tmp_path: Path, monkeypatch: Any
) -> None:
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    opened: list[SurveyWizard] = []
    monkeypatch.setattr(SurveyWizard, "exec", lambda self: opened.append(self) or 0)
    window.open_survey()
    assert opened and opened[0].gaps.problems == []


def test_cancelling_the_reading_stays_on_the_first_page(
    qtbot: Any, demo_db: Database, monkeypatch: Any
) -> None:
    from desk.ui import tasks

    def cancelled(*_args: Any, **_kwargs: Any) -> Any:
        raise tasks.Cancelled()

    monkeypatch.setattr(tasks, "wait_for", cancelled)
    wizard = SurveyWizard(demo_db, demo_db.file or Path())
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is wizard.choose  # nothing read, nothing shown, no error
    monkeypatch.undo()
    wizard.next()
    assert wizard.currentPage() is wizard.gaps
    assert wizard.gaps.summary.text()
