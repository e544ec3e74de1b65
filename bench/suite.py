"""The benchmarks on one database: ``python -m bench.suite`` (started by ``bench.run``).

Expects an empty database in ``DATABASE_URL`` (migrated here). Each figure is compared with a
raw baseline measured in the same run on the same table, indexes and connection: executemany
(SQLite) or COPY (PostgreSQL) of the same rows, already as tuples; each run of ours is followed
by a baseline run. ``BENCH_REPEAT`` runs of the TPS import (the region import: at least 3).
``BENCH_TPS`` makes the TPS file smaller than the national 823,220 rows, for a quick run.
Results go to the JSON file named by ``BENCH_RESULT`` (and are printed as they come). Nothing
is asserted on times.
"""

from __future__ import annotations

import contextlib
import cProfile
import csv
import datetime as dt
import functools
import gc
import io
import json
import os
import pstats
import resource
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import django

REGION_COLUMNS = ["code", "name", "level", "kind", "parent_id", "lat", "lng"]
REGION_REPEAT = 3  # the region import is short: always best of 3


def say(msg: str) -> None:
    print(f"  {msg}", flush=True)


def peak_rss_mb() -> float:
    """ru_maxrss of this process (KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return None


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux), so ru_maxrss then measures what follows."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def profiled(fn: Callable[[], Any], title: str) -> None:
    prof = cProfile.Profile()
    prof.runcall(fn)
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(25)
    print(f"\n---- cProfile: {title} ----\n{out.getvalue()}", flush=True)


class Database:
    """The raw side of the comparison, on Django's own connection."""

    def __init__(self) -> None:
        from django.db import connection

        self.connection = connection
        self.vendor = connection.vendor
        with connection.cursor() as c:
            if self.vendor == "postgresql":
                c.execute("SHOW server_version")
                self.label = f"PostgreSQL {c.fetchone()[0].split()[0]}"
            else:
                c.execute("SELECT sqlite_version()")
                self.label = f"SQLite {c.fetchone()[0]}"
        self.baseline = "COPY" if self.vendor == "postgresql" else "executemany"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.connection.cursor() as c:
            c.execute(sql, params)

    def compact(self, table: str) -> None:
        """After a big delete, give the next insert the same footing as a fresh table."""
        self.execute("VACUUM" if self.vendor == "sqlite" else f"VACUUM ANALYZE {table}")

    def settle(self) -> None:
        """Flush pending writes (WAL checkpoint) so no timed run pays for the one before it."""
        from django.db import DatabaseError

        with contextlib.suppress(DatabaseError):  # CHECKPOINT needs superuser or pg_checkpoint
            self.execute("CHECKPOINT" if self.vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)")

    def count(self, table: str) -> int:
        with self.connection.cursor() as c:
            c.execute(f"SELECT COUNT(*) FROM {table}")
            return int(c.fetchone()[0])

    def raw_insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> float:
        """Seconds to write ``rows`` in one transaction: executemany (SQLite) / COPY (PostgreSQL)."""
        from django.db import transaction

        cols = ", ".join(columns)
        self.connection.ensure_connection()
        self.settle()
        start = time.perf_counter()
        with transaction.atomic():
            if self.vendor == "postgresql":
                with self.connection.cursor() as c, c.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for r in rows:
                        copy.write_row(r)
            else:
                marks = ", ".join("?" * len(columns))
                self.connection.connection.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        return time.perf_counter() - start


def bench_regions(db: Database, repeat: int, profile: bool) -> dict[str, Any]:
    """A: ``import_regions`` (the national tree) into an empty table vs the raw insert."""
    from django.core.management import call_command

    from regions.boundaries import _features
    from regions.models import Region

    table = Region._meta.db_table
    if Region.objects.exists():
        raise RuntimeError("the benchmark database is not empty")

    def ours() -> None:
        call_command("import_regions", no_progress=True, stdout=io.StringIO())

    def empty() -> None:
        db.execute(f"DELETE FROM {table}")
        db.compact(table)
        _features.cache_clear()  # the command reads the boundary files afresh, as in a new process

    ours_s: list[float] = []
    raw_s: list[float] = []
    rows: list[tuple[Any, ...]] = []
    for i in range(repeat):
        if i:
            empty()
        db.settle()
        ours_s.append(timed(ours)[0])
        if not rows:
            rows = list(Region.objects.values_list(*[c.removesuffix("_id") for c in REGION_COLUMNS]))
            rows.sort(key=lambda r: (r[0].count("."), r[0]))  # the command's order: parents first
        empty()
        raw_s.append(db.raw_insert(table, REGION_COLUMNS, rows))
        if db.count(table) != len(rows):
            raise RuntimeError("region baseline wrote a different number of rows")
        say(f"A: import_regions {len(rows):,} rows in {ours_s[-1]:.2f} s; raw {db.baseline} {raw_s[-1]:.2f} s")

    if profile:
        empty()
        profiled(ours, "import_regions")
    return {"name": "A  import_regions", "rows": len(rows), "ours_s": ours_s, "baseline_s": raw_s}


def baseline_tps_rows(path: Path, election_id: int, now: Any) -> list[tuple[Any, ...]]:
    """The generated file as the tuples ``_bulk_insert`` writes (columns of INSERT_COLUMNS)."""
    from regions import importers

    out = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        at = {h: i for i, h in enumerate(next(reader))}
        code, no, address, male, female, dpph, dptb, lat, lng, mode, travel, special, kind = (
            at[h]
            for h in (
                "kode_desa",
                "no_tps",
                "alamat",
                "dpt_l",
                "dpt_p",
                "dpph",
                "dptb",
                "lat",
                "lng",
                "akses",
                "waktu_tempuh_menit",
                "lokasi_khusus",
                "jenis_lokasi_khusus",
            )
        )
        kinds = {alias: str(k) for alias, k in importers.SPECIAL_KIND_ALIASES.items()}
        for r in reader:
            out.append(
                (
                    election_id,
                    r[code],
                    f"{int(r[no]):03d}",
                    r[address],
                    int(r[male]),
                    int(r[female]),
                    int(r[dpph]),
                    int(r[dptb]),
                    float(r[lat]) if r[lat] else None,
                    float(r[lng]) if r[lng] else None,
                    r[mode],
                    int(r[travel]) if r[travel] else None,
                    r[special] == "1",
                    kinds.get(r[kind], ""),
                    1,
                    now,
                    now,
                )
            )
    return out


def bench_tps(db: Database, workdir: Path, repeat: int, profile: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """B: ``import_polling_stations`` of a national file (823,220 TPS) vs the raw insert."""
    from django.utils import timezone

    from bench import national
    from elections.models import Election, ElectionKind
    from regions.actions import INSERT_COLUMNS, import_polling_stations
    from regions.models import Level, PollingStation, Region

    table = PollingStation._meta.db_table
    election = Election.objects.create(
        name="Bench: Pemilu 2024 nasional",
        kind=ElectionKind.PEMILU,
        voting_date=dt.date(2024, 2, 14),
        timezone="Asia/Jakarta",
        max_voters_per_tps=national.MAX_DPT,
    )
    villages = list(Region.objects.filter(level=Level.DESA).order_by("code").values_list("code", "name", "lat", "lng"))
    points = {
        code: (lat, lng)
        for code, lat, lng in Region.objects.filter(level__lt=Level.DESA, lat__isnull=False, lng__isnull=False)
        .values_list("code", "lat", "lng")
        .iterator()
    }
    path = workdir / f"national-{db.vendor}.csv"
    start = time.perf_counter()
    wanted = national.bench_total()
    villages = national.villages_for(villages, wanted)
    total = national.write_csv(path, villages, points, national.pemilu_weights(), wanted)
    gen_s = time.perf_counter() - start
    del villages, points
    say(f"B: generated {total:,} TPS over the desa/kelurahan in {gen_s:.1f} s ({path.stat().st_size / 2**20:.0f} MB)")

    def empty() -> None:
        db.execute(f"DELETE FROM {table} WHERE election_id = %s", [election.pk])
        db.compact(table)

    ours_s: list[float] = []
    raw_s: list[float] = []
    memory: dict[str, Any] = {"generate_s": gen_s}
    for i in range(repeat):
        if i:
            empty()
        data = path.read_bytes()
        gc.collect()
        db.settle()
        rss_before = current_rss_mb()
        reset_ok = reset_peak_rss()
        seconds, result = timed(lambda: import_polling_stations(None, election, data, path.name))  # noqa: B023
        ours_s.append(seconds)
        if not i:
            memory["rss_before_tps_import_mb"] = rss_before
            memory["tps_import_peak_mb"] = peak_rss_mb() if reset_ok else None
        if result["created"] != total:
            raise RuntimeError(f"import created {result['created']} TPS, expected {total}")
        del data, result
        gc.collect()
        # Built after the import, so the import's memory peak is its own.
        rows = baseline_tps_rows(path, election.pk, db.connection.ops.adapt_datetimefield_value(timezone.now()))
        empty()
        raw_s.append(db.raw_insert(table, INSERT_COLUMNS, rows))
        del rows
        gc.collect()
        if db.count(table) != total:
            raise RuntimeError("TPS baseline wrote a different number of rows")
        say(
            f"B: import_polling_stations {total:,} rows in {seconds:.2f} s ({total / seconds:,.0f} rows/s); "
            f"raw {db.baseline} {raw_s[-1]:.2f} s ({total / raw_s[-1]:,.0f} rows/s)"
        )

    if profile:
        empty()
        data = path.read_bytes()
        profiled(lambda: import_polling_stations(None, election, data, path.name), "import_polling_stations")
    figure = {"name": "B  import_polling_stations (national)", "rows": total, "ours_s": ours_s, "baseline_s": raw_s}
    return figure, memory


def bench_reimport(db: Database, workdir: Path, repeat: int, fresh_s: list[float]) -> list[dict[str, Any]]:
    """B2, B3: import again an export of the whole registry, unchanged and with 5% of rows changed.

    The registry is the one benchmark B left (the national file). The export is written by
    ``regions.importers.export_rows`` (with id and version, as users download it); the ratio is
    against the fresh raw insert of the same rows (B's baseline): a re-import compares every row
    with the database and updates only the changed ones, guarded by their version.
    """
    from bench.national import MAX_DPT
    from elections.models import Election
    from regions import importers
    from regions.actions import import_polling_stations
    from regions.models import PollingStation

    election = Election.objects.get(name="Bench: Pemilu 2024 nasional")
    header = importers.TPS_SPEC.headers()
    male = header.index("dpt_l")
    female = header.index("dpt_p")

    def export(path: Path) -> tuple[int, float]:
        start = time.perf_counter()
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(importers.export_rows(PollingStation.objects.filter(election=election)))
        return PollingStation.objects.filter(election=election).count(), time.perf_counter() - start

    unchanged = workdir / f"export-{db.vendor}.csv"
    total, export_s = export(unchanged)
    say(f"B2: exported {total:,} TPS with id and version in {export_s:.1f} s ({total / export_s:,.0f} rows/s)")
    raw = [min(fresh_s)]
    same_s: list[float] = []
    for _ in range(repeat):
        data = unchanged.read_bytes()
        gc.collect()
        db.settle()
        seconds, result = timed(functools.partial(import_polling_stations, None, election, data, unchanged.name))
        del data
        if result["updated"] or result["created"]:
            raise RuntimeError(f"an unchanged re-import changed rows: {result}")
        same_s.append(seconds)
        say(f"B2: re-import, unchanged: {total:,} rows in {seconds:.2f} s ({total / seconds:,.0f} rows/s)")

    changed_s: list[float] = []
    for k in range(repeat):
        source = workdir / f"export-{db.vendor}-{k}.csv"
        export(source)  # a fresh export each time: the previous run bumped the versions
        edited = workdir / f"edited-{db.vendor}.csv"
        changed = 0
        with source.open(encoding="utf-8", newline="") as f, edited.open("w", encoding="utf-8", newline="") as g:
            reader, w = csv.reader(f), csv.writer(g)
            w.writerow(next(reader))
            for i, row in enumerate(reader):
                if i % 20 == 7:  # 5% of the rows: one more male voter, or one fewer if at the maximum
                    step = 1 if int(row[male]) + int(row[female]) < MAX_DPT else -1
                    row[male] = str(int(row[male]) + step)
                    changed += 1
                w.writerow(row)
        source.unlink()
        data = edited.read_bytes()
        gc.collect()
        db.settle()
        seconds, result = timed(functools.partial(import_polling_stations, None, election, data, edited.name))
        del data
        if result["updated"] != changed:
            raise RuntimeError(f"expected {changed} updated TPS, got {result}")
        changed_s.append(seconds)
        say(f"B3: re-import, {changed:,} of {total:,} rows changed: {seconds:.2f} s ({total / seconds:,.0f} rows/s)")
    return [
        {"name": "B2 re-import of the export, unchanged", "rows": total, "ours_s": same_s, "baseline_s": raw},
        {"name": "B3 re-import, 5% of rows changed", "rows": total, "ours_s": changed_s, "baseline_s": raw},
    ]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    django.setup()
    from django.core.management import call_command

    profile = os.environ.get("BENCH_PROFILE") == "1"
    repeat = max(1, int(os.environ.get("BENCH_REPEAT") or 1))
    workdir = Path(os.environ.get("BENCH_WORKDIR") or ".")
    db = Database()
    say(f"database: {db.label}; baseline: {db.baseline}")
    migrate_s, _ = timed(lambda: call_command("migrate", interactive=False, verbosity=0))
    say(f"migrated in {migrate_s:.1f} s")
    figures = [bench_regions(db, max(repeat, REGION_REPEAT), profile)]
    tps, memory = bench_tps(db, workdir, repeat, profile)
    figures.append(tps)
    figures += bench_reimport(db, workdir, repeat, tps["baseline_s"])
    from bench.logistics import bench_logistics, bench_rebuild
    from elections.models import Election

    national_election = Election.objects.get(name="Bench: Pemilu 2024 nasional")
    figures += bench_logistics(db, national_election, say)
    from bench.logistics import bench_targets

    figures += bench_targets(db, national_election, say)
    figures += bench_rebuild(db, national_election, say)
    from bench.summaries import bench_summaries

    # S (summaries) and W (WSGI throughput) have absolute targets (< 100 ms, >= 0.8x hello world):
    # printed as notes, not in the table
    pages, notes = bench_summaries(national_election, say)
    from bench.logistics import bench_scan
    from bench.report import bench_report

    report_figures, report_notes = bench_report(national_election, say)
    figures += report_figures
    notes += report_notes
    from bench.security import bench_security

    security_figures, security_notes = bench_security(db, national_election, say)
    figures += security_figures
    notes += security_notes
    from bench.violations import bench_violations

    figures += bench_violations(db, national_election, say)
    from bench.participation import bench_participation

    figures += bench_participation(db, national_election, say)
    figures += bench_scan(db, national_election, say)  # last: it moves the shipments' arrival times
    from bench.logistics import bench_custody

    figures += bench_custody(db, national_election, say)
    result = {
        "database": db.label,
        "baseline": db.baseline,
        "migrate_s": migrate_s,
        "figures": figures,
        "peak_rss_mb": peak_rss_mb(),
        "pages": pages,
        "notes": notes,
        **memory,
    }
    out = os.environ.get("BENCH_RESULT")
    if out:
        Path(out).write_text(json.dumps(result, indent=2))
    else:
        print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
