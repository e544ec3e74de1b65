"""What the budget app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from budget import selectors
from core.registry import DemoLoader, NavEntry, Tile, registry


def figures(request: Any, election: Any, code: str) -> dict[str, Any] | None:
    """What the home tile and the report section share: the region's grant figures (aggregates,
    the same for every reader), its late LPJ and the cited figures beside the recorded ones."""
    if election is None or not selectors.may_read(request.user):
        return None
    data = selectors.for_reader(request.user, election, selectors.figures(election, selectors.granting_code(code)))
    data["disagree"] = any(c["difference"] for c in data["cited"])
    return data


def home_tile(request: Any, election: Any, region_code: str) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    return figures(request, election, region_code)


def report_section(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    """Agreed / disbursed / accounted per recipient and the late LPJ: read by every agency of the
    meeting (every agency kind reads grants)."""
    if region is None:
        return None
    data = figures(request, election, region.code)
    if data is None:
        return None
    data["decide"] = (
        [
            {
                "text": _("%(n)s grant accountability report(s) (LPJ) late") % {"n": len(data["late"])},
                "url": reverse("budget:region", args=[region.code]),
            }
        ]
        if data["late"]
        else []
    )
    return data


def load_demo(ctx: dict[str, Any]) -> Any:
    from budget import demo

    return demo.load(ctx)


registry.nav.append(NavEntry(_lazy("Grants"), "budget:region", order=62, region_arg=True, condition=selectors.may_read))
registry.home_tiles.append(Tile("budget.overview", "budget/_home.html", home_tile, order=62))
registry.report_sections.append(Tile("budget", "budget/_report.html", report_section, order=62))
registry.demo_loaders.append(DemoLoader("budget", load_demo, order=62))
registry.permission_cases.append("budget.tests.permission_cases")
