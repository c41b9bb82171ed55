from __future__ import annotations

import itertools

from desk.core.reference import geo


def test_shapes_load_with_their_codes() -> None:
    japan = geo.country("jp")
    assert japan is not None and japan.name == "Japan"
    box = japan.box
    assert 122 < box.west < 130 and 145 < box.east < 155 and 20 < box.south < 32
    assert {"FR", "BR", "US", "RU", "FJ", "XK"} <= {c.code for c in geo.countries()}
    assert geo.country(None) is None and geo.country("ZZ") is None


def test_a_city_lies_inside_its_country() -> None:
    japan = geo.country("JP")
    assert japan is not None
    assert any(geo.contains(ring, 133.05, 35.47) for ring in japan.rings)  # Matsue
    assert not any(geo.contains(ring, 127.0, 37.5) for ring in japan.rings)  # Seoul


def test_rings_never_jump_across_the_world() -> None:
    for place in (geo.country("RU"), geo.country("FJ")):
        assert place is not None
        for ring in place.rings:
            steps = [abs(b[0] - a[0]) for a, b in itertools.pairwise(ring)]
            assert max(steps, default=0) < 180


def test_views_are_centered_and_shaped() -> None:
    view = geo.view_around(35.47, 133.05, "JP", 4 / 3)
    assert view.west < 133.05 < view.east and view.south < 35.47 < view.north
    assert 10 <= view.north - view.south <= 28
    suva = geo.view_around(-18.14, 178.44, "FJ", 4 / 3)
    assert suva.east > 180  # the view runs on past the antimeridian
    assert any(place.code == "FJ" for place, _ring in geo.rings_in(suva))
    pole = geo.view_around(78.2, 15.6, "NO", 4 / 3)  # Longyearbyen
    assert pole.north <= 89
