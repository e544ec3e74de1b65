"""Bad input on logistics writes answers a clear 4xx and writes nothing; retries are idempotent."""

from __future__ import annotations

import json
import threading
import unittest
import uuid
from typing import Any
from unittest import mock

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings

from agencies.models import Agency, AgencyKind, ApiToken, Membership, Role
from core.models import AuditEntry
from elections.models import Election
from logistics import actions, rules
from logistics.models import Item, Node, NodeLevel, Receipt, Route, Shipment
from logistics.tests.base import DISPATCHED, RECEIVED, LogisticsTestCase
from regions.models import Region
from tests import fixtures


class LogisticsApiCase(LogisticsTestCase):
    def setUp(self) -> None:
        self.kpu = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.kpu_operator, 't')[1]}")
        self.ppk = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.ppk_operator, 't')[1]}")
        self.bawaslu = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.bawaslu_investigator, 't')[1]}")

    def post(self, client: Client, url: str, body: dict[str, Any], method: str = "post") -> Any:
        return getattr(client, method)(url, json.dumps(body), content_type="application/json")

    def shipment_body(self, **kw: Any) -> dict[str, Any]:
        return {
            "origin_id": self.warehouse.pk,
            "destination_id": self.ppk_sebulu.pk,
            "lines": [{"item_code": "booth", "quantity": 8}],
            **kw,
        }


class BoundsOnLogisticsWritesTest(LogisticsApiCase):
    def test_a_quantity_of_ten_to_the_nineteen_is_refused_with_the_field_named(self) -> None:
        r = self.post(
            self.kpu,
            "/api/v1/logistics/shipments",
            self.shipment_body(lines=[{"item_code": "booth", "quantity": 10**19}]),
        )
        self.assertEqual(r.status_code, 422, r.content)
        self.assertIn("lines.0.quantity", r.json()["errors"])
        self.assertFalse(Shipment.objects.exists())

    def test_the_action_refuses_a_quantity_above_the_maximum(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.ship(self.warehouse, self.ppk_sebulu, {"booth": 2**63 - 1}, dispatched=None)
        self.assertIn("10.000.000", " ".join(caught.exception.message_dict["lines"]))
        self.assertFalse(Shipment.objects.exists())

    def test_the_shipment_form_refuses_a_quantity_above_the_maximum(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post(
            f"/logistics/nodes/{self.warehouse.pk}/ship/",
            {"destination": self.ppk_sebulu.pk, f"qty_{self.items['booth'].pk}": 2**63 - 1},
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "10000000")
        self.assertFalse(Shipment.objects.exists())

    def test_a_route_mode_outside_the_list_is_refused(self) -> None:
        before = Route.objects.get(destination=self.ppk_sebulu)
        body = {
            "origin_id": self.warehouse.pk,
            "destination_id": self.ppk_sebulu.pk,
            "mode": "teleport",
            "travel_minutes": 60,
        }
        r = self.post(self.kpu, "/api/v1/logistics/routes", body, method="put")
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("teleport", r.json()["errors"]["mode"][0])
        self.assertEqual(Route.objects.get(pk=before.pk).mode, before.mode)

    def test_travel_times_outside_one_minute_to_thirty_days_are_refused(self) -> None:
        for minutes in (0, rules.MAX_TRAVEL_MINUTES + 1, 10**20):
            body = {
                "origin_id": self.warehouse.pk,
                "destination_id": self.ppk_sebulu.pk,
                "mode": "truck",
                "travel_minutes": minutes,
            }
            r = self.post(self.kpu, "/api/v1/logistics/routes", body, method="put")
            self.assertEqual(r.status_code, 422, r.content)
            self.assertIn("travel_minutes", r.json()["errors"])
        with self.assertRaises(ValidationError) as caught:
            actions.save_route(self.kpu_operator, self.warehouse, self.ppk_sebulu, "truck", 50_000)
        self.assertIn("travel_minutes", caught.exception.message_dict)

    def test_a_note_longer_than_the_column_is_refused(self) -> None:
        r = self.post(self.kpu, "/api/v1/logistics/shipments", self.shipment_body(note="x" * 501))
        self.assertEqual(r.status_code, 422)
        self.assertIn("note", r.json()["errors"])
        self.assertFalse(Shipment.objects.exists())

    def test_an_escort_that_is_not_polri_or_tni_is_refused(self) -> None:
        bawaslu = Agency.objects.get(kind=AgencyKind.BAWASLU, region_id="64.02")
        r = self.post(self.kpu, "/api/v1/logistics/shipments", self.shipment_body(escort_agency_id=bawaslu.pk))
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("Polri", r.json()["errors"]["escort"][0])
        self.assertFalse(Shipment.objects.exists())

    def test_an_escort_from_outside_the_destinations_area_is_refused(self) -> None:
        polres_samarinda = Agency.objects.create(name="Polresta Samarinda", kind=AgencyKind.POLRI, region_id="64.72")
        with self.assertRaises(ValidationError) as caught:
            self.ship(self.warehouse, self.ppk_sebulu, {"booth": 8}, dispatched=None, escort=polres_samarinda)
        self.assertIn("escort", caught.exception.message_dict)
        self.assertFalse(Shipment.objects.exists())

    def test_a_dispatch_in_the_year_9999_is_refused_with_the_field_named(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 8}, dispatched=None)
        r = self.post(
            self.kpu,
            f"/api/v1/logistics/shipments/{s.pk}/dispatch",
            {"version": s.version, "dispatched_at": "9999-12-31T23:00:00+08:00"},
        )
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("dispatched_at", r.json()["errors"])
        self.assertEqual(Shipment.objects.get(pk=s.pk).status, "planned")

    def test_a_damaged_version_on_the_dispatch_form_gives_a_message_not_a_500(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 8}, dispatched=None)
        self.client.force_login(self.kpu_operator)
        r = self.client.post(f"/logistics/shipments/{s.pk}/dispatch/", {"version": "abc"}, follow=True)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "muat ulang")
        self.assertEqual(Shipment.objects.get(pk=s.pk).status, "planned")

    def test_an_unknown_contest_id_on_a_new_item_is_refused_with_the_field_named(self) -> None:
        body = {"code": "tent", "name": "Tenda", "kind": "booth", "contest_id": 999999}
        r = self.post(self.kpu, "/api/v1/logistics/items", body)
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("contest_id", r.json()["errors"])
        self.assertFalse(Item.objects.filter(code="tent").exists())


class IdempotentShipmentsTest(LogisticsApiCase):
    def test_permission_is_checked_before_the_client_id_lookup(self) -> None:
        key = str(uuid.uuid4())
        first = self.post(
            self.kpu,
            "/api/v1/logistics/shipments",
            self.shipment_body(destination_id=self.ppk_tenggarong.pk, client_id=key),
        )
        self.assertEqual(first.status_code, 201)
        replay = self.post(
            self.ppk,
            "/api/v1/logistics/shipments",
            self.shipment_body(origin_id=self.ppk_sebulu.pk, destination_id=self.pps_sebulu_ilir.pk, client_id=key),
        )
        self.assertEqual(replay.status_code, 403)
        self.assertNotIn(str(first.json()["id"]), replay.content.decode())
        replay = self.post(
            self.bawaslu,
            "/api/v1/logistics/shipments",
            self.shipment_body(destination_id=self.ppk_tenggarong.pk, client_id=key),
        )
        self.assertEqual(replay.status_code, 403)
        self.assertEqual(Shipment.objects.count(), 1)

    def test_the_same_id_with_another_payload_is_refused_with_409(self) -> None:
        key = str(uuid.uuid4())
        self.assertEqual(
            self.post(self.kpu, "/api/v1/logistics/shipments", self.shipment_body(client_id=key)).status_code, 201
        )
        again = self.post(self.kpu, "/api/v1/logistics/shipments", self.shipment_body(client_id=key))
        self.assertEqual(again.status_code, 201)
        other = self.post(
            self.kpu,
            "/api/v1/logistics/shipments",
            self.shipment_body(client_id=key, lines=[{"item_code": "booth", "quantity": 9}]),
        )
        self.assertEqual(other.status_code, 409, other.content)
        self.assertEqual(other.json()["code"], "conflict")
        self.assertEqual(Shipment.objects.get().lines.get().quantity, 8)

    def test_the_same_id_from_another_person_is_refused(self) -> None:
        key = uuid.uuid4()
        self.ship(self.warehouse, self.ppk_sebulu, {"booth": 8}, dispatched=None, client_id=key)
        colleague = get_user_model().objects.create(username="kpu_colleague")
        Membership.objects.create(
            user=colleague, agency=Agency.objects.get(name="KPU Kukar"), role=Role.OPERATOR, scope_id="64.02"
        )
        with self.assertRaises(actions.ReplayConflict):
            actions.create_shipment(
                colleague, self.election, self.warehouse, self.ppk_sebulu, {self.items["booth"]: 8}, client_id=key
            )

    def test_the_same_item_twice_in_one_payload_is_refused_not_merged(self) -> None:
        lines = [{"item_code": "booth", "quantity": 8}, {"item_code": "booth", "quantity": 2}]
        r = self.post(self.kpu, "/api/v1/logistics/shipments", self.shipment_body(lines=lines))
        self.assertEqual(r.status_code, 400)
        self.assertIn("booth", r.json()["errors"]["lines"][0])
        self.assertFalse(Shipment.objects.exists())

    def test_a_retry_that_races_past_the_lookup_returns_the_first_shipment(self) -> None:
        key = uuid.uuid4()
        first: list[Shipment] = []
        real = rules.may_ship

        def racing_retry(*args: Any) -> bool:
            if not first:  # the other retry commits between our lookup and our insert
                first.append(Shipment(pk=-1))
                first[0] = actions.create_shipment(
                    self.kpu_operator,
                    self.election,
                    self.warehouse,
                    self.ppk_sebulu,
                    {self.items["booth"]: 8},
                    client_id=key,
                )
            return real(*args)

        with mock.patch.object(rules, "may_ship", side_effect=racing_retry):
            second = actions.create_shipment(
                self.kpu_operator,
                self.election,
                self.warehouse,
                self.ppk_sebulu,
                {self.items["booth"]: 8},
                client_id=key,
            )
        self.assertEqual(second.pk, first[0].pk)
        self.assertEqual(Shipment.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="logistics.shipment_create").count(), 1)


class IdempotentReceiptsTest(LogisticsApiCase):
    def body(self, key: str, received: int = 8) -> dict[str, Any]:
        return {
            "client_id": key,
            "received_at": "2024-11-15T08:00:00+08:00",
            "receiver": "Ketua PPK",
            "lines": [{"item_code": "booth", "received": received}],
        }

    def test_the_same_id_with_other_counts_is_refused_with_409(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 8})
        key = str(uuid.uuid4())
        url = f"/api/v1/logistics/shipments/{s.pk}/receipt"
        self.assertEqual(self.post(self.ppk, url, self.body(key)).status_code, 201)
        self.assertEqual(self.post(self.ppk, url, self.body(key)).status_code, 201)
        r = self.post(self.ppk, url, self.body(key, received=7))
        self.assertEqual(r.status_code, 409, r.content)
        self.assertEqual(Receipt.objects.get().lines.get().received, 8)

    def test_the_same_item_twice_in_a_receipt_is_refused(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 8})
        body = self.body(str(uuid.uuid4()))
        body["lines"] *= 2
        r = self.post(self.ppk, f"/api/v1/logistics/shipments/{s.pk}/receipt", body)
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Receipt.objects.exists())

    def test_a_retry_of_another_kecamatan_is_refused_before_the_lookup(self) -> None:
        s = self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 8})
        key = uuid.uuid4()
        self.receive(s, {"booth": (8, 0, 0)}, client_id=key)
        with self.assertRaises(PermissionDenied):
            self.receive(s, {"booth": (8, 0, 0)}, client_id=key, actor=self.ppk_operator)

    def test_a_retry_that_races_past_the_lookup_returns_the_first_receipt(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 8})
        key = uuid.uuid4()
        first: list[Receipt] = []
        real = actions._check_photo

        def racing_retry(*args: Any) -> None:
            if not first:  # the other retry commits between our checks and our insert
                first.append(Receipt())
                first[0] = self.receive(Shipment.objects.get(pk=s.pk), {"booth": (8, 0, 0)}, client_id=key)
            real(*args)

        with mock.patch.object(actions, "_check_photo", side_effect=racing_retry):
            second = self.receive(s, {"booth": (8, 0, 0)}, client_id=key)
        self.assertEqual(second.pk, first[0].pk)
        self.assertEqual(Receipt.objects.count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="logistics.receipt").count(), 1)


def booths_on_their_way_to_sebulu() -> tuple[dict[str, Any], dict[str, Item], Shipment]:
    """Committed, for tests whose threads each read through their own connection: the personas,
    the catalogue, and eight booths dispatched from the Kukar warehouse to PPK Sebulu."""
    fixtures.make_regions()
    election: Election = fixtures.make_election()
    personas = fixtures.make_personas()
    fixtures.make_tps(election, "64.02.07.2001", "001")
    items = {i.code: i for i in actions.default_catalogue(election)}
    actions.build_network(election, Region.objects.get(code="64.02"))
    kpu = personas["kpu_operator"]
    nodes = Node.objects.filter(election=election)
    s = actions.create_shipment(
        kpu,
        election,
        nodes.get(level=NodeLevel.WAREHOUSE),
        nodes.get(level=NodeLevel.PPK, region_id="64.02.07"),
        {items["booth"]: 8},
    )
    return personas, items, actions.dispatch_shipment(kpu, s, DISPATCHED, s.version)


@unittest.skipUnless(connection.vendor == "postgresql", "concurrent writers need a server database")
class ConcurrentReceiptRetriesTest(TransactionTestCase):
    def test_twenty_concurrent_retries_all_return_the_first_receipt(self) -> None:
        personas, items, s = booths_on_their_way_to_sebulu()
        kpu = personas["kpu_operator"]
        key = uuid.uuid4()
        results: list[Any] = []
        barrier = threading.Barrier(20)

        def retry() -> None:
            try:
                barrier.wait(timeout=120)
                shipment = Shipment.objects.get(pk=s.pk)
                r = actions.record_receipt(
                    kpu,
                    shipment,
                    client_id=key,
                    received_at=RECEIVED,
                    receiver="Ketua PPK",
                    lines={items["booth"]: (8, 0, 0)},
                )
                results.append(r.pk)
            except Exception as e:
                results.append(e)
            finally:
                connection.close()

        threads = [threading.Thread(target=retry) for _ in range(20)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        self.assertFalse([t for t in threads if t.is_alive()], "a retry is still waiting")
        self.assertEqual(Receipt.objects.count(), 1)
        self.assertEqual(results, [Receipt.objects.get().pk] * 20)


@unittest.skipUnless(connection.vendor == "postgresql", "concurrent writers need a server database")
@override_settings(SINERGI_TODAY="2024-11-18")
class ConcurrentOversightRetriesTest(TransactionTestCase):
    """Retries of one escort, supervision or field report racing each other (real threads, each
    with its own connection) all get the first record: one row, one audit entry, no 500."""

    def race(self, record: Any) -> list[Any]:
        results: list[Any] = []
        barrier = threading.Barrier(8)

        def retry() -> None:
            try:
                barrier.wait(timeout=120)
                results.append(record().pk)
            except Exception as e:
                results.append(e)
            finally:
                connection.close()

        threads = [threading.Thread(target=retry) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=180)
        self.assertFalse([t for t in threads if t.is_alive()], "a retry is still waiting")
        return results

    def test_each_kind_of_record_is_written_once(self) -> None:
        personas, _items, s = booths_on_their_way_to_sebulu()
        at = DISPATCHED.replace(hour=DISPATCHED.hour + 1)
        records = {
            "logistics.escort": lambda key: actions.record_escort(
                personas["polres_officer"],
                Shipment.objects.get(pk=s.pk),
                officer="AKP Rahman",
                personnel=4,
                at=at,
                client_id=key,
            ),
            "logistics.supervision": lambda key: actions.record_supervision(
                personas["bawaslu_investigator"],
                Shipment.objects.get(pk=s.pk),
                supervisor="Panwascam Sebulu",
                stage="dispatch",
                finding="in_order",
                at=at,
                client_id=key,
            ),
            "logistics.field_report": lambda key: actions.report_from_field(
                personas["camat_sebulu"],
                Shipment.objects.get(pk=s.pk),
                kind="problem",
                message="Jalan longsor",
                at=at,
                client_id=key,
            ),
        }
        for action, record in records.items():
            with self.subTest(action):
                key = uuid.uuid4()
                results = self.race(lambda record=record, key=key: record(key))
                self.assertEqual(results, [results[0]] * 8)  # the same record, no error
                self.assertIsInstance(results[0], int)
                self.assertEqual(AuditEntry.objects.filter(action=action).count(), 1)


@unittest.skipUnless(connection.vendor == "postgresql", "only PostgreSQL plans by statistics")
class FreshStatisticsTest(LogisticsTestCase):
    """A kab/kota-wide rebuild of the requirements first refreshes the planner's statistics: rows
    written earlier in the same transaction (a demo replay) are otherwise unknown to it, and the
    rebuild's INSERT ... SELECT once ran for over ten minutes in CI that way. A desa's rebuild does
    not pay for it."""

    def analyzed(self, region: str | None) -> list[str]:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            actions.rebuild_supply(self.election, region=region)
        return [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("ANALYZE")]

    def test_a_kabupaten_rebuild_analyzes_the_tables_it_joins(self) -> None:
        (sql,) = self.analyzed("64.02")
        self.assertIn('"logistics_shipment"', sql)
        self.assertIn('"logistics_node"', sql)

    def test_a_desa_rebuild_does_not(self) -> None:
        self.assertEqual(self.analyzed("64.02.07.2001"), [])
