"""API for meetings, action items, readiness and situation reports (mounted at /api/v1/meetings/).

Same rights as the pages: the Desk writes meetings, attendance, decisions and action items; the
agency that owns an action item updates its status (version-checked, 409 when stale); every
coordinating agency reads; the public gets 401.
"""

import datetime as dt
import uuid
from typing import Any, Literal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from agencies.models import Agency
from core import documents as core_documents
from core import formats, scoping
from core.api import MAX_ID, BoundedPagination, Id
from elections.models import Election
from elections.selectors import current_election
from meetings import actions, documents, selectors
from meetings import report as situation
from meetings.models import (
    ActionItem,
    ActionStatus,
    Attachment,
    AttendanceStatus,
    Decision,
    Meeting,
    MeetingKind,
    ReportSnapshot,
)
from regions.models import Region
from regions.selectors import region_by_code

router = Router()
# a download: the OpenAPI document names the two file types instead of a JSON body
FILE_RESPONSE = {
    "responses": {
        "200": {
            "description": "The file",
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in documents.TYPES.values()},
        }
    }
}
OptionalId = Field(None, ge=1, le=MAX_ID)


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    election_id: int | None
    region_code: str = Field(..., alias="region_id")
    organiser_id: int
    chair: str
    starts_at: dt.datetime
    timezone: str
    venue: str
    agenda: str
    minutes: str
    version: int


class MeetingIn(Schema):
    kind: MeetingKind = MeetingKind.RAKOR
    title: str = Field(..., min_length=1, max_length=200)
    election_id: int | None = OptionalId
    region_code: str = Field(..., max_length=20)
    organiser_id: Id
    chair: str = Field("", max_length=200)
    starts_at: dt.datetime = Field(
        ...,
        description="With its offset, e.g. 2024-11-18T09:00:00+08:00 (WITA); without one, read in the "
        "election's zone (the server's when there is no election)",
    )
    venue: str = Field("", max_length=200)
    agenda: str = Field("", max_length=20000)
    minutes: str = Field("", max_length=100000)
    invited_agency_ids: list[Id] = Field(default_factory=list, max_length=200)


class AttendanceOut(Schema):
    agency_id: int
    agency: str
    invited: bool
    status: str
    people: str
    represented_by: str

    @staticmethod
    def resolve_agency(obj: Any) -> str:
        return obj.agency.name


class AttendanceIn(Schema):
    agency_id: Id
    status: AttendanceStatus
    people: str = Field("", max_length=300)
    represented_by: str = Field("", max_length=200)
    guest: bool = Field(False, description="True for an agency that was not invited")


class ActionOut(Schema):
    id: int
    meeting_id: int
    decision_id: int
    title: str
    owner_id: int
    owner_person: str
    due: dt.date
    region_code: str = Field(..., alias="region_id")
    concerns_kind: str | None
    concerns_id: int | None
    status: str
    status_note: str
    closed_at: dt.datetime | None
    overdue: bool
    version: int

    @staticmethod
    def resolve_meeting_id(obj: ActionItem) -> int:
        return obj.decision.meeting_id

    @staticmethod
    def resolve_concerns_kind(obj: ActionItem) -> str | None:
        ct = obj.concerns_type
        return f"{ct.app_label}.{ct.model}" if ct else None


class ActionIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)
    owner_id: int | None = Field(None, ge=1, le=MAX_ID, description="The agency that owns the action (required)")
    owner_person: str = Field("", max_length=200)
    due: dt.date | None = Field(None, description="Required; on or after the meeting's date")
    region_code: str | None = Field(None, max_length=20, description="Empty: the meeting's region")
    concerns_kind: str | None = Field(
        None, max_length=100, description="One of: " + ", ".join(actions.LINKABLE) + " (with concerns_id)"
    )
    concerns_id: int | None = OptionalId


class StatusIn(Schema):
    version: int = Field(..., ge=1, le=MAX_ID)
    status: ActionStatus
    note: str = Field("", max_length=500)


class DecisionOut(Schema):
    id: int
    number: int
    text: str


class DecisionIn(Schema):
    text: str = Field(..., min_length=1, max_length=5000)


class DecisionWithActions(DecisionOut):
    actions: list[ActionOut] = Field(..., alias="action_rows")


class AttachmentOut(Schema):
    id: int
    title: str
    filename: str
    content_type: str
    size: int
    uploaded_at: dt.datetime


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendanceOut] = Field(..., alias="attendance_rows")
    attachments: list[AttachmentOut] = Field(..., alias="attachment_rows", description="Download: /attachments/{id}")
    decisions: list[DecisionWithActions] = Field(..., alias="decision_rows")
    carried_over: list[ActionOut] = Field(
        ..., alias="carried_rows", description="Unfinished actions of earlier meetings"
    )


class ReadinessRowOut(Schema):
    agency_id: int
    agency: str
    total: int
    ready: int
    late: int
    percent: float


class SnapshotIn(Schema):
    region_code: str = Field(..., max_length=20)
    election_id: int | None = OptionalId


class SnapshotOut(Schema):
    id: int
    meeting_id: int
    election_id: int
    region_code: str = Field(..., alias="region_id")
    at: dt.datetime
    data: dict[str, Any]


def _meeting(request: HttpRequest, meeting_id: int, action: str = scoping.VIEW) -> Meeting:
    return scoping.get_object_for_user(Meeting.objects.select_related("election"), request.user, action, pk=meeting_id)


def _agency(request: HttpRequest, agency_id: int | None, field: str) -> Agency | None:
    if agency_id is None:
        return None
    found = Agency.objects.restrict(request.user).filter(pk=agency_id).first()
    if found is None:
        raise ValidationError({field: [_("No such agency in your area.")]})
    return found


ACTION_QS = ActionItem.objects.select_related("decision", "concerns_type")


@router.get("/", response=list[MeetingOut])
@paginate(BoundedPagination)
def list_meetings(request: HttpRequest, region_code: str | None = Query(None, max_length=20)) -> Any:
    return selectors.meetings_in(request.user, region_code or None)


@router.post("/", response={201: MeetingOut})
def create_meeting(request: HttpRequest, payload: MeetingIn) -> Any:
    if not scoping.can(request.user, "meetings", scoping.CHANGE):
        raise PermissionDenied(_("Only the Desk Pilkada writes meetings."))
    data = payload.dict()
    region = region_by_code(data.pop("region_code"), field="region_code")
    election = None
    if data["election_id"] is not None:
        election = Election.objects.restrict(request.user).filter(pk=data["election_id"]).first()
        if election is None:
            raise ValidationError({"election_id": [_("No such election.")]})
    organiser = _agency(request, data.pop("organiser_id"), "organiser_id")
    invited = [_agency(request, pk, "invited_agency_ids") for pk in data.pop("invited_agency_ids")]
    data.pop("election_id")
    if timezone.is_naive(data["starts_at"]):  # as the form does: the wall clock where the election is held
        data["starts_at"] = timezone.make_aware(data["starts_at"], formats.zone(election or settings.TIME_ZONE))
    data |= {"region": region, "election": election, "organiser": organiser}
    return Status(201, actions.create_meeting(request.user, data, invited))


@router.get("/actions", response=list[ActionOut])
@paginate(BoundedPagination)
def list_actions(
    request: HttpRequest,
    agency_id: Id | None = None,
    overdue: bool = False,
    include_closed: bool = False,
) -> Any:
    """An agency's inbox (``agency_id``, default: the caller's first agency), or with
    ``overdue=true`` every overdue action in the caller's area."""
    if overdue:
        return selectors.overdue(request.user).select_related("concerns_type")
    if agency_id is None:
        agency_id = next((g.agency_id for g in scoping.memberships(request.user) if g.agency_id), None)
        if agency_id is None:
            return ActionItem.objects.none()
    return selectors.inbox(request.user, agency_id, include_closed).select_related("concerns_type")


@router.post("/actions/{int:action_id}/status", response=ActionOut)
def set_action_status(request: HttpRequest, action_id: Id, payload: StatusIn) -> Any:
    item = scoping.get_object_for_user(ACTION_QS, request.user, pk=action_id)
    return actions.set_action_status(request.user, item, payload.status, payload.note, payload.version)


@router.get("/readiness", response=list[ReadinessRowOut])
def readiness(
    request: HttpRequest, election_id: Id | None = None, region_code: str | None = Query(None, max_length=20)
) -> Any:
    election = current_election(request, election_id)
    if election is None:
        return []
    return selectors.readiness_by_agency(request.user, election, region_code or None)


@router.get("/snapshots/{int:snapshot_id}", response=SnapshotOut)
def get_snapshot(request: HttpRequest, snapshot_id: Id) -> Any:
    return scoping.get_object_for_user(ReportSnapshot.objects, request.user, pk=snapshot_id)


Document = Literal["pdf", "xlsx"]


@router.get("/snapshots/{int:snapshot_id}/{fmt}", response={200: None}, openapi_extra=FILE_RESPONSE)
def snapshot_document(request: HttpRequest, snapshot_id: Id, fmt: Document) -> HttpResponse:
    """A kept report as the meeting saw it: a PDF to print (A4) or the XLSX annex."""
    snap = scoping.get_object_for_user(
        ReportSnapshot.objects.select_related("meeting", "region", "election"), request.user, pk=snapshot_id
    )
    return documents.response(fmt, snap.data, snap.region, snap.at, snap.meeting.title, snap.election)


def _live_report(request: HttpRequest, code: str, election_id: int | None) -> tuple[Region, dict[str, Any]]:
    region = situation.region_for(request.user, code)
    election = current_election(request, election_id)
    if election is None:
        raise Http404(_("No election has been set up yet."))
    return region, situation.build(request, election, region)


@router.get("/report/{code}", response=dict[str, Any])
def report(request: HttpRequest, code: str = Path(..., max_length=20), election_id: Id | None = None) -> Any:
    """The situation report of a region inside the reader's area as of the desk's now: the header,
    what needs a decision today and each section as rendered (what a snapshot keeps)."""
    return situation.rendered(request, _live_report(request, code, election_id)[1])


@router.get("/report/{code}/{fmt}", response={200: None}, openapi_extra=FILE_RESPONSE)
def report_document(
    request: HttpRequest, fmt: Document, code: str = Path(..., max_length=20), election_id: Id | None = None
) -> HttpResponse:
    """The live report as a PDF to print (A4, the Pemda's letterhead, page numbers) or the XLSX annex."""
    region, built = _live_report(request, code, election_id)
    rendered = situation.rendered(request, built)
    return documents.response(fmt, rendered, region, built["at"], election=built["election"])


@router.get("/{int:meeting_id}", response=MeetingDetailOut)
def get_meeting(request: HttpRequest, meeting_id: Id) -> Any:
    meeting = _meeting(request, meeting_id)
    items = list(selectors.actions_of(request.user, meeting).select_related("concerns_type"))
    meeting.attendance_rows = selectors.attendance(meeting)  # type: ignore[attr-defined]
    decisions = []
    for d in selectors.decisions(meeting):
        d.action_rows = [a for a in items if a.decision_id == d.pk]  # type: ignore[attr-defined]
        decisions.append(d)
    meeting.decision_rows = decisions  # type: ignore[attr-defined]
    meeting.carried_rows = list(selectors.carried_over(request.user, meeting).select_related("concerns_type"))  # type: ignore[attr-defined]
    meeting.attachment_rows = list(meeting.attachments.all())  # type: ignore[attr-defined]
    return meeting


@router.post("/{int:meeting_id}/attachments", response={201: AttachmentOut})
def add_attachment(
    request: HttpRequest,
    meeting_id: Id,
    title: Form[str],
    file: File[UploadedFile],
    client_id: Form[uuid.UUID | None] = None,
) -> Any:
    """Keep a document with a meeting (multipart: ``title``, ``file``, optional ``client_id`` so a
    retry keeps it once): PDF, JPEG, PNG, DOCX, XLSX or PPTX, checked for what it really is."""
    meeting = _meeting(request, meeting_id, scoping.CHANGE)
    return Status(201, actions.add_attachment(request.user, meeting, title, file, client_id))


ATTACHMENT_TYPES = ["application/pdf", "image/png", "image/jpeg", *(t for _main, t in core_documents.OFFICE.values())]
ATTACHMENT_RESPONSE = {
    "responses": {
        "200": {
            "description": "The file",
            "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in ATTACHMENT_TYPES},
        }
    }
}


@router.get("/attachments/{int:attachment_id}", response={200: None}, openapi_extra=ATTACHMENT_RESPONSE)
def get_attachment(request: HttpRequest, attachment_id: Id) -> FileResponse:
    """A meeting's document, always as a download of the kind it was checked to be."""
    return documents.download(scoping.get_object_for_user(Attachment.objects, request.user, pk=attachment_id))


@router.post("/{int:meeting_id}/attendance", response=AttendanceOut)
def record_attendance(request: HttpRequest, meeting_id: Id, payload: AttendanceIn) -> Any:
    meeting = _meeting(request, meeting_id, scoping.CHANGE)
    agency = _agency(request, payload.agency_id, "agency_id")
    return actions.record_attendance(
        request.user,
        meeting,
        agency,
        payload.status,
        people=payload.people,
        represented_by=payload.represented_by,
        guest=payload.guest,
    )


@router.post("/{int:meeting_id}/decisions", response={201: DecisionOut})
def add_decision(request: HttpRequest, meeting_id: Id, payload: DecisionIn) -> Any:
    meeting = _meeting(request, meeting_id, scoping.CHANGE)
    return Status(201, actions.add_decision(request.user, meeting, payload.text))


@router.post("/decisions/{int:decision_id}/actions", response={201: ActionOut})
def add_action(request: HttpRequest, decision_id: Id, payload: ActionIn) -> Any:
    decision = Decision.objects.select_related("meeting").filter(pk=decision_id).first()
    if decision is None:
        raise Http404(_("Not found."))
    _meeting(request, decision.meeting_id, scoping.CHANGE)
    data: dict[str, Any] = {
        "title": payload.title,
        "owner": _agency(request, payload.owner_id, "owner_id"),
        "owner_person": payload.owner_person,
        "due": payload.due,
        "region": region_by_code(payload.region_code, required=False, field="region_code"),
    }
    if payload.concerns_kind or payload.concerns_id is not None:
        kind = (payload.concerns_kind or "").lower()
        if kind not in actions.LINKABLE:
            msg = _("An action may concern only: %(kinds)s.") % {"kinds": ", ".join(actions.LINKABLE)}
            raise ValidationError({"concerns_kind": [msg]})
        ct = ContentType.objects.get_by_natural_key(*kind.split("."))
        data |= {"concerns_type": ct, "concerns_id": payload.concerns_id}
    item = actions.add_action(request.user, decision, data)
    return Status(201, ACTION_QS.get(pk=item.pk))


@router.post("/{int:meeting_id}/snapshots", response={201: SnapshotOut})
def generate_snapshot(request: HttpRequest, meeting_id: Id, payload: SnapshotIn) -> Any:
    """Generate the situation report now and keep it with the meeting (it never changes): a meeting
    of the report's election about its region or a region above it."""
    meeting = _meeting(request, meeting_id, scoping.CHANGE)
    region: Region = region_by_code(payload.region_code, field="region_code")  # type: ignore[assignment]
    if not scoping.can(request.user, "meetings", scoping.VIEW, region.code):
        raise ValidationError({"region_code": [_("The region %(code)s is outside your area.") % {"code": region.code}]})
    election = current_election(request, payload.election_id)
    if election is None:
        raise ValidationError({"election_id": [_("No election has been set up yet.")]})
    actions.offered_for_report(meeting, election, region)  # before the report is built for nothing
    data = situation.build(request, election, region)
    snap = actions.store_snapshot(
        request.user, meeting, election, region, data["at"], situation.rendered(request, data)
    )
    return Status(201, snap)
