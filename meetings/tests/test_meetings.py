"""Meetings, attendance, decisions and action items: what the Desk records and what each agency sees."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory, override_settings
from django.utils import translation

from core import dates
from core.models import AuditEntry
from elections.models import Election
from meetings import actions, registry, selectors
from meetings.models import ActionItem, ActionStatus, Attendance, AttendanceStatus
from meetings.tests.base import TODAY, MeetingsTestCase, wita
from regions.models import PollingStation, Region
from tests import fixtures


@override_settings(SINERGI_TODAY=TODAY)
class MeetingPageTest(MeetingsTestCase):
    def test_the_meeting_page_shows_its_time_in_wita_with_its_venue_and_agencies(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get(f"/meetings/{self.rakor.pk}/")
        self.assertContains(r, "9 November 2024 09.00 WITA")
        self.assertContains(r, "Pendopo Wakil Bupati, Tenggarong")
        self.assertContains(r, "Polres Kukar")

    def test_the_desk_creates_a_meeting_from_the_form_in_wita(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post(
            "/meetings/new/",
            {
                "kind": "sendoff",
                "title": "Pelepasan logistik Pilkada Kukar",
                "election": self.election.pk,
                "region_code": "64.02",
                "organiser": self.desk.pk,
                "starts_at": "2024-11-24T08:00",
                "invited": [self.kpu.pk, self.polres.pk],
            },
        )
        self.assertEqual(r.status_code, 302, r.content[:500])
        m = selectors.meetings_in(self.desk_admin).get(title="Pelepasan logistik Pilkada Kukar")
        self.assertEqual(m.starts_at, wita(11, 24, 8))
        self.assertEqual(Attendance.objects.filter(meeting=m, invited=True).count(), 2)
        self.assertTrue(AuditEntry.objects.filter(action="meeting.create", object_id=str(m.pk)).exists())

    def test_the_time_is_read_in_the_zone_of_the_meetings_election(self) -> None:
        papua = Election.objects.create(
            name="Pilkada 2024 (WIT)",
            kind="pilkada",
            region_id="64",
            voting_date=dt.date(2024, 11, 27),
            timezone="Asia/Jayapura",
        )
        self.client.force_login(self.desk_admin)
        data = {"kind": "rakor", "title": "Rakor WIT", "election": papua.pk, "region_code": "64.02"}
        r = self.client.post("/meetings/new/", {**data, "organiser": self.desk.pk, "starts_at": "2024-11-24T08:00"})
        self.assertEqual(r.status_code, 302, r.content[:300])
        m = selectors.meetings_in(self.desk_admin).get(title="Rakor WIT")
        self.assertEqual(m.starts_at, wita(11, 24, 7))  # 08.00 WIT is 07.00 WITA
        self.assertContains(self.client.get(f"/meetings/{m.pk}/"), "24 November 2024 08.00 WIT")

    def test_the_home_page_shows_the_last_meeting_and_the_overdue_actions(self) -> None:
        self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/")
        self.assertContains(r, 'data-testid="meetings-tile"')
        self.assertContains(r, "Rakor integritas Pilkada Kukar")
        self.assertContains(r, "1 tindak lanjut terlambat")

    def test_the_home_card_gives_readiness_in_the_users_area(self) -> None:
        for title, due in (("Gudang siap", dt.date(2024, 11, 12)), ("KPPS dilantik", dt.date(2024, 11, 25))):
            actions.create_readiness_item(
                self.desk_admin,
                {"election": self.election, "region": self.kukar, "owner": self.kpu, "title": title, "due": due},
            )
        self.client.force_login(self.desk_admin)
        r = self.client.get("/")
        self.assertContains(r, 'data-testid="home-readiness"')
        self.assertContains(r, "0 dari 2 (0,0%)")
        self.assertContains(r, "1 lewat tenggat")

    def test_the_attendance_form_names_an_agency_not_invited_and_saves_nothing(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post(f"/meetings/{self.rakor.pk}/attendance/", {"agency": self.bawaslu.pk, "status": "present"})
        self.assertContains(r, "Bawaslu Kukar tidak diundang ke rapat ini; tandai sebagai tamu")
        self.assertFalse(Attendance.objects.filter(agency=self.bawaslu).exists())
        r = self.client.post(
            f"/meetings/{self.rakor.pk}/attendance/", {"agency": self.bawaslu.pk, "status": "present", "guest": "on"}
        )
        self.assertRedirects(r, f"/meetings/{self.rakor.pk}/")
        self.assertContains(self.client.get(f"/meetings/{self.rakor.pk}/"), "tamu")

    def test_the_public_sees_nothing_of_meetings(self) -> None:
        self.assertNotContains(self.client.get("/"), "Rakor integritas Pilkada Kukar")
        r = self.client.get(f"/meetings/{self.rakor.pk}/")
        self.assertEqual(r.status_code, 302)
        r = self.client.get("/api/v1/meetings/")
        self.assertEqual(r.status_code, 401)


class AttendanceTest(MeetingsTestCase):
    def test_an_invited_agency_is_recorded_as_represented_by_someone(self) -> None:
        row = actions.record_attendance(
            self.desk_admin, self.rakor, self.polres, AttendanceStatus.REPRESENTED, represented_by="Wakapolres Kukar"
        )
        self.assertTrue(row.invited)
        self.assertEqual(row.represented_by, "Wakapolres Kukar")

    def test_an_agency_not_invited_is_refused_unless_marked_as_a_guest_and_nothing_is_written(self) -> None:
        audit_rows = AuditEntry.objects.count()
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            actions.record_attendance(self.desk_admin, self.rakor, self.bawaslu, AttendanceStatus.PRESENT)
        self.assertIn("tidak diundang", e.exception.message_dict["agency"][0])
        self.assertFalse(Attendance.objects.filter(meeting=self.rakor, agency=self.bawaslu).exists())
        self.assertEqual(AuditEntry.objects.count(), audit_rows)
        row = actions.record_attendance(self.desk_admin, self.rakor, self.bawaslu, AttendanceStatus.PRESENT, guest=True)
        self.assertFalse(row.invited)

    def test_only_the_desk_records_attendance(self) -> None:
        with self.assertRaises(PermissionDenied):
            actions.record_attendance(self.kpu_operator, self.rakor, self.kpu, AttendanceStatus.PRESENT)


@override_settings(SINERGI_TODAY=TODAY)
class ActionItemTest(MeetingsTestCase):
    def test_an_action_without_owner_or_due_date_is_refused_in_indonesian_and_nothing_is_written(self) -> None:
        decision = actions.add_decision(self.desk_admin, self.rakor, "Distribusi ke daerah terpencil didahulukan")
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            actions.add_action(
                self.desk_admin, decision, {"title": "Jadwal distribusi hulu", "owner": None, "due": None}
            )
        self.assertIn("Sebutkan instansi", e.exception.message_dict["owner"][0])
        self.assertIn("tenggat", e.exception.message_dict["due"][0])
        self.assertFalse(ActionItem.objects.exists())

    def test_a_due_date_before_the_meeting_is_refused(self) -> None:
        decision = actions.add_decision(self.desk_admin, self.rakor, "Distribusi ke daerah terpencil didahulukan")
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            actions.add_action(
                self.desk_admin, decision, {"title": "Jadwal", "owner": self.kpu, "due": dt.date(2024, 11, 8)}
            )
        self.assertIn("sebelum rapat (9 November 2024)", e.exception.message_dict["due"][0])
        self.assertFalse(ActionItem.objects.exists())

    def test_the_owner_agency_closes_its_action_and_each_transition_is_audited(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        item = actions.set_action_status(self.kpu_operator, item, ActionStatus.DONE, "Jadwal terbit", item.version)
        self.assertEqual(item.status, ActionStatus.DONE)
        self.assertIsNotNone(item.closed_at)
        item = actions.set_action_status(self.kpu_operator, item, ActionStatus.OPEN, "Dibuka lagi", item.version)
        self.assertIsNone(item.closed_at)
        self.assertEqual(
            list(
                AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="action_item.")
                .order_by("id")
                .values_list("action", flat=True)
            ),
            ["action_item.create", "action_item.done", "action_item.open"],
        )

    def test_another_agency_may_not_close_it(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        with self.assertRaises(PermissionDenied):
            actions.set_action_status(self.polres_officer, item, ActionStatus.DONE, "", item.version)

    def test_dropping_an_action_needs_a_reason(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        with self.assertRaises(ValidationError) as e:
            actions.set_action_status(self.desk_admin, item, ActionStatus.DROPPED, "", item.version)
        self.assertIn("status_note", e.exception.message_dict)

    def test_each_agency_finds_its_own_actions_in_its_inbox_and_in_my_tasks(self) -> None:
        mine = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        self.action(self.rakor, "Pengamanan gudang", self.polres, dt.date(2024, 11, 20))
        self.assertEqual(list(selectors.inbox(self.kpu_operator, self.kpu.pk)), [mine])
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/meetings/actions/")
        self.assertContains(r, "Jadwal distribusi hulu")
        self.assertNotContains(r, "Pengamanan gudang")
        home = self.client.get("/")
        self.assertContains(home, "Jadwal distribusi hulu")
        self.assertContains(home, "terlambat 2 hari")

    def test_the_desk_lists_overdue_actions_only(self) -> None:
        self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        self.action(self.rakor, "Pengamanan gudang", self.polres, dt.date(2024, 11, 20))
        self.client.force_login(self.desk_admin)
        r = self.client.get("/meetings/actions/overdue/")
        self.assertContains(r, "Jadwal distribusi hulu")
        self.assertNotContains(r, "Pengamanan gudang")

    def test_an_action_links_to_what_it_concerns_generically(self) -> None:
        item = self.action(
            self.rakor,
            "Periksa TPS Sebulu Ilir",
            self.kpu,
            dt.date(2024, 11, 20),
            **actions.concerns_of(self.tps_sebulu),
        )
        self.assertEqual(item.concerns_type.model, "pollingstation")  # type: ignore[union-attr]
        self.assertEqual(item.concerns_id, self.tps_sebulu.pk)

    def refused_link(self, kind: str, pk: int, region: Region | None = None) -> dict[str, list[str]]:
        """Try to link an action to the record ``kind`` #``pk``: the refusal, with nothing written."""
        decision = actions.add_decision(self.desk_admin, self.rakor, "Periksa TPS")
        audit_rows = AuditEntry.objects.count()
        ct = ContentType.objects.get_by_natural_key(*kind.split("."))
        data = {"title": "Periksa", "owner": self.kpu, "due": dt.date(2024, 11, 20), "region": region}
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            actions.add_action(self.desk_admin, decision, data | {"concerns_type": ct, "concerns_id": pk})
        self.assertFalse(ActionItem.objects.exists())
        self.assertEqual(AuditEntry.objects.count(), audit_rows)
        return e.exception.message_dict

    def test_an_action_cannot_concern_a_kind_of_record_that_is_not_linkable(self) -> None:
        errors = self.refused_link("auth.user", self.kpu_operator.pk)
        self.assertEqual(
            errors["concerns_kind"],
            ["Tindak lanjut hanya dapat terkait dengan: logistics.node, regions.pollingstation, security.incident."],
        )

    def test_a_tps_out_of_the_desks_sight_is_answered_like_one_that_does_not_exist(self) -> None:
        samarinda = self.refused_link("regions.pollingstation", self.tps_samarinda.pk)["concerns_id"]
        missing = PollingStation.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1
        nowhere = self.refused_link("regions.pollingstation", missing)["concerns_id"]
        self.assertEqual(
            samarinda, [f"Tidak ada regions.pollingstation dengan id {self.tps_samarinda.pk} di wilayah Anda."]
        )
        self.assertEqual(nowhere, [f"Tidak ada regions.pollingstation dengan id {missing} di wilayah Anda."])

    def test_the_record_an_action_concerns_lies_inside_the_actions_region(self) -> None:
        sebulu = Region.objects.get(code="64.02.07")
        errors = self.refused_link("regions.pollingstation", self.tps_tenggarong.pk, region=sebulu)
        self.assertIn("di luar wilayah tindak lanjut (64.02.07)", errors["concerns_id"][0])


@override_settings(SINERGI_TODAY=TODAY)
class CarryOverTest(MeetingsTestCase):
    """An unfinished action shows on the next meeting's agenda; derived, never copied."""

    def test_an_open_action_is_carried_into_the_next_meeting_and_drops_off_once_done(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        done_early = self.action(self.rakor, "Daftar personel", self.polres, dt.date(2024, 11, 12))
        with dates.pinned(wita(11, 12)):
            actions.set_action_status(self.polres_officer, done_early, ActionStatus.DONE, "", done_early.version)
        nxt = self.meeting(wita(11, 18), "Rakor Pjs Bupati Kukar")
        self.assertEqual(list(selectors.carried_over(self.desk_admin, nxt)), [item])
        self.client.force_login(self.bawaslu_investigator)
        self.assertContains(self.client.get(f"/meetings/{nxt.pk}/"), "Jadwal distribusi hulu")
        rows_before = ActionItem.objects.count()
        with dates.pinned(wita(11, 20)):
            actions.set_action_status(self.kpu_operator, item, ActionStatus.DONE, "", item.version)
        self.assertEqual(ActionItem.objects.count(), rows_before)  # nothing was copied
        # done on 20 Nov: the 18 Nov agenda still shows it as it stood; the 25 Nov one no longer does
        self.assertEqual(list(selectors.carried_over(self.desk_admin, nxt)), [item])
        later = self.meeting(wita(11, 25), "Rakor H-2")
        self.assertEqual(list(selectors.carried_over(self.desk_admin, later)), [])

    def test_an_action_entered_after_a_meeting_began_is_not_on_its_agenda_as_it_stood(self) -> None:
        on_time = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        nxt = self.meeting(wita(11, 18), "Rakor Pjs Bupati Kukar")
        # entered on 19 Nov under the 9 Nov rakor's decisions: not on the 18 Nov agenda, on the 25 Nov one
        late = self.action(self.rakor, "Pengamanan gudang", self.polres, dt.date(2024, 11, 20), at=wita(11, 19))
        self.assertEqual(list(selectors.carried_over(self.desk_admin, nxt)), [on_time])
        later = self.meeting(wita(11, 25), "Rakor H-2")
        self.assertEqual(list(selectors.carried_over(self.desk_admin, later)), [on_time, late])

    def test_a_kabupaten_wide_action_is_not_carried_into_a_kecamatan_meeting(self) -> None:
        fixtures.make_regions()
        self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 16))
        other = self.meeting(wita(11, 18), "Rakor Sebulu", region=self.tps_sebulu.village.parent)
        self.assertEqual(list(selectors.carried_over(self.desk_admin, other)), [])


class HomeCardTest(MeetingsTestCase):
    @override_settings(TIME_ZONE="Asia/Jayapura", SINERGI_TODAY=TODAY)
    def test_without_an_election_the_home_card_tells_next_from_last_in_the_servers_zone(self) -> None:
        # noon of 18 Nov on a WIT server is 11.00 WITA: a rakor at 11.30 WITA is still to come
        soon = self.meeting(wita(11, 18, 11) + dt.timedelta(minutes=30), "Rakor siang", election=None)
        request = RequestFactory().get("/")
        request.user = self.desk_admin
        card = registry.home_tile(request, None, "64.02")
        self.assertEqual(card["next"], soon)  # type: ignore[index]
