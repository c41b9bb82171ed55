"""Undo, redo and the trash: every kind of operation goes back to exactly what it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desk.core.errors import NotFound, UndoConflict
from desk.core.store import attachments, queries, records, undo
from desk.core.store.db import Database
from desk.io import importer
from desk.io.dump import dump

DATA = Path(__file__).resolve().parent.parent / "data"
# Bookkeeping of the operations themselves; everything else must come back byte for byte.
_LEDGER = ("history", "operations", "import_batches", "import_mappings")


def records_dump(db: Database) -> str:
    document = dump(db)
    for table in _LEDGER:
        document["tables"].pop(table, None)
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def _first(db: Database, sql: str) -> int:
    return int(db.execute(sql).fetchone()[0])


def _visit(db: Database) -> int:
    return _first(db, "SELECT id FROM visits WHERE partnership_id IS NOT NULL ORDER BY id")


def _partnership(db: Database) -> int:
    return _first(db, "SELECT id FROM partnerships WHERE status = 'active' ORDER BY id")


def _contact_with_links(db: Database) -> int:
    return _first(
        db,
        "SELECT contact_id FROM visit_participants WHERE contact_id IS NOT NULL "
        "AND contact_id IN (SELECT contact_id FROM office_terms) ORDER BY contact_id",
    )


OPERATIONS: dict[str, Callable[[Database, Path], Any]] = {
    "create": lambda db, _tmp: records.create(
        db, "contact", {"family_name": "Okafor", "given_name": "Ngozi", "country": "NG"}
    ),
    "create a partnership (and its first status)": lambda db, _tmp: records.create(
        db, "partnership", {"partner_name": "Lagos", "kind": "friendship_city"}
    ),
    "edit": lambda db, _tmp: records.update(
        db, "visit", _visit(db), {"title": "Renamed", "notes": "Changed", "end_date": None}
    ),
    "delete a visit with its itinerary": lambda db, _tmp: records.delete(db, "visit", _visit(db)),
    "delete a partnership": lambda db, _tmp: records.delete(db, "partnership", _partnership(db)),
    "delete a contact others link to": lambda db, _tmp: records.delete(
        db, "contact", _contact_with_links(db)
    ),
    "delete an organisation": lambda db, _tmp: records.delete(
        db,
        "organisation",
        _first(db, "SELECT organisation_id FROM contacts WHERE organisation_id IS NOT NULL"),
    ),
    "status change": lambda db, _tmp: records.change_status(
        db, _partnership(db), "suspended", "2026-01-05", "Council paused exchanges"
    ),
    "attach": lambda db, tmp: attachments.attach_file(
        db, "partnership", _partnership(db), b"%PDF-1.4 new scan", "minutes.pdf"
    ),
    "remove an attachment": lambda db, _tmp: attachments.remove(
        db, _first(db, "SELECT id FROM attachments ORDER BY id")
    ),
    "import": lambda db, _tmp: importer.apply_plan(
        db, importer.plan_file(db, "organisation", DATA / "organisations.csv")
    ),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_undo_then_redo_restores_exactly(demo_db: Database, tmp_path: Path, name: str) -> None:
    before = records_dump(demo_db)
    OPERATIONS[name](demo_db, tmp_path)
    after = records_dump(demo_db)
    assert after != before, "the operation changed nothing"
    searched = _search_state(demo_db)

    undone = undo.undo(demo_db)
    assert undone.label.startswith("Undo ")
    assert records_dump(demo_db) == before
    redone = undo.redo(demo_db)
    assert redone.label.startswith("Redo ")
    assert records_dump(demo_db) == after
    assert _search_state(demo_db) == searched
    undo.undo(demo_db)
    assert records_dump(demo_db) == before


def _search_state(db: Database) -> list[tuple[Any, ...]]:
    return db.execute(
        "SELECT rowid, kind, record_id, title, body FROM search_index ORDER BY rowid"
    ).fetchall()


def test_delete_then_undo_restores_links_both_ways(demo_db: Database) -> None:
    contact = _contact_with_links(demo_db)
    linked = {
        "participants": "SELECT count(*) FROM visit_participants WHERE contact_id = ?",
        "offices": "SELECT count(*) FROM office_terms WHERE contact_id = ?",
        "signatories": "SELECT count(*) FROM agreement_signatories WHERE contact_id = ?",
        "itinerary": "SELECT count(*) FROM itinerary_items WHERE counterpart_contact_id = ?",
    }
    counts = {k: demo_db.execute(sql, (contact,)).fetchone()[0] for k, sql in linked.items()}
    assert counts["participants"] and counts["offices"]
    title = records.title_of(demo_db, "contact", contact)

    records.delete(demo_db, "contact", contact)
    assert all(demo_db.execute(sql, (contact,)).fetchone()[0] == 0 for sql in linked.values())
    # The delegation list still says who came while the contact is gone.
    names = demo_db.execute(
        "SELECT name FROM visit_participants WHERE contact_id IS NULL AND name = ?", (title,)
    ).fetchall()
    assert names

    entry = undo.trash(demo_db)[0]
    assert (entry.kind, entry.title) == ("contact", title) and entry.linked >= 1
    undo.restore(demo_db, entry.op_id)
    assert {
        k: demo_db.execute(sql, (contact,)).fetchone()[0] for k, sql in linked.items()
    } == counts
    assert undo.trash(demo_db) == []
    # Found again by search, under the same id.
    assert records.get(demo_db, "contact", contact)["id"] == contact


def test_undo_refuses_when_later_work_depends_on_it(db: Database) -> None:
    partnership = records.create(db, "partnership", {"partner_name": "Kobe", "kind": "sister_city"})
    records.create(db, "follow_up", {"title": "Plan the 70th", "partnership_id": partnership.id})
    with pytest.raises(UndoConflict, match=r"follow-up now linked .* undo that first") as caught:
        undo.undo(db, partnership.op_id)
    assert "Add follow-up “Plan the 70th”" in str(caught.value)
    assert queries.count(db, "partnership") == 1  # refused whole, nothing half-done

    edit = records.update(db, "partnership", partnership.id, {"notes": "first"})
    records.update(db, "partnership", partnership.id, {"notes": "second"})
    with pytest.raises(UndoConflict, match="Notes of the partnership “Kobe” was changed since"):
        undo.undo(db, edit.op_id)


def test_new_work_ends_the_redo_chain_and_undo_survives_a_restart(db_path: Path) -> None:
    from desk.core.store.db import open_database

    db = open_database(db_path)
    first = records.create(db, "organisation", {"name": "Consulate of Japan"})
    records.create(db, "organisation", {"name": "Alliance Française"})
    undo.undo(db)
    undo.undo(db)
    assert queries.count(db, "organisation") == 0
    db.close()

    db = open_database(db_path)  # a restart keeps both chains
    # The most recently undone comes back first.
    assert [i.label for i in undo.redoable(db)] == [
        "Add organization “Consulate of Japan”",
        "Add organization “Alliance Française”",
    ]
    assert undo.redoable(db)[0].id == first.op_id
    undo.redo(db)
    assert queries.count(db, "organisation") == 1
    records.create(db, "organisation", {"name": "Goethe-Institut"})
    assert undo.redoable(db) == []
    with pytest.raises(UndoConflict, match="nothing to redo"):
        undo.redo(db)
    db.close()


def test_nothing_changed_leaves_nothing_to_undo(db: Database) -> None:
    org = records.create(db, "organisation", {"name": "Sister Cities International"})
    assert not records.update(db, "organisation", org.id, {"name": "Sister Cities International"})
    assert [i.id for i in undo.undoable(db)] == [org.op_id]


def test_emptying_the_trash_is_for_good(db: Database) -> None:
    agreement = records.create(db, "agreement", {"title": "Youth exchange MOU"}).id
    attachments.attach_file(db, "agreement", agreement, b"signed copy", "signed.pdf")
    records.delete(db, "agreement", agreement)
    assert [e.title for e in undo.trash(db)] == ["Youth exchange MOU"]
    assert undo.empty_trash(db, older_than_days=30) == 0  # too recent
    assert undo.empty_trash(db) == 1
    assert undo.trash(db) == []
    assert db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    leftovers = db.execute(
        "SELECT count(*) FROM history WHERE changes LIKE '%Youth exchange%'"
    ).fetchone()[0]
    assert leftovers == 0
    with pytest.raises(NotFound):
        undo.restore(db, 999)


def test_each_write_reports_its_changes(db: Database) -> None:
    visit = records.create(db, "visit", {"title": "Mission to Matsue", "direction": "outgoing"})
    assert visit.label == "Add visit “Mission to Matsue”" and visit.kinds == {"visit"}
    item = records.create(
        db,
        "itinerary_item",
        {
            "visit_id": visit.id,
            "title": "Courtesy call",
            "starts_at": "2026-04-08T10:00",
            "time_zone": "Asia/Tokyo",
        },
    )
    edit = records.update(db, "visit", visit.id, {"title": "Mission to Matsue and Izumo"})
    assert edit.fields == {"title": ("Mission to Matsue", "Mission to Matsue and Izumo")}
    assert edit.label == "Edit visit “Mission to Matsue and Izumo”"
    gone = records.delete(db, "visit", visit.id)
    assert set(gone.deleted) == {("visit", visit.id), ("itinerary_item", item.id)}
    ops = {
        op_id
        for (op_id,) in db.execute("SELECT DISTINCT op_id FROM history WHERE op_id IS NOT NULL")
    }
    assert ops == {visit.op_id, item.op_id, edit.op_id, gone.op_id}


def test_undo_stops_at_emptying_the_trash_and_never_skips_to_older_work(db: Database) -> None:
    org = records.create(db, "organisation", {"name": "Sister Cities International"})
    partnership = records.create(db, "partnership", {"partner_name": "Plzeň", "kind": "other"})
    attached = attachments.attach_file(db, "partnership", partnership.id, b"minutes", "mou.txt")
    records.delete(db, "partnership", partnership.id)
    undo.empty_trash(db)
    live = {info.id for info in undo.undoable(db)}
    assert attached.op_id not in live and partnership.op_id not in live
    # Undo says it cannot go past emptying the trash, and changes nothing...
    for _try in range(2):
        with pytest.raises(UndoConflict, match="Emptying the trash cannot be undone"):
            undo.undo(db)
        assert queries.count(db, "organisation") == 1
    # ...new work is undone as ever, and then undo stops at the same place again.
    later = records.create(db, "organisation", {"name": "Welcoming America"})
    assert undo.undo(db).label == "Undo Add organization “Welcoming America”"
    assert later.op_id not in {i.id for i in undo.undoable(db)}
    with pytest.raises(UndoConflict, match="Emptying the trash"):
        undo.undo(db)
    # Older work can still be taken back by its number, on purpose.
    assert org.op_id is not None
    assert undo.undo(db, org.op_id).label == "Undo Add organization “Sister Cities International”"
    assert queries.count(db, "organisation") == 0
    # A retired operation named by number says why it cannot be undone.
    assert partnership.op_id is not None
    with pytest.raises(UndoConflict, match="trash it was in has been emptied"):
        undo.undo(db, partnership.op_id)


def test_a_forced_import_undo_is_one_labelled_operation_in_the_trash(db: Database) -> None:
    batch = importer.apply_plan(
        db, importer.plan_file(db, "partnership", DATA / "sister_cities.csv")
    )
    first = db.execute("SELECT id FROM partnerships ORDER BY id LIMIT 1").fetchone()[0]
    records.update(db, "partnership", first, {"notes": "edited after the import"})
    importer.undo_batch(db, batch, force=True)
    assert queries.count(db, "partnership") == 0
    latest = undo.undoable(db, 1)[0]
    assert latest.label == "Undo import 1 from “sister_cities.csv”"
    entry = undo.trash(db)[0]
    assert entry.title == "12 partnerships imported from sister_cities.csv"

    undo.restore(db, entry.op_id)
    assert queries.count(db, "partnership") == 12
    state = db.execute("SELECT undone_at FROM import_batches WHERE id = ?", (batch,)).fetchone()
    assert state[0] is None  # the import is in force again, and can be undone again
