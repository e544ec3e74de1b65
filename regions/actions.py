"""The write path for the TPS registry: create, update and bulk import, each audited."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, scoping
from core.actions import update_versioned
from core.formats import number
from core.imports import MAX_REPORTED, NO_PROGRESS, Progress
from core.spreadsheets import ImportFailed, Limits, RowError, limits
from elections.models import Election
from regions import importers
from regions.models import Level, PollingStation, Region
from regions.signals import tps_changed

# What a person edits on a TPS, in the order of the import columns (from the one TPS spec).
TPS_DETAIL_FIELDS = importers.DETAIL_FIELDS
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
            % {"dpt": number(tps.dpt), "max": number(tps.election.max_voters_per_tps)}
        )
    if tps.special_kind and not tps.special_location:
        errors.setdefault("special_kind", []).append(
            _("A kind of special location is given for a TPS that is not lokasi khusus.")
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
        audit.created(actor, "tps.create", tps, TPS_FIELDS)
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
        villages = {str(tps.village_id), str(data["village"].pk) if "village" in data else str(tps.village_id)}
        updated = update_versioned(actor, tps, data, expected_version, "tps.update")
        # a TPS moved to another desa: the follow-ups of both desa run (the old one loses it)
        _announce(tps.election, villages)
    return updated  # type: ignore[return-value]


INSERT_COLUMNS = [
    "election_id",
    *importers.TPS_SPEC.db_columns(["village", *TPS_DETAIL_FIELDS]),
    "version",
    "created_at",
    "updated_at",
]


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


def import_polling_stations(
    actor: Any,
    election: Election,
    data: bytes,
    filename: str,
    *,
    limit: Limits | None = None,
    progress: Progress = NO_PROGRESS,
) -> dict[str, int]:
    """All-or-nothing import of a TPS file; existing TPS (same desa + number) are updated.

    New rows go in with executemany (SQLite) or COPY (PostgreSQL): a national file has
    823,220 rows. Existing TPS are compared with the file in one pass (their current values
    loaded in one query) and only the changed ones are updated, in bulk, each guarded by its
    version. A row that carries a ``version`` (an edited export) older than the TPS's current
    one refuses the whole file: someone changed that TPS after the export. One audit row
    records the import; each updated TPS gets its own, with old -> new values.

    ``limit``: what the file may hold (``core.spreadsheets.limits()``). A file the system
    imports (no actor: the ``import_tps`` command, the demo) is not held to the upload size,
    the other limits hold for every file. ``progress`` hears how far it is (a background import's
    status page): the rows checked, the start of the write and, inside its transaction, the result.
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
                data,
                filename,
                villages=_village_codes(),
                max_voters=election.max_voters_per_tps,
                allowed=allowed,
                limit=limit or (limits() if actor is not None else limits(max_bytes=None)),
                progress=progress,
            )
    except importers.FileRejected as e:
        raise ImportFailed(str(e)) from e
    if report.error_count:
        raise _failed(report.errors, report.error_count)
    progress.writing()
    with transaction.atomic(), _gc_paused():
        new_rows, changed = _compare(election, report)
        _bulk_update(changed)
        _bulk_insert(election, new_rows)
        touched = {r.village for r in new_rows} | {c.row.village for c in changed}
        if touched:
            _announce(election, touched)
        if changed:
            names = dict(Region.objects.filter(code__in={c.row.village for c in changed}).values_list("code", "name"))
            audit.record_many(
                actor,
                "tps.import_update",
                PollingStation,
                (
                    (c.pk, f"TPS {c.row.number} {names.get(c.row.village, '')}", c.changes, c.row.village)
                    for c in changed
                ),
                note=filename,
            )
        entry = audit.record(
            actor,
            "tps.import",
            election,
            {"file": [None, filename], "created": [None, len(new_rows)], "updated": [None, len(changed)]},
            note=_("TPS import: %(c)s created, %(u)s updated")
            % {"c": number(len(new_rows)), "u": number(len(changed))},
        )
        result = {
            "created": len(new_rows),
            "updated": len(changed),
            "unchanged": len(report.rows) - len(new_rows) - len(changed),
        }
        progress.written(result, entry)
    return result


def _failed(errors: list[RowError], total: int) -> ImportFailed:
    return ImportFailed(
        _("Nothing was imported: %(n)s problem(s) found. Fix them and upload the file again.") % {"n": number(total)},
        errors,
        total,
    )


@dataclass(slots=True)
class _Change:
    pk: int
    version: int  # the version the TPS has now: the update is guarded by it
    row: Any  # the parsed row (TPS_SPEC.Row)
    changes: dict[str, list[Any]]  # field -> [old, new]


def _compare(election: Election, report: importers.ImportReport) -> tuple[list[Any], list[_Change]]:
    """Split the file's rows into new TPS and changed ones; refuse stale or mismatched rows.

    Loads the election's TPS in one query and compares in Python: no query per row.
    """
    fields = TPS_DETAIL_FIELDS
    current = {
        (r[1], r[2]): r
        for r in PollingStation.objects.filter(election=election)
        .values_list("id", "village_id", "number", "version", *fields)
        .iterator(chunk_size=5000)
    }
    if not current and "id" not in report.present:  # a first import: every row is new
        return report.rows, []
    get = current.get
    # Positions of the detail fields in a parsed row and in a loaded tuple.
    row_at = [importers.TPS_SPEC.fields().index(f) for f in fields]
    cur_at = range(4, 4 + len(fields))
    pairs = list(zip(fields, row_at, cur_at, strict=True))
    new_rows: list[Any] = []
    changed: list[_Change] = []
    errors: list[RowError] = []
    stale: list[tuple[Any, int]] = []
    for r in report.rows:
        cur = get((r.village, r.number))
        if cur is None:
            if r.id is not None:
                errors.append(RowError(r.row, "id", _unknown_id(r)))
            new_rows.append(r)
            continue
        if r.id is not None and r.id != cur[0]:
            errors.append(RowError(r.row, "id", _unknown_id(r)))
            continue
        if r.version is not None and r.version != cur[3]:
            stale.append((r, cur[3]))
            continue
        diff = {f: [cur[j], r[i]] for f, i, j in pairs if r[i] != cur[j]}
        if diff:
            changed.append(_Change(cur[0], cur[3], r, diff))
    if stale:
        names = dict(Region.objects.filter(code__in={r.village for r, _v in stale}).values_list("code", "name"))
        for r, now in stale:
            errors.append(
                RowError(
                    r.row,
                    "version",
                    _(
                        "TPS %(no)s %(desa)s was changed after your export (version %(mine)s, now %(now)s); "
                        "export again and redo your changes on the new file."
                    )
                    % {"no": r.number, "desa": names.get(r.village, r.village), "mine": r.version, "now": now},
                )
            )
    if errors:
        errors.sort(key=lambda e: e.row)
        raise _failed(errors[:MAX_REPORTED], len(errors))
    return new_rows, changed


def _unknown_id(r: Any) -> str:
    return _(
        "Id %(id)s is not TPS %(no)s of desa %(code)s in this election: keep the id column as exported "
        "(leave it empty for a new TPS)."
    ) % {"id": r.id, "no": r.number, "code": r.village}


def _bulk_update(changed: list[_Change]) -> None:
    """UPDATE the changed TPS in bulk, each only if it still has the version compared against.

    PostgreSQL: COPY into a temporary table, then one UPDATE ... FROM; SQLite: executemany.
    A TPS changed meanwhile by someone else makes the count fall short: the whole import fails.
    """
    if not changed:
        return
    fields = TPS_DETAIL_FIELDS
    at = [importers.TPS_SPEC.fields().index(f) for f in fields]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = PollingStation._meta.db_table
    values = ([*(c.row[i] for i in at), c.pk, c.version] for c in changed)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMPORARY TABLE tps_import_update ON COMMIT DROP AS "
                f"SELECT {', '.join(fields)}, id, version FROM {table} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY tps_import_update ({', '.join(fields)}, id, version) FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
            sets = ", ".join(f"{f} = s.{f}" for f in fields)
            cursor.execute(
                f"UPDATE {table} t SET {sets}, version = t.version + 1, updated_at = %s "
                f"FROM tps_import_update s WHERE t.id = s.id AND t.version = s.version",
                [now],
            )
            updated = cursor.rowcount
            cursor.execute("DROP TABLE tps_import_update")
        else:
            sets = ", ".join(f"{f} = %s" for f in fields)
            sql = f"UPDATE {table} SET {sets}, version = version + 1, updated_at = %s WHERE id = %s AND version = %s"
            cursor.executemany(sql, ([*v[:-2], now, *v[-2:]] for v in values))  # type: ignore[arg-type]
            updated = cursor.rowcount
    if updated != len(changed):
        raise ImportFailed(
            _("Some TPS were changed by someone else during the import. Nothing was imported: export again.")
        )


def _bulk_insert(election: Election, rows: list[Any]) -> None:
    if not rows:
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = PollingStation._meta.db_table
    election_id = election.pk
    at = [importers.TPS_SPEC.fields().index(f) for f in ["village", *TPS_DETAIL_FIELDS]]
    values = ((election_id, *[r[i] for i in at], 1, now, now) for r in rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(INSERT_COLUMNS)}) FROM STDIN") as copy:
                for v in values:
                    copy.write_row(v)
        else:
            placeholders = ", ".join(["%s"] * len(INSERT_COLUMNS))
            sql = f"INSERT INTO {table} ({', '.join(INSERT_COLUMNS)}) VALUES ({placeholders})"
            cursor.executemany(sql, values)  # type: ignore[arg-type]  # any iterable: no list of 800k tuples
