"""The record dialogs of kinds edited their own way, beyond the plain RecordDialog, by
the kind's name: with kind_pages.py, the one place in the window where a kind is named to
decide what it shows."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from desk.core.store.db import Database
from desk.ui.dialogs.itinerary_dialog import ItineraryItemDialog
from desk.ui.dialogs.record_dialog import LinksFactory, RecordDialog

DIALOGS: dict[str, type[RecordDialog]] = {"itinerary_item": ItineraryItemDialog}


def dialog(
    db: Database,
    kind: str,
    record_id: int | None,
    preset: dict[str, Any] | None,
    parent: QWidget | None,
    links: LinksFactory,
) -> RecordDialog:
    cls = DIALOGS.get(kind, RecordDialog)
    return cls(db, kind, record_id, preset, parent, links=links)
