"""API for regions and the TPS registry (mounted in sinergi/api.py)."""

import json
import math
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import create_model

from core import scoping, stampcache, stamps
from core.api import BoundedPagination, Id
from elections.models import Election
from elections.selectors import current_election
from regions import actions, selectors, summaries
from regions.boundaries import feature_collection
from regions.filtersets import PollingStationFilterSet
from regions.importers import TPS_SPEC
from regions.models import AccessMode, PollingStation, Region

router = Router()
tps_router = Router()
public_router = Router(auth=None)


class RegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    parent_code: str | None = Field(None, alias="parent_id")
    lat: float | None
    lng: float | None


class RegionTreeOut(RegionOut):
    ancestors: list[RegionOut]
    children: list[RegionOut] = Field(..., alias="children_list")


@router.get("/", response=list[RegionOut], summary="Provinces (the top of the tree)")
def list_provinces(request: HttpRequest) -> Any:
    return Region.objects.filter(level=1)


@router.get("/provinces.geojson", summary="Boundaries of all provinces, with TPS and DPT totals")
def provinces_geojson(request: HttpRequest, election: Id | None = None) -> Any:
    el = current_election(request, election)
    _, stats = summaries.region_totals(el, "")  # public figures: never narrowed to the viewer's scope
    codes = list(Region.objects.filter(level=1).values_list("code", flat=True))
    return feature_collection(codes, 1, stats)


@router.get("/{code}", response=RegionTreeOut, summary="A region with its ancestors and children")
def get_region(request: HttpRequest, code: str) -> Any:
    region = get_object_or_404(Region, code=code)
    region.ancestors = selectors.ancestors(region)  # type: ignore[attr-defined]
    region.children_list = list(region.children.all())  # type: ignore[attr-defined]
    return region


@router.get("/{code}/children", response=list[RegionOut])
def get_children(request: HttpRequest, code: str) -> Any:
    region = get_object_or_404(Region, code=code)
    return region.children.all()


@router.get("/{code}/children.geojson", summary="Boundaries of the children, with TPS and DPT totals")
def children_geojson(request: HttpRequest, code: str, election: Id | None = None) -> Any:
    region = get_object_or_404(Region, code=code)
    el = current_election(request, election)
    _, stats = summaries.region_totals(el, region.code)  # public figures: never narrowed
    codes = list(region.children.values_list("code", flat=True))
    return feature_collection(codes, region.level + 1, stats)


# --- TPS -----------------------------------------------------------------------------------


# The TPS schemas derive from the one TPS spec (regions.importers.TPS_SPEC): a field added
# there appears in the import, the export, the edit form and here.
if TYPE_CHECKING:  # built at run time from the spec; to mypy the payloads are Any
    TpsOut = Any
    TpsIn = Any
    TpsPatch = Any
else:
    TpsOut = create_model(
        "TpsOut",
        __base__=Schema,
        id=(int, ...),
        election_id=(int, ...),
        **TPS_SPEC.schema_fields(mode="out"),
        dpt=(int, ...),
        version=(int, ...),
    )
    TpsIn = create_model(
        "TpsIn",
        __base__=Schema,
        election_id=(int, ...),
        **TPS_SPEC.schema_fields(),
    )
    TpsPatch = create_model(
        "TpsPatch",
        __base__=Schema,
        version=(int, Field(..., description="The version you read; a newer one on the server is a conflict (409).")),
        **TPS_SPEC.schema_fields(mode="patch", exclude=("village", "number")),
    )


class TpsFilter(FilterSchema):
    election: Id | None = None
    region: str | None = Field(None, description="Region code: TPS in its subtree")
    access_mode: AccessMode | None = None
    special_location: bool | None = None
    q: str | None = Field(
        None, description="Search: address, desa or kecamatan name, region code (its subtree), TPS number"
    )


@tps_router.get("/", response=list[TpsOut])
@paginate(BoundedPagination)
def list_tps(request: HttpRequest, filters: Query[TpsFilter]) -> Any:
    qs = PollingStation.objects.restrict(request.user).order_by("village_id", "number")
    if filters.election:
        qs = qs.filter(election_id=filters.election)
    data = filters.dict(exclude={"election"}, exclude_none=True)
    return PollingStationFilterSet(data, queryset=qs).qs


@tps_router.get("/{int:tps_id}", response=TpsOut)
def get_tps(request: HttpRequest, tps_id: Id) -> Any:
    return scoping.get_object_for_user(PollingStation.objects, request.user, pk=tps_id)


@tps_router.post("/", response={201: TpsOut})
def create_tps(request: HttpRequest, payload: TpsIn) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=payload.election_id)
    data = payload.dict(exclude={"election_id", "village_code"})
    village = Region.objects.filter(code=payload.village_code).first()
    if village is None:
        raise ValidationError(
            {"village_code": [_("“%(code)s” is not a known region code.") % {"code": payload.village_code}]}
        )
    data["village"] = village
    return Status(201, actions.create_polling_station(request.user, election, data))


@tps_router.patch("/{int:tps_id}", response=TpsOut)
def update_tps(request: HttpRequest, tps_id: Id, payload: TpsPatch) -> Any:
    tps = scoping.get_object_for_user(
        PollingStation.objects.select_related("election"), request.user, scoping.CHANGE, pk=tps_id
    )
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    _check_patch(PollingStation, data)
    return actions.update_polling_station(request.user, tps, data, version)


def _check_patch(model: type[Model], data: dict[str, Any]) -> None:
    """A PATCH may leave a field out, not null a required one; numbers must be finite."""
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if value is None and not getattr(field, "null", True):
            errors[name] = [_("This field may not be null; leave it out to keep the stored value.")]
        elif isinstance(value, float) and not math.isfinite(value):
            errors[name] = [_("The number must be finite.")]
    if errors:
        raise ValidationError(errors)


# --- public ----------------------------------------------------------------------------------


class Totals(Schema):
    tps: int
    dpt: int
    dpt_male: int
    dpt_female: int


class ProvenanceReference(Schema):
    value: int
    status: str
    publisher: str
    title: str
    as_of: str
    url: str
    note: str


class ProvenanceSource(Schema):
    status: str
    publisher: str
    title: str
    as_of: str
    url: str
    note: str


class Provenance(Schema):
    """Where a total's kind of figure comes from: the values sources state (oldest first), whether
    they disagree, and the registry's own total. Absent (null): the total adds up users' entries."""

    status: str = Field(..., description="official, estimated or illustrative")
    references: list[ProvenanceReference]
    sources_disagree: bool
    registry_total: int | None
    registry_differs: bool
    registry_source: ProvenanceSource | None


class FiguresProvenance(Schema):
    tps: Provenance | None
    dpt: Provenance | None
    dpt_male: Provenance | None
    dpt_female: Provenance | None


class PublicChild(Schema):
    code: str
    name: str
    kind: str
    totals: Totals
    provenance: FiguresProvenance


class PublicRegionOut(Schema):
    code: str
    name: str
    level: int
    kind: str
    election: str | None
    election_id: int | None
    totals: Totals
    provenance: FiguresProvenance
    children: list[PublicChild]


PUBLIC_MAX_AGE = 60  # seconds: Cache-Control for clients and proxies, and the server-side cache


@public_router.get("/regions/{code}", response=PublicRegionOut, summary="Public: a region's TPS and DPT totals")
def public_region(request: HttpRequest, code: str, election: Id | None = None) -> Any:
    """What KPU publishes anyway: TPS count and DPT (total, L, P) over the region's subtree.

    Heavy traffic lands here, so the whole response is cached (``core.stampcache``) under the
    summaries' change stamp (``core.stamps``, a file: no query): every refresh of the summaries
    bumps it once it commits, and the next request in every process is built afresh.
    """
    token = stamps.current(summaries.STAMP)  # before reading the data
    body = json.dumps(_public_payload(code, election), cls=DjangoJSONEncoder)
    return stampcache.cacheable(
        HttpResponse(body, content_type="application/json"), summaries.STAMP, token, PUBLIC_MAX_AGE
    )


def _public_payload(code: str, election: int | None) -> dict[str, Any]:
    region = get_object_or_404(Region, code=code)
    el = get_object_or_404(Election, pk=election) if election is not None else Election.current()
    totals, by_child = summaries.region_totals(el, region.code)
    badges, child_badges = selectors.figure_badges(el, region.code, totals, by_child)

    def provenance(b: dict[str, Any]) -> dict[str, Any]:
        return {f: (v.as_dict() if v else None) for f, v in b.items()}

    payload = {
        "code": region.code,
        "name": region.name,
        "level": region.level,
        "kind": region.kind,
        "election": el.name if el else None,
        "election_id": el.pk if el else None,
        "totals": totals,
        "provenance": provenance(badges),
        "children": [
            {
                "code": c.code,
                "name": c.name,
                "kind": c.kind,
                "totals": by_child.get(c.code, summaries.EMPTY),
                "provenance": provenance(child_badges.get(c.code, dict.fromkeys(selectors.FIGURES))),
            }
            for c in region.children.order_by("code")
        ],
    }
    return PublicRegionOut.model_validate(payload).model_dump()
