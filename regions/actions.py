"""The write path for the TPS registry: create, update and bulk import, each audited."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, scoping
from core.actions import update_versioned
from core.spreadsheets import ImportFailed
from elections.models import Election
from regions import importers
from regions.models import Level, PollingStation, Region
from regions.signals import tps_changed

# What a person edits on a TPS, in the order of the import columns.
TPS_DETAIL_FIELDS = [
    "number",
    "address",
    "dpt_male",
    "dpt_female",
    "dpph_expected",
    "dptb_expected",
    "lat",
    "lng",
    "access_mode",
    "travel_minutes",
    "special_location",
]
TPS_FIELDS = ["village", *TPS_DETAIL_FIELDS]


def _check_tps(tps: PollingStation) -> None:
    errors: dict[str, list[str]] = {}
    if tps.village_id and tps.village.level != Level.DESA:
        errors.setdefault("village", []).append(
            _("A TPS belongs to a desa/kelurahan, not to a %(kind)s.") % {"kind": tps.village.get_kind_display()}
        )
    if tps.dpt > tps.election.max_voters_per_tps:
        errors.setdefault("dpt_male", []).append(
            _("DPT %(dpt)s is above the maximum of %(max)s voters per TPS for this election.")
            % {"dpt": tps.dpt, "max": tps.election.max_voters_per_tps}
        )
    if tps.number and not (tps.number.isdigit() and len(tps.number) == 3 and tps.number != "000"):
        errors.setdefault("number", []).append(_('TPS number must be three digits, e.g. "001".'))
    if errors:
        raise ValidationError(errors)


def _require_change(actor: Any, village_code: str) -> None:
    if actor is not None and not scoping.can(actor, "regions", scoping.CHANGE, village_code):
        raise PermissionDenied(_("You may not change TPS in this area."))


def _announce(election: Election, village_codes: set[str]) -> None:
    """Tell the other capabilities (logistics requirements) inside the writer's transaction:
    receivers only enqueue background jobs, which commit (or roll back) with the change."""
    tps_changed.send(sender=PollingStation, election=election, village_codes=village_codes)


def create_polling_station(actor: Any, election: Election, data: dict[str, Any]) -> PollingStation:
    tps = PollingStation(election=election, **data)
    _require_change(actor, str(tps.village_id))
    if isinstance(tps.number, str) and tps.number.isdigit():
        tps.number = f"{int(tps.number):03d}"
    _check_tps(tps)
    tps.full_clean()
    with transaction.atomic():
        tps.save()
        _announce(election, {str(tps.village_id)})
        audit.record(actor, "tps.create", tps, {k: [None, v] for k, v in audit.snapshot(tps, TPS_FIELDS).items()})
    return tps


def update_polling_station(
    actor: Any, tps: PollingStation, data: dict[str, Any], expected_version: int
) -> PollingStation:
    _require_change(actor, str(tps.village_id))
    if "village" in data:
        _require_change(actor, str(data["village"].pk))
    probe = PollingStation(**{**{f: getattr(tps, f) for f in TPS_FIELDS}, **data, "election": tps.election})
    _check_tps(probe)
    with transaction.atomic():
        updated = update_versioned(actor, tps, data, expected_version, "tps.update")
        _announce(tps.election, {str(tps.village_id)})
    return updated  # type: ignore[return-value]


INSERT_COLUMNS = ["election_id", "village_id", *TPS_DETAIL_FIELDS, "version", "created_at", "updated_at"]


def _village_codes() -> set[str]:
    """The desa/kelurahan codes, loaded once per import (a plain set: ``in`` runs per row)."""
    return set(Region.objects.filter(level=Level.DESA).values_list("code", flat=True))


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Parsing a national file keeps ~1M objects and makes no reference cycles: without this the
    cyclic collector rescans the growing heap again and again (a third of the parse time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def import_polling_stations(actor: Any, election: Election, data: bytes, filename: str) -> dict[str, int]:
    """All-or-nothing import of a TPS file; existing TPS (same desa + number) are updated.

    New rows go in with executemany (SQLite) or COPY (PostgreSQL): a national file has
    823,220 rows. One audit row records the import; each updated TPS gets its own.
    """
    allowed = None
    if actor is not None:
        scopes = scoping.grants(actor, "regions", scoping.CHANGE)
        if not scopes:
            raise PermissionDenied(_("You may not import TPS."))
        if None not in scopes:
            allowed = lambda code: any(scoping.in_subtree(code, s) for s in scopes if s)  # noqa: E731
    try:
        with _gc_paused():
            report = importers.parse(
                data, filename, villages=_village_codes(), max_voters=election.max_voters_per_tps, allowed=allowed
            )
    except importers.FileRejected as e:
        raise ImportFailed(str(e)) from e
    if report.error_count:
        raise ImportFailed(
            _("Nothing was imported: %(n)s problem(s) found. Fix them and upload the file again.")
            % {"n": report.error_count},
            report.errors,
            report.error_count,
        )
    with transaction.atomic():
        existing = {
            (v, n): pk
            for pk, v, n in PollingStation.objects.filter(election=election).values_list("id", "village_id", "number")
        }
        new_rows = [r for r in report.rows if (r.village, r.number) not in existing] if existing else report.rows
        updated = 0
        for r in report.rows if existing else ():
            pk = existing.get((r.village, r.number))
            if pk is None:
                continue
            tps = PollingStation.objects.get(pk=pk)
            values = {
                "address": r.address,
                "dpt_male": r.dpt_male,
                "dpt_female": r.dpt_female,
                "dpph_expected": r.dpph,
                "dptb_expected": r.dptb,
                "lat": r.lat,
                "lng": r.lng,
                "access_mode": r.access_mode,
                "travel_minutes": r.travel_minutes,
                "special_location": r.special,
            }
            before = tps.version
            tps = update_versioned(actor, tps, values, tps.version, "tps.import_update")  # type: ignore[assignment]
            updated += int(tps.version != before)
        _bulk_insert(election, new_rows)
        _announce(election, {r.village for r in report.rows})
        audit.record(
            actor,
            "tps.import",
            election,
            {"file": [None, filename], "created": [None, len(new_rows)], "updated": [None, updated]},
            note=_("TPS import: %(c)s created, %(u)s updated") % {"c": len(new_rows), "u": updated},
        )
    return {"created": len(new_rows), "updated": updated, "unchanged": len(report.rows) - len(new_rows) - updated}


def _bulk_insert(election: Election, rows: list[importers.ParsedRow]) -> None:
    if not rows:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = PollingStation._meta.db_table
    election_id = election.pk
    values = (
        (
            election_id,
            r.village,
            r.number,
            r.address,
            r.dpt_male,
            r.dpt_female,
            r.dpph,
            r.dptb,
            r.lat,
            r.lng,
            r.access_mode,
            r.travel_minutes,
            r.special,
            1,
            now,
            now,
        )
        for r in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(INSERT_COLUMNS)}) FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
        else:
            placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
            sql = f"INSERT INTO {table} ({', '.join(INSERT_COLUMNS)}) VALUES ({placeholders})"
            cursor.executemany(sql, values)  # type: ignore[arg-type]  # any iterable: no list of 800k tuples
