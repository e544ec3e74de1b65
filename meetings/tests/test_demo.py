"""The demo's five rakor of 2024, replayed as they stood at the demo's moment."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.test import TestCase, override_settings

from agencies.models import Agency, AgencyKind, Membership, Role
from core import dates
from core.demo import MOMENTS
from core.models import AuditEntry
from meetings import demo, selectors
from meetings.models import ActionItem, ActionStatus, Meeting, ReportSnapshot
from tests import fixtures

H_9, H_2 = MOMENTS[0][0], MOMENTS[1][0]
# the demo's agencies that take part in the rakor (agencies/demo.py names them the same)
AGENCIES = [
    (demo.DESK_KALTIM, AgencyKind.DESK, "64"),
    ("Polda Kalimantan Timur", AgencyKind.POLRI, "64"),
    ("KPU Provinsi Kalimantan Timur", AgencyKind.KPU, "64"),
    ("Bawaslu Provinsi Kalimantan Timur", AgencyKind.BAWASLU, "64"),
    (demo.DESK_KUKAR, AgencyKind.DESK, "64.02"),
    (demo.KPU_KUKAR, AgencyKind.KPU, "64.02"),
    (demo.BAWASLU_KUKAR, AgencyKind.BAWASLU, "64.02"),
    (demo.POLRES_KUKAR, AgencyKind.POLRI, "64.02"),
    (demo.KODIM_KUKAR, AgencyKind.TNI, "64.02"),
    (demo.SEBULU, AgencyKind.KECAMATAN, "64.02.07"),
]


class MeetingsDemoTest(TestCase):
    ctx: dict[str, Any]
    reader: Any

    @classmethod
    def setUpTestData(cls) -> None:
        fixtures.make_regions()
        cls.ctx = {"logins": [], "election": fixtures.make_election(), "moment": H_9}
        for name, kind, region in AGENCIES:
            Agency.objects.get_or_create(name=name, defaults={"kind": kind, "region_id": region})
        cls.reader = get_user_model().objects.create(username="superreader", is_superuser=True)
        desk = get_user_model().objects.create(username=demo.DESK_LOGIN)
        Membership.objects.create(
            user=desk, agency=Agency.objects.get(name=demo.DESK_KUKAR), role=Role.ADMIN, scope_id="64.02"
        )

    def replay(self, moment: dt.datetime) -> None:
        demo.replay(self.ctx, moment)

    def test_the_five_rakor_of_2024_are_there_with_their_published_facts_labelled_official(self) -> None:
        self.replay(H_9)
        meetings = list(Meeting.objects.order_by("starts_at"))
        self.assertEqual(
            [(m.starts_at.date(), m.venue.split(",")[0]) for m in meetings],
            [
                (dt.date(2024, 2, 6), "Novotel Balikpapan"),
                (dt.date(2024, 9, 3), "Gedung Putri Karang Melenu"),
                (dt.date(2024, 11, 9), "Hotel Grand Elty Singgasana"),
                (dt.date(2024, 11, 13), "Novotel Balikpapan"),
                (dt.date(2024, 11, 18), "Pendopo Wakil Bupati"),
            ],
        )
        self.assertTrue(all(m.source and m.source.status == "official" for m in meetings))
        self.assertTrue(all(a.source and a.source.status == "illustrative" for a in ActionItem.objects.all()))

    @override_settings(SINERGI_TODAY="2024-11-18")
    def test_on_18_november_some_actions_are_done_and_some_overdue_and_carried_into_the_kukar_rakor(self) -> None:
        with dates.pinned(H_9):
            self.replay(H_9)
            late = {a.title for a in ActionItem.objects.filter(status=ActionStatus.OPEN, due__lt=dt.date(2024, 11, 18))}
            self.assertEqual(
                late, {"Rekap 11 kasus pelanggaran untuk rakor berikutnya", "Laporan status logistik ke kecamatan hulu"}
            )
            self.assertTrue(ActionItem.objects.filter(status=ActionStatus.DONE).exists())
            rakor = Meeting.objects.get(starts_at__date=dt.date(2024, 11, 18))
            carried = {a.title for a in selectors.carried_over(self.reader, rakor)}
            # the Desk's own report, open when the rakor began at 09.00 and done at 10.00, is on its agenda too
            self.assertEqual(carried, late | {"Status logistik Kukar di rakor Pjs Bupati"})

    def test_a_later_moment_shows_the_actions_done_since_and_nothing_before_it_happened(self) -> None:
        self.replay(H_2)
        done = ActionItem.objects.get(title="Laporan status logistik ke kecamatan hulu")
        self.assertEqual(done.status, ActionStatus.DONE)
        entry = AuditEntry.objects.get(action="action_item.done", object_id=str(done.pk))
        self.assertEqual(entry.at.date(), dt.date(2024, 11, 24))
        self.replay(H_9)
        self.assertEqual(ActionItem.objects.get(title=done.title).status, ActionStatus.OPEN)
        self.replay(dt.datetime(2024, 11, 1, 12, tzinfo=H_9.tzinfo))
        self.assertEqual(Meeting.objects.count(), 2)  # the Feb and Sep rakor; November's had not happened

    def test_the_report_presented_at_the_18_november_rakor_is_kept_with_it_as_it_stood_then(self) -> None:
        self.replay(H_9)
        self.replay(H_2)  # a week later: the two actions are done by now, the kept report still lists them
        snap = ReportSnapshot.objects.get()
        self.assertEqual(snap.meeting.starts_at.date(), dt.date(2024, 11, 18))
        self.assertEqual(snap.data["at_text"], "18 November 2024 09.30 WITA")
        self.assertEqual(snap.data["days_to_go"], 9)
        decide = " ".join(d["text"] for d in snap.data["decide"])
        self.assertIn("Rekap 11 kasus pelanggaran untuk rakor berikutnya", decide)
        self.assertIn("Laporan status logistik ke kecamatan hulu", decide)
        self.assertEqual(AuditEntry.objects.get(action="meeting.report_snapshot").at, demo.REPORT_AT)

    def test_moving_the_clock_from_18_to_25_november_leaves_the_kept_report_as_it_was(self) -> None:
        self.replay(H_9)
        before = ReportSnapshot.objects.get()
        stored = (before.pk, before.at, json.dumps(before.data, sort_keys=False))
        self.replay(H_2)  # the logistics and the actions have moved on; the report of 09.30 has not
        after = ReportSnapshot.objects.get()
        self.assertEqual((after.pk, after.at, json.dumps(after.data, sort_keys=False)), stored)
        # its links still lead to the actions it listed, which kept their ids
        for title in ["Rekap 11 kasus pelanggaran untuk rakor berikutnya", "Laporan status logistik ke kecamatan hulu"]:
            item = ActionItem.objects.get(title=title)
            self.assertEqual(item.status, ActionStatus.DONE)
            self.assertIn(f"/meetings/actions/{item.pk}/", json.dumps(after.data))
        self.replay(H_2)
        self.assertEqual(json.dumps(ReportSnapshot.objects.get().data), stored[2])

    def test_the_report_does_not_exist_before_09_30_on_18_november_nor_from_a_later_moments_figures(self) -> None:
        self.replay(H_9)
        self.replay(demo.REPORT_AT - dt.timedelta(minutes=1))
        self.assertFalse(ReportSnapshot.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="meeting.report_snapshot").exists())
        self.replay(H_2)  # generated now it would carry 25 Nov's figures under 09.30's name: none
        self.assertFalse(ReportSnapshot.objects.exists())
        self.replay(H_9)
        self.assertEqual(ReportSnapshot.objects.get().data["at_text"], "18 November 2024 09.30 WITA")

    def test_replaying_twice_changes_nothing(self) -> None:
        self.replay(H_9)
        first = (Meeting.objects.count(), ActionItem.objects.count(), AuditEntry.objects.count())
        self.replay(H_9)
        self.assertEqual((Meeting.objects.count(), ActionItem.objects.count(), AuditEntry.objects.count()), first)
