"""Shipments and receipts: each bad input refused with a clear message and nothing written."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import translation
from PIL import Image

from agencies.models import Agency, ApiToken
from core import jobs
from core.actions import ConcurrentEditError
from core.models import AuditEntry
from logistics import actions
from logistics.models import Alert, Receipt, Shipment, ShipmentLine, Supply
from logistics.tests.base import LogisticsTestCase, at


def png(size: int = 8) -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", (size, size), "white").save(buf, "PNG")
    return SimpleUploadedFile("receipt.png", buf.getvalue(), content_type="image/png")


class ShipmentRulesTest(LogisticsTestCase):
    def assert_refused(self, fn: Any, *expected: str) -> ValidationError:
        counts = Shipment.objects.count(), ShipmentLine.objects.count(), Receipt.objects.count(), Alert.objects.count()
        with translation.override("en"), self.assertRaises(ValidationError) as ctx:
            fn()
        text = " ".join(ctx.exception.messages)
        for piece in expected:
            self.assertIn(piece, text)
        after = Shipment.objects.count(), ShipmentLine.objects.count(), Receipt.objects.count(), Alert.objects.count()
        self.assertEqual(after, counts, "nothing written")
        return ctx.exception

    def test_zero_or_negative_quantities_are_refused(self) -> None:
        self.assert_refused(lambda: self.ship(self.warehouse, self.ppk_sebulu, {"booth": 0}), "above zero")
        self.assert_refused(lambda: self.ship(self.warehouse, self.ppk_sebulu, {"booth": -3}), "above zero")

    def test_a_shipment_that_skips_a_level_is_refused(self) -> None:
        self.assert_refused(lambda: self.ship(self.warehouse, self.pps_sebulu_ilir, {"booth": 4}), "next level down")

    def test_going_backwards_needs_the_return_mark(self) -> None:
        self.assert_refused(lambda: self.ship(self.pps_sebulu_ilir, self.ppk_sebulu, {"booth": 4}), "return")
        s = self.ship(self.pps_sebulu_ilir, self.ppk_sebulu, {"booth": 4}, dispatched=None, is_return=True)
        self.assertTrue(s.is_return)

    def test_a_node_outside_the_origins_area_is_refused(self) -> None:
        self.assert_refused(lambda: self.ship(self.ppk_tenggarong, self.pps_sebulu_ilir, {"booth": 4}), "not served")

    def test_an_item_of_another_election_is_refused(self) -> None:
        from elections.models import Election

        other = Election.objects.create(name="Pemilu 2029", kind="pemilu", voting_date="2029-02-14")
        foreign = actions.default_catalogue(other)[0]
        self.assert_refused(
            lambda: actions.create_shipment(
                self.kpu_operator, self.election, self.warehouse, self.ppk_sebulu, {foreign: 5}
            ),
            "Unknown item",
        )

    def test_receiving_more_than_was_shipped_is_refused(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.assert_refused(lambda: self.receive(s, {"booth": (4, 1, 0)}), "5 counted but only 4 were shipped")

    def test_a_receipt_before_the_dispatch_is_refused(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(15, 10))
        self.assert_refused(lambda: self.receive(s, {"booth": (4, 0, 0)}, when=at(15, 8)), "before the dispatch")

    def test_a_second_receipt_is_refused_but_a_retry_is_idempotent(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        key = uuid.uuid4()
        first = self.receive(s, {"booth": (4, 0, 0)}, client_id=key)
        s.refresh_from_db()
        self.assertEqual(self.receive(s, {"booth": (4, 0, 0)}, client_id=key).pk, first.pk)
        self.assert_refused(lambda: self.receive(s, {"booth": (4, 0, 0)}), "already been received")

    def test_a_photo_that_is_not_an_image_is_refused(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        fake = SimpleUploadedFile("receipt.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        self.assert_refused(lambda: self.receive(s, {"booth": (4, 0, 0)}, photo=fake), "not an image")

    def test_a_photo_over_the_size_limit_is_refused(self) -> None:
        plan = actions.plan_for(self.election)
        plan.photo_max_bytes = 100
        plan.save()
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.assert_refused(lambda: self.receive(s, {"booth": (4, 0, 0)}, photo=png(64)), "the limit is")

    def test_a_good_receipt_with_a_photo_is_stored(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        receipt = self.receive(s, {"booth": (4, 0, 0)}, photo=png())
        s.refresh_from_db()
        self.assertEqual(s.status, "received")
        self.assertTrue(receipt.photo.name.startswith("receipts/"))
        self.assertTrue(AuditEntry.objects.filter(action="logistics.receipt", object_id=str(s.pk)).exists())

    def test_damage_makes_a_problem_an_alert_and_a_replacement(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"ballot-6402": 500})
        self.receive(s, {"ballot-6402": (450, 30, 20)})
        s.refresh_from_db()
        self.assertEqual(s.status, "problem")
        self.assertTrue(Alert.objects.filter(kind="problem", shipment=s).exists())
        replacement = actions.request_replacement(self.kpu_operator, s)
        self.assertEqual({ln.item.code: ln.quantity for ln in replacement.lines.all()}, {"ballot-6402": 50})
        self.assertEqual(replacement.replacement_for, s)

    @override_settings(SINERGI_TODAY="2024-11-25")  # the desk's now is after the receipt
    def test_a_late_receipt_raises_an_alert(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(23, 9))
        self.receive(s, {"booth": (4, 0, 0)}, when=at(24, 9))
        self.assertTrue(Alert.objects.filter(kind="late", node=self.ppk_sebulu).exists())

    def test_a_stale_dispatch_is_refused(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=None)
        actions.dispatch_shipment(self.kpu_operator, s, at(14), s.version)
        s.refresh_from_db()
        s.status = "planned"  # as seen in a stale form
        audit_rows = AuditEntry.objects.count()
        with self.assertRaises(ConcurrentEditError):  # not any ValidationError: the version is what refuses it
            actions.dispatch_shipment(self.kpu_operator, s, at(15), 1)
        fresh = Shipment.objects.get(pk=s.pk)
        self.assertEqual((fresh.version, fresh.dispatched_at), (2, at(14)), "nothing was written")
        self.assertEqual(AuditEntry.objects.count(), audit_rows)

    def test_tps_receipts_update_the_supply_rows(self) -> None:
        s = self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {"booth": 4})
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=self.items["booth"]).dispatched, 4)
        self.receive(s, {"booth": (3, 1, 0)})
        sup = Supply.objects.get(node=self.kpps_sebulu, item=self.items["booth"])
        self.assertEqual((sup.received, sup.damaged), (3, 1))


class LogisticsAccessTest(LogisticsTestCase):
    def test_kpu_writes_the_others_only_read(self) -> None:
        for persona in ("desk_admin", "bawaslu_investigator", "polres_officer", "camat_sebulu", "ppk_operator"):
            user = getattr(self, persona)
            with self.subTest(persona=persona), self.assertRaises(PermissionDenied):
                actions.create_shipment(user, self.election, self.warehouse, self.ppk_sebulu, {self.items["booth"]: 4})
        self.assertEqual(Shipment.objects.count(), 0)

    def test_the_ppk_confirms_receipts_only_in_its_kecamatan(self) -> None:
        mine = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        theirs = self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4})
        self.receive(mine, {"booth": (4, 0, 0)}, actor=self.ppk_operator)
        with self.assertRaises(PermissionDenied):
            self.receive(theirs, {"booth": (4, 0, 0)}, actor=self.ppk_operator)
        self.assertFalse(Receipt.objects.filter(shipment=theirs).exists())

    def test_pages_follow_the_scope(self) -> None:
        s = self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4})
        expected = {
            "desk_admin": 200,
            "kpu_operator": 200,
            "bawaslu_investigator": 200,
            "polres_officer": 200,
            "camat_sebulu": 404,
            "ppk_operator": 404,
        }
        for persona, status in expected.items():
            with self.subTest(persona=persona):
                self.client.force_login(getattr(self, persona))
                self.assertEqual(self.client.get(f"/logistics/shipments/{s.pk}/").status_code, status)
                self.assertEqual(self.client.get("/logistics/64.02/").status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get("/logistics/64.02/").status_code, 302)

    def test_the_receipt_form_records_the_counts(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4, "ink": 2})
        self.client.force_login(self.ppk_operator)
        page = self.client.get(f"/logistics/shipments/{s.pk}/")
        self.assertContains(page, 'data-testid="receipt-form"')
        data = {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T10:00",
            "receiver": "Ketua PPK Sebulu",
            f"state_{self.items['booth'].pk}": "intact",
            f"state_{self.items['ink'].pk}": "short",
            f"good_{self.items['ink'].pk}": 1,
            f"damaged_{self.items['ink'].pk}": 1,
            "photo": png(),
        }
        r = self.client.post(f"/logistics/shipments/{s.pk}/", data)
        self.assertRedirects(r, f"/logistics/shipments/{s.pk}/")
        s.refresh_from_db()
        self.assertEqual(s.status, "problem")
        counts = {ln.item.code: (ln.received, ln.damaged, ln.missing) for ln in Receipt.objects.get().lines.all()}
        self.assertEqual(counts, {"booth": (4, 0, 0), "ink": (1, 1, 0)})  # intact: what was shipped

    def test_the_receipt_form_shows_the_error_for_too_many(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.client.force_login(self.ppk_operator)
        data = {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T10:00",
            "receiver": "Ketua PPK",
            f"state_{self.items['booth'].pk}": "short",
            f"good_{self.items['booth'].pk}": 9,
        }
        r = self.client.post(f"/logistics/shipments/{s.pk}/", data)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "hanya 4 yang dikirim")
        self.assertFalse(Receipt.objects.exists())


class LogisticsApiTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.kpu = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.kpu_operator, 't')[1]}")
        self.ppk = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.ppk_operator, 't')[1]}")

    def post(self, client: Client, url: str, body: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json")

    def test_a_shipment_is_created_dispatched_and_received_idempotently(self) -> None:
        r = self.post(
            self.kpu,
            "/api/v1/logistics/shipments",
            {
                "origin_id": self.warehouse.pk,
                "destination_id": self.ppk_sebulu.pk,
                "lines": [{"item_code": "booth", "quantity": 8}],
                "client_id": str(uuid.uuid4()),
                "escort_agency_id": Agency.objects.get(name="Polres Kukar").pk,
            },
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertIsNotNone(r.json()["escort_id"])
        sid = r.json()["id"]
        r = self.post(
            self.kpu,
            f"/api/v1/logistics/shipments/{sid}/dispatch",
            {"version": 1, "dispatched_at": "2024-11-14T08:00:00+08:00"},
        )
        self.assertEqual(r.json()["status"], "dispatched")
        body = {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T08:00:00+08:00",
            "receiver": "Ketua PPK",
            "lines": [{"item_code": "booth", "received": 8}],
        }
        first = self.post(self.ppk, f"/api/v1/logistics/shipments/{sid}/receipt", body)
        again = self.post(self.ppk, f"/api/v1/logistics/shipments/{sid}/receipt", body)
        self.assertEqual(first.status_code, 201, first.content)
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(Receipt.objects.count(), 1)

    def test_unknown_item_and_unknown_node_are_refused(self) -> None:
        r = self.post(
            self.kpu,
            "/api/v1/logistics/shipments",
            {
                "origin_id": self.warehouse.pk,
                "destination_id": self.ppk_sebulu.pk,
                "lines": [{"item_code": "payung", "quantity": 8}],
            },
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("lines", r.json()["errors"])
        r = self.post(
            self.kpu,
            "/api/v1/logistics/shipments",
            {
                "origin_id": self.warehouse.pk,
                "destination_id": 999999,
                "lines": [{"item_code": "booth", "quantity": 8}],
            },
        )
        self.assertEqual(r.status_code, 404)
        self.assertEqual(Shipment.objects.count(), 0)

    def test_progress_by_region(self) -> None:
        r = self.kpu.get("/api/v1/logistics/progress/64.02")
        items = {i["item_code"]: i for i in r.json()["items"]}
        self.assertEqual(items["ballot-6402"]["required"], 800)
        self.assertEqual(r.json()["levels"][0]["level"], 2)


class LogisticsStatusCommandTest(LogisticsTestCase):
    def test_it_prints_per_item_figures_and_the_nodes_at_risk(self) -> None:
        out = io.StringIO()
        call_command("logistics_status", "64.02", stdout=out)
        self.assertIn("ballot-6402", out.getvalue())
        self.assertIn("800", out.getvalue())
        out = io.StringIO()
        call_command("logistics_status", "64.02", "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual({i["item_code"]: i["required"] for i in data["items"]}["booth"], 8)
        self.assertIn("at_risk", data)


class CatalogueTest(LogisticsTestCase):
    def test_kpu_changes_the_reserve_and_the_requirements_follow(self) -> None:
        ballot = self.items["ballot-6402"]
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/logistics/catalogue/")
        self.assertContains(page, "ballot-6402")
        r = self.client.post(
            f"/logistics/catalogue/{ballot.pk}/",
            {
                "name": ballot.name,
                "unit": "lembar",
                "per_voter": "on",
                "reserve_percent": "2.0",
                "per_tps": 0,
                "order": ballot.order,
                "version": ballot.version,
            },
        )
        self.assertRedirects(r, "/logistics/catalogue/")
        jobs.run_all()  # the worker recomputes the requirements after the commit
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=ballot).required, 398)  # ceil(390 × 1.02)
        self.assertTrue(AuditEntry.objects.filter(action="logistics.item_update", object_id=str(ballot.pk)).exists())

    def test_a_reserve_above_fifty_percent_is_refused(self) -> None:
        ballot = self.items["ballot-6402"]
        self.client.force_login(self.kpu_operator)
        r = self.client.post(
            f"/logistics/catalogue/{ballot.pk}/",
            {
                "name": ballot.name,
                "unit": "lembar",
                "per_voter": "on",
                "reserve_percent": "75",
                "per_tps": 0,
                "order": ballot.order,
                "version": ballot.version,
            },
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("reserve_percent", r.context["form"].errors)
        self.assertEqual(Supply.objects.get(node=self.kpps_sebulu, item=ballot).required, 400)

    def test_only_kpu_edits_the_catalogue(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/logistics/catalogue/{self.items['booth'].pk}/")
        self.assertEqual(r.status_code, 403)
