"""Each delegate's travel for a visit: how and when they arrive and leave, who meets them,
where they stay, and what to check before the airport run.

`read(db, visit)` reads a visit's legs, its delegation and its program once and returns a
`TravelPlan`: the travelers (the visiting side, and anyone else with a leg of their own)
with their arrival and departure legs and what to check about each, and the legs as the
pickup sheet lists them, in the order of the day, people on the same flight together.

Times are the airport's own: a leg departs at `departs_at` in `departs_zone` and arrives
at `arrives_at` in `time_zone`, so a flight over the date line that lands "before" it
took off reads right. A time whose zone was not recorded is shown as written, said to be
without a zone, and put in order as if it were in the visit's zone (the place the leg
arrives at or leaves from, nearly always), else our city's.

A leg without a traveler is the whole delegation's: it stands for everyone on the
visiting side who has no leg of their own that way.

Attendance is not recorded per program item, so a traveler is taken to be expected at
the visit's first program item on or after the day they land (in that place's time) and
is flagged when they land after it starts (`LATE_RULE` says so in words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from desk.core.domain import dates
from desk.core.domain.vocab import PARTICIPANT_ROLES, TRAVEL_MODES, label
from desk.core.domain.words import counted
from desk.core.features import sides
from desk.core.reference.countries import time_zones
from desk.core.store.db import Database
from desk.core.store.queries import fetch, person_name
from desk.core.store.rows import resolve_named

LATE_RULE = (
    "Attendance is not recorded per program item, so each traveler is taken to be "
    "expected at the visit's first program item on or after the day they land, and is "
    "flagged when they land after it starts."
)
# Less than this between landing and that first item: bags, immigration and the drive.
TIGHT = dt.timedelta(hours=2)
# A leg this many days before the visit starts or after it ends belongs to other dates:
# most often the visit was moved after its travel was entered.
ASTRAY_DAYS = 3

ARRIVAL, DEPARTURE, TRANSFER = "arrival", "departure", "transfer"
# What a check is about: the way in, or the way out.
IN, OUT = "arrival", "departure"

_ROLE_ORDER = {"principal": 0, "host": 1}


# -- times --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalTime:
    """A leg's time as the airport's clock reads it."""

    wall: dt.datetime  # as written, without a zone
    zone: str | None  # the zone recorded with it; None when none (or one desk lacks)
    read_in: str | None  # the zone it is ordered in: its own, else the visit's or ours
    instant: dt.datetime  # the moment (UTC), for ordering and comparing

    @property
    def day(self) -> dt.date:
        return self.wall.date()

    def text(self) -> str:
        """'Thu, Mar 11, 3:40 PM (UTC-8)'; '(time zone not recorded)' without a zone."""
        shown = dates.short_day_time(self.wall)
        if self.zone is None:
            return f"{shown} (time zone not recorded)"
        return f"{shown} ({dates.utc_offset(self.zone, self.instant)})"

    def clock(self) -> str:
        """'3:40 PM (UTC-8)': the time alone, under a heading that names the day."""
        shown = dates.clock(self.wall)
        if self.zone is None:
            return f"{shown} (time zone not recorded)"
        return f"{shown} ({dates.utc_offset(self.zone, self.instant)})"


def _zone(name: object) -> str | None:
    text = str(name or "").strip()
    return text if text and text in time_zones() else None


def local_time(stored: object, zone: object, *fallbacks: str | None) -> LocalTime | None:
    """A stored local time (ISO, with an offset only for a repeated hour) in its zone;
    None when there is none or it cannot be read (a value from before validation)."""
    text = str(stored or "").strip()
    if not text:
        return None
    own = _zone(zone)
    read_in = own or next((z for z in map(_zone, fallbacks) if z), None)
    try:
        aware = dates.wall_clock(text, read_in)
    except (ValueError, KeyError, OSError):
        return None
    if aware.tzinfo is None:  # no zone anywhere: read as UTC, only to put it in order
        aware = aware.replace(tzinfo=dt.UTC)
    return LocalTime(
        wall=aware.replace(tzinfo=None, fold=0),
        zone=own,
        read_in=read_in,
        instant=aware.astimezone(dt.UTC),
    )


def day_text(day: dt.date) -> str:
    """'Thu, Mar 11': a day within a trip, as a day heading of the sheet says it."""
    return dates.short_day_time(dt.datetime.combine(day, dt.time())).rsplit(", ", 1)[0]


def room_words(room: str) -> str:
    """'room 1204'; 'Suite 1201' as written."""
    return f"room {room}" if room[:1].isdigit() else room


def span(later: dt.datetime, earlier: dt.datetime) -> str:
    """'1 h 20 min', '45 min', '2 days 3 h': how far apart two moments are."""
    minutes = int(abs((later - earlier).total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [counted(days, "day")] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes or not parts else []
    return " ".join(parts)


# -- the records ----------------------------------------------------------------------------


@dataclass
class Leg:
    id: int
    participant_id: int | None
    direction: str
    mode: str
    carrier: str
    number: str
    from_place: str
    to_place: str
    departs: LocalTime | None
    arrives: LocalTime | None
    departs_written: str  # as stored, for a time that could not be read
    arrives_written: str
    met_by: str  # the greeter's name (their contact's, when linked)
    met_by_phone: str
    transport: str
    hotel: str
    room: str
    notes: str

    @property
    def service(self) -> str:
        """'UA 875', 'Iberia', 'Train': what a greeter looks for on the board."""
        return self.number or self.carrier or label(TRAVEL_MODES, self.mode)

    @property
    def described(self) -> str:
        """'UA 875, United Airlines': the number with the carrier, when both."""
        if self.number and self.carrier and self.carrier not in self.number:
            return f"{self.number}, {self.carrier}"
        return self.service

    @property
    def when(self) -> LocalTime | None:
        """The time that places it in the day: a departure's take-off, else its landing."""
        return self.departs if self.direction == DEPARTURE else self.arrives

    @property
    def meeting(self) -> str:
        """'Tom Hayes (+1 503 555 0100)', with the transport after it."""
        greeter = self.met_by + (f" ({self.met_by_phone})" if self.met_by_phone else "")
        return "; ".join(p for p in (greeter, self.transport) if p)


@dataclass(frozen=True)
class Check:
    """Something to check about a traveler's travel, said in a sentence."""

    code: str  # late, tight, joins_late, leaves_early, no_arrival, no_departure, ...
    about: str  # IN, OUT
    text: str
    leg: int | None = None  # the leg it is about, if one


@dataclass
class Traveler:
    participant_id: int | None
    name: str
    native: str
    role: str  # the role's label
    side: str
    mobile: str
    role_code: str = ""
    arrivals: list[Leg] = field(default_factory=list)  # by landing time
    departures: list[Leg] = field(default_factory=list)  # by take-off time
    transfers: list[Leg] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    # Whether the legs are the delegation's (no leg of their own that way).
    arrives_with_group: bool = False
    departs_with_group: bool = False
    # Where they stay, from their way in (else their way out).
    hotel: str = ""
    room: str = ""

    @property
    def arrival(self) -> Leg | None:
        """The leg they are met off: their last way in."""
        return self.arrivals[-1] if self.arrivals else None

    @property
    def departure(self) -> Leg | None:
        """Their first way out: where they are taken."""
        return self.departures[0] if self.departures else None

    @property
    def named(self) -> str:
        """'Nakamura Daisuke (中村大輔)': the name a greeter's sign carries, and the
        person's own script beside it."""
        if self.native and self.native != self.name:
            return f"{self.name} ({self.native})"
        return self.name

    @property
    def named_with_role(self) -> str:
        """'Nakamura Daisuke (中村大輔), Principal'; the role left out where the name
        already says it ('Interpreter (agency booking)')."""
        if not self.role or self.role.casefold() in self.name.casefold():
            return self.named
        return f"{self.named}, {self.role}"

    def checks_about(self, about: str) -> list[Check]:
        return [c for c in self.checks if c.about == about]


@dataclass
class Pickup:
    """One line of the pickup sheet: a flight (or train, or car) and everyone on it, each
    with their own leg's greeter, transport, hotel and room."""

    leg: Leg  # the first traveler's: what the line says of the service
    travelers: list[Traveler]
    legs: list[Leg] = field(default_factory=list)  # each traveler's own, in step
    via: list[Leg] = field(default_factory=list)  # the earlier legs of the way in
    onward: list[Leg] = field(default_factory=list)  # the later legs of the way out
    checks: list[str] = field(default_factory=list)

    @property
    def when(self) -> LocalTime | None:
        return self.leg.when

    @property
    def for_everyone(self) -> bool:
        """Recorded once for the whole delegation."""
        return all(g.participant_id is None for g in self.legs)

    def greeters(self) -> list[tuple[str, str]]:
        """(name, phone) of each greeter, once each."""
        return list(dict.fromkeys((g.met_by, g.met_by_phone) for g in self.legs if g.met_by))

    def shared(self, value: str) -> list[str]:
        """A leg field ('transport', 'hotel') in lines: once when everyone's is the same;
        else each that is not the most travelers' with the names it is for, then the
        most travelers' for the others."""
        groups: dict[str, list[str]] = {}
        for traveler, leg in zip(self.travelers, self.legs, strict=True):
            groups.setdefault(str(getattr(leg, value)), []).append(traveler.name)
        if len(groups) == 1:
            only = next(iter(groups))
            return [only] if only else []
        ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
        main = ordered[0][0]
        lines = [f"{_names(names)}: {text}" for text, names in ordered[1:] if text]
        return [*lines, f"Others: {main}"] if main else lines


@dataclass
class Item:
    title: str
    starts: LocalTime


@dataclass
class TravelPlan:
    visit: dict[str, Any]
    home_zone: str | None
    travelers: list[Traveler]
    arrivals: list[Pickup]  # the pickup sheet, in the order of the day
    departures: list[Pickup]  # the runs back, in the order of the day
    items: list[Item]  # the program, in order
    notes: list[str]  # about the plan as a whole

    @property
    def incoming(self) -> bool:
        return sides.incoming(self.visit)

    @property
    def zone(self) -> str | None:
        return _zone(self.visit.get("time_zone"))

    @property
    def traveling(self) -> list[Traveler]:
        """The visiting side: those the sheet meets."""
        side = sides.visiting_side(self.visit)
        return [t for t in self.travelers if t.side == side]

    @property
    def checks(self) -> list[tuple[Traveler, Check]]:
        return [(t, c) for t in self.travelers for c in t.checks]


# -- reading ----------------------------------------------------------------------------------


def read(db: Database, visit_ref: int | str) -> TravelPlan:
    """A visit's travel as the pickup sheet and the packet show it (one read)."""
    visit_id = resolve_named(db, "visit", visit_ref)
    visit = fetch(db, "SELECT * FROM visits WHERE id = ?", (visit_id,))[0]
    city = fetch(db, "SELECT time_zone FROM city_profile LIMIT 1")
    home = _zone(city[0]["time_zone"]) if city else None
    legs = fetch(db, "SELECT * FROM travel_legs WHERE visit_id = ? ORDER BY id", (visit_id,))
    people = fetch(
        db,
        "SELECT p.id, p.visit_id, p.contact_id, p.name, p.side, p.role, c.given_name, "
        "c.family_name, c.name_order, c.name_native, c.mobile FROM visit_participants p "
        "LEFT JOIN contacts c ON c.id = p.contact_id WHERE p.visit_id = ? ORDER BY p.id",
        (visit_id,),
    )
    # A leg may name a member of another visit's delegation (typed by number): it is
    # still listed, under that person's name, and said to be astray.
    known = {p["id"] for p in people}
    strays = sorted({leg["participant_id"] for leg in legs} - known - {None})
    if strays:
        marks = ", ".join("?" * len(strays))
        people += fetch(
            db,
            "SELECT p.id, p.visit_id, p.contact_id, p.name, p.side, p.role, c.given_name, "
            "c.family_name, c.name_order, c.name_native, c.mobile FROM visit_participants p "
            f"LEFT JOIN contacts c ON c.id = p.contact_id WHERE p.id IN ({marks})",
            strays,
        )
    greeters = sorted({leg["met_by_contact_id"] for leg in legs if leg["met_by_contact_id"]})
    met: dict[int, dict[str, Any]] = {}
    if greeters:
        marks = ", ".join("?" * len(greeters))
        met = {
            row["id"]: row
            for row in fetch(
                db,
                "SELECT id, given_name, family_name, name_order, mobile, phone FROM contacts "
                f"WHERE id IN ({marks})",
                greeters,
            )
        }
    items = fetch(
        db,
        "SELECT title, starts_at, time_zone FROM itinerary_items WHERE visit_id = ? "
        "ORDER BY starts_at, id",
        (visit_id,),
    )
    return plan(visit, people, legs, items, home_zone=home, greeters=met)


def plan(
    visit: dict[str, Any],
    participants: list[dict[str, Any]],
    legs: list[dict[str, Any]],
    itinerary: list[dict[str, Any]],
    *,
    home_zone: str | None = None,
    greeters: dict[int, dict[str, Any]] | None = None,
) -> TravelPlan:
    """The plan from rows as stored: a visit, its delegation (each with its contact's
    name columns), its legs and its program items."""
    zone = _zone(visit.get("time_zone"))
    read_legs = [_leg(row, zone, home_zone, greeters or {}) for row in legs]
    items = sorted(
        (
            Item(str(row.get("title") or ""), starts)
            for row in itinerary
            if (starts := local_time(row.get("starts_at"), row.get("time_zone"), zone, home_zone))
        ),
        key=lambda i: i.starts.instant,
    )
    visiting = sides.visiting_side(visit)
    travelers: dict[int, Traveler] = {}
    for row in participants:
        travelers[row["id"]] = _traveler(row)
    own: dict[int, list[Leg]] = {}
    group: list[Leg] = []
    for leg in read_legs:
        if leg.participant_id is None or leg.participant_id not in travelers:
            group.append(leg)
        else:
            own.setdefault(leg.participant_id, []).append(leg)
    notes: list[str] = []
    astray = {row["id"] for row in participants if row.get("visit_id") != visit.get("id")}
    chosen = [
        t
        for pid, t in travelers.items()
        if (t.side == visiting and pid not in astray) or pid in own
    ]
    for traveler in chosen:
        mine = own.get(traveler.participant_id or -1, [])
        mine_in = [g for g in mine if g.direction == ARRIVAL]
        mine_out = [g for g in mine if g.direction == DEPARTURE]
        # The delegation's legs stand for those of the visiting side without their own.
        shared = group if traveler.side == visiting else []
        group_in = [g for g in shared if g.direction == ARRIVAL]
        group_out = [g for g in shared if g.direction == DEPARTURE]
        traveler.arrivals = list(mine_in or group_in)
        traveler.departures = list(mine_out or group_out)
        traveler.arrives_with_group = bool(traveler.arrivals) and not mine_in
        traveler.departs_with_group = bool(traveler.departures) and not mine_out
        traveler.transfers = [g for g in [*mine, *shared] if g.direction == TRANSFER]
        traveler.arrivals.sort(key=_landing)
        traveler.departures.sort(key=_take_off)
        traveler.transfers.sort(key=_landing)
        stay = next((g for g in (traveler.arrival, traveler.departure) if g and g.hotel), None)
        traveler.hotel = stay.hotel if stay else ""
        traveler.room = next(
            (g.room for g in (traveler.arrival, traveler.departure) if g and g.room), ""
        )
        if traveler.participant_id in astray:
            traveler.checks.append(
                Check("astray", IN, "is on another visit's delegation: check the traveler")
            )
    result = TravelPlan(
        visit=visit,
        home_zone=home_zone,
        travelers=chosen,
        arrivals=[],
        departures=[],
        items=items,
        notes=notes,
    )
    for traveler in chosen:
        traveler.checks += _checks(result, traveler)
    result.travelers.sort(key=_traveler_order)
    result.arrivals = _pickups(result, IN)
    result.departures = _pickups(result, OUT)
    notes += _plan_notes(result, group)
    return result


def _leg(
    row: dict[str, Any], zone: str | None, home: str | None, greeters: dict[int, dict[str, Any]]
) -> Leg:
    greeter = greeters.get(row.get("met_by_contact_id") or -1)
    met_by = person_name(greeter) if greeter else str(row.get("met_by") or "")
    phone = str((greeter or {}).get("mobile") or (greeter or {}).get("phone") or "")
    return Leg(
        id=int(row["id"]),
        participant_id=row.get("participant_id"),
        direction=str(row.get("direction") or ARRIVAL),
        mode=str(row.get("mode") or "air"),
        carrier=_text(row.get("carrier")),
        number=_text(row.get("number")),
        from_place=_text(row.get("from_place")),
        to_place=_text(row.get("to_place")),
        # Where a time's zone is missing it is most likely the visit's own place's.
        departs=local_time(row.get("departs_at"), row.get("departs_zone"), zone, home),
        arrives=local_time(row.get("arrives_at"), row.get("time_zone"), zone, home),
        departs_written=_text(row.get("departs_at")),
        arrives_written=_text(row.get("arrives_at")),
        met_by=met_by.strip(),
        met_by_phone=phone.strip(),
        transport=_text(row.get("transport")),
        hotel=_text(row.get("hotel")),
        room=_text(row.get("room")),
        notes=_text(row.get("notes")),
    )


def _text(value: object) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _traveler(row: dict[str, Any]) -> Traveler:
    name = person_name(row) if row.get("family_name") else ""
    return Traveler(
        participant_id=row["id"],
        name=name or _text(row.get("name")) or f"Delegation member #{row['id']}",
        native=_text(row.get("name_native")),
        role=label(PARTICIPANT_ROLES, row.get("role")),
        side=str(row.get("side") or ""),
        mobile=_text(row.get("mobile")),
        role_code=str(row.get("role") or ""),
    )


_NEVER = dt.datetime.max.replace(tzinfo=dt.UTC)


def _landing(leg: Leg) -> tuple[dt.datetime, int]:
    return (leg.arrives.instant if leg.arrives else _NEVER, leg.id)


def _take_off(leg: Leg) -> tuple[dt.datetime, int]:
    return (leg.departs.instant if leg.departs else _NEVER, leg.id)


def _traveler_order(t: Traveler) -> tuple[Any, ...]:
    leg = t.arrival
    landing = leg.arrives.instant if leg and leg.arrives else _NEVER
    return (landing, _ROLE_ORDER.get(t.role_code, 2), t.name.casefold())


# -- what to check -------------------------------------------------------------------------------


def _checks(p: TravelPlan, t: Traveler) -> list[Check]:
    out: list[Check] = []
    visit = p.visit
    travels = visit.get("mode") != "virtual"
    start = dates.stored_date(visit.get("start_date"))
    end = dates.stored_date(visit.get("end_date")) or start
    arrival, departure = t.arrival, t.departure
    if arrival is None and travels:
        out.append(Check("no_arrival", IN, "no arrival recorded"))
    if departure is None and travels:
        out.append(Check("no_departure", OUT, "no departure recorded"))
    for leg in [*t.arrivals, *t.transfers, *t.departures]:
        out += _leg_checks(leg, OUT if leg.direction == DEPARTURE else IN)
    if arrival is not None and arrival.arrives is not None:
        lands = arrival.arrives
        if start and lands.day < start - dt.timedelta(days=ASTRAY_DAYS):
            days = counted((start - lands.day).days, "day")
            text = f"lands {days} before the visit starts ({dates.month_day_year(start)})"
            out.append(Check("astray", IN, f"{text}: was the visit moved?", arrival.id))
        elif end and lands.day > end:
            text = f"lands after the visit ends ({dates.month_day_year(end)})"
            out.append(Check("astray", IN, f"{text}: was the visit moved?", arrival.id))
        else:
            out += _against_program(p, lands, arrival.id)
    if departure is not None and departure.departs is not None:
        leaves = departure.departs
        if start and leaves.day < start:
            text = f"leaves before the visit starts ({dates.month_day_year(start)})"
            out.append(Check("astray", OUT, f"{text}: was the visit moved?", departure.id))
        elif end and leaves.day > end + dt.timedelta(days=ASTRAY_DAYS):
            days = counted((leaves.day - end).days, "day")
            text = f"leaves {days} after the visit ends ({dates.month_day_year(end)})"
            out.append(Check("astray", OUT, f"{text}: was the visit moved?", departure.id))
        else:
            missed = [i for i in p.items if i.starts.instant > leaves.instant]
            if missed or (end and leaves.day < end):
                text = "leaves before the program ends"
                text += f": misses {counted(len(missed), 'program item')}" if missed else ""
                text += f" (the visit ends {dates.month_day_year(end)})" if end else ""
                out.append(Check("leaves_early", OUT, text, departure.id))
    return out


def _leg_checks(leg: Leg, about: str) -> list[Check]:
    out: list[Check] = []
    what = leg.service
    if leg.direction != DEPARTURE and leg.arrives is None:
        written = f" ('{leg.arrives_written}' cannot be read)" if leg.arrives_written else ""
        text = f"{what}: landing time not recorded{written}"
        out.append(Check("no_time", about, text, leg.id))
    if leg.direction == DEPARTURE and leg.departs is None:
        written = f" ('{leg.departs_written}' cannot be read)" if leg.departs_written else ""
        text = f"{what}: take-off time not recorded{written}"
        out.append(Check("no_time", about, text, leg.id))
    # The zone that places the leg in the day: an arrival's landing, a departure's
    # take-off. The other end's zone matters only to the check below.
    placed = leg.when
    if placed is not None and placed.zone is None:
        where = f"{dates.zone_city(placed.read_in)} time" if placed.read_in else "UTC"
        text = f"{what}: time zone not recorded; put in order as {where}"
        out.append(Check("no_zone", about, text, leg.id))
    if (
        leg.departs is not None
        and leg.arrives is not None
        and leg.departs.zone
        and leg.arrives.zone
        and leg.arrives.instant <= leg.departs.instant
    ):
        text = f"{what} lands before it takes off: check its times and time zones"
        out.append(Check("order", about, text, leg.id))
    return out


def _said_beside(moment: LocalTime, other: LocalTime) -> str:
    """'9:00 AM', or 'Fri, Mar 12, 9:00 AM' on another day, with the offset when the two
    clocks differ: a program time as said beside a landing time."""
    text = dates.clock(moment.wall)
    if moment.day != other.day:
        text = f"{day_text(moment.day)}, {text}"
    if moment.zone and moment.zone != other.zone:
        text += f" ({dates.utc_offset(moment.zone, moment.instant)})"
    return text


def _against_program(p: TravelPlan, lands: LocalTime, leg: int) -> list[Check]:
    """The checks of a landing against the program (see LATE_RULE)."""
    out: list[Check] = []
    if not p.items:
        return out
    first_day = p.items[0].starts.day
    if lands.day > first_day:
        missed = sum(1 for i in p.items if i.starts.instant < lands.instant)
        text = f"joins on day {(lands.day - first_day).days + 1} ({day_text(lands.day)})"
        text += f": misses {counted(missed, 'program item')}" if missed else ""
        out.append(Check("joins_late", IN, text, leg))
    expected = next((i for i in p.items if i.starts.day >= lands.day), None)
    if expected is None:
        return out
    gap = expected.starts.instant - lands.instant
    at = _said_beside(expected.starts, lands)
    if gap < dt.timedelta(0):
        text = f"lands {span(lands.instant, expected.starts.instant)} after “{expected.title}”"
        out.append(Check("late", IN, f"{text} starts at {at}", leg))
    elif gap < TIGHT:
        text = f"lands only {span(expected.starts.instant, lands.instant)} before"
        out.append(Check("tight", IN, f"{text} “{expected.title}” at {at}", leg))
    return out


def _plan_notes(p: TravelPlan, group: list[Leg]) -> list[str]:
    notes: list[str] = []
    visit = p.visit
    if visit.get("mode") == "virtual":
        notes.append("A virtual visit: nobody travels.")
    if visit.get("status") in ("cancelled", "declined"):
        notes.append(f"This visit was {visit['status']}.")
    if not p.items:
        notes.append("No program items yet: arrivals are not checked against the program.")
    used = {id(g) for t in p.travelers for g in [*t.arrivals, *t.departures, *t.transfers]}
    idle = [g.service for g in group if id(g) not in used and g.participant_id is None]
    if idle:
        # Most often a delegate's legs whose delegate was taken off the delegation.
        verb = "is" if len(idle) == 1 else "are"
        notes.append(
            f"{_names(dict.fromkeys(idle))} {verb} recorded for the whole delegation, but "
            "every member has a leg of their own that way: check whether "
            f"{'it still holds' if len(idle) == 1 else 'they still hold'}."
        )
    return notes


# -- the sheet ---------------------------------------------------------------------------------


def _key(leg: Leg) -> tuple[Any, ...]:
    """Legs that are one line of the sheet: the same service at the same time, between
    the same places."""
    when = leg.when
    return (
        leg.direction,
        leg.service.casefold(),
        when.instant if when else None,
        leg.from_place.casefold(),
        leg.to_place.casefold(),
    )


def _pickups(p: TravelPlan, about: str) -> list[Pickup]:
    rows: dict[tuple[Any, ...], Pickup] = {}
    for traveler in p.travelers:
        if about == IN:
            legs = [traveler.arrival] if traveler.arrival else []
            # A leg before the last is a connection, unless someone meets them there.
            legs += [g for g in traveler.arrivals[:-1] if g.met_by or g.transport]
            legs += traveler.transfers
        else:
            legs = [traveler.departure] if traveler.departure else []
        for leg in legs:
            if leg is None:
                continue
            key = _key(leg)
            row = rows.get(key)
            if row is None:
                via = (
                    [g for g in traveler.arrivals if g is not leg and _landing(g) < _landing(leg)]
                    if about == IN and leg.direction == ARRIVAL
                    else []
                )
                onward = traveler.departures[1:] if about == OUT else []
                row = rows[key] = Pickup(leg=leg, travelers=[], via=via, onward=onward)
            if traveler not in row.travelers:
                row.travelers.append(traveler)
                row.legs.append(leg)
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.when.instant if r.when else _NEVER, r.leg.service.casefold()),
    )
    for row in ordered:
        row.checks = _row_checks(row, about)
    return ordered


def _row_checks(row: Pickup, about: str) -> list[str]:
    """The row's travelers' checks about this way: one said once when all share it, else
    with the names of those it is about."""
    everyone = len(row.travelers)
    said: dict[str, list[str]] = {}
    for t, leg in zip(row.travelers, row.legs, strict=True):
        for check in t.checks_about(about):
            if check.leg == leg.id or (
                check.leg is None and check.code not in ("no_arrival", "no_departure")
            ):
                said.setdefault(check.text, []).append(t.name)
    out = []
    for text, names in said.items():
        out.append(text if len(names) == everyone else f"{_names(names)}: {text}")
    return out


def _names(names: Iterable[str]) -> str:
    listed = list(names)
    if len(listed) <= 2:
        return " and ".join(listed)
    return ", ".join(listed[:-1]) + ", and " + listed[-1]


def missing(p: TravelPlan, about: str) -> list[Traveler]:
    """Travelers with no way in (or out) recorded, for the foot of the sheet."""
    code = "no_arrival" if about == IN else "no_departure"
    return [t for t in p.travelers if any(c.code == code for c in t.checks)]


# -- the packet's logistics ------------------------------------------------------------------------


@dataclass(frozen=True)
class TravelRow:
    """One traveler's travel in a line of text per column, for any writer."""

    who: str
    role: str
    arrives: str
    departs: str
    hotel: str
    check: str


def leg_line(leg: Leg | None, *, way: str) -> str:
    """'UA 875 from Tokyo (NRT), Thu, Mar 11, 3:40 PM (UTC-8); met by Tom Hayes'."""
    if leg is None:
        return ""
    place = leg.from_place if way == IN else leg.to_place
    when = leg.arrives if way == IN else leg.departs
    if when is not None:
        moment = when.text()
    else:
        written = leg.arrives_written if way == IN else leg.departs_written
        moment = f"{written} (cannot be read)" if written else "time not recorded"
    where = f" {'from' if way == IN else 'to'} {place}" if place else ""
    line = f"{leg.described}{where}, {moment}"
    if way == IN and leg.meeting:
        line += f"; met by {leg.meeting}" if leg.met_by else f"; {leg.meeting}"
    elif way == OUT and leg.transport:
        line += f"; {leg.transport}"
    return line


def logistics_rows(p: TravelPlan) -> list[TravelRow]:
    """Each traveler's way in and out, hotel and room, and what to check: the packet's
    logistics table, one row per traveler in order of landing."""
    rows = []
    for t in p.travelers:
        arrival, departure = t.arrival, t.departure
        hotel, room = t.hotel, t.room
        rows.append(
            TravelRow(
                who=t.named,
                role=t.role,
                arrives=leg_line(arrival, way=IN)
                + (" (with the delegation)" if t.arrives_with_group else ""),
                departs=leg_line(departure, way=OUT)
                + (" (with the delegation)" if t.departs_with_group else ""),
                hotel=", ".join(x for x in (hotel, f"room {room}" if room else "") if x),
                check="; ".join(c.text for c in t.checks),
            )
        )
    return rows
