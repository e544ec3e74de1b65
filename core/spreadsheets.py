"""Reading uploaded spreadsheets (CSV or XLSX) into rows, with clear messages for bad files."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class RowError:
    row: int  # spreadsheet row number (the header is row 1)
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class ImportFailed(Exception):
    """Nothing was written; ``report`` says why, row by row."""

    def __init__(self, message: str, errors: list[RowError] | None = None, total: int = 0):
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.total = total or len(self.errors)


class FileRejected(Exception):
    """The file as a whole cannot be read (empty, not a spreadsheet, missing column)."""


def read_rows(data: bytes) -> Iterator[list[Any]]:
    """Rows of the first sheet of an XLSX, or of a CSV (comma or semicolon, UTF-8 or Windows)."""
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    if data[:2] == b"PK":
        try:
            from openpyxl import load_workbook

            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
            raise FileRejected(_("The file is not a readable XLSX spreadsheet.")) from e
        ws = wb.worksheets[0]
        for values in ws.iter_rows(values_only=True):
            yield ["" if v is None else v for v in values]
        wb.close()
        return
    if b"\x00" in data[:4096]:
        raise FileRejected(_("The file is not a CSV or XLSX spreadsheet."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            sample = data.decode(encoding)[:4096]  # decodes the whole file once, as a check
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise FileRejected(_("The file is not a CSV or XLSX spreadsheet."))
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    # Decode as we go: a StringIO of the whole text holds 4 bytes per character (250 MB for a
    # national TPS file). newline="" as the csv module wants (also reads bare-CR files).
    yield from csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""), delimiter=delimiter)
