"""Participation as the Desk, KPU and the PPK use it: the gap arithmetic, the targets that disagree,
the turnout history, outreach and voting-day reports, bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from core.actions import ConcurrentEditError
from core.models import AuditEntry, Source
from participation import actions, selectors
from participation.models import Outreach, OutreachPhoto, Target, TurnoutHistory, TurnoutReport
from participation.tests.permission_cases import png
from regions.models import Region
from tests.base import SinergiTestCase

VOTING_DAY = "2024-11-27"


class ArithmeticTest(SimpleTestCase):
    def test_voters_needed_is_the_target_rounded_up_less_the_last_turnout_rounded(self) -> None:
        # ceil(1,000 × 77.5%) = 775; round(1,000 × 70.98%) = 710
        self.assertEqual(selectors.voters_needed(1000, Decimal("77.5"), Decimal("70.98")), 65)

    def test_a_place_above_its_target_needs_no_one(self) -> None:
        self.assertEqual(selectors.voters_needed(1000, Decimal("77.5"), Decimal("81.24")), 0)

    def test_without_a_target_or_a_last_turnout_nothing_is_computed(self) -> None:
        self.assertIsNone(selectors.voters_needed(1000, None, Decimal("70")))
        self.assertIsNone(selectors.voters_needed(1000, Decimal("77.5"), None))

    def test_kukar_2024_turnout_is_ballots_used_over_dpt(self) -> None:
        row = TurnoutHistory(dpt=552469, voters=392161)
        self.assertEqual(row.turnout, Decimal("70.98"))
        self.assertTrue(row.computed)

    def test_a_published_percentage_is_used_when_voters_are_not_known(self) -> None:
        row = TurnoutHistory(percent=Decimal("56.57"))
        self.assertEqual(row.turnout, Decimal("56.57"))
        self.assertFalse(row.computed)


class ParticipationTestCase(SinergiTestCase):
    sebulu_ilir: Region
    kukar: Region
    sebulu: Region

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sebulu_ilir = Region.objects.get(code="64.02.07.2001")
        cls.sebulu = Region.objects.get(code="64.02.07")
        cls.kukar = Region.objects.get(code="64.02")

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(translation.override("en"))
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def source(self, **over: Any) -> dict[str, Any]:
        return {
            "source_status": "official",
            "source_publisher": "Pjs Bupati Kukar",
            "source_title": "Rakor Pilkada",
            "source_as_of": dt.date(2024, 11, 18),
            **over,
        }

    def target(self, value: Any = "77.5", cited_on: dt.date = dt.date(2024, 11, 18), **over: Any) -> Target:
        data = {"region": self.kukar, "value": value, "cited_on": cited_on, **self.source(), **over}
        return actions.add_target(self.desk_admin, self.election, data)

    def history(self, **over: Any) -> TurnoutHistory:
        data = {
            "region": self.kukar,
            "label": "Pilkada 2020",
            "held_on": dt.date(2020, 12, 9),
            "dpt": None,
            "voters": None,
            "percent": "56.57",
            "as_of": dt.date(2020, 12, 31),
            **self.source(source_as_of=dt.date(2020, 12, 31)),
            **over,
        }
        return actions.add_history(self.desk_admin, data)

    def event(self, actor: Any = None, **over: Any) -> Outreach:
        data = {
            "region": self.sebulu_ilir,
            "held_on": dt.date(2024, 11, 10),
            "audience": ["first_time", "women"],
            "attendance": 60,
            "venue": "Balai desa",
            "notes": "Catatan rahasia sosialisasi",
            **over,
        }
        return actions.record_outreach(actor or self.kpu_operator, self.election, data, client_id=uuid.uuid4())

    def counts(self) -> tuple[int, ...]:
        return (
            Target.objects.count(),
            TurnoutHistory.objects.count(),
            Outreach.objects.count(),
            OutreachPhoto.objects.count(),
            TurnoutReport.objects.count(),
            Source.objects.count(),
            AuditEntry.objects.count(),
        )

    def refused(self, field: str, call: Any, message: str) -> None:
        before = self.counts()
        with self.assertRaises(ValidationError) as caught:
            call()
        self.assertIn(field, caught.exception.message_dict)
        self.assertIn(message, " ".join(caught.exception.message_dict[field]))
        self.assertEqual(self.counts(), before, "nothing written")


class TargetTest(ParticipationTestCase):
    def test_a_target_above_100_percent_is_refused_and_nothing_written(self) -> None:
        self.refused("value", lambda: self.target("101"), "between 0 and 100")

    def test_a_negative_target_is_refused_and_nothing_written(self) -> None:
        self.refused("value", lambda: self.target("-1"), "between 0 and 100")

    def test_two_cited_targets_that_disagree_are_both_kept_and_the_latest_cited_is_the_working_one(self) -> None:
        self.target("79.5", dt.date(2024, 9, 1))
        self.target("77.5", dt.date(2024, 11, 18))
        t = selectors.targets(self.election, "64.02.07")
        self.assertEqual([r.value for r in t["rows"]], [Decimal("79.5"), Decimal("77.5")])
        self.assertEqual(t["value"], Decimal("77.5"))
        self.assertTrue(t["disagree"])

    def test_a_target_is_not_seen_before_the_day_it_was_cited(self) -> None:
        self.target("79.5", dt.date(2024, 9, 1))
        self.target("77.5", dt.date(2024, 11, 18))
        t = selectors.targets(self.election, "64.02", dt.date(2024, 10, 1))
        self.assertEqual(t["value"], Decimal("79.5"))
        self.assertFalse(t["disagree"])

    def test_only_an_admin_sets_a_target(self) -> None:
        before = self.counts()
        with self.assertRaises(PermissionDenied):
            actions.add_target(
                self.kpu_operator,
                self.election,
                {"region": self.kukar, "value": "77.5", "cited_on": dt.date(2024, 11, 18), **self.source()},
            )
        self.assertEqual(self.counts(), before)


class HistoryTest(ParticipationTestCase):
    def test_voters_above_the_dpt_are_refused_and_nothing_written(self) -> None:
        self.refused(
            "voters",
            lambda: self.history(label="Pilkada 2024", dpt=1000, voters=1001, percent=None),
            "turnout cannot exceed 100%",
        )

    def test_a_published_turnout_above_100_percent_is_refused_and_nothing_written(self) -> None:
        self.refused("percent", lambda: self.history(percent="100.5"), "between 0 and 100")

    def test_a_figure_without_voters_or_percentage_is_refused(self) -> None:
        self.refused("percent", lambda: self.history(percent=None), "or the published turnout")

    def test_a_figure_is_not_seen_before_its_as_of_date(self) -> None:
        self.history(
            label="Pilkada 2024",
            held_on=dt.date(2024, 11, 27),
            dpt=552469,
            voters=392161,
            percent=None,
            as_of=dt.date(2024, 12, 5),
        )
        self.history()
        self.assertEqual([h.label for h in selectors.history("64.02")], ["Pilkada 2020"])
        later = selectors.history("64.02", dt.date(2024, 12, 5))
        self.assertEqual([h.label for h in later], ["Pilkada 2024", "Pilkada 2020"])
        self.assertEqual(later[0].turnout, Decimal("70.98"))


class OutreachTest(ParticipationTestCase):
    def test_an_event_is_recorded_for_the_agency_of_the_user(self) -> None:
        event = self.event()
        self.assertEqual(event.agency and event.agency.name, "KPU Kukar")
        self.assertEqual(event.audience, ["first_time", "women"])
        self.assertTrue(AuditEntry.objects.filter(action="participation.outreach", object_id=str(event.pk)).exists())

    def test_a_retried_submission_records_the_event_once(self) -> None:
        cid = uuid.uuid4()
        data = {"region": self.sebulu_ilir, "held_on": dt.date(2024, 11, 10), "audience": ["women"], "attendance": 20}
        first = actions.record_outreach(self.kpu_operator, self.election, data, client_id=cid)
        again = actions.record_outreach(self.kpu_operator, self.election, data, client_id=cid)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Outreach.objects.count(), 1)
        with self.assertRaises(ConcurrentEditError):
            actions.record_outreach(self.kpu_operator, self.election, {**data, "attendance": 99}, client_id=cid)

    def test_a_date_after_voting_day_is_outside_the_stages_and_refused(self) -> None:
        self.refused("held_on", lambda: self.event(held_on=dt.date(2024, 11, 27)), "within the election's stages")

    def test_a_date_before_the_first_stage_is_refused(self) -> None:
        self.refused("held_on", lambda: self.event(held_on=dt.date(2024, 9, 1)), "within the election's stages")

    def test_a_negative_attendance_is_refused_and_nothing_written(self) -> None:
        self.refused("attendance", lambda: self.event(attendance=-5), "cannot be negative")

    def test_an_event_outside_the_users_area_is_refused(self) -> None:
        before = self.counts()
        with self.assertRaises(PermissionDenied):
            self.event(region=Region.objects.get(code="64.72.01.1001"))
        self.assertEqual(self.counts(), before)

    def test_the_camat_reads_but_does_not_record(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.event(actor=self.camat_sebulu)

    def test_a_photo_is_kept_and_a_file_that_is_no_picture_is_refused(self) -> None:
        data = {"region": self.sebulu_ilir, "held_on": dt.date(2024, 11, 10), "audience": ["women"], "attendance": 20}
        event = actions.record_outreach(self.kpu_operator, self.election, data, [SimpleUploadedFile("foto.png", png())])
        self.assertEqual(OutreachPhoto.objects.filter(outreach=event).count(), 1)
        pdf = SimpleUploadedFile("foto.pdf", b"%PDF-1.4\n%x\n")
        self.refused(
            "photos", lambda: actions.record_outreach(self.kpu_operator, self.election, data, [pdf]), "not a photo"
        )


class VotingDayTest(ParticipationTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(SINERGI_TODAY=VOTING_DAY))

    def test_a_report_above_the_tps_voters_is_refused_and_nothing_written(self) -> None:
        # DPT 390 + DPTb 0 + DPPh 0
        self.refused(
            "voters",
            lambda: actions.report_turnout(self.kpu_operator, self.election, self.tps_sebulu, 391),
            "More voters (391) than this TPS can have",
        )

    def test_a_later_report_supersedes_the_earlier_and_the_totals_follow(self) -> None:
        actions.report_turnout(self.kpu_operator, self.election, self.tps_sebulu, 200, client_id=uuid.uuid4())
        actions.report_turnout(self.kpu_operator, self.election, self.tps_sebulu, 300, client_id=uuid.uuid4())
        self.assertEqual(TurnoutReport.objects.filter(current=True).count(), 1)
        vd = selectors.voting_day(self.election, "64.02")
        assert vd is not None
        self.assertEqual((vd["reported"], vd["tps_total"], vd["voters"], vd["dpt"]), (1, 2, 300, 390))
        self.assertEqual(vd["turnout"], Decimal("76.92"))

    def test_a_retried_report_is_recorded_once(self) -> None:
        cid = uuid.uuid4()
        first = actions.report_turnout(self.kpu_operator, self.election, self.tps_sebulu, 200, client_id=cid)
        again = actions.report_turnout(self.kpu_operator, self.election, self.tps_sebulu, 200, client_id=cid)
        self.assertEqual((first.pk, TurnoutReport.objects.count()), (again.pk, 1))

    def test_a_report_for_a_tps_outside_the_users_area_is_refused(self) -> None:
        before = self.counts()
        with self.assertRaises(PermissionDenied):
            actions.report_turnout(self.kpu_operator, self.election, self.tps_samarinda, 100)
        self.assertEqual(self.counts(), before)

    def test_the_report_form_shows_why_a_report_is_refused(self) -> None:
        self.client.force_login(self.kpu_operator)
        before = self.counts()
        r = self.client.post(
            "/participation/turnout/new/",
            {"client_id": str(uuid.uuid4()), "village": "64.02.07.2001", "tps": "1", "voters": "999"},
        )
        self.assertContains(r, "More voters (999) than this TPS can have")
        self.assertEqual(self.counts(), before)


class BeforeVotingDayTest(ParticipationTestCase):
    def test_a_report_before_voting_day_is_refused(self) -> None:
        self.refused(
            "tps",
            lambda: actions.report_turnout(self.kpu_operator, self.election, self.tps_sebulu, 100),
            "from voting day",
        )
        self.assertIsNone(selectors.voting_day(self.election, "64.02"))


class GapTest(ParticipationTestCase):
    def test_each_kecamatan_has_its_dpt_last_turnout_target_voters_needed_and_outreach(self) -> None:
        self.target("77.5")
        self.history()  # Kukar 56.57%, no kecamatan figure
        self.history(region=self.sebulu, label="Pilkada 2020", percent="60")
        self.event(attendance=60)
        self.event(attendance=40, held_on=dt.date(2024, 11, 12))
        with override_settings(SINERGI_TODAY="2024-11-20"):
            self.event(attendance=500, held_on=dt.date(2024, 11, 20))  # not held yet on the 18th
        rows = {r["code"]: r for r in selectors.gap(self.election, self.kukar)["rows"]}
        sebulu, tenggarong = rows["64.02.07"], rows["64.02.06"]
        self.assertEqual((sebulu["dpt"], sebulu["last"], sebulu["last_own"]), (390, Decimal("60.00"), True))
        # ceil(390 × 0.775) = 303; round(390 × 0.60) = 234
        self.assertEqual(sebulu["needed"], 69)
        self.assertEqual((sebulu["events"], sebulu["attendance"]), (2, 100))
        self.assertEqual((tenggarong["last"], tenggarong["last_own"]), (Decimal("56.57"), False))
        self.assertEqual(tenggarong["last_from"], "Kabupaten Kutai Kartanegara")
        # ceil(302.25) = 303; round(220.62) = 221
        self.assertEqual(tenggarong["needed"], 82)
        self.assertIsNone(rows["64.02.12"]["needed"])  # no TPS, no DPT
        focus = selectors.gap(self.election, self.kukar)["focus"]
        self.assertEqual([r["code"] for r in focus], ["64.02.06", "64.02.07"])  # 82 ÷ 1 before 69 ÷ 3
        for _ in range(3):  # 82 ÷ 4 = 20.5 now ranks below Sebulu's 69 ÷ 3 = 23
            self.event(region=Region.objects.get(code="64.02.06"))
        focus = selectors.gap(self.election, self.kukar)["focus"]
        self.assertEqual([r["code"] for r in focus], ["64.02.07", "64.02.06"])

    def test_the_dashboard_shows_the_targets_disagreeing_the_fallback_and_the_formula(self) -> None:
        self.target("79.5", dt.date(2024, 9, 1))
        self.target("77.5")
        self.history()
        self.event()
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/participation/region/64.02/")
        self.assertContains(r, "The cited targets disagree")
        self.assertContains(r, "the latest cited")
        self.assertContains(r, "Turnout = voters who voted (ballots used) ÷ DPT.")
        self.assertContains(r, "Kabupaten Kutai Kartanegara figure*")
        self.assertContains(r, "No figure is recorded for the place itself")
        self.assertContains(r, "Catatan rahasia sosialisasi")

    def test_the_map_colours_each_kecamatan_by_the_voters_needed(self) -> None:
        self.target("77.5")
        self.history()
        self.client.force_login(self.camat_sebulu)
        gj = self.client.get("/participation/region/64.02/areas/").json()
        needed = {f["properties"]["code"]: f["properties"]["needed"] for f in gj["features"]}
        self.assertEqual(needed["64.02.07"], 82)
        self.assertIsNone(needed["64.02.12"])  # no TPS there: no figure

    def test_the_gap_exports_as_csv(self) -> None:
        self.target("77.5")
        self.history()
        self.client.force_login(self.desk_admin)
        r = self.client.get("/participation/region/64.02/gap/?format=csv")
        body = b"".join(r.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("64.02.06,Tenggarong,1,390,56.57,Pilkada 2020,Kabupaten Kutai Kartanegara,77.5,82,0,0", body)

    def test_the_public_page_shows_no_outreach_note(self) -> None:
        self.target("77.5")
        self.event()
        r = self.client.get("/participation/public/64.02/")
        self.assertContains(r, "77")
        self.assertNotContains(r, "Catatan rahasia sosialisasi")
        self.assertNotContains(r, "Balai desa")


class FormTest(ParticipationTestCase):
    def test_the_outreach_form_records_an_event_from_a_phone(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.assertEqual(self.client.get("/participation/outreach/new/").status_code, 200)
        r = self.client.post(
            "/participation/outreach/new/",
            {
                "client_id": str(uuid.uuid4()),
                "held_on": "2024-11-15",
                "region": "64.02.07.2001",
                "audience": ["women", "elderly"],
                "attendance": "35",
                "photos": SimpleUploadedFile("foto.png", png(), content_type="image/png"),
            },
        )
        self.assertEqual(r.status_code, 302)
        event = Outreach.objects.get()
        self.assertEqual((event.attendance, OutreachPhoto.objects.count()), (35, 1))

    def test_the_outreach_form_shows_a_negative_attendance_and_writes_nothing(self) -> None:
        self.client.force_login(self.kpu_operator)
        before = self.counts()
        r = self.client.post(
            "/participation/outreach/new/",
            {
                "client_id": str(uuid.uuid4()),
                "held_on": "2024-11-15",
                "region": "64.02.07.2001",
                "audience": ["women"],
                "attendance": "-3",
            },
        )
        self.assertContains(r, "Attendance cannot be negative.")
        self.assertEqual(self.counts(), before)

    def test_the_admin_page_refuses_a_target_above_100_and_writes_nothing(self) -> None:
        self.client.force_login(self.desk_admin)
        before = self.counts()
        r = self.client.post(
            "/participation/manage/",
            {
                "do": "target",
                "region": "64.02",
                "value": "120",
                "cited_on": "2024-11-18",
                "source_status": "official",
                "source_publisher": "Pjs Bupati",
                "source_title": "Rakor",
                "source_as_of": "2024-11-18",
            },
        )
        self.assertContains(r, "A percentage lies between 0 and 100")
        self.assertEqual(self.counts(), before)

    def test_the_admin_page_records_a_history_figure_with_its_source(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post(
            "/participation/manage/",
            {
                "do": "history",
                "region": "64.02",
                "label": "Pemilu 2019",
                "held_on": "2019-04-17",
                "percent": "81,24",
                "as_of": "2019-05-31",
                "source_status": "official",
                "source_publisher": "KPU Kukar",
                "source_title": "Partisipasi Pemilu 2019",
                "source_as_of": "2019-05-31",
            },
        )
        self.assertEqual(r.status_code, 302)
        row = TurnoutHistory.objects.get()
        self.assertEqual((row.turnout, row.source.publisher), (Decimal("81.24"), "KPU Kukar"))


class ShellTest(ParticipationTestCase):
    def test_the_home_tile_shows_the_target_the_last_turnout_and_the_distance(self) -> None:
        self.target("77.5")
        self.history()
        self.client.force_login(self.desk_admin)
        r = self.client.get("/")
        self.assertContains(r, 'data-testid="participation-tile"')
        self.assertContains(r, "Target 77.5%")
        self.assertContains(r, "Last turnout 56.57% (Pilkada 2020)")
        self.assertContains(r, "-20.93 points from the target")

    def test_the_report_section_gives_counts_and_figures_and_no_event_note(self) -> None:
        from django.template.loader import render_to_string
        from django.test import RequestFactory

        from participation import registry

        self.target("79.5", dt.date(2024, 9, 1))
        self.target("77.5")
        self.history()
        self.event()
        request = RequestFactory().get("/")
        request.user = self.polres_officer
        data = registry.report_section(request, self.election, self.kukar)
        assert data is not None
        html = render_to_string("participation/_report.html", {"tile": data}, request)
        self.assertIn("Working target 77.5% (the latest cited)", html)
        self.assertIn("(the cited targets disagree)", html)
        self.assertIn("Tenggarong", html)
        self.assertNotIn("Catatan rahasia", html)
        self.assertEqual(data["decide"][0]["text"], "Tenggarong: 82 more voters needed to reach the target")


class ImportTest(ParticipationTestCase):
    HEADER = (
        "region_code,election,voting_day,dpt,voters,turnout_percent,as_of,"
        "source_status,source_publisher,source_title,source_as_of\n"
    )

    def upload(self, body: str) -> Any:
        self.client.force_login(self.desk_admin)
        f = SimpleUploadedFile("riwayat.csv", (self.HEADER + body).encode(), content_type="text/csv")
        return self.client.post("/participation/manage/", {"do": "import", "file": f})

    def test_a_good_file_imports_every_row_with_its_source(self) -> None:
        r = self.upload(
            '64.02,Pilkada 2020,2020-12-09,,,"56,57",2020-12-31,official,KPU Kukar,Partisipasi 2020,2020-12-31\n'
            "64.02,Pilkada 2024,2024-11-27,552.469,392.161,,2024-12-05,resmi,KPU Kukar,Hasil 2024,2024-12-05\n"
        )
        self.assertEqual(r.status_code, 302)
        rows = {h.label: h for h in TurnoutHistory.objects.all()}
        self.assertEqual(rows["Pilkada 2020"].turnout, Decimal("56.57"))
        self.assertEqual(rows["Pilkada 2024"].turnout, Decimal("70.98"))
        self.assertEqual(rows["Pilkada 2024"].source.publisher, "KPU Kukar")

    def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(self) -> None:
        before = self.counts()
        r = self.upload(
            '64.02,Pilkada 2020,2020-12-09,,,"56,57",2020-12-31,official,KPU Kukar,Partisipasi 2020,2020-12-31\n'
            "64.02,Pilkada 2024,2024-11-27,1.000,1.200,,2024-12-05,official,KPU Kukar,Hasil 2024,2024-12-05\n"
            "64.72,Pilkada 2024,2024-11-27,1.000,500,,2024-12-05,official,KPU,Hasil,2024-12-05\n"
        )
        self.assertContains(r, "Nothing was imported: 2 problem(s) in the file.")
        self.assertContains(r, "turnout cannot exceed 100%")
        self.assertContains(r, "Kota Samarinda is outside your area.")
        self.assertEqual(self.counts(), before)

    def test_the_situation_report_page_holds_the_section_and_the_map(self) -> None:
        from django.urls import reverse

        self.target("77.5")
        self.history()
        self.client.force_login(self.desk_admin)
        r = self.client.get(reverse("meetings:report", args=["64.02"]))
        self.assertContains(r, 'data-testid="report-participation"')
        self.assertContains(r, 'data-testid="report-map-participation"')
        self.assertContains(r, "more voters needed to reach the target")
