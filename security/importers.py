"""TPS assessments from XLSX/CSV (Bawaslu's mapping form): all-or-nothing, with a row-by-row report.

One row per TPS: ``kode_desa`` (desa/kelurahan code), ``tps`` (its number), ``tanggal`` (the day it
was observed), ``indikator`` (the codes of the indicators found, separated by commas or
semicolons, empty when none), and optionally ``bukti`` and ``catatan``. Every row is checked (the
TPS exists and lies in the assessor's area, the indicators are in the election's set, the day is
within the election's stages and not in the future, no TPS twice) before anything is written; then
every row becomes a current assessment in one transaction and the earlier ones become history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from core import audit
from core.formats import number
from core.imports import NO_PROGRESS, CellError, Column, ImportReport, Progress, Spec
from core.spreadsheets import FileRejected, ImportFailed, read_rows
from elections.models import Election
from regions.models import PollingStation
from security import actions

_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_day(value: Any) -> dt.date:
    """2024-11-12, 12/11/2024 or 12-11-2024 (day first, as written in Indonesia), or a date cell."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    m = _DAY.fullmatch(text)
    if m:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            pass
    raise CellError(_("“%(v)s” is not a date: write 2024-11-12 or 12/11/2024.") % {"v": text[:20]})


def parse_codes(value: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.strip() for c in re.split(r"[;,\s]+", str(value)) if c.strip()))


ASSESSMENT_SPEC = Spec(
    "Assessment",
    [
        Column(
            "village", "kode_desa", aliases=("desa", "village", "kode_wilayah"), required=True, example="64.02.07.2001"
        ),
        Column("number", "tps", aliases=("no_tps", "nomor_tps"), required=True, example="001"),
        Column(
            "observed_on",
            "tanggal",
            parse_day,
            aliases=("observed_on", "tanggal_pengamatan"),
            required=True,
            example="2024-11-12",
        ),
        Column(
            "codes", "indikator", parse_codes, aliases=("indicators", "kode_indikator"), empty=(), example="7.1; 6.3"
        ),
        Column("evidence", "bukti", aliases=("evidence",), max_length=500, example="Form pemetaan PKD"),
        Column("note", "catatan", aliases=("note",), max_length=2000),
    ],
)


def template_rows() -> Iterable[list[str]]:
    yield from ASSESSMENT_SPEC.template_rows()
    yield ["64.02.07.2001", "002", "2024-11-13", "", "Form pemetaan PKD", "Tidak ada indikator"]


def import_assessments(
    actor: Any, election: Election, data: bytes, filename: str = "", *, progress: Progress = NO_PROGRESS
) -> int:
    """All-or-nothing: one current assessment per row; returns how many were written."""
    indicators = actions.indicator_map(election)
    first = actions.first_day(election)
    stations: dict[tuple[str, str], PollingStation] = {}
    seen: dict[int, int] = {}
    rows: list[actions.AssessmentRow] = []

    def find(village: str, number_: str) -> PollingStation | None:
        key = (village, number_.zfill(3))
        if key not in stations:
            tps = PollingStation.objects.filter(election=election, village_id=key[0], number=key[1]).first()
            if tps is not None:
                stations[key] = tps
        return stations.get(key)

    def check(r: Any, report: ImportReport) -> None:
        tps = find(r.village, r.number)
        if tps is None:
            report.add(
                r.row, "tps", _("No TPS %(n)s in desa %(d)s for this election.") % {"n": r.number, "d": r.village}
            )
            return
        if tps.pk in seen:
            report.add(r.row, "tps", _("%(tps)s is already on row %(row)s.") % {"tps": tps, "row": seen[tps.pk]})
            return
        seen[tps.pk] = r.row
        row = actions.AssessmentRow(tps, r.observed_on, r.codes, r.note or "", r.evidence or "")
        for field, messages in actions.row_errors(actor, election, row, indicators, first).items():
            header = {"observed_on": "tanggal", "indicators": "indikator", "evidence": "bukti", "note": "catatan"}
            for m in messages:
                report.add(r.row, header.get(field, field), str(m))
        rows.append(row)

    try:
        report = ASSESSMENT_SPEC.parse(read_rows(data), check, progress)
    except FileRejected as e:
        raise ImportFailed(str(e)) from e
    if not report.error_count and not rows:
        raise ImportFailed(_("The file has a header but no rows."))
    if report.error_count:
        raise ImportFailed(
            _("Nothing was imported: %(n)s problem(s) found.") % {"n": number(report.error_count)},
            report.errors,
            report.error_count,
        )
    progress.writing()
    from django.db import transaction

    with transaction.atomic():
        actions.write_assessments(actor, election, rows, indicators)
        entry = audit.record(
            actor,
            "security.assessment_import",
            election,
            {"file": [None, filename], "assessments": [None, len(rows)]},
            note=_("Assessment import: %(n)s TPS assessed") % {"n": number(len(rows))},
        )
        progress.written({"assessments": len(rows)}, entry)
    return len(rows)
