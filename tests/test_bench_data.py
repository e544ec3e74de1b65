"""The national benchmark's generated TPS file stays importable: when the import template gains a
column, ``make bench`` must not be the first to find out (it crashed once on a new column)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from django.test import SimpleTestCase, TestCase

from bench import national, suite
from regions import importers
from regions.actions import INSERT_COLUMNS


class BenchTpsFileTest(SimpleTestCase):
    villages = [("64.02.06.2001", "Desa Satu", -0.42, 116.98), ("64.02.06.2002", "Desa Dua", None, None)]

    def csv_text(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(list(national.COLUMNS))
        w.writerows(national.rows(self.villages, [600, 3], {}))
        return buf.getvalue()

    def test_the_generated_rows_pass_the_tps_import_checks(self) -> None:
        villages = self.villages
        report = importers.parse(
            self.csv_text().encode(),
            "tps.csv",
            villages={code for code, *_rest in villages},
            max_voters=1000,
        )
        self.assertEqual(report.errors, [])
        self.assertEqual(len(report.rows), 603)

    def test_the_raw_baseline_rows_fill_every_column_the_import_writes(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "tps.csv"
            path.write_text(self.csv_text(), encoding="utf-8")
            rows = suite.baseline_tps_rows(path, 1, None)
        self.assertEqual(len(rows), 603)
        self.assertEqual({len(r) for r in rows}, {len(INSERT_COLUMNS)})


class BenchReportTest(TestCase):
    def test_the_situation_report_benchmark_runs_on_a_small_database(self) -> None:
        from bench.report import bench_report
        from core.registry import registry
        from tests import fixtures

        fixtures.make_regions()
        election = fixtures.make_election()
        said: list[str] = []
        figures, notes = bench_report(election, said.append)
        self.assertEqual(
            [f["name"] for f in figures], ["M  situation report Kaltim, HTML", "M  situation report Kaltim, PDF"]
        )
        self.assertTrue(all(f["ours_s"][0] > 0 and f["baseline_s"][0] > 0 for f in figures))
        self.assertEqual(len(notes), 2 + len(registry.home_tiles))
        self.assertTrue(any(n.startswith("H  home card logistics.summary") for n in notes))


class BenchSecurityTest(TestCase):
    """V (security at national volume) runs on a small registry: its setup SQL and timed calls
    stay in step with the models."""

    def test_the_security_bench_runs_and_leaves_true_scores(self) -> None:
        from bench.security import bench_security
        from security.models import Assessment
        from tests import fixtures

        fixtures.make_regions()
        election = fixtures.make_election()
        for n in range(1, 9):
            fixtures.make_tps(election, "64.02.07.2001", f"{n:03d}")
        said: list[str] = []
        figures, notes = bench_security(suite.Database(), election, said.append)
        self.assertEqual([f["rows"] for f in figures][0::2], [8, 8])
        self.assertIn("V3", notes[0])
        scored = Assessment.objects.filter(election=election, current=True)
        self.assertEqual(scored.count(), 8)
        self.assertTrue(scored.filter(score__gt=0).exists())


class BenchViolationsTest(TestCase):
    """X (violations at volume) runs on a small registry: its setup SQL and timed calls stay in
    step with the models, and the deadlines it leaves are those the actions derive."""

    def test_the_violations_bench_runs_and_leaves_true_deadlines(self) -> None:
        from bench.violations import bench_violations
        from tests import fixtures
        from violations import deadlines
        from violations.actions import holidays_for, rules_for
        from violations.models import Case

        fixtures.make_regions()
        election = fixtures.make_election()
        for n in range(1, 41):
            fixtures.make_tps(election, "64.02.07.2001", f"{n:03d}")
        said: list[str] = []
        figures = bench_violations(suite.Database(), election, said.append)
        self.assertEqual([f["name"][:2] for f in figures], ["X1", "X2", "X3"])
        cases = Case.objects.filter(election=election)
        self.assertEqual(cases.count(), 5)  # one per eight TPS
        rules, holidays = rules_for(election), holidays_for(election)
        for case in cases:
            expected = deadlines.deadline_for(
                case.status, case.received_on, case.stage_started_on, case.extended, rules, holidays
            )[0]
            self.assertEqual(case.deadline, expected if case.is_open else None, case.status)


class BenchParticipationTest(TestCase):
    """P (participation at volume) runs on a small registry: every TPS reports once, the nation's
    voting-day totals count them all, and the province's gap has its rows and focus list."""

    def test_the_participation_bench_runs_on_every_tps(self) -> None:
        from bench.participation import bench_participation
        from participation.models import TurnoutReport
        from tests import fixtures

        fixtures.make_regions()
        election = fixtures.make_election()
        for n in range(1, 11):
            fixtures.make_tps(election, "64.02.07.2001", f"{n:03d}")
        said: list[str] = []
        figures = bench_participation(suite.Database(), election, said.append, province="64")
        self.assertEqual([(f["name"][:2], f["rows"]) for f in figures], [("P1", 10), ("P2", 10)])
        self.assertEqual(TurnoutReport.objects.filter(election=election, current=True).count(), 10)
        self.assertIn("10 voting-day turnout reports", said[0])
