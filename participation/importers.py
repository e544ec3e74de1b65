"""Importing turnout history from a spreadsheet (CSV or XLSX): all rows or none, with a
row-by-row report of what is wrong. Each row is checked as the form checks one figure
(``actions.history_errors``), and the whole file is written in one transaction with an audit row
per figure. A history file is a few hundred rows at most (one per region and election): it is
imported in the request, never as a background job.

Numbers are in the Indonesian format: ``552.469`` voters, ``56,57`` percent; dates are ISO
(``2020-12-09``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, scoping
from core.imports import CellError, Column, ImportReport, Spec, choice, count, parse_decimal_id, text
from core.models import Source
from core.spreadsheets import FileRejected, ImportFailed, read_rows
from participation import actions
from participation.models import TurnoutHistory
from regions.models import Region

MAX_ROWS = 5000


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(text(value)[:10])
    except ValueError:
        raise CellError(_("“%(value)s” is not a date (write it as 2020-12-09).") % {"value": text(value)}) from None


STATUS = choice(
    {"official": "official", "resmi": "official", "estimated": "estimated", "perkiraan": "estimated"},
    gettext_lazy("“%(value)s” is not a source status (official or estimated)."),
)

HISTORY_SPEC = Spec(
    "TurnoutHistory",
    [
        Column("region", "region_code", aliases=("kode_wilayah", "kode"), required=True, example="64.02"),
        Column("label", "election", aliases=("pemilihan",), required=True, max_length=100, example="Pilkada 2020"),
        Column("held_on", "voting_day", parse=parse_date, aliases=("hari_pemungutan",), required=True),
        Column("dpt", "dpt", parse=count(), empty=None, example="552.469"),
        Column("voters", "voters", parse=count(), aliases=("pengguna_hak_pilih", "pemilih"), empty=None),
        Column("percent", "turnout_percent", parse=parse_decimal_id, aliases=("partisipasi",), empty=None),
        Column("as_of", "as_of", parse=parse_date, aliases=("per_tanggal",), required=True),
        Column("source_status", "source_status", parse=STATUS, aliases=("status_sumber",), required=True),
        Column("source_publisher", "source_publisher", aliases=("penerbit",), required=True, max_length=200),
        Column("source_title", "source_title", aliases=("judul_sumber",), required=True, max_length=300),
        Column("source_as_of", "source_as_of", parse=parse_date, aliases=("tanggal_sumber",), required=True),
        Column("source_url", "source_url", max_length=200),
    ],
)


def template_rows() -> list[list[str]]:
    return [
        HISTORY_SPEC.headers(),
        [
            "64.02",
            "Pilkada 2020",
            "2020-12-09",
            "",
            "",
            "56,57",
            "2020-12-31",
            "official",
            "KPU Kabupaten Kutai Kartanegara",
            "Partisipasi pemilih Pilkada 2020",
            "2020-12-31",
            "",
        ],
    ]


def _check(actor: Any) -> Any:
    regions: dict[str, Region | None] = {}
    seen: set[tuple[str, str]] = set()

    def check(row: Any, report: ImportReport) -> None:
        code = row.region
        if code not in regions:
            regions[code] = Region.objects.filter(code=code).first()
        region = regions[code]
        if region is None:
            report.add(row.row, "region_code", _("“%(code)s” is not a known region code.") % {"code": code})
            return
        if actor is not None and not scoping.can(actor, "participation", scoping.MANAGE, code):
            report.add(row.row, "region_code", _("%(place)s is outside your area.") % {"place": region.name})
            return
        key = (code, row.label.lower())
        if key in seen:
            report.add(row.row, "election", _("The same region and election appear twice in the file."))
            return
        seen.add(key)
        data = {**row._asdict(), "region": region}
        for field, messages in actions.history_errors(data).items():
            for message in messages:
                report.add(row.row, field, message)

    return check


def import_history(actor: Any, data: bytes) -> int:
    """Import every row of ``data`` or none; returns the figures written. Raises ImportFailed with
    the rows and what is wrong with each."""
    scoping.require(actor, "participation", scoping.MANAGE, None, actions.ONLY_MANAGERS)
    try:
        report = HISTORY_SPEC.parse(read_rows(data), _check(actor))
    except FileRejected as e:
        raise ImportFailed(str(e)) from None
    if report.error_count:
        raise ImportFailed(
            _("Nothing was imported: %(n)s problem(s) in the file.") % {"n": report.error_count},
            report.errors,
            report.error_count,
        )
    if not report.rows:
        raise ImportFailed(_("The file has no rows."))
    if len(report.rows) > MAX_ROWS:
        raise ImportFailed(_("At most %(n)s rows at once.") % {"n": MAX_ROWS})
    regions = Region.objects.in_bulk({r.region for r in report.rows})
    with transaction.atomic():
        for r in report.rows:
            source = Source.objects.create(
                key=f"participation-{uuid.uuid4().hex[:16]}",
                status=r.source_status,
                publisher=r.source_publisher,
                title=r.source_title,
                as_of=r.source_as_of,
                url=r.source_url,
            )
            row = TurnoutHistory.objects.create(
                region=regions[r.region],
                label=r.label,
                held_on=r.held_on,
                dpt=r.dpt,
                voters=r.voters,
                percent=r.percent.quantize(Decimal("0.01")) if r.percent is not None else None,
                as_of=r.as_of,
                source=source,
            )
            audit.created(
                actor, "participation.history_import", row, ["region", "label", "dpt", "voters", "percent", "as_of"]
            )
    return len(report.rows)
