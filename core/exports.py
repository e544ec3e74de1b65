"""CSV and XLSX downloads of any table of rows (streamed for CSV, write-only for XLSX).

No download carries a formula: a text cell that a spreadsheet would read as one (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with an apostrophe in front,
and every XLSX text cell is a string cell. Numbers are left alone (a longitude of -0.28 stays a
number, and so does the text "-0.2801"); only text is changed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")  # "-0.2801" in a template: harmless


def neutralise(value: Any) -> Any:
    """``value``, with an apostrophe in front if it is text a spreadsheet would run as a formula."""
    if value.__class__ is str and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _safe(row: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in row]


def export_name(*parts: str) -> str:
    """A file name readers recognise: "logistik-kutai-kartanegara", not an internal code."""
    return "-".join(slugify(p) for p in parts if p) or "export"


class _Echo:
    def write(self, value: str) -> str:
        return value


def download(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()

        def cells(row: Iterable[Any]) -> list[Any]:
            out = _safe(row)
            for i, v in enumerate(out):
                if v.__class__ is str and v in ERROR_CODES:  # "#N/A" would be an error cell: keep it text
                    cell = WriteOnlyCell(ws, value=v)
                    cell.data_type = "s"
                    out[i] = cell
            return out

        ws.append(cells(header))
        for row in rows:
            ws.append(cells(row))
        buf = io.BytesIO()
        wb.save(buf)
        resp = HttpResponse(buf.getvalue(), content_type=XLSX)
        resp["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return resp
    writer = csv.writer(_Echo())

    def stream() -> Iterable[str]:
        yield "\ufeff" + writer.writerow(_safe(header))  # BOM so spreadsheet apps read UTF-8
        for row in rows:
            yield writer.writerow(_safe(row))

    sresp = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    sresp["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return sresp
