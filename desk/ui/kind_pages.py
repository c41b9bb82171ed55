"""The pages of kinds shown their own way, beyond the plain RecordPage, by the kind's
name: with kind_dialogs.py, the one place in the window where a kind is named to decide
what it shows. What every page shows of a kind (its fields, sections, links, files)
comes from its declaration.

Pages are imported when first opened, so the window's first paint waits for none."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from desk.core.store.db import Database

if TYPE_CHECKING:
    from desk.ui.pages.city_page import CityPage
    from desk.ui.pages.record_page import RecordPage

    KindPage: TypeAlias = RecordPage | CityPage


def _partnership(db: Database, _path: Path) -> KindPage:
    from desk.ui.pages.partnership_page import PartnershipPage

    return PartnershipPage(db)


def _agreement(db: Database, _path: Path) -> KindPage:
    from desk.ui.pages.agreement_page import AgreementPage

    return AgreementPage(db)


def _visit(db: Database, path: Path) -> KindPage:
    from desk.ui.pages.visit_page import VisitPage

    return VisitPage(db, path)


def _contact(db: Database, _path: Path) -> KindPage:
    from desk.ui.pages.contact_page import ContactPage

    return ContactPage(db)


def _city(db: Database, _path: Path) -> KindPage:
    from desk.ui.pages.city_page import CityPage

    return CityPage(db)


PAGES: dict[str, Callable[[Database, Path], KindPage]] = {
    "partnership": _partnership,
    "agreement": _agreement,
    "visit": _visit,
    "contact": _contact,
    "city": _city,
}


def page(db: Database, path: Path, kind: str) -> KindPage:
    """The page of a kind that has one of its own (Kind.page)."""
    make = PAGES.get(kind)
    if make is not None:
        return make(db, path)
    from desk.ui.pages.record_page import RecordPage

    return RecordPage(db, kind)
