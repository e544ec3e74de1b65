"""What the elections app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.dates import today
from core.registry import DemoLoader, NavEntry, Tile, registry
from elections.models import Contest, Election
from elections.selectors import current_election
from regions.models import Region


def countdown_tile(request: Any, election: Any, region_code: str) -> dict[str, Any] | None:
    """Countdown, current stage and the contests on the ballot: the first thing a rakor asks.

    Contests go through the chokepoint: a camat sees the races of their area, not Samarinda's.
    The public sees every contest (the ballot is public).
    """
    if election is None:
        return {"election": None}
    # shown from the date of their legal basis (the PSU only after the MK decision)
    contests = Contest.objects.visible().filter(election=election)
    if request.user.is_authenticated:
        contests = contests.restrict(request.user)
    return {
        "election": election,
        "stage": election.current_stage(),
        "days": election.days_to_go(),
        "today": today(),
        "contests": list(contests.order_by("id")),
    }


def status_subject(code: str, election_id: int | None) -> tuple[Any, Election]:
    """The region and election a ``<capability>_status`` command reports on (core.status_command)."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise LookupError(f"Unknown region code: {code}")
    election = Election.objects.filter(pk=election_id).first() if election_id else Election.current()
    if election is None:
        raise LookupError("No election found.")
    return region, election


def load_demo(ctx: dict[str, Any]) -> Any:
    from elections import demo

    return demo.load(ctx)


registry.provide("current_election", current_election)
registry.provide("status_subject", status_subject)
registry.nav.append(NavEntry(_("Elections"), "elections:list", "elections", order=40))
registry.home_tiles.append(Tile("elections.countdown", "elections/_home_countdown.html", countdown_tile, order=10))
registry.demo_loaders.append(DemoLoader("election", load_demo, order=10))
registry.permission_cases.append("elections.tests.permission_cases")
