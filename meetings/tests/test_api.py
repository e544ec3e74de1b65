"""/api/v1/meetings/: the same rights and the same refusals as the pages."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from core.models import AuditEntry
from elections.models import Election
from meetings.models import ActionItem, Attendance, ReportSnapshot
from meetings.tests.base import MeetingsTestCase, wita


class MeetingsApiTest(MeetingsTestCase):
    def post(self, user: Any, url: str, data: dict[str, Any]) -> Any:
        self.client.force_login(user)
        return self.client.post(f"/api/v1/meetings{url}", data, content_type="application/json")

    def test_the_desk_creates_a_meeting_whose_time_keeps_its_zone(self) -> None:
        r = self.post(
            self.desk_admin,
            "/",
            {
                "title": "Apel siaga Pilkada Kukar",
                "kind": "parade",
                "region_code": "64.02",
                "organiser_id": self.desk.pk,
                "election_id": self.election.pk,
                "starts_at": "2024-11-25T07:30:00+08:00",
                "invited_agency_ids": [self.polres.pk],
            },
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["timezone"], "Asia/Makassar")
        self.assertEqual(dt.datetime.fromisoformat(r.json()["starts_at"]), wita(11, 25, 7) + dt.timedelta(minutes=30))

    def test_attendance_of_an_agency_not_invited_is_refused_with_nothing_written(self) -> None:
        before = AuditEntry.objects.count()
        r = self.post(
            self.desk_admin, f"/{self.rakor.pk}/attendance", {"agency_id": self.bawaslu.pk, "status": "present"}
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("tidak diundang", r.json()["errors"]["agency"][0])
        self.assertEqual(AuditEntry.objects.count(), before)
        self.assertFalse(Attendance.objects.filter(agency=self.bawaslu).exists())

    def test_an_action_without_owner_and_due_date_is_refused_field_by_field(self) -> None:
        decision = self.post(self.desk_admin, f"/{self.rakor.pk}/decisions", {"text": "Distribusi hulu didahulukan"})
        self.assertEqual(decision.status_code, 201)
        r = self.post(self.desk_admin, f"/decisions/{decision.json()['id']}/actions", {"title": "Jadwal"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(set(r.json()["errors"]), {"owner", "due"})
        self.assertFalse(ActionItem.objects.exists())

    def test_the_owner_closes_its_action_and_a_stale_version_is_a_conflict(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        r = self.post(
            self.kpu_operator, f"/actions/{item.pk}/status", {"version": 1, "status": "done", "note": "Terbit"}
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["status"], "done")
        r = self.post(self.kpu_operator, f"/actions/{item.pk}/status", {"version": 1, "status": "open", "note": ""})
        self.assertEqual(r.status_code, 409)

    def test_the_meeting_lists_actions_carried_over_and_each_agency_reads_its_inbox(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        nxt = self.meeting(wita(11, 18), "Rakor Pjs Bupati Kukar")
        self.client.force_login(self.polres_officer)
        r = self.client.get(f"/api/v1/meetings/{nxt.pk}")
        self.assertEqual([a["id"] for a in r.json()["carried_over"]], [item.pk])
        self.assertEqual(self.client.get("/api/v1/meetings/actions").json()["items"], [])
        self.client.force_login(self.kpu_operator)
        inbox = self.client.get("/api/v1/meetings/actions").json()["items"]
        self.assertEqual([(a["title"], a["overdue"]) for a in inbox], [("Jadwal distribusi hulu", True)])

    def test_a_report_is_kept_for_a_region_in_scope_and_refused_outside_it(self) -> None:
        r = self.post(self.desk_admin, f"/{self.rakor.pk}/snapshots", {"region_code": "64.72"})
        self.assertEqual(r.status_code, 400)
        self.assertIn("di luar cakupan Anda", r.json()["errors"]["region_code"][0])
        self.assertFalse(ReportSnapshot.objects.exists())
        r = self.post(self.desk_admin, f"/{self.rakor.pk}/snapshots", {"region_code": "64.02"})
        self.assertEqual(r.status_code, 201, r.content)
        kept = self.client.get(f"/api/v1/meetings/snapshots/{r.json()['id']}").json()
        self.assertEqual(kept["data"]["region"]["code"], "64.02")
        self.assertEqual(kept["data"]["days_to_go"], 9)

    def test_a_time_without_offset_is_read_in_the_zone_of_the_meetings_election(self) -> None:
        papua = Election.objects.create(
            name="Pilkada 2024 (WIT)",
            kind="pilkada",
            region_id="64",
            voting_date=dt.date(2024, 11, 27),
            timezone="Asia/Jayapura",
        )
        data = {"title": "Rakor WIT", "region_code": "64.02", "organiser_id": self.desk.pk}
        r = self.post(self.desk_admin, "/", data | {"election_id": papua.pk, "starts_at": "2024-11-24T08:00:00"})
        self.assertEqual(r.status_code, 201, r.content)
        wit = zoneinfo.ZoneInfo("Asia/Jayapura")
        self.assertEqual(dt.datetime.fromisoformat(r.json()["starts_at"]), dt.datetime(2024, 11, 24, 8, tzinfo=wit))

    def test_an_action_may_concern_only_the_linkable_kinds_and_nothing_is_written(self) -> None:
        decision = self.post(self.desk_admin, f"/{self.rakor.pk}/decisions", {"text": "Periksa TPS"}).json()
        audit_rows = AuditEntry.objects.count()
        url = f"/decisions/{decision['id']}/actions"
        base = {"title": "Periksa", "owner_id": self.kpu.pk, "due": "2024-11-20"}
        r = self.post(self.desk_admin, url, base | {"concerns_kind": "auth.user", "concerns_id": self.kpu_operator.pk})
        self.assertEqual(r.status_code, 400)
        self.assertIn("logistics.node, regions.pollingstation", r.json()["errors"]["concerns_kind"][0])
        r = self.post(
            self.desk_admin,
            url,
            base | {"concerns_kind": "regions.pollingstation", "concerns_id": self.tps_samarinda.pk},
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("di wilayah Anda", r.json()["errors"]["concerns_id"][0])
        self.assertFalse(ActionItem.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), audit_rows)
        r = self.post(
            self.desk_admin, url, base | {"concerns_kind": "regions.pollingstation", "concerns_id": self.tps_sebulu.pk}
        )
        self.assertEqual(r.status_code, 201, r.content)
        self.assertEqual(r.json()["concerns_kind"], "regions.pollingstation")


class MeetingsApiQueriesTest(MeetingsTestCase):
    def count(self, url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(ctx.captured_queries)

    def test_lists_cost_the_same_queries_for_one_row_and_for_many(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.action(self.rakor, "Aksi 1", self.kpu, dt.date(2024, 11, 16))
        one = (self.count("/api/v1/meetings/actions"), self.count("/api/v1/meetings/"))
        for n in range(2, 5):
            self.action(self.meeting(wita(11, 10 + n), f"Rakor {n}"), f"Aksi {n}", self.kpu, dt.date(2024, 11, 20))
        self.assertEqual((self.count("/api/v1/meetings/actions"), self.count("/api/v1/meetings/")), one)
