"""Security as the desk uses it: Bawaslu scores TPS, Polri plans its guard, everyone reports incidents."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from agencies.models import Agency, AgencyKind
from core.actions import ConcurrentEditError
from core.models import AuditEntry
from regions.models import Region
from security import actions, selectors
from security.models import Assessment, Category, ForcePool, Incident, IncidentStatus, Indicator, Pattern, Variable
from security.tests.permission_cases import png
from tests import fixtures
from tests.base import SinergiTestCase

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
DAY = dt.date(2024, 11, 12)


class SecurityTestCase(SinergiTestCase):
    tps_sebulu_2: Any
    tps_ulu: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        location = Variable.objects.create(election=cls.election, number=7, name="Lokasi TPS")
        money = Variable.objects.create(election=cls.election, number=3, name="Politik uang")
        Indicator.objects.create(variable=location, code="7.1", name="TPS sulit dijangkau", weight=2)
        Indicator.objects.create(variable=location, code="7.2", name="TPS di wilayah rawan konflik", weight=4)
        Indicator.objects.create(variable=money, code="3.1", name="Riwayat politik uang", weight=3)
        cls.tps_sebulu_2 = fixtures.make_tps(cls.election, "64.02.07.2001", "002")
        cls.tps_ulu = fixtures.make_tps(cls.election, "64.02.07.2002", "001")

    def assess(self, tps: Any, codes: list[str], day: dt.date = DAY, **kw: Any) -> Assessment:
        return actions.assess_tps(self.bawaslu_investigator, tps, codes, day, **kw)

    def incident(self, **over: Any) -> dict[str, Any]:
        data = {
            "kind": "violence",
            "severity": "high",
            "occurred_at": dt.datetime(2024, 11, 16, 16, tzinfo=WITA),
            "region": Region.objects.get(code="64.02.07.2001"),
            "tps": None,
            "title": "Keributan antar-pendukung",
            "description": "Adu mulut berujung pemukulan.",
        }
        return {**data, **over}


class ScoringTest(SecurityTestCase):
    def test_the_score_is_the_sum_of_the_weights_and_the_category_follows_the_thresholds(self) -> None:
        self.assertEqual(self.assess(self.tps_sebulu, []).category, Category.KURANG_RAWAN)
        a = self.assess(self.tps_sebulu_2, ["7.1", "7.2"])
        self.assertEqual((a.score, a.category), (6, Category.RAWAN))
        a = self.assess(self.tps_ulu, ["7.1", "7.2", "3.1"])
        self.assertEqual((a.score, a.category), (9, Category.SANGAT_RAWAN))

    def test_a_tps_at_a_lokasi_khusus_is_khusus_whatever_its_score(self) -> None:
        lapas = fixtures.make_tps(self.election, "64.02.06.1001", "901", special_location=True, special_kind="prison")
        a = self.assess(lapas, ["7.1"])
        self.assertEqual((a.score, a.category), (2, Category.KHUSUS))

    def test_a_reassessment_keeps_the_earlier_one_as_history(self) -> None:
        first = self.assess(self.tps_sebulu, ["7.1"], dt.date(2024, 11, 10))
        second = self.assess(self.tps_sebulu, ["7.1", "7.2"])
        first.refresh_from_db()
        self.assertFalse(first.current)
        self.assertTrue(second.current)
        history = selectors.assessment_history(self.bawaslu_investigator, self.tps_sebulu)
        self.assertEqual([h.pk for h in history], [second.pk, first.pk])

    def test_the_explanation_lists_the_indicators_that_put_it_there(self) -> None:
        a = self.assess(self.tps_sebulu, ["7.2", "3.1"])
        why = selectors.explanation(a, actions.scheme_for(self.election))
        self.assertEqual([v["variable"].number for v in why["variables"]], [3, 7])
        self.assertEqual([v["weight"] for v in why["variables"]], [3, 4])
        self.assertEqual((why["rawan_from"], why["sangat_rawan_from"]), (3, 8))

    def test_a_new_weight_or_threshold_rescores_every_current_assessment(self) -> None:
        a = self.assess(self.tps_sebulu, ["7.1"])
        self.assertEqual(a.category, Category.KURANG_RAWAN)
        indicator = Indicator.objects.get(code="7.1")
        actions.update_indicator(None, indicator, {"weight": 5}, indicator.version)
        a.refresh_from_db()
        self.assertEqual((a.score, a.category), (5, Category.RAWAN))
        scheme = actions.scheme_for(self.election)
        actions.update_scheme(None, scheme, {"rawan_from": 6, "sangat_rawan_from": 10}, scheme.version)
        a.refresh_from_db()
        self.assertEqual(a.category, Category.KURANG_RAWAN)

    def test_counts_by_category_share_rawan_and_the_most_frequent_indicators(self) -> None:
        self.assess(self.tps_sebulu, [])
        self.assess(self.tps_sebulu_2, ["7.1", "7.2"])
        self.assess(self.tps_ulu, ["7.1", "7.2", "3.1"])
        c = selectors.category_counts(self.desk_admin, self.election, "64.02.07")
        self.assertEqual((c["kurang_rawan"], c["rawan"], c["sangat_rawan"]), (1, 1, 1))
        self.assertEqual((c["assessed"], c["tps"], c["not_assessed"]), (3, 3, 0))
        self.assertEqual(c["share"], 66.7)
        kukar = selectors.category_counts(self.desk_admin, self.election, "64.02")
        self.assertEqual(kukar["not_assessed"], 1)  # Tenggarong's TPS
        by_desa = selectors.counts_by_child(self.desk_admin, self.election, "64.02.07")
        self.assertEqual(by_desa["64.02.07.2001"]["rawan"], 1)
        self.assertEqual(by_desa["64.02.07.2002"]["sangat_rawan"], 1)
        top = selectors.top_indicators(self.desk_admin, self.election, "64.02.07")
        self.assertEqual([(t["indicator"].code, t["tps"]) for t in top[:2]], [("7.1", 2), ("7.2", 2)])


class BadInputTest(SecurityTestCase):
    """Each refusal names what is wrong, in Indonesian, and writes nothing."""

    def refused(self, call: Any, field: str | None, words: str, error: type[Exception] = ValidationError) -> None:
        before = (Assessment.objects.count(), Incident.objects.count(), AuditEntry.objects.count())
        with translation.override("id"), self.assertRaises(error) as cm:
            call()
        text = str(cm.exception.message_dict.get(field) if field else cm.exception)  # type: ignore[attr-defined]
        self.assertIn(words, text)
        self.assertEqual(before, (Assessment.objects.count(), Incident.objects.count(), AuditEntry.objects.count()))

    def test_an_indicator_not_in_the_elections_set(self) -> None:
        self.refused(lambda: self.assess(self.tps_sebulu, ["9.9"]), "indicators", "9.9")

    def test_a_weight_outside_its_allowed_range(self) -> None:
        variable = Variable.objects.get(number=7)
        self.refused(lambda: actions.add_indicator(None, variable, "7.3", "Rawan bencana", 9), "weight", "1")
        indicator = Indicator.objects.get(code="7.1")
        self.refused(lambda: actions.update_indicator(None, indicator, {"weight": 0}, indicator.version), "weight", "5")

    def test_an_assessment_for_a_tps_outside_the_assessors_area(self) -> None:
        self.refused(lambda: self.assess(self.tps_samarinda, ["7.1"]), None, "Rawa Makmur", PermissionDenied)

    def test_an_assessment_dated_in_the_future_or_before_the_first_stage(self) -> None:
        self.refused(lambda: self.assess(self.tps_sebulu, [], dt.date(2024, 12, 1)), "observed_on", "masa depan")
        self.refused(lambda: self.assess(self.tps_sebulu, [], dt.date(2024, 1, 1)), "observed_on", "tahapan pertama")

    def test_an_incident_dated_in_the_future_or_before_the_first_stage(self) -> None:
        future = self.incident(occurred_at=dt.datetime(2024, 11, 30, 9, tzinfo=WITA))
        self.refused(
            lambda: actions.report_incident(self.camat_sebulu, self.election, future), "occurred_at", "masa depan"
        )
        early = self.incident(occurred_at=dt.datetime(2024, 3, 1, 9, tzinfo=WITA))
        self.refused(lambda: actions.report_incident(self.camat_sebulu, self.election, early), "occurred_at", "tahapan")

    def test_an_incident_outside_the_reporters_area(self) -> None:
        palaran = self.incident(region=Region.objects.get(code="64.72.01.1001"))
        self.refused(
            lambda: actions.report_incident(self.camat_sebulu, self.election, palaran),
            None,
            "wilayah",
            PermissionDenied,
        )

    def test_a_photo_that_is_not_a_picture(self) -> None:
        fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4\n%%EOF\n")
        self.refused(
            lambda: actions.report_incident(self.camat_sebulu, self.election, self.incident(), [fake]), "photos", "JPEG"
        )

    def test_negative_personnel_and_a_pattern_with_zero_tps(self) -> None:
        polres = Agency.objects.get(name="Polres Kukar")
        sebulu = Region.objects.get(code="64.02.07")
        self.refused(
            lambda: actions.set_pool(
                self.polres_officer, self.election, polres, "Polsek Sebulu", sebulu, {"linmas": -4}
            ),
            "linmas",
            "nol",
        )
        self.assertFalse(ForcePool.objects.exists())
        self.refused(
            lambda: actions.set_pattern(self.polres_officer, self.election, polres, Category.RAWAN, 2, 0, 4),
            "tps",
            "satu TPS",
        )
        self.assertFalse(Pattern.objects.exists())


class DeploymentTest(SecurityTestCase):
    def test_need_counts_whole_teams_per_category_and_flags_the_gap_against_the_pool(self) -> None:
        polres = Agency.objects.get(name="Polres Kukar")
        for tps in (self.tps_sebulu, self.tps_sebulu_2, self.tps_ulu):
            actions.set_guard(self.polres_officer, tps, {"category": Category.RAWAN})
        # rawan 2-2-4: three TPS take two teams of officers (4) and two Linmas each (6)
        sebulu = Region.objects.get(code="64.02.07")
        actions.set_pool(
            self.polres_officer, self.election, polres, "Polsek Sebulu", sebulu, {"organic": 4, "linmas": 5}
        )
        d = selectors.deployment(self.desk_admin, self.election, "64.02")
        row = next(r for r in d["rows"] if r["region"].code == "64.02.07")
        self.assertEqual((row["need_polri"], row["need_linmas"]), (4, 6))
        self.assertEqual((row["gap_polri"], row["gap_linmas"]), (0, 1))
        self.assertEqual([r["region"].code for r in d["short"]], ["64.02.07"])
        # the Polres sets its own pattern for the category: 2-1-2 makes it 6 officers
        actions.set_pattern(self.polres_officer, self.election, polres, Category.RAWAN, 2, 1, 2)
        row = next(r for r in selectors.deployment(self.desk_admin, self.election, "64.02")["rows"] if r["units"])
        self.assertEqual((row["need_polri"], row["gap_polri"]), (6, 2))

    def test_the_responsible_polres_follows_jurisdiction_not_the_tree(self) -> None:
        bontang = Agency.objects.create(
            name="Polres Bontang",
            kind=AgencyKind.POLRI,
            region_id="64.74",
            jurisdiction=["64.74", "64.02.05", "64.02.17"],
        )
        Agency.objects.filter(name="Polres Kukar").update(jurisdiction=["64.02.06", "64.02.07", "64.02.12"])
        self.assertEqual(selectors.responsible_polres("64.02.05.2003"), bontang)
        self.assertEqual(getattr(selectors.responsible_polres("64.02.07.2001"), "name", None), "Polres Kukar")

    def test_each_tps_shows_polri_category_beside_bawaslus_assessment(self) -> None:
        self.assess(self.tps_sebulu, ["7.1", "7.2"])
        actions.set_guard(
            self.polres_officer,
            self.tps_sebulu,
            {
                "category": Category.KURANG_RAWAN,
                "unit": "Polsek Sebulu",
                "polri": 1,
                "linmas": 2,
                "names": "Bripka Andi",
            },
        )
        self.client.force_login(self.desk_admin)
        page = self.client.get(f"/security/tps/{self.tps_sebulu.pk}/").content.decode()
        self.assertIn("Rawan", page)
        self.assertIn("Kurang rawan", page)
        self.assertIn("Bripka Andi", page)

    def test_situation_is_set_per_kecamatan_and_the_latest_of_the_day_counts(self) -> None:
        sebulu = Region.objects.get(code="64.02.07")
        actions.set_situation(self.camat_sebulu, self.election, sebulu, "waspada", "Patroli ditambah")
        actions.set_situation(self.polres_officer, self.election, sebulu, "siaga", "Massa berkumpul")
        today = selectors.situation_today(self.desk_admin, self.election, "64.02")
        self.assertEqual([(s.region_id, s.level) for s in today], [("64.02.07", "siaga")])
        with self.assertRaises(ValidationError):
            actions.set_situation(self.polres_officer, self.election, Region.objects.get(code="64.02"), "aman")
        with self.assertRaises(PermissionDenied):
            actions.set_situation(self.bawaslu_investigator, self.election, sebulu, "aman")


class IncidentTest(SecurityTestCase):
    def test_an_incident_moves_one_step_at_a_time_with_who_and_why(self) -> None:
        i = actions.report_incident(self.camat_sebulu, self.election, self.incident())
        self.assertEqual(str(i.agency), "Kecamatan Sebulu")
        with translation.override("id"), self.assertRaises(ValidationError) as cm:
            actions.advance_incident(self.polres_officer, i, IncidentStatus.HANDLED, "Ditangani", i.version)
        self.assertIn("Terverifikasi", str(cm.exception))
        for status in (IncidentStatus.VERIFIED, IncidentStatus.HANDLED, IncidentStatus.CLOSED):
            i = actions.advance_incident(self.polres_officer, i, status, f"Langkah {status}", i.version)
        self.assertEqual([s.status for s in i.steps.all()], ["reported", "verified", "handled", "closed"])
        with self.assertRaises(ValidationError):
            actions.advance_incident(self.polres_officer, i, IncidentStatus.CLOSED, "Lagi", i.version)

    def test_only_the_desk_bawaslu_polri_and_tni_follow_up(self) -> None:
        i = actions.report_incident(self.camat_sebulu, self.election, self.incident())
        with self.assertRaises(PermissionDenied):
            actions.advance_incident(self.camat_sebulu, i, IncidentStatus.VERIFIED, "Dicek", i.version)

    def test_an_incident_referred_to_bawaslu_keeps_the_referral(self) -> None:
        i = actions.report_incident(self.camat_sebulu, self.election, self.incident(kind="money"))
        i = actions.refer_incident(self.desk_admin, i, "Dugaan politik uang", i.version)
        self.assertIsNotNone(i.referred_at)
        self.assertEqual(i.referral_note, "Dugaan politik uang")
        with self.assertRaises(ValidationError):
            actions.refer_incident(self.desk_admin, i, "Lagi", i.version)

    def test_a_retried_report_is_kept_once_and_a_reused_id_for_another_is_refused(self) -> None:
        cid = uuid.uuid4()
        first = actions.report_incident(self.camat_sebulu, self.election, self.incident(), client_id=cid)
        again = actions.report_incident(self.camat_sebulu, self.election, self.incident(), client_id=cid)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Incident.objects.count(), 1)
        with self.assertRaises(ConcurrentEditError):
            actions.report_incident(self.camat_sebulu, self.election, self.incident(title="Lain"), client_id=cid)

    def test_a_photo_is_kept_and_served_only_as_a_download_to_the_incidents_readers(self) -> None:
        i = actions.report_incident(
            self.camat_sebulu, self.election, self.incident(), [SimpleUploadedFile("foto.png", png())]
        )
        photo = i.photos.get()
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/security/photos/{photo.pk}/")
        self.assertEqual(r.status_code, 200)
        self.assertIn("attachment", r["Content-Disposition"])
        self.client.force_login(fixtures.make_reader())
        self.assertEqual(self.client.get(f"/security/photos/{photo.pk}/").status_code, 200)

    def test_the_log_filters_by_kind_severity_status_and_place(self) -> None:
        actions.report_incident(self.camat_sebulu, self.election, self.incident())
        actions.report_incident(
            self.desk_admin,
            self.election,
            self.incident(kind="disaster", severity="low", region=Region.objects.get(code="64.02.06.1001")),
        )
        rows = selectors.incidents(self.desk_admin, self.election, "64.02", {"kind": "disaster"})
        self.assertEqual([r.region_id for r in rows], ["64.02.06.1001"])
        rows = selectors.incidents(self.desk_admin, self.election, "64.02", {"region": "64.02.07"})
        self.assertEqual(len(rows), 1)
        self.client.force_login(self.desk_admin)
        page = self.client.get("/security/incidents/?severity=high").content.decode()
        self.assertIn("Keributan antar-pendukung", page)
        self.assertNotIn("64.02.06.1001", page)


class PagesTest(SecurityTestCase):
    def test_bawaslu_assesses_a_tps_on_the_form_and_sees_why(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        url = f"/security/tps/{self.tps_sebulu.pk}/assess/"
        self.assertEqual(self.client.get(url).status_code, 200)
        cid = str(uuid.uuid4())
        data = {"client_id": cid, "observed_on": "2024-11-12", "indicators": ["7.1", "7.2"], "evidence": "Form PKD"}
        r = self.client.post(url, data)
        self.assertRedirects(r, f"/security/tps/{self.tps_sebulu.pk}/", fetch_redirect_response=False)
        self.client.post(url, data)  # a retried form writes nothing twice
        self.assertEqual(Assessment.objects.filter(tps=self.tps_sebulu).count(), 1)
        page = self.client.get(f"/security/tps/{self.tps_sebulu.pk}/").content.decode()
        self.assertIn("TPS di wilayah rawan konflik", page)
        self.assertIn('data-testid="score">6<', page)

    def test_a_bad_date_on_the_incident_form_is_shown_in_indonesian_and_nothing_is_written(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.post(
            "/security/incidents/new/",
            {
                "client_id": str(uuid.uuid4()),
                "kind": "violence",
                "severity": "high",
                "occurred_at": "2024-12-01T10:00",
                "region": "64.02.07.2001",
                "title": "Keributan",
                "description": "Adu mulut.",
            },
            HTTP_ACCEPT_LANGUAGE="id",
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("masa depan", r.content.decode())
        self.assertFalse(Incident.objects.exists())

    def test_the_region_page_and_the_report_section_show_the_picture(self) -> None:
        self.assess(self.tps_sebulu, ["7.1", "7.2"])
        actions.report_incident(self.camat_sebulu, self.election, self.incident())
        self.client.force_login(self.desk_admin)
        page = self.client.get("/security/region/64.02/").content.decode()
        self.assertIn('data-testid="security-children"', page)
        report = self.client.get("/meetings/report/64.02/").content.decode()
        self.assertIn("Keributan antar-pendukung", report)
        self.assertIn('data-testid="share-rawan"', report)

    def test_a_reader_who_sees_part_of_the_region_is_told_so(self) -> None:
        self.assess(self.tps_tenggarong, ["7.2"])
        self.client.force_login(self.camat_sebulu)
        page = self.client.get("/security/region/64.02/").content.decode()
        self.assertIn('data-testid="security-narrowed"', page)
        self.assertNotIn("Melayu", page)


class ImportExportTest(SecurityTestCase):
    def upload(self, text: str) -> Any:
        self.client.force_login(self.bawaslu_investigator)
        f = SimpleUploadedFile("pemetaan.csv", text.encode())
        return self.client.post("/security/assessments/import/", {"file": f}, HTTP_ACCEPT_LANGUAGE="id")

    def test_an_import_with_one_bad_row_writes_nothing_and_reports_each_row(self) -> None:
        r = self.upload(
            "kode_desa,tps,tanggal,indikator\n"
            "64.02.07.2001,001,12/11/2024,7.1; 7.2\n"
            "64.02.07.2001,002,2024-11-12,9.9\n"
            "64.72.01.1001,001,2024-11-12,\n"
            "64.02.07.2001,001,2024-11-13,\n"
        )
        page = r.content.decode()
        self.assertEqual(r.status_code, 200)
        self.assertIn("9.9", page)
        self.assertIn("Rawa Makmur", page)  # outside Bawaslu Kukar's area
        self.assertIn("baris 2", page.lower())  # the TPS given twice
        self.assertFalse(Assessment.objects.exists())

    def test_a_good_import_makes_every_row_current_and_keeps_the_earlier_as_history(self) -> None:
        earlier = self.assess(self.tps_sebulu, [], dt.date(2024, 11, 10))
        r = self.upload(
            "kode_desa,tps,tanggal,indikator\n64.02.07.2001,1,12/11/2024,7.1;7.2\n64.02.07.2002,001,2024-11-13,\n"
        )
        self.assertEqual(r.status_code, 302)
        earlier.refresh_from_db()
        self.assertFalse(earlier.current)
        now = Assessment.objects.get(tps=self.tps_sebulu, current=True)
        self.assertEqual((now.score, now.category), (6, Category.RAWAN))
        self.assertTrue(
            Assessment.objects.filter(tps=self.tps_ulu, current=True, category=Category.KURANG_RAWAN).exists()
        )

    def test_exports_follow_the_readers_view(self) -> None:
        self.assess(self.tps_sebulu, ["7.1", "7.2"])
        self.assess(self.tps_tenggarong, ["3.1"])
        actions.report_incident(self.camat_sebulu, self.election, self.incident())
        self.client.force_login(self.camat_sebulu)
        csv = b"".join(self.client.get("/security/region/64.02/?export=csv").streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("7.1; 7.2", csv)
        self.assertNotIn("64.02.06.1001", csv)  # Tenggarong is not the camat of Sebulu's
        r = self.client.get("/security/incidents/?export=xlsx")
        self.assertEqual(r["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.client.force_login(self.desk_admin)
        csv = b"".join(self.client.get("/security/region/64.02/deployment/?export=csv").streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("Sebulu", csv)


class MapTest(SecurityTestCase):
    def test_the_map_colours_areas_by_share_rawan_and_tps_by_category_in_the_readers_view(self) -> None:
        self.assess(self.tps_sebulu, ["7.1", "7.2"])
        self.assess(self.tps_sebulu_2, [])
        self.assess(self.tps_tenggarong, ["7.2", "3.1", "7.1"])
        self.client.force_login(self.camat_sebulu)
        points = self.client.get("/security/region/64.02/points.geojson").json()["features"]
        self.assertEqual(
            sorted((p["properties"]["label"], p["properties"]["color"]) for p in points),
            [("TPS 001 Sebulu Ilir", "#b36b00"), ("TPS 002 Sebulu Ilir", "#1f7a3d")],
        )
        self.client.force_login(self.desk_admin)
        areas = self.client.get("/security/region/64.02.07/areas.geojson").json()["features"]
        share = {a["properties"]["code"]: a["properties"]["percent"] for a in areas}
        self.assertEqual(share.get("64.02.07.2001"), 50.0)


class GuardAndIkpFormsTest(SecurityTestCase):
    def test_the_polres_sets_a_polsek_pool_and_a_pattern_on_their_pages(self) -> None:
        polres = Agency.objects.get(name="Polres Kukar")
        self.client.force_login(self.polres_officer)
        counts = dict.fromkeys(("organic", "bko", "brimob", "urc_platoons", "tni", "linmas"), 0)
        r = self.client.post(
            "/security/deployment/pool/",
            {"polres": polres.pk, "unit": "Polsek Sebulu", "region": "64.02.07", **counts, "organic": 30, "linmas": 60},
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(ForcePool.objects.get(unit="Polsek Sebulu").polri, 30)
        r = self.client.post(
            "/security/deployment/pattern/",
            {"polres": polres.pk, "category": "kurang_rawan", "polri": 2, "tps": 8, "linmas": 16},
        )
        self.assertEqual(r.status_code, 302)
        self.assertEqual(str(Pattern.objects.get(agency=polres)), "Kurang rawan 2-8-16")
        r = self.client.post(
            "/security/deployment/pool/",
            {"polres": polres.pk, "unit": "Polsek Palaran", "region": "64.72.01", **counts},
            HTTP_ACCEPT_LANGUAGE="id",
        )
        self.assertIn("wilayah hukum", r.content.decode())
        self.assertFalse(ForcePool.objects.filter(unit="Polsek Palaran").exists())

    def test_bawaslu_records_a_published_ikp_with_its_source(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        r = self.client.post(
            "/security/ikp/new/",
            {
                "region": "64.02",
                "score": "51,28",
                "band": "tinggi",
                "published_on": "2024-08-26",
                "publisher": "Bawaslu RI",
                "title": "IKP Pilkada 2024",
                "dim_kontestasi": "60,5",
            },
        )
        self.assertEqual(r.status_code, 302)
        page = self.client.get("/security/region/64.02/").content.decode()
        self.assertIn("51,28", page)
        self.assertIn("IKP Pilkada 2024", page)
        self.assertIn("Kontestasi: 60,50", page)
        r = self.client.post(
            "/security/ikp/new/",
            {
                "region": "64.02.07",
                "score": "40",
                "band": "sedang",
                "published_on": "2024-08-26",
                "publisher": "X",
                "title": "Y",
            },
            HTTP_ACCEPT_LANGUAGE="id",
        )
        self.assertIn("provinsi atau kabupaten/kota", r.content.decode())


class RakorLinkTest(SecurityTestCase):
    def test_a_rakor_action_may_concern_an_incident_in_its_region(self) -> None:
        from meetings import actions as meeting_actions
        from meetings.models import Meeting

        incident = actions.report_incident(self.camat_sebulu, self.election, self.incident())
        meeting = meeting_actions.create_meeting(
            None,
            {
                "title": "Rakor keamanan",
                "election": self.election,
                "region": Region.objects.get(code="64.02"),
                "organiser": Agency.objects.get(name="Desk Pilkada Kukar"),
                "starts_at": dt.datetime(2024, 11, 18, 9, tzinfo=WITA),
            },
        )
        decision = meeting_actions.add_decision(self.desk_admin, meeting, "Tindak lanjuti keributan di Sebulu")
        item = meeting_actions.add_action(
            self.desk_admin,
            decision,
            {
                "title": "Polres memediasi kedua pihak",
                "owner": Agency.objects.get(name="Polres Kukar"),
                "due": dt.date(2024, 11, 20),
                **meeting_actions.concerns_of(incident),
            },
        )
        self.assertEqual(item.concerns_id, incident.pk)
        self.assertIsInstance(Meeting.objects.get(), Meeting)
