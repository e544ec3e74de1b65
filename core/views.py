from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from core.dates import today
from core.scoping import home_region
from elections.models import Election
from regions.models import Region


def home(request: HttpRequest) -> HttpResponse:
    """Countdown, current stage and the province map: the first thing a rakor asks."""
    elections = Election.objects.restrict(request.user) if request.user.is_authenticated else Election.objects.all()
    election = Election.current(elections.select_related("region"))
    stage = election.current_stage() if election else None
    root = election.region if election and election.region else None
    root = root or Region.objects.filter(code=settings.SINERGI_HOME_REGION).first()
    ctx: dict[str, Any] = {
        "election": election,
        "stage": stage,
        "today": today(),
        "root": root,
        "areas_url": reverse("regions:areas", args=[root.code]) if root else "",
    }
    if election:
        ctx["days"] = election.days_to_go()
    if request.user.is_authenticated:
        from logistics.summary import summary

        home = Region.objects.filter(code=home_region(request.user)).first()
        ctx["logistics"] = summary(request.user, election, home)
    return render(request, "core/home.html", ctx)


def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"code": 404, "message": exception_message(exception)}, status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "core/error.html", {"code": 403, "message": exception_message(exception)}, status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "core/error.html", {"code": 500, "message": ""}, status=500)


def exception_message(exception: Exception | None) -> str:
    if exception is None or not exception.args:
        return ""
    msg = exception.args[0]
    # Django's own "No X matches the given query." stays hidden; our messages are translated text.
    return str(msg) if isinstance(msg, str) and "matches the given query" not in msg else ""
