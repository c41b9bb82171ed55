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
from desk.core.domain.dates import first_day, first_day_sql, last_day, month_day_year, short_date
from desk.core.domain.names import network_named, normalise
from desk.core.errors import DeskError
from desk.core.reference import countries, places
from desk.core.store.db import Database
from desk.core.store.hooks.partnerships import INITIAL_STATUS_REASON
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


# A partnership in force, as its history stands on the day counted.
IN_FORCE = ("active", "friendship")
_SISTER_KINDS = ("sister_city", "friendship_city")
# How a method's explanation names a partnership of each kind.
_KIND_WORDS = {
    "sister_city": "sister-city partnership",
    "friendship_city": "friendship-city partnership",
    "sector_partnership": "sector partnership",
    "network_membership": "network membership",
    "other": "partnership",
}


@dataclass(frozen=True)
class Standing:
    """A partnership's status on the day counted, read from its dated history, and the
    (stored) date it has held since."""

    status: str | None
    since: str | None = None

    @property
    def in_force(self) -> bool:
        return self.status in IN_FORCE

    def _label(self) -> str:
        return v.PARTNERSHIP_STATUSES.get(self.status or "", self.status or "").lower()

    def words(self) -> str:
        """'active since 7/22/1972', 'in force (friendship) since 4/5/2010'."""
        if self.status is None:
            return "not yet recorded"
        label = "in force (friendship)" if self.status == "friendship" else self._label()
        return f"{label} since {short_date(self.since)}" if self.since else label

    def state(self) -> str:
        """'suspended (since 3/2/2022)'."""
        if self.status is None:
            return "not yet recorded"
        return f"{self._label()} (since {short_date(self.since)})" if self.since else self._label()


@dataclass(frozen=True)
class NetworkScope:
    """Whether a city network is international, and what says so."""

    international: bool
    reason: str


def network_scope(
    name: str, country: str | None, domestic: tuple[str, ...] | list[str]
) -> NetworkScope:
    """A network's own country decides (one based in the United States is a U.S.
    association); without one, the edition's list of U.S. associations does. A network
    on neither is taken as international, as most a city joins are."""
    if country == "US":
        return NetworkScope(False, "a network based in the United States")
    if country:
        return NetworkScope(True, f"based in {countries.country_name(country)}")
    key = _network_key(name)
    if any(_network_key(other) == key for other in domestic):
        return NetworkScope(False, "a U.S. association on the survey edition's list")
    return NetworkScope(True, "")


@dataclass(frozen=True)
class LeftOut:
    """A record that could have been an engagement and is not counted, and why: a
    partnership (kind "partnership") or a network membership (kind "network")."""

    name: str
    why: str
    kind: str = ""
    record_id: int = 0
    brief: str = ""  # the reason in a few words, for a table: "a U.S. association"


@dataclass
class SurveyData:
    since: int
    city: dict[str, Any]
    # The day counted: the window's last day, and the day whose standing decides.
    as_of: dt.date = field(default_factory=dt.date.today)
    # The detail sheets' rows (networks, agreements, meetings), each with its engagement.
    engagements: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # One row per unique engagement: a foreign partner place (or a network) and the
    # city's relationship with it, however many agreements and meetings it holds.
    unique: list[dict[str, Any]] = field(default_factory=list)
    partnerships: list[dict[str, Any]] = field(default_factory=list)
    # Every partnership and network membership that is not counted, with why (a U.S.
    # association is not an international city network; a partnership ended, or a
    # membership left, before the day counted, with nothing in the window).
    left_out: list[LeftOut] = field(default_factory=list)

    @property
    def not_counted(self) -> list[tuple[str, str]]:
        """(name, why) of each record left out."""
        return [(item.name, item.why) for item in self.left_out]

    def window(self) -> str:
        """'January 1, 2016 – December 6, 2026'."""
        return f"January 1, {self.since} – {month_day_year(self.as_of)}"

    def located(self) -> list[dict[str, Any]]:
        """The unique engagements with the partner's latitude and longitude, for the
        workbook alone: placing them loads the gazetteer, which counts need not wait for.
        A partner is placed at its level (a region at its region's point, a country at
        its capital), or where the partnership's map position puts it; never at a
        country's middle, which is only a guess."""
        rows = []
        for e in self.unique:
            # Only the position set by hand: position() would also guess a middle.
            hand = places.position(None, None, e["location"]) if e.get("location") else None
            where = hand or places.find(
                e["partner"], e["country"], e["partner_level"], e.get("region")
            )
            rows.append(
                e
                | {
                    "latitude": where.latitude if where else None,
                    "longitude": where.longitude if where else None,
                }
            )
        return rows

    def all(self) -> list[dict[str, Any]]:
        return [e for rows in self.engagements.values() for e in rows]

    def summary(self) -> dict[str, Any]:
        """What the national findings count, over unique engagements, by code: shares by
        method, by priority area (several per engagement) and by partner country, these
        over the engagements that have a country (networks are a method, never a
        country); with the window and what was left out, and why."""
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
            "since": self.since,
            "as_of": self.as_of.isoformat(),
            "by_method": dict(sorted(by_method.items(), key=lambda i: (-i[1], i[0]))),
            "by_area": dict(sorted(by_area.items(), key=lambda i: (-i[1], i[0]))),
            "with_country": sum(by_country.values()),
            "by_country": dict(sorted(by_country.items(), key=lambda i: (-i[1], i[0]))),
            "staff_international": self.city.get("staff_international"),
            "has_director": bool(self.city.get("has_director")),
            "not_counted": [{"name": n, "why": why} for n, why in self.not_counted],
        }


def _agreement_method(agreement: dict[str, Any]) -> str:
    """What the agreement itself is, for its own row: its kind decides, a generic one
    takes its partnership's kind. The engagement's method is decided apart (`_decide`)."""
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


def _place_key(country: str | None, name: str | None) -> tuple[str, str]:
    return (country or "", " ".join((name or "").casefold().split()))


def _network_key(name: str | None) -> tuple[str, str]:
    """One key for a network whichever of its names is written ('ICLEI' and 'ICLEI –
    Local Governments for Sustainability')."""
    return ("network", network_named(name) or normalise(name or ""))


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def _standings(
    db: Database, day: str, partnerships: dict[int, dict[str, Any]]
) -> dict[int, Standing]:
    """Each partnership's standing on `day` from its dated status changes. A stored
    date known only to its year or month compares as its first day."""
    history: dict[int, list[tuple[str, str, int]]] = {}
    for row_id, pid, status, on, reason in db.execute(
        "SELECT id, partnership_id, status, changed_on, reason FROM partnership_status_changes"
    ):
        partnership = partnerships.get(pid)
        if partnership is None:
            continue
        if reason == INITIAL_STATUS_REASON:
            # The status it was entered with, dated the day of entry: it held from its
            # founding, or, with none known, as far back as desk can tell (never later
            # than desk dated it: a change typed in afterwards may have moved it back).
            on = min(on or "", partnership.get("established_date") or "")
        history.setdefault(pid, []).append((on or "", status, row_id))
    found: dict[int, Standing] = {}
    for pid, partnership in partnerships.items():
        steps = sorted(history.get(pid, []))
        if not steps:
            # No history kept (a file from before desk kept one): today's status, from
            # its founding on.
            founded = partnership.get("established_date")
            held = not founded or founded <= day
            found[pid] = Standing(partnership["status"] if held else None, founded)
            continue
        before = [(on, status) for on, status, _id in steps if on <= day]
        if not before:
            found[pid] = Standing(None)
            continue
        since, status = before[-1]
        for on, earlier in reversed(before[:-1]):
            if earlier != status:
                break
            since = on
        found[pid] = Standing(status, since or None)
    return found


def _member_on(membership: dict[str, Any], day: str) -> bool:
    """A member on `day`: joined by then, and not yet left (or, with no date left, still
    active)."""
    joined, left = membership.get("joined_date"), membership.get("left_date")
    if joined and joined > day:
        return False
    if left:
        return last_day(left).isoformat() > day
    return bool(membership.get("status") == "active")


@dataclass
class _Engagement:
    """One relationship and what the survey window holds of it, before its method is
    decided."""

    row: dict[str, Any]
    partnership: dict[str, Any] | None = None
    standing: Standing | None = None
    network: bool = False
    memberships: list[dict[str, Any]] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # where the network says it is based
    agreements: list[dict[str, Any]] = field(default_factory=list)
    welcomed: list[dict[str, Any]] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)


class _Engagements:
    """Gathers records into unique engagements: by partnership, else by partner place
    (or network)."""

    def __init__(self, db: Database, day: str) -> None:
        self.partnerships = {
            p["id"]: p
            for p in fetch(
                db,
                "SELECT p.*, o.country AS organisation_country FROM partnerships p "
                "LEFT JOIN organisations o ON o.id = p.partner_organisation_id",
            )
        }
        self.standings = _standings(db, day, self.partnerships)
        self.by_key: dict[tuple[str, Any], _Engagement] = {}

    def of_partnership(self, partnership_id: int) -> _Engagement:
        key = ("partnership", partnership_id)
        found = self.by_key.get(key)
        if found is None:
            p = self.partnerships[partnership_id]
            standing = self.standings[partnership_id]
            found = self.by_key[key] = _Engagement(
                self._new(
                    p["uid"],
                    partner=p["partner_name"],
                    partner_native=p.get("partner_name_native"),
                    partner_level=p.get("partner_level") or "city",
                    country=p.get("country"),
                    status=v.PARTNERSHIP_STATUSES[standing.status or p["status"]],
                    since=_year(p.get("established_date")),
                    founded=bool(p.get("established_date")),
                    region=p.get("region"),
                    location=p.get("location"),
                    areas=_areas(p.get("priority_areas")),
                ),
                partnership=p,
                standing=standing,
            )
            if p["kind"] == "network_membership":
                # The membership record and its partnership are one engagement.
                found.network = True
                found.row["partner_level"], found.row["country"] = "network", None
                found.countries += [
                    c for c in (p.get("organisation_country"), p.get("country")) if c
                ]
                self.by_key.setdefault(_network_key(p["partner_name"]), found)
        return found

    def of_place(self, key: tuple[str, Any], uid: str, **values: Any) -> _Engagement:
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = _Engagement(self._new(uid, **values))
        return found

    @staticmethod
    def _new(uid: str, *, areas: list[str], **values: Any) -> dict[str, Any]:
        # "since": the year the relationship began, one meaning for every row: its
        # partnership's founding or the city's joining of the network ("founded"), or,
        # with neither on record, the year of its earliest agreement or meeting counted.
        return {
            "id": uid,
            "agreements": 0,
            "meetings": 0,
            "priority_areas": list(areas),
            "founded": False,
            **values,
        }


def collect(
    db: Database,
    since: int,
    today: dt.date | None = None,
    *,
    domestic_networks: tuple[str, ...] | list[str] | None = None,
) -> SurveyData:
    """What the survey counts from January 1 of `since` to `today`, each engagement's
    method decided by its standing on `today` (`_decide`). `domestic_networks`: the
    U.S. associations that are not international city networks (default: the current
    edition's list)."""
    today = today or dt.date.today()
    start, now = f"{since:04d}-01-01", today.isoformat()
    if domestic_networks is None:
        domestic_networks = _edition_domestic_networks()
    city_rows = fetch(db, "SELECT * FROM city_profile LIMIT 1")
    data = SurveyData(since=since, city=city_rows[0] if city_rows else {}, as_of=today)
    gather = _Engagements(db, now)
    for p in gather.partnerships.values():
        if gather.standings[p["id"]].in_force:
            gather.of_partnership(p["id"])

    agreements = []
    for a in fetch(
        db,
        "SELECT a.*, p.partner_name, p.partner_name_native, p.partner_level, "
        "p.kind AS partnership_kind, "
        "p.country AS partnership_country, p.priority_areas AS partnership_areas "
        "FROM agreements a LEFT JOIN partnerships p ON p.id = a.partnership_id "
        f"WHERE a.status IN {SIGNED} AND (a.signed_date IS NULL OR "
        f"{first_day_sql('a.signed_date')} <= ?) "
        "ORDER BY a.signed_date, a.id",
        (now,),
    ):
        signed_in_window = not a.get("signed_date") or first_day(a["signed_date"]) >= first_day(
            start
        )
        in_force = _agreement_in_force(a, now)
        if not signed_in_window and not in_force:
            continue
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
            "in_window": signed_in_window,
            "in_force": in_force,
        }
        if a.get("partnership_id"):
            engagement = gather.of_partnership(a["partnership_id"])
        else:
            engagement = gather.of_place(
                ("place", _place_key(row["country"], row["partner"])),
                a["uid"],
                partner=row["partner"],
                partner_native=None,
                partner_level="city",
                country=row["country"],
                status=row["status"],
                since=None,
                areas=row["priority_areas"],
            )
        _add(engagement.row, row, "agreements", row["signed_date"])
        engagement.agreements.append(row)
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
                ("place", _place_key(row["country"], partner)),
                m["uid"],
                partner=partner,
                partner_native=None,
                partner_level="city" if row["city"] else "country",
                country=row["country"],
                status="Meeting",
                since=None,
                areas=row["priority_areas"],
            )
        _add(engagement.row, row, "meetings", row["start_date"])
        (engagement.sent if method == "mission_sent" else engagement.welcomed).append(row)
        meetings.append(row)

    networks = []
    left_networks: list[dict[str, Any]] = []
    for n in fetch(
        db,
        "SELECT n.*, o.country AS organisation_country FROM network_memberships n "
        "LEFT JOIN organisations o ON o.id = n.organisation_id "
        "ORDER BY n.network_name COLLATE NOCASE, n.id",
    ):
        if not _member_on(n, now):
            left_networks.append(n)
            continue
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
            engagement = gather.of_partnership(n["partnership_id"])
            gather.by_key.setdefault(_network_key(n["network_name"]), engagement)
        else:
            engagement = gather.of_place(
                _network_key(n["network_name"]),
                n["uid"],
                partner=n["network_name"],
                partner_native=None,
                partner_level="network",
                country=None,
                status=row["status"],
                since=None,
                areas=row["priority_areas"],
            )
        if n.get("joined_date") and not engagement.row["founded"]:
            engagement.row["since"] = _year(n["joined_date"])
            engagement.row["founded"] = True
        engagement.network = True
        engagement.memberships.append(row)
        if n.get("organisation_country"):
            engagement.countries.append(n["organisation_country"])
        for code in row["priority_areas"]:
            if code not in engagement.row["priority_areas"]:
                engagement.row["priority_areas"].append(code)
        row["engagement_id"] = engagement.row["id"]
        networks.append(row)

    distinct = {id(e): e for e in gather.by_key.values()}
    counted: list[_Engagement] = []
    for engagement in distinct.values():
        decided, basis = _decide(engagement, domestic_networks)
        if decided is None:
            data.left_out.append(_left_out(engagement, basis))
            continue
        engagement.row["method"], engagement.row["method_basis"] = decided, basis
        counted.append(engagement)
    data.left_out += _not_gathered(gather, left_networks, today, domestic_networks)
    kept = {e.row["id"] for e in counted}
    data.engagements = {
        key: [r for r in rows if r["engagement_id"] in kept]
        for key, rows in (
            ("networks", networks),
            ("agreements", agreements),
            ("meetings", meetings),
        )
    }
    data.unique = sorted(
        (e.row for e in counted),
        key=lambda e: (e["method"] != "sister_city", (e["partner"] or "").casefold()),
    )
    for e in data.unique:
        e["reporting_city"] = data.city.get("name")
        e["reporting_state"] = data.city.get("state")
    data.partnerships = [e.partnership for e in counted if e.partnership is not None]
    data.left_out.sort(key=lambda item: (item.name.casefold(), item.kind, item.record_id))
    return data


def _agreement_in_force(agreement: dict[str, Any], day: str) -> bool:
    """Whether a signed agreement was in force on `day`: not yet run out (or renewing
    itself), or, stored as expired, run out only after it. A sister-city or friendship
    agreement of a partnership is not an engagement of its own: the partnership's
    standing says whether that tie holds. A terminated one has no date of its ending and
    is not taken as in force."""
    if agreement["kind"] in _FOUNDING and agreement.get("partnership_id"):
        return False
    expiry: str | None = agreement.get("expiry_date") or None
    status = agreement["status"]
    if status in ("signed", "in_force"):
        renews = bool(agreement.get("auto_renew")) and status == "in_force"
        return not expiry or renews or last_day(expiry).isoformat() >= day
    return status == "expired" and expiry is not None and last_day(expiry).isoformat() >= day


# The agreements that found a sister- or friendship-city partnership.
_FOUNDING = ("sister_city_agreement", "friendship_agreement")


def _left_out(engagement: _Engagement, why: str) -> LeftOut:
    """The record behind an engagement not counted: its partnership, else its (first)
    network membership."""
    brief = DOMESTIC if why.endswith(_NOT_INTERNATIONAL) else "nothing in the window"
    if engagement.partnership is not None:
        return LeftOut(
            engagement.row["partner"], why, "partnership", engagement.partnership["id"], brief
        )
    first = engagement.memberships[0] if engagement.memberships else {}
    return LeftOut(engagement.row["partner"], why, "network", first.get("record_id", 0), brief)


# How a U.S. association's reason ends, and its few words.
_NOT_INTERNATIONAL = "not an international city network"
DOMESTIC = "a U.S. association"


def _not_gathered(
    gather: _Engagements,
    left_networks: list[dict[str, Any]],
    today: dt.date,
    domestic: tuple[str, ...] | list[str],
) -> list[LeftOut]:
    """Partnerships and network memberships nothing brought into the count: a
    partnership not in force on the day with nothing in the window, and a membership
    that did not hold on the day. A membership counts while it holds, as a partnership
    counts while it is in force: one left within the window is not counted, as a sister
    city that ended then is not."""
    gathered = {id(e) for e in gather.by_key.values()}
    held = {key for key, e in gather.by_key.items() if key[0] == "network" and id(e) in gathered}
    out: list[LeftOut] = []
    seen: set[tuple[str, Any]] = set()
    on = short_date(today)
    for p in gather.partnerships.values():
        if ("partnership", p["id"]) in gather.by_key:
            continue
        network = p["kind"] == "network_membership"
        if network:
            key = _network_key(p["partner_name"])
            if key in held or key in seen:
                continue
            seen.add(key)
        standing = gather.standings[p["id"]]
        state = "not yet in force" if standing.status is None else standing.state()
        kind = _KIND_WORDS.get(p["kind"], "partnership")
        out.append(
            LeftOut(
                p["partner_name"],
                f"the {kind} is {state}, and the survey window holds no agreement "
                "signed or in force and no significant meeting with it",
                "partnership",
                p["id"],
                state.split(" (")[0],
            )
        )
    for n in left_networks:
        key = _network_key(n["network_name"])
        if key in held or key in seen:
            continue
        seen.add(key)
        scope = network_scope(n["network_name"], n.get("organisation_country"), domestic)
        if not scope.international:
            why, brief = f"{scope.reason}: {_NOT_INTERNATIONAL}", DOMESTIC
        elif n.get("left_date"):
            left = short_date(n["left_date"])
            why = (
                f"the city left it {left}, before {on}: a membership counts while it holds, "
                "as a partnership counts while in force"
            )
            brief = f"left {left}"
        elif n.get("joined_date") and first_day(n["joined_date"]) > today:
            joins = short_date(n["joined_date"])
            why, brief = f"the city joins it {joins}, after {on}", f"joins {joins}"
        else:
            status = v.NETWORK_STATUSES.get(n["status"], n["status"]).lower()
            why = f"the membership is {status} on {on} (no date of leaving recorded)"
            brief = f"{status}, no date recorded"
        out.append(LeftOut(n["network_name"], why, "network", n["id"], brief))
    return out


def _edition_domestic_networks() -> tuple[str, ...]:
    from desk.reports.survey.edition import load

    try:
        return load().domestic_networks
    except DeskError:  # a damaged edition file: no list, and the networks' own data decides
        return ()


def _named(row: dict[str, Any], date: str | None, more: int, verb: str = "") -> str:
    """'“Delegation from Fez”, 2/14/2025 (and 1 more)'; with a verb, '“MOU…” signed
    3/14/2024'; an agreement in force on the day counted says until when ('“MOU…” signed
    3/27/2024, in force until 4/10/2027'), and so where it counts for that alone."""
    when = (f" {verb} " if verb else ", ") + short_date(date) if date else ""
    expiry = row.get("expiry_date")
    if row.get("in_force") and expiry:
        when += f", in force until {short_date(expiry)}"
    elif row.get("in_force") and not row.get("in_window"):
        when += ", in force"
    return f"“{row['title']}”{when}" + (f" (and {more} more)" if more else "")


def _decide(e: _Engagement, domestic: tuple[str, ...] | list[str]) -> tuple[str | None, str]:
    """The engagement's method by its standing in the survey window, first that holds:
    (1) a sister- or friendship-city partnership in force: sister city; (2) a sector
    partnership in force, or an agreement signed in the window: sector partnership /
    MOU; (3) an active membership of an international city network: city network;
    (4) a delegation welcomed in the window, else a mission sent. A partnership that is
    proposed, dormant, suspended, lapsed or ended is never a sister city: it counts
    through what the window holds, or not at all. Returns the method and the words that
    explain it (they start with the method's name), or None and why it is not counted."""
    p, standing = e.partnership, e.standing or Standing(None)
    kind = p["kind"] if p else ""
    words = v.ENGAGEMENT_METHODS
    scope = NetworkScope(True, "")
    if e.network:
        name = p["partner_name"] if p else e.row["partner"]
        scope = network_scope(name, next(iter(e.countries), None), domestic)
        if not scope.international:
            # Not a foreign partner at all: nothing it holds is an international tie.
            return None, f"{scope.reason}: {_NOT_INTERNATIONAL}"
    if kind in _SISTER_KINDS and standing.in_force:
        return "sister_city", f"{words['sister_city']}: {_KIND_WORDS[kind]} {standing.words()}"
    if kind == "sector_partnership" and standing.in_force:
        return (
            "sector_partnership",
            f"{words['sector_partnership']}: sector partnership {standing.words()}",
        )
    # Where a partnership is not in force, the explanation says so: it is why the
    # relationship counts through its agreements or meetings.
    aside = (
        f"; the {_KIND_WORDS.get(kind, 'partnership')} is {standing.state()}"
        if p is not None and not standing.in_force and not e.network
        else ""
    )
    if e.agreements:
        latest = e.agreements[-1]
        named = _named(latest, latest["signed_date"], len(e.agreements) - 1, "signed")
        return "sector_partnership", f"{words['sector_partnership']}: {named}{aside}"
    if e.network and (e.memberships or standing.in_force):
        joined = sorted(m["joined_date"] for m in e.memberships if m.get("joined_date"))
        since = joined[0] if joined else standing.since
        where = f" ({scope.reason})" if scope.reason else ""
        return (
            "city_network",
            f"{words['city_network']}: active member"
            + (f" since {short_date(since)}" if since else "")
            + where,
        )
    for method, held in (("delegation_welcomed", e.welcomed), ("mission_sent", e.sent)):
        if held:
            latest = held[-1]
            named = _named(latest, latest["start_date"], len(held) - 1)
            return method, f"{words[method]}: {named}{aside}"
    if p is not None and standing.in_force and not e.network:
        return (
            "other",
            f"{words['other']}: {_KIND_WORDS.get(kind, 'partnership')} {standing.words()}",
        )
    return None, "nothing in the survey window"


def _add(engagement: dict[str, Any], row: dict[str, Any], count: str, date: str | None) -> None:
    row["engagement_id"] = engagement["id"]
    engagement[count] += 1
    for code in row["priority_areas"]:
        if code not in engagement["priority_areas"]:
            engagement["priority_areas"].append(code)
    year = _year(date)
    if engagement["founded"]:
        return
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
