"""Violation pages: a region's statistics and deadlines, the case list, the intake form, a case with
its timeline, the ASN list, the deadline calendar and the public counts.

The reporter appears on one page only -- the case page, to Bawaslu -- and nowhere else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core import audit, dates, scoping
from core.exports import download, export_name
from core.forms import add_action_errors
from elections.selectors import election_or_404, public_election
from regions.models import PollingStation, Region
from violations import actions, selectors
from violations.forms import (
    CaseFilter,
    EvidenceForm,
    HolidayForm,
    InformationForm,
    IntakeForm,
    RuleForm,
    SanctionForm,
    StepForm,
)
from violations.models import Case, Evidence, Holiday, Origin, PartyKind, Reporter, Rule

CASE_PAGE = 200
PLACES_LIMIT = 3000


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """A region's violations: counts with charts (the whole region's, as the public sees them) and
    the cases near or past their deadline the reader may see."""
    selectors.require_reader(request.user)
    election = election_or_404(request)
    place = selectors.region_for(request.user, code)
    return render(
        request,
        "violations/region.html",
        {
            "place": place,
            "election": election,
            "stats": selectors.statistics(election, place.code),
            "due": selectors.due(request.user, election, place.code),
            "narrowed": selectors.narrowed(request.user, place.code),
            "may_write": scoping.can(request.user, "violations", scoping.CHANGE),
            "tz": election.timezone,
        },
    )


def public(request: HttpRequest, code: str) -> HttpResponse:
    """The public's page: counts only, no case, no name, no reporter; the day they are as of."""
    place = get_object_or_404(Region, code=code)
    election = public_election(request.GET.get("election"))
    return render(
        request,
        "violations/public.html",
        {"place": place, "election": election, "stats": selectors.statistics(election, place.code)},
    )


def _rows(request: HttpRequest, election: Any) -> tuple[Any, CaseFilter, str]:
    code = request.GET.get("region") or ""
    if code:
        selectors.region_for(request.user, code)
    filters = CaseFilter(request.GET or None)
    chosen = {k: v for k, v in (filters.cleaned_data.items() if filters.is_valid() else []) if v}
    return selectors.filtered(request.user, election, code, chosen), filters, code


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The case list: newest first, filtered; CSV/XLSX with the same rows and no reporter."""
    selectors.require_reader(request.user)
    election = election_or_404(request)
    rows, filters, code = _rows(request, election)
    if (fmt := request.GET.get("export")) in ("csv", "xlsx"):
        return _export(fmt, election, rows)
    cal = selectors.calendar(election)
    return render(
        request,
        "violations/cases.html",
        {
            "filters": filters,
            "rows": [
                (c, selectors.days_left(c, cal), c.deadline_rule and cal[0][c.deadline_rule].working_days)
                for c in rows[:CASE_PAGE]
            ],
            "total": rows.count(),
            "limit": CASE_PAGE,
            "code": code,
            "may_write": scoping.can(request.user, "violations", scoping.CHANGE),
        },
    )


def _export(fmt: str, election: Any, rows: Any) -> Any:
    """The list as a spreadsheet: what the list shows, never the reporter (the public's rule plus
    what the reader may already see)."""
    header = [
        _("Number"),
        _("Origin"),
        _("Occurred on"),
        _("Known on"),
        _("Received on"),
        _("Region code"),
        _("Where"),
        "TPS",
        _("Kind of reported party"),
        _("Reported party"),
        _("Unit or office"),
        _("Category"),
        _("What is alleged"),
        _("Status"),
        _("Finding"),
        _("Referred to"),
        _("Referred on"),
        _("Deadline"),
        _("Outcome"),
        _("Sanction"),
        _("Source"),
    ]
    out = (
        [
            c.number,
            c.get_origin_display(),
            c.occurred_on.isoformat(),
            c.known_on.isoformat(),
            c.received_on.isoformat(),
            str(c.region_id),
            c.region.name,
            c.tps.number if c.tps else "",
            c.get_party_kind_display(),
            c.party_name,
            c.party_unit,
            c.get_category_display(),
            c.summary,
            c.get_status_display(),
            c.get_finding_display(),
            c.get_referred_to_display(),
            c.referred_on.isoformat() if c.referred_on else "",
            c.deadline.isoformat() if c.deadline and c.is_open else "",
            c.outcome,
            c.sanction,
            c.source.get_status_display() if c.source else "",
        ]
        for c in rows.iterator(chunk_size=2000)
    )
    return download(fmt, export_name(_("violations"), election.name), header, out)


@login_required
def intake(request: HttpRequest) -> HttpResponse:
    """Bawaslu records a laporan or temuan from a phone; a retried form records it once."""
    election = election_or_404(request)
    scopes = scoping.grants(request.user, "violations", scoping.CHANGE)
    if not scopes:
        raise PermissionDenied(_("Only Bawaslu records violation cases."))
    places = list(
        scoping.in_scopes(Region.objects.filter(level__in=(3, 4)), "code", scopes)
        .filter(scoping.subtree_q("code", str(election.region_id)))
        .order_by("code")[:PLACES_LIMIT]
    )
    today = dates.today()
    form = IntakeForm(
        request.POST or None,
        request.FILES or None,
        initial={"client_id": uuid.uuid4(), "received_on": today, "origin": Origin.LAPORAN},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        place = Region.objects.filter(code=d["region"].strip()).first()
        tps = None
        if place is None:
            form.add_error("region", _("“%(code)s” is not a known region code.") % {"code": d["region"]})
        elif d["tps"]:
            tps = PollingStation.objects.filter(election=election, village=place, number=d["tps"].zfill(3)).first()
            if tps is None:
                form.add_error("tps", _("No TPS %(n)s in %(place)s.") % {"n": d["tps"], "place": place.name})
        links = [p.strip().lstrip("#") for p in (d["incidents"] or "").split(",") if p.strip()]
        if any(not p.isdigit() for p in links):
            form.add_error("incidents", _("Give incident numbers separated by commas."))
        if not form.errors:
            reporter = {f: d[f"reporter_{f}"] for f in actions.REPORTER_FIELDS}
            try:
                case = actions.intake(
                    request.user,
                    election,
                    {**d, "region": place, "tps": tps},
                    reporter,
                    d["evidence"],
                    links,
                    client_id=d["client_id"],
                )
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Case #%(n)s recorded.") % {"n": case.number})
                return redirect("violations:case", pk=case.pk)
    return render(request, "violations/intake.html", {"form": form, "places": places})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One case: what, where, against whom, its timeline and deadline; Bawaslu moves it on (and the
    Gakkumdu partners their stages); the reporter and evidence to Bawaslu alone."""
    selectors.require_reader(request.user)
    case = scoping.get_object_for_user(
        Case.objects.select_related("region", "tps", "agency", "election", "source"), request.user, pk=pk
    )
    code = str(case.region_id)
    user = request.user
    allowed = actions.possible_steps(user, case)
    may_write = scoping.can(user, "violations", scoping.CHANGE, code)
    private = scoping.can(user, "violations_reporter", scoping.VIEW, code)
    forms: dict[str, Any] = {
        "step": StepForm(initial={"version": case.version, "on": dates.today()}, allowed=allowed) if allowed else None,
        "info": InformationForm(initial={"version": case.version})
        if may_write and case.deadline_rule == Rule.DECIDE and not case.extended
        else None,
        "sanction": SanctionForm(initial={"version": case.version, "sanction": case.sanction})
        if case.referred_on and scoping.can(user, "violations_sanction", scoping.CHANGE, code)
        else None,
        "evidence": EvidenceForm() if may_write else None,
    }
    if request.method == "POST":
        response = _post(request, case, forms, allowed)
        if response is not None:
            return response
    return render(
        request,
        "violations/case.html",
        {
            "case": case,
            "steps": list(case.steps.order_by("on", "at", "id")),
            "days_left": selectors.days_left(case),
            "incidents": list(case.incidents.restrict(user).select_related("region")),
            "reporter": Reporter.objects.restrict(user).filter(case=case).first() if private else None,
            "evidence": list(Evidence.objects.restrict(user).filter(case=case)) if private else None,
            "private": private,
            "forms": forms,
            "history": audit.history(case),
        },
    )


def _post(request: HttpRequest, case: Case, forms: dict[str, Any], allowed: tuple[str, ...]) -> HttpResponse | None:
    """Handle one of the case page's forms; None re-renders the page with its errors."""
    user = request.user
    do = request.POST.get("do")
    save: Callable[[dict[str, Any]], Any]
    if do == "step":
        if not allowed:
            raise PermissionDenied(actions.ONLY_BAWASLU)
        form: Any = StepForm(request.POST, allowed=allowed)
        forms["step"] = form
        save = lambda d: actions.advance(user, case, d["status"], d, d["version"])  # noqa: E731
    elif do == "info" and forms["info"] is not None:
        form = forms["info"] = InformationForm(request.POST)
        save = lambda d: actions.request_information(user, case, d["note"], d["version"])  # noqa: E731
    elif do == "sanction" and forms["sanction"] is not None:
        form = forms["sanction"] = SanctionForm(request.POST)
        save = lambda d: actions.record_sanction(user, case, d["sanction"], d["sanction_on"], d["version"])  # noqa: E731
    elif do == "evidence" and forms["evidence"] is not None:
        form = forms["evidence"] = EvidenceForm(request.POST, request.FILES)
        save = lambda d: actions.add_evidence(user, case, d["evidence"])  # noqa: E731
    else:
        raise PermissionDenied(actions.ONLY_BAWASLU)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("violations:case", pk=case.pk)
    return None


@login_required
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, to Bawaslu only, always as a download."""
    ev = scoping.get_object_for_user(Evidence.objects, request.user, pk=pk)
    return FileResponse(ev.file.open("rb"), as_attachment=True, filename=ev.filename, content_type=ev.content_type)


@login_required
def asn(request: HttpRequest) -> HttpResponse:
    """Cases against civil servants, for the Pemda: name, unit, status, referral, sanction."""
    selectors.require_reader(request.user)
    election = election_or_404(request)
    code = request.GET.get("region") or ""
    if code:
        selectors.region_for(request.user, code)
    rows = selectors.asn_cases(request.user, election, code)
    return render(
        request,
        "violations/asn.html",
        {"rows": list(rows[:CASE_PAGE]), "total": rows.count(), "code": code, "party": PartyKind.ASN.label},
    )


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """The deadline rules and the holidays of the election's working-day calendar."""
    selectors.require_reader(request.user)
    election = election_or_404(request)
    may_manage = scoping.can(request.user, "violations", scoping.MANAGE, str(election.region_id))
    holiday_form = HolidayForm(request.POST if request.POST.get("do") == "holiday" else None)
    rule_form = None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Only a Bawaslu admin of the election's whole region sets its deadline rules."))
        do = request.POST.get("do")
        try:
            if do == "holiday" and holiday_form.is_valid():
                d = holiday_form.cleaned_data
                actions.add_holiday(request.user, election, d["day"], d["name"])
            elif do == "remove":
                pk = request.POST.get("holiday", "")
                holiday = get_object_or_404(Holiday, election=election, pk=int(pk) if pk.isdigit() else 0)
                actions.remove_holiday(request.user, holiday)
            elif do == "rule":
                rule_form = RuleForm(request.POST)
                if not rule_form.is_valid():
                    raise ValidationError(_("A rule counts between 0 and 60 days."))
                d = rule_form.cleaned_data
                actions.set_rule(request.user, election, d["rule"], d["days"], d["working_days"], d["version"])
            else:
                raise ValidationError(_("Check the form."))
        except ValidationError as e:
            add_action_errors(holiday_form if do == "holiday" else (rule_form or holiday_form), e)
        else:
            messages.success(request, _("Saved."))
            return redirect("violations:calendar")
    return render(
        request,
        "violations/calendar.html",
        {
            "election": election,
            "rules": actions.rule_rows(election),
            "holidays": list(Holiday.objects.filter(election=election)),
            "may_manage": may_manage,
            "holiday_form": holiday_form,
            "rule_form": rule_form,
        },
    )
