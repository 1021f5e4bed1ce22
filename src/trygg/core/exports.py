"""CSV and XLSX responses for lists: what is on screen, with the same columns."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io

from django.http import HttpResponse
from django.utils.encoding import force_str
from openpyxl import Workbook
from openpyxl.styles import Font

EXPORT_FORMATS = {"csv", "xlsx"}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int | float | decimal.Decimal | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, list | tuple):
        return "; ".join(force_str(v) for v in value)
    return force_str(value)


def export_rows(headers: list[str], rows: list[list], fmt: str, filename: str) -> HttpResponse:
    """A download of the rows. CSV is UTF-8 with BOM and semicolons, as Swedish Excel expects."""
    if fmt == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = filename[:31]
        sheet.append([force_str(h) for h in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([force_str(h) for h in headers])
        for row in rows:
            writer.writerow([_csv_text(_cell(v)) for v in row])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        fmt = "csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv_text(value):
    if isinstance(value, decimal.Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    # A cell that starts like a formula is a spreadsheet injection risk; make it plain text.
    if text[:1] in {"=", "+", "-", "@"} and not _looks_numeric(text):
        return "'" + text
    return text


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True
