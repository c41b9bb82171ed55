"""The shipped fonts, loaded so native-script names render anywhere."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desk.core.paths import resource_path

FONT_FILES = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "wqy-microhei.ttc",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
)
_loaded: list[str] = []


def load_fonts(app: QApplication) -> list[str]:
    """Register the fonts and make them the application's family list (Latin first, then
    CJK and Arabic as fallbacks). Returns the families loaded."""
    if not _loaded:
        for name in FONT_FILES:
            font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _loaded:
                    _loaded.append(family)
    font = QFont(app.font())
    font.setFamilies([*_loaded, *font.families()])
    app.setFont(font)
    return list(_loaded)
