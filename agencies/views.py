from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import actions
from agencies.forms import ALIASES, AgencyForm, MembershipForm, NewMemberForm, TokenForm
from agencies.models import Agency, ApiToken, Membership
from core import audit, scoping
from core.forms import add_action_errors
from core.views import form_page


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.restrict(request.user).select_related("region")
    mine = Membership.objects.filter(user_id=request.user.pk or 0, active=True).select_related("agency", "scope")
    can_manage = scoping.can(request.user, "agencies", scoping.MANAGE)
    return render(request, "agencies/agency_list.html", {"agencies": agencies, "mine": mine, "can_manage": can_manage})


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = scoping.get_object_for_user(Agency.objects.select_related("region"), request.user, pk=pk)
    members = list(
        Membership.objects.restrict(request.user)
        .filter(agency=agency)
        .select_related("user", "scope", "agency")
        .order_by("-active", "role", "user__username")
    )
    for m in members:
        m.can_manage = actions.may_manage(request.user, m.scope_codes)  # type: ignore[attr-defined]
    ctx = {
        "agency": agency,
        "members": members,
        "can_manage": actions.may_manage(request.user, (str(agency.region_id), *agency.area_codes)),
        "can_add_member": scoping.can(request.user, "agencies", scoping.MANAGE),
    }
    return render(request, "agencies/agency_detail.html", ctx)


def _form_page(
    request: HttpRequest, form: forms.BaseForm, save: Any, done: Any, title: str, **extra: Any
) -> HttpResponse:
    return form_page(request, form, save, done, title, aliases=ALIASES, template="agencies/form.html", **extra)


def _agency_url(agency_id: int) -> str:
    return reverse("agencies:detail", args=[agency_id])


@login_required
def agency_create(request: HttpRequest) -> HttpResponse:
    if not scoping.can(request.user, "agencies", scoping.MANAGE):
        raise PermissionDenied(_("You may not set up agencies."))
    form = AgencyForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda: actions.create_agency(request.user, form.data_for_action()),
        lambda a: _agency_url(a.pk),
        _("New agency"),
    )


@login_required
def agency_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agency = scoping.get_object_for_user(Agency.objects, request.user, scoping.MANAGE, pk=pk)
    if not actions.may_manage(request.user, (str(agency.region_id), *agency.area_codes)):
        raise PermissionDenied(_("You may not change agencies in this area."))
    form = AgencyForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    return _form_page(
        request,
        form,
        lambda: actions.update_agency(request.user, agency, form.data_for_action(), int(form.cleaned_data["version"])),
        lambda a: _agency_url(a.pk),
        _("Edit %(name)s") % {"name": agency.name},
        history=audit.history(agency),
    )


@login_required
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    agency = scoping.get_object_for_user(Agency.objects, request.user, pk=pk)
    if not scoping.can(request.user, "agencies", scoping.MANAGE):
        raise PermissionDenied(_("You may not add members."))
    form = NewMemberForm(request.POST or None)

    def save() -> Membership:
        d = form.cleaned_data
        return actions.add_member(
            request.user,
            agency,
            form.data_for_action(),
            username=d["username"],
            password=d["password"],
            first_name=d["first_name"],
            last_name=d["last_name"],
        )

    return _form_page(
        request, form, save, lambda m: _agency_url(agency.pk), _("Add a member to %(name)s") % {"name": agency.name}
    )


@login_required
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = scoping.get_object_for_user(
        Membership.objects.select_related("agency", "user", "scope"), request.user, pk=pk
    )
    if not actions.may_manage(request.user, membership.scope_codes):
        raise PermissionDenied(_("You may not change members in this area."))
    form = MembershipForm.for_membership(request.POST or None, membership)
    tokens = ApiToken.objects.filter(user_id=membership.user_id, revoked_at__isnull=True).order_by("-created_at")
    return _form_page(
        request,
        form,
        lambda: actions.update_membership(
            request.user, membership, form.data_for_action(), int(form.cleaned_data["version"])
        ),
        lambda m: _agency_url(membership.agency_id),
        _("%(user)s at %(agency)s") % {"user": membership.user.username, "agency": membership.agency.name},
        history=audit.history(membership),
        tokens=tokens,
    )


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    """My API tokens: issue one (the key is shown once) and revoke."""
    form = TokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, key = actions.issue_token(request.user, form.cleaned_data["name"])
        except ValidationError as e:
            add_action_errors(form, e)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user_id=request.user.pk or 0).order_by("revoked_at", "-created_at")
    return render(request, "agencies/tokens.html", {"form": form, "tokens": tokens, "key": key})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("user"), pk=pk)
    if not actions.may_revoke(request.user, token):
        raise Http404(_("Not found."))  # someone else's token: its existence is not revealed
    try:
        actions.revoke_token(request.user, token)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("Token %(prefix)s… revoked.") % {"prefix": token.prefix})
    nxt = request.POST.get("next", "")
    return redirect(nxt if nxt.startswith("/") and not nxt.startswith("//") else reverse("agencies:tokens"))
