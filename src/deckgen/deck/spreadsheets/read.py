"""Reading spreadsheets: CSV (encoding and separator detected, Excel's and LibreOffice's dialects) and .xlsx.

A table is a header row and data rows; each row keeps the line a message should name: the physical line
where the record starts in a CSV (quoted cells may span lines), the row number in a workbook.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from deckgen.deck.spreadsheets.encodings import reads_as_western, suggest, text_encoding
from deckgen.errors import DeckError, Problem
from deckgen.files import read_input
from deckgen.limits import MAX_CELLS, MAX_ROWS, MAX_WORKBOOK_BYTES, over

DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "vertical bar"}
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\r?\n", re.I)  # Excel's "sep=;" first line


@dataclass
class Table:
    file: str  # as shown in messages
    sheet: str | None  # the workbook sheet; None for a CSV
    headers: list[str]
    header_line: int
    rows: list[tuple[int, int, list[Any]]]  # (line for messages, row number as a spreadsheet shows it, cells)
    links: dict[tuple[int, int], str] = field(default_factory=dict)  # (line, column) -> a cell's hyperlink
    encoding: str | None = None
    delimiter: str | None = None

    def where(self, header: str, line: int | None = None, number: int | None = None) -> str:
        """How messages name a column, and the row when its number differs from the line (a CSV whose
        quoted cells span lines): 'column "source"', 'row 14, column "source"', 'sheet "Cards", column …'."""
        col = f'column "{header}"'
        if number is not None and number != line:
            col = f"row {number}, {col}"
        return f'sheet "{self.sheet}", {col}' if self.sheet else col


def read_tables(path: Path, name: str, *, encoding: str | None = None, delimiter: str | None = None) -> list[Table]:
    """Every table of a file: one for a CSV, one per sheet for a workbook. DeckError for an unreadable file."""
    return parse_tables(read_input(path, name), name, path.suffix.lower(), encoding=encoding, delimiter=delimiter)


def parse_tables(raw: bytes, name: str, suffix: str | None, *, encoding: str | None = None,
                 delimiter: str | None = None) -> list[Table]:
    """The tables of a file's bytes; `suffix` (".csv", ".xlsx") is what its name says, None when nothing does
    (a URL): then the bytes alone tell a workbook from CSV text."""
    if raw.startswith(b"PK\x03\x04"):
        if suffix not in (None, ".xlsx", ".xlsm"):
            raise DeckError(Problem("this is a workbook (zip), not CSV text", name, hint="name it .xlsx"))
        return _read_xlsx(raw, name)
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise DeckError(Problem("an old Excel .xls workbook is not supported", name,
                                hint="save it as .xlsx or as CSV"))
    if suffix in (".xlsx", ".xlsm"):
        raise DeckError(Problem("not an .xlsx workbook", name, hint="save it from Excel or LibreOffice as .xlsx"))
    return [read_csv_bytes(raw, name, encoding=encoding, delimiter=delimiter)]


# ---------------------------------------------------------------- CSV

def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used: forced, or a BOM, or UTF-8, or else Windows-1252 (Excel's French CSV)."""
    def fail(exc: UnicodeDecodeError, what: str) -> DeckError:
        line = raw[:exc.start].count(b"\n") + 1
        return DeckError(Problem(f"{what} (byte {exc.start}: {raw[exc.start:exc.start + 1]!r})", name, line,
                                 hint="save it as UTF-8, or give its encoding (--encoding / encoding:)"))

    if encoding:
        if text_encoding(encoding) is None:
            raise DeckError(Problem(f"{encoding!r} is not a text encoding", name,
                                    hint="give the file's encoding, e.g. utf-8, cp1252, shift_jis"))
        enc = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        try:
            return raw.decode(enc), encoding
        except UnicodeDecodeError as exc:
            raise fail(exc, f"not {encoding} text") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise fail(exc, "not UTF-16 text") from None
    if b"\x00" in raw[:4096]:
        raise DeckError(Problem("not a text file (it holds NUL bytes)", name, hint="a .csv or .xlsx file"))
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise fail(exc, "neither UTF-8 nor Windows-1252 text") from None
    if not reads_as_western(text):
        guess = suggest(raw)
        maybe = f" (perhaps {guess})" if guess else ""
        raise DeckError(Problem(f"cannot tell the file's encoding: it is not UTF-8, and as Windows-1252 it reads "
                                f"as gibberish{maybe}", name,
                                hint=f"give it: --encoding {guess or 'NAME'} (import) or `encoding:` next to `from:`"))
    return text, "cp1252"


def sniff_delimiter(text: str) -> str:
    """The separator among ; , tab | that splits the first records into the most rows of the header's width."""
    sample = text[:65536]
    truncated = len(text) > len(sample)
    best, best_score = ",", (-1, 0)
    for d in DELIMITERS:
        try:
            rows = list(islice(csv.reader(io.StringIO(sample, newline=""), delimiter=d), 50))
        except csv.Error:
            continue
        if truncated and len(rows) > 1:
            rows.pop()  # perhaps cut in the middle
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(_trim(rows[0]))
        same = sum(1 for r in rows[1:] if len(_trim(r)) <= width <= len(r))
        score = (same, width)
        if score > best_score:
            best, best_score = d, score
    if best_score[1] == 0:  # one column: split on nothing that occurs in the text
        return next((d for d in DELIMITERS if d not in sample), "\x1f")
    return best


def _trim(row: list[str]) -> list[str]:
    """A row without its trailing empty cells (Excel pads rows to the widest one)."""
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]


def read_csv_bytes(raw: bytes, name: str, *, encoding: str | None = None, delimiter: str | None = None) -> Table:
    text, used = decode(raw, name, encoding)
    text = text.removeprefix("\ufeff")
    first_line = 1
    sep = _SEP_LINE.match(text)
    if sep:
        delimiter = delimiter or sep.group(1)
        text = text[sep.end():]
        first_line = 2
    delim = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    records: list[tuple[int, int, list[str]]] = []
    prev = 0
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:  # the header, then at most MAX_ROWS rows
                what, hint = over("rows", _count_rows(text), MAX_ROWS, "split the spreadsheet into several decks")
                raise DeckError(Problem(what, name, hint=hint))
            records.append((prev + first_line, number, [c.replace("\r\n", "\n").replace("\r", "\n") for c in row]))
            prev = reader.line_num
    except csv.Error as exc:
        raise DeckError(Problem(f"not readable as CSV: {exc}", name, reader.line_num + first_line - 1)) from None
    return _table(name, None, records, used, delim)


def _count_rows(text: str) -> int:
    """The non-empty lines after the header, read one at a time (a million lines are not split into a list)."""
    return sum(1 for line in io.StringIO(text) if line.strip()) - 1


def _table(name: str, sheet: str | None, records: list[tuple[int, int, list[Any]]], encoding: str | None = None,
           delimiter: str | None = None, links: dict[tuple[int, int], str] | None = None) -> Table:
    """Split records into the header (the first non-empty row) and the data rows."""
    start = next((i for i, (_, _, cells) in enumerate(records) if any(_present(c) for c in cells)), None)
    if start is None:
        where = f'sheet "{sheet}": ' if sheet else ""
        raise DeckError(Problem(f"{where}no rows: the table is empty", name,
                                hint="the first row names the columns: title, summary, body, family, source…"))
    line, _, header = records[start]
    headers = ["" if h is None else str(h).strip().removeprefix("\ufeff") for h in header]
    rows = [r for r in records[start + 1:] if any(_present(c) for c in r[2])]
    return Table(name, sheet, headers, line, rows, links or {}, encoding, delimiter)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# ---------------------------------------------------------------- xlsx

def _read_xlsx(raw: bytes, name: str) -> list[Table]:
    from openpyxl import load_workbook

    _check_zip(raw, name)
    try:
        wb = load_workbook(io.BytesIO(raw), data_only=True)
    except Exception as exc:  # openpyxl and the XML parsers raise many kinds: all mean a broken workbook
        raise DeckError(Problem(f"not a readable .xlsx workbook ({_why(exc)})", name,
                                hint="save it again from Excel or LibreOffice as .xlsx")) from None
    tables = []
    for ws in wb.worksheets:
        _check_size(ws, name)
        records, links = _sheet_records(ws)
        if any(any(_present(c) for c in r[2]) for r in records):
            tables.append(_table(name, ws.title, records, links=links))
    if not tables:
        raise DeckError(Problem("no rows: every sheet of the workbook is empty", name))
    return tables


def _why(exc: BaseException) -> str:
    """A short reason: openpyxl wraps the XML parser's error (an entity refused, a tag cut short)."""
    cause = exc.__cause__ or exc.__context__ or exc
    if "Entit" in type(cause).__name__ or "DTD" in type(cause).__name__:
        return "its XML declares entities, which a workbook never needs"
    text = " ".join(str(cause).split())[:100]
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


def _check_zip(raw: bytes, name: str) -> None:
    """A workbook whose parts unzip to more than the limit is refused before any is inflated."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            size = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DeckError(Problem(f"not a readable .xlsx workbook ({exc})", name)) from None
    if size > MAX_WORKBOOK_BYTES:
        what, hint = over("bytes once unzipped", size, MAX_WORKBOOK_BYTES, "save a smaller workbook, or as CSV")
        raise DeckError(Problem(what, name, hint=hint))


def _check_size(ws: Any, name: str) -> None:
    """Rows and cells as the sheet's last cell says, before a grid that large is walked."""
    rows, cols = ws.max_row or 0, ws.max_column or 0
    where = f'sheet "{ws.title}": '
    if rows > MAX_ROWS + 1:
        what, hint = over("rows", rows, MAX_ROWS, "delete the empty rows after the table, or split it")
        raise DeckError(Problem(where + what, name, hint=hint))
    if rows * cols > MAX_CELLS:
        what, hint = over(f"cells ({rows:,} rows × {cols:,} columns)", rows * cols, MAX_CELLS,
                          "delete the empty columns after the table")
        raise DeckError(Problem(where + what, name, hint=hint))


def _sheet_records(ws: Any) -> tuple[list[tuple[int, int, list[Any]]], dict[tuple[int, int], str]]:
    records: list[tuple[int, int, list[Any]]] = []
    links: dict[tuple[int, int], str] = {}
    for row in ws.iter_rows():
        if not row:
            continue
        number = int(row[0].row or 0)
        cells = []
        for col, cell in enumerate(row):
            cells.append(cell.value)
            target = getattr(cell.hyperlink, "target", None) if cell.hyperlink else None
            if target:
                links[(number, col)] = str(target)
        records.append((number, number, cells))
    return records, links


def cell_text(value: Any) -> str | None:
    """A cell as text, the same from a CSV and a workbook: None when empty; stripped; 2.0 as "2"; dates as
    YYYY-MM-DD. (The deck model reads numbers such as copies from text.)"""
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None
