"""The security API and ``security_status``: the same figures and rules as the pages."""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

from django.core.management import call_command

from agencies.models import Agency
from security import actions
from security.models import Incident
from security.tests.test_security import SecurityTestCase


class SecurityApiTest(SecurityTestCase):
    def post(self, url: str, data: Any) -> Any:
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def test_a_retried_incident_is_reported_once(self) -> None:
        self.client.force_login(self.camat_sebulu)
        body = {
            "kind": "violence",
            "severity": "high",
            "occurred_at": "2024-11-16T16:00:00+08:00",
            "region_code": "64.02.07.2001",
            "title": "Keributan",
            "description": "Adu mulut.",
            "client_id": str(uuid.uuid4()),
        }
        first = self.post("/api/v1/security/incidents", body)
        again = self.post("/api/v1/security/incidents", body)
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json()["id"], again.json()["id"])
        self.assertEqual(Incident.objects.count(), 1)

    def test_bad_input_is_refused_with_its_reason_and_nothing_written(self) -> None:
        self.client.force_login(self.polres_officer)
        polres = Agency.objects.get(name="Polres Kukar")
        r = self.post(
            "/api/v1/security/pools",
            {"polres_id": polres.pk, "unit": "Polsek Sebulu", "region_code": "64.02.07", "linmas": -3},
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("linmas", r.json()["errors"])
        r = self.post(
            "/api/v1/security/patterns",
            {"polres_id": polres.pk, "category": "rawan", "polri": 2, "tps": 0, "linmas": 4},
        )
        self.assertEqual(r.status_code, 400)
        self.client.force_login(self.bawaslu_investigator)
        r = self.post(
            f"/api/v1/security/tps/{self.tps_sebulu.pk}/assessments",
            {"observed_on": "2024-11-12", "indicators": ["9.9"]},
        )
        self.assertEqual(r.status_code, 400)
        r = self.post(f"/api/v1/security/tps/{self.tps_samarinda.pk}/assessments", {"observed_on": "2024-11-12"})
        self.assertEqual(r.status_code, 404)

    def test_the_public_sees_counts_by_category_and_nothing_of_a_named_tps(self) -> None:
        self.assess(self.tps_sebulu, ["7.1", "7.2"], evidence="Catatan PKD rahasia")
        actions.set_guard(
            self.polres_officer, self.tps_sebulu, {"category": "rawan", "polri": 2, "names": "Bripka Andi"}
        )
        self.client.logout()
        r = self.client.get("/api/v1/public/security/64.02.07")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["rawan"], 1)
        for secret in ("7.1", "Catatan PKD", "Bripka", "polri", "Sebulu Ilir"):
            self.assertNotIn(secret, r.content.decode())
        self.assertEqual(self.client.get(f"/api/v1/security/tps/{self.tps_sebulu.pk}").status_code, 401)

    def test_security_status_prints_the_report_sections_figures(self) -> None:
        self.assess(self.tps_sebulu, ["7.1", "7.2"])
        out = io.StringIO()
        call_command("security_status", "64.02", "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(data["tps_by_category"]["rawan"], 1)
        self.assertEqual(data["tps_by_category"]["not_assessed"], 3)  # Sebulu's two others and Tenggarong's
        out = io.StringIO()
        call_command("security_status", "64.02", stdout=out)
        self.assertIn("rawan 1", out.getvalue())

    def patch_scheme(self, data: Any) -> Any:
        return self.client.patch("/api/v1/security/scheme", json.dumps(data), content_type="application/json")

    def test_the_thresholds_are_set_at_the_elections_level_and_recategorise(self) -> None:
        from django.contrib.auth import get_user_model

        from agencies.models import Membership, Role
        from security.models import Assessment, Category

        a = self.assess(self.tps_sebulu, ["7.1", "7.2"])  # 6: rawan
        self.client.force_login(self.bawaslu_investigator)  # Bawaslu Kukar: not the election's level
        self.assertEqual(
            self.client.patch(
                "/api/v1/security/scheme", {"version": 1, "rawan_from": 7}, content_type="application/json"
            ).status_code,
            403,
        )
        prov = Agency.objects.create(name="Bawaslu Kaltim", kind="bawaslu", region_id="64")
        admin = get_user_model().objects.create(username="bawaslu_kaltim")
        Membership.objects.create(user=admin, agency=prov, role=Role.ADMIN, scope_id="64")
        self.client.force_login(admin)
        r = self.client.patch(
            "/api/v1/security/scheme", {"version": 1, "rawan_from": 7}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 200)
        a.refresh_from_db()
        self.assertEqual(a.category, Category.KURANG_RAWAN)
        r = self.client.patch(
            "/api/v1/security/scheme", {"version": 2, "sangat_rawan_from": 5}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 400)
        self.assertTrue(Assessment.objects.filter(pk=a.pk, category=Category.KURANG_RAWAN).exists())
