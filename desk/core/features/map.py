"""Where the partners and the city itself go on a map: each partnership's position set by
hand, else its name found in the gazetteer, else the middle of its country (said so)."""

from __future__ import annotations

from desk.core.reference.places import locate, position
from desk.core.store.db import Database


def on_the_map(
    db: Database,
) -> tuple[dict[int, tuple[float, float, str]], tuple[float, float] | None]:
    """Partnership id -> (latitude, longitude, how it was placed), and home's position:
    everything the map needs that takes the gazetteer."""
    found = {}
    for pid, name, country, location, level, region in db.execute(
        "SELECT id, partner_name, country, location, partner_level, region FROM partnerships"
    ):
        # At its level: a region partner is placed in its region, not at a namesake town.
        where = position(name, country, location, level=level, region=region)
        if where is not None:
            found[pid] = (where.latitude, where.longitude, where.how)
    return found, home_position(db)


def home_position(db: Database) -> tuple[float, float] | None:
    """Where the city itself goes on a map: its position set by hand, else its name
    found in the gazetteer; never the middle of the country."""
    row = db.execute("SELECT name, location FROM city_profile LIMIT 1").fetchone()
    if row is not None and row[1]:
        spot = position(None, None, row[1])
        return (spot.latitude, spot.longitude) if spot else None
    if row is not None and row[0]:
        city = locate(row[0], "US")
        return (city.latitude, city.longitude) if city else None
    return None
