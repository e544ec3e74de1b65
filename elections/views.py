from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import scoping
from core.dates import today
from elections.models import CandidatePair, Contest, Election


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    elections = Election.objects.restrict(request.user).select_related("region")
    return render(request, "elections/election_list.html", {"elections": elections})


@login_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = scoping.get_object_for_user(Election.objects.select_related("region"), request.user, pk=pk)
    contests = (
        Contest.objects.restrict(request.user)
        .filter(election=election)
        .select_related("region", "revote_of")
        .prefetch_related(Prefetch("pairs", queryset=CandidatePair.objects.order_by("number"), to_attr="pair_list"))
    )
    stages = list(election.stages.all())
    current = election.current_stage()
    return render(
        request,
        "elections/election_detail.html",
        {"election": election, "contests": contests, "stages": stages, "current": current, "today": today()},
    )
