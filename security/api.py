"""API for security (mounted at /api/v1/security/), and the public counts by category.

Same rights as the pages: Bawaslu assesses TPS and records the IKP; Polri and the TNI set
categories, patterns, pools and guards; the Polsek, Koramil or camat sets a kecamatan's status;
every agency reports incidents in its area (idempotent by ``client_id``) and the Desk, Bawaslu,
Polri and TNI follow them up (version-checked, 409 when stale). The public sees only counts of
TPS by category: never a named TPS's indicators, never personnel numbers.
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from agencies.models import Agency
from core import scoping
from core.api import BoundedPagination, Id
from elections.selectors import election_or_404, public_election
from regions.models import PollingStation, Region
from regions.selectors import region_by_code
from security import actions, selectors
from security.models import (
    Category,
    IkpBand,
    Incident,
    IncidentKind,
    IncidentStatus,
    Indicator,
    Scheme,
    Severity,
    Situation,
)

router = Router()
public_router = Router()
Code = Path(..., max_length=20)


def _region(request: HttpRequest, code: str, capability: str) -> Region:
    return selectors.region_for(request.user, code, capability)  # type: ignore[no-any-return]


def _tps(request: HttpRequest, tps_id: int, capability: str = "security") -> PollingStation:
    tps = scoping.get_object_for_user(
        PollingStation.objects.select_related("election", "village"), request.user, pk=tps_id
    )
    if not scoping.can(request.user, capability, scoping.VIEW, str(tps.village_id)):
        raise Http404
    return tps


# --- the picture -----------------------------------------------------------------------------------


@router.get("/status/{code}", response=dict[str, Any], summary="A region's security figures (the report section)")
def status(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    """IKP, TPS by category, personnel needed against the pool per Polres and kecamatan, open
    incidents and the kecamatan not "aman" today, in the reader's view of the region (``narrowed``
    when they see only part of it)."""
    region = _region(request, code, "security")
    return selectors.status(request.user, election_or_404(request, election_id), region.code)


class IndicatorOut(Schema):
    id: int
    variable: int
    variable_name: str
    code: str
    name: str
    weight: int
    active: bool
    version: int

    @staticmethod
    def resolve_variable(obj: Indicator) -> int:
        return obj.variable.number

    @staticmethod
    def resolve_variable_name(obj: Indicator) -> str:
        return obj.variable.name


class SchemeOut(Schema):
    weight_min: int
    weight_max: int
    rawan_from: int
    sangat_rawan_from: int
    version: int


class IndicatorSetOut(Schema):
    scheme: SchemeOut
    indicators: list[IndicatorOut]


@router.get("/indicators", response=IndicatorSetOut, summary="The election's indicators, weights and thresholds")
def indicators(request: HttpRequest, election_id: Id | None = None) -> Any:
    if not scoping.can(request.user, "security", scoping.VIEW):
        raise Http404
    election = election_or_404(request, election_id)
    scheme: Scheme = actions.scheme_for(election)
    rows = Indicator.objects.filter(variable__election=election).select_related("variable")
    return {"scheme": scheme, "indicators": list(rows.order_by("variable__number", "code"))}


class IndicatorPatch(Schema):
    version: Id
    weight: int | None = Field(None, ge=0, le=1000)
    name: str | None = Field(None, min_length=1, max_length=300)
    active: bool | None = None


@router.patch("/indicators/{int:indicator_id}", response=IndicatorOut, summary="Change an indicator (re-scores)")
def patch_indicator(request: HttpRequest, indicator_id: Id, payload: IndicatorPatch) -> Any:
    indicator = get_object_or_404(
        Indicator.objects.restrict(request.user).select_related("variable__election"), pk=indicator_id
    )
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return actions.update_indicator(request.user, indicator, data, payload.version)


class SchemePatch(Schema):
    version: Id
    weight_min: int | None = Field(None, ge=0, le=1000)
    weight_max: int | None = Field(None, ge=0, le=1000)
    rawan_from: int | None = Field(None, ge=0, le=100000)
    sangat_rawan_from: int | None = Field(None, ge=0, le=100000)


@router.patch("/scheme", response=SchemeOut, summary="Change the weight range or the thresholds (re-categorises)")
def patch_scheme(request: HttpRequest, payload: SchemePatch, election_id: Id | None = None) -> Any:
    if not scoping.can(request.user, "security", scoping.VIEW):
        raise Http404
    scheme = actions.scheme_for(election_or_404(request, election_id))
    data = payload.dict(exclude_unset=True, exclude={"version"})
    return actions.update_scheme(request.user, scheme, data, payload.version)


# --- assessments -----------------------------------------------------------------------------------


class AssessmentOut(Schema):
    id: int
    tps_id: int
    observed_on: dt.date
    indicators: list[str]
    score: int
    category: Category
    current: bool
    assessor: str = Field(..., alias="assessor_name")
    note: str
    evidence: str

    @staticmethod
    def resolve_indicators(obj: Any) -> list[str]:
        return sorted(i.code for i in obj.indicators.all())


class Explained(Schema):
    variable: str
    weight: int
    indicators: list[str]


class GuardOut(Schema):
    category: Category
    unit: str
    polri: int
    tni: int
    linmas: int
    names: str
    version: int


class TpsSecurityOut(Schema):
    tps_id: int
    current: AssessmentOut | None
    why: list[Explained]
    rawan_from: int
    sangat_rawan_from: int
    history: list[AssessmentOut]
    polri: GuardOut | None = Field(None, description="Polri's own category and guard: a separate judgement")


@router.get("/tps/{int:tps_id}", response=TpsSecurityOut, summary="A TPS's assessment, why, its history and guard")
def tps_security(request: HttpRequest, tps_id: Id) -> Any:
    tps = _tps(request, tps_id)
    history = selectors.assessment_history(request.user, tps)
    current = next((a for a in history if a.current), None)
    scheme = actions.scheme_for(tps.election)
    why = selectors.explanation(current, scheme) if current else {"variables": []}
    code = str(tps.village_id)
    return {
        "tps_id": tps.pk,
        "current": current,
        "why": [
            {"variable": str(v["variable"]), "weight": v["weight"], "indicators": [i.code for i in v["indicators"]]}
            for v in why["variables"]
        ],
        "rawan_from": scheme.rawan_from,
        "sangat_rawan_from": scheme.sangat_rawan_from,
        "history": history,
        "polri": selectors.guard_of(request.user, tps)
        if scoping.can(request.user, "security_deployment", scoping.VIEW, code)
        else None,
    }


class AssessmentIn(Schema):
    observed_on: dt.date
    indicators: list[str] = Field(default_factory=list, max_length=200)
    note: str = Field("", max_length=2000)
    evidence: str = Field("", max_length=500)
    client_id: uuid.UUID | None = Field(None, description="Retrying with the same id records it once")


@router.post("/tps/{int:tps_id}/assessments", response={201: AssessmentOut}, summary="Assess a TPS (Bawaslu)")
def assess(request: HttpRequest, tps_id: Id, payload: AssessmentIn) -> Any:
    tps = _tps(request, tps_id)
    a = actions.assess_tps(
        request.user,
        tps,
        [c[:10] for c in payload.indicators],
        payload.observed_on,
        payload.note,
        payload.evidence,
        client_id=payload.client_id,
    )
    return Status(201, a)


class GuardIn(Schema):
    category: Category
    unit: str = Field("", max_length=100)
    polri: int = Field(0, ge=-1000, le=1000)
    tni: int = Field(0, ge=-1000, le=1000)
    linmas: int = Field(0, ge=-1000, le=1000)
    names: str = Field("", max_length=300)


@router.put("/tps/{int:tps_id}/guard", response=GuardOut, summary="Polri's category and guard of a TPS")
def put_guard(request: HttpRequest, tps_id: Id, payload: GuardIn) -> Any:
    tps = _tps(request, tps_id, "security_deployment")
    return actions.set_guard(request.user, tps, payload.dict())


# --- the IKP ---------------------------------------------------------------------------------------


class IkpOut(Schema):
    id: int
    region_code: str = Field(..., alias="region_id")
    score: float
    band: IkpBand
    dimensions: dict[str, float]
    rank: str
    published_on: dt.date
    source: dict[str, Any]

    @staticmethod
    def resolve_source(obj: Any) -> dict[str, Any]:
        return obj.source.as_dict()  # type: ignore[no-any-return]


@router.get("/ikp/{code}", response=list[IkpOut], summary="The latest IKP of a region and those above it")
def ikp(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    region = _region(request, code, "security")
    return selectors.latest_ikp(request.user, election_or_404(request, election_id), region.code)


class IkpIn(Schema):
    region_code: str = Field(..., max_length=20)
    score: float = Field(..., ge=-1000, le=1000)
    band: IkpBand
    dimensions: dict[str, float] = Field(default_factory=dict)
    rank: str = Field("", max_length=100)
    published_on: dt.date
    publisher: str = Field(..., min_length=1, max_length=200)
    title: str = Field(..., min_length=1, max_length=300)
    url: str = Field("", max_length=200)


@router.post("/ikp", response={201: IkpOut}, summary="Record a published IKP (Bawaslu)")
def post_ikp(request: HttpRequest, payload: IkpIn, election_id: Id | None = None) -> Any:
    election = election_or_404(request, election_id)
    region = region_by_code(payload.region_code, field="region_code")
    if not scoping.can(request.user, "security", scoping.CHANGE, str(getattr(region, "pk", ""))):
        raise PermissionDenied(_("Only Bawaslu records the IKP of a region in its area."))
    source = actions.published_source(payload.publisher, payload.title, payload.published_on, payload.url)
    data = {
        "region": region,
        "score": Decimal(str(payload.score)),
        "band": payload.band,
        "dimensions": payload.dimensions,
        "rank": payload.rank,
        "published_on": payload.published_on,
        "source": source,
    }
    return Status(201, actions.record_ikp(request.user, election, data))


# --- the guard -------------------------------------------------------------------------------------


@router.get("/deployment/{code}", response=dict[str, Any], summary="Personnel needed against the pool")
def deployment(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    region = _region(request, code, "security_deployment")
    return selectors.status(request.user, election_or_404(request, election_id), region.code)["deployment"]


class PatternIn(Schema):
    polres_id: Id | None = Field(None, description="Empty: the election's default")
    category: Category
    polri: int = Field(..., ge=-1000, le=1000)
    tps: int = Field(..., ge=-1000, le=1000)
    linmas: int = Field(..., ge=-1000, le=1000)


class PatternOut(Schema):
    polres_id: int | None = Field(None, alias="agency_id")
    category: Category
    polri: int
    tps: int
    linmas: int
    version: int


def _polres(request: HttpRequest, polres_id: int | None) -> Agency | None:
    if polres_id is None:
        return None
    agency = Agency.objects.restrict(request.user).filter(pk=polres_id, kind=scoping.POLRI).first()
    if agency is None:
        raise ValidationError({"polres_id": [_("No such Polres in your area.")]})
    return agency


@router.post("/patterns", response=PatternOut, summary="Set a Polres's guard pattern for a category")
def post_pattern(request: HttpRequest, payload: PatternIn, election_id: Id | None = None) -> Any:
    election = election_or_404(request, election_id)
    agency = _polres(request, payload.polres_id)
    return actions.set_pattern(
        request.user, election, agency, payload.category, payload.polri, payload.tps, payload.linmas
    )


class PoolIn(Schema):
    polres_id: Id
    unit: str = Field(..., max_length=100)
    region_code: str = Field(..., max_length=20)
    organic: int = Field(0, ge=-(10**6), le=10**6)
    bko: int = Field(0, ge=-(10**6), le=10**6)
    brimob: int = Field(0, ge=-(10**6), le=10**6)
    urc_platoons: int = Field(0, ge=-1000, le=1000)
    tni: int = Field(0, ge=-(10**6), le=10**6)
    linmas: int = Field(0, ge=-(10**6), le=10**6)


class PoolOut(Schema):
    polres_id: int = Field(..., alias="agency_id")
    unit: str
    region_code: str = Field(..., alias="region_id")
    organic: int
    bko: int
    brimob: int
    urc_platoons: int
    tni: int
    linmas: int
    version: int


@router.post("/pools", response=PoolOut, summary="Set the personnel of a Polres's unit")
def post_pool(request: HttpRequest, payload: PoolIn, election_id: Id | None = None) -> Any:
    election = election_or_404(request, election_id)
    agency = _polres(request, payload.polres_id)
    region = region_by_code(payload.region_code, field="region_code")
    counts = payload.dict(include=set(actions.POOL_FIELDS))
    return actions.set_pool(request.user, election, agency, payload.unit, region, counts)


# --- the day's situation ---------------------------------------------------------------------------


class SituationIn(Schema):
    region_code: str = Field(..., max_length=20)
    level: Situation
    note: str = Field("", max_length=500)


class SituationOut(Schema):
    region_code: str = Field(..., alias="region_id")
    day: dt.date
    level: Situation
    note: str
    set_at: dt.datetime


@router.get("/situation/{code}", response=list[SituationOut], summary="Today's status per kecamatan")
def situation(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    region = _region(request, code, "security_status")
    return selectors.situation_today(request.user, election_or_404(request, election_id), region.code)


@router.post("/situation", response={201: SituationOut}, summary="Set today's status of a kecamatan")
def post_situation(request: HttpRequest, payload: SituationIn, election_id: Id | None = None) -> Any:
    election = election_or_404(request, election_id)
    region = region_by_code(payload.region_code, field="region_code")
    return Status(201, actions.set_situation(request.user, election, region, payload.level, payload.note))


# --- incidents -------------------------------------------------------------------------------------


class IncidentOut(Schema):
    id: int
    kind: IncidentKind
    severity: Severity
    occurred_at: dt.datetime
    region_code: str = Field(..., alias="region_id")
    tps_id: int | None
    lat: float | None
    lng: float | None
    title: str
    description: str
    agency: str | None
    reported_at: dt.datetime
    status: IncidentStatus
    status_note: str
    referred_at: dt.datetime | None
    referral_note: str
    illustrative: bool
    version: int

    @staticmethod
    def resolve_agency(obj: Incident) -> str | None:
        return obj.agency.name if obj.agency else None

    @staticmethod
    def resolve_illustrative(obj: Incident) -> bool:
        return obj.source_id is not None


class IncidentIn(Schema):
    kind: IncidentKind
    severity: Severity
    occurred_at: dt.datetime = Field(..., description="With its offset, e.g. 2024-11-16T16:00:00+08:00 (WITA)")
    region_code: str | None = Field(None, max_length=20, description="A desa/kelurahan or kecamatan")
    tps_id: Id | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=5000)
    client_id: uuid.UUID | None = Field(None, description="Retrying with the same id reports it once")


@router.get("/incidents", response=list[IncidentOut], summary="The incident log")
@paginate(BoundedPagination)
def list_incidents(
    request: HttpRequest,
    region_code: str | None = Query(None, max_length=20),
    kind: IncidentKind | None = None,
    severity: Severity | None = None,
    status: IncidentStatus | None = None,
    election_id: Id | None = None,
) -> Any:
    election = election_or_404(request, election_id)
    filters = {"kind": kind, "severity": severity, "status": status}
    return selectors.incidents(request.user, election, region_code or "", {k: v for k, v in filters.items() if v})


@router.post("/incidents", response={201: IncidentOut}, summary="Report an incident (idempotent by client_id)")
def report_incident(request: HttpRequest, payload: IncidentIn, election_id: Id | None = None) -> Any:
    election = election_or_404(request, election_id)
    region = region_by_code(payload.region_code, required=payload.tps_id is None, field="region_code")
    tps = None
    if payload.tps_id is not None:
        tps = PollingStation.objects.restrict(request.user).filter(pk=payload.tps_id, election=election).first()
        if tps is None:
            raise ValidationError({"tps_id": [_("No such TPS in your area.")]})
    data = payload.dict(exclude={"region_code", "tps_id", "client_id"}) | {"region": region, "tps": tps}
    return Status(201, actions.report_incident(request.user, election, data, client_id=payload.client_id))


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    return scoping.get_object_for_user(Incident.objects.select_related("agency"), request.user, pk=incident_id)  # type: ignore[no-any-return]


@router.get("/incidents/{int:incident_id}", response=IncidentOut, summary="One incident")
def get_incident(request: HttpRequest, incident_id: Id) -> Any:
    return _incident(request, incident_id)


class StepIn(Schema):
    status: IncidentStatus
    note: str = Field(..., max_length=500)
    version: Id


@router.post("/incidents/{int:incident_id}/steps", response=IncidentOut, summary="Move an incident on one step")
def step(request: HttpRequest, incident_id: Id, payload: StepIn) -> Any:
    incident = _incident(request, incident_id)
    return actions.advance_incident(request.user, incident, payload.status, payload.note, payload.version)


class ReferIn(Schema):
    note: str = Field(..., max_length=500)
    version: Id


@router.post("/incidents/{int:incident_id}/referral", response=IncidentOut, summary="Refer an incident to Bawaslu")
def refer(request: HttpRequest, incident_id: Id, payload: ReferIn) -> Any:
    incident = _incident(request, incident_id)
    return actions.refer_incident(request.user, incident, payload.note, payload.version)


# --- public ----------------------------------------------------------------------------------------


class PublicCounts(Schema):
    region_code: str
    election: str
    kurang_rawan: int
    rawan: int
    sangat_rawan: int
    khusus: int
    assessed: int


@public_router.get("/{code}", response=PublicCounts, auth=None, summary="Public: TPS by vulnerability category")
def public_counts(request: HttpRequest, code: str = Code, election: Id | None = None) -> Any:
    """Counts only: no TPS is named, no indicator of one is shown, no personnel number."""
    region = get_object_or_404(Region, code=code)
    el = public_election(election)
    counts = selectors.category_counts(None, el, region.code, public=True)
    return {
        "region_code": region.code,
        "election": el.name,
        **{k: counts[k] for k in PublicCounts.model_fields if k in counts},
    }
