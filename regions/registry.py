"""What the regions app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.registry import DemoLoader, NavEntry, SummaryBuilder, Tile, registry
from regions import summaries
from regions.models import Region


def map_tile(request: Any, election: Any, region_code: str) -> dict[str, Any] | None:
    """The province map on the home page: the election's region, else the home region."""
    root = election.region if election is not None and election.region_id else None
    root = root or Region.objects.filter(code=region_code).first()
    root = root or Region.objects.filter(code=settings.SINERGI_HOME_REGION).first()
    if root is None:
        return None
    return {"root": root, "election": election, "areas_url": reverse("regions:areas", args=[root.code])}


def load_tree(ctx: dict[str, Any]) -> int:
    """The national region tree first: every other part of the demo hangs on it."""
    from django.core.management import call_command

    if Region.objects.count() < 91_000:
        call_command("import_regions", no_progress=True)
    return Region.objects.count()


def load_demo(ctx: dict[str, Any]) -> int:
    from regions import demo

    return demo.load(ctx)


registry.nav += [
    NavEntry(_("Regions"), "regions:region", "regions", order=10, region_arg=True),
    NavEntry(_("TPS"), "regions:tps_list", "regions", order=20),
]
registry.home_tiles.append(Tile("regions.map", "regions/_home_map.html", map_tile, order=90))
registry.demo_loaders += [
    DemoLoader("regions", load_tree, order=0),
    DemoLoader("tps_created", load_demo, order=30),
]
registry.permission_cases.append("regions.tests.permission_cases")
registry.summaries.append(SummaryBuilder("regions.tps_dpt", rebuild=summaries.rebuild, check=summaries.check))
