"""PySide6 6.12.0 under Python 3.11 leaks a reference to None on every call of a C++
method returning void and aborts after a few thousand calls. The dependency markers keep
that release out; this test would crash the run if it came back."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot


def test_twenty_thousand_void_calls_survive(qtbot: QtBot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    for n in range(20_000):
        label.setText(str(n))  # returns void
    assert label.text() == "19999"
