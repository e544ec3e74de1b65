"""KPU sets up elections, contests, candidate pairs and stages: pages, API, audit, versions."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import override_settings
from django.urls import reverse

from core.models import AuditEntry
from elections.models import CandidatePair, Contest, Election, Stage
from tests.base import SinergiTestCase


class ApiMixin:
    """JSON helpers. Pages and API answer in Bahasa Indonesia, the default language."""

    client: Any

    def post_json(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def patch_json(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.patch(url, json.dumps(data), content_type="application/json")


class ElectionWriteTest(ApiMixin, SinergiTestCase):
    def test_kpu_creates_an_election_for_its_kabupaten_through_the_page(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post(
            reverse("elections:create"),
            {
                "name": "Pilkada Kukar 2029",
                "kind": "pilkada",
                "region_code": "64.02",
                "voting_date": "2029-11-28",
                "timezone": "Asia/Makassar",
                "max_voters_per_tps": 600,
            },
        )
        election = Election.objects.get(name="Pilkada Kukar 2029")
        self.assertRedirects(r, reverse("elections:detail", args=[election.pk]))
        entry = AuditEntry.objects.get(action="election.create", object_id=str(election.pk))
        self.assertEqual(entry.actor, self.kpu_operator)
        self.assertEqual(entry.changes["region"], [None, "64.02"])

    def test_kpu_kukar_may_not_create_an_election_for_paser(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.post_json(
            "/api/v1/elections/",
            {"name": "Pilkada Paser 2029", "kind": "pilkada", "region_code": "64.01", "voting_date": "2029-11-28"},
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Election.objects.filter(name="Pilkada Paser 2029").exists())

    def test_only_kpu_may_open_the_new_election_page(self) -> None:
        for persona, want in [("kpu_operator", 200), ("desk_admin", 403), ("polres_officer", 403)]:
            with self.subTest(persona=persona):
                self.client.force_login(self.personas[persona])
                self.assertEqual(self.client.get(reverse("elections:create")).status_code, want)

    def test_an_unknown_region_code_and_a_wrong_time_zone_get_clear_messages(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post(
            reverse("elections:create"),
            {"name": "X", "kind": "pilkada", "region_code": "64.99", "voting_date": "2029-11-28", "timezone": "UTC"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("“64.99” bukan kode wilayah yang terdaftar.", r.context["form"].errors["region_code"])
        self.assertIn("timezone", r.context["form"].errors)
        self.assertFalse(Election.objects.filter(name="X").exists())
        r = self.post_json(
            "/api/v1/elections/",
            {"name": "X", "kind": "pilkada", "region_code": "64.02", "voting_date": "2029-11-28", "timezone": "UTC"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("timezone", r.json()["errors"])
        self.assertFalse(Election.objects.filter(name="X").exists())

    def test_a_stale_version_is_refused_with_a_message_and_409_in_the_api(self) -> None:
        election = Election.objects.create(
            name="Pilkada Kukar 2029", kind="pilkada", region_id="64.02", voting_date=dt.date(2029, 11, 28)
        )
        self.client.force_login(self.kpu_operator)
        r = self.patch_json(f"/api/v1/elections/{election.pk}", {"version": 1, "max_voters_per_tps": 500})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["version"], 2)
        r = self.patch_json(f"/api/v1/elections/{election.pk}", {"version": 1, "max_voters_per_tps": 400})
        self.assertEqual(r.status_code, 409)
        page = self.client.post(
            reverse("elections:edit", args=[election.pk]),
            {
                "name": election.name,
                "kind": "pilkada",
                "region_code": "64.02",
                "voting_date": "2029-11-28",
                "timezone": "Asia/Makassar",
                "max_voters_per_tps": 300,
                "version": 1,
            },
        )
        self.assertContains(page, "diubah orang lain")
        election.refresh_from_db()
        self.assertEqual((election.max_voters_per_tps, election.version), (500, 2))
        self.assertEqual(AuditEntry.objects.filter(action="election.update").count(), 1)

    def test_kpu_kukar_may_not_change_the_province_wide_election(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.patch_json(f"/api/v1/elections/{self.election.pk}", {"version": 1, "max_voters_per_tps": 1})
        self.assertEqual(r.status_code, 403)
        self.client.force_login(self.camat_sebulu)
        self.assertEqual(self.client.get(reverse("elections:edit", args=[self.election.pk])).status_code, 403)


class ContestWriteTest(ApiMixin, SinergiTestCase):
    def setUp(self) -> None:
        self.bupati = Contest.objects.get(name="Bupati Kukar 2024")
        self.client.force_login(self.kpu_operator)

    def psu(self, **kw: Any) -> Any:
        data = {
            "kind": "regent",
            "region_code": "64.02",
            "name": "PSU Bupati Kukar 2025",
            "voting_date": "2025-04-19",
            "effective_from": "2025-02-24",
            "revote_of_id": self.bupati.pk,
            "revote_basis": "Putusan MK 195/PHPU.BUP-XXIII/2025",
        }
        data.update(kw)
        return self.post_json(f"/api/v1/elections/{self.election.pk}/contests", data)

    def test_kpu_adds_a_psu_contest_with_its_legal_basis(self) -> None:
        r = self.psu()
        self.assertEqual(r.status_code, 201, r.content)
        contest = Contest.objects.get(pk=r.json()["id"])
        self.assertEqual(contest.revote_of, self.bupati)
        self.assertTrue(AuditEntry.objects.filter(action="contest.create", object_id=str(contest.pk)).exists())

    def test_a_psu_needs_a_later_voting_day_and_a_basis(self) -> None:
        r = self.psu(voting_date="2024-11-27", effective_from=None, revote_basis="")
        self.assertEqual(r.status_code, 400)
        self.assertEqual(set(r.json()["errors"]), {"voting_date", "revote_basis"})
        self.assertFalse(Contest.objects.filter(name="PSU Bupati Kukar 2025").exists())

    def test_a_regent_contest_is_held_in_a_kabupaten(self) -> None:
        r = self.psu(region_code="64.02.07", revote_of_id=None, revote_basis="")
        self.assertEqual(r.status_code, 400)
        self.assertIn("region", r.json()["errors"])

    def test_a_contest_outside_kpu_kukars_area_is_refused(self) -> None:
        r = self.psu(region_code="64.72", kind="mayor", revote_of_id=None)
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Contest.objects.filter(name="PSU Bupati Kukar 2025").exists())

    @override_settings(SINERGI_TODAY="2024-11-18")
    def test_the_psu_is_not_listed_before_the_mk_decision(self) -> None:
        psu = Contest.objects.get(pk=self.psu().json()["id"])
        page = self.client.get(reverse("elections:detail", args=[self.election.pk]))
        self.assertNotIn(psu, page.context["contests"])
        api = self.client.get(f"/api/v1/elections/{self.election.pk}/contests").json()
        self.assertNotIn(psu.pk, [c["id"] for c in api])
        self.assertEqual(self.client.get(f"/api/v1/elections/contests/{psu.pk}/candidates").status_code, 404)

    @override_settings(SINERGI_TODAY="2025-04-15")
    def test_the_psu_is_listed_once_the_mk_decision_is_out(self) -> None:
        psu = Contest.objects.get(pk=self.psu().json()["id"])
        page = self.client.get(reverse("elections:detail", args=[self.election.pk]))
        self.assertIn(psu, page.context["contests"])
        api = self.client.get(f"/api/v1/elections/{self.election.pk}/contests").json()
        self.assertIn(psu.pk, [c["id"] for c in api])

    def test_editing_a_contest_through_the_page_is_versioned_and_audited(self) -> None:
        url = reverse("elections:contest_edit", args=[self.bupati.pk])
        form = {"name": "Pemilihan Bupati Kukar 2024", "kind": "regent", "region_code": "64.02", "version": 1}
        self.assertRedirects(self.client.post(url, form), reverse("elections:detail", args=[self.election.pk]))
        self.bupati.refresh_from_db()
        self.assertEqual((self.bupati.name, self.bupati.version), ("Pemilihan Bupati Kukar 2024", 2))
        entry = AuditEntry.objects.get(action="contest.update")
        self.assertEqual(entry.changes["name"], ["Bupati Kukar 2024", "Pemilihan Bupati Kukar 2024"])
        r = self.client.post(url, {**form, "name": "Stale"})
        self.assertContains(r, "diubah orang lain")

    def test_the_samarinda_contest_is_out_of_sight_for_kpu_kukar(self) -> None:
        samarinda = Contest.objects.get(name="Walikota Samarinda 2024")
        self.assertEqual(self.client.get(reverse("elections:contest_edit", args=[samarinda.pk])).status_code, 404)
        r = self.patch_json(f"/api/v1/elections/contests/{samarinda.pk}", {"version": 1, "name": "x"})
        self.assertEqual(r.status_code, 404)

    def test_bawaslu_sees_the_contest_but_may_not_change_it(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        r = self.patch_json(f"/api/v1/elections/contests/{self.bupati.pk}", {"version": 1, "name": "x"})
        self.assertEqual(r.status_code, 403)
        self.bupati.refresh_from_db()
        self.assertEqual(self.bupati.name, "Bupati Kukar 2024")


class PairAndStageWriteTest(ApiMixin, SinergiTestCase):
    def setUp(self) -> None:
        self.bupati = Contest.objects.get(name="Bupati Kukar 2024")
        self.client.force_login(self.kpu_operator)

    def test_kpu_adds_pairs_and_a_taken_number_is_refused(self) -> None:
        url = f"/api/v1/elections/contests/{self.bupati.pk}/candidates"
        pair = {"number": 1, "head_name": "Edi Damansyah", "deputy_name": "Rendi Solihin"}
        self.assertEqual(self.post_json(url, pair).status_code, 201)
        r = self.post_json(url, {**pair, "head_name": "Someone"})
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["errors"]["number"], ["Nomor urut 1 sudah dipakai dalam kontestasi ini."])
        self.assertEqual(CandidatePair.objects.filter(contest=self.bupati).count(), 1)
        self.assertEqual(AuditEntry.objects.filter(action="pair.create").count(), 1)

    def test_a_pair_is_edited_through_the_page_with_its_version(self) -> None:
        pair = CandidatePair.objects.create(contest=self.bupati, number=2, head_name="Awang", deputy_name="Zais")
        url = reverse("elections:pair_edit", args=[pair.pk])
        form = {"number": 2, "head_name": "Awang Yacoub Luthman", "deputy_name": "Akhmad Zais", "independent": "on"}
        self.assertEqual(self.client.post(url, {**form, "version": 1}).status_code, 302)
        pair.refresh_from_db()
        self.assertTrue(pair.independent)
        self.assertContains(self.client.post(url, {**form, "version": 1}), "diubah orang lain")

    def test_a_pair_of_the_samarinda_contest_is_out_of_sight(self) -> None:
        samarinda = Contest.objects.get(name="Walikota Samarinda 2024")
        pair = CandidatePair.objects.create(contest=samarinda, number=1, head_name="A", deputy_name="B")
        self.assertEqual(self.client.get(reverse("elections:pair_edit", args=[pair.pk])).status_code, 404)
        self.assertEqual(self.client.get(reverse("elections:pair_create", args=[samarinda.pk])).status_code, 404)

    def test_a_stage_cannot_end_before_it_starts(self) -> None:
        kukar = Election.objects.create(
            name="Pilkada Kukar 2029", kind="pilkada", region_id="64.02", voting_date=dt.date(2029, 11, 28)
        )
        r = self.client.post(
            reverse("elections:stage_create", args=[kukar.pk]),
            {"name": "Kampanye", "start": "2029-10-01", "end": "2029-09-01", "basis": "PKPU"},
        )
        self.assertEqual(r.context["form"].errors["end"], ["Tahapan tidak dapat berakhir sebelum dimulai."])
        self.assertFalse(Stage.objects.filter(election=kukar).exists())
        r = self.post_json(
            f"/api/v1/elections/{kukar.pk}/stages", {"name": "Kampanye", "start": "2029-09-01", "end": "2029-10-01"}
        )
        self.assertEqual(r.status_code, 201, r.content)
        stage_id = r.json()["id"]
        self.assertEqual(
            self.patch_json(f"/api/v1/elections/stages/{stage_id}", {"version": 1, "name": "K"}).status_code, 200
        )
        self.assertEqual(
            self.patch_json(f"/api/v1/elections/stages/{stage_id}", {"version": 1, "name": "L"}).status_code, 409
        )
        self.assertEqual(
            list(
                AuditEntry.objects.filter(object_id=str(stage_id), action__startswith="stage.")
                .values_list("action", flat=True)
                .order_by("id")
            ),
            ["stage.create", "stage.update"],
        )

    def test_kpu_kukar_may_not_add_stages_to_the_province_wide_election(self) -> None:
        r = self.post_json(
            f"/api/v1/elections/{self.election.pk}/stages", {"name": "X", "start": "2024-09-01", "end": "2024-10-01"}
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Stage.objects.filter(name="X").exists())
