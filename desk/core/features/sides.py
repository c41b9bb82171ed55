"""Who hosts whom, and where a visit happens.

A visit has two sides: the visiting side, led by the visit's principal, and the hosting
side, led by its host. An incoming delegation is theirs visiting us, here; an outgoing
mission is ours visiting them, there. The visit's own city and country are the partner's
place either way (where the guests come from, or where our mission goes), so every
document and screen asks here what the place and the sides are rather than reading the
visit's `city` as "where".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desk.core.reference.countries import country_name

OURS, THEIRS = "ours", "theirs"
HOME_COUNTRY = "US"

# The role that leads each side, in order of preference: the visiting side is led by its
# principal, the hosting side by its host (a principal on the hosting side also leads it).
_LEADING_ROLES = {True: ("principal", "host"), False: ("host", "principal")}


def incoming(visit: Mapping[str, Any]) -> bool:
    return visit.get("direction") == "incoming"


def visiting_side(visit: Mapping[str, Any]) -> str:
    return THEIRS if incoming(visit) else OURS


def hosting_side(visit: Mapping[str, Any]) -> str:
    return OURS if incoming(visit) else THEIRS


def partner_place(visit: Mapping[str, Any]) -> str:
    """The partner's city and country as the visit records them: 'València, Spain'."""
    country = country_name(visit.get("country")) if visit.get("country") else ""
    return ", ".join(p for p in (visit.get("city"), country) if p)


def home_place(city: Mapping[str, Any]) -> str:
    """Our city with its state: 'Port Meridian, Oregon'."""
    return ", ".join(str(p) for p in (city.get("name"), city.get("state")) if p)


def venue(visit: Mapping[str, Any], city: Mapping[str, Any]) -> str:
    """Where the visit happens: our city for a delegation here, theirs for a mission."""
    return home_place(city) if incoming(visit) else partner_place(visit)


def venue_with_country(visit: Mapping[str, Any], city: Mapping[str, Any]) -> str:
    """The venue with its country, for a calendar read anywhere in the world."""
    if not incoming(visit):
        return partner_place(visit)
    here = home_place(city)
    return f"{here}, {country_name(HOME_COUNTRY)}" if here else ""


def origin(visit: Mapping[str, Any], city: Mapping[str, Any]) -> str:
    """Where the visiting side comes from."""
    return partner_place(visit) if incoming(visit) else home_place(city)


def place_phrase(visit: Mapping[str, Any]) -> str:
    """The partner's place as a phrase that says which way: 'from València, Spain' for a
    delegation, 'to Kobe, Japan' for a mission."""
    place = partner_place(visit)
    if not place:
        return ""
    return f"from {place}" if incoming(visit) else f"to {place}"


@dataclass(frozen=True)
class Side:
    key: str  # OURS or THEIRS
    visiting: bool
    people: list[dict[str, Any]]
    lead: dict[str, Any] | None  # the participant who leads, if any is listed
    # The lead as the visit names them when no participant is listed as leading.
    named_lead: str

    @property
    def role(self) -> str:
        """What the lead is to the visit: 'principal' for the visiting side, 'host' for
        the hosting side, whatever the participant's own role says."""
        return "principal" if self.visiting else "host"


def sides(visit: Mapping[str, Any], participants: list[dict[str, Any]]) -> tuple[Side, Side]:
    """Our side and their side, each with its people and its lead."""
    out = []
    for key in (OURS, THEIRS):
        visiting = key == visiting_side(visit)
        people = [p for p in participants if (p.get("side") or THEIRS) == key]
        lead = None
        for role in _LEADING_ROLES[visiting]:
            lead = next((p for p in people if p.get("role") == role), None)
            if lead:
                break
        named = str(visit.get("principal" if visiting else "host") or "").strip()
        out.append(Side(key, visiting, people, lead, named))
    return out[0], out[1]


def side_of(
    contact: Mapping[str, Any], organisation: Mapping[str, Any] | None = None
) -> str | None:
    """The side a person is likely on when added to a delegation: ours for someone of
    this country (the city's own staff, a company of ours on the mission), theirs for
    someone of another; None when neither they nor their organization say a country."""
    country = str(contact.get("country") or (organisation or {}).get("country") or "").upper()
    if not country:
        return None
    return OURS if country == HOME_COUNTRY else THEIRS
