"""What the survey counts, read from the records: the city's capacity, its network
memberships, its signed agreements and its significant meetings, each coded by partner
country, method and priority areas; and what is missing before the survey can be sent."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain import vocab as v
from desk.core.domain.dates import first_day_sql, last_day_sql
from desk.core.reference import countries, places
from desk.core.store.db import Database
from desk.core.store.queries import fetch

SIGNED = ("signed", "in_force", "expired", "terminated")


def _areas(*raw: str | None) -> list[str]:
    """The first non-empty list of priority-area codes."""
    for text in raw:
        codes = json.loads(text or "[]")
        if codes:
            return codes
    return []


@dataclass
class Problem:
    """Something the survey needs that a record lacks, and where to fix it."""

    kind: str
    record_id: int
    title: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.title}: {self.message}"


# Partnerships the survey counts whatever their founding year: the relationships in force.
COUNTED_STATUSES = ("active", "friendship")
_METHOD_OF_KIND = {
    "sister_city": "sister_city",
    "friendship_city": "sister_city",
    "sector_partnership": "sector_partnership",
    "network_membership": "city_network",
}


@dataclass
class SurveyData:
    since: int
    city: dict[str, Any]
    # The detail sheets' rows (networks, agreements, meetings), each with its engagement.
    engagements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # One row per unique engagement: a foreign partner place (or a network) and the
    # city's relationship with it, however many agreements and meetings it holds.
    unique: list[dict[str, Any]] = field(default_factory=list)
    partnerships: list[dict[str, Any]] = field(default_factory=list)

    def located(self) -> list[dict[str, Any]]:
        """The unique engagements with the partner city's latitude and longitude, for the
        workbook alone: placing them loads the gazetteer, which counts need not wait for."""
        rows = []
        for e in self.unique:
            city = e["partner_level"] == "city"
            place = places.locate(e["partner"], e["country"]) if city else None
            rows.append(
                e
                | {
                    "latitude": place.latitude if place else None,
                    "longitude": place.longitude if place else None,
                }
            )
        return rows

    def all(self) -> list[dict[str, Any]]:
        return [e for rows in self.engagements.values() for e in rows]

    def summary(self) -> dict[str, Any]:
        """What the national findings count, over unique engagements, by code: shares by
        method, by priority area (several per engagement) and by partner country
        (networks are a method, never a country)."""
        by_method: Counter[str] = Counter()
        by_area: Counter[str] = Counter()
        by_country: Counter[str] = Counter()
        for e in self.unique:
            by_method[e["method"]] += 1
            by_area.update(e["priority_areas"])
            if e.get("country"):
                by_country[e["country"]] += 1
        return {
            "engagements": len(self.unique),
            "by_method": dict(sorted(by_method.items(), key=lambda i: (-i[1], i[0]))),
            "by_area": dict(sorted(by_area.items(), key=lambda i: (-i[1], i[0]))),
            "by_country": dict(sorted(by_country.items(), key=lambda i: (-i[1], i[0]))),
            "staff_international": self.city.get("staff_international"),
            "has_director": bool(self.city.get("has_director")),
        }


def _agreement_method(agreement: dict[str, Any]) -> str:
    """The agreement's own kind decides; a generic one takes its partnership's kind."""
    if agreement["kind"] in ("sister_city_agreement", "friendship_agreement"):
        return "sister_city"
    if agreement["kind"] in ("mou", "letter_of_intent", "cooperation_agreement"):
        return "sector_partnership"
    return _METHOD_OF_KIND.get(agreement.get("partnership_kind") or "", "other")


def _place_key(country: str | None, name: str | None) -> tuple[str, str]:
    return (country or "", " ".join((name or "").casefold().split()))


def _network_key(name: str) -> tuple[str, str]:
    return ("network", _place_key(None, name)[1])


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


class _Engagements:
    """Gathers records into unique engagements: by partnership, else by partner place."""

    def __init__(self, db: Database) -> None:
        self.partnerships = {p["id"]: p for p in fetch(db, "SELECT * FROM partnerships")}
        self.by_key: dict[tuple[str, Any], dict[str, Any]] = {}

    def of_partnership(self, partnership_id: int) -> dict[str, Any]:
        key = ("partnership", partnership_id)
        found = self.by_key.get(key)
        if found is None:
            p = self.partnerships[partnership_id]
            found = self.by_key[key] = self._new(
                p["uid"],
                partner=p["partner_name"],
                partner_native=p.get("partner_name_native"),
                partner_level=p.get("partner_level") or "city",
                country=p.get("country"),
                method=_METHOD_OF_KIND.get(p["kind"], "other"),
                status=v.PARTNERSHIP_STATUSES[p["status"]],
                since=_year(p.get("established_date")),
                areas=_areas(p.get("priority_areas")),
            )
            if p["kind"] == "network_membership":
                # The membership record and its partnership are one engagement.
                found["partner_level"], found["country"] = "network", None
                self.by_key.setdefault(("place", _network_key(p["partner_name"])), found)
        return found

    def of_place(self, key: tuple[str, str], uid: str, **values: Any) -> dict[str, Any]:
        found = self.by_key.get(("place", key))
        if found is None:
            found = self.by_key[("place", key)] = self._new(uid, **values)
        return found

    @staticmethod
    def _new(uid: str, *, areas: list[str], **values: Any) -> dict[str, Any]:
        return {
            "id": uid,
            "agreements": 0,
            "meetings": 0,
            "priority_areas": list(areas),
            **values,
        }


def collect(db: Database, since: int, today: dt.date | None = None) -> SurveyData:
    today = today or dt.date.today()
    start, now = f"{since:04d}-01-01", today.isoformat()
    city_rows = fetch(db, "SELECT * FROM city_profile LIMIT 1")
    data = SurveyData(since=since, city=city_rows[0] if city_rows else {})
    gather = _Engagements(db)
    for p in gather.partnerships.values():
        # In force on `today`: counted as of a year's end, one founded later is not yet.
        founded = p.get("established_date")
        if p["status"] in COUNTED_STATUSES and (not founded or founded <= now):
            gather.of_partnership(p["id"])

    agreements = []
    for a in fetch(
        db,
        "SELECT a.*, p.partner_name, p.partner_name_native, p.partner_level, "
        "p.kind AS partnership_kind, "
        "p.country AS partnership_country, p.priority_areas AS partnership_areas "
        "FROM agreements a LEFT JOIN partnerships p ON p.id = a.partnership_id "
        f"WHERE a.status IN {SIGNED} AND (a.signed_date IS NULL OR "
        f"({first_day_sql('a.signed_date')} >= ? AND a.signed_date <= ?)) "
        "ORDER BY a.signed_date, a.id",
        (start, now),
    ):
        row = {
            "kind": "agreement",
            "record_id": a["id"],
            "title": a["title"],
            "partner": a.get("partner_name") or a.get("parties") or "",
            "partner_native": a.get("partner_name_native"),
            "partner_level": a.get("partner_level") or "city",
            "country": a.get("country") or a.get("partnership_country"),
            "method": _agreement_method(a),
            "signed_date": a.get("signed_date"),
            "expiry_date": a.get("expiry_date"),
            "status": v.AGREEMENT_STATUSES[a["status"]],
            "approving_body": a.get("approving_body"),
            "priority_areas": _areas(a.get("priority_areas"), a.get("partnership_areas")),
        }
        if a.get("partnership_id"):
            engagement = gather.of_partnership(a["partnership_id"])
        else:
            engagement = gather.of_place(
                _place_key(row["country"], row["partner"]),
                a["uid"],
                partner=row["partner"],
                partner_native=None,
                partner_level="city",
                country=row["country"],
                method=row["method"],
                status=row["status"],
                since=_year(row["signed_date"]),
                areas=row["priority_areas"],
            )
        _add(engagement, row, "agreements", row["signed_date"])
        agreements.append(row)

    meetings = []
    for m in fetch(
        db,
        "SELECT v.*, p.partner_name_native AS city_native FROM visits v "
        "LEFT JOIN partnerships p ON p.id = v.partnership_id "
        "WHERE v.significant = 1 AND v.status = 'completed' AND "
        "(v.start_date IS NULL OR (v.start_date >= ? AND v.start_date <= ?)) "
        "ORDER BY v.start_date, v.id",
        (start, now),
    ):
        method = "mission_sent" if m["direction"] == "outgoing" else "delegation_welcomed"
        row = {
            "kind": "visit",
            "record_id": m["id"],
            "title": m["title"],
            "method": method,
            "country": m.get("country"),
            "city": m.get("city"),
            "city_native": m.get("city_native"),
            "start_date": m.get("start_date"),
            "end_date": m.get("end_date"),
            "mode": v.VISIT_MODES[m["mode"]],
            "principal": m.get("principal"),
            "purpose": m.get("purpose"),
            "priority_areas": _areas(m.get("priority_areas")),
        }
        if m.get("partnership_id"):
            engagement = gather.of_partnership(m["partnership_id"])
        else:
            # Where no city was recorded, the relationship is with the country.
            partner = row["city"] or countries.country_name(row["country"]) or row["title"]
            engagement = gather.of_place(
                _place_key(row["country"], partner),
                m["uid"],
                partner=partner,
                partner_native=None,
                partner_level="city" if row["city"] else "country",
                country=row["country"],
                method=method,
                status="Meeting",
                since=_year(row["start_date"]),
                areas=row["priority_areas"],
            )
        _add(engagement, row, "meetings", row["start_date"])
        meetings.append(row)

    networks = []
    for n in fetch(
        db,
        "SELECT * FROM network_memberships WHERE status = 'active' AND "
        f"(left_date IS NULL OR {last_day_sql('left_date')} > ?) "
        "ORDER BY network_name COLLATE NOCASE, id",
        (now,),
    ):
        row = {
            "kind": "network",
            "record_id": n["id"],
            "title": n["network_name"],
            "name": n["network_name"],
            "status": v.NETWORK_STATUSES[n["status"]],
            "joined_date": n.get("joined_date"),
            "left_date": n.get("left_date"),
            "level": n.get("membership_level"),
            "method": "city_network",
            "country": None,
            "priority_areas": _areas(n.get("priority_areas")),
        }
        if n.get("partnership_id") in gather.partnerships:
            gather.by_key.setdefault(
                ("place", _network_key(n["network_name"])),
                gather.of_partnership(n["partnership_id"]),
            )
        engagement = gather.of_place(
            _network_key(n["network_name"]),
            n["uid"],
            partner=n["network_name"],
            partner_native=None,
            partner_level="network",
            country=None,
            method="city_network",
            status=row["status"],
            since=_year(n.get("joined_date")),
            areas=row["priority_areas"],
        )
        row["engagement_id"] = engagement["id"]
        networks.append(row)

    data.engagements = {"networks": networks, "agreements": agreements, "meetings": meetings}
    distinct = {id(e): e for e in gather.by_key.values()}
    data.unique = sorted(
        distinct.values(),
        key=lambda e: (e["method"] != "sister_city", (e["partner"] or "").casefold()),
    )
    for e in data.unique:
        e["reporting_city"] = data.city.get("name")
        e["reporting_state"] = data.city.get("state")
    data.partnerships = [
        p for p in gather.partnerships.values() if ("partnership", p["id"]) in gather.by_key
    ]
    return data


def _add(engagement: dict[str, Any], row: dict[str, Any], count: str, date: str | None) -> None:
    row["engagement_id"] = engagement["id"]
    engagement[count] += 1
    for code in row["priority_areas"]:
        if code not in engagement["priority_areas"]:
            engagement["priority_areas"].append(code)
    year = _year(date)
    if year and (engagement.get("since") is None or year < engagement["since"]):
        engagement["since"] = year


def preflight(data: SurveyData) -> list[Problem]:
    """Every gap between the records and what the survey needs, with the record to fix."""
    problems: list[Problem] = []
    city = data.city
    if not city:
        return [
            Problem(
                "city", 0, "Our city", "name", "There is no city profile: set up the city first."
            )
        ]
    for name, message in (
        ("state", "the state is missing"),
        ("respondent_name", "the survey respondent's name is missing"),
        ("respondent_email", "the respondent's email is missing"),
        ("staff_international", "the number of staff with international duties is missing"),
    ):
        if city.get(name) in (None, ""):
            problems.append(Problem("city", city["id"], "Our city", name, message))
    for partnership in data.partnerships:
        title = partnership["partner_name"]
        if not partnership.get("country") and partnership["kind"] != "network_membership":
            problems.append(
                Problem("partnership", partnership["id"], title, "country", "no partner country")
            )
        if not _areas(partnership.get("priority_areas")):
            problems.append(
                Problem(
                    "partnership", partnership["id"], title, "priority_areas", "no priority area"
                )
            )
    for e in data.engagements.get("agreements", []):
        if not e["partner"]:
            problems.append(
                Problem(
                    "agreement",
                    e["record_id"],
                    e["title"],
                    "parties",
                    "no partner: link a partnership or name the parties",
                )
            )
        if not e["country"]:
            problems.append(
                Problem("agreement", e["record_id"], e["title"], "country", "no partner country")
            )
        if not e["signed_date"]:
            problems.append(
                Problem(
                    "agreement",
                    e["record_id"],
                    e["title"],
                    "signed_date",
                    "signed, but no date of signature",
                )
            )
        if not e["priority_areas"]:
            problems.append(
                Problem(
                    "agreement", e["record_id"], e["title"], "priority_areas", "no priority area"
                )
            )
    for e in data.engagements.get("meetings", []):
        if not e["country"]:
            problems.append(
                Problem("visit", e["record_id"], e["title"], "country", "no partner country")
            )
        if not e["start_date"]:
            problems.append(Problem("visit", e["record_id"], e["title"], "start_date", "no dates"))
        if not e["priority_areas"]:
            problems.append(
                Problem("visit", e["record_id"], e["title"], "priority_areas", "no priority area")
            )
    for e in data.engagements.get("networks", []):
        if not e["priority_areas"]:
            problems.append(
                Problem("network", e["record_id"], e["title"], "priority_areas", "no priority area")
            )
    return problems
