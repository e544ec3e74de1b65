"""The TPS spreadsheet: its columns (one spec for import, export, template and API) and the check.

The file is read whole and every row checked; the caller writes only when there is no error
(all-or-nothing), and shows the row-by-row report otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formats import number
from core.imports import (
    NO_PROGRESS,
    CellError,
    Column,
    ImportReport,
    Progress,
    Spec,
    cell,
    choice,
    count,
    in_range,
    parse_bool,
    parse_coordinate,
)
from core.spreadsheets import FileRejected, Limits, read_rows
from regions.models import LAT_MAX, LAT_MIN, LNG_MAX, LNG_MIN, AccessMode, SpecialKind

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
SPECIAL_KIND_ALIASES = {
    "prison": SpecialKind.PRISON,
    "lapas": SpecialKind.PRISON,
    "rutan": SpecialKind.PRISON,
    "company": SpecialKind.COMPANY,
    "perusahaan": SpecialKind.COMPANY,
    "campus": SpecialKind.CAMPUS,
    "kampus": SpecialKind.CAMPUS,
    "pesantren": SpecialKind.CAMPUS,
    "hospital": SpecialKind.HOSPITAL,
    "rumah_sakit": SpecialKind.HOSPITAL,
    "rumah sakit": SpecialKind.HOSPITAL,
    "other": SpecialKind.OTHER,
    "lainnya": SpecialKind.OTHER,
}
SPECIAL_KIND_WITHOUT_SPECIAL = gettext_lazy("A kind of special location is given for a TPS that is not lokasi khusus.")
OUTSIDE = gettext_lazy("%(value)s is outside Indonesia (allowed %(lo)s to %(hi)s).")


def village_code(value: Any) -> str:
    code = cell(value)
    if code.count(".") != 3:
        raise CellError(
            _(
                "“%(code)s” is not a desa/kelurahan code: a TPS belongs to a desa/kelurahan "
                "(four parts, e.g. 64.02.07.2001)."
            )
            % {"code": code}
        )
    return code


def tps_number(value: Any) -> str:
    raw = cell(value)
    if not (raw.isdecimal() and raw.isascii()) or not 1 <= int(raw) <= 999:
        raise CellError(_("TPS number must be 1 to 999 (got “%(value)s”).") % {"value": raw})
    return f"{int(raw):03d}"


# The one list of TPS fields: import columns, export columns (plus id and version, so an
# export can be edited and imported again), the template, the COPY column list, the edit form
# and the API schemas all derive from it.
TPS_SPEC = Spec(
    "Tps",
    [
        Column(
            "village",
            "kode_desa",
            village_code,
            aliases=("village_code", "kode_wilayah"),
            required=True,
            example="64.02.07.2001",
            db_column="village_id",
            api_name="village_code",
            api_type=str,
            help=gettext_lazy("Kemendagri desa/kelurahan code, e.g. 64.02.07.2001"),
        ),
        Column(
            "number",
            "no_tps",
            tps_number,
            aliases=("number", "tps", "nomor_tps"),
            required=True,
            example="001",
            api_type=str,
        ),
        Column(
            "address", "alamat", max_length=300, aliases=("address",), example="Jl. Poros Sebulu RT 03", api_type=str
        ),
        Column(
            "dpt_male", "dpt_l", count(), aliases=("dpt_male",), required=True, example="180", api_type=int, api_ge=0
        ),
        Column(
            "dpt_female",
            "dpt_p",
            count(),
            aliases=("dpt_female",),
            required=True,
            example="175",
            api_type=int,
            api_ge=0,
        ),
        Column(
            "dpph_expected", "dpph", count(), aliases=("dpph_expected",), empty=0, example="0", api_type=int, api_ge=0
        ),
        Column(
            "dptb_expected", "dptb", count(), aliases=("dptb_expected",), empty=0, example="0", api_type=int, api_ge=0
        ),
        Column(
            "lat",
            "lat",
            in_range(parse_coordinate, LAT_MIN, LAT_MAX, OUTSIDE),
            aliases=("latitude",),
            empty=None,
            example="-0.2801",
            api_type=float | None,
        ),
        Column(
            "lng",
            "lng",
            in_range(parse_coordinate, LNG_MIN, LNG_MAX, OUTSIDE),
            aliases=("longitude", "lon"),
            empty=None,
            example="117.0612",
            api_type=float | None,
        ),
        Column(
            "access_mode",
            "akses",
            choice(
                {alias: str(mode) for alias, mode in ACCESS_ALIASES.items()},
                gettext_lazy("Unknown access mode “%(value)s”: use road, river, air or foot."),
            ),
            aliases=("access_mode", "moda"),
            empty=str(AccessMode.ROAD),
            example="road",
            api_type=AccessMode,
        ),
        Column(
            "travel_minutes",
            "waktu_tempuh_menit",
            count(),
            aliases=("travel_minutes",),
            empty=None,
            example="25",
            api_type=int | None,
            api_ge=0,
        ),
        Column(
            "special_location",
            "lokasi_khusus",
            parse_bool,
            aliases=("special_location",),
            empty=False,
            example="0",
            export=int,
            api_type=bool,
        ),
        Column(
            "special_kind",
            "jenis_lokasi_khusus",
            choice(
                {alias: str(kind) for alias, kind in SPECIAL_KIND_ALIASES.items()},
                gettext_lazy(
                    "Unknown kind of special location “%(value)s”: use lapas, perusahaan, kampus, rumah_sakit "
                    "or lainnya."
                ),
            ),
            aliases=("special_kind",),
            empty="",
            example="",
            api_type=SpecialKind,
        ),
        # Written by the export, read back by a re-import: which TPS, and which version of it.
        Column("id", "id", count(), empty=None, in_template=False),
        Column("version", "version", count(), aliases=("versi",), empty=None, in_template=False),
    ],
)
# What a person edits on a TPS (the edit form, the versioned update, the import compare).
DETAIL_FIELDS = TPS_SPEC.fields(exclude=("village", "id", "version"))
# The import header without the export-only columns (the template's header).
COLUMNS = TPS_SPEC.headers(template=True)


def parse(
    data: bytes,
    filename: str,
    *,
    villages: set[str] | Any,
    max_voters: int,
    allowed: Any = None,
    limit: Limits | None = None,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Check every row. ``villages``: the valid desa/kelurahan codes (``in`` is enough);
    ``allowed(code) -> bool`` limits rows to the importing user's region scope."""
    seen: dict[tuple[str, str], int] = {}
    seen_ids: dict[int, int] = {}

    def check(r: Any, report: ImportReport) -> None:
        n = r.row
        if r.village not in villages:
            report.add(
                n,
                "kode_desa",
                _("“%(code)s” is not a known desa/kelurahan code in the Kemendagri region list.") % {"code": r.village},
            )
        elif allowed is not None and not allowed(r.village):
            report.add(n, "kode_desa", _("Desa %(code)s is outside your area.") % {"code": r.village})
        key = (r.village, r.number)
        if key in seen:
            report.add(
                n,
                "no_tps",
                _("TPS %(no)s appears twice in desa %(code)s (also row %(other)s).")
                % {"no": r.number, "code": r.village, "other": number(seen[key])},
            )
        else:
            seen[key] = n
        if r.id is not None:
            if r.id in seen_ids:
                message = _("Id %(id)s appears twice (also row %(other)s).")
                report.add(n, "id", message % {"id": r.id, "other": number(seen_ids[r.id])})
            else:
                seen_ids[r.id] = n
        if r.special_kind and not r.special_location:
            report.add(n, "jenis_lokasi_khusus", str(SPECIAL_KIND_WITHOUT_SPECIAL))
        if r.dpt_male + r.dpt_female > max_voters:
            report.add(
                n,
                "dpt_l",
                _("DPT %(dpt)s is above the maximum of %(max)s voters per TPS for this election.")
                % {"dpt": number(r.dpt_male + r.dpt_female), "max": number(max_voters)},
            )

    report = TPS_SPEC.parse(read_rows(data, limit), check, progress)
    if not report.rows and not report.error_count:
        raise FileRejected(_("The file has a header but no TPS rows."))
    return report


def export_rows(qs: Any) -> Iterator[list[Any]]:
    """The export's rows (header ``TPS_SPEC.headers()``), streamed: id and version included, so
    the file can be edited and imported again."""
    for t in qs.order_by("village_id", "number").iterator(chunk_size=2000):
        yield TPS_SPEC.export_row(t)


def template_rows() -> Iterable[list[str]]:
    yield from TPS_SPEC.template_rows()


def describe_result(counts: dict[str, Any]) -> str:
    """The sentence an import ends with, inline or on its background page."""
    return _("Import finished: %(created)s TPS created, %(updated)s updated, %(unchanged)s unchanged.") % {
        k: number(counts.get(k, 0)) for k in ("created", "updated", "unchanged")
    }
