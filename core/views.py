from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import add_action_errors
from core.models import AuditEntry
from core.registry import registry
from core.scoping import home_region


def tiles(store: str, request: HttpRequest, *args: Any) -> list[dict[str, Any]]:
    """Render data for the cards each capability registered in ``store``; a card may decline (None)."""
    out = []
    for tile in registry.sorted(store):
        data = tile.context(request, *args)
        if data is not None:
            out.append({"name": tile.name, "template": tile.template, "data": data})
    return out


def my_tasks(user: Any, election: Any) -> list[dict[str, Any]]:
    """ "Tugas saya": what this user must do now, from every capability that contributes."""
    if not user.is_authenticated:
        return []
    return [
        {"due": None, "tz": None, "overdue": None, **task}  # the optional keys, for the template
        for source in registry.sorted("my_tasks")
        for task in source.tasks(user, election)
    ]


def form_page(
    request: HttpRequest,
    form: Any,
    save: Any,
    done: Any,
    title: str,
    *,
    aliases: dict[str, str] | None = None,
    template: str = "core/form.html",
    **extra: Any,
) -> HttpResponse:
    """The write pages' one shape: validate, call the action (``save()``), show its errors on the
    form (a stale version included) or go to ``done(obj)`` with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            obj = save()
        except ValidationError as e:
            add_action_errors(form, e, aliases)
        else:
            messages.success(request, _("Saved."))
            return redirect(done(obj))
    return render(request, template, {"form": form, "title": title, **extra})


def home(request: HttpRequest) -> HttpResponse:
    """The desk at a glance: the user's tasks, then each capability's card."""
    election = registry.call("current_election", request)
    ctx = {
        "election": election,
        "tasks": my_tasks(request.user, election),
        "tiles": tiles("home_tiles", request, election, home_region(request.user)),
    }
    return render(request, "core/home.html", ctx)


AUDIT_PAGE = 100


@login_required
def audit_feed(request: HttpRequest) -> HttpResponse:
    """What changed in my area: the audit log through the chokepoint, newest first."""
    entries = AuditEntry.objects.restrict(request.user).select_related("content_type").order_by("-at", "-id")
    return render(request, "core/audit.html", {"entries": entries[:AUDIT_PAGE], "limit": AUDIT_PAGE})


@login_required
def audit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """One change with its old and new values: an entry of the user's area, or one they made
    themselves (an import recorded on a province-wide election is still its uploader's to read)."""
    entry = AuditEntry.objects.restrict(request.user).filter(pk=pk).first()
    entry = entry or AuditEntry.objects.filter(pk=pk, actor=request.user).first()  # type: ignore[misc]
    if entry is None:
        raise Http404(_("No such change."))
    return render(request, "core/audit_entry.html", {"entry": entry})


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
