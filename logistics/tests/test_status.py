"""A region's logistics status reads the same on the page, in the API and from the command:
damage reported at every level (not only at the TPS), the overdue shipments with the TPS and
voters waiting, and the open alerts, custody warnings included -- each narrowed to the reader."""

from __future__ import annotations

import io
import json
from typing import Any

from django.core.management import call_command

from logistics import actions
from logistics.models import AlertKind, NodeLevel
from logistics.tests.base import at
from logistics.tests.test_overdue import AfterVoting


class RegionStatusTest(AfterVoting):
    def setUp(self) -> None:
        super().setUp()
        # two booths soaked on the way to PPK Sebulu
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=at(24, 8))
        self.receive(s, {"booth": (2, 2, 0)}, when=at(24, 11))
        # the truck to Tenggarong never confirmed
        self.late = self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4}, dispatched=at(25, 8))
        # a kit at a TPS two days early
        kit = self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {"booth": 4}, dispatched=at(24, 7))
        self.receive(kit, {"booth": (4, 0, 0)}, when=at(24, 9))
        actions.scan_risks(self.election, at(28, 9))

    def api(self, persona: Any) -> dict[str, Any]:
        self.client.force_login(persona)
        r = self.client.get(f"/api/v1/logistics/progress/64.02?election={self.election.pk}")
        self.assertEqual(r.status_code, 200, r.content)
        return r.json()

    def command(self) -> dict[str, Any]:
        out = io.StringIO()
        call_command("logistics_status", "64.02", "--json", "--election", str(self.election.pk), stdout=out)
        return json.loads(out.getvalue())

    def test_the_damage_at_the_kecamatan_counts_though_no_tps_reported_any(self) -> None:
        for data in (self.api(self.kpu_operator), self.command()):
            booth = {i["item_code"]: i for i in data["items"]}["booth"]
            self.assertEqual((booth["damaged"], booth["missing"]), (0, 0))  # at the TPS
            by_level = {d["level"]: (d["damaged"], d["missing"]) for d in booth["reported_by_level"]}
            self.assertEqual(by_level, {NodeLevel.PPK: (2, 0), NodeLevel.PPS: (0, 0), NodeLevel.KPPS: (0, 0)})

    def test_the_overdue_truck_names_its_destination_and_who_waits(self) -> None:
        for data in (self.api(self.kpu_operator), self.command()):
            self.assertEqual(data["overdue_total"], 1)
            (row,) = data["overdue"]
            self.assertEqual((row["shipment_id"], row["destination"]), (self.late.pk, self.ppk_tenggarong.name))
            self.assertEqual(row["region_code"], "64.02.06")
            self.assertGreaterEqual(row["tps_waiting"], 0)

    def test_the_custody_warning_is_among_the_open_alerts(self) -> None:
        for data in (self.api(self.kpu_operator), self.command()):
            kinds = {a["kind"] for a in data["alerts"]}
            self.assertIn(AlertKind.CUSTODY, kinds)
            self.assertIn(AlertKind.OVERDUE, kinds)
            self.assertEqual(data["alerts_total"], len(data["alerts"]))

    def test_the_camat_of_sebulu_reads_only_sebulu(self) -> None:
        data = self.api(self.camat_sebulu)
        self.assertEqual(data["overdue"], [])  # Tenggarong's truck is not theirs
        self.assertTrue(all(a["region_code"].startswith("64.02.07") for a in data["alerts"]))
        self.assertIn(AlertKind.CUSTODY, {a["kind"] for a in data["alerts"]})

    def test_the_command_prints_the_overdue_and_the_custody_warning_in_words(self) -> None:
        out = io.StringIO()
        call_command("logistics_status", "64.02", "--election", str(self.election.pk), stdout=out)
        text = out.getvalue()
        self.assertIn("Overdue: 1", text)
        self.assertIn(f"#{self.late.pk} to {self.ppk_tenggarong.name}", text)
        self.assertIn("custody:", text)
        self.assertIn("2/0", text)  # booths damaged/missing at the PPK

    def test_a_limit_lists_the_first_rows_and_keeps_the_total(self) -> None:
        self.client.force_login(self.kpu_operator)
        data = self.client.get(f"/api/v1/logistics/progress/64.02?election={self.election.pk}&limit=1").json()
        self.assertEqual(len(data["alerts"]), 1)
        self.assertGreater(data["alerts_total"], 1)
        r = self.client.get("/api/v1/logistics/progress/64.02?limit=0")
        self.assertEqual(r.status_code, 422)

    def test_a_flooded_route_is_listed_with_whether_the_plan_goes_by_its_alternative(self) -> None:
        from logistics.models import Route

        flooded = Route.objects.get(destination=self.ppk_tenggarong)
        actions.set_route_condition(self.kpu_operator, flooded, "flood", "Jalan Tenggarong banjir", at(24, 8))
        for data in (self.api(self.kpu_operator), self.command()):
            self.assertEqual(data["routes_affected_total"], 1)
            (row,) = data["routes_affected"]
            self.assertEqual((row["route_id"], row["condition"]), (flooded.pk, "flood"))
            self.assertEqual(row["note"], "Jalan Tenggarong banjir")
            self.assertFalse(row["alternative_in_use"])  # no alternative set: the plan keeps the usual route
        self.assertEqual(self.api(self.camat_sebulu)["routes_affected"], [])  # Tenggarong is not theirs
