"""The hooks of kinds whose procedure is a rule or two: an agreement's expiry worked out
from its term, our city's one profile, an organization a sheet names, an outcome's
figure, a file attached rather than added."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desk.core.domain.dates import add_months, stored_date
from desk.core.domain.kinds import Kind
from desk.core.domain.types.cleaning import FIRST_YEAR, LAST_YEAR
from desk.core.domain.vocab import MONEY_MEASURES, OUTCOME_MEASURES
from desk.core.errors import ValidationError
from desk.core.store.db import Database
from desk.core.store.hooks.base import KindHooks, Writes


class AgreementHooks(KindHooks):
    def derive(self, spec: Kind, row: Mapping[str, Any]) -> dict[str, Any]:
        """An agreement with a term and no expiry expires the term after its effective
        date, else its signing. A signing known only to its year or month gives no day
        for the term to run from: the expiry is left for the person to give, not guessed."""
        if row.get("expiry_date") or not row.get("term_months"):
            return {}
        start = stored_date(row.get("effective_date") or row.get("signed_date"))
        if start is None:
            return {}
        months = int(row["term_months"])
        year = start.year + (start.month - 1 + months) // 12
        if not FIRST_YEAR <= year <= LAST_YEAR:
            # Dates desk works out itself stay inside the years it keeps, as typed ones
            # must: an expiry past LAST_YEAR would be written, and then refused by
            # desk's own dump import.
            bound = (
                f"past {LAST_YEAR}, the last year desk keeps"
                if year > LAST_YEAR
                else f"before {FIRST_YEAR}, the first year desk keeps"
            )
            term = spec.field_map["term_months"]
            raise ValidationError(
                f"'{term.label}' of {months:,} puts the expiry in {year}, {bound}; give a "
                "shorter term, or leave it empty.",
                field=term.name,
            )
        return {"expiry_date": add_months(start, months).isoformat()}


class ContactHooks(KindHooks):
    """Nothing of its own: a contact's sort name is a sort key the store keeps as it
    keeps every other (declared on the kind: family name, then given name)."""


class OrganisationHooks(KindHooks):
    makes_named = True

    def make_named(self, db: Database, name: str, row: Mapping[str, Any], write: Writes) -> int:
        """An organization a contact row names that desk does not have: made in the
        contact's country."""
        made = write.create(db, "organisation", {"name": name, "country": row.get("country")})
        assert made.id is not None  # create() reports the new record's id
        return made.id


class CityHooks(KindHooks):
    def before_create(self, db: Database, values: Mapping[str, Any]) -> Mapping[str, Any]:
        if db.execute("SELECT id FROM city_profile").fetchone():
            raise ValidationError("There is already a city profile; edit it instead.")
        return values


class AttachmentHooks(KindHooks):
    def before_create(self, db: Database, values: Mapping[str, Any]) -> Mapping[str, Any]:
        raise ValidationError("Attach files with attach_file().")


class OutcomeHooks(KindHooks):
    def check(self, db: Database, spec: Kind, row: Mapping[str, Any]) -> None:
        """A figure says what it counts: money for investment and exports, a number for
        the rest."""
        measure = row.get("measure")
        what = OUTCOME_MEASURES.get(measure or "", "This outcome")
        if measure in MONEY_MEASURES and row.get("value_minor") is None:
            raise ValidationError(
                f"'{what}' needs a value (with its currency).", field="value_minor"
            )
        if measure not in MONEY_MEASURES and row.get("amount") is None:
            raise ValidationError(f"'{what}' needs a number ('How many').", field="amount")
