"""Reading uploaded spreadsheets (CSV or XLSX) into rows, with clear messages for bad files.

A file is checked before it is parsed and bounded while it is read, so that no upload can stall
the server (see :class:`Limits`): its size; for an XLSX (a zip of XML parts) the number of
parts, their total unpacked size and each part's compression ratio, read from the zip directory
before openpyxl opens anything (``zipfile`` never unpacks more than a part declares); then,
while streaming, the rows and columns actually present (the sheet's declared dimensions are
ignored: a 5 KB file may declare A1:XFD1048576). XML entities are refused (``defusedxml``,
which openpyxl uses when installed), and anything else openpyxl cannot read is answered with
a message, never a server error.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.formats import file_size
from core.formats import number as _n

log = logging.getLogger(__name__)


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
    """The file as a whole cannot be read (empty, not a spreadsheet, missing column, too large)."""


@dataclass(frozen=True)
class Limits:
    """What one spreadsheet may hold. ``max_bytes=None``: no size limit (a file the server's
    operator imports from disk); the other limits always hold."""

    max_bytes: int | None = 50 * 1024 * 1024
    max_uncompressed: int = 500 * 1024 * 1024  # the XLSX parts, unpacked, together
    max_ratio: int = 100  # unpacked / packed, per part (a zip bomb reaches 1000)
    max_members: int = 1000  # parts in the XLSX zip
    max_rows: int = 1_000_000  # header included; a national TPS file has 823,221
    max_columns: int = 100
    max_cell: int = 32_767  # characters in one CSV cell (as in Excel)


RATIO_FROM = 1024 * 1024  # parts smaller than this unpacked are not held to the ratio
WIDE_EMPTY_ROWS = 10_000  # rows whose last (empty, formatted) cell lies beyond the column limit


def limits(**overrides: Any) -> Limits:
    """The limits in force: the upload limit ``TPS_IMPORT_MAX_BYTES`` and the ``IMPORT_MAX_*``
    settings (``IMPORT_MAX_ROWS``, ``IMPORT_MAX_COLUMNS``, ``IMPORT_MAX_UNCOMPRESSED_BYTES``,
    ``IMPORT_MAX_RATIO``, ``IMPORT_MAX_MEMBERS``, ``IMPORT_MAX_CELL``), then ``overrides``."""
    base = Limits()
    out = Limits(
        max_bytes=getattr(settings, "TPS_IMPORT_MAX_BYTES", base.max_bytes),
        max_uncompressed=getattr(settings, "IMPORT_MAX_UNCOMPRESSED_BYTES", base.max_uncompressed),
        max_ratio=getattr(settings, "IMPORT_MAX_RATIO", base.max_ratio),
        max_members=getattr(settings, "IMPORT_MAX_MEMBERS", base.max_members),
        max_rows=getattr(settings, "IMPORT_MAX_ROWS", base.max_rows),
        max_columns=getattr(settings, "IMPORT_MAX_COLUMNS", base.max_columns),
        max_cell=getattr(settings, "IMPORT_MAX_CELL", base.max_cell),
    )
    return replace(out, **overrides)


def too_large_message(size: int, max_bytes: int) -> str:
    return _("The file is %(size)s, larger than the maximum of %(max)s.") % {
        "size": file_size(size),
        "max": file_size(max_bytes),
    }


def read_rows(data: bytes, limit: Limits | None = None) -> Iterator[list[Any]]:
    """Rows of the first sheet of an XLSX, or of a CSV (comma or semicolon, UTF-8 or Windows).

    Raises :class:`FileRejected`, also while iterating, for a file it will not read whole.
    """
    lim = limit or limits()
    if lim.max_bytes is not None and len(data) > lim.max_bytes:
        raise FileRejected(too_large_message(len(data), lim.max_bytes))
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    return _xlsx_rows(data, lim) if data[:2] == b"PK" else _csv_rows(data, lim)


def _refuse(n: int, row: list[Any], lim: Limits) -> None:
    """Raise the message for row ``n``, which broke a limit."""
    if n > lim.max_rows:
        raise FileRejected(
            _("The file has more than %(max)s rows: split it into smaller files.") % {"max": _n(lim.max_rows)}
        )
    if len(row) > lim.max_columns:
        raise FileRejected(
            _("Row %(row)s has more than %(max)s columns: remove the columns after the last one used.")
            % {"row": _n(n), "max": _n(lim.max_columns)}
        )
    raise FileRejected(_too_long() % {"row": _n(n), "max": _n(lim.max_cell)})


def _too_long() -> str:
    return _(
        "Row %(row)s cannot be read: a cell is too long (more than %(max)s characters), "
        "or a quotation mark is never closed."
    )


def _has_long_line(data: bytes, limit: int) -> bool:
    """Whether some line of ``data`` is longer than ``limit`` bytes (no line: no cell can be)."""
    find, i = data.find, 0
    while True:
        j = find(b"\n", i, i + limit + 1)
        if j < 0:
            return len(data) - i > limit
        i = j + 1


def _check_zip(data: bytes, lim: Limits) -> None:
    """Refuse an XLSX from its zip directory alone: too many parts, too large unpacked, or a
    part that unpacks far more than any spreadsheet does (a zip bomb)."""
    unreadable = _("The file is not a readable XLSX spreadsheet.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise FileRejected(unreadable) from e
    if len(members) > lim.max_members:
        raise FileRejected(
            _("The XLSX file has too many parts (%(n)s, at most %(max)s): it is not a plain spreadsheet.")
            % {"n": _n(len(members)), "max": _n(lim.max_members)}
        )
    total = sum(m.file_size for m in members)
    if total > lim.max_uncompressed:
        raise FileRejected(
            _("The XLSX file unpacks to %(size)s, more than the maximum of %(max)s: split it into smaller files.")
            % {"size": file_size(total), "max": file_size(lim.max_uncompressed)}
        )
    for m in members:
        if m.file_size > RATIO_FROM and m.file_size > lim.max_ratio * max(m.compress_size, 1):
            raise FileRejected(
                _(
                    "The XLSX file is refused: its part %(part)s is compressed %(ratio)s times "
                    "(a spreadsheet is at most %(max)s times), as in a zip bomb."
                )
                % {"part": m.filename, "ratio": _n(m.file_size // max(m.compress_size, 1)), "max": _n(lim.max_ratio)}
            )


def _xlsx_rows(data: bytes, lim: Limits) -> Iterator[list[Any]]:
    _check_zip(data, lim)
    unreadable = _("The file is not a readable XLSX spreadsheet.")
    max_rows, max_columns = lim.max_rows, lim.max_columns
    n = wide_empty = 0
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = wb.worksheets[0]
        ws.reset_dimensions()  # type: ignore[union-attr]  # read-only: the declared size is not trusted
        # Without dimensions a row is as wide as its last cell, a missing row is an empty tuple.
        for values in ws.iter_rows(values_only=True):
            n += 1
            if n > max_rows:
                _refuse(n, [], lim)
            if len(values) > max_columns:
                wide_empty += 1
                if wide_empty > WIDE_EMPTY_ROWS or any(v is not None for v in values[max_columns:]):
                    _refuse(n, list(values), lim)
                values = values[:max_columns]  # empty formatted cells far to the right
                while values and values[-1] is None:
                    values = values[:-1]
            yield ["" if v is None else v for v in values]
        wb.close()
    except FileRejected:
        raise
    except Exception as e:  # anything openpyxl raises on a malformed or hostile file
        log.info("XLSX refused: %r", e)
        raise FileRejected(unreadable) from e


def _csv_rows(data: bytes, lim: Limits) -> Iterator[list[Any]]:
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
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline=""), delimiter=delimiter)
    max_rows, max_columns, max_cell = lim.max_rows, lim.max_columns, lim.max_cell
    cells = _has_long_line(data, max_cell)  # else no cell can be too long: skip the check per row
    n = 0
    try:
        for row in reader:
            n += 1
            if n > max_rows or len(row) > max_columns or (cells and row and max(map(len, row)) > max_cell):
                _refuse(n, row, lim)
            yield row
    except csv.Error as e:
        if "field larger than field limit" in str(e):
            message = _too_long()
        else:
            message = _("Row %(row)s cannot be read as CSV (%(reason)s).")
        raise FileRejected(message % {"row": _n(n + 1), "max": _n(max_cell), "reason": e}) from e
