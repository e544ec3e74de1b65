"""A small logistics summary (levels received, nodes at risk) for the home and region pages."""

from __future__ import annotations

from typing import Any

from elections.models import Election
from logistics import selectors
from logistics.models import Node
from regions.models import Region


def summary(user: Any, election: Election | None, region: Region | None) -> dict[str, Any] | None:
    if election is None or region is None:
        return None
    nodes = Node.objects.restrict(user)
    levels = selectors.level_progress(nodes, election, region)
    if not levels:
        return None
    from core import dates

    risks = selectors.risk_count(election, region, dates.now(election.timezone), nodes)
    return {"levels": levels, "risks": risks, "region": region}
