"""The rules: requirements, stock, deadlines and risk."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from core import jobs
from logistics import actions, rules, selectors
from logistics.models import Item, Node, NodeLevel, Plan, Supply
from logistics.tests.base import LogisticsTestCase, at


class RequirementRuleTest(SimpleTestCase):
    def test_ballots_are_dpt_plus_the_reserve_rounded_up(self) -> None:
        ballots = Item(per_voter=True, reserve_percent=Decimal("2.5"))
        self.assertEqual(ballots.required_for(400), 410)
        self.assertEqual(ballots.required_for(383), 393)  # 392.575 rounds up
        self.assertEqual(ballots.required_for(0), 0)
        # Kukar: 552,469 voters with 2.5% reserve is about 566,281 (567,000 were printed)
        self.assertEqual(ballots.required_for(552_469), 566_281)

    def test_the_reserve_is_configurable(self) -> None:
        self.assertEqual(Item(per_voter=True, reserve_percent=Decimal("2.0")).required_for(300), 306)

    def test_fixed_items_are_a_count_per_tps(self) -> None:
        self.assertEqual(Item(per_tps=4).required_for(599), 4)

    def test_goods_move_one_level_down_or_one_up_as_a_return(self) -> None:
        self.assertTrue(rules.may_ship(NodeLevel.PPK, NodeLevel.PPS, False))
        self.assertFalse(rules.may_ship(NodeLevel.WAREHOUSE, NodeLevel.PPS, False))
        self.assertFalse(rules.may_ship(NodeLevel.PPS, NodeLevel.PPK, False))
        self.assertTrue(rules.may_ship(NodeLevel.PPS, NodeLevel.PPK, True))


class SupplyAndStockTest(LogisticsTestCase):
    def test_requirements_are_computed_per_tps_and_summed_per_region(self) -> None:
        rows = {r["item"].code: r for r in selectors.progress(Supply.objects.all(), self.election, None)}
        # two Kukar TPS of 390 voters each: ceil(390 × 1.025) = 400 ballots each
        self.assertEqual(rows["ballot-6402"]["required"], 800)
        self.assertEqual(rows["booth"]["required"], 4 * 2)  # four booths for each Kukar TPS
        self.assertEqual(rows["ballot-6402"]["tps"], 2)
        self.assertNotIn("ballot-6472", rows, "Samarinda's network is not built: no requirement counted yet")

    def test_a_dpt_change_updates_the_requirement_on_rebuild(self) -> None:
        from logistics import actions

        self.tps_sebulu.dpt_male = 300
        self.tps_sebulu.save()
        actions.rebuild_supply(self.election, region="64.02.07")
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=self.items["ballot-6402"]).required, 503)

    def test_stock_at_a_node_is_derived_from_shipments(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"ballot-6402": 1000, "booth": 10})
        self.receive(s, {"ballot-6402": (990, 10, 0), "booth": (10, 0, 0)})
        out = self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"ballot-6402": 400})
        stock = {r["item"].code: r for r in selectors.node_stock(self.ppk_sebulu)}
        self.assertEqual(
            (stock["ballot-6402"]["in"], stock["ballot-6402"]["out"], stock["ballot-6402"]["on_hand"]), (990, 400, 590)
        )
        self.assertEqual(stock["ballot-6402"]["damaged"], 10)
        self.assertEqual(stock["booth"]["on_hand"], 10)
        # a planned shipment does not take stock until it is dispatched
        self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"booth": 5}, dispatched=None)
        stock = {r["item"].code: r for r in selectors.node_stock(self.ppk_sebulu)}
        self.assertEqual(stock["booth"]["on_hand"], 10)
        self.assertEqual(out.status, "dispatched")

    def test_a_tps_is_fully_supplied_when_good_goods_cover_the_requirement(self) -> None:
        pps = self.pps_sebulu_ilir
        s = self.ship(pps, self.kpps_sebulu, {"ballot-6402": 400, "booth": 4})
        self.receive(s, {"ballot-6402": (398, 2, 0), "booth": (4, 0, 0)})
        rows = {r["item"].code: r for r in selectors.progress(Supply.objects.all(), self.election, None)}
        self.assertEqual((rows["booth"]["supplied"], rows["ballot-6402"]["supplied"]), (1, 0))
        self.assertEqual(rows["ballot-6402"]["shortfall"], 402)  # 2 damaged here + 400 for Tenggarong
        self.assertEqual(rows["ballot-6402"]["damaged"], 2)


class RiskTest(LogisticsTestCase):
    def risks(self, now: dt.datetime) -> dict[str, str]:
        with translation.override("en"):
            return {n.name: r for n, r in selectors.at_risk_nodes(self.election, None, now)}

    def test_a_node_is_at_risk_once_its_latest_safe_dispatch_passed(self) -> None:
        self.route_takes(self.ppk_sebulu, 3 * 24 * 60)
        # PPK target H-4 = 23 Nov 23.59; a 3-day road route and 2 h of margin: leave by 20 Nov 21.59
        self.assertNotIn("PPK Sebulu", self.risks(at(20, 21)))
        self.assertEqual(
            self.risks(at(21, 12))["PPK Sebulu"],
            "nothing dispatched yet; to arrive by its target of 23 November 2024 23:59 WITA it had to leave by "
            "20 November 2024 21:59 WITA (3 days on the way and the safety margin)",
        )

    def test_a_node_with_nothing_dispatched_after_its_deadline_says_how_late_it_is(self) -> None:
        self.route_takes(self.ppk_sebulu, 3 * 24 * 60)
        late = at(24, 11) + dt.timedelta(minutes=50)  # the PPK deadline was 23 Nov 23.59
        self.assertEqual(
            self.risks(late)["PPK Sebulu"],
            "nothing dispatched yet; 11 hours 51 minutes past its target of 23 November 2024 23:59 WITA",
        )

    def test_a_dispatched_shipment_expected_after_the_deadline_puts_the_node_at_risk(self) -> None:
        self.route_takes(self.ppk_sebulu, 2 * 24 * 60)
        self.ppk_sebulu.refresh_from_db()
        self.enterContext(override_settings(SINERGI_TODAY="2024-11-22"))  # the desk's day: the dispatch has happened
        self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(22, 9))
        # dispatched 22 Nov 09.00 on a 2-day route: it arrives 24 Nov 09.00, the deadline is 23 Nov 23.59
        self.assertEqual(
            self.risks(at(22, 12))["PPK Sebulu"],
            "expected 9 hours 1 minute after its target of 23 November 2024 23:59 WITA",
        )

    def test_a_received_node_is_not_at_risk(self) -> None:
        self.route_takes(self.ppk_sebulu, 3 * 24 * 60)
        self.ppk_sebulu.refresh_from_db()
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(14))
        self.receive(s, {"booth": (4, 0, 0)}, when=at(17))
        self.assertNotIn("PPK Sebulu", self.risks(at(22, 12)))

    def test_deadlines_follow_the_plan(self) -> None:
        plan = selectors.plan_of(self.election)
        self.assertEqual(selectors.due(self.election, plan, NodeLevel.PPK), at(23, 23) + dt.timedelta(minutes=59))
        self.assertEqual(selectors.due(self.election, plan, NodeLevel.KPPS), at(26, 23) + dt.timedelta(minutes=59))
        self.assertIsNone(selectors.due(self.election, plan, NodeLevel.WAREHOUSE))
        self.route_takes(self.ppk_sebulu, 3 * 24 * 60)
        # saving the plan derives the targets anew: due at the PPK on the 21st, a 3-day route is late on the 19th
        plan = actions.save_plan(None, self.election, {"ppk_due_days": 6})
        self.assertIn("PPK Sebulu", self.risks(at(19)))
        actions.save_plan(None, self.election, {"ppk_due_days": 4}, plan.version)
        self.assertNotIn("PPK Sebulu", self.risks(at(19)))

    def test_without_a_saved_plan_the_default_deadlines_apply_and_nothing_is_written(self) -> None:
        Plan.objects.filter(election=self.election).delete()
        plan = selectors.plan_of(self.election)
        self.assertIsNone(plan.pk)
        self.assertEqual(selectors.due(self.election, plan, NodeLevel.PPK), at(23, 23) + dt.timedelta(minutes=59))
        self.assertFalse(Plan.objects.exists())


class RequirementsFollowTheRegistryTest(LogisticsTestCase):
    def test_editing_a_tps_dpt_updates_its_ballot_requirement(self) -> None:
        from regions import actions as tps_actions

        tps_actions.update_polling_station(self.kpu_operator, self.tps_sebulu, {"dpt_male": 300}, 1)
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=self.items["ballot-6402"]).required, 400)
        jobs.run_all()  # the worker, after the commit
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=self.items["ballot-6402"]).required, 503)

    def test_a_new_tps_gets_its_kpps_node_and_requirements(self) -> None:
        from regions import actions as tps_actions

        tps = tps_actions.create_polling_station(
            self.kpu_operator,
            self.election,
            {"village_id": "64.02.07.2002", "number": "001", "dpt_male": 100, "dpt_female": 100},
        )
        jobs.run_all()
        node = Node.objects.get(polling_station=tps)
        self.assertEqual(node.level, NodeLevel.KPPS)
        self.assertEqual(Supply.objects.get(node=node, item=self.items["ballot-6402"]).required, 205)
        self.assertNotEqual(node.inbound_mode, "", "the new node has its inbound route")
