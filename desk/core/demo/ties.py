"""Demo partnerships with their status history, agreements and network memberships."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from desk.core.demo.base import BuilderBase, area_words, areas, head_of, sdg_codes
from desk.core.domain.dates import add_months


class TiesMixin(BuilderBase):
    def _partnerships(self) -> None:
        for n, partner in enumerate(self.partners):
            year = partner["year"]
            month, day = self.rng.randrange(1, 13), self.rng.randrange(1, 28)
            established = f"{year}-{month:02d}-{day:02d}" if year else None
            partner["established"] = established
            partner["partnership"] = pid = self.add(
                "partnership",
                partner_name=partner["name"],
                partner_name_native=partner["native"] or None,
                partner_level=partner.get("level", "city"),
                region=partner["region"] or None,
                country=partner["country"],
                kind=partner["kind"],
                status=partner["status"],
                established_date=established,
                priority_areas=areas(partner["areas"]),
                sdgs=sdg_codes(partner["areas"]),
                lead_department=self.pick(
                    [
                        "Mayor's Office",
                        "Economic Development",
                        "Parks & Culture",
                        "Sustainability Office",
                    ]
                ),
                local_committee=(
                    f"Port Meridian–{partner['name']} Committee"
                    if partner["kind"] == "sister_city"
                    else None
                ),
                partner_organisation_id=partner["org"],
                notes=(
                    "Anniversary receptions alternate between the two cities."
                    if n < len(self.place["partners"])
                    else None
                ),
            )
            self._history(pid, partner["status"], established, year)
            if partner["status"] == "active" and "culture_education" in partner["areas"]:
                # A yearly figure for the relationship as a whole, as committees report it.
                for back in (3, 2, 1):
                    self.add(
                        "outcome",
                        measure="students",
                        amount=self.rng.randrange(6, 45),
                        year=self.today.year - back,
                        estimate=0,
                        source="Sister Cities Association annual report",
                        partnership_id=pid,
                    )
            self.add(
                "partnership_contact",
                partnership_id=pid,
                contact_id=partner["mayor"],
                role="Principal counterpart",
            )
            self.add(
                "partnership_contact",
                partnership_id=pid,
                contact_id=partner["director"],
                role="Working-level contact",
            )

    def _history(self, pid: int, status: str, established: str | None, year: int | None) -> None:
        start = established or self.day(-self.rng.randrange(30, 300))
        steps: list[tuple[str, str, str]] = []
        if year:
            steps.append(("proposed", f"{year - 1}-09-15", "Letter of interest from the mayor"))
        paths = {
            "proposed": [("proposed", start, "Request received from their city")],
            "friendship": [("friendship", start, "Friendship city declaration signed")],
            "active": [("active", start, "Agreement signed by both mayors")],
            "dormant": [
                ("active", start, "Agreement signed"),
                ("dormant", self.day(-900), "No exchanges for three years"),
            ],
            "suspended": [
                ("active", start, "Agreement signed"),
                ("suspended", "2022-03-02", "Suspended by council resolution"),
            ],
            "lapsed": [
                ("active", start, "Agreement signed"),
                ("dormant", "2016-01-10", "Committee inactive"),
                ("lapsed", "2020-06-30", "Agreement expired without renewal"),
            ],
            "ended": [
                ("active", start, "Research MOU signed"),
                ("ended", "2019-03-31", "Program completed"),
            ],
        }
        if status == "proposed":
            steps = []
        steps += paths[status]
        for step_status, on, reason in steps:
            self.add(
                "status_change",
                partnership_id=pid,
                status=step_status,
                changed_on=on,
                reason=reason,
            )

    def _agreement_status(self, partner: dict[str, Any], expiry: dt.date | None) -> str:
        # A lapsed or ended partnership's agreement is not still in force.
        if partner["status"] == "lapsed" or (expiry is not None and expiry <= self.today):
            return "expired"
        if partner["status"] == "ended":
            return "terminated"
        return "in_force"

    def _agreements(self) -> None:
        for n, partner in enumerate(self.partners):
            if partner["kind"] == "sister_city" and partner["year"]:
                self._agreement(
                    partner,
                    "sister_city_agreement",
                    f"Sister City Agreement between Port Meridian and {partner['name']}",
                    partner["year"],
                    None,
                )
            if partner["kind"] == "sector_partnership" or (n % 5 == 0 and partner["year"]):
                # Laid out so a few decision deadlines fall in the coming weeks.
                expiry = self.today + dt.timedelta(days=120 + (n * 37) % 400 - (n % 3) * 90)
                self._agreement(
                    partner,
                    "mou",
                    f"MOU on {area_words([self.pick(partner['areas'])])} "
                    f"cooperation with {partner['name']}",
                    None,
                    expiry,
                )

    def _agreement(
        self,
        partner: dict[str, Any],
        kind: str,
        title: str,
        year: int | None,
        expiry: dt.date | None,
    ) -> None:
        if expiry is not None:
            term = 36
            effective = add_months(expiry, -term)
            signed = effective - dt.timedelta(days=14)
        else:
            term = None
            founded = partner.get("established")
            signed = dt.date.fromisoformat(founded) if founded else dt.date(year or 2000, 6, 12)
            effective = signed
        pool = self.people["cultures"][partner["culture"]]
        aid = self.add(
            "agreement",
            title=title,
            kind=kind,
            status=self._agreement_status(partner, expiry),
            partnership_id=partner["partnership"],
            parties=f"City of Port Meridian, Oregon, USA; {partner['name']}",
            country=partner["country"],
            signed_date=signed.isoformat(),
            effective_date=effective.isoformat(),
            term_months=term,
            expiry_date=expiry.isoformat() if expiry else None,
            auto_renew=int(expiry is not None and self.rng.random() < 0.4),
            renewal_term_months=12 if expiry else None,
            notice_days=90 if expiry else None,
            buffer_days=30,
            approving_body="Port Meridian City Council",
            approval_date=(signed - dt.timedelta(days=21)).isoformat(),
            approval_reference=f"Resolution {signed.year}-{self.rng.randrange(10, 99):03d}",
            languages=json.dumps(list(dict.fromkeys(["en", *pool["languages"]]))),
            priority_areas=areas(partner["areas"]),
            body_text=(
                "The Parties agree to promote exchanges in "
                + area_words(partner["areas"])
                + ", to meet at least once a year, and to review this memorandum "
                "before its expiry."
            ),
        )
        # Each side signs by whoever held the office that day.
        self.add(
            "signatory",
            agreement_id=aid,
            side="ours",
            office_id=self.our_mayor_office,
            contact_id=_holder(self.our_terms, signed.isoformat()) or self.our_terms[-1][2],
            signed_on=signed.isoformat(),
        )
        self.add(
            "signatory",
            agreement_id=aid,
            side="theirs",
            office_id=partner["office"],
            contact_id=self._their_holder(partner, signed),
            signed_on=signed.isoformat(),
        )
        if expiry is not None:
            self.add(
                "follow_up",
                title=f"Decide on renewal of {title}",
                due_date=(expiry - dt.timedelta(days=120)).isoformat(),
                agreement_id=aid,
                contact_id=self.our_director,
            )
        if len(self.rows["agreements"]) <= 3:
            data = (
                f"{title}\n\nSigned {signed.isoformat()} by the Mayor of Port Meridian "
                f"and the {head_of(partner)}.\n"
            ).encode()
            digest = hashlib.sha256(data).hexdigest()
            self.blobs[digest] = data
            self.add(
                "attachment",
                filename=f"Executed copy {aid}.txt",
                media_type="text/plain",
                size=len(data),
                sha256=digest,
                agreement_id=aid,
                description="Scanned executed copy",
            )

    def _their_holder(self, partner: dict[str, Any], day: dt.date) -> int:
        return _holder(partner["terms"], day.isoformat()) or partner["former_mayor"]

    def _networks(self) -> None:
        for net in self.place["networks"]:
            # Its seat's country: a U.S. association is not an international network.
            org = self.add(
                "organisation", name=net["name"], kind="network", country=net.get("country")
            )
            pid = None
            if net["partnership"]:
                pid = self.add(
                    "partnership",
                    partner_name=net["name"],
                    partner_level="network",
                    kind="network_membership",
                    status="active",
                    established_date=str(net["year"]),  # the year joined is what the minutes give
                    priority_areas=areas(net["areas"]),
                    partner_organisation_id=org,
                    lead_department="Sustainability Office",
                )
                self.add(
                    "status_change",
                    partnership_id=pid,
                    status="active",
                    changed_on=str(net["year"]),
                    reason="Council approved joining",
                )
            self.add(
                "network",
                network_name=net["name"],
                organisation_id=org,
                partnership_id=pid,
                status=net["status"],
                joined_date=str(net["year"]),
                left_date=self.day(-400) if net["status"] != "active" else None,
                membership_level="Member",
                fee_minor=self.rng.choice([0, 250000, 500000]),
                fee_currency="USD",
                priority_areas=areas(net["areas"]),
            )


def _holder(terms: list[tuple[str, str, int]], day: str) -> int | None:
    return next((who for start, end, who in terms if start <= day <= end), None)
