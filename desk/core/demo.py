"""The demo city: a deterministic, realistic Port Meridian, Oregon, at any size.

The records are written in bulk (one transaction, no per-row history: a demo is a
starting point, not something the desk did), from the pools in resources/demo. Dates are
laid out around `today`, so the same `today` and scale always give the same database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from desk.core import search
from desk.core.db import Database
from desk.core.errors import DeskError
from desk.core.kinds import KINDS
from desk.core.records import add_months
from desk.core.vocab import PRIORITY_AREAS
from desk.paths import resource_path

BASE_CONTACTS = 250
Progress = Callable[[int, int, str], None]

_HOME_TZ = "America/Los_Angeles"
_TALKING_POINTS = [
    "Thank them for the warm welcome and for {years} years of partnership.",
    "Propose a youth exchange for next summer, hosted by our high schools.",
    "Follow up on the port-to-port logistics pilot discussed last spring.",
    "Invite their delegation to our climate week in September.",
    "Raise the direct-flight feasibility study and ask who leads on their side.",
    "Acknowledge their recent election and new council priorities.",
]
_ASKS = [
    "Support for a trade office in our downtown innovation district.",
    "Letters of support for their university's research grant.",
    "A reciprocal visit by our mayor before the end of the fiscal year.",
    "Help placing interns with local employers.",
]
_SENSITIVITIES = [
    "Avoid scheduling on their national holiday; confirm seating order with protocol.",
    "Gifts must stay under the city's $100 limit; no alcohol.",
    "Recent press coverage of the delayed sister-park project; stay positive.",
    "Their mayor prefers to speak through the interpreter in formal sessions.",
]
_GIFTS_GIVEN = [
    "Framed print of the Port Meridian waterfront",
    "Hand-turned myrtlewood bowl",
    "City key in presentation box",
    "Book of Oregon photography",
    "Local coffee and chocolate basket",
]
_GIFTS_RECEIVED = [
    "Lacquerware tray",
    "Silk scarf",
    "Porcelain vase",
    "Embroidered table runner",
    "Commemorative medal",
    "Framed calligraphy",
    "Ceramic tea set",
]
_JOBS_CITY = [
    "International Relations Officer",
    "Deputy Director, Economic Development",
    "Protocol Officer",
    "Council Member",
    "Chief of Staff",
    "Tourism Promotion Manager",
]
_JOBS_OTHER = [
    "President",
    "Vice President, International",
    "Professor",
    "Programme Manager",
    "Consul",
    "Trade Commissioner",
    "Executive Director",
    "Board Member",
]
_DRESS = ["business", "business", "business_casual", "formal", "casual"]


def _areas(codes: list[str]) -> str:
    """Priority areas stored as desk stores them: in the vocabulary's order."""
    return json.dumps([code for code in PRIORITY_AREAS if code in codes])


@dataclass
class DemoSummary:
    counts: dict[str, int] = field(default_factory=dict)


class _Builder:
    def __init__(self, db: Database, scale: int, today: dt.date) -> None:
        self.db = db
        self.today = today
        self.rng = random.Random(20260101 + scale)
        self.scale = scale
        self.factor = max(1.0, scale / BASE_CONTACTS)
        self.stamp = f"{today.isoformat()}T09:00:00+00:00"
        self.rows: dict[str, list[dict[str, Any]]] = {k.table: [] for k in KINDS.values()}
        self.people = json.loads(resource_path("demo", "people.json").read_text("utf-8"))
        self.place = json.loads(resource_path("demo", "city.json").read_text("utf-8"))
        self.org_by_culture: dict[str, list[int]] = {}
        self.contacts_by_culture: dict[str, list[int]] = {}
        self.partners: list[dict[str, Any]] = []
        self.blobs: dict[str, bytes] = {}

    # -- helpers ---------------------------------------------------------------------
    def add(self, record_kind: str, /, **values: Any) -> int:
        table = KINDS[record_kind].table
        rows = self.rows[table]
        record_id = len(rows) + 1
        rows.append(
            {
                "id": record_id,
                "uid": str(uuid.UUID(int=self.rng.getrandbits(128), version=4)),
                "created_at": self.stamp,
                "updated_at": self.stamp,
                **values,
            }
        )
        return record_id

    def day(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()

    def pick(self, items: list[Any]) -> Any:
        return items[self.rng.randrange(len(items))]

    def person(self, culture: str) -> dict[str, Any]:
        pool = self.people["cultures"][culture]
        family = self.pick(pool["family"])
        given_native, given_roman, gender = self.pick(pool["given"])
        family_native = family[2] if gender == "f" and len(family) > 2 else family[0]
        family_roman = (
            family[3]
            if gender == "f" and len(family) > 3
            else (family[1] if len(family) > 1 and family[1] else family[0])
        )
        courtesy = "Mr." if gender == "m" else "Ms."
        if len(family) == 1:  # Latin-script names: the romanised form is the name itself
            return {
                "given_name": given_native,
                "family_name": family_native,
                "name_native": None,
                "name_order": pool["order"],
                "honorific": courtesy,
            }
        joiner = pool["join"]
        native = (
            family_native + joiner + given_native
            if pool["order"] == "family_first"
            else given_native + joiner + family_native
        )
        return {
            "honorific": courtesy,
            "given_name": given_roman or given_native,
            "family_name": family_roman,
            "name_native": native,
            "name_order": pool["order"],
        }

    # -- the records -------------------------------------------------------------------
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
        self.committee = self.add(
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
        self._interactions()

    def _partners(self) -> None:
        base = self.place["partners"]
        wanted = round(len(base) * self.factor)
        for n in range(wanted):
            partner = dict(base[n % len(base)])
            if n >= len(base):
                partner["name"] = f"{partner['name']} District {n // len(base)}"
                partner["native"] = (
                    f"{partner['native']} {n // len(base)}" if partner["native"] else ""
                )
            culture = partner["culture"]
            partner["org"] = self.add(
                "organisation",
                name=f"City of {partner['name']}"
                if partner.get("level", "city") == "city"
                else partner["name"],
                name_native=partner["native"] or None,
                kind="city_government" if partner.get("level", "city") == "city" else "other",
                country=partner["country"],
                city=partner["name"],
            )
            self.org_by_culture.setdefault(culture, []).append(partner["org"])
            if n < len(base) or self.rng.random() < 0.5:
                self.org_by_culture[culture].append(
                    self.add(
                        "organisation",
                        name=f"{partner['name']} Chamber of Commerce",
                        kind="chamber",
                        country=partner["country"],
                        city=partner["name"],
                    )
                )
            self.partners.append(partner)
        for culture, country in (
            ("ja", "Japan"),
            ("zh", "China"),
            ("ko", "Korea"),
            ("es", "Mexico"),
            ("de", "Germany"),
        ):
            self.org_by_culture[culture].append(
                self.add(
                    "organisation",
                    name=f"Consulate General of {country} in Port Meridian",
                    kind="consulate",
                    country={
                        "Japan": "JP",
                        "China": "CN",
                        "Korea": "KR",
                        "Mexico": "MX",
                        "Germany": "DE",
                    }[country],
                    city="Port Meridian",
                )
            )

    def _contact(self, culture: str, org: int | None, job: str, **extra: Any) -> int:
        pool = self.people["cultures"][culture]
        name = self.person(culture)
        languages = list(pool["languages"]) + (["en"] if self.rng.random() < 0.6 else [])
        country = extra.pop("country", None) or self.pick(pool["country"])
        tz = extra.pop("time_zone", None)
        n = len(self.rows["contacts"]) + 1
        folded = unicodedata.normalize("NFKD", (name["family_name"] or "").lower())
        handle = "".join(ch for ch in folded if ch.isascii() and ch.isalnum())
        values = {
            **name,
            "honorific": extra.pop("honorific", None)
            or ("Dr." if self.rng.random() < 0.15 else name.pop("honorific")),
            "job_title": job,
            "organisation_id": org,
            "country": country,
            "languages": json.dumps(list(dict.fromkeys(languages))),
            "dietary": self.pick(self.people["dietary"]) or None,
            "time_zone": tz,
            "email": f"{handle or 'contact'}.{n}@example.org",
            "phone": f"+{self.rng.randrange(10, 99)} {self.rng.randrange(100, 999)} "
            f"{self.rng.randrange(1000, 9999)}",
            **extra,
        }
        values["sort_name"] = " ".join(
            p for p in (values["family_name"], values["given_name"]) if p
        ).casefold()
        contact_id = self.add("contact", **values)
        self.contacts_by_culture.setdefault(culture, []).append(contact_id)
        return contact_id

    def _our_people(self) -> None:
        self.our_mayor = self._contact(
            "en",
            self.our_city_org,
            "Mayor",
            given_name="Grace",
            family_name="Okafor",
            honorific="Mayor",
            written_address="The Honorable Grace Okafor, Mayor of Port Meridian",
            spoken_address="Mayor Okafor",
            country="US",
            time_zone=_HOME_TZ,
        )
        self.our_director = self._contact(
            "en",
            self.our_city_org,
            "Director of International Affairs",
            given_name="Dana",
            family_name="Carter",
            honorific="Ms.",
            country="US",
            time_zone=_HOME_TZ,
        )
        self.our_staff = [
            self._contact("en", self.our_city_org, job, country="US", time_zone=_HOME_TZ)
            for job in ("Protocol Officer", "Economic Development Manager", "Council Member")
        ]

    def _contacts(self) -> None:
        for partner in self.partners:
            culture = partner["culture"]
            mayor_title = "Governor" if partner.get("level") == "region" else "Mayor"
            partner["mayor"] = self._contact(
                culture,
                partner["org"],
                mayor_title,
                honorific=mayor_title,
                country=partner["country"],
                time_zone=partner["tz"],
            )
            mayor = self.rows["contacts"][partner["mayor"] - 1]
            mayor["written_address"] = (
                f"The Honorable {mayor['given_name']} "
                f"{mayor['family_name']}, {mayor_title} of "
                f"{partner['name']}"
            )
            mayor["spoken_address"] = f"{mayor_title} {mayor['family_name']}"
            partner["former_mayor"] = self._contact(
                culture,
                partner["org"],
                f"Former {mayor_title}",
                country=partner["country"],
                time_zone=partner["tz"],
            )
            partner["director"] = self._contact(
                culture,
                partner["org"],
                "Director of International Relations",
                country=partner["country"],
                time_zone=partner["tz"],
            )
        cultures = [p["culture"] for p in self.partners]
        while len(self.rows["contacts"]) < self.scale:
            culture = self.pick(cultures)
            org = self.pick(self.org_by_culture[culture]) if self.rng.random() < 0.85 else None
            org_kind = self.rows["organisations"][org - 1]["kind"] if org else "other"
            job = self.pick(_JOBS_CITY if org_kind == "city_government" else _JOBS_OTHER)
            self._contact(culture, org, job)

    def _offices(self) -> None:
        self.our_mayor_office = self.add(
            "office",
            title="Mayor of Port Meridian",
            organisation_id=self.our_city_org,
            country="US",
            side="ours",
        )
        self.add(
            "office_term",
            office_id=self.our_mayor_office,
            contact_id=self.our_mayor,
            start_date=f"{self.today.year - 3}-01-01",
        )
        director_office = self.add(
            "office",
            title="Director of International Affairs",
            organisation_id=self.our_city_org,
            country="US",
            side="ours",
        )
        self.add(
            "office_term",
            office_id=director_office,
            contact_id=self.our_director,
            start_date=f"{self.today.year - 6}-07-01",
        )
        for partner in self.partners:
            title = ("Governor of " if partner.get("level") == "region" else "Mayor of ") + (
                partner["name"]
            )
            partner["office"] = self.add(
                "office",
                title=title,
                organisation_id=partner["org"],
                country=partner["country"],
                side="theirs",
            )
            election = self.today.year - self.rng.randrange(1, 4)
            self.add(
                "office_term",
                office_id=partner["office"],
                contact_id=partner["former_mayor"],
                start_date=f"{election - 4}-05-01",
                end_date=f"{election}-04-30",
            )
            self.add(
                "office_term",
                office_id=partner["office"],
                contact_id=partner["mayor"],
                start_date=f"{election}-05-01",
            )

    def _partnerships(self) -> None:
        for n, partner in enumerate(self.partners):
            year = partner["year"]
            month, day = self.rng.randrange(1, 13), self.rng.randrange(1, 28)
            established = f"{year}-{month:02d}-{day:02d}" if year else None
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
                priority_areas=_areas(partner["areas"]),
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
                    f"Partnership {n + 1}. Anniversary receptions alternate between the two cities."
                    if n < len(self.place["partners"])
                    else None
                ),
            )
            self._history(pid, partner["status"], established, year)
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
                ("ended", "2019-03-31", "Programme completed"),
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

    def _agreements(self) -> None:
        base_count = 0
        for n, partner in enumerate(self.partners):
            if partner["kind"] == "sister_city" and partner["year"]:
                self._agreement(
                    partner,
                    "sister_city_agreement",
                    f"Sister City Agreement between Port Meridian and {partner['name']}",
                    partner["year"],
                    None,
                )
                base_count += 1
            if partner["kind"] == "sector_partnership" or (n % 5 == 0 and partner["year"]):
                # Laid out so a few decision deadlines fall in the coming weeks.
                expiry = self.today + dt.timedelta(days=120 + (n * 37) % 400 - (n % 3) * 90)
                self._agreement(
                    partner,
                    "mou",
                    f"MOU on {self.pick(partner['areas']).replace('_', ' ')} "
                    f"cooperation with {partner['name']}",
                    None,
                    expiry,
                )
                base_count += 1

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
            signed = dt.date(year or 2000, 6, 12)
            effective = signed
        pool = self.people["cultures"][partner["culture"]]
        aid = self.add(
            "agreement",
            title=title,
            kind=kind,
            status="in_force" if (expiry is None or expiry > self.today) else "expired",
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
            priority_areas=_areas(partner["areas"]),
            body_text=(
                "The Parties agree to promote exchanges in "
                + ", ".join(a.replace("_", " ") for a in partner["areas"])
                + ", to meet at least once a year, and to review this memorandum "
                "before its expiry."
            ),
        )
        self.add(
            "signatory",
            agreement_id=aid,
            side="ours",
            office_id=self.our_mayor_office,
            contact_id=self.our_mayor,
            signed_on=signed.isoformat(),
        )
        self.add(
            "signatory",
            agreement_id=aid,
            side="theirs",
            office_id=partner["office"],
            contact_id=partner["former_mayor"],
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
                f"and the Mayor of {partner['name']}.\n"
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

    def _networks(self) -> None:
        for net in self.place["networks"]:
            org = self.add("organisation", name=net["name"], kind="network")
            pid = None
            if net["partnership"]:
                pid = self.add(
                    "partnership",
                    partner_name=net["name"],
                    partner_level="network",
                    kind="network_membership",
                    status="active",
                    established_date=f"{net['year']}-03-01",
                    priority_areas=_areas(net["areas"]),
                    partner_organisation_id=org,
                    lead_department="Sustainability Office",
                )
                self.add(
                    "status_change",
                    partnership_id=pid,
                    status="active",
                    changed_on=f"{net['year']}-03-01",
                    reason="Council approved joining",
                )
            self.add(
                "network",
                network_name=net["name"],
                organisation_id=org,
                partnership_id=pid,
                status=net["status"],
                joined_date=f"{net['year']}-03-01",
                left_date=self.day(-400) if net["status"] != "active" else None,
                membership_level="Member",
                fee_minor=self.rng.choice([0, 250000, 500000]),
                fee_currency="USD",
                priority_areas=_areas(net["areas"]),
            )

    def _visits(self) -> None:
        wanted = round(30 * self.factor)
        for n in range(wanted):
            partner = self.partners[(n * 7) % len(self.partners)]
            outgoing = n % 2 == 0
            offset = -700 + (n * 53) % 900 if n % 4 else 10 + (n * 11) % 120
            start = self.today + dt.timedelta(days=offset)
            days = 2 + n % 4
            end = start + dt.timedelta(days=days - 1)
            past = end < self.today
            status = "completed" if past else self.pick(["planned", "confirmed", "accepted"])
            if n % 9 == 4 and not past:
                status = "requested"
            if n % 13 == 6:
                status = "cancelled" if past else "declined"
            tz = partner["tz"] if outgoing else _HOME_TZ
            title = (
                f"Mission to {partner['name']}"
                if outgoing
                else f"Delegation from {partner['name']}"
            )
            vid = self.add(
                "visit",
                title=title,
                direction="outgoing" if outgoing else "incoming",
                mode="virtual" if n % 10 == 9 else "in_person",
                status=status,
                partnership_id=partner["partnership"],
                country=partner["country"],
                city=partner["name"],
                time_zone=tz,
                start_date=start.isoformat(),
                end_date=end.isoformat(),
                principal="Mayor Grace Okafor" if outgoing else f"Mayor of {partner['name']}",
                requested_by=None if outgoing else f"Office of the Mayor of {partner['name']}",
                requester_contact_id=None if outgoing else partner["director"],
                request_date=(start - dt.timedelta(days=75)).isoformat(),
                request_purpose="Renew ties and explore cooperation in "
                + ", ".join(a.replace("_", " ") for a in partner["areas"])
                + ".",
                decision="declined"
                if status == "declined"
                else ("pending" if status == "requested" else "accepted"),
                decision_date=None
                if status == "requested"
                else (start - dt.timedelta(days=60)).isoformat(),
                purpose=f"Advance the {partner['name']} partnership's work plan.",
                objectives="1. Agree next year's exchange programme.\n2. Meet new city "
                "leadership.\n3. Open doors for two local companies.",
                priority_areas=_areas(partner["areas"]),
                significant=int(n % 6 != 5),
                press_line=f"Port Meridian and {partner['name']} deepen a partnership that "
                "brings jobs, students and ideas to both cities.",
                outcomes=(
                    "Agreed a youth exchange and a joint climate webinar series." if past else None
                ),
                trip_report=("Delegation met all objectives; see follow-ups." if past else None),
            )
            self._itinerary(vid, partner, start, days, tz, outgoing)
            self._delegation(vid, partner, outgoing)
            self._gifts(vid, partner, start, outgoing, past)
            for k in range(1 + n % 3):
                due = end + dt.timedelta(days=14 * (k + 1))
                self.add(
                    "follow_up",
                    title=self.pick(
                        [
                            "Send thank-you letters",
                            "Share photos with partner's press office",
                            "Draft MOU on youth exchange",
                            "Introduce trade contacts",
                            "File gift disclosure report",
                        ]
                    ),
                    due_date=due.isoformat(),
                    done_on=due.isoformat() if due < self.today - dt.timedelta(days=30) else None,
                    visit_id=vid,
                    partnership_id=partner["partnership"],
                    contact_id=self.our_director,
                )

    def _itinerary(
        self, vid: int, partner: dict[str, Any], start: dt.date, days: int, tz: str, outgoing: bool
    ) -> None:
        slots = [(9, 0, "meeting"), (12, 30, "meal"), (15, 0, "site_visit"), (19, 0, "meal")]
        for d in range(days):
            for hour, minute, kind in slots[: 2 + (d % 3)]:
                begins = dt.datetime.combine(start + dt.timedelta(days=d), dt.time(hour, minute))
                is_meeting = kind == "meeting"
                self.add(
                    "itinerary_item",
                    visit_id=vid,
                    kind=kind,
                    title={
                        "meeting": f"Courtesy call on the Mayor of {partner['name']}"
                        if outgoing
                        else f"Meeting with {partner['name']} delegation",
                        "meal": "Official lunch" if hour < 15 else "Welcome dinner",
                        "site_visit": self.pick(
                            [
                                "Port terminal tour",
                                "Innovation district",
                                "Riverfront climate project",
                                "University campus",
                            ]
                        ),
                    }[kind],
                    starts_at=begins.strftime("%Y-%m-%dT%H:%M"),
                    ends_at=(begins + dt.timedelta(minutes=90)).strftime("%Y-%m-%dT%H:%M"),
                    time_zone=tz,
                    place=f"{partner['name']} City Hall" if outgoing else "Port Meridian City Hall",
                    counterpart=None,
                    counterpart_contact_id=partner["mayor"] if is_meeting else None,
                    dress_code=self.pick(_DRESS),
                    talking_points="\n".join(
                        t.format(years=self.today.year - (partner["year"] or self.today.year))
                        for t in self.rng.sample(_TALKING_POINTS, 3)
                    )
                    if is_meeting
                    else None,
                    likely_asks=self.pick(_ASKS) if is_meeting else None,
                    sensitivities=self.pick(_SENSITIVITIES) if is_meeting else None,
                )

    def _delegation(self, vid: int, partner: dict[str, Any], outgoing: bool) -> None:
        ours = (
            [(self.our_mayor, "principal"), (self.our_director, "staff")]
            if outgoing
            else [(self.our_director, "host")]
        )
        theirs = [
            (partner["mayor"], "principal" if not outgoing else "host"),
            (partner["director"], "staff"),
        ]
        extra = self.contacts_by_culture[partner["culture"]]
        for _ in range(2):
            theirs.append((self.pick(extra), "delegate"))
        for contact_id, role in ours:
            self.add("participant", visit_id=vid, contact_id=contact_id, side="ours", role=role)
        for contact_id, role in dict(theirs).items():
            self.add("participant", visit_id=vid, contact_id=contact_id, side="theirs", role=role)
        self.add(
            "participant",
            visit_id=vid,
            name="Interpreter (agency booking)",
            side="ours" if outgoing else "theirs",
            role="interpreter",
        )

    def _gifts(
        self, vid: int, partner: dict[str, Any], start: dt.date, outgoing: bool, past: bool
    ) -> None:
        self.add(
            "gift",
            visit_id=vid,
            direction="given",
            description=self.pick(_GIFTS_GIVEN),
            value_minor=self.rng.choice([4500, 8000, 9500]),
            currency="USD",
            giver="Mayor Grace Okafor",
            giver_contact_id=self.our_mayor,
            recipient_contact_id=partner["mayor"],
            exchanged_on=start.isoformat() if past else None,
            disposition="delivered" if past else "planned",
        )
        if past:
            self.add(
                "gift",
                visit_id=vid,
                direction="received",
                description=self.pick(_GIFTS_RECEIVED),
                value_minor=self.rng.choice([6000, 12000, 30000]),
                currency="USD",
                giver_contact_id=partner["mayor"],
                recipient="City of Port Meridian",
                recipient_contact_id=self.our_mayor,
                exchanged_on=start.isoformat(),
                disposition=self.pick(["retained_by_city", "on_display", "reported"]),
            )

    def _interactions(self) -> None:
        wanted = round(60 * self.factor)
        for n in range(wanted):
            partner = self.partners[(n * 5) % len(self.partners)]
            iid = self.add(
                "interaction",
                occurred_on=self.day(-((n * 17) % 1400) - 1),
                kind=self.pick(["meeting", "call", "video", "email", "event"]),
                subject=self.pick(
                    [
                        "Anniversary planning",
                        "Student exchange logistics",
                        "Trade mission follow-up",
                        "Courtesy call",
                        "Climate webinar debrief",
                    ]
                )
                + f" ({partner['name']})",
                partnership_id=partner["partnership"],
                notes="Cordial; they asked for an update on next year's programme.",
            )
            for contact_id in {
                partner["director"],
                self.our_director,
                self.pick(self.contacts_by_culture[partner["culture"]]),
            }:
                self.add("interaction_participant", interaction_id=iid, contact_id=contact_id)

    # -- writing -------------------------------------------------------------------------
    def write(self, progress: Progress | None) -> DemoSummary:
        summary = DemoSummary()
        tables = [t for t, rows in self.rows.items() if rows]
        with self.db.atomic():
            self.db.execute("PRAGMA defer_foreign_keys = ON")
            self.db.conn.executemany(
                "INSERT INTO blobs(sha256, size, content) VALUES (?, ?, ?)",
                [(sha, len(data), data) for sha, data in self.blobs.items()],
            )
            for done, table in enumerate(tables):
                rows = self.rows[table]
                if progress:
                    progress(done, len(tables) + 1, f"Writing {table}")
                columns = sorted({c for row in rows for c in row})
                self.db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({', '.join('?' * len(columns))})",
                    ([row.get(c) for c in columns] for row in rows),
                )
                summary.counts[table] = len(rows)
            if progress:
                progress(len(tables), len(tables) + 1, "Indexing for search")
            for kind_name in search.DOCUMENTS:
                table = KINDS[kind_name].table
                search.index_rows(self.db, kind_name, self.rows[table])
        if progress:
            progress(len(tables) + 1, len(tables) + 1, "Done")
        return summary


def holds_records(db: Database) -> bool:
    return any(
        db.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in ("city_profile", "contacts", "partnerships", "organisations", "visits")
    )


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
