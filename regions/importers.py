"""Reading and checking a TPS spreadsheet (CSV or XLSX) before anything is written.

The file is read whole and every row checked; the caller writes only when there is no error
(all-or-nothing), and shows the row-by-row report otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from core.spreadsheets import FileRejected, RowError, read_rows
from regions.models import LAT_MAX, LAT_MIN, LNG_MAX, LNG_MIN, AccessMode

# Canonical header (Indonesian, as officials fill it) -> accepted aliases.
COLUMNS: dict[str, tuple[str, ...]] = {
    "kode_desa": ("village_code", "kode_wilayah"),
    "no_tps": ("number", "tps", "nomor_tps"),
    "alamat": ("address",),
    "dpt_l": ("dpt_male",),
    "dpt_p": ("dpt_female",),
    "dpph": ("dpph_expected",),
    "dptb": ("dptb_expected",),
    "lat": ("latitude",),
    "lng": ("longitude", "lon"),
    "akses": ("access_mode", "moda"),
    "waktu_tempuh_menit": ("travel_minutes",),
    "lokasi_khusus": ("special_location",),
}
REQUIRED = ("kode_desa", "no_tps", "dpt_l", "dpt_p")
TEMPLATE_EXAMPLE = [
    "64.02.07.2001",
    "001",
    "Jl. Poros Sebulu RT 03",
    "180",
    "175",
    "0",
    "0",
    "-0.2801",
    "117.0612",
    "road",
    "25",
    "0",
]
ACCESS_ALIASES = {
    "road": AccessMode.ROAD,
    "darat": AccessMode.ROAD,
    "jalan": AccessMode.ROAD,
    "river": AccessMode.RIVER,
    "sungai": AccessMode.RIVER,
    "air": AccessMode.AIR,
    "udara": AccessMode.AIR,
    "foot": AccessMode.FOOT,
    "jalan_kaki": AccessMode.FOOT,
    "jalan kaki": AccessMode.FOOT,
}
TRUE = {"1", "ya", "y", "yes", "true", "t"}
FALSE = {"", "0", "tidak", "t/a", "no", "false", "f", "n"}
MAX_REPORTED = 1000


@dataclass(slots=True)
class ParsedRow:
    row: int
    village: str
    number: str
    address: str
    dpt_male: int
    dpt_female: int
    dpph: int
    dptb: int
    lat: float | None
    lng: float | None
    access_mode: str
    travel_minutes: int | None
    special: bool


@dataclass
class ImportReport:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(row, column, message))


def _header_map(header: list[Any]) -> dict[str, int]:
    names = [str(h).strip().lower().replace(" ", "_") for h in header]
    out: dict[str, int] = {}
    for canon, aliases in COLUMNS.items():
        for i, name in enumerate(names):
            if name == canon or name in aliases:
                out[canon] = i
                break
    return out


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def parse(
    data: bytes,
    filename: str,
    *,
    villages: set[str] | Any,
    max_voters: int,
    allowed: Any = None,
) -> ImportReport:
    """Check every row. ``villages``: the valid desa/kelurahan codes (``in`` is enough);
    ``allowed(code) -> bool`` limits rows to the importing user's region scope."""
    rows = read_rows(data)
    try:
        header = next(rows)
    except StopIteration:
        raise FileRejected(_("The file is empty.")) from None
    cols = _header_map(header)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise FileRejected(
            _("Missing required column(s): %(cols)s. Download the template for the expected header.")
            % {"cols": ", ".join(missing)}
        )
    report = ImportReport()
    seen: dict[tuple[str, str], int] = {}
    # Each row becomes stripped text once, padded to the header and followed by one "" that
    # absent columns point at (index -1): a cell is then a plain index.
    width = max(cols.values()) + 1
    get = {c: cols.get(c, -1) for c in COLUMNS}
    (i_village, i_no, i_address, i_male, i_female, i_dpph, i_dptb, i_lat, i_lng, i_mode, i_travel, i_special) = (
        get[c] for c in COLUMNS
    )
    modes = {alias: str(mode) for alias, mode in ACCESS_ALIASES.items()}

    def count(raw: str, name: str, n: int, *, required: bool) -> int | None:
        if raw.isdecimal():  # the common case: a plain non-negative number
            return int(raw)
        if raw == "":
            if required:
                report.add(n, name, _("A number is required."))
            return 0 if not required else None
        try:
            value = int(raw)
        except ValueError:
            report.add(n, name, _("“%(value)s” is not a whole number.") % {"value": raw})
            return None
        if value < 0:
            report.add(n, name, _("Must not be negative (got %(value)s).") % {"value": raw})
            return None
        return value

    def coord(raw: str, name: str, n: int, lo: float, hi: float) -> float | None:
        raw = raw.replace(",", ".")
        if raw == "":
            return None
        try:
            value = float(raw)
        except ValueError:
            report.add(n, name, _("“%(value)s” is not a coordinate.") % {"value": raw})
            return None
        if not lo <= value <= hi:
            report.add(
                n,
                name,
                _("%(value)s is outside Indonesia (allowed %(lo)s to %(hi)s).") % {"value": raw, "lo": lo, "hi": hi},
            )
            return None
        return value

    n = 1
    for cells in rows:
        n += 1
        values = [v.strip() if v.__class__ is str else _text(v) for v in cells]
        if not any(values):
            continue
        if len(values) < width:
            values.extend([""] * (width - len(values)))
        values.append("")
        before = report.error_count
        village = values[i_village]
        if not village:
            report.add(n, "kode_desa", _("The desa/kelurahan code is required."))
        elif village.count(".") != 3:
            report.add(
                n,
                "kode_desa",
                _(
                    "“%(code)s” is not a desa/kelurahan code: a TPS belongs to a desa/kelurahan "
                    "(four parts, e.g. 64.02.07.2001)."
                )
                % {"code": village},
            )
        elif village not in villages:
            report.add(
                n,
                "kode_desa",
                _("“%(code)s” is not a known desa/kelurahan code in the Kemendagri region list.") % {"code": village},
            )
        elif allowed is not None and not allowed(village):
            report.add(n, "kode_desa", _("Desa %(code)s is outside your area.") % {"code": village})
        raw_no = values[i_no]
        number = ""
        if not raw_no.isdecimal() or not 1 <= int(raw_no) <= 999:  # isdigit() lets "²" crash int()
            report.add(n, "no_tps", _("TPS number must be 1 to 999 (got “%(value)s”).") % {"value": raw_no})
        else:
            number = f"{int(raw_no):03d}"
            key = (village, number)
            if key in seen:
                report.add(
                    n,
                    "no_tps",
                    _("TPS %(no)s appears twice in desa %(code)s (also row %(other)s).")
                    % {"no": number, "code": village, "other": seen[key]},
                )
            else:
                seen[key] = n
        male = count(values[i_male], "dpt_l", n, required=True)
        female = count(values[i_female], "dpt_p", n, required=True)
        dpph = count(values[i_dpph], "dpph", n, required=False)
        dptb = count(values[i_dptb], "dptb", n, required=False)
        if male is not None and female is not None and male + female > max_voters:
            report.add(
                n,
                "dpt_l",
                _("DPT %(dpt)s is above the maximum of %(max)s voters per TPS for this election.")
                % {"dpt": male + female, "max": max_voters},
            )
        lat = coord(values[i_lat], "lat", n, LAT_MIN, LAT_MAX)
        lng = coord(values[i_lng], "lng", n, LNG_MIN, LNG_MAX)
        raw_mode = values[i_mode].lower()
        mode = modes.get(raw_mode or "road")
        if mode is None:
            report.add(
                n,
                "akses",
                _("Unknown access mode “%(value)s”: use road, river, air or foot.") % {"value": raw_mode},
            )
        raw_travel = values[i_travel]
        travel = count(raw_travel, "waktu_tempuh_menit", n, required=False) if raw_travel else None
        raw_special = values[i_special].lower()
        if raw_special not in TRUE and raw_special not in FALSE:
            report.add(n, "lokasi_khusus", _("Use 1/ya or 0/tidak (got “%(value)s”).") % {"value": raw_special})
        if report.error_count == before:
            report.rows.append(
                ParsedRow(
                    n,
                    village,
                    number,
                    values[i_address][:300],
                    male or 0,
                    female or 0,
                    dpph or 0,
                    dptb or 0,
                    lat,
                    lng,
                    str(mode),
                    travel,
                    raw_special in TRUE,
                )
            )
    if not report.rows and not report.error_count:
        raise FileRejected(_("The file has a header but no TPS rows."))
    return report


def template_rows() -> Iterable[list[str]]:
    yield list(COLUMNS)
    yield TEMPLATE_EXAMPLE
