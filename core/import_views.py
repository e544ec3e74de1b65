"""The status page of a background import: its progress while it runs, its result at the end."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core import import_runs


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_runs.get_for_user(request.user, pk)
    ctx = import_runs.page_context(run)
    # htmx polls the status block alone; it stops when the block it gets back no longer polls
    template = "core/_import_run.html" if request.htmx else "core/import_run.html"  # type: ignore[attr-defined]
    return render(request, template, ctx)
