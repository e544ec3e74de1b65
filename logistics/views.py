from __future__ import annotations

import datetime as dt
import itertools
import uuid
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import dates, formats, import_runs, provenance, scoping
from core.exports import download, export_name
from core.forms import add_action_errors
from core.provenance import badge
from core.spreadsheets import ImportFailed
from core.views import form_page
from elections.selectors import current_election
from logistics import actions, importers, photos, rules, selectors
from logistics.forms import (
    EscortForm,
    FieldReportForm,
    ItemForm,
    ManifestImportForm,
    PackForm,
    PlanForm,
    ReceiptForm,
    RouteConditionForm,
    RouteForm,
    RouteLegsForm,
    SendBackForm,
    ShipmentForm,
    StockForm,
    SupervisionForm,
)
from logistics.models import (
    Alert,
    Item,
    Node,
    NodeLevel,
    Package,
    PackageCondition,
    Route,
    Shipment,
    ShipmentStatus,
    StockKind,
    Supply,
)
from logistics.registry import MANIFEST_IMPORT
from regions.boundaries import feature_collection
from regions.models import Level, Region
from regions.selectors import ancestors

RISK_LIMIT = 50
RISK_POINTS_LIMIT = 2000  # the map marks at most this many overdue shipments
ALERT_LIMIT = 10  # open alerts shown on the region page; the problems page lists them all
PACKAGE_LIMIT = 500  # boxes listed on a region's packages page


def desk_now(election: Any) -> dt.datetime:
    return dates.now(election.timezone)


@login_required
def region_progress(request: HttpRequest, code: str) -> HttpResponse | StreamingHttpResponse:
    region = get_object_or_404(Region, code=code)
    election = current_election(request)
    if election is None:
        return render(request, "logistics/empty.html")

    def restrict(qs: Any) -> Any:
        return qs.restrict(request.user)

    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return _progress_export(fmt, region, selectors.progress_with_damage(restrict, election, region))
    now = desk_now(election)
    # the page lists the first RISK_LIMIT of each kind of problem; ?risks=all lists every one
    show_all = request.GET.get("risks") == "all"
    status = selectors.region_status(
        election, region, now, restrict, limit=None if show_all else RISK_LIMIT, alert_limit=ALERT_LIMIT
    )
    items = status.items
    plan = selectors.plan_of(election)
    reach = status.reach
    supplies = Supply.objects.restrict(request.user)
    children = list(region.children.order_by("code")) if region.level < Level.DESA else []
    by_child = selectors.progress_by_child(supplies, election, region)
    monitored = selectors.monitored_children(election, region)
    ctx = {
        "region": region,
        "election": election,
        "items": items,
        "damage": [r for r in items if r["reported"]],
        "receiving_levels": [NodeLevel(level).label for level in selectors.RECEIVING_LEVELS],
        "crumbs": ancestors(region),
        "levels": status.levels,
        "risks": [(n, reason, reach[n.pk]) for n, reason in status.risks.rows],
        "risk_total": status.risks.total,
        "risks_more": status.risks.more,
        # each overdue shipment with how late it is now and the TPS and voters waiting below it
        "overdue": [(o, o.late_by(now), reach[o.shipment.destination.pk]) for o in status.overdue.rows],
        "overdue_total": status.overdue.total,
        "overdue_more": status.overdue.more,
        "records_badge": provenance.badge([], registry_source=plan.source) if plan.source_id else None,
        "problems": [(s, reach[s.destination_id]) for s in status.problems.rows],
        "problem_total": status.problems.total,
        "problems_more": status.problems.more,
        "alerts": [(a, reach[a.node_id]) for a in status.alerts.rows],
        "alert_total": status.alerts.total,
        "alerts_more": status.alerts.more,
        "now": now,
        "children": [(c, by_child.get(c.code)) for c in children],
        # a province's figures cover only the kab/kota whose network is in Sinergi: say which are not
        "unmonitored": [c for c in children if c.code not in monitored] if region.level < Level.KECAMATAN else [],
        # figures from the user's own area only, when their scope covers part of the region
        "narrowed": not scoping.can(request.user, "logistics", scoping.VIEW, region.code),
        "areas_url": reverse("logistics:areas", args=[region.code]) if region.level < Level.DESA else "",
        "risk_url": reverse("logistics:risk_points", args=[region.code]),
        "can_change": scoping.can(request.user, "logistics", scoping.CHANGE, region.code),
    }
    return render(request, "logistics/region.html", ctx)


def _progress_export(fmt: str, region: Region, items: list[dict[str, Any]]) -> HttpResponse | StreamingHttpResponse:
    """A reading export: Indonesian headers and names, as the page shows them (not item codes).
    Damaged and missing are those reported at every level, then per level."""
    header = [
        _("Region"),
        _("Item"),
        _("Required"),
        _("Dispatched"),
        _("Received"),
        _("Damaged"),
        _("Missing"),
        _("Shortfall"),
        _("TPS"),
        _("TPS fully supplied"),
    ]
    for level in selectors.RECEIVING_LEVELS:
        label = NodeLevel(level).label
        header += [_("Damaged at %(level)s") % {"level": label}, _("Missing at %(level)s") % {"level": label}]

    def row(r: dict[str, Any]) -> list[Any]:
        reported = r["reported"]
        levels = (
            reported["level_rows"] if reported else [{"damaged": 0, "missing": 0}] * len(selectors.RECEIVING_LEVELS)
        )
        per_level = [n for d in levels for n in (d["damaged"], d["missing"])]
        return [
            region.name,
            r["item"].name,
            r["required"],
            r["dispatched"],
            r["received"],
            reported["damaged"] if reported else 0,
            reported["missing"] if reported else 0,
            r["shortfall"],
            r["tps"],
            r["supplied"],
            *per_level,
        ]

    return download(fmt, export_name(_("logistics"), region.name), header, (row(r) for r in items))


@login_required
def areas_geojson(request: HttpRequest, code: str) -> JsonResponse:
    region = get_object_or_404(Region, code=code)
    election = current_election(request)
    stats = selectors.progress_by_child(Supply.objects.restrict(request.user), election, region) if election else {}
    codes = list(region.children.values_list("code", flat=True))
    # An area without Supply rows (no TPS or no items) has no share: null, drawn as "no data".
    props = {
        c: {
            "percent": stats[c]["percent"] if c in stats else None,
            "received": stats[c]["received"] if c in stats else None,
            "required": stats[c]["required"] if c in stats else None,
            "url": reverse("logistics:region", args=[c]),
        }
        for c in codes
    }
    return JsonResponse(feature_collection(codes, region.level + 1, props))


@login_required
def risk_points(request: HttpRequest, code: str) -> JsonResponse:
    region = get_object_or_404(Region, code=code)
    election = current_election(request)
    feats = []
    if election:
        now = desk_now(election)
        for node, reason in selectors.at_risk_nodes(election, region, now, Node.objects.restrict(request.user)):
            r = node.region
            if r.lat is None:
                continue
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [r.lng, r.lat]},
                    "properties": {
                        "risk": True,
                        "label": f"{node.name}: {reason}",
                        "url": reverse("logistics:node", args=[node.pk]),
                    },
                }
            )
        # an overdue shipment marks its destination too: everything below it waits
        shipments = Shipment.objects.restrict(request.user)
        for o in itertools.islice(selectors.overdue_shipments(election, region, now, shipments), RISK_POINTS_LIMIT):
            r = o.shipment.destination.region
            if r.lat is None:
                continue
            feats.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [r.lng, r.lat]},
                    "properties": {
                        "risk": True,
                        "label": _("%(node)s: overdue by %(late)s")
                        % {"node": o.shipment.destination.name, "late": o.late_by(now)},
                        "url": reverse("logistics:shipment", args=[o.shipment.pk]),
                    },
                }
            )
    return JsonResponse({"type": "FeatureCollection", "features": feats})


@login_required
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = scoping.get_object_for_user(
        Node.objects.select_related("region", "election", "polling_station"), request.user, pk=pk
    )
    inbound = node.shipments_in.select_related("origin").order_by("-id")
    outbound = node.shipments_out.select_related("destination").order_by("-id")[:200]
    route = Route.objects.filter(destination=node).select_related("origin").prefetch_related("legs").first()
    can_change = scoping.can(request.user, "logistics", scoping.CHANGE, node.region_id)
    route_form = RouteForm(
        request.POST or None, initial={"mode": route.mode, "travel_minutes": route.travel_minutes} if route else None
    )
    if request.method == "POST" and not can_change:
        raise PermissionDenied(_("Only KPU changes routes in its area."))
    if request.method == "POST" and route and route.legs.all():
        # the one-transport form would drop the legs: those are edited on the route's own page
        return redirect("logistics:route", pk=node.pk)
    if request.method == "POST" and route and route_form.is_valid():
        actions.save_route(
            request.user, route.origin, node, route_form.cleaned_data["mode"], route_form.cleaned_data["travel_minutes"]
        )
        messages.success(request, _("Route saved."))
        return redirect("logistics:node", pk=node.pk)
    plan = selectors.plan_of(node.election)
    return render(
        request,
        "logistics/node.html",
        {
            "node": node,
            "inbound": inbound,
            "outbound": outbound,
            "stock": selectors.node_stock(node),
            "route": route,
            "route_form": route_form,
            # with legs, the one-transport form is left out: it would drop them
            "route_has_legs": route is not None and bool(route.legs.all()),
            "can_change": can_change,
            # derived backwards from the TPS deadline (logistics.targets)
            "due": node.due_at,
            "depart_by": node.inbound_depart_by if node.inbound_depart_by != rules.NO_SAFE_DISPATCH else None,
            "no_safe_dispatch": node.inbound_depart_by == rules.NO_SAFE_DISPATCH,
            # after the polls close, whoever may confirm receipts here sends the boxes back
            "can_send_back": node.level >= NodeLevel.PPK
            and desk_now(node.election) >= rules.counting_from(node.election.voting_date, node.election.timezone)
            and scoping.can(request.user, "logistics_returns", scoping.CHANGE, node.region_id),
            "records_badge": provenance.badge([], registry_source=plan.source) if plan.source_id else None,
            "children": Node.objects.restrict(request.user).filter(routes_in__origin=node).order_by("name")[:300],
        },
    )


@login_required
def route_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The route into a node: its legs and their schedules, the alternative, and its condition
    (flood, low water, rapids). KPU of the node's area only; two forms, told apart by their button."""
    node = scoping.get_object_for_user(Node.objects.select_related("election", "region"), request.user, pk=pk)
    if not scoping.can(request.user, "logistics", scoping.CHANGE, node.region_id):
        raise PermissionDenied(_("Only KPU changes routes in its area."))
    route = get_object_or_404(
        Route.objects.select_related("origin", "destination").prefetch_related("legs"), destination=node
    )
    election = node.election
    which = request.POST.get("save") if request.method == "POST" else None
    with timezone.override(formats.zone(election)):  # the condition's time is typed in the election's zone
        legs_form = RouteLegsForm(
            request.POST if which == "legs" else None,
            initial=RouteLegsForm.initial_for(route._legs(False) or route.main_legs, route.alternative_legs),
        )
        condition_form = RouteConditionForm(
            request.POST if which == "condition" else None,
            initial={
                "condition": route.condition,
                "condition_note": route.condition_note,
                "condition_since": timezone.localtime(route.condition_since or desk_now(election)),
            },
        )
        try:
            if which == "legs" and legs_form.is_valid():
                actions.save_route(
                    request.user, route.origin, node, legs=legs_form.legs(), alternative=legs_form.alternative()
                )
                messages.success(request, _("Route saved."))
                return redirect("logistics:node", pk=node.pk)
            if which == "condition" and condition_form.is_valid():
                data = condition_form.cleaned_data
                actions.set_route_condition(
                    request.user, route, data["condition"], data["condition_note"], data["condition_since"]
                )
                messages.success(request, _("Route condition saved."))
                return redirect("logistics:node", pk=node.pk)
        except ValidationError as e:
            add_action_errors(legs_form if which == "legs" else condition_form, e)
    return render(
        request,
        "logistics/route_form.html",
        {"node": node, "route": route, "legs_form": legs_form, "condition_form": condition_form},
    )


def _get_shipment(request: HttpRequest, pk: int) -> Shipment:
    return scoping.get_object_for_user(
        Shipment.objects.select_related("origin", "destination", "destination__region", "election", "escort"),
        request.user,
        pk=pk,
    )


@login_required
def shipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    shipment = _get_shipment(request, pk)
    lines = list(shipment.lines.select_related("item").order_by("item__order"))
    packages = selectors.shipment_packages(shipment)
    receipt = getattr(shipment, "receipt", None)
    can_receive = (
        receipt is None
        and shipment.status in (ShipmentStatus.DISPATCHED, ShipmentStatus.ARRIVED)
        and scoping.can(request.user, "logistics_receipts", scoping.CHANGE, shipment.destination.region_id)
    )
    can_change = scoping.can(request.user, "logistics", scoping.CHANGE, shipment.destination.region_id)
    kept: photos.KeptPhoto | None = None
    # the time of receipt is entered and read in the election's zone, as the page writes its moments
    with timezone.override(formats.zone(shipment.election)):
        form = _receipt_form(request, shipment, lines, packages) if can_receive else None
        if form is not None and request.method == "POST":
            kept = photos.kept(request.POST.get("photo_token"), request.user, shipment)
            if form.is_valid():
                upload = form.cleaned_data.get("photo")
                try:
                    actions.record_receipt(
                        request.user,
                        shipment,
                        client_id=form.cleaned_data["client_id"],
                        received_at=form.cleaned_data["received_at"],
                        receiver=form.cleaned_data["receiver"],
                        lines=form.lines(),
                        photo=upload or (kept.file() if kept else None),
                        note=form.cleaned_data["note"],
                        packages=form.package_reports(),
                        supervisor=form.cleaned_data["supervisor"],
                        escort_officer=form.cleaned_data["escort_officer"],
                    )
                except ValidationError as e:
                    add_action_errors(form, e)
                else:
                    if kept is not None:
                        kept.discard()
                    messages.success(request, _("Receipt recorded."))
                    return redirect("logistics:shipment", pk=shipment.pk)
            kept = _keep_photo(request, form, shipment, kept)
    return render(
        request,
        "logistics/shipment.html",
        {
            "shipment": shipment,
            "lines": lines,
            "packages": packages,
            "receipt": receipt,
            "form": form,
            "kept_photo": kept,
            "can_change": can_change,
            "receipt_lines": receipt.lines.select_related("item") if receipt else [],
        },
    )


def _keep_photo(
    request: HttpRequest, form: ReceiptForm, shipment: Shipment, kept: photos.KeptPhoto | None
) -> photos.KeptPhoto | None:
    """After a refused attempt, keep the photo just sent (if it passes the checks) so the next
    attempt need not send it again; it replaces one kept before."""
    upload = request.FILES.get("photo")
    if upload is None or form.has_error("photo"):
        return kept
    try:
        actions.check_receipt_photo(upload, shipment.election)
    except ValidationError as e:
        add_action_errors(form, e)
        return kept
    if kept is not None:
        kept.discard()
    return photos.keep(upload, request.user, shipment)


def _receipt_form(request: HttpRequest, shipment: Shipment, lines: list[Any], packages: list[Any]) -> ReceiptForm:
    # the loose part of each line is counted; what is packed is reported with its package
    return ReceiptForm(
        request.POST or None,
        request.FILES or None,
        items=[(line.item, line.quantity - line.packed) for line in lines if line.quantity > line.packed],
        packages=[p for p, _condition in packages],
        initial={"client_id": uuid.uuid4(), "received_at": ReceiptForm.local(desk_now(shipment.election))},
    )


@login_required
def shipment_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    if request.method != "POST":
        return redirect("logistics:shipment", pk=pk)
    shipment = _get_shipment(request, pk)
    try:
        version = int(request.POST.get("version", shipment.version))
    except ValueError:
        messages.error(request, _("The form was out of date or damaged; reload the page and try again."))
        return redirect("logistics:shipment", pk=shipment.pk)
    try:
        if verb == "dispatch":
            actions.dispatch_shipment(request.user, shipment, timezone.now(), version)
            messages.success(request, _("Shipment dispatched."))
        elif verb == "arrive":
            actions.mark_arrived(request.user, shipment, timezone.now(), version)
            messages.success(request, _("Arrival recorded."))
        elif verb == "replace":
            new = actions.request_replacement(request.user, shipment)
            messages.success(request, _("Replacement shipment #%(id)s planned.") % {"id": new.pk})
            return redirect("logistics:shipment", pk=new.pk)
        else:
            raise PermissionDenied
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect("logistics:shipment", pk=shipment.pk)


@login_required
def shipment_create(request: HttpRequest, node_pk: int) -> HttpResponse:
    origin = scoping.get_object_for_user(Node.objects.select_related("election"), request.user, pk=node_pk)
    if not scoping.can(request.user, "logistics", scoping.CHANGE, origin.region_id):
        raise PermissionDenied(_("You may not plan shipments here."))
    destinations = Node.objects.restrict(request.user, scoping.CHANGE).filter(routes_in__origin=origin)
    items = [(i, 0) for i in origin.election.items.all()]
    form = ShipmentForm(request.POST or None, destinations=destinations, items=items)
    if request.method == "POST" and form.is_valid():
        destination = form.cleaned_data["destination"]
        try:
            shipment = actions.create_shipment(
                request.user,
                origin.election,
                origin,
                destination,
                form.lines(),
                packages=selectors.unsent_packages(destination) if form.cleaned_data["with_packages"] else [],
                note=form.cleaned_data["note"],
                client_id=uuid.UUID(request.POST["client_id"]) if request.POST.get("client_id") else None,
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Shipment #%(id)s planned.") % {"id": shipment.pk})
            return redirect("logistics:shipment", pk=shipment.pk)
    return render(request, "logistics/shipment_form.html", {"form": form, "origin": origin, "client_id": uuid.uuid4()})


def _client_id(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("client_id", ""))
    except ValueError:
        return None


@login_required
def send_back(request: HttpRequest, pk: int) -> HttpResponse:
    """After the count, whoever holds the sealed boxes sends them back up in one shipment leaving
    now: a KPPS to its PPS (with the new seal on each box it opened), a PPS to its PPK."""
    node = scoping.get_object_for_user(Node.objects.select_related("election", "region"), request.user, pk=pk)
    if not scoping.can(request.user, "logistics_returns", scoping.CHANGE, node.region_id):
        raise PermissionDenied(_("Only whoever holds the boxes here sends them back."))
    election = node.election
    client_id = _client_id(request) if request.method == "POST" else None
    sent = Shipment.objects.filter(client_id=client_id, origin=node, is_return=True).first() if client_id else None
    if sent is not None:  # a retry of a form that went through: the boxes left then
        return redirect("logistics:node", pk=node.pk)
    route = Route.objects.filter(destination=node).select_related("origin").first()
    held = selectors.held_packages(node)
    with timezone.override(formats.zone(election)):
        form = SendBackForm(
            request.POST or None,
            packages=held,
            resealed=node.level == NodeLevel.KPPS,
            initial={"client_id": uuid.uuid4(), "dispatched_at": ReceiptForm.local(desk_now(election))},
        )
        if request.method == "POST" and route is not None and held and form.is_valid():
            try:
                with transaction.atomic():  # planned and on its way, or nothing
                    shipment = actions.create_shipment(
                        request.user,
                        election,
                        node,
                        route.origin,
                        {},
                        is_return=True,
                        packages=held,
                        new_seals=form.new_seals(),
                        note=form.cleaned_data["note"],
                        client_id=form.cleaned_data["client_id"],
                    )
                    if shipment.status == ShipmentStatus.PLANNED:
                        actions.dispatch_shipment(
                            request.user, shipment, form.cleaned_data["dispatched_at"], shipment.version
                        )
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(
                    request,
                    _("%(n)s boxes on their way back to %(node)s (shipment #%(id)s).")
                    % {"n": formats.number(len(held)), "node": route.origin, "id": shipment.pk},
                )
                # the sender's own page: a return to the warehouse is the KPU's to open
                return redirect("logistics:node", pk=node.pk)
    return render(
        request,
        "logistics/send_back.html",
        {
            "node": node,
            "to": route.origin if route else None,
            "form": form,
            "counting_from": rules.counting_from(election.voting_date, election.timezone),
        },
    )


@login_required
def problems(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    election = current_election(request)
    alerts = Alert.objects.restrict(request.user).filter(election=election).select_related("node", "shipment")
    shipments = (
        Shipment.objects.restrict(request.user)
        .filter(election=election, status=ShipmentStatus.PROBLEM)
        .select_related("origin", "destination")
        .order_by("-id")
    )
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return _problems_export(fmt, election, alerts, shipments)
    return render(
        request, "logistics/problems.html", {"alerts": alerts[:200], "shipments": shipments, "election": election}
    )


def _problems_export(fmt: str, election: Any, alerts: Any, shipments: Any) -> HttpResponse | StreamingHttpResponse:
    """Problems for reading at a meeting: one row per alert and per shipment with a problem, in the
    election's local time, with names rather than internal codes."""
    tz = zoneinfo.ZoneInfo(election.timezone)

    def local(t: dt.datetime | None) -> str:
        # sortable in a spreadsheet, with the zone written out (WITA for Kaltim)
        return timezone.localtime(t, tz).strftime("%Y-%m-%d %H:%M %Z") if t else ""

    header = [_("Record"), _("Kind"), _("Time"), _("Place"), _("Region"), _("Description"), _("Status")]
    rows: list[list[Any]] = []
    for a in alerts.select_related("node__region"):
        rows.append(
            [
                _("Alert"),
                a.get_kind_display(),
                local(a.created_at),
                a.node.name,
                a.node.region.name,
                a.message,
                _("resolved") if a.resolved_at else _("open"),
            ]
        )
    for s in shipments.select_related("destination__region"):
        rows.append(
            [
                _("Shipment #%(id)s") % {"id": s.pk},
                _("Damaged or missing goods"),
                local(s.arrived_at),
                f"{s.origin.name} → {s.destination.name}",
                s.destination.region.name,
                s.note,
                s.get_status_display(),
            ]
        )
    return download(fmt, export_name(_("problems"), election.name), header, rows)


@login_required
def manifest_import(request: HttpRequest) -> HttpResponse:
    election = current_election(request)
    if election is None or not scoping.can(request.user, "logistics", scoping.CHANGE):
        raise PermissionDenied(_("You may not import manifests."))
    form = ManifestImportForm(request.POST or None, request.FILES or None)
    ctx: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            if import_runs.runs_in_background(data):  # a large file: a job, followed on its page
                return import_runs.start(request, MANIFEST_IMPORT, str(election.pk), data, upload.name)
            created = importers.import_manifest(request.user, election, data, upload.name)
        except ImportFailed as e:
            ctx.update(failure=e.message, errors=e.errors, error_total=e.total)
        else:
            messages.success(request, importers.describe_result({"shipments": created}))
            return redirect("logistics:region", code=election.region_id or settings.SINERGI_HOME_REGION)
    return render(request, "logistics/import.html", ctx)


def manifest_template(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    rows = list(importers.template_rows())
    return download("xlsx" if fmt == "xlsx" else "csv", "template-manifest", rows[0], rows[1:])


@login_required
def receipt_photo(request: HttpRequest, pk: int) -> FileResponse:
    """Receipt photos are served only to those who may see the shipment (never as public media)."""
    shipment = _get_shipment(request, pk)
    receipt = getattr(shipment, "receipt", None)
    if receipt is None or not receipt.photo:
        raise Http404
    return FileResponse(receipt.photo.open("rb"))


@login_required
def catalogue(request: HttpRequest) -> HttpResponse:
    """The items of the election with their rule and what the visible TPS need in all."""
    election = current_election(request)
    if election is None:
        return render(request, "logistics/empty.html")
    items = Item.objects.restrict(request.user).filter(election=election).select_related("contest")
    totals = {r["item"].pk: r for r in selectors.progress(Supply.objects.restrict(request.user), election, None)}
    return render(
        request,
        "logistics/catalogue.html",
        {
            "election": election,
            "rows": [(i, totals.get(i.pk)) for i in items],
            "editable": {i.pk for i in items if scoping.can(request.user, "logistics", scoping.CHANGE, i.region_code)},
        },
    )


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The election's distribution deadlines and overdue tolerances, as dates in its zone; KPU of
    the election's region changes them (risk and overdue alerts follow the new figures)."""
    election = current_election(request)
    if election is None:
        if request.method == "POST":
            raise PermissionDenied(_("Only KPU of the election's region changes its distribution plan."))
        return render(request, "logistics/empty.html")
    current = selectors.plan_of(election)  # deadlines are no secret: whoever sees the election
    can_change = scoping.can(request.user, "logistics", scoping.CHANGE, election.region_id)
    if request.method == "POST" and not can_change:
        raise PermissionDenied(_("Only KPU of the election's region changes its distribution plan."))
    form = None
    if can_change:
        # its own copy: validating a form writes the typed figures onto its instance, and the
        # dates above must stay those of the saved plan
        form = PlanForm(
            request.POST or None, instance=selectors.plan_of(election), initial={"version": current.version}
        )
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                actions.save_plan(request.user, election, data, form.cleaned_data["version"])
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Plan saved; risk and overdue alerts follow the new deadlines."))
                return redirect(f"{reverse('logistics:plan')}?election={election.pk}")
    return render(
        request,
        "logistics/plan.html",
        {
            "election": election,
            "milestones": selectors.plan_milestones(election, current),
            "form": form,
            # the demo's plan is part of its scenario: say so next to the dates
            "plan_badge": provenance.badge([], registry_source=current.source) if current.source_id else None,
        },
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = scoping.get_object_for_user(Item.objects.select_related("election"), request.user, pk=pk)
    if not scoping.can(request.user, "logistics", scoping.CHANGE, item.region_code):
        raise PermissionDenied(_("Only KPU edits the catalogue."))
    form = ItemForm(request.POST or None, instance=item, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            actions.save_item(request.user, item.election, data, item, form.cleaned_data["version"] or item.version)
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(request, _("Item saved; the requirements of every TPS were recomputed."))
            return redirect("logistics:catalogue")
    return render(request, "logistics/item_form.html", {"form": form, "item": item})


@login_required
def stock(request: HttpRequest, pk: int) -> HttpResponse:
    """A KPU warehouse's stock per item, derived from its movements, and the form to record one."""
    warehouse = scoping.get_object_for_user(Node.objects.select_related("region", "election"), request.user, pk=pk)
    if warehouse.level != NodeLevel.WAREHOUSE:
        raise Http404(_("Stock is kept at a KPU warehouse."))
    election = warehouse.election
    can_change = scoping.can(request.user, "logistics", scoping.CHANGE, warehouse.region_id)
    if request.method == "POST" and not can_change:
        raise PermissionDenied(_("Only KPU records the stock of its warehouse."))
    with timezone.override(formats.zone(election)):  # the time is typed and read in the election's zone
        form = StockForm(
            request.POST or None,
            election=election,
            initial={
                "client_id": uuid.uuid4(),
                "at": timezone.localtime(desk_now(election)),
                "kind": StockKind.DELIVERED,
            },
        )
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                entry, warnings = actions.record_stock(
                    request.user,
                    warehouse,
                    d["item"],
                    d["kind"],
                    d["quantity"],
                    d["at"],
                    document=d["document"],
                    note=d["note"],
                    client_id=d["client_id"],
                )
            except ValidationError as e:
                add_action_errors(form, e)
            else:
                messages.success(request, _("Recorded: %(entry)s.") % {"entry": entry})
                for w in warnings:
                    messages.warning(request, w)
                return redirect("logistics:stock", pk=warehouse.pk)
    entries = warehouse.stock.select_related("item", "source").order_by("-at", "-id")[:100]
    demo_source = next((e.source for e in entries if e.source_id), None)
    return render(
        request,
        "logistics/stock.html",
        {
            "warehouse": warehouse,
            "election": election,
            "rows": selectors.stock(election, warehouse),
            "entries": entries,
            "form": form if can_change else None,
            "figures": badge([], None, demo_source),
        },
    )


def _oversight_page(
    request: HttpRequest, pk: int, capability: str, form_class: Any, record: Any, title: str
) -> HttpResponse:
    """The escort and supervision forms: the right is checked before the form is shown."""
    shipment = _get_shipment(request, pk)
    if not scoping.can(request.user, capability, scoping.CHANGE, shipment.destination.region_id):
        raise PermissionDenied(_("You may not record this for this shipment."))
    election = shipment.election
    with timezone.override(formats.zone(election)):  # typed and read in the election's zone
        form = form_class(
            request.POST or None, initial={"client_id": uuid.uuid4(), "at": timezone.localtime(desk_now(election))}
        )

        def save() -> Any:
            data = {k: v for k, v in form.cleaned_data.items()}
            return record(request.user, shipment, **data)

        return form_page(
            request,
            form,
            save,
            lambda obj: reverse("logistics:shipment", args=[shipment.pk]),
            title % {"id": shipment.pk},
            shipment=shipment,
        )


@login_required
def escort_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _oversight_page(
        request, pk, "logistics_escort", EscortForm, actions.record_escort, _("Escort of shipment #%(id)s")
    )


@login_required
def supervision_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _oversight_page(
        request,
        pk,
        "logistics_supervision",
        SupervisionForm,
        actions.record_supervision,
        _("Supervision of shipment #%(id)s"),
    )


@login_required
def field_report(request: HttpRequest, pk: int) -> HttpResponse:
    return _oversight_page(
        request,
        pk,
        "logistics_field",
        FieldReportForm,
        actions.report_from_field,
        _("Report from the field on shipment #%(id)s"),
    )


@login_required
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    """The berita acara serah terima of a received shipment, to print on A4: the packages and
    their condition, what opened boxes held, the loose goods, and the three signatories."""
    shipment = _get_shipment(request, pk)
    receipt = getattr(shipment, "receipt", None)
    if receipt is None:
        raise Http404(_("The shipment has not been received yet."))
    packages = selectors.shipment_packages(shipment)
    found = selectors.found_in_packages(receipt)
    return render(
        request,
        "logistics/handover.html",
        {
            "shipment": shipment,
            "receipt": receipt,
            "packages": packages,
            "opened": [(p, c, found[p.pk]) for p, c in packages if p.pk in found],
            "loose": [
                (line.item, line.quantity - line.packed)
                for line in shipment.lines.select_related("item").order_by("item__order")
                if line.quantity > line.packed
            ],
            "receipt_lines": receipt.lines.select_related("item").order_by("item__order"),
        },
    )


@login_required
def packages(request: HttpRequest, code: str) -> HttpResponse:
    """The sealed packages of a kecamatan or desa with their last reported condition; KPU packs
    the boxes of the area here (a retry packs nothing twice)."""
    region = get_object_or_404(Region, code=code)
    can_pack = region.level >= Level.KECAMATAN and scoping.can(request.user, "logistics", scoping.CHANGE, region.code)
    if request.method == "POST" and not can_pack:
        raise PermissionDenied(_("Only KPU packs the boxes of its area, per kecamatan, desa or TPS."))
    election = current_election(request)
    if election is None:
        return render(request, "logistics/empty.html")
    form = PackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = actions.pack(
                request.user,
                election,
                region=region,
                first_seal=form.cleaned_data["first_seal"],
                seal_prefix=form.cleaned_data["seal_prefix"],
            )
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            messages.success(
                request,
                _("%(n)s boxes packed; %(total)s in %(region)s.")
                % {
                    "n": formats.number(result["packed"]),
                    "total": formats.number(result["packages"]),
                    "region": region.name,
                },
            )
            return redirect("logistics:packages", code=region.code)
    qs = selectors.region_packages(Package.objects.restrict(request.user), election, region)
    rows = selectors.custody(selectors.custody_rows(qs)[:PACKAGE_LIMIT])
    return render(
        request,
        "logistics/packages.html",
        {
            "region": region,
            "election": election,
            "rows": rows,
            "custody": selectors.custody_counts(qs),
            # the boxes of the reader's own area only, when their scope covers part of the region
            "narrowed": not scoping.can(request.user, "logistics", scoping.VIEW, region.code),
            "levels": [(int(level), NodeLevel(level).label) for level in NodeLevel],
            "total": qs.count() if len(rows) == PACKAGE_LIMIT else len(rows),
            "by_condition": selectors.package_conditions(qs),
            "conditions": PackageCondition,
            "form": form if can_pack else None,
            "crumbs": ancestors(region),
        },
    )
