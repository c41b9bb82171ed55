from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from desk.core.domain.kinds import KINDS
from desk.core.errors import NotFound, ValidationError
from desk.core.store import attachments, queries, records, undo
from desk.core.store.db import Database


def _base(db: Database) -> dict[str, int]:
    """One of each record others link to."""
    ids: dict[str, int] = {}
    ids["organisation"] = records.create(
        db, "organisation", {"name": "Kobe City Hall", "country": "JP"}
    ).id
    ids["contact"] = records.create(
        db, "contact", {"family_name": "Yamada", "given_name": "Taro", "name_native": "山田太郎"}
    ).id
    ids["office"] = records.create(db, "office", {"title": "Mayor of Kobe"}).id
    ids["partnership"] = records.create(
        db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}
    ).id
    ids["agreement"] = records.create(db, "agreement", {"title": "Sister city agreement"}).id
    ids["visit"] = records.create(
        db, "visit", {"title": "Mission to Kobe", "direction": "outgoing"}
    ).id
    ids["interaction"] = records.create(
        db, "interaction", {"occurred_on": "2025-01-10", "subject": "Call"}
    ).id
    return ids


# For each kind: values to create it with, a change to make, and a bad value with the
# field the error must name.
CASES: dict[str, tuple[dict[str, Any], dict[str, Any], tuple[str, Any]]] = {
    "city": (
        {"name": "Port Meridian", "time_zone": "America/Los_Angeles"},
        {"staff_international": "4"},
        ("staff_international", "four"),
    ),
    "organisation": (
        {
            "name": "Suzhou Foreign Affairs Office",
            "name_native": "苏州市外事办公室",
            "kind": "regional_government",
            "country": "China",
        },
        {"city": "Suzhou"},
        ("country", "Atlantis"),
    ),
    "contact": (
        {
            "family_name": "Nguyễn",
            "given_name": "Văn An",
            "languages": "vi, English",
            "time_zone": "Asia/Ho_Chi_Minh",
            "email": "an@example.vn",
        },
        {"dietary": "halal"},
        ("email", "not-an-email"),
    ),
    "office": (
        {"title": "Governor of Jalisco", "side": "theirs"},
        {"country": "MX"},
        ("side", "middle"),
    ),
    "office_term": (
        {"office_id": "@office", "contact_id": "@contact", "start_date": "2021-05-01"},
        {"end_date": "2025-04-30"},
        ("start_date", "spring 2021"),
    ),
    "partnership": (
        {
            "partner_name": "Jeonju",
            "partner_name_native": "전주시",
            "kind": "Sister city",
            "country": "KR",
            "priority_areas": "Culture & education",
        },
        {"lead_department": "Parks"},
        ("kind", "cousin city"),
    ),
    "status_change": (
        # Dated today: the base partnership's first status is too, and the latest counts.
        {
            "partnership_id": "@partnership",
            "status": "active",
            "changed_on": dt.date.today().isoformat(),
            "reason": "Council vote",
        },
        {"reason": "signed"},
        ("changed_on", "the day before"),
    ),
    "partnership_contact": (
        {"partnership_id": "@partnership", "contact_id": "@contact"},
        {"role": "Counterpart"},
        ("contact_id", "Yamada"),
    ),
    "agreement": (
        {
            "title": "MOU on climate",
            "signed_date": "2024-01-01",
            "effective_date": "2024-02-01",
            "term_months": 36,
            "notice_days": 90,
        },
        {"auto_renew": "yes"},
        ("term_months", "three years"),
    ),
    "signatory": (
        {"agreement_id": "@agreement", "office_id": "@office"},
        {"signed_on": "2024-01-01"},
        ("side", "both"),
    ),
    "network": (
        {"network_name": "ICLEI", "fee_minor": "2500.00", "fee_currency": "USD"},
        {"status": "lapsed"},
        ("fee_minor", "lots"),
    ),
    "visit": (
        {
            "title": "Delegation from Suzhou",
            "direction": "incoming",
            "start_date": "2026-05-01",
            "end_date": "2026-05-03",
        },
        {"mode": "hybrid"},
        ("direction", "sideways"),
    ),
    "itinerary_item": (
        {
            "visit_id": "@visit",
            "title": "Courtesy call",
            "starts_at": "2026-05-01 09:30",
            "time_zone": "Asia/Tokyo",
        },
        {"place": "City Hall"},
        ("time_zone", "Tokyo time"),
    ),
    "participant": (
        {"visit_id": "@visit", "contact_id": "@contact", "role": "principal"},
        {"notes": "Arrives a day early"},
        ("role", "mascot"),
    ),
    "gift": (
        {
            "visit_id": "@visit",
            "direction": "given",
            "description": "Myrtlewood bowl",
            "value_minor": "95.00",
            "currency": "USD",
        },
        {"disposition": "delivered"},
        ("currency", "dollars"),
    ),
    "travel_leg": (
        {
            "visit_id": "@visit",
            "direction": "arrival",
            "carrier": "Japan Airlines",
            "number": "JL 68",
            "from_place": "Tokyo Haneda",
            "to_place": "Seattle",
            "arrives_at": "2025-05-11T09:30",
            "time_zone": "America/Los_Angeles",
        },
        {"met_by": "Protocol officer"},
        ("arrives_at", "2025-05-32T09:30"),
    ),
    "cost": (
        {
            "visit_id": "@visit",
            "category": "lodging",
            "description": "Hotel, four nights",
            "amount_minor": "1,840.00",
            "currency": "USD",
        },
        {"status": "actual"},
        ("amount_minor", "a lot"),
    ),
    "interaction": (
        {"occurred_on": "2025-03-01", "subject": "Anniversary planning"},
        {"kind": "call"},
        ("occurred_on", "2025-02-30"),
    ),
    "interaction_participant": (
        {"interaction_id": "@interaction", "contact_id": "@contact"},
        {},
        ("contact_id", "99999"),
    ),
    "follow_up": (
        {"title": "Send thank-you letters", "due_date": "2026-06-01"},
        {"done_on": "2026-05-28"},
        ("due_date", "soon"),
    ),
    "contact_detail": (
        {"contact_id": "@contact", "channel": "email", "label": "home", "value": "a@b.example"},
        {"label": "work"},
        ("channel", "pigeon"),
    ),
    "outcome": (
        {
            "measure": "investment",
            "value_minor": "12,500,000",
            "currency": "USD",
            "year": 2025,
            "estimate": True,
            "source": "Mayor's press release, June 2025",
            "visit_id": "@visit",
        },
        {"year": 2026},
        ("year", "last year"),
    ),
}


def _resolve(values: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    return {
        k: ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v for k, v in values.items()
    }


def test_an_outcome_says_what_it_counts_and_what_it_belongs_to(db: Database) -> None:
    ids = _base(db)
    with pytest.raises(ValidationError) as money:
        records.create(db, "outcome", {"measure": "investment", "amount": 3, "visit_id": 1})
    assert money.value.field == "value_minor" and "Investment committed" in str(money.value)
    with pytest.raises(ValidationError) as count:
        records.create(db, "outcome", {"measure": "jobs", "partnership_id": ids["partnership"]})
    assert count.value.field == "amount" and "'Jobs announced' needs a number" in str(count.value)
    with pytest.raises(ValidationError) as orphan:
        records.create(db, "outcome", {"measure": "jobs", "amount": 40})
    assert orphan.value.field == "partnership_id"
    made = records.create(
        db, "outcome", {"measure": "jobs", "amount": 40, "partnership_id": ids["partnership"]}
    )
    assert records.title_of(db, "outcome", made.id) == "Jobs announced: 40"
    assert queries.count(db, "outcome") == 1  # nothing half-stored from the refusals


def test_every_kind_has_a_case() -> None:
    assert set(CASES) == set(KINDS) - {"attachment"}


@pytest.mark.parametrize("kind_name", sorted(CASES))
def test_create_edit_delete_and_reject(db: Database, kind_name: str) -> None:
    ids = _base(db)
    create_values, change, (bad_field, bad_value) = CASES[kind_name]
    record_id = records.create(db, kind_name, _resolve(create_values, ids)).id
    row = records.get(db, kind_name, record_id)
    assert row["uid"] and row["created_at"]

    if change:
        changes = records.update(db, kind_name, record_id, change).fields
        assert set(changes) >= set(change)
        assert records.update(db, kind_name, record_id, change).fields == {}  # nothing new

    history_before = db.execute("SELECT count(*) FROM history").fetchone()[0]
    stored_before = records.get(db, kind_name, record_id)
    with pytest.raises(ValidationError) as caught:
        records.update(db, kind_name, record_id, {bad_field: bad_value})
    assert caught.value.field == bad_field
    assert KINDS[kind_name].field_map[bad_field].label in str(caught.value)
    assert records.get(db, kind_name, record_id) == stored_before
    assert db.execute("SELECT count(*) FROM history").fetchone()[0] == history_before

    records.delete(db, kind_name, record_id)
    with pytest.raises(NotFound):
        records.get(db, kind_name, record_id)
    actions = [
        a
        for (a,) in db.execute(
            "SELECT action FROM history WHERE kind = ? AND record_id = ? ORDER BY id",
            (kind_name, record_id),
        )
    ]
    assert actions[0] == "create" and actions[-1] == "delete"


def test_required_and_unknown_fields_are_named(db: Database) -> None:
    with pytest.raises(
        ValidationError, match="'Family name \\(romanized\\)' \\(family_name\\) is required"
    ):
        records.create(db, "contact", {"given_name": "Taro"})
    with pytest.raises(ValidationError, match="no field 'nickname'"):
        records.create(db, "contact", {"family_name": "Sato", "nickname": "S"})
    assert queries.count(db, "contact") == 0


def test_a_bad_reference_writes_nothing(db: Database) -> None:
    with pytest.raises(ValidationError, match="there is no visit 42"):
        records.create(
            db,
            "itinerary_item",
            {"visit_id": 42, "title": "x", "starts_at": "2026-01-01T10:00", "time_zone": "UTC"},
        )
    assert db.execute("SELECT count(*) FROM itinerary_items").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM history").fetchone()[0] == 0


def test_cross_field_rules(db: Database) -> None:
    with pytest.raises(ValidationError, match="'Ends' \\(5/1/2026\\) is before") as caught:
        records.create(
            db,
            "visit",
            {
                "title": "x",
                "direction": "incoming",
                "start_date": "2026-05-03",
                "end_date": "2026-05-01",
            },
        )
    assert caught.value.field == "end_date"
    with pytest.raises(ValidationError, match="needs 'Currency'"):
        records.create(
            db, "gift", {"direction": "given", "description": "Vase", "value_minor": 1000}
        )
    with pytest.raises(ValidationError, match="needs an office"):
        agreement = records.create(db, "agreement", {"title": "MOU"}).id
        records.create(db, "signatory", {"agreement_id": agreement})


def test_agreement_expiry_and_decision_deadline(db: Database) -> None:
    aid = records.create(
        db,
        "agreement",
        {"title": "MOU", "effective_date": "2024-01-31", "term_months": 37, "notice_days": 90},
    ).id
    row = records.get(db, "agreement", aid)
    assert row["expiry_date"] == "2027-02-28"
    # expiry less 90 days' notice less the default 30 days of our own preparation
    assert row["decision_deadline"] == "2026-10-31"
    records.update(db, "agreement", aid, {"buffer_days": 0})
    assert records.get(db, "agreement", aid)["decision_deadline"] == "2026-11-30"


def test_money_uses_the_currency_precision(db: Database) -> None:
    visit = records.create(db, "visit", {"title": "v", "direction": "incoming"}).id
    yen = records.create(
        db,
        "gift",
        {
            "visit_id": visit,
            "direction": "received",
            "description": "Tea set",
            "value_minor": "15000",
            "currency": "JPY",
        },
    ).id
    assert records.get(db, "gift", yen)["value_minor"] == 15000
    dollars = records.create(
        db,
        "gift",
        {
            "visit_id": visit,
            "direction": "given",
            "description": "Bowl",
            "value_minor": "95.50",
            "currency": "usd",
        },
    ).id
    assert records.get(db, "gift", dollars)["value_minor"] == 9550
    with pytest.raises(ValidationError, match="more than 0 decimal places"):
        records.update(db, "gift", yen, {"value_minor": "15000.5"})


def test_partnership_status_walks_with_date_and_reason(db: Database) -> None:
    pid = records.create(
        db,
        "partnership",
        {"partner_name": "Fez", "kind": "sister_city", "established_date": "2024-02-01"},
    ).id
    assert records.get(db, "partnership", pid)["status"] == "proposed"
    with pytest.raises(ValidationError, match="date and a reason"):
        records.update(db, "partnership", pid, {"status": "active"})
    with pytest.raises(ValidationError, match="reason"):
        records.change_status(db, pid, "active", "2025-01-01", "")
    records.change_status(db, pid, "active", "2025-01-01", "Council resolution 2025-12")
    assert records.get(db, "partnership", pid)["status"] == "active"
    with pytest.raises(ValidationError, match="already 'Active'"):
        records.change_status(db, pid, "active", "2025-02-01", "again")
    records.change_status(db, pid, "dormant", "2026-03-01", "No exchanges since 2025")
    assert records.get(db, "partnership", pid)["status"] == "dormant"
    history = db.execute(
        "SELECT status, changed_on, reason FROM partnership_status_changes "
        "WHERE partnership_id = ? ORDER BY changed_on",
        (pid,),
    ).fetchall()
    assert history == [
        ("proposed", "2024-02-01", "Recorded in desk"),
        ("active", "2025-01-01", "Council resolution 2025-12"),
        ("dormant", "2026-03-01", "No exchanges since 2025"),
    ]


def test_deleting_a_contact_keeps_their_name_where_they_took_part(db: Database) -> None:
    visit = records.create(db, "visit", {"title": "Mission", "direction": "outgoing"}).id
    contact = records.create(db, "contact", {"family_name": "Kim", "given_name": "Min-jun"}).id
    member = records.create(db, "participant", {"visit_id": visit, "contact_id": contact}).id
    office = records.create(db, "office", {"title": "Mayor of Jeonju"}).id
    agreement = records.create(db, "agreement", {"title": "MOU"}).id
    signatory = records.create(db, "signatory", {"agreement_id": agreement, "office_id": office}).id
    records.delete(db, "contact", contact)
    records.delete(db, "office", office)
    assert records.get(db, "participant", member)["name"] == "Min-jun Kim"
    assert records.get(db, "signatory", signatory)["office_title"] == "Mayor of Jeonju"


def test_delete_says_what_goes_and_records_it(db: Database) -> None:
    visit = records.create(db, "visit", {"title": "Mission", "direction": "outgoing"}).id
    contact = records.create(db, "contact", {"family_name": "Kim"}).id
    for hour in (9, 11):
        records.create(
            db,
            "itinerary_item",
            {
                "visit_id": visit,
                "title": f"Meeting {hour}",
                "starts_at": f"2026-01-01T{hour:02d}:00",
                "time_zone": "Asia/Seoul",
            },
        )
    records.create(db, "participant", {"visit_id": visit, "contact_id": contact})
    records.create(
        db, "interaction", {"occurred_on": "2026-01-02", "subject": "Debrief", "visit_id": visit}
    )
    impact = records.delete_impact(db, "visit", visit)
    assert impact.removed == {"Itinerary": 2, "Delegation": 1}
    assert impact.unlinked == {"Interactions": 1}
    assert "Also deletes 2 itinerary items, 1 delegation member" in impact.describe()
    changed = records.delete(db, "visit", visit)
    # The interaction is unlinked, not deleted: it changed too, so its lists refresh.
    assert changed.kinds == {"visit", "itinerary_item", "participant", "interaction"}
    assert changed.deleted[-1] == ("visit", visit)  # children first, so undo is parents first
    assert db.execute("SELECT count(*) FROM itinerary_items").fetchone()[0] == 0
    assert db.execute("SELECT visit_id FROM interactions").fetchone()[0] is None
    assert queries.count(db, "contact") == 1
    deleted = db.execute(
        "SELECT kind, changes FROM history WHERE action = 'delete' AND kind = 'itinerary_item'"
    ).fetchall()
    assert sorted(json.loads(row[1])["title"] for row in deleted) == ["Meeting 11", "Meeting 9"]


def test_attachments_are_stored_inside_the_database(db: Database, tmp_path: Path) -> None:
    agreement = records.create(db, "agreement", {"title": "MOU"}).id
    scan = tmp_path / "executed copy.pdf"
    scan.write_bytes(b"%PDF-1.4 pretend scan \x00\xff")
    first = attachments.attach_file(db, "agreement", agreement, scan).id
    second = attachments.attach_file(db, "agreement", agreement, scan.read_bytes(), "again.pdf").id
    assert db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1  # stored once
    listed = attachments.list_for(db, "agreement", agreement)
    assert [a["filename"] for a in listed] == ["again.pdf", "executed copy.pdf"]
    assert listed[1]["media_type"] == "application/pdf"
    out = attachments.save_copy(db, first, tmp_path / "out.pdf")
    assert out.read_bytes() == scan.read_bytes()
    attachments.remove(db, first)
    assert db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    records.delete(db, "agreement", agreement)
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0
    # The contents stay while the deleted attachments are in the trash.
    assert db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1
    undo.empty_trash(db)
    assert db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    with pytest.raises(NotFound):
        attachments.content(db, second)
    with pytest.raises(ValidationError, match="cannot be attached to a gift"):
        attachments.attach_file(db, "gift", 1, b"x", "x.txt")


def test_related_lists_links_both_ways(db: Database) -> None:
    ids = _base(db)
    records.create(
        db,
        "partnership_contact",
        {"partnership_id": ids["partnership"], "contact_id": ids["contact"]},
    )
    records.update(db, "agreement", ids["agreement"], {"partnership_id": ids["partnership"]})
    labels = [g.label for g in queries.related(db, "partnership", ids["partnership"])]
    assert "Agreements" in labels and "Partnership contacts" in labels
    contact_links = queries.describe(db, "contact", ids["contact"])["links"]
    assert any("Kobe" in line for lines in contact_links.values() for line in lines)


def test_text_is_kept_as_typed(db: Database) -> None:
    hostile = "=1+2 <b>bold</b> & \u202eevil\u202c 山田 \U0001f600"
    cid = records.create(db, "contact", {"family_name": hostile, "notes": "line 1\nline 2 "}).id
    row = records.get(db, "contact", cid)
    assert row["family_name"] == hostile
    assert row["notes"] == "line 1\nline 2 "
    with pytest.raises(ValidationError, match="NUL"):
        records.create(db, "contact", {"family_name": "bad\x00name"})
