"""Reading the spreadsheets offices keep: CSV in whatever encoding and separator, or
XLSX, with the header row found under any title rows and merged header cells filled in.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zipfile import BadZipFile, is_zipfile

from desk.core.errors import DeskError
from desk.core.files import input_file
from desk.core.validate import MAX_TEXT
from desk.core.words import counted

MAX_COLUMNS = 200
_SNIFF_BYTES = 64 * 1024
_FULL_LOAD_LIMIT = 5 * 1024 * 1024  # smaller workbooks are read whole, merged cells and all


class FileRefused(DeskError):
    """A file that cannot be read as a table; the message says why."""


@dataclass
class TableFile:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (row number in the file, cells)
    description: str  # e.g. "CSV, windows-1252, ';' separated"


def read_table(path: Path) -> TableFile:
    input_file(path, "a spreadsheet (CSV or Excel)", FileRefused)
    if path.stat().st_size == 0:
        raise FileRefused(f"{path.name} is empty.")
    if path.suffix.lower() in (".xlsx", ".xlsm") or is_zipfile(path):
        return _read_xlsx(path)
    return _read_csv(path)


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


def _read_xlsx(path: Path) -> TableFile:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    whole = path.stat().st_size <= _FULL_LOAD_LIMIT
    try:
        book = load_workbook(path, read_only=not whole, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError):
        raise FileRefused(
            f"{path.name} is not a readable Excel workbook: it is damaged or another kind of "
            "file. Open it in Excel or LibreOffice and save it as .xlsx or .csv again."
        ) from None
    sheet = _table_sheet(book)
    merged: dict[tuple[int, int], Any] = {}
    if whole:
        for cell_range in sheet.merged_cells.ranges:
            value = sheet.cell(cell_range.min_row, cell_range.min_col).value
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                for col in range(cell_range.min_col, cell_range.max_col + 1):
                    merged[(row, col)] = value

    def fill(number: int, cells: list[Any]) -> list[Any]:
        # A merged cell keeps its value in its first cell only; spread it over the range.
        filled = list(cells)
        for (row, col), value in merged.items():
            if row == number and col <= len(filled) and filled[col - 1] is None:
                filled[col - 1] = value
        return filled

    rows = [
        (n, [_cell_value(cell) for cell in cells])
        for n, cells in enumerate(sheet.iter_rows(), start=1)
    ]
    table = _with_header(path.name, rows, f"Excel workbook, sheet '{sheet.title}'", fill)
    book.close()
    return table


def _table_sheet(book: Any) -> Any:
    """The sheet that holds the table: the first whose opening rows have at least two
    filled cells in two rows, passing over a 'Read me' or cover sheet of notes."""
    for sheet in book.worksheets:
        filled_rows = 0
        for values in sheet.iter_rows(max_row=30, values_only=True):
            if sum(1 for value in values if value not in (None, "")) >= 2:
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
