"""A record as a page to read: the filled fields in their sections, two columns where
the width allows, links to the records it names. Double-click or E turns it into the form."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

from desk.core.features.reading import Line, Section
from desk.ui import colors

# Below this width a section's fields stand in one column, label above value.
TWO_COLUMNS_FROM = 560


class RecordReader(QTextBrowser):
    """Read-only; emits `edit_requested` on a double-click and `navigate` on a link."""

    edit_requested = Signal()
    navigate = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setAccessibleName("Record")
        self.anchorClicked.connect(self._follow)
        self._sections: list[Section] = []
        self._empty = ""

    def show_sections(self, sections: list[Section], empty: str = "") -> None:
        self._sections, self._empty = sections, empty
        self._render()

    def text_shown(self) -> str:
        return self.toPlainText()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        wide = self.viewport().width() >= TWO_COLUMNS_FROM
        if wide != getattr(self, "_wide", None):
            self._render()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.edit_requested.emit()
        event.accept()

    def _follow(self, url: QUrl) -> None:
        kind, _, record = url.path().partition("/")
        if url.scheme() == "desk" and record.isdigit():
            self.navigate.emit(kind, int(record))

    def _render(self) -> None:
        self._wide = self.viewport().width() >= TWO_COLUMNS_FROM
        muted = colors.tone("muted").name()
        if not self._sections:
            self.setHtml(f"<p style='color:{muted}'>{escape(self._empty)}</p>")
            return
        # One table for the whole record, so every label column lines up.
        pairs = 2 if self._wide else 1
        rows = []
        for section in self._sections:
            if section.title:
                rows.append(
                    f"<tr><td colspan='{2 * pairs}' style='padding:10px 0 3px 0'>"
                    f"<b>{escape(section.title)}</b></td></tr>"
                )
            short = [self._cells(line, muted) for line in section.lines if not line.long]
            if pairs == 2 and len(short) > 3:
                # Down the first column, then the second, as a person reads a card.
                half = (len(short) + 1) // 2
                rows += [
                    "<tr>" + short[n] + (short[n + half] if n + half < len(short) else "") + "</tr>"
                    for n in range(half)
                ]
            else:
                rows += [f"<tr>{cells}<td></td><td></td></tr>" for cells in short]
            for line in section.lines:
                if line.long:
                    rows.append(
                        f"<tr><td style='color:{muted};padding:2px 12px 2px 0' valign='top'>"
                        f"{escape(line.label)}</td><td colspan='{2 * pairs - 1}' "
                        f"style='padding:2px 0'>{_value(line)}</td></tr>"
                    )
        self.setHtml(f"<table cellspacing='0' cellpadding='0'>{''.join(rows)}</table>")

    @staticmethod
    def _cells(line: Line, muted: str) -> str:
        return (
            f"<td style='color:{muted};padding:2px 12px 2px 0' valign='top'>"
            f"{escape(line.label)}</td>"
            f"<td style='padding:2px 20px 2px 0' valign='top'>{_value(line)}</td>"
        )


def _value(line: Line) -> str:
    # A left-to-right mark first: a value in Arabic or Hebrew stays in its column's
    # reading order instead of flipping its cell to the right.
    text = "\u200e" + escape(line.text).replace("\n", "<br>")
    if line.link is not None:
        kind, record = line.link
        return f"<a href='desk:{kind}/{record}'>{text}</a>"
    return text
