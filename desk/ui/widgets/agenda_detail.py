"""The selected agenda item in full, beside Today's list: what it is, when, for which
records (each a link that opens it), its notes, and what to do about it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desk.core.features import agenda
from desk.ui.colors import tone


def _label(*, selectable: bool = True, rich: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ItemDetail(QScrollArea):
    """Shows one `agenda.Detail`; a record named in it opens through `navigate`."""

    navigate = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("The selected item")
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(10, 4, 6, 6)
        column.setSpacing(6)
        self.kind_label = _label()
        self.kind_label.setAccessibleName("Type")
        small = QFont(self.kind_label.font())
        small.setBold(True)
        small.setCapitalization(QFont.Capitalization.AllUppercase)
        small.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 106)
        self.kind_label.setFont(small)
        self.title = _label()
        self.title.setAccessibleName("What")
        big = QFont(self.title.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setBold(True)
        self.title.setFont(big)
        self.when = _label()
        self.when.setAccessibleName("When")
        self.warning = _label()
        self.warning.setAccessibleName("Warning")
        self.facts = _label(rich=True)
        self.facts.setAccessibleName("For")
        self.facts.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.facts.linkActivated.connect(self._follow)
        self.notes_head = _label(selectable=False)
        self.notes_head.setText("Notes")
        self.notes_head.setFont(small)
        self.notes = _label()
        self.notes.setAccessibleName("Notes")
        self.next_step = _label()
        self.next_step.setAccessibleName("What to do")
        # The page puts its buttons here, under what they act on.
        self.buttons = QGridLayout()
        self.buttons.setHorizontalSpacing(6)
        self.buttons.setVerticalSpacing(6)
        for widget in (self.kind_label, self.title, self.when, self.warning, self.facts):
            column.addWidget(widget)
        column.addLayout(self.buttons)
        for widget in (self.notes_head, self.notes, self.next_step):
            column.addWidget(widget)
        column.addStretch(1)
        self.setWidget(body)
        # Blank until told what to show (the page fills it after its first paint).
        for label in (self.warning, self.facts, self.notes_head, self.notes, self.next_step):
            label.hide()

    def show_detail(self, found: agenda.Detail | None, overdue: bool = False) -> None:
        palette = self.palette()
        if found is None:
            self.kind_label.setText("")
            self.title.setText("Nothing selected")
            self.when.setText("Choose an item in the list to see it here.")
            for label in (self.warning, self.facts, self.notes_head, self.notes, self.next_step):
                label.hide()
            return
        self.kind_label.setText(found.type_label)
        self.kind_label.setStyleSheet(f"color: {tone('muted', palette).name()}")
        self.title.setText(found.title)
        self.when.setText(found.when)
        self.when.setStyleSheet(f"color: {tone('danger', palette).name()}" if overdue else "")
        self.warning.setText(f"⚠ {found.warning}" if found.warning else "")
        self.warning.setStyleSheet(f"color: {tone('warning', palette).name()}")
        self.warning.setVisible(bool(found.warning))
        from html import escape  # not before the first paint (2 ms)

        rows = []
        for fact in found.facts:
            text = escape(fact.text)
            if fact.opens is not None:
                kind, record_id = fact.opens
                text = f"<a href='open:{kind}:{record_id}'>{text}</a>"
            rows.append(
                f"<tr><td style='padding-right:10px; color:{tone('muted', palette).name()}'>"
                f"{escape(fact.label)}</td><td>{text}</td></tr>"
            )
        self.facts.setText(f"<table>{''.join(rows)}</table>" if rows else "")
        self.facts.setVisible(bool(rows))
        self.notes.setText(found.notes)
        self.notes.setVisible(bool(found.notes))
        self.notes_head.setVisible(bool(found.notes))
        self.next_step.setText(found.next_step)
        self.next_step.setStyleSheet(f"color: {tone('muted', palette).name()}")
        self.next_step.setVisible(bool(found.next_step))

    def _follow(self, link: str) -> None:
        parts = link.split(":")
        if len(parts) == 3 and parts[0] == "open" and parts[2].isdigit():
            self.navigate.emit(parts[1], int(parts[2]))
