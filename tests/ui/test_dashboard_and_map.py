"""The dashboard and the map as a person uses them: read the figures, save a chart,
open what is coming up; find a partner on the map, filter, click it open."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QImage

from desk.core.store import records
from desk.core.store.db import Database
from desk.ui.widgets.world_map import WORLD, Marker, WorldMap


def _known_city(db: Database, today: dt.date) -> dict[str, int | None]:
    """A few records whose figures are counted by hand in the test below, dated from
    `today`, as the dashboard shows the ten years to this one."""
    y = today.year
    made: dict[str, int | None] = {}
    for key, values in (
        ("kobe", {"kind": "sister_city", "status": "active", "established_date": f"{y - 2}-05-01"}),
        (
            "lyon",
            {"kind": "friendship_city", "status": "active", "established_date": f"{y - 5}-09-10"},
        ),
        (
            "hamburg",
            {
                "kind": "sector_partnership",
                "status": "active",
                "established_date": f"{y - 15}-03-03",
            },
        ),
        (
            "irkutsk",
            {"kind": "sister_city", "status": "suspended", "established_date": f"{y - 6}-03-03"},
        ),
        ("lviv", {"kind": "sister_city", "status": "proposed"}),
    ):
        made[key] = records.create(db, "partnership", {"partner_name": key.title(), **values}).id
    made["mou"] = records.create(
        db,
        "agreement",
        {
            "title": "Port MOU",
            "kind": "mou",
            "status": "in_force",
            "partnership_id": made["kobe"],
            "signed_date": f"{y - 1}-02-01",
            "expiry_date": (today + dt.timedelta(days=60)).isoformat(),
        },
    ).id
    records.create(
        db,
        "agreement",
        {
            "title": "Youth exchange letter",
            "kind": "letter_of_intent",
            "status": "signed",
            "parties": "Busan",
            "country": "KR",
            "signed_date": f"{y - 1}-06-01",
        },
    )
    for key, title, direction, status, start, partner in (
        ("mission", "Mission to Kobe", "outgoing", "completed", f"{y - 1}-04-07", "kobe"),
        ("lyon_visit", "Delegation from Lyon", "incoming", "completed", f"{y - 3}-10-01", "lyon"),
        ("called_off", "Delegation called off", "incoming", "cancelled", f"{y - 1}-06-01", "kobe"),
        ("asked", "Delegation asked for", "incoming", "requested", f"{y - 1}-07-01", "kobe"),
        ("today", "Delegation from Kobe", "incoming", "completed", today.isoformat(), "kobe"),
        (
            "next",
            "Mission in three weeks",
            "outgoing",
            "confirmed",
            today + dt.timedelta(days=20),
            "kobe",
        ),
    ):
        made[key] = records.create(
            db,
            "visit",
            {
                "title": title,
                "direction": direction,
                "status": status,
                "start_date": str(start),
                "partnership_id": made[partner],
            },
        ).id
    for year, amount, estimate in ((y - 3, 12, True), (y - 1, 30, False), (y - 12, 100, False)):
        records.create(
            db,
            "outcome",
            {
                "measure": "students",
                "amount": amount,
                "year": year,
                "estimate": estimate,
                "partnership_id": made["kobe"],
            },
        )
    return made


def test_the_dashboard_shows_the_records_figures_and_saves_its_charts(
    make_window: Any, db: Database, db_path: Path, qtbot: Any, tmp_path: Path
) -> None:
    today = dt.date.today()
    y = today.year
    made = _known_city(db, today)
    window = make_window(db, db_path)
    window.show_page("dashboard")
    page = window.page("dashboard")
    # Counted by hand, year by year from ten years back: partnerships the year they were
    # established, whatever their standing now (Irkutsk, suspended, six years back;
    # Hamburg is older than the chart); agreements the year they were signed (two last
    # year); visits once they took place (not the one called off, the one only asked
    # for, or the one three weeks out).
    assert page.by_year.years == list(range(y - 9, y + 1))
    assert page.by_year.totals() == [0, 0, 0, 1, 1, 0, 1, 1, 3, 1]
    # The survey's unique engagements: the three partnerships in force (Kobe and Lyon
    # sister-city ties, Hamburg a sector partnership) and the letter with Busan, which
    # has no partnership (a sector partnership of its own). Kobe's MOU and every visit
    # count under their partnership; Irkutsk is suspended and Lviv only proposed.
    bars = {b.label: b for b in page.methods.bars}
    assert (bars["Sister city"].value, bars["Sister city"].reference) == (0.5, 0.54)
    assert bars["Sector partnership / MOU"].value == 0.5
    assert page.status.text() == (
        f"4 engagements since {y - 9}, counted as the national survey counts. In {y}: "
        "0 new partnerships, 0 agreements signed, 1 delegation welcomed, 0 missions sent."
    )
    # The outcomes table: students in the two years shown that have them (12 of them
    # an estimate), and in all 42; the 100 from twelve years back are not in it.
    headers = [
        page.outcomes.horizontalHeaderItem(c).text() for c in range(page.outcomes.columnCount())
    ]
    assert headers == [str(y - 3), str(y - 1), "In all"]
    measures = [page.outcomes.verticalHeaderItem(r).text() for r in range(page.outcomes.rowCount())]
    assert measures == ["Students exchanged"]
    assert [page.outcomes.item(0, c).text() for c in range(3)] == ["≈ 12", "30", "≈ 42"]

    # Narrowing the years reads again: this year alone, the delegation welcomed today.
    page.first_year.setValue(y)
    assert page.by_year.years == [y]
    assert page.by_year.totals() == [1]

    # Every chart saves as PNG and SVG.
    png, svg = tmp_path / "by-year.png", tmp_path / "methods.svg"
    page.by_year.save_png(png, QSize(800, 400))
    page.methods.save_svg(svg)
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1600, 800)  # twice over, for print
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "By method" in text

    # What is coming up, soonest first: the mission three weeks out, then the decision on
    # the MOU (due 30 days before it expires: no notice period, and desk's default 30
    # days to prepare), then its expiry; the first opens on Enter.
    coming = [page.coming.item(r, 1).text() for r in range(page.coming.rowCount())]
    assert coming == ["Mission in three weeks", "Decide on Port MOU", "Port MOU expires"]
    first = page.coming.item(0, 1)
    page.coming.setCurrentItem(first)
    page.coming.itemActivated.emit(first)
    qtbot.waitUntil(lambda: window.current_page() is window.page("visit"))
    assert window.page("visit").current_id == made["next"]
    window.close()


def test_a_busy_six_months_lists_the_soonest_dates_and_counts_the_rest(
    make_window: Any, db: Database, db_path: Path
) -> None:
    """At 100,000 contacts six months hold some 6,000 dates: a row each stood the window
    still; the soonest are listed and the rest counted."""
    from types import SimpleNamespace

    from desk.reports.figures import Coming
    from desk.ui.pages.dashboard_page import COMING_LISTED

    window = make_window(db, db_path)
    window.show_page("dashboard")
    page = window.page("dashboard")
    start = dt.date(2027, 1, 4)
    dates = [
        Coming(start + dt.timedelta(days=n // 40), f"Visit {n:04d}", "visit", "visit", n + 1)
        for n in range(6_000)
    ]
    page._show_coming(SimpleNamespace(coming=dates))
    assert page.coming.rowCount() == COMING_LISTED
    assert page.coming.item(0, 1).text() == "Visit 0000"
    assert page.coming.item(COMING_LISTED - 1, 1).text() == f"Visit {COMING_LISTED - 1:04d}"
    assert not page.coming_note.isHidden()
    assert page.coming_note.text() == "6,000 dates ahead (the soonest 200 listed)."
    # Hundreds of decisions overdue lead the list, but leave it room for what is ahead.
    late = [
        Coming(
            start - dt.timedelta(days=300 - n),
            f"Overdue: decide on MOU {n}",
            "overdue",
            "agreement",
            n + 1,
        )
        for n in range(300)
    ]
    page._show_coming(SimpleNamespace(coming=late + dates))
    shown = [page.coming.item(r, 1).text() for r in range(page.coming.rowCount())]
    assert len(shown) == COMING_LISTED
    assert shown[0] == "Overdue: decide on MOU 0" and shown[49] == "Overdue: decide on MOU 49"
    assert shown[50] == "Visit 0000" and shown[-1] == "Visit 0149"
    assert page.coming_note.text() == (
        "300 overdue decisions (the first 50 listed) and 6,000 dates ahead "
        "(the soonest 150 listed)."
    )
    page._show_coming(SimpleNamespace(coming=late[:3] + dates[:3]))  # all of a quiet one
    assert page.coming.rowCount() == 6 and page.coming_note.isHidden()
    window.close()


def test_the_projection_puts_known_places_on_known_pixels(qtbot: Any) -> None:
    world = WorldMap()
    qtbot.addWidget(world)
    # One pixel a degree: the whole view (360 by 142 degrees) fills the rectangle.
    rect = QRectF(0, 0, WORLD.east - WORLD.west, WORLD.north - WORLD.south)
    for lat, lon, x, y in (
        (0.0, 0.0, 180.0, 84.0),  # where the equator meets Greenwich
        (35.68, 139.69, 319.69, 48.32),  # Tokyo
        (-33.87, 151.21, 331.21, 117.87),  # Sydney
        (45.52, -122.68, 57.32, 38.48),  # Portland, Oregon
    ):
        at = world.place(lat, lon, rect)
        assert (round(at.x(), 2), round(at.y(), 2)) == (x, y)
    # Twice as wide a rectangle: the map keeps its shape and is centered in it.
    wide = QRectF(0, 0, 2 * rect.width(), rect.height())
    assert world.place(0.0, 0.0, wide) == QPointF(360.0, 84.0)


def test_seven_thousand_partners_draw_without_a_tangle_of_lines(qtbot: Any, tmp_path: Path) -> None:
    world = WorldMap()
    qtbot.addWidget(world)
    markers = [
        Marker(
            n, -50 + (n * 7) % 120, -170 + (n * 13) % 340, "#4e79a7", n % 3 > 0, n % 5 == 0, f"P{n}"
        )
        for n in range(7000)
    ]
    world.set_markers((45.5, -122.7), markers)
    world.resize(1200, 700)
    world.save_png(tmp_path / "crowded.png")
    # Near neighbors are drawn as one numbered dot: every partner is counted once.
    assert sum(len(members) for _at, members in world._shown) == 7000
    assert any(len(members) > 1 for _at, members in world._shown)
    assert QImage(str(tmp_path / "crowded.png")).width() == 2400


def test_the_map_places_filters_and_opens_partners(
    make_window: Any, demo_db: Database, qtbot: Any
) -> None:
    records.create(demo_db, "partnership", {"partner_name": "Atlantis", "kind": "sister_city"})
    window = make_window(demo_db, demo_db.file)
    window.show_page("map")
    page = window.page("map")
    qtbot.waitUntil(lambda: page.positions is not None, timeout=30_000)
    places = demo_db.execute(
        "SELECT count(*) FROM partnerships WHERE kind != 'network_membership'"
    ).fetchone()[0]
    placed = len(page.map.markers)
    assert 0 < placed == places - 1  # Atlantis has no country, no name the world knows
    assert "not placed: Atlantis (set a Map position on the partnership)" in page.status.text()
    assert page.home is not None  # the demo city's own position

    # Filtering by kind keeps only those partners.
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("sister_city"))
    sister = {
        r[0] for r in demo_db.execute("SELECT id FROM partnerships WHERE kind = 'sister_city'")
    }
    assert {m.key for m in page.map.markers} <= sister and page.map.markers

    # A position set by hand puts Atlantis on the map, where it was set.
    atlantis = demo_db.execute("SELECT id FROM partnerships WHERE partner_name = 'Atlantis'")
    (atlantis_id,) = atlantis.fetchone()
    records.update(demo_db, "partnership", atlantis_id, {"location": "31.0 N, 24.0 W"})
    page.refresh()
    qtbot.waitUntil(lambda: atlantis_id in (page.positions or {}), timeout=30_000)
    marker = next(m for m in page.map.markers if m.key == atlantis_id)
    assert (marker.latitude, marker.longitude) == (31.0, -24.0)
    assert "Placed by hand" in page.map.describe(atlantis_id)

    # A click on a marker opens its partnership.
    page.map.resize(1000, 600)
    page.map.repaint()
    at = page.map.place(marker.latitude, marker.longitude)
    qtbot.mouseClick(page.map, Qt.MouseButton.LeftButton, pos=at.toPoint())
    qtbot.waitUntil(lambda: window.current_page() is window.page("partnership"))
    assert window.page("partnership").current_id == atlantis_id
    window.close()


def test_the_dashboard_makes_the_annual_report(
    make_window: Any, demo_db: Database, qtbot: Any, monkeypatch: Any
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_window(demo_db, demo_db.file)
    window.show_page("dashboard")
    page = window.page("dashboard")
    year = page.last_year.value()
    assert page.annual_button.text() == f"Annual report {year}…"
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    with qtbot.waitSignal(page.annual_ready, timeout=30_000) as ready:
        page.annual_button.click()
    text = " ".join(page.extract_text() for page in PdfReader(ready.args[0]).pages)
    assert f"International work in {year}" in " ".join(text.split())
    window.close()


def test_partners_in_one_place_are_one_numbered_dot_and_a_lone_one_stays_pointable(
    qtbot: Any,
) -> None:
    world = WorldMap()
    qtbot.addWidget(world)
    world.resize(1000, 600)
    same = [Marker(n, 35.0, 139.0, "#4e79a7", True, False, f"Partner {n}") for n in range(30)]
    lone = Marker(99, 35.0, 127.0, "#f28e2b", True, False, "Gwangju")
    world.set_markers(None, [*same, lone])
    world.grab()  # painted: the dots are where they are drawn
    sizes = sorted(len(members) for _at, members in world._shown)
    assert sizes == [1, 30]
    at = world.place(35.0, 127.0)
    assert world.marker_at(at) == lone  # the lone dot, not the big one near it
    cluster = world.place(35.0, 139.0)
    assert len(world.markers_at(cluster)) == 30
    # Zooming cannot part partners placed at one spot: a click lists them to open one.
    chosen: list[int] = []
    world._choose = lambda members, _where: chosen.append(len(members))  # type: ignore[method-assign]
    qtbot.mouseClick(world, Qt.MouseButton.LeftButton, pos=cluster.toPoint())
    assert chosen == [30]
    menu = world.choices(world.markers_at(cluster))
    names = [action.text() for action in menu.actions()]
    assert names[0] == "Partner 0" and len(names) == 26
    assert names[-1] == "…and 5 more here: filter the Partnerships list"
    with qtbot.waitSignal(world.partner_clicked) as opened:
        menu.actions()[0].trigger()
    assert opened.args == [0]


def test_saved_charts_are_on_white_whatever_the_theme(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QPalette

    from desk.ui.widgets.charts import Bar, ShareChart

    chart = ShareChart("By method")
    qtbot.addWidget(chart)
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    chart.setPalette(dark)
    chart.set_bars([Bar("Sister city", 0.6, "12 (60%)", 0.54)])
    chart.paper_title = "By method, 2017–2026, Port Meridian"
    chart.save_png(tmp_path / "c.png")
    image = QImage(str(tmp_path / "c.png"))
    assert image.pixelColor(2, 2) == QColor("#ffffff")
    assert image.height() == 2 * chart.paper_size().height() < 2 * 1000  # no empty band
    chart.save_svg(tmp_path / "c.svg")
    assert "By method, 2017–2026, Port Meridian" in (tmp_path / "c.svg").read_text("utf-8")
