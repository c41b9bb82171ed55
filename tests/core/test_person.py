"""A person's data on request: exported whole, erased everywhere (down to the file's
bytes), and visitors' details cleared after the city's retention period."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desk.cli.main import main
from desk.core.domain.kinds import KINDS
from desk.core.errors import UndoConflict
from desk.core.features import search
from desk.core.safety import backups, person
from desk.core.store import attachments, index, records, undo
from desk.core.store.db import Database, open_database
from desk.core.store.operations import operation


@dataclass
class Built:
    contact: int
    visit: int
    participant: int
    gift_linked: int
    gift_by_name: int
    signatory: int
    follow_up: int
    bystander: int
    needles: tuple[str, ...]  # what must be nowhere in the file after the erase


def _add(db: Database, kind_name: str, **values: object) -> int:
    made = records.create(db, kind_name, values)
    assert made.id is not None
    return made.id


def build(
    db: Database,
    given: str = "Zofia",
    family: str = "Przybylszewska-Łęcka",
    native: str | None = None,
    order: str = "given_first",
) -> Built:
    """A contact named by every kind of record that can name one, with a history."""
    contact = _add(
        db,
        "contact",
        given_name=given,
        family_name=family + "x",  # renamed below: the old spelling is in the history
        name_native=native,
        name_order=order,
        email="zofia.p@example.pl",
        passport_number="XK7731946",
        dietary="No pork; severe nut allergy",
        bio="Chairs the twinning committee.",
    )
    records.update(db, "contact", contact, {"family_name": family})
    title = records.title_of(db, "contact", contact)
    bystander = _add(
        db,
        "contact",
        given_name="Jan",
        family_name="Kowalski",
        email="jan@ex.pl",
        notes=f"Travels with {native or title}.",
    )
    org = _add(db, "organisation", name="Kraków City Hall")
    office = _add(db, "office", title="Deputy Mayor", organisation_id=org)
    _add(db, "office_term", office_id=office, contact_id=contact, start_date="2019")
    _add(db, "contact_detail", contact_id=contact, channel="phone", value="+48 12 616 1200")
    gone = _add(db, "contact_detail", contact_id=contact, channel="email", value="zp@old.pl")
    records.delete(db, "contact_detail", gone)  # kept only in the history now
    partnership = _add(db, "partnership", partner_name="Kraków", kind="sister_city")
    _add(db, "partnership_contact", partnership_id=partnership, contact_id=contact, role="lead")
    visit = _add(
        db,
        "visit",
        title="Kraków delegation",
        direction="incoming",
        status="completed",
        start_date="2026-05-04",
        end_date="2026-05-06",
        requester_contact_id=contact,
        advance_contact_id=contact,
        principal=title,
        notes=f"Met {title} at the airport." + (f" ({native})" if native else ""),
    )
    participant = _add(db, "participant", visit_id=visit, contact_id=contact, role="principal")
    _add(db, "participant", visit_id=visit, contact_id=bystander)
    _add(
        db,
        "itinerary_item",
        visit_id=visit,
        title="Welcome lunch",
        starts_at="2026-05-04T12:00",
        time_zone="America/Chicago",
        counterpart_contact_id=contact,
    )
    _add(db, "travel_leg", visit_id=visit, participant_id=participant, met_by_contact_id=contact)
    gift_linked = _add(
        db,
        "gift",
        visit_id=visit,
        direction="received",
        description="Amber bowl",
        giver_contact_id=contact,
        recipient_contact_id=contact,
    )
    # A gift whose giver was typed, never linked: found by the name alone.
    gift_by_name = _add(
        db, "gift", direction="received", description="Wawel print", giver=native or title
    )
    _add(db, "gift", direction="given", description="City pin", giver="Jan Kowalski")
    agreement = _add(db, "agreement", title="Kraków MOU")
    signatory = _add(
        db, "signatory", agreement_id=agreement, office_title="Deputy Mayor", contact_id=contact
    )
    follow_up = _add(db, "follow_up", title=f"Thank {title} for the bowl", contact_id=contact)
    interaction = _add(
        db, "interaction", occurred_on="2026-05-05", subject="Dinner", mail_from=f"{title}"
    )
    _add(db, "interaction_participant", interaction_id=interaction, contact_id=contact)
    attachments.attach_file(db, "contact", contact, b"passport scan bytes 4471", "passport.pdf")
    # The search index keeps a word's letters after the ones it shares with the word
    # before it: the tail of a long name is what an index segment would still hold.
    tails = [
        word.casefold()[4:]
        for word in re.findall(r"\w+", f"{family} {native or ''}")
        if (len(word) >= 8 and word.isascii()) or _other_letters(word)
    ]
    needles = tuple(
        n
        for n in (title, family, "zofia.p@example.pl", "XK7731946", "severe nut", native, *tails)
        if n
    )
    return Built(
        contact,
        visit,
        participant,
        gift_linked,
        gift_by_name,
        signatory,
        follow_up,
        bystander,
        needles,
    )


def _other_letters(word: str) -> bool:
    """A word of eight letters or more of a script the index keeps whole (Cyrillic,
    Arabic), without marks the index would take off."""
    return (
        len(word) >= 8
        and not word.isascii()
        and not index.CJK.search(word)
        and unicodedata.normalize("NFD", word) == word
    )


def file_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    wal = Path(f"{path}-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def found_in(data: bytes, needle: str) -> list[str]:
    """The encodings and cases in which `needle` is in `data`."""
    out = []
    for text in {needle, needle.lower(), needle.upper(), needle.casefold()}:
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            if text.encode(encoding) in data:
                out.append(f"{text!r} in {encoding}")
    return out


def settle(db: Database) -> None:
    """The file as a long-used one is: its search index merged into one segment (a
    deleted entry's words stay in it until the next merge), SQLite's secure delete off
    as many builds leave it, and the log checkpointed."""
    db.execute("INSERT INTO search_index(search_index) VALUES ('optimize')")
    db.execute("PRAGMA secure_delete = OFF")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture
def built(db: Database) -> Iterator[Built]:
    yield build(db)


# -- export ------------------------------------------------------------------------------


def test_the_export_holds_the_contact_every_link_and_the_history(
    db: Database, built: Built, tmp_path: Path
) -> None:
    out = tmp_path / "zofia.json"
    files = tmp_path / "files"
    files.mkdir()
    done = person.export(db, built.contact, out, as_json=True, files_to=files)
    data = json.loads(out.read_text("utf-8"))
    assert data["contact"]["fields"]["passport_number"] == "XK7731946"
    assert data["person"] == "Zofia Przybylszewska-Łęcka"
    # Every link a declaration makes to a contact, found without naming a kind.
    declared = {
        (spec.name, f.name) for spec in KINDS.values() for f in spec.fields if f.ref == "contact"
    }
    linked = {(r["kind"], r["linked_by"]) for r in data["linked_records"]}
    theirs = {r["kind"] for r in data["their_records"]}
    for kind, name in declared:
        label = KINDS[kind].field_map[name].label
        assert (kind, label) in linked or kind in theirs, (kind, name)
    assert {"contact_detail", "office_term", "partnership_contact"} <= theirs
    assert [f["filename"] for f in data["files"]] == ["passport.pdf"]
    assert (files / "passport.pdf").read_bytes() == b"passport scan bytes 4471"
    assert done.files == [files / "passport.pdf"]
    named = {(m["kind"], m["id"], m["field"]) for m in data["named_as_text"]}
    assert named == {("gift", built.gift_by_name, "giver")}
    mentioned = {(m["kind"], m["field"]) for m in data["mentioned_in_text"]}
    assert {("visit", "principal"), ("visit", "notes"), ("follow_up", "title")} <= mentioned
    assert ("interaction", "mail_from") in mentioned
    # The history: their own changes (the old spelling of their name, the way to reach
    # deleted since) and others' that name them.
    text = json.dumps(data["history"], ensure_ascii=False)
    assert "Przybylszewska-Łęckax" in text and "zp@old.pl" in text
    kinds = {row["kind"] for row in data["history"]}
    assert {"contact", "contact_detail", "participant", "gift", "attachment"} <= kinds


def test_the_readable_export_is_markdown_that_shows_text_as_typed(
    db: Database, built: Built, tmp_path: Path
) -> None:
    records.update(
        db,
        "contact",
        built.contact,
        {"notes": "# not a heading\n- not a list\n<script>x</script> | a*b*\x1b[31m red"},
    )
    out = tmp_path / "zofia.md"
    person.export(db, built.contact, out)
    text = out.read_text("utf-8")
    assert text.startswith("# What desk holds about Zofia Przybylszewska-Łęcka\n")
    for heading in (
        "## Contact #",
        "## Their own records",
        "## Files kept with them",
        "## Records linked to them",
        "## Their name typed as text, without a link",
        "## Their name in other records' text",
        "## Changes desk remembers",
    ):
        assert heading in text, heading
    assert "- **Passport number:** XK7731946" in text
    assert "> \\# not a heading" in text and "> \\- not a list" in text
    assert "\\<script\\>" in text and "\\|" in text and "a\\*b\\*" in text
    assert "\x1b" not in text and "\u241b\\[31m" in text
    assert "Delegation member #" in text and "Amber bowl" in text


def test_a_right_to_left_name_is_set_apart_from_its_label() -> None:
    assert person.md("عبد الرحمن") == "\u2068عبد الرحمن\u2069"
    assert person.md("Ann\u202eevil") == "Ann\ufffdevil"
    assert person.md("a_b & c") == "a\\_b \\& c"


# -- erase -------------------------------------------------------------------------------


def test_the_plan_says_what_goes_and_changes_nothing(db: Database, built: Built) -> None:
    before = db.execute("SELECT count(*) FROM history").fetchone()[0]
    plan = person.plan_erase(db, built.contact)
    text = "\n".join(person.plan_lines(plan))
    assert "Erasing Zofia Przybylszewska-Łęcka (contact #" in text
    assert "1 file kept with them" in text
    assert "cannot be undone" in text
    assert "gift #" in text and "“Wawel print” (Giver)" in text
    assert "No backup desk knows of holds them." in text
    assert db.execute("SELECT count(*) FROM history").fetchone()[0] == before
    assert records.get(db, "contact", built.contact)["family_name"] == "Przybylszewska-Łęcka"


def test_erase_removes_them_everywhere_down_to_the_files_bytes(
    db: Database, built: Built, db_path: Path
) -> None:
    settle(db)
    before = file_bytes(db_path)
    for needle in built.needles:
        assert found_in(before, needle), needle  # the check can fail
    kept_before = records.get(db, "contact", built.bystander)
    del kept_before["notes"], kept_before["updated_at"]
    done = person.erase(db, built.contact)
    assert done.swept.compacted and done.swept.log_emptied
    assert db.execute("PRAGMA secure_delete").fetchone()[0] == 0  # as it was
    after = file_bytes(db_path)
    assert {n: found_in(after, n) for n in built.needles if found_in(after, n)} == {}
    assert not db.execute("SELECT 1 FROM contacts WHERE id = ?", (built.contact,)).fetchone()
    # A record that needs a name keeps the placeholder; the rest lose only the link.
    member = records.get(db, "participant", built.participant)
    assert (member["contact_id"], member["name"]) == (None, person.ERASED)
    gift = records.get(db, "gift", built.gift_linked)
    assert (gift["giver_contact_id"], gift["giver"], gift["recipient"]) == (
        None,
        person.ERASED,
        person.ERASED,
    )
    assert records.get(db, "gift", built.gift_by_name)["giver"] == person.ERASED
    signatory = records.get(db, "signatory", built.signatory)
    assert signatory["contact_id"] is None and signatory["office_title"] == "Deputy Mayor"
    assert records.get(db, "follow_up", built.follow_up)["title"] == "Thank (erased) for the bowl"
    visit = records.get(db, "visit", built.visit)
    assert visit["principal"] == person.ERASED and visit["requester_contact_id"] is None
    assert db.execute("SELECT count(*) FROM blobs").fetchone()[0] == 0
    # Others keep what is theirs; only the name in their notes goes.
    bystander = records.get(db, "contact", built.bystander)
    assert bystander.pop("notes") == "Travels with (erased)."
    del bystander["updated_at"]
    assert bystander == kept_before
    assert search.search(db, "Kowalski")
    assert not search.search(db, "Przybylszewska")
    assert not search.search(db, "XK7731946")
    # Nothing in the history or the log of operations names them.
    for (changes,) in db.execute("SELECT changes FROM history"):
        assert "Przybylszewska" not in changes and "zofia.p@" not in changes
    for (label,) in db.execute("SELECT label || coalesce(deleted_title, '') FROM operations"):
        assert "Przybylszewska" not in label


def test_the_erase_is_final_and_earlier_work_on_them_cannot_be_replayed(
    db: Database, built: Built
) -> None:
    added = db.execute(
        "SELECT op_id FROM history WHERE kind = 'participant' AND record_id = ?",
        (built.participant,),
    ).fetchone()[0]
    made = db.execute(
        "SELECT op_id FROM history WHERE kind = 'contact' AND record_id = ? ORDER BY id",
        (built.contact,),
    ).fetchone()[0]
    done = person.erase(db, built.contact)
    row = db.execute(
        "SELECT label, final FROM operations WHERE id = ?", (done.changes.op_id,)
    ).fetchone()
    assert tuple(row) == (person.ERASE_LABEL, 1)
    with pytest.raises(UndoConflict, match="cannot be undone"):
        undo.undo(db)
    with pytest.raises(UndoConflict):
        undo.undo(db, added)
    assert made not in {op.id for op in undo.undoable(db, limit=1000)}
    with pytest.raises(UndoConflict, match="cannot be undone"):
        undo.undo(db, made)


def test_the_erase_names_the_backups_that_still_hold_them_and_keeps_them(
    db: Database, built: Built, db_path: Path, backup_home: Path
) -> None:
    older = backups.make_backup(db_path, reason="manual")
    text = "\n".join(person.plan_lines(person.plan_erase(db, built.contact)))
    assert str(older.path) in text and "rm -- " in text
    done = person.erase(db, built.contact)
    assert [c.path for c in done.copies] == [older.path]
    assert older.path.exists()
    said = "\n".join(person.erased_lines(done))
    assert str(older.path) in said and "desk backups --now" in said
    # A backup taken after the erase does not hold them and is not named.
    backups.make_backup(db_path, reason="manual", now=dt.datetime.now() + dt.timedelta(minutes=1))
    assert [c.path for c in person.copies_holding(db, done.plan.holdings)] == [older.path]


def test_purge_command_quotes_each_path() -> None:
    paths = [Path("/b/it's here.sqlite"), Path("/b/plain.sqlite")]
    assert person.purge_command(paths, "linux") == (
        "rm -- '/b/it'\"'\"'s here.sqlite' /b/plain.sqlite"
    )
    assert person.purge_command(paths, "win32").startswith('del /f "')


@pytest.mark.parametrize(
    ("given", "family", "native", "order"),
    [
        ("Zofia", "Przybylszewska-Łęcka", None, "given_first"),
        ("Yevgenia", "Zdravomyslova", "Евгения Здравомыслова", "given_first"),
        ("Nana", "Ouyang", "欧阳娜娜", "family_first"),
        ("Abdulrahman", "Al-Shahrani", "عبد الرحمن الشهراني", "given_first"),
    ],
)
def test_names_in_four_scripts_are_erased(
    db: Database, db_path: Path, given: str, family: str, native: str | None, order: str
) -> None:
    built = build(db, given, family, native, order)
    # A namesake's record in the same script keeps its own name.
    other = _add(db, "contact", given_name="Other", family_name="Person", name_native="欧阳")
    settle(db)
    before = file_bytes(db_path)
    for needle in built.needles:
        assert found_in(before, needle), needle
    person.erase(db, built.contact)
    after = file_bytes(db_path)
    assert {n: found_in(after, n) for n in built.needles if found_in(after, n)} == {}
    assert records.get(db, "gift", built.gift_by_name)["giver"] == person.ERASED
    assert records.get(db, "contact", other)["name_native"] == "欧阳"


def test_a_short_cjk_name_is_not_cut_out_of_a_longer_one(db: Database) -> None:
    names = person.names_of({"given_name": "Wei", "family_name": "Wang", "name_native": "王伟"})
    assert names.redact("王伟 came") == "(erased) came"
    assert names.redact("王伟明 came") == "王伟明 came"
    longer = person.names_of({"family_name": "Ouyang", "name_native": "欧阳娜娜"})
    assert longer.redact("今天欧阳娜娜来了") == "今天(erased)来了"
    single = person.names_of({"family_name": "Lee"})
    assert single.redact("Lee and Ms. Leeds") == "Lee and Ms. Leeds"
    assert single.is_name(" lee ")


def test_a_namesake_is_warned_of_and_keeps_their_records(db: Database, built: Built) -> None:
    twin = _add(db, "contact", given_name="Zofia", family_name="Przybylszewska-Łęcka")
    text = "\n".join(person.plan_lines(person.plan_erase(db, built.contact)))
    assert f"1 other contact named the same (#{twin})" in text
    person.erase(db, built.contact)
    kept = records.get(db, "contact", twin)
    assert (kept["given_name"], kept["family_name"]) == ("Zofia", "Przybylszewska-Łęcka")


def test_a_contact_with_thousands_of_links(db: Database, db_path: Path, tmp_path: Path) -> None:
    who = _add(db, "contact", given_name="Tomasz", family_name="Wielogłowski")
    visits = records.create_many(
        db,
        "visit",
        [{"title": f"Visit {n}", "direction": "incoming"} for n in range(60)],
    ).ids
    records.create_many(
        db,
        "participant",
        [{"visit_id": visits[n % 60], "contact_id": who} for n in range(3000)],
    )
    records.create_many(
        db,
        "gift",
        [
            {"direction": "received", "description": f"Gift {n}", "giver": "Tomasz Wielogłowski"}
            for n in range(1000)
        ],
    )
    started = time.perf_counter()
    done = person.export(db, who, tmp_path / "tomasz.json", as_json=True)
    exported = time.perf_counter() - started
    assert len(done.holdings.linked) == 3000 and len(done.holdings.named) == 1000
    started = time.perf_counter()
    person.erase(db, who)
    erased = time.perf_counter() - started
    # About a second each on a loaded 2-core machine; a step that grew with the square
    # of the links would take minutes.
    assert exported < 15 and erased < 15, (exported, erased)
    assert (
        db.execute(
            "SELECT count(*) FROM visit_participants WHERE name = ?", (person.ERASED,)
        ).fetchone()[0]
        == 3000
    )
    assert (
        db.execute("SELECT count(*) FROM gifts WHERE giver = ?", (person.ERASED,)).fetchone()[0]
        == 1000
    )
    assert not found_in(file_bytes(db_path), "Wielogłowski")


# -- retention ---------------------------------------------------------------------------


def _city(db: Database, days: int | None) -> None:
    _add(db, "city", name="Springfield", time_zone="America/Chicago", retention_days=days)


def test_retention_lists_who_is_cleared_and_when(db: Database, built: Built) -> None:
    _city(db, 365)
    ahead = _add(
        db,
        "contact",
        given_name="Ines",
        family_name="Moreau",
        passport_number="FR123",
    )
    done_visit = _add(
        db, "visit", title="Lyon", direction="incoming", status="completed", end_date="2026-01-10"
    )
    coming = _add(
        db,
        "visit",
        title="Lyon again",
        direction="incoming",
        status="confirmed",
        start_date="2027-06-01",
    )
    _add(db, "participant", visit_id=done_visit, contact_id=ahead)
    _add(db, "participant", visit_id=coming, contact_id=ahead)
    today = dt.date(2027, 5, 5)
    found = {r.contact_id: r for r in person.retention(db, today)}
    zofia = found[built.contact]
    assert (zofia.last_visit, zofia.clear_on) == (dt.date(2026, 5, 6), dt.date(2027, 5, 6))
    assert zofia.fields == ("Passport number", "Dietary needs")
    assert not zofia.due(today) and zofia.due(dt.date(2027, 5, 6))
    assert found[ahead].held_by == "Lyon again" and not found[ahead].due(today)
    assert built.bystander not in found  # nothing to clear
    notice = person.retention_notice(db, today)
    assert notice is not None and "of 1 visitor are cleared on 5/6/2027" in notice
    assert person.retention_notice(db, dt.date(2027, 1, 1)) is None


def test_retention_clears_the_details_and_their_history_for_good(
    db: Database, built: Built, db_path: Path
) -> None:
    _city(db, 30)
    today = dt.date(2026, 6, 10)
    assert [r.contact_id for r in person.retention(db, today) if r.due(today)] == [built.contact]
    assert person.retention_notice(db, today) == (
        "Passport and health details of 1 visitor are due to be cleared (kept 30 days "
        "after their last visit): 'desk person retention' lists them."
    )
    cleared = person.run_retention(db, today)
    assert [r.contact_id for r in cleared.people] == [built.contact]
    row = records.get(db, "contact", built.contact)
    assert {name: row[name] for name in person.SENSITIVE} == dict.fromkeys(person.SENSITIVE)
    assert row["family_name"] == "Przybylszewska-Łęcka"  # only the details go
    for (changes,) in db.execute("SELECT changes FROM history WHERE record_uid = ?", (row["uid"],)):
        assert "XK7731946" not in changes and "nut allergy" not in changes
    with pytest.raises(UndoConflict):
        undo.undo(db)
    data = file_bytes(db_path)
    assert not found_in(data, "XK7731946") and not found_in(data, "severe nut")
    assert person.retention(db, today) == []
    assert person.run_retention(db, today).people == []


def test_without_a_period_nothing_is_listed(db: Database, built: Built) -> None:
    assert person.retention(db, dt.date(2030, 1, 1)) == []
    assert person.retention_notice(db, dt.date(2030, 1, 1)) is None


# -- the commands ------------------------------------------------------------------------


def _desk(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str]:
    code = main(["--db", str(path), *args])
    out, err = capsys.readouterr()
    return code, out + err


def test_the_commands(
    db: Database, built: Built, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _city(db, 30)
    contact = str(built.contact)
    db.close()
    code, out = _desk(capsys, db_path, "person", "export", contact, "--out", str(tmp_path / "z.md"))
    assert code == 0 and "Wrote what desk holds about Zofia" in out
    assert (tmp_path / "z.md").read_text("utf-8").startswith("# What desk holds")
    code, out = _desk(
        capsys, db_path, "person", "export", contact, "--json", "--out", str(tmp_path / "z.json")
    )
    assert code == 0 and json.loads((tmp_path / "z.json").read_text("utf-8"))["contact"]
    code, out = _desk(capsys, db_path, "person", "retention", "--date", "2026-06-10")
    assert code == 0 and "due now" in out and "Przybylszewska" in out
    code, out = _desk(capsys, db_path, "person", "erase", contact)
    assert code == 0 and "Nothing was changed" in out and "cannot be undone" in out
    code, out = _desk(capsys, db_path, "person", "erase", contact, "--yes")
    assert code == 0 and "Erased contact #" in out
    code, out = _desk(capsys, db_path, "person", "erase", contact, "--yes")
    assert code == 1 and "There is no contact" in out
    code, out = _desk(capsys, db_path, "person", "retention", "--run", "--json")
    assert code == 0 and json.loads(out)["cleared"] == []
    code, out = _desk(capsys, db_path, "person", "compact")
    assert code == 0
    with open_database(db_path) as again, operation(again, "probe"):
        pass


def test_the_visit_words_retention_reads_are_the_vocabulary_s() -> None:
    statuses = KINDS["visit"].field_map["status"].vocab or {}
    assert {person._DONE, *person._CALLED_OFF} <= set(statuses)
    assert set(person.SENSITIVE) <= set(KINDS["contact"].field_map)


@pytest.mark.parametrize("where", ["database", "folder", "device"])
def test_the_export_refuses_a_place_it_must_not_write(
    db: Database,
    built: Built,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    db.close()
    target = {"database": str(db_path), "folder": str(tmp_path), "device": "/dev/null"}[where]
    before = db_path.read_bytes()
    code, out = _desk(capsys, db_path, "person", "export", str(built.contact), "--out", target)
    assert code == 1 and out.startswith("desk: ") and out.count("\n") == 1
    assert db_path.read_bytes() == before


def test_a_reader_holding_the_log_is_said_and_compact_finishes_the_job(
    db: Database, built: Built, db_path: Path
) -> None:
    settle(db)
    reader = sqlite3.connect(db_path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM contacts").fetchone()
        done = person.erase(db, built.contact)
        assert done.swept.compacted and not done.swept.log_emptied
        assert "desk person compact" in "\n".join(person.erased_lines(done))
    finally:
        reader.close()
    swept = person.sweep(db)
    assert swept.log_emptied and not swept.note
    after = file_bytes(db_path)
    assert {n: found_in(after, n) for n in built.needles if found_in(after, n)} == {}
