"""A workbook (.xlsx) written from rows, byte-identical for the same rows (`deckgen init`'s trends.xlsx)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

EPOCH = datetime(2024, 1, 1)  # the workbook's creation date, so that every run writes the same bytes
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def workbook(sheets: list[tuple[str, list[list[str]]]]) -> bytes:
    """An .xlsx of the given sheets (first row: the header, in bold and frozen), byte-identical for the same
    rows: fixed document dates and zip entry times."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty "Sheet" a new workbook has
    wb.properties.creator = "deckgen init"
    wb.properties.created = wb.properties.modified = EPOCH
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for column in ws.iter_cols(min_row=2):
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        for i, header in enumerate(rows[0]):
            long = max(len(r[i]) for r in rows)
            ws.column_dimensions[ws.cell(1, i + 1).column_letter].width = min(max(len(header) + 2, long), 48)
        ws.freeze_panes = "A2"
    raw = io.BytesIO()
    # openpyxl's save() dates the document with the clock: its writer, given the archive, keeps our dates
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_times(raw.getvalue())


def _fixed_times(data: bytes) -> bytes:
    """The same zip with every entry dated ZIP_TIME (openpyxl dates them with the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
