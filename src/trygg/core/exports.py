"""The one export writer: CSV and XLSX downloads of what a list shows, with the same columns.

Every export goes through :func:`export_rows`, which keeps a spreadsheet from being turned
against its reader or the server:

* text that starts like a formula (``= + - @``, a tab or a carriage return) is written with
  a leading apostrophe, as OWASP advises against CSV injection, and XLSX text cells are
  typed as text, so that nothing in an export is ever evaluated;
* control characters that XLSX cannot hold are dropped instead of failing the export;
* a large CSV is streamed row by row, and XLSX is written in openpyxl's write-only mode;
* an XLSX export of more than ``XLSX_INLINE_ROWS`` rows is not built in the request: the
  answer is a page that queues it as a background build (the reports app's builds, run by
  the db worker as the person who asked, see :mod:`trygg.reports.exports`), whose page shows
  the progress and then the download link;
* one person may start at most ``EXPORTS_PER_MINUTE`` exports a minute.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from trygg.core.formatting import format_number
from trygg.core.imports import clean_text

EXPORT_FORMATS = {"csv", "xlsx"}
#: A CSV export of at least this many rows is streamed.
STREAM_FROM_ROWS = 2000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text that no spreadsheet reads as a formula: a leading apostrophe where needed."""
    if text.startswith(FORMULA_STARTS) and not _looks_numeric(text):
        return "'" + text
    return text


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        return False
    return text.strip() == text


def _cell(value: Any) -> Any:
    """A number, date or text: what a cell holds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | decimal.Decimal | dt.date | dt.datetime):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            from django.utils import timezone

            return timezone.localtime(value).replace(tzinfo=None)
        return value
    if isinstance(value, list | tuple):
        return "; ".join(force_str(v) for v in value)
    return force_str(value)


def _text(value: Any) -> str:
    return neutralise(clean_text(value))


class _Echo:
    """A file-like object whose write returns what was written: csv.writer into a stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """The CSV text, line by line: UTF-8 BOM, semicolons and decimal commas (Swedish Excel)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([_text(force_str(h)) for h in headers])
    for row in rows:
        yield writer.writerow([_csv_text(_cell(v)) for v in row])


def _csv_text(value: Any) -> str:
    if isinstance(value, decimal.Decimal | float):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return _text(str(value))


def xlsx_bytes(headers: list[str], rows: Iterable[list], title: str = "Export") -> bytes:
    """The workbook: a bold, frozen header row, numbers and dates as such, text as text."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    header = []
    for label in headers:
        cell = WriteOnlyCell(sheet, value=_text(force_str(label)))
        cell.font = Font(bold=True)
        cell.data_type = "s"
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_xlsx_cell(sheet, _cell(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=_text(value))
    cell.data_type = "s"  # text is never a formula, whatever it starts with
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(c for c in clean_text(title) if c not in "[]:*?/\\")
    return cleaned[:31] or "Export"


def _counted(rows: Iterator[list], result: BackgroundExport) -> Iterator[list]:
    for row in rows:
        result.rows += 1
        yield row


def _offer_background(request: HttpRequest, name: str, limit: int) -> HttpResponse:
    """The page that offers to build a large XLSX export in the background: a button that
    posts the list's address (a GET writes nothing) to :func:`trygg.reports.views.export_create`."""
    return render(
        request,
        "core/export_background.html",
        {
            "title": _("Large export"),
            "name": name,
            "limit": format_number(limit),
            "path": request.path,
            "query": request.GET.urlencode(),
            "back": request.path
            + ("?" + _without_format(request) if _without_format(request) else ""),
        },
    )


def _without_format(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("format", None)
    return query.urlencode()


def export_allowed(user: Any) -> bool:
    """Whether the user may start another export now: at most ``EXPORTS_PER_MINUTE``."""
    limit = settings.EXPORTS_PER_MINUTE
    if not limit or not getattr(user, "pk", None):
        return True
    key = f"trygg:exports:{user.pk}"
    cache.add(key, 0, timeout=60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60)
        count = 1
    return count <= limit


@dataclass
class BackgroundExport:
    """The workbook an export built in the background made (see :func:`building_in_background`)."""

    content: bytes | None = None
    filename: str = ""
    rows: int = 0


_background: ContextVar[BackgroundExport | None] = ContextVar(
    "trygg_background_export", default=None
)


@contextmanager
def building_in_background() -> Iterator[BackgroundExport]:
    """While a background build runs a list's view as its maker: :func:`export_rows` builds the
    workbook whatever its size, outside the rate limit, and hands it over here."""
    result = BackgroundExport()
    token = _background.set(result)
    try:
        yield result
    finally:
        _background.reset(token)


def too_many_exports() -> HttpResponse:
    """The answer past the rate limit: 429 with a message."""
    response = HttpResponse(
        _("Too many exports in a short time. Wait a minute and try again."),
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "60"
    return response


def export_rows(
    headers: list[str],
    rows: Iterable[list],
    fmt: str,
    filename: str,
    *,
    user: Any = None,
    request: HttpRequest | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """A download of the rows: CSV streamed, XLSX as one workbook.

    Past the user's rate limit the answer is 429 with a message, and nothing is read. With the
    ``request``, an XLSX export of more than ``XLSX_INLINE_ROWS`` rows is answered with a page
    that queues it in the background instead (the request builds no workbook).
    """
    background = _background.get()
    if user is None and request is not None:
        user = request.user
    if user is not None and background is None and not export_allowed(user):
        return too_many_exports()
    safe_name = "".join(c for c in clean_text(filename) if c not in '"\\/\r\n') or "export"
    if fmt == "xlsx":
        rows = iter(rows)
        limit = settings.XLSX_INLINE_ROWS
        first = list(itertools.islice(rows, limit + 1))
        if background is not None:
            background.content = xlsx_bytes(
                headers, _counted(itertools.chain(first, rows), background), safe_name
            )
            background.filename = f"{safe_name}.xlsx"
            return HttpResponse(status=204)
        if len(first) > limit and request is not None:
            return _offer_background(request, safe_name, limit)
        response: HttpResponse | StreamingHttpResponse = HttpResponse(
            xlsx_bytes(headers, itertools.chain(first, rows), safe_name), content_type=XLSX_TYPE
        )
    else:
        fmt = "csv"
        rows = iter(rows)
        first = list(itertools.islice(rows, STREAM_FROM_ROWS))
        if len(first) < STREAM_FROM_ROWS:
            response = HttpResponse(
                "".join(csv_lines(headers, first)), content_type="text/csv; charset=utf-8"
            )
        else:
            # A large export is written while it is sent, never held whole in memory.
            response = StreamingHttpResponse(
                (line.encode("utf-8") for line in csv_lines(headers, itertools.chain(first, rows))),
                content_type="text/csv; charset=utf-8",
            )
    response["Content-Disposition"] = f'attachment; filename="{safe_name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
