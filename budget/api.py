"""API for budget (mounted at /api/v1/budget/), and its public figures.

Same rights as the pages: the Desk (the Pemda) records agreements and tranches and disburses
(version-checked, 409 when stale); only the recipient agency reports realisation (idempotent by
``client_id``). Every agency reads; the public sees the region's totals only.
"""

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from agencies.models import Agency
from budget import actions, selectors
from budget.models import Agreement, Category, Tranche
from core import dates, scoping
from core.api import BoundedPagination, Id
from elections.selectors import election_or_404, public_election
from regions.models import Region
from regions.selectors import region_by_code

router = Router()
public_router = Router()
Code = Path(..., max_length=20)


def _require_reader(request: HttpRequest) -> None:
    if not selectors.may_read(request.user):
        raise Http404(_("Not found."))


def _agreement(request: HttpRequest, agreement_id: int) -> Agreement:
    """An agreement the user may read, signed by today (404 otherwise)."""
    _require_reader(request)
    qs = Agreement.objects.filter(signed_on__lte=dates.today()).select_related("agency", "source")
    return scoping.get_object_for_user(qs, request.user, pk=agreement_id)  # type: ignore[no-any-return]


class TrancheOut(Schema):
    id: int
    number: int
    planned_on: dt.date
    planned_amount: int
    disbursed_on: dt.date | None
    disbursed_amount: int | None
    version: int

    @staticmethod
    def resolve_disbursed_on(obj: Tranche) -> dt.date | None:
        return obj.disbursed_on if obj.disbursed_on and obj.disbursed_on <= dates.today() else None

    @staticmethod
    def resolve_disbursed_amount(obj: Tranche) -> int | None:
        return obj.disbursed_amount if obj.disbursed_on and obj.disbursed_on <= dates.today() else None


class AgreementOut(Schema):
    id: int
    number: str
    region_code: str = Field(..., alias="region_id")
    agency_id: int
    agency: str
    signed_on: dt.date
    amount: int = Field(..., description="Whole rupiah")
    purpose: str
    budget_source: str
    amends: int | None = Field(None, alias="amends_id", description="The agreement this is an addendum of")
    lpj_due: dt.date | None
    source_status: str | None = Field(None, description="official, estimated or illustrative; None: typed by a user")
    version: int

    @staticmethod
    def resolve_agency(obj: Agreement) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_source_status(obj: Agreement) -> str | None:
        return obj.source.status if obj.source is not None else None


class FiguresOut(Schema):
    agreed: int
    planned: int
    disbursed: int
    spent: int
    returned: int
    accounted: int
    to_disburse: int
    unaccounted: int


class AgreementDetailOut(AgreementOut):
    tranches: list[TrancheOut]
    figures: FiguresOut

    @staticmethod
    def resolve_tranches(obj: Agreement) -> list[Any]:
        return list(Tranche.objects.filter(agreement=obj).order_by("number"))

    @staticmethod
    def resolve_figures(obj: Agreement) -> dict[str, int]:
        return selectors.agreement_figures(obj)


@router.get("/agreements", response=list[AgreementOut], summary="The grant agreements (NPHD)")
@paginate(BoundedPagination)
def list_agreements(
    request: HttpRequest,
    region: str | None = Query(None, max_length=20, description="A granting region code and those below it"),
    election_id: Id | None = None,
) -> Any:
    """Those signed by today, in the reader's area, oldest first."""
    _require_reader(request)
    election = election_or_404(request, election_id)
    code = selectors.region_for(request.user, region).code if region else ""
    rows = selectors.visible(request.user, election, code).select_related("agency", "source")
    return rows.order_by("signed_on", "id")


@router.get("/agreements/{int:agreement_id}", response=AgreementDetailOut, summary="One agreement and its tranches")
def get_agreement(request: HttpRequest, agreement_id: Id) -> Any:
    return _agreement(request, agreement_id)


class AgreementIn(Schema):
    region: str = Field(..., max_length=20, description="The granting region, e.g. 64.02")
    agency_id: Id = Field(..., description="The recipient agency")
    number: str = Field(..., max_length=120)
    signed_on: dt.date
    amount: int = Field(..., description="Whole rupiah")
    purpose: str = Field(..., max_length=300)
    budget_source: str = Field("", max_length=120)
    amends: Id | None = Field(None, description="The agreement this is an addendum of")
    lpj_due: dt.date | None = None


@router.post("/agreements", response={201: AgreementOut}, summary="Record an agreement or addendum (the Desk)")
def create_agreement(request: HttpRequest, payload: AgreementIn, election_id: Id | None = None) -> Any:
    if not scoping.grants(request.user, "budget", scoping.CHANGE):
        raise PermissionDenied(str(actions.ONLY_DESK))
    election = election_or_404(request, election_id)
    place = region_by_code(payload.region, field="region")
    amends = None
    if payload.amends is not None:
        amends = scoping.get_object_for_user(Agreement.objects, request.user, scoping.CHANGE, pk=payload.amends)
    data = payload.dict(exclude={"region", "agency_id", "amends"})
    data.update(region=place, agency=Agency.objects.filter(pk=payload.agency_id).first(), amends=amends)
    agreement = actions.create_agreement(request.user, election, data)
    return Status(201, _agreement(request, agreement.pk))


class TrancheIn(Schema):
    planned_on: dt.date
    planned_amount: int = Field(..., description="Whole rupiah; all tranches together at most the agreement")


@router.post("/agreements/{int:agreement_id}/tranches", response={201: TrancheOut}, summary="Plan a tranche (the Desk)")
def add_tranche(request: HttpRequest, agreement_id: Id, payload: TrancheIn) -> Any:
    agreement = _agreement(request, agreement_id)
    tranche = actions.add_tranche(request.user, agreement, payload.planned_on, payload.planned_amount)
    return Status(201, tranche)


class DisburseIn(Schema):
    disbursed_on: dt.date
    disbursed_amount: int = Field(..., description="Whole rupiah; at most the tranche")
    version: Id


@router.post("/tranches/{int:tranche_id}/disburse", response=TrancheOut, summary="Record a disbursement (the Desk)")
def disburse(request: HttpRequest, tranche_id: Id, payload: DisburseIn) -> Any:
    """Version-checked: a stale ``version`` answers 409."""
    _require_reader(request)
    tranche = scoping.get_object_for_user(
        Tranche.objects.filter(agreement__signed_on__lte=dates.today()).select_related("agreement"),
        request.user,
        pk=tranche_id,
    )
    return actions.disburse(request.user, tranche, payload.disbursed_on, payload.disbursed_amount, payload.version)


class RealisationIn(Schema):
    client_id: uuid.UUID = Field(..., description="Retrying with the same id records the report once")
    period_end: dt.date = Field(..., description="The report covers spending up to this day")
    submitted_on: dt.date
    spent: dict[Category, int] = Field(default_factory=dict, description="Whole rupiah per category")
    returned: int = 0
    final: bool = Field(False, description="The final report (LPJ)")
    note: str = Field("", max_length=500)


class RealisationOut(Schema):
    id: int
    agreement_id: int
    period_end: dt.date
    submitted_on: dt.date
    spent: dict[str, int]
    returned: int
    final: bool

    @staticmethod
    def resolve_spent(obj: Any) -> dict[str, int]:
        return {line.category: line.amount for line in obj.lines.order_by("id")}


@router.post(
    "/agreements/{int:agreement_id}/realisations",
    response={201: RealisationOut},
    summary="Report realisation (the recipient; idempotent)",
)
def report(request: HttpRequest, agreement_id: Id, payload: RealisationIn) -> Any:
    """Only the agreement's recipient agency reports. A retried submission with the same
    ``client_id`` returns the first report; the same id with other figures is refused (409)."""
    agreement = _agreement(request, agreement_id)
    data = payload.dict(exclude={"client_id", "spent"})
    data["lines"] = {str(k): v for k, v in payload.spent.items()}
    kept = actions.report(request.user, agreement, data, client_id=payload.client_id)
    return Status(201, kept)


@router.get("/status/{code}", response=dict[str, Any], summary="A region's grant figures (the report section)")
def status(request: HttpRequest, code: str = Code, election_id: Id | None = None) -> Any:
    """Agreed, planned, disbursed, spent, returned per recipient, the late LPJ and the cited figures
    beside the recorded ones: what ``budget_status --json`` prints. A kecamatan or desa code
    answers for its kabupaten/kota, which grants."""
    _require_reader(request)
    region = selectors.region_for(request.user, code)
    election = election_or_404(request, election_id)
    return selectors.status_figures(election, selectors.granting_code(region.code), request.user)


class SourceOut(Schema):
    status: str
    publisher: str
    title: str
    as_of: str
    url: str
    note: str


class PublicOut(Schema):
    region_code: str
    election: str
    as_of: dt.date
    agreed: int
    disbursed: int
    realised: int = Field(..., description="Spent, as the recipients reported")
    returned: int
    sources: list[SourceOut]


@public_router.get("/{code}", response=PublicOut, auth=None, summary="Public: a region's grant totals")
def public_figures(request: HttpRequest, code: str = Code, election: Id | None = None) -> Any:
    """Totals only, as of the desk's today, with the sources of the figures."""
    region = get_object_or_404(Region, code=code)
    el = public_election(election)
    return selectors.public_figures(el, selectors.granting_code(region.code))
