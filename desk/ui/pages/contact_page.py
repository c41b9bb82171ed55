"""Contacts: the record page, headed by who they are, how to reach them, when we last
met and what we still owe them."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from desk.core.features import story
from desk.core.store.db import Database
from desk.ui.pages.record_page import RecordPage


class ContactPage(RecordPage):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(db, "contact", parent)

    def headline(self, row: dict[str, Any]) -> list[str]:
        return story.contact_lines(self.db, row["id"])
