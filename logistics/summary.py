"""A small logistics summary (levels received, nodes at risk) for the home and region pages.

Read from the ``LogisticsSummary`` rows (``logistics.summaries.panel``): one indexed query, never
an aggregate over the nodes in the request.
"""

from __future__ import annotations

from typing import Any

from elections.models import Election
from logistics import summaries
from regions.models import Region


def summary(user: Any, election: Election | None, region: Region | None) -> dict[str, Any] | None:
    if election is None or region is None:
        return None
    found = summaries.panel(user, election, region.code)
    if found is None:
        return None
    return {**found, "region": region, "tz": election.timezone}
