"""Custody of the sealed boxes: who holds each box now, on the way down and back after the count.

A box is at the KPU warehouse until it leaves, then on its way, then held by whoever signed the
berita acara for it; after the count it goes back up, never before the polls close and only from
whoever holds it. Polri and the Desk read where every box is.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings

from agencies.models import ApiToken
from core import dates
from core.models import AuditEntry
from logistics import actions, selectors
from logistics.models import Package, Shipment, ShipmentPackage
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


class HeldBoxesCase(PackageCase):
    """Sebulu's two boxes packed and on their way to PPK Sebulu; the desk's day is after voting night."""

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(SINERGI_TODAY="2024-11-28"))
        self.pack_sebulu()
        self.ilir, self.ulu = self.sebulu_boxes()
        self.to_ppk = self.ship_boxes()

    def leg(self, origin: Any, destination: Any, day: int, **kw: Any) -> Shipment:
        s = actions.create_shipment(
            self.kpu_operator, self.election, origin, destination, {}, packages=[self.ilir], **kw
        )
        return actions.dispatch_shipment(self.kpu_operator, s, at(day, 8), s.version)

    def hand_over_leg(self, s: Shipment, day: int, condition: str = "intact", found: Any = None) -> None:
        actions.record_receipt(
            self.ppk_operator,
            s,
            client_id=uuid.uuid4(),
            received_at=at(day, 10 if day != 27 else 22),
            receiver="Penerima",
            lines={},
            packages={
                pk: (condition, found) if pk == self.ilir.pk else ("intact", None)
                for pk in s.packages.values_list("package_id", flat=True)
            },
            supervisor="PKD Sebulu Ilir",
            escort_officer="Bripka Andi",
        )

    def at_the_tps(self) -> None:
        self.hand_over_leg(self.to_ppk, 15)
        self.hand_over_leg(self.leg(self.ppk_sebulu, self.pps_sebulu_ilir, 25), 25)
        self.hand_over_leg(self.leg(self.pps_sebulu_ilir, self.kpps_sebulu, 26), 26)

    def back_from_the_tps(self, seal: str) -> Shipment:
        return actions.create_shipment(
            self.kpu_operator,
            self.election,
            self.kpps_sebulu,
            self.pps_sebulu_ilir,
            {},
            is_return=True,
            packages=[self.ilir],
            new_seals={self.ilir.pk: seal},
        )


class NewSealTest(HeldBoxesCase):
    """A box is opened for counting on voting day, and the KPPS seals it anew before it goes back;
    a wet box or one with a broken seal is opened before the witnesses and repacked by its holder.
    Each leg's berita acara names the seal the box travelled under; a seal is used once."""

    def test_after_counting_the_kpps_seals_the_box_anew_and_the_way_back_names_it(self) -> None:
        self.at_the_tps()
        packed_seal = self.ilir.seal_number
        back = self.back_from_the_tps("KKR-900001")
        self.ilir.refresh_from_db()
        self.assertEqual(self.ilir.seal_number, "KKR-900001")
        leg = back.packages.get()
        self.assertEqual((leg.seal_number, leg.resealed), ("KKR-900001", True))
        down = ShipmentPackage.objects.get(package=self.ilir, shipment__destination=self.kpps_sebulu)
        self.assertEqual((down.seal_number, down.resealed), (packed_seal, False))
        audit = AuditEntry.objects.get(action="logistics.shipment_create", object_id=str(back.pk))
        self.assertEqual(audit.changes["new_seals"], [None, {str(self.ilir.pk): "KKR-900001"}])
        self.client.force_login(self.desk_admin)
        page = self.client.get(f"/logistics/shipments/{back.pk}/").content.decode()
        self.assertIn("KKR-900001", page)
        self.assertIn('data-testid="new-seal"', page)
        page = self.client.get(f"/logistics/shipments/{down.shipment_id}/berita-acara/").content.decode()
        self.assertIn(packed_seal, page)
        self.assertNotIn("KKR-900001", page)

    def test_a_seal_already_used_or_the_one_opened_is_refused_and_nothing_is_written(self) -> None:
        self.at_the_tps()
        before = (Shipment.objects.count(), self.ilir.seal_number)
        for seal, expected in (
            (self.ulu.seal_number, f"Nomor segel {self.ulu.seal_number} sudah ada pada"),
            (self.ilir.seal_number, "harus berbeda"),
            ("KKR 9", "1 sampai 40 huruf"),
        ):
            with self.subTest(seal=seal), self.assertRaises(ValidationError) as caught:
                self.back_from_the_tps(seal)
            self.assertIn(expected, self.message(caught.exception))
            self.ilir.refresh_from_db()
            self.assertEqual((Shipment.objects.count(), self.ilir.seal_number), before)

    def test_a_kpps_sends_no_box_back_without_its_new_seal(self) -> None:
        self.at_the_tps()
        with self.assertRaises(ValidationError) as caught:
            actions.create_shipment(
                self.kpu_operator,
                self.election,
                self.kpps_sebulu,
                self.pps_sebulu_ilir,
                {},
                is_return=True,
                packages=[self.ilir],
            )
        self.assertIn("dibuka untuk penghitungan: tulis nomor segel baru", self.message(caught.exception))
        self.assertFalse(Shipment.objects.filter(is_return=True).exists())

    def test_the_kepala_desa_does_not_send_boxes_back(self) -> None:
        from django.contrib.auth import get_user_model

        from agencies.models import Agency, AgencyKind, Membership, Role

        self.at_the_tps()
        kades = get_user_model().objects.create(username="kades.sebulu.ilir")
        desa = Agency.objects.create(name="Pemdes Sebulu Ilir", kind=AgencyKind.DESA, region_id="64.02.07.2001")
        Membership.objects.create(user=kades, agency=desa, role=Role.OPERATOR, scope_id="64.02.07.2001")
        self.client.force_login(kades)
        self.assertEqual(self.client.get(f"/logistics/nodes/{self.kpps_sebulu.pk}/send-back/").status_code, 403)
        with self.assertRaises(PermissionDenied):
            actions.create_shipment(
                kades,
                self.election,
                self.kpps_sebulu,
                self.pps_sebulu_ilir,
                {},
                is_return=True,
                packages=[self.ilir],
                new_seals={self.ilir.pk: "KKR-900001"},
            )

    def test_a_box_that_was_not_opened_keeps_its_seal(self) -> None:
        self.hand_over_leg(self.to_ppk, 15)
        with self.assertRaises(ValidationError) as caught:
            self.leg(self.ppk_sebulu, self.pps_sebulu_ilir, 25, new_seals={self.ilir.pk: "KKR-990001"})
        self.assertIn("tetap dengan segelnya", self.message(caught.exception))
        self.assertFalse(ShipmentPackage.objects.filter(resealed=True).exists())

    def test_no_new_seal_before_the_polls_close(self) -> None:
        self.at_the_tps()
        with dates.pinned(at(27, 12)), self.assertRaises(ValidationError) as caught:
            self.back_from_the_tps("KKR-900001")
        self.assertIn("setelah TPS ditutup", self.message(caught.exception))

    def test_a_wet_box_is_repacked_by_the_ppk_under_a_new_seal(self) -> None:
        soaked = {c.item_id: (0, c.quantity) for c in self.ilir.contents.all()}
        self.hand_over_leg(self.to_ppk, 15, condition="wet", found=soaked)
        s = self.leg(self.ppk_sebulu, self.pps_sebulu_ilir, 25, new_seals={self.ilir.pk: "KKR-990001"})
        self.assertEqual(s.packages.get().seal_number, "KKR-990001")

    def test_the_api_records_the_new_seal_on_the_way_back(self) -> None:
        self.at_the_tps()
        client = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.kpu_operator, 't')[1]}")
        body = {
            "origin_id": self.kpps_sebulu.pk,
            "destination_id": self.pps_sebulu_ilir.pk,
            "is_return": True,
            "package_ids": [self.ilir.pk],
            "new_seals": [{"package_id": self.ilir.pk, "seal_number": "KKR-900001"}],
        }
        twice = {**body, "new_seals": body["new_seals"] * 2}  # type: ignore[operator]
        r = client.post("/api/v1/logistics/shipments", json.dumps(twice), content_type="application/json")
        self.assertEqual(r.status_code, 400)
        self.assertIn("lebih dari sekali", " ".join(r.json()["errors"]["new_seals"]))
        r = client.post("/api/v1/logistics/shipments", json.dumps(body), content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        (box,) = r.json()["packages"]
        self.assertEqual((box["seal_number"], box["resealed"]), ("KKR-900001", True))


class SendBackPageTest(HeldBoxesCase):
    """On voting night the holder sends the boxes back from the node page, on a phone."""

    url = "/logistics/nodes/{pk}/send-back/"

    def post(self, node: Any, **data: Any) -> Any:
        self.client.force_login(self.ppk_operator)
        body = {"client_id": str(uuid.uuid4()), "dispatched_at": "2024-11-27T18:00", "note": "", **data}
        return self.client.post(self.url.format(pk=node.pk), body)

    def test_the_kpps_sends_its_box_back_with_the_new_seal_and_a_retry_sends_nothing_twice(self) -> None:
        self.at_the_tps()
        self.client.force_login(self.ppk_operator)
        node_page = self.client.get(f"/logistics/nodes/{self.kpps_sebulu.pk}/").content.decode()
        self.assertIn('data-testid="send-back-link"', node_page)
        page = self.client.get(self.url.format(pk=self.kpps_sebulu.pk)).content.decode()
        self.assertIn(f'name="seal_{self.ilir.pk}"', page)
        client_id = str(uuid.uuid4())
        r = self.post(self.kpps_sebulu, client_id=client_id, **{f"seal_{self.ilir.pk}": "KKR-900001"})
        back = Shipment.objects.get(is_return=True)
        self.assertRedirects(r, f"/logistics/nodes/{self.kpps_sebulu.pk}/")
        self.assertEqual(
            (back.origin, back.destination, back.status), (self.kpps_sebulu, self.pps_sebulu_ilir, "dispatched")
        )
        self.assertEqual(back.dispatched_at, at(27, 18))
        self.assertEqual(back.packages.get().seal_number, "KKR-900001")
        r = self.post(self.kpps_sebulu, client_id=client_id, **{f"seal_{self.ilir.pk}": "KKR-900001"})
        self.assertRedirects(r, f"/logistics/nodes/{self.kpps_sebulu.pk}/")
        self.assertEqual(Shipment.objects.filter(is_return=True).count(), 1)

    def test_a_box_without_its_new_seal_is_refused_and_nothing_is_sent(self) -> None:
        self.at_the_tps()
        r = self.post(self.kpps_sebulu)
        self.assertContains(r, 'data-testid="form-errors"')
        self.assertContains(r, "Bidang ini tidak boleh kosong")
        self.assertFalse(Shipment.objects.filter(is_return=True).exists())

    def test_before_the_polls_close_nothing_leaves(self) -> None:
        self.at_the_tps()
        with dates.pinned(at(27, 12)):
            r = self.post(self.kpps_sebulu, dispatched_at="2024-11-27T12:00", **{f"seal_{self.ilir.pk}": "KKR-900001"})
        self.assertContains(r, "setelah TPS ditutup")
        self.assertFalse(Shipment.objects.filter(is_return=True).exists())
        self.ilir.refresh_from_db()
        self.assertNotEqual(self.ilir.seal_number, "KKR-900001")

    def test_the_ppk_sends_what_it_holds_to_the_warehouse_under_the_same_seals(self) -> None:
        self.hand_over_leg(self.to_ppk, 15)
        r = self.post(self.ppk_sebulu)
        back = Shipment.objects.get(is_return=True)
        self.assertRedirects(r, f"/logistics/nodes/{self.ppk_sebulu.pk}/")
        self.assertEqual(back.destination, self.warehouse)
        self.assertEqual(back.packages.count(), 2)
        self.assertFalse(back.packages.filter(resealed=True).exists())

    def test_the_camat_who_follows_the_boxes_does_not_send_them(self) -> None:
        self.hand_over_leg(self.to_ppk, 15)
        self.client.force_login(self.camat_sebulu)
        self.assertEqual(self.client.get(self.url.format(pk=self.ppk_sebulu.pk)).status_code, 403)
