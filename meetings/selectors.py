"""Read-side queries for meetings, action items and readiness (other apps may use these)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from core import dates, scoping
from meetings.models import ActionItem, ActionStatus, Attendance, Decision, Meeting, ReadinessItem, ReadinessStatus


def meetings_in(user: Any, region_code: str | None = None) -> QuerySet[Meeting]:
    """Meetings the user may read (about their area or above it), optionally about a region and below.

    Planned meetings are included (the list and the home card show them as upcoming); in the demo a
    meeting exists only once the replay reaches its start, so it is never listed before it was held."""
    qs = Meeting.objects.restrict(user).select_related("organiser", "region", "election")
    if region_code:
        qs = qs.filter(scoping.subtree_q("region", region_code))
    return qs


def offered_for_report(user: Any, election: Any, region_code: str) -> QuerySet[Meeting]:
    """The meetings a report of ``region_code`` may be kept with: the user's to change, of the
    report's election, about the region or a region above it (``actions.offered_for_report``)."""
    return (
        Meeting.objects.restrict(user, scoping.CHANGE)
        .filter(election=election, region__in=[region_code, *scoping.ancestor_codes(region_code)])
        .select_related("region")
    )


def attendance(meeting: Meeting) -> list[Attendance]:
    return list(Attendance.objects.filter(meeting=meeting).select_related("agency"))


def decisions(meeting: Meeting) -> list[Decision]:
    return list(Decision.objects.filter(meeting=meeting))


def actions_of(user: Any, meeting: Meeting) -> QuerySet[ActionItem]:
    return (
        ActionItem.objects.restrict(user)
        .filter(decision__meeting=meeting)
        .select_related("owner", "region", "decision")
        .order_by("decision__number", "due", "id")
    )


def carried_over(user: Any, meeting: Meeting) -> QuerySet[ActionItem]:
    """Action items of earlier meetings, entered and still unfinished when this one starts, about its
    region: they belong on its agenda. Derived each time, never copied: an item done before the meeting
    drops off, and an item done after it still shows on that meeting's agenda as it stood."""
    qs = (
        ActionItem.objects.restrict(user)
        .filter(
            scoping.subtree_q("region", str(meeting.region_id)),
            decision__meeting__starts_at__lt=meeting.starts_at,
            created_at__lt=meeting.starts_at,  # entered later: not on the agenda as it stood
        )
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=meeting.starts_at))
        .exclude(decision__meeting=meeting)
        .select_related("owner", "region", "decision__meeting")
        .order_by("due", "id")
    )
    if meeting.election_id:
        qs = qs.filter(decision__meeting__election_id=meeting.election_id)
    return qs


def inbox(user: Any, agency_id: int, include_closed: bool = False) -> QuerySet[ActionItem]:
    """An agency's action items, the open ones first by due date."""
    qs = (
        ActionItem.objects.restrict(user)
        .filter(owner_id=agency_id)
        .select_related("owner", "region", "decision__meeting")
        .prefetch_related(Prefetch("reminders", to_attr="reminder_list"))
        .order_by("status", "due", "id")
    )
    return qs if include_closed else qs.filter(status=ActionStatus.OPEN)


def overdue(user: Any, region_code: str | None = None, election: Any = None) -> QuerySet[ActionItem]:
    """Open action items past their due date (the desk's today), oldest first."""
    qs = ActionItem.objects.restrict(user).filter(status=ActionStatus.OPEN, due__lt=dates.today())
    if region_code:
        qs = qs.filter(scoping.subtree_q("region", region_code))
    if election is not None:
        qs = qs.filter(decision__meeting__election=election)
    return (
        qs.select_related("owner", "region", "decision__meeting", "source")
        .prefetch_related(Prefetch("reminders", to_attr="reminder_list"))
        .order_by("due", "id")
    )


def open_actions(user: Any, region_code: str, election: Any = None) -> QuerySet[ActionItem]:
    qs = ActionItem.objects.restrict(user).filter(scoping.subtree_q("region", region_code), status=ActionStatus.OPEN)
    if election is not None:
        qs = qs.filter(decision__meeting__election=election)
    return qs.select_related("owner", "region", "decision__meeting").order_by("due", "id")


def readiness_items(user: Any, election: Any, region_code: str | None = None) -> QuerySet[ReadinessItem]:
    qs = ReadinessItem.objects.restrict(user).filter(election=election).select_related("owner", "stage", "region")
    if region_code:
        qs = qs.filter(scoping.subtree_q("region", region_code))
    return qs.order_by("owner__name", "due", "id")


def readiness_by_agency(user: Any, election: Any, region_code: str | None = None) -> list[dict[str, Any]]:
    """Per owner agency: items, ready, percent ready, and items past due not ready."""
    today = dates.today()
    rows: dict[int, dict[str, Any]] = defaultdict(lambda: {"total": 0, "ready": 0, "late": 0})
    for owner_id, owner_name, status, due in readiness_items(user, election, region_code).values_list(
        "owner_id", "owner__name", "status", "due"
    ):
        r = rows[owner_id]
        r["agency_id"], r["agency"] = owner_id, owner_name
        r["total"] += 1
        r["ready"] += status == ReadinessStatus.READY
        r["late"] += status != ReadinessStatus.READY and due < today
    out = sorted(rows.values(), key=lambda r: r["agency"])
    for r in out:
        r["percent"] = round(100.0 * r["ready"] / r["total"], 1) if r["total"] else 0.0
    return out
