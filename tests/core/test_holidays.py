"""Holidays, festivals, periods and national days on a visit's days, on both sides: the
clashes a visit's page and packet warn of, and `desk check-dates`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.features import holidays
from desk.core.features.holidays import NATIONAL_DAY, PERIOD
from desk.core.store import records
from desk.core.store.db import Database

TABLE_FIRST, TABLE_LAST = holidays.TABLE_YEARS


def _city(db: Database, state: str | None = "Oregon") -> None:
    values = {"name": "Port Meridian", "time_zone": "America/Los_Angeles"}
    if state:
        values["state"] = state
    records.create(db, "city", values)


def _visit(db: Database, **values: Any) -> int:
    base = {"title": "A visit", "direction": "outgoing"}
    new_id = records.create(db, "visit", {**base, **values}).id
    assert new_id is not None
    return new_id


def _item(db: Database, visit: int, starts_at: str, zone: str = "Asia/Tokyo") -> None:
    records.create(
        db,
        "itinerary_item",
        {"visit_id": visit, "title": "Call", "starts_at": starts_at, "time_zone": zone},
    )


def _by_name(found: holidays.DateCheck) -> dict[str, holidays.Clash]:
    return {c.name: c for c in found.clashes}


def test_golden_week_mission_to_japan(db: Database) -> None:
    _city(db)
    visit = _visit(
        db,
        title="Mission to Kobe",
        country="JP",
        city="Kobe",
        start_date="2026-04-28",
        end_date="2026-05-06",
    )
    _item(db, visit, "2026-05-04T10:00")
    found = holidays.check(db, visit)
    named = _by_name(found)
    assert len(found.days) == 9
    week = named["Golden Week"]
    assert week.side == "theirs" and week.holiday.kind == PERIOD and not week.day_off
    assert (week.holiday.first, week.holiday.last) == (dt.date(2026, 4, 29), dt.date(2026, 5, 5))
    for name in ("Showa Day", "Constitution Day", "Greenery Day", "Children's Day"):
        assert named[name].day_off and named[name].side == "theirs", name
        assert named[name].place == "Japan"
    assert named["Greenery Day"].items == 1  # the call planned that day
    assert {c.side for c in found.clashes} == {"theirs"}  # no U.S. holiday then
    line = holidays.warning_line(named["Greenery Day"])
    assert line == "Holiday in Japan: Greenery Day, Monday, May 4 (day off; 1 itinerary item)."
    assert holidays.warning_line(week).startswith("Golden Week in Japan, April 29 – May 5:")
    summary = holidays.summary_line(found.clashes)
    assert summary is not None and summary.startswith("Holidays during the visit: Showa Day")


def test_a_visit_over_july_4_here(db: Database) -> None:
    _city(db)
    visit = _visit(
        db,
        title="Delegation from Nantes",
        direction="incoming",
        country="FR",
        start_date="2026-07-02",
        end_date="2026-07-06",
    )
    found = holidays.check(db, visit)
    ours = [c for c in found.clashes if c.side == "ours"]
    assert [(c.name, c.holiday.first) for c in ours] == [
        ("Independence Day (observed)", dt.date(2026, 7, 3)),  # July 4 is a Saturday
        ("Independence Day", dt.date(2026, 7, 4)),
    ]
    assert all(c.day_off and c.place == "U.S. federal" for c in ours)
    # The national days warned of are the partner's: ours is a federal holiday already.
    assert not any(c.holiday.national_day for c in ours)
    assert found.ours.place == "Oregon and U.S. federal"
    lines = holidays.warning_lines(found.clashes)
    assert lines[0] == (
        "U.S. federal holiday: Independence Day (observed), Friday, July 3 (day off)."
    )


def test_federal_holidays_a_state_does_not_keep_and_its_own(db: Database) -> None:
    _city(db, state="Oregon")
    columbus = _visit(db, country="JP", start_date="2026-10-11", end_date="2026-10-13")
    named = _by_name(holidays.check(db, columbus))
    # Oregon keeps no Columbus Day, but federal offices, banks and the mail close.
    assert named["Columbus Day"].place == "U.S. federal" and named["Columbus Day"].day_off
    db.execute("UPDATE city_profile SET state = 'California'")
    chavez = _visit(db, country="JP", start_date="2026-03-30", end_date="2026-04-01")
    found = holidays.check(db, chavez)
    assert found.ours.region == "CA"
    clash = _by_name(found)["Cesar Chavez Day"]
    assert clash.place == "California" and clash.holiday.region == "CA"


def test_ramadan_for_a_moroccan_delegation(db: Database) -> None:
    _city(db)
    fez = records.create(
        db, "partnership", {"partner_name": "Fez", "kind": "sister_city", "country": "MA"}
    ).id
    visit = _visit(
        db,
        title="Delegation from Fez",
        direction="incoming",
        partnership_id=fez,  # the country comes from the partnership
        start_date="2026-03-16",
        end_date="2026-03-22",
    )
    found = holidays.check(db, visit)
    assert found.theirs is not None and found.theirs.country == "MA"
    named = _by_name(found)
    ramadan = named["Ramadan"]
    assert ramadan.holiday.approximate and ramadan.holiday.kind == PERIOD
    assert ramadan.days == tuple(dt.date(2026, 3, d) for d in range(16, 20))
    assert "fast" in ramadan.status() and "date approximate" in ramadan.status()
    eid = named["Eid al-Fitr"]  # the package's own, its "(estimated)" said otherwise
    assert eid.day_off and eid.holiday.approximate and eid.holiday.kind == "holiday"
    # The hand-written Eid is only for where the package has none.
    assert [c.name for c in found.clashes].count("Eid al-Fitr") == 1


def test_a_festival_the_package_lacks_comes_from_the_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def without_eid(country: str, year: int) -> frozenset[tuple[str, str, str]]:
        return frozenset(e for e in real(country, "", year) if "Fitr" not in e[1])

    real = holidays._year
    monkeypatch.setattr(holidays, "_national_codes", without_eid)
    monkeypatch.setattr(holidays, "_year", lambda c, s, y: tuple(without_eid(c, y)))
    found = holidays.holidays_between("MA", None, dt.date(2026, 3, 18), dt.date(2026, 3, 22))
    eid = next(h for h in found if h.name == "Eid al-Fitr")
    assert eid.kind == "festival" and eid.approximate and eid.day_off
    assert eid.first == dt.date(2026, 3, 20)
    # Kazakhstan keeps no Eid al-Fitr as a holiday: the table does not invent one.
    found = holidays.holidays_between("KZ", None, dt.date(2026, 3, 18), dt.date(2026, 3, 22))
    assert not any(h.name == "Eid al-Fitr" for h in found)


def test_the_partners_national_day(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    _city(db)
    visit = _visit(db, country="MA", start_date="2026-07-29", end_date="2026-07-31")
    throne = _by_name(holidays.check(db, visit))["Throne Day"]
    assert throne.holiday.national_day and throne.day_off
    assert holidays.warning_line(throne) == (
        "National day of Morocco: Throne Day, Thursday, July 30 (day off; national day)."
    )
    # A national day that is no holiday there is still listed, and not as a day off.
    monkeypatch.setattr(holidays, "_year", lambda c, s, y: ())
    monkeypatch.setattr(holidays, "_national_codes", lambda c, y: frozenset())
    found = holidays.holidays_between("PT", None, dt.date(2026, 6, 9), dt.date(2026, 6, 11))
    assert [(h.name, h.kind, h.day_off) for h in found] == [("Portugal Day", NATIONAL_DAY, False)]


def test_national_days_cover_the_demo_and_the_g20(demo_db: Database) -> None:
    rows = demo_db.execute("SELECT DISTINCT country FROM partnerships")
    demo = {r[0] for r in rows if r[0]}
    g20 = {"AR", "AU", "BR", "CA", "CN", "DE", "FR", "GB", "ID", "IN", "IT", "JP", "KR"}
    g20 |= {"MX", "RU", "SA", "TR", "US", "ZA"}
    table = holidays.extra()["national_days"]
    assert demo and not (demo | g20) - set(table)
    for code, days in table.items():
        for on, name in days:
            assert dt.date.fromisoformat(f"2028-{on}") and name, code


def test_a_visit_with_no_country(db: Database) -> None:
    _city(db)
    visit = _visit(db, title="Study tour", start_date="2026-11-25", end_date="2026-11-27")
    found = holidays.check(db, visit)
    assert found.theirs is None
    assert "no country" in found.notes[0]
    assert [c.name for c in found.clashes] == ["Thanksgiving Day"]


def test_a_city_without_a_state_it_knows(db: Database) -> None:
    _city(db, state="Oregn")
    visit = _visit(db, country="JP", start_date="2026-07-03", end_date="2026-07-03")
    found = holidays.check(db, visit)
    assert found.ours == holidays.Where("ours", "US")
    assert found.notes == [
        "The city profile names a state desk does not know ('Oregn'): only U.S. federal "
        "holidays are checked on our side."
    ]
    assert [c.name for c in found.clashes] == ["Independence Day (observed)"]


def test_a_visit_with_no_dates(db: Database) -> None:
    _city(db)
    visit = _visit(db, title="Someday mission", country="JP")
    found = holidays.check(db, visit)
    assert found.days == [] and found.clashes == []
    assert found.message == "Someday mission has no dates yet: nothing to check."
    assert holidays.clash_lines(db, visit) == []
    assert holidays.summary_line(found.clashes) is None


def test_an_itinerary_item_outside_the_visits_dates_counts(db: Database) -> None:
    _city(db)
    visit = _visit(db, country="JP", start_date="2026-07-01", end_date="2026-07-02")
    _item(db, visit, "2026-07-04T09:00", "America/Los_Angeles")
    found = holidays.check(db, visit)
    assert dt.date(2026, 7, 4) in found.days
    assert _by_name(found)["Independence Day"].items == 1


def test_a_hundred_day_visit(db: Database) -> None:
    _city(db)
    start = dt.date(2026, 9, 1)
    end = start + dt.timedelta(days=99)
    visit = _visit(
        db,
        title="Fellowship in Suzhou",
        country="CN",
        start_date=start.isoformat(),
        end_date=end.isoformat(),
    )
    found = holidays.check(db, visit)
    assert len(found.days) == 100 and found.days[-1] == end
    named = _by_name(found)
    for ours in ("Labor Day", "Columbus Day", "Veterans Day", "Thanksgiving Day"):
        assert named[ours].side == "ours", ours
    national = named["National Day"]
    assert national.side == "theirs" and national.holiday.national_day
    assert national.days == (dt.date(2026, 10, 1), dt.date(2026, 10, 2), dt.date(2026, 10, 3))
    assert named["National Day Golden Week"].holiday.kind == PERIOD
    # The package's "substituted from 09/20/2026" in U.S. words.
    assert named["Day off (for work on Sunday, September 20, 2026)"].day_off
    assert "Lunar New Year week" not in named  # that is in February
    order = [c.days[0] for c in found.clashes]
    assert order == sorted(order)
    summary = holidays.summary_line(found.clashes, limit=3)
    assert summary is not None and summary.endswith(f"; and {len(found.clashes) - 3} more.")
    lines = holidays.clash_lines(db, visit, limit=2, today=start)
    assert len(lines) == 3 and lines[-1].startswith("And ")
    # The day off, ours and theirs, come before the periods.
    assert lines[0].startswith("U.S. federal holiday: Labor Day, Monday, September 7 (")
    # A visit that is over warns of nothing.
    assert holidays.clash_lines(db, visit, today=end + dt.timedelta(days=1)) == []


def test_their_region(db: Database) -> None:
    _city(db)
    freiburg = records.create(
        db,
        "partnership",
        {
            "partner_name": "Freiburg im Breisgau",
            "kind": "sister_city",
            "country": "DE",
            "region": "Baden-Württemberg",
        },
    ).id
    visit = _visit(
        db, partnership_id=freiburg, country="DE", start_date="2027-01-05", end_date="2027-01-07"
    )
    found = holidays.check(db, visit)
    assert found.theirs is not None and found.theirs.region == "BW"
    epiphany = _by_name(found)["Epiphany"]  # kept in Baden-Württemberg, not all Germany
    assert epiphany.place == "Baden-Württemberg, Germany" and epiphany.day_off
    assert holidays.subdivision("ES", "Comunitat Valenciana") == "VC"
    assert holidays.subdivision("US", "oregon") == "OR"
    assert holidays.subdivision("JP", "Shimane") is None  # Japan has no regional holidays
    region = {"partner_name": "Jalisco", "partner_level": "region", "country": "MX"}
    assert holidays.their_side({"country": "MX"}, region) == holidays.Where("theirs", "MX")
    bavaria = {"partner_name": "Bayern", "partner_level": "region", "country": "DE"}
    assert holidays.their_side({}, bavaria) == holidays.Where("theirs", "DE", "BY", "Bayern")
    # The packet passes the region the gazetteer finds the partner city in.
    found = holidays.during(
        {"country": "DE", "start_date": "2027-01-06", "end_date": "2027-01-06"},
        {"state": "Oregon"},
        region="Bavaria",
    )
    assert [(c.name, c.place) for c in found] == [("Epiphany", "Bavaria, Germany")]


def test_lunar_new_year_week_and_its_own_dates(db: Database) -> None:
    _city(db)
    seoul = _visit(db, country="KR", start_date="2027-02-09", end_date="2027-02-11")
    week = _by_name(holidays.check(db, seoul))["Lunar New Year week"]
    # Seollal falls a day after China's Spring Festival in 2027.
    assert (week.holiday.first, week.holiday.last) == (dt.date(2027, 2, 4), dt.date(2027, 2, 10))


def test_years_outside_the_table(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("holidays")
    _city(db)
    visit = _visit(db, country="FR", start_date="2019-07-03", end_date="2019-07-15")
    named = _by_name(holidays.check(db, visit))
    assert named["Independence Day"].side == "ours"  # from the package itself
    assert named["National Day"].holiday.national_day and named["National Day"].day_off
    _forget()
    monkeypatch.setattr(holidays, "_package", lambda: None)
    found = holidays.check(db, visit)
    assert found.notes == [
        "Public holidays are known from 2020 to 2035; days outside those years show "
        "only festivals, periods and national days."
    ]
    # Without the package only the national day is known, and not as a day off.
    assert [(c.name, c.day_off) for c in found.clashes] == [("National Day (Bastille Day)", False)]
    _forget()


def _forget() -> None:
    holidays._year.cache_clear()
    holidays._national_codes.cache_clear()


# -- the shipped tables ------------------------------------------------------------------


def test_the_table_is_what_the_package_says() -> None:
    """Fails after the `holidays` package is upgraded with other dates or names: then run
    `python -m desk.core.features.holidays --rebuild`."""
    pytest.importorskip("holidays")
    about = holidays.table_about()
    assert (about["first_year"], about["last_year"]) == holidays.TABLE_YEARS
    samples = [("US", "OR", 2026), ("US", "", 2031), ("JP", "", 2027), ("DE", "BW", 2030)]
    samples += [("MA", "", 2025), ("IN", "", 2026), ("CN", "", 2035), ("ES", "VC", 2020)]
    for country, sub, year in samples:
        table = holidays._from_table(country, sub, year)
        assert table == holidays.package_days(country, sub or None, [year]), (country, year)
    for country in ("US", "ES", "DE", "IN"):
        assert holidays.subdivisions(country) == holidays._subdivision_names(country)


def test_the_tables_reach_far_enough_ahead() -> None:
    """Visits are planned up to a few years out: a table that ends sooner needs rebuilding
    (`--rebuild` with later TABLE_YEARS), and the moon-dated lists extending."""
    assert dt.date.today().year + 5 <= TABLE_LAST
    extra = holidays.extra()
    for period in extra["periods"]:
        last = max([*period.get("dates", ()), *(s[1] for s in period.get("spans", ()))] or ["9"])
        assert last[:4] >= str(TABLE_LAST) or "every_year" in period, period["name"]
    for festival in extra["festivals"]:
        assert max(festival["dates"])[:4] == str(TABLE_LAST), festival["name"]


def test_moon_dated_lists_agree_with_the_package() -> None:
    pytest.importorskip("holidays")
    years = range(TABLE_FIRST, TABLE_LAST + 1)

    def days(country: str, word: str) -> set[dt.date]:
        return {
            dt.date.fromisoformat(iso)
            for iso, name, _ in holidays.package_days(country, None, years)
            if word in name
        }

    def near(day: dt.date, known: set[dt.date], by: int = 1) -> bool:
        return any(abs((day - k).days) <= by for k in known)

    extra = holidays.extra()
    ramadan = next(p for p in extra["periods"] if p["name"] == "Ramadan")
    firsts = days("AF", "First Day of Ramadan")
    fitr = days("AE", "Eid al-Fitr")
    for first, last in ramadan["spans"]:
        assert near(dt.date.fromisoformat(first), firsts), first
        assert near(dt.date.fromisoformat(last) + dt.timedelta(1), fitr), last
    festivals = {f["name"]: f["dates"] for f in extra["festivals"]}
    for name, country, word in (
        ("Eid al-Fitr", "AE", "Eid al-Fitr"),
        ("Eid al-Adha", "AE", "Eid al-Adha"),
        ("Chuseok", "KR", "Chuseok"),
        ("Diwali", "IN", "Diwali"),
    ):
        known = days(country, word)
        for day in festivals[name]:
            assert near(dt.date.fromisoformat(day), known), (name, day)
    lunar = next(p for p in extra["periods"] if p["name"] == "Lunar New Year week")
    for country in extra["groups"]["lunar_new_year"]:
        own = {d[:4]: d for d in lunar["except"].get(country, ())}
        kept = {
            iso
            for iso, name, letter in holidays.package_days(country, None, years)
            if letter == "p" and "New Year" in name and not iso.endswith("-01-01")
        }
        for anchor in lunar["dates"]:
            day = own.get(anchor[:4], anchor)
            if any(k.startswith(anchor[:4]) for k in kept):  # the package knows that year
                assert day in kept, (country, day)


def test_finding_a_visits_holidays_does_not_load_the_package(tmp_path: Path) -> None:
    """Importing `holidays` loads all its countries (about 0.4 s); the shipped table
    answers for its years without it."""
    script = (
        "import sys, datetime as dt\n"
        "from desk.core.features import holidays as h\n"
        "found = h.during({'country': 'JP', 'start_date': '2026-04-28', "
        "'end_date': '2026-05-06'}, {'state': 'Oregon'})\n"
        "assert any(c.name == 'Golden Week' for c in found)\n"
        "print('holidays' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


# -- the command -------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str]:
    code = main(["--db", str(path), *args])
    return code, capsys.readouterr().out


def test_desk_check_dates(db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _city(db)
    kobe = _visit(
        db, title="Mission to Kobe", country="JP", start_date="2026-05-01", end_date="2026-05-04"
    )
    undated = _visit(db, title="Someday mission", country="JP")
    db.close()
    code, out = _run(capsys, db_path, "check-dates", "Mission to Kobe")
    assert code == 0
    assert out.startswith(
        f"Mission to Kobe (#{kobe}): Friday, May 1, 2026 to Monday, May 4, 2026 (4 days)\n"
        "Our side: Oregon and U.S. federal. Their side: Japan.\n"
    )
    assert "Sunday, May 3, 2026" in out and "Monday, May 4, 2026" in out
    row = next(line for line in out.splitlines() if "Greenery Day" in line)
    assert " ".join(row.split()) == "Monday, May 4, 2026 theirs Greenery Day (Japan) day off"
    assert "Wednesday, April 29 – Tuesday, May 5, 2026" in out  # Golden Week
    code, out = _run(capsys, db_path, "check-dates", str(kobe), "--json")
    data = json.loads(out)  # nothing but JSON
    assert code == 0 and data["visit"]["id"] == kobe and data["message"] is None
    assert data["days"] == ["2026-05-01", "2026-05-02", "2026-05-03", "2026-05-04"]
    greenery = next(c for c in data["clashes"] if c["name"] == "Greenery Day")
    assert greenery["side"] == "theirs" and greenery["day_off"] is True
    assert greenery["first"] == "2026-05-04" and greenery["country"] == "JP"
    code, out = _run(capsys, db_path, "check-dates", str(undated))
    assert code == 0 and out == "Someday mission has no dates yet: nothing to check.\n"
    code, out = _run(capsys, db_path, "check-dates", str(undated), "--json")
    data = json.loads(out)
    assert data["days"] == [] and "no dates" in data["message"]
    assert main(["--db", str(db_path), "check-dates", "No such visit"]) == 1
    assert "There is no visit" in capsys.readouterr().err
