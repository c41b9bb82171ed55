from __future__ import annotations

import io
from pathlib import Path

import pytest
from reportlab.graphics.shapes import Path as Shape

from desk.reports.writers.locator import locator_map
from desk.reports.writers.pdf import DeskDocument
from tests.reports.conftest import qpdf_check

PLACES = [
    ("Tokyo", 35.69, 139.69, "JP"),
    ("Wellington", -41.29, 174.78, "NZ"),
    ("Suva", -18.14, 178.44, "FJ"),
    ("Reykjavik", 64.15, -21.94, "IS"),
    ("Anchorage", 61.22, -149.9, "US"),
    ("Nowhere", 0.0, -160.0, None),
]


@pytest.mark.parametrize(("name", "lat", "lon", "code"), PLACES)
def test_every_shape_stays_inside_the_frame(name: str, lat: float, lon: float, code: str) -> None:
    drawing = locator_map(lat, lon, code, width=190, height=140)
    shapes = [s for s in drawing.contents if isinstance(s, Shape)]
    assert shapes or code is None, name
    for shape in shapes:
        x0, y0, x1, y1 = shape.getBounds()
        assert x0 >= -0.01 and x1 <= 190.01 and y0 >= -0.01 and y1 <= 140.01, name


def test_the_partner_country_is_picked_out() -> None:
    drawing = locator_map(35.69, 139.69, "JP", width=190, height=140)
    fills = {s.fillColor.hexval() for s in drawing.contents if isinstance(s, Shape)}
    assert len(fills) >= 2  # the country in its own color among the others


def test_maps_make_a_sound_pdf(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    doc = DeskDocument(buffer, title="Maps", header="Maps", marking="", footer="")
    doc.render(
        [locator_map(lat, lon, code, width=190, height=140) for _n, lat, lon, code in PLACES]
    )
    out = tmp_path / "maps.pdf"
    out.write_bytes(buffer.getvalue())
    assert buffer.getvalue().startswith(b"%PDF-") and len(buffer.getvalue()) < 400_000
    qpdf_check(out)
