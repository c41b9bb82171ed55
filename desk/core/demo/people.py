"""Demo organisations, people and the offices they hold."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from desk.core.demo.base import HOME_TZ, BuilderBase

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
    "Program Manager",
    "Consul",
    "Trade Commissioner",
    "Executive Director",
    "Board Member",
]


class PeopleMixin(BuilderBase):
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
            time_zone=HOME_TZ,
        )
        self.our_director = self._contact(
            "en",
            self.our_city_org,
            "Director of International Affairs",
            given_name="Dana",
            family_name="Carter",
            honorific="Ms.",
            country="US",
            time_zone=HOME_TZ,
        )
        for job in ("Protocol Officer", "Economic Development Manager", "Council Member"):
            self._contact("en", self.our_city_org, job, country="US", time_zone=HOME_TZ)

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
