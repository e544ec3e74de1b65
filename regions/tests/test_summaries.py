"""Per-region summaries: kept by the TPS actions, read by the pages, checked from scratch."""

from __future__ import annotations

import io

from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import translation

from core import jobs, scoping
from regions import actions, selectors, summaries
from regions.models import PollingStation, Region, RegionSummary
from tests.base import SinergiTestCase


def row(election_id: int, code: str) -> tuple[int, int, int]:
    r = RegionSummary.objects.get(election_id=election_id, region_code=code)
    return r.tps, r.dpt_male, r.dpt_female


class SummaryTest(SinergiTestCase):
    def test_every_level_up_to_the_nation_has_its_row(self) -> None:
        e = self.election.pk
        self.assertEqual(row(e, "64.02.07.2001"), (1, 200, 190))
        self.assertEqual(row(e, "64.02.07"), (1, 200, 190))
        self.assertEqual(row(e, "64.02"), (2, 400, 380))
        self.assertEqual(row(e, "64"), (3, 700, 670))
        self.assertEqual(row(e, ""), (3, 700, 670))
        self.assertEqual(summaries.check(), [])

    def test_a_new_tps_is_counted_at_every_level_once_the_worker_ran(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            actions.create_polling_station(
                self.kpu_operator, self.election, {"village_id": "64.02.12.2001", "number": "1", "dpt_male": 10}
            )
            jobs.run_all()  # the worker, after the change committed
        e = self.election.pk
        self.assertEqual(row(e, "64.02.12.2001"), (1, 10, 0))
        self.assertEqual(row(e, "64.02.12"), (1, 10, 0))
        self.assertEqual(row(e, "64.02"), (3, 410, 380))
        self.assertEqual(row(e, ""), (4, 710, 670))
        self.assertEqual(summaries.check(), [])

    def test_an_edit_changes_the_desa_and_its_ancestors_only(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            actions.update_polling_station(self.kpu_operator, self.tps_sebulu, {"dpt_female": 100}, 1)
            jobs.run_all()
        e = self.election.pk
        self.assertEqual(row(e, "64.02.07.2001"), (1, 200, 100))
        self.assertEqual(row(e, "64"), (3, 700, 580))
        self.assertEqual(row(e, "64.72"), (1, 300, 290))
        self.assertEqual(summaries.check(), [])

    def test_a_desa_without_tps_left_has_no_row(self) -> None:
        PollingStation.objects.filter(pk=self.tps_tenggarong.pk).delete()
        summaries.refresh(self.election, {"64.02.06.1001"})
        self.assertFalse(RegionSummary.objects.filter(region_code__startswith="64.02.06").exists())
        self.assertEqual(row(self.election.pk, "64.02"), (1, 200, 190))
        self.assertEqual(summaries.check(), [])

    def test_a_partial_refresh_equals_a_full_rebuild(self) -> None:
        PollingStation.objects.filter(pk=self.tps_samarinda.pk).update(dpt_male=1)
        PollingStation.objects.create(election=self.election, village_id="64.02.12.2001", number="002", dpt_male=5)
        summaries.refresh(self.election.pk, ["64.72.01.1001", "64.02.12.2001"])
        partial = sorted(RegionSummary.objects.values_list("region_code", "level", "tps", "dpt_male", "dpt_female"))
        summaries.rebuild()
        full = sorted(RegionSummary.objects.values_list("region_code", "level", "tps", "dpt_male", "dpt_female"))
        self.assertEqual(partial, full)

    def test_narrowed_totals_match_the_scoped_registry(self) -> None:
        for user in (self.camat_sebulu, self.desk_admin, AnonymousUser()):
            for code in ("", "64", "64.02", "64.02.07", "64.72"):
                region = Region.objects.filter(code=code).first()
                qs = PollingStation.objects.restrict(user).filter(election=self.election)
                want_total = selectors.totals(selectors.tps_in(qs, region))
                want_children = selectors.totals_by_child(qs, region)
                total, children = summaries.region_totals(
                    self.election, code, scoping.grants(user, "regions", scoping.VIEW)
                )
                self.assertEqual(total, want_total, (user, code))
                self.assertEqual(children, want_children, (user, code))


class CheckSummariesCommandTest(SinergiTestCase):
    def setUp(self) -> None:
        self.enterContext(translation.override("en"))

    def test_a_broken_row_is_reported_with_exit_status_1_and_fix_repairs_it(self) -> None:
        table = RegionSummary._meta.db_table
        with connection.cursor() as cur:
            cur.execute(f"UPDATE {table} SET tps = 99 WHERE region_code = %s", ["64.02"])
        out = io.StringIO()
        with self.assertRaises(CommandError) as caught:
            call_command("check_summaries", stdout=out)
        self.assertEqual(caught.exception.returncode, 1)
        self.assertIn(f"election {self.election.pk}, region 64.02: stored tps=99", out.getvalue())
        self.assertIn("expected tps=2", out.getvalue())

        out = io.StringIO()
        call_command("check_summaries", "--fix", stdout=out)
        self.assertIn("rebuilt", out.getvalue())
        call_command("check_summaries", stdout=io.StringIO())  # clean: no error raised
        self.assertEqual(row(self.election.pk, "64.02")[0], 2)

    def test_a_missing_and_an_extra_row_are_both_reported(self) -> None:
        RegionSummary.objects.filter(region_code="64.72").delete()
        RegionSummary.objects.create(
            election=self.election, region_code="31", level=1, tps=1, updated_at="2024-11-18T00:00:00Z"
        )
        problems = summaries.check()
        self.assertEqual(len(problems), 2)
        self.assertIn("region 64.72: missing", problems[1])
        self.assertIn("region 31: stored tps=1", problems[0])

    def test_the_report_speaks_indonesian_by_default(self) -> None:
        RegionSummary.objects.filter(region_code="64.72").delete()
        with translation.override("id"):
            self.assertIn("wilayah 64.72: tidak ada, seharusnya tps=1", summaries.check()[0])


class PublicFiguresTest(SinergiTestCase):
    def test_the_public_endpoint_is_cacheable_and_a_tps_change_shows_once_the_worker_ran(self) -> None:
        client = Client()
        r = client.get("/api/v1/public/regions/64.02")
        self.assertEqual(r["Cache-Control"], "public, max-age=60")
        self.assertEqual(r.json()["totals"]["tps"], 2)
        with self.captureOnCommitCallbacks(execute=True):
            actions.create_polling_station(
                self.kpu_operator, self.election, {"village_id": "64.02.12.2001", "number": "1", "dpt_male": 10}
            )
            jobs.run_all()  # the worker, after the change committed
        body = client.get("/api/v1/public/regions/64.02").json()
        self.assertEqual(body["totals"], {"tps": 3, "dpt": 790, "dpt_male": 410, "dpt_female": 380})
        self.assertEqual({c["code"]: c["totals"]["tps"] for c in body["children"]}["64.02.12"], 1)

    def test_a_repeated_request_is_served_whole_from_the_cache_without_a_query(self) -> None:
        first = Client().get(f"/api/v1/public/regions/64.02?election={self.election.pk}")
        with self.assertNumQueries(0):
            again = Client().get(f"/api/v1/public/regions/64.02?election={self.election.pk}")
        self.assertEqual(again.content, first.content)
        self.assertEqual(again["X-Content-Type-Options"], "nosniff")
        self.assertEqual(again["Cache-Control"], "public, max-age=60")
        self.assertEqual(Client().get("/api/v1/public/regions/64.02").json()["totals"], first.json()["totals"])

    def test_the_cache_follows_a_change_made_outside_any_request(self) -> None:
        self.assertEqual(Client().get("/api/v1/public/regions/64").json()["totals"]["tps"], 3)
        PollingStation.objects.filter(pk=self.tps_samarinda.pk).delete()
        with self.captureOnCommitCallbacks(execute=True):  # as a background job would, then commit
            summaries.refresh(self.election, {"64.72.01.1001"})
        self.assertEqual(Client().get("/api/v1/public/regions/64").json()["totals"]["tps"], 2)

    def test_an_unknown_region_or_election_is_a_404(self) -> None:
        self.assertEqual(Client().get("/api/v1/public/regions/99.99").status_code, 404)
        self.assertEqual(Client().get("/api/v1/public/regions/64?election=999999").status_code, 404)

    def test_the_logged_in_pages_send_no_public_cache_header(self) -> None:
        self.client.force_login(self.desk_admin)
        self.assertNotIn("public", self.client.get("/regions/64.02/").get("Cache-Control", ""))
