"""What the meetings app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import dates, formats, scoping
from core.models import Source
from core.registry import DemoLoader, NavEntry, PeriodicJob, TaskSource, Tile, registry
from meetings import actions, reminders, selectors
from meetings.models import ActionItem, ReadinessItem

TASK_LIMIT = 20
LIST_LIMIT = 20


def my_actions(user: Any, election: Any) -> list[dict[str, Any]]:
    """ "Tugas saya": the open action items of the agencies the user works for (as operator or admin)."""
    agency_ids = actions.owned_agency_ids(user)
    if not agency_ids:
        return []
    rows = (
        ActionItem.objects.restrict(user)
        .filter(owner_id__in=agency_ids, status="open")
        .select_related("owner")
        .order_by("due", "id")[:TASK_LIMIT]
    )
    today = dates.today()
    return [
        {
            "title": _("%(action)s (due %(due)s)") % {"action": a.title, "due": formats.day(a.due)},
            "url": reverse("meetings:action", args=[a.pk]),
            "overdue": (today - a.due) if a.due < today else None,
            "kind": _("Rakor action"),
        }
        for a in rows
    ]


def _badge(sources: set[Any]) -> Any:
    """Figures that count the demo's records say so (their source); users' own entries carry none."""
    from core.provenance import badge

    found = sorted((s for s in sources if s is not None), key=lambda s: s.status != "illustrative")
    return badge([], registry_source=found[0]) if found else None


def readiness_section(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    if election is None or region is None or not scoping.can(request.user, "readiness", scoping.VIEW):
        return None
    rows = selectors.readiness_by_agency(request.user, election, region.code)
    sources = (
        ReadinessItem.objects.restrict(request.user)
        .filter(scoping.subtree_q("region", region.code), election=election, source__isnull=False)
        .values_list("source_id", flat=True)
        .distinct()
    )

    decide = [
        {
            "text": _("%(agency)s: %(n)s readiness items past due and not ready")
            % {"agency": r["agency"], "n": r["late"]},
            "url": reverse("meetings:readiness") + f"?agency={r['agency_id']}",
        }
        for r in rows
        if r["late"]
    ]
    return {
        "rows": rows,
        "as_of": dates.now(election.timezone),
        "tz": election.timezone,
        "badge": _badge(set(Source.objects.filter(pk__in=list(sources)))),
        "decide": decide,
    }


def actions_section(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    if election is None or region is None or not scoping.can(request.user, "meeting_actions", scoping.VIEW):
        return None
    open_qs = selectors.open_actions(request.user, region.code, election)
    late = list(selectors.overdue(request.user, region.code, election)[:LIST_LIMIT])
    today = dates.today()
    decide = [
        {
            "text": _("Overdue by %(late)s: %(action)s (%(agency)s)")
            % {"late": formats.duration(today - a.due), "action": a.title, "agency": a.owner.name},
            "url": reverse("meetings:action", args=[a.pk]),
        }
        for a in late
    ]
    return {
        "open": open_qs.count(),
        "overdue": selectors.overdue(request.user, region.code, election).count(),
        "late": late,
        "today": today,
        "as_of": dates.now(election.timezone),
        "tz": election.timezone,
        "badge": _badge({a.source for a in late}),
        "decide": decide,
    }


def home_tile(request: Any, election: Any, region_code: str) -> dict[str, Any] | None:
    """A card: the next and last meeting, the overdue actions and readiness in the user's area."""
    user = request.user
    if not user.is_authenticated or not scoping.can(user, "meetings", scoping.VIEW):
        return None
    now = dates.now(election.timezone if election else settings.TIME_ZONE)
    meetings = selectors.meetings_in(user)
    readiness = None
    if election is not None and scoping.can(user, "readiness", scoping.VIEW):
        rows = selectors.readiness_by_agency(user, election, region_code)
        total, ready = sum(r["total"] for r in rows), sum(r["ready"] for r in rows)
        readiness = {
            "total": total,
            "ready": ready,
            "late": sum(r["late"] for r in rows),
            "percent": round(100.0 * ready / total, 1) if total else 0.0,
        }
    return {
        "next": meetings.filter(starts_at__gte=now).order_by("starts_at").first(),
        "last": meetings.filter(starts_at__lt=now).order_by("-starts_at").first(),
        "overdue": selectors.overdue(user, election=election).count() if election else 0,
        "readiness": readiness,
        "region_code": region_code,
    }


def load_demo(ctx: dict[str, Any]) -> Any:
    from meetings import demo

    return demo.load(ctx)


def replay_demo(ctx: dict[str, Any], moment: Any) -> Any:
    from meetings import demo

    return demo.replay(ctx, moment)


registry.nav.append(NavEntry(_lazy("Meetings"), "meetings:list", "meetings", order=55))
registry.home_tiles.append(Tile("meetings.next", "meetings/_home.html", home_tile, order=55))
registry.report_sections.append(
    Tile("meetings.readiness", "meetings/_report_readiness.html", readiness_section, order=10)
)
registry.report_sections.append(Tile("meetings.actions", "meetings/_report_actions.html", actions_section, order=20))
registry.my_tasks.append(TaskSource("meetings.actions", my_actions, order=20))
registry.periodic_jobs.append(PeriodicJob("meetings.reminders", reminders.run, minutes=60))
registry.demo_loaders.append(DemoLoader("meetings", load_demo, order=60, replay=replay_demo))
registry.permission_cases.append("meetings.tests.permission_cases")
