"""Report tables as files: one table as CSV, all tables as one XLSX workbook.

XLSX cells are typed (integers, one-decimal numbers, real dates), each sheet
starts with a bold header row and holds one table; a suppressed cell keeps its
"< 3" text. File names carry the unit code and the period label, e.g.
``loket-1906-2026-11.xlsx``. Written with openpyxl in write-only mode, which
streams rows instead of building the whole sheet in memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from datetime import date

from server.reports.labels import LabelledTable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBER_FORMATS = {"percent": "0.0", "minutes": "0.0", "number": "General", "date": "yyyy-mm-dd"}


def file_name(unit_code: str, period_label: str, suffix: str) -> str:
    """``loket-<unit>-<period>[-<table>].<ext>`` with only safe characters."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"loket-{unit_code}-{period_label}")
    return f"{stem}{suffix}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def table_csv(table: LabelledTable) -> str:
    """One table as CSV (UTF-8 with a BOM so spreadsheet programs read it as UTF-8)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c["label"] for c in table.columns])
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    return "\ufeff" + out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", title)[:31].strip() or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def workbook_bytes(tables: Sequence[LabelledTable]) -> bytes:
    """All tables as one XLSX workbook, one sheet per table."""
    # openpyxl loads in about 0.3 s: imported here, not when the server starts
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    used: set[str] = set()
    for table in tables:
        ws = wb.create_sheet(_sheet_title(table.sheet, used))
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=column["label"])
            cell.font = bold
            header.append(cell)
        ws.append(header)
        kinds = [c["kind"] for c in table.columns]
        for row in table.rows:
            cells = []
            for kind, value in zip(kinds, row, strict=True):
                cell = WriteOnlyCell(ws, value=value)
                if kind in _NUMBER_FORMATS and not isinstance(value, str):
                    cell.number_format = _NUMBER_FORMATS[kind]
                cells.append(cell)
            ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
