"""Mail dropped on a record page: only saved mails are taken, the dialog offers the
page's record and what the people point to, new addresses unticked, and Log writes
each mail as one operation the window hears of."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from desk.core.store.db import Database, open_database
from desk.io import mail
from desk.ui.dialogs import mail_dialog
from desk.ui.dialogs.mail_dialog import MailDialog, accept_mail_drops, mail_paths, takes_mail
from desk.ui.ops import operations_for
from tests.io.test_mail import City, eml, standard_headers


@pytest.fixture
def city(db: Database) -> City:
    return City(db)


def _dragged(*paths: Path | str) -> QMimeData:
    data = QMimeData()
    data.setUrls(
        [QUrl(str(p)) if str(p).startswith("http") else QUrl.fromLocalFile(str(p)) for p in paths]
    )
    return data


def _enter(widget: QWidget, data: QMimeData) -> bool:
    event = QDragEnterEvent(
        QPoint(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.ignore()
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def _drop(widget: QWidget, data: QMimeData) -> bool:
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.ignore()
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_only_saved_mails_are_taken_from_a_drag(qapp: Any) -> None:
    dragged = _dragged("/in/a.eml", "/in/B.MSG", "/in/scan.pdf", "https://example.org/c.eml")
    assert mail_paths(dragged) == [Path("/in/a.eml"), Path("/in/B.MSG")]
    assert mail_paths(QMimeData()) == []
    assert mail_paths(None) == []


def test_a_page_that_takes_drops_does_not_load_the_mail_reader() -> None:
    code = (
        "import sys, desk.ui.dialogs.mail_dialog\n"
        "print(sorted(m for m in sys.modules if m.startswith(('desk.io', 'extract_msg'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_the_pages_that_take_mail() -> None:
    for kind_name in ("partnership", "visit", "contact", "agreement", "organisation"):
        assert takes_mail(kind_name), kind_name
    assert not takes_mail("city")


def test_a_mail_dropped_on_a_page_is_logged_on_its_record(
    qtbot: Any, city: City, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.ui.pages.record_page import RecordPage

    db = city.db
    page = RecordPage(db, "partnership")
    qtbot.addWidget(page)
    page.show_record(city.lyon)
    accept_mail_drops(
        page, db, lambda: (page.kind, page.current_id) if page.current_id is not None else None
    )
    path = eml(tmp_path / "program.eml", standard_headers())
    assert not _enter(page, _dragged(tmp_path / "scan.pdf"))
    assert _enter(page, _dragged(path))
    # Dragged over the page as read or over the list, it reaches the page.
    assert _enter(page.reader.viewport(), _dragged(path))
    assert _enter(page.table.viewport(), _dragged(path))

    shown: list[MailDialog] = []

    def press_log(dialog: MailDialog) -> int:
        shown.append(dialog)
        box = dialog.boxes[0]
        # The page's record first; the people in it point elsewhere, and it says so.
        assert box.on() == ("partnership", city.lyon)
        assert box.hint.text() == "The people in it point to Visit “Kobe delegation”."
        assert box.new_list is not None and box.add_all is not None
        assert box.make_contacts() == []  # new addresses are offered, not ticked
        box.new_list.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.log()
        return int(dialog.result())

    monkeypatch.setattr(MailDialog, "exec", press_log)
    heard: list[Any] = []
    operations_for(db).did_execute.connect(lambda changes, _who: heard.append(changes))
    assert _drop(page, _dragged(path, tmp_path / "scan.pdf"))
    qtbot.waitUntil(lambda: bool(shown) and bool(heard), timeout=5000)
    row = db.execute("SELECT id, partnership_id, visit_id, subject FROM interactions").fetchone()
    assert tuple(row[1:]) == (city.lyon, None, "Spring delegation: the program")
    made = db.execute("SELECT id FROM contacts WHERE email = 'someone@partner.example'").fetchall()
    assert len(made) == 1
    assert heard[0].label == "Log mail “Spring delegation: the program” on partnership “Lyon”"
    assert shown[0].result() == MailDialog.DialogCode.Accepted


def test_a_page_without_a_record_or_a_read_only_file_takes_nothing(
    qtbot: Any, city: City, tmp_path: Path
) -> None:
    path = eml(tmp_path / "a.eml", standard_headers())
    blank = QWidget()
    qtbot.addWidget(blank)
    accept_mail_drops(blank, city.db, lambda: None)
    assert not _enter(blank, _dragged(path))
    assert city.db.file is not None
    reader = open_database(city.db.file, read_only="opened to read")
    try:
        shown = QWidget()
        qtbot.addWidget(shown)
        accept_mail_drops(shown, reader, lambda: ("partnership", city.kobe))
        assert not _enter(shown, _dragged(path))
    finally:
        reader.close()


def test_the_dialog_offers_what_the_people_point_to_and_waits_for_a_choice(
    qtbot: Any, city: City, tmp_path: Path
) -> None:
    db = city.db
    clear = mail.read_mail(db, eml(tmp_path / "clear.eml", standard_headers()))
    unsure = mail.read_mail(
        db,
        eml(
            tmp_path / "unsure.eml",
            standard_headers(From="pat.lee@ourcity.gov", To="", Cc="", **{"Message-ID": "<u@x>"}),
        ),
    )
    dialog = MailDialog(db, [clear, unsure], None)
    qtbot.addWidget(dialog)
    first, second = dialog.boxes
    assert first.on() == ("visit", city.visit)  # clear: chosen
    assert second.on() is None  # two partnerships: asked
    assert not dialog.log_button.isEnabled()
    assert dialog.status.text() == "Choose the record each ticked mail is about."
    second.take.setChecked(False)
    assert dialog.log_button.isEnabled()
    second.take.setChecked(True)
    second.record.setCurrentIndex(1)
    assert second.on() is not None and dialog.log_button.isEnabled()
    dialog.log()
    assert dialog.result() == MailDialog.DialogCode.Accepted
    assert len(dialog.logged) == 2
    assert db.execute("SELECT count(*) FROM interactions").fetchone() == (2,)


def test_a_mail_logged_before_is_left_out_and_a_refusal_keeps_the_dialog_open(
    qtbot: Any, city: City, tmp_path: Path, answer: list[str]
) -> None:
    db = city.db
    first = eml(tmp_path / "a.eml", standard_headers())
    mail.log_mail(db, mail.read_mail(db, first), ("partnership", city.kobe))
    again = mail.read_mail(db, first)
    changing = eml(tmp_path / "b.eml", standard_headers(**{"Message-ID": "<b@x>"}))
    fresh = mail.read_mail(db, changing)
    dialog = MailDialog(db, [again, fresh], ("partnership", city.kobe))
    qtbot.addWidget(dialog)
    logged_before, other = dialog.boxes
    assert not logged_before.take.isChecked() and not logged_before.take.isEnabled()
    assert logged_before.done.text().startswith("Logged already as interaction #1")
    changing.write_bytes(changing.read_bytes() + b"\r\nmore")
    dialog.log()
    assert answer == ["b.eml changed since it was read; drop it again."]
    assert dialog.result() != MailDialog.DialogCode.Accepted
    assert other.take.isChecked()
    assert db.execute("SELECT count(*) FROM interactions").fetchone() == (1,)


def test_mail_that_cannot_be_read_is_said_once(
    qtbot: Any, city: City, tmp_path: Path, answer: list[str]
) -> None:
    scan = tmp_path / "scan.eml"
    scan.write_bytes(b"%PDF-1.7")
    assert mail_dialog.log_dropped(None, city.db, [scan], ("partnership", city.kobe)) == []
    assert answer == [
        "scan.eml: scan.eml is not a saved mail: desk reads .eml files (as mail programs "
        "save them) and Outlook's .msg files."
    ]


@pytest.mark.skipif(
    "accept_mail_drops"
    not in Path(__file__).parents[2].joinpath("desk/ui/pages/record_page.py").read_text("utf-8"),
    reason="record pages do not take dropped mail yet",
)
def test_record_pages_take_dropped_mail(qtbot: Any, city: City, tmp_path: Path) -> None:
    from desk.ui.pages.record_page import RecordPage

    page = RecordPage(city.db, "visit")
    qtbot.addWidget(page)
    path = eml(tmp_path / "a.eml", standard_headers())
    assert not _enter(page, _dragged(path))  # no visit shown yet
    page.show_record(city.visit)
    assert _enter(page, _dragged(path))
    assert _enter(page.reader.viewport(), _dragged(path))
    assert not _enter(page, _dragged(tmp_path / "scan.pdf"))
