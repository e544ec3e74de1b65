"""What the violations app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import dates, scoping
from core.registry import DemoLoader, NavEntry, TaskSource, Tile, registry
from violations import selectors

LIST_LIMIT = 10
TASK_LIMIT = 20  # of each kind among a Bawaslu officer's tasks


def figures(request: Any, election: Any, code: str) -> dict[str, Any] | None:
    """What the home tile and the report section share: the region's counts (aggregates, the same
    for everyone) and the cases near or past a deadline that the reader may see."""
    user = request.user
    if election is None or not selectors.may_read(user):
        return None
    stats = selectors.statistics(election, code)
    late = selectors.due(user, election, code, limit=LIST_LIMIT)
    return {
        "code": code,
        "stats": stats,
        "near": late["near"],
        "overdue": late["overdue"],
        "near_total": late["near_total"],
        "overdue_total": late["overdue_total"],
        "narrowed": selectors.narrowed(user, code),
        "tz": election.timezone,
    }


def home_tile(request: Any, election: Any, region_code: str) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    return figures(request, election, region_code)


def report_section(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    if region is None:
        return None
    data = figures(request, election, region.code)
    if data is None:
        return None
    # a kept report is read by every agency of the meeting: counts only, never a case (its
    # summary names a party, and a Gakkumdu partner may not read a case not referred to it)
    data["near"] = data["overdue"] = []
    data["decide"] = (
        [
            {
                "text": _("%(n)s violation case(s) past their legal deadline") % {"n": data["overdue_total"]},
                "url": reverse("violations:region", args=[region.code]),
            }
        ]
        if data["overdue_total"]
        else []
    )
    return data


def my_cases(user: Any, election: Any) -> list[dict[str, Any]]:
    """Bawaslu's to-dos: its cases past or near their deadline."""
    if election is None or not scoping.can(user, "violations", scoping.CHANGE):
        return []
    late = selectors.due(user, election, limit=TASK_LIMIT)
    tz = zoneinfo.ZoneInfo(election.timezone)
    today = dates.today()
    out = []
    for d in late["overdue"] + late["near"]:
        deadline = d.case.deadline
        due = dt.datetime.combine(deadline, dt.time(23, 59), tzinfo=tz) if deadline else None
        out.append(
            {
                "title": _("Case #%(n)s: %(what)s (%(status)s)")
                % {"n": d.case.number, "what": d.case.summary, "status": d.case.get_status_display()},
                "url": reverse("violations:case", args=[d.case.pk]),
                "kind": _("Violation case"),
                "due": due,
                "tz": election.timezone,
                "overdue": (today - deadline) if deadline and d.overdue else None,
            }
        )
    return out


def load_demo(ctx: dict[str, Any]) -> Any:
    from violations import demo

    return demo.load(ctx)


def replay_demo(ctx: dict[str, Any], moment: Any) -> Any:
    from violations import demo

    return demo.replay(ctx, moment)


registry.nav.append(
    NavEntry(_lazy("Violations"), "violations:region", order=48, region_arg=True, condition=selectors.may_read)
)
registry.home_tiles.append(Tile("violations.overview", "violations/_home.html", home_tile, order=48))
registry.report_sections.append(Tile("violations", "violations/_report.html", report_section, order=48))
registry.my_tasks.append(TaskSource("violations.deadlines", my_cases, order=30))
registry.demo_loaders.append(DemoLoader("violations", load_demo, order=55, replay=replay_demo))
registry.permission_cases.append("violations.tests.permission_cases")
