"""Packets for visits with random fields empty, odd or huge: every one is made, is a sound
PDF, and carries its visit's title. Seeded, so a failure names a case that replays."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from desk.core.store import records
from desk.core.store.attachments import attach_file
from desk.core.store.db import Database
from desk.reports.briefing.packet import BriefingOptions, build_briefing
from tests.reports.conftest import folded, pdftotext, qpdf_check

ODD = [
    "",
    "x<y & <b>bold</b> <img src='/etc/passwd'/>",
    "=1+2",
    "مدينة الإسكندرية",
    "渡辺恵子",
    "김민준",
    "中文 😀 D",
    "bell\x07 tab\t and\nnew line",
    "Ｆｕｌｌｗｉｄｔｈ",
    "a" * 5000,
    "Word " * 400,
]
ZONES = ["Asia/Tokyo", "Europe/Paris", "America/Sao_Paulo", "Australia/Sydney", "UTC"]


def _text(rng: random.Random, long: bool = False) -> str | None:
    """Odd text; a short field gets its longest allowed (a 1,995-character name)."""
    choice = rng.choice([*ODD, None, None, "Plain words"])
    if choice and not long and len(choice) > 2000:
        choice = choice[:1995]
    return choice or None


def _maybe(rng: random.Random, values: dict[str, Any]) -> dict[str, Any]:
    """Keep each optional field with even odds; quick entry leaves most empty."""
    return {k: v for k, v in values.items() if v is not None and rng.random() < 0.5}


def _contact(db: Database, rng: random.Random) -> int | None:
    """A contact with any of its printed fields odd or empty, sometimes with a photo that
    is not an image."""
    if rng.random() < 0.3:
        return None
    contact = records.create(
        db,
        "contact",
        {
            "family_name": _text(rng) or "Sato",
            **_maybe(
                rng,
                {
                    "given_name": _text(rng),
                    "name_native": _text(rng),
                    "honorific": _text(rng),
                    "job_title": _text(rng),
                    "spoken_address": _text(rng),
                    "dietary": _text(rng),
                    "mobile": _text(rng),
                    "bio": _text(rng, long=True),
                },
            ),
        },
    ).id
    if rng.random() < 0.2:
        attach_file(db, "contact", contact, b"\x89PNG not really", "photo.png")
    return contact


def _visit(db: Database, rng: random.Random, n: int, partnership: int | None) -> tuple[int, str]:
    title = f"Fuzz visit {n} " + (rng.choice(ODD[1:7]) or "")
    direction = rng.choice(["incoming", "outgoing"])
    values = {
        "title": title,
        "direction": direction,
        **_maybe(
            rng,
            {
                "partnership_id": partnership,
                "country": rng.choice(["JP", "FR", "BR", "AU", "EG", "KR", "TW"]),
                "city": _text(rng),
                "time_zone": rng.choice(ZONES),
                "start_date": "2026-05-10",
                "principal": _text(rng),
                "purpose": _text(rng, long=True),
                "objectives": _text(rng, long=True),
                "press_line": _text(rng, long=True),
                "notes": _text(rng, long=True),
                "avoid": _text(rng, long=True),
                "travel": _text(rng, long=True),
                "lodging": _text(rng, long=True),
                "advance_contact_id": _contact(db, rng),
            },
        ),
    }
    if "start_date" in values and rng.random() < 0.5:
        values["end_date"] = rng.choice(["2026-05-10", "2026-05-13"])
    visit = records.create(db, "visit", values).id
    for item in range(rng.randint(0, 4)):
        records.create(
            db,
            "itinerary_item",
            {
                "visit_id": visit,
                "title": _text(rng) or f"Meeting {item}",
                "starts_at": f"2026-05-1{rng.randint(0, 2)}T{rng.randint(0, 23):02d}:00",
                "time_zone": rng.choice(ZONES),
                **_maybe(
                    rng,
                    {
                        "place": _text(rng),
                        "counterpart": _text(rng),
                        "dress_code": rng.choice(["business", "formal", "national", None]),
                        "talking_points": _text(rng, long=True),
                        "likely_asks": _text(rng, long=True),
                        "sensitivities": _text(rng, long=True),
                        "purpose": _text(rng, long=True),
                        "our_attendees": _text(rng),
                        "their_attendees": _text(rng),
                        "run_of_show": _text(rng, long=True),
                        "counterpart_contact_id": _contact(db, rng),
                    },
                ),
            },
        )
    for _ in range(rng.randint(0, 3)):
        records.create(
            db,
            "participant",
            {
                "visit_id": visit,
                "name": _text(rng) or "Guest",
                **_maybe(
                    rng,
                    {
                        "notes": _text(rng, long=True),
                        "contact_id": _contact(db, rng),
                        "side": rng.choice(["ours", "theirs"]),
                    },
                ),
            },
        )
    for _ in range(rng.randint(0, 2)):
        records.create(
            db,
            "gift",
            {
                "visit_id": visit,
                "direction": rng.choice(["given", "received"]),
                "description": _text(rng) or "Book",
                **_maybe(rng, {"recipient": _text(rng), "notes": _text(rng, long=True)}),
            },
        )
    return visit, title


@pytest.mark.parametrize("seed", range(34))
def test_every_packet_is_made_and_sound(db: Database, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    if rng.random() < 0.7:
        records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    partnership = None
    if rng.random() < 0.5:
        partnership = records.create(
            db, "partnership", {"partner_name": _text(rng) or "Kobe", "kind": "sister_city"}
        ).id
    made: list[tuple[int, bool, Path]] = []
    for n in range(3):
        visit, _title = _visit(db, rng, n, partnership)
        for shareable in (False, True):
            out = tmp_path / f"{seed}-{n}-{shareable}.pdf"
            build_briefing(db, visit, out, BriefingOptions(shareable=shareable))
            assert out.read_bytes().startswith(b"%PDF-")
            made.append((n, shareable, out))
    # Read back once every packet is made, so a missing tool skips only what needs it.
    for n, shareable, out in made:
        assert folded(f"Fuzz visit {n}") in folded(pdftotext(out)), (seed, n, shareable)
    qpdf_check(*(out for _n, _shareable, out in made))
