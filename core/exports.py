"""CSV and XLSX downloads of any table of rows (streamed for CSV, write-only for XLSX)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value: str) -> str:
        return value


def download(
    fmt: str, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(list(header))
        for row in rows:
            ws.append(list(row))
        buf = io.BytesIO()
        wb.save(buf)
        resp = HttpResponse(buf.getvalue(), content_type=XLSX)
        resp["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return resp
    writer = csv.writer(_Echo())

    def stream() -> Iterable[str]:
        yield "\ufeff" + writer.writerow(header)  # BOM so spreadsheet apps read UTF-8
        for row in rows:
            yield writer.writerow(row)

    sresp = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    sresp["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return sresp
