"""Escort and supervision: Polri/TNI record who escorted a shipment, in their jurisdiction;
Bawaslu records its supervision of the dispatch and the hand-over; bad records write nothing."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from agencies.models import Agency, AgencyKind, Membership, Role
from core.models import AuditEntry
from logistics import actions
from logistics.actions import ReplayConflict
from logistics.models import Escort, Supervision
from logistics.tests.base import LogisticsTestCase, at


@override_settings(SINERGI_TODAY="2024-11-18")
class OversightTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.shipment = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})

    def escort(self, actor: Any = None, **kw: Any) -> Escort:
        data: dict[str, Any] = {"officer": "AKP Rahman", "personnel": 4, "vehicle": "Truk KT 8812 AB", "at": at(14, 10)}
        data.update(kw)
        return actions.record_escort(actor or self.polres_officer, self.shipment, **data)

    def supervise(self, **kw: Any) -> Supervision:
        data: dict[str, Any] = {"supervisor": "Panwascam Sebulu", "stage": "dispatch", "finding": "in_order"}
        data.update({"at": at(14, 9), **kw})
        return actions.record_supervision(self.bawaslu_investigator, self.shipment, **data)

    def assert_refused(self, call: Any, message: str, error: type[Exception] = ValidationError) -> None:
        before = Escort.objects.count(), Supervision.objects.count(), AuditEntry.objects.count()
        with self.assertRaises(error) as ctx:
            call()
        text = " ".join(ctx.exception.messages) if isinstance(ctx.exception, ValidationError) else str(ctx.exception)
        self.assertIn(message, text)
        after = Escort.objects.count(), Supervision.objects.count(), AuditEntry.objects.count()
        self.assertEqual(after, before, "nothing written")

    def test_polres_kukar_records_its_escort_and_the_shipment_page_shows_it(self) -> None:
        escort = self.escort()
        self.assertEqual(escort.agency.kind, AgencyKind.POLRI)
        self.assertTrue(AuditEntry.objects.filter(action="logistics.escort").exists())
        self.client.force_login(self.camat_sebulu)
        page = self.client.get(f"/logistics/shipments/{self.shipment.pk}/")
        self.assertContains(page, "AKP Rahman")
        self.assertContains(page, "4 personel")
        self.assertNotContains(page, f"/logistics/shipments/{self.shipment.pk}/escort/")  # the camat cannot

    def test_a_unit_whose_jurisdiction_does_not_reach_the_destination_may_not(self) -> None:
        bontang = Agency.objects.create(
            name="Polres Bontang",
            kind=AgencyKind.POLRI,
            region_id="64.74",
            jurisdiction=["64.74", "64.02.05", "64.02.17"],
        )
        officer = get_user_model().objects.create(username="polres_bontang")
        Membership.objects.create(user=officer, agency=bontang, role=Role.OPERATOR, scope=None)
        self.assert_refused(lambda: self.escort(actor=officer), "Polri atau TNI", PermissionDenied)
        self.assert_refused(lambda: self.escort(actor=self.kpu_operator), "Polri atau TNI", PermissionDenied)

    def test_bad_escort_records_are_refused_with_a_message(self) -> None:
        self.assert_refused(lambda: self.escort(personnel=0), "Personel")
        self.assert_refused(lambda: self.escort(personnel=5000), "1.000")
        self.assert_refused(lambda: self.escort(officer="  "), "perwira")
        self.assert_refused(lambda: self.escort(at=at(19, 10)), "masa depan")
        planned = self.ship(self.warehouse, self.ppk_sebulu, {"ink": 5}, dispatched=None)
        self.assert_refused(
            lambda: actions.record_escort(self.polres_officer, planned, officer="A", personnel=2, at=at(14)),
            "belum dikirim",
        )
        self.escort()
        self.assert_refused(lambda: self.escort(), "sudah mencatat")

    def test_a_retried_escort_is_recorded_once_and_another_payload_is_refused(self) -> None:
        key = uuid.uuid4()
        self.assertEqual(self.escort(client_id=key).pk, self.escort(client_id=key).pk)
        with self.assertRaises(ReplayConflict):
            self.escort(client_id=key, personnel=9)
        self.assertEqual(Escort.objects.count(), 1)

    def test_bawaslu_supervises_the_dispatch_and_the_hand_over_once_the_goods_arrive(self) -> None:
        self.supervise()
        self.assert_refused(lambda: self.supervise(stage="handover", at=at(15, 10)), "barang tiba")
        self.receive(self.shipment, {"booth": (4, 0, 0)})
        self.shipment.refresh_from_db()
        self.assert_refused(lambda: self.supervise(stage="handover", finding="remarks", at=at(15, 10)), "temuan")
        record = self.supervise(stage="handover", finding="remarks", note="Segel kotak 3 longgar", at=at(15, 10))
        self.assertEqual(record.agency.kind, AgencyKind.BAWASLU)
        self.assert_refused(lambda: self.supervise(), "sudah mencatat tahap ini")
        self.client.force_login(self.kpu_operator)
        self.assertContains(self.client.get(f"/logistics/shipments/{self.shipment.pk}/"), "Segel kotak 3 longgar")

    def test_the_escort_form_on_a_phone_records_and_returns_to_the_shipment(self) -> None:
        self.client.force_login(self.polres_officer)
        url = f"/logistics/shipments/{self.shipment.pk}/escort/"
        self.assertContains(self.client.get(url), "Perwira penanggung jawab")
        form = {"client_id": str(uuid.uuid4()), "officer": "IPTU Sari", "personnel": "3", "at": "2024-11-14T10:30"}
        r = self.client.post(url, form)
        self.assertRedirects(r, f"/logistics/shipments/{self.shipment.pk}/", fetch_redirect_response=False)
        self.assertEqual(Escort.objects.get().at, at(14, 10).replace(minute=30))
        r = self.client.post(url, {**form, "client_id": str(uuid.uuid4()), "personnel": "0"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(Escort.objects.count(), 1)


@override_settings(SINERGI_TODAY="2024-11-18")
class ReportsFromTheFieldTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.shipment = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})

    def report(self, actor: Any = None, **kw: Any) -> Any:
        data: dict[str, Any] = {"kind": "arrived", "at": at(15, 8)}
        data.update(kw)
        return actions.report_from_field(actor or self.camat_sebulu, self.shipment, **data)

    def test_the_camat_confirms_the_arrival_and_the_shipment_is_marked_arrived(self) -> None:
        report = self.report()
        self.assertEqual(report.agency.kind, AgencyKind.KECAMATAN)
        self.shipment.refresh_from_db()
        self.assertEqual((self.shipment.status, self.shipment.arrived_at), ("arrived", at(15, 8)))
        self.client.force_login(self.kpu_operator)
        self.assertContains(self.client.get(f"/logistics/shipments/{self.shipment.pk}/"), "Kedatangan dikonfirmasi")

    def test_a_problem_needs_its_description_and_nothing_is_written_without(self) -> None:
        before = AuditEntry.objects.count()
        with self.assertRaises(ValidationError) as ctx:
            self.report(kind="problem")
        self.assertIn("Jelaskan masalahnya", " ".join(ctx.exception.messages))
        self.assertEqual(AuditEntry.objects.count(), before)
        report = self.report(kind="problem", message="Perahu belum datang, jalan ke dermaga banjir")
        self.shipment.refresh_from_db()
        self.assertEqual(self.shipment.status, "dispatched")  # a problem does not mark it arrived
        self.assertEqual(report.message, "Perahu belum datang, jalan ke dermaga banjir")

    def test_bad_reports_are_refused(self) -> None:
        for kw, message in (
            ({"kind": "teleported"}, "tidak dikenal"),
            ({"at": at(19, 8)}, "masa depan"),
            ({"at": at(13, 8)}, "sebelum pengiriman"),
        ):
            with self.subTest(**{k: str(v) for k, v in kw.items()}), self.assertRaises(ValidationError) as ctx:
                self.report(**kw)
            self.assertIn(message, " ".join(ctx.exception.messages))
        with self.assertRaises(PermissionDenied):
            self.report(actor=self.kpu_operator)

    def test_a_kpps_and_the_kepala_desa_confirm_receipts_in_their_own_desa(self) -> None:
        from core import scoping

        for kind, name in ((AgencyKind.KPPS, "KPPS TPS 001 Sebulu Ilir"), (AgencyKind.DESA, "Desa Sebulu Ilir")):
            agency = Agency.objects.create(name=name, kind=kind, region_id="64.02.07.2001")
            user = get_user_model().objects.create(username=f"u-{kind}")
            Membership.objects.create(user=user, agency=agency, role=Role.OPERATOR, scope_id="64.02.07.2001")
            self.assertTrue(scoping.can(user, "logistics_receipts", scoping.CHANGE, "64.02.07.2001"))
            self.assertFalse(scoping.can(user, "logistics_receipts", scoping.CHANGE, "64.02.07.2002"))
