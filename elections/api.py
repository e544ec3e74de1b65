"""API for elections, contests, candidate pairs and stages. KPU writes them through the actions;
a PATCH carries the version read and gets 409 when someone else saved in between."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from core import scoping
from core.api import Id
from elections import actions
from elections.models import CandidatePair, Contest, ContestKind, Election, ElectionKind, Stage
from regions.selectors import region_by_code

router = Router()


class StageOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    basis: str
    status: str
    version: int


class PairOut(Schema):
    id: int
    number: int
    head_name: str
    deputy_name: str
    parties: str
    independent: bool
    version: int


class ContestOut(Schema):
    id: int
    kind: str
    name: str
    region_code: str
    voting_date: dt.date
    revote_of_id: int | None
    revote_basis: str
    effective_from: dt.date | None
    pairs: list[PairOut]
    version: int

    @staticmethod
    def resolve_region_code(obj: Contest) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_voting_date(obj: Contest) -> dt.date:
        return obj.day

    @staticmethod
    def resolve_pairs(obj: Contest) -> list[CandidatePair]:
        return list(obj.pairs.all())  # prefetched in number order (list_contests)


class ElectionOut(Schema):
    id: int
    name: str
    kind: str
    region_code: str | None
    voting_date: dt.date
    timezone: str
    max_voters_per_tps: int
    days_to_go: int
    current_stage: str | None
    version: int

    @staticmethod
    def resolve_region_code(obj: Election) -> str | None:
        return obj.region_id  # type: ignore[return-value]

    @staticmethod
    def resolve_days_to_go(obj: Election) -> int:
        return obj.days_to_go()

    @staticmethod
    def resolve_current_stage(obj: Election) -> str | None:
        stage = obj.current_stage()
        return stage.name if stage else None


@router.get("/", response=list[ElectionOut])
def list_elections(request: HttpRequest) -> Any:
    return Election.objects.restrict(request.user).prefetch_related("stages")


@router.get("/{int:election_id}", response=ElectionOut)
def get_election(request: HttpRequest, election_id: Id) -> Any:
    return scoping.get_object_for_user(Election.objects, request.user, pk=election_id)


@router.get("/{int:election_id}/contests", response=list[ContestOut])
def list_contests(request: HttpRequest, election_id: Id) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=election_id)
    return (
        Contest.objects.visible()
        .restrict(request.user)
        .filter(election=election)
        .select_related("election")
        .prefetch_related(Prefetch("pairs", queryset=CandidatePair.objects.order_by("number")))
    )


@router.get("/{int:election_id}/stages", response=list[StageOut])
def list_stages(request: HttpRequest, election_id: Id) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=election_id)
    return Stage.objects.restrict(request.user).filter(election=election)


@router.get("/contests/{int:contest_id}/candidates", response=list[PairOut])
def list_candidates(request: HttpRequest, contest_id: Id) -> Any:
    contest = scoping.get_object_for_user(Contest.objects.visible(), request.user, pk=contest_id)
    return CandidatePair.objects.restrict(request.user).filter(contest=contest)


# --- writes ----------------------------------------------------------------------------------

VERSION = Field(..., description="The version you read; a newer one on the server is a conflict (409).")


def _with_region(data: dict[str, Any], required: bool = True) -> dict[str, Any]:
    if "region_code" in data:
        data["region"] = region_by_code(data.pop("region_code"), required=required, field="region_code")
    return data


class ElectionIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: ElectionKind
    region_code: str | None = Field(None, description="Province or kab/kota code; empty: nationwide")
    voting_date: dt.date
    timezone: str = "Asia/Makassar"
    max_voters_per_tps: int = Field(600, ge=1)


class ElectionPatch(Schema):
    version: int = VERSION
    name: str | None = Field(None, min_length=1, max_length=200)
    kind: ElectionKind | None = None
    region_code: str | None = None
    voting_date: dt.date | None = None
    timezone: str | None = None
    max_voters_per_tps: int | None = Field(None, ge=1)


class ContestIn(Schema):
    kind: ContestKind
    region_code: str
    name: str = Field(..., min_length=1, max_length=200)
    voting_date: dt.date | None = None
    effective_from: dt.date | None = Field(None, description="Date of the legal basis; hidden before it")
    revote_of_id: int | None = None
    revote_basis: str = ""


class ContestPatch(Schema):
    version: int = VERSION
    kind: ContestKind | None = None
    region_code: str | None = None
    name: str | None = Field(None, min_length=1, max_length=200)
    voting_date: dt.date | None = None
    effective_from: dt.date | None = None
    revote_of_id: int | None = None
    revote_basis: str | None = None


class PairIn(Schema):
    number: int = Field(..., ge=1)
    head_name: str = Field(..., min_length=1, max_length=150)
    deputy_name: str = Field(..., min_length=1, max_length=150)
    parties: str = ""
    independent: bool = False


class PairPatch(Schema):
    version: int = VERSION
    number: int | None = Field(None, ge=1)
    head_name: str | None = Field(None, min_length=1, max_length=150)
    deputy_name: str | None = Field(None, min_length=1, max_length=150)
    parties: str | None = None
    independent: bool | None = None


class StageIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    start: dt.date
    end: dt.date
    basis: str = "PKPU 2/2024"


class StagePatch(Schema):
    version: int = VERSION
    name: str | None = Field(None, min_length=1, max_length=200)
    start: dt.date | None = None
    end: dt.date | None = None
    basis: str | None = None


def _revote(election_id: int, data: dict[str, Any]) -> dict[str, Any]:
    if "revote_of_id" in data:
        rid = data.pop("revote_of_id")
        data["revote_of"] = None
        if rid is not None:
            data["revote_of"] = Contest.objects.filter(pk=rid, election_id=election_id).first()
            if data["revote_of"] is None:
                raise ValidationError({"revote_of_id": [_("No contest %(id)s in this election.") % {"id": rid}]})
    return data


@router.post("/", response={201: ElectionOut})
def create_election(request: HttpRequest, payload: ElectionIn) -> Any:
    data = _with_region(payload.dict(), required=False)
    return Status(201, actions.create_election(request.user, data))


@router.patch("/{int:election_id}", response=ElectionOut)
def update_election(request: HttpRequest, election_id: Id, payload: ElectionPatch) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, scoping.CHANGE, pk=election_id)
    data = _with_region(payload.dict(exclude_unset=True), required=False)
    version = data.pop("version")
    return actions.update_election(request.user, election, data, version)


@router.post("/{int:election_id}/contests", response={201: ContestOut})
def create_contest(request: HttpRequest, election_id: Id, payload: ContestIn) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=election_id)
    data = _revote(election.pk, _with_region(payload.dict()))
    return Status(201, actions.create_contest(request.user, election, data))


@router.patch("/contests/{int:contest_id}", response=ContestOut)
def update_contest(request: HttpRequest, contest_id: Id, payload: ContestPatch) -> Any:
    contest = scoping.get_object_for_user(
        Contest.objects.select_related("election"), request.user, scoping.CHANGE, pk=contest_id
    )
    data = _revote(contest.election_id, _with_region(payload.dict(exclude_unset=True)))
    version = data.pop("version")
    return actions.update_contest(request.user, contest, data, version)


@router.post("/contests/{int:contest_id}/candidates", response={201: PairOut})
def create_pair(request: HttpRequest, contest_id: Id, payload: PairIn) -> Any:
    contest = scoping.get_object_for_user(Contest.objects, request.user, pk=contest_id)
    return Status(201, actions.create_pair(request.user, contest, payload.dict()))


@router.patch("/candidates/{int:pair_id}", response=PairOut)
def update_pair(request: HttpRequest, pair_id: Id, payload: PairPatch) -> Any:
    pair = scoping.get_object_for_user(
        CandidatePair.objects.select_related("contest"), request.user, scoping.CHANGE, pk=pair_id
    )
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return actions.update_pair(request.user, pair, data, version)


@router.post("/{int:election_id}/stages", response={201: StageOut})
def create_stage(request: HttpRequest, election_id: Id, payload: StageIn) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=election_id)
    return Status(201, actions.create_stage(request.user, election, payload.dict()))


@router.patch("/stages/{int:stage_id}", response=StageOut)
def update_stage(request: HttpRequest, stage_id: Id, payload: StagePatch) -> Any:
    stage = scoping.get_object_for_user(
        Stage.objects.select_related("election"), request.user, scoping.CHANGE, pk=stage_id
    )
    data = payload.dict(exclude_unset=True)
    version = data.pop("version")
    return actions.update_stage(request.user, stage, data, version)
