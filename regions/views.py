from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core import audit, import_runs, scoping
from core.exports import download
from core.forms import add_action_errors
from core.provenance import badge
from core.views import tiles
from elections.models import Election
from elections.selectors import current_election
from regions import actions, importers, selectors, summaries
from regions.boundaries import feature_collection
from regions.filtersets import PollingStationFilterSet
from regions.forms import ImportForm, PollingStationCreateForm, PollingStationForm
from regions.models import Level, PollingStation, Region
from regions.registry import TPS_IMPORT
from regions.tables import PollingStationTable


def tps_queryset(request: HttpRequest, election: Election | None) -> Any:
    qs = PollingStation.objects.restrict(request.user).select_related("village", "village__parent")
    return qs.filter(election=election) if election else qs.none()


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = get_object_or_404(Region, code=code)
    election = current_election(request)
    tps = tps_queryset(request, election)
    children = list(region.children.order_by("code"))
    # TPS and DPT per region are public figures: the same for every viewer, never narrowed to the
    # viewer's scope (a camat of Sebulu must read Kukar's 1,443 TPS, not Sebulu's 76)
    totals, by_child = summaries.region_totals(election, region.code)
    badges, child_badges = selectors.figure_badges(election, region.code, totals, by_child)
    rows = [(c, by_child.get(c.code, summaries.EMPTY), child_badges.get(c.code, {})) for c in children]
    ctx: dict[str, Any] = {
        "region": region,
        "election": election,
        "crumbs": selectors.ancestors(region),
        "totals": totals,
        "badges": badges,
        "has_provenance": any(badges.values()) or any(any(b.values()) for b in child_badges.values()),
        "rows": rows,
        # a desa page draws its kecamatan's desa around its TPS, for context
        "areas_url": reverse("regions:areas", args=[region.code if region.level < Level.DESA else region.parent_id]),
        "points_url": reverse("regions:tps_points", args=[region.code]) if region.level >= Level.KECAMATAN else "",
        "can_change": scoping.can(request.user, "regions", scoping.CHANGE, region.code),
    }
    ctx["panels"] = tiles("region_panels", request, election, region)
    if region.level == Level.DESA:
        table = PollingStationTable(tps.filter(village=region))
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        ctx["table"] = table
    return render(request, "regions/region_detail.html", ctx)


def areas_geojson(request: HttpRequest, code: str) -> JsonResponse:
    """Children of a region with their TPS and DPT totals, for the choropleth.

    Totals are what KPU publishes anyway, so this is public, like /api/v1/public/regions/.
    """
    region = get_object_or_404(Region, code=code)
    election = current_election(request)
    _, stats = summaries.region_totals(election, region.code)
    codes = list(region.children.values_list("code", flat=True))
    logged_in = request.user.is_authenticated
    # An area without a registered TPS has no voter figure yet: null, which the map draws as
    # "no data" rather than as the lowest class.
    no_data = {"tps": 0, "dpt": None}
    props = {
        c: {
            **(stats[c] if stats.get(c, no_data)["tps"] else no_data),
            **({"url": reverse("regions:region", args=[c])} if logged_in else {}),
        }
        for c in codes
    }
    return JsonResponse(feature_collection(codes, region.level + 1, props))


@login_required
def tps_geojson(request: HttpRequest, code: str) -> JsonResponse:
    region = get_object_or_404(Region, code=code)
    tps = selectors.tps_in(tps_queryset(request, current_election(request)), region).filter(lat__isnull=False)
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [t.lng, t.lat]},
            "properties": {
                "number": t.number,
                "village": t.village.name,
                "dpt": t.dpt,
                "access_mode": t.access_mode,
                "url": t.get_absolute_url(),
            },
        }
        for t in tps[:5000]
    ]
    return JsonResponse({"type": "FeatureCollection", "features": feats})


@login_required
def tps_list(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    election = current_election(request)
    fs = PollingStationFilterSet(request.GET, queryset=tps_queryset(request, election))
    qs = fs.qs
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        rows = importers.export_rows(qs)
        return download(fmt, "tps", importers.TPS_SPEC.headers(), rows)
    table = PollingStationTable(qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    ctx = {
        "filter": fs,
        "table": table,
        "election": election,
        "totals": selectors.totals(qs),
        "can_change": scoping.can(request.user, "regions", scoping.CHANGE),
    }
    template = "regions/_tps_table.html" if request.htmx else "regions/tps_list.html"  # type: ignore[attr-defined]
    return render(request, template, ctx)


def _get_tps(request: HttpRequest, pk: int, action: str) -> PollingStation:
    return scoping.get_object_for_user(
        PollingStation.objects.select_related("village", "village__parent", "election", "source"),
        request.user,
        action,
        pk=pk,
    )


@login_required
def tps_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tps = _get_tps(request, pk, scoping.VIEW)
    ctx = {
        "tps": tps,
        "figures": badge([], None, tps.source),  # the demo's rows are illustrative; users' entries carry none
        "crumbs": [*selectors.ancestors(tps.village), tps.village],
        "history": audit.history(tps),
        "imports": audit.history(tps.election).filter(action="tps.import")[:5],
        "can_change": scoping.can(request.user, "regions", scoping.CHANGE, tps.village_id),
    }
    return render(request, "regions/tps_detail.html", ctx)


@login_required
def tps_edit(request: HttpRequest, pk: int) -> HttpResponse:
    tps = _get_tps(request, pk, scoping.CHANGE)
    form = PollingStationForm(request.POST or None, instance=tps, initial={"version": tps.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.update_polling_station(request.user, tps, data, form.cleaned_data["version"])
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("TPS saved."))
            return redirect(tps.get_absolute_url())
    return render(request, "regions/tps_form.html", {"form": form, "tps": tps})


@login_required
def tps_create(request: HttpRequest) -> HttpResponse:
    if not scoping.can(request.user, "regions", scoping.CHANGE):
        raise PermissionDenied(_("You may not add TPS."))
    election = current_election(request)
    if election is None:
        raise Http404(_("No election to add a TPS to."))
    form = PollingStationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "village_code"}
        data["village"] = form.cleaned_data["village_code"]
        try:
            tps = actions.create_polling_station(request.user, election, data)
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("TPS added."))
            return redirect(tps.get_absolute_url())
    return render(request, "regions/tps_form.html", {"form": form, "election": election})


@login_required
def tps_import(request: HttpRequest) -> HttpResponse:
    if not scoping.can(request.user, "regions", scoping.CHANGE):
        raise PermissionDenied(_("You may not import TPS."))
    elections = Election.objects.restrict(request.user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        elections=elections,
        initial={"election": current_election(request)},
    )
    ctx: dict[str, Any] = {"form": form, "columns": importers.TPS_SPEC.columns}
    if request.method == "POST" and form.is_valid():
        upload, election = form.cleaned_data["file"], form.cleaned_data["election"]
        data = upload.read()
        try:
            if import_runs.runs_in_background(data):  # a large file: a job, followed on its page
                return import_runs.start(request, TPS_IMPORT, str(election.pk), data, upload.name)
            result = actions.import_polling_stations(request.user, election, data, upload.name)
        except actions.ImportFailed as e:
            ctx.update(failure=e.message, errors=e.errors, error_total=e.total)
        else:
            messages.success(
                request,
                importers.describe_result(result),
            )
            return redirect("regions:tps_list")
    return render(request, "regions/tps_import.html", ctx)


def tps_template(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = list(importers.template_rows())
    return download(fmt, "template-tps", rows[0], rows[1:])  # type: ignore[return-value]
