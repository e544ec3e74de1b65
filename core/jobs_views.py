"""The "Pekerjaan latar" (background jobs) page: what is waiting, what failed and why."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import jobs
from core.models import Job


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    if not jobs.may_manage(request.user):
        raise PermissionDenied(_("Only the Desk Pilkada admins manage background jobs."))
    return render(request, "core/jobs.html", {"jobs": jobs.listed()[:500]})


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    jobs.retry(request.user, job)
    messages.success(request, _("The job will run at the worker's next turn."))
    return redirect("core:jobs")


@login_required
@require_POST
def job_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    jobs.dismiss(request.user, job)
    messages.success(request, _("The job was dismissed."))
    return redirect("core:jobs")
