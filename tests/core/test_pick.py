"""Picking a linked record as a person types: closest to the record at hand first, any
word of the name, accents ignored, namesakes told apart; and time zones by any city or
country name."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from desk.core.features import pick
from desk.core.store import records
from desk.core.store.db import Database


@dataclass
class World:
    matsue: int
    freiburg: int
    kyoto: int
    earlier: int  # an earlier visit of the Matsue partnership
    visit: int  # the visit at hand
    people: dict[str, int]


def _contact(db: Database, given: str, family: str, **values: object) -> int:
    created = records.create(db, "contact", {"given_name": given, "family_name": family, **values})
    assert created.id is not None
    return created.id


@pytest.fixture
def world(db: Database) -> World:
    def org(name: str, country: str) -> int:
        created = records.create(db, "organisation", {"name": name, "country": country})
        assert created.id is not None
        return created.id

    matsue_hall = org("City of Matsue", "JP")
    freiburg_hall = org("City of Freiburg im Breisgau", "DE")
    chamber = org("Freiburg Chamber of Commerce", "DE")

    def partnership(name: str, country: str, **values: object) -> int:
        created = records.create(
            db,
            "partnership",
            {"partner_name": name, "country": country, "kind": "sister_city", **values},
        )
        assert created.id is not None
        return created.id

    matsue = partnership("Matsue", "JP", region="Shimane", partner_organisation_id=matsue_hall)
    freiburg = partnership("Freiburg im Breisgau", "DE")
    kyoto = partnership("Kyoto University", "JP", partner_level="other")
    people = {
        # Close to a visit to Matsue, each by another road:
        "Suzuki": _contact(db, "Shota", "Suzuki", organisation_id=matsue_hall, country="JP"),
        "Ito": _contact(db, "Yumi", "Ito", country="JP"),
        "Sato": _contact(db, "Daisuke", "Sato", country="JP"),
        # Five namesakes, told apart by job, organization and country:
        "Gross": _contact(
            db,
            "Sören",
            "Groß",
            job_title="Director of International Relations",
            organisation_id=freiburg_hall,
            country="DE",
        ),
        "Fischer": _contact(
            db,
            "Sören",
            "Fischer",
            job_title="Deputy Director, Economic Development",
            organisation_id=freiburg_hall,
            country="DE",
        ),
        "Kohler": _contact(
            db,
            "Sören",
            "Köhler",
            job_title="Program Manager",
            organisation_id=chamber,
            country="DE",
        ),
        "Weiss": _contact(db, "Sören", "Weiß", job_title="Professor", country="DE"),
        "Schafer": _contact(
            db, "Sören", "Schäfer", job_title="Vice President, International", country="AT"
        ),
        "Abe": _contact(db, "Aaron", "Abe", country="US"),
        "Saito": _contact(db, "Sakura", "Saito", country="JP"),
    }
    records.create(
        db, "partnership_contact", {"partnership_id": matsue, "contact_id": people["Ito"]}
    )
    earlier = records.create(
        db,
        "visit",
        {"title": "Matsue delegation 2019", "direction": "incoming", "partnership_id": matsue},
    ).id
    assert earlier is not None
    records.create(db, "participant", {"visit_id": earlier, "contact_id": people["Sato"]})
    visit = records.create(
        db,
        "visit",
        {"title": "Mission to Matsue", "direction": "outgoing", "partnership_id": matsue},
    ).id
    assert visit is not None
    return World(matsue, freiburg, kyoto, earlier, visit, people)


def _member(world: World) -> pick.AtHand:
    return pick.AtHand("participant", {"visit_id": world.visit}, "contact_id")


def test_a_delegation_member_is_offered_from_the_partnerships_people_first(
    db: Database, world: World
) -> None:
    found = pick.choices(db, "contact", "", _member(world))
    people = world.people
    close = {people["Suzuki"], people["Ito"], people["Sato"]}
    assert {c.id for c in found[:3]} == close
    assert all(c.close for c in found[:3]) and not any(c.close for c in found[3:])
    why = {c.id: c.why for c in found[:3]}
    assert why[people["Suzuki"]] == "Organization: City of Matsue"  # the partner's own
    assert why[people["Ito"]] == "Partnership: Matsue"  # linked to the partnership
    assert why[people["Sato"]] == "Partnership: Matsue"  # in an earlier delegation
    # The rest follow, the visit's country (Japan, from its partnership) first.
    assert found[3].id == people["Saito"]
    # Typed, the close ones that match still come first: "s" is Suzuki and Sato before
    # Saito and the five Sörens.
    typed = [c.id for c in pick.choices(db, "contact", "s", _member(world))]
    assert set(typed[:2]) == {people["Sato"], people["Suzuki"]}
    assert typed[2] == people["Saito"]


def test_without_a_record_at_hand_nothing_is_ranked_close(db: Database, world: World) -> None:
    found = pick.choices(db, "contact", "s")
    assert not any(c.close for c in found)
    assert world.people["Suzuki"] in {c.id for c in found}


def test_who_is_already_in_the_delegation_is_not_offered_first(db: Database, world: World) -> None:
    records.create(db, "participant", {"visit_id": world.visit, "contact_id": world.people["Ito"]})
    found = pick.choices(db, "contact", "", _member(world))
    assert world.people["Ito"] not in {c.id for c in found if c.close}
    # Still found when typed.
    assert world.people["Ito"] in {c.id for c in pick.choices(db, "contact", "ito", _member(world))}


def test_namesakes_are_told_apart_and_found_by_any_word_without_accents(
    db: Database, world: World
) -> None:
    found = pick.choices(db, "contact", "soren")
    assert [c.title for c in found] == [
        "Sören Fischer",
        "Sören Groß",
        "Sören Köhler",
        "Sören Schäfer",
        "Sören Weiß",
    ]
    contexts = [c.context for c in found]
    assert len(set(contexts)) == 5
    assert contexts[0] == (
        "Deputy Director, Economic Development · City of Freiburg im Breisgau · Germany"
    )
    assert contexts[2] == "Program Manager · Freiburg Chamber of Commerce · Germany"
    assert contexts[3] == "Vice President, International · Austria"
    # Any word, in any order, accents and ß folded.
    assert [c.title for c in pick.choices(db, "contact", "gross")] == ["Sören Groß"]
    assert [c.title for c in pick.choices(db, "contact", "kohler sor")] == ["Sören Köhler"]
    assert [c.title for c in pick.choices(db, "contact", "Weiss")] == ["Sören Weiß"]


def test_namesakes_with_nothing_else_between_them_are_told_apart_by_email(db: Database) -> None:
    for n in (1, 2):
        _contact(db, "Marcus", "Hayes", job_title="Former Mayor", email=f"hayes.{n}@example.org")
    found = pick.choices(db, "contact", "marcus")
    assert [c.context for c in found] == [
        "Former Mayor · hayes.1@example.org",
        "Former Mayor · hayes.2@example.org",
    ]


def test_a_visits_partnership_is_offered_from_its_country_first(db: Database, world: World) -> None:
    at_hand = pick.AtHand("visit", {"country": "JP"}, "partnership_id")
    found = [c.id for c in pick.choices(db, "partnership", "", at_hand)]
    assert set(found[:2]) == {world.matsue, world.kyoto}
    assert found[2] == world.freiburg
    german = pick.AtHand("visit", {"country": "DE"}, "partnership_id")
    assert pick.choices(db, "partnership", "", german)[0].id == world.freiburg


def test_a_picker_reads_no_whole_table(db: Database, world: World) -> None:
    """Every statement on a record table is limited or looks records up: at 100,000
    contacts nothing reads them all into Python."""
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        for text in ("", "s", "soren", "x y"):
            pick.choices(db, "contact", text, _member(world))
            pick.choices(db, "partnership", text, pick.AtHand("visit", {"country": "JP"}))
    finally:
        db.conn.set_trace_callback(None)
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert reads
    unbounded = [s for s in reads if " WHERE " not in s.upper() and " LIMIT " not in s.upper()]
    assert unbounded == []


def test_what_a_partnership_says_of_its_place(db: Database, world: World) -> None:
    place = pick.place_of(db, "partnership", world.matsue)
    assert (place.country, place.city, place.region) == ("JP", "Matsue", "Shimane")
    assert place.parts() == {"city": "Matsue", "region": "Shimane"}
    other = pick.place_of(db, "partnership", world.kyoto)
    assert other.city is None  # a university is not a city


# -- time zones -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cities() -> Iterator[pick.Cities]:
    yield pick.Cities(pick.city_lines())


def _zones(text: str, cities: pick.Cities | None = None, prefer: str | None = None) -> list[str]:
    return [c.zone for c in pick.zones(text, cities, prefer=prefer)]


def test_zones_are_found_by_their_city_or_country_without_the_gazetteer() -> None:
    assert _zones("Los Ang")[0] == "America/Los_Angeles"
    assert _zones("tokyo")[0] == "Asia/Tokyo"
    assert _zones("Japan")[0] == "Asia/Tokyo"
    assert _zones("New York")[0] == "America/New_York"
    assert _zones("Paris")[0] == "Europe/Paris"
    assert _zones("asia/tok") == ["Asia/Tokyo"]
    # A country's zones, most populous first.
    assert _zones("united states")[:3] == [
        "America/New_York",
        "America/Detroit",
        "America/Kentucky/Louisville",
    ]
    # The country named comes before a zone that only has its name in it.
    assert _zones("spain") == [
        "Europe/Madrid",
        "Africa/Ceuta",
        "Atlantic/Canary",
        "America/Port_of_Spain",
    ]
    # Nothing typed: the zones of the record's country.
    assert _zones("", prefer="ES")[0] == "Europe/Madrid"


def test_a_zone_is_shown_with_its_place_and_offset_now() -> None:
    tokyo = pick.zones("tokyo")[0]
    assert tokyo.text == "Asia/Tokyo — Tokyo, Japan (UTC+9)"
    assert pick.zones("Los Ang")[0].text.startswith(
        "America/Los_Angeles — Los Angeles, United States (UTC-"
    )


def test_zones_are_found_by_any_city_of_the_gazetteer(cities: pick.Cities) -> None:
    valencia = _zones("Valencia", cities)
    assert {"Europe/Madrid", "America/Caracas"} <= set(valencia[:3])
    # The record's country first: a visit to Spain finds Spain's Valencia first.
    assert _zones("valencia", cities, prefer="ES")[0] == "Europe/Madrid"
    assert _zones("osaka", cities) == ["Asia/Tokyo"]
    assert pick.zones("kobe", cities)[0].place == "Kobe, Hyogo, Japan"
    # One line a zone: Paris is Paris, not each arrondissement of it.
    paris = pick.zones("Paris", cities)
    assert [c.zone for c in paris].count("Europe/Paris") == 1


def test_a_places_time_zone(cities: pick.Cities) -> None:
    place = pick.Place
    assert pick.zone_for(place("JP", "Matsue"), None) == "Asia/Tokyo"  # one zone: no lookup
    assert pick.zone_for(place("MX", "Guadalajara"), None) is None  # needs the cities
    assert pick.zone_for(place("MX", "Guadalajara"), cities) == "America/Mexico_City"
    assert pick.zone_for(place("ES", "València"), cities) == "Europe/Madrid"
    assert pick.zone_for(place("MX", None, "Jalisco", "region"), None) == "America/Mexico_City"
    assert pick.zone_for(place("US", "Portland"), cities) == "America/Los_Angeles"
    assert pick.zone_for(place(None, "Portland"), cities) is None
    assert cities.zone_of("Nowhere At All", "US") is None


def test_a_country_as_offices_name_it_finds_its_zones_first() -> None:
    """'Korea' is South Korea, 'UAE' the Emirates; a zone's old alias ('Japan') is not
    offered beside the zone it stands for."""
    assert _zones("Korea")[0] == "Asia/Seoul"
    assert _zones("UAE")[0] == "Asia/Dubai"
    assert _zones("Japan") == ["Asia/Tokyo"]
    assert _zones("Zulu") == ["Etc/Zulu", "Zulu"]  # an old name alone is still found
