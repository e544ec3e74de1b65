"""The write path for meetings, attendance, decisions, action items, readiness and report snapshots.

Each function checks the actor's right (``core.scoping``), validates, writes in one transaction and
records the audit row in it. The Desk Pilkada writes meetings and decisions and sets action items
and readiness items; the agency that owns an action item or a readiness item updates it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, dates, documents, formats, scoping
from core.actions import ConcurrentEditError, update_versioned
from meetings.models import (
    ActionItem,
    ActionStatus,
    Attachment,
    Attendance,
    AttendanceStatus,
    Decision,
    Meeting,
    ReadinessItem,
    ReadinessStatus,
    ReportSnapshot,
)

MEETING_FIELDS = [
    "election",
    "kind",
    "title",
    "region",
    "organiser",
    "chair",
    "starts_at",
    "venue",
    "agenda",
    "minutes",
]
ACTION_FIELDS = [
    "decision",
    "title",
    "owner",
    "owner_person",
    "due",
    "region",
    "concerns_type",
    "concerns_id",
    "source",
]
READINESS_FIELDS = ["election", "stage", "region", "owner", "title", "due"]

# The kinds of record an action item may concern ("app_label.model"). A capability that arrives
# later (cases, incidents, grants) adds its kind here; each must be scoped
# (``objects.restrict``) and name its region in ``scope_region_field``.
LINKABLE: tuple[str, ...] = ("logistics.node", "regions.pollingstation", "security.incident")


def may_write_meetings(actor: Any, region_code: str) -> bool:
    return scoping.can(actor, "meetings", scoping.CHANGE, region_code)


def _require_desk(actor: Any, region_code: str) -> None:
    if actor is not None and not may_write_meetings(actor, region_code):
        raise PermissionDenied(_("Only the Desk Pilkada writes meetings and decisions in this area."))


# --- meetings ----------------------------------------------------------------------------------


def create_meeting(actor: Any, data: dict[str, Any], invited: list[Any] = ()) -> Meeting:  # type: ignore[assignment]
    """A meeting in the actor's area, with the agencies invited to it."""
    meeting = Meeting(**data)
    _require_desk(actor, str(meeting.region_id or ""))
    meeting.full_clean()
    with transaction.atomic():
        meeting.save()
        audit.created(actor, "meeting.create", meeting, MEETING_FIELDS)
        for agency in invited:
            _invite(actor, meeting, agency)
    return meeting


def update_meeting(
    actor: Any,
    meeting: Meeting,
    data: dict[str, Any],
    expected_version: int,
    invited: list[Any] = (),  # type: ignore[assignment]
) -> Meeting:
    """Change a meeting (version-checked); agencies newly in ``invited`` are invited."""
    _require_desk(actor, str(meeting.region_id))
    if "region" in data:
        _require_desk(actor, str(data["region"].pk))
    with transaction.atomic():
        updated: Meeting = update_versioned(actor, meeting, data, expected_version, "meeting.update")  # type: ignore[assignment]
        known = set(Attendance.objects.filter(meeting=updated).values_list("agency_id", flat=True))
        for agency in invited:
            if agency.pk not in known:
                _invite(actor, updated, agency)
    return updated


def _invite(actor: Any, meeting: Meeting, agency: Any) -> Attendance:
    row = Attendance.objects.create(meeting=meeting, agency=agency, invited=True)
    audit.record(actor, "meeting.invite", row, {"agency": [None, str(agency.pk)], "invited": [None, True]})
    return row


def record_attendance(
    actor: Any,
    meeting: Meeting,
    agency: Any,
    status: str,
    *,
    people: str = "",
    represented_by: str = "",
    guest: bool = False,
) -> Attendance:
    """Whether an agency came, who for it, or who represented it. An agency that was not invited
    is recorded only when marked as a guest, so the invitation list stays what it was."""
    _require_desk(actor, str(meeting.region_id))
    if status not in AttendanceStatus.values:
        raise ValidationError({"status": [_("Choose present, represented or absent.")]})
    if status == AttendanceStatus.REPRESENTED and not represented_by.strip():
        raise ValidationError({"represented_by": [_("Say who represented the agency.")]})
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(meeting=meeting, agency=agency).first()
        if row is None:
            if not guest:
                msg = _("%(agency)s was not invited to this meeting; mark it as a guest to record its attendance.")
                raise ValidationError({"agency": [msg % {"agency": agency}]})
            row = Attendance(meeting=meeting, agency=agency, invited=False)
        fields = ["status", "people", "represented_by"]
        old = audit.snapshot(row, fields) if row.pk else {}
        row.status, row.people, row.represented_by = status, people.strip(), represented_by.strip()
        row.save()
        changes = audit.diff(old, audit.snapshot(row, fields))
        if not old:
            changes["invited"] = [None, row.invited]
        audit.record(actor, "meeting.attendance", row, changes)
    return row


def add_decision(actor: Any, meeting: Meeting, text: str) -> Decision:
    _require_desk(actor, str(meeting.region_id))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the decision.")]})
    with transaction.atomic():
        Meeting.objects.select_for_update().filter(pk=meeting.pk).first()  # numbers decisions one at a time
        last = Decision.objects.filter(meeting=meeting).aggregate(n=Max("number"))["n"] or 0
        decision = Decision.objects.create(meeting=meeting, number=last + 1, text=text)
        audit.record(actor, "meeting.decision", decision, {"text": [None, text]})
    return decision


# --- attachments -------------------------------------------------------------------------------


def add_attachment(
    actor: Any, meeting: Meeting, title: str, upload: Any, client_id: uuid.UUID | None = None
) -> Attachment:
    """Keep a document with a meeting (the Desk of its area): checked for what it really is
    (``core.documents``), stored under a random name, audited. A retried upload with the same
    client id returns the first one."""
    _require_desk(actor, str(meeting.region_id))
    if client_id is not None:
        found = Attachment.objects.filter(client_id=client_id).first()
        if found is not None:
            if found.meeting_id != meeting.pk or found.title != (title or "").strip():
                raise ConcurrentEditError(_("This upload id was already used for another document; upload again."))
            return found
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the document a title.")]
    elif len(title) > 200:
        errors["title"] = [_("The title is at most 200 characters.")]
    if upload is None:
        errors["file"] = [_("Choose the file to attach.")]
    else:
        try:
            checked = documents.check(upload, settings.MEETING_ATTACHMENT_MAX_BYTES)
        except ValidationError as e:
            errors.update(e.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        return _insert_attachment(actor, meeting, title, upload, checked, client_id)
    except IntegrityError:
        # a retry racing the first upload with the same id: that one was kept
        found = Attachment.objects.filter(client_id=client_id).first() if client_id is not None else None
        if found is None or found.meeting_id != meeting.pk:
            raise
        return found


def _insert_attachment(
    actor: Any, meeting: Meeting, title: str, upload: Any, checked: documents.Checked, client_id: uuid.UUID | None
) -> Attachment:
    stored = ""
    try:
        with transaction.atomic():
            item = Attachment(
                meeting=meeting,
                title=title,
                filename=checked.filename,
                content_type=checked.content_type,
                size=upload.size,
                uploaded_by=actor if getattr(actor, "pk", None) else None,
                client_id=client_id,
            )
            item.file.save(f"{uuid.uuid4().hex}.{checked.extension}", upload, save=False)
            stored = item.file.name
            item.save()
            audit.record(
                actor,
                "meeting.attachment",
                item,
                {"title": [None, title], "file": [None, checked.filename], "size": [None, item.size]},
            )
    except Exception:
        if stored:  # nothing of the record was kept: neither is its file
            Attachment.file.field.storage.delete(stored)
        raise
    return item


# --- action items ------------------------------------------------------------------------------


def meeting_day(meeting: Meeting) -> dt.date:
    """The meeting's date where it was held (its election's zone)."""
    return timezone.localtime(meeting.starts_at, formats.zone(meeting.timezone)).date()


def concerned_record(actor: Any, kind: str, pk: Any, region_code: str) -> Any:
    """The record of kind ``kind`` ("logistics.node") and id ``pk`` an action in ``region_code``
    may concern, or a ValidationError on ``concerns_id``/``concerns_kind``.

    Only the kinds of ``LINKABLE``, only a record the actor may read: a missing record and one out
    of the actor's sight get the same answer, so the link cannot probe what exists elsewhere."""
    if kind not in LINKABLE:
        raise ValidationError(
            {"concerns_kind": [_("An action may concern only: %(kinds)s.") % {"kinds": ", ".join(LINKABLE)}]}
        )
    model = apps.get_model(kind)
    qs = model.objects.all() if actor is None else model.objects.restrict(actor)
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError(
            {"concerns_id": [_("No %(kind)s with id %(id)s in your area.") % {"kind": kind, "id": pk}]}
        )
    if not qs.filter(scoping.subtree_q(model.scope_region_field, region_code), pk=pk).exists():
        raise ValidationError(
            {
                "concerns_id": [
                    _("%(record)s lies outside the action's region (%(code)s).")
                    % {"record": found, "code": region_code}
                ]
            }
        )
    return found


def add_action(actor: Any, decision: Decision, data: dict[str, Any]) -> ActionItem:
    """An action item carrying out ``decision``: an owner agency and a due date on or after the
    meeting are required; the region defaults to the meeting's and must lie inside it."""
    meeting = decision.meeting
    _require_desk(actor, str(meeting.region_id))
    data = dict(data)
    data["region"] = data.get("region") or meeting.region
    errors: dict[str, list[str]] = {}
    if data.get("owner") is None:
        errors["owner"] = [_("Name the agency that owns this action.")]
    due = data.get("due")
    if due is None:
        errors["due"] = [_("Give the action a due date.")]
    elif due < meeting_day(meeting):
        errors["due"] = [
            _("The due date (%(due)s) is before the meeting (%(meeting)s).")
            % {"due": formats.day(due), "meeting": formats.day(meeting_day(meeting))}
        ]
    region = data["region"]
    if not scoping.in_subtree(str(region.pk), str(meeting.region_id)):
        errors["region"] = [
            _("The action's region must lie inside the meeting's region (%(code)s).") % {"code": meeting.region_id}
        ]
    ct, oid = data.get("concerns_type"), data.get("concerns_id")
    if (ct is None) != (oid is None):
        errors["concerns_id"] = [_("Name both the kind and the id of what the action concerns.")]
    elif ct is not None and "region" not in errors:
        try:
            concerned_record(actor, f"{ct.app_label}.{ct.model}", oid, str(region.pk))
        except ValidationError as e:
            errors |= e.message_dict
    if errors:
        raise ValidationError(errors)
    item = ActionItem(decision=decision, **data)
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit.created(actor, "action_item.create", item, ACTION_FIELDS)
    return item


def concerns_of(obj: Any) -> dict[str, Any]:
    """The generic link to a record, for ``add_action(data=...)``."""
    return {"concerns_type": ContentType.objects.get_for_model(obj), "concerns_id": obj.pk}


def owned_agency_ids(actor: Any) -> set[int]:
    """The agencies the actor works for as an operator or admin (not a viewer): theirs to update."""
    return {
        g.agency_id
        for g in scoping.memberships(actor)
        if g.agency_id and scoping.ROLE_RANK[g.role] >= scoping.ROLE_RANK["operator"]
    }


def owns(actor: Any, agency_id: int) -> bool:
    """Does the actor work for this agency as an operator or admin (not a viewer)?"""
    return agency_id in owned_agency_ids(actor)


def may_update(actor: Any, item: ActionItem | ReadinessItem) -> bool:
    """An action item or a readiness item is updated by its owner agency's operators and admins, or
    by the Desk: its capability's MANAGE right at the item's region (which every superuser has)."""
    return owns(actor, item.owner_id) or scoping.can(actor, item.scope_capability, scoping.MANAGE, str(item.region_id))


def set_action_status(actor: Any, item: ActionItem, status: str, note: str, expected_version: int) -> ActionItem:
    """Done, dropped, or open again. The owner agency or the Desk may; dropping needs a reason."""
    if actor is not None and not may_update(actor, item):
        raise PermissionDenied(_("Only the agency that owns this action, or the Desk, may update it."))
    if status not in ActionStatus.values:
        raise ValidationError({"status": [_("Choose open, done or dropped.")]})
    note = (note or "").strip()
    if status == ActionStatus.DROPPED and not note:
        raise ValidationError({"status_note": [_("Say why the action is dropped.")]})
    if status == item.status and note == item.status_note:
        raise ValidationError({"status": [_("The action already has this status.")]})
    closed = None if status == ActionStatus.OPEN else (item.closed_at if status == item.status else dates.stamp())
    data = {"status": status, "status_note": note, "closed_at": closed}
    return update_versioned(actor, item, data, expected_version, f"action_item.{status}")  # type: ignore[return-value]


# --- readiness ---------------------------------------------------------------------------------


def create_readiness_item(actor: Any, data: dict[str, Any]) -> ReadinessItem:
    item = ReadinessItem(**data)
    if actor is not None and not scoping.can(actor, "readiness", scoping.MANAGE, str(item.region_id or "")):
        raise PermissionDenied(_("Only the Desk Pilkada sets readiness items in this area."))
    errors: dict[str, list[str]] = {}
    if data.get("owner") is None:
        errors["owner"] = [_("Name the agency that owns this item.")]
    if data.get("due") is None:
        errors["due"] = [_("Give the item a due date.")]
    stage = data.get("stage")
    if stage is not None and item.election_id and stage.election_id != item.election_id:
        errors["stage"] = [_("The stage belongs to another election.")]
    if errors:
        raise ValidationError(errors)
    item.full_clean()
    with transaction.atomic():
        item.save()
        audit.created(actor, "readiness.create", item, READINESS_FIELDS)
    return item


def set_readiness(actor: Any, item: ReadinessItem, status: str, evidence: str, expected_version: int) -> ReadinessItem:
    """The owner agency (or the Desk) reports an item ready, with its evidence, or not ready."""
    if actor is not None and not may_update(actor, item):
        raise PermissionDenied(_("Only the agency that owns this item, or the Desk, may update it."))
    if status not in ReadinessStatus.values:
        raise ValidationError({"status": [_("Choose ready or not ready.")]})
    evidence = (evidence or "").strip()
    if status == ReadinessStatus.READY and not evidence:
        raise ValidationError({"evidence": [_("Say what shows the item is ready.")]})
    return update_versioned(  # type: ignore[return-value]
        actor, item, {"status": status, "evidence": evidence}, expected_version, f"readiness.{status}"
    )


# --- situation report snapshots ----------------------------------------------------------------


def offered_for_report(meeting: Meeting, election: Any, region: Any) -> None:
    """A report is kept with a meeting of its election whose region contains the report's region
    (the Kukar report at the Kukar or the province's rakor, not at Sebulu's); ValidationError else."""
    if meeting.election_id != election.pk:
        raise ValidationError(
            {
                "meeting": [
                    _("The meeting %(meeting)s is not a meeting of %(election)s.")
                    % {"meeting": meeting, "election": election}
                ]
            }
        )
    if not scoping.in_subtree(str(region.pk), str(meeting.region_id)):
        msg = _("The report for %(code)s can only be kept with a meeting about %(code)s or a region above it.")
        raise ValidationError({"meeting": [msg % {"code": region.pk}]})


def store_snapshot(
    actor: Any,
    meeting: Meeting,
    election: Any,
    region: Any,
    at: dt.datetime,
    data: dict[str, Any],
    *,
    pk: int | None = None,
) -> ReportSnapshot:
    """Keep the report exactly as shown, linked to the meeting it was presented at: a meeting of the
    report's election about the report's region or a region above it (``offered_for_report``)."""
    _require_desk(actor, str(meeting.region_id))
    if actor is not None and not scoping.can(actor, "meetings", scoping.VIEW, str(region.pk)):
        raise PermissionDenied(_("The region %(code)s is outside your area.") % {"code": region.pk})
    offered_for_report(meeting, election, region)
    with transaction.atomic():
        # ``pk``: the demo's replay writes its kept report again under the id it had
        snap = ReportSnapshot.objects.create(
            id=pk, meeting=meeting, election=election, region=region, at=at, created_by=actor, data=data
        )
        audit.record(
            actor, "meeting.report_snapshot", snap, {"region": [None, str(region.pk)], "at": [None, at.isoformat()]}
        )
    return snap
