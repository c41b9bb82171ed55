"""Draw desk's application icon at every size the platforms ask for.

`python installer/make_icons.py` writes resources/icons/desk-SIZE.png (16 to 1024),
desk.ico (Windows) and desk.icns (macOS). The drawing is code, so the icon can be
changed and made again; the files it writes are kept in the repository.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int) -> object:
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 64
    # A rounded tile in the documents' accent blue.
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 13 * s, 13 * s)
    p.fillPath(tile, QColor("#1d4e89"))
    # A globe: its outline, the equator, two meridians and two parallels.
    center, radius = QPointF(32 * s, 30 * s), 19 * s
    pen = QPen(QColor("#ffffff"), max(1.0, 2.6 * s))
    p.setPen(pen)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(center, radius, radius)
    p.drawLine(QPointF(center.x() - radius, center.y()), QPointF(center.x() + radius, center.y()))
    if size >= 24:
        p.drawEllipse(center, radius * 0.45, radius)
        for k in (-1, 1):
            y = center.y() + k * radius * 0.55
            half = math.sqrt(max(radius**2 - (y - center.y()) ** 2, 0))
            p.drawLine(QPointF(center.x() - half, y), QPointF(center.x() + half, y))
    # A small red marker: a partner somewhere in the world.
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#e15759"))
    p.drawEllipse(QPointF(center.x() + radius * 0.55, center.y() - radius * 0.45), 4.5 * s, 4.5 * s)
    # The desk itself: a bar under the globe.
    p.setBrush(QColor("#ffffff"))
    p.drawRoundedRect(QRectF(14 * s, 52 * s, 36 * s, 4.5 * s), 2 * s, 2 * s)
    p.end()
    return image


def main() -> int:
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size).save(str(OUT / f"desk-{size}.png"))
    big = Image.open(OUT / "desk-1024.png")
    big.save(OUT / "desk.ico", sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    big.save(OUT / "desk.icns")
    print(f"Icons written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
