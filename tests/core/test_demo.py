from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from desk.core import db as dbmod
from desk.core import queries, search
from desk.core.countries import all_countries
from desk.core.demo import build_demo
from desk.core.errors import DeskError
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
    assert search.index_gaps(db) == 0
    assert dbmod.check(db).ok


def test_demo_refuses_a_database_in_use(demo_db: dbmod.Database) -> None:
    with pytest.raises(DeskError, match="already holds records"):
        build_demo(demo_db)
