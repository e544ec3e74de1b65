"""The grants API: the Desk's agreements and tranches (409 when stale), the recipient's idempotent
realisation reports, the status figures and the public totals."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from budget import actions
from budget.models import Agreement, Realisation, Tranche
from budget.tests.base import BudgetTestCase
from core.models import AuditEntry

BASE = "/api/v1/budget"


class BudgetApiTest(BudgetTestCase):
    def setUp(self) -> None:
        self.client.cookies["django_language"] = "en"

    def post(self, user: Any, url: str, data: dict[str, Any]) -> Any:
        self.client.force_login(user)
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def new(self, **kw: Any) -> dict[str, Any]:
        return {
            "region": "64.02",
            "agency_id": self.kpu.pk,
            "number": "001/API",
            "signed_on": "2024-03-01",
            "amount": 10_000_000_000,
            "purpose": "Penyelenggaraan",
            **kw,
        }

    def test_the_desk_creates_lists_and_reads_an_agreement(self) -> None:
        r = self.post(self.desk_admin, f"{BASE}/agreements", self.new())
        self.assertEqual(r.status_code, 201, r.content)
        pk = r.json()["id"]
        self.client.force_login(self.camat_sebulu)
        listed = self.client.get(f"{BASE}/agreements").json()["items"]
        self.assertEqual([a["id"] for a in listed], [pk])
        one = self.client.get(f"{BASE}/agreements/{pk}").json()
        self.assertEqual(
            (one["amount"], one["figures"]["agreed"], one["tranches"]), (10_000_000_000, 10_000_000_000, [])
        )

    def test_a_negative_amount_is_refused_with_the_field_and_nothing_written(self) -> None:
        before = AuditEntry.objects.count()
        r = self.post(self.desk_admin, f"{BASE}/agreements", self.new(amount=-1))
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r.json()["errors"]["amount"], ["An amount cannot be negative."])
        self.assertEqual((Agreement.objects.count(), AuditEntry.objects.count()), (0, before))

    def test_tranches_over_the_agreement_are_refused_and_a_stale_disbursement_answers_409(self) -> None:
        a = self.agreement()
        url = f"{BASE}/agreements/{a.pk}/tranches"
        r = self.post(self.desk_admin, url, {"planned_on": "2024-03-05", "planned_amount": 10_000_000_000})
        self.assertEqual(r.status_code, 201, r.content)
        tranche = r.json()
        r = self.post(self.desk_admin, url, {"planned_on": "2024-03-05", "planned_amount": 1})
        self.assertEqual(r.status_code, 400)
        self.assertIn("left to plan", r.json()["errors"]["planned_amount"][0])
        disburse = f"{BASE}/tranches/{tranche['id']}/disburse"
        stale = {"disbursed_on": "2024-03-10", "disbursed_amount": 1_000, "version": tranche["version"] + 1}
        self.assertEqual(self.post(self.desk_admin, disburse, stale).status_code, 409)
        r = self.post(self.desk_admin, disburse, {**stale, "version": tranche["version"]})
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual((r.json()["disbursed_amount"], r.json()["version"]), (1_000, tranche["version"] + 1))
        self.assertEqual(
            self.post(self.desk_admin, disburse, {**stale, "version": tranche["version"]}).status_code, 409
        )
        self.assertEqual(Tranche.objects.get().disbursed_amount, 1_000)

    def test_a_realisation_report_is_idempotent_and_only_the_recipients(self) -> None:
        a = self.agreement()
        self.paid(a, 4_000_000_000, dt.date(2024, 3, 15))
        url = f"{BASE}/agreements/{a.pk}/realisations"
        body = {
            "client_id": str(uuid.uuid4()),
            "period_end": "2024-10-31",
            "submitted_on": "2024-11-05",
            "spent": {"honorarium": 1_000_000, "security": 0},
            "returned": 0,
        }
        first = self.post(self.kpu_operator, url, body)
        self.assertEqual(first.status_code, 201, first.content)
        again = self.post(self.kpu_operator, url, body)
        self.assertEqual((again.status_code, again.json()["id"]), (201, first.json()["id"]))
        self.assertEqual(first.json()["spent"], {"honorarium": 1_000_000})
        self.assertEqual(Realisation.objects.count(), 1)
        other = self.post(self.kpu_operator, url, {**body, "spent": {"honorarium": 2_000_000}})
        self.assertEqual(other.status_code, 409)
        for user in (self.bawaslu_investigator, self.desk_admin):
            r = self.post(user, url, {**body, "client_id": str(uuid.uuid4())})
            self.assertEqual(r.status_code, 403)
        too_much = self.post(
            self.kpu_operator, url, {**body, "client_id": str(uuid.uuid4()), "spent": {"logistics": 4_000_000_000}}
        )
        self.assertEqual(too_much.status_code, 400)
        self.assertIn("more than the Rp 4 miliar", too_much.json()["errors"]["lines"][0])
        self.assertEqual(Realisation.objects.count(), 1)

    def test_the_public_sees_totals_with_their_sources_only(self) -> None:
        a = self.agreement()
        self.paid(a, 4_000_000_000, dt.date(2024, 3, 15))
        actions.report(
            self.kpu_operator,
            a,
            {"period_end": dt.date(2024, 10, 31), "submitted_on": dt.date(2024, 11, 1), "lines": {"other": 5}},
        )
        self.client.logout()
        r = self.client.get("/api/v1/public/budget/64.02")
        self.assertEqual(r.status_code, 200)
        data = r.json()
        self.assertEqual((data["agreed"], data["disbursed"], data["realised"]), (10_000_000_000, 4_000_000_000, 5))
        self.assertEqual(data["as_of"], "2024-11-18")
        self.assertNotIn("001/NPHD/2024", r.content.decode())
