from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from desk.core.store import queries, records
from desk.core.store.db import Database, open_database
from desk.io import importer
from desk.ui.dialogs.import_wizard import ImportWizard
from desk.ui.dialogs.undo_imports import UndoImportsDialog

DATA = Path(__file__).parent.parent / "data"


def test_import_wizard_maps_previews_imports(
    qtbot: Any, db_path: Path, tmp_path: Path, qtmodeltester: Any
) -> None:
    db = open_database(db_path)
    wizard = ImportWizard(db, db_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.source.kind.setCurrentIndex(wizard.source.kind.findData("partnership"))
    wizard.source.path.setText(str(DATA / "sister_cities.csv"))
    wizard.next()
    columns = wizard.columns
    chosen = {
        columns.grid.item(r, 0).text(): combo.currentData()
        for r, combo in enumerate(columns.combos)
    }
    assert chosen["Sister City"] == "partner_name" and chosen["Last contact"] is None
    # The person changes their mind about one column.
    notes = list(chosen).index("Notes")
    columns.combos[notes].setCurrentIndex(columns.combos[notes].findData(None))
    wizard.next()
    assert "12 new partnerships" in wizard.preview.summary.text()
    assert wizard.preview.isComplete()
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as imported:
        wizard.next()
    assert imported.args[0] == 1
    assert queries.count(db, "partnership") == 12
    suzhou = queries.list_records(db, queries.ListQuery("partnership", text="suzhou"))[0]
    assert suzhou["notes"] is None  # left aside as chosen

    dialog = UndoImportsDialog(db)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    dialog.view.selectRow(0)
    original = QMessageBox.question
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Yes  # type: ignore
    try:
        with qtbot.waitSignal(dialog.undone):
            dialog.undo_button.click()
    finally:
        QMessageBox.question = original  # type: ignore
    assert queries.count(db, "partnership") == 0
    assert "undone" in dialog.model.data(dialog.model.index(0, 5))
    db.close()


def test_wizard_shows_problems_and_imports_vcards(qtbot: Any, db_path: Path) -> None:
    db = open_database(db_path)
    wizard = ImportWizard(db, db_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.source.path.setText(str(DATA / "address_book_30.vcf"))
    wizard.next()
    assert wizard.currentPage() is wizard.preview  # cards need no column choices
    assert "2 new contacts" in wizard.preview.summary.text()
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        wizard.next()
    assert queries.count(db, "contact") == 2
    db.close()


def test_bad_file_is_refused_on_the_first_page(qtbot: Any, db_path: Path, tmp_path: Path) -> None:
    db = open_database(db_path)
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 10)
    wizard = ImportWizard(db, db_path)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.source.path.setText(str(junk))
    wizard.next()
    assert wizard.currentPage() is wizard.source
    assert "binary data" in wizard.source.error.text()
    db.close()


def test_export_list_from_a_page(
    make_window: Any, demo_db: Database, tmp_path: Path, choose_file: Any, qtbot: Any
) -> None:
    window = make_window(demo_db, tmp_path / "demo.sqlite")
    window.show_page("partnership")
    page = window.page("partnership")
    everything = page.model.rowCount()
    page.filter.setText("ma")  # applied as the person pauses typing
    qtbot.waitUntil(lambda: page.model.rowCount() < everything)
    out = tmp_path / "partners.xlsx"
    choose_file(out)
    page.export_button.click()
    rows = list(load_workbook(out).active.iter_rows(min_row=2, values_only=True))
    assert len(rows) == page.model.rowCount() > 0
    assert "written to partners.xlsx" in page.count_label.text()
    assert records.get(demo_db, "partnership", rows[0][0])


def test_undo_refused_then_forced(qtbot: Any, db_path: Path, monkeypatch: Any) -> None:
    db = open_database(db_path)
    batch = importer.apply_plan(
        db, importer.plan_file(db, "partnership", DATA / "sister_cities.csv")
    )
    first = db.execute("SELECT id FROM partnerships ORDER BY id LIMIT 1").fetchone()[0]
    records.update(db, "partnership", first, {"notes": "edited"})
    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *a: Any, **k: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = UndoImportsDialog(db)
    qtbot.addWidget(dialog)
    dialog.view.selectRow(0)
    dialog.undo()
    assert any("was changed since" in a for a in asked)
    assert queries.count(db, "partnership") == 0 and batch == 1
    db.close()


def _wizard(
    qtbot: Any, db: Database, db_path: Path, sheet: Path, parent: Any = None
) -> ImportWizard:
    """The import window on its first page, a list of partnerships chosen."""
    wizard = ImportWizard(db, db_path, parent)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.source.kind.setCurrentIndex(wizard.source.kind.findData("partnership"))
    wizard.source.path.setText(str(sheet))
    return wizard


def test_a_large_file_is_checked_and_imported_in_a_process_of_its_own(
    qtbot: Any, db_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    from desk.ui import tasks
    from desk.ui.dialogs import import_wizard

    children: list[str] = []
    real = tasks.in_child

    def counted(function: Any, *args: Any) -> Any:
        children.append(function.__name__)
        return real(function, *args)

    monkeypatch.setattr(import_wizard, "_LARGE_FILE", 0)  # every file counts as large
    monkeypatch.setattr(tasks, "in_child", counted)
    db = open_database(db_path)
    sheet = tmp_path / "sister_cities.csv"
    sheet.write_bytes((DATA / "sister_cities.csv").read_bytes())
    wizard = _wizard(qtbot, db, db_path, sheet)
    wizard.next()
    assert wizard.currentPage() is wizard.columns
    wizard.next()
    assert "12 new partnerships" in wizard.preview.summary.text()
    with qtbot.waitSignal(wizard.imported, timeout=30_000):
        wizard.next()
    assert children == ["sample_table", "preview_import", "run_import"]
    assert queries.count(db, "partnership") == 12
    db.close()


def test_a_file_changed_after_its_preview_is_not_imported(
    qtbot: Any, db_path: Path, tmp_path: Path
) -> None:
    db = open_database(db_path)
    sheet = tmp_path / "sister_cities.csv"
    original = (DATA / "sister_cities.csv").read_text(encoding="utf-8")
    sheet.write_text(original, encoding="utf-8")
    wizard = _wizard(qtbot, db, db_path, sheet)
    wizard.next()
    wizard.next()
    assert "12 new partnerships" in wizard.preview.summary.text()
    # Someone adds a row while the preview is on screen.
    first = original.splitlines()[1]
    changed = original.rstrip("\n") + "\n" + first.replace(",", "x,", 1) + "\n"
    sheet.write_text(changed, encoding="utf-8")
    wizard.next()
    qtbot.waitUntil(
        lambda: "changed since the preview" in wizard.finish.status.text(), timeout=30_000
    )
    assert wizard.finish.batch is None
    assert queries.count(db, "partnership") == 0
    db.close()


def test_the_window_shows_what_an_import_added(make_window: Any, db_path: Path, qtbot: Any) -> None:
    db = open_database(db_path)
    window = make_window(db, db_path)
    window._watch.stop()  # the window hears of the import, not of a changed file
    window.show_page("partnership")
    page = window.page("partnership")
    assert page.model.rowCount() == 0
    wizard = _wizard(qtbot, db, db_path, DATA / "sister_cities.csv", window)
    wizard.imported.connect(window._imported)  # as File > Import does
    wizard.next()
    wizard.next()
    with qtbot.waitSignal(wizard.imported, timeout=30_000):
        wizard.next()
    qtbot.waitUntil(lambda: page.model.rowCount() == 12, timeout=5_000)
    assert "12 partnerships" in window.statusBar().currentMessage()
    assert window.undo_action.text().startswith("Undo Import 12 partnerships")


def test_a_second_next_while_the_first_runs_is_ignored(
    qtbot: Any, db_path: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    from PySide6.QtCore import QTimer

    from desk.ui.dialogs import import_wizard

    monkeypatch.setattr(import_wizard, "_LARGE_FILE", 0)  # a child: long enough to click
    db = open_database(db_path)
    wizard = _wizard(qtbot, db, db_path, DATA / "sister_cities.csv")
    QTimer.singleShot(30, wizard.next)  # the person clicks Next twice
    QTimer.singleShot(60, wizard.back)
    wizard.next()
    qtbot.wait(200)
    assert wizard.currentPage() is wizard.columns  # one step, not two, none skipped
    db.close()


# `records.create_many` reports every 500 rows: a file of 600 has one report with 500
# rows written and the transaction still open, where the import is held.
_HELD_ROWS = 600
# How long the held import waits for the wizard's cancel before it lets the import go on:
# a wizard that never stops it then imports the whole file and the test fails on that,
# in seconds, rather than hanging.
_HOLD_LIMIT = 20.0


def held_import(gate: Path, *args: Any, progress: Any) -> int:
    """`desk.ui.jobs.run_import`, run in the wizard's own child process, held at its first
    report after rows are written: it writes how many to `gate`, then keeps reporting
    until the wizard's cancel arrives (a report is where a job hears it, and raises).
    Module-level, so the spawned child can import it by name."""
    from desk.ui import jobs

    def holding(done: int, total: int, message: str) -> None:
        progress(done, total, message)
        if done == 0 or gate.exists():
            return
        # Written whole, then renamed: the test reads it as soon as the name appears.
        partial = gate.with_suffix(".partial")
        partial.write_text(str(done), encoding="utf-8")
        partial.replace(gate)
        deadline = time.monotonic() + _HOLD_LIMIT
        while time.monotonic() < deadline:
            time.sleep(0.05)
            progress(done, total, message)

    return int(jobs.run_import(*args, progress=holding))


def _row_counts(db: Database) -> dict[str, int]:
    """Rows in every table, the search index's and the undo log's too."""
    tables = [
        name
        for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in tables}


def test_closing_the_wizard_during_the_import_stops_it_and_says_so(
    qtbot: Any, db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.ui import jobs, tasks

    # The import is held with rows written, so the close always lands while it runs (the
    # 12-row sheet used to finish before the close) and the cancel must roll rows back.
    gate = tmp_path / "held"
    real = tasks.in_child

    def holding(function: Any, *args: Any, **kwargs: Any) -> Any:
        if function is jobs.run_import:
            return real(held_import, gate, *args, **kwargs)
        return real(function, *args, **kwargs)

    monkeypatch.setattr(tasks, "in_child", holding)
    sheet = tmp_path / "partners.csv"
    sheet.write_text(
        "Partner,Country,Type\n"
        + "".join(f"Partner {n},Japan,Sister City\n" for n in range(_HELD_ROWS)),
        encoding="utf-8",
    )
    db = open_database(db_path)
    wizard = _wizard(qtbot, db, db_path, sheet)
    finished: list[int] = []
    wizard.imported.connect(finished.append)
    wizard.next()
    wizard.next()
    assert f"{_HELD_ROWS} new partnerships" in wizard.preview.summary.text()
    before = _row_counts(db)
    wizard.next()  # the import starts
    qtbot.waitUntil(lambda: gate.exists() or not wizard.finish.running, timeout=30_000)
    assert gate.exists(), f"never held with rows written: {wizard.finish.status.text()}"
    assert 0 < int(gate.read_text(encoding="utf-8")) < _HELD_ROWS  # written, not committed
    assert wizard.finish.running
    assert not wizard.button(wizard.WizardButton.BackButton).isVisible()
    wizard.reject()  # Escape
    assert wizard.isVisible()  # stays to say how it ended
    assert wizard.finish.status.text() == "Stopping the import…"
    qtbot.waitUntil(lambda: not wizard.finish.running, timeout=30_000)
    assert wizard.finish.title() == "Nothing was imported"
    assert wizard.finish.status.text() == "Nothing was imported: Canceled."
    assert wizard.finish.batch is None and finished == []
    # Not a row of the file, its batch or its undo step: the transaction rolled back.
    assert _row_counts(db) == before
    assert queries.count(db, "partnership") == 0
    wizard.reject()
    assert not wizard.isVisible()
    db.close()


def test_a_second_file_fills_what_desk_lacks_when_asked_and_undoes_as_one(
    qtbot: Any, db_path: Path, tmp_path: Path
) -> None:
    """Re-importing a fuller list: the preview says what it would fill and change, the
    person chooses, and the import and its fills are one batch, undone together."""
    db = open_database(db_path)
    kobe = records.create(
        db, "partnership", {"partner_name": "Kobe", "country": "JP", "kind": "sister_city"}
    ).id
    records.create(
        db,
        "partnership",
        {"partner_name": "Lyon", "country": "FR", "kind": "sister_city", "region": "Rhône"},
    )
    fuller = tmp_path / "fuller.csv"
    fuller.write_text(
        "Partner,Country,Type,Region,Year Established\n"
        "Kobe,Japan,Sister City,Hyogo,1957\n"
        "Lyon,France,Sister City,Auvergne-Rhône-Alpes,1990\n"
        "Porto,Portugal,Friendship City,,2002\n",
        encoding="utf-8",
    )
    plan = importer.plan_file(db, "partnership", fuller)
    assert plan.counts() == {"new": 1, "match": 2, "problem": 0}
    assert plan.gains() == {"fill": 2, "fields": 3, "change": 1, "changed": 1, "touched": 2}

    wizard = _wizard(qtbot, db, db_path, fuller)
    wizard.next()
    wizard.next()
    choices = [wizard.preview.matched.itemText(n) for n in range(wizard.preview.matched.count())]
    assert choices == [
        "Leave them as they are",
        "Fill their empty fields (3 in 2 records)",
        "Fill them and take the file's values where they differ (4 in 2 records)",
    ]
    # Record by record, what the file would do before anyone chooses.
    shown = [
        wizard.preview.matched_list.item(n).text()
        for n in range(wizard.preview.matched_list.count())
    ]
    assert shown == [
        "Row 2, Kobe: would fill Region / province (Hyogo), Established (1957)",
        "Row 3, Lyon: would fill Established (1990); would change Region / province from "
        "Rhône to Auvergne-Rhône-Alpes",
    ]
    assert wizard.preview.matched_list.isVisibleTo(wizard.preview)
    wizard.preview.matched.setCurrentIndex(1)
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as imported:
        wizard.next()
    kept = records.get(db, "partnership", kobe)
    assert (kept["region"], kept["established_date"]) == ("Hyogo", "1957")
    lyon = records.get(db, "partnership", records.resolve_named(db, "partnership", "Lyon"))
    assert lyon["region"] == "Rhône"  # filled only: the value it had stays
    assert "filled 3 empty fields" in wizard.finish.status.text()

    importer.undo_batch(db, imported.args[0])
    kept = records.get(db, "partnership", kobe)
    assert (kept["region"], kept["established_date"]) == (None, None)
    assert queries.count(db, "partnership") == 2
    db.close()


def test_a_value_desk_does_not_know_is_mapped_in_the_preview_and_remembered(
    qtbot: Any, db_path: Path, tmp_path: Path
) -> None:
    """'Sister Arrangement' and 'Pending review' are the office's own words: the preview
    lists them with their rows, the person says what each means, the file is checked
    again, and the next file with the same words needs no one to say it twice."""
    db = open_database(db_path)
    sheet = tmp_path / "office.csv"
    sheet.write_text(
        "Partner,Country,Type,Status\n"
        "Kobe,Japan,Sister Arrangement,Active\n"
        "Lyon,France,sister  arrangement,Pending review\n"
        "Porto,Portugal,Friendship City,Active\n",
        encoding="utf-8",
    )
    wizard = _wizard(qtbot, db, db_path, sheet)
    wizard.next()
    wizard.next()
    preview = wizard.preview
    assert preview.values.isVisibleTo(preview)
    rows = [
        tuple(preview.values.item(r, c).text() for c in range(3))
        for r in range(preview.values.rowCount())
    ]
    assert rows == [("Type", "Sister Arrangement", "2"), ("Status", "Pending review", "1")]
    assert not preview.isComplete()  # three rows, two with problems, none skipped
    for value, combo in preview.value_combos:
        combo.setCurrentIndex(
            combo.findData("sister_city" if value.field == "kind" else "proposed")
        )
    preview.recheck.click()
    qtbot.waitUntil(
        lambda: wizard.summary is not None and wizard.summary.counts["problem"] == 0,
        timeout=10_000,
    )
    # Read now as the person said, and still shown so, to change again if need be.
    assert [(v.text, combo.currentData()) for v, combo in preview.value_combos] == [
        ("Sister Arrangement", "sister_city"),
        ("Pending review", "proposed"),
    ]
    assert preview.isComplete()
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        wizard.next()
    kinds = dict(db.execute("SELECT partner_name, kind FROM partnerships").fetchall())
    statuses = dict(db.execute("SELECT partner_name, status FROM partnerships").fetchall())
    assert kinds == {"Kobe": "sister_city", "Lyon": "sister_city", "Porto": "friendship_city"}
    assert statuses["Lyon"] == "proposed"
    # The next file in the office's words is read without asking.
    again = tmp_path / "again.csv"
    again.write_text(
        "Partner,Country,Type,Status\nNantes,France,Sister Arrangement,Pending Review\n",
        encoding="utf-8",
    )
    plan = importer.plan_file(db, "partnership", again)
    assert plan.counts()["problem"] == 0
    assert [(u.text, u.guess) for u in plan.unknown_values()] == [
        ("Sister Arrangement", "sister_city"),
        ("Pending Review", "proposed"),
    ]
    assert plan.rows[0].values["kind"] == "sister_city"
    db.close()
