"""'Tugas saya': the shipments a user must confirm appear on their home page."""

from __future__ import annotations

from typing import Any

from logistics.tests.base import LogisticsTestCase, at


def tasks(client: Any, user: Any) -> list[str]:
    client.force_login(user)
    return [t["url"] for t in client.get("/").context["tasks"]]


class MyTasksTest(LogisticsTestCase):
    def test_the_ppk_is_asked_to_confirm_what_reaches_it_and_its_desa(self) -> None:
        to_ppk = self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5})
        to_pps = self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"ink": 2})
        self.assertCountEqual(
            tasks(self.client, self.ppk_operator),
            [f"/logistics/shipments/{to_ppk.pk}/", f"/logistics/shipments/{to_pps.pk}/"],
        )

    def test_kpu_kukar_is_asked_about_its_warehouse_and_the_ppk_not_every_desa(self) -> None:
        to_ppk = self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5})
        self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"ink": 2})
        self.assertEqual(tasks(self.client, self.kpu_operator), [f"/logistics/shipments/{to_ppk.pk}/"])

    def test_a_shipment_past_its_expected_arrival_is_marked_overdue_with_how_late(self) -> None:
        self.route_takes(self.ppk_sebulu, 120)
        self.ppk_sebulu.refresh_from_db()
        self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5})  # dispatched 14 Nov 09.00, due at 11.00
        self.client.force_login(self.ppk_operator)
        page = self.client.get("/")  # the desk's now: 18 Nov 12.00 WITA
        self.assertContains(page, "· tenggat 14 November 2024 11.00 WITA</span>")
        self.assertContains(page, '<span class="badge status-problem">terlambat 4 hari 1 jam</span>')

    def test_a_shipment_still_on_time_is_not_marked_overdue(self) -> None:
        self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5}, dispatched=at(18, 11))
        self.client.force_login(self.ppk_operator)
        page = self.client.get("/")
        self.assertIsNone(page.context["tasks"][0]["overdue"])
        self.assertNotContains(page, 'status-problem">terlambat')

    def test_a_received_or_planned_shipment_is_no_task_and_view_only_users_get_none(self) -> None:
        received = self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5})
        self.receive(received, {"ink": (5, 0, 0)})
        self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5}, dispatched=None)
        self.assertEqual(tasks(self.client, self.ppk_operator), [])
        self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5})
        self.assertEqual(tasks(self.client, self.camat_sebulu), [])
        self.assertEqual(tasks(self.client, self.bawaslu_investigator), [])
