"""API v1 for regions and TPS: tokens, scoping, field-level errors, the public summary."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from agencies.models import ApiToken
from regions.models import PollingStation
from tests.base import SinergiTestCase


class ApiTest(SinergiTestCase):
    def setUp(self) -> None:
        _, self.key = ApiToken.issue(self.kpu_operator, "Silog sync")
        self.api = Client(HTTP_AUTHORIZATION=f"Bearer {self.key}")

    def post(self, url: str, body: dict[str, Any]) -> Any:
        return self.api.post(url, json.dumps(body), content_type="application/json")

    def test_a_token_authenticates_as_its_user_with_the_same_scope(self) -> None:
        r = self.api.get("/api/v1/tps/?limit=10")
        self.assertEqual(r.status_code, 200)
        self.assertEqual({t["id"] for t in r.json()["items"]}, {self.tps_sebulu.pk, self.tps_tenggarong.pk})

    def test_a_wrong_token_is_rejected(self) -> None:
        r = Client(HTTP_AUTHORIZATION="Bearer snrg_wrong").get("/api/v1/tps/")
        self.assertEqual(r.status_code, 401)
        self.assertIn("detail", r.json())

    def test_only_the_hash_of_a_token_is_stored(self) -> None:
        token = ApiToken.objects.get(user=self.kpu_operator)
        self.assertNotIn(self.key, (token.key_hash, token.prefix))

    def test_the_list_filters_by_region_subtree_and_access_mode(self) -> None:
        r = self.api.get("/api/v1/tps/?region=64.02.07")
        self.assertEqual([t["id"] for t in r.json()["items"]], [self.tps_sebulu.pk])
        r = self.api.get("/api/v1/tps/?access_mode=river")
        self.assertEqual(r.json()["count"], 0)

    def test_the_api_and_the_tps_page_find_the_same_tps_for_every_search(self) -> None:
        self.client.force_login(self.kpu_operator)
        searches = {
            "64.02.07.2001": [self.tps_sebulu.pk],  # a desa code
            "64.02.06": [self.tps_tenggarong.pk],  # a kecamatan code: its subtree
            "Tenggarong": [self.tps_tenggarong.pk],  # a kecamatan by name (its desa is Melayu)
            "Sebulu": [self.tps_sebulu.pk],
            "Melayu": [self.tps_tenggarong.pk],
            "Tabang": [],
        }
        for q, expected in searches.items():
            with self.subTest(q=q):
                page = self.client.get("/regions/tps/", {"q": q})
                self.assertEqual([t.pk for t in page.context["table"].data], expected)
                api = self.api.get("/api/v1/tps/", {"q": q})
                self.assertEqual([t["id"] for t in api.json()["items"]], expected)

    def test_create_returns_field_level_errors(self) -> None:
        count = PollingStation.objects.count()
        r = self.post(
            "/api/v1/tps/",
            {
                "election_id": self.election.pk,
                "village_code": "64.02.07.2002",
                "number": "001",
                "dpt_male": 500,
                "dpt_female": 200,
            },
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("dpt_male", r.json()["errors"])
        r = self.post(
            "/api/v1/tps/", {"election_id": self.election.pk, "village_code": "64.02.07.2002", "dpt_male": -1}
        )
        self.assertEqual(r.status_code, 422)
        self.assertIn("number", r.json()["errors"])
        self.assertIn("dpt_male", r.json()["errors"])
        r = self.post(
            "/api/v1/tps/",
            {"election_id": self.election.pk, "village_code": "99.99", "number": "1", "dpt_male": 1, "dpt_female": 1},
        )
        self.assertIn("village_code", r.json()["errors"])
        self.assertEqual(PollingStation.objects.count(), count)

    def test_create_and_update_with_version_check(self) -> None:
        r = self.post(
            "/api/v1/tps/",
            {
                "election_id": self.election.pk,
                "village_code": "64.02.07.2002",
                "number": "3",
                "dpt_male": 100,
                "dpt_female": 90,
                "lat": -0.27,
                "lng": 117.05,
            },
        )
        self.assertEqual(r.status_code, 201, r.content)
        body = r.json()
        self.assertEqual((body["number"], body["dpt"], body["version"]), ("003", 190, 1))
        url = f"/api/v1/tps/{body['id']}"
        ok = self.api.patch(url, json.dumps({"version": 1, "address": "Balai"}), content_type="application/json")
        self.assertEqual(ok.json()["version"], 2)
        stale = self.api.patch(url, json.dumps({"version": 1, "address": "Lain"}), content_type="application/json")
        self.assertEqual(stale.status_code, 409)
        self.assertEqual(stale.json()["code"], "conflict")
        self.assertEqual(PollingStation.objects.get(pk=body["id"]).address, "Balai")

    def test_coordinates_outside_indonesia_are_refused(self) -> None:
        r = self.api.patch(
            f"/api/v1/tps/{self.tps_sebulu.pk}",
            json.dumps({"version": 1, "lat": 48.85, "lng": 2.35}),
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertEqual(set(r.json()["errors"]), {"lat", "lng"})

    def test_region_tree_children_and_geojson(self) -> None:
        r = self.api.get("/api/v1/regions/64.02")
        self.assertEqual([a["code"] for a in r.json()["ancestors"]], ["64"])
        self.assertEqual(
            {c["code"] for c in r.json()["children"]}, {"64.02.05", "64.02.06", "64.02.07", "64.02.12", "64.02.17"}
        )
        r = self.api.get("/api/v1/regions/64.02.07/children")
        self.assertEqual([c["kind"] for c in r.json()], ["desa", "desa"])
        r = self.api.get("/api/v1/regions/64/children.geojson")
        self.assertEqual(r.json()["type"], "FeatureCollection")

    def test_elections_contests_and_stages(self) -> None:
        r = self.api.get("/api/v1/elections/")
        self.assertEqual(r.json()[0]["days_to_go"], 9)
        self.assertEqual(r.json()[0]["current_stage"], "Kampanye")
        contests = self.api.get(f"/api/v1/elections/{self.election.pk}/contests").json()
        self.assertEqual([c["name"] for c in contests], ["Bupati Kukar 2024"])
        stages = self.api.get(f"/api/v1/elections/{self.election.pk}/stages").json()
        self.assertEqual([s["status"] for s in stages], ["current", "upcoming", "upcoming"])

    def test_openapi_and_local_docs(self) -> None:
        spec = Client().get("/api/v1/openapi.json").json()
        self.assertIn("/api/v1/tps/", spec["paths"])
        docs = Client().get("/api/v1/docs").content.decode()
        self.assertIn("/static/ninja/swagger-ui-bundle.js", docs)
        self.assertNotIn("cdn.", docs)


class PublicApiTest(SinergiTestCase):
    def test_anyone_gets_a_regions_tps_and_dpt_totals_without_login(self) -> None:
        r = Client().get("/api/v1/public/regions/64.02")
        self.assertEqual(r.status_code, 200)
        body = r.json()
        self.assertEqual(body["totals"], {"tps": 2, "dpt": 780, "dpt_male": 400, "dpt_female": 380})
        by_code = {c["code"]: c["totals"]["tps"] for c in body["children"]}
        self.assertEqual(by_code, {"64.02.05": 0, "64.02.06": 1, "64.02.07": 1, "64.02.12": 0, "64.02.17": 0})
        self.assertEqual(Client().get("/api/v1/public/regions/64").json()["totals"]["tps"], 3)

    def test_an_election_can_be_chosen_and_an_unknown_one_is_404(self) -> None:
        r = Client().get(f"/api/v1/public/regions/64?election={self.election.pk}")
        self.assertEqual(r.json()["election_id"], self.election.pk)
        self.assertEqual(Client().get("/api/v1/public/regions/64?election=999").status_code, 404)
        self.assertEqual(Client().get("/api/v1/public/regions/99.99").status_code, 404)
