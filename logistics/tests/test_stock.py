"""Warehouse stock: the printer's delivery, sorting damage, replacements from the procuring level
and the PSU reserve; the stock per item is derived, never typed, and bad movements write nothing."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.test import override_settings

from core.models import AuditEntry
from elections.models import Contest, ContestKind
from logistics import actions, selectors
from logistics.actions import ReplayConflict
from logistics.models import Item, StockEntry
from logistics.tests.base import LogisticsTestCase, at

TODAY = "2024-11-18"


@override_settings(SINERGI_TODAY=TODAY)
class WarehouseStockTest(LogisticsTestCase):
    def record(self, code: str, kind: str, quantity: int, day: int = 10, **kw: object) -> tuple[StockEntry, list[str]]:
        return actions.record_stock(
            self.kpu_operator,
            self.warehouse,
            self.items[code],
            kind,
            quantity,
            at(day),
            **kw,  # type: ignore[arg-type]
        )

    def row(self, code: str) -> dict[str, Any]:
        return next(r for r in selectors.stock(self.election, self.warehouse) if r["item"].code == code)

    def assert_refused(self, call: object, message: str) -> None:
        before = StockEntry.objects.count(), AuditEntry.objects.count()
        with self.assertRaises(ValidationError) as ctx:
            call()  # type: ignore[operator]
        self.assertIn(message, " ".join(ctx.exception.messages))
        self.assertEqual((StockEntry.objects.count(), AuditEntry.objects.count()), before, "nothing written")

    def test_the_stock_is_derived_from_the_movements_against_what_the_tps_need(self) -> None:
        needed = self.row("ballot-6402")["needed"]
        self.assertGreater(needed, 0)
        self.record("ballot-6402", "delivered", needed + 59, document="BA-TERIMA-01")
        self.record("ballot-6402", "damaged", 100, day=12)
        row = self.row("ballot-6402")
        self.assertEqual((row["good"], row["spares"], row["uncovered"]), (needed - 41, -41, 41))
        self.record("ballot-6402", "requested", 41, day=12)
        self.record("ballot-6402", "replaced", 41, day=15)
        row = self.row("ballot-6402")
        self.assertEqual((row["good"], row["spares"], row["pending"], row["uncovered"]), (needed, 0, 0, 0))
        self.assertTrue(AuditEntry.objects.filter(action="logistics.stock").count() == 4)

    def test_a_replacement_of_governor_ballots_is_asked_of_kpu_provinsi(self) -> None:
        Contest.objects.create(
            election=self.election, kind=ContestKind.GOVERNOR, region_id="64", name="Gubernur Kaltim"
        )
        actions.default_catalogue(self.election)
        actions.rebuild_supply(self.election)
        self.items = {i.code: i for i in Item.objects.filter(election=self.election)}
        needed = self.row("ballot-64")["needed"]
        self.record("ballot-64", "delivered", needed)
        self.record("ballot-64", "damaged", 30, day=12)
        entry, warnings = self.record("ballot-64", "requested", 30, day=12)
        self.assertEqual(entry.requested_from, "KPU Provinsi Kalimantan Timur")
        self.assertEqual(warnings, [])
        entry, _ = self.record("ballot-6402", "requested", 5, day=12)
        self.assertEqual(entry.requested_from, "KPU Kabupaten Kutai Kartanegara")

    def test_asking_for_more_than_is_missing_is_recorded_with_a_warning(self) -> None:
        needed = self.row("ballot-6402")["needed"]
        self.record("ballot-6402", "delivered", needed + 59)
        self.record("ballot-6402", "damaged", 20, day=12)  # the 59 spares cover it
        _, warnings = self.record("ballot-6402", "requested", 20, day=12)
        self.assertEqual(len(warnings), 1)
        self.assertIn("20 penggantian diminta, tetapi hanya 0 yang kurang", warnings[0])

    def test_impossible_movements_are_refused_and_nothing_is_written(self) -> None:
        needed = self.row("ballot-6402")["needed"]
        self.record("ballot-6402", "delivered", needed + 59)
        self.assert_refused(lambda: self.record("ballot-6402", "damaged", needed + 60), "dalam kondisi baik")
        self.assert_refused(lambda: self.record("ballot-6402", "replaced", 1), "penggantian")
        self.assert_refused(lambda: self.record("ballot-6402", "reserved", 60), "cadangan")
        self.assert_refused(lambda: self.record("ballot-6402", "delivered", 10, day=19), "masa depan")
        self.assert_refused(lambda: self.record("ballot-6402", "delivered", 0), "di atas nol")
        self.assert_refused(lambda: self.record("ballot-6402", "teleported", 5), "tidak dikenal")
        self.assert_refused(
            lambda: actions.record_stock(self.kpu_operator, self.ppk_sebulu, self.items["ink"], "delivered", 5, at(10)),
            "gudang KPU",
        )

    def test_a_retried_submission_is_recorded_once_and_another_payload_is_refused(self) -> None:
        key = uuid.uuid4()
        first, _ = self.record("ink", "delivered", 500, client_id=key)
        again, _ = self.record("ink", "delivered", 500, client_id=key)
        self.assertEqual(first.pk, again.pk)
        with self.assertRaises(ReplayConflict):
            self.record("ink", "delivered", 501, client_id=key)
        self.assertEqual(StockEntry.objects.count(), 1)

    def test_kpu_records_a_delivery_on_the_page_and_reads_the_stock(self) -> None:
        self.client.force_login(self.kpu_operator)
        url = f"/logistics/nodes/{self.warehouse.pk}/stock/"
        form = {
            "client_id": str(uuid.uuid4()),
            "kind": "delivered",
            "item": self.items["ink"].pk,
            "quantity": "1.500",
            "at": "2024-11-10T09:00",
            "document": "BA-01",
        }
        r = self.client.post(url, form, follow=True)
        self.assertContains(r, "1.500")
        self.assertEqual(StockEntry.objects.get().quantity, 1500)
        self.assertEqual(StockEntry.objects.get().at, at(10))  # typed in WITA, the election's zone
        self.assertContains(self.client.get(f"/logistics/nodes/{self.warehouse.pk}/"), 'data-testid="stock-link"')

    def test_a_bad_movement_on_the_page_shows_why_and_writes_nothing(self) -> None:
        self.client.force_login(self.kpu_operator)
        url = f"/logistics/nodes/{self.warehouse.pk}/stock/"
        form = {
            "client_id": str(uuid.uuid4()),
            "kind": "damaged",
            "item": self.items["ink"].pk,
            "quantity": "5",
            "at": "2024-11-10T09:00",
        }
        r = self.client.post(url, form)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Tidak ada yang dicatat")
        self.assertContains(r, "dalam kondisi baik")
        self.assertFalse(StockEntry.objects.exists())

    def test_a_ppk_node_has_no_stock_page(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.assertEqual(self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/stock/").status_code, 404)

    def test_the_api_records_and_reads_the_stock_and_refuses_bad_input(self) -> None:
        from django.test import Client

        from agencies.models import ApiToken

        api = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.kpu_operator, 't')[1]}")
        url = f"/api/v1/logistics/warehouses/{self.warehouse.pk}/stock"
        body = {"item_code": "ink", "kind": "delivered", "quantity": 800, "at": "2024-11-10T09:00:00+08:00"}
        r = api.post(url, body, content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        rows = {row["item_code"]: row for row in api.get(url).json()}
        self.assertEqual(rows["ink"]["delivered"], 800)
        for bad, field in (
            ({**body, "kind": "teleported"}, "kind"),
            ({**body, "quantity": 10**19}, "quantity"),
            ({**body, "item_code": "nope"}, "item_code"),
            ({**body, "at": "2024-11-30T09:00:00+08:00"}, "at"),
        ):
            r = api.post(url, bad, content_type="application/json")
            self.assertIn(r.status_code, (400, 422), r.content)
            self.assertIn(field, r.json()["errors"])
        self.assertEqual(StockEntry.objects.count(), 1)
