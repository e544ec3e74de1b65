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


# --- a look at a file without reading it: for the request that hands a large import to a job ----


@dataclass(frozen=True)
class Peek:
    """What a file shows without being read: its header row, or None when that cannot be told
    cheaply (an XLSX laid out unusually: the import itself then reads it), and an estimate of its
    rows, header included (a CSV's line breaks, the dimension an XLSX sheet declares; None: unknown)."""

    header: list[Any] | None
    rows: int | None


def work_size(data: bytes) -> int:
    """How much the reader goes through: a CSV's bytes, an XLSX's parts unpacked (from its zip
    directory, nothing unpacked). What decides whether an import runs in the request."""
    if data[:2] != b"PK":
        return len(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(m.file_size for m in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return len(data)  # the reader refuses it at once


def peek(data: bytes, limit: Limits | None = None) -> Peek:
    """Check what can be checked in a moment: the size, an XLSX's zip directory (parts, unpacked
    size, compression) and the header row. Raises :class:`FileRejected` as ``read_rows`` would.

    The XLSX header is read from the start of the sheet and, for its text cells, the first shared
    strings, stopping there: openpyxl would load every shared string of the file first (seconds
    for a province). The row and column limits are counted by the import as it reads.
    """
    lim = limit or limits()
    if lim.max_bytes is not None and len(data) > lim.max_bytes:
        raise FileRejected(too_large_message(len(data), lim.max_bytes))
    if not data.strip():
        raise FileRejected(_("The file is empty."))
    if data[:2] != b"PK":
        header = next(_csv_rows(data, lim), None)
        if header is None:  # pragma: no cover - a non-blank file has a first row
            raise FileRejected(_("The file is empty."))
        lines = data.count(b"\n") or data.count(b"\r")
        return Peek(header, lines + (0 if data.endswith((b"\n", b"\r")) else 1))
    _check_zip(data, lim)
    try:
        return _xlsx_peek(data, lim)
    except FileRejected:
        raise
    except Exception as e:  # hostile XML (entities), a broken part: the reader says the same
        log.info("XLSX refused on upload: %r", e)
        raise FileRejected(_("The file is not a readable XLSX spreadsheet.")) from e


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAX_HEADER_CELLS = 16_384  # Excel's widest row: a first row of more cells is left to the reader
MAX_HEADER_STRING = 10_000  # a header whose text lies further into the shared strings is left to it too


def _part(base: str, target: str) -> str:
    """A relationship's target as a zip member name (relative to ``base``'s folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = base.rsplit("/", 1)[0].split("/") if "/" in base else []
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _column(ref: str) -> int:
    """ "C7" -> 2 (the 0-based column of a cell reference)."""
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def _xlsx_peek(data: bytes, lim: Limits) -> Peek:
    from defusedxml.ElementTree import fromstring, iterparse

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        book = "xl/workbook.xml"
        rels_name = "xl/_rels/workbook.xml.rels"
        if book not in names or rels_name not in names:
            return Peek(None, None)
        sheets = fromstring(archive.read(book)).find(f"{_MAIN}sheets")
        first = sheets.find(f"{_MAIN}sheet") if sheets is not None else None
        rels = fromstring(archive.read(rels_name))
        targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PKG_REL)}
        strings_part = next(
            (
                _part(book, r.get("Target", ""))
                for r in rels.iter(_PKG_REL)
                if r.get("Type", "").endswith("/sharedStrings")
            ),
            None,
        )
        sheet = _part(book, targets.get(first.get(_REL), "")) if first is not None else ""
        if sheet not in names:
            return Peek(None, None)
        rows: int | None = None
        cells: dict[int, Any] = {}
        shared: dict[int, list[int]] = {}  # shared string index -> the columns showing it
        seen = 0
        with archive.open(sheet) as stream:
            for _event, el in iterparse(stream, events=("end",)):
                tag = el.tag
                if tag == f"{_MAIN}dimension":
                    last = el.get("ref", "").rpartition(":")[2].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                    rows = min(int(last), lim.max_rows + 1) if last.isdigit() else None
                elif tag == f"{_MAIN}c":
                    seen += 1
                    if seen > MAX_HEADER_CELLS:
                        return Peek(None, rows)
                    col = _column(el.get("r", "")) if el.get("r") else len(cells)
                    kind, value = el.get("t"), el.findtext(f"{_MAIN}v")
                    if kind == "inlineStr":
                        cells[col] = "".join(t.text or "" for t in el.iter(f"{_MAIN}t"))
                    elif kind == "s" and value is not None and value.strip().isdigit():
                        shared.setdefault(int(value), []).append(col)
                    elif value is not None:
                        cells[col] = value
                    el.clear()
                elif tag == f"{_MAIN}row":
                    if el.get("r") not in (None, "1"):  # the sheet starts lower: its first row is empty
                        return Peek([], rows)
                    break
                elif tag == f"{_MAIN}sheetData":
                    break
        if shared:
            if strings_part is None or strings_part not in names:
                return Peek(None, rows)
            wanted = max(shared)
            if wanted > MAX_HEADER_STRING:
                return Peek(None, rows)
            with archive.open(strings_part) as stream:
                index = 0
                for _event, el in iterparse(stream, events=("end",)):
                    if el.tag != f"{_MAIN}si":
                        continue
                    if index in shared:
                        # the cell's text: its runs, without phonetic guides (rPh)
                        text = el.findtext(f"{_MAIN}t")
                        if text is None:
                            text = "".join(r.findtext(f"{_MAIN}t") or "" for r in el.iter(f"{_MAIN}r"))
                        for col in shared[index]:
                            cells[col] = text
                    el.clear()
                    index += 1
                    if index > wanted:
                        break
    width = max(cells) + 1 if cells else 0
    return Peek([cells.get(i, "") for i in range(width)], rows)
