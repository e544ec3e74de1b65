from __future__ import annotations

import io
from typing import Any

from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from core import jobs
from core.models import Job
from logistics import actions, selectors, summaries
from logistics.jobs import SUMMARIES, scan_all_risks
from logistics.models import LogisticsSummary, Node, NodeLevel
from logistics.tests.base import LogisticsTestCase, at
from regions.models import Region


def stored(election: Any, code: str, node_level: int) -> tuple[int, ...]:
    row = LogisticsSummary.objects.get(election=election, region_code=code, node_level=node_level)
    return (row.total, row.dispatched, row.received, row.at_risk)


class LogisticsSummaryTest(LogisticsTestCase):
    def deliveries(self) -> None:
        """Sebulu received its goods, its PPS has them on the way, Tenggarong's PPK has a slow route."""
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(14))
        self.receive(s, {"booth": (4, 0, 0)}, when=at(15))
        self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"booth": 4}, dispatched=at(16))
        actions.save_route(self.kpu_operator, self.warehouse, self.ppk_tenggarong, "longboat", 7 * 24 * 60)
        jobs.run_all()

    def test_the_panel_from_the_summary_rows_equals_the_aggregate_over_the_nodes_for_every_persona(self) -> None:
        self.deliveries()
        scan_all_risks()  # the periodic scan: risk judged as of the desk's now (18 Nov noon)
        as_of = LogisticsSummary.objects.filter(election=self.election).first().as_of  # type: ignore[union-attr]
        personas = [self.kpu_operator, self.desk_admin, self.camat_sebulu, self.ppk_operator, self.polres_officer]
        checked = 0
        for user in personas:
            nodes = Node.objects.restrict(user)
            for code in ("", "64", "64.02", "64.02.07", "64.02.06", "64.02.07.2001", "64.72"):
                region = Region.objects.get(code=code) if code else None
                want_levels = selectors.level_progress(nodes, self.election, region)
                got = summaries.panel(user, self.election, code)
                if not want_levels:
                    self.assertIsNone(got, (user, code))
                    continue
                assert got is not None
                self.assertEqual(got["levels"], want_levels, (user, code))
                self.assertEqual(got["risks"], selectors.risk_count(self.election, region, as_of, nodes), (user, code))
                checked += 1
        self.assertGreater(checked, 15)
        # the figures themselves: Tenggarong's PPK cannot make it by a 7-day river route
        self.assertEqual(summaries.panel(self.kpu_operator, self.election, "64.02")["risks"], 1)  # type: ignore[index]

    def test_a_camat_on_the_kabupaten_page_sees_the_figures_of_their_kecamatan_labelled_in_your_area(self) -> None:
        self.deliveries()
        self.client.force_login(self.camat_sebulu)
        with translation.override("id"):
            r = self.client.get("/regions/64.02/")
        self.assertContains(r, 'data-testid="logistics-narrowed"')
        self.assertContains(r, "di wilayah Anda")
        self.assertContains(r, 'data-testid="logistics-as-of"')
        panel = summaries.panel(self.camat_sebulu, self.election, "64.02")
        assert panel is not None
        self.assertTrue(panel["narrowed"])
        got = [(lv["level"], lv["total"], lv["dispatched"], lv["received"]) for lv in panel["levels"]]
        self.assertEqual(got, [(2, 1, 1, 1), (3, 2, 1, 0), (4, 1, 0, 0)])  # Sebulu only: 1 PPK, 2 PPS, 1 KPPS

    def test_the_kpu_of_the_kabupaten_sees_the_whole_kabupaten_unlabelled(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/regions/64.02/")
        self.assertContains(r, 'data-testid="logistics-summary"')
        self.assertNotContains(r, 'data-testid="logistics-narrowed"')

    def test_someone_without_logistics_in_the_region_gets_no_panel(self) -> None:
        self.assertIsNone(summaries.panel(self.camat_sebulu, self.election, "64.72"))
        self.assertIsNone(summaries.panel(self.camat_sebulu, self.election, "64.02.06"))

    def test_a_dispatch_enqueues_the_refresh_of_its_desa_and_the_worker_brings_the_row_up_to_date(self) -> None:
        before = stored(self.election, "64.02.07.2001", NodeLevel.PPS)
        self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"booth": 4}, dispatched=at(16))
        job = Job.objects.get(name=SUMMARIES)
        self.assertEqual(job.key, f"{self.election.pk}/64.02.07.2001")
        self.assertEqual(stored(self.election, "64.02.07.2001", NodeLevel.PPS), before, "not in the request")
        jobs.run_all()
        self.assertEqual(stored(self.election, "64.02.07.2001", NodeLevel.PPS), (1, 1, 0, 0))
        self.assertEqual(stored(self.election, "", NodeLevel.PPS)[1], 1)
        self.assertEqual(summaries.check(), [])

    def test_a_receipt_counts_as_received_after_the_worker_ran(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(14))
        self.receive(s, {"booth": (4, 0, 0)}, when=at(15))
        jobs.run_all()
        self.assertEqual(stored(self.election, "64.02.07", NodeLevel.PPK), (1, 1, 1, 0))
        self.assertEqual(stored(self.election, "64", NodeLevel.PPK)[2], 1)

    def test_a_partial_refresh_keeps_the_clock_of_the_last_scan_and_the_scan_moves_it(self) -> None:
        summaries.refresh(self.election, now=at(10, 12))
        self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"booth": 4}, dispatched=at(16))
        jobs.run_all()
        clocks = set(LogisticsSummary.objects.filter(election=self.election).values_list("as_of", flat=True))
        self.assertEqual(clocks, {at(10, 12)})
        self.assertEqual(summaries.check(), [])
        scan_all_risks()
        clocks = set(LogisticsSummary.objects.filter(election=self.election).values_list("as_of", flat=True))
        self.assertEqual(clocks, {at(18, 12)})

    def test_an_idle_node_becomes_at_risk_as_of_the_scan_that_finds_it(self) -> None:
        self.route_takes(self.ppk_sebulu, 3 * 24 * 60)
        summaries.refresh(self.election, now=at(18, 12))
        self.assertEqual(stored(self.election, "64.02.07", NodeLevel.PPK)[3], 0)
        summaries.refresh(self.election, now=at(21, 12))  # 2.5 days left for a 3-day route
        self.assertEqual(stored(self.election, "64.02.07", NodeLevel.PPK)[3], 1)
        self.assertEqual(stored(self.election, "", NodeLevel.PPK)[3], 1)


class CheckLogisticsSummariesTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))

    def test_a_broken_row_is_reported_and_fix_repairs_it(self) -> None:
        table = LogisticsSummary._meta.db_table
        with connection.cursor() as cur:
            cur.execute(
                f"UPDATE {table} SET received = 99 WHERE region_code = %s AND node_level = %s",
                ["64.02", NodeLevel.KPPS.value],
            )
        out = io.StringIO()
        with self.assertRaises(CommandError):
            call_command("check_summaries", stdout=out)
        self.assertIn(f"election {self.election.pk}, region 64.02, KPPS (TPS): stored total=2", out.getvalue())
        self.assertIn("received=99", out.getvalue())
        call_command("check_summaries", "--fix", stdout=io.StringIO())
        call_command("check_summaries", stdout=io.StringIO())  # clean: no error raised
        self.assertEqual(stored(self.election, "64.02", NodeLevel.KPPS), (2, 0, 0, 0))

    def test_a_missing_row_and_a_row_with_no_nodes_are_both_reported(self) -> None:
        row = LogisticsSummary.objects.get(region_code="64.02.06", node_level=NodeLevel.PPK)
        row.delete()
        LogisticsSummary.objects.create(
            election=self.election,
            region_code="64.72",
            level=2,
            node_level=NodeLevel.PPK,
            total=1,
            as_of=row.as_of,
            updated_at=row.updated_at,
        )
        problems = summaries.check()
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("region 64.02.06, PPK (kecamatan): missing, expected total=1", problems[0])
        self.assertIn("region 64.72, PPK (kecamatan): stored total=1", problems[1])
        self.assertIn("expected no row", problems[1])
