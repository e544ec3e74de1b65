"""Load the national Kemendagri region tree shipped with the app (idempotent)."""

from __future__ import annotations

import csv
import gzip
import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from regions.boundaries import REGIONS_CSV, centroids
from regions.models import Region, derive

BATCH = 5000


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
        objs = []
        for r in rows:
            code, name = r["code"].strip(), r["name"].strip()
            level, kind, parent = derive(code, name)
            lat, lng = cents.get(code, (None, None))
            objs.append(Region(code=code, name=name, level=level, kind=kind, parent_id=parent, lat=lat, lng=lng))
        bar = tqdm(total=len(objs), unit="region", disable=opts["no_progress"] or None, desc="regions")
        with transaction.atomic():
            for i in range(0, len(objs), BATCH):
                Region.objects.bulk_create(
                    objs[i : i + BATCH],
                    update_conflicts=True,
                    unique_fields=["code"],
                    update_fields=["name", "level", "kind", "parent", "lat", "lng"],
                )
                bar.update(len(objs[i : i + BATCH]))
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"{len(objs)} regions loaded."))
