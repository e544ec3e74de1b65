"""API for violations (mounted at /api/v1/violations/), and the public counts.

Same rights as the pages: Bawaslu (and its Panwascam) records cases (idempotent by ``client_id``)
and moves them on (version-checked, 409 when stale); the Gakkumdu partners record their stages of
a case referred to Sentra Gakkumdu; Bawaslu or the Desk record a sanction. A case as the API gives
it never names the reporter: the reporter and the evidence have their own endpoint, answered to
Bawaslu alone (404 to everyone else). The public sees only counts.
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from core import scoping
from core.api import BoundedPagination, Id
from core.models import SourceStatus
from elections.models import Election
from elections.selectors import election_or_404, public_election
from regions.models import PollingStation, Region
from regions.selectors import region_by_code
from security.models import Incident
from violations import actions, deadlines, selectors
from violations.models import (
    Case,
    Evidence,
    Finding,
    Holiday,
    NotRegisteredReason,
    Origin,
    PartyKind,
    Referral,
    Reporter,
    ViolationCategory,
)
from violations.models import Status as CaseStatus

router = Router()
public_router = Router()
Code = Path(..., max_length=20)
STATUS_FILTERS = ("open", *CaseStatus.values)


def _cases(request: HttpRequest) -> Any:
    """Cases with what the case schema reads, and only the linked incidents the user may see."""
    incidents = Incident.objects.restrict(request.user).only("pk")
    return Case.objects.select_related("region", "tps", "source").prefetch_related(
        Prefetch("incidents", queryset=incidents)
    )


def _case(request: HttpRequest, case_id: int) -> Case:
    """A case the user may read (404 otherwise: its existence is not revealed)."""
    selectors.require_reader(request.user)
    return scoping.get_object_for_user(_cases(request), request.user, pk=case_id)  # type: ignore[no-any-return]


def _calendar(context: Any, election_id: int) -> tuple[dict[str, deadlines.RuleDays], set[dt.date]]:
    """The election's rules and holidays, read once per request (a page of cases shares them)."""
    request = (context or {}).get("request")
    cache: dict[int, Any] = getattr(request, "_violations_calendar", {}) if request is not None else {}
    if election_id not in cache:
        cache[election_id] = selectors.calendar(election_id)
        if request is not None:
            request._violations_calendar = cache  # type: ignore[attr-defined]
    return cache[election_id]  # type: ignore[no-any-return]


# --- cases -----------------------------------------------------------------------------------------


class CaseOut(Schema):
    """A case as everyone who may read it sees it: never the reporter."""

    id: int
    number: int
    origin: Origin
    occurred_on: dt.date
    known_on: dt.date
    received_on: dt.date
    region_code: str = Field(..., alias="region_id")
    region_name: str
    tps: str | None = Field(None, description="The TPS number, when it happened at one")
    party_kind: PartyKind
    party_name: str
    party_unit: str
    category: ViolationCategory
    summary: str
    description: str
    status: CaseStatus
    not_registered_reason: str
    finding: str
    extended: bool = Field(..., description="More information was requested: the decision deadline moved")
    referred_to: str
    referred_on: dt.date | None
    outcome: str
    sanction: str
    sanction_on: dt.date | None
    deadline: dt.date | None
    deadline_rule: str
    days_left: int | None = Field(None, description="Days (or working days) to the deadline; negative once past")
    illustrative: bool
    version: int
    incidents: list[int] = Field(default_factory=list, description="Linked security incidents (those you may see)")

    @staticmethod
    def resolve_region_name(obj: Case) -> str:
        return obj.region.name

    @staticmethod
    def resolve_tps(obj: Case) -> str | None:
        return obj.tps.number if obj.tps is not None else None

    @staticmethod
    def resolve_days_left(obj: Case, context: Any) -> int | None:
        return selectors.days_left(obj, _calendar(context, obj.election_id))

    @staticmethod
    def resolve_illustrative(obj: Case) -> bool:
        return obj.source is not None and obj.source.status == SourceStatus.ILLUSTRATIVE

    @staticmethod
    def resolve_incidents(obj: Case) -> list[int]:
        return sorted(i.pk for i in obj.incidents.all())


class StepOut(Schema):
    status: CaseStatus
    on: dt.date
    by_name: str
    note: str


class CaseDetailOut(CaseOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj: Case) -> list[Any]:
        return list(obj.steps.order_by("on", "at", "id"))


@router.get("/cases", response=list[CaseOut], summary="The case list (never the reporter)")
@paginate(BoundedPagination)
def list_cases(
    request: HttpRequest,
    status: str | None = Query(None, max_length=16, description='"open", or one status'),
    category: ViolationCategory | None = None,
    party_kind: PartyKind | None = None,
    origin: Origin | None = None,
    q: str | None = Query(None, max_length=100, description="The number, the allegation or the reported party"),
    region: str | None = Query(None, max_length=20, description="A region code: its cases and those below it"),
    election_id: Id | None = None,
) -> Any:
    """Newest first, as of today, in the reader's area (the Gakkumdu partners: the cases referred
    to Sentra Gakkumdu)."""
    selectors.require_reader(request.user)
    election = election_or_404(request, election_id)
    if status and status not in STATUS_FILTERS:
        raise ValidationError({"status": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(STATUS_FILTERS)}]})
    code = selectors.region_for(request.user, region).code if region else ""
    chosen = {"status": status, "category": category, "party_kind": party_kind, "origin": origin, "q": q}
    rows = selectors.filtered(request.user, election, code, {k: str(v) for k, v in chosen.items() if v})
    incidents = Incident.objects.restrict(request.user).only("pk")
    return rows.prefetch_related(Prefetch("incidents", queryset=incidents))


@router.get("/cases/{int:case_id}", response=CaseDetailOut, summary="One case and its steps (never the reporter)")
def get_case(request: HttpRequest, case_id: Id) -> Any:
    """What, where, against whom, its state, deadline and each step of its handling."""
    return _case(request, case_id)


class ReporterOut(Schema):
    name: str
    contact: str
    address: str
    statement: str


class EvidenceOut(Schema):
    id: int
    filename: str
    size: int
    content_type: str


class PrivateOut(Schema):
    reporter: ReporterOut | None = Field(None, description="None for a temuan (Bawaslu's own finding)")
    evidence: list[EvidenceOut]


@router.get("/cases/{int:case_id}/reporter", response=PrivateOut, summary="The reporter and evidence (Bawaslu)")
def reporter(request: HttpRequest, case_id: Id) -> Any:
    """Who reported it, how to reach them, what they stated, and the evidence files: to Bawaslu of
    the case's area alone. Anyone else gets 404, as if the case had none."""
    case = _case(request, case_id)
    if not scoping.can(request.user, "violations_reporter", scoping.VIEW, str(case.region_id)):
        raise Http404(_("Not found."))
    return {
        "reporter": Reporter.objects.restrict(request.user).filter(case=case).first(),
        "evidence": list(Evidence.objects.restrict(request.user).filter(case=case).order_by("uploaded_at", "id")),
    }


class ReporterIn(Schema):
    name: str = Field("", max_length=150)
    contact: str = Field("", max_length=150)
    address: str = Field("", max_length=300)
    statement: str = Field("", max_length=10000)


class IntakeIn(Schema):
    client_id: uuid.UUID = Field(..., description="Retrying with the same id records the case once")
    origin: Origin
    occurred_on: dt.date
    known_on: dt.date
    received_on: dt.date
    region: str = Field(..., max_length=20, description="The desa/kelurahan or kecamatan code, e.g. 64.02.07.2001")
    tps: str | None = Field(None, max_length=3, description='The TPS number in that desa, e.g. "001"')
    party_kind: PartyKind
    party_name: str = Field(..., max_length=200)
    party_unit: str = Field("", max_length=200, description="For an ASN: the office they work in")
    category: ViolationCategory
    summary: str = Field(..., max_length=200)
    description: str = Field("", max_length=10000)
    reporter: ReporterIn | None = Field(None, description="A laporan's reporter, seen by Bawaslu alone")
    incidents: list[Id] = Field(default_factory=list, max_length=50, description="Security incidents to link")


def _tps(election: Election, region: Region, number: str | None) -> tuple[PollingStation | None, str]:
    """The TPS ``number`` of the desa ``region``, or why there is none."""
    number = (number or "").strip()
    if not number:
        return None, ""
    tps = None
    if number.isdigit():
        tps = PollingStation.objects.filter(election=election, village=region, number=number.zfill(3)).first()
    if tps is None:
        return None, _("No TPS %(n)s in %(place)s.") % {"n": number, "place": region.name}
    return tps, ""


@router.post("/cases", response={201: CaseOut}, summary="Record a laporan or temuan (Bawaslu; idempotent)")
def intake(request: HttpRequest, payload: IntakeIn, election_id: Id | None = None) -> Any:
    """A retried submission with the same ``client_id`` returns the first case; the same id with
    another allegation or reported party is refused (409)."""
    if not scoping.grants(request.user, "violations", scoping.CHANGE):
        raise PermissionDenied(_("Only Bawaslu records violation cases."))
    election = election_or_404(request, election_id)
    place = region_by_code(payload.region, field="region")
    assert place is not None  # required: an unknown or missing code raised
    data = payload.dict(exclude={"client_id", "reporter", "incidents", "region", "tps"})
    data = {k: str(v) if isinstance(v, str) else v for k, v in data.items()}  # the choices as plain values
    reporter = payload.reporter.dict() if payload.reporter else None
    tps, no_tps = _tps(election, place, payload.tps)
    data.update(region=place, tps=tps)
    if no_tps:  # refused with everything else that is wrong, as the action would
        raise ValidationError({**actions.intake_errors(election, data, reporter), "tps": [no_tps]})
    case = actions.intake(
        request.user,
        election,
        data,
        reporter,
        [],
        payload.incidents,
        client_id=payload.client_id,
    )
    return Status(201, _case(request, case.pk))


class StepIn(Schema):
    status: CaseStatus = Field(..., description="The next status: one step on from the current one")
    note: str = Field(..., max_length=500, description="Why: who decided what, on what grounds")
    on: dt.date | None = Field(None, description="The day it happened; today when empty")
    reason: NotRegisteredReason | None = Field(None, description="To not_registered: why")
    finding: Finding | None = Field(None, description="To decided: whether the violation is proven")
    referred_to: Referral | None = Field(None, description="To referred: where the category goes")
    outcome: str = Field("", max_length=500, description="To closed: how the case ended")
    version: Id


@router.post("/cases/{int:case_id}/steps", response=CaseOut, summary="Move a case on one step")
def step(request: HttpRequest, case_id: Id, payload: StepIn) -> Any:
    """Bawaslu moves a case on; a Gakkumdu partner records the investigation, prosecution and
    court stages of a case referred to Sentra Gakkumdu. A skipped step is refused with the steps
    allowed (400); a stale ``version`` answers 409."""
    case = _case(request, case_id)
    data = payload.dict(exclude={"version", "status"})
    data = {k: str(v) if isinstance(v, str) else v for k, v in data.items()}
    actions.advance(request.user, case, str(payload.status), data, payload.version)
    return _case(request, case_id)


class InformationIn(Schema):
    note: str = Field(..., max_length=500, description="What information is needed")
    version: Id


@router.post("/cases/{int:case_id}/information", response=CaseOut, summary="Request more information (Bawaslu)")
def request_information(request: HttpRequest, case_id: Id, payload: InformationIn) -> Any:
    """Once per case, before the decision: the decision deadline moves by the extension's days."""
    case = _case(request, case_id)
    actions.request_information(request.user, case, payload.note, payload.version)
    return _case(request, case_id)


class SanctionIn(Schema):
    sanction: str = Field(..., max_length=300)
    sanction_on: dt.date | None = Field(None, description="The day the sanction was given")
    version: Id


@router.post("/cases/{int:case_id}/sanction", response=CaseOut, summary="Record the sanction (Bawaslu or the Desk)")
def record_sanction(request: HttpRequest, case_id: Id, payload: SanctionIn) -> Any:
    """The sanction an ASN or kepala desa received after the referral, and when."""
    case = _case(request, case_id)
    actions.record_sanction(request.user, case, payload.sanction, payload.sanction_on, payload.version)
    return _case(request, case_id)


# --- figures and rules -----------------------------------------------------------------------------


@router.get("/status/{code}", response=dict[str, Any], summary="A region's violation figures (the report section)")
def status(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    """Counts by status, category and reported-party kind and the ASN cases (the whole region's),
    and the cases near or past their deadline the reader may see: what ``violations_status``
    prints."""
    region = selectors.region_for(request.user, code)
    return selectors.status_figures(request.user, election_or_404(request, election_id), region.code)


class RuleOut(Schema):
    key: str
    label: str
    days: int
    working_days: bool
    version: int = Field(..., description="1 while the law's default applies")


class HolidayOut(Schema):
    day: dt.date
    name: str


class RulesOut(Schema):
    rules: list[RuleOut]
    holidays: list[HolidayOut]


@router.get("/rules", response=RulesOut, summary="The deadline rules and the holidays they count on")
def rules(request: HttpRequest, election_id: Id | None = None) -> Any:
    """The election's deadline rules (the law's defaults where Bawaslu set none) and the holidays
    of its working-day calendar (weekends are off without one)."""
    selectors.require_reader(request.user)
    election = election_or_404(request, election_id)
    return {
        "rules": [
            {
                "key": r.key,
                "label": r.get_key_display(),
                "days": r.days,
                "working_days": r.working_days,
                "version": r.version,
            }
            for r in actions.rule_rows(election)
        ],
        "holidays": list(Holiday.objects.filter(election=election).order_by("day")),
    }


# --- public ----------------------------------------------------------------------------------------


class AsnCounts(Schema):
    cases: int
    referred: int = Field(..., description="Referred to BKN or KASN")
    sanctioned: int


class PublicCounts(Schema):
    region_code: str
    election: str
    as_of: dt.date
    total: int
    open: int
    by_status: dict[str, int]
    by_category: dict[str, int]
    by_party_kind: dict[str, int]
    by_origin: dict[str, int]
    by_kecamatan: dict[str, int] = Field(..., description="Kecamatan code: cases (those with any)")
    asn: AsnCounts
    illustrative: bool = Field(..., description="Some of the cases are illustrative (demo) data")


@public_router.get("/{code}", response=PublicCounts, auth=None, summary="Public: counts of violation cases")
def public_counts(request: HttpRequest, code: str = Code, election: Id | None = None) -> Any:
    """Counts only, as of the desk's today: no case, no name, no reporter."""
    region = get_object_or_404(Region, code=code)
    el = public_election(election)
    stats = selectors.statistics(el, region.code)

    def counts(rows: list[dict[str, Any]]) -> dict[str, int]:
        return {str(r["key"]): r["n"] for r in rows}

    return {
        "region_code": region.code,
        "election": el.name,
        "as_of": stats["as_of"],
        "total": stats["total"],
        "open": stats["open"],
        "by_status": counts(stats["by_status"]),
        "by_category": counts(stats["by_category"]),
        "by_party_kind": counts(stats["by_party"]),
        "by_origin": counts(stats["by_origin"]),
        "by_kecamatan": counts(stats["by_kecamatan"]),
        "asn": stats["asn"],
        "illustrative": stats["illustrative"],
    }
