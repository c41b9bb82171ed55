"""What the survey counts, read from the records: the city's capacity, its network
memberships, its signed agreements and its significant meetings, each coded by partner
country, method and priority areas; and what is missing before the survey can be sent."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from desk.core import countries
from desk.core import vocab as v
from desk.core.db import Database
from desk.core.queries import fetch

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


@dataclass
class SurveyData:
    since: int
    city: dict[str, Any]
    engagements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def all(self) -> list[dict[str, Any]]:
        return [e for rows in self.engagements.values() for e in rows]

    def counts(self) -> dict[str, Counter[str]]:
        """Engagements by method, by priority area and by partner country (labels)."""
        by_method: Counter[str] = Counter()
        by_area: Counter[str] = Counter()
        by_country: Counter[str] = Counter()
        for e in self.all():
            by_method[v.ENGAGEMENT_METHODS[e["method"]]] += 1
            for code in e["priority_areas"]:
                by_area[v.PRIORITY_AREAS[code]] += 1
            by_country[countries.country_name(e.get("country")) or "No single country"] += 1
        return {"method": by_method, "priority_area": by_area, "country": by_country}


def _agreement_method(agreement: dict[str, Any]) -> str:
    """The agreement's own kind decides; a generic one takes its partnership's kind."""
    if agreement["kind"] in ("sister_city_agreement", "friendship_agreement"):
        return "sister_city"
    if agreement["kind"] in ("mou", "letter_of_intent", "cooperation_agreement"):
        return "sector_partnership"
    return {
        "sister_city": "sister_city",
        "friendship_city": "sister_city",
        "sector_partnership": "sector_partnership",
        "network_membership": "city_network",
    }.get(agreement.get("partnership_kind") or "", "other")


def collect(db: Database, since: int, today: dt.date | None = None) -> SurveyData:
    today = today or dt.date.today()
    start = f"{since:04d}-01-01"
    city_rows = fetch(db, "SELECT * FROM city_profile LIMIT 1")
    data = SurveyData(since=since, city=city_rows[0] if city_rows else {})

    networks = []
    for n in fetch(
        db,
        "SELECT * FROM network_memberships WHERE left_date IS NULL "
        "OR left_date >= ? ORDER BY network_name COLLATE NOCASE, id",
        (start,),
    ):
        networks.append(
            {
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
        )
    data.engagements["networks"] = networks

    agreements = []
    for a in fetch(
        db,
        "SELECT a.*, p.partner_name, p.partner_name_native, p.partner_level, "
        "p.kind AS partnership_kind, "
        "p.country AS partnership_country, p.priority_areas AS partnership_areas "
        "FROM agreements a LEFT JOIN partnerships p ON p.id = a.partnership_id "
        f"WHERE a.status IN {SIGNED} AND (a.signed_date IS NULL OR a.signed_date >= ?) "
        "ORDER BY a.signed_date, a.id",
        (start,),
    ):
        agreements.append(
            {
                "kind": "agreement",
                "record_id": a["id"],
                "title": a["title"],
                "partner": a.get("partner_name") or a.get("parties") or "",
                "partner_native": a.get("partner_name_native"),
                "partner_level": v.PARTNER_LEVELS[a.get("partner_level") or "city"],
                "country": a.get("country") or a.get("partnership_country"),
                "method": _agreement_method(a),
                "signed_date": a.get("signed_date"),
                "expiry_date": a.get("expiry_date"),
                "status": v.AGREEMENT_STATUSES[a["status"]],
                "approving_body": a.get("approving_body"),
                "priority_areas": _areas(a.get("priority_areas"), a.get("partnership_areas")),
            }
        )
    data.engagements["agreements"] = agreements

    meetings = []
    for m in fetch(
        db,
        "SELECT v.*, p.partner_name_native AS city_native FROM visits v "
        "LEFT JOIN partnerships p ON p.id = v.partnership_id "
        "WHERE v.significant = 1 AND v.status = 'completed' AND "
        "(v.start_date IS NULL OR (v.start_date >= ? AND v.start_date <= ?)) "
        "ORDER BY v.start_date, v.id",
        (start, today.isoformat()),
    ):
        meetings.append(
            {
                "kind": "visit",
                "record_id": m["id"],
                "title": m["title"],
                "method": "mission_sent" if m["direction"] == "outgoing" else "delegation_welcomed",
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
        )
    data.engagements["meetings"] = meetings
    return data


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
