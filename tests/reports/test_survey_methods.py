"""Each engagement's method, by the survey's rule and the partnership's standing on the
day counted (its dated status history): a partnership that is not in force is never a
sister city, and a U.S. association is not an international city network."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from desk.core.store import records
from desk.core.store.db import Database
from desk.reports.survey.check import check
from desk.reports.survey.data import collect, network_scope
from desk.reports.survey.edition import load
from desk.reports.survey.workbook import export_survey

TODAY = dt.date(2026, 11, 23)


def _partnership(
    db: Database,
    name: str,
    kind: str,
    status: str,
    established: str | None,
    changes: tuple[tuple[str, str], ...] = (),
) -> int:
    values: dict[str, Any] = {
        "partner_name": name,
        "kind": kind,
        "status": status,
        "country": "JP",
        "priority_areas": ["tourism"],
    }
    if established:
        values["established_date"] = established
    pid = records.create(db, "partnership", values).id
    for changed, on in changes:
        records.change_status(db, pid, changed, on, "As the minutes record")
    return pid


def _visit(db: Database, pid: int, direction: str, start: str) -> None:
    records.create(
        db,
        "visit",
        {
            "title": f"{direction} {start}",
            "direction": direction,
            "status": "completed",
            "start_date": start,
            "partnership_id": pid,
            "country": "JP",
            "priority_areas": ["tourism"],
        },
    )


def _network(db: Database, name: str, country: str | None = None, **values: Any) -> None:
    organisation = None
    if country:
        organisation = records.create(
            db, "organisation", {"name": name, "kind": "network", "country": country}
        ).id
    records.create(
        db,
        "network",
        {
            "network_name": name,
            "organisation_id": organisation,
            "priority_areas": ["climate_sustainability"],
            **values,
        },
    )


@pytest.fixture
def city(db: Database) -> Database:
    records.create(
        db,
        "city",
        {
            "name": "Port Meridian",
            "state": "Oregon",
            "time_zone": "UTC",
            "respondent_name": "Dana Carter",
            "respondent_email": "dana@example.org",
            "staff_international": 3,
        },
    )
    _partnership(db, "Kobe", "sister_city", "active", "1990-05-01")
    _partnership(db, "Lyon", "friendship_city", "friendship", "2015-03-02")
    fez = _partnership(db, "Fez", "sister_city", "proposed", None)
    _visit(db, fez, "incoming", "2025-02-14")
    nantes = _partnership(
        db,
        "Nantes",
        "sister_city",
        "active",
        "1993-12-12",
        (("dormant", "2016-01-10"), ("lapsed", "2020-06-30")),
    )
    _visit(db, nantes, "outgoing", "2025-04-08")
    irkutsk = _partnership(
        db, "Irkutsk", "sister_city", "active", "1991-07-11", (("suspended", "2022-03-02"),)
    )
    records.create(
        db,
        "agreement",
        {
            "title": "MOU on culture",
            "kind": "mou",
            "status": "in_force",
            "partnership_id": irkutsk,
            "signed_date": "2024-03-14",
        },
    )
    _partnership(
        db, "Valencia", "sister_city", "active", "1999-08-23", (("dormant", "2024-06-06"),)
    )
    _partnership(db, "Curitiba", "sector_partnership", "active", "2017-09-25")
    _partnership(
        db, "Kyoto University", "other", "active", "2008-05-22", (("ended", "2019-03-31"),)
    )
    saint_louis = _partnership(db, "Saint-Louis", "friendship_city", "proposed", None)
    _visit(db, saint_louis, "outgoing", "2026-01-10")
    _visit(db, saint_louis, "incoming", "2026-11-12")
    _partnership(
        db,
        "Porto",
        "sister_city",
        "active",
        "2000-04-01",
        (("suspended", "2025-01-01"), ("active", "2026-02-01")),
    )
    _partnership(db, "Hamburg", "sister_city", "active", "1995-01-01", (("ended", "2025-06-30"),))
    _network(db, "Sister Cities International", status="active")
    _network(db, "Welcoming America", status="active")
    _network(db, "Mayors of America Network", "US", status="active")
    _network(db, "Eurocities", "BE", status="active", joined_date="2012")
    _network(db, "C40 Cities", status="active")
    _network(
        db, "Strong Cities Network", status="lapsed", joined_date="2019", left_date="2025-01-01"
    )
    return db


def _methods(db: Database, today: dt.date) -> dict[str, str]:
    return {e["partner"]: e["method"] for e in collect(db, 2016, today).unique}


def test_each_engagement_gets_the_first_method_that_holds(city: Database) -> None:
    assert _methods(city, TODAY) == {
        # (1) in force: sister and friendship cities, active or friendship.
        "Kobe": "sister_city",
        "Lyon": "sister_city",
        "Porto": "sister_city",  # suspended, then active again this year
        # (2) a sector partnership in force, or an agreement signed in the window.
        "Curitiba": "sector_partnership",
        "Irkutsk": "sector_partnership",  # suspended: its MOU, not the sister city
        # (3) international networks only.
        "Eurocities": "city_network",
        "C40 Cities": "city_network",
        # (4) what happened in the window: a delegation welcomed first, else a mission.
        "Fez": "delegation_welcomed",  # proposed
        "Saint-Louis": "delegation_welcomed",  # proposed; a mission too
        "Nantes": "mission_sent",  # lapsed
        # Valencia (dormant), Kyoto University and Hamburg (ended) hold nothing in the
        # window; Sister Cities International, Welcoming America and a network based in
        # the United States are U.S. bodies; the Strong Cities Network was left.
    }
    data = collect(city, 2016, TODAY)
    left_out = dict(data.not_counted)
    # Every partnership and membership that could be an engagement and is not, with why.
    assert set(left_out) == {
        "Sister Cities International",
        "Welcoming America",
        "Mayors of America Network",
        "Strong Cities Network",
        "Valencia",
        "Kyoto University",
        "Hamburg",
    }
    assert "not an international city network" in left_out["Welcoming America"]
    # Left within the window, as Hamburg ended within it: a membership counts while it
    # holds, as a partnership counts while it is in force.
    assert left_out["Strong Cities Network"].startswith("the city left it 1/1/2025, before")
    assert left_out["Kyoto University"].startswith("the partnership is ended (since 3/31/2019)")
    assert left_out["Hamburg"].startswith("the sister-city partnership is ended (since 6/30/2025)")
    assert "no agreement signed or in force" in left_out["Valencia"]
    kinds = {item.name: (item.kind, item.record_id > 0) for item in data.left_out}
    assert kinds["Strong Cities Network"] == ("network", True)
    assert kinds["Kyoto University"] == ("partnership", True)
    assert {n["name"] for n in data.engagements["networks"]} == {"Eurocities", "C40 Cities"}


def test_standing_is_read_as_of_the_day_counted(city: Database) -> None:
    """Counted as of the end of 2024, Hamburg was still a sister city, Porto was too,
    and the Strong Cities Network had not yet been left."""
    methods = _methods(city, dt.date(2024, 12, 31))
    assert methods["Hamburg"] == "sister_city"
    assert methods["Porto"] == "sister_city"
    assert methods["Strong Cities Network"] == "city_network"
    assert "Fez" not in methods  # its delegation came in 2025
    # Suspended by then all the same, and its MOU signed in the window.
    assert methods["Irkutsk"] == "sector_partnership"
    # In March 2025 Porto stood suspended, with nothing in the window: not counted.
    assert "Porto" not in _methods(city, dt.date(2025, 3, 1))


def test_the_method_is_explained_where_a_reader_can_check_it(
    city: Database, tmp_path: Path
) -> None:
    out = tmp_path / "survey.xlsx"
    export_survey(city, out, since=2016)
    sheet = load_workbook(out)["Engagements"]
    head = [c.value for c in sheet[1]]
    rows = {
        row[head.index("Partner")]: row
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0]
    }
    basis = {name: row[head.index("Method basis")] for name, row in rows.items()}
    assert basis["Kobe"] == "Sister city: sister-city partnership active since 5/1/1990"
    assert basis["Lyon"] == (
        "Sister city: friendship-city partnership in force (friendship) since 3/2/2015"
    )
    assert basis["Irkutsk"] == (
        "Sector partnership / MOU: “MOU on culture” signed 3/14/2024; the sister-city "
        "partnership is suspended (since 3/2/2022)"
    )
    assert basis["Nantes"].startswith("Mission sent abroad: ")
    assert basis["Nantes"].endswith("the sister-city partnership is lapsed (since 6/30/2020)")
    assert basis["Eurocities"] == "City network: active member since 2012 (based in Belgium)"
    assert rows["Irkutsk"][head.index("Status")] == "Suspended"
    # The rule is printed in the instructions, and what was not counted, with why.
    instructions = " ".join(
        str(v) for (v,) in load_workbook(out)["Instructions"].iter_rows(values_only=True) if v
    )
    for line in load().method_rule:
        assert line in instructions
    assert "Mayors of America Network: a network based in the United States" in instructions
    assert "Kyoto University: the partnership is ended (since 3/31/2019)" in instructions
    assert "Strong Cities Network: the city left it 1/1/2025" in instructions
    assert check(out, today=TODAY) == []


def test_a_network_is_international_by_its_own_data() -> None:
    domestic = load().domestic_networks
    assert not network_scope("Sister Cities International", None, domestic).international
    assert not network_scope("WELCOMING AMERICA", None, domestic).international
    assert not network_scope("Anything", "US", domestic).international
    # Its own country outranks the list: a chapter abroad of a U.S. name is abroad.
    assert network_scope("Welcoming America", "DE", domestic).international
    assert network_scope("ICLEI", None, domestic).international
