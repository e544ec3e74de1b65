"""Keep the per-TPS requirements in step when the TPS registry changes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from logistics.models import Item, Node, NodeLevel
from regions.signals import tps_changed


@receiver(tps_changed)
def refresh_requirements(sender: Any, election: Any, village_codes: set[str], **kwargs: Any) -> None:
    """Recompute the Supply rows of the changed desa (a national import: of the whole election)."""
    from logistics.actions import rebuild_supply

    if not Item.objects.filter(election=election).exists():
        return
    has_nodes = Node.objects.filter(election=election, level=NodeLevel.KPPS)
    if not has_nodes.exists():
        return
    if len(village_codes) > 50:
        rebuild_supply(election)
        return
    for code in sorted(village_codes):
        rebuild_supply(election, region=code)
