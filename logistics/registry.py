"""What the logistics app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from core import dates, formats, scoping
from core.imports import Progress
from core.registry import DemoLoader, Importer, NavEntry, PeriodicJob, SummaryBuilder, TaskSource, Tile, registry
from elections.models import Election
from logistics import importers, jobs, selectors, summaries
from logistics.models import Shipment, ShipmentStatus
from logistics.summary import summary
from regions.models import Region

TASK_LIMIT = 20
MANIFEST_IMPORT = "logistics.manifest"


def home_tile(request: Any, election: Any, region_code: str) -> dict[str, Any] | None:
    if not request.user.is_authenticated:
        return None
    return summary(request.user, election, Region.objects.filter(code=region_code).first())


def region_panel(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    return summary(request.user, election, region)


def report_section(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    """The situation report's logistics section: the same summary as the region panel, and the nodes
    at risk of missing their deadline on the report's "what needs a decision today" list."""
    data = summary(request.user, election, region)
    if data is None:
        return None
    data["areas"] = summaries.areas(request.user, election, region)
    shipments = Shipment.objects.restrict(request.user)
    data["overdue"] = selectors.overdue_count(election, region, dates.now(election.timezone), shipments)
    data["problems"] = (
        shipments.filter(scoping.subtree_q("destination__region", region.code), election=election)
        .filter(status=ShipmentStatus.PROBLEM)
        .count()
    )
    decide = []
    if data["overdue"]:
        decide.append(
            {
                "text": ngettext(
                    "%(n)s shipment overdue (no receipt past its expected arrival) in %(region)s",
                    "%(n)s shipments overdue (no receipt past their expected arrival) in %(region)s",
                    data["overdue"],
                )
                % {"n": formats.number(data["overdue"]), "region": region.name},
                "url": reverse("logistics:region", args=[region.code]),
            }
        )
    if data["risks"]:
        decide.append(
            {
                "text": ngettext(
                    "%(n)s logistics node at risk of missing its deadline in %(region)s",
                    "%(n)s logistics nodes at risk of missing their deadline in %(region)s",
                    data["risks"],
                )
                % {"n": formats.number(data["risks"]), "region": region.name},
                "url": reverse("logistics:region", args=[region.code]),
            }
        )
    if decide:
        data["decide"] = decide
    return data


def receipts_to_confirm(user: Any, election: Any) -> list[dict[str, Any]]:
    """Shipments on their way to the user's node or to the level just below it, not yet received.

    A PPK officer confirms what reaches the PPK and follows (or, where the PPS has no account,
    confirms) what reaches its desa; KPU Kukar sees what reaches its warehouse and the PPK. A node
    level matches the depth of the region code: kab/kota 1 (warehouse), kecamatan 2, desa 3.
    """
    if election is None:
        return []
    scopes = [s for s in scoping.grants(user, "logistics_receipts", scoping.CHANGE) if s]
    if not scopes:
        return []
    mine = Q(pk__in=[])
    for code in scopes:
        level = code.count(".")
        mine |= scoping.subtree_q("destination__region", code) & Q(destination__level__in=[level, level + 1])
    rows = (
        Shipment.objects.restrict(user)
        .filter(mine, election=election, status__in=[ShipmentStatus.DISPATCHED, ShipmentStatus.ARRIVED])
        .select_related("origin", "destination")
        .order_by("expected_arrival", "id")[:TASK_LIMIT]
    )
    now = dates.now(election.timezone)
    return [
        {
            "title": _("Confirm receipt: %(shipment)s") % {"shipment": s},
            "url": reverse("logistics:shipment", args=[s.pk]),
            "due": s.expected_arrival,
            "tz": election.timezone,
            "overdue": _late(s.expected_arrival, now),
            "kind": _("Logistics"),
        }
        for s in rows
    ]


def _late(expected: Any, now: Any) -> Any:
    """How long past its expected arrival a shipment is (None when it is not)."""
    return now - expected if expected is not None and expected < now else None


def load_demo(ctx: dict[str, Any]) -> Any:
    from logistics import demo

    return demo.load(ctx)


def replay_demo(ctx: dict[str, Any], moment: Any) -> Any:
    from logistics import demo

    return demo.replay(ctx, moment)


def import_manifest(actor: Any, target: str, data: bytes, filename: str, progress: Progress) -> int:
    """A manifest imported in the background: the same importer as the import page's."""
    election = Election.objects.get(pk=int(target))
    return importers.import_manifest(actor, election, data, filename, progress=progress)


def may_import_manifest(user: Any, target: str) -> bool:
    """Asked on upload and again when the job starts; each row's destination is then checked
    against the uploader's area."""
    return scoping.can(user, "logistics", scoping.CHANGE) and Election.objects.restrict(user).filter(pk=target).exists()


describe_manifest_import = importers.describe_result


def manifest_result_url(target: str) -> str:
    region = Election.objects.filter(pk=target).values_list("region_id", flat=True).first()
    return reverse("logistics:region", args=[region or settings.SINERGI_HOME_REGION])


registry.importers.append(
    Importer(
        MANIFEST_IMPORT,
        _lazy("Import manifest"),
        importers.MANIFEST_SPEC,
        run=import_manifest,
        permitted=may_import_manifest,
        describe=describe_manifest_import,
        upload_url="logistics:import",
        result_url=manifest_result_url,
    )
)
registry.nav.append(NavEntry(_lazy("Logistics"), "logistics:region", "logistics", order=30, region_arg=True))
registry.home_tiles.append(Tile("logistics.summary", "logistics/_summary.html", home_tile, order=50))
registry.region_panels.append(Tile("logistics.summary", "logistics/_summary.html", region_panel, order=50))
registry.report_sections.append(Tile("logistics.summary", "logistics/_summary.html", report_section, order=30))


def report_map(request: Any, election: Any, region: Any) -> dict[str, Any] | None:
    """The region's areas coloured by logistics progress, with the nodes at risk, on the report page."""
    if election is None or region is None or not scoping.can(request.user, "logistics", scoping.VIEW):
        return None
    return {
        "areas_url": reverse("logistics:areas", args=[region.code]),
        "risk_url": reverse("logistics:risk_points", args=[region.code]),
        "election": election,
        "region": region,
    }


registry.report_maps.append(Tile("logistics.map", "logistics/_report_map.html", report_map, order=30))
registry.my_tasks.append(TaskSource("logistics.receipts", receipts_to_confirm, order=10))
registry.demo_loaders.append(DemoLoader("logistics", load_demo, order=40, replay=replay_demo))


def load_demo_stock(ctx: dict[str, Any]) -> Any:
    from logistics import demo_stock

    return demo_stock.load(ctx)


def replay_demo_stock(ctx: dict[str, Any], moment: Any) -> Any:
    from logistics import demo_stock

    return demo_stock.replay(ctx, moment)


# the KPU Kukar warehouse's stock, after the network exists (it measures against the TPS' needs)
registry.demo_loaders.append(DemoLoader("logistics-stock", load_demo_stock, order=45, replay=replay_demo_stock))
registry.permission_cases.append("logistics.tests.permission_cases")
registry.summaries.append(SummaryBuilder("logistics.progress", rebuild=summaries.rebuild, check=summaries.check))

# Nodes at risk of missing their deadline and overdue deliveries become alerts every 15 minutes.
registry.periodic_jobs.append(PeriodicJob("logistics.scan_risks", jobs.scan_all_risks, minutes=15))
