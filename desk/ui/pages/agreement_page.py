"""Agreements: the record page, headed by when the renewal must be decided."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from desk.core.features import story
from desk.core.store.db import Database
from desk.ui.pages.record_page import RecordPage


class AgreementPage(RecordPage):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "agreement", parent)

    def headline(self, row: dict[str, Any]) -> list[str]:
        line = story.agreement_line(row)
        return [line] if line else []
