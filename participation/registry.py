"""What the participation app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import dates, formats
from core.registry import DemoLoader, NavEntry, Tile, registry
from participation import selectors


def figures(request: Any, election: Any, code: str) -> dict[str, Any] | None:
    """What the home tile and the report section share: the region's targets, last turnout, the
    distance between them, the gap by kecamatan and the voting-day turnout -- figures and counts only,
    the same for every reader."""
    from regions.models import Region

    if election is None or not selectors.may_read(request.user):
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        return None
    data = selectors.status_figures(election, region, dates.today())
    data["code"] = code
    data["formula_text"] = selectors.formula()
    return data


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
    data["decide"] = [
        {
            "text": _("%(name)s: %(n)s more voters needed to reach the target")
            % {"name": r["name"], "n": formats.number(r["needed"])},
            "url": reverse("participation:region", args=[region.code]),
        }
        for r in data["gap"]
        if r["code"] in data["focus"][:1]
    ]
    return data


def report_map(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    """The region's kecamatan coloured by the voters needed to reach the target, on the report page."""
    if election is None or region is None or not selectors.may_read(request.user):
        return None
    return {"areas_url": reverse("participation:areas", args=[region.code]), "election": election, "region": region}


def load_demo(ctx: dict[str, Any]) -> Any:
    from participation import demo

    return demo.load(ctx)


registry.nav.append(
    NavEntry(_lazy("Participation"), "participation:region", order=60, region_arg=True, condition=selectors.may_read)
)
registry.home_tiles.append(Tile("participation.overview", "participation/_home.html", home_tile, order=60))
registry.report_sections.append(Tile("participation", "participation/_report.html", report_section, order=60))
registry.report_maps.append(Tile("participation.map", "participation/_report_map.html", report_map, order=60))
registry.demo_loaders.append(DemoLoader("participation", load_demo, order=60))
registry.permission_cases.append("participation.tests.permission_cases")
