"""API for participation (mounted at /api/v1/participation/), and its public figures.

Same rights as the pages: every agency reads; the Desk, KPU, PPK and PPS record outreach events and
voting-day turnout reports (idempotent by ``client_id``); an admin of the Desk or KPU records
targets. Turnout = voters who voted (ballots used) ÷ DPT. The public sees targets, turnout history
and voting-day turnout only.
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

from core import dates, scoping
from core.api import BoundedPagination, Id
from core.models import SourceStatus
from elections.selectors import election_or_404, public_election
from participation import actions, selectors
from participation.models import Audience, Outreach, Target, TurnoutReport
from regions.models import PollingStation
from regions.selectors import region_by_code

router = Router()
public_router = Router()
Code = Path(..., max_length=20)


def _require_reader(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise Http404(_("Not found."))


class SourceOut(Schema):
    status: str
    publisher: str
    title: str
    as_of: dt.date
    url: str
    note: str


class TargetOut(Schema):
    id: int
    region_code: str = Field(..., alias="region_id")
    value: float
    cited_on: dt.date
    cited_at: str
    source: SourceOut


class TargetsOut(Schema):
    working_target: float | None = Field(None, description="The latest cited")
    targets_disagree: bool
    targets: list[TargetOut]


@router.get("/targets", response=TargetsOut, summary="The targets of a region (and those above it)")
def list_targets(request: HttpRequest, region: str = Query(..., max_length=20), election_id: Id | None = None) -> Any:
    """Every target cited for the region or a region above it, oldest first; the latest cited is the
    working target."""
    _require_reader(request)
    place = selectors.region_for(request.user, region)
    t = selectors.targets(election_or_404(request, election_id), place.code)
    return {"working_target": t["value"], "targets_disagree": t["disagree"], "targets": t["rows"]}


class TargetIn(Schema):
    region: str = Field(..., max_length=20, description="The province or kabupaten/kota code")
    value: Decimal = Field(..., description="Percent, 0 to 100")
    cited_on: dt.date
    cited_at: str = Field("", max_length=300, description="The meeting and place where it was cited")
    source_status: SourceStatus
    source_publisher: str = Field(..., max_length=200)
    source_title: str = Field(..., max_length=300)
    source_as_of: dt.date
    source_url: str = Field("", max_length=200)


@router.post("/targets", response={201: TargetOut}, summary="Record a cited target (Desk or KPU admin)")
def create_target(request: HttpRequest, payload: TargetIn, election_id: Id | None = None) -> Any:
    if not scoping.grants(request.user, "participation", scoping.MANAGE):
        raise PermissionDenied(actions.ONLY_MANAGERS)
    election = election_or_404(request, election_id)
    data = payload.dict()
    data["region"] = region_by_code(payload.region, field="region")
    data["source_status"] = str(payload.source_status)
    target = actions.add_target(request.user, election, data)
    return Status(201, Target.objects.select_related("source").get(pk=target.pk))


class HistoryOut(Schema):
    region_code: str = Field(..., alias="region_id")
    label: str
    held_on: dt.date
    dpt: int | None
    voters: int | None
    turnout: float | None = Field(None, description="voters ÷ DPT when both are known, else the published %")
    computed: bool = Field(..., description="True when computed from voters and DPT")
    as_of: dt.date
    source: SourceOut


@router.get("/history", response=list[HistoryOut], summary="The turnout history of a region")
def list_history(request: HttpRequest, region: str = Query(..., max_length=20)) -> Any:
    """Newest first; each figure from its "as of" date, with its source."""
    _require_reader(request)
    place = selectors.region_for(request.user, region)
    return selectors.history(place.code)


class OutreachOut(Schema):
    id: int
    held_on: dt.date
    region_code: str = Field(..., alias="region_id")
    region_name: str
    venue: str
    agency: str | None
    audience: list[str]
    attendance: int
    notes: str
    photos: int
    illustrative: bool

    @staticmethod
    def resolve_region_name(obj: Outreach) -> str:
        return obj.region.name

    @staticmethod
    def resolve_agency(obj: Outreach) -> str | None:
        return obj.agency.name if obj.agency is not None else None

    @staticmethod
    def resolve_photos(obj: Outreach) -> int:
        return getattr(obj, "photo_count", 0)

    @staticmethod
    def resolve_illustrative(obj: Outreach) -> bool:
        return obj.source is not None and obj.source.status == SourceStatus.ILLUSTRATIVE


@router.get("/outreach", response=list[OutreachOut], summary="Outreach events (newest first)")
@paginate(BoundedPagination)
def list_outreach(
    request: HttpRequest, region: str | None = Query(None, max_length=20), election_id: Id | None = None
) -> Any:
    _require_reader(request)
    election = election_or_404(request, election_id)
    code = selectors.region_for(request.user, region).code if region else ""
    return selectors.outreach(request.user, election, code)


class OutreachIn(Schema):
    client_id: uuid.UUID = Field(..., description="Retrying with the same id records the event once")
    held_on: dt.date
    region: str = Field(..., max_length=20, description="The desa/kelurahan or kecamatan code")
    venue: str = Field("", max_length=200)
    audience: list[Audience] = Field(..., max_length=10)
    attendance: int
    notes: str = Field("", max_length=5000)


@router.post("/outreach", response={201: OutreachOut}, summary="Record an outreach event (idempotent)")
def create_outreach(request: HttpRequest, payload: OutreachIn, election_id: Id | None = None) -> Any:
    if not scoping.grants(request.user, "participation", scoping.CHANGE):
        raise PermissionDenied(actions.ONLY_WRITERS)
    election = election_or_404(request, election_id)
    data = payload.dict(exclude={"client_id"})
    data["region"] = region_by_code(payload.region, field="region")
    data["audience"] = [str(a) for a in payload.audience]
    event = actions.record_outreach(request.user, election, data, client_id=payload.client_id)
    return Status(201, selectors.outreach(request.user, election, "").get(pk=event.pk))


class ReportOut(Schema):
    id: int
    tps_id: int
    tps: str
    village_code: str = Field(..., alias="village_id")
    voters: int
    reported_on: dt.date
    reported_at: dt.datetime
    current: bool = Field(..., description="False once a later report of the same TPS replaced it")

    @staticmethod
    def resolve_tps(obj: TurnoutReport) -> str:
        return obj.tps.number


class ReportIn(Schema):
    client_id: uuid.UUID = Field(..., description="Retrying with the same id records the report once")
    village: str = Field(..., max_length=20, description="The desa/kelurahan code")
    tps: str = Field(..., max_length=3, description='The TPS number, e.g. "001"')
    voters: int = Field(..., description="Voters who voted (ballots used)")


@router.post("/turnout", response={201: ReportOut}, summary="Report a TPS's turnout on voting day (idempotent)")
def create_report(request: HttpRequest, payload: ReportIn, election_id: Id | None = None) -> Any:
    """A later report of the same TPS replaces the earlier in the totals."""
    if not scoping.grants(request.user, "participation", scoping.CHANGE):
        raise PermissionDenied(actions.ONLY_WRITERS)
    election = election_or_404(request, election_id)
    village = region_by_code(payload.village, field="village")
    number = payload.tps.strip()
    tps = (
        PollingStation.objects.filter(election=election, village=village, number=number.zfill(3)).first()
        if number.isdigit()
        else None
    )
    if tps is None:
        raise ValidationError({"tps": [_("No TPS %(n)s in %(place)s.") % {"n": number, "place": village}]})
    report = actions.report_turnout(request.user, election, tps, payload.voters, client_id=payload.client_id)
    return Status(201, TurnoutReport.objects.select_related("tps").get(pk=report.pk))


@router.get("/turnout", response=list[ReportOut], summary="Turnout reports of the TPS (newest first)")
@paginate(BoundedPagination)
def list_reports(
    request: HttpRequest, region: str | None = Query(None, max_length=20), election_id: Id | None = None
) -> Any:
    _require_reader(request)
    election = election_or_404(request, election_id)
    qs = TurnoutReport.objects.restrict(request.user).filter(election=election, reported_on__lte=dates.today())
    if region:
        qs = qs.filter(scoping.subtree_q("village", selectors.region_for(request.user, region).code))
    return qs.select_related("tps")


@router.get("/gap/{code}", response=dict[str, Any], summary="The gap to the target by kecamatan or desa")
def gap(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    """Per child region: DPT, last turnout (or its nearest ancestor's), target, voters needed, outreach
    done; and the focus list (codes)."""
    _require_reader(request)
    place = selectors.region_for(request.user, code)
    g = selectors.gap(election_or_404(request, election_id), place)
    return selectors.plain(
        {"rows": g["rows"], "focus": [r["code"] for r in g["focus"]], "target": g["target"]["value"]}
    )


@router.get("/status/{code}", response=dict[str, Any], summary="A region's participation figures (the report)")
def status(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    """What ``participation_status --json`` prints: targets with sources, turnout history, the gap by
    kecamatan with outreach done, and the voting-day turnout."""
    _require_reader(request)
    place = selectors.region_for(request.user, code)
    return selectors.plain(selectors.status_figures(election_or_404(request, election_id), place))


class PublicOut(Schema):
    region_code: str
    election: str
    as_of: dt.date
    formula: str
    working_target: float | None
    targets_disagree: bool
    targets: list[dict[str, Any]]
    history: list[dict[str, Any]]
    voting_day: dict[str, Any] | None


@public_router.get("/{code}", response=PublicOut, auth=None, summary="Public: targets, turnout history, voting day")
def public(request: HttpRequest, code: str = Code, election: Id | None = None) -> Any:
    """No name, no outreach event: targets with their sources, the turnout history, and on voting day
    the turnout of the TPS that reported."""
    from regions.models import Region

    region = get_object_or_404(Region, code=code)
    el = public_election(election)
    data = selectors.plain(selectors.status_figures(el, region))
    return {k: data[k] for k in PublicOut.model_fields if k in data} | {"region_code": region.code}
