"""Security pages: a region's vulnerability, a TPS's assessment and guard, the deployment table,
the day's situation and the incident log."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, dates, formats, scoping
from core.exports import download, export_name
from core.forms import add_action_errors
from core.spreadsheets import ImportFailed
from core.views import form_page
from elections.selectors import election_or_404
from regions.boundaries import feature_collection
from regions.models import PollingStation, Region
from regions.selectors import ancestors
from security import actions, importers, selectors
from security.forms import (
    AssessmentForm,
    AssessmentImportForm,
    GuardForm,
    IkpForm,
    IncidentFilter,
    IncidentForm,
    PatternForm,
    PoolForm,
    ReferForm,
    SituationForm,
    StepForm,
)
from security.models import Assessment, Category, Incident, IncidentPhoto, IncidentStatus, Indicator, SituationStatus
from security.registry import badge_of, figures

INCIDENT_PAGE = 200
PLACES_LIMIT = 3000  # the places offered on the incident form (a province has about 1,000 desa)


def _region(request: HttpRequest, code: str, capability: str = "security") -> Region:
    return selectors.region_for(request.user, code, capability)  # type: ignore[no-any-return]


def _incident_rows(request: HttpRequest, election: Any) -> tuple[Any, IncidentFilter, str]:
    """The log's rows as filtered by the query string (kind, severity, status, place)."""
    code = request.GET.get("region") or ""
    if code:
        _region(request, code, "security_incidents")
    filters = IncidentFilter(request.GET or None)
    chosen = {k: v for k, v in (filters.cleaned_data.items() if filters.is_valid() else []) if v}
    return selectors.incidents(request.user, election, code, chosen), filters, code


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    """TPS by Bawaslu category, the IKP, the indicators that drive them, each area one level down
    and the day's situation; at a desa, its TPS one by one."""
    place = _region(request, code)
    election = election_or_404(request)
    if (fmt := request.GET.get("export")) in ("csv", "xlsx"):
        return _assessments_export(request, fmt, election, place)
    data = figures(request, election, place.code)
    children = selectors.counts_by_child(request.user, election, place.code) if place.level < 4 else {}
    names = dict(Region.objects.filter(code__in=list(children)).values_list("code", "name"))
    tps_rows: list[Any] = []
    if place.level == 4:
        stations = PollingStation.objects.restrict(request.user).filter(election=election, village=place)
        current = {
            a.tps_id: a
            for a in selectors.current_assessments(request.user, election, place.code).only(
                "tps_id", "score", "category"
            )
        }
        guards = {
            g.tps_id: g
            for g in selectors.TpsGuard.objects.restrict(request.user).filter(election=election, village=place)
        }
        tps_rows = [(t, current.get(t.pk), guards.get(t.pk)) for t in stations.order_by("number")]
    return render(
        request,
        "security/region.html",
        {
            "region": place,
            "election": election,
            "crumbs": ancestors(place),
            "tile": data,
            "children": [(c, names.get(c, c), v) for c, v in sorted(children.items())],
            "tps_rows": tps_rows,
            "top": selectors.top_indicators(request.user, election, place.code, limit=8),
            "may_set_situation": scoping.can(request.user, "security_status", scoping.CHANGE),
            "may_import": scoping.can(request.user, "security", scoping.CHANGE),
        },
    )


def _tps(request: HttpRequest, pk: int) -> PollingStation:
    tps = scoping.get_object_for_user(PollingStation.objects.select_related("village", "election"), request.user, pk=pk)
    if not scoping.can(request.user, "security", scoping.VIEW, str(tps.village_id)):
        raise Http404(_("No such TPS in your area."))
    return tps


@login_required
def tps_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Bawaslu's assessment with why, its history, Polri's category and guard, and incidents here."""
    tps = _tps(request, pk)
    history = selectors.assessment_history(request.user, tps)
    current = next((a for a in history if a.current), None)
    scheme = actions.scheme_for(tps.election)
    code = str(tps.village_id)
    return render(
        request,
        "security/tps.html",
        {
            "tps": tps,
            "crumbs": ancestors(tps.village),
            "current": current,
            "why": selectors.explanation(current, scheme) if current else None,
            "badge": badge_of({current.source}) if current and current.source_id else None,
            "history": history,
            "guard": selectors.guard_of(request.user, tps),
            "incidents": selectors.incidents(request.user, tps.election, code).filter(tps=tps)[:20],
            "may_assess": scoping.can(request.user, "security", scoping.CHANGE, code),
            "may_guard": scoping.can(request.user, "security_deployment", scoping.CHANGE, code),
            "show_guard": scoping.can(request.user, "security_deployment", scoping.VIEW, code),
        },
    )


@login_required
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    tps = _tps(request, pk)
    if not scoping.can(request.user, "security", scoping.CHANGE, str(tps.village_id)):
        raise PermissionDenied(_("Only Bawaslu and its Panwascam assess the TPS of their area."))
    indicators = list(
        Indicator.objects.filter(variable__election=tps.election, active=True)
        .select_related("variable")
        .order_by("variable__number", "code")
    )
    current = Assessment.objects.filter(tps=tps, current=True).prefetch_related("indicators").first()
    initial = {
        "client_id": uuid.uuid4(),
        "observed_on": dates.today(),
        "indicators": [i.code for i in current.indicators.all()] if current else [],
    }
    form = AssessmentForm(request.POST or None, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            actions.assess_tps(
                request.user, tps, d["indicators"], d["observed_on"], d["note"], d["evidence"], client_id=d["client_id"]
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Assessment of %(tps)s saved.") % {"tps": tps})
            return redirect("security:tps", pk=tps.pk)
    return render(
        request, "security/assess.html", {"tps": tps, "form": form, "scheme": actions.scheme_for(tps.election)}
    )


@login_required
def guard(request: HttpRequest, pk: int) -> HttpResponse:
    tps = _tps(request, pk)
    if not scoping.can(request.user, "security_deployment", scoping.CHANGE, str(tps.village_id)):
        raise PermissionDenied(_("Only Polri and the TNI of this area set the guard of this TPS."))
    existing = selectors.guard_of(request.user, tps)
    initial = {f: getattr(existing, f) for f in actions.GUARD_FIELDS} if existing else {}
    form = GuardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.set_guard(request.user, tps, form.cleaned_data)
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Saved."))
            return redirect("security:tps", pk=tps.pk)
    return render(request, "core/form.html", {"form": form, "title": _("Guard of %(tps)s") % {"tps": tps}})


@login_required
def deployment(request: HttpRequest, code: str) -> HttpResponse:
    """Per kecamatan: TPS by Polri's category, the personnel the patterns need, the pool, the gap."""
    place = _region(request, code, "security_deployment")
    election = election_or_404(request)
    data = selectors.deployment(request.user, election, place.code)
    if (fmt := request.GET.get("export")) in ("csv", "xlsx"):
        return _deployment_export(fmt, place, data)
    return render(
        request,
        "security/deployment.html",
        {
            "region": place,
            "crumbs": ancestors(place),
            "d": data,
            "patterns": selectors.patterns_for(election),
            "categories": selectors.CATEGORIES,
            "narrowed": not scoping.can(request.user, "security_deployment", scoping.VIEW, place.code),
            "may_set": scoping.can(request.user, "security_deployment", scoping.CHANGE),
            "badge": badge_of(data["sources"]),
            "as_of": dates.now(election.timezone),
            "tz": election.timezone,
        },
    )


@login_required
def situation(request: HttpRequest) -> HttpResponse:
    """Set today's status of a kecamatan (Polsek, Koramil, camat)."""
    election = election_or_404(request)
    scopes = scoping.grants(request.user, "security_status", scoping.CHANGE)
    if not scopes:
        raise PermissionDenied(_("Only the Polsek, the Koramil or the camat sets the situation of a kecamatan."))
    kecamatan = list(scoping.in_scopes(Region.objects.filter(level=3), "code", scopes).order_by("code")[:PLACES_LIMIT])
    form = SituationForm(request.POST or None, regions=kecamatan)
    if request.method == "POST" and form.is_valid():
        region = get_object_or_404(Region, code=form.cleaned_data["region"])
        try:
            actions.set_situation(request.user, election, region, form.cleaned_data["level"], form.cleaned_data["note"])
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Status of %(kec)s set for today.") % {"kec": region.name})
            return redirect("security:region", code=region.code)
    today = SituationStatus.objects.restrict(request.user).filter(election=election, day=dates.today())
    return render(
        request,
        "security/situation.html",
        {"form": form, "today": today.select_related("region")[:100], "day": dates.today()},
    )


@login_required
def incidents(request: HttpRequest) -> HttpResponse:
    """The incident log: newest first, filtered by kind, severity, status and place."""
    election = election_or_404(request)
    rows, filters, code = _incident_rows(request, election)
    if (fmt := request.GET.get("export")) in ("csv", "xlsx"):
        return _incidents_export(fmt, election, rows)
    return render(
        request,
        "security/incidents.html",
        {
            "filters": filters,
            "rows": rows[:INCIDENT_PAGE],
            "total": rows.count(),
            "limit": INCIDENT_PAGE,
            "code": code,
            "tz": election.timezone,
            "may_report": scoping.can(request.user, "security_incidents", scoping.CHANGE),
        },
    )


def _client_id(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    """Report an incident from a phone; a retried form reports it once."""
    election = election_or_404(request)
    scopes = scoping.grants(request.user, "security_incidents", scoping.CHANGE)
    if not scopes:
        raise PermissionDenied(_("You may not report incidents."))
    client_id = _client_id(request) if request.method == "POST" else None
    if client_id and (done := Incident.objects.filter(client_id=client_id).first()) is not None:
        return redirect("security:incident", pk=done.pk)
    places = list(
        scoping.in_scopes(Region.objects.filter(level__in=(3, 4)), "code", scopes).order_by("code")[:PLACES_LIMIT]
    )
    with timezone.override(formats.zone(election)):
        form = IncidentForm(
            request.POST or None,
            request.FILES or None,
            initial={
                "client_id": uuid.uuid4(),
                "occurred_at": timezone.localtime(dates.now(election.timezone)).replace(second=0, microsecond=0),
                "region": request.GET.get("region", ""),
            },
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            region = Region.objects.filter(code=d["region"].strip()).first()
            tps = None
            if region is not None and d["tps"]:
                tps = PollingStation.objects.filter(election=election, village=region, number=d["tps"].zfill(3)).first()
                if tps is None:
                    form.add_error("tps", _("No TPS %(n)s in %(place)s.") % {"n": d["tps"], "place": region.name})
            if region is None:
                form.add_error("region", _("“%(code)s” is not a known region code.") % {"code": d["region"]})
            if not form.errors:
                data = {**d, "region": region, "tps": tps}
                try:
                    incident = actions.report_incident(
                        request.user, election, data, [d["photos"]] if d["photos"] else [], client_id=d["client_id"]
                    )
                except ValidationError as e:
                    add_action_errors(form, e)
                else:
                    messages.success(request, _("Incident reported."))
                    return redirect("security:incident", pk=incident.pk)
    return render(request, "security/incident_form.html", {"form": form, "places": places})


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One incident with its follow-up; the Desk, Bawaslu, Polri and TNI move it on or refer it."""
    incident = scoping.get_object_for_user(
        Incident.objects.select_related("region", "tps", "agency", "election", "source"), request.user, pk=pk
    )
    may_manage = scoping.can(request.user, "security_followup", scoping.CHANGE, str(incident.region_id))
    nxt = actions.NEXT_STATUS.get(IncidentStatus(incident.status))
    step = StepForm(initial={"status": nxt, "version": incident.version}) if nxt else None
    refer = ReferForm(initial={"version": incident.version}) if incident.referred_at is None else None
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Only the Desk, Bawaslu, Polri and the TNI follow incidents up."))
        form: Any
        if request.POST.get("do") == "refer":
            form = refer = ReferForm(request.POST)
            save = lambda d: actions.refer_incident(request.user, incident, d["note"], d["version"])  # noqa: E731
        else:
            form = step = StepForm(request.POST)
            save = lambda d: actions.advance_incident(  # noqa: E731
                request.user, incident, d["status"], d["note"], d["version"]
            )
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Saved."))
                return redirect("security:incident", pk=incident.pk)
    return render(
        request,
        "security/incident.html",
        {
            "incident": incident,
            "steps": incident.steps.all(),
            "photos": IncidentPhoto.objects.filter(incident=incident),
            "next": nxt,
            "step": step if may_manage else None,
            "refer": refer if may_manage else None,
            "tz": incident.election.timezone,
            "history": audit.history(incident),
        },
    )


@login_required
def incident_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A photo of an incident, to its readers only, always as a download."""
    photo = scoping.get_object_for_user(IncidentPhoto.objects, request.user, pk=pk)
    return FileResponse(
        photo.file.open("rb"), as_attachment=True, filename=photo.filename, content_type=photo.content_type
    )


# --- exports and the import ------------------------------------------------------------------------


def _assessments_export(request: HttpRequest, fmt: str, election: Any, place: Region) -> Any:
    """One row per TPS of the region the reader sees: Bawaslu's category and score, the indicators
    found, the day; Polri's category beside it (its own judgement). Streamed: a province is large."""
    rows = (
        selectors.current_assessments(request.user, election, place.code)
        .select_related("tps", "village")
        .prefetch_related("indicators")
        .order_by("village_id", "tps__number")
    )
    polri = dict(
        selectors.TpsGuard.objects.restrict(request.user)
        .filter(scoping.subtree_q("village", place.code), election=election)
        .values_list("tps_id", "category")
    )
    header = [
        _("Region code"),
        _("Desa/kelurahan"),
        "TPS",
        _("Category"),
        _("Score"),
        _("Indicators"),
        _("Observed on"),
        _("Polri category"),
        _("Source"),
    ]

    def out() -> Any:
        for a in rows.iterator(chunk_size=2000):
            yield [
                str(a.village_id),
                a.village.name,
                a.tps.number,
                a.get_category_display(),
                a.score,
                "; ".join(sorted(i.code for i in a.indicators.all())),
                a.observed_on.isoformat(),
                dict(selectors.Category.choices).get(polri.get(a.tps_id, ""), ""),
                _("illustrative") if a.source_id else "",
            ]

    return download(fmt, export_name(_("vulnerability"), place.name), header, out())


def _deployment_export(fmt: str, place: Region, data: dict[str, Any]) -> Any:
    header = [
        _("Kecamatan"),
        "Polres",
        "TPS",
        _("Sangat rawan"),
        _("Rawan"),
        _("Kurang rawan"),
        _("Khusus"),
        _("Polri needed"),
        "Polri",
        _("Linmas needed"),
        "Linmas",
        "TNI",
        _("Pool recorded"),
        _("Polri short"),
        _("Linmas short"),
    ]
    rows = [
        [
            r["region"].name,
            str(r["polres"] or ""),
            r["tps"],
            r["by_category"]["sangat_rawan"],
            r["by_category"]["rawan"],
            r["by_category"]["kurang_rawan"],
            r["by_category"]["khusus"],
            r["need_polri"],
            r["polri"],
            r["need_linmas"],
            r["linmas"],
            r["tni"],
            _("yes") if r["units"] else _("no"),
            r["gap_polri"],
            r["gap_linmas"],
        ]
        for r in data["rows"]
    ]
    return download(fmt, export_name(_("deployment"), place.name), header, rows)


def _incidents_export(fmt: str, election: Any, rows: Any) -> Any:
    tz = formats.zone(election)

    def local(t: Any) -> str:
        return timezone.localtime(t, tz).strftime("%Y-%m-%d %H:%M %Z") if t else ""

    header = [
        _("When it happened"),
        _("Region code"),
        _("Where"),
        "TPS",
        _("Kind"),
        _("Severity"),
        _("What"),
        _("Description"),
        _("Reported by"),
        _("Status"),
        _("Referred to Bawaslu"),
        _("Source"),
    ]
    out = (
        [
            local(i.occurred_at),
            str(i.region_id),
            i.region.name,
            i.tps.number if i.tps else "",
            i.get_kind_display(),
            i.get_severity_display(),
            i.title,
            i.description,
            str(i.agency or ""),
            i.get_status_display(),
            local(i.referred_at),
            _("illustrative") if i.source_id else "",
        ]
        for i in rows.iterator(chunk_size=2000)
    )
    return download(fmt, export_name(_("incidents"), election.name), header, out)


@login_required
def assessment_import(request: HttpRequest) -> HttpResponse:
    """Bawaslu's mapping form as a spreadsheet: every row checked, then all written or none."""
    election = election_or_404(request)
    if not scoping.can(request.user, "security", scoping.CHANGE):
        raise PermissionDenied(_("Only Bawaslu and its Panwascam assess the TPS of their area."))
    form = AssessmentImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            n = importers.import_assessments(request.user, election, upload.read(), upload.name)
        except ImportFailed as e:
            ctx.update(failure=e.message, errors=e.errors, error_total=e.total)
        else:
            messages.success(request, _("%(n)s TPS assessed from the file.") % {"n": formats.number(n)})
            return redirect("security:region", code=scoping.home_region(request.user))
    return render(request, "security/import.html", ctx)


@login_required
def assessment_template(request: HttpRequest, fmt: str) -> Any:
    rows = list(importers.template_rows())
    return download("xlsx" if fmt == "xlsx" else "csv", "template-pemetaan-tps-rawan", rows[0], rows[1:])


# --- the map ---------------------------------------------------------------------------------------

# Category colours on the map, and in its legend (templates/security/region.html).
COLOURS = {"kurang_rawan": "#1f7a3d", "rawan": "#b36b00", "sangat_rawan": "#b3261e", "khusus": "#6a1b9a"}
POINTS_LIMIT = 5000  # TPS drawn one by one up to a kabupaten; a province shows its areas only


@login_required
def areas_geojson(request: HttpRequest, code: str) -> JsonResponse:
    """The areas one level down, coloured by their share of rawan TPS (of those assessed)."""
    place = _region(request, code)
    election = election_or_404(request)
    by_child = selectors.counts_by_child(request.user, election, place.code)
    codes = list(Region.objects.filter(parent=place).values_list("code", flat=True))
    props = {
        c: {
            "percent": by_child[c]["share"] if c in by_child else None,
            "url": reverse("security:region", args=[c]),
        }
        for c in codes
    }
    return JsonResponse(feature_collection(codes, place.level + 1, props))


@login_required
def points_geojson(request: HttpRequest, code: str) -> JsonResponse:
    """The assessed TPS of a kabupaten or below, each coloured by Bawaslu's category."""
    place = _region(request, code)
    election = election_or_404(request)
    feats = []
    if place.level >= 2:
        rows = (
            selectors.current_assessments(request.user, election, place.code)
            .filter(tps__lat__isnull=False, tps__lng__isnull=False)
            .values_list("tps_id", "tps__number", "tps__lat", "tps__lng", "category", "score", "village__name")
            .order_by("village_id", "tps__number")[:POINTS_LIMIT]
        )
        names = dict(Category.choices)
        for pk, number, lat, lng, category, score, village in rows:
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lng, lat]},
                    "properties": {
                        "label": f"TPS {number} {village}",
                        "lines": [f"{names[category]} · {_('score')} {score}"],
                        "color": COLOURS[category],
                        "url": reverse("security:tps", args=[pk]),
                    },
                }
            )
    return JsonResponse({"type": "FeatureCollection", "features": feats})


SEVERITY_COLOURS = {"low": "#1f7a3d", "medium": "#b36b00", "high": "#b3261e"}


@login_required
def incident_points(request: HttpRequest) -> JsonResponse:
    """The incidents of the log (same filters) on the map: at their coordinates, else at their
    place's centre; coloured by severity."""
    election = election_or_404(request)
    rows, _filters, _code = _incident_rows(request, election)
    feats = []
    tz = formats.zone(election)
    for i in rows[:INCIDENT_PAGE]:
        lat, lng = (i.lat, i.lng) if i.lat is not None else (i.region.lat, i.region.lng)
        if lat is None or lng is None:
            continue
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "label": i.title,
                    "lines": [
                        f"{i.get_kind_display()} · {i.get_severity_display()}",
                        f"{formats.moment(i.occurred_at, tz)} · {i.region.name}",
                        i.get_status_display(),
                    ],
                    "color": SEVERITY_COLOURS[i.severity],
                    "url": reverse("security:incident", args=[i.pk]),
                },
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": feats})


@login_required
def indicators(request: HttpRequest) -> HttpResponse:
    """The election's variables and indicators with their weights, and the thresholds: what every
    score on these pages is made of."""
    election = election_or_404(request)
    rows = list(
        Indicator.objects.filter(variable__election=election)
        .select_related("variable")
        .order_by("variable__number", "code")
    )
    groups: dict[Any, list[Any]] = {}
    for i in rows:
        groups.setdefault(i.variable, []).append(i)
    scheme = actions.scheme_for(election)
    return render(
        request,
        "security/indicators.html",
        {
            "groups": list(groups.items()),
            "scheme": scheme,
            "election": election,
            "badge": badge_of({scheme.source}) if scheme.source_id else None,
        },
    )


# --- the guard's and the IKP's forms ---------------------------------------------------------------


def _polres_choices(request: HttpRequest) -> Any:
    """The Polres whose guard this user sets: Polri agencies with an area the user may write in."""
    from agencies.models import Agency

    rows = Agency.objects.restrict(request.user).filter(kind=scoping.POLRI).select_related("region")
    mine = [
        a.pk
        for a in rows
        if any(scoping.can(request.user, "security_deployment", scoping.CHANGE, c) for c in a.area_codes)
    ]
    if not mine:
        raise PermissionDenied(_("Only Polri and the TNI of this area set its guard."))
    return Agency.objects.filter(pk__in=mine)


@login_required
def pool_edit(request: HttpRequest) -> HttpResponse:
    """Set the personnel of a Polsek or of the Polres's headquarters (same unit: replaced)."""
    election = election_or_404(request)
    form = PoolForm(request.POST or None, polres=_polres_choices(request))

    def save() -> Any:
        d = form.cleaned_data
        region = Region.objects.filter(code=d["region"].strip()).first()
        if region is None:
            raise ValidationError({"region": [_("“%(code)s” is not a known region code.") % {"code": d["region"]}]})
        counts = {f: d[f] for f in actions.POOL_FIELDS}
        return actions.set_pool(request.user, election, d["polres"], d["unit"], region, counts)

    return form_page(
        request, form, save, lambda obj: reverse("security:deployment", args=[obj.region_id]), _("Personnel of a unit")
    )


@login_required
def pattern_edit(request: HttpRequest) -> HttpResponse:
    election = election_or_404(request)
    form = PatternForm(request.POST or None, polres=_polres_choices(request))

    def save() -> Any:
        d = form.cleaned_data
        return actions.set_pattern(
            request.user, election, d["polres"], d["category"], d["polri"], d["tps"], d["linmas"]
        )

    done = reverse("security:deployment", args=[scoping.home_region(request.user)])
    return form_page(request, form, save, lambda obj: done, _("Guard pattern of a Polres"))


@login_required
def ikp_new(request: HttpRequest) -> HttpResponse:
    """Record a published IKP (Bawaslu), with where it was published."""
    election = election_or_404(request)
    if not scoping.can(request.user, "security", scoping.CHANGE):
        raise PermissionDenied(_("Only Bawaslu records the IKP of a region in its area."))
    form = IkpForm(request.POST or None)

    def save() -> Any:
        d = form.cleaned_data
        region = Region.objects.filter(code=d["region"].strip()).first()
        if region is None:
            raise ValidationError({"region": [_("“%(code)s” is not a known region code.") % {"code": d["region"]}]})
        source = actions.published_source(d["publisher"], d["title"], d["published_on"], d["url"])
        data = {k: d[k] for k in ("score", "band", "rank", "published_on")}
        data |= {"region": region, "source": source, "dimensions": form.dimensions()}
        return actions.record_ikp(request.user, election, data)

    return form_page(
        request, form, save, lambda obj: reverse("security:region", args=[obj.region_id]), _("Record a published IKP")
    )
