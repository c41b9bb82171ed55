"""The demo city: a deterministic, realistic Port Meridian, Oregon, at any size.

The records are written in bulk (one transaction, no per-row history: a demo is a
starting point, not something the desk did), from the pools in resources/demo. Dates are
laid out around `today`, so the same `today` and scale always give the same database.
"""

from __future__ import annotations

import datetime as dt

from desk.core.demo.base import BASE_CONTACTS, DemoSummary, Progress
from desk.core.demo.costs import CostsMixin
from desk.core.demo.people import PeopleMixin
from desk.core.demo.playbooks import PlaybooksMixin
from desk.core.demo.ties import TiesMixin
from desk.core.demo.travel import TravelMixin
from desk.core.demo.visits import VisitsMixin
from desk.core.errors import DeskError
from desk.core.store.db import Database, holds_records

__all__ = ["BASE_CONTACTS", "DemoSummary", "build_demo", "holds_records"]


class _Builder(PeopleMixin, TiesMixin, VisitsMixin, TravelMixin, CostsMixin, PlaybooksMixin):
    def build(self) -> None:
        city = self.place["city"]
        self.add(
            "city",
            **{**city, "has_director": int(city["has_director"])},
            budget_year=self.today.year,
        )
        self.our_city_org = self.add(
            "organisation",
            name="City of Port Meridian",
            kind="city_government",
            country="US",
            city="Port Meridian",
            website="portmeridian.example.gov",
        )
        self.add(
            "organisation",
            name="Port Meridian Sister Cities Association",
            kind="sister_city_committee",
            country="US",
            city="Port Meridian",
        )
        self._partners()
        self._our_people()
        self._contacts()
        self._offices()
        self._partnerships()
        self._agreements()
        self._networks()
        self._visits()
        # Each draws from a stream of its own: the records above are the same with or
        # without them.
        self._travel()
        self._costs()
        self._playbooks()
        self._interactions()


def build_demo(
    db: Database,
    *,
    scale: int = BASE_CONTACTS,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo city (`scale` contacts, other records in
    proportion)."""
    if scale < BASE_CONTACTS:
        raise DeskError(f"The demo needs a scale of at least {BASE_CONTACTS} contacts.")
    if holds_records(db):
        raise DeskError("This database already holds records; the demo needs an empty one.")
    builder = _Builder(db, scale, today or dt.date.today())
    builder.build()
    return builder.write(progress)
