"""Permission cases for participation (see tests/matrix.py).

Every agency reads the figures of its area; the Desk, KPU and the PPK of Sebulu record outreach and
turnout reports in theirs (KPU Samarinda not in Kukar); the KPU and Desk admins set targets and
history. The public reads targets, history and voting-day turnout: never an outreach note.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from participation import actions
from participation.models import Outreach, OutreachPhoto
from regions.models import Region
from tests.matrix import IN_SEBULU, LOGGED_IN, Case, api_case

NOTE = "Matriks: catatan sosialisasi Sebulu Ilir"
NOBODY: frozenset[str] = frozenset()
READERS = LOGGED_IN - {"no_membership"}
WRITERS = frozenset({"kpu_operator", "kpu_admin", "desk_admin", "kpu_samarinda", "ppk_operator"})
KUKAR_WRITERS = WRITERS - {"kpu_samarinda"}
ADMINS = frozenset({"kpu_admin", "desk_admin"})


def png() -> bytes:
    """A small real PNG picture (the photo check opens it)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _event(w: Any) -> Outreach:
    found = Outreach.objects.filter(notes=NOTE).first()
    if found is not None:
        return found
    return actions.record_outreach(
        None,
        w.election,
        {
            "region": Region.objects.get(code="64.02.07.2001"),
            "held_on": dt.date(2024, 11, 10),
            "audience": ["first_time"],
            "attendance": 40,
            "notes": NOTE,
        },
        [SimpleUploadedFile("foto.png", png())],
    )


def cases(w: Any) -> list[Case]:
    event = _event(w)
    photo = OutreachPhoto.objects.filter(outreach=event).first()
    assert photo is not None
    no_election = {"no_membership": 404}
    new_event = {
        "client_id": str(uuid.uuid4()),
        "held_on": "2024-11-15",
        "region": "64.02.07.2001",
        "audience": ["women"],
        "attendance": "30",
    }
    report = {"client_id": str(uuid.uuid4()), "village": "64.02.07.2001", "tps": "1", "voters": "100"}
    target = {
        "do": "target",
        "region": "64.02",
        "value": "77.5",
        "cited_on": "2024-11-18",
        "source_status": "official",
        "source_publisher": "Pjs Bupati",
        "source_title": "Rakor",
        "source_as_of": "2024-11-18",
    }
    secret = {NOTE: NOBODY}
    return [
        Case("participation:region", "/participation/region/64.02/", allowed=IN_SEBULU, hidden={NOTE: IN_SEBULU}),
        Case("participation:gap_export", "/participation/region/64.02/gap/?format=csv", allowed=IN_SEBULU),
        Case("participation:gap_export", "/participation/region/64.02/gap/?format=xlsx", allowed=IN_SEBULU),
        Case("participation:areas", "/participation/region/64.02/areas/", allowed=IN_SEBULU, hidden={NOTE: NOBODY}),
        Case("participation:public", "/participation/public/64.02/", anonymous=200, hidden=secret),
        Case(
            "participation:outreach",
            "/participation/outreach/",
            allowed=READERS,
            status=no_election,
            hidden={NOTE: IN_SEBULU},
        ),
        Case(
            "participation:outreach_new",
            "/participation/outreach/new/",
            allowed=WRITERS,
            denied=403,
            status=no_election,
        ),
        Case(
            "participation:outreach_new",
            "/participation/outreach/new/",
            "POST",
            new_event,
            allowed=KUKAR_WRITERS,
            ok=302,
            denied=403,
            status=no_election,
        ),
        Case("participation:photo", f"/participation/photos/{photo.pk}/", allowed=IN_SEBULU),
        Case("participation:turnout", "/participation/turnout/new/", allowed=WRITERS, denied=403, status=no_election),
        # before voting day the form answers with why (200); out of scope is refused first
        Case(
            "participation:turnout",
            "/participation/turnout/new/",
            "POST",
            report,
            allowed=KUKAR_WRITERS,
            denied=403,
            status=no_election,
        ),
        Case("participation:manage", "/participation/manage/", allowed=ADMINS, denied=403, status=no_election),
        Case("participation:history_template", "/participation/manage/history-template/", allowed=READERS),
        Case(
            "participation:manage",
            "/participation/manage/",
            "POST",
            target,
            allowed=ADMINS,
            ok=302,
            denied=403,
            status=no_election,
        ),
        *api_cases(),
    ]


def api_cases() -> list[Case]:
    base = "/api/v1/participation"
    target = {
        "region": "64.02",
        "value": "77.5",
        "cited_on": "2024-11-18",
        "source_status": "official",
        "source_publisher": "Pjs Bupati",
        "source_title": "Rakor",
        "source_as_of": "2024-11-18",
    }
    event = {
        "client_id": str(uuid.uuid4()),
        "held_on": "2024-11-15",
        "region": "64.02.07.2001",
        "audience": ["women"],
        "attendance": 30,
    }
    report = {"client_id": str(uuid.uuid4()), "village": "64.02.07.2001", "tps": "1", "voters": 100}
    return [
        api_case("GET", f"{base}/targets", f"{base}/targets?region=64.02", allowed=IN_SEBULU),
        api_case("POST", f"{base}/targets", f"{base}/targets", data=target, allowed=ADMINS, ok=201, denied=403),
        api_case("GET", f"{base}/history", f"{base}/history?region=64.02", allowed=IN_SEBULU),
        api_case("GET", f"{base}/outreach", f"{base}/outreach", allowed=READERS, hidden={NOTE: IN_SEBULU}),
        api_case("POST", f"{base}/outreach", f"{base}/outreach", data=event, allowed=KUKAR_WRITERS, ok=201, denied=403),
        api_case("GET", f"{base}/turnout", f"{base}/turnout", allowed=READERS),
        # before voting day a report is refused with why (400); out of scope first with 403
        api_case("POST", f"{base}/turnout", f"{base}/turnout", data=report, allowed=KUKAR_WRITERS, ok=400, denied=403),
        api_case("GET", f"{base}/gap/{{code}}", f"{base}/gap/64.02", allowed=IN_SEBULU, hidden={NOTE: NOBODY}),
        api_case("GET", f"{base}/status/{{code}}", f"{base}/status/64.02", allowed=IN_SEBULU, hidden={NOTE: NOBODY}),
        api_case(
            "GET",
            "/api/v1/public/participation/{code}",
            "/api/v1/public/participation/64.02",
            anonymous=200,
            hidden={NOTE: NOBODY},
        ),
    ]
