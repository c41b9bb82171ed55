"""Charts drawn with Qt's own painting: bars by year, and bars of shares with a reference
mark. What a chart draws on screen it also saves, as PNG or SVG (right-click, or its
Save button), at any size, in the colors of the theme it is shown in."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QMenu, QMessageBox, QSizePolicy, QWidget

from desk.core.disk import files
from desk.core.errors import DeskError
from desk.reports.figures import SERIES_COLORS, axis
from desk.ui import file_dialogs


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]
    color: str


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # what is written at the bar's end: "14 (61%)"
    reference: float | None = None  # on the same scale as value: the national share


class Chart(QWidget):
    """A titled chart. Subclasses draw in `draw(painter, rect)`; the same drawing is
    painted on screen and saved."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.note = ""  # a line under the chart: the legend of a reference mark
        # Saved, a chart goes on white paper, in dark ink, titled with what it is of
        # ("By method, 2017–2026, Port Meridian"), whatever the window's theme.
        self.paper_title = ""
        self._paper = False
        self.setAccessibleName(title)
        self.setMinimumSize(320, 220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    # -- drawing ---------------------------------------------------------------------
    def draw(self, painter: QPainter, rect: QRectF) -> None:
        raise NotImplementedError

    def summary(self) -> str:
        """The chart in words, for screen readers and tooltips."""
        return self.title

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._draw_all(painter, QRectF(self.rect()))
        painter.end()

    def _ink(self) -> QColor:
        return QColor("#1f2a37") if self._paper else self.palette().windowText().color()

    def _background(self) -> QColor:
        return QColor("#ffffff") if self._paper else self.palette().window().color()

    def _draw_all(self, painter: QPainter, rect: QRectF) -> None:
        ink = self._ink()
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(self.font().pointSizeF() * 1.1)
        painter.setFont(title_font)
        painter.setPen(ink)
        line = painter.fontMetrics().height()
        painter.drawText(
            rect.adjusted(8, 4, -8, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            (self.paper_title or self.title) if self._paper else self.title,
        )
        painter.setFont(self.font())
        body = rect.adjusted(8, line + 10, -8, -6)
        if self.note:
            wrap = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
            tall = (
                painter.fontMetrics()
                .boundingRect(QRectF(0, 0, body.width(), 1000).toRect(), wrap, self.note)
                .height()
            )
            body.setBottom(body.bottom() - tall - 4)
            painter.setPen(self._muted())
            painter.drawText(
                QRectF(body.left(), body.bottom() + 4, body.width(), tall), wrap, self.note
            )
        self.draw(painter, body)

    def _muted(self) -> QColor:
        color = QColor(self._ink())
        color.setAlphaF(0.62)
        return color

    # -- saving ----------------------------------------------------------------------
    def paper_size(self) -> QSize:
        """As wide as shown (at least 720), as tall as the chart needs, no empty band."""
        return QSize(max(self.width(), 720), max(self.minimumHeight(), 360))

    def save_png(self, path: Path, size: QSize | None = None) -> None:
        size = size or self.paper_size()
        scale = 2  # sharp on a slide or a printed page
        image = QImage(size * scale, QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(scale)
        self._paper = True
        try:
            image.fill(self._background())
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._draw_all(painter, QRectF(0, 0, size.width(), size.height()))
            painter.end()
        finally:
            self._paper = False
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
            raise OSError(f"Could not draw the chart for {path}.")
        # Through desk's one safe write: never over the database or a file being read.
        target = path if path.suffix else path.with_suffix(".png")
        files.safe_write(target, bytes(buffer.data().data()))

    def save_svg(self, path: Path, size: QSize | None = None) -> None:
        from PySide6.QtSvg import QSvgGenerator

        size = size or self.paper_size()
        generator = QSvgGenerator()
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        generator.setOutputDevice(buffer)
        generator.setSize(size)
        generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
        generator.setTitle(self.paper_title or self.title)
        generator.setDescription(self.summary())
        self._paper = True
        try:
            painter = QPainter(generator)
            painter.fillRect(QRectF(0, 0, size.width(), size.height()), self._background())
            self._draw_all(painter, QRectF(0, 0, size.width(), size.height()))
            painter.end()
        finally:
            self._paper = False
        files.safe_write(path, bytes(buffer.data().data()))

    def ask_to_save(self) -> None:
        chosen, kind = file_dialogs.save_path_and_filter(
            self, f"Save chart: {self.title}", f"{self.title}.png", "PNG image (*.png);;SVG (*.svg)"
        )
        if chosen is None:
            return
        target = chosen
        svg = target.suffix.lower() == ".svg" or (not target.suffix and "SVG" in kind)
        if not target.suffix:
            target = target.with_suffix(".svg" if svg else ".png")
        try:
            (self.save_svg if svg else self.save_png)(target)
        except (OSError, DeskError) as exc:
            QMessageBox.warning(self, "Chart not saved", str(exc))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Save chart as PNG or SVG…", self.ask_to_save)
        menu.exec(event.globalPos())


class YearChart(Chart):
    """Bars by year, each stacked from its series, with a legend; a year with nothing is
    a gap on the axis, not left out."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.years: list[int] = []
        self.series: list[Series] = []

    def set_data(self, years: Sequence[int], series: Sequence[Series]) -> None:
        self.years, self.series = list(years), list(series)
        self.setToolTip(self.summary())
        self.update()

    def totals(self) -> list[float]:
        return [sum(s.values[n] for s in self.series) for n in range(len(self.years))]

    def summary(self) -> str:
        parts = []
        for n, year in enumerate(self.years):
            inside = ", ".join(
                f"{s.name.lower()}: {int(s.values[n]):,}" for s in self.series if s.values[n]
            )
            parts.append(f"{year}: {inside or 'none'}")
        return f"{self.title}. " + "; ".join(parts)

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        ink, muted = self._ink(), self._muted()
        metrics = painter.fontMetrics()
        line = metrics.height()
        # Legend across the top.
        x = rect.left()
        for s in self.series:
            painter.fillRect(QRectF(x, rect.top() + 3, 10, 10), QColor(s.color))
            painter.setPen(ink)
            painter.drawText(QPointF(x + 14, rect.top() + line - 3), s.name)
            x += 14 + metrics.horizontalAdvance(s.name) + 16
        if not self.years:
            return
        top, step = axis(max(self.totals(), default=0))
        axis_width = metrics.horizontalAdvance(f"{int(top):,}") + 8
        plot = QRectF(rect.left() + axis_width, rect.top() + line + 8, rect.width() - axis_width, 0)
        plot.setBottom(rect.bottom() - line - 4)
        painter.setPen(QPen(muted, 0.5))
        lines = round(top / step)
        for k in range(lines + 1):
            y = plot.bottom() - plot.height() * k / lines
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(
                QRectF(rect.left(), y - line / 2, axis_width - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{int(k * step):,}",
            )
        slot = plot.width() / len(self.years)
        width = max(2.0, slot * 0.7)
        every = max(1, math.ceil((metrics.horizontalAdvance("2026") + 6) / slot))
        for n, year in enumerate(self.years):
            left = plot.left() + slot * n + (slot - width) / 2
            bottom = plot.bottom()
            for s in self.series:
                height = plot.height() * s.values[n] / top
                if height > 0:
                    painter.fillRect(QRectF(left, bottom - height, width, height), QColor(s.color))
                bottom -= height
            if n % every == 0 or n == len(self.years) - 1:
                painter.setPen(ink)
                painter.drawText(
                    QRectF(plot.left() + slot * n - 20, plot.bottom() + 2, slot + 40, line),
                    Qt.AlignmentFlag.AlignHCenter,
                    str(year),
                )


class ShareChart(Chart):
    """Horizontal bars, one per category, longest first, each with its figure written
    at its end and, where given, a mark at the reference value (the national share)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.bars: list[Bar] = []
        self.color = SERIES_COLORS[0]

    def set_bars(self, bars: Sequence[Bar], note: str = "") -> None:
        self.bars = list(bars)
        self.note = note
        rows = max(1, len(self.bars))
        # Room for every bar and for the note under them, on two lines if it needs them.
        self.setMinimumHeight(max(160, 46 + (rows + 2) * (self.fontMetrics().height() + 8)))
        self.setToolTip(self.summary())
        self.update()

    def summary(self) -> str:
        if not self.bars:
            return f"{self.title}: nothing to count yet."
        return f"{self.title}. " + "; ".join(f"{b.label}: {b.text}" for b in self.bars)

    def draw(self, painter: QPainter, rect: QRectF) -> None:
        ink, muted = self._ink(), self._muted()
        metrics = painter.fontMetrics()
        if not self.bars:
            painter.setPen(muted)
            painter.drawText(rect, Qt.AlignmentFlag.AlignLeft, "Nothing to count yet.")
            return
        label_width = min(
            rect.width() * 0.42, max(metrics.horizontalAdvance(b.label) for b in self.bars) + 10
        )
        text_width = max(metrics.horizontalAdvance(b.text) for b in self.bars) + 8
        biggest = max([b.value for b in self.bars] + [b.reference or 0 for b in self.bars]) or 1
        row = min(28.0, rect.height() / len(self.bars))
        span = rect.width() - label_width - text_width
        for n, b in enumerate(self.bars):
            y = rect.top() + row * n
            painter.setPen(ink)
            label = metrics.elidedText(b.label, Qt.TextElideMode.ElideRight, int(label_width - 6))
            painter.drawText(
                QRectF(rect.left(), y, label_width - 6, row),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
            length = span * b.value / biggest
            bar = QRectF(rect.left() + label_width, y + row * 0.2, length, row * 0.6)
            painter.fillRect(bar, QColor(self.color))
            end = bar.right()
            if b.reference is not None:
                x = rect.left() + label_width + span * b.reference / biggest
                painter.setPen(QPen(ink, 2))
                painter.drawLine(QPointF(x, y + row * 0.08), QPointF(x, y + row * 0.92))
                end = max(end, x + 1)
            painter.setPen(ink)
            painter.drawText(
                QRectF(end + 4, y, text_width, row),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                b.text,
            )
