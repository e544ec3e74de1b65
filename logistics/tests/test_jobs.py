"""Logistics follow-ups run as background jobs: enqueued with the TPS change, run by the worker."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

from django.db import transaction
from django.urls import reverse

from core import jobs
from core.models import Job, JobState
from core.registry import registry
from logistics import actions
from logistics.jobs import PER_DESA_LIMIT, REFRESH, enqueue_refresh
from logistics.models import Alert, Item, Node, NodeLevel, Route, Supply
from logistics.tests.base import LogisticsTestCase, at
from regions import actions as tps_actions
from regions.models import Region


def supply_rows() -> set[tuple[Any, ...]]:
    return set(
        Supply.objects.values_list(
            "election_id", "node_id", "item_id", "region_id", "required", "dispatched", "received", "damaged", "missing"
        )
    )


class FollowUpTest(LogisticsTestCase):
    def test_a_tps_edit_enqueues_one_refresh_of_its_desa_and_the_worker_does_the_work(self) -> None:
        ballot = self.items["ballot-6402"]
        tps_actions.update_polling_station(self.kpu_operator, self.tps_sebulu, {"dpt_male": 300}, 1)
        self.tps_sebulu.refresh_from_db()
        tps_actions.update_polling_station(self.kpu_operator, self.tps_sebulu, {"dpt_male": 310}, 2)
        job = Job.objects.get(name=REFRESH)
        self.assertEqual(
            (job.key, job.args),
            (f"{self.election.pk}/64.02.07.2001", {"election": self.election.pk, "region": "64.02.07.2001"}),
        )
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=ballot).required, 400, "not in the request")
        self.assertEqual(jobs.run_all(), 2, "the desa's requirements and its region summaries")
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=ballot).required, 513)  # ceil(500 × 1.025)

    def test_a_tps_moved_to_another_desa_takes_its_kpps_node_route_and_supply_along(self) -> None:
        tabang_lama = Region.objects.get(code="64.02.12.2001")
        tps_actions.update_polling_station(self.kpu_operator, self.tps_sebulu, {"village": tabang_lama}, 1)
        self.assertEqual(
            set(Job.objects.filter(name=REFRESH).values_list("key", flat=True)),
            {f"{self.election.pk}/64.02.07.2001", f"{self.election.pk}/64.02.12.2001"},
            "the follow-ups of both desa",
        )
        jobs.run_all()
        node = Node.objects.get(pk=self.kpps_sebulu.pk)
        self.assertEqual((node.region_id, node.name), ("64.02.12.2001", "KPPS TPS 001 Tabang Lama"))
        pps_tabang_lama = Node.objects.get(election=self.election, level=NodeLevel.PPS, region_id="64.02.12.2001")
        self.assertEqual(
            list(Route.objects.filter(destination=node).values_list("origin", flat=True)), [pps_tabang_lama.pk]
        )
        self.assertEqual(set(Supply.objects.filter(node=node).values_list("region_id", flat=True)), {"64.02.12.2001"})
        self.assertFalse(Supply.objects.filter(region_id="64.02.07.2001").exists(), "nothing left in the old desa")
        kept = supply_rows()
        actions.rebuild_supply(self.election)
        self.assertEqual(supply_rows(), kept, "the same rows as a full rebuild")

    def test_a_wide_change_enqueues_one_election_wide_refresh(self) -> None:
        with transaction.atomic():
            enqueue_refresh(self.election, {"64.02.07.2001"})
            enqueue_refresh(self.election, {f"64.02.07.{2000 + i}" for i in range(PER_DESA_LIMIT + 1)})
            enqueue_refresh(self.election, {"64.02.06.1001"})
        self.assertEqual(
            list(Job.objects.values_list("key", "args")), [(str(self.election.pk), {"election": self.election.pk})]
        )

    def test_a_failing_follow_up_never_fails_the_save_and_is_listed_with_its_error(self) -> None:
        self.client.force_login(self.kpu_operator)
        with mock.patch("logistics.actions.rebuild_supply", side_effect=RuntimeError("disk full")):
            r = self.client.patch(
                f"/api/v1/tps/{self.tps_sebulu.pk}",
                json.dumps({"dpt_male": 300, "version": 1}),
                content_type="application/json",
            )
            self.assertEqual(r.status_code, 200)
            jobs.run_all()
        self.tps_sebulu.refresh_from_db()
        self.assertEqual(self.tps_sebulu.dpt_male, 300, "the change is committed")
        job = Job.objects.get(name=REFRESH)
        self.assertEqual((job.state, job.attempts), (JobState.PENDING, 1))
        self.client.force_login(self.desk_admin)
        page = self.client.get(reverse("core:jobs"))
        self.assertContains(page, "RuntimeError: disk full")
        self.assertContains(page, "64.02.07.2001")
        # the cause is fixed; the desk admin retries and the requirement follows
        self.client.post(reverse("core:job_retry", args=[job.pk]))
        jobs.run_all()
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=self.items["ballot-6402"]).required, 503)
        self.assertNotContains(self.client.get(reverse("core:jobs")), "disk full")

    def test_an_item_edit_enqueues_the_rebuild_of_that_item(self) -> None:
        ballot = self.items["ballot-6402"]  # a Kukar contest's item: KPU Kukar's to edit
        actions.save_item(self.kpu_operator, self.election, {"reserve_percent": "0"}, ballot, ballot.version)
        self.assertEqual(Job.objects.get().args, {"election": self.election.pk, "item": ballot.pk})
        jobs.run_all()
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=ballot).required, 390)

    def test_the_periodic_scan_raises_at_risk_alerts_once_per_interval(self) -> None:
        self.route_takes(self.ppk_sebulu, 3 * 24 * 60)
        names = [p.name for p in registry.periodic_jobs]
        self.assertIn("logistics.scan_risks", names)
        with mock.patch("logistics.jobs.desk_now", return_value=at(21, 12)):
            jobs.schedule_periodic()
            jobs.run_all()
            raised = Alert.objects.filter(node=self.ppk_sebulu).count()
            jobs.schedule_periodic()
            jobs.run_all()
        self.assertEqual(raised, 1)
        self.assertEqual(Job.objects.filter(name="logistics.scan_risks", state=JobState.DONE).count(), 1)


class SetBasedRebuildTest(LogisticsTestCase):
    def test_a_rebuild_gives_the_rows_the_actions_kept(self) -> None:
        s = self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {"ballot-6402": 400, "booth": 4})
        self.receive(s, {"ballot-6402": (397, 2, 1), "booth": (4, 0, 0)})
        self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {"ink": 2})
        kept = supply_rows()
        self.assertEqual(actions.rebuild_supply(self.election), len(kept))
        self.assertEqual(supply_rows(), kept)
        actions.rebuild_supply(self.election, region="64.02.07")
        actions.rebuild_supply(self.election, items=[self.items["ink"]])
        self.assertEqual(supply_rows(), kept)

    def test_required_follows_the_rule_of_each_item_for_every_tps(self) -> None:
        Item.objects.filter(pk=self.items["ballot-6402"].pk).update(reserve_percent="2.3")
        self.tps_sebulu.dpt_male = 383
        self.tps_sebulu.save()
        actions.rebuild_supply(self.election)
        expected = set()
        for node in Node.objects.filter(election=self.election, level=NodeLevel.KPPS).select_related("polling_station"):
            tps = node.polling_station
            assert tps is not None
            for item in Item.objects.filter(election=self.election).select_related("contest"):
                if item.contest_id and not node.region_id.startswith(item.contest.region_id + "."):  # type: ignore[union-attr]
                    continue
                expected.add((node.pk, item.pk, item.required_for(tps.dpt_male + tps.dpt_female)))
        self.assertEqual(set(Supply.objects.values_list("node_id", "item_id", "required")), expected)

    def test_a_desa_rebuild_touches_only_that_desa(self) -> None:
        Supply.objects.update(required=0)
        actions.rebuild_supply(self.election, region="64.02.07.2001")
        self.assertFalse(Supply.objects.filter(region_id="64.02.07.2001", required=0).exists())
        self.assertFalse(Supply.objects.exclude(region_id="64.02.07.2001").exclude(required=0).exists())
