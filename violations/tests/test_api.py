"""The violations API and ``violations_status``: the same rules as the pages, and the reporter kept
from everyone but Bawaslu."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from agencies.models import ApiToken
from regions.models import Region
from tests import fixtures
from tests.base import SinergiTestCase
from violations import actions
from violations.models import Case, Reporter, Status, Step

REPORTER = {
    "name": "Siti Rahmawati",
    "contact": "0812-5550-1234",
    "address": "Jl. Poros Sebulu RT 04",
    "statement": "Saya melihat amplop dibagikan.",
}
SECRETS = ("Siti Rahmawati", "0812-5550-1234", "Poros Sebulu", "amplop dibagikan")


def case_data(**over: Any) -> dict[str, Any]:
    data = {
        "origin": "laporan",
        "occurred_on": dt.date(2024, 11, 10),
        "known_on": dt.date(2024, 11, 11),
        "received_on": dt.date(2024, 11, 12),
        "region": Region.objects.get(code="64.02.07.2001"),
        "tps": None,
        "party_kind": "campaign",
        "party_name": "Tim Kampanye Paslon 1",
        "party_unit": "",
        "category": "pidana",
        "summary": "Pembagian uang di dekat TPS",
        "description": "",
    }
    return {**data, **over}


def intake_body(**over: Any) -> dict[str, Any]:
    body = {
        "client_id": str(uuid.uuid4()),
        "origin": "laporan",
        "occurred_on": "2024-11-14",
        "known_on": "2024-11-15",
        "received_on": "2024-11-16",
        "region": "64.02.07.2001",
        "tps": "1",
        "party_kind": "asn",
        "party_name": "Camat X",
        "party_unit": "Kantor Kecamatan",
        "category": "other_law",
        "summary": "ASN berkampanye di media sosial",
        "reporter": REPORTER,
    }
    return {**body, **over}


class ViolationsApiTestCase(SinergiTestCase):
    """Two cases of Sebulu: #1 a laporan received on 12 Nov (its decision is overdue on the 18th),
    #2 a temuan received on the 16th (due tomorrow)."""

    bribe: Case
    temuan: Case

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bribe = actions.intake(None, cls.election, case_data(), REPORTER)
        cls.temuan = actions.intake(
            None,
            cls.election,
            case_data(
                origin="temuan",
                occurred_on=dt.date(2024, 11, 16),
                known_on=dt.date(2024, 11, 16),
                received_on=dt.date(2024, 11, 16),
                region=Region.objects.get(code="64.02.07"),
                party_kind="village",
                party_name="Kepala Desa Sebulu Ulu",
                category="other_law",
                summary="Kepala desa mengarahkan warga",
            ),
        )

    def post(self, url: str, data: Any, **extra: Any) -> Any:
        return self.client.post(url, json.dumps(data), content_type="application/json", **extra)

    def refer_bribe_to_gakkumdu(self) -> Case:
        """Bawaslu registers, clarifies, reviews, decides (proven) and refers case #1."""
        case = self.bribe
        for status, on, extra in (
            (Status.REGISTERED, "2024-11-12", {}),
            (Status.CLARIFICATION, "2024-11-13", {}),
            (Status.REVIEW, "2024-11-13", {}),
            (Status.DECIDED, "2024-11-14", {"finding": "proven"}),
            (Status.REFERRED, "2024-11-15", {"referred_to": "gakkumdu"}),
        ):
            data = {"note": f"Rapat pleno: {status}", "on": dt.date.fromisoformat(on), **extra}
            case = actions.advance(self.bawaslu_investigator, case, status, data, case.version)
        return case


class IntakeTest(ViolationsApiTestCase):
    def test_a_retried_intake_records_the_case_once(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        body = intake_body()
        first = self.post("/api/v1/violations/cases", body)
        again = self.post("/api/v1/violations/cases", body)
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json()["id"], again.json()["id"])
        self.assertEqual(Case.objects.filter(client_id=body["client_id"]).count(), 1)
        self.assertEqual(Reporter.objects.filter(case_id=first.json()["id"]).count(), 1)
        got = first.json()
        self.assertEqual((got["number"], got["tps"], got["status"]), (3, "001", "received"))
        self.assertEqual((got["region_code"], got["region_name"]), ("64.02.07.2001", "Sebulu Ilir"))
        self.assertEqual(got["deadline"], "2024-11-19")
        self.assertEqual(got["days_left"], 1)
        for secret in SECRETS:
            self.assertNotIn(secret, first.content.decode())

    def test_the_same_id_with_another_case_is_refused(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        body = intake_body()
        self.assertEqual(self.post("/api/v1/violations/cases", body).status_code, 201)
        r = self.post("/api/v1/violations/cases", {**body, "summary": "Lain sama sekali"})
        self.assertEqual(r.status_code, 409)
        self.assertEqual(Case.objects.count(), 3)

    def refused(self, body: dict[str, Any], field: str, status: int = 400) -> Any:
        before = (Case.objects.count(), Step.objects.count(), Reporter.objects.count())
        r = self.post("/api/v1/violations/cases", body)
        self.assertEqual(r.status_code, status, r.content)
        if field:
            self.assertIn(field, r.json()["errors"])
            self.assertTrue(all(r.json()["errors"][field]))
        self.assertEqual((Case.objects.count(), Step.objects.count(), Reporter.objects.count()), before)
        return r

    def test_bad_input_is_refused_with_its_reason_and_nothing_written(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        self.refused(intake_body(received_on="2024-11-14"), "received_on")  # before it became known
        self.refused(intake_body(received_on="2024-11-20"), "received_on")  # after today
        r = self.refused(intake_body(region="64.02.99.9999"), "region")
        self.assertIn("64.02.99.9999", r.json()["errors"]["region"][0])
        self.refused(intake_body(region="31"), "region")  # outside the election's region
        r = self.refused(intake_body(tps="7"), "tps")
        self.assertIn("Sebulu Ilir", r.json()["errors"]["tps"][0])
        self.refused(intake_body(tps="ab"), "tps")
        self.refused(intake_body(reporter=None), "reporter_name")  # a laporan names its reporter
        self.refused(intake_body(origin="temuan"), "reporter_name")  # a temuan has none
        self.refused(intake_body(category="kode_etik"), "category")  # ethics: an organiser's
        self.refused(intake_body(incidents=[999999]), "incidents")
        self.refused(intake_body(origin="rumour"), "origin", status=422)
        self.refused({k: v for k, v in intake_body().items() if k != "client_id"}, "client_id", status=422)

    def test_a_region_outside_the_users_area_is_refused_and_nothing_written(self) -> None:
        self.client.force_login(self.bawaslu_investigator)  # Bawaslu Kukar: not Samarinda
        r = self.refused(intake_body(region="64.72.01.1001", tps=None), "", status=403)
        self.assertIn("Bawaslu", r.json()["detail"])

    def test_who_does_not_handle_violations_cannot_record_one(self) -> None:
        for user in (self.desk_admin, self.kpu_operator, self.polres_officer, self.camat_sebulu):
            self.client.force_login(user)
            self.refused(intake_body(), "", status=403)
        self.client.logout()
        self.refused(intake_body(), "", status=401)


class ReadingTest(ViolationsApiTestCase):
    def test_the_list_and_the_case_never_name_the_reporter(self) -> None:
        token = ApiToken.issue(self.kpu_operator, "test")[1]
        bearer = {"Authorization": f"Bearer {token}"}
        for user in (self.desk_admin, self.kpu_operator, self.bawaslu_investigator, self.camat_sebulu):
            self.client.force_login(user)
            for url in ("/api/v1/violations/cases", f"/api/v1/violations/cases/{self.bribe.pk}"):
                r = self.client.get(url)
                self.assertEqual(r.status_code, 200, (user, url))
                for secret in SECRETS:
                    self.assertNotIn(secret, r.content.decode(), (user, url))
        self.client.logout()
        r = self.client.get("/api/v1/violations/cases", headers=bearer)
        self.assertEqual([c["number"] for c in r.json()["items"]], [2, 1])
        self.assertEqual(r.json()["count"], 2)
        case = self.client.get(f"/api/v1/violations/cases/{self.bribe.pk}", headers=bearer).json()
        self.assertEqual((case["summary"], case["days_left"], case["illustrative"]), (self.bribe.summary, -3, False))
        self.assertEqual([s["status"] for s in case["steps"]], ["received"])
        self.assertNotIn("reporter", case)

    def test_the_list_filters(self) -> None:
        self.client.force_login(self.desk_admin)

        def numbers(query: str) -> list[int]:
            r = self.client.get(f"/api/v1/violations/cases?{query}")
            self.assertEqual(r.status_code, 200, r.content)
            return [c["number"] for c in r.json()["items"]]

        self.assertEqual(numbers("origin=temuan"), [2])
        self.assertEqual(numbers("category=pidana&status=open"), [1])
        self.assertEqual(numbers("party_kind=village"), [2])
        self.assertEqual(numbers("q=uang"), [1])
        self.assertEqual(numbers("q=Siti"), [])  # the search never reaches the reporter
        self.assertEqual(numbers("region=64.02.07.2001"), [1])
        self.assertEqual(numbers("status=closed"), [])
        self.assertEqual(self.client.get("/api/v1/violations/cases?status=lost").status_code, 400)
        self.assertEqual(self.client.get("/api/v1/violations/cases?region=64.72").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/violations/cases?region=99").status_code, 404)

    def test_the_reporter_answers_bawaslu_and_no_one_else(self) -> None:
        url = f"/api/v1/violations/cases/{self.bribe.pk}/reporter"
        self.client.force_login(self.bawaslu_investigator)
        r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["reporter"], REPORTER)
        self.assertEqual(r.json()["evidence"], [])
        r = self.client.get(f"/api/v1/violations/cases/{self.temuan.pk}/reporter")
        self.assertEqual((r.status_code, r.json()["reporter"]), (200, None))
        for user in (self.desk_admin, self.kpu_operator, self.camat_sebulu, self.polres_officer):
            self.client.force_login(user)
            r = self.client.get(url)
            self.assertEqual(r.status_code, 404, user)
            for secret in SECRETS:
                self.assertNotIn(secret, r.content.decode())

    def test_polri_sees_a_case_only_once_referred_to_gakkumdu(self) -> None:
        self.client.force_login(self.polres_officer)
        url = f"/api/v1/violations/cases/{self.bribe.pk}"
        self.assertEqual(self.client.get("/api/v1/violations/cases").json()["count"], 0)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.refer_bribe_to_gakkumdu()
        r = self.client.get("/api/v1/violations/cases")
        self.assertEqual([c["number"] for c in r.json()["items"]], [1])
        r = self.client.get(url)
        self.assertEqual((r.status_code, r.json()["referred_to"]), (200, "gakkumdu"))
        self.assertEqual(self.client.get(f"/api/v1/violations/cases/{self.temuan.pk}").status_code, 404)
        self.assertEqual(self.client.get(f"{url}/reporter").status_code, 404)
        for secret in SECRETS:
            self.assertNotIn(secret, r.content.decode())
        # and records the investigation, its own stage
        r = self.post(
            f"{url}/steps", {"status": "investigation", "note": "SPDP terbit", "version": r.json()["version"]}
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["status"], r.json()["deadline_rule"]), ("investigation", "investigation"))

    def test_an_unknown_case_or_one_outside_the_readers_reach_is_404(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        self.assertEqual(self.client.get("/api/v1/violations/cases/999999").status_code, 404)
        self.client.force_login(fixtures.make_reader())  # a DPRD member reads the cases of Kukar
        self.assertEqual(self.client.get(f"/api/v1/violations/cases/{self.bribe.pk}").status_code, 200)
        self.client.force_login(get_user_model().objects.create(username="no_membership"))
        for url in (
            f"/api/v1/violations/cases/{self.bribe.pk}",
            "/api/v1/violations/cases",
            "/api/v1/violations/rules",
        ):
            self.assertEqual(self.client.get(url).status_code, 404, url)

    def test_the_rules_and_holidays(self) -> None:
        actions.add_holiday(None, self.election, dt.date(2024, 11, 27), "Pemungutan suara")
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/api/v1/violations/rules")
        self.assertEqual(r.status_code, 200)
        rules = {x["key"]: (x["days"], x["working_days"]) for x in r.json()["rules"]}
        self.assertEqual(rules["decide"], (3, False))
        self.assertEqual(rules["investigation"], (14, True))
        self.assertEqual(r.json()["holidays"], [{"day": "2024-11-27", "name": "Pemungutan suara"}])


class WorkflowTest(ViolationsApiTestCase):
    def steps_url(self, case: Case) -> str:
        return f"/api/v1/violations/cases/{case.pk}/steps"

    def test_a_step_moves_the_case_and_a_stale_version_is_409(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        body = {"status": "registered", "note": "Syarat formil dan materiil terpenuhi", "version": 1}
        r = self.post(self.steps_url(self.bribe), body)
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["status"], r.json()["version"]), ("registered", 2))
        r = self.post(self.steps_url(self.bribe), {**body, "status": "clarification"})
        self.assertEqual(r.status_code, 409)
        self.assertEqual(Case.objects.get(pk=self.bribe.pk).status, Status.REGISTERED)
        detail = self.client.get(f"/api/v1/violations/cases/{self.bribe.pk}").json()
        self.assertEqual([s["status"] for s in detail["steps"]], ["received", "registered"])
        self.assertEqual(detail["steps"][1]["note"], "Syarat formil dan materiil terpenuhi")

    def test_a_skipped_step_is_refused_with_the_steps_allowed(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        r = self.post(self.steps_url(self.bribe), {"status": "review", "note": "Langsung kaji", "version": 1})
        self.assertEqual(r.status_code, 400)
        self.assertIn("status", r.json()["errors"])
        r = self.post(self.steps_url(self.bribe), {"status": "not_registered", "note": "Kurang", "version": 1})
        self.assertIn("reason", r.json()["errors"])
        self.assertEqual(Step.objects.filter(case=self.bribe).count(), 1)

    def test_only_bawaslu_moves_a_case_and_others_see_it_unchanged(self) -> None:
        body = {"status": "registered", "note": "Terdaftar", "version": 1}
        self.client.force_login(self.desk_admin)
        self.assertEqual(self.post(self.steps_url(self.bribe), body).status_code, 403)
        self.client.force_login(self.polres_officer)  # before the referral it cannot even see it
        self.assertEqual(self.post(self.steps_url(self.bribe), body).status_code, 404)
        self.assertEqual(Case.objects.get(pk=self.bribe.pk).version, 1)

    def test_more_information_moves_the_decision_deadline_once(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        url = f"/api/v1/violations/cases/{self.temuan.pk}/information"
        r = self.post(url, {"note": "Minta keterangan saksi", "version": 1})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["extended"], r.json()["deadline"]), (True, "2024-11-21"))
        r = self.post(url, {"note": "Sekali lagi", "version": 2})
        self.assertEqual(r.status_code, 400)

    def test_a_sanction_follows_a_referral(self) -> None:
        self.client.force_login(self.desk_admin)
        url = f"/api/v1/violations/cases/{self.bribe.pk}/sanction"
        r = self.post(url, {"sanction": "Teguran tertulis", "sanction_on": "2024-11-16", "version": 1})
        self.assertEqual(r.status_code, 400)
        self.assertIn("sanction", r.json()["errors"])
        case = self.refer_bribe_to_gakkumdu()
        r = self.post(url, {"sanction": "Teguran tertulis", "version": case.version})
        self.assertEqual(r.status_code, 400)
        self.assertIn("sanction_on", r.json()["errors"])
        # an election crime ends in court: its verdict is the outcome, not a sanction the desk records
        r = self.post(url, {"sanction": "Teguran tertulis", "sanction_on": "2024-11-16", "version": case.version})
        self.assertEqual(r.status_code, 400, r.content)
        self.assertIn("BKN", r.json()["errors"]["sanction"][0])


class FiguresTest(ViolationsApiTestCase):
    def test_the_public_sees_counts_and_no_names(self) -> None:
        self.client.logout()
        r = self.client.get("/api/v1/public/violations/64.02")
        self.assertEqual(r.status_code, 200)
        data = r.json()
        self.assertEqual((data["total"], data["open"], data["as_of"]), (2, 2, "2024-11-18"))
        self.assertEqual(data["by_origin"], {"laporan": 1, "temuan": 1})
        self.assertEqual(data["by_category"]["other_law"], 1)
        self.assertEqual(data["by_kecamatan"], {"64.02.07": 2})
        self.assertEqual(data["asn"], {"cases": 0, "referred": 0, "sanctioned": 0})
        for secret in (*SECRETS, self.bribe.summary, self.bribe.party_name, self.temuan.party_name):
            self.assertNotIn(secret, r.content.decode())
        self.assertEqual(self.client.get("/api/v1/public/violations/64.72").json()["total"], 0)
        self.assertEqual(self.client.get("/api/v1/public/violations/99.99").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/public/violations/64.02?election=999999").status_code, 404)
        self.assertEqual(self.client.get("/api/v1/violations/cases").status_code, 401)
        self.assertEqual(self.client.get("/api/v1/violations/status/64.02").status_code, 401)

    def test_the_status_figures_in_the_readers_area(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.get("/api/v1/violations/status/64.02")
        self.assertEqual(r.status_code, 200)
        self.assertEqual([d["number"] for d in r.json()["overdue"]], [1])
        self.assertEqual([d["number"] for d in r.json()["near_deadline"]], [2])
        self.assertEqual(self.client.get("/api/v1/violations/status/64.72").status_code, 404)
        self.client.force_login(self.polres_officer)  # figures for all; no case of theirs is due
        r = self.client.get("/api/v1/violations/status/64.02")
        self.assertEqual((r.json()["total"], r.json()["overdue"], r.json()["near_deadline"]), (2, [], []))

    def test_violations_status_prints_the_report_sections_figures(self) -> None:
        out = io.StringIO()
        call_command("violations_status", "64.02", "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.client.force_login(self.desk_admin)
        self.assertEqual(data, self.client.get("/api/v1/violations/status/64.02").json())
        self.assertEqual((data["total"], data["open"], data["by_status"]), (2, 2, {"received": 2}))
        out = io.StringIO()
        call_command("violations_status", "64.02", stdout=out)
        text = out.getvalue()
        self.assertIn("Kabupaten Kutai Kartanegara (64.02), as of 2024-11-18", text)
        self.assertIn("Cases: 2, open 2", text)
        self.assertIn("By category: pidana 1, other_law 1", text)
        self.assertIn("#2 Kepala desa mengarahkan warga — received, due 2024-11-19 (1 day left)", text)
        self.assertIn("#1 Pembagian uang di dekat TPS — received, due 2024-11-15 (3 days late)", text)
        self.assertLess(text.index("Near deadline:"), text.index("#2"))
        self.assertLess(text.index("Overdue:"), text.index("#1"))
        for secret in SECRETS:
            self.assertNotIn(secret, text)

    def test_violations_status_names_an_unknown_region_or_election(self) -> None:
        for args, message in (
            (["99.99"], "Unknown region code: 99.99"),
            (["64.02", "--election", "999999"], "No election found."),
        ):
            with self.assertRaises(CommandError) as caught:
                call_command("violations_status", *args, stdout=io.StringIO())
            self.assertEqual(str(caught.exception), message)
