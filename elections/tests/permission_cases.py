"""Permission cases for elections, contests, pairs and stages (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from elections.models import Contest
from tests.matrix import IN_SEBULU, LOGGED_IN, Case, api_case

# Elections are seen from every level below them; contests only where they are held.
MEMBERS = LOGGED_IN - {"no_membership"}
HIDDEN = {"Walikota Samarinda 2024": frozenset({"kpu_samarinda"}), "Bupati Kukar 2024": IN_SEBULU}


def cases(w: Any) -> list[Case]:
    e = w.election.pk
    kukar = Contest.objects.get(name="Bupati Kukar 2024").pk
    samarinda = Contest.objects.get(name="Walikota Samarinda 2024").pk
    return [
        Case("elections:list", "/elections/", hidden={w.election.name: MEMBERS}),
        Case("elections:detail", f"/elections/{e}/", allowed=MEMBERS, hidden=HIDDEN),
        api_case("GET", "/api/v1/elections/", "/api/v1/elections/", hidden={w.election.name: MEMBERS}),
        api_case("GET", "/api/v1/elections/{election_id}", f"/api/v1/elections/{e}", allowed=MEMBERS),
        api_case(
            "GET",
            "/api/v1/elections/{election_id}/contests",
            f"/api/v1/elections/{e}/contests",
            allowed=MEMBERS,
            hidden=HIDDEN,
        ),
        api_case("GET", "/api/v1/elections/{election_id}/stages", f"/api/v1/elections/{e}/stages", allowed=MEMBERS),
        api_case(
            "GET",
            "/api/v1/elections/contests/{contest_id}/candidates",
            f"/api/v1/elections/contests/{kukar}/candidates",
            allowed=IN_SEBULU,
        ),
        api_case(
            "GET",
            "/api/v1/elections/contests/{contest_id}/candidates",
            f"/api/v1/elections/contests/{samarinda}/candidates",
            allowed=frozenset({"kpu_samarinda"}),
        ),
    ]
