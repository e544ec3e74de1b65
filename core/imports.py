"""One import framework: a spec of columns from which imports, exports and API schemas derive.

A :class:`Column` ties a model field to its spreadsheet header, the aliases people write for it,
the parser that turns a cell into a typed value, and whether it is required. A :class:`Spec` is
the ordered list of a model's columns, with what every import and export needs: matching a
header row (aliases, case- and space-insensitive), parsing rows into typed tuples with a
per-cell message, the export header and row values, the column list for COPY/executemany and
the fields of an API schema. The apps declare their specs (``regions.importers.TPS_SPEC``,
``logistics.importers.MANIFEST_SPEC``); this module holds only the machinery.

Numbers follow the Indonesian format: "." groups thousands and "," is the decimal mark, so
``10.000`` is ten thousand and ``1.234,5`` is one thousand two hundred thirty-four and a half.
A whole-number column accepts ``10000`` or ``10.000`` (groups of exactly three digits) and
refuses ``10,000``, ``1.2.3`` or ``10.5``; coordinates are the one exception and take a dot or a
comma as decimal mark (``-0.2801`` or ``-0,2801``), never a thousands separator. Magnitudes
above 10^12 are refused with a message rather than overflowing a column.
"""

from __future__ import annotations

import enum
import re
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from core.formats import number
from core.spreadsheets import FileRejected, RowError

MAX_MAGNITUDE = 10**12
MAX_REPORTED = 1000

_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+")  # 1.234.567
_DECIMAL_ID = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")  # 1.234,5 / 1234,5 / 1234
# -0.2801 / -0,2801 / 1e-05 (how a program writes a coordinate a metre from the equator)
_COORDINATE = re.compile(r"-?\d+(?:[.,]\d+)?(?:[eE]-?\d{1,2})?")


class Progress:
    """What an import tells whoever follows it; this base listens to nothing, so an import run in
    a request or a command pays nothing for it. A background import (``core.import_runs``) passes
    one that writes to its ``ImportRun`` row, which the uploader's status page reads."""

    every = 0  # report the rows read every this many rows (0: never)

    def rows(self, n: int) -> None:
        """``n`` rows of the file (the header is row 1) are read and checked."""

    def writing(self) -> None:
        """The file is checked and the import's one transaction is about to begin."""

    def written(self, counts: dict[str, int], entry: Any = None) -> None:
        """Called *inside* the import's transaction once everything is written: the counts the
        import reports and its audit entry. Raising here rolls the whole import back."""


NO_PROGRESS = Progress()


class CellError(ValueError):
    """A cell that cannot be read; ``message`` is shown to the user for that row and column."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _shown(raw: Any) -> str:
    """A cell as quoted in a message: cut after 20 characters."""
    out = str(raw)
    return out if len(out) <= 20 else out[:20] + "…"


def _too_large(raw: Any) -> CellError:
    return CellError(_("“%(value)s” is too large to be a real figure.") % {"value": _shown(raw)})


def text(value: Any) -> str:
    """A cell as stripped text (an XLSX whole number 7.0 reads as "7")."""
    if value.__class__ is str:
        return value.strip()  # type: ignore[no-any-return]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def cell(value: Any) -> str:
    """``text(value)``, skipped for the text that :meth:`Spec.parse` hands a parser (already stripped)."""
    return value if value.__class__ is str else text(value)  # type: ignore[no-any-return]


def parse_int_id(value: Any) -> int:
    """A whole number in Indonesian format: ``10000`` or ``10.000`` (ten thousand), ``-5``.

    ``10,000``, ``10.5``, ``1.2.3`` and garbage are refused with a message; so is anything
    above 10^12 in magnitude.
    """
    if value.__class__ is int:
        out = value
    elif isinstance(value, float):  # an XLSX number cell
        if not value.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
        out = int(value)
    else:
        raw = text(value)
        digits = raw[1:] if raw[:1] == "-" else raw
        if len(digits) > 20 and digits.replace(".", "").isdecimal():  # int() of 4,300+ digits raises
            raise _too_large(raw)
        if digits.isdecimal() and digits.isascii():  # the common case; isdecimal() alone lets "²" through
            out = int(raw)
        elif _GROUPED.fullmatch(raw):
            out = int(raw.replace(".", ""))
        else:
            if "," in raw and raw.replace(",", "").isdecimal():
                raise CellError(
                    _("“%(value)s” is not a whole number: write thousands with a dot (10.000) or without separator.")
                    % {"value": raw}
                )
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": raw})
    if abs(out) > MAX_MAGNITUDE:
        raise _too_large(value)
    return out  # type: ignore[no-any-return]


def parse_decimal_id(value: Any) -> Decimal:
    """A decimal in Indonesian format: ``1.234,5`` or ``1234,5`` (the comma is the decimal mark).

    ``1,234.5`` (English) and ``1.5`` (a dot that does not group thousands) are refused as
    ambiguous, with the expected form in the message.
    """
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):  # an XLSX number cell
        try:
            out = Decimal(str(value))
        except InvalidOperation as e:  # nan, inf
            raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from e
        if not out.is_finite():
            raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    else:
        raw = text(value)
        if not _DECIMAL_ID.fullmatch(raw):
            raise CellError(
                _(
                    "“%(value)s” is not a number in Indonesian format "
                    "(thousands with a dot, decimals with a comma: 1.234,5)."
                )
                % {"value": raw}
            )
        out = Decimal(raw.replace(".", "").replace(",", "."))
    if abs(out) > MAX_MAGNITUDE:
        raise _too_large(value)
    return out


def parse_coordinate(value: Any) -> float:
    """A latitude or longitude in decimal degrees; the decimal mark may be a dot or a comma."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        out = float(value)
    else:
        raw = cell(value)
        if not _COORDINATE.fullmatch(raw):
            raise CellError(_("“%(value)s” is not a coordinate.") % {"value": raw})
        out = float(raw.replace(",", "."))
    if not -180 <= out <= 180:
        raise CellError(_("“%(value)s” is not a coordinate.") % {"value": value})
    return out


def count(maximum: int = 2_147_483_647) -> Callable[[Any], int]:
    """A parser for a count: a whole number from 0 to ``maximum``."""

    def parse(value: Any) -> int:
        out = parse_int_id(value)
        if out < 0:
            raise CellError(_("Must not be negative (got %(value)s).") % {"value": text(value)})
        if out > maximum:
            raise CellError(
                _("%(value)s is above the maximum of %(max)s.") % {"value": text(value), "max": number(maximum)}
            )
        return out

    parse.plain_int = maximum >= 999_999_999  # type: ignore[attr-defined]  # Spec.parse may read "123" inline
    return parse


def in_range(parser: Callable[[Any], Any], lo: float, hi: float, message: Any) -> Callable[[Any], Any]:
    """``parser`` and then ``lo <= value <= hi``; ``message`` (a lazy translation) has %(value)s, %(lo)s, %(hi)s."""
    match = _COORDINATE.fullmatch if parser is parse_coordinate else None

    def parse(value: Any) -> Any:
        if match is not None and value.__class__ is str and match(value):
            out = float(value.replace(",", "."))  # a plain coordinate, read without a second call
        else:
            out = parser(value)
        if not lo <= out <= hi:
            raise CellError(str(message) % {"value": text(value), "lo": number(lo), "hi": number(hi)})
        return out

    return parse


def choice(aliases: dict[str, str], message: Any) -> Callable[[Any], str]:
    """A parser for a choice: the lower-cased cell looked up in ``aliases``; ``message`` has %(value)s."""

    def parse(value: Any) -> str:
        raw = cell(value).lower()
        try:
            return aliases[raw]
        except KeyError:
            raise CellError(str(message) % {"value": raw}) from None

    parse.lookup = aliases  # type: ignore[attr-defined]  # Spec.parse looks a known value up inline
    return parse


TRUE = frozenset({"1", "ya", "y", "yes", "true", "t"})
FALSE = frozenset({"0", "tidak", "t/a", "no", "false", "f", "n"})


def parse_bool(value: Any) -> bool:
    if value is True or value is False:
        return value  # type: ignore[no-any-return]
    raw = cell(value).lower()
    if raw in TRUE:
        return True
    if raw in FALSE:
        return False
    raise CellError(_("Use 1/ya or 0/tidak (got “%(value)s”).") % {"value": raw})


parse_bool.lookup = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}  # type: ignore[attr-defined]


def _normal(name: Any) -> str:
    return "_".join(str(name).strip().lower().replace("-", " ").split())


@dataclass(frozen=True)
class Column:
    """One field as it appears in a spreadsheet, an export and an API schema.

    A parser gets the cell as stripped, non-empty text (an XLSX number as its text) and returns
    the value or raises :class:`CellError`. ``empty`` is the value of a blank cell in an optional
    column; ``export`` turns the model's value into the cell written on export; ``api_type``
    and ``api_ge`` make the API schema field (``None``: the field is not in the API schemas).
    """

    field: str
    header: str
    parse: Callable[[Any], Any] | None = None  # None: the text itself (cut to ``max_length``)
    aliases: tuple[str, ...] = ()
    required: bool = False
    empty: Any = ""
    help: Any = ""  # a (lazy) translatable string
    example: str = ""
    export: Callable[[Any], Any] | None = None
    db_column: str = ""
    api_name: str = ""
    api_type: Any = None
    api_ge: int | None = None
    in_template: bool = True
    max_length: int | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (_normal(self.header), *(_normal(a) for a in self.aliases))


@dataclass
class ImportReport:
    """The parsed rows (typed tuples) and the row-by-row errors of one file."""

    rows: list[Any] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    present: frozenset[str] = frozenset()  # fields whose column the file has

    def add(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(row, column, message))


class Spec:
    """The ordered columns of one kind of record (see the module docstring)."""

    def __init__(self, name: str, columns: Sequence[Column]):
        self.name = name
        self.columns = tuple(columns)
        self.by_field = {c.field: c for c in self.columns}
        # Parsed rows are named tuples: attribute access at the memory cost of a plain tuple.
        self.Row = namedtuple(f"{name}Row", [*(c.field for c in self.columns), "row"])  # type: ignore[misc]

    # --- names ---------------------------------------------------------------------------------

    def fields(self, *, exclude: Iterable[str] = ()) -> list[str]:
        skip = set(exclude)
        return [c.field for c in self.columns if c.field not in skip]

    def headers(self, *, template: bool = False) -> list[str]:
        return [c.header for c in self.columns if c.in_template or not template]

    def db_columns(self, fields: Iterable[str]) -> list[str]:
        """Database column names for ``fields`` (a foreign key's ``db_column`` is e.g. ``village_id``)."""
        return [self.by_field[f].db_column or f if f in self.by_field else f for f in fields]

    def template_rows(self) -> list[list[str]]:
        cols = [c for c in self.columns if c.in_template]
        return [[c.header for c in cols], [c.example for c in cols]]

    # --- import --------------------------------------------------------------------------------

    def match_header(self, header: Sequence[Any]) -> dict[str, int]:
        """field -> column index in ``header``; a missing required column rejects the file."""
        names = [_normal(h) for h in header]
        out: dict[str, int] = {}
        for col in self.columns:
            for i, name in enumerate(names):
                if name in col.names:
                    out[col.field] = i
                    break
        missing = [c.header for c in self.columns if c.required and c.field not in out]
        if missing:
            raise FileRejected(
                _("Missing required column(s): %(cols)s. Download the template for the expected header.")
                % {"cols": ", ".join(missing)}
            )
        return out

    def parse(
        self,
        rows: Iterator[Sequence[Any]],
        check: Callable[[Any, ImportReport], None] | None = None,
        progress: Progress = NO_PROGRESS,
    ) -> ImportReport:
        """Read the header and every row of ``rows`` into typed named tuples.

        A blank row is skipped; a blank required cell, a cell its parser refuses, or a
        problem ``check(row, report)`` adds, keeps the row out of ``report.rows``. Rows are
        numbered as in the spreadsheet (the header is row 1). ``progress.rows(n)`` hears every
        ``progress.every`` rows how far the reading is.
        """
        try:
            header = next(rows)
        except StopIteration:
            raise FileRejected(_("The file is empty.")) from None
        where = self.match_header(header)
        report = ImportReport(present=frozenset(where))
        width = max(where.values()) + 1
        parse_row = self._row_parser(where, report)
        rows_out = report.rows
        every = progress.every
        n = 1
        for cells in rows:
            n += 1
            if every and not n % every:
                progress.rows(n)
            values = [v.strip() if v.__class__ is str else text(v) for v in cells]
            if not any(values):
                continue
            if len(values) < width:
                values.extend([""] * (width - len(values)))
            values.append("")  # what an absent column reads (index -1)
            before = report.error_count
            row = parse_row(values, n)
            if report.error_count == before and check is not None:
                check(row, report)
            if report.error_count == before:
                rows_out.append(row)
        if every and n % every:  # the last rows, unless just noted
            progress.rows(n)
        return report

    def _row_parser(self, where: dict[str, int], report: ImportReport) -> Callable[[list[str], int], Any]:
        """One function that reads a row's cells into a ``Row``, written out column by column.

        A national TPS file has ~10 million cells: a loop over the columns costs a third of the
        parse, so, as ``namedtuple`` does, the per-row code is generated once per file. A count
        column reads a plain number inline (the common case) and calls its parser otherwise.
        """
        env: dict[str, Any] = {"CellError": CellError, "make": self.Row._make, "add": report.add}  # type: ignore[attr-defined]
        env["required"] = _("This column is required.")
        lines = ["def parse_row(values, n):", "    ok = True"]
        for k, c in enumerate(self.columns):
            env[f"p{k}"], env[f"e{k}"], env[f"h{k}"] = c.parse, c.empty, c.header
            blank = (
                [f"        add(n, h{k}, required)", "        ok = False", f"        v{k} = None"]
                if c.required
                else [f"        v{k} = e{k}"]
            )
            call = [
                "        try:",
                f"            v{k} = p{k}(raw)",
                "        except CellError as e:",
                f"            add(n, h{k}, e.message)",
                "            ok = False",
                f"            v{k} = None",
            ]
            lines += [f"    raw = values[{where.get(c.field, -1)}]"]
            lookup = getattr(c.parse, "lookup", None)
            if c.parse is None:  # text: the cell itself
                cut = f"[:{c.max_length}]" if c.max_length else ""
                lines += ["    if raw:", f"        v{k} = raw{cut}"]
            elif getattr(c.parse, "plain_int", False):  # digits only, fewer than 10: within the maximum
                lines += ["    if raw.isdecimal() and len(raw) < 10 and raw.isascii():", f"        v{k} = int(raw)"]
                lines += ["    elif raw:", *call]
            elif lookup is not None:  # a choice: a known value without a call
                env[f"l{k}"] = lookup
                lines += ["    if raw:", f"        v{k} = l{k}.get(raw.lower(), l{k})", f"        if v{k} is l{k}:"]
                lines += ["    " + line for line in call]
            else:
                lines += ["    if raw:", *call]
            lines += ["    else:", *blank]
        lines.append(f"    return make(({''.join(f'v{k}, ' for k in range(len(self.columns)))}n)) if ok else None")
        exec("\n".join(lines), env)  # our own code, built from the column list alone
        return env["parse_row"]  # type: ignore[no-any-return]

    # --- export --------------------------------------------------------------------------------

    def export_row(self, obj: Any) -> list[Any]:
        """The cells of ``obj`` (a model instance or anything with the fields as attributes)."""
        out = []
        for c in self.columns:
            value = getattr(obj, c.db_column or c.field)
            out.append(c.export(value) if c.export else ("" if value is None else value))
        return out

    # --- API -----------------------------------------------------------------------------------

    def schema_fields(self, *, exclude: Iterable[str] = (), mode: str = "in") -> dict[str, Any]:
        """Fields for ``pydantic.create_model`` (a ninja ``Schema``): name -> (type, Field).

        ``mode``: "in" (a required column is required, an optional one defaults to its
        ``empty`` value), "patch" (every field may be left out) or "out" (every field present,
        read from the model attribute: ``village_code`` from ``village_id``).
        """
        from pydantic import Field

        skip = set(exclude)
        out: dict[str, Any] = {}
        for c in self.columns:
            if c.api_type is None or c.field in skip:
                continue
            name = c.api_name or c.field
            kwargs: dict[str, Any] = {"description": str(c.help)} if c.help else {}
            if mode == "out":
                if c.api_name:
                    kwargs["alias"] = c.db_column or c.field
                out[name] = (c.api_type, Field(..., **kwargs))
                continue
            if c.api_ge is not None:
                kwargs["ge"] = c.api_ge
            if mode == "patch":
                out[name] = (c.api_type | None, Field(None, **kwargs))
            else:
                default = c.empty
                if isinstance(c.api_type, type) and issubclass(c.api_type, enum.Enum):
                    default = c.api_type(default)  # a default is not validated: give the member
                out[name] = (c.api_type, Field(... if c.required else default, **kwargs))
        return out
