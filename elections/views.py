from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from core import audit, scoping
from core.dates import today
from core.views import form_page
from elections import actions
from elections.forms import ContestForm, ElectionForm, PairForm, StageForm, VersionedForm
from elections.models import CandidatePair, Contest, Election, Stage


@login_required
def election_list(request: HttpRequest) -> HttpResponse:
    elections = Election.objects.restrict(request.user).select_related("region")
    can_change = scoping.can(request.user, "elections", scoping.CHANGE)
    return render(request, "elections/election_list.html", {"elections": elections, "can_change": can_change})


@login_required
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = scoping.get_object_for_user(Election.objects.select_related("region"), request.user, pk=pk)
    contests_qs = (
        Contest.objects.visible()
        .restrict(request.user)
        .filter(election=election)
        .select_related("region", "revote_of")
        .prefetch_related(Prefetch("pairs", queryset=CandidatePair.objects.order_by("number"), to_attr="pair_list"))
    )
    contests = list(contests_qs)
    for c in contests:
        c.can_change = actions.may_change(request.user, c.region_id)  # type: ignore[attr-defined]
    stages = list(election.stages.all())
    current = election.current_stage()
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "contests": contests,
            "stages": stages,
            "current": current,
            "today": today(),
            "can_change": actions.may_change(request.user, election.region_id),
            "can_add_contest": scoping.can(request.user, "elections", scoping.CHANGE),
        },
    )


# --- writing: KPU sets up elections, contests, pairs and stages -----------------------------


def _form_page(
    request: HttpRequest, form: VersionedForm, save: Any, done: Any, title: str, **extra: Any
) -> HttpResponse:
    """The core write page; the actions take the form's data and name ``region`` for ``region_code``."""
    return form_page(
        request, form, lambda: save(form.data_for_action()), done, title, aliases={"region": "region_code"}, **extra
    )


def _fresh(obj: Any) -> Any:
    """A separate copy for the form to fill, so the action sees the record as stored."""
    return type(obj)._default_manager.get(pk=obj.pk)


def _version(form: VersionedForm) -> int:
    return int(form.cleaned_data["version"])


def _changeable(request: HttpRequest, region_code: str | None) -> None:
    """Visible is not changeable: a kabupaten's KPU sees the province-wide election (403, not 404)."""
    if not actions.may_change(request.user, region_code):
        raise PermissionDenied(_("You may view this record but not change it."))


def _detail(election_id: int) -> str:
    return reverse("elections:detail", args=[election_id])


@login_required
def election_create(request: HttpRequest) -> HttpResponse:
    if not scoping.can(request.user, "elections", scoping.CHANGE):
        raise PermissionDenied(_("You may not create elections."))
    form = ElectionForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: actions.create_election(request.user, data),
        lambda e: _detail(e.pk),
        _("New election"),
    )


@login_required
def election_edit(request: HttpRequest, pk: int) -> HttpResponse:
    election = scoping.get_object_for_user(Election.objects, request.user, scoping.CHANGE, pk=pk)
    _changeable(request, election.region_id)
    form = ElectionForm(request.POST or None, instance=_fresh(election))
    return _form_page(
        request,
        form,
        lambda data: actions.update_election(request.user, election, data, _version(form)),
        lambda e: _detail(e.pk),
        _("Edit %(name)s") % {"name": election.name},
        history=audit.history(election),
    )


@login_required
def contest_create(request: HttpRequest, pk: int) -> HttpResponse:
    election = scoping.get_object_for_user(Election.objects, request.user, pk=pk)
    if not scoping.can(request.user, "elections", scoping.CHANGE):
        raise PermissionDenied(_("You may not add contests."))
    form = ContestForm(request.POST or None, election=election, user=request.user)
    return _form_page(
        request,
        form,
        lambda data: actions.create_contest(request.user, election, data),
        lambda c: _detail(election.pk),
        _("New contest in %(name)s") % {"name": election.name},
    )


@login_required
def contest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contest = scoping.get_object_for_user(
        Contest.objects.select_related("election"), request.user, scoping.CHANGE, pk=pk
    )
    _changeable(request, contest.region_id)
    form = ContestForm(request.POST or None, instance=_fresh(contest), election=contest.election, user=request.user)
    return _form_page(
        request,
        form,
        lambda data: actions.update_contest(request.user, contest, data, _version(form)),
        lambda c: _detail(contest.election_id),
        _("Edit %(name)s") % {"name": contest.name},
        history=audit.history(contest),
    )


@login_required
def pair_create(request: HttpRequest, pk: int) -> HttpResponse:
    contest = scoping.get_object_for_user(Contest.objects, request.user, scoping.CHANGE, pk=pk)
    _changeable(request, contest.region_id)
    form = PairForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: actions.create_pair(request.user, contest, data),
        lambda p: _detail(contest.election_id),
        _("New candidate pair in %(name)s") % {"name": contest.name},
    )


@login_required
def pair_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pair = scoping.get_object_for_user(
        CandidatePair.objects.select_related("contest"), request.user, scoping.CHANGE, pk=pk
    )
    _changeable(request, pair.contest.region_id)
    form = PairForm(request.POST or None, instance=_fresh(pair))
    return _form_page(
        request,
        form,
        lambda data: actions.update_pair(request.user, pair, data, _version(form)),
        lambda p: _detail(pair.contest.election_id),
        _("Edit %(name)s") % {"name": pair},
        history=audit.history(pair),
    )


@login_required
def stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    election = scoping.get_object_for_user(Election.objects, request.user, scoping.CHANGE, pk=pk)
    _changeable(request, election.region_id)
    form = StageForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: actions.create_stage(request.user, election, data),
        lambda s: _detail(election.pk),
        _("New stage of %(name)s") % {"name": election.name},
    )


@login_required
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = scoping.get_object_for_user(Stage.objects.select_related("election"), request.user, scoping.CHANGE, pk=pk)
    _changeable(request, stage.election.region_id)
    form = StageForm(request.POST or None, instance=_fresh(stage))
    return _form_page(
        request,
        form,
        lambda data: actions.update_stage(request.user, stage, data, _version(form)),
        lambda s: _detail(stage.election_id),
        _("Edit %(name)s") % {"name": stage.name},
        history=audit.history(stage),
    )
