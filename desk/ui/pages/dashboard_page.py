"""The dashboard: the city's international work at a glance, for the mayor's question
"where are we engaged, and what did it bring?".

Activity year by year; the period's engagements by method, priority area and country,
counted as the national survey counts, with the national shares marked beside the
city's own; outcomes added up by year; the Sustainable Development Goals advanced; the
deadlines and visits coming up; and the relationships by how long since they last heard
from us, each with its rhythm and whether it is overdue. Every chart saves as PNG or SVG.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain import dates
from desk.core.domain.vocab import ENGAGEMENT_METHODS, OUTCOME_MEASURES, PRIORITY_AREAS, SDGS
from desk.core.domain.words import counted as counted_as
from desk.core.features import quiet
from desk.core.features.costs import in_brief
from desk.core.reference.countries import country_name
from desk.core.store.db import Database
from desk.reports import figures
from desk.reports.figures import SERIES_COLORS
from desk.ui import tasks
from desk.ui.widgets.charts import Bar, Chart, Series, ShareChart, YearChart

# Above this size the figures are read in a process of their own: the survey's count of
# unique engagements takes over a second at 100,000 contacts.
READ_APART_FROM_BYTES = 32 * 1024 * 1024
_TARGET = Qt.ItemDataRole.UserRole
YEARS_SHOWN = 10
# Relationships listed by time since last contact; the count says how many more there are.
QUIET_SHOWN = 100
# Dates listed under Coming up, overdue decisions at most the first of them; the rest
# are counted.
COMING_LISTED = 200
OVERDUE_LISTED = 50


class ChartCard(QFrame):
    """A chart in a frame, with a button that saves it."""

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(chart, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.save_button = QPushButton("Save chart…")
        self.save_button.setToolTip(f"Save “{chart.title}” as a PNG image or an SVG drawing")
        self.save_button.clicked.connect(chart.ask_to_save)
        row.addWidget(self.save_button)
        column.addLayout(row)


def _percent(part: float) -> str:
    return f"{part * 100:.0f}%"


class DashboardPage(QWidget):
    navigate = Signal(str, int)
    annual_ready = Signal(Path)
    kind = "dashboard"

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.figures: figures.Figures | None = None
        self._task: tasks.Task | None = None
        self._annual: tasks.Task | None = None
        this_year = dt.date.today().year

        heading = QLabel("The city's international work")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        heading.setFont(font)
        self.first_year = QSpinBox()
        self.last_year = QSpinBox()
        for box, value in (
            (self.first_year, this_year - YEARS_SHOWN + 1),
            (self.last_year, this_year),
        ):
            box.setRange(1900, this_year + 5)
            box.setValue(value)
            box.setKeyboardTracking(False)
            box.valueChanged.connect(self.refresh)
        self.first_year.setAccessibleName("From the year")
        self.last_year.setAccessibleName("To the year")
        self.status = QLabel()
        self.status.setAccessibleName("Dashboard status")
        controls = QHBoxLayout()
        controls.addWidget(heading)
        controls.addStretch(1)
        controls.addWidget(QLabel("Years"))
        controls.addWidget(self.first_year)
        controls.addWidget(QLabel("to"))
        controls.addWidget(self.last_year)
        self.annual_button = QPushButton()
        self.annual_button.setToolTip(
            "The year's international work as a PDF, for the mayor, the council or a "
            "transition team: headline figures, the map, the charts, visits, agreements, "
            "outcomes and what comes next"
        )
        self.annual_button.clicked.connect(self.make_annual)
        self.annual_button.setEnabled(db.file is not None)
        self.last_year.valueChanged.connect(self._name_annual)
        self.first_year.valueChanged.connect(self._name_annual)
        self._name_annual()
        controls.addWidget(self.annual_button)

        # Records year by year, not the survey's engagements (relationships).
        self.by_year = YearChart("Activity by year")
        self.methods = ShareChart("By method")
        self.areas = ShareChart("By priority area")
        self.countries = ShareChart("By partner country")
        self.goals = ShareChart("Sustainable Development Goals advanced")
        self.goals.color = SERIES_COLORS[2]
        self.outcomes = QTableWidget()
        self.outcomes.setAccessibleName("Outcomes by year")
        self.outcomes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.outcomes.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.outcomes_note = QLabel()
        self.outcomes_note.setWordWrap(True)
        # What the visits of these years cost, beside what they brought.
        self.cost_line = QLabel()
        self.cost_line.setWordWrap(True)
        self.cost_line.setAccessibleName("Cost of the visits")
        self.coming = QTableWidget(0, 2)
        self.coming.setAccessibleName("Coming up")
        self.coming.setHorizontalHeaderLabels(["When", "What"])
        self.coming.verticalHeader().hide()
        self.coming.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.coming.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.coming.horizontalHeader().setStretchLastSection(True)
        self.coming.itemActivated.connect(self._open_coming)
        # Ten dates and the header at least: the list scrolled in a strip of six.
        coming_row = self.fontMetrics().height() + 8
        self.coming.verticalHeader().setDefaultSectionSize(coming_row)
        self.coming.setMinimumHeight(coming_row * 11)
        self.coming_note = QLabel()
        self.coming_note.setWordWrap(True)
        self.touch = QTableWidget(0, 5)
        self.touch.setAccessibleName("Keeping in touch")
        self.touch.setHorizontalHeaderLabels(
            ["Partner", "Last contact", "Quiet for", "Keep in touch", "Contact"]
        )
        self.touch.verticalHeader().hide()
        rows = self.fontMetrics().height() + 8
        self.touch.verticalHeader().setDefaultSectionSize(rows)
        self.touch.setMinimumHeight(rows * 11)  # ten relationships and the header
        self.touch.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.touch.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.touch.horizontalHeader().setStretchLastSection(True)
        self.touch.itemActivated.connect(self._open_coming)
        self.touch_note = QLabel()
        self.touch_note.setWordWrap(True)
        self._touch_task: tasks.Task | None = None

        grid = QGridLayout()
        grid.addWidget(ChartCard(self.by_year), 0, 0)
        grid.addWidget(
            self._boxed("Outcomes by year", self.outcomes, self.outcomes_note, self.cost_line),
            0,
            1,
        )
        grid.addWidget(ChartCard(self.methods), 1, 0)
        grid.addWidget(ChartCard(self.areas), 1, 1)
        grid.addWidget(ChartCard(self.countries), 2, 0)
        grid.addWidget(ChartCard(self.goals), 2, 1)
        grid.addWidget(
            self._boxed("Coming up in the next six months", self.coming, self.coming_note),
            3,
            0,
            1,
            2,
        )
        grid.addWidget(
            self._boxed(
                "Keeping in touch: longest without contact first", self.touch, self.touch_note
            ),
            4,
            0,
            1,
            2,
        )
        for column in (0, 1):
            grid.setColumnStretch(column, 1)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)
        self.refresh()

    def _name_annual(self) -> None:
        self.annual_button.setText(f"Annual report {self._years()[1]}…")

    def _years(self) -> tuple[int, int]:
        """The years shown, earlier first, however the two boxes were set."""
        first, last = sorted((self.first_year.value(), self.last_year.value()))
        return first, last

    def make_annual(self) -> None:
        if self.db.file is None:
            return
        from desk.ui import documents, jobs

        year = self._years()[1]
        target = documents.temporary_pdf("Annual report", str(year), str(year))
        self._annual = documents.make(
            self,
            "Annual report",
            jobs.make_document,
            self.db.file,
            self.db.read_only,
            "annual report",
            year,
            target,
            ready=self.annual_ready.emit,
        )

    @staticmethod
    def _boxed(title: str, *widgets: QWidget) -> QFrame:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(frame)
        label = QLabel(title)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        column.addWidget(label)
        for widget in widgets:
            column.addWidget(widget, 1 if isinstance(widget, QTableWidget) else 0)
        return frame

    # -- reading -----------------------------------------------------------------------
    def refresh(self) -> None:
        self._read_touch()
        first, last = self._years()
        path = self.db.file
        if path is None or _size(path) < READ_APART_FROM_BYTES:
            self.show_figures(figures.read_all(self.db, first, last))
            return
        if self._task is not None:
            self._task.cancel_event.set()
        from desk.ui import jobs

        self.status.setText("Reading the figures…")
        work = tasks.in_child(jobs.dashboard, path, self.db.read_only, first, last)
        self._task = tasks.run(
            self,
            "Reading the figures",
            work,
            self._arrived,
            self._failed,
            quiet=True,
        )

    def _read_touch(self) -> None:
        """The relationships by time since last contact: read here for a small file, on
        a thread with its own connection for a large one (a grouped read of every
        interaction and visit: 40 ms at 100,000 contacts)."""
        today = dt.date.today()
        path = self.db.file
        if path is None or _size(path) < READ_APART_FROM_BYTES:
            self.show_touch(today, quiet.by_silence(self.db, today, QUIET_SHOWN))
            return
        if self._touch_task is not None:
            self._touch_task.cancel_event.set()

        def read(db: Database, _progress: Any) -> quiet.Roster:
            return quiet.by_silence(db, today, QUIET_SHOWN)

        def arrived(found: quiet.Roster) -> None:
            self._touch_task = None
            self.show_touch(today, found)

        def failed(exc: BaseException) -> None:
            self._touch_task = None
            if not isinstance(exc, tasks.Cancelled):
                self.touch_note.setText(f"The relationships could not be read: {exc}")

        self.touch_note.setText("Reading when each relationship last heard from us…")
        self._touch_task = tasks.run(
            self,
            "Reading the relationships",
            tasks.on_own_connection(path, read, like=self.db),
            arrived,
            failed,
            quiet=True,
        )

    def show_touch(self, today: dt.date, roster: quiet.Roster) -> None:
        """Each relationship with its last contact, how long ago, its rhythm, and when
        contact is or was due; those overdue in the warning color."""
        from desk.ui.colors import tone

        warning = tone("warning", self.palette())
        found = roster.listed
        self.touch.setRowCount(len(found))
        for row, silence in enumerate(found):
            overdue = silence.overdue(today)
            due = dates.short_date(silence.due)
            cells = [
                silence.partner,
                dates.short_date(silence.last) if silence.last else "None recorded",
                silence.quiet_for(today),
                counted_as(silence.every, "month") + (" (its own)" if silence.own else ""),
                f"Overdue since {due}"
                if overdue
                else ("A visit is being prepared" if silence.preparing else f"Due by {due}"),
            ]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(_TARGET, ("partnership", silence.partnership_id))
                if column == 3:
                    cell.setToolTip(f"Keep in touch {silence.rhythm_words()}")
                if overdue and column == 4:
                    cell.setForeground(warning)
                self.touch.setItem(row, column, cell)
        for column in range(4):
            self.touch.resizeColumnToContents(column)
        if not roster.total:
            note = "No relationship to keep in touch with: none is proposed, active or dormant."
        else:
            shown = (
                f"the {len(found):,} longest without contact are listed"
                if roster.total > len(found)
                else "all are listed"
            )
            note = (
                f"{counted_as(roster.total, 'relationship')} to keep in touch with, "
                f"{roster.overdue:,} of them overdue; {shown}. Suspended, lapsed and ended "
                "ones are not chased. A partnership's Keep in touch field sets its own rhythm."
            )
        self.touch_note.setText(note)

    def _arrived(self, found: figures.Figures) -> None:
        self._task = None
        if (found.first, found.last) != self._years():
            return  # the years changed meanwhile: their own reading follows
        self.show_figures(found)

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        if not isinstance(exc, tasks.Cancelled):
            self.status.setText(f"The figures could not be read: {exc}")

    # -- showing -----------------------------------------------------------------------
    def show_figures(self, found: figures.Figures) -> None:
        self.figures = found
        years = [y.year for y in found.years]
        self.by_year.set_data(
            years,
            [
                Series("New partnerships", [y.partnerships for y in found.years], SERIES_COLORS[0]),
                Series("Agreements signed", [y.agreements for y in found.years], SERIES_COLORS[1]),
                Series("Delegations welcomed", [y.incoming for y in found.years], SERIES_COLORS[2]),
                Series("Missions sent", [y.outgoing for y in found.years], SERIES_COLORS[3]),
            ],
        )
        shares = found.shares
        counted = f"{counted_as(shares.engagements, 'engagement')} since {shares.since}"
        national = shares.national
        self.methods.set_bars(
            self._shares(shares, "by_method", ENGAGEMENT_METHODS, national.get("by_method", {})),
            "Bars: the city's share; marks: the national share. A visit to a partner counts "
            "under that partnership, as the survey counts it.",
        )
        self.areas.set_bars(
            self._shares(shares, "by_area", PRIORITY_AREAS, national.get("by_area", {})),
            "An engagement counts under each of its areas; marks: the national share.",
        )
        # Most engagements first, ties in alphabetical order; the rest said, not dropped.
        ranked = sorted(
            shares.by_country.items(), key=lambda c: (-c[1], country_name(c[0]) or c[0])
        )
        top, rest = ranked[:10], ranked[10:]
        note = "The partner countries with the most engagements."
        if rest:
            note = f"The ten with the most; {len(rest):,} more countries have {rest[0][1]:,}"
            note += " or fewer." if len({n for _c, n in rest}) > 1 else " each."
        note += (
            f" Shares of the {counted_as(shares.with_country, 'engagement')} with a country: "
            "networks are a method, not a country."
        )
        self.countries.set_bars(
            [
                Bar(
                    country_name(code) or code,
                    shares.share("by_country", code),
                    f"{n:,} ({_percent(shares.share('by_country', code))})",
                )
                for code, n in top
            ],
            note,
        )
        self.goals.set_bars(
            [
                Bar(SDGS[goal], n, f"{n:,}")
                for goal, n in sorted(found.sdgs.items(), key=lambda g: (-g[1], int(g[0])))
            ],
            "Engagements advancing each goal, counted as the survey counts engagements: "
            "one whose partnership, or an agreement or significant meeting of these years, "
            "names the goal.",
        )
        self._show_outcomes(found)
        spent = in_brief(found.costs)
        period = f"{found.first}–{found.last}" if found.first != found.last else str(found.last)
        self.cost_line.setText(f"The visits held in {period} cost {spent}." if spent else "")
        self.cost_line.setVisible(bool(spent))
        self._show_coming(found)
        city = self.db.execute("SELECT name FROM city_profile LIMIT 1").fetchone()
        span = f"{found.first}–{found.last}" if found.first != found.last else str(found.last)
        for chart in (self.by_year, self.methods, self.areas, self.countries, self.goals):
            chart.paper_title = ", ".join(x for x in (chart.title, span, city and city[0]) if x)
        status = f"{counted}, counted as the national survey counts."
        if found.years:
            y = found.years[-1]
            status += (
                f" In {y.year}: {counted_as(y.partnerships, 'new partnership')}, "
                f"{counted_as(y.agreements, 'agreement')} signed, "
                f"{counted_as(y.incoming, 'delegation')} welcomed, "
                f"{counted_as(y.outgoing, 'mission')} sent."
            )
        self.status.setText(status)

    @staticmethod
    def _shares(
        shares: figures.Shares, table: str, vocab: Any, national: dict[str, float]
    ) -> list[Bar]:
        counts: dict[str, int] = getattr(shares, table)
        codes = [c for c in vocab if counts.get(c) or c in national]
        codes.sort(key=lambda c: (-counts.get(c, 0), -national.get(c, 0)))
        out = []
        for code in codes:
            n = counts.get(code, 0)
            part = shares.share(table, code)
            reference = national.get(code)
            text = f"{n:,} ({_percent(part)})"
            if reference is not None:
                text += f" · national {_percent(reference)}"
            out.append(Bar(vocab[code], part, text, reference))
        return out

    def _show_outcomes(self, found: figures.Figures) -> None:
        years = [y for y in range(found.first, found.last + 1) if found.outcomes.get(y)]
        measures = [m for m in OUTCOME_MEASURES if any(m in found.outcomes[y] for y in years)]
        self.outcomes.clear()
        self.outcomes.setRowCount(len(measures))
        self.outcomes.setColumnCount(len(years) + 1 if years else 0)
        self.outcomes.setHorizontalHeaderLabels([str(y) for y in years] + ["In all"])
        self.outcomes.setVerticalHeaderLabels([OUTCOME_MEASURES[m] for m in measures])
        estimated = False
        for row, measure in enumerate(measures):
            for column, year in enumerate(years):
                total = found.outcomes[year].get(measure)
                if total is None:
                    continue
                text = total.text()
                if total.estimated:
                    text = "≈ " + text
                    estimated = True
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setToolTip(f"{counted_as(total.figures, 'figure')} recorded")
                self.outcomes.setItem(row, column, item)
            whole = figures.over_years(found.outcomes, measure)
            item = QTableWidgetItem(("≈ " if whole.estimated else "") + whole.text())
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            self.outcomes.setItem(row, len(years), item)
        self.outcomes.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        if not measures:
            self.outcomes_note.setText(
                "No outcomes recorded for these years. Add them on a partnership's, visit's "
                "or agreement's Outcomes tab."
            )
        else:
            self.outcomes_note.setText("≈: some figures in it are estimates." if estimated else "")

    def _show_coming(self, found: figures.Figures) -> None:
        # The soonest listed, the rest counted: at 100,000 contacts six months hold some
        # 6,000 dates, and a row each stood the window still for a tenth of a second.
        # Overdue decisions lead, but never fill the list: the dates ahead are its point.
        overdue = [c for c in found.coming if c.kind == "overdue"]
        ahead = [c for c in found.coming if c.kind != "overdue"]
        late = overdue if len(found.coming) <= COMING_LISTED else overdue[:OVERDUE_LISTED]
        soon = ahead[: COMING_LISTED - len(late)]
        listed = late + soon
        self.coming.setRowCount(len(listed))
        for row, item in enumerate(listed):
            when = QTableWidgetItem(dates.weekday_month_day(item.day) + f", {item.day.year}")
            what = QTableWidgetItem(item.what)
            for cell in (when, what):
                cell.setData(_TARGET, (item.open_kind, item.open_id))
            self.coming.setItem(row, 0, when)
            self.coming.setItem(row, 1, what)
        self.coming.resizeColumnToContents(0)
        parts = []
        if len(late) < len(overdue):
            parts.append(
                f"{counted_as(len(overdue), 'overdue decision')} (the first {len(late):,} listed)"
            )
        if len(soon) < len(ahead):
            parts.append(
                f"{counted_as(len(ahead), 'date')} ahead (the soonest {len(soon):,} listed)"
            )
        self.coming_note.setText(" and ".join(parts) + "." if parts else "")
        self.coming_note.setVisible(bool(parts))

    def _open_coming(self, item: QTableWidgetItem) -> None:
        target = item.data(_TARGET)
        if target:
            self.navigate.emit(target[0], int(target[1]))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
