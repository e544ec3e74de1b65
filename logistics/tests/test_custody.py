"""Custody of the sealed boxes: who holds each box now, on the way down and back after the count.

A box is at the KPU warehouse until it leaves, then on its way, then held by whoever signed the
berita acara for it; after the count it goes back up, never before the polls close and only from
whoever holds it. Polri and the Desk read where every box is.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.test import override_settings

from core.models import AuditEntry
from logistics import actions, selectors
from logistics.models import Package, Shipment
from logistics.tests.base import at
from logistics.tests.test_packages import PackageCase


class CustodyTest(PackageCase):
    def setUp(self) -> None:
        super().setUp()
        # the desk's day is after voting night: the returns below have happened
        self.enterContext(override_settings(SINERGI_TODAY="2024-11-28"))
        self.pack_sebulu()
        self.boxes = self.sebulu_boxes()
        self.n = len(self.boxes)

    def counts(self) -> dict[str, Any]:
        return selectors.custody_counts(Package.objects.filter(pk__in=[b.pk for b in self.boxes]))

    def page(self, persona: Any) -> str:
        self.client.force_login(persona)
        r = self.client.get(f"/logistics/packages/64.02.07/?election={self.election.pk}")
        self.assertEqual(r.status_code, 200)
        return r.content.decode()

    def received_at_ppk(self) -> Shipment:
        s = self.ship_boxes()
        self.hand_over(s, {b.pk: ("intact", {}) for b in self.boxes})
        return s

    def send_back(self, origin: Any, dispatched: Any) -> Shipment:
        s = actions.create_shipment(
            self.kpu_operator, self.election, origin, self.warehouse, {}, is_return=True, packages=self.boxes
        )
        return actions.dispatch_shipment(self.kpu_operator, s, dispatched, s.version)

    def test_packed_boxes_are_at_the_warehouse_then_on_their_way_then_held_by_the_ppk(self) -> None:
        self.assertGreater(self.n, 1)
        self.assertEqual(self.counts()["warehouse"], self.n)
        self.assertIn("Di gudang KPU", self.page(self.polres_officer))
        s = self.ship_boxes()
        self.assertEqual(self.counts()["down"]["on_the_way"], self.n)
        self.assertIn(f"Dalam perjalanan {self.warehouse} → {self.ppk_sebulu}", self.page(self.desk_admin))
        self.hand_over(s, {b.pk: ("intact", {}) for b in self.boxes})
        self.assertEqual(self.counts()["down"]["held"], {2: self.n})
        page = self.page(self.polres_officer)
        self.assertIn(f"Dipegang {self.ppk_sebulu} sejak 15 November 2024", page)
        self.assertIn("diterima oleh Ketua PPK Sebulu", page)

    def test_a_box_goes_back_only_after_the_polls_close(self) -> None:
        self.received_at_ppk()
        before = AuditEntry.objects.filter(action="logistics.shipment_dispatch").count()
        with self.assertRaises(ValidationError) as caught:
            self.send_back(self.ppk_sebulu, at(27, 12))
        self.assertIn("tidak lebih awal dari 27 November 2024 13.00 WITA", self.message(caught.exception))
        self.assertEqual(AuditEntry.objects.filter(action="logistics.shipment_dispatch").count(), before)
        self.assertEqual(self.counts()["back"]["on_the_way"], 0)

    def test_on_voting_night_the_boxes_come_back_and_the_desk_sees_them_on_their_way(self) -> None:
        self.received_at_ppk()
        back = self.send_back(self.ppk_sebulu, at(27, 20))
        self.assertEqual(self.counts()["back"]["on_the_way"], self.n)
        self.assertIn(f"Kembali {self.ppk_sebulu} → {self.warehouse}", self.page(self.desk_admin))
        self.client.force_login(self.kpu_operator)
        data = self.client.get(f"/api/v1/logistics/progress/64.02?election={self.election.pk}").json()
        self.assertEqual(data["custody"]["back"]["on_the_way"], self.n)
        self.assertEqual(back.status, "dispatched")

    def test_only_whoever_holds_a_box_sends_it_back(self) -> None:
        self.received_at_ppk()  # the PPK holds them; the PPS never had them
        ilir = [b for b in self.boxes if b.region_id == self.pps_sebulu_ilir.region_id]
        with self.assertRaises(ValidationError) as caught:
            actions.create_shipment(
                self.kpu_operator,
                self.election,
                self.pps_sebulu_ilir,
                self.ppk_sebulu,
                {},
                is_return=True,
                packages=ilir,
            )
        self.assertIn(f"tidak dipegang oleh {self.pps_sebulu_ilir}", self.message(caught.exception))
        self.assertFalse(Shipment.objects.filter(is_return=True).exists())

    def test_a_return_that_has_not_left_yet_cannot_be_dispatched(self) -> None:
        self.received_at_ppk()
        with override_settings(SINERGI_TODAY="2024-11-27"), self.assertRaises(ValidationError) as caught:
            self.send_back(self.ppk_sebulu, at(28, 9))  # the desk's now is 27 Nov: tomorrow has not happened
        self.assertIn("masa depan", self.message(caught.exception))
        self.assertEqual(self.counts()["back"]["on_the_way"], 0)

    def test_the_camat_reads_the_boxes_of_kukar_as_those_of_their_area(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get(f"/logistics/packages/64.02/?election={self.election.pk}")
        self.assertContains(r, 'data-testid="packages-narrowed"')
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/logistics/packages/64.02/?election={self.election.pk}")
        self.assertNotContains(r, 'data-testid="packages-narrowed"')
