"""Permission cases for meetings, action items, readiness and situation reports (see tests/matrix.py).

Coordinating agencies read the meetings of their area and of the regions above it (the camat of
Sebulu reads the Kukar rakor), but a kept report only inside their area, like the live one (not
the Kukar report kept with that rakor); the Desk writes meetings, decisions and reports (others who see
them get 403); the owner agency (KPU Kukar operators and admins) and the Desk update an action
item or a readiness item; a report covers only a region inside the reader's area; a person with no
membership and the public see nothing.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import Agency
from meetings import actions
from meetings.models import ActionItem, Attachment, Decision, Meeting, ReadinessItem, ReportSnapshot
from regions.models import Region
from tests.matrix import IN_SEBULU, KUKAR_WIDE, LOGGED_IN, Case, api_case

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
DESK = frozenset({"desk_admin"})
READERS = LOGGED_IN - {"no_membership"}
KPU_KUKAR = frozenset({"kpu_viewer", "kpu_operator", "kpu_admin"})
OWNERS = frozenset({"kpu_operator", "kpu_admin", "desk_admin"})
KUKAR_TITLE = "Rakor matriks Kukar"
SAMARINDA_TITLE = "Rakor matriks Samarinda"
ACTION_TITLE = "Matriks: jadwal distribusi hulu"
READY_TITLE = "Matriks: gudang logistik siap"
# what the kept Kukar report shows: read only where the live Kukar report is (not from Sebulu)
SNAP_DECIDE = "Matriks: distribusi hulu terlambat 2 hari"
SNAP_SECTION = "Matriks: 3 tindak lanjut terbuka di Kukar"
HIDDEN = {KUKAR_TITLE: IN_SEBULU, SAMARINDA_TITLE: frozenset({"kpu_samarinda"})}


def _write(
    route: str,
    url: str,
    method: str = "GET",
    data: Any = None,
    *,
    allowed: frozenset[str] = DESK,
    seen: frozenset[str] = IN_SEBULU,
    api: bool = False,
    ok: int | None = None,
) -> Case:
    """A write: ``allowed`` succeed, others who see the record get 403, the rest 404."""
    ok = ok or {"GET": 200, "POST": 201 if api else 302}[method]
    out_of_sight = {p: 404 for p in LOGGED_IN - seen - allowed}
    if api:
        return api_case(method, route, url, data=data, allowed=allowed, ok=ok, denied=403, status=out_of_sight)
    return Case(route, url, method, data, allowed=allowed, ok=ok, denied=403, status=out_of_sight)


def _world(w: Any) -> tuple[Meeting, Decision, ActionItem, ReadinessItem, ReportSnapshot, Attachment]:
    desk = Agency.objects.get(name="Desk Pilkada Kukar")
    kpu = Agency.objects.get(name="KPU Kukar")
    meeting = Meeting.objects.filter(title=KUKAR_TITLE).first()
    if meeting is None:
        data = {
            "title": KUKAR_TITLE,
            "election": w.election,
            "region": Region.objects.get(code="64.02"),
            "organiser": desk,
            "starts_at": dt.datetime(2024, 11, 18, 9, tzinfo=WITA),
            "venue": "Pendopo",
        }
        meeting = actions.create_meeting(None, data, [kpu])
        samarinda = Agency.objects.get(name="KPU Samarinda")
        actions.create_meeting(
            None,
            {**data, "title": SAMARINDA_TITLE, "region": Region.objects.get(code="64.72"), "organiser": samarinda},
            [samarinda],
        )
        decision = actions.add_decision(None, meeting, "Distribusi ke hulu didahulukan")
        actions.add_action(None, decision, {"title": ACTION_TITLE, "owner": kpu, "due": dt.date(2024, 11, 20)})
        actions.create_readiness_item(
            None,
            {
                "election": w.election,
                "region": meeting.region,
                "owner": kpu,
                "title": READY_TITLE,
                "due": dt.date(2024, 11, 20),
            },
        )
        actions.store_snapshot(
            None,
            meeting,
            w.election,
            meeting.region,
            meeting.starts_at,
            {
                "region": {"code": "64.02", "name": "Kukar"},
                "election": {"name": "Pilkada"},
                "at_text": "18 November 2024",
                "days_to_go": 9,
                "decide": [{"text": SNAP_DECIDE, "url": ""}],
                "sections": [{"name": "meetings.actions", "html": f"<p>{SNAP_SECTION}</p>"}],
            },
        )
    if not meeting.attachments.exists():
        actions.add_attachment(None, meeting, ATTACHMENT_TITLE, SimpleUploadedFile("undangan.pdf", PDF))
    decision = Decision.objects.get(meeting=meeting)
    return (
        meeting,
        decision,
        ActionItem.objects.get(title=ACTION_TITLE),
        ReadinessItem.objects.get(title=READY_TITLE),
        ReportSnapshot.objects.get(meeting=meeting),
        Attachment.objects.get(meeting=meeting, title=ATTACHMENT_TITLE),
    )


PDF = b"%PDF-1.4\n%%EOF\n"
ATTACHMENT_TITLE = "Undangan rakor Kukar"


class _Upload:
    """A file the matrix can post once per persona: every read gives the whole content."""

    name = "bahan.pdf"

    def read(self, *args: Any) -> bytes:
        return PDF


def cases(w: Any) -> list[Case]:
    m, d, a, ri, snap, doc = _world(w)
    desk = Agency.objects.get(name="Desk Pilkada Kukar")
    kpu = Agency.objects.get(name="KPU Kukar")
    new_meeting = {
        "kind": "rakor",
        "title": "Rakor baru",
        "election": w.election.pk,
        "region_code": "64.02",
        "organiser": desk.pk,
        "starts_at": "2024-11-20T09:00",
        "invited": [kpu.pk],
    }
    edit = {**new_meeting, "title": KUKAR_TITLE, "version": m.version}
    attendance = {"agency": kpu.pk, "status": "present", "people": "Ketua KPU Kukar"}
    action = {"title": "Aksi baru", "owner": kpu.pk, "due": "2024-11-22"}
    status = {"status": "done", "status_note": "Selesai", "version": a.version}
    ready = {"status": "ready", "evidence": "Berita acara", "version": ri.version}
    new_ready = {
        "title": "KPPS dilantik",
        "election": w.election.pk,
        "region_code": "64.02",
        "owner": kpu.pk,
        "due": "2024-11-22",
    }
    api_meeting = {
        "title": "Rakor API",
        "region_code": "64.02",
        "organiser_id": desk.pk,
        "election_id": w.election.pk,
        "starts_at": "2024-11-20T09:00:00+08:00",
        "invited_agency_ids": [kpu.pk],
    }
    base = "/api/v1/meetings"
    return [
        Case("meetings:list", "/meetings/", allowed=READERS, hidden=HIDDEN),
        # the rakor is read from below (Sebulu), the report kept with it only inside Kukar
        Case(
            "meetings:detail",
            f"/meetings/{m.pk}/",
            allowed=IN_SEBULU,
            hidden={f"/meetings/snapshots/{snap.pk}/": KUKAR_WIDE},
        ),
        _write("meetings:create", "/meetings/new/", seen=LOGGED_IN),
        _write("meetings:create", "/meetings/new/", "POST", new_meeting, seen=LOGGED_IN),
        _write("meetings:draft", "/meetings/draft/", seen=LOGGED_IN),
        _write(
            "meetings:draft", "/meetings/draft/", "POST", {"text": "Rakor Senin (18/11/2024)"}, seen=LOGGED_IN, ok=200
        ),
        _write("meetings:edit", f"/meetings/{m.pk}/edit/"),
        _write("meetings:edit", f"/meetings/{m.pk}/edit/", "POST", edit),
        _write("meetings:attendance", f"/meetings/{m.pk}/attendance/"),
        _write("meetings:attendance", f"/meetings/{m.pk}/attendance/", "POST", attendance),
        _write("meetings:decision_create", f"/meetings/{m.pk}/decisions/new/"),
        _write("meetings:decision_create", f"/meetings/{m.pk}/decisions/new/", "POST", {"text": "Keputusan baru"}),
        _write("meetings:action_create", f"/meetings/decisions/{d.pk}/actions/new/"),
        _write("meetings:action_create", f"/meetings/decisions/{d.pk}/actions/new/", "POST", action),
        # the inbox shows the reader's own agency: KPU Kukar's action to KPU Kukar's people only
        Case("meetings:actions", "/meetings/actions/", allowed=READERS, hidden={ACTION_TITLE: KPU_KUKAR}),
        Case("meetings:overdue", "/meetings/actions/overdue/", allowed=READERS, hidden={ACTION_TITLE: IN_SEBULU}),
        Case("meetings:action", f"/meetings/actions/{a.pk}/", allowed=IN_SEBULU),
        # a meeting's documents: read where the meeting is read, kept by the Desk of its area
        Case("meetings:attachment", f"/meetings/attachments/{doc.pk}/", allowed=IN_SEBULU),
        _write(
            "meetings:attachment_add",
            f"/meetings/{m.pk}/attachments/",
            "POST",
            {"title": "Bahan paparan", "file": _Upload()},
        ),
        api_case("GET", f"{base}/attachments/{{attachment_id}}", f"{base}/attachments/{doc.pk}", allowed=IN_SEBULU),
        # multipart, not JSON: the file goes as a form field
        Case(
            f"POST {base}/{{meeting_id}}/attachments",
            f"{base}/{m.pk}/attachments",
            "POST",
            {"title": "Bahan paparan", "file": _Upload()},
            allowed=DESK,
            ok=201,
            denied=403,
            anonymous=401,
            status={p: 404 for p in LOGGED_IN - IN_SEBULU - DESK},
        ),
        _write("meetings:action", f"/meetings/actions/{a.pk}/", "POST", status, allowed=OWNERS),
        Case("meetings:readiness", "/meetings/readiness/", allowed=READERS, hidden={READY_TITLE: IN_SEBULU}),
        _write("meetings:readiness_create", "/meetings/readiness/new/", seen=LOGGED_IN),
        _write("meetings:readiness_create", "/meetings/readiness/new/", "POST", new_ready, seen=LOGGED_IN),
        Case("meetings:readiness_item", f"/meetings/readiness/{ri.pk}/", allowed=IN_SEBULU),
        _write("meetings:readiness_item", f"/meetings/readiness/{ri.pk}/", "POST", ready, allowed=OWNERS),
        # a report only for a region inside the reader's area: Kukar is not inside Sebulu
        Case("meetings:report", "/meetings/report/64.02/", allowed=KUKAR_WIDE),
        Case("meetings:report", "/meetings/report/64.02/?format=pdf", allowed=KUKAR_WIDE),
        Case("meetings:report", "/meetings/report/64.02/?format=xlsx", allowed=KUKAR_WIDE),
        Case("meetings:report", "/meetings/report/64.02/?present=1", allowed=KUKAR_WIDE),
        _write(
            "meetings:snapshot_create", "/meetings/report/64.02/snapshot/", "POST", {"meeting": m.pk}, seen=KUKAR_WIDE
        ),
        Case(
            "meetings:snapshot",
            f"/meetings/snapshots/{snap.pk}/",
            allowed=KUKAR_WIDE,
            hidden={SNAP_DECIDE: KUKAR_WIDE, SNAP_SECTION: KUKAR_WIDE},
        ),
        api_case("GET", f"{base}/", f"{base}/", hidden=HIDDEN),
        _write(f"{base}/", f"{base}/", "POST", api_meeting, seen=LOGGED_IN, api=True),
        api_case("GET", f"{base}/{{meeting_id}}", f"{base}/{m.pk}", allowed=IN_SEBULU),
        _write(
            f"{base}/{{meeting_id}}/attendance",
            f"{base}/{m.pk}/attendance",
            "POST",
            {"agency_id": kpu.pk, "status": "present"},
            api=True,
            ok=200,
        ),
        _write(f"{base}/{{meeting_id}}/decisions", f"{base}/{m.pk}/decisions", "POST", {"text": "Keputusan"}, api=True),
        _write(
            f"{base}/decisions/{{decision_id}}/actions",
            f"{base}/decisions/{d.pk}/actions",
            "POST",
            {"title": "Aksi API", "owner_id": kpu.pk, "due": "2024-11-22"},
            api=True,
        ),
        api_case("GET", f"{base}/actions", f"{base}/actions", hidden={ACTION_TITLE: KPU_KUKAR}),
        _write(
            f"{base}/actions/{{action_id}}/status",
            f"{base}/actions/{a.pk}/status",
            "POST",
            {"version": a.version, "status": "done", "note": "Selesai"},
            allowed=OWNERS,
            api=True,
            ok=200,
        ),
        api_case("GET", f"{base}/readiness", f"{base}/readiness"),
        api_case(
            "GET",
            f"{base}/snapshots/{{snapshot_id}}",
            f"{base}/snapshots/{snap.pk}",
            allowed=KUKAR_WIDE,
            hidden={SNAP_SECTION: KUKAR_WIDE},
        ),
        _write(
            f"{base}/{{meeting_id}}/snapshots", f"{base}/{m.pk}/snapshots", "POST", {"region_code": "64.02"}, api=True
        ),
        Case("meetings:snapshot", f"/meetings/snapshots/{snap.pk}/?format=pdf", allowed=KUKAR_WIDE),
        Case("meetings:snapshot", f"/meetings/snapshots/{snap.pk}/?present=1", allowed=KUKAR_WIDE),
        api_case(
            "GET", f"{base}/snapshots/{{snapshot_id}}/{{fmt}}", f"{base}/snapshots/{snap.pk}/xlsx", allowed=KUKAR_WIDE
        ),
        api_case("GET", f"{base}/report/{{code}}", f"{base}/report/64.02", allowed=KUKAR_WIDE),
        api_case("GET", f"{base}/report/{{code}}/{{fmt}}", f"{base}/report/64.02/pdf", allowed=KUKAR_WIDE),
    ]
