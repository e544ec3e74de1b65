"""A background import finishes the follow-ups of its change, across capabilities, before it says "done"."""

from __future__ import annotations

import io

from django.test import override_settings
from django.urls import reverse

from core import import_runs, jobs
from core.models import ImportRun, Job, JobState
from logistics.models import Node, NodeLevel, Supply
from logistics.tests.base import LogisticsTestCase


@override_settings(IMPORT_INLINE_MAX_BYTES=50)
class FollowUpsOfABackgroundImportTest(LogisticsTestCase):
    def test_new_tps_have_their_kpps_node_and_supply_when_the_import_page_says_done(self) -> None:
        self.client.force_login(self.kpu_operator)
        f = io.BytesIO(b"kode_desa,no_tps,dpt_l,dpt_p\n64.02.07.2002,001,150,140\n64.02.07.2002,002,120,110\n")
        f.name = "tps.csv"
        self.client.post(reverse("regions:tps_import"), {"election": self.election.pk, "file": f})
        # The worker's first turn takes the import job alone; the summaries, the logistics
        # requirements (new KPPS nodes) and the logistics summaries they enqueue run inside it.
        self.assertEqual(jobs.run_due(limit=1), 1)
        run = ImportRun.objects.get()
        self.assertEqual(run.state, "done")
        self.assertEqual(list(Job.objects.filter(state=JobState.PENDING).values_list("name", flat=True)), [])
        kpps = Node.objects.filter(level=NodeLevel.KPPS, polling_station__village_id="64.02.07.2002")
        self.assertEqual(kpps.count(), 2)
        self.assertTrue(Supply.objects.filter(node__in=kpps).exists())
        self.assertTrue(Job.objects.filter(name="logistics.refresh_summaries", state=JobState.DONE).exists())
        self.assertEqual(Job.objects.get(name=import_runs.JOB).state, JobState.DONE)
