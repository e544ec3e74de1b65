"""Keep the per-TPS requirements in step when the TPS registry changes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from logistics.models import Item, Node, NodeLevel
from regions.models import PollingStation, Region
from regions.signals import tps_changed


@receiver(tps_changed)
def refresh_requirements(sender: Any, election: Any, village_codes: set[str], **kwargs: Any) -> None:
    """Recompute the Supply rows of the changed desa (a national import: of the whole election)."""
    from logistics.actions import build_network, rebuild_supply

    if not Item.objects.filter(election=election).exists():
        return
    networks = set(
        Node.objects.filter(election=election, level=NodeLevel.WAREHOUSE).values_list("region_id", flat=True)
    )
    if not networks:
        return
    # A TPS added where the chain is already built gets its KPPS node (and routes) now.
    new = (
        PollingStation.objects.filter(election=election, village_id__in=village_codes, node__isnull=True)
        .values_list("village_id", flat=True)
        .distinct()
    )
    for kab in sorted({code[:5] for code in new} & networks):
        build_network(election, Region.objects.get(code=kab))
    if len(village_codes) > 50:
        rebuild_supply(election)
        return
    for code in sorted(village_codes):
        rebuild_supply(election, region=code)
