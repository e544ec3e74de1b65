"""Permission cases for budget (see tests/matrix.py).

The Desk Pilkada Kukar (the Pemda) records agreements, tranches, disbursements and LPJ due dates;
only the recipient's operators (here KPU Kukar's) report realisation on its agreement; every agency
of Kukar reads the grant, the camat and the PPK of Sebulu included (their area lies in the granting
region); KPU Samarinda sees none of it. The public reads the totals only, never an agreement.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from budget import actions
from budget.models import Agreement, Document, Tranche
from regions.models import Region
from tests.matrix import IN_SEBULU, LOGGED_IN, Case, api_case

NUMBER = "Matriks/NPHD/KPU-KUKAR/2024"
DESK = frozenset({"desk_admin"})
KPU_WRITERS = frozenset({"kpu_operator", "kpu_admin"})
NOBODY: frozenset[str] = frozenset()


def _world(w: Any) -> tuple[Agreement, Tranche, Document]:
    agreement = Agreement.objects.filter(number=NUMBER).first()
    if agreement is None:
        data = {
            "region": Region.objects.get(code="64.02"),
            "agency": Agency.objects.get(name="KPU Kukar"),
            "number": NUMBER,
            "signed_on": dt.date(2024, 3, 1),
            "amount": 12_000_000_000,
            "purpose": "Matriks: penyelenggaraan Pilkada",
            "budget_source": "APBD 2024",
            "amends": None,
            "lpj_due": dt.date(2024, 11, 1),  # late: listed among the late LPJ with its number
        }
        agreement = actions.create_agreement(None, w.election, data)
        paid = actions.add_tranche(None, agreement, dt.date(2024, 3, 10), 4_000_000_000)
        actions.disburse(None, paid, dt.date(2024, 3, 15), 4_000_000_000, paid.version)
        actions.add_tranche(None, agreement, dt.date(2024, 12, 1), 6_000_000_000)
        pdf = SimpleUploadedFile("kuitansi.pdf", b"%PDF-1.4\n%matrix\n")
        actions.report(
            None,
            agreement,
            {"period_end": dt.date(2024, 6, 30), "submitted_on": dt.date(2024, 7, 5), "lines": {"honorarium": 10**9}},
            [pdf],
        )
    open_tranche = Tranche.objects.get(agreement=agreement, disbursed_on__isnull=True)
    document = Document.objects.get(realisation__agreement=agreement)
    return agreement, open_tranche, document


def cases(w: Any) -> list[Case]:
    agreement, tranche, document = _world(w)
    readers = LOGGED_IN - {"no_membership"}
    unseen = dict.fromkeys(LOGGED_IN - IN_SEBULU, 404)
    listed = {NUMBER: IN_SEBULU}
    new = {
        "agency": Agency.objects.get(name="Bawaslu Kukar").pk,
        "number": "Matriks/NPHD/BAWASLU/2024",
        "signed_on": "2024-03-01",
        "amount": "5000000000",
        "purpose": "Pengawasan",
    }
    report = {
        "client_id": str(uuid.uuid4()),
        "period_end": "2024-11-10",
        "submitted_on": "2024-11-15",
        "spent_operational": "1000000",
    }
    page = f"/budget/agreements/{agreement.pk}/"
    return [
        Case("budget:region", "/budget/region/64.02/", allowed=IN_SEBULU, hidden=listed),
        # the province's totals include Kukar's, but only Kukar's readers see its agreements named
        Case("budget:region", "/budget/region/64/", allowed=readers, status={"no_membership": 404}, hidden=listed),
        Case(
            "budget:region",
            "/budget/region/64.02/",
            "POST",
            {
                "label": "Matriks: hibah Kukar",
                "amount": "12000000001",
                "status": "official",
                "publisher": "Pemkab",
                "title": "Rakor",
                "as_of": "2024-09-03",
            },
            allowed=DESK,
            ok=302,
            denied=403,
            status=unseen,
        ),
        Case("budget:region", "/budget/region/64.02/?export=csv", allowed=IN_SEBULU),
        Case("budget:region", "/budget/region/64.02/?export=xlsx", allowed=IN_SEBULU),
        # the public's totals: no agreement, no recipient's number
        Case("budget:public", "/budget/public/64.02/", anonymous=200, hidden={NUMBER: NOBODY}),
        Case(
            "budget:new",
            "/budget/agreements/new/?region=64.02",
            allowed=DESK,
            denied=403,
            status={"no_membership": 404},
        ),
        Case(
            "budget:new",
            "/budget/agreements/new/?region=64.02",
            "POST",
            new,
            allowed=DESK,
            ok=302,
            denied=403,
            status={"no_membership": 404},
        ),
        Case("budget:agreement", page, allowed=IN_SEBULU),
        Case(
            "budget:agreement",
            page,
            "POST",
            {"do": "tranche", "planned_on": "2024-11-01", "planned_amount": "1"},
            allowed=DESK,
            ok=302,
            denied=403,
            status=unseen,
        ),
        Case("budget:report", f"{page}report/", allowed=KPU_WRITERS, denied=403, status=unseen),
        Case("budget:report", f"{page}report/", "POST", report, allowed=KPU_WRITERS, ok=302, denied=403, status=unseen),
        Case("budget:document", f"/budget/documents/{document.pk}/", allowed=IN_SEBULU),
        *api_cases(agreement, tranche, readers, unseen, listed),
    ]


def api_cases(agreement: Agreement, tranche: Tranche, readers: Any, unseen: Any, listed: Any) -> list[Case]:
    base = "/api/v1/budget"
    one = f"{base}/agreements/{{agreement_id}}"
    new = {
        "region": "64.02",
        "agency_id": Agency.objects.get(name="Polres Kukar").pk,
        "number": "Matriks/NPHD/POLRES/2024",
        "signed_on": "2024-03-04",
        "amount": 8_156_377_000,
        "purpose": "Pengamanan",
    }
    report = {
        "client_id": str(uuid.uuid4()),
        "period_end": "2024-11-10",
        "submitted_on": "2024-11-15",
        "spent": {"logistics": 2_000_000},
    }
    return [
        api_case("GET", f"{base}/agreements", f"{base}/agreements", allowed=readers, hidden=listed),
        api_case("GET", one, f"{base}/agreements/{agreement.pk}", allowed=IN_SEBULU),
        api_case("POST", f"{base}/agreements", f"{base}/agreements", data=new, allowed=DESK, ok=201, denied=403),
        api_case(
            "POST",
            f"{one}/tranches",
            f"{base}/agreements/{agreement.pk}/tranches",
            data={"planned_on": "2024-11-01", "planned_amount": 1_000},
            allowed=DESK,
            ok=201,
            denied=403,
            status=unseen,
        ),
        api_case(
            "POST",
            f"{base}/tranches/{{tranche_id}}/disburse",
            f"{base}/tranches/{tranche.pk}/disburse",
            data={"disbursed_on": "2024-11-15", "disbursed_amount": 1_000, "version": tranche.version},
            allowed=DESK,
            denied=403,
            status=unseen,
        ),
        api_case(
            "POST",
            f"{one}/realisations",
            f"{base}/agreements/{agreement.pk}/realisations",
            data=report,
            allowed=KPU_WRITERS,
            ok=201,
            denied=403,
            status=unseen,
        ),
        api_case("GET", f"{base}/status/{{code}}", f"{base}/status/64.02", allowed=IN_SEBULU, hidden=listed),
        api_case("GET", f"{base}/status/{{code}}", f"{base}/status/64", allowed=readers, hidden=listed),
        api_case(
            "GET",
            "/api/v1/public/budget/{code}",
            "/api/v1/public/budget/64.02",
            anonymous=200,
            hidden={NUMBER: NOBODY},
        ),
    ]
