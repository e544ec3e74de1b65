"""Permission cases for agencies and memberships (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from agencies.models import Agency
from tests.matrix import IN_SEBULU, Case

# An agency is seen from its own region and below it; the Kukar desk is not Samarinda's business.
HIDDEN = {"KPU Samarinda": frozenset({"kpu_samarinda"}), "Desk Pilkada Kukar": IN_SEBULU}


def cases(w: Any) -> list[Case]:
    desk = Agency.objects.get(name="Desk Pilkada Kukar").pk
    samarinda = Agency.objects.get(name="KPU Samarinda").pk
    return [
        Case("agencies:list", "/agencies/", hidden=HIDDEN),
        Case("agencies:detail", f"/agencies/{desk}/", allowed=IN_SEBULU),
        Case("agencies:detail", f"/agencies/{samarinda}/", allowed=frozenset({"kpu_samarinda"})),
    ]
