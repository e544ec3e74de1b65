"""API for logistics (mounted at /api/v1/logistics/)."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from agencies.models import Agency
from core import dates, scoping
from core.api import BoundedPagination, Id
from elections.models import Contest, Election
from elections.selectors import current_election
from logistics import actions, rules, selectors
from logistics.models import (
    FieldReportKind,
    Item,
    ItemKind,
    Node,
    NodeLevel,
    Package,
    PackageCondition,
    Route,
    Shipment,
    StockKind,
    SupervisionFinding,
    SupervisionStage,
    TransportMode,
)
from regions.models import PollingStation, Region

router = Router()
MAX_LINES = 200
MAX_PACKAGES = 5000  # a kecamatan's boxes (Kukar's largest has a few hundred TPS, two contests)


def _election(request: HttpRequest, election_id: int | None) -> Election:
    found = current_election(request, election_id)
    if found is None:
        raise Http404(_("No election."))
    return found


class ItemOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    unit: str
    contest_id: int | None
    per_voter: bool
    reserve_percent: float
    per_tps: int
    version: int


class ItemIn(Schema):
    code: str = Field(..., min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=150)
    kind: ItemKind
    unit: str = Field("pcs", min_length=1, max_length=20)
    contest_id: Id | None = None
    per_voter: bool = False
    reserve_percent: float = Field(2.5, ge=0, le=50, allow_inf_nan=False)
    per_tps: int = Field(0, ge=0, le=rules.MAX_QUANTITY)


@router.get("/items", response=list[ItemOut])
def list_items(request: HttpRequest, election: Id | None = None) -> Any:
    return Item.objects.restrict(request.user).filter(election=_election(request, election))


@router.post("/items", response={201: ItemOut})
def create_item(request: HttpRequest, payload: ItemIn, election: Id | None = None) -> Any:
    el = _election(request, election)
    data = payload.dict()
    if data["contest_id"] is not None and not Contest.objects.filter(pk=data["contest_id"], election=el).exists():
        raise ValidationError(
            {"contest_id": [_("There is no contest %(id)s in this election.") % {"id": data["contest_id"]}]}
        )
    return Status(201, actions.save_item(request.user, el, data))


class LevelDamageOut(Schema):
    level: int
    damaged: int
    missing: int


class ProgressOut(Schema):
    item_code: str
    item: str
    required: int
    dispatched: int
    received: int
    damaged: int = Field(description="Damaged on arrival at the TPS (the TPS's own receipts).")
    missing: int = Field(description="Missing on arrival at the TPS.")
    shortfall: int
    tps: int
    tps_supplied: int
    percent: float
    reported_by_level: list[LevelDamageOut] = Field(
        description="Damaged and missing as reported on the receipts at each level that receives goods "
        "(2 PPK, 3 PPS, 4 KPPS), in the region's subtree."
    )


class RiskOut(Schema):
    node_id: int
    node: str
    level: int
    region_code: str
    reason: str
    due_at: dt.datetime | None = Field(None, description="The TPS deadline, or the target derived from it above")
    latest_safe_dispatch: dt.datetime | None = Field(
        None, description="Due time - safety margin - travel time (2000-01-01: no scheduled departure makes it)"
    )
    tps_waiting: int
    voters_waiting: int


class OverdueOut(Schema):
    shipment_id: int
    destination_id: int
    destination: str
    region_code: str
    mode: str
    expected_arrival: dt.datetime
    overdue_since: dt.datetime
    tps_waiting: int
    voters_waiting: int


class AlertOut(Schema):
    id: int
    kind: str
    node_id: int
    node: str
    region_code: str
    message: str
    raised_at: dt.datetime
    tps_waiting: int
    voters_waiting: int


class CustodyWayOut(Schema):
    on_the_way: int
    arrived: int = Field(description="Arrived, the berita acara not signed yet.")
    held: dict[str, int] = Field(description="Held per level of the holder (1 warehouse, 2 PPK, 3 PPS, 4 KPPS).")


class CustodyOut(Schema):
    warehouse: int = Field(description="Sealed boxes never dispatched: at the KPU warehouse.")
    down: CustodyWayOut
    back: CustodyWayOut = Field(description="Boxes on their way back up after the count.")


class AffectedRouteOut(Schema):
    route_id: int
    destination_id: int
    destination: str
    region_code: str
    condition: str = Field(description="flood, low_water or rapids")
    since: dt.datetime | None
    note: str
    alternative_in_use: bool = Field(description="The plan goes by the alternative legs while the condition holds.")


class RegionProgressOut(Schema):
    region_code: str
    election_id: int
    as_of: dt.datetime
    items: list[ProgressOut]
    levels: list[dict[str, Any]]
    at_risk: list[RiskOut]
    at_risk_total: int
    overdue: list[OverdueOut]
    overdue_total: int
    alerts: list[AlertOut] = Field(description="Open alerts (at risk, overdue, damage, late, custody), newest first.")
    alerts_total: int
    packages: dict[str, int] = Field(
        description="Sealed boxes by their condition at the last hand-over: total, intact, wet, seal_broken, "
        "missing, and none (not handed over yet)."
    )
    custody: CustodyOut
    routes_affected: list[AffectedRouteOut]
    routes_affected_total: int


@router.get("/progress/{code}", response=RegionProgressOut, summary="Requirements and distribution progress")
def region_progress(
    request: HttpRequest, code: str, election: Id | None = None, limit: int = Query(100, ge=1, le=1000)
) -> Any:
    """A region's logistics as its page shows them, to the caller's scope: per item progress with
    the damage reported at every level, and the first ``limit`` nodes at risk, overdue shipments
    and open alerts (with their totals), each with the TPS and voters waiting below it."""
    region = get_object_or_404(Region, code=code)
    el = _election(request, election)
    now = dates.now(el.timezone)

    def restrict(qs: Any) -> Any:
        return qs.restrict(request.user)

    status = selectors.region_status(el, region, now, restrict, limit=limit, alert_limit=limit)
    return status_json(status, el, region, now)


def status_json(status: selectors.RegionStatus, election: Election, region: Region, now: dt.datetime) -> dict[str, Any]:
    """The API's and ``logistics_status --json``'s shape of a region's status."""
    none = {"tps": 0, "dpt": 0}

    def waiting(node_id: int) -> dict[str, int]:
        w = status.reach.get(node_id, none)
        return {"tps_waiting": w["tps"], "voters_waiting": w["dpt"]}

    def by_level(reported: dict[str, Any] | None) -> list[dict[str, int]]:
        rows = reported["level_rows"] if reported else [{"damaged": 0, "missing": 0}] * len(selectors.RECEIVING_LEVELS)
        return [{"level": int(lv), **row} for lv, row in zip(selectors.RECEIVING_LEVELS, rows, strict=True)]

    return {
        "region_code": region.code,
        "election_id": election.pk,
        "as_of": now,
        "items": [
            {
                **{
                    k: r[k]
                    for k in ("required", "dispatched", "received", "damaged", "missing", "shortfall", "tps", "percent")
                },
                "item_code": r["item"].code,
                "item": r["item"].name,
                "tps_supplied": r["supplied"],
                "reported_by_level": by_level(r["reported"]),
            }
            for r in status.items
        ],
        "levels": [{k: v for k, v in lv.items() if k != "label"} for lv in status.levels],
        "at_risk": [
            {
                "node_id": n.pk,
                "node": n.name,
                "level": n.level,
                "region_code": n.region_id,
                "reason": r,
                "due_at": n.due_at,
                "latest_safe_dispatch": n.inbound_depart_by,
                **waiting(n.pk),
            }
            for n, r in status.risks.rows
        ],
        "at_risk_total": status.risks.total,
        "overdue": [
            {
                "shipment_id": o.shipment.pk,
                "destination_id": o.shipment.destination_id,
                "destination": o.shipment.destination.name,
                "region_code": o.shipment.destination.region_id,
                "mode": o.shipment.destination.inbound_mode,
                "expected_arrival": o.shipment.expected_arrival,
                "overdue_since": o.since,
                **waiting(o.shipment.destination_id),
            }
            for o in status.overdue.rows
        ],
        "overdue_total": status.overdue.total,
        "alerts": [
            {
                "id": a.pk,
                "kind": a.kind,
                "node_id": a.node_id,
                "node": a.node.name,
                "region_code": a.node.region_id,
                "message": a.message,
                "raised_at": a.created_at,
                **waiting(a.node_id),
            }
            for a in status.alerts.rows
        ],
        "alerts_total": status.alerts.total,
        "packages": {"total": sum(status.packages.values()), **status.packages},
        "routes_affected": [
            {
                "route_id": r.pk,
                "destination_id": r.destination_id,
                "destination": r.destination.name,
                "region_code": r.destination.region_id,
                "condition": r.condition,
                "since": r.condition_since,
                "note": r.condition_note,
                "alternative_in_use": r.uses_alternative,
            }
            for r in status.routes_affected.rows
        ],
        "routes_affected_total": status.routes_affected.total,
        "custody": {
            "warehouse": status.custody["warehouse"],
            **{
                way: {**status.custody[way], "held": {str(lv): n for lv, n in status.custody[way]["held"].items()}}
                for way in ("down", "back")
            },
        },
    }


class NodeOut(Schema):
    id: int
    level: int
    name: str
    region_code: str = Field(..., alias="region_id")
    polling_station_id: int | None
    inbound_mode: str
    inbound_minutes: int
    due_at: dt.datetime | None = Field(
        ..., description="When goods must be here: the TPS deadline, or a target derived back from it above the TPS"
    )
    inbound_depart_by: dt.datetime | None = Field(
        ...,
        description="The latest safe dispatch towards the node: due time - safety margin - travel time, or the last "
        "scheduled departure that makes it (2000-01-01 when none does); null without a route",
    )


@router.get("/nodes", response=list[NodeOut])
@paginate(BoundedPagination)
def list_nodes(
    request: HttpRequest,
    region: str | None = None,
    level: int | None = Query(None, ge=1, le=9),
    election: Id | None = None,
) -> Any:
    qs = Node.objects.restrict(request.user).filter(election=_election(request, election)).order_by("region_id", "id")
    if region:
        qs = qs.filter(scoping.subtree_q("region", region))
    if level:
        qs = qs.filter(level=level)
    return qs


class LegOut(Schema):
    position: int
    mode: str
    minutes: int
    start_point: str
    end_point: str
    transfer_minutes: int
    scheduled: bool
    departures: list[str] = Field(..., description='Weekly "mon 07:00" or once "2024-11-25 08:00", election zone')

    @staticmethod
    def resolve_scheduled(obj: Any) -> bool:
        return bool(obj.departures)


class RouteSourceOut(Schema):
    """Where a route comes from when it is not a user's entry (the demo's: illustrative)."""

    status: str = Field(..., description="official, estimated or illustrative")
    publisher: str
    title: str
    as_of: str
    url: str
    note: str


class RouteOut(Schema):
    id: int
    origin_id: int
    destination_id: int
    mode: str = Field(..., description="The transport whose overdue tolerance applies (of the usual legs)")
    travel_minutes: int = Field(..., description="Travel and transshipment time of the usual legs")
    legs: list[LegOut] = Field(..., description="The usual legs, in order (one for a single-transport route)")
    alternative: list[LegOut] = Field(..., description="The legs used while a condition holds")
    condition: str
    condition_note: str
    condition_since: dt.datetime | None
    uses_alternative: bool = Field(..., description="The plan goes by the alternative legs now")
    provenance: RouteSourceOut | None = Field(
        ..., description="Set when the election's logistics records are a scenario (the demo's); null: users' entries"
    )

    @staticmethod
    def resolve_provenance(obj: Any) -> dict[str, Any] | None:
        plan = getattr(obj.destination.election, "logistics_plan", None)
        return plan.source.as_dict() if plan is not None and plan.source is not None else None

    @staticmethod
    def resolve_legs(obj: Any) -> list[Any]:
        return obj.main_legs  # type: ignore[no-any-return]

    @staticmethod
    def resolve_alternative(obj: Any) -> list[Any]:
        return obj.alternative_legs  # type: ignore[no-any-return]


class LegIn(Schema):
    mode: str = Field(..., max_length=12, description="One of: " + ", ".join(TransportMode.values))
    minutes: int = Field(
        ..., ge=rules.MIN_TRAVEL_MINUTES, le=rules.MAX_TRAVEL_MINUTES, description="1 minute to 30 days"
    )
    start_point: str = Field("", max_length=120, description='Transshipment point, e.g. "dermaga Kota Bangun"')
    end_point: str = Field("", max_length=120)
    transfer_minutes: int = Field(0, ge=0, le=rules.MAX_TRAVEL_MINUTES, description="Time at the start point before")
    scheduled: bool = Field(False, description="Leaves only at its departures (then at least one is needed)")
    departures: list[str] = Field(
        [],
        max_length=rules.MAX_DEPARTURES,
        description='"Senin 07.00" / "mon 07:00" every week, or "2024-11-25 08:00" once, election zone',
    )


class RouteIn(Schema):
    origin_id: Id
    destination_id: Id
    mode: str | None = Field(None, max_length=12, description="One of: " + ", ".join(TransportMode.values))
    travel_minutes: int | None = Field(
        None, ge=rules.MIN_TRAVEL_MINUTES, le=rules.MAX_TRAVEL_MINUTES, description="1 minute to 30 days"
    )
    legs: list[LegIn] | None = Field(None, max_length=rules.MAX_LEGS, description="Instead of mode and travel time")
    alternative: list[LegIn] | None = Field(
        None, max_length=rules.MAX_LEGS, description="Legs used while a condition holds; [] removes them"
    )


class RouteConditionIn(Schema):
    condition: str = Field(..., max_length=10, description="flood, low_water, rapids, or empty when passable")
    note: str = Field("", max_length=300)
    since: dt.datetime | None = Field(None, description="Default: now")


def _routes() -> Any:
    # the plan's source comes along in the same query: no query per route for its provenance
    return Route.objects.select_related("destination__election__logistics_plan__source").prefetch_related("legs")


@router.get("/routes", response=list[RouteOut])
@paginate(BoundedPagination)
def list_routes(request: HttpRequest, region: str | None = None) -> Any:
    qs = _routes().restrict(request.user).order_by("id")
    if region:
        qs = qs.filter(scoping.subtree_q("destination__region", region))
    return qs


@router.put("/routes", response=RouteOut)
def save_route(request: HttpRequest, payload: RouteIn) -> Any:
    origin = scoping.get_object_for_user(Node.objects, request.user, pk=payload.origin_id)
    dest = scoping.get_object_for_user(Node.objects, request.user, scoping.CHANGE, pk=payload.destination_id)
    route = actions.save_route(
        request.user,
        origin,
        dest,
        payload.mode,
        payload.travel_minutes,
        legs=None if payload.legs is None else [_leg_dict(leg) for leg in payload.legs],
        alternative=None if payload.alternative is None else [_leg_dict(leg) for leg in payload.alternative],
    )
    return _routes().get(pk=route.pk)


def _leg_dict(leg: LegIn) -> dict[str, Any]:
    data = leg.dict()
    if not data["departures"] and not data["scheduled"]:
        del data["departures"]
    return data  # type: ignore[no-any-return]


@router.post("/routes/{int:route_id}/condition", response=RouteOut, summary="Flood, low water or rapids on a route")
def route_condition(request: HttpRequest, route_id: Id, payload: RouteConditionIn) -> Any:
    route = scoping.get_object_for_user(
        Route.objects.select_related("destination", "destination__election"),
        request.user,
        scoping.CHANGE,
        pk=route_id,
    )
    actions.set_route_condition(request.user, route, payload.condition, payload.note, payload.since)
    return _routes().get(pk=route.pk)


class LineOut(Schema):
    item_code: str
    quantity: int

    @staticmethod
    def resolve_item_code(obj: Any) -> str:
        return str(obj.item.code)


class ContentOut(Schema):
    item_code: str = Field(..., alias="item.code")
    quantity: int


class PackageOut(Schema):
    id: int
    label: str
    seal_number: str = Field(..., description="The seal now; on a shipment, the one the box travelled under on it")
    resealed: bool = Field(False, description="On a shipment: the box got this new seal on this leg")
    contest_id: int
    polling_station_id: int
    region_code: str = Field(..., alias="region_id")
    contents: list[ContentOut]
    condition: str | None = Field(
        None, description="At its last hand-over (on a shipment: at this shipment's receipt); null before."
    )

    @staticmethod
    def resolve_contents(obj: Any) -> list[Any]:
        return list(obj.contents.all())


class ShipmentOut(Schema):
    id: int
    origin_id: int
    destination_id: int
    status: str
    is_return: bool
    replacement_for_id: int | None
    escort_id: int | None
    dispatched_at: dt.datetime | None
    expected_arrival: dt.datetime | None
    version: int
    lines: list[LineOut]
    packages: list[PackageOut]

    @staticmethod
    def resolve_lines(obj: Shipment) -> list[Any]:
        return list(obj.lines.all())  # prefetched with their items (_shipments)

    @staticmethod
    def resolve_packages(obj: Shipment) -> list[Any]:
        receipt = getattr(obj, "receipt", None)
        reported = {rp.package_id: rp.condition for rp in receipt.packages.all()} if receipt else {}
        out = []
        for sp in obj.packages.all():  # prefetched with their contents (_shipments)
            sp.package.condition = reported.get(sp.package_id)  # type: ignore[attr-defined]
            sp.package.seal_number = sp.seal_number or sp.package.seal_number
            sp.package.resealed = sp.resealed  # type: ignore[attr-defined]
            out.append(sp.package)
        return out


class LineIn(Schema):
    item_code: str = Field(..., max_length=40)
    quantity: int = Field(..., ge=1, le=rules.MAX_QUANTITY)


class NewSealIn(Schema):
    package_id: Id
    seal_number: str = Field(..., max_length=40)


class ShipmentIn(Schema):
    origin_id: Id
    destination_id: Id
    lines: list[LineIn] = Field(
        [], max_length=MAX_LINES, description="Loose goods; a shipment has lines, packages or both"
    )
    is_return: bool = False
    escort_agency_id: Id | None = Field(None, description="Polri/TNI agency escorting the goods")
    note: str = Field("", max_length=500)
    client_id: uuid.UUID | None = None
    package_ids: list[Id] = Field(
        [], max_length=MAX_PACKAGES, description="Sealed packages carried (their contents join the lines)"
    )
    new_seals: list[NewSealIn] = Field(
        [],
        max_length=MAX_PACKAGES,
        description="New seals on carried boxes that were opened: after counting (a KPPS sending them back), "
        "or a wet box or one with a broken seal repacked by its holder",
    )


def _items(election: Election, codes: list[str]) -> dict[str, Item]:
    """The election's items by code; an unknown code or one named twice is refused."""
    items = {i.code: i for i in Item.objects.filter(election=election)}
    errors = [_("Unknown item %(item)s for this election.") % {"item": c} for c in codes if c not in items]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    errors += [_("Item %(item)s appears more than once; send one line per item.") % {"item": c} for c in twice]
    if errors:
        raise ValidationError({"lines": errors})
    return items


def _lines(election: Election, lines: list[LineIn]) -> dict[Item, int]:
    items = _items(election, [ln.item_code for ln in lines])
    return {items[ln.item_code]: ln.quantity for ln in lines}


def _shipments() -> Any:
    """A fixed number of queries (shipments, their lines and packages with what those hold, the
    receipt's package conditions), however many rows."""
    return Shipment.objects.prefetch_related("lines__item", "packages__package__contents__item", "receipt__packages")


@router.get("/shipments", response=list[ShipmentOut])
@paginate(BoundedPagination)
def list_shipments(request: HttpRequest, region: str | None = None, status: str | None = None) -> Any:
    qs = _shipments().restrict(request.user).order_by("-id")
    if region:
        qs = qs.filter(scoping.subtree_q("destination__region", region))
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/shipments/{int:shipment_id}", response=ShipmentOut)
def get_shipment(request: HttpRequest, shipment_id: Id) -> Any:
    return scoping.get_object_for_user(_shipments(), request.user, pk=shipment_id)


@router.post("/shipments", response={201: ShipmentOut})
def create_shipment(request: HttpRequest, payload: ShipmentIn) -> Any:
    origin = scoping.get_object_for_user(Node.objects.select_related("election"), request.user, pk=payload.origin_id)
    dest = scoping.get_object_for_user(Node.objects, request.user, pk=payload.destination_id)
    packages = list(Package.objects.restrict(request.user).filter(pk__in=payload.package_ids))
    unknown = sorted(set(payload.package_ids) - {p.pk for p in packages})
    if unknown:
        raise ValidationError({"package_ids": [_("Unknown package %(id)s.") % {"id": ", ".join(map(str, unknown))}]})
    escort = None
    if payload.escort_agency_id is not None:
        escort = scoping.get_object_for_user(Agency.objects, request.user, pk=payload.escort_agency_id)
    s = actions.create_shipment(
        request.user,
        origin.election,
        origin,
        dest,
        _lines(origin.election, payload.lines),
        is_return=payload.is_return,
        escort=escort,
        note=payload.note,
        client_id=payload.client_id,
        packages=packages,
        new_seals=_new_seals(payload.new_seals),
    )
    return Status(201, _shipments().get(pk=s.pk))


def _new_seals(rows: list[NewSealIn]) -> dict[int, str]:
    ids = [r.package_id for r in rows]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise ValidationError(
            {
                "new_seals": [
                    _("Package #%(id)s appears more than once; give each box one new seal.") % {"id": i} for i in twice
                ]
            }
        )
    return {r.package_id: r.seal_number for r in rows}


class DispatchIn(Schema):
    version: Id
    dispatched_at: dt.datetime


@router.post("/shipments/{int:shipment_id}/dispatch", response=ShipmentOut)
def dispatch(request: HttpRequest, shipment_id: Id, payload: DispatchIn) -> Any:
    s = scoping.get_object_for_user(Shipment.objects.select_related("destination"), request.user, pk=shipment_id)
    return actions.dispatch_shipment(request.user, s, payload.dispatched_at, payload.version)


class ReceiptLineIn(Schema):
    item_code: str = Field(..., max_length=40)
    received: int = Field(..., ge=0, le=rules.MAX_QUANTITY)
    damaged: int = Field(0, ge=0, le=rules.MAX_QUANTITY)
    missing: int = Field(0, ge=0, le=rules.MAX_QUANTITY)


class FoundIn(Schema):
    item_code: str = Field(..., max_length=40)
    good: int = Field(..., ge=0, le=rules.MAX_QUANTITY)
    damaged: int = Field(0, ge=0, le=rules.MAX_QUANTITY)


class PackageReceiptIn(Schema):
    package_id: Id
    condition: str = Field(..., max_length=20, description="One of: " + ", ".join(PackageCondition.values))
    found: list[FoundIn] = Field(
        [], max_length=MAX_LINES, description="A wet box or one with a broken seal: what was inside when opened"
    )


class ReceiptIn(Schema):
    client_id: uuid.UUID = Field(..., description="Generated by the client; a retry with the same id is harmless.")
    received_at: dt.datetime
    receiver: str = Field(..., min_length=1, max_length=150)
    lines: list[ReceiptLineIn] = Field(..., max_length=MAX_LINES, description="The loose goods, counted")
    packages: list[PackageReceiptIn] = Field([], max_length=MAX_PACKAGES, description="Each sealed package")
    supervisor: str = Field("", max_length=150, description="Bawaslu's supervisor who signs the berita acara")
    escort_officer: str = Field("", max_length=150, description="The escorting officer who signs it")
    note: str = Field("", max_length=500)


class ReceiptPackageOut(Schema):
    package_id: int
    seal_number: str = Field(..., alias="package.seal_number")
    condition: str


class ReceiptOut(Schema):
    id: int
    shipment_id: int
    client_id: uuid.UUID
    received_at: dt.datetime
    receiver: str
    supervisor: str
    escort_officer: str
    status: str
    packages: list[ReceiptPackageOut]

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(Shipment.objects.get(pk=obj.shipment_id).status)

    @staticmethod
    def resolve_packages(obj: Any) -> list[Any]:
        return list(obj.packages.select_related("package").order_by("package_id"))


@router.post("/shipments/{int:shipment_id}/receipt", response={201: ReceiptOut})
def receive(request: HttpRequest, shipment_id: Id, payload: ReceiptIn) -> Any:
    s = scoping.get_object_for_user(
        Shipment.objects.select_related("destination", "election"), request.user, pk=shipment_id
    )
    items = _items(s.election, [ln.item_code for ln in payload.lines])
    lines = {items[ln.item_code]: (ln.received, ln.damaged, ln.missing) for ln in payload.lines}
    known = {i.code: i for i in Item.objects.filter(election=s.election)}
    errors = []
    reports: dict[int, Any] = {}
    for p in payload.packages:
        if p.package_id in reports:
            errors.append(_("Package #%(id)s appears more than once; report each box once.") % {"id": p.package_id})
        unknown = [f.item_code for f in p.found if f.item_code not in known]
        errors += [_("Unknown item %(item)s for this election.") % {"item": c} for c in unknown]
        found = {known[f.item_code].pk: (f.good, f.damaged) for f in p.found if f.item_code in known}
        reports[p.package_id] = (p.condition, found or None)
    if errors:
        raise ValidationError({"packages": errors})
    receipt = actions.record_receipt(
        request.user,
        s,
        client_id=payload.client_id,
        received_at=payload.received_at,
        receiver=payload.receiver,
        lines=lines,
        note=payload.note,
        packages=reports,
        supervisor=payload.supervisor,
        escort_officer=payload.escort_officer,
    )
    return Status(201, receipt)


# --- warehouse stock ---


class StockRowOut(Schema):
    item_code: str
    item: str
    needed: int
    delivered: int
    damaged: int
    requested: int
    replaced: int
    reserved: int
    good: int
    spares: int
    pending: int
    uncovered: int
    procured_by: str


class StockIn(Schema):
    item_code: str = Field(..., min_length=1, max_length=40)
    kind: StockKind
    quantity: int = Field(..., ge=1, le=rules.MAX_QUANTITY)
    at: dt.datetime
    document: str = Field("", max_length=100)
    note: str = Field("", max_length=500)
    client_id: uuid.UUID | None = None


class StockEntryOut(Schema):
    id: int
    item_code: str = Field(..., alias="item.code")
    kind: str
    quantity: int
    at: dt.datetime
    document: str
    requested_from: str
    warnings: list[str] = []


def _warehouse(request: HttpRequest, warehouse_id: int) -> Node:
    node = scoping.get_object_for_user(Node.objects.select_related("election", "region"), request.user, pk=warehouse_id)
    if node.level != NodeLevel.WAREHOUSE:
        raise Http404(_("Stock is kept at a KPU warehouse."))
    return node


@router.get("/warehouses/{int:warehouse_id}/stock", response=list[StockRowOut], summary="A warehouse's stock per item")
def get_stock(request: HttpRequest, warehouse_id: Id) -> Any:
    node = _warehouse(request, warehouse_id)
    return [
        {**{k: v for k, v in r.items() if k != "item"}, "item_code": r["item"].code, "item": r["item"].name}
        for r in selectors.stock(node.election, node)
    ]


@router.post("/warehouses/{int:warehouse_id}/stock", response={201: StockEntryOut}, summary="Record a stock movement")
def post_stock(request: HttpRequest, warehouse_id: Id, payload: StockIn) -> Any:
    node = _warehouse(request, warehouse_id)
    item = Item.objects.filter(election=node.election, code=payload.item_code).first()
    if item is None:
        raise ValidationError(
            {"item_code": [_("Unknown item %(item)s for this election.") % {"item": payload.item_code}]}
        )
    entry, warnings = actions.record_stock(
        request.user,
        node,
        item,
        payload.kind,
        payload.quantity,
        payload.at,
        document=payload.document,
        note=payload.note,
        client_id=payload.client_id,
    )
    entry.warnings = warnings  # type: ignore[attr-defined]
    return Status(201, entry)


# --- escort and supervision ---


class EscortIn(Schema):
    officer: str = Field(..., min_length=1, max_length=150)
    personnel: int = Field(..., ge=1, le=actions.MAX_PERSONNEL)
    vehicle: str = Field("", max_length=150)
    at: dt.datetime
    note: str = Field("", max_length=500)
    client_id: uuid.UUID | None = None


class EscortOut(Schema):
    id: int
    unit: str = Field(..., alias="agency.name")
    officer: str
    personnel: int
    vehicle: str
    at: dt.datetime
    note: str


class SupervisionIn(Schema):
    supervisor: str = Field(..., min_length=1, max_length=150)
    stage: SupervisionStage
    finding: SupervisionFinding
    at: dt.datetime
    note: str = Field("", max_length=500)
    client_id: uuid.UUID | None = None


class SupervisionOut(Schema):
    id: int
    unit: str = Field(..., alias="agency.name")
    supervisor: str
    stage: str
    finding: str
    at: dt.datetime
    note: str


class FieldReportOut(Schema):
    id: int
    unit: str = Field(..., alias="agency.name")
    kind: str
    message: str
    at: dt.datetime


class OversightOut(Schema):
    escorts: list[EscortOut]
    supervisions: list[SupervisionOut]
    field_reports: list[FieldReportOut]


@router.get("/shipments/{int:shipment_id}/oversight", response=OversightOut, summary="Escorts and supervisions")
def get_oversight(request: HttpRequest, shipment_id: Id) -> Any:
    return selectors.oversight(scoping.get_object_for_user(_shipments(), request.user, pk=shipment_id))


@router.post("/shipments/{int:shipment_id}/escort", response={201: EscortOut}, summary="A Polri/TNI unit's escort")
def post_escort(request: HttpRequest, shipment_id: Id, payload: EscortIn) -> Any:
    shipment = scoping.get_object_for_user(_shipments(), request.user, pk=shipment_id)
    return Status(201, actions.record_escort(request.user, shipment, **payload.dict()))


@router.post(
    "/shipments/{int:shipment_id}/supervision", response={201: SupervisionOut}, summary="Bawaslu's supervision"
)
def post_supervision(request: HttpRequest, shipment_id: Id, payload: SupervisionIn) -> Any:
    shipment = scoping.get_object_for_user(_shipments(), request.user, pk=shipment_id)
    data = payload.dict()
    data["stage"], data["finding"] = str(payload.stage.value), str(payload.finding.value)
    return Status(201, actions.record_supervision(request.user, shipment, **data))


class FieldReportIn(Schema):
    kind: FieldReportKind
    message: str = Field("", max_length=500)
    at: dt.datetime
    client_id: uuid.UUID | None = None


@router.post(
    "/shipments/{int:shipment_id}/field-report", response={201: FieldReportOut}, summary="The camat's or kades' report"
)
def post_field_report(request: HttpRequest, shipment_id: Id, payload: FieldReportIn) -> Any:
    shipment = scoping.get_object_for_user(_shipments(), request.user, pk=shipment_id)
    data = payload.dict()
    data["kind"] = str(payload.kind.value)
    return Status(201, actions.report_from_field(request.user, shipment, **data))


# --- sealed packages ---


class PackIn(Schema):
    region: str | None = Field(None, max_length=13, description="A kecamatan or desa code (all its TPS)")
    tps_id: Id | None = Field(None, description="Or one TPS")
    first_seal: int = Field(..., ge=1, le=rules.MAX_SEAL, description="The first number of the roll of seals")
    seal_prefix: str = Field("", max_length=20)


class PackOut(Schema):
    packed: int = Field(..., description="Boxes packed now (0 on a retry)")
    packages: int = Field(..., description="Boxes of the area in all")


@router.post("/packages/pack", response={201: PackOut}, summary="Pack the sealed boxes of a TPS, desa or kecamatan")
def post_pack(request: HttpRequest, payload: PackIn, election: Id | None = None) -> Any:
    el = _election(request, election)
    if (payload.region is None) == (payload.tps_id is None):
        raise ValidationError({"region": [_("Name either a kecamatan or desa, or one TPS.")]})
    if payload.tps_id is not None:
        tps = scoping.get_object_for_user(PollingStation.objects, request.user, pk=payload.tps_id)
        result = actions.pack(
            request.user, el, polling_station=tps, first_seal=payload.first_seal, seal_prefix=payload.seal_prefix
        )
    else:
        region = get_object_or_404(Region, code=payload.region)
        result = actions.pack(
            request.user, el, region=region, first_seal=payload.first_seal, seal_prefix=payload.seal_prefix
        )
    return Status(201, result)


@router.get("/packages", response=list[PackageOut], summary="Sealed packages of a region with their condition")
@paginate(BoundedPagination)
def list_packages(request: HttpRequest, region: str = Query(..., max_length=13), election: Id | None = None) -> Any:
    found = get_object_or_404(Region, code=region)
    qs = Package.objects.restrict(request.user).prefetch_related("contents__item")
    return selectors.region_packages(qs, _election(request, election), found)
