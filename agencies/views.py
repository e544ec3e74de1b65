from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agencies.models import Agency, Membership
from core import scoping


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.restrict(request.user).select_related("region")
    mine = Membership.objects.filter(user_id=request.user.pk or 0, active=True).select_related("agency", "scope")
    return render(request, "agencies/agency_list.html", {"agencies": agencies, "mine": mine})


@login_required
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agency = scoping.get_object_for_user(Agency.objects.select_related("region"), request.user, pk=pk)
    members = (
        Membership.objects.restrict(request.user)
        .filter(agency=agency, active=True)
        .select_related("user", "scope")
        .order_by("role", "user__username")
    )
    return render(request, "agencies/agency_detail.html", {"agency": agency, "members": members})
