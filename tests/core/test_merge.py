"""Duplicates: likely pairs suggested with why, without comparing every pair, and two
records merged into one as one operation that keeps every link and both histories,
and that undo and redo take back and put back exactly."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from desk.cli.main import main
from desk.core.domain.kinds import KINDS, Kind
from desk.core.errors import NotFound, ValidationError
from desk.core.store import attachments, merge, records, undo
from desk.core.store.db import Database, open_database, transaction
from desk.io.dump import dump

_LEDGER = ("history", "operations", "import_batches", "import_mappings")


def records_dump(db: Database) -> str:
    """Every record of the file, as a dump holds it (the operations' own bookkeeping
    aside): what undo must give back byte for byte."""
    document = dump(db)
    for table in _LEDGER:
        document["tables"].pop(table, None)
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def pointing_at(db: Database, spec: Kind, record_id: int) -> int:
    """Rows anywhere in the file that link to the record."""
    return sum(
        db.execute(
            f"SELECT count(*) FROM {link.kind.table} WHERE {link.column} = ?", (record_id,)
        ).fetchone()[0]
        for link in merge.links_to(db, spec)
    )


def contact(db: Database, **values: Any) -> int:
    made = records.create(db, "contact", values).id
    assert made is not None
    return made


def pair_of(found: merge.Suggestions, a: int, b: int) -> merge.Pair | None:
    return next((p for p in found.pairs if {p.keep, p.other} == {a, b}), None)


# -- the links a merge moves ---------------------------------------------------------------


@pytest.mark.parametrize("kind_name", ["contact", "organisation", "partnership"])
def test_every_link_to_a_kind_is_found_from_the_declarations_and_the_schema(
    db: Database, kind_name: str
) -> None:
    spec = KINDS[kind_name]
    found = {(link.kind.name, link.column) for link in merge.links_to(db, spec)}
    declared = {
        (child.name, f.name) for child in KINDS.values() for f in child.fields if f.ref == spec.name
    }
    in_schema = {
        (child.name, fk[3])
        for child in KINDS.values()
        for fk in db.execute(f"PRAGMA foreign_key_list({child.table})").fetchall()
        if fk[2] == spec.table
    }
    assert declared and declared <= found
    assert in_schema <= found
    # An attachment's owner is a column no field declares: found through the schema.
    assert ("attachment", f"{kind_name}_id") in found


# -- merging -----------------------------------------------------------------------------


def _link_everything(db: Database, keep: int, other: int) -> dict[str, int]:
    """Give `other` a link of every sort desk has to a contact, some of which `keep`
    already has (the same partnership, the same interaction)."""
    visit = db.execute("SELECT id FROM visits ORDER BY id LIMIT 1").fetchone()[0]
    partnership = db.execute("SELECT id FROM partnerships ORDER BY id LIMIT 1").fetchone()[0]
    agreement = db.execute("SELECT id FROM agreements ORDER BY id LIMIT 1").fetchone()[0]
    office = db.execute("SELECT id FROM offices ORDER BY id LIMIT 1").fetchone()[0]
    interaction = records.create(
        db, "interaction", {"occurred_on": "2026-03-02", "subject": "Trade call"}
    ).id
    made = {
        "participant": records.create(db, "participant", {"visit_id": visit, "contact_id": other}),
        "gift": records.create(
            db,
            "gift",
            {
                "visit_id": visit,
                "direction": "received",
                "description": "Vase",
                "giver_contact_id": other,
                "recipient_contact_id": other,
            },
        ),
        "office_term": records.create(
            db, "office_term", {"office_id": office, "contact_id": other, "start_date": "2020"}
        ),
        "signatory": records.create(
            db, "signatory", {"agreement_id": agreement, "contact_id": other, "office_id": office}
        ),
        "follow_up": records.create(
            db, "follow_up", {"title": "Send the photos", "contact_id": other}
        ),
        "contact_detail": records.create(
            db,
            "contact_detail",
            {"contact_id": other, "channel": "email", "value": "old@example.org"},
        ),
    }
    records.update(db, "visit", visit, {"requester_contact_id": other, "advance_contact_id": other})
    item = db.execute("SELECT id FROM itinerary_items ORDER BY id LIMIT 1").fetchone()[0]
    records.update(db, "itinerary_item", item, {"counterpart_contact_id": other})
    # Both on one partnership (the kept one with no role) and one interaction: unique links.
    for who, role in ((keep, None), (other, "Liaison")):
        records.create(
            db,
            "partnership_contact",
            {"partnership_id": partnership, "contact_id": who, "role": role},
        )
        records.create(
            db, "interaction_participant", {"interaction_id": interaction, "contact_id": who}
        )
    attachments.attach_file(db, "contact", other, b"%PDF-1.4 card", "card.pdf")
    return {name: int(changes.id or 0) for name, changes in made.items()} | {
        "partnership": partnership,
        "interaction": int(interaction or 0),
    }


def test_a_merge_keeps_every_link_and_undo_and_redo_give_both_records_back_exactly(
    demo_db: Database,
) -> None:
    db = demo_db
    keep = contact(db, family_name="García", given_name="José", country="ES")
    other = contact(
        db, family_name="GARCIA", given_name="jose", email="jose@example.org", phone="+34 1"
    )
    made = _link_everything(db, keep, other)
    spec = KINDS["contact"]
    links_before = pointing_at(db, spec, keep) + pointing_at(db, spec, other)
    other_uid = records.get(db, "contact", other)["uid"]
    before = records_dump(db)

    done = merge.merge(db, "contact", keep, other)

    assert done.changes.label == "Merge contact “jose GARCIA” into “José García”"
    assert pointing_at(db, spec, other) == 0
    # Every link is kept but the two that would repeat one the kept record has.
    assert pointing_at(db, spec, keep) == links_before - 2
    assert done.merged_links == {"Partnerships": 1, "Interactions": 1}
    assert done.moved["Visits (requester)"] == 1 and done.moved["Attachments"] == 1
    assert db.execute("SELECT 1 FROM contacts WHERE id = ?", (other,)).fetchone() is None
    # The link merged into the kept one brought the role the kept one lacked.
    role = db.execute(
        "SELECT role FROM partnership_contacts WHERE partnership_id = ? AND contact_id = ?",
        (made["partnership"], keep),
    ).fetchone()[0]
    assert role == "Liaison"
    kept = records.get(db, "contact", keep)
    assert (kept["family_name"], kept["given_name"], kept["country"]) == ("García", "José", "ES")
    assert (kept["email"], kept["phone"]) == ("jose@example.org", "+34 1")  # filled
    # The other record's history stays, its deletion the last line of it.
    actions = [
        a
        for (a,) in db.execute(
            "SELECT action FROM history WHERE record_uid = ? ORDER BY id", (other_uid,)
        )
    ]
    assert actions[0] == "create" and actions[-1] == "delete"
    # A merge is one operation, never a trash entry of its own.
    assert undo.next_undo(db) is not None and undo.next_undo(db).label == done.changes.label
    assert not [e for e in undo.trash(db) if e.op_id == done.changes.op_id]
    after = records_dump(db)

    undo.undo(db)
    assert records_dump(db) == before
    undo.redo(db)
    assert records_dump(db) == after


def test_the_kept_values_stay_empty_ones_are_filled_and_chosen_ones_taken(db: Database) -> None:
    # Sparse and messy: a name with stray spaces and odd case on one, little on the other.
    keep = contact(db, family_name="  okafor ", email="n.okafor@lagos.gov.ng", dietary="")
    other = contact(
        db,
        family_name="Okafor",
        given_name="Ngozi",
        email="ngozi@example.org",
        job_title="Director   of Trade",
        languages="en, yo",
        notes="Met in Lagos.\n\nPrefers mornings.",
    )
    compared = merge.compare(db, "contact", keep, other)
    chosen = {c.name: c.chosen for c in compared.fields if c.keep != c.other}
    assert chosen["email"] == "keep" and chosen["given_name"] == "other"
    assert chosen["languages"] == "other" and chosen["notes"] == "other"

    merge.merge(db, "contact", keep, other, {"email": "other", "family_name": "other"})
    kept = records.get(db, "contact", keep)
    assert kept["email"] == "ngozi@example.org"  # taken
    assert kept["family_name"] == "Okafor"  # taken
    assert kept["given_name"] == "Ngozi" and kept["job_title"] == "Director   of Trade"
    assert json.loads(kept["languages"]) == ["en", "yo"]
    assert kept["notes"] == "Met in Lagos.\n\nPrefers mornings."

    # "keep" keeps the kept record's empty value rather than filling it.
    third = contact(db, family_name="Okafor", mobile="+234 80 1234 5678")
    merge.merge(db, "contact", keep, third, {"mobile": "keep"})
    assert records.get(db, "contact", keep)["mobile"] is None


def test_partnerships_merge_with_their_status_history_contacts_and_outcomes(db: Database) -> None:
    keep = records.create(
        db, "partnership", {"partner_name": "Kobe", "kind": "sister_city", "country": "JP"}
    ).id
    other = records.create(
        db,
        "partnership",
        {"partner_name": "City of Kobe", "kind": "sister_city", "established_date": "1957"},
    ).id
    assert keep is not None and other is not None
    records.change_status(db, other, "active", "1957-06-01", "Signed in Kobe")
    person = contact(db, family_name="Yamada", given_name="Taro")
    for pid in (keep, other):
        records.create(db, "partnership_contact", {"partnership_id": pid, "contact_id": person})
    records.create(
        db, "outcome", {"partnership_id": other, "measure": "jobs", "amount": 120, "year": 2024}
    )
    before = records_dump(db)
    history = db.execute(
        "SELECT count(*) FROM partnership_status_changes WHERE partnership_id IN (?, ?)",
        (keep, other),
    ).fetchone()[0]

    with pytest.raises(ValidationError, match="Status"):
        merge.merge(db, "partnership", keep, other, {"status": "other"})
    done = merge.merge(db, "partnership", keep, other)

    assert done.moved["Status history"] == 2 and done.merged_links == {"Contacts": 1}
    assert (
        db.execute(
            "SELECT count(*) FROM partnership_status_changes WHERE partnership_id = ?", (keep,)
        ).fetchone()[0]
        == history
    )
    assert (
        db.execute("SELECT count(*) FROM outcomes WHERE partnership_id = ?", (keep,)).fetchone()[0]
        == 1
    )
    assert records.get(db, "partnership", keep)["established_date"] == "1957"
    undo.undo(db)
    assert records_dump(db) == before


def test_organizations_merge_with_their_people_offices_and_files(db: Database) -> None:
    keep = records.create(db, "organisation", {"name": "Kobe City Government"}).id
    other = records.create(
        db, "organisation", {"name": "City of Kobe", "country": "JP", "kind": "city_government"}
    ).id
    assert keep is not None and other is not None
    person = contact(db, family_name="Hisamoto", organisation_id=other)
    records.create(db, "office", {"title": "Mayor of Kobe", "organisation_id": other})
    records.create(
        db,
        "partnership",
        {"partner_name": "Kobe", "kind": "sister_city", "partner_organisation_id": other},
    )
    attachments.attach_file(db, "organisation", other, b"letterhead", "letterhead.txt")
    before = records_dump(db)

    done = merge.merge(db, "organisation", keep, other)

    assert pointing_at(db, KINDS["organisation"], other) == 0
    assert pointing_at(db, KINDS["organisation"], keep) == 4
    assert records.get(db, "contact", person)["organisation_id"] == keep
    assert records.get(db, "organisation", keep)["country"] == "JP"
    # The kind was 'other' by default on the kept one: a value, not an empty field.
    assert records.get(db, "organisation", keep)["kind"] == "other"
    assert set(done.moved) == {"People", "Offices", "Partnerships", "Attachments"}
    undo.undo(db)
    assert records_dump(db) == before


def test_a_merge_of_thousands_of_links_is_one_operation_and_quick(db: Database) -> None:
    keep = contact(db, family_name="Busy")
    other = contact(db, family_name="Busy")
    interactions = records.create_many(
        db,
        "interaction",
        [{"occurred_on": "2025-01-01", "subject": f"Call {n}"} for n in range(1_500)],
    ).ids
    records.create_many(
        db,
        "interaction_participant",
        [{"interaction_id": i, "contact_id": other} for i in interactions]
        # A third of them with both: merged into the kept record's own.
        + [{"interaction_id": i, "contact_id": keep} for i in interactions[:500]],
    )
    records.create_many(
        db, "follow_up", [{"title": f"Follow {n}", "contact_id": other} for n in range(1_500)]
    )
    before = records_dump(db)
    started = time.perf_counter()
    done = merge.merge(db, "contact", keep, other)
    seconds = time.perf_counter() - started
    print(f"merged 3,000 links in {seconds:.2f} s")
    assert done.moved == {"Interactions": 1_000, "Follow-ups": 1_500}
    assert done.merged_links == {"Interactions": 500}
    assert pointing_at(db, KINDS["contact"], keep) == 3_000
    assert seconds < 30
    assert len(undo.undoable(db, 5)) >= 1
    undo.undo(db)
    assert records_dump(db) == before


def test_names_in_four_scripts_are_suggested_and_merged_whole(db: Database) -> None:
    pairs = [
        # Latin with its accents, and without them.
        (
            {"family_name": "Đặng", "given_name": "Văn Minh", "name_order": "family_first"},
            {"family_name": "DANG", "given_name": "van minh"},
        ),
        # Japanese: romanized the other way round, the same name in kanji.
        (
            {"family_name": "Yamada", "given_name": "Taro", "name_native": "山田 太郎"},
            {"family_name": "Taro", "given_name": "Yamada", "name_native": "山田太郎 "},
        ),
        # Arabic, one with its vowel marks.
        (
            {"family_name": "Al-Ali", "given_name": "Muhammad", "name_native": "مُحَمَّد العلي"},
            {"family_name": "Alali", "given_name": "Mohammed", "name_native": "محمد العلي"},
        ),
        # Cyrillic, in capitals on one.
        (
            {"family_name": "Petrov", "given_name": "Ivan", "name_native": "Иван Петров"},
            {"family_name": "Petrov", "given_name": "I.", "name_native": "ИВАН ПЕТРОВ"},
        ),
    ]
    ids = [(contact(db, **a), contact(db, **b)) for a, b in pairs]
    found = merge.suggest(db, "contact")
    for a, b in ids:
        assert pair_of(found, a, b) is not None, (a, b)
    japanese = pair_of(found, *ids[1])
    assert japanese is not None
    assert "same name with given name and family name swapped" in japanese.reasons
    arabic = pair_of(found, *ids[2])
    assert arabic is not None and arabic.reasons == ("same name in its own script (مُحَمَّد العلي)",)
    for a, b in ids:
        merge.merge(db, "contact", a, b)
    natives = [records.get(db, "contact", a)["name_native"] for a, _ in ids]
    assert natives == [None, "山田 太郎", "مُحَمَّد العلي", "Иван Петров"]
    assert records.get(db, "contact", ids[0][0])["family_name"] == "Đặng"


# -- refusals ------------------------------------------------------------------------------


def test_a_record_is_never_merged_with_itself_another_kind_or_what_is_not_there(
    db: Database,
) -> None:
    one = contact(db, family_name="Solo")
    two = contact(db, family_name="Solo")
    org = records.create(db, "organisation", {"name": "Solo Inc."}).id
    assert org is not None
    latest = undo.next_undo(db)
    with pytest.raises(ValidationError, match="cannot be merged with itself"):
        merge.merge(db, "contact", one, one)
    with pytest.raises(ValidationError, match="only be merged with another contact"):
        merge.merge(db, "contact", one, org, other_kind="organisation")
    with pytest.raises(ValidationError, match="has no field 'shoe_size'"):
        merge.merge(db, "contact", one, two, {"shoe_size": "other"})
    with pytest.raises(ValidationError, match="say 'keep' or 'other'"):
        merge.merge(db, "contact", one, two, {"email": "both"})
    with pytest.raises(NotFound):
        merge.merge(db, "contact", one, 999_999)
    with pytest.raises(ValidationError, match="merged with what they belong to"):
        merge.merge(db, "contact_detail", 1, 2)
    # Nothing written: no operation, both still there.
    assert undo.next_undo(db) == latest
    assert {records.get(db, "contact", i)["id"] for i in (one, two)} == {one, two}


# -- suggesting ----------------------------------------------------------------------------


def test_likely_pairs_are_suggested_with_why(db: Database) -> None:
    jose = contact(db, family_name="García", given_name="José", country="MX")
    jose_plain = contact(db, family_name="garcia", given_name="JOSE", country="MX")
    li = contact(db, family_name="Li", given_name="Wei", email="wei.li@sz.gov.cn")
    li_swapped = contact(db, family_name="Wei", given_name="Li", email="WEI.LI@sz.gov.cn ")
    phone_a = contact(db, family_name="Okafor", given_name="Ngozi", phone="+234 1 234 5678")
    phone_b = contact(db, family_name="Okafor", phone="(01) 234-5678 ext. 9")
    orgs = [
        records.create(db, "organisation", {"name": name, "country": "JP"}).id
        for name in ("City of Kobe", "Kobe City", "Kobe City Government", "Kobe University")
    ]
    contacts = merge.suggest(db, "contact")
    why = {frozenset((p.keep, p.other)): p.reasons for p in contacts.pairs}
    assert why[frozenset((jose, jose_plain))] == ("same name, accents, case or punctuation aside",)
    assert why[frozenset((li, li_swapped))] == (
        "same email (wei.li@sz.gov.cn)",
        "same name with given name and family name swapped",
    )
    assert why[frozenset((phone_a, phone_b))][0] == "same phone number (+234 1 234 5678)"
    # The fuller record is the one to keep.
    by_phone = pair_of(contacts, phone_a, phone_b)
    assert by_phone is not None and by_phone.keep == phone_a

    bodies = merge.suggest(db, "organisation")
    kobe, kobe_city, government, university = orgs
    assert {frozenset((p.keep, p.other)) for p in bodies.pairs} == {
        frozenset((kobe, kobe_city)),
        frozenset((kobe, government)),
        frozenset((kobe_city, government)),
    }
    shorter = pair_of(bodies, kobe_city, government)
    assert shorter is not None
    assert shorter.reasons == ("“Kobe City” is a shorter form of “Kobe City Government”",)
    assert pair_of(bodies, kobe, university) is None


def test_namesakes_told_apart_and_shared_lines_are_not_suggested(db: Database) -> None:
    # Two people of one name with their own emails, and with different countries.
    a = contact(db, family_name="Smith", given_name="John", email="john@a.org")
    b = contact(db, family_name="Smith", given_name="John", email="jsmith@b.org")
    c = contact(db, family_name="Smith", given_name="John", country="GB")
    d = contact(db, family_name="Smith", given_name="John", country="US")
    # Colleagues sharing their office's line; seven sharing a front desk's email.
    e = contact(db, family_name="Hayes", given_name="Priya", phone="+1 503 555 0164")
    f = contact(db, family_name="Okafor", given_name="Tom", phone="503-555-0164")
    desk = [contact(db, family_name=f"Staff {n}", email="info@kobe.example.jp") for n in range(7)]
    found = merge.suggest(db, "contact")
    for x, y in ((a, b), (c, d), (e, f), (desk[0], desk[1])):
        assert pair_of(found, x, y) is None, (x, y)
    assert any("7 contacts share one email (info@kobe.example.jp)" in n for n in found.left_out)
    # One with nothing to tell it apart is the same as either of those with an email.
    assert pair_of(found, a, c) is not None


def test_a_name_many_share_suggests_none_of_them_by_itself(db: Database) -> None:
    ids = [contact(db, family_name="Wang", given_name="Wei") for _ in range(8)]
    org = records.create(db, "organisation", {"name": "Shenzhen Trade Office"}).id
    linked = [contact(db, family_name="Wang", given_name="Wei", organisation_id=org) for _ in "ab"]
    found = merge.suggest(db, "contact")
    assert {frozenset((p.keep, p.other)) for p in found.pairs} == {frozenset(linked)}
    assert pair_of(found, ids[0], ids[1]) is None
    assert any("Wang" in note for note in found.left_out)


def test_namesakes_alike_by_both_their_names_are_counted_once(db: Database) -> None:
    # Three records of one person, each alike to the other two by name and in kanji:
    # two namesakes each, not four, so none of them is "one of too many".
    ids = [
        contact(db, family_name="Yamada", given_name="Taro", name_native="山田太郎")
        for _ in range(3)
    ]
    found = merge.suggest(db, "contact")
    assert len(found.pairs) == 3 and not found.left_out
    assert set(found.pairs[0].reasons) == {"same name", "same name in its own script (山田太郎)"}
    assert pair_of(found, ids[0], ids[2]) is not None


@pytest.fixture
def hundred_thousand(db: Database) -> Iterator[tuple[Database, list[tuple[int, int]]]]:
    """100,000 contacts written straight into the table (as the demo writes them), a
    few of them planted twice."""
    rng_names = [f"Family{n:05d}" for n in range(100_000)]
    rows = [
        (
            str(uuid.uuid4()),
            "2026-01-01",
            "2026-01-01",
            name,
            f"Given{n % 977}",
            "",
            f"person{n}@example.org",
            f"+1 555 {n:07d}",
            "US",
        )
        for n, name in enumerate(rng_names)
    ]
    planted = [
        (
            str(uuid.uuid4()),
            "2026-01-01",
            "2026-01-01",
            "FAMILY00042",
            "given42",
            "",
            None,
            None,
            "US",
        ),
        (
            str(uuid.uuid4()),
            "2026-01-01",
            "2026-01-01",
            "Family00777",
            None,
            "",
            "PERSON777@example.org",
            None,
            None,
        ),
        (
            str(uuid.uuid4()),
            "2026-01-01",
            "2026-01-01",
            "Family90001",
            None,
            "",
            None,
            "(555) 009-0001",
            None,
        ),
    ]
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO contacts (uid, created_at, updated_at, family_name, given_name, "
            "sort_name, email, phone, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows + planted,
        )
    yield db, [(43, 100_001), (778, 100_002), (90_002, 100_003)]


def test_suggesting_at_a_hundred_thousand_contacts_blocks_rather_than_pairs(
    hundred_thousand: tuple[Database, list[tuple[int, int]]],
) -> None:
    db, planted = hundred_thousand
    started = time.perf_counter()
    found = merge.suggest(db, "contact")
    seconds = time.perf_counter() - started
    print(f"suggested among {found.checked:,} contacts in {seconds:.2f} s")
    assert found.checked == 100_003
    assert {frozenset((p.keep, p.other)) for p in found.pairs} == {frozenset(p) for p in planted}
    # Every pair of 100,000 would be five billion comparisons: blocks take seconds.
    assert seconds < 30


# -- the command line ----------------------------------------------------------------------


def test_the_command_line_suggests_shows_merges_and_undoes(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def desk(*args: str) -> tuple[int, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out + err

    with open_database(db_path) as db:
        keep = contact(db, family_name="García", given_name="José", phone="+52 55 1234 5678")
        other = contact(db, family_name="Garcia", given_name="Jose", email="jg@example.mx")
        records.create(db, "follow_up", {"title": "Call back", "contact_id": other})
        before = records_dump(db)

    code, out = desk("duplicates", "contacts", "--json")
    assert code == 0
    listed = json.loads(out)
    assert listed["checked"] == 2
    assert [(p["keep"]["id"], p["other"]["id"]) for p in listed["pairs"]] == [(keep, other)]
    code, out = desk("duplicates", "people")
    assert code == 0 and f"desk merge contact {keep} {other}" in out

    # Without --yes: what would happen, and nothing done.
    code, out = desk("merge", "contact", str(keep), str(other), "--take", "Given name=other")
    assert code == 1
    assert "Given name (romanized): takes 'Jose' (was 'José')" in out
    assert "Email: takes 'jg@example.mx'" in out and f"moves to #{keep}: Follow-ups (1)" in out
    with open_database(db_path) as db:
        assert records_dump(db) == before

    code, out = desk("merge", "contact", str(keep), str(other), "--take", "given_name", "--yes")
    assert code == 0 and "Moved: Follow-ups (1)." in out
    with open_database(db_path) as db:
        kept = records.get(db, "contact", keep)
        assert (kept["given_name"], kept["email"]) == ("Jose", "jg@example.mx")
        assert db.execute("SELECT count(*) FROM contacts").fetchone()[0] == 1

    code, out = desk("undo")
    assert code == 0 and "Merge contact" in out
    with open_database(db_path) as db:
        assert records_dump(db) == before

    code, out = desk("merge", "contact", str(keep), str(keep), "--yes")
    assert code == 1 and "cannot be merged with itself" in out
    code, out = desk("merge", "contact", str(keep), str(other), "--take", "email=both")
    assert code == 1 and "FIELD=other or FIELD=keep" in out


def test_a_person_on_a_delegation_twice_over_is_folded_into_one(db: Database) -> None:
    keep = records.create(
        db, "contact", {"family_name": "Okafor", "given_name": "Grace", "phone": "+1 503 555 0139"}
    ).id
    other = records.create(
        db, "contact", {"family_name": "Okafor", "given_name": "Grace", "phone": "+1 503 555 0199"}
    ).id
    visit = records.create(db, "visit", {"title": "Mission to Kobe", "direction": "outgoing"}).id
    for who, role in ((keep, "principal"), (other, "delegate")):
        records.create(db, "participant", {"visit_id": visit, "contact_id": who, "role": role})
    assert keep is not None and other is not None
    merge.merge(db, "contact", keep, other)
    members = db.execute(
        "SELECT contact_id FROM visit_participants WHERE visit_id = ?", (visit,)
    ).fetchall()
    assert members == [(keep,)]  # listed once, not twice
    # The number the merge did not keep is said on the record, not lost.
    notes = records.get(db, "contact", keep)["notes"] or ""
    assert "+1 503 555 0199" in notes and records.get(db, "contact", keep)["phone"] == (
        "+1 503 555 0139"
    )
