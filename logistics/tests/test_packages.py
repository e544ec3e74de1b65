"""Sealed packages per TPS and contest, shipped in boxes and handed over with a berita acara.

KPU packs one sealed box per TPS and contest (ballots DPT + 2.5%, the contest's forms, and in the
first box the common supplies), numbered seals from a roll, booths loose. PPK and PPS check the
boxes and the seals, and sign a berita acara serah terima with Bawaslu's supervisor and the escort;
a wet box or one with a broken seal is opened before them and what was inside is counted.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from agencies.models import ApiToken
from core.models import AuditEntry
from logistics import actions
from logistics.models import Package, Receipt, Shipment
from logistics.tests.base import LogisticsTestCase, at
from regions.models import PollingStation, Region
from tests import fixtures

BALLOT, BOX, FORMS = "ballot-6402", "box-6402", "chasil-6402"


class PackageCase(LogisticsTestCase):
    tps_sebulu_ulu: PollingStation
    sebulu: Region
    tenggarong: Region

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # a second TPS in Sebulu: the kecamatan's two boxes travel together
        cls.tps_sebulu_ulu = fixtures.make_tps(cls.election, "64.02.07.2002", "003", dpt_male=150, dpt_female=150)
        cls.sebulu = Region.objects.get(code="64.02.07")
        cls.tenggarong = Region.objects.get(code="64.02.06")

    def pack_sebulu(self, first: int = 101) -> dict[str, int]:
        return actions.pack(self.kpu_operator, self.election, region=self.sebulu, first_seal=first, seal_prefix="KKR-")

    def sebulu_boxes(self) -> list[Package]:
        return list(Package.objects.filter(region__code__startswith="64.02.07").order_by("seal_number"))

    def ship_boxes(self, loose: dict[str, int] | None = None) -> Shipment:
        s = actions.create_shipment(
            self.kpu_operator,
            self.election,
            self.warehouse,
            self.ppk_sebulu,
            {self.items[c]: q for c, q in (loose or {}).items()},
            packages=self.sebulu_boxes(),
        )
        return actions.dispatch_shipment(self.kpu_operator, s, at(14), s.version)

    def hand_over(self, s: Shipment, packages: dict[int, Any], **kw: Any) -> Receipt:
        kw.setdefault("supervisor", "Rahmat, PKD Sebulu Ilir")
        kw.setdefault("escort_officer", "Bripka Andi, Polsek Sebulu")
        return actions.record_receipt(
            self.ppk_operator,
            s,
            client_id=kw.pop("client_id", uuid.uuid4()),
            received_at=at(15),
            receiver="Ketua PPK Sebulu",
            lines=kw.pop("lines", {}),
            packages=packages,
            **kw,
        )

    def message(self, e: ValidationError) -> str:
        return " ".join(e.messages)


class PackingTest(PackageCase):
    def test_kpu_packs_one_sealed_box_per_tps_with_the_ballots_and_their_reserve(self) -> None:
        result = self.pack_sebulu()
        self.assertEqual(result, {"packed": 2, "packages": 2})
        ilir, ulu = self.sebulu_boxes()
        self.assertEqual((ilir.seal_number, ulu.seal_number), ("KKR-000101", "KKR-000102"))
        self.assertEqual(ilir.label, "TPS 001 Sebulu Ilir — Bupati Kukar 2024")
        contents = {c.item.code: c.quantity for c in ilir.contents.all()}
        # DPT 390 + 2.5% = 399.75, rounded up; the common supplies go in the (only) box
        self.assertEqual(contents, {BALLOT: 400, FORMS: 1, "ink": 2, "seal": 1, "envelope": 1, "cable-tie": 12})
        self.assertNotIn("booth", contents)  # booths travel loose
        self.assertEqual({c.item.code: c.quantity for c in ulu.contents.all()}[BALLOT], 308)  # 300 × 1.025
        self.assertEqual(AuditEntry.objects.filter(action="logistics.pack").count(), 2)

    def test_packing_again_packs_nothing_twice(self) -> None:
        self.pack_sebulu()
        self.assertEqual(self.pack_sebulu(), {"packed": 0, "packages": 2})
        self.assertEqual(Package.objects.count(), 2)
        self.assertEqual(AuditEntry.objects.filter(action="logistics.pack").count(), 2)

    def test_a_seal_number_already_used_is_refused_and_nothing_is_packed(self) -> None:
        self.pack_sebulu()
        with self.assertRaises(ValidationError) as e:
            actions.pack(self.kpu_operator, self.election, region=self.tenggarong, first_seal=102, seal_prefix="KKR-")
        self.assertIn(
            "Nomor segel KKR-000102 sudah dipakai pada TPS 003 Sebulu Ulu — Bupati Kukar 2024",
            self.message(e.exception),
        )
        self.assertFalse(Package.objects.filter(region__code__startswith="64.02.06").exists())

    def test_a_whole_kabupaten_is_packed_per_kecamatan(self) -> None:
        with self.assertRaises(ValidationError) as e:
            actions.pack(self.kpu_operator, self.election, region=Region.objects.get(code="64.02"), first_seal=1)
        self.assertIn("Kemas per kecamatan, desa atau TPS.", self.message(e.exception))

    def test_the_camat_may_not_pack(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.pack(self.camat_sebulu, self.election, region=self.sebulu, first_seal=1)
        self.assertFalse(Package.objects.exists())

    def test_kpu_packs_a_kecamatan_on_its_packages_page(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post("/logistics/packages/64.02.07/", {"seal_prefix": "KKR-", "first_seal": 101}, follow=True)
        self.assertContains(r, "KKR-000102")
        self.assertContains(r, "2 kotak dikemas")

    def test_the_kecamatan_logistics_page_links_to_its_sealed_packages(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/logistics/64.02.07/")
        self.assertContains(r, 'href="/logistics/packages/64.02.07/"')


class ShippingTest(PackageCase):
    def test_a_shipment_carries_the_boxes_and_the_booths_loose(self) -> None:
        self.pack_sebulu()
        s = self.ship_boxes({"booth": 8})
        lines = {line.item.code: (line.quantity, line.packed) for line in s.lines.all()}
        self.assertEqual(lines[BALLOT], (708, 708))
        self.assertEqual(lines[BOX], (2, 2))  # the boxes themselves
        self.assertEqual(lines["booth"], (8, 0))
        self.assertEqual(s.packages.count(), 2)

    def test_kpu_sends_the_boxes_below_a_ppk_from_the_shipment_form(self) -> None:
        self.pack_sebulu()
        self.client.force_login(self.kpu_operator)
        r = self.client.post(
            f"/logistics/nodes/{self.warehouse.pk}/ship/",
            {"destination": self.ppk_sebulu.pk, "with_packages": "on", f"qty_{self.items['booth'].pk}": 8},
        )
        self.assertEqual(r.status_code, 302, r.content.decode()[-3000:])
        s = Shipment.objects.get()
        self.assertEqual(sorted(sp.package.seal_number for sp in s.packages.all()), ["KKR-000101", "KKR-000102"])
        page = self.client.get(f"/logistics/shipments/{s.pk}/")
        self.assertContains(page, "KKR-000102")
        self.assertContains(page, "belum diterima")

    def test_a_box_for_a_tps_the_destination_does_not_serve_is_refused(self) -> None:
        actions.pack(self.kpu_operator, self.election, region=self.tenggarong, first_seal=900)
        box = Package.objects.get(region__code__startswith="64.02.06")
        with self.assertRaises(ValidationError) as e:
            actions.create_shipment(
                self.kpu_operator, self.election, self.warehouse, self.ppk_sebulu, {}, packages=[box]
            )
        self.assertIn("bukan dilayani oleh PPK Sebulu", self.message(e.exception))
        self.assertFalse(Shipment.objects.exists())


class HandOverTest(PackageCase):
    def setUp(self) -> None:
        self.pack_sebulu()
        self.shipment = self.ship_boxes({"booth": 8})
        self.ilir, self.ulu = self.sebulu_boxes()

    def assert_nothing_written(self) -> None:
        self.assertFalse(Receipt.objects.exists())
        self.assertEqual(Shipment.objects.get(pk=self.shipment.pk).status, "dispatched")

    def test_the_ppk_receives_two_boxes_one_with_a_broken_seal_opened_and_counted(self) -> None:
        found = {c.item_id: (c.quantity, 0) for c in self.ulu.contents.all()}
        found[self.items[BALLOT].pk] = (300, 3)  # 5 ballots gone
        receipt = self.hand_over(
            self.shipment,
            {self.ilir.pk: ("intact", None), self.ulu.pk: ("seal_broken", found)},
            lines={self.items["booth"]: (8, 0, 0)},
        )
        counts = {line.item.code: (line.received, line.damaged, line.missing) for line in receipt.lines.all()}
        self.assertEqual(counts[BALLOT], (700, 3, 5))
        self.assertEqual(counts[BOX], (1, 1, 0))  # the box with the broken seal
        self.assertEqual(counts["booth"], (8, 0, 0))
        self.assertEqual(Shipment.objects.get(pk=self.shipment.pk).status, "problem")
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/logistics/shipments/{self.shipment.pk}/berita-acara/").content.decode()
        for text in ("KKR-000101", "KKR-000102", "Utuh", "Segel rusak", "Rahmat, PKD Sebulu Ilir", "Bripka Andi"):
            self.assertIn(text, page)

    def test_a_receipt_for_a_box_not_on_the_shipment_is_refused_and_writes_nothing(self) -> None:
        actions.pack(self.kpu_operator, self.election, region=self.tenggarong, first_seal=900)
        other = Package.objects.get(region__code__startswith="64.02.06")
        with self.assertRaises(ValidationError) as e:
            self.hand_over(
                self.shipment,
                {self.ilir.pk: ("intact", None), self.ulu.pk: ("intact", None), other.pk: ("intact", None)},
                lines={self.items["booth"]: (8, 0, 0)},
            )
        self.assertIn(f"Kotak #{other.pk} tidak ada dalam pengiriman #{self.shipment.pk}", self.message(e.exception))
        self.assert_nothing_written()

    def test_an_unknown_condition_is_refused_and_writes_nothing(self) -> None:
        with self.assertRaises(ValidationError) as e:
            self.hand_over(
                self.shipment,
                {self.ilir.pk: ("intact", None), self.ulu.pk: ("dented", None)},
                lines={self.items["booth"]: (8, 0, 0)},
            )
        self.assertIn("“dented” bukan kondisi kotak", self.message(e.exception))
        self.assert_nothing_written()

    def test_a_box_with_a_broken_seal_is_opened_and_counted(self) -> None:
        with self.assertRaises(ValidationError) as e:
            self.hand_over(
                self.shipment,
                {self.ilir.pk: ("intact", None), self.ulu.pk: ("seal_broken", None)},
                lines={self.items["booth"]: (8, 0, 0)},
            )
        self.assertIn("buka di depan para saksi", self.message(e.exception))
        self.assert_nothing_written()

    def test_every_box_is_checked(self) -> None:
        with self.assertRaises(ValidationError) as e:
            self.hand_over(self.shipment, {self.ilir.pk: ("intact", None)}, lines={self.items["booth"]: (8, 0, 0)})
        self.assertIn(
            "TPS 003 Sebulu Ulu — Bupati Kukar 2024 · segel KKR-000102: nyatakan kondisinya", self.message(e.exception)
        )
        self.assert_nothing_written()

    def test_the_berita_acara_is_signed_by_bawaslu_and_the_escort(self) -> None:
        with self.assertRaises(ValidationError) as e:
            self.hand_over(
                self.shipment,
                {self.ilir.pk: ("intact", None), self.ulu.pk: ("intact", None)},
                lines={self.items["booth"]: (8, 0, 0)},
                supervisor="",
            )
        self.assertIn("Nama pengawas Bawaslu wajib diisi", self.message(e.exception))
        self.assert_nothing_written()

    def test_a_phone_resending_the_same_receipt_records_it_once(self) -> None:
        client_id = uuid.uuid4()
        packages = {self.ilir.pk: ("intact", None), self.ulu.pk: ("missing", None)}
        first = self.hand_over(self.shipment, packages, lines={self.items["booth"]: (8, 0, 0)}, client_id=client_id)
        again = self.hand_over(self.shipment, packages, lines={self.items["booth"]: (8, 0, 0)}, client_id=client_id)
        self.assertEqual(first.pk, again.pk)
        other = {self.ilir.pk: ("intact", None), self.ulu.pk: ("intact", None)}
        with self.assertRaises(actions.ReplayConflict):
            self.hand_over(self.shipment, other, lines={self.items["booth"]: (8, 0, 0)}, client_id=client_id)
        self.assertEqual(Receipt.objects.count(), 1)

    def test_ballots_inside_the_boxes_are_not_counted_as_loose_goods(self) -> None:
        with self.assertRaises(ValidationError) as e:
            self.hand_over(
                self.shipment,
                {self.ilir.pk: ("intact", None), self.ulu.pk: ("intact", None)},
                lines={self.items["booth"]: (8, 0, 0), self.items[BALLOT]: (708, 0, 0)},
            )
        self.assertIn("hanya dikirim di dalam kotak tersegel", self.message(e.exception))
        self.assert_nothing_written()

    def test_more_counted_in_an_opened_box_than_was_packed_is_refused(self) -> None:
        found = {c.item_id: (c.quantity, 0) for c in self.ulu.contents.all()}
        found[self.items[BALLOT].pk] = (308, 1)
        with self.assertRaises(ValidationError) as e:
            self.hand_over(
                self.shipment,
                {self.ilir.pk: ("intact", None), self.ulu.pk: ("wet", found)},
                lines={self.items["booth"]: (8, 0, 0)},
            )
        self.assertIn(
            "309 Surat suara — Bupati Kukar 2024 dihitung padahal yang dikemas 308", self.message(e.exception)
        )
        self.assert_nothing_written()

    def test_a_missing_box_counts_everything_in_it_missing(self) -> None:
        receipt = self.hand_over(
            self.shipment,
            {self.ilir.pk: ("intact", None), self.ulu.pk: ("missing", None)},
            lines={self.items["booth"]: (8, 0, 0)},
        )
        counts = {line.item.code: (line.received, line.damaged, line.missing) for line in receipt.lines.all()}
        self.assertEqual(counts[BALLOT], (400, 0, 308))
        self.assertEqual(counts[BOX], (1, 0, 1))


class PhoneFormTest(PackageCase):
    def setUp(self) -> None:
        self.pack_sebulu()
        self.shipment = self.ship_boxes({"booth": 8})
        self.ilir, self.ulu = self.sebulu_boxes()
        self.client.force_login(self.ppk_operator)
        self.url = f"/logistics/shipments/{self.shipment.pk}/"

    def data(self, **extra: Any) -> dict[str, Any]:
        return {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T10:00",
            "receiver": "Ketua PPK Sebulu",
            "supervisor": "Rahmat, PKD",
            "escort_officer": "Bripka Andi",
            f"state_{self.items['booth'].pk}": "intact",
            **extra,
        }

    def test_one_tap_per_box_for_intact_and_only_loose_goods_are_counted(self) -> None:
        html = self.client.get(self.url).content.decode()
        self.assertEqual(html.count('data-testid="receipt-package"'), 2)
        self.assertEqual(html.count('data-testid="receipt-line"'), 1)  # the booths
        r = self.client.post(
            self.url, self.data(**{f"package_{self.ilir.pk}": "intact", f"package_{self.ulu.pk}": "intact"})
        )
        self.assertEqual(r.status_code, 302, r.content.decode()[:2000])
        self.assertEqual(Shipment.objects.get(pk=self.shipment.pk).status, "received")

    def test_an_opened_box_without_counts_keeps_the_form_with_the_reason(self) -> None:
        r = self.client.post(
            self.url, self.data(**{f"package_{self.ilir.pk}": "intact", f"package_{self.ulu.pk}": "wet"})
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "buka di depan para saksi")
        self.assertFalse(Receipt.objects.exists())


class PackageApiTest(PackageCase):
    def setUp(self) -> None:
        self.kpu = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.kpu_operator, 't')[1]}")
        self.ppk = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.ppk_operator, 't')[1]}")

    def post(self, client: Client, url: str, data: Any) -> Any:
        return client.post(url, json.dumps(data), content_type="application/json")

    def test_kpu_packs_ships_and_the_ppk_reports_each_box_through_the_api(self) -> None:
        r = self.post(self.kpu, "/api/v1/logistics/packages/pack", {"region": "64.02.07", "first_seal": 7})
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json(), {"packed": 2, "packages": 2})
        ids = [p.pk for p in self.sebulu_boxes()]
        r = self.post(
            self.kpu,
            "/api/v1/logistics/shipments",
            {"origin_id": self.warehouse.pk, "destination_id": self.ppk_sebulu.pk, "lines": [], "package_ids": ids},
        )
        self.assertEqual(r.status_code, 201, r.content)
        shipment = Shipment.objects.get(pk=r.json()["id"])
        self.assertEqual([p["seal_number"] for p in r.json()["packages"]], ["000007", "000008"])
        actions.dispatch_shipment(self.kpu_operator, shipment, at(14), shipment.version)
        receipt = {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T09:00:00+08:00",
            "receiver": "Ketua PPK Sebulu",
            "supervisor": "PKD Sebulu",
            "escort_officer": "Bripka Andi",
            "lines": [],
            "packages": [{"package_id": ids[0], "condition": "intact"}, {"package_id": ids[1], "condition": "wet"}],
        }
        r = self.post(self.ppk, f"/api/v1/logistics/shipments/{shipment.pk}/receipt", receipt)
        self.assertEqual(r.status_code, 400)
        self.assertIn("buka di depan para saksi", " ".join(r.json()["errors"]["packages"]))
        receipt["packages"][1]["found"] = [  # type: ignore[index]
            {"item_code": c.item.code, "good": c.quantity} for c in Package.objects.get(pk=ids[1]).contents.all()
        ]
        r = self.post(self.ppk, f"/api/v1/logistics/shipments/{shipment.pk}/receipt", receipt)
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual([p["condition"] for p in r.json()["packages"]], ["intact", "wet"])
        detail = self.kpu.get(f"/api/v1/logistics/shipments/{shipment.pk}").json()
        self.assertEqual([p["condition"] for p in detail["packages"]], ["intact", "wet"])
        listed = self.kpu.get("/api/v1/logistics/packages?region=64.02.07").json()
        self.assertEqual([p["condition"] for p in listed["items"]], ["intact", "wet"])

    def test_kpu_packs_one_tps_through_the_api_and_a_reused_seal_is_refused(self) -> None:
        self.pack_sebulu()
        r = self.post(
            self.kpu,
            "/api/v1/logistics/packages/pack",
            {"tps_id": self.tps_tenggarong.pk, "first_seal": 101, "seal_prefix": "KKR-"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("Nomor segel KKR-000101 sudah dipakai", " ".join(r.json()["errors"]["first_seal"]))
        r = self.post(
            self.kpu,
            "/api/v1/logistics/packages/pack",
            {"tps_id": self.tps_tenggarong.pk, "first_seal": 103, "seal_prefix": "KKR-"},
        )
        self.assertEqual((r.status_code, r.json()), (201, {"packed": 1, "packages": 1}))

    def test_an_unknown_condition_code_gets_an_indonesian_message_through_the_api(self) -> None:
        self.pack_sebulu()
        s = self.ship_boxes()
        box = self.sebulu_boxes()[0]
        r = self.post(
            self.ppk,
            f"/api/v1/logistics/shipments/{s.pk}/receipt",
            {
                "client_id": str(uuid.uuid4()),
                "received_at": "2024-11-15T09:00:00+08:00",
                "receiver": "Ketua PPK",
                "supervisor": "PKD",
                "escort_officer": "Bripka Andi",
                "lines": [],
                "packages": [{"package_id": box.pk, "condition": "rusak"}],
            },
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("“rusak” bukan kondisi kotak", " ".join(r.json()["errors"]["packages"]))
        self.assertFalse(Receipt.objects.exists())

    def test_logistics_status_counts_the_boxes_by_condition(self) -> None:
        self.pack_sebulu()
        s = self.ship_boxes()
        ilir, ulu = self.sebulu_boxes()
        self.hand_over(s, {ilir.pk: ("intact", None), ulu.pk: ("missing", None)})
        out = io.StringIO()
        call_command("logistics_status", "64.02.07", "--json", "--election", str(self.election.pk), stdout=out)
        packages = json.loads(out.getvalue())["packages"]
        self.assertEqual(packages, {"total": 2, "intact": 1, "wet": 0, "seal_broken": 0, "missing": 1, "none": 0})
