"""Files built to cost more than they hold: a workbook that claims every cell of the
sheet, one with rows 900,000 apart, a vCard with a 10 MB photo, a card in a character
set nobody knows, files whose names say one format and whose bytes another, and
--value lines for columns whose names hold ':' or '='. Each is read in time and memory
in proportion to what it holds, and each surprise is named by its card or row."""

from __future__ import annotations

import base64
import random
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.styles import Font

from desk.cli.main import main
from desk.core.store import attachments, queries, records
from desk.core.store.db import Database
from desk.io import importer
from desk.io.mapping import split_value_option, value_option
from desk.io.tabular import FileRefused, read_table
from desk.io.vcard import read_vcards

# Generous on purpose: a loaded machine must not make these fail. The figures measured
# are printed (pytest -s shows them).
SECONDS = 5.0
MEGABYTES = 50.0


def _measured(work: Callable[[], Any]) -> tuple[Any, float, float]:
    """What `work` returns, the seconds it took and its peak of Python memory in MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = work()
        took = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return result, took, peak


def _edit_sheet(path: Path, edit: Callable[[str], str]) -> None:
    """Rewrite the first sheet's XML inside a saved workbook, as another program (or a
    stray keystroke in Excel) would have written it."""
    saved = path.with_name("saved-" + path.name)
    path.rename(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            out.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    saved.unlink()


def _sister_cities(path: Path, rows: list[list[Any]] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Sister City", "Country", "Established"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)  # so the workbook has a second cell style, s="1"
    for row in rows or [["Kobe", "Japan", 1957], ["Lyon", "France", 1990]]:
        sheet.append(row)
    book.save(path)
    return path


def _claims_every_cell(path: Path) -> Path:
    """A small table, and one styled, empty cell at XFD1048576: the sheet claims
    A1:XFD1048576, some 17 billion cells."""
    _sister_cities(path)

    def edit(xml: str) -> str:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            "</sheetData>", '<row r="1048576"><c r="XFD1048576" s="1"/></row></sheetData>'
        )

    _edit_sheet(path, edit)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<dimension ref="A1:XFD1048576"/>' in xml and 'r="XFD1048576" s="1"' in xml
    return path


def test_a_workbook_that_claims_every_cell_is_read_from_the_cells_it_holds(
    db: Database, tmp_path: Path
) -> None:
    path = _claims_every_cell(tmp_path / "claims.xlsx")
    table, took, peak = _measured(lambda: read_table(path))
    print(f"\nXFD1048576 workbook: {took:.3f} s, peak {peak:.2f} MB")
    assert took < SECONDS and peak < MEGABYTES, (took, peak)
    assert table.headers == ["Sister City", "Country", "Established"]
    assert table.rows == [(2, ["Kobe", "Japan", 1957]), (3, ["Lyon", "France", 1990])]
    plan, took, peak = _measured(lambda: importer.plan_file(db, "partnership", path))
    print(f"XFD1048576 workbook, planned: {took:.3f} s, peak {peak:.2f} MB")
    assert took < SECONDS and peak < MEGABYTES, (took, peak)
    assert plan.counts() == {"new": 2, "match": 0, "problem": 0}


def test_a_merged_range_as_large_as_the_sheet_costs_nothing(tmp_path: Path) -> None:
    path = _sister_cities(
        tmp_path / "merged.xlsx", [["Kobe", "Japan", 1957], ["Matsue", None, 1990]]
    )
    _edit_sheet(
        path,
        lambda xml: xml.replace(
            "</sheetData>",
            '</sheetData><mergeCells count="1"><mergeCell ref="B2:B1048576"/></mergeCells>',
        ),
    )
    table, took, peak = _measured(lambda: read_table(path))
    print(f"\nmerged B2:B1048576: {took:.3f} s, peak {peak:.2f} MB")
    assert took < SECONDS and peak < MEGABYTES, (took, peak)
    # The merged value spreads to the rows that hold values, as a merge does.
    assert table.rows == [(2, ["Kobe", "Japan", 1957]), (3, ["Matsue", "Japan", 1990])]


def test_rows_900000_apart_are_read_without_the_rows_between(db: Database, tmp_path: Path) -> None:
    """Gaps are skipped, not stopped at: a value far down is still a value someone wrote,
    so it is read and named by the row it is on, and the empty rows between are never
    made (the sheet's XML has none of them)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Sister City", "Country"])
    for name, country in (("Kobe", "Japan"), ("Lyon", "France"), ("Rome", "Italy")):
        sheet.append([name, country])
    sheet.append(["Busan", "Italy"])
    sheet.cell(900_000, 1, "Matsue")
    sheet.cell(900_000, 2, "Atlantis")
    path = tmp_path / "gaps.xlsx"
    book.save(path)
    table, took, peak = _measured(lambda: read_table(path))
    print(f"\nrows 1-5 and 900,000: {took:.3f} s, peak {peak:.2f} MB")
    assert took < SECONDS and peak < MEGABYTES, (took, peak)
    assert [number for number, _cells in table.rows] == [2, 3, 4, 5, 900_000]
    plan = importer.plan_file(db, "partnership", path)
    assert plan.counts()["new"] == 4
    assert plan.problems()[0].startswith("Row 900000, column 'Country':")


# -- files whose names say one format and whose bytes another --------------------------


@pytest.mark.parametrize("name", ["partners.csv", "partners", "partners.txt"])
def test_a_workbook_under_another_name_is_read_as_a_workbook(
    db: Database, db_path: Path, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _sister_cities(tmp_path / "made.xlsx")
    path = tmp_path / name
    made.rename(path)
    table = read_table(path)
    assert table.description.startswith("Excel workbook")
    assert [cells[0] for _n, cells in table.rows] == ["Kobe", "Lyon"]
    assert main(["--db", str(db_path), "import", "partnerships", str(path)]) == 0
    assert "Imported 2 new partnerships" in capsys.readouterr().out


def test_a_csv_file_named_xlsx_is_read_as_csv_and_says_so(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "partners.xlsx"
    path.write_text("Sister City,Country\nKobe,Japan\nLyon,France\n", encoding="utf-8")
    table = read_table(path)
    assert table.description == (
        "CSV file in UTF-8, separated by commas (named .xlsx, but it is text, not a workbook)"
    )
    assert main(["--db", str(db_path), "import", "partnerships", str(path), "--dry-run"]) == 0
    assert "named .xlsx, but it is text" in capsys.readouterr().out


def test_a_csv_file_whose_first_word_starts_with_pk_is_still_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("PKey,Sister City,Country\n1,Kobe,Japan\n", encoding="utf-8")
    assert read_table(path).headers == ["PKey", "Sister City", "Country"]


def _zip(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (
            lambda p: _zip(
                p,
                {
                    "[Content_Types].xml": '<Types><Override ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                    "</Types>"
                },
            ),
            "is a Word document, not a workbook desk reads",
        ),
        (
            lambda p: _zip(p, {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}),
            "is an OpenDocument spreadsheet (.ods), not a workbook desk reads",
        ),
        (
            lambda p: _zip(p, {"notes.txt": "hi", "list.csv": "a,b"}),
            "is not a spreadsheet: it is a compressed folder of other files (notes.txt, list.csv)",
        ),
        (
            lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
            "is an Excel 97-2003 workbook (.xls)",
        ),
        (
            lambda p: p.write_text("<html><body><table><tr><td>Kobe</td></tr></table>"),
            "is a web page or XML file",
        ),
    ],
)
def test_another_kind_of_file_is_refused_saying_what_it_is(
    tmp_path: Path, make: Callable[[Path], Any], said: str
) -> None:
    path = tmp_path / "partners.xlsx"
    make(path)
    with pytest.raises(FileRefused) as refused:
        read_table(path)
    assert str(refused.value).startswith(f"partners.xlsx {said}"), refused.value
    assert "damaged" not in str(refused.value)


# -- vCards --------------------------------------------------------------------------------


def _photo_bytes(size: int) -> bytes:
    rng = random.Random(20240531)
    return b"\xff\xd8\xff\xe0" + rng.randbytes(size - 4)  # a JPEG's first bytes


def _folded(line: str) -> list[str]:
    """A line folded at 75 octets, as address books write a photo."""
    return [line[:75]] + [" " + line[i : i + 74] for i in range(75, len(line), 74)]


def _photo_card(data: bytes, version: str, name: str = "Sato;Yuki") -> str:
    encoded = base64.b64encode(data).decode("ascii")
    photo = (
        f"PHOTO;ENCODING=b;TYPE=JPEG:{encoded}"
        if version == "3.0"
        else f"PHOTO:data:image/jpeg;base64,{encoded}"
    )
    family, given = name.split(";")
    return "\r\n".join(
        [
            "BEGIN:VCARD",
            f"VERSION:{version}",
            f"N:{family};{given};;;",
            f"FN:{family} {given}",
            "EMAIL:yuki.sato@example.jp",
            *_folded(photo),
            "END:VCARD",
            "",
        ]
    )


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_a_10_mb_photo_is_read_in_linear_time_and_kept(
    db: Database, tmp_path: Path, version: str
) -> None:
    def fastest(path: Path) -> tuple[float, float]:
        runs = [_measured(lambda: read_vcards(path)) for _ in range(2)]
        return min(took for _r, took, _p in runs), max(peak for _r, _t, peak in runs)

    small, large = tmp_path / "one.vcf", tmp_path / "ten.vcf"
    small.write_text(_photo_card(_photo_bytes(1_000_000), version), encoding="utf-8")
    photo = _photo_bytes(10_000_000)
    large.write_text(_photo_card(photo, version), encoding="utf-8")
    one, one_peak = fastest(small)
    ten, ten_peak = fastest(large)
    print(
        f"\nvCard {version} photo: 1 MB {one:.3f} s (peak {one_peak:.1f} MB), "
        f"10 MB {ten:.3f} s (peak {ten_peak:.1f} MB), {ten / one:.1f}x"
    )
    # Linear is 10x; joining the folded lines one by one was about 136x (91 s).
    assert ten < 30 * one + 1.0, (one, ten)
    assert ten_peak < 20 * 10, ten_peak  # a few copies of the card, not one per line
    plan = importer.plan_rows(db, "contact", read_vcards(large), "ten.vcf", "vCard")
    assert plan.counts()["new"] == 1 and plan.notes() == []
    assert "1 photo from the cards, kept with the new contacts" in importer.describe(plan)
    batch = importer.apply_plan(db, plan)
    (contact_id,) = [row["id"] for row in db.query("SELECT id FROM contacts")]
    (kept,) = attachments.list_for(db, "contact", contact_id)
    assert (kept["filename"], kept["media_type"]) == ("Sato Yuki photo.jpg", "image/jpeg")
    assert attachments.content(db, kept["id"]) == ("Sato Yuki photo.jpg", photo)
    # Undoing the import takes the photo with its contact.
    importer.undo_batch(db, batch)
    assert queries.count(db, "contact") == 0
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 0


def test_a_vcard_21_photo_indented_over_many_lines_is_kept(db: Database, tmp_path: Path) -> None:
    data = _photo_bytes(3_000)
    encoded = base64.b64encode(data).decode("ascii")
    lines = ["  " + encoded[i : i + 76] for i in range(0, len(encoded), 76)]
    path = tmp_path / "old.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Tanaka;Hana\r\nFN:Hana Tanaka\r\n"
        "PHOTO;JPEG;ENCODING=BASE64:\r\n" + "\r\n".join(lines) + "\r\n\r\nEND:VCARD\r\n",
        encoding="ascii",
    )
    ((_n, values),) = read_vcards(path)
    assert values["_photos"] == [("Hana Tanaka photo.jpg", data)]


def test_a_photo_desk_cannot_keep_is_named_per_card(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "book.vcf"
    path.write_text(
        _photo_card(_photo_bytes(2_000), "4.0", "Kim;Min-jun")
        + _photo_card(_photo_bytes(2_000), "3.0", "Okafor;Grace")
        + "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Sato;Yuki;;;\r\nFN:Sato Yuki\r\n"
        "PHOTO;VALUE=uri:https://example.jp/staff/sato.jpg\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Diallo;Awa;;;\r\nFN:Awa Diallo\r\n"
        "PHOTO;ENCODING=b;TYPE=PNG:iVBORw0KGgo*\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    code = main(["--db", str(db_path), "import", "vcard", str(path)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert (
        "Card 3 (Sato Yuki): its photo was not kept: the card links to it "
        "(https://example.jp/staff/sato.jpg) instead of holding it; save the photo and "
        "attach it to the contact" in out
    )
    assert "Card 4 (Awa Diallo): its photo was not kept: the card's copy of it is damaged" in out
    assert "Card 1" not in out and "Card 2" not in out
    assert queries.count(db, "contact") == 4
    assert db.execute("SELECT count(*) FROM attachments").fetchone()[0] == 2
    # The same cards again: already in desk, so their photos are not added twice.
    plan = importer.plan_rows(db, "contact", read_vcards(path), "book.vcf", "vCard")
    assert plan.counts()["match"] == 4
    assert plan.notes()[0] == (
        "Card 1 (Kim Min-jun): its photo was not kept: the contact is already in desk, and "
        "an import adds photos only to the contacts it creates"
    )


def test_a_card_in_an_unknown_character_set_is_that_cards_problem_only(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mixed.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lef\xc3\xa8vre;H\xc3\xa9l\xc3\xa8ne;;;\r\n"
        b"FN:H\xc3\xa9l\xc3\xa8ne Lef\xc3\xa8vre\r\nEND:VCARD\r\n"
        # 2.1, quoted-printable in a character set Python does not know.
        b"BEGIN:VCARD\r\nVERSION:2.1\r\n"
        b"N;CHARSET=X-UNKNOWN-9;ENCODING=QUOTED-PRINTABLE:=8D=B2=93=A1;=97=44=8B=49\r\n"
        b"FN:Yuki Sato\r\nEND:VCARD\r\n"
        # 3.0, eight-bit text in another unknown one, in a note.
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Park;Ji-woo;;;\r\nFN:Ji-woo Park\r\n"
        b"NOTE;CHARSET=X-UNKNOWN-9:\xb0\xa1\xb3\xaa\r\nEND:VCARD\r\n"
        # Shift-JIS, named, and ASCII under an unknown name: both read.
        b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS:\x8eR\x93c;\x91\xbe\x98Y\r\n"
        b"FN;CHARSET=SHIFT_JIS:\x8eR\x93c \x91\xbe\x98Y\r\nTITLE;CHARSET=X-UNKNOWN-9:Mayor\r\n"
        b"END:VCARD\r\n"
    )
    plan = importer.plan_rows(db, "contact", read_vcards(path), "mixed.vcf", "vCard")
    assert plan.counts() == {"new": 2, "match": 0, "problem": 2}
    again = (
        "; export the card again in UTF-8 (vCard 3.0 or 4.0), or import the other cards without it"
    )
    assert plan.problems() == [
        "Card 2 (Yuki Sato): its name is written in the character set 'X-UNKNOWN-9', which "
        "desk does not know" + again,
        "Card 3 (Ji-woo Park): its note is written in the character set 'X-UNKNOWN-9', "
        "which desk does not know" + again,
    ]
    # Without --skip-problems nothing is written, and the card is named; with it, the
    # other cards come in.
    assert main(["--db", str(db_path), "import", "vcard", str(path)]) == 1
    assert "First: Card 2 (Yuki Sato): its name" in capsys.readouterr().err
    assert main(["--db", str(db_path), "import", "vcard", str(path), "--skip-problems"]) == 0
    names = {
        (c["family_name"], c["given_name"], c["job_title"])
        for c in db.query("SELECT * FROM contacts")
    }
    assert names == {("Lefèvre", "Hélène", None), ("山田", "太郎", "Mayor")}


def test_a_utf16_address_book_is_read(tmp_path: Path) -> None:
    path = tmp_path / "outlook.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Nguyễn;Thị Lan;;;\r\nFN:Nguyễn Thị Lan\r\nEND:VCARD\r\n",
        encoding="utf-16",
    )
    ((_n, values),) = read_vcards(path)
    assert (values["family_name"], values["_card"]) == ("Nguyễn", "Card 1 (Nguyễn Thị Lan)")


# -- --value for columns whose names hold ':' or '=' -------------------------------------


def test_value_lines_split_at_the_last_equals_and_take_a_quoted_column() -> None:
    columns = ["Type", "Region: Asia", "Region", "A=B"]
    assert split_value_option("Type:A=B=sister_city", columns) == ("Type", "A=B", "sister_city")
    assert split_value_option('"Region: Asia":Pacific=x', columns) == (
        "Region: Asia",
        "Pacific",
        "x",
    )
    assert split_value_option("Region: Asia:Pacific=x", columns) == ("Region: Asia", "Pacific", "x")
    assert split_value_option('"Region": Asia:x=y', columns) == ("Region", " Asia:x", "y")
    assert split_value_option("A=B:text=x", columns) == ("A=B", "text", "x")
    assert split_value_option("Type:no code", columns) is None
    assert split_value_option('"Region: Asia:x=y', columns) is None  # a quote never closed
    # Every line desk suggests reads back as meant, whatever the names hold.
    rng = random.Random(7)
    pieces = ["Type", ":", "=", '"', " ", "Region", "Asia", "'"]
    for _ in range(500):
        column = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 5)))
        line = value_option(column, text, columns=[*columns, column])
        assert line.startswith("--value ")
        argument = _shell_word(line.removeprefix("--value "))
        assert split_value_option(argument, [*columns, column]) == (column, text, "CODE"), line


def _shell_word(word: str) -> str:
    import shlex

    (only,) = shlex.split(word)
    return only


def test_the_command_line_takes_value_lines_for_columns_with_colons_and_equals(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ties.csv"
    path.write_text(
        "Sister City,Country,Tie: as agreed,Region=Area\n"
        "Kobe,Japan,A=B,Kansai\n"
        "Lyon,France,Jumelage,Rhone\n",
        encoding="utf-8",
    )
    base = [
        "--db",
        str(db_path),
        "import",
        "partnerships",
        str(path),
        "--map",
        "Tie: as agreed=kind",
    ]
    base += ["--map", "Region=Area=region"]
    assert main([*base, "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "say which with --value '\"Tie: as agreed\":A=B=CODE', CODE one of" in out
    assert "say which with --value '\"Tie: as agreed\":Jumelage=CODE', CODE one of" in out
    # Written as suggested (quoted), and unquoted: the longest column name is taken.
    code = main(
        [*base, "--value", '"Tie: as agreed":Jumelage=friendship_city',
         "--value", "Tie: as agreed:A=B=sister_city"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr()
    kinds = {
        row["partner_name"]: (row["kind"], row["region"])
        for row in queries.list_records(db, queries.ListQuery("partnership"))
    }
    assert kinds == {"Kobe": ("sister_city", "Kansai"), "Lyon": ("friendship_city", "Rhone")}
    # A line that names no column says how to write one that holds ':'.
    assert main([*base, "--value", "Tie as agreed"]) == 1
    assert "with the column in double quotes if its name holds ':'" in capsys.readouterr().err
    assert records.resolve_named(db, "partnership", "Kobe")
