"""Each delegate's travel for a visit: legs in the airport's own time, the pickup sheet's
lines in the order of the day, and what to check (a delegate who lands after their first
meeting, no flight recorded, a time without its zone, legs left behind by a moved visit,
a partial departure), from the sparse to the messy and the large."""

from __future__ import annotations

import csv
import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.domain.types.cleaning import clean_datetime
from desk.core.errors import ValidationError
from desk.core.features import travel
from desk.core.store import records
from desk.core.store.db import Database, open_database

LA = "America/Los_Angeles"


def _visit(db: Database, direction: str = "incoming", **values: Any) -> int:
    records.create(
        db,
        "city",
        {"name": "Port Meridian", "state": "Oregon", "time_zone": LA},
    )
    return records.create(
        db,
        "visit",
        {
            "title": "Delegation from Matsue" if direction == "incoming" else "Mission to Matsue",
            "direction": direction,
            "country": "JP",
            "city": "Matsue",
            "time_zone": LA if direction == "incoming" else "Asia/Tokyo",
            "start_date": "2027-03-11",
            "end_date": "2027-03-13",
            **values,
        },
    ).id


def _program(db: Database, visit: int, zone: str = LA) -> None:
    for day, hour, title in (
        (11, 9, "Courtesy call on Mayor Okafor"),
        (11, 19, "Welcome dinner"),
        (12, 9, "Working session: port and trade"),
        (13, 10, "Site visit"),
        (13, 18, "Farewell reception"),
    ):
        records.create(
            db,
            "itinerary_item",
            {
                "visit_id": visit,
                "title": title,
                "starts_at": f"2027-03-{day}T{hour:02d}:00",
                "time_zone": zone,
            },
        )


def _person(
    db: Database, visit: int, side: str = "theirs", role: str = "delegate", **c: Any
) -> int:
    contact = records.create(db, "contact", {"family_name": "Sato", **c}).id
    return records.create(
        db, "participant", {"visit_id": visit, "contact_id": contact, "side": side, "role": role}
    ).id


def _leg(db: Database, visit: int, who: int | None, **values: Any) -> int:
    return records.create(db, "travel_leg", {"visit_id": visit, "participant_id": who, **values}).id


def _arrive(db: Database, visit: int, who: int | None, at: str, **values: Any) -> int:
    return _leg(
        db,
        visit,
        who,
        **{
            "direction": "arrival",
            "carrier": "Alaska Airlines",
            "number": "AS 2360",
            "from_place": "Seattle (SEA)",
            "to_place": "Portland (PDX)",
            "departs_at": dt.datetime.fromisoformat(at) - dt.timedelta(minutes=55),
            "departs_zone": LA,
            "arrives_at": at,
            "time_zone": LA,
            **values,
        },
    )


def _leave(db: Database, visit: int, who: int | None, at: str, **values: Any) -> int:
    return _leg(
        db,
        visit,
        who,
        **{
            "direction": "departure",
            "number": "AS 2361",
            "from_place": "Portland (PDX)",
            "to_place": "Seattle (SEA)",
            "departs_at": at,
            "departs_zone": LA,
            **values,
        },
    )


def _codes(plan: travel.TravelPlan, name: str) -> list[str]:
    who = next(t for t in plan.travelers if t.name == name)
    return [c.code for c in who.checks]


def test_a_flight_over_the_date_line_lands_before_it_takes_off_and_is_ordered_by_the_moment(
    db: Database,
) -> None:
    visit = _visit(db)
    _program(db, visit)
    early = _person(db, visit, given_name="Yumi", family_name="Ito", name_order="family_first")
    late = _person(db, visit, given_name="Taro", family_name="Kobayashi")
    # Tokyo 5:00 PM Wednesday -> Seattle 9:50 AM the same Wednesday, by the wall clocks.
    _leg(
        db,
        visit,
        early,
        direction="arrival",
        number="DL 166",
        from_place="Tokyo Haneda (HND)",
        to_place="Seattle (SEA)",
        departs_at="2027-03-10 17:00",
        departs_zone="Asia/Tokyo",
        arrives_at="2027-03-10 09:50",
        time_zone=LA,
    )
    # Written earlier in the day, but later as a moment: Honolulu is three hours behind.
    _arrive(db, visit, late, "2027-03-10T08:30", time_zone="Pacific/Honolulu")
    plan = travel.read(db, visit)
    assert [r.leg.service for r in plan.arrivals] == ["DL 166", "AS 2360"]
    assert plan.arrivals[0].when is not None
    assert plan.arrivals[0].when.text() == "Wed, Mar 10, 9:50 AM (UTC-8)"
    assert plan.arrivals[1].when is not None
    assert plan.arrivals[1].when.text() == "Wed, Mar 10, 8:30 AM (UTC-10)"
    leg = plan.arrivals[0].leg
    assert leg.departs is not None and leg.departs.text() == "Wed, Mar 10, 5:00 PM (UTC+9)"
    assert "order" not in _codes(plan, "Ito Yumi")  # it lands eight hours after take-off
    assert [t.name for t in plan.travelers] == ["Ito Yumi", "Taro Kobayashi"]


def test_a_leg_that_lands_before_it_takes_off_in_its_zones_time_is_flagged(db: Database) -> None:
    visit = _visit(db)
    who = _person(db, visit, given_name="Ken")
    _arrive(
        db,
        visit,
        who,
        "2027-03-10T09:50",
        departs_at="2027-03-10 17:00",
        departs_zone="America/New_York",
    )
    assert "order" in _codes(travel.read(db, visit), "Ken Sato")


def test_landing_after_the_first_item_of_that_day_is_flagged_and_the_rule_is_said(
    db: Database,
) -> None:
    visit = _visit(db)
    _program(db, visit)
    people = {
        name: _person(db, visit, given_name=name)
        for name in ("Eve", "Early", "Tight", "Late", "Second")
    }
    _arrive(db, visit, people["Eve"], "2027-03-10T15:40")
    _arrive(db, visit, people["Early"], "2027-03-11T05:30")
    _arrive(db, visit, people["Tight"], "2027-03-11T07:45")
    _arrive(db, visit, people["Late"], "2027-03-11T10:45")
    # Day two, after its first item: late against that item, and joining a day in.
    _arrive(db, visit, people["Second"], "2027-03-12T09:20")
    plan = travel.read(db, visit)
    assert "late" not in _codes(plan, "Eve Sato") and "tight" not in _codes(plan, "Eve Sato")
    assert _codes(plan, "Early Sato") == ["no_departure"]
    assert "tight" in _codes(plan, "Tight Sato")
    late = next(t for t in plan.travelers if t.name == "Late Sato")
    said = [c.text for c in late.checks if c.code == "late"]
    assert said == ["lands 1 h 45 min after “Courtesy call on Mayor Okafor” starts at 9:00 AM"]
    second = next(t for t in plan.travelers if t.name == "Second Sato")
    texts = [c.text for c in second.checks]
    assert "joins on day 2 (Fri, Mar 12): misses 3 program items" in texts
    assert any("after “Working session: port and trade”" in text for text in texts)
    assert "first program item on or after the day they land" in travel.LATE_RULE
    # The sheet carries each check on the line of the flight it is about.
    row = next(r for r in plan.arrivals if late in r.travelers)
    assert row.checks == said


def test_no_flight_recorded_is_flagged_for_the_visiting_side_only(db: Database) -> None:
    visit = _visit(db)
    _program(db, visit)
    guest = _person(db, visit, given_name="Guest")
    _person(db, visit, given_name="Host", side="ours", role="host")
    plan = travel.read(db, visit)
    assert [t.name for t in plan.travelers] == ["Guest Sato"]
    assert _codes(plan, "Guest Sato") == ["no_arrival", "no_departure"]
    assert plan.arrivals == [] and plan.departures == []
    assert travel.missing(plan, travel.IN)[0].participant_id == guest
    # A virtual visit: nobody travels, nothing is missing.
    records.update(db, "visit", visit, {"mode": "virtual"})
    plan = travel.read(db, visit)
    assert _codes(plan, "Guest Sato") == []
    assert "A virtual visit: nobody travels." in plan.notes


def test_a_time_without_its_zone_is_said_so_and_put_in_order_in_the_visits_zone(
    db: Database,
) -> None:
    visit = _visit(db)
    _program(db, visit)
    who = _person(db, visit, given_name="Nozone")
    other = _person(db, visit, given_name="Zoned")
    _arrive(db, visit, who, "2027-03-10T15:00", time_zone=None)
    _arrive(db, visit, other, "2027-03-10T14:00", time_zone="America/Denver")
    plan = travel.read(db, visit)
    assert [r.travelers[0].name for r in plan.arrivals] == ["Zoned Sato", "Nozone Sato"]
    row = plan.arrivals[1]
    assert row.when is not None
    assert row.when.text() == "Wed, Mar 10, 3:00 PM (time zone not recorded)"
    assert row.checks == ["AS 2360: time zone not recorded; put in order as Los Angeles time"]
    # Without a visit zone either, our city's is used; without any, UTC, and said so.
    records.update(db, "visit", visit, {"time_zone": None})
    assert travel.read(db, visit).arrivals[1].checks[0].endswith("Los Angeles time")


def test_legs_left_behind_by_a_moved_visit_are_flagged_not_checked_against_the_program(
    db: Database,
) -> None:
    visit = _visit(db)
    _program(db, visit)
    who = _person(db, visit, given_name="Moved")
    _arrive(db, visit, who, "2027-03-10T15:40")
    _leave(db, visit, who, "2027-03-14T10:15")
    assert _codes(travel.read(db, visit), "Moved Sato") == []
    records.update(db, "visit", visit, {"start_date": "2027-04-11", "end_date": "2027-04-13"})
    plan = travel.read(db, visit)
    moved = next(t for t in plan.travelers if t.name == "Moved Sato")
    assert [c.code for c in moved.checks] == ["astray", "astray"]
    assert moved.checks[0].text == (
        "lands 32 days before the visit starts (April 11, 2027): was the visit moved?"
    )
    assert "leaves before the visit starts (April 11, 2027)" in moved.checks[1].text
    # Moved earlier instead: the legs now fall after it.
    records.update(db, "visit", visit, {"start_date": "2027-02-01", "end_date": "2027-02-03"})
    texts = [c.text for c in travel.read(db, visit).travelers[0].checks]
    assert texts[0] == "lands after the visit ends (February 3, 2027): was the visit moved?"
    assert texts[1].startswith("leaves 39 days after the visit ends (February 3, 2027)")


def test_a_delegate_leaving_before_the_others_is_a_partial_departure(db: Database) -> None:
    visit = _visit(db)
    _program(db, visit)
    stays = _person(db, visit, given_name="Stays")
    goes = _person(db, visit, given_name="Goes")
    for who in (stays, goes):
        _arrive(db, visit, who, "2027-03-10T15:40")
    _leave(db, visit, stays, "2027-03-14T10:15")
    _leave(db, visit, goes, "2027-03-13T13:30", number="AS 2363")
    plan = travel.read(db, visit)
    assert _codes(plan, "Stays Sato") == []
    leaving = next(t for t in plan.travelers if t.name == "Goes Sato")
    assert [c.text for c in leaving.checks] == [
        "leaves before the program ends: misses 1 program item (the visit ends March 13, 2027)"
    ]
    assert [r.leg.service for r in plan.departures] == ["AS 2363", "AS 2361"]
    assert plan.departures[0].checks == [leaving.checks[0].text]


def test_the_delegations_leg_stands_for_those_without_their_own(db: Database) -> None:
    visit = _visit(db)
    _program(db, visit)
    own = _person(db, visit, given_name="Own")
    _person(db, visit, given_name="Group")
    _arrive(db, visit, None, "2027-03-10T15:40", hotel="Harbor Hotel", room="block of 6")
    _arrive(db, visit, own, "2027-03-10T12:05", number="UA 1190", room="1204")
    _leave(db, visit, None, "2027-03-14T10:15")
    plan = travel.read(db, visit)
    group = next(t for t in plan.travelers if t.name == "Group Sato")
    mine = next(t for t in plan.travelers if t.name == "Own Sato")
    assert group.arrives_with_group and group.departs_with_group
    assert mine.arrival is not None and mine.arrival.number == "UA 1190"
    assert not mine.arrives_with_group and mine.departs_with_group
    assert [r.travelers for r in plan.arrivals] == [[mine], [group]]
    assert plan.arrivals[1].for_everyone
    assert [t.name for t in plan.departures[0].travelers] == ["Own Sato", "Group Sato"]
    # Every member has a leg of their own: the delegation's is said to be idle.
    _arrive(db, visit, plan.travelers[1].participant_id, "2027-03-10T11:00", number="DL 1")
    notes = travel.read(db, visit).notes
    assert any("whole delegation, but every member has a leg of their own" in n for n in notes)


def test_people_on_one_flight_are_one_line_with_each_ones_transport_and_room(
    db: Database,
) -> None:
    visit = _visit(db)
    _program(db, visit)
    names = ["Ana", "Ben", "Cy"]
    ids = [_person(db, visit, given_name=n, role="delegate") for n in names]
    records.update(db, "participant", ids[0], {"role": "principal"})
    greeter = records.create(
        db, "contact", {"given_name": "Tom", "family_name": "Hayes", "mobile": "+1 503 555 0100"}
    ).id
    for n, who in enumerate(ids):
        # The connection first: the line is the last leg, the one they are met off.
        _arrive(db, visit, who, "2027-03-10T13:00", number="DL 166", to_place="Seattle (SEA)")
        _arrive(
            db,
            visit,
            who,
            "2027-03-10T15:40",
            met_by_contact_id=greeter,
            transport="City car at door 4" if n == 0 else "City van, claim 6",
            hotel="Harbor Hotel",
            room=f"{1201 + n}",
        )
    plan = travel.read(db, visit)
    assert len(plan.arrivals) == 1
    row = plan.arrivals[0]
    assert [t.name for t in row.travelers] == ["Ana Sato", "Ben Sato", "Cy Sato"]
    assert [g.service for g in row.via] == ["DL 166"]
    assert row.greeters() == [("Tom Hayes", "+1 503 555 0100")]
    assert row.shared("transport") == ["Ana Sato: City car at door 4", "Others: City van, claim 6"]
    assert row.shared("hotel") == ["Harbor Hotel"]
    assert [t.room for t in row.travelers] == ["1201", "1202", "1203"]
    # The greeter's record goes; the name they were stays on the leg.
    records.delete(db, "contact", greeter)
    assert travel.read(db, visit).arrivals[0].greeters() == [("Tom Hayes", "")]


def test_an_outgoing_mission_lists_our_travelers_met_by_the_hosts(db: Database) -> None:
    visit = _visit(db, "outgoing")
    _program(db, visit, zone="Asia/Tokyo")
    ours = _person(db, visit, side="ours", role="principal", given_name="Grace")
    _person(db, visit, side="theirs", role="host", given_name="Host")
    _leg(
        db,
        visit,
        ours,
        direction="arrival",
        number="JL 277",
        from_place="Tokyo Haneda (HND)",
        to_place="Izumo (IZO)",
        arrives_at="2027-03-10 16:10",
        time_zone="Asia/Tokyo",
        met_by="Nakamura Daisuke",
    )
    plan = travel.read(db, visit)
    assert not plan.incoming
    assert [t.name for t in plan.travelers] == ["Grace Sato"]
    assert plan.arrivals[0].when is not None
    assert plan.arrivals[0].when.text() == "Wed, Mar 10, 4:10 PM (UTC+9)"
    assert plan.arrivals[0].greeters() == [("Nakamura Daisuke", "")]


def test_names_in_every_script_and_odd_values_come_through(db: Database) -> None:
    visit = _visit(db)
    people = [
        _person(
            db, visit, given_name="Mohammed", family_name="Al-Farsi", name_native="محمد الفارسي"
        ),
        _person(db, visit, given_name="Noa", family_name="Levi", name_native="נועה לוי"),
        _person(
            db,
            visit,
            given_name="Daisuke",
            family_name="Nakamura",
            name_native="中村大輔",
            name_order="family_first",
        ),
    ]
    name_only = records.create(
        db, "participant", {"visit_id": visit, "name": "<b>Guest</b> & co", "side": "theirs"}
    ).id
    for who in [*people, name_only]:
        _arrive(db, visit, who, "2027-03-10T15:40", transport="=cmd|' /C calc'!A0")
    plan = travel.read(db, visit)
    named = [t.named for t in plan.arrivals[0].travelers]
    assert "Mohammed Al-Farsi (محمد الفارسي)" in named
    assert "Nakamura Daisuke (中村大輔)" in named
    assert "<b>Guest</b> & co" in named
    rows = travel.logistics_rows(plan)
    assert {r.who for r in rows} == set(named) | {"Noa Levi (נועה לוי)"}


def test_a_leg_naming_another_visits_delegate_is_listed_and_flagged(db: Database) -> None:
    visit = _visit(db)
    other = records.create(
        db, "visit", {"title": "Another visit", "direction": "incoming", "start_date": "2027-05-01"}
    ).id
    stranger = _person(db, other, given_name="Stranger")
    _arrive(db, visit, stranger, "2027-03-10T15:40")
    plan = travel.read(db, visit)
    assert "astray" in _codes(plan, "Stranger Sato")
    assert plan.arrivals[0].checks == ["is on another visit's delegation: check the traveler"]


def test_a_hundred_and_fifty_delegates_are_read_and_ordered_quickly(db: Database) -> None:
    visit = _visit(db)
    _program(db, visit)
    for n in range(150):
        who = _person(db, visit, given_name=f"Delegate{n:03d}")
        if n % 10 == 9:
            continue  # no flight yet
        hour = 8 + n % 12
        _arrive(
            db,
            visit,
            who,
            f"2027-03-{10 + n % 2}T{hour:02d}:{(n * 7) % 60:02d}",
            number=f"UA {100 + n % 15}",
        )
        _leave(db, visit, who, "2027-03-14T10:15")
    started = time.perf_counter()
    plan = travel.read(db, visit)
    took = time.perf_counter() - started
    assert took < 2.0
    assert len(plan.travelers) == 150
    assert len(travel.missing(plan, travel.IN)) == 15
    moments = [r.when.instant for r in plan.arrivals if r.when]
    assert moments == sorted(moments)
    assert sum(len(r.travelers) for r in plan.arrivals) == 135
    assert len(plan.departures) == 1 and len(plan.departures[0].travelers) == 135


def test_a_time_stored_before_validation_is_shown_as_written(db: Database) -> None:
    visit = _visit(db)
    who = _person(db, visit, given_name="Odd")
    leg = _arrive(db, visit, who, "2027-03-10T15:40")
    db.execute("UPDATE travel_legs SET arrives_at = 'next tuesday', time_zone = 'Mars/Olympus'")
    plan = travel.read(db, visit)
    assert plan.arrivals[0].when is None
    assert plan.arrivals[0].leg.id == leg
    assert "AS 2360: landing time not recorded ('next tuesday' cannot be read)" in [
        c.text for c in plan.travelers[0].checks
    ]


def test_a_spreadsheet_of_connecting_flights_keeps_each_leg(
    db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = open_database(db_path)
    visit = _visit(db)
    who = _person(db, visit, given_name="Connecting")
    db.close()
    sheet = tmp_path / "legs.csv"
    with sheet.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["Visit", "Traveler", "Direction", "Flight", "Arrives", "Arrival time zone"]
        )
        writer.writerow(
            [visit, who, "arrival", "DL 166", "3/10/2027 9:50 AM", "America/Los_Angeles"]
        )
        writer.writerow([visit, who, "arrival", "AS 2360", "3/10/2027 3:40 PM", LA])
    assert main(["--db", str(db_path), "import", "travel", str(sheet)]) == 0
    capsys.readouterr()
    db = open_database(db_path)
    plan = travel.read(db, visit)
    assert [g.number for g in plan.travelers[0].arrivals] == ["DL 166", "AS 2360"]
    assert plan.arrivals[0].leg.number == "AS 2360" and len(plan.arrivals[0].via) == 1
    db.close()


# -- the demo ---------------------------------------------------------------------------------


def _demo_with_travel(path: Path, today: dt.date) -> Database:
    from desk.core import demo

    # The demo holds travel now: built again, it must come out the same, record by record.
    db = open_database(path)
    builder = demo._Builder(db, demo.BASE_CONTACTS, today)
    builder.build()
    builder.write(None)
    return db


def test_the_demos_travel_is_realistic_and_leaves_the_rest_of_the_demo_alone(
    tmp_path: Path, demo_template: Path
) -> None:
    from tests.conftest import DEMO_TODAY

    db = _demo_with_travel(tmp_path / "travel.sqlite", DEMO_TODAY)
    plain = open_database(demo_template)
    for table in ("visits", "visit_participants", "itinerary_items", "contacts", "follow_ups"):
        ours = db.execute(f"SELECT uid FROM {table} ORDER BY id").fetchall()
        assert ours == plain.execute(f"SELECT uid FROM {table} ORDER BY id").fetchall(), table
    plain.close()
    legs = db.execute("SELECT * FROM travel_legs").fetchall()
    assert len(legs) > 100
    columns = [d[0] for d in db.execute("SELECT * FROM travel_legs LIMIT 1").description]
    for values in (dict(zip(columns, row, strict=True)) for row in legs):
        # Every time is one the form would store, in its own airport's zone.
        for stamp, zone in (("departs_at", "departs_zone"), ("arrives_at", "time_zone")):
            spec = travel_field(stamp)
            assert clean_datetime(spec, values[stamp], {"time_zone": values[zone]}) == values[stamp]
    seen: dict[str, int] = {}
    visits = db.execute(
        "SELECT id, status, mode FROM visits WHERE id IN (SELECT visit_id FROM travel_legs)"
    ).fetchall()
    assert visits and all(s not in ("requested", "cancelled", "declined") for _i, s, _m in visits)
    assert all(mode != "virtual" for _i, _s, mode in visits)
    for visit_id, _status, _mode in visits:
        plan = travel.read(db, visit_id)
        for _t, check in plan.checks:
            seen[check.code] = seen.get(check.code, 0) + 1
        assert all(r.when is not None for r in plan.arrivals + plan.departures)
    # The loose ends an office has, and none of the mistakes.
    assert {"late", "leaves_early", "no_arrival"} <= set(seen)
    assert not {"order", "astray", "no_zone", "no_time"} & set(seen)
    db.close()


def travel_field(name: str) -> Any:
    from desk.core.domain.kinds import KINDS

    return KINDS["travel_leg"].field_map[name]


def test_a_departure_is_read_in_its_own_zone_not_the_arrivals(db: Database) -> None:
    """2:30 AM on March 14, 2027 does not exist in Los Angeles (clocks go forward), but a
    flight leaving Tokyo then is real: its time is read in the departure's zone."""
    visit = records.create(
        db, "visit", {"title": "Delegation from Kobe", "direction": "incoming"}
    ).id
    leg = records.create(
        db,
        "travel_leg",
        {
            "visit_id": visit,
            "number": "JL 68",
            "departs_at": "3/14/2027 2:30 AM",
            "departs_zone": "Asia/Tokyo",
            "arrives_at": "3/13/2027 7:30 PM",
            "time_zone": "America/Los_Angeles",
        },
    ).id
    assert records.get(db, "travel_leg", leg)["departs_at"] == "2027-03-14T02:30"
    with pytest.raises(ValidationError, match="does not exist"):
        records.create(
            db,
            "travel_leg",
            {
                "visit_id": visit,
                "arrives_at": "3/14/2027 2:30 AM",
                "time_zone": "America/Los_Angeles",
            },
        )


def test_a_delegate_removed_takes_their_flights_along_and_undo_brings_both_back(
    db: Database,
) -> None:
    """A leg whose traveler was deleted once became the whole delegation's (its link set
    empty), and the pickup sheet met a flight nobody was on."""
    from desk.core.store import undo

    visit = _visit(db)
    staying, leaving = _person(db, visit), _person(db, visit, given_name="Ken")
    _arrive(db, visit, staying, "2027-03-10T11:00", number="AS 2360")
    gone = _arrive(db, visit, leaving, "2027-03-10T15:00", number="NH 178")
    group = _arrive(db, visit, None, "2027-03-10T18:00", number="DL 1")
    impact = records.delete_impact(db, "participant", leaving)
    assert "1 travel leg" in impact.describe()
    records.delete(db, "participant", leaving)
    legs = db.execute("SELECT id, participant_id FROM travel_legs ORDER BY id").fetchall()
    assert [leg_id for leg_id, _who in legs] == [gone - 1, group]
    assert dict(legs)[group] is None  # the whole delegation's flight is still its own
    undo.undo(db)
    assert records.get(db, "travel_leg", gone)["participant_id"] == leaving
