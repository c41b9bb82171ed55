from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desk.core.demo import build_demo
from desk.core.errors import DeskError
from desk.core.reference.countries import all_countries
from desk.core.store import db as dbmod
from desk.core.store import index, queries
from desk.io.dump import dump
from tests.conftest import DEMO_TODAY


def test_demo_city_has_the_promised_shape(demo_db: dbmod.Database) -> None:
    db = demo_db
    assert 18 <= queries.count(db, "partnership") <= 25
    assert 10 <= queries.count(db, "agreement") <= 16
    assert 25 <= queries.count(db, "visit") <= 35
    assert queries.count(db, "contact") == 250
    kinds = {k for (k,) in db.execute("SELECT DISTINCT kind FROM partnerships")}
    assert kinds == {
        "sister_city",
        "friendship_city",
        "sector_partnership",
        "network_membership",
        "other",
    }
    statuses = {s for (s,) in db.execute("SELECT DISTINCT status FROM partnerships")}
    assert statuses == {
        "proposed",
        "friendship",
        "active",
        "dormant",
        "suspended",
        "lapsed",
        "ended",
    }
    today = DEMO_TODAY.isoformat()
    soon = (DEMO_TODAY + dt.timedelta(days=60)).isoformat()
    near = db.execute(
        "SELECT count(*) FROM agreements WHERE decision_deadline BETWEEN ? AND ?", (today, soon)
    ).fetchone()[0]
    assert near >= 1
    directions = db.execute(
        "SELECT direction, start_date >= ?, count(*) FROM visits GROUP BY 1, 2", (today,)
    ).fetchall()
    assert len(directions) == 4  # past and upcoming, both ways
    zones = {z for (z,) in db.execute("SELECT DISTINCT time_zone FROM itinerary_items")}
    assert {"Asia/Tokyo", "America/Los_Angeles"} <= zones
    for table in (
        "visit_participants",
        "gifts",
        "follow_ups",
        "network_memberships",
        "offices",
        "office_terms",
        "interactions",
        "attachments",
    ):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    assert dbmod.check(db).ok


def test_demo_names_span_the_scripts(demo_db: dbmod.Database) -> None:
    natives = " ".join(
        n
        for (n,) in demo_db.execute(
            "SELECT name_native FROM contacts WHERE name_native IS NOT NULL"
        )
    )
    latin = " ".join(n for (n,) in demo_db.execute("SELECT family_name FROM contacts"))
    for probe in (
        "\u4e00-\u9fff",
        "\u3040-\u30ff\u4e00-\u9fff",
        "\uac00-\ud7af",
        "\u0600-\u06ff",
        "\u0400-\u04ff",
    ):
        import re

        assert re.search(f"[{probe}]", natives), probe
    for probe in ("ễ", "ü", "ç", "é", "ñ"):
        assert probe in natives + latin + " ".join(
            n for (n,) in demo_db.execute("SELECT given_name FROM contacts")
        ), probe
    assert all(
        c in all_countries() for (c,) in demo_db.execute("SELECT DISTINCT country FROM contacts")
    )


def test_demo_is_deterministic(tmp_path: Path) -> None:
    dumps = []
    for n in range(2):
        db = dbmod.open_database(tmp_path / f"{n}.sqlite")
        build_demo(db, today=DEMO_TODAY)
        dumps.append(json.dumps(dump(db), sort_keys=True))
        db.close()
    assert dumps[0] == dumps[1]


def test_scaled_demo_grows_in_proportion(db: dbmod.Database) -> None:
    build_demo(db, scale=1000, today=DEMO_TODAY)
    assert queries.count(db, "contact") == 1000
    assert queries.count(db, "visit") == 120
    assert index.index_gaps(db) == 0
    assert dbmod.check(db).ok


def test_demo_refuses_a_database_in_use(demo_db: dbmod.Database) -> None:
    with pytest.raises(DeskError, match="already holds records"):
        build_demo(demo_db)


# What reviewers of the demo's packets would catch first.
_CALLING = {"JP": "+81 ", "CN": "+86 ", "TW": "+886 ", "KR": "+82 ", "RU": "+7 ", "EG": "+20 "}
_CALLING |= {"MX": "+52 ", "FR": "+33 ", "DE": "+49 ", "BR": "+55 ", "US": "+1 ", "UA": "+380 "}


def test_phone_numbers_carry_their_countrys_code(demo_db: dbmod.Database) -> None:
    rows = demo_db.execute("SELECT country, phone FROM contacts WHERE phone IS NOT NULL")
    checked = 0
    for country, phone in rows:
        if country in _CALLING:
            assert phone.startswith(_CALLING[country]), (country, phone)
            checked += 1
    assert checked > 100


def test_taiwanese_names_are_in_traditional_characters(demo_db: dbmod.Database) -> None:
    simplified_only = set("国门华陈张刘杨赵吴黄伟静丽娟强")
    names = [
        n
        for (n,) in demo_db.execute(
            "SELECT name_native FROM contacts WHERE country = 'TW' AND name_native IS NOT NULL"
        )
    ]
    assert names
    assert not [n for n in names if simplified_only & set(n)]


def test_delegations_come_from_the_partner_they_are_named_for(demo_db: dbmod.Database) -> None:
    rows = demo_db.execute(
        "SELECT v.title, v.country, c.country FROM visits v "
        "JOIN visit_participants p ON p.visit_id = v.id AND p.side = 'theirs' "
        "JOIN contacts c ON c.id = p.contact_id"
    ).fetchall()
    assert rows
    assert [r for r in rows if r[1] != r[2]] == []
    ours = demo_db.execute(
        "SELECT DISTINCT c.country FROM visit_participants p JOIN contacts c "
        "ON c.id = p.contact_id WHERE p.side = 'ours'"
    ).fetchall()
    assert ours == [("US",)]


def test_objectives_differ_between_visits(demo_db: dbmod.Database) -> None:
    objectives = [o for (o,) in demo_db.execute("SELECT objectives FROM visits")]
    assert len(set(objectives)) >= len(objectives) // 2


def test_agreements_are_signed_by_who_held_the_office_that_day(
    demo_db: dbmod.Database,
) -> None:
    rows = demo_db.execute(
        "SELECT s.signed_on, s.side, t.start_date, t.end_date FROM agreement_signatories s "
        "LEFT JOIN office_terms t ON t.office_id = s.office_id AND t.contact_id = s.contact_id"
    ).fetchall()
    assert rows
    for signed, side, start, end in rows:
        assert start is not None, (signed, side)
        assert start <= signed <= (end or "9999-12-31"), (signed, side, start, end)


# What each kind of event in the demo's itineraries calls for, worked out by hand: a
# courtesy call or working session, a working lunch, a welcome dinner and the farewell
# ceremony in business dress; a site visit in business casual. The demo plans no gala
# or state dinner, so nothing in it is black tie ("formal").
DEMO_DRESS = {
    "meeting": "business",
    "meal": "business",
    "ceremony": "business",
    "site_visit": "business_casual",
}
# desk's dress_for finds "tour" inside "tourism", so the demo dresses the working session
# on its tourism campaign business casual. That one session is checked on its own below,
# as a known failure, until dress_for matches whole words.
TOURISM_SESSION = "Working session: tourism campaign"


def test_dress_fits_the_event(demo_db: dbmod.Database) -> None:
    rows = demo_db.execute("SELECT kind, title, dress_code FROM itinerary_items").fetchall()
    # Every rule above is used: the demo plans each kind of event, and the session
    # kept apart is there to be checked.
    assert {kind for kind, _title, _dress in rows} == set(DEMO_DRESS)
    assert any(title == TOURISM_SESSION for _kind, title, _dress in rows)
    wrong = sorted(
        {
            (kind, title, dress)
            for kind, title, dress in rows
            if title != TOURISM_SESSION and dress != DEMO_DRESS[kind]
        }
    )
    assert wrong == []


def test_a_working_session_on_tourism_is_in_business_dress(demo_db: dbmod.Database) -> None:
    dress = demo_db.execute(
        "SELECT DISTINCT dress_code FROM itinerary_items WHERE title = ?", (TOURISM_SESSION,)
    ).fetchall()
    assert dress == [("business",)]


def test_emergency_numbers_are_split_by_who_needs_them(demo_db: dbmod.Database) -> None:
    local, travel = demo_db.execute(
        "SELECT emergency_contacts, travel_emergency FROM city_profile"
    ).fetchone()
    assert "State Department" not in local and "911" in local
    assert "State Department" in travel
    posts = demo_db.execute(
        "SELECT count(*) FROM organisations WHERE kind = 'consulate' AND country = 'US'"
    ).fetchone()[0]
    assert posts >= 15


def test_a_suspended_partner_is_not_thanked_for_its_years(demo_db: dbmod.Database) -> None:
    points = demo_db.execute(
        "SELECT i.talking_points FROM itinerary_items i JOIN visits v ON v.id = i.visit_id "
        "JOIN partnerships p ON p.id = v.partnership_id "
        "WHERE p.status = 'suspended' AND i.talking_points IS NOT NULL"
    ).fetchall()
    assert points
    assert not [p for (p,) in points if "years of partnership" in p]
