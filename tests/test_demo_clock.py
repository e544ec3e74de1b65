"""The demo's clock: a Desk admin moves the demo to a moment of Pilkada 2024; everything is seen
as of that moment, and the audit rows written then carry the demo's time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import override_settings

from core import audit, dates, demo
from core.models import AuditEntry, DemoClock
from elections.models import Contest, ContestKind
from tests.base import SinergiTestCase

H_9, BEFORE_PSU = demo.MOMENTS[0][0], demo.MOMENTS[3][0]


@override_settings(DEMO=True)
class DemoClockTest(SinergiTestCase):
    def setUp(self) -> None:
        self.psu = Contest.objects.create(
            election=self.election,
            kind=ContestKind.REGENT,
            region_id="64.02",
            name="PSU Bupati Kukar 2025",
            voting_date=dt.date(2025, 4, 19),
            effective_from=dt.date(2025, 2, 24),
        )

    def switch(self, moment: dt.datetime) -> Any:
        return self.client.post("/demo/moment", {"moment": moment.isoformat(), "next": "/elections/"}, follow=True)

    def test_the_clock_starts_at_the_kukar_rakor(self) -> None:
        self.assertEqual(dates.today(), dt.date(2024, 11, 18))
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/")
        self.assertContains(r, 'data-testid="demo-clock"')
        self.assertContains(r, "18 November 2024 12.00 WITA")
        self.assertNotContains(r, 'name="moment"')  # the camat sees the moment, not the switch

    def test_a_desk_admin_moves_the_demo_to_before_the_psu_and_the_psu_appears(self) -> None:
        self.client.force_login(self.desk_admin)
        self.assertNotIn(self.psu, Contest.objects.visible())
        r = self.switch(BEFORE_PSU)
        self.assertContains(r, "15 Apr 2025")
        self.assertEqual(dates.today(), dt.date(2025, 4, 15))
        self.assertEqual(dates.now("Asia/Makassar"), BEFORE_PSU)
        self.assertIn(self.psu, Contest.objects.visible())
        entry = AuditEntry.objects.get(action="demo.moment")
        self.assertEqual(entry.at, BEFORE_PSU)  # written "at" the demo's time
        self.assertEqual(entry.actor, self.desk_admin)

    def test_others_may_not_move_the_clock_and_nothing_changes(self) -> None:
        for user in (self.camat_sebulu, self.kpu_operator):
            self.client.force_login(user)
            r = self.client.post("/demo/moment", {"moment": BEFORE_PSU.isoformat()})
            self.assertEqual(r.status_code, 403)
        self.assertFalse(DemoClock.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="demo.moment").exists())

    def test_a_moment_that_is_not_the_demos_is_refused_with_a_message(self) -> None:
        self.client.force_login(self.desk_admin)
        for value in ("2024-11-20T12:00:00+08:00", "yesterday", "2024-11-25T12:00:00"):
            r = self.client.post("/demo/moment", {"moment": value, "next": "/"}, follow=True)
            self.assertContains(r, "Pilih salah satu momen demo.")
        self.assertFalse(DemoClock.objects.exists())

    def test_the_switch_sends_back_only_to_this_site(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post("/demo/moment", {"moment": H_9.isoformat(), "next": "https://evil.example/"})
        self.assertEqual(r["Location"], "/")


class PinnedMomentTest(SinergiTestCase):
    def test_records_written_while_a_replay_pins_the_clock_carry_the_pinned_time(self) -> None:
        then = dt.datetime(2024, 11, 24, 5, 30, tzinfo=demo.WITA)
        with dates.pinned(then):
            entry = audit.record(None, "test.event", self.election)
            self.assertEqual(dates.now("Asia/Makassar"), then)
            self.assertEqual(dates.today(), dt.date(2024, 11, 24))
        self.assertEqual(entry.at, then)
        self.assertNotEqual(dates.stamp(), then)  # the pin ends with the block


class OutsideTheDemoTest(SinergiTestCase):
    def test_there_is_no_clock_banner_and_the_real_clock_runs(self) -> None:
        DemoClock.objects.create(pk=1, moment=BEFORE_PSU)  # ignored outside the demo
        self.client.force_login(self.desk_admin)
        self.assertNotContains(self.client.get("/"), 'data-testid="demo-clock"')
        self.assertEqual(dates.demo_moment(), None)
        self.assertEqual(self.client.post("/demo/moment", {"moment": H_9.isoformat()}).status_code, 403)
