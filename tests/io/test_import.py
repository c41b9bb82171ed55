from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from desk.cli.main import main
from desk.core.domain.types.reading import parse_date
from desk.core.errors import DeskError
from desk.core.store import queries, records
from desk.core.store.db import Database
from desk.io import importer
from desk.io.mapping import guess_mapping
from desk.io.tabular import FileRefused, read_table

DATA = Path(__file__).parent.parent / "data"

RECORD_TABLES = (
    "organisations",
    "contacts",
    "partnerships",
    "partnership_status_changes",
    "agreements",
    "visits",
    "network_memberships",
    "offices",
)


def snapshot(db: Database) -> str:
    """The records as stored (history and batches aside), for before/after comparisons."""
    parts = [
        json.dumps(db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()) for t in RECORD_TABLES
    ]
    parts.append(
        json.dumps(
            db.execute("SELECT kind, record_id, title FROM search_index ORDER BY rowid").fetchall()
        )
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def test_office_spreadsheet_imports_with_guessed_columns(db: Database) -> None:
    plan = importer.plan_file(db, "partnership", DATA / "sister_cities.csv")
    mapped = {plan.headers[i]: f for i, f in plan.mapping.items() if f}
    assert mapped == {
        "Sister City": "partner_name",
        "Country": "country",
        "Year Established": "established_date",
        "Type": "kind",
        "Status": "status",
        "Notes": "notes",
    }
    assert plan.unmapped_columns() == ["Mayor at signing", "Last contact"]
    assert plan.counts() == {"new": 12, "match": 0, "problem": 0}
    batch = importer.apply_plan(db, plan)
    rows = {
        r["partner_name"]: r for r in queries.list_records(db, queries.ListQuery("partnership"))
    }
    assert rows["Jeonju"]["country"] == "KR" and rows["Jeonju"]["established_date"] == (
        "1996-06-21"
    )
    assert rows["Da Nang"]["country"] == "VN" and rows["Da Nang"]["kind"] == ("sector_partnership")
    assert rows["Da Nang"]["established_date"] == "2019-04-07"
    assert rows["Valencia"]["established_date"] == "1999-01-09"
    assert rows["Valencia"]["status"] == "dormant"
    assert rows["Matsue"]["established_date"] == "1972"  # the year alone, as the sheet said
    assert rows["Bristol"]["country"] == "GB" and rows["Plzeň"]["country"] == "CZ"
    assert rows["Suzhou"]["notes"] == 'Trade office opened 2019, "Garden City"'
    assert rows["Tainan"]["kind"] == "friendship_city"
    assert batch > 0


def test_reimporting_adds_nothing_and_undo_restores(db: Database) -> None:
    records.create(
        db, "partnership", {"partner_name": "Matsue", "kind": "sister_city", "country": "JP"}
    )
    before = snapshot(db)
    plan = importer.plan_file(db, "partnership", DATA / "sister_cities.csv")
    assert plan.counts()["match"] == 1
    batch = importer.apply_plan(db, plan)
    assert queries.count(db, "partnership") == 12
    again = importer.plan_file(db, "partnership", DATA / "sister_cities.csv")
    assert again.counts() == {"new": 0, "match": 12, "problem": 0}
    importer.apply_plan(db, again)
    assert queries.count(db, "partnership") == 12
    assert importer.undo_batch(db, batch) == 11  # 11 partnerships and their first status
    assert snapshot(db) == before
    with pytest.raises(DeskError, match="already undone"):
        importer.undo_batch(db, batch)


def test_a_forced_undo_takes_back_fills_but_not_later_edits(db: Database, tmp_path: Path) -> None:
    kobe = records.create(
        db, "partnership", {"partner_name": "Kobe", "country": "JP", "kind": "sister_city"}
    ).id
    sheet = tmp_path / "fuller.csv"
    sheet.write_text(
        "Partner,Country,Region,Committee,Year Established\n"
        "Kobe,Japan,Hyogo,Kobe Club,1957\nPorto,Portugal,,,2002\n",
        encoding="utf-8",
    )
    batch = importer.apply_plan(db, importer.plan_file(db, "partnership", sheet), matched="fill")
    assert records.get(db, "partnership", kobe)["region"] == "Hyogo"
    # Later work: the committee is renamed by hand, and Porto gains a visit.
    records.update(db, "partnership", kobe, {"local_committee": "Kobe Friends"})
    porto = records.resolve_named(db, "partnership", "Porto")
    records.create(
        db, "visit", {"title": "Mission", "direction": "outgoing", "partnership_id": porto}
    )
    with pytest.raises(DeskError):
        importer.undo_batch(db, batch)
    importer.undo_batch(db, batch, force=True)
    kept = records.get(db, "partnership", kobe)
    assert (kept["region"], kept["established_date"]) == (None, None)  # the fills went
    assert kept["local_committee"] == "Kobe Friends"  # the later edit stayed
    assert queries.count(db, "partnership") == 1


def test_undo_protects_later_work(db: Database) -> None:
    batch = importer.apply_plan(
        db, importer.plan_file(db, "partnership", DATA / "sister_cities.csv")
    )
    matsue = db.execute("SELECT id FROM partnerships WHERE partner_name = 'Matsue'").fetchone()[0]
    records.create(
        db, "visit", {"title": "Mission", "direction": "outgoing", "partnership_id": matsue}
    )
    records.update(db, "partnership", matsue, {"notes": "edited after the import"})
    with pytest.raises(DeskError, match="Notes of the partnership “Matsue” was changed since"):
        importer.undo_batch(db, batch)
    assert queries.count(db, "partnership") == 12
    importer.undo_batch(db, batch, force=True)
    assert queries.count(db, "partnership") == 0
    assert queries.count(db, "visit") == 1  # unlinked, not deleted


def test_problems_name_row_and_column_and_nothing_is_written(db: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Partner City;Country;Established;Type\nKobe;Japan;1957;Sister\n"
        "Atlantis;Atlantis;1900;Sister\nLyon;France;sometime;Sister\n"
        ";France;2001;Sister\n",
        encoding="utf-8",
    )
    plan = importer.plan_file(db, "partnership", bad)
    assert plan.counts() == {"new": 1, "match": 0, "problem": 3}
    assert plan.problems() == [
        "Row 3, column 'Country': 'Country' must be a country name or ISO code "
        "(e.g. JP, Japan), got 'Atlantis'.",
        "Row 4, column 'Established': 'Established' must be a date like 6/21/1961, "
        "June 21, 1961, June 1961 or 1961, got 'sometime'.",
        "Row 5, column 'Partner City': 'Partner' (partner_name) is required.",
    ]
    with pytest.raises(DeskError, match="3 rows with problems; nothing was imported"):
        importer.apply_plan(db, plan)
    assert queries.count(db, "partnership") == 0
    importer.apply_plan(db, plan, skip_problems=True)
    assert queries.count(db, "partnership") == 1


def _xlsx_with_title_and_merges(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Port Meridian international contacts - updated May 2024"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["First Name", "Last Name", "Organization", "Phone", "E-mail", None])
    sheet.merge_cells("D3:E3")  # one "Phone" header spread over two columns by hand
    sheet["F3"] = "Email"
    sheet.append(["Taro", "Yamada", "Kobe City Hall", "+81 78 331 8181", "", "t@kobe.jp"])
    sheet.append(["Hélène", "Lefèvre", "Ville de Nantes", "+33 2 40 41 90 00", "", "h@nantes.fr"])
    sheet.append(["Min-jun", "Kim", "Kobe City Hall", None, None, "k@x.kr"])
    book.save(path)


def test_xlsx_with_title_rows_and_merged_headers(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "contacts.xlsx"
    _xlsx_with_title_and_merges(path)
    table = read_table(path)
    # The merged "Phone" header covers both of its columns.
    assert table.headers[:5] == ["First Name", "Last Name", "Organization", "Phone", "Phone"]
    assert table.rows[0][0] == 4  # row numbers as the spreadsheet shows them
    plan = importer.plan_file(db, "contact", path)
    assert plan.counts() == {"new": 3, "match": 0, "problem": 0}
    importer.apply_plan(db, plan)
    orgs = [r["name"] for r in queries.list_records(db, queries.ListQuery("organisation"))]
    assert orgs == ["Kobe City Hall", "Ville de Nantes"]  # found or made once each
    yamada = queries.list_records(db, queries.ListQuery("contact", text="yamada"))[0]
    assert yamada["email"] == "t@kobe.jp" and yamada["phone"] == "+81 78 331 8181"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_encodings_and_separators(db: Database, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"{encoding}.csv"
    text = (
        "Nom de la ville;Pays;Année;Type\r\nNantes;France;1993;Jumelage\r\n"
        "Besançon;France;1990;Friendship\r\n"
    )
    path.write_bytes(text.encode(encoding))
    table = read_table(path)
    assert table.rows[1][1][0] == "Besançon"
    assert "semicolon" in table.description


def test_mapping_is_remembered_and_fixed_values_fill_gaps(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Ville jumelle,Pays,Genre\nNantes,France,amitié\n", encoding="utf-8")
    with pytest.raises(DeskError, match=r"No column of odd\.csv gives 'Partner'"):
        importer.plan_file(db, "partnership", path)
    mapping = {0: "partner_name", 1: "country", 2: None}
    plan = importer.plan_file(db, "partnership", path, mapping, {"kind": "friendship_city"})
    importer.apply_plan(db, plan)
    assert queries.list_records(db, queries.ListQuery("partnership"))[0]["kind"] == (
        "friendship_city"
    )
    headers = read_table(path).headers
    assert guess_mapping(db, "partnership", headers) == mapping
    # Without a type column a list of partners is a list of sister cities.
    path.write_text("Sister City,Country\nLyon,France\n", encoding="utf-8")
    importer.apply_plan(db, importer.plan_file(db, "partnership", path))
    assert (
        queries.list_records(db, queries.ListQuery("partnership", text="lyon"))[0]["kind"]
        == "sister_city"
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("binary.csv", bytes(range(256)) * 40, "binary data"),
        ("empty.csv", b"", "is empty"),
        ("header.csv", b"Sister City,Country\r\n", "no data rows"),
        (
            "wide.csv",
            (
                ",".join(f"c{i}" for i in range(500))
                + "\n"
                + ",".join("x" for _ in range(500))
                + "\n"
            ).encode(),
            "500 columns",
        ),
        ("fake.xlsx", b"PK\x03\x04 this is no workbook", "not a readable Excel workbook"),
    ],
)
def test_bad_files_are_refused_and_change_nothing(
    db: Database, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    before = snapshot(db)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileRefused, match=message):
        importer.plan_file(db, "partnership", path)
    assert snapshot(db) == before


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1961", "1961"),
        (1961, "1961"),
        ("June 1961", "1961-06"),
        ("6/1961", "1961-06"),
        ("6/21/1961", "1961-06-21"),
        ("21.06.1961", "1961-06-21"),
        ("June 21, 1961", "1961-06-21"),
        ("21 June 1961", "1961-06-21"),
        ("1961-06-21", "1961-06-21"),
        ("Jun 1961", "1961-06"),
        ("1961/06/21", "1961-06-21"),
    ],
)
def test_dates_as_offices_write_them(raw: Any, expected: str) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["1961", 1961, "June 1961"])
def test_a_year_alone_is_refused_where_the_day_is_needed(raw: Any) -> None:
    with pytest.raises(ValueError):
        parse_date(raw, partial=False)


def test_a_hundred_thousand_rows(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["First Name,Last Name,Country,Email"]
    lines += [f"Given{n},Family{n},Japan,p{n}@example.org" for n in range(100_000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    plan = importer.plan_file(db, "contact", path)
    assert plan.counts()["new"] == 100_000
    seen: list[int] = []
    importer.apply_plan(db, plan, progress=lambda done, total, _m: seen.append(done))
    assert queries.count(db, "contact") == 100_000
    assert seen[-1] == 100_000 and len(seen) >= 100


def test_cli_import_dry_run_and_undo(
    db_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    csv_path = tmp_path / "cities.csv"
    shutil.copyfile(DATA / "sister_cities.csv", csv_path)
    assert main(["--db", str(db_path), "import", "partnerships", str(csv_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "12 new partnerships, 0 already in desk" in out and "Dry run" in out
    assert main(["--db", str(db_path), "import", "partnerships", str(csv_path)]) == 0
    assert "as batch 1" in capsys.readouterr().out
    assert main(["--db", str(db_path), "imports"]) == 0
    assert "cities.csv: 12 new" in capsys.readouterr().out
    assert main(["--db", str(db_path), "undo-import", "1"]) == 0
    assert "12 records removed" in capsys.readouterr().out
    assert main(["--db", str(db_path), "import", "spaceships", str(csv_path)]) == 1


def test_visits_agreements_and_organisations_as_offices_write_them(db: Database) -> None:
    visits = importer.plan_file(db, "visit", DATA / "delegations.csv")
    assert visits.counts() == {"new": 4, "match": 0, "problem": 0}
    importer.apply_plan(db, visits)
    rows = {r["title"]: r for r in queries.list_records(db, queries.ListQuery("visit"))}
    assert rows["Suzhou trade delegation"]["direction"] == "incoming"
    assert rows["Youth orchestra exchange"]["direction"] == "incoming"
    assert rows["Climate study tour"]["direction"] == "outgoing"
    assert rows["Climate study tour"]["start_date"] == "2024-09-09"
    assert rows["Youth orchestra exchange"]["country"] == "KR"
    assert rows["Mayor's mission to Japan"]["end_date"] == "2024-05-24"

    agreements = importer.plan_file(db, "agreement", DATA / "agreements.csv")
    assert agreements.counts() == {"new": 3, "match": 0, "problem": 0}
    importer.apply_plan(db, agreements)
    found = {r["title"]: r for r in queries.list_records(db, queries.ListQuery("agreement"))}
    mou = found["MOU on Port Cooperation"]
    assert (mou["kind"], mou["signed_date"], mou["expiry_date"]) == (
        "mou",
        "2019-03-01",
        "2024-03-01",
    )
    assert found["Letter of Intent on Climate"]["kind"] == "letter_of_intent"
    assert found["Sister City Agreement Port Meridian-Matsue"]["approval_reference"] == (
        "Res. 72-114"
    )

    organisations = importer.plan_file(db, "organisation", DATA / "organisations.csv")
    importer.apply_plan(db, organisations)
    kinds = {
        r["name"]: r["kind"] for r in queries.list_records(db, queries.ListQuery("organisation"))
    }
    assert kinds["Consulate General of Japan"] == "consulate"
    assert kinds["Universidade Federal do Paraná"] == "university"


OFFICE_LIST = Path(__file__).parent.parent / "data" / "office_list.csv"


def test_an_office_list_is_read_by_its_own_words(db: Database) -> None:
    """A real-looking list with a BOM: "Partner City", "Trade agreement", "Twin town",
    "Inactive", networks where places would be; only a value nobody could guess is
    refused, naming its row and column."""
    plan = importer.plan_file(db, "partnership", OFFICE_LIST)
    by_name = {r.values.get("partner_name"): r for r in plan.rows}
    assert by_name["Kobe"].values["kind"] == "friendship_city"
    assert by_name["Guadalajara"].values["kind"] == "sector_partnership"
    assert by_name["Guadalajara"].values["status"] == "proposed"
    assert by_name["Nantes"].values["kind"] == "sister_city"
    assert by_name["Nantes"].values["status"] == "dormant"
    assert by_name["Porto"].values["kind"] == "sector_partnership"
    assert by_name["Hokkaido"].values["kind"] == "sister_city"
    # Networks are memberships, and "Global" is not refused as a country.
    for network in ("ICLEI - Local Governments for Sustainability", "C40 Cities"):
        row = by_name[network]
        assert row.status == "new" and row.values["kind"] == "network_membership", row.problems
        assert "country" not in row.values
    (lyon,) = [r for r in plan.rows if r.status == "problem"]
    assert lyon.number == 9 and lyon.problems[0][0] == "Type"
    assert "Sister Arrangement" in lyon.problems[0][1]
    # ... and offered for the person to say what it means, by column, with its rows.
    values = plan.unknown_values()
    assert [(u.field, u.column, u.text, u.rows) for u in values if u.guess is None] == [
        ("kind", "Type", "Sister Arrangement", 1)
    ]
    # What desk read by an office's usual words is listed too, never a silent guess.
    guesses = {(u.column, u.text): u.guess for u in values if u.guess is not None}
    assert guesses[("Type", "Partner City")] == "friendship_city"
    assert guesses[("Status", "Inactive")] == "dormant"
    assert ("Type", "Sister City") not in guesses  # desk's own word needs no saying


def test_the_command_line_says_how_to_map_a_value_it_does_not_know(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--db", str(db_path), "import", "partnerships", str(OFFICE_LIST), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 1
    assert (
        "'Sister Arrangement' in column 'Type' (1 row) is not a kind desk knows; say which "
        'with --value "Type:Sister Arrangement=CODE", CODE one of sister_city,' in out
    )


def test_a_value_chosen_for_a_file_is_used_and_remembered(
    db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["--db", str(db_path), "import", "partnerships", str(OFFICE_LIST),
         "--value", "Type:Sister Arrangement=sister_city"]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0 and "Imported 8 new" in out
    lyon = records.get(db, "partnership", records.resolve_named(db, "partnership", "Lyon"))
    assert lyon["kind"] == "sister_city"
    # The choice is kept: the next file writing it the same way needs no --value.
    again = importer.plan_file(db, "partnership", OFFICE_LIST)
    assert all(r.status == "match" for r in again.rows), [r.problems for r in again.rows]
    # A code that is not desk's is refused before any row, naming the field.
    code = main(
        ["--db", str(db_path), "import", "partnerships", str(OFFICE_LIST),
         "--value", "Type:Sister Arrangement=cousin"]
    )  # fmt: skip
    assert code == 1 and "'Kind' must be one of" in capsys.readouterr().err
    code = main(
        ["--db", str(db_path), "import", "partnerships", str(OFFICE_LIST),
         "--value", "Flavor:x=y"]
    )  # fmt: skip
    assert code == 1 and "no column 'Flavor'" in capsys.readouterr().err


def test_the_command_line_fills_or_updates_records_already_in_desk(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kobe = {"partner_name": "Kobe", "country": "JP", "kind": "sister_city", "region": "Kansai"}
    records.create(db, "partnership", kobe)
    sheet = tmp_path / "kobe.csv"
    sheet.write_text(
        "Partner,Country,Type,Region,Committee\nKobe,Japan,Sister City,Hyogo,Kobe Club\n",
        encoding="utf-8",
    )
    line = ["--db", str(db_path), "import", "partnerships", str(sheet)]
    assert main(line) == 0
    said = capsys.readouterr().out
    assert "1 row would fill 1 empty field and 1 row would change 1 value; --matched leave" in said
    assert (
        "Row 2, Kobe: would fill Local committee (Kobe Club); would change Region / province "
        "from Kansai to Hyogo"
    ) in said
    kept = records.get(db, "partnership", 1)
    assert kept["local_committee"] is None and kept["region"] == "Kansai"
    assert main([*line, "--matched", "fill"]) == 0
    kept = records.get(db, "partnership", 1)
    assert kept["local_committee"] == "Kobe Club" and kept["region"] == "Kansai"
    assert main([*line, "--matched", "update"]) == 0
    assert records.get(db, "partnership", 1)["region"] == "Hyogo"


def test_an_excel_list_with_its_columns_in_another_order_is_read_the_same(
    db: Database, tmp_path: Path
) -> None:
    """The office list as a workbook, headers shuffled and a title row above them."""
    rows = [line.split(",") for line in OFFICE_LIST.read_text("utf-8-sig").splitlines()]
    headers, body = rows[0], rows[1:]
    order = [4, 2, 0, 3, 1]  # Year Established, Type, Partner, Status, Country
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Port Meridian sister cities, as of 2026"])
    sheet.append([headers[i] for i in order])
    for row in body:
        sheet.append([row[i] for i in order])
    shuffled = tmp_path / "shuffled.xlsx"
    book.save(shuffled)
    from_csv = importer.plan_file(db, "partnership", OFFICE_LIST)
    from_xlsx = importer.plan_file(db, "partnership", shuffled)
    assert [(r.status, r.values) for r in from_xlsx.rows] == [
        (r.status, r.values) for r in from_csv.rows
    ]


def test_update_leaves_status_to_its_own_change_and_keeps_the_exact_date(
    db: Database, tmp_path: Path
) -> None:
    """A fuller list says 'Active' where desk says 'Proposed', and 1972 where desk knows
    7/22/1972: updating takes the rest of the file, never refuses the whole import over
    the status, and keeps the day."""
    matsue = records.create(
        db,
        "partnership",
        {"partner_name": "Matsue", "country": "JP", "kind": "sister_city",
         "established_date": "1972-07-22"},
    ).id  # fmt: skip
    sheet = tmp_path / "fuller.csv"
    sheet.write_text(
        "Partner,Country,Status,Year Established,Region\n"
        "Matsue,Japan,Active,1972,Shimane\nPorto,Portugal,Active,2002,\n",
        encoding="utf-8",
    )
    plan = importer.plan_file(db, "partnership", sheet)
    (line,) = plan.matched_changes()
    assert line == (
        "Row 2, Matsue: would fill Region / province (Shimane); its status stays Proposed "
        "(the file says Active; a status changes with a date and a reason)"
    )
    batch = importer.apply_plan(db, plan, matched="update")
    assert importer.filled_note(plan.gains(), "update") == (
        "It brought 1 value up to date in 1 record already in desk."
    )
    assert importer.records_filled(db, batch) == 1
    kept = records.get(db, "partnership", matsue)
    assert (kept["status"], kept["established_date"], kept["region"]) == (
        "proposed",
        "1972-07-22",
        "Shimane",
    )
    assert queries.count(db, "partnership") == 2


def test_excel_dates_shown_as_a_year_or_month_and_two_digit_years_stay_in_the_past(
    db: Database, tmp_path: Path
) -> None:
    """A cell Excel shows as '1961' or 'June 1961' holds January 1 or June 1 underneath,
    as desk's own survey workbook writes it; '6/21/61' is 1961, not 2061."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Sister City", "Country", "Year Established"])
    for name, day, shown in (
        ("Kobe", dt.datetime(1961, 1, 1), "yyyy"),
        ("Lyon", dt.datetime(1961, 6, 1), "mmmm yyyy"),
        ("Porto", dt.datetime(1961, 6, 21), "m/d/yyyy"),
    ):
        sheet.append([name, "Japan", day])
        sheet.cell(row=sheet.max_row, column=3).number_format = shown
    sheet.append(["Turku", "Finland", "6/21/61"])
    sheet.append(["Gdansk", "Poland", "Jun-76"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    plan = importer.plan_file(db, "partnership", path)
    founded = {r.values["partner_name"]: r.values.get("established_date") for r in plan.rows}
    assert founded == {
        "Kobe": "1961",
        "Lyon": "1961-06",
        "Porto": "1961-06-21",
        "Turku": "1961-06-21",
        "Gdansk": "1976-06",
    }


def test_a_network_row_matches_the_network_by_any_name_and_becomes_a_membership(
    db: Database, tmp_path: Path
) -> None:
    records.create(
        db,
        "partnership",
        {"partner_name": "ICLEI – Local Governments for Sustainability",
         "kind": "network_membership", "partner_level": "network", "status": "active"},
    )  # fmt: skip
    sheet = tmp_path / "list.csv"
    sheet.write_text(
        "Sister City,Country,Year Established\n"
        "ICLEI,Global,2009\nC40 Cities,Global,2016\nKobe,Japan,1957\n",
        encoding="utf-8",
    )
    plan = importer.plan_file(db, "partnership", sheet)
    assert plan.counts() == {"new": 2, "match": 1, "problem": 0}
    importer.apply_plan(db, plan)
    c40 = records.get(db, "partnership", records.resolve_named(db, "partnership", "C40 Cities"))
    assert (c40["kind"], c40["partner_level"], c40["status"]) == (
        "network_membership",
        "network",
        "active",
    )
    # Counted where networks are counted: the memberships the survey lists.
    (membership,) = db.query("SELECT * FROM network_memberships")
    assert (membership["network_name"], membership["partnership_id"]) == ("C40 Cities", c40["id"])
    assert (membership["status"], membership["joined_date"]) == ("active", "2016")
    # A list an office publishes, with no status column, is of partnerships in force.
    kobe = records.get(db, "partnership", records.resolve_named(db, "partnership", "Kobe"))
    assert kobe["status"] == "active"
