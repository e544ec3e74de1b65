"""The Kukar logistics scenario at each moment of the demo clock: nothing shown before it happened.

KPU Kukar started distribution on 24 Nov 2024 (H-3), upstream first and Tenggarong last; kits
reach the TPS on H-1; boxes come back after counting. The demo is loaded once (slow); each test
moves the clock as the Desk admin does in the banner.
"""

from __future__ import annotations

import datetime as dt
import io

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import F, Max, QuerySet
from django.test import TestCase, override_settings

from core import demo
from core.models import AuditEntry
from core.registry import registry
from core.scoping import subtree_q
from elections import demo as elections_demo
from elections.models import Election
from logistics import demo as scenario
from logistics import selectors
from logistics.models import (
    Alert,
    AlertKind,
    InboundState,
    Node,
    NodeLevel,
    Package,
    PackageCondition,
    Receipt,
    ReceiptLine,
    ReceiptPackage,
    Shipment,
    ShipmentPackage,
    ShipmentStatus,
    Supply,
)

H_9, H_2, VOTING_NIGHT, BEFORE_PSU = (m for m, _ in demo.MOMENTS)
KENOHAN, MUARA_WIS, TABANG, TENGGARONG = "64.02.09", "64.02.18", "64.02.12", "64.02.06"


def local(t: dt.datetime) -> dt.datetime:
    return t.astimezone(demo.WITA)


@override_settings(DEMO=True)
class KukarLogisticsScenarioTest(TestCase):
    election: Election
    desk: object

    @classmethod
    def setUpTestData(cls) -> None:
        call_command("load_demo", stdout=io.StringIO())
        cls.election = Election.objects.get(name=elections_demo.ELECTION_NAME)
        cls.desk = get_user_model().objects.get(username="desk.kukar")

    def switch(self, moment: dt.datetime) -> None:
        demo.set_moment(self.desk, moment)

    def forward(self) -> QuerySet[Shipment]:
        return Shipment.objects.filter(election=self.election, is_return=False)

    def to_ppk(self, kec: str) -> Shipment:
        return self.forward().get(destination__level=NodeLevel.PPK, destination__region_id=kec, replacement_for=None)

    def assert_nothing_after(self, moment: dt.datetime) -> None:
        """No record of the scenario is dated after the moment shown."""
        self.assertFalse(Shipment.objects.filter(dispatched_at__gt=moment).exists())
        self.assertFalse(Receipt.objects.filter(received_at__gt=moment).exists())
        self.assertFalse(Alert.objects.filter(created_at__gt=moment).exists())
        self.assertFalse(Package.objects.filter(packed_at__gt=moment).exists())
        shipments = ContentType.objects.get_for_model(Shipment)
        latest = AuditEntry.objects.filter(content_type=shipments).aggregate(at=Max("at"))["at"]
        self.assertTrue(latest is None or latest <= moment, latest)

    def assert_every_late_shipment_is_alerted(self, moment: dt.datetime) -> None:
        late = {o.shipment.pk for o in selectors.overdue_shipments(self.election, None, moment)}
        alerted = set(
            Alert.objects.filter(kind=AlertKind.OVERDUE, resolved_at__isnull=True).values_list("shipment_id", flat=True)
        )
        self.assertEqual(late, alerted)

    def test_on_18_november_nothing_has_left_the_warehouse(self) -> None:
        self.assertEqual(demo.current_moment(), H_9)
        # packing is under way, in the order the kecamatan will leave: the upstream group's boxes
        # are sealed and their shipments planned, Tenggarong's are not packed yet
        planned = self.forward()
        self.assertTrue(0 < planned.count() < 20)
        self.assertEqual(set(planned.values_list("status", flat=True)), {ShipmentStatus.PLANNED})
        packed_kec = {code[:8] for code in Package.objects.values_list("region_id", flat=True)}
        self.assertLessEqual(set(scenario.UPSTREAM), packed_kec)
        self.assertNotIn(TENGGARONG, packed_kec)
        # a kecamatan's shipment is planned an hour after its boxes are sealed
        self.assertLessEqual(len(packed_kec - {s.destination.region_id for s in planned}), 1)
        for shipment in planned:  # each carries every box of its kecamatan, and the booths loose
            boxes = Package.objects.filter(subtree_q("region", shipment.destination.region_id))
            self.assertEqual(shipment.packages.count(), boxes.count())
            self.assertEqual({ln.item.kind for ln in shipment.lines.filter(packed=0)}, {"booth"})
        self.assertFalse(Receipt.objects.exists())
        self.assertFalse(Alert.objects.exists())
        self.assertFalse(Node.objects.exclude(inbound_state=InboundState.NONE).exists())
        self.assert_nothing_after(H_9)
        self.client.force_login(self.desk)  # type: ignore[arg-type]
        page = self.client.get("/logistics/64.02/")
        self.assertContains(page, 'data-testid="logistics-illustrative"')
        self.assertContains(page, 'data-testid="prov-illustrative"')
        self.assertContains(page, "Skenario distribusi logistik Pilkada 2024 di Kutai Kartanegara")

    def test_at_noon_on_25_november_upstream_has_its_goods_and_tenggarong_waits(self) -> None:
        self.switch(H_2)
        left = {kec: self.to_ppk(kec).dispatched_at or BEFORE_PSU for kec in scenario.UPSTREAM + scenario.COAST}
        for kec in scenario.UPSTREAM:
            self.assertIn(self.to_ppk(kec).status, (ShipmentStatus.RECEIVED, ShipmentStatus.PROBLEM), kec)
            self.assertEqual(local(left[kec]).date(), dt.date(2024, 11, 24))  # H-3, as KPU Kukar planned
        # hardest to reach first: every upstream kecamatan left before any on the coast
        self.assertLess(max(left[k] for k in scenario.UPSTREAM), min(left[k] for k in scenario.COAST))
        self.assertEqual(self.to_ppk(TENGGARONG).status, ShipmentStatus.PLANNED)
        # part of the upstream desa have theirs, others are on the way
        desa = self.forward().filter(subtree_q("destination__region", TABANG), destination__level=NodeLevel.PPS)
        self.assertTrue(desa.filter(status=ShipmentStatus.RECEIVED).exists())
        self.assertTrue(desa.filter(status=ShipmentStatus.DISPATCHED).exists())
        # a boat to a Kenohan desa is overdue, and the desk was told when it became so
        (overdue,) = Alert.objects.filter(kind=AlertKind.OVERDUE, resolved_at__isnull=True)
        self.assertTrue(overdue.node.region_id.startswith(KENOHAN + "."))
        self.assertEqual(overdue.node.level, NodeLevel.PPS)
        assert overdue.shipment is not None and overdue.shipment.expected_arrival is not None
        self.assertEqual(overdue.created_at, overdue.shipment.expected_arrival + dt.timedelta(hours=6))
        self.assert_every_late_shipment_is_alerted(H_2)
        # Muara Wis reported a wet box, opened before the witnesses: its ballots soaked; the
        # new ballots (and a dry box) are on the river
        (wet_box,) = ReceiptPackage.objects.filter(receipt__shipment=self.to_ppk(MUARA_WIS)).exclude(
            condition=PackageCondition.INTACT
        )
        self.assertEqual(wet_box.condition, PackageCondition.WET)
        self.assertEqual(wet_box.package.contest.region_id, "64")  # the governor's box
        soaked = ReceiptLine.objects.filter(receipt__shipment=self.to_ppk(MUARA_WIS), damaged__gt=0)
        self.assertEqual({ln.item.kind for ln in soaked}, {"ballot", "box"})
        self.assertEqual(self.to_ppk(MUARA_WIS).status, ShipmentStatus.PROBLEM)
        replacement = self.forward().get(replacement_for=self.to_ppk(MUARA_WIS))
        self.assertEqual(replacement.status, ShipmentStatus.DISPATCHED)
        self.assertEqual({ln.item.kind for ln in replacement.lines.all()}, {"ballot", "box"})
        # Tabang's air-served desa wait for the helicopter: at risk
        at_risk = Alert.objects.filter(kind=AlertKind.AT_RISK, resolved_at__isnull=True)
        self.assertTrue(at_risk.exists())
        self.assertTrue(all(a.node.region_id.startswith(TABANG + ".") for a in at_risk))
        # no kit has reached a TPS: that happens on H-1
        self.assertFalse(self.forward().filter(destination__level=NodeLevel.KPPS).exclude(status="planned").exists())
        self.assert_nothing_after(H_2)
        self.client.force_login(self.desk)  # type: ignore[arg-type]
        page = self.client.get("/logistics/64.02/")
        self.assertContains(page, 'data-testid="overdue-row"', count=1)
        self.assertContains(page, overdue.node.name)

    def test_on_voting_night_every_tps_has_its_kit_and_boxes_come_back_and_going_back_removes_them(self) -> None:
        self.switch(VOTING_NIGHT)
        kpps = Node.objects.filter(election=self.election, level=NodeLevel.KPPS)
        self.assertFalse(kpps.exclude(inbound_state=InboundState.RECEIVED).exists())
        self.assertFalse(Supply.objects.filter(election=self.election, received__lt=F("required")).exists())
        received = Receipt.objects.filter(shipment__destination__level=NodeLevel.KPPS, shipment__is_return=False)
        self.assertEqual(received.count(), kpps.count())
        self.assertEqual({local(r.received_at).date() for r in received}, {dt.date(2024, 11, 26)})  # H-1 only
        self.assertFalse(Alert.objects.filter(kind=AlertKind.CUSTODY).exists())
        returns = Shipment.objects.filter(election=self.election, is_return=True)
        self.assertTrue(returns.filter(status=ShipmentStatus.RECEIVED).exists())
        self.assertTrue(returns.filter(status=ShipmentStatus.DISPATCHED).exists())
        self.assertFalse(returns.filter(origin__level=NodeLevel.PPK).exists())  # the PPK recap comes first
        # each KPPS sealed its boxes anew after counting; the berita acara of the way back names
        # the new seal, the box keeps it
        from_tps = ShipmentPackage.objects.filter(shipment__in=returns.filter(origin__level=NodeLevel.KPPS))
        self.assertTrue(from_tps.exists())
        self.assertFalse(from_tps.filter(resealed=False).exists())
        for sp in from_tps.select_related("package")[:20]:
            down = ShipmentPackage.objects.get(package=sp.package, shipment__destination__level=NodeLevel.KPPS)
            self.assertNotEqual(sp.seal_number, down.seal_number)
            self.assertEqual(sp.package.seal_number, sp.seal_number)
        # the wet box went on to its desa repacked with the new ballots, under a new seal
        (repacked,) = ShipmentPackage.objects.filter(resealed=True, shipment__is_return=False)
        self.assertEqual(repacked.shipment.destination.level, NodeLevel.PPS)
        self.assertEqual(
            ReceiptPackage.objects.get(package=repacked.package, receipt__shipment=repacked.shipment).condition,
            PackageCondition.INTACT,
        )
        self.assertFalse(Alert.objects.filter(kind=AlertKind.OVERDUE, resolved_at__isnull=True).exists())
        self.assert_every_late_shipment_is_alerted(VOTING_NIGHT)
        self.assert_nothing_after(VOTING_NIGHT)
        for builder in registry.summaries:
            self.assertEqual(builder.check(), [], builder.name)

        self.switch(H_9)
        self.assertEqual(set(Shipment.objects.values_list("status", flat=True)), {ShipmentStatus.PLANNED})
        self.assertFalse(Receipt.objects.exists())
        self.assertFalse(Alert.objects.exists())
        self.assertFalse(Supply.objects.filter(received__gt=0).exists())
        self.assert_nothing_after(H_9)

    def test_before_the_psu_everything_was_delivered_and_has_come_back_to_the_warehouse(self) -> None:
        self.switch(BEFORE_PSU)
        self.assertEqual(
            set(Shipment.objects.values_list("status", flat=True)), {ShipmentStatus.RECEIVED, ShipmentStatus.PROBLEM}
        )
        back = Shipment.objects.filter(is_return=True, destination__level=NodeLevel.WAREHOUSE)
        self.assertEqual(back.filter(status=ShipmentStatus.RECEIVED).count(), 20)
        self.assertFalse(
            Alert.objects.filter(resolved_at__isnull=True)
            .exclude(kind=AlertKind.PROBLEM)
            .exclude(kind=AlertKind.LATE)
            .exists()
        )
        self.assert_nothing_after(BEFORE_PSU)
