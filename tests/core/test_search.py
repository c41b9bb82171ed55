from __future__ import annotations

from pathlib import Path

import pytest

from desk.core.features import search
from desk.core.store import index, records
from desk.core.store.db import Database
from desk.core.store.index import index_gaps


@pytest.fixture
def people(db: Database) -> dict[str, int]:
    made = {
        "wang": {
            "family_name": "Wang",
            "given_name": "Wei",
            "name_native": "王伟",
            "name_order": "family_first",
        },
        "yamada": {"family_name": "Yamada", "given_name": "Taro", "name_native": "山田 太郎"},
        "kim": {"family_name": "Kim", "given_name": "Min-jun", "name_native": "김민준"},
        "ivanova": {"family_name": "Ivanova", "given_name": "Olga", "name_native": "Ольга Иванова"},
        "ali": {"family_name": "Al-Ali", "given_name": "Fatima", "name_native": "فاطمة العلي"},
        "nguyen": {"family_name": "Nguyen", "given_name": "Van An", "name_native": "Nguyễn Văn An"},
        "dang": {"family_name": "Đặng", "given_name": "Thu Hằng"},
        "muller": {
            "family_name": "Müller",
            "given_name": "Jürgen",
            "notes": "Leads the Freiburg solar programme",
        },
        "nunez": {"family_name": "Núñez", "given_name": "José Luis"},
    }
    return {key: records.create(db, "contact", values).id for key, values in made.items()}


def _found(db: Database, text: str) -> set[int]:
    return {hit.record_id for hit in search.search(db, text) if hit.kind == "contact"}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("muller", "muller"),
        ("Müller", "muller"),
        ("jurgen", "muller"),
        ("nunez jose", "nunez"),
        ("Núñez", "nunez"),
        ("nguyen", "nguyen"),
        ("Nguyễn", "nguyen"),
        ("dang", "dang"),
        ("Đặng", "dang"),
        ("hang", "dang"),
        ("王伟", "wang"),
        ("王", "wang"),
        ("伟", "wang"),
        ("山田", "yamada"),
        ("太郎", "yamada"),
        ("김민준", "kim"),
        ("민준", "kim"),
        ("Иванова", "ivanova"),
        ("иван", "ivanova"),
        ("فاطمة", "ali"),
        ("solar", "muller"),
        ("frei", "muller"),
        ("min-jun", "kim"),
    ],
)
def test_names_in_every_script_are_found(
    db: Database, people: dict[str, int], query: str, who: str
) -> None:
    assert people[who] in _found(db, query)


def test_cjk_order_matters_and_words_combine(db: Database, people: dict[str, int]) -> None:
    assert _found(db, "田山") == set()
    assert _found(db, "wang 王伟") == {people["wang"]}
    assert _found(db, "wang yamada") == set()


def test_index_follows_every_write(db: Database, people: dict[str, int]) -> None:
    records.update(db, "contact", people["kim"], {"notes": "Loves baseball"})
    assert _found(db, "baseball") == {people["kim"]}
    records.delete(db, "contact", people["kim"])
    assert _found(db, "baseball") == set()
    assert index.index_gaps(db) == 0


def test_hostile_queries_do_not_break_search(db: Database, people: dict[str, int]) -> None:
    for text in ['"', "*", "AND OR NOT", "(", "NEAR(", "a:b", "'", "-", "^", "   "]:
        search.search(db, text)  # must not raise
    assert search.search(db, "") == []


def test_search_covers_every_searchable_kind(db: Database) -> None:
    records.create(db, "organisation", {"name": "Consulate General of Japan"})
    records.create(
        db, "partnership", {"partner_name": "Curitiba", "kind": "sister_city", "country": "BR"}
    )
    records.create(db, "agreement", {"title": "MOU", "body_text": "bus rapid transit"})
    records.create(db, "network", {"network_name": "ICLEI"})
    records.create(
        db,
        "visit",
        {
            "title": "Mission",
            "direction": "outgoing",
            "objectives": "Study the rapid transit system",
        },
    )
    kinds = {hit.kind for hit in search.search(db, "rapid")}
    assert kinds == {"agreement", "visit"}
    assert {hit.kind for hit in search.search(db, "brazil")} == {"partnership"}
    assert {hit.kind for hit in search.search(db, "iclei")} == {"network"}
    assert {hit.kind for hit in search.search(db, "consulate")} == {"organisation"}
    hit = search.search(db, "transit", kinds=["agreement"])[0]
    assert "[transit]" in hit.snippet and hit.title == "MOU"


def test_snippets_show_cjk_as_written(db: Database, people: dict[str, int]) -> None:
    hit = search.search(db, "山田")[0]
    assert "[山田]" in hit.snippet


def test_search_finds_what_a_person_wrote_inside_a_visit_and_says_where(db: Database) -> None:
    visit = records.create(db, "visit", {"title": "Mission to Kobe", "direction": "outgoing"}).id
    partner = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"}).id
    records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit,
            "title": "Courtesy call on the Mayor",
            "starts_at": "2027-05-11T10:00",
            "time_zone": "Asia/Tokyo",
            "talking_points": "Thank them for the cherry trees",
        },
    )
    records.create(
        db,
        "gift",
        {"visit_id": visit, "direction": "given", "description": "Pendleton blanket"},
    )
    records.create(
        db,
        "interaction",
        {"occurred_on": "2026-01-05", "subject": "Call with the consul", "partnership_id": partner},
    )
    records.create(db, "follow_up", {"title": "Send thank-you letters", "visit_id": visit})
    found = {
        text: [(h.kind, h.parent) for h in search.search(db, text)]
        for text in ("courtesy call", "cherry", "pendleton", "consul", "thank-you letters")
    }
    assert found["courtesy call"] == [("itinerary_item", "Visit: Mission to Kobe")]
    assert found["cherry"] == [("itinerary_item", "Visit: Mission to Kobe")]
    assert found["pendleton"] == [("gift", "Visit: Mission to Kobe")]
    assert found["consul"] == [("interaction", "Partnership: Kobe")]
    assert found["thank-you letters"] == [("follow_up", "Visit: Mission to Kobe")]
    # Edits and deletes follow into the index, as for every other kind.
    records.update(db, "follow_up", 1, {"title": "Send the photos"})
    assert search.search(db, "thank-you letters") == []
    assert index_gaps(db) == 0


def test_an_older_database_gets_the_new_kinds_indexed_when_opened(tmp_path: Path) -> None:
    import sqlite3

    from desk.core.store.db import open_database
    from tests.old_files import old_file

    # Schema 4's release indexed no follow-ups; opening the file it wrote indexes them.
    path = old_file(4, tmp_path)
    with sqlite3.connect(path) as conn:
        title = conn.execute("SELECT title FROM follow_ups ORDER BY id LIMIT 1").fetchone()[0]
        assert not conn.execute(
            "SELECT count(*) FROM search_index WHERE kind = 'follow_up'"
        ).fetchone()[0]
    db = open_database(path)
    try:
        found = search.search(db, title, kinds=["follow_up"])
        assert title in [h.title for h in found]
        assert index_gaps(db) == 0
    finally:
        db.close()


def _attached(db: Database, made: dict[str, int], values: dict[str, object]) -> int:
    """An attachment with the values asked for: attached to a contact, then the rest
    written as the reading of its text would write them."""
    from desk.core.store import attachments

    if "contact" not in made:
        made["contact"] = int(records.create(db, "contact", _minimal(db, "contact", made)).id or 0)
    new = attachments.attach_file(
        db,
        "contact",
        made["contact"],
        b"%PDF-1.4",
        str(values.get("filename") or "file.pdf"),
        description=str(values.get("description") or "") or None,
    ).id
    assert new is not None
    if values.get("content_text"):
        attachments.keep_text(db, new, str(values["content_text"]), None)
    return new


def _minimal(db: Database, kind: str, made: dict[str, int]) -> dict[str, object]:
    """A valid record of `kind` with only what it must have (its links made first)."""
    from desk.core.domain.kinds import KINDS

    spec = KINDS[kind]
    values: dict[str, object] = {}
    needed = [f for f in spec.fields if f.required]
    needed += [spec.field_map[rule.fields[0]] for rule in spec.needs_one_of]
    for field in needed:
        if field.ref:
            if field.ref not in made:
                made[field.ref] = int(
                    records.create(db, field.ref, _minimal(db, field.ref, made)).id or 0
                )
            values[field.name] = made[field.ref]
        elif field.vocab:
            values[field.name] = next(iter(field.vocab))
        elif field.type == "date":
            values[field.name] = "2025-05-01"
        elif field.type == "datetime":
            values[field.name] = "2025-05-01T09:00"
        elif field.type == "time_zone":
            values[field.name] = "Asia/Tokyo"
        elif field.type == "money":
            values[field.name] = "12.50"
        else:
            values[field.name] = "Plain"
    return values


def test_every_searched_field_finds_its_record(db: Database) -> None:
    """Read from the declarations: a word typed into any field a kind says is searched
    finds the record, in that kind's results."""
    from desk.core.domain.kinds import KINDS
    from desk.core.domain.types import type_of

    made: dict[str, int] = {}
    missed = []
    tried = 0
    for kind in index.searched_kinds():
        for number, field in enumerate(KINDS[kind].fields):
            if field.search not in ("title", "body"):
                continue
            word = f"zq{kind.replace('_', '')}{number}"
            values = _minimal(db, kind, made)
            if type_of(field).words:
                value: object = f"{word}@example.org" if field.type == "email" else word
                looked_for = word
            elif field.type == "country":
                value, looked_for = "IS", "Iceland"
            elif field.type == "languages":
                value, looked_for = "is", "Icelandic"
            else:
                code = list(field.vocab or {})[-1]
                value, looked_for = code, (field.vocab or {})[code]
            values[field.name] = value
            if kind == "attachment":  # a file is attached, not created field by field
                record_id = _attached(db, made, values)
            else:
                record_id = records.create(db, kind, values).id
            found = {hit.record_id for hit in search.search(db, looked_for, kinds=[kind])}
            tried += 1
            if record_id not in found:
                missed.append(f"{kind}.{field.name}")
    assert tried > 60
    assert missed == []


def test_an_organization_is_found_by_its_website_email_and_phone(db: Database) -> None:
    records.create(
        db,
        "organisation",
        {
            "name": "Kobe Trade Office",
            "website": "https://kobe.example.jp",
            "email": "info@trade-office.jp",
            "phone": "+81 78 555 0101",
        },
    )
    for typed in ("example", "trade-office", "555 0101"):
        assert [h.title for h in search.search(db, typed)] == ["Kobe Trade Office"], typed
