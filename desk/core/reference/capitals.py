"""Shipped reference data about countries: capitals, main time zones, and which
countries' citizens visit the United States without a visa."""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
import json
from zoneinfo import ZoneInfo

from desk.core.paths import resource_path


@functools.cache
def capitals() -> dict[str, str]:
    return json.loads(resource_path("reference", "capitals.json").read_text("utf-8"))["capitals"]


@functools.cache
def visa_waiver() -> frozenset[str]:
    """Codes of the U.S. Visa Waiver Program's countries (see `visa_waiver_as_of`)."""
    data = json.loads(resource_path("reference", "visa_waiver.json").read_text("utf-8"))
    return frozenset(data["countries"])


def visa_waiver_as_of() -> str:
    data = json.loads(resource_path("reference", "visa_waiver.json").read_text("utf-8"))
    return str(data["as_of"])


@functools.cache
def country_zones() -> dict[str, list[str]]:
    """Country code -> its time zones, most populous first (tzdata's zone.tab)."""
    # One part at a time: a frozen build makes tzdata a namespace package, whose path
    # takes a single part per joinpath on Python 3.11.
    table = importlib.resources.files("tzdata").joinpath("zoneinfo").joinpath("zone.tab")
    zones: dict[str, list[str]] = {}
    for line in table.read_text("utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, zone, *_ = line.split("\t")
        zones.setdefault(code, []).append(zone)
    return zones


def hours_apart(zone: str, home: str, on: dt.date) -> float:
    """How many hours `zone` is ahead of `home` at noon on a day (negative: behind)."""
    noon = dt.datetime.combine(on, dt.time(12))
    there = noon.replace(tzinfo=ZoneInfo(zone)).utcoffset() or dt.timedelta()
    here = noon.replace(tzinfo=ZoneInfo(home)).utcoffset() or dt.timedelta()
    return (there - here).total_seconds() / 3600
