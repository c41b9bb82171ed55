"""The import wizard: pick a file, confirm which column is which, see what would happen,
then import in the background as one batch that can be undone."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desk.core.domain.kinds import KINDS, Field
from desk.core.domain.words import counted
from desk.core.errors import DeskError
from desk.core.store.db import Database
from desk.io import importer
from desk.io.mapping import guess_mapping, importable, importable_plurals
from desk.io.tabular import TableFile
from desk.ui import file_dialogs, jobs, tasks
from desk.ui.screen import fit
from desk.ui.widgets.form import error_style

LEAVE_ASIDE = "(leave aside)"
_LARGE_FILE = 512 * 1024  # bytes: about 5,000 rows of an office's sheet


class ImportWizard(QWizard):
    imported = Signal(int)  # batch id

    def __init__(self, db: Database, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.db_path = db_path
        self.setWindowTitle("Import records")
        self.table: TableFile | None = None  # headers and first rows, to choose columns
        self.request: importer.ImportRequest | None = None
        self.summary: importer.PlanSummary | None = None
        self.source = SourcePage(self)
        self.columns = ColumnsPage(self)
        self.preview = PreviewPage(self)
        self.finish = FinishPage(self)
        for page in (self.source, self.columns, self.preview, self.finish):
            self.addPage(page)
        # Once the import runs there is no going back to start a second one beside it.
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.busy = False  # a step (reading, checking) is running: the wizard waits
        fit(self, 820, 560)

    def reject(self) -> None:
        """Cancel, Escape or the close button: while a step runs, its own progress
        window answers Cancel; while the import runs, it is asked to stop (the page then
        says whether anything was imported) and the wizard stays to say so."""
        if self.busy:
            return
        if self.finish.running:
            self.finish.cancel()
            return
        super().reject()

    @property
    def kind(self) -> str:
        return "contact" if self.is_vcard else self.source.kind.currentData()

    @property
    def is_vcard(self) -> bool:
        return Path(self.source.path.text()).suffix.lower() in (".vcf", ".vcard")

    def off_thread(self, page: QWidget, title: str, function: Any, *args: Any) -> Any:
        """Run one of `desk.jobs` and wait for it with the window alive. A large file is
        read in a process of its own, where checking 100,000 rows never holds up the
        window; a small one on a thread, without a process's start-up."""
        path = self.request.path if self.request else Path(self.source.path.text())
        try:
            large = path.stat().st_size > _LARGE_FILE
        except OSError:
            large = False  # the job says what is wrong with the path
        if large:
            work = tasks.in_child(function, *args)
        else:

            def work(progress: tasks.Progress) -> Any:
                return function(*args, progress=progress)

        # No second Next, Back or Cancel while this one is under way: each would run a
        # page's step again inside this wait, or skip one.
        buttons = [
            self.button(which)
            for which in (
                QWizard.WizardButton.BackButton,
                QWizard.WizardButton.NextButton,
                QWizard.WizardButton.FinishButton,
                QWizard.WizardButton.CancelButton,
            )
        ]
        enabled = [button.isEnabled() for button in buttons]
        for button in buttons:
            button.setEnabled(False)
        self.busy = True
        try:
            return tasks.wait_for(page, title, work)
        finally:
            self.busy = False
            for button, was in zip(buttons, enabled, strict=True):
                button.setEnabled(was)

    def check(self, page: QWidget, request: importer.ImportRequest) -> None:
        self.request = request
        self.summary = None
        self.summary = self.off_thread(
            page,
            "Checking the file",
            jobs.preview_import,
            self.db_path,
            self.db.read_only,
            request,
        )


class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("What to import")
        self.setSubTitle(
            f"A spreadsheet (CSV or Excel) of {importable_plurals()}, or an address book "
            "export (vCard)."
        )
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of records")
        for name in importable():
            self.kind.addItem(KINDS[name].plural, name)
        self.path = QLineEdit()
        self.path.setAccessibleName("File to import")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QFormLayout(self)
        layout.addRow("Records", self.kind)
        layout.addRow("File", row)
        layout.addRow(self.error)
        self.path.textChanged.connect(self.completeChanged)

    def browse(self) -> None:
        chosen = file_dialogs.open_path(
            self, "Choose a file", "Tables and cards (*.csv *.xlsx *.vcf);;All files (*)"
        )
        if chosen is not None:
            self.path.setText(str(chosen))

    def isComplete(self) -> bool:
        return Path(self.path.text()).is_file()

    def validatePage(self) -> bool:
        wizard = self.wizard_
        if wizard.busy:
            return False
        path = Path(self.path.text())
        try:
            if wizard.is_vcard:
                wizard.table = None
                wizard.check(self, importer.ImportRequest("contact", path, vcard=True))
            else:
                wizard.request = None
                wizard.table = wizard.off_thread(self, "Reading the file", jobs.sample_table, path)
        except tasks.Cancelled:
            return False
        except DeskError as exc:
            self.error.setText(str(exc))
            return False
        self.error.setText("")
        return True

    def nextId(self) -> int:
        # Cards need no column choices: go straight to the preview.
        return 2 if self.wizard_.is_vcard else 1


class ColumnsPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Which column is which")
        self.setSubTitle(
            "desk guessed from the headers; change any that are wrong. "
            "Columns left aside are not imported. Your choices are remembered."
        )
        self.grid = QTableWidget(0, 3)
        self.grid.setHorizontalHeaderLabels(["Column in the file", "Example", "Goes to"])
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.verticalHeader().hide()
        self.every_row: Field | None = None
        self.fixed_kind = QComboBox()
        self.fixed_kind.setAccessibleName("Kind for rows without one")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(error_style())
        layout = QVBoxLayout(self)
        layout.addWidget(self.grid, 1)
        self.fixed_row = QHBoxLayout()
        self.fixed_label = QLabel("Kind, where the file has none:")
        self.fixed_row.addWidget(self.fixed_label)
        self.fixed_row.addWidget(self.fixed_kind, 1)
        layout.addLayout(self.fixed_row)
        layout.addWidget(self.error)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        wizard = self.wizard_
        assert wizard.table is not None
        spec = KINDS[wizard.kind]
        mapping = guess_mapping(wizard.db, wizard.kind, wizard.table.headers)
        self.grid.setRowCount(len(wizard.table.headers))
        self.combos = []
        for row, header in enumerate(wizard.table.headers):
            example = next(
                (
                    str(cells[row])
                    for _n, cells in wizard.table.rows[:20]
                    if row < len(cells) and cells[row] not in (None, "")
                ),
                "",
            )
            self.grid.setItem(row, 0, _item(header))
            self.grid.setItem(row, 1, _item(example[:60]))
            combo = QComboBox()
            combo.setAccessibleName(f"Field for column {header}")
            combo.addItem(LEAVE_ASIDE, None)
            for field in spec.fields:
                combo.addItem(field.label, field.name)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(row))))
            self.grid.setCellWidget(row, 2, combo)
            self.combos.append(combo)
        self.grid.resizeColumnsToContents()
        # The choice a whole file can make for its rows ("every row is a friendship
        # city"), where the kind offers one.
        every_row = spec.imports.every_row if spec.imports else None
        self.every_row = spec.field_map.get(every_row or "")
        self.fixed_kind.clear()
        if self.every_row is not None and self.every_row.vocab:
            for code, label in self.every_row.vocab.items():
                self.fixed_kind.addItem(label, code)
            self.fixed_label.setText(f"{self.every_row.label}, where the file has none:")
            self.fixed_kind.setAccessibleName(f"{self.every_row.label} for rows without one")
        shown = self.every_row is not None
        self.fixed_kind.setVisible(shown)
        self.fixed_label.setVisible(shown)

    def mapping(self) -> dict[int, str | None]:
        return {row: combo.currentData() for row, combo in enumerate(self.combos)}

    def validatePage(self) -> bool:
        wizard = self.wizard_
        if wizard.busy:
            return False
        chosen = [f for f in self.mapping().values() if f]
        if len(chosen) != len(set(chosen)):
            self.error.setText("Two columns go to the same field; leave one aside.")
            return False
        fixed = (
            {self.every_row.name: self.fixed_kind.currentData()}
            if self.every_row is not None
            else {}
        )
        request = importer.ImportRequest(
            wizard.kind, Path(wizard.source.path.text()), self.mapping(), fixed
        )
        try:
            wizard.check(self, request)
        except tasks.Cancelled:
            return False
        except DeskError as exc:
            self.error.setText(str(exc))
            return False
        self.error.setText("")
        return True


def _item(text: str) -> Any:
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
    return item


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("What will happen")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems by row and column")
        self.problems.setWordWrap(True)
        self.skip = QCheckBox("Import the rows without problems and leave the others out")
        # Rows already in desk may fill what their records lack, or bring them up to date.
        self.matched = QComboBox()
        self.matched.setAccessibleName("Records already in desk")
        self.matched.currentIndexChanged.connect(self.completeChanged)
        self.matched_label = QLabel("Records already in desk:")
        matched_row = QHBoxLayout()
        matched_row.addWidget(self.matched_label)
        matched_row.addWidget(self.matched, 1)
        # What the file would fill or change, record by record, before anyone chooses.
        self.matched_list = QListWidget()
        self.matched_list.setAccessibleName(
            "What the file would fill or change, by record, and new rows that look like "
            "records already in desk"
        )
        self.matched_list.setWordWrap(True)
        # Values the file writes its own way ("Sister Arrangement"): the person says
        # what each means, and desk checks the file again and remembers the choice.
        self.values_label = QLabel(
            "Values written the file's own way: what desk read each as, and what it could "
            "not read. Change or say what each means, then check the file again; your "
            "choices are remembered for the next file."
        )
        self.values_label.setWordWrap(True)
        self.values = QTableWidget(0, 4)
        self.values.setAccessibleName("Values desk does not know")
        self.values.setHorizontalHeaderLabels(["Column", "In the file", "Rows", "Means"])
        self.values.horizontalHeader().setStretchLastSection(True)
        self.values.verticalHeader().hide()
        # Rows as tall as their choice boxes, which would otherwise be cut in half.
        self.values.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.recheck = QPushButton("Check the file again with these")
        self.recheck.clicked.connect(self.check_again)
        self.value_combos: list[tuple[importer.UnknownValue, QComboBox]] = []
        layout = QVBoxLayout(self)
        self.problems_label = QLabel("Rows with problems, by row and column:")
        layout.addWidget(self.summary)
        layout.addLayout(matched_row)
        layout.addWidget(self.matched_list, 6)
        layout.addWidget(self.values_label)
        layout.addWidget(self.values, 3)
        recheck_row = QHBoxLayout()
        recheck_row.addStretch(1)
        recheck_row.addWidget(self.recheck)
        layout.addLayout(recheck_row)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 6)
        layout.addWidget(self.skip)
        layout.addStretch(1)  # keeps the summary at the top when there is no list
        self.skip.toggled.connect(self.completeChanged)

    def initializePage(self) -> None:
        plan = self.wizard_.summary
        assert plan is not None
        self.setButtonText(QWizard.WizardButton.NextButton, "Import")
        counts = plan.counts
        spec = KINDS[plan.kind]
        self.summary.setText(
            f"{plan.source} ({plan.description}): "
            f"{spec.count(counts['new']).replace(' ', ' new ', 1)}, "
            f"{counts['match']:,} already in desk (they are not added again), "
            f"{counted(counts['problem'], 'row')} with problems."
        )
        if plan.notes:
            # What comes in only in part (a card's photo that could not be kept), said
            # before the import, as the command line says it.
            self.summary.setText(self.summary.text() + "\n" + "\n".join(plan.notes))
        self.problems.clear()
        self.problems.addItems(plan.problems)
        if plan.more_problems:
            self.problems.addItem(
                f"… and {plan.more_problems:,} more: fix the first ones in the file and look again."
            )
        self.problems.setVisible(bool(counts["problem"]))
        self.problems_label.setVisible(bool(counts["problem"]))
        self.skip.setVisible(bool(counts["problem"]))
        self.skip.setChecked(False)
        gains = plan.gains or {}
        self.matched.clear()
        self.matched.addItem("Leave them as they are", "leave")
        if gains.get("fill"):
            self.matched.addItem(
                f"Fill their empty fields ({gains['fields']:,} in "
                f"{counted(gains['fill'], 'record')})",
                "fill",
            )
        if gains.get("change"):
            both = gains.get("fields", 0) + gains["changed"]
            self.matched.addItem(
                f"Fill them and take the file's values where they differ ({both:,} in "
                f"{counted(gains.get('touched', gains['change']), 'record')})",
                "update",
            )
        shown = self.matched.count() > 1
        self.matched.setVisible(shown)
        self.matched_label.setVisible(shown)
        self.matched_list.clear()
        self.matched_list.addItems(plan.matched_changes)
        if plan.more_matched:
            self.matched_list.addItem(f"… and {plan.more_matched:,} more records")
        # New rows that may be partners desk has under another form of the name.
        self.matched_list.addItems(plan.look_alikes)
        self.matched_list.setVisible(shown or bool(plan.look_alikes))
        self._show_unknown(plan.unknown)
        if shown:
            parts = []
            if gains.get("fill"):
                parts.append(
                    f"fill {counted(gains['fields'], 'empty field')} in "
                    f"{counted(gains['fill'], 'record')}"
                )
            if gains.get("change"):
                parts.append(
                    f"change {counted(gains['changed'], 'value')} in "
                    f"{counted(gains['change'], 'record')}"
                )
            self.summary.setText(
                self.summary.text()
                + " Of the records already in desk, the file would "
                + " and ".join(parts)
                + "; choose below whether it should."
            )

    def _show_unknown(self, unknown: list[importer.UnknownValue]) -> None:
        spec = KINDS[self.wizard_.kind]
        self.values.setRowCount(len(unknown))
        self.value_combos = []
        for row, value in enumerate(unknown):
            self.values.setItem(row, 0, _item(value.column))
            self.values.setItem(row, 1, _item(value.text))
            self.values.setItem(row, 2, _item(f"{value.rows:,}"))
            combo = QComboBox()
            combo.setAccessibleName(f"What '{value.text}' in {value.column} means")
            if value.guess is None:
                combo.addItem("(leave it a problem)", None)
            for code, label in (spec.field_map[value.field].vocab or {}).items():
                combo.addItem(label, code)
            if value.guess is not None:
                combo.setCurrentIndex(max(0, combo.findData(value.guess)))
            self.values.setCellWidget(row, 3, combo)
            self.value_combos.append((value, combo))
        self.values.resizeColumnsToContents()
        self.values.resizeRowsToContents()
        # Room for the first four without scrolling: each is a choice to look at.
        rows = sum(self.values.rowHeight(n) for n in range(min(4, len(unknown))))
        frame = 2 * self.values.frameWidth()
        self.values.setMinimumHeight(self.values.horizontalHeader().height() + rows + frame)
        shown = bool(unknown) and self.wizard_.request is not None and not self.wizard_.is_vcard
        for widget in (self.values_label, self.values, self.recheck):
            widget.setVisible(shown)

    def chosen_values(self) -> dict[tuple[str, str], str]:
        """The meanings the person gave or changed (a guess left as it is needs no
        saying)."""
        return {
            (value.field, value.text): combo.currentData()
            for value, combo in self.value_combos
            if combo.currentData() and combo.currentData() != value.guess
        }

    def check_again(self) -> None:
        """Plan the file again with the meanings chosen: the rows they mend leave the
        problems, and the choices go with the import to be remembered."""
        wizard = self.wizard_
        chosen = self.chosen_values()
        if wizard.busy or wizard.request is None or not chosen:
            return
        request = replace(wizard.request, values={**wizard.request.values, **chosen})
        before = (wizard.request, wizard.summary)
        try:
            wizard.check(self, request)
        except (tasks.Cancelled, DeskError) as exc:
            # The preview stays as it was, the file's last check and all.
            wizard.request, wizard.summary = before
            if isinstance(exc, DeskError):
                self.summary.setText(str(exc))
            return
        self.initializePage()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        plan = self.wizard_.summary
        if plan is None:
            return False
        counts = plan.counts
        adds = counts["new"] > 0 or self.matched.currentData() not in (None, "leave")
        return adds and (counts["problem"] == 0 or self.skip.isChecked())


class FinishPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Importing")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.batch: int | None = None
        self._task: tasks.Task | None = None
        self.running = False

    def cancel(self) -> None:
        if self._task is not None and self.running:
            self.status.setText("Stopping the import…")
            self._task.cancel_event.set()

    def initializePage(self) -> None:
        wizard = self.wizard_
        plan, request = wizard.summary, wizard.request
        assert plan is not None and request is not None
        skip = wizard.preview.skip.isChecked()
        request = replace(request, matched=wizard.preview.matched.currentData() or "leave")
        self.status.setText("Importing…")
        work = tasks.in_child(
            jobs.run_import,
            wizard.db_path,
            wizard.db.read_only,
            request,
            skip,
            plan.counts,
        )

        def done(batch: int) -> None:
            self.running = False
            self.batch = batch
            self.setTitle("Imported")
            # Done: nothing is left to cancel, only to close.
            wizard.setButtonLayout(
                [QWizard.WizardButton.Stretch, QWizard.WizardButton.FinishButton]
            )
            self.status.setText(
                f"Imported {KINDS[plan.kind].count(plan.counts['new']).replace(' ', ' new ', 1)}"
                f" as import #{batch}. "
                + (importer.filled_note(plan.gains or {}, request.matched) + " ").lstrip()
                + "File > Past imports… takes it out again in one step."
            )
            self.completeChanged.emit()
            wizard.imported.emit(batch)

        def failed(exc: BaseException) -> None:
            self.running = False
            self.setTitle("Nothing was imported")
            self.status.setText(f"Nothing was imported: {exc}")
            # Nothing ran to its end: Back leads to the preview, to change and try again.
            wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, False)

        self.running = True
        self._task = tasks.run(self, "Importing", work, done, failed)

    def isComplete(self) -> bool:
        return self.batch is not None
