from __future__ import annotations

import sys

from desk.ui import qt_loading


def test_every_desk_module_is_entered_in_pyside6s_feature_table() -> None:
    """PySide6 reads the source of each module imported after it unless the module is in
    its table already: 14 ms of the window's start. A PySide6 that keeps the table
    elsewhere fails here, not silently in the start-up figures."""
    qt_loading.enter_modules_ahead()
    table = sys.modules["shibokensupport.feature"].pyside_feature_dict
    names = qt_loading._desk_modules()
    assert {"desk", "desk.ui", "desk.ui.main_window", "desk.core.store.db"} <= set(names)
    assert "desk.ui.pages.today_page" in names and "desk.cli.main" in names
    missing = [name for name in names if name not in table]
    assert missing == []
    # A module of the window is one that uses PySide6 (with no feature), as PySide6
    # itself would have found; the rest are not PySide6's concern.
    assert table["desk.ui.pages.today_page"] == 0
    assert table["desk.core.domain.dates"] == -1
