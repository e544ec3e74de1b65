"""The JSON API answers bad input with a 4xx naming the field, and never an HTML page."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

from django.conf import settings
from django.test import Client

from agencies.models import ApiToken
from elections.models import Contest
from regions.models import PollingStation
from tests.base import SinergiTestCase


class ApiErrorTest(SinergiTestCase):
    def setUp(self) -> None:
        self.kpu = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.kpu_operator, 't')[1]}")

    def patch(self, url: str, body: dict[str, Any], **extra: Any) -> Any:
        return self.kpu.patch(url, json.dumps(body), content_type="application/json", **extra)

    def test_a_limit_offset_or_election_of_ten_to_the_twenty_names_the_field(self) -> None:
        for query, field in (("limit=" + "1" + "0" * 20, "limit"), ("offset=" + "1" + "0" * 20, "offset")):
            r = self.kpu.get(f"/api/v1/tps/?{query}")
            self.assertEqual(r.status_code, 422, r.content)
            self.assertIn(field, r.json()["errors"])
        r = self.kpu.get(f"/api/v1/logistics/items?election={10**20}")
        self.assertEqual(r.status_code, 422, r.content)
        self.assertIn("election", r.json()["errors"])

    def test_a_page_is_at_most_a_thousand_rows(self) -> None:
        r = self.kpu.get("/api/v1/tps/?limit=1001")
        self.assertEqual(r.status_code, 422)
        self.assertIn("limit", r.json()["errors"])
        self.assertEqual(self.kpu.get("/api/v1/tps/?limit=1000").status_code, 200)

    def test_null_for_a_required_field_in_a_patch_names_the_field_and_writes_nothing(self) -> None:
        tps = self.tps_sebulu
        r = self.patch(f"/api/v1/tps/{tps.pk}", {"version": tps.version, "dpt_male": None})
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("dpt_male", r.json()["errors"])
        self.assertEqual(PollingStation.objects.get(pk=tps.pk).version, tps.version)
        r = self.patch(f"/api/v1/tps/{tps.pk}", {"version": None})
        self.assertEqual(r.status_code, 422)
        self.assertIn("version", r.json()["errors"])

    def test_nan_coordinates_are_refused_with_the_field_named(self) -> None:
        tps = self.tps_sebulu
        r = self.patch(f"/api/v1/tps/{tps.pk}", {"version": tps.version, "lat": "NaN"})
        self.assertIn(r.status_code, (400, 422), r.content)
        self.assertIn("lat", r.json()["errors"])
        self.assertEqual(PollingStation.objects.get(pk=tps.pk).version, tps.version)

    def test_a_date_in_the_year_9999_is_refused_with_the_field_named(self) -> None:
        contest = Contest.objects.get(region_id="64.02")
        r = self.patch(
            f"/api/v1/elections/contests/{contest.pk}", {"version": contest.version, "voting_date": "9999-12-31"}
        )
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("voting_date", r.json()["errors"])
        self.assertEqual(Contest.objects.get(pk=contest.pk).version, contest.version)

    def test_an_address_no_operation_matches_answers_json_404(self) -> None:
        r = self.kpu.get("/api/v1/tps/-5")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")
        self.assertIn("detail", r.json())

    def test_an_address_with_a_line_break_answers_json_404_too(self) -> None:
        r = self.kpu.patch("/api/v1/tps/D%0Bx%0Ay", "{}", content_type="application/json")
        self.assertEqual(r.status_code, 404)
        self.assertEqual(r["Content-Type"], "application/json; charset=utf-8")

    def test_an_unexpected_error_answers_json_500_and_is_logged(self) -> None:
        with (
            mock.patch("regions.api.scoping.get_object_for_user", side_effect=RuntimeError("boom")),
            self.assertLogs("sinergi.api", "ERROR") as logs,
        ):
            r = self.kpu.get(f"/api/v1/tps/{self.tps_sebulu.pk}")
        self.assertEqual(r.status_code, 500)
        self.assertEqual(r.json()["code"], "error")
        self.assertIn("boom", "\n".join(logs.output))

    def test_messages_are_indonesian_by_default_and_english_on_request(self) -> None:
        url = f"/api/v1/tps/{self.tps_sebulu.pk}"
        body = {"version": self.tps_sebulu.version, "dpt_male": None}
        self.assertIn("Data tidak valid", self.patch(url, body).json()["detail"])
        self.kpu.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.assertIn("not valid", self.patch(url, body).json()["detail"])

    def test_the_openapi_document_describes_the_error_answers(self) -> None:
        doc = self.kpu.get("/api/v1/openapi.json").json()
        self.assertIn("ErrorOut", doc["components"]["schemas"])
        op = doc["paths"]["/api/v1/logistics/shipments"]["post"]
        for status in ("400", "401", "403", "404", "409", "422"):
            self.assertEqual(
                op["responses"][status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorOut",
            )


class SchemaMessagesSpeakTheUsersLanguageTest(SinergiTestCase):
    """pydantic's messages are English; the API answers in the user's language with formatted bounds."""

    def setUp(self) -> None:
        self.kpu = Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(self.kpu_operator, 't')[1]}")

    def test_a_page_too_large_is_explained_in_indonesian_with_the_bound_formatted(self) -> None:
        r = self.kpu.get("/api/v1/tps/?limit=1001")
        self.assertEqual(r.json()["errors"]["limit"], ["Masukkan nilai paling banyak 1.000."])

    def test_a_missing_and_a_malformed_field_are_explained_in_indonesian(self) -> None:
        tps = self.tps_sebulu
        r = self.kpu.patch(f"/api/v1/tps/{tps.pk}", json.dumps({"version": "abc"}), content_type="application/json")
        self.assertEqual(r.json()["errors"]["version"], ["Masukkan bilangan bulat."])
        r = self.kpu.patch(f"/api/v1/tps/{tps.pk}", json.dumps({}), content_type="application/json")
        self.assertEqual(r.json()["errors"]["version"], ["Bidang ini tidak boleh kosong."])

    def test_english_users_read_english(self) -> None:
        self.kpu.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        r = self.kpu.get("/api/v1/tps/?limit=1001")
        self.assertEqual(r.json()["errors"]["limit"], ["Enter a value of at most 1,000."])
