"""Demo travel: each delegate's flights, trains and cars to and from a visit, as a protocol
office records them, with the usual loose ends (a delegate who lands after the first
meeting, one who leaves early, one whose flight is not in yet).

Times come from real journeys' shapes: each leg's take-off and landing in its own
airport's zone, worked out from one landing time and the legs' durations, so flights
over the date line land "before" they take off, as they do. Nothing here draws on the
builder's random numbers: adding travel never changes the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from desk.core.demo.base import HOME_TZ, BuilderBase
from desk.core.domain import dates

_LA = HOME_TZ

# Where legs start and end: the name a greeter reads on the board, and its zone.
PLACES: dict[str, tuple[str, str]] = {
    "PDX": ("Portland (PDX)", _LA),
    "SEA": ("Seattle (SEA)", _LA),
    "SFO": ("San Francisco (SFO)", _LA),
    "JFK": ("New York (JFK)", "America/New_York"),
    "EWR": ("Newark (EWR)", "America/New_York"),
    "ORD": ("Chicago O'Hare (ORD)", "America/Chicago"),
    "IAH": ("Houston (IAH)", "America/Chicago"),
    "IZO": ("Izumo (IZO)", "Asia/Tokyo"),
    "HND": ("Tokyo Haneda (HND)", "Asia/Tokyo"),
    "KIX": ("Osaka Kansai (KIX)", "Asia/Tokyo"),
    "Kyoto": ("Kyoto Station", "Asia/Tokyo"),
    "PVG": ("Shanghai Pudong (PVG)", "Asia/Shanghai"),
    "Suzhou": ("Suzhou", "Asia/Shanghai"),
    "ICN": ("Seoul Incheon (ICN)", "Asia/Seoul"),
    "Jeonju": ("Jeonju Express Bus Terminal", "Asia/Seoul"),
    "TPE": ("Taipei Taoyuan (TPE)", "Asia/Taipei"),
    "Tainan": ("Tainan HSR Station", "Asia/Taipei"),
    "Taoyuan HSR": ("Taoyuan HSR Station", "Asia/Taipei"),
    "DAD": ("Da Nang (DAD)", "Asia/Ho_Chi_Minh"),
    "IKT": ("Irkutsk (IKT)", "Asia/Irkutsk"),
    "SVO": ("Moscow Sheremetyevo (SVO)", "Europe/Moscow"),
    "IST": ("Istanbul (IST)", "Europe/Istanbul"),
    "Alexandria": ("Alexandria", "Africa/Cairo"),
    "CAI": ("Cairo (CAI)", "Africa/Cairo"),
    "FEZ": ("Fez (FEZ)", "Africa/Casablanca"),
    "CMN": ("Casablanca (CMN)", "Africa/Casablanca"),
    "Sharjah": ("Sharjah", "Asia/Dubai"),
    "DXB": ("Dubai (DXB)", "Asia/Dubai"),
    "GDL": ("Guadalajara (GDL)", "America/Mexico_City"),
    "VLC": ("València (VLC)", "Europe/Madrid"),
    "AMS": ("Amsterdam (AMS)", "Europe/Amsterdam"),
    "CWB": ("Curitiba (CWB)", "America/Sao_Paulo"),
    "GRU": ("São Paulo Guarulhos (GRU)", "America/Sao_Paulo"),
    "OPO": ("Porto (OPO)", "Europe/Lisbon"),
    "Freiburg": ("Freiburg (Breisgau) Hbf", "Europe/Berlin"),
    "FRA": ("Frankfurt (FRA)", "Europe/Berlin"),
    "NTE": ("Nantes (NTE)", "Europe/Paris"),
    "CDG": ("Paris Charles de Gaulle (CDG)", "Europe/Paris"),
    "Saint-Louis": ("Saint-Louis", "Africa/Dakar"),
    "DSS": ("Dakar (DSS)", "Africa/Dakar"),
    "Lviv": ("Lviv", "Europe/Kyiv"),
    "RZE": ("Rzeszów (RZE)", "Europe/Warsaw"),
    "WAW": ("Warsaw (WAW)", "Europe/Warsaw"),
}

# (mode, carrier, number, from, to, minutes): each partner's way to Portland. The way
# back runs the other way, on the return numbers.
_Leg = tuple[str, str, str, str, str, int]
_ALASKA_SEA = ("air", "Alaska Airlines", "AS 2360", "SEA", "PDX", 55)
_JFK = ("air", "Delta Air Lines", "DL 1277", "JFK", "PDX", 390)
ROUTES: dict[str, list[_Leg]] = {
    "Matsue": [
        ("air", "Japan Airlines", "JL 276", "IZO", "HND", 85),
        ("air", "Delta Air Lines", "DL 166", "HND", "SEA", 545),
        _ALASKA_SEA,
    ],
    "Kyoto University": [
        ("rail", "JR West", "Haruka 30", "Kyoto", "KIX", 80),
        ("air", "United Airlines", "UA 34", "KIX", "SFO", 610),
        ("air", "United Airlines", "UA 2271", "SFO", "PDX", 110),
    ],
    "Suzhou": [
        ("road", "Hired car", "", "Suzhou", "PVG", 110),
        ("air", "Delta Air Lines", "DL 128", "PVG", "SEA", 660),
        _ALASKA_SEA,
    ],
    "Jeonju": [
        ("road", "Airport limousine bus", "", "Jeonju", "ICN", 225),
        ("air", "Korean Air", "KE 41", "ICN", "SEA", 595),
        ("air", "Alaska Airlines", "AS 2382", "SEA", "PDX", 55),
    ],
    "Tainan": [
        ("rail", "Taiwan High Speed Rail", "THSR 612", "Tainan", "Taoyuan HSR", 105),
        ("air", "EVA Air", "BR 26", "TPE", "SEA", 650),
        _ALASKA_SEA,
    ],
    "Da Nang": [
        ("air", "Korean Air", "KE 458", "DAD", "ICN", 280),
        ("air", "Korean Air", "KE 41", "ICN", "SEA", 595),
        ("air", "Alaska Airlines", "AS 2382", "SEA", "PDX", 55),
    ],
    "Irkutsk": [
        ("air", "Aeroflot", "SU 1481", "IKT", "SVO", 370),
        ("air", "Turkish Airlines", "TK 414", "SVO", "IST", 245),
        ("air", "Turkish Airlines", "TK 203", "IST", "SEA", 700),
        _ALASKA_SEA,
    ],
    "Alexandria": [
        ("road", "Hired car", "", "Alexandria", "CAI", 200),
        ("air", "EgyptAir", "MS 985", "CAI", "JFK", 740),
        _JFK,
    ],
    "Fez": [
        ("air", "Royal Air Maroc", "AT 401", "FEZ", "CMN", 60),
        ("air", "Royal Air Maroc", "AT 200", "CMN", "JFK", 480),
        _JFK,
    ],
    "Sharjah": [
        ("road", "Hired car", "", "Sharjah", "DXB", 40),
        ("air", "Emirates", "EK 229", "DXB", "SEA", 870),
        _ALASKA_SEA,
    ],
    "Guadalajara": [("air", "Volaris", "Y4 880", "GDL", "PDX", 255)],
    "Jalisco": [("air", "Volaris", "Y4 880", "GDL", "PDX", 255)],
    "València": [
        ("air", "KLM", "KL 1508", "VLC", "AMS", 165),
        ("air", "Delta Air Lines", "DL 179", "AMS", "PDX", 640),
    ],
    "Curitiba": [
        ("air", "LATAM", "LA 3305", "CWB", "GRU", 65),
        ("air", "United Airlines", "UA 62", "GRU", "IAH", 610),
        ("air", "United Airlines", "UA 1480", "IAH", "PDX", 285),
    ],
    "Porto": [
        ("air", "United Airlines", "UA 121", "OPO", "EWR", 490),
        ("air", "United Airlines", "UA 1190", "EWR", "PDX", 385),
    ],
    "Freiburg im Breisgau": [
        ("rail", "Deutsche Bahn", "ICE 278", "Freiburg", "FRA", 125),
        ("air", "Lufthansa", "LH 490", "FRA", "SEA", 630),
        _ALASKA_SEA,
    ],
    "Nantes": [
        ("air", "Air France", "AF 7725", "NTE", "CDG", 75),
        ("air", "Air France", "AF 338", "CDG", "SEA", 640),
        ("air", "Alaska Airlines", "AS 2364", "SEA", "PDX", 55),
    ],
    "Saint-Louis": [
        ("road", "Hired car", "", "Saint-Louis", "DSS", 240),
        ("air", "Delta Air Lines", "DL 201", "DSS", "JFK", 510),
        _JFK,
    ],
    "Lviv": [
        ("road", "Hired car", "", "Lviv", "RZE", 210),
        ("air", "LOT Polish Airlines", "LO 3902", "RZE", "WAW", 60),
        ("air", "LOT Polish Airlines", "LO 3", "WAW", "ORD", 600),
        ("air", "United Airlines", "UA 1520", "ORD", "PDX", 285),
    ],
}
# Minutes between one leg's landing and the next's take-off: a flight connection, and
# the check-in a long-haul flight asks of someone coming by train or car.
_CONNECTION = 110
_TO_CHECK_IN = 150

# Landing times (hour, minute) for the main party, the day before the visit starts, and
# take-off times the day after it ends.
_LANDINGS = [(13, 5), (15, 40), (17, 25), (11, 50), (16, 10)]
_TAKE_OFFS = [(10, 15), (12, 40), (8, 55), (14, 20)]
_FIRST_ITEM = dt.time(9, 0)  # the demo's program opens at 9:00 AM on its first day


def _return_number(number: str) -> str:
    """The way back's number: one more than the way out's, as airlines pair them."""
    found = re.search(r"(\d+)$", number)
    if not found:
        return number
    return number[: found.start()] + str(int(found.group(1)) + 1)


def _back(route: list[_Leg]) -> list[_Leg]:
    return [
        (mode, carrier, _return_number(number), to, start, minutes)
        for mode, carrier, number, start, to, minutes in reversed(route)
    ]


def _stored(moment: dt.datetime, zone: str) -> str:
    """A moment as desk stores a local time: the wall clock, with the offset only in the
    hour a clock change repeats."""
    local = moment.astimezone(ZoneInfo(zone))
    wall = local.replace(tzinfo=None)
    text = wall.strftime("%Y-%m-%dT%H:%M")
    if len(dates.moments_at(wall, zone)) > 1:
        text += dates.offset_text(local.utcoffset())
    return text


def _gap(earlier: str, later: str) -> int:
    """Minutes between two legs (by their modes): longer where a car or a train meets a
    flight."""
    return _TO_CHECK_IN if earlier != later and "air" in (earlier, later) else _CONNECTION


def _timed(
    route: list[_Leg], *, lands: dt.datetime | None = None, leaves: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """The route's legs with their times: worked back from the last landing, or forward
    from the first take-off (aware moments)."""
    timed: list[tuple[_Leg, dt.datetime, dt.datetime]] = []
    if lands is not None:
        for leg in reversed(route):
            if timed:
                later = timed[0]
                arrive = later[1] - dt.timedelta(minutes=_gap(leg[0], later[0][0]))
            else:
                arrive = lands
            timed.insert(0, (leg, arrive - dt.timedelta(minutes=leg[5]), arrive))
    else:
        assert leaves is not None
        for leg in route:
            if timed:
                earlier = timed[-1]
                depart = earlier[2] + dt.timedelta(minutes=_gap(earlier[0][0], leg[0]))
            else:
                depart = leaves
            timed.append((leg, depart, depart + dt.timedelta(minutes=leg[5])))
    out = []
    for (mode, carrier, number, start, to, _minutes), depart, arrive in timed:
        start_name, start_zone = PLACES[start]
        to_name, to_zone = PLACES[to]
        out.append(
            {
                "mode": mode,
                "carrier": carrier,
                "number": number or None,
                "from_place": start_name,
                "to_place": to_name,
                "departs_at": _stored(depart, start_zone),
                "departs_zone": start_zone,
                "arrives_at": _stored(arrive, to_zone),
                "time_zone": to_zone,
            }
        )
    return out


class TravelMixin(BuilderBase):
    def _travel(self) -> None:
        """Legs for every visit that happens in person and is settled enough to book."""
        partners = {p["partnership"]: p for p in self.partners if p.get("partnership")}
        delegations: dict[int, list[dict[str, Any]]] = {}
        for row in self.rows["visit_participants"]:
            delegations.setdefault(row["visit_id"], []).append(row)
        for n, visit in enumerate(self.rows["visits"]):
            partner = partners.get(visit.get("partnership_id"))
            route = ROUTES.get(partner["name"]) if partner else None
            if (
                route is None
                or visit.get("mode") == "virtual"
                or visit.get("status") in ("requested", "declined", "cancelled")
            ):
                continue
            self._visit_travel(n, visit, partner or {}, route, delegations.get(visit["id"], []))

    def _visit_travel(
        self,
        n: int,
        visit: dict[str, Any],
        partner: dict[str, Any],
        route: list[_Leg],
        delegation: list[dict[str, Any]],
    ) -> None:
        incoming = visit["direction"] == "incoming"
        side = "theirs" if incoming else "ours"
        travelers = [p for p in delegation if p["side"] == side]
        if not incoming:
            # The agency's interpreter is hired there: their travel is not the office's.
            travelers = [p for p in travelers if p.get("role") != "interpreter"]
        if visit.get("status") == "planned":
            # Only the principal's flights are booked this early.
            travelers = [p for p in travelers if p.get("role") == "principal"]
        if not travelers:
            return
        start = dt.date.fromisoformat(visit["start_date"])
        end = dt.date.fromisoformat(visit["end_date"])
        there = PLACES[route[0][3]][1]
        way_in = route if incoming else _back(route)
        way_out = _back(route) if incoming else route
        landing_zone = _LA if incoming else there
        leaving_zone = _LA if incoming else there
        hour, minute = _LANDINGS[n % len(_LANDINGS)]
        lands = dt.datetime.combine(
            start - dt.timedelta(days=1), dt.time(hour, minute), ZoneInfo(landing_zone)
        )
        hour, minute = _TAKE_OFFS[n % len(_TAKE_OFFS)]
        leaves = dt.datetime.combine(
            end + dt.timedelta(days=1), dt.time(hour, minute), ZoneInfo(leaving_zone)
        )
        main_in = _timed(way_in, lands=lands)
        main_out = _timed(way_out, leaves=leaves)
        hotel = visit.get("lodging") if visit.get("lodging") else None
        # The loose ends a real office has, one kind per visit in turn.
        twist = n % 5
        extra = next(
            (p for p in reversed(travelers) if p.get("role") == "delegate"),
            next((p for p in reversed(travelers) if p.get("role") != "principal"), None),
        )
        group_departure = twist == 3 and len(travelers) > 1
        for k, person in enumerate(travelers):
            principal = person.get("role") == "principal"
            if person is extra and twist == 2:
                continue  # their booking has not come through yet
            legs_in = main_in
            if person is extra and twist == 0:
                # On the first morning's flight: lands after the opening meeting.
                late = dt.datetime.combine(start, _FIRST_ITEM, ZoneInfo(landing_zone))
                legs_in = _timed(way_in, lands=late + dt.timedelta(minutes=105))
            # The hosts meet the last flight; a car or train on from the airport is theirs.
            flights = [i for i, leg in enumerate(legs_in) if leg["mode"] == "air"]
            met = flights[-1] if flights and not incoming else len(legs_in) - 1
            for index, leg in enumerate(legs_in):
                last = index == len(legs_in) - 1
                self.add(
                    "travel_leg",
                    visit_id=visit["id"],
                    participant_id=person["id"],
                    direction="arrival",
                    **leg,
                    **(self._met(partner, principal, incoming) if index == met else {}),
                    hotel=hotel if last else None,
                    room=(
                        (f"Suite {1201 + n % 3}" if principal else str(1204 + 2 * k + n % 7))
                        if last and incoming
                        else None
                    ),
                )
            if group_departure:
                continue
            legs_out = main_out
            if person is extra and twist == 1:
                # Called home a day early: leaves before the farewell.
                early = dt.datetime.combine(end, dt.time(13, 30), ZoneInfo(leaving_zone))
                legs_out = _timed(way_out, leaves=early)
            for index, leg in enumerate(legs_out):
                self.add(
                    "travel_leg",
                    visit_id=visit["id"],
                    participant_id=person["id"],
                    direction="departure",
                    **leg,
                    **(self._taken(leg, incoming) if index == 0 else {}),
                )
        if group_departure:
            # Booked as a group: one record for the whole delegation's way home.
            for index, leg in enumerate(main_out):
                self.add(
                    "travel_leg",
                    visit_id=visit["id"],
                    participant_id=None,
                    direction="departure",
                    **leg,
                    **(self._taken(leg, incoming) if index == 0 else {}),
                    notes="Group booking through the delegation's travel agent.",
                )

    def _met(self, partner: dict[str, Any], principal: bool, incoming: bool) -> dict[str, Any]:
        """Who meets the last leg, and how the traveler gets on from there."""
        if incoming:
            return {
                "met_by_contact_id": self.our_protocol,
                "transport": (
                    "City car and driver at the curb, door 4; police escort to the hotel"
                    if principal
                    else "City van, baggage claim 6"
                ),
            }
        return {
            "met_by_contact_id": partner.get("director"),
            "transport": f"Car from the {partner.get('name', 'partner')} protocol office",
        }

    def _taken(self, leg: dict[str, Any], incoming: bool) -> dict[str, Any]:
        """How the traveler gets to their first leg home: picked up at the hotel three
        hours before a flight that starts a long journey, an hour before a train."""
        ahead = dt.timedelta(hours=3 if leg["mode"] == "air" else 1)
        wall = dates.stored_wall(leg["departs_at"]) - ahead
        pickup = dates.clock(wall)
        if incoming:
            return {
                "met_by_contact_id": self.our_protocol,
                "transport": f"City van from the hotel at {pickup}",
            }
        return {"transport": f"Hosts' car from the hotel at {pickup}"}
