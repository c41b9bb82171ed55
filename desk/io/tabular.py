"""Reading the spreadsheets offices keep: CSV in whatever encoding and separator, or
XLSX, with the header row found under any title rows and merged header cells filled in.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile, ZipFile

from desk.core.disk.files import input_file
from desk.core.domain.types.cleaning import MAX_TEXT
from desk.core.domain.words import counted
from desk.core.errors import DeskError

MAX_COLUMNS = 200
_SNIFF_BYTES = 64 * 1024
# A zip archive's first bytes: a file's header, an empty archive's end, a spanned one.
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_LAST_ROW = 1_048_576  # Excel's
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc and their kin
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xls")
# What [Content_Types].xml names a workbook's main part (workbook, macros, templates).
_WORKBOOK_TYPES = (
    "spreadsheetml.sheet.main+xml",
    "spreadsheetml.template.main+xml",
    "ms-excel.sheet.macroEnabled.main+xml",
    "ms-excel.template.macroEnabled.main+xml",
)
_TOP_ROWS = 30  # how far down a sheet the table must start for it to be the table's


class FileRefused(DeskError):
    """A file that cannot be read as a table; the message says why."""


@dataclass
class TableFile:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)
    description: str  # e.g. "CSV, windows-1252, ';' separated"


def read_table(path: Path) -> TableFile:
    """A table from a CSV file or an Excel workbook, told apart by what the file holds,
    not by its name: a workbook saved as "list.csv" (or with no extension) is read as a
    workbook, and a CSV file named ".xlsx" as CSV."""
    input_file(path, "a spreadsheet (CSV or Excel)", FileRefused)
    if path.stat().st_size == 0:
        raise FileRefused(f"{path.name} is empty.")
    with open(path, "rb") as source:
        head = source.read(_SNIFF_BYTES)
    if head.startswith(_ZIP_MAGIC):
        return _read_xlsx(path)
    if head.startswith(_OLE2_MAGIC):
        raise FileRefused(
            f"{path.name} is an Excel 97-2003 workbook (.xls) or another older Office file; "
            "desk reads .xlsx and .csv. Open it in Excel or LibreOffice and save it as "
            ".xlsx or .csv."
        )
    markup = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:100].lower()
    if markup.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table")):
        # What some web sites hand out as "Excel" is a web page or Excel 2003 XML.
        raise FileRefused(
            f"{path.name} is a web page or XML file, not a workbook or CSV file. Open it in "
            "Excel or LibreOffice and save it as .xlsx or .csv."
        )
    table = _read_csv(path)
    if path.suffix.lower() in _WORKBOOK_SUFFIXES:
        table.description += f" (named {path.suffix}, but it is text, not a workbook)"
    return table


def _decode(raw: bytes, name: str) -> tuple[str, str]:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding), encoding.replace("-sig", " with BOM")
    if b"\x00" in raw[:_SNIFF_BYTES]:
        # UTF-16 without a byte-order mark shows as every other byte zero.
        sample = raw[:_SNIFF_BYTES]
        if sample[1::2].count(0) > len(sample) * 0.4:
            return raw.decode("utf-16-le", errors="strict"), "utf-16-le"
        if sample[0::2].count(0) > len(sample) * 0.4:
            return raw.decode("utf-16-be", errors="strict"), "utf-16-be"
        raise FileRefused(f"{name} is not a text table (it holds binary data).")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _decode_legacy(raw)


def _decode_legacy(raw: bytes) -> tuple[str, str]:
    """A file that is not all UTF-8. Lines that are UTF-8 stay so (a sheet pasted
    together from two sources); the rest are read in the encoding the bytes point to
    (Shift-JIS, GBK, Windows-1252...), never as Latin-1 by default, which turns 松山 or
    München into mojibake without a word."""
    lines = raw.split(b"\n")
    decoded = [_utf8_or_none(line) for line in lines]
    foreign = [line for line, text in zip(lines, decoded, strict=True) if text is None]
    legacy = _legacy_encoding(b"\n".join(foreign))
    if not any(text and not text.isascii() for text in decoded):
        return raw.decode(legacy, errors="replace"), _encoding_name(legacy)
    text = "\n".join(
        text if text is not None else line.decode(legacy, errors="replace")
        for line, text in zip(lines, decoded, strict=True)
    )
    return text, (
        f"{_encoding_name('utf-8')}, with {counted(len(foreign), 'line')} in "
        f"{_encoding_name(legacy)}"
    )


def _legacy_encoding(raw: bytes) -> str:
    """Western text in Windows-1252 reads as accented letters beside plain ones; a short
    sample of it fools a statistical guess (Köln as Big5), so that reading goes first."""
    from charset_normalizer import from_bytes

    try:
        western = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = ""
    accented = [ch for ch in western if ord(ch) > 127]
    if accented and sum("\u00c0" <= ch <= "\u00ff" for ch in accented) >= 0.8 * len(accented):
        return "cp1252"
    guess = from_bytes(raw).best()
    return guess.encoding if guess is not None else "cp1252"


def _utf8_or_none(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _encoding_name(codec: str) -> str:
    """How an encoding is called in a spreadsheet's Save As dialog, not in a codec table."""
    folded = codec.lower().replace("_", "-")
    names = {
        "utf-8": "UTF-8",
        "utf-8 with bom": "UTF-8",
        "utf-16": "UTF-16",
        "utf-16-le": "UTF-16",
        "utf-16-be": "UTF-16",
        "cp1252": "Western Windows-1252",
        "windows-1252": "Western Windows-1252",
        "latin-1": "Western ISO-8859-1",
        "iso-8859-1": "Western ISO-8859-1",
        "shift-jis": "Japanese Shift-JIS",
        "cp932": "Japanese Shift-JIS",
        "gbk": "Chinese GBK",
        "gb2312": "Chinese GBK",
        "big5": "Chinese Big5",
        "euc-kr": "Korean EUC-KR",
        "cp949": "Korean EUC-KR",
    }
    return names.get(folded, codec)


def _read_csv(path: Path) -> TableFile:
    raw = path.read_bytes()
    try:
        text, encoding = _decode(raw, path.name)
    except UnicodeDecodeError:
        raise FileRefused(f"{path.name} is not a text table (it cannot be decoded).") from None
    controls = sum(1 for ch in text[:_SNIFF_BYTES] if ord(ch) < 32 and ch not in "\r\n\t")
    if controls > 8:
        raise FileRefused(f"{path.name} is not a text table (it holds binary data).")
    sample = text[:_SNIFF_BYTES]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = max(",;\t|", key=sample.count)
    # A cell may be as long as the longest field (2 MB of notes), not csv's 128 KiB.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_TEXT + 1))
    # strict: a quote opened and never closed is refused, not read as one cell that
    # swallows every row after it.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    ended = 0  # the file line the last whole row ended on
    try:
        for row in reader:
            rows.append((len(rows) + 1, row))  # rows as a spreadsheet numbers them
            ended = reader.line_num
    except csv.Error as exc:
        started = ended + 1
        raise FileRefused(
            f'{path.name}, line {started}: {exc}; a quote (") there is never closed. '
            "Fix that line, or save the file from the spreadsheet again."
        ) from None
    shown = {"\t": "tabs", ",": "commas", ";": "semicolons", "|": "bars"}[delimiter]
    return _with_header(
        path.name, rows, f"CSV file in {_encoding_name(encoding)}, separated by {shown}"
    )


def _damaged(name: str) -> FileRefused:
    return FileRefused(
        f"{name} is not a readable Excel workbook: it is damaged or another kind of "
        "file. Open it in Excel or LibreOffice and save it as .xlsx or .csv again."
    )


# What goes wrong reading a damaged archive or sheet: a broken zip entry, XML that does
# not parse (SyntaxError is what ElementTree's ParseError is), an entry openpyxl expects
# and does not find.
_BROKEN = (
    BadZipFile,
    EOFError,
    KeyError,
    NotImplementedError,
    OSError,
    SyntaxError,
    TypeError,
    ValueError,
    zlib.error,
)


def _check_workbook(path: Path) -> None:
    """Refuse an archive that is not an Excel workbook, in words saying what it is: Word
    and OpenDocument files are zip archives too, as is a compressed folder."""
    try:
        with ZipFile(path) as archive:
            names = archive.namelist()
            types = mimetype = ""
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as part:
                    types = part.read(1024 * 1024).decode("utf-8", "replace")
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    mimetype = part.read(200).decode("ascii", "replace").strip()
    except RuntimeError:  # an entry that needs a password
        raise FileRefused(
            f"{path.name} is protected with a password. Open it in Excel or LibreOffice, "
            "save a copy without the password, and import that."
        ) from None
    except _BROKEN:
        raise _damaged(path.name) from None
    if any(kind in types for kind in _WORKBOOK_TYPES) or (not types and "xl/workbook.xml" in names):
        return
    what = (
        "an Excel binary workbook (.xlsb)"
        if "ms-excel.sheet.binary" in types
        else "a Word document"
        if "wordprocessingml" in types
        else "a PowerPoint presentation"
        if "presentationml" in types
        else "an OpenDocument spreadsheet (.ods)"
        if mimetype.startswith("application/vnd.oasis.opendocument.spreadsheet")
        else "an OpenDocument file"
        if mimetype.startswith("application/vnd.oasis.opendocument")
        else None
    )
    if what is None:
        shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
        raise FileRefused(
            f"{path.name} is not a spreadsheet: it is a compressed folder of other files "
            f"({shown or 'none'}). Open it and import the .xlsx or .csv file inside."
        )
    raise FileRefused(
        f"{path.name} is {what}, not a workbook desk reads. Open it in Excel or LibreOffice "
        "and save it as .xlsx or .csv."
    )


def _read_xlsx(path: Path) -> TableFile:
    """A workbook's table, read from the cells the file holds (see _sheet_rows)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    _check_workbook(path)
    merged: list[str] = []
    try:
        with open(path, "rb") as source, warnings.catch_warnings():
            # openpyxl warns of parts it leaves aside (data validation, extensions): they
            # say nothing about the table, and would reach the person as noise.
            warnings.simplefilter("ignore")
            # From an open file, not its name: openpyxl refuses a name that does not end
            # in .xlsx, and a workbook saved as "list.csv" is still a workbook.
            book = load_workbook(source, read_only=True, data_only=True)
            try:
                if not book.worksheets:
                    raise FileRefused(f"{path.name} holds no sheets of cells (only charts).")
                sheet = _table_sheet(book)
                rows = []
                for number, found in _sheet_rows(sheet, merged):
                    width = max(found)
                    if width > MAX_COLUMNS:
                        raise FileRefused(
                            f"{path.name}, row {number}: {width} columns; desk reads at most "
                            f"{MAX_COLUMNS}. Is this the right file?"
                        )
                    cells: list[Any] = [None] * width
                    for column, value in found.items():
                        cells[column - 1] = value
                    rows.append((number, cells))
                title = sheet.title
            finally:
                book.close()
    except FileRefused:
        raise
    except (InvalidFileException, *_BROKEN):
        raise _damaged(path.name) from None
    return _with_header(
        path.name, rows, f"Excel workbook, sheet '{title}'", _merged_fill(merged, rows)
    )


def _sheet_rows(
    sheet: Any, merged: list[str] | None = None
) -> Generator[tuple[int, dict[int, Any]], None, None]:
    """The rows of a sheet that hold a value, each as {column number: value}, read from
    the sheet's XML as it streams by. Only cells the file holds are looked at, never the
    size the sheet claims: one styled, empty cell at XFD1048576 claims 17 billion cells.
    The rows between two that hold values cost nothing and keep their numbers, so a
    value 900,000 rows down is read (and named by its row) rather than dropped, and no
    empty row is ever made. `merged` receives the merged ranges, listed after the cells.

    openpyxl's read-only sheet pads every row to the claimed width and yields every row
    of a gap; the parser it is built on yields only what is there, so that is read."""
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            found: dict[int, Any] = {}
            for cell in cells:
                value = cell["value"]
                if isinstance(value, dt.date):  # a date shown as a year or month stays so
                    value = _cell_value(ReadOnlyCell(sheet, **cell))
                if _text(value):
                    found[cell["column"]] = value
            if found:
                yield number, found
        if merged is not None and parser.merged_cells is not None:
            merged.extend(str(cell.ref) for cell in parser.merged_cells.mergeCell)


def _merged_fill(
    ranges: list[str], rows: list[tuple[int, list[Any]]]
) -> Callable[[int, list[Any]], list[Any]] | None:
    """A merged cell keeps its value in its first cell only: spread it over the range,
    in the rows that hold values (a range as wide as the sheet costs no more)."""
    from openpyxl.utils.cell import range_boundaries

    if not ranges:
        return None
    at = dict(rows)
    numbers = sorted(at)
    spread: dict[int, list[tuple[int, int, Any]]] = {}
    for ref in ranges:
        try:
            bounds = range_boundaries(ref)
        except (TypeError, ValueError):
            continue  # a range the file writes wrongly spreads nothing
        # A whole column or row ("A:A", "3:3") has no bound on the other side.
        first_col, first_row = bounds[0] or 1, bounds[1] or 1
        last_col, last_row = bounds[2] or MAX_COLUMNS, bounds[3] or _LAST_ROW
        top = at.get(first_row)
        if top is None or first_col > len(top) or top[first_col - 1] is None:
            continue
        value = top[first_col - 1]
        for number in numbers[bisect_left(numbers, first_row) : bisect_right(numbers, last_row)]:
            spread.setdefault(number, []).append((first_col, last_col, value))

    def fill(number: int, cells: list[Any]) -> list[Any]:
        filled = list(cells)
        for first, last, value in spread.get(number, ()):
            for column in range(first, min(last, len(filled)) + 1):
                if filled[column - 1] is None:
                    filled[column - 1] = value
        return filled

    return fill


def _table_sheet(book: Any) -> Any:
    """The sheet that holds the table: the first whose opening rows have at least two
    filled cells in two rows, passing over a 'Read me' or cover sheet of notes."""
    for sheet in book.worksheets:
        filled_rows = 0
        with closing(_sheet_rows(sheet)) as rows:
            for number, found in rows:
                if number > _TOP_ROWS:
                    break
                if len(found) >= 2:
                    filled_rows += 1
                    if filled_rows >= 2:
                        return sheet
    return book.worksheets[0]


def _cell_value(cell: Any) -> Any:
    """A cell's value; a date cell shown only as a year or a month ('1961', 'June 1961',
    as desk's own survey workbook writes them) as that year or month, not as the first
    day Excel stores underneath."""
    value = cell.value
    if not isinstance(value, dt.date):
        return value
    shown = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", str(cell.number_format or "")).casefold()
    if "d" in shown or "y" not in shown or "h" in shown or "s" in shown:
        return value
    return f"{value.year:04d}-{value.month:02d}" if "m" in shown else f"{value.year:04d}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _with_header(
    name: str,
    rows: list[tuple[int, list[Any]]],
    description: str,
    fill: Callable[[int, list[Any]], list[Any]] | None = None,
) -> TableFile:
    """Find the header row and the rows under it. `fill` spreads merged cells, after the
    header is found, so a title merged across the top does not pass for a header."""
    rows = [(n, cells) for n, cells in rows if any(_text(c) for c in cells)]
    if not rows:
        raise FileRefused(f"{name} holds no rows.")
    for n, cells in rows:
        used = max(i for i, c in enumerate(cells) if _text(c)) + 1
        if used > MAX_COLUMNS:
            raise FileRefused(
                f"{name}, row {n}: {used} columns; desk reads at most "
                f"{MAX_COLUMNS}. Is this the right file?"
            )
    # Title rows ("Sister cities, updated May 2024") sit above the header: the header is
    # the first of the top rows that is nearly as full as the fullest of them.
    top = rows[:10]
    widest = max(len([c for c in cells if _text(c)]) for _, cells in top)
    header_at = next(
        i
        for i, (_, cells) in enumerate(top)
        if len([c for c in cells if _text(c)]) >= max(2, widest * 0.6) or widest < 2
    )
    if fill is not None:
        rows = [(n, fill(n, cells)) for n, cells in rows]
    header_row = [_text(c) for c in rows[header_at][1]]
    body = rows[header_at + 1 :]
    if not body:
        raise FileRefused(f"{name} has a header row but no data rows.")
    width = max(len(header_row), *(len(cells) for _, cells in body))
    headers = [
        h or f"Column {i + 1}" for i, h in enumerate(header_row + [""] * (width - len(header_row)))
    ]
    return TableFile(
        headers, [(n, cells + [None] * (width - len(cells))) for n, cells in body], description
    )
