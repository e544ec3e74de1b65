"""Permission cases for violations (see tests/matrix.py).

Bawaslu Kukar handles the cases and alone reads a reporter and the evidence; the Desk, KPU, the
camat and the PPK of Sebulu read the cases of their area without the reporter; Polres Kukar reads
only the case referred to Sentra Gakkumdu, and records its investigation. The public reads counts.
The reporters' names are markers that must appear to Bawaslu only -- on every list, page, export,
search and API answer.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from regions.models import Region
from tests.matrix import IN_SEBULU, LOGGED_IN, Case, api_case
from violations import actions
from violations.models import Case as ViolationCase
from violations.models import Evidence

ASN_CASE = "Matriks: ASN Sebulu mengunggah dukungan"
GAKKUMDU_CASE = "Matriks: bagi-bagi uang di Sebulu Ilir"
BKN_CASE = "Matriks: ASN Sebulu hadir dalam kampanye"
REPORTER = "Matriks Pelapor Rahasia"
GAKKUMDU_REPORTER = "Matriks Saksi Politik Uang"
BAWASLU = frozenset({"bawaslu_investigator"})
NOT_POLRES = IN_SEBULU - {"polres_officer"}
NOBODY: frozenset[str] = frozenset()


def _case(w: Any, summary: str, reporter: str, **extra: Any) -> ViolationCase:
    found = ViolationCase.objects.filter(summary=summary).first()
    if found is not None:
        return found
    data = {
        "origin": "laporan",
        "occurred_on": dt.date(2024, 11, 10),
        "known_on": dt.date(2024, 11, 10),
        "received_on": dt.date(2024, 11, 12),
        "region": Region.objects.get(code="64.02.07.2001"),
        "tps": None,
        "party_kind": "asn",
        "party_name": "Seorang ASN Kecamatan Sebulu",
        "party_unit": "Kantor Kecamatan Sebulu",
        "category": "other_law",
        "summary": summary,
        "description": "",
        **extra,
    }
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%matrix\n")
    return actions.intake(None, w.election, data, {"name": reporter, "contact": "0812-0000-0000"}, [pdf])


def _referred(w: Any) -> ViolationCase:
    case = _case(
        w,
        GAKKUMDU_CASE,
        GAKKUMDU_REPORTER,
        party_kind="campaign",
        party_name="Tim kampanye (matriks)",
        party_unit="",
        category="pidana",
    )
    for status, extra in (
        ("registered", {}),
        ("clarification", {}),
        ("review", {}),
        ("decided", {"finding": "proven"}),
        ("referred", {"referred_to": "gakkumdu"}),
    ):
        if case.status == "referred":
            break
        case = actions.advance(
            None, case, status, {"note": "Matriks", "on": dt.date(2024, 11, 13), **extra}, case.version
        )
    return case


def _referred_to_bkn(w: Any) -> ViolationCase:
    case = _case(w, BKN_CASE, REPORTER)
    for status, extra in (
        ("registered", {}),
        ("clarification", {}),
        ("review", {}),
        ("decided", {"finding": "proven"}),
        ("referred", {"referred_to": "bkn"}),
    ):
        if case.status == "referred":
            break
        case = actions.advance(
            None, case, status, {"note": "Matriks", "on": dt.date(2024, 11, 13), **extra}, case.version
        )
    return case


def cases(w: Any) -> list[Case]:
    asn_case = _case(w, ASN_CASE, REPORTER)
    referred = _referred(w)
    to_bkn = _referred_to_bkn(w)
    evidence = Evidence.objects.filter(case=asn_case).first()
    assert evidence is not None
    no_election = {"no_membership": 404}
    readers = LOGGED_IN - {"no_membership"}
    # the reporters never show but to Bawaslu; the case not referred never to Polres
    secret = {REPORTER: BAWASLU, GAKKUMDU_REPORTER: BAWASLU, "0812-0000-0000": BAWASLU}
    listed = {**secret, ASN_CASE: NOT_POLRES, GAKKUMDU_CASE: IN_SEBULU}
    new_case = {
        "client_id": str(uuid.uuid4()),
        "origin": "temuan",
        "summary": "Matriks: temuan baru",
        "category": "administrasi",
        "party_kind": "campaign",
        "party_name": "Tim kampanye",
        "occurred_on": "2024-11-15",
        "known_on": "2024-11-15",
        "received_on": "2024-11-16",
        "region": "64.02.07.2001",
    }
    step = {"do": "step", "status": "registered", "note": "Syarat terpenuhi", "version": asn_case.version}
    investigation = {"do": "step", "status": "investigation", "note": "Penyidikan", "version": referred.version}
    return [
        Case(
            "violations:region",
            "/violations/region/64.02/",
            allowed=IN_SEBULU,
            hidden={**secret, ASN_CASE: NOT_POLRES},
        ),
        # the public's counts: no case, no party, no reporter, for anyone
        Case(
            "violations:public",
            "/violations/public/64.02/",
            anonymous=200,
            hidden={REPORTER: NOBODY, ASN_CASE: NOBODY, "Seorang ASN": NOBODY},
        ),
        Case("violations:cases", "/violations/cases/", allowed=readers, status=no_election, hidden=listed),
        Case("violations:cases", "/violations/cases/?export=csv", allowed=readers, status=no_election, hidden=listed),
        Case("violations:cases", "/violations/cases/?export=xlsx", allowed=readers, status=no_election),
        # searching for a reporter finds no case, not even for Bawaslu
        Case(
            "violations:cases",
            f"/violations/cases/?q={REPORTER.replace(' ', '+')}",
            allowed=readers,
            status=no_election,
            hidden={ASN_CASE: NOBODY},
        ),
        Case("violations:new", "/violations/cases/new/", allowed=BAWASLU, denied=403, status=no_election),
        Case(
            "violations:new",
            "/violations/cases/new/",
            "POST",
            new_case,
            allowed=BAWASLU,
            ok=302,
            denied=403,
            status=no_election,
        ),
        Case("violations:case", f"/violations/cases/{asn_case.pk}/", allowed=NOT_POLRES, hidden=secret),
        Case("violations:case", f"/violations/cases/{referred.pk}/", allowed=IN_SEBULU, hidden=secret),
        Case(
            "violations:case",
            f"/violations/cases/{asn_case.pk}/",
            "POST",
            step,
            allowed=BAWASLU,
            ok=302,
            denied=403,
            status=dict.fromkeys(LOGGED_IN - NOT_POLRES, 404),
        ),
        # the investigation is Polri's (and Bawaslu's as the Gakkumdu's member)
        Case(
            "violations:case",
            f"/violations/cases/{referred.pk}/",
            "POST",
            investigation,
            allowed=BAWASLU | {"polres_officer"},
            ok=302,
            denied=403,
            status=dict.fromkeys(LOGGED_IN - IN_SEBULU, 404),
        ),
        Case("violations:evidence", f"/violations/evidence/{evidence.pk}/", allowed=BAWASLU),
        Case("violations:asn", "/violations/asn/", allowed=readers, status=no_election, hidden=listed),
        Case("violations:calendar", "/violations/calendar/", allowed=readers, status=no_election),
        # the history of changes ("Perubahan") names no reporter either, not even to Bawaslu
        Case("core:audit", "/audit/", allowed=LOGGED_IN, hidden={REPORTER: NOBODY, GAKKUMDU_REPORTER: NOBODY}),
        # the calendar is set by a Bawaslu admin of the election's whole region: no persona here is one
        Case(
            "violations:calendar",
            "/violations/calendar/",
            "POST",
            {"do": "holiday", "day": "2024-11-27", "name": "Pemungutan suara"},
            allowed=NOBODY,
            denied=403,
            status=no_election,
        ),
        *api_cases(asn_case, referred, to_bkn, secret, listed),
    ]


def api_cases(
    asn_case: ViolationCase, referred: ViolationCase, to_bkn: ViolationCase, secret: Any, listed: Any
) -> list[Case]:
    base = "/api/v1/violations"
    readers = LOGGED_IN - {"no_membership"}
    unseen_asn = dict.fromkeys(LOGGED_IN - NOT_POLRES, 404)
    unseen = dict.fromkeys(LOGGED_IN - IN_SEBULU, 404)
    new_case = {
        "client_id": str(uuid.uuid4()),
        "origin": "laporan",
        "summary": "Matriks: laporan lewat API",
        "category": "pidana",
        "party_kind": "campaign",
        "party_name": "Tim kampanye",
        "occurred_on": "2024-11-15",
        "known_on": "2024-11-15",
        "received_on": "2024-11-16",
        "region": "64.02.07.2001",
        "reporter": {"name": "Matriks Pelapor API"},
    }
    case_path = f"{base}/cases/{{case_id}}"
    return [
        api_case("GET", f"{base}/cases", f"{base}/cases", allowed=readers, hidden=listed),
        api_case("GET", case_path, f"{base}/cases/{asn_case.pk}", allowed=NOT_POLRES, hidden=secret),
        api_case("GET", case_path, f"{base}/cases/{referred.pk}", allowed=IN_SEBULU, hidden=secret),
        api_case("GET", f"{case_path}/reporter", f"{base}/cases/{asn_case.pk}/reporter", allowed=BAWASLU),
        api_case("POST", f"{base}/cases", f"{base}/cases", data=new_case, allowed=BAWASLU, ok=201, denied=403),
        api_case(
            "POST",
            f"{case_path}/steps",
            f"{base}/cases/{asn_case.pk}/steps",
            data={"status": "registered", "note": "Syarat terpenuhi", "version": asn_case.version},
            allowed=BAWASLU,
            denied=403,
            status=unseen_asn,
        ),
        api_case(
            "POST",
            f"{case_path}/information",
            f"{base}/cases/{asn_case.pk}/information",
            data={"note": "Saksi tambahan", "version": asn_case.version},
            allowed=BAWASLU,
            denied=403,
            status=unseen_asn,
        ),
        # the sanction of an ASN referred to BKN: Bawaslu or the Desk (the Pemda gives it)
        api_case(
            "POST",
            f"{case_path}/sanction",
            f"{base}/cases/{to_bkn.pk}/sanction",
            data={"sanction": "Hukuman disiplin ringan", "sanction_on": "2024-11-17", "version": to_bkn.version},
            allowed=BAWASLU | {"desk_admin"},
            denied=403,
            status=unseen_asn,
        ),
        # Polri reads the Gakkumdu case but records no sanction on it
        api_case(
            "POST",
            f"{case_path}/sanction",
            f"{base}/cases/{referred.pk}/sanction",
            data={"sanction": "Pidana percobaan", "sanction_on": "2024-11-17", "version": referred.version},
            allowed=NOBODY,
            denied=403,
            status={**unseen, "bawaslu_investigator": 400, "desk_admin": 400},
        ),
        api_case(
            "GET",
            f"{base}/status/{{code}}",
            f"{base}/status/64.02",
            allowed=IN_SEBULU,
            hidden={**secret, ASN_CASE: NOT_POLRES},
        ),
        api_case("GET", f"{base}/rules", f"{base}/rules", allowed=readers),
        api_case(
            "GET",
            "/api/v1/public/violations/{code}",
            "/api/v1/public/violations/64.02",
            anonymous=200,
            hidden={REPORTER: NOBODY, ASN_CASE: NOBODY},
        ),
    ]
