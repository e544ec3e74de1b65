"""API for logistics (mounted at /api/v1/logistics/)."""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from agencies.models import Agency
from core import dates, scoping
from elections.models import Election
from elections.selectors import current_election
from logistics import actions, selectors
from logistics.models import Item, Node, Route, Shipment
from regions.models import Region

router = Router()


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
    code: str
    name: str
    kind: str
    unit: str = "pcs"
    contest_id: int | None = None
    per_voter: bool = False
    reserve_percent: float = Field(2.5, ge=0, le=50)
    per_tps: int = Field(0, ge=0)


@router.get("/items", response=list[ItemOut])
def list_items(request: HttpRequest, election: int | None = None) -> Any:
    return Item.objects.restrict(request.user).filter(election=_election(request, election))


@router.post("/items", response={201: ItemOut})
def create_item(request: HttpRequest, payload: ItemIn, election: int | None = None) -> Any:
    return Status(201, actions.save_item(request.user, _election(request, election), payload.dict()))


class ProgressOut(Schema):
    item_code: str
    item: str
    required: int
    dispatched: int
    received: int
    damaged: int
    missing: int
    shortfall: int
    tps: int
    tps_supplied: int
    percent: float


class RiskOut(Schema):
    node_id: int
    node: str
    level: int
    region_code: str
    reason: str


class RegionProgressOut(Schema):
    region_code: str
    election_id: int
    items: list[ProgressOut]
    levels: list[dict[str, Any]]
    at_risk: list[RiskOut]


@router.get("/progress/{code}", response=RegionProgressOut, summary="Requirements and distribution progress")
def region_progress(request: HttpRequest, code: str, election: int | None = None) -> Any:
    region = get_object_or_404(Region, code=code)
    el = _election(request, election)
    from logistics.models import Supply

    items = selectors.progress(Supply.objects.restrict(request.user), el, region)
    nodes = Node.objects.restrict(request.user)
    risks = selectors.at_risk_nodes(el, region, dates.now(el.timezone), nodes)
    return {
        "region_code": region.code,
        "election_id": el.pk,
        "items": [
            {
                **{
                    k: r[k]
                    for k in ("required", "dispatched", "received", "damaged", "missing", "shortfall", "tps", "percent")
                },
                "item_code": r["item"].code,
                "item": r["item"].name,
                "tps_supplied": r["supplied"],
            }
            for r in items
        ],
        "levels": [{k: v for k, v in lv.items() if k != "label"} for lv in selectors.level_progress(nodes, el, region)],
        "at_risk": [
            {"node_id": n.pk, "node": n.name, "level": n.level, "region_code": n.region_id, "reason": r}
            for n, r in risks
        ],
    }


class NodeOut(Schema):
    id: int
    level: int
    name: str
    region_code: str = Field(..., alias="region_id")
    polling_station_id: int | None
    inbound_mode: str
    inbound_minutes: int


@router.get("/nodes", response=list[NodeOut])
@paginate(LimitOffsetPagination)
def list_nodes(
    request: HttpRequest, region: str | None = None, level: int | None = None, election: int | None = None
) -> Any:
    qs = Node.objects.restrict(request.user).filter(election=_election(request, election)).order_by("region_id", "id")
    if region:
        qs = qs.filter(scoping.subtree_q("region", region))
    if level:
        qs = qs.filter(level=level)
    return qs


class RouteOut(Schema):
    id: int
    origin_id: int
    destination_id: int
    mode: str
    travel_minutes: int


class RouteIn(Schema):
    origin_id: int
    destination_id: int
    mode: str
    travel_minutes: int = Field(..., gt=0)


@router.get("/routes", response=list[RouteOut])
@paginate(LimitOffsetPagination)
def list_routes(request: HttpRequest, region: str | None = None) -> Any:
    qs = Route.objects.restrict(request.user).order_by("id")
    if region:
        qs = qs.filter(scoping.subtree_q("destination__region", region))
    return qs


@router.put("/routes", response=RouteOut)
def save_route(request: HttpRequest, payload: RouteIn) -> Any:
    origin = scoping.get_object_for_user(Node.objects, request.user, pk=payload.origin_id)
    dest = scoping.get_object_for_user(Node.objects, request.user, scoping.CHANGE, pk=payload.destination_id)
    return actions.save_route(request.user, origin, dest, payload.mode, payload.travel_minutes)


class LineOut(Schema):
    item_code: str
    quantity: int

    @staticmethod
    def resolve_item_code(obj: Any) -> str:
        return str(obj.item.code)


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

    @staticmethod
    def resolve_lines(obj: Shipment) -> list[Any]:
        return list(obj.lines.all())  # prefetched with their items (_shipments)


class LineIn(Schema):
    item_code: str
    quantity: int


class ShipmentIn(Schema):
    origin_id: int
    destination_id: int
    lines: list[LineIn]
    is_return: bool = False
    escort_agency_id: int | None = Field(None, description="Polri/TNI agency escorting the goods")
    note: str = ""
    client_id: uuid.UUID | None = None


def _lines(election: Election, lines: list[LineIn]) -> dict[Item, int]:
    items = {i.code: i for i in Item.objects.filter(election=election)}
    unknown = [ln.item_code for ln in lines if ln.item_code not in items]
    if unknown:
        raise ValidationError({"lines": [_("Unknown item %(item)s for this election.") % {"item": c} for c in unknown]})
    return {items[ln.item_code]: ln.quantity for ln in lines}


def _shipments() -> Any:
    """A fixed number of queries (shipments, their lines, the lines' items), however many rows."""
    return Shipment.objects.prefetch_related("lines__item")


@router.get("/shipments", response=list[ShipmentOut])
@paginate(LimitOffsetPagination)
def list_shipments(request: HttpRequest, region: str | None = None, status: str | None = None) -> Any:
    qs = _shipments().restrict(request.user).order_by("-id")
    if region:
        qs = qs.filter(scoping.subtree_q("destination__region", region))
    if status:
        qs = qs.filter(status=status)
    return qs


@router.get("/shipments/{int:shipment_id}", response=ShipmentOut)
def get_shipment(request: HttpRequest, shipment_id: int) -> Any:
    return scoping.get_object_for_user(_shipments(), request.user, pk=shipment_id)


@router.post("/shipments", response={201: ShipmentOut})
def create_shipment(request: HttpRequest, payload: ShipmentIn) -> Any:
    origin = scoping.get_object_for_user(Node.objects.select_related("election"), request.user, pk=payload.origin_id)
    dest = scoping.get_object_for_user(Node.objects, request.user, pk=payload.destination_id)
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
    )
    return Status(201, s)


class DispatchIn(Schema):
    version: int
    dispatched_at: dt.datetime


@router.post("/shipments/{int:shipment_id}/dispatch", response=ShipmentOut)
def dispatch(request: HttpRequest, shipment_id: int, payload: DispatchIn) -> Any:
    s = scoping.get_object_for_user(Shipment.objects.select_related("destination"), request.user, pk=shipment_id)
    return actions.dispatch_shipment(request.user, s, payload.dispatched_at, payload.version)


class ReceiptLineIn(Schema):
    item_code: str
    received: int
    damaged: int = 0
    missing: int = 0


class ReceiptIn(Schema):
    client_id: uuid.UUID = Field(..., description="Generated by the client; a retry with the same id is harmless.")
    received_at: dt.datetime
    receiver: str
    lines: list[ReceiptLineIn]
    note: str = ""


class ReceiptOut(Schema):
    id: int
    shipment_id: int
    client_id: uuid.UUID
    received_at: dt.datetime
    receiver: str
    status: str

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(Shipment.objects.get(pk=obj.shipment_id).status)


@router.post("/shipments/{int:shipment_id}/receipt", response={201: ReceiptOut})
def receive(request: HttpRequest, shipment_id: int, payload: ReceiptIn) -> Any:
    s = scoping.get_object_for_user(
        Shipment.objects.select_related("destination", "election"), request.user, pk=shipment_id
    )
    items = {i.code: i for i in Item.objects.filter(election=s.election)}
    unknown = [ln.item_code for ln in payload.lines if ln.item_code not in items]
    if unknown:
        raise ValidationError({"lines": [_("Unknown item %(item)s for this election.") % {"item": c} for c in unknown]})
    lines = {items[ln.item_code]: (ln.received, ln.damaged, ln.missing) for ln in payload.lines}
    receipt = actions.record_receipt(
        request.user,
        s,
        client_id=payload.client_id,
        received_at=payload.received_at,
        receiver=payload.receiver,
        lines=lines,
        note=payload.note,
    )
    return Status(201, receipt)
