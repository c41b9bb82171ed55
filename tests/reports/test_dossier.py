"""The hand-over dossier: what a successor reads on day one, read back from the PDF."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.store import records
from desk.core.store.attachments import attach_file
from desk.core.store.db import Database
from desk.reports.dossier.data import gather
from desk.reports.dossier.document import build_dossier
from tests.reports.conftest import folded, pdftotext, qpdf_check
from tests.reports.test_briefing_fuzz import ODD, _maybe, _text, _visit


def _is_pdf(path: Path) -> None:
    assert path.read_bytes().startswith(b"%PDF-")


@pytest.fixture
def kobe(db: Database) -> int:
    """Kobe with a little of everything, and Lyon beside it holding records of its own
    that must never reach Kobe's dossier; and records with no partnership at all."""
    records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    kobe = records.create(
        db,
        "partnership",
        {
            "partner_name": "Kobe",
            "partner_name_native": "神戸市",
            "kind": "sister_city",
            "country": "JP",
            "established_date": "1957-06-15",
            "status": "active",
            "sdgs": ["4", "11"],
            "notes": "Receptions alternate between the two cities.",
        },
    ).id
    lyon = records.create(db, "partnership", {"partner_name": "Lyon", "kind": "sister_city"}).id
    mayor = records.create(
        db,
        "contact",
        {
            "honorific": "Mayor",
            "given_name": "Kizo",
            "family_name": "Hisamoto",
            "name_order": "family_first",
            "name_native": "久元喜造",
            "written_address": "The Honorable Kizo Hisamoto, Mayor of Kobe",
            "languages": ["ja", "en"],
            "dietary": "no shellfish",
        },
    ).id
    records.create(
        db, "partnership_contact", {"partnership_id": kobe, "contact_id": mayor, "role": "Mayor"}
    )
    agreement = records.create(
        db,
        "agreement",
        {
            "title": "Sister City Agreement",
            "status": "in_force",
            "partnership_id": kobe,
            "signed_date": "1957-06-15",
            "expiry_date": "2027-06-15",
            "notice_days": 90,
        },
    ).id
    visit = records.create(
        db,
        "visit",
        {
            "title": "Mission to Kobe",
            "direction": "outgoing",
            "status": "completed",
            "partnership_id": kobe,
            "start_date": "2025-04-07",
            "end_date": "2025-04-10",
            "outcomes": "Port authority MOU agreed in principle.",
        },
    ).id
    records.create(
        db,
        "gift",
        {"visit_id": visit, "direction": "given", "description": "Pearl cufflinks"},
    )
    records.create(db, "follow_up", {"title": "Send the port MOU draft", "agreement_id": agreement})
    records.create(db, "follow_up", {"title": "Lyon wine fair", "partnership_id": lyon})
    records.create(db, "follow_up", {"title": "Nobody's follow-up"})
    for year, amount in ((2024, 12), (2025, 30)):
        records.create(
            db,
            "outcome",
            {
                "measure": "students",
                "amount": amount,
                "year": year,
                "partnership_id": kobe,
                "source": "Exchange office",
            },
        )
    records.create(
        db,
        "outcome",
        {
            "measure": "investment",
            "value_minor": "25,000,000",
            "currency": "USD",
            "estimate": True,
            "visit_id": visit,
        },
    )
    records.create(db, "outcome", {"measure": "jobs", "amount": 999, "partnership_id": lyon})
    attach_file(db, "agreement", agreement, b"%PDF-1.4 scanned", "executed.pdf")
    return kobe


def test_the_dossier_says_what_a_successor_needs_and_only_of_its_partnership(
    db: Database, kobe: int, tmp_path: Path
) -> None:
    out = tmp_path / "kobe.pdf"
    build_dossier(db, kobe, out)
    _is_pdf(out)
    # The front page counts what desk holds, as the records do.
    d = gather(db, kobe)
    assert (len(d.agreements), len(d.visits), len(d.follow_ups), len(d.files)) == (1, 1, 1, 1)
    text = folded(pdftotext(out))
    for expected in (
        "Hand-over dossier",
        "Kobe (神戸市)",
        "Sister city · Japan · since June 15, 1957",
        "Active since June 15, 1957",
        "4 Quality education, 11 Sustainable cities and communities",
        "Sister City Agreement",
        "June 15, 2027",  # expires
        "90 days",
        "Mayor Hisamoto Kizo (久元喜造)",
        "The Honorable Kizo Hisamoto, Mayor of Kobe",
        "Japanese, English",
        "no shellfish",
        "Mission to Kobe",
        "Port authority MOU agreed in principle.",
        "Pearl cufflinks",
        "Send the port MOU draft",
        "students exchanged 42",
        "Investment committed $25,000,000.00 (some estimated)",
        "executed.pdf",
        "Receptions alternate between the two cities.",
    ):
        assert folded(expected) in text, expected
    for elsewhere in ("Lyon wine fair", "Nobody's follow-up", "999"):
        assert folded(elsewhere) not in text, elsewhere
    assert folded("1 agreement, 1 visit, 1 counterpart, 1 open follow-up, 1 file") in text
    qpdf_check(out)


def test_a_partnership_with_only_a_name_still_has_a_dossier(db: Database, tmp_path: Path) -> None:
    bare = records.create(
        db, "partnership", {"partner_name": "Tainan", "kind": "friendship_city"}
    ).id
    out = tmp_path / "bare.pdf"
    build_dossier(db, bare, out)
    _is_pdf(out)
    text = folded(pdftotext(out))
    assert "Tainan" in text and "Friendship city" in text
    assert "Next deadline: none" in text and "Last contact: none recorded" in text
    qpdf_check(out)


@pytest.mark.parametrize("seed", range(12))
def test_dossiers_of_sparse_odd_and_huge_records_are_made_and_sound(
    db: Database, tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    if rng.random() < 0.7:
        records.create(db, "city", {"name": "Port Meridian", "time_zone": "America/Los_Angeles"})
    name = f"Fuzz partner {seed} " + (rng.choice(ODD[1:7]) or "")
    partnership = records.create(
        db,
        "partnership",
        {
            "partner_name": name,
            "kind": rng.choice(["sister_city", "friendship_city", "sector_partnership"]),
            **_maybe(
                rng,
                {
                    "partner_name_native": _text(rng),
                    "region": _text(rng),
                    "lead_department": _text(rng),
                    "notes": _text(rng, long=True),
                    # A day, or the year or month alone, as old minutes give them.
                    "established_date": rng.choice(["1989-02-28", "1989", "1989-06"]),
                },
            ),
        },
    ).id
    for n in range(rng.randint(0, 3)):
        _visit(db, rng, n, partnership)
    for _ in range(rng.randint(0, 2)):
        records.create(
            db,
            "agreement",
            {
                "title": _text(rng) or "Agreement",
                "partnership_id": partnership,
                **_maybe(
                    rng,
                    {
                        "notes": _text(rng, long=True),
                        "signed_date": rng.choice(["2020-01-01", "2020", "2020-03"]),
                    },
                ),
            },
        )
    for _ in range(rng.randint(0, 2)):
        records.create(
            db,
            "outcome",
            {
                "measure": "media_mentions",
                "amount": rng.randint(0, 10**9),
                "partnership_id": partnership,
                **_maybe(rng, {"source": _text(rng), "notes": _text(rng, long=True)}),
            },
        )
    out = tmp_path / f"{seed}.pdf"
    build_dossier(db, partnership, out)
    _is_pdf(out)
    assert folded(f"Fuzz partner {seed}") in folded(pdftotext(out))
    qpdf_check(out)


def test_the_command_line_finds_a_partnership_by_name(
    db: Database, db_path: Path, kobe: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "by-name.pdf"
    assert main(["--db", str(db_path), "report", "dossier", "kobe", "--out", str(out)]) == 0
    assert "Hand-over dossier written to" in capsys.readouterr().out
    assert "Kobe" in pdftotext(out)
    records.create(db, "partnership", {"partner_name": "KOBE", "kind": "friendship_city"})
    code = main(["--db", str(db_path), "report", "dossier", "Kobe", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1 and "2 records are named 'Kobe' (#1, #3)" in err


def test_the_dossier_says_what_the_states_rules_ask(db: Database, tmp_path: Path) -> None:
    from desk.core.features.policy import NOTICE

    records.create(
        db, "city", {"name": "Port Meridian", "state": "Texas", "time_zone": "America/Chicago"}
    )
    suzhou = records.create(
        db,
        "partnership",
        {"partner_name": "Suzhou", "country": "CN", "kind": "sister_city", "status": "active"},
    ).id
    out = tmp_path / "dossier.pdf"
    build_dossier(db, suzhou, out)
    text = folded(pdftotext(out))
    assert "What your state's rules ask" in text and "Gov't Code" in text
    assert text.count(NOTICE) == 1
