"""No news is an alert: a shipment with no receipt past its expected arrival plus the plan's
tolerance for its transport becomes overdue, with the TPS and voters waiting below it; a kit at
a TPS before H-1 is a custody warning; returns go back up their own route."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from core.models import AuditEntry
from logistics import actions, rules
from logistics.models import Alert, AlertKind, Node, NodeLevel, Plan, Route, Shipment
from logistics.tests.base import LogisticsTestCase, at

ETA = at(24, 10)  # dispatched at 08.00, two hours by truck (the default route to a road PPK)


class AfterVoting(LogisticsTestCase):
    """The desk's day is after the receipts these tests record (a receipt may not lie in the future)."""

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(SINERGI_TODAY="2024-11-28"))


class OverdueTest(AfterVoting):
    def dispatch_to_sebulu(self) -> Shipment:
        return self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(24, 8))

    def overdue(self) -> list[Alert]:
        return list(Alert.objects.filter(kind=AlertKind.OVERDUE))

    def test_a_shipment_by_road_is_overdue_two_hours_after_its_expected_arrival_not_before(self) -> None:
        s = self.dispatch_to_sebulu()
        self.assertEqual(s.expected_arrival, ETA)  # type: ignore[attr-defined]
        actions.scan_risks(self.election, ETA + dt.timedelta(hours=1, minutes=59))
        self.assertEqual(self.overdue(), [])
        actions.scan_risks(self.election, ETA + dt.timedelta(hours=3, minutes=10))
        (alert,) = self.overdue()
        self.assertEqual(alert.created_at, ETA + dt.timedelta(hours=2))  # when it became overdue, not the scan
        self.assertEqual((alert.node, alert.shipment), (self.ppk_sebulu, s))
        self.assertIn("24 November 2024 10.00 WITA", alert.message)
        self.assertIn("2 jam", alert.message)

    def test_the_next_scans_raise_it_once(self) -> None:
        self.dispatch_to_sebulu()
        actions.scan_risks(self.election, ETA + dt.timedelta(hours=2))
        actions.scan_risks(self.election, ETA + dt.timedelta(hours=5))
        self.assertEqual(len(self.overdue()), 1)

    def test_by_water_the_tolerance_is_six_hours_and_by_air_twelve(self) -> None:
        for mode, hours in (("ketinting", 6), ("longboat", 6), ("helicopter", 12)):
            with self.subTest(mode=mode):
                Shipment.objects.all().delete()  # the previous mode's shipment and its alert
                actions.save_route(None, self.warehouse, self.ppk_sebulu, mode, 120)
                self.ppk_sebulu.refresh_from_db()
                s = self.dispatch_to_sebulu()
                actions.scan_risks(self.election, ETA + dt.timedelta(hours=hours) - dt.timedelta(minutes=1))
                self.assertEqual(self.overdue(), [])
                actions.scan_risks(self.election, ETA + dt.timedelta(hours=hours))
                self.assertEqual([a.shipment for a in self.overdue()], [s])

    def test_the_plan_sets_the_tolerance_of_each_kind_of_transport(self) -> None:
        root = get_user_model().objects.create(username="root", is_superuser=True)
        actions.save_plan(root, self.election, {"overdue_road_minutes": 30})
        self.assertTrue(AuditEntry.objects.filter(action="logistics.plan_update", actor=root).exists())
        self.dispatch_to_sebulu()
        actions.scan_risks(self.election, ETA + dt.timedelta(minutes=30))
        (alert,) = self.overdue()
        self.assertIn("30 menit", alert.message)

    def test_the_receipt_resolves_it_at_the_time_the_goods_arrived(self) -> None:
        s = self.dispatch_to_sebulu()
        actions.scan_risks(self.election, ETA + dt.timedelta(hours=4))
        self.receive(s, {"booth": (4, 0, 0)}, when=ETA + dt.timedelta(hours=7))  # type: ignore[arg-type]
        (alert,) = self.overdue()
        self.assertEqual(alert.resolved_at, ETA + dt.timedelta(hours=7))
        actions.scan_risks(self.election, ETA + dt.timedelta(hours=8))
        self.assertEqual(len(self.overdue()), 1)

    def test_a_shipment_received_in_time_or_still_planned_is_never_overdue(self) -> None:
        s = self.dispatch_to_sebulu()
        self.receive(s, {"booth": (4, 0, 0)}, when=ETA + dt.timedelta(minutes=30))  # type: ignore[arg-type]
        self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4}, dispatched=None)
        actions.scan_risks(self.election, at(26, 12))
        self.assertEqual(self.overdue(), [])

    def test_a_return_is_not_watched_for_news(self) -> None:
        self.ship(self.pps_sebulu_ilir, self.ppk_sebulu, {"booth": 4}, dispatched=at(27, 18), is_return=True)
        actions.scan_risks(self.election, at(28, 18))
        self.assertEqual(self.overdue(), [])


class OverdueOnThePageTest(LogisticsTestCase):
    def test_the_region_page_counts_the_tps_and_voters_waiting_below_an_overdue_shipment(self) -> None:
        self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(18, 6))  # due 08.00, overdue 10.00
        pps = self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"booth": 4}, dispatched=at(17, 8))
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/logistics/64.02/")  # the desk's now: 18 Nov 12.00
        self.assertContains(page, 'data-testid="overdue"')
        self.assertContains(page, "2 pengiriman terlambat")
        rows = page.content.decode().split('data-testid="overdue-row"')[1:]
        self.assertEqual(len(rows), 2)
        # the PPS shipment is the longer overdue: listed first, with its desa's one TPS and 390 voters
        self.assertIn(f"/logistics/shipments/{pps.pk}/", rows[0])
        self.assertIn("PPS Sebulu Ilir", rows[0])
        self.assertIn("1 hari 3 jam", rows[0])  # expected at 17 Nov 09.00 (an hour by car), now 18 Nov 12.00
        self.assertIn('<td class="num"><a href="/logistics/64.02.07.2001/">1</a></td><td class="num">390</td>', rows[0])
        self.assertIn("PPK Sebulu", rows[1])

    def test_a_kpps_shipment_overdue_holds_up_its_own_tps(self) -> None:
        self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {"booth": 4}, dispatched=at(18, 6))
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/logistics/64.02.07/")
        self.assertContains(page, '<td class="num">1</td><td class="num">390</td>', html=False)

    def test_nothing_overdue_shows_no_list(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.assertNotContains(self.client.get("/logistics/64.02/"), 'data-testid="overdue"')

    def test_the_camat_sees_only_what_is_overdue_in_sebulu(self) -> None:
        self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4}, dispatched=at(18, 6))
        self.client.force_login(self.camat_sebulu)
        self.assertNotContains(self.client.get("/logistics/64.02/"), 'data-testid="overdue"')

    def test_the_map_marks_the_overdue_destination(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(18, 6))
        self.client.force_login(self.kpu_operator)
        points = self.client.get("/logistics/64.02/risk.geojson").json()["features"]
        self.assertIn(f"/logistics/shipments/{s.pk}/", [p["properties"]["url"] for p in points])


class PlanBoundsTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.root = get_user_model().objects.create(username="root", is_superuser=True)

    def test_a_tolerance_below_zero_or_above_a_week_is_refused(self) -> None:
        for value in (-5, 7 * 24 * 60 + 1):
            with self.subTest(value=value), self.assertRaises(ValidationError) as caught:
                actions.save_plan(self.root, self.election, {"overdue_water_minutes": value})
            self.assertIn("overdue_water_minutes", caught.exception.message_dict)
        self.assertEqual(Plan.objects.get(election=self.election).overdue_water_minutes, 360)

    def test_an_unknown_setting_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            actions.save_plan(self.root, self.election, {"election": None})

    def test_only_kpu_of_the_elections_region_changes_the_plan(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.save_plan(self.camat_sebulu, self.election, {"overdue_road_minutes": 30})

    def test_a_route_without_a_mode_counts_as_road(self) -> None:
        plan = Plan(election=self.election)
        self.assertEqual(rules.overdue_tolerance(plan, ""), dt.timedelta(hours=2))
        self.assertEqual(rules.overdue_tolerance(plan, "speedboat"), dt.timedelta(hours=6))


class CustodyTest(AfterVoting):
    def kit_to_tps(self, received: dt.datetime) -> None:
        s = self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {"booth": 4}, dispatched=received - dt.timedelta(hours=1))
        self.receive(s, {"booth": (4, 0, 0)}, when=received)

    def test_a_kit_at_the_tps_before_h_minus_1_is_a_custody_warning(self) -> None:
        self.kit_to_tps(at(25, 20))
        (alert,) = Alert.objects.filter(kind=AlertKind.CUSTODY)
        self.assertEqual((alert.node, alert.created_at), (self.kpps_sebulu, at(25, 20)))
        self.assertIn("25 November 2024 20.00 WITA", alert.message)
        self.assertIn("26 November 2024 00.00 WITA", alert.message)

    def test_a_kit_on_h_minus_1_is_no_warning(self) -> None:
        self.kit_to_tps(at(26, 0))
        self.assertFalse(Alert.objects.filter(kind=AlertKind.CUSTODY).exists())

    def test_goods_early_at_a_desa_are_no_custody_matter(self) -> None:
        s = self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"booth": 4}, dispatched=at(14, 8))
        self.receive(s, {"booth": (4, 0, 0)}, when=at(14, 9))
        self.assertFalse(Alert.objects.filter(kind=AlertKind.CUSTODY).exists())


class ReturnsTest(AfterVoting):
    def test_a_return_is_expected_after_the_route_it_came_down_by(self) -> None:
        kpps_minutes = Node.objects.get(pk=self.kpps_sebulu.pk).inbound_minutes
        s = self.ship(self.kpps_sebulu, self.pps_sebulu_ilir, {"box-6402": 1}, dispatched=at(27, 18), is_return=True)
        self.assertEqual(s.expected_arrival, at(27, 18) + dt.timedelta(minutes=kpps_minutes))

    def test_a_return_after_the_deadlines_raises_no_late_alert_and_leaves_the_node_as_it_was(self) -> None:
        s = self.ship(self.kpps_sebulu, self.pps_sebulu_ilir, {"box-6402": 1}, dispatched=at(27, 18), is_return=True)
        self.receive(s, {"box-6402": (1, 0, 0)}, when=at(27, 19))
        self.assertFalse(Alert.objects.exists())
        node = Node.objects.get(pk=self.pps_sebulu_ilir.pk)
        self.assertEqual(node.inbound_state, "none")
        self.assertEqual(node.level, NodeLevel.PPS)
        self.assertTrue(Route.objects.filter(destination=self.kpps_sebulu).exists())
