"""What the regions app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import scoping
from core.imports import Progress
from core.registry import DemoLoader, Importer, NavEntry, SummaryBuilder, Tile, registry
from elections.models import Election
from regions import actions, importers, summaries
from regions.importers import TPS_SPEC
from regions.models import Region

TPS_IMPORT = "regions.tps"


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


def import_tps(actor: Any, target: str, data: bytes, filename: str, progress: Progress) -> dict[str, int]:
    """A TPS file imported in the background: the same action as the import page's."""
    election = Election.objects.get(pk=int(target))
    return actions.import_polling_stations(actor, election, data, filename, progress=progress)


def may_import_tps(user: Any, target: str) -> bool:
    """Asked on upload and again when the job starts: the uploader still changes TPS somewhere
    and still sees the election (the action then checks each row's desa against their area)."""
    return scoping.can(user, "regions", scoping.CHANGE) and Election.objects.restrict(user).filter(pk=target).exists()


describe_tps_import = importers.describe_result


registry.importers.append(
    Importer(
        TPS_IMPORT,
        _("Import TPS"),
        TPS_SPEC,
        run=import_tps,
        permitted=may_import_tps,
        describe=describe_tps_import,
        upload_url="regions:tps_import",
        result_url=lambda target: reverse("regions:tps_list"),
    )
)
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
