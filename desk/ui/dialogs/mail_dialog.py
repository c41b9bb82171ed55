"""Mail dropped on a record page, logged as interactions.

`accept_mail_drops(page, db, record)` lets a page take `.eml` and `.msg` files dropped
on it; `log_dropped` reads them away from the window and opens `MailDialog`: each mail
with the record it goes on (the page's, or what its people point to), the contacts in it
and, unticked, its addresses nobody has, to add as contacts. Log writes each mail as one
operation through the window's runner, so Edit > Undo takes back a mail at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.core.domain.dates import short_date
from desk.core.domain.kinds import KINDS
from desk.core.errors import DeskError
from desk.core.store.db import Database
from desk.core.store.operations import Changes
from desk.ui import tasks
from desk.ui.colors import tone
from desk.ui.ops import operations_for
from desk.ui.screen import fit

if TYPE_CHECKING:
    # Read when mail is first dropped: a page that takes drops does not load the
    # mail reader, and the window starts without it.
    from desk.io.mail import Guess, MailPlan, Person

MAIL_SUFFIXES = (".eml", ".msg")
# Mails taken from one drop: past this the dialog would be a wall to read, and the rest
# are left, said.
MAX_DROPPED = 50
# People named on a line before the rest are counted.
_NAMED = 12

Record = tuple[str, int]


def mail_paths(data: QMimeData | None) -> list[Path]:
    """The saved mails among files being dragged (by their names: nothing is opened
    while a drag passes over the window)."""
    if data is None or not data.hasUrls():
        return []
    found = []
    for url in data.urls():
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.suffix.lower() in MAIL_SUFFIXES:
            found.append(path)
    return found


def takes_mail(kind_name: str) -> bool:
    """Whether a page of this kind takes dropped mail: a mail can go on its records, or
    on records that link to them (an organization's partnerships)."""
    from desk.io import mail

    spec = KINDS[kind_name]
    if mail.loggable(spec):
        return True
    return any(
        link.ref == spec.name
        for other in KINDS.values()
        if mail.loggable(other)
        for link in other.fields
    )


class _MailDrops(QObject):
    """Drags and drops on a page, seen before the page's own handlers."""

    def __init__(self, page: QWidget, db: Database, record: Callable[[], Record | None]) -> None:
        super().__init__(page)
        self.page = page
        self.db = db
        self.record = record

    def _wanted(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> list[Path]:
        record = self.record()
        if self.db.read_only or record is None:
            return []
        paths = mail_paths(event.mimeData())
        return paths if paths and takes_mail(record[0]) else []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        what = event.type()
        if what in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if self._wanted(event):
                event.acceptProposedAction()
                return True
            return False
        if what == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = self._wanted(event)
            record = self.record()
            if not paths or record is None:
                return False
            event.acceptProposedAction()
            # After the drop has returned: the program the files came from waits for
            # it, and would hang while a dialog is open inside it.
            QTimer.singleShot(0, lambda: log_dropped(self.page, self.db, paths, record))
            return True
        return False


def accept_mail_drops(page: QWidget, db: Database, record: Callable[[], Record | None]) -> QObject:
    """Let `page` take dropped mail for the record `record()` returns (None: no record
    shown, nothing taken)."""
    drops = _MailDrops(page, db, record)
    page.setAcceptDrops(True)
    page.installEventFilter(drops)
    return drops


def read_plans(
    parent: QWidget | None, db: Database, paths: list[Path]
) -> tuple[list[MailPlan], list[str]]:
    """Each mail read and matched, with a progress dialog for a large one; and a line
    for each file that could not be read."""

    from desk.io import mail

    def job(database: Database, progress: tasks.Progress) -> tuple[list[MailPlan], list[str]]:
        plans, problems = [], []
        for done, path in enumerate(paths):
            progress(done, len(paths), f"Reading {path.name}")
            try:
                plans.append(mail.read_mail(database, path))
            except DeskError as exc:
                problems.append(f"{path.name}: {exc}")
        return plans, problems

    if db.file is None:
        return job(db, lambda *_args: None)
    work = tasks.on_own_connection(db.file, job, like=db)
    result: tuple[list[MailPlan], list[str]] = tasks.wait_for(parent, "Reading mail", work)
    return result


def log_dropped(
    parent: QWidget | None, db: Database, paths: list[Path], page: Record | None
) -> list[Changes]:
    """Read dropped mail and ask how to log it; what was logged."""
    left = len(paths) - MAX_DROPPED
    try:
        plans, problems = read_plans(parent, db, paths[:MAX_DROPPED])
    except tasks.Cancelled:
        return []
    if left > 0:
        problems.append(f"{left:,} more mails were left out: drop {MAX_DROPPED} at most at a time.")
    if not plans:
        QMessageBox.warning(parent, "Mail not read", "\n".join(problems))
        return []
    dialog = MailDialog(db, plans, page, problems, parent)
    dialog.exec()
    return dialog.logged


class MailBox(QGroupBox):
    """One mail: what it is, the record it goes on, its people."""

    def __init__(
        self, db: Database, plan: MailPlan, page: Record | None, parent: QWidget | None = None
    ) -> None:
        from desk.io import mail

        super().__init__(plan.subject or "(no subject)", parent)
        self.plan = plan
        self.choices: list[Guess] = mail.choices(db, plan, page)
        layout = QVBoxLayout(self)
        self.take = QCheckBox("Log this mail")
        self.take.setChecked(plan.logged is None)
        layout.addWidget(self.take)
        sender = f" from {plan.mail_from}" if plan.mail_from else ""
        about = _label(f"{short_date(plan.day)}{sender}  ·  {plan.source.name}")
        layout.addWidget(about)
        if plan.files:
            names = ", ".join(f.filename for f in plan.files[:_NAMED])
            more = f" and {len(plan.files) - _NAMED:,} more" if len(plan.files) > _NAMED else ""
            layout.addWidget(_label(f"Attachments: {names}{more}"))
        for note in plan.notes:
            layout.addWidget(_muted(_label(note)))
        self.done = _label("")
        if plan.logged is not None:
            number, subject, day = plan.logged
            when = f" of {short_date(day)}" if day else ""
            self.done.setText(
                f"Logged already as interaction #{number} “{subject}”{when}: left out."
            )
            self.take.setEnabled(False)
        self.done.setVisible(bool(self.done.text()))
        layout.addWidget(self.done)

        form = QFormLayout()
        self.record = QComboBox()
        self.record.setAccessibleName("Log on")
        # Why each record is offered can be long: the list shows it whole, the box
        # keeps to the dialog's width.
        self.record.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.record.setMinimumContentsLength(30)
        for guess in self.choices:
            why = f"  ({'; '.join(guess.reasons)})" if guess.reasons else ""
            self.record.addItem(f"{guess.label}{why}", guess.on)
        chosen = self._first_choice(page)
        self.record.setCurrentIndex(chosen)
        if not self.choices:
            self.record.setPlaceholderText("Nobody in it is linked to a record")
        elif chosen < 0:
            self.record.setPlaceholderText("Choose the record it is about…")
        form.addRow("Log on", self.record)
        self.hint = _muted(_label(""))
        pointed = plan.guess
        if pointed is not None and chosen >= 0 and self.choices[chosen].on != pointed.on:
            self.hint.setText(f"The people in it point to {pointed.label}.")
            form.addRow("", self.hint)
        known = plan.known_people
        if known:
            names = ", ".join(p.contact_name for p in known[:_NAMED])
            more = f" and {len(known) - _NAMED:,} more" if len(known) > _NAMED else ""
            form.addRow("Taking part", _label(f"{names}{more}"))
        layout.addLayout(form)

        self.new_list: QListWidget | None = None
        self.add_all: QCheckBox | None = None
        new = plan.new_people
        if new:
            noun = "address" if len(new) == 1 else f"{len(new):,} addresses"
            self.add_all = QCheckBox(f"Add {'it' if len(new) == 1 else 'all'} as new contacts")
            self.add_all.toggled.connect(self._tick_all)
            layout.addWidget(_label(f"Not in desk ({noun}): tick those to add as contacts"))
            layout.addWidget(self.add_all)
            self.new_list = QListWidget()
            self.new_list.setAccessibleName("New contacts")
            organisations = _organisation_names(db, new)
            for person in new:
                item = QListWidgetItem(_new_line(person, organisations))
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                item.setData(Qt.ItemDataRole.UserRole, person.address)
                self.new_list.addItem(item)
            row = self.new_list.sizeHintForRow(0) if new else 20
            self.new_list.setMaximumHeight(row * min(len(new), 6) + 8)
            layout.addWidget(self.new_list)
        self.take.toggled.connect(self._enable)
        self._enable(self.take.isChecked())

    def _first_choice(self, page: Record | None) -> int:
        """The page's record when the mail can go on it, else the guess when it is clear."""
        if self.choices and page is not None and self.choices[0].on == page:
            return 0
        guess = self.plan.guess
        if guess is not None:
            return next((i for i, c in enumerate(self.choices) if c.on == guess.on), -1)
        return 0 if len(self.choices) == 1 and page is not None else -1

    def _tick_all(self, on: bool) -> None:
        if self.new_list is None:
            return
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for row in range(self.new_list.count()):
            self.new_list.item(row).setCheckState(state)

    def _enable(self, on: bool) -> None:
        for widget in (self.record, self.new_list, self.add_all):
            if widget is not None:
                widget.setEnabled(on)

    def on(self) -> Record | None:
        data = self.record.currentData()
        return (str(data[0]), int(data[1])) if data else None

    def make_contacts(self) -> list[str]:
        if self.new_list is None:
            return []
        return [
            str(self.new_list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.new_list.count())
            if self.new_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def mark_logged(self, changes: Changes) -> None:
        self.take.setChecked(False)
        self.take.setEnabled(False)
        self.done.setText(f"Logged: {changes.label}.")
        self.done.setVisible(True)


class MailDialog(QDialog):
    """Mails to log, each with its record and people; Log writes the ticked ones."""

    def __init__(
        self,
        db: Database,
        plans: list[MailPlan],
        page: Record | None = None,
        problems: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.logged: list[Changes] = []
        self.setWindowTitle("Log mail" if len(plans) == 1 else f"Log {len(plans)} mails")
        layout = QVBoxLayout(self)
        for problem in problems or []:
            layout.addWidget(_muted(_label(f"Not read: {problem}")))
        inner = QWidget()
        boxes = QVBoxLayout(inner)
        self.boxes = [MailBox(db, plan, page, inner) for plan in plans]
        for box in self.boxes:
            boxes.addWidget(box)
            box.take.toggled.connect(self._update)
            box.record.currentIndexChanged.connect(self._update)
        boxes.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        layout.addWidget(scroll, 1)
        self.status = _label("")
        layout.addWidget(self.status)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.log_button = QPushButton("Log")
        self.log_button.setDefault(True)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.log)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 760, 640)
        self._update()

    def _update(self) -> None:
        ticked = [box for box in self.boxes if box.take.isChecked()]
        unplaced = [box for box in ticked if box.on() is None]
        if self.db.read_only:
            self.status.setText(f"Nothing can be logged: {self.db.read_only}.")
        elif unplaced:
            self.status.setText("Choose the record each ticked mail is about.")
        else:
            self.status.setText("")
        self.status.setVisible(bool(self.status.text()))
        self.log_button.setEnabled(bool(ticked) and not unplaced and not self.db.read_only)

    def log(self) -> None:
        """Each ticked mail as its own operation; a refused one stays to be seen."""
        from desk.io import mail

        runner = operations_for(self.db)
        for box in self.boxes:
            on = box.on()
            if not box.take.isChecked() or on is None:
                continue
            plan, made = box.plan, box.make_contacts()

            def write(
                db: Database, plan: MailPlan = plan, on: Record = on, made: list[str] = made
            ) -> Changes:
                return mail.log_mail(db, plan, on, make_contacts=made)

            changes = runner.run(self, write, initiator=self, title="Mail not logged")
            if changes is not None:
                self.logged.append(changes)
                box.mark_logged(changes)
        self._update()
        if not any(box.take.isChecked() for box in self.boxes):
            self.accept()


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


def _muted(label: QLabel) -> QLabel:
    label.setStyleSheet(f"color: {tone('muted').name()};")
    return label


def _organisation_names(db: Database, people: list[Person]) -> dict[int, str]:
    wanted = {p.new_contact.get("organisation_id") for p in people} - {None}
    if not wanted:
        return {}
    marks = ", ".join("?" * len(wanted))
    return {
        int(row[0]): str(row[1])
        for row in db.execute(
            f"SELECT id, name FROM organisations WHERE id IN ({marks})", sorted(wanted)
        )
    }


def _new_line(person: Person, organisations: dict[int, str]) -> str:
    """'山田 太郎 <yamada@city.kobe.jp>  →  new contact 山田 太郎, City of Kobe'."""
    values = person.new_contact
    order = ("given_name", "family_name")
    if values.get("name_order") == "family_first":
        order = ("family_name", "given_name")
    name = " ".join(str(values[k]) for k in order if values.get(k))
    shown = f"{person.name} <{person.address}>" if person.name else person.address
    at = organisations.get(int(values.get("organisation_id") or 0))
    return f"{shown}  →  new contact {name}" + (f", {at}" if at else "")
