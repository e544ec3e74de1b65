"""Load the national Kemendagri region tree shipped with the app (idempotent)."""

from __future__ import annotations

import csv
import gzip
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from tqdm import tqdm

from regions.boundaries import REGIONS_CSV, centroids
from regions.models import Region, derive

BATCH = 5000
COLUMNS = ["code", "name", "level", "kind", "parent_id", "lat", "lng"]


class Command(BaseCommand):
    help = "Load (or refresh) the national region tree: 91,599 provinsi to desa/kelurahan."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", default=str(REGIONS_CSV), help="code,name CSV (.gz ok)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        path = opts["file"]
        opener = gzip.open if path.endswith(".gz") else open
        try:
            with opener(path, "rb") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8-sig")
                rows = list(csv.DictReader(text))
        except OSError as e:
            raise CommandError(f"Cannot read {path}: {e}") from e
        if not rows or "code" not in rows[0] or "name" not in rows[0]:
            raise CommandError(f"{path}: expected columns code,name")
        cents = centroids()
        rows.sort(key=lambda r: (r["code"].count("."), r["code"]))  # parents before children
        values = []
        for r in rows:
            code, name = r["code"].strip(), r["name"].strip()
            level, kind, parent = derive(code, name)
            lat, lng = cents.get(code, (None, None))
            values.append((code, name, level, kind, parent, lat, lng))
        bar = tqdm(total=len(values), unit="region", disable=opts["no_progress"] or None, desc="regions")
        with transaction.atomic():
            upsert(values, bar.update)
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"{len(values)} regions loaded."))


def upsert(values: list[tuple[Any, ...]], progress: Any) -> None:
    """Insert or update regions (tuples in COLUMNS order) without a model instance per row:
    INSERT ... ON CONFLICT (code) DO UPDATE with executemany (SQLite); on PostgreSQL COPY, straight
    into an empty table (a new install), else into a temporary table and one INSERT ... SELECT
    ... ON CONFLICT."""
    table = Region._meta.db_table
    cols = ", ".join(COLUMNS)
    conflict = "ON CONFLICT (code) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fresh = not Region.objects.exists()
            if not fresh:
                cursor.execute(f"CREATE TEMPORARY TABLE region_load (LIKE {table}) ON COMMIT DROP")
            with cursor.cursor.copy(f"COPY {table if fresh else 'region_load'} ({cols}) FROM STDIN") as copy:
                for i, v in enumerate(values, 1):
                    copy.write_row(v)
                    if i % BATCH == 0:
                        progress(BATCH)
            if not fresh:
                cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM region_load {conflict}")
                cursor.execute("DROP TABLE region_load")  # also when inside an outer transaction (tests)
            progress(len(values) % BATCH)
        else:
            sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(COLUMNS))}) {conflict}"
            for i in range(0, len(values), BATCH):
                cursor.executemany(sql, values[i : i + BATCH])
                progress(len(values[i : i + BATCH]))
