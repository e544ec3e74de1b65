"""The permission matrix: every persona against every model's views and API.

Expectations are written out by hand from docs/access.md, not computed from the scoping code,
so a change in core/scoping.py that widens or narrows access makes this test fail.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from agencies.models import Agency
from core.tests.base import SinergiTestCase
from elections.models import Contest
from regions.models import PollingStation

PERSONAS = ["desk_admin", "kpu_operator", "bawaslu_investigator", "polres_officer", "camat_sebulu", "anonymous"]
KUKAR_PERSONAS = {"desk_admin", "kpu_operator", "bawaslu_investigator", "polres_officer"}

# Which TPS each persona may see / change.
TPS_VIEW = {
    "tps_sebulu": KUKAR_PERSONAS | {"camat_sebulu"},
    "tps_tenggarong": KUKAR_PERSONAS,
    "tps_samarinda": set(),
}
TPS_CHANGE = {"tps_sebulu": {"kpu_operator"}, "tps_tenggarong": {"kpu_operator"}, "tps_samarinda": set()}
# Contests: the Kukar regent race is visible inside Kukar; Samarinda's mayor race is not.
CONTEST_VIEW = {"Bupati Kukar 2024": KUKAR_PERSONAS | {"camat_sebulu"}, "Walikota Samarinda 2024": set()}
AGENCY_VIEW = {
    "Desk Pilkada Kukar": KUKAR_PERSONAS | {"camat_sebulu"},
    "Kecamatan Sebulu": KUKAR_PERSONAS | {"camat_sebulu"},
    "KPU Samarinda": set(),
}


class PermissionMatrixTest(SinergiTestCase):
    def login(self, persona: str) -> None:
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(self.personas[persona])

    def test_tps_pages_show_only_what_is_in_scope(self) -> None:
        for name, viewers in TPS_VIEW.items():
            tps: PollingStation = getattr(self, name)
            for persona in PERSONAS:
                with self.subTest(tps=name, persona=persona):
                    self.login(persona)
                    r = self.client.get(reverse("regions:tps_detail", args=[tps.pk]))
                    if persona == "anonymous":
                        self.assertEqual(r.status_code, 302)
                    else:
                        self.assertEqual(r.status_code, 200 if persona in viewers else 404)

    def test_tps_list_and_api_list_only_what_is_in_scope(self) -> None:
        for persona in PERSONAS:
            with self.subTest(persona=persona):
                self.login(persona)
                expected = {getattr(self, n).pk for n, viewers in TPS_VIEW.items() if persona in viewers}
                r = self.client.get("/api/v1/tps/?limit=100")
                if persona == "anonymous":
                    self.assertEqual(r.status_code, 401)
                    self.assertEqual(self.client.get(reverse("regions:tps_list")).status_code, 302)
                    continue
                self.assertEqual({t["id"] for t in r.json()["items"]}, expected)
                page = self.client.get(reverse("regions:tps_list"))
                self.assertEqual({t.pk for t in page.context["table"].data}, expected)

    def test_tps_api_detail_hides_what_is_out_of_scope(self) -> None:
        for name, viewers in TPS_VIEW.items():
            tps = getattr(self, name)
            for persona in PERSONAS:
                with self.subTest(tps=name, persona=persona):
                    self.login(persona)
                    r = self.client.get(f"/api/v1/tps/{tps.pk}")
                    want = 401 if persona == "anonymous" else (200 if persona in viewers else 404)
                    self.assertEqual(r.status_code, want)

    def test_only_kpu_changes_tps_in_its_area_through_the_ui(self) -> None:
        for name, changers in TPS_CHANGE.items():
            tps = getattr(self, name)
            for persona in PERSONAS:
                with self.subTest(tps=name, persona=persona):
                    self.login(persona)
                    tps.refresh_from_db()
                    before = (tps.address, tps.version)
                    url = reverse("regions:tps_edit", args=[tps.pk])
                    r = self.client.post(url, self._form(tps, address=f"Changed by {persona}"))
                    tps.refresh_from_db()
                    if persona in changers:
                        self.assertEqual(r.status_code, 302)
                        self.assertEqual(tps.address, f"Changed by {persona}")
                    else:
                        expected = 302 if persona == "anonymous" else (403 if persona in TPS_VIEW[name] else 404)
                        self.assertEqual(r.status_code, expected)
                        self.assertEqual((tps.address, tps.version), before)

    def test_only_kpu_changes_tps_in_its_area_through_the_api(self) -> None:
        for name, changers in TPS_CHANGE.items():
            tps = getattr(self, name)
            for persona in PERSONAS:
                with self.subTest(tps=name, persona=persona):
                    self.login(persona)
                    tps.refresh_from_db()
                    before = (tps.dpt_male, tps.version)
                    r = self.client.patch(
                        f"/api/v1/tps/{tps.pk}",
                        json.dumps({"version": tps.version, "dpt_male": tps.dpt_male + 1}),
                        content_type="application/json",
                    )
                    tps.refresh_from_db()
                    if persona in changers:
                        self.assertEqual(r.status_code, 200, r.content)
                        self.assertEqual(tps.dpt_male, before[0] + 1)
                    else:
                        want = 401 if persona == "anonymous" else (403 if persona in TPS_VIEW[name] else 404)
                        self.assertEqual(r.status_code, want)
                        self.assertEqual((tps.dpt_male, tps.version), before)

    def test_only_kpu_may_create_or_import_tps(self) -> None:
        for persona in PERSONAS:
            with self.subTest(persona=persona):
                self.login(persona)
                count = PollingStation.objects.count()
                r = self.client.post(
                    "/api/v1/tps/",
                    json.dumps(
                        {
                            "election_id": self.election.pk,
                            "village_code": "64.02.07.2002",
                            "number": "009",
                            "dpt_male": 10,
                            "dpt_female": 10,
                        }
                    ),
                    content_type="application/json",
                )
                if persona == "kpu_operator":
                    self.assertEqual(r.status_code, 201, r.content)
                    PollingStation.objects.filter(pk=r.json()["id"]).delete()
                else:
                    self.assertIn(r.status_code, {401, 403})
                    self.assertEqual(PollingStation.objects.count(), count)
                    page = self.client.get(reverse("regions:tps_import"))
                    self.assertEqual(page.status_code, 302 if persona == "anonymous" else 403)

    def test_contests_are_visible_where_they_are_held(self) -> None:
        for contest_name, viewers in CONTEST_VIEW.items():
            contest = Contest.objects.get(name=contest_name)
            for persona in PERSONAS:
                with self.subTest(contest=contest_name, persona=persona):
                    self.login(persona)
                    r = self.client.get(f"/api/v1/elections/contests/{contest.pk}/candidates")
                    want = 401 if persona == "anonymous" else (200 if persona in viewers else 404)
                    self.assertEqual(r.status_code, want)
                    if persona != "anonymous":
                        page = self.client.get(reverse("elections:detail", args=[self.election.pk]))
                        self.assertEqual(page.status_code, 200)
                        shown = {c.name for c in page.context["contests"]}
                        self.assertEqual(contest_name in shown, persona in viewers)

    def test_agencies_are_visible_inside_the_scope(self) -> None:
        for agency_name, viewers in AGENCY_VIEW.items():
            agency = Agency.objects.get(name=agency_name)
            for persona in PERSONAS:
                with self.subTest(agency=agency_name, persona=persona):
                    self.login(persona)
                    r = self.client.get(reverse("agencies:detail", args=[agency.pk]))
                    want = 302 if persona == "anonymous" else (200 if persona in viewers else 404)
                    self.assertEqual(r.status_code, want)

    def _form(self, tps: PollingStation, **changes: Any) -> dict[str, Any]:
        data = {
            "number": tps.number,
            "address": tps.address,
            "dpt_male": tps.dpt_male,
            "dpt_female": tps.dpt_female,
            "dpph_expected": tps.dpph_expected,
            "dptb_expected": tps.dptb_expected,
            "lat": tps.lat,
            "lng": tps.lng,
            "access_mode": tps.access_mode,
            "travel_minutes": "",
            "version": tps.version,
        }
        data.update(changes)
        return data
