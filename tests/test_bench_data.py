"""The national benchmark's generated TPS file stays importable: when the import template gains a
column, ``make bench`` must not be the first to find out (it crashed once on a new column)."""

from __future__ import annotations

import csv
import io

from django.test import SimpleTestCase

from bench import national
from regions import importers


class BenchTpsFileTest(SimpleTestCase):
    def test_the_generated_rows_pass_the_tps_import_checks(self) -> None:
        villages = [("64.02.06.2001", "Desa Satu", -0.42, 116.98), ("64.02.06.2002", "Desa Dua", None, None)]
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(list(national.COLUMNS))
        w.writerows(national.rows(villages, [600, 3], {}))
        report = importers.parse(
            buf.getvalue().encode(),
            "tps.csv",
            villages={code for code, *_rest in villages},
            max_voters=1000,
        )
        self.assertEqual(report.errors, [])
        self.assertEqual(len(report.rows), 603)
