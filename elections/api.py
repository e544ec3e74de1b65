"""API for elections, contests, candidate pairs and stages (read; KPU writes via the UI later)."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from core import scoping
from elections.models import CandidatePair, Contest, Election, Stage

router = Router()


class StageOut(Schema):
    id: int
    name: str
    start: dt.date
    end: dt.date
    basis: str
    status: str


class PairOut(Schema):
    id: int
    number: int
    head_name: str
    deputy_name: str
    parties: str
    independent: bool


class ContestOut(Schema):
    id: int
    kind: str
    name: str
    region_code: str
    voting_date: dt.date
    revote_of_id: int | None
    revote_basis: str
    pairs: list[PairOut]

    @staticmethod
    def resolve_region_code(obj: Contest) -> str:
        return str(obj.region_id)

    @staticmethod
    def resolve_voting_date(obj: Contest) -> dt.date:
        return obj.day

    @staticmethod
    def resolve_pairs(obj: Contest) -> list[CandidatePair]:
        return list(obj.pairs.order_by("number"))


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
    return Election.objects.restrict(request.user)


@router.get("/{int:election_id}", response=ElectionOut)
def get_election(request: HttpRequest, election_id: int) -> Any:
    return scoping.get_object_for_user(Election.objects, request.user, pk=election_id)


@router.get("/{int:election_id}/contests", response=list[ContestOut])
def list_contests(request: HttpRequest, election_id: int) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=election_id)
    return Contest.objects.restrict(request.user).filter(election=election).select_related("election")


@router.get("/{int:election_id}/stages", response=list[StageOut])
def list_stages(request: HttpRequest, election_id: int) -> Any:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=election_id)
    return Stage.objects.restrict(request.user).filter(election=election)


@router.get("/contests/{int:contest_id}/candidates", response=list[PairOut])
def list_candidates(request: HttpRequest, contest_id: int) -> Any:
    contest = scoping.get_object_for_user(Contest.objects, request.user, pk=contest_id)
    return CandidatePair.objects.restrict(request.user).filter(contest=contest)
