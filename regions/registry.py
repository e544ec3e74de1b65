"""What the regions app contributes to the core registry."""

from __future__ import annotations

from core.registry import SummaryBuilder, registry
from regions import summaries

registry.summaries.append(SummaryBuilder("regions.tps_dpt", rebuild=summaries.rebuild, check=summaries.check))
