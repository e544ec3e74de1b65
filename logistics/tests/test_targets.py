"""Targets derived backwards from H-1: only the TPS deadline is a rule; a desa and a kecamatan are
due early enough for every TPS below them, with a safety margin per kind of transport.

Sebulu's desa Sebulu Ilir is a day up the river from its PPK here; the plan keeps no practice
targets of its own (PPK H-2, PPS H-1), so what the river needs decides.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from logistics import actions, rules, selectors, summaries, targets
from logistics.models import LogisticsSummary, Node, NodeLevel, Plan
from logistics.tests.base import LogisticsTestCase, at

DAY = 24 * 60


class DerivedTargetsTest(LogisticsTestCase):
    def setUp(self) -> None:
        super().setUp()
        actions.save_plan(None, self.election, {"ppk_due_days": 2, "pps_due_days": 1})
        actions.save_route(None, self.pps_sebulu_ilir, self.kpps_sebulu, "car", 30)
        actions.save_route(None, self.ppk_sebulu, self.pps_sebulu_ilir, "longboat", DAY)

    def node(self, node: Node) -> Node:
        return Node.objects.get(pk=node.pk)

    def test_the_tps_is_due_by_its_deadline_and_each_level_above_in_time_for_the_one_below(self) -> None:
        kpps, pps, ppk = self.node(self.kpps_sebulu), self.node(self.pps_sebulu_ilir), self.node(self.ppk_sebulu)
        # the TPS: H-1 23.59; half an hour by car and 2 h of margin by road
        self.assertEqual(kpps.due_at, at(26, 23) + dt.timedelta(minutes=59))
        self.assertEqual(kpps.inbound_depart_by, at(26, 21) + dt.timedelta(minutes=29))
        # the desa must have the goods when they have to leave for the TPS
        self.assertEqual(pps.due_at, kpps.inbound_depart_by)
        # a day up the river and 4 h of margin by water
        self.assertEqual(pps.inbound_depart_by, at(25, 17) + dt.timedelta(minutes=29))
        # so the kecamatan is due on 25 Nov 17.29, before its own H-2 practice target (25 Nov 23.59)
        self.assertEqual(ppk.due_at, pps.inbound_depart_by)

    def test_the_kecamatan_is_at_risk_because_of_its_river_desa_though_its_own_road_is_short(self) -> None:
        ppk = self.node(self.ppk_sebulu)
        assert ppk.inbound_depart_by is not None
        just_after = ppk.inbound_depart_by + dt.timedelta(minutes=1)
        self.assertNotIn(ppk, [n for n, _r in selectors.at_risk_nodes(self.election, None, ppk.inbound_depart_by)])
        with translation.override("id"):
            risks = dict(selectors.at_risk_nodes(self.election, None, just_after))
        self.assertIn("agar tiba sebelum targetnya 25 November 2024 17.29 WITA", risks[ppk])
        # the region summaries judge it the same way
        summaries.refresh(self.election, now=just_after)
        kec = LogisticsSummary.objects.get(election=self.election, region_code="64.02.07", node_level=NodeLevel.PPK)
        self.assertEqual(kec.at_risk, 1)

    def test_a_larger_margin_by_water_moves_the_targets_above_the_river(self) -> None:
        before = self.node(self.ppk_sebulu).due_at
        assert before is not None
        actions.save_plan(None, self.election, {"buffer_water_minutes": 6 * 60})
        self.assertEqual(self.node(self.ppk_sebulu).due_at, before - dt.timedelta(hours=2))

    def test_a_faster_route_to_the_desa_gives_the_kecamatan_more_time(self) -> None:
        actions.save_route(None, self.ppk_sebulu, self.pps_sebulu_ilir, "car", 60)
        # now the practice target of H-2 (25 Nov 23.59) is the earlier one... unless another desa is slower
        due = self.node(self.ppk_sebulu).due_at
        assert due is not None
        self.assertGreater(due, at(25, 17) + dt.timedelta(minutes=29))
        self.assertLessEqual(due, at(25, 23) + dt.timedelta(minutes=59))

    def test_goods_on_the_way_expected_after_the_derived_target_are_late(self) -> None:
        self.enterContext(self.settings(SINERGI_TODAY="2024-11-25"))
        actions.save_route(None, self.warehouse, self.ppk_sebulu, "truck", 8 * 60)
        self.ship(self.warehouse, self.node(self.ppk_sebulu), {"booth": 4}, dispatched=at(25, 11))  # 8 h: 19.00
        with translation.override("en"):
            risks = dict(selectors.at_risk_nodes(self.election, None, at(25, 12)))
        self.assertEqual(
            risks[self.node(self.ppk_sebulu)],
            "expected 1 hour 31 minutes after its target of 25 November 2024 17:29 WITA",
        )

    def test_the_node_page_shows_the_target_and_the_latest_safe_dispatch(self) -> None:
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/")
        self.assertContains(page, 'target <span data-testid="deadline">25 November 2024 17.29 WITA</span>')
        self.assertContains(page, '<span data-testid="depart-by">25 November 2024 13.29 WITA</span>')
        page = self.client.get(f"/logistics/nodes/{self.kpps_sebulu.pk}/")
        self.assertContains(page, 'batas waktu <span data-testid="deadline">26 November 2024 23.59 WITA</span>')

    def test_the_plan_page_explains_the_margins(self) -> None:
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/logistics/plan/?election={self.election.pk}")
        self.assertContains(page, "<li>lewat air: 4 jam</li>")
        self.assertContains(page, 'data-testid="plan-derived"')

    def test_the_api_gives_each_node_at_risk_its_due_time_and_latest_safe_dispatch(self) -> None:
        ppk = self.node(self.ppk_sebulu)
        assert ppk.inbound_depart_by is not None
        self.client.force_login(self.kpu_operator)
        with self.settings(SINERGI_TODAY="2024-11-26"):  # the desk's noon on H-1: past both
            data = self.client.get(f"/api/v1/logistics/progress/64.02.07?election={self.election.pk}").json()
        row = next(r for r in data["at_risk"] if r["node_id"] == ppk.pk)
        self.assertEqual(dt.datetime.fromisoformat(row["due_at"]), ppk.due_at)
        self.assertEqual(dt.datetime.fromisoformat(row["latest_safe_dispatch"]), ppk.inbound_depart_by)


class EnsureTargetsTest(LogisticsTestCase):
    def test_nodes_that_predate_their_targets_get_them_once_at_the_next_scan(self) -> None:
        Plan.objects.filter(election=self.election).delete()  # an election running on the defaults
        Node.objects.filter(election=self.election).update(due_at=None, inbound_depart_by=None)
        actions.scan_risks(self.election, at(18, 12))
        self.assertFalse(Node.objects.filter(election=self.election, level=NodeLevel.KPPS, due_at=None).exists())
        stamp = Plan.objects.get(election=self.election).targets_at
        self.assertIsNotNone(stamp)
        with self.assertNumQueries(1):  # the next scan only reads the plan before its own work
            targets.ensure(self.election)

    def test_a_voting_day_moved_derives_the_targets_again_at_the_next_scan(self) -> None:
        self.election.voting_date = dt.date(2024, 11, 28)
        self.election.save()
        actions.scan_risks(self.election, at(18, 12))
        self.assertEqual(Node.objects.get(pk=self.kpps_sebulu.pk).due_at, at(27, 23) + dt.timedelta(minutes=59))


class NoSafeDispatchTest(LogisticsTestCase):
    def test_a_desa_no_departure_serves_in_time_is_at_risk_without_dragging_its_kecamatan_to_2000(self) -> None:
        too_late = {"mode": "helicopter", "minutes": 60, "departures": ["2024-11-27 08.00"], "scheduled": True}
        actions.save_route(None, self.ppk_sebulu, self.pps_sebulu_ilir, legs=[too_late])
        pps, ppk = Node.objects.get(pk=self.pps_sebulu_ilir.pk), Node.objects.get(pk=self.ppk_sebulu.pk)
        self.assertEqual(pps.inbound_depart_by, rules.NO_SAFE_DISPATCH)
        assert ppk.due_at is not None
        self.assertGreater(ppk.due_at, at(20, 0))
        self.assertIn(pps, [n for n, _r in selectors.at_risk_nodes(self.election, None, at(18, 12))])
