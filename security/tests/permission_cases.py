"""Permission cases for security (see tests/matrix.py).

Everyone in the desk reads the vulnerability, the guard and the incidents of their area (the camat
and the PPK of Sebulu read Kukar's pages narrowed to Sebulu); Bawaslu assesses TPS, Polri sets the
guard, the Polsek or the camat sets a kecamatan's status, every operator reports an incident in
their area and the Desk, Bawaslu and Polri follow it up. A person with no membership sees nothing,
and KPU Samarinda nothing of Kukar.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zoneinfo
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from regions.models import Region
from security import actions
from security.models import Incident, IncidentPhoto, Indicator, Variable
from tests.matrix import IN_SEBULU, LOGGED_IN, Case, api_case

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
INCIDENT_TITLE = "Matriks: keributan di Sebulu Ilir"
WRITERS = LOGGED_IN - {"no_membership", "kpu_viewer"}  # every operator or admin of an agency


class _Csv:
    """A mapping file the matrix can post once per persona: every read gives the whole content."""

    name = "pemetaan.csv"
    content = b"kode_desa,tps,tanggal,indikator\n64.02.07.2001,001,2024-11-12,7.1\n"

    def read(self, *args: Any) -> bytes:
        return self.content


def png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def ensure_indicators(election: Any) -> None:
    if not Variable.objects.filter(election=election).exists():
        v = Variable.objects.create(election=election, number=7, name="Lokasi TPS")
        Indicator.objects.create(variable=v, code="7.1", name="TPS sulit dijangkau", weight=2)
        Indicator.objects.create(variable=v, code="7.2", name="TPS di wilayah rawan konflik", weight=4)


def _world(w: Any) -> tuple[Incident, IncidentPhoto]:
    ensure_indicators(w.election)
    incident = Incident.objects.filter(title=INCIDENT_TITLE).first()
    if incident is None:
        incident = actions.report_incident(
            None,
            w.election,
            {
                "kind": "violence",
                "severity": "high",
                "occurred_at": dt.datetime(2024, 11, 16, 16, tzinfo=WITA),
                "region": Region.objects.get(code="64.02.07.2001"),
                "tps": None,
                "title": INCIDENT_TITLE,
                "description": "Adu mulut antar-pendukung.",
            },
            [SimpleUploadedFile("foto.png", png())],
            reported_at=dt.datetime(2024, 11, 16, 17, tzinfo=WITA),
        )
    return incident, IncidentPhoto.objects.get(incident=incident)


def _write(route: str, url: str, allowed: frozenset[str], method: str = "GET", data: Any = None) -> Case:
    """A write on a record of Sebulu: ``allowed`` succeed, others who see it 403, the rest 404."""
    ok = 302 if method == "POST" else 200
    return Case(
        route, url, method, data, allowed=allowed, ok=ok, denied=403, status=dict.fromkeys(LOGGED_IN - IN_SEBULU, 404)
    )


def cases(w: Any) -> list[Case]:
    incident, photo = _world(w)
    tps = w.tps_sebulu
    bawaslu, polres = frozenset({"bawaslu_investigator"}), frozenset({"polres_officer"})
    followers = frozenset({"desk_admin", "bawaslu_investigator", "polres_officer"})
    new_incident = {
        "client_id": str(uuid.uuid4()),
        "kind": "intimidation",
        "severity": "medium",
        "occurred_at": "2024-11-17T10:00",
        "region": "64.02.07.2001",
        "title": "Matriks: ancaman kepada KPPS",
        "description": "Ancaman lisan.",
    }
    status_setters = frozenset({"polres_officer", "camat_sebulu"})
    # a person with no membership sees no election, so these pages have nothing to show them
    no_election = {"no_membership": 404}
    return [
        Case("security:region", "/security/region/64.02/", allowed=IN_SEBULU),
        Case("security:deployment", "/security/region/64.02/deployment/", allowed=IN_SEBULU),
        Case("security:areas", "/security/region/64.02/areas.geojson", allowed=IN_SEBULU),
        # the camat of Sebulu sees the points of Sebulu only
        Case("security:points", "/security/region/64.02/points.geojson", allowed=IN_SEBULU),
        Case("security:tps", f"/security/tps/{tps.pk}/", allowed=IN_SEBULU),
        _write("security:assess", f"/security/tps/{tps.pk}/assess/", bawaslu),
        _write(
            "security:assess",
            f"/security/tps/{tps.pk}/assess/",
            bawaslu,
            "POST",
            {"client_id": str(uuid.uuid4()), "observed_on": "2024-11-12", "indicators": ["7.1"]},
        ),
        _write("security:guard", f"/security/tps/{tps.pk}/guard/", polres),
        _write(
            "security:guard",
            f"/security/tps/{tps.pk}/guard/",
            polres,
            "POST",
            {"category": "rawan", "unit": "Polsek Sebulu", "polri": 2, "tni": 0, "linmas": 2},
        ),
        # the status of a kecamatan: only who sets it gets the form
        Case("security:situation", "/security/situation/", allowed=status_setters, denied=403, status=no_election),
        Case(
            "security:situation",
            "/security/situation/",
            "POST",
            {"region": "64.02.07", "level": "waspada", "note": "Patroli ditambah"},
            allowed=status_setters,
            ok=302,
            denied=403,
            status=no_election,
        ),
        # the log lists only what the reader's area holds
        Case("security:incidents", "/security/incidents/", hidden={INCIDENT_TITLE: IN_SEBULU}, status=no_election),
        Case("security:incident_new", "/security/incidents/new/", allowed=WRITERS, denied=403, status=no_election),
        Case(
            "security:incident_points",
            "/security/incidents/points.geojson",
            hidden={INCIDENT_TITLE: IN_SEBULU},
            status=no_election,
        ),
        # KPU Samarinda may report, but not in Sebulu
        Case(
            "security:incident_new",
            "/security/incidents/new/",
            "POST",
            new_incident,
            allowed=WRITERS - {"kpu_samarinda"},
            ok=302,
            denied=403,
            status=no_election,
        ),
        Case("security:incident", f"/security/incidents/{incident.pk}/", allowed=IN_SEBULU),
        _write(
            "security:incident",
            f"/security/incidents/{incident.pk}/",
            followers,
            "POST",
            {"do": "step", "status": "verified", "version": incident.version, "note": "Dicek Polsek"},
        ),
        Case("security:photo", f"/security/photos/{photo.pk}/", allowed=IN_SEBULU),
        # the mapping form as a spreadsheet: Bawaslu only; the template is anyone's
        Case("security:import", "/security/assessments/import/", allowed=bawaslu, denied=403, status=no_election),
        Case(
            "security:import",
            "/security/assessments/import/",
            "POST",
            {"file": _Csv()},
            allowed=bawaslu,
            ok=302,
            denied=403,
            status=no_election,
        ),
        Case("security:template", "/security/assessments/template.xlsx"),
        Case("security:indicators", "/security/indicators/", status=no_election),
        *form_cases(no_election),
        *api_cases(w, incident),
    ]


def form_cases(no_election: dict[str, int]) -> list[Case]:
    """The guard's forms (Polri) and the IKP's (Bawaslu): others get 403, who sees no election 404."""
    polres = Agency.objects.get(name="Polres Kukar")
    pool = {
        "polres": polres.pk,
        "unit": "Polsek Sebulu",
        "region": "64.02.07",
        **dict.fromkeys(("organic", "bko", "brimob", "urc_platoons", "tni", "linmas"), 10),
    }
    pattern = {"polres": polres.pk, "category": "rawan", "polri": 2, "tps": 2, "linmas": 4}
    ikp = {
        "region": "64.02",
        "score": "51,28",
        "band": "tinggi",
        "published_on": "2024-08-26",
        "publisher": "Bawaslu RI",
        "title": "IKP Pilkada 2024",
    }
    out = []
    for route, url, data, who in (
        ("security:pool", "/security/deployment/pool/", pool, "polres_officer"),
        ("security:pattern", "/security/deployment/pattern/", pattern, "polres_officer"),
        ("security:ikp_new", "/security/ikp/new/", ikp, "bawaslu_investigator"),
    ):
        allowed = frozenset({who})
        out.append(Case(route, url, allowed=allowed, denied=403, status=no_election))
        out.append(Case(route, url, "POST", data, allowed=allowed, ok=302, denied=403, status=no_election))
    return out


def api_cases(w: Any, incident: Incident) -> list[Case]:
    tps = w.tps_sebulu
    base = "/api/v1/security"
    members = LOGGED_IN - {"no_membership"}
    unseen = dict.fromkeys(LOGGED_IN - IN_SEBULU, 404)
    # no membership: no election to act on; KPU Samarinda does not see Polres Kukar (400: no such Polres)
    guard_writes = {"no_membership": 404, "kpu_samarinda": 400}
    polres = Agency.objects.get(name="Polres Kukar")
    indicator = Indicator.objects.filter(variable__election=w.election).first()
    assert indicator is not None
    followers = frozenset({"desk_admin", "bawaslu_investigator", "polres_officer"})

    def read(path: str, url: str, allowed: frozenset[str] = IN_SEBULU) -> Case:
        return api_case("GET", path, url, allowed=allowed)

    def write(method: str, path: str, url: str, data: Any, allowed: frozenset[str], ok: int, **status: int) -> Case:
        statuses = status or unseen
        return api_case(method, path, url, data=data, allowed=allowed, ok=ok, denied=403, status=statuses)

    return [
        read(f"{base}/status/{{code}}", f"{base}/status/64.02"),
        read(f"{base}/indicators", f"{base}/indicators", members),
        # the indicator set is set at the election's level (Bawaslu Provinsi): no persona here may
        write(
            "PATCH",
            f"{base}/indicators/{{indicator_id}}",
            f"{base}/indicators/{indicator.pk}",
            {"version": indicator.version, "weight": 3},
            frozenset(),
            200,
            no_membership=404,
        ),
        # so are the weight range and the thresholds
        write(
            "PATCH",
            f"{base}/scheme",
            f"{base}/scheme",
            {"version": 1, "rawan_from": 4},
            frozenset(),
            200,
            no_membership=404,
        ),
        read(f"{base}/tps/{{tps_id}}", f"{base}/tps/{tps.pk}"),
        write(
            "POST",
            f"{base}/tps/{{tps_id}}/assessments",
            f"{base}/tps/{tps.pk}/assessments",
            {"observed_on": "2024-11-12", "indicators": ["7.1"], "evidence": "Form PKD"},
            frozenset({"bawaslu_investigator"}),
            201,
        ),
        write(
            "PUT",
            f"{base}/tps/{{tps_id}}/guard",
            f"{base}/tps/{tps.pk}/guard",
            {"category": "rawan", "polri": 2, "linmas": 2},
            frozenset({"polres_officer"}),
            200,
        ),
        read(f"{base}/ikp/{{code}}", f"{base}/ikp/64.02"),
        write(
            "POST",
            f"{base}/ikp",
            f"{base}/ikp",
            {
                "region_code": "64.02",
                "score": 51.28,
                "band": "tinggi",
                "published_on": "2024-08-26",
                "publisher": "Bawaslu RI",
                "title": "IKP Pilkada 2024",
            },
            frozenset({"bawaslu_investigator"}),
            201,
            no_membership=404,
        ),
        read(f"{base}/deployment/{{code}}", f"{base}/deployment/64.02"),
        write(
            "POST",
            f"{base}/patterns",
            f"{base}/patterns",
            {"polres_id": polres.pk, "category": "rawan", "polri": 2, "tps": 2, "linmas": 4},
            frozenset({"polres_officer"}),
            200,
            **guard_writes,
        ),
        write(
            "POST",
            f"{base}/pools",
            f"{base}/pools",
            {"polres_id": polres.pk, "unit": "Polsek Sebulu", "region_code": "64.02.07", "organic": 20, "linmas": 40},
            frozenset({"polres_officer"}),
            200,
            **guard_writes,
        ),
        read(f"{base}/situation/{{code}}", f"{base}/situation/64.02"),
        write(
            "POST",
            f"{base}/situation",
            f"{base}/situation",
            {"region_code": "64.02.07", "level": "waspada"},
            frozenset({"polres_officer", "camat_sebulu"}),
            201,
            no_membership=404,
        ),
        api_case(
            "GET",
            f"{base}/incidents",
            f"{base}/incidents",
            allowed=members,
            status={"no_membership": 404},
            hidden={INCIDENT_TITLE: IN_SEBULU},
        ),
        write(
            "POST",
            f"{base}/incidents",
            f"{base}/incidents",
            {
                "kind": "intimidation",
                "severity": "medium",
                "occurred_at": "2024-11-17T10:00:00+08:00",
                "region_code": "64.02.07.2001",
                "title": "Matriks: ancaman lewat API",
                "description": "Ancaman lisan.",
            },
            WRITERS - {"kpu_samarinda"},
            201,
            no_membership=404,
        ),
        read(f"{base}/incidents/{{incident_id}}", f"{base}/incidents/{incident.pk}"),
        write(
            "POST",
            f"{base}/incidents/{{incident_id}}/steps",
            f"{base}/incidents/{incident.pk}/steps",
            {"status": "verified", "note": "Dicek", "version": incident.version},
            followers,
            200,
        ),
        write(
            "POST",
            f"{base}/incidents/{{incident_id}}/referral",
            f"{base}/incidents/{incident.pk}/referral",
            {"note": "Dugaan pelanggaran", "version": incident.version},
            followers,
            200,
        ),
        # the public: counts by category, nothing else
        api_case(
            "GET", "/api/v1/public/security/{code}", "/api/v1/public/security/64.02", allowed=LOGGED_IN, anonymous=200
        ),
    ]
