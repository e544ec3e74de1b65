"""What logistics pages and messages say about time and size: moments in the election's zone,
durations in days and hours, sizes in MB."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from elections.models import Election
from logistics import actions
from logistics.jobs import scan_all_risks
from logistics.models import Alert, AlertKind, Receipt, Route
from logistics.tests.base import LogisticsTestCase, at

# The PPK deadline of the Kukar plan: H-4, 23 Nov 2024 at 23.59 WITA.
PPK_DEADLINE = "23 November 2024 23.59 WITA"


class ShipmentMomentsTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.route_takes(self.ppk_sebulu, 150)
        self.ppk_sebulu.refresh_from_db()

    def test_a_shipment_page_writes_its_moments_in_wita(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})  # 14 Nov 09.00 WITA, 2 h 30 on the road
        self.receive(s, {"booth": (4, 0, 0)}, when=at(15, 10))
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/logistics/shipments/{s.pk}/")
        self.assertContains(page, "<dd>14 November 2024 09.00 WITA</dd>")
        self.assertContains(page, '<dd data-testid="expected-arrival">14 November 2024 11.30 WITA</dd>')
        self.assertContains(page, "<p>15 November 2024 10.00 WITA — ")
        node = self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/")
        self.assertContains(node, "<td>14 November 2024 09.00 WITA</td><td>14 November 2024 11.30 WITA</td>")

    def test_an_election_in_jakarta_time_writes_the_same_moments_in_wib(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        Election.objects.filter(pk=self.election.pk).update(timezone="Asia/Jakarta")
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/logistics/shipments/{s.pk}/")
        self.assertContains(page, "<dd>14 November 2024 08.00 WIB</dd>")

    def test_the_receipt_time_is_entered_and_read_in_the_elections_zone(self) -> None:
        Election.objects.filter(pk=self.election.pk).update(timezone="Asia/Jakarta")
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.client.force_login(self.ppk_operator)
        form = self.client.get(f"/logistics/shipments/{s.pk}/")
        self.assertContains(form, '<span class="muted" data-testid="received-zone">WIB</span>')
        self.assertContains(form, 'value="2024-11-18T12:00"')  # the desk's "now": the demo day's noon, in WIB
        data = {
            "client_id": str(uuid.uuid4()),
            "received_at": "2024-11-15T09:00",
            "receiver": "Ketua PPK Sebulu",
            f"state_{self.items['booth'].pk}": "intact",
        }
        self.assertRedirects(self.client.post(f"/logistics/shipments/{s.pk}/", data), f"/logistics/shipments/{s.pk}/")
        self.assertEqual(Receipt.objects.get().received_at, dt.datetime(2024, 11, 15, 2, 0, tzinfo=dt.UTC))

    def test_a_receipt_before_the_dispatch_names_both_moments(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        with self.assertRaises(ValidationError) as caught:
            self.receive(s, {"booth": (4, 0, 0)}, when=at(14, 8))
        self.assertIn(
            "Waktu penerimaan 14 November 2024 08.00 WITA lebih awal daripada waktu pengiriman "
            "14 November 2024 09.00 WITA.",
            caught.exception.message_dict["received_at"],
        )


class DurationsTest(LogisticsTestCase):
    def test_the_node_page_gives_the_route_time_in_days_and_hours_and_the_deadline_in_wita(self) -> None:
        Route.objects.filter(destination=self.ppk_sebulu).update(travel_minutes=2 * 24 * 60 + 3 * 60)
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/")
        self.assertContains(page, '<span data-testid="route-time">2 hari 3 jam</span>')
        self.assertContains(page, f'<span data-testid="deadline">{PPK_DEADLINE}</span>')

    def test_an_overdue_alert_says_how_late_in_hours_and_minutes(self) -> None:
        self.route_takes(self.ppk_sebulu, 3 * 24 * 60)
        scan = at(24, 11) + dt.timedelta(minutes=50)  # 11 h 51 after the PPK deadline, nothing sent
        actions.scan_risks(self.election, scan)
        alert = Alert.objects.get(node=self.ppk_sebulu, kind=AlertKind.AT_RISK)
        expected = f"belum ada yang dikirim; terlambat 11 jam 51 menit dari targetnya {PPK_DEADLINE}"
        self.assertEqual(alert.message, expected)
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/logistics/problems/")
        self.assertContains(page, f'24 November 2024 11.50 WITA — <a href="/logistics/nodes/{self.ppk_sebulu.pk}/">')
        self.assertContains(page, expected)

    def test_a_node_at_risk_on_the_region_page_says_by_when_it_had_to_leave_and_why(self) -> None:
        self.route_takes(self.ppk_sebulu, 6 * 24 * 60)  # 6 days and 2 h of margin by road; 5 d 11 h 59 left
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/logistics/64.02/")
        self.assertContains(
            page,
            f"belum ada yang dikirim; agar tiba sebelum targetnya {PPK_DEADLINE} harus berangkat paling lambat "
            "17 November 2024 21.59 WITA (6 hari perjalanan ditambah cadangan waktu)",
        )
        self.assertContains(page, "per 18 November 2024 12.00 WITA")

    @override_settings(SINERGI_TODAY="2024-11-25")  # the desk's now is after the receipt
    def test_a_late_receipt_alert_says_how_late_and_the_deadline(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.receive(s, {"booth": (4, 0, 0)}, when=at(24, 11) + dt.timedelta(minutes=50))
        self.assertEqual(
            Alert.objects.get(kind=AlertKind.LATE).message,
            f"PPK Sebulu menerima pengiriman #{s.pk} 11 jam 51 menit setelah batas waktu {PPK_DEADLINE}.",
        )

    def test_a_route_time_out_of_bounds_is_refused_in_minutes_and_days(self) -> None:
        with translation.override("en"), self.assertRaises(ValidationError) as caught:
            actions.save_route(self.kpu_operator, self.warehouse, self.ppk_sebulu, "road", 0)
        self.assertEqual(
            caught.exception.message_dict["travel_minutes"], ["The travel time must be between 1 minute and 30 days."]
        )


class PanelClockTest(LogisticsTestCase):
    def test_the_logistics_panel_says_as_of_which_moment_it_judged_the_risk(self) -> None:
        scan_all_risks()  # the periodic scan, at the desk's now: 18 Nov 12.00 WITA
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/regions/64.02/")
        self.assertContains(
            page, '<span class="muted" data-testid="logistics-as-of">risiko per 18 November 2024 12.00 WITA</span>'
        )


class SizesAndNumbersTest(LogisticsTestCase):
    def test_a_photo_over_the_limit_is_refused_with_both_sizes_in_mb(self) -> None:
        plan = actions.plan_for(self.election)
        plan.photo_max_bytes = 5 * 1024 * 1024
        plan.save()
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        photo = SimpleUploadedFile("receipt.jpg", b"\0" * int(7.2 * 1024 * 1024), content_type="image/jpeg")
        with self.assertRaises(ValidationError) as caught:
            self.receive(s, {"booth": (4, 0, 0)}, photo=photo)
        self.assertEqual(caught.exception.message_dict["photo"], ["Ukuran foto 7,2\xa0MB; batas maksimal 5,0\xa0MB."])

    def test_a_quantity_above_the_line_limit_names_the_limit_with_thousands_dots(self) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.ship(self.warehouse, self.ppk_sebulu, {"booth": 12_000_000}, dispatched=None)
        self.assertIn("12.000.000", " ".join(caught.exception.message_dict["lines"]))
        self.assertIn("10.000.000", " ".join(caught.exception.message_dict["lines"]))
