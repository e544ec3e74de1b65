"""The "Akun terkunci" page: Desk admins see the user names locked after failed log-ins and unlock them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs
from core.actions import unlock_login


@login_required
def lockout_list(request: HttpRequest) -> HttpResponse:
    from axes.models import AccessAttempt

    if not jobs.may_manage(request.user):
        raise PermissionDenied(_("Only the Desk Pilkada admins unlock accounts."))
    rows = (
        AccessAttempt.objects.values("username")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .order_by("-last")[:500]
    )
    limit = settings.AXES_FAILURE_LIMIT
    return render(request, "core/lockouts.html", {"rows": rows, "limit": limit})


@login_required
@require_POST
def lockout_unlock(request: HttpRequest) -> HttpResponse:
    username = request.POST.get("username", "")
    try:
        unlock_login(request.user, username)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, _("%(name)s may log in again.") % {"name": username})
    return redirect("core:lockouts")
