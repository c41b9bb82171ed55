"""Demo organisations, people and the offices they hold."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from desk.core.demo.base import HOME_TZ, BuilderBase, head_of, head_title
from desk.core.demo.details import US_POSTS, phone

_JOBS_CITY = [
    "International Relations Officer",
    "Deputy Director, Economic Development",
    "Protocol Officer",
    "Council Member",
    "Chief of Staff",
    "Tourism Promotion Manager",
]
_CAREERS = [
    "served twelve years on the city council, chairing its finance committee",
    "led the regional government's economic development agency",
    "taught urban planning at the local university",
    "ran a family business in the port",
]
_INTERESTS = [
    "keen on youth exchange and school partnerships",
    "known for the city's climate plan and its new tram line",
    "a champion of the port's export trade",
    "proud of the city's festival and craft traditions",
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


def _city_of(partner: dict[str, Any]) -> str:
    """The city a partner is in, for the bodies of that city: a university's is the city
    its name begins with ('Kyoto University': Kyoto), a city's is itself."""
    if partner.get("level", "city") in ("city", "region"):
        return str(partner["name"])
    return str(partner["name"]).split(" ")[0]


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
            partner["orgs"] = [partner["org"]]
            if n < len(base) or self.rng.random() < 0.5:
                chamber = self.add(
                    "organisation",
                    # A university's is its city's (its own org keeps the name).
                    name=f"{_city_of(partner)} Chamber of Commerce",
                    kind="chamber",
                    country=partner["country"],
                    city=partner["name"],
                )
                self.org_by_culture[culture].append(chamber)
                partner["orgs"].append(chamber)
            self.partners.append(partner)
        self._posts_abroad()
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
                    phone=phone("US", self.rng),
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

    def _posts_abroad(self) -> None:
        """Our embassy or consulate in each partner country, filed under the United
        States, in the city where it is."""
        for country in dict.fromkeys(p["country"] for p in self.partners):
            for name, city, number in US_POSTS.get(country, []):
                self.add(
                    "organisation",
                    name=name,
                    kind="consulate",
                    country="US",
                    city=city,
                    phone=number,
                    website="usembassy.gov",
                )

    def _contact(self, culture: str, org: int | None, job: str, **extra: Any) -> int:
        pool = self.people["cultures"][culture]
        name = self.person(culture)
        languages = list(pool["languages"]) + (["en"] if self.rng.random() < 0.6 else [])
        # People of an organization live in its country, not anywhere their language is.
        org_country = self.rows["organisations"][org - 1]["country"] if org else None
        country = extra.pop("country", None) or org_country or self.pick(pool["country"])
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
            "phone": phone(country, self.rng),
            **extra,
        }
        contact_id = self.add("contact", **values)
        self.contacts_by_culture.setdefault(culture, []).append(contact_id)
        if org:
            self.people_by_org.setdefault(org, []).append(contact_id)
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
        # Earlier mayors, eight years each, so an old agreement has its own signer.
        current = self.today.year - 3
        self.our_terms = [(f"{current}-01-01", "9999-12-31", self.our_mayor)]
        for start in range(current - 8, 1959, -8):
            former = self._contact(
                "en", self.our_city_org, "Former Mayor", honorific="Mayor", country="US"
            )
            self.our_terms.append((f"{start}-01-01", f"{start + 7}-12-31", former))
        self.our_protocol = self._contact(
            "en", self.our_city_org, "Protocol Officer", country="US", time_zone=HOME_TZ
        )
        for job in ("Economic Development Manager", "Council Member"):
            self._contact("en", self.our_city_org, job, country="US", time_zone=HOME_TZ)

    def _contacts(self) -> None:
        for partner in self.partners:
            culture = partner["culture"]
            mayor_title = head_title(partner)
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
            mayor["bio"] = (
                f"Before taking office, {mayor['family_name']} {self.pick(_CAREERS)}. "
                f"Has visited the United States {self.pick(['once', 'twice', 'three times'])}; "
                f"{self.pick(_INTERESTS)}."
            )
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
            election = self.today.year - self.rng.randrange(1, 4)
            partner["terms"] = [
                (f"{election}-05-01", "9999-12-31", partner["mayor"]),
                (f"{election - 4}-05-01", f"{election}-04-30", partner["former_mayor"]),
            ]
            founded = partner["year"]
            if founded and founded < election - 4:  # who signed the founding agreement
                signer = self._contact(
                    culture,
                    partner["org"],
                    f"Former {mayor_title}",
                    honorific=mayor_title,
                    country=partner["country"],
                )
                partner["terms"].append((f"{founded - 2}-05-01", f"{founded + 2}-04-30", signer))
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
            start_date=self.our_terms[0][0],
        )
        for start, end, former in self.our_terms[1:]:
            self.add(
                "office_term",
                office_id=self.our_mayor_office,
                contact_id=former,
                start_date=start,
                end_date=end,
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
            title = head_of(partner)
            partner["office"] = self.add(
                "office",
                title=title,
                organisation_id=partner["org"],
                country=partner["country"],
                side="theirs",
            )
            for start, end, holder in partner["terms"]:
                self.add(
                    "office_term",
                    office_id=partner["office"],
                    contact_id=holder,
                    start_date=start,
                    end_date=None if end.startswith("9999") else end,
                )
            mayor = self.rows["contacts"][partner["mayor"] - 1]
            since = int(partner["terms"][0][0][:4])
            mayor["bio"] = f"In office since May {since}. {mayor['bio']}"
