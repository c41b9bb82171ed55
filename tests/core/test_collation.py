"""Names sort in the people's alphabet (the Unicode Collation Algorithm's root order, as
U.S. English has it): accents and case come after the letters, other scripts after
Latin; every list reads that order from an index over a stored key, which the write
path keeps, an upgrade fills, and a fresh file and an upgraded one hold alike."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.domain import collation
from desk.core.domain.kinds import KINDS, Kind
from desk.core.store import db as dbmod
from desk.core.store import migrations, queries, records, undo
from desk.core.store.db import Database
from desk.core.store.rows import refresh_sort_keys, sort_keys
from tests.old_files import old_file

# Each line as a person expects it in a directory, first to last.
EXPECTED = [
    ["Gomez", "Gómez", "Gross", "Groß", "Grosser"],
    ["Soren", "Sören", "Stefan"],
    ["Pecs", "Pécs", "Perugia"],
    ["Lodz", "Łódź", "Lubbock"],
    ["Oster", "Øster", "Ostrava"],
    ["Aebischer", "Ærø", "Afonso"],
    ["Strasse", "Straße", "Strassen"],
    ["Dang", "Đặng", "Daniels"],
    ["Thor", "Þór", "Tomas"],
    ["Osaka", "Ōsaka", "Oslo"],
    ["Istanbul", "İstanbul", "Ithaca"],
    ["Zoe", "Zoë", "Zurich", "Zürich"],
    ["smith", "Smith", "SMITH", "Smithers"],
    # Spaces, punctuation and digits before letters.
    ["Van Damme", "Van-Damme", "Vandamme"],
    ["10 Downing", "9 Elms", "Aachen"],
    # Other scripts after Latin, each in an order of its own.
    ["Zylberberg", "Αθήνα", "Σπάρτη", "Москва", "Мурманск", "القاهرة", "서울", "東京"],
    ["Елкин", "Ёлкин", "Ильин"],
    ["そうる", "ソウル", "たなか"],
]


@pytest.mark.parametrize("line", EXPECTED, ids=lambda line: line[0])
def test_names_sort_as_a_person_expects(line: list[str]) -> None:
    shuffled = list(reversed(line))
    assert sorted(shuffled, key=collation.key) == line


def test_the_order_is_not_the_order_of_code_points() -> None:
    """The expectations above would fail a plain sort: the key is what sorts them."""
    unlike = [line for line in EXPECTED if sorted(line) != line]
    assert len(unlike) >= 12


def test_a_key_of_several_fields_compares_them_in_turn() -> None:
    # Müller, Anna before Muller, Zoe: the given name's letters decide before an accent.
    people = [("Muller", "Zoe"), ("Müller", "Anna"), ("Li", "Wei"), ("Li Na", None), ("Li", None)]
    ordered = sorted(people, key=lambda p: collation.key(*p))
    assert ordered == [
        ("Li", None),
        ("Li", "Wei"),
        ("Li Na", None),
        ("Müller", "Anna"),
        ("Muller", "Zoe"),
    ]
    assert collation.nullable_key(None, "Anna") is None
    assert collation.nullable_key("  ") is None
    assert collation.key("gomez") == "gomez"  # a plain name is its own key


def _corpus(seed: int = 11) -> list[str]:
    """Every character alone, and strings made of the hard ones together."""
    alone = [chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000]
    hard = list(
        "aAzZ09 _-,.'\"()!?@#&*/ \t\u00a0éÉèçÇñÑüÜßẞæÆœøØłŁđĐðþÞıİŀŉĳǅǆﬁﬀ"
        "\u0301\u0308\u0323\u0327\u034f\u0640\u064e\u200b\u200d\u200f\ufe0f\U000e0100"
        "αΑςσΣёЁйЙѢ אבג ابةأ한국어かカがガーゝ東京漢字①²½ｶＡ\x00\x01\x1f"
    )
    rng = random.Random(seed)
    mixed = ["".join(rng.choice(hard) for _ in range(rng.randrange(0, 12))) for _ in range(20_000)]
    return alone + mixed


def test_the_key_schema_11_stored_is_the_key_desk_writes() -> None:
    """The migration keys the rows already in a file with a copy of the key frozen as it
    shipped; the write path keys new ones with the live key. While KEY_VERSION is 1
    they must be the same function, or an upgraded file and a fresh one sort apart.
    (Changing the key: raise KEY_VERSION and add a migration that keys every row anew.)"""
    assert collation.KEY_VERSION == 1
    corpus = _corpus()
    differ = [text for text in corpus if migrations._people_key_v1(text) != collation.key(text)]
    assert differ == []
    # No control character: a dump, a JSON list or SQLite's text functions (which stop
    # at a NUL) read a key as it is.
    assert not any(min(collation.key(text), default=" ") < " " for text in corpus)
    pairs = zip(corpus[::2], corpus[1::2], strict=False)
    assert all(migrations._people_key_v1(a, b) == collation.key(a, b) for a, b in pairs)


@pytest.mark.parametrize("first", ["Ōsaka", "", "   ", None])
def test_the_migration_stores_a_key_where_desk_would(first: str | None) -> None:
    """Empty names: NULL where the key column may be, '' where it may not."""
    for table, column, parts, nullable in migrations._V11_KEYS:
        spec = next(k for k in KINDS.values() if k.table == table)
        values = [first, *["Anna"] * (len(parts) - 1)]
        stored = migrations._stored_key_v1(int(nullable), *values)
        assert stored == sort_keys(spec, dict(zip(parts, values, strict=True)))[column], column


def test_what_a_person_does_not_read_does_not_move_a_name() -> None:
    """Controls, joiners, variation selectors and spacing leave a key as it is; an
    accent does not."""
    assert collation.key("Ga\u200bbor") == collation.key("Gabor")
    assert collation.key("  Van   Damme ") == collation.key("Van Damme")
    assert collation.key("東\U000e0100京") == collation.key("東京")
    assert collation.key("Gabor") != collation.key("Gábor")


# -- the store keeps the keys ------------------------------------------------------------

FAMILY = [
    "Zylberberg",
    "Gross",
    "Gómez",
    "Groß",
    "Sören",
    "Stefan",
    "Øster",
    "Oster",
    "Łukasz",
    "Lund",
    "Ōta",
    "Ortiz",
    "Đặng",
    "Dang",
    "Москва",
    "李",
    "O'Brien",
    "Oakley",
]
IN_ORDER = [
    "Dang",
    "Đặng",
    "Gómez",
    "Gross",
    "Groß",
    "Łukasz",
    "Lund",
    "O'Brien",
    "Oakley",
    "Ortiz",
    "Oster",
    "Øster",
    "Ōta",
    "Sören",
    "Stefan",
    "Zylberberg",
    "Москва",
    "李",
]


def _contacts(db: Database) -> None:
    for family in FAMILY:
        records.create(db, "contact", {"family_name": family, "given_name": "Ann"})


def test_the_contact_list_sorts_family_names_in_the_peoples_alphabet(db: Database) -> None:
    _contacts(db)
    listed = queries.list_records(db, queries.ListQuery("contact"))
    assert [r["family_name"] for r in listed] == IN_ORDER
    backwards = queries.list_records(db, queries.ListQuery("contact", descending=True))
    assert [r["family_name"] for r in backwards] == IN_ORDER[::-1]
    # Filtered, by the search index: the same order.
    found = queries.list_records(db, queries.ListQuery("contact", text="oster"))
    assert [r["family_name"] for r in found] == ["Oster", "Øster"]


def test_the_command_line_lists_contacts_in_the_peoples_alphabet(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with dbmod.open_database(db_path) as db:
        _contacts(db)
    assert main(["--db", str(db_path), "list", "contacts", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["family_name"] for r in rows] == IN_ORDER
    assert main(["--db", str(db_path), "list", "contacts"]) == 0
    out = capsys.readouterr().out
    places = [out.index(f" {name} ") for name in IN_ORDER]
    assert places == sorted(places)


def test_partners_organizations_and_linked_lists_sort_by_their_keys(db: Database) -> None:
    partners = ["Perugia", "Pécs", "Zürich", "Zug", "Ōsaka", "Oslo", "Aarhus", "Århus"]
    ids = {}
    for name in partners:
        ids[name] = records.create(
            db, "partnership", {"partner_name": name, "kind": "sister_city"}
        ).id
        records.create(db, "organisation", {"name": f"{name} City Hall"})
    for name in partners:
        records.create(db, "agreement", {"title": f"MOU {name}", "partnership_id": ids[name]})
    expected = ["Aarhus", "Århus", "Ōsaka", "Oslo", "Pécs", "Perugia", "Zug", "Zürich"]
    listed = queries.list_records(db, queries.ListQuery("partnership"))
    assert [r["partner_name"] for r in listed] == expected
    organisations = queries.list_records(db, queries.ListQuery("organisation"))
    assert [r["name"] for r in organisations] == [f"{n} City Hall" for n in expected]
    # An agreement's partner is read from the partnership's key, whole or filtered.
    by_partner = queries.ids(db, queries.ListQuery("agreement", "partner"))
    titles = {r["id"]: r["title"] for r in queries.list_records(db, queries.ListQuery("agreement"))}
    assert [titles[i] for i in by_partner] == [f"MOU {n}" for n in expected]
    filtered = queries.list_records(db, queries.ListQuery("agreement", "partner", text="MOU"))
    assert [r["title"] for r in filtered] == [f"MOU {n}" for n in expected]


def test_empty_names_sort_last_either_way(db: Database) -> None:
    for family, given in [("Alder", "Ödön"), ("Baker", None), ("Carter", "Otto"), ("Dunn", "")]:
        records.create(db, "contact", {"family_name": family, "given_name": given})
    for descending in (False, True):
        listed = queries.list_records(db, queries.ListQuery("contact", "given_name", descending))
        names = [r["family_name"] for r in listed]
        assert names[:2] == (["Carter", "Alder"] if descending else ["Alder", "Carter"])
        assert set(names[2:]) == {"Baker", "Dunn"}


def test_a_key_follows_every_change_and_its_undo(db: Database) -> None:
    made = records.create(db, "contact", {"family_name": "Zeta", "given_name": "Ödön"}).id
    assert made is not None

    def stored() -> tuple[str, str]:
        row = db.execute(
            "SELECT sort_name, given_name_key FROM contacts WHERE id = ?", (made,)
        ).fetchone()
        return row[0], row[1]

    first = stored()
    assert first == (collation.key("Zeta", "Ödön"), collation.key("Ödön", "Zeta"))
    changed = records.update(db, "contact", made, {"family_name": "Ábel"})
    assert set(changed.fields) == {"family_name"}  # what changed for a person: the name
    assert stored() == (collation.key("Ábel", "Ödön"), collation.key("Ödön", "Ábel"))
    undo.undo(db)
    assert stored() == first
    undo.redo(db)
    assert stored()[0] == collation.key("Ábel", "Ödön")
    records.update(db, "contact", made, {"given_name": None})
    assert stored() == (collation.key("Ábel"), None)


def test_rows_written_around_the_write_path_are_keyed_again(db: Database) -> None:
    """A dump loaded or the demo city writes rows directly: `refresh_sort_keys` keys
    them as the write path would have."""
    made = records.create(db, "partnership", {"partner_name": "Ōsaka", "kind": "sister_city"})
    db.execute("UPDATE partnerships SET partner_name_key = '' WHERE id = ?", (made.id,))
    assert refresh_sort_keys(db, ["partnership"]) == 1
    (key,) = db.execute("SELECT partner_name_key FROM partnerships").fetchone()
    assert key == collation.key("Ōsaka")


# -- a fresh file and an upgraded one agree ----------------------------------------------


def _stale_keys(db: Database) -> list[str]:
    """Rows whose stored keys are not those the write path would store."""
    stale = []
    for spec in KINDS.values():
        if not spec.sort_keys:
            continue
        cursor = db.execute(f"SELECT * FROM {spec.table}")
        names = [d[0] for d in cursor.description]
        for values in cursor.fetchall():
            row = dict(zip(names, values, strict=True))
            for column, expected in sort_keys(spec, row).items():
                if row[column] != expected:
                    stale.append(f"{spec.table} #{row['id']} {column}: {row[column]!r}")
    return stale


@pytest.mark.parametrize("version", [1, 8])
def test_an_upgraded_file_holds_the_keys_a_fresh_one_would(version: int, tmp_path: Path) -> None:
    with dbmod.open_database(old_file(version, tmp_path)) as db:
        assert _stale_keys(db) == []
        counted = db.execute("SELECT count(*) FROM contacts WHERE sort_name <> ''").fetchone()[0]
        assert counted > 100
        osaka = db.execute("SELECT name_key FROM organisations WHERE name LIKE 'Ōsaka%'")
        assert osaka.fetchone()[0].startswith("osaka")


def test_work_done_before_the_upgrade_is_undone_and_redone(tmp_path: Path) -> None:
    """The history of an earlier desk holds the keys it stored (a contact's sort name
    as it was then): a key is derived, so a key stored otherwise is no change since,
    and a record put back is keyed as this desk keys."""
    with dbmod.open_database(old_file(8, tmp_path)) as db:
        done = []
        while undo.undoable(db):
            done.append(undo.undo(db).label)
        assert done[0] == "Undo Import 1 contact from “extra.vcf”" and len(done) == 6
        while undo.redoable(db):
            undo.redo(db)
        assert _stale_keys(db) == []


def test_the_demo_city_holds_the_keys_the_write_path_would(demo_db: Database) -> None:
    assert _stale_keys(demo_db) == []
    first = queries.list_records(demo_db, queries.ListQuery("partnership"), limit=3)
    assert [r["partner_name"] for r in first] == sorted(
        (r[0] for r in demo_db.execute("SELECT partner_name FROM partnerships")),
        key=collation.key,
    )[:3]


def test_a_dump_of_an_earlier_desk_is_keyed_when_loaded(db: Database, tmp_path: Path) -> None:
    from desk.io.dump import export_json, import_json

    _contacts(db)
    path = export_json(db, tmp_path / "dump.json")
    document = json.loads(path.read_text("utf-8"))
    contacts = document["tables"]["contacts"]
    gone = [contacts["columns"].index(c) for c in ("given_name_key", "job_title_key")]
    contacts["columns"] = [c for i, c in enumerate(contacts["columns"]) if i not in gone]
    sort_name = contacts["columns"].index("sort_name")
    for row in contacts["rows"]:
        row[:] = [v for i, v in enumerate(row) if i not in gone]
        row[sort_name] = "as an earlier desk kept it"
    path.write_text(json.dumps(document), "utf-8")
    with dbmod.open_database(tmp_path / "fresh.sqlite") as fresh:
        import_json(fresh, path)
        assert _stale_keys(fresh) == []
        listed = queries.list_records(fresh, queries.ListQuery("contact"))
        assert [r["family_name"] for r in listed] == IN_ORDER


def test_the_check_for_stale_keys_can_fail(db: Database) -> None:
    records.create(db, "contact", {"family_name": "Gómez"})
    db.execute("UPDATE contacts SET sort_name = 'gómez'")  # the key of an earlier desk
    assert len(_stale_keys(db)) == 1


# -- lists read in index order -----------------------------------------------------------


def _listed_kinds() -> list[Kind]:
    """The lists a person sorts: the pages', and the pickers' (kinds another links to)."""
    picked = {f.ref for spec in KINDS.values() for f in spec.fields if f.ref}
    return [spec for spec in KINDS.values() if spec.page or spec.name in picked]


def _plan(db: Database, sql: str) -> list[str]:
    return [row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()]


def _sorts() -> list[tuple[str, str]]:
    sorts = []
    for spec in _listed_kinds():
        sorts.append((spec.name, spec.default_sort))
        sorts += [(spec.name, f.name) for f in spec.fields if f.sort_key]
    return sorted(set(sorts))


@pytest.mark.parametrize(("kind_name", "column"), _sorts(), ids=lambda v: str(v))
def test_a_list_by_a_name_or_in_its_first_order_is_read_from_an_index(
    db: Database, kind_name: str, column: str
) -> None:
    spec = KINDS[kind_name]
    query = queries.ListQuery(kind_name, column)
    plan = _plan(db, f"SELECT id FROM {spec.table}{query.order()}")
    assert not any("TEMP B-TREE" in step for step in plan), plan


@pytest.mark.parametrize(
    ("kind_name", "column"),
    [(spec.name, looked.name) for spec in KINDS.values() for looked in spec.looked_up],
)
def test_a_list_by_its_parents_name_is_read_from_two_indexes(
    db: Database, kind_name: str, column: str
) -> None:
    spec = KINDS[kind_name]
    looked = spec.looked(column)
    assert looked is not None and looked.sort_key
    for direction in ("ASC", "DESC"):
        plan = _plan(db, looked.ordered_ids(spec.table, direction))
        assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan


def test_the_index_check_can_fail(db: Database) -> None:
    plan = _plan(db, "SELECT id FROM contacts ORDER BY family_name COLLATE NOCASE, id")
    assert any("TEMP B-TREE" in step for step in plan)


def test_every_name_a_list_shows_is_sorted_by_a_key() -> None:
    """A text column a page's list or a picker shows (or opens in) sorts by a key: a
    field added to a list without one would sort by code points again."""
    unkeyed = [
        f"{spec.name}.{name}"
        for spec in _listed_kinds()
        for name in (*spec.list_columns, spec.default_sort)
        if (field := spec.field_map.get(name)) is not None
        and field.type == "text"
        and not field.sort_key
    ]
    assert unkeyed == []
    for spec in KINDS.values():
        for looked in spec.looked_up:
            parent = next(k for k in KINDS.values() if k.table == looked.parent)
            assert parent.field_map[looked.column].sort_key == looked.sort_key


def test_the_migration_keys_exactly_the_columns_the_kinds_declare() -> None:
    # A key declared later is added and filled by a migration of its own: count its
    # keys here beside schema 11's.
    declared = {
        (spec.table, key.name, key.key_of) for spec in KINDS.values() for key in spec.sort_keys
    }
    frozen = {(table, column, parts) for table, column, parts, _ in migrations._V11_KEYS}
    assert declared == frozen
    conn = sqlite3.connect(":memory:")
    try:
        for _name, apply in migrations.MIGRATIONS:
            apply(conn)
        for table, column, _parts, nullable in migrations._V11_KEYS:
            info = {row[1]: row[3] for row in conn.execute(f"PRAGMA table_info({table})")}
            assert bool(info[column]) is not nullable, (table, column)
    finally:
        conn.close()
