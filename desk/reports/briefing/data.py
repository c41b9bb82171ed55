"""Everything a briefing packet says, read from the records in one place."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain import dates
from desk.core.domain.dates import local_zone
from desk.core.reference import capitals as reference
from desk.core.reference import countries, languages, places
from desk.core.store import records
from desk.core.store.db import Database
from desk.core.store.queries import fetch


@dataclass
class Briefing:
    visit: dict[str, Any]
    city: dict[str, Any]
    home_zone: str
    their_zone: str | None
    itinerary: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    gifts: list[dict[str, Any]] = field(default_factory=list)
    partnerships: list[dict[str, Any]] = field(default_factory=list)
    status_history: list[dict[str, Any]] = field(default_factory=list)
    agreements: list[dict[str, Any]] = field(default_factory=list)
    past_visits: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    follow_ups: list[dict[str, Any]] = field(default_factory=list)
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    organisations: dict[int, str] = field(default_factory=dict)
    last_met: dict[int, str] = field(default_factory=dict)
    # Every visit of this partnership, both ways, for the relationship timeline.
    timeline_visits: list[dict[str, Any]] = field(default_factory=list)
    # The partner city in the offline gazetteer (population, coordinates), if found.
    place: places.Place | None = None
    # Our own city there, for a partner's copy of a delegation coming to us.
    home_place: places.Place | None = None
    # Each delegate's legs (internal: flights, rooms and who meets them stay out of the
    # partner's copy).
    travel: Any = None
    # Images attached to each counterpart, oldest first: the first readable one is shown.
    photos: dict[int, list[bytes]] = field(default_factory=dict)
    # Embassies and consulates that matter to this trip: ours in the partner's country for
    # a mission abroad, theirs serving our city for a delegation here.
    missions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def incoming(self) -> bool:
        return self.visit["direction"] == "incoming"

    @property
    def as_of(self) -> dt.date:
        """The day the packet speaks from: its visit's first day, so a packet made again
        after the visit says what was true then; today for a visit without dates."""
        return dates.stored_date(self.visit.get("start_date")) or dt.date.today()

    @property
    def until(self) -> str:
        """The visit's last day (ISO): nothing after it belongs in its packet."""
        return str(self.visit.get("end_date") or self.visit.get("start_date") or "9999-12-31")

    @property
    def standing(self) -> str | None:
        """The partnership's status as of the visit: today's for a visit still to come,
        the status history's for one in the past."""
        own = self.partnership
        if own is None or not own.get("status"):
            return None  # the partner's copy carries no standing at all
        if self.as_of >= dt.date.today():
            return str(own["status"])
        day = self.as_of.isoformat()
        # A change dated by year or month alone counts as made by then.
        earlier = [h for h in self.status_history if (h.get("changed_on") or "9999") <= day]
        return str(earlier[-1]["status"]) if earlier else str(own["status"])

    def home_profile(self) -> dict[str, str]:
        """Our city as a guest coming to it reads it: its size, the time there against
        theirs, the language and the money."""
        facts = {}
        found = places.population_fact(self.home_place)
        if found:
            facts[found[0]] = found[1]
        elif self.city.get("population"):
            # Our own figure, from the city profile, where the gazetteer has none.
            facts["City population"] = f"{int(self.city['population']):,}"
        if self.their_zone:
            facts["Time difference"] = self.time_difference(from_home=True)
        facts["Official languages"] = languages.official_text(HOME_COUNTRY)
        facts["Currency"] = countries.currency_text(HOME_COUNTRY)
        return {k: v for k, v in facts.items() if v}

    def _languages(self, code: str) -> str:
        """The partner's languages as a protocol officer writes them, with the
        co-official language of its region (Valencian in València)."""
        partner = self.partnership or {}
        region = partner.get("region") or (
            partner.get("partner_name") if partner.get("partner_level") == "region" else None
        )
        return languages.official_text(
            code, region, self.visit.get("city") or partner.get("partner_name")
        )

    def place_name(self) -> str:
        """The partner's place as the packet names it in sentences: its city, else its
        country."""
        return str(self.visit.get("city") or countries.country_name(self.visit.get("country")))

    def time_difference(
        self, place: str | None = None, *, short: bool = False, from_home: bool = False
    ) -> str:
        """'València is 9 hours ahead of Port Meridian until March 13, 8 hours ahead from
        March 14 (clocks change in Port Meridian on March 14)', over every day of the
        visit, so a clock change inside it is said where it happens. `short` leaves out
        the month and where the clocks change; `from_home` says it the other way round,
        for a reader coming to our city."""
        if not self.their_zone:
            return ""
        there = place or self.place_name()
        home = str(self.city.get("name") or "home")
        zones, names = (self.their_zone, self.home_zone), (there, home)
        if from_home:
            zones, names = zones[::-1], names[::-1]
        steps = hours_during(*zones, self.as_of, self._last_day())
        return _difference_text(steps, zones, names, short=short)

    def _last_day(self) -> dt.date:
        last = dates.stored_date(self.visit.get("end_date")) or self.as_of
        # A visit is days or weeks; a typo of a year must not walk a year of days.
        return min(max(last, self.as_of), self.as_of + dt.timedelta(days=62))

    @property
    def partnership(self) -> dict[str, Any] | None:
        own = self.visit.get("partnership_id")
        return next((p for p in self.partnerships if p.get("id") == own), None)

    @property
    def meetings(self) -> list[dict[str, Any]]:
        """Meetings and ceremonies, and any item with a plan of its own."""
        return [i for i in self.itinerary if i["kind"] in ("meeting", "ceremony") or has_plan(i)]

    @property
    def counterparts(self) -> list[dict[str, Any]]:
        """Their people the principal will meet: meeting counterparts first, then their
        delegation, each once."""
        ids = [
            i["counterpart_contact_id"] for i in self.meetings if i.get("counterpart_contact_id")
        ]
        ids += [
            p["contact_id"]
            for p in self.participants
            if p.get("contact_id") and p.get("side") == "theirs"
        ]
        return [self.contacts[c] for c in dict.fromkeys(ids) if c in self.contacts]

    @property
    def to_sign(self) -> list[dict[str, Any]]:
        start, end = self.visit.get("start_date"), self.visit.get("end_date")
        return [
            a
            for a in self.agreements
            if a["status"] in ("draft", "negotiating")
            or (start and a.get("signed_date") and start <= a["signed_date"] <= (end or start))
        ]

    def country_profile(self) -> dict[str, str]:
        code = self.visit.get("country")
        if not code:
            return {}
        profile = {
            "Country": countries.country_name(code),
            "Capital": reference.capitals().get(code, ""),
            "Currency": countries.currency_text(code),
            "Official languages": self._languages(code),
        }
        if self.their_zone:
            profile["Time difference"] = self.time_difference(
                str(self.visit.get("city") or profile["Country"])
            )
            profile["Time zone"] = dates.zone_label(
                self.their_zone, dt.datetime.combine(self.as_of, dt.time(12))
            )
        return {k: v for k, v in profile.items() if v}


def hours_during(
    zone: str, home: str, first: dt.date, last: dt.date
) -> list[tuple[dt.date, float]]:
    """How far `zone` is ahead of `home` on the first day, and on each day it changes."""
    steps: list[tuple[dt.date, float]] = []
    day = first
    while day <= last:
        hours = reference.hours_apart(zone, home, day)
        if not steps or steps[-1][1] != hours:
            steps.append((day, hours))
        day += dt.timedelta(days=1)
    return steps or [(first, reference.hours_apart(zone, home, first))]


def _difference_text(
    steps: list[tuple[dt.date, float]],
    zones: tuple[str, str],
    names: tuple[str, str],
    *,
    short: bool,
) -> str:
    place, home = names
    first_day, hours = steps[0]
    if len(steps) == 1:
        if hours == 0:
            return f"{place} keeps the same time as {home}"
        month = "" if short else f" ({dates.month_name(first_day)})"
        return f"{place} is {_apart(hours)} {home}{month}"
    if short:
        # The short form, for a line that has other things to say: "9 hours ahead of
        # Port Meridian (8 from March 14)".
        later = ", ".join(f"{abs(h):g} from {dates.month_day(day)}" for day, h in steps[1:])
        return f"{place} is {_apart(hours)} {home} ({later})"
    parts = []
    for n, (day, hours) in enumerate(steps):
        ends = steps[n + 1][0] - dt.timedelta(days=1) if n + 1 < len(steps) else None
        if n == 0:
            span = f"until {dates.month_day(ends or day)}"
        elif ends is None:
            span = f"from {dates.month_day(day)}"
        else:
            span = f"{dates.month_day(day)} to {dates.month_day(ends)}"
        # The home city is named once: "9 hours ahead of Port Meridian until March 13,
        # 8 hours ahead from March 14".
        parts.append(f"{_apart(hours)} {home} {span}" if n == 0 else f"{_apart(hours, '')} {span}")
    where = {"theirs": place, "ours": home}
    note = "; ".join(
        f"clocks change in {where[side]} on {dates.month_day(day)}"
        for day, _hours in steps[1:]
        if (side := _who_changed(*zones, day))
    )
    return f"{place} is " + ", ".join(parts) + (f" ({note})" if note else "")


def _apart(hours: float, of: str = " of") -> str:
    if hours == 0:
        return "the same time as" if of else "the same time"
    amount = f"{abs(hours):g} hour{'s' if abs(hours) != 1 else ''}"
    return f"{amount} {'ahead' + of if hours > 0 else 'behind'}"


def _who_changed(zone: str, home: str, day: dt.date) -> str:
    """Whose clocks moved between the day before and `day`: 'theirs', 'ours' or both
    (''), told apart by each zone's own offset at noon."""
    from zoneinfo import ZoneInfo

    def offset(name: str, on: dt.date) -> dt.timedelta | None:
        return dt.datetime.combine(on, dt.time(12), ZoneInfo(name)).utcoffset()

    before = day - dt.timedelta(days=1)
    theirs = offset(zone, before) != offset(zone, day)
    ours = offset(home, before) != offset(home, day)
    return "theirs" if theirs and not ours else "ours" if ours and not theirs else ""


# What makes a program item worth a brief of its own rather than a line in a table.
PLAN_FIELDS = (
    "purpose",
    "our_attendees",
    "their_attendees",
    "run_of_show",
    "talking_points",
    "likely_asks",
    "sensitivities",
    "notes",
)


def has_plan(item: dict[str, Any]) -> bool:
    return bool(item.get("counterpart_contact_id")) or any(item.get(k) for k in PLAN_FIELDS)


HOME_COUNTRY = "US"


def _their_zone(visit: dict[str, Any], partnership: dict[str, Any]) -> str | None:
    """The partner city's own zone: the visit's (outgoing), else the gazetteer's for the
    city, else the country's only zone. A country with several zones is never guessed."""
    if visit["direction"] == "outgoing" and visit.get("time_zone"):
        return str(visit["time_zone"])
    country = visit.get("country") or partnership.get("country")
    place = places.partner_place(partnership or None, visit.get("city"), country)
    if place is not None and place.time_zone:
        return place.time_zone
    zones = reference.country_zones().get((country or "").upper(), [])
    return zones[0] if len(zones) == 1 else None


def gather(db: Database, visit_ref: int | str) -> Briefing:
    visit_id = records.resolve_id(db, "visit", visit_ref)
    visit = records.get(db, "visit", visit_id)
    city_rows = fetch(db, "SELECT * FROM city_profile LIMIT 1")
    city = city_rows[0] if city_rows else {}
    home = city.get("time_zone") or local_zone()
    partnership = fetch(
        db, "SELECT * FROM partnerships WHERE id = ?", (visit.get("partnership_id"),)
    )
    their_zone = _their_zone(visit, partnership[0] if partnership else {})
    b = Briefing(visit=visit, city=city, home_zone=home, their_zone=their_zone)
    b.itinerary = fetch(
        db, "SELECT * FROM itinerary_items WHERE visit_id = ? ORDER BY starts_at, id", (visit_id,)
    )
    b.participants = fetch(
        db,
        "SELECT * FROM visit_participants WHERE visit_id = ? "
        "ORDER BY side = 'ours', CASE role WHEN 'principal' THEN 0 "
        "WHEN 'host' THEN 1 ELSE 2 END, id",
        (visit_id,),
    )
    b.gifts = fetch(
        db, "SELECT * FROM gifts WHERE visit_id = ? ORDER BY direction, id", (visit_id,)
    )
    own = visit.get("partnership_id")
    # Only this visit's own records: its partnership and what belongs to that. `= ?`
    # never matches a visit without a partnership to every record without one (`IS ?`
    # would), and another partner in the same country is not this relationship.
    b.partnerships = fetch(db, "SELECT * FROM partnerships WHERE id = ?", (own,))
    b.status_history = fetch(
        db,
        "SELECT * FROM partnership_status_changes WHERE partnership_id = ? ORDER BY changed_on",
        (own,),
    )
    b.agreements = fetch(
        db,
        "SELECT * FROM agreements WHERE partnership_id = ? "
        "ORDER BY coalesce(decision_deadline, '9999'), title LIMIT 25",
        (own,),
    )
    b.past_visits = fetch(
        db,
        "SELECT * FROM visits WHERE id != ? AND partnership_id = ? AND start_date < ? "
        "AND status NOT IN ('declined', 'cancelled') ORDER BY start_date DESC LIMIT 12",
        (visit_id, own, visit.get("start_date") or dt.date.today().isoformat()),
    )
    b.interactions = fetch(
        db,
        "SELECT * FROM interactions WHERE partnership_id = ? AND occurred_on <= ? "
        "ORDER BY occurred_on DESC LIMIT 10",
        (own, visit.get("start_date") or dt.date.today().isoformat()),
    )
    b.follow_ups = fetch(
        db,
        # Two lookups by index, joined: with an OR SQLite scanned every open follow-up.
        "SELECT * FROM follow_ups WHERE +done_on IS NULL AND id IN (SELECT id FROM follow_ups "
        "WHERE visit_id = ? UNION SELECT id FROM follow_ups WHERE partnership_id = ?) "
        "ORDER BY due_date IS NULL, due_date LIMIT 40",
        (visit_id, own),
    )
    b.timeline_visits = fetch(
        db,
        "SELECT id, title, direction, status, start_date, end_date FROM visits "
        "WHERE partnership_id = ? AND start_date IS NOT NULL "
        "AND status NOT IN ('declined', 'cancelled', 'requested') ORDER BY start_date LIMIT 200",
        (own,),
    )
    # At the partner's level: a region or country partner is described as itself (its
    # population, its head), never as the city a visit happens in or a namesake town.
    own = b.partnership or {}
    if own.get("partner_level") in ("region", "country"):
        b.place = places.find(
            own.get("partner_name"), own.get("country"), own["partner_level"], own.get("region")
        )
    else:
        b.place = places.partner_place(b.partnership, visit.get("city"), visit.get("country"))
    if b.incoming and city.get("name"):
        b.home_place = places.locate(city["name"], HOME_COUNTRY)
    from desk.core.features import travel

    b.travel = travel.read(db, visit_id)
    b.missions = _missions(db, visit)
    _people(db, b)
    _photos(db, b)
    return b


def _missions(db: Database, visit: dict[str, Any]) -> list[dict[str, Any]]:
    """Ours abroad for a mission: U.S. posts located in the partner's country. Theirs here
    for a delegation: their country's posts (desk files a consulate under the country it
    represents)."""
    country = visit.get("country")
    if not country:
        return []
    posts = fetch(
        db,
        "SELECT id, name, name_native, country, city, phone, email, website FROM organisations "
        "WHERE kind = 'consulate' AND country = ? ORDER BY name LIMIT 200",
        (HOME_COUNTRY if visit["direction"] == "outgoing" else country,),
    )
    if visit["direction"] != "outgoing":
        return posts[:6]
    return [
        p
        for p in posts
        if places.locate(p.get("city"), country) is not None
        or countries.country_name(country).casefold() in (p["name"] or "").casefold()
    ][:6]


def _photos(db: Database, b: Briefing) -> None:
    """Images attached to the counterparts; the bytes are read only for those."""
    people = [c["id"] for c in b.counterparts]
    if not people:
        return
    marks = ", ".join("?" * len(people))
    rows = db.execute(
        "SELECT a.contact_id, b.content FROM attachments a JOIN blobs b ON b.sha256 = a.sha256 "
        f"WHERE a.contact_id IN ({marks}) AND a.media_type IN ('image/jpeg', 'image/png') "
        "ORDER BY a.id",
        people,
    ).fetchall()
    for contact_id, content in rows:
        b.photos.setdefault(contact_id, []).append(bytes(content))


def _people(db: Database, b: Briefing) -> None:
    wanted = {p["contact_id"] for p in b.participants if p.get("contact_id")}
    wanted |= {i["counterpart_contact_id"] for i in b.itinerary if i.get("counterpart_contact_id")}
    if b.visit.get("advance_contact_id"):
        wanted.add(b.visit["advance_contact_id"])
    wanted |= {
        g[k] for g in b.gifts for k in ("giver_contact_id", "recipient_contact_id") if g.get(k)
    }
    if not wanted:
        return
    ids = sorted(wanted)
    marks = ", ".join("?" * len(ids))
    for row in fetch(db, f"SELECT * FROM contacts WHERE id IN ({marks})", tuple(ids)):
        row["languages_list"] = json.loads(row.get("languages") or "[]")
        b.contacts[row["id"]] = row
    org_ids = sorted(
        {c["organisation_id"] for c in b.contacts.values() if c.get("organisation_id")}
    )
    if org_ids:
        marks_o = ", ".join("?" * len(org_ids))
        b.organisations = dict(
            db.execute(
                f"SELECT id, name FROM organisations WHERE id IN ({marks_o})", org_ids
            ).fetchall()
        )
    # "Last met on": the latest earlier visit or interaction the person took part in.
    before = b.visit.get("start_date") or "9999-12-31"
    for contact_id in ids:
        row = db.execute(
            "SELECT max(day) FROM ("
            " SELECT v.start_date AS day FROM visit_participants p JOIN visits v "
            "  ON v.id = p.visit_id WHERE p.contact_id = ? AND v.id != ? AND v.start_date < ?"
            "  AND v.status = 'completed'"
            " UNION ALL SELECT i.occurred_on FROM interaction_participants ip JOIN interactions i"
            "  ON i.id = ip.interaction_id WHERE ip.contact_id = ? AND i.occurred_on < ?)",
            (contact_id, b.visit["id"], before, contact_id, before),
        ).fetchone()
        if row and row[0]:
            b.last_met[contact_id] = row[0]


# What a partner may read, field by field: an allow-list, so a field added to desk later
# stays out of the shared copy until someone decides it belongs there.
_PUBLIC_VISIT = (
    "id",
    "partnership_id",
    "uid",
    "title",
    "direction",
    "mode",
    "status",
    "country",
    "city",
    "time_zone",
    "start_date",
    "end_date",
    "principal",
    "host",
)
_PUBLIC_ITEM = (  # the program as printed for guests, without its internal plan
    "id",
    "visit_id",
    "kind",
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "place",
    "address",
    "counterpart",
    "counterpart_contact_id",
    "dress_code",
)
_PUBLIC_PARTICIPANT = ("id", "visit_id", "contact_id", "name", "side", "role")
_PUBLIC_CONTACT = (
    "id",
    "given_name",
    "family_name",
    "name_native",
    "name_order",
    "honorific",
    "job_title",
    "organisation_id",
    "languages_list",
)
_PUBLIC_CITY = ("name", "state", "office_name", "time_zone", "population")
_PUBLIC_PARTNERSHIP = ("id", "partner_name", "partner_name_native", "country")


def _only(row: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    return {key: row[key] for key in allowed if key in row}


def _for_guests(item: dict[str, Any], theirs: set[int]) -> dict[str, Any]:
    """A program item as the partner reads it: 'with' their own delegate (whom our side
    meets) says nothing to them, so it is left out."""
    shown = _only(item, _PUBLIC_ITEM)
    if shown.get("counterpart_contact_id") in theirs:
        shown["counterpart_contact_id"] = None
        shown["counterpart"] = None
    return shown


def partner_view(b: Briefing) -> Briefing:
    """The packet's data as the partner may see it: the program, its times and places,
    public names and titles, and the partner's own delegation. Nothing else is copied."""
    theirs = {
        p["contact_id"] for p in b.participants if p.get("contact_id") and p.get("side") == "theirs"
    }
    return Briefing(
        visit=_only(b.visit, _PUBLIC_VISIT),
        city=_only(b.city, _PUBLIC_CITY),
        home_zone=b.home_zone,
        their_zone=b.their_zone,
        itinerary=[_for_guests(i, theirs) for i in b.itinerary],
        # Both sides, public names and titles only: the partner needs to know who comes
        # and who receives them.
        participants=[_only(p, _PUBLIC_PARTICIPANT) for p in b.participants],
        contacts={k: _only(c, _PUBLIC_CONTACT) for k, c in b.contacts.items()},
        organisations=dict(b.organisations),
        # Public geography of the place they are going to: our city for a delegation
        # here; for a mission to them, nothing (they know their own city).
        place=b.home_place if b.incoming else None,
        home_place=b.home_place,
        partnerships=[_only(p, _PUBLIC_PARTNERSHIP) for p in b.partnerships],
    )
