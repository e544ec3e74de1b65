"""Pages for meetings, action items, readiness and the situation report. Thin: lookups through
the chokepoint, writes through meetings.actions."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Agency
from core import audit, dates, formats, scoping
from core.forms import add_action_errors
from core.views import form_page, tiles
from elections.selectors import current_election
from meetings import actions, documents, drafting, selectors
from meetings import report as situation
from meetings.forms import (
    ALIASES,
    ActionForm,
    ActionStatusForm,
    AttachmentForm,
    AttendanceForm,
    DecisionForm,
    DraftTextForm,
    MeetingForm,
    ReadinessForm,
    ReadinessStatusForm,
    SnapshotForm,
)
from meetings.models import ActionItem, Attachment, Decision, Meeting, ReadinessItem, ReportSnapshot

FORM = "meetings/form.html"


def _need(user: Any, capability: str) -> None:
    if not scoping.can(user, capability, scoping.VIEW):
        raise Http404(_("Not found."))


def _meeting(request: HttpRequest, pk: int, action: str = scoping.VIEW) -> Meeting:
    return scoping.get_object_for_user(
        Meeting.objects.select_related("organiser", "region", "election", "source"), request.user, action, pk=pk
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    _need(request.user, "meetings")
    now = dates.now(settings.TIME_ZONE)
    meetings = list(selectors.meetings_in(request.user)[:200])
    return render(
        request,
        "meetings/list.html",
        {
            "upcoming": sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at),
            "past": [m for m in meetings if m.starts_at < now],
            "can_write": scoping.can(request.user, "meetings", scoping.CHANGE),
            "home": scoping.home_region(request.user),
        },
    )


@login_required
def meeting_detail(request: HttpRequest, pk: int, attachment_form: AttachmentForm | None = None) -> HttpResponse:
    meeting = _meeting(request, pk)
    decisions = selectors.decisions(meeting)
    items = list(selectors.actions_of(request.user, meeting))
    by_decision: dict[int, list[ActionItem]] = {}
    for a in items:
        by_decision.setdefault(a.decision_id, []).append(a)
    ctx = {
        "meeting": meeting,
        "tz": meeting.timezone,
        "attendance": selectors.attendance(meeting),
        "decisions": [(d, by_decision.get(d.pk, [])) for d in decisions],
        "carried": list(selectors.carried_over(request.user, meeting)),
        "snapshots": list(ReportSnapshot.objects.restrict(request.user).filter(meeting=meeting).order_by("-at")),
        "can_write": actions.may_write_meetings(request.user, str(meeting.region_id)),
        "badge": situation_badge(meeting),
        "today": dates.today(),
        "attachments": list(meeting.attachments.all()),
        "attachment_form": attachment_form or AttachmentForm(),
        "upload_id": uuid.uuid4(),
    }
    return render(request, "meetings/detail.html", ctx, status=400 if attachment_form is not None else 200)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep a document with the meeting; a refused file leaves the meeting page with the reason."""
    meeting = _meeting(request, pk, scoping.CHANGE)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            client_id = uuid.UUID(request.POST.get("client_id", "")) if request.POST.get("client_id") else None
        except ValueError:
            client_id = None
        try:
            actions.add_attachment(
                request.user, meeting, form.cleaned_data["title"], form.cleaned_data["file"], client_id
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("The document is kept with the meeting."))
            return redirect("meetings:detail", pk=meeting.pk)
    return meeting_detail(request, meeting.pk, attachment_form=form)


@login_required
def attachment(request: HttpRequest, pk: int) -> FileResponse:
    """A meeting's document, for those who read the meeting; always a download, as the kind it was
    checked to be (never shown inline, whatever is inside)."""
    return documents.download(scoping.get_object_for_user(Attachment.objects, request.user, pk=pk))


def situation_badge(meeting: Meeting) -> Any:
    from core.provenance import badge

    return badge([], registry_source=meeting.source) if meeting.source_id else None


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    if not scoping.can(request.user, "meetings", scoping.CHANGE):
        raise PermissionDenied(_("Only the Desk Pilkada writes meetings."))
    with timezone.override(formats.zone(settings.TIME_ZONE)):
        form = MeetingForm(request.POST or None, user=request.user)
        return form_page(
            request,
            form,
            lambda: actions.create_meeting(request.user, form.data_for_action(), list(form.cleaned_data["invited"])),
            lambda m: reverse("meetings:detail", args=[m.pk]),
            _("New meeting"),
            aliases=ALIASES,
            template=FORM,
        )


@login_required
def meeting_draft(request: HttpRequest) -> HttpResponse:
    """A meeting drafted from its written report, shown as the new-meeting form filled in for
    review (it posts to that form: nothing is saved here), with the figures and decisions found."""
    if not scoping.can(request.user, "meetings", scoping.CHANGE):
        raise PermissionDenied(_("Only the Desk Pilkada writes meetings."))
    text_form = DraftTextForm(request.POST or None)
    result, meeting_form = None, None
    if request.method == "POST" and text_form.is_valid():
        election = current_election(request)
        year = election.voting_date.year if election else dates.today().year
        result = drafting.draft(text_form.cleaned_data["text"], year)
        with timezone.override(formats.zone(election or settings.TIME_ZONE)):
            meeting_form = MeetingForm(initial=_draft_initial(request.user, election, result), user=request.user)
    return render(request, "meetings/draft.html", {"text_form": text_form, "draft": result, "form": meeting_form})


def _draft_initial(user: Any, election: Any, d: drafting.Draft) -> dict[str, Any]:
    starts = None
    if d.date:
        clock = dt.time.fromisoformat(d.time) if d.time else dt.time(9)
        zone = formats.zone(election or settings.TIME_ZONE)
        starts = dt.datetime.combine(dt.date.fromisoformat(d.date), clock, tzinfo=zone)
    agencies = Agency.objects.restrict(user)
    invited = [a.pk for a in agencies if any(drafting.names_agency(f, a.name) for f in d.agencies)]
    notes = [_("From the written report:")]
    notes += [_("Decision: %(text)s") % {"text": text} for text in d.decisions]
    notes += [_("Figure: %(text)s — %(sentence)s") % f for f in d.figures]
    if d.people:
        notes.append(_("Present: %(who)s") % {"who": "; ".join(f"{p['name']} ({p['role']})" for p in d.people)})
    return {
        "kind": d.kind,
        "title": d.title,
        "election": election.pk if election else None,
        "region_code": scoping.home_region(user),
        "chair": d.chair,
        "venue": d.venue,
        "starts_at": starts,
        "invited": invited,
        "minutes": "\n".join(notes),
    }


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, scoping.CHANGE)
    with timezone.override(formats.zone(meeting.timezone)):
        form = MeetingForm(request.POST or None, instance=Meeting.objects.get(pk=meeting.pk), user=request.user)
        return form_page(
            request,
            form,
            lambda: actions.update_meeting(
                request.user,
                meeting,
                form.data_for_action(),
                int(form.cleaned_data["version"]),
                list(form.cleaned_data["invited"]),
            ),
            lambda m: reverse("meetings:detail", args=[m.pk]),
            _("Edit %(title)s") % {"title": meeting.title},
            aliases=ALIASES,
            template=FORM,
            history=audit.history(meeting),
        )


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, scoping.CHANGE)
    form = AttendanceForm(request.POST or None, user=request.user)

    def save() -> Any:
        d = form.cleaned_data
        return actions.record_attendance(
            request.user,
            meeting,
            d["agency"],
            d["status"],
            people=d["people"],
            represented_by=d["represented_by"],
            guest=d["guest"],
        )

    return form_page(
        request,
        form,
        save,
        lambda _a: reverse("meetings:detail", args=[meeting.pk]),
        _("Attendance: %(title)s") % {"title": meeting.title},
        template=FORM,
        meeting=meeting,
    )


@login_required
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, scoping.CHANGE)
    form = DecisionForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: actions.add_decision(request.user, meeting, form.cleaned_data["text"]),
        lambda d: reverse("meetings:action_create", args=[d.pk]),
        _("New decision: %(title)s") % {"title": meeting.title},
        template=FORM,
        meeting=meeting,
    )


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    decision = Decision.objects.select_related("meeting__region", "meeting__election").filter(pk=pk).first()
    if decision is None:
        raise Http404(_("Not found."))
    meeting = _meeting(request, decision.meeting_id, scoping.CHANGE)
    form = ActionForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda: actions.add_action(request.user, decision, form.data_for_action()),
        lambda _a: reverse("meetings:detail", args=[meeting.pk]),
        _("New action for decision %(n)s") % {"n": decision.number},
        aliases=ALIASES,
        template=FORM,
        meeting=meeting,
        decision=decision,
    )


def _my_agencies(user: Any) -> list[Agency]:
    ids = [g.agency_id for g in scoping.memberships(user) if g.agency_id]
    return list(Agency.objects.filter(pk__in=ids).order_by("name"))


@login_required
def action_inbox(request: HttpRequest) -> HttpResponse:
    """An agency's inbox: its own agency by default; others it may read through ``?agency=``."""
    _need(request.user, "meeting_actions")
    mine = _my_agencies(request.user)
    agency = None
    if request.GET.get("agency"):
        try:
            agency = scoping.get_object_for_user(Agency.objects, request.user, pk=int(request.GET["agency"]))
        except ValueError:
            raise Http404(_("Not found.")) from None
    elif mine:
        agency = mine[0]
    show_all = request.GET.get("all") == "1"
    items = list(selectors.inbox(request.user, agency.pk, include_closed=show_all)[:200]) if agency else []
    return render(
        request,
        "meetings/actions.html",
        {"agency": agency, "mine": mine, "items": items, "show_all": show_all, "today": dates.today()},
    )


@login_required
def action_overdue(request: HttpRequest) -> HttpResponse:
    """The Desk's list of overdue action items in the user's area."""
    _need(request.user, "meeting_actions")
    items = list(selectors.overdue(request.user)[:500])
    return render(request, "meetings/overdue.html", {"items": items, "today": dates.today()})


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = scoping.get_object_for_user(
        ActionItem.objects.select_related("owner", "region", "decision__meeting__election", "concerns_type"),
        request.user,
        pk=pk,
    )
    may = actions.may_update(request.user, item)
    if request.method == "POST" and not may:
        raise PermissionDenied(_("Only the agency that owns this action, or the Desk, may update it."))
    form = ActionStatusForm(
        request.POST or None, initial={"status": item.status, "status_note": item.status_note, "version": item.version}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.set_action_status(request.user, item, d["status"], d["status_note"], d["version"])
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("meetings:action", pk=item.pk)
    concerns = None
    if item.concerns_type_id:
        model = item.concerns_type.model_class()  # type: ignore[union-attr]
        if model is not None and hasattr(model.objects, "restrict"):
            concerns = model.objects.restrict(request.user).filter(pk=item.concerns_id).first()
    ctx = {
        "item": item,
        "meeting": item.decision.meeting,
        "tz": item.decision.meeting.timezone,
        "form": form if may else None,
        "concerns": concerns,
        "history": audit.history(item),
        "today": dates.today(),
        "sent": list(item.reminders.all()),
    }
    return render(request, "meetings/action.html", ctx)


@login_required
def readiness(request: HttpRequest) -> HttpResponse:
    _need(request.user, "readiness")
    election = current_election(request)
    agency_id = request.GET.get("agency")
    items = selectors.readiness_items(request.user, election) if election else ReadinessItem.objects.none()
    if agency_id and agency_id.isdigit():
        items = items.filter(owner_id=int(agency_id))
    return render(
        request,
        "meetings/readiness.html",
        {
            "election": election,
            "rows": selectors.readiness_by_agency(request.user, election) if election else [],
            "items": list(items[:500]),
            "can_manage": scoping.can(request.user, "readiness", scoping.MANAGE),
            "today": dates.today(),
        },
    )


@login_required
def readiness_create(request: HttpRequest) -> HttpResponse:
    if not scoping.can(request.user, "readiness", scoping.MANAGE):
        raise PermissionDenied(_("Only the Desk Pilkada sets readiness items."))
    form = ReadinessForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        lambda: actions.create_readiness_item(request.user, form.data_for_action()),
        lambda _i: reverse("meetings:readiness"),
        _("New readiness item"),
        aliases=ALIASES,
        template=FORM,
    )


@login_required
def readiness_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = scoping.get_object_for_user(
        ReadinessItem.objects.select_related("owner", "region", "stage", "election"), request.user, pk=pk
    )
    may = actions.may_update(request.user, item)
    if request.method == "POST" and not may:
        raise PermissionDenied(_("Only the agency that owns this item, or the Desk, may update it."))
    form = ReadinessStatusForm(
        request.POST or None, initial={"status": item.status, "evidence": item.evidence, "version": item.version}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.set_readiness(request.user, item, d["status"], d["evidence"], d["version"])
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("meetings:readiness_item", pk=item.pk)
    return render(
        request,
        "meetings/readiness_item.html",
        {"item": item, "form": form if may else None, "history": audit.history(item), "today": dates.today()},
    )


@login_required
def report(request: HttpRequest, code: str) -> HttpResponse:
    region = situation.region_for(request.user, code)
    election = current_election(request)
    if election is None:
        raise Http404(_("No election has been set up yet."))
    data = situation.build(request, election, region)
    fmt = request.GET.get("format")
    if fmt in documents.TYPES:
        return documents.response(fmt, situation.rendered(request, data), region, data["at"], election=election)
    if request.GET.get("present"):
        exit_url = f"{reverse('meetings:report', args=[region.code])}?election={election.pk}"
        return render(
            request, "meetings/present.html", {"data": situation.rendered(request, data), "exit_url": exit_url}
        )
    offered = selectors.offered_for_report(request.user, election, region.code)
    form = SnapshotForm(meetings=offered) if offered.exists() else None
    maps = tiles("report_maps", request, election, region)
    return render(request, "meetings/report.html", {**data, "r": data, "form": form, "maps": maps})


@login_required
@require_POST
def snapshot_create(request: HttpRequest, code: str) -> HttpResponse:
    region = situation.region_for(request.user, code)
    election = current_election(request)
    if election is None:
        raise Http404(_("No election has been set up yet."))
    # any meeting the user may change: one not offered for this report gets the action's reason
    form = SnapshotForm(request.POST, meetings=Meeting.objects.restrict(request.user, scoping.CHANGE))
    if not form.is_valid():
        if not scoping.can(request.user, "meetings", scoping.CHANGE):
            raise PermissionDenied(_("Only the Desk Pilkada writes meetings and decisions in this area."))
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("meetings:report", code=code)
    data = situation.build(request, election, region)
    try:
        snap = actions.store_snapshot(
            request.user, form.cleaned_data["meeting"], election, region, data["at"], situation.rendered(request, data)
        )
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("meetings:report", code=code)
    messages.success(request, _("The report is kept with the meeting as it is now."))
    return redirect("meetings:snapshot", pk=snap.pk)


@login_required
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    snap = scoping.get_object_for_user(
        ReportSnapshot.objects.select_related("meeting", "election", "region"), request.user, pk=pk
    )
    fmt = request.GET.get("format")
    if fmt in documents.TYPES:  # printed from what was kept: exactly what the meeting saw
        return documents.response(fmt, snap.data, snap.region, snap.at, snap.meeting.title, snap.election)
    if request.GET.get("present"):
        exit_url = reverse("meetings:snapshot", args=[snap.pk])
        return render(request, "meetings/present.html", {"data": snap.data, "exit_url": exit_url, "kept": True})
    return render(request, "meetings/snapshot.html", {"snap": snap, "data": snap.data})
