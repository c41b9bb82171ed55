"""The survey wizard: choose edition and period, fill the gaps the pre-flight check
finds (on the spot), see the counts, then write the workbook in the background."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from desk.core.domain import vocab as v
from desk.core.domain.dates import month_day_year
from desk.core.domain.words import counted
from desk.core.errors import DeskError
from desk.core.reference import countries
from desk.core.store.db import Database
from desk.reports.survey.data import Problem
from desk.reports.survey.edition import available, current, load
from desk.ui import file_dialogs, jobs, tasks
from desk.ui.models.rows import Column, RowsModel
from desk.ui.screen import fit
from desk.ui.widgets.links_panel import record_dialog
from desk.ui.widgets.views import row_table


class SurveyWizard(QWizard):
    written = Signal(Path)

    def __init__(self, db: Database, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.db_path = db_path
        self.setWindowTitle("Survey of city international activities")
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.choose = ChoosePage()
        self.gaps = GapsPage(self)
        self.preview = PreviewPage(self)
        self.export = ExportPage(self)
        for page in (self.choose, self.gaps, self.preview, self.export):
            self.addPage(page)
        fit(self, 760, 520)

        self._data: tuple[int, jobs.SurveyPreview] | None = None
        self.busy = False

    def load_data(self, page: QWidget) -> bool:
        """Read what the survey counts from the chosen year, in a process of its own
        (about a second at 100,000 contacts), before the pages that show it; False
        (and the person told why, unless they cancelled) when it could not be read."""
        if self.busy:
            return False  # a second Next while the first reads
        since = self.choose.since.value()
        self.busy = True
        try:
            found = tasks.wait_for(
                page,
                "Reading the records",
                tasks.in_child(jobs.survey_preview, self.db_path, self.db.read_only, since),
            )
        except tasks.Cancelled:
            return False
        except DeskError as exc:
            QMessageBox.warning(page, "Survey of city international activities", str(exc))
            return False
        finally:
            self.busy = False
        self._data = (since, found)
        return True

    def data(self) -> jobs.SurveyPreview:
        assert self._data is not None, "read by the first page's Next"
        return self._data[1]


class ChoosePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("Edition and period")
        self.setSubTitle(
            "Which questionnaire to answer, and from which year agreements and meetings count."
        )
        layout = QFormLayout(self)
        self.edition = QComboBox()
        self.edition.setAccessibleName("Survey edition")
        for name in available():
            self.edition.addItem(load(name).title, name)
        self.edition.setCurrentIndex(self.edition.findData(current()))
        self.since = QSpinBox()
        self.since.setAccessibleName("Count from year")
        self.since.setRange(1950, dt.date.today().year)
        self.since.setValue(load().default_since)
        self.edition.currentIndexChanged.connect(
            lambda _i: self.since.setValue(load(self.edition.currentData()).default_since)
        )
        layout.addRow("Edition", self.edition)
        layout.addRow("Agreements and meetings since", self.since)

    def validatePage(self) -> bool:
        wizard = self.wizard()
        return isinstance(wizard, SurveyWizard) and wizard.load_data(self)


class GapsPage(QWizardPage):
    def __init__(self, wizard: SurveyWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Pre-flight check")
        self.model = RowsModel(
            [
                Column("Record", lambda p: p.title),
                Column("What is missing", lambda p: p.message),
            ]
        )
        self.view = row_table(self.model, "Gaps to fill")
        self.view.activated.connect(lambda _i: self.fix())
        self.fix_button = QPushButton("Fix…")
        self.fix_button.clicked.connect(self.fix)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.fix_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.problems: list[Problem] = []

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self.problems = list(self.wizard_.data().problems)
        self.model.set_rows(self.problems)
        self.view.resizeColumnToContents(0)
        self.fix_button.setEnabled(bool(self.problems))
        self.summary.setText(
            "Nothing is missing: every engagement has a partner country, a method, a "
            "priority area and its dates."
            if not self.problems
            else f"{counted(len(self.problems), 'gap')} the survey needs filled. Select one "
            "and press Fix… (or double-click) to edit the record here; you may also go on and fill "
            "them in the workbook by hand."
        )

    def fix(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid() and self.problems:
            index = self.model.index(0, 0)
        if not index.isValid():
            return
        problem = self.problems[index.row()]
        # A problem with a record not yet made (no city profile) is fixed by making it.
        record_id = problem.record_id or None
        dialog = record_dialog(self.wizard_.db, problem.kind, record_id, parent=self)
        editor = dialog.form.editors.get(problem.field)
        if editor is not None:
            editor.focus_widget().setFocus()
        if dialog.exec() and self.wizard_.load_data(self):
            self.refresh()


class PreviewPage(QWizardPage):
    def __init__(self, wizard: SurveyWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("What the survey will report")
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addStretch(1)

    def initializePage(self) -> None:
        data = self.wizard_.data()
        summary, counts = data.summary, data.counts
        as_of = summary.get("as_of")
        window = (
            f"as of {month_day_year(as_of)} (window January 1, {data.since} – "
            f"{month_day_year(as_of)})"
            if as_of
            else f"since {data.since}"
        )
        lines = [
            f"{_n(summary['engagements'], 'unique engagement')} {window}: every partnership "
            f"and agreement in force and {_n(counts['networks'], 'network membership')}, "
            f"holding {_n(counts['agreements'], 'agreement')} and "
            f"{_n(counts['meetings'], 'meeting')}.",
            "Each engagement's method is the first that holds as of today: a sister or "
            "friendship city in force; a sector partnership or an agreement in force, or an "
            "agreement signed; an international network the city belongs to (a U.S. "
            "association is not one); a delegation welcomed, else a mission sent. A "
            "partnership not in force counts only through its agreements and meetings. The "
            "workbook gives each engagement's reason.",
            "",
        ]
        left_out = summary.get("not_counted") or []
        if left_out:
            # The workbook's Instructions list every one; the window names the first few.
            lines.append("Not counted, and why:")
            lines += [f"• {item['name']}: {item['why']}." for item in left_out[:6]]
            if len(left_out) > 6:
                lines.append(f"• …and {len(left_out) - 6} more (on the Instructions sheet).")
            lines.append("")
        names: dict[str, Any] = {
            "by_method": lambda c: v.ENGAGEMENT_METHODS[c],
            "by_area": lambda c: v.PRIORITY_AREAS[c],
            "by_country": countries.country_name,
        }
        for key, title in (
            ("by_method", "By method"),
            ("by_area", "By priority area"),
            ("by_country", "Top partner countries"),
        ):
            items = list(summary[key].items())[:8]
            lines.append(f"{title}: " + ", ".join(f"{names[key](c)} {n}" for c, n in items))
        self.text.setText("\n".join(lines))


class ExportPage(QWizardPage):
    def __init__(self, wizard: SurveyWizard) -> None:
        super().__init__()
        self.wizard_ = wizard
        self.setTitle("Write the workbook")
        self.path = QLineEdit()
        self.path.setAccessibleName("Workbook file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        self.write_button = QPushButton("Write workbook")
        self.write_button.clicked.connect(self.write)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.write_button)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.done = False
        self._task: tasks.Task | None = None

    def initializePage(self) -> None:
        if not self.path.text():
            year = dt.date.today().year
            self.path.setText(str(Path.home() / f"survey-{year}.xlsx"))

    def browse(self) -> None:
        chosen = file_dialogs.save_path(
            self, "Save the survey workbook", self.path.text(), "Excel workbook (*.xlsx)"
        )
        if chosen is not None:
            self.path.setText(str(chosen))

    def write(self) -> None:
        target = Path(self.path.text()).expanduser()
        if target.suffix.lower() != ".xlsx":
            target = target.with_suffix(".xlsx")
        edition = self.wizard_.choose.edition.currentData()
        since = self.wizard_.choose.since.value()
        db_path = self.wizard_.db_path

        def finished(path: Path) -> None:
            self.done = True
            self.status.setText(f"Written: {path}")
            self.completeChanged.emit()
            self.wizard_.written.emit(path)

        def failed(exc: BaseException) -> None:
            self.status.setText(f"Not written: {exc}")

        self.status.setText("Writing…")
        self._task = tasks.run(
            self,
            "Writing the survey workbook",
            # In a process of its own: a workbook of 100,000 rows is seconds of Python
            # that would otherwise hold up the window.
            tasks.in_child(
                jobs.write_survey, db_path, self.wizard_.db.read_only, edition, since, target
            ),
            finished,
            failed,
        )

    def isComplete(self) -> bool:
        return self.done


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
