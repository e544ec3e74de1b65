"""Editing a TPS: validation, audit history, and concurrent edits refused."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.actions import ConcurrentEditError
from core.models import AuditEntry
from regions import actions
from regions.models import PollingStation
from tests.base import SinergiTestCase


class TpsEditTest(SinergiTestCase):
    def form(self, tps: PollingStation, **changes: Any) -> dict[str, Any]:
        data = {
            "number": tps.number,
            "address": tps.address,
            "dpt_male": tps.dpt_male,
            "dpt_female": tps.dpt_female,
            "dpph_expected": 0,
            "dptb_expected": 0,
            "lat": tps.lat,
            "lng": tps.lng,
            "access_mode": tps.access_mode,
            "travel_minutes": "",
            "version": tps.version,
        }
        data.update(changes)
        return data

    def test_an_edit_is_saved_and_its_old_and_new_values_shown_in_the_history(self) -> None:
        self.client.force_login(self.kpu_operator)
        tps = self.tps_sebulu
        r = self.client.post(
            reverse("regions:tps_edit", args=[tps.pk]), self.form(tps, dpt_male=250, access_mode="river")
        )
        self.assertRedirects(r, tps.get_absolute_url())
        tps.refresh_from_db()
        self.assertEqual((tps.dpt_male, tps.access_mode, tps.version), (250, "river", 2))
        entry = AuditEntry.objects.get(action="tps.update", object_id=str(tps.pk))
        self.assertEqual(entry.actor, self.kpu_operator)
        self.assertEqual(entry.changes, {"dpt_male": [200, 250], "access_mode": ["road", "river"]})
        page = self.client.get(tps.get_absolute_url())
        self.assertContains(page, "200 → 250")

    def test_a_concurrent_edit_is_refused_with_a_clear_message(self) -> None:
        self.client.force_login(self.kpu_operator)
        tps = self.tps_sebulu
        stale = self.form(tps, address="Mine")
        actions.update_polling_station(self.kpu_operator, tps, {"address": "Theirs"}, tps.version)
        r = self.client.post(reverse("regions:tps_edit", args=[tps.pk]), stale)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-testid="form-errors"')
        self.assertIn("diubah", str(r.context["form"].non_field_errors()))
        tps.refresh_from_db()
        self.assertEqual(tps.address, "Theirs")

    def test_the_concurrent_edit_message_is_available_in_english(self) -> None:
        tps = self.tps_sebulu
        actions.update_polling_station(self.kpu_operator, tps, {"address": "A"}, 1)
        with translation.override("en"), self.assertRaises(ConcurrentEditError) as ctx:
            actions.update_polling_station(self.kpu_operator, tps, {"address": "B"}, 1)
        self.assertIn("changed by someone else", ctx.exception.messages[0])

    def test_dpt_above_the_maximum_is_refused_and_nothing_saved(self) -> None:
        self.client.force_login(self.kpu_operator)
        tps = self.tps_sebulu
        r = self.client.post(reverse("regions:tps_edit", args=[tps.pk]), self.form(tps, dpt_male=500, dpt_female=200))
        self.assertEqual(r.status_code, 200)
        self.assertIn("600", str(r.context["form"].errors))
        tps.refresh_from_db()
        self.assertEqual((tps.dpt_male, tps.version), (200, 1))

    def test_an_unchanged_save_writes_no_history(self) -> None:
        tps = self.tps_sebulu
        actions.update_polling_station(self.kpu_operator, tps, {"address": tps.address}, tps.version)
        self.assertFalse(AuditEntry.objects.filter(object_id=str(tps.pk), action="tps.update").exists())

    def test_a_new_tps_is_created_with_its_number_padded(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post(
            reverse("regions:tps_create"),
            {**self.form(self.tps_sebulu, number="5"), "village_code": "64.02.07.2002"},
        )
        tps = PollingStation.objects.get(village_id="64.02.07.2002")
        self.assertRedirects(r, tps.get_absolute_url())
        self.assertEqual(tps.number, "005")
        self.assertTrue(AuditEntry.objects.filter(action="tps.create", object_id=str(tps.pk)).exists())

    def test_a_tps_cannot_be_placed_in_a_kecamatan(self) -> None:
        self.client.force_login(self.kpu_operator)
        count = PollingStation.objects.count()
        r = self.client.post(reverse("regions:tps_create"), {**self.form(self.tps_sebulu), "village_code": "64.02.07"})
        self.assertEqual(r.status_code, 200)
        self.assertIn("village_code", r.context["form"].errors)
        self.assertEqual(PollingStation.objects.count(), count)

    def test_a_duplicate_number_in_the_same_desa_is_refused(self) -> None:
        with self.assertRaises(ValidationError):
            actions.create_polling_station(
                self.kpu_operator, self.election, {"village_id": "64.02.07.2001", "number": "001", "dpt_male": 1}
            )
