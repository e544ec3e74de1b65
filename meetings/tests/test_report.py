"""Readiness per agency, the situation report built from live data, and its immutable snapshots."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import translation

from core.models import AuditEntry
from meetings import actions, selectors
from meetings.models import Meeting, ReadinessItem, ReadinessStatus, ReportSnapshot
from meetings.tests.base import TODAY, MeetingsTestCase, wita
from regions.models import Region


@override_settings(SINERGI_TODAY=TODAY)
class ReadinessTest(MeetingsTestCase):
    def item(self, title: str, owner: object, due: dt.date) -> ReadinessItem:
        return actions.create_readiness_item(
            self.desk_admin,
            {"election": self.election, "region": self.kukar, "owner": owner, "title": title, "due": due},
        )

    def test_readiness_per_agency_counts_the_items_ready(self) -> None:
        gudang = self.item("Gudang logistik siap", self.kpu, dt.date(2024, 11, 10))
        self.item("KPPS dilantik", self.kpu, dt.date(2024, 11, 15))
        self.item("Personel pengamanan terdata", self.polres, dt.date(2024, 11, 20))
        actions.set_readiness(self.kpu_operator, gudang, ReadinessStatus.READY, "Berita acara 10/11", gudang.version)
        rows = {r["agency"]: r for r in selectors.readiness_by_agency(self.desk_admin, self.election, "64.02")}
        self.assertEqual(
            (rows["KPU Kukar"]["ready"], rows["KPU Kukar"]["total"], rows["KPU Kukar"]["percent"]), (1, 2, 50.0)
        )
        self.assertEqual(rows["KPU Kukar"]["late"], 1)  # KPPS dilantik, due 15 Nov
        self.assertEqual(rows["Polres Kukar"]["percent"], 0.0)

    def test_an_item_is_ready_only_with_its_evidence_and_only_its_owner_says_so(self) -> None:
        item = self.item("Gudang logistik siap", self.kpu, dt.date(2024, 11, 10))
        with self.assertRaises(ValidationError):
            actions.set_readiness(self.kpu_operator, item, ReadinessStatus.READY, "", item.version)
        with self.assertRaises(PermissionDenied):
            actions.set_readiness(self.polres_officer, item, ReadinessStatus.READY, "Foto", item.version)

    def test_an_item_without_owner_or_due_date_is_refused(self) -> None:
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            actions.create_readiness_item(
                self.desk_admin,
                {"election": self.election, "region": self.kukar, "owner": None, "title": "X", "due": None},
            )
        self.assertEqual(set(e.exception.message_dict), {"owner", "due"})
        self.assertFalse(ReadinessItem.objects.exists())


@override_settings(SINERGI_TODAY=TODAY)
class SituationReportTest(MeetingsTestCase):
    def setUp(self) -> None:
        self.late = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 15))
        self.action(self.rakor, "Pengamanan gudang", self.polres, dt.date(2024, 11, 25))
        actions.create_readiness_item(
            self.desk_admin,
            {
                "election": self.election,
                "region": self.kukar,
                "owner": self.kpu,
                "title": "KPPS dilantik",
                "due": dt.date(2024, 11, 12),
            },
        )

    def test_the_report_shows_countdown_stage_readiness_and_actions_with_what_needs_a_decision_first(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        r = self.client.get(f"/meetings/report/64.02/?election={self.election.pk}")
        self.assertContains(r, "H-9")
        self.assertContains(r, "Kampanye")
        text = r.content.decode()
        decide = text[text.index('data-testid="decide-today"') : text.index('data-testid="countdown"')]
        self.assertIn("Terlambat 3 hari: Jadwal distribusi hulu (KPU Kukar)", decide)
        self.assertIn("KPU Kukar: 1 butir kesiapan lewat tenggat dan belum siap", decide)
        self.assertContains(r, "2 tindak lanjut terbuka")
        self.assertContains(r, "1 terlambat")
        self.assertContains(r, "0 dari 1 (0,0%)")
        self.assertContains(r, "per 18 November 2024 12.00 WITA")

    def test_a_report_for_a_region_out_of_scope_is_refused_with_nothing_written(self) -> None:
        self.client.force_login(self.camat_sebulu)
        audit_rows = AuditEntry.objects.count()
        r = self.client.get("/meetings/report/64.02/")
        self.assertContains(r, "di luar cakupan Anda", status_code=404)
        self.client.force_login(self.desk_admin)
        r = self.client.post("/meetings/report/64.72/snapshot/", {"meeting": self.rakor.pk})
        self.assertContains(r, "di luar cakupan Anda", status_code=404)
        self.assertEqual(AuditEntry.objects.count(), audit_rows)
        self.assertFalse(ReportSnapshot.objects.exists())

    def test_generating_the_report_keeps_a_snapshot_with_the_meeting_that_later_readers_see_unchanged(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post(
            f"/meetings/report/64.02/snapshot/?election={self.election.pk}", {"meeting": self.rakor.pk}
        )
        snap = ReportSnapshot.objects.get()
        self.assertRedirects(r, f"/meetings/snapshots/{snap.pk}/")
        self.assertEqual(snap.meeting, self.rakor)
        self.assertEqual(snap.data["days_to_go"], 9)
        self.assertIn("Terlambat 3 hari: Jadwal distribusi hulu (KPU Kukar)", [d["text"] for d in snap.data["decide"]])
        # the action is done afterwards: the live report changes, the snapshot does not
        actions.set_action_status(self.kpu_operator, self.late, "done", "", self.late.version)
        self.client.force_login(self.polres_officer)
        kept = self.client.get(f"/meetings/snapshots/{snap.pk}/")
        self.assertContains(kept, "Jadwal distribusi hulu")
        live = self.client.get(f"/meetings/report/64.02/?election={self.election.pk}")
        self.assertContains(live, "0 terlambat")
        self.assertContains(self.client.get(f"/meetings/{self.rakor.pk}/"), f"/meetings/snapshots/{snap.pk}/")

    def test_a_snapshot_edit_is_refused_in_indonesian_and_nothing_changes(self) -> None:
        snap = actions.store_snapshot(
            self.desk_admin, self.rakor, self.election, self.kukar, self.rakor.starts_at, {"decide": []}
        )
        snap.data = {"decide": [{"text": "diubah"}]}
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            snap.save()
        self.assertIn("tidak dapat diubah", e.exception.messages[0])
        with translation.override("id"), self.assertRaises(ValidationError):
            ReportSnapshot.objects.filter(pk=snap.pk).update(data={})
        snap.refresh_from_db()
        self.assertEqual(snap.data, {"decide": []})

    def test_only_the_desk_keeps_a_report(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.store_snapshot(self.kpu_operator, self.rakor, self.election, self.kukar, self.rakor.starts_at, {})


@override_settings(SINERGI_TODAY=TODAY)
class SnapshotScopeTest(MeetingsTestCase):
    """A kept report holds what the Desk saw: it is read where the live report of its region is."""

    def keep(self, meeting: Meeting, region: Region) -> ReportSnapshot:
        data = {"region": {"code": region.code}, "decide": [], "sections": [{"name": "Tindak lanjut", "html": "x"}]}
        return actions.store_snapshot(self.desk_admin, meeting, self.election, region, meeting.starts_at, data)

    def test_the_camat_of_sebulu_reads_neither_the_kukar_report_nor_its_kept_snapshot(self) -> None:
        snap = self.keep(self.rakor, self.kukar)
        self.client.force_login(self.camat_sebulu)
        self.assertEqual(self.client.get("/meetings/report/64.02/").status_code, 404)
        self.assertEqual(self.client.get(f"/meetings/snapshots/{snap.pk}/").status_code, 404)
        self.assertEqual(self.client.get(f"/api/v1/meetings/snapshots/{snap.pk}").status_code, 404)
        page = self.client.get(f"/meetings/{self.rakor.pk}/")  # the rakor itself is read from below
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, f"/meetings/snapshots/{snap.pk}/")
        self.client.force_login(self.polres_officer)
        self.assertEqual(self.client.get(f"/meetings/snapshots/{snap.pk}/").status_code, 200)

    def test_a_report_is_kept_only_with_a_meeting_about_its_region_or_above(self) -> None:
        sebulu = Region.objects.get(code="64.02.07")
        camat_rakor = self.meeting(wita(11, 12), "Rakor Kecamatan Sebulu", region=sebulu)
        audit_rows = AuditEntry.objects.count()
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            self.keep(camat_rakor, self.kukar)
        self.assertIn("Laporan 64.02 hanya dapat disimpan bersama rapat tentang 64.02", e.exception.messages[0])
        self.client.force_login(self.desk_admin)
        r = self.client.post(
            f"/meetings/report/64.02/snapshot/?election={self.election.pk}", {"meeting": camat_rakor.pk}, follow=True
        )
        self.assertContains(r, "hanya dapat disimpan bersama rapat tentang 64.02")
        r = self.client.post(
            f"/api/v1/meetings/{camat_rakor.pk}/snapshots", {"region_code": "64.02"}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("64.02", r.json()["errors"]["meeting"][0])
        self.assertFalse(ReportSnapshot.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), audit_rows)
        self.keep(camat_rakor, sebulu)  # Sebulu's report at Sebulu's rakor

    def test_a_report_is_kept_only_with_a_meeting_of_its_election(self) -> None:
        untracked = self.meeting(wita(11, 12), "Rakor tanpa pemilihan", election=None)
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            self.keep(untracked, self.kukar)
        self.assertIn("bukan rapat", e.exception.messages[0])
        self.assertFalse(ReportSnapshot.objects.exists())
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/meetings/report/64.02/?election={self.election.pk}")
        offered = [m.pk for m in r.context["form"].fields["meeting"].queryset]
        self.assertEqual(offered, [self.rakor.pk])
